// SPDX-License-Identifier: MIT
/* Fake physical memory and table builders for the ACPI parser tests. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/acpi/acpi_tables.h"
#include "stub_log.h"
#include "tests/unit/acpi/acpi_fake.h"
#include "tests/unit/acpi/fixtures.h"

#define FAKE_MAX_RANGES 512

static struct {
	uint64_t phys;
	size_t len;
	uint8_t *data;
} fake_ranges[FAKE_MAX_RANGES];
static unsigned fake_nranges;

void fake_reset(void)
{
	for (unsigned i = 0; i < fake_nranges; i++)
		free(fake_ranges[i].data);
	fake_nranges = 0;
	stub_console_reset();
}

uint8_t *fake_place(uint64_t phys, const void *data, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);

	if (!copy || fake_nranges >= FAKE_MAX_RANGES)
		abort();
	memcpy(copy, data, len);
	fake_ranges[fake_nranges].phys = phys;
	fake_ranges[fake_nranges].len = len;
	fake_ranges[fake_nranges].data = copy;
	fake_nranges++;
	return copy;
}

const void *acpi_map(uint64_t phys, size_t len)
{
	/* Latest placement first, so a test can shadow a range. */
	for (unsigned i = fake_nranges; i-- > 0;) {
		uint64_t base = fake_ranges[i].phys;
		size_t size = fake_ranges[i].len;

		if (phys >= base && len <= size && phys - base <= size - len)
			return fake_ranges[i].data + (phys - base);
	}
	return NULL;
}

const uint8_t *fixture(const char *name, size_t *len)
{
	for (const struct acpi_fixture *f = acpi_fixtures; f->name; f++) {
		if (strcmp(f->name, name) == 0) {
			*len = f->len;
			return f->data;
		}
	}
	fprintf(stderr, "no fixture %s\n", name);
	abort();
}

uint8_t *fake_place_fixture(uint64_t phys, const char *name)
{
	size_t len;
	const uint8_t *p = fixture(name, &len);

	return fake_place(phys, p, len);
}

void tb_fixture(struct tb *t, const char *name)
{
	size_t len;
	const uint8_t *p = fixture(name, &len);

	memcpy(t->b, p, len);
	t->n = len;
}

void tb_bytes(struct tb *t, const void *p, size_t n)
{
	if (t->n + n > sizeof(t->b))
		abort();
	memcpy(t->b + t->n, p, n);
	t->n += n;
}

void tb_u8(struct tb *t, uint8_t v)
{
	tb_bytes(t, &v, 1);
}

void tb_u16(struct tb *t, uint16_t v)
{
	tb_bytes(t, &v, 2);
}

void tb_u32(struct tb *t, uint32_t v)
{
	tb_bytes(t, &v, 4);
}

void tb_u64(struct tb *t, uint64_t v)
{
	tb_bytes(t, &v, 8);
}

void tb_close16(struct tb *t, size_t struct_off)
{
	uint16_t len = (uint16_t)(t->n - struct_off);

	memcpy(t->b + struct_off + 2, &len, 2);
}

void fake_checksum(uint8_t *p)
{
	uint32_t len;
	uint8_t sum = 0;

	memcpy(&len, p + 4, 4);
	p[9] = 0;
	for (uint32_t i = 0; i < len; i++)
		sum += p[i];
	p[9] = (uint8_t)-sum;
}

void tb_finish(struct tb *t)
{
	uint32_t len = (uint32_t)t->n;

	memcpy(t->b + 4, &len, 4);
	fake_checksum(t->b);
}

uint8_t *tb_place(struct tb *t, uint64_t phys)
{
	return fake_place(phys, t->b, t->n);
}

size_t tb_drhd(struct tb *t, uint8_t flags, uint16_t seg, uint64_t base)
{
	size_t at = t->n;

	tb_u16(t, ACPI_DMAR_TYPE_DRHD);
	tb_u16(t, 0);
	tb_u8(t, flags);
	tb_u8(t, 0);
	tb_u16(t, seg);
	tb_u64(t, base);
	tb_close16(t, at);
	return at;
}

size_t tb_rmrr(struct tb *t, uint16_t seg, uint64_t base, uint64_t limit)
{
	size_t at = t->n;

	tb_u16(t, ACPI_DMAR_TYPE_RMRR);
	tb_u16(t, 0);
	tb_u16(t, 0);
	tb_u16(t, seg);
	tb_u64(t, base);
	tb_u64(t, limit);
	tb_close16(t, at);
	return at;
}

size_t tb_atsr_satc(struct tb *t, uint16_t type, uint8_t flags, uint16_t seg)
{
	size_t at = t->n;

	tb_u16(t, type);
	tb_u16(t, 0);
	tb_u8(t, flags);
	tb_u8(t, 0);
	tb_u16(t, seg);
	tb_close16(t, at);
	return at;
}

void tb_scope(struct tb *t, uint8_t type, uint8_t enum_id, uint8_t bus,
	      int hops, ...)
{
	va_list ap;

	tb_u8(t, type);
	tb_u8(t, (uint8_t)(6 + 2 * hops));
	tb_u16(t, 0);
	tb_u8(t, enum_id);
	tb_u8(t, bus);
	va_start(ap, hops);
	for (int i = 0; i < hops; i++) {
		int devfn = va_arg(ap, int);

		tb_u8(t, (uint8_t)(devfn >> 8));
		tb_u8(t, (uint8_t)devfn);
	}
	va_end(ap);
}

uint8_t *fake_rsdp(uint8_t revision, uint32_t rsdt, uint64_t xsdt)
{
	struct acpi_rsdp r;
	uint8_t *p = (uint8_t *)&r, sum = 0;

	memset(&r, 0, sizeof(r));
	memcpy(r.signature, ACPI_RSDP_SIGNATURE, 8);
	memcpy(r.oem_id, "BOCHS ", 6);
	r.revision = revision;
	r.rsdt_address = rsdt;
	for (unsigned i = 0; i < ACPI_RSDP_V1_LENGTH; i++)
		sum += p[i];
	r.checksum = (uint8_t)-sum;
	if (revision < 2)
		return fake_place(FAKE_RSDP, &r, ACPI_RSDP_V1_LENGTH);
	r.length = sizeof(r);
	r.xsdt_address = xsdt;
	sum = 0;
	for (unsigned i = 0; i < sizeof(r); i++)
		sum += p[i];
	r.extended_checksum = (uint8_t)-sum;
	return fake_place(FAKE_RSDP, &r, sizeof(r));
}

uint8_t *fake_root(uint64_t phys, const char *sig, const uint64_t *addrs,
		   unsigned n)
{
	unsigned esize = strcmp(sig, "XSDT") == 0 ? 8 : 4;
	static struct tb t;
	struct acpi_sdt_header h;

	memset(&h, 0, sizeof(h));
	memcpy(h.signature, sig, 4);
	h.revision = 1;
	memcpy(h.oem_id, "BOCHS ", 6);
	memcpy(h.oem_table_id, "BXPC    ", 8);
	t.n = 0;
	tb_bytes(&t, &h, sizeof(h));
	for (unsigned i = 0; i < n; i++)
		tb_bytes(&t, &addrs[i], esize);
	tb_finish(&t);
	return tb_place(&t, phys);
}

uint64_t fake_rsdp_xsdt(const uint64_t *addrs, unsigned n)
{
	fake_root(FAKE_XSDT, "XSDT", addrs, n);
	fake_rsdp(2, 0, FAKE_XSDT);
	return FAKE_RSDP;
}

uint64_t fake_platform(const char *const *fixtures, unsigned n)
{
	uint64_t addrs[64];

	for (unsigned i = 0; i < n; i++) {
		size_t len;
		const uint8_t *p = fixture(fixtures[i], &len);

		fake_place(FAKE_TABLE(i), p, len);
		addrs[i] = FAKE_TABLE(i);
	}
	return fake_rsdp_xsdt(addrs, n);
}

bool console_has(const char *s)
{
	return strstr(stub_console_text(), s) != NULL;
}

int fake_parse_tb(struct tb *tb, struct acpi_info *info)
{
	uint64_t addr = FAKE_TABLE(0);

	tb_finish(tb);
	tb_place(tb, addr);
	return acpi_parse(info, fake_rsdp_xsdt(&addr, 1));
}

int fake_setup(void **state)
{
	(void)state;
	fake_reset();
	stub_log_reset();
	return 0;
}

struct acpi_info *fake_info(void)
{
	static struct acpi_info info;

	memset(&info, 0, sizeof(info));
	return &info;
}
