// The VMSAv8-64 translation table walker (models/mmu/walker.cpp) on tables
// built in a fake physical memory: every granule and start level, both VA
// ranges, blocks, invalid and reserved descriptors, faults with their level
// and stage, TBI, the permission matrix, stage 2 with concatenated start
// tables, S1PTW faults, attributes and their combination, HCR_EL2.DC/PTW/CD/ID,
// SCTLR.M/C/I, the regimes, the walk record and the walk cache.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "models/mmu/walker.h"

namespace {

using namespace hvsim::mmu;

// ---- fake memory, walk cache, table builder -----------------------------------

class FakeMemory : public DescriptorReader {
public:
    bool read_descriptor(uint64_t pa, uint64_t& desc, bool) override {
        if (aborts.count(pa)) return false;
        desc = peek(pa);
        return true;
    }
    uint64_t peek(uint64_t pa) const {
        auto it = words.find(pa);
        return it == words.end() ? 0 : it->second;
    }
    void write(uint64_t pa, uint64_t v) { words[pa] = v; }
    std::map<uint64_t, uint64_t> words;
    std::set<uint64_t> aborts;  // reads at these PAs are external aborts
};

class MapCache : public WalkCache {
public:
    using Key = std::tuple<bool, uint64_t, uint64_t, int>;
    bool lookup(bool stage2, uint64_t ctx, uint64_t addr, int level, uint64_t& desc) override {
        auto it = entries.find(Key{stage2, ctx, addr, level});
        if (it == entries.end()) return false;
        desc = it->second;
        return true;
    }
    void fill(bool stage2, uint64_t ctx, uint64_t addr, int level, uint64_t desc) override {
        entries[Key{stage2, ctx, addr, level}] = desc;
    }
    std::map<Key, uint64_t> entries;
};

constexpr uint64_t bits_below(unsigned n) { return (uint64_t(1) << n) - 1; }

// Translation tables of one stage. Tables are allocated upwards from `base`;
// descriptors hold the addresses the walker sees, and are written to memory
// at that address + `write_offset` (stage-1 tables placed in IPA space).
class Tables {
public:
    Tables(FakeMemory& mem, unsigned granule, unsigned ia_bits, int start_level, uint64_t base,
           uint64_t write_offset = 0)
        : mem_(mem), g_(granule), ia_bits_(ia_bits), start_(start_level), next_(base), off_(write_offset) {
        root_ = alloc(8ull << (ia_bits - level_shift(g_, start_)));
    }
    uint64_t root() const { return root_; }
    uint64_t root_size() const { return 8ull << (ia_bits_ - level_shift(g_, start_)); }
    const std::vector<uint64_t>& tables() const { return tables_; }

    // The address of the descriptor for `ia` at `level`, creating the tables
    // on the way (with `table_bits` in their table descriptors).
    uint64_t slot(uint64_t ia, int level) {
        uint64_t table = root_;
        unsigned top = ia_bits_;
        for (int l = start_;; ++l) {
            const unsigned shift = level_shift(g_, l);
            const uint64_t addr = table + 8 * ((ia >> shift) & bits_below(top - shift));
            if (l == level) return addr;
            uint64_t d = mem_.peek(addr + off_);
            if ((d & 3) != 3) {
                d = alloc(1ull << g_) | table_bits | 3;
                mem_.write(addr + off_, d);
            }
            table = d & 0x0000FFFFFFFFFFFFull & ~bits_below(g_);
            top = shift;
        }
    }
    void set(uint64_t ia, int level, uint64_t desc) { mem_.write(slot(ia, level) + off_, desc); }
    uint64_t get(uint64_t ia, int level) { return mem_.peek(slot(ia, level) + off_); }
    // A block (level < 3) or page descriptor for the region of `ia`.
    void map(uint64_t ia, uint64_t oa, int level, uint64_t attrs) {
        set(ia, level, (oa & ~bits_below(level_shift(g_, level))) | attrs | (level == 3 ? 3 : 1));
    }
    uint64_t table_bits = 0;

private:
    uint64_t alloc(uint64_t size) {
        const uint64_t align = std::max<uint64_t>(size, 64);
        next_ = (next_ + align - 1) & ~(align - 1);
        const uint64_t t = next_;
        next_ += size;
        tables_.push_back(t);
        return t;
    }
    FakeMemory& mem_;
    unsigned g_, ia_bits_;
    int start_;
    uint64_t next_, off_, root_ = 0;
    std::vector<uint64_t> tables_;
};

// ---- register and descriptor encodings ------------------------------------------

constexpr uint64_t AF = 1ull << 10, NG = 1ull << 11;
constexpr uint64_t AP_EL0 = 1ull << 6, AP_RO = 1ull << 7;  // AP[1], AP[2]
constexpr uint64_t PXN = 1ull << 53, UXN = 1ull << 54, XN = UXN;
constexpr uint64_t SH_NSH = 0, SH_OSH = 2ull << 8, SH_ISH = 3ull << 8;
constexpr uint64_t PXN_TABLE = 1ull << 59, XN_TABLE = 1ull << 60, AP_TABLE_NO_EL0 = 1ull << 61,
                   AP_TABLE_RO = 1ull << 62;
constexpr uint64_t attr_idx(unsigned i) { return uint64_t(i) << 2; }
constexpr uint64_t S2_R = 1ull << 6, S2_W = 1ull << 7, S2_RW = S2_R | S2_W;
constexpr uint64_t memattr(unsigned m) { return uint64_t(m) << 2; }

// MAIR: 0 Normal WB RWA, 1 Device-nGnRnE, 2 Device-nGnRE, 3 Normal NC,
// 4 Normal WT RW-allocate, 5 Device-nGRE, 6 Device-GRE, 7 outer NC / inner WB.
constexpr uint64_t kMair = 0x4F0C08BB440400FFull;
enum : unsigned { kWb = 0, kDevNGnRnE = 1, kDevNGnRE = 2, kNc = 3, kWt = 4, kDevNGRE = 5, kDevGRE = 6, kOnc = 7 };

constexpr uint64_t kPage = AF | SH_ISH | attr_idx(kWb);             // stage-1 leaf bits
constexpr uint64_t kS2Page = AF | SH_ISH | S2_RW | memattr(0xF);     // stage-2 leaf bits

constexpr uint64_t SCTLR_M = 1, SCTLR_C = 1 << 2, SCTLR_I = 1 << 12, SCTLR_WXN = 1 << 19;
constexpr uint64_t HCR_VM = 1, HCR_PTW = 1 << 2, HCR_DC = 1 << 12, HCR_TGE = 1 << 27, HCR_CD = 1ull << 32,
                   HCR_ID = 1ull << 33;
constexpr uint64_t TCR_EPD0 = 1 << 7, TCR_EPD1 = 1 << 23, TCR_A1 = 1 << 22, TCR_AS = 1ull << 36,
                   TCR_TBI0 = 1ull << 37, TCR_TBI1 = 1ull << 38, TCR2_TBI = 1 << 20;

uint64_t tg0(unsigned g) { return g == 16 ? 1 : g == 14 ? 2 : 0; }
uint64_t tg1(unsigned g) { return g == 16 ? 3 : g == 14 ? 1 : 2; }
// TCR_EL1 layout (EL1&0, EL2&0).
uint64_t tcr_el1(unsigned t0sz, unsigned g0 = 12, unsigned t1sz = 16, unsigned g1 = 12, unsigned ips = 5) {
    return t0sz | tg0(g0) << 14 | uint64_t(t1sz) << 16 | tg1(g1) << 30 | uint64_t(ips) << 32;
}
// TCR_EL2 (E2H = 0) / TCR_EL3 layout, with its RES1 bits 31 and 23.
uint64_t tcr_el2(unsigned t0sz, unsigned g = 12, unsigned ps = 5) {
    return t0sz | tg0(g) << 14 | uint64_t(ps) << 16 | 1u << 23 | 1u << 31;
}
uint64_t vtcr(unsigned t0sz, unsigned sl0, unsigned g = 12, unsigned ps = 5) {
    return t0sz | sl0 << 6 | tg0(g) << 14 | uint64_t(ps) << 16;
}
uint64_t with_asid(uint64_t ttbr, uint16_t asid) { return ttbr | uint64_t(asid) << 48; }

std::string perms_string(const Translation& t, const TranslationRegs& regs, bool el0) {
    std::string s;
    s += check_permissions(regs, t, AccessType::Read, el0) ? '-' : 'r';
    s += check_permissions(regs, t, AccessType::Write, el0) ? '-' : 'w';
    s += check_permissions(regs, t, AccessType::Fetch, el0) ? '-' : 'x';
    return s;
}

// ---- fixture --------------------------------------------------------------------

class WalkerTest : public ::testing::Test {
protected:
    WalkerTest() {
        regs.regime = Regime::EL10;
        regs.sctlr = SCTLR_M | SCTLR_C | SCTLR_I;
        regs.mair = kMair;
    }
    WalkResult run(uint64_t va, AccessType type = AccessType::Read, WalkCache* cache = nullptr) {
        return walk(regs, va, type, mem, cache);
    }
    // Stage 1 of EL1&0 with a 4KB granule and T0SZ `t0sz`, tables at `base`.
    Tables& stage1(unsigned t0sz = 25, unsigned g = 12, uint64_t base = 0x10000000, uint64_t offset = 0) {
        const unsigned ia = 64 - t0sz;
        const int start = 4 - int(1 + (ia - g - 1) / (g - 3));
        s1 = std::make_unique<Tables>(mem, g, ia, start, base, offset);
        regs.tcr = tcr_el1(t0sz, g);
        regs.ttbr0 = s1->root();
        return *s1;
    }
    // Stage 2 with VTCR_EL2 {t0sz, sl0, g}, tables at `base`.
    Tables& stage2(unsigned t0sz = 25, unsigned sl0 = 1, unsigned g = 12, uint64_t base = 0x20000000) {
        const int start = (g == 12 ? 2 : 3) - int(sl0);
        s2 = std::make_unique<Tables>(mem, g, 64 - t0sz, start, base);
        regs.hcr |= HCR_VM;
        regs.vtcr = vtcr(t0sz, sl0, g);
        regs.vttbr = s2->root() | uint64_t(0x5A) << 48;
        return *s2;
    }
    // Both stages, 4KB granules: stage-1 tables at IPA 0x40000000 (PA
    // 0x80000000: stage 2 maps their pages one by one after the stage-1
    // mappings are made, see map_s1_tables()).
    void two_stages(unsigned s1_t0sz = 25, unsigned s2_t0sz = 25, unsigned sl0 = 1) {
        stage1(s1_t0sz, 12, 0x40000000, 0x40000000);
        stage2(s2_t0sz, sl0);
    }
    void map_s1_tables(uint64_t s2_attrs = kS2Page) {
        for (uint64_t t : s1->tables()) s2->map(t, t + 0x40000000, 3, s2_attrs);
    }

    FakeMemory mem;
    TranslationRegs regs;
    std::unique_ptr<Tables> s1, s2;
};

void expect_fault(const WalkResult& r, FaultType type, int level, bool stage2 = false, bool s1ptw = false) {
    EXPECT_EQ(r.fault.type, type);
    EXPECT_EQ(r.fault.level, level);
    EXPECT_EQ(r.fault.stage2, stage2);
    EXPECT_EQ(r.fault.s1ptw, s1ptw);
}

// ---- stage 1: granules and start levels -------------------------------------------

struct StartCase {
    unsigned granule, t0sz;
    int start_level;
};

class Stage1StartLevel : public WalkerTest, public ::testing::WithParamInterface<StartCase> {};

TEST_P(Stage1StartLevel, WalksFromTheLevelTxSZGives) {
    const StartCase c = GetParam();
    Tables& t = stage1(c.t0sz, c.granule);
    const unsigned ia = 64 - c.t0sz;
    const uint64_t gsize = 1ull << c.granule;
    // The top page of the range (largest index at every level) and page 1.
    const uint64_t high = (1ull << ia) - 3 * gsize, low = gsize;
    t.map(high, 0x80000000 + 7 * gsize, 3, kPage);
    t.map(low, 0x80000000 + 9 * gsize, 3, kPage);

    WalkResult r = run(high + 0x123);
    ASSERT_FALSE(r.fault) << int(r.fault.type) << " level " << int(r.fault.level);
    EXPECT_EQ(r.t.va, high);
    EXPECT_EQ(r.t.pa, 0x80000000 + 7 * gsize);
    EXPECT_EQ(r.t.ipa, r.t.pa);
    EXPECT_EQ(unsigned(r.t.size_log2), c.granule);
    EXPECT_EQ(r.t.level, 3);
    EXPECT_TRUE(r.t.s1_enabled);
    EXPECT_FALSE(r.t.s2_enabled);
    EXPECT_EQ(r.record.s1_levels, 4 - c.start_level);
    EXPECT_EQ(r.record.accesses, 4 - c.start_level);
    // The first read is the last entry the start table has.
    EXPECT_EQ(r.record.read_pa[0], t.root() + t.root_size() - 8 * (c.start_level == 3 ? 3 : 1));
    EXPECT_EQ(pa_of(r.t, high + 0x123), 0x80000000 + 7 * gsize + 0x123);

    r = run(low);
    ASSERT_FALSE(r.fault);
    EXPECT_EQ(r.t.pa, 0x80000000 + 9 * gsize);
    EXPECT_EQ(r.record.read_pa[0], t.root() + (c.start_level == 3 ? 8 : 0));
    // An unmapped page of the same last-level table.
    r = run(low + gsize);
    expect_fault(r, FaultType::Translation, 3);
}

INSTANTIATE_TEST_SUITE_P(Granules, Stage1StartLevel,
                         ::testing::Values(StartCase{12, 16, 0}, StartCase{12, 25, 1}, StartCase{12, 33, 1},
                                           StartCase{12, 34, 2}, StartCase{12, 39, 2}, StartCase{14, 16, 0},
                                           StartCase{14, 17, 1}, StartCase{14, 28, 2}, StartCase{14, 38, 2},
                                           StartCase{14, 39, 3}, StartCase{16, 16, 1}, StartCase{16, 22, 2},
                                           StartCase{16, 34, 2}, StartCase{16, 35, 3}, StartCase{16, 39, 3}));

TEST_F(WalkerTest, TxSZOutOfRangeIsATranslationFaultAtLevel0) {
    // CONSTRAINED UNPREDICTABLE: we fault rather than clamp (walker.md).
    Tables& t = stage1(16);
    t.map(0x1000, 0x80000000, 3, kPage);
    ASSERT_FALSE(run(0x1000).fault);
    regs.tcr = tcr_el1(15);
    expect_fault(run(0x1000), FaultType::Translation, 0);
    regs.tcr = tcr_el1(40);
    expect_fault(run(0x1000), FaultType::Translation, 0);
}

TEST_F(WalkerTest, ReservedGranuleEncodingsBehaveAs4KB) {
    Tables& t = stage1(25);
    t.map(0x5000, 0x80003000, 3, kPage);
    regs.tcr = tcr_el1(25) | 3 << 14;  // TG0 = 0b11
    EXPECT_EQ(run(0x5000).t.pa, 0x80003000u);

    Tables hi(mem, 12, 39, 1, 0x30000000);
    hi.map(0xFFFFFFFFFFE05000, 0x80004000, 3, kPage);
    regs.ttbr1 = hi.root();
    regs.tcr = tcr_el1(25, 12, 25) & ~(3ull << 30);  // TG1 = 0b00
    WalkResult r = run(0xFFFFFFFFFFE05000);
    ASSERT_FALSE(r.fault);
    EXPECT_EQ(r.t.pa, 0x80004000u);
}

// ---- VA ranges, TTBR1, ASIDs ---------------------------------------------------------

TEST_F(WalkerTest, Ttbr1RangeWithEachGranule) {
    for (unsigned g : {12u, 14u, 16u}) {
        SCOPED_TRACE(g);
        mem.words.clear();
        const unsigned t1sz = g == 16 ? 22 : 16;
        const int start = g == 12 ? 0 : g == 14 ? 0 : 2;
        Tables hi(mem, g, 64 - t1sz, start, 0x30000000);
        const uint64_t va = ~0ull - 5 * (1ull << g) + 1;  // 0xFFFF...: the upper range
        hi.map(va, 0x90000000, 3, kPage | NG);
        regs.ttbr0 = with_asid(0x10000000, 0x1234);
        regs.ttbr1 = with_asid(hi.root(), 0xAB12);
        regs.tcr = tcr_el1(25, 12, t1sz, g);
        WalkResult r = run(va + 0x10);
        ASSERT_FALSE(r.fault);
        EXPECT_EQ(r.t.pa, 0x90000000u);
        EXPECT_EQ(r.t.va, va);
        EXPECT_FALSE(r.t.global);
        EXPECT_EQ(r.t.asid, 0x34);  // TTBR0's (A1 = 0), 8 bits (AS = 0)
        regs.tcr |= TCR_AS;
        EXPECT_EQ(run(va).t.asid, 0x1234);
        regs.tcr |= TCR_A1;
        EXPECT_EQ(run(va).t.asid, 0xAB12);
        regs.tcr &= ~TCR_AS;
        EXPECT_EQ(run(va).t.asid, 0x12);
    }
}

TEST_F(WalkerTest, GlobalUnlessNG) {
    Tables& t = stage1();
    t.map(0x1000, 0x80001000, 3, kPage);
    t.map(0x2000, 0x80002000, 3, kPage | NG);
    EXPECT_TRUE(run(0x1000).t.global);
    EXPECT_FALSE(run(0x2000).t.global);
}

TEST_F(WalkerTest, AddressOutsideBothRangesIsATranslationFaultAtLevel0) {
    Tables& t = stage1(25);
    t.map((1ull << 39) - 0x1000, 0x80000000, 3, kPage);
    Tables hi(mem, 12, 39, 1, 0x30000000);
    hi.map(0xFFFFFF8000000000, 0x80001000, 3, kPage);
    regs.ttbr1 = hi.root();
    regs.tcr = tcr_el1(25, 12, 25);
    EXPECT_FALSE(run((1ull << 39) - 0x1000).fault);
    EXPECT_FALSE(run(0xFFFFFF8000000000).fault);
    expect_fault(run(1ull << 39), FaultType::Translation, 0);
    expect_fault(run(0xFFFFFF7FFFFFF000), FaultType::Translation, 0);
    expect_fault(run(0x0080000000000000), FaultType::Translation, 0);  // VA[55] = 1: TTBR1, not all ones
}

TEST_F(WalkerTest, EpdDisablesAWalk) {
    Tables& t = stage1(25);
    t.map(0x1000, 0x80000000, 3, kPage);
    Tables hi(mem, 12, 39, 1, 0x30000000);
    hi.map(0xFFFFFF8000001000, 0x80001000, 3, kPage);
    regs.ttbr1 = hi.root();
    regs.tcr = tcr_el1(25, 12, 25) | TCR_EPD0;
    expect_fault(run(0x1000), FaultType::Translation, 0);
    EXPECT_FALSE(run(0xFFFFFF8000001000).fault);
    regs.tcr = tcr_el1(25, 12, 25) | TCR_EPD1;
    EXPECT_FALSE(run(0x1000).fault);
    expect_fault(run(0xFFFFFF8000001000), FaultType::Translation, 0);
}

// ---- descriptors -------------------------------------------------------------------------

TEST_F(WalkerTest, BlocksAtEachAllowedLevel) {
    struct Block {
        unsigned g, t0sz;
        int level;
    };
    for (const Block b : {Block{12, 16, 1}, Block{12, 16, 2}, Block{14, 16, 2}, Block{16, 16, 2}}) {
        SCOPED_TRACE(testing::Message() << "granule " << b.g << " level " << b.level);
        mem.words.clear();
        Tables& t = stage1(b.t0sz, b.g);
        const unsigned shift = level_shift(b.g, b.level);
        const uint64_t va = 5ull << shift, oa = 3ull << shift;
        t.map(va, oa, b.level, kPage);
        WalkResult r = run(va + 0x1234);
        ASSERT_FALSE(r.fault) << int(r.fault.type) << " at " << int(r.fault.level);
        EXPECT_EQ(unsigned(r.t.size_log2), shift);
        EXPECT_EQ(unsigned(r.t.s1_size_log2), shift);
        EXPECT_EQ(r.t.level, b.level);
        EXPECT_EQ(r.t.va, va);
        EXPECT_EQ(r.t.pa, oa);
        EXPECT_EQ(pa_of(r.t, va + 0x1234), oa + 0x1234);
    }
}

TEST_F(WalkerTest, BlocksAtLevelsWithoutBlocksAreTranslationFaults) {
    // 4KB level 0, 16KB level 1, 64KB level 1 (64KB level 1 blocks need 52-bit PAs).
    struct Case {
        unsigned g;
        int level;
    };
    for (const Case c : {Case{12, 0}, Case{14, 0}, Case{14, 1}, Case{16, 1}}) {
        SCOPED_TRACE(testing::Message() << "granule " << c.g << " level " << c.level);
        mem.words.clear();
        Tables& t = stage1(16, c.g);
        t.set(0, c.level, 0x40000000 | kPage | 1);
        expect_fault(run(0x1000), FaultType::Translation, c.level);
    }
}

TEST_F(WalkerTest, InvalidAndReservedDescriptors) {
    Tables& t = stage1(16);
    t.map(0x1000, 0x80001000, 3, kPage);
    ASSERT_FALSE(run(0x1000).fault);
    t.set(0x1000, 3, 0x80001000 | kPage | 1);  // block encoding at level 3: reserved
    expect_fault(run(0x1000), FaultType::Translation, 3);
    t.set(0x1000, 3, 0x80001000 | kPage | 2);  // bit 0 clear
    expect_fault(run(0x1000), FaultType::Translation, 3);
    const uint64_t l2 = t.get(0x1000, 2);
    t.set(0x1000, 2, l2 & ~1ull);
    expect_fault(run(0x1000), FaultType::Translation, 2);
    t.set(0x1000, 1, 0);
    expect_fault(run(0x1000), FaultType::Translation, 1);
    t.set(0x1000, 0, 0);
    expect_fault(run(0x1000), FaultType::Translation, 0);
}

TEST_F(WalkerTest, ContiguousBitIsOnlyAHint) {
    Tables& t = stage1();
    t.map(0x3000, 0x80007000, 3, kPage | 1ull << 52);
    WalkResult r = run(0x3000);
    ASSERT_FALSE(r.fault);
    EXPECT_EQ(r.t.pa, 0x80007000u);
    EXPECT_EQ(r.t.size_log2, 12);
}

TEST_F(WalkerTest, AccessFlagZeroFaultsAtTheLeafLevel) {
    Tables& t = stage1(16);
    t.map(0x1000, 0x80001000, 3, kPage & ~AF);
    t.map(0x40000000, 0x80200000, 2, kPage & ~AF);
    expect_fault(run(0x1000), FaultType::AccessFlag, 3);
    expect_fault(run(0x40000000), FaultType::AccessFlag, 2);
}

TEST_F(WalkerTest, AddressSizeFaults) {
    Tables& t = stage1(16);
    t.map(0x1000, 0x80001000, 3, kPage);
    t.map(0x2000, 1ull << 44, 3, kPage);
    t.map(0x3000, 1ull << 47, 3, kPage);
    ASSERT_FALSE(run(0x1000).fault);
    ASSERT_FALSE(run(0x2000).fault);

    regs.tcr = tcr_el1(16, 12, 16, 12, 2);  // IPS = 40 bits
    EXPECT_FALSE(run(0x1000).fault);
    expect_fault(run(0x2000), FaultType::AddressSize, 3);  // output address
    regs.ttbr0 = t.root() | 1ull << 41;
    expect_fault(run(0x1000), FaultType::AddressSize, 0);  // TTBR
    regs.ttbr0 = t.root();
    // A table address above the size, at level 1.
    const uint64_t l1 = t.get(0x1000, 1);
    t.set(0x1000, 1, l1 | 1ull << 42);
    expect_fault(run(0x1000), FaultType::AddressSize, 1);
    t.set(0x1000, 1, l1);

    // IPS above PARange behaves as PARange; the reserved IPS 0b110/0b111 as 48 bits.
    regs.tcr = tcr_el1(16, 12, 16, 12, 5);
    regs.pa_bits = 40;
    expect_fault(run(0x2000), FaultType::AddressSize, 3);
    regs.pa_bits = 48;
    regs.tcr = tcr_el1(16, 12, 16, 12, 6);
    EXPECT_FALSE(run(0x3000).fault);
}

TEST_F(WalkerTest, ExternalAbortOnAWalkRead) {
    Tables& t = stage1(16);
    t.map(0x1000, 0x80001000, 3, kPage);
    mem.aborts.insert(t.slot(0x1000, 2));
    WalkResult r = run(0x1000);
    expect_fault(r, FaultType::SyncExternal, 2);
    EXPECT_TRUE(r.fault.on_table_walk);
    EXPECT_EQ(r.record.accesses, 3);
}

// ---- TBI ------------------------------------------------------------------------------------

TEST_F(WalkerTest, TopByteIgnoredForDataAccessesOnly) {
    Tables& t = stage1(25);
    t.map(0x401000, 0x80005000, 3, kPage);
    Tables hi(mem, 12, 39, 1, 0x30000000);
    hi.map(0xFFFFFFFFFFE01000, 0x80006000, 3, kPage);
    regs.ttbr1 = hi.root();
    const uint64_t tagged = 0x5A00000000401010, tagged_hi = 0x12FFFFFFFFE01010;

    regs.tcr = tcr_el1(25, 12, 25);
    expect_fault(run(tagged), FaultType::Translation, 0);
    expect_fault(run(tagged_hi), FaultType::Translation, 0);

    regs.tcr = tcr_el1(25, 12, 25) | TCR_TBI0 | TCR_TBI1;
    WalkResult r = run(tagged);
    ASSERT_FALSE(r.fault);
    EXPECT_EQ(r.t.va, 0x401000u);  // tag removed
    EXPECT_EQ(r.t.pa, 0x80005000u);
    r = run(tagged_hi, AccessType::Write);
    ASSERT_FALSE(r.fault);
    EXPECT_EQ(r.t.va, 0xFFFFFFFFFFE01000u);
    EXPECT_EQ(r.t.pa, 0x80006000u);
    // Instruction fetches: the tag takes part in the range check.
    expect_fault(run(tagged, AccessType::Fetch), FaultType::Translation, 0);
    EXPECT_FALSE(run(0x401010, AccessType::Fetch).fault);

    // TBI0 only affects the lower range.
    regs.tcr = tcr_el1(25, 12, 25) | TCR_TBI0;
    EXPECT_FALSE(run(tagged).fault);
    expect_fault(run(tagged_hi), FaultType::Translation, 0);
}

TEST_F(WalkerTest, TopByteIgnoredInEl2AndWithStage1Off) {
    regs.regime = Regime::EL2;
    Tables t(mem, 12, 39, 1, 0x10000000);
    t.map(0x401000, 0x80005000, 3, kPage);
    regs.ttbr0 = t.root();
    regs.tcr = tcr_el2(25);
    expect_fault(run(0xAB00000000401000), FaultType::Translation, 0);
    regs.tcr |= TCR2_TBI;
    EXPECT_EQ(run(0xAB00000000401000).t.pa, 0x80005000u);

    // Stage 1 off: bits [55:PAMax] must be zero, the tag is dropped.
    regs.sctlr = 0;
    WalkResult r = run(0xAB00000080000000);
    ASSERT_FALSE(r.fault);
    EXPECT_EQ(r.t.pa, 0x80000000u);
    regs.tcr = tcr_el2(25);
    expect_fault(run(0xAB00000080000000), FaultType::AddressSize, 0);
}

// ---- permissions ------------------------------------------------------------------------------

struct PermCase {
    uint64_t leaf;       // AP/UXN/PXN bits
    uint64_t table;      // table descriptor bits
    bool wxn;
    const char* el1;     // "rwx" of the privileged level
    const char* el0;
};

TEST_F(WalkerTest, Stage1PermissionMatrixEl10) {
    const PermCase cases[] = {
        // AP[2:1] = 00: privileged RW; 01: RW both; 10: privileged RO; 11: RO both.
        // Memory writable at EL0 is never privileged-executable.
        {0, 0, false, "rwx", "--x"},
        {AP_EL0, 0, false, "rw-", "rwx"},
        {AP_RO, 0, false, "r-x", "--x"},
        {AP_RO | AP_EL0, 0, false, "r-x", "r-x"},
        // UXN, PXN.
        {UXN, 0, false, "rwx", "---"},
        {PXN, 0, false, "rw-", "--x"},
        {AP_RO | AP_EL0 | UXN, 0, false, "r-x", "r--"},
        {AP_RO | AP_EL0 | PXN, 0, false, "r--", "r-x"},
        {AP_RO | AP_EL0 | UXN | PXN, 0, false, "r--", "r--"},
        // WXN: writable means execute-never (per level of privilege).
        {0, 0, true, "rw-", "--x"},
        {AP_EL0, 0, true, "rw-", "rw-"},
        {AP_RO, 0, true, "r-x", "--x"},
        {AP_RO | AP_EL0, 0, true, "r-x", "r-x"},
        // Hierarchical: APTable[1] read-only, APTable[0] no EL0, UXNTable, PXNTable.
        {AP_EL0, AP_TABLE_RO, false, "r-x", "r-x"},
        {AP_EL0, AP_TABLE_NO_EL0, false, "rwx", "--x"},
        {AP_RO | AP_EL0, XN_TABLE, false, "r-x", "r--"},
        {AP_RO | AP_EL0, PXN_TABLE, false, "r--", "r-x"},
    };
    for (const PermCase& c : cases) {
        SCOPED_TRACE(testing::Message() << std::hex << "leaf " << c.leaf << " table " << c.table << " wxn " << c.wxn);
        mem.words.clear();
        Tables& t = stage1(25);
        t.table_bits = c.table;
        t.map(0x200000, 0x80200000, 2, kPage | c.leaf);  // a level 2 block: faults report level 2
        regs.sctlr = SCTLR_M | SCTLR_C | SCTLR_I | (c.wxn ? SCTLR_WXN : 0);
        WalkResult r = run(0x200000);
        ASSERT_FALSE(r.fault);
        EXPECT_EQ(perms_string(r.t, regs, false), c.el1);
        EXPECT_EQ(perms_string(r.t, regs, true), c.el0);
        const Fault f = check_permissions(regs, r.t, AccessType::Write, true);
        if (f) {
            EXPECT_EQ(f.type, FaultType::Permission);
            EXPECT_EQ(f.level, 2);
            EXPECT_FALSE(f.stage2);
        }
    }
}

TEST_F(WalkerTest, Stage1PermissionsInOnePrivilegeRegimes) {
    // EL2 and EL3: AP[1] ignored, PXN/PXNTable/APTable[0] ignored, XN and XNTable apply.
    const PermCase cases[] = {
        {0, 0, false, "rwx", nullptr},
        {AP_EL0, 0, false, "rwx", nullptr},
        {AP_RO, 0, false, "r-x", nullptr},
        {AP_RO | AP_EL0, 0, false, "r-x", nullptr},
        {XN, 0, false, "rw-", nullptr},
        {PXN, 0, false, "rwx", nullptr},
        {0, 0, true, "rw-", nullptr},
        {AP_RO, 0, true, "r-x", nullptr},
        {0, AP_TABLE_RO, false, "r-x", nullptr},
        {0, AP_TABLE_NO_EL0 | PXN_TABLE, false, "rwx", nullptr},
        {0, XN_TABLE, false, "rw-", nullptr},
    };
    for (Regime regime : {Regime::EL2, Regime::EL3}) {
        for (const PermCase& c : cases) {
            SCOPED_TRACE(testing::Message() << std::hex << "regime " << int(regime) << " leaf " << c.leaf << " table "
                                            << c.table << " wxn " << c.wxn);
            mem.words.clear();
            regs.regime = regime;
            Tables t(mem, 12, 39, 1, 0x10000000);
            t.table_bits = c.table;
            t.map(0x3000, 0x80003000, 3, kPage | c.leaf);
            regs.ttbr0 = t.root();
            regs.tcr = tcr_el2(25);
            regs.sctlr = SCTLR_M | SCTLR_C | SCTLR_I | (c.wxn ? SCTLR_WXN : 0);
            WalkResult r = run(0x3000);
            ASSERT_FALSE(r.fault);
            EXPECT_EQ(perms_string(r.t, regs, false), c.el1);
            EXPECT_EQ(perms_string(r.t, regs, true), c.el1);  // no EL0: el0 is ignored
            EXPECT_FALSE(r.t.perms.el0_r);
        }
    }
}

TEST_F(WalkerTest, Stage1DisabledGrantsEverything) {
    regs.sctlr = SCTLR_I;
    WalkResult r = run(0x80001234);
    ASSERT_FALSE(r.fault);
    EXPECT_FALSE(r.t.s1_enabled);
    EXPECT_EQ(perms_string(r.t, regs, true), "rwx");
    EXPECT_EQ(perms_string(r.t, regs, false), "rwx");
}

// ---- regimes ----------------------------------------------------------------------------------

TEST_F(WalkerTest, El2RegimeUsesTcrEl2LayoutAndOneRange) {
    regs.regime = Regime::EL2;
    regs.hcr = HCR_VM;  // stage 2 is for EL1&0 only
    regs.vttbr = uint64_t(7) << 48;
    Tables t(mem, 16, 25, 3, 0x10000000);  // 64KB, T0SZ = 39: level 3 only
    t.map(0x10000, 0x90000000, 3, kPage | NG);
    t.map(0x20000, 1ull << 40, 3, kPage);
    regs.ttbr0 = with_asid(t.root(), 0x77);
    regs.ttbr1 = 0xDEAD0000;
    regs.tcr = tcr_el2(39, 16, 2);  // PS = 40 bits
    WalkResult r = run(0x10008);
    ASSERT_FALSE(r.fault) << int(r.fault.type) << " level " << int(r.fault.level);
    EXPECT_EQ(r.t.pa, 0x90000000u);
    EXPECT_EQ(r.t.size_log2, 16);
    EXPECT_TRUE(r.t.global);  // nG is ignored without ASIDs
    EXPECT_EQ(r.t.asid, 0);
    EXPECT_EQ(r.t.vmid, 0);
    EXPECT_FALSE(r.t.s2_enabled);
    expect_fault(run(0x20000), FaultType::AddressSize, 3);
    expect_fault(run(0xFFFFFFFFFFFF0000), FaultType::Translation, 0);
}

TEST_F(WalkerTest, El3Regime) {
    regs.regime = Regime::EL3;
    Tables t(mem, 14, 47, 1, 0x10000000);  // 16KB, T0SZ = 17
    t.map(0x7FFF0000C000, 0x8000C000, 3, kPage);
    regs.ttbr0 = t.root();
    regs.tcr = tcr_el2(17, 14);
    WalkResult r = run(0x7FFF0000C008);
    ASSERT_FALSE(r.fault);
    EXPECT_EQ(r.t.pa, 0x8000C000u);
    EXPECT_EQ(r.record.s1_levels, 3);
}

TEST_F(WalkerTest, El20RegimeHasTwoRangesAndAsids) {
    regs.regime = Regime::EL20;
    regs.hcr = HCR_VM | HCR_DC;  // not used by the EL2&0 regime
    Tables lo(mem, 12, 48, 0, 0x10000000);
    lo.map(0x1000, 0x80001000, 3, kPage | NG | AP_EL0);
    Tables hi(mem, 12, 48, 0, 0x30000000);
    hi.map(0xFFFF800000002000, 0x80002000, 3, kPage);
    regs.ttbr0 = with_asid(lo.root(), 0x42);
    regs.ttbr1 = with_asid(hi.root(), 0x43);
    regs.tcr = tcr_el1(16, 12, 16, 12);
    WalkResult r = run(0x1000);
    ASSERT_FALSE(r.fault);
    EXPECT_EQ(r.t.pa, 0x80001000u);
    EXPECT_FALSE(r.t.global);
    EXPECT_EQ(r.t.asid, 0x42);
    EXPECT_FALSE(r.t.s2_enabled);
    EXPECT_EQ(perms_string(r.t, regs, true), "rwx");
    EXPECT_EQ(perms_string(r.t, regs, false), "rw-");  // EL0-writable: not executable at EL2
    r = run(0xFFFF800000002000);
    ASSERT_FALSE(r.fault);
    EXPECT_EQ(r.t.pa, 0x80002000u);
    EXPECT_EQ(r.t.vmid, 0);
}

// ---- stage 1 disabled, HCR_EL2.DC/TGE ------------------------------------------------------

TEST_F(WalkerTest, Stage1OffIsAFlatMapWithDefaultAttributes) {
    regs.sctlr = SCTLR_I | SCTLR_C;
    WalkResult r = run(0x80001234);
    ASSERT_FALSE(r.fault);
    EXPECT_EQ(r.t.pa, 0x80001000u);
    EXPECT_EQ(r.t.size_log2, 12);
    EXPECT_TRUE(r.t.global);
    EXPECT_EQ(r.t.mair_attr, 0x00);
    EXPECT_TRUE(r.t.attrs.device);
    EXPECT_EQ(r.t.attrs.device_type, DeviceType::nGnRnE);
    EXPECT_EQ(r.t.attrs.sh, Shareability::Outer);
    EXPECT_FALSE(r.t.fetch_attrs.device);
    EXPECT_EQ(r.t.fetch_attrs.inner.type, Cacheability::WriteThrough);
    EXPECT_EQ(r.t.fetch_attrs.outer.type, Cacheability::WriteThrough);
    EXPECT_TRUE(r.t.fetch_attrs.cacheable);
    regs.sctlr = 0;
    r = run(0x80001234, AccessType::Fetch);
    EXPECT_EQ(r.t.fetch_attrs.inner.type, Cacheability::NonCacheable);
    EXPECT_FALSE(r.t.fetch_attrs.cacheable);

    // A VA above the PA size: Address size fault at level 0.
    regs.pa_bits = 40;
    EXPECT_FALSE(run((1ull << 40) - 8).fault);
    expect_fault(run(1ull << 40), FaultType::AddressSize, 0);
}

TEST_F(WalkerTest, HcrDcTurnsStage1OffWithWriteBackAndForcesStage2) {
    Tables& s2t = stage2();
    regs.hcr = HCR_DC;  // VM = 0: DC makes it behave as 1
    s2t.map(0x12340000, 0x56780000, 3, AF | SH_ISH | S2_RW | memattr(0xF));
    regs.sctlr = SCTLR_M;  // ignored with DC
    WalkResult r = run(0x12340010);
    ASSERT_FALSE(r.fault) << int(r.fault.type);
    EXPECT_FALSE(r.t.s1_enabled);
    EXPECT_TRUE(r.t.s2_enabled);
    EXPECT_EQ(r.t.pa, 0x56780000u);
    EXPECT_EQ(r.t.ipa, 0x12340000u);
    EXPECT_EQ(r.t.level, 3);  // stage 2's
    EXPECT_EQ(r.t.vmid, 0x5A);
    EXPECT_EQ(r.t.mair_attr, 0xFF);
    EXPECT_EQ(mair_encoding(r.t.attrs), 0xFF);
    EXPECT_EQ(r.t.attrs.sh, Shareability::Inner);  // NSH (DC) combined with ISH
    EXPECT_EQ(r.record.s1_levels, 0);
    EXPECT_EQ(r.record.s2_levels, 3);
}

TEST_F(WalkerTest, Stage1OffUnderStage2TakesTheStage2Block) {
    Tables& s2t = stage2();
    s2t.map(0x40000000, 0x80000000, 2, AF | S2_RW | memattr(0xF));
    regs.sctlr = SCTLR_I | SCTLR_C;
    WalkResult r = run(0x40012345);
    ASSERT_FALSE(r.fault);
    EXPECT_EQ(r.t.size_log2, 21);
    EXPECT_EQ(r.t.s1_size_log2, 21);
    EXPECT_EQ(r.t.s2_size_log2, 21);
    EXPECT_EQ(r.t.level, 2);
    EXPECT_EQ(r.t.s2_level, 2);
    EXPECT_EQ(pa_of(r.t, 0x40012345), 0x80012345u);
    EXPECT_EQ(ipa_of(r.t, 0x40012345), 0x40012345u);
    EXPECT_TRUE(r.t.attrs.device);  // Device-nGnRnE from stage 1 off
    EXPECT_EQ(r.t.fetch_attrs.inner.type, Cacheability::WriteThrough);
}

TEST_F(WalkerTest, HcrTgeTurnsEl10Stage1Off) {
    Tables& t = stage1();
    t.map(0x1000, 0x80005000, 3, kPage);
    ASSERT_EQ(run(0x1000).t.pa, 0x80005000u);
    regs.hcr = HCR_TGE;
    WalkResult r = run(0x1000);
    ASSERT_FALSE(r.fault);
    EXPECT_FALSE(r.t.s1_enabled);
    EXPECT_EQ(r.t.pa, 0x1000u);
}

// ---- stage 2 ---------------------------------------------------------------------------------

struct S2Case {
    unsigned granule, t0sz, sl0;
    int start_level;
    unsigned concatenated;  // tables at the start level
};

class Stage2StartLevel : public WalkerTest, public ::testing::WithParamInterface<S2Case> {};

TEST_P(Stage2StartLevel, WalksConcatenatedStartTables) {
    const S2Case c = GetParam();
    Tables& t = stage2(c.t0sz, c.sl0, c.granule);
    const unsigned ia = 64 - c.t0sz;
    const uint64_t gsize = 1ull << c.granule;
    EXPECT_EQ((t.root_size() + gsize - 1) / gsize, c.concatenated);
    regs.sctlr = 0;  // stage 1 off: IPA = VA
    const uint64_t top = (1ull << ia) - 2 * gsize, oa = 0x700000000 + 5 * gsize;
    t.map(top, oa, 3, kS2Page);
    t.map(0, 0x600000000, 3, kS2Page);

    WalkResult r = run(top + 0x44);
    ASSERT_FALSE(r.fault) << int(r.fault.type) << " level " << int(r.fault.level);
    EXPECT_TRUE(r.t.s2_enabled);
    EXPECT_EQ(r.t.pa, oa);
    EXPECT_EQ(r.t.s2_level, 3);
    EXPECT_EQ(r.t.vmid, 0x5A);
    EXPECT_EQ(r.record.s2_levels, 4 - c.start_level);
    // The first read is in the last of the concatenated tables.
    EXPECT_GE(r.record.read_pa[0], t.root() + (c.concatenated - 1) * gsize);
    EXPECT_LT(r.record.read_pa[0], t.root() + c.concatenated * gsize);
    EXPECT_EQ(run(0x10).t.pa, 0x600000000u);
    // An IPA above the stage-2 input size: stage-2 Translation fault, level 0.
    if (ia < 48) {
        r = run((1ull << ia) + 0x1000);
        expect_fault(r, FaultType::Translation, 0, true);
        EXPECT_EQ(r.fault.ipa, (1ull << ia) + 0x1000);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Granules, Stage2StartLevel,
    ::testing::Values(S2Case{12, 25, 1, 1, 1}, S2Case{12, 24, 1, 1, 2}, S2Case{12, 21, 1, 1, 16},
                      S2Case{12, 30, 0, 2, 16}, S2Case{12, 32, 0, 2, 4}, S2Case{12, 37, 0, 2, 1},
                      S2Case{12, 16, 2, 0, 1}, S2Case{14, 28, 1, 2, 1}, S2Case{14, 25, 1, 2, 8},
                      S2Case{14, 24, 1, 2, 16}, S2Case{14, 39, 0, 3, 1}, S2Case{14, 36, 0, 3, 8},
                      S2Case{14, 17, 2, 1, 1}, S2Case{16, 35, 0, 3, 1}, S2Case{16, 31, 0, 3, 16},
                      S2Case{16, 22, 1, 2, 1}, S2Case{16, 18, 1, 2, 16}, S2Case{16, 16, 2, 1, 1}));

TEST_F(WalkerTest, Stage2InvalidStartConfigurationsFaultAtLevel0) {
    struct Bad {
        unsigned granule, t0sz, sl0, pa_bits;
    };
    const Bad cases[] = {
        {12, 25, 0, 48},  // level 2 would need 2^18 entries (> 16 tables)
        {12, 20, 1, 48},  // level 1 would need 32 tables
        {12, 34, 1, 48},  // level 1 table of one entry
        {12, 25, 3, 48},  // 4KB SL0 = 0b11 is reserved
        {12, 22, 2, 42},  // level 0 needs PAMax > 42
        {14, 17, 3, 48},  // 16KB level 0
        {14, 26, 2, 40},  // 16KB level 1 needs PAMax > 40
        {16, 25, 3, 48},  // 64KB level 0
        {16, 22, 2, 42},  // 64KB level 1 needs PAMax > 42
        {12, 16, 2, 40},  // IPA size above PAMax (CONSTRAINED UNPREDICTABLE: fault)
        {12, 40, 0, 48},  // T0SZ above 39
        {12, 15, 2, 48},  // T0SZ below 16
    };
    for (const Bad& c : cases) {
        SCOPED_TRACE(testing::Message() << "granule " << c.granule << " t0sz " << c.t0sz << " sl0 " << c.sl0);
        regs.hcr = HCR_VM;
        regs.sctlr = 0;
        regs.pa_bits = c.pa_bits;
        regs.vtcr = vtcr(c.t0sz, c.sl0, c.granule);
        regs.vttbr = 0x20000000;
        WalkResult r = run(0x1000);
        expect_fault(r, FaultType::Translation, 0, true);
        EXPECT_EQ(r.fault.ipa, 0x1000u);
        EXPECT_EQ(r.record.accesses, 0);
    }
}

TEST_F(WalkerTest, Stage2AddressSizeFaults) {
    Tables& t = stage2(24, 1);  // 40-bit IPA
    regs.sctlr = 0;
    t.map(0x1000, 1ull << 41, 3, kS2Page);
    t.map(0x2000, 0x90000000, 3, kS2Page);
    regs.vtcr = vtcr(24, 1, 12, 2);  // PS = 40 bits
    expect_fault(run(0x1000), FaultType::AddressSize, 3, true);
    EXPECT_FALSE(run(0x2000).fault);
    regs.vttbr = t.root() | 1ull << 40;
    expect_fault(run(0x2000), FaultType::AddressSize, 0, true);
}

TEST_F(WalkerTest, TwoStageTranslation) {
    two_stages();
    s1->map(0x7000, 0x12345000, 3, kPage | NG);
    map_s1_tables();
    s2->map(0x12200000, 0x88800000, 2, AF | SH_OSH | S2_RW | memattr(0xF));  // 2MB stage-2 block
    regs.ttbr0 = with_asid(s1->root(), 0x99);
    WalkResult r = run(0x7abc);
    ASSERT_FALSE(r.fault) << int(r.fault.type) << " level " << int(r.fault.level);
    EXPECT_TRUE(r.t.s1_enabled);
    EXPECT_TRUE(r.t.s2_enabled);
    EXPECT_EQ(r.t.va, 0x7000u);
    EXPECT_EQ(r.t.ipa, 0x12345000u);
    EXPECT_EQ(r.t.pa, 0x88945000u);
    EXPECT_EQ(r.t.size_log2, 12);
    EXPECT_EQ(r.t.s1_size_log2, 12);
    EXPECT_EQ(r.t.s2_size_log2, 21);
    EXPECT_EQ(r.t.level, 3);
    EXPECT_EQ(r.t.s2_level, 2);
    EXPECT_EQ(r.t.asid, 0x99);
    EXPECT_EQ(r.t.vmid, 0x5A);
    EXPECT_FALSE(r.t.global);
    EXPECT_EQ(r.t.attrs.sh, Shareability::Outer);  // ISH with OSH
    EXPECT_EQ(pa_of(r.t, 0x7abc), 0x88945abcu);
    // Three stage-1 levels, each table address through three stage-2 levels, then the output.
    EXPECT_EQ(r.record.s1_levels, 3);
    EXPECT_EQ(r.record.s2_levels, 3 * 3 + 2);
    EXPECT_EQ(r.record.accesses, 3 + 3 * 3 + 2);
}

TEST_F(WalkerTest, Stage1BlockLargerThanStage2Page) {
    two_stages();
    s1->map(0x40000000, 0xC0000000, 1, kPage);  // 1GB stage-1 block
    map_s1_tables();
    s2->map(0xC0123000, 0x99999000, 3, kS2Page);
    WalkResult r = run(0x40123456);
    ASSERT_FALSE(r.fault);
    EXPECT_EQ(r.t.size_log2, 12);
    EXPECT_EQ(r.t.s1_size_log2, 30);
    EXPECT_EQ(r.t.va, 0x40123000u);
    EXPECT_EQ(r.t.ipa, 0xC0000000u);  // aligned to the stage-1 block
    EXPECT_EQ(r.t.pa, 0x99999000u);
    EXPECT_EQ(ipa_of(r.t, 0x40123456), 0xC0123456u);
    EXPECT_EQ(r.t.level, 1);
}

TEST_F(WalkerTest, Stage2FaultOnAStage1TableWalkSetsS1ptw) {
    two_stages();
    s1->map(0x7000, 0x12345000, 3, kPage);
    map_s1_tables();
    s2->map(0x12345000, 0x88845000, 3, kS2Page);
    ASSERT_FALSE(run(0x7000).fault);

    // The page holding the stage-1 level 3 table loses its stage-2 mapping.
    const uint64_t l3_desc_ipa = s1->slot(0x7000, 3);
    const uint64_t l3_table_ipa = l3_desc_ipa & ~0xFFFull;
    s2->set(l3_table_ipa, 3, 0);
    WalkResult r = run(0x7000, AccessType::Write);
    expect_fault(r, FaultType::Translation, 3, true, true);
    EXPECT_EQ(r.fault.ipa, l3_desc_ipa);
    EXPECT_FALSE(r.s1_complete);

    // Access flag fault on it.
    s2->map(l3_table_ipa, l3_table_ipa + 0x40000000, 3, kS2Page & ~AF);
    expect_fault(run(0x7000), FaultType::AccessFlag, 3, true, true);

    // No stage-2 read permission: a Permission fault even for a fetch.
    s2->map(l3_table_ipa, l3_table_ipa + 0x40000000, 3, (kS2Page & ~S2_RW) | S2_W);
    r = run(0x7000, AccessType::Fetch);
    expect_fault(r, FaultType::Permission, 3, true, true);
    EXPECT_EQ(r.fault.ipa, l3_desc_ipa);
    // A Permission fault, yet the walk never reached a translation.
    EXPECT_FALSE(walk_and_check(regs, 0x7000, AccessType::Fetch, false, mem, nullptr).complete);

    // The output IPA unmapped: stage-2 fault without S1PTW.
    s2->map(l3_table_ipa, l3_table_ipa + 0x40000000, 3, kS2Page);
    s2->set(0x12345000, 3, 0);
    r = run(0x7010);
    expect_fault(r, FaultType::Translation, 3, true, false);
    EXPECT_EQ(r.fault.ipa, 0x12345010u);
    EXPECT_TRUE(r.s1_complete);
}

TEST_F(WalkerTest, HcrPtwFaultsAStage1WalkToStage2Device) {
    two_stages();
    s1->map(0x7000, 0x12345000, 3, kPage);
    map_s1_tables(AF | S2_RW | memattr(0x1));  // stage-1 tables in Device-nGnRE
    s2->map(0x12345000, 0x88845000, 3, kS2Page);
    WalkResult r = run(0x7000);
    ASSERT_FALSE(r.fault);  // PTW = 0: read as Normal Non-cacheable
    EXPECT_FALSE(r.t.attrs.device);
    regs.hcr |= HCR_PTW;
    r = run(0x7000);
    expect_fault(r, FaultType::Permission, 3, true, true);
    EXPECT_EQ(r.fault.ipa, s1->root() + 8 * 0);  // the first stage-1 read
}

TEST_F(WalkerTest, ExternalAbortOnAStage2WalkOfAStage1Table) {
    two_stages();
    s1->map(0x7000, 0x12345000, 3, kPage);
    map_s1_tables();
    mem.aborts.insert(s2->slot(s1->root(), 2));
    WalkResult r = run(0x7000);
    expect_fault(r, FaultType::SyncExternal, 2, true, true);
    EXPECT_TRUE(r.fault.on_table_walk);
}

TEST_F(WalkerTest, Stage2Permissions) {
    two_stages();
    s1->map(0x1000, 0x11111000, 3, kPage | AP_EL0);
    s1->map(0x2000, 0x11112000, 3, kPage | AP_EL0);
    s1->map(0x3000, 0x11113000, 3, kPage | AP_EL0);
    map_s1_tables();
    s2->map(0x11111000, 0x81111000, 3, AF | S2_R | memattr(0xF));          // read-only
    s2->map(0x11112000, 0x81112000, 3, AF | S2_RW | XN | memattr(0xF));    // execute-never
    s2->map(0x11113000, 0x81113000, 3, AF | S2_W | memattr(0xF));          // write-only
    WalkResult r = run(0x1000);
    ASSERT_FALSE(r.fault);
    EXPECT_EQ(perms_string(r.t, regs, true), "r-x");
    EXPECT_EQ(perms_string(r.t, regs, false), "r--");  // EL0-writable at stage 1: PXN
    r = walk_and_check(regs, 0x1234, AccessType::Write, true, mem, nullptr);
    expect_fault(r, FaultType::Permission, 3, true);
    EXPECT_EQ(r.fault.ipa, 0x11111234u);
    EXPECT_TRUE(r.complete);  // a whole translation: the TLBs may hold it
    r = run(0x2000);
    EXPECT_EQ(perms_string(r.t, regs, true), "rw-");
    r = run(0x3000);
    EXPECT_EQ(perms_string(r.t, regs, true), "-wx");
    const Fault f = check_permissions(regs, r.t, AccessType::Read, true);
    EXPECT_TRUE(f.stage2);
    EXPECT_EQ(f.ipa, 0x11113000u);
}

TEST_F(WalkerTest, Stage1PermissionFaultComesBeforeAStage2FaultOnTheOutput) {
    two_stages();
    s1->map(0x1000, 0x11111000, 3, kPage | AP_RO);
    map_s1_tables();  // 0x11111000 has no stage-2 mapping (no level 2 table either)
    WalkResult r = walk(regs, 0x1000, AccessType::Write, mem, nullptr);
    expect_fault(r, FaultType::Translation, 1, true);
    EXPECT_EQ(r.fault.ipa, 0x11111000u);
    EXPECT_TRUE(r.s1_complete);
    EXPECT_FALSE(r.t.s2_enabled);
    r = walk_and_check(regs, 0x1000, AccessType::Write, false, mem, nullptr);
    expect_fault(r, FaultType::Permission, 3);
    EXPECT_FALSE(r.complete);  // stage 2 of the output never finished: nothing to cache
    r = walk_and_check(regs, 0x1000, AccessType::Read, false, mem, nullptr);
    expect_fault(r, FaultType::Translation, 1, true);
    EXPECT_FALSE(r.complete);
}

// ---- memory attributes ---------------------------------------------------------------------

TEST_F(WalkerTest, MairDecoding) {
    struct Case {
        uint8_t attr;
        uint8_t encoded;  // mair_encoding() of the result
    };
    const Case cases[] = {
        {0xFF, 0xFF}, {0x44, 0x44}, {0xBB, 0xBB}, {0x77, 0x77}, {0x33, 0x33}, {0x4F, 0x4F}, {0xF4, 0xF4},
        {0x00, 0x00}, {0x04, 0x04}, {0x08, 0x08}, {0x0C, 0x0C},
        {0x01, 0x00}, {0x0E, 0x0C},  // reserved 0b0000ddxx: Device-dd
        {0x40, 0x44}, {0xF0, 0xF4},  // reserved 0booo0000: inner Non-cacheable
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(testing::Message() << std::hex << "attr " << unsigned(c.attr));
        mem.words.clear();
        Tables& t = stage1();
        t.map(0x1000, 0x80001000, 3, AF | SH_ISH | attr_idx(0));
        regs.mair = c.attr;
        WalkResult r = run(0x1000);
        ASSERT_FALSE(r.fault);
        EXPECT_EQ(r.t.mair_attr, c.attr);
        EXPECT_EQ(mair_encoding(r.t.attrs), c.encoded);
    }
    regs.mair = 0x77;
    const MemAttrs a = run(0x1000).t.attrs;
    EXPECT_EQ(a.inner.type, Cacheability::WriteBack);
    EXPECT_TRUE(a.inner.transient);
    EXPECT_TRUE(a.inner.read_alloc);
    EXPECT_TRUE(a.inner.write_alloc);
    EXPECT_TRUE(a.cacheable);
    EXPECT_EQ(a.sh, Shareability::Inner);
}

TEST_F(WalkerTest, ShareabilityAndNonCacheableDefaults) {
    Tables& t = stage1();
    t.map(0x1000, 0x80001000, 3, AF | SH_NSH | attr_idx(kWb));
    t.map(0x2000, 0x80002000, 3, AF | SH_ISH | attr_idx(kNc));
    t.map(0x3000, 0x80003000, 3, AF | SH_NSH | attr_idx(kDevNGnRE));
    t.map(0x4000, 0x80004000, 3, AF | (1ull << 8) | attr_idx(kWb));  // reserved SH 0b01
    EXPECT_EQ(run(0x1000).t.attrs.sh, Shareability::NonShareable);
    EXPECT_FALSE(run(0x1000).t.attrs.shareable);
    EXPECT_EQ(run(0x2000).t.attrs.sh, Shareability::Outer);  // Normal NC is Outer Shareable
    EXPECT_EQ(run(0x3000).t.attrs.sh, Shareability::Outer);  // so is Device
    EXPECT_EQ(run(0x4000).t.attrs.sh, Shareability::Outer);
    EXPECT_EQ(sh_encoding(Shareability::NonShareable), 0);
    EXPECT_EQ(sh_encoding(Shareability::Outer), 2);
    EXPECT_EQ(sh_encoding(Shareability::Inner), 3);
}

TEST_F(WalkerTest, SctlrCAndIMakeStage1NormalMemoryNonCacheable) {
    Tables& t = stage1();
    t.map(0x1000, 0x80001000, 3, kPage);
    WalkResult r = run(0x1000);
    EXPECT_EQ(mair_encoding(r.t.attrs), 0xFF);
    EXPECT_EQ(mair_encoding(r.t.fetch_attrs), 0xFF);
    regs.sctlr = SCTLR_M | SCTLR_I;  // C = 0
    r = run(0x1000);
    EXPECT_EQ(r.t.mair_attr, 0xFF);
    EXPECT_EQ(mair_encoding(r.t.attrs), 0x44);
    EXPECT_FALSE(r.t.attrs.cacheable);
    EXPECT_EQ(mair_encoding(r.t.fetch_attrs), 0xFF);
    regs.sctlr = SCTLR_M | SCTLR_C;  // I = 0
    r = run(0x1000, AccessType::Fetch);
    EXPECT_EQ(mair_encoding(r.t.attrs), 0xFF);
    EXPECT_EQ(mair_encoding(r.t.fetch_attrs), 0x44);
    EXPECT_EQ(&r.t.attrs_for(AccessType::Fetch), &r.t.fetch_attrs);
    EXPECT_EQ(&r.t.attrs_for(AccessType::Write), &r.t.attrs);
}

TEST_F(WalkerTest, FetchFromDeviceBehavesAsNormalNonCacheable) {
    Tables& t = stage1();
    t.map(0x1000, 0x80001000, 3, AF | attr_idx(kDevNGnRE));
    WalkResult r = run(0x1000, AccessType::Fetch);
    ASSERT_FALSE(r.fault);
    EXPECT_TRUE(r.t.attrs.device);
    EXPECT_FALSE(r.t.fetch_attrs.device);
    EXPECT_EQ(mair_encoding(r.t.fetch_attrs), 0x44);
}

struct CombineCase {
    unsigned s1_attr_index;
    uint64_t s1_sh;
    unsigned s2_memattr;
    uint64_t s2_sh;
    uint8_t encoded;     // mair_encoding() of the combination
    Shareability sh;
};

TEST_F(WalkerTest, Stage1AndStage2AttributesCombine) {
    const CombineCase cases[] = {
        {kWb, SH_ISH, 0xF, SH_ISH, 0xFF, Shareability::Inner},   // WB + WB: stage-1 hints
        {kWb, SH_ISH, 0xA, SH_NSH, 0xBB, Shareability::Inner},     // WT wins, stage-1 hints
        {kWt, SH_NSH, 0x5, SH_NSH, 0x44, Shareability::Outer},   // NC/NC is Outer Shareable
        {kWb, SH_NSH, 0xF, SH_NSH, 0xFF, Shareability::NonShareable},
        {kWb, SH_NSH, 0xF, SH_ISH, 0xFF, Shareability::Inner},
        {kWb, SH_ISH, 0xF, SH_OSH, 0xFF, Shareability::Outer},
        {kOnc, SH_ISH, 0xF, SH_ISH, 0x4F, Shareability::Inner},   // outer NC, inner WB
        {kWb, SH_ISH, 0x7, SH_ISH, 0x4F, Shareability::Inner},    // stage 2 outer NC, inner WB
        {kWb, SH_ISH, 0x1, SH_ISH, 0x04, Shareability::Outer},    // stage-2 Device-nGnRE
        {kDevNGnRE, SH_ISH, 0x0, SH_ISH, 0x00, Shareability::Outer},  // the stronger Device type
        {kDevGRE, SH_ISH, 0x2, SH_ISH, 0x08, Shareability::Outer},
        {kDevNGRE, SH_ISH, 0x3, SH_ISH, 0x08, Shareability::Outer},
        {kDevNGnRnE, SH_ISH, 0xF, SH_ISH, 0x00, Shareability::Outer},
    };
    for (const CombineCase& c : cases) {
        SCOPED_TRACE(testing::Message() << "attr index " << c.s1_attr_index << " s2 memattr " << c.s2_memattr);
        mem.words.clear();
        regs.hcr = 0;
        two_stages();
        s1->map(0x1000, 0x11111000, 3, AF | c.s1_sh | attr_idx(c.s1_attr_index));
        map_s1_tables();
        s2->map(0x11111000, 0x81111000, 3, AF | c.s2_sh | S2_RW | memattr(c.s2_memattr));
        WalkResult r = run(0x1000);
        ASSERT_FALSE(r.fault);
        EXPECT_EQ(mair_encoding(r.t.attrs), c.encoded);
        EXPECT_EQ(r.t.attrs.sh, c.sh);
        EXPECT_EQ(r.t.attrs.device, (c.encoded & 0xF0) == 0);
    }
}

TEST_F(WalkerTest, HcrCdAndIdMakeStage2NonCacheable) {
    two_stages();
    s1->map(0x1000, 0x11111000, 3, kPage);
    map_s1_tables();
    s2->map(0x11111000, 0x81111000, 3, kS2Page);
    WalkResult r = run(0x1000);
    EXPECT_EQ(mair_encoding(r.t.attrs), 0xFF);
    EXPECT_EQ(mair_encoding(r.t.fetch_attrs), 0xFF);
    regs.hcr |= HCR_CD;
    r = run(0x1000);
    EXPECT_EQ(mair_encoding(r.t.attrs), 0x44);
    EXPECT_EQ(mair_encoding(r.t.fetch_attrs), 0xFF);
    regs.hcr = (regs.hcr & ~HCR_CD) | HCR_ID;
    r = run(0x1000, AccessType::Fetch);
    EXPECT_EQ(mair_encoding(r.t.attrs), 0xFF);
    EXPECT_EQ(mair_encoding(r.t.fetch_attrs), 0x44);
}

// ---- walk record and walk cache ----------------------------------------------------------------

TEST_F(WalkerTest, WalkRecordListsTheDescriptorReads) {
    Tables& t = stage1(16);
    t.map(0x0000123456789000, 0x80001000, 3, kPage);
    WalkResult r = run(0x0000123456789000);
    ASSERT_FALSE(r.fault);
    EXPECT_EQ(r.record.accesses, 4);
    EXPECT_EQ(r.record.nreads, 4);
    EXPECT_EQ(r.record.walk_cache_hits, 0);
    for (int level = 0; level < 4; ++level) EXPECT_EQ(r.record.read_pa[level], t.slot(0x0000123456789000, level));
}

TEST_F(WalkerTest, FourLevelTwoStageWalkReads24Descriptors) {
    two_stages(16, 16, 2);
    s1->map(0x0000123456789000, 0x0000222233334000, 3, kPage);
    map_s1_tables();
    s2->map(0x0000222233334000, 0x90000000, 3, kS2Page);
    WalkResult r = run(0x0000123456789000);
    ASSERT_FALSE(r.fault) << int(r.fault.type) << " level " << int(r.fault.level);
    EXPECT_EQ(r.t.pa, 0x90000000u);
    EXPECT_EQ(r.record.s1_levels, 4);
    EXPECT_EQ(r.record.s2_levels, 20);
    EXPECT_EQ(r.record.accesses, 24);
    EXPECT_EQ(unsigned(r.record.nreads), WalkRecord::kMaxReads);
    // Stage 2 of the stage-1 level 0 table address, then the level 0 read itself.
    EXPECT_EQ(r.record.read_pa[0], s2->slot(s1->root(), 0));
    EXPECT_EQ(r.record.read_pa[3], s2->slot(s1->root(), 3));
    EXPECT_EQ(r.record.read_pa[4], s1->slot(0x0000123456789000, 0) + 0x40000000);
    EXPECT_EQ(r.record.read_pa[23], s2->slot(0x0000222233334000, 3));
}

TEST_F(WalkerTest, WalkCacheSavesStage1TableReads) {
    Tables& t = stage1(16);
    t.map(0x0000123456789000, 0x80001000, 3, kPage);
    t.map(0x000012345678A000, 0x80002000, 3, kPage);
    MapCache cache;
    WalkResult r = run(0x0000123456789000, AccessType::Read, &cache);
    ASSERT_FALSE(r.fault);
    EXPECT_EQ(r.record.accesses, 4);
    EXPECT_EQ(cache.entries.size(), 3u);  // the level 0, 1 and 2 table descriptors
    for (const auto& e : cache.entries) {
        const uint64_t ctx = std::get<1>(e.first);
        EXPECT_FALSE(std::get<0>(e.first));
        EXPECT_EQ(walk_ctx_base(ctx), t.root());
        EXPECT_EQ(walk_ctx_regime(ctx), Regime::EL10);
        EXPECT_EQ(walk_ctx_granule_log2(ctx), 12u);
        EXPECT_FALSE(walk_ctx_ttbr1(ctx));
        const int level = std::get<3>(e.first);
        EXPECT_EQ(std::get<2>(e.first), 0x0000123456789000 & ~bits_below(level_shift(12, level)));
    }
    r = run(0x000012345678A000, AccessType::Read, &cache);
    ASSERT_FALSE(r.fault);
    EXPECT_EQ(r.t.pa, 0x80002000u);
    EXPECT_EQ(r.record.accesses, 1);
    EXPECT_EQ(r.record.walk_cache_hits, 3);
    EXPECT_EQ(r.record.s1_levels, 4);
    EXPECT_EQ(r.record.read_pa[0], t.slot(0x000012345678A000, 3));
    // A debug walk (no cache) reads everything.
    EXPECT_EQ(run(0x000012345678A000).record.accesses, 4);
    // A stale cached entry is used: the walker does not check memory again.
    t.set(0x000012345678A000, 0, 0);
    EXPECT_FALSE(run(0x000012345678A000, AccessType::Read, &cache).fault);
    expect_fault(run(0x000012345678A000), FaultType::Translation, 0);
}

TEST_F(WalkerTest, WalkCacheSavesStage2ReadsToo) {
    two_stages(16, 16, 2);
    s1->map(0x0000123456789000, 0x0000222233334000, 3, kPage);
    s1->map(0x000012345678A000, 0x0000222233335000, 3, kPage);
    map_s1_tables();
    s2->map(0x0000222233334000, 0x90000000, 3, kS2Page);
    s2->map(0x0000222233335000, 0x90001000, 3, kS2Page);
    MapCache cache;
    WalkResult r = run(0x0000123456789000, AccessType::Read, &cache);
    ASSERT_FALSE(r.fault);
    // Already within this walk, the stage-2 walks of the stage-1 level 1-3
    // tables (same 2MB of IPA as the level 0 table) hit stage-2 levels 0-2.
    EXPECT_EQ(r.record.walk_cache_hits, 9);
    EXPECT_EQ(r.record.accesses, 24 - 9);
    r = run(0x000012345678A000, AccessType::Read, &cache);
    ASSERT_FALSE(r.fault);
    EXPECT_EQ(r.t.pa, 0x90001000u);
    // Stage-1 levels 0-2 hit; the level 3 table's IPA: stage-2 levels 0-2 hit,
    // level 3 read; the stage-1 level 3 read; the output: levels 0-2 hit, 3 read.
    EXPECT_EQ(r.record.walk_cache_hits, 9);
    EXPECT_EQ(r.record.accesses, 3);
    bool saw_stage2 = false;
    for (const auto& e : cache.entries) {
        if (!std::get<0>(e.first)) continue;
        saw_stage2 = true;
        EXPECT_EQ(walk_ctx_base(std::get<1>(e.first)), s2->root());
        EXPECT_EQ(walk_ctx_vmid(std::get<1>(e.first)), 0x5A);
    }
    EXPECT_TRUE(saw_stage2);
}

TEST_F(WalkerTest, FaultingTableDescriptorsAreNotCached) {
    Tables& t = stage1(16);
    t.map(0x1000, 0x80001000, 3, kPage);
    regs.tcr = tcr_el1(16, 12, 16, 12, 2);  // 40-bit IPS
    const uint64_t l1 = t.get(0x1000, 1);
    t.set(0x1000, 1, l1 | 1ull << 42);
    MapCache cache;
    expect_fault(run(0x1000, AccessType::Read, &cache), FaultType::AddressSize, 1);
    EXPECT_EQ(cache.entries.size(), 1u);  // level 0 only
}

TEST(WalkCtx, PacksAndUnpacks) {
    const uint64_t ctx = make_walk_ctx(0x0000123456789000, 0xAB, Regime::EL20, 16, true);
    EXPECT_EQ(walk_ctx_base(ctx), 0x0000123456789000u);
    EXPECT_EQ(walk_ctx_vmid(ctx), 0xAB);
    EXPECT_EQ(walk_ctx_regime(ctx), Regime::EL20);
    EXPECT_EQ(walk_ctx_granule_log2(ctx), 16u);
    EXPECT_TRUE(walk_ctx_ttbr1(ctx));
    EXPECT_EQ(walk_ctx_granule_log2(make_walk_ctx(0, 0, Regime::EL10, 14, false)), 14u);
    static_assert(level_shift(12, 1) == 30 && level_shift(14, 2) == 25 && level_shift(16, 2) == 29);
}

}  // namespace
