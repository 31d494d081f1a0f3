/* dalign: data alignment faults (EC 0x25/0x24, DFSC 0x21 alignment fault,
 * FAR = the access address, WnR for stores, ELR at the instruction):
 * ordinary loads/stores with SCTLR_ELx.A = 1 (byte accesses and aligned
 * pairs never fault), and exclusives / load-acquire / store-release, which
 * check alignment whatever SCTLR_ELx.A says (LDXP/STXP of X registers need
 * 16-byte alignment). Not tested: a misaligned STXR with no matching LDXR
 * (whether it faults or just fails is IMPLEMENTATION DEFINED; QEMU fails
 * it without a fault). The ISS fields that are valid only with ISV = 1 are
 * not compared (whether ISV is set here is IMPLEMENTATION DEFINED in
 * ARMv8.0). Entered at EL2. */
#include "fw.h"

static u64 buf[8] __attribute__((aligned(16)));

/* EC, IL and ISS[13:0]: FnV, EA, CM, S1PTW, WnR, DFSC. */
#define DABT_MASK 0xfe003fffUL
#define DFSC_ALIGN 0x21
#define WNR (1UL << 6)

static void expect(const char *name, u64 addr, u64 va, u64 el, u64 esr) {
  checkf(exc_rec.count, 1, "%s count", name);
  checkf(exc_rec.el, el, "%s EL", name);
  checkf(exc_rec.esr & DABT_MASK, esr, "%s ESR (masked)", name);
  checkf(exc_rec.elr - addr, 0, "%s ELR - insn", name);
  checkf(exc_rec.far - va, 0, "%s FAR - address", name);
}

/* `insn` uses x9 = buf + off as its base register and accesses buf + va. */
#define TRY_VA(name, insn, off, va, el, esr)                                  \
  do {                                                                        \
    u64 __a;                                                                  \
    exc_rec_clear();                                                          \
    __asm__ volatile("add x9, %1, #" #off "\n\tadr %0, 1f\n1:\t" insn         \
                     : "=&r"(__a) : "r"(buf) : "x9", "x10", "x11", "x12", "memory"); \
    expect(name, __a, (u64)buf + (va), el, esr);                              \
  } while (0)
#define TRY(name, insn, off, el, esr) TRY_VA(name, insn, off, off, el, esr)

#define NOFAULT(name, insn, off)                                              \
  do {                                                                        \
    exc_rec_clear();                                                          \
    __asm__ volatile("add x9, %0, #" #off "\n\t" insn                         \
                     : : "r"(buf) : "x9", "x10", "x11", "x12", "memory");     \
    checkf(exc_rec.count, 0, "%s no fault", name);                            \
  } while (0)

#define CUR(wnr) (0x96000000UL | (wnr) | DFSC_ALIGN)
#define LOW(wnr) (0x92000000UL | (wnr) | DFSC_ALIGN)

static long at_el0(long arg) {
  TRY("el0 ldr x +4", "ldr x10, [x9]", 4, 1, LOW(0));
  TRY("el0 stlr w +2", "stlr w10, [x9]", 2, 1, LOW(WNR));
  return arg;
}

static long at_el1(long arg) {
  u64 sctlr = read_sysreg(sctlr_el1);
  write_sysreg(sctlr_el1, sctlr | 2); /* A */
  isb();
  TRY("el1 ldr w +2", "ldr w10, [x9]", 2, 1, CUR(0));
  TRY("el1 strh +1", "strh w10, [x9]", 1, 1, CUR(WNR));
  run_at_el(0, at_el0, 0);
  write_sysreg(sctlr_el1, sctlr);
  isb();
  return arg;
}

int main(void) {
  exc_set_handler(exc_record_skip);
  u64 sctlr = read_sysreg(sctlr_el2);
  write_sysreg(sctlr_el2, sctlr | 2); /* A */
  isb();
  TRY("ldr x +4", "ldr x10, [x9]", 4, 2, CUR(0));
  TRY("ldr x +1", "ldr x10, [x9]", 1, 2, CUR(0));
  TRY("ldr w +2", "ldr w10, [x9]", 2, 2, CUR(0));
  TRY("ldrh +1", "ldrh w10, [x9]", 1, 2, CUR(0));
  TRY("ldrsw +6", "ldrsw x10, [x9]", 6, 2, CUR(0));
  TRY_VA("str x [x9,#8] +4", "str x10, [x9, #8]", 4, 12, 2, CUR(WNR));
  TRY("strh +3", "strh w10, [x9]", 3, 2, CUR(WNR));
  TRY("ldp x +4", "ldp x10, x11, [x9]", 4, 2, CUR(0));
  TRY("stp w +2", "stp w10, w11, [x9]", 2, 2, CUR(WNR));
  TRY_VA("ldr x [x9,#8]! +4", "ldr x10, [x9, #8]!", 4, 12, 2, CUR(0));
  TRY_VA("ldr x [x9],#8 +4", "ldr x10, [x9], #8", 4, 4, 2, CUR(0));
  NOFAULT("ldrb +3", "ldrb w10, [x9]", 3);
  NOFAULT("strb +5", "strb w10, [x9]", 5);
  NOFAULT("ldp x +8 (8-aligned)", "ldp x10, x11, [x9]", 8);
  NOFAULT("ldr w +4", "ldr w10, [x9]", 4);
  write_sysreg(sctlr_el2, sctlr);
  isb();
  check("SCTLR_EL2.A back to 0", read_sysreg(sctlr_el2) >> 1 & 1, 0);
  /* With A = 0: exclusives and acquire/release still check alignment. */
  TRY("ldxr x +4", "ldxr x10, [x9]", 4, 2, CUR(0));
  TRY("ldxr w +2", "ldxr w10, [x9]", 2, 2, CUR(0));
  TRY("ldxrh +1", "ldxrh w10, [x9]", 1, 2, CUR(0));
  TRY("ldaxr w +6", "ldaxr w10, [x9]", 6, 2, CUR(0));
  TRY("ldxp x +8", "ldxp x10, x11, [x9]", 8, 2, CUR(0));
  TRY("ldxp w +4", "ldxp w10, w11, [x9]", 4, 2, CUR(0));
  TRY("ldar x +4", "ldar x10, [x9]", 4, 2, CUR(0));
  TRY("ldarh +1", "ldarh w10, [x9]", 1, 2, CUR(0));
  TRY("stlr x +2", "stlr x10, [x9]", 2, 2, CUR(WNR));
  NOFAULT("ldxrb +3", "ldxrb w10, [x9]\n\tclrex", 3);
  NOFAULT("ldxp w +8 (8-aligned)", "ldxp w10, w11, [x9]\n\tclrex", 8);
  NOFAULT("ldar w +4", "ldar w10, [x9]", 4);
  run_at_el(1, at_el1, 0);
  return test_done();
}
