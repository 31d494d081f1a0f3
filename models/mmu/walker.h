// The VMSAv8-64 translation table walker: a pure function of the
// translation registers and the descriptors in memory (Arm ARM D8,
// "The AArch64 Virtual Memory System Architecture").
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
    // and EL20 only), MAIR_ELx.
    uint64_t sctlr = 0, tcr = 0, ttbr0 = 0, ttbr1 = 0, mair = 0;
    // Stage 2 (EL10 only): HCR_EL2 (VM, DC, PTW, CD, ID, FWB-less ARMv8.0),
    // VTCR_EL2, VTTBR_EL2. hcr is 0 when EL2 is not enabled.
    uint64_t hcr = 0, vtcr = 0, vttbr = 0;
    unsigned pa_bits = 48;  // ID_AA64MMFR0_EL1.PARange as bits
};

// Reads one 64-bit descriptor at a physical address. false = external abort
// on the walk (reported as a synchronous external abort on a table walk,
// DFSC/IFSC 0b0101LL, with the level).
class DescriptorReader {
public:
    virtual ~DescriptorReader() = default;
    virtual bool read_descriptor(uint64_t pa, uint64_t& desc) = 0;
};

// Permissions granted by a final translation, per stage (Arm ARM D8.4).
struct Permissions {
    // Stage 1 (after AP, UXN/PXN, WXN and hierarchical APTable/XNTable).
    bool el0_r = true, el0_w = true, el0_x = true;
    bool el1_r = true, el1_w = true, el1_x = true;  // "privileged" of the regime
    // Stage 2 (S2AP, XN); all true without stage 2.
    bool s2_r = true, s2_w = true, s2_x = true;
};

// The result of a successful walk: what a TLB entry holds.
struct Translation {
    uint64_t va = 0;        // input address (VA), aligned to the block
    uint64_t ipa = 0;       // stage-1 output (= IPA), aligned to the stage-1 block
    uint64_t pa = 0;        // final output address, aligned to the block
    uint8_t size_log2 = 12; // block/page size of the combined entry
    uint8_t s1_size_log2 = 12, s2_size_log2 = 12;
    int8_t level = 3;       // level of the stage-1 leaf (stage 2's for stage-2-only)
    bool s1_enabled = false, s2_enabled = false;
    bool global = true;     // !nG
    uint16_t asid = 0;      // from the TTBR used, when !global
    uint16_t vmid = 0;      // VTTBR_EL2.VMID, when stage 2 applies
    MemAttrs attrs;         // combined stage-1/stage-2 attributes
    uint8_t mair_attr = 0;  // the stage-1 MAIR attribute byte (0x00 Device-nGnRnE with stage 1 off)
    Permissions perms;
};

// Where a walk went (statistics, traces, staleness checking).
struct WalkRecord {
    uint8_t accesses = 0;          // descriptor reads made
    uint8_t walk_cache_hits = 0;   // intermediate entries taken from the walk cache
    uint8_t s1_levels = 0, s2_levels = 0;
    // Physical addresses of the descriptors read, in order (stage-2 walks of
    // stage-1 table addresses included); kMaxReads at most.
    static constexpr unsigned kMaxReads = 24;
    uint64_t read_pa[kMaxReads] = {};
    uint8_t nreads = 0;
};

// Intermediate table entries reused across walks (the architectural walk
// cache lives in tlb.h and implements this).
class WalkCache {
public:
    virtual ~WalkCache() = default;
    // A stage-1 table descriptor for `va` at `level` under `ttbr` context; or
    // a stage-2 one for `ipa`. Return true and the descriptor on a hit.
    virtual bool lookup(bool stage2, uint64_t ctx, uint64_t addr, int level, uint64_t& desc) = 0;
    virtual void fill(bool stage2, uint64_t ctx, uint64_t addr, int level, uint64_t desc) = 0;
};

struct WalkResult {
    Translation t;
    Fault fault;  // type None on success
    WalkRecord record;
};

// Translates `va` for an access of `type` in the regime of `regs`, doing
// stage 1 then stage 2 (and stage 2 of every stage-1 table address), but no
// permission check: the caller applies check_permissions() to the cached or
// fresh Translation. Address size, translation and access flag faults are
// reported here, with their level and stage (S1PTW when a stage-2 fault hit
// a stage-1 table walk).
WalkResult walk(const TranslationRegs& regs, uint64_t va, AccessType type, DescriptorReader& mem,
                WalkCache* cache);

// Permission fault (with level and stage) for an access of `type` at
// privilege `el0` (an EL0 or unprivileged access) under `t`, or none.
// Covers stage 1 AP/UXN/PXN/WXN and stage 2 S2AP/XN (Arm ARM D8.4.3,
// D8.4.4); HCR_EL2.PTW Device-for-walk faults are reported by walk().
Fault check_permissions(const TranslationRegs& regs, const Translation& t, AccessType type, bool el0);

}  // namespace hvsim::mmu
