# SPDX-License-Identifier: MIT
# VT-d driver bring-up and entry programming against the fake unit.
test_vtd_unit_SRCS := drivers/iommu/intel/unit.c \
	drivers/iommu/intel/context.c drivers/iommu/intel/domain.c \
	drivers/iommu/intel/inval.c drivers/iommu/intel/fault.c \
	drivers/iommu/intel/pgtable.c drivers/iommu/fault_ring.c \
	kernel/errno.c tests/unit/vtd_fake.c tests/unit/vtd_core_stubs.c
