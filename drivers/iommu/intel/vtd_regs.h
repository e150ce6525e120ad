/* SPDX-License-Identifier: MIT */
/*
 * Intel VT-d registers and in-memory structures, after the Intel
 * Virtualization Technology for Directed I/O Architecture Specification
 * (rev. 4.x): chapter 11 (registers), 9 (translation structures), 6.5
 * (invalidation descriptors), 7 (fault recording). Registers are in offset
 * order with their fields indented under them.
 */
#ifndef DRIVERS_IOMMU_INTEL_VTD_REGS_H
#define DRIVERS_IOMMU_INTEL_VTD_REGS_H

#include "kernel/types.h"

/* clang-format off */
#define VTD_VER_REG		0x00	/* 32: version */
#define  VTD_VER_MAX		BIT_MASK(7, 4)
#define  VTD_VER_MIN		BIT_MASK(3, 0)
#define VTD_CAP_REG		0x08	/* 64: capabilities */
#define  VTD_CAP_ND		BIT_MASK(2, 0)	/* domain ids: 2^(4 + 2*ND) */
#define  VTD_CAP_AFL		BIT(3)
#define  VTD_CAP_RWBF		BIT(4)	/* required write-buffer flushing */
#define  VTD_CAP_PLMR		BIT(5)
#define  VTD_CAP_PHMR		BIT(6)
#define  VTD_CAP_CM		BIT(7)	/* caching mode */
#define  VTD_CAP_SAGAW		BIT_MASK(12, 8)	/* bit 1: 3-level, 2: 4, 3: 5 */
#define  VTD_CAP_MGAW		BIT_MASK(21, 16)	/* max guest address width - 1 */
#define  VTD_CAP_ZLR		BIT(22)
#define  VTD_CAP_FRO		BIT_MASK(33, 24)	/* fault recording offset / 16 */
#define  VTD_CAP_SLLPS		BIT_MASK(37, 34)	/* bit 0: 2 MiB, bit 1: 1 GiB */
#define  VTD_CAP_PSI		BIT(39)	/* page-selective invalidation */
#define  VTD_CAP_NFR		BIT_MASK(47, 40)	/* fault recording registers - 1 */
#define  VTD_CAP_MAMV		BIT_MASK(53, 48)	/* max address mask value */
#define  VTD_CAP_DWD		BIT(54)
#define  VTD_CAP_DRD		BIT(55)
#define  VTD_CAP_FL1GP		BIT(56)
#define  VTD_CAP_PI		BIT(59)
#define VTD_ECAP_REG		0x10	/* 64: extended capabilities */
#define  VTD_ECAP_C		BIT(0)	/* page-walk coherency */
#define  VTD_ECAP_QI		BIT(1)	/* queued invalidation */
#define  VTD_ECAP_DT		BIT(2)	/* device-TLB */
#define  VTD_ECAP_IR		BIT(3)	/* interrupt remapping */
#define  VTD_ECAP_EIM		BIT(4)
#define  VTD_ECAP_PT		BIT(6)	/* pass-through */
#define  VTD_ECAP_SC		BIT(7)	/* snoop control */
#define  VTD_ECAP_IRO		BIT_MASK(17, 8)	/* IOTLB register offset / 16 */
#define  VTD_ECAP_MHMV		BIT_MASK(23, 20)
#define  VTD_ECAP_NEST		BIT(26)
#define  VTD_ECAP_PRS		BIT(29)
#define  VTD_ECAP_ERS		BIT(30)
#define  VTD_ECAP_SRS		BIT(31)
#define  VTD_ECAP_PSS		BIT_MASK(39, 35)	/* PASID bits supported - 1 */
#define  VTD_ECAP_PASID		BIT(40)
#define  VTD_ECAP_DIT		BIT(41)	/* device-TLB invalidation throttling */
#define  VTD_ECAP_SMTS		BIT(43)	/* scalable-mode translation */
#define  VTD_ECAP_VCS		BIT(44)
#define  VTD_ECAP_SLADS		BIT(45)
#define  VTD_ECAP_SLTS		BIT(46)	/* second-level translation (scalable) */
#define  VTD_ECAP_FLTS		BIT(47)
#define  VTD_ECAP_SMPWC		BIT(48)	/* scalable-mode page-walk coherency */
#define VTD_GCMD_REG		0x18	/* 32: global command */
#define  VTD_GCMD_CFI		BIT(23)
#define  VTD_GCMD_SIRTP		BIT(24)
#define  VTD_GCMD_IRE		BIT(25)
#define  VTD_GCMD_QIE		BIT(26)
#define  VTD_GCMD_WBF		BIT(27)
#define  VTD_GCMD_EAFL		BIT(28)
#define  VTD_GCMD_SFL		BIT(29)
#define  VTD_GCMD_SRTP		BIT(30)
#define  VTD_GCMD_TE		BIT(31)
#define VTD_GSTS_REG		0x1c	/* 32: global status (same bit positions) */
#define  VTD_GSTS_CFIS		BIT(23)
#define  VTD_GSTS_IRTPS		BIT(24)
#define  VTD_GSTS_IRES		BIT(25)
#define  VTD_GSTS_QIES		BIT(26)
#define  VTD_GSTS_WBFS		BIT(27)
#define  VTD_GSTS_AFLS		BIT(28)
#define  VTD_GSTS_FLS		BIT(29)
#define  VTD_GSTS_RTPS		BIT(30)
#define  VTD_GSTS_TES		BIT(31)
/* One-shot status bits, never written back to GCMD (spec 11.4.4: 0x96ffffff). */
#define  VTD_GSTS_ONESHOT	(VTD_GSTS_RTPS | VTD_GSTS_FLS | VTD_GSTS_WBFS | VTD_GSTS_IRTPS)
#define VTD_RTADDR_REG		0x20	/* 64: root table address */
#define  VTD_RTADDR_TTM		BIT_MASK(11, 10)	/* translation table mode */
#define   VTD_RTADDR_TTM_LEGACY		0ull
#define   VTD_RTADDR_TTM_SCALABLE	1ull
#define  VTD_RTADDR_RTA		BIT_MASK(63, 12)
#define VTD_CCMD_REG		0x28	/* 64: context command */
#define  VTD_CCMD_DID		BIT_MASK(15, 0)
#define  VTD_CCMD_SID		BIT_MASK(31, 16)
#define  VTD_CCMD_FM		BIT_MASK(33, 32)
#define  VTD_CCMD_CAIG		BIT_MASK(60, 59)	/* actual granularity */
#define  VTD_CCMD_CIRG		BIT_MASK(62, 61)	/* requested granularity */
#define   VTD_CCMD_GLOBAL		1ull
#define   VTD_CCMD_DOMAIN		2ull
#define   VTD_CCMD_DEVICE		3ull
#define  VTD_CCMD_ICC		BIT(63)
#define VTD_FSTS_REG		0x34	/* 32: fault status */
#define  VTD_FSTS_PFO		BIT(0)	/* primary fault overflow */
#define  VTD_FSTS_PPF		BIT(1)	/* primary pending fault */
#define  VTD_FSTS_AFO		BIT(2)
#define  VTD_FSTS_APF		BIT(3)
#define  VTD_FSTS_IQE		BIT(4)	/* invalidation queue error */
#define  VTD_FSTS_ICE		BIT(5)	/* invalidation completion error */
#define  VTD_FSTS_ITE		BIT(6)	/* invalidation time-out error */
#define  VTD_FSTS_FRI		BIT_MASK(15, 8)	/* fault record index */
#define VTD_FECTL_REG		0x38	/* 32: fault event control */
#define  VTD_FECTL_IP		BIT(30)
#define  VTD_FECTL_IM		BIT(31)	/* interrupt mask */
#define VTD_FEDATA_REG		0x3c	/* 32 */
#define VTD_FEADDR_REG		0x40	/* 32 */
#define VTD_FEUADDR_REG		0x44	/* 32 */
#define VTD_AFLOG_REG		0x58	/* 64 */
#define VTD_PMEN_REG		0x64	/* 32: protected memory enable */
#define  VTD_PMEN_EPM		BIT(31)
#define  VTD_PMEN_PRS		BIT(0)
#define VTD_IQH_REG		0x80	/* 64: invalidation queue head */
#define VTD_IQT_REG		0x88	/* 64: invalidation queue tail */
#define  VTD_IQ_QH_QT		BIT_MASK(18, 4)	/* 128-bit descriptor index; with 256-bit ones bit 4 is reserved */
#define VTD_IQA_REG		0x90	/* 64: invalidation queue address */
#define  VTD_IQA_QS		BIT_MASK(2, 0)	/* 2^QS pages */
#define  VTD_IQA_DW		BIT(11)	/* 256-bit descriptors */
#define  VTD_IQA_IQA		BIT_MASK(63, 12)
#define VTD_ICS_REG		0x9c	/* 32: invalidation completion status */
#define  VTD_ICS_IWC		BIT(0)
#define VTD_IECTL_REG		0xa0	/* 32 */
#define VTD_IQERCD_REG		0xb0	/* 64: invalidation queue error record */
#define  VTD_IQERCD_IQEI	BIT_MASK(3, 0)
#define  VTD_IQERCD_ITESID	BIT_MASK(47, 32)
#define  VTD_IQERCD_ICESID	BIT_MASK(63, 48)
#define VTD_IRTA_REG		0xb8	/* 64 */

/* IOTLB registers at ECAP.IRO * 16 (spec 11.4.8). */
#define VTD_IVA_OFF		0x00	/* 64: invalidate address */
#define  VTD_IVA_AM		BIT_MASK(5, 0)
#define  VTD_IVA_IH		BIT(6)
#define  VTD_IVA_ADDR		BIT_MASK(63, 12)
#define VTD_IOTLB_OFF		0x08	/* 64: IOTLB invalidate */
#define  VTD_IOTLB_DID		BIT_MASK(47, 32)
#define  VTD_IOTLB_DW		BIT(48)
#define  VTD_IOTLB_DR		BIT(49)
#define  VTD_IOTLB_IAIG		BIT_MASK(58, 57)
#define  VTD_IOTLB_IIRG		BIT_MASK(61, 60)
#define   VTD_IOTLB_GLOBAL		1ull
#define   VTD_IOTLB_DOMAIN		2ull
#define   VTD_IOTLB_PAGE		3ull
#define  VTD_IOTLB_IVT		BIT(63)

/* Fault recording registers at CAP.FRO * 16, 16 bytes each (spec 11.4.14). */
#define VTD_FRCD_LO		0x00	/* 64 */
#define  VTD_FRCD_FI		BIT_MASK(63, 12)	/* faulting page address */
#define VTD_FRCD_HI		0x08	/* 64 */
#define  VTD_FRCD_SID		BIT_MASK(15, 0)
#define  VTD_FRCD_PRIV		BIT(29)	/* privileged-mode request (PRIV) */
#define  VTD_FRCD_EXE		BIT(30)
#define  VTD_FRCD_PP		BIT(31)	/* PASID present */
#define  VTD_FRCD_FR		BIT_MASK(39, 32)	/* fault reason */
#define  VTD_FRCD_PV		BIT_MASK(59, 40)	/* PASID value */
#define  VTD_FRCD_AT		BIT_MASK(61, 60)
#define  VTD_FRCD_T		BIT(62)	/* 1: read request, 0: write */
#define  VTD_FRCD_F		BIT(63)	/* fault recorded (write 1 to clear) */

/* Root entry, 128 bits (legacy 9.1; scalable 9.2 splits devfn halves). */
#define VTD_RE_P		BIT(0)	/* lo: present (scalable: LP) */
#define VTD_RE_CTP		BIT_MASK(63, 12)	/* lo: context table (LCTP) */
#define VTD_RE_UP		BIT(0)	/* hi, scalable: upper present */
#define VTD_RE_UCTP		BIT_MASK(63, 12)	/* hi, scalable: upper table */

/* Legacy context entry, 128 bits (9.3). */
#define VTD_CE_P		BIT(0)	/* lo */
#define VTD_CE_FPD		BIT(1)	/* lo: fault processing disable */
#define VTD_CE_TT		BIT_MASK(3, 2)	/* lo: translation type */
#define  VTD_CE_TT_SL			0ull	/* untranslated requests only */
#define  VTD_CE_TT_SL_DEVTLB		1ull	/* plus translated (ATS) */
#define  VTD_CE_TT_PASSTHROUGH		2ull
#define VTD_CE_SLPTPTR		BIT_MASK(63, 12)	/* lo */
#define VTD_CE_AW		BIT_MASK(2, 0)	/* hi: 1: 39, 2: 48, 3: 57 bits */
#define VTD_CE_DID		BIT_MASK(23, 8)	/* hi */

/* Scalable-mode context entry, 256 bits (9.4). */
#define VTD_SCE_P		BIT(0)	/* qword 0 */
#define VTD_SCE_FPD		BIT(1)
#define VTD_SCE_DTE		BIT(2)	/* device-TLB enable */
#define VTD_SCE_PASIDE		BIT(3)
#define VTD_SCE_PRE		BIT(4)
#define VTD_SCE_PDTS		BIT_MASK(11, 9)	/* directory: 2^(PDTS + 7) entries */
#define VTD_SCE_PASIDDIRPTR	BIT_MASK(63, 12)
#define VTD_SCE_RID_PASID	BIT_MASK(19, 0)	/* qword 1 */

/* Scalable-mode PASID directory entry, 64 bits (9.5). */
#define VTD_PDE_P		BIT(0)
#define VTD_PDE_FPD		BIT(1)
#define VTD_PDE_SMPTBLPTR	BIT_MASK(63, 12)

/* Scalable-mode PASID table entry, 512 bits (9.6). */
#define VTD_PTE0_P		BIT(0)	/* qword 0 */
#define VTD_PTE0_FPD		BIT(1)
#define VTD_PTE0_AW		BIT_MASK(4, 2)
#define VTD_PTE0_SLEE		BIT(5)
#define VTD_PTE0_PGTT		BIT_MASK(8, 6)
#define  VTD_PGTT_FL			1ull
#define  VTD_PGTT_SL			2ull
#define  VTD_PGTT_NESTED		3ull
#define  VTD_PGTT_PT			4ull
#define VTD_PTE0_SLADE		BIT(9)
#define VTD_PTE0_SLPTPTR	BIT_MASK(63, 12)
#define VTD_PTE1_DID		BIT_MASK(15, 0)	/* qword 1 */
#define VTD_PTE1_PWSNP		BIT(23)
#define VTD_PTE1_PGSNP		BIT(24)

#define VTD_PASID_DIR_SHIFT	6	/* PASID[19:6] indexes the directory */
#define VTD_PASID_TABLE_ENTRIES	64	/* PASID[5:0] indexes a 4 KiB table */
#define VTD_PASID_MAX		(1u << 20)

/* Second-level paging entries (9.8). */
#define VTD_SL_R		BIT(0)
#define VTD_SL_W		BIT(1)
#define VTD_SL_X		BIT(2)
#define VTD_SL_EMT		BIT_MASK(5, 3)
#define VTD_SL_IPAT		BIT(6)
#define VTD_SL_PS		BIT(7)	/* leaf at level 2 (2 MiB) or 3 (1 GiB) */
#define VTD_SL_SNP		BIT(11)
#define VTD_SL_ADDR		BIT_MASK(51, 12)
#define VTD_SL_TM		BIT(62)

/* Invalidation descriptors, first qword (6.5.2). */
#define VTD_INV_TYPE_LO		BIT_MASK(3, 0)
#define VTD_INV_TYPE_HI		BIT_MASK(11, 9)
#define  VTD_INV_CC			0x1ull	/* context-cache */
#define  VTD_INV_IOTLB			0x2ull
#define  VTD_INV_DEVTLB			0x3ull
#define  VTD_INV_IEC			0x4ull
#define  VTD_INV_WAIT			0x5ull
#define  VTD_INV_PIOTLB			0x6ull	/* PASID-based IOTLB */
#define  VTD_INV_PC			0x7ull	/* PASID cache */
#define VTD_INV_G		BIT_MASK(5, 4)	/* granularity (cc, iotlb, pc) */
#define VTD_INV_CC_DID		BIT_MASK(31, 16)
#define VTD_INV_CC_SID		BIT_MASK(47, 32)
#define VTD_INV_CC_FM		BIT_MASK(49, 48)
#define VTD_INV_IOTLB_DW	BIT(6)
#define VTD_INV_IOTLB_DR	BIT(7)
#define VTD_INV_IOTLB_DID	BIT_MASK(31, 16)
#define VTD_INV_IOTLB_AM	BIT_MASK(5, 0)	/* second qword */
#define VTD_INV_IOTLB_IH	BIT(6)	/* second qword */
#define VTD_INV_IOTLB_ADDR	BIT_MASK(63, 12)	/* second qword */
#define VTD_INV_WAIT_IF		BIT(4)
#define VTD_INV_WAIT_SW		BIT(5)
#define VTD_INV_WAIT_FN		BIT(6)
#define VTD_INV_WAIT_SDATA	BIT_MASK(63, 32)
#define VTD_INV_WAIT_SADDR	BIT_MASK(63, 2)	/* second qword */
#define VTD_INV_PC_DID		BIT_MASK(31, 16)
#define VTD_INV_PC_PASID	BIT_MASK(51, 32)
#define VTD_INV_DEVTLB_SID	BIT_MASK(47, 32)
#define VTD_INV_DEVTLB_MIP	BIT_MASK(20, 16)	/* max invalidations pending */
#define VTD_INV_DEVTLB_PFSID_LO	BIT_MASK(15, 12)	/* PFSID[3:0] */
#define VTD_INV_DEVTLB_PFSID_HI	BIT_MASK(63, 52)	/* PFSID[15:4] */
#define VTD_INV_DEVTLB_S	BIT(0)	/* second qword: size bit */
#define VTD_INV_DEVTLB_ADDR	BIT_MASK(63, 12)	/* second qword */
/* clang-format on */

/* Register access: real MMIO in the core, a fake unit in host tests. */
struct vtd_mmio {
	uint32_t (*read32)(void *ctx, unsigned off);
	uint64_t (*read64)(void *ctx, unsigned off);
	void (*write32)(void *ctx, unsigned off, uint32_t v);
	void (*write64)(void *ctx, unsigned off, uint64_t v);
	void *ctx;
};

#endif
