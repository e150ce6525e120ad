// SPDX-License-Identifier: MIT
/*
 * The core's page tables (SDM vol. 3, 4.5 four-level paging): an identity
 * map with 2 MiB pages below 4 GiB (where device windows sit next to RAM),
 * 1 GiB pages above when the CPU has them, and 4 KiB pages for the first
 * 2 MiB (so page 0 can stay unmapped) and around the core's image (so its
 * text is read-only and nothing else is executable: W^X).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/paging.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/mm.h"

#define PTE_P	 BIT(0)
#define PTE_RW	 BIT(1)
#define PTE_PWT	 BIT(3)
#define PTE_PCD	 BIT(4)
#define PTE_PS	 BIT(7)
#define PTE_ADDR BIT_MASK(51, 12)
#define PTE_XD	 BIT(63) /* execute disable (needs EFER.NXE) */

#define MSR_EFER     0xc0000080
#define EFER_NXE     BIT(11)
#define CR0_WP	     BIT(16) /* read-only pages bind ring 0 too */
#define CPUID_EDX_NX BIT(20)

#define SZ_2M	       (2ull << 20)
#define SZ_1G	       (1ull << 30)
#define PAGING_MAX_TOP (512ull * SZ_1G) /* one PML4 entry */

#define CPUID_EXT_FEATURES 0x80000001
#define CPUID_EDX_PDPE1GB  BIT(26)

static uint64_t paging_mapped_top;
static uint64_t paging_xd; /* PTE_XD when the CPU has NX, else 0 */

extern char __image_start[], __text_end[], __rodata_end[], __image_end[];

/*
 * Everything outside the core's text is data: never executable. Device
 * windows get PCD|PWT (uncached) in case no MTRR covers them.
 */
static uint64_t paging_attr(uint64_t addr, uint64_t size)
{
	uint64_t a = PTE_P | PTE_RW | paging_xd;

	if (!mm_is_ram(addr) && !mm_is_ram(addr + size - 1))
		a |= PTE_PCD | PTE_PWT;
	return a;
}

static int paging_table(uint64_t *entry, uint64_t **table)
{
	hpa_t p;
	int rc;

	if (*entry & PTE_P) {
		*table = hpa_to_ptr(hpa(*entry & PTE_ADDR));
		return 0;
	}
	rc = page_alloc(&p);
	if (rc)
		return rc;
	*entry = p.v | PTE_P | PTE_RW;
	*table = hpa_to_ptr(p);
	return 0;
}

/* A 4 KiB page: page 0 absent; the image's sections with their rights. */
static uint64_t paging_attr_4k(uint64_t a)
{
	if (a == 0)
		return 0;
	if (a >= (uintptr_t)__image_start && a < (uintptr_t)__text_end)
		return PTE_P; /* text: read and execute only */
	if (a >= (uintptr_t)__text_end && a < (uintptr_t)__rodata_end)
		return PTE_P | paging_xd;
	return paging_attr(a, PAGE_SIZE);
}

/* 2 MiB chunks that need 4 KiB pages: page 0 and the core's image. */
static bool paging_needs_4k(uint64_t a)
{
	return a == 0 || (a < (uintptr_t)__image_end &&
			  (uintptr_t)__image_start < a + SZ_2M);
}

/* Map one GiB at base through a directory of 2 MiB (or 4 KiB) pages. */
static int paging_map_gib_small(uint64_t *pdpte, uint64_t base)
{
	uint64_t *pd, *pt;
	int rc = paging_table(pdpte, &pd);

	for (unsigned i = 0; rc == 0 && i < 512; i++) {
		uint64_t a = base + i * SZ_2M;

		if (!paging_needs_4k(a)) {
			pd[i] = a | paging_attr(a, SZ_2M) | PTE_PS;
			continue;
		}
		rc = paging_table(&pd[i], &pt);
		for (unsigned j = 0; rc == 0 && j < 512; j++) {
			uint64_t attr = paging_attr_4k(a + j * PAGE_SIZE);

			pt[j] = attr ? (a + j * PAGE_SIZE) | attr : 0;
		}
	}
	return rc;
}

/* NX (if the CPU has it) and write protection in ring 0. */
static void paging_enable_protection(void)
{
	uint32_t r[4];

	cpuid(CPUID_EXT_FEATURES, 0, r);
	if (r[3] & CPUID_EDX_NX) {
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
		paging_xd = PTE_XD;
	}
	write_cr0(read_cr0() | CR0_WP);
}

int paging_init(uint64_t top)
{
	uint32_t r[4];
	bool gib_pages;
	uint64_t *pml4, *pdpt;
	hpa_t root;
	int rc;

	cpuid(CPUID_EXT_FEATURES, 0, r);
	gib_pages = r[3] & CPUID_EDX_PDPE1GB;
	paging_enable_protection();
	top = MIN(ALIGN_UP(MAX(top, 4 * SZ_1G), SZ_1G), PAGING_MAX_TOP);
	rc = page_alloc(&root);
	if (rc)
		return rc;
	pml4 = hpa_to_ptr(root);
	rc = paging_table(&pml4[0], &pdpt);
	for (uint64_t g = 0; rc == 0 && g < top / SZ_1G; g++) {
		uint64_t a = g * SZ_1G;

		/* Below 4 GiB device windows sit next to RAM: 2 MiB grain. */
		if (gib_pages && a >= 4 * SZ_1G)
			pdpt[g] = a | paging_attr(a, SZ_1G) | PTE_PS;
		else
			rc = paging_map_gib_small(&pdpt[g], a);
	}
	if (rc)
		return rc;
	write_cr3(root.v);
	paging_mapped_top = top;
	log_info("PAGING: identity map of %llu GiB (2 MiB pages below 4 GiB, "
		 "%s above), core text read-only, %s",
		 (unsigned long long)(top / SZ_1G),
		 gib_pages ? "1 GiB" : "2 MiB",
		 paging_xd ? "nothing else executable" : "no NX on this CPU");
	return 0;
}

uint64_t paging_top(void)
{
	return paging_mapped_top;
}
