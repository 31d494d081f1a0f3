/* condsel: CSEL/CSINC/CSINV/CSNEG and CCMP/CCMN (immediate and register)
 * for all 16 conditions (AL and NV both mean "always") under all 16 NZCV
 * values; the aliases CSET/CSETM/CINC/CINV/CNEG; 32-bit forms. */
#include "fw.h"

#define CONDS(X) X(eq) X(ne) X(cs) X(cc) X(mi) X(pl) X(vs) X(vc) \
                 X(hi) X(ls) X(ge) X(lt) X(gt) X(le) X(al) X(nv)

/* For each condition, bit i is set when it holds for NZCV == i. */
static const u16 cond_mask[16] = {
    0xf0f0, 0x0f0f, 0xcccc, 0x3333, 0xff00, 0x00ff, 0xaaaa, 0x5555,
    0x0c0c, 0xf3f3, 0xaa55, 0x55aa, 0x0a05, 0xf5fa, 0xffff, 0xffff};
static const char *const cond_name[16] = {
    "eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc",
    "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"};

#define SEL_FN(c)                                                              \
  static void sel_##c(u64 f, u64 a, u64 b, u64 *r) {                           \
    __asm__ volatile("msr nzcv, %4\n\t"                                         \
                     "csel %0, %5, %6, " #c "\n\t"                             \
                     "csinc %1, %5, %6, " #c "\n\t"                            \
                     "csinv %2, %5, %6, " #c "\n\t"                            \
                     "csneg %3, %5, %6, " #c                                   \
                     : "=&r"(r[0]), "=&r"(r[1]), "=&r"(r[2]), "=&r"(r[3])      \
                     : "r"(f << 28), "r"(a), "r"(b) : "cc");                   \
    __asm__ volatile("msr nzcv, %4\n\t"                                         \
                     "csel %w0, %w5, %w6, " #c "\n\t"                          \
                     "csinc %w1, %w5, %w6, " #c "\n\t"                         \
                     "csinv %w2, %w5, %w6, " #c "\n\t"                         \
                     "csneg %w3, %w5, %w6, " #c                                \
                     : "=&r"(r[4]), "=&r"(r[5]), "=&r"(r[6]), "=&r"(r[7])      \
                     : "r"(f << 28), "r"(a), "r"(b) : "cc");                   \
  }
CONDS(SEL_FN)

/* The four CCMP/CCMN flavours; returns the four resulting NZCV values. */
#define CCMP_FN(c)                                                             \
  static void ccmp_##c(u64 f, u64 *r) {                                        \
    u64 t0, t1, t2, t3;                                                        \
    __asm__ volatile("msr nzcv, %4\n\tccmp %5, %6, #0b1010, " #c "\n\tmrs %0, nzcv\n\t" \
                     "msr nzcv, %4\n\tccmp %5, #5, #0b0001, " #c "\n\tmrs %1, nzcv\n\t" \
                     "msr nzcv, %4\n\tccmn %7, %5, #0b1000, " #c "\n\tmrs %2, nzcv\n\t" \
                     "msr nzcv, %4\n\tccmn %w7, #3, #0b0100, " #c "\n\tmrs %3, nzcv" \
                     : "=&r"(t0), "=&r"(t1), "=&r"(t2), "=&r"(t3)              \
                     : "r"(f << 28), "r"(5UL), "r"(5UL), "r"(-5UL) : "cc");    \
    r[0] = t0 >> 28; r[1] = t1 >> 28; r[2] = t2 >> 28; r[3] = t3 >> 28;        \
  }
CONDS(CCMP_FN)

#define FN_REF(c) sel_##c,
static void (*const sel_fns[16])(u64, u64, u64, u64 *) = {CONDS(FN_REF)};
#undef FN_REF
#define FN_REF(c) ccmp_##c,
static void (*const ccmp_fns[16])(u64, u64 *) = {CONDS(FN_REF)};
#undef FN_REF

static void all_conditions(void) {
  const u64 a = 0x1111111122222222, b = 0x8000000000000005;
  for (int c = 0; c < 16; c++) {
    u64 mask = 0;
    int bad = 0;
    for (u64 f = 0; f < 16; f++) {
      u64 r[8], cc[4];
      int holds = (cond_mask[c] >> f) & 1;
      sel_fns[c](f, a, b, r);
      ccmp_fns[c](f, cc);
      mask |= (r[0] == a) << f;
      u64 want[8] = {holds ? a : b, holds ? a : b + 1, holds ? a : ~b, holds ? a : -b,
                     holds ? 0x22222222 : 0x00000005, holds ? 0x22222222 : 0x00000006,
                     holds ? 0x22222222 : 0xfffffffa, holds ? 0x22222222 : 0xfffffffb};
      /* 5-5: Z C; 5-#5: Z C; -5+5: Z C; w: -5+3 = -2: N. */
      u64 wantc[4] = {holds ? NZCV(0, 1, 1, 0) : 0xa, holds ? NZCV(0, 1, 1, 0) : 0x1,
                      holds ? NZCV(0, 1, 1, 0) : 0x8, holds ? NZCV(1, 0, 0, 0) : 0x4};
      for (int k = 0; k < 8; k++)
        if (r[k] != want[k] && bad++ < 3)
          printf("%s nzcv=%lx op %d: got %016lx want %016lx\n", cond_name[c], f, k, r[k], want[k]);
      for (int k = 0; k < 4; k++)
        if (cc[k] != wantc[k] && bad++ < 3)
          printf("%s nzcv=%lx ccmp %d: got %lx want %lx\n", cond_name[c], f, k, cc[k], wantc[k]);
    }
    checkf(mask, cond_mask[c], "csel %s mask", cond_name[c]);
    checkf((u64)bad, 0, "cond %s mismatches", cond_name[c]);
  }
}

static void aliases(void) {
  u64 r;
  __asm__ volatile("msr nzcv, %1\n\tcset %0, eq" : "=r"(r) : "r"(PSR_Z) : "cc");
  check("cset eq (Z)", r, 1);
  __asm__ volatile("msr nzcv, %1\n\tcset %0, eq" : "=r"(r) : "r"(0UL) : "cc");
  check("cset eq (!Z)", r, 0);
  __asm__ volatile("msr nzcv, %1\n\tcsetm %0, lt" : "=r"(r) : "r"(PSR_N) : "cc");
  check("csetm lt (N)", r, 0xffffffffffffffff);
  __asm__ volatile("msr nzcv, %1\n\tcsetm %w0, lt" : "=r"(r) : "r"(PSR_N) : "cc");
  check("csetm w lt (N)", r, 0xffffffff);
  __asm__ volatile("msr nzcv, %1\n\tcinc %0, %2, cs" : "=r"(r) : "r"(PSR_C), "r"(41UL) : "cc");
  check("cinc cs (C)", r, 42);
  __asm__ volatile("msr nzcv, %1\n\tcinc %0, %2, cs" : "=r"(r) : "r"(0UL), "r"(41UL) : "cc");
  check("cinc cs (!C)", r, 41);
  __asm__ volatile("msr nzcv, %1\n\tcinv %0, %2, hi" : "=r"(r) : "r"(PSR_C), "r"(0UL) : "cc");
  check("cinv hi (C)", r, 0xffffffffffffffff);
  __asm__ volatile("msr nzcv, %1\n\tcneg %0, %2, vs" : "=r"(r) : "r"(PSR_V), "r"(7UL) : "cc");
  check("cneg vs (V)", r, 0xfffffffffffffff9);
  __asm__ volatile("msr nzcv, %1\n\tcneg %w0, %w2, mi" : "=r"(r) : "r"(PSR_N), "r"(0x80000000UL) : "cc");
  check("cneg w mi min", r, 0x80000000);
  /* A typical use: absolute value and max without branches. */
  __asm__ volatile("cmp %1, #0\n\tcneg %0, %1, lt" : "=r"(r) : "r"(-12345L) : "cc");
  check("abs via cneg", r, 12345);
  __asm__ volatile("cmp %1, %2\n\tcsel %0, %1, %2, gt" : "=r"(r) : "r"(-3L), "r"(2L) : "cc");
  check("max via csel", r, 2);
  __asm__ volatile("cmp %1, %2\n\tcsel %0, %1, %2, hi" : "=r"(r) : "r"(-3L), "r"(2L) : "cc");
  check("umax via csel", r, 0xfffffffffffffffd);
  /* CCMP chains: (a == 1 && b == 2). */
  __asm__ volatile("cmp %1, #1\n\tccmp %2, #2, #0, eq\n\tcset %0, eq"
                   : "=r"(r) : "r"(1UL), "r"(2UL) : "cc");
  check("ccmp chain true", r, 1);
  __asm__ volatile("cmp %1, #1\n\tccmp %2, #2, #0, eq\n\tcset %0, eq"
                   : "=r"(r) : "r"(0UL), "r"(2UL) : "cc");
  check("ccmp chain false", r, 0);
  /* CCMP sets V from the comparison like SUBS does. */
  __asm__ volatile("msr nzcv, xzr\n\tccmp %1, %2, #0, al\n\tmrs %0, nzcv"
                   : "=r"(r) : "r"(0x8000000000000000UL), "r"(1UL) : "cc");
  check("ccmp overflow nzcv", r >> 28, NZCV(0, 0, 1, 1));
  __asm__ volatile("msr nzcv, xzr\n\tccmn %w1, %w2, #0, al\n\tmrs %0, nzcv"
                   : "=r"(r) : "r"(0x7fffffffUL), "r"(1UL) : "cc");
  check("ccmn w overflow nzcv", r >> 28, NZCV(1, 0, 0, 1));
}

int main(void) {
  all_conditions();
  aliases();
  return test_done();
}
