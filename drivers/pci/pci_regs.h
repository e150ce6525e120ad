/* SPDX-License-Identifier: MIT */
/*
 * PCI configuration space registers.
 *
 * Sources: PCI Local Bus Specification 3.0, chapter 6 (header, capability
 * list, PM, MSI, MSI-X); PCI Express Base Specification 5.0, sections 7.2
 * (ECAM), 7.5 (header, PCIe capability), 7.6-7.9 (extended capabilities:
 * ACS 7.7.8, ATS 10.5.1, PRI 10.5.2, PASID 7.8.8, SR-IOV 9.3.3).
 *
 * Registers are listed in offset order with their fields indented under
 * them; capability registers are offsets from the capability's start.
 * The PCIe device/port type values are enum pci_exp_type in pci.h.
 */
#ifndef DRIVERS_PCI_PCI_REGS_H
#define DRIVERS_PCI_PCI_REGS_H

#include "kernel/types.h"

/* Field indentation under each register is kept by hand. */
/* clang-format off */
#define PCI_CFG_SPACE_SIZE     256  /* conventional configuration space */
#define PCI_CFG_SPACE_EXP_SIZE 4096 /* PCIe extended configuration space */

/* ECAM: 4 KiB per function, 1 MiB per bus (PCIe 7.2.2). */
#define PCI_ECAM_BUS_SHIFT   20
#define PCI_ECAM_DEVFN_SHIFT 12

/* ---- Header common to types 0 and 1 ---------------------------------- */
#define PCI_VENDOR_ID 0x00 /* 16 bits; 0xffff reads from an absent function */
#define  PCI_VENDOR_ID_NONE 0xffff
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND   0x04 /* 16 bits */
#define  PCI_COMMAND_IO           BIT(0) /* I/O space decode */
#define  PCI_COMMAND_MEMORY       BIT(1) /* memory space decode */
#define  PCI_COMMAND_MASTER       BIT(2) /* bus mastering (DMA) */
#define  PCI_COMMAND_PARITY       BIT(6)
#define  PCI_COMMAND_SERR         BIT(8)
#define  PCI_COMMAND_INTX_DISABLE BIT(10)
#define PCI_STATUS 0x06 /* 16 bits; error bits are write-1-to-clear */
#define  PCI_STATUS_INTERRUPT BIT(3)
#define  PCI_STATUS_CAP_LIST  BIT(4) /* capability list at 0x34 is valid */
#define PCI_REVISION_ID 0x08
#define PCI_CLASS_PROG  0x09 /* programming interface */
#define PCI_CLASS_DEVICE 0x0a /* 16 bits: base class << 8 | sub-class */
#define PCI_CACHE_LINE_SIZE 0x0c
#define PCI_LATENCY_TIMER   0x0d
#define PCI_HEADER_TYPE     0x0e
#define  PCI_HEADER_TYPE_MASK    0x7f
#define  PCI_HEADER_TYPE_NORMAL  0x00
#define  PCI_HEADER_TYPE_BRIDGE  0x01
#define  PCI_HEADER_TYPE_CARDBUS 0x02
#define  PCI_HEADER_TYPE_MFD     0x80 /* multi-function device */
#define PCI_BIST 0x0f
#define PCI_BASE_ADDRESS_0 0x10 /* BARs 0-5 (type 0), 0-1 (type 1) */
#define  PCI_BASE_ADDRESS_SPACE_IO       BIT(0)
#define  PCI_BASE_ADDRESS_MEM_TYPE_MASK  BIT_MASK(2, 1)
#define  PCI_BASE_ADDRESS_MEM_TYPE_32    0x0
#define  PCI_BASE_ADDRESS_MEM_TYPE_1M    0x1 /* legacy: below 1 MiB */
#define  PCI_BASE_ADDRESS_MEM_TYPE_64    0x2
#define  PCI_BASE_ADDRESS_MEM_PREFETCH   BIT(3)
#define  PCI_BASE_ADDRESS_MEM_MASK       BIT_MASK(31, 4)
#define  PCI_BASE_ADDRESS_IO_MASK        BIT_MASK(31, 2)
#define PCI_BASE_ADDRESS_1 0x14
#define PCI_BASE_ADDRESS_2 0x18
#define PCI_BASE_ADDRESS_3 0x1c
#define PCI_BASE_ADDRESS_4 0x20
#define PCI_BASE_ADDRESS_5 0x24

/* ---- Type 0 (endpoint) header ---------------------------------------- */
#define PCI_CARDBUS_CIS         0x28
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID        0x2e
#define PCI_ROM_ADDRESS         0x30
#define  PCI_ROM_ADDRESS_ENABLE BIT(0)

/* ---- Type 1 (bridge) header ------------------------------------------ */
#define PCI_PRIMARY_BUS       0x18
#define PCI_SECONDARY_BUS     0x19
#define PCI_SUBORDINATE_BUS   0x1a
#define PCI_SEC_LATENCY_TIMER 0x1b
#define PCI_IO_BASE           0x1c
#define PCI_IO_LIMIT          0x1d
#define PCI_SEC_STATUS        0x1e
#define PCI_MEMORY_BASE       0x20
#define PCI_MEMORY_LIMIT      0x22
#define PCI_PREF_MEMORY_BASE  0x24
#define PCI_PREF_MEMORY_LIMIT 0x26
#define PCI_PREF_BASE_UPPER32 0x28
#define PCI_PREF_LIMIT_UPPER32 0x2c
#define PCI_IO_BASE_UPPER16   0x30
#define PCI_IO_LIMIT_UPPER16  0x32

/* ---- Common again ----------------------------------------------------- */
#define PCI_CAPABILITY_LIST 0x34 /* bits 1:0 reserved: mask them */
#define  PCI_CAP_PTR_MASK 0xfc
#define PCI_ROM_ADDRESS1    0x38 /* type 1 */
#define PCI_INTERRUPT_LINE  0x3c
#define PCI_INTERRUPT_PIN   0x3d
#define PCI_BRIDGE_CONTROL  0x3e /* type 1 */
#define  PCI_BRIDGE_CTL_BUS_RESET BIT(6) /* secondary bus reset */

#define PCI_STD_HEADER_SIZE 0x40 /* capabilities start at or above */
#define PCI_CAP_MAX_HOPS    48   /* (256 - 64) / 4 dword slots */

/* ---- Capability list (PCI 3.0 6.7) ----------------------------------- */
#define PCI_CAP_LIST_ID   0x00
#define  PCI_CAP_ID_PM    0x01 /* power management */
#define  PCI_CAP_ID_AGP   0x02
#define  PCI_CAP_ID_VPD   0x03
#define  PCI_CAP_ID_SLOTID 0x04
#define  PCI_CAP_ID_MSI   0x05
#define  PCI_CAP_ID_CHSWP 0x06 /* CompactPCI hot swap */
#define  PCI_CAP_ID_PCIX  0x07
#define  PCI_CAP_ID_HT    0x08 /* HyperTransport */
#define  PCI_CAP_ID_VNDR  0x09 /* vendor specific */
#define  PCI_CAP_ID_DBG   0x0a /* debug port */
#define  PCI_CAP_ID_CCRC  0x0b /* CompactPCI central resource control */
#define  PCI_CAP_ID_SHPC  0x0c /* standard hot-plug controller */
#define  PCI_CAP_ID_SSVID 0x0d /* bridge subsystem vendor/device ID */
#define  PCI_CAP_ID_AGP3  0x0e
#define  PCI_CAP_ID_SECDEV 0x0f /* secure device */
#define  PCI_CAP_ID_EXP   0x10 /* PCI Express */
#define  PCI_CAP_ID_MSIX  0x11
#define  PCI_CAP_ID_SATA  0x12
#define  PCI_CAP_ID_AF    0x13 /* advanced features */
#define  PCI_CAP_ID_EA    0x14 /* enhanced allocation */
#define PCI_CAP_LIST_NEXT 0x01

/* Power management capability (PCI PM 1.2 section 3.2). */
#define PCI_PM_PMC 0x02
#define  PCI_PM_CAP_VER_MASK BIT_MASK(2, 0)
#define  PCI_PM_CAP_D1       BIT(9)
#define  PCI_PM_CAP_D2       BIT(10)
#define PCI_PM_CTRL 0x04
#define  PCI_PM_CTRL_STATE_MASK     BIT_MASK(1, 0)
#define  PCI_PM_CTRL_NO_SOFT_RESET  BIT(3)

/* MSI capability (PCI 3.0 6.8.1). */
#define PCI_MSI_FLAGS 0x02 /* Message Control */
#define  PCI_MSI_FLAGS_ENABLE  BIT(0)
#define  PCI_MSI_FLAGS_QMASK   BIT_MASK(3, 1) /* multiple message capable */
#define  PCI_MSI_FLAGS_QSIZE   BIT_MASK(6, 4) /* multiple message enable */
#define  PCI_MSI_FLAGS_64BIT   BIT(7)
#define  PCI_MSI_FLAGS_MASKBIT BIT(8) /* per-vector masking capable */
#define PCI_MSI_ADDRESS_LO 0x04
#define PCI_MSI_ADDRESS_HI 0x08 /* 64-bit only */
#define PCI_MSI_DATA_32    0x08
#define PCI_MSI_MASK_32    0x0c
#define PCI_MSI_DATA_64    0x0c
#define PCI_MSI_PENDING_32 0x10
#define PCI_MSI_MASK_64    0x10
#define PCI_MSI_PENDING_64 0x14

/* MSI-X capability (PCI 3.0 6.8.2). */
#define PCI_MSIX_FLAGS 0x02 /* Message Control */
#define  PCI_MSIX_FLAGS_QSIZE   BIT_MASK(10, 0) /* table size - 1 */
#define  PCI_MSIX_FLAGS_MASKALL BIT(14)
#define  PCI_MSIX_FLAGS_ENABLE  BIT(15)
#define PCI_MSIX_TABLE 0x04
#define  PCI_MSIX_TABLE_BIR    BIT_MASK(2, 0)
#define  PCI_MSIX_TABLE_OFFSET BIT_MASK(31, 3)
#define PCI_MSIX_PBA 0x08 /* same fields as PCI_MSIX_TABLE */
#define PCI_MSIX_ENTRY_SIZE 16

/* PCI Express capability (PCIe 5.0 7.5.3). */
#define PCI_EXP_FLAGS 0x02 /* PCI Express Capabilities register */
#define  PCI_EXP_FLAGS_VERS BIT_MASK(3, 0)
#define  PCI_EXP_FLAGS_TYPE BIT_MASK(7, 4) /* enum pci_exp_type */
#define  PCI_EXP_FLAGS_SLOT BIT(8)
#define PCI_EXP_DEVCAP 0x04
#define  PCI_EXP_DEVCAP_PAYLOAD BIT_MASK(2, 0)
#define  PCI_EXP_DEVCAP_FLR     BIT(28) /* function level reset capable */
#define PCI_EXP_DEVCTL 0x08
#define  PCI_EXP_DEVCTL_BCR_FLR BIT(15) /* initiate FLR */
#define PCI_EXP_DEVSTA 0x0a
#define  PCI_EXP_DEVSTA_TRPND BIT(5) /* transactions pending */
#define PCI_EXP_LNKCAP 0x0c
#define  PCI_EXP_LNKCAP_SLS BIT_MASK(3, 0) /* max link speed */
#define  PCI_EXP_LNKCAP_MLW BIT_MASK(9, 4) /* max link width */
#define PCI_EXP_LNKCTL 0x10
#define PCI_EXP_LNKSTA 0x12
#define  PCI_EXP_LNKSTA_CLS BIT_MASK(3, 0) /* current link speed */
#define  PCI_EXP_LNKSTA_NLW BIT_MASK(9, 4) /* negotiated link width */
#define PCI_EXP_SLTCAP 0x14
#define PCI_EXP_SLTCTL 0x18
#define PCI_EXP_SLTSTA 0x1a
#define PCI_EXP_RTCTL  0x1c
#define PCI_EXP_RTCAP  0x1e
#define PCI_EXP_RTSTA  0x20
#define PCI_EXP_DEVCAP2 0x24
#define  PCI_EXP_DEVCAP2_ARI BIT(5) /* ARI forwarding supported */
#define PCI_EXP_DEVCTL2 0x28
#define  PCI_EXP_DEVCTL2_ARI BIT(5) /* ARI forwarding enable */
#define PCI_EXP_LNKCAP2 0x2c
#define PCI_EXP_LNKCTL2 0x30
#define PCI_EXP_LNKSTA2 0x32

/* ---- Extended capabilities (PCIe 5.0 7.6), from offset 0x100 ---------- */
#define PCI_EXT_CAP_START 0x100
#define PCI_EXT_CAP_MAX_HOPS ((PCI_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / 4)
#define PCI_EXT_CAP_HEADER 0x00 /* 32 bits */
#define  PCI_EXT_CAP_ID_MASK   BIT_MASK(15, 0)
#define  PCI_EXT_CAP_VER_MASK  BIT_MASK(19, 16)
#define  PCI_EXT_CAP_NEXT_MASK BIT_MASK(31, 20) /* bits 21:20 reserved */
#define  PCI_EXT_CAP_ID_ERR    0x0001 /* advanced error reporting */
#define  PCI_EXT_CAP_ID_VC     0x0002
#define  PCI_EXT_CAP_ID_DSN    0x0003 /* device serial number */
#define  PCI_EXT_CAP_ID_PWR    0x0004
#define  PCI_EXT_CAP_ID_RCLD   0x0005
#define  PCI_EXT_CAP_ID_RCILC  0x0006
#define  PCI_EXT_CAP_ID_RCEC   0x0007
#define  PCI_EXT_CAP_ID_MFVC   0x0008
#define  PCI_EXT_CAP_ID_VC9    0x0009
#define  PCI_EXT_CAP_ID_RCRB   0x000a
#define  PCI_EXT_CAP_ID_VNDR   0x000b
#define  PCI_EXT_CAP_ID_CAC    0x000c
#define  PCI_EXT_CAP_ID_ACS    0x000d /* access control services */
#define  PCI_EXT_CAP_ID_ARI    0x000e
#define  PCI_EXT_CAP_ID_ATS    0x000f
#define  PCI_EXT_CAP_ID_SRIOV  0x0010
#define  PCI_EXT_CAP_ID_MRIOV  0x0011
#define  PCI_EXT_CAP_ID_MCAST  0x0012
#define  PCI_EXT_CAP_ID_PRI    0x0013 /* page request interface */
#define  PCI_EXT_CAP_ID_REBAR  0x0015
#define  PCI_EXT_CAP_ID_DPA    0x0016
#define  PCI_EXT_CAP_ID_TPH    0x0017
#define  PCI_EXT_CAP_ID_LTR    0x0018
#define  PCI_EXT_CAP_ID_SECPCI 0x0019
#define  PCI_EXT_CAP_ID_PMUX   0x001a
#define  PCI_EXT_CAP_ID_PASID  0x001b
#define  PCI_EXT_CAP_ID_LNR    0x001c
#define  PCI_EXT_CAP_ID_DPC    0x001d
#define  PCI_EXT_CAP_ID_L1SS   0x001e
#define  PCI_EXT_CAP_ID_PTM    0x001f
#define  PCI_EXT_CAP_ID_DVSEC  0x0023
#define  PCI_EXT_CAP_ID_DLF    0x0025
#define  PCI_EXT_CAP_ID_PL_16GT 0x0026

/* ACS extended capability (PCIe 5.0 7.7.8). */
#define PCI_ACS_CAP  0x04 /* 16 bits */
#define PCI_ACS_CTRL 0x06 /* 16 bits, same bit positions as the capability */
#define  PCI_ACS_SV   BIT(0) /* source validation */
#define  PCI_ACS_TB   BIT(1) /* translation blocking */
#define  PCI_ACS_RR   BIT(2) /* P2P request redirect */
#define  PCI_ACS_CR   BIT(3) /* P2P completion redirect */
#define  PCI_ACS_UF   BIT(4) /* upstream forwarding */
#define  PCI_ACS_EC   BIT(5) /* P2P egress control */
#define  PCI_ACS_DT   BIT(6) /* direct translated P2P */
#define  PCI_ACS_ECVS BIT_MASK(15, 8) /* egress control vector size (cap) */

/* ATS extended capability (PCIe 5.0 10.5.1). */
#define PCI_ATS_CAP 0x04 /* 16 bits */
#define  PCI_ATS_CAP_QDEP          BIT_MASK(4, 0) /* 0 means 32 */
#define  PCI_ATS_CAP_PAGE_ALIGNED  BIT(5)
#define  PCI_ATS_CAP_GLOBAL_INV    BIT(6)
#define PCI_ATS_CTRL 0x06 /* 16 bits */
#define  PCI_ATS_CTRL_STU    BIT_MASK(4, 0)
#define  PCI_ATS_CTRL_ENABLE BIT(15)

/* PRI extended capability (PCIe 5.0 10.5.2). */
#define PCI_PRI_CTRL 0x04 /* 16 bits */
#define  PCI_PRI_CTRL_ENABLE BIT(0)
#define  PCI_PRI_CTRL_RESET  BIT(1)
#define PCI_PRI_STATUS 0x06 /* 16 bits */
#define  PCI_PRI_STATUS_RF      BIT(0) /* response failure */
#define  PCI_PRI_STATUS_UPRGI   BIT(1) /* unexpected PRG index */
#define  PCI_PRI_STATUS_STOPPED BIT(8)
#define PCI_PRI_MAX_REQ   0x08 /* 32 bits: outstanding page request capacity */
#define PCI_PRI_ALLOC_REQ 0x0c /* 32 bits: allocation */

/* PASID extended capability (PCIe 5.0 7.8.8). */
#define PCI_PASID_CAP 0x04 /* 16 bits */
#define  PCI_PASID_CAP_EXEC  BIT(1) /* execute permission supported */
#define  PCI_PASID_CAP_PRIV  BIT(2) /* privileged mode supported */
#define  PCI_PASID_CAP_WIDTH BIT_MASK(12, 8) /* max PASID width */
#define PCI_PASID_CTRL 0x06 /* 16 bits */
#define  PCI_PASID_CTRL_ENABLE BIT(0)
#define  PCI_PASID_CTRL_EXEC   BIT(1)
#define  PCI_PASID_CTRL_PRIV   BIT(2)

/* SR-IOV extended capability (PCIe 5.0 9.3.3). */
#define PCI_SRIOV_CAP 0x04 /* 32 bits */
#define PCI_SRIOV_CTRL 0x08 /* 16 bits */
#define  PCI_SRIOV_CTRL_VFE BIT(0) /* VF enable */
#define  PCI_SRIOV_CTRL_MSE BIT(3) /* VF memory space enable */
#define  PCI_SRIOV_CTRL_ARI BIT(4) /* ARI capable hierarchy */
#define PCI_SRIOV_STATUS     0x0a
#define PCI_SRIOV_INITIAL_VF 0x0c
#define PCI_SRIOV_TOTAL_VF   0x0e
#define PCI_SRIOV_NUM_VF     0x10
#define PCI_SRIOV_FUNC_LINK  0x12
#define PCI_SRIOV_VF_OFFSET  0x14
#define PCI_SRIOV_VF_STRIDE  0x16
#define PCI_SRIOV_VF_DID     0x1a
#define PCI_SRIOV_SUP_PGSIZE 0x1c
#define PCI_SRIOV_SYS_PGSIZE 0x20
#define PCI_SRIOV_BAR        0x24

/* clang-format on */

#endif
