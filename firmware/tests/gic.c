/* gic: the GICv3 distributor, redistributor and CPU interface as the
 * QEMU virt board presents them (gic-version=3, one security state).
 * Initialises them as Linux does (irq-gic-v3.c: distributor with affinity
 * routing, this core's redistributor woken through GICR_WAKER, the ICC_*
 * system registers), then at EL2 (HCR_EL2.IMO/FMO route physical IRQs
 * here): an SGI to itself through ICC_SGI1R_EL1, SPIs made pending through
 * GICD_ISPENDR, priority order, masking by ICC_PMR_EL1, the running
 * priority, split priority drop and deactivation (EOImode), and the
 * spurious INTID. */
#include "fw.h"
#include "gic.h"

#define GICD_ISPENDR 0x0200
#define GICD_ISACTIVER 0x0300
#define GICD_IROUTER 0x6000
#define GICD_PIDR2 0xFFE8
#define GICR_PIDR2 0xFFE8

#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_DIR_EL1 S3_0_C12_C11_1
#define ICC_SGI1R_EL1 S3_0_C12_C11_5

static u64 rdist; /* this core's RD_base */


static void spi_config(unsigned intid, u8 prio, u64 route) {
  wr8(GICD + GICD_IPRIORITYR + intid, prio);
  wr64(GICD + GICD_IROUTER + 8 * intid, route);
  wr32(GICD + GICD_ISENABLER + 4 * (intid / 32), 1u << (intid % 32));
}

static void spi_pend(unsigned intid) { wr32(GICD + GICD_ISPENDR + 4 * (intid / 32), 1u << (intid % 32)); }

static u32 isr_irq(void) { return (u32)((read_sysreg(isr_el1) >> 7) & 1); }

int main(void) {
  exc_set_handler(gic_record_irq);
  u64 mpidr = read_sysreg(mpidr_el1);
  u64 aff = (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 32;

  check("ID_AA64PFR0_EL1.GIC", (read_sysreg(id_aa64pfr0_el1) >> 24) & 0xf, 1);
  check("GICD_PIDR2.ArchRev", (rd32(GICD + GICD_PIDR2) >> 4) & 0xf, 3);

  /* ---- distributor (gic_dist_init) ---- */
  wr32(GICD + GICD_CTLR, 0);
  while (rd32(GICD + GICD_CTLR) & (1u << 31)) {
  }
  u32 lines = (rd32(GICD + GICD_TYPER) & 0x1f) + 1;
  for (u32 i = 1; i < lines; i++) {
    wr32(GICD + GICD_IGROUPR + 4 * i, ~0u);
    wr32(GICD + GICD_ICENABLER + 4 * i, ~0u);
    wr32(GICD + GICD_ICPENDR + 4 * i, ~0u);
    wr32(GICD + GICD_ICACTIVER + 4 * i, ~0u);
  }
  for (u32 i = 32; i < 32 * lines; i += 4) wr32(GICD + GICD_IPRIORITYR + i, 0xa0a0a0a0);
  for (u32 i = 2; i < 2 * lines; i++) wr32(GICD + GICD_ICFGR + 4 * i, 0);
  wr32(GICD + GICD_CTLR, (1u << 4) | (1u << 1) | (1u << 0)); /* ARE, EnableGrp1, EnableGrp0 */
  u32 ctlr = rd32(GICD + GICD_CTLR);
  check("GICD_CTLR.ARE", (ctlr >> 4) & 1, 1);
  check("GICD_CTLR.DS", (ctlr >> 6) & 1, 1);
  check("GICD_CTLR.EnableGrp1", (ctlr >> 1) & 1, 1);
  wr8(GICD + GICD_IPRIORITYR + 45, 0x5c);
  check("IPRIORITYR byte write", rd32(GICD + GICD_IPRIORITYR + 44), 0xa0a05ca0);
  wr8(GICD + GICD_IPRIORITYR + 45, 0xa0);

  /* ---- this core's redistributor (gic_populate_rdist) ---- */
  rdist = gic_find_redistributor();
  check("redistributor found", rdist != 0, 1);
  check("GICR_PIDR2.ArchRev", (rd32(rdist + GICR_PIDR2) >> 4) & 0xf, 3);
  gic_wake_redistributor(rdist);
  check("GICR_WAKER", rd32(rdist + GICR_WAKER) & 6, 0);
  u64 sgi = rdist + SGI_BASE;
  wr32(sgi + GICD_IGROUPR, ~0u);
  wr32(sgi + GICD_ICACTIVER, ~0u);
  wr32(sgi + GICD_ICENABLER, 0xffff0000);
  wr32(sgi + GICD_ISENABLER, 0x0000ffff);
  for (u32 i = 0; i < 32; i += 4) wr32(sgi + GICD_IPRIORITYR + i, 0xa0a0a0a0);
  check("GICR_ICFGR0 (SGIs edge)", rd32(sgi + GICD_ICFGR), 0xaaaaaaaa);

  /* ---- CPU interface (gic_cpu_sys_reg_init) ---- */
  check("ICC_SRE_EL2", read_sysreg(ICC_SRE_EL2) & 0xf, 0xf);
  check("ICC_SRE_EL1.SRE", read_sysreg(ICC_SRE_EL1) & 1, 1);
  write_sysreg(ICC_PMR_EL1, 0xf0);
  write_sysreg(ICC_BPR1_EL1, 0);
  write_sysreg(ICC_CTLR_EL1, 0); /* EOImode 0 */
  write_sysreg(ICC_IGRPEN1_EL1, 1);
  isb();
  check("ICC_PMR_EL1", read_sysreg(ICC_PMR_EL1), 0xf0);
  check("ICC_RPR_EL1 idle", read_sysreg(ICC_RPR_EL1), 0xff);
  check("ICC_IAR1_EL1 nothing pending", read_sysreg(ICC_IAR1_EL1), SPURIOUS);

  /* Physical IRQs to EL2. */
  write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_IMO | HCR_FMO);
  isb();

  /* ---- an SGI to this core ---- */
  u64 sgi1r = (3UL << 24) | (1UL << (aff & 0xf)) | (((aff >> 8) & 0xff) << 16) |
              (((aff >> 16) & 0xff) << 32) | (((aff >> 32) & 0xff) << 48) | (((aff & 0xff) >> 4) << 44);
  write_sysreg(ICC_SGI1R_EL1, sgi1r);
  isb();
  check("SGI: ISR_EL1.I", isr_irq(), 1);
  check("SGI: HPPIR1", read_sysreg(ICC_HPPIR1_EL1), 3);
  gic_irq_window();
  gic_show_seen("SGI 3");
  check("SGI taken", gic_nseen == 1 && gic_seen[0] == 3 && gic_seen_rpr[0] == 0xa0, 1);
  check("after EOI: ISR_EL1.I", isr_irq(), 0);
  check("after EOI: RPR", read_sysreg(ICC_RPR_EL1), 0xff);

  /* ---- SPIs through GICD_ISPENDR, in priority order ---- */
  spi_config(40, 0x80, aff);
  spi_config(41, 0x90, aff);
  spi_config(42, 0x60, aff);
  spi_pend(40);
  spi_pend(41);
  spi_pend(42);
  write_sysreg(ICC_SGI1R_EL1, (sgi1r & ~(0xfUL << 24)) | (5UL << 24));
  isb();
  check("HPPIR1 highest", read_sysreg(ICC_HPPIR1_EL1), 42);
  gic_irq_window();
  gic_show_seen("SPIs 40,41,42 + SGI 5");
  check("taken in priority order", gic_nseen == 4 && gic_seen[0] == 42 && gic_seen[1] == 40 && gic_seen[2] == 41 && gic_seen[3] == 5, 1);

  /* ---- PMR masking ---- */
  write_sysreg(ICC_PMR_EL1, 0x90);
  isb();
  spi_pend(41); /* priority 0x90: not below PMR */
  check("masked: ISR_EL1.I", isr_irq(), 0);
  check("masked: HPPIR1", read_sysreg(ICC_HPPIR1_EL1), 41);
  check("masked: IAR1", read_sysreg(ICC_IAR1_EL1), SPURIOUS);
  gic_irq_window();
  gic_show_seen("PMR 0x90");
  spi_pend(40); /* priority 0x80: taken */
  gic_irq_window();
  gic_show_seen("PMR 0x90, SPI 40 pending");
  write_sysreg(ICC_PMR_EL1, 0xf0);
  isb();
  gic_irq_window();
  gic_show_seen("PMR 0xf0");
  check("PMR masking", gic_nseen == 1 && gic_seen[0] == 41, 1);

  /* ---- acknowledge by polling: running priority and preemption ---- */
  spi_pend(40);
  u32 a = (u32)read_sysreg(ICC_IAR1_EL1);
  check("poll IAR1", a, 40);
  check("RPR while 40 active", read_sysreg(ICC_RPR_EL1), 0x80);
  check("GICD_ISACTIVER1", rd32(GICD + GICD_ISACTIVER + 4) & 0x700, 0x100);
  spi_pend(41); /* 0x90 does not preempt 0x80 */
  check("lower priority: IAR1", read_sysreg(ICC_IAR1_EL1), SPURIOUS);
  spi_pend(42); /* 0x60 preempts 0x80 */
  check("higher priority: IAR1", read_sysreg(ICC_IAR1_EL1), 42);
  check("RPR while 42 active", read_sysreg(ICC_RPR_EL1), 0x60);
  write_sysreg(ICC_EOIR1_EL1, 42);
  isb();
  check("RPR after EOI 42", read_sysreg(ICC_RPR_EL1), 0x80);
  write_sysreg(ICC_EOIR1_EL1, 40);
  isb();
  check("IAR1 after EOI 40", read_sysreg(ICC_IAR1_EL1), 41);
  write_sysreg(ICC_EOIR1_EL1, 41);
  isb();

  /* ---- EOImode 1: priority drop, then ICC_DIR_EL1 ---- */
  write_sysreg(ICC_CTLR_EL1, 2);
  isb();
  check("ICC_CTLR_EL1.EOImode", (read_sysreg(ICC_CTLR_EL1) >> 1) & 1, 1);
  spi_pend(40);
  check("split: IAR1", read_sysreg(ICC_IAR1_EL1), 40);
  write_sysreg(ICC_EOIR1_EL1, 40);
  isb();
  check("split: RPR after EOI", read_sysreg(ICC_RPR_EL1), 0xff);
  check("split: still active", (rd32(GICD + GICD_ISACTIVER + 4) >> 8) & 1, 1);
  write_sysreg(ICC_DIR_EL1, 40);
  isb();
  check("split: deactivated", (rd32(GICD + GICD_ISACTIVER + 4) >> 8) & 1, 0);
  write_sysreg(ICC_CTLR_EL1, 0);
  isb();

  /* ---- disabled Group 1 at the CPU interface ---- */
  write_sysreg(ICC_IGRPEN1_EL1, 0);
  isb();
  spi_pend(40);
  check("IGRPEN1=0: ISR_EL1.I", isr_irq(), 0);
  write_sysreg(ICC_IGRPEN1_EL1, 1);
  isb();
  gic_irq_window();
  gic_show_seen("IGRPEN1 back on");
  check("taken after IGRPEN1", gic_nseen == 1 && gic_seen[0] == 40, 1);

  return test_done();
}
