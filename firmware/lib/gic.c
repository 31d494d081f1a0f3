/* hvsim firmware: GICv3 helpers shared by the interrupt tests. */
#include "gic.h"

u64 gic_find_redistributor(void) {
  /* As Linux's gic_populate_rdist(): match GICR_TYPER's affinity with
   * MPIDR_EL1 (Aff3 in [63:56], Aff2..0 in [55:32]) up to the Last frame. */
  u64 mpidr = read_sysreg(mpidr_el1);
  u64 aff = (((mpidr >> 32) & 0xff) << 24) | (mpidr & 0xffffff);
  for (u64 r = GICR;;) {
    u64 typer = rd64(r + GICR_TYPER);
    if ((typer >> 32) == aff) return r;
    if (typer & (1u << 4)) return 0; /* Last */
    /* GICv4 (GICR_TYPER.VLPIS): VLPI_base and a reserved frame follow. */
    r += (typer & 2) ? 2 * GICR_STRIDE : GICR_STRIDE;
  }
}

void gic_wake_redistributor(u64 rdist) {
  wr32(rdist + GICR_WAKER, rd32(rdist + GICR_WAKER) & ~2u); /* ProcessorSleep */
  while (rd32(rdist + GICR_WAKER) & 4) { /* ChildrenAsleep */
  }
}

volatile u32 gic_seen[GIC_MAX_SEEN];
volatile u32 gic_seen_rpr[GIC_MAX_SEEN];
volatile unsigned gic_nseen;

int gic_record_irq(struct exc_frame *f) {
  if (f->vec != VEC_CUR_SPX + 1) return 0;
  u32 intid = (u32)read_sysreg(ICC_IAR1_EL1);
  if (gic_nseen < GIC_MAX_SEEN) {
    gic_seen[gic_nseen] = intid;
    gic_seen_rpr[gic_nseen] = (u32)read_sysreg(ICC_RPR_EL1);
  }
  gic_nseen++;
  if (intid != SPURIOUS) write_sysreg(ICC_EOIR1_EL1, intid);
  isb();
  return 1;
}

void gic_irq_window(void) {
  gic_nseen = 0;
  __asm__ volatile("msr daifclr, #2\n\tisb\n\tnop\n\tnop\n\tmsr daifset, #2\n\tisb" ::: "memory");
}

void gic_show_seen(const char *what) {
  printf("%s: %u taken:", what, gic_nseen);
  for (unsigned i = 0; i < gic_nseen && i < GIC_MAX_SEEN; i++) printf(" %u@%02x", gic_seen[i], gic_seen_rpr[i]);
  printf("\n");
}

void gic_cpu_if_el2_on(void) {
  write_sysreg(ICC_PMR_EL1, 0xf0);
  write_sysreg(ICC_BPR1_EL1, 0);
  write_sysreg(ICC_CTLR_EL1, 0);
  write_sysreg(ICC_IGRPEN1_EL1, 1);
  write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_IMO | HCR_FMO);
  isb();
}

void gic_init_ppis(u32 enable) {
  wr32(GICD + GICD_CTLR, 0);
  while (rd32(GICD + GICD_CTLR) & (1u << 31)) {
  }
  wr32(GICD + GICD_CTLR, (1u << 4) | (1u << 1) | (1u << 0)); /* ARE, EnableGrp1, EnableGrp0 */
  const u64 rdist = gic_find_redistributor();
  check("redistributor found", rdist != 0, 1);
  gic_wake_redistributor(rdist);
  const u64 sgi = rdist + SGI_BASE;
  wr32(sgi + GICD_IGROUPR, ~0u);
  wr32(sgi + GICD_ICENABLER, ~0u);
  wr32(sgi + GICD_ICPENDR, ~0u);
  wr32(sgi + GICD_ICACTIVER, ~0u);
  for (u32 i = 0; i < 32; i += 4) wr32(sgi + GICD_IPRIORITYR + i, 0xa0a0a0a0);
  wr32(sgi + GICD_ICFGR + 4, 0); /* PPIs level-sensitive */
  wr32(sgi + GICD_ISENABLER, enable);
  gic_cpu_if_el2_on();
}
