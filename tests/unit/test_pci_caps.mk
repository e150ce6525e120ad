# SPDX-License-Identifier: MIT
test_pci_caps_SRCS := drivers/pci/cfg.c drivers/pci/ecam.c \
	drivers/pci/enum.c drivers/pci/caps.c drivers/pci/bar.c \
	drivers/pci/pci.c tests/unit/fakecfg.c
