/* pcalign: branching to a misaligned address (BR, BLR, RET, ERET) gives a
 * PC alignment fault, EC 0x22, taken when the misaligned PC is fetched:
 * ELR and FAR hold the misaligned address, BLR has already written x30.
 * At EL2 and at EL1, and from EL0 to EL1. Entered at EL2. */
#include "fw.h"

/* The fault handler resumes at the address in x28 (set by the test). */
static int handler(struct exc_frame *f) {
  exc_record_only(f);
  f->elr = f->x[28];
  return 1;
}

static void expect(const char *name, u64 target, u64 el, u64 vec) {
  checkf(exc_rec.count, 1, "%s count", name);
  checkf(exc_rec.el, el, "%s EL", name);
  checkf(exc_rec.vec, vec, "%s vector", name);
  checkf(exc_rec.esr, 0x8a000000, "%s ESR", name);
  checkf(exc_rec.elr - target, 0, "%s ELR - target", name);
  checkf(exc_rec.far - target, 0, "%s FAR - target", name);
}

/* Branch with `insn` (using x9) to label 1 + off; resume at 2. `link`: the
 * instruction is BLR, which writes x30 before the fault. */
#define TRY(name, insn, link, off, el, vec)                                   \
  do {                                                                        \
    u64 __t, __lr, __ret;                                                     \
    exc_rec_clear();                                                          \
    __asm__ volatile("adr x28, 2f\n\tadr x9, 1f + " #off "\n\tmov %0, x9\n\t" \
                     "mov x30, xzr\n\t" insn "\n"                             \
                     "3:\tb 2f\n1:\tnop\n\tnop\n"                             \
                     "2:\tmov %1, x30\n\tadr %2, 3b"                          \
                     : "=&r"(__t), "=&r"(__lr), "=&r"(__ret)                  \
                     : : "x9", "x28", "x30", "memory");                       \
    expect(name, __t, el, vec);                                               \
    if (link)                                                                 \
      checkf(__lr - __ret, 0, "%s x30 - next insn", name);                    \
  } while (0)

static long at_el0(long arg) {
  TRY("el0 br +1", "br x9", 0, 1, 1, VEC_LOWER64);
  return arg;
}

static long at_el1(long arg) {
  TRY("el1 br +2", "br x9", 0, 2, 1, VEC_CUR_SPX);
  TRY("el1 blr +3", "blr x9", 1, 3, 1, VEC_CUR_SPX);
  run_at_el(0, at_el0, 0);
  return arg;
}

int main(void) {
  exc_set_handler(handler);
  TRY("br +2", "br x9", 0, 2, 2, VEC_CUR_SPX);
  TRY("br +1", "br x9", 0, 1, 2, VEC_CUR_SPX);
  TRY("br +3", "br x9", 0, 3, 2, VEC_CUR_SPX);
  TRY("blr +2", "blr x9", 1, 2, 2, VEC_CUR_SPX);
  TRY("ret +1", "ret x9", 0, 1, 2, VEC_CUR_SPX);
  /* ERET to a misaligned ELR: the fault is on the fetch at the target. */
  {
    u64 t;
    exc_rec_clear();
    __asm__ volatile("adr x28, 2f\n\tadr x9, 1f + 2\n\tmov %0, x9\n\t"
                     "msr elr_el2, x9\n\tmsr spsr_el2, %1\n\teret\n"
                     "1:\tnop\n\tnop\n2:"
                     : "=&r"(t) : "r"(PSR_Z | PSR_DAIF | PSR_M_EL2h) : "x9", "x28", "memory");
    expect("eret +2", t, 2, VEC_CUR_SPX);
    check("eret +2 SPSR", exc_rec.spsr, PSR_Z | PSR_DAIF | PSR_M_EL2h);
  }
  run_at_el(1, at_el1, 0);
  return test_done();
}
