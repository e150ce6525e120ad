// SPDX-License-Identifier: MIT
#include "arch/x86/cpu.h"
#include "kernel/time.h"

static uint64_t time_tsc_zero, time_tsc_hz;

void time_init(uint64_t tsc_zero, uint64_t tsc_hz)
{
	time_tsc_zero = tsc_zero;
	time_tsc_hz = tsc_hz;
}

uint64_t time_tsc_to_us(uint64_t tsc)
{
	uint64_t d;

	if (!time_tsc_hz || tsc < time_tsc_zero)
		return 0;
	d = tsc - time_tsc_zero;
	/* Split to avoid overflowing d * 1e6 for long uptimes. */
	return d / time_tsc_hz * 1000000 +
	       (d % time_tsc_hz) * 1000000 / time_tsc_hz;
}

uint64_t time_us(void)
{
	return time_tsc_to_us(rdtsc());
}
