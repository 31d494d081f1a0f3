// Scalar FP instructions on the core (models/cpu/insn/fp_*.cpp): decode-time
// UNDEFINED before the FP access trap, register write widths, FPSR
// accumulation. Arithmetic itself is covered by test_fp and the Unicorn diff.
#include <gtest/gtest.h>

#include "models/cpu/vreg.h"
#include "tests/unit/core_harness.h"

using hvsim::cpu::SR;
using hvsim::test::CoreHarness;

namespace {

constexpr uint32_t kFaddS = 0x1E222820;     // FADD S0, S1, S2
constexpr uint32_t kFaddH = 0x1EE22820;     // FADD H0, H1, H2 (FEAT_FP16)
constexpr uint32_t kFmovHW = 0x1EE70020;    // FMOV H0, W1 (FEAT_FP16)
constexpr uint32_t kFcvtHS = 0x1E23C020;    // FCVT H0, S1
constexpr uint32_t kFmovTop = 0x9EAF0041;   // FMOV V1.D[1], X2
constexpr uint32_t kFmovDX = 0x9E670041;    // FMOV D1, X2
constexpr uint32_t kFmovXTop = 0x9EAE0023;  // FMOV X3, V1.D[1]
constexpr uint32_t kFdivS = 0x1E221820;     // FDIV S0, S1, S2
constexpr uint32_t kFcvtzsFix = 0x1E188003; // FCVTZS W3, S0, #32

uint32_t ec(uint64_t esr) { return static_cast<uint32_t>(esr >> 26) & 0x3F; }

struct FpCore : CoreHarness {
    FpCore() { core.sr(SR::CPACR_EL1) = 3u << 20; }
    void set_s(unsigned n, uint32_t v) { hvsim::cpu::set_scalar(core.st, n, v, 4); }
};

TEST(FpInsn, TrapAfterDecode) {
    FpCore h;
    h.core.sr(SR::CPACR_EL1) = 0;
    EXPECT_FALSE(h.run_insns({kFaddS}));
    EXPECT_EQ(h.core.sr(SR::ESR_EL1), 0x1FE00000u);  // EC 0x07, IL, CV=1 COND=1110
    EXPECT_EQ(h.core.sr(SR::ELR_EL1), CoreHarness::kRamBase);
    // Half-precision arithmetic and FMOV are UNDEFINED in ARMv8.0, decided before the trap.
    EXPECT_FALSE(h.run_insns({kFaddH}));
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL1)), 0x00u);
    EXPECT_FALSE(h.run_insns({kFmovHW}));
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL1)), 0x00u);
}

TEST(FpInsn, HalfConversionAndWidths) {
    FpCore h;
    h.core.st.v[0] = {~0ull, ~0ull};
    h.set_s(1, 0x3F800000);  // 1.0f
    ASSERT_TRUE(h.run_insns({kFcvtHS}));
    EXPECT_EQ(h.core.st.v[0][0], 0x3C00u);  // upper bits cleared
    EXPECT_EQ(h.core.st.v[0][1], 0u);
    h.x(2) = 0x1122334455667788ull;
    h.core.st.v[1] = {0xAAAA, 0xBBBB};
    ASSERT_TRUE(h.run_insns({kFmovTop, kFmovXTop}));
    EXPECT_EQ(h.core.st.v[1][0], 0xAAAAu);  // the D[1] form leaves the low half
    EXPECT_EQ(h.core.st.v[1][1], 0x1122334455667788ull);
    EXPECT_EQ(h.x(3), 0x1122334455667788ull);
    ASSERT_TRUE(h.run_insns({kFmovDX}));
    EXPECT_EQ(h.core.st.v[1][1], 0u);
}

TEST(FpInsn, FpsrAccumulates) {
    FpCore h;
    h.set_s(1, 0x3F800000);
    h.set_s(2, 0x40400000);  // 1 / 3: inexact
    ASSERT_TRUE(h.run_insns({kFdivS}));
    EXPECT_EQ(h.core.st.v[0][0], 0x3EAAAAABu);
    EXPECT_EQ(h.core.sr(SR::FPSR), 0x10u);
    h.set_s(0, 0x7FC00000);  // NaN to int: IOC, 0
    h.x(3) = ~0ull;
    ASSERT_TRUE(h.run_insns({kFcvtzsFix}));
    EXPECT_EQ(h.x(3), 0u);  // a W write clears the upper half
    EXPECT_EQ(h.core.sr(SR::FPSR), 0x11u);
    // Round towards zero from FPCR applies to arithmetic.
    h.core.sr(SR::FPCR) = 3u << 22;
    h.set_s(0, 0);
    ASSERT_TRUE(h.run_insns({kFdivS}));
    EXPECT_EQ(h.core.st.v[0][0], 0x3EAAAAAAu);
}

}  // namespace
