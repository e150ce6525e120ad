# SPDX-License-Identifier: MIT
# DMAR parser and `acpi dmar` output tests (fixtures: see test_acpi.mk).
test_acpi_dmar_SRCS = $(ACPI_SRCS) tests/unit/acpi/acpi_fake.c $(ACPI_FIXTURE_C)
