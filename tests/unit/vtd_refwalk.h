/* SPDX-License-Identifier: MIT */
/*
 * Reference VT-d second-level translation, written from the specification
 * (3.7 "Second-Level Translation", 9.8 "Second-Level Paging Entries",
 * 7.1.3 fault reasons) and QEMU 7.2's hw/i386/intel_iommu.c, independently
 * of drivers/iommu/intel/pgtable.c and of vtd_regs.h, to check the builder
 * in host tests.
 *
 * It is stricter than a unit has to be: bits the builder must never set
 * (execute, memory type, ignore-PAT, transient mapping, SNP without snoop
 * control, SNP in a non-leaf entry) count as reserved, as QEMU 7.2 does
 * for SNP and TM.
 */
#ifndef TESTS_UNIT_VTD_REFWALK_H
#define TESTS_UNIT_VTD_REFWALK_H

#include <stdbool.h>
#include <stdint.h>

enum vtd_ref_status {
	VTD_REF_OK,
	VTD_REF_BEYOND_WIDTH, /* iova above the address width */
	VTD_REF_NOT_PRESENT,  /* R = W = 0 at `level` */
	VTD_REF_DENIED,	      /* the access right is 0 at `level` */
	VTD_REF_RESERVED,     /* a reserved bit is set at `level` */
	VTD_REF_BAD_TABLE,    /* an entry points outside memory */
};

/* What the unit is and how it reaches memory. */
struct vtd_ref_unit {
	unsigned levels;    /* 3, 4, 5: context entry AW 1, 2, 3 */
	bool large_2m;	    /* CAP.SLLPS bit 0 */
	bool large_1g;	    /* CAP.SLLPS bit 1 */
	bool snoop_control; /* ECAP.SC */
	unsigned haw;	    /* host address width: entry bits 51:haw reserved */
	/* The 4 KiB page at physical pa as the unit reads it, or NULL. */
	const void *(*page)(void *ctx, uint64_t pa);
	void *ctx;
};

struct vtd_ref_result {
	enum vtd_ref_status status;
	unsigned level;	    /* level of the last entry read */
	uint64_t entry;	    /* its value */
	uint64_t pa;	    /* translated address when status is OK */
	uint64_t page_size; /* size of the leaf */
	bool read, write;   /* rights granted (AND over the levels) */
	bool snoop;	    /* SNP of the leaf */
};

/*
 * Translate iova for a read (write false) or write request through the
 * tables rooted at root. Returns r->status.
 */
enum vtd_ref_status vtd_ref_translate(const struct vtd_ref_unit *u,
				      uint64_t root, uint64_t iova, bool write,
				      struct vtd_ref_result *r);

/*
 * The primary fault reason a legacy-mode unit records for a status
 * (specification 7.1.3 table "unsuccessful translated requests"):
 * 4 address beyond MGAW, 5 write, 6 read, 7 next table invalid, 0xc
 * reserved bit in a paging entry; 0 for VTD_REF_OK.
 */
unsigned vtd_ref_fault_reason(enum vtd_ref_status st, bool write);

#endif
