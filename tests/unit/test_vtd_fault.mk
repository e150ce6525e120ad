# SPDX-License-Identifier: MIT
test_vtd_fault_SRCS := drivers/iommu/intel/fault.c drivers/iommu/fault_ring.c
