#include "its.h"

u8 its_prop_table[65536] __attribute__((aligned(65536)));
static u8 pend_tables[ITS_MAX_CPUS][65536] __attribute__((aligned(65536)));
static u64 dev_table[8192] __attribute__((aligned(65536)));
static u64 coll_table[8192] __attribute__((aligned(65536)));
static u64 vpe_table[512] __attribute__((aligned(65536)));
u64 its_cmd_queue[512] __attribute__((aligned(65536)));
static u64 cwriter;
int its_clean_queue;

void its_gicd_init(void) {
  wr32(GICD + GICD_CTLR, 0);
  while (rd32(GICD + GICD_CTLR) & (1u << 31)) {
  }
  wr32(GICD + GICD_CTLR, (1u << 4) | (1u << 1) | (1u << 0));
}

u64 its_cpu_init(unsigned cpu) {
  u64 rdist = gic_find_redistributor();
  gic_wake_redistributor(rdist);
  gic_cpu_if_el2_on();
  /* 16 INTID bits: the property table covers LPIs 8192-65535. */
  wr64(rdist + GICR_PROPBASER, (u64)its_prop_table | 15);
  wr64(rdist + GICR_PENDBASER, (u64)pend_tables[cpu]);
  __asm__ volatile("dsb sy" ::: "memory");
  wr32(rdist + GICR_CTLR, rd32(rdist + GICR_CTLR) | 1);
  __asm__ volatile("dsb sy" ::: "memory");
  return rdist;
}

void its_init(void) {
  wr32(GITS + GITS_CTLR, 0);
  while (!(rd32(GITS + GITS_CTLR) & (1u << 31))) {
  }
  for (unsigned n = 0; n < 8; n++) {
    u64 b = rd64(GITS + GITS_BASER + 8 * n);
    unsigned type = (b >> 56) & 7;
    u64 *table = type == 1 ? dev_table : type == 4 ? coll_table : type == 2 ? vpe_table : 0;
    /* 16 pages of 4 KiB (the vPE table: 1 page, 512 vPEs). */
    if (table) wr64(GITS + GITS_BASER + 8 * n, ITS_VALID | (b & (0x1fUL << 48)) | (u64)table | (type == 2 ? 0 : 15));
  }
  wr64(GITS + GITS_CBASER, ITS_VALID | (u64)its_cmd_queue);
  wr64(GITS + GITS_CWRITER, 0);
  cwriter = 0;
  wr32(GITS + GITS_CTLR, 1);
}

u64 its_rdbase(u64 rd_base) {
  if ((rd64(GITS + GITS_TYPER) >> 19) & 1) return rd_base & 0xfffffffff0000UL;
  return ((rd64(rd_base + GICR_TYPER) >> 8) & 0xffff) << 16;
}

u64 its_cwriter(void) { return cwriter; }

void its_put(u64 dw0, u64 dw1, u64 dw2, u64 dw3) {
  const u64 next = (cwriter + 32) % sizeof(its_cmd_queue);
  while ((rd64(GITS + GITS_CREADR) & 0xfffe0) == next) {
  }
  u64 *c = &its_cmd_queue[cwriter / 8];
  c[0] = dw0;
  c[1] = dw1;
  c[2] = dw2;
  c[3] = dw3;
  cwriter = next;
  if (its_clean_queue) dcache_civac(c, 32);
}

void its_kick(void) {
  __asm__ volatile("dsb sy" ::: "memory");
  wr64(GITS + GITS_CWRITER, cwriter);
}

void its_queue(u64 dw0, u64 dw1, u64 dw2, u64 dw3) {
  its_put(dw0, dw1, dw2, dw3);
  its_kick();
}

int its_wait(void) {
  for (;;) {
    u64 r = rd64(GITS + GITS_CREADR);
    if (r & 1) return 1;
    if ((r & 0xfffe0) == cwriter) return 0;
  }
}

void its_retry(void) { wr64(GITS + GITS_CWRITER, cwriter | 1); }

static void run(u64 dw0, u64 dw1, u64 dw2) {
  its_queue(dw0, dw1, dw2, 0);
  its_wait();
}

void its_mapd(u32 dev, void *itt, unsigned bits) { run(0x08 | ((u64)dev << 32), bits - 1, ITS_VALID | (u64)itt); }
void its_mapc(u32 icid, u64 rdbase) { run(0x09, 0, ITS_VALID | rdbase | icid); }
void its_mapti(u32 dev, u32 ev, u32 lpi, u32 icid) { run(0x0a | ((u64)dev << 32), ev | ((u64)lpi << 32), icid); }
void its_movi(u32 dev, u32 ev, u32 icid) { run(0x01 | ((u64)dev << 32), ev, icid); }
void its_int(u32 dev, u32 ev) { run(0x03 | ((u64)dev << 32), ev, 0); }
void its_inv(u32 dev, u32 ev) { run(0x0c | ((u64)dev << 32), ev, 0); }
void its_sync(u64 rdbase) { run(0x05, 0, rdbase); }

void its_lpi_config(u32 intid, u8 prio, int enable) {
  its_prop_table[intid - 8192] = (u8)(prio | (enable ? 1 : 0));
  __asm__ volatile("dsb sy" ::: "memory");
}
