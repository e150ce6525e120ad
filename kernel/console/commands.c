// SPDX-License-Identifier: MIT
/*
 * The console's command table and the system commands. Subsystems own
 * their commands' code; this file only lists them (docs/console.md).
 */
#include "arch/x86/exception.h"
#include "arch/x86/power.h"
#include "drivers/iommu/iommu.h"
#include "drivers/pci/lspci.h"
#include "kernel/acpi/acpi.h"
#include "kernel/console/commands.h"
#include "kernel/console/console.h"
#include "kernel/console/shell.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/log_buf.h"
#include "kernel/main.h"
#include "kernel/mm/mm.h"
#include "kernel/version.h"

static int cmd_help(int argc, char **argv);

static int cmd_version(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		console_error("version takes no arguments");
		return -HV_EINVAL;
	}
	console_printf("hv %s (built %s %s, x86-64, VT-d)\n", HV_VERSION,
		       __DATE__, __TIME__);
	return 0;
}

static int cmd_log(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		console_error("log takes no arguments");
		return -HV_EINVAL;
	}
	log_dump();
	return 0;
}

static const struct acpi_fadt *cmd_fadt(void)
{
	static const struct acpi_fadt none;

	return acpi ? &acpi->fadt : &none;
}

static int cmd_poweroff(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		console_error("poweroff takes no arguments");
		return -HV_EINVAL;
	}
	console_printf("powering off\n");
	power_off(cmd_fadt());
}

static int cmd_reboot(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		console_error("reboot takes no arguments");
		return -HV_EINVAL;
	}
	console_printf("rebooting\n");
	power_reset(cmd_fadt());
}

static int cmd_trap(int argc, char **argv)
{
	static const struct {
		const char *name;
		unsigned vec;
	} traps[] = {{"de", 0}, {"bp", 3}, {"ud", 6}, {"gp", 13}, {"pf", 14}};

	for (size_t i = 0; argc == 2 && i < ARRAY_SIZE(traps); i++)
		if (strcmp(argv[1], traps[i].name) == 0)
			x86_trap(traps[i].vec);
	if (argc == 2 && strcmp(argv[1], "wp") == 0)
		x86_trap_wp();
	if (argc == 2 && strcmp(argv[1], "nx") == 0)
		x86_trap_nx();
	console_error("usage: trap de|bp|ud|gp|pf|wp|nx");
	return -HV_EINVAL;
}

static const struct shell_cmd commands[] = {
	{"help", "help [CMD]", "list commands, or show how to use one",
	 cmd_help},
	{"version", "version", "print the hypervisor's version", cmd_version},
	{"mem", "mem [-v]",
	 "frame counts and the memory map they came from (-v: every entry)",
	 mm_cmd_mem},
	{"log", "log", "print the log kept since boot", cmd_log},
	{"acpi", "acpi [dmar]",
	 "list the ACPI tables, or decode the DMAR (DMA remapping) table",
	 platform_cmd_acpi},
	{"lspci", "lspci [-t | -v BDF]",
	 "list PCI functions, as a tree (-t), or one decoded (-v)",
	 pci_cmd_lspci},
	{"groups", "groups [-v]",
	 "IOMMU groups, one line each (-v: why each was formed, its unit)",
	 platform_cmd_groups},
	{"iommu",
	 "iommu [walk BDF [PASID] IOVA | selftest BDF | storm BDF... [-n N]]",
	 "IOMMU units and RMRRs; walk a device's tables; DMA self-test or "
	 "fault storm with edu devices",
	 iommu_cmd_iommu},
	{"domains", "domains",
	 "I/O address spaces: owner, groups, mapped bytes, table pages",
	 iommu_cmd_domains},
	{"faults", "faults [clear]",
	 "recent DMA faults the IOMMU recorded (clear: forget them)",
	 iommu_cmd_faults},
	{"trap", "trap de|bp|ud|gp|pf|wp|nx",
	 "raise a CPU exception on purpose (tests the handler and W^X; "
	 "halts)",
	 cmd_trap},
	{"poweroff", "poweroff", "switch the machine off (ACPI S5)",
	 cmd_poweroff},
	{"reboot", "reboot", "reset the machine", cmd_reboot},
};

const struct shell commands_shell = {commands, ARRAY_SIZE(commands)};

static int cmd_help(int argc, char **argv)
{
	return shell_help(&commands_shell, argc, argv);
}
