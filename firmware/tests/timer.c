/* timer: the generic timers with the GICv3, at EL2 (Arm ARM D11 "The
 * Generic Timer in AArch64 state"). The EL1 physical timer (CNTP_*, PPI 14
 * = INTID 30) and the virtual timer (CNTV_*, CNTVOFF_EL2, PPI 11 = INTID 27)
 * are programmed with TVAL and CVAL; the core sleeps in WFI until the
 * interrupt, then checks ISTATUS, that the count reached the deadline, the
 * GIC's view (ISR_EL1.I, HPPIR1) and IMASK; TVAL as a signed 32-bit view;
 * and the CNTHCTL_EL2.EL1PCEN/EL1PCTEN traps of EL1 accesses (EC 0x18).
 * Only architected facts are printed: never counts, times or CNTFRQ, nor
 * ISTATUS of a disabled timer (UNKNOWN). */
#include "fw.h"
#include "gic.h"

#define INTID_HYP 26
#define INTID_VIRT 27
#define INTID_PHYS 30

#define CTL_ENABLE 1UL
#define CTL_IMASK 2UL
#define CTL_ISTATUS 4UL

static volatile u32 seen_intid;
static volatile u64 seen_ctl;
static volatile unsigned nseen;

/* IRQs at EL2: acknowledge, mask the timer that fired (its level would
 * otherwise stay asserted), end. Synchronous exceptions: record and skip. */
static int handler(struct exc_frame *f) {
  if (f->vec != VEC_CUR_SPX + 1) return exc_record_skip(f);
  u32 intid = (u32)read_sysreg(ICC_IAR1_EL1);
  nseen++;
  seen_intid = intid;
  if (intid == INTID_PHYS) {
    seen_ctl = read_sysreg(cntp_ctl_el0);
    write_sysreg(cntp_ctl_el0, CTL_ENABLE | CTL_IMASK);
  } else if (intid == INTID_VIRT) {
    seen_ctl = read_sysreg(cntv_ctl_el0);
    write_sysreg(cntv_ctl_el0, CTL_ENABLE | CTL_IMASK);
  }
  isb();
  if (intid != SPURIOUS) write_sysreg(ICC_EOIR1_EL1, intid);
  isb();
  return 1;
}

static u32 isr_irq(void) { return (u32)((read_sysreg(isr_el1) >> 7) & 1); }

static void gic_init(void) { gic_init_ppis((1u << INTID_HYP) | (1u << INTID_VIRT) | (1u << INTID_PHYS)); }

/* Sleeps until the timer's ISTATUS is set (WFI may return early). */
static void sleep_until_istatus(int virt) {
  for (;;) {
    u64 ctl = virt ? read_sysreg(cntv_ctl_el0) : read_sysreg(cntp_ctl_el0);
    if (ctl & CTL_ISTATUS) return;
    __asm__ volatile("dsb sy\n\twfi" ::: "memory");
  }
}

static void take_irqs(void) {
  nseen = 0;
  seen_intid = SPURIOUS;
  __asm__ volatile("msr daifclr, #2\n\tisb\n\tnop\n\tnop\n\tmsr daifset, #2\n\tisb" ::: "memory");
}

static long el1_read_cntp_ctl(long arg) {
  (void)arg;
  return (long)read_sysreg(cntp_ctl_el0);
}
static long el1_read_cntpct(long arg) {
  (void)arg;
  return (long)read_sysreg(cntpct_el0);
}
static long el1_read_cntv_ctl(long arg) {
  (void)arg;
  return (long)read_sysreg(cntv_ctl_el0);
}

int main(void) {
  exc_set_handler(handler);
  write_sysreg(cnthctl_el2, 3); /* EL1PCTEN, EL1PCEN */
  write_sysreg(cntvoff_el2, 0);
  write_sysreg(cntp_ctl_el0, 0);
  write_sysreg(cntv_ctl_el0, 0);
  isb();
  gic_init();
  const u64 delta = 625000; /* counter ticks: 10 ms at 62.5 MHz */

  /* ---- EL1 physical timer, TVAL, WFI with IRQs masked ---- */
  check("CNTP_CTL disabled (ENABLE, IMASK)", read_sysreg(cntp_ctl_el0) & 3, 0);
  u64 t0 = read_sysreg(cntpct_el0);
  write_sysreg(cntp_tval_el0, delta);
  write_sysreg(cntp_ctl_el0, CTL_ENABLE);
  isb();
  u64 cval = read_sysreg(cntp_cval_el0);
  check("CNTP_CVAL >= start + delta", cval >= t0 + delta, 1);
  u64 tval = read_sysreg(cntp_tval_el0);
  check("CNTP_TVAL counts down, <= delta", (s32)(u32)tval <= (s32)delta, 1);
  check("CNTP_TVAL bits [63:32]", tval >> 32, 0);
  sleep_until_istatus(0);
  u64 t1 = read_sysreg(cntpct_el0);
  check("CNTP woke: elapsed >= delta", t1 - t0 >= delta, 1);
  check("CNTP_CTL fired", read_sysreg(cntp_ctl_el0), CTL_ENABLE | CTL_ISTATUS);
  check("CNTP TVAL negative after deadline", (s32)(u32)read_sysreg(cntp_tval_el0) <= 0, 1);
  check("CNTP: ISR_EL1.I", isr_irq(), 1);
  check("CNTP: HPPIR1", read_sysreg(ICC_HPPIR1_EL1), INTID_PHYS);
  take_irqs();
  check("CNTP: interrupts taken", nseen, 1);
  check("CNTP: INTID", seen_intid, INTID_PHYS);
  check("CNTP: CTL in handler", seen_ctl, CTL_ENABLE | CTL_ISTATUS);
  check("CNTP masked: CTL", read_sysreg(cntp_ctl_el0), CTL_ENABLE | CTL_IMASK | CTL_ISTATUS);
  check("CNTP masked: ISR_EL1.I", isr_irq(), 0);
  /* Unmasking a timer whose condition holds raises its interrupt again. */
  write_sysreg(cntp_ctl_el0, CTL_ENABLE);
  isb();
  check("CNTP unmasked: ISR_EL1.I", isr_irq(), 1);
  /* A CVAL in the future clears the condition and the interrupt. */
  write_sysreg(cntp_cval_el0, read_sysreg(cntpct_el0) + 1000000000UL);
  isb();
  check("CNTP future CVAL: ISTATUS", read_sysreg(cntp_ctl_el0) & CTL_ISTATUS, 0);
  check("CNTP future CVAL: ISR_EL1.I", isr_irq(), 0);
  /* TVAL is a signed 32-bit view: a CVAL behind the count reads negative. */
  write_sysreg(cntp_cval_el0, read_sysreg(cntpct_el0) - 1000);
  isb();
  check("CNTP past CVAL: TVAL negative", (s32)(u32)read_sysreg(cntp_tval_el0) <= -1000, 1);
  check("CNTP past CVAL: ISTATUS", read_sysreg(cntp_ctl_el0) & CTL_ISTATUS, CTL_ISTATUS);
  write_sysreg(cntp_ctl_el0, 0);
  isb();
  check("CNTP disabled: ISR_EL1.I", isr_irq(), 0);

  /* ---- virtual timer, CVAL against CNTVCT with CNTVOFF_EL2 ---- */
  /* An offset below the count, so that the virtual count does not wrap. */
  write_sysreg(cntvoff_el2, read_sysreg(cntpct_el0) / 2);
  isb();
  u64 v0 = read_sysreg(cntvct_el0);
  write_sysreg(cntv_cval_el0, v0 + delta);
  write_sysreg(cntv_ctl_el0, CTL_ENABLE);
  isb();
  check("CNTV before deadline: ISTATUS", read_sysreg(cntv_ctl_el0) & CTL_ISTATUS, 0);
  sleep_until_istatus(1);
  u64 v1 = read_sysreg(cntvct_el0);
  check("CNTV woke: elapsed >= delta", v1 - v0 >= delta, 1);
  check("CNTV: HPPIR1", read_sysreg(ICC_HPPIR1_EL1), INTID_VIRT);
  take_irqs();
  check("CNTV: interrupts taken", nseen, 1);
  check("CNTV: INTID", seen_intid, INTID_VIRT);
  check("CNTV: CTL in handler", seen_ctl, CTL_ENABLE | CTL_ISTATUS);
  /* Enabled with IMASK from the start: ISTATUS without an interrupt. */
  write_sysreg(cntv_ctl_el0, CTL_ENABLE | CTL_IMASK);
  write_sysreg(cntv_tval_el0, 0);
  isb();
  check("CNTV IMASK: CTL", read_sysreg(cntv_ctl_el0), CTL_ENABLE | CTL_IMASK | CTL_ISTATUS);
  check("CNTV IMASK: ISR_EL1.I", isr_irq(), 0);
  /* Lowering CNTVOFF_EL2 moves the virtual count forward past CVAL. */
  write_sysreg(cntvoff_el2, 0);
  isb();
  write_sysreg(cntv_cval_el0, read_sysreg(cntvct_el0) + 1000000000UL);
  isb();
  check("CNTV far CVAL: ISTATUS", read_sysreg(cntv_ctl_el0) & CTL_ISTATUS, 0);
  write_sysreg(cntvoff_el2, 0 - 2000000000UL);
  isb();
  check("CNTV lower CNTVOFF: CTL", read_sysreg(cntv_ctl_el0), CTL_ENABLE | CTL_IMASK | CTL_ISTATUS);
  write_sysreg(cntv_ctl_el0, 0);
  write_sysreg(cntvoff_el2, 0);
  isb();

  /* ---- CNTHCTL_EL2 traps of EL1 accesses ---- */
  exc_rec_clear();
  write_sysreg(cnthctl_el2, 1); /* EL1PCEN = 0 */
  isb();
  run_at_el(1, el1_read_cntp_ctl, 0);
  check("EL1PCEN=0: CNTP_CTL traps", exc_rec.count, 1);
  check("  to EL", exc_rec.el, 2);
  check("  EC", ESR_EC(exc_rec.esr), EC_SYS64);
  check("  ISS", ESR_ISS(exc_rec.esr) & ~(0x1fUL << 5), (3UL << 20) | (1UL << 17) | (3UL << 14) | (14UL << 10) | (2UL << 1) | 1);
  exc_rec_clear();
  run_at_el(1, el1_read_cntv_ctl, 0);
  check("EL1PCEN=0: CNTV_CTL does not trap", exc_rec.count, 0);
  write_sysreg(cnthctl_el2, 2); /* EL1PCTEN = 0 */
  isb();
  exc_rec_clear();
  run_at_el(1, el1_read_cntpct, 0);
  check("EL1PCTEN=0: CNTPCT traps", exc_rec.count, 1);
  check("  EC", ESR_EC(exc_rec.esr), EC_SYS64);
  write_sysreg(cnthctl_el2, 3);
  isb();
  exc_rec_clear();
  run_at_el(1, el1_read_cntp_ctl, 0);
  run_at_el(1, el1_read_cntpct, 0);
  check("CNTHCTL_EL2 = 3: no traps", exc_rec.count, 0);

  return test_done();
}
