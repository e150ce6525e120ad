// SPDX-License-Identifier: MIT
/*
 * VT-d invalidation against the fake unit: enable sequences, every
 * descriptor checked field by field against the spec's bit positions
 * (written here as literals, independent of vtd_regs.h), page-selective
 * covers, fallbacks, deduplication, queue wrap-around and splitting,
 * time-outs and queue errors with recovery, the register-based interface,
 * 256-bit descriptors and write-buffer flushing. Also checks the fake's
 * own fault-recording registers, which other tests reuse.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/iommu/intel/inval.h"
#include "kernel/errno.h"
#include "stub_log.h"
#include "vtd_fake.h"

#define CAP	VTD_FAKE_CAP_QEMU
#define ECAP	VTD_FAKE_ECAP_QEMU
#define ECAP_SM VTD_FAKE_ECAP_QEMU_SM
#define ECAP_DT (ECAP | (1ull << 2))
/* QEMU's ECAP without QI: the register-based interface. */
#define ECAP_NOQI (ECAP & ~(1ull << 1))

static struct vtd_fake_mem mem;
static struct vtd_fake fake;
static struct vtd_fake_clock clk;
static struct vtd_inval q;
static struct vtd_mmio mmio;
static struct vtd_inval_batch b;

static uint64_t bits(uint64_t v, unsigned hi, unsigned lo)
{
	unsigned w = hi - lo + 1;

	return w == 64 ? v : (v >> lo) & ((1ull << w) - 1);
}

static int setup(void **state)
{
	(void)state;
	stub_log_reset();
	vtd_fake_mem_init(&mem, 16);
	clk = (struct vtd_fake_clock){.now_us = 0, .step_us = 1000};
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	vtd_fake_mem_fini(&mem);
	return 0;
}

static int unit_init(uint64_t cap, uint64_t ecap, bool scalable)
{
	struct vtd_inval_mem pm = {
		vtd_fake_mem_alloc, vtd_fake_mem_va,
		vtd_fake_mem_flush, &mem,
		vtd_fake_clock_now, &clk,
	};

	vtd_fake_init(&fake, &mem, cap, ecap);
	mmio = vtd_fake_mmio(&fake);
	return vtd_inval_init(&q, &mmio, cap, ecap, scalable, &pm);
}

static void unit_up(uint64_t cap, uint64_t ecap, bool scalable)
{
	assert_int_equal(unit_init(cap, ecap, scalable), 0);
	assert_int_equal(vtd_inval_enable(&q), 0);
	vtd_fake_log_reset(&fake);
	vtd_inval_begin(&q, &b);
}

/* The unit saw no bad access and refused nothing. */
static void assert_clean(void)
{
	if (fake.bad_access || fake.errors)
		fail_msg("fake: %u bad accesses, %u errors: %s",
			 fake.bad_access, fake.errors, fake.error);
}

static const struct vtd_fake_op *op(unsigned i)
{
	assert_true(i < fake.nlog);
	return &fake.log[i];
}

/* The i-th logged operation is a wait of this driver, status data seq. */
static void assert_wait(unsigned i, uint32_t seq)
{
	const struct vtd_fake_op *o = op(i);

	assert_int_equal(o->kind, VTD_FAKE_OP_DESC);
	assert_int_equal(bits(o->qw[0], 3, 0), 5);
	assert_int_equal(bits(o->qw[0], 4, 4), 0);  /* IF */
	assert_int_equal(bits(o->qw[0], 5, 5), 1);  /* SW */
	assert_int_equal(bits(o->qw[0], 6, 6), 0);  /* FN */
	assert_int_equal(bits(o->qw[0], 31, 7), 0); /* reserved, PD */
	assert_int_equal(bits(o->qw[0], 63, 32), seq);
	assert_int_equal(o->qw[1], q.status_pa.v);    /* bits 1:0 zero */
	assert_true(q.status[0] - seq < 0x80000000u); /* written, maybe again */
}

/* ---- init and enable ------------------------------------------------- */

static void test_enable_preserves_gcmd(void **state)
{
	uint32_t gsts;

	(void)state;
	assert_int_equal(unit_init(CAP, ECAP, false), 0);
	assert_true(q.qi);
	assert_int_equal(q.entries, 256);
	assert_int_equal(q.desc_size, 16);
	assert_true(q.queue_pa.v && !(q.queue_pa.v & 0xfff));
	/*
	 * Root table set, translation and advanced fault logging on, fault
	 * log pointer set: GSTS then holds the one-shot statuses RTPS (30)
	 * and FLS (29) and the enables TES (31) and AFLS (28).
	 */
	mmio.write64(&fake, 0x20, 0x12345000);
	mmio.write32(&fake, 0x18, 1u << 30);
	mmio.write32(&fake, 0x18, 1u << 31);
	mmio.write32(&fake, 0x18, (1u << 31) | (1u << 28));
	mmio.write32(&fake, 0x18, (1u << 31) | (1u << 28) | (1u << 29));
	assert_int_equal(fake.srtp, 1);
	assert_int_equal(vtd_fake_get32(&fake, 0x1c), 0xf0000000);
	assert_int_equal(vtd_inval_enable(&q), 0);
	/* IQT reset before IQA; IQA = page, QS 0, DW 0. */
	assert_int_equal(vtd_fake_get64(&fake, 0x88), 0);
	assert_int_equal(vtd_fake_get64(&fake, 0x90), q.queue_pa.v);
	assert_int_equal(fake.ngcmd, 5);
	/* TE, EAFL and QIE; neither SRTP nor SFL (spec 11.4.4). */
	assert_int_equal(fake.gcmd[4], (1u << 31) | (1u << 28) | (1u << 26));
	assert_int_equal(fake.srtp, 1);
	gsts = vtd_fake_get32(&fake, 0x1c);
	assert_true(gsts & (1u << 26));
	assert_true(gsts & (1u << 31));
	assert_true(fake.qi_on);
	assert_int_equal(fake.iq_size, 256);
	assert_int_equal(fake.iq_base, q.queue_pa.v);
	assert_clean();
}

static void test_enable_after_firmware_qi(void **state)
{
	(void)state;
	assert_int_equal(unit_init(CAP, ECAP, false), 0);
	/* Firmware left QI on, queue empty, its last descriptor a wait. */
	fake.qi_on = true;
	fake.iq_size = 256;
	fake.last_type = 5;
	vtd_fake_set32(&fake, 0x1c, 1u << 26);
	assert_int_equal(vtd_inval_enable(&q), 0);
	/* Drained, QIE cleared, then set again on our queue. */
	assert_int_equal(fake.ngcmd, 2);
	assert_int_equal(fake.gcmd[0], 0);
	assert_int_equal(fake.gcmd[1], 1u << 26);
	assert_int_equal(fake.iq_base, q.queue_pa.v);
	vtd_inval_begin(&q, &b);
	vtd_inval_add_iotlb_global(&b);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_wait(1, 1);
	assert_clean();
}

static void test_enable_busy_firmware_queue(void **state)
{
	(void)state;
	assert_int_equal(unit_init(CAP, ECAP, false), 0);
	fake.qi_on = true;
	fake.iq_size = 256;
	vtd_fake_set32(&fake, 0x1c, 1u << 26);
	vtd_fake_set64(&fake, 0x88, 0x20); /* IQT != IQH: never drains */
	assert_int_equal(vtd_inval_enable(&q), -HV_ETIMEDOUT);
	assert_true(stub_log_contains(
		"VT-d unit: invalidation queue does not drain (IQH 0x0 IQT 0x20)"));
	assert_false(q.enabled);
}

static void test_enable_timeout(void **state)
{
	(void)state;
	assert_int_equal(unit_init(CAP, ECAP, false), 0);
	fake.hang = true;
	assert_int_equal(vtd_inval_enable(&q), -HV_ETIMEDOUT);
	assert_true(stub_log_contains(
		"VT-d unit: enabling queued invalidation did not complete within 100000 us (register 0x1c = 0x0)"));
	assert_false(q.enabled);
	assert_int_equal(q.stats.timeouts, 1);
}

static void test_init_errors(void **state)
{
	unsigned used;

	(void)state;
	assert_int_equal(unit_init(CAP, ECAP, true), -HV_ENOTSUP);
	assert_true(stub_log_contains(
		"VT-d unit: scalable mode asked but ECAP.SMTS is 0"));
	assert_int_equal(unit_init(CAP, ECAP_SM & ~2ull, true), -HV_ENOTSUP);
	assert_true(stub_log_contains(
		"VT-d unit: scalable mode needs queued invalidation (ECAP.QI is 0)"));
	mem.fail_after = 1; /* queue page yes, status page no */
	assert_int_equal(unit_init(CAP, ECAP, false), -HV_ENOMEM);
	assert_true(stub_log_contains(
		"VT-d unit: no page for the invalidation queue"));
	assert_int_equal(vtd_inval_init(&q, NULL, CAP, ECAP, false, NULL),
			 -HV_EINVAL);
	/* Register-based IOTLB registers must sit in the register page. */
	mem.fail_after = UINT32_MAX;
	used = mem.used;
	vtd_fake_init(&fake, &mem, CAP, ECAP_NOQI);
	mmio = vtd_fake_mmio(&fake);
	{
		struct vtd_inval_mem pm = {vtd_fake_mem_alloc,
					   vtd_fake_mem_va,
					   NULL,
					   &mem,
					   NULL,
					   NULL};

		assert_int_equal(vtd_inval_init(&q, &mmio, CAP,
						ECAP_NOQI & ~(0x3ffull << 8),
						false, &pm),
				 -HV_EINVAL);
		assert_true(stub_log_contains(
			"VT-d unit: IOTLB registers at 0x0 (ECAP.IRO) outside the register page"));
		assert_int_equal(
			vtd_inval_init(&q, &mmio, CAP, ECAP_NOQI, false, &pm),
			0);
		assert_int_equal(mem.used, used); /* no queue pages */
	}
}

static void test_disable(void **state)
{
	(void)state;
	unit_up(CAP, ECAP, false);
	mmio.write32(&fake, 0x18, (1u << 31) | (1u << 26)); /* TE on */
	vtd_fake_log_reset(&fake);
	vtd_inval_add_iotlb_domain(&b, 4);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(vtd_inval_disable(&q), 0);
	assert_false(fake.qi_on);
	assert_int_equal(fake.gcmd[0], 1u << 31); /* TE kept, QIE off */
	assert_false(vtd_fake_get32(&fake, 0x1c) & (1u << 26));
	/* And back on: the queue restarts at slot 0. */
	assert_int_equal(vtd_inval_enable(&q), 0);
	vtd_inval_add_iotlb_domain(&b, 4);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(fake.head, 2);
	assert_int_equal(q.tail, 2);
	assert_clean();
}

static void test_commit_before_enable(void **state)
{
	(void)state;
	assert_int_equal(unit_init(CAP, ECAP, false), 0);
	vtd_inval_begin(&q, &b);
	assert_int_equal(vtd_inval_commit(&b), 0); /* empty: nothing */
	vtd_inval_add_iotlb_global(&b);
	assert_int_equal(vtd_inval_commit(&b), -HV_EINVAL);
	assert_true(stub_log_contains(
		"VT-d unit: invalidation before the unit was enabled"));
	assert_int_equal(fake.nlog, 0);
}

/* ---- descriptor encodings -------------------------------------------- */

static void test_encode_context(void **state)
{
	const struct vtd_fake_op *o;

	(void)state;
	unit_up(CAP, ECAP, false);
	vtd_inval_add_context(&b, VTD_INVAL_GLOBAL, 9, 9, 1);
	assert_int_equal(vtd_inval_commit(&b), 0);
	vtd_inval_add_context(&b, VTD_INVAL_DOMAIN, 0x1234, 9, 1);
	assert_int_equal(vtd_inval_commit(&b), 0);
	vtd_inval_add_context(&b, VTD_INVAL_DEVICE, 0xbeef, 0x0218, 2);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(fake.nlog, 6);
	o = op(0); /* global: G = 01, other fields zero */
	assert_int_equal(o->qw[0], 0x11);
	assert_int_equal(o->qw[1], 0);
	assert_wait(1, 1);
	o = op(2); /* domain: G = 10, DID 31:16 */
	assert_int_equal(bits(o->qw[0], 3, 0), 1);
	assert_int_equal(bits(o->qw[0], 5, 4), 2);
	assert_int_equal(bits(o->qw[0], 31, 16), 0x1234);
	assert_int_equal(bits(o->qw[0], 63, 32), 0);
	assert_int_equal(bits(o->qw[0], 15, 6), 0);
	o = op(4); /* device: G = 11, DID, SID 47:32, FM 49:48 */
	assert_int_equal(bits(o->qw[0], 5, 4), 3);
	assert_int_equal(bits(o->qw[0], 31, 16), 0xbeef);
	assert_int_equal(bits(o->qw[0], 47, 32), 0x0218);
	assert_int_equal(bits(o->qw[0], 49, 48), 2);
	assert_int_equal(bits(o->qw[0], 63, 50), 0);
	assert_int_equal(o->qw[1], 0);
	assert_int_equal(o->width, 16);
	assert_wait(5, 3);
	assert_int_equal(q.stats.desc[1], 3);
	assert_int_equal(q.stats.desc[5], 3);
	assert_int_equal(q.stats.waits, 3);
	assert_clean();
}

static void test_encode_iotlb(void **state)
{
	const struct vtd_fake_op *o;

	(void)state;
	unit_up(CAP, ECAP, false);
	vtd_inval_add_iotlb_global(&b);
	assert_int_equal(vtd_inval_commit(&b), 0);
	vtd_inval_add_iotlb_domain(&b, 0x4321);
	assert_int_equal(vtd_inval_commit(&b), 0);
	vtd_inval_add_iotlb_range(&b, 0x77, iova(0x7654320000ull), 0x10000,
				  true);
	assert_int_equal(vtd_inval_commit(&b), 0);
	o = op(0); /* global: type 2, G 01, DR bit 7 and DW bit 6 (QEMU) */
	assert_int_equal(o->qw[0], 0x2 | (1 << 4) | (1 << 6) | (1 << 7));
	assert_int_equal(o->qw[1], 0);
	o = op(2);
	assert_int_equal(bits(o->qw[0], 5, 4), 2);
	assert_int_equal(bits(o->qw[0], 31, 16), 0x4321);
	assert_int_equal(bits(o->qw[0], 15, 8), 0);
	assert_int_equal(bits(o->qw[0], 63, 32), 0);
	o = op(4); /* page: 16 pages aligned: one block, AM 4, IH */
	assert_int_equal(bits(o->qw[0], 5, 4), 3);
	assert_int_equal(bits(o->qw[0], 31, 16), 0x77);
	assert_int_equal(bits(o->qw[1], 63, 12), 0x7654320ull);
	assert_int_equal(bits(o->qw[1], 5, 0), 4);
	assert_int_equal(bits(o->qw[1], 6, 6), 1);
	assert_int_equal(bits(o->qw[1], 11, 7), 0);
	assert_wait(5, 3);
	assert_clean();
	/* Without CAP.DRD/DWD the drain bits stay clear. */
	unit_up(CAP & ~(3ull << 54), ECAP, false);
	vtd_inval_add_iotlb_domain(&b, 1);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(bits(op(0)->qw[0], 7, 6), 0);
	assert_clean();
}

static void test_encode_pasid_cache_256(void **state)
{
	const struct vtd_fake_op *o;
	unsigned i;

	(void)state;
	unit_up(CAP, ECAP_SM, true);
	assert_int_equal(q.desc_size, 32);
	assert_int_equal(q.entries, 128);
	/* IQA.DW (bit 11) set, and QEMU honours it (ECAP.SMTS). */
	assert_int_equal(vtd_fake_get64(&fake, 0x90), q.queue_pa.v | (1 << 11));
	assert_true(fake.dw);
	assert_int_equal(fake.iq_size, 128);
	vtd_inval_add_pasid_cache(&b, 0x55, VTD_INVAL_PASID_ALL);
	vtd_inval_add_pasid_cache(&b, 0x56, 0xabcde);
	vtd_inval_add_iotlb_domain(&b, 0x55);
	assert_int_equal(vtd_inval_commit(&b), 0);
	vtd_inval_add_pasid_cache_global(&b);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(fake.nlog, 6);
	o = op(0); /* domain-selective: G 00 */
	assert_int_equal(bits(o->qw[0], 3, 0), 7);
	assert_int_equal(bits(o->qw[0], 5, 4), 0);
	assert_int_equal(bits(o->qw[0], 31, 16), 0x55);
	assert_int_equal(bits(o->qw[0], 63, 32), 0);
	o = op(1); /* PASID-selective: G 01, PASID 51:32 */
	assert_int_equal(bits(o->qw[0], 5, 4), 1);
	assert_int_equal(bits(o->qw[0], 31, 16), 0x56);
	assert_int_equal(bits(o->qw[0], 51, 32), 0xabcde);
	assert_int_equal(bits(o->qw[0], 63, 52), 0);
	assert_int_equal(bits(op(2)->qw[0], 3, 0), 2); /* IOTLB after */
	assert_wait(3, 1);
	assert_int_equal(op(4)->qw[0], 0x37); /* global: G 11 */
	for (i = 0; i < fake.nlog; i++) {
		assert_int_equal(op(i)->width, 32);
		assert_int_equal(op(i)->qw[2], 0);
		assert_int_equal(op(i)->qw[3], 0);
		assert_int_equal(op(i)->slot, i);
	}
	/* IQT is a byte offset: slot 6 of 32 bytes, bit 4 clear. */
	assert_int_equal(vtd_fake_get64(&fake, 0x88), 6 * 32);
	assert_int_equal(vtd_fake_get64(&fake, 0x80), 6 * 32);
	assert_clean();
}

/* QEMU 7.2's decoding of the ATS size (vtd_process_device_iotlb_desc). */
static void devtlb_range(uint64_t qw1, uint64_t *base, uint64_t *size)
{
	uint64_t addr = qw1 & ~0xfffull;

	*size = 4096;
	if (qw1 & 1) {
		*size = 8192ull << __builtin_ctzll(~(addr >> 12));
		addr &= ~(*size - 1);
	}
	*base = addr;
}

static void test_encode_devtlb(void **state)
{
	static const struct {
		uint64_t iova, size, qw1, base, span;
	} c[] = {
		{0x5000, 0x1000, 0x5000, 0x5000, 0x1000},
		{0x4000, 0x2000, 0x4001, 0x4000, 0x2000},
		{0x8000, 0x4000, 0x9001, 0x8000, 0x4000},
		{0x3000, 0x2000, 0x3001, 0x0, 0x8000}, /* straddles 0x4000 */
		{0x1234, 0x10, 0x1000, 0x1000, 0x1000},
		{0, ~0ull, 0x7ffffffffffff001ull, 0, 0},
	};
	const struct vtd_fake_op *o;
	uint64_t base, span;
	unsigned i;

	(void)state;
	unit_up(CAP, ECAP_DT, false);
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		vtd_inval_add_devtlb(&b, 0x0310, 0xabcd, 5, iova(c[i].iova),
				     c[i].size);
		assert_int_equal(vtd_inval_commit(&b), 0);
		o = op(2 * i);
		assert_int_equal(bits(o->qw[0], 3, 0), 3);
		assert_int_equal(bits(o->qw[0], 15, 4),
				 0); /* no DIT: PFSID 0 */
		assert_int_equal(bits(o->qw[0], 20, 16), 5); /* MIP */
		assert_int_equal(bits(o->qw[0], 31, 21), 0);
		assert_int_equal(bits(o->qw[0], 47, 32), 0x0310); /* SID */
		assert_int_equal(bits(o->qw[0], 63, 48), 0);
		assert_int_equal(o->qw[1], c[i].qw1);
		devtlb_range(o->qw[1], &base, &span);
		if (c[i].span) {
			assert_int_equal(base, c[i].base);
			assert_int_equal(span, c[i].span);
		}
	}
	/* The whole space covers any range of the same device, twice too. */
	vtd_fake_log_reset(&fake);
	vtd_inval_add_devtlb(&b, 0x0310, 0, 5, iova(0x5000), 0x1000);
	vtd_inval_add_devtlb(&b, 0x0310, 0, 5, iova(0), ~0ull);
	vtd_inval_add_devtlb(&b, 0x0310, 0, 5, iova(0), ~0ull);
	vtd_inval_add_devtlb(&b, 0x0310, 0, 5, iova(0x8000), 0x1000);
	vtd_inval_add_devtlb(&b, 0x0311, 0, 5, iova(0x8000), 0x1000);
	assert_int_equal(b.n, 2);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(op(0)->qw[1], 0x7ffffffffffff001ull);
	assert_int_equal(op(1)->qw[1], 0x8000);
	/* With ECAP.DIT the PF's id goes to 15:12 and 63:52. */
	unit_up(CAP, ECAP_DT | (1ull << 41), false);
	vtd_inval_add_devtlb(&b, 0x0310, 0xabcd, 0, iova(0), 4096);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(bits(op(0)->qw[0], 15, 12), 0xd);
	assert_int_equal(bits(op(0)->qw[0], 63, 52), 0xabc);
	assert_clean();
}

/* ---- page-selective covers ------------------------------------------- */

/* Fewest exact aligned blocks for [pfn, pfn + n), by dynamic programming. */
static unsigned min_blocks(uint64_t pfn, unsigned n, unsigned max_order)
{
	unsigned best[1024], i, k;

	assert_true(n < 1024);
	best[n] = 0;
	for (i = n; i-- > 0;) {
		best[i] = ~0u;
		for (k = 0; k <= max_order && i + (1u << k) <= n; k++) {
			if ((pfn + i) & ((1ull << k) - 1))
				break;
			if (best[i + (1u << k)] + 1 < best[i])
				best[i] = best[i + (1u << k)] + 1;
		}
	}
	return best[0];
}

static void check_cover(uint64_t pfn, uint64_t n, unsigned max_order,
			const struct vtd_inval_block *blk, unsigned cnt)
{
	uint64_t next = pfn;
	unsigned i;

	for (i = 0; i < cnt; i++) {
		assert_int_equal(blk[i].pfn, next); /* no gap, no overlap */
		assert_true(blk[i].order <= max_order);
		assert_int_equal(blk[i].pfn & ((1ull << blk[i].order) - 1), 0);
		next += 1ull << blk[i].order;
	}
	assert_int_equal(next, pfn + n); /* exact: no over-invalidation */
}

static void test_cover_minimal(void **state)
{
	static const unsigned orders[] = {0, 2, 5, 18};
	struct vtd_inval_block blk[64];
	unsigned o, cnt;
	uint64_t pfn, n;

	(void)state;
	for (o = 0; o < ARRAY_SIZE(orders); o++) {
		for (pfn = 0; pfn < 100; pfn++) {
			for (n = 1; n < 100; n++) {
				cnt = vtd_inval_cover(pfn, n, orders[o], blk,
						      ARRAY_SIZE(blk));
				if (cnt > ARRAY_SIZE(blk)) {
					assert_int_equal(orders[o], 0);
					continue;
				}
				check_cover(pfn, n, orders[o], blk, cnt);
				assert_int_equal(cnt,
						 min_blocks(pfn, n, orders[o]));
			}
		}
	}
	/* Too many blocks: max + 1, nothing beyond max written. */
	assert_int_equal(vtd_inval_cover(1, 1000, 0, blk, 4), 5);
	assert_int_equal(vtd_inval_cover(0, 0, 18, blk, 4), 0);
}

static void test_cover_random(void **state)
{
	static struct vtd_inval_block blk[8192];
	uint64_t pfn, n;
	unsigned i, cnt, mamv;

	(void)state;
	srand(1234);
	for (i = 0; i < 20000; i++) {
		pfn = ((uint64_t)rand() << 16 ^ (uint64_t)rand()) &
		      ((1ull << 40) - 1);
		n = 1 + (((uint64_t)rand() << 8 ^ (uint64_t)rand()) &
			 ((1ull << (rand() % 31)) - 1));
		mamv = rand() % 19;
		cnt = vtd_inval_cover(pfn, n, mamv, blk, ARRAY_SIZE(blk));
		if (cnt > ARRAY_SIZE(blk)) {
			/* Only when 2^mamv-page blocks cannot do it. */
			assert_true((n >> mamv) + 2 * mamv >= ARRAY_SIZE(blk));
			continue;
		}
		check_cover(pfn, n, mamv, blk, cnt);
		/* At most 2 blocks per order plus the full-size ones. */
		assert_true(cnt <= 2 * (mamv + 1) + (n >> mamv));
	}
}

static void test_range_via_queue(void **state)
{
	(void)state;
	unit_up(CAP, ECAP, false);
	/* Pages 3..8: 3, 4-7, 8. */
	vtd_inval_add_iotlb_range(&b, 6, iova(0x3000), 0x6000, false);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(fake.nlog, 4);
	assert_int_equal(op(0)->qw[1], 0x3000);
	assert_int_equal(op(1)->qw[1], 0x4000 | 2);
	assert_int_equal(op(2)->qw[1], 0x8000);
	/* Unaligned bytes round out to pages 1 and 2. */
	vtd_fake_log_reset(&fake);
	vtd_inval_add_iotlb_range(&b, 6, iova(0x1800), 0x1000, true);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(fake.nlog, 3);
	assert_int_equal(op(0)->qw[1], 0x1000 | 0x40);
	assert_int_equal(op(1)->qw[1], 0x2000 | 0x40);
	/* 2 MiB aligned: one block, AM 9. Size 0: nothing. */
	vtd_fake_log_reset(&fake);
	vtd_inval_add_iotlb_range(&b, 6, iova(0x40200000), 0x200000, false);
	vtd_inval_add_iotlb_range(&b, 6, iova(0x1000), 0, false);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(fake.nlog, 2);
	assert_int_equal(op(0)->qw[1], 0x40200000 | 9);
	assert_int_equal(q.stats.psi_fallback, 0);
	assert_clean();
}

static void assert_one_domain_flush(uint16_t did)
{
	assert_int_equal(fake.nlog, 2);
	assert_int_equal(bits(op(0)->qw[0], 5, 4), 2);
	assert_int_equal(bits(op(0)->qw[0], 31, 16), did);
	vtd_fake_log_reset(&fake);
}

static void test_range_fallbacks(void **state)
{
	(void)state;
	unit_up(CAP, ECAP, false);
	/* More than 512 pages. */
	vtd_inval_add_iotlb_range(&b, 3, iova(0), 0x201000, false);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_one_domain_flush(3);
	/* Too many blocks for the limit. */
	q.psi_max_desc = 4;
	vtd_inval_add_iotlb_range(&b, 3, iova(0x1000), 0x1e000, false);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_one_domain_flush(3);
	vtd_inval_add_iotlb_range(&b, 3, iova(0x1000), 0xf000, false);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(fake.nlog, 5); /* 1, 2-3, 4-7, 8-15 */
	assert_int_equal(q.stats.psi_fallback, 2);
	/* CAP.PSI = 0: always domain-selective. */
	unit_up(CAP & ~(1ull << 39), ECAP, false);
	vtd_inval_add_iotlb_range(&b, 8, iova(0x5000), 0x1000, false);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_one_domain_flush(8);
	/* CAP.MAMV = 0: single pages only. */
	unit_up(CAP & ~(0x3full << 48), ECAP, false);
	vtd_inval_add_iotlb_range(&b, 8, iova(0x4000), 0x4000, false);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(vtd_fake_count(&fake, VTD_FAKE_OP_DESC, 2), 4);
	assert_clean();
}

/* ---- deduplication --------------------------------------------------- */

static void test_dedup_iotlb(void **state)
{
	(void)state;
	unit_up(CAP, ECAP, false);
	/* Identical requests. */
	vtd_inval_add_iotlb_range(&b, 5, iova(0x1000), 0x1000, false);
	vtd_inval_add_iotlb_range(&b, 5, iova(0x1000), 0x1000, false);
	assert_int_equal(b.n, 1);
	/* A block inside a bigger one; IH=1 inside IH=0 but not reverse. */
	vtd_inval_add_iotlb_range(&b, 5, iova(0x8000), 0x8000, true);
	vtd_inval_add_iotlb_range(&b, 5, iova(0xa000), 0x1000, true);
	assert_int_equal(b.n, 2);
	vtd_inval_add_iotlb_range(&b, 5, iova(0x9000), 0x1000, false);
	assert_int_equal(b.n, 3);
	vtd_inval_add_iotlb_range(&b, 5, iova(0x8000), 0x8000, false);
	assert_int_equal(b.n, 2); /* replaced the IH=1 block and 0x9000 */
	/* Other domain untouched by a domain flush of 5. */
	vtd_inval_add_iotlb_range(&b, 6, iova(0x1000), 0x1000, false);
	vtd_inval_add_iotlb_domain(&b, 5);
	vtd_inval_add_iotlb_range(&b, 5, iova(0x20000), 0x1000, false);
	assert_int_equal(b.n, 2);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(fake.nlog, 3);
	assert_int_equal(bits(op(0)->qw[0], 31, 16), 6);
	assert_int_equal(bits(op(0)->qw[0], 5, 4), 3);
	assert_int_equal(bits(op(1)->qw[0], 31, 16), 5);
	assert_int_equal(bits(op(1)->qw[0], 5, 4), 2);
	/* A global flush makes every other IOTLB request redundant. */
	vtd_fake_log_reset(&fake);
	vtd_inval_add_iotlb_domain(&b, 1);
	vtd_inval_add_context(&b, VTD_INVAL_DOMAIN, 1, 0, 0);
	vtd_inval_add_iotlb_global(&b);
	vtd_inval_add_iotlb_range(&b, 2, iova(0), 0x1000, false);
	assert_int_equal(b.n, 2);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(fake.nlog, 3);
	assert_int_equal(bits(op(0)->qw[0], 3, 0), 1);
	assert_int_equal(op(1)->qw[0] & 0x3f, 0x12);
	assert_true(q.stats.dropped >= 7);
	assert_clean();
}

static void test_dedup_context_pasid(void **state)
{
	(void)state;
	unit_up(CAP, ECAP_SM, true);
	vtd_inval_add_context(&b, VTD_INVAL_DEVICE, 3, 0x10, 0);
	vtd_inval_add_context(&b, VTD_INVAL_DEVICE, 3, 0x10, 0);
	assert_int_equal(b.n, 1);
	vtd_inval_add_context(&b, VTD_INVAL_DEVICE, 3, 0x12, 0);
	assert_int_equal(b.n, 2);
	/* FM 2 masks function bits 2:1: 0x10 covers 0x10 0x12 0x14 0x16. */
	vtd_inval_add_context(&b, VTD_INVAL_DEVICE, 3, 0x10, 2);
	assert_int_equal(b.n, 1);
	vtd_inval_add_context(&b, VTD_INVAL_DEVICE, 3, 0x14, 1);
	assert_int_equal(b.n, 1);
	vtd_inval_add_context(&b, VTD_INVAL_DEVICE, 3, 0x17, 1);
	assert_int_equal(b.n, 2); /* 0x13 and 0x17: bit 0 differs */
	vtd_inval_add_context(&b, VTD_INVAL_DEVICE, 4, 0x10, 0);
	vtd_inval_add_context(&b, VTD_INVAL_DOMAIN, 3, 0, 0);
	assert_int_equal(b.n, 2); /* domain 3 + device of domain 4 */
	vtd_inval_add_pasid_cache(&b, 3, 7);
	vtd_inval_add_pasid_cache(&b, 3, 8);
	vtd_inval_add_pasid_cache(&b, 3, 7);
	assert_int_equal(b.n, 4);
	vtd_inval_add_pasid_cache(&b, 3, VTD_INVAL_PASID_ALL);
	vtd_inval_add_pasid_cache(&b, 9, 1);
	assert_int_equal(b.n, 4);
	vtd_inval_add_pasid_cache_global(&b);
	assert_int_equal(b.n, 3);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(vtd_fake_count(&fake, VTD_FAKE_OP_DESC, 1), 2);
	assert_int_equal(vtd_fake_count(&fake, VTD_FAKE_OP_DESC, 7), 1);
	assert_clean();
}

static void test_batch_overflow(void **state)
{
	unsigned i;

	(void)state;
	unit_up(CAP, ECAP_DT, false);
	/* 40 domains: pages become domain flushes, then one global. */
	for (i = 1; i <= 40; i++)
		vtd_inval_add_iotlb_range(&b, i, iova(0x1000), 0x1000, false);
	assert_int_equal(b.n, 1);
	assert_int_equal(b.err, 0);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(fake.nlog, 2);
	assert_int_equal(op(0)->qw[0] & 0x3f, 0x12);
	/* 40 pages of one domain: one domain flush. */
	vtd_fake_log_reset(&fake);
	for (i = 0; i < 40; i++)
		vtd_inval_add_iotlb_range(&b, 9, iova(i * 0x2000ull), 0x1000,
					  false);
	assert_int_equal(b.n, 1);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_one_domain_flush(9);
	/* 33 devices' TLBs cannot be merged: refused, the rest issued. */
	for (i = 0; i < 33; i++)
		vtd_inval_add_devtlb(&b, (uint16_t)i, 0, 0, iova(i * 0x2000ull),
				     0x1000);
	assert_int_equal(b.err, -HV_ENOMEM);
	assert_true(stub_log_contains(
		"VT-d unit: invalidation request refused: batch full"));
	assert_int_equal(vtd_inval_commit(&b), -HV_ENOMEM);
	assert_int_equal(vtd_fake_count(&fake, VTD_FAKE_OP_DESC, 3), 32);
	/* Coarsened to whole-device invalidations. */
	assert_int_equal(op(0)->qw[1], 0x7ffffffffffff001ull);
	assert_clean();
}

/* ---- ordering, wrap-around, splitting --------------------------------- */

static void test_order_and_stats(void **state)
{
	(void)state;
	unit_up(CAP, ECAP_DT, false);
	vtd_inval_add_devtlb(&b, 0x18, 0, 0, iova(0), 0x1000);
	vtd_inval_add_iotlb_domain(&b, 2);
	vtd_inval_add_context(&b, VTD_INVAL_DEVICE, 2, 0x18, 0);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(fake.nlog, 4);
	assert_int_equal(bits(op(0)->qw[0], 3, 0), 1);
	assert_int_equal(bits(op(1)->qw[0], 3, 0), 2);
	assert_int_equal(bits(op(2)->qw[0], 3, 0), 3);
	assert_wait(3, 1);
	assert_int_equal(q.stats.desc[1], 1);
	assert_int_equal(q.stats.desc[2], 1);
	assert_int_equal(q.stats.desc[3], 1);
	assert_int_equal(q.stats.submissions, 1);
	/* QEMU's ECAP.C is 0: every descriptor is flushed from caches. */
	assert_int_equal(mem.flushes, 4);
	assert_int_equal(mem.flushed, 64);
	assert_clean();
	/* A coherent unit needs no flush. */
	unit_up(CAP, ECAP | 1, false);
	mem.flushes = 0;
	vtd_inval_add_iotlb_global(&b);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(mem.flushes, 0);
}

static void check_wrap(uint64_t ecap, bool scalable, unsigned entries)
{
	unsigned i, k, slot = 0;

	unit_up(CAP, ecap, scalable);
	for (i = 0; i < 70; i++) {
		/* 4 descriptors and a wait: 5 slots, not dividing entries. */
		vtd_inval_add_context(&b, VTD_INVAL_DEVICE, 1, (uint16_t)i, 0);
		vtd_inval_add_iotlb_domain(&b, 1);
		vtd_inval_add_iotlb_domain(&b, 2);
		vtd_inval_add_iotlb_domain(&b, 3);
		assert_int_equal(vtd_inval_commit(&b), 0);
	}
	assert_int_equal(fake.nlog, 350);
	for (k = 0; k < fake.nlog; k++) {
		assert_int_equal(op(k)->slot, slot);
		slot = (slot + 1) % entries;
	}
	assert_int_equal(q.tail, 350 % entries);
	assert_int_equal(fake.head, q.tail);
	assert_int_equal(q.stats.waits, 70);
	assert_wait(349, 70);
	assert_clean();
}

static void test_wraparound(void **state)
{
	(void)state;
	check_wrap(ECAP, false, 256);
	check_wrap(ECAP_SM, true, 128);
}

static void test_split(void **state)
{
	static const unsigned kinds[] = {2, 2, 2, 5, 2, 2, 2,
					 5, 2, 2, 2, 5, 2, 5};
	unsigned i;

	(void)state;
	unit_up(CAP, ECAP, false);
	q.max_per_submit = 3;
	for (i = 0; i < 10; i++)
		vtd_inval_add_iotlb_domain(&b, (uint16_t)(100 + i));
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(fake.nlog, ARRAY_SIZE(kinds));
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		assert_int_equal(bits(op(i)->qw[0], 3, 0), kinds[i]);
	assert_int_equal(bits(op(12)->qw[0], 31, 16), 109);
	assert_wait(13, 4);
	assert_int_equal(q.stats.waits, 4);
	assert_int_equal(q.stats.submissions, 4);
	assert_clean();
}

static void test_queue_full_waits(void **state)
{
	(void)state;
	unit_up(CAP, ECAP, false);
	/* The unit has not consumed an earlier submission: no room. */
	fake.stall = true;
	vtd_inval_add_iotlb_global(&b);
	assert_int_equal(vtd_inval_commit(&b), -HV_ETIMEDOUT);
	q.tail = 250; /* pretend 250 slots are in flight */
	fake.tail = 250;
	vtd_inval_add_iotlb_domain(&b, 1);
	vtd_inval_add_iotlb_domain(&b, 2);
	vtd_inval_add_iotlb_domain(&b, 3);
	vtd_inval_add_iotlb_domain(&b, 4);
	vtd_inval_add_iotlb_domain(&b, 5);
	assert_int_equal(vtd_inval_commit(&b), -HV_ETIMEDOUT);
	assert_true(stub_log_contains("VT-d unit: invalidation queue full"));
}

/* ---- time-outs and queue errors --------------------------------------- */

static void test_timeout_recovers(void **state)
{
	(void)state;
	unit_up(CAP, ECAP, false);
	fake.stall = true;
	vtd_inval_add_iotlb_domain(&b, 7);
	assert_int_equal(vtd_inval_commit(&b), -HV_ETIMEDOUT);
	assert_int_equal(stub_log_count(), 1);
	assert_true(stub_log_contains(
		"VT-d unit: invalidation wait timed out after 100000 us: FSTS 0x0 IQERCD 0x0 (IQEI 0: no details) IQH 0x0 IQT 0x20, descriptor at IQH: IOTLB 0x00000000000700e2 0x0000000000000000"));
	assert_int_equal(q.stats.timeouts, 1);
	assert_int_equal(fake.nlog, 0);
	/* The unit comes back: the next commit runs both batches. */
	fake.stall = false;
	vtd_inval_add_iotlb_domain(&b, 8);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(fake.nlog, 4);
	assert_int_equal(bits(op(0)->qw[0], 31, 16), 7);
	assert_wait(1, 1);
	assert_int_equal(bits(op(2)->qw[0], 31, 16), 8);
	assert_int_equal(bits(op(3)->qw[0], 63, 32), 2);
	assert_int_equal(q.status[0], 2);
	assert_clean();
}

static void test_timeout_without_clock(void **state)
{
	(void)state;
	unit_up(CAP, ECAP, false);
	clk.reads = 0;
	q.mem.now_us = NULL;
	q.max_spins = 1000;
	fake.stall = true;
	vtd_inval_add_iotlb_global(&b);
	assert_int_equal(vtd_inval_commit(&b), -HV_ETIMEDOUT);
	assert_int_equal(clk.reads, 0);
}

static void test_iqe_recovers(void **state)
{
	char line[256];

	(void)state;
	unit_up(CAP, ECAP, false);
	vtd_fake_fail_next(&fake, 2, 4);
	vtd_inval_add_context(&b, VTD_INVAL_GLOBAL, 0, 0, 0);
	vtd_inval_add_iotlb_domain(&b, 0x33);
	vtd_inval_add_iotlb_domain(&b, 0x34);
	assert_int_equal(vtd_inval_commit(&b), -HV_EIO);
	snprintf(
		line, sizeof(line),
		"VT-d unit: invalid descriptor (IQE): FSTS 0x%x IQERCD 0x4 (IQEI 4: reserved field set) IQH 0x10 IQT 0x40, descriptor at IQH: IOTLB 0x%016llx 0x0000000000000000",
		0x10, 0x3300e2ull);
	if (!stub_log_contains(line))
		fail_msg("missing %s in\n%s", line, stub_log_text());
	assert_int_equal(stub_log_count(), 1);
	/* IQE cleared, the bad slot replaced by a wait, queue drained. */
	assert_int_equal(vtd_fake_get32(&fake, 0x34) & 0x70, 0);
	assert_int_equal(fake.head, q.tail);
	assert_int_equal(q.status[0], 1);
	assert_int_equal(fake.nlog, 4);
	assert_int_equal(bits(op(1)->qw[0], 3, 0), 5);
	assert_int_equal(op(1)->qw[1], q.status_pa.v + 8); /* scratch */
	assert_int_equal(bits(op(2)->qw[0], 31, 16), 0x34);
	assert_int_equal(q.stats.errors, 1);
	/* And the queue works again. */
	vtd_inval_add_iotlb_domain(&b, 0x33);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_wait(5, 2);
}

static void test_iqe_on_wait(void **state)
{
	(void)state;
	unit_up(CAP, ECAP, false);
	fake.no_iqercd = true; /* QEMU 7.2 has no IQERCD */
	vtd_fake_fail_next(&fake, 5, 4);
	vtd_inval_add_iotlb_global(&b);
	assert_int_equal(vtd_inval_commit(&b), -HV_EIO);
	assert_true(stub_log_contains(
		"IQERCD 0x0 (IQEI 0: no details) IQH 0x10 IQT 0x20, descriptor at IQH: wait"));
	/* The wait itself was rewritten: its status still arrives. */
	assert_int_equal(q.status[0], 1);
	assert_int_equal(fake.head, q.tail);
}

static void test_ite_recovers(void **state)
{
	(void)state;
	unit_up(CAP, ECAP_DT, false);
	fake.ite_devtlb = true;
	vtd_inval_add_iotlb_domain(&b, 2);
	vtd_inval_add_devtlb(&b, 0x0310, 0, 0, iova(0), 0x1000);
	assert_int_equal(vtd_inval_commit(&b), -HV_ETIMEDOUT);
	assert_true(stub_log_contains(
		"VT-d unit: device-TLB invalidation time-out (ITE) for source id 0x0310: FSTS 0x40 IQERCD 0x31000000000"));
	assert_int_equal(vtd_fake_get32(&fake, 0x34) & 0x40, 0);
	assert_int_equal(fake.head, q.tail);
	assert_int_equal(q.status[0], 1);
	vtd_inval_add_iotlb_domain(&b, 2);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(q.status[0], 2);
	assert_clean();
}

static void test_ice_reported(void **state)
{
	(void)state;
	unit_up(CAP, ECAP_DT, false);
	vtd_fake_set_ice(&fake, 0x0420);
	vtd_inval_add_iotlb_domain(&b, 2);
	assert_int_equal(vtd_inval_commit(&b), -HV_EIO);
	assert_true(stub_log_contains(
		"VT-d unit: invalidation completion error (ICE) from source id 0x0420: FSTS 0x20"));
	assert_int_equal(vtd_fake_get32(&fake, 0x34) & 0x20, 0);
	assert_int_equal(q.status[0], 1);
	vtd_inval_add_iotlb_domain(&b, 2);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_clean();
}

/* ---- register-based invalidation --------------------------------------- */

static void test_register_based(void **state)
{
	const struct vtd_fake_op *o;

	(void)state;
	unit_up(CAP, ECAP_NOQI, false);
	assert_false(q.qi);
	assert_int_equal(fake.ngcmd, 0);
	vtd_inval_add_iotlb_range(&b, 0x21, iova(0x3000), 0x2000, true);
	vtd_inval_add_iotlb_domain(&b, 0x22);
	vtd_inval_add_context(&b, VTD_INVAL_DEVICE, 0x21, 0x0108, 3);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(fake.nlog, 4);
	o = op(0); /* CCMD: ICC 63, CIRG 62:61, FM 33:32, SID 31:16, DID */
	assert_int_equal(o->kind, VTD_FAKE_OP_CCMD);
	assert_int_equal(bits(o->qw[0], 63, 63), 1);
	assert_int_equal(bits(o->qw[0], 62, 61), 3);
	assert_int_equal(bits(o->qw[0], 60, 34), 0);
	assert_int_equal(bits(o->qw[0], 33, 32), 3);
	assert_int_equal(bits(o->qw[0], 31, 16), 0x0108);
	assert_int_equal(bits(o->qw[0], 15, 0), 0x21);
	o = op(1); /* page 3: IVA addr, IH 6, AM 0; IOTLB IVT, IIRG, DID */
	assert_int_equal(o->kind, VTD_FAKE_OP_IOTLB);
	assert_int_equal(o->qw[1], 0x3000 | 0x40);
	assert_int_equal(bits(o->qw[0], 63, 63), 1);
	assert_int_equal(bits(o->qw[0], 61, 60), 3);
	assert_int_equal(bits(o->qw[0], 49, 48), 3); /* DR, DW */
	assert_int_equal(bits(o->qw[0], 47, 32), 0x21);
	assert_int_equal(bits(o->qw[0], 31, 0), 0);
	assert_int_equal(op(2)->qw[1], 0x4000 | 0x40);
	o = op(3);
	assert_int_equal(bits(o->qw[0], 61, 60), 2);
	assert_int_equal(bits(o->qw[0], 47, 32), 0x22);
	assert_int_equal(q.stats.reg_context, 1);
	assert_int_equal(q.stats.reg_iotlb, 3);
	assert_int_equal(q.stats.waits, 0);
	/* The actual granularity was read back and ICC/IVT cleared. */
	assert_int_equal(bits(vtd_fake_get64(&fake, 0x28), 60, 59), 3);
	assert_int_equal(bits(vtd_fake_get64(&fake, 0xf8), 63, 63), 0);
	/* What has no register form is refused. */
	vtd_inval_add_devtlb(&b, 1, 0, 0, iova(0), 0x1000);
	assert_int_equal(vtd_inval_commit(&b), -HV_ENOTSUP);
	vtd_inval_add_pasid_cache(&b, 1, 1);
	assert_int_equal(vtd_inval_commit(&b), -HV_ENOTSUP);
	assert_clean();
}

static void test_register_timeout(void **state)
{
	(void)state;
	unit_up(CAP, ECAP_NOQI, false);
	fake.hang = true;
	vtd_inval_add_context(&b, VTD_INVAL_GLOBAL, 0, 0, 0);
	vtd_inval_add_iotlb_global(&b);
	assert_int_equal(vtd_inval_commit(&b), -HV_ETIMEDOUT);
	assert_true(stub_log_contains(
		"VT-d unit: context-cache invalidation did not complete within 100000 us (register 0x28 = 0xa000000000000000)"));
	assert_int_equal(stub_log_count(), 1);
	fake.hang = false;
	vtd_inval_add_iotlb_global(&b);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(vtd_fake_count(&fake, VTD_FAKE_OP_IOTLB, 0), 1);
}

/* ---- write-buffer flush ------------------------------------------------ */

static void test_wbf(void **state)
{
	(void)state;
	unit_up(CAP, ECAP, false);
	vtd_inval_add_wbf(&b);
	vtd_inval_add_iotlb_global(&b);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(vtd_fake_count(&fake, VTD_FAKE_OP_WBF, 0), 0);
	assert_int_equal(fake.ngcmd, 0);
	assert_int_equal(q.stats.wbf, 0);
	/* CAP.RWBF: one flush, before the descriptors, enables kept. */
	unit_up(CAP | (1ull << 4), ECAP, false);
	mmio.write32(&fake, 0x18, (1u << 31) | (1u << 26));
	vtd_fake_log_reset(&fake);
	vtd_inval_add_wbf(&b);
	vtd_inval_add_iotlb_global(&b);
	vtd_inval_add_wbf(&b);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(fake.nlog, 3);
	assert_int_equal(op(0)->kind, VTD_FAKE_OP_WBF);
	assert_int_equal(fake.ngcmd, 1);
	assert_int_equal(fake.gcmd[0], (1u << 31) | (1u << 26) | (1u << 27));
	assert_int_equal(q.stats.wbf, 1);
	/* A flush alone, in register-based mode too. */
	unit_up(CAP | (1ull << 4), ECAP_NOQI, false);
	vtd_inval_add_wbf(&b);
	assert_int_equal(vtd_inval_commit(&b), 0);
	assert_int_equal(fake.nlog, 1);
	assert_int_equal(op(0)->kind, VTD_FAKE_OP_WBF);
	assert_clean();
}

/* ---- argument checks --------------------------------------------------- */

static void test_bad_requests(void **state)
{
	(void)state;
	unit_up(CAP & ~7ull, ECAP_DT, false); /* ND 0: 16 domain ids */
	vtd_inval_add_context(&b, 0, 1, 0, 0);
	assert_int_equal(b.err, -HV_EINVAL);
	vtd_inval_add_context(&b, VTD_INVAL_DEVICE, 1, 0, 4);
	vtd_inval_add_iotlb_domain(&b, 16);
	vtd_inval_add_iotlb_range(&b, 1, iova(~0ull - 0xfff), 0x2000, false);
	vtd_inval_add_devtlb(&b, 1, 0, 32, iova(0), 0x1000);
	vtd_inval_add_pasid_cache(&b, 1, 1); /* legacy mode */
	vtd_inval_add_iotlb_domain(&b, 15);  /* valid: still issued */
	assert_int_equal(b.n, 1);
	assert_int_equal(vtd_inval_commit(&b), -HV_EINVAL);
	assert_int_equal(fake.nlog, 2);
	assert_int_equal(stub_log_count(), 6);
	assert_true(stub_log_contains(
		"VT-d unit: invalidation request refused: domain id beyond CAP.ND"));
	assert_true(stub_log_contains(
		"VT-d unit: invalidation request refused: range wraps around"));
	assert_true(stub_log_contains(
		"VT-d unit: invalidation request refused: PASID cache outside scalable mode"));
	/* The batch is empty again after a commit. */
	assert_int_equal(b.n, 0);
	assert_int_equal(b.err, 0);
	/* No device-TLB support. */
	unit_up(CAP, ECAP, false);
	vtd_inval_add_devtlb(&b, 1, 0, 0, iova(0), 0x1000);
	assert_int_equal(vtd_inval_commit(&b), -HV_ENOTSUP);
	unit_up(CAP, ECAP_SM, true);
	vtd_inval_add_pasid_cache(&b, 1, 1u << 20);
	assert_int_equal(vtd_inval_commit(&b), -HV_EINVAL);
	assert_clean();
}

/* ---- the fake itself ---------------------------------------------------- */

static void test_fake_fault_records(void **state)
{
	uint64_t hi;

	(void)state;
	vtd_fake_init(&fake, &mem, CAP | (3ull << 40), ECAP); /* 4 records */
	mmio = vtd_fake_mmio(&fake);
	assert_int_equal(fake.fro, 0x220);
	assert_int_equal(fake.nfr, 4);
	assert_true(vtd_fake_inject_fault(&fake, 2, 0x0018, 0x12345678, 5, true,
					  VTD_FAKE_NO_PASID));
	assert_int_equal(mmio.read32(&fake, 0x34), (2u << 8) | 2);
	assert_true(vtd_fake_get32(&fake, 0x38) & (1u << 30));
	assert_int_equal(mmio.read64(&fake, 0x240), 0x12345000);
	hi = mmio.read64(&fake, 0x248);
	assert_int_equal(bits(hi, 63, 63), 1);
	assert_int_equal(bits(hi, 62, 62), 0); /* write */
	assert_int_equal(bits(hi, 39, 32), 5);
	assert_int_equal(bits(hi, 15, 0), 0x18);
	assert_int_equal(bits(hi, 31, 31), 0);
	assert_true(vtd_fake_inject_fault(&fake, 3, 0x0020, 0x1000, 6, false,
					  0x1234));
	hi = mmio.read64(&fake, 0x258);
	assert_int_equal(bits(hi, 62, 62), 1); /* read */
	assert_int_equal(bits(hi, 31, 31), 1);
	assert_int_equal(bits(hi, 59, 40), 0x1234);
	assert_int_equal(bits(mmio.read32(&fake, 0x34), 15, 8), 2);
	/* Busy record: overflow. Beyond NFR: refused. */
	assert_false(vtd_fake_inject_fault(&fake, 2, 1, 0, 1, true, 0));
	assert_true(mmio.read32(&fake, 0x34) & 1);
	assert_false(vtd_fake_inject_fault(&fake, 4, 1, 0, 1, true, 0));
	/* F is write-1-to-clear; PPF follows the records. */
	mmio.write64(&fake, 0x248, 1ull << 63);
	mmio.write64(&fake, 0x258, 1ull << 63);
	assert_int_equal(mmio.read32(&fake, 0x34) & 2, 0);
	mmio.write32(&fake, 0x34, 1);
	assert_int_equal(mmio.read32(&fake, 0x34) & 1, 0);
	assert_int_equal(fake.bad_access, 0);
}

static void test_fake_access_rules(void **state)
{
	(void)state;
	vtd_fake_init(&fake, &mem, CAP, ECAP);
	mmio = vtd_fake_mmio(&fake);
	assert_int_equal(mmio.read64(&fake, 0x08), CAP);
	assert_int_equal(mmio.read32(&fake, 0x00), 0x10);
	assert_int_equal(mmio.read32(&fake, 0x08), UINT32_MAX);
	assert_int_equal(fake.bad_access, 1);
	mmio.write32(&fake, 0x88, 0);
	mmio.write64(&fake, 0x18, 0);
	mmio.write64(&fake, 0x08, 0);
	mmio.read64(&fake, 0x2000);
	assert_int_equal(fake.bad_access, 5);
	assert_int_equal(mmio.read64(&fake, 0xf0), 0); /* IVA at IRO */
	assert_int_equal(fake.bad_access, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_enable_preserves_gcmd),
		T(test_enable_after_firmware_qi),
		T(test_enable_busy_firmware_queue),
		T(test_enable_timeout),
		T(test_init_errors),
		T(test_disable),
		T(test_commit_before_enable),
		T(test_encode_context),
		T(test_encode_iotlb),
		T(test_encode_pasid_cache_256),
		T(test_encode_devtlb),
		T(test_cover_minimal),
		T(test_cover_random),
		T(test_range_via_queue),
		T(test_range_fallbacks),
		T(test_dedup_iotlb),
		T(test_dedup_context_pasid),
		T(test_batch_overflow),
		T(test_order_and_stats),
		T(test_wraparound),
		T(test_split),
		T(test_queue_full_waits),
		T(test_timeout_recovers),
		T(test_timeout_without_clock),
		T(test_iqe_recovers),
		T(test_iqe_on_wait),
		T(test_ite_recovers),
		T(test_ice_reported),
		T(test_register_based),
		T(test_register_timeout),
		T(test_wbf),
		T(test_bad_requests),
		T(test_fake_fault_records),
		T(test_fake_access_rules),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
