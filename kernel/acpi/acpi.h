/* SPDX-License-Identifier: MIT */
/*
 * What the hypervisor keeps of the ACPI tables after parsing them: plain
 * decoded data, no pointers into firmware memory. Parsing (kernel/acpi/)
 * bounds-checks every length and offset; whatever is malformed is reported
 * in one line naming the table and offset, and left out of this model.
 */
#ifndef KERNEL_ACPI_ACPI_H
#define KERNEL_ACPI_ACPI_H

#include "kernel/types.h"

#define ACPI_MAX_TABLES	 64
#define ACPI_MAX_CPUS	 256
#define ACPI_MAX_IOAPICS 16
#define ACPI_MAX_ECAM	 16
#define ACPI_MAX_DRHD	 16
#define ACPI_MAX_RMRR	 32
#define ACPI_MAX_ATSR	 16
#define ACPI_MAX_SATC	 16
#define ACPI_MAX_SCOPES	 64 /* device scopes per DMAR structure */
#define ACPI_MAX_PATH	 8  /* (device, function) hops per scope */

struct acpi_table_info {
	char sig[5];
	char oem_id[7];
	char oem_table_id[9];
	uint8_t revision;
	uint64_t phys;
	uint32_t length;
	bool checksum_ok;
};

struct acpi_cpu {
	uint32_t apic_id; /* xAPIC or x2APIC id */
	uint32_t uid;
	bool enabled;
	bool online_capable;
};

struct acpi_ioapic {
	uint8_t id;
	uint32_t addr;
	uint32_t gsi_base;
};

struct acpi_ecam {
	uint64_t base; /* ECAM address of bus 0 of the segment (MCFG rule) */
	uint16_t segment;
	uint8_t bus_start;
	uint8_t bus_end;
};

/* Generic Address Structure, decoded. */
struct acpi_gas {
	uint8_t space; /* ACPI_GAS_* */
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
};
#define ACPI_GAS_MEMORY 0
#define ACPI_GAS_IO	1

struct acpi_fadt {
	bool present;
	uint32_t flags;
	uint64_t dsdt;
	uint32_t pm1a_cnt; /* I/O port, 0 when absent */
	uint32_t pm1b_cnt;
	bool reset_supported; /* FADT flags RESET_REG_SUP */
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	bool s5_valid; /* \_S5 found in the DSDT */
	uint8_t s5_slp_typa;
	uint8_t s5_slp_typb;
};

/* DMAR device scope (VT-d spec 8.3.1). */
enum acpi_dmar_scope_type {
	ACPI_DMAR_SCOPE_ENDPOINT = 1,
	ACPI_DMAR_SCOPE_BRIDGE = 2, /* PCI sub-hierarchy */
	ACPI_DMAR_SCOPE_IOAPIC = 3,
	ACPI_DMAR_SCOPE_HPET = 4,
	ACPI_DMAR_SCOPE_NAMESPACE = 5,
};

struct acpi_dmar_scope {
	uint8_t type;
	uint8_t enum_id;
	uint8_t start_bus;
	uint8_t path_len; /* hops in path[] */
	struct {
		uint8_t dev;
		uint8_t fn;
	} path[ACPI_MAX_PATH];
};

struct acpi_dmar_scopes {
	unsigned count;
	unsigned dropped; /* malformed or over-limit scopes left out */
	struct acpi_dmar_scope scope[ACPI_MAX_SCOPES];
};

struct acpi_drhd {
	uint8_t flags; /* ACPI_DRHD_INCLUDE_PCI_ALL */
	uint8_t size;  /* register set is 2^size 4 KiB pages (Size bits 3:0) */
	uint16_t segment;
	uint64_t reg_base;
	struct acpi_dmar_scopes scopes;
};
#define ACPI_DRHD_INCLUDE_PCI_ALL 0x01

struct acpi_rmrr {
	uint16_t segment;
	uint64_t base;	/* first byte */
	uint64_t limit; /* last byte, inclusive */
	struct acpi_dmar_scopes scopes;
};

#define ACPI_ATSR_ALL_PORTS 0x01

struct acpi_atsr {
	uint8_t flags; /* ACPI_ATSR_ALL_PORTS */
	uint16_t segment;
	struct acpi_dmar_scopes scopes;
};

#define ACPI_SATC_ATC_REQUIRED 0x01

struct acpi_satc {
	uint8_t flags; /* ACPI_SATC_ATC_REQUIRED */
	uint16_t segment;
	struct acpi_dmar_scopes scopes;
};

struct acpi_dmar {
	bool present;
	uint8_t host_addr_width; /* HAW + 1, in bits */
	uint8_t flags;		 /* ACPI_DMAR_* below */
	unsigned ndrhd, nrmrr, natsr, nsatc;
	struct acpi_drhd drhd[ACPI_MAX_DRHD];
	struct acpi_rmrr rmrr[ACPI_MAX_RMRR];
	struct acpi_atsr atsr[ACPI_MAX_ATSR];
	struct acpi_satc satc[ACPI_MAX_SATC];
};

/* DMAR Flags (VT-d 8.1) */
#define ACPI_DMAR_INTR_REMAP		   0x01
#define ACPI_DMAR_X2APIC_OPT_OUT	   0x02
#define ACPI_DMAR_DMA_CTRL_PLATFORM_OPT_IN 0x04

struct acpi_info {
	uint64_t rsdp;
	uint64_t xsdt; /* or RSDT when the firmware has no XSDT */
	unsigned ntables;
	struct acpi_table_info table[ACPI_MAX_TABLES];
	/* MADT */
	uint64_t lapic_addr;
	unsigned ncpus, nioapics;
	struct acpi_cpu cpu[ACPI_MAX_CPUS];
	struct acpi_ioapic ioapic[ACPI_MAX_IOAPICS];
	/* MCFG */
	unsigned necam;
	struct acpi_ecam ecam[ACPI_MAX_ECAM];
	struct acpi_fadt fadt;
	struct acpi_dmar dmar;
};

/*
 * Map len bytes of physical memory for reading. The core maps
 * identity; host tests map into their fake memory. Returns NULL when the
 * range cannot be read (outside RAM/firmware areas, or it wraps).
 */
const void *acpi_map(uint64_t phys, size_t len);

/*
 * Parse everything reachable from the RSDP into info. Never fails as a
 * whole: bad parts are reported and skipped. Returns the number of
 * problems reported (0 for clean tables).
 */
int acpi_parse(struct acpi_info *info, uint64_t rsdp_phys);

/*
 * The parsed tables of the running hypervisor (NULL before acpi_parse;
 * acpi_parse points it at its info argument when it returns).
 */
extern const struct acpi_info *acpi;

/*
 * The first table with signature sig (4 characters, not NUL-terminated)
 * listed in info, whatever its checksum; NULL when there is none.
 */
const struct acpi_table_info *acpi_find(const struct acpi_info *info,
					const char sig[4]);

/*
 * Shell command `acpi`: one line per table, then a summary line. Output
 * formats are fixed in docs/acpi.md. Returns 0, or -HV_ENOENT (after
 * printing an error line) when info is NULL or lists no table.
 */
int acpi_cmd_list(const struct acpi_info *info);

/*
 * Shell command `acpi dmar`: the decoded DMAR. Returns 0, or -HV_ENOENT
 * (after printing an error line) when there is no DMAR.
 */
int acpi_cmd_dmar(const struct acpi_info *info);

#endif
