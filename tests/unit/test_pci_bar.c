// SPDX-License-Identifier: MIT
/* BAR sizing: kinds, sizes, and what the procedure leaves behind. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "drivers/pci/cfg.h"
#include "drivers/pci/enum.h"
#include "drivers/pci/pci_regs.h"
#include "fakecfg.h"
#include "stub_log.h"

#define SBDF   PCI_SBDF(0, 0, 4, 0)
#define MEM64  (PCI_BASE_ADDRESS_MEM_TYPE_64 << 1)
#define PREF   PCI_BASE_ADDRESS_MEM_PREFETCH
#define IO     PCI_BASE_ADDRESS_SPACE_IO
#define DECODE (PCI_COMMAND_IO | PCI_COMMAND_MEMORY)

static struct fake_fn *fn;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	stub_log_reset();
	fn = fake_add(SBDF, 0x8086, 0x10d3, 0x020000, 0);
	return 0;
}

static struct pci_dev *probe(void)
{
	fake_install();
	assert_int_equal(pci_enumerate(&pci_devices), 0);
	assert_int_equal(pci_devices.count, 1);
	return &pci_devices.dev[0];
}

static void expect_bar(const struct pci_dev *d, unsigned i,
		       enum pci_bar_kind kind, bool pref, uint64_t base,
		       uint64_t size)
{
	assert_int_equal(d->bar[i].kind, kind);
	assert_int_equal(d->bar[i].prefetchable, pref);
	assert_int_equal(d->bar[i].base, base);
	assert_int_equal(d->bar[i].size, size);
}

static void test_kinds(void **state)
{
	uint32_t before[6];
	struct pci_dev *d;
	(void)state;
	fake_set_bar(fn, 0, 0, 0x1000, 0xfebf0000);
	/* Slot 1 unimplemented (hardwired to 0). */
	fake_set_bar(fn, 2, MEM64 | PREF, 0x4000, 0x800000000ull);
	fake_set_bar(fn, 4, IO, 0x20, 0xc040);
	fake_set_bar(fn, 5, 0, 0, 0);
	for (unsigned i = 0; i < 6; i++)
		before[i] =
			fake_r32(fn, (uint16_t)(PCI_BASE_ADDRESS_0 + 4 * i));
	d = probe();
	assert_int_equal(d->nbars, 6);
	expect_bar(d, 0, PCI_BAR_MEM32, false, 0xfebf0000, 0x1000);
	expect_bar(d, 1, PCI_BAR_NONE, false, 0, 0);
	expect_bar(d, 2, PCI_BAR_MEM64, true, 0x800000000ull, 0x4000);
	expect_bar(d, 3, PCI_BAR_NONE, false, 0, 0); /* upper half */
	expect_bar(d, 4, PCI_BAR_IO, false, 0xc040, 0x20);
	expect_bar(d, 5, PCI_BAR_NONE, false, 0, 0);
	/* Every BAR holds its old value again. */
	for (unsigned i = 0; i < 6; i++)
		assert_int_equal(
			fake_r32(fn, (uint16_t)(PCI_BASE_ADDRESS_0 + 4 * i)),
			before[i]);
	assert_int_equal(stub_log_count(), 1);
}

static void test_command_restored(void **state)
{
	uint16_t cmd = PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
		       PCI_COMMAND_MASTER | PCI_COMMAND_SERR;
	uint16_t status = 0xf900 | PCI_STATUS_CAP_LIST;
	(void)state;
	fake_set_bar(fn, 0, 0, 0x1000, 0xfebf0000);
	fake_set_bar(fn, 1, IO, 0x100, 0xd000);
	fake_w16(fn, PCI_COMMAND, cmd);
	/* Error bits set: a 32-bit write of command would clear them. */
	fake_w16(fn, PCI_STATUS, status);
	probe();
	assert_int_equal(fake_r16(fn, PCI_COMMAND), cmd);
	assert_int_equal(fake_r16(fn, PCI_STATUS), status);
	/* All-ones never reached a BAR while decode was on. */
	assert_int_equal(fake_decode_violations(), 0);
	assert_int_equal(fn->odd_writes, 0);
	/* 6 BARs x (ones + restore) + command off + command back. */
	assert_int_equal(fn->writes, 14);
}

static void test_decode_already_off(void **state)
{
	(void)state;
	fake_set_bar(fn, 0, 0, 0x1000, 0xfebf0000);
	fake_w16(fn, PCI_COMMAND, PCI_COMMAND_MASTER);
	probe();
	assert_int_equal(fake_r16(fn, PCI_COMMAND), PCI_COMMAND_MASTER);
	assert_int_equal(fn->writes, 12); /* BARs only */
}

/* A host bridge keeps decoding: it may carry the CPU's RAM accesses. */
static void test_host_bridge_keeps_decode(void **state)
{
	struct fake_fn *hb;
	(void)state;
	fake_reset();
	hb = fake_add(PCI_SBDF(0, 0, 0, 0), 0x8086, 0x29c0, 0x060000, 0);
	fake_w16(hb, PCI_COMMAND, PCI_COMMAND_MEMORY);
	fake_install();
	assert_int_equal(pci_enumerate(&pci_devices), 0);
	assert_int_equal(fake_r16(hb, PCI_COMMAND), PCI_COMMAND_MEMORY);
	assert_int_equal(hb->writes, 12);
}

static void test_large_64bit(void **state)
{
	struct pci_dev *d;
	(void)state;
	fake_set_bar(fn, 0, MEM64, 8ull << 30, 0x4000000000ull);
	fake_set_bar(fn, 2, MEM64 | PREF, 1ull << 40, 0x10000000000ull);
	d = probe();
	expect_bar(d, 0, PCI_BAR_MEM64, false, 0x4000000000ull, 8ull << 30);
	expect_bar(d, 2, PCI_BAR_MEM64, true, 0x10000000000ull, 1ull << 40);
}

/* I/O BARs whose upper 16 bits are hardwired to zero still size right. */
static void test_io_16bit(void **state)
{
	struct pci_dev *d;
	(void)state;
	fake_set_bar(fn, 0, IO, 0x40, 0xe000);
	fn->bar_mask[0] &= 0xffff;
	d = probe();
	expect_bar(d, 0, PCI_BAR_IO, false, 0xe000, 0x40);
}

static void test_32bit_prefetchable(void **state)
{
	struct pci_dev *d;
	(void)state;
	fake_set_bar(fn, 3, PREF, 0x100000, 0xf0000000);
	d = probe();
	expect_bar(d, 3, PCI_BAR_MEM32, true, 0xf0000000, 0x100000);
}

static void test_64bit_in_last_slot(void **state)
{
	struct pci_dev *d;
	(void)state;
	fake_set_bar(fn, 5, 0, 0x1000, 0xfe000000);
	fake_w32(fn, PCI_BASE_ADDRESS_5, 0xfe000000 | MEM64);
	d = probe();
	expect_bar(d, 5, PCI_BAR_NONE, false, 0, 0);
	assert_true(stub_log_contains(
		"PCI 0000:00:04.0: BAR 5 ignored: 64-bit BAR in the last slot"));
}

static void test_reserved_type(void **state)
{
	struct pci_dev *d;
	(void)state;
	fake_set_bar(fn, 0, 6, 0x1000, 0xfe000000);
	d = probe();
	expect_bar(d, 0, PCI_BAR_NONE, false, 0, 0);
	assert_true(stub_log_contains(
		"PCI 0000:00:04.0: BAR 0 ignored: reserved memory type"));
}

/* Bridges have two BARs; their bus numbers are not touched. */
static void test_bridge_bars(void **state)
{
	struct fake_fn *br;
	struct pci_dev *d;
	(void)state;
	fake_reset();
	br = fake_add_bridge(PCI_SBDF(0, 0, 1, 0), 1, 1);
	fake_set_bar(br, 0, 0, 0x1000, 0xfe800000);
	fake_set_bar(br, 1, 0, 0x2000, 0xfe802000);
	fake_w32(br, PCI_PRIMARY_BUS, 0x00010100);
	fake_w16(br, PCI_COMMAND, PCI_COMMAND_MEMORY);
	fake_install();
	assert_int_equal(pci_enumerate(&pci_devices), 0);
	d = &pci_devices.dev[0];
	assert_int_equal(d->nbars, 2);
	expect_bar(d, 0, PCI_BAR_MEM32, false, 0xfe800000, 0x1000);
	expect_bar(d, 1, PCI_BAR_MEM32, false, 0xfe802000, 0x2000);
	assert_int_equal(fake_r32(br, PCI_PRIMARY_BUS), 0x00010100);
	assert_int_equal(br->writes, 6); /* 2 BARs x 2 + command x 2 */
	assert_int_equal(fake_decode_violations(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_kinds, setup),
		cmocka_unit_test_setup(test_command_restored, setup),
		cmocka_unit_test_setup(test_decode_already_off, setup),
		cmocka_unit_test_setup(test_host_bridge_keeps_decode, setup),
		cmocka_unit_test_setup(test_large_64bit, setup),
		cmocka_unit_test_setup(test_io_16bit, setup),
		cmocka_unit_test_setup(test_32bit_prefetchable, setup),
		cmocka_unit_test_setup(test_64bit_in_last_slot, setup),
		cmocka_unit_test_setup(test_reserved_type, setup),
		cmocka_unit_test_setup(test_bridge_bars, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
