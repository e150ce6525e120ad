// SPDX-License-Identifier: MIT
/*
 * The IOMMU core's rules (attach, detach, replace, PASID, bus mastering)
 * against a fake driver that records what it was asked to program.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "drivers/iommu/iommu.h"
#include "drivers/iommu/iommu_drv.h"
#include "drivers/pci/cfg.h"
#include "drivers/pci/pci_regs.h"
#include "kernel/errno.h"
#include "topo.h"

/* ---- fake config space: only the command register matters here ---- */
static uint16_t cmd_reg[1 << 16];

uint16_t pci_cfg_read16(pci_sbdf_t s, uint16_t off)
{
	return off == PCI_COMMAND ? cmd_reg[PCI_SBDF_RID(s)] : 0xffff;
}

void pci_cfg_write16(pci_sbdf_t s, uint16_t off, uint16_t v)
{
	if (off == PCI_COMMAND)
		cmd_reg[PCI_SBDF_RID(s)] = v;
}

static bool master(struct topo *T, const char *name)
{
	return cmd_reg[PCI_SBDF_RID(topo_dev(T, name)->sbdf)] &
	       PCI_COMMAND_MASTER;
}

/* ---- fake driver ---- */
struct call {
	uint16_t rids[IOMMU_MAX_RIDS];
	unsigned n;
	struct iommu_domain *dom, *old;
	bool any_master; /* a rid's function had bus mastering at the call */
};
static struct call calls[32];
static unsigned ncalls;
static int fail_set, fail_unit;
static bool pasid_ok = true;
static unsigned pasid_calls;

int iommu_drv_unit_init(struct iommu_unit *u, const struct acpi_drhd *drhd,
			enum iommu_mode want)
{
	(void)drhd;
	(void)want;
	if (fail_unit) {
		snprintf(u->why, sizeof(u->why), "fake refusal");
		return -HV_ENOTSUP;
	}
	return 0;
}

int iommu_drv_domain_init(struct iommu_domain *d)
{
	d->hw = d;
	return 0;
}

void iommu_drv_domain_destroy(struct iommu_domain *d)
{
	d->hw = NULL;
}

static struct {
	struct iommu_domain *d;
	uint64_t iova, pa, size;
	unsigned prot;
} last_map;
static unsigned nmaps;

int iommu_drv_map(struct iommu_domain *d, iova_t i, hpa_t p, uint64_t size,
		  unsigned prot)
{
	last_map.d = d;
	last_map.iova = i.v;
	last_map.pa = p.v;
	last_map.size = size;
	last_map.prot = prot;
	nmaps++;
	d->mapped_bytes += size;
	return 0;
}

int iommu_drv_unmap(struct iommu_domain *d, iova_t i, uint64_t size)
{
	(void)i;
	d->mapped_bytes -= size;
	return 0;
}

int iommu_drv_set_rids(struct iommu_unit *u, const uint16_t *rids, unsigned n,
		       struct iommu_domain *dom, struct iommu_domain *old)
{
	struct call *c = &calls[ncalls++];

	(void)u;
	assert_true(ncalls < 32);
	memcpy(c->rids, rids, n * sizeof(*rids));
	c->n = n;
	c->dom = dom;
	c->old = old;
	c->any_master = false;
	for (unsigned i = 0; i < n; i++)
		c->any_master |= (cmd_reg[rids[i]] & PCI_COMMAND_MASTER) != 0;
	return fail_set;
}

bool iommu_drv_pasid_capable(const struct iommu_unit *u)
{
	(void)u;
	return pasid_ok;
}

int iommu_drv_set_pasid(struct iommu_unit *u, uint16_t rid, uint32_t pasid,
			struct iommu_domain *dom, struct iommu_domain *old)
{
	(void)u;
	(void)rid;
	(void)pasid;
	(void)dom;
	(void)old;
	pasid_calls++;
	return fail_set;
}

void iommu_drv_unit_release(struct iommu_unit *u, struct iommu_domain *d)
{
	(void)u;
	(void)d;
}

void iommu_drv_poll_faults(struct iommu_unit *u)
{
	(void)u;
}

/* ---- machine ---- */
static struct topo *T;
static struct pci_group_table *G;

static int setup(void **state)
{
	(void)state;
	memset(cmd_reg, 0, sizeof(cmd_reg));
	ncalls = 0;
	nmaps = 0;
	fail_set = fail_unit = 0;
	pasid_ok = true;
	pasid_calls = 0;
	T = topo_new(64);
	topo_q35(T);
	topo_bridge(T, "00:04.0", TOPO_ROOT_PORT, 1, 1);
	topo_add(T, "01:00.0", TOPO_EDU);
	topo_bridge(T, "00:05.0", TOPO_ROOT_PORT, 2, 2);
	topo_add(T, "02:00.0", TOPO_EDU);
	topo_bridge(T, "00:06.0", TOPO_PCIE_PCI_BRIDGE, 3, 3);
	topo_add(T, "03:01.0", TOPO_EDU);
	topo_add(T, "03:02.0", TOPO_EDU);
	topo_drhd(T, 0xfed90000, 0, true);
	topo_finish(T);
	assert_int_equal(topo_groups(T), 0);
	G = &T->tbl;
	pci_devices = T->t;
	for (unsigned i = 0; i < T->t.count; i++)
		cmd_reg[PCI_SBDF_RID(T->t.dev[i].sbdf)] =
			PCI_COMMAND_MASTER | PCI_COMMAND_MEMORY;
	assert_int_equal(iommu_init(&T->dmar, G), 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (unsigned i = 0; i < G->ngroups; i++)
		if (iommu_group_domain(&G->group[i]))
			iommu_detach(&G->group[i]);
	for (int i = 0; i < IOMMU_MAX_DOMAINS; i++) {
		struct iommu_domain *d;

		if (iommu_domain_get((unsigned)i, &d) && d)
			iommu_domain_free(d);
	}
	topo_free(T);
	return 0;
}

static const struct pci_group *grp(const char *name)
{
	return pci_group_of(G, topo_dev(T, name));
}

static bool has_rid(const struct call *c, const char *name)
{
	uint16_t rid = PCI_SBDF_RID(topo_sbdf(name));

	for (unsigned i = 0; i < c->n; i++)
		if (c->rids[i] == rid)
			return true;
	return false;
}

static void test_init_clears_bus_mastering(void **state)
{
	(void)state;
	for (unsigned i = 0; i < T->t.count; i++)
		assert_int_equal(cmd_reg[PCI_SBDF_RID(T->t.dev[i].sbdf)],
				 PCI_COMMAND_MEMORY);
	assert_true(iommu_units[0].up);
	for (unsigned i = 0; i < G->ngroups; i++)
		assert_null(iommu_group_domain(&G->group[i]));
}

static void test_attach_once_then_busy(void **state)
{
	struct iommu_domain *a = iommu_domain_alloc("a");

	(void)state;
	assert_non_null(a);
	assert_int_equal(iommu_attach(grp("01:00.0"), a), 0);
	assert_int_equal(ncalls, 1);
	assert_int_equal(calls[0].n, 1);
	assert_true(has_rid(&calls[0], "01:00.0"));
	assert_ptr_equal(calls[0].dom, a);
	assert_null(calls[0].old);
	assert_ptr_equal(iommu_group_domain(grp("01:00.0")), a);
	assert_int_equal(a->ngroups, 1);
	/* A second attach is refused without touching the hardware. */
	assert_int_equal(iommu_attach(grp("01:00.0"), a), -HV_EBUSY);
	assert_int_equal(ncalls, 1);
	assert_int_equal(iommu_domain_free(a), -HV_EBUSY);
}

static void test_alias_group_rids(void **state)
{
	struct iommu_domain *a = iommu_domain_alloc("a");
	const struct pci_group *g = grp("03:01.0");

	(void)state;
	assert_ptr_equal(g, grp("03:02.0"));
	assert_ptr_equal(g, grp("00:06.0"));
	assert_int_equal(iommu_attach(g, a), 0);
	/* Every member, plus the bridge's alias (secondary bus, devfn 0). */
	assert_true(has_rid(&calls[0], "00:06.0"));
	assert_true(has_rid(&calls[0], "03:01.0"));
	assert_true(has_rid(&calls[0], "03:02.0"));
	assert_true(has_rid(&calls[0], "03:00.0"));
	for (unsigned i = 0; i < calls[0].n; i++)
		for (unsigned j = i + 1; j < calls[0].n; j++)
			assert_int_not_equal(calls[0].rids[i],
					     calls[0].rids[j]);
}

static void test_bus_master_needs_attach(void **state)
{
	struct iommu_domain *a = iommu_domain_alloc("a");
	struct pci_dev *edu = topo_dev(T, "02:00.0");

	(void)state;
	assert_int_equal(iommu_dev_set_bus_master(edu, true), -HV_EPERM);
	assert_false(master(T, "02:00.0"));
	assert_int_equal(iommu_attach(grp("02:00.0"), a), 0);
	assert_int_equal(iommu_dev_set_bus_master(edu, true), 0);
	assert_true(master(T, "02:00.0"));
	assert_true(master(T, "00:05.0")); /* the port forwards its DMA */
	assert_false(master(T, "01:00.0"));
}

static void test_replace_and_detach(void **state)
{
	struct iommu_domain *a = iommu_domain_alloc("a");
	struct iommu_domain *b = iommu_domain_alloc("b");
	const struct pci_group *g = grp("01:00.0");

	(void)state;
	assert_int_equal(iommu_replace(g, b), -HV_EINVAL); /* not attached */
	assert_int_equal(iommu_attach(g, a), 0);
	assert_int_equal(iommu_dev_set_bus_master(topo_dev(T, "01:00.0"), true),
			 0);
	assert_int_equal(iommu_replace(g, b), 0);
	assert_int_equal(ncalls, 2);
	assert_ptr_equal(calls[1].dom, b);
	assert_ptr_equal(calls[1].old, a);
	assert_true(calls[1].any_master); /* replace keeps the device running */
	assert_int_equal(a->ngroups, 0);
	assert_int_equal(b->ngroups, 1);
	assert_int_equal(iommu_replace(g, b), 0); /* same domain: nothing */
	assert_int_equal(ncalls, 2);
	assert_int_equal(iommu_detach(g), 0);
	assert_int_equal(ncalls, 3);
	assert_null(calls[2].dom);
	assert_ptr_equal(calls[2].old, b);
	/* Bus mastering was off before the entries went away. */
	assert_false(calls[2].any_master);
	assert_null(iommu_group_domain(g));
	assert_int_equal(iommu_detach(g), -HV_ENOENT);
	assert_int_equal(iommu_domain_free(b), 0);
	assert_int_equal(iommu_domain_free(a), 0);
}

static void test_driver_failure_changes_nothing(void **state)
{
	struct iommu_domain *a = iommu_domain_alloc("a");
	struct iommu_domain *b = iommu_domain_alloc("b");
	const struct pci_group *g = grp("01:00.0");

	(void)state;
	fail_set = -HV_ENOMEM;
	assert_int_equal(iommu_attach(g, a), -HV_ENOMEM);
	assert_null(iommu_group_domain(g));
	assert_int_equal(a->ngroups, 0);
	fail_set = 0;
	assert_int_equal(iommu_attach(g, a), 0);
	fail_set = -HV_EIO;
	assert_int_equal(iommu_replace(g, b), -HV_EIO);
	assert_ptr_equal(iommu_group_domain(g), a);
	assert_int_equal(b->ngroups, 0);
	fail_set = 0;
}

static void test_unusable_groups_refused(void **state)
{
	struct iommu_domain *a = iommu_domain_alloc("a");
	struct pci_group *g = &G->group[grp("02:00.0")->id];

	(void)state;
	g->spans_units = true;
	assert_int_equal(iommu_attach(g, a), -HV_EPERM);
	g->spans_units = false;
	iommu_units[0].up = false;
	assert_int_equal(iommu_attach(g, a), -HV_EPERM);
	iommu_units[0].up = true;
	assert_int_equal(ncalls, 0);
	assert_int_equal(iommu_attach(NULL, a), -HV_EINVAL);
	assert_int_equal(iommu_attach(g, NULL), -HV_EINVAL);
}

static void test_pasid_rules(void **state)
{
	struct iommu_domain *a = iommu_domain_alloc("a");
	struct pci_dev *edu = topo_dev(T, "01:00.0");
	struct pci_dev *shared = topo_dev(T, "03:01.0");

	(void)state;
	assert_int_equal(iommu_attach_pasid(edu, 0, a), -HV_EINVAL);
	assert_int_equal(iommu_attach_pasid(edu, 1u << 20, a), -HV_EINVAL);
	/* Not alone in its group: PASIDs cannot name it. */
	assert_int_equal(iommu_attach_pasid(shared, 5, a), -HV_EPERM);
	pasid_ok = false;
	assert_int_equal(iommu_attach_pasid(edu, 5, a), -HV_ENOTSUP);
	pasid_ok = true;
	assert_int_equal(pasid_calls, 0);
	assert_int_equal(iommu_attach_pasid(edu, 5, a), 0);
	assert_int_equal(a->npasids, 1);
	assert_int_equal(iommu_attach_pasid(edu, 5, a), -HV_EBUSY);
	/* No-PASID traffic stays blocked, but the device may master. */
	assert_null(iommu_group_domain(grp("01:00.0")));
	assert_int_equal(iommu_dev_set_bus_master(edu, true), 0);
	assert_int_equal(iommu_domain_free(a), -HV_EBUSY);
	assert_int_equal(iommu_detach_pasid(edu, 5), 0);
	assert_int_equal(iommu_detach_pasid(edu, 5), -HV_ENOENT);
	assert_int_equal(a->npasids, 0);
	assert_int_equal(pasid_calls, 2);
}

static void test_domain_table_limits(void **state)
{
	struct iommu_domain *d[IOMMU_MAX_DOMAINS];

	(void)state;
	for (int i = 0; i < IOMMU_MAX_DOMAINS; i++)
		assert_non_null(d[i] = iommu_domain_alloc("x"));
	assert_null(iommu_domain_alloc("x"));
	assert_int_equal(iommu_domain_free(d[3]), 0);
	assert_int_equal(iommu_domain_free(d[3]), -HV_EINVAL);
	assert_non_null(iommu_domain_alloc("y"));
	assert_int_equal(iommu_map(d[0], iova(0), hpa(0x1000), 0x1000, 0),
			 -HV_EINVAL);
	assert_int_equal(iommu_map(d[0], iova(0), hpa(0x1000), 0x1000, 8),
			 -HV_EINVAL);
}

static void test_unit_refused(void **state)
{
	(void)state;
	fail_unit = 1;
	assert_int_equal(iommu_init(&T->dmar, G), 0);
	assert_false(iommu_units[0].up);
	assert_string_equal(iommu_units[0].why, "fake refusal");
	fail_unit = 0;
	assert_int_equal(iommu_init(&T->dmar, G), 1);
}

static void test_rmrr_identity_for_named_group_only(void **state)
{
	int r = topo_rmrr(T, 0, 0x3f000000, 0x3f010fff);
	const struct pci_group *g = grp("02:00.0");
	struct iommu_domain *d;

	(void)state;
	topo_scope(&T->dmar.rmrr[r].scopes, ACPI_DMAR_SCOPE_ENDPOINT, 0,
		   "05.0/00.0");
	iommu_rmrr_init(&T->dmar, G);
	d = iommu_group_domain(g);
	assert_non_null(d);
	assert_string_equal(d->owner, "rmrr");
	assert_int_equal(nmaps, 1);
	assert_ptr_equal(last_map.d, d);
	assert_int_equal(last_map.iova, 0x3f000000);
	assert_int_equal(last_map.pa, 0x3f000000);
	assert_int_equal(last_map.size, 0x11000);
	assert_int_equal(last_map.prot, IOMMU_READ | IOMMU_WRITE);
	/* Nobody else gets the range. */
	for (unsigned i = 0; i < G->ngroups; i++)
		if (&G->group[i] != g)
			assert_null(iommu_group_domain(&G->group[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_clears_bus_mastering,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_once_then_busy,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_alias_group_rids, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bus_master_needs_attach,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_and_detach, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_driver_failure_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unusable_groups_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_pasid_rules, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_domain_table_limits, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unit_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_rmrr_identity_for_named_group_only, setup,
			teardown),
	};

	return cmocka_run_group_tests_name("iommu_core", tests, NULL, NULL);
}
