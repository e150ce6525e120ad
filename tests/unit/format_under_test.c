// SPDX-License-Identifier: MIT
/*
 * The core's formatter under other names, so the test can compare it with
 * the C library's printf in the same program.
 */
#define vsnprintf hv_vsnprintf
#define snprintf  hv_snprintf
#include "kernel/lib/format.c"
