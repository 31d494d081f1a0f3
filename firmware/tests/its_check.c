/* its_check: the situations the ITS protocol checker (--check its) reports,
 * in a program that passes either way (tests/CMakeLists.txt runs it with
 * --check its and matches each report; fw.its_check runs it plainly):
 *  - INV of an LPI whose configuration the redistributor never read
 *    (inv-found-nothing: counted for cost reviews);
 *  - a priority change in the property table without INV before the LPI is
 *    delivered again (lpi-config-without-inv);
 *  - with the MMU and data cache on, a command written to the queue without
 *    cleaning it to the PoC: hvsim's ITS is not coherent with the CPU caches
 *    by default (caches.gic_its_coherent = false, GITS_CBASER.Shareability
 *    Non-shareable), so it reads the old queue contents (zeros: an unknown
 *    command, the queue stalls: stale-command); cleaning the line and
 *    GITS_CWRITER.Retry run it; with its_clean_queue set, as Linux does,
 *    nothing stalls.
 * hvsim only (the stall needs its cache model). */
#include "fw.h"
#include "its.h"
#include "mmu.h"

#define RAM_PA 0x40000000UL
#define SZ_1G (1UL << 30)
#define SZ_2M (2UL << 20)

static u8 itt[4096] __attribute__((aligned(4096)));
static struct mmu_tables tables;

static u32 wait_irq(void) {
  for (int i = 0; i < 100000; i++)
    if ((read_sysreg(isr_el1) >> 7) & 1) return 1;
  return 0;
}

static void take(const char *what) {
  check("ISR_EL1.I", wait_irq(), 1);
  gic_irq_window();
  gic_show_seen(what);
}

int main(void) {
  exc_set_handler(gic_record_irq);
  its_gicd_init();
  u64 rdbase = its_rdbase(its_cpu_init(0));
  its_init();
  its_lpi_config(8192, 0xa0, 1);
  its_lpi_config(8193, 0x90, 1);
  its_mapd(0, itt, 5);
  its_mapc(0, rdbase);
  its_mapti(0, 0, 8192, 0);
  its_mapti(0, 1, 8193, 0);
  its_sync(rdbase);
  check("queue not stalled after the mappings", rd64(GITS + GITS_CREADR) & 1, 0);

  /* INV of LPI 8193, never pending: nothing cached to drop. */
  its_inv(0, 1);
  its_sync(rdbase);

  /* A priority change without INV, then a delivery. */
  its_int(0, 0);
  its_sync(rdbase);
  take("INT event 0");
  its_lpi_config(8192, 0x80, 1);
  its_int(0, 0);
  its_sync(rdbase);
  take("INT event 0 after a priority change without INV");
  its_inv(0, 0);
  its_sync(rdbase);

  /* The data cache on: the queue is Normal Write-Back memory now. */
  mmu_init(&tables, 12, 39, -1);
  mmu_map(&tables, RAM_PA, RAM_PA, SZ_1G, 1, PTE_NORMAL);
  mmu_map(&tables, GICD, GICD, SZ_2M, 2, PTE_DEVICE_EL2);
  mmu_map(&tables, 0x09000000UL, 0x09000000UL, SZ_2M, 2, PTE_DEVICE_EL2);
  mmu_sync();
  mmu_enable_el2(&tables);
  check("GITS_CBASER.Shareability (Non-shareable: clean the queue)", (rd64(GITS + GITS_CBASER) >> 10) & 3, 0);
  u64 at = its_cwriter();
  its_queue(0x03, 0, 0, 0); /* INT device 0 event 0, not cleaned */
  check("uncleaned command: the queue stalls", its_wait(), 1);
  check("CREADR still at the command", rd64(GITS + GITS_CREADR) & 0xfffe0, at);
  dcache_civac(&its_cmd_queue[at / 8], 32);
  its_retry();
  check("cleaned and retried: the queue runs", its_wait(), 0);
  take("INT after the clean and Retry");

  its_clean_queue = 1;
  its_int(0, 1);
  check("cleaned before CWRITER: not stalled", rd64(GITS + GITS_CREADR) & 1, 0);
  its_sync(rdbase);
  take("INT event 1, queue cleaned");
  return test_done();
}
