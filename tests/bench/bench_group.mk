# SPDX-License-Identifier: MIT
# Group computation speed on a synthetic machine of 10,000 functions.
# Built without sanitizers at -O2: `make $(BUILD)/bench/bench_group`.
BENCH_GROUP_SRCS := tests/bench/bench_group.c tests/unit/topo.c \
	tests/unit/stub_log.c drivers/pci/group.c drivers/iommu/dmar_scope.c

$(BUILD)/bench/bench_group: $(BENCH_GROUP_SRCS) drivers/pci/group.h \
		drivers/pci/pci.h drivers/iommu/dmar_scope.h tests/unit/topo.h \
		tests/bench/bench_group.mk
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu17 -O2 $(WARN) -Wno-missing-prototypes -I. \
		-Itests/unit -o $@ $(BENCH_GROUP_SRCS)
