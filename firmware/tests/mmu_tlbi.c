/* mmu_tlbi: break a translation, invalidate it, see the new one.
 *
 * Each case maps a VA to page A (B, C: pages holding different values),
 * reads it (filling the TLB), rewrites the descriptor in memory (DSB ISH),
 * and then:
 *   - reads the VA again before any TLBI. The architecture permits, but does
 *     not require, the old translation to be used here (the TLB may hold it
 *     or not), so this value is not printed. hvsim keeps TLB and walk-cache
 *     entries until an invalidation covers them, and that is what this test
 *     is about: on hvsim (detected by MIDR_EL1, see on_hvsim()) the stale
 *     value is checked silently and a fresh one fails the test;
 *   - issues a TLBI that does not cover the entry (other VA, other ASID, or
 *     last-level only after a table descriptor change): the stale value is
 *     again checked on hvsim only;
 *   - issues the TLBI that covers it, DSB ISH, ISB: the new translation must
 *     be used. That is printed and compared with QEMU.
 *
 * EL2 regime: TLBI VAE2 and VALE2 on a page descriptor (one VA only, its
 * neighbour stays stale), ALLE2, and a level-2 table descriptor pointed at
 * another level-3 table: VALE2 may leave the walk cache entry (hvsim: old
 * table still walked), VAE2 removes it. EL1&0 regime (stage 2 off), pages
 * nG with ASIDs: VAE1 with another ASID vs the right one, ASID switch by
 * TTBR0_EL1, ASIDE1, global pages vs ASIDE1 and VAAE1, VMALLE1, and VALE1 vs
 * VAE1 on a table descriptor change. Entered at EL2. */
#include "fw.h"
#include "mmu.h"

#define UART_PA 0x09000000UL
#define RAM_PA 0x40000000UL
#define SZ_4K 0x1000UL
#define SZ_2M (1UL << 21)
#define SZ_1G (1UL << 30)

#define VA_T 0x80000000UL         /* a page of a level-3 table */
#define VA_T2 (VA_T + SZ_4K)      /* its neighbour */
#define VA_G (VA_T + 2 * SZ_4K)   /* a global page (EL1) */
#define VA_W 0x80200000UL         /* walk-cache case: level-2 entry swapped */

#define VAL_A 0xaaaa0000aaaaUL
#define VAL_B 0xbbbb0000bbbbUL
#define VAL_C 0xcccc0000ccccUL

static volatile u64 page_a[512] __attribute__((aligned(4096)));
static volatile u64 page_b[512] __attribute__((aligned(4096)));
static volatile u64 page_c[512] __attribute__((aligned(4096)));

static int hv; /* running on hvsim: check the stale reads */

static u64 load(u64 va) {
  u64 v;
  __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(va) : "memory");
  return v;
}

/* Rewrites a leaf or table descriptor and makes the write visible to the
 * table walker (no TLB maintenance). */
static void set_desc(u64 *d, u64 v) {
  *(volatile u64 *)d = v;
  dsb(ish);
}

/* A level-3 descriptor for a page. */
static u64 page_desc(volatile u64 *page, u64 attrs) {
  return (u64)page | attrs | PTE_PAGE | PTE_VALID;
}

/* A read the architecture lets return the old or the new value: checked
 * only on hvsim, which must return the old one, and never printed. */
static void expect_stale(const char *what, u64 va, u64 old) {
  const u64 v = load(va);
  if (hv) check_quiet(what, v, old);
}

/* After a TLBI: DSB ISH completes it, ISB makes the following reads see it. */
static void tlbi_sync_done(void) {
  dsb(ish);
  isb();
}

/* ---- EL2 regime ------------------------------------------------------------ */

static struct mmu_tables t2, t1;

static void el2_tests(void) {
  const u64 rw = PTE_NORMAL | PTE_AP_EL0; /* AP[1] is RES1 at EL2 */
  mmu_init(&t2, 12, 39, -1);
  mmu_map(&t2, RAM_PA, RAM_PA, SZ_1G, 1, rw);
  mmu_map(&t2, UART_PA, UART_PA, SZ_2M, 2, PTE_DEVICE_EL2 | PTE_AP_EL0);
  mmu_map(&t2, VA_T, (u64)page_a, SZ_4K, 3, rw);
  mmu_map(&t2, VA_T2, (u64)page_a, SZ_4K, 3, rw);
  mmu_map(&t2, VA_W, (u64)page_a, SZ_4K, 3, rw);
  u64 *pte = mmu_pte(&t2, VA_T, 3), *pte2 = mmu_pte(&t2, VA_T2, 3);
  mmu_enable_el2(&t2);
  printf("EL2 regime\n");

  /* TLBI VAE2 removes the entry of its VA only. */
  check("EL2 VA -> page A", load(VA_T), VAL_A);
  check("EL2 neighbour VA -> page A", load(VA_T2), VAL_A);
  set_desc(pte, page_desc(page_b, rw));
  set_desc(pte2, page_desc(page_b, rw));
  expect_stale("EL2 VA after the PTE write, before TLBI", VA_T, VAL_A);
  tlbi_va(vae2, TLBI_VA(VA_T, 0));
  tlbi_sync_done();
  check("EL2 VA after TLBI VAE2 (VA) -> page B", load(VA_T), VAL_B);
  expect_stale("EL2 neighbour VA after TLBI VAE2 of the other VA", VA_T2, VAL_A);
  tlbi_va(vale2, TLBI_VA(VA_T2, 0));
  tlbi_sync_done();
  check("EL2 neighbour VA after TLBI VALE2 (its VA) -> page B", load(VA_T2), VAL_B);

  /* TLBI ALLE2. */
  set_desc(pte, page_desc(page_c, rw));
  set_desc(pte2, page_desc(page_c, rw));
  expect_stale("EL2 VA after the PTE write, before TLBI ALLE2", VA_T, VAL_B);
  expect_stale("EL2 neighbour VA after the PTE write, before TLBI ALLE2", VA_T2, VAL_B);
  tlbi(alle2);
  tlbi_sync_done();
  check("EL2 VA after TLBI ALLE2 -> page C", load(VA_T), VAL_C);
  check("EL2 neighbour VA after TLBI ALLE2 -> page C", load(VA_T2), VAL_C);

  /* A table descriptor change: the level-2 entry of VA_W points at a new
   * level-3 table mapping VA_W to page B. VALE2 need only remove the
   * last-level entry: a walk may still go through the old table (hvsim's
   * walk cache keeps the level-2 descriptor). VAE2 removes both. */
  u64 *l2 = mmu_pte(&t2, VA_W, 2);
  u64 *new_l3 = mmu_alloc(SZ_4K);
  new_l3[(VA_W >> 12) & 511] = page_desc(page_b, rw);
  tlbi_va(vae2, TLBI_VA(VA_W, 0));
  tlbi_sync_done();
  check("EL2 walk-cache VA -> page A (old table)", load(VA_W), VAL_A);
  set_desc(l2, mmu_table_desc(new_l3));
  expect_stale("EL2 walk-cache VA after the table descriptor write", VA_W, VAL_A);
  tlbi_va(vale2, TLBI_VA(VA_W, 0));
  tlbi_sync_done();
  expect_stale("EL2 walk-cache VA after TLBI VALE2 (old table still walked)", VA_W, VAL_A);
  tlbi_va(vae2, TLBI_VA(VA_W, 0));
  tlbi_sync_done();
  check("EL2 walk-cache VA after TLBI VAE2 -> page B (new table)", load(VA_W), VAL_B);
  mmu_disable_el2();
}

/* ---- EL1&0 regime ---------------------------------------------------------- */

static void set_asid(u64 asid) {
  write_sysreg(ttbr0_el1, (u64)t1.root | (asid << 48));
  isb();
}

static long el1_tests(long arg) {
  const u64 rw = PTE_NORMAL, rw_ng = PTE_NORMAL | PTE_NG;
  u64 *pte = mmu_pte(&t1, VA_T, 3), *pte2 = mmu_pte(&t1, VA_T2, 3), *pteg = mmu_pte(&t1, VA_G, 3);
  mmu_enable_el1(&t1, 1);
  printf("EL1&0 regime, ASID 1\n");

  /* TLBI VAE1 matches the ASID of non-global entries. */
  check("EL1 nG VA -> page A", load(VA_T), VAL_A);
  set_desc(pte, page_desc(page_b, rw_ng));
  expect_stale("EL1 nG VA after the PTE write, before TLBI", VA_T, VAL_A);
  tlbi_va(vae1, TLBI_VA(VA_T, 2));
  tlbi_sync_done();
  expect_stale("EL1 nG VA after TLBI VAE1 with another ASID", VA_T, VAL_A);
  tlbi_va(vae1, TLBI_VA(VA_T, 1));
  tlbi_sync_done();
  check("EL1 nG VA after TLBI VAE1 with its ASID -> page B", load(VA_T), VAL_B);

  /* ASIDs: an ASID used for the first time has no entries; ASIDE1
   * removes the non-global entries of one ASID. */
  set_asid(2);
  check("EL1 nG VA under ASID 2 -> page B", load(VA_T), VAL_B);
  set_desc(pte, page_desc(page_c, rw_ng));
  expect_stale("EL1 nG VA under ASID 2 after the PTE write", VA_T, VAL_B);
  tlbi_va(aside1, 1UL << 48);
  tlbi_sync_done();
  expect_stale("EL1 nG VA under ASID 2 after TLBI ASIDE1 of ASID 1", VA_T, VAL_B);
  set_asid(1);
  check("EL1 nG VA back under ASID 1 (its entry was removed) -> page C", load(VA_T), VAL_C);
  set_asid(2);
  expect_stale("EL1 nG VA under ASID 2 again", VA_T, VAL_B);
  tlbi_va(aside1, 2UL << 48);
  tlbi_sync_done();
  check("EL1 nG VA under ASID 2 after TLBI ASIDE1 of ASID 2 -> page C", load(VA_T), VAL_C);

  /* Global entries match every ASID: ASIDE1 and VAE1 of another ASID leave
   * them, VAAE1 (any ASID) removes them. */
  check("EL1 global VA under ASID 2 -> page A", load(VA_G), VAL_A);
  set_asid(1);
  check("EL1 global VA under ASID 1 -> page A", load(VA_G), VAL_A);
  set_desc(pteg, page_desc(page_b, rw));
  tlbi_va(aside1, 1UL << 48);
  tlbi_sync_done();
  expect_stale("EL1 global VA after TLBI ASIDE1", VA_G, VAL_A);
  tlbi_va(vaae1, TLBI_VA(VA_G, 0x55));
  tlbi_sync_done();
  check("EL1 global VA after TLBI VAAE1 -> page B", load(VA_G), VAL_B);
  set_asid(2);
  check("EL1 global VA under ASID 2 after TLBI VAAE1 -> page B", load(VA_G), VAL_B);

  /* VMALLE1: every EL1&0 entry, all ASIDs, global or not. */
  set_asid(1);
  check("EL1 nG VA -> page C", load(VA_T), VAL_C);
  check("EL1 neighbour nG VA -> page A", load(VA_T2), VAL_A);
  set_desc(pte, page_desc(page_a, rw_ng));
  set_desc(pte2, page_desc(page_c, rw_ng));
  set_desc(pteg, page_desc(page_c, rw));
  expect_stale("EL1 nG VA after the PTE write, before VMALLE1", VA_T, VAL_C);
  expect_stale("EL1 neighbour nG VA after the PTE write, before VMALLE1", VA_T2, VAL_A);
  expect_stale("EL1 global VA after the PTE write, before VMALLE1", VA_G, VAL_B);
  tlbi(vmalle1);
  tlbi_sync_done();
  check("EL1 nG VA after TLBI VMALLE1 -> page A", load(VA_T), VAL_A);
  check("EL1 neighbour nG VA after TLBI VMALLE1 -> page C", load(VA_T2), VAL_C);
  check("EL1 global VA after TLBI VMALLE1 -> page C", load(VA_G), VAL_C);

  /* A table descriptor change: VALE1 may leave the walk-cache entry, VAE1
   * removes it. */
  u64 *l2 = mmu_pte(&t1, VA_W, 2);
  u64 *new_l3 = mmu_alloc(SZ_4K);
  new_l3[(VA_W >> 12) & 511] = page_desc(page_c, rw_ng);
  tlbi_va(vae1, TLBI_VA(VA_W, 1));
  tlbi_sync_done();
  check("EL1 walk-cache VA -> page A (old table)", load(VA_W), VAL_A);
  set_desc(l2, mmu_table_desc(new_l3));
  expect_stale("EL1 walk-cache VA after the table descriptor write", VA_W, VAL_A);
  tlbi_va(vale1, TLBI_VA(VA_W, 1));
  tlbi_sync_done();
  expect_stale("EL1 walk-cache VA after TLBI VALE1 (old table still walked)", VA_W, VAL_A);
  tlbi_va(vae1, TLBI_VA(VA_W, 1));
  tlbi_sync_done();
  check("EL1 walk-cache VA after TLBI VAE1 -> page C (new table)", load(VA_W), VAL_C);
  mmu_disable_el1();
  return arg;
}

int main(void) {
  hv = on_hvsim();
  page_a[0] = VAL_A;
  page_b[0] = VAL_B;
  page_c[0] = VAL_C;
  el2_tests();

  mmu_init(&t1, 12, 39, -1);
  mmu_map(&t1, RAM_PA, RAM_PA, SZ_1G, 1, PTE_NORMAL);
  mmu_map(&t1, UART_PA, UART_PA, SZ_2M, 2, PTE_DEVICE);
  mmu_map(&t1, VA_T, (u64)page_a, SZ_4K, 3, PTE_NORMAL | PTE_NG);
  mmu_map(&t1, VA_T2, (u64)page_a, SZ_4K, 3, PTE_NORMAL | PTE_NG);
  mmu_map(&t1, VA_G, (u64)page_a, SZ_4K, 3, PTE_NORMAL);
  mmu_map(&t1, VA_W, (u64)page_a, SZ_4K, 3, PTE_NORMAL | PTE_NG);
  run_at_el(1, el1_tests, 0);
  return test_done();
}
