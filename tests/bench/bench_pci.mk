# SPDX-License-Identifier: MIT
# Enumeration speed on a synthetic machine of ~10,000 functions. Built
# without sanitizers at -O2: `make $(BUILD)/bench/bench_pci`.
BENCH_PCI_SRCS := tests/bench/bench_pci.c tests/unit/fakecfg.c \
	tests/unit/stub_log.c drivers/pci/cfg.c drivers/pci/ecam.c \
	drivers/pci/enum.c drivers/pci/caps.c drivers/pci/bar.c \
	drivers/pci/pci.c

$(BUILD)/bench/bench_pci: $(BENCH_PCI_SRCS) $(wildcard drivers/pci/*.h) \
		tests/unit/fakecfg.h tests/bench/bench_pci.mk
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu17 -O2 $(WARN) -Wno-missing-prototypes -I. \
		-Itests/unit -o $@ $(BENCH_PCI_SRCS)
