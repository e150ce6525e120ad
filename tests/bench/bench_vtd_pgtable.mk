# SPDX-License-Identifier: MIT
# VT-d page-table builder speed and footprint. Built without sanitizers
# at -O2: `make $(BUILD)/bench/bench_vtd_pgtable`.
BENCH_VTD_PGTABLE_SRCS := tests/bench/bench_vtd_pgtable.c \
	drivers/iommu/intel/pgtable.c

$(BUILD)/bench/bench_vtd_pgtable: $(BENCH_VTD_PGTABLE_SRCS) \
		drivers/iommu/intel/pgtable.h drivers/iommu/intel/vtd_regs.h \
		kernel/mm/addr.h tests/bench/bench_vtd_pgtable.mk
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu17 -O2 $(WARN) -Wno-missing-prototypes -I. \
		-o $@ $(BENCH_VTD_PGTABLE_SRCS)
