// Unit tests of the ITS's device and collection caches (LRU, invalidated by
// MAPD/MAPC), two-level device tables, the redistributors' bounded lazy and
// eager LPI configuration caches, the `its` and `gic` trace events and life
// statistics, and the ITS protocol checker.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "its_bench.h"
#include "models/its/protocol_checker.h"

namespace {

using namespace its_bench;
using hvsim::Trace;
using hvsim::gic::IrqClass;
using hvsim::gic::LpiCaching;
using hvsim::its::ItsReport;
using hvsim::its::ProtocolChecker;

constexpr uint64_t L1 = kRam + 0x80000, L2A = kRam + 0x81000, L2B = kRam + 0x82000;
constexpr uint64_t kValid = 1ull << 63;

std::string contents(std::FILE* f) {
    std::fflush(f);
    std::rewind(f);
    std::string s;
    char buf[512];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
    return s;
}

TEST(ItsCaches, DeviceAndCollectionEntries) {
    Bench b;
    b.init();
    b.map_basic();
    EXPECT_TRUE(b.its.device_cached(1));  // MAPTI looked the device up
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    const auto& fx = b.its.last_effects();
    EXPECT_EQ(fx.xlat_miss, 1u);
    EXPECT_EQ(fx.dev_hit, 1u);
    EXPECT_EQ(fx.coll_miss, 1u);
    EXPECT_TRUE(b.its.collection_cached(3));
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    EXPECT_EQ(b.its.last_effects().xlat_hit, 1u);
    EXPECT_EQ(b.its.last_effects().coll_hit, 1u);
    EXPECT_EQ(b.its.last_effects().reads, 4u);  // the command only

    // A collection-table entry rewritten in memory without MAPC is not seen
    // while cached (software must use MAPC); MAPC drops the cached entry.
    b.mem.put64(COLT + 3 * 8, kValid | 1);
    EXPECT_EQ(b.take(0), 8200u);
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    EXPECT_TRUE(b.gic.lpi_pending(0, 8200));
    EXPECT_EQ(b.take(0), 8200u);
    ASSERT_EQ(b.mapc(3, 1), CmdError::None);
    EXPECT_FALSE(b.its.collection_cached(3));
    EXPECT_EQ(b.its.last_effects().dropped, 1u);
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    EXPECT_TRUE(b.gic.lpi_pending(1, 8200));

    // MAPD drops the device's entry and its translations.
    ASSERT_EQ(b.mapd(1, ITT, 5), CmdError::None);
    EXPECT_FALSE(b.its.device_cached(1));
    EXPECT_FALSE(b.its.cached(1, 5));
    EXPECT_EQ(b.its.last_effects().dropped, 2u);
    EXPECT_GE(b.its.device_cache_stats().invalidations, 1u);
    EXPECT_GE(b.its.collection_cache_stats().invalidations, 1u);
}

TEST(ItsCaches, LruReplacement) {
    Bench b(its_config(16, 1, 1), 2);
    b.init();
    b.map_basic();
    ASSERT_EQ(b.mapd(2, ITT + 0x1000, 5), CmdError::None);
    ASSERT_EQ(b.mapti(2, 0, 8201, 4), CmdError::None);
    EXPECT_TRUE(b.its.device_cached(2));
    EXPECT_FALSE(b.its.device_cached(1));  // evicted by device 2
    ASSERT_EQ(b.int_(1, 5), CmdError::None);  // translation miss (MAPTI dropped it): device 1 again
    EXPECT_TRUE(b.its.device_cached(1));
    EXPECT_FALSE(b.its.device_cached(2));
    ASSERT_EQ(b.int_(1, 5), CmdError::None);  // translation hit: no device lookup
    EXPECT_EQ(b.its.last_effects().dev_hit + b.its.last_effects().dev_miss, 0u);
    ASSERT_EQ(b.int_(2, 0), CmdError::None);
    EXPECT_TRUE(b.its.collection_cached(4));
    EXPECT_FALSE(b.its.collection_cached(3));
    EXPECT_GE(b.its.device_cache_stats().evictions, 1u);
    EXPECT_GE(b.its.collection_cache_stats().evictions, 1u);
}

TEST(ItsCaches, NoneConfigured) {
    Bench b(its_config(0, 0, 0), 2);
    b.init();
    b.map_basic();
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    EXPECT_EQ(b.take(0), 8200u);
    EXPECT_FALSE(b.its.device_cached(1));
    EXPECT_FALSE(b.its.collection_cached(3));
    EXPECT_EQ(b.its.device_cache_stats().hits, 0u);
}

TEST(ItsIndirect, TwoLevelDeviceTable) {
    Bench b;
    b.init();
    b.iwrite(GITS_CTLR, 0, 4);
    // 4 KiB pages: one level-1 page of 512 descriptors, 512 devices per level-2 page.
    b.iwrite(GITS_BASER, kValid | (1ull << 62) | L1);
    EXPECT_EQ(b.iread(GITS_BASER) & (kValid | (1ull << 62) | 0xFFFFFFFFF000ull), kValid | (1ull << 62) | L1);
    b.iwrite(GITS_CTLR, 1, 4);
    // Level-1 descriptor 0 not valid: DeviceID 5 is out of range.
    EXPECT_EQ(b.mapd(5, ITT, 5), CmdError::DeviceOutOfRange);
    EXPECT_EQ(b.iread(GITS_CREADR) & 1, 1u);
    b.mem.put64(L1, kValid | L2A);
    b.iwrite(GITS_CWRITER, b.iread(GITS_CWRITER) | 1);  // Retry
    EXPECT_EQ(b.drain(), CmdError::None);
    uint64_t dte = 0;
    std::memcpy(&dte, &b.mem.at(L2A + 5 * 8), 8);
    EXPECT_EQ(dte >> 63, 1u);
    EXPECT_EQ(dte & 0xFFFFFFFFFF00ull, ITT);
    // DeviceID 600: level-1 descriptor 1, entry 88 of its page.
    b.mem.put64(L1 + 8, kValid | L2B);
    ASSERT_EQ(b.mapd(600, ITT + 0x1000, 5), CmdError::None);
    std::memcpy(&dte, &b.mem.at(L2B + 88 * 8), 8);
    EXPECT_EQ(dte & 0xFFFFFFFFFF00ull, ITT + 0x1000);
    ASSERT_EQ(b.mapc(3, 1), CmdError::None);
    ASSERT_EQ(b.mapti(600, 2, 8210, 3), CmdError::None);
    b.prop(8210, 0x80, true);
    ASSERT_EQ(b.int_(600, 2), CmdError::None);
    EXPECT_EQ(b.take(1), 8210u);
    // Beyond what valid level-1 descriptors cover: dropped, and a command error.
    EXPECT_FALSE(b.its.translate(1100, 0));
    EXPECT_EQ(b.int_(1100, 0), CmdError::DeviceOutOfRange);
}

TEST(ItsIndirect, TwoLevelCollectionTable) {
    Bench b;
    b.init();
    b.iwrite(GITS_CTLR, 0, 4);
    b.iwrite(GITS_BASER + 8, kValid | (1ull << 62) | L1);  // 4 KiB pages: 512 ICIDs per level-2 page
    b.iwrite(GITS_CTLR, 1, 4);
    EXPECT_EQ(b.mapc(3, 1), CmdError::CollectionOutOfRange);  // level-1 descriptor 0 not valid
    b.mem.put64(L1, kValid | L2A);
    b.iwrite(GITS_CWRITER, b.iread(GITS_CWRITER) | 1);
    ASSERT_EQ(b.drain(), CmdError::None);
    uint64_t cte = 0;
    std::memcpy(&cte, &b.mem.at(L2A + 3 * 8), 8);
    EXPECT_EQ(cte, kValid | 1);
    ASSERT_EQ(b.mapd(1, ITT, 5), CmdError::None);
    ASSERT_EQ(b.mapti(1, 5, 8200, 3), CmdError::None);
    b.prop(8200, 0xA0, true);
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    EXPECT_EQ(b.take(1), 8200u);
    EXPECT_EQ(b.mapc(600, 0), CmdError::CollectionOutOfRange);  // descriptor 1 not valid
}

TEST(LpiCache, BoundedCacheEvicts) {
    for (unsigned entries : {1u, 256u}) {
        GicConfig g;
        g.lpi_cache_entries = entries;
        Bench b(its_config(16), 2, g);
        b.init();
        b.map_basic();
        ASSERT_EQ(b.mapti(1, 6, 8201, 3), CmdError::None);
        b.prop(8201, 0xB0, true);
        ASSERT_EQ(b.int_(1, 5), CmdError::None);  // 8200's configuration cached
        b.prop(8200, 0xA0, false);                // disabled in memory, no INV
        ASSERT_EQ(b.int_(1, 6), CmdError::None);
        const auto& st = b.gic.redistributor(0).lpis().stats();
        if (entries == 1) {
            EXPECT_GT(st.evictions, 0u);
            EXPECT_EQ(b.take(0), 8201u);  // 8200 evicted, re-read: disabled
        } else {
            EXPECT_EQ(st.evictions, 0u);
            EXPECT_EQ(b.take(0), 8200u);  // still the cached configuration
        }
    }
}

TEST(LpiCache, EagerSeesChangesAtNextDelivery) {
    GicConfig g;
    g.lpi_caching = LpiCaching::Eager;
    Bench b(its_config(16), 2, g);
    b.init();
    b.map_basic();
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    b.prop(8200, 0xA0, false);
    EXPECT_EQ(b.take(0), kSpurious);
    b.prop(8200, 0x90, true);
    EXPECT_EQ(b.take(0), 8200u);
    ASSERT_EQ(b.inv(1, 5), CmdError::None);
    EXPECT_EQ(b.its.last_effects().lpi_dropped, 0u);  // nothing is cached
    EXPECT_EQ(b.gic.redistributor(0).lpis().stats().invalidations_empty, 1u);
}

TEST(LpiCache, InvCountsWhatItDropped) {
    Bench b;
    b.init();
    b.map_basic();
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    EXPECT_EQ(b.take(0), 8200u);
    ASSERT_EQ(b.inv(1, 5), CmdError::None);
    EXPECT_EQ(b.its.last_effects().lpi_dropped, 1u);
    ASSERT_EQ(b.inv(1, 5), CmdError::None);
    EXPECT_EQ(b.its.last_effects().lpi_dropped, 0u);
    const auto& st = b.gic.redistributor(0).lpis().stats();
    EXPECT_EQ(st.invalidations, 2u);
    EXPECT_EQ(st.invalidations_empty, 1u);
    EXPECT_EQ(b.its.stats().lpi_config_dropped, 1u);
}

TEST(ItsTrace, CommandAndInterruptEvents) {
    std::FILE* f = std::tmpfile();
    ASSERT_NE(f, nullptr);
    Trace t;
    std::string bad;
    ASSERT_TRUE(t.enable("its,gic", bad));
    t.set_output(f);
    Bench b;
    uint64_t ns = 0;
    b.its.set_trace(&t);
    b.its.set_clock([&ns] { return ns; });
    b.gic.set_trace(&t, [&ns] { return ns; });
    b.init();
    b.its.set_busy(true);
    ns = 100;
    b.map_basic();
    b.its.set_busy(false);
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    EXPECT_EQ(b.take(0), 8200u);
    b.gic.set_ppi(0, 11, true);  // INTID 27
    const std::string s = contents(f);
    std::fclose(f);
    EXPECT_NE(s.find("100ns its    MAPD at 0x40030000: DeviceID=1 Size=4 ITT_addr=0x40060000 V=1 started 0ns completed "
                     "100ns; reads=4 writes=1\n"),
              std::string::npos)
        << s;
    EXPECT_NE(s.find("MAPTI at 0x40030060: DeviceID=1 EventID=5 pINTID=8200 ICID=3"), std::string::npos) << s;
    EXPECT_NE(s.find("INT at 0x40030080: DeviceID=1 EventID=5 started 0ns completed 100ns; reads=6 dev_hit=1 coll_miss=1 "
                     "xlat_miss=1"),
              std::string::npos)
        << s;
    EXPECT_NE(s.find("100ns gic    cpu0 LPI 8200 pending (ITS)"), std::string::npos) << s;
    EXPECT_NE(s.find("LPI 8200 delivered (priority 0xa0"), std::string::npos) << s;
    EXPECT_NE(s.find("LPI 8200 EOI"), std::string::npos) << s;
    EXPECT_NE(s.find("gic    cpu0 PPI 27 pending (line)"), std::string::npos) << s;
    const auto& st = b.gic.stats();
    EXPECT_EQ(st.by_class[unsigned(IrqClass::Lpi)].pending, 1u);
    EXPECT_EQ(st.by_class[unsigned(IrqClass::Lpi)].activated, 1u);
    EXPECT_EQ(st.by_class[unsigned(IrqClass::Lpi)].eoi, 1u);
    EXPECT_EQ(st.by_class[unsigned(IrqClass::Ppi)].pending, 1u);
}

TEST(ProtocolChecker, Reports) {
    std::FILE* f = std::tmpfile();
    ASSERT_NE(f, nullptr);
    Bench b;
    uint64_t newest_dw0 = 0;
    auto view = [&b](uint64_t pa, void* dst, unsigned len) { std::memcpy(dst, &b.mem.at(pa), len); };
    auto newest = [&](uint64_t pa, void* dst, unsigned len) {
        view(pa, dst, len);
        if (newest_dw0) std::memcpy(dst, &newest_dw0, 8);
    };
    ProtocolChecker ck(f, b.gic, view, newest, [] { return uint64_t(7); });
    b.gic.set_lpi_observer(&ck);
    b.its.set_command_observer([&ck](uint64_t pa, const uint64_t(&dw)[4]) { ck.command_read(pa, dw); });
    b.init();
    b.map_basic();
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    EXPECT_EQ(b.take(0), 8200u);
    EXPECT_EQ(ck.reports(ItsReport::LpiConfigWithoutInv), 0u);
    // A priority change without INV, then delivery: reported once.
    b.prop(8200, 0x90, true);
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    EXPECT_EQ(b.take(0), 8200u);
    EXPECT_EQ(ck.reports(ItsReport::LpiConfigWithoutInv), 1u);
    // With INV: not reported.
    b.prop(8200, 0x80, true);
    ASSERT_EQ(b.inv(1, 5), CmdError::None);
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    EXPECT_EQ(b.take(0), 8200u);
    EXPECT_EQ(ck.reports(ItsReport::LpiConfigWithoutInv), 1u);
    // INV of an LPI whose configuration is not cached.
    ASSERT_EQ(b.inv(1, 5), CmdError::None);
    ASSERT_EQ(b.inv(1, 5), CmdError::None);
    EXPECT_EQ(ck.reports(ItsReport::InvFoundNothing), 1u);
    EXPECT_EQ(ck.reports(ItsReport::StaleCommand), 0u);
    // The newest copy of the queue differs from memory (an uncleaned cache line).
    newest_dw0 = 0x05;
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    EXPECT_EQ(ck.reports(ItsReport::StaleCommand), 1u);
    const std::string s = contents(f);
    std::fclose(f);
    EXPECT_NE(s.find("hvsim: its: lpi-config-without-inv LPI 8200 at cpu0, 7ns: delivered with configuration 0xa1; memory "
                     "(0x40000008) changed from 0xa1 to 0x91 with no INV/INVALL since"),
              std::string::npos)
        << s;
    EXPECT_NE(s.find("hvsim: its: inv-found-nothing INV of LPI 8200 at cpu0"), std::string::npos) << s;
    EXPECT_NE(s.find("hvsim: its: stale-command at 0x40030"), std::string::npos) << s;
}

}  // namespace
