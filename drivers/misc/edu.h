/* SPDX-License-Identifier: MIT */
/*
 * QEMU's "edu" teaching device (1234:11e8, docs/specs/edu.rst in QEMU): a
 * DMA engine between memory and a 4 KiB buffer inside the device. Used by
 * the IOMMU self-test as a device whose DMA goes through the IOMMU.
 */
#ifndef DRIVERS_MISC_EDU_H
#define DRIVERS_MISC_EDU_H

#include "drivers/pci/pci.h"

#define EDU_VENDOR    0x1234
#define EDU_DEVICE    0x11e8
#define EDU_BUF_ADDR  0x40000ull /* the buffer's address as a DMA endpoint */
#define EDU_BUF_SIZE  4096u
#define EDU_DMA_LIMIT (1ull << 28) /* default dma_mask: 28 address bits */

struct edu {
	struct pci_dev *dev;
	volatile uint8_t *regs;
};

/* Check dev is an edu with its register BAR mapped. */
int edu_open(struct edu *e, struct pci_dev *dev);

/*
 * One DMA of len bytes between DMA address addr and offset off of the
 * device's buffer; to_device: memory -> buffer. Refuses (-HV_EINVAL) a
 * zero length, a range outside the buffer (or ending at its last byte,
 * which QEMU 7.2 wrongly rejects) or an address above the DMA limit, which
 * QEMU would abort on or truncate. Waits for the end, at most
 * timeout_us (-HV_ETIMEDOUT).
 */
int edu_dma(struct edu *e, uint64_t addr, unsigned off, unsigned len,
	    bool to_device, uint64_t timeout_us);

/* The same without waiting; edu_busy() tells when it is over. */
int edu_dma_start(struct edu *e, uint64_t addr, unsigned off, unsigned len,
		  bool to_device);
bool edu_busy(struct edu *e);

#endif
