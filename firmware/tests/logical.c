/* logical: AND/ORR/EOR/ANDS with bitmask immediates of every element size
 * and rotation, the shifted-register forms with LSL/LSR/ASR/ROR and their
 * inverted variants BIC/ORN/EON/BICS, TST and MVN, and their flags. */
#include "fw.h"

/* Each immediate is decoded by ORR from XZR (the MOV alias) and used by
 * AND/EOR against a run-time value; the reference uses register ops. */
#define IMM64(imm)                                                            \
  do {                                                                        \
    u64 r, a = 0x123456789abcdef0UL;                                          \
    __asm__("orr %0, xzr, #" #imm : "=r"(r));                                 \
    check("orr xzr,#" #imm, r, OPAQUE((u64)(imm)));                           \
    __asm__("and %0, %1, #" #imm : "=r"(r) : "r"(a));                         \
    check("and #" #imm, r, a & OPAQUE((u64)(imm)));                           \
    __asm__("eor %0, %1, #" #imm : "=r"(r) : "r"(a));                         \
    check("eor #" #imm, r, a ^ OPAQUE((u64)(imm)));                           \
  } while (0)

#define IMM32(imm)                                                            \
  do {                                                                        \
    u64 r, a = 0xfedcba9876543210UL;                                          \
    __asm__("orr %w0, wzr, #" #imm : "=r"(r));                                \
    check("orr wzr,#" #imm, r, OPAQUE((u64)(imm)));                           \
    __asm__("and %w0, %w1, #" #imm : "=r"(r) : "r"(a));                       \
    check("and w #" #imm, r, (a & OPAQUE((u64)(imm))) & 0xffffffff);         \
  } while (0)

static void immediates(void) {
  IMM64(0x5555555555555555);  /* element 2 */
  IMM64(0xaaaaaaaaaaaaaaaa);  /* element 2, rotated */
  IMM64(0x1111111111111111);  /* element 4 */
  IMM64(0x7777777777777777);  /* element 4, 3 ones */
  IMM64(0x0101010101010101);  /* element 8 */
  IMM64(0xc3c3c3c3c3c3c3c3);  /* element 8, rotated */
  IMM64(0x00ff00ff00ff00ff);  /* element 16 */
  IMM64(0xfff0fff0fff0fff0);  /* element 16, rotated */
  IMM64(0x0000ffff0000ffff);  /* element 32 */
  IMM64(0x8000000180000001);  /* element 32, rotated */
  IMM64(0x7fffffffffffffff);  /* element 64 */
  IMM64(0x8000000000000001);  /* element 64, 2 ones rotated */
  IMM64(0xf00000000000000f);
  IMM64(0xfffffffffffffffe);  /* 63 ones */
  IMM64(0x0000000000000001);
  IMM64(0x00000ffffff00000);
  IMM32(0x3fc);
  IMM32(0xaaaaaaaa);
  IMM32(0x80000001);
  IMM32(0xfffffffe);
  IMM32(0x0f0f0f0f);
  u64 r, f;
  __asm__ volatile("msr nzcv, %2\n\tands %0, %3, #0x8000000000000000\n\tmrs %1, nzcv"
                   : "=&r"(r), "=&r"(f) : "r"(0xf0000000UL), "r"(~0UL) : "cc");
  check("ands #min", r, 0x8000000000000000);
  check("ands #min nzcv", f >> 28, NZCV(1, 0, 0, 0));
  __asm__ volatile("tst %1, #0x0f0f0f0f0f0f0f0f\n\tmrs %0, nzcv"
                   : "=r"(f) : "r"(0xf0f0f0f0f0f0f0f0UL) : "cc");
  check("tst #0f0f.. nzcv", f >> 28, NZCV(0, 1, 0, 0));
  __asm__ volatile("tst %w1, #0x80000000\n\tmrs %0, nzcv"
                   : "=r"(f) : "r"(0x80000000UL) : "cc");
  check("tst w #80000000 nzcv", f >> 28, NZCV(1, 0, 0, 0));
  __asm__ volatile("ands %w0, %w2, #0xff\n\tmrs %1, nzcv"
                   : "=&r"(r), "=&r"(f) : "r"(0xffffffff00000100UL) : "cc");
  check("ands w #ff", r, 0);
  check("ands w #ff nzcv", f >> 28, NZCV(0, 1, 0, 0));
  /* ORR immediate may write SP. */
  u64 sp, newsp;
  __asm__ volatile("mov %0, sp\n\torr sp, xzr, #0x40000000\n\tmov %1, sp\n\tmov sp, %0"
                   : "=&r"(sp), "=&r"(newsp));
  check("orr sp,xzr,#imm", newsp, 0x40000000);
}

static void shifted(void) {
  const u64 a = 0xf0f0f0f0f0f0f0f0, b = 0x0123456789abcdef;
  u64 r;
#define SH(name, insn, expect)                                              \
  __asm__(insn : "=r"(r) : "r"(a), "r"(b));                                 \
  check(name, r, expect)
  SH("and", "and %0, %1, %2", 0x0020406080a0c0e0);
  SH("bic", "bic %0, %1, %2", 0xf0d0b09070503010);
  SH("orr", "orr %0, %1, %2", 0xf1f3f5f7f9fbfdff);
  SH("orn", "orn %0, %1, %2", 0xfefcfaf8f6f4f2f0);
  SH("eor", "eor %0, %1, %2", 0xf1d3b597795b3d1f);
  SH("eon", "eon %0, %1, %2", 0x0e2c4a6886a4c2e0);
  SH("and ror#4", "and %0, %1, %2, ror #4", 0xf01030507090b0d0);
  SH("eor lsl#8", "eor %0, %1, %2, lsl #8", 0xd3b597795b3d1ff0);
  SH("orr asr#60", "orr %0, %1, %1, asr #60", 0xffffffffffffffff);
  SH("orr lsr#60", "orr %0, %1, %1, lsr #60", 0xf0f0f0f0f0f0f0ff);
  SH("bic lsr#4", "bic %0, %1, %1, lsr #4", 0xf0f0f0f0f0f0f0f0);
  SH("orn ror#63", "orn %0, %2, %2, ror #63", 0xfdbb7577edabedef);
  SH("eon asr#1", "eon %0, %1, %1, asr #1", 0xf777777777777777);
  SH("mvn", "mvn %0, %2", 0xfedcba9876543210);
  SH("mvn lsl#4", "mvn %0, %2, lsl #4", 0xedcba9876543210f);
  SH("and w ror#16", "and %w0, %w1, %w2, ror #16", 0xc0e080a0);
  SH("orr w lsr#28", "orr %w0, %w2, %w1, lsr #28", 0x89abcdef);
  SH("eon w", "eon %w0, %w1, %w2", 0x86a4c2e0);
  SH("bic w asr#31", "bic %w0, %w2, %w1, asr #31", 0);
  SH("mov x,x", "mov %0, %2", 0x0123456789abcdef);
  SH("mov w,w", "mov %w0, %w1", 0xf0f0f0f0);
#undef SH
}

static void flags(void) {
  const u64 a = 0xf0f0f0f0f0f0f0f0, b = 0x0123456789abcdef;
  u64 r, f;
  /* ANDS and BICS clear C and V whatever they were. */
  __asm__ volatile("msr nzcv, %2\n\tands %0, %3, %4\n\tmrs %1, nzcv"
                   : "=&r"(r), "=&r"(f) : "r"(0xf0000000UL), "r"(a), "r"(b) : "cc");
  check("ands", r, 0x0020406080a0c0e0);
  check("ands nzcv", f >> 28, NZCV(0, 0, 0, 0));
  __asm__ volatile("msr nzcv, %2\n\tbics %0, %3, %3\n\tmrs %1, nzcv"
                   : "=&r"(r), "=&r"(f) : "r"(0xb0000000UL), "r"(a) : "cc");
  check("bics x,x", r, 0);
  check("bics x,x nzcv", f >> 28, NZCV(0, 1, 0, 0));
  __asm__ volatile("msr nzcv, %1\n\ttst %2, %3, lsl #63\n\tmrs %0, nzcv"
                   : "=&r"(f) : "r"(0x30000000UL), "r"(~0UL), "r"(1UL) : "cc");
  check("tst lsl#63 nzcv", f >> 28, NZCV(1, 0, 0, 0));
  __asm__ volatile("msr nzcv, %2\n\tands %w0, %w3, %w4, ror #4\n\tmrs %1, nzcv"
                   : "=&r"(r), "=&r"(f) : "r"(0x70000000UL), "r"(0x80000000UL), "r"(8UL) : "cc");
  check("ands w ror#4", r, 0x80000000);
  check("ands w ror#4 nzcv", f >> 28, NZCV(1, 0, 0, 0));
  __asm__ volatile("msr nzcv, %2\n\tbics %w0, %w3, %w3\n\tmrs %1, nzcv"
                   : "=&r"(r), "=&r"(f) : "r"(0x10000000UL), "r"(0x1234UL) : "cc");
  check("bics w nzcv", f >> 28, NZCV(0, 1, 0, 0));
}

int main(void) {
  immediates();
  shifted();
  flags();
  return test_done();
}
