// SPDX-License-Identifier: MIT
/*
 * Start-up of the core: the order in which the machine is taken over.
 * Each stage logs one line with its time stamp; `make bench` reads them.
 */
#include "arch/x86/desc.h"
#include "arch/x86/paging.h"
#include "arch/x86/uart.h"
#include "boot/bootinfo.h"
#include "kernel/config.h"
#include "kernel/console/commands.h"
#include "kernel/console/console.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"
#include "kernel/log_buf.h"
#include "kernel/mm/mm.h"
#include "kernel/panic.h"
#include "kernel/time.h"
#include "kernel/version.h"
#include "kernel/main.h"

extern char __image_start[], __image_end[];

struct config hv_config;

static void main_check_bootinfo(const struct bootinfo *bi)
{
	if (!bi || bi->magic != BOOTINFO_MAGIC)
		panic("BOOT: no boot-info block from the loader");
	if (bi->version != BOOTINFO_VERSION || bi->size != sizeof(*bi))
		panic("BOOT: boot-info version %u size %u, core expects %u/%zu",
		      bi->version, bi->size, BOOTINFO_VERSION, sizeof(*bi));
	if (bi->nstamps > BOOTINFO_MAX_STAMPS ||
	    bi->nmodules > BOOTINFO_MAX_MODULES)
		panic("BOOT: boot-info counts out of range");
}

static void main_log_loader(const struct bootinfo *bi)
{
	for (unsigned i = 0; i < bi->nstamps; i++) {
		uint64_t us = time_tsc_to_us(bi->stamps[i].tsc);

		log_info("BOOT: stage %-22.22s at %llu.%06llu s",
			 bi->stamps[i].name, (unsigned long long)us / 1000000,
			 (unsigned long long)us % 1000000);
	}
	log_info("BOOT: TSC %llu MHz, core at 0x%llx-0x%llx, %u module(s)",
		 (unsigned long long)bi->tsc_hz / 1000000,
		 (unsigned long long)bi->core_base,
		 (unsigned long long)(bi->core_base + bi->core_size - 1),
		 bi->nmodules);
	for (unsigned i = 0; i < bi->nmodules; i++)
		log_info("BOOT: module %.32s = %.64s at 0x%llx, %llu bytes",
			 bi->modules[i].name, bi->modules[i].file,
			 (unsigned long long)bi->modules[i].base,
			 (unsigned long long)bi->modules[i].size);
}

static void main_config(const struct bootinfo *bi)
{
	struct config_error err;
	const char *level;

	/* The loader checked it already; a failure here means corruption. */
	if (config_parse(&hv_config, (const char *)(uintptr_t)bi->config,
			 bi->config_size, &err))
		panic("BOOT: hv.cfg:%u: %s", err.line, err.msg);
	level = config_get_or_default(&hv_config, "log.level");
	log_set_level((enum log_level)log_level_from_name(level));
	log_info("CONFIG: %u key(s), log level %s", hv_config.count, level);
}

static void main_memory(const struct bootinfo *bi)
{
	int rc = mm_init(bi);

	if (rc)
		panic("MM: cannot build the frame allocator: %d", rc);
	rc = paging_init(mm_phys_top());
	if (rc)
		panic("PAGING: cannot build the identity map: %d", rc);
	mm_release_boot_services();
	log_info("MM: %llu frames managed, %llu free",
		 (unsigned long long)mm_frames.total,
		 (unsigned long long)mm_frames.free);
}

void kmain(struct bootinfo *bi)
{
	uart_init();
	console_printf("\nhv %s\n", HV_VERSION);
	main_check_bootinfo(bi);
	time_init(bi->nstamps ? bi->stamps[0].tsc : 0, bi->tsc_hz);
	main_log_loader(bi);
	x86_desc_init();
	log_info("CPU: GDT, TSS and exception IDT installed");
	main_config(bi);
	main_memory(bi);
	main_platform(bi);
	log_info("BOOT: ready, image %llu KiB, %llu frames in use",
		 (unsigned long long)((uintptr_t)__image_end -
				      (uintptr_t)__image_start) /
			 1024,
		 (unsigned long long)(mm_frames.total - mm_frames.free));
	console_loop();
}
