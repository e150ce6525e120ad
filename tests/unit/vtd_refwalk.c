// SPDX-License-Identifier: MIT
/*
 * Reference second-level walk. The IOVA is cut into a 12-bit page offset
 * and one 9-bit index per level, the top level first; each entry grants
 * read (bit 0) and write (bit 1), is not present when both are 0, and
 * ends the walk when it is a page: always at level 1, and at levels 2 and
 * 3 when bit 7 (PS) is set and that page size is supported.
 */
#include "vtd_refwalk.h"

#define REF_R	     (1ull << 0)
#define REF_W	     (1ull << 1)
#define REF_X	     (1ull << 2)
#define REF_MEMTYPE  (7ull << 3) /* EMT */
#define REF_IPAT     (1ull << 6)
#define REF_PS	     (1ull << 7)
#define REF_SNP	     (1ull << 11)
#define REF_TM	     (1ull << 62)
#define REF_ADDR_TOP 52 /* the address field is bits 51:12 */

static unsigned ref_level_shift(unsigned level)
{
	return 12 + 9 * (level - 1);
}

/* Bits 51:haw, or none when haw covers the whole field. */
static uint64_t ref_above_haw(unsigned haw)
{
	uint64_t field = ((1ull << REF_ADDR_TOP) - 1);

	return haw >= REF_ADDR_TOP ? 0 : field & ~((1ull << haw) - 1);
}

static bool ref_large_ok(const struct vtd_ref_unit *u, unsigned level)
{
	return (level == 2 && u->large_2m) || (level == 3 && u->large_1g);
}

/* Reserved bits of an entry read at `level`, leaf or not. */
static uint64_t ref_reserved(const struct vtd_ref_unit *u, unsigned level,
			     bool leaf)
{
	uint64_t rsvd = ref_above_haw(u->haw) | REF_TM | REF_X;

	if (!leaf)
		return rsvd | REF_SNP | REF_MEMTYPE | REF_IPAT |
		       (level >= 4 ? REF_PS : 0);
	rsvd |= REF_MEMTYPE | REF_IPAT;
	if (!u->snoop_control)
		rsvd |= REF_SNP;
	if (level == 1)
		rsvd |= REF_PS; /* ignored by the unit, never written by us */
	else
		rsvd |= ((1ull << ref_level_shift(level)) - 1) & ~0xfffull;
	return rsvd;
}

static void ref_start(const struct vtd_ref_unit *u, struct vtd_ref_result *r)
{
	*r = (struct vtd_ref_result){.status = VTD_REF_OK,
				     .level = u->levels,
				     .read = true,
				     .write = true};
}

enum vtd_ref_status vtd_ref_translate(const struct vtd_ref_unit *u,
				      uint64_t root, uint64_t iova, bool write,
				      struct vtd_ref_result *r)
{
	uint64_t table = root;

	ref_start(u, r);
	if (iova >> (ref_level_shift(u->levels) + 9))
		return r->status = VTD_REF_BEYOND_WIDTH;
	for (unsigned level = u->levels; level >= 1; level--) {
		unsigned idx = (iova >> ref_level_shift(level)) & 0x1ff;
		const uint64_t *page = u->page(u->ctx, table);
		uint64_t e;
		bool leaf;

		r->level = level;
		if (!page)
			return r->status = VTD_REF_BAD_TABLE;
		e = page[idx];
		r->entry = e;
		if (!(e & (REF_R | REF_W)))
			return r->status = VTD_REF_NOT_PRESENT;
		r->read = r->read && (e & REF_R);
		r->write = r->write && (e & REF_W);
		/* QEMU checks the right before the reserved bits. */
		if (!(write ? r->write : r->read))
			return r->status = VTD_REF_DENIED;
		leaf = level == 1 || ((e & REF_PS) && ref_large_ok(u, level));
		if ((e & REF_PS) && level >= 2 && !leaf)
			return r->status = VTD_REF_RESERVED;
		if (e & ref_reserved(u, level, leaf))
			return r->status = VTD_REF_RESERVED;
		/* Bits 51:12 hold the address; the low ones are 0 in pages. */
		table = e & ((1ull << REF_ADDR_TOP) - 1) & ~0xfffull;
		if (leaf) {
			r->page_size = 1ull << ref_level_shift(level);
			r->pa = table | (iova & (r->page_size - 1));
			r->snoop = e & REF_SNP;
			return r->status = VTD_REF_OK;
		}
	}
	return r->status = VTD_REF_BAD_TABLE; /* not reached */
}

unsigned vtd_ref_fault_reason(enum vtd_ref_status st, bool write)
{
	switch (st) {
	case VTD_REF_OK:
		return 0;
	case VTD_REF_BEYOND_WIDTH:
		return 0x4;
	case VTD_REF_NOT_PRESENT:
	case VTD_REF_DENIED:
		return write ? 0x5 : 0x6;
	case VTD_REF_BAD_TABLE:
		return 0x7;
	case VTD_REF_RESERVED:
		return 0xc;
	}
	return 0;
}
