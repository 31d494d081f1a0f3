/* exclusive: LDXR/STXR of every size succeeding (status 0), STXR failing
 * (status 1, memory unchanged) after CLREX or with no LDXR, LDAXR/STLXR,
 * LDXP/STXP and LDAXP/STLXP (X and W), LDAR/STLR of every size, an atomic
 * increment loop, and the barriers DMB/DSB/ISB. The MMU is off, so these
 * are exclusives to Device memory; QEMU and hvsim use one global monitor. */
#include "fw.h"

static u64 mem[8] __attribute__((aligned(16)));

int main(void) {
  u64 old, st, v;
  mem[0] = 0x1122334455667788;
  __asm__ volatile("ldxr %0, [%3]\n\tstxr %w1, %4, [%3]\n\tldr %2, [%3]"
                   : "=&r"(old), "=&r"(st), "=&r"(v) : "r"(&mem[0]), "r"(0xaUL) : "memory");
  check("ldxr x", old, 0x1122334455667788);
  check("stxr x status", st, 0);
  check("stxr x mem", v, 0xa);

  __asm__ volatile("ldxr %0, [%3]\n\tclrex\n\tstxr %w1, %4, [%3]\n\tldr %2, [%3]"
                   : "=&r"(old), "=&r"(st), "=&r"(v) : "r"(&mem[0]), "r"(0xbUL) : "memory");
  check("clrex: stxr status", st, 1);
  check("clrex: mem unchanged", v, 0xa);
  __asm__ volatile("clrex\n\tstxr %w0, %2, [%3]\n\tldr %1, [%3]"
                   : "=&r"(st), "=&r"(v) : "r"(0xcUL), "r"(&mem[0]) : "memory");
  check("no ldxr: stxr status", st, 1);
  check("no ldxr: mem unchanged", v, 0xa);
  /* A second STXR after a successful one fails: the monitor is open. */
  __asm__ volatile("ldxr %0, [%3]\n\tstxr %w1, %4, [%3]\n\tstxr %w2, %5, [%3]"
                   : "=&r"(old), "=&r"(st), "=&r"(v) : "r"(&mem[0]), "r"(0xdUL), "r"(0xeUL)
                   : "memory");
  check("stxr twice: 1st status", st, 0);
  check("stxr twice: 2nd status", v, 1);
  check("stxr twice: mem", mem[0], 0xd);

  mem[1] = 0xffffffff80808080;
  __asm__ volatile("ldxrb %w0, [%2]\n\tstxrb %w1, %w3, [%2]"
                   : "=&r"(old), "=&r"(st) : "r"((u8 *)&mem[1] + 3), "r"(0x1234UL) : "memory");
  check("ldxrb", old, 0x80);
  check("stxrb status", st, 0);
  __asm__ volatile("ldxrh %w0, [%2]\n\tstxrh %w1, %w3, [%2]"
                   : "=&r"(old), "=&r"(st) : "r"((u16 *)&mem[1] + 2), "r"(0x5678aUL) : "memory");
  check("ldxrh", old, 0xffff);
  check("stxrh status", st, 0);
  __asm__ volatile("ldaxr %w0, [%2]\n\tstlxr %w1, %w3, [%2]"
                   : "=&r"(old), "=&r"(st) : "r"(&mem[1]), "r"(0x9abcdef0UL) : "memory");
  check("ldaxr w", old, 0x34808080);
  check("stlxr w status", st, 0);
  check("byte/half/word exclusives mem", mem[1], 0xffff678a9abcdef0);
  __asm__ volatile("ldaxrb %w0, [%2]\n\tstlxrb %w1, %w0, [%2]"
                   : "=&r"(old), "=&r"(st) : "r"(&mem[1]) : "memory");
  check("ldaxrb", old, 0xf0);
  check("stlxrb status", st, 0);
  __asm__ volatile("ldaxrh %w0, [%2]\n\tstlxrh %w1, %w0, [%2]"
                   : "=&r"(old), "=&r"(st) : "r"(&mem[1]) : "memory");
  check("ldaxrh", old, 0xdef0);
  check("stlxrh status", st, 0);

  /* Pairs. */
  mem[2] = 0x0102030405060708;
  mem[3] = 0x1112131415161718;
  u64 lo, hi;
  __asm__ volatile("ldxp %0, %1, [%3]\n\tstxp %w2, %1, %0, [%3]"
                   : "=&r"(lo), "=&r"(hi), "=&r"(st) : "r"(&mem[2]) : "memory");
  check("ldxp lo", lo, 0x0102030405060708);
  check("ldxp hi", hi, 0x1112131415161718);
  check("stxp status", st, 0);
  check("stxp swapped lo", mem[2], 0x1112131415161718);
  check("stxp swapped hi", mem[3], 0x0102030405060708);
  __asm__ volatile("ldaxp %w0, %w1, [%3]\n\tstlxp %w2, %w1, %w0, [%3]"
                   : "=&r"(lo), "=&r"(hi), "=&r"(st) : "r"(&mem[2]) : "memory");
  check("ldaxp w lo", lo, 0x15161718);
  check("ldaxp w hi", hi, 0x11121314);
  check("stlxp w status", st, 0);
  check("stlxp w mem", mem[2], 0x1516171811121314);
  __asm__ volatile("ldaxp %0, %1, [%3]\n\tclrex\n\tstlxp %w2, %1, %0, [%3]"
                   : "=&r"(lo), "=&r"(hi), "=&r"(st) : "r"(&mem[2]) : "memory");
  check("stlxp after clrex status", st, 1);
  check("stlxp after clrex mem", mem[2], 0x1516171811121314);

  /* Load-acquire / store-release. */
  mem[4] = 0x8899aabbccddeeff;
  __asm__ volatile("ldar %0, [%1]" : "=r"(v) : "r"(&mem[4]) : "memory");
  check("ldar x", v, 0x8899aabbccddeeff);
  __asm__ volatile("ldar %w0, [%1]" : "=r"(v) : "r"(&mem[4]) : "memory");
  check("ldar w", v, 0xccddeeff);
  __asm__ volatile("ldarh %w0, [%1]" : "=r"(v) : "r"((u8 *)&mem[4] + 6) : "memory");
  check("ldarh", v, 0x8899);
  __asm__ volatile("ldarb %w0, [%1]" : "=r"(v) : "r"((u8 *)&mem[4] + 5) : "memory");
  check("ldarb", v, 0xaa);
  __asm__ volatile("stlr %2, [%0]\n\tstlr %w2, [%1]" : : "r"(&mem[5]), "r"(&mem[6]), "r"(0x0123456789abcdefUL) : "memory");
  __asm__ volatile("stlrh %w2, [%0]\n\tstlrb %w2, [%1]" : : "r"(&mem[7]), "r"((u8 *)&mem[7] + 2), "r"(0xfedcUL) : "memory");
  check("stlr x", mem[5], 0x0123456789abcdef);
  check("stlr w", mem[6], 0x89abcdef);
  check("stlrh/stlrb", mem[7], 0xdcfedc);

  /* Atomic increment loop. */
  mem[0] = 0;
  for (int i = 0; i < 1000; i++) {
    u64 t;
    u32 s;
    __asm__ volatile("1:\tldaxr %0, [%2]\n\tadd %0, %0, #3\n\tstlxr %w1, %0, [%2]\n\tcbnz %w1, 1b"
                     : "=&r"(t), "=&r"(s) : "r"(&mem[0]) : "memory");
  }
  check("atomic add loop", mem[0], 3000);
  __asm__ volatile("dmb ish\n\tdmb sy\n\tdmb oshld\n\tdsb sy\n\tdsb ishst\n\tisb" ::: "memory");
  check("barriers", 1, 1);
  return test_done();
}
