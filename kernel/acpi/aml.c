// SPDX-License-Identifier: MIT
/*
 * The one piece of AML the hypervisor reads: \_S5, the SLP_TYP values that
 * put the machine in the soft-off state (ACPI 6.5 7.4.2). There is no AML
 * interpreter: the DSDT is scanned for the byte pattern of
 *
 *     NameOp ['\'] "_S5_" PackageOp PkgLength NumElements element...
 *
 * and the first two elements are decoded when they are integer constants.
 * Every read is bounded by the package and the table.
 */
#include "kernel/acpi/acpi_priv.h"
#include "kernel/acpi/acpi_tables.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"

#define AML_SLP_TYP_MAX 7 /* PM1_CNT.SLP_TYP is 3 bits */

struct aml_cursor {
	const uint8_t *p;
	uint32_t pos, end; /* table offsets; pos may not reach end */
};

/*
 * One integer element: a ZeroOp/OneOp/OnesOp, a Byte/Word/DWord/QWord
 * constant, or (tolerated, some firmware emits it) a bare small byte.
 */
static bool aml_integer(struct aml_cursor *c, uint64_t *v)
{
	unsigned n;
	uint8_t op;

	if (c->pos >= c->end)
		return false;
	op = c->p[c->pos++];
	switch (op) {
	case ACPI_AML_ZERO_OP:
	case ACPI_AML_ONE_OP:
		*v = op;
		return true;
	case ACPI_AML_ONES_OP:
		*v = ~0ull;
		return true;
	case ACPI_AML_BYTE_PREFIX:
		n = 1;
		break;
	case ACPI_AML_WORD_PREFIX:
		n = 2;
		break;
	case ACPI_AML_DWORD_PREFIX:
		n = 4;
		break;
	case ACPI_AML_QWORD_PREFIX:
		n = 8;
		break;
	default:
		*v = op;
		return op <= AML_SLP_TYP_MAX;
	}
	if (c->end - c->pos < n)
		return false;
	*v = 0;
	for (unsigned i = 0; i < n; i++)
		*v |= (uint64_t)c->p[c->pos + i] << (8 * i);
	c->pos += n;
	return true;
}

/* PkgLength (ACPI 6.5 20.2.4): sets c->end to the end of the package. */
static bool aml_pkg_length(struct aml_cursor *c)
{
	uint32_t start = c->pos, follow, len;
	uint8_t lead;

	if (c->pos >= c->end)
		return false;
	lead = c->p[c->pos++];
	follow = FIELD_GET(ACPI_AML_PKGLEN_FOLLOW, lead);
	if (c->end - c->pos < follow)
		return false;
	len = follow ? lead & 0x0f : lead & 0x3f;
	for (uint32_t i = 0; i < follow; i++)
		len |= (uint32_t)c->p[c->pos + i] << (4 + 8 * i);
	c->pos += follow;
	/* The length counts from the PkgLength byte itself. */
	if (len > c->end - start)
		return false;
	c->end = start + len;
	return true;
}

/* Decode the package at c->pos (just after PackageOp). */
static bool aml_s5_package(struct aml_cursor *c, uint64_t *a, uint64_t *b)
{
	uint8_t count;

	if (!aml_pkg_length(c) || c->pos >= c->end)
		return false;
	count = c->p[c->pos++];
	if (count < 1 || !aml_integer(c, a))
		return false;
	*b = 0;
	return count < 2 || aml_integer(c, b);
}

static bool aml_is_name_s5(const uint8_t *p, uint32_t i, uint32_t first)
{
	if (memcmp(p + i, "_S5_", 4) != 0)
		return false;
	if (i >= first + 1 && p[i - 1] == ACPI_AML_NAME_OP)
		return true;
	return i >= first + 2 && p[i - 1] == ACPI_AML_ROOT_CHAR &&
	       p[i - 2] == ACPI_AML_NAME_OP;
}

int acpi_dsdt_s5(struct acpi_fadt *fadt, const struct acpi_view *dsdt)
{
	const uint32_t first = sizeof(struct acpi_sdt_header);
	uint64_t a, b;

	for (uint32_t i = first; i + 5 <= dsdt->len; i++) {
		struct aml_cursor c = {dsdt->p, i + 5, dsdt->len};

		if (!aml_is_name_s5(dsdt->p, i, first) ||
		    dsdt->p[i + 4] != ACPI_AML_PACKAGE_OP)
			continue;
		if (!aml_s5_package(&c, &a, &b) || a > AML_SLP_TYP_MAX ||
		    b > AML_SLP_TYP_MAX) {
			log_warn(
				"ACPI: DSDT: \\_S5 package at offset 0x%x is malformed, ignored",
				i + 4);
			return 1;
		}
		fadt->s5_valid = true;
		fadt->s5_slp_typa = (uint8_t)a;
		fadt->s5_slp_typb = (uint8_t)b;
		return 0;
	}
	log_info(
		"ACPI: DSDT: no \\_S5 package, poweroff through ACPI unavailable");
	return 0;
}
