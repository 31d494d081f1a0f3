// The bench the ITS unit tests share (test_its.cpp, test_its_caches.cpp):
// guest memory as a byte array, a GIC with LPIs and an ITS reaching it, and
// helpers that queue commands and run them.
#pragma once

#include <cstring>
#include <vector>

#include "models/gic/gic.h"
#include "models/its/its.h"

namespace its_bench {


using hvsim::cpu::SR;
using hvsim::gic::Gic;
using hvsim::gic::GicConfig;
using hvsim::its::CmdError;
using hvsim::its::Its;
using hvsim::its::ItsConfig;

constexpr uint64_t kRam = 0x40000000, kRamSize = 0x100000;
constexpr uint64_t PROP = kRam, PEND0 = kRam + 0x10000, PEND1 = kRam + 0x20000, CMDQ = kRam + 0x30000,
                   DEVT = kRam + 0x40000, COLT = kRam + 0x50000, ITT = kRam + 0x60000;
constexpr uint32_t GICD_CTLR = 0x0, GICD_TYPER = 0x4, GICR_CTLR = 0x0, GICR_TYPER = 0x8, GICR_WAKER = 0x14,
                   GICR_PROPBASER = 0x70, GICR_PENDBASER = 0x78;
constexpr uint32_t GITS_CTLR = 0x0, GITS_TYPER = 0x8, GITS_CBASER = 0x80, GITS_CWRITER = 0x88, GITS_CREADR = 0x90,
                   GITS_BASER = 0x100, GITS_PIDR2 = 0xFFE8;
constexpr unsigned kSpurious = 1023;

struct Memory {
    std::vector<uint8_t> bytes = std::vector<uint8_t>(kRamSize, 0);
    uint64_t accesses = 0;
    bool access(uint64_t pa, uint8_t* d, unsigned len, bool write) {
        if (pa < kRam || pa + len > kRam + kRamSize) return false;
        ++accesses;
        if (write) std::memcpy(&bytes[pa - kRam], d, len);
        else std::memcpy(d, &bytes[pa - kRam], len);
        return true;
    }
    uint8_t& at(uint64_t pa) { return bytes.at(pa - kRam); }
    void put64(uint64_t pa, uint64_t v) { std::memcpy(&bytes.at(pa - kRam), &v, 8); }
};

inline GicConfig with_cores(GicConfig cfg, unsigned cores) {
    cfg.num_spis = 64;
    cfg.affinities.clear();
    for (unsigned c = 0; c < cores; ++c) cfg.affinities.push_back(c);
    cfg.lpis = true;
    return cfg;
}
inline GicConfig gic_config(unsigned cores) { return with_cores(GicConfig{}, cores); }

inline ItsConfig its_config(unsigned translation_entries, unsigned device_entries = 8, unsigned collection_entries = 8) {
    ItsConfig c;
    c.translation_cache_entries = translation_entries;
    c.device_cache_entries = device_entries;
    c.collection_cache_entries = collection_entries;
    return c;
}

struct Bench {
    explicit Bench(unsigned cache_entries = 16, unsigned cores = 2) : Bench(its_config(cache_entries), cores) {}
    Bench(const ItsConfig& cfg, unsigned cores, const GicConfig& gcfg = {}) : gic(with_cores(gcfg, cores)), its(gic, cfg), lines(cores) {
        auto mem_fn = [this](uint64_t pa, uint8_t* d, unsigned len, bool w) { return mem.access(pa, d, len, w); };
        gic.set_memory_access(mem_fn);
        its.set_memory_access(mem_fn);
        for (unsigned c = 0; c < cores; ++c) gic.set_output(c, [this, c](bool irq, bool) { lines[c] = irq; });
    }
    uint64_t rread(unsigned core, uint32_t off, unsigned len = 4) {
        uint64_t v = 0;
        gic.redistributor_access(gic.redistributor_stride() * core + off, reinterpret_cast<uint8_t*>(&v), len, false);
        return v;
    }
    void rwrite(unsigned core, uint32_t off, uint64_t v, unsigned len = 4) {
        gic.redistributor_access(gic.redistributor_stride() * core + off, reinterpret_cast<uint8_t*>(&v), len, true);
    }
    uint64_t iread(uint32_t off, unsigned len = 8) {
        uint64_t v = 0;
        its.access(off, reinterpret_cast<uint8_t*>(&v), len, false);
        return v;
    }
    void iwrite(uint32_t off, uint64_t v, unsigned len = 8) { its.access(off, reinterpret_cast<uint8_t*>(&v), len, true); }
    uint64_t icc(unsigned core, SR r) { return gic.cpu_interface(core).read(r, 1); }
    void icc(unsigned core, SR r, uint64_t v) { gic.cpu_interface(core).write(r, v, 1); }

    // LPI `intid`'s configuration byte in the property table.
    void prop(uint32_t intid, uint8_t prio, bool enable) { mem.at(PROP + intid - 8192) = uint8_t(prio | enable); }

    // Linux-like set-up: the GIC with Group 1 enabled, both redistributors
    // awake with LPIs on (16 ID bits), the ITS with a 4 KiB queue, a 64 KiB
    // device table and a 4 KiB collection table, enabled.
    void init() {
        uint32_t ctlr = 2;
        gic.distributor_access(GICD_CTLR, reinterpret_cast<uint8_t*>(&ctlr), 4, true);
        for (unsigned c = 0; c < gic.num_cores(); ++c) {
            rwrite(c, GICR_WAKER, 0);
            rwrite(c, GICR_PROPBASER, PROP | 15, 8);
            rwrite(c, GICR_PENDBASER, c ? PEND1 : PEND0, 8);
            rwrite(c, GICR_CTLR, 1);
            icc(c, SR::ICC_PMR_EL1, 0xF0);
            icc(c, SR::ICC_IGRPEN1_EL1, 1);
        }
        iwrite(GITS_CBASER, (1ull << 63) | CMDQ);
        iwrite(GITS_CWRITER, 0);
        iwrite(GITS_BASER, (1ull << 63) | DEVT | (2ull << 8));   // 64 KiB pages, 1 page: 8192 devices
        iwrite(GITS_BASER + 8, (1ull << 63) | COLT);              // 4 KiB: 512 collections
        iwrite(GITS_CTLR, 1, 4);
    }
    // Queues one command and runs the queue until it is empty or stalls.
    CmdError cmd(uint64_t dw0, uint64_t dw1 = 0, uint64_t dw2 = 0, uint64_t dw3 = 0) {
        const uint64_t w = iread(GITS_CWRITER);
        const uint64_t dw[4] = {dw0, dw1, dw2, dw3};
        for (unsigned i = 0; i < 4; ++i) mem.put64(CMDQ + w + 8 * i, dw[i]);
        iwrite(GITS_CWRITER, (w + 32) % 4096);
        return drain();
    }
    CmdError drain() {
        CmdError e = CmdError::None;
        while (its.has_work()) e = its.step();
        return e;
    }
    CmdError mapd(uint32_t dev, uint64_t itt, unsigned bits, bool v = true) {
        return cmd(0x08 | (uint64_t(dev) << 32), bits - 1, (uint64_t(v) << 63) | itt);
    }
    CmdError mapc(uint32_t icid, uint64_t rd, bool v = true) { return cmd(0x09, 0, (uint64_t(v) << 63) | (rd << 16) | icid); }
    CmdError mapti(uint32_t dev, uint32_t ev, uint32_t lpi, uint32_t icid) {
        return cmd(0x0A | (uint64_t(dev) << 32), ev | (uint64_t(lpi) << 32), icid);
    }
    CmdError dev_ev(uint8_t op, uint32_t dev, uint32_t ev, uint64_t dw2 = 0) { return cmd(op | (uint64_t(dev) << 32), ev, dw2); }
    CmdError int_(uint32_t dev, uint32_t ev) { return dev_ev(0x03, dev, ev); }
    CmdError inv(uint32_t dev, uint32_t ev) { return dev_ev(0x0C, dev, ev); }
    CmdError sync(uint64_t rd) { return cmd(0x05, 0, rd << 16); }
    // Acknowledges and ends the highest priority interrupt of `core`.
    unsigned take(unsigned core) {
        const unsigned id = static_cast<unsigned>(icc(core, SR::ICC_IAR1_EL1));
        if (id != kSpurious) icc(core, SR::ICC_EOIR1_EL1, id);
        return id;
    }
    // The usual mapping: device 1 (32 events) with event 5 -> LPI 8200 in
    // collection 3 on core 0, collection 4 on core 1.
    void map_basic() {
        ASSERT_EQ(mapd(1, ITT, 5), CmdError::None);
        ASSERT_EQ(mapc(3, 0), CmdError::None);
        ASSERT_EQ(mapc(4, 1), CmdError::None);
        ASSERT_EQ(mapti(1, 5, 8200, 3), CmdError::None);
        prop(8200, 0xA0, true);
    }

    Memory mem;
    Gic gic;
    Its its;
    std::vector<bool> lines;
};

}  // namespace its_bench
