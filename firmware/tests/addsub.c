/* addsub: ADD/SUB (immediate, shifted register, extended register), ADDS/
 * SUBS/CMP/CMN flags at the carry and overflow edges, ADC/SBC/ADCS/SBCS,
 * NEG/NEGS/NGC, 32-bit forms, SP as operand. */
#include "fw.h"

/* Flags-setting operations returning the result and NZCV (as 4 bits). */
#define FLAGOP(fn, insn, reg)                                                 \
  static u64 fn(u64 a, u64 b, u64 *f) {                                       \
    u64 r, n;                                                                 \
    __asm__ volatile(insn " %" reg "0, %" reg "2, %" reg "3\n\tmrs %1, nzcv"  \
                     : "=&r"(r), "=r"(n)                                      \
                     : "r"(a), "r"(b)                                         \
                     : "cc");                                                 \
    *f = n >> 28;                                                             \
    return r;                                                                 \
  }
FLAGOP(adds_x, "adds", "x")
FLAGOP(subs_x, "subs", "x")
FLAGOP(adds_w, "adds", "w")
FLAGOP(subs_w, "subs", "w")

/* Carry-in operations: flags in = cin (4 bits). */
#define CARRYOP(fn, insn, reg)                                                \
  static u64 fn(u64 a, u64 b, u64 cin, u64 *f) {                              \
    u64 r, n;                                                                 \
    __asm__ volatile("msr nzcv, %4\n\t" insn " %" reg "0, %" reg "2, %" reg   \
                     "3\n\tmrs %1, nzcv"                                      \
                     : "=&r"(r), "=&r"(n)                                     \
                     : "r"(a), "r"(b), "r"(cin << 28)                         \
                     : "cc");                                                 \
    *f = n >> 28;                                                             \
    return r;                                                                 \
  }
CARRYOP(adcs_x, "adcs", "x")
CARRYOP(sbcs_x, "sbcs", "x")
CARRYOP(adcs_w, "adcs", "w")
CARRYOP(sbcs_w, "sbcs", "w")
CARRYOP(adc_x, "adc", "x")
CARRYOP(sbc_w, "sbc", "w")

struct flag_case {
  u64 a, b, r, nzcv;
};

static void run_cases(const char *op, u64 (*fn)(u64, u64, u64 *),
                      const struct flag_case *c, int n) {
  for (int i = 0; i < n; i++) {
    u64 f;
    u64 r = fn(c[i].a, c[i].b, &f);
    checkf(r, c[i].r, "%s %lx,%lx", op, c[i].a, c[i].b);
    checkf(f, c[i].nzcv, "%s %lx,%lx nzcv", op, c[i].a, c[i].b);
  }
}

static const struct flag_case adds64[] = {
    {0, 0, 0, NZCV(0, 1, 0, 0)},
    {1, 2, 3, NZCV(0, 0, 0, 0)},
    {0xffffffffffffffff, 1, 0, NZCV(0, 1, 1, 0)},
    {0x7fffffffffffffff, 1, 0x8000000000000000, NZCV(1, 0, 0, 1)},
    {0x8000000000000000, 0x8000000000000000, 0, NZCV(0, 1, 1, 1)},
    {0xffffffffffffffff, 0xffffffffffffffff, 0xfffffffffffffffe, NZCV(1, 0, 1, 0)},
    {0x8000000000000000, 0xffffffffffffffff, 0x7fffffffffffffff, NZCV(0, 0, 1, 1)},
};
static const struct flag_case subs64[] = {
    {5, 5, 0, NZCV(0, 1, 1, 0)},
    {0, 1, 0xffffffffffffffff, NZCV(1, 0, 0, 0)},
    {0x8000000000000000, 1, 0x7fffffffffffffff, NZCV(0, 0, 1, 1)},
    {0x7fffffffffffffff, 0xffffffffffffffff, 0x8000000000000000, NZCV(1, 0, 0, 1)},
    {3, 5, 0xfffffffffffffffe, NZCV(1, 0, 0, 0)},
    {10, 3, 7, NZCV(0, 0, 1, 0)},
    {0, 0, 0, NZCV(0, 1, 1, 0)},
    {0, 0x8000000000000000, 0x8000000000000000, NZCV(1, 0, 0, 1)},
};
static const struct flag_case adds32[] = {
    {0xffffffff, 1, 0, NZCV(0, 1, 1, 0)},
    {0x7fffffff, 1, 0x80000000, NZCV(1, 0, 0, 1)},
    {0x80000000, 0x80000000, 0, NZCV(0, 1, 1, 1)},
    {0x1234567800000001, 0xffffffff00000002, 3, NZCV(0, 0, 0, 0)},
};
static const struct flag_case subs32[] = {
    {0, 1, 0xffffffff, NZCV(1, 0, 0, 0)},
    {0x80000000, 1, 0x7fffffff, NZCV(0, 0, 1, 1)},
    {0xffffffff00000007, 7, 0, NZCV(0, 1, 1, 0)},
};

static void immediates(void) {
  u64 r, f, x = 0x1000;
  __asm__ volatile("add %0, %1, #0xfff, lsl #12" : "=r"(r) : "r"(x));
  check("add #0xfff,lsl12", r, 0x1000 + 0xfff000);
  __asm__ volatile("sub %0, %1, #1" : "=r"(r) : "r"(0UL));
  check("sub 0-#1", r, 0xffffffffffffffff);
  __asm__ volatile("sub %w0, %w1, #1" : "=r"(r) : "r"(0UL));
  check("sub w 0-#1", r, 0xffffffff);
  __asm__ volatile("cmn %1, #1\n\tmrs %0, nzcv" : "=r"(f) : "r"(-1UL) : "cc");
  check("cmn -1,#1 nzcv", f >> 28, NZCV(0, 1, 1, 0));
  __asm__ volatile("cmp %1, #1, lsl #12\n\tmrs %0, nzcv" : "=r"(f) : "r"(0x1000UL) : "cc");
  check("cmp 0x1000,#1,lsl12 nzcv", f >> 28, NZCV(0, 1, 1, 0));
  __asm__ volatile("cmp %w1, #4095\n\tmrs %0, nzcv" : "=r"(f) : "r"(0xffffffff00000000UL) : "cc");
  check("cmp w 0,#4095 nzcv", f >> 28, NZCV(1, 0, 0, 0));
  __asm__ volatile("adds %0, %2, #0\n\tmrs %1, nzcv" : "=&r"(r), "=r"(f) : "r"(0x8000000000000000UL) : "cc");
  check("adds #0 nzcv", f >> 28, NZCV(1, 0, 0, 0));
  /* SP as source and destination of ADD/SUB (immediate). */
  u64 sp, sp2, sp3;
  __asm__ volatile("mov %0, sp\n\tadd %1, sp, #16\n\tsub sp, sp, #32\n\t"
                   "mov %2, sp\n\tadd sp, sp, #32"
                   : "=&r"(sp), "=&r"(sp2), "=&r"(sp3));
  check("add x,sp,#16", sp2 - sp, 16);
  check("sub sp,sp,#32", sp - sp3, 32);
}

static void shifted(void) {
  u64 r, f, one = 1, v = 0x8000000000000010;
  __asm__("add %0, %1, %2, lsl #4" : "=r"(r) : "r"(one), "r"(v));
  check("add lsl#4", r, 0x101);
  __asm__("add %0, %1, %2, lsr #4" : "=r"(r) : "r"(one), "r"(v));
  check("add lsr#4", r, 0x0800000000000002);
  __asm__("add %0, %1, %2, asr #4" : "=r"(r) : "r"(one), "r"(v));
  check("add asr#4", r, 0xf800000000000002);
  __asm__("sub %0, %1, %2, asr #63" : "=r"(r) : "r"(one), "r"(v));
  check("sub asr#63", r, 2);
  __asm__("add %w0, %w1, %w2, lsl #31" : "=r"(r) : "r"(one), "r"(3UL));
  check("add w lsl#31", r, 0x80000001);
  __asm__("sub %w0, %w1, %w2, lsr #31" : "=r"(r) : "r"(0UL), "r"(0x80000000UL));
  check("sub w lsr#31", r, 0xffffffff);
  __asm__("neg %0, %1" : "=r"(r) : "r"(v));
  check("neg", r, 0x7ffffffffffffff0);
  __asm__("neg %w0, %w1" : "=r"(r) : "r"(1UL));
  check("neg w", r, 0xffffffff);
  __asm__ volatile("negs %0, %2\n\tmrs %1, nzcv" : "=&r"(r), "=r"(f) : "r"(0x8000000000000000UL) : "cc");
  check("negs minint", r, 0x8000000000000000);
  check("negs minint nzcv", f >> 28, NZCV(1, 0, 0, 1));
  __asm__ volatile("negs %0, %2\n\tmrs %1, nzcv" : "=&r"(r), "=r"(f) : "r"(0UL) : "cc");
  check("negs 0 nzcv", f >> 28, NZCV(0, 1, 1, 0));
  __asm__ volatile("subs %0, %2, %3, lsl #1\n\tmrs %1, nzcv" : "=&r"(r), "=r"(f) : "r"(4UL), "r"(2UL) : "cc");
  check("subs lsl#1 nzcv", f >> 28, NZCV(0, 1, 1, 0));
  __asm__ volatile("cmn %1, %2, asr #1\n\tmrs %0, nzcv" : "=r"(f) : "r"(1UL), "r"(-2UL) : "cc");
  check("cmn asr#1 nzcv", f >> 28, NZCV(0, 1, 1, 0));
}

static void extended(void) {
  u64 r, f, b = 0x1000, m = 0x8765c3a1;
#define EXT(name, insn, expect)                                           \
  __asm__(insn : "=r"(r) : "r"(b), "r"(m));                               \
  check(name, r, expect)
  EXT("add uxtb", "add %0, %1, %w2, uxtb", 0x10a1);
  EXT("add uxth", "add %0, %1, %w2, uxth", 0xd3a1);
  EXT("add uxtw", "add %0, %1, %w2, uxtw", 0x8765d3a1);
  EXT("add uxtx", "add %0, %1, %2, uxtx", 0x8765d3a1);
  EXT("add sxtb", "add %0, %1, %w2, sxtb", 0xfa1);
  EXT("add sxth", "add %0, %1, %w2, sxth", 0xffffffffffffd3a1);
  EXT("add sxtw", "add %0, %1, %w2, sxtw", 0xffffffff8765d3a1);
  EXT("add sxtx", "add %0, %1, %2, sxtx", 0x8765d3a1);
  EXT("add sxtb#3", "add %0, %1, %w2, sxtb #3", 0xd08);
  EXT("add uxtw#2", "add %0, %1, %w2, uxtw #2", 0x21d971e84);
  EXT("add sxtw#4", "add %0, %1, %w2, sxtw #4", 0xfffffff8765c4a10);
  EXT("sub uxtb", "sub %0, %1, %w2, uxtb", 0xf5f);
  EXT("sub sxth#1", "sub %0, %1, %w2, sxth #1", 0x88be);
  EXT("add w sxtb", "add %w0, %w1, %w2, sxtb", 0xfa1);
  EXT("add w uxth#4", "add %w0, %w1, %w2, uxth #4", 0xc3a10 + 0x1000);
#undef EXT
  __asm__ volatile("subs %0, %2, %w3, uxtb\n\tmrs %1, nzcv" : "=&r"(r), "=r"(f) : "r"(b), "r"(m) : "cc");
  check("subs uxtb", r, 0xf5f);
  check("subs uxtb nzcv", f >> 28, NZCV(0, 0, 1, 0));
  __asm__ volatile("cmp %1, %w2, sxtw\n\tmrs %0, nzcv" : "=r"(f) : "r"(0xffffffff8765c3a1UL), "r"(m) : "cc");
  check("cmp sxtw nzcv", f >> 28, NZCV(0, 1, 1, 0));
  /* With SP as the first operand the extended form is the only one. */
  u64 sp, r2;
  __asm__ volatile("mov %0, sp\n\tadd %1, sp, %2, lsl #3" : "=&r"(sp), "=r"(r2) : "r"(2UL));
  check("add sp,x,lsl#3", r2 - sp, 16);
}

static void carries(void) {
  u64 f, r;
  r = adcs_x(0xffffffffffffffff, 0, NZCV(0, 0, 1, 0), &f);
  check("adcs -1+0+1", r, 0);
  check("adcs -1+0+1 nzcv", f, NZCV(0, 1, 1, 0));
  r = adcs_x(0x7fffffffffffffff, 0, NZCV(0, 0, 1, 0), &f);
  check("adcs max+0+1", r, 0x8000000000000000);
  check("adcs max+0+1 nzcv", f, NZCV(1, 0, 0, 1));
  r = adcs_x(5, 6, NZCV(1, 1, 0, 1), &f);
  check("adcs 5+6+0", r, 11);
  check("adcs 5+6+0 nzcv", f, NZCV(0, 0, 0, 0));
  r = adc_x(5, 6, NZCV(0, 0, 1, 0), &f);
  check("adc 5+6+1", r, 12);
  check("adc keeps nzcv", f, NZCV(0, 0, 1, 0));
  r = sbcs_x(5, 3, NZCV(0, 0, 1, 0), &f);
  check("sbcs 5-3 c1", r, 2);
  check("sbcs 5-3 c1 nzcv", f, NZCV(0, 0, 1, 0));
  r = sbcs_x(5, 5, NZCV(0, 0, 0, 0), &f);
  check("sbcs 5-5 c0", r, 0xffffffffffffffff);
  check("sbcs 5-5 c0 nzcv", f, NZCV(1, 0, 0, 0));
  r = sbcs_x(0, 0, NZCV(0, 0, 1, 0), &f);
  check("sbcs 0-0 c1 nzcv", f, NZCV(0, 1, 1, 0));
  r = sbcs_x(0x8000000000000000, 0, NZCV(0, 0, 0, 0), &f);
  check("sbcs min-0-1", r, 0x7fffffffffffffff);
  check("sbcs min-0-1 nzcv", f, NZCV(0, 0, 1, 1));
  r = adcs_w(0xffffffff, 0xffffffff, NZCV(0, 0, 1, 0), &f);
  check("adcs w", r, 0xffffffff);
  check("adcs w nzcv", f, NZCV(1, 0, 1, 0));
  r = sbcs_w(0x80000000, 0, NZCV(0, 0, 0, 0), &f);
  check("sbcs w", r, 0x7fffffff);
  check("sbcs w nzcv", f, NZCV(0, 0, 1, 1));
  r = sbc_w(0, 0, NZCV(0, 0, 0, 0), &f);
  check("sbc w 0-0-1", r, 0xffffffff);
  u64 nz;
  __asm__ volatile("msr nzcv, %2\n\tngc %0, %3\n\tngcs %1, %3"
                   : "=&r"(r), "=&r"(nz) : "r"(PSR_C), "r"(5UL) : "cc");
  check("ngc c1", r, 0xfffffffffffffffb);
  check("ngcs c1", nz, 0xfffffffffffffffb);
}

/* Reference flags, straight from the AddWithCarry() definition. */
static u64 ref_add(u64 a, u64 b, u64 c, int bits, u64 *f) {
  u64 mask = bits == 64 ? ~0UL : 0xffffffffUL;
  a &= mask;
  b &= mask;
  u64 r = (a + b + c) & mask;
  u64 carry = bits == 64 ? (r < a || (c && r == a)) : ((a + b + c) >> 32) & 1;
  u64 sign = bits - 1;
  u64 v = ((~(a ^ b) & (a ^ r)) >> sign) & 1;
  *f = NZCV((r >> sign) & 1, r == 0, carry, v);
  return r;
}

static void random_cases(void) {
  u64 h = 0;
  int bad = 0;
  for (int i = 0; i < 4000; i++) {
    u64 a = rand_operand(), b = rand_operand(), c = rand64() & 1, f, rf, r, rr;
    switch (i & 7) {
    case 0: r = adds_x(a, b, &f); rr = ref_add(a, b, 0, 64, &rf); break;
    case 1: r = subs_x(a, b, &f); rr = ref_add(a, ~b, 1, 64, &rf); break;
    case 2: r = adds_w(a, b, &f); rr = ref_add(a, b, 0, 32, &rf); break;
    case 3: r = subs_w(a, b, &f); rr = ref_add(a, ~b, 1, 32, &rf); break;
    case 4: r = adcs_x(a, b, c << 1, &f); rr = ref_add(a, b, c, 64, &rf); break;
    case 5: r = sbcs_x(a, b, c << 1, &f); rr = ref_add(a, ~b, c, 64, &rf); break;
    case 6: r = adcs_w(a, b, c << 1, &f); rr = ref_add(a, b, c, 32, &rf); break;
    default: r = sbcs_w(a, b, c << 1, &f); rr = ref_add(a, ~b, c, 32, &rf); break;
    }
    if ((r != rr || f != rf) && bad++ < 5)
      printf("random case %d: a=%016lx b=%016lx c=%lu got %016lx/%lx want %016lx/%lx\n",
             i, a, b, c, r, f, rr, rf);
    h = mix64(h, r);
    h = mix64(h, f);
  }
  check("random mismatches", (u64)bad, 0);
  show("random checksum", h);
}

int main(void) {
  run_cases("adds", adds_x, adds64, sizeof(adds64) / sizeof(adds64[0]));
  run_cases("subs", subs_x, subs64, sizeof(subs64) / sizeof(subs64[0]));
  run_cases("adds w", adds_w, adds32, sizeof(adds32) / sizeof(adds32[0]));
  run_cases("subs w", subs_w, subs32, sizeof(subs32) / sizeof(subs32[0]));
  immediates();
  shifted();
  extended();
  carries();
  random_cases();
  return test_done();
}
