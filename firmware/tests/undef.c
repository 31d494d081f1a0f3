/* undef: UNDEFINED instructions give ESR EC 0x00 (+ IL, ISS 0) with ELR at
 * the instruction, taken to the current EL (or EL1 from EL0): UDF,
 * unallocated encodings (including reserved field values of allocated
 * instructions), HLT other than semihosting's, system registers of a higher
 * EL, SP_ELx from the wrong EL, writes to read-only registers, ERET/SMC/HVC
 * at EL0. EL0 accesses to DAIF are trapped with EC 0x18 instead (with
 * SCTLR_EL1.UMA = 0), the ISS describing the instruction. Entered at EL2. */
#include "fw.h"

static void expect(const char *name, u64 addr, u64 el, u64 esr) {
  checkf(exc_rec.count, 1, "%s count", name);
  checkf(exc_rec.el, el, "%s EL", name);
  checkf(exc_rec.esr, esr, "%s ESR", name);
  checkf(exc_rec.elr - addr, 0, "%s ELR - insn", name);
}

/* Runs one instruction; the handler skips it. */
#define TRY(name, insn, el, esr)                                              \
  do {                                                                        \
    u64 __a;                                                                  \
    exc_rec_clear();                                                          \
    __asm__ volatile("adr %0, 1f\n1:\t" insn : "=&r"(__a) : : "x0", "memory"); \
    expect(name, __a, el, esr);                                               \
  } while (0)

static long at_el0(long arg) {
  TRY("el0 udf", ".inst 0x00000000", 1, 0x02000000);
  TRY("el0 mrs sctlr_el1", "mrs x0, sctlr_el1", 1, 0x02000000);
  TRY("el0 msr vbar_el1", "msr vbar_el1, x0", 1, 0x02000000);
  TRY("el0 eret", "eret", 1, 0x02000000);
  TRY("el0 smc", "smc #0", 1, 0x02000000);
  TRY("el0 hvc", "hvc #0", 1, 0x02000000);
  TRY("el0 mrs sp_el0", "mrs x0, sp_el0", 1, 0x02000000);
  /* Trapped, not UNDEFINED: EC 0x18 with Op0 Op2 Op1 CRn Rt CRm Dir. */
  TRY("el0 mrs daif", "mrs x0, daif", 1, 0x6232d005);
  /* MSR DAIFSet: Op0 0, Op1 3, CRn 4, CRm imm, Op2 6, Rt 31, write: ISS
   * 0x0cd3fe. QEMU (7.2 and later) reports Op1 and Op2 swapped (0x0793fe),
   * so Op2/Op1 (ISS bits 19:14) are left out of the comparison. */
  {
    u64 a;
    exc_rec_clear();
    __asm__ volatile("adr %0, 1f\n1:\tmsr daifset, #0xf" : "=&r"(a) : : "memory");
    exc_rec.esr &= ~(0x3fUL << 14);
    expect("el0 msr daifset", a, 1, 0x620cd3fe & ~(0x3fUL << 14));
  }
  return arg;
}

static long at_el1(long arg) {
  TRY("el1 udf", ".inst 0x00000000", 1, 0x02000000);
  TRY("el1 mrs hcr_el2", "mrs x0, hcr_el2", 1, 0x02000000);
  TRY("el1 msr vbar_el2", "msr vbar_el2, x0", 1, 0x02000000);
  TRY("el1 mrs tpidr_el2", "mrs x0, tpidr_el2", 1, 0x02000000);
  TRY("el1 mrs sp_el1", "mrs x0, sp_el1", 1, 0x02000000);
  TRY("el1 mrs esr_el2", "mrs x0, esr_el2", 1, 0x02000000);
  run_at_el(0, at_el0, 0);
  return arg;
}

int main(void) {
  exc_set_handler(exc_record_skip);
  TRY("udf #0 (.word 0)", ".inst 0x00000000", 2, 0x02000000);
  TRY("udf #0xbeef", ".inst 0x0000beef", 2, 0x02000000);
  TRY("op0=0001 unallocated", ".inst 0x02000000", 2, 0x02000000);
  TRY("op0=0011 unallocated", ".inst 0x07ffffff", 2, 0x02000000);
  TRY("add shift=ror reserved", ".inst 0x8bc00000", 2, 0x02000000);
  TRY("add w imm6>=32 reserved", ".inst 0x0b008000", 2, 0x02000000);
  TRY("movz w hw=2 reserved", ".inst 0x52c00000", 2, 0x02000000);
  TRY("ubfm w N=1 reserved", ".inst 0x53400000", 2, 0x02000000);
  TRY("ldp w opc=11 unallocated", ".inst 0xe9400000", 2, 0x02000000);
  TRY("hlt #1", "hlt #1", 2, 0x02000000);
  TRY("mrs scr_el3", "mrs x0, scr_el3", 2, 0x02000000);
  TRY("mrs sp_el2", "mrs x0, sp_el2", 2, 0x02000000);
  TRY("msr midr_el1 (read-only)", "msr s3_0_c0_c0_0, x0", 2, 0x02000000);
  {
    u64 a;
    exc_rec_clear();
    __asm__ volatile("msr spsel, #0\n\tadr %0, 1f\n1:\tmrs x0, sp_el0\n\tmsr spsel, #1"
                     : "=&r"(a) : : "x0", "memory");
    expect("mrs sp_el0 with SPSel=0", a, 2, 0x02000000);
  }
  run_at_el(1, at_el1, 0);
  return test_done();
}
