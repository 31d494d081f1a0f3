// The architectural TLBs and walk caches (see tlb.h and tlb.md).
#include "tlb.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace hvsim::mmu {

namespace {

// --- tags ---------------------------------------------------------------------
// A TLB key: ASID [15:0], VMID [31:16], regime [33:32], kind [35:34], stage-1
// enabled [36], stage-2 enabled [37], size log2 [45:40], valid [63].
// A walk-cache tag: ASID, VMID, regime as above, span log2 [45:40],
// level + 1 [51:48], valid [63].
constexpr uint64_t kValid = 1ull << 63;
constexpr unsigned kVmidShift = 16, kRegimeShift = 32, kKindShift = 34, kSizeShift = 40, kLevelShift = 48;
constexpr uint64_t kS1 = 1ull << 36, kS2 = 1ull << 37;
constexpr uint64_t kAsidBits = 0xFFFF;
constexpr uint64_t kVa56 = (1ull << 56) - 1;  // TLBI by VA compares VA[55:12]

enum Kind : uint64_t {
    kCombined = 0,  // VA->PA (every enabled stage); stage-1-only when stage 2 is off
    kStage1 = 1,    // per-stage mode: VA->IPA
    kStage2 = 2,    // per-stage mode: IPA->PA, stage 2 only
};

uint64_t low_mask(unsigned log2) { return log2 >= 64 ? ~0ull : (1ull << log2) - 1; }

bool has_asid(Regime r) { return r == Regime::EL10 || r == Regime::EL20; }

uint64_t pack(Regime r, uint16_t vmid, uint16_t asid) {
    return uint64_t(asid) | (uint64_t(vmid) << kVmidShift) | (uint64_t(r) << kRegimeShift);
}
uint16_t key_asid(uint64_t k) { return uint16_t(k & kAsidBits); }
uint16_t key_vmid(uint64_t k) { return uint16_t(k >> kVmidShift); }
Regime key_regime(uint64_t k) { return Regime((k >> kRegimeShift) & 3); }
uint64_t key_kind(uint64_t k) { return (k >> kKindShift) & 3; }
unsigned key_size(uint64_t k) { return unsigned(k >> kSizeShift) & 63; }
int tag_level(uint64_t t) { return int((t >> kLevelShift) & 0xF) - 1; }

// The TLB key of an access in `c` (without size and valid bits). VMIDs tag
// EL1&0 only, ASIDs EL1&0 and EL2&0 only.
uint64_t context_key(const TlbContext& c, uint64_t kind) {
    uint16_t vmid = c.regime == Regime::EL10 ? c.vmid : 0;
    uint16_t asid = has_asid(c.regime) ? c.asid : 0;
    return pack(c.regime, vmid, asid) | (kind << kKindShift) | (c.s1 ? kS1 : 0) | (c.s2 ? kS2 : 0);
}
// Stage-2-only entries: EL1&0, VMID, no ASID, shared by stage-1 on and off.
uint64_t stage2_key(const TlbContext& c) { return pack(Regime::EL10, c.vmid, 0) | (kStage2 << kKindShift) | kS2; }

// A leaf (page or block) rather than a table descriptor (Arm ARM D8.3).
bool is_leaf(uint64_t desc, int level) { return level >= 3 || (desc & 3) != 3; }

uint64_t splitmix64(uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}
uint64_t next_random(uint64_t& s) {  // xorshift64*
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 0x2545F4914F6CDD1Dull;
}

void validate(const char* name, const TlbGeometry& g) {
    if (g.entries == 0) return;
    unsigned ways = g.ways == 0 ? g.entries : g.ways;
    unsigned sets = ways ? g.entries / ways : 0;
    if (ways > g.entries || g.entries % ways != 0 || sets == 0 || (sets & (sets - 1)) != 0)
        throw std::invalid_argument(std::string("TLB geometry ") + name + ": entries (" + std::to_string(g.entries) +
                                    ") / ways (" + std::to_string(g.ways) + ") must be a power of two");
}

}  // namespace

const char* tlbi_name(TlbiOp op) {
    static const char* const names[] = {
#define X(name) #name,
        HVSIM_TLBI_OPS(X)
#undef X
    };
    unsigned i = static_cast<unsigned>(op);
    return i < kNumTlbiOps ? names[i] : "?";
}

std::string tlbi_operand(TlbiOp op, uint64_t xt, const TlbiContext& tc) {
    uint64_t va = (xt & ((1ull << 44) - 1)) << 12;
    if ((va >> 55) & 1) va |= 0xFF00000000000000ull;
    const uint64_t ipa = (xt & ((1ull << 36) - 1)) << 12;
    const unsigned asid = unsigned(xt >> 48);
    const bool to_el20 = tc.el2_enabled && tc.e2h && tc.tge;
    const std::string el1 = to_el20 ? "regime=EL2&0" : tc.el2_enabled ? fmt::format("regime=EL1&0 vmid={}", tc.vmid)
                                                                        : std::string("regime=EL1&0");
    const char* last = " last-level";
    switch (op) {
    case TlbiOp::VMALLE1: return el1 + " all-asids";
    case TlbiOp::VAE1: return fmt::format("{} va={:#x} asid={}", el1, va, asid);
    case TlbiOp::VALE1: return fmt::format("{} va={:#x} asid={}{}", el1, va, asid, last);
    case TlbiOp::ASIDE1: return fmt::format("{} asid={}", el1, asid);
    case TlbiOp::VAAE1: return fmt::format("{} va={:#x} all-asids", el1, va);
    case TlbiOp::VAALE1: return fmt::format("{} va={:#x} all-asids{}", el1, va, last);
    case TlbiOp::IPAS2E1:
    case TlbiOp::IPAS2LE1:
        if (!tc.el2_enabled) return "regime=EL1&0 no-op (EL2 disabled)";
        return fmt::format("regime=EL1&0 stage=2 ipa={:#x} vmid={}{}", ipa, tc.vmid, op == TlbiOp::IPAS2LE1 ? last : "");
    case TlbiOp::VMALLS12E1:
        return tc.el2_enabled ? fmt::format("regime=EL1&0 stage=1+2 vmid={}", tc.vmid) : std::string("regime=EL1&0");
    case TlbiOp::ALLE1: return "regime=EL1&0 stage=1+2 all-vmids";
    case TlbiOp::ALLE2: return "regime=EL2,EL2&0";
    case TlbiOp::VAE2:
    case TlbiOp::VALE2:
        return fmt::format("regime=EL2,EL2&0 va={:#x}{}{}", va, tc.e2h ? fmt::format(" asid={}", asid) : "",
                           op == TlbiOp::VALE2 ? last : "");
    case TlbiOp::ALLE3: return "regime=EL3";
    case TlbiOp::VAE3:
    case TlbiOp::VALE3: return fmt::format("regime=EL3 va={:#x}{}", va, op == TlbiOp::VALE3 ? last : "");
    case TlbiOp::Count: break;
    }
    return "";
}

TlbContext make_tlb_context(const TranslationRegs& r) {
    TlbContext c;
    c.regime = r.regime;
    if (has_asid(r.regime)) {
        const uint64_t ttbr = (r.tcr >> 22) & 1 ? r.ttbr1 : r.ttbr0;  // TCR.A1
        c.asid = uint16_t(ttbr >> 48);
        if (!((r.tcr >> 36) & 1)) c.asid &= 0xFF;  // TCR.AS = 0: 8-bit ASIDs
    }
    c.s1 = r.sctlr & 1;
    if (r.regime == Regime::EL10) {
        // HCR_EL2.DC makes VM behave as 1; DC and TGE disable EL1&0 stage 1
        // (AArch64.FirstStageTranslate, AArch64.SecondStageTranslate).
        const bool vm = r.hcr & 1, dc = (r.hcr >> 12) & 1, tge = (r.hcr >> 27) & 1;
        if (dc || tge) c.s1 = false;
        c.s2 = vm || dc;
        c.vmid = uint16_t((r.vttbr >> 48) & 0xFF);
    }
    return c;
}

// --- TlbArray -------------------------------------------------------------------

namespace detail {

void TlbArray::configure(const TlbGeometry& g, uint64_t seed) {
    geo_ = g;
    ways_ = g.entries == 0 ? 0 : (g.ways == 0 ? g.entries : g.ways);
    sets_ = ways_ ? g.entries / ways_ : 0;
    slots_.assign(g.entries, Slot{});
    data_.assign(g.entries, Translation{});
    sizes_present_ = 0;
    size_count_.fill(0);
    clock_ = 0;
    rng_ = splitmix64(seed) | 1;
}

int TlbArray::find(uint64_t addr, uint64_t key) {
    // An entry of any page or block size may hold the address: probe the set
    // of each size present, smallest first.
    for (uint64_t sizes = sizes_present_; sizes; sizes &= sizes - 1) {
        const unsigned s = unsigned(__builtin_ctzll(sizes));
        const uint64_t k = key | kValid | (uint64_t(s) << kSizeShift);
        const uint64_t a = addr & ~low_mask(s);
        const unsigned base = unsigned((addr >> s) & (sets_ - 1)) * ways_;
        for (unsigned w = 0; w < ways_; ++w) {
            Slot& e = slots_[base + w];
            if (e.addr == a && ((e.key ^ k) & e.key_mask) == 0) {
                e.stamp = ++clock_;
                return int(base + w);
            }
        }
    }
    return -1;
}

// The way a fill takes in the set [base, base + ways), in one pass: the
// entry with the same tag (replaced in place), else the first free way, else
// the victim of the replacement policy, which counts as an eviction.
template <typename Slot, typename Valid, typename SameTag>
unsigned choose_way(const std::vector<Slot>& slots, unsigned base, unsigned ways, Replacement policy, uint64_t& rng,
                    TlbStructStats& st, Valid valid, SameTag same_tag) {
    unsigned free = ~0u, lru = base;
    uint64_t oldest = ~0ull;
    for (unsigned i = base; i < base + ways; ++i) {
        const Slot& e = slots[i];
        if (!valid(e)) {
            if (free == ~0u) free = i;
        } else if (same_tag(e)) {
            return i;
        } else if (e.stamp < oldest) {
            oldest = e.stamp;
            lru = i;
        }
    }
    if (free != ~0u) return free;
    ++st.evictions;
    return policy == Replacement::Random ? base + unsigned(next_random(rng) % ways) : lru;
}

unsigned TlbArray::insert(uint64_t addr, uint64_t key, bool global, const Translation& t, TlbStructStats& st) {
    if (!present()) return ~0u;
    const unsigned s = key_size(key);
    key |= kValid;
    const uint64_t mask = global ? ~kAsidBits : ~0ull;
    const unsigned base = unsigned((addr >> s) & (sets_ - 1)) * ways_;
    const unsigned victim = choose_way(slots_, base, ways_, geo_.replacement, rng_, st, [&](const Slot& e) {
        return (e.key & kValid) != 0;
    }, [&](const Slot& e) { return e.addr == addr && ((e.key ^ key) & e.key_mask & mask) == 0; });
    if (slots_[victim].key & kValid) drop(victim);
    Slot& e = slots_[victim];
    e.addr = addr;
    e.key = key;
    e.key_mask = mask;
    e.stamp = ++clock_;
    e.serial = ++serials_;
    data_[victim] = t;
    if (size_count_[s]++ == 0) sizes_present_ |= 1ull << s;
    ++st.fills;
    return victim;
}

void TlbArray::drop(unsigned i) {
    const unsigned s = key_size(slots_[i].key);
    if (--size_count_[s] == 0) sizes_present_ &= ~(1ull << s);
    slots_[i] = Slot{};
}

template <typename Pred>
unsigned TlbArray::remove_if(Pred pred) {
    unsigned n = 0;
    for (unsigned i = 0; i < slots_.size(); ++i) {
        if ((slots_[i].key & kValid) && pred(slots_[i], data_[i])) {
            drop(i);
            ++n;
        }
    }
    return n;
}

template <typename Pred>
unsigned TlbArray::remove_if_at(uint64_t addr, Pred pred) {
    const unsigned set_bits = unsigned(__builtin_ctz(sets_ ? sets_ : 1));
    unsigned n = 0;
    // A snapshot: drop() may clear the bit of a size while it is searched.
    for (uint64_t sizes = sizes_present_; sizes; sizes &= sizes - 1) {
        const unsigned s = unsigned(__builtin_ctzll(sizes));
        // The set index must come from the compared bits [55:s].
        if (s + set_bits > 56) return n + remove_if(pred);
        const unsigned base = unsigned((addr >> s) & (sets_ - 1)) * ways_;
        for (unsigned i = base; i < base + ways_; ++i) {
            if ((slots_[i].key & kValid) && pred(slots_[i], data_[i])) {
                drop(i);
                ++n;
            }
        }
    }
    return n;
}

// --- WalkArray ------------------------------------------------------------------

void WalkArray::configure(const TlbGeometry& g, uint64_t seed) {
    geo_ = g;
    ways_ = g.entries == 0 ? 0 : (g.ways == 0 ? g.entries : g.ways);
    sets_ = ways_ ? g.entries / ways_ : 0;
    slots_.assign(g.entries, Slot{});
    clock_ = 0;
    rng_ = splitmix64(seed) | 1;
}

unsigned WalkArray::set_of(uint64_t ctx, uint64_t addr, uint64_t tag) const {
    uint64_t x = (addr >> ((tag >> kSizeShift) & 63)) ^ (ctx * 0x9E3779B97F4A7C15ull) ^ (tag * 0xC2B2AE3D27D4EB4Full);
    x ^= x >> 31;
    x *= 0xD6E8FEB86659FD93ull;
    x ^= x >> 32;
    return unsigned(x & (sets_ - 1));
}

bool WalkArray::lookup(uint64_t ctx, uint64_t addr, uint64_t tag, uint64_t& desc, TlbStructStats& st) {
    if (!ways_) return false;
    const unsigned base = set_of(ctx, addr, tag) * ways_;
    for (unsigned w = 0; w < ways_; ++w) {
        Slot& e = slots_[base + w];
        if (e.tag == tag && e.addr == addr && e.ctx == ctx) {
            e.stamp = ++clock_;
            desc = e.desc;
            ++st.hits;
            return true;
        }
    }
    ++st.misses;
    return false;
}

void WalkArray::fill(uint64_t ctx, uint64_t addr, uint64_t tag, uint64_t desc, TlbStructStats& st) {
    if (!ways_) return;
    const unsigned base = set_of(ctx, addr, tag) * ways_;
    const unsigned victim = choose_way(slots_, base, ways_, geo_.replacement, rng_, st, [&](const Slot& e) {
        return (e.tag & kValid) != 0;
    }, [&](const Slot& e) { return e.tag == tag && e.addr == addr && e.ctx == ctx; });
    slots_[victim] = Slot{ctx, addr, tag, desc, ++clock_};
    ++st.fills;
}

template <typename Pred>
unsigned WalkArray::remove_if(Pred pred) {
    unsigned n = 0;
    for (Slot& e : slots_) {
        if ((e.tag & kValid) && pred(e)) {
            e = Slot{};
            ++n;
        }
    }
    return n;
}

}  // namespace detail

// --- TlbModel ---------------------------------------------------------------------

TlbModel::TlbModel(const TlbConfig& cfg, uint64_t seed) : cfg_(cfg) {
    validate("l1i", cfg.l1i);
    validate("l1d", cfg.l1d);
    validate("l2", cfg.l2);
    validate("s1_walk_cache", cfg.s1_walk_cache);
    validate("s2_walk_cache", cfg.s2_walk_cache);
    // One independent, reproducible random stream per structure.
    l1i_.configure(cfg.l1i, seed * 5 + 1);
    l1d_.configure(cfg.l1d, seed * 5 + 2);
    l2_.configure(cfg.l2, seed * 5 + 3);
    s1w_.configure(cfg.s1_walk_cache, seed * 5 + 4);
    s2w_.configure(cfg.s2_walk_cache, seed * 5 + 5);
    adapter_.model = this;
}

const Translation* TlbModel::lookup(const TlbContext& ctx, uint64_t va, bool fetch, unsigned& latency,
                                    int& hit_level) {
    detail::TlbArray& l1 = fetch ? l1i_ : l1d_;
    TlbStructStats& l1s = fetch ? stats_.l1i : stats_.l1d;
    hit_level = 0;
    last_l1_ = L1Ref{};
    const bool split = !cfg_.combined && ctx.regime == Regime::EL10 && ctx.s2;

    // The entry for `va` with `key`: L1, then L2 (refilling the L1).
    bool l2_visited = false;
    auto find = [&](uint64_t key) -> const Translation* {
        if (l1.present()) {
            latency += l1.geometry().hit_latency;
            int i = l1.find(va, key);
            if (i >= 0) {
                ++l1s.hits;
                hit_level = 1;
                last_l1_ = L1Ref{l1.slot_ptr(unsigned(i)), l1.slot(unsigned(i)).serial};
                return &l1.data(unsigned(i));
            }
            ++l1s.misses;
        }
        if (!l2_.present()) return nullptr;
        latency += l2_.geometry().hit_latency;
        l2_visited = true;
        int i = l2_.find(va, key);
        if (i < 0) {
            ++stats_.l2.misses;
            return nullptr;
        }
        ++stats_.l2.hits;
        hit_level = 2;
        const auto& s = l2_.slot(unsigned(i));
        const unsigned in_l1 = l1.insert(s.addr, s.key & ~kValid, s.key_mask != ~0ull, l2_.data(unsigned(i)), l1s);
        if (in_l1 != ~0u) last_l1_ = L1Ref{l1.slot_ptr(in_l1), l1.slot(in_l1).serial};
        return &l2_.data(unsigned(i));
    };

    if (!split) return find(context_key(ctx, kCombined));

    // Per stage: the stage-1 entry, then the stage-2-only entry (L2) for its IPA.
    const Translation* t1 = find(context_key(ctx, kStage1));
    last_l1_ = L1Ref{};  // a hit needs the L2 as well
    if (!t1) return nullptr;
    const uint64_t ipa = t1->ipa + (va & low_mask(t1->size_log2));
    if (!l2_visited) latency += l2_.geometry().hit_latency;
    int j = l2_.present() ? l2_.find(ipa, stage2_key(ctx)) : -1;
    if (j < 0) {
        if (l2_.present()) ++stats_.l2.misses;
        hit_level = 0;
        return nullptr;
    }
    ++stats_.l2.hits;
    hit_level = 2;
    const Translation& t2 = l2_.data(unsigned(j));
    // Composition: addresses, stage-2 permissions and level from the stage-2
    // entry; the rest (stage-1 permissions, memory attributes, ASID) from the
    // stage-1 entry, whose attributes were combined with stage 2 at its walk.
    const unsigned s1 = t1->size_log2, s2 = t2.size_log2, size = std::min(s1, s2);
    const uint64_t pa = t2.pa + (ipa & low_mask(s2));
    scratch_ = *t1;
    scratch_.va = va & ~low_mask(size);
    scratch_.pa = pa & ~low_mask(size);
    scratch_.size_log2 = uint8_t(size);
    scratch_.s2_size_log2 = uint8_t(s2);
    scratch_.s2_enabled = true;
    scratch_.vmid = t2.vmid;
    scratch_.perms.s2_r = t2.perms.s2_r;
    scratch_.perms.s2_w = t2.perms.s2_w;
    scratch_.perms.s2_x = t2.perms.s2_x;
    scratch_.s2_level = t2.s2_level;
    return &scratch_;
}

void TlbModel::fill(const TlbContext& ctx, const Translation& t, bool fetch) {
    detail::TlbArray& l1 = fetch ? l1i_ : l1d_;
    TlbStructStats& l1s = fetch ? stats_.l1i : stats_.l1d;
    const bool global = t.global || !has_asid(ctx.regime);
    last_l1_ = L1Ref{};
    auto put = [&](uint64_t addr, uint64_t key, unsigned size, bool g, const Translation& e, bool in_l1) {
        key |= uint64_t(size) << kSizeShift;
        addr &= ~low_mask(size);
        const unsigned i = in_l1 ? l1.insert(addr, key, g, e, l1s) : ~0u;
        l2_.insert(addr, key, g, e, stats_.l2);
        return i;
    };

    if (cfg_.combined || ctx.regime != Regime::EL10 || !ctx.s2) {
        const unsigned i = put(t.va, context_key(ctx, kCombined), t.size_log2, global, t, true);
        if (i != ~0u) last_l1_ = L1Ref{l1.slot_ptr(i), l1.slot(i).serial};
        return;
    }
    // Per stage. With stage 1 disabled the stage-1 entry is the identity
    // (VA = IPA) at the stage-2 size.
    const unsigned s2 = t.s2_size_log2;
    const unsigned s1 = ctx.s1 ? t.s1_size_log2 : s2;
    const uint64_t ipa = ctx.s1 ? t.ipa + (t.va & low_mask(s1)) : t.va;  // IPA of t.va
    Translation e1 = t;
    e1.va = t.va & ~low_mask(s1);
    e1.ipa = ipa & ~low_mask(s1);
    e1.size_log2 = e1.s1_size_log2 = uint8_t(s1);
    put(e1.va, context_key(ctx, kStage1), s1, ctx.s1 ? global : true, e1, true);
    Translation e2 = t;
    e2.va = e2.ipa = ipa & ~low_mask(s2);
    e2.pa = t.pa - (ipa & low_mask(s2));  // t.pa translates t.va, whose IPA is `ipa`
    e2.size_log2 = uint8_t(s2);
    e2.global = true;
    put(e2.ipa, stage2_key(ctx), s2, true, e2, false);
}

// --- walk caches ----------------------------------------------------------------------

WalkCache& TlbModel::walk_cache(const TlbContext& ctx, unsigned* latency) {
    adapter_.tc = ctx;
    adapter_.latency = latency;
    return adapter_;
}

namespace {
// Tag and aligned address of a walk-cache entry of the walk in `c`. The span
// of an entry (what a TLBI by address compares) comes from the granule in
// the walker's ctx.
uint64_t walk_tag(const TlbContext& c, bool stage2, uint64_t ctx, uint64_t& addr, int level) {
    const uint64_t tag = stage2 ? pack(Regime::EL10, c.vmid, 0)
                                : pack(c.regime, c.regime == Regime::EL10 ? c.vmid : 0,
                                       has_asid(c.regime) ? c.asid : 0);
    const unsigned span = level_shift(walk_ctx_granule_log2(ctx), level);
    addr &= ~low_mask(span);  // the walker aligns it already
    return tag | kValid | (uint64_t(span) << kSizeShift) | (uint64_t((level + 1) & 0xF) << kLevelShift);
}
}  // namespace

bool TlbModel::Adapter::lookup(bool stage2, uint64_t ctx, uint64_t addr, int level, uint64_t& desc) {
    detail::WalkArray& a = stage2 ? model->s2w_ : model->s1w_;
    if (!a.geometry().entries) return false;
    if (latency) *latency += a.geometry().hit_latency;
    const uint64_t tag = walk_tag(tc, stage2, ctx, addr, level);
    return a.lookup(ctx, addr, tag, desc, stage2 ? model->stats_.s2_walk : model->stats_.s1_walk);
}

void TlbModel::Adapter::fill(bool stage2, uint64_t ctx, uint64_t addr, int level, uint64_t desc) {
    detail::WalkArray& a = stage2 ? model->s2w_ : model->s1w_;
    const uint64_t tag = walk_tag(tc, stage2, ctx, addr, level);
    a.fill(ctx, addr, tag, desc, stage2 ? model->stats_.s2_walk : model->stats_.s1_walk);
}

// --- maintenance -----------------------------------------------------------------------

namespace {

// The entries one TLBI covers (Arm ARM C5.5, D8.11).
struct Scope {
    unsigned regimes = 0;  // bit per Regime
    bool any_vmid = true;
    uint16_t vmid = 0;  // EL1&0 entries
    bool stage1 = false, stage2 = false;  // stage-1 (and combined) entries; stage-2-only entries
    bool by_addr = false;
    uint64_t addr = 0;      // VA (bits [55:12] compared) or IPA
    bool last_level = false;  // walk caches: leaf descriptors only
    enum { AnyAsid, AsidOrGlobal, NonGlobalAsid } asid_mode = AnyAsid;
    uint16_t asid = 0;

    bool regime_vmid(Regime r, uint16_t v) const {
        if (!(regimes & (1u << unsigned(r)))) return false;
        return r != Regime::EL10 || any_vmid || v == vmid;
    }
    bool asid_ok(bool global, uint16_t a) const {
        switch (asid_mode) {
        case AnyAsid: return true;
        case AsidOrGlobal: return global || a == asid;
        case NonGlobalAsid: return !global && a == asid;
        }
        return false;
    }
};

constexpr unsigned bit(Regime r) { return 1u << unsigned(r); }

}  // namespace

template <typename Pred>
TlbModel::InvalidateResult TlbModel::remove_tlb(Pred pred) {
    InvalidateResult r;
    r.l1i = l1i_.remove_if(pred);
    r.l1d = l1d_.remove_if(pred);
    r.l2 = l2_.remove_if(pred);
    return r;
}

template <typename Pred>
TlbModel::InvalidateResult TlbModel::remove_tlb_at(uint64_t addr, Pred pred) {
    InvalidateResult r;
    r.l1i = l1i_.remove_if_at(addr, pred);
    r.l1d = l1d_.remove_if_at(addr, pred);
    r.l2 = l2_.remove_if_at(addr, pred);
    return r;
}

template <typename Pred>
unsigned TlbModel::remove_walk(bool stage2, Pred pred) {
    return (stage2 ? s2w_ : s1w_).remove_if(pred);
}

TlbModel::InvalidateResult TlbModel::invalidate(TlbiOp op, uint64_t xt, const TlbiContext& tc) {
    Scope s;
    const uint64_t va = (xt & ((1ull << 44) - 1)) << 12;  // VA[55:12] in Xt[43:0]
    const uint64_t ipa = (xt & ((1ull << 36) - 1)) << 12;  // IPA[47:12] in Xt[35:0]
    const uint16_t asid = uint16_t(xt >> 48);
    const uint16_t vmid = tc.el2_enabled ? tc.vmid : 0;  // no VMID tag without EL2
    // The EL1 operations address EL2&0 when HCR_EL2.{E2H,TGE} == {1,1}.
    const bool to_el20 = tc.el2_enabled && tc.e2h && tc.tge;
    auto el1_target = [&] {
        if (to_el20) {
            s.regimes = bit(Regime::EL20);
        } else {
            s.regimes = bit(Regime::EL10);
            s.any_vmid = false;
            s.vmid = vmid;
        }
        s.stage1 = true;
    };
    auto by_va = [&](bool last) {
        s.by_addr = true;
        s.addr = va;
        s.last_level = last;
    };

    bool nop = false;
    switch (op) {
    case TlbiOp::VMALLE1: el1_target(); break;
    case TlbiOp::VAE1:
    case TlbiOp::VALE1:
        el1_target();
        by_va(op == TlbiOp::VALE1);
        s.asid_mode = Scope::AsidOrGlobal;
        s.asid = asid;
        break;
    case TlbiOp::ASIDE1:
        el1_target();
        s.asid_mode = Scope::NonGlobalAsid;
        s.asid = asid;
        break;
    case TlbiOp::VAAE1:
    case TlbiOp::VAALE1:
        el1_target();
        by_va(op == TlbiOp::VAALE1);
        break;
    case TlbiOp::IPAS2E1:
    case TlbiOp::IPAS2LE1:
        // Stage-2-only entries of the IPA; combined entries need not be
        // touched (and are not): that is what VMALLE1 is for.
        if (!tc.el2_enabled) {
            nop = true;
            break;
        }
        s.regimes = bit(Regime::EL10);
        s.any_vmid = false;
        s.vmid = vmid;
        s.stage2 = true;
        s.by_addr = true;
        s.addr = ipa;
        s.last_level = op == TlbiOp::IPAS2LE1;
        break;
    case TlbiOp::VMALLS12E1:
        s.regimes = bit(Regime::EL10);
        s.any_vmid = false;
        s.vmid = vmid;
        s.stage1 = true;
        s.stage2 = tc.el2_enabled;  // without EL2 it is VMALLE1
        break;
    case TlbiOp::ALLE1:
        s.regimes = bit(Regime::EL10);
        s.stage1 = s.stage2 = true;
        break;
    case TlbiOp::ALLE2:
    case TlbiOp::VAE2:
    case TlbiOp::VALE2:
        // The EL2 and EL2&0 regimes; the ASID counts only when E2H is 1.
        s.regimes = bit(Regime::EL2) | bit(Regime::EL20);
        s.stage1 = true;
        if (op != TlbiOp::ALLE2) {
            by_va(op == TlbiOp::VALE2);
            if (tc.e2h) {
                s.asid_mode = Scope::AsidOrGlobal;
                s.asid = asid;
            }
        }
        break;
    case TlbiOp::ALLE3:
    case TlbiOp::VAE3:
    case TlbiOp::VALE3:
        s.regimes = bit(Regime::EL3);
        s.stage1 = true;
        if (op != TlbiOp::ALLE3) by_va(op == TlbiOp::VALE3);
        break;
    case TlbiOp::Count: nop = true; break;
    }

    InvalidateResult r;
    if (!nop) {
        // TLB entries all come from the final level of a walk, so "last level"
        // changes nothing for them.
        auto tlb_pred = [&](const detail::TlbArray::Slot& e, const Translation&) {
            const uint64_t k = key_kind(e.key);
            if (k == kStage2 ? !s.stage2 : !s.stage1) return false;
            if (!s.regime_vmid(key_regime(e.key), key_vmid(e.key))) return false;
            if (!s.asid_ok(e.key_mask != ~0ull, key_asid(e.key))) return false;
            if (!s.by_addr) return true;
            const uint64_t m = ~low_mask(key_size(e.key));
            return k == kStage2 ? ((e.addr ^ s.addr) & m) == 0 : ((e.addr ^ s.addr) & kVa56 & m) == 0;
        };
        // By address, an entry can only match where its address agrees with
        // s.addr on bits [55:size]: the sets those bits select.
        r = s.by_addr ? remove_tlb_at(s.addr, tlb_pred) : remove_tlb(tlb_pred);
        // Walk caches: the descriptors that would be used to translate the
        // address; "last level" operations leave the table descriptors.
        auto walk_pred = [&](bool stage2) {
            return [&, stage2](const detail::WalkArray::Slot& e) {
                const Regime reg = key_regime(e.tag);
                if (!s.regime_vmid(reg, key_vmid(e.tag))) return false;
                const int level = tag_level(e.tag);
                const bool leaf = is_leaf(e.desc, level);
                if (s.last_level && !leaf) return false;
                // Table entries belong to the ASID of the walk; a leaf is global
                // unless nG (bit 11); regimes without ASIDs are all global.
                const bool global = !has_asid(reg) || stage2 || (leaf && !((e.desc >> 11) & 1));
                if (!s.asid_ok(global, key_asid(e.tag))) return false;
                if (!s.by_addr) return true;
                const uint64_t m = ~low_mask(unsigned(e.tag >> kSizeShift) & 63);
                return stage2 ? ((e.addr ^ s.addr) & m) == 0 : ((e.addr ^ s.addr) & kVa56 & m) == 0;
            };
        };
        if (s.stage1) r.s1_walk = remove_walk(false, walk_pred(false));
        if (s.stage2) r.s2_walk = remove_walk(true, walk_pred(true));
    }

    stats_.l1i.invalidated += r.l1i;
    stats_.l1d.invalidated += r.l1d;
    stats_.l2.invalidated += r.l2;
    stats_.s1_walk.invalidated += r.s1_walk;
    stats_.s2_walk.invalidated += r.s2_walk;
    if (op != TlbiOp::Count) {
        ++stats_.tlbi[unsigned(op)];
        stats_.tlbi_removed[unsigned(op)] += r.total();
    }
    return r;
}

TlbModel::InvalidateResult TlbModel::invalidate_all() {
    auto all = [](const auto&...) { return true; };
    InvalidateResult r = remove_tlb(all);
    r.s1_walk = remove_walk(false, all);
    r.s2_walk = remove_walk(true, all);
    stats_.l1i.invalidated += r.l1i;
    stats_.l1d.invalidated += r.l1d;
    stats_.l2.invalidated += r.l2;
    stats_.s1_walk.invalidated += r.s1_walk;
    stats_.s2_walk.invalidated += r.s2_walk;
    ++stats_.invalidate_all;
    return r;
}

}  // namespace hvsim::mmu
