/* el1: entered at EL1 on a platform without EL2 and EL3 (QEMU virt without
 * virtualization/secure). Boot state, SVC/BRK/UNDEF at EL1 and a round
 * trip through EL0. HVC/SMC are not tried: QEMU virt uses one of them as
 * its PSCI conduit (HVC when EL2 is absent), so their behaviour there is
 * the platform's, not the architecture's. */
#include "fw.h"

static void expect(const char *name, u64 addr, u64 vec, u64 esr, u64 elr_off, u64 spsr) {
  checkf(exc_rec.count, 1, "%s count", name);
  checkf(exc_rec.el, 1, "%s EL", name);
  checkf(exc_rec.vec, vec, "%s vector", name);
  checkf(exc_rec.esr, esr, "%s ESR", name);
  checkf(exc_rec.elr - addr, elr_off, "%s ELR - insn", name);
  checkf(exc_rec.spsr, spsr, "%s SPSR", name);
}

/* UNDEF and BRK: skip the instruction; SVC: ELR is already past it. */
static int handler(struct exc_frame *f) {
  exc_record_only(f);
  u64 ec = ESR_EC(f->esr);
  if (ec == EC_UNKNOWN || ec == EC_BRK64) f->elr += 4;
  return ec == EC_UNKNOWN || ec == EC_BRK64 || ec == EC_SVC64;
}

#define TRY(name, insn, nzcv, vec, esr, elr_off, mode)                        \
  do {                                                                        \
    u64 __a;                                                                  \
    exc_rec_clear();                                                          \
    __asm__ volatile("msr nzcv, %1\n\tadr %0, 1f\n1:\t" insn                  \
                     : "=&r"(__a) : "r"((u64)(nzcv)) : "cc", "memory");       \
    expect(name, __a, vec, esr, elr_off, (nzcv) | PSR_DAIF | (mode));         \
  } while (0)

static long at_el0(long arg) {
  TRY("el0 svc", "svc #0x10", PSR_C, VEC_LOWER64, 0x56000010, 4, PSR_M_EL0t);
  TRY("el0 brk", "brk #0x20", PSR_V, VEC_LOWER64, 0xf2000020, 0, PSR_M_EL0t);
  TRY("el0 udf", ".inst 0", 0, VEC_LOWER64, 0x02000000, 0, PSR_M_EL0t);
  return arg * 3;
}

int main(void) {
  exc_set_handler(handler);
  check("CurrentEL", read_sysreg(CurrentEL), 1 << 2);
  check("SPSel", read_sysreg(SPSel), 1);
  check("DAIF", read_sysreg(DAIF), PSR_DAIF);
  check("SCTLR_EL1.M", read_sysreg(sctlr_el1) & 1, 0);
  check("VBAR_EL1", read_sysreg(vbar_el1), (u64)fw_vectors);
  write_sysreg(tpidr_el1, 0x1234);
  check("TPIDR_EL1", read_sysreg(tpidr_el1), 0x1234);
  TRY("svc", "svc #0xabc", PSR_N, VEC_CUR_SPX, 0x56000abc, 4, PSR_M_EL1h);
  TRY("brk", "brk #0xdef", PSR_Z, VEC_CUR_SPX, 0xf2000def, 0, PSR_M_EL1h);
  TRY("udf", ".inst 0", 0, VEC_CUR_SPX, 0x02000000, 0, PSR_M_EL1h);
  check("el1 -> el0", (u64)run_at_el(0, at_el0, 7), 21);
  check("back at EL1", read_sysreg(CurrentEL), 1 << 2);
  return test_done();
}
