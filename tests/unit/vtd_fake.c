// SPDX-License-Identifier: MIT
/*
 * Fake VT-d unit and fake physical memory (see vtd_fake.h). Descriptor
 * checks follow QEMU 7.2's vtd_process_inv_desc() reserved-bit masks and
 * add the spec's rules QEMU does not check (upper qwords of 256-bit
 * descriptors, PSI address alignment, types the unit does not support).
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/errno.h"
#include "vtd_fake.h"

/* Reserved bits QEMU 7.2 checks (hw/i386/intel_iommu_internal.h). */
#define RSVD_CC_LO     0xfffc00000000ffc0ull
#define RSVD_IOTLB_LO  0xffffffff0000ff00ull
#define RSVD_IOTLB_HI  0x0000000000000f80ull
#define RSVD_DEVTLB_LO 0xffff0000ffe0fff8ull
#define RSVD_DEVTLB_HI 0x0000000000000ffeull
#define RSVD_WAIT_LO   0x00000000ffffff80ull
#define RSVD_WAIT_HI   0x0000000000000003ull
#define RSVD_PIOTLB_LO 0xfff00000000001c0ull
#define RSVD_PIOTLB_HI 0x0000000000000f80ull
/* PASID-cache: bits 8:6, 15:12 and 63:52 (spec 6.5.2.2). */
#define RSVD_PC_LO   0xfff000000000f1c0ull
#define DEVTLB_PFSID 0xfff000000000f000ull
#define ECAP_DIT     BIT(41)
#define FSTS_W1C     0x7dull /* PFO, AFO, APF, IQE, ICE, ITE */
#define GCMD_PERSISTENT                                             \
	(VTD_GCMD_TE | VTD_GCMD_QIE | VTD_GCMD_IRE | VTD_GCMD_CFI | \
	 VTD_GCMD_EAFL)

enum exec_result { EXEC_OK, EXEC_STOP_HERE, EXEC_STOP_AFTER };

/* ---- fake memory ----------------------------------------------------- */

void vtd_fake_mem_init(struct vtd_fake_mem *m, unsigned npages)
{
	memset(m, 0, sizeof(*m));
	m->base = VTD_FAKE_MEM_BASE;
	m->npages = npages;
	m->fail_after = UINT32_MAX;
	m->data = aligned_alloc(PAGE_SIZE, (size_t)npages * PAGE_SIZE);
	assert(m->data);
	memset(m->data, 0xa5, (size_t)npages * PAGE_SIZE);
}

void vtd_fake_mem_fini(struct vtd_fake_mem *m)
{
	free(m->data);
	m->data = NULL;
}

int vtd_fake_mem_alloc(void *ctx, hpa_t *pa)
{
	struct vtd_fake_mem *m = ctx;

	if (m->used == m->npages || m->fail_after == 0)
		return -HV_ENOMEM;
	if (m->fail_after != UINT32_MAX)
		m->fail_after--;
	memset(m->data + (size_t)m->used * PAGE_SIZE, 0, PAGE_SIZE);
	*pa = hpa(m->base + (uint64_t)m->used * PAGE_SIZE);
	m->used++;
	return 0;
}

static uint8_t *mem_ptr(struct vtd_fake_mem *m, uint64_t pa, size_t len)
{
	uint64_t end = m->base + (uint64_t)m->used * PAGE_SIZE;

	if (pa < m->base || pa > end || len > end - pa)
		return NULL;
	return m->data + (pa - m->base);
}

void *vtd_fake_mem_va(void *ctx, hpa_t pa)
{
	return mem_ptr(ctx, pa.v, 1);
}

void vtd_fake_mem_flush(void *ctx, const void *va, size_t len)
{
	struct vtd_fake_mem *m = ctx;

	(void)va;
	m->flushes++;
	m->flushed += len;
}

/* Identity DMA (m NULL): the physical address is the host pointer. */
static uint8_t *dma_ptr(struct vtd_fake_mem *m, uint64_t pa, size_t len)
{
	if (!m)
		return pa ? (uint8_t *)(uintptr_t)pa : NULL;
	return mem_ptr(m, pa, len);
}

bool vtd_fake_mem_read(struct vtd_fake_mem *m, uint64_t pa, void *buf,
		       size_t len)
{
	uint8_t *p = dma_ptr(m, pa, len);

	if (p)
		memcpy(buf, p, len);
	return p != NULL;
}

bool vtd_fake_mem_write(struct vtd_fake_mem *m, uint64_t pa, const void *buf,
			size_t len)
{
	uint8_t *p = dma_ptr(m, pa, len);

	if (p)
		memcpy(p, buf, len);
	return p != NULL;
}

uint64_t vtd_fake_clock_now(void *clock_ctx)
{
	struct vtd_fake_clock *c = clock_ctx;
	uint64_t now = c->now_us;

	c->now_us += c->step_us;
	c->reads++;
	return now;
}

/* ---- raw registers --------------------------------------------------- */

uint32_t vtd_fake_get32(const struct vtd_fake *f, unsigned off)
{
	uint32_t v;

	assert(off + 4 <= VTD_FAKE_REG_SIZE);
	memcpy(&v, f->regs + off, 4);
	return v;
}

uint64_t vtd_fake_get64(const struct vtd_fake *f, unsigned off)
{
	uint64_t v;

	assert(off + 8 <= VTD_FAKE_REG_SIZE);
	memcpy(&v, f->regs + off, 8);
	return v;
}

void vtd_fake_set32(struct vtd_fake *f, unsigned off, uint32_t v)
{
	assert(off + 4 <= VTD_FAKE_REG_SIZE);
	memcpy(f->regs + off, &v, 4);
}

void vtd_fake_set64(struct vtd_fake *f, unsigned off, uint64_t v)
{
	assert(off + 8 <= VTD_FAKE_REG_SIZE);
	memcpy(f->regs + off, &v, 8);
}

static void set_bits32(struct vtd_fake *f, unsigned off, uint32_t set,
		       uint32_t clear)
{
	vtd_fake_set32(f, off, (vtd_fake_get32(f, off) & ~clear) | set);
}

/* Record why something was refused (errors counts it). */
__attribute__((format(printf, 2, 3))) static void refuse(struct vtd_fake *f,
							 const char *fmt, ...)
{
	va_list ap;

	f->errors++;
	va_start(ap, fmt);
	vsnprintf(f->error, sizeof(f->error), fmt, ap);
	va_end(ap);
}

static void log_op(struct vtd_fake *f, enum vtd_fake_op_kind kind,
		   unsigned slot, unsigned width, const uint64_t *qw)
{
	struct vtd_fake_op *op;

	if (f->nlog == VTD_FAKE_LOG_MAX) {
		f->lost++;
		return;
	}
	op = &f->log[f->nlog++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->slot = slot;
	op->width = width;
	if (qw)
		memcpy(op->qw, qw, width ? width : 16);
}

void vtd_fake_init(struct vtd_fake *f, struct vtd_fake_mem *mem, uint64_t cap,
		   uint64_t ecap)
{
	memset(f, 0, sizeof(*f));
	f->cap = cap;
	f->ecap = ecap;
	f->mem = mem;
	f->iro = FIELD_GET(VTD_ECAP_IRO, ecap) * 16;
	f->fro = FIELD_GET(VTD_CAP_FRO, cap) * 16;
	f->nfr = FIELD_GET(VTD_CAP_NFR, cap) + 1;
	assert(f->iro >= 0x20 && f->iro + 16 <= VTD_FAKE_REG_SIZE);
	assert(f->fro >= 0x100 && f->fro + 16 * f->nfr <= VTD_FAKE_REG_SIZE);
	vtd_fake_set32(f, VTD_VER_REG, 0x10);
	vtd_fake_set64(f, VTD_CAP_REG, cap);
	vtd_fake_set64(f, VTD_ECAP_REG, ecap);
}

/* ---- register map ---------------------------------------------------- */

/* Width in bytes of the register at off, 0 if none is defined there. */
static unsigned reg_width(const struct vtd_fake *f, unsigned off)
{
	static const uint16_t r32[] = {
		0x00, 0x18, 0x1c, 0x34, 0x38, 0x3c, 0x40, 0x44,
		0x64, 0x68, 0x6c, 0x9c, 0xa0, 0xa4, 0xa8, 0xac,
	};
	static const uint16_t r64[] = {
		0x08, 0x10, 0x20, 0x28, 0x58, 0x70,
		0x78, 0x80, 0x88, 0x90, 0xb0, 0xb8,
	};
	unsigned i;

	for (i = 0; i < sizeof(r32) / sizeof(r32[0]); i++)
		if (off == r32[i])
			return 4;
	for (i = 0; i < sizeof(r64) / sizeof(r64[0]); i++)
		if (off == r64[i])
			return 8;
	if (off == f->iro || off == f->iro + 8)
		return 8;
	if (off >= f->fro && off < f->fro + 16 * f->nfr && !(off & 7))
		return 8;
	return 0;
}

static void trace_write(struct vtd_fake *f, unsigned off, unsigned width,
			uint64_t v)
{
	struct vtd_fake_wr *w;

	if (f->nwr == VTD_FAKE_WR_MAX) {
		f->wr_lost++;
		return;
	}
	w = &f->wr[f->nwr++];
	w->off = off;
	w->width = width;
	w->nlog = f->nlog;
	w->v = v;
}

static bool access_ok(struct vtd_fake *f, unsigned off, unsigned width)
{
	if (off < VTD_FAKE_REG_SIZE && reg_width(f, off) == width)
		return true;
	f->bad_access++;
	snprintf(f->error, sizeof(f->error),
		 "%u-bit access to 0x%x (register width %u)", width * 8, off,
		 off < VTD_FAKE_REG_SIZE ? reg_width(f, off) * 8 : 0);
	return false;
}

static bool fault_pending(const struct vtd_fake *f)
{
	unsigned i;

	for (i = 0; i < f->nfr; i++)
		if (vtd_fake_get64(f, f->fro + 16 * i + 8) & VTD_FRCD_F)
			return true;
	return false;
}

static uint32_t f_read32(void *ctx, unsigned off)
{
	struct vtd_fake *f = ctx;
	uint32_t v;

	if (!access_ok(f, off, 4))
		return UINT32_MAX;
	v = vtd_fake_get32(f, off);
	if (off == VTD_FSTS_REG)
		v = (v & ~(uint32_t)VTD_FSTS_PPF) |
		    (fault_pending(f) ? VTD_FSTS_PPF : 0);
	return v;
}

static uint64_t f_read64(void *ctx, unsigned off)
{
	struct vtd_fake *f = ctx;

	if (!access_ok(f, off, 8))
		return UINT64_MAX;
	if (off == VTD_IQERCD_REG && f->no_iqercd)
		return 0;
	return vtd_fake_get64(f, off);
}

/* ---- invalidation queue engine --------------------------------------- */

/* Invalidation queue error: IQH stays on the descriptor (6.5.2.10). */
static enum exec_result queue_error(struct vtd_fake *f, unsigned iqei)
{
	uint64_t rec = vtd_fake_get64(f, VTD_IQERCD_REG);

	set_bits32(f, VTD_FSTS_REG, VTD_FSTS_IQE, 0);
	set_bits32(f, VTD_FECTL_REG, VTD_FECTL_IP, 0);
	rec = (rec & ~VTD_IQERCD_IQEI) | FIELD_PREP(VTD_IQERCD_IQEI, iqei);
	vtd_fake_set64(f, VTD_IQERCD_REG, rec);
	return EXEC_STOP_HERE;
}

/* Non-zero reserved bits: IQEI 4. */
static enum exec_result rsvd(struct vtd_fake *f, const uint64_t *d, uint64_t lo,
			     uint64_t hi, const char *what)
{
	if (!(d[0] & lo) && !(d[1] & hi))
		return EXEC_OK;
	refuse(f, "%s descriptor 0x%016llx 0x%016llx: reserved bits set", what,
	       (unsigned long long)d[0], (unsigned long long)d[1]);
	return queue_error(f, 4);
}

static enum exec_result bad(struct vtd_fake *f, const uint64_t *d,
			    unsigned iqei, const char *why)
{
	refuse(f, "descriptor 0x%016llx 0x%016llx: %s",
	       (unsigned long long)d[0], (unsigned long long)d[1], why);
	return queue_error(f, iqei);
}

static enum exec_result check_iotlb(struct vtd_fake *f, const uint64_t *d)
{
	unsigned g = FIELD_GET(VTD_INV_G, d[0]);
	unsigned am = FIELD_GET(VTD_INV_IOTLB_AM, d[1]);

	if (rsvd(f, d, RSVD_IOTLB_LO, RSVD_IOTLB_HI, "IOTLB"))
		return EXEC_STOP_HERE;
	if (g == 0)
		return bad(f, d, 4, "IOTLB granularity 0");
	if (g != VTD_IOTLB_PAGE)
		return d[1] ? bad(f, d, 4, "address in a non-PSI IOTLB")
			    : EXEC_OK;
	if (!(f->cap & VTD_CAP_PSI))
		return bad(f, d, 4, "PSI but CAP.PSI is 0");
	if (am > FIELD_GET(VTD_CAP_MAMV, f->cap))
		return bad(f, d, 4, "AM above CAP.MAMV");
	if ((d[1] >> PAGE_SHIFT) & ((1ull << am) - 1))
		return bad(f, d, 4, "PSI address not aligned to AM");
	return EXEC_OK;
}

static enum exec_result check_wait(struct vtd_fake *f, const uint64_t *d)
{
	uint32_t data = (uint32_t)(d[0] >> 32);

	if (rsvd(f, d, RSVD_WAIT_LO, RSVD_WAIT_HI, "wait"))
		return EXEC_STOP_HERE;
	if ((d[0] & VTD_INV_WAIT_SW) && (d[0] & VTD_INV_WAIT_IF))
		return bad(f, d, 4, "wait with SW and IF (QEMU 7.2 aborts)");
	if (!(d[0] & (VTD_INV_WAIT_SW | VTD_INV_WAIT_IF)))
		return bad(f, d, 4, "wait without SW or IF (QEMU 7.2 refuses)");
	if (d[0] & VTD_INV_WAIT_IF)
		set_bits32(f, VTD_ICS_REG, VTD_ICS_IWC, 0);
	else if (!vtd_fake_mem_write(f->mem, d[1], &data, 4))
		return bad(f, d, 2, "status address not in memory");
	return EXEC_OK;
}

static enum exec_result check_devtlb(struct vtd_fake *f, const uint64_t *d)
{
	uint64_t lo = RSVD_DEVTLB_LO;

	if (!(f->ecap & VTD_ECAP_DT))
		return bad(f, d, 3, "device-TLB descriptor but ECAP.DT is 0");
	if (f->ecap & ECAP_DIT)
		lo &= ~DEVTLB_PFSID;
	return rsvd(f, d, lo, RSVD_DEVTLB_HI, "device-TLB");
}

static enum exec_result check_pasid(struct vtd_fake *f, const uint64_t *d,
				    unsigned type)
{
	if (!(f->ecap & VTD_ECAP_SMTS))
		return bad(f, d, 3, "PASID descriptor without ECAP.SMTS");
	if (type == VTD_INV_PIOTLB)
		return rsvd(f, d, RSVD_PIOTLB_LO, RSVD_PIOTLB_HI,
			    "PASID-IOTLB");
	if (FIELD_GET(VTD_INV_G, d[0]) == 2)
		return bad(f, d, 4, "PASID-cache granularity 2");
	return rsvd(f, d, RSVD_PC_LO, ~0ull, "PASID-cache");
}

static enum exec_result check_desc(struct vtd_fake *f, const uint64_t *d)
{
	unsigned type = FIELD_GET(VTD_INV_TYPE_LO, d[0]);

	if (FIELD_GET(VTD_INV_TYPE_HI, d[0]))
		return bad(f, d, 3, "type bits 11:9 set");
	if (d[2] || d[3])
		return bad(f, d, 4, "256-bit descriptor with upper qwords set");
	switch (type) {
	case VTD_INV_CC:
		if (FIELD_GET(VTD_INV_G, d[0]) == 0)
			return bad(f, d, 4, "context-cache granularity 0");
		return rsvd(f, d, RSVD_CC_LO, ~0ull, "context-cache");
	case VTD_INV_IOTLB:
		return check_iotlb(f, d);
	case VTD_INV_DEVTLB:
		return check_devtlb(f, d);
	case VTD_INV_IEC:
		if (!(f->ecap & VTD_ECAP_IR))
			return bad(f, d, 3, "IEC descriptor without ECAP.IR");
		return EXEC_OK;
	case VTD_INV_WAIT:
		return check_wait(f, d);
	case VTD_INV_PIOTLB:
	case VTD_INV_PC:
		return check_pasid(f, d, type);
	default:
		return bad(f, d, 3, "unknown descriptor type");
	}
}

static enum exec_result exec_desc(struct vtd_fake *f)
{
	unsigned width = f->dw ? 32 : 16;
	uint64_t d[4] = {0}, rec;
	unsigned type;

	if (!vtd_fake_mem_read(f->mem, f->iq_base + (uint64_t)f->head * width,
			       d, width))
		return bad(f, d, 2, "queue slot not in memory");
	type = FIELD_GET(VTD_INV_TYPE_LO, d[0]);
	if (f->fail_type &&
	    (f->fail_type == type || f->fail_type == VTD_FAKE_ANY_TYPE)) {
		f->fail_type = 0;
		return bad(f, d, f->fail_iqei, "failure injected by the test");
	}
	if (check_desc(f, d) != EXEC_OK)
		return EXEC_STOP_HERE;
	log_op(f, VTD_FAKE_OP_DESC, f->head, width, d);
	f->last_type = type;
	if (type == VTD_INV_DEVTLB && f->ite_devtlb) {
		f->ite_devtlb = false;
		rec = vtd_fake_get64(f, VTD_IQERCD_REG) & ~VTD_IQERCD_ITESID;
		rec |= FIELD_PREP(VTD_IQERCD_ITESID, d[0] >> 32);
		vtd_fake_set64(f, VTD_IQERCD_REG, rec);
		set_bits32(f, VTD_FSTS_REG, VTD_FSTS_ITE, 0);
		return EXEC_STOP_AFTER;
	}
	return EXEC_OK;
}

static void set_head(struct vtd_fake *f, unsigned head)
{
	f->head = head;
	vtd_fake_set64(f, VTD_IQH_REG, (uint64_t)head << (f->dw ? 5 : 4));
}

/* Fetch from IQH to IQT like QEMU's vtd_fetch_inv_desc(). */
static void process_queue(struct vtd_fake *f)
{
	enum exec_result r;

	if (f->stall ||
	    (vtd_fake_get32(f, VTD_FSTS_REG) & (VTD_FSTS_IQE | VTD_FSTS_ITE)))
		return;
	while (f->head != f->tail) {
		r = exec_desc(f);
		if (r == EXEC_STOP_HERE)
			return;
		set_head(f, (f->head + 1) % f->iq_size);
		if (r == EXEC_STOP_AFTER)
			return;
	}
}

static void write_iqt(struct vtd_fake *f, uint64_t v)
{
	unsigned tail = (unsigned)(v & VTD_IQ_QH_QT) >> (f->dw ? 5 : 4);

	vtd_fake_set64(f, VTD_IQT_REG, v);
	if (!f->qi_on)
		return;
	if ((v & ~VTD_IQ_QH_QT) || (f->dw && (v & 0x10)) ||
	    tail >= f->iq_size) {
		refuse(f, "IQT 0x%llx invalid", (unsigned long long)v);
		queue_error(f, 1);
		return;
	}
	f->tail = tail;
	process_queue(f);
}

/* ---- commands -------------------------------------------------------- */

static void qie_change(struct vtd_fake *f, bool on)
{
	uint64_t iqa = vtd_fake_get64(f, VTD_IQA_REG);

	if (on) {
		f->dw = (iqa & VTD_IQA_DW) && (f->ecap & VTD_ECAP_SMTS);
		f->iq_base = iqa & VTD_IQA_IQA;
		f->iq_size = 1u << (FIELD_GET(VTD_IQA_QS, iqa) + 8 - f->dw);
		f->qi_on = true;
		set_head(f, 0);
		set_bits32(f, VTD_GSTS_REG, VTD_GSTS_QIES, 0);
		if (vtd_fake_get64(f, VTD_IQT_REG))
			refuse(f, "QIE set with IQT not 0");
		write_iqt(f, vtd_fake_get64(f, VTD_IQT_REG));
		return;
	}
	if (f->head != f->tail || f->last_type != VTD_INV_WAIT) {
		refuse(f,
		       "QIE cleared with the queue busy (head %u tail %u last type %u)",
		       f->head, f->tail, f->last_type);
		return;
	}
	f->qi_on = false;
	set_head(f, 0);
	set_bits32(f, VTD_GSTS_REG, 0, VTD_GSTS_QIES);
}

static void write_gcmd(struct vtd_fake *f, uint32_t v)
{
	uint32_t sts = vtd_fake_get32(f, VTD_GSTS_REG);
	uint32_t changed = (sts ^ v) & GCMD_PERSISTENT & ~VTD_GCMD_QIE;

	if (f->ngcmd < VTD_FAKE_GCMD_MAX)
		f->gcmd[f->ngcmd++] = v;
	vtd_fake_set32(f, VTD_GCMD_REG, v);
	if (f->hang)
		return;
	/* Persistent enables share their bit positions with the status. */
	vtd_fake_set32(f, VTD_GSTS_REG, sts ^ changed);
	if ((sts ^ v) & VTD_GCMD_QIE)
		qie_change(f, v & VTD_GCMD_QIE);
	if (v & VTD_GCMD_SRTP) {
		f->srtp++;
		f->rtaddr = vtd_fake_get64(f, VTD_RTADDR_REG);
		set_bits32(f, VTD_GSTS_REG, VTD_GSTS_RTPS, 0);
	}
	if (v & VTD_GCMD_SIRTP)
		set_bits32(f, VTD_GSTS_REG, VTD_GSTS_IRTPS, 0);
	if (v & VTD_GCMD_SFL)
		set_bits32(f, VTD_GSTS_REG, VTD_GSTS_FLS, 0);
	if (v & VTD_GCMD_WBF) {
		if (!(f->cap & VTD_CAP_RWBF))
			refuse(f, "WBF but CAP.RWBF is 0");
		log_op(f, VTD_FAKE_OP_WBF, 0, 0, NULL);
	}
}

static void write_ccmd(struct vtd_fake *f, uint64_t v)
{
	uint64_t cirg = FIELD_GET(VTD_CCMD_CIRG, v), qw[2] = {v, 0};

	vtd_fake_set64(f, VTD_CCMD_REG, v);
	if (!(v & VTD_CCMD_ICC) || f->hang)
		return;
	if (f->qi_on) {
		refuse(f, "CCMD used while QI is enabled (QEMU ignores it)");
		return;
	}
	log_op(f, VTD_FAKE_OP_CCMD, 0, 0, qw);
	v &= ~(VTD_CCMD_ICC | VTD_CCMD_CAIG);
	vtd_fake_set64(f, VTD_CCMD_REG, v | FIELD_PREP(VTD_CCMD_CAIG, cirg));
}

static void write_iotlb(struct vtd_fake *f, uint64_t v)
{
	uint64_t g = FIELD_GET(VTD_IOTLB_IIRG, v), qw[2];
	uint64_t iva = vtd_fake_get64(f, f->iro + VTD_IVA_OFF);

	vtd_fake_set64(f, f->iro + VTD_IOTLB_OFF, v);
	if (!(v & VTD_IOTLB_IVT) || f->hang)
		return;
	if (f->qi_on) {
		refuse(f, "IOTLB register used while QI is enabled");
		return;
	}
	qw[0] = v;
	qw[1] = g == VTD_IOTLB_PAGE ? iva : 0;
	log_op(f, VTD_FAKE_OP_IOTLB, 0, 0, qw);
	/* Hardware may widen a PSI it cannot do; AM beyond MAMV fails. */
	if (g == VTD_IOTLB_PAGE && !(f->cap & VTD_CAP_PSI))
		g = VTD_IOTLB_DOMAIN;
	if (g == VTD_IOTLB_PAGE &&
	    FIELD_GET(VTD_IVA_AM, iva) > FIELD_GET(VTD_CAP_MAMV, f->cap))
		g = 0;
	v &= ~(VTD_IOTLB_IVT | VTD_IOTLB_IAIG);
	vtd_fake_set64(f, f->iro + VTD_IOTLB_OFF,
		       v | FIELD_PREP(VTD_IOTLB_IAIG, g));
}

static void f_write32(void *ctx, unsigned off, uint32_t v)
{
	struct vtd_fake *f = ctx;

	trace_write(f, off, 4, v);
	if (!access_ok(f, off, 4))
		return;
	switch (off) {
	case VTD_VER_REG:
	case VTD_GSTS_REG:
		f->bad_access++;
		snprintf(f->error, sizeof(f->error), "write to read-only 0x%x",
			 off);
		return;
	case VTD_GCMD_REG:
		write_gcmd(f, v);
		return;
	case VTD_FSTS_REG:
		set_bits32(f, off, 0, v & FSTS_W1C);
		return;
	case VTD_ICS_REG:
		set_bits32(f, off, 0, v & VTD_ICS_IWC);
		return;
	default:
		vtd_fake_set32(f, off, v);
	}
}

static void write_frcd(struct vtd_fake *f, unsigned off, uint64_t v)
{
	if ((off - f->fro) & 8) { /* high qword: F is write-1-to-clear */
		if (v & VTD_FRCD_F)
			vtd_fake_set64(f, off,
				       vtd_fake_get64(f, off) & ~VTD_FRCD_F);
		return;
	}
	f->bad_access++;
	snprintf(f->error, sizeof(f->error), "write to FRCD low 0x%x", off);
}

static void f_write64(void *ctx, unsigned off, uint64_t v)
{
	struct vtd_fake *f = ctx;

	trace_write(f, off, 8, v);
	if (!access_ok(f, off, 8))
		return;
	if (off == VTD_CAP_REG || off == VTD_ECAP_REG || off == VTD_IQH_REG ||
	    off == VTD_IQERCD_REG) {
		f->bad_access++;
		snprintf(f->error, sizeof(f->error), "write to read-only 0x%x",
			 off);
	} else if (off == VTD_CCMD_REG) {
		write_ccmd(f, v);
	} else if (off == VTD_IQT_REG) {
		write_iqt(f, v);
	} else if (off == f->iro + VTD_IOTLB_OFF) {
		write_iotlb(f, v);
	} else if (off >= f->fro && off < f->fro + 16 * f->nfr) {
		write_frcd(f, off, v);
	} else {
		vtd_fake_set64(f, off, v);
	}
}

struct vtd_mmio vtd_fake_mmio(struct vtd_fake *f)
{
	return (struct vtd_mmio){f_read32, f_read64, f_write32, f_write64, f};
}

/* ---- test controls --------------------------------------------------- */

void vtd_fake_fail_next(struct vtd_fake *f, unsigned type, unsigned iqei)
{
	f->fail_type = type;
	f->fail_iqei = iqei;
}

void vtd_fake_set_ice(struct vtd_fake *f, uint16_t sid)
{
	uint64_t rec = vtd_fake_get64(f, VTD_IQERCD_REG) & ~VTD_IQERCD_ICESID;

	vtd_fake_set64(f, VTD_IQERCD_REG,
		       rec | FIELD_PREP(VTD_IQERCD_ICESID, sid));
	set_bits32(f, VTD_FSTS_REG, VTD_FSTS_ICE, 0);
}

bool vtd_fake_inject_fault(struct vtd_fake *f, unsigned index, uint16_t sid,
			   uint64_t addr, uint8_t reason, bool is_write,
			   uint32_t pasid)
{
	unsigned off = f->fro + 16 * index;
	uint64_t hi;

	if (index >= f->nfr)
		return false;
	if (vtd_fake_get64(f, off + 8) & VTD_FRCD_F) {
		set_bits32(f, VTD_FSTS_REG, VTD_FSTS_PFO, 0);
		return false;
	}
	hi = VTD_FRCD_F | FIELD_PREP(VTD_FRCD_SID, sid) |
	     FIELD_PREP(VTD_FRCD_FR, reason) | (is_write ? 0 : VTD_FRCD_T);
	if (pasid != VTD_FAKE_NO_PASID)
		hi |= VTD_FRCD_PP | FIELD_PREP(VTD_FRCD_PV, pasid);
	if (!fault_pending(f)) {
		set_bits32(f, VTD_FSTS_REG, FIELD_PREP(VTD_FSTS_FRI, index),
			   VTD_FSTS_FRI);
		set_bits32(f, VTD_FECTL_REG, VTD_FECTL_IP, 0);
	}
	vtd_fake_set64(f, off, addr & VTD_FRCD_FI);
	vtd_fake_set64(f, off + 8, hi);
	return true;
}

void vtd_fake_log_reset(struct vtd_fake *f)
{
	f->nlog = 0;
	f->lost = 0;
	f->ngcmd = 0;
	f->nwr = 0;
	f->wr_lost = 0;
}

int vtd_fake_find_write(const struct vtd_fake *f, unsigned off, uint64_t bits,
			unsigned from)
{
	for (unsigned i = from; i < f->nwr; i++)
		if (f->wr[i].off == off && (f->wr[i].v & bits) == bits)
			return (int)i;
	return -1;
}

unsigned vtd_fake_count(const struct vtd_fake *f, enum vtd_fake_op_kind kind,
			unsigned type)
{
	unsigned i, n = 0;

	for (i = 0; i < f->nlog; i++)
		if (f->log[i].kind == kind &&
		    (kind != VTD_FAKE_OP_DESC || !type ||
		     (f->log[i].qw[0] & 0xf) == type))
			n++;
	return n;
}

const struct vtd_fake_op *vtd_fake_desc(const struct vtd_fake *f, unsigned type,
					unsigned i)
{
	unsigned k;

	for (k = 0; k < f->nlog; k++) {
		if (f->log[k].kind != VTD_FAKE_OP_DESC ||
		    (type && (f->log[k].qw[0] & 0xf) != type))
			continue;
		if (i-- == 0)
			return &f->log[k];
	}
	return NULL;
}
