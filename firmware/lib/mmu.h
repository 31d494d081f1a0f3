/* hvsim firmware: building VMSAv8-64 translation tables (stage 1 and
 * stage 2, 4KB/16KB/64KB granules) and turning translation on and off.
 *
 * Tables come from a static pool in .bss, so every address is a
 * deterministic function of the ELF image. The firmware runs identity
 * mapped: the PA of a symbol is its address. Tables are written with
 * ordinary stores; mmu_sync() (DC CIVAC of the pool, DSB) makes them visible
 * to the walker, with the data cache on or off.
 *
 * Usage:
 *   struct mmu_tables t;
 *   mmu_init(&t, 12, 39, -1);                                  4KB, 39-bit VA
 *   mmu_map(&t, 0x40000000, 0x40000000, 1UL << 30, 1, PTE_NORMAL);   1GB block
 *   mmu_map(&t, UART, UART, 2UL << 20, 2, PTE_DEVICE);         2MB block
 *   mmu_enable_el2(&t);
 */
#ifndef HVSIM_FW_MMU_H
#define HVSIM_FW_MMU_H

#include "fw.h"

/* ---- descriptor bits (Arm ARM D8.3) ------------------------------------- */
#define PTE_VALID (1UL << 0)
#define PTE_TABLE (1UL << 1) /* levels 0-2: table (0: block) */
#define PTE_PAGE (1UL << 1)  /* level 3: page */
#define PTE_ATTR(i) ((u64)(i) << 2) /* stage 1 AttrIndx */
#define PTE_AP_EL0 (1UL << 6)       /* AP[1]: EL0 access (EL1&0 regime) */
#define PTE_AP_RO (1UL << 7)        /* AP[2]: read-only */
#define PTE_SH_IS (3UL << 8)        /* Inner Shareable */
#define PTE_AF (1UL << 10)
#define PTE_NG (1UL << 11)
#define PTE_PXN (1UL << 53)         /* EL1&0 only; RES0 in the EL2 regime */
#define PTE_UXN (1UL << 54)         /* UXN for EL1&0, XN for EL2 */
#define PTE_XN PTE_UXN
#define PTE_OA_MASK 0x0000fffffffff000UL /* up to 48-bit output addresses */

/* Attribute indexes of MAIR_VALUE (written to MAIR_EL1/MAIR_EL2). */
#define MT_NORMAL 0    /* 0xff: Normal, Inner/Outer Write-Back RW-allocate */
#define MT_DEVICE 1    /* 0x00: Device-nGnRnE */
#define MT_NORMAL_NC 2 /* 0x44: Normal Non-cacheable */
#define MAIR_VALUE 0x4400ffUL

/* Stage-2 leaf bits. */
#define S2_MEMATTR_NORMAL (0xfUL << 2) /* Normal, Outer and Inner Write-Back */
#define S2_MEMATTR_DEVICE (0x0UL << 2) /* Device-nGnRnE */
#define S2AP_NONE (0UL << 6)
#define S2AP_RO (1UL << 6)
#define S2AP_WO (2UL << 6)
#define S2AP_RW (3UL << 6)
#define S2_XN (1UL << 54)

/* Common leaf attribute sets (AF set, valid and page bits added by
 * mmu_map). */
#define PTE_NORMAL (PTE_AF | PTE_SH_IS | PTE_ATTR(MT_NORMAL))
#define PTE_DEVICE (PTE_AF | PTE_ATTR(MT_DEVICE) | PTE_UXN | PTE_PXN)
#define PTE_DEVICE_EL2 (PTE_AF | PTE_ATTR(MT_DEVICE) | PTE_XN)
#define S2_NORMAL (PTE_AF | PTE_SH_IS | S2_MEMATTR_NORMAL | S2AP_RW)
#define S2_DEVICE (PTE_AF | S2_MEMATTR_DEVICE | S2AP_RW | S2_XN)

/* SCTLR_ELx bits. */
#define SCTLR_M (1UL << 0)
#define SCTLR_C (1UL << 2)
#define SCTLR_I (1UL << 12)

/* HCR_EL2 bits. */
#define HCR_VM (1UL << 0)
#define HCR_RW (1UL << 31)

/* Fault status codes (DFSC/IFSC, PAR_EL1.FST): kind | level. */
#define FSC_ADDR_SIZE(l) (0x00 | (l))
#define FSC_TRANS(l) (0x04 | (l))
#define FSC_ACCESS(l) (0x08 | (l))
#define FSC_PERM(l) (0x0c | (l))

/* Data/Instruction Abort ISS bits. */
#define ISS_ISV (1UL << 24)
#define ISS_SAS(e) (((e) >> 22) & 3)
#define ISS_SSE (1UL << 21)
#define ISS_SRT(e) (((e) >> 16) & 31)
#define ISS_SF (1UL << 15)
#define ISS_AR (1UL << 14)
#define ISS_FNV (1UL << 10)
#define ISS_EA (1UL << 9)
#define ISS_CM (1UL << 8)
#define ISS_S1PTW (1UL << 7)
#define ISS_WNR (1UL << 6)
#define ISS_FSC(e) ((e) & 0x3f)
/* The abort syndrome bits every implementation agrees on whatever ISV
 * (EC, IL, FnV, CM, S1PTW, WnR, xFSC): not ISV, ISS[23:14] or EA. */
#define ABT_MASK 0xfe003dffUL

/* PAR_EL1 fields the architecture defines for a Non-secure EL1&0/EL2 result:
 * F=0: PA[47:12] (and RES1 bit 11); F=1: S, PTW, FST, F (and RES1 bit 11).
 * Left out: ATTR, SH (their values for some memory types are
 * IMPLEMENTATION DEFINED), NS (UNKNOWN in Non-secure state), IMP DEF bits. */
#define PAR_F 1UL
#define PAR_OK_MASK (PTE_OA_MASK | (1UL << 11) | PAR_F)
#define PAR_FAULT_MASK ((1UL << 11) | (1UL << 9) | (1UL << 8) | 0x7fUL)
static inline u64 par_fields(u64 par) {
  return par & ((par & PAR_F) ? PAR_FAULT_MASK : PAR_OK_MASK);
}
#define PAR_FAULT(fst) ((1UL << 11) | ((u64)(fst) << 1) | PAR_F)
#define PAR_S2 (1UL << 9)
#define PAR_PTW (1UL << 8)
#define PAR_PA(pa) ((1UL << 11) | ((pa) & PTE_OA_MASK))

/* ---- barriers and TLB maintenance --------------------------------------- */
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")
#define tlbi(op) __asm__ volatile("tlbi " #op : : : "memory")
#define tlbi_va(op, x) __asm__ volatile("tlbi " #op ", %0" : : "r"((u64)(x)) : "memory")
#define at(op, va) __asm__ volatile("at " #op ", %0" : : "r"((u64)(va)) : "memory")
/* DSB ISH: table writes visible to the walker. */
/* Cleans and invalidates the used table pool to the Point of Coherency, then
 * DSB: the walks are cacheable (TCR IRGN/ORGN = WB), so tables written with
 * the cache off must not be shadowed by stale cached lines, and tables
 * written with it on reach memory too. */
void mmu_sync(void);
/* TLBI operand of a VA: VA[55:12] in bits [43:0], ASID in [63:48]. */
#define TLBI_VA(va, asid) ((((u64)(va) >> 12) & 0xfffffffffffUL) | ((u64)(asid) << 48))
/* TLBI operand of an IPA: IPA[47:12] in bits [35:0]. */
#define TLBI_IPA(ipa) (((u64)(ipa) >> 12) & 0xfffffffffUL)

/* ---- tables -------------------------------------------------------------- */
struct mmu_tables {
  unsigned gshift;      /* granule: 12 (4KB), 14 (16KB) or 16 (64KB) */
  unsigned ia_bits;     /* input address size: 64 - TxSZ */
  unsigned start_level; /* level of the root table */
  u64 *root;            /* the root (for stage 2 possibly concatenated) */
};

/* Bits of input address one descriptor at `level` spans. */
static inline unsigned mmu_level_shift(unsigned gshift, unsigned level) {
  return gshift + (3 - level) * (gshift - 3);
}

/* Sets up a table set with an empty root. start_level < 0: the stage-1
 * start level that ia_bits implies; otherwise that level, with the root
 * made of as many concatenated tables as ia_bits needs (stage 2). */
void mmu_init(struct mmu_tables *t, unsigned gshift, unsigned ia_bits, int start_level);
/* Writes leaf descriptors (blocks below level 3, pages at level 3) for
 * [va, va + size) -> [pa, ...) at `level`, creating tables as needed.
 * attrs: PTE_* or S2_* bits; PTE_VALID (and the page bit at level 3) are
 * added. attrs == 0 writes invalid descriptors. */
void mmu_map(struct mmu_tables *t, u64 va, u64 pa, u64 size, unsigned level, u64 attrs);
/* The descriptor for va at `level`, creating the tables above it. */
u64 *mmu_pte(struct mmu_tables *t, u64 va, unsigned level);
/* A descriptor pointing at a next-level table. */
static inline u64 mmu_table_desc(const void *table) { return (u64)table | PTE_TABLE | PTE_VALID; }
/* The table a table descriptor points at. */
static inline u64 *mmu_desc_table(u64 desc) { return (u64 *)(desc & PTE_OA_MASK); }
/* A zeroed, granule-aligned table from the pool (size bytes, power of 2). */
void *mmu_alloc(u64 size);
/* Releases every table (the pool starts again from its beginning). */
void mmu_pool_reset(void);

/* ---- registers ------------------------------------------------------------ */
/* TCR_EL2 (non-VHE) / TCR_EL1 (TTBR0 only, TTBR1 walks disabled) / VTCR_EL2
 * for the tables: inner-shareable write-back walks, 40-bit output. */
u64 mmu_tcr_el2(const struct mmu_tables *t);
u64 mmu_tcr_el1(const struct mmu_tables *t);
u64 mmu_vtcr(const struct mmu_tables *t);

/* MAIR, TCR, TTBR0, TLBI of the regime, then SCTLR.{M,C,I} on. */
void mmu_enable_el2(const struct mmu_tables *t);
void mmu_enable_el1(const struct mmu_tables *t, u64 asid);
/* SCTLR.{M,C,I} off. */
void mmu_disable_el2(void);
void mmu_disable_el1(void);
/* SCTLR_EL1.{M,C,I} off after cleaning to the PoC by VA only the stack
 * around SP this code keeps using (in the same asm block as the SCTLR
 * write, so no store dirties it in between): what a guest that cleaned by
 * set/way before turning its caches off does. */
void mmu_disable_el1_keeping_stack(void);
/* DC CISW over every set and way of every data or unified level up to the
 * Level of Coherence CLIDR_EL1 reports (the Arm ARM's "clean the whole
 * cache" loop, D7.4.8), then DSB SY. Set/way operations reach only the
 * caches CLIDR_EL1 describes, never a system cache. */
void dcache_cisw_all(void);
/* VTCR_EL2, VTTBR_EL2 (with the VMID), TLBI VMALLS12E1, HCR_EL2.VM = 1. */
void stage2_enable(const struct mmu_tables *t, u64 vmid);
void stage2_disable(void);

/* ---- simulator identification -------------------------------------------- */
/* Nonzero on hvsim (MIDR_EL1 implementer 0x00, part 0x048). For checks of
 * behaviour the architecture permits but does not require (stale TLB
 * entries), which hvsim guarantees: run them silently, with check_quiet(),
 * so that the transcript stays the same as QEMU's. EL1 or higher. */
int on_hvsim(void);

#endif
