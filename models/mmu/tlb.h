// The architectural TLBs and walk caches of one core: L1 instruction TLB, L1
// data TLB, unified L2 TLB, and the stage-1 and stage-2 walk caches of
// intermediate table entries (Arm ARM D8.10 "Translation Lookaside Buffers",
// D8.11 "TLB maintenance requirements and the TLB maintenance instructions",
// C5.5 "A64 System instructions for TLB maintenance").
//
// This is not a speed device: an entry stays usable until a TLBI that covers
// it removes it or it is evicted, exactly as the architecture allows, so that
// software that forgets a TLBI keeps using the stale translation here as it
// would on hardware. Nothing is flushed on register writes: the tags (regime,
// VMID, ASID, stage) keep contexts apart. See models/mmu/tlb.md.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "walker.h"

namespace hvsim::mmu {

enum class Replacement : uint8_t { Lru, Random };

// One set-associative structure. entries/ways sets (a power of two);
// ways == 0 or ways == entries is fully associative; entries == 0 leaves the
// structure out (every lookup misses, fills are dropped).
struct TlbGeometry {
    unsigned entries = 0;
    unsigned ways = 0;
    unsigned hit_latency = 0;  // cycles added by every lookup of the structure
    Replacement replacement = Replacement::Lru;
};

// Defaults after the Cortex-A53 (hvsim's timing model): 10-entry fully
// associative micro TLBs, a 512-entry 4-way main TLB, a 64-entry 4-way walk
// cache and a 64-entry 4-way IPA cache.
struct TlbConfig {
    TlbGeometry l1i{10, 10, 0}, l1d{10, 10, 0}, l2{512, 4, 2};
    TlbGeometry s1_walk_cache{64, 4, 1}, s2_walk_cache{64, 4, 1};
    // true: EL1&0 entries under stage 2 hold the combined VA->PA result.
    // false: per stage, a stage-1 VA->IPA entry (L1 and L2) and a stage-2-only
    // IPA->PA entry (L2 only), combined at lookup.
    bool combined = true;
};

// The translation context of an access: what the entries are tagged with.
// make_tlb_context() derives it from the registers as walk() does.
struct TlbContext {
    Regime regime = Regime::EL10;
    uint16_t asid = 0;  // EL1&0 and EL2&0 only: the ASID selected by TCR.A1 (8 or 16 bits per TCR.AS)
    uint16_t vmid = 0;  // EL1&0 only: VTTBR_EL2.VMID (8 bits); 0 when EL2 is not enabled
    bool s1 = true;     // stage 1 enabled (SCTLR_ELx.M, and not HCR_EL2.DC or TGE for EL1&0)
    bool s2 = false;    // stage 2 enabled (EL1&0 with HCR_EL2.VM or DC)
};

// The context of `regs` with walk()'s rules: hcr and vttbr are 0 when EL2 is
// not enabled (see TranslationRegs).
TlbContext make_tlb_context(const TranslationRegs& regs);

// Every ARMv8.0 AArch64 TLBI operation. The inner-shareable forms do the same
// on every core: the platform calls invalidate() on each.
#define HVSIM_TLBI_OPS(X) \
    X(VMALLE1) X(VAE1) X(ASIDE1) X(VAAE1) X(VALE1) X(VAALE1) X(IPAS2E1) X(IPAS2LE1) X(VMALLS12E1) X(ALLE1) \
    X(ALLE2) X(VAE2) X(VALE2) X(ALLE3) X(VAE3) X(VALE3)

enum class TlbiOp : uint8_t {
#define X(name) name,
    HVSIM_TLBI_OPS(X)
#undef X
    Count
};
constexpr unsigned kNumTlbiOps = static_cast<unsigned>(TlbiOp::Count);
const char* tlbi_name(TlbiOp op);

// What a TLBI depends on besides its operand.
struct TlbiContext {
    uint16_t vmid = 0;         // VTTBR_EL2.VMID (ignored when EL2 is not enabled)
    bool el2_enabled = false;  // EL2 implemented and enabled in the current Security state
    bool e2h = false, tge = false;  // HCR_EL2.E2H, TGE: {1,1} sends the EL1 operations to EL2&0
};

// The operand of a TLBI as invalidate() reads it, for the `tlbi` trace:
// "regime=EL1&0 va=0x... asid=1 vmid=2 last-level" (va: VA[55:12] from
// Xt[43:0], sign-extended from bit 55; ipa: IPA[47:12] from Xt[35:0]; asid
// from Xt[63:48]; vmid: VTTBR_EL2.VMID for the EL1&0 operations with EL2
// enabled; "all-vmids", "all-asids" where the operation names no tag).
std::string tlbi_operand(TlbiOp op, uint64_t xt, const TlbiContext& tc);

struct TlbStructStats {
    uint64_t hits = 0, misses = 0, fills = 0, evictions = 0;
    uint64_t invalidated = 0;  // entries removed by TLBI and invalidate_all
};

struct TlbStats {
    TlbStructStats l1i, l1d, l2, s1_walk, s2_walk;
    std::array<uint64_t, kNumTlbiOps> tlbi{};          // operations executed
    std::array<uint64_t, kNumTlbiOps> tlbi_removed{};  // entries they removed, all structures
    uint64_t invalidate_all = 0;
};

namespace detail {

// A set-associative array of TLB entries (internal to TlbModel).
class TlbArray {
public:
    struct Slot {
        uint64_t addr = 0;  // input address (VA or IPA) aligned to the entry size
        uint64_t key = 0;   // kValid | size | kind | stage flags | regime | VMID | ASID
        uint64_t key_mask = ~0ull;  // the key bits a lookup compares (no ASID for global entries)
        uint64_t stamp = 0;     // LRU
        uint64_t serial = 0;    // unique per fill, 0 when invalid: names one occupancy of the slot
    };
    void configure(const TlbGeometry& g, uint64_t seed);
    // Entry index for (addr, key without size and valid bits), or -1.
    int find(uint64_t addr, uint64_t key);
    // Inserts; an entry with the same tag is replaced in place. Returns the slot.
    unsigned insert(uint64_t addr, uint64_t key, bool global, const Translation& t, TlbStructStats& st);
    template <typename Pred>
    unsigned remove_if(Pred pred);
    // remove_if() for a predicate that can only hold for entries whose
    // input address agrees with `addr` on bits [55:size] (TLBI by address):
    // only the set that each size present maps `addr` to is searched.
    template <typename Pred>
    unsigned remove_if_at(uint64_t addr, Pred pred);
    const Slot& slot(unsigned i) const { return slots_[i]; }
    Slot* slot_ptr(unsigned i) { return &slots_[i]; }  // stable: the slots are allocated once
    // The replacement update of a lookup that hits `e`, one of this array's slots.
    void touch(Slot& e) { e.stamp = ++clock_; }
    const Translation& data(unsigned i) const { return data_[i]; }
    const TlbGeometry& geometry() const { return geo_; }
    bool present() const { return geo_.entries != 0; }

private:
    void drop(unsigned i);
    TlbGeometry geo_;
    unsigned sets_ = 0, ways_ = 0;
    std::vector<Slot> slots_;
    std::vector<Translation> data_;
    uint64_t sizes_present_ = 0;            // bit n: some valid entry of 2^n bytes
    std::array<uint32_t, 64> size_count_{};
    uint64_t clock_ = 0, rng_ = 0;
    uint64_t serials_ = 0;
};

// A set-associative walk cache of table (and leaf) descriptors.
class WalkArray {
public:
    struct Slot {
        uint64_t ctx = 0;   // the walker's context (TTBR/VTTBR value)
        uint64_t addr = 0;  // input address aligned to the span of the level
        uint64_t tag = 0;   // kValid | level | span | regime | VMID | ASID
        uint64_t desc = 0;
        uint64_t stamp = 0;
    };
    void configure(const TlbGeometry& g, uint64_t seed);
    bool lookup(uint64_t ctx, uint64_t addr, uint64_t tag, uint64_t& desc, TlbStructStats& st);
    void fill(uint64_t ctx, uint64_t addr, uint64_t tag, uint64_t desc, TlbStructStats& st);
    template <typename Pred>
    unsigned remove_if(Pred pred);
    const TlbGeometry& geometry() const { return geo_; }

private:
    unsigned set_of(uint64_t ctx, uint64_t addr, uint64_t tag) const;
    TlbGeometry geo_;
    unsigned sets_ = 0, ways_ = 0;
    std::vector<Slot> slots_;
    uint64_t clock_ = 0, rng_ = 0;
};

}  // namespace detail

class TlbModel {
public:
    explicit TlbModel(const TlbConfig& cfg, uint64_t seed = 1);
    TlbModel(const TlbModel&) = delete;
    TlbModel& operator=(const TlbModel&) = delete;

    // Looks `va` up for an access in context `ctx`: L1I (fetch) or L1D, then
    // L2. Returns the translation or nullptr on a miss; adds the hit latency of
    // every level looked up to `latency`; `hit_level` is 1 (L1), 2 (L2) or 0
    // (miss). An L2 hit refills the L1. `va` is compared on all 64 bits: the
    // caller passes it as it passes it to walk() (top-byte tag removed).
    // The pointer stays valid until the next call on the model.
    const Translation* lookup(const TlbContext& ctx, uint64_t va, bool fetch, unsigned& latency, int& hit_level);

    // Records a walk result in L1I (fetch) or L1D and in L2. Same-tag entries
    // are replaced; otherwise the replacement policy picks a victim.
    void fill(const TlbContext& ctx, const Translation& t, bool fetch);

    // The walk cache for walks in context `ctx` (the walker's WalkCache):
    // entries are tagged with the context's regime, VMID and ASID as well as
    // the walker's ctx (make_walk_ctx(), whose granule gives the span of an
    // entry), level and address. Every lookup adds the structure's hit
    // latency to *latency when given. Valid until the next call.
    WalkCache& walk_cache(const TlbContext& ctx, unsigned* latency = nullptr);

    // Entries removed by one TLBI, per structure (for the trace).
    struct InvalidateResult {
        unsigned l1i = 0, l1d = 0, l2 = 0, s1_walk = 0, s2_walk = 0;
        unsigned total() const { return l1i + l1d + l2 + s1_walk + s2_walk; }
    };
    // Executes TLBI `op` with operand `xt` on this core's structures, with the
    // scope the Arm ARM gives it (see tlb.md).
    InvalidateResult invalidate(TlbiOp op, uint64_t xt, const TlbiContext& tc);
    // Empties every structure (reset).
    InvalidateResult invalidate_all();

    // One fill of an L1 TLB entry: a cache of translations kept outside the
    // model (the core's speed cache) names the entry it was derived from, is
    // valid only while the entry is (l1_holds), and counts its uses as hits
    // of that entry (l1_hit), so that the model sees the same hits,
    // replacement order and latency as if every access looked it up.
    struct L1Ref {
        detail::TlbArray::Slot* slot = nullptr;
        uint64_t serial = 0;  // 0: no entry
    };
    // The L1 entry (of the structure the access used) that the last lookup()
    // hit or refilled from L2, or that the last fill() wrote; serial 0 when
    // there is none (a miss, per-stage entries, no L1).
    L1Ref last_l1() const { return last_l1_; }
    static bool l1_holds(L1Ref r) { return r.slot->serial == r.serial; }
    // What lookup() does on an L1 hit of the entry: counts the hit, updates
    // the replacement state and returns the structure's hit latency. Only
    // for an entry l1_holds().
    [[gnu::always_inline]] unsigned l1_hit(bool fetch, L1Ref r) {
        detail::TlbArray& a = fetch ? l1i_ : l1d_;
        a.touch(*r.slot);
        ++(fetch ? stats_.l1i : stats_.l1d).hits;
        return a.geometry().hit_latency;
    }

    const TlbStats& stats() const { return stats_; }
    void reset_stats() { stats_ = TlbStats{}; }
    const TlbConfig& config() const { return cfg_; }

private:
    class Adapter : public WalkCache {
    public:
        bool lookup(bool stage2, uint64_t ctx, uint64_t addr, int level, uint64_t& desc) override;
        void fill(bool stage2, uint64_t ctx, uint64_t addr, int level, uint64_t desc) override;
        TlbModel* model = nullptr;
        TlbContext tc;
        unsigned* latency = nullptr;
    };
    friend class Adapter;

    template <typename Pred>
    InvalidateResult remove_tlb(Pred pred);
    template <typename Pred>
    InvalidateResult remove_tlb_at(uint64_t addr, Pred pred);
    template <typename Pred>
    unsigned remove_walk(bool stage2, Pred pred);

    TlbConfig cfg_;
    detail::TlbArray l1i_, l1d_, l2_;
    detail::WalkArray s1w_, s2w_;
    Adapter adapter_;
    Translation scratch_;  // per-stage mode: the combined result of a lookup
    L1Ref last_l1_;
    TlbStats stats_;
};

}  // namespace hvsim::mmu
