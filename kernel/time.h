/* SPDX-License-Identifier: MIT */
/* Time since the loader's entry, from the TSC the loader calibrated. */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include "kernel/types.h"

/* tsc_zero: TSC at the loader's entry; tsc_hz: its measured rate. */
void time_init(uint64_t tsc_zero, uint64_t tsc_hz);

/* Microseconds since the loader's entry (0 before time_init). */
uint64_t time_us(void);

/* Microseconds at a given TSC value. */
uint64_t time_tsc_to_us(uint64_t tsc);

#endif
