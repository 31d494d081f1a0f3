/* its_seis: ITS command errors as System Errors (hvsim with
 * --set its.seis=true). GITS_TYPER.SEIS = 1; an INT of an unmapped device
 * is a command error: the queue stalls (GITS_CREADR.Stalled) and hvsim
 * makes a physical SError interrupt pending on every core, its
 * IMPLEMENTATION DEFINED way of reporting a System Error. At EL2 with
 * HCR_EL2.AMO set it is routed to EL2: pending in ISR_EL1.A while PSTATE.A
 * masks it, taken (ESR_EL2.EC 0x2F) once unmasked, then no longer pending.
 *
 * hvsim only (noqemu): QEMU 7.2's ITS has GITS_TYPER.SEIS = 0. */
#include "fw.h"
#include "gic.h"
#include "its.h"

#define HCR_AMO (1UL << 5)

static volatile u32 serrors;
static volatile u64 serror_esr;

static int handler(struct exc_frame *f) {
  if (f->el == 2 && f->vec == VEC_CUR_SPX + 3) {
    serrors++;
    serror_esr = f->esr;
    return 1;
  }
  return 0;
}

int main(void) {
  exc_set_handler(handler);
  its_gicd_init();
  u64 rdist = its_cpu_init(0);
  check("GITS_TYPER.SEIS", (rd64(GITS + GITS_TYPER) >> 18) & 1, 1);
  its_init();
  its_mapc(0, its_rdbase(rdist));
  check("no SError after a good command", (read_sysreg(isr_el1) >> 8) & 1, 0);

  write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_AMO);
  isb();
  its_queue(0x03 | (5UL << 32), 0, 0, 0); /* INT of DeviceID 5: not mapped */
  check("command error: the queue stalls", its_wait(), 1);
  check("GITS_CREADR.Stalled", rd64(GITS + GITS_CREADR) & 1, 1);
  check("ISR_EL1.A (SError pending, PSTATE.A masks it)", (read_sysreg(isr_el1) >> 8) & 1, 1);
  check("SErrors taken while masked", serrors, 0);
  __asm__ volatile("msr daifclr, #4\n\tisb\n\tnop\n\tmsr daifset, #4\n\tisb" ::: "memory");
  check("SErrors taken", serrors, 1);
  check("ESR_EL2.EC (SError interrupt)", ESR_EC(serror_esr), 0x2f);
  check("ISR_EL1.A after", (read_sysreg(isr_el1) >> 8) & 1, 0);

  /* Retry runs the same bad command: another System Error. */
  its_retry();
  check("Retry: the queue stalls again", its_wait(), 1);
  __asm__ volatile("msr daifclr, #4\n\tisb\n\tnop\n\tmsr daifset, #4\n\tisb" ::: "memory");
  check("Retry: SErrors taken", serrors, 2);
  write_sysreg(hcr_el2, read_sysreg(hcr_el2) & ~HCR_AMO);
  isb();
  return test_done();
}
