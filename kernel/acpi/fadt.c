// SPDX-License-Identifier: MIT
/*
 * FADT (ACPI 6.5 5.2.9): what poweroff and reset need. The table grew over
 * the ACPI revisions; a field counts only when the table's length covers
 * all of it, so an old short FADT reads as "absent" past its end.
 */
#include "kernel/acpi/acpi_priv.h"
#include "kernel/acpi/acpi_tables.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"

#define FADT_HAS(len, field)                                     \
	(offsetof(struct acpi_fadt_table, field) +               \
		 sizeof(((struct acpi_fadt_table *)0)->field) <= \
	 (len))

#define FADT_PORT_MAX 0xffff

static void fadt_gas(struct acpi_gas *out, const struct acpi_gas_raw *g)
{
	out->space = g->space_id;
	out->bit_width = g->bit_width;
	out->bit_offset = g->bit_offset;
	out->access_size = g->access_size;
	out->address = g->address;
}

/*
 * PM1x_CNT port: the X_ field wins when it gives an I/O port (ACPI 6.5
 * 5.2.9: a non-zero X_ address supersedes the legacy field).
 */
static int fadt_pm1_cnt(uint32_t *out, const struct acpi_gas_raw *x, bool has_x,
			uint32_t legacy, const char *name)
{
	uint64_t port = legacy;

	if (has_x && x->address && x->space_id == ACPI_GAS_IO)
		port = x->address;
	if (port > FADT_PORT_MAX) {
		log_warn("ACPI: FACP: %s 0x%lx is not an I/O port, ignored",
			 name, port);
		*out = 0;
		return 1;
	}
	*out = (uint32_t)port;
	return 0;
}

static void fadt_reset(struct acpi_fadt *out, const struct acpi_fadt_table *f,
		       uint32_t len)
{
	if (!FADT_HAS(len, reset_value))
		return;
	fadt_gas(&out->reset_reg, &f->reset_reg);
	out->reset_value = f->reset_value;
	out->reset_supported = (f->flags & ACPI_FADT_RESET_REG_SUP) &&
			       f->reset_reg.address &&
			       (f->reset_reg.space_id == ACPI_GAS_IO ||
				f->reset_reg.space_id == ACPI_GAS_MEMORY);
}

static int fadt_dsdt(struct acpi_info *info)
{
	struct acpi_view dsdt;

	if (!info->fadt.dsdt) {
		log_warn("ACPI: FACP: no DSDT address, \\_S5 unknown");
		return 1;
	}
	if (acpi_table_load(info, "FACP: DSDT", info->fadt.dsdt, ACPI_SIG_DSDT,
			    ACPI_AML_MAX_LEN, &dsdt))
		return 1;
	return acpi_dsdt_s5(&info->fadt, &dsdt);
}

int acpi_fadt_parse(struct acpi_info *info, const struct acpi_view *t)
{
	struct acpi_fadt *out = &info->fadt;
	struct acpi_fadt_table f;
	uint32_t len = MIN(t->len, (uint32_t)sizeof(f));
	int problems = 0;

	if (t->len < ACPI_FADT_V1_LENGTH) {
		log_warn(
			"ACPI: FACP: table length %u is shorter than the %u bytes of ACPI 1.0, table ignored",
			t->len, ACPI_FADT_V1_LENGTH);
		return 1;
	}
	memset(&f, 0, sizeof(f));
	memcpy(&f, t->p, len);
	out->present = true;
	out->flags = f.flags;
	problems += fadt_pm1_cnt(&out->pm1a_cnt, &f.x_pm1a_cnt_blk,
				 FADT_HAS(len, x_pm1a_cnt_blk), f.pm1a_cnt_blk,
				 "PM1a_CNT_BLK");
	problems += fadt_pm1_cnt(&out->pm1b_cnt, &f.x_pm1b_cnt_blk,
				 FADT_HAS(len, x_pm1b_cnt_blk), f.pm1b_cnt_blk,
				 "PM1b_CNT_BLK");
	fadt_reset(out, &f, len);
	out->dsdt = f.dsdt;
	if (FADT_HAS(len, x_dsdt) && f.x_dsdt)
		out->dsdt = f.x_dsdt;
	return problems + fadt_dsdt(info);
}
