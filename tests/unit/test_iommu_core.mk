test_iommu_core_SRCS := drivers/iommu/iommu.c drivers/iommu/rmrr.c drivers/pci/group.c \
	drivers/pci/pci.c drivers/iommu/dmar_scope.c tests/unit/topo.c \
	kernel/errno.c
