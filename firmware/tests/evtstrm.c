/* evtstrm: the generic timer's event streams wake WFE (Arm ARM D11, "Event
 * streams"). With interrupts masked, no timer enabled and no other core, an
 * event stream is the only thing that can end a WFE: 100 WFEs must complete
 * with CNTHCTL_EL2.EVNTEN (CNTPCT's stream), then again with only
 * CNTKCTL_EL1.EVNTEN (CNTVCT's stream, active since HCR_EL2.TGE is 0).
 * Linux enables a stream and relies on it in __delay(). */
#include "fw.h"

static void wfe_many(unsigned n) {
  __asm__ volatile("sevl\n\twfe" ::: "memory"); /* Event Register now clear */
  for (unsigned i = 0; i < n; i++) __asm__ volatile("wfe" ::: "memory");
}

int main(void) {
  __asm__ volatile("msr daifset, #0xf" ::: "memory");
  /* EL1PCTEN | EL1PCEN kept; EVNTEN, EVNTDIR = 0, EVNTI = 4 (every 32 ticks). */
  u64 cnthctl = read_sysreg(cnthctl_el2);
  write_sysreg(cnthctl_el2, (cnthctl & ~0xF4ULL) | (1 << 2) | (4 << 4));
  __asm__ volatile("isb");
  u64 t0 = read_sysreg(cntpct_el0);
  wfe_many(100);
  u64 t1 = read_sysreg(cntpct_el0);
  check("100 WFEs woken by CNTHCTL_EL2's event stream", t1 >= t0, 1);

  write_sysreg(cnthctl_el2, cnthctl & ~0xF4ULL);
  write_sysreg(cntkctl_el1, (1 << 2) | (1 << 3) | (4 << 4)); /* EVNTDIR = 1 */
  __asm__ volatile("isb");
  wfe_many(100);
  u64 t2 = read_sysreg(cntpct_el0);
  check("100 WFEs woken by CNTKCTL_EL1's event stream", t2 >= t1, 1);
  write_sysreg(cntkctl_el1, 0);
  return test_done();
}
