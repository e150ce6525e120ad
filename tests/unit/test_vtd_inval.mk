# SPDX-License-Identifier: MIT
test_vtd_inval_SRCS := drivers/iommu/intel/inval.c tests/unit/vtd_fake.c
