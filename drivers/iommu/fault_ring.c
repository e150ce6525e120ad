// SPDX-License-Identifier: MIT
/* The IOMMU fault ring, its counters and the per-unit log rate limit. */
#include "drivers/iommu/fault_ring.h"
#include "kernel/console/console.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"

void fault_ring_clear(struct fault_ring *r)
{
	memset(r, 0, sizeof(*r));
}

void fault_ring_push(struct fault_ring *r, const struct iommu_fault *f)
{
	r->entry[r->head] = *f;
	r->head = (r->head + 1) % FAULT_RING_SIZE;
	if (r->count < FAULT_RING_SIZE)
		r->count++;
	r->total++;
}

unsigned fault_ring_count(const struct fault_ring *r)
{
	return r->count;
}

const struct iommu_fault *fault_ring_get(const struct fault_ring *r, unsigned i)
{
	/* The oldest fault sits count slots behind head. */
	unsigned first =
		(r->head + FAULT_RING_SIZE - r->count) % FAULT_RING_SIZE;

	if (i >= r->count)
		return NULL;
	return &r->entry[(first + i) % FAULT_RING_SIZE];
}

void fault_ratelimit_tick(struct fault_ratelimit *rl, uint64_t now_us)
{
	if (!rl->started) {
		rl->started = true;
		rl->window_start_us = now_us;
		return;
	}
	/* A clock that went backwards also opens a new window. */
	if (now_us >= rl->window_start_us &&
	    now_us - rl->window_start_us < FAULT_LOG_WINDOW_US)
		return;
	if (rl->suppressed)
		log_warn("IOMMU: %llu faults not logged in the last second",
			 (unsigned long long)rl->suppressed);
	rl->window_start_us = now_us;
	rl->logged = 0;
	rl->suppressed = 0;
}

/* Whether one more line may be logged in this window (counts it if so). */
static bool fault_ratelimit_allow(struct fault_ratelimit *rl, uint64_t now_us)
{
	fault_ratelimit_tick(rl, now_us);
	if (rl->logged >= FAULT_LOG_BURST)
		return false;
	rl->logged++;
	return true;
}

void fault_ring_report(struct fault_ring *r, struct fault_ratelimit *rl,
		       const struct iommu_fault *f)
{
	char line[FAULT_LINE_MAX];

	fault_ring_push(r, f);
	if (!fault_ratelimit_allow(rl, f->time_us)) {
		rl->suppressed++;
		r->not_logged++;
		return;
	}
	fault_format(f, line, sizeof(line));
	log_warn("IOMMU: fault %s", line);
}

void fault_ring_overflow(struct fault_ring *r, struct fault_ratelimit *rl,
			 int unit, uint64_t now_us)
{
	r->overflow++;
	/* A storm overflows on every poll: this line is rate-limited too. */
	if (fault_ratelimit_allow(rl, now_us))
		log_warn(
			"IOMMU: unit %d fault records overflowed, the hardware "
			"dropped faults",
			unit);
}

int fault_format(const struct iommu_fault *f, char *buf, size_t size)
{
	char pasid[24] = "";

	if (f->pasid_present)
		snprintf(pasid, sizeof(pasid), " pasid 0x%x", f->pasid);
	return snprintf(buf, size,
			"unit %d %04x:%02x:%02x.%x %s%s%s 0x%016llx "
			"reason 0x%02x %s%s",
			f->unit, PCI_SBDF_SEG(f->sbdf), PCI_SBDF_BUS(f->sbdf),
			PCI_SBDF_DEV(f->sbdf), PCI_SBDF_FN(f->sbdf),
			f->is_write ? "write" : "read",
			f->is_exec ? "+exec" : "", f->priv ? "+priv" : "",
			(unsigned long long)f->addr, f->reason,
			f->reason_str ? f->reason_str : "", pasid);
}

void fault_ring_print(const struct fault_ring *r)
{
	char line[FAULT_LINE_MAX];

	console_printf("faults: %llu total, %u shown, %llu dropped by hardware "
		       "(overflow), %llu not logged\n",
		       (unsigned long long)r->total, r->count,
		       (unsigned long long)r->overflow,
		       (unsigned long long)r->not_logged);
	for (unsigned i = 0; i < r->count; i++) {
		const struct iommu_fault *f = fault_ring_get(r, i);

		fault_format(f, line, sizeof(line));
		console_printf("[%5llu.%06llu] %s\n",
			       (unsigned long long)(f->time_us / 1000000),
			       (unsigned long long)(f->time_us % 1000000),
			       line);
	}
}

int fault_ring_cmd(struct fault_ring *r, int argc, char **argv)
{
	if (argc == 1) {
		fault_ring_print(r);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "clear") == 0) {
		fault_ring_clear(r);
		console_printf("faults cleared\n");
		return 0;
	}
	console_error("usage: faults [clear]");
	return -HV_EINVAL;
}
