// Unit tests of the cache hierarchy (models/cache/hierarchy.h) over a small
// fake DRAM: MESI snooping between L1Ds and L2s, data movement on evictions,
// every CMO (by VA, by set/way stopping short of the SLC, IC), the
// non-coherent instruction side, accesses around the caches, the coherency
// checker's four hazards, the ID registers and the statistics.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "models/cache/coherency_checker.h"
#include "models/cache/hierarchy.h"

namespace {

using namespace hvsim::cache;

constexpr uint64_t kRam = 1 << 20;
// Line-aligned, and set 0 of every cache in small_config().
constexpr uint64_t A = 0x10000;
constexpr uint64_t B = 0x20040;  // another line, another set everywhere

// L1I and L1D: 1 KiB, 2 ways, 8 sets (lines 512 bytes apart share a set);
// L2: 4 KiB, 4 ways, 16 sets (1 KiB apart); SLC: 16 KiB, 4 ways, 64 sets
// (4 KiB apart). LRU everywhere so that evictions are predictable.
HierarchyConfig small_config(unsigned cores_per_cluster = 2) {
    HierarchyConfig c;
    c.l1i = {true, 1024, 2, 64, Replacement::Lru, 1, true};
    c.l1d = {true, 1024, 2, 64, Replacement::Lru, 2, true};
    c.l2 = {true, 4096, 4, 64, Replacement::Lru, 10, true};
    c.slc = {true, 16384, 4, 64, Replacement::Lru, 30, true};
    c.cores_per_cluster = cores_per_cluster;
    c.dram_latency = 100;
    c.snoop_latency = 5;
    c.setway_line_cost = 1;
    return c;
}
constexpr uint32_t kL1 = 2, kL2 = 10, kSlc = 30, kDram = 100, kSnoop = 5;

Who who(unsigned core) { return Who{0, core, 0x1000}; }

// A hierarchy over a vector of bytes standing for DRAM at PA 0.
struct Sys {
    std::vector<uint8_t> mem;
    Hierarchy h;
    explicit Sys(const HierarchyConfig& c = small_config(), unsigned cores = 4)
        : mem(kRam, 0), h(c, cores, [this](uint64_t pa) -> uint8_t* { return pa < mem.size() ? &mem[pa] : nullptr; }) {
        EXPECT_EQ(c.check(), "");
    }
    Sys(const Sys&) = delete;

    uint64_t rd(unsigned core, uint64_t pa, uint32_t* lat = nullptr) {
        uint64_t v = 0;
        const uint32_t l = h.read(core, pa, &v, 8, who(core));
        if (lat) *lat = l;
        return v;
    }
    uint32_t wr(unsigned core, uint64_t pa, uint64_t v) { return h.write(core, pa, &v, 8, who(core)); }
    uint64_t dram(uint64_t pa) const {
        uint64_t v;
        std::memcpy(&v, &mem[pa], 8);
        return v;
    }
    void set_dram(uint64_t pa, uint64_t v) { std::memcpy(&mem[pa], &v, 8); }
    uint64_t around(uint64_t pa) {
        uint64_t v = 0;
        h.dram_read(pa, &v, 8, Who{0, Who::kNoCore, 0});
        return v;
    }
    Cache& cache(const std::string& name) {
        for (Cache* c : h.all_caches())
            if (c->name() == name) return *c;
        throw std::runtime_error("no cache " + name);
    }
    State state(const std::string& name, uint64_t pa) {
        const Line* l = cache(name).find(pa);
        return l ? l->state : State::Invalid;
    }
    // The 8 bytes at `pa` in that cache's copy (the line must be there).
    uint64_t copy(const std::string& name, uint64_t pa) {
        Cache& c = cache(name);
        const Line* l = c.find(pa);
        EXPECT_NE(l, nullptr) << name << " holds no copy of " << std::hex << pa;
        uint64_t v = 0;
        if (l) std::memcpy(&v, c.data(l) + (pa - c.line_of(pa)), 8);
        return v;
    }
    std::vector<uint8_t> fetch(unsigned core, uint64_t pa, bool* flagged = nullptr, bool cacheable = true) {
        const Hierarchy::Fetch f = h.fetch(core, pa, cacheable, who(core));
        if (flagged) *flagged = f.flagged;
        return std::vector<uint8_t>(f.line, f.line + h.line_bytes());
    }
    uint64_t fetch64(unsigned core, uint64_t pa, bool* flagged = nullptr) {
        const std::vector<uint8_t> l = fetch(core, pa, flagged);
        uint64_t v;
        std::memcpy(&v, &l[pa - h.line_of(pa)], 8);
        return v;
    }
    uint32_t dc(unsigned core, CmoKind k, uint64_t pa) { return h.dc_va(core, k, pa, who(core)); }
    nlohmann::json stats() const { return h.stats_json(); }
};

unsigned log2u(uint64_t v) {
    unsigned r = 0;
    while ((1ull << r) < v) ++r;
    return r;
}
// The DC *SW operand: way in the top log2(ways) bits, set above the line
// offset, level - 1 in [3:1] (Arm ARM D7.4.8 / C5.3 "DC CSW").
uint64_t setway(unsigned level, uint32_t set, uint32_t way, uint32_t ways, uint32_t line) {
    const unsigned a = log2u(ways);
    return (a ? uint64_t(way) << (32 - a) : 0) | (uint64_t(set) << log2u(line)) | (uint64_t(level - 1) << 1);
}
// The operand naming the line that holds `pa` in `c` at `level`.
uint64_t setway_of(Cache& c, unsigned level, uint64_t pa) {
    const Line* l = c.find(pa);
    EXPECT_NE(l, nullptr);
    return setway(level, c.set_of(pa), l ? c.way_of(l) : 0, c.ways(), c.line_bytes());
}
// What software does: every set and way of every data or unified level
// that CLIDR_EL1 reports up to LoC, geometry from CCSIDR_EL1.
void setway_all(Sys& s, unsigned core, CmoKind k) {
    const uint64_t clidr = s.h.clidr();
    const unsigned loc = (clidr >> 24) & 7;
    for (unsigned level = 1; level <= loc; ++level) {
        const unsigned ctype = (clidr >> (3 * (level - 1))) & 7;
        if (ctype < 2) continue;  // no cache, or instruction only
        const uint64_t ccsidr = s.h.ccsidr(uint64_t(level - 1) << 1);
        const uint32_t line = 16u << (ccsidr & 7), ways = uint32_t((ccsidr >> 3) & 0x3FF) + 1,
                       sets = uint32_t((ccsidr >> 13) & 0x7FFF) + 1;
        for (uint32_t set = 0; set < sets; ++set)
            for (uint32_t way = 0; way < ways; ++way) s.h.dc_setway(core, k, setway(level, set, way, ways, line), who(core));
    }
}

// ---- coherence --------------------------------------------------------------

TEST(Coherence, ReadMissAloneIsExclusive) {
    Sys s;
    s.set_dram(A, 0x1111);
    uint32_t lat = 0;
    EXPECT_EQ(s.rd(0, A, &lat), 0x1111u);
    EXPECT_EQ(lat, kL1 + kL2 + kSlc + kDram);
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Exclusive);
    EXPECT_EQ(s.state("cluster0.l2", A), State::Exclusive);
    EXPECT_EQ(s.state("slc", A), State::Exclusive);
    EXPECT_EQ(s.rd(0, A + 8, &lat), 0u);
    EXPECT_EQ(lat, kL1);
}

TEST(Coherence, ReadMissWithAPeerCopyIsShared) {
    Sys s;  // 4 cores, 2 per cluster
    s.set_dram(A, 0x2222);
    s.rd(0, A);
    uint32_t lat = 0;
    // Same cluster: the peer L1D is snooped, the data comes from the L2.
    EXPECT_EQ(s.rd(1, A, &lat), 0x2222u);
    EXPECT_EQ(lat, kL1 + kSnoop + kL2);
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Shared);
    EXPECT_EQ(s.state("cpu1.l1d", A), State::Shared);
    // Other cluster: its L2 misses and reads the SLC.
    EXPECT_EQ(s.rd(2, A, &lat), 0x2222u);
    EXPECT_EQ(lat, kL1 + kSnoop + kL2 + kSlc);
    EXPECT_EQ(s.state("cpu2.l1d", A), State::Shared);
    EXPECT_EQ(s.state("cluster1.l2", A), State::Shared);
    EXPECT_EQ(s.state("cluster0.l2", A), State::Shared);
}

TEST(Coherence, WriteAllocateFillsModified) {
    Sys s;
    s.set_dram(A, 0x1234);
    EXPECT_EQ(s.wr(0, A + 8, 0x55), kL1 + kL2 + kSlc + kDram);
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Modified);
    // The rest of the line came from memory; memory and the lower levels
    // keep the old bytes.
    EXPECT_EQ(s.copy("cpu0.l1d", A), 0x1234u);
    EXPECT_EQ(s.copy("cpu0.l1d", A + 8), 0x55u);
    EXPECT_EQ(s.state("cluster0.l2", A), State::Exclusive);
    EXPECT_EQ(s.copy("cluster0.l2", A + 8), 0u);
    EXPECT_EQ(s.dram(A + 8), 0u);
    // A second write hits.
    EXPECT_EQ(s.wr(0, A + 16, 0x66), kL1);
}

TEST(Coherence, WriteToSharedInvalidatesPeers) {
    Sys s;
    s.rd(0, A);
    s.rd(1, A);
    s.rd(2, A);
    ASSERT_EQ(s.state("cluster1.l2", A), State::Shared);
    EXPECT_EQ(s.wr(1, A, 0xBEEF), kL1 + kSnoop);
    EXPECT_EQ(s.state("cpu1.l1d", A), State::Modified);
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Invalid);
    EXPECT_EQ(s.state("cpu2.l1d", A), State::Invalid);
    EXPECT_EQ(s.state("cluster1.l2", A), State::Invalid);
    EXPECT_EQ(s.cache("cpu0.l1d").stats.invalidations, 1u);
    EXPECT_EQ(s.cache("cpu2.l1d").stats.invalidations, 1u);
    // Another write to the now unique line needs no snoop.
    EXPECT_EQ(s.wr(1, A + 8, 1), kL1);
    EXPECT_EQ(s.rd(3, A), 0xBEEFu);
    EXPECT_EQ(s.rd(0, A + 8), 1u);
}

TEST(Coherence, WriteToExclusiveNeedsNoSnoop) {
    Sys s;
    s.rd(0, A);
    EXPECT_EQ(s.wr(0, A, 7), kL1);
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Modified);
    EXPECT_EQ(s.cache("cpu1.l1d").stats.snoops, 1u);  // from the read only
}

// A read of a line another core holds Modified: the reader gets the new
// data, both end Shared, the data is written back into the owner's L2 (the
// owner's cluster keeps it dirty; memory is not written).
struct ModifiedCase {
    unsigned cores, per_cluster, reader;
};
class ReadOfModified : public ::testing::TestWithParam<ModifiedCase> {};

TEST_P(ReadOfModified, SharesTheNewDataAndWritesItBackToTheOwnersL2) {
    const ModifiedCase p = GetParam();
    Sys s(small_config(p.per_cluster), p.cores);
    s.set_dram(A, 0x01d);
    s.wr(0, A, 0x4e3);
    uint32_t lat = 0;
    EXPECT_EQ(s.rd(p.reader, A, &lat), 0x4e3u);
    EXPECT_EQ(lat, kL1 + kSnoop);  // the owner supplied the line
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Shared);
    EXPECT_EQ(s.state(fmt::format("cpu{}.l1d", p.reader), A), State::Shared);
    EXPECT_EQ(s.copy("cluster0.l2", A), 0x4e3u);
    const unsigned rc = p.reader / p.per_cluster;
    if (rc == 0) {
        // Same cluster: the L2 holds the only dirty copy under two Shared L1s.
        EXPECT_EQ(s.state("cluster0.l2", A), State::Modified);
        EXPECT_NE(s.state("slc", A), State::Modified);
    } else {
        // Another cluster also snoops the owner's L2, which then cleans its
        // new dirty copy into the SLC before sharing it; the reader's L2
        // is not filled (the data came from a peer).
        EXPECT_EQ(s.state("cluster0.l2", A), State::Shared);
        EXPECT_EQ(s.state("slc", A), State::Modified);
        EXPECT_EQ(s.copy("slc", A), 0x4e3u);
        EXPECT_EQ(s.state(fmt::format("cluster{}.l2", rc), A), State::Invalid);
    }
    EXPECT_EQ(s.dram(A), 0x01du);

    // The reader writes: the owner's copies go, including the dirty L2 one
    // (it holds the data the reader has), and the owner reads the new value.
    s.wr(p.reader, A, 0x5e4);
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Invalid);
    if (rc != 0) {
        EXPECT_EQ(s.state("cluster0.l2", A), State::Invalid);
    }
    EXPECT_EQ(s.rd(0, A), 0x5e4u);
    EXPECT_EQ(s.dram(A), 0x01du);
    // A clean to PoC from any core brings memory up to date.
    s.dc(0, CmoKind::CVAC, A);
    EXPECT_EQ(s.dram(A), 0x5e4u);
}

INSTANTIATE_TEST_SUITE_P(Clusters, ReadOfModified,
                         ::testing::Values(ModifiedCase{2, 1, 1},   // two clusters of one core
                                           ModifiedCase{4, 2, 1},   // same cluster
                                           ModifiedCase{4, 2, 3})); // other cluster

TEST(Coherence, WriteMissTakesTheDirtyLineFromAnotherCluster) {
    Sys s;
    s.wr(0, A, 0xAAAA);
    s.wr(2, A + 8, 0xBBBB);
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Invalid);
    EXPECT_EQ(s.state("cpu2.l1d", A), State::Modified);
    EXPECT_EQ(s.copy("cpu2.l1d", A), 0xAAAAu);
    EXPECT_EQ(s.copy("cpu2.l1d", A + 8), 0xBBBBu);
    EXPECT_EQ(s.rd(1, A), 0xAAAAu);
    EXPECT_EQ(s.rd(0, A + 8), 0xBBBBu);
}

TEST(Coherence, DirtyInAnotherClustersL2IsFound) {
    Sys s;
    s.wr(0, A, 0x77);
    s.dc(0, CmoKind::CVAU, A);  // L1 clean, cluster0's L2 dirty
    ASSERT_EQ(s.state("cluster0.l2", A), State::Modified);
    ASSERT_EQ(s.state("cpu0.l1d", A), State::Exclusive);
    EXPECT_EQ(s.rd(3, A), 0x77u);
    EXPECT_EQ(s.state("cpu3.l1d", A), State::Shared);
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Shared);
    // The snooped dirty L2 copy went down to the SLC before being shared.
    EXPECT_EQ(s.state("cluster0.l2", A), State::Shared);
    EXPECT_EQ(s.state("slc", A), State::Modified);
    EXPECT_EQ(s.copy("slc", A), 0x77u);
    EXPECT_EQ(s.dram(A), 0u);
}

// ---- evictions ----------------------------------------------------------------

TEST(Evictions, DirtyL1LineLandsInL2) {
    Sys s;
    s.wr(0, A, 0xA1);
    s.wr(0, A + 512, 0xA2);   // same L1 set
    s.wr(0, A + 1024, 0xA3);  // evicts A (least recently used)
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Invalid);
    Cache& l1 = s.cache("cpu0.l1d");
    EXPECT_EQ(l1.stats.evictions, 1u);
    EXPECT_EQ(l1.stats.writebacks, 1u);
    EXPECT_EQ(s.state("cluster0.l2", A), State::Modified);
    EXPECT_EQ(s.copy("cluster0.l2", A), 0xA1u);
    EXPECT_EQ(s.dram(A), 0u);
    uint32_t lat = 0;
    EXPECT_EQ(s.rd(0, A, &lat), 0xA1u);
    // The refill from the L2, then waiting for the dirty victim (A + 512)
    // to be written into the L2.
    EXPECT_EQ(lat, kL1 + kL2 + kL2);
    // That refill pushed out A + 512, dirty too.
    EXPECT_EQ(l1.stats.evictions, 2u);
    EXPECT_EQ(l1.stats.writebacks, 2u);
    EXPECT_EQ(s.copy("cluster0.l2", A + 512), 0xA2u);
}

TEST(Evictions, WholeLineWriteTakesOwnershipWithoutReading) {
    Sys s;
    s.set_dram(A, 0x1111);
    s.rd(1, A);  // core 1 holds a copy
    const std::vector<uint8_t> zeros(64, 0);
    const uint64_t slc_misses = s.cache("slc").stats.misses;
    const uint32_t lat = s.h.write(0, A, zeros.data(), 64, who(0));
    // No level below the L1 was read (no new SLC lookup), the peer's copy
    // is gone, and the line is Modified with the new bytes.
    EXPECT_EQ(s.cache("slc").stats.misses, slc_misses);
    EXPECT_EQ(s.cache("cluster0.l2").stats.hits + s.cache("cluster0.l2").stats.misses, 1u);
    EXPECT_EQ(lat, kL1 + kSnoop);
    EXPECT_EQ(s.state("cpu1.l1d", A), State::Invalid);
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Modified);
    EXPECT_EQ(s.copy("cpu0.l1d", A), 0u);
    EXPECT_EQ(s.dram(A), 0x1111u);
}

TEST(Evictions, CleanL1LineLeavesWithoutWriteback) {
    Sys s;
    s.rd(0, A);
    s.rd(0, A + 512);
    s.rd(0, A + 1024);
    Cache& l1 = s.cache("cpu0.l1d");
    EXPECT_EQ(l1.stats.evictions, 1u);
    EXPECT_EQ(l1.stats.writebacks, 0u);
    EXPECT_EQ(s.state("cluster0.l2", A), State::Exclusive);
}

TEST(Evictions, DirtyL2LineLandsInSlc) {
    Sys s;
    s.wr(0, A, 0xB1);
    s.dc(0, CmoKind::CVAU, A);  // the dirty data now in the L2
    ASSERT_EQ(s.state("cluster0.l2", A), State::Modified);
    // Four more lines in L2 set 0 (1 KiB apart) push A out of the 4 ways.
    for (uint64_t k = 1; k <= 4; ++k) s.rd(0, A + k * 1024);
    EXPECT_EQ(s.state("cluster0.l2", A), State::Invalid);
    Cache& l2 = s.cache("cluster0.l2");
    EXPECT_EQ(l2.stats.evictions, 1u);
    EXPECT_EQ(l2.stats.writebacks, 1u);
    EXPECT_EQ(s.state("slc", A), State::Modified);
    EXPECT_EQ(s.copy("slc", A), 0xB1u);
    EXPECT_EQ(s.dram(A), 0u);
    uint32_t lat = 0;
    EXPECT_EQ(s.rd(1, A, &lat), 0xB1u);
    EXPECT_EQ(lat, kL1 + kL2 + kSlc);
}

TEST(Evictions, DirtySlcLineLandsInDram) {
    Sys s;
    s.wr(0, A, 0xC1);
    // L1 then L2 by set/way: the dirty line ends in the SLC.
    s.h.dc_setway(0, CmoKind::CSW, setway_of(s.cache("cpu0.l1d"), 1, A), who(0));
    s.h.dc_setway(0, CmoKind::CSW, setway_of(s.cache("cluster0.l2"), 2, A), who(0));
    ASSERT_EQ(s.state("slc", A), State::Modified);
    // Lines 4 KiB apart share SLC set 0; LRU takes A after four of them.
    for (uint64_t k = 1; k <= 4; ++k) s.rd(1, A + k * 4096);
    EXPECT_EQ(s.state("slc", A), State::Invalid);
    EXPECT_EQ(s.cache("slc").stats.writebacks, 1u);
    EXPECT_EQ(s.dram(A), 0xC1u);
    EXPECT_EQ(s.stats()["dram"]["line_writes"], 1u);
}

TEST(Evictions, DataSurvivesAnyAmountOfEviction) {
    // 64 KiB of lines (four times everything) written by one core, read by
    // another in the other cluster.
    Sys s;
    for (uint64_t pa = 0; pa < 0x10000; pa += 64) s.wr(0, pa, pa * 3 + 1);
    for (uint64_t pa = 0; pa < 0x10000; pa += 64) ASSERT_EQ(s.rd(3, pa), pa * 3 + 1) << std::hex << pa;
    EXPECT_GT(s.cache("slc").stats.writebacks, 0u);
    // Whatever left the SLC is in DRAM.
    for (uint64_t pa = 0; pa < 0x10000; pa += 64)
        if (s.state("slc", pa) == State::Invalid && s.state("cluster0.l2", pa) == State::Invalid &&
            s.state("cpu0.l1d", pa) == State::Invalid) {
            ASSERT_EQ(s.dram(pa), pa * 3 + 1);
        }
}

// ---- data ---------------------------------------------------------------------

TEST(Data, OneCoreWritesAnotherReadsMemoryStaysOldUntilCleanToPoc) {
    Sys s;
    s.set_dram(B, 0x0DD);
    s.wr(2, B, 0xE7E7);
    EXPECT_EQ(s.rd(0, B), 0xE7E7u);
    EXPECT_EQ(s.rd(1, B), 0xE7E7u);
    EXPECT_EQ(s.dram(B), 0x0DDu);
    EXPECT_EQ(s.around(B), 0x0DDu);
    s.dc(1, CmoKind::CVAC, B);
    EXPECT_EQ(s.dram(B), 0xE7E7u);
    EXPECT_EQ(s.around(B), 0xE7E7u);
}

TEST(Data, DebugReadSeesTheNewestDebugWriteUpdatesEveryCopy) {
    Sys s;
    s.wr(0, A, 0x11);
    s.rd(2, A);
    uint64_t v = 0;
    s.h.debug_read(A, &v, 8);
    EXPECT_EQ(v, 0x11u);
    const uint64_t n = 0x22;
    s.h.debug_write(A, &n, 8);
    EXPECT_EQ(s.dram(A), 0x22u);
    EXPECT_EQ(s.rd(0, A), 0x22u);
    EXPECT_EQ(s.rd(2, A), 0x22u);
    EXPECT_EQ(s.copy("cluster0.l2", A), 0x22u);
}

// ---- CMOs by VA -----------------------------------------------------------------

TEST(CmoByVa, CvacWritesDramAndLeavesLinesClean) {
    Sys s;
    s.wr(0, A, 0xC0FFEE);
    EXPECT_EQ(s.dc(0, CmoKind::CVAC, A), kL1 + kL2 + kSlc + kDram);
    EXPECT_EQ(s.dram(A), 0xC0FFEEu);
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Exclusive);
    EXPECT_EQ(s.state("cluster0.l2", A), State::Exclusive);
    EXPECT_EQ(s.state("slc", A), State::Exclusive);
    EXPECT_EQ(s.copy("cluster0.l2", A), 0xC0FFEEu);
    EXPECT_EQ(s.copy("slc", A), 0xC0FFEEu);
    uint32_t lat = 0;
    EXPECT_EQ(s.rd(0, A, &lat), 0xC0FFEEu);
    EXPECT_EQ(lat, kL1);
    // A clean line costs the visit of each level only.
    EXPECT_EQ(s.dc(0, CmoKind::CVAC, A), kL1 + kL2 + kSlc);
    const nlohmann::json j = s.stats()["cmo"]["dc_cvac"];
    EXPECT_EQ(j["ops"], 2u);
    EXPECT_EQ(j["lines"], 6u);  // three copies, twice
    EXPECT_EQ(j["cycles"], 2u * (kL1 + kL2 + kSlc) + kDram);
}

TEST(CmoByVa, CivacInvalidatesEverywhere) {
    Sys s;
    s.wr(0, A, 0xC1C1);
    s.rd(2, A);  // cpu0 and cpu2 Shared, cluster0's L2 dirty
    s.dc(2, CmoKind::CIVAC, A);
    EXPECT_EQ(s.dram(A), 0xC1C1u);
    for (const char* c : {"cpu0.l1d", "cpu1.l1d", "cpu2.l1d", "cluster0.l2", "cluster1.l2", "slc"})
        EXPECT_EQ(s.state(c, A), State::Invalid) << c;
    uint32_t lat = 0;
    EXPECT_EQ(s.rd(0, A, &lat), 0xC1C1u);
    EXPECT_EQ(lat, kL1 + kL2 + kSlc + kDram);
}

TEST(CmoByVa, IvacDiscardsDirtyData) {
    Sys s;
    s.set_dram(A, 0x01D);
    s.wr(0, A, 0x9E3);
    s.dc(0, CmoKind::IVAC, A);
    for (const char* c : {"cpu0.l1d", "cluster0.l2", "slc"}) EXPECT_EQ(s.state(c, A), State::Invalid) << c;
    EXPECT_EQ(s.rd(0, A), 0x01Du);
    EXPECT_EQ(s.dram(A), 0x01Du);
}

TEST(CmoByVa, CvauCleansL1IntoL2NotDram) {
    Sys s;
    s.set_dram(A, 0x01D);
    s.wr(0, A, 0xCAFE);
    EXPECT_EQ(s.dc(1, CmoKind::CVAU, A), kL1 + kL2);  // issued by a peer: inner shareable
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Exclusive);
    EXPECT_EQ(s.state("cluster0.l2", A), State::Modified);
    EXPECT_EQ(s.copy("cluster0.l2", A), 0xCAFEu);
    EXPECT_NE(s.state("slc", A), State::Modified);
    EXPECT_EQ(s.dram(A), 0x01Du);
    EXPECT_EQ(s.stats()["cmo"]["dc_cvau"]["lines"], 1u);
}

TEST(CmoByVa, CvauWithoutL2GoesToTheSlc) {
    HierarchyConfig c = small_config();
    c.l2.enabled = false;
    Sys s(c);
    s.wr(0, A, 0xD0);
    s.dc(0, CmoKind::CVAU, A);
    EXPECT_EQ(s.state("slc", A), State::Modified);
    EXPECT_EQ(s.copy("slc", A), 0xD0u);
    EXPECT_EQ(s.dram(A), 0u);
}

// ---- CMOs by set/way ------------------------------------------------------------

TEST(CmoBySetWay, OperandEncodingPicksTheNamedLine) {
    Sys s;
    Cache& l1 = s.cache("cpu0.l1d");
    s.wr(0, A + 3 * 64, 1);     // set 3
    s.wr(0, A + 3 * 64 + 512, 2);  // set 3, the other way
    const Line* first = l1.find(A + 3 * 64);
    ASSERT_NE(first, nullptr);
    const uint32_t way = l1.way_of(first);
    // 2 ways: the way is bit 31; 64-byte lines: the set from bit 6.
    EXPECT_EQ(setway(1, 3, 1, 2, 64), (1ull << 31) | (3ull << 6));
    EXPECT_EQ(setway(2, 5, 3, 4, 64), (3ull << 30) | (5ull << 6) | (1ull << 1));
    s.h.dc_setway(0, CmoKind::CISW, setway(1, 3, way, 2, 64), who(0));
    EXPECT_EQ(l1.find(A + 3 * 64), nullptr);
    EXPECT_NE(l1.find(A + 3 * 64 + 512), nullptr);
    EXPECT_EQ(s.copy("cluster0.l2", A + 3 * 64), 1u);
}

TEST(CmoBySetWay, CleanStopsShortOfTheSlc) {
    // The scenario of issue 4: a clean by set/way of every level CLIDR_EL1
    // reports leaves the dirty data in the SLC, which DC *SW does not reach;
    // a read around the caches (MMU off) sees stale memory.
    Sys s;
    std::FILE* out = std::tmpfile();
    CoherencyChecker chk(out);
    s.h.set_checker(&chk);
    s.set_dram(A, 0x01D);
    s.wr(0, A, 0x9E3);

    s.h.dc_setway(0, CmoKind::CSW, setway_of(s.cache("cpu0.l1d"), 1, A), who(0));
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Exclusive);
    EXPECT_EQ(s.state("cluster0.l2", A), State::Modified);
    EXPECT_EQ(s.copy("cluster0.l2", A), 0x9E3u);
    EXPECT_EQ(chk.reports(Hazard::SetWayCleanStoppedAtSlc), 0u);

    s.h.dc_setway(0, CmoKind::CSW, setway_of(s.cache("cluster0.l2"), 2, A), who(0));
    EXPECT_EQ(s.state("cluster0.l2", A), State::Exclusive);
    EXPECT_EQ(s.state("slc", A), State::Modified);
    EXPECT_EQ(s.copy("slc", A), 0x9E3u);
    EXPECT_EQ(s.dram(A), 0x01Du);
    EXPECT_EQ(chk.reports(Hazard::SetWayCleanStoppedAtSlc), 1u);

    // Now as software does it: clean and invalidate every set and way of
    // every level up to LoC. Another cluster's dirty line is not touched.
    s.wr(0, A, 0xA11);
    s.wr(2, B, 0xB22);
    setway_all(s, 0, CmoKind::CISW);
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Invalid);
    EXPECT_EQ(s.state("cluster0.l2", A), State::Invalid);
    EXPECT_EQ(s.state("slc", A), State::Modified);
    EXPECT_EQ(s.copy("slc", A), 0xA11u);
    EXPECT_EQ(s.state("cpu2.l1d", B), State::Modified);
    EXPECT_EQ(chk.reports(Hazard::SetWayCleanStoppedAtSlc), 1u) << "once per line";
    EXPECT_EQ(s.around(A), 0x01Du);
    EXPECT_EQ(chk.reports(Hazard::StaleReadAroundCaches), 1u);
    // Cached reads still see the data (the SLC is coherent).
    EXPECT_EQ(s.rd(1, A), 0xA11u);
    // By VA to the Point of Coherency does reach memory.
    s.dc(0, CmoKind::CIVAC, A);
    EXPECT_EQ(s.around(A), 0xA11u);
    EXPECT_EQ(chk.reports(Hazard::StaleReadAroundCaches), 1u);

    // Set/way operations visited every line of L1 and L2.
    const nlohmann::json j = s.stats()["cmo"]["dc_cisw"];
    EXPECT_EQ(j["ops"], 8u * 2 + 16u * 4);
    EXPECT_EQ(j["ignored"], 0u);
    std::rewind(out);
    char buf[2048] = {};
    const size_t n = std::fread(buf, 1, sizeof buf - 1, out);
    EXPECT_NE(std::string(buf, n).find("setway-clean-stopped-at-slc line 0x10000"), std::string::npos) << buf;
    std::fclose(out);
}

TEST(CmoBySetWay, SlcInClidrIsStillIgnored) {
    HierarchyConfig c = small_config();
    c.slc_in_clidr = true;
    Sys s(c);
    s.wr(0, A, 0x5C);
    setway_all(s, 0, CmoKind::CISW);  // now also level 3: 64 sets x 4 ways
    EXPECT_EQ(s.state("slc", A), State::Modified);
    EXPECT_EQ(s.dram(A), 0u);
    EXPECT_EQ(s.stats()["cmo"]["dc_cisw"]["ignored"], 64u * 4);
}

TEST(CmoBySetWay, IswLosesDirtyData) {
    Sys s;
    s.set_dram(A, 0x01D);
    s.wr(0, A, 0xD1D);
    s.h.dc_setway(0, CmoKind::ISW, setway_of(s.cache("cpu0.l1d"), 1, A), who(0));
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Invalid);
    EXPECT_EQ(s.rd(0, A), 0x01Du);
    EXPECT_EQ(s.cache("cpu0.l1d").stats.writebacks, 0u);
}

TEST(CmoBySetWay, CswLeavesTheLineCisw_InvalidatesIt) {
    Sys s;
    s.wr(0, A, 0x1);
    const uint64_t op = setway_of(s.cache("cpu0.l1d"), 1, A);
    s.h.dc_setway(0, CmoKind::CSW, op, who(0));
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Exclusive);
    // A clean line: nothing to write.
    EXPECT_EQ(s.h.dc_setway(0, CmoKind::CSW, op, who(0)), 1u);
    s.h.dc_setway(0, CmoKind::CISW, op, who(0));
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Invalid);
    EXPECT_EQ(s.rd(0, A), 0x1u);
}

TEST(CmoBySetWay, LevelsNotPresentAreIgnoredAndCounted) {
    HierarchyConfig c = small_config();
    c.l2.enabled = false;
    Sys s(c);
    s.wr(0, A, 0x2);
    EXPECT_EQ(s.h.dc_setway(0, CmoKind::CSW, setway(2, 0, 0, 4, 64), who(0)), 1u);
    EXPECT_EQ(s.h.dc_setway(0, CmoKind::CSW, setway(3, 0, 0, 4, 64), who(0)), 1u);
    EXPECT_EQ(s.h.dc_setway(0, CmoKind::CSW, setway(7, 0, 0, 4, 64), who(0)), 1u);
    const nlohmann::json j = s.stats()["cmo"]["dc_csw"];
    EXPECT_EQ(j["ops"], 3u);
    EXPECT_EQ(j["ignored"], 3u);
    EXPECT_EQ(j["lines"], 0u);
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Modified);
    // Without an L2 an L1 clean by set/way goes to the SLC.
    s.h.dc_setway(0, CmoKind::CSW, setway_of(s.cache("cpu0.l1d"), 1, A), who(0));
    EXPECT_EQ(s.state("slc", A), State::Modified);
    EXPECT_EQ(s.dram(A), 0u);
}

TEST(CmoBySetWay, WithoutSlcTheL2CleanReachesDram) {
    HierarchyConfig c = small_config();
    c.slc.enabled = false;
    Sys s(c);
    CoherencyChecker chk(nullptr);
    s.h.set_checker(&chk);
    s.wr(0, A, 0x3);
    setway_all(s, 0, CmoKind::CSW);
    EXPECT_EQ(s.dram(A), 0x3u);
    EXPECT_EQ(s.around(A), 0x3u);
    EXPECT_EQ(chk.reports(), 0u);
}

// ---- the instruction side ------------------------------------------------------

TEST(Instructions, CodeWrittenThroughTheDataSideNeedsCvauAndIvau) {
    Sys s;
    s.set_dram(A, 0x0AD);
    EXPECT_EQ(s.fetch64(0, A), 0x0ADu);
    s.wr(0, A, 0x2E3);
    EXPECT_EQ(s.fetch64(0, A), 0x0ADu) << "stores do not update the L1I";
    s.h.ic(0, CmoKind::IVAU, A, who(0));
    EXPECT_EQ(s.fetch64(0, A), 0x0ADu) << "the refill reads the L2, not the L1D";
    s.dc(0, CmoKind::CVAU, A);
    EXPECT_EQ(s.fetch64(0, A), 0x0ADu) << "the L1I still holds the line";
    s.h.ic(0, CmoKind::IVAU, A, who(0));
    EXPECT_EQ(s.fetch64(0, A), 0x2E3u);
    EXPECT_EQ(s.dram(A), 0x0ADu);
}

TEST(Instructions, CodeWrittenInAnotherCluster) {
    Sys s;
    s.set_dram(A, 0x0AD);
    EXPECT_EQ(s.fetch64(3, A), 0x0ADu);
    s.wr(0, A, 0x2E3);
    s.dc(0, CmoKind::CVAU, A);
    s.h.ic(0, CmoKind::IVAU, A, who(0));  // broadcast to every L1I
    EXPECT_EQ(s.fetch64(3, A), 0x2E3u);
}

TEST(Instructions, CoherentInstructionSideSeesStoresAtOnce) {
    HierarchyConfig c = small_config();
    c.icache_coherent = true;
    Sys s(c);
    s.set_dram(A, 0x0AD);
    EXPECT_EQ(s.fetch64(1, A), 0x0ADu);
    s.wr(0, A, 0x2E3);
    EXPECT_EQ(s.fetch64(1, A), 0x2E3u);
    EXPECT_EQ(s.fetch64(0, A), 0x2E3u);
    // Written, never fetched: the fill snoops the data side.
    s.wr(2, B, 0x777);
    EXPECT_EQ(s.fetch64(0, B), 0x777u);
}

TEST(Instructions, CoherentFillLeavesNoUniqueDataCopy) {
    // With DIC = 1 an instruction fill is a coherent read: it snoops every
    // L1D, its own included, and a Unique copy becomes Shared (a dirty one is
    // written back to its L2 first), as for a data read. The next store must
    // then upgrade through the hierarchy, which invalidates the L1I copies;
    // the cores' store fast path only writes Exclusive or Modified lines.
    HierarchyConfig c = small_config();
    c.icache_coherent = true;
    Sys s(c);
    s.wr(0, A, 0x111);
    ASSERT_EQ(s.state("cpu0.l1d", A), State::Modified);
    EXPECT_EQ(s.fetch64(0, A), 0x111u);
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Shared);
    EXPECT_EQ(s.state("cluster0.l2", A), State::Modified);
    EXPECT_EQ(s.copy("cluster0.l2", A), 0x111u);
    s.rd(1, B);  // Exclusive
    s.fetch(2, B);
    EXPECT_EQ(s.state("cpu1.l1d", B), State::Shared);
    s.wr(0, A, 0x222);
    EXPECT_EQ(s.state("cpu0.l1i", A), State::Invalid);
    EXPECT_EQ(s.fetch64(0, A), 0x222u);
    EXPECT_EQ(s.dram(A), 0u);
}

TEST(Instructions, FillCallbackFiresOnFills) {
    Sys s;
    std::vector<std::pair<unsigned, uint64_t>> fills;
    s.h.on_icache_fill([&](unsigned core, uint64_t line) { fills.push_back({core, line}); });
    s.fetch(0, A + 0x10);
    EXPECT_EQ(fills, (std::vector<std::pair<unsigned, uint64_t>>{{0, A}}));
    s.fetch(0, A + 0x20);  // hit
    EXPECT_EQ(fills.size(), 1u);
    s.fetch(1, A);
    s.h.ic(0, CmoKind::IVAU, A, who(0));
    s.fetch(0, A);
    EXPECT_EQ(fills, (std::vector<std::pair<unsigned, uint64_t>>{{0, A}, {1, A}, {0, A}}));
    // Uncached fetches do not fill.
    s.fetch(0, B, nullptr, false);
    EXPECT_EQ(fills.size(), 3u);
}

TEST(Instructions, UncachedFetchReadsDram) {
    Sys s;
    s.set_dram(A, 0x0AD);
    s.fetch(0, A);
    s.set_dram(A, 0x0AE);
    const Hierarchy::Fetch f = s.h.fetch(0, A, false, who(0));
    uint64_t v;
    std::memcpy(&v, f.line, 8);
    EXPECT_EQ(v, 0x0AEu);
    EXPECT_EQ(f.latency, kDram);
    EXPECT_EQ(s.fetch64(0, A), 0x0ADu);  // the cached line is another matter
}

TEST(Instructions, IcMaintenanceScope) {
    Sys s;
    s.fetch(0, A);
    s.fetch(0, B);
    s.fetch(1, A);
    s.fetch(2, B);
    s.h.ic(0, CmoKind::IALLU, 0, who(0));  // this core only
    EXPECT_EQ(s.state("cpu0.l1i", A), State::Invalid);
    EXPECT_EQ(s.state("cpu0.l1i", B), State::Invalid);
    EXPECT_EQ(s.state("cpu1.l1i", A), State::Shared);
    s.fetch(0, A);
    s.h.ic(3, CmoKind::IVAU, A, who(3));  // every core, this line only
    EXPECT_EQ(s.state("cpu0.l1i", A), State::Invalid);
    EXPECT_EQ(s.state("cpu1.l1i", A), State::Invalid);
    EXPECT_EQ(s.state("cpu2.l1i", B), State::Shared);
    s.fetch(1, A);
    s.h.ic(0, CmoKind::IALLUIS, 0, who(0));  // every core
    for (unsigned c = 0; c < 4; ++c)
        for (uint64_t pa : {A, B}) EXPECT_EQ(s.state(fmt::format("cpu{}.l1i", c), pa), State::Invalid);
    const nlohmann::json j = s.stats()["cmo"];
    EXPECT_EQ(j["ic_iallu"]["lines"], 2u);
    EXPECT_EQ(j["ic_ivau"]["lines"], 2u);
    EXPECT_EQ(j["ic_ialluis"]["lines"], 2u);
}

// ---- around the caches and the checker ------------------------------------------

TEST(AroundTheCaches, DramReadIsStaleWhileADirtyCopyExists) {
    Sys s;  // no checker: no report, same data
    s.set_dram(A, 0x01D);
    s.wr(1, A, 0x9E3);
    EXPECT_EQ(s.around(A), 0x01Du);
    const uint64_t n = 0x123;
    s.h.dram_write(B, &n, 8, Who{});
    EXPECT_EQ(s.dram(B), 0x123u);
    EXPECT_EQ(s.state("cpu0.l1d", B), State::Invalid);
    const nlohmann::json d = s.stats()["dram"];
    EXPECT_EQ(d["around_reads"], 1u);
    EXPECT_EQ(d["around_writes"], 1u);
}

TEST(AroundTheCaches, StaleReadIsReportedOncePerLine) {
    Sys s;
    std::FILE* out = std::tmpfile();
    CoherencyChecker chk(out);
    s.h.set_checker(&chk);
    s.set_dram(A, 0x01D);
    s.wr(1, A, 0x9E3);
    // A read of bytes the dirty copy does not change is no hazard.
    uint64_t v = 0;
    s.h.dram_read(A + 32, &v, 8, Who{});
    EXPECT_EQ(chk.reports(), 0u);
    EXPECT_EQ(s.around(A), 0x01Du);
    EXPECT_EQ(s.around(A), 0x01Du);
    EXPECT_EQ(chk.reports(Hazard::StaleReadAroundCaches), 1u);
    EXPECT_EQ(chk.reports(), 1u);
    std::rewind(out);
    char buf[2048] = {};
    const size_t n = std::fread(buf, 1, sizeof buf - 1, out);
    const std::string text(buf, n);
    EXPECT_NE(text.find("hvsim: coherency: stale-read-around-caches line 0x10000"), std::string::npos) << text;
    EXPECT_NE(text.find("cpu1.l1d"), std::string::npos) << text;
    std::fclose(out);
}

TEST(AroundTheCaches, CachedReadUnderANewerWriteToMemory) {
    Sys s;
    CoherencyChecker chk(nullptr);
    s.h.set_checker(&chk);
    s.set_dram(A, 0x01D);
    EXPECT_EQ(s.rd(0, A), 0x01Du);
    const uint64_t n = 0x2E3;
    s.h.dram_write(A, &n, 8, Who{0, Who::kNoCore, 0});
    // The cached copy is not updated by a write around the caches.
    EXPECT_EQ(s.rd(0, A), 0x01Du);
    EXPECT_EQ(chk.reports(Hazard::StaleCachedCopy), 1u);
    EXPECT_EQ(s.rd(0, A), 0x01Du);
    EXPECT_EQ(chk.reports(Hazard::StaleCachedCopy), 1u);
    // The watched line is off the cores' fast path.
    EXPECT_EQ(s.cache("cpu0.l1d").find_fast(A), nullptr);
    // Invalidating brings the new data.
    s.dc(0, CmoKind::IVAC, A);
    EXPECT_EQ(s.rd(0, A), 0x2E3u);
    EXPECT_EQ(chk.reports(), 1u);
}

TEST(AroundTheCaches, CachedReadFromAStaleL2CopyIsReported) {
    Sys s;
    CoherencyChecker chk(nullptr);
    s.h.set_checker(&chk);
    s.rd(0, A);
    // The L1 copy goes (set conflicts); the L2 copy stays.
    s.rd(0, A + 512);
    s.rd(0, A + 1024);
    ASSERT_EQ(s.state("cpu0.l1d", A), State::Invalid);
    ASSERT_EQ(s.state("cluster0.l2", A), State::Exclusive);
    const uint64_t n = 0x2E3;
    s.h.dram_write(A, &n, 8, Who{0, Who::kNoCore, 0});
    EXPECT_EQ(s.rd(0, A), 0u);
    EXPECT_EQ(chk.reports(Hazard::StaleCachedCopy), 1u);
}

TEST(AroundTheCaches, StaleInstructionIsFlagged) {
    Sys s;
    s.set_dram(A, 0x0AD);
    bool flagged = true;
    s.fetch(0, A, &flagged);
    EXPECT_FALSE(flagged);
    s.wr(1, A, 0x2E3);
    s.fetch(0, A, &flagged);
    EXPECT_FALSE(flagged) << "no checker, no flag";

    Sys t;
    CoherencyChecker chk(nullptr);
    t.h.set_checker(&chk);
    t.set_dram(A, 0x0AD);
    t.fetch(0, A, &flagged);
    EXPECT_FALSE(flagged);
    t.wr(1, A + 8, 0);  // the same bytes: not a change
    t.fetch(0, A, &flagged);
    EXPECT_FALSE(flagged);
    t.wr(1, A, 0x2E3);
    EXPECT_EQ(t.fetch64(0, A, &flagged), 0x0ADu);
    EXPECT_TRUE(flagged);
    // IC invalidation ends it.
    t.dc(1, CmoKind::CVAU, A);
    t.h.ic(1, CmoKind::IVAU, A, who(1));
    EXPECT_EQ(t.fetch64(0, A, &flagged), 0x2E3u);
    EXPECT_FALSE(flagged);
    // A write around the caches flags the L1I copy too.
    const uint64_t n = 0x3F4;
    t.h.dram_write(A, &n, 8, Who{});
    t.fetch(0, A, &flagged);
    EXPECT_TRUE(flagged);
}

TEST(AroundTheCaches, CoherentMastersSeeAndUpdateTheNewestData) {
    Sys s;
    s.wr(0, A, 0x11);
    uint64_t v = 0;
    s.h.coherent_read(A, &v, 8, Who{});
    EXPECT_EQ(v, 0x11u);
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Modified);
    const uint64_t n = 0x22;
    s.h.coherent_write(A + 8, &n, 8, Who{});
    EXPECT_EQ(s.state("cpu0.l1d", A), State::Invalid);
    EXPECT_EQ(s.dram(A), 0x11u);  // the rest of the line was merged in
    EXPECT_EQ(s.dram(A + 8), 0x22u);
    EXPECT_EQ(s.rd(0, A + 8), 0x22u);
}

// ---- ID registers --------------------------------------------------------------

TEST(IdRegisters, DefaultConfiguration) {
    const HierarchyConfig c;  // 64-byte lines everywhere
    // RES1 bit 31, CWG = ERG = 4 (16 words... 64 bytes), DminLine = IminLine
    // = 4 (16 words), L1Ip = 0b11 PIPT, IDC = DIC = 0.
    EXPECT_EQ(ctr_for(c), 0x8444C004u);
    // Ctype1 = 0b011 (separate), Ctype2 = 0b100 (unified), LoUIS = 1,
    // LoC = 2, LoUU = 1: the SLC is not reported.
    EXPECT_EQ(clidr_for(c), 0x0A200023u);
    // CCSIDR_EL1: LineSize [2:0], Associativity [12:3], NumSets [27:13].
    EXPECT_EQ(ccsidr_for(c, 0), (127ull << 13) | (3 << 3) | 2);   // L1D 32 KiB, 4 ways
    EXPECT_EQ(ccsidr_for(c, 1), (255ull << 13) | (1 << 3) | 2);   // L1I 32 KiB, 2 ways
    EXPECT_EQ(ccsidr_for(c, 2), (1023ull << 13) | (15 << 3) | 2); // L2 1 MiB, 16 ways
    EXPECT_EQ(ccsidr_for(c, 3), 0u);  // no L2 instruction cache
    EXPECT_EQ(ccsidr_for(c, 4), 0u);  // the SLC is not reported
    std::vector<uint8_t> mem(4096);
    Hierarchy h(c, 1, [&](uint64_t pa) { return pa < mem.size() ? &mem[pa] : nullptr; });
    EXPECT_EQ(h.ctr(), ctr_for(c));
    EXPECT_EQ(h.clidr(), clidr_for(c));
    EXPECT_EQ(h.ccsidr(2), ccsidr_for(c, 2));
}

TEST(IdRegisters, SlcInClidr) {
    HierarchyConfig c;
    c.slc_in_clidr = true;
    EXPECT_EQ(clidr_for(c), 0x0B200123u);  // Ctype3 = unified, LoC = 3
    EXPECT_EQ(ccsidr_for(c, 4), (8191ull << 13) | (15 << 3) | 2);  // 8 MiB, 16 ways
}

TEST(IdRegisters, CoherentInstructionSide) {
    HierarchyConfig c;
    c.icache_coherent = true;
    EXPECT_EQ(ctr_for(c), 0xB444C004u);    // IDC and DIC
    EXPECT_EQ(clidr_for(c), 0x02000023u);  // LoUU = LoUIS = 0
}

TEST(IdRegisters, NoL2) {
    HierarchyConfig c;
    c.l2.enabled = false;
    EXPECT_EQ(clidr_for(c), 0x09200003u);  // L1 only: LoC = 1
    EXPECT_EQ(ccsidr_for(c, 2), 0u);
    // With the SLC reported it is level 2, and CCSIDR_EL1 describes it there.
    c.slc_in_clidr = true;
    EXPECT_EQ(clidr_for(c), 0x0A200023u);
    EXPECT_EQ(ccsidr_for(c, 2), (8191ull << 13) | (15 << 3) | 2);
    EXPECT_EQ(ccsidr_for(c, 4), 0u);
}

TEST(IdRegisters, SmallConfigurationAsSoftwareSeesIt) {
    Sys s;
    EXPECT_EQ(s.h.ccsidr(0), (7ull << 13) | (1 << 3) | 2);   // 8 sets, 2 ways
    EXPECT_EQ(s.h.ccsidr(2), (15ull << 13) | (3 << 3) | 2);  // 16 sets, 4 ways
}

// ---- statistics ----------------------------------------------------------------

TEST(Statistics, ScriptedSequenceCountsExactly) {
    Sys s;  // cores 0, 1 in cluster 0; cores 2, 3 in cluster 1
    s.rd(0, A);           // miss everywhere; snoops cpu1-3 and cluster1's L2
    s.rd(0, A);           // L1 hit
    s.rd(1, A);           // snoop hit in cpu0, L2 hit
    s.wr(1, A, 5);        // upgrade: a hit that invalidates cpu0
    s.rd(0, A);           // snoop hit on the dirty copy, written to cluster0's L2
    s.dc(0, CmoKind::CVAC, A);  // four copies, one DRAM write
    s.wr(0, A + 512, 1);  // L1 set 0, second way
    s.wr(0, A + 1024, 2); // evicts A (clean)
    s.wr(0, A + 1536, 3); // evicts A + 512 (dirty) into the L2

    auto expect = [&](const char* name, std::vector<uint64_t> v) {
        const nlohmann::json j = s.stats()["caches"][name];
        const char* keys[] = {"hits", "misses", "fills", "evictions", "writebacks", "snoops", "snoop_hits", "invalidations", "cmo_lines"};
        for (size_t i = 0; i < v.size(); ++i) EXPECT_EQ(j[keys[i]].get<uint64_t>(), v[i]) << name << "." << keys[i];
    };
    //                    hits miss fill evic wb snoop shit inv cmo
    expect("cpu0.l1d",    {1,  5,   5,   2,   1, 1,    1,   1,  1});
    expect("cpu1.l1d",    {1,  1,   1,   0,   0, 5,    1,   0,  1});
    expect("cpu2.l1d",    {0,  0,   0,   0,   0, 6,    0,   0,  0});
    expect("cpu3.l1d",    {0,  0,   0,   0,   0, 6,    0,   0,  0});
    expect("cluster0.l2", {1,  4,   4,   0,   0, 0,    0,   0,  1});
    expect("cluster1.l2", {0,  0,   0,   0,   0, 6,    0,   0,  0});
    expect("slc",         {0,  4,   4,   0,   0, 0,    0,   0,  1});
    expect("cpu0.l1i",    {0,  0,   0,   0,   0, 0,    0,   0,  0});
    const nlohmann::json d = s.stats()["dram"];
    EXPECT_EQ(d["line_reads"], 4u);
    EXPECT_EQ(d["line_writes"], 1u);
    EXPECT_EQ(d["around_reads"], 0u);
    EXPECT_EQ(s.copy("cluster0.l2", A + 512), 1u);
}

TEST(Statistics, JsonKeys) {
    Sys s;
    s.dc(0, CmoKind::CVAC, A);
    s.h.count_cmo(CmoKind::ZVA);
    const nlohmann::json j = s.stats();
    EXPECT_EQ(j.size(), 3u);
    std::vector<std::string> names;
    for (auto& [k, v] : j["caches"].items()) {
        names.push_back(k);
        EXPECT_EQ(v.size(), 9u) << k;
        for (const char* key : {"hits", "misses", "fills", "evictions", "writebacks", "snoops", "snoop_hits", "invalidations", "cmo_lines"})
            EXPECT_TRUE(v.contains(key)) << k << "." << key;
    }
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"cluster0.l2", "cluster1.l2", "cpu0.l1d", "cpu0.l1i", "cpu1.l1d", "cpu1.l1i",
                                               "cpu2.l1d", "cpu2.l1i", "cpu3.l1d", "cpu3.l1i", "slc"}));
    // Only the CMOs used appear.
    EXPECT_EQ(j["cmo"].size(), 2u);
    for (const char* key : {"ops", "lines", "ignored", "cycles"}) EXPECT_TRUE(j["cmo"]["dc_cvac"].contains(key)) << key;
    EXPECT_EQ(j["cmo"]["dc_zva"]["ops"], 1u);
    for (const char* key : {"line_reads", "line_writes", "around_reads", "around_writes"}) EXPECT_TRUE(j["dram"].contains(key)) << key;
}

// ---- traces --------------------------------------------------------------------

std::string read_all(std::FILE* f) {
    std::rewind(f);
    std::string text;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    return text;
}

TEST(Traces, CacheCmoAndCoherencyCategories) {
    Sys s;
    std::FILE* out = std::tmpfile();
    hvsim::Trace trace;
    std::string bad;
    ASSERT_TRUE(trace.enable("cache,cmo,coherency", bad));
    trace.set_output(out);
    s.h.set_trace(&trace);
    CoherencyChecker chk(nullptr);
    chk.set_trace(&trace);
    s.h.set_checker(&chk);

    s.wr(0, A, 1);
    s.dc(0, CmoKind::CVAC, A);
    s.fetch(0, A);
    s.fetch(1, B);
    s.h.ic(0, CmoKind::IALLUIS, 0, who(0));
    s.h.ic(0, CmoKind::IALLUIS, 0, who(0));
    s.h.dc_setway(0, CmoKind::CSW, setway(3, 0, 0, 4, 64), who(0));
    s.wr(0, A, 2);
    s.h.dc_setway(0, CmoKind::CSW, setway_of(s.cache("cpu0.l1d"), 1, A), who(0));
    s.h.dc_setway(0, CmoKind::CSW, setway_of(s.cache("cluster0.l2"), 2, A), who(0));
    const std::string t = read_all(out);
    std::fclose(out);
    for (const char* want : {"cache  miss      cpu0.l1d     line=0x10000", "fill      slc          line=0x10000",
                             "cmo    dc_cvac pa=0x10000 scope=inner-shareable reached=PoC lines=3",
                             "cmo    ic_ialluis pa=0x0 lines=2", "cmo    ic_ialluis pa=0x0 lines=0",
                             "dc_csw level=3 ignored", "dc_csw level=1 set=0 way=0 reached=L1 lines=1",
                             "coherency coherency: setway-clean-stopped-at-slc line 0x10000 at cycle 0 by cpu0 pc 0x1000"})
        EXPECT_NE(t.find(want), std::string::npos) << want << "\n" << t;
}

TEST(Configuration, CheckNamesTheBadKey) {
    HierarchyConfig c = small_config();
    EXPECT_EQ(c.check(), "");
    c.l2.line_bytes = 128;
    c.l2.size_bytes = 8192;
    EXPECT_NE(c.check().find("caches.l2.line_bytes"), std::string::npos);
    c = small_config();
    c.slc.ways = 3;
    EXPECT_NE(c.check().find("caches.slc.ways"), std::string::npos);
    c = small_config();
    c.l1i.enabled = false;
    EXPECT_NE(c.check().find("caches.l1i/l1d"), std::string::npos);
    c = small_config();
    c.cores_per_cluster = 0;
    EXPECT_NE(c.check().find("cores_per_cluster"), std::string::npos);
}

}  // namespace
