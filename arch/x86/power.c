// SPDX-License-Identifier: MIT
/*
 * Power off and reset. Power off writes SLP_TYPa/SLP_EN for \_S5 to the
 * FADT's PM1 control blocks (ACPI 6.4, 4.8.3.2.1 and 7.4.2). Reset tries the
 * FADT reset register, then the 0xCF9 reset control register, then the
 * keyboard controller, then a triple fault.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/power.h"
#include "kernel/acpi/acpi.h"
#include "kernel/log.h"

#define ACPI_PM1_SLP_TYP_SHIFT 10
#define ACPI_PM1_SLP_EN	       BIT(13)

#define RST_CNT_PORT	    0xcf9
#define RST_CNT_SYS_RST	    0x02 /* full reset rather than INIT */
#define RST_CNT_RST_CPU	    0x04
#define KBC_CMD_PORT	    0x64
#define KBC_CMD_PULSE_RESET 0xfe

static void power_delay(void)
{
	uint64_t t0 = rdtsc();

	/* Coarse: a few hundred million cycles is a fraction of a second. */
	while (rdtsc() - t0 < 200000000ull)
		cpu_relax();
}

static bool power_acpi_off(const struct acpi_fadt *f)
{
	if (!f->present || !f->s5_valid || !f->pm1a_cnt || f->pm1a_cnt > 0xffff)
		return false;
	outw((uint16_t)f->pm1a_cnt,
	     (uint16_t)((f->s5_slp_typa << ACPI_PM1_SLP_TYP_SHIFT) |
			ACPI_PM1_SLP_EN));
	if (f->pm1b_cnt && f->pm1b_cnt <= 0xffff)
		outw((uint16_t)f->pm1b_cnt,
		     (uint16_t)((f->s5_slp_typb << ACPI_PM1_SLP_TYP_SHIFT) |
				ACPI_PM1_SLP_EN));
	power_delay();
	return true;
}

void power_off(const struct acpi_fadt *f)
{
	cpu_cli();
	if (!power_acpi_off(f))
		log_err("POWER: no usable ACPI \\_S5 / PM1 control block");
	else
		log_err("POWER: ACPI power off did not take effect");
	log_err("POWER: halting instead; it is safe to switch off now");
	cpu_halt_forever();
}

static void power_fadt_reset(const struct acpi_fadt *f)
{
	const struct acpi_gas *g = &f->reset_reg;

	if (!f->present || !f->reset_supported)
		return;
	if (g->space == ACPI_GAS_IO && g->address && g->address <= 0xffff)
		outb((uint16_t)g->address, f->reset_value);
	else if (g->space == ACPI_GAS_MEMORY && g->address)
		*(volatile uint8_t *)(uintptr_t)g->address = f->reset_value;
	else
		return;
	power_delay();
}

void power_reset(const struct acpi_fadt *f)
{
	static const struct {
		uint16_t limit;
		uint64_t base;
	} __packed idt_none = {0, 0};

	cpu_cli();
	power_fadt_reset(f);
	outb(RST_CNT_PORT, RST_CNT_SYS_RST);
	outb(RST_CNT_PORT, RST_CNT_SYS_RST | RST_CNT_RST_CPU);
	power_delay();
	outb(KBC_CMD_PORT, KBC_CMD_PULSE_RESET);
	power_delay();
	/* Last resort: an exception with no IDT triple-faults the CPU. */
	__asm__ volatile("lidt %0; int3" : : "m"(idt_none));
	cpu_halt_forever();
}
