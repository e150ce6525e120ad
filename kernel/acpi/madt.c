// SPDX-License-Identifier: MIT
/*
 * MADT (ACPI 6.5 5.2.12): processors (xAPIC and x2APIC entries), I/O APICs
 * and the local APIC address. Interrupt overrides and NMI entries are not
 * needed by the hypervisor and are skipped by their length.
 */
#include "kernel/acpi/acpi_priv.h"
#include "kernel/acpi/acpi_tables.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"

struct madt_walk {
	struct acpi_info *info;
	const uint8_t *p; /* the subtable, length checked */
	uint32_t off;	  /* its offset in the table */
	bool cpus_full, ioapics_full;
};

static int madt_add_cpu(struct madt_walk *w, uint32_t apic_id, uint32_t uid,
			uint32_t flags)
{
	struct acpi_info *info = w->info;
	struct acpi_cpu *c;

	if (info->ncpus >= ACPI_MAX_CPUS) {
		if (w->cpus_full)
			return 0;
		w->cpus_full = true;
		log_warn(
			"ACPI: APIC: more than %d processors, the entry at offset 0x%x and later ones are ignored",
			ACPI_MAX_CPUS, w->off);
		return 1;
	}
	c = &info->cpu[info->ncpus++];
	c->apic_id = apic_id;
	c->uid = uid;
	c->enabled = flags & ACPI_MADT_ENABLED;
	c->online_capable = flags & ACPI_MADT_ONLINE_CAPABLE;
	return 0;
}

static int madt_add_ioapic(struct madt_walk *w)
{
	struct acpi_info *info = w->info;
	struct acpi_madt_io_apic s;
	struct acpi_ioapic *io;

	memcpy(&s, w->p, sizeof(s));
	if (info->nioapics >= ACPI_MAX_IOAPICS) {
		if (w->ioapics_full)
			return 0;
		w->ioapics_full = true;
		log_warn(
			"ACPI: APIC: more than %d I/O APICs, the entry at offset 0x%x and later ones are ignored",
			ACPI_MAX_IOAPICS, w->off);
		return 1;
	}
	io = &info->ioapic[info->nioapics++];
	io->id = s.io_apic_id;
	io->addr = s.io_apic_address;
	io->gsi_base = s.global_system_interrupt_base;
	return 0;
}

/* Minimum length of the subtable types that are decoded; 0 for others. */
static uint8_t madt_min_len(uint8_t type)
{
	switch (type) {
	case ACPI_MADT_TYPE_LOCAL_APIC:
		return sizeof(struct acpi_madt_local_apic);
	case ACPI_MADT_TYPE_IO_APIC:
		return sizeof(struct acpi_madt_io_apic);
	case ACPI_MADT_TYPE_LOCAL_APIC_OVERRIDE:
		return sizeof(struct acpi_madt_local_apic_override);
	case ACPI_MADT_TYPE_LOCAL_X2APIC:
		return sizeof(struct acpi_madt_local_x2apic);
	default:
		return 0;
	}
}

static int madt_subtable(struct madt_walk *w, uint8_t type, uint8_t len)
{
	struct acpi_madt_local_apic_override o;
	struct acpi_madt_local_x2apic x2;
	struct acpi_madt_local_apic la;

	if (len < madt_min_len(type)) {
		log_warn(
			"ACPI: APIC: type %u subtable at offset 0x%x has length %u, expected %u, skipped",
			type, w->off, len, madt_min_len(type));
		return 1;
	}
	switch (type) {
	case ACPI_MADT_TYPE_LOCAL_APIC:
		memcpy(&la, w->p, sizeof(la));
		return madt_add_cpu(w, la.apic_id, la.acpi_processor_uid,
				    la.flags);
	case ACPI_MADT_TYPE_LOCAL_X2APIC:
		memcpy(&x2, w->p, sizeof(x2));
		return madt_add_cpu(w, x2.x2apic_id, x2.acpi_processor_uid,
				    x2.flags);
	case ACPI_MADT_TYPE_IO_APIC:
		return madt_add_ioapic(w);
	case ACPI_MADT_TYPE_LOCAL_APIC_OVERRIDE:
		memcpy(&o, w->p, sizeof(o));
		w->info->lapic_addr = o.local_apic_address;
		return 0;
	case ACPI_MADT_TYPE_INTERRUPT_OVERRIDE:
	case ACPI_MADT_TYPE_NMI_SOURCE:
	case ACPI_MADT_TYPE_LOCAL_APIC_NMI:
		return 0;
	default:
		log_debug("ACPI: APIC: subtable type %u at offset 0x%x skipped",
			  type, w->off);
		return 0;
	}
}

int acpi_madt_parse(struct acpi_info *info, const struct acpi_view *t)
{
	struct madt_walk w = {.info = info};
	struct acpi_madt_table m;
	int problems = 0;
	uint8_t len = 0;

	if (t->len < sizeof(m)) {
		log_warn(
			"ACPI: APIC: table length %u is shorter than its %zu-byte header, table ignored",
			t->len, sizeof(m));
		return 1;
	}
	memcpy(&m, t->p, sizeof(m));
	info->lapic_addr = m.local_apic_address;
	for (w.off = sizeof(m); w.off < t->len; w.off += len) {
		uint32_t left = t->len - w.off;
		uint8_t type;

		w.p = t->p + w.off;
		if (left < sizeof(struct acpi_madt_subtable)) {
			log_warn(
				"ACPI: APIC: subtable at offset 0x%x is truncated, rest of table ignored",
				w.off);
			return problems + 1;
		}
		type = w.p[0];
		len = w.p[1];
		if (len < sizeof(struct acpi_madt_subtable)) {
			log_warn(
				"ACPI: APIC: subtable at offset 0x%x has length %u, rest of table ignored",
				w.off, len);
			return problems + 1;
		}
		if (len > left) {
			log_warn(
				"ACPI: APIC: subtable at offset 0x%x (length %u) runs past the end of the table, rest of table ignored",
				w.off, len);
			return problems + 1;
		}
		problems += madt_subtable(&w, type, len);
	}
	return problems;
}
