/* SPDX-License-Identifier: MIT */
/*
 * VT-d primary fault logging (spec chapter 7; FSTS 11.4.9, fault recording
 * registers 11.4.14): reading the fault recording registers, decoding them
 * into struct iommu_fault and clearing them. Polling only: no fault event
 * interrupt is used (FECTL stays as reset, IM set); the core calls
 * vtd_fault_poll() before the console prints faults and while a self-test
 * waits for a DMA (a timer may be added later). Register access goes
 * through struct vtd_mmio, so host tests run this code on a fake unit.
 */
#ifndef DRIVERS_IOMMU_INTEL_FAULT_H
#define DRIVERS_IOMMU_INTEL_FAULT_H

#include "drivers/iommu/fault_ring.h"
#include "drivers/iommu/intel/vtd_regs.h"
#include "kernel/types.h"

/* Fault records read and cleared per poll, at most (bounded work). */
#define VTD_FAULT_POLL_MAX 16

struct vtd_fault_unit {
	const struct vtd_mmio *mmio;
	int unit;	   /* index shown in logs and `faults` */
	uint16_t segment;  /* PCI segment of the unit's devices */
	unsigned frcd;	   /* offset of recording register 0: CAP.FRO * 16 */
	unsigned nfr;	   /* recording registers: CAP.NFR + 1 */
	unsigned next;	   /* where a poll cut short resumes */
	bool resume;	   /* the last poll stopped at VTD_FAULT_POLL_MAX */
	bool bad_fri_seen; /* FSTS.FRI out of range was reported */
	bool gone_seen;	   /* FSTS read as all ones was reported */
	struct fault_ratelimit rl;
};

/*
 * Prepare fault handling of one unit from its CAP register. The recording
 * registers must lie inside the reg_size bytes of register space;
 * otherwise one line is logged and -HV_EINVAL returned.
 */
int vtd_fault_init(struct vtd_fault_unit *u, const struct vtd_mmio *mmio,
		   int unit, uint16_t segment, uint64_t cap, uint64_t reg_size);

/*
 * Read FSTS; when PPF is set, read, decode, push into ring and clear (write
 * F back) up to VTD_FAULT_POLL_MAX pending records, starting at FSTS.FRI
 * (or where the previous poll stopped) and wrapping over the NFR + 1
 * registers; when PFO is set, count it and clear it. FSTS is written with
 * PFO only: the invalidation error bits (IQE, ICE, ITE) belong to the
 * invalidation code. now_us stamps the faults and drives the log rate
 * limit. Returns the number of records read (0 when nothing was pending).
 */
int vtd_fault_poll(struct vtd_fault_unit *u, uint64_t now_us,
		   struct fault_ring *ring);

/* Decode one record (lo: bits 63:0, hi: bits 127:64); never fails. */
void vtd_fault_decode(uint64_t lo, uint64_t hi, int unit, uint16_t segment,
		      uint64_t now_us, struct iommu_fault *f);

/*
 * The fault reason in words (spec appendix A): every DMA-remapping,
 * interrupt-remapping and scalable-mode encoding; any other code gives
 * "reserved reason 0xNN". Never NULL, always a static string.
 */
const char *vtd_fault_reason_str(uint8_t reason);

#endif
