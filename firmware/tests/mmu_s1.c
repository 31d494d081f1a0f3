/* mmu_s1: stage-1 translation with the 4KB granule, at EL2 (EL2 regime)
 * and at EL1 (EL1&0 regime, stage 2 off), with tables built in RAM by
 * lib/mmu.c and SCTLR_ELx.{M,C,I} on. 39-bit VA (T0SZ 25, start level 1):
 * RAM identity mapped by a 1GB block, the UART by a 2MB Device block, and
 * test mappings at other VAs:
 *
 *   0x80000000 +0x0000  page A                 +0x5000  code page
 *              +0x1000  page A (alias)         +0x6000  invalid (level 3)
 *              +0x2000  page A, read-only      +0x7000  code page, UXN only (EL1)
 *              +0x3000  page B, AF = 0         +0x8000  page B
 *              +0x4000  code page, XN/PXN      +0x9000  page A, EL0 RW (EL1)
 *   0x80200000  2MB block -> the 2MB of RAM holding page A
 *   0x80400000  the same 2MB block with AF = 0
 *   0x80600000  invalid (level 2)
 *   0xc0000000  1GB block -> RAM, AF = 0
 *   0x100000000 1GB block -> RAM (alias)
 *   0x140000000 invalid (level 1)
 *   1 << 39     outside the VA range (level 0)
 *
 * Checks: reads and writes through every alias reach the same PA; Access
 * flag faults (DFSC 0b0010LL) at levels 1, 2 and 3, Permission faults on a
 * store to a read-only page (DFSC 0b0011LL, WnR), Translation faults at
 * levels 0-3, all with FAR = VA and ELR at the instruction; an Instruction
 * Abort (IFSC Permission, level 3) on an XN page (PXN at EL1, where UXN
 * alone does not stop execution); AT S1E2R/W, S1E1R/W and S1E0R/W results in
 * PAR_EL1 (F; PA on success; FST, PTW, S on failure; RES1 bit 11). The
 * syndrome fields compared are those mmu.h's ABT_MASK keeps (not ISV, not
 * the ISV-dependent ISS[23:14], not EA). Entered at EL2. */
#include "fw.h"
#include "mmu.h"

#define UART_PA 0x09000000UL
#define RAM_PA 0x40000000UL
#define SZ_4K 0x1000UL
#define SZ_2M (1UL << 21)
#define SZ_1G (1UL << 30)

#define VA_PAGES 0x80000000UL
#define VA_A (VA_PAGES + 0x0000)
#define VA_A2 (VA_PAGES + 0x1000)
#define VA_A_RO (VA_PAGES + 0x2000)
#define VA_B_NOAF (VA_PAGES + 0x3000)
#define VA_CODE_XN (VA_PAGES + 0x4000)
#define VA_CODE (VA_PAGES + 0x5000)
#define VA_INVALID3 (VA_PAGES + 0x6000)
#define VA_CODE_UXN (VA_PAGES + 0x7000)
#define VA_B (VA_PAGES + 0x8000)
#define VA_A_EL0 (VA_PAGES + 0x9000)
#define VA_BLOCK 0x80200000UL
#define VA_BLOCK_NOAF 0x80400000UL
#define VA_INVALID2 0x80600000UL
#define VA_GB_NOAF 0xc0000000UL
#define VA_GB 0x100000000UL
#define VA_INVALID1 0x140000000UL
#define VA_OUTSIDE (1UL << 39)

static volatile u64 page_a[512] __attribute__((aligned(4096)));
static volatile u64 page_b[512] __attribute__((aligned(4096)));

/* A page of code: code_page() returns 0x2a. */
extern char code_page[];
__asm__(".pushsection .text.code_page, \"ax\"\n"
        ".balign 4096\n"
        ".global code_page\n"
        "code_page:\n\tmov x0, #0x2a\n\tret\n"
        ".balign 4096\n"
        ".popsection\n");

static struct mmu_tables tables_el2, tables_el1;

/* The tables for the EL2 regime (el = 2) or the EL1&0 regime (el = 1).
 * AP[1] is RES1 in the EL2 regime and means "EL0 access" in EL1&0. */
static void build(struct mmu_tables *t, int el) {
  const u64 rw = PTE_NORMAL | (el == 2 ? PTE_AP_EL0 : 0);
  const u64 dev = el == 2 ? PTE_DEVICE_EL2 | PTE_AP_EL0 : PTE_DEVICE;
  const u64 xn = el == 2 ? PTE_XN : PTE_PXN;
  const u64 a = (u64)page_a, b = (u64)page_b, code = (u64)code_page;
  const u64 a_2m = a & ~(SZ_2M - 1);

  mmu_init(t, 12, 39, -1);
  mmu_map(t, RAM_PA, RAM_PA, SZ_1G, 1, rw);
  mmu_map(t, UART_PA, UART_PA, SZ_2M, 2, dev);
  mmu_map(t, VA_A, a, SZ_4K, 3, rw);
  mmu_map(t, VA_A2, a, SZ_4K, 3, rw);
  mmu_map(t, VA_A_RO, a, SZ_4K, 3, rw | PTE_AP_RO);
  mmu_map(t, VA_B_NOAF, b, SZ_4K, 3, rw & ~PTE_AF);
  mmu_map(t, VA_CODE_XN, code, SZ_4K, 3, rw | xn);
  mmu_map(t, VA_CODE, code, SZ_4K, 3, rw);
  mmu_map(t, VA_INVALID3, 0, SZ_4K, 3, 0);
  if (el == 1) mmu_map(t, VA_CODE_UXN, code, SZ_4K, 3, rw | PTE_UXN);
  mmu_map(t, VA_B, b, SZ_4K, 3, rw);
  mmu_map(t, VA_A_EL0, a, SZ_4K, 3, rw | PTE_AP_EL0);
  mmu_map(t, VA_BLOCK, a_2m, SZ_2M, 2, rw);
  mmu_map(t, VA_BLOCK_NOAF, a_2m, SZ_2M, 2, rw & ~PTE_AF);
  mmu_map(t, VA_INVALID2, 0, SZ_2M, 2, 0);
  mmu_map(t, VA_GB_NOAF, RAM_PA, SZ_1G, 1, rw & ~PTE_AF);
  mmu_map(t, VA_GB, RAM_PA, SZ_1G, 1, rw);
  mmu_map(t, VA_INVALID1, 0, SZ_1G, 1, 0);
}

/* Data aborts resume after the instruction; instruction aborts at x30 (the
 * caller of the branch target) with x0 = 0xbad. */
static int handler(struct exc_frame *f) {
  const u64 ec = ESR_EC(f->esr);
  if (ec == EC_DABT_CUR) return exc_record_skip(f);
  if (ec == EC_IABT_CUR) {
    exc_record_lr(f);
    f->x[0] = 0xbad;
    return 1;
  }
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

/* One load or store at va that must take a Data Abort with `fsc`. */
static void expect_dabt(int el, const char *what, u64 va, int write, unsigned fsc) {
  u64 insn, v = 0x600d;
  exc_rec_clear();
  if (write)
    __asm__ volatile("adr %0, 1f\n1:\tstr %1, [%2]" : "=&r"(insn) : "r"(v), "r"(va) : "memory");
  else
    __asm__ volatile("adr %0, 1f\n1:\tldr %1, [%2]" : "=&r"(insn), "+r"(v) : "r"(va) : "memory");
  checkf(exc_rec.count, 1, "EL%d %s: aborts", el, what);
  checkf(exc_rec.esr & ABT_MASK, ((u64)EC_DABT_CUR << 26) | ESR_IL | (write ? ISS_WNR : 0) | fsc,
         "EL%d %s: ESR", el, what);
  checkf(exc_rec.far, va, "EL%d %s: FAR", el, what);
  checkf(exc_rec.elr - insn, 0, "EL%d %s: ELR - insn", el, what);
  if (!write) checkf(v, 0x600d, "EL%d %s: register unchanged", el, what);
}

/* A call to code at va, which must return 0x2a or take an Instruction Abort
 * with `fsc` (0: no abort expected). */
static void expect_call(int el, const char *what, u64 va, unsigned fsc) {
  exc_rec_clear();
  const u64 r = ((u64(*)(void))va)();
  if (!fsc) {
    checkf(r, 0x2a, "EL%d %s: returns", el, what);
    checkf(exc_rec.count, 0, "EL%d %s: aborts", el, what);
    return;
  }
  checkf(exc_rec.count, 1, "EL%d %s: aborts", el, what);
  checkf(exc_rec.esr & ABT_MASK, ((u64)EC_IABT_CUR << 26) | ESR_IL | fsc, "EL%d %s: ESR", el, what);
  checkf(exc_rec.far, va, "EL%d %s: FAR", el, what);
  checkf(exc_rec.elr, va, "EL%d %s: ELR", el, what);
}

/* What both regimes must do with their tables. */
static void common_checks(int el) {
  const u64 a = (u64)page_a, b = (u64)page_b;
  const u64 a_2m = a & ~(SZ_2M - 1);

  /* Aliases: one PA through many VAs, each way round. */
  page_a[3] = 0x1111222233334444UL + (u64)el;
  page_b[5] = 0x5555666677778888UL + (u64)el;
  checkf(load(VA_A + 24), page_a[3], "EL%d read page A via its alias", el);
  checkf(load(VA_A2 + 24), page_a[3], "EL%d read page A via a second alias", el);
  checkf(load(VA_A_RO + 24), page_a[3], "EL%d read page A via the read-only alias", el);
  checkf(load(VA_BLOCK + (a - a_2m) + 24), page_a[3], "EL%d read page A via the 2MB block", el);
  checkf(load(VA_GB + (a - RAM_PA) + 24), page_a[3], "EL%d read page A via the 1GB block", el);
  checkf(load(VA_B + 40), page_b[5], "EL%d read page B via its alias", el);
  store(VA_A2 + 8, 0xa1a1a1a1UL + (u64)el);
  checkf(page_a[1], 0xa1a1a1a1UL + (u64)el, "EL%d store via the second alias, read at the PA", el);
  checkf(load(VA_A + 8), 0xa1a1a1a1UL + (u64)el, "EL%d ... and via the first alias", el);
  store(VA_GB + (b - RAM_PA) + 16, 0xb2b2b2b2UL + (u64)el);
  checkf(load(VA_B + 16), 0xb2b2b2b2UL + (u64)el,
         "EL%d store via the 1GB block, read via page B alias", el);
  store(VA_BLOCK + (b - a_2m) + 32, 0xc3c3UL + (u64)el);
  checkf(page_b[4], 0xc3c3UL + (u64)el, "EL%d store via the 2MB block, read at the PA", el);

  /* Faults, with the level of the descriptor that caused them. */
  expect_dabt(el, "load, page without AF", VA_B_NOAF + 8, 0, FSC_ACCESS(3));
  expect_dabt(el, "store, page without AF", VA_B_NOAF + 16, 1, FSC_ACCESS(3));
  expect_dabt(el, "load, 2MB block without AF", VA_BLOCK_NOAF + 0x1238, 0, FSC_ACCESS(2));
  expect_dabt(el, "load, 1GB block without AF", VA_GB_NOAF + 0x123450, 0, FSC_ACCESS(1));
  expect_dabt(el, "store, read-only page", VA_A_RO + 0x10, 1, FSC_PERM(3));
  checkf(page_a[2], 0, "EL%d read-only page unchanged", el);
  expect_dabt(el, "load, invalid page", VA_INVALID3 + 0x20, 0, FSC_TRANS(3));
  expect_dabt(el, "store, invalid page", VA_INVALID3 + 0x28, 1, FSC_TRANS(3));
  expect_dabt(el, "load, invalid level-2 entry", VA_INVALID2 + 0x4000, 0, FSC_TRANS(2));
  expect_dabt(el, "load, invalid level-1 entry", VA_INVALID1 + 0x8, 0, FSC_TRANS(1));
  expect_dabt(el, "load, outside the VA range", VA_OUTSIDE + 0x1000, 0, FSC_TRANS(0));
  expect_dabt(el, "store, outside the VA range", ~0UL - 7, 1, FSC_TRANS(0));

  /* Instruction fetches. */
  expect_call(el, "call code page via an executable alias", VA_CODE, 0);
  expect_call(el, el == 2 ? "call code page via an XN alias" : "call code page via a PXN alias",
              VA_CODE_XN, FSC_PERM(3));
  expect_call(el, "call an invalid page", VA_INVALID3, FSC_TRANS(3));
  expect_call(el, "call a page without AF", VA_B_NOAF, FSC_ACCESS(3));
}

static u64 at_par(void) {
  isb();
  return par_fields(read_sysreg(par_el1));
}

#define AT_CHECK(op, va, expected, what)                                      \
  do {                                                                        \
    at(op, va);                                                               \
    checkf(at_par(), expected, "AT " #op " %s: PAR", what);                   \
  } while (0)

static long el1_tests(long arg) {
  mmu_enable_el1(&tables_el1, 1);
  common_checks(1);
  expect_call(1, "call code page via a UXN-only alias", VA_CODE_UXN, 0);

  const u64 a = (u64)page_a;
  AT_CHECK(s1e1r, VA_A2 + 0x123, PAR_PA(a), "alias of page A");
  AT_CHECK(s1e1w, VA_A2, PAR_PA(a), "alias of page A");
  AT_CHECK(s1e1r, VA_A_RO, PAR_PA(a), "read-only alias");
  AT_CHECK(s1e1w, VA_A_RO, PAR_FAULT(FSC_PERM(3)), "read-only alias");
  AT_CHECK(s1e1r, VA_B_NOAF, PAR_FAULT(FSC_ACCESS(3)), "page without AF");
  AT_CHECK(s1e1r, VA_INVALID2 + 0x5000, PAR_FAULT(FSC_TRANS(2)), "invalid level-2 entry");
  AT_CHECK(s1e1r, VA_GB + 0x12345678, PAR_PA(RAM_PA + 0x12345000), "1GB block");
  AT_CHECK(s1e0r, VA_A, PAR_FAULT(FSC_PERM(3)), "page without EL0 access");
  AT_CHECK(s1e0r, VA_A_EL0 + 0x10, PAR_PA(a), "page with EL0 access");
  AT_CHECK(s1e0w, VA_A_EL0, PAR_PA(a), "page with EL0 access");
  /* EL1's MMU stays on: EL2 checks AT S1E1* against these tables. */
  return arg;
}

int main(void) {
  exc_set_handler(handler);
  build(&tables_el2, 2);
  build(&tables_el1, 1);
  printf("EL2 regime, 4KB granule, 39-bit VA\n");
  mmu_enable_el2(&tables_el2);
  common_checks(2);

  const u64 a = (u64)page_a;
  AT_CHECK(s1e2r, VA_A2 + 0x8, PAR_PA(a), "alias of page A");
  AT_CHECK(s1e2w, VA_A2, PAR_PA(a), "alias of page A");
  AT_CHECK(s1e2r, VA_BLOCK + 0x1fff00, PAR_PA((a & ~(SZ_2M - 1)) + 0x1ff000), "2MB block");
  AT_CHECK(s1e2w, VA_A_RO, PAR_FAULT(FSC_PERM(3)), "read-only alias");
  AT_CHECK(s1e2r, VA_B_NOAF, PAR_FAULT(FSC_ACCESS(3)), "page without AF");
  AT_CHECK(s1e2r, VA_INVALID3, PAR_FAULT(FSC_TRANS(3)), "invalid page");
  AT_CHECK(s1e2r, VA_INVALID1, PAR_FAULT(FSC_TRANS(1)), "invalid level-1 entry");
  AT_CHECK(s1e2w, VA_OUTSIDE, PAR_FAULT(FSC_TRANS(0)), "outside the VA range");

  printf("EL1&0 regime, 4KB granule, 39-bit VA, stage 2 off\n");
  run_at_el(1, el1_tests, 0);
  AT_CHECK(s1e1r, VA_B + 0x40, PAR_PA((u64)page_b), "from EL2, alias of page B");
  AT_CHECK(s1e1w, VA_A_RO, PAR_FAULT(FSC_PERM(3)), "from EL2, read-only alias");
  AT_CHECK(s1e0r, VA_A_RO, PAR_FAULT(FSC_PERM(3)), "from EL2, page without EL0 access");

  /* The EL2 regime still translates after EL1's ran. */
  checkf(load(VA_A2 + 24), page_a[3], "EL2 read page A via its alias again");
  mmu_disable_el2();
  return test_done();
}
