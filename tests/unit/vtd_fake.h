/* SPDX-License-Identifier: MIT */
/*
 * A fake VT-d unit for host tests: a register file with the semantics the
 * drivers depend on, an invalidation-queue engine that fetches and checks
 * descriptors the way QEMU 7.2 does (plus the spec's rules QEMU skips),
 * fault recording registers a test can fill, and fake physical memory
 * (pages with made-up physical addresses) that both the code under test
 * and the fake unit's "DMA" use.
 *
 * Register semantics:
 * - GCMD/GSTS: TE, QIE, IRE, CFI, EAFL mirror into GSTS; SRTP, SIRTP, SFL
 *   set RTPS, IRTPS, FLS and those stay set (as in QEMU), so a driver that
 *   writes GSTS back into GCMD without masking them re-latches the root
 *   table (counted in srtp); WBF completes at once (WBFS reads 0). QIE on
 *   latches IQA (base, QS, DW if ECAP.SMTS); QIE off is refused unless the
 *   queue is empty and its last descriptor was a wait (QEMU's rule).
 * - CCMD (ICC) and the IOTLB register at ECAP.IRO * 16 (IVT) perform the
 *   invalidation, log it, report the actual granularity and self-clear;
 *   both are ignored while QI is enabled (QEMU), so ICC/IVT stay set.
 * - IQT: a write makes the engine process descriptors from IQH to IQT,
 *   unless FSTS.IQE/ITE is set (then only the next IQT write resumes, as
 *   in QEMU) or the test stalls the unit. Each valid descriptor is logged;
 *   a wait with SW writes its status data through the fake memory.
 * - FSTS: PFO, AFO, APF, IQE, ICE, ITE are write-1-to-clear; PPF reads 1
 *   while any fault record has F set. FRCD high qwords: F is W1C.
 * - Accesses must use the register's width (32 or 64 bits), be aligned and
 *   hit a defined register; anything else is counted in bad_access and
 *   ignored (reads return all-ones).
 * - Every register write (accepted or not) is traced in wr[] with the
 *   number of operations logged before it, so tests can check the order
 *   of writes and descriptors.
 *
 * Identity DMA: with a NULL struct vtd_fake_mem the unit's DMA treats a
 * physical address as a host pointer (code under test allocating host
 * pages whose address is their "physical" address).
 */
#ifndef TESTS_UNIT_VTD_FAKE_H
#define TESTS_UNIT_VTD_FAKE_H

#include "drivers/iommu/intel/vtd_regs.h"
#include "kernel/mm/addr.h"

/* QEMU 7.2 intel-iommu, caching-mode=on, aw-bits=39. */
#define VTD_FAKE_CAP_QEMU  0x00d2008c22260286ull
#define VTD_FAKE_ECAP_QEMU 0x0000000000f00f4aull
/* The same with x-scalable-mode=on (SMTS, SRS, SLTS). */
#define VTD_FAKE_ECAP_QEMU_SM 0x0000480080f00f4aull

#define VTD_FAKE_REG_SIZE 0x1000
#define VTD_FAKE_LOG_MAX  2048
#define VTD_FAKE_GCMD_MAX 64
#define VTD_FAKE_WR_MAX	  256
#define VTD_FAKE_NO_PASID UINT32_MAX
#define VTD_FAKE_ANY_TYPE 0x10 /* vtd_fake_fail_next(): any descriptor */
#define VTD_FAKE_MEM_BASE 0x40000000ull /* physical address of page 0 */

/* ---- fake physical memory -------------------------------------------- */

struct vtd_fake_mem {
	uint64_t base;
	unsigned npages, used;
	uint8_t *data;	     /* npages * 4 KiB, page-aligned */
	unsigned fail_after; /* allocations that succeed; then -HV_ENOMEM */
	unsigned flushes;    /* vtd_fake_mem_flush() calls */
	uint64_t flushed;    /* bytes flushed */
};

void vtd_fake_mem_init(struct vtd_fake_mem *m, unsigned npages);
void vtd_fake_mem_fini(struct vtd_fake_mem *m);
/* struct vtd_inval_mem-style callbacks; ctx is the struct vtd_fake_mem. */
int vtd_fake_mem_alloc(void *ctx, hpa_t *pa);
void *vtd_fake_mem_va(void *ctx, hpa_t pa);
void vtd_fake_mem_flush(void *ctx, const void *va, size_t len);
/*
 * Device-side access; false when [pa, pa + len) is not allocated. m NULL:
 * identity DMA (pa is a host pointer; false only for pa 0).
 */
bool vtd_fake_mem_read(struct vtd_fake_mem *m, uint64_t pa, void *buf,
		       size_t len);
bool vtd_fake_mem_write(struct vtd_fake_mem *m, uint64_t pa, const void *buf,
			size_t len);

/* A clock that advances step_us at every reading. */
struct vtd_fake_clock {
	uint64_t now_us, step_us;
	unsigned long reads;
};
uint64_t vtd_fake_clock_now(void *clock_ctx);

/* ---- the unit -------------------------------------------------------- */

enum vtd_fake_op_kind {
	VTD_FAKE_OP_DESC,  /* queued descriptor: qw[0..3], slot, width */
	VTD_FAKE_OP_CCMD,  /* register context-cache: qw[0] = CCMD written */
	VTD_FAKE_OP_IOTLB, /* register IOTLB: qw[0] = IOTLB reg, qw[1] = IVA */
	VTD_FAKE_OP_WBF,   /* write-buffer flush */
};

struct vtd_fake_op {
	enum vtd_fake_op_kind kind;
	unsigned slot, width;
	uint64_t qw[4];
};

/* A register write: offset, width in bytes, value, log[] entries before. */
struct vtd_fake_wr {
	unsigned off, width, nlog;
	uint64_t v;
};

struct vtd_fake {
	uint8_t regs[VTD_FAKE_REG_SIZE];
	uint64_t cap, ecap;
	struct vtd_fake_mem *mem;
	unsigned iro, fro, nfr; /* from ECAP.IRO, CAP.FRO, CAP.NFR + 1 */
	/* Queue as latched when QIE was set. */
	bool qi_on, dw;
	uint64_t iq_base;
	unsigned iq_size, head, tail, last_type;
	uint64_t rtaddr; /* latched by SRTP */
	/* Failure injection. */
	bool stall;	    /* IQT writes do not process the queue */
	bool hang;	    /* GCMD, CCMD, IOTLB commands never complete */
	bool no_iqercd;	    /* IQERCD reads 0, as in QEMU 7.2 */
	bool ite_devtlb;    /* the next device-TLB descriptor times out */
	unsigned fail_type; /* next descriptor of this type is invalid */
	unsigned fail_iqei; /* IQEI reported for it */
	/* What the unit was told. */
	struct vtd_fake_op log[VTD_FAKE_LOG_MAX];
	unsigned nlog, lost;
	uint32_t gcmd[VTD_FAKE_GCMD_MAX];
	unsigned ngcmd;
	struct vtd_fake_wr wr[VTD_FAKE_WR_MAX];
	unsigned nwr, wr_lost;
	unsigned srtp;	     /* root-table pointer latches */
	unsigned bad_access; /* wrong width, offset, or read-only write */
	unsigned errors;     /* descriptors or commands refused */
	char error[160];     /* why, for the last one */
};

/*
 * Reset f to a unit with these capabilities, using mem for its DMA (NULL:
 * identity DMA).
 */
void vtd_fake_init(struct vtd_fake *f, struct vtd_fake_mem *mem, uint64_t cap,
		   uint64_t ecap);
/* Register access for the code under test. */
struct vtd_mmio vtd_fake_mmio(struct vtd_fake *f);

/* Raw register contents, without side effects (for tests' set-up). */
uint32_t vtd_fake_get32(const struct vtd_fake *f, unsigned off);
uint64_t vtd_fake_get64(const struct vtd_fake *f, unsigned off);
void vtd_fake_set32(struct vtd_fake *f, unsigned off, uint32_t v);
void vtd_fake_set64(struct vtd_fake *f, unsigned off, uint64_t v);

/*
 * Make the next fetched descriptor of type (VTD_INV_*, or
 * VTD_FAKE_ANY_TYPE) invalid: FSTS.IQE is set with IQERCD.IQEI = iqei and
 * IQH stays on it.
 */
void vtd_fake_fail_next(struct vtd_fake *f, unsigned type, unsigned iqei);
/* Report an invalidation completion error (FSTS.ICE, IQERCD.ICESID). */
void vtd_fake_set_ice(struct vtd_fake *f, uint16_t sid);
/*
 * Fill fault record index as hardware does: F, fault reason, source id,
 * T (set for reads), page address, PASID (VTD_FAKE_NO_PASID: none). Sets
 * FSTS.FRI and FECTL.IP when it is the first pending fault. A record still
 * holding a fault is not overwritten: FSTS.PFO is set and false returned;
 * false also for an index beyond CAP.NFR.
 */
bool vtd_fake_inject_fault(struct vtd_fake *f, unsigned index, uint16_t sid,
			   uint64_t addr, uint8_t reason, bool is_write,
			   uint32_t pasid);

/* Forget the operation log, the GCMD writes and the write trace. */
void vtd_fake_log_reset(struct vtd_fake *f);
/* Logged operations of kind (and, for descriptors, type; 0: any type). */
unsigned vtd_fake_count(const struct vtd_fake *f, enum vtd_fake_op_kind kind,
			unsigned type);
/* The i-th logged descriptor of type (0: any), or NULL. */
const struct vtd_fake_op *vtd_fake_desc(const struct vtd_fake *f, unsigned type,
					unsigned i);

/*
 * Index in wr[] of the first write at or after wr[from] to off whose value
 * has every bit of bits set (bits 0: any write), or -1.
 */
int vtd_fake_find_write(const struct vtd_fake *f, unsigned off, uint64_t bits,
			unsigned from);

#endif
