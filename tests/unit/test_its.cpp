// Unit tests of LPIs (models/gic/lpi.*) and the ITS (models/its): GICD/GICR
// LPI registers, property and pending tables in memory, the redistributor's
// configuration cache (stale until INV/INVALL), ITS registers, command
// decoding, command errors with the queue stall and Retry, translation
// through GITS_TRANSLATER, the translation cache, MOVI/MOVALL, and the
// SystemC module's per-command latency.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "models/gic/gic.h"
#include "models/its/its.h"
#include "models/its/its_module.h"
#include "its_bench.h"

namespace {

using namespace its_bench;

TEST(Lpi, Registers) {
    Bench b;
    uint32_t typer = 0;
    b.gic.distributor_access(GICD_TYPER, reinterpret_cast<uint8_t*>(&typer), 4, false);
    EXPECT_EQ((typer >> 17) & 1, 1u);     // LPIS
    EXPECT_EQ((typer >> 19) & 0x1F, 15u); // IDbits: 16
    EXPECT_EQ(b.rread(0, GICR_TYPER) & 1, 1u);  // PLPIS
    EXPECT_EQ(b.rread(0, GICR_CTLR), 0u);
    b.rwrite(0, GICR_PROPBASER, PROP | (1ull << 10) | (7ull << 7) | 15 | (1ull << 56), 8);
    EXPECT_EQ(b.rread(0, GICR_PROPBASER, 8), PROP | (1ull << 10) | (7ull << 7) | 15 | (1ull << 56));
    b.rwrite(0, GICR_PENDBASER, PEND0 | (1ull << 62) | 0xF000, 8);  // PTZ reads 0, PA[15:12] RES0
    EXPECT_EQ(b.rread(0, GICR_PENDBASER, 8), PEND0);
    b.rwrite(0, GICR_CTLR, 1);
    EXPECT_EQ(b.rread(0, GICR_CTLR), 1u);
    b.rwrite(0, GICR_PROPBASER, 0, 8);  // ignored while EnableLPIs = 1
    EXPECT_EQ(b.rread(0, GICR_PROPBASER, 8) & 0xFFFFFFFFFF000ull, PROP);
}

TEST(Lpi, PendingTableReadAtEnable) {
    Bench b;
    b.mem.at(PEND0 + 8200 / 8) = 1u << (8200 % 8);
    b.prop(8200, 0x40, true);
    b.init();
    EXPECT_TRUE(b.gic.lpi_pending(0, 8200));
    EXPECT_TRUE(b.lines[0]);
    EXPECT_EQ(b.take(0), 8200u);
    EXPECT_EQ(b.mem.at(PEND0 + 8200 / 8), 0u);  // written back on acknowledge
    EXPECT_FALSE(b.lines[0]);
}

TEST(Its, Registers) {
    Bench b;
    const uint64_t t = b.iread(GITS_TYPER);
    EXPECT_EQ(t & 1, 1u);                  // Physical
    EXPECT_EQ((t >> 1) & 1, 0u);           // Virtual
    EXPECT_EQ((t >> 4) & 0xF, 7u);         // ITT_entry_size - 1
    EXPECT_EQ((t >> 8) & 0x1F, 15u);       // IDbits - 1
    EXPECT_EQ((t >> 13) & 0x1F, 15u);      // Devbits - 1
    EXPECT_EQ((t >> 18) & 3, 0u);          // SEIS, PTA
    EXPECT_EQ((t >> 24) & 0xFF, 0u);       // HCC
    EXPECT_EQ((b.iread(GITS_PIDR2, 4) >> 4) & 0xF, 3u);
    EXPECT_EQ(b.iread(GITS_CTLR, 4), 1u << 31);  // Quiescent, disabled
    EXPECT_EQ((b.iread(GITS_BASER) >> 56) & 7, 1u);   // devices
    EXPECT_EQ((b.iread(GITS_BASER + 8) >> 56) & 7, 4u);  // collections
    EXPECT_EQ((b.iread(GITS_BASER) >> 48) & 0x1F, 7u);  // 8-byte entries
    EXPECT_EQ(b.iread(GITS_BASER + 16), 0u);            // BASER2: unimplemented
    b.iwrite(GITS_BASER, (1ull << 63) | (1ull << 62) | DEVT | (3ull << 10) | (1ull << 8) | 3);
    EXPECT_EQ(b.iread(GITS_BASER) & ~((7ull << 56) | (0x1Full << 48)),
              (1ull << 63) | (1ull << 62) | DEVT | (3ull << 10) | (1ull << 8) | 3);  // Indirect kept
    // 32-bit halves.
    b.iwrite(GITS_CBASER, CMDQ | 1, 4);
    b.iwrite(GITS_CBASER + 4, 1u << 31, 4);
    EXPECT_EQ(b.iread(GITS_CBASER), (1ull << 63) | CMDQ | 1);
    EXPECT_EQ(b.iread(GITS_CBASER + 4, 4), 1u << 31);
    b.init();
    EXPECT_EQ(b.iread(GITS_CTLR, 4), 1u);
    EXPECT_EQ(b.iread(GITS_CREADR), 0u);
}

TEST(Its, MapAndInt) {
    Bench b;
    b.init();
    b.map_basic();
    EXPECT_EQ(b.sync(0), CmdError::None);
    EXPECT_EQ(b.iread(GITS_CREADR), 5u * 32);
    EXPECT_FALSE(b.lines[0]);
    EXPECT_EQ(b.int_(1, 5), CmdError::None);
    EXPECT_TRUE(b.lines[0]);
    EXPECT_FALSE(b.lines[1]);
    EXPECT_EQ(b.icc(0, SR::ICC_HPPIR1_EL1), 8200u);
    EXPECT_EQ(b.mem.at(PEND0 + 8200 / 8), 1u << (8200 % 8));
    EXPECT_EQ(b.take(0), 8200u);
    EXPECT_EQ(b.icc(0, SR::ICC_RPR_EL1), 0xFFu);
    EXPECT_FALSE(b.lines[0]);
    // Tables in memory: the DTE, CTE and ITTE in the model's format.
    uint64_t dte = 0, ite = 0, cte = 0;
    std::memcpy(&dte, &b.mem.at(DEVT + 8), 8);
    std::memcpy(&cte, &b.mem.at(COLT + 4 * 8), 8);
    std::memcpy(&ite, &b.mem.at(ITT + 5 * 8), 8);
    EXPECT_EQ(dte, (1ull << 63) | ITT | 4);
    EXPECT_EQ(cte, (1ull << 63) | 1);
    EXPECT_EQ(ite, (1ull << 63) | (3ull << 32) | 8200);
    // MAPI: pINTID = EventID; CLEAR removes the pending state.
    EXPECT_EQ(b.cmd(0x0B | (1ull << 32), 808, 3), CmdError::IntidOutOfRange);  // MAPI: pINTID = EventID 808
}

TEST(Its, MapiAndClear) {
    Bench b;
    b.init();
    ASSERT_EQ(b.mapd(2, ITT, 16), CmdError::None);
    ASSERT_EQ(b.mapc(0, 1), CmdError::None);
    ASSERT_EQ(b.cmd(0x0B | (2ull << 32), 8300, 0), CmdError::None);  // MAPI: LPI 8300
    b.prop(8300, 0x80, true);
    b.icc(1, SR::ICC_PMR_EL1, 0x40);  // masked: stays pending
    EXPECT_EQ(b.int_(2, 8300), CmdError::None);
    EXPECT_TRUE(b.gic.lpi_pending(1, 8300));
    EXPECT_EQ(b.dev_ev(0x04, 2, 8300), CmdError::None);  // CLEAR
    EXPECT_FALSE(b.gic.lpi_pending(1, 8300));
}

TEST(Its, ConfigurationCachedUntilInv) {
    Bench b;
    b.init();
    b.map_basic();
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    ASSERT_EQ(b.take(0), 8200u);  // the configuration is now cached
    // Disabled in memory without INV: the redistributor still uses the
    // cached (enabled) configuration.
    b.prop(8200, 0xA0, false);
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    EXPECT_TRUE(b.lines[0]);
    EXPECT_EQ(b.take(0), 8200u);
    // INV: re-read; disabled, so a new INT stays pending without signalling.
    ASSERT_EQ(b.inv(1, 5), CmdError::None);
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    EXPECT_FALSE(b.lines[0]);
    EXPECT_TRUE(b.gic.lpi_pending(0, 8200));
    // Enabled again in memory: still not signalled until INV.
    b.prop(8200, 0xA0, true);
    b.gic.update();
    EXPECT_FALSE(b.lines[0]);
    ASSERT_EQ(b.inv(1, 5), CmdError::None);
    EXPECT_TRUE(b.lines[0]);
    EXPECT_EQ(b.take(0), 8200u);
    // Priority: 0xA0 -> 0xF8 (masked by PMR 0xF0) takes effect at INVALL.
    b.prop(8200, 0xF8, true);
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    EXPECT_TRUE(b.lines[0]);
    EXPECT_EQ(b.take(0), 8200u);
    ASSERT_EQ(b.cmd(0x0D, 0, 3), CmdError::None);  // INVALL collection 3
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    EXPECT_FALSE(b.lines[0]);
    EXPECT_EQ(b.icc(0, SR::ICC_HPPIR1_EL1), 8200u);
    const auto& s = b.gic.redistributor(0).lpis().stats();
    EXPECT_EQ(s.config_reads, 4u);  // first use, after two INVs and the INVALL
}

TEST(Its, CommandErrorsStallTheQueue) {
    Bench b;
    b.init();
    b.map_basic();
    const uint64_t r = b.iread(GITS_CREADR);
    struct Case {
        uint64_t dw0, dw1, dw2;
        CmdError e;
    };
    const Case cases[] = {
        {0x08 | (8192ull << 32), 4, (1ull << 63) | ITT, CmdError::DeviceOutOfRange},  // beyond the device table
        {0x08 | (1ull << 32), 16, (1ull << 63) | ITT, CmdError::IttSizeOutOfRange},  // 17 EventID bits
        {0x09, 0, (1ull << 63) | (2ull << 16) | 3, CmdError::RdbaseOutOfRange},         // no processor 2
        {0x09, 0, (1ull << 63) | 600, CmdError::CollectionOutOfRange},                  // beyond 512 collections
        {0x0A | (7ull << 32), 0 | (8300ull << 32), 3, CmdError::DeviceUnmapped},
        {0x0A | (1ull << 32), 32 | (8300ull << 32), 3, CmdError::EventOutOfRange},
        {0x0A | (1ull << 32), 6 | (100ull << 32), 3, CmdError::IntidOutOfRange},
        {0x0A | (1ull << 32), 6 | (8300ull << 32), 600, CmdError::CollectionOutOfRange},
        {0x03 | (1ull << 32), 6, 0, CmdError::EventUnmapped},
        {0x03 | (7ull << 32), 0, 0, CmdError::DeviceUnmapped},
        {0x05, 0, 9ull << 16, CmdError::RdbaseOutOfRange},  // SYNC
        {0x0D, 0, 9, CmdError::CollectionUnmapped},        // INVALL of an unmapped collection
        {0x2A, 0, 0, CmdError::UnknownCommand},
    };
    for (const Case& c : cases) {
        Bench x;
        x.init();
        x.map_basic();
        EXPECT_EQ(x.cmd(c.dw0, c.dw1, c.dw2), c.e) << std::hex << c.dw0;
        EXPECT_EQ(x.iread(GITS_CREADR), r | 1) << std::hex << c.dw0;  // Stalled, at the failing command
        EXPECT_EQ(x.its.last_error(), c.e);
    }
    // A stalled queue processes nothing more until Retry.
    ASSERT_EQ(b.mapti(1, 6, 8300, 9), CmdError::None);  // collection 9 not mapped: fine for MAPTI
    const uint64_t at = b.iread(GITS_CREADR);
    EXPECT_EQ(b.int_(1, 6), CmdError::CollectionUnmapped);
    EXPECT_EQ(b.iread(GITS_CREADR), at | 1);
    EXPECT_EQ(b.int_(1, 5), CmdError::None);  // queued behind the stall: not run
    EXPECT_EQ(b.iread(GITS_CREADR), at | 1);
    EXPECT_FALSE(b.lines[0]);
    // Map collection 9 out of band is impossible; Retry without a fix
    // stalls again; rewriting the command in memory and retrying proceeds.
    b.iwrite(GITS_CWRITER, b.iread(GITS_CWRITER) | 1);
    EXPECT_EQ(b.drain(), CmdError::CollectionUnmapped);
    b.mem.put64(CMDQ + at + 16, 0);  // INT -> a SYNC to processor 0
    b.mem.put64(CMDQ + at, 0x05);
    b.iwrite(GITS_CWRITER, b.iread(GITS_CWRITER) | 1);
    EXPECT_EQ(b.drain(), CmdError::None);
    EXPECT_EQ(b.iread(GITS_CREADR), at + 64);
    EXPECT_TRUE(b.lines[0]);  // the INT queued behind it ran
    EXPECT_EQ(b.its.stats().errors, 2u);
    // CBASER is written only while disabled; it resets CREADR.
    b.iwrite(GITS_CTLR, 0, 4);
    b.iwrite(GITS_CBASER, (1ull << 63) | CMDQ);
    EXPECT_EQ(b.iread(GITS_CREADR), 0u);
}

TEST(Its, TranslaterAndCache) {
    Bench b(2);
    b.init();
    b.map_basic();
    ASSERT_EQ(b.mapd(0, ITT + 0x1000, 4), CmdError::None);
    ASSERT_EQ(b.mapti(0, 1, 8201, 3), CmdError::None);
    b.prop(8201, 0x90, true);
    // A CPU write to GITS_TRANSLATER: DeviceID 0 (the default).
    b.iwrite(0x10040, 1, 4);
    EXPECT_EQ(b.take(0), 8201u);
    EXPECT_TRUE(b.its.cached(0, 1));
    const uint64_t misses = b.its.translation_cache_stats().misses;
    uint32_t ev = 1;
    b.its.access(0x10040, reinterpret_cast<uint8_t*>(&ev), 4, true);
    EXPECT_EQ(b.its.translation_cache_stats().misses, misses);
    EXPECT_EQ(b.take(0), 8201u);
    // Another DeviceID through the access argument (a DeviceIdExtension on the bus).
    ev = 5;
    b.its.access(0x10040, reinterpret_cast<uint8_t*>(&ev), 4, true, 1);
    EXPECT_EQ(b.take(0), 8200u);
    // Two entries: a third translation evicts the least recently used.
    EXPECT_TRUE(b.its.cached(0, 1));
    EXPECT_TRUE(b.its.cached(1, 5));
    ASSERT_EQ(b.mapti(1, 7, 8202, 3), CmdError::None);
    ASSERT_EQ(b.int_(1, 7), CmdError::None);
    EXPECT_FALSE(b.its.cached(0, 1));
    EXPECT_TRUE(b.its.cached(1, 7));
    // MAPTI over a cached mapping: the new one is used.
    ASSERT_EQ(b.mapti(1, 7, 8203, 3), CmdError::None);
    EXPECT_FALSE(b.its.cached(1, 7));
    b.prop(8202, 0xA0, true);
    b.prop(8203, 0xA0, true);
    while (b.take(0) != kSpurious) {
    }
    ASSERT_EQ(b.int_(1, 7), CmdError::None);
    EXPECT_EQ(b.take(0), 8203u);
    // DISCARD removes the mapping (and the cache entry): INT then fails.
    ASSERT_EQ(b.dev_ev(0x0F, 1, 7), CmdError::None);
    EXPECT_FALSE(b.its.cached(1, 7));
    EXPECT_EQ(b.int_(1, 7), CmdError::EventUnmapped);
    b.iwrite(GITS_CTLR, 0, 4);
    b.iwrite(GITS_CBASER, (1ull << 63) | CMDQ);
    b.iwrite(GITS_CWRITER, 0);
    b.iwrite(GITS_CTLR, 1, 4);
    // MAPD V = 0 unmaps the device and drops its cached translations.
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    EXPECT_TRUE(b.its.cached(1, 5));
    ASSERT_EQ(b.mapd(1, 0, 1, false), CmdError::None);
    EXPECT_FALSE(b.its.cached(1, 5));
    ev = 5;
    const uint64_t drops = b.its.stats().translation_drops;
    b.its.access(0x10040, reinterpret_cast<uint8_t*>(&ev), 4, true, 1);
    EXPECT_EQ(b.its.stats().translation_drops, drops + 1);
}

TEST(Its, NoCacheStillTranslates) {
    Bench b(0);
    b.init();
    b.map_basic();
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    EXPECT_EQ(b.its.translation_cache_stats().hits, 0u);
    EXPECT_EQ(b.take(0), 8200u);
}

TEST(Its, MoviAndMovall) {
    Bench b;
    b.init();
    b.map_basic();
    b.icc(0, SR::ICC_PMR_EL1, 0);  // core 0 takes nothing: the LPI stays pending
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    EXPECT_TRUE(b.gic.lpi_pending(0, 8200));
    ASSERT_EQ(b.dev_ev(0x01, 1, 5, 4), CmdError::None);  // MOVI to collection 4 (core 1)
    EXPECT_FALSE(b.gic.lpi_pending(0, 8200));
    EXPECT_TRUE(b.gic.lpi_pending(1, 8200));
    EXPECT_TRUE(b.lines[1]);
    EXPECT_EQ(b.take(1), 8200u);
    ASSERT_EQ(b.int_(1, 5), CmdError::None);  // now translates to core 1
    b.icc(1, SR::ICC_PMR_EL1, 0);
    ASSERT_EQ(b.int_(1, 5), CmdError::None);
    EXPECT_TRUE(b.gic.lpi_pending(1, 8200));
    ASSERT_EQ(b.cmd(0x0E, 0, 1ull << 16, 0), CmdError::None);  // MOVALL 1 -> 0
    EXPECT_TRUE(b.gic.lpi_pending(0, 8200));
    EXPECT_FALSE(b.gic.lpi_pending(1, 8200));
    EXPECT_EQ(b.dev_ev(0x01, 1, 5, 77), CmdError::CollectionUnmapped);
}

// ---- the SystemC module: per-command latency ------------------------------

struct RamTarget : sc_core::sc_module {
    tlm_utils::simple_target_socket<RamTarget> socket;
    Memory& mem;
    RamTarget(sc_core::sc_module_name n, Memory& m) : sc_module(n), socket("socket"), mem(m) {
        socket.register_b_transport(this, &RamTarget::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
        const bool ok = mem.access(gp.get_address(), gp.get_data_ptr(), gp.get_data_length(), gp.is_write());
        delay += sc_core::sc_time(10, sc_core::SC_NS);
        gp.set_response_status(ok ? tlm::TLM_OK_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE);
    }
};

struct Initiator : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Initiator> socket;
    explicit Initiator(sc_core::sc_module_name n) : sc_module(n), socket("socket") {}
};

TEST(ItsModule, CommandsTakeTime) {
    using sc_core::sc_time;
    using sc_core::SC_NS;
    Memory mem;
    Gic gic(gic_config(1));
    gic.set_memory_access([&](uint64_t pa, uint8_t* d, unsigned len, bool w) { return mem.access(pa, d, len, w); });
    hvsim::its::ItsModule m("its", gic, ItsConfig{}, sc_time(100, SC_NS));
    RamTarget ram("ram", mem);
    m.bus.socket.bind(ram.socket);
    Initiator cpu("cpu");
    cpu.socket.bind(m.socket);
    auto w64 = [&](uint32_t off, uint64_t v) { m.its().access(off, reinterpret_cast<uint8_t*>(&v), 8, true); };
    auto r64 = [&](uint32_t off) {
        uint64_t v = 0;
        m.its().access(off, reinterpret_cast<uint8_t*>(&v), 8, false);
        return v;
    };
    w64(GITS_CBASER, (1ull << 63) | CMDQ);
    w64(GITS_BASER, (1ull << 63) | DEVT);
    w64(GITS_BASER + 8, (1ull << 63) | COLT);
    uint32_t one = 1;
    m.its().access(GITS_CTLR, reinterpret_cast<uint8_t*>(&one), 4, true);
    // MAPC, MAPC, SYNC.
    const uint64_t cmds[3][4] = {{0x09, 0, (1ull << 63) | 0, 0}, {0x09, 0, (1ull << 63) | 1, 0}, {0x05, 0, 0, 0}};
    for (unsigned i = 0; i < 3; ++i)
        for (unsigned j = 0; j < 4; ++j) mem.put64(CMDQ + 32 * i + 8 * j, cmds[i][j]);
    w64(GITS_CWRITER, 96);
    EXPECT_EQ(r64(GITS_CREADR), 0u);  // not processed in zero time
    sc_core::sc_start(sc_time(50, SC_NS));
    EXPECT_EQ(r64(GITS_CREADR), 0u);
    EXPECT_EQ(m.its().ctlr() & Its::kCtlrQuiescent, 0u);
    // Each MAPC: 100 ns, then 5 memory accesses of 10 ns (4 reads of the
    // command, one table write): done at 150 and 300; SYNC (4 reads) at 440.
    auto at = [](double ns) { sc_core::sc_start(sc_time(ns, SC_NS) - sc_core::sc_time_stamp()); };
    at(140);
    EXPECT_EQ(r64(GITS_CREADR), 0u);
    at(160);
    EXPECT_EQ(r64(GITS_CREADR), 32u);
    at(290);
    EXPECT_EQ(r64(GITS_CREADR), 32u);
    at(310);
    EXPECT_EQ(r64(GITS_CREADR), 64u);
    at(430);
    EXPECT_EQ(r64(GITS_CREADR), 64u);
    EXPECT_EQ(m.its().stats().commands[0x05], 1u);  // SYNC executed, not yet complete
    at(450);
    EXPECT_EQ(r64(GITS_CREADR), 96u);
    EXPECT_EQ(m.its().ctlr() & Its::kCtlrQuiescent, 0u);  // enabled: never quiescent
    // Two INVALLs of collection 0 queued at 450: the first misses the
    // collection cache (4 + 1 reads: done at 600), the second hits it (4
    // reads: 100 + 40 ns later, at 740).
    for (unsigned i = 3; i < 5; ++i) mem.put64(CMDQ + 32 * i, 0x0D);
    for (unsigned i = 3; i < 5; ++i) mem.put64(CMDQ + 32 * i + 16, 0);
    w64(GITS_CWRITER, 160);
    at(595);
    EXPECT_EQ(r64(GITS_CREADR), 96u);
    at(605);
    EXPECT_EQ(r64(GITS_CREADR), 128u);
    at(735);
    EXPECT_EQ(r64(GITS_CREADR), 128u);
    at(745);
    EXPECT_EQ(r64(GITS_CREADR), 160u);
    EXPECT_EQ(m.its().collection_cache_stats().hits, 1u);
    EXPECT_EQ(m.its().stats().command_ns[0x0D], 150u + 140u);
    // Occupancy: 3, 2, 1 commands outstanding until 150, 300, 440; then 2
    // and 1 from 450 until 600 and 740.
    const auto& q = m.its().stats();
    EXPECT_EQ(q.cwriter_writes, 2u);
    EXPECT_EQ(q.queue_max, 3u);
    EXPECT_EQ(q.queue_busy_ns, 440u + 290u);
    EXPECT_EQ(q.queue_command_ns, 3u * 150 + 2u * 150 + 140u + 2u * 150 + 140u);
}

}  // namespace

