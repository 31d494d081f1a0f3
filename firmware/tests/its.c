/* its: LPIs and the GICv3 ITS as the QEMU virt board presents them
 * (gic-version=3: an ITS at 0x08080000). Sets up the GIC as tests/gic.c
 * does, then as Linux's irq-gic-v3-its.c does: the LPI property and
 * pending tables (GICR_PROPBASER/PENDBASER, GICR_CTLR.EnableLPIs), the ITS
 * device and collection tables found through GITS_BASER<n>.Type, the
 * command queue (GITS_CBASER/CWRITER/CREADR), then MAPD, MAPC, MAPTI and
 * SYNC. LPIs are triggered with INT and with a CPU write to
 * GITS_TRANSLATER (DeviceID 0: QEMU gives CPU writes requester ID 0, hvsim
 * its default DeviceID) and taken at EL2.
 *
 * LPI configuration: the architecture lets redistributors cache the
 * property table, so a change is only guaranteed to take effect after INV
 * (+ SYNC). The transcript shows only that; hvsim caches the configuration
 * until INV, and checks silently (on_hvsim) that the stale configuration is
 * what it uses before the INV. */
#include "fw.h"
#include "gic.h"
#include "mmu.h"

#include "its_regs.h"

#define VALID (1UL << 63)

/* Tables (MMU off: Device memory, so no cache maintenance is needed). */
static u8 prop_table[65536] __attribute__((aligned(65536)));
static u8 pend_table[65536] __attribute__((aligned(65536)));
static u64 dev_table[8192] __attribute__((aligned(65536)));
static u64 coll_table[8192] __attribute__((aligned(65536)));
static u64 cmd_queue[512] __attribute__((aligned(65536)));
static u8 itt[2][4096] __attribute__((aligned(4096)));


static u32 isr_irq(void) { return (u32)((read_sysreg(isr_el1) >> 7) & 1); }

/* Waits (bounded) for ISR_EL1.I: an MSI reaches the redistributor some
 * time after the write. */
static u32 wait_irq(void) {
  for (int i = 0; i < 100000; i++)
    if (isr_irq()) return 1;
  return 0;
}

/* ---- the command queue ---- */
static u64 cwriter;
static int queue_stalled;

static void its_cmd(u64 dw0, u64 dw1, u64 dw2, u64 dw3) {
  u64 *c = &cmd_queue[cwriter / 8];
  c[0] = dw0;
  c[1] = dw1;
  c[2] = dw2;
  c[3] = dw3;
  cwriter = (cwriter + 32) % sizeof(cmd_queue);
  dsb(sy);
  wr64(GITS + GITS_CWRITER, cwriter);
  for (;;) {
    u64 r = rd64(GITS + GITS_CREADR);
    if (r & 1) {
      queue_stalled = 1;
      return;
    }
    if ((r & 0xfffe0) == cwriter) return;
  }
}

static u64 rdbase; /* MAPC/SYNC target: processor number or PA (GITS_TYPER.PTA) */

static void mapd(u32 dev, void *itt_pa, unsigned bits) { its_cmd(0x08 | ((u64)dev << 32), bits - 1, VALID | (u64)itt_pa, 0); }
static void mapc(u32 icid) { its_cmd(0x09, 0, VALID | rdbase | icid, 0); }
static void mapti(u32 dev, u32 ev, u32 lpi, u32 icid) { its_cmd(0x0a | ((u64)dev << 32), ev | ((u64)lpi << 32), icid, 0); }
static void sync(void) { its_cmd(0x05, 0, rdbase, 0); }
static void its_int(u32 dev, u32 ev) { its_cmd(0x03 | ((u64)dev << 32), ev, 0, 0); sync(); }
static void its_inv(u32 dev, u32 ev) { its_cmd(0x0c | ((u64)dev << 32), ev, 0, 0); sync(); }

static void lpi_config(u32 intid, u8 prio, int enable) {
  prop_table[intid - 8192] = (u8)(prio | (enable ? 1 : 0));
  dsb(sy);
}

int main(void) {
  exc_set_handler(gic_record_irq);

  /* ---- distributor, redistributor, CPU interface (as tests/gic.c) ---- */
  wr32(GICD + GICD_CTLR, 0);
  while (rd32(GICD + GICD_CTLR) & (1u << 31)) {
  }
  wr32(GICD + GICD_CTLR, (1u << 4) | (1u << 1) | (1u << 0));
  u32 dtyper = rd32(GICD + GICD_TYPER);
  check("GICD_TYPER.LPIS", (dtyper >> 17) & 1, 1);
  u32 idbits = ((dtyper >> 19) & 0x1f) + 1;
  check("GICD_TYPER.IDbits >= 14 bits", idbits >= 14, 1);
  if (idbits > 16) idbits = 16; /* the property table here covers 16 bits */

  u64 rdist = gic_find_redistributor();
  check("redistributor found", rdist != 0, 1);
  u64 rtyper = rd64(rdist + GICR_TYPER);
  check("GICR_TYPER.PLPIS", rtyper & 1, 1);
  gic_wake_redistributor(rdist);
  gic_cpu_if_el2_on();

  /* ---- LPI tables (its_cpu_init_lpis) ---- */
  lpi_config(8192, 0xa0, 1);
  lpi_config(8193, 0x90, 1);
  check("GICR_CTLR.EnableLPIs at reset", rd32(rdist + GICR_CTLR) & 1, 0);
  wr64(rdist + GICR_PROPBASER, (u64)prop_table | (idbits - 1));
  check("GICR_PROPBASER", rd64(rdist + GICR_PROPBASER) & 0xfffffffff001fUL, (u64)prop_table | (idbits - 1));
  wr64(rdist + GICR_PENDBASER, (u64)pend_table);
  check("GICR_PENDBASER.PA", rd64(rdist + GICR_PENDBASER) & 0xfffffffff0000UL, (u64)pend_table);
  dsb(sy);
  wr32(rdist + GICR_CTLR, rd32(rdist + GICR_CTLR) | 1);
  dsb(sy);
  check("GICR_CTLR.EnableLPIs", rd32(rdist + GICR_CTLR) & 1, 1);

  /* ---- the ITS (its_probe_one, its_alloc_tables) ---- */
  check("GITS_PIDR2.ArchRev", (rd32(GITS + GITS_PIDR2) >> 4) & 0xf, 3);
  u64 ttyper = rd64(GITS + GITS_TYPER);
  check("GITS_TYPER.Physical", ttyper & 1, 1);
  u32 devbits = ((ttyper >> 13) & 0x1f) + 1;
  u32 itt_esz = ((ttyper >> 4) & 0xf) + 1;
  check("GITS_TYPER.Devbits >= 1", devbits >= 1, 1);
  check("ITT for 32 events fits", 32 * itt_esz <= sizeof(itt[0]), 1);
  wr32(GITS + GITS_CTLR, 0);
  while (!(rd32(GITS + GITS_CTLR) & (1u << 31))) {
  }
  check("GITS_CTLR.Quiescent", rd32(GITS + GITS_CTLR) >> 31, 1);
  int found_dev = 0, found_coll = 0;
  for (unsigned n = 0; n < 8; n++) {
    u64 b = rd64(GITS + GITS_BASER + 8 * n);
    unsigned type = (b >> 56) & 7;
    u64 *table = type == 1 ? dev_table : type == 4 ? coll_table : 0;
    if (!table) continue;
    /* Flat, 4 KiB pages, 16 pages (64 KiB); keep Type and Entry_Size. */
    wr64(GITS + GITS_BASER + 8 * n, VALID | (b & (0x1fUL << 48)) | (u64)table | 15);
    u64 got = rd64(GITS + GITS_BASER + 8 * n);
    checkf((got >> 63) & 1, 1, "%s table BASER valid", type == 1 ? "device" : "collection");
    checkf(got & 0xfffffffff000UL, (u64)table, "%s table BASER address", type == 1 ? "device" : "collection");
    if (type == 1) found_dev = 1;
    else found_coll = 1;
  }
  check("device table found", found_dev, 1);
  check("collection table found", found_coll, 1);
  wr64(GITS + GITS_CBASER, VALID | (u64)cmd_queue | 0); /* one 4 KiB page */
  check("GITS_CBASER", rd64(GITS + GITS_CBASER) & (VALID | 0xffffffffff0ffUL), VALID | (u64)cmd_queue);
  check("GITS_CREADR after CBASER", rd64(GITS + GITS_CREADR), 0);
  wr64(GITS + GITS_CWRITER, 0);
  cwriter = 0;
  wr32(GITS + GITS_CTLR, 1);
  check("GITS_CTLR.Enabled", rd32(GITS + GITS_CTLR) & 1, 1);

  /* Collections target redistributors by processor number (PTA = 0) or
   * by physical address (PTA = 1). */
  rdbase = (ttyper >> 19) & 1 ? (rdist & 0xfffffffff0000UL) : ((rtyper >> 8) & 0xffff) << 16;

  /* ---- MAPD, MAPC, MAPTI, SYNC ---- */
  mapd(0, itt[0], 5);
  mapd(1, itt[1], 5);
  mapc(0);
  mapti(0, 0, 8192, 0);
  mapti(0, 1, 8193, 0);
  mapti(1, 3, 8194, 0);
  lpi_config(8194, 0x80, 1);
  sync();
  check("command queue not stalled", queue_stalled, 0);
  check("CREADR reached CWRITER", rd64(GITS + GITS_CREADR), cwriter);

  /* ---- INT ---- */
  its_int(0, 0);
  check("INT: ISR_EL1.I", wait_irq(), 1);
  check("INT: HPPIR1", read_sysreg(ICC_HPPIR1_EL1), 8192);
  gic_irq_window();
  gic_show_seen("INT device 0 event 0");
  check("LPI 8192 taken", gic_nseen == 1 && gic_seen[0] == 8192 && gic_seen_rpr[0] == 0xa0, 1);
  its_int(1, 3);
  check("INT: ISR_EL1.I", wait_irq(), 1);
  gic_irq_window();
  gic_show_seen("INT device 1 event 3");

  /* ---- an MSI: a CPU write of EventID 1 to GITS_TRANSLATER ---- */
  wr32(GITS + GITS_TRANSLATER, 1);
  dsb(sy);
  check("TRANSLATER: ISR_EL1.I", wait_irq(), 1);
  gic_irq_window();
  gic_show_seen("TRANSLATER event 1 (DeviceID 0)");
  check("LPI 8193 taken", gic_nseen == 1 && gic_seen[0] == 8193 && gic_seen_rpr[0] == 0x90, 1);

  /* ---- configuration changes take effect after INV ---- */
  /* Disabled in memory, no INV: hvsim still uses its cached configuration. */
  lpi_config(8192, 0xa0, 0);
  its_int(0, 0);
  if (on_hvsim()) check_quiet("hvsim: stale enable before INV", wait_irq(), 1);
  gic_irq_window(); /* QEMU may or may not take it: not shown */
  its_inv(0, 0);
  its_int(0, 0);
  check("disabled after INV: ISR_EL1.I", isr_irq(), 0);
  check("disabled after INV: HPPIR1", read_sysreg(ICC_HPPIR1_EL1), SPURIOUS);
  /* Enabled again in memory: the pending LPI is signalled at the latest
   * after INV. */
  lpi_config(8192, 0xa0, 1);
  if (on_hvsim()) check_quiet("hvsim: stale disable before INV", isr_irq(), 0);
  its_inv(0, 0);
  check("enabled after INV: ISR_EL1.I", wait_irq(), 1);
  gic_irq_window();
  gic_show_seen("pending LPI after INV");
  check("LPI 8192 taken once", gic_nseen == 1 && gic_seen[0] == 8192, 1);

  /* Priority 0xa0 -> 0xf8 (masked by PMR 0xf0). */
  lpi_config(8192, 0xf8, 1);
  its_int(0, 0);
  if (on_hvsim()) check_quiet("hvsim: stale priority before INV", wait_irq(), 1);
  gic_irq_window();
  its_inv(0, 0);
  its_int(0, 0);
  check("priority 0xf8 after INV: ISR_EL1.I", isr_irq(), 0);
  check("priority 0xf8 after INV: HPPIR1", read_sysreg(ICC_HPPIR1_EL1), 8192);
  lpi_config(8192, 0x80, 1);
  its_inv(0, 0);
  check("priority 0x80 after INV: ISR_EL1.I", wait_irq(), 1);
  gic_irq_window();
  gic_show_seen("LPI at priority 0x80");

  check("command queue not stalled", queue_stalled, 0);
  return test_done();
}
