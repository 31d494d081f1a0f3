/* vgic: the GICv3 virtualization interface. A hypervisor at EL2 routes
 * physical IRQs/FIQs to itself (HCR_EL2.IMO/FMO), which also sends the EL1
 * guest's ICC_* accesses to the virtual CPU interface (ICV_*). It injects a
 * virtual interrupt through ICH_LR0_EL2 (with the EOI bit, asking for a
 * maintenance interrupt when the guest ends it); the guest takes the
 * virtual IRQ at EL1, acknowledges it through ICC_IAR1_EL1 and ends it
 * through ICC_EOIR1_EL1; the maintenance interrupt (PPI 9, INTID 25) then
 * reaches the hypervisor, which sees the list register invalid in
 * ICH_EISR_EL2/ICH_MISR_EL2 and frees it (ICH_ELRSR_EL2). A second
 * injection without the EOI bit leaves the list register empty at once;
 * finally ICH_HCR_EL2.UIE raises the maintenance interrupt for an
 * underflow. Runs identically on QEMU (virt, gic-version=3,
 * virtualization=on). */
#include "fw.h"
#include "gic.h"

#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_IPRIORITYR 0x0400

#define ICH_HCR_EL2 S3_4_C12_C11_0
#define ICH_VTR_EL2 S3_4_C12_C11_1
#define ICH_MISR_EL2 S3_4_C12_C11_2
#define ICH_EISR_EL2 S3_4_C12_C11_3
#define ICH_ELRSR_EL2 S3_4_C12_C11_5
#define ICH_VMCR_EL2 S3_4_C12_C11_7
#define ICH_LR0_EL2 S3_4_C12_C12_0
#define ICH_LR1_EL2 S3_4_C12_C12_1
#define ICH_AP1R0_EL2 S3_4_C12_C9_0

#define ICH_HCR_EN (1UL << 0)
#define ICH_HCR_UIE (1UL << 1)
#define ICH_VMCR_VENG1 (1UL << 1)
#define LR_EOI (1UL << 41)
#define LR_GROUP1 (1UL << 60)
#define LR_PENDING (1UL << 62)
#define LR_STATE(lr) ((lr) >> 62)
#define MAINT_INTID 25

/* What the guest saw in its IRQ handler (EL1). */
static volatile u32 g_taken, g_iar, g_rpr, g_hppir_after;
/* What the hypervisor saw in its maintenance handler (EL2). */
static volatile u32 h_taken, h_intid, h_misr, h_eisr, h_elrsr, h_lr0_state, h_elrsr_freed;

static volatile u64 h_trap_esr;
static volatile u32 h_traps;

static int handler(struct exc_frame *f) {
  if (f->el == 2 && f->vec == VEC_LOWER64 && (f->esr >> 26) == 0x18) {
    /* Hypervisor: a trapped ICC_* access (ICH_HCR_EL2.TALL1): skip it. */
    h_traps++;
    h_trap_esr = f->esr;
    f->elr += 4;
    return 1;
  }
  if (f->el == 1 && f->vec == VEC_CUR_SPX + 1) {
    /* Guest: a virtual IRQ, served by ICV_IAR1_EL1/ICV_EOIR1_EL1. */
    g_taken++;
    g_iar = (u32)read_sysreg(ICC_IAR1_EL1);
    g_rpr = (u32)read_sysreg(ICC_RPR_EL1);
    if (g_iar != SPURIOUS) write_sysreg(ICC_EOIR1_EL1, g_iar);
    isb();
    g_hppir_after = (u32)read_sysreg(ICC_HPPIR1_EL1);
    return 1;
  }
  if (f->el == 2 && (f->vec == VEC_LOWER64 + 1 || f->vec == VEC_CUR_SPX + 1)) {
    /* Hypervisor: a physical IRQ, the maintenance interrupt. */
    h_taken++;
    h_intid = (u32)read_sysreg(ICC_IAR1_EL1);
    h_misr = (u32)read_sysreg(ICH_MISR_EL2);
    h_eisr = (u32)read_sysreg(ICH_EISR_EL2);
    h_elrsr = (u32)read_sysreg(ICH_ELRSR_EL2);
    h_lr0_state = (u32)LR_STATE(read_sysreg(ICH_LR0_EL2));
    /* Free the list register and stop asking for underflow: the
     * maintenance interrupt's conditions go away. */
    write_sysreg(ICH_LR0_EL2, 0);
    write_sysreg(ICH_HCR_EL2, read_sysreg(ICH_HCR_EL2) & ~ICH_HCR_UIE);
    isb();
    h_elrsr_freed = (u32)read_sysreg(ICH_ELRSR_EL2);
    if (h_intid != SPURIOUS) write_sysreg(ICC_EOIR1_EL1, h_intid);
    isb();
    return 1;
  }
  return 0;
}

static void clear_seen(void) { g_taken = g_iar = g_rpr = g_hppir_after = h_taken = h_intid = 0; }

/* The guest (EL1): its view of the virtual CPU interface, then a window
 * with IRQs unmasked. */
static volatile u32 g_igrpen1, g_pmr, g_hppir, g_isr_i;
static long guest(long arg) {
  (void)arg;
  g_igrpen1 = (u32)read_sysreg(ICC_IGRPEN1_EL1);
  g_pmr = (u32)read_sysreg(ICC_PMR_EL1);
  g_hppir = (u32)read_sysreg(ICC_HPPIR1_EL1);
  g_isr_i = (u32)((read_sysreg(isr_el1) >> 7) & 1);
  __asm__ volatile("msr daifclr, #2\n\tisb\n\tnop\n\tnop\n\tmsr daifset, #2\n\tisb" ::: "memory");
  return 0;
}

/* The guest reads ICC_IGRPEN1_EL1, trapped with ICH_HCR_EL2.TALL1. */
static long guest_trapped(long arg) {
  (void)arg;
  return (long)read_sysreg(ICC_IGRPEN1_EL1);
}

int main(void) {
  exc_set_handler(handler);

  /* ---- the physical GIC, as in tests/gic.c ---- */
  wr32(GICD + GICD_CTLR, (1u << 4) | (1u << 1) | (1u << 0));
  u64 rdist = gic_find_redistributor();
  check("redistributor found", rdist != 0, 1);
  gic_wake_redistributor(rdist);
  u64 sgi = rdist + SGI_BASE;
  wr32(sgi + GICR_IGROUPR0, ~0u);
  wr8(sgi + GICR_IPRIORITYR + MAINT_INTID, 0x80);
  wr32(sgi + GICR_ISENABLER0, 1u << MAINT_INTID);
  check("ICC_SRE_EL2 (SRE, Enable)", read_sysreg(ICC_SRE_EL2) & 0x9, 0x9);
  write_sysreg(ICC_PMR_EL1, 0xf0);
  write_sysreg(ICC_CTLR_EL1, 0);
  write_sysreg(ICC_IGRPEN1_EL1, 1);
  write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_IMO | HCR_FMO);
  isb();

  /* ---- the hypervisor's view ---- */
  u64 vtr = read_sysreg(ICH_VTR_EL2);
  check("ICH_VTR_EL2 list registers", (vtr & 0x1f) + 1, 4);
  check("ICH_VTR_EL2.PRIbits", ((vtr >> 29) & 7) + 1, 5);
  write_sysreg(ICH_LR0_EL2, 0);
  write_sysreg(ICH_LR1_EL2, 0);
  write_sysreg(ICH_AP1R0_EL2, 0);
  write_sysreg(ICH_VMCR_EL2, ICH_VMCR_VENG1 | (0xf0UL << 24));
  write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
  isb();
  check("ICH_ELRSR_EL2 all empty", read_sysreg(ICH_ELRSR_EL2) & 0xf, 0xf);
  check("ICH_MISR_EL2 idle", read_sysreg(ICH_MISR_EL2), 0);

  /* ---- inject vINTID 27 with the EOI bit ---- */
  write_sysreg(ICH_LR0_EL2, 27UL | (0xa0UL << 48) | LR_GROUP1 | LR_PENDING | LR_EOI);
  isb();
  check("LR0 in use: ICH_ELRSR_EL2", read_sysreg(ICH_ELRSR_EL2) & 0xf, 0xe);
  clear_seen();
  run_at_el(1, guest, 0);
  check("guest ICC_IGRPEN1_EL1 (VENG1)", g_igrpen1, 1);
  check("guest ICC_PMR_EL1 (VPMR)", g_pmr, 0xf0);
  check("guest ICC_HPPIR1_EL1", g_hppir, 27);
  check("guest ISR_EL1.I", g_isr_i, 1);
  check("guest IRQs taken", g_taken, 1);
  check("guest ICC_IAR1_EL1", g_iar, 27);
  check("guest ICC_RPR_EL1", g_rpr, 0xa0);
  check("guest HPPIR1 after EOI", g_hppir_after, SPURIOUS);
  check("maintenance interrupts", h_taken, 1);
  check("maintenance INTID", h_intid, MAINT_INTID);
  check("ICH_MISR_EL2.EOI", h_misr, 1);
  check("ICH_EISR_EL2", h_eisr, 1);
  check("ICH_ELRSR_EL2 before freeing", h_elrsr & 0xf, 0xe);
  check("LR0 state", h_lr0_state, 0);
  check("ICH_ELRSR_EL2 after freeing", h_elrsr_freed & 0xf, 0xf);
  check("ICH_AP1R0_EL2 after EOI", read_sysreg(ICH_AP1R0_EL2), 0);

  /* ---- vINTID 28 without the EOI bit: no maintenance ---- */
  write_sysreg(ICH_LR1_EL2, 28UL | (0x90UL << 48) | LR_GROUP1 | LR_PENDING);
  isb();
  clear_seen();
  run_at_el(1, guest, 0);
  check("guest ICC_IAR1_EL1 (LR1)", g_iar, 28);
  check("guest ICC_RPR_EL1 (LR1)", g_rpr, 0x90);
  check("maintenance interrupts (LR1)", h_taken, 0);
  check("LR1 state", LR_STATE(read_sysreg(ICH_LR1_EL2)), 0);
  check("ICH_ELRSR_EL2 (LR1)", read_sysreg(ICH_ELRSR_EL2) & 0xf, 0xf);
  check("ICH_EISR_EL2 (LR1)", read_sysreg(ICH_EISR_EL2), 0);

  /* ---- ICH_HCR_EL2.UIE: underflow with no valid list register ---- */
  clear_seen();
  write_sysreg(ICH_HCR_EL2, ICH_HCR_EN | ICH_HCR_UIE);
  isb();
  check("UIE: ICH_MISR_EL2.U", read_sysreg(ICH_MISR_EL2), 2);
  check("UIE: ISR_EL1.I", (read_sysreg(isr_el1) >> 7) & 1, 1);
  __asm__ volatile("msr daifclr, #2\n\tisb\n\tnop\n\tnop\n\tmsr daifset, #2\n\tisb" ::: "memory");
  check("UIE: maintenance interrupts", h_taken, 1);
  check("UIE: INTID", h_intid, MAINT_INTID);
  check("UIE: ICH_MISR_EL2 in handler", h_misr, 2);
  check("UIE: ISR_EL1.I after", (read_sysreg(isr_el1) >> 7) & 1, 0);

  /* ---- ICH_HCR_EL2.TALL1 traps the guest's Group 1 registers ---- */
  write_sysreg(ICH_HCR_EL2, ICH_HCR_EN | (1UL << 12));
  isb();
  run_at_el(1, guest_trapped, 0);
  check("TALL1: traps", h_traps, 1);
  check("TALL1: ESR_EL2.EC", h_trap_esr >> 26, 0x18);
  check("TALL1: ESR_EL2.ISS op0/op2/op1/CRn/CRm/dir", h_trap_esr & 0x1fffc1f, (3u << 20) | (7u << 17) | (0u << 14) | (12u << 10) | (12u << 1) | 1);

  write_sysreg(ICH_HCR_EL2, 0);
  write_sysreg(hcr_el2, read_sysreg(hcr_el2) & ~(HCR_IMO | HCR_FMO));
  isb();
  return test_done();
}
