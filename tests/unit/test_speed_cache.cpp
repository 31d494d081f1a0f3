// The core's speed cache is transparent: the same program, run with it on
// and forced off (CoreConfig::speed_cache), gives the same TLB statistics,
// cache statistics and cycle count (models/cpu/README.md, "Memory path").
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "core_harness.h"
#include "models/cache/hierarchy.h"

namespace hvsim::test {
namespace {

constexpr uint64_t kBase = CoreHarness::kRamBase;
constexpr uint64_t kL1Table = kBase + 0x80000, kL2Table = kBase + 0x81000, kL3Table = kBase + 0x82000;
constexpr unsigned kFirstDataPage = 64, kDataPages = 24;
constexpr unsigned kFirstNcPage = 80, kNcPages = 4;  // Normal Non-cacheable (MAIR attribute 2)

uint32_t movz(unsigned rd, unsigned imm16, unsigned hw) { return 0xD2800000u | hw << 21 | imm16 << 5 | rd; }
uint32_t movk(unsigned rd, unsigned imm16, unsigned hw) { return 0xF2800000u | hw << 21 | imm16 << 5 | rd; }
uint32_t ldr_x(unsigned rt, unsigned rn, unsigned off) { return 0xF9400000u | (off / 8) << 10 | rn << 5 | rt; }
uint32_t str_x(unsigned rt, unsigned rn, unsigned off) { return 0xF9000000u | (off / 8) << 10 | rn << 5 | rt; }
uint32_t ldrb_w(unsigned rt, unsigned rn, unsigned off) { return 0x39400000u | off << 10 | rn << 5 | rt; }
uint32_t tlbi_vae1(unsigned rt) { return 0xD5088720u | rt; }
constexpr uint32_t kBranchToSelf = 0x14000000u;

struct Outcome {
    mmu::TlbStats tlb;
    cpu::MmuStats mmu;
    uint64_t cycles = 0, insns = 0, l1d_hits = 0, l1d_misses = 0, l1i_hits = 0;
    std::string hierarchy;
    unsigned data_accesses = 0;
    uint64_t code_bytes = 0;
};

// A program of loads and stores over kDataPages pages (more than the L1D
// TLB holds), hot pages more often than cold ones, with a few TLBI VAE1;
// about three code pages long.
std::vector<uint32_t> program(unsigned& accesses) {
    std::vector<uint32_t> p;
    uint64_t rng = 0x12345678;
    accesses = 0;
    for (unsigned i = 0; i < 700; ++i) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        const unsigned r = unsigned(rng >> 33);
        const unsigned page = kFirstDataPage + (r % 4 < 3 ? r % 6 : (r >> 4) % kDataPages);
        const uint64_t va = kBase + uint64_t(page) * 0x1000;
        p.push_back(movz(2, unsigned(va & 0xFFFF), 0));
        p.push_back(movk(2, unsigned((va >> 16) & 0xFFFF), 1));
        const unsigned off = ((r >> 8) % 500) * 8;
        switch ((r >> 12) % 4) {
        case 0: p.push_back(str_x(4, 2, off)); break;
        case 1: p.push_back(ldrb_w(5, 2, off + 3)); break;
        default: p.push_back(ldr_x(4, 2, off)); break;
        }
        ++accesses;
        if (i % 97 == 96) {
            p.push_back(movz(6, unsigned(va >> 12) & 0xFFFF, 0));
            p.push_back(movk(6, unsigned(va >> 28) & 0xFFFF, 1));
            p.push_back(tlbi_vae1(6));
        }
    }
    p.push_back(kBranchToSelf);
    return p;
}

Outcome run_program(bool speed_cache, bool caches) {
    FlatRam ram{kBase, CoreHarness::kRamSize};
    cpu::SystemHooks hooks;
    cpu::DecodeCache dcache;
    cpu::GlobalMonitor monitor;
    cpu::CoreConfig cfg;
    cfg.speed_cache = speed_cache;
    cfg.tlb.l1i.hit_latency = 1;
    cfg.tlb.l1d.hit_latency = 1;
    cfg.caches.cores_per_cluster = 1;
    std::unique_ptr<cache::Hierarchy> h;
    if (caches)
        h = std::make_unique<cache::Hierarchy>(cfg.caches, 1, [&ram](uint64_t pa) -> uint8_t* {
            return ram.contains(pa, 1) ? ram.host(pa) : nullptr;
        });
    cpu::Core core{cfg, ram, hooks, dcache, monitor};
    core.reset(kBase, 1);
    core.set_caches(h.get());

    // Identity map of the RAM with 4 KB pages: 39-bit VAs, levels 1 to 3.
    auto put = [&](uint64_t pa, uint64_t v) { std::memcpy(ram.host(pa), &v, 8); };
    put(kL1Table + 8 * (kBase >> 30), kL2Table | 3);
    put(kL2Table + 8 * ((kBase >> 21) & 511), kL3Table | 3);
    for (unsigned i = 0; i < CoreHarness::kRamSize / 0x1000; ++i) {
        const bool nc = i >= kFirstNcPage && i < kFirstNcPage + kNcPages;
        const uint64_t attr = (nc ? 2u : 0u) << 2 | 3u << 8 | 1u << 10;  // AttrIndx, Inner Shareable, AF
        put(kL3Table + 8 * i, (kBase + uint64_t(i) * 0x1000) | attr | 3);
    }
    Outcome out;
    const std::vector<uint32_t> p = program(out.data_accesses);
    std::memcpy(ram.host(kBase), p.data(), p.size() * 4);
    const uint64_t end = kBase + (p.size() - 1) * 4;
    out.code_bytes = p.size() * 4;

    using cpu::SR;
    core.sr(SR::MAIR_EL1) = 0xFF | 0x00ull << 8 | 0x44ull << 16;
    core.sr(SR::TCR_EL1) = 25 | 1u << 8 | 1u << 10 | 3u << 12 | 1u << 23 | 5ull << 32;  // T0SZ, WBWA, ISH, EPD1, IPS
    core.sr(SR::TTBR0_EL1) = kL1Table;
    core.sr(SR::SCTLR_EL1) |= 1 | 1u << 2 | 1u << 12;  // M, C, I
    core.on_translation_change();

    while (core.st.pc != end && core.cycles() < 10'000'000) core.run(core.cycles() + 1000);
    EXPECT_EQ(core.st.pc, end);
    out.tlb = core.tlb().stats();
    out.mmu = core.mmu_stats();
    out.cycles = core.cycles();
    out.insns = core.instructions();
    if (h) out.hierarchy = h->stats_json().dump();
    return out;
}

void expect_same(const mmu::TlbStructStats& a, const mmu::TlbStructStats& b, const char* what) {
    EXPECT_EQ(a.hits, b.hits) << what;
    EXPECT_EQ(a.misses, b.misses) << what;
    EXPECT_EQ(a.fills, b.fills) << what;
    EXPECT_EQ(a.evictions, b.evictions) << what;
    EXPECT_EQ(a.invalidated, b.invalidated) << what;
}

void expect_transparent(bool caches) {
    const Outcome on = run_program(true, caches), off = run_program(false, caches);
    expect_same(on.tlb.l1i, off.tlb.l1i, "l1i");
    expect_same(on.tlb.l1d, off.tlb.l1d, "l1d");
    expect_same(on.tlb.l2, off.tlb.l2, "l2");
    expect_same(on.tlb.s1_walk, off.tlb.s1_walk, "s1_walk");
    EXPECT_EQ(on.tlb.tlbi, off.tlb.tlbi);
    EXPECT_EQ(on.tlb.tlbi_removed, off.tlb.tlbi_removed);
    EXPECT_EQ(on.mmu.walks, off.mmu.walks);
    EXPECT_EQ(on.mmu.walk_reads, off.mmu.walk_reads);
    EXPECT_EQ(on.mmu.tlb_cycles, off.mmu.tlb_cycles);
    EXPECT_EQ(on.mmu.walk_cycles, off.mmu.walk_cycles);
    EXPECT_EQ(on.cycles, off.cycles);
    EXPECT_EQ(on.insns, off.insns);
    EXPECT_EQ(on.hierarchy, off.hierarchy);
    // Every load and store is one L1D TLB lookup, whatever served it.
    EXPECT_EQ(on.tlb.l1d.hits + on.tlb.l1d.misses, on.data_accesses);
    // More pages than the L1D TLB holds: the replacement order matters.
    EXPECT_GT(on.tlb.l1d.evictions, 0u);
    EXPECT_GT(on.tlb.tlbi_removed[unsigned(mmu::TlbiOp::VAE1)], 0u);
}

TEST(SpeedCache, TransparentToTheTlbWithoutCaches) { expect_transparent(false); }

TEST(SpeedCache, TransparentToTheTlbAndCaches) {
    expect_transparent(true);
    // With a cache model fetch is per L1I line: one L1I TLB lookup per line
    // entered (straight-line code: every line once, plus the refetches after
    // the TLBIs and the MMU enable).
    const Outcome on = run_program(true, true);
    const uint64_t lines = (on.code_bytes + 63) / 64;
    EXPECT_GE(on.tlb.l1i.hits + on.tlb.l1i.misses, lines);
    EXPECT_LE(on.tlb.l1i.hits + on.tlb.l1i.misses, lines + 16);
}

}  // namespace
}  // namespace hvsim::test
