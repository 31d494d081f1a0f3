/* PL011 UART at 0x09000000 (QEMU virt and hvsim's virt platform), transmit
 * only. The UART needs no set-up on either: poll FR.TXFF, write DR. */
#include "fw.h"

#define UART_BASE 0x09000000UL
#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_TXFF (1u << 5)

/* Plain base-register forms (no writeback): emulable by a hypervisor. */
static inline u32 mmio_read32(u64 addr) {
  u32 v;
  __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
  return v;
}
static inline void mmio_write32(u64 addr, u32 v) { __asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(addr) : "memory"); }

void uart_putc(char c) {
  while (mmio_read32(UART_BASE + UART_FR) & UART_FR_TXFF) {
  }
  mmio_write32(UART_BASE + UART_DR, (u8)c);
}

void uart_puts(const char *s) {
  while (*s) uart_putc(*s++);
}
