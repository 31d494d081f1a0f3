/* its_vlpi: GICv4.0 direct injection of virtual LPIs (hvsim with
 * --set gic.version=4). An EL2 hypervisor sets up the ITS with a vPE table
 * (GITS_BASER<n>.Type 2), maps vPE 0 to its redistributor (VMAPP with the
 * vPE's virtual pending table), maps DeviceID 0 EventID 0 to vLPI 8300 of
 * vPE 0 (VMAPTI), makes vPE 0 resident (GICR_VPROPBASER/GICR_VPENDBASER in
 * the redistributor's VLPI frame) and drops to an EL1 guest. The guest
 * takes the vLPI, triggered by INT and by its own GITS_TRANSLATER write, as
 * a virtual IRQ: ICC_IAR1_EL1 (ICV) returns the vINTID, no list register is
 * used, EOI drops the priority. Then VMOVI to vPE 1 (not resident: the
 * pending bit lands in vPE 1's VPT, delivered once vPE 1 is made
 * resident), VINVALL after a configuration change, VSYNC, and a GICv4.0
 * doorbell: a vLPI for the non-resident vPE 0 makes its doorbell pINTID
 * pending, which the hypervisor takes at EL2. Runs identically on QEMU 7.2
 * (virt, gic-version=4, virtualization=on). */
#include "fw.h"
#include "gic.h"
#include "its.h"

#define VLPI_BASE 0x20000UL
#define GICR_VPROPBASER 0x0070
#define GICR_VPENDBASER 0x0078
#define VPEND_VALID (1UL << 63)
#define VPEND_PENDING_LAST (1UL << 61)
#define VPEND_DIRTY (1UL << 60)

#define ICH_HCR_EL2 S3_4_C12_C11_0
#define ICH_VTR_EL2 S3_4_C12_C11_1
#define ICH_VMCR_EL2 S3_4_C12_C11_7
#define ICH_ELRSR_EL2 S3_4_C12_C11_5
#define ICH_AP1R0_EL2 S3_4_C12_C9_0
#define ICH_LR0_EL2 S3_4_C12_C12_0

#define VINTID 8300
#define VINTID_DB 8301
#define DOORBELL 8200

static u8 vprop[65536] __attribute__((aligned(65536)));
static u8 vpt0[8192] __attribute__((aligned(65536)));
static u8 vpt1[8192] __attribute__((aligned(65536)));
static u8 itt[4096] __attribute__((aligned(4096)));

static u64 vlpi_frame, rdbase;

/* What the guest saw (EL1), what the hypervisor saw (EL2). */
static volatile u32 g_taken, g_iar, g_rpr, g_hppir_after;
static volatile u32 h_taken, h_intid;

static int handler(struct exc_frame *f) {
  if (f->el == 1 && f->vec == VEC_CUR_SPX + 1) {
    g_taken++;
    g_iar = (u32)read_sysreg(ICC_IAR1_EL1);
    g_rpr = (u32)read_sysreg(ICC_RPR_EL1);
    if (g_iar != SPURIOUS) write_sysreg(ICC_EOIR1_EL1, g_iar);
    isb();
    g_hppir_after = (u32)read_sysreg(ICC_HPPIR1_EL1);
    return 1;
  }
  if (f->el == 2 && (f->vec == VEC_LOWER64 + 1 || f->vec == VEC_CUR_SPX + 1)) {
    h_taken++;
    h_intid = (u32)read_sysreg(ICC_IAR1_EL1);
    if (h_intid != SPURIOUS) write_sysreg(ICC_EOIR1_EL1, h_intid);
    isb();
    return 1;
  }
  return 0;
}

static void clear_seen(void) { g_taken = g_iar = g_rpr = g_hppir_after = h_taken = h_intid = 0; }

/* The guest: optionally writes GITS_TRANSLATER (EventID `ev` of DeviceID
 * 0, the DeviceID of CPU writes), then waits with IRQs unmasked for a
 * virtual IRQ (an MSI reaches the redistributor some time after). */
static long guest(long ev) {
  if (ev >= 0) wr32(GITS + GITS_TRANSLATER, (u32)ev);
  __asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory");
  for (int i = 0; i < 20000 && !g_taken; i++) barrier();
  __asm__ volatile("msr daifset, #2\n\tisb" ::: "memory");
  return 0;
}

static int cmd(u64 dw0, u64 dw1, u64 dw2, u64 dw3) {
  its_queue(dw0, dw1, dw2, dw3);
  return its_wait();
}
static int vmapp(u32 vpe, void *vpt) { return cmd(0x29, (u64)vpe << 32, ITS_VALID | rdbase, (u64)vpt | 15); }
static int vmapti(u32 dev, u32 ev, u32 vpe, u32 vintid, u32 db) {
  return cmd(0x2a | ((u64)dev << 32), ev | ((u64)vpe << 32), vintid | ((u64)db << 32), 0);
}
static int vmovi(u32 dev, u32 ev, u32 vpe) { return cmd(0x21 | ((u64)dev << 32), ev | ((u64)vpe << 32), 0, 0); }
static int vsync(u32 vpe) { return cmd(0x25, (u64)vpe << 32, 0, 0); }
static int vinvall(u32 vpe) { return cmd(0x2d, (u64)vpe << 32, 0, 0); }
static int vmovp(u32 vpe) { return cmd(0x22, (u64)vpe << 32, rdbase, 0); }
static int int_(u32 dev, u32 ev) { return cmd(0x03 | ((u64)dev << 32), ev, 0, 0); }

static void resident(void *vpt) {
  wr64(vlpi_frame + GICR_VPENDBASER, VPEND_VALID | (u64)vpt);
  isb();
}
static u64 deschedule(void) {
  wr64(vlpi_frame + GICR_VPENDBASER, 0);
  u64 v;
  while ((v = rd64(vlpi_frame + GICR_VPENDBASER)) & VPEND_DIRTY) {
  }
  return v;
}
static int vpt_bit(const u8 *vpt, u32 vintid) { return (((const volatile u8 *)vpt)[vintid / 8] >> (vintid % 8)) & 1; }

int main(void) {
  exc_set_handler(handler);

  /* ---- the physical GIC and the ITS (Linux-like, lib/its.c) ---- */
  its_gicd_init();
  u64 rdist = its_cpu_init(0);
  check("redistributor found", rdist != 0, 1);
  check("GICR_TYPER.VLPIS", (rd64(rdist + GICR_TYPER) >> 1) & 1, 1);
  check("GITS_TYPER.Virtual", (rd64(GITS + GITS_TYPER) >> 1) & 1, 1);
  check("ICH_VTR_EL2.nV4", (read_sysreg(ICH_VTR_EL2) >> 20) & 1, 0);
  int vpe_baser = -1;
  for (int n = 0; n < 8; n++)
    if (((rd64(GITS + GITS_BASER + 8 * n) >> 56) & 7) == 2) vpe_baser = n;
  check("GITS_BASER<n>.Type 2 (vPEs) at n", vpe_baser, 2);
  its_init();
  rdbase = its_rdbase(rdist);
  vlpi_frame = rdist + VLPI_BASE;
  its_lpi_config(DOORBELL, 0xa0, 1);

  /* ---- the VM's vLPI configuration, the vPEs, the mappings ---- */
  vprop[VINTID - 8192] = 0xa0 | 1;
  vprop[VINTID_DB - 8192] = 0x90 | 1;
  __asm__ volatile("dsb sy" ::: "memory");
  wr64(vlpi_frame + GICR_VPROPBASER, (u64)vprop | 15);
  check("GICR_VPROPBASER", rd64(vlpi_frame + GICR_VPROPBASER) & ~0xfffUL, (u64)vprop);
  its_mapd(0, itt, 4);
  check("VMAPP vPE 0", vmapp(0, vpt0), 0);
  check("VMAPP vPE 1", vmapp(1, vpt1), 0);
  check("VMAPTI event 0 -> vLPI 8300 of vPE 0", vmapti(0, 0, 0, VINTID, SPURIOUS), 0);
  check("VMAPTI event 1 -> vLPI 8301 of vPE 0, doorbell 8200", vmapti(0, 1, 0, VINTID_DB, DOORBELL), 0);
  check("VSYNC vPE 0", vsync(0), 0);

  /* ---- the hypervisor's virtual CPU interface: no list register used ---- */
  write_sysreg(ICH_LR0_EL2, 0);
  write_sysreg(ICH_AP1R0_EL2, 0);
  write_sysreg(ICH_VMCR_EL2, (1UL << 1) | (0xf0UL << 24)); /* VENG1, VPMR */
  write_sysreg(ICH_HCR_EL2, 1);                           /* En */
  isb();
  resident(vpt0);
  check("GICR_VPENDBASER.Valid", rd64(vlpi_frame + GICR_VPENDBASER) >> 63, 1);

  /* ---- INT: the guest takes vLPI 8300 ---- */
  clear_seen();
  check("INT event 0", int_(0, 0), 0);
  run_at_el(1, guest, -1);
  check("INT: guest IRQs", g_taken, 1);
  check("INT: guest ICC_IAR1_EL1 (ICV)", g_iar, VINTID);
  check("INT: guest ICC_RPR_EL1", g_rpr, 0xa0);
  check("INT: guest HPPIR1 after EOI", g_hppir_after, SPURIOUS);
  check("INT: hypervisor IRQs", h_taken, 0);
  check("INT: ICH_ELRSR_EL2 (no list register used)", read_sysreg(ICH_ELRSR_EL2) & 0xf, 0xf);
  check("INT: ICH_AP1R0_EL2 after EOI", read_sysreg(ICH_AP1R0_EL2), 0);
  check("INT: ICH_HCR_EL2.EOIcount", read_sysreg(ICH_HCR_EL2) >> 27, 0);
  check("INT: VPT bit cleared", vpt_bit(vpt0, VINTID), 0);

  /* ---- GITS_TRANSLATER written by the guest ---- */
  clear_seen();
  run_at_el(1, guest, 0);
  check("TRANSLATER: guest IRQs", g_taken, 1);
  check("TRANSLATER: guest ICC_IAR1_EL1", g_iar, VINTID);

  /* ---- VMOVI to vPE 1 (not resident): pending in its VPT ---- */
  clear_seen();
  check("VMOVI event 0 -> vPE 1", vmovi(0, 0, 1), 0);
  check("INT event 0 (vPE 1)", int_(0, 0), 0);
  check("VSYNC vPE 1", vsync(1), 0);
  run_at_el(1, guest, -1);
  check("VMOVI: guest IRQs while vPE 0 resident", g_taken, 0);
  check("VMOVI: vPE 1's VPT bit", vpt_bit(vpt1, VINTID), 1);
  u64 vpend = deschedule();
  check("deschedule vPE 0: Valid", vpend >> 63, 0);
  check("deschedule vPE 0: PendingLast", (vpend & VPEND_PENDING_LAST) != 0, 0);
  resident(vpt1);
  run_at_el(1, guest, -1);
  check("vPE 1 resident: guest IRQs", g_taken, 1);
  check("vPE 1 resident: guest ICC_IAR1_EL1", g_iar, VINTID);

  /* ---- VINVALL: a disabled vLPI is not delivered, then enabled ---- */
  clear_seen();
  vprop[VINTID - 8192] = 0xa0;
  __asm__ volatile("dsb sy" ::: "memory");
  check("VINVALL vPE 1", vinvall(1), 0);
  check("INT (disabled vLPI)", int_(0, 0), 0);
  check("VSYNC vPE 1 (disabled)", vsync(1), 0);
  run_at_el(1, guest, -1);
  check("VINVALL: disabled vLPI not taken", g_taken, 0);
  check("VINVALL: still pending in the resident vPE", vpt_bit(vpt1, VINTID), 1);
  vprop[VINTID - 8192] = 0x80 | 1;
  __asm__ volatile("dsb sy" ::: "memory");
  check("VINVALL vPE 1 (enable)", vinvall(1), 0);
  check("VSYNC vPE 1 (enable)", vsync(1), 0);
  run_at_el(1, guest, -1);
  check("VINVALL: guest IRQs", g_taken, 1);
  check("VINVALL: guest ICC_IAR1_EL1", g_iar, VINTID);
  check("VINVALL: new priority", g_rpr, 0x80);

  /* ---- doorbell: a vLPI for vPE 0, not resident ---- */
  clear_seen();
  check("VMOVP vPE 0 (same redistributor)", vmovp(0), 0);
  check("INT event 1 (vPE 0, doorbell)", int_(0, 1), 0);
  check("doorbell: vPE 0's VPT bit", vpt_bit(vpt0, VINTID_DB), 1);
  __asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory");
  for (int i = 0; i < 20000 && !h_taken; i++) barrier();
  __asm__ volatile("msr daifset, #2\n\tisb" ::: "memory");
  check("doorbell: hypervisor IRQs", h_taken, 1);
  check("doorbell: pINTID", h_intid, DOORBELL);
  vpend = deschedule();
  resident(vpt0);
  run_at_el(1, guest, -1);
  check("vPE 0 resident: guest IRQs", g_taken, 1);
  check("vPE 0 resident: guest ICC_IAR1_EL1", g_iar, VINTID_DB);
  check("vPE 0 resident: guest ICC_RPR_EL1", g_rpr, 0x90);

  deschedule();
  write_sysreg(ICH_HCR_EL2, 0);
  isb();
  return test_done();
}
