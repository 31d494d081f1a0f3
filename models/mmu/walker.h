// The VMSAv8-64 translation table walker: a pure function of the
// translation registers and the descriptors in memory (Arm ARM D8,
// "The AArch64 Virtual Memory System Architecture"). See walker.md for what
// is covered and the CONSTRAINED UNPREDICTABLE choices.
//
// The walker never caches anything itself. Callers pass a WalkCache to
// reuse intermediate table entries (the architectural walk caches of
// tlb.h), or nullptr for a debug walk that fills nothing (gdb stub,
// checkers, AT in debug mode).
#pragma once

#include <cstdint>

#include "translate.h"

namespace hvsim::mmu {

// Stage-1 translation regimes (Arm ARM D8.1.2). EL20 is VHE's EL2&0.
enum class Regime : uint8_t { EL10, EL20, EL2, EL3 };

// The registers a walk depends on, as raw values.
struct TranslationRegs {
    Regime regime = Regime::EL10;
    // Stage 1 of the regime: SCTLR_ELx, TCR_ELx, TTBR0_ELx, TTBR1_ELx (EL10
    // and EL20 only), MAIR_ELx. For EL20 these are the EL2 registers, and
    // TCR_EL2 has the TCR_EL1 layout (HCR_EL2.E2H = 1).
    uint64_t sctlr = 0, tcr = 0, ttbr0 = 0, ttbr1 = 0, mair = 0;
    // Stage 2 (EL10 only): HCR_EL2 (VM, DC, PTW, CD, ID, TGE; FWB-less ARMv8.0),
    // VTCR_EL2, VTTBR_EL2. hcr is 0 when EL2 is not enabled; vttbr then
    // gives VMID 0.
    uint64_t hcr = 0, vtcr = 0, vttbr = 0;
    unsigned pa_bits = 48;  // ID_AA64MMFR0_EL1.PARange as bits (32..48)
};

// Reads one 64-bit descriptor at a physical address. false = external abort
// on the walk (reported as a synchronous external abort on a table walk,
// DFSC/IFSC 0b0101LL, with the level: Fault::on_table_walk).
class DescriptorReader {
public:
    virtual ~DescriptorReader() = default;
    // `cacheable`: the walk's memory type is Inner cacheable (TCR_ELx.IRGNn,
    // SCTLR_ELx.C, HCR_EL2.CD), so it is coherent with the data caches.
    virtual bool read_descriptor(uint64_t pa, uint64_t& desc, bool cacheable) = 0;
};

// Permissions granted by a final translation, per stage (Arm ARM D8.4).
struct Permissions {
    // Stage 1 (after AP, UXN/PXN, WXN and hierarchical APTable/XNTable).
    // With stage 1 enabled, regimes with one privilege level (EL2, EL3) leave
    // the el0_* fields false.
    bool el0_r = true, el0_w = true, el0_x = true;
    bool el1_r = true, el1_w = true, el1_x = true;  // "privileged" of the regime
    // Stage 2 (S2AP, XN); all true without stage 2.
    bool s2_r = true, s2_w = true, s2_x = true;
};

// The result of a successful walk: what a TLB entry holds. The entry maps
// [va, va + 2^size_log2) to [pa, pa + 2^size_log2). It does not depend on the
// access type of the walk (which only decides TBI and the fault checks).
struct Translation {
    uint64_t va = 0;        // input address (VA), aligned to the block; any TBI tag
                            // removed (bits above the range all 0s, or all 1s for TTBR1)
    uint64_t ipa = 0;       // stage-1 output (= IPA), aligned to the stage-1 block
    uint64_t pa = 0;        // final output address, aligned to the block
    uint8_t size_log2 = 12; // block/page size of the combined entry (min of the stages)
    // Stage-1 and stage-2 block sizes. With stage 1 disabled s1_size_log2 is the
    // stage-2 size (or 12 without stage 2); without stage 2 s2_size_log2 is 12.
    uint8_t s1_size_log2 = 12, s2_size_log2 = 12;
    int8_t level = 3;       // level of the stage-1 leaf (stage 2's for stage-2-only)
    int8_t s2_level = 3;    // level of the stage-2 leaf (stage-2 permission faults)
    bool s1_enabled = false, s2_enabled = false;
    bool global = true;     // !nG (always true for EL2, EL3 and stage 1 disabled)
    uint16_t asid = 0;      // from the TTBR selected by TCR.A1 (8 or 16 bits per TCR.AS);
                            // EL10 and EL20 only, meaningful when !global
    uint16_t vmid = 0;      // VTTBR_EL2.VMID (8 bits) for the EL10 regime
    MemAttrs attrs;         // combined stage-1/stage-2 attributes of data accesses
    MemAttrs fetch_attrs;   // ... of instruction fetches (SCTLR.I, HCR_EL2.ID; never Device)
    uint8_t mair_attr = 0;  // the stage-1 MAIR attribute byte (0x00 Device-nGnRnE with stage 1 off,
                            // 0xFF with HCR_EL2.DC)
    Permissions perms;

    const MemAttrs& attrs_for(AccessType type) const { return type == AccessType::Fetch ? fetch_attrs : attrs; }
};

// The IPA and PA of an input address `va` inside the entry `t`.
inline uint64_t ipa_of(const Translation& t, uint64_t va) {
    return t.ipa + (va & ((uint64_t(1) << t.s1_size_log2) - 1));
}
inline uint64_t pa_of(const Translation& t, uint64_t va) {
    return t.pa + (va & ((uint64_t(1) << t.size_log2) - 1));
}

// Where a walk went (statistics, traces, staleness checking).
struct WalkRecord {
    uint8_t accesses = 0;          // descriptor reads made
    uint8_t walk_cache_hits = 0;   // intermediate entries taken from the walk cache
    // Lookup levels done, from memory or the walk cache: stage 1; stage 2
    // summed over every stage-2 walk (stage-1 table addresses and the output).
    uint8_t s1_levels = 0, s2_levels = 0;
    // Physical addresses of the descriptors read, in order (stage-2 walks of
    // stage-1 table addresses included); kMaxReads at most.
    static constexpr unsigned kMaxReads = 24;
    uint64_t read_pa[kMaxReads];  // only the first nreads are set
    uint8_t nreads = 0;
};

// Intermediate table entries reused across walks (the architectural walk
// cache lives in tlb.h and implements this).
class WalkCache {
public:
    virtual ~WalkCache() = default;
    // A stage-1 table descriptor for `va` at `level` under `ttbr` context; or
    // a stage-2 one for `ipa`. Return true and the descriptor on a hit.
    // The walker passes `addr` aligned down to the span of one descriptor at
    // `level` (level_shift()), tag removed, and `ctx` as make_walk_ctx() packs
    // it. Only table descriptors are filled (never a block, page or fault).
    virtual bool lookup(bool stage2, uint64_t ctx, uint64_t addr, int level, uint64_t& desc) = 0;
    virtual void fill(bool stage2, uint64_t ctx, uint64_t addr, int level, uint64_t desc) = 0;
};

// log2 of the input-address span of one descriptor at `level` for a granule
// of 2^granule_log2 bytes (12, 14, 16): 4KB granule, level 1 -> 30.
constexpr unsigned level_shift(unsigned granule_log2, int level) {
    return granule_log2 + unsigned(3 - level) * (granule_log2 - 3);
}

// The walk-cache context `ctx`, 64 bits:
//   [47:0]  base address of the start table as the walk uses it (TTBRn_ELx or
//           VTTBR_EL2 BADDR, bits below the table alignment cleared)
//   [55:48] VMID (stage 1 of EL10 and stage 2; 0 otherwise)
//   [57:56] Regime (stage 1; 0 for stage 2)
//   [59:58] granule: 0 = 4KB, 1 = 16KB, 2 = 64KB
//   [60]    TTBR1 (upper VA range) was used
constexpr uint64_t make_walk_ctx(uint64_t base, uint16_t vmid, Regime regime, unsigned granule_log2, bool ttbr1) {
    return (base & 0x0000FFFFFFFFFFFFull) | (uint64_t(vmid & 0xFF) << 48) | (uint64_t(regime) << 56) |
           (uint64_t((granule_log2 - 12) / 2) << 58) | (uint64_t(ttbr1) << 60);
}
constexpr uint64_t walk_ctx_base(uint64_t ctx) { return ctx & 0x0000FFFFFFFFFFFFull; }
constexpr uint16_t walk_ctx_vmid(uint64_t ctx) { return uint16_t((ctx >> 48) & 0xFF); }
constexpr Regime walk_ctx_regime(uint64_t ctx) { return Regime((ctx >> 56) & 3); }
constexpr unsigned walk_ctx_granule_log2(uint64_t ctx) { return 12 + 2 * unsigned((ctx >> 58) & 3); }
constexpr bool walk_ctx_ttbr1(uint64_t ctx) { return (ctx >> 60) & 1; }

struct WalkResult {
    Translation t;
    Fault fault;  // type None on success
    WalkRecord record;
    // Stage 1 finished without a fault (t holds the stage-1 part; when a
    // stage-2 fault on the output IPA follows, t.s2_enabled stays false so
    // that check_permissions() checks stage 1 only: a stage-1 Permission
    // fault has priority over it, see walk_and_check()).
    bool s1_complete = false;
    // Both stages finished without a fault: t is a whole translation, which
    // the TLBs may hold even when the access itself lacks permission.
    bool complete = false;
};

// Translates `va` for an access of `type` in the regime of `regs`, doing
// stage 1 then stage 2 (and stage 2 of every stage-1 table address), but no
// permission check: the caller applies check_permissions() to the cached or
// fresh Translation. Address size, translation and access flag faults are
// reported here, with their level and stage (S1PTW when a stage-2 fault hit
// a stage-1 table walk), and the stage-2 Permission faults of stage-1 table
// walks (S2AP without read, HCR_EL2.PTW with Device).
WalkResult walk(const TranslationRegs& regs, uint64_t va, AccessType type, DescriptorReader& mem,
                WalkCache* cache);

// Permission fault (with level and stage) for an access of `type` at
// privilege `el0` (an EL0 or unprivileged access) under `t`, or none.
// Covers stage 1 AP/UXN/PXN/WXN and stage 2 S2AP/XN (Arm ARM D8.4.3,
// D8.4.4); HCR_EL2.PTW Device-for-walk faults are reported by walk().
// `el0` is ignored in the EL2 and EL3 regimes (one privilege level). A
// stage-2 fault's ipa is that of t.va; use ipa_of(t, va) for the access's.
Fault check_permissions(const TranslationRegs& regs, const Translation& t, AccessType type, bool el0);

// walk() then check_permissions() in the architecture's fault priority
// (AArch64.FullTranslate: stage-1 faults, including Permission, before any
// stage-2 fault on the output), with the exact IPA in stage-2 faults.
WalkResult walk_and_check(const TranslationRegs& regs, uint64_t va, AccessType type, bool el0,
                          DescriptorReader& mem, WalkCache* cache);

// The MAIR_ELx / PAR_EL1.ATTR encoding of `a` (Arm ARM D17.2.97), and the
// PAR_EL1.SH / descriptor SH encoding of its shareability.
uint8_t mair_encoding(const MemAttrs& a);
uint8_t sh_encoding(Shareability sh);

}  // namespace hvsim::mmu
