// Unit tests of the architectural TLB and walk-cache model (models/mmu/tlb.h):
// hits and misses per structure, tags (regime, VMID, ASID, global, stage,
// size), replacement, and the exact scope of every TLBI operation on the TLBs
// and the walk caches (Arm ARM C5.5, D8.11).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <vector>

#include "models/mmu/tlb.h"

namespace {

using namespace hvsim::mmu;

constexpr uint64_t kTable = 0x3;   // a table descriptor (bits [1:0] = 0b11) at levels 0-2
constexpr uint64_t kBlock = 0x1;   // a block descriptor (bits [1:0] = 0b01)
// Walk-cache contexts as the walker packs them: 4KB granule, VMID and regime 0
// (the model takes regime, VMID and ASID from the TlbContext).
constexpr uint64_t kTtbr = make_walk_ctx(0x80000000, 0, Regime::EL10, 12, false);
constexpr uint64_t kVttbr = make_walk_ctx(0x90000000, 0, Regime::EL10, 12, false);

TlbConfig small_config(bool combined = true) {
    TlbConfig c;
    c.l1i = {4, 4, 1};
    c.l1d = {4, 4, 1};
    c.l2 = {32, 4, 3};
    // Fully associative, so that no test depends on where the hash puts an entry.
    c.s1_walk_cache = {32, 0, 2};
    c.s2_walk_cache = {32, 0, 2};
    c.combined = combined;
    return c;
}

TlbContext el10(uint16_t asid = 0, uint16_t vmid = 0, bool s2 = false) {
    TlbContext c;
    c.regime = Regime::EL10;
    c.asid = asid;
    c.vmid = vmid;
    c.s2 = s2;
    return c;
}

TlbContext regime(Regime r, uint16_t asid = 0) {
    TlbContext c;
    c.regime = r;
    c.asid = asid;
    return c;
}

// A final translation of `va` to `pa` of 2^size bytes (stage 1 only).
Translation tr(uint64_t va, uint64_t pa, unsigned size = 12, bool global = true, uint16_t asid = 0) {
    Translation t;
    t.va = va;
    t.ipa = pa;
    t.pa = pa;
    t.size_log2 = t.s1_size_log2 = t.s2_size_log2 = uint8_t(size);
    t.level = size == 12 ? 3 : size == 21 ? 2 : 1;
    t.s1_enabled = true;
    t.global = global;
    t.asid = asid;
    return t;
}

// A two-stage translation: va -> ipa (2^s1) -> pa (2^s2).
Translation tr2(uint64_t va, uint64_t ipa, uint64_t pa, unsigned s1, unsigned s2, uint16_t vmid, bool global = true,
                uint16_t asid = 0) {
    Translation t;
    const unsigned size = std::min(s1, s2);
    t.va = va & ~((1ull << size) - 1);
    t.ipa = ipa & ~((1ull << s1) - 1);
    t.pa = pa & ~((1ull << size) - 1);
    t.size_log2 = uint8_t(size);
    t.s1_size_log2 = uint8_t(s1);
    t.s2_size_log2 = uint8_t(s2);
    t.s1_enabled = t.s2_enabled = true;
    t.global = global;
    t.asid = asid;
    t.vmid = vmid;
    return t;
}

// Looks up without caring for latency; returns the PA of `va` or ~0 on a miss.
uint64_t lookup_pa(TlbModel& m, const TlbContext& c, uint64_t va, bool fetch = false, int* level = nullptr) {
    unsigned lat = 0;
    int lvl = -1;
    const Translation* t = m.lookup(c, va, fetch, lat, lvl);
    if (level) *level = lvl;
    if (!t) return ~0ull;
    return t->pa + (va & ((1ull << t->size_log2) - 1));
}
bool hits(TlbModel& m, const TlbContext& c, uint64_t va, bool fetch = false) { return lookup_pa(m, c, va, fetch) != ~0ull; }

bool walk_hit(TlbModel& m, const TlbContext& c, bool stage2, uint64_t ctx, uint64_t addr, int level) {
    uint64_t desc = 0;
    return m.walk_cache(c).lookup(stage2, ctx, addr, level, desc);
}

TlbiContext tlbi_ctx(uint16_t vmid = 0, bool el2 = true) {
    TlbiContext t;
    t.vmid = vmid;
    t.el2_enabled = el2;
    return t;
}

uint64_t va_arg(uint64_t va, uint16_t asid = 0) { return ((va >> 12) & ((1ull << 44) - 1)) | (uint64_t(asid) << 48); }
uint64_t ipa_arg(uint64_t ipa) { return (ipa >> 12) & ((1ull << 36) - 1); }

// --- lookups, fills, latency --------------------------------------------------

TEST(Tlb, MissFillHitAndLatency) {
    TlbModel m(small_config());
    const auto c = el10(1);
    unsigned lat = 0;
    int lvl = -1;
    EXPECT_EQ(m.lookup(c, 0x1234, false, lat, lvl), nullptr);
    EXPECT_EQ(lvl, 0);
    EXPECT_EQ(lat, 4u);  // L1D + L2 looked up
    m.fill(c, tr(0x1000, 0x80001000), false);
    lat = 0;
    const Translation* t = m.lookup(c, 0x1234, false, lat, lvl);
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->pa, 0x80001000u);
    EXPECT_EQ(lvl, 1);
    EXPECT_EQ(lat, 1u);
    const auto& s = m.stats();
    EXPECT_EQ(s.l1d.hits, 1u);
    EXPECT_EQ(s.l1d.misses, 1u);
    EXPECT_EQ(s.l2.misses, 1u);
    EXPECT_EQ(s.l1d.fills, 1u);
    EXPECT_EQ(s.l2.fills, 1u);
    EXPECT_EQ(s.l1i.fills, 0u);
}

TEST(Tlb, L2HitRefillsTheOtherL1) {
    TlbModel m(small_config());
    const auto c = el10();
    m.fill(c, tr(0x1000, 0x5000), false);  // L1D and L2
    int lvl = 0;
    EXPECT_EQ(lookup_pa(m, c, 0x1008, true, &lvl), 0x5008u);
    EXPECT_EQ(lvl, 2);  // L1I missed, L2 hit
    EXPECT_EQ(lookup_pa(m, c, 0x1008, true, &lvl), 0x5008u);
    EXPECT_EQ(lvl, 1);  // refilled into L1I
    EXPECT_EQ(m.stats().l1i.misses, 1u);
    EXPECT_EQ(m.stats().l1i.hits, 1u);
    EXPECT_EQ(m.stats().l2.hits, 1u);
    EXPECT_EQ(m.stats().l1i.fills, 1u);
}

TEST(Tlb, GlobalEntriesMatchAnyAsid) {
    TlbModel m(small_config());
    m.fill(el10(1), tr(0x1000, 0xA000, 12, /*global=*/false, 1), false);
    m.fill(el10(1), tr(0x2000, 0xB000, 12, /*global=*/true), false);
    EXPECT_TRUE(hits(m, el10(1), 0x1000));
    EXPECT_FALSE(hits(m, el10(2), 0x1000));
    EXPECT_TRUE(hits(m, el10(2), 0x2000));
    EXPECT_TRUE(hits(m, el10(7), 0x2000));
}

TEST(Tlb, VmidRegimeAndStageTagsSeparate) {
    TlbModel m(small_config());
    m.fill(el10(0, 1, true), tr(0x1000, 0xA000), false);
    EXPECT_TRUE(hits(m, el10(0, 1, true), 0x1000));
    EXPECT_FALSE(hits(m, el10(0, 2, true), 0x1000));   // other VMID
    EXPECT_FALSE(hits(m, el10(0, 1, false), 0x1000));  // stage 2 now off
    EXPECT_FALSE(hits(m, regime(Regime::EL2), 0x1000));
    EXPECT_FALSE(hits(m, regime(Regime::EL3), 0x1000));
    auto s1off = el10(0, 1, true);
    s1off.s1 = false;
    EXPECT_FALSE(hits(m, s1off, 0x1000));
    // The VMID does not tag the EL2 regime.
    auto el2 = regime(Regime::EL2);
    el2.vmid = 9;
    m.fill(el2, tr(0x1000, 0xC000), false);
    el2.vmid = 3;
    EXPECT_EQ(lookup_pa(m, el2, 0x1000), 0xC000u);
}

TEST(Tlb, BlockEntriesMatchEveryAddressInside) {
    TlbModel m(small_config());
    const auto c = el10();
    m.fill(c, tr(0x40000000, 0x80000000, 21), false);  // 2MB block
    m.fill(c, tr(0x1000, 0x9000, 12), false);          // and a 4KB page
    m.fill(c, tr(0xC0000000, 0x100000000, 30), false);  // and a 1GB block
    EXPECT_EQ(lookup_pa(m, c, 0x40000000), 0x80000000u);
    EXPECT_EQ(lookup_pa(m, c, 0x401FFFF8), 0x801FFFF8u);
    EXPECT_EQ(lookup_pa(m, c, 0x400AB123), 0x800AB123u);
    EXPECT_FALSE(hits(m, c, 0x40200000));
    EXPECT_FALSE(hits(m, c, 0x3FFFF000));
    EXPECT_EQ(lookup_pa(m, c, 0x1FFF), 0x9FFFu);
    EXPECT_EQ(lookup_pa(m, c, 0xFFFFF000), 0x13FFFF000u);
}

TEST(Tlb, RefillOfTheSameTagReplacesInPlace) {
    TlbModel m(small_config());
    const auto c = el10();
    m.fill(c, tr(0x1000, 0xA000), false);
    m.fill(c, tr(0x1000, 0xB000), false);
    EXPECT_EQ(lookup_pa(m, c, 0x1000), 0xB000u);
    EXPECT_EQ(m.stats().l1d.evictions, 0u);
    EXPECT_EQ(m.stats().l2.evictions, 0u);
}

TEST(Tlb, StaleEntriesStayUntilInvalidated) {
    TlbModel m(small_config());
    const auto c = el10(1, 1, true);
    m.fill(c, tr(0x1000, 0xA000), false);
    // Nothing but a TLBI that covers it (or an eviction) removes it: other
    // operations and other contexts leave it.
    m.invalidate(TlbiOp::VAE1, va_arg(0x2000, 1), tlbi_ctx(1));
    m.invalidate(TlbiOp::VMALLE1, 0, tlbi_ctx(2));
    m.invalidate(TlbiOp::ALLE2, 0, tlbi_ctx(1));
    m.invalidate(TlbiOp::IPAS2E1, ipa_arg(0xA000), tlbi_ctx(1));
    EXPECT_EQ(lookup_pa(m, c, 0x1000), 0xA000u);
}

// --- replacement ------------------------------------------------------------------

TEST(Tlb, LruEvictsTheLeastRecentlyUsed) {
    TlbConfig cfg;
    cfg.l1d = {4, 4, 1};
    cfg.l2 = {0, 0, 0};  // no L2: what L1 loses is gone
    TlbModel m(cfg);
    const auto c = el10();
    for (uint64_t p = 0; p < 4; ++p) m.fill(c, tr(p << 12, 0x100000 + (p << 12)), false);
    EXPECT_TRUE(hits(m, c, 0x0000));  // A is now the most recent; B the least
    m.fill(c, tr(0x4000, 0x104000), false);
    EXPECT_TRUE(hits(m, c, 0x0000));
    EXPECT_FALSE(hits(m, c, 0x1000));
    EXPECT_TRUE(hits(m, c, 0x2000));
    EXPECT_TRUE(hits(m, c, 0x3000));
    EXPECT_TRUE(hits(m, c, 0x4000));
    EXPECT_EQ(m.stats().l1d.evictions, 1u);
}

TEST(Tlb, SetAssociativeIndexing) {
    TlbConfig cfg;
    cfg.l1d = {0, 0, 0};
    cfg.l2 = {8, 2, 1};  // 4 sets of 2 ways, indexed by VA[13:12] for 4KB pages
    TlbModel m(cfg);
    const auto c = el10();
    // Three pages in set 0 evict one another; a page in set 1 is unaffected.
    m.fill(c, tr(0x1000, 0x1000), false);
    m.fill(c, tr(0x0000, 0x0000), false);
    m.fill(c, tr(0x4000, 0x4000), false);
    m.fill(c, tr(0x8000, 0x8000), false);
    EXPECT_TRUE(hits(m, c, 0x1000));
    EXPECT_FALSE(hits(m, c, 0x0000));
    EXPECT_EQ(m.stats().l2.evictions, 1u);
}

std::vector<bool> random_survivors(uint64_t seed) {
    TlbConfig cfg;
    cfg.l1d = {8, 8, 1, Replacement::Random};
    cfg.l2 = {0, 0, 0};
    TlbModel m(cfg, seed);
    const auto c = el10();
    for (uint64_t p = 0; p < 64; ++p) m.fill(c, tr(p << 12, p << 12), false);
    std::vector<bool> v;
    for (uint64_t p = 0; p < 64; ++p) v.push_back(hits(m, c, p << 12));
    return v;
}

TEST(Tlb, RandomReplacementIsDeterministicPerSeed) {
    const auto a = random_survivors(1), b = random_survivors(1), d = random_survivors(2);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, d);
    unsigned n = 0;
    for (bool x : a) n += x;
    EXPECT_EQ(n, 8u);
}

TEST(Tlb, GeometryMustGiveAPowerOfTwoSets) {
    TlbConfig cfg;
    cfg.l2 = {12, 4, 1};  // 3 sets
    EXPECT_THROW(TlbModel m(cfg), std::invalid_argument);
    cfg.l2 = {48, 48, 1};  // fully associative: fine
    EXPECT_NO_THROW(TlbModel m(cfg));
}

// --- walk caches ----------------------------------------------------------------------

TEST(WalkCache, HitsByContextLevelAndAddress) {
    TlbModel m(small_config());
    const auto c = el10(1, 2, true);
    uint64_t desc = 0;
    WalkCache& w = m.walk_cache(c);
    EXPECT_FALSE(w.lookup(false, kTtbr, 0x40000000, 1, desc));
    w.fill(false, kTtbr, 0x40000000, 1, 0xABC000 | kTable);
    EXPECT_TRUE(walk_hit(m, c, false, kTtbr, 0x40000000, 1));
    // Level 1 of a 4KB granule spans 1GB: any address in it uses the entry.
    EXPECT_TRUE(m.walk_cache(c).lookup(false, kTtbr, 0x7FFFF123, 1, desc));
    EXPECT_EQ(desc, 0xABC000 | kTable);
    EXPECT_FALSE(walk_hit(m, c, false, kTtbr, 0x80000000, 1));      // next 1GB
    EXPECT_FALSE(walk_hit(m, c, false, kTtbr, 0x40000000, 2));      // other level
    EXPECT_FALSE(walk_hit(m, c, false, kTtbr + 0x1000, 0x40000000, 1));  // other table
    EXPECT_FALSE(walk_hit(m, c, true, kTtbr, 0x40000000, 1));       // stage 2 is separate
    EXPECT_FALSE(walk_hit(m, el10(2, 2, true), false, kTtbr, 0x40000000, 1));  // other ASID
    EXPECT_FALSE(walk_hit(m, el10(1, 3, true), false, kTtbr, 0x40000000, 1));  // other VMID
    EXPECT_FALSE(walk_hit(m, regime(Regime::EL2, 1), false, kTtbr, 0x40000000, 1));
    EXPECT_EQ(m.stats().s1_walk.fills, 1u);
    EXPECT_EQ(m.stats().s1_walk.hits, 2u);
    EXPECT_GE(m.stats().s1_walk.misses, 6u);
}

TEST(WalkCache, SpanFollowsTheGranule) {
    TlbModel m(small_config());
    const auto c = el10(0, 1, true);
    const uint64_t s1 = make_walk_ctx(0x80000000, 1, Regime::EL10, 16, false);  // 64KB: level 2 spans 512MB
    const uint64_t s2 = make_walk_ctx(0x90000000, 1, Regime::EL10, 14, false);  // 16KB: level 2 spans 32MB
    m.walk_cache(c).fill(false, s1, 0x20000000, 2, kTable);
    m.walk_cache(c).fill(true, s2, 0x42000000, 2, kTable);
    EXPECT_TRUE(walk_hit(m, c, false, s1, 0x3FFF0000, 2));
    EXPECT_FALSE(walk_hit(m, c, false, s1, 0x40000000, 2));
    EXPECT_TRUE(walk_hit(m, c, true, s2, 0x43FFC000, 2));
    EXPECT_FALSE(walk_hit(m, c, true, s2, 0x44000000, 2));
    // A TLBI by address removes the entries whose span holds it.
    auto r = m.invalidate(TlbiOp::VAAE1, va_arg(0x3FFF0000), tlbi_ctx(1));
    EXPECT_EQ(r.s1_walk, 1u);
    r = m.invalidate(TlbiOp::IPAS2E1, ipa_arg(0x40000000), tlbi_ctx(1));
    EXPECT_EQ(r.s2_walk, 0u);
    r = m.invalidate(TlbiOp::IPAS2E1, ipa_arg(0x43FFC000), tlbi_ctx(1));
    EXPECT_EQ(r.s2_walk, 1u);
}

TEST(WalkCache, LatencyPerLookup) {
    TlbModel m(small_config());
    unsigned lat = 0;
    uint64_t desc;
    WalkCache& w = m.walk_cache(el10(), &lat);
    w.lookup(false, kTtbr, 0, 0, desc);
    w.lookup(true, kVttbr, 0, 1, desc);
    EXPECT_EQ(lat, 4u);
}

// --- TLBI scope -------------------------------------------------------------------------

// Fills stage-1 walk-cache table entries at levels 0-2 for `va` in `c`.
void fill_walk(TlbModel& m, const TlbContext& c, uint64_t va) {
    for (int level = 0; level <= 2; ++level) m.walk_cache(c).fill(false, kTtbr, va, level, kTable);
}
unsigned walk_levels(TlbModel& m, const TlbContext& c, uint64_t va) {
    unsigned n = 0;
    for (int level = 0; level <= 2; ++level) n += walk_hit(m, c, false, kTtbr, va, level);
    return n;
}

TEST(Tlbi, VAE1RemovesTheVaForItsAsidAndGlobalsWithWalkEntries) {
    TlbModel m(small_config());
    const auto a1 = el10(1, 5, true), a2 = el10(2, 5, true);
    m.fill(a1, tr(0x40001000, 0xA000, 12, false, 1), false);
    m.fill(a2, tr(0x40001000, 0xB000, 12, false, 2), false);
    m.fill(a1, tr(0x40002000, 0xC000, 12, true), false);
    fill_walk(m, a1, 0x40001000);
    fill_walk(m, a2, 0x40001000);
    fill_walk(m, a1, 0x80000000);  // another 1GB region
    auto r = m.invalidate(TlbiOp::VAE1, va_arg(0x40001000, 1), tlbi_ctx(5));
    EXPECT_FALSE(hits(m, a1, 0x40001000));
    EXPECT_TRUE(hits(m, a2, 0x40001000));  // another ASID's non-global entry
    EXPECT_TRUE(hits(m, a1, 0x40002000));  // another page
    EXPECT_EQ(walk_levels(m, a1, 0x40001000), 0u);  // intermediate entries for the VA: gone
    EXPECT_EQ(walk_levels(m, a2, 0x40001000), 3u);  // those of another ASID stay
    EXPECT_EQ(walk_levels(m, a1, 0x80000000), 2u);  // its level-0 entry (512GB) was shared and went
    EXPECT_EQ(r.l1d, 1u);
    EXPECT_EQ(r.l2, 1u);
    EXPECT_EQ(r.s1_walk, 3u);
    // Global entries go whatever the ASID operand.
    m.invalidate(TlbiOp::VAE1, va_arg(0x40002000, 9), tlbi_ctx(5));
    EXPECT_FALSE(hits(m, a1, 0x40002000));
}

TEST(Tlbi, VALE1LeavesIntermediateEntries) {
    TlbModel m(small_config());
    const auto c = el10(1);
    m.fill(c, tr(0x40001000, 0xA000, 12, false, 1), false);
    fill_walk(m, c, 0x40001000);
    auto r = m.invalidate(TlbiOp::VALE1, va_arg(0x40001000, 1), tlbi_ctx(0, false));
    EXPECT_FALSE(hits(m, c, 0x40001000));
    EXPECT_EQ(walk_levels(m, c, 0x40001000), 3u);  // stale table entries still used
    EXPECT_EQ(r.s1_walk, 0u);
    // A cached leaf (block) descriptor is final level: VALE1 removes it.
    m.walk_cache(c).fill(false, kTtbr, 0x40200000, 2, 0x80200000 | kBlock);
    EXPECT_TRUE(walk_hit(m, c, false, kTtbr, 0x40200000, 2));
    m.invalidate(TlbiOp::VALE1, va_arg(0x40200000, 1), tlbi_ctx(0, false));
    EXPECT_FALSE(walk_hit(m, c, false, kTtbr, 0x40200000, 2));
    // VAE1 removes the table entries.
    m.invalidate(TlbiOp::VAE1, va_arg(0x40001000, 1), tlbi_ctx(0, false));
    EXPECT_EQ(walk_levels(m, c, 0x40001000), 0u);
}

TEST(Tlbi, VAAE1AndVAALE1AnyAsid) {
    TlbModel m(small_config());
    const auto a1 = el10(1), a2 = el10(2);
    m.fill(a1, tr(0x5000, 0xA000, 12, false, 1), false);
    m.fill(a2, tr(0x5000, 0xB000, 12, false, 2), false);
    fill_walk(m, a1, 0x5000);
    fill_walk(m, a2, 0x5000);
    m.invalidate(TlbiOp::VAALE1, va_arg(0x5000), tlbi_ctx());
    EXPECT_FALSE(hits(m, a1, 0x5000));
    EXPECT_FALSE(hits(m, a2, 0x5000));
    EXPECT_EQ(walk_levels(m, a1, 0x5000), 3u);
    EXPECT_EQ(walk_levels(m, a2, 0x5000), 3u);
    m.invalidate(TlbiOp::VAAE1, va_arg(0x5000), tlbi_ctx());
    EXPECT_EQ(walk_levels(m, a1, 0x5000), 0u);
    EXPECT_EQ(walk_levels(m, a2, 0x5000), 0u);
}

TEST(Tlbi, ASIDE1RemovesNonGlobalEntriesOfTheAsid) {
    TlbModel m(small_config());
    const auto a1 = el10(1), a2 = el10(2);
    m.fill(a1, tr(0x1000, 0xA000, 12, false, 1), false);
    m.fill(a1, tr(0x2000, 0xB000, 12, true), false);
    m.fill(a2, tr(0x3000, 0xC000, 12, false, 2), false);
    fill_walk(m, a1, 0x1000);
    fill_walk(m, a2, 0x1000);
    m.invalidate(TlbiOp::ASIDE1, uint64_t(1) << 48, tlbi_ctx());
    EXPECT_FALSE(hits(m, a1, 0x1000));
    EXPECT_TRUE(hits(m, a1, 0x2000));  // global
    EXPECT_TRUE(hits(m, a2, 0x3000));
    EXPECT_EQ(walk_levels(m, a1, 0x1000), 0u);
    EXPECT_EQ(walk_levels(m, a2, 0x1000), 3u);
}

TEST(Tlbi, VMALLE1IsStage1OfTheCurrentVmidOnly) {
    TlbModel m(small_config(/*combined=*/false));
    const auto v1 = el10(1, 1, true), v2 = el10(1, 2, true);
    m.fill(v1, tr2(0x1000, 0x20000, 0x80020000, 12, 21, 1), false);
    m.fill(v2, tr2(0x1000, 0x20000, 0x90020000, 12, 21, 2), false);
    fill_walk(m, v1, 0x1000);
    fill_walk(m, v2, 0x1000);
    m.walk_cache(v1).fill(true, kVttbr, 0x20000, 1, kTable);
    auto r = m.invalidate(TlbiOp::VMALLE1, 0, tlbi_ctx(1));
    EXPECT_EQ(r.l1d, 1u);
    EXPECT_EQ(r.l2, 1u);  // the stage-1 entry; not the stage-2-only one
    EXPECT_EQ(r.s1_walk, 3u);
    EXPECT_FALSE(hits(m, v1, 0x1000));
    EXPECT_TRUE(hits(m, v2, 0x1000));  // another VMID
    EXPECT_EQ(walk_levels(m, v1, 0x1000), 0u);
    EXPECT_EQ(walk_levels(m, v2, 0x1000), 3u);
    EXPECT_TRUE(walk_hit(m, v1, true, kVttbr, 0x20000, 1));  // stage-2 walk entries stay
    EXPECT_EQ(r.s2_walk, 0u);
    // The stage-2-only entry survived: IPAS2E1 finds it.
    r = m.invalidate(TlbiOp::IPAS2E1, ipa_arg(0x20000), tlbi_ctx(1));
    EXPECT_EQ(r.l2, 1u);
    EXPECT_EQ(r.s2_walk, 1u);
}

TEST(Tlbi, IPAS2E1LeavesCombinedEntries) {
    TlbModel m(small_config(/*combined=*/true));
    const auto c = el10(0, 1, true);
    m.fill(c, tr2(0x1000, 0x20000, 0x80000000, 12, 12, 1), false);
    m.walk_cache(c).fill(true, kVttbr, 0x20000, 1, kTable);
    m.walk_cache(c).fill(true, kVttbr, 0x20000, 2, kTable);
    auto r = m.invalidate(TlbiOp::IPAS2E1, ipa_arg(0x20000), tlbi_ctx(1));
    EXPECT_EQ(lookup_pa(m, c, 0x1000), 0x80000000u);  // combined entry still used
    EXPECT_EQ(r.l1d + r.l2, 0u);
    EXPECT_EQ(r.s2_walk, 2u);  // stage-2 intermediate entries for the IPA go
    EXPECT_FALSE(walk_hit(m, c, true, kVttbr, 0x20000, 1));
    // Hence the hypervisor's VMALLE1 after it.
    m.invalidate(TlbiOp::VMALLE1, 0, tlbi_ctx(1));
    EXPECT_FALSE(hits(m, c, 0x1000));
}

TEST(Tlbi, IPAS2E1RemovesStage2OnlyEntriesPerStage) {
    TlbModel m(small_config(/*combined=*/false));
    const auto c = el10(0, 1, true), other = el10(0, 2, true);
    m.fill(c, tr2(0x1000, 0x20000, 0x80020000, 12, 21, 1), false);
    m.fill(other, tr2(0x1000, 0x20000, 0x90020000, 12, 21, 2), false);
    EXPECT_EQ(lookup_pa(m, c, 0x1004), 0x80020004u);
    auto r = m.invalidate(TlbiOp::IPAS2E1, ipa_arg(0x1FF000), tlbi_ctx(1));  // inside the 2MB stage-2 block
    EXPECT_EQ(r.l2, 1u);
    EXPECT_EQ(r.l1d, 0u);  // stage-2-only entries live in L2
    EXPECT_FALSE(hits(m, c, 0x1000));
    EXPECT_TRUE(hits(m, other, 0x1000));
    // Without EL2 enabled the operation does nothing.
    m.fill(c, tr2(0x1000, 0x20000, 0x80020000, 12, 21, 1), false);
    r = m.invalidate(TlbiOp::IPAS2E1, ipa_arg(0x20000), tlbi_ctx(1, false));
    EXPECT_EQ(r.total(), 0u);
    EXPECT_TRUE(hits(m, c, 0x1000));
}

TEST(Tlbi, IPAS2LE1LeavesStage2IntermediateEntries) {
    TlbModel m(small_config(/*combined=*/false));
    const auto c = el10(0, 1, true);
    m.fill(c, tr2(0x1000, 0x20000, 0x80000000, 12, 12, 1), false);
    m.walk_cache(c).fill(true, kVttbr, 0x20000, 1, kTable);
    m.walk_cache(c).fill(true, kVttbr, 0x20000, 2, kTable);
    auto r = m.invalidate(TlbiOp::IPAS2LE1, ipa_arg(0x20000), tlbi_ctx(1));
    EXPECT_EQ(r.l2, 1u);
    EXPECT_EQ(r.s2_walk, 0u);
    EXPECT_TRUE(walk_hit(m, c, true, kVttbr, 0x20000, 2));
    EXPECT_FALSE(hits(m, c, 0x1000));
}

TEST(Tlbi, VMALLS12E1VersusALLE1) {
    TlbModel m(small_config(/*combined=*/false));
    const auto v1 = el10(0, 1, true), v2 = el10(0, 2, true);
    const auto el2 = regime(Regime::EL2);
    auto populate = [&] {
        m.fill(v1, tr2(0x1000, 0x20000, 0x80020000, 12, 21, 1), false);
        m.fill(v2, tr2(0x1000, 0x20000, 0x90020000, 12, 21, 2), false);
        m.fill(el2, tr(0x1000, 0xA000), false);
        m.walk_cache(v1).fill(true, kVttbr, 0x20000, 1, kTable);
        m.walk_cache(v2).fill(true, kVttbr + 0x1000, 0x20000, 1, kTable);
        fill_walk(m, v1, 0x1000);
        fill_walk(m, v2, 0x1000);
    };
    populate();
    auto r = m.invalidate(TlbiOp::VMALLS12E1, 0, tlbi_ctx(1));
    EXPECT_FALSE(hits(m, v1, 0x1000));
    EXPECT_TRUE(hits(m, v2, 0x1000));
    EXPECT_TRUE(hits(m, el2, 0x1000));
    EXPECT_FALSE(walk_hit(m, v1, true, kVttbr, 0x20000, 1));
    EXPECT_TRUE(walk_hit(m, v2, true, kVttbr + 0x1000, 0x20000, 1));
    EXPECT_EQ(walk_levels(m, v1, 0x1000), 0u);
    EXPECT_EQ(walk_levels(m, v2, 0x1000), 3u);
    EXPECT_EQ(r.s1_walk, 3u);
    EXPECT_EQ(r.s2_walk, 1u);
    EXPECT_EQ(r.l2, 2u);  // stage-1 and stage-2-only entries
    populate();
    r = m.invalidate(TlbiOp::ALLE1, 0, tlbi_ctx(1));
    EXPECT_FALSE(hits(m, v1, 0x1000));
    EXPECT_FALSE(hits(m, v2, 0x1000));
    EXPECT_TRUE(hits(m, el2, 0x1000));
    EXPECT_FALSE(walk_hit(m, v2, true, kVttbr + 0x1000, 0x20000, 1));
    EXPECT_EQ(walk_levels(m, v2, 0x1000), 0u);
}

TEST(Tlbi, EL2Operations) {
    TlbModel m(small_config());
    const auto el2 = regime(Regime::EL2), el20a = regime(Regime::EL20, 3), el20b = regime(Regime::EL20, 4);
    const auto g = el10();
    auto populate = [&] {
        m.fill(el2, tr(0x1000, 0xA000), false);
        m.fill(el20a, tr(0x1000, 0xB000, 12, false, 3), false);
        m.fill(el20b, tr(0x1000, 0xC000, 12, false, 4), false);
        m.fill(g, tr(0x1000, 0xD000), false);
        fill_walk(m, el2, 0x1000);
    };
    populate();
    // E2H == 0: the ASID field is ignored.
    m.invalidate(TlbiOp::VAE2, va_arg(0x1000, 3), tlbi_ctx());
    EXPECT_FALSE(hits(m, el2, 0x1000));
    EXPECT_FALSE(hits(m, el20a, 0x1000));
    EXPECT_FALSE(hits(m, el20b, 0x1000));
    EXPECT_TRUE(hits(m, g, 0x1000));
    EXPECT_EQ(walk_levels(m, el2, 0x1000), 0u);
    populate();
    // E2H == 1: global entries and those of the ASID.
    auto vhe = tlbi_ctx();
    vhe.e2h = true;
    m.invalidate(TlbiOp::VALE2, va_arg(0x1000, 3), vhe);
    EXPECT_FALSE(hits(m, el2, 0x1000));
    EXPECT_FALSE(hits(m, el20a, 0x1000));
    EXPECT_TRUE(hits(m, el20b, 0x1000));
    EXPECT_EQ(walk_levels(m, el2, 0x1000), 3u);  // last level only
    m.invalidate(TlbiOp::ALLE2, 0, tlbi_ctx());
    EXPECT_FALSE(hits(m, el20b, 0x1000));
    EXPECT_EQ(walk_levels(m, el2, 0x1000), 0u);
    EXPECT_TRUE(hits(m, g, 0x1000));
}

TEST(Tlbi, EL1OperationsGoToEL20UnderE2HAndTGE) {
    TlbModel m(small_config());
    const auto el20 = regime(Regime::EL20, 3), g = el10(3);
    m.fill(el20, tr(0x1000, 0xB000, 12, false, 3), false);
    m.fill(g, tr(0x1000, 0xD000, 12, false, 3), false);
    auto t = tlbi_ctx();
    t.e2h = t.tge = true;
    m.invalidate(TlbiOp::ASIDE1, uint64_t(3) << 48, t);
    EXPECT_FALSE(hits(m, el20, 0x1000));
    EXPECT_TRUE(hits(m, g, 0x1000));
    t.tge = false;
    m.invalidate(TlbiOp::VMALLE1, 0, t);
    EXPECT_FALSE(hits(m, g, 0x1000));
}

TEST(Tlbi, EL3Operations) {
    TlbModel m(small_config());
    const auto el3 = regime(Regime::EL3), el2 = regime(Regime::EL2);
    m.fill(el3, tr(0x1000, 0xA000), false);
    m.fill(el3, tr(0x2000, 0xB000), false);
    m.fill(el2, tr(0x1000, 0xC000), false);
    fill_walk(m, el3, 0x1000);
    m.invalidate(TlbiOp::VALE3, va_arg(0x1000), tlbi_ctx());
    EXPECT_FALSE(hits(m, el3, 0x1000));
    EXPECT_TRUE(hits(m, el3, 0x2000));
    EXPECT_EQ(walk_levels(m, el3, 0x1000), 3u);
    m.invalidate(TlbiOp::VAE3, va_arg(0x1000), tlbi_ctx());
    EXPECT_EQ(walk_levels(m, el3, 0x1000), 0u);
    m.invalidate(TlbiOp::ALLE3, 0, tlbi_ctx());
    EXPECT_FALSE(hits(m, el3, 0x2000));
    EXPECT_TRUE(hits(m, el2, 0x1000));
}

TEST(Tlbi, WithoutEL2TheVmidIsZero) {
    TlbModel m(small_config());
    m.fill(el10(0, 0), tr(0x1000, 0xA000), false);
    m.fill(el10(0, 4, true), tr(0x1000, 0xB000), false);
    m.invalidate(TlbiOp::VMALLE1, 0, tlbi_ctx(4, /*el2=*/false));
    EXPECT_FALSE(hits(m, el10(0, 0), 0x1000));
    EXPECT_TRUE(hits(m, el10(0, 4, true), 0x1000));
}

TEST(Tlbi, UpperVaRangeAndBlocks) {
    TlbModel m(small_config());
    const auto c = el10(1);
    const uint64_t hi = 0xFFFF000012345000ull;
    m.fill(c, tr(hi, 0xA000, 12, false, 1), false);
    m.fill(c, tr(0xFFFF000040000000ull, 0x80000000, 21, true), false);
    m.invalidate(TlbiOp::VAE1, va_arg(hi, 1), tlbi_ctx());
    EXPECT_FALSE(hits(m, c, hi));
    // A TLBI by any address inside a block removes the block.
    EXPECT_TRUE(hits(m, c, 0xFFFF000040000000ull));
    m.invalidate(TlbiOp::VAAE1, va_arg(0xFFFF0000401FF000ull), tlbi_ctx());
    EXPECT_FALSE(hits(m, c, 0xFFFF000040000000ull));
}

TEST(Tlbi, StatisticsPerOperation) {
    TlbModel m(small_config());
    const auto c = el10();
    m.fill(c, tr(0x1000, 0xA000), false);
    m.fill(c, tr(0x2000, 0xB000), true);
    m.invalidate(TlbiOp::VMALLE1, 0, tlbi_ctx());
    m.invalidate(TlbiOp::VMALLE1, 0, tlbi_ctx());
    const auto& s = m.stats();
    EXPECT_EQ(s.tlbi[unsigned(TlbiOp::VMALLE1)], 2u);
    EXPECT_EQ(s.tlbi_removed[unsigned(TlbiOp::VMALLE1)], 4u);  // L1D, L1I, 2 x L2
    EXPECT_EQ(s.l1i.invalidated, 1u);
    EXPECT_EQ(s.l1d.invalidated, 1u);
    EXPECT_EQ(s.l2.invalidated, 2u);
    EXPECT_STREQ(tlbi_name(TlbiOp::IPAS2LE1), "IPAS2LE1");
    m.fill(c, tr(0x1000, 0xA000), false);
    fill_walk(m, c, 0x1000);
    auto r = m.invalidate_all();
    EXPECT_EQ(r.l1d, 1u);
    EXPECT_EQ(r.l2, 1u);
    EXPECT_EQ(r.s1_walk, 3u);
    EXPECT_EQ(s.invalidate_all, 1u);
}

// --- per-stage entries ---------------------------------------------------------------------

TEST(PerStage, LookupCombinesTheTwoStages) {
    TlbModel m(small_config(/*combined=*/false));
    const auto c = el10(0, 1, true);
    Translation t = tr2(0x1000, 0x234000, 0x80034000, 12, 21, 1);
    t.perms.s2_w = false;
    m.fill(c, t, false);
    int lvl = 0;
    EXPECT_EQ(lookup_pa(m, c, 0x1abc, false, &lvl), 0x80034abcu);
    EXPECT_EQ(lvl, 2);  // the stage-2 part lives in L2
    unsigned lat = 0;
    const Translation* r = m.lookup(c, 0x1abc, false, lat, lvl);
    ASSERT_NE(r, nullptr);
    EXPECT_FALSE(r->perms.s2_w);
    EXPECT_EQ(r->size_log2, 12);
    EXPECT_EQ(lat, 1u + 3u);  // L1 hit for stage 1, L2 for stage 2
}

TEST(PerStage, StageOneEntryMeetsANewStageTwoEntry) {
    TlbModel m(small_config(/*combined=*/false));
    const auto c = el10(0, 1, true);
    m.fill(c, tr2(0x1000, 0x234000, 0x80034000, 12, 21, 1), false);
    m.invalidate(TlbiOp::IPAS2E1, ipa_arg(0x200000), tlbi_ctx(1));
    EXPECT_FALSE(hits(m, c, 0x1000));  // the stage-1 entry alone does not translate
    // The hypervisor moved the 2MB block to 0xC0000000; a walk of another VA
    // in it brings the new stage-2 entry, which the old stage-1 entry uses.
    m.fill(c, tr2(0x5000, 0x3FF000, 0xC01FF000, 12, 21, 1), false);
    EXPECT_EQ(lookup_pa(m, c, 0x1abc), 0xC0034abcu);
    EXPECT_EQ(lookup_pa(m, c, 0x5008), 0xC01FF008u);
}

TEST(PerStage, StageOneDisabled) {
    TlbModel m(small_config(/*combined=*/false));
    auto c = el10(0, 1, true);
    c.s1 = false;
    Translation t;
    t.va = t.ipa = 0x40000000;
    t.pa = 0x80000000;
    t.size_log2 = t.s1_size_log2 = t.s2_size_log2 = 21;
    t.s2_enabled = true;
    t.vmid = 1;
    m.fill(c, t, false);
    EXPECT_EQ(lookup_pa(m, c, 0x40012344), 0x80012344u);
    m.invalidate(TlbiOp::IPAS2E1, ipa_arg(0x40010000), tlbi_ctx(1));
    EXPECT_FALSE(hits(m, c, 0x40012344));
}

// --- with the walker ---------------------------------------------------------------------------

struct TableMemory : DescriptorReader {
    std::map<uint64_t, uint64_t> words;
    bool read_descriptor(uint64_t pa, uint64_t& desc, bool) override {
        auto it = words.find(pa);
        desc = it == words.end() ? 0 : it->second;
        return true;
    }
};

// VALE1 leaves the walker's intermediate entries in use, VAE1 removes them.
TEST(WithWalker, LastLevelInvalidationKeepsIntermediateEntries) {
    TableMemory mem;
    // EL1&0, 4KB granule, 48-bit VA (start level 0), TTBR1 walks disabled.
    TranslationRegs regs;
    regs.regime = Regime::EL10;
    regs.sctlr = 1;
    regs.tcr = 16 | (1ull << 23) | (5ull << 32);  // T0SZ 16, EPD1, IPS 48 bits
    regs.mair = 0xFF;
    regs.ttbr0 = 0x10000 | (7ull << 48);  // ASID 7
    mem.words[0x10000] = 0x11000 | kTable;  // level 0
    mem.words[0x11000] = 0x12000 | kTable;  // level 1
    mem.words[0x12000] = 0x13000 | kTable;  // level 2
    mem.words[0x13008] = 0x80001000 | (1u << 10) | (1u << 11) | 0x3;  // level 3 page, AF, nG
    TlbModel m(small_config());
    const TlbContext c = make_tlb_context(regs);
    ASSERT_EQ(c.asid, 7);
    auto do_walk = [&] { return walk(regs, 0x1234, AccessType::Read, mem, &m.walk_cache(c)); };

    WalkResult w = do_walk();
    ASSERT_FALSE(w.fault);
    EXPECT_EQ(w.record.walk_cache_hits, 0);
    EXPECT_EQ(m.stats().s1_walk.fills, 3u);
    m.fill(c, w.t, false);
    EXPECT_EQ(lookup_pa(m, c, 0x1234), 0x80001234u);

    // The guest moves its level-3 table and invalidates the last level only:
    // the stale level-2 entry still leads the walk to the old table.
    mem.words[0x12000] = 0x14000 | kTable;
    mem.words[0x14008] = 0x90001000 | (1u << 10) | (1u << 11) | 0x3;
    m.invalidate(TlbiOp::VALE1, va_arg(0x1000, 7), tlbi_ctx());
    EXPECT_FALSE(hits(m, c, 0x1234));
    w = do_walk();
    ASSERT_FALSE(w.fault);
    EXPECT_EQ(w.record.walk_cache_hits, 3);
    EXPECT_EQ(w.t.pa, 0x80001000u);  // stale
    // VAE1 removes the intermediate entries too.
    m.invalidate(TlbiOp::VAE1, va_arg(0x1000, 7), tlbi_ctx());
    w = do_walk();
    ASSERT_FALSE(w.fault);
    EXPECT_EQ(w.record.walk_cache_hits, 0);
    EXPECT_EQ(w.t.pa, 0x90001000u);
}

// --- context from registers -----------------------------------------------------------------

TEST(TlbContextFromRegs, AsidVmidAndStages) {
    TranslationRegs r;
    r.regime = Regime::EL10;
    r.sctlr = 1;
    r.tcr = (1ull << 22) | (1ull << 36);  // A1: the ASID of TTBR1; AS: 16-bit ASIDs
    r.ttbr0 = 0x0011ull << 48;
    r.ttbr1 = 0x1234ull << 48;
    r.hcr = 1;  // VM
    r.vttbr = 0xAB05ull << 48;  // VMID 8 bits
    TlbContext c = make_tlb_context(r);
    EXPECT_EQ(c.asid, 0x1234);
    EXPECT_EQ(c.vmid, 0x05);
    EXPECT_TRUE(c.s1);
    EXPECT_TRUE(c.s2);
    r.tcr = 0;  // A0, 8-bit ASID
    r.hcr = 1ull << 12;  // DC: stage 1 off, stage 2 on
    c = make_tlb_context(r);
    EXPECT_EQ(c.asid, 0x11);
    EXPECT_FALSE(c.s1);
    EXPECT_TRUE(c.s2);
    r.hcr = 1ull << 27;  // TGE: stage 1 off
    c = make_tlb_context(r);
    EXPECT_FALSE(c.s1);
    EXPECT_FALSE(c.s2);
    r.hcr = 0;  // EL2 not enabled: hcr and vttbr 0
    r.vttbr = 0;
    c = make_tlb_context(r);
    EXPECT_EQ(c.vmid, 0);
    EXPECT_FALSE(c.s2);
    EXPECT_TRUE(c.s1);
    r.regime = Regime::EL2;
    r.vttbr = 0xAB05ull << 48;
    c = make_tlb_context(r);
    EXPECT_EQ(c.asid, 0);
    EXPECT_EQ(c.vmid, 0);
    EXPECT_FALSE(c.s2);
}

}  // namespace
