/* Translation table building and MMU switching (see mmu.h). */
#include "mmu.h"

/* The table pool: 4 MiB of RAM after the image (after the stacks), 1 MiB
 * aligned, so that any table up to 1 MiB (a 64KB-granule table, or 16
 * concatenated 4KB/16KB stage-2 root tables) is aligned to its size in the
 * pool. Outside .bss, so that programs without
 * tables do not zero it at boot; mmu_alloc() zeroes what it hands out. */
#define POOL_SIZE (4UL << 20)
extern char __image_end[];
static u64 pool_used;
#define pool ((u8 *)(((u64)__image_end + 0xfffffUL) & ~0xfffffUL))

void mmu_pool_reset(void) { pool_used = 0; }

void *mmu_alloc(u64 size) {
  u64 at = (pool_used + size - 1) & ~(size - 1);
  if (at + size > POOL_SIZE) {
    printf("FAIL mmu_alloc: table pool exhausted\n");
    exit(1);
  }
  pool_used = at + size;
  memset(pool + at, 0, size);
  return pool + at;
}

void mmu_sync(void) {
  const u64 line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xF);
  for (u64 a = (u64)pool; a < (u64)pool + pool_used; a += line) __asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
  dsb(sy);
}

void mmu_init(struct mmu_tables *t, unsigned gshift, unsigned ia_bits, int start_level) {
  const unsigned stride = gshift - 3;
  t->gshift = gshift;
  t->ia_bits = ia_bits;
  if (start_level < 0) start_level = (int)(4 - (ia_bits - gshift + stride - 1) / stride);
  t->start_level = (unsigned)start_level;
  const unsigned shift = mmu_level_shift(gshift, t->start_level);
  u64 size = (ia_bits > shift ? 1UL << (ia_bits - shift) : 1) * 8;
  if (size < (1UL << gshift)) size = 1UL << gshift;
  t->root = mmu_alloc(size);
}

u64 *mmu_pte(struct mmu_tables *t, u64 va, unsigned level) {
  const unsigned stride = t->gshift - 3;
  u64 *table = t->root;
  for (unsigned l = t->start_level;; l++) {
    const unsigned shift = mmu_level_shift(t->gshift, l);
    /* The root indexes all the input bits above its level (concatenated
     * stage-2 roots have more than one table's worth of entries). */
    const unsigned bits = l == t->start_level ? t->ia_bits - shift : stride;
    u64 *e = &table[(va >> shift) & ((1UL << bits) - 1)];
    if (l == level) return e;
    if ((*e & 3) != 3) *e = mmu_table_desc(mmu_alloc(1UL << t->gshift));
    table = mmu_desc_table(*e);
  }
}

void mmu_map(struct mmu_tables *t, u64 va, u64 pa, u64 size, unsigned level, u64 attrs) {
  const u64 step = 1UL << mmu_level_shift(t->gshift, level);
  for (u64 off = 0; off < size; off += step) {
    u64 d = 0;
    if (attrs) d = ((pa + off) & PTE_OA_MASK) | attrs | PTE_VALID | (level == 3 ? PTE_PAGE : 0);
    *mmu_pte(t, va + off, level) = d;
  }
}

/* TG0 encodings of TCR_ELx and VTCR_EL2. */
static u64 tg0(unsigned gshift) { return gshift == 12 ? 0 : gshift == 16 ? 1 : 2; }

/* Walks: Inner Shareable, Inner and Outer Write-Back Read/Write-Allocate. */
#define TCR_WALK_ATTRS ((1UL << 8) | (1UL << 10) | (3UL << 12))
#define PS_40BIT 2UL

u64 mmu_tcr_el2(const struct mmu_tables *t) {
  return (1UL << 31) | (1UL << 23) /* RES1 */ | (PS_40BIT << 16) | (tg0(t->gshift) << 14) |
         TCR_WALK_ATTRS | (64 - t->ia_bits);
}

u64 mmu_tcr_el1(const struct mmu_tables *t) {
  return (PS_40BIT << 32) /* IPS */ | (2UL << 30) /* TG1 4KB */ | (1UL << 23) /* EPD1 */ |
         (25UL << 16) /* T1SZ */ | (tg0(t->gshift) << 14) | TCR_WALK_ATTRS | (64 - t->ia_bits);
}

u64 mmu_vtcr(const struct mmu_tables *t) {
  /* SL0: the start level, counted down from level 2 (4KB) or level 3. */
  const u64 sl0 = (t->gshift == 12 ? 2 : 3) - t->start_level;
  return (1UL << 31) /* RES1 */ | (PS_40BIT << 16) | (tg0(t->gshift) << 14) | TCR_WALK_ATTRS |
         (sl0 << 6) | (64 - t->ia_bits);
}

void mmu_enable_el2(const struct mmu_tables *t) {
  write_sysreg(mair_el2, MAIR_VALUE);
  write_sysreg(tcr_el2, mmu_tcr_el2(t));
  write_sysreg(ttbr0_el2, t->root);
  mmu_sync();
  isb();
  tlbi(alle2);
  dsb(ish);
  isb();
  write_sysreg(sctlr_el2, read_sysreg(sctlr_el2) | SCTLR_M | SCTLR_C | SCTLR_I);
  isb();
}

/* Turning the data cache off needs the memory the program uses cleaned to
 * the Point of Coherency and invalidated first, or accesses with the cache
 * off read stale DRAM and a later eviction overwrites what they wrote. By VA,
 * because set/way operations do not reach a system cache. One asm block from
 * the first DC to the SCTLR write: no store may dirty a line in between. */
extern char __image_start[];
#define CACHES_OFF(sctlr)                                                         \
  do {                                                                          \
    const u64 line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xF);              \
    u64 a = (u64)__image_start & ~(line - 1);                                   \
    const u64 end = (u64)pool + POOL_SIZE;                                      \
    const u64 v = read_sysreg(sctlr) & ~(SCTLR_M | SCTLR_C | SCTLR_I);          \
    __asm__ volatile("1: dc civac, %[a]\n add %[a], %[a], %[l]\n cmp %[a], %[e]\n" \
                     " b.lo 1b\n dsb sy\n msr " #sctlr ", %[v]\n isb"            \
                     : [a] "+r"(a)                                              \
                     : [l] "r"(line), [e] "r"(end), [v] "r"(v)                  \
                     : "memory", "cc");                                         \
  } while (0)

void mmu_disable_el2(void) { CACHES_OFF(sctlr_el2); }

void mmu_enable_el1(const struct mmu_tables *t, u64 asid) {
  write_sysreg(mair_el1, MAIR_VALUE);
  write_sysreg(tcr_el1, mmu_tcr_el1(t));
  write_sysreg(ttbr0_el1, (u64)t->root | (asid << 48));
  mmu_sync();
  isb();
  tlbi(vmalle1);
  dsb(ish);
  isb();
  write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | SCTLR_M | SCTLR_C | SCTLR_I);
  isb();
}

void mmu_disable_el1(void) { CACHES_OFF(sctlr_el1); }

void mmu_disable_el1_keeping_stack(void) {
  const u64 line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xF);
  u64 sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  u64 a = (sp - 512) & ~(line - 1);
  const u64 end = sp + 4096;
  const u64 v = read_sysreg(sctlr_el1) & ~(SCTLR_M | SCTLR_C | SCTLR_I);
  __asm__ volatile("1: dc civac, %[a]\n add %[a], %[a], %[l]\n cmp %[a], %[e]\n b.lo 1b\n"
                   " dsb sy\n msr sctlr_el1, %[v]\n isb"
                   : [a] "+r"(a)
                   : [l] "r"(line), [e] "r"(end), [v] "r"(v)
                   : "memory", "cc");
}

void dcache_cisw_all(void) {
  const u64 clidr = read_sysreg(clidr_el1);
  const unsigned loc = (clidr >> 24) & 7;
  for (unsigned level = 0; level < loc; level++) {
    const unsigned ctype = (clidr >> (3 * level)) & 7;
    if (ctype < 2) continue; /* no cache, or instruction only */
    write_sysreg(csselr_el1, level << 1);
    isb();
    const u64 ccsidr = read_sysreg(ccsidr_el1);
    const unsigned line_shift = (ccsidr & 7) + 4;
    const unsigned ways = ((ccsidr >> 3) & 0x3ff) + 1, sets = ((ccsidr >> 13) & 0x7fff) + 1;
    const unsigned way_shift = ways > 1 ? __builtin_clz(ways - 1) : 0; /* 32 - log2(ways) */
    for (unsigned set = 0; set < sets; set++)
      for (unsigned way = 0; way < ways; way++) {
        const u64 sw = ((u64)way << way_shift) | ((u64)set << line_shift) | (level << 1);
        __asm__ volatile("dc cisw, %0" ::"r"(sw) : "memory");
      }
  }
  __asm__ volatile("dsb sy" ::: "memory");
}

void stage2_enable(const struct mmu_tables *t, u64 vmid) {
  write_sysreg(vtcr_el2, mmu_vtcr(t));
  write_sysreg(vttbr_el2, (u64)t->root | (vmid << 48));
  mmu_sync();
  isb();
  tlbi(vmalls12e1);
  dsb(ish);
  isb();
  write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_VM);
  isb();
}

void stage2_disable(void) {
  write_sysreg(hcr_el2, read_sysreg(hcr_el2) & ~HCR_VM);
  isb();
}

int on_hvsim(void) {
  const u64 midr = read_sysreg(midr_el1);
  return ((midr >> 24) & 0xff) == 0x00 && ((midr >> 4) & 0xfff) == 0x048;
}
