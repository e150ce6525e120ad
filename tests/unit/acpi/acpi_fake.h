/* SPDX-License-Identifier: MIT */
/*
 * Fake physical memory and table builders for the ACPI parser tests.
 * Each placed range is its own exact-size heap block, so a parser that
 * reads one byte past what acpi_map granted trips AddressSanitizer.
 */
#ifndef TESTS_UNIT_ACPI_ACPI_FAKE_H
#define TESTS_UNIT_ACPI_ACPI_FAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/acpi/acpi.h"

/* Where the tests put things (the FADT fixture points at FAKE_DSDT). */
#define FAKE_RSDP 0x000f5a80ull
#define FAKE_XSDT 0x7ffe0000ull
#define FAKE_RSDT 0x7ffe0800ull
#define FAKE_DSDT 0x7ffd0000ull
/* Table i of fake_acpi() lives at FAKE_TABLE(i). */
#define FAKE_TABLE(i) (0x7fff0000ull + (uint64_t)(i)*0x2000)

/* Forget every range placed (and the recorded console output). */
void fake_reset(void);
/* Make len bytes readable at phys (a copy of data); returns the copy. */
uint8_t *fake_place(uint64_t phys, const void *data, size_t len);
/* Place a copy of a fixture at phys; returns the copy. */
uint8_t *fake_place_fixture(uint64_t phys, const char *name);

/* An iasl fixture by name (fails the test when it does not exist). */
const uint8_t *fixture(const char *name, size_t *len);

/* A table under construction. */
struct tb {
	uint8_t b[1 << 16];
	size_t n;
};
/* Start t as a copy of a fixture. */
void tb_fixture(struct tb *t, const char *name);
void tb_u8(struct tb *t, uint8_t v);
void tb_u16(struct tb *t, uint16_t v);
void tb_u32(struct tb *t, uint32_t v);
void tb_u64(struct tb *t, uint64_t v);
void tb_bytes(struct tb *t, const void *p, size_t n);
/* Set the 16-bit length at struct_off + 2 (a DMAR structure) to the end. */
void tb_close16(struct tb *t, size_t struct_off);
/* Set the SDT header length to t->n and fix the checksum. */
void tb_finish(struct tb *t);
/* Place t at phys (after tb_finish). */
uint8_t *tb_place(struct tb *t, uint64_t phys);

/* DMAR pieces; each returns the offset where it starts. Close with
 * tb_close16 after adding the scopes. */
size_t tb_drhd(struct tb *t, uint8_t flags, uint16_t seg, uint64_t base);
size_t tb_rmrr(struct tb *t, uint16_t seg, uint64_t base, uint64_t limit);
size_t tb_atsr_satc(struct tb *t, uint16_t type, uint8_t flags, uint16_t seg);
/* A device scope with hops (dev, fn) pairs given as dev << 8 | fn. */
void tb_scope(struct tb *t, uint8_t type, uint8_t enum_id, uint8_t bus,
	      int hops, ...);

/* Recompute the checksum of the table at p from its length field. */
void fake_checksum(uint8_t *p);

/*
 * A whole platform: RSDP (revision 2) at FAKE_RSDP, XSDT at FAKE_XSDT
 * listing addrs[0..n). Returns FAKE_RSDP.
 */
uint64_t fake_rsdp_xsdt(const uint64_t *addrs, unsigned n);
/* Place fixtures[i] at FAKE_TABLE(i) and list them in an XSDT. */
uint64_t fake_platform(const char *const *fixtures, unsigned n);
/* Build the RSDP (rev 0 or 2) pointing at rsdt and xsdt (0: none). */
uint8_t *fake_rsdp(uint8_t revision, uint32_t rsdt, uint64_t xsdt);
/* Build a root table (sig "XSDT"/"RSDT", 8/4-byte entries) at phys. */
uint8_t *fake_root(uint64_t phys, const char *sig, const uint64_t *addrs,
		   unsigned n);

/* Console output recorded since fake_reset() contains s. */
bool console_has(const char *s);

/* Finish tb, place it at FAKE_TABLE(0) and parse a platform of it alone. */
int fake_parse_tb(struct tb *tb, struct acpi_info *info);

/* cmocka group set-up shared by the ACPI tests: fresh memory and log. */
int fake_setup(void **state);

/* Fail with the log or console text when a line is missing (cmocka). */
#define assert_log(s)                                                    \
	do {                                                             \
		if (!stub_log_contains(s))                               \
			fail_msg("missing log line \"%s\"; log:\n%s", s, \
				 stub_log_text());                       \
	} while (0)

#define assert_console(s)                                              \
	do {                                                           \
		if (!console_has(s))                                   \
			fail_msg("missing output \"%s\"; got:\n%s", s, \
				 stub_console_text());                 \
	} while (0)

/* A zeroed acpi_info too large for the stack. */
struct acpi_info *fake_info(void);

#endif
