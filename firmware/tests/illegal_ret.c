/* illegal_ret: an ERET whose SPSR asks for an illegal state (a higher EL,
 * a reserved M encoding, AArch64 EL1 while HCR_EL2.RW says AArch32) is an
 * illegal exception return: PC = ELR, EL and SP select unchanged, NZCV and
 * DAIF restored from SPSR, PSTATE.IL = 1; the next instruction then takes
 * an Illegal Execution state exception (EC 0x0E, ISS 0) with ELR at it and
 * SPSR.IL = 1. The handler clears IL and lets the instruction run.
 * Entered at EL2. */
#include "fw.h"

static volatile u64 handler_nzcv;

static int handler(struct exc_frame *f) {
  exc_record_only(f);
  if (ESR_EC(f->esr) != EC_ILLEGAL) return 0;
  f->spsr &= ~PSR_IL;
  return 1;
}

struct res {
  u64 target, x10, nzcv, el;
};

/* ERET (at EL2 or EL1, named by the register suffix) to 1: with `spsr`;
 * pre/post run before and after (no stack use in between). */
#define ILL_ERET2(sfx, spsr, r, pre, post)                                    \
  __asm__ volatile(pre "\n\tadr x9, 1f\n\tmov %0, x9\n\tmsr elr_" sfx ", x9\n\t" \
                   "msr spsr_" sfx ", %4\n\tmov x10, #0\n\teret\n"            \
                   "1:\tadd x10, x10, #1\n\tmrs %2, nzcv\n\tmrs %3, CurrentEL\n\t" \
                   "mov %1, x10\n\tmsr nzcv, xzr\n\t" post                  \
                   : "=&r"((r).target), "=&r"((r).x10), "=&r"((r).nzcv), "=&r"((r).el) \
                   : "r"((u64)(spsr)) : "x9", "x10", "cc", "memory")
#define ILL_ERET(sfx, spsr, r) ILL_ERET2(sfx, spsr, r, "", "")

static void expect(const char *name, struct res r, u64 el, u64 spsr_nzcv, u64 mode) {
  checkf(exc_rec.count, 1, "%s count", name);
  checkf(exc_rec.el, el, "%s taken to EL", name);
  checkf(exc_rec.esr, 0x3a000000, "%s ESR", name);
  checkf(exc_rec.elr - r.target, 0, "%s ELR - target", name);
  checkf(exc_rec.spsr, spsr_nzcv | PSR_IL | PSR_DAIF | mode, "%s SPSR", name);
  checkf(r.x10, 1, "%s target insn ran once", name);
  checkf(r.nzcv, spsr_nzcv, "%s NZCV restored", name);
  checkf(r.el, el << 2, "%s stayed at EL", name);
}

static long at_el1(long arg) {
  struct res r;
  exc_rec_clear();
  ILL_ERET("el1", PSR_Z | PSR_DAIF | PSR_M_EL2h, r);
  expect("el1 eret to EL2h", r, 1, PSR_Z, PSR_M_EL1h);
  exc_rec_clear();
  ILL_ERET("el1", PSR_N | PSR_C | PSR_DAIF | PSR_M_EL3h, r);
  expect("el1 eret to EL3h", r, 1, PSR_N | PSR_C, PSR_M_EL1h);
  return arg;
}

int main(void) {
  exc_set_handler(handler);
  struct res r;
  exc_rec_clear();
  ILL_ERET("el2", PSR_N | PSR_Z | PSR_C | PSR_DAIF | PSR_M_EL3h, r);
  expect("eret to EL3h", r, 2, PSR_N | PSR_Z | PSR_C, PSR_M_EL2h);
  exc_rec_clear();
  ILL_ERET("el2", PSR_V | PSR_DAIF | 0x1, r);
  expect("eret to M=0b0001 (reserved)", r, 2, PSR_V, PSR_M_EL2h);
  exc_rec_clear();
  ILL_ERET("el2", PSR_C | PSR_DAIF | 0x3, r);
  expect("eret to M=0b0011 (reserved)", r, 2, PSR_C, PSR_M_EL2h);
  /* EL2t (SP_EL0) stays as it is: the illegal return keeps SPSel. */
  exc_rec_clear();
  ILL_ERET2("el2", PSR_Z | PSR_V | PSR_DAIF | PSR_M_EL3h, r, "msr spsel, #0", "msr spsel, #1");
  expect("eret from EL2t to EL3h", r, 2, PSR_Z | PSR_V, PSR_M_EL2t);
  /* HCR_EL2.RW = 0 makes EL1 AArch32: an AArch64 EL1 target is illegal.
   * Where EL1 cannot be AArch32 (ID_AA64PFR0_EL1.EL1 == 1), RW is RAO/WI
   * instead; both are architectural, and both print the same transcript. */
  u64 hcr = read_sysreg(hcr_el2);
  int el1_aarch32 = ((read_sysreg(id_aa64pfr0_el1) >> 4) & 0xf) == 2;
  write_sysreg(hcr_el2, hcr & ~(1UL << 31));
  isb();
  if (el1_aarch32) {
    exc_rec_clear();
    ILL_ERET("el2", PSR_N | PSR_DAIF | PSR_M_EL1h, r);
    write_sysreg(hcr_el2, hcr);
    isb();
    /* Checked silently: the transcript must not depend on the choice. */
    if (exc_rec.count != 1 || exc_rec.el != 2 || exc_rec.esr != 0x3a000000 || exc_rec.elr != r.target ||
        r.x10 != 1 || r.nzcv != PSR_N || r.el != 2 << 2)
      fail("eret to AArch64 EL1 with RW=0 is not an illegal return");
  } else {
    if (!(read_sysreg(hcr_el2) >> 31 & 1)) fail("HCR_EL2.RW is not RAO/WI without AArch32 EL1");
    write_sysreg(hcr_el2, hcr);
    isb();
  }
  printf("HCR_EL2.RW=0 case done\n");
  run_at_el(1, at_el1, 0);
  return test_done();
}
