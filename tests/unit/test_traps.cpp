// System register access checks and HCR_EL2 traps (Arm ARM D1.13, the
// HCR_EL2 field descriptions): where an access goes and with which syndrome.
#include <gtest/gtest.h>

#include "tests/unit/core_harness.h"

using hvsim::cpu::SR;

namespace {

constexpr uint32_t kMrsImpDef = 0xD538F000;   // mrs x0, s3_0_c15_c0_0
constexpr uint32_t kMsrSctlrEl1 = 0xD5181000; // msr sctlr_el1, x0
constexpr uint32_t kMrsPfr0 = 0xD5380400;     // mrs x0, id_aa64pfr0_el1
constexpr uint32_t kMrsHcr = 0xD53C1100;      // mrs x0, hcr_el2

uint32_t ec(uint64_t esr) { return static_cast<uint32_t>(esr >> 26) & 0x3F; }

struct Traps : ::testing::Test {
    hvsim::test::CoreHarness h;
    void set_hcr(uint64_t bits) { h.core.sr(SR::HCR_EL2) = (1ull << 31) | bits; }
    unsigned el() const { return h.core.st.pstate.el; }
};

}  // namespace

TEST_F(Traps, ImplementationDefinedRegisterIsUndefinedAtEl1) {
    EXPECT_FALSE(h.run_insns({kMrsImpDef}));
    EXPECT_EQ(el(), 1u);
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL1)), 0x00u);
}

TEST_F(Traps, TidcpTrapsImplementationDefinedRegistersToEl2) {
    set_hcr(1ull << 20);
    EXPECT_FALSE(h.run_insns({kMrsImpDef}));
    EXPECT_EQ(el(), 2u);
    const uint64_t esr = h.core.sr(SR::ESR_EL2);
    EXPECT_EQ(ec(esr), 0x18u);
    EXPECT_EQ(esr & 1, 1u);                   // direction: read
    EXPECT_EQ((esr >> 10) & 0xF, 15u);        // CRn
    EXPECT_EQ((esr >> 20) & 0x3, 3u);         // Op0
}

TEST_F(Traps, TvmTrapsWritesOfVirtualMemoryControlsOnly) {
    set_hcr(1ull << 26);
    h.x(0) = h.core.sr(SR::SCTLR_EL1);
    EXPECT_FALSE(h.run_insns({kMsrSctlrEl1}));
    EXPECT_EQ(el(), 2u);
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL2)), 0x18u);
    EXPECT_EQ(h.core.sr(SR::ESR_EL2) & 1, 0u);  // write
}

TEST_F(Traps, Tid3TrapsIdRegisterReads) {
    EXPECT_TRUE(h.run_insns({kMrsPfr0}));
    EXPECT_EQ(h.x(0) & 0xF, 1u);  // EL0: AArch64 only
    set_hcr(1ull << 18);
    EXPECT_FALSE(h.run_insns({kMrsPfr0}));
    EXPECT_EQ(el(), 2u);
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL2)), 0x18u);
}

TEST_F(Traps, El2RegisterIsUndefinedAtEl1) {
    EXPECT_FALSE(h.run_insns({kMrsHcr}));
    EXPECT_EQ(el(), 1u);
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL1)), 0x00u);
}

// A core without a PMU (cpu.pmu.enabled = false) is consistent:
// ID_AA64DFR0_EL1.PMUVer = 0 and the PMUv3 registers are UNDEFINED (EC
// 0x00). Linux then probes nothing (and the device tree has no PMU node).
TEST_F(Traps, NoPmuAdvertisedAndPmuRegistersUndefined) {
    ASSERT_TRUE(h.run_insns({0xD5380500}));  // mrs x0, id_aa64dfr0_el1
    EXPECT_EQ((h.x(0) >> 8) & 0xF, 0u);      // PMUVer
    for (uint32_t insn : {0xD53B9C00u,        // mrs x0, pmcr_el0
                          0xD53B9D00u,        // mrs x0, pmccntr_el0
                          0xD53B9E00u,        // mrs x0, pmuserenr_el0
                          0xD53B9CC0u}) {     // mrs x0, pmceid0_el0
        h.core.st.pstate.el = 1;
        EXPECT_FALSE(h.run_insns({insn})) << std::hex << insn;
        EXPECT_EQ(el(), 1u);
        EXPECT_EQ(ec(h.core.sr(SR::ESR_EL1)), 0x00u) << std::hex << insn;
    }
}
