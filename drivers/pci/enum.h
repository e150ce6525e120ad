/* SPDX-License-Identifier: MIT */
/*
 * PCI enumeration: finds the functions behind every ECAM window, decodes
 * their capabilities and sizes their BARs.
 *
 * BAR sizing writes all-ones to each BAR (with decode disabled) and puts
 * the old value back. It must never run on a function that a guest owns or
 * that may be doing DMA for someone: the hypervisor enumerates once, at
 * boot, before any function is given away.
 */
#ifndef DRIVERS_PCI_ENUM_H
#define DRIVERS_PCI_ENUM_H

#include "drivers/pci/pci.h"

/*
 * Fill t->dev[0 .. t->capacity) with every function found from the root
 * bus (bus_start) of each ECAM window (pci_ecam_init must have run),
 * following bridges through the bus numbers firmware assigned; nothing is
 * renumbered. A bridge whose buses are not above its own bus, leave its
 * parent's range or the window, or were already claimed by another bridge
 * is reported in one line and its buses are not scanned. The result is
 * sorted by sbdf, parent pointers point into t->dev, group and unit are
 * -1. Returns 0; -HV_EINVAL when t has no storage; -HV_ENOMEM when more
 * functions exist than t->capacity (reported once, the first ones kept).
 * Not reentrant (uses static per-bus state).
 */
int pci_enumerate(struct pci_topology *t);

/*
 * Walk d's capability list and (for PCIe functions) extended capability
 * list, filling the cap_*, ecap_* and decoded fields. A list that loops or
 * points outside its range is cut there, reported in one line and
 * d->cap_list_broken is set. d->sbdf and d->header_type must be set.
 */
void pci_caps_read(struct pci_dev *d);

/*
 * Size d's d->nbars BARs (write all-ones, read back, restore) with memory
 * and I/O decode disabled meanwhile, and fill d->bar[]. See the warning at
 * the top of this file.
 */
void pci_bars_size(struct pci_dev *d);

#endif
