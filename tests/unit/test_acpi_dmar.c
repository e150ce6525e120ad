// SPDX-License-Identifier: MIT
/*
 * DMAR parser and the `acpi dmar` output: the QEMU q35 table, richer
 * layouts, and malformed structures and device scopes. Every malformed
 * case checks the exact log line and that the valid parts were kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/acpi/acpi.h"
#include "kernel/acpi/acpi_tables.h"
#include "kernel/errno.h"
#include "stub_log.h"
#include "tests/unit/acpi/acpi_fake.h"

#define DEVFN(d, f) ((d) << 8 | (f))

static struct tb tb;

/* The DMAR header of the QEMU fixture (HAW 39, INTR_REMAP), no structure. */
static void dmar_header(void)
{
	tb_fixture(&tb, "dmar_qemu");
	tb.n = sizeof(struct acpi_dmar_table);
}

static void assert_scope(const struct acpi_dmar_scope *s, uint8_t type,
			 uint8_t enum_id, uint8_t bus, uint8_t dev, uint8_t fn)
{
	assert_int_equal(s->type, type);
	assert_int_equal(s->enum_id, enum_id);
	assert_int_equal(s->start_bus, bus);
	assert_int_equal(s->path_len, 1);
	assert_int_equal(s->path[0].dev, dev);
	assert_int_equal(s->path[0].fn, fn);
}

/* ---- well-formed tables ----------------------------------------------- */

static void test_qemu_q35(void **state)
{
	struct acpi_info *info = fake_info();
	const struct acpi_drhd *u;

	(void)state;
	tb_fixture(&tb, "dmar_qemu");
	assert_int_equal(fake_parse_tb(&tb, info), 0);
	assert_int_equal(stub_log_count(), 0);
	assert_true(info->dmar.present);
	assert_int_equal(info->dmar.host_addr_width, 39);
	assert_int_equal(info->dmar.flags, ACPI_DMAR_INTR_REMAP);
	assert_int_equal(info->dmar.ndrhd, 1);
	assert_int_equal(info->dmar.nrmrr + info->dmar.natsr, 0);
	u = &info->dmar.drhd[0];
	assert_int_equal(u->reg_base, 0xfed90000);
	assert_int_equal(u->flags, 0);
	assert_int_equal(u->segment, 0);
	assert_int_equal(u->scopes.count, 8);
	assert_int_equal(u->scopes.dropped, 0);
	assert_scope(&u->scopes.scope[0], ACPI_DMAR_SCOPE_IOAPIC, 0, 0xff, 0,
		     0);
	assert_scope(&u->scopes.scope[1], ACPI_DMAR_SCOPE_ENDPOINT, 0, 0, 0, 0);
	assert_scope(&u->scopes.scope[3], ACPI_DMAR_SCOPE_BRIDGE, 0, 0, 2, 0);
	assert_scope(&u->scopes.scope[7], ACPI_DMAR_SCOPE_ENDPOINT, 0, 0, 0x1f,
		     3);

	assert_int_equal(acpi_cmd_dmar(info), 0);
	assert_console(
		"DMAR: host address width 39, flags 0x1 (INTR_REMAP)\n"
		"DRHD 0: base 0x00000000fed90000 segment 0000 regs 4 KiB flags 0x0\n"
		"  ioapic id 0 ff:00.0\n"
		"  endpoint 00:00.0\n"
		"  endpoint 00:01.0\n"
		"  bridge 00:02.0 (sub-hierarchy)\n"
		"  endpoint 00:03.0\n"
		"  endpoint 00:1f.0\n"
		"  endpoint 00:1f.2\n"
		"  endpoint 00:1f.3\n");
}

static void test_multi(void **state)
{
	struct acpi_info *info = fake_info();
	const struct acpi_dmar *d = &info->dmar;
	const struct acpi_dmar_scope *s;

	(void)state;
	tb_fixture(&tb, "dmar_multi");
	assert_int_equal(fake_parse_tb(&tb, info), 0);
	assert_log("ACPI: DMAR: RHSA at offset 0xca skipped");
	assert_int_equal(d->host_addr_width, 47);
	assert_int_equal(d->ndrhd, 2);
	assert_int_equal(d->drhd[0].reg_base, 0xfed90000);
	assert_int_equal(d->drhd[0].scopes.count, 1);
	assert_int_equal(d->drhd[1].reg_base, 0xfed91000);
	assert_int_equal(d->drhd[1].flags, ACPI_DRHD_INCLUDE_PCI_ALL);
	assert_int_equal(d->drhd[1].scopes.count, 2);
	assert_scope(&d->drhd[1].scopes.scope[0], ACPI_DMAR_SCOPE_IOAPIC, 2,
		     0xf0, 0x1f, 0);
	assert_scope(&d->drhd[1].scopes.scope[1], ACPI_DMAR_SCOPE_HPET, 0, 0,
		     0x1f, 0);
	assert_int_equal(d->nrmrr, 2);
	assert_int_equal(d->rmrr[0].base, 0x7d000000);
	assert_int_equal(d->rmrr[0].limit, 0x7d7fffff);
	assert_int_equal(d->rmrr[0].scopes.count, 2);
	s = &d->rmrr[1].scopes.scope[0];
	assert_int_equal(s->path_len, 2);
	assert_int_equal(s->path[0].dev, 0x1c);
	assert_int_equal(s->path[1].dev, 0);
	assert_int_equal(d->natsr, 1);
	assert_int_equal(d->atsr[0].flags, 0);
	assert_int_equal(d->atsr[0].scopes.count, 2);
	assert_scope(&d->atsr[0].scopes.scope[1], ACPI_DMAR_SCOPE_BRIDGE, 0, 0,
		     0x1c, 4);

	assert_int_equal(acpi_cmd_dmar(info), 0);
	assert_console(
		"DMAR: host address width 47, flags 0x5 (INTR_REMAP,DMA_CTRL_PLATFORM_OPT_IN)\n"
		"DRHD 0: base 0x00000000fed90000 segment 0000 regs 4 KiB flags 0x0\n"
		"  endpoint 00:02.0\n"
		"DRHD 1: base 0x00000000fed91000 segment 0000 regs 4 KiB flags 0x1 (INCLUDE_PCI_ALL)\n"
		"  ioapic id 2 f0:1f.0\n"
		"  hpet id 0 00:1f.0\n"
		"RMRR 0: segment 0000 range 0x000000007d000000-0x000000007d7fffff\n"
		"  endpoint 00:14.0\n"
		"  endpoint 00:1a.0\n"
		"RMRR 1: segment 0000 range 0x000000007f800000-0x000000007fffffff\n"
		"  endpoint 00:1c.0/00.0\n"
		"ATSR 0: segment 0000 flags 0x0\n"
		"  bridge 00:1c.0 (sub-hierarchy)\n"
		"  bridge 00:1c.4 (sub-hierarchy)\n");
}

static void test_include_pci_all(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	tb_fixture(&tb, "dmar_all");
	assert_int_equal(fake_parse_tb(&tb, info), 0);
	assert_int_equal(info->dmar.flags, 0);
	assert_int_equal(info->dmar.ndrhd, 1);
	assert_int_equal(info->dmar.drhd[0].flags, ACPI_DRHD_INCLUDE_PCI_ALL);
	assert_int_equal(info->dmar.drhd[0].segment, 1);
	assert_int_equal(info->dmar.drhd[0].scopes.count, 0);
	assert_int_equal(acpi_cmd_dmar(info), 0);
	assert_console(
		"DMAR: host address width 48, flags 0x0\n"
		"DRHD 0: base 0x00000000fed92000 segment 0001 regs 4 KiB flags 0x1 (INCLUDE_PCI_ALL)\n");
}

/* SATC, ANDD, SIDP and an unknown type after the QEMU DRHD, then an ATSR. */
static void test_satc_and_skipped_types(void **state)
{
	struct acpi_info *info = fake_info();
	size_t at;

	(void)state;
	tb_fixture(&tb, "dmar_qemu");
	at = tb_atsr_satc(&tb, ACPI_DMAR_TYPE_SATC, ACPI_SATC_ATC_REQUIRED, 0);
	tb_scope(&tb, ACPI_DMAR_SCOPE_ENDPOINT, 0, 0, 1, DEVFN(2, 0));
	tb_close16(&tb, at);
	at = tb.n; /* 0x90: ANDD with the name "\_SB_" */
	tb_u16(&tb, ACPI_DMAR_TYPE_ANDD);
	tb_u16(&tb, 0);
	tb_bytes(&tb, (uint8_t[]){0, 0, 0, 1}, 4);
	tb_bytes(&tb, "\\_SB_", 6);
	tb_close16(&tb, at);
	at = tb.n; /* 0x9e: a type this parser does not know */
	tb_u16(&tb, 0x20);
	tb_u16(&tb, 12);
	tb_u64(&tb, 0);
	at = tb_atsr_satc(&tb, ACPI_DMAR_TYPE_SIDP, 0, 0); /* 0xaa */
	at = tb_atsr_satc(&tb, ACPI_DMAR_TYPE_ATSR, ACPI_ATSR_ALL_PORTS, 0);
	tb_scope(&tb, ACPI_DMAR_SCOPE_BRIDGE, 0, 0, 1, DEVFN(2, 0));
	tb_close16(&tb, at);
	assert_int_equal(fake_parse_tb(&tb, info), 0);
	assert_log("ACPI: DMAR: ANDD at offset 0x90 skipped");
	assert_log(
		"ACPI: DMAR: unknown structure type 32 at offset 0x9e (length 12) skipped");
	assert_log("ACPI: DMAR: SIDP at offset 0xaa skipped");
	assert_int_equal(info->dmar.ndrhd, 1);
	assert_int_equal(info->dmar.nsatc, 1);
	assert_int_equal(info->dmar.satc[0].flags, ACPI_SATC_ATC_REQUIRED);
	assert_scope(&info->dmar.satc[0].scopes.scope[0],
		     ACPI_DMAR_SCOPE_ENDPOINT, 0, 0, 2, 0);
	assert_int_equal(info->dmar.natsr, 1);
	assert_int_equal(info->dmar.atsr[0].flags, ACPI_ATSR_ALL_PORTS);
	assert_int_equal(acpi_cmd_dmar(info), 0);
	assert_console("ATSR 0: segment 0000 flags 0x1 (ALL_PORTS)\n"
		       "  bridge 00:02.0 (sub-hierarchy)\n"
		       "SATC 0: segment 0000 flags 0x1 (ATC_REQUIRED)\n"
		       "  endpoint 00:02.0\n");
}

/* ---- malformed structures --------------------------------------------- */

static void test_zero_length_structure(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	tb_fixture(&tb, "dmar_qemu");
	tb_u16(&tb, ACPI_DMAR_TYPE_ATSR);
	tb_u16(&tb, 0);
	tb_atsr_satc(&tb, ACPI_DMAR_TYPE_ATSR, 1, 0);
	assert_int_equal(fake_parse_tb(&tb, info), 1);
	assert_log(
		"ACPI: DMAR: structure at offset 0x80 has length 0, rest of table ignored");
	assert_int_equal(stub_log_count(), 1);
	assert_int_equal(info->dmar.ndrhd, 1);
	assert_int_equal(info->dmar.drhd[0].scopes.count, 8);
	assert_int_equal(info->dmar.natsr, 0);
}

static void test_structure_overflow(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	tb_fixture(&tb, "dmar_qemu");
	tb_u16(&tb, ACPI_DMAR_TYPE_ATSR);
	tb_u16(&tb, 0x40);
	tb_u32(&tb, 0);
	assert_int_equal(fake_parse_tb(&tb, info), 1);
	assert_log(
		"ACPI: DMAR: structure at offset 0x80 (length 64) runs past the end of the table, rest of table ignored");
	assert_int_equal(info->dmar.ndrhd, 1);
	assert_int_equal(info->dmar.natsr, 0);

	/* The DRHD itself overflowing: nothing can be trusted. */
	fake_reset();
	stub_log_reset();
	tb_fixture(&tb, "dmar_qemu");
	tb.b[0x32] = 0x60;
	assert_int_equal(fake_parse_tb(&tb, info), 1);
	assert_log(
		"ACPI: DMAR: structure at offset 0x30 (length 96) runs past the end of the table, rest of table ignored");
	assert_true(info->dmar.present);
	assert_int_equal(info->dmar.ndrhd, 0);
}

static void test_structure_truncated(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	tb_fixture(&tb, "dmar_qemu");
	tb_u16(&tb, ACPI_DMAR_TYPE_ATSR);
	assert_int_equal(fake_parse_tb(&tb, info), 1);
	assert_log(
		"ACPI: DMAR: structure at offset 0x80 is truncated, rest of table ignored");
	assert_int_equal(info->dmar.ndrhd, 1);
	assert_int_equal(info->dmar.drhd[0].scopes.count, 8);
}

static void test_structure_shorter_than_header(void **state)
{
	struct acpi_info *info = fake_info();
	size_t at;

	(void)state;
	dmar_header();
	tb_u16(&tb, ACPI_DMAR_TYPE_DRHD);
	tb_u16(&tb, 12);
	tb_u64(&tb, 0xfed90000);
	at = tb_atsr_satc(&tb, ACPI_DMAR_TYPE_ATSR, 0, 0);
	tb_scope(&tb, ACPI_DMAR_SCOPE_BRIDGE, 0, 0, 1, DEVFN(0x1c, 0));
	tb_close16(&tb, at);
	assert_int_equal(fake_parse_tb(&tb, info), 1);
	assert_log(
		"ACPI: DMAR: DRHD at offset 0x30 has length 12, shorter than its 16-byte header, skipped");
	assert_int_equal(info->dmar.ndrhd, 0);
	assert_int_equal(info->dmar.natsr, 1);
	assert_int_equal(info->dmar.atsr[0].scopes.count, 1);
}

static void test_table_shorter_than_header(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	tb_fixture(&tb, "dmar_qemu");
	tb.n = 40;
	assert_int_equal(fake_parse_tb(&tb, info), 1);
	assert_log(
		"ACPI: DMAR: table length 40 is shorter than its 48-byte header, table ignored");
	assert_false(info->dmar.present);
	assert_int_equal(acpi_cmd_dmar(info), -HV_ENOENT);
	assert_console(
		"DMAR table at 0x7fff0000 was rejected, see the log (DMA remapping unavailable)");
}

static void test_bad_checksum(void **state)
{
	struct acpi_info *info = fake_info();
	uint64_t addr = FAKE_TABLE(0);
	uint8_t *p;

	(void)state;
	tb_fixture(&tb, "dmar_qemu");
	p = tb_place(&tb, addr);
	p[0x40]++;
	assert_int_equal(acpi_parse(info, fake_rsdp_xsdt(&addr, 1)), 1);
	assert_log(
		"ACPI: DMAR: bad checksum (table at 0x7fff0000), table ignored");
	assert_false(info->dmar.present);
	assert_int_equal(info->ntables, 2);
	assert_false(info->table[1].checksum_ok);
}

static void test_no_dmar(void **state)
{
	struct acpi_info *info = fake_info();
	static const char *const tables[] = {"madt"};

	(void)state;
	assert_int_equal(acpi_parse(info, fake_platform(tables, 1)), 0);
	assert_int_equal(acpi_cmd_dmar(info), -HV_ENOENT);
	assert_console("no DMAR table (DMA remapping unavailable)");
	assert_int_equal(acpi_cmd_dmar(NULL), -HV_ENOENT);
}

static void test_drhd_bad_base(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	dmar_header();
	tb_drhd(&tb, 0, 0, 0);
	tb_drhd(&tb, 0, 0, ~0ull);
	tb_drhd(&tb, 0, 0, 0xfed90800);
	tb_drhd(&tb, 1, 0, 0xfed91000);
	assert_int_equal(fake_parse_tb(&tb, info), 3);
	assert_log(
		"ACPI: DMAR: DRHD at offset 0x30 has register base 0x0, unit ignored");
	assert_log(
		"ACPI: DMAR: DRHD at offset 0x40 has register base 0xffffffffffffffff, unit ignored");
	assert_log(
		"ACPI: DMAR: DRHD at offset 0x50 has register base 0xfed90800, unit ignored");
	assert_int_equal(info->dmar.ndrhd, 1);
	assert_int_equal(info->dmar.drhd[0].reg_base, 0xfed91000);
}

static void test_second_include_all(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	dmar_header();
	tb_drhd(&tb, 1, 0, 0xfed90000);
	tb_drhd(&tb, 1, 1, 0xfed91000);
	tb_drhd(&tb, 1, 0, 0xfed92000);
	assert_int_equal(fake_parse_tb(&tb, info), 1);
	assert_log(
		"ACPI: DMAR: DRHD at offset 0x50 is a second INCLUDE_PCI_ALL unit for segment 0000, unit ignored");
	assert_int_equal(info->dmar.ndrhd, 2);
	assert_int_equal(info->dmar.drhd[1].segment, 1);
}

static void test_rmrr_bad_range(void **state)
{
	struct acpi_info *info = fake_info();
	size_t at;

	(void)state;
	dmar_header();
	tb_rmrr(&tb, 0, 0x80000000, 0x7fffffff);
	tb_rmrr(&tb, 0, 0x80000010, 0x80000fff);
	tb_rmrr(&tb, 0, 0x80000000, 0x80000ffe);
	at = tb_rmrr(&tb, 0, 0x80000000, 0x80000fff);
	tb_scope(&tb, ACPI_DMAR_SCOPE_ENDPOINT, 0, 0, 1, DEVFN(0x14, 0));
	tb_close16(&tb, at);
	assert_int_equal(fake_parse_tb(&tb, info), 3);
	assert_log(
		"ACPI: DMAR: RMRR at offset 0x30 has range 0x80000000-0x7fffffff, region ignored");
	assert_log(
		"ACPI: DMAR: RMRR at offset 0x48 has range 0x80000010-0x80000fff, region ignored");
	assert_log(
		"ACPI: DMAR: RMRR at offset 0x60 has range 0x80000000-0x80000ffe, region ignored");
	assert_int_equal(info->dmar.nrmrr, 1);
	assert_int_equal(info->dmar.rmrr[0].scopes.count, 1);
}

static void test_too_many_drhds(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	dmar_header();
	for (unsigned i = 0; i < 20; i++)
		tb_drhd(&tb, 0, 0, 0xfed00000 + i * 0x1000);
	tb_rmrr(&tb, 0, 0x80000000, 0x80000fff);
	assert_int_equal(fake_parse_tb(&tb, info), 1);
	assert_log(
		"ACPI: DMAR: more than 16 DRHDs, DRHD at offset 0x130 and later ones ignored");
	assert_int_equal(stub_log_count(), 1);
	assert_int_equal(info->dmar.ndrhd, ACPI_MAX_DRHD);
	assert_int_equal(info->dmar.drhd[15].reg_base, 0xfed0f000);
	assert_int_equal(info->dmar.nrmrr, 1);
}

/* ---- malformed device scopes ------------------------------------------ */

/* A DRHD at 0x30 whose first scope (endpoint 00:01.0) is at 0x40. */
static size_t drhd_with_one_scope(void)
{
	size_t at;

	dmar_header();
	at = tb_drhd(&tb, 0, 0, 0xfed90000);
	tb_scope(&tb, ACPI_DMAR_SCOPE_ENDPOINT, 0, 0, 1, DEVFN(1, 0));
	return at;
}

/* An RMRR after the DRHD, to show the walk goes on. */
static void add_rmrr(void)
{
	size_t at = tb_rmrr(&tb, 0, 0x80000000, 0x80000fff);

	tb_scope(&tb, ACPI_DMAR_SCOPE_ENDPOINT, 0, 0, 1, DEVFN(0x14, 0));
	tb_close16(&tb, at);
}

static void test_scope_zero_length(void **state)
{
	struct acpi_info *info = fake_info();
	size_t at = drhd_with_one_scope();

	(void)state;
	tb_bytes(&tb, (uint8_t[8]){ACPI_DMAR_SCOPE_ENDPOINT, 0}, 8);
	tb_scope(&tb, ACPI_DMAR_SCOPE_ENDPOINT, 0, 0, 1, DEVFN(3, 0));
	tb_close16(&tb, at);
	add_rmrr();
	assert_int_equal(fake_parse_tb(&tb, info), 1);
	assert_log(
		"ACPI: DMAR: device scope at offset 0x48 has length 0, rest of its DRHD ignored");
	assert_int_equal(info->dmar.ndrhd, 1);
	assert_int_equal(info->dmar.drhd[0].scopes.count, 1);
	assert_int_equal(info->dmar.drhd[0].scopes.dropped, 1);
	assert_int_equal(info->dmar.nrmrr, 1);
	assert_int_equal(info->dmar.rmrr[0].scopes.count, 1);
	assert_int_equal(acpi_cmd_dmar(info), 0);
	assert_console("  endpoint 00:01.0\n"
		       "  (1 device scopes left out, see the log)\n"
		       "RMRR 0:");
}

static void test_scope_runs_past_structure(void **state)
{
	struct acpi_info *info = fake_info();
	size_t at = drhd_with_one_scope();

	(void)state;
	tb_bytes(&tb, (uint8_t[8]){ACPI_DMAR_SCOPE_ENDPOINT, 16}, 8);
	tb_close16(&tb, at);
	at = tb_rmrr(&tb, 0, 0x80000000, 0x80000fff);
	tb_scope(&tb, ACPI_DMAR_SCOPE_ENDPOINT, 0, 0, 1, DEVFN(0x14, 0));
	tb_u32(&tb, 0); /* 4 bytes: less than a scope header */
	tb_close16(&tb, at);
	assert_int_equal(fake_parse_tb(&tb, info), 2);
	assert_log(
		"ACPI: DMAR: device scope at offset 0x48 runs past its DRHD, scope ignored");
	assert_log(
		"ACPI: DMAR: device scope at offset 0x70 runs past its RMRR, scope ignored");
	assert_int_equal(info->dmar.drhd[0].scopes.count, 1);
	assert_int_equal(info->dmar.nrmrr, 1);
	assert_int_equal(info->dmar.rmrr[0].scopes.count, 1);
	assert_int_equal(info->dmar.rmrr[0].scopes.dropped, 1);
}

static void test_scope_odd_path(void **state)
{
	struct acpi_info *info = fake_info();
	size_t at = drhd_with_one_scope();

	(void)state;
	tb_bytes(&tb, (uint8_t[9]){ACPI_DMAR_SCOPE_ENDPOINT, 9, 0, 0, 0, 0, 2},
		 9);
	tb_scope(&tb, ACPI_DMAR_SCOPE_ENDPOINT, 0, 0, 1, DEVFN(3, 0));
	tb_close16(&tb, at);
	add_rmrr();
	assert_int_equal(fake_parse_tb(&tb, info), 1);
	assert_log(
		"ACPI: DMAR: device scope at offset 0x48 has an odd path length (3 bytes), scope ignored");
	assert_int_equal(info->dmar.drhd[0].scopes.count, 2);
	assert_int_equal(info->dmar.drhd[0].scopes.dropped, 1);
	assert_int_equal(info->dmar.drhd[0].scopes.scope[1].path[0].dev, 3);
	assert_int_equal(info->dmar.nrmrr, 1);
}

static void test_scope_path_hops(void **state)
{
	struct acpi_info *info = fake_info();
	size_t at = drhd_with_one_scope();
	const struct acpi_dmar_scope *s;

	(void)state;
	tb_scope(&tb, ACPI_DMAR_SCOPE_ENDPOINT, 0, 0, 0);
	tb_scope(&tb, ACPI_DMAR_SCOPE_ENDPOINT, 0, 0, 9, 1, 2, 3, 4, 5, 6, 7, 8,
		 9);
	tb_scope(&tb, ACPI_DMAR_SCOPE_ENDPOINT, 0, 0, 8, DEVFN(0x1c, 0),
		 DEVFN(0, 0), DEVFN(1, 0), DEVFN(2, 0), DEVFN(3, 0),
		 DEVFN(4, 0), DEVFN(5, 0), DEVFN(6, 7));
	tb_close16(&tb, at);
	assert_int_equal(fake_parse_tb(&tb, info), 2);
	assert_log(
		"ACPI: DMAR: device scope at offset 0x48 has a path of 0 hops (1 to 8 supported), scope ignored");
	assert_log(
		"ACPI: DMAR: device scope at offset 0x4e has a path of 9 hops (1 to 8 supported), scope ignored");
	assert_int_equal(info->dmar.drhd[0].scopes.count, 2);
	s = &info->dmar.drhd[0].scopes.scope[1];
	assert_int_equal(s->path_len, 8);
	assert_int_equal(s->path[7].dev, 6);
	assert_int_equal(s->path[7].fn, 7);
	assert_int_equal(acpi_cmd_dmar(info), 0);
	assert_console(
		"  endpoint 00:1c.0/00.0/01.0/02.0/03.0/04.0/05.0/06.7\n");
}

static void test_scope_unknown_type(void **state)
{
	struct acpi_info *info = fake_info();
	size_t at = drhd_with_one_scope();

	(void)state;
	tb_scope(&tb, 7, 0, 0, 1, DEVFN(5, 0));
	tb_scope(&tb, ACPI_DMAR_SCOPE_NAMESPACE, 1, 0, 1, DEVFN(0x15, 1));
	tb_close16(&tb, at);
	assert_int_equal(fake_parse_tb(&tb, info), 0);
	assert_log(
		"ACPI: DMAR: device scope at offset 0x48 has unknown type 7, skipped");
	assert_int_equal(info->dmar.drhd[0].scopes.count, 2);
	assert_int_equal(info->dmar.drhd[0].scopes.dropped, 1);
	assert_int_equal(acpi_cmd_dmar(info), 0);
	assert_console("  namespace id 1 00:15.1\n");
}

static void test_too_many_scopes(void **state)
{
	struct acpi_info *info = fake_info();
	size_t at;

	(void)state;
	dmar_header();
	at = tb_drhd(&tb, 0, 0, 0xfed90000);
	for (int i = 0; i < 70; i++)
		tb_scope(&tb, ACPI_DMAR_SCOPE_ENDPOINT, 0, (uint8_t)(i / 32), 1,
			 DEVFN(i % 32, 0));
	tb_close16(&tb, at);
	add_rmrr();
	assert_int_equal(fake_parse_tb(&tb, info), 1);
	assert_log(
		"ACPI: DMAR: DRHD at offset 0x30 has more than 64 device scopes, scope at offset 0x240 and later ones ignored");
	assert_int_equal(stub_log_count(), 1);
	assert_int_equal(info->dmar.drhd[0].scopes.count, ACPI_MAX_SCOPES);
	assert_int_equal(info->dmar.drhd[0].scopes.dropped, 6);
	assert_int_equal(info->dmar.nrmrr, 1);
}

#define T(f) cmocka_unit_test_setup(f, fake_setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_qemu_q35),
		T(test_multi),
		T(test_include_pci_all),
		T(test_satc_and_skipped_types),
		T(test_zero_length_structure),
		T(test_structure_overflow),
		T(test_structure_truncated),
		T(test_structure_shorter_than_header),
		T(test_table_shorter_than_header),
		T(test_bad_checksum),
		T(test_no_dmar),
		T(test_drhd_bad_base),
		T(test_second_include_all),
		T(test_rmrr_bad_range),
		T(test_too_many_drhds),
		T(test_scope_zero_length),
		T(test_scope_runs_past_structure),
		T(test_scope_odd_path),
		T(test_scope_path_hops),
		T(test_scope_unknown_type),
		T(test_too_many_scopes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
