/* mul: MADD/MSUB/MUL/MNEG, SMADDL/SMSUBL/UMADDL/UMSUBL/SMULL/UMULL/SMNEGL/
 * UMNEGL, SMULH/UMULH; 32-bit forms ignore the upper halves of sources. */
#include "fw.h"

#define OP3(name, insn, a, b, c, expect)                                      \
  do {                                                                        \
    u64 r;                                                                    \
    __asm__(insn : "=r"(r) : "r"((u64)(a)), "r"((u64)(b)), "r"((u64)(c)));     \
    check(name, r, expect);                                                   \
  } while (0)

/* 64x64->128 reference from 32-bit halves. */
static void mul128(u64 a, u64 b, u64 *hi, u64 *lo) {
  u64 al = a & 0xffffffff, ah = a >> 32, bl = b & 0xffffffff, bh = b >> 32;
  u64 ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
  u64 mid = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
  *lo = (ll & 0xffffffff) | (mid << 32);
  *hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

static u64 ref_smulh(u64 a, u64 b) {
  u64 hi, lo;
  mul128(a, b, &hi, &lo);
  if ((s64)a < 0) hi -= b;
  if ((s64)b < 0) hi -= a;
  return hi;
}

static u64 ref_umulh(u64 a, u64 b) {
  u64 hi, lo;
  mul128(a, b, &hi, &lo);
  return hi;
}

int main(void) {
  OP3("madd", "madd %0, %1, %2, %3", 7, 6, 100, 142);
  OP3("msub", "msub %0, %1, %2, %3", 7, 6, 100, 58);
  OP3("msub neg", "msub %0, %1, %2, %3", 7, 6, 0, 0xffffffffffffffd6);
  OP3("mul", "mul %0, %1, %2", -1UL, 2, 0, 0xfffffffffffffffe);
  OP3("mul wrap", "mul %0, %1, %2", 0x100000000, 0x100000000, 0, 0);
  OP3("mul big", "mul %0, %1, %2", 0x123456789abcdef1, 0xfedcba987654321f, 0, 0x335b54a7dd7e112f);
  OP3("mneg", "mneg %0, %1, %2", 3, 4, 0, 0xfffffffffffffff4);
  OP3("madd w", "madd %w0, %w1, %w2, %w3", 0x10000, 0x10000, 5, 5);
  OP3("madd w hi", "madd %w0, %w1, %w2, %w3", 0xffffffff00000003, 0xffffffff00000005, 0xffffffff00000001, 16);
  OP3("msub w", "msub %w0, %w1, %w2, %w3", 2, 3, 1, 0xfffffffb);
  OP3("mul w", "mul %w0, %w1, %w2", 0xffffffff, 0xffffffff, 0, 1);
  OP3("smull", "smull %0, %w1, %w2", 0xfffffffe, 0x7fffffff, 0, 0xffffffff00000002);
  OP3("umull", "umull %0, %w1, %w2", 0xfffffffe, 0x7fffffff, 0, 0x7ffffffe00000002);
  OP3("smull hi", "smull %0, %w1, %w2", 0x12345678fffffffe, 0xabcdef0100000003, 0, 0xfffffffffffffffa);
  OP3("smaddl", "smaddl %0, %w1, %w2, %3", 0xfffffffe, 0x7fffffff, 100, 0xffffffff00000066);
  OP3("smsubl", "smsubl %0, %w1, %w2, %3", 0xfffffffe, 0x7fffffff, 100, 0x100000062);
  OP3("umaddl", "umaddl %0, %w1, %w2, %3", 0xfffffffe, 0x7fffffff, 1, 0x7ffffffe00000003);
  OP3("umsubl", "umsubl %0, %w1, %w2, %3", 0xfffffffe, 0x7fffffff, 0, 0x80000001fffffffe);
  OP3("smnegl", "smnegl %0, %w1, %w2", 0xfffffffe, 3, 0, 6);
  OP3("umnegl", "umnegl %0, %w1, %w2", 0xffffffff, 2, 0, 0xfffffffe00000002);
  OP3("smull min", "smull %0, %w1, %w2", 0x80000000, 0x80000000, 0, 0x4000000000000000);
  OP3("umull max", "umull %0, %w1, %w2", 0xffffffff, 0xffffffff, 0, 0xfffffffe00000001);
  OP3("smulh -1*-1", "smulh %0, %1, %2", -1UL, -1UL, 0, 0);
  OP3("smulh min*min", "smulh %0, %1, %2", 0x8000000000000000, 0x8000000000000000, 0, 0x4000000000000000);
  OP3("smulh -1*2", "smulh %0, %1, %2", -1UL, 2, 0, 0xffffffffffffffff);
  OP3("smulh max*max", "smulh %0, %1, %2", 0x7fffffffffffffff, 0x7fffffffffffffff, 0, 0x3fffffffffffffff);
  OP3("smulh min*max", "smulh %0, %1, %2", 0x8000000000000000, 0x7fffffffffffffff, 0, 0xc000000000000000);
  OP3("umulh max*max", "umulh %0, %1, %2", -1UL, -1UL, 0, 0xfffffffffffffffe);
  OP3("umulh min*2", "umulh %0, %1, %2", 0x8000000000000000, 2, 0, 1);
  OP3("umulh small", "umulh %0, %1, %2", 0xffffffff, 0xffffffff, 0, 0);

  u64 h = 0;
  int bad = 0;
  for (int i = 0; i < 3000; i++) {
    u64 a = rand_operand(), b = rand_operand(), c = rand_operand(), r, e;
    switch (i % 6) {
    case 0: __asm__("umulh %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); e = ref_umulh(a, b); break;
    case 1: __asm__("smulh %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); e = ref_smulh(a, b); break;
    case 2: {
      u64 hi;
      __asm__("madd %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(c));
      mul128(a, b, &hi, &e);
      e += c;
      break;
    }
    case 3: {
      u64 hi;
      __asm__("msub %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(c));
      mul128(a, b, &hi, &e);
      e = c - e;
      break;
    }
    case 4: {
      u64 hi;
      __asm__("smaddl %0, %w1, %w2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(c));
      mul128((u64)(s64)(s32)a, (u64)(s64)(s32)b, &hi, &e);
      e += c;
      break;
    }
    default: {
      u64 hi;
      __asm__("umsubl %0, %w1, %w2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(c));
      mul128(a & 0xffffffff, b & 0xffffffff, &hi, &e);
      e = c - e;
      break;
    }
    }
    if (r != e && bad++ < 5)
      printf("random op %d: a=%016lx b=%016lx c=%016lx got %016lx want %016lx\n",
             i % 6, a, b, c, r, e);
    h = mix64(h, r);
  }
  check("random mismatches", (u64)bad, 0);
  show("random checksum", h);
  return test_done();
}
