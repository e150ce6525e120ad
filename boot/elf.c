// SPDX-License-Identifier: MIT
/* ELF-64 image checks for the loader (see elf.h). */
#include "boot/elf.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"

static int elf_fail(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "%s", why);
	return -HV_EINVAL;
}

static int elf_check_header(const struct elf64_ehdr *eh, size_t size, char *err,
			    size_t errlen)
{
	static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};

	if (size < sizeof(*eh) || memcmp(eh->e_ident, magic, 4) != 0)
		return elf_fail(err, errlen, "not an ELF file");
	if (eh->e_ident[4] != ELF_CLASS64 || eh->e_ident[5] != ELF_DATA2LSB ||
	    eh->e_machine != ELF_EM_X86_64)
		return elf_fail(err, errlen, "not a 64-bit x86 ELF file");
	if (eh->e_type != ELF_ET_EXEC)
		return elf_fail(err, errlen, "not an ELF executable");
	if (eh->e_phentsize != sizeof(struct elf64_phdr) || eh->e_phnum == 0)
		return elf_fail(err, errlen, "bad program header table");
	if (eh->e_phoff > size ||
	    (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr) >
		    size - eh->e_phoff)
		return elf_fail(err, errlen,
				"program header table runs past the file");
	return 0;
}

static int elf_add_segment(const struct elf64_phdr *ph, size_t size,
			   struct elf_layout *out, char *err, size_t errlen)
{
	struct elf_segment *s;

	if (out->nsegs == ELF_MAX_SEGMENTS)
		return elf_fail(err, errlen, "too many loadable segments");
	if (ph->p_filesz > ph->p_memsz)
		return elf_fail(err, errlen,
				"segment file size above memory size");
	if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
		return elf_fail(err, errlen, "segment runs past the file");
	if (ph->p_memsz == 0 || ph->p_paddr + ph->p_memsz < ph->p_paddr ||
	    ph->p_paddr + ph->p_memsz > (1ull << 48))
		return elf_fail(err, errlen, "segment address out of range");
	if (ph->p_vaddr != ph->p_paddr)
		return elf_fail(err, errlen,
				"segment not linked at its load address");
	for (unsigned i = 0; i < out->nsegs; i++) {
		const struct elf_segment *o = &out->seg[i];

		if (ph->p_paddr < o->paddr + o->memsz &&
		    o->paddr < ph->p_paddr + ph->p_memsz)
			return elf_fail(err, errlen, "segments overlap");
	}
	s = &out->seg[out->nsegs++];
	s->paddr = ph->p_paddr;
	s->offset = ph->p_offset;
	s->filesz = ph->p_filesz;
	s->memsz = ph->p_memsz;
	return 0;
}

int elf_check(const void *img, size_t size, struct elf_layout *out, char *err,
	      size_t errlen)
{
	const struct elf64_ehdr *eh = img;
	bool entry_ok = false;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = elf_check_header(eh, size, err, errlen);
	for (unsigned i = 0; rc == 0 && i < eh->e_phnum; i++) {
		struct elf64_phdr ph;

		/* Copied: the header table need not be aligned in the file. */
		memcpy(&ph, (const uint8_t *)img + eh->e_phoff + i * sizeof(ph),
		       sizeof(ph));
		if (ph.p_type != ELF_PT_LOAD)
			continue;
		rc = elf_add_segment(&ph, size, out, err, errlen);
		if (rc == 0 && (ph.p_flags & ELF_PF_X) &&
		    eh->e_entry >= ph.p_paddr &&
		    eh->e_entry - ph.p_paddr < ph.p_memsz)
			entry_ok = true;
	}
	if (rc)
		return rc;
	if (out->nsegs == 0)
		return elf_fail(err, errlen, "no loadable segment");
	if (!entry_ok)
		return elf_fail(err, errlen,
				"entry point not in an executable segment");
	out->entry = eh->e_entry;
	out->lo = ~0ull;
	for (unsigned i = 0; i < out->nsegs; i++) {
		out->lo =
			MIN(out->lo, ALIGN_DOWN(out->seg[i].paddr, PAGE_SIZE));
		out->hi = MAX(out->hi,
			      ALIGN_UP(out->seg[i].paddr + out->seg[i].memsz,
				       PAGE_SIZE));
	}
	return 0;
}
