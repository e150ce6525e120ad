// SPDX-License-Identifier: MIT
/*
 * VT-d fault reading on a minimal fake register file that behaves like
 * QEMU 7.2's intel-iommu: records written at CAP.FRO * 16, FSTS.PPF the OR
 * of the F bits, FSTS.FRI set when PPF rises, F and the FSTS error bits
 * write-1-to-clear, a full next register or a set PFO drops the fault
 * (setting PFO), and a pending record from the same source id swallows
 * new faults (QEMU's "compression of faults").
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "drivers/iommu/intel/fault.h"
#include "kernel/errno.h"
#include "stub_log.h"

#define FAKE_SIZE 0x1000
#define FAKE_WLOG 64
#define QEMU_FRO  0x22 /* QEMU: records at 0x220 */

/* FSTS bits software may clear (RW1CS in the spec). */
#define FSTS_W1C                                                     \
	(VTD_FSTS_PFO | VTD_FSTS_AFO | VTD_FSTS_APF | VTD_FSTS_IQE | \
	 VTD_FSTS_ICE | VTD_FSTS_ITE)

struct fake_write {
	unsigned off, size;
	uint64_t v;
};

static struct fake_vtd {
	uint8_t regs[FAKE_SIZE];
	unsigned frcd, nfr, next; /* next: register the next fault goes to */
	bool collapse;
	unsigned reads32, reads64, lo_reads, hi_reads, writes, bad;
	struct fake_write wlog[FAKE_WLOG];
	unsigned nwlog;
	unsigned recorded, lost, collapsed, pfo_cleared;
} fk;

static struct vtd_fault_unit fu;
static struct fault_ring ring;

static uint32_t get32(unsigned off)
{
	uint32_t v;
	memcpy(&v, fk.regs + off, 4);
	return v;
}

static void put32(unsigned off, uint32_t v)
{
	memcpy(fk.regs + off, &v, 4);
}

static uint64_t get64(unsigned off)
{
	uint64_t v;
	memcpy(&v, fk.regs + off, 8);
	return v;
}

static void put64(unsigned off, uint64_t v)
{
	memcpy(fk.regs + off, &v, 8);
}

static bool in_frcd(unsigned off)
{
	return off >= fk.frcd && off < fk.frcd + fk.nfr * 16;
}

/* 64-bit registers here: CAP, ECAP and the recording registers. */
static bool is64(unsigned off)
{
	return off == VTD_CAP_REG || off == VTD_ECAP_REG || in_frcd(off);
}

static void fake_update_ppf(void)
{
	uint32_t fsts = get32(VTD_FSTS_REG) & ~(uint32_t)VTD_FSTS_PPF;

	for (unsigned i = 0; i < fk.nfr; i++)
		if (get64(fk.frcd + i * 16 + 8) & VTD_FRCD_F)
			fsts |= VTD_FSTS_PPF;
	put32(VTD_FSTS_REG, fsts);
}

static void fake_log_write(unsigned off, unsigned size, uint64_t v)
{
	fk.writes++;
	if (fk.nwlog < FAKE_WLOG)
		fk.wlog[fk.nwlog++] = (struct fake_write){off, size, v};
}

static uint32_t fake_read32(void *ctx, unsigned off)
{
	assert_ptr_equal(ctx, &fk);
	fk.reads32++;
	if (off % 4 || off + 4 > FAKE_SIZE || is64(off)) {
		fk.bad++;
		return 0;
	}
	return get32(off);
}

static uint64_t fake_read64(void *ctx, unsigned off)
{
	assert_ptr_equal(ctx, &fk);
	fk.reads64++;
	if (off % 8 || off + 8 > FAKE_SIZE || !is64(off)) {
		fk.bad++;
		return 0;
	}
	if (in_frcd(off))
		(off - fk.frcd) % 16 ? fk.hi_reads++ : fk.lo_reads++;
	return get64(off);
}

static void fake_write32(void *ctx, unsigned off, uint32_t v)
{
	assert_ptr_equal(ctx, &fk);
	fake_log_write(off, 4, v);
	if (off % 4 || off + 4 > FAKE_SIZE || is64(off)) {
		fk.bad++;
		return;
	}
	if (off != VTD_FSTS_REG) {
		put32(off, v);
		return;
	}
	/* PPF and FRI are read-only; the error bits clear on 1. */
	if (v & get32(off) & VTD_FSTS_PFO)
		fk.pfo_cleared++;
	put32(off, get32(off) & ~(v & FSTS_W1C));
}

static void fake_write64(void *ctx, unsigned off, uint64_t v)
{
	assert_ptr_equal(ctx, &fk);
	fake_log_write(off, 8, v);
	if (off % 8 || off + 8 > FAKE_SIZE || !is64(off)) {
		fk.bad++;
		return;
	}
	if (!in_frcd(off)) {
		put64(off, v);
		return;
	}
	/* Low half read-only; in the high half only F (write 1 to clear). */
	if ((off - fk.frcd) % 16)
		put64(off, get64(off) & ~(v & VTD_FRCD_F));
	fake_update_ppf();
}

static const struct vtd_mmio fake_mmio = {
	.read32 = fake_read32,
	.read64 = fake_read64,
	.write32 = fake_write32,
	.write64 = fake_write64,
	.ctx = &fk,
};

/* High half of a record without F. */
static uint64_t rec_hi(uint16_t sid, uint8_t reason, bool is_write)
{
	return FIELD_PREP(VTD_FRCD_SID, sid) | FIELD_PREP(VTD_FRCD_FR, reason) |
	       (is_write ? 0 : VTD_FRCD_T);
}

/* A fault arrives, as QEMU's vtd_report_dmar_fault handles it. */
static bool fake_inject(uint64_t hi, uint64_t addr)
{
	uint32_t fsts = get32(VTD_FSTS_REG);
	unsigned slot = fk.frcd + fk.next * 16;

	if (fsts & VTD_FSTS_PFO) {
		fk.lost++;
		return false;
	}
	for (unsigned i = 0; fk.collapse && i < fk.nfr; i++) {
		uint64_t h = get64(fk.frcd + i * 16 + 8);

		if ((h & VTD_FRCD_F) && (uint16_t)h == (uint16_t)hi) {
			fk.collapsed++;
			return false;
		}
	}
	if (get64(slot + 8) & VTD_FRCD_F) {
		put32(VTD_FSTS_REG, fsts | VTD_FSTS_PFO);
		fk.lost++;
		return false;
	}
	put64(slot, addr & VTD_FRCD_FI);
	put64(slot + 8, hi | VTD_FRCD_F);
	if (!(fsts & VTD_FSTS_PPF))
		put32(VTD_FSTS_REG,
		      (fsts & ~(uint32_t)VTD_FSTS_FRI) |
			      (uint32_t)FIELD_PREP(VTD_FSTS_FRI, fk.next));
	fk.next = (fk.next + 1) % fk.nfr;
	fake_update_ppf();
	fk.recorded++;
	return true;
}

static uint64_t fake_cap(unsigned fro, unsigned nfr)
{
	return FIELD_PREP(VTD_CAP_FRO, fro) | FIELD_PREP(VTD_CAP_NFR, nfr - 1) |
	       FIELD_PREP(VTD_CAP_SAGAW, 4) | FIELD_PREP(VTD_CAP_MGAW, 47);
}

/* A fresh fake with nfr registers at QEMU's offset, and the unit on it. */
static void fake_setup(unsigned nfr, bool collapse)
{
	uint64_t cap = fake_cap(QEMU_FRO, nfr);

	memset(&fk, 0, sizeof(fk));
	fk.frcd = QEMU_FRO * 16;
	fk.nfr = nfr;
	fk.collapse = collapse;
	put64(VTD_CAP_REG, cap);
	put32(VTD_FECTL_REG, (uint32_t)VTD_FECTL_IM);
	fault_ring_clear(&ring);
	assert_int_equal(vtd_fault_init(&fu, &fake_mmio, 0, 0, cap, FAKE_SIZE),
			 0);
	stub_log_reset();
	stub_console_reset();
}

static void reset_counts(void)
{
	fk.reads32 = fk.reads64 = fk.lo_reads = fk.hi_reads = 0;
	fk.writes = fk.nwlog = 0;
}

static int setup_qemu(void **state)
{
	(void)state;
	fake_setup(1, true);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(fk.bad, 0); /* every access had the right width */
	return 0;
}

static void assert_write(unsigned i, unsigned off, unsigned size, uint64_t v)
{
	assert_true(i < fk.nwlog);
	assert_int_equal(fk.wlog[i].off, off);
	assert_int_equal(fk.wlog[i].size, size);
	assert_int_equal(fk.wlog[i].v, v);
}

/* ---- init ---------------------------------------------------------- */

static void test_init_qemu_layout(void **state)
{
	(void)state;
	assert_int_equal(fu.frcd, 0x220);
	assert_int_equal(fu.nfr, 1);
	assert_int_equal(fk.writes, 0); /* init touches no register */
}

static void test_init_rejects_bad_offsets(void **state)
{
	struct vtd_fault_unit u;
	(void)state;
	/* FRO 0 would put records over VER and CAP. */
	assert_int_equal(
		vtd_fault_init(&u, &fake_mmio, 1, 0, fake_cap(0, 1), FAKE_SIZE),
		-HV_EINVAL);
	assert_true(stub_log_contains("VT-d: unit 1: 1 fault recording "
				      "registers at 0x0 do not fit"));
	/* 256 registers at 0xf00 run past a 4 KiB register set. */
	assert_int_equal(vtd_fault_init(&u, &fake_mmio, 1, 0,
					fake_cap(0xf0, 256), FAKE_SIZE),
			 -HV_EINVAL);
	assert_int_equal(vtd_fault_poll(&u, 0, &ring), -HV_EINVAL);
	/* The last register ending exactly at the end is fine. */
	assert_int_equal(vtd_fault_init(&u, &fake_mmio, 1, 0, fake_cap(0xff, 1),
					FAKE_SIZE),
			 0);
	assert_int_equal(u.frcd, 0xff0);
	assert_int_equal(stub_log_count(), 2);
}

/* ---- decoding ---------------------------------------------------------- */

static void test_decode_fields(void **state)
{
	struct iommu_fault f;
	uint64_t hi = FIELD_PREP(VTD_FRCD_SID, 0x1234) |
		      FIELD_PREP(VTD_FRCD_FR, 0x05) | VTD_FRCD_F;
	(void)state;
	/* Bits 11:0 of the low half are reserved: not part of the address. */
	vtd_fault_decode(0x0000123456789fffull, hi, 3, 0x0001, 777, &f);
	assert_int_equal(f.time_us, 777);
	assert_int_equal(f.unit, 3);
	assert_int_equal(PCI_SBDF_SEG(f.sbdf), 1);
	assert_int_equal(PCI_SBDF_BUS(f.sbdf), 0x12);
	assert_int_equal(PCI_SBDF_DEV(f.sbdf), 6); /* 0x34 = 00110 100 */
	assert_int_equal(PCI_SBDF_FN(f.sbdf), 4);
	assert_int_equal(f.addr, 0x0000123456789000ull);
	assert_true(f.is_write); /* T = 0 */
	assert_false(f.is_exec);
	assert_false(f.priv);
	assert_false(f.pasid_present);
	assert_int_equal(f.pasid, 0);
	assert_int_equal(f.reason, 5);
	assert_string_equal(f.reason_str, "write access to a read-only page");

	vtd_fault_decode(0xfffffffffffff000ull, hi | VTD_FRCD_T, 0, 0, 0, &f);
	assert_false(f.is_write); /* T = 1: read */
	assert_int_equal(f.addr, 0xfffffffffffff000ull);

	hi = FIELD_PREP(VTD_FRCD_SID, 0xffff) | FIELD_PREP(VTD_FRCD_FR, 0x82) |
	     VTD_FRCD_PP | FIELD_PREP(VTD_FRCD_PV, 0xabcde) | VTD_FRCD_EXE |
	     VTD_FRCD_PRIV | VTD_FRCD_T | VTD_FRCD_F;
	vtd_fault_decode(0, hi, 0, 0xffff, 0, &f);
	assert_int_equal(f.sbdf, PCI_SBDF(0xffff, 0xff, 0x1f, 7));
	assert_true(f.pasid_present);
	assert_int_equal(f.pasid, 0xabcde); /* all 20 bits */
	assert_true(f.is_exec);
	assert_true(f.priv);
	assert_false(f.is_write);
	assert_int_equal(f.reason, 0x82);

	/* PV is meaningless without PP. */
	vtd_fault_decode(0, hi & ~VTD_FRCD_PP, 0, 0, 0, &f);
	assert_false(f.pasid_present);
	assert_int_equal(f.pasid, 0);
}

/* Every code the spec defines, typed here independently of fault.c. */
static const uint8_t defined_reasons[] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
	0x0c, 0x0d, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x30, 0x31,
	0x32, 0x38, 0x39, 0x3a, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46,
	0x47, 0x48, 0x50, 0x51, 0x52, 0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d,
	0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a,
	0x7b, 0x7c, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x90,
};

static void test_reason_strings(void **state)
{
	bool defined[256] = {false};
	(void)state;
	for (size_t i = 0; i < sizeof(defined_reasons); i++)
		defined[defined_reasons[i]] = true;
	for (unsigned r = 0; r < 256; r++) {
		const char *s = vtd_fault_reason_str((uint8_t)r);
		char want[32];

		assert_non_null(s);
		snprintf(want, sizeof(want), "reserved reason 0x%02x", r);
		if (defined[r]) {
			assert_true(strlen(s) > 10);
			assert_null(strstr(s, "reserved reason"));
			assert_true(r < 0x30 || strncmp(s, "sm: ", 4) == 0);
		} else {
			assert_string_equal(s, want);
		}
	}
	assert_string_equal(vtd_fault_reason_str(0x01),
			    "root entry not present");
	assert_string_equal(vtd_fault_reason_str(0x02),
			    "context entry not present");
	assert_string_equal(vtd_fault_reason_str(0x06),
			    "read access to a page without read permission");
	assert_string_equal(vtd_fault_reason_str(0x58),
			    "sm: error accessing the PASID table entry");
	assert_string_equal(vtd_fault_reason_str(0x5b),
			    "sm: invalid PASID table entry");
	assert_string_equal(vtd_fault_reason_str(0x00), "reserved reason 0x00");
	assert_string_equal(vtd_fault_reason_str(0xff), "reserved reason 0xff");
}

/* ---- polling on QEMU's single register ------------------------------- */

static void test_poll_nothing_pending(void **state)
{
	(void)state;
	reset_counts();
	assert_int_equal(vtd_fault_poll(&fu, 10, &ring), 0);
	assert_int_equal(fk.reads32, 1); /* FSTS only */
	assert_int_equal(fk.reads64, 0);
	assert_int_equal(fk.writes, 0);
	assert_int_equal(ring.total, 0);
	assert_int_equal(stub_log_count(), 0);
}

static void test_poll_one_fault(void **state)
{
	(void)state;
	assert_true(fake_inject(
		rec_hi(PCI_SBDF_RID(PCI_SBDF(0, 0, 3, 0)), 5, true), 0x100000));
	assert_int_equal(get32(VTD_FSTS_REG), VTD_FSTS_PPF); /* FRI 0 */
	reset_counts();
	assert_int_equal(vtd_fault_poll(&fu, 12345678, &ring), 1);
	/* Exactly one write: F back to the high half of register 0. */
	assert_int_equal(fk.nwlog, 1);
	assert_write(0, 0x228, 8, VTD_FRCD_F);
	assert_int_equal(fk.hi_reads, 1);
	assert_int_equal(fk.lo_reads, 1);
	assert_int_equal(get32(VTD_FSTS_REG), 0); /* PPF dropped */
	assert_int_equal(get64(0x228) & VTD_FRCD_F, 0);

	assert_int_equal(fault_ring_count(&ring), 1);
	const struct iommu_fault *f = fault_ring_get(&ring, 0);
	assert_int_equal(f->sbdf, PCI_SBDF(0, 0, 3, 0));
	assert_int_equal(f->addr, 0x100000);
	assert_true(f->is_write);
	assert_int_equal(f->time_us, 12345678);
	assert_string_equal(stub_log_text(),
			    "IOMMU: fault unit 0 0000:00:03.0 write "
			    "0x0000000000100000 reason 0x05 write access to a "
			    "read-only page\n");
	fault_ring_print(&ring);
	assert_non_null(strstr(stub_console_text(),
			       "[   12.345678] unit 0 0000:00:03.0 write "
			       "0x0000000000100000 reason 0x05 write access "
			       "to a read-only page\n"));

	/* Nothing left: the next poll reads FSTS and stops. */
	reset_counts();
	assert_int_equal(vtd_fault_poll(&fu, 12345679, &ring), 0);
	assert_int_equal(fk.reads64, 0);
	assert_int_equal(fk.writes, 0);
}

static void test_poll_pasid_read(void **state)
{
	uint64_t hi = rec_hi(0x0018, 0x59, false) | VTD_FRCD_PP |
		      FIELD_PREP(VTD_FRCD_PV, 0x1);
	(void)state;
	fake_inject(hi, 0x7000);
	assert_int_equal(vtd_fault_poll(&fu, 1, &ring), 1);
	const struct iommu_fault *f = fault_ring_get(&ring, 0);
	assert_false(f->is_write);
	assert_true(f->pasid_present);
	assert_int_equal(f->pasid, 1);
	assert_true(stub_log_contains("unit 0 0000:00:03.0 read "
				      "0x0000000000007000 reason 0x59 sm: "
				      "PASID table entry not present pasid "
				      "0x1\n"));
}

/* Only PFO is written to FSTS; the invalidation error bits stay set. */
static void test_w1c_touches_only_intended_bits(void **state)
{
	uint32_t inv = VTD_FSTS_IQE | VTD_FSTS_ICE | VTD_FSTS_ITE;
	(void)state;
	fake_inject(rec_hi(0x0100, 0x02, true), 0x2000);
	fake_inject(rec_hi(0x0200, 0x02, true), 0x3000); /* full: PFO */
	put32(VTD_FSTS_REG, get32(VTD_FSTS_REG) | inv);
	assert_int_equal(get32(VTD_FSTS_REG),
			 inv | VTD_FSTS_PPF | VTD_FSTS_PFO);
	reset_counts();
	assert_int_equal(vtd_fault_poll(&fu, 5, &ring), 1);
	assert_int_equal(fk.nwlog, 2);
	assert_write(0, 0x228, 8, VTD_FRCD_F);
	assert_write(1, VTD_FSTS_REG, 4, VTD_FSTS_PFO);
	assert_int_equal(get32(VTD_FSTS_REG), inv);
	/* The next poll must not touch FSTS although IQE/ICE/ITE remain. */
	reset_counts();
	assert_int_equal(vtd_fault_poll(&fu, 6, &ring), 0);
	assert_int_equal(fk.writes, 0);
	assert_int_equal(get32(VTD_FSTS_REG), inv);
	/* Other registers were never written. */
	assert_int_equal(get32(VTD_FECTL_REG), VTD_FECTL_IM);
}

/* QEMU: register full -> PFO; while PFO is set every fault is lost. */
static void test_qemu_overflow(void **state)
{
	(void)state;
	assert_true(fake_inject(rec_hi(0x0001, 5, true), 0x1000));
	assert_false(fake_inject(rec_hi(0x0002, 5, true), 0x2000));
	assert_true(get32(VTD_FSTS_REG) & VTD_FSTS_PFO);
	assert_false(fake_inject(rec_hi(0x0003, 5, true), 0x3000));
	assert_int_equal(fk.lost, 2);

	assert_int_equal(vtd_fault_poll(&fu, 100, &ring), 1);
	assert_int_equal(ring.total, 1);
	assert_int_equal(ring.overflow, 1);
	assert_int_equal(fault_ring_get(&ring, 0)->addr, 0x1000);
	assert_int_equal(get32(VTD_FSTS_REG), 0);
	assert_true(stub_log_contains("IOMMU: unit 0 fault records "
				      "overflowed, the hardware dropped "
				      "faults"));
	/* Recording works again after the poll. */
	assert_true(fake_inject(rec_hi(0x0004, 6, false), 0x4000));
	assert_int_equal(vtd_fault_poll(&fu, 200, &ring), 1);
	assert_int_equal(ring.total, 2);
	assert_int_equal(ring.overflow, 1);
	fault_ring_print(&ring);
	assert_non_null(strstr(stub_console_text(),
			       "faults: 2 total, 2 shown, 1 dropped by "
			       "hardware (overflow), 0 not logged\n"));
}

/* QEMU collapses faults of a source id that has a pending record. */
static void test_qemu_collapse(void **state)
{
	(void)state;
	assert_true(fake_inject(rec_hi(0x0018, 5, true), 0x1000));
	assert_false(fake_inject(rec_hi(0x0018, 5, true), 0x2000));
	assert_int_equal(get32(VTD_FSTS_REG) & VTD_FSTS_PFO, 0);
	assert_int_equal(vtd_fault_poll(&fu, 1, &ring), 1);
	assert_int_equal(ring.overflow, 0);
	assert_int_equal(fk.collapsed, 1);
}

/* ---- several registers ------------------------------------------------ */

static void test_poll_wraps_from_fri(void **state)
{
	(void)state;
	fake_setup(8, false);
	fk.next = 5; /* hardware's next slot: records land in 5,6,7,0,1,2 */
	for (unsigned i = 0; i < 6; i++)
		assert_true(fake_inject(rec_hi((uint16_t)(0x100 + i), 5, true),
					(uint64_t)(i + 1) << 12));
	assert_int_equal(FIELD_GET(VTD_FSTS_FRI, get32(VTD_FSTS_REG)), 5);
	reset_counts();
	assert_int_equal(vtd_fault_poll(&fu, 1, &ring), 6);
	for (unsigned i = 0; i < 6; i++)
		assert_int_equal(fault_ring_get(&ring, i)->addr,
				 (uint64_t)(i + 1) << 12);
	/* Cleared in order 5,6,7,0,1,2; FSTS not written (no PFO). */
	static const unsigned order[] = {5, 6, 7, 0, 1, 2};
	assert_int_equal(fk.nwlog, 6);
	for (unsigned i = 0; i < 6; i++)
		assert_write(i, 0x220 + order[i] * 16 + 8, 8, VTD_FRCD_F);
	assert_int_equal(fk.hi_reads, 8); /* each register once, no more */
	assert_int_equal(fk.lo_reads, 6);
	assert_int_equal(get32(VTD_FSTS_REG) & VTD_FSTS_PPF, 0);
}

static void test_poll_is_bounded_and_resumes(void **state)
{
	(void)state;
	fake_setup(32, false);
	for (unsigned i = 0; i < 32; i++)
		assert_true(fake_inject(rec_hi((uint16_t)i, 5, true),
					(uint64_t)i << 12));
	reset_counts();
	assert_int_equal(vtd_fault_poll(&fu, 1, &ring), VTD_FAULT_POLL_MAX);
	assert_int_equal(fk.lo_reads, VTD_FAULT_POLL_MAX);
	assert_true(fk.hi_reads <= 32);
	assert_int_equal(fk.writes, VTD_FAULT_POLL_MAX);
	assert_true(get32(VTD_FSTS_REG) & VTD_FSTS_PPF); /* more pending */

	/* Registers 0-15 are free again: 10 new faults land there, while
	 * FRI still says 0 (PPF never dropped). */
	for (unsigned i = 32; i < 42; i++)
		assert_true(fake_inject(rec_hi((uint16_t)i, 5, true),
					(uint64_t)i << 12));
	assert_int_equal(FIELD_GET(VTD_FSTS_FRI, get32(VTD_FSTS_REG)), 0);
	assert_int_equal(vtd_fault_poll(&fu, 2, &ring), 16); /* 16-31 */
	assert_int_equal(vtd_fault_poll(&fu, 3, &ring), 10); /* 32-41 */
	assert_int_equal(vtd_fault_poll(&fu, 4, &ring), 0);
	assert_int_equal(ring.total, 42);
	for (unsigned i = 0; i < 42; i++)
		assert_int_equal(fault_ring_get(&ring, i)->addr,
				 (uint64_t)i << 12);
	assert_int_equal(get32(VTD_FSTS_REG), 0);
}

static void test_bad_fri_reported_once(void **state)
{
	(void)state;
	fake_inject(rec_hi(0x10, 5, true), 0x1000);
	put32(VTD_FSTS_REG,
	      get32(VTD_FSTS_REG) | (uint32_t)FIELD_PREP(VTD_FSTS_FRI, 0x40));
	assert_int_equal(vtd_fault_poll(&fu, 1, &ring), 1);
	assert_true(stub_log_contains("VT-d: unit 0: fault record index 64 "
				      "beyond 1 registers, scanning from 0"));
	fake_inject(rec_hi(0x10, 5, true), 0x2000);
	put32(VTD_FSTS_REG,
	      get32(VTD_FSTS_REG) | (uint32_t)FIELD_PREP(VTD_FSTS_FRI, 0x40));
	assert_int_equal(vtd_fault_poll(&fu, 2, &ring), 1);
	assert_int_equal(ring.total, 2);
	assert_int_equal(stub_log_count(), 3); /* 2 faults, 1 warning */
}

static void test_dead_unit(void **state)
{
	(void)state;
	put32(VTD_FSTS_REG, 0xffffffffu);
	put64(0x228, ~0ull);
	reset_counts();
	assert_int_equal(vtd_fault_poll(&fu, 1, &ring), -HV_EIO);
	assert_int_equal(vtd_fault_poll(&fu, 2, &ring), -HV_EIO);
	assert_int_equal(fk.writes, 0);
	assert_int_equal(ring.total, 0);
	assert_int_equal(stub_log_count(), 1);
	assert_true(stub_log_contains("VT-d: unit 0: fault status reads all "
				      "ones"));
}

/* ---- storms ----------------------------------------------------------- */

/* Number of lines of the log that start with prefix. */
static int log_lines(const char *prefix)
{
	size_t len = strlen(prefix);
	int n = 0;

	for (const char *p = stub_log_text(); p && *p;) {
		if (strncmp(p, prefix, len) == 0)
			n++;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return n;
}

/*
 * 10,000 faults over five simulated seconds (one per 500 us), polled as
 * they come on QEMU's single register: every fault is read, the log
 * holds 10 lines per second plus one summary per second.
 */
static void test_storm_single_register(void **state)
{
	const unsigned n = 10000, step = 500, per_win = 1000000 / 500;
	int lines_at_window = 0;
	(void)state;
	for (unsigned i = 0; i < n; i++) {
		uint64_t now = (uint64_t)i * step;

		if (i && i % per_win == 0) {
			/* Last window: 10 faults, plus the summary of the
			 * window before it (none before the first). */
			int want = i == per_win ? 10 : 11;
			assert_int_equal(stub_log_count() - lines_at_window,
					 want);
			lines_at_window = stub_log_count();
		}
		assert_true(fake_inject(rec_hi((uint16_t)(i % 256), 5, i % 2),
					(uint64_t)i << 12));
		reset_counts();
		assert_int_equal(vtd_fault_poll(&fu, now, &ring), 1);
		assert_true(fk.reads32 + fk.reads64 <= 3);
		assert_true(fk.writes <= 2);
	}
	/* A quiet poll a second later brings the last summary out. */
	assert_int_equal(vtd_fault_poll(&fu, (uint64_t)n * step, &ring), 0);
	assert_int_equal(log_lines("IOMMU: fault "), 50);
	assert_int_equal(log_lines("IOMMU: 1990 faults not logged in the "
				   "last second"),
			 5);
	assert_int_equal(stub_log_count(), 55);
	assert_int_equal(ring.total, n);
	assert_int_equal(ring.not_logged, n - 50);
	assert_int_equal(ring.overflow, 0);
	assert_int_equal(fault_ring_count(&ring), FAULT_RING_SIZE);
	for (unsigned i = 0; i < FAULT_RING_SIZE; i++) {
		const struct iommu_fault *f = fault_ring_get(&ring, i);
		unsigned k = n - FAULT_RING_SIZE + i;

		assert_int_equal(f->addr, (uint64_t)k << 12);
		assert_int_equal(f->time_us, (uint64_t)k * step);
		assert_int_equal(f->is_write, k % 2 == 1);
	}
}

/*
 * 10,000 faults from many sources on 8 registers over ten simulated
 * seconds, polled only every 40 faults: the hardware drops some (PFO);
 * every recorded fault reaches the ring exactly once, every overflow is
 * counted and cleared, and no poll does more than the bounded work.
 */
static void test_storm_lazy_polling(void **state)
{
	const unsigned n = 10000;
	unsigned polls_with_pfo = 0;
	(void)state;
	fake_setup(8, false);
	for (unsigned i = 0; i < n; i++) {
		fake_inject(rec_hi((uint16_t)i, 5, true), (uint64_t)i << 12);
		if (i % 40 != 39)
			continue;
		bool pfo = get32(VTD_FSTS_REG) & VTD_FSTS_PFO;
		reset_counts();
		int got = vtd_fault_poll(&fu, (uint64_t)i * 1000, &ring);
		assert_true(got >= 0 && got <= VTD_FAULT_POLL_MAX);
		assert_int_equal(fk.reads32, 1);
		assert_true(fk.hi_reads <= 8);
		assert_int_equal(fk.lo_reads, got);
		assert_int_equal(fk.writes, got + (pfo ? 1 : 0));
		polls_with_pfo += pfo;
	}
	/* Drain what is left. */
	while (vtd_fault_poll(&fu, (uint64_t)n * 1000, &ring) > 0)
		;
	assert_int_equal(fk.recorded + fk.lost, n);
	assert_true(fk.lost > 0);
	assert_int_equal(ring.total, fk.recorded);
	assert_int_equal(ring.overflow, polls_with_pfo);
	assert_int_equal(fk.pfo_cleared, polls_with_pfo);
	assert_int_equal(get32(VTD_FSTS_REG), 0);
	/* Ring order follows the hardware's recording order. */
	for (unsigned i = 1; i < FAULT_RING_SIZE; i++)
		assert_true(fault_ring_get(&ring, i - 1)->addr <
			    fault_ring_get(&ring, i)->addr);
	/* Ten seconds and the drain: 11 windows of at most 10 lines each,
	 * plus at most one summary per window. */
	assert_true(log_lines("IOMMU: fault ") +
			    log_lines("IOMMU: unit 0 fault records") <=
		    11 * FAULT_LOG_BURST);
	assert_true(log_lines("IOMMU: fault ") > 0);
	assert_true(log_lines("IOMMU: unit 0 fault records") > 0);
	assert_true(log_lines("IOMMU: ") - log_lines("IOMMU: fault ") -
			    log_lines("IOMMU: unit 0 fault records") <=
		    11);
	assert_int_equal(ring.total - ring.not_logged,
			 (uint64_t)log_lines("IOMMU: fault "));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_qemu, teardown)
	const struct CMUnitTest tests[] = {
		T(test_init_qemu_layout),
		T(test_init_rejects_bad_offsets),
		T(test_decode_fields),
		T(test_reason_strings),
		T(test_poll_nothing_pending),
		T(test_poll_one_fault),
		T(test_poll_pasid_read),
		T(test_w1c_touches_only_intended_bits),
		T(test_qemu_overflow),
		T(test_qemu_collapse),
		T(test_poll_wraps_from_fri),
		T(test_poll_is_bounded_and_resumes),
		T(test_bad_fri_reported_once),
		T(test_dead_unit),
		T(test_storm_single_register),
		T(test_storm_lazy_polling),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
