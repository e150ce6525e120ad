// SPDX-License-Identifier: MIT
/*
 * The UEFI loader: the only code that talks to the firmware. It reads
 * hv.cfg and the files it names from its own volume, places the core at
 * its link address, fills the boot-info block, exits boot services and
 * enters the core. Every failure stops with one "hvboot: error:" line.
 */
#include <efi.h>
#include <efilib.h>

#include "boot/bootinfo.h"
#include "boot/elf.h"
#include "kernel/config.h"
#include "kernel/lib/string.h"
#include "kernel/version.h"

#define BOOT_CFG_NAME	  "hv.cfg"
#define BOOT_CFG_MAX	  (64 * 1024)
#define BOOT_FILE_MAX	  (256ull * 1024 * 1024)
#define BOOT_MMAP_SLACK	  16 /* extra descriptors for allocations in between */
#define BOOT_EXIT_RETRIES 8

static EFI_HANDLE boot_image;
static EFI_FILE_HANDLE boot_root;
static struct bootinfo *boot_info;
static struct bootinfo boot_early; /* stamps taken before boot_info exists */
static struct config boot_cfg;

static inline uint64_t boot_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static void boot_stamp(const char *name)
{
	struct bootinfo *bi = boot_info ? boot_info : &boot_early;

	if (bi->nstamps < BOOTINFO_MAX_STAMPS) {
		struct bootinfo_stamp *s = &bi->stamps[bi->nstamps++];

		snprintf(s->name, sizeof(s->name), "%s", name);
		s->tsc = boot_rdtsc();
	}
}

/* Stop: show why on every console, then give the machine back. */
static EFI_STATUS __attribute__((format(printf, 2, 3)))
boot_fail(EFI_STATUS st, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	EFI_EVENT ev[2];
	UINTN idx;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	Print(L"\r\nhvboot: error: %a\r\n", msg);
	Print(L"hvboot: boot stopped; press a key to return to the firmware "
	      L"(or wait 30 s)\r\n");
	ev[0] = ST->ConIn->WaitForKey;
	if (uefi_call_wrapper(BS->CreateEvent, 5, EVT_TIMER, 0, NULL, NULL,
			      &ev[1]) == EFI_SUCCESS &&
	    uefi_call_wrapper(BS->SetTimer, 3, ev[1], TimerRelative,
			      300000000ull) == EFI_SUCCESS)
		uefi_call_wrapper(BS->WaitForEvent, 3, 2, ev, &idx);
	return EFI_ERROR(st) ? st : EFI_LOAD_ERROR;
}

static const char *boot_status_str(EFI_STATUS st)
{
	static char buf[64];
	CHAR16 wbuf[64];
	unsigned i;

	StatusToString(wbuf, st);
	for (i = 0; i < sizeof(buf) - 1 && wbuf[i]; i++)
		buf[i] = wbuf[i] < 128 ? (char)wbuf[i] : '?';
	buf[i] = '\0';
	return buf;
}

static EFI_STATUS boot_open_volume(void)
{
	EFI_LOADED_IMAGE *li;
	EFI_STATUS st;

	st = uefi_call_wrapper(BS->HandleProtocol, 3, boot_image,
			       &LoadedImageProtocol, (void **)&li);
	if (EFI_ERROR(st))
		return st;
	boot_root = LibOpenRoot(li->DeviceHandle);
	return boot_root ? EFI_SUCCESS : EFI_NOT_FOUND;
}

/* Allocate whole pages of the given type anywhere (or at *addr). */
static EFI_STATUS boot_alloc(EFI_ALLOCATE_TYPE how, UINT32 type, UINT64 bytes,
			     EFI_PHYSICAL_ADDRESS *addr)
{
	UINTN pages = (UINTN)(ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE);

	return uefi_call_wrapper(BS->AllocatePages, 4, how,
				 (EFI_MEMORY_TYPE)type, pages ? pages : 1,
				 addr);
}

/*
 * Read a whole file into boot-data pages. max bounds its size; one extra
 * zero byte follows the contents so text can be used as a string.
 */
static EFI_STATUS boot_read_file(const char *name, UINT64 max,
				 EFI_PHYSICAL_ADDRESS *addr, UINT64 *size)
{
	CHAR16 wname[BOOTINFO_FILE_MAX + 1];
	EFI_FILE_HANDLE fh;
	EFI_FILE_INFO *info;
	EFI_STATUS st;
	UINTN n;
	unsigned i;

	size_t len = strnlen(name, BOOTINFO_FILE_MAX);

	for (i = 0; i < len; i++)
		wname[i] = name[i] == '/' ? L'\\' : (CHAR16)name[i];
	wname[len] = 0;
	st = uefi_call_wrapper(boot_root->Open, 5, boot_root, &fh, wname,
			       EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		return st;
	info = LibFileInfo(fh);
	if (!info) {
		uefi_call_wrapper(fh->Close, 1, fh);
		return EFI_DEVICE_ERROR;
	}
	*size = info->FileSize;
	FreePool(info);
	if (*size > max) {
		uefi_call_wrapper(fh->Close, 1, fh);
		return EFI_BAD_BUFFER_SIZE;
	}
	st = boot_alloc(AllocateAnyPages, BOOTINFO_MEM_DATA, *size + 1, addr);
	if (!EFI_ERROR(st)) {
		n = (UINTN)*size;
		st = uefi_call_wrapper(fh->Read, 3, fh, &n, (void *)*addr);
		if (!EFI_ERROR(st) && n != *size)
			st = EFI_END_OF_FILE;
		((char *)*addr)[*size] = '\0';
	}
	uefi_call_wrapper(fh->Close, 1, fh);
	return st;
}

/* Seconds of the TSC, measured against the firmware's Stall. */
static UINT64 boot_measure_tsc(void)
{
	UINT64 t0 = boot_rdtsc();

	uefi_call_wrapper(BS->Stall, 1, 10000);
	return (boot_rdtsc() - t0) * 100;
}

static EFI_STATUS boot_load_config(void)
{
	EFI_PHYSICAL_ADDRESS addr;
	struct config_error err;
	UINT64 size;
	EFI_STATUS st;

	st = boot_read_file(BOOT_CFG_NAME, BOOT_CFG_MAX, &addr, &size);
	if (st == EFI_BAD_BUFFER_SIZE)
		return boot_fail(st, "%s: larger than %u bytes", BOOT_CFG_NAME,
				 BOOT_CFG_MAX);
	if (EFI_ERROR(st))
		return boot_fail(st,
				 "cannot read '%s' from the boot volume: %s",
				 BOOT_CFG_NAME, boot_status_str(st));
	if (config_parse(&boot_cfg, (const char *)addr, size, &err)) {
		if (err.line)
			return boot_fail(EFI_LOAD_ERROR, "%s:%u: %s",
					 BOOT_CFG_NAME, err.line, err.msg);
		return boot_fail(EFI_LOAD_ERROR, "%s: %s", BOOT_CFG_NAME,
				 err.msg);
	}
	boot_early.config = addr;
	boot_early.config_size = size;
	return EFI_SUCCESS;
}

static EFI_STATUS boot_read_named(const struct config_entry *e,
				  EFI_PHYSICAL_ADDRESS *addr, UINT64 *size)
{
	EFI_STATUS st = boot_read_file(e->value, BOOT_FILE_MAX, addr, size);

	if (st == EFI_BAD_BUFFER_SIZE)
		return boot_fail(st, "'%s' (%s:%u) is larger than %llu MiB",
				 e->value, BOOT_CFG_NAME, e->line,
				 BOOT_FILE_MAX >> 20);
	if (EFI_ERROR(st))
		return boot_fail(st, "cannot read '%s' (%s:%u): %s", e->value,
				 BOOT_CFG_NAME, e->line, boot_status_str(st));
	return EFI_SUCCESS;
}

static const struct config_entry *boot_cfg_entry(const char *key)
{
	for (unsigned i = 0; i < boot_cfg.count; i++)
		if (strcmp(boot_cfg.entry[i].key, key) == 0)
			return &boot_cfg.entry[i];
	return NULL;
}

/* Say which firmware allocations sit where the core must go. */
static void boot_show_overlap(UINT64 lo, UINT64 hi)
{
	UINTN size = 0, key, dsize = 0;
	UINT32 dver;
	EFI_MEMORY_DESCRIPTOR *map;

	uefi_call_wrapper(BS->GetMemoryMap, 5, &size, NULL, &key, &dsize,
			  &dver);
	size += 4 * dsize;
	map = AllocatePool(size);
	if (!map || EFI_ERROR(uefi_call_wrapper(BS->GetMemoryMap, 5, &size, map,
						&key, &dsize, &dver)))
		return;
	for (UINTN off = 0; off + dsize <= size; off += dsize) {
		EFI_MEMORY_DESCRIPTOR *d = (void *)((UINT8 *)map + off);
		UINT64 end = d->PhysicalStart + d->NumberOfPages * PAGE_SIZE;

		if (d->PhysicalStart < hi && lo < end)
			Print(L"hvboot:   0x%lx-0x%lx is UEFI memory type %u\r\n",
			      d->PhysicalStart, end - 1, d->Type);
	}
	FreePool(map);
}

/* Check the core's ELF image and copy it to its link address. */
static EFI_STATUS boot_load_core(UINT64 *entry)
{
	const struct config_entry *e = boot_cfg_entry("core");
	EFI_PHYSICAL_ADDRESS file, at;
	struct elf_layout lay;
	char why[96];
	UINT64 size;
	EFI_STATUS st;

	st = boot_read_named(e, &file, &size);
	if (EFI_ERROR(st))
		return st;
	if (elf_check((const void *)file, size, &lay, why, sizeof(why)))
		return boot_fail(EFI_LOAD_ERROR, "core '%s': %s", e->value,
				 why);
	at = lay.lo;
	st = boot_alloc(AllocateAddress, BOOTINFO_MEM_CORE, lay.hi - lay.lo,
			&at);
	if (EFI_ERROR(st))
		boot_show_overlap(lay.lo, lay.hi);
	if (EFI_ERROR(st))
		return boot_fail(st,
				 "core '%s': memory 0x%llx-0x%llx is not free: "
				 "%s",
				 e->value, (unsigned long long)lay.lo,
				 (unsigned long long)lay.hi - 1,
				 boot_status_str(st));
	memset((void *)lay.lo, 0, lay.hi - lay.lo);
	for (unsigned i = 0; i < lay.nsegs; i++)
		memcpy((void *)lay.seg[i].paddr,
		       (const void *)(file + lay.seg[i].offset),
		       lay.seg[i].filesz);
	uefi_call_wrapper(BS->FreePages, 2, file,
			  (UINTN)(ALIGN_UP(size + 1, PAGE_SIZE) / PAGE_SIZE));
	boot_early.core_base = lay.lo;
	boot_early.core_size = lay.hi - lay.lo;
	*entry = lay.entry;
	return EFI_SUCCESS;
}

static EFI_STATUS boot_load_modules(void)
{
	for (unsigned i = 0; i < boot_cfg.count; i++) {
		const struct config_entry *e = &boot_cfg.entry[i];
		struct bootinfo_module *m;
		EFI_PHYSICAL_ADDRESS addr;
		UINT64 size;
		EFI_STATUS st;

		if (e->kind != CONFIG_FILE || strcmp(e->key, "core") == 0)
			continue;
		if (boot_early.nmodules == BOOTINFO_MAX_MODULES)
			return boot_fail(EFI_LOAD_ERROR,
					 "%s:%u: more than %u files to load",
					 BOOT_CFG_NAME, e->line,
					 BOOTINFO_MAX_MODULES);
		st = boot_read_named(e, &addr, &size);
		if (EFI_ERROR(st))
			return st;
		m = &boot_early.modules[boot_early.nmodules++];
		m->base = addr;
		m->size = size;
		snprintf(m->name, sizeof(m->name), "%s",
			 strchr(e->key, '.') ? strchr(e->key, '.') + 1
					     : e->key);
		snprintf(m->file, sizeof(m->file), "%s", e->value);
	}
	return EFI_SUCCESS;
}

static UINT64 boot_find_rsdp(void)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;

	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];

		if (CompareGuid(&t->VendorGuid, &acpi20) == 0)
			return (UINT64)(UINTN)t->VendorTable;
	}
	return 0;
}

/* Allocate the block and the memory-map buffer that outlive the loader. */
static EFI_STATUS boot_alloc_info(void)
{
	EFI_PHYSICAL_ADDRESS bi, map;
	UINTN size = 0, key, dsize;
	UINT32 dver;
	EFI_STATUS st;

	st = boot_alloc(AllocateAnyPages, BOOTINFO_MEM_DATA, sizeof(*boot_info),
			&bi);
	if (EFI_ERROR(st))
		return boot_fail(st, "no memory for the boot info: %s",
				 boot_status_str(st));
	st = uefi_call_wrapper(BS->GetMemoryMap, 5, &size, NULL, &key, &dsize,
			       &dver);
	if (st != EFI_BUFFER_TOO_SMALL || dsize < sizeof(struct efi_mem_desc))
		return boot_fail(st, "GetMemoryMap gave no usable size: %s",
				 boot_status_str(st));
	size += BOOT_MMAP_SLACK * dsize;
	st = boot_alloc(AllocateAnyPages, BOOTINFO_MEM_DATA, size, &map);
	if (EFI_ERROR(st))
		return boot_fail(st, "no memory for the memory map: %s",
				 boot_status_str(st));
	boot_early.mmap = map;
	boot_early.mmap_size = ALIGN_UP(size, PAGE_SIZE);
	boot_info = (struct bootinfo *)bi;
	memcpy(boot_info, &boot_early, sizeof(*boot_info));
	return EFI_SUCCESS;
}

/*
 * ExitBootServices needs the key of the latest map; the firmware may
 * change the map between our GetMemoryMap and the exit (an event fires),
 * in which case the exit fails and we must fetch the map again.
 */
static EFI_STATUS boot_exit_firmware(void)
{
	UINT64 cap = boot_info->mmap_size;
	EFI_STATUS st = EFI_LOAD_ERROR;
	UINTN size, key, dsize;
	UINT32 dver;

	for (int i = 0; i < BOOT_EXIT_RETRIES; i++) {
		size = cap;
		st = uefi_call_wrapper(BS->GetMemoryMap, 5, &size,
				       (EFI_MEMORY_DESCRIPTOR *)boot_info->mmap,
				       &key, &dsize, &dver);
		if (EFI_ERROR(st))
			break;
		boot_info->mmap_size = size;
		boot_info->mmap_desc_size = dsize;
		boot_info->mmap_desc_version = dver;
		st = uefi_call_wrapper(BS->ExitBootServices, 2, boot_image,
				       key);
		if (!EFI_ERROR(st))
			return EFI_SUCCESS;
	}
	/* Boot services may be half gone: only Print is still attempted. */
	return boot_fail(st, "ExitBootServices failed: %s",
			 boot_status_str(st));
}

typedef void (*boot_core_entry)(struct bootinfo *) __attribute__((sysv_abi));

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	UINT64 entry;
	EFI_STATUS st;

	InitializeLib(image, systab);
	boot_image = image;
	boot_stamp("loader entry");
	Print(L"hvboot: loader %a\r\n", HV_VERSION);
	boot_early.tsc_hz = boot_measure_tsc();
	st = boot_open_volume();
	if (EFI_ERROR(st))
		return boot_fail(st, "cannot open the boot volume: %s",
				 boot_status_str(st));
	st = boot_load_config();
	if (EFI_ERROR(st))
		return st;
	boot_stamp("config read");
	st = boot_load_core(&entry);
	if (EFI_ERROR(st))
		return st;
	st = boot_load_modules();
	if (EFI_ERROR(st))
		return st;
	boot_stamp("images loaded");
	boot_early.magic = BOOTINFO_MAGIC;
	boot_early.version = BOOTINFO_VERSION;
	boot_early.size = sizeof(struct bootinfo);
	boot_early.rsdp = boot_find_rsdp();
	if (!boot_early.rsdp)
		Print(L"hvboot: warning: firmware gave no ACPI 2.0 RSDP\r\n");
	st = boot_alloc_info();
	if (EFI_ERROR(st))
		return st;
	Print(L"hvboot: entering core at 0x%lx\r\n", entry);
	st = boot_exit_firmware();
	if (EFI_ERROR(st))
		return st;
	boot_stamp("boot services exited");
	__asm__ volatile("cli");
	((boot_core_entry)entry)(boot_info);
	for (;;)
		__asm__ volatile("hlt");
}
