// SPDX-License-Identifier: MIT
/*
 * VT-d primary fault logging: read the fault recording registers, decode
 * them, clear them. See fault.h for the contract and docs/faults.md.
 */
#include "drivers/iommu/intel/fault.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"

/* Architectural registers come first; records never overlay them. */
#define VTD_FRCD_MIN_OFF 0x100
#define VTD_FRCD_SIZE	 16

/*
 * Fault reason encodings, spec appendix A. 0x01-0x0d: DMA remapping
 * (legacy mode); 0x20-0x26: interrupt remapping (the record's address
 * field then holds the interrupt index in bits 63:48); 0x30 and up:
 * scalable mode. QEMU 7.2 also reports legacy codes in scalable mode.
 */
static const char *const vtd_reasons[256] = {
	[0x01] = "root entry not present",
	[0x02] = "context entry not present",
	[0x03] = "invalid context entry",
	[0x04] = "address beyond the address width",
	[0x05] = "write access to a read-only page",
	[0x06] = "read access to a page without read permission",
	[0x07] = "error accessing a second-level paging entry",
	[0x08] = "error accessing the root entry",
	[0x09] = "error accessing the context entry",
	[0x0a] = "reserved bits set in root entry",
	[0x0b] = "reserved bits set in context entry",
	[0x0c] = "reserved bits set in second-level paging entry",
	[0x0d] = "request blocked by context entry translation type",
	[0x20] = "interrupt request with reserved fields set",
	[0x21] = "interrupt index beyond the remapping table",
	[0x22] = "interrupt remapping entry not present",
	[0x23] = "error accessing the interrupt remapping table",
	[0x24] = "reserved bits set in interrupt remapping entry",
	[0x25] = "compatibility-format interrupt blocked",
	[0x26] = "interrupt blocked by source-id check",
	[0x30] = "sm: invalid root table address",
	[0x31] = "sm: request with PASID while root table is legacy",
	[0x32] = "sm: page request while root table is legacy",
	[0x38] = "sm: error accessing the root entry",
	[0x39] = "sm: root entry not present",
	[0x3a] = "sm: reserved bits set in root entry",
	[0x40] = "sm: error accessing the context entry",
	[0x41] = "sm: context entry not present",
	[0x42] = "sm: reserved bits set in context entry",
	[0x43] = "sm: invalid context entry",
	[0x44] = "sm: translation request with context entry DTE clear",
	[0x45] = "sm: request with PASID while context entry PASIDE clear",
	[0x46] = "sm: PASID beyond the context entry's directory size",
	[0x47] = "sm: page request with context entry PRE clear",
	[0x48] = "sm: RID_PASID error in context entry",
	[0x50] = "sm: error accessing the PASID directory entry",
	[0x51] = "sm: PASID directory entry not present",
	[0x52] = "sm: reserved bits set in PASID directory entry",
	[0x58] = "sm: error accessing the PASID table entry",
	[0x59] = "sm: PASID table entry not present",
	[0x5a] = "sm: reserved bits set in PASID table entry",
	[0x5b] = "sm: invalid PASID table entry",
	[0x5c] = "sm: execute request with PASID entry ERE clear",
	[0x5d] = "sm: supervisor request with PASID entry SRE clear",
	[0x70] = "sm: error accessing a first-level paging entry",
	[0x71] = "sm: first-level paging entry not present",
	[0x72] = "sm: reserved bits set in first-level paging entry",
	[0x73] = "sm: error accessing the first-level PML4 entry (nested)",
	[0x74] = "sm: first-level entry address beyond the width (nested)",
	[0x75] = "sm: no read permission in first-level PML4 entry (nested)",
	[0x76] = "sm: no read permission in first-level entry (nested)",
	[0x77] = "sm: no write permission in first-level entry (nested)",
	[0x78] = "sm: error accessing a second-level paging entry",
	[0x79] = "sm: read/write permission error in second-level entry",
	[0x7a] = "sm: reserved bits set in second-level paging entry",
	[0x7b] = "sm: invalid second-level page table pointer",
	[0x7c] = "sm: second-level A/D update needed under no-snoop",
	[0x80] = "sm: non-canonical first-level address",
	[0x81] = "sm: user request to a supervisor-only page",
	[0x82] = "sm: execute request without execute permission",
	[0x83] = "sm: address beyond the hardware's address width",
	[0x84] = "sm: second-level entry address beyond the width",
	[0x85] = "sm: write access without write permission",
	[0x86] = "sm: read access without read permission",
	[0x87] = "sm: request to the interrupt address range",
	[0x90] = "sm: first-level A/D update needed under no-snoop",
};

/* "reserved reason 0xNN" for every code, built by the preprocessor. */
#define VTD_RSV(h, l) "reserved reason 0x" #h #l
#define VTD_RSV16(h)                                                        \
	VTD_RSV(h, 0), VTD_RSV(h, 1), VTD_RSV(h, 2), VTD_RSV(h, 3),         \
		VTD_RSV(h, 4), VTD_RSV(h, 5), VTD_RSV(h, 6), VTD_RSV(h, 7), \
		VTD_RSV(h, 8), VTD_RSV(h, 9), VTD_RSV(h, a), VTD_RSV(h, b), \
		VTD_RSV(h, c), VTD_RSV(h, d), VTD_RSV(h, e), VTD_RSV(h, f)

static const char *const vtd_reserved[256] = {
	VTD_RSV16(0), VTD_RSV16(1), VTD_RSV16(2), VTD_RSV16(3),
	VTD_RSV16(4), VTD_RSV16(5), VTD_RSV16(6), VTD_RSV16(7),
	VTD_RSV16(8), VTD_RSV16(9), VTD_RSV16(a), VTD_RSV16(b),
	VTD_RSV16(c), VTD_RSV16(d), VTD_RSV16(e), VTD_RSV16(f),
};

const char *vtd_fault_reason_str(uint8_t reason)
{
	return vtd_reasons[reason] ? vtd_reasons[reason] : vtd_reserved[reason];
}

void vtd_fault_decode(uint64_t lo, uint64_t hi, int unit, uint16_t segment,
		      uint64_t now_us, struct iommu_fault *f)
{
	uint16_t sid = (uint16_t)FIELD_GET(VTD_FRCD_SID, hi);

	memset(f, 0, sizeof(*f));
	f->time_us = now_us;
	f->unit = unit;
	f->sbdf = PCI_SBDF(segment, sid >> 8, (sid >> 3) & 0x1f, sid & 0x7);
	f->pasid_present = hi & VTD_FRCD_PP;
	if (f->pasid_present)
		f->pasid = (uint32_t)FIELD_GET(VTD_FRCD_PV, hi);
	f->addr = lo & VTD_FRCD_FI;
	/* T (bit 126): 1 is a read (or atomic) request, 0 a write. */
	f->is_write = !(hi & VTD_FRCD_T);
	f->is_exec = hi & VTD_FRCD_EXE;
	f->priv = hi & VTD_FRCD_PRIV;
	f->reason = (uint8_t)FIELD_GET(VTD_FRCD_FR, hi);
	f->reason_str = vtd_fault_reason_str(f->reason);
}

int vtd_fault_init(struct vtd_fault_unit *u, const struct vtd_mmio *mmio,
		   int unit, uint16_t segment, uint64_t cap, uint64_t reg_size)
{
	uint64_t frcd = FIELD_GET(VTD_CAP_FRO, cap) * VTD_FRCD_SIZE;
	uint64_t nfr = FIELD_GET(VTD_CAP_NFR, cap) + 1;

	memset(u, 0, sizeof(*u));
	if (frcd < VTD_FRCD_MIN_OFF || frcd + nfr * VTD_FRCD_SIZE > reg_size) {
		log_err("VT-d: unit %d: %llu fault recording registers at "
			"0x%llx do not fit in 0x%llx bytes of registers",
			unit, (unsigned long long)nfr, (unsigned long long)frcd,
			(unsigned long long)reg_size);
		return -HV_EINVAL;
	}
	u->mmio = mmio;
	u->unit = unit;
	u->segment = segment;
	u->frcd = (unsigned)frcd;
	u->nfr = (unsigned)nfr;
	return 0;
}

/*
 * First register to look at. FSTS.FRI names the first pending record only
 * when PPF went from 0 to 1; after a poll cut short PPF never dropped, so
 * FRI is stale and we continue where we stopped.
 */
static unsigned vtd_fault_start(struct vtd_fault_unit *u, uint32_t fsts)
{
	unsigned fri = (unsigned)FIELD_GET(VTD_FSTS_FRI, fsts);

	if (u->resume)
		return u->next;
	if (fri < u->nfr)
		return fri;
	if (!u->bad_fri_seen)
		log_warn("VT-d: unit %d: fault record index %u beyond %u "
			 "registers, scanning from 0",
			 u->unit, fri, u->nfr);
	u->bad_fri_seen = true;
	return 0;
}

/*
 * Read and clear pending records in ring order from the start register.
 * Registers with F clear are skipped rather than ending the walk, so a
 * stale start still finds every pending record; at most nfr high halves
 * and VTD_FAULT_POLL_MAX records are read.
 */
static int vtd_fault_drain(struct vtd_fault_unit *u, uint32_t fsts,
			   uint64_t now_us, struct fault_ring *ring)
{
	const struct vtd_mmio *m = u->mmio;
	unsigned start = vtd_fault_start(u, fsts);
	int n = 0;

	for (unsigned i = 0; i < u->nfr && n < VTD_FAULT_POLL_MAX; i++) {
		unsigned idx = (start + i) % u->nfr;
		unsigned off = u->frcd + idx * VTD_FRCD_SIZE;
		struct iommu_fault f;
		uint64_t hi, lo;

		/* The half holding F first, then the rest (spec ch. 7). */
		hi = m->read64(m->ctx, off + VTD_FRCD_HI);
		if (!(hi & VTD_FRCD_F))
			continue;
		lo = m->read64(m->ctx, off + VTD_FRCD_LO);
		vtd_fault_decode(lo, hi, u->unit, u->segment, now_us, &f);
		fault_ring_report(ring, &u->rl, &f);
		/* F is write-1-to-clear; every other field is read-only. */
		m->write64(m->ctx, off + VTD_FRCD_HI, VTD_FRCD_F);
		u->next = (idx + 1) % u->nfr;
		n++;
	}
	u->resume = n == VTD_FAULT_POLL_MAX;
	return n;
}

int vtd_fault_poll(struct vtd_fault_unit *u, uint64_t now_us,
		   struct fault_ring *ring)
{
	const struct vtd_mmio *m = u->mmio;
	uint32_t fsts;
	int n = 0;

	if (!m)
		return -HV_EINVAL;
	fault_ratelimit_tick(&u->rl, now_us);
	fsts = m->read32(m->ctx, VTD_FSTS_REG);
	/* All ones: the unit no longer answers; records would be garbage. */
	if (fsts == 0xffffffffu) {
		if (!u->gone_seen)
			log_err("VT-d: unit %d: fault status reads all ones, "
				"fault records not read",
				u->unit);
		u->gone_seen = true;
		return -HV_EIO;
	}
	if (fsts & VTD_FSTS_PPF)
		n = vtd_fault_drain(u, fsts, now_us, ring);
	else
		u->resume = false;
	/*
	 * Cleared after the records were drained, so the unit can record
	 * again; write PFO alone (writing back what was read would also
	 * clear the invalidation code's IQE/ICE/ITE).
	 */
	if (fsts & VTD_FSTS_PFO) {
		fault_ring_overflow(ring, &u->rl, u->unit, now_us);
		m->write32(m->ctx, VTD_FSTS_REG, (uint32_t)VTD_FSTS_PFO);
	}
	return n;
}
