/* hvc: HVC from EL1 is taken to EL2 (ESR_EL2 EC 0x16 + IL + imm16, ELR_EL2
 * after the HVC, SPSR_EL2 with EL1h and the caller's NZCV), HVC at EL2 is
 * taken to EL2, HVC at EL0 is UNDEFINED (EC 0x00 to EL1, ELR at the HVC);
 * hypercall arguments and results pass in registers. Entered at EL2. */
#include "fw.h"

/* Hypercall: x0 = x0 + x1 + x2 + x3. UNDEF: skip the instruction. */
static int handler(struct exc_frame *f) {
  exc_record_only(f);
  switch (ESR_EC(f->esr)) {
  case EC_HVC64:
    f->x[0] = f->x[0] + f->x[1] + f->x[2] + f->x[3];
    return 1;
  case EC_UNKNOWN:
    f->elr += 4;
    return 1;
  default:
    return 0;
  }
}

struct res {
  u64 x0, insn, nzcv;
};

#define DO_HVC(imm, nzcv_in, r)                                               \
  __asm__ volatile("msr nzcv, %3\n\tmov x0, #1\n\tmov x1, #20\n\t"            \
                   "mov x2, #300\n\tmov x3, #4000\n"                          \
                   "0:\thvc #" #imm "\n\t"                                    \
                   "mov %0, x0\n\tadr %1, 0b\n\tmrs %2, nzcv"                 \
                   : "=&r"((r).x0), "=&r"((r).insn), "=&r"((r).nzcv)         \
                   : "r"((u64)(nzcv_in))                                      \
                   : "x0", "x1", "x2", "x3", "cc", "memory")

static void expect(const char *who, struct res r, u64 el, u64 vec, u64 esr,
                   u64 elr_off, u64 spsr, u64 x0) {
  checkf(exc_rec.count, 1, "%s count", who);
  checkf(exc_rec.el, el, "%s taken to EL", who);
  checkf(exc_rec.vec, vec, "%s vector", who);
  checkf(exc_rec.esr, esr, "%s ESR", who);
  checkf(exc_rec.elr - r.insn, elr_off, "%s ELR - HVC address", who);
  checkf(exc_rec.spsr, spsr, "%s SPSR", who);
  checkf(r.x0, x0, "%s x0", who);
}

static long at_el0(long arg) {
  struct res r;
  exc_rec_clear();
  DO_HVC(0x1, PSR_C, r);
  expect("hvc el0 (undef)", r, 1, VEC_LOWER64, 0x02000000, 0, PSR_C | PSR_DAIF | PSR_M_EL0t, 1);
  return arg;
}

static long at_el1(long arg) {
  struct res r;
  exc_rec_clear();
  DO_HVC(0x4242, PSR_Z, r);
  expect("hvc el1", r, 2, VEC_LOWER64, 0x5a004242, 4, PSR_Z | PSR_DAIF | PSR_M_EL1h, 4321);
  check("hvc el1 NZCV after", r.nzcv, PSR_Z);
  exc_rec_clear();
  DO_HVC(0xffff, PSR_N | PSR_V, r);
  expect("hvc el1 #ffff", r, 2, VEC_LOWER64, 0x5a00ffff, 4, PSR_N | PSR_V | PSR_DAIF | PSR_M_EL1h,
         4321);
  check("el1 -> el0", (u64)run_at_el(0, at_el0, 3), 3);
  return arg * 2;
}

int main(void) {
  exc_set_handler(handler);
  struct res r;
  exc_rec_clear();
  DO_HVC(0x0, PSR_C | PSR_V, r);
  expect("hvc el2", r, 2, VEC_CUR_SPX, 0x5a000000, 4, PSR_C | PSR_V | PSR_DAIF | PSR_M_EL2h, 4321);
  check("el2 -> el1", (u64)run_at_el(1, at_el1, 21), 42);
  return test_done();
}
