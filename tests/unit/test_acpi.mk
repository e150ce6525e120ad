# SPDX-License-Identifier: MIT
# ACPI parser tests. The fixtures are compiled with iasl from
# tests/unit/acpi/*.asl and linked into the tests as a generated C file,
# so the test binaries need no fixture files at run time.

ACPI_SRCS := kernel/acpi/acpi.c kernel/acpi/madt.c kernel/acpi/mcfg.c \
	kernel/acpi/fadt.c kernel/acpi/aml.c kernel/acpi/dmar.c \
	kernel/acpi/acpi_cmd.c
ACPI_FIXTURE_ASL := $(sort $(wildcard tests/unit/acpi/*.asl))
ACPI_FIXTURE_AML := $(ACPI_FIXTURE_ASL:tests/unit/acpi/%.asl=$(BUILD)/unit/acpi/%.aml)
ACPI_FIXTURE_C := $(BUILD)/unit/acpi/fixtures.c

test_acpi_SRCS := $(ACPI_SRCS) tests/unit/acpi/acpi_fake.c $(ACPI_FIXTURE_C)

$(BUILD)/unit/acpi/%.aml: tests/unit/acpi/%.asl
	@mkdir -p $(@D)
	@iasl -p $(basename $@) $< >$(basename $@).log 2>&1 || \
		{ cat $(basename $@).log; exit 1; }

$(ACPI_FIXTURE_C): tests/unit/acpi/bin2c.py $(ACPI_FIXTURE_AML)
	$(PYTHON) tests/unit/acpi/bin2c.py $@ $(ACPI_FIXTURE_AML)
