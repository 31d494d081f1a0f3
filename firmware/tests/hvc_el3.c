/* hvc_el3: HVC executed at EL3 with SCR_EL3.HCE = 1 is taken to EL3 itself
 * (AArch64.CallHypervisor: "if PSTATE.EL == EL3 then TakeException(EL3)"),
 * EC 0x16 with imm16, ELR after the HVC. QEMU 7.2 wrongly takes it to EL2,
 * so this test is run on hvsim only. Entered at EL3. */
#include "fw.h"

/* Taken anywhere but EL3, the ERET back to EL3 would be an illegal return
 * and loop: stop at once instead. */
static int handler(struct exc_frame *f) {
  if (f->el != 3) {
    printf("HVC taken to EL%lu, ESR %016lx\n", f->el, f->esr);
    printf("FAIL hvc at el3 not taken to EL3\n");
    exit(1);
  }
  return exc_record_only(f);
}

int main(void) {
  exc_set_handler(handler);
  check("CurrentEL", read_sysreg(CurrentEL), 3 << 2);
  check("SCR_EL3.HCE", read_sysreg(scr_el3) >> 8 & 1, 1);
  u64 a;
  exc_rec_clear();
  __asm__ volatile("msr nzcv, %1\n\tadr %0, 1f\n1:\thvc #0x2"
                   : "=&r"(a) : "r"(PSR_Z) : "cc", "memory");
  check("hvc at el3 count", exc_rec.count, 1);
  check("hvc at el3 taken to EL", exc_rec.el, 3);
  check("hvc at el3 vector", exc_rec.vec, VEC_CUR_SPX);
  check("hvc at el3 ESR_EL3", exc_rec.esr, 0x5a000002);
  check("hvc at el3 ELR - next insn", exc_rec.elr - (a + 4), 0);
  check("hvc at el3 SPSR_EL3", exc_rec.spsr, PSR_Z | PSR_DAIF | PSR_M_EL3h);
  check("still at EL3", read_sysreg(CurrentEL), 3 << 2);
  return test_done();
}
