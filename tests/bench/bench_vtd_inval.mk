# SPDX-License-Identifier: MIT
# Invalidation descriptors per map/unmap batch, against the fake unit.
BENCH_VTD_INVAL_SRCS := tests/bench/bench_vtd_inval.c \
	drivers/iommu/intel/pgtable.c drivers/iommu/intel/inval.c \
	tests/unit/vtd_fake.c tests/unit/stub_log.c

$(BUILD)/bench/bench_vtd_inval: $(BENCH_VTD_INVAL_SRCS) \
		drivers/iommu/intel/inval.h drivers/iommu/intel/pgtable.h \
		tests/unit/vtd_fake.h tests/bench/bench_vtd_inval.mk
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu17 -O2 $(WARN) -Wno-missing-prototypes -I. \
		-Itests/unit -o $@ $(BENCH_VTD_INVAL_SRCS)
