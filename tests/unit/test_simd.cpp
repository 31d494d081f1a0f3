// Advanced SIMD data processing (models/cpu/insn/simd_*.cpp) on a Core: the
// semantics that are easy to get wrong (saturation and FPSR.QC, rounding
// shifts, TBL/TBX out of range, the "2" forms writing the upper half, the
// zeroing of 64-bit writes), reserved encodings and the FP/SIMD trap.
// The Unicorn differential test covers the rest at random.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "core_harness.h"
#include "models/cpu/vreg.h"

namespace {

using hvsim::cpu::SR;
using hvsim::test::CoreHarness;

constexpr uint64_t kQC = 1ull << 27;

// ---- encoders (Arm ARM C4.1.95) -------------------------------------------------
uint32_t same3(bool q, bool u, unsigned size, unsigned opc, unsigned m, unsigned n, unsigned d) {
    return (uint32_t(q) << 30) | (uint32_t(u) << 29) | (0x0Eu << 24) | (size << 22) | (1u << 21) | (m << 16) |
           (opc << 11) | (1u << 10) | (n << 5) | d;
}
uint32_t scalar3(bool u, unsigned size, unsigned opc, unsigned m, unsigned n, unsigned d) {
    return same3(true, u, size, opc, m, n, d) | (1u << 28);
}
uint32_t diff3(bool q, bool u, unsigned size, unsigned opc, unsigned m, unsigned n, unsigned d) {
    return (uint32_t(q) << 30) | (uint32_t(u) << 29) | (0x0Eu << 24) | (size << 22) | (1u << 21) | (m << 16) |
           (opc << 12) | (n << 5) | d;
}
uint32_t misc2(bool q, bool u, unsigned size, unsigned opc, unsigned n, unsigned d) {
    return (uint32_t(q) << 30) | (uint32_t(u) << 29) | (0x0Eu << 24) | (size << 22) | (0x10u << 17) | (opc << 12) |
           (2u << 10) | (n << 5) | d;
}
uint32_t shift_imm(bool q, bool u, unsigned immhb, unsigned opc, unsigned n, unsigned d) {
    return (uint32_t(q) << 30) | (uint32_t(u) << 29) | (0x1Eu << 23) | (immhb << 16) | (opc << 11) | (1u << 10) |
           (n << 5) | d;
}
uint32_t tbl(bool q, unsigned m, unsigned len, bool tbx, unsigned n, unsigned d) {
    return (uint32_t(q) << 30) | (0x0Eu << 24) | (m << 16) | (len << 13) | (uint32_t(tbx) << 12) | (n << 5) | d;
}
uint32_t modimm(bool q, bool op, unsigned cmode, unsigned imm8, unsigned d) {
    return (uint32_t(q) << 30) | (uint32_t(op) << 29) | (0x0F0u << 20) | ((imm8 >> 5) << 16) | (cmode << 12) |
           (1u << 10) | ((imm8 & 31) << 5) | d;
}
uint32_t copy(bool q, bool op, unsigned imm5, unsigned imm4, unsigned n, unsigned d) {
    return (uint32_t(q) << 30) | (uint32_t(op) << 29) | (0x70u << 21) | (imm5 << 16) | (imm4 << 11) | (1u << 10) |
           (n << 5) | d;
}

class Simd : public ::testing::Test {
protected:
    Simd() { h.core.sr(SR::CPACR_EL1) = 3ull << 20; }
    void setv(unsigned n, uint64_t lo, uint64_t hi) { h.core.st.v[n] = {lo, hi}; }
    uint64_t lo(unsigned n) { return h.core.st.v[n][0]; }
    uint64_t hi(unsigned n) { return h.core.st.v[n][1]; }
    uint64_t fpsr() { return h.core.sr(SR::FPSR); }
    bool run(uint32_t w) { return h.run_insns({w}); }
    unsigned ec() { return static_cast<unsigned>(h.core.sr(SR::ESR_EL1) >> 26); }

    CoreHarness h;
};

TEST_F(Simd, SaturatingAddSetsQcAndQcIsSticky) {
    setv(1, 0x7F7F7F7F7F7F7F7Full, 0);
    setv(2, 0x0101010101010101ull, 0);
    ASSERT_TRUE(run(same3(false, false, 0, 1, 2, 1, 0)));  // SQADD v0.8b, v1.8b, v2.8b
    EXPECT_EQ(lo(0), 0x7F7F7F7F7F7F7F7Full);
    EXPECT_EQ(fpsr() & kQC, kQC);
    setv(1, 1, 0);
    ASSERT_TRUE(run(same3(false, false, 0, 1, 2, 1, 0)));  // no saturation: QC stays set
    EXPECT_EQ(lo(0) & 0xFF, 2u);
    EXPECT_EQ(fpsr() & kQC, kQC);
    h.core.sr(SR::FPSR) = 0;
    ASSERT_TRUE(run(same3(false, false, 0, 1, 2, 1, 0)));
    EXPECT_EQ(fpsr() & kQC, 0u);
}

TEST_F(Simd, UnsignedSaturatingSubtractClampsAtZero) {
    setv(1, 5, 0);
    setv(2, 7, 0);
    ASSERT_TRUE(run(scalar3(true, 3, 5, 2, 1, 0)));  // UQSUB d0, d1, d2
    EXPECT_EQ(lo(0), 0u);
    EXPECT_EQ(fpsr() & kQC, kQC);
}

TEST_F(Simd, RoundingShiftByRegister) {
    // SRSHL v0.4h: element 0 = 5 >> 1 rounded = 3; element 1 = -5 >> 1
    // rounded = -2; element 2: shift -128 of a negative value rounds to 0,
    // element 3: shift +16 of 16 bits gives 0.
    setv(1, 0x0001'8000'FFFB'0005ull, 0);
    setv(2, 0x0010'0080'00FF'00FFull, 0);
    ASSERT_TRUE(run(same3(false, false, 1, 10, 2, 1, 0)));
    EXPECT_EQ(lo(0), 0x0000'0000'FFFE'0003ull);
    EXPECT_EQ(hi(0), 0u);
}

TEST_F(Simd, SaturatingShiftLeftByRegister) {
    // UQSHL v0.2d: 1 << 64 saturates; 3 << -1 = 1.
    setv(1, 1, 3);
    setv(2, 64, 0xFF);
    ASSERT_TRUE(run(same3(true, true, 3, 9, 2, 1, 0)));
    EXPECT_EQ(lo(0), ~0ull);
    EXPECT_EQ(hi(0), 1u);
    EXPECT_EQ(fpsr() & kQC, kQC);
}

TEST_F(Simd, DoublingMultiplyHighSaturatesOnlyForMinTimesMin) {
    // SQDMULH v0.4s: (-2^31)^2 * 2 overflows; SQRDMULH rounds 0x40000000^2.
    setv(1, 0x40000000'80000000ull, 0);
    setv(2, 0x40000000'80000000ull, 0);
    ASSERT_TRUE(run(same3(true, false, 2, 22, 2, 1, 0)));
    EXPECT_EQ(lo(0), 0x20000000'7FFFFFFFull);
    EXPECT_EQ(fpsr() & kQC, kQC);
    h.core.sr(SR::FPSR) = 0;
    setv(1, 0x00000001'00000001ull, 0);
    setv(2, 0x40000000'3FFFFFFFull, 0);
    ASSERT_TRUE(run(same3(true, true, 2, 22, 2, 1, 0)));  // SQRDMULH: (2*a*b + 2^31) >> 32
    EXPECT_EQ(lo(0), 0x00000001'00000000ull);
    EXPECT_EQ(fpsr() & kQC, 0u);
}

TEST_F(Simd, SaturatingDoublingMultiplyAccumulateLong) {
    // SQDMLAL d0, s1, s2 (scalar): 2 * 0x40000000 * 0x40000000 = 2^61, added
    // to 0x7FFFFFFFFFFFFFFF saturates.
    setv(0, 0x7FFFFFFFFFFFFFFFull, 0);
    setv(1, 0x40000000, 0);
    setv(2, 0x40000000, 0);
    const uint32_t w = (1u << 30) | (0x1Eu << 24) | (2u << 22) | (1u << 21) | (2u << 16) | (9u << 12) | (1u << 5);
    ASSERT_TRUE(run(w));
    EXPECT_EQ(lo(0), 0x7FFFFFFFFFFFFFFFull);
    EXPECT_EQ(fpsr() & kQC, kQC);
}

TEST_F(Simd, TableLookupOutOfRange) {
    // TBL with a two-register table V31, V0 (wrapping): index 16 is byte 0
    // of V0, 32 is out of range.
    setv(31, 0x0706050403020100ull, 0x0F0E0D0C0B0A0908ull);
    setv(0, 0x1716151413121110ull, 0x1F1E1D1C1B1A1918ull);
    setv(1, 0xFF'20'1F'10'0F'01'00'10ull, 0);  // indices
    setv(2, 0xAAAAAAAAAAAAAAAAull, 0x5555555555555555ull);
    ASSERT_TRUE(run(tbl(false, 1, 1, false, 31, 2)));
    EXPECT_EQ(lo(2), 0x00'00'1F'10'0F'01'00'10ull);
    EXPECT_EQ(hi(2), 0u);
    setv(2, 0xAAAAAAAAAAAAAAAAull, 0x5555555555555555ull);
    ASSERT_TRUE(run(tbl(false, 1, 1, true, 31, 2)));  // TBX keeps the destination byte
    EXPECT_EQ(lo(2), 0xAA'AA'1F'10'0F'01'00'10ull);
    EXPECT_EQ(hi(2), 0u);
}

TEST_F(Simd, NarrowingUpperHalfFormsKeepTheLowerHalf) {
    setv(1, 0x0000'7FFF'FFFF'8000ull, 0x1234'0100'0080'FF7Full);
    setv(0, 0x1111111111111111ull, 0x2222222222222222ull);
    ASSERT_TRUE(run(misc2(true, false, 0, 20, 1, 0)));  // SQXTN2 v0.16b, v1.8h
    EXPECT_EQ(lo(0), 0x1111111111111111ull);
    EXPECT_EQ(hi(0), 0x7F'7F'7F'80'00'7F'FF'80ull);
    EXPECT_EQ(fpsr() & kQC, kQC);
    ASSERT_TRUE(run(misc2(false, false, 0, 18, 1, 0)));  // XTN v0.8b: upper half zeroed
    EXPECT_EQ(lo(0), 0x34'00'80'7F'00'FF'FF'00ull);
    EXPECT_EQ(hi(0), 0u);
}

TEST_F(Simd, ShiftRightNarrowRoundingAndUnsignedSaturation) {
    setv(1, 0x0000'0003'0000'0001ull, 0xFFFF'FFFF'0000'0005ull);
    setv(0, 0xCCCCCCCCCCCCCCCCull, 0xDDDDDDDDDDDDDDDDull);
    // RSHRN2 v0.8h, v1.4s, #1 (immh:immb = 32 - 1 = 0b0011111)
    ASSERT_TRUE(run(shift_imm(true, false, 0x1F, 17, 1, 0)));
    EXPECT_EQ(lo(0), 0xCCCCCCCCCCCCCCCCull);
    EXPECT_EQ(hi(0), 0x0000'0003'0002'0001ull);
    // SQSHRUN v0.4h, v1.4s, #1: negative elements give 0 with QC.
    ASSERT_TRUE(run(shift_imm(false, true, 0x1F, 16, 1, 0)));
    EXPECT_EQ(lo(0), 0x0000'0002'0001'0000ull);
    EXPECT_EQ(hi(0), 0u);
    EXPECT_EQ(fpsr() & kQC, kQC);
}

TEST_F(Simd, ShiftLeftLongAndInsert) {
    setv(1, 0x0000'0000'8000'0001ull, 0x00000000'FFFFFFFFull);
    ASSERT_TRUE(run(shift_imm(true, false, 0x20 + 4, 20, 1, 0)));  // SSHLL2 v0.2d, v1.4s, #4
    EXPECT_EQ(lo(0), 0xFFFFFFFFFFFFFFF0ull);
    EXPECT_EQ(hi(0), 0u);
    setv(0, ~0ull, ~0ull);
    ASSERT_TRUE(run(shift_imm(false, true, 0x08 + 4, 10, 1, 0)));  // SLI v0.8b, v1.8b, #4
    EXPECT_EQ(lo(0), 0x0F0F0F0F0F0F0F1Full);
    EXPECT_EQ(hi(0), 0u);
}

TEST_F(Simd, SixtyFourBitVectorWritesZeroTheUpperHalf) {
    setv(0, 0, ~0ull);
    setv(1, 0x0102030405060708ull, 0xFFFF);
    setv(2, 0x0101010101010101ull, 0xFFFF);
    ASSERT_TRUE(run(same3(false, false, 0, 16, 2, 1, 0)));  // ADD v0.8b
    EXPECT_EQ(lo(0), 0x0203040506070809ull);
    EXPECT_EQ(hi(0), 0u);
}

TEST_F(Simd, ModifiedImmediates) {
    setv(0, ~0ull, ~0ull);
    ASSERT_TRUE(run(modimm(true, true, 14, 0xA5, 0)));  // MOVI v0.2d, #0xFF00FF0000FF00FF
    EXPECT_EQ(lo(0), 0xFF00FF0000FF00FFull);
    EXPECT_EQ(hi(0), 0xFF00FF0000FF00FFull);
    ASSERT_TRUE(run(modimm(false, true, 12, 0x12, 0)));  // MVNI v0.2s, #0x12, MSL #8
    EXPECT_EQ(lo(0), 0xFFFFED00FFFFED00ull);
    EXPECT_EQ(hi(0), 0u);
    setv(0, 0x00FF00FF00FF00FFull, 1);
    ASSERT_TRUE(run(modimm(true, true, 11, 0xFF, 0)));  // BIC v0.8h, #0xFF, LSL #8
    EXPECT_EQ(lo(0), 0x00FF00FF00FF00FFull);
    EXPECT_EQ(hi(0), 1u);
    ASSERT_TRUE(run(modimm(true, true, 15, 0x70, 0)));  // FMOV v0.2d, #1.0
    EXPECT_EQ(lo(0), 0x3FF0000000000000ull);
    EXPECT_FALSE(run(modimm(false, true, 15, 0x70, 0)));  // FMOV (double) needs Q = 1
}

TEST_F(Simd, MovesToGeneralRegisters) {
    setv(1, 0x8000'0000'0000'00F0ull, 0x1122334455667788ull);
    ASSERT_TRUE(run(copy(true, false, 0x01, 5, 1, 3)));   // SMOV x3, v1.b[0]
    EXPECT_EQ(h.x(3), 0xFFFFFFFFFFFFFFF0ull);
    ASSERT_TRUE(run(copy(false, false, 0x01, 5, 1, 3)));  // SMOV w3, v1.b[0]
    EXPECT_EQ(h.x(3), 0xFFFFFFF0ull);
    ASSERT_TRUE(run(copy(true, false, 0x18, 7, 1, 3)));   // UMOV x3, v1.d[1]
    EXPECT_EQ(h.x(3), 0x1122334455667788ull);
    EXPECT_FALSE(run(copy(false, false, 0x08, 7, 1, 3)));  // UMOV w3, v1.d[0] is reserved
    EXPECT_FALSE(run(copy(false, false, 0x04, 5, 1, 3)));  // SMOV w3, v1.s[0] is reserved
}

TEST_F(Simd, ReservedSizesAreUndefined) {
    EXPECT_FALSE(run(same3(false, false, 3, 16, 2, 1, 0)));  // ADD v0.1d
    EXPECT_FALSE(run(same3(true, false, 3, 0, 2, 1, 0)));   // SHADD v0.2d
    EXPECT_FALSE(run(same3(true, true, 1, 19, 2, 1, 0)));   // PMUL v0.8h
    EXPECT_FALSE(run(diff3(false, false, 3, 12, 2, 1, 0)));  // SMULL with 64-bit sources
    EXPECT_FALSE(run(diff3(false, false, 3, 14, 2, 1, 0)));  // PMULL 64-bit (FEAT_PMULL)
    EXPECT_FALSE(run(shift_imm(false, false, 0x40, 0, 1, 0)));  // SSHR v0.1d
    EXPECT_FALSE(run(shift_imm(false, false, 0x40, 16, 1, 0)));  // SHRN from 128-bit elements
    EXPECT_EQ(ec(), 0u);  // Unknown reason
}

TEST_F(Simd, TrapsWhenFpIsDisabled) {
    h.core.sr(SR::CPACR_EL1) = 0;
    EXPECT_FALSE(run(same3(true, false, 0, 16, 2, 1, 0)));
    EXPECT_EQ(ec(), 0x07u);
    // A reserved encoding is UNDEFINED before the trap check.
    EXPECT_FALSE(run(same3(false, false, 3, 16, 2, 1, 0)));
    EXPECT_EQ(ec(), 0u);
}

TEST_F(Simd, FloatingPointVectorFlagsAndForms) {
    // FADD v0.4s: 1 + 2^-30 is inexact (IXC); FRECPE of 0 is +Inf with DZC.
    setv(1, 0x3F800000'3F800000ull, 0x3F800000'3F800000ull);
    setv(2, 0x30800000'3F800000ull, 0x3F800000'3F800000ull);
    ASSERT_TRUE(run(same3(true, false, 0, 26, 2, 1, 0)));
    EXPECT_EQ(lo(0), 0x3F800000'40000000ull);
    EXPECT_EQ(fpsr() & 0x1F, 0x10u);
    h.core.sr(SR::FPSR) = 0;
    setv(1, 0, 0);
    ASSERT_TRUE(run(misc2(false, false, 2, 29, 1, 0)));  // FRECPE v0.2s
    EXPECT_EQ(lo(0), 0x7F800000'7F800000ull);
    EXPECT_EQ(fpsr() & 0x1F, 0x02u);
    // FCVTN2 v0.8h, v1.4s keeps the lower half: 1.0f -> 0x3C00.
    setv(0, 0x1234, 0x5678);
    setv(1, 0x3F800000'3F800000ull, 0x3F800000'3F800000ull);
    ASSERT_TRUE(run(misc2(true, false, 0, 22, 1, 0)));
    EXPECT_EQ(lo(0), 0x1234u);
    EXPECT_EQ(hi(0), 0x3C003C003C003C00ull);
    // FCVTZS v0.2d, v1.2d, #1 (fixed point): 2^62 * 2 saturates with IOC.
    h.core.sr(SR::FPSR) = 0;
    setv(1, 0x43D0000000000000ull, 0x3FF8000000000000ull);  // 2^62, 1.5
    ASSERT_TRUE(run(shift_imm(true, false, 0x7F, 31, 1, 0)));
    EXPECT_EQ(lo(0), 0x7FFFFFFFFFFFFFFFull);
    EXPECT_EQ(hi(0), 3u);
    EXPECT_EQ(fpsr() & 1, 1u);
}

}  // namespace
