/* mmu_granules: EL2 stage-1 translation with each granule and a 48-bit VA:
 * 4KB (start level 0, four levels), 64KB (start level 1) and 16KB (start
 * level 0). For each: RAM identity mapped by level-2 blocks (2MB, 512MB,
 * 32MB), the UART by the level-2 Device block holding it, and at VA
 * 0x80000000 a level-3 table with a page P (the granule's size, from the
 * table pool), an alias of P, P without AF and an invalid entry; then an
 * invalid level-2 entry and a level-2 block aliasing RAM. Checks: reads and
 * writes through the aliases (and the page offset bits a granule keeps),
 * Access flag and Translation faults with their level (3, 2, 1, the start
 * level, and 0 for a VA above the range), FAR; AT S1E2R results in PAR_EL1.
 *
 * The 16KB granule is optional in ARMv8.0 (ID_AA64MMFR0_EL1.TGran16) and
 * QEMU's cortex-a57 does not implement it: its checks run only where it is
 * implemented, and silently, so the transcripts stay comparable. Entered at
 * EL2. */
#include "fw.h"
#include "mmu.h"

#define UART_PA 0x09000000UL
#define RAM_PA 0x40000000UL
#define SZ_1G (1UL << 30)
#define VA_TEST 0x80000000UL

static int quiet;

static void ck(const char *name, u64 got, u64 expected) {
  if (quiet)
    check_quiet(name, got, expected);
  else
    check(name, got, expected);
}

static int handler(struct exc_frame *f) {
  if (ESR_EC(f->esr) == EC_DABT_CUR) return exc_record_skip(f);
  return 0;
}

static u64 load(u64 va) {
  u64 v = 0x600d;
  __asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(va) : "memory");
  return v;
}

static void store(u64 va, u64 v) {
  __asm__ volatile("str %0, [%1]" : : "r"(v), "r"(va) : "memory");
}

static void expect_dabt(const char *g, const char *what, u64 va, unsigned fsc) {
  char name[80];
  exc_rec_clear();
  const u64 v = load(va);
  snprintf(name, sizeof(name), "%s %s: ESR", g, what);
  ck(name, exc_rec.count == 1 ? exc_rec.esr & ABT_MASK : ~0UL,
     ((u64)EC_DABT_CUR << 26) | ESR_IL | fsc);
  snprintf(name, sizeof(name), "%s %s: FAR", g, what);
  ck(name, exc_rec.far, va);
  snprintf(name, sizeof(name), "%s %s: register unchanged", g, what);
  ck(name, v, 0x600d);
}

static void at_check(const char *g, const char *what, u64 va, u64 expected) {
  char name[80];
  at(s1e2r, va);
  isb();
  snprintf(name, sizeof(name), "%s AT S1E2R %s: PAR", g, what);
  ck(name, par_fields(read_sysreg(par_el1)), expected);
}

static void run(const char *g, unsigned gshift) {
  char name[80];
  const u64 pg = 1UL << gshift;
  const u64 l2 = 1UL << mmu_level_shift(gshift, 2); /* level-2 block size */
  const u64 l1 = 1UL << mmu_level_shift(gshift, 1);
  struct mmu_tables t;
  const u64 rw = PTE_NORMAL | PTE_AP_EL0; /* AP[1] is RES1 at EL2 */

  mmu_pool_reset();
  mmu_init(&t, gshift, 48, -1);
  volatile u64 *page = mmu_alloc(pg);
  const u64 p = (u64)page;
  mmu_map(&t, RAM_PA, RAM_PA, SZ_1G, 2, rw);
  mmu_map(&t, UART_PA & ~(l2 - 1), UART_PA & ~(l2 - 1), l2, 2, PTE_DEVICE_EL2 | PTE_AP_EL0);
  mmu_map(&t, VA_TEST, p, pg, 3, rw);
  mmu_map(&t, VA_TEST + pg, p, pg, 3, rw);
  mmu_map(&t, VA_TEST + 2 * pg, p, pg, 3, rw & ~PTE_AF);
  mmu_map(&t, VA_TEST + 3 * pg, 0, pg, 3, 0);
  mmu_map(&t, VA_TEST + l2, 0, l2, 2, 0);
  mmu_map(&t, VA_TEST + 2 * l2, p & ~(l2 - 1), l2, 2, rw);
  if (!quiet)
    printf("%s granule: start level %u, level-2 block %lx\n", g, t.start_level, l2);
  /* TG0 must hold the granule (a granule the tables do not use would make
   * the code itself unreachable once the MMU is on). */
  const u64 tcr = mmu_tcr_el2(&t);
  write_sysreg(tcr_el2, tcr);
  isb();
  snprintf(name, sizeof(name), "%s TCR_EL2 reads back", g);
  ck(name, read_sysreg(tcr_el2), tcr);
  if (read_sysreg(tcr_el2) != tcr) return;
  mmu_enable_el2(&t);

  /* The last word of the page: page offsets up to the granule size. */
  const u64 last = pg - 8;
  page[last / 8] = 0x0123456789abcdefUL + gshift;
  snprintf(name, sizeof(name), "%s read the page's last word via its first alias", g);
  ck(name, load(VA_TEST + last), page[last / 8]);
  store(VA_TEST + pg + last - 8, 0xfeedUL + gshift);
  snprintf(name, sizeof(name), "%s store via the second alias, read at the PA", g);
  ck(name, page[last / 8 - 1], 0xfeedUL + gshift);
  snprintf(name, sizeof(name), "%s read via the level-2 block alias of RAM", g);
  ck(name, load(VA_TEST + 2 * l2 + (p - RAM_PA) % l2 + last), page[last / 8]);

  expect_dabt(g, "load, page without AF", VA_TEST + 2 * pg + 0x18, FSC_ACCESS(3));
  expect_dabt(g, "load, invalid page", VA_TEST + 3 * pg + pg - 8, FSC_TRANS(3));
  expect_dabt(g, "load, invalid level-2 entry", VA_TEST + l2 + 0x40, FSC_TRANS(2));
  expect_dabt(g, "load, invalid level-1 entry", 3 * l1 + 0x80, FSC_TRANS(1));
  expect_dabt(g, "load, invalid entry of the start level", (1UL << 47) + 0x100,
              FSC_TRANS(t.start_level));
  expect_dabt(g, "load, outside the VA range", 1UL << 48, FSC_TRANS(0));

  at_check(g, "first alias", VA_TEST + last, PAR_PA(p + last));
  at_check(g, "second alias", VA_TEST + pg + 8, PAR_PA(p + 8));
  at_check(g, "page without AF", VA_TEST + 2 * pg, PAR_FAULT(FSC_ACCESS(3)));
  at_check(g, "invalid level-2 entry", VA_TEST + l2, PAR_FAULT(FSC_TRANS(2)));
  mmu_disable_el2();
}

int main(void) {
  exc_set_handler(handler);
  run("4KB", 12);
  run("64KB", 16);
  const u64 tgran16 = (read_sysreg(id_aa64mmfr0_el1) >> 20) & 0xf;
  quiet = 1;
  if (tgran16 == 1) run("16KB", 14);
  quiet = 0;
  return test_done();
}
