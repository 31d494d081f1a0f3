/* spalign: with SCTLR_ELx.SA = 1 a load/store using a misaligned SP as base
 * gives an SP alignment fault (EC 0x26, ISS 0, ELR at the instruction),
 * whatever the offset; with SA = 0 it does not. EL2 runs on SP_EL0
 * (SPSel = 0) for the test so that the handler's SP_EL2 stays aligned; EL0
 * is checked through SCTLR_EL1.SA0. Entered at EL2. */
#include "fw.h"

extern char fw_stack_el0_top[];
static u64 area[8] __attribute__((aligned(16)));

static void expect(const char *name, u64 addr, u64 el, u64 vec) {
  checkf(exc_rec.count, 1, "%s count", name);
  checkf(exc_rec.el, el, "%s EL", name);
  checkf(exc_rec.vec, vec, "%s vector", name);
  checkf(exc_rec.esr, 0x9a000000, "%s ESR", name);
  checkf(exc_rec.elr - addr, 0, "%s ELR - insn", name);
}

/* SP_EL0 = area + misalign, SPSel = 0 around `insn` (EL1/EL2 only). */
#define TRY_SP0(name, insn, misalign, el, vec)                                \
  do {                                                                        \
    u64 __a;                                                                  \
    exc_rec_clear();                                                          \
    __asm__ volatile("msr spsel, #0\n\tadd x9, %1, #" #misalign "\n\t"        \
                     "mov sp, x9\n\tadr %0, 1f\n1:\t" insn "\n\tmsr spsel, #1" \
                     : "=&r"(__a) : "r"(&area[2]) : "x9", "x10", "x11", "memory"); \
    expect(name, __a, el, vec);                                               \
  } while (0)

static long at_el0(long arg) {
  u64 a, v = 0;
  area[4] = 0x44;
  exc_rec_clear();
  /* At EL0, SP is SP_EL0: misalign it for one load. */
  __asm__ volatile("mov x12, sp\n\tadd x9, %2, #8\n\tmov sp, x9\n\t"
                   "adr %0, 1f\n1:\tldr %1, [sp, #8]\n\tmov sp, x12"
                   : "=&r"(a), "+r"(v) : "r"(&area[2]) : "x9", "x12", "memory");
  expect("el0 ldr [sp,#8] SA0=1", a, 1, VEC_LOWER64);
  check("el0 faulting load did not write", v, 0);
  return arg;
}

static long at_el0_sa0_off(long arg) {
  u64 v;
  area[4] = 0x55;
  exc_rec_clear();
  __asm__ volatile("mov x12, sp\n\tadd x9, %1, #8\n\tmov sp, x9\n\t"
                   "ldr %0, [sp, #8]\n\tmov sp, x12"
                   : "=&r"(v) : "r"(&area[2]) : "x9", "x12", "memory");
  check("el0 SA0=0 no fault", exc_rec.count, 0);
  check("el0 SA0=0 value", v, 0x55);
  return arg;
}

static long at_el1(long arg) {
  TRY_SP0("el1 str [sp]", "str x10, [sp]", 4, 1, VEC_CUR_SP0);
  u64 sctlr = read_sysreg(sctlr_el1);
  run_at_el(0, at_el0, 0);
  write_sysreg(sctlr_el1, sctlr & ~(1UL << 4)); /* SA0 = 0 */
  isb();
  run_at_el(0, at_el0_sa0_off, 0);
  write_sysreg(sctlr_el1, sctlr);
  isb();
  return arg;
}

int main(void) {
  exc_set_handler(exc_record_skip);
  check("SCTLR_EL2.SA", read_sysreg(sctlr_el2) >> 3 & 1, 1);
  TRY_SP0("ldr [sp] sp%16=8", "ldr x10, [sp]", 8, 2, VEC_CUR_SP0);
  TRY_SP0("ldr [sp,#8] sp%16=8", "ldr x10, [sp, #8]", 8, 2, VEC_CUR_SP0);
  TRY_SP0("ldrb [sp] sp%16=1", "ldrb w10, [sp]", 1, 2, VEC_CUR_SP0);
  TRY_SP0("stp [sp,#-16]!", "stp x10, x11, [sp, #-16]!", 8, 2, VEC_CUR_SP0);
  TRY_SP0("ldur [sp,#-8]", "ldur x10, [sp, #-8]", 8, 2, VEC_CUR_SP0);
  /* Not SP-based, or SP aligned: no fault. */
  exc_rec_clear();
  __asm__ volatile("msr spsel, #0\n\tadd x9, %0, #8\n\tmov sp, x9\n\t"
                   "ldr x10, [x9]\n\tadd sp, sp, #8\n\tldr x10, [sp]\n\tmsr spsel, #1"
                   : : "r"(&area[2]) : "x9", "x10", "memory");
  check("aligned/non-SP accesses no fault", exc_rec.count, 0);
  /* SA = 0: misaligned SP is allowed. */
  u64 sctlr = read_sysreg(sctlr_el2), v;
  write_sysreg(sctlr_el2, sctlr & ~(1UL << 3));
  isb();
  area[3] = 0x1234;
  exc_rec_clear();
  __asm__ volatile("msr spsel, #0\n\tadd x9, %1, #8\n\tmov sp, x9\n\t"
                   "ldr %0, [sp]\n\tmsr spsel, #1"
                   : "=&r"(v) : "r"(&area[2]) : "x9", "memory");
  write_sysreg(sctlr_el2, sctlr);
  isb();
  check("SA=0 no fault", exc_rec.count, 0);
  check("SA=0 value", v, 0x1234);
  write_sysreg(sp_el0, fw_stack_el0_top);
  run_at_el(1, at_el1, 0);
  return test_done();
}
