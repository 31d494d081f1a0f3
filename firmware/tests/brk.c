/* brk: BRK #imm16 gives EC 0x3C with the comment in ISS[15:0], ELR at the
 * BRK itself (not after it), taken to the current EL at EL2 and EL1 and to
 * EL1 from EL0; debug masking (PSTATE.D) does not affect it. Entered at
 * EL2. */
#include "fw.h"

static void expect(const char *name, u64 addr, u64 el, u64 vec, u64 esr, u64 spsr) {
  checkf(exc_rec.count, 1, "%s count", name);
  checkf(exc_rec.el, el, "%s EL", name);
  checkf(exc_rec.vec, vec, "%s vector", name);
  checkf(exc_rec.esr, esr, "%s ESR", name);
  checkf(exc_rec.elr - addr, 0, "%s ELR - BRK address", name);
  checkf(exc_rec.spsr, spsr, "%s SPSR", name);
}

#define TRY_BRK(name, imm, nzcv, el, vec, spsr_mode)                          \
  do {                                                                        \
    u64 __a;                                                                  \
    exc_rec_clear();                                                          \
    __asm__ volatile("msr nzcv, %1\n\tadr %0, 1f\n1:\tbrk #" #imm             \
                     : "=&r"(__a) : "r"((u64)(nzcv)) : "cc", "memory");       \
    expect(name, __a, el, vec, 0xf2000000 | (imm), (nzcv) | PSR_DAIF | (spsr_mode)); \
  } while (0)

static long at_el0(long arg) {
  TRY_BRK("brk el0 #0x7fff", 0x7fff, PSR_N, 1, VEC_LOWER64, PSR_M_EL0t);
  return arg;
}

static long at_el1(long arg) {
  TRY_BRK("brk el1 #0", 0, PSR_Z, 1, VEC_CUR_SPX, PSR_M_EL1h);
  TRY_BRK("brk el1 #0xf000", 0xf000, PSR_C | PSR_V, 1, VEC_CUR_SPX, PSR_M_EL1h);
  run_at_el(0, at_el0, 0);
  return arg;
}

int main(void) {
  exc_set_handler(exc_record_skip);
  TRY_BRK("brk el2 #0x1234", 0x1234, 0, 2, VEC_CUR_SPX, PSR_M_EL2h);
  TRY_BRK("brk el2 #0xffff", 0xffff, PSR_N | PSR_Z | PSR_C | PSR_V, 2, VEC_CUR_SPX, PSR_M_EL2h);
  /* Two BRKs in a row: each is taken, skipping resumes after it. */
  exc_rec_clear();
  __asm__ volatile("brk #1\n\tbrk #2" ::: "memory");
  check("brk twice count", exc_rec.count, 2);
  check("brk twice last ESR", exc_rec.esr, 0xf2000002);
  run_at_el(1, at_el1, 0);
  return test_done();
}
