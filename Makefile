# SPDX-License-Identifier: MIT
# Build of the hypervisor: the UEFI loader, the core, host unit tests and
# the QEMU tests. `make help` lists the targets.

BUILD   ?= build
HOSTCC  ?= gcc
CC      := gcc
LD      := ld
NASM    := nasm
OBJCOPY := objcopy
PYTHON  := /usr/bin/python3

VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

WARN := -Wall -Wextra -Wshadow -Wundef -Wmissing-prototypes \
	-Wstrict-prototypes -Wvla -Wimplicit-fallthrough -Werror

# ---- core (hv.elf) --------------------------------------------------------
CORE_CFLAGS := -std=gnu17 -O2 -g $(WARN) -I. -ffreestanding \
	-fno-stack-protector -mno-red-zone -mgeneral-regs-only -fno-pic \
	-fno-pie -mcmodel=small -fno-omit-frame-pointer -fno-common \
	-fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns -fno-delete-null-pointer-checks \
	-I$(BUILD)/gen -MMD -MP
CORE_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 \
	-z noexecstack -T linker.ld

CORE_EXCLUDE :=
CORE_C := $(filter-out $(CORE_EXCLUDE),$(sort $(wildcard kernel/*.c kernel/*/*.c arch/x86/*.c \
	drivers/*/*.c drivers/*/*/*.c)))
CORE_ASM := $(sort $(wildcard arch/x86/*.asm))
CORE_OBJ := $(CORE_C:%.c=$(BUILD)/core/%.o) $(CORE_ASM:%.asm=$(BUILD)/core/%.o)

# ---- loader (BOOTX64.EFI) -------------------------------------------------
EFI_INC := /usr/include/efi
EFI_LIB := /usr/lib
BOOT_CFLAGS := -std=gnu17 -O2 $(WARN) -Wno-missing-prototypes -I. \
	-isystem $(EFI_INC) -isystem $(EFI_INC)/x86_64 -fpic -ffreestanding \
	-fno-stack-protector -fno-stack-check -fshort-wchar -mno-red-zone \
	-maccumulate-outgoing-args -DGNU_EFI_USE_MS_ABI -MMD -MP \
	-I$(BUILD)/gen
BOOT_C := $(sort $(wildcard boot/*.c)) kernel/config.c kernel/lib/strconv.c \
	kernel/lib/string.c kernel/lib/format.c
BOOT_OBJ := $(BOOT_C:%.c=$(BUILD)/boot/%.o)

# ---- host unit tests ------------------------------------------------------
UNIT_CFLAGS := -std=gnu17 -O1 -g $(WARN) -Wno-missing-prototypes -I. \
	-Itests/unit -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -MMD -MP
UNIT_TESTS := $(sort $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c)))
UNIT_BINS := $(UNIT_TESTS:%=$(BUILD)/unit/%)
include $(wildcard tests/*/*.mk)

ESP := $(BUILD)/esp
export HV_BUILD := $(BUILD)

# Host benchmarks: tests/bench/bench_X.c, built by rules in tests/bench/*.mk.
BENCH_BINS := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(wildcard tests/bench/bench_*.c))

.PHONY: all run check unit qemu-test debug bench fuzz clean help deps \
	format format-check cppcheck

all: $(ESP)/EFI/BOOT/BOOTX64.EFI $(ESP)/hv.elf $(ESP)/hv.cfg

help:
	@echo "make            build the loader, the core and the ESP ($(ESP))"
	@echo "make run        build and boot the default configuration in QEMU"
	@echo "make check      build, run host unit tests and QEMU tests"
	@echo "make unit       host unit tests only"
	@echo "make qemu-test  QEMU tests only"
	@echo "make debug      boot in QEMU waiting for GDB, with hv.elf symbols"
	@echo "make bench      boot-time and footprint figures"
	@echo "make format     clang-format the sources; format-check checks"
	@echo "make cppcheck   static analysis"
	@echo "make clean      remove $(BUILD)"

deps:
	@tools/deps

# The ESP directory QEMU boots from.
$(ESP)/EFI/BOOT/BOOTX64.EFI: $(BUILD)/BOOTX64.EFI
	@mkdir -p $(@D)
	cp $< $@
$(ESP)/hv.elf: $(BUILD)/hv.elf
	@mkdir -p $(@D)
	cp $< $@
$(ESP)/hv.cfg: hv.cfg
	@mkdir -p $(@D)
	cp $< $@

# The version string, rewritten only when `git describe` changes, so the
# objects that print it are rebuilt then and only then.
.PHONY: FORCE
$(BUILD)/gen/version_gen.h: FORCE
	@mkdir -p $(@D)
	@echo '#define HV_VERSION "$(VERSION)"' > $@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@
	@rm -f $@.tmp
$(CORE_OBJ) $(BOOT_OBJ): | $(BUILD)/gen/version_gen.h

$(BUILD)/hv.elf: $(CORE_OBJ) linker.ld
	$(LD) $(CORE_LDFLAGS) -o $@ $(CORE_OBJ)

$(BUILD)/core/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) -c $< -o $@

$(BUILD)/core/%.o: %.asm
	@mkdir -p $(@D)
	$(NASM) -f elf64 -g -F dwarf -o $@ $<

$(BUILD)/boot/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(BOOT_CFLAGS) -c $< -o $@

$(BUILD)/bootx64.so: $(BOOT_OBJ)
	$(LD) -nostdlib -znocombreloc -shared -Bsymbolic \
		-T $(EFI_LIB)/elf_x86_64_efi.lds $(EFI_LIB)/crt0-efi-x86_64.o \
		$(BOOT_OBJ) -o $@ -L$(EFI_LIB) -lefi -lgnuefi

$(BUILD)/BOOTX64.EFI: $(BUILD)/bootx64.so
	$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym \
		-j .rel -j .rela -j .reloc --target=efi-app-x86_64 $< $@

# Each tests/unit/test_X.c is linked with $(test_X_SRCS) from test_X.mk.
unit_objs = $(addprefix $(BUILD)/unit/obj/,$(patsubst %.c,%.o,$($(1)_SRCS)))
$(BUILD)/unit/obj/%.o: %.c
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -c $< -o $@

# Keep unit-test objects between runs instead of rebuilding them.
.SECONDARY:
.SECONDEXPANSION:
$(BUILD)/unit/%: $(BUILD)/unit/obj/tests/unit/%.o \
		$$(call unit_objs,$$*) \
		$(BUILD)/unit/obj/tests/unit/stub_log.o
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $^ -lcmocka

unit: deps $(UNIT_BINS)
	@tools/run-unit $(UNIT_BINS)

qemu-test: deps all
	@tools/run-qemu-tests

run: deps all
	tools/hv-qemu

check: deps
	@$(MAKE) --no-print-directory format-check cppcheck
	@$(MAKE) --no-print-directory all $(UNIT_BINS)
	@tools/check $(UNIT_BINS)

debug: deps all
	tools/hv-debug

bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_BINS)
	@tools/bench $(BENCH_BINS)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	@clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')
	@echo "format-check: clean"

cppcheck:
	@cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--inline-suppr -I. --std=c11 kernel arch drivers boot
	@echo "cppcheck: clean"

clean:
	rm -rf $(BUILD)

-include $(CORE_OBJ:.o=.d) $(BOOT_OBJ:.o=.d) $(wildcard $(BUILD)/unit/obj/*/*/*.d)
