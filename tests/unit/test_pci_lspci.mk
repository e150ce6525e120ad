# SPDX-License-Identifier: MIT
test_pci_lspci_SRCS := drivers/pci/cfg.c drivers/pci/ecam.c \
	drivers/pci/enum.c drivers/pci/caps.c drivers/pci/bar.c \
	drivers/pci/pci.c drivers/pci/lspci.c tests/unit/fakecfg.c
