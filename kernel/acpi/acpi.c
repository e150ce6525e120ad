// SPDX-License-Identifier: MIT
/*
 * ACPI entry point: RSDP, XSDT (or RSDT), the list of tables and the
 * dispatch to the parsers of the tables the hypervisor uses. Firmware
 * memory is only read through acpi_map, and only after the range read was
 * checked against the length of its table.
 */
#include "kernel/acpi/acpi_priv.h"
#include "kernel/acpi/acpi_tables.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"

/* ACPI 6.5 5.2.5.3: the RSDP Length field; anything larger is bogus. */
#define ACPI_RSDP_MAX_LEN 4096

const struct acpi_info *acpi;

static uint8_t acpi_sum(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum += *p++;
	return sum;
}

/* ACPI 6.5 5.2.6: signatures are upper-case letters, digits and '_'. */
static bool acpi_sig_valid(const char sig[4])
{
	for (int i = 0; i < 4; i++) {
		char c = sig[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return false;
	}
	return true;
}

/* Copy an OEM string for printing: NUL-terminated, printable only. */
static void acpi_copy_id(char *dst, const char *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	dst[n] = '\0';
}

static struct acpi_table_info *
acpi_table_record(struct acpi_info *info, uint64_t phys,
		  const struct acpi_sdt_header *h, bool checksum_ok)
{
	struct acpi_table_info *t;

	/* Listed twice (or the DSDT also in the XSDT): one entry. */
	for (unsigned i = 0; i < info->ntables; i++)
		if (info->table[i].phys == phys)
			return &info->table[i];
	if (info->ntables >= ACPI_MAX_TABLES)
		return NULL;
	t = &info->table[info->ntables++];
	memcpy(t->sig, h->signature, 4);
	t->sig[4] = '\0';
	acpi_copy_id(t->oem_id, h->oem_id, sizeof(h->oem_id));
	acpi_copy_id(t->oem_table_id, h->oem_table_id, sizeof(h->oem_table_id));
	t->revision = h->revision;
	t->phys = phys;
	t->length = h->length;
	t->checksum_ok = checksum_ok;
	return t;
}

/* The header checks of acpi_table_load; returns 0 when h is usable. */
static int acpi_header_check(const char *from, uint64_t phys,
			     const struct acpi_sdt_header *h,
			     const char *expect, uint32_t max_len)
{
	const uint8_t *s = (const uint8_t *)h->signature;

	if (!acpi_sig_valid(h->signature)) {
		log_warn(
			"ACPI: %s at 0x%lx has an invalid signature %02x %02x %02x %02x, skipped",
			from, phys, s[0], s[1], s[2], s[3]);
		return 1;
	}
	if (expect && memcmp(h->signature, expect, 4) != 0) {
		log_warn("ACPI: %s at 0x%lx is %.4s, expected %s, skipped",
			 from, phys, h->signature, expect);
		return 1;
	}
	if (h->length < sizeof(*h) || h->length > max_len) {
		log_warn("ACPI: %.4s: table at 0x%lx has length %u, skipped",
			 h->signature, phys, h->length);
		return 1;
	}
	return 0;
}

int acpi_table_load(struct acpi_info *info, const char *from, uint64_t phys,
		    const char *expect, uint32_t max_len,
		    struct acpi_view *view)
{
	struct acpi_table_info *t;
	struct acpi_sdt_header h;
	const uint8_t *p;
	bool ok;

	memset(view, 0, sizeof(*view));
	p = acpi_map(phys, sizeof(h));
	if (!p) {
		log_warn("ACPI: %s at 0x%lx cannot be mapped, skipped", from,
			 phys);
		return 1;
	}
	memcpy(&h, p, sizeof(h));
	if (acpi_header_check(from, phys, &h, expect, max_len))
		return 1;
	p = acpi_map(phys, h.length);
	if (!p) {
		log_warn(
			"ACPI: %.4s: table at 0x%lx (length %u) cannot be mapped, skipped",
			h.signature, phys, h.length);
		return 1;
	}
	ok = acpi_sum(p, h.length) == 0;
	t = acpi_table_record(info, phys, &h, ok);
	if (!t) {
		log_warn(
			"ACPI: %.4s: more than %d tables, table at 0x%lx ignored",
			h.signature, ACPI_MAX_TABLES, phys);
		return 1;
	}
	if (!ok) {
		log_warn(
			"ACPI: %s: bad checksum (table at 0x%lx), table ignored",
			t->sig, phys);
		return 1;
	}
	view->p = p;
	view->len = h.length;
	view->phys = phys;
	view->sig = t->sig;
	return 0;
}

const struct acpi_table_info *acpi_find(const struct acpi_info *info,
					const char sig[4])
{
	for (unsigned i = 0; i < info->ntables; i++)
		if (memcmp(info->table[i].sig, sig, 4) == 0)
			return &info->table[i];
	return NULL;
}

static const struct {
	char sig[5];
	int (*parse)(struct acpi_info *info, const struct acpi_view *t);
} acpi_parsers[] = {
	{ACPI_SIG_MADT, acpi_madt_parse},
	{ACPI_SIG_MCFG, acpi_mcfg_parse},
	{ACPI_SIG_FADT, acpi_fadt_parse},
	{ACPI_SIG_DMAR, acpi_dmar_parse},
};

/* Hand a loaded table to its parser; only the first of each kind is used. */
static int acpi_dispatch(struct acpi_info *info, const struct acpi_view *t,
			 unsigned *done)
{
	for (unsigned i = 0; i < ARRAY_SIZE(acpi_parsers); i++) {
		if (memcmp(t->sig, acpi_parsers[i].sig, 4) != 0)
			continue;
		if (*done & (1u << i)) {
			log_warn(
				"ACPI: %s: another table at 0x%lx, ignored (the first one is used)",
				t->sig, t->phys);
			return 1;
		}
		*done |= 1u << i;
		return acpi_parsers[i].parse(info, t);
	}
	return 0; /* a table the hypervisor does not use: listed only */
}

static uint64_t acpi_root_entry(const struct acpi_view *root, unsigned i,
				unsigned esize)
{
	uint64_t e = 0;

	/* Little-endian: a 4-byte RSDT entry fills the low half. */
	memcpy(&e, root->p + sizeof(struct acpi_sdt_header) + i * esize, esize);
	return e;
}

/* Load and parse every table the XSDT (esize 8) or RSDT (4) lists. */
static int acpi_root_walk(struct acpi_info *info, const struct acpi_view *root,
			  unsigned esize)
{
	uint32_t body = root->len - sizeof(struct acpi_sdt_header);
	unsigned n = body / esize, done = 0;
	struct acpi_view t;
	char from[24];
	int problems = 0;

	if (body % esize) {
		log_warn(
			"ACPI: %s: length %u leaves %u trailing bytes, ignored",
			root->sig, root->len, body % esize);
		problems++;
	}
	if (n > ACPI_MAX_TABLES - 2) {
		log_warn(
			"ACPI: %s: lists %u tables, only the first %d are read",
			root->sig, n, ACPI_MAX_TABLES - 2);
		n = ACPI_MAX_TABLES - 2;
		problems++;
	}
	for (unsigned i = 0; i < n; i++) {
		uint64_t phys = acpi_root_entry(root, i, esize);

		if (!phys) {
			log_warn("ACPI: %s: entry %u is null, skipped",
				 root->sig, i);
			problems++;
			continue;
		}
		snprintf(from, sizeof(from), "%s: entry %u", root->sig, i);
		if (acpi_table_load(info, from, phys, NULL, ACPI_TABLE_MAX_LEN,
				    &t)) {
			problems++;
			continue;
		}
		problems += acpi_dispatch(info, &t, &done);
	}
	return problems;
}

/* Check the RSDP; returns 0 and fills *r (zeroed past v1) when usable. */
static int acpi_rsdp_check(uint64_t phys, struct acpi_rsdp *r)
{
	const uint8_t *p = acpi_map(phys, ACPI_RSDP_V1_LENGTH);
	const char *why = NULL;

	memset(r, 0, sizeof(*r));
	if (!p) {
		why = "cannot be mapped";
	} else {
		memcpy(r, p, ACPI_RSDP_V1_LENGTH);
		if (memcmp(r->signature, ACPI_RSDP_SIGNATURE, 8) != 0)
			why = "has a bad signature";
		else if (acpi_sum(p, ACPI_RSDP_V1_LENGTH) != 0)
			why = "has a bad checksum";
	}
	if (!why && r->revision >= ACPI_RSDP_REVISION_2) {
		p = acpi_map(phys, sizeof(*r));
		if (p)
			memcpy(r, p, sizeof(*r));
		if (!p || r->length < sizeof(*r) ||
		    r->length > ACPI_RSDP_MAX_LEN)
			why = "has a bad length";
		else if (!(p = acpi_map(phys, r->length)))
			why = "cannot be mapped";
		else if (acpi_sum(p, r->length) != 0)
			why = "has a bad extended checksum";
	}
	if (why) {
		log_err("ACPI: RSDP at 0x%lx %s, no ACPI tables", phys, why);
		return 1;
	}
	return 0;
}

int acpi_parse(struct acpi_info *info, uint64_t rsdp_phys)
{
	struct acpi_view root;
	struct acpi_rsdp r;
	int problems = 0;

	memset(info, 0, sizeof(*info));
	info->rsdp = rsdp_phys;
	acpi = info;
	if (acpi_rsdp_check(rsdp_phys, &r))
		return 1;
	if (r.xsdt_address) {
		info->xsdt = r.xsdt_address;
		if (!acpi_table_load(info, "RSDP: XSDT", r.xsdt_address,
				     ACPI_SIG_XSDT, ACPI_TABLE_MAX_LEN, &root))
			return acpi_root_walk(info, &root,
					      ACPI_XSDT_ENTRY_SIZE);
		problems++;
		if (r.rsdt_address)
			log_info("ACPI: using the RSDT at 0x%x instead",
				 r.rsdt_address);
	}
	if (!r.rsdt_address) {
		log_err("ACPI: RSDP at 0x%lx gives no usable RSDT or XSDT",
			rsdp_phys);
		return problems + 1;
	}
	info->xsdt = r.rsdt_address;
	if (acpi_table_load(info, "RSDP: RSDT", r.rsdt_address, ACPI_SIG_RSDT,
			    ACPI_TABLE_MAX_LEN, &root))
		return problems + 1;
	return problems + acpi_root_walk(info, &root, ACPI_RSDT_ENTRY_SIZE);
}
