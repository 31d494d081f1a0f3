/* hello: UART output, the printf formats the other tests rely on, the entry
 * EL, and the boot state start.S sets up. */
#include "fw.h"

static void fmt(const char *name, const char *expected, const char *f, ...) {
  char buf[96];
  va_list ap;
  va_start(ap, f);
  vsnprintf(buf, sizeof(buf), f, ap);
  va_end(ap);
  check_str(name, buf, expected);
}

int main(void) {
  printf("hello from hvsim firmware\n");
  check("CurrentEL", read_sysreg(CurrentEL), 2 << 2);
  check("SPSel", read_sysreg(SPSel), 1);
  check("DAIF", read_sysreg(DAIF), PSR_DAIF);
  check("SCTLR_EL2.M", read_sysreg(sctlr_el2) & 1, 0);
  check("VBAR_EL2", read_sysreg(vbar_el2), (u64)fw_vectors);
  check("VBAR_EL1", read_sysreg(vbar_el1), (u64)fw_vectors);
  check("HCR_EL2.RW", read_sysreg(hcr_el2) >> 31 & 1, 1);

  fmt("fmt.d", "-42 0 2147483647 -2147483648", "%d %d %d %d", -42, 0, 2147483647, (int)-2147483648);
  fmt("fmt.u", "4294967295 7", "%u %u", 4294967295u, 7u);
  fmt("fmt.ld", "-9223372036854775808 9223372036854775807", "%ld %ld",
      (long)(-9223372036854775807L - 1), 9223372036854775807L);
  fmt("fmt.lu", "18446744073709551615", "%lu", 18446744073709551615UL);
  fmt("fmt.x", "deadbeef DEADBEEF 0", "%x %X %x", 0xdeadbeefu, 0xdeadbeefu, 0u);
  fmt("fmt.lx", "123456789abcdef0", "%lx", 0x123456789abcdef0UL);
  fmt("fmt.016lx", "00000000000000ff", "%016lx", 0xffUL);
  fmt("fmt.08x", "0000abcd", "%08x", 0xabcdu);
  fmt("fmt.width", "[   42][42   ][-0042]", "[%5d][%-5d][%05d]", 42, 42, -42);
  fmt("fmt.s", "[abc][  abc][abc  ]", "[%s][%5s][%-5s]", "abc", "abc", "abc");
  fmt("fmt.c", "x%y", "%c%%%c", 'x', 'y');
  char small[8];
  int n = snprintf(small, sizeof(small), "%s", "truncated output");
  check("snprintf.len", (u64)n, 16);
  check_str("snprintf.buf", small, "truncat");

  /* Every byte value the UART may see in a transcript line. */
  for (int c = ' '; c < 127; c++) uart_putc((char)c);
  uart_putc('\n');
  return test_done();
}
