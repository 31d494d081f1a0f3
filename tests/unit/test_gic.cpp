// Unit tests of the GICv3 model (models/gic): distributor and redistributor
// registers, the CPU interface's priority masking, preemption, acknowledge,
// EOI and deactivation, edge vs level triggers, groups, SGI routing by
// affinity and SPI routing. Driven through the register interfaces, without
// a core or SystemC.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "models/gic/gic.h"

namespace {

using hvsim::cpu::SR;
using hvsim::gic::Gic;
using hvsim::gic::GicConfig;

constexpr uint32_t GICD_CTLR = 0x0, GICD_TYPER = 0x4, GICD_IGROUPR = 0x80, GICD_ISENABLER = 0x100,
                   GICD_ICENABLER = 0x180, GICD_ISPENDR = 0x200, GICD_ICPENDR = 0x280, GICD_ISACTIVER = 0x300,
                   GICD_IPRIORITYR = 0x400, GICD_ICFGR = 0xC00, GICD_IROUTER = 0x6000, GICD_PIDR2 = 0xFFE8;
constexpr uint32_t GICR_TYPER = 0x8, GICR_WAKER = 0x14, GICR_SGI = 0x10000;
constexpr unsigned kSpurious = 1023;

struct Bench {
    explicit Bench(unsigned cores = 2) : gic(config(cores)), lines(cores) {
        for (unsigned c = 0; c < cores; ++c)
            gic.set_output(c, [this, c](bool irq, bool fiq) { lines[c] = {irq, fiq}; });
    }
    static GicConfig config(unsigned cores) {
        GicConfig cfg;
        cfg.num_spis = 64;
        for (unsigned c = 0; c < cores; ++c) cfg.affinities.push_back(c);  // Aff0 = c
        cfg.reset_group1 = false;
        return cfg;
    }
    uint32_t dread(uint32_t off, unsigned len = 4) {
        uint32_t v = 0;
        gic.distributor_access(off, reinterpret_cast<uint8_t*>(&v), len, false);
        return v;
    }
    void dwrite(uint32_t off, uint32_t v, unsigned len = 4) {
        gic.distributor_access(off, reinterpret_cast<uint8_t*>(&v), len, true);
    }
    uint64_t rread(unsigned core, uint32_t off, unsigned len = 4) {
        uint64_t v = 0;
        gic.redistributor_access(0x20000ull * core + off, reinterpret_cast<uint8_t*>(&v), len, false);
        return v;
    }
    void rwrite(unsigned core, uint32_t off, uint32_t v) {
        gic.redistributor_access(0x20000ull * core + off, reinterpret_cast<uint8_t*>(&v), 4, true);
    }
    uint64_t icc(unsigned core, SR r) { return gic.cpu_interface(core).read(r, 1); }
    void icc(unsigned core, SR r, uint64_t v) { gic.cpu_interface(core).write(r, v, 1); }
    bool irq(unsigned c) const { return lines[c].first; }
    bool fiq(unsigned c) const { return lines[c].second; }

    // Linux-like initialisation: both groups enabled in the distributor,
    // every redistributor awake, all interrupts Group 1, each CPU interface
    // with PMR 0xF0 and both groups enabled.
    void init() {
        dwrite(GICD_CTLR, 3);
        for (unsigned i = 1; i < 3; ++i) dwrite(GICD_IGROUPR + 4 * i, ~0u);
        for (unsigned c = 0; c < gic.num_cores(); ++c) {
            rwrite(c, GICR_WAKER, 0);
            rwrite(c, GICR_SGI + 0x80, ~0u);
            icc(c, SR::ICC_PMR_EL1, 0xF0);
            icc(c, SR::ICC_IGRPEN1_EL1, 1);
            icc(c, SR::ICC_IGRPEN0_EL1, 1);
        }
    }
    void spi_setup(unsigned intid, uint8_t prio, unsigned core = 0) {
        dwrite(GICD_IPRIORITYR + intid, prio, 1);
        dwrite(GICD_IROUTER + 8 * intid, core);
        dwrite(GICD_ISENABLER + 4 * (intid / 32), 1u << (intid % 32));
    }

    Gic gic;
    std::vector<std::pair<bool, bool>> lines;
};

TEST(GicRegisters, Identification) {
    Bench b;
    EXPECT_EQ((b.dread(GICD_PIDR2) >> 4) & 0xF, 3u);               // ArchRev: GICv3
    EXPECT_EQ(b.dread(GICD_TYPER) & 0x1F, (32u + 64) / 32 - 1);     // ITLinesNumber
    EXPECT_EQ((b.dread(GICD_TYPER) >> 17) & 1, 0u);                 // LPIS
    EXPECT_EQ(b.dread(GICD_CTLR), 0x50u);                           // ARE, DS
    b.dwrite(GICD_CTLR, 0x3);
    EXPECT_EQ(b.dread(GICD_CTLR), 0x53u);
    // GICR_TYPER: affinity in [63:32], processor number, Last on the last.
    EXPECT_EQ(b.rread(0, GICR_TYPER, 8), 0x0ull);
    EXPECT_EQ(b.rread(1, GICR_TYPER, 8), (1ull << 32) | (1u << 8) | (1u << 4));
    EXPECT_EQ(b.rread(0, GICR_WAKER), 0x6u);
    b.rwrite(0, GICR_WAKER, 0);
    EXPECT_EQ(b.rread(0, GICR_WAKER), 0x0u);
    EXPECT_EQ(b.icc(0, SR::ICC_SRE_EL1), 0x7u);
    b.icc(0, SR::ICC_SRE_EL1, 0);
    EXPECT_EQ(b.icc(0, SR::ICC_SRE_EL1), 0x7u);
}

TEST(GicRegisters, PriorityBytesRoutingAndPrivateRaz) {
    Bench b;
    b.dwrite(GICD_IPRIORITYR + 41, 0xA5, 1);
    EXPECT_EQ(b.dread(GICD_IPRIORITYR + 40), 0xA500u);
    EXPECT_EQ(b.dread(GICD_IPRIORITYR + 41, 1), 0xA5u);
    // INTIDs 0-31 belong to the redistributors: RAZ/WI in the distributor.
    b.dwrite(GICD_ISENABLER, ~0u);
    EXPECT_EQ(b.dread(GICD_ISENABLER), 0u);
    b.dwrite(GICD_IROUTER + 8 * 40 + 4, 0x12);
    b.dwrite(GICD_IROUTER + 8 * 40, 0x80000304u);
    EXPECT_EQ(b.dread(GICD_IROUTER + 8 * 40), 0x80000304u);
    EXPECT_EQ(b.dread(GICD_IROUTER + 8 * 40 + 4), 0x12u);
    // SGIs are edge-triggered (ICFGR0 read-only), PPIs level at reset.
    EXPECT_EQ(b.rread(0, GICR_SGI + 0xC00), 0xAAAAAAAAu);
    b.rwrite(0, GICR_SGI + 0xC00, 0);
    EXPECT_EQ(b.rread(0, GICR_SGI + 0xC00), 0xAAAAAAAAu);
    EXPECT_EQ(b.rread(0, GICR_SGI + 0xC04), 0u);
}

TEST(GicCpuInterface, AcknowledgeAndEoi) {
    Bench b;
    b.init();
    b.spi_setup(40, 0x80);
    EXPECT_FALSE(b.irq(0));
    b.dwrite(GICD_ISPENDR + 4, 1u << 8);
    EXPECT_TRUE(b.irq(0));
    EXPECT_FALSE(b.fiq(0));
    EXPECT_FALSE(b.irq(1));
    EXPECT_EQ(b.icc(0, SR::ICC_HPPIR1_EL1), 40u);
    EXPECT_EQ(b.icc(0, SR::ICC_HPPIR0_EL1), kSpurious);
    EXPECT_EQ(b.icc(0, SR::ICC_IAR0_EL1), kSpurious);  // wrong group
    EXPECT_EQ(b.icc(0, SR::ICC_IAR1_EL1), 40u);
    EXPECT_FALSE(b.irq(0));
    EXPECT_EQ(b.icc(0, SR::ICC_RPR_EL1), 0x80u);
    EXPECT_EQ(b.icc(0, SR::ICC_AP1R0_EL1), 1u << (0x80 >> 3));
    EXPECT_EQ(b.dread(GICD_ISACTIVER + 4), 1u << 8);
    EXPECT_EQ(b.dread(GICD_ISPENDR + 4), 0u);
    EXPECT_EQ(b.icc(0, SR::ICC_IAR1_EL1), kSpurious);
    b.icc(0, SR::ICC_EOIR1_EL1, 40);
    EXPECT_EQ(b.icc(0, SR::ICC_RPR_EL1), 0xFFu);
    EXPECT_EQ(b.dread(GICD_ISACTIVER + 4), 0u);
}

TEST(GicCpuInterface, PriorityMask) {
    Bench b;
    b.init();
    b.spi_setup(33, 0xA0);
    b.icc(0, SR::ICC_PMR_EL1, 0xA0);
    b.dwrite(GICD_ISPENDR + 4, 1u << 1);
    EXPECT_FALSE(b.irq(0));                              // priority not higher than PMR
    EXPECT_EQ(b.icc(0, SR::ICC_HPPIR1_EL1), 33u);        // HPPIR ignores the mask
    EXPECT_EQ(b.icc(0, SR::ICC_IAR1_EL1), kSpurious);
    b.icc(0, SR::ICC_PMR_EL1, 0xA7);                     // 5 bits: 0xA0
    EXPECT_EQ(b.icc(0, SR::ICC_PMR_EL1), 0xA0u);
    EXPECT_FALSE(b.irq(0));
    b.icc(0, SR::ICC_PMR_EL1, 0xA8);
    EXPECT_TRUE(b.irq(0));
}

TEST(GicCpuInterface, PreemptionByGroupPriority) {
    Bench b;
    b.init();
    b.spi_setup(40, 0x80);
    b.spi_setup(41, 0x60);
    b.spi_setup(42, 0x70);
    b.dwrite(GICD_ISPENDR + 4, 1u << 8);
    EXPECT_EQ(b.icc(0, SR::ICC_IAR1_EL1), 40u);
    // 0x60 preempts 0x80 (BPR1 = 3 at reset: group priority mask 0xF8).
    b.dwrite(GICD_ISPENDR + 4, 1u << 9);
    EXPECT_TRUE(b.irq(0));
    EXPECT_EQ(b.icc(0, SR::ICC_IAR1_EL1), 41u);
    EXPECT_EQ(b.icc(0, SR::ICC_RPR_EL1), 0x60u);
    // 0x70 does not preempt 0x60; after 41's EOI it preempts 0x80.
    b.dwrite(GICD_ISPENDR + 4, 1u << 10);
    EXPECT_FALSE(b.irq(0));
    b.icc(0, SR::ICC_EOIR1_EL1, 41);
    EXPECT_TRUE(b.irq(0));
    EXPECT_EQ(b.icc(0, SR::ICC_IAR1_EL1), 42u);
    b.icc(0, SR::ICC_EOIR1_EL1, 42);
    b.icc(0, SR::ICC_EOIR1_EL1, 40);
    EXPECT_EQ(b.icc(0, SR::ICC_RPR_EL1), 0xFFu);
    // With a coarser binary point (BPR1 = 7: only priority bit 7 is group
    // priority) 0x80 does not preempt 0x90.
    b.icc(0, SR::ICC_BPR1_EL1, 7);
    b.dwrite(GICD_IPRIORITYR + 40, 0x90, 1);
    b.dwrite(GICD_IPRIORITYR + 41, 0x80, 1);
    b.dwrite(GICD_ISPENDR + 4, 1u << 8);
    EXPECT_EQ(b.icc(0, SR::ICC_IAR1_EL1), 40u);
    b.dwrite(GICD_ISPENDR + 4, 1u << 9);
    EXPECT_FALSE(b.irq(0));
    EXPECT_EQ(b.icc(0, SR::ICC_IAR1_EL1), kSpurious);
}

TEST(GicCpuInterface, SplitEoiAndDir) {
    Bench b;
    b.init();
    b.spi_setup(40, 0x80);
    b.icc(0, SR::ICC_CTLR_EL1, 2);  // EOImode = 1
    EXPECT_EQ(b.icc(0, SR::ICC_CTLR_EL1) & 3, 2u);
    b.dwrite(GICD_ISPENDR + 4, 1u << 8);
    EXPECT_EQ(b.icc(0, SR::ICC_IAR1_EL1), 40u);
    b.icc(0, SR::ICC_EOIR1_EL1, 40);
    EXPECT_EQ(b.icc(0, SR::ICC_RPR_EL1), 0xFFu);         // priority dropped
    EXPECT_EQ(b.dread(GICD_ISACTIVER + 4), 1u << 8);     // still active
    b.dwrite(GICD_ISPENDR + 4, 1u << 8);
    EXPECT_FALSE(b.irq(0));                              // active and pending: not signalled
    b.icc(0, SR::ICC_DIR_EL1, 40);
    EXPECT_EQ(b.dread(GICD_ISACTIVER + 4), 0u);
    EXPECT_TRUE(b.irq(0));
}

TEST(GicTriggers, EdgeVersusLevel) {
    Bench b;
    b.init();
    b.spi_setup(40, 0x80);  // level (ICFGR reset)
    b.spi_setup(41, 0x90);
    b.dwrite(GICD_ICFGR + 4 * (41 / 16), 2u << (2 * (41 % 16)));  // edge
    // Level: pending while the line is high, and again after EOI.
    b.gic.set_spi(8, true);
    EXPECT_TRUE(b.irq(0));
    EXPECT_EQ(b.icc(0, SR::ICC_IAR1_EL1), 40u);
    EXPECT_EQ(b.dread(GICD_ISPENDR + 4) & (1u << 8), 1u << 8);  // active and pending
    b.icc(0, SR::ICC_EOIR1_EL1, 40);
    EXPECT_EQ(b.icc(0, SR::ICC_IAR1_EL1), 40u);
    b.gic.set_spi(8, false);
    b.icc(0, SR::ICC_EOIR1_EL1, 40);
    EXPECT_FALSE(b.irq(0));
    // ICPENDR does not clear a level interrupt whose line is asserted.
    b.gic.set_spi(8, true);
    b.dwrite(GICD_ICPENDR + 4, 1u << 8);
    EXPECT_TRUE(b.irq(0));
    b.gic.set_spi(8, false);
    EXPECT_FALSE(b.irq(0));
    // Edge: latched on the rising edge, once.
    b.gic.set_spi(9, true);
    EXPECT_EQ(b.icc(0, SR::ICC_IAR1_EL1), 41u);
    b.icc(0, SR::ICC_EOIR1_EL1, 41);
    EXPECT_FALSE(b.irq(0));  // line still high: no new edge
    b.gic.set_spi(9, false);
    b.gic.set_spi(9, true);
    EXPECT_TRUE(b.irq(0));
}

TEST(GicGroups, Group0IsFiqAndGroupEnables) {
    Bench b;
    b.init();
    b.spi_setup(40, 0x80);
    b.dwrite(GICD_IGROUPR + 4, ~(1u << 8));  // INTID 40 in Group 0
    b.dwrite(GICD_ISPENDR + 4, 1u << 8);
    EXPECT_TRUE(b.fiq(0));
    EXPECT_FALSE(b.irq(0));
    EXPECT_EQ(b.icc(0, SR::ICC_HPPIR0_EL1), 40u);
    EXPECT_EQ(b.icc(0, SR::ICC_IAR1_EL1), kSpurious);
    // Disabled in the CPU interface: not signalled, and not in HPPIR.
    b.icc(0, SR::ICC_IGRPEN0_EL1, 0);
    EXPECT_FALSE(b.fiq(0));
    EXPECT_EQ(b.icc(0, SR::ICC_HPPIR0_EL1), kSpurious);
    b.icc(0, SR::ICC_IGRPEN0_EL1, 1);
    EXPECT_TRUE(b.fiq(0));
    // Disabled in the distributor.
    b.dwrite(GICD_CTLR, 2);
    EXPECT_FALSE(b.fiq(0));
    b.dwrite(GICD_CTLR, 3);
    EXPECT_EQ(b.icc(0, SR::ICC_IAR0_EL1), 40u);
    EXPECT_EQ(b.icc(0, SR::ICC_AP0R0_EL1), 1u << (0x80 >> 3));
    b.icc(0, SR::ICC_EOIR1_EL1, 40);                      // wrong group: ignored
    EXPECT_EQ(b.icc(0, SR::ICC_RPR_EL1), 0x80u);
    b.icc(0, SR::ICC_EOIR0_EL1, 40);
    EXPECT_EQ(b.icc(0, SR::ICC_RPR_EL1), 0xFFu);
    // A disabled interrupt is not signalled.
    b.dwrite(GICD_ICENABLER + 4, 1u << 8);
    b.dwrite(GICD_ISPENDR + 4, 1u << 8);
    EXPECT_FALSE(b.fiq(0));
}

TEST(GicRouting, SgiByAffinityAndIrm) {
    Bench b(4);
    b.init();
    for (unsigned c = 0; c < 4; ++c) b.rwrite(c, GICR_SGI + 0x100, 0xFFFF);  // SGIs enabled
    // SGI 5 to cores 1 and 3 (Aff0 1, 3; Aff1..3 = 0).
    b.icc(0, SR::ICC_SGI1R_EL1, (5ull << 24) | 0xA);
    EXPECT_FALSE(b.irq(0));
    EXPECT_TRUE(b.irq(1));
    EXPECT_FALSE(b.irq(2));
    EXPECT_TRUE(b.irq(3));
    EXPECT_EQ(b.icc(1, SR::ICC_IAR1_EL1), 5u);
    b.icc(1, SR::ICC_EOIR1_EL1, 5);
    EXPECT_EQ(b.icc(3, SR::ICC_IAR1_EL1), 5u);
    b.icc(3, SR::ICC_EOIR1_EL1, 5);
    // Aff1 = 1 matches no core.
    b.icc(0, SR::ICC_SGI1R_EL1, (5ull << 24) | (1ull << 16) | 0xF);
    for (unsigned c = 0; c < 4; ++c) EXPECT_FALSE(b.irq(c));
    // IRM: every core but the sender.
    b.icc(2, SR::ICC_SGI1R_EL1, (7ull << 24) | (1ull << 40));
    EXPECT_TRUE(b.irq(0));
    EXPECT_TRUE(b.irq(1));
    EXPECT_FALSE(b.irq(2));
    EXPECT_TRUE(b.irq(3));
    // SGI0R only forwards Group 0 SGIs: SGI 7 is Group 1 here.
    b.icc(2, SR::ICC_SGI0R_EL1, (7ull << 24) | 0x4);
    EXPECT_FALSE(b.irq(2));
    EXPECT_FALSE(b.fiq(2));
    b.rwrite(2, GICR_SGI + 0x80, ~(1u << 6));
    b.icc(2, SR::ICC_SGI0R_EL1, (6ull << 24) | 0x4);
    EXPECT_TRUE(b.fiq(2));
    EXPECT_EQ(b.icc(2, SR::ICC_IAR0_EL1), 6u);
}

TEST(GicRouting, SpiAffinityOneOfNAndSleep) {
    Bench b(2);
    b.init();
    b.spi_setup(40, 0x80, 1);
    b.dwrite(GICD_ISPENDR + 4, 1u << 8);
    EXPECT_FALSE(b.irq(0));
    EXPECT_TRUE(b.irq(1));
    // 1-of-N: the first awake core with Group 1 enabled.
    b.dwrite(GICD_IROUTER + 8 * 40, 0x80000000u);
    EXPECT_TRUE(b.irq(0));
    EXPECT_FALSE(b.irq(1));
    b.icc(0, SR::ICC_IGRPEN1_EL1, 0);
    EXPECT_FALSE(b.irq(0));
    EXPECT_TRUE(b.irq(1));
    // A sleeping redistributor forwards nothing.
    b.rwrite(1, GICR_WAKER, 2);
    EXPECT_FALSE(b.irq(1));
}

TEST(GicPpi, LevelPpiPerCore) {
    Bench b(2);
    b.init();
    b.rwrite(1, GICR_SGI + 0x400 + 28, 0x40);        // IPRIORITYR byte of INTID 30 (word 7)
    b.rwrite(1, GICR_SGI + 0x100, 1u << 30);
    b.gic.set_ppi(1, 14, true);                      // INTID 30
    EXPECT_FALSE(b.irq(0));
    EXPECT_TRUE(b.irq(1));
    EXPECT_EQ(b.icc(1, SR::ICC_IAR1_EL1), 30u);
    b.gic.set_ppi(1, 14, false);
    b.icc(1, SR::ICC_EOIR1_EL1, 30);
    EXPECT_FALSE(b.irq(1));
}

}  // namespace
