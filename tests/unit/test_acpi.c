// SPDX-License-Identifier: MIT
/*
 * ACPI parser: RSDP, XSDT/RSDT, table checks, MADT, MCFG, FADT and \_S5,
 * and the `acpi` command output. Tables come from iasl fixtures
 * (tests/unit/acpi/) placed in fake physical memory, some corrupted on
 * purpose. Every malformed case checks the exact log line and that the
 * valid parts around it were still parsed.
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

static struct tb tb;

/* ---- the QEMU q35 platform as a whole --------------------------------- */

static void place_qemu(void)
{
	static const char *const tables[] = {"facp", "madt", "mcfg",
					     "dmar_qemu"};
	size_t len;
	const uint8_t *dsdt = fixture("dsdt_qemu", &len);

	fake_place(FAKE_DSDT, dsdt, len);
	fake_platform(tables, 4);
}

static void test_qemu_platform(void **state)
{
	struct acpi_info *info = fake_info();
	static const char *const sigs[] = {"XSDT", "FACP", "DSDT",
					   "APIC", "MCFG", "DMAR"};

	(void)state;
	place_qemu();
	assert_int_equal(acpi_parse(info, FAKE_RSDP), 0);
	assert_ptr_equal(acpi, info);
	assert_int_equal(info->rsdp, FAKE_RSDP);
	assert_int_equal(info->xsdt, FAKE_XSDT);
	assert_int_equal(info->ntables, 6);
	for (unsigned i = 0; i < 6; i++) {
		assert_string_equal(info->table[i].sig, sigs[i]);
		assert_true(info->table[i].checksum_ok);
		assert_string_equal(info->table[i].oem_id, "BOCHS ");
		assert_string_equal(info->table[i].oem_table_id, "BXPC    ");
	}
	assert_int_equal(info->table[1].phys, FAKE_TABLE(0));
	assert_int_equal(info->table[1].length, 244);
	assert_int_equal(info->table[1].revision, 3);
	assert_int_equal(info->table[2].phys, FAKE_DSDT);
	assert_ptr_equal(acpi_find(info, "DMAR"), &info->table[5]);
	assert_null(acpi_find(info, "SSDT"));
	assert_int_equal(info->ncpus, 5);
	assert_int_equal(info->nioapics, 2);
	assert_int_equal(info->necam, 2);
	assert_true(info->fadt.present);
	assert_true(info->fadt.s5_valid);
	assert_true(info->dmar.present);
	assert_int_equal(info->dmar.ndrhd, 1);
}

static void test_cmd_list(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	place_qemu();
	assert_int_equal(acpi_parse(info, FAKE_RSDP), 0);
	assert_int_equal(acpi_cmd_list(info), 0);
	assert_console("RSDP 0x00000000000f5a80\n");
	assert_console(
		"XSDT 0x000000007ffe0000 len      68 rev   1 oem BOCHS  table BXPC     checksum ok\n");
	assert_console(
		"FACP 0x000000007fff0000 len     244 rev   3 oem BOCHS  table BXPC     checksum ok\n");
	assert_console(
		"DSDT 0x000000007ffd0000 len      87 rev   1 oem BOCHS  table BXPC     checksum ok\n");
	assert_console(
		"DMAR 0x000000007fff6000 len     128 rev   1 oem BOCHS  table BXPC     checksum ok\n");
	assert_console(
		"summary: cpus 5 (3 enabled), ioapics 2, ecam 2, dmar yes, poweroff yes (pm1a_cnt 0x604 pm1b_cnt 0x0 s5 0/0), reset yes (io 0xcf9 value 0xf)\n");
}

static void test_cmd_list_bad_and_empty(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	assert_int_equal(acpi_cmd_list(NULL), -HV_ENOENT);
	assert_console("no ACPI tables (no usable RSDP)");
	place_qemu();
	/* The DMAR with a wrong checksum is listed as BAD, not parsed. */
	tb_fixture(&tb, "dmar_qemu");
	tb.b[100] ^= 0x40;
	tb_place(&tb, FAKE_TABLE(3));
	assert_int_equal(acpi_parse(info, FAKE_RSDP), 1);
	assert_int_equal(acpi_cmd_list(info), 0);
	assert_console(
		"DMAR 0x000000007fff6000 len     128 rev   1 oem BOCHS  table BXPC     checksum BAD\n");
	assert_console("dmar no, poweroff yes");
}

/* ---- RSDP ------------------------------------------------------------- */

static void test_rsdp_unmapped(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	assert_int_equal(acpi_parse(info, FAKE_RSDP), 1);
	assert_log("ACPI: RSDP at 0xf5a80 cannot be mapped, no ACPI tables");
	assert_int_equal(info->ntables, 0);
}

static void test_rsdp_bad_signature(void **state)
{
	struct acpi_info *info = fake_info();
	uint8_t *r;

	(void)state;
	place_qemu();
	r = (uint8_t *)acpi_map(FAKE_RSDP, 36);
	r[0] = 'X';
	assert_int_equal(acpi_parse(info, FAKE_RSDP), 1);
	assert_log("ACPI: RSDP at 0xf5a80 has a bad signature, no ACPI tables");
	assert_int_equal(info->ntables, 0);
	assert_int_equal(info->ncpus, 0);
}

static void test_rsdp_bad_checksum(void **state)
{
	struct acpi_info *info = fake_info();
	uint8_t *r;

	(void)state;
	place_qemu();
	r = (uint8_t *)acpi_map(FAKE_RSDP, 36);
	r[8]++;
	assert_int_equal(acpi_parse(info, FAKE_RSDP), 1);
	assert_log("ACPI: RSDP at 0xf5a80 has a bad checksum, no ACPI tables");
	assert_int_equal(info->ntables, 0);
}

static void test_rsdp_bad_extended_checksum(void **state)
{
	struct acpi_info *info = fake_info();
	uint8_t *r;

	(void)state;
	place_qemu();
	r = (uint8_t *)acpi_map(FAKE_RSDP, 36);
	r[33] = 1; /* reserved, outside the first 20 bytes */
	assert_int_equal(acpi_parse(info, FAKE_RSDP), 1);
	assert_log(
		"ACPI: RSDP at 0xf5a80 has a bad extended checksum, no ACPI tables");
	assert_int_equal(info->ntables, 0);
}

static void test_rsdp_bad_length(void **state)
{
	struct acpi_info *info = fake_info();
	struct acpi_rsdp *r;

	(void)state;
	place_qemu();
	r = (struct acpi_rsdp *)acpi_map(FAKE_RSDP, 36);
	r->length = 4096; /* more than was placed */
	assert_int_equal(acpi_parse(info, FAKE_RSDP), 1);
	assert_log("ACPI: RSDP at 0xf5a80 cannot be mapped, no ACPI tables");
	r->length = 20;
	stub_log_reset();
	assert_int_equal(acpi_parse(info, FAKE_RSDP), 1);
	assert_log("ACPI: RSDP at 0xf5a80 has a bad length, no ACPI tables");
}

/* ACPI 1.0: revision 0 RSDP, 32-bit RSDT entries. */
static void test_rsdt_v1(void **state)
{
	struct acpi_info *info = fake_info();
	uint64_t addrs[2] = {FAKE_TABLE(0), FAKE_TABLE(1)};

	(void)state;
	fake_place_fixture(FAKE_TABLE(0), "madt");
	fake_place_fixture(FAKE_TABLE(1), "dmar_qemu");
	fake_root(FAKE_RSDT, "RSDT", addrs, 2);
	fake_rsdp(0, FAKE_RSDT, 0);
	assert_int_equal(acpi_parse(info, FAKE_RSDP), 0);
	assert_int_equal(info->xsdt, FAKE_RSDT);
	assert_int_equal(info->ntables, 3);
	assert_string_equal(info->table[0].sig, "RSDT");
	assert_int_equal(info->ncpus, 5);
	assert_true(info->dmar.present);
}

static void test_xsdt_bad_falls_back_to_rsdt(void **state)
{
	struct acpi_info *info = fake_info();
	uint64_t addr = FAKE_TABLE(0);
	uint8_t *x;

	(void)state;
	fake_place_fixture(FAKE_TABLE(0), "madt");
	x = fake_root(FAKE_XSDT, "XSDT", &addr, 1);
	x[9]++;
	fake_root(FAKE_RSDT, "RSDT", &addr, 1);
	fake_rsdp(2, FAKE_RSDT, FAKE_XSDT);
	assert_int_equal(acpi_parse(info, FAKE_RSDP), 1);
	assert_log(
		"ACPI: XSDT: bad checksum (table at 0x7ffe0000), table ignored");
	assert_log("ACPI: using the RSDT at 0x7ffe0800 instead");
	assert_int_equal(info->xsdt, FAKE_RSDT);
	assert_int_equal(info->ncpus, 5);
	/* Both roots are listed; the XSDT as BAD. */
	assert_int_equal(info->ntables, 3);
	assert_false(info->table[0].checksum_ok);
	assert_string_equal(info->table[1].sig, "RSDT");
}

static void test_xsdt_wrong_signature(void **state)
{
	struct acpi_info *info = fake_info();
	uint64_t addr = FAKE_TABLE(0);

	(void)state;
	fake_place_fixture(FAKE_TABLE(0), "madt");
	fake_root(FAKE_XSDT, "RSDT", &addr, 1);
	fake_rsdp(2, 0, FAKE_XSDT);
	assert_int_equal(acpi_parse(info, FAKE_RSDP), 2);
	assert_log(
		"ACPI: RSDP: XSDT at 0x7ffe0000 is RSDT, expected XSDT, skipped");
	assert_log("ACPI: RSDP at 0xf5a80 gives no usable RSDT or XSDT");
	assert_int_equal(info->ntables, 0);
}

static void test_xsdt_trailing_bytes(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	tb.n = 0;
	tb_fixture(&tb, "madt");
	tb_place(&tb, FAKE_TABLE(0));
	tb.n = 0;
	tb_bytes(&tb, "XSDT", 4);
	tb_bytes(&tb, (uint8_t[32]){0}, 32);
	tb_u64(&tb, FAKE_TABLE(0));
	tb_u32(&tb, 0x12345678);
	tb_finish(&tb);
	tb_place(&tb, FAKE_XSDT);
	fake_rsdp(2, 0, FAKE_XSDT);
	assert_int_equal(acpi_parse(info, FAKE_RSDP), 1);
	assert_log("ACPI: XSDT: length 48 leaves 4 trailing bytes, ignored");
	assert_int_equal(info->ncpus, 5);
}

/* ---- table checks ----------------------------------------------------- */

/*
 * An XSDT whose entries are: unmappable, null, a bad signature, a short
 * length, an absurd length, a truncated table, a bad checksum, then a good
 * MADT. Each bad entry gives its own line; the MADT is still parsed.
 */
static void test_table_checks(void **state)
{
	struct acpi_info *info = fake_info();
	uint64_t addrs[9] = {0x12340000,    0,
			     FAKE_TABLE(2), FAKE_TABLE(3),
			     FAKE_TABLE(4), FAKE_TABLE(5),
			     FAKE_TABLE(6), FAKE_TABLE(7),
			     FAKE_TABLE(8)};
	struct acpi_sdt_header *h;
	size_t len;
	const uint8_t *madt = fixture("madt", &len);

	(void)state;
	h = (void *)fake_place(FAKE_TABLE(2), madt, len);
	memcpy(h->signature, "AP\001C", 4);
	h = (void *)fake_place(FAKE_TABLE(3), madt, len);
	h->length = 20;
	h = (void *)fake_place(FAKE_TABLE(4), madt, len);
	h->length = 0x7fffffff;
	h = (void *)fake_place(FAKE_TABLE(5), madt, len);
	h->length = (uint32_t)len + 100; /* runs past what is mapped */
	h = (void *)fake_place_fixture(FAKE_TABLE(6), "mcfg");
	h->oem_revision++; /* bad checksum now */
	fake_place(FAKE_TABLE(7), madt, len);
	h = (void *)fake_place(FAKE_TABLE(8), madt, len);
	h->oem_id[0] = '\n';
	fake_checksum((uint8_t *)h);
	assert_int_equal(acpi_parse(info, fake_rsdp_xsdt(addrs, 9)), 8);
	assert_log(
		"ACPI: XSDT: entry 0 at 0x12340000 cannot be mapped, skipped");
	assert_log("ACPI: XSDT: entry 1 is null, skipped");
	assert_log(
		"ACPI: XSDT: entry 2 at 0x7fff4000 has an invalid signature 41 50 01 43, skipped");
	assert_log("ACPI: APIC: table at 0x7fff6000 has length 20, skipped");
	assert_log(
		"ACPI: APIC: table at 0x7fff8000 has length 2147483647, skipped");
	assert_log(
		"ACPI: APIC: table at 0x7fffa000 (length 254) cannot be mapped, skipped");
	assert_log(
		"ACPI: MCFG: bad checksum (table at 0x7fffc000), table ignored");
	assert_log(
		"ACPI: APIC: another table at 0x80000000, ignored (the first one is used)");
	assert_int_equal(stub_log_count(), 8);
	/* The XSDT, the BAD MCFG, the two MADTs. */
	assert_int_equal(info->ntables, 4);
	assert_string_equal(info->table[1].sig, "MCFG");
	assert_false(info->table[1].checksum_ok);
	assert_int_equal(info->necam, 0);
	assert_string_equal(info->table[3].oem_id, "?OCHS ");
	assert_int_equal(info->ncpus, 5);
}

/* The same table listed twice is listed once, parsed once. */
static void test_same_table_twice(void **state)
{
	struct acpi_info *info = fake_info();
	uint64_t addrs[2] = {FAKE_TABLE(0), FAKE_TABLE(0)};

	(void)state;
	fake_place_fixture(FAKE_TABLE(0), "madt");
	assert_int_equal(acpi_parse(info, fake_rsdp_xsdt(addrs, 2)), 1);
	assert_log(
		"ACPI: APIC: another table at 0x7fff0000, ignored (the first one is used)");
	assert_int_equal(info->ntables, 2);
	assert_int_equal(info->ncpus, 5);
}

static void test_too_many_tables(void **state)
{
	struct acpi_info *info = fake_info();
	uint64_t addrs[70];
	size_t len;
	const uint8_t *p = fixture("mcfg", &len);

	(void)state;
	for (unsigned i = 0; i < 70; i++) {
		addrs[i] = FAKE_TABLE(i);
		fake_place(FAKE_TABLE(i), p, len);
	}
	/* Table 0 is the only MCFG parsed; the others are duplicates. */
	assert_int_equal(acpi_parse(info, fake_rsdp_xsdt(addrs, 70)), 62);
	assert_log("ACPI: XSDT: lists 70 tables, only the first 62 are read");
	assert_int_equal(info->ntables, 63);
	assert_int_equal(info->necam, 2);
}

/* ---- MADT ------------------------------------------------------------- */

static void test_madt(void **state)
{
	struct acpi_info *info = fake_info();
	static const struct acpi_cpu want[] = {
		{0, 0, true, false},	 {1, 1, true, false},
		{2, 2, false, false},	 {3, 3, false, true},
		{0x100, 4, true, false},
	};

	(void)state;
	tb_fixture(&tb, "madt");
	assert_int_equal(fake_parse_tb(&tb, info), 0);
	assert_int_equal(info->ncpus, 5);
	for (unsigned i = 0; i < 5; i++) {
		assert_int_equal(info->cpu[i].apic_id, want[i].apic_id);
		assert_int_equal(info->cpu[i].uid, want[i].uid);
		assert_int_equal(info->cpu[i].enabled, want[i].enabled);
		assert_int_equal(info->cpu[i].online_capable,
				 want[i].online_capable);
	}
	assert_int_equal(info->nioapics, 2);
	assert_int_equal(info->ioapic[0].id, 0);
	assert_int_equal(info->ioapic[0].addr, 0xfec00000);
	assert_int_equal(info->ioapic[0].gsi_base, 0);
	assert_int_equal(info->ioapic[1].id, 1);
	assert_int_equal(info->ioapic[1].addr, 0xfec01000);
	assert_int_equal(info->ioapic[1].gsi_base, 24);
	/* The override (type 5) wins over the header's address. */
	assert_int_equal(info->lapic_addr, 0xfee10000);
}

/* The first 4 LAPIC entries of the fixture, then test-specific bytes. */
static void madt_prefix(void)
{
	tb_fixture(&tb, "madt");
	tb.n = 0x4c;
}

static void add_lapic(uint8_t id)
{
	tb_bytes(&tb, (uint8_t[]){0, 8, id, id, 1, 0, 0, 0}, 8);
}

static void test_madt_unknown_subtables_skipped(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	madt_prefix();
	tb_bytes(&tb, (uint8_t[]){0x7f, 4, 0, 0}, 4);
	tb_bytes(&tb, (uint8_t[20]){0x0b, 20}, 20);
	add_lapic(9);
	assert_int_equal(fake_parse_tb(&tb, info), 0);
	assert_log("ACPI: APIC: subtable type 127 at offset 0x4c skipped");
	assert_log("ACPI: APIC: subtable type 11 at offset 0x50 skipped");
	assert_int_equal(info->ncpus, 5);
	assert_int_equal(info->cpu[4].apic_id, 9);
}

static void test_madt_zero_length(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	madt_prefix();
	tb_bytes(&tb, (uint8_t[]){1, 0}, 2);
	add_lapic(9);
	assert_int_equal(fake_parse_tb(&tb, info), 1);
	assert_log(
		"ACPI: APIC: subtable at offset 0x4c has length 0, rest of table ignored");
	assert_int_equal(info->ncpus, 4);
}

static void test_madt_overrun(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	madt_prefix();
	tb_bytes(&tb, (uint8_t[]){1, 12, 0, 0, 0, 0}, 6);
	assert_int_equal(fake_parse_tb(&tb, info), 1);
	assert_log(
		"ACPI: APIC: subtable at offset 0x4c (length 12) runs past the end of the table, rest of table ignored");
	assert_int_equal(info->ncpus, 4);
	assert_int_equal(info->nioapics, 0);
}

static void test_madt_truncated_header(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	madt_prefix();
	tb_u8(&tb, 0);
	assert_int_equal(fake_parse_tb(&tb, info), 1);
	assert_log(
		"ACPI: APIC: subtable at offset 0x4c is truncated, rest of table ignored");
	assert_int_equal(info->ncpus, 4);
}

static void test_madt_short_subtable(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	madt_prefix();
	tb_bytes(&tb, (uint8_t[]){0, 6, 7, 7, 1, 0}, 6);
	tb_bytes(&tb, (uint8_t[]){9, 8, 0, 0, 1, 0, 0, 0}, 8);
	add_lapic(9);
	assert_int_equal(fake_parse_tb(&tb, info), 2);
	assert_log(
		"ACPI: APIC: type 0 subtable at offset 0x4c has length 6, expected 8, skipped");
	assert_log(
		"ACPI: APIC: type 9 subtable at offset 0x52 has length 8, expected 16, skipped");
	assert_int_equal(info->ncpus, 5);
	assert_int_equal(info->cpu[4].apic_id, 9);
}

static void test_madt_too_many_cpus(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	tb_fixture(&tb, "madt");
	tb.n = sizeof(struct acpi_madt_table);
	for (uint32_t i = 0; i < 300; i++) {
		struct acpi_madt_local_x2apic x = {
			{ACPI_MADT_TYPE_LOCAL_X2APIC, sizeof(x)},
			0,
			i,
			ACPI_MADT_ENABLED,
			i};

		tb_bytes(&tb, &x, sizeof(x));
	}
	tb_bytes(&tb, (uint8_t[]){1, 12, 5, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0},
		 12);
	assert_int_equal(fake_parse_tb(&tb, info), 1);
	assert_log(
		"ACPI: APIC: more than 256 processors, the entry at offset 0x102c and later ones are ignored");
	assert_int_equal(stub_log_count(), 1);
	assert_int_equal(info->ncpus, ACPI_MAX_CPUS);
	assert_int_equal(info->cpu[255].apic_id, 255);
	/* What follows the extra CPUs is still read. */
	assert_int_equal(info->nioapics, 1);
	assert_int_equal(info->ioapic[0].id, 5);
}

static void test_madt_too_short(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	tb_fixture(&tb, "madt");
	tb.n = 40;
	assert_int_equal(fake_parse_tb(&tb, info), 1);
	assert_log(
		"ACPI: APIC: table length 40 is shorter than its 44-byte header, table ignored");
	assert_int_equal(info->ncpus, 0);
}

/* ---- MCFG ------------------------------------------------------------- */

static void test_mcfg(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	tb_fixture(&tb, "mcfg");
	assert_int_equal(fake_parse_tb(&tb, info), 0);
	assert_int_equal(info->necam, 2);
	assert_int_equal(info->ecam[0].base, 0xb0000000);
	assert_int_equal(info->ecam[0].segment, 0);
	assert_int_equal(info->ecam[0].bus_start, 0);
	assert_int_equal(info->ecam[0].bus_end, 0xff);
	assert_int_equal(info->ecam[1].base, 0x4000000000);
	assert_int_equal(info->ecam[1].segment, 1);
	assert_int_equal(info->ecam[1].bus_start, 0x80);
	assert_int_equal(info->ecam[1].bus_end, 0xff);
}

static void add_mcfg(uint64_t base, uint16_t seg, uint8_t start, uint8_t end)
{
	struct acpi_mcfg_allocation a = {base, seg, start, end, 0};

	tb_bytes(&tb, &a, sizeof(a));
}

static void test_mcfg_bad_entries(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	tb_fixture(&tb, "mcfg");
	tb.n = 0x3c; /* the first entry only */
	add_mcfg(0xc0000000, 2, 0x10, 0x0f);
	add_mcfg(0xc0000010, 3, 0, 0);
	add_mcfg(0, 4, 0, 0);
	add_mcfg(0xfffffffffff00000, 5, 0, 1);
	add_mcfg(0xd0000000, 6, 0, 7);
	tb_bytes(&tb, "abc", 3);
	assert_int_equal(fake_parse_tb(&tb, info), 5);
	assert_log(
		"ACPI: MCFG: entry at offset 0x3c has bus range 10-0f, skipped");
	assert_log(
		"ACPI: MCFG: entry at offset 0x4c has base address 0xc0000010, skipped");
	assert_log(
		"ACPI: MCFG: entry at offset 0x5c has base address 0x0, skipped");
	assert_log(
		"ACPI: MCFG: entry at offset 0x6c has base address 0xfffffffffff00000, skipped");
	assert_log("ACPI: MCFG: entry at offset 0x8c is truncated, ignored");
	assert_int_equal(info->necam, 2);
	assert_int_equal(info->ecam[1].segment, 6);
	assert_int_equal(info->ecam[1].bus_end, 7);
}

static void test_mcfg_too_many(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	tb_fixture(&tb, "mcfg");
	tb.n = sizeof(struct acpi_mcfg_table);
	for (uint16_t i = 0; i < 20; i++)
		add_mcfg(0xc0000000 + ((uint64_t)i << 28), i, 0, 0xff);
	assert_int_equal(fake_parse_tb(&tb, info), 1);
	assert_log(
		"ACPI: MCFG: more than 16 entries, the entry at offset 0x12c and later ones are ignored");
	assert_int_equal(info->necam, ACPI_MAX_ECAM);
	assert_int_equal(info->ecam[15].segment, 15);
}

/* ---- FADT and \_S5 ------------------------------------------------------ */

static int parse_fadt(struct acpi_info *info, const char *dsdt)
{
	size_t len;

	tb_fixture(&tb, "facp");
	if (dsdt) {
		const uint8_t *p = fixture(dsdt, &len);

		fake_place(FAKE_DSDT, p, len);
	}
	return fake_parse_tb(&tb, info);
}

static void test_fadt_s5_byte_and_zero(void **state)
{
	struct acpi_info *info = fake_info();
	const struct acpi_fadt *f = &info->fadt;

	(void)state;
	assert_int_equal(parse_fadt(info, "dsdt_s5"), 0);
	assert_true(f->present);
	assert_int_equal(f->flags, 0x84a5);
	assert_int_equal(f->dsdt, FAKE_DSDT);
	assert_int_equal(f->pm1a_cnt, 0x604);
	assert_int_equal(f->pm1b_cnt, 0);
	assert_true(f->reset_supported);
	assert_int_equal(f->reset_reg.space, ACPI_GAS_IO);
	assert_int_equal(f->reset_reg.bit_width, 8);
	assert_int_equal(f->reset_reg.access_size, 1);
	assert_int_equal(f->reset_reg.address, 0xcf9);
	assert_int_equal(f->reset_value, 0xf);
	assert_true(f->s5_valid);
	assert_int_equal(f->s5_slp_typa, 5);
	assert_int_equal(f->s5_slp_typb, 0);
	assert_int_equal(info->ntables, 3);
	assert_string_equal(info->table[2].sig, "DSDT");
}

static void test_fadt_s5_qemu_zeros(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	assert_int_equal(parse_fadt(info, "dsdt_qemu"), 0);
	assert_true(info->fadt.s5_valid);
	assert_int_equal(info->fadt.s5_slp_typa, 0);
	assert_int_equal(info->fadt.s5_slp_typb, 0);
}

static void test_fadt_s5_one_in_root_scope(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	assert_int_equal(parse_fadt(info, "dsdt_s5_one"), 0);
	assert_true(info->fadt.s5_valid);
	assert_int_equal(info->fadt.s5_slp_typa, 1);
	assert_int_equal(info->fadt.s5_slp_typb, 7);
}

static void test_fadt_no_s5(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	assert_int_equal(parse_fadt(info, "dsdt_nos5"), 0);
	assert_log(
		"ACPI: DSDT: no \\_S5 package, poweroff through ACPI unavailable");
	assert_false(info->fadt.s5_valid);
	assert_true(info->fadt.reset_supported);
	assert_int_equal(acpi_cmd_list(info), 0);
	assert_console(
		"poweroff no (no \\_S5), reset yes (io 0xcf9 value 0xf)");
}

/* A DSDT built by hand around an AML fragment. */
static void place_dsdt(const uint8_t *aml, size_t n)
{
	static struct tb d;

	tb_fixture(&d, "dsdt_nos5");
	d.n = sizeof(struct acpi_sdt_header);
	tb_bytes(&d, aml, n);
	tb_finish(&d);
	tb_place(&d, FAKE_DSDT);
}

static void test_fadt_s5_bare_bytes(void **state)
{
	struct acpi_info *info = fake_info();
	static const uint8_t aml[] = {0x08, '_',  'S',	'5',  '_',  0x12,
				      0x06, 0x04, 0x05, 0x03, 0x00, 0x00};

	(void)state;
	place_dsdt(aml, sizeof(aml));
	assert_int_equal(parse_fadt(info, NULL), 0);
	assert_true(info->fadt.s5_valid);
	assert_int_equal(info->fadt.s5_slp_typa, 5);
	assert_int_equal(info->fadt.s5_slp_typb, 3);
}

static void test_fadt_s5_word_and_single(void **state)
{
	struct acpi_info *info = fake_info();
	/* \_S5 with a WordConst first; then a 1-element package. */
	static const uint8_t word[] = {0x08, 0x5c, '_',	 'S',  '5',
				       '_',  0x12, 0x07, 0x02, 0x0b,
				       0x06, 0x00, 0x0a, 0x02};
	static const uint8_t single[] = {0x08, '_',  'S',  '5',	 '_',
					 0x12, 0x04, 0x01, 0x0a, 0x04};

	(void)state;
	place_dsdt(word, sizeof(word));
	assert_int_equal(parse_fadt(info, NULL), 0);
	assert_true(info->fadt.s5_valid);
	assert_int_equal(info->fadt.s5_slp_typa, 6);
	assert_int_equal(info->fadt.s5_slp_typb, 2);
	fake_reset();
	place_dsdt(single, sizeof(single));
	assert_int_equal(parse_fadt(info, NULL), 0);
	assert_int_equal(info->fadt.s5_slp_typa, 4);
	assert_int_equal(info->fadt.s5_slp_typb, 0);
}

static void test_fadt_s5_malformed(void **state)
{
	struct acpi_info *info = fake_info();
	/* PkgLength says 0x20 bytes, the table ends after 6. */
	static const uint8_t past[] = {0x08, '_',  'S',	 '5',  '_',
				       0x12, 0x20, 0x02, 0x0a, 0x05};
	/* An element that is no integer (a String). */
	static const uint8_t str[] = {0x08, '_',  'S',	'5', '_', 0x12,
				      0x05, 0x02, 0x0d, 'a', 0x00};
	/* SLP_TYP 9 does not fit the 3-bit field. */
	static const uint8_t big[] = {0x08, '_',  'S',	'5',  '_', 0x12,
				      0x05, 0x02, 0x0a, 0x09, 0x00};
	/* The name at the very end: no room for the package. */
	static const uint8_t end[] = {0x08, '_', 'S', '5', '_'};
	/* A DWordConst cut by the end of the package. */
	static const uint8_t cut[] = {0x08, '_',  'S',	'5',  '_',  0x12,
				      0x04, 0x02, 0x0c, 0x05, 0x00, 0x00};

	(void)state;
	place_dsdt(past, sizeof(past));
	assert_int_equal(parse_fadt(info, NULL), 1);
	assert_log(
		"ACPI: DSDT: \\_S5 package at offset 0x29 is malformed, ignored");
	assert_false(info->fadt.s5_valid);
	fake_reset();
	place_dsdt(str, sizeof(str));
	assert_int_equal(parse_fadt(info, NULL), 1);
	assert_false(info->fadt.s5_valid);
	fake_reset();
	place_dsdt(big, sizeof(big));
	assert_int_equal(parse_fadt(info, NULL), 1);
	assert_false(info->fadt.s5_valid);
	fake_reset();
	place_dsdt(cut, sizeof(cut));
	assert_int_equal(parse_fadt(info, NULL), 1);
	assert_false(info->fadt.s5_valid);
	fake_reset();
	stub_log_reset();
	place_dsdt(end, sizeof(end));
	assert_int_equal(parse_fadt(info, NULL), 0);
	assert_log("ACPI: DSDT: no \\_S5 package");
	assert_false(info->fadt.s5_valid);
}

static void test_fadt_dsdt_problems(void **state)
{
	struct acpi_info *info = fake_info();
	uint8_t *d;

	(void)state;
	assert_int_equal(parse_fadt(info, NULL), 1);
	assert_log("ACPI: FACP: DSDT at 0x7ffd0000 cannot be mapped, skipped");
	assert_true(info->fadt.present);
	assert_int_equal(info->fadt.pm1a_cnt, 0x604);
	assert_false(info->fadt.s5_valid);

	fake_reset();
	d = fake_place_fixture(FAKE_DSDT, "dsdt_s5");
	d[40] ^= 1;
	assert_int_equal(parse_fadt(info, NULL), 1);
	assert_log(
		"ACPI: DSDT: bad checksum (table at 0x7ffd0000), table ignored");
	assert_false(info->fadt.s5_valid);
	assert_false(acpi_find(info, "DSDT")->checksum_ok);

	fake_reset();
	d = fake_place_fixture(FAKE_DSDT, "madt");
	assert_int_equal(parse_fadt(info, NULL), 1);
	assert_log(
		"ACPI: FACP: DSDT at 0x7ffd0000 is APIC, expected DSDT, skipped");
}

/* An ACPI 1.0 FADT: 116 bytes, no reset register, no X_ fields. */
static void test_fadt_v1(void **state)
{
	struct acpi_info *info = fake_info();
	struct acpi_fadt_table *f = (void *)tb.b;

	(void)state;
	fake_place_fixture(FAKE_DSDT, "dsdt_s5");
	tb_fixture(&tb, "facp");
	tb.n = ACPI_FADT_V1_LENGTH;
	f->header.revision = 1;
	f->pm1a_cnt_blk = 0x404;
	assert_int_equal(fake_parse_tb(&tb, info), 0);
	assert_true(info->fadt.present);
	assert_int_equal(info->fadt.pm1a_cnt, 0x404);
	assert_false(info->fadt.reset_supported);
	assert_int_equal(info->fadt.reset_reg.address, 0);
	assert_int_equal(info->fadt.dsdt, FAKE_DSDT);
	assert_true(info->fadt.s5_valid);
}

/* X_PM1a_CNT_BLK supersedes PM1a_CNT_BLK; a length cut inside X_DSDT. */
static void test_fadt_x_fields(void **state)
{
	struct acpi_info *info = fake_info();
	struct acpi_fadt_table *f = (void *)tb.b;

	(void)state;
	fake_place_fixture(FAKE_DSDT, "dsdt_s5");
	tb_fixture(&tb, "facp");
	f->pm1a_cnt_blk = 0x404;
	f->x_pm1b_cnt_blk.space_id = ACPI_GAS_IO;
	f->x_pm1b_cnt_blk.address = 0x10000;
	f->dsdt = 0;
	assert_int_equal(fake_parse_tb(&tb, info), 1);
	assert_log(
		"ACPI: FACP: PM1b_CNT_BLK 0x10000 is not an I/O port, ignored");
	assert_int_equal(info->fadt.pm1a_cnt, 0x604);
	assert_int_equal(info->fadt.pm1b_cnt, 0);
	assert_int_equal(info->fadt.dsdt, FAKE_DSDT);

	fake_reset();
	stub_log_reset();
	tb_fixture(&tb, "facp");
	tb.n = offsetof(struct acpi_fadt_table, x_dsdt) + 4;
	f->dsdt = 0;
	assert_int_equal(fake_parse_tb(&tb, info), 1);
	assert_log("ACPI: FACP: no DSDT address, \\_S5 unknown");
	assert_true(info->fadt.reset_supported);
}

static void test_fadt_too_short(void **state)
{
	struct acpi_info *info = fake_info();

	(void)state;
	tb_fixture(&tb, "facp");
	tb.n = 100;
	assert_int_equal(fake_parse_tb(&tb, info), 1);
	assert_log(
		"ACPI: FACP: table length 100 is shorter than the 116 bytes of ACPI 1.0, table ignored");
	assert_false(info->fadt.present);
}

#define T(f) cmocka_unit_test_setup(f, fake_setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_qemu_platform),
		T(test_cmd_list),
		T(test_cmd_list_bad_and_empty),
		T(test_rsdp_unmapped),
		T(test_rsdp_bad_signature),
		T(test_rsdp_bad_checksum),
		T(test_rsdp_bad_extended_checksum),
		T(test_rsdp_bad_length),
		T(test_rsdt_v1),
		T(test_xsdt_bad_falls_back_to_rsdt),
		T(test_xsdt_wrong_signature),
		T(test_xsdt_trailing_bytes),
		T(test_table_checks),
		T(test_same_table_twice),
		T(test_too_many_tables),
		T(test_madt),
		T(test_madt_unknown_subtables_skipped),
		T(test_madt_zero_length),
		T(test_madt_overrun),
		T(test_madt_truncated_header),
		T(test_madt_short_subtable),
		T(test_madt_too_many_cpus),
		T(test_madt_too_short),
		T(test_mcfg),
		T(test_mcfg_bad_entries),
		T(test_mcfg_too_many),
		T(test_fadt_s5_byte_and_zero),
		T(test_fadt_s5_qemu_zeros),
		T(test_fadt_s5_one_in_root_scope),
		T(test_fadt_no_s5),
		T(test_fadt_s5_bare_bytes),
		T(test_fadt_s5_word_and_single),
		T(test_fadt_s5_malformed),
		T(test_fadt_dsdt_problems),
		T(test_fadt_v1),
		T(test_fadt_x_fields),
		T(test_fadt_too_short),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
