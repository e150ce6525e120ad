; SPDX-License-Identifier: MIT
; The core's entry. The loader calls hv_entry(struct bootinfo *) in long
; mode on firmware's identity-mapped page tables with interrupts off; we
; switch to our own stack before running any C.

bits 64
section .text.entry
global hv_entry
extern kmain

hv_entry:
	cli
	cld
	mov rsp, hv_boot_stack_top
	xor ebp, ebp            ; ends the frame-pointer chain for backtraces
	call kmain              ; rdi still holds the boot-info pointer
.halt:
	hlt
	jmp .halt

section .bss
align 16
global hv_boot_stack, hv_boot_stack_top
hv_boot_stack:
	resb 65536
hv_boot_stack_top:
