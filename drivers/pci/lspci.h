/* SPDX-License-Identifier: MIT */
/* The lspci console command (formats in docs/pci.md). */
#ifndef DRIVERS_PCI_LSPCI_H
#define DRIVERS_PCI_LSPCI_H

#include "drivers/pci/pci.h"

/*
 * lspci            one line per function of pci_devices, ascending
 * lspci -t         the same lines as a tree under root buses and bridges
 * lspci -v BDF     one function in detail (BDF: ssss:bb:dd.f or bb:dd.f)
 * argv[0] is "lspci". Returns 0, or -HV_EINVAL / -HV_ENOENT after printing
 * one "error: ..." line.
 */
int pci_cmd_lspci(int argc, char **argv);

/* Short name of a class code (base << 16 | sub << 8 | prog-if). */
const char *pci_class_name(uint32_t class);

#endif
