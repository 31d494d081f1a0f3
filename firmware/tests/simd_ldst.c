/* simd_ldst: SIMD&FP loads and stores (routines in simd_ldst.S). LDR/STR of
 * B/H/S/D/Q registers in every addressing mode (loads clear the rest of the
 * register), LDR (literal), LDP/STP/LDNP/STNP, LD1-LD4/ST1-ST4 multiple and
 * single structures, LD1R-LD4R, post-index writeback, register numbers
 * wrapping from V31 to V0. Each routine's effect on memory is compared with
 * a C model of the V registers run over the same sequence. Then the traps
 * and faults: CPTR_EL2.TFP traps a SIMD&FP load to EL2 (EC 0x07), and with
 * SCTLR_EL2.A = 1 a Q load needs 16-byte alignment while LD1 of .4s
 * elements needs only 4. Entered at EL2 (FP enabled here: CPTR_EL2.TFP = 0,
 * CPACR_EL1.FPEN = 3). */
#include "fw.h"

void simd_regs(const u8 *src, u8 *dst, u64 *out);
void simd_wb(const u8 *src, u8 *dst, u64 *out);
void simd_lit(const u8 *src, u8 *dst, u64 *out);
void simd_pair(const u8 *src, u8 *dst, u64 *out);
void simd_struct(const u8 *src, u8 *dst, u64 *out);
void simd_lane(const u8 *src, u8 *dst, u64 *out);
void simd_ldr_q(const u8 *src);
void simd_ld1_4s(const u8 *src, u8 *dst);

static u8 srcbuf[512] __attribute__((aligned(16)));
static u8 dst[512] __attribute__((aligned(16)));
static u8 expect[512] __attribute__((aligned(16)));
#define SRC (srcbuf + 128)

/* ---- the model: V registers as bytes, little-endian lanes ---------------- */
static u8 V[32][16];

static void vcopy(u8 *d, const u8 *s, int n) {
  for (int i = 0; i < n; i++) d[i] = s[i];
}
static void vclear(int r) {
  for (int i = 0; i < 16; i++) V[r][i] = 0;
}
/* A scalar load of n bytes: the rest of the register becomes zero. */
static void ld_scalar(int r, const u8 *a, int n) {
  vclear(r);
  vcopy(V[r], a, n);
}
static void st_scalar(u8 *d, int r, int n) { vcopy(d, V[r], n); }
/* LDn/STn (multiple structures): rpt groups of selem registers from t,
 * regbytes (8 or 16) each, elements of es bytes. */
static int ld_multi(int t, int rpt, int selem, int es, int regbytes, const u8 *a) {
  int off = 0;
  for (int r = 0; r < rpt * selem; r++) vclear((t + r) % 32);
  for (int r = 0; r < rpt; r++)
    for (int e = 0; e < regbytes / es; e++)
      for (int s = 0; s < selem; s++) {
        vcopy(&V[(t + r + s) % 32][e * es], a + off, es);
        off += es;
      }
  return off;
}
static int st_multi(u8 *d, int t, int rpt, int selem, int es, int regbytes) {
  int off = 0;
  for (int r = 0; r < rpt; r++)
    for (int e = 0; e < regbytes / es; e++)
      for (int s = 0; s < selem; s++) {
        vcopy(d + off, &V[(t + r + s) % 32][e * es], es);
        off += es;
      }
  return off;
}
static void ld_lane(int t, int selem, int es, int idx, const u8 *a) {
  for (int s = 0; s < selem; s++) vcopy(&V[(t + s) % 32][idx * es], a + s * es, es);
}
static void st_lane(u8 *d, int t, int selem, int es, int idx) {
  for (int s = 0; s < selem; s++) vcopy(d + s * es, &V[(t + s) % 32][idx * es], es);
}
static void ld_rep(int t, int selem, int es, int regbytes, const u8 *a) {
  for (int s = 0; s < selem; s++) {
    vclear((t + s) % 32);
    for (int e = 0; e < regbytes / es; e++) vcopy(&V[(t + s) % 32][e * es], a + s * es, es);
  }
}

/* ---- running and comparing ------------------------------------------------ */
static void reset_bufs(void) {
  for (int i = 0; i < 512; i++) {
    srcbuf[i] = (u8)(i * 7 + 3);
    dst[i] = expect[i] = 0xee;
  }
}

static u64 word(const u8 *p) {
  u64 v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

static void compare(const char *name, int bytes) {
  for (int i = 0; i < bytes; i += 8) checkf(word(dst + i), word(expect + i), "%s dst+%d", name, i);
}

static void test_regs(void) {
  u64 out[2];
  reset_bufs();
  simd_regs(SRC, dst, out);
  ld_scalar(0, SRC, 1);
  ld_scalar(1, SRC + 2, 2);
  ld_scalar(2, SRC + 4, 4);
  ld_scalar(3, SRC + 8, 8);
  ld_scalar(4, SRC + 16, 16);
  ld_scalar(5, SRC - 4, 4);
  ld_scalar(6, SRC - 8, 8);
  ld_scalar(7, SRC - 32, 16);
  ld_scalar(16, SRC + 6, 2);
  ld_scalar(17, SRC - 8, 8);
  const int regs[] = {0, 1, 2, 3, 4, 5, 6, 7, 16, 17};
  for (int i = 0; i < 10; i++) st_scalar(expect + 16 * i, regs[i], 16);
  st_scalar(expect + 160, 4, 1);
  st_scalar(expect + 162, 4, 2);
  st_scalar(expect + 164, 4, 4);
  st_scalar(expect + 168, 4, 8);
  st_scalar(expect + 176, 4, 16);
  compare("regs", 192);
}

static void test_wb(void) {
  u64 out[2];
  reset_bufs();
  simd_wb(SRC, dst, out);
  check("wb ldr post base - src", out[0] - (u64)SRC, 8);
  check("wb str pre base - dst", out[1] - (u64)dst, 24);
  ld_scalar(0, SRC + 16, 16);
  ld_scalar(1, SRC + 16, 8);
  st_scalar(expect, 0, 16);
  st_scalar(expect + 24, 1, 8);
  compare("wb", 32);
}

static void test_lit(void) {
  u64 out[2];
  reset_bufs();
  simd_lit(SRC, dst, out);
  check("lit q lo", word(dst), 0x0123456789abcdefUL);
  check("lit q hi", word(dst + 8), 0xfedcba9876543210UL);
  check("lit d lo", word(dst + 16), 0x1122334455667788UL);
  check("lit d hi", word(dst + 24), 0);
  check("lit s lo", word(dst + 32), 0x99aabbccUL);
  check("lit s hi", word(dst + 40), 0);
}

static void test_pair(void) {
  u64 out[2];
  reset_bufs();
  simd_pair(SRC, dst, out);
  check("pair ldp post base - src", out[0] - (u64)SRC, (u64)-24);
  check("pair stp pre base - dst", out[1] - (u64)dst, 56);
  ld_scalar(0, SRC + 32, 16);
  ld_scalar(1, SRC + 48, 16);
  ld_scalar(2, SRC - 16, 8);
  ld_scalar(3, SRC - 8, 8);
  ld_scalar(4, SRC + 8, 4);
  ld_scalar(5, SRC + 12, 4);
  ld_scalar(6, SRC - 32, 16);
  ld_scalar(7, SRC - 16, 16);
  ld_scalar(16, SRC - 32, 4);
  ld_scalar(17, SRC - 28, 4);
  st_scalar(expect, 1, 16);
  st_scalar(expect + 16, 0, 16);
  st_scalar(expect + 32, 2, 8);
  st_scalar(expect + 40, 3, 8);
  st_scalar(expect + 48, 4, 4);
  st_scalar(expect + 52, 5, 4);
  st_scalar(expect + 56, 16, 4);
  st_scalar(expect + 60, 17, 4);
  st_scalar(expect + 64, 6, 16);
  st_scalar(expect + 80, 7, 16);
  compare("pair", 96);
}

static void test_struct(void) {
  u64 out[2];
  reset_bufs();
  simd_struct(SRC, dst, out);
  const u8 *a = SRC;
  u8 *d = expect;
  ld_multi(0, 1, 4, 1, 16, a);             /* ld4 {v0.16b-v3.16b} */
  d += st_multi(d, 0, 4, 1, 1, 16);
  a += ld_multi(16, 1, 3, 4, 16, a);       /* ld3 {v16.4s-v18.4s}, #48 */
  d += st_multi(d, 16, 3, 1, 4, 16);
  ld_multi(4, 1, 2, 2, 16, a);             /* ld2 {v4.8h, v5.8h} */
  d += st_multi(d, 4, 2, 1, 2, 16);
  ld_multi(31, 3, 1, 8, 16, a);            /* ld1 {v31.2d, v0.2d, v1.2d}, x3 = 16 */
  a += 16;
  d += st_multi(d, 31, 1, 1, 1, 16);
  d += st_multi(d, 0, 2, 1, 1, 16);
  ld_multi(20, 1, 4, 1, 8, a);             /* ld4 {v20.8b-v23.8b} */
  d += st_multi(d, 20, 1, 4, 1, 8);        /* st4 {v20.8b-v23.8b} */
  d += st_multi(d, 20, 1, 1, 1, 16);
  ld_multi(24, 1, 2, 4, 8, a);             /* ld2 {v24.2s, v25.2s} */
  d += st_multi(d, 24, 1, 2, 4, 16);       /* st2 {v24.4s, v25.4s} */
  check("struct src base - src", out[0] - (u64)SRC, (u64)(a - SRC));
  check("struct dst base - dst", out[1] - (u64)dst, (u64)(d - expect));
  compare("struct", (int)(d - expect));
}

static void test_lane(void) {
  u64 out[2];
  reset_bufs();
  simd_lane(SRC, dst, out);
  const u8 *x3 = SRC + 32;
  u8 *d = expect;
  ld_multi(0, 4, 1, 1, 16, SRC);
  ld_multi(16, 4, 1, 1, 16, SRC);
  ld_lane(0, 1, 4, 2, x3);                 /* ld1 {v0.s}[2] */
  ld_lane(1, 2, 2, 7, x3);                 /* ld2 {v1.h, v2.h}[7] */
  ld_lane(3, 1, 8, 1, x3);                 /* ld1 {v3.d}[1] */
  ld_lane(16, 4, 1, 9, x3);                /* ld4 {v16.b-v19.b}[9], #4 */
  x3 += 4;
  d += st_multi(d, 0, 4, 1, 1, 16);
  d += st_multi(d, 16, 4, 1, 1, 16);
  st_lane(d, 0, 3, 2, 5);                  /* st3 {v0.h-v2.h}[5], #6 */
  d += 8;
  st_lane(d, 3, 1, 8, 1);                  /* st1 {v3.d}[1], #8 */
  d += 8;
  st_lane(d, 16, 4, 4, 1);                 /* st4 {v16.s-v19.s}[1], #16 */
  d += 16;
  ld_rep(4, 1, 1, 8, x3);                  /* ld1r {v4.8b} */
  ld_rep(16, 2, 2, 16, x3);                /* ld2r {v16.8h, v17.8h} */
  ld_rep(5, 3, 4, 16, x3);                 /* ld3r {v5.4s-v7.4s} */
  ld_rep(28, 4, 8, 16, SRC);               /* ld4r {v28.2d-v31.2d} */
  d += st_multi(d, 4, 4, 1, 1, 16);
  d += st_multi(d, 16, 2, 1, 1, 16);
  d += st_multi(d, 28, 4, 1, 1, 16);
  check("lane src base - src", out[0] - (u64)SRC, (u64)(x3 - SRC));
  check("lane dst base - dst", out[1] - (u64)dst, (u64)(d - expect));
  compare("lane", (int)(d - expect));
}

/* ---- traps and alignment ------------------------------------------------------ */
#define CPTR_TFP (1UL << 10)
#define SCTLR_A (1UL << 1)
#define EC_FP_ACCESS 0x07

static void test_faults(void) {
  exc_set_handler(exc_record_skip);
  u64 cptr = read_sysreg(cptr_el2);

  exc_rec_clear();
  write_sysreg(cptr_el2, cptr | CPTR_TFP);
  isb();
  simd_ldr_q(SRC);
  write_sysreg(cptr_el2, cptr);
  isb();
  check("tfp count", exc_rec.count, 1);
  check("tfp EL", exc_rec.el, 2);
  check("tfp ESR", exc_rec.esr, ((u64)EC_FP_ACCESS << 26) | ESR_IL | 0x1e00000);

  u64 sctlr = read_sysreg(sctlr_el2);
  write_sysreg(sctlr_el2, sctlr | SCTLR_A);
  isb();
  exc_rec_clear();
  simd_ldr_q(SRC + 8);
  check("ldr q +8 count", exc_rec.count, 1);
  check("ldr q +8 EC", ESR_EC(exc_rec.esr), EC_DABT_CUR);
  check("ldr q +8 DFSC", exc_rec.esr & 0x3f, 0x21);
  check("ldr q +8 FAR - address", exc_rec.far - (u64)SRC, 8);
  reset_bufs();
  exc_rec_clear();
  simd_ld1_4s(SRC + 4, dst);
  write_sysreg(sctlr_el2, sctlr);
  isb();
  check("ld1 .4s +4 count", exc_rec.count, 0);
  check("ld1 .4s +4 lo", word(dst), word(SRC + 4));
  check("ld1 .4s +4 hi", word(dst + 8), word(SRC + 12));
  exc_set_handler(0);
}

int main(void) {
  /* FP/SIMD at EL2 (CPTR_EL2.TFP = 0) and for EL1/EL0 (CPACR_EL1.FPEN = 3). */
  write_sysreg(cptr_el2, read_sysreg(cptr_el2) & ~CPTR_TFP);
  write_sysreg(cpacr_el1, 3UL << 20);
  isb();
  test_regs();
  test_wb();
  test_lit();
  test_pair();
  test_struct();
  test_lane();
  test_faults();
  return test_done();
}
