// SPDX-License-Identifier: MIT
/* The 16550 UART on COM1, polled (PC16550D data sheet register map). */
#include "arch/x86/cpu.h"
#include "arch/x86/uart.h"

#define UART_BASE	 0x3f8
#define UART_THR	 0 /* transmit holding (DLAB = 0) */
#define UART_RBR	 0 /* receive buffer (DLAB = 0) */
#define UART_DLL	 0 /* divisor latch low (DLAB = 1) */
#define UART_IER	 1 /* interrupt enable (DLAB = 0) */
#define UART_DLM	 1 /* divisor latch high (DLAB = 1) */
#define UART_FCR	 2 /* FIFO control */
#define UART_FCR_ENABLE	 0x01
#define UART_FCR_CLR_RX	 0x02
#define UART_FCR_CLR_TX	 0x04
#define UART_FCR_TRIG_14 0xc0
#define UART_LCR	 3 /* line control */
#define UART_LCR_8N1	 0x03
#define UART_LCR_DLAB	 0x80
#define UART_MCR	 4 /* modem control */
#define UART_MCR_DTR	 0x01
#define UART_MCR_RTS	 0x02
#define UART_MCR_OUT2	 0x08
#define UART_LSR	 5 /* line status */
#define UART_LSR_DR	 0x01
#define UART_LSR_THRE	 0x20

#define UART_CLOCK_DIV_115200 1 /* 1.8432 MHz / 16 / 115200 */
/* A UART that never drains must not hang the core: drop the byte. */
#define UART_TX_SPIN 1000000

void uart_init(void)
{
	outb(UART_BASE + UART_IER, 0);
	outb(UART_BASE + UART_LCR, UART_LCR_DLAB);
	outb(UART_BASE + UART_DLL, UART_CLOCK_DIV_115200);
	outb(UART_BASE + UART_DLM, 0);
	outb(UART_BASE + UART_LCR, UART_LCR_8N1);
	outb(UART_BASE + UART_FCR, UART_FCR_ENABLE | UART_FCR_CLR_RX |
					   UART_FCR_CLR_TX | UART_FCR_TRIG_14);
	outb(UART_BASE + UART_MCR, UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2);
}

void uart_putc(char c)
{
	for (int i = 0; i < UART_TX_SPIN; i++) {
		if (inb(UART_BASE + UART_LSR) & UART_LSR_THRE) {
			outb(UART_BASE + UART_THR, (uint8_t)c);
			return;
		}
		cpu_relax();
	}
}

int uart_getc(void)
{
	if (!(inb(UART_BASE + UART_LSR) & UART_LSR_DR))
		return -1;
	return inb(UART_BASE + UART_RBR);
}
