# SPDX-License-Identifier: MIT
test_group_SRCS := drivers/pci/group.c drivers/iommu/dmar_scope.c \
	tests/unit/topo.c
