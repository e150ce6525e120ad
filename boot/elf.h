/* SPDX-License-Identifier: MIT */
/*
 * Checking and placing the core's ELF image. Pure logic, shared by the
 * loader and host unit tests (System V gABI, ELF-64 object file format).
 */
#ifndef BOOT_ELF_H
#define BOOT_ELF_H

#include "kernel/types.h"

#define ELF_MAX_SEGMENTS 8

struct elf64_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};
_Static_assert(sizeof(struct elf64_ehdr) == 64, "elf64_ehdr");

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};
_Static_assert(sizeof(struct elf64_phdr) == 56, "elf64_phdr");

#define ELF_CLASS64   2
#define ELF_DATA2LSB  1
#define ELF_ET_EXEC   2
#define ELF_EM_X86_64 62
#define ELF_PT_LOAD   1
#define ELF_PF_X      1

struct elf_segment {
	uint64_t paddr;	 /* where it goes (physical = virtual for the core) */
	uint64_t offset; /* file offset of its bytes */
	uint64_t filesz;
	uint64_t memsz;
};

/* Where a checked image goes: its segments and the page-aligned span. */
struct elf_layout {
	uint64_t entry;
	uint64_t lo, hi; /* [lo, hi) covers every segment, page aligned */
	unsigned nsegs;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};

/*
 * Check that img[0..size) is a loadable x86-64 ELF executable whose
 * segments fit in the file, do not overlap or wrap, and whose entry lies in
 * an executable segment. Returns 0 and fills out, or -HV_EINVAL with a one
 * line reason in err.
 */
int elf_check(const void *img, size_t size, struct elf_layout *out, char *err,
	      size_t errlen);

#endif
