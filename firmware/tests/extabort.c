/* extabort: loads, stores and instruction fetches to an address where the
 * platform has nothing (0x0a100000 on QEMU virt, between the virtio-mmio
 * slots and the platform bus) give synchronous External aborts: data
 * aborts EC 0x25/0x24 with DFSC 0x10 and WnR, instruction aborts EC
 * 0x21/0x20 with IFSC 0x10; ELR at the instruction (at the target for a
 * fetch); FAR = the address when FnV = 0. Compared: EC, IL, FnV, CM, S1PTW,
 * WnR, xFSC (ISV-dependent fields and EA are IMPLEMENTATION DEFINED).
 * Entered at EL2. */
#include "fw.h"

#define HOLE 0x0a100000UL
#define ABT_MASK 0xfe003dffUL /* EC, IL, ISS[13:10], ISS[8:0]: not EA */
#define FNV (1UL << 10)
#define WNR (1UL << 6)
#define FSC_EXT 0x10

static void expect(const char *name, u64 addr, u64 va, u64 el, u64 esr) {
  checkf(exc_rec.count, 1, "%s count", name);
  checkf(exc_rec.el, el, "%s EL", name);
  checkf(exc_rec.esr & ABT_MASK, esr, "%s ESR (masked)", name);
  checkf(exc_rec.elr - addr, 0, "%s ELR - insn", name);
  if (!(exc_rec.esr & FNV)) checkf(exc_rec.far, va, "%s FAR", name);
}

/* `insn` uses x9 = HOLE + off. */
#define TRY(name, insn, off, el, esr)                                         \
  do {                                                                        \
    u64 __a;                                                                  \
    exc_rec_clear();                                                          \
    __asm__ volatile("add x9, %1, #" #off "\n\tadr %0, 1f\n1:\t" insn         \
                     : "=&r"(__a) : "r"(HOLE) : "x9", "x10", "x11", "memory"); \
    expect(name, __a, HOLE + (off), el, esr);                                 \
  } while (0)

/* Fetch: BLR to the hole; the handler resumes at x30 (after the BLR). */
#define TRY_FETCH(name, off, el, esr)                                         \
  do {                                                                        \
    exc_rec_clear();                                                          \
    __asm__ volatile("add x9, %0, #" #off "\n\tblr x9"                        \
                     : : "r"(HOLE) : "x9", "x30", "memory");                  \
    expect(name, HOLE + (off), HOLE + (off), el, esr);                        \
  } while (0)

static int handler(struct exc_frame *f) {
  u64 ec = ESR_EC(f->esr);
  exc_record_only(f);
  if (ec == EC_IABT_CUR || ec == EC_IABT_LOW)
    f->elr = f->x[30];
  else
    f->elr += 4;
  return 1;
}

#define DCUR(w) (0x96000000UL | (w) | FSC_EXT)
#define DLOW(w) (0x92000000UL | (w) | FSC_EXT)
#define ICUR (0x86000000UL | FSC_EXT)
#define ILOW (0x82000000UL | FSC_EXT)

static long at_el0(long arg) {
  TRY("el0 ldr w", "ldr w10, [x9]", 0x10, 1, DLOW(0));
  TRY("el0 strb", "strb w10, [x9]", 0x3, 1, DLOW(WNR));
  TRY_FETCH("el0 fetch", 0x20, 1, ILOW);
  return arg;
}

static long at_el1(long arg) {
  TRY("el1 ldr x", "ldr x10, [x9]", 0, 1, DCUR(0));
  TRY("el1 str w", "str w10, [x9]", 0x104, 1, DCUR(WNR));
  TRY_FETCH("el1 fetch", 0x40, 1, ICUR);
  run_at_el(0, at_el0, 0);
  return arg;
}

int main(void) {
  exc_set_handler(handler);
  TRY("ldr x", "ldr x10, [x9]", 0, 2, DCUR(0));
  TRY("ldrb", "ldrb w10, [x9]", 0x7, 2, DCUR(0));
  TRY("ldrsh", "ldrsh x10, [x9]", 0x22, 2, DCUR(0));
  TRY("str x", "str x10, [x9]", 0x8, 2, DCUR(WNR));
  TRY("strh", "strh w10, [x9]", 0xffe, 2, DCUR(WNR));
  TRY("ldp x", "ldp x10, x11, [x9]", 0x10, 2, DCUR(0));
  TRY("stp x", "stp x10, x11, [x9]", 0x20, 2, DCUR(WNR));
  TRY("ldar w", "ldar w10, [x9]", 0x30, 2, DCUR(0));
  TRY("ldxr x", "ldxr x10, [x9]", 0x40, 2, DCUR(0));
  TRY_FETCH("fetch", 0, 2, ICUR);
  TRY_FETCH("fetch +0x1000", 0x1000, 2, ICUR);
  run_at_el(1, at_el1, 0);
  return test_done();
}
