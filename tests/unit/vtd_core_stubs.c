// SPDX-License-Identifier: MIT
/*
 * The core services the VT-d driver calls, for host tests: pages come
 * from a pool mapped at a fixed low host address (VTD_STUB_POOL) and their
 * host address is their "physical" address (hpa_to_ptr() is an identity
 * cast). Low, because a domain's tables must sit below the unit's address
 * width (39 bits on QEMU), which heap addresses do not. The clock advances
 * at every reading; the IOMMU core's globals are defined here instead of
 * linking the core.
 *
 * Test controls (declared by the tests that use them):
 *   vtd_stub_pages_live   pages allocated and not freed
 *   vtd_stub_page_fail    allocations that succeed before -HV_ENOMEM
 *                         (UINT32_MAX: never fail)
 *   vtd_stub_pages_reset  free every live page, reset the controls
 */
#include <assert.h>
#include <string.h>
#include <sys/mman.h>

#include "arch/x86/paging.h"
#include "drivers/iommu/fault_ring.h"
#include "drivers/iommu/iommu.h"
#include "kernel/acpi/acpi.h"
#include "kernel/errno.h"
#include "kernel/mm/mm.h"
#include "kernel/time.h"

#define VTD_STUB_PAGES_MAX 4096
#define VTD_STUB_POOL	   0x50000000ull /* below ASan's shadow memory */

struct iommu_unit iommu_units[IOMMU_MAX_UNITS];
unsigned iommu_nunits;
enum iommu_mode iommu_mode_wanted = IOMMU_MODE_AUTO;
struct fault_ring iommu_fault_ring;
const struct acpi_info *acpi;

unsigned vtd_stub_pages_live;
unsigned vtd_stub_page_fail = UINT32_MAX;
static uint8_t *vtd_stub_pool;
static bool vtd_stub_used[VTD_STUB_PAGES_MAX];
static uint64_t vtd_stub_now;

static void vtd_stub_pool_map(void)
{
	size_t len = (size_t)VTD_STUB_PAGES_MAX * PAGE_SIZE;
	void *p;

	if (vtd_stub_pool)
		return;
	p = mmap((void *)(uintptr_t)VTD_STUB_POOL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	assert(p == (void *)(uintptr_t)VTD_STUB_POOL);
	vtd_stub_pool = p;
}

int page_alloc(hpa_t *out)
{
	vtd_stub_pool_map();
	if (vtd_stub_page_fail == 0)
		return -HV_ENOMEM;
	if (vtd_stub_page_fail != UINT32_MAX)
		vtd_stub_page_fail--;
	for (unsigned i = 0; i < VTD_STUB_PAGES_MAX; i++) {
		uint8_t *p = vtd_stub_pool + (size_t)i * PAGE_SIZE;

		if (vtd_stub_used[i])
			continue;
		memset(p, 0, PAGE_SIZE);
		vtd_stub_used[i] = true;
		vtd_stub_pages_live++;
		*out = hpa((uint64_t)(uintptr_t)p);
		return 0;
	}
	return -HV_ENOMEM;
}

void page_free(hpa_t pa)
{
	uint64_t i = (pa.v - VTD_STUB_POOL) / PAGE_SIZE;

	assert(pa.v >= VTD_STUB_POOL && !(pa.v % PAGE_SIZE));
	assert(i < VTD_STUB_PAGES_MAX && vtd_stub_used[i]);
	/* Poison: a table read after its page went back shows up. */
	memset(vtd_stub_pool + i * PAGE_SIZE, 0xa5, PAGE_SIZE);
	vtd_stub_used[i] = false;
	vtd_stub_pages_live--;
}

void vtd_stub_pages_reset(void);
void vtd_stub_pages_reset(void)
{
	memset(vtd_stub_used, 0, sizeof(vtd_stub_used));
	vtd_stub_pages_live = 0;
	vtd_stub_page_fail = UINT32_MAX;
}

/* Everything below 4 PiB counts as mapped. */
uint64_t paging_top(void)
{
	return 1ull << 52;
}

uint64_t time_us(void)
{
	return vtd_stub_now++;
}
