/* SPDX-License-Identifier: MIT */
/*
 * IOMMU fault records, independent of the hardware: every driver (VT-d now,
 * SMMUv3 later) decodes its own records into struct iommu_fault and hands
 * them here. The ring keeps the most recent FAULT_RING_SIZE faults for the
 * `faults` command and counts every fault; log lines are rate-limited per
 * unit so that a fault storm cannot flood the console (docs/faults.md).
 *
 * No locking: the caller serialises pushes, prints and clears (the core
 * polls faults and runs console commands on one CPU).
 */
#ifndef DRIVERS_IOMMU_FAULT_RING_H
#define DRIVERS_IOMMU_FAULT_RING_H

#include "drivers/pci/pci.h"
#include "kernel/types.h"

#define FAULT_RING_SIZE	    64	       /* faults kept for `faults` */
#define FAULT_LOG_BURST	    10	       /* log lines per unit per window */
#define FAULT_LOG_WINDOW_US 1000000ull /* rate-limit window: one second */
#define FAULT_LINE_MAX	    160	       /* a formatted fault, NUL included */

struct iommu_fault {
	uint64_t time_us; /* when software read the record */
	int unit;	  /* IOMMU unit (DRHD index) that recorded it */
	pci_sbdf_t sbdf;  /* segment of the unit, bus/devfn of the requester */
	bool pasid_present;
	uint32_t pasid; /* valid when pasid_present */
	uint64_t addr;	/* page address (fault info) as the hardware gives it */
	bool is_write;	/* false: read (or atomic) request */
	bool is_exec;	/* execute permission requested */
	bool priv;	/* privileged (supervisor) request */
	uint8_t reason;
	const char *reason_str; /* static string, never NULL */
};

struct fault_ring {
	struct iommu_fault entry[FAULT_RING_SIZE];
	unsigned head;	     /* slot the next fault goes to */
	unsigned count;	     /* faults held, at most FAULT_RING_SIZE */
	uint64_t total;	     /* faults pushed since the last clear */
	uint64_t overflow;   /* times a unit reported lost faults (PFO) */
	uint64_t not_logged; /* faults kept but not logged (rate limit) */
};

/* Log rate limiter, one per unit, embedded in the driver's unit state. */
struct fault_ratelimit {
	bool started;
	uint64_t window_start_us;
	unsigned logged;     /* lines logged in the current window */
	uint64_t suppressed; /* faults not logged in the current window */
};

/* Empty the ring and zero its counters (also a valid initialiser). */
void fault_ring_clear(struct fault_ring *r);

/* Store f, dropping the oldest fault when full, and count it. */
void fault_ring_push(struct fault_ring *r, const struct iommu_fault *f);

/* Faults held; fault_ring_get(r, 0) is the oldest, NULL past the end. */
unsigned fault_ring_count(const struct fault_ring *r);
const struct iommu_fault *fault_ring_get(const struct fault_ring *r,
					 unsigned i);

/*
 * Open a new window once the current one (FAULT_LOG_WINDOW_US long) has
 * passed, logging "IOMMU: N faults not logged in the last second" first
 * when the old window dropped lines. Drivers call it on every poll, so the
 * summary comes out even when the storm has stopped. Constant time.
 */
void fault_ratelimit_tick(struct fault_ratelimit *rl, uint64_t now_us);

/*
 * Push f and log it (one line "IOMMU: fault <fault_format>") unless the
 * unit has logged FAULT_LOG_BURST lines in this window; then it is only
 * counted in r->not_logged and in the next summary. f->time_us is the time.
 */
void fault_ring_report(struct fault_ring *r, struct fault_ratelimit *rl,
		       const struct iommu_fault *f);

/* The unit dropped faults (its records were full): count and log it. */
void fault_ring_overflow(struct fault_ring *r, struct fault_ratelimit *rl,
			 int unit, uint64_t now_us);

/*
 * One fault as "unit U SSSS:BB:DD.F ACCESS 0xADDR reason 0xRR TEXT" plus
 * " pasid 0xP" when a PASID was present (no time stamp, no newline).
 * ACCESS is "read" or "write", followed by "+exec" and "+priv" when those
 * were requested. Returns what snprintf returns.
 */
int fault_format(const struct iommu_fault *f, char *buf, size_t size);

/*
 * The `faults` listing: a header line
 * "faults: N total, N shown, N dropped by hardware (overflow), N not logged"
 * then one line per fault, oldest first: "[SSSSS.UUUUUU] " + fault_format.
 */
void fault_ring_print(const struct fault_ring *r);

/*
 * The `faults` command on r: "faults" prints, "faults clear" empties the
 * ring ("faults cleared"); anything else prints
 * "error: usage: faults [clear]" and returns -HV_EINVAL.
 */
int fault_ring_cmd(struct fault_ring *r, int argc, char **argv);

#endif
