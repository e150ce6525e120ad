# SPDX-License-Identifier: MIT
# `make fuzz`: build the libFuzzer targets with clang and run each for
# FUZZ_SECONDS, starting from seeds made of the iasl unit-test fixtures.
# Findings (crash-*, leak-*, timeout-*) are written to $(BUILD)/fuzz/.

FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_CFLAGS := -std=gnu17 -g -O1 $(WARN) -Wno-missing-prototypes -I. \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

FUZZ_ACPI_SRCS := $(sort $(wildcard kernel/acpi/*.c))
FUZZ_ACPI_AML := $(patsubst tests/unit/acpi/%.asl,$(BUILD)/unit/acpi/%.aml,\
	$(sort $(wildcard tests/unit/acpi/*.asl)))
FUZZ_ACPI_SEEDS := $(BUILD)/fuzz/acpi-seeds

$(BUILD)/fuzz/fuzz_acpi: tests/fuzz/fuzz_acpi.c $(FUZZ_ACPI_SRCS) \
		$(wildcard kernel/acpi/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_acpi.c $(FUZZ_ACPI_SRCS)

# The .aml files come from the pattern rule in tests/unit/test_acpi.mk.
$(FUZZ_ACPI_SEEDS)/.stamp: tests/fuzz/mkseeds.py $(FUZZ_ACPI_AML)
	$(PYTHON) tests/fuzz/mkseeds.py $(@D) $(FUZZ_ACPI_AML)
	@touch $@

fuzz: $(BUILD)/fuzz/fuzz_acpi $(FUZZ_ACPI_SEEDS)/.stamp
	@mkdir -p $(BUILD)/fuzz/acpi-corpus
	$(BUILD)/fuzz/fuzz_acpi -max_total_time=$(FUZZ_SECONDS) \
		-max_len=16384 -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/fuzz/ \
		$(BUILD)/fuzz/acpi-corpus $(FUZZ_ACPI_SEEDS)
