// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the ACPI parser (kernel/acpi/). The first input
 * byte picks how the rest becomes firmware memory:
 *
 *   0  one flat memory image at FLAT_BASE with the RSDP at its start:
 *      every pointer (RSDP, XSDT, tables, DSDT) is fuzzer-chosen;
 *   1  one table (any signature) listed by a valid XSDT;
 *   2  a sequence of tables, each cut by its own length field, listed by
 *      a valid XSDT; a FADT's DSDT pointers are aimed at the next table;
 *   3  the AML body of a DSDT behind a valid FADT.
 *
 * In modes 1-3 checksums are fixed up so the parsers behind the checks
 * are reached. Each range is its own heap block of exact size, so reading
 * past what acpi_map granted is caught by AddressSanitizer. After parsing,
 * the model's invariants are checked and both console commands run.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/acpi/acpi.h"
#include "kernel/acpi/acpi_tables.h"
#include "kernel/console/console.h"
#include "kernel/log.h"

#define FLAT_BASE	0x00100000ull
#define FUZZ_RSDP	0x000e0000ull
#define FUZZ_XSDT	0x7ffe0000ull
#define FUZZ_TABLE0	0x7ff00000ull
#define FUZZ_STRIDE	0x00010000ull
#define FUZZ_MAX_TABLES 32
#define FUZZ_MAX_RANGES (FUZZ_MAX_TABLES + 4)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct {
	uint64_t phys;
	size_t len;
	uint8_t *data;
} ranges[FUZZ_MAX_RANGES];
static unsigned nranges;
static struct acpi_info info;

const void *acpi_map(uint64_t phys, size_t len)
{
	for (unsigned i = 0; i < nranges; i++) {
		uint64_t base = ranges[i].phys;
		size_t size = ranges[i].len;

		if (phys >= base && len <= size && phys - base <= size - len)
			return ranges[i].data + (phys - base);
	}
	return NULL;
}

/* Set FUZZ_ACPI_VERBOSE=1 to see the log and console when replaying. */
static bool verbose(void)
{
	static int v = -1;

	if (v < 0)
		v = getenv("FUZZ_ACPI_VERBOSE") != NULL;
	return v;
}

/* Format everything, as the core would, then drop it. */
void log_printf(enum log_level level, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	(void)level;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (verbose())
		fprintf(stderr, "log: %s\n", buf);
}

void console_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (verbose())
		fputs(buf, stderr);
}

void console_error(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
}

static uint8_t *place(uint64_t phys, const void *p, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);

	if (!copy || nranges >= FUZZ_MAX_RANGES)
		abort();
	memcpy(copy, p, len);
	ranges[nranges].phys = phys;
	ranges[nranges].len = len;
	ranges[nranges].data = copy;
	nranges++;
	return copy;
}

static uint8_t sum(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	while (len--)
		s += *p++;
	return s;
}

/* Make the checksum right when the length field fits in the range. */
static void fix_checksum(uint8_t *t, size_t avail)
{
	uint32_t len;

	if (avail < sizeof(struct acpi_sdt_header))
		return;
	memcpy(&len, t + 4, 4);
	if (len < 10 || len > avail)
		return;
	t[9] = 0;
	t[9] = (uint8_t)-sum(t, len);
}

static uint64_t place_root(const uint64_t *addrs, unsigned n)
{
	uint8_t buf[sizeof(struct acpi_sdt_header) + 8 * FUZZ_MAX_TABLES];
	struct acpi_sdt_header h = {.revision = 1};
	struct acpi_rsdp r = {.revision = 2};
	uint32_t len = (uint32_t)(sizeof(h) + 8 * n);

	memcpy(h.signature, "XSDT", 4);
	h.length = len;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), addrs, 8 * n);
	fix_checksum(buf, len);
	place(FUZZ_XSDT, buf, len);
	memcpy(r.signature, ACPI_RSDP_SIGNATURE, 8);
	r.length = sizeof(r);
	r.xsdt_address = FUZZ_XSDT;
	r.checksum = (uint8_t)-sum((uint8_t *)&r, ACPI_RSDP_V1_LENGTH);
	r.extended_checksum = (uint8_t)-sum((uint8_t *)&r, sizeof(r));
	place(FUZZ_RSDP, &r, sizeof(r));
	return FUZZ_RSDP;
}

/* Mode 2: tables back to back, each as long as its length field says. */
static uint64_t place_tables(const uint8_t *data, size_t size)
{
	uint64_t addrs[FUZZ_MAX_TABLES];
	unsigned n = 0;

	while (size && n < FUZZ_MAX_TABLES) {
		uint32_t len = 0;
		uint8_t *t;

		if (size >= 8)
			memcpy(&len, data + 4, 4);
		if (len < sizeof(struct acpi_sdt_header) || len > size)
			len = (uint32_t)size;
		addrs[n] = FUZZ_TABLE0 + n * FUZZ_STRIDE;
		t = place(addrs[n], data, len);
		if (len >= offsetof(struct acpi_fadt_table, x_dsdt) + 8 &&
		    memcmp(t, ACPI_SIG_FADT, 4) == 0) {
			uint64_t next = addrs[n] + FUZZ_STRIDE;
			uint32_t next32 = (uint32_t)next;

			memcpy(t + offsetof(struct acpi_fadt_table, dsdt),
			       &next32, 4);
			memcpy(t + offsetof(struct acpi_fadt_table, x_dsdt),
			       &next, 8);
		}
		fix_checksum(t, len);
		data += len;
		size -= len;
		n++;
	}
	return place_root(addrs, n);
}

/* Mode 3: a DSDT around the input, behind a FADT revision 3. */
static uint64_t place_dsdt(const uint8_t *data, size_t size)
{
	const size_t hdr = sizeof(struct acpi_sdt_header);
	uint64_t addr = FUZZ_TABLE0;
	struct acpi_fadt_table f = {.header.revision = 3};
	uint8_t *d = malloc(hdr + size);

	if (!d)
		abort();
	memset(d, 0, hdr);
	memcpy(d, ACPI_SIG_DSDT, 4);
	*(uint32_t *)(d + 4) = (uint32_t)(hdr + size);
	memcpy(d + hdr, data, size);
	fix_checksum(d, hdr + size);
	place(FUZZ_TABLE0 + FUZZ_STRIDE, d, hdr + size);
	free(d);
	memcpy(f.header.signature, ACPI_SIG_FADT, 4);
	f.header.length = 244;
	f.pm1a_cnt_blk = 0x604;
	f.x_dsdt = FUZZ_TABLE0 + FUZZ_STRIDE;
	fix_checksum((uint8_t *)&f, sizeof(f));
	place(addr, &f, 244);
	return place_root(&addr, 1);
}

static void check_scopes(const struct acpi_dmar_scopes *s)
{
	if (s->count > ACPI_MAX_SCOPES)
		abort();
	for (unsigned i = 0; i < s->count; i++)
		if (!s->scope[i].path_len ||
		    s->scope[i].path_len > ACPI_MAX_PATH)
			abort();
}

/* What the rest of the hypervisor relies on after acpi_parse. */
static void check_model(const struct acpi_info *a)
{
	const struct acpi_dmar *d = &a->dmar;

	if (a->ntables > ACPI_MAX_TABLES || a->ncpus > ACPI_MAX_CPUS ||
	    a->nioapics > ACPI_MAX_IOAPICS || a->necam > ACPI_MAX_ECAM ||
	    d->ndrhd > ACPI_MAX_DRHD || d->nrmrr > ACPI_MAX_RMRR ||
	    d->natsr > ACPI_MAX_ATSR || d->nsatc > ACPI_MAX_SATC)
		abort();
	for (unsigned i = 0; i < a->necam; i++)
		if (a->ecam[i].bus_start > a->ecam[i].bus_end)
			abort();
	for (unsigned i = 0; i < d->ndrhd; i++) {
		if (!d->drhd[i].reg_base || d->drhd[i].reg_base & 0xfff)
			abort();
		check_scopes(&d->drhd[i].scopes);
	}
	for (unsigned i = 0; i < d->nrmrr; i++) {
		if (d->rmrr[i].limit < d->rmrr[i].base)
			abort();
		check_scopes(&d->rmrr[i].scopes);
	}
	for (unsigned i = 0; i < d->natsr; i++)
		check_scopes(&d->atsr[i].scopes);
	for (unsigned i = 0; i < d->nsatc; i++)
		check_scopes(&d->satc[i].scopes);
	if (a->fadt.s5_valid &&
	    (a->fadt.s5_slp_typa > 7 || a->fadt.s5_slp_typb > 7))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t rsdp;
	int problems;

	if (size < 1)
		return 0;
	nranges = 0;
	switch (data[0] & 3) {
	case 0:
		place(FLAT_BASE, data + 1, size - 1);
		rsdp = FLAT_BASE;
		break;
	case 1: {
		uint8_t *t = place(FUZZ_TABLE0, data + 1, size - 1);
		uint64_t addr = FUZZ_TABLE0;

		fix_checksum(t, size - 1);
		rsdp = place_root(&addr, 1);
		break;
	}
	case 2:
		rsdp = place_tables(data + 1, size - 1);
		break;
	default:
		rsdp = place_dsdt(data + 1, size - 1);
		break;
	}
	problems = acpi_parse(&info, rsdp);
	if (problems < 0)
		abort();
	if (verbose())
		fprintf(stderr, "problems: %d\n", problems);
	check_model(&info);
	acpi_cmd_list(&info);
	acpi_cmd_dmar(&info);
	for (unsigned i = 0; i < nranges; i++)
		free(ranges[i].data);
	return 0;
}
