; SPDX-License-Identifier: MIT
; Exception entry stubs for vectors 0-31. Each pushes a dummy error code
; when the CPU pushes none (SDM vol. 3 6.13), then the vector, saves the
; general registers and calls x86_exception(struct x86_frame *).

bits 64
section .text
extern x86_exception
global x86_exception_stubs

%macro STUB_NOERR 1
x86_stub_%1:
	push 0
	push %1
	jmp x86_exception_common
	align 16
%endmacro

%macro STUB_ERR 1
x86_stub_%1:
	push %1
	jmp x86_exception_common
	align 16
%endmacro

x86_exception_common:
	push rax
	push rbx
	push rcx
	push rdx
	push rsi
	push rdi
	push rbp
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	mov rdi, rsp
	and rsp, -16
	call x86_exception
.halt:
	cli
	hlt
	jmp .halt

align 16
x86_exception_stubs:
STUB_NOERR 0
STUB_NOERR 1
STUB_NOERR 2
STUB_NOERR 3
STUB_NOERR 4
STUB_NOERR 5
STUB_NOERR 6
STUB_NOERR 7
STUB_ERR   8
STUB_NOERR 9
STUB_ERR   10
STUB_ERR   11
STUB_ERR   12
STUB_ERR   13
STUB_ERR   14
STUB_NOERR 15
STUB_NOERR 16
STUB_ERR   17
STUB_NOERR 18
STUB_NOERR 19
STUB_NOERR 20
STUB_ERR   21
STUB_NOERR 22
STUB_NOERR 23
STUB_NOERR 24
STUB_NOERR 25
STUB_NOERR 26
STUB_NOERR 27
STUB_NOERR 28
STUB_ERR   29
STUB_ERR   30
STUB_NOERR 31

; Stub addresses for the IDT, in vector order.
section .rodata
global x86_exception_stub_table
x86_exception_stub_table:
%assign i 0
%rep 32
	dq x86_stub_%[i]
%assign i i+1
%endrep

; Load the GDT and reload every segment register (far return for CS).
section .text
global x86_load_gdt
x86_load_gdt:                   ; rdi = gdtr, rsi = code sel, rdx = data sel
	lgdt [rdi]
	mov ds, dx
	mov es, dx
	mov ss, dx
	xor eax, eax
	mov fs, ax
	mov gs, ax
	pop rax
	push rsi
	push rax
	retfq
