/* div: UDIV/SDIV 64 and 32 bit: truncation toward zero, division by zero
 * gives 0 (no exception), INT_MIN / -1 gives INT_MIN, remainder via MSUB. */
#include "fw.h"

#define DIV(name, insn, a, b, expect)                                         \
  do {                                                                        \
    u64 r;                                                                    \
    __asm__(insn : "=r"(r) : "r"((u64)(a)), "r"((u64)(b)));                   \
    check(name, r, expect);                                                   \
  } while (0)

/* Shift-and-subtract reference: no divide instruction involved. */
static u64 ref_udiv(u64 n, u64 d) {
  if (!d) return 0;
  u64 q = 0, r = 0;
  for (int i = 63; i >= 0; i--) {
    u64 carry = r >> 63; /* the shift below overflows */
    r = (r << 1) | ((n >> i) & 1);
    if (carry || r >= d) {
      r -= d;
      q |= 1UL << i;
    }
  }
  return q;
}

static u64 ref_sdiv(u64 n, u64 d, int bits) {
  u64 mask = bits == 64 ? ~0UL : 0xffffffffUL, sign = 1UL << (bits - 1);
  n &= mask;
  d &= mask;
  int nn = (n & sign) != 0, dn = (d & sign) != 0;
  u64 un = nn ? (-n & mask) : n, ud = dn ? (-d & mask) : d;
  u64 q = ref_udiv(un, ud);
  if (nn != dn) q = -q;
  return q & mask;
}

int main(void) {
  DIV("udiv 100/7", "udiv %0, %1, %2", 100, 7, 14);
  DIV("udiv max/1", "udiv %0, %1, %2", -1UL, 1, 0xffffffffffffffff);
  DIV("udiv max/max", "udiv %0, %1, %2", -1UL, -1UL, 1);
  DIV("udiv x/0", "udiv %0, %1, %2", 12345, 0, 0);
  DIV("udiv min/2", "udiv %0, %1, %2", 0x8000000000000000, 2, 0x4000000000000000);
  DIV("udiv 1/max", "udiv %0, %1, %2", 1, -1UL, 0);
  DIV("sdiv -100/7", "sdiv %0, %1, %2", -100L, 7, 0xfffffffffffffff2);
  DIV("sdiv 100/-7", "sdiv %0, %1, %2", 100, -7L, 0xfffffffffffffff2);
  DIV("sdiv -100/-7", "sdiv %0, %1, %2", -100L, -7L, 14);
  DIV("sdiv min/-1", "sdiv %0, %1, %2", 0x8000000000000000, -1L, 0x8000000000000000);
  DIV("sdiv min/1", "sdiv %0, %1, %2", 0x8000000000000000, 1, 0x8000000000000000);
  DIV("sdiv x/0", "sdiv %0, %1, %2", -5L, 0, 0);
  DIV("sdiv 7/100", "sdiv %0, %1, %2", 7, 100, 0);
  DIV("sdiv -7/100", "sdiv %0, %1, %2", -7L, 100, 0);
  DIV("sdiv max/min", "sdiv %0, %1, %2", 0x7fffffffffffffff, 0x8000000000000000, 0);
  DIV("sdiv min/min", "sdiv %0, %1, %2", 0x8000000000000000, 0x8000000000000000, 1);
  DIV("udiv w", "udiv %w0, %w1, %w2", 0xffffffff, 2, 0x7fffffff);
  DIV("udiv w hi", "udiv %w0, %w1, %w2", 0x1234567800000064, 0xffffffff00000007, 14);
  DIV("udiv w /0", "udiv %w0, %w1, %w2", 0xffffffff, 0xffffffff00000000, 0);
  DIV("sdiv w min/-1", "sdiv %w0, %w1, %w2", 0x80000000, 0xffffffff, 0x80000000);
  DIV("sdiv w -1/2", "sdiv %w0, %w1, %w2", 0xffffffff, 2, 0);
  DIV("sdiv w -9/2", "sdiv %w0, %w1, %w2", 0xfffffff7, 2, 0xfffffffc);
  DIV("sdiv w /0", "sdiv %w0, %w1, %w2", 0x80000000, 0, 0);
  DIV("sdiv w hi", "sdiv %w0, %w1, %w2", 0x00000000fffffff7, 0x1111111100000002, 0xfffffffc);
  u64 q, rem;
  __asm__("sdiv %0, %2, %3\n\tmsub %1, %0, %3, %2"
          : "=&r"(q), "=r"(rem) : "r"(-100L), "r"(7L));
  check("sdiv/msub rem -100%7", rem, 0xfffffffffffffffe);
  __asm__("udiv %0, %2, %3\n\tmsub %1, %0, %3, %2"
          : "=&r"(q), "=r"(rem) : "r"(1000003UL), "r"(1000UL));
  check("udiv/msub rem", rem, 3);

  u64 h = 0;
  int bad = 0;
  for (int i = 0; i < 2000; i++) {
    u64 a = rand_operand(), b = rand_operand(), r, e;
    if (i & 16) b >>= (rand64() & 63);
    switch (i & 3) {
    case 0: __asm__("udiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); e = ref_udiv(a, b); break;
    case 1: __asm__("sdiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); e = ref_sdiv(a, b, 64); break;
    case 2: __asm__("udiv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b));
      e = ref_udiv(a & 0xffffffff, b & 0xffffffff); break;
    default: __asm__("sdiv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b)); e = ref_sdiv(a, b, 32); break;
    }
    if (r != e && bad++ < 5)
      printf("random op %d: a=%016lx b=%016lx got %016lx want %016lx\n", i & 3, a, b, r, e);
    h = mix64(h, r);
  }
  check("random mismatches", (u64)bad, 0);
  show("random checksum", h);
  return test_done();
}
