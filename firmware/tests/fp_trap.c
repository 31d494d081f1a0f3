/* fp_trap: the FP/SIMD access traps and a few scalar FP results.
 *
 * CPTR_EL2.TFP traps FP instructions and FPCR/FPSR accesses at EL2 and EL1
 * to EL2; CPACR_EL1.FPEN = 00 traps EL1 and EL0 to EL1, 01 only EL0. The
 * syndrome is EC 0x07 with IL and the A64 condition field (CV = 1,
 * COND = 0b1110): ISS 0x1E00000, ESR 0x1FE00000, ELR at the instruction.
 * The FP results check rounding, NaN handling, flush-to-zero, alternative
 * half precision, saturation and the FPSR cumulative flags (Arm ARM J1
 * pseudocode). The firmware is built with -mgeneral-regs-only, so FP
 * instructions are inline assembly moving values through X registers.
 * Entered at EL2. */
#include "fw.h"

#define ESR_FP_TRAP 0x1FE00000UL

/* A double-precision operation on d1, d2 (and d3) into d0. */
#define FPD(insn, a, b, c)                                                    \
  ({                                                                          \
    u64 __r;                                                                  \
    __asm__ volatile("fmov d1, %1\n\tfmov d2, %2\n\tfmov d3, %3\n\t" insn     \
                     "\n\tfmov %0, d0"                                        \
                     : "=r"(__r) : "r"((u64)(a)), "r"((u64)(b)), "r"((u64)(c))); \
    __r;                                                                      \
  })
/* A single-precision operation on s1, s2 into s0. */
#define FPS(insn, a, b)                                                       \
  ({                                                                          \
    u64 __r;                                                                  \
    __asm__ volatile("fmov s1, %w1\n\tfmov s2, %w2\n\t" insn "\n\tfmov %w0, s0" \
                     : "=r"(__r) : "r"((u64)(a)), "r"((u64)(b)));             \
    __r;                                                                      \
  })

static void set_fpcr(u64 v) { __asm__ volatile("msr fpcr, %0" : : "r"(v)); }
static void clear_fpsr(void) { __asm__ volatile("msr fpsr, xzr"); }
static u64 get_fpsr(void) {
  u64 v;
  __asm__ volatile("mrs %0, fpsr" : "=r"(v));
  return v;
}
static u64 nzcv(void) {
  u64 v;
  __asm__ volatile("mrs %0, nzcv" : "=r"(v));
  return v >> 28;
}

static void expect_trap(const char *name, u64 addr, u64 el) {
  checkf(exc_rec.count, 1, "%s count", name);
  checkf(exc_rec.el, el, "%s EL", name);
  checkf(exc_rec.esr, ESR_FP_TRAP, "%s ESR", name);
  checkf(exc_rec.elr - addr, 0, "%s ELR - insn", name);
}

static void expect_no_trap(const char *name) { checkf(exc_rec.count, 0, "%s count", name); }

/* Runs one instruction; a trap is recorded and the instruction skipped. */
#define TRY(name, insn, el)                                                   \
  do {                                                                        \
    u64 __a;                                                                  \
    exc_rec_clear();                                                          \
    __asm__ volatile("adr %0, 1f\n1:\t" insn : "=&r"(__a) : : "x0", "memory"); \
    if (el) expect_trap(name, __a, el); else expect_no_trap(name);           \
  } while (0)

static long el0_fp(long expect_el) {
  TRY("el0 fadd", "fadd d0, d1, d2", (u64)expect_el);
  TRY("el0 mrs fpsr", "mrs x0, fpsr", (u64)expect_el);
  return 0;
}

static long el1_fp(long expect_el) {
  TRY("el1 fmov d0, x0", "fmov d0, x0", (u64)expect_el);
  TRY("el1 msr fpcr", "msr fpcr, xzr", (u64)expect_el);
  TRY("el1 fcmp", "fcmp s0, #0.0", (u64)expect_el);
  return 0;
}

/* CPACR_EL1.FPEN from EL1: 00 traps EL1 and EL0, 01 only EL0, 11 neither. */
static long el1_cpacr(long arg) {
  write_sysreg(cpacr_el1, 0UL << 20);
  __asm__ volatile("isb");
  el1_fp(1);
  run_at_el(0, el0_fp, 1);
  write_sysreg(cpacr_el1, 1UL << 20);
  __asm__ volatile("isb");
  el1_fp(0);
  run_at_el(0, el0_fp, 1);
  write_sysreg(cpacr_el1, 3UL << 20);
  __asm__ volatile("isb");
  el1_fp(0);
  run_at_el(0, el0_fp, 0);
  return arg;
}

static void results(void) {
  set_fpcr(0);
  clear_fpsr();
  check("fadd 1.5 + 2.25", FPD("fadd d0, d1, d2", 0x3FF8000000000000UL, 0x4002000000000000UL, 0),
        0x400E000000000000UL);
  check("fpsr (exact)", get_fpsr(), 0);
  check("fdiv 1 / 3 (single)", FPS("fdiv s0, s1, s2", 0x3F800000, 0x40400000), 0x3EAAAAAB);
  check("fpsr IXC", get_fpsr(), 0x10);
  clear_fpsr();
  check("fsqrt -1", FPD("fsqrt d0, d1", 0xBFF0000000000000UL, 0, 0), 0x7FF8000000000000UL);
  check("fpsr IOC", get_fpsr(), 0x1);
  clear_fpsr();
  /* Fused: (1 + 2^-26)^2 - 1 = 2^-25 + 2^-52 exactly; a rounded product would lose 2^-52. */
  check("fmadd fused", FPD("fmadd d0, d1, d2, d3", 0x3FF0000004000000UL, 0x3FF0000004000000UL,
                           0xBFF0000000000000UL), 0x3E60000002000000UL);
  check("fmul max * 2 (overflow)", FPD("fmul d0, d1, d2", 0x7FEFFFFFFFFFFFFFUL, 0x4000000000000000UL, 0),
        0x7FF0000000000000UL);
  check("fpsr OFC|IXC", get_fpsr(), 0x14);
  clear_fpsr();
  check("fdiv 1 / -0", FPS("fdiv s0, s1, s2", 0x3F800000, 0x80000000), 0xFF800000);
  check("fpsr DZC", get_fpsr(), 0x2);
  clear_fpsr();
  /* Signalling NaN propagation: second operand's sNaN wins, quietened. */
  check("fadd qNaN + sNaN", FPS("fadd s0, s1, s2", 0x7FC00001, 0x7F800002), 0x7FC00002);
  check("fpsr IOC (sNaN)", get_fpsr(), 0x1);
  check("fcmp 1 vs qNaN", (FPS("fcmp s1, s2", 0x3F800000, 0x7FC00000), nzcv()), 0x3);
  check("fcmp 1 vs 2", (FPS("fcmp s1, s2", 0x3F800000, 0x40000000), nzcv()), 0x8);
  clear_fpsr();
  check("fcmpe 1 vs qNaN", (FPS("fcmpe s1, s2", 0x3F800000, 0x7FC00000), nzcv()), 0x3);
  check("fpsr IOC (fcmpe)", get_fpsr(), 0x1);
  clear_fpsr();
  check("fcvtzs w, 3e9", FPS("fcvtzs w3, s1\n\tfmov s0, w3", 0x4F32D05E, 0), 0x7FFFFFFF);
  check("fpsr IOC (saturated)", get_fpsr(), 0x1);
  clear_fpsr();
  check("fcvtzu w, 2.5 #1 fbits", FPS("fcvtzu w3, s1, #1\n\tfmov s0, w3", 0x40200000, 0), 5);
  check("scvtf s, -7", FPS("fmov w3, s1\n\tscvtf s0, w3", 0xFFFFFFF9, 0), 0xC0E00000);

  /* DN: any NaN result is the default NaN. */
  set_fpcr(1UL << 25);
  check("DN fadd qNaN", FPD("fadd d0, d1, d2", 0xFFF8000000000123UL, 0x3FF0000000000000UL, 0),
        0x7FF8000000000000UL);
  /* FZ: a denormal input is flushed (IDC), a tiny result flushed (UFC). */
  set_fpcr(1UL << 24);
  clear_fpsr();
  check("FZ fadd denormal", FPS("fadd s0, s1, s2", 0x00000001, 0x00000000), 0);
  check("fpsr IDC", get_fpsr(), 0x80);
  clear_fpsr();
  check("FZ fmul tiny", FPS("fmul s0, s1, s2", 0x00800000, 0x3F000000), 0);
  check("fpsr UFC", get_fpsr(), 0x8);
  set_fpcr(0);
  clear_fpsr();
  check("fmul tiny, no FZ", FPS("fmul s0, s1, s2", 0x00800000, 0x3F000000), 0x00400000);
  check("fpsr exact denormal", get_fpsr(), 0);
  /* RMode = +Inf: FRINTX rounds 2.5 up, inexact. */
  set_fpcr(1UL << 22);
  clear_fpsr();
  check("frintx 2.5 (RP)", FPD("frintx d0, d1", 0x4004000000000000UL, 0, 0), 0x4008000000000000UL);
  check("fpsr IXC (frintx)", get_fpsr(), 0x10);
  check("frinta -2.5", FPD("frinta d0, d1", 0xC004000000000000UL, 0, 0), 0xC008000000000000UL);
  /* AHP: half precision without Inf/NaN; overflow saturates with IOC. */
  set_fpcr(1UL << 26);
  clear_fpsr();
  check("AHP fcvt h, 1e6", FPS("fcvt h0, s1", 0x49742400, 0), 0x7FFF);
  check("fpsr IOC (AHP)", get_fpsr(), 0x1);
  check("AHP fcvt s, h 0x7c00", FPS("fcvt s0, h1", 0x7C00, 0), 0x47800000);
  set_fpcr(0);
  check("IEEE fcvt h, 1e6", FPS("fcvt h0, s1", 0x49742400, 0), 0x7C00);
  /* FMOV to and from the top half of V1. */
  {
    u64 lo, hi;
    __asm__ volatile("fmov d1, %2\n\tfmov v1.d[1], %3\n\tfmov %0, d1\n\tmov x4, v1.d[1]\n\tfmov %1, v1.d[1]"
                     : "=r"(lo), "=r"(hi) : "r"(0x1111222233334444UL), "r"(0x5555666677778888UL) : "x4");
    check("fmov d1 low", lo, 0x1111222233334444UL);
    check("fmov v1.d[1]", hi, 0x5555666677778888UL);
  }
  set_fpcr(0);
  clear_fpsr();
}

int main(void) {
  exc_set_handler(exc_record_skip);
  write_sysreg(cptr_el2, 0x33FFUL); /* RES1 bits, TFP = 0 */
  write_sysreg(cpacr_el1, 3UL << 20);
  __asm__ volatile("isb");
  TRY("el2 fadd (TFP=0)", "fadd d0, d1, d2", 0);
  results();

  /* CPTR_EL2.TFP: EL2 and EL1 trap to EL2, whatever CPACR_EL1 says. */
  write_sysreg(cptr_el2, 0x33FFUL | (1UL << 10));
  __asm__ volatile("isb");
  TRY("el2 fadd (TFP=1)", "fadd d0, d1, d2", 2);
  TRY("el2 mrs fpcr (TFP=1)", "mrs x0, fpcr", 2);
  TRY("el2 msr fpsr (TFP=1)", "msr fpsr, xzr", 2);
  run_at_el(1, el1_fp, 2);
  write_sysreg(cptr_el2, 0x33FFUL);
  __asm__ volatile("isb");

  run_at_el(1, el1_cpacr, 0);
  return test_done();
}
