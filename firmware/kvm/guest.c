/* kvm_guest: the guest scripts/boot-kvm runs under Linux/KVM with the
 * project's VMM (firmware/kvm/vmm.c). Entered at EL1 with the MMU off, as a
 * KVM vCPU after KVM_ARM_VCPU_INIT (or hvsim/QEMU at EL1). No semihosting:
 * the console is the PL011 data register at 0x09000000, which under KVM is
 * no memory slot, so each access is a stage-2 fault KVM reports to the VMM
 * as KVM_EXIT_MMIO; the exit is PSCI SYSTEM_OFF over HVC (kvm_exit.c).
 *
 * It turns its own stage 1 on (under KVM's stage 2) and checks that RAM
 * reads back through it. Then, through the (virtual) GICv3 CPU interface,
 * each interrupt acknowledged through ICC_IAR1_EL1 and ended through
 * ICC_EOIR1_EL1, it takes: an SGI it sends itself (ICC_SGI1R_EL1, which
 * KVM traps and emulates: with HCR_EL2.IMO the write traps, IHI 0069
 * "ICC_SGI1R_EL1"); its virtual timer's PPI (INTID 27) twice; its
 * physical timer's (INTID 30: direct under VHE, trapped and emulated under
 * nVHE); six level-sensitive SPIs pending at once, more than the list
 * registers hold; and an SGI that preempts an SPI's handler (nested active
 * priorities kept across the exits the handler's console output causes).
 * The last line is PASS or FAIL. */
#include "fw.h"
#include "gic.h"
#include "mmu.h"

#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define INTID_SGI 3
#define INTID_VTIMER 27
#define INTID_PTIMER 30
#define CTL_ENABLE 1UL
#define CTL_IMASK 2UL
#define CTL_ISTATUS 4UL
#define UART_PAGE 0x09000000UL
#define GIC_BLOCK 0x08000000UL
#define RAM_BLOCK 0x40000000UL

#define GICD_ISPENDR 0x0200
#define GICD_IROUTER 0x6000
#define SPI_FIRST 40
#define NSPI 6
#define SPI_LOW 46 /* priority 0xc0: preempted by SGI_HIGH (0xa0) */
#define SGI_HIGH 4
#define MAX_SEEN 16

static volatile u32 seen[MAX_SEEN];
static volatile unsigned nseen;
static volatile u64 vtimer_ctl_seen, ptimer_ctl_seen;
static volatile u32 rpr_low, rpr_nested, rpr_after;

static void send_sgi(u32 intid) {
  /* Aff3.Aff2.Aff1 = 0, TargetList bit 0: this vCPU (MPIDR 0). */
  write_sysreg(ICC_SGI1R_EL1, ((u64)intid << 24) | 1);
  isb();
}

/* SPI_LOW's handler, active at priority 0xc0: it prints (MMIO exits to the
 * VMM, so KVM saves and restores the vCPU's GIC state, active priorities
 * included), sends itself SGI_HIGH and lets it preempt. */
static void low_priority_work(void) {
  rpr_low = (u32)read_sysreg(ICC_RPR_EL1);
  printf("kvm-guest: in SPI %u's handler\n", SPI_LOW);
  unsigned before = nseen;
  send_sgi(SGI_HIGH);
  for (unsigned spin = 0; nseen == before && spin < 100000; spin++)
    __asm__ volatile("msr daifclr, #2\n\tisb\n\tmsr daifset, #2\n\tisb" ::: "memory");
  rpr_after = (u32)read_sysreg(ICC_RPR_EL1);
}

static int handler(struct exc_frame *f) {
  if (f->el != 1 || f->vec != VEC_CUR_SPX + 1) return 0;
  u32 intid = (u32)read_sysreg(ICC_IAR1_EL1);
  if (nseen < MAX_SEEN) seen[nseen] = intid;
  nseen++;
  if (intid == INTID_VTIMER) {
    /* The timer's output is level: mask it before ending the interrupt. */
    vtimer_ctl_seen = read_sysreg(cntv_ctl_el0);
    write_sysreg(cntv_ctl_el0, CTL_ENABLE | CTL_IMASK);
    isb();
  }
  if (intid == INTID_PTIMER) {
    ptimer_ctl_seen = read_sysreg(cntp_ctl_el0);
    write_sysreg(cntp_ctl_el0, CTL_ENABLE | CTL_IMASK);
    isb();
  }
  if (intid == SGI_HIGH) rpr_nested = (u32)read_sysreg(ICC_RPR_EL1);
  if (intid == SPI_LOW) low_priority_work();
  if (intid != SPURIOUS) write_sysreg(ICC_EOIR1_EL1, intid);
  isb();
  return 1;
}

static void stage1_on(void) {
  static struct mmu_tables t;
  mmu_init(&t, 12, 39, -1);
  mmu_map(&t, RAM_BLOCK, RAM_BLOCK, 1UL << 30, 1, PTE_NORMAL);
  mmu_map(&t, GIC_BLOCK, GIC_BLOCK, 2UL << 20, 2, PTE_DEVICE);
  mmu_map(&t, UART_PAGE, UART_PAGE, 4096, 3, PTE_DEVICE);
  mmu_sync();
  mmu_enable_el1(&t, 1);
}

static void gic_init(void) {
  wr32(GICD + GICD_CTLR, (1u << 4) | (1u << 1)); /* ARE_NS, EnableGrp1 */
  u64 rdist = gic_find_redistributor();
  check("redistributor found", rdist != 0, 1);
  if (!rdist) return;
  gic_wake_redistributor(rdist);
  u64 sgi = rdist + SGI_BASE;
  wr32(sgi + GICD_IGROUPR, ~0u);
  wr32(sgi + GICD_ICENABLER, ~0u);
  wr32(sgi + GICD_ICPENDR, ~0u);
  for (u32 i = 0; i < 32; i += 4) wr32(sgi + GICD_IPRIORITYR + i, 0xa0a0a0a0);
  wr32(sgi + GICD_ISENABLER, (1u << INTID_SGI) | (1u << SGI_HIGH) | (1u << INTID_VTIMER) | (1u << INTID_PTIMER));
  /* SPIs SPI_FIRST.. : Group 1, level-sensitive, routed to this PE
   * (IROUTER = affinity 0.0.0.0), priorities falling with the INTID. */
  wr32(GICD + GICD_IGROUPR + 4, ~0u);
  wr32(GICD + GICD_ICENABLER + 4, ~0u);
  wr32(GICD + GICD_ICPENDR + 4, ~0u);
  wr32(GICD + GICD_ICFGR + 8, 0);
  for (u32 i = 0; i < NSPI; i++) {
    wr64(GICD + GICD_IROUTER + 8 * (SPI_FIRST + i), 0);
    wr8(GICD + GICD_IPRIORITYR + SPI_FIRST + i, (u8)(0xb8 - 8 * i));
  }
  wr64(GICD + GICD_IROUTER + 8 * SPI_LOW, 0);
  wr8(GICD + GICD_IPRIORITYR + SPI_LOW, 0xc0);
  wr32(GICD + GICD_ISENABLER + 4, (((1u << NSPI) - 1) << (SPI_FIRST - 32)) | (1u << (SPI_LOW - 32)));
  write_sysreg(ICC_PMR_EL1, 0xf0);
  write_sysreg(ICC_BPR1_EL1, 0);
  write_sysreg(ICC_CTLR_EL1, 0);
  write_sysreg(ICC_IGRPEN1_EL1, 1);
  isb();
}

/* Waits until `count` interrupts have been taken: WFI with IRQs masked
 * (a pending interrupt still wakes it), then a window with them unmasked,
 * so that none is taken between the check and the WFI. */
static void wait_irqs(unsigned count) {
  for (unsigned spin = 0; nseen < count && spin < 1000; spin++)
    __asm__ volatile("dsb sy\n\twfi\n\tmsr daifclr, #2\n\tisb\n\tmsr daifset, #2\n\tisb" ::: "memory");
}

int main(void) {
  exc_set_handler(handler);
  printf("kvm-guest: running at EL%d\n", current_el());
  check("CurrentEL", (u64)current_el(), 1);

  stage1_on();
  check("SCTLR_EL1.M", read_sysreg(sctlr_el1) & SCTLR_M, SCTLR_M);
  static volatile u64 pattern[64];
  u64 sum = 0, want = 0;
  for (unsigned i = 0; i < 64; i++) pattern[i] = mix64(i, 0x6b766d);
  for (unsigned i = 0; i < 64; i++) {
    sum = mix64(sum, pattern[i]);
    want = mix64(want, mix64(i, 0x6b766d));
  }
  check("RAM through stage 1", sum, want);
  at(s1e1r, (u64)&pattern[0]);
  isb();
  check("AT S1E1R of RAM (PA)", par_fields(read_sysreg(par_el1)), PAR_PA((u64)&pattern[0]));

  gic_init();
  nseen = 0;
  send_sgi(INTID_SGI);
  wait_irqs(1);
  check("SGI taken", nseen, 1);
  check("SGI INTID", seen[0], INTID_SGI);

  /* The virtual timer twice, through TVAL and through CVAL: each time the
   * vCPU waits in WFI (KVM traps it and blocks the vCPU until the deadline)
   * and the interrupt is injected as a hardware-mapped virtual PPI. */
  u64 frq = read_sysreg(cntfrq_el0);
  write_sysreg(cntv_tval_el0, frq / 1000);
  write_sysreg(cntv_ctl_el0, CTL_ENABLE);
  isb();
  wait_irqs(2);
  check("vtimer (TVAL) taken", nseen, 2);
  check("vtimer (TVAL) INTID", seen[1], INTID_VTIMER);
  check("vtimer (TVAL) ISTATUS at the interrupt", (vtimer_ctl_seen & CTL_ISTATUS) != 0, 1);
  vtimer_ctl_seen = 0;
  u64 deadline = read_sysreg(cntvct_el0) + frq / 500;
  write_sysreg(cntv_cval_el0, deadline);
  write_sysreg(cntv_ctl_el0, CTL_ENABLE);
  isb();
  wait_irqs(3);
  check("vtimer (CVAL) taken", nseen, 3);
  check("vtimer (CVAL) INTID", seen[2], INTID_VTIMER);
  check("vtimer (CVAL) ISTATUS at the interrupt", (vtimer_ctl_seen & CTL_ISTATUS) != 0, 1);
  check("CNTVCT_EL0 reached the deadline", read_sysreg(cntvct_el0) >= deadline, 1);
  write_sysreg(cntv_ctl_el0, 0);

  /* The EL1 physical timer. KVM with VHE gives it to the guest
   * (CNTHCTL_EL2.EL1PCEN, bit 11 with HCR_EL2.E2H = 1, set) and forwards
   * its PPI as a hardware interrupt; without VHE it traps the guest's CNTP_*
   * accesses (EL1PCEN, bit 1, clear) and emulates the timer. */
  write_sysreg(cntp_tval_el0, frq / 1000);
  write_sysreg(cntp_ctl_el0, CTL_ENABLE);
  isb();
  wait_irqs(4);
  check("ptimer taken", nseen, 4);
  check("ptimer INTID", seen[3], INTID_PTIMER);
  check("ptimer ISTATUS at the interrupt", (ptimer_ctl_seen & CTL_ISTATUS) != 0, 1);
  write_sysreg(cntp_ctl_el0, 0);

  /* More pending interrupts than a GIC has list registers (4 on hvsim):
   * six SPIs made pending at once (GICD_ISPENDR; for level-sensitive ones
   * that is a latch the acknowledgement clears, IHI 0069 4.1.2), taken in
   * priority order, highest (the largest INTID) first. */
  wr32(GICD + GICD_ISPENDR + 4, ((1u << NSPI) - 1) << (SPI_FIRST - 32));
  wait_irqs(4 + NSPI);
  check("SPIs taken", nseen - 4, NSPI);
  u32 order_ok = 1;
  for (u32 i = 0; i < NSPI; i++) order_ok &= seen[4 + i] == SPI_FIRST + NSPI - 1 - i;
  check("SPIs in priority order", order_ok, 1);
  check("GICD_ISPENDR after", rd32(GICD + GICD_ISPENDR + 4) & (((1u << NSPI) - 1) << (SPI_FIRST - 32)), 0);

  /* Preemption: SGI_HIGH (0xa0) taken inside SPI_LOW's handler (0xc0). */
  wr32(GICD + GICD_ISPENDR + 4, 1u << (SPI_LOW - 32));
  wait_irqs(4 + NSPI + 2);
  check("nested: taken", nseen - 4 - NSPI, 2);
  check("nested: first, the low-priority SPI", seen[4 + NSPI], SPI_LOW);
  check("nested: then the preempting SGI", seen[4 + NSPI + 1], SGI_HIGH);
  check("nested: running priority in the SPI's handler", rpr_low, 0xc0);
  check("nested: running priority in the SGI's handler", rpr_nested, 0xa0);
  check("nested: running priority after the SGI's EOI", rpr_after, 0xc0);
  check("running priority at the end (idle)", read_sysreg(ICC_RPR_EL1), 0xff);

  printf("kvm-guest: result stage1=on sgi=%u vtimer=%u,%u ptimer=%u spis=%u..%u nested=%u/%u irqs=%u\n",
         seen[0], seen[1], seen[2], seen[3], seen[4], seen[4 + NSPI - 1], seen[4 + NSPI], seen[4 + NSPI + 1],
         nseen);
  return test_done();
}
