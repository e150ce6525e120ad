# SPDX-License-Identifier: MIT
test_vtd_pgtable_SRCS := drivers/iommu/intel/pgtable.c tests/unit/vtd_refwalk.c
