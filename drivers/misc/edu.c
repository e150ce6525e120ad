// SPDX-License-Identifier: MIT
/* Driver for QEMU's edu DMA engine (see edu.h). */
#include "arch/x86/cpu.h"
#include "arch/x86/paging.h"
#include "drivers/misc/edu.h"
#include "kernel/errno.h"
#include "kernel/time.h"

#define EDU_REG_ID	 0x00
#define EDU_REG_DMA_SRC	 0x80
#define EDU_REG_DMA_DST	 0x88
#define EDU_REG_DMA_CNT	 0x90
#define EDU_REG_DMA_CMD	 0x98
#define EDU_DMA_START	 BIT(0)
#define EDU_DMA_FROM_DEV BIT(1) /* buffer -> memory */
#define EDU_BAR_SIZE	 0x100000ull

int edu_open(struct edu *e, struct pci_dev *dev)
{
	const struct pci_bar *b = &dev->bar[0];

	if (dev->vendor != EDU_VENDOR || dev->device != EDU_DEVICE)
		return -HV_ENODEV;
	if (b->kind != PCI_BAR_MEM32 || b->size < EDU_BAR_SIZE || !b->base ||
	    b->base + b->size > paging_top())
		return -HV_ENODEV;
	e->dev = dev;
	e->regs = (volatile uint8_t *)(uintptr_t)b->base;
	if ((*(volatile uint32_t *)(e->regs + EDU_REG_ID) & 0xff) != 0xed)
		return -HV_ENODEV;
	return 0;
}

static void edu_w64(struct edu *e, unsigned off, uint64_t v)
{
	*(volatile uint64_t *)(e->regs + off) = v;
}

static uint64_t edu_r64(struct edu *e, unsigned off)
{
	return *(volatile uint64_t *)(e->regs + off);
}

int edu_dma_start(struct edu *e, uint64_t addr, unsigned off, unsigned len,
		  bool to_device)
{
	/*
	 * QEMU aborts on an empty or out-of-buffer transfer: check first. Its
	 * bound check also refuses a transfer that ends exactly at the
	 * buffer's end, so the last byte is never usable.
	 */
	if (len == 0 || off >= EDU_BUF_SIZE || len >= EDU_BUF_SIZE - off ||
	    addr >= EDU_DMA_LIMIT || len > EDU_DMA_LIMIT - addr)
		return -HV_EINVAL;
	if (edu_busy(e))
		return -HV_EBUSY;
	edu_w64(e, EDU_REG_DMA_SRC, to_device ? addr : EDU_BUF_ADDR + off);
	edu_w64(e, EDU_REG_DMA_DST, to_device ? EDU_BUF_ADDR + off : addr);
	edu_w64(e, EDU_REG_DMA_CNT, len);
	edu_w64(e, EDU_REG_DMA_CMD,
		EDU_DMA_START | (to_device ? 0 : EDU_DMA_FROM_DEV));
	return 0;
}

bool edu_busy(struct edu *e)
{
	return edu_r64(e, EDU_REG_DMA_CMD) & EDU_DMA_START;
}

int edu_dma(struct edu *e, uint64_t addr, unsigned off, unsigned len,
	    bool to_device, uint64_t timeout_us)
{
	int rc = edu_dma_start(e, addr, off, len, to_device);
	uint64_t t0 = time_us();

	while (rc == 0 && edu_busy(e)) {
		if (time_us() - t0 > timeout_us)
			return -HV_ETIMEDOUT;
		cpu_relax();
	}
	return rc;
}
