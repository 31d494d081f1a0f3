// Unit tests of one set-associative cache (models/cache/cache.h): geometry as
// CCSIDR_EL1 reports it, lookups, installation and invalidation, and the
// three replacement policies (LRU, tree pseudo-LRU, seeded random), each of
// which must take an invalid way before evicting anything.
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "models/cache/cache.h"
#include "models/cache/hierarchy.h"

namespace {

using namespace hvsim::cache;

// 4 ways of 64-byte lines, 16 sets: 4 KiB. Lines `kStride` apart share a set.
CacheConfig small(Replacement r, uint32_t ways = 4) {
    CacheConfig c;
    c.size_bytes = 16 * ways * 64;
    c.ways = ways;
    c.line_bytes = 64;
    c.replacement = r;
    return c;
}
constexpr uint64_t kStride = 16 * 64;

// Fills every way of set 0 in order (way w holds w * kStride) and returns
// the lines.
std::vector<Line*> fill_set0(Cache& c) {
    std::vector<Line*> v;
    for (uint32_t w = 0; w < c.ways(); ++w) {
        Line* l = c.victim(w * kStride);
        EXPECT_EQ(l, &c.at(0, w)) << "an empty set fills its invalid ways in order";
        c.install(l, w * kStride, State::Exclusive);
        v.push_back(l);
    }
    return v;
}

TEST(CacheGeometry, SetsLinesAndWaysMatchCcsidr) {
    const Cache c("c", small(Replacement::Lru), 1);
    EXPECT_EQ(c.sets(), 16u);
    EXPECT_EQ(c.ways(), 4u);
    EXPECT_EQ(c.line_of(0x12345), 0x12340u);
    // set = (pa / line) % sets.
    EXPECT_EQ(c.set_of(0x0), 0u);
    EXPECT_EQ(c.set_of(0x40), 1u);
    EXPECT_EQ(c.set_of(0x3FF), 15u);
    EXPECT_EQ(c.set_of(kStride), 0u);
    EXPECT_EQ(c.set_of(kStride + 0x80), 2u);

    // The same geometry through CCSIDR_EL1 (CSSELR_EL1 = 0: L1 data):
    // LineSize = log2(64) - 4, Associativity = ways - 1, NumSets = sets - 1.
    HierarchyConfig h;
    h.l1d = small(Replacement::Lru);
    const uint64_t ccsidr = ccsidr_for(h, 0);
    EXPECT_EQ(16u << (ccsidr & 7), c.line_bytes());
    EXPECT_EQ(((ccsidr >> 3) & 0x3FF) + 1, c.ways());
    EXPECT_EQ(((ccsidr >> 13) & 0x7FFF) + 1, c.sets());
}

TEST(CacheGeometry, AtNamesTheLineThatHoldsAnAddress) {
    Cache c("c", small(Replacement::Lru), 1);
    const uint64_t pa = 5 * kStride + 7 * 64 + 8;  // set 7
    Line* l = c.victim(pa);
    c.install(l, pa, State::Modified);
    c.data(l)[8] = 0xAB;
    ASSERT_EQ(c.find(pa), l);
    EXPECT_EQ(&c.at(c.set_of(pa), c.way_of(l)), l);
    EXPECT_EQ(c.set_of(pa), 7u);
    EXPECT_EQ(c.at(7, c.way_of(l)).pa(), c.line_of(pa));
    EXPECT_EQ(c.data(&c.at(7, c.way_of(l)))[8], 0xAB);
    EXPECT_TRUE(l->dirty());
}

TEST(CacheGeometry, CheckRejectsImpossibleGeometries) {
    EXPECT_EQ(small(Replacement::Lru).check(), "");
    CacheConfig c = small(Replacement::Lru);
    c.line_bytes = 48;
    EXPECT_NE(c.check().find("line_bytes"), std::string::npos);
    c = small(Replacement::Lru);
    c.ways = 3;
    EXPECT_NE(c.check().find("ways"), std::string::npos);
    c = small(Replacement::Lru);
    c.size_bytes = 3 * 4096;
    EXPECT_NE(c.check().find("size_bytes"), std::string::npos);
    c = small(Replacement::Lru);
    c.size_bytes = 128;  // less than ways x line_bytes
    EXPECT_NE(c.check().find("size_bytes"), std::string::npos);
    // CCSIDR_EL1.NumSets has 15 bits.
    c = small(Replacement::Lru, 1);
    c.size_bytes = 64u << 16;
    EXPECT_NE(c.check().find("NumSets"), std::string::npos);
}

TEST(CacheGeometry, ReplacementNames) {
    Replacement r = Replacement::Lru;
    EXPECT_TRUE(parse_replacement("plru", r));
    EXPECT_EQ(r, Replacement::PseudoLru);
    EXPECT_TRUE(parse_replacement("random", r));
    EXPECT_EQ(r, Replacement::Random);
    EXPECT_TRUE(parse_replacement("lru", r));
    EXPECT_EQ(r, Replacement::Lru);
    EXPECT_FALSE(parse_replacement("fifo", r));
    EXPECT_STREQ(replacement_name(Replacement::PseudoLru), "plru");
}

TEST(CacheLines, FindInstallInvalidateAndClear) {
    Cache c("c", small(Replacement::Lru), 1);
    EXPECT_EQ(c.find(0x1000), nullptr);
    Line* l = c.victim(0x1000);
    c.install(l, 0x1010, State::Shared);  // any address in the line
    EXPECT_EQ(c.stats.fills, 1u);
    EXPECT_EQ(c.find(0x1000), l);
    EXPECT_EQ(c.find(0x103F), l);
    EXPECT_EQ(c.find(0x1040), nullptr);
    EXPECT_EQ(l->pa(), 0x1000u);
    EXPECT_FALSE(l->dirty());
    c.invalidate(l);
    EXPECT_EQ(c.find(0x1000), nullptr);
    EXPECT_FALSE(l->valid());

    fill_set0(c);
    c.clear();
    for (uint32_t w = 0; w < 4; ++w) EXPECT_FALSE(c.at(0, w).valid());
}

TEST(CacheLines, FastPathMissesAWatchedLine) {
    // A line the coherency checker watches (Line::kSlowOnly) is found by the
    // slow lookup only, so every access to it goes through the hierarchy.
    Cache c("c", small(Replacement::Lru), 1);
    Line* l = c.victim(0x2000);
    c.install(l, 0x2000, State::Exclusive);
    EXPECT_EQ(c.find_fast(0x2008), l);
    l->tag |= Line::kSlowOnly;
    EXPECT_EQ(c.find_fast(0x2008), nullptr);
    EXPECT_EQ(c.find(0x2008), l);
    EXPECT_EQ(l->pa(), 0x2000u);
    // An invalid line is not found by either.
    c.invalidate(l);
    EXPECT_EQ(c.find_fast(0x2000), nullptr);
    EXPECT_EQ(c.find(0x2000), nullptr);
}

TEST(CacheReplacement, LruEvictsTheLeastRecentlyUsed) {
    Cache c("c", small(Replacement::Lru), 1);
    std::vector<Line*> w = fill_set0(c);
    EXPECT_EQ(c.victim(4 * kStride), w[0]);
    c.touch(w[0]);
    EXPECT_EQ(c.victim(4 * kStride), w[1]);
    c.touch(w[2]);
    c.touch(w[1]);
    EXPECT_EQ(c.victim(4 * kStride), w[3]);
    c.touch(w[3]);
    EXPECT_EQ(c.victim(4 * kStride), w[0]);
    // victim() itself does not change the order.
    EXPECT_EQ(c.victim(4 * kStride), w[0]);
    // Other sets are untouched.
    EXPECT_EQ(c.victim(64), &c.at(1, 0));
}

TEST(CacheReplacement, PseudoLruFollowsTheTree) {
    // 4 ways: node 0 chooses between ways {0,1} and {2,3}, node 1 within
    // {0,1}, node 2 within {2,3}; each points away from the last use.
    Cache c("c", small(Replacement::PseudoLru), 1);
    std::vector<Line*> w = fill_set0(c);  // uses 0, 1, 2, 3
    const uint64_t next = 4 * kStride;
    EXPECT_EQ(c.victim(next), w[0]);
    c.touch(w[0]);
    EXPECT_EQ(c.victim(next), w[2]);
    c.touch(w[2]);
    EXPECT_EQ(c.victim(next), w[1]);
    c.touch(w[1]);
    EXPECT_EQ(c.victim(next), w[3]);

    // Where the tree differs from true LRU: after 0,1,2,3 then 2, 0, true
    // LRU would pick way 1; the tree points to the pair {2,3} (node 0, last
    // used {0,1}) and within it away from way 2, i.e. way 3.
    Cache d("d", small(Replacement::PseudoLru), 1);
    std::vector<Line*> x = fill_set0(d);
    d.touch(x[2]);
    d.touch(x[0]);
    EXPECT_EQ(d.victim(next), x[3]);
    Cache e("e", small(Replacement::Lru), 1);
    std::vector<Line*> y = fill_set0(e);
    e.touch(y[2]);
    e.touch(y[0]);
    EXPECT_EQ(e.victim(next), y[1]);
}

TEST(CacheReplacement, PseudoLruOnEightWaysNeverEvictsTheLastUsed) {
    // A tree of 7 node bits: the way just used is never the victim, and a
    // victim that is used at once is not picked again next.
    Cache c("c", small(Replacement::PseudoLru, 8), 1);
    std::vector<Line*> w = fill_set0(c);
    EXPECT_EQ(c.victim(8 * kStride), w[0]);
    uint32_t x = 12345;
    for (int i = 0; i < 200; ++i) {
        x = x * 1103515245u + 12345u;
        Line* used = w[(x >> 16) % 8];
        c.touch(used);
        Line* v = c.victim(8 * kStride);
        EXPECT_NE(v, used);
        c.touch(v);
        EXPECT_NE(c.victim(8 * kStride), v);
    }
}

TEST(CacheReplacement, RandomIsDeterministicPerSeed) {
    auto picks = [](uint64_t seed) {
        Cache c("c", small(Replacement::Random), seed);
        fill_set0(c);
        std::vector<uint32_t> v;
        for (int i = 0; i < 64; ++i) v.push_back(c.way_of(c.victim(4 * kStride)));
        return v;
    };
    const std::vector<uint32_t> a = picks(7), b = picks(7), other = picks(8);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, other);
    // Every way is picked eventually, nothing outside the set is.
    const std::set<uint32_t> ways(a.begin(), a.end());
    EXPECT_EQ(ways, (std::set<uint32_t>{0, 1, 2, 3}));
    // Seed 0 still gives a working generator.
    const std::vector<uint32_t> z = picks(0);
    EXPECT_GT(std::set<uint32_t>(z.begin(), z.end()).size(), 1u);
}

TEST(CacheReplacement, VictimPrefersAnInvalidWay) {
    for (Replacement r : {Replacement::Lru, Replacement::PseudoLru, Replacement::Random}) {
        Cache c("c", small(r), 3);
        std::vector<Line*> w = fill_set0(c);
        // Way 2 is the most recently used; once invalid it is still taken first.
        c.invalidate(w[2]);
        for (int i = 0; i < 8; ++i) EXPECT_EQ(c.victim(4 * kStride), w[2]) << replacement_name(r);
        c.install(w[2], 4 * kStride, State::Shared);
        c.invalidate(w[1]);
        EXPECT_EQ(c.victim(5 * kStride), w[1]) << replacement_name(r);
    }
}

}  // namespace
