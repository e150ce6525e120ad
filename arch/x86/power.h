/* SPDX-License-Identifier: MIT */
#ifndef ARCH_X86_POWER_H
#define ARCH_X86_POWER_H

#include "kernel/acpi/acpi.h"

/* Power the machine off through ACPI S5; halts if that fails. */
void power_off(const struct acpi_fadt *fadt) __noreturn;

/* Reset the machine (FADT reset register, then fallbacks). */
void power_reset(const struct acpi_fadt *fadt) __noreturn;

#endif
