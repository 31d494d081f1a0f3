/* bitops: CLZ, CLS, RBIT, REV, REV16, REV32 in 64- and 32-bit forms. */
#include "fw.h"

#define OP1(name, insn, a, expect)                                            \
  do {                                                                        \
    u64 r;                                                                    \
    __asm__(insn : "=r"(r) : "r"((u64)(a)));                                  \
    check(name, r, expect);                                                   \
  } while (0)

static u64 ref_clz(u64 a, int bits) {
  int n = 0;
  for (int i = bits - 1; i >= 0 && !((a >> i) & 1); i--) n++;
  return (u64)n;
}

static u64 ref_cls(u64 a, int bits) {
  u64 top = (a >> (bits - 1)) & 1;
  int n = 0;
  for (int i = bits - 2; i >= 0 && ((a >> i) & 1) == top; i--) n++;
  return (u64)n;
}

static u64 ref_rbit(u64 a, int bits) {
  u64 r = 0;
  for (int i = 0; i < bits; i++) r |= ((a >> i) & 1) << (bits - 1 - i);
  return r;
}

/* Reverse the bytes inside each chunk of `chunk` bytes of a `bits` value. */
static u64 ref_rev(u64 a, int bits, int chunk) {
  u64 r = 0;
  for (int i = 0; i < bits / 8; i++) {
    int base = i / chunk * chunk, j = base + (chunk - 1 - (i - base));
    r |= ((a >> (8 * i)) & 0xff) << (8 * j);
  }
  return r;
}

int main(void) {
  OP1("clz 0", "clz %0, %1", 0, 64);
  OP1("clz 1", "clz %0, %1", 1, 63);
  OP1("clz min", "clz %0, %1", 0x8000000000000000, 0);
  OP1("clz 00f0..", "clz %0, %1", 0x00f0000000000000, 8);
  OP1("clz w 0", "clz %w0, %w1", 0xffffffff00000000, 32);
  OP1("clz w", "clz %w0, %w1", 0x00010000, 15);
  OP1("cls 0", "cls %0, %1", 0, 63);
  OP1("cls -1", "cls %0, %1", -1UL, 63);
  OP1("cls min", "cls %0, %1", 0x8000000000000000, 0);
  OP1("cls 4000..", "cls %0, %1", 0x4000000000000000, 0);
  OP1("cls 2000..", "cls %0, %1", 0x2000000000000000, 1);
  OP1("cls c000..", "cls %0, %1", 0xc000000000000000, 1);
  OP1("cls ffff00..", "cls %0, %1", 0xffff000000000000, 15);
  OP1("cls w 0", "cls %w0, %w1", 0, 31);
  OP1("cls w -1", "cls %w0, %w1", 0xffffffff, 31);
  OP1("cls w 00ffffff", "cls %w0, %w1", 0x00ffffff, 7);
  OP1("cls w hi", "cls %w0, %w1", 0xffffffff00000001, 30);
  OP1("rbit 1", "rbit %0, %1", 1, 0x8000000000000000);
  OP1("rbit", "rbit %0, %1", 0x123456789abcdef0, 0x0f7b3d591e6a2c48);
  OP1("rbit w 1", "rbit %w0, %w1", 1, 0x80000000);
  OP1("rbit w", "rbit %w0, %w1", 0xffffffff12345678, 0x1e6a2c48);
  OP1("rev", "rev %0, %1", 0x123456789abcdef0, 0xf0debc9a78563412);
  OP1("rev16", "rev16 %0, %1", 0x123456789abcdef0, 0x34127856bc9af0de);
  OP1("rev32", "rev32 %0, %1", 0x123456789abcdef0, 0x78563412f0debc9a);
  OP1("rev w", "rev %w0, %w1", 0xffffffff12345678, 0x78563412);
  OP1("rev16 w", "rev16 %w0, %w1", 0xffffffff12345678, 0x34127856);

  u64 h = 0;
  int bad = 0;
  for (int i = 0; i < 3000; i++) {
    u64 a = rand_operand(), r, e;
    switch (i % 10) {
    case 0: __asm__("clz %0, %1" : "=r"(r) : "r"(a)); e = ref_clz(a, 64); break;
    case 1: __asm__("clz %w0, %w1" : "=r"(r) : "r"(a)); e = ref_clz(a & 0xffffffff, 32); break;
    case 2: __asm__("cls %0, %1" : "=r"(r) : "r"(a)); e = ref_cls(a, 64); break;
    case 3: __asm__("cls %w0, %w1" : "=r"(r) : "r"(a)); e = ref_cls(a & 0xffffffff, 32); break;
    case 4: __asm__("rbit %0, %1" : "=r"(r) : "r"(a)); e = ref_rbit(a, 64); break;
    case 5: __asm__("rbit %w0, %w1" : "=r"(r) : "r"(a)); e = ref_rbit(a & 0xffffffff, 32); break;
    case 6: __asm__("rev %0, %1" : "=r"(r) : "r"(a)); e = ref_rev(a, 64, 8); break;
    case 7: __asm__("rev32 %0, %1" : "=r"(r) : "r"(a)); e = ref_rev(a, 64, 4); break;
    case 8: __asm__("rev16 %0, %1" : "=r"(r) : "r"(a)); e = ref_rev(a, 64, 2); break;
    default: __asm__("rev %w0, %w1" : "=r"(r) : "r"(a)); e = ref_rev(a & 0xffffffff, 32, 4); break;
    }
    if (r != e && bad++ < 5)
      printf("random op %d: a=%016lx got %016lx want %016lx\n", i % 10, a, r, e);
    h = mix64(h, r);
  }
  check("random mismatches", (u64)bad, 0);
  show("random checksum", h);
  return test_done();
}
