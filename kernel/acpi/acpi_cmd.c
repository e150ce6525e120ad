// SPDX-License-Identifier: MIT
/*
 * Console output of the `acpi` and `acpi dmar` shell commands. The formats
 * are fixed in docs/acpi.md: tests parse them.
 */
#include "kernel/acpi/acpi.h"
#include "kernel/console/console.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"

static void acpi_list_table(const struct acpi_table_info *t)
{
	console_printf(
		"%-4s 0x%016lx len %7u rev %3u oem %-6s table %-8s checksum %s\n",
		t->sig, t->phys, t->length, t->revision, t->oem_id,
		t->oem_table_id, t->checksum_ok ? "ok" : "BAD");
}

static void acpi_poweroff_summary(const struct acpi_fadt *f, char *buf,
				  size_t size)
{
	if (!f->present)
		snprintf(buf, size, "no (no FADT)");
	else if (!f->pm1a_cnt)
		snprintf(buf, size, "no (no PM1a_CNT)");
	else if (!f->s5_valid)
		snprintf(buf, size, "no (no \\_S5)");
	else
		snprintf(buf, size,
			 "yes (pm1a_cnt 0x%x pm1b_cnt 0x%x s5 %u/%u)",
			 f->pm1a_cnt, f->pm1b_cnt, f->s5_slp_typa,
			 f->s5_slp_typb);
}

static void acpi_reset_summary(const struct acpi_fadt *f, char *buf,
			       size_t size)
{
	if (!f->reset_supported)
		snprintf(buf, size, "no");
	else
		snprintf(buf, size, "yes (%s 0x%lx value 0x%x)",
			 f->reset_reg.space == ACPI_GAS_IO ? "io" : "mem",
			 f->reset_reg.address, f->reset_value);
}

int acpi_cmd_list(const struct acpi_info *info)
{
	char poweroff[64], reset[64];
	unsigned enabled = 0;

	if (!info || !info->ntables) {
		console_error("no ACPI tables (no usable RSDP)");
		return -HV_ENOENT;
	}
	console_printf("RSDP 0x%016lx\n", info->rsdp);
	for (unsigned i = 0; i < info->ntables; i++)
		acpi_list_table(&info->table[i]);
	for (unsigned i = 0; i < info->ncpus; i++)
		enabled += info->cpu[i].enabled;
	acpi_poweroff_summary(&info->fadt, poweroff, sizeof(poweroff));
	acpi_reset_summary(&info->fadt, reset, sizeof(reset));
	console_printf(
		"summary: cpus %u (%u enabled), ioapics %u, ecam %u, dmar %s, poweroff %s, reset %s\n",
		info->ncpus, enabled, info->nioapics, info->necam,
		info->dmar.present ? "yes" : "no", poweroff, reset);
	return 0;
}

/* "00:1c.0/00.0": start bus, then each (device, function) hop. */
static void acpi_scope_path(const struct acpi_dmar_scope *s, char *buf,
			    size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "%02x:", s->start_bus);

	for (unsigned i = 0; i < s->path_len && i < ACPI_MAX_PATH; i++) {
		if (n >= size)
			return;
		n += (size_t)snprintf(buf + n, size - n, "%s%02x.%x",
				      i ? "/" : "", s->path[i].dev,
				      s->path[i].fn);
	}
}

static void acpi_print_scopes(const struct acpi_dmar_scopes *sc)
{
	static const char *const names[] = {
		[ACPI_DMAR_SCOPE_ENDPOINT] = "endpoint",
		[ACPI_DMAR_SCOPE_BRIDGE] = "bridge",
		[ACPI_DMAR_SCOPE_IOAPIC] = "ioapic",
		[ACPI_DMAR_SCOPE_HPET] = "hpet",
		[ACPI_DMAR_SCOPE_NAMESPACE] = "namespace",
	};
	char path[8 + ACPI_MAX_PATH * 6];

	for (unsigned i = 0; i < sc->count && i < ACPI_MAX_SCOPES; i++) {
		const struct acpi_dmar_scope *s = &sc->scope[i];
		const char *name =
			s->type < ARRAY_SIZE(names) ? names[s->type] : NULL;

		acpi_scope_path(s, path, sizeof(path));
		if (s->type == ACPI_DMAR_SCOPE_ENDPOINT)
			console_printf("  endpoint %s\n", path);
		else if (s->type == ACPI_DMAR_SCOPE_BRIDGE)
			console_printf("  bridge %s (sub-hierarchy)\n", path);
		else
			console_printf("  %s id %u %s\n", name ? name : "type?",
				       s->enum_id, path);
	}
	if (sc->dropped)
		console_printf("  (%u device scopes left out, see the log)\n",
			       sc->dropped);
}

/* "0x1 (INTR_REMAP,X2APIC_OPT_OUT)" */
static void acpi_dmar_flags(uint8_t flags, char *buf, size_t size)
{
	static const char *const names[] = {"INTR_REMAP", "X2APIC_OPT_OUT",
					    "DMA_CTRL_PLATFORM_OPT_IN"};
	size_t n = (size_t)snprintf(buf, size, "0x%x", flags);
	const char *sep = " (";

	for (unsigned i = 0; i < ARRAY_SIZE(names) && n < size; i++) {
		if (!(flags & (1u << i)))
			continue;
		n += (size_t)snprintf(buf + n, size - n, "%s%s", sep, names[i]);
		sep = ",";
	}
	if (*sep == ',' && n < size)
		snprintf(buf + n, size - n, ")");
}

static void acpi_print_units(const struct acpi_dmar *d)
{
	for (unsigned i = 0; i < d->ndrhd && i < ACPI_MAX_DRHD; i++) {
		const struct acpi_drhd *u = &d->drhd[i];

		console_printf(
			"DRHD %u: base 0x%016lx segment %04x regs %u KiB flags 0x%x%s\n",
			i, u->reg_base, u->segment, 4u << (u->size & 15),
			u->flags,
			(u->flags & ACPI_DRHD_INCLUDE_PCI_ALL)
				? " (INCLUDE_PCI_ALL)"
				: "");
		acpi_print_scopes(&u->scopes);
	}
	for (unsigned i = 0; i < d->nrmrr && i < ACPI_MAX_RMRR; i++) {
		const struct acpi_rmrr *r = &d->rmrr[i];

		console_printf(
			"RMRR %u: segment %04x range 0x%016lx-0x%016lx\n", i,
			r->segment, r->base, r->limit);
		acpi_print_scopes(&r->scopes);
	}
}

static void acpi_print_ats(const struct acpi_dmar *d)
{
	for (unsigned i = 0; i < d->natsr && i < ACPI_MAX_ATSR; i++) {
		const struct acpi_atsr *a = &d->atsr[i];

		console_printf("ATSR %u: segment %04x flags 0x%x%s\n", i,
			       a->segment, a->flags,
			       (a->flags & ACPI_ATSR_ALL_PORTS) ? " (ALL_PORTS)"
								: "");
		acpi_print_scopes(&a->scopes);
	}
	for (unsigned i = 0; i < d->nsatc && i < ACPI_MAX_SATC; i++) {
		const struct acpi_satc *s = &d->satc[i];

		console_printf("SATC %u: segment %04x flags 0x%x%s\n", i,
			       s->segment, s->flags,
			       (s->flags & ACPI_SATC_ATC_REQUIRED)
				       ? " (ATC_REQUIRED)"
				       : "");
		acpi_print_scopes(&s->scopes);
	}
}

int acpi_cmd_dmar(const struct acpi_info *info)
{
	const struct acpi_table_info *t;
	char flags[64];

	if (!info || !info->dmar.present) {
		t = info ? acpi_find(info, "DMAR") : NULL;
		if (t)
			console_error(
				"DMAR table at 0x%lx was rejected, see the log (DMA remapping unavailable)",
				t->phys);
		else
			console_error(
				"no DMAR table (DMA remapping unavailable)");
		return -HV_ENOENT;
	}
	acpi_dmar_flags(info->dmar.flags, flags, sizeof(flags));
	console_printf("DMAR: host address width %u, flags %s\n",
		       info->dmar.host_addr_width, flags);
	acpi_print_units(&info->dmar);
	acpi_print_ats(&info->dmar);
	return 0;
}
