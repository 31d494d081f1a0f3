/* movwide: MOVZ/MOVN/MOVK with every shift, 32-bit forms zeroing the upper
 * half, and PC-relative ADR/ADRP (checked against absolute addresses the
 * linker put in literal pools). */
#include "fw.h"

extern char _start[];

#define MOV1(name, insn, expect)                                              \
  do {                                                                        \
    u64 r;                                                                    \
    __asm__(insn : "=r"(r));                                                  \
    check(name, r, expect);                                                   \
  } while (0)

#define MOVK(name, insn, init, expect)                                        \
  do {                                                                        \
    u64 r = (init);                                                           \
    __asm__(insn : "+r"(r));                                                  \
    check(name, r, expect);                                                   \
  } while (0)

static char page_obj[4096] __attribute__((aligned(4096)));

int main(void) {
  MOV1("movz lsl0", "movz %0, #0xbeef", 0xbeef);
  MOV1("movz lsl16", "movz %0, #0xbeef, lsl #16", 0xbeef0000);
  MOV1("movz lsl32", "movz %0, #0xbeef, lsl #32", 0xbeef00000000);
  MOV1("movz lsl48", "movz %0, #0x1234, lsl #48", 0x1234000000000000);
  MOV1("movz w lsl16", "movz %w0, #0xffff, lsl #16", 0xffff0000);
  MOV1("movn lsl0", "movn %0, #0", 0xffffffffffffffff);
  MOV1("movn lsl16", "movn %0, #0x1234, lsl #16", 0xffffffffedcbffff);
  MOV1("movn lsl48", "movn %0, #0x8000, lsl #48", 0x7fffffffffffffff);
  MOV1("movn w", "movn %w0, #0x1234", 0xffffedcb);
  MOV1("movn w 0", "movn %w0, #0", 0xffffffff);
  MOV1("movn w lsl16", "movn %w0, #0x8000, lsl #16", 0x7fffffff);
  MOVK("movk lsl0", "movk %0, #0xbeef", 0x1111111111111111, 0x111111111111beef);
  MOVK("movk lsl32", "movk %0, #0xbeef, lsl #32", 0x1111111111111111, 0x1111beef11111111);
  MOVK("movk lsl48", "movk %0, #0, lsl #48", 0xffffffffffffffff, 0x0000ffffffffffff);
  MOVK("movk w lsl16", "movk %w0, #0xabcd, lsl #16", 0xffffffffffffffff, 0xabcdffff);
  MOVK("movk w lsl0", "movk %w0, #0x1", 0x1234567800000000, 0x1);
  MOV1("movz+movk x3", "movz %0, #0xdef0\n\tmovk %0, #0x9abc, lsl #16\n\t"
       "movk %0, #0x5678, lsl #32\n\tmovk %0, #0x1234, lsl #48", 0x123456789abcdef0);
  MOV1("mov (movn alias)", "mov %0, #-2", 0xfffffffffffffffe);
  MOV1("mov w (movz alias)", "mov %w0, #0x10000", 0x10000);

  /* ADR forward, backward and at odd byte offsets vs absolute addresses. */
  u64 adr_f, abs_f, adr_b, abs_b, adr_odd, here, adr_neg;
  __asm__ volatile("0:\n\t"
                   "adr %0, 1f\n\t"
                   "ldr %1, =1f\n\t"
                   "adr %2, 0b\n\t"
                   "ldr %3, =0b\n\t"
                   "adr %4, . + 3\n\t"
                   "adr %5, .\n\t"
                   "adr %6, . - 0x1001\n\t"
                   "1:\n\t"
                   : "=&r"(adr_f), "=&r"(abs_f), "=&r"(adr_b), "=&r"(abs_b),
                     "=&r"(adr_odd), "=&r"(here), "=&r"(adr_neg));
  check("adr fwd - abs", adr_f - abs_f, 0);
  check("adr back - abs", adr_b - abs_b, 0);
  check("adr fwd - back", adr_f - adr_b, 28);
  check("adr .+3 - .", adr_odd - (abs_b + 16), 3);
  check("adr . ", here - abs_b, 20);
  check("adr .-0x1001", abs_b + 24 - adr_neg, 0x1001);

  /* ADRP: 4 KiB page of the target, relative to the page of the PC. */
  u64 p1, a1, p2, pc;
  __asm__ volatile("adrp %0, page_obj\n\tldr %1, =page_obj\n\t"
                   "adrp %2, .\n\tadr %3, ."
                   : "=&r"(p1), "=&r"(a1), "=&r"(p2), "=&r"(pc));
  check("adrp page_obj", p1, a1);
  check("adrp page_obj aligned", p1 & 0xfff, 0);
  check("adrp . == pc & ~fff", p2, (pc - 4) & ~0xfffUL);
  u64 lo;
  __asm__ volatile("adrp %0, page_obj + 0x123\n\tadd %0, %0, :lo12:page_obj + 0x123"
                   : "=r"(lo));
  check("adrp+add lo12", lo - (u64)page_obj, 0x123);
  __asm__ volatile("adrp %0, _start" : "=r"(lo));
  check("adrp _start", lo, (u64)_start & ~0xfffUL);
  page_obj[0] = 1;
  return test_done();
}
