/* its_indirect: a two-level (indirect) ITS device table, as Linux 6.1 sets
 * one up when a flat table would be large (its_alloc_tables, its_alloc_device_table):
 * GITS_BASER<n>.Indirect = 1 read back to see that the ITS supports it, a
 * level-1 table of 8-byte descriptors (Valid [63], level-2 page address),
 * level-2 pages allocated for the DeviceIDs in use only. 4 KiB pages: a
 * level-2 page holds 4096 / Entry_Size entries. Devices 0 and 600 (second
 * level-2 page) are mapped; INT and a GITS_TRANSLATER write (DeviceID 0)
 * deliver their LPIs. A MAPD of a DeviceID whose level-1 descriptor is not
 * valid is a command error; hvsim stalls the queue (checked silently: the
 * architecture lets an implementation ignore the command instead). */
#include "fw.h"
#include "its.h"
#include "mmu.h" /* on_hvsim */

#define INDIRECT (1UL << 62)

static u64 l1[512] __attribute__((aligned(4096)));
static u64 l2[2][512] __attribute__((aligned(4096)));
static u8 itt[2][4096] __attribute__((aligned(4096)));

static u32 wait_irq(void) {
  for (int i = 0; i < 100000; i++)
    if ((read_sysreg(isr_el1) >> 7) & 1) return 1;
  return 0;
}

int main(void) {
  exc_set_handler(gic_record_irq);
  its_gicd_init();
  u64 rdbase = its_rdbase(its_cpu_init(0));
  its_init();

  wr32(GITS + GITS_CTLR, 0);
  while (!(rd32(GITS + GITS_CTLR) & (1u << 31))) {
  }
  unsigned n = 0;
  u64 b = 0;
  for (; n < 8; n++) {
    b = rd64(GITS + GITS_BASER + 8 * n);
    if (((b >> 56) & 7) == 1) break;
  }
  check("device table BASER found", n < 8, 1);
  u64 esz = ((b >> 48) & 0x1f) + 1;
  /* Valid, Indirect, Entry_Size kept, 4 KiB pages (Page_Size 0), one level-1 page. */
  wr64(GITS + GITS_BASER + 8 * n, ITS_VALID | INDIRECT | (b & (0x1fUL << 48)) | (u64)l1);
  u64 got = rd64(GITS + GITS_BASER + 8 * n);
  check("GITS_BASER.Indirect kept", (got >> 62) & 1, 1);
  check("GITS_BASER.Page_Size 4 KiB", (got >> 8) & 3, 0);
  check("GITS_BASER level-1 table address", got & 0xfffffffff000UL, (u64)l1);
  u64 per_page = 4096 / esz;
  show("device entries per level-2 page", per_page);
  l1[0] = ITS_VALID | (u64)l2[0];
  l1[600 / per_page] = ITS_VALID | (u64)l2[1];
  __asm__ volatile("dsb sy" ::: "memory");
  wr32(GITS + GITS_CTLR, 1);

  its_lpi_config(8192, 0xa0, 1);
  its_lpi_config(8193, 0x90, 1);
  its_mapd(0, itt[0], 5);
  its_mapd(600, itt[1], 5);
  its_mapc(0, rdbase);
  its_mapti(0, 0, 8192, 0);
  its_mapti(600, 3, 8193, 0);
  its_sync(rdbase);
  check("queue not stalled", rd64(GITS + GITS_CREADR) & 1, 0);
  check("level-1 descriptors unchanged by the ITS", l1[0] == (ITS_VALID | (u64)l2[0]) &&
                                                        l1[600 / per_page] == (ITS_VALID | (u64)l2[1]), 1);

  its_int(600, 3);
  its_sync(rdbase);
  check("INT device 600: ISR_EL1.I", wait_irq(), 1);
  gic_irq_window();
  gic_show_seen("INT device 600 event 3");

  wr32(GITS + GITS_TRANSLATER, 0);
  __asm__ volatile("dsb sy" ::: "memory");
  check("TRANSLATER device 0: ISR_EL1.I", wait_irq(), 1);
  gic_irq_window();
  gic_show_seen("TRANSLATER device 0 event 0");

  /* DeviceID 2 * per_page: level-1 descriptor 2 is not valid. */
  its_queue(0x08 | ((2 * per_page) << 32), 4, ITS_VALID | (u64)itt[0], 0);
  int stalled = its_wait();
  if (on_hvsim()) check_quiet("hvsim: MAPD beyond the level-2 pages stalls", stalled, 1);
  return test_done();
}
