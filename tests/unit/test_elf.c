// SPDX-License-Identifier: MIT
/* The loader's ELF checks, on a built image and on corrupted copies. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "boot/elf.h"
#include "kernel/errno.h"

struct image {
	struct elf64_ehdr eh;
	struct elf64_phdr ph[3];
	uint8_t body[0x3000];
};

static struct image img;
static struct elf_layout lay;
static char why[96];

/* A valid image: text at 0x2000000 (rx), data+bss after it (rw). */
static void build(void)
{
	memset(&img, 0, sizeof(img));
	memcpy(img.eh.e_ident,
	       "\x7f"
	       "ELF",
	       4);
	img.eh.e_ident[4] = ELF_CLASS64;
	img.eh.e_ident[5] = ELF_DATA2LSB;
	img.eh.e_type = ELF_ET_EXEC;
	img.eh.e_machine = ELF_EM_X86_64;
	img.eh.e_entry = 0x2000010;
	img.eh.e_phoff = offsetof(struct image, ph);
	img.eh.e_phentsize = sizeof(struct elf64_phdr);
	img.eh.e_phnum = 3;
	img.ph[0] = (struct elf64_phdr){ELF_PT_LOAD, 5,	     0x1000, 0x2000000,
					0x2000000,   0x1000, 0x1000, 0x1000};
	img.ph[1] = (struct elf64_phdr){4 /* PT_NOTE */, 4, 0, 0, 0, 0, 0, 0};
	img.ph[2] = (struct elf64_phdr){ELF_PT_LOAD, 6,	    0x2000, 0x2001000,
					0x2001000,   0x800, 0x5000, 0x1000};
}

static int check(void)
{
	return elf_check(&img, sizeof(img), &lay, why, sizeof(why));
}

static void expect(const char *msg)
{
	assert_int_equal(check(), -HV_EINVAL);
	if (!strstr(why, msg))
		fail_msg("reason '%s' lacks '%s'", why, msg);
}

static void test_valid(void **state)
{
	(void)state;
	build();
	assert_int_equal(check(), 0);
	assert_int_equal(lay.entry, 0x2000010);
	assert_int_equal(lay.nsegs, 2);
	assert_int_equal(lay.lo, 0x2000000);
	assert_int_equal(lay.hi, 0x2006000);
	assert_int_equal(lay.seg[1].filesz, 0x800);
	assert_int_equal(lay.seg[1].memsz, 0x5000);
}

static void test_bad_headers(void **state)
{
	(void)state;
	build();
	img.eh.e_ident[1] = 'X';
	expect("not an ELF file");
	build();
	img.eh.e_ident[4] = 1;
	expect("not a 64-bit x86 ELF file");
	build();
	img.eh.e_machine = 183;
	expect("not a 64-bit x86 ELF file");
	build();
	img.eh.e_type = 3;
	expect("not an ELF executable");
	build();
	img.eh.e_phentsize = 32;
	expect("bad program header table");
	build();
	img.eh.e_phnum = 0;
	expect("bad program header table");
	build();
	img.eh.e_phoff = sizeof(img) - 8;
	expect("program header table runs past the file");
	build();
	img.eh.e_phnum = 0xffff;
	expect("program header table runs past the file");
	assert_int_equal(elf_check(&img, 10, &lay, why, sizeof(why)),
			 -HV_EINVAL);
}

static void test_bad_segments(void **state)
{
	(void)state;
	build();
	img.ph[2].p_filesz = 0x6000;
	expect("segment file size above memory size");
	build();
	img.ph[2].p_offset = sizeof(img) - 0x100;
	expect("segment runs past the file");
	build();
	img.ph[2].p_offset = ~0ull - 0x10;
	expect("segment runs past the file");
	build();
	img.ph[2].p_paddr = img.ph[2].p_vaddr = ~0ull - 0x1000;
	expect("segment address out of range");
	build();
	img.ph[2].p_paddr = img.ph[2].p_vaddr = 0x2000800;
	expect("segments overlap");
	build();
	img.ph[2].p_vaddr = 0xffffffff80000000ull;
	expect("not linked at its load address");
	build();
	img.eh.e_entry = 0x2001010; /* in the data segment */
	expect("entry point not in an executable segment");
	build();
	img.ph[0].p_type = img.ph[2].p_type = 6;
	expect("no loadable segment");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_bad_segments),
	};

	return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
