# SPDX-License-Identifier: MIT
test_pci_ecam_SRCS := drivers/pci/cfg.c drivers/pci/ecam.c drivers/pci/pci.c
