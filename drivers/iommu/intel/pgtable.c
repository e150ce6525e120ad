// SPDX-License-Identifier: MIT
/*
 * VT-d second-level page-table builder (specification 3.7, 9.8). Levels
 * are numbered as in the specification: 1 holds 4 KiB leaves (SL-PTE),
 * 2 the SL-PDEs (2 MiB leaves with PS), 3 the SL-PDPEs (1 GiB leaves with
 * PS), 4 the SL-PML4Es, 5 the SL-PML5Es.
 *
 * Map and unmap run twice over the range: a prepare pass that only reads,
 * refuses what it must and counts the tables to allocate and to detach,
 * then, once every page is in hand, an act pass that cannot fail. Pages
 * allocated ahead are chained through their first word until used.
 *
 * Ordering towards the unit: a new table is cleared, filled and flushed
 * before the entry pointing to it is stored; every entry is stored with
 * one 64-bit volatile write and flushed before the call returns.
 */
#include "drivers/iommu/intel/pgtable.h"
#include "drivers/iommu/intel/vtd_regs.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"

/* Non-leaf entries never restrict access: permissions live in leaves. */
#define PT_TABLE_BITS (VTD_SL_R | VTD_SL_W)
#define PT_PROT_MASK  (VTD_PT_READ | VTD_PT_WRITE)
#define PT_LAST	      (VTD_PT_ENTRIES - 1)

/* State of one map or unmap. */
struct pt_op {
	struct vtd_pgtable *pt;
	struct vtd_pt_gather *g;
	uint64_t delta;	 /* pa - iova, modulo 2^64 */
	uint64_t leaf;	 /* leaf bits besides PS and the address */
	uint64_t need;	 /* tables to allocate */
	uint64_t detach; /* tables an unmap will detach */
	hpa_t reserve;	 /* allocated pages, chained by their word 0 */
	uint64_t nreserve;
	/*
	 * Tables an unmap leaves empty besides whole subtrees: only the
	 * tables at the two ends of the range, at most two per level.
	 */
	hpa_t gone[2 * (VTD_PT_MAX_LEVELS - 1)];
	unsigned ngone;
	bool nonleaf; /* an entry pointing to a table was written */
};

/* Entries written in one table, flushed together. */
struct pt_run {
	unsigned lo, hi;
};

static unsigned pt_shift(unsigned level)
{
	return PAGE_SHIFT + 9 * (level - 1);
}

static uint64_t pt_size(unsigned level)
{
	return 1ull << pt_shift(level);
}

static unsigned pt_index(unsigned level, uint64_t a)
{
	return (unsigned)(a >> pt_shift(level)) & PT_LAST;
}

/* End of the part of [a, e) that the level's entry holding a covers. */
static uint64_t pt_next(unsigned level, uint64_t a, uint64_t e)
{
	uint64_t end = ALIGN_DOWN(a, pt_size(level)) + pt_size(level);

	return MIN(end, e);
}

static bool pt_present(uint64_t v)
{
	return v & (VTD_SL_R | VTD_SL_W);
}

static bool pt_is_leaf(unsigned level, uint64_t v)
{
	return level == 1 || (v & VTD_SL_PS);
}

static hpa_t pt_addr(uint64_t v)
{
	return hpa(v & VTD_SL_ADDR);
}

static uint64_t *pt_table(const struct vtd_pgtable *pt, hpa_t pa)
{
	return pt->mem->va(pt->mem->ctx, pa);
}

static void pt_flush(const struct vtd_pgtable *pt, const void *va, size_t len)
{
	pt->mem->flush(pt->mem->ctx, va, len);
}

static bool pt_leaf_allowed(const struct vtd_pgtable *pt, unsigned level)
{
	return level == 1 || (level == 2 && pt->sp_2m) ||
	       (level == 3 && pt->sp_1g);
}

/* Can [s, e), inside one entry's span, be mapped by a leaf there? */
static bool pt_leaf_fits(const struct pt_op *op, unsigned level, uint64_t s,
			 uint64_t e)
{
	uint64_t size = pt_size(level);

	return pt_leaf_allowed(op->pt, level) && e - s == size &&
	       IS_ALIGNED(s + op->delta, size);
}

static void pt_store(struct pt_op *op, uint64_t *entry, uint64_t v)
{
	/* One 64-bit store: the unit never sees half an entry. */
	*(volatile uint64_t *)entry = v;
	op->g->entries_written++;
}

static void pt_run_add(struct pt_run *r, unsigned i)
{
	r->lo = MIN(r->lo, i);
	r->hi = MAX(r->hi, i);
}

static void pt_run_flush(const struct pt_op *op, uint64_t *t,
			 const struct pt_run *r)
{
	if (r->lo <= r->hi)
		pt_flush(op->pt, &t[r->lo], (r->hi - r->lo + 1) * sizeof(*t));
}

static void pt_gather_add(struct vtd_pt_gather *g, uint64_t s, uint64_t e)
{
	if (g->start.v == g->end.v) {
		g->start = iova(s);
		g->end = iova(e);
		return;
	}
	g->start.v = MIN(g->start.v, s);
	g->end.v = MAX(g->end.v, e);
}

/* Queue a detached table; the prepare pass made room for it. */
static void pt_gather_push(struct pt_op *op, hpa_t table)
{
	struct vtd_pt_gather *g = op->g;

	op->pt->table_pages--;
	/* Never true after a correct prepare: leak rather than free early. */
	if (g->nfree >= g->cap)
		return;
	g->free[g->nfree++] = table;
}

/* ---- pages allocated ahead ---------------------------------------------- */

static void pt_reserve_drop(struct pt_op *op)
{
	const struct vtd_pt_mem *m = op->pt->mem;

	while (op->nreserve) {
		hpa_t p = op->reserve;

		op->reserve = hpa(*(uint64_t *)m->va(m->ctx, p));
		op->nreserve--;
		m->free(m->ctx, p);
	}
}

static int pt_reserve(struct pt_op *op)
{
	const struct vtd_pt_mem *m = op->pt->mem;

	while (op->nreserve < op->need) {
		hpa_t p;

		if (m->alloc(m->ctx, &p) != 0) {
			pt_reserve_drop(op);
			return -HV_ENOMEM;
		}
		if (!IS_ALIGNED(p.v, PAGE_SIZE) || p.v >> op->pt->pa_bits) {
			/* Unusable in an entry: a bug of the allocator. */
			m->free(m->ctx, p);
			pt_reserve_drop(op);
			return -HV_ENOMEM;
		}
		*(uint64_t *)m->va(m->ctx, p) = op->reserve.v;
		op->reserve = p;
		op->nreserve++;
	}
	return 0;
}

/* A cleared table from the reserve (the prepare pass counted it). */
static hpa_t pt_take(struct pt_op *op, uint64_t **va)
{
	hpa_t p = op->reserve;
	uint64_t *t = pt_table(op->pt, p);

	op->reserve = hpa(t[0]);
	op->nreserve--;
	memset(t, 0, PAGE_SIZE);
	op->pt->table_pages++;
	*va = t;
	return p;
}

/* ---- map ---------------------------------------------------------------- */

/* Tables an empty table at `level` needs below it to map [s, e). */
static uint64_t pt_map_count_fresh(const struct pt_op *op, unsigned level,
				   uint64_t s, uint64_t e)
{
	uint64_t n = 0;

	if (level == 1)
		return 0;
	for (uint64_t a = s, c; a < e; a = c) {
		c = pt_next(level, a, e);
		if (!pt_leaf_fits(op, level, a, c))
			n += 1 + pt_map_count_fresh(op, level - 1, a, c);
	}
	return n;
}

static int pt_map_prepare(struct pt_op *op, unsigned level, hpa_t table,
			  uint64_t s, uint64_t e)
{
	const uint64_t *t = pt_table(op->pt, table);

	for (uint64_t a = s, c; a < e; a = c) {
		uint64_t v = t[pt_index(level, a)];
		int rc;

		c = pt_next(level, a, e);
		if (!pt_present(v)) {
			if (!pt_leaf_fits(op, level, a, c))
				op->need += 1 + pt_map_count_fresh(
							op, level - 1, a, c);
			continue;
		}
		if (pt_is_leaf(level, v))
			return -HV_EEXIST;
		rc = pt_map_prepare(op, level - 1, pt_addr(v), a, c);
		if (rc)
			return rc;
	}
	return 0;
}

static uint64_t pt_leaf_entry(const struct pt_op *op, unsigned level,
			      uint64_t a)
{
	return (a + op->delta) | op->leaf | (level > 1 ? VTD_SL_PS : 0);
}

/*
 * Replace the table under *entry (level) by one leaf when it holds 512
 * leaves of identical bits mapping one aligned contiguous run.
 */
static bool pt_try_merge(struct pt_op *op, unsigned level, uint64_t *entry,
			 uint64_t base)
{
	hpa_t child = pt_addr(*entry);
	const uint64_t *c;
	uint64_t first, step = pt_size(level - 1);

	if (level == 1 || !pt_leaf_allowed(op->pt, level) ||
	    op->g->nfree >= op->g->cap)
		return false;
	c = pt_table(op->pt, child);
	first = c[0];
	if (!pt_present(first) || !pt_is_leaf(level - 1, first) ||
	    !IS_ALIGNED(first & VTD_SL_ADDR, pt_size(level)))
		return false;
	/* The last entry first: rejects tables still being filled. */
	if (c[PT_LAST] != first + PT_LAST * step)
		return false;
	for (unsigned i = 1; i < PT_LAST; i++)
		if (c[i] != first + i * step)
			return false;
	pt_store(op, entry, first | VTD_SL_PS);
	pt_gather_push(op, child);
	op->g->present_changed = true;
	op->nonleaf = true;
	pt_gather_add(op->g, base, base + pt_size(level));
	return true;
}

static void pt_map_level(struct pt_op *op, unsigned level, uint64_t *t,
			 uint64_t s, uint64_t e, bool fresh);

/* A new table at `level` mapping [s, e): returns the entry to link it. */
static uint64_t pt_map_fresh(struct pt_op *op, unsigned level, uint64_t s,
			     uint64_t e)
{
	uint64_t *t;
	hpa_t p = pt_take(op, &t);

	pt_map_level(op, level, t, s, e, true);
	pt_flush(op->pt, t, PAGE_SIZE);
	op->nonleaf = true;
	return p.v | PT_TABLE_BITS;
}

/* fresh: t is a new table, flushed whole by the caller. */
static void pt_map_level(struct pt_op *op, unsigned level, uint64_t *t,
			 uint64_t s, uint64_t e, bool fresh)
{
	struct pt_run run = {VTD_PT_ENTRIES, 0};

	for (uint64_t a = s, c; a < e; a = c) {
		unsigned i = pt_index(level, a);
		uint64_t v = t[i];

		c = pt_next(level, a, e);
		if (pt_present(v)) {
			/* A table: the prepare pass refused present leaves. */
			pt_map_level(op, level - 1,
				     pt_table(op->pt, pt_addr(v)), a, c, false);
			if (!pt_try_merge(op, level, &t[i],
					  ALIGN_DOWN(a, pt_size(level))))
				continue;
		} else if (pt_leaf_fits(op, level, a, c)) {
			pt_store(op, &t[i], pt_leaf_entry(op, level, a));
		} else {
			pt_store(op, &t[i], pt_map_fresh(op, level - 1, a, c));
		}
		pt_run_add(&run, i);
	}
	if (!fresh)
		pt_run_flush(op, t, &run);
}

/* ---- unmap -------------------------------------------------------------- */

/*
 * Tables that express a leaf at `level` with smaller pages: one table of
 * leaves, or, when that size is not supported (a 1 GiB leaf without 2 MiB
 * support), of tables of 4 KiB leaves.
 */
static uint64_t pt_expand_count(const struct vtd_pgtable *pt, unsigned level)
{
	uint64_t n = 1;

	if (!pt_leaf_allowed(pt, level - 1))
		n += VTD_PT_ENTRIES * pt_expand_count(pt, level - 1);
	return n;
}

/* Tables needed to split the leaf at `level` of which [s, e) goes. */
static uint64_t pt_split_count(const struct vtd_pgtable *pt, unsigned level,
			       uint64_t s, uint64_t e)
{
	uint64_t n = pt_expand_count(pt, level);

	/* Children that are tables hold 4 KiB leaves (no leaf above 3). */
	if (level == 2 || !pt_leaf_allowed(pt, level - 1))
		return n;
	for (uint64_t a = s, c; a < e; a = c) {
		c = pt_next(level - 1, a, e);
		if (c - a != pt_size(level - 1))
			n += pt_split_count(pt, level - 1, a, c);
	}
	return n;
}

/*
 * An unmap covers the whole table at `level`: every page under it must be
 * mapped. Counts the table and those below it into op->detach.
 */
static int pt_unmap_prepare_all(struct pt_op *op, unsigned level, hpa_t table)
{
	const uint64_t *t = pt_table(op->pt, table);

	op->detach++;
	for (unsigned i = 0; i < VTD_PT_ENTRIES; i++) {
		int rc;

		if (!pt_present(t[i]))
			return -HV_ENOENT;
		if (pt_is_leaf(level, t[i]))
			continue;
		rc = pt_unmap_prepare_all(op, level - 1, pt_addr(t[i]));
		if (rc)
			return rc;
	}
	return 0;
}

/* Present entries outside t[lo..hi]? The nearest ones are tried first. */
static bool pt_present_outside(const uint64_t *t, unsigned lo, unsigned hi)
{
	for (unsigned d = 1; d <= lo || hi + d < VTD_PT_ENTRIES; d++) {
		if (d <= lo && pt_present(t[lo - d]))
			return true;
		if (hi + d < VTD_PT_ENTRIES && pt_present(t[hi + d]))
			return true;
	}
	return false;
}

/*
 * *empties: the table will hold nothing once [s, e) is unmapped (not
 * computed when empties is NULL: the root stays).
 */
static int pt_unmap_prepare(struct pt_op *op, unsigned level, hpa_t table,
			    uint64_t s, uint64_t e, bool *empties)
{
	const uint64_t *t = pt_table(op->pt, table);
	bool all = true; /* every entry in range goes away */

	for (uint64_t a = s, c; a < e; a = c) {
		uint64_t v = t[pt_index(level, a)];
		bool full, child_empties;
		int rc;

		c = pt_next(level, a, e);
		full = c - a == pt_size(level);
		if (!pt_present(v))
			return -HV_ENOENT;
		if (pt_is_leaf(level, v)) {
			if (!full) {
				op->need += pt_split_count(op->pt, level, a, c);
				all = false;
			}
		} else if (full) {
			rc = pt_unmap_prepare_all(op, level - 1, pt_addr(v));
			if (rc)
				return rc;
		} else {
			rc = pt_unmap_prepare(op, level - 1, pt_addr(v), a, c,
					      &child_empties);
			if (rc)
				return rc;
			all = all && child_empties;
			if (child_empties && op->ngone < ARRAY_SIZE(op->gone))
				op->gone[op->ngone++] = pt_addr(v);
			op->detach += child_empties;
		}
	}
	if (empties)
		*empties = all && !pt_present_outside(t, pt_index(level, s),
						      pt_index(level, e - 1));
	return 0;
}

/* Queue the table at `level` and every table below it. */
static void pt_detach_subtree(struct pt_op *op, unsigned level, hpa_t table)
{
	if (level > 1) {
		const uint64_t *t = pt_table(op->pt, table);

		for (unsigned i = 0; i < VTD_PT_ENTRIES; i++)
			if (pt_present(t[i]) && !pt_is_leaf(level, t[i]))
				pt_detach_subtree(op, level - 1, pt_addr(t[i]));
	}
	pt_gather_push(op, table);
}

/* Fill the new table t at `level` to map 512 entries' worth from pa. */
static void pt_expand(struct pt_op *op, unsigned level, uint64_t *t,
		      uint64_t pa, uint64_t bits)
{
	uint64_t step = pt_size(level), *c;

	for (unsigned i = 0; i < VTD_PT_ENTRIES; i++) {
		uint64_t a = pa + i * step;
		hpa_t p;

		if (pt_leaf_allowed(op->pt, level)) {
			pt_store(op, &t[i],
				 a | bits | (level > 1 ? VTD_SL_PS : 0));
			continue;
		}
		p = pt_take(op, &c);
		pt_expand(op, level - 1, c, a, bits);
		pt_flush(op->pt, c, PAGE_SIZE);
		pt_store(op, &t[i], p.v | PT_TABLE_BITS);
	}
}

/* Replace the leaf *entry (level) by a table of equivalent mappings. */
static uint64_t pt_split(struct pt_op *op, unsigned level, uint64_t *entry,
			 uint64_t base)
{
	uint64_t v = *entry, *t;
	hpa_t p = pt_take(op, &t);

	pt_expand(op, level - 1, t, v & VTD_SL_ADDR,
		  v & ~(VTD_SL_ADDR | VTD_SL_PS));
	pt_flush(op->pt, t, PAGE_SIZE);
	pt_store(op, entry, p.v | PT_TABLE_BITS);
	op->nonleaf = true;
	/* The old leaf may be cached for all of its span. */
	pt_gather_add(op->g, base, base + pt_size(level));
	return p.v | PT_TABLE_BITS;
}

/* Did the prepare pass find that this table empties? */
static bool pt_gone(const struct pt_op *op, hpa_t table)
{
	for (unsigned i = 0; i < op->ngone; i++)
		if (op->gone[i].v == table.v)
			return true;
	return false;
}

static void pt_unmap_level(struct pt_op *op, unsigned level, uint64_t *t,
			   uint64_t s, uint64_t e)
{
	struct pt_run run = {VTD_PT_ENTRIES, 0};

	for (uint64_t a = s, c; a < e; a = c) {
		unsigned i = pt_index(level, a);
		uint64_t v = t[i], *child;

		c = pt_next(level, a, e);
		if (c - a == pt_size(level)) {
			pt_store(op, &t[i], 0);
			pt_run_add(&run, i);
			if (!pt_is_leaf(level, v)) {
				op->nonleaf = true;
				pt_detach_subtree(op, level - 1, pt_addr(v));
			}
			continue;
		}
		if (pt_is_leaf(level, v)) {
			v = pt_split(op, level, &t[i],
				     ALIGN_DOWN(a, pt_size(level)));
			pt_run_add(&run, i);
		}
		child = pt_table(op->pt, pt_addr(v));
		pt_unmap_level(op, level - 1, child, a, c);
		if (pt_gone(op, pt_addr(v))) {
			pt_store(op, &t[i], 0);
			pt_run_add(&run, i);
			op->nonleaf = true;
			pt_gather_push(op, pt_addr(v));
		}
	}
	pt_run_flush(op, t, &run);
}

/* ---- interface ---------------------------------------------------------- */

static void pt_op_start(struct pt_op *op, struct vtd_pgtable *pt,
			struct vtd_pt_gather *g)
{
	memset(op, 0, sizeof(*op));
	op->pt = pt;
	op->g = g;
}

static int pt_check_range(const struct vtd_pgtable *pt, uint64_t iova,
			  uint64_t size)
{
	uint64_t top = 1ull << (pt_shift(pt->levels) + 9);

	if (!size || !IS_ALIGNED(iova | size, PAGE_SIZE))
		return -HV_EINVAL;
	if (iova >= top || size > top - iova)
		return -HV_EINVAL;
	return 0;
}

int vtd_pt_init(struct vtd_pgtable *pt, unsigned levels, bool sp_2m, bool sp_1g,
		bool snoop, const struct vtd_pt_mem *mem)
{
	uint64_t *t;
	hpa_t root;

	memset(pt, 0, sizeof(*pt));
	if (levels < VTD_PT_MIN_LEVELS || levels > VTD_PT_MAX_LEVELS || !mem)
		return -HV_EINVAL;
	if (mem->alloc(mem->ctx, &root) != 0)
		return -HV_ENOMEM;
	if (!IS_ALIGNED(root.v, PAGE_SIZE) || root.v >> VTD_PT_PA_BITS) {
		mem->free(mem->ctx, root);
		return -HV_ENOMEM;
	}
	*pt = (struct vtd_pgtable){.root = root,
				   .levels = levels,
				   .sp_2m = sp_2m,
				   .sp_1g = sp_1g,
				   .snoop = snoop,
				   .pa_bits = VTD_PT_PA_BITS,
				   .table_pages = 1,
				   .mem = mem};
	t = pt_table(pt, root);
	memset(t, 0, PAGE_SIZE);
	pt_flush(pt, t, PAGE_SIZE);
	return 0;
}

int vtd_pt_set_pa_bits(struct vtd_pgtable *pt, unsigned bits)
{
	if (bits < 32 || bits > VTD_PT_PA_BITS || pt->root.v >> bits)
		return -HV_EINVAL;
	pt->pa_bits = bits;
	return 0;
}

static void pt_free_tree(const struct vtd_pgtable *pt, unsigned level,
			 hpa_t table)
{
	if (level > 1) {
		const uint64_t *t = pt_table(pt, table);

		for (unsigned i = 0; i < VTD_PT_ENTRIES; i++)
			if (pt_present(t[i]) && !pt_is_leaf(level, t[i]))
				pt_free_tree(pt, level - 1, pt_addr(t[i]));
	}
	pt->mem->free(pt->mem->ctx, table);
}

void vtd_pt_destroy(struct vtd_pgtable *pt)
{
	if (!pt->table_pages)
		return;
	pt_free_tree(pt, pt->levels, pt->root);
	pt->root = hpa(0);
	pt->table_pages = 0;
	pt->mapped_bytes = 0;
}

int vtd_pt_map(struct vtd_pgtable *pt, iova_t iova, hpa_t pa, uint64_t size,
	       unsigned prot, struct vtd_pt_gather *g)
{
	uint64_t s = iova.v, e = iova.v + size;
	struct pt_op op;
	int rc;

	if (!prot || (prot & ~PT_PROT_MASK) || !IS_ALIGNED(pa.v, PAGE_SIZE))
		return -HV_EINVAL;
	rc = pt_check_range(pt, s, size);
	if (rc)
		return rc;
	if (pa.v >> pt->pa_bits || size > (1ull << pt->pa_bits) - pa.v)
		return -HV_EINVAL;
	pt_op_start(&op, pt, g);
	op.delta = pa.v - s;
	op.leaf = (prot & VTD_PT_READ ? VTD_SL_R : 0) |
		  (prot & VTD_PT_WRITE ? VTD_SL_W : 0) |
		  (pt->snoop ? VTD_SL_SNP : 0);
	rc = pt_map_prepare(&op, pt->levels, pt->root, s, e);
	if (!rc)
		rc = pt_reserve(&op);
	if (rc)
		return rc;
	pt_map_level(&op, pt->levels, pt_table(pt, pt->root), s, e, false);
	pt_reserve_drop(&op); /* empty unless the passes disagree */
	pt_gather_add(g, s, e);
	g->became_present = true;
	g->nonleaf_changed |= op.nonleaf;
	pt->mapped_bytes += size;
	return 0;
}

int vtd_pt_unmap(struct vtd_pgtable *pt, iova_t iova, uint64_t size,
		 struct vtd_pt_gather *g)
{
	uint64_t s = iova.v, e = iova.v + size;
	struct pt_op op;
	int rc;

	rc = pt_check_range(pt, s, size);
	if (rc)
		return rc;
	pt_op_start(&op, pt, g);
	rc = pt_unmap_prepare(&op, pt->levels, pt->root, s, e, NULL);
	if (rc)
		return rc;
	if (op.detach > g->cap - g->nfree)
		return -HV_ENOMEM;
	rc = pt_reserve(&op);
	if (rc)
		return rc;
	pt_unmap_level(&op, pt->levels, pt_table(pt, pt->root), s, e);
	pt_reserve_drop(&op);
	pt_gather_add(g, s, e);
	g->present_changed = true;
	g->nonleaf_changed |= op.nonleaf;
	pt->mapped_bytes -= size;
	return 0;
}

uint64_t vtd_pt_unmap_max_tables(const struct vtd_pgtable *pt, uint64_t size)
{
	uint64_t n = 0;

	/* Tables holding level-l entries span pt_size(l + 1) each. */
	for (unsigned l = 1; l < pt->levels; l++)
		n += (size >> pt_shift(l + 1)) + 2;
	return n;
}

/*
 * Bits any unit faults on whatever its capabilities (QEMU 7.2 checks the
 * same): address bits above pa_bits, PS above level 3, the low address
 * bits of a large page, SNP in a non-leaf entry, TM without device-TLB.
 */
static bool pt_entry_bad(const struct vtd_pgtable *pt, unsigned level,
			 uint64_t v)
{
	bool leaf = level <= 3 && pt_is_leaf(level, v);
	uint64_t addr = v & VTD_SL_ADDR;

	if (addr >> pt->pa_bits || (v & VTD_SL_TM))
		return true;
	if (level > 3 && (v & VTD_SL_PS))
		return true;
	if (leaf && !IS_ALIGNED(addr, pt_size(level)))
		return true;
	return !leaf && (v & VTD_SL_SNP);
}

int vtd_pt_walk(const struct vtd_pgtable *pt, iova_t iova,
		struct vtd_pt_walk *w)
{
	unsigned prot = PT_PROT_MASK;
	hpa_t table = pt->root;

	memset(w, 0, sizeof(*w));
	if (iova.v >> (pt_shift(pt->levels) + 9))
		return -HV_EINVAL;
	for (unsigned level = pt->levels;; level--) {
		struct vtd_pt_walk_step *st = &w->step[w->nsteps++];
		uint64_t size = pt_size(level);

		st->level = level;
		st->table = table;
		st->index = pt_index(level, iova.v);
		st->entry = pt_table(pt, table)[st->index];
		w->stop_level = level;
		if (!pt_present(st->entry))
			return -HV_ENOENT;
		if (pt_entry_bad(pt, level, st->entry))
			return -HV_EIO;
		prot &= (st->entry & VTD_SL_R ? VTD_PT_READ : 0) |
			(st->entry & VTD_SL_W ? VTD_PT_WRITE : 0);
		if (pt_is_leaf(level, st->entry)) {
			w->pa = hpa((st->entry & VTD_SL_ADDR) +
				    (iova.v & (size - 1)));
			w->page_size = size;
			w->prot = prot;
			w->snoop = st->entry & VTD_SL_SNP;
			return 0;
		}
		table = pt_addr(st->entry);
	}
}

int vtd_pt_mapped(const struct vtd_pgtable *pt, iova_t iova, uint64_t size)
{
	struct pt_op op;
	int rc = pt_check_range(pt, iova.v, size);

	if (rc)
		return rc;
	/* The prepare pass only reads the tables. */
	pt_op_start(&op, (struct vtd_pgtable *)pt, NULL);
	return pt_unmap_prepare(&op, pt->levels, pt->root, iova.v,
				iova.v + size, NULL);
}

void vtd_pt_gather_init(struct vtd_pt_gather *g, hpa_t *slots, unsigned cap)
{
	memset(g, 0, sizeof(*g));
	g->free = slots;
	g->cap = slots ? cap : 0;
}

void vtd_pt_gather_release(struct vtd_pgtable *pt, struct vtd_pt_gather *g)
{
	for (unsigned i = 0; i < g->nfree; i++)
		pt->mem->free(pt->mem->ctx, g->free[i]);
	g->nfree = 0;
	g->entries_written = 0;
	g->start = iova(0);
	g->end = iova(0);
	g->present_changed = false;
	g->became_present = false;
	g->nonleaf_changed = false;
}
