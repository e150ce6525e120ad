/* SPDX-License-Identifier: MIT */
/*
 * A fake machine's PCI configuration space for host tests and benchmarks.
 * Functions are added with their header fields, capability chains, BARs
 * and bus numbers; fake_install() makes it the config backend (through
 * pci_ecam_init with made-up windows, then pci_cfg_set_ops).
 *
 * Writes follow the hardware rules that the code under test depends on:
 * BARs keep only the bits of their size mask (so all-ones reads back the
 * size), status error bits are write-1-to-clear, command, bus numbers and
 * interrupt line are read/write, everything else is read-only unless
 * fake_set_writable() says otherwise.
 */
#ifndef TESTS_UNIT_FAKECFG_H
#define TESTS_UNIT_FAKECFG_H

#include "drivers/pci/pci.h"
#include "kernel/acpi/acpi.h"

#define FAKE_ECAM_BASE 0xe0000000ull /* never dereferenced */

struct fake_fn {
	pci_sbdf_t sbdf;
	uint8_t cfg[4096];
	uint32_t bar_mask[PCI_NUM_BARS]; /* writable bits of each BAR dword */
	uint8_t last_cap;		 /* tail of the capability chain */
	uint16_t last_ecap;		 /* tail of the extended chain */
	bool all_writable;		 /* every byte read/write */
	unsigned writes;		 /* config writes received */
	unsigned odd_writes; /* writes outside command, BARs, bus numbers */
};

/* Drop every function and counter. */
void fake_reset(void);

/* Add a function; header is the header type byte (bit 7: multi-function). */
struct fake_fn *fake_add(pci_sbdf_t sbdf, uint16_t vendor, uint16_t device,
			 uint32_t class, uint8_t header);
/* The function at sbdf, or NULL. */
struct fake_fn *fake_get(pci_sbdf_t sbdf);

/* A type 1 bridge (class 060400) with its bus numbers. */
struct fake_fn *fake_add_bridge(pci_sbdf_t sbdf, uint8_t sec, uint8_t sub);
void fake_set_bus(struct fake_fn *f, uint8_t pri, uint8_t sec, uint8_t sub);

/*
 * Append a capability at off (writes id, next = 0, links the previous
 * tail or 0x34 to it, sets the status CAP_LIST bit).
 */
void fake_add_cap(struct fake_fn *f, uint8_t off, uint8_t id);
/* A PCIe capability of the given port type and Device Capabilities. */
void fake_add_pcie(struct fake_fn *f, uint8_t off, uint8_t type,
		   uint32_t devcap);
/* Append an extended capability (the first one must be at 0x100). */
void fake_add_ecap(struct fake_fn *f, uint16_t off, uint16_t id);

/*
 * BAR i: flags are the read-only low bits (PCI_BASE_ADDRESS_SPACE_IO, mem
 * type << 1, PCI_BASE_ADDRESS_MEM_PREFETCH); size a power of two, 0 for
 * an unimplemented BAR. A 64-bit BAR also takes slot i + 1.
 */
void fake_set_bar(struct fake_fn *f, unsigned i, uint32_t flags, uint64_t size,
		  uint64_t base);

/* Raw accesses to a function's config bytes (bypassing write rules). */
void fake_w8(struct fake_fn *f, uint16_t off, uint8_t v);
void fake_w16(struct fake_fn *f, uint16_t off, uint16_t v);
void fake_w32(struct fake_fn *f, uint16_t off, uint32_t v);
uint16_t fake_r16(const struct fake_fn *f, uint16_t off);
uint32_t fake_r32(const struct fake_fn *f, uint16_t off);
void fake_set_writable(struct fake_fn *f);

/* One window: segment 0, buses 00-ff. */
void fake_install(void);
/* Windows given by the test (bases are ignored by the fake backend). */
void fake_install_windows(const struct acpi_ecam *win, unsigned n);

/* BAR all-ones writes seen while memory or I/O decode was on. */
unsigned fake_decode_violations(void);
/* Config reads received (all functions, present or not). */
unsigned long fake_reads(void);

#endif
