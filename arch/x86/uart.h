/* SPDX-License-Identifier: MIT */
#ifndef ARCH_X86_UART_H
#define ARCH_X86_UART_H

/* COM1 at 115200 8N1, FIFOs on, interrupts off. */
void uart_init(void);
/* Send one byte (dropped if the transmitter stays busy). */
void uart_putc(char c);
/* Next received byte, or -1 when none is waiting. */
int uart_getc(void);

#endif
