/* SPDX-License-Identifier: MIT */
/*
 * Firmware layouts of the ACPI tables the hypervisor reads, as found in
 * memory (little-endian, packed). Names follow the specifications:
 * ACPI 6.5 chapter 5 (RSDP, SDT header, XSDT, FADT, MADT), the PCI Firmware
 * Specification 3.3 section 4.1.2 (MCFG) and the Intel VT-d Architecture
 * Specification 4.1 chapter 8 (DMAR).
 *
 * Parsers copy a structure out of firmware memory with memcpy only after
 * checking that all of it lies inside its table, so these types are never
 * used to read past what was validated.
 */
#ifndef KERNEL_ACPI_ACPI_TABLES_H
#define KERNEL_ACPI_ACPI_TABLES_H

#include "kernel/types.h"

/* ACPI 6.5 5.2.5.3 Root System Description Pointer */
#define ACPI_RSDP_SIGNATURE  "RSD PTR "
#define ACPI_RSDP_V1_LENGTH  20 /* bytes covered by the first checksum */
#define ACPI_RSDP_REVISION_2 2	/* revision 2 and later have the XSDT */

struct acpi_rsdp {
	char signature[8];
	uint8_t checksum;
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_address;
	/* ACPI 2.0+ */
	uint32_t length;
	uint64_t xsdt_address;
	uint8_t extended_checksum;
	uint8_t reserved[3];
} __packed;
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP");

/* ACPI 6.5 5.2.6 System Description Table Header */
struct acpi_sdt_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
} __packed;
_Static_assert(sizeof(struct acpi_sdt_header) == 36, "SDT header");

#define ACPI_SIG_RSDT "RSDT"
#define ACPI_SIG_XSDT "XSDT"
#define ACPI_SIG_MADT "APIC"
#define ACPI_SIG_MCFG "MCFG"
#define ACPI_SIG_FADT "FACP"
#define ACPI_SIG_DSDT "DSDT"
#define ACPI_SIG_DMAR "DMAR"

/* Entries follow the header: 4 bytes each in the RSDT, 8 in the XSDT. */
#define ACPI_RSDT_ENTRY_SIZE 4
#define ACPI_XSDT_ENTRY_SIZE 8

/* ACPI 6.5 5.2.3.2 Generic Address Structure */
struct acpi_gas_raw {
	uint8_t space_id;
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
} __packed;
_Static_assert(sizeof(struct acpi_gas_raw) == 12, "GAS");

/*
 * ACPI 6.5 5.2.9 Fixed ACPI Description Table. Older revisions are
 * shorter: a field is present only when the table's length covers it.
 */
struct acpi_fadt_table {
	struct acpi_sdt_header header;
	uint32_t firmware_ctrl;
	uint32_t dsdt;
	uint8_t reserved0;
	uint8_t preferred_pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable;
	uint8_t acpi_disable;
	uint8_t s4bios_req;
	uint8_t pstate_cnt;
	uint32_t pm1a_evt_blk;
	uint32_t pm1b_evt_blk;
	uint32_t pm1a_cnt_blk;
	uint32_t pm1b_cnt_blk;
	uint32_t pm2_cnt_blk;
	uint32_t pm_tmr_blk;
	uint32_t gpe0_blk;
	uint32_t gpe1_blk;
	uint8_t pm1_evt_len;
	uint8_t pm1_cnt_len;
	uint8_t pm2_cnt_len;
	uint8_t pm_tmr_len;
	uint8_t gpe0_blk_len;
	uint8_t gpe1_blk_len;
	uint8_t gpe1_base;
	uint8_t cst_cnt;
	uint16_t p_lvl2_lat;
	uint16_t p_lvl3_lat;
	uint16_t flush_size;
	uint16_t flush_stride;
	uint8_t duty_offset;
	uint8_t duty_width;
	uint8_t day_alrm;
	uint8_t mon_alrm;
	uint8_t century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags; /* ACPI 1.0 tables end here (116 bytes) */
	struct acpi_gas_raw reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t fadt_minor_version;
	uint64_t x_firmware_ctrl;
	uint64_t x_dsdt;
	struct acpi_gas_raw x_pm1a_evt_blk;
	struct acpi_gas_raw x_pm1b_evt_blk;
	struct acpi_gas_raw x_pm1a_cnt_blk;
	struct acpi_gas_raw x_pm1b_cnt_blk;
	struct acpi_gas_raw x_pm2_cnt_blk;
	struct acpi_gas_raw x_pm_tmr_blk;
	struct acpi_gas_raw x_gpe0_blk;
	struct acpi_gas_raw x_gpe1_blk;
	struct acpi_gas_raw sleep_control_reg;
	struct acpi_gas_raw sleep_status_reg;
	uint64_t hypervisor_vendor_identity;
} __packed;
_Static_assert(sizeof(struct acpi_fadt_table) == 276, "FADT");

#define ACPI_FADT_V1_LENGTH 116 /* up to and including Flags */
/* FADT Flags (ACPI 6.5 table 5.10) */
#define ACPI_FADT_WBINVD	  BIT(0)
#define ACPI_FADT_RESET_REG_SUP	  BIT(10)
#define ACPI_FADT_HW_REDUCED_ACPI BIT(20)

/* ACPI 6.5 5.2.12 Multiple APIC Description Table */
struct acpi_madt_table {
	struct acpi_sdt_header header;
	uint32_t local_apic_address;
	uint32_t flags;
} __packed;
_Static_assert(sizeof(struct acpi_madt_table) == 44, "MADT");

#define ACPI_MADT_PCAT_COMPAT BIT(0)

/* Interrupt Controller Structure header (type, length) */
struct acpi_madt_subtable {
	uint8_t type;
	uint8_t length;
} __packed;
_Static_assert(sizeof(struct acpi_madt_subtable) == 2, "MADT subtable");

/* ACPI 6.5 table 5.21 Interrupt Controller Structure Types */
#define ACPI_MADT_TYPE_LOCAL_APIC	   0
#define ACPI_MADT_TYPE_IO_APIC		   1
#define ACPI_MADT_TYPE_INTERRUPT_OVERRIDE  2
#define ACPI_MADT_TYPE_NMI_SOURCE	   3
#define ACPI_MADT_TYPE_LOCAL_APIC_NMI	   4
#define ACPI_MADT_TYPE_LOCAL_APIC_OVERRIDE 5
#define ACPI_MADT_TYPE_LOCAL_X2APIC	   9

/* Local APIC Flags (table 5.23), shared by the xAPIC and x2APIC entries */
#define ACPI_MADT_ENABLED	 BIT(0)
#define ACPI_MADT_ONLINE_CAPABLE BIT(1)

/* 5.2.12.2 Processor Local APIC Structure */
struct acpi_madt_local_apic {
	struct acpi_madt_subtable h;
	uint8_t acpi_processor_uid;
	uint8_t apic_id;
	uint32_t flags;
} __packed;
_Static_assert(sizeof(struct acpi_madt_local_apic) == 8, "MADT LAPIC");

/* 5.2.12.3 I/O APIC Structure */
struct acpi_madt_io_apic {
	struct acpi_madt_subtable h;
	uint8_t io_apic_id;
	uint8_t reserved;
	uint32_t io_apic_address;
	uint32_t global_system_interrupt_base;
} __packed;
_Static_assert(sizeof(struct acpi_madt_io_apic) == 12, "MADT IOAPIC");

/* 5.2.12.5 Interrupt Source Override Structure (not used, size only) */
struct acpi_madt_interrupt_override {
	struct acpi_madt_subtable h;
	uint8_t bus;
	uint8_t source;
	uint32_t global_system_interrupt;
	uint16_t flags;
} __packed;
_Static_assert(sizeof(struct acpi_madt_interrupt_override) == 10, "MADT ISO");

/* 5.2.12.7 Local APIC NMI Structure (not used, size only) */
struct acpi_madt_local_apic_nmi {
	struct acpi_madt_subtable h;
	uint8_t acpi_processor_uid;
	uint16_t flags;
	uint8_t local_apic_lint;
} __packed;
_Static_assert(sizeof(struct acpi_madt_local_apic_nmi) == 6, "MADT NMI");

/* 5.2.12.8 Local APIC Address Override Structure */
struct acpi_madt_local_apic_override {
	struct acpi_madt_subtable h;
	uint16_t reserved;
	uint64_t local_apic_address;
} __packed;
_Static_assert(sizeof(struct acpi_madt_local_apic_override) == 12,
	       "MADT LAPIC override");

/* 5.2.12.12 Processor Local x2APIC Structure */
struct acpi_madt_local_x2apic {
	struct acpi_madt_subtable h;
	uint16_t reserved;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t acpi_processor_uid;
} __packed;
_Static_assert(sizeof(struct acpi_madt_local_x2apic) == 16, "MADT x2APIC");

/* PCI Firmware Specification 3.3, 4.1.2 MCFG table */
struct acpi_mcfg_table {
	struct acpi_sdt_header header;
	uint8_t reserved[8];
} __packed;
_Static_assert(sizeof(struct acpi_mcfg_table) == 44, "MCFG");

/* Memory mapped configuration space base address allocation structure */
struct acpi_mcfg_allocation {
	uint64_t base_address; /* ECAM base of bus 0 of the segment */
	uint16_t pci_segment_group;
	uint8_t start_bus_number;
	uint8_t end_bus_number;
	uint32_t reserved;
} __packed;
_Static_assert(sizeof(struct acpi_mcfg_allocation) == 16, "MCFG entry");

/* VT-d 8.1 DMA Remapping Reporting Structure */
struct acpi_dmar_table {
	struct acpi_sdt_header header;
	uint8_t host_address_width; /* N-1 where N is the width in bits */
	uint8_t flags;
	uint8_t reserved[10];
} __packed;
_Static_assert(sizeof(struct acpi_dmar_table) == 48, "DMAR");

/* 8.2 Remapping Structure Types: every structure starts with this */
struct acpi_dmar_header {
	uint16_t type;
	uint16_t length;
} __packed;
_Static_assert(sizeof(struct acpi_dmar_header) == 4, "DMAR structure");

#define ACPI_DMAR_TYPE_DRHD 0 /* DMA Remapping Hardware Unit Definition */
#define ACPI_DMAR_TYPE_RMRR 1 /* Reserved Memory Region Reporting */
#define ACPI_DMAR_TYPE_ATSR 2 /* Root Port ATS Capability Reporting */
#define ACPI_DMAR_TYPE_RHSA 3 /* Remapping Hardware Static Affinity */
#define ACPI_DMAR_TYPE_ANDD 4 /* ACPI Name-space Device Declaration */
#define ACPI_DMAR_TYPE_SATC 5 /* SoC Integrated Address Translation Cache */
#define ACPI_DMAR_TYPE_SIDP 6 /* SoC Integrated Device Property */

/* 8.3 DMA Remapping Hardware Unit Definition Structure */
struct acpi_dmar_drhd {
	struct acpi_dmar_header h;
	uint8_t flags; /* ACPI_DRHD_INCLUDE_PCI_ALL (acpi.h) */
	uint8_t size;  /* bits 3:0: register set is 2^N 4 KiB pages */
	uint16_t segment_number;
	uint64_t register_base_address;
} __packed;
_Static_assert(sizeof(struct acpi_dmar_drhd) == 16, "DRHD");

#define ACPI_DMAR_DRHD_SIZE BIT_MASK(3, 0)

/* 8.4 Reserved Memory Region Reporting Structure */
struct acpi_dmar_rmrr {
	struct acpi_dmar_header h;
	uint16_t reserved;
	uint16_t segment_number;
	uint64_t base_address;
	uint64_t limit_address; /* last byte of the region */
} __packed;
_Static_assert(sizeof(struct acpi_dmar_rmrr) == 24, "RMRR");

/* 8.5 Root Port ATS Capability Reporting Structure */
struct acpi_dmar_atsr {
	struct acpi_dmar_header h;
	uint8_t flags; /* ACPI_ATSR_ALL_PORTS (acpi.h) */
	uint8_t reserved;
	uint16_t segment_number;
} __packed;
_Static_assert(sizeof(struct acpi_dmar_atsr) == 8, "ATSR");

/* 8.6 Remapping Hardware Static Affinity Structure (skipped) */
struct acpi_dmar_rhsa {
	struct acpi_dmar_header h;
	uint32_t reserved;
	uint64_t register_base_address;
	uint32_t proximity_domain;
} __packed;
_Static_assert(sizeof(struct acpi_dmar_rhsa) == 20, "RHSA");

/* 8.7 ACPI Name-space Device Declaration Structure (skipped) */
struct acpi_dmar_andd {
	struct acpi_dmar_header h;
	uint8_t reserved[3];
	uint8_t acpi_device_number;
	/* followed by a NUL-terminated ACPI object name */
} __packed;
_Static_assert(sizeof(struct acpi_dmar_andd) == 8, "ANDD");

/* 8.8 SoC Integrated Address Translation Cache Reporting Structure */
struct acpi_dmar_satc {
	struct acpi_dmar_header h;
	uint8_t flags; /* ACPI_SATC_ATC_REQUIRED (acpi.h) */
	uint8_t reserved;
	uint16_t segment_number;
} __packed;
_Static_assert(sizeof(struct acpi_dmar_satc) == 8, "SATC");

/* 8.9 SoC Integrated Device Property Reporting Structure (skipped) */
struct acpi_dmar_sidp {
	struct acpi_dmar_header h;
	uint16_t reserved;
	uint16_t segment_number;
} __packed;
_Static_assert(sizeof(struct acpi_dmar_sidp) == 8, "SIDP");

/* 8.3.1 Device Scope Structure: this header, then (device, function) pairs */
struct acpi_dmar_device_scope {
	uint8_t type; /* enum acpi_dmar_scope_type (acpi.h) */
	uint8_t length;
	uint8_t flags;
	uint8_t reserved;
	uint8_t enumeration_id;
	uint8_t start_bus_number;
} __packed;
_Static_assert(sizeof(struct acpi_dmar_device_scope) == 6, "device scope");

struct acpi_dmar_pci_path {
	uint8_t device;
	uint8_t function;
} __packed;
_Static_assert(sizeof(struct acpi_dmar_pci_path) == 2, "device scope path");

/* AML opcodes needed to find \_S5 (ACPI 6.5 20.3 AML Grammar) */
#define ACPI_AML_ZERO_OP      0x00
#define ACPI_AML_ONE_OP	      0x01
#define ACPI_AML_NAME_OP      0x08
#define ACPI_AML_BYTE_PREFIX  0x0a
#define ACPI_AML_WORD_PREFIX  0x0b
#define ACPI_AML_DWORD_PREFIX 0x0c
#define ACPI_AML_QWORD_PREFIX 0x0e
#define ACPI_AML_PACKAGE_OP   0x12
#define ACPI_AML_ROOT_CHAR    0x5c /* '\' */
#define ACPI_AML_ONES_OP      0xff
/* PkgLength lead byte: bits 7:6 count the bytes that follow it */
#define ACPI_AML_PKGLEN_FOLLOW BIT_MASK(7, 6)

#endif
