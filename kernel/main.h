/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_MAIN_H
#define KERNEL_MAIN_H

#include "boot/bootinfo.h"
#include "kernel/config.h"

/* The configuration the loader was given (hv.cfg), parsed. */
extern struct config hv_config;

void kmain(struct bootinfo *bi) __noreturn;

/* Firmware tables, PCI and IOMMU bring-up (kernel/platform.c). */
void main_platform(const struct bootinfo *bi);

/* Background work, run by the console while it waits (fault polling). */
void main_idle(void);

/* The `acpi` console command. */
int platform_cmd_acpi(int argc, char **argv);

/* The `groups` console command. */
int platform_cmd_groups(int argc, char **argv);

#endif
