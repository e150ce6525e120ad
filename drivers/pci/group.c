// SPDX-License-Identifier: MIT
/*
 * IOMMU group computation (see group.h; rules and references to the Linux
 * functions they mirror in docs/groups.md).
 *
 * Linux builds groups one device at a time, joining the first existing
 * group it finds related. Here every relation Linux looks at is recorded
 * as a union of two functions in a union-find forest, so the groups are
 * the connected sets, whatever the order: O(functions x depth), no
 * quadratic step. Each set root also keeps the strongest reason seen.
 */
#include "drivers/pci/group.h"
#include "drivers/iommu/dmar_scope.h"
#include "kernel/acpi/acpi.h"
#include "kernel/console/console.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"

/* Why functions share a group. On equal depth a lower value wins. */
enum group_why {
	GROUP_WHY_NONE,
	GROUP_WHY_MULTIFUNCTION, /* anchor: first function of the slot */
	GROUP_WHY_NO_ACS,	 /* anchor: the port without ACS */
	GROUP_WHY_PCIE_BRIDGE,	 /* anchor: PCIe-to-PCI bridge */
	GROUP_WHY_PCIX_BRIDGE,	 /* anchor: PCI/PCI-X-to-PCIe bridge */
	GROUP_WHY_CONV_BUS,	 /* anchor: conventional PCI bridge */
};

/* struct pci_group_work.acs_path bits (memo of the ACS tests). */
#define GROUP_ACS_KNOWN	 BIT(0)
#define GROUP_ACS_ON	 BIT(1) /* pci_group_acs_enabled() */
#define GROUP_PATH_KNOWN BIT(2)
#define GROUP_PATH_ON	 BIT(3) /* ACS on it and every bridge above */

#define GROUP_DEPTH_UNKNOWN 0xffff

static struct pci_group group_store[PCI_MAX_DEVS];
static uint32_t group_members[PCI_MAX_DEVS];
static struct pci_group_work group_scratch[PCI_MAX_DEVS];

struct pci_group_table pci_groups = {
	.capacity = PCI_MAX_DEVS,
	.group = group_store,
	.member = group_members,
	.work = group_scratch,
};

struct group_id {
	uint16_t vendor, device;
};

/*
 * Multi-function devices their vendors state do no peer-to-peer between
 * functions (Linux quirks.c, pci_quirk_mf_endpoint_acs entries).
 */
static const struct group_id group_mf_no_p2p[] = {
	{0x1924, 0x0903},
	{0x1924, 0x0923},
	{0x1924, 0x0a03},
	{0x8086, 0x10c6},
	{0x8086, 0x10db},
	{0x8086, 0x10dd},
	{0x8086, 0x10e1},
	{0x8086, 0x10f1},
	{0x8086, 0x10f7},
	{0x8086, 0x10f8},
	{0x8086, 0x10f9},
	{0x8086, 0x10fa},
	{0x8086, 0x10fb},
	{0x8086, 0x10fc},
	{0x8086, 0x1507},
	{0x8086, 0x1514},
	{0x8086, 0x151c},
	{0x8086, 0x1529},
	{0x8086, 0x152a},
	{0x8086, 0x154d},
	{0x8086, 0x154f},
	{0x8086, 0x1551},
	{0x8086, 0x1558},
	/* 82580 */
	{0x8086, 0x1509},
	{0x8086, 0x150e},
	{0x8086, 0x150f},
	{0x8086, 0x1510},
	{0x8086, 0x1511},
	{0x8086, 0x1516},
	{0x8086, 0x1527},
	/* 82576 */
	{0x8086, 0x10c9},
	{0x8086, 0x10e6},
	{0x8086, 0x10e7},
	{0x8086, 0x10e8},
	{0x8086, 0x150a},
	{0x8086, 0x150d},
	{0x8086, 0x1518},
	{0x8086, 0x1526},
	/* 82575 */
	{0x8086, 0x10a7},
	{0x8086, 0x10a9},
	{0x8086, 0x10d6},
	/* I350 */
	{0x8086, 0x1521},
	{0x8086, 0x1522},
	{0x8086, 0x1523},
	{0x8086, 0x1524},
	/* 82571 */
	{0x8086, 0x105e},
	{0x8086, 0x105f},
	{0x8086, 0x1060},
	{0x8086, 0x10d9},
	/* I219 */
	{0x8086, 0x15b7},
	{0x8086, 0x15b8},
	/* Emulex BE3-R, Skyhawk-R */
	{0x19a2, 0x0710},
	{0x10df, 0x0720},
};

/*
 * PCIe-to-PCI bridges that show no PCIe capability (Linux
 * quirk_use_pcie_bridge_dma_alias): ASMedia ASM1083/1085, Tundra 8113,
 * ITE 8892/8893, Intel 82801 (QEMU's i82801b11-bridge).
 */
static const struct group_id group_hidden_pcie_bridges[] = {
	{0x1b21, 0x1080}, {0x10e3, 0x8113}, {0x1283, 0x8892},
	{0x1283, 0x8893}, {0x8086, 0x244e},
};

static bool group_id_in(const struct pci_dev *d, const struct group_id *ids,
			size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i].vendor == d->vendor && ids[i].device == d->device)
			return true;
	return false;
}

/*
 * Linux pci_dev_specific_acs_enabled() for the quirks that apply here:
 * 1 or 0 when a quirk decides, -1 otherwise.
 */
static int group_acs_quirk(const struct pci_dev *d)
{
	if (group_id_in(d, group_mf_no_p2p, ARRAY_SIZE(group_mf_no_p2p)))
		return 1;
	/*
	 * pci_quirk_rciep_acs: Intel RCiEPs may only do peer-to-peer on
	 * translated addresses (VT-d 3.16), as good as full ACS.
	 */
	if (d->vendor == 0x8086 && d->cap_pcie &&
	    d->pcie_type == PCI_EXP_TYPE_RC_END)
		return 1;
	return -1;
}

/* Linux pci_acs_flags_enabled(dev, PCI_GROUP_REQ_ACS). */
static bool group_acs_flags(const struct pci_dev *d)
{
	uint16_t need;

	if (!d->ecap_acs)
		return false;
	/* A feature the capability lacks counts as hard-wired enabled. */
	need = PCI_GROUP_REQ_ACS & (d->acs_cap | PCI_ACS_EC);
	return (d->acs_ctrl & need) == need;
}

bool pci_group_acs_enabled(const struct pci_dev *d)
{
	int q = group_acs_quirk(d);

	if (q >= 0)
		return q > 0;
	/* Conventional PCI: any device on the bus can see any DMA. */
	if (!d->cap_pcie)
		return false;
	switch (d->pcie_type) {
	case PCI_EXP_TYPE_PCIE_BRIDGE:
	case PCI_EXP_TYPE_PCI_BRIDGE:
	case PCI_EXP_TYPE_RC_EC:
		return false;
	case PCI_EXP_TYPE_DOWNSTREAM:
	case PCI_EXP_TYPE_ROOT_PORT:
		return group_acs_flags(d);
	case PCI_EXP_TYPE_ENDPOINT:
	case PCI_EXP_TYPE_UPSTREAM:
	case PCI_EXP_TYPE_LEG_END:
	case PCI_EXP_TYPE_RC_END:
		/* ACS only matters between functions of one device. */
		return !d->multifunction || group_acs_flags(d);
	default:
		return true;
	}
}

uint16_t pci_acs_enable_value(const struct pci_dev *dev)
{
	if (!dev->ecap_acs)
		return dev->acs_ctrl;
	return dev->acs_ctrl | (dev->acs_cap & PCI_GROUP_REQ_ACS);
}

static bool group_hidden_pcie_bridge(const struct pci_dev *b)
{
	const struct pci_dev *up = b->parent;

	return up && !b->cap_pcie && up->cap_pcie &&
	       up->pcie_type != PCI_EXP_TYPE_PCI_BRIDGE &&
	       b->header_type == PCI_HEADER_TYPE_BRIDGE &&
	       group_id_in(b, group_hidden_pcie_bridges,
			   ARRAY_SIZE(group_hidden_pcie_bridges));
}

/* How DMA from below bridge b is seen upstream (pci_for_each_dma_alias). */
static enum group_why group_alias_why(const struct pci_dev *b)
{
	if (b->cap_pcie) {
		if (b->pcie_type == PCI_EXP_TYPE_PCI_BRIDGE)
			return GROUP_WHY_PCIE_BRIDGE;
		if (b->pcie_type == PCI_EXP_TYPE_PCIE_BRIDGE)
			return GROUP_WHY_PCIX_BRIDGE;
		return GROUP_WHY_NONE; /* ports pass requester IDs on */
	}
	if (group_hidden_pcie_bridge(b))
		return GROUP_WHY_PCIE_BRIDGE;
	return GROUP_WHY_CONV_BUS;
}

unsigned pci_dma_alias_rids(const struct pci_dev *dev, uint16_t *rid,
			    unsigned max)
{
	unsigned n = 0;

	if (max > 0)
		rid[0] = PCI_SBDF_RID(dev->sbdf);
	n++;
	for (const struct pci_dev *b = dev->parent; b; b = b->parent) {
		enum group_why why = group_alias_why(b);
		uint16_t alias = PCI_SBDF_RID(b->sbdf);

		if (why == GROUP_WHY_NONE)
			continue;
		/* PCIe-to-PCI bridges take ownership as secondary bus, devfn 0. */
		if (why == GROUP_WHY_PCIE_BRIDGE)
			alias = (uint16_t)(b->secondary_bus << 8);
		if (n < max)
			rid[n] = alias;
		n++;
		if (n > PCI_GROUP_MAX_DEPTH)
			break; /* a parent cycle: the topology is broken */
	}
	return n;
}

static void group_sbdf_str(pci_sbdf_t s, char *buf, size_t size)
{
	snprintf(buf, size, "%04x:%02x:%02x.%x", PCI_SBDF_SEG(s),
		 PCI_SBDF_BUS(s), PCI_SBDF_DEV(s), PCI_SBDF_FN(s));
}

static unsigned group_idx(const struct pci_topology *t, const struct pci_dev *d)
{
	return (unsigned)(d - t->dev);
}

/* Parent links must stay inside t, name a bridge, and form no cycle. */
static int group_check_parents(const struct pci_topology *t)
{
	char name[16];

	for (unsigned i = 0; i < t->count; i++) {
		const struct pci_dev *d = &t->dev[i], *p = d->parent;
		uintptr_t pp = (uintptr_t)p;

		if (i > 0 && d->sbdf <= t->dev[i - 1].sbdf) {
			group_sbdf_str(d->sbdf, name, sizeof(name));
			log_err("PCI: functions not sorted at %s, no groups",
				name);
			return -HV_EINVAL;
		}
		if (!p)
			continue;
		if (pp < (uintptr_t)t->dev ||
		    pp >= (uintptr_t)(t->dev + t->count) ||
		    (pp - (uintptr_t)t->dev) % sizeof(*p) != 0 || p == d ||
		    p->header_type != PCI_HEADER_TYPE_BRIDGE ||
		    PCI_SBDF_SEG(p->sbdf) != PCI_SBDF_SEG(d->sbdf)) {
			group_sbdf_str(d->sbdf, name, sizeof(name));
			log_err("PCI %s: bad parent link, no groups", name);
			return -HV_EINVAL;
		}
	}
	return 0;
}

static int group_too_deep(const struct pci_dev *d)
{
	char name[16];

	group_sbdf_str(d->sbdf, name, sizeof(name));
	log_err("PCI %s: more than %u bridges above (parent cycle?), no groups",
		name, PCI_GROUP_MAX_DEPTH);
	return -HV_EINVAL;
}

/* Depth of every function; a chain longer than the limit is a cycle. */
static int group_depths(const struct pci_topology *t, struct pci_group_work *w)
{
	uint32_t stack[PCI_GROUP_MAX_DEPTH + 1];

	for (unsigned i = 0; i < t->count; i++) {
		unsigned n = 0, cur = i;
		int depth = -1;

		while (w[cur].depth == GROUP_DEPTH_UNKNOWN) {
			if (n == ARRAY_SIZE(stack))
				return group_too_deep(&t->dev[i]);
			stack[n++] = cur;
			if (!t->dev[cur].parent)
				break;
			cur = group_idx(t, t->dev[cur].parent);
		}
		if (w[cur].depth != GROUP_DEPTH_UNKNOWN)
			depth = w[cur].depth;
		if (depth + (int)n > PCI_GROUP_MAX_DEPTH)
			return group_too_deep(&t->dev[i]);
		while (n--)
			w[stack[n]].depth = (uint16_t)++depth;
	}
	return 0;
}

static bool group_acs_on(const struct pci_topology *t, struct pci_group_work *w,
			 unsigned i)
{
	if (!(w[i].acs_path & GROUP_ACS_KNOWN)) {
		w[i].acs_path |= GROUP_ACS_KNOWN;
		if (pci_group_acs_enabled(&t->dev[i]))
			w[i].acs_path |= GROUP_ACS_ON;
	}
	return w[i].acs_path & GROUP_ACS_ON;
}

/*
 * Linux pci_acs_path_enabled(dev b, NULL, REQ_ACS_FLAGS): ACS on b and on
 * every bridge above it. Memoised; depths are known and bounded here.
 */
static bool group_acs_path(const struct pci_topology *t,
			   struct pci_group_work *w, unsigned b)
{
	uint32_t stack[PCI_GROUP_MAX_DEPTH + 1];
	unsigned n = 0, cur = b;
	bool ok = true;

	if (w[b].acs_path & GROUP_PATH_KNOWN)
		return w[b].acs_path & GROUP_PATH_ON;
	do {
		stack[n++] = cur;
		if (!t->dev[cur].parent)
			break;
		cur = group_idx(t, t->dev[cur].parent);
	} while (!(w[cur].acs_path & GROUP_PATH_KNOWN));
	if (cur != stack[n - 1])
		ok = w[cur].acs_path & GROUP_PATH_ON;
	while (n > 0) {
		unsigned k = stack[--n];

		ok = ok && group_acs_on(t, w, k);
		w[k].acs_path |= GROUP_PATH_KNOWN | (ok ? GROUP_PATH_ON : 0);
	}
	return ok;
}

static uint32_t group_find(struct pci_group_work *w, uint32_t x)
{
	while (w[x].link != x) {
		w[x].link = w[w[x].link].link; /* path halving */
		x = w[x].link;
	}
	return x;
}

/*
 * Keep the reason whose anchor is nearest the root: it names the highest
 * point where isolation is lost. Then by kind, then by lower function.
 */
static void group_offer(struct pci_group_work *w, uint32_t root, uint8_t why,
			uint32_t anchor)
{
	struct pci_group_work *r = &w[root];

	if (why == GROUP_WHY_NONE)
		return;
	if (r->why != GROUP_WHY_NONE) {
		uint16_t da = w[anchor].depth, dr = w[r->anchor].depth;

		if (da != dr	    ? da > dr
		    : why != r->why ? why > r->why
				    : anchor >= r->anchor)
			return;
	}
	r->why = why;
	r->anchor = anchor;
}

static void group_union(struct pci_group_work *w, uint32_t a, uint32_t b,
			enum group_why why, uint32_t anchor)
{
	uint32_t ra = group_find(w, a), rb = group_find(w, b);

	if (ra != rb) {
		if (rb < ra) {
			uint32_t tmp = ra;

			ra = rb;
			rb = tmp;
		}
		w[rb].link = ra;
		group_offer(w, ra, w[rb].why, w[rb].anchor);
	}
	group_offer(w, ra, (uint8_t)why, anchor);
}

/*
 * Linux get_pci_function_alias_group(): the functions of a multi-function
 * slot that lack ACS cannot be told apart from each other. t is sorted, so
 * the functions of a slot are neighbours.
 */
static void group_link_functions(const struct pci_topology *t,
				 struct pci_group_work *w, unsigned i)
{
	uint32_t slot = t->dev[i].sbdf >> 3;
	unsigned lo = i;

	if (!t->dev[i].multifunction || group_acs_on(t, w, i))
		return;
	while (lo > 0 && t->dev[lo - 1].sbdf >> 3 == slot)
		lo--;
	for (unsigned j = lo; j < t->count && t->dev[j].sbdf >> 3 == slot; j++)
		if (j != i && !group_acs_on(t, w, j))
			group_union(w, i, j, GROUP_WHY_MULTIFUNCTION, lo);
}

/* Linux pci_device_group() for function i, as unions. */
static void group_link(const struct pci_topology *t, struct pci_group_work *w,
		       unsigned i)
{
	unsigned top = i, alias;

	/* Requester IDs aliased by bridges: everything below shares them. */
	for (const struct pci_dev *b = t->dev[i].parent; b; b = b->parent) {
		enum group_why why = group_alias_why(b);

		if (why == GROUP_WHY_NONE)
			continue;
		top = group_idx(t, b);
		group_union(w, i, top, why, top);
	}
	/* Up to the highest bridge whose path to the root lacks ACS. */
	alias = top;
	for (const struct pci_dev *b = t->dev[top].parent; b; b = b->parent) {
		if (group_acs_path(t, w, group_idx(t, b)))
			break;
		top = group_idx(t, b);
	}
	if (top != alias)
		group_union(w, i, top, GROUP_WHY_NO_ACS, top);
	if (top == i)
		group_link_functions(t, w, i);
}

static void group_reason(const struct pci_topology *t,
			 const struct pci_group_work *r, struct pci_group *g,
			 unsigned first)
{
	const struct pci_dev *a = &t->dev[r->anchor];
	char name[16];

	group_sbdf_str(a->sbdf, name, sizeof(name));
	if (g->ndevs == 1 || r->why == GROUP_WHY_NONE) {
		snprintf(g->reason, sizeof(g->reason), "isolated (%s)",
			 t->dev[first].parent ? "ACS on path to root"
					      : "root bus device");
		return;
	}
	switch (r->why) {
	case GROUP_WHY_MULTIFUNCTION:
		name[10] = '\0'; /* the slot: ssss:bb:dd */
		snprintf(g->reason, sizeof(g->reason),
			 "multi-function %s without ACS", name);
		break;
	case GROUP_WHY_NO_ACS:
		snprintf(g->reason, sizeof(g->reason), "no ACS on %s", name);
		break;
	case GROUP_WHY_PCIE_BRIDGE:
		snprintf(g->reason, sizeof(g->reason),
			 "alias via PCIe-to-PCI bridge %s", name);
		break;
	case GROUP_WHY_PCIX_BRIDGE:
		snprintf(g->reason, sizeof(g->reason),
			 "alias via PCI-X-to-PCIe bridge %s", name);
		break;
	default:
		snprintf(g->reason, sizeof(g->reason),
			 "conventional PCI bus %02x behind %s",
			 a->secondary_bus, name);
		break;
	}
}

/* Number the sets by lowest member and lay out the member lists. */
static void group_build(struct pci_topology *t, struct pci_group_table *tbl)
{
	struct pci_group_work *w = tbl->work;
	unsigned off = 0;

	tbl->ngroups = 0;
	for (unsigned i = 0; i < t->count; i++) {
		uint32_t r = group_find(w, i);

		if (w[r].gid < 0) {
			struct pci_group *g = &tbl->group[tbl->ngroups];

			memset(g, 0, sizeof(*g));
			w[r].gid = (int32_t)tbl->ngroups;
			g->id = (int)tbl->ngroups++;
		}
		tbl->group[w[r].gid].ndevs++;
	}
	for (unsigned g = 0; g < tbl->ngroups; g++) {
		tbl->group[g].first = off;
		off += tbl->group[g].ndevs;
		tbl->group[g].ndevs = 0;
	}
	for (unsigned i = 0; i < t->count; i++) {
		struct pci_group *g = &tbl->group[w[group_find(w, i)].gid];

		tbl->member[g->first + g->ndevs++] = i;
		t->dev[i].group = g->id;
	}
	for (unsigned n = 0; n < tbl->ngroups; n++) {
		struct pci_group *g = &tbl->group[n];
		uint32_t first = tbl->member[g->first];

		group_reason(t, &w[group_find(w, first)], g, first);
	}
}

static const char *group_unit_str(int unit, char *buf, size_t size)
{
	if (unit < 0)
		return "none";
	snprintf(buf, size, "%d", unit);
	return buf;
}

/* Principle 5: a group has exactly one unit, or is refused. */
static void group_units(struct pci_group_table *tbl, bool have_units)
{
	char a[12], b[12];

	for (unsigned n = 0; n < tbl->ngroups; n++) {
		struct pci_group *g = &tbl->group[n];

		g->unit = pci_group_member(tbl, g, 0)->unit;
		for (unsigned i = 1; i < g->ndevs && have_units; i++) {
			int u = pci_group_member(tbl, g, i)->unit;

			if (u == g->unit)
				continue;
			/* Units in ascending order, "none" last. */
			g->span[0] = g->unit < 0 || (u >= 0 && u < g->unit)
					     ? u
					     : g->unit;
			g->span[1] = g->span[0] == u ? g->unit : u;
			g->spans_units = true;
			g->unit = -1;
			log_warn("IOMMU: group %d spans units %s and %s", g->id,
				 group_unit_str(g->span[0], a, sizeof(a)),
				 group_unit_str(g->span[1], b, sizeof(b)));
			break;
		}
	}
}

static void group_reset(struct pci_topology *t, struct pci_group_table *tbl)
{
	tbl->ngroups = 0;
	for (unsigned i = 0; i < t->count; i++) {
		t->dev[i].group = -1;
		t->dev[i].unit = -1;
	}
}

void pci_group_table_init(struct pci_group_table *tbl, struct pci_group *groups,
			  uint32_t *members, struct pci_group_work *work,
			  unsigned capacity)
{
	memset(tbl, 0, sizeof(*tbl));
	tbl->capacity = capacity;
	tbl->group = groups;
	tbl->member = members;
	tbl->work = work;
}

int pci_group_compute(struct pci_topology *t, const struct acpi_dmar *dmar,
		      struct pci_group_table *tbl)
{
	struct pci_group_work *w = tbl->work;
	int err;

	tbl->topo = t;
	tbl->dmar = dmar;
	group_reset(t, tbl);
	if (t->count > tbl->capacity) {
		log_err("PCI: %u functions, group table holds %u, no groups",
			t->count, tbl->capacity);
		return -HV_ENOMEM;
	}
	for (unsigned i = 0; i < t->count; i++)
		w[i] = (struct pci_group_work){
			.link = i, .depth = GROUP_DEPTH_UNKNOWN, .gid = -1};
	err = group_check_parents(t);
	if (!err)
		err = group_depths(t, w);
	if (err)
		return err;
	for (unsigned i = 0; i < t->count; i++)
		group_link(t, w, i);
	group_build(t, tbl);
	dmar_assign_units(dmar, t);
	group_units(tbl, dmar && dmar->present && dmar->ndrhd > 0);
	return 0;
}

const struct pci_group *pci_group_of(const struct pci_group_table *tbl,
				     const struct pci_dev *dev)
{
	if (!tbl->topo || dev->group < 0 ||
	    (unsigned)dev->group >= tbl->ngroups)
		return NULL;
	return &tbl->group[dev->group];
}

static void group_print_unit(const struct pci_group_table *tbl,
			     const struct pci_group *g)
{
	const struct acpi_dmar *dmar = tbl->dmar;
	char a[12], b[12];

	if (g->spans_units)
		console_printf(
			"  unit: none (members behind units %s and %s: refused)\n",
			group_unit_str(g->span[0], a, sizeof(a)),
			group_unit_str(g->span[1], b, sizeof(b)));
	else if (g->unit >= 0 && dmar && (unsigned)g->unit < dmar->ndrhd &&
		 g->unit < ACPI_MAX_DRHD)
		console_printf(
			"  unit: %d (dmar drhd at 0x%llx)\n", g->unit,
			(unsigned long long)dmar->drhd[g->unit].reg_base);
	else if (dmar && dmar->present && dmar->ndrhd > 0)
		console_printf("  unit: none (no DRHD covers it)\n");
	else
		console_printf("  unit: none (no DMAR table)\n");
}

void pci_cmd_groups(const struct pci_group_table *tbl, bool verbose)
{
	char name[16];

	if (!tbl->topo || tbl->ngroups == 0) {
		console_printf("no groups\n");
		return;
	}
	for (unsigned n = 0; n < tbl->ngroups; n++) {
		const struct pci_group *g = &tbl->group[n];

		console_printf("group %d:", g->id);
		for (unsigned i = 0; i < g->ndevs; i++) {
			group_sbdf_str(pci_group_member(tbl, g, i)->sbdf, name,
				       sizeof(name));
			console_printf(" %s", name);
		}
		console_printf("\n");
		if (!verbose)
			continue;
		console_printf("  reason: %s\n", g->reason);
		group_print_unit(tbl, g);
	}
}
