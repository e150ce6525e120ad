// SPDX-License-Identifier: MIT
/*
 * The VT-d driver (drivers/iommu/intel/unit.c, context.c, domain.c) run on
 * the host against the fake unit (vtd_fake.c): capability audit, bring-up
 * order, context/PASID entries with their invalidations, map/unmap
 * invalidations and fault polling. The driver's pages are host pages
 * (vtd_core_stubs.c), so the fake does identity DMA.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivers/iommu/intel/vtd.h"
#include "drivers/iommu/iommu_drv.h"
#include "kernel/errno.h"
#include "kernel/mm/mm.h"
#include "stub_log.h"
#include "vtd_fake.h"

#define REG_BASE 0xfed90000ull
#define RID	 0x0018u /* 00:03.0 */
#define CAP	 VTD_FAKE_CAP_QEMU
#define ECAP	 VTD_FAKE_ECAP_QEMU
#define ECAP_SM	 VTD_FAKE_ECAP_QEMU_SM

/* From vtd_core_stubs.c. */
extern unsigned vtd_stub_pages_live;
void vtd_stub_pages_reset(void);

static struct vtd_fake fake;
static struct iommu_unit *unit = &iommu_units[0];
static struct iommu_domain dom[2] = {{.id = 0}, {.id = 1}};

/* The driver reaches its registers through the fake. */
struct vtd_mmio vtd_regs_mmio(struct vtd_unit *hw)
{
	assert_int_equal(hw->iu->reg_base, REG_BASE);
	return vtd_fake_mmio(&fake);
}

static int setup(void **state)
{
	(void)state;
	vtd_stub_pages_reset();
	stub_log_reset();
	memset(iommu_units, 0, sizeof(iommu_units));
	memset(&iommu_fault_ring, 0, sizeof(iommu_fault_ring));
	unit->index = 0;
	unit->reg_base = REG_BASE;
	iommu_nunits = 1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	vtd_stub_pages_reset();
	return 0;
}

/* Fake with these capabilities (identity DMA), not brought up. */
static void fake_reset(uint64_t cap, uint64_t ecap)
{
	vtd_fake_init(&fake, NULL, cap, ecap);
}

static int init_unit(enum iommu_mode mode)
{
	struct acpi_drhd drhd = {.reg_base = REG_BASE};
	int rc = iommu_drv_unit_init(unit, &drhd, mode);

	unit->up = rc == 0;
	return rc;
}

static struct vtd_unit *hw(void)
{
	return unit->hw;
}

/* Bring up a fake unit, then forget what bring-up did. */
static void up(uint64_t cap, uint64_t ecap, enum iommu_mode mode)
{
	fake_reset(cap, ecap);
	assert_int_equal(init_unit(mode), 0);
	assert_int_equal(fake.errors, 0);
	assert_int_equal(fake.bad_access, 0);
	vtd_fake_log_reset(&fake);
}

static struct vtd_domain *vdom(int i)
{
	return dom[i].hw;
}

static void domain_new(int i)
{
	assert_int_equal(iommu_drv_domain_init(&dom[i]), 0);
}

static uint16_t attach(int i, int old)
{
	uint16_t rid = RID;

	assert_int_equal(iommu_drv_set_rids(unit, &rid, 1,
					    i < 0 ? NULL : &dom[i],
					    old < 0 ? NULL : &dom[old]),
			 0);
	assert_int_equal(fake.errors, 0);
	return i < 0 ? 0 : vdom(i)->did[0];
}

/* The i-th logged descriptor of type, which must exist. */
static const uint64_t *desc(unsigned type, unsigned i)
{
	const struct vtd_fake_op *op = vtd_fake_desc(&fake, type, i);

	assert_non_null(op);
	return op->qw;
}

/* Exactly one descriptor of type, with granularity g and domain id did. */
static const uint64_t *one_desc(unsigned type, unsigned g, uint16_t did)
{
	const uint64_t *d;

	assert_int_equal(vtd_fake_count(&fake, VTD_FAKE_OP_DESC, type), 1);
	d = desc(type, 0);
	assert_int_equal(FIELD_GET(VTD_INV_G, d[0]), g);
	assert_int_equal(FIELD_GET(VTD_INV_CC_DID, d[0]), did);
	return d;
}

static void assert_why(const char *why)
{
	assert_false(unit->up);
	assert_string_equal(unit->why, why);
	/* Refused before touching the unit: not one register written. */
	assert_int_equal(fake.ngcmd, 0);
	assert_int_equal(fake.nwr, 0);
}

/* ---- 1. capability audit --------------------------------------------- */

static void test_refuse_ver_all_ones(void **state)
{
	(void)state;
	fake_reset(CAP, ECAP);
	vtd_fake_set32(&fake, VTD_VER_REG, 0xffffffff);
	assert_int_equal(init_unit(IOMMU_MODE_AUTO), -HV_ENOTSUP);
	assert_why("no unit answers (VER 0xffffffff)");
}

static void test_refuse_no_sagaw(void **state)
{
	(void)state;
	fake_reset(CAP & ~VTD_CAP_SAGAW, ECAP);
	assert_int_equal(init_unit(IOMMU_MODE_AUTO), -HV_ENOTSUP);
	assert_why("no usable address width (SAGAW 0x0)");
	/* Only reserved or 2-level bits (0, 4): still nothing usable. */
	setup(state);
	fake_reset((CAP & ~VTD_CAP_SAGAW) | FIELD_PREP(VTD_CAP_SAGAW, 0x11),
		   ECAP);
	assert_int_equal(init_unit(IOMMU_MODE_AUTO), -HV_ENOTSUP);
	assert_why("no usable address width (SAGAW 0x11)");
}

static void test_refuse_fro_outside(void **state)
{
	(void)state;
	fake_reset(CAP, ECAP);
	/* 0xff0 + 16 fits, one more record (NFR 1: two) does not. */
	vtd_fake_set64(&fake, VTD_CAP_REG,
		       (CAP & ~(VTD_CAP_FRO | VTD_CAP_NFR)) |
			       FIELD_PREP(VTD_CAP_FRO, 0xff) |
			       FIELD_PREP(VTD_CAP_NFR, 1));
	assert_int_equal(init_unit(IOMMU_MODE_AUTO), -HV_ENOTSUP);
	assert_why("fault recording registers at 0xff0 outside the register "
		   "set");
}

static void test_refuse_iro_outside(void **state)
{
	(void)state;
	fake_reset(CAP, ECAP);
	vtd_fake_set64(&fake, VTD_ECAP_REG,
		       (ECAP & ~VTD_ECAP_IRO) | FIELD_PREP(VTD_ECAP_IRO, 0xff));
	assert_int_equal(init_unit(IOMMU_MODE_AUTO), 0); /* 0xff0 + 16 fits */
	setup(state);
	fake_reset(CAP, ECAP);
	vtd_fake_set64(&fake, VTD_ECAP_REG,
		       (ECAP & ~VTD_ECAP_IRO) |
			       FIELD_PREP(VTD_ECAP_IRO, 0x100));
	assert_int_equal(init_unit(IOMMU_MODE_AUTO), -HV_ENOTSUP);
	assert_why("IOTLB registers at 0x1000 outside the register set");
}

static void test_refuse_scalable_without_smts(void **state)
{
	(void)state;
	fake_reset(CAP, ECAP);
	assert_int_equal(init_unit(IOMMU_MODE_SCALABLE), -HV_ENOTSUP);
	/* The whole reason, ECAP value included, fits in iommu_unit.why. */
	assert_why("iommu.mode = scalable but the unit has no scalable mode "
		   "with second-level tables and queued invalidation (ECAP "
		   "0xf00f4a)");
}

static void test_levels(void **state)
{
	uint64_t cap = CAP & ~VTD_CAP_SAGAW;

	(void)state;
	up(cap | FIELD_PREP(VTD_CAP_SAGAW, 0x6), ECAP, IOMMU_MODE_AUTO);
	assert_int_equal(hw()->levels, 4);
	teardown(state);
	setup(state);
	up(cap | FIELD_PREP(VTD_CAP_SAGAW, 0x2), ECAP, IOMMU_MODE_AUTO);
	assert_int_equal(hw()->levels, 3);
	assert_int_equal(hw()->aw_bits, 39);
	teardown(state);
	setup(state);
	up(cap | FIELD_PREP(VTD_CAP_SAGAW, 0x8), ECAP, IOMMU_MODE_AUTO);
	assert_int_equal(hw()->levels, 5);
}

/* ---- 2. bring-up order ----------------------------------------------- */

static int find(unsigned off, uint64_t bits, unsigned from)
{
	int i = vtd_fake_find_write(&fake, off, bits, from);

	assert_true(i >= 0);
	return i;
}

/* Bring up and check the order of writes and descriptors. */
static void check_bringup(uint64_t ecap, bool scalable)
{
	const uint8_t zero[PAGE_SIZE] = {0};
	unsigned ndesc = scalable ? 4 : 3, type[4], k = 0;
	int rt, srtp, qie, te, fectl;
	uint64_t rta;

	fake_reset(CAP, ecap);
	assert_int_equal(init_unit(IOMMU_MODE_AUTO), 0);
	assert_int_equal(fake.errors, 0);
	assert_int_equal(fake.bad_access, 0);
	assert_int_equal(hw()->scalable, scalable);
	rta = hw()->root.v |
	      FIELD_PREP(VTD_RTADDR_TTM, scalable ? VTD_RTADDR_TTM_SCALABLE
						  : VTD_RTADDR_TTM_LEGACY);
	rt = find(VTD_RTADDR_REG, 0, 0);
	assert_int_equal(fake.wr[rt].v, rta);
	assert_int_equal(fake.rtaddr, rta);
	assert_int_equal(fake.srtp, 1);
	srtp = find(VTD_GCMD_REG, VTD_GCMD_SRTP, 0);
	qie = find(VTD_GCMD_REG, VTD_GCMD_QIE, 0);
	te = find(VTD_GCMD_REG, VTD_GCMD_TE, 0);
	assert_true(rt < srtp && srtp < qie && qie < te);
	/* TE is set once, with QIE kept and no one-shot command. */
	assert_int_equal(fake.wr[te].v, VTD_GCMD_TE | VTD_GCMD_QIE);
	/* The global invalidations come after QIE and complete before TE. */
	assert_int_equal(fake.wr[qie].nlog, 0);
	assert_int_equal(fake.nlog, ndesc);
	assert_int_equal(fake.wr[te].nlog, ndesc);
	for (unsigned i = 0; i < ndesc; i++) {
		assert_int_equal(fake.log[i].kind, VTD_FAKE_OP_DESC);
		assert_int_equal(fake.log[i].width, scalable ? 32 : 16);
		type[i] = fake.log[i].qw[0] & 0xf;
	}
	assert_int_equal(type[k], VTD_INV_CC);
	assert_int_equal(FIELD_GET(VTD_INV_G, fake.log[k++].qw[0]),
			 VTD_INVAL_GLOBAL);
	if (scalable) {
		assert_int_equal(type[k], VTD_INV_PC);
		assert_int_equal(FIELD_GET(VTD_INV_G, fake.log[k++].qw[0]), 3);
	}
	assert_int_equal(type[k], VTD_INV_IOTLB);
	assert_int_equal(FIELD_GET(VTD_INV_G, fake.log[k++].qw[0]),
			 VTD_IOTLB_GLOBAL);
	assert_int_equal(type[k], VTD_INV_WAIT);
	/* Everything blocked: not one root entry present. */
	assert_memory_equal(hpa_to_ptr(hw()->root), zero, PAGE_SIZE);
	fectl = find(VTD_FECTL_REG, VTD_FECTL_IM, 0);
	assert_true(fectl > te);
	assert_true(vtd_fake_get32(&fake, VTD_FECTL_REG) & VTD_FECTL_IM);
	assert_true(vtd_fake_get32(&fake, VTD_GSTS_REG) & VTD_GSTS_TES);
	assert_true(unit->up);
}

static void test_bringup_legacy(void **state)
{
	(void)state;
	check_bringup(ECAP, false);
}

static void test_bringup_scalable(void **state)
{
	(void)state;
	check_bringup(ECAP_SM, true);
}

/* ---- 3. legacy context entries --------------------------------------- */

static void assert_legacy_entry(int i)
{
	volatile uint64_t *e = vtd_ctx_entry(hw(), RID, false);
	struct vtd_domain *vd = vdom(i);
	uint64_t *root = hpa_to_ptr(hw()->root);

	assert_non_null(e);
	assert_int_equal(root[0], hw()->ctx[0][0].v | VTD_RE_P);
	assert_int_equal(e[0] & ~VTD_CE_SLPTPTR, VTD_CE_P); /* TT 0 */
	assert_int_equal(e[0] & VTD_CE_SLPTPTR, vd->pt.root.v);
	assert_int_equal(FIELD_GET(VTD_CE_AW, e[1]), hw()->levels - 2);
	assert_int_equal(FIELD_GET(VTD_CE_DID, e[1]), vd->did[0]);
	assert_int_equal(e[1] & ~(VTD_CE_AW | VTD_CE_DID), 0);
}

/* Device-selective context-cache with did, domain IOTLB with iotlb_did. */
static void assert_entry_inval(uint16_t did, uint16_t iotlb_did)
{
	const uint64_t *cc = one_desc(VTD_INV_CC, VTD_INVAL_DEVICE, did);

	assert_int_equal(FIELD_GET(VTD_INV_CC_SID, cc[0]), RID);
	assert_int_equal(FIELD_GET(VTD_INV_CC_FM, cc[0]), 0);
	one_desc(VTD_INV_IOTLB, VTD_IOTLB_DOMAIN, iotlb_did);
	assert_int_equal(vtd_fake_count(&fake, VTD_FAKE_OP_DESC, VTD_INV_WAIT),
			 1);
	assert_int_equal(vtd_fake_count(&fake, VTD_FAKE_OP_DESC, 0), 3);
}

static void test_legacy_attach_cm(void **state)
{
	uint16_t did;

	(void)state;
	up(CAP, ECAP, IOMMU_MODE_AUTO);
	domain_new(0);
	did = attach(0, -1);
	assert_int_not_equal(did, 0);
	assert_legacy_entry(0);
	assert_int_equal(hw()->levels, 3);
	/* Caching mode: "not present" is cached under domain id 0. */
	assert_entry_inval(0, did);
}

static void test_legacy_attach_no_cm(void **state)
{
	(void)state;
	up(CAP & ~VTD_CAP_CM, ECAP, IOMMU_MODE_AUTO);
	domain_new(0);
	attach(0, -1);
	assert_legacy_entry(0);
	assert_int_equal(fake.nlog, 0);
	assert_int_equal(fake.ngcmd, 0);
	teardown(state);
	/* With CAP.RWBF: only the write-buffer flush. */
	setup(state);
	up((CAP & ~VTD_CAP_CM) | VTD_CAP_RWBF, ECAP, IOMMU_MODE_AUTO);
	domain_new(0);
	attach(0, -1);
	assert_legacy_entry(0);
	assert_int_equal(fake.nlog, 1);
	assert_int_equal(fake.log[0].kind, VTD_FAKE_OP_WBF);
}

static void replace_detach(uint64_t cap)
{
	volatile uint64_t *e;
	uint16_t d0, d1;

	up(cap, ECAP, IOMMU_MODE_AUTO);
	domain_new(0);
	domain_new(1);
	d0 = attach(0, -1);
	vtd_fake_log_reset(&fake);
	d1 = attach(1, 0);
	assert_int_not_equal(d0, d1);
	assert_legacy_entry(1);
	/* What the IOMMU cached is tagged with the old id. */
	assert_entry_inval(d0, d0);
	vtd_fake_log_reset(&fake);
	attach(-1, 1);
	e = vtd_ctx_entry(hw(), RID, false);
	assert_non_null(e);
	assert_int_equal(e[0], 0);
	assert_int_equal(e[1], 0);
	assert_entry_inval(d1, d1);
}

/* With or without caching mode, a present entry's change is invalidated. */
static void test_legacy_replace_detach(void **state)
{
	replace_detach(CAP);
	teardown(state);
	setup(state);
	replace_detach(CAP & ~VTD_CAP_CM);
}

/* ---- 4. scalable-mode entries ---------------------------------------- */

static void test_scalable_attach(void **state)
{
	struct vtd_domain *vd;
	volatile uint64_t *ce;
	uint64_t *root, *dir, *pt;
	const uint64_t *pc;
	uint16_t did;

	(void)state;
	up(CAP, ECAP_SM, IOMMU_MODE_AUTO);
	assert_true(hw()->scalable);
	domain_new(0);
	did = attach(0, -1);
	vd = vdom(0);
	root = hpa_to_ptr(hw()->root);
	assert_int_equal(root[0], hw()->ctx[0][0].v | VTD_RE_P); /* lower */
	assert_int_equal(root[1], 0);
	ce = vtd_ctx_entry(hw(), RID, false);
	assert_non_null(ce);
	assert_int_equal(ce[0] & ~VTD_SCE_PASIDDIRPTR,
			 VTD_SCE_P | VTD_SCE_PASIDE |
				 FIELD_PREP(VTD_SCE_PDTS, VTD_PASID_DIR_PDTS));
	assert_int_equal(ce[1], FIELD_PREP(VTD_SCE_RID_PASID, 0));
	assert_int_equal(ce[2] | ce[3], 0);
	dir = hpa_to_ptr(hpa(ce[0] & VTD_SCE_PASIDDIRPTR));
	assert_int_equal(dir[0] & ~VTD_PDE_SMPTBLPTR, VTD_PDE_P);
	pt = hpa_to_ptr(hpa(dir[0] & VTD_PDE_SMPTBLPTR));
	assert_int_equal(pt[0],
			 vd->pt.root.v | VTD_PTE0_P |
				 FIELD_PREP(VTD_PTE0_AW, hw()->levels - 2) |
				 FIELD_PREP(VTD_PTE0_PGTT, VTD_PGTT_SL));
	assert_int_equal(pt[1], FIELD_PREP(VTD_PTE1_DID, did));
	for (unsigned i = 2; i < 8; i++)
		assert_int_equal(pt[i], 0);
	/* New context entry in caching mode: its cache, PASID cache, IOTLB. */
	one_desc(VTD_INV_CC, VTD_INVAL_DEVICE, 0);
	pc = one_desc(VTD_INV_PC, 1, did); /* PASID-selective */
	assert_int_equal(FIELD_GET(VTD_INV_PC_PASID, pc[0]), 0);
	one_desc(VTD_INV_IOTLB, VTD_IOTLB_DOMAIN, did);
	for (unsigned i = 0; i < fake.nlog; i++)
		assert_int_equal(fake.log[i].width, 32);
	/* Detach: the PASID entry goes, the context entry stays. */
	vtd_fake_log_reset(&fake);
	attach(-1, 0);
	assert_int_equal(pt[0] | pt[1], 0);
	assert_true(ce[0] & VTD_SCE_P);
	assert_int_equal(vtd_fake_count(&fake, VTD_FAKE_OP_DESC, VTD_INV_CC),
			 0);
	one_desc(VTD_INV_PC, 1, did);
	one_desc(VTD_INV_IOTLB, VTD_IOTLB_DOMAIN, did);
}

/* A PASID other than RID_PASID: its own directory slot and table entry. */
static void test_scalable_pasid(void **state)
{
	const uint64_t ecap =
		ECAP_SM | VTD_ECAP_PASID | FIELD_PREP(VTD_ECAP_PSS, 19);
	volatile uint64_t *ce;
	uint64_t *dir, *pt;
	const uint64_t *pc;
	uint16_t did;

	(void)state;
	up(CAP, ecap, IOMMU_MODE_AUTO);
	assert_true(iommu_drv_pasid_capable(unit));
	domain_new(0);
	/* PASID 70: directory entry 1, table entry 6. */
	assert_int_equal(iommu_drv_set_pasid(unit, RID, 70, &dom[0], NULL), 0);
	did = vdom(0)->did[0];
	ce = vtd_ctx_entry(hw(), RID, false);
	assert_non_null(ce);
	assert_true(ce[0] & VTD_SCE_P);
	dir = hpa_to_ptr(hpa(ce[0] & VTD_SCE_PASIDDIRPTR));
	assert_int_equal(dir[0], 0); /* requests without PASID stay blocked */
	assert_int_equal(dir[1] & ~VTD_PDE_SMPTBLPTR, VTD_PDE_P);
	pt = hpa_to_ptr(hpa(dir[1] & VTD_PDE_SMPTBLPTR));
	assert_int_equal(pt[6 * 8],
			 vdom(0)->pt.root.v | VTD_PTE0_P |
				 FIELD_PREP(VTD_PTE0_AW, hw()->levels - 2) |
				 FIELD_PREP(VTD_PTE0_PGTT, VTD_PGTT_SL));
	assert_int_equal(pt[6 * 8 + 1], FIELD_PREP(VTD_PTE1_DID, did));
	one_desc(VTD_INV_CC, VTD_INVAL_DEVICE, 0);
	pc = one_desc(VTD_INV_PC, 1, did);
	assert_int_equal(FIELD_GET(VTD_INV_PC_PASID, pc[0]), 70);
	one_desc(VTD_INV_IOTLB, VTD_IOTLB_DOMAIN, did);
	/* Off again: entry cleared, caches of the old id invalidated. */
	vtd_fake_log_reset(&fake);
	assert_int_equal(iommu_drv_set_pasid(unit, RID, 70, NULL, &dom[0]), 0);
	assert_int_equal(pt[6 * 8] | pt[6 * 8 + 1], 0);
	assert_int_equal(vtd_fake_count(&fake, VTD_FAKE_OP_DESC, VTD_INV_CC),
			 0);
	pc = one_desc(VTD_INV_PC, 1, did);
	assert_int_equal(FIELD_GET(VTD_INV_PC_PASID, pc[0]), 70);
	/* Beyond the one-page directory, and beyond ECAP.PSS. */
	vtd_fake_log_reset(&fake);
	assert_int_equal(
		iommu_drv_set_pasid(unit, RID, 1u << 15, &dom[0], NULL),
		-HV_ERANGE);
	assert_int_equal(
		iommu_drv_set_pasid(unit, RID, 1u << 20, &dom[0], NULL),
		-HV_ENOTSUP);
	assert_int_equal(fake.nlog, 0);
}

static void test_pasid_needs_ecap(void **state)
{
	(void)state;
	up(CAP, ECAP_SM, IOMMU_MODE_AUTO);
	domain_new(0);
	assert_false(iommu_drv_pasid_capable(unit));
	assert_int_equal(iommu_drv_set_pasid(unit, RID, 5, &dom[0], NULL),
			 -HV_ENOTSUP);
}

/* ---- 5. map and unmap ------------------------------------------------ */

static void assert_psi(uint16_t did, uint64_t addr, unsigned am)
{
	const uint64_t *d = one_desc(VTD_INV_IOTLB, VTD_IOTLB_PAGE, did);

	assert_int_equal(d[1] & VTD_INV_IOTLB_ADDR, addr);
	assert_int_equal(FIELD_GET(VTD_INV_IOTLB_AM, d[1]), am);
}

static void test_map_unmap(void **state)
{
	uint16_t did;

	(void)state;
	up(CAP, ECAP, IOMMU_MODE_AUTO);
	domain_new(0);
	did = attach(0, -1);
	vtd_fake_log_reset(&fake);
	/* Caching mode: new entries are invalidated too (4 pages: AM 2). */
	assert_int_equal(iommu_drv_map(&dom[0], iova(0x10000), hpa(0x7654000),
				       0x4000, IOMMU_READ | IOMMU_WRITE),
			 0);
	assert_int_equal(fake.errors, 0);
	assert_psi(did, 0x10000, 2);
	assert_int_equal(dom[0].mapped_bytes, 0x4000);
	vtd_fake_log_reset(&fake);
	assert_int_equal(iommu_drv_unmap(&dom[0], iova(0x12000), 0x2000), 0);
	assert_int_equal(fake.errors, 0);
	assert_psi(did, 0x12000, 1);
	vtd_fake_log_reset(&fake);
	assert_int_equal(iommu_drv_unmap(&dom[0], iova(0x40000), 0x1000),
			 -HV_ENOENT);
	assert_int_equal(fake.nlog, 0);
	assert_int_equal(fake.nwr, 0);
	assert_int_equal(dom[0].mapped_bytes, 0x2000);
	/* All or nothing across GiB chunks: the mapped first part stays. */
	assert_int_equal(iommu_drv_map(&dom[0], iova(0x3fffe000),
				       hpa(0x7654000), 0x2000, IOMMU_READ),
			 0);
	vtd_fake_log_reset(&fake);
	assert_int_equal(iommu_drv_unmap(&dom[0], iova(0x3fffe000), 0x3000),
			 -HV_ENOENT);
	assert_int_equal(fake.nlog, 0);
	assert_int_equal(dom[0].mapped_bytes, 0x4000);
}

/* ---- 6. faults ------------------------------------------------------- */

static void test_poll_faults(void **state)
{
	const struct iommu_fault *f;

	(void)state;
	up(CAP, ECAP, IOMMU_MODE_AUTO);
	assert_true(vtd_fake_inject_fault(&fake, 0, RID, 0xabcd5000, 0x05, true,
					  VTD_FAKE_NO_PASID));
	iommu_drv_poll_faults(unit);
	assert_int_equal(fault_ring_count(&iommu_fault_ring), 1);
	f = fault_ring_get(&iommu_fault_ring, 0);
	assert_non_null(f);
	assert_int_equal(f->unit, 0);
	assert_int_equal(f->sbdf, PCI_SBDF(0, 0, 3, 0));
	assert_int_equal(f->addr, 0xabcd5000);
	assert_true(f->is_write);
	assert_false(f->pasid_present);
	assert_int_equal(f->reason, 0x05);
	assert_string_equal(f->reason_str, vtd_fault_reason_str(0x05));
	/* The record was cleared: a second poll finds nothing. */
	assert_false(vtd_fake_get64(&fake, fake.fro + 8) & VTD_FRCD_F);
	iommu_drv_poll_faults(unit);
	assert_int_equal(fault_ring_count(&iommu_fault_ring), 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_refuse_ver_all_ones),
		T(test_refuse_no_sagaw),
		T(test_refuse_fro_outside),
		T(test_refuse_iro_outside),
		T(test_refuse_scalable_without_smts),
		T(test_levels),
		T(test_bringup_legacy),
		T(test_bringup_scalable),
		T(test_legacy_attach_cm),
		T(test_legacy_attach_no_cm),
		T(test_legacy_replace_detach),
		T(test_scalable_attach),
		T(test_scalable_pasid),
		T(test_pasid_needs_ecap),
		T(test_map_unmap),
		T(test_poll_faults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
