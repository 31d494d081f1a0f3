/* svc: SVC from EL2 (SP_EL2 and SP_EL0), from EL1 (SP_EL1 and SP_EL0) and
 * from EL0: the exception is taken to the current EL (EL2, EL1) or to EL1
 * (from EL0), at the right vector, with ESR EC 0x15 + IL + imm16, ELR
 * pointing after the SVC, SPSR holding the caller's NZCV/DAIF/mode;
 * registers pass arguments and results through the handler ("system
 * calls"). Entered at EL2. */
#include "fw.h"

/* A system call: x0 = x0 * 10 + x1. */
static volatile u64 handler_daif;

static int svc_handler(struct exc_frame *f) {
  exc_record_only(f);
  handler_daif = read_sysreg(DAIF);
  if (ESR_EC(f->esr) != EC_SVC64) return 0;
  f->x[0] = f->x[0] * 10 + f->x[1];
  return 1;
}

struct res {
  u64 x0, after, nzcv;
};

/* pre/post run around the SVC (e.g. to select SP_EL0); no stack use. */
#define DO_SVC(imm, nzcv_in, r, pre, post)                                    \
  __asm__ volatile("msr nzcv, %3\n\tmov x0, #5\n\tmov x1, #6\n\t" pre "\n\t"  \
                   "svc #" #imm "\n"                                          \
                   "1:\tmov %0, x0\n\tadr %1, 1b\n\tmrs %2, nzcv\n\t" post    \
                   : "=&r"((r).x0), "=&r"((r).after), "=&r"((r).nzcv)        \
                   : "r"((u64)(nzcv_in)) : "x0", "x1", "cc", "memory")

static void expect(const char *who, struct res r, u64 el, u64 vec, u64 esr,
                   u64 spsr, u64 nzcv_in) {
  checkf(exc_rec.count, 1, "%s count", who);
  checkf(exc_rec.el, el, "%s taken to EL", who);
  checkf(exc_rec.vec, vec, "%s vector", who);
  checkf(exc_rec.esr, esr, "%s ESR", who);
  checkf(exc_rec.elr - r.after, 0, "%s ELR - next insn", who);
  checkf(exc_rec.spsr, spsr, "%s SPSR", who);
  checkf(r.x0, 56, "%s result x0", who);
  checkf(r.nzcv, nzcv_in, "%s NZCV after return", who);
}

static long at_el0(long arg) {
  struct res r;
  exc_rec_clear();
  DO_SVC(0, PSR_Z | PSR_C, r, "", "");
  expect("svc el0", r, 1, VEC_LOWER64, 0x56000000, PSR_Z | PSR_C | PSR_DAIF | PSR_M_EL0t,
         PSR_Z | PSR_C);
  exc_rec_clear();
  DO_SVC(0x7fff, 0, r, "", "");
  expect("svc el0 #7fff", r, 1, VEC_LOWER64, 0x56007fff, PSR_DAIF | PSR_M_EL0t, 0);
  return arg + 1;
}

static long at_el1(long arg) {
  struct res r;
  exc_rec_clear();
  DO_SVC(0xffff, PSR_N | PSR_C, r, "", "");
  expect("svc el1", r, 1, VEC_CUR_SPX, 0x5600ffff, PSR_N | PSR_C | PSR_DAIF | PSR_M_EL1h,
         PSR_N | PSR_C);
  exc_rec_clear();
  DO_SVC(0x8000, PSR_V, r, "msr spsel, #0", "msr spsel, #1");
  expect("svc el1t", r, 1, VEC_CUR_SP0, 0x56008000, PSR_V | PSR_DAIF | PSR_M_EL1t, PSR_V);
  check("el1 -> el0", (u64)run_at_el(0, at_el0, arg), (u64)arg + 1);
  return arg + 2;
}

int main(void) {
  exc_set_handler(svc_handler);
  struct res r;
  exc_rec_clear();
  DO_SVC(0x1234, PSR_N | PSR_V, r, "", "");
  expect("svc el2", r, 2, VEC_CUR_SPX, 0x56001234, PSR_N | PSR_V | PSR_DAIF | PSR_M_EL2h,
         PSR_N | PSR_V);
  exc_rec_clear();
  DO_SVC(0x1, PSR_N | PSR_Z | PSR_C | PSR_V, r, "msr spsel, #0", "msr spsel, #1");
  expect("svc el2t", r, 2, VEC_CUR_SP0, 0x56000001,
         PSR_N | PSR_Z | PSR_C | PSR_V | PSR_DAIF | PSR_M_EL2t, PSR_N | PSR_Z | PSR_C | PSR_V);
  /* DAIF in SPSR reflects the caller's mask bits. */
  exc_rec_clear();
  __asm__ volatile("msr daifclr, #0x3\n\tsvc #0x42\n\tmsr daifset, #0xf"
                   : : : "x0", "x1", "memory");
  check("svc with I,F clear: SPSR", exc_rec.spsr & 0x3cf, PSR_D | PSR_A | PSR_M_EL2h);
  check("exception entry masks DAIF", handler_daif, PSR_DAIF);
  check("el2 -> el1", (u64)run_at_el(1, at_el1, 40), 42);
  return test_done();
}
