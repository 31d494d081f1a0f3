/* pmu: the ARMv8.0 Performance Monitors (FEAT_PMUv3, Arm ARM D7 and the PM*
 * register descriptions) at EL2 with an EL1 guest:
 *  - identification: ID_AA64DFR0_EL1.PMUVer, PMCR_EL0.N, the PMCEID0 bits
 *    both simulators implement (SW_INCR, CPU_CYCLES);
 *  - counting: the cycle counter advances; on hvsim only (silent), the exact
 *    INST_RETIRED count of a loop, EXC_TAKEN/EXC_RETURN of an SVC and
 *    PMCEID0_EL0 as a whole (QEMU counts instructions only with -icount,
 *    and its cycles are host time); at the end, also on hvsim only, the
 *    L1D/L2D cache and TLB events of a 64 KB read with the EL2 MMU on
 *    (QEMU has neither those events nor caches);
 *  - overflow: PMSWINC wraps an event counter and PMCCNTR wraps at bit 31
 *    (PMCR_EL0.LC = 0), each raising the PMU interrupt, PPI 7 (INTID 23),
 *    taken at EL2 through the GICv3; PMOVSCLR_EL0 drops it. On hvsim the
 *    cycle counter's interrupt comes with no PM* register access (silent:
 *    QEMU finds the overflow at the next access);
 *  - EL filtering: PMEVTYPER<n>_EL0.P/NSH for SW_INCR written at EL1 and
 *    EL2, PMCCFILTR_EL0.P for the cycle counter read at EL1;
 *  - EL0 access under PMUSERENR_EL0 (EN, CR) in an EL0 program under the
 *    EL1 guest: a denied access traps to EL1 (EC 0x18);
 *  - MDCR_EL2 from the EL1 guest: TPM traps every PM* register (EC 0x18
 *    to EL2 with the register's ISS); TPMCR PMCR_EL0 only (hvsim only,
 *    silent: QEMU 7.2 does not model TPMCR); HPMN
 *    reserves counters for EL2: PMCR_EL0.N reads HPMN at EL1, PMCNTENSET
 *    bits above it are RAZ/WI and PMEVCNTR<n> above it is UNDEFINED (hvsim
 *    only, silent: QEMU 7.2 does neither).
 * Only architected values are printed: never counts or times. */
#include "fw.h"
#include "gic.h"
#include "mmu.h"

#define INTID_PMU 23
#define PMCR_E (1UL << 0)
#define PMCR_P (1UL << 1)
#define PMCR_C (1UL << 2)
#define CYCLE (1UL << 31)
#define FILT_P (1UL << 31)
#define FILT_U (1UL << 30)
#define FILT_NSH (1UL << 27)
#define EV_SW_INCR 0x00
#define EV_INST_RETIRED 0x08
#define EV_EXC_TAKEN 0x09
#define EV_EXC_RETURN 0x0a
#define EV_CPU_CYCLES 0x11
#define MDCR_TPMCR (1UL << 5)
#define MDCR_TPM (1UL << 6)

static volatile unsigned nirq;
static volatile u32 seen_intid;
static volatile u64 seen_ovs;

/* IRQs at EL2: the PMU's interrupt is level-sensitive, so the handler
 * clears the overflow status before EOI. Synchronous: record and skip. */
static int handler(struct exc_frame *f) {
  if (f->vec != VEC_CUR_SPX + 1) return ESR_EC(f->esr) == EC_SVC64 ? exc_record_only(f) : exc_record_skip(f);
  u32 intid = (u32)read_sysreg(ICC_IAR1_EL1);
  nirq++;
  seen_intid = intid;
  seen_ovs = read_sysreg(pmovsset_el0);
  write_sysreg(pmovsclr_el0, seen_ovs);
  isb();
  if (intid != SPURIOUS) write_sysreg(ICC_EOIR1_EL1, intid);
  isb();
  return 1;
}

static u32 isr_irq(void) { return (u32)((read_sysreg(isr_el1) >> 7) & 1); }

static void gic_init(void) { gic_init_ppis(1u << INTID_PMU); }

static void take_irqs(void) {
  nirq = 0;
  seen_intid = SPURIOUS;
  seen_ovs = 0;
  __asm__ volatile("msr daifclr, #2\n\tisb\n\tnop\n\tnop\n\tmsr daifset, #2\n\tisb" ::: "memory");
}

static void spin(unsigned n) {
  for (volatile unsigned i = 0; i < n; i++) {
  }
}

/* Resets and stops everything; counters 0-5 and the cycle counter free. */
static void pmu_quiesce(void) {
  write_sysreg(pmcr_el0, PMCR_P | PMCR_C);
  write_sysreg(pmcntenclr_el0, ~0UL);
  write_sysreg(pmintenclr_el1, ~0UL);
  write_sysreg(pmovsclr_el0, ~0UL);
  write_sysreg(pmccfiltr_el0, FILT_NSH);
  isb();
}

/* ---- the EL1 guest's accesses ---- */
static long el1_pmswinc(long bits) {
  write_sysreg(pmswinc_el0, (u64)bits);
  isb();
  return 0;
}
static long el1_cycles_across_spin(long n) {
  u64 a = read_sysreg(pmccntr_el0);
  spin((unsigned)n);
  u64 b = read_sysreg(pmccntr_el0);
  return (long)(b - a);
}
static long el1_read_pmcr(long arg) {
  (void)arg;
  return (long)read_sysreg(pmcr_el0);
}
static long el1_read_pmccntr(long arg) {
  (void)arg;
  return (long)read_sysreg(pmccntr_el0);
}
static long el1_read_pmuserenr(long arg) {
  (void)arg;
  return (long)read_sysreg(pmuserenr_el0);
}
static long el1_write_pmintenset(long arg) {
  write_sysreg(pmintenset_el1, (u64)arg);
  return 0;
}
static long el1_set_read_pmcntenset(long arg) {
  write_sysreg(pmcntenset_el0, (u64)arg);
  isb();
  return (long)read_sysreg(pmcntenset_el0);
}
static long el1_read_pmevcntr3(long arg) {
  (void)arg;
  return (long)read_sysreg(pmevcntr3_el0);
}

/* ---- memory-system events (hvsim only: they are the models' own) ---- */
#define RAM_PA 0x40000000UL
#define UART_PA 0x09000000UL
#define ALIAS_VA 0x80000000UL /* above RAM: 4 KB pages onto membuf */
#define MEMBUF_BYTES (64UL << 10)
static volatile u64 membuf[MEMBUF_BYTES / 8] __attribute__((aligned(4096)));
static struct mmu_tables tables;

static u64 sum_at(u64 va) {
  u64 sum = 0;
  for (u64 i = 0; i < MEMBUF_BYTES / 8; i++) sum += ((volatile u64 *)va)[i];
  return sum;
}

/* Counts six events over a read of the 64 KB buffer through `va`. */
static void count_read(u64 va, const u64 ev[6], u64 out[6]) {
  pmu_quiesce();
  write_sysreg(pmevtyper0_el0, ev[0] | FILT_NSH);
  write_sysreg(pmevtyper1_el0, ev[1] | FILT_NSH);
  write_sysreg(pmevtyper2_el0, ev[2] | FILT_NSH);
  write_sysreg(pmevtyper3_el0, ev[3] | FILT_NSH);
  write_sysreg(pmevtyper4_el0, ev[4] | FILT_NSH);
  write_sysreg(pmevtyper5_el0, ev[5] | FILT_NSH);
  write_sysreg(pmcntenset_el0, 0x3f);
  write_sysreg(pmcr_el0, PMCR_E | PMCR_P);
  isb();
  const u64 sum = sum_at(va);
  write_sysreg(pmcr_el0, 0);
  isb();
  check_quiet("buffer sum", sum, 0);
  out[0] = read_sysreg(pmevcntr0_el0);
  out[1] = read_sysreg(pmevcntr1_el0);
  out[2] = read_sysreg(pmevcntr2_el0);
  out[3] = read_sysreg(pmevcntr3_el0);
  out[4] = read_sysreg(pmevcntr4_el0);
  out[5] = read_sysreg(pmevcntr5_el0);
}

/* With the EL2 MMU and caches on: the L1D, L2 and TLB events of a read of
 * 64 KB through 16 fresh 4 KB pages. Leaves the MMU on. */
static void memory_events(void) {
  mmu_init(&tables, 12, 39, -1);
  mmu_map(&tables, RAM_PA, RAM_PA, 1UL << 30, 1, PTE_NORMAL);
  mmu_map(&tables, UART_PA, UART_PA, 2UL << 20, 2, PTE_DEVICE);
  mmu_map(&tables, ALIAS_VA, (u64)membuf, MEMBUF_BYTES, 3, PTE_NORMAL);
  mmu_map(&tables, ALIAS_VA + MEMBUF_BYTES, (u64)membuf, MEMBUF_BYTES, 3, PTE_NORMAL);
  mmu_sync();
  mmu_enable_el2(&tables);
  const u64 line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
  const u64 loads = MEMBUF_BYTES / 8, lines = MEMBUF_BYTES / line, pages = MEMBUF_BYTES / 4096;
  u64 c[6];
  const u64 cache_ev[6] = {0x04, 0x03, 0x16, 0x17, 0x14, 0x01};
  count_read(ALIAS_VA, cache_ev, c);
  check_quiet("L1D_CACHE >= loads (hvsim)", c[0] >= loads, 1);
  check_quiet("L1D_CACHE_REFILL >= lines (hvsim)", c[1] >= lines, 1);
  check_quiet("L1D_CACHE_REFILL < L1D_CACHE (hvsim)", c[1] < c[0], 1);
  check_quiet("L2D_CACHE >= L1D refills (hvsim)", c[2] >= c[1], 1);
  check_quiet("L2D_CACHE_REFILL in 1..L2D_CACHE (hvsim)", c[3] >= 1 && c[3] <= c[2], 1);
  check_quiet("L1I_CACHE > 0 (hvsim)", c[4] > 0, 1);
  check_quiet("L1I_CACHE_REFILL <= L1I_CACHE (hvsim)", c[5] <= c[4], 1);
  const u64 tlb_ev[6] = {0x05, 0x2f, 0x2d, 0x02, EV_INST_RETIRED, EV_CPU_CYCLES};
  count_read(ALIAS_VA + MEMBUF_BYTES, tlb_ev, c);
  check_quiet("L1D_TLB_REFILL >= pages (hvsim)", c[0] >= pages, 1);
  check_quiet("L2D_TLB >= pages (hvsim)", c[1] >= pages, 1);
  check_quiet("L2D_TLB_REFILL >= pages, <= L2D_TLB (hvsim)", c[2] >= pages && c[2] <= c[1], 1);
  check_quiet("L1I_TLB_REFILL <= L2D_TLB (hvsim)", c[3] <= c[1], 1);
  check_quiet("INST_RETIRED > loads (hvsim)", c[4] > loads, 1);
  check_quiet("CPU_CYCLES >= INST_RETIRED (hvsim)", c[5] >= c[4], 1);
}

/* ---- EL0 under PMUSERENR_EL0, from EL1 ---- */
static long el0_read_pmccntr(long arg) {
  (void)arg;
  return (long)read_sysreg(pmccntr_el0);
}
static long el0_write_pmccntr(long arg) {
  write_sysreg(pmccntr_el0, (u64)arg);
  return 0;
}
static long el0_read_pmcr(long arg) {
  (void)arg;
  return (long)read_sysreg(pmcr_el0);
}
static long el0_read_pmuserenr(long arg) {
  (void)arg;
  return (long)read_sysreg(pmuserenr_el0);
}
static long el1_run_el0(long fn) { return run_at_el(0, (long (*)(long))fn, 0); }

/* Runs fn at EL0 (under EL1 under EL2); 1 if it trapped to EL1 with EC 0x18. */
static int el0_traps(long (*fn)(long)) {
  exc_rec_clear();
  run_at_el(1, el1_run_el0, (long)fn);
  return exc_rec.count == 1 && exc_rec.el == 1 && ESR_EC(exc_rec.esr) == EC_SYS64;
}

/* The ISS of an MRS/MSR trap without Rt (Arm ARM, ESR_ELx ISS for EC 0x18). */
static u64 iss_of(u64 op1, u64 crn, u64 crm, u64 op2, int read) {
  return (3UL << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (crm << 1) | (u64)read;
}

static void check_trap(const char *what, long (*fn)(long), long arg, u64 iss) {
  exc_rec_clear();
  run_at_el(1, fn, arg);
  checkf(exc_rec.count, 1, "%s: trapped", what);
  checkf(exc_rec.el, 2, "%s: to EL", what);
  checkf(ESR_EC(exc_rec.esr), EC_SYS64, "%s: EC", what);
  checkf(ESR_ISS(exc_rec.esr) & ~(0x1fUL << 5), iss, "%s: ISS", what);
}

static void check_no_trap(const char *what, long (*fn)(long), long arg) {
  exc_rec_clear();
  run_at_el(1, fn, arg);
  checkf(exc_rec.count, 0, "%s: not trapped", what);
}

int main(void) {
  exc_set_handler(handler);
  const int hvsim = on_hvsim();

  /* ---- identification ---- */
  check("ID_AA64DFR0_EL1.PMUVer", (read_sysreg(id_aa64dfr0_el1) >> 8) & 0xf, 1);
  const u64 n = (read_sysreg(pmcr_el0) >> 11) & 0x1f;
  check("PMCR_EL0.N", n, 6);
  const u64 ceid0 = read_sysreg(pmceid0_el0);
  check("PMCEID0: SW_INCR", (ceid0 >> EV_SW_INCR) & 1, 1);
  check("PMCEID0: CPU_CYCLES", (ceid0 >> EV_CPU_CYCLES) & 1, 1);
  if (hvsim) {
    /* Every event the default configuration (caches, TLBs) has. */
    check_quiet("PMCEID0 (hvsim)", ceid0, 0x73fUL | (1UL << 0x11) | (1UL << 0x14) | (1UL << 0x16) | (1UL << 0x17));
    check_quiet("PMCEID1 (hvsim)", read_sysreg(pmceid1_el0), (1UL << (0x2d - 32)) | (1UL << (0x2f - 32)));
  }
  check("MDCR_EL2.HPMN resets to N", read_sysreg(mdcr_el2) & 0x1f, n);
  pmu_quiesce();
  write_sysreg(pmcntenset_el0, ~0UL);
  check("PMCNTENSET bits above N RAZ/WI", read_sysreg(pmcntenset_el0), CYCLE | ((1UL << n) - 1));
  pmu_quiesce();

  /* ---- counting at EL2 ---- */
  write_sysreg(pmevtyper0_el0, EV_INST_RETIRED | FILT_NSH);
  write_sysreg(pmevtyper1_el0, EV_EXC_TAKEN | FILT_NSH);
  write_sysreg(pmevtyper2_el0, EV_EXC_RETURN | FILT_NSH);
  write_sysreg(pmcntenset_el0, CYCLE | 7);
  isb();
  u64 c0 = read_sysreg(pmccntr_el0);
  u64 insns;
  /* PMCR.E|P starts counting from 0; the MSR itself retires after the
   * write, then MOV and 1000 SUBS/B.NE pairs; the MRS reads before it retires. */
  __asm__ volatile("msr pmcr_el0, %1\n\t"
                   "mov x1, #1000\n"
                   "1:\tsubs x1, x1, #1\n\t"
                   "b.ne 1b\n\t"
                   "mrs %0, pmevcntr0_el0"
                   : "=r"(insns)
                   : "r"(PMCR_E | PMCR_P)
                   : "x1", "cc", "memory");
  u64 c1 = read_sysreg(pmccntr_el0);
  check("PMCCNTR advances at EL2 (NSH)", c1 > c0, 1);
  if (hvsim) check_quiet("INST_RETIRED of the loop (hvsim)", insns, 2002);
  __asm__ volatile("svc #0x12" ::: "memory"); /* skipped by the handler */
  if (hvsim) {
    check_quiet("EXC_TAKEN of an SVC (hvsim)", read_sysreg(pmevcntr1_el0), 1);
    check_quiet("EXC_RETURN of its ERET (hvsim)", read_sysreg(pmevcntr2_el0), 1);
  }
  pmu_quiesce();

  /* ---- overflow interrupts through the GIC ---- */
  gic_init();
  write_sysreg(pmevtyper0_el0, EV_SW_INCR | FILT_NSH);
  write_sysreg(pmevcntr0_el0, 0xffffffffUL);
  write_sysreg(pmcntenset_el0, 1);
  write_sysreg(pmintenset_el1, 1);
  write_sysreg(pmcr_el0, PMCR_E);
  isb();
  check("before PMSWINC: PMOVSSET", read_sysreg(pmovsset_el0), 0);
  check("before PMSWINC: ISR_EL1.I", isr_irq(), 0);
  write_sysreg(pmswinc_el0, 1);
  isb();
  check("SW_INCR wrapped: PMEVCNTR0", read_sysreg(pmevcntr0_el0), 0);
  check("SW_INCR wrapped: PMOVSSET", read_sysreg(pmovsset_el0), 1);
  check("SW_INCR wrapped: ISR_EL1.I", isr_irq(), 1);
  check("SW_INCR wrapped: HPPIR1", read_sysreg(ICC_HPPIR1_EL1), INTID_PMU);
  take_irqs();
  check("SW_INCR overflow: interrupts taken", nirq, 1);
  check("SW_INCR overflow: INTID", seen_intid, INTID_PMU);
  check("SW_INCR overflow: PMOVSSET in handler", seen_ovs, 1);
  check("after PMOVSCLR: ISR_EL1.I", isr_irq(), 0);
  /* Overflow status without PMINTENSET raises nothing. */
  write_sysreg(pmintenclr_el1, 1);
  write_sysreg(pmevcntr0_el0, 0xffffffffUL);
  write_sysreg(pmswinc_el0, 1);
  isb();
  check("no PMINTENSET: PMOVSSET", read_sysreg(pmovsset_el0), 1);
  check("no PMINTENSET: ISR_EL1.I", isr_irq(), 0);
  pmu_quiesce();

  /* The cycle counter with PMCR.LC = 0 overflows out of bit 31. */
  write_sysreg(pmccntr_el0, 0xffffff00UL);
  write_sysreg(pmcntenset_el0, CYCLE);
  write_sysreg(pmintenset_el1, CYCLE);
  write_sysreg(pmcr_el0, PMCR_E);
  isb();
  if (hvsim) {
    /* hvsim ends its run slice where the counter wraps: the interrupt comes
     * with no PM* access. QEMU notices the overflow at the next access of
     * PMCCNTR (or from a host timer, late). */
    for (unsigned i = 0; i < 100000 && !isr_irq(); i++) {
    }
    check_quiet("PMCCNTR wrapped: ISR_EL1.I with no PM* access (hvsim)", isr_irq(), 1);
  }
  for (unsigned i = 0; i < 10000000 && !(read_sysreg(pmccntr_el0) >> 32); i++) {
  }
  check("PMCCNTR wrapped: bits [63:32] counted on", read_sysreg(pmccntr_el0) >> 32, 1);
  check("PMCCNTR wrapped: PMOVSSET", read_sysreg(pmovsset_el0), CYCLE);
  check("PMCCNTR wrapped: ISR_EL1.I", isr_irq(), 1);
  take_irqs();
  check("PMCCNTR overflow: interrupts taken", nirq, 1);
  check("PMCCNTR overflow: INTID", seen_intid, INTID_PMU);
  check("PMCCNTR overflow: PMOVSSET in handler", seen_ovs, CYCLE);
  pmu_quiesce();

  /* ---- EL filtering ---- */
  write_sysreg(pmevtyper0_el0, EV_SW_INCR | FILT_P | FILT_NSH); /* EL2, not EL1 */
  write_sysreg(pmevtyper1_el0, EV_SW_INCR);                     /* EL1, not EL2 */
  write_sysreg(pmevtyper2_el0, EV_SW_INCR | FILT_U);            /* EL1 (U is EL0's), not EL2 */
  write_sysreg(pmcntenset_el0, 7);
  write_sysreg(pmcr_el0, PMCR_E | PMCR_P);
  isb();
  run_at_el(1, el1_pmswinc, 7);
  run_at_el(1, el1_pmswinc, 7);
  write_sysreg(pmswinc_el0, 7);
  isb();
  check("SW_INCR P|NSH: counted at EL2 only", read_sysreg(pmevcntr0_el0), 1);
  check("SW_INCR no filter: counted at EL1 only", read_sysreg(pmevcntr1_el0), 2);
  check("SW_INCR U: counted at EL1 only", read_sysreg(pmevcntr2_el0), 2);
  pmu_quiesce();
  write_sysreg(pmcntenset_el0, CYCLE);
  write_sysreg(pmcr_el0, PMCR_E);
  write_sysreg(pmccfiltr_el0, FILT_P | FILT_NSH);
  isb();
  check("PMCCFILTR.P: no cycles at EL1", run_at_el(1, el1_cycles_across_spin, 2000), 0);
  write_sysreg(pmccfiltr_el0, FILT_NSH);
  isb();
  check("PMCCFILTR.P = 0: cycles at EL1", run_at_el(1, el1_cycles_across_spin, 2000) > 0, 1);
  pmu_quiesce();

  /* ---- PMUSERENR_EL0 controls EL0 ---- */
  write_sysreg(pmuserenr_el0, 0);
  isb();
  check("PMUSERENR=0: EL0 PMUSERENR read traps", el0_traps(el0_read_pmuserenr), 0);
  check("PMUSERENR=0: EL0 PMCCNTR read traps", el0_traps(el0_read_pmccntr), 1);
  check("PMUSERENR=0: EL0 PMCR read traps", el0_traps(el0_read_pmcr), 1);
  write_sysreg(pmuserenr_el0, 4); /* CR */
  isb();
  check("PMUSERENR.CR: EL0 PMCCNTR read traps", el0_traps(el0_read_pmccntr), 0);
  check("PMUSERENR.CR: EL0 PMCCNTR write traps", el0_traps(el0_write_pmccntr), 1);
  check("PMUSERENR.CR: EL0 PMCR read traps", el0_traps(el0_read_pmcr), 1);
  write_sysreg(pmuserenr_el0, 1); /* EN */
  isb();
  check("PMUSERENR.EN: EL0 PMCR read traps", el0_traps(el0_read_pmcr), 0);
  check("PMUSERENR.EN: EL0 PMCCNTR write traps", el0_traps(el0_write_pmccntr), 0);
  write_sysreg(pmuserenr_el0, 0);
  isb();

  /* ---- MDCR_EL2 traps of the EL1 guest's accesses ---- */
  const u64 mdcr = read_sysreg(mdcr_el2);
  if (hvsim) {
    /* QEMU 7.2 does not model MDCR_EL2.TPMCR. */
    write_sysreg(mdcr_el2, mdcr | MDCR_TPMCR);
    isb();
    exc_rec_clear();
    run_at_el(1, el1_read_pmcr, 0);
    check_quiet("TPMCR: PMCR_EL0 read traps to EL2 (hvsim)", exc_rec.count == 1 && exc_rec.el == 2 &&
                ESR_EC(exc_rec.esr) == EC_SYS64 && (ESR_ISS(exc_rec.esr) & ~(0x1fUL << 5)) == iss_of(3, 9, 12, 0, 1), 1);
    exc_rec_clear();
    run_at_el(1, el1_read_pmccntr, 0);
    check_quiet("TPMCR: PMCCNTR_EL0 read does not trap (hvsim)", exc_rec.count, 0);
  }
  write_sysreg(mdcr_el2, mdcr | MDCR_TPM);
  isb();
  check_trap("TPM: PMCR_EL0 read", el1_read_pmcr, 0, iss_of(3, 9, 12, 0, 1));
  check_trap("TPM: PMCCNTR_EL0 read", el1_read_pmccntr, 0, iss_of(3, 9, 13, 0, 1));
  check_trap("TPM: PMUSERENR_EL0 read", el1_read_pmuserenr, 0, iss_of(3, 9, 14, 0, 1));
  check_trap("TPM: PMINTENSET_EL1 write", el1_write_pmintenset, 1, iss_of(0, 9, 14, 1, 0));
  check_trap("TPM: PMSWINC_EL0 write", el1_pmswinc, 1, iss_of(3, 9, 12, 4, 0));
  check("TPM: PMINTENSET unchanged", read_sysreg(pmintenset_el1), 0);
  write_sysreg(mdcr_el2, mdcr);
  isb();
  check_no_trap("no TPM: PMCR_EL0 read", el1_read_pmcr, 0);

  /* HPMN = 2: the guest sees two event counters. */
  write_sysreg(mdcr_el2, (mdcr & ~0x1fUL) | 2);
  isb();
  if (hvsim) {
    check_quiet("HPMN=2: PMCR_EL0.N at EL1 (hvsim)", ((u64)run_at_el(1, el1_read_pmcr, 0) >> 11) & 0x1f, 2);
    check_quiet("HPMN=2: PMCNTENSET at EL1 (hvsim)", (u64)run_at_el(1, el1_set_read_pmcntenset, 0xff), 3);
    exc_rec_clear();
    run_at_el(1, el1_read_pmevcntr3, 0);
    check_quiet("HPMN=2: PMEVCNTR3 at EL1 UNDEFINED (hvsim)", exc_rec.count == 1 && exc_rec.el == 1 &&
                ESR_EC(exc_rec.esr) == EC_UNKNOWN, 1);
  }
  check("HPMN=2: PMCR_EL0.N at EL2", (read_sysreg(pmcr_el0) >> 11) & 0x1f, n);
  write_sysreg(mdcr_el2, mdcr);
  isb();
  if (hvsim) memory_events();
  pmu_quiesce();
  return test_done();
}
