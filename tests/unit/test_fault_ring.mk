# SPDX-License-Identifier: MIT
test_fault_ring_SRCS := drivers/iommu/fault_ring.c
