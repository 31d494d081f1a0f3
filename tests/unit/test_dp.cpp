// Integer data-processing instructions (models/cpu/insn/dp_imm.cpp and
// dp_reg.cpp) executed on a Core: results, flags and UNDEF encodings at the
// edges of each handler group.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <vector>

#include "core_harness.h"
#include "models/cpu/insn/alu.h"

namespace {

using hvsim::test::CoreHarness;

constexpr unsigned ZR = 31, SP = 31;  // register 31, read as ZR or SP per form
constexpr uint64_t kAllOnes = ~0ull;
constexpr uint64_t kMin64 = 1ull << 63;

// NZCV values (N is bit 3).
constexpr unsigned N = 8, Z = 4, C = 2, V = 1;

// ---- A64 encoders (Arm ARM C4.1) ---------------------------------------------
namespace enc {

uint32_t adr(bool page, int64_t imm21, unsigned rd) {
    const uint32_t imm = static_cast<uint32_t>(imm21) & 0x1FFFFF;
    return (uint32_t(page) << 31) | ((imm & 3) << 29) | (0x10u << 24) | ((imm >> 2) << 5) | rd;
}
// ADD/ADDS/SUB/SUBS (immediate)
uint32_t addsub_imm(bool sf, bool sub, bool s, bool sh, unsigned imm12, unsigned rn, unsigned rd) {
    return (uint32_t(sf) << 31) | (uint32_t(sub) << 30) | (uint32_t(s) << 29) | (0x22u << 23) | (uint32_t(sh) << 22) |
           (imm12 << 10) | (rn << 5) | rd;
}
// opc: 0 AND, 1 ORR, 2 EOR, 3 ANDS
uint32_t logical_imm(bool sf, unsigned opc, unsigned n, unsigned immr, unsigned imms, unsigned rn, unsigned rd) {
    return (uint32_t(sf) << 31) | (opc << 29) | (0x24u << 23) | (n << 22) | (immr << 16) | (imms << 10) | (rn << 5) |
           rd;
}
// opc: 0 MOVN, 2 MOVZ, 3 MOVK
uint32_t move_wide(bool sf, unsigned opc, unsigned hw, unsigned imm16, unsigned rd) {
    return (uint32_t(sf) << 31) | (opc << 29) | (0x25u << 23) | (hw << 21) | (imm16 << 5) | rd;
}
// opc: 0 SBFM, 1 BFM, 2 UBFM
uint32_t bitfield(bool sf, unsigned opc, unsigned n, unsigned immr, unsigned imms, unsigned rn, unsigned rd) {
    return (uint32_t(sf) << 31) | (opc << 29) | (0x26u << 23) | (n << 22) | (immr << 16) | (imms << 10) | (rn << 5) |
           rd;
}
uint32_t sbfm(bool sf, unsigned immr, unsigned imms, unsigned rn, unsigned rd) {
    return bitfield(sf, 0, sf, immr, imms, rn, rd);
}
uint32_t bfm(bool sf, unsigned immr, unsigned imms, unsigned rn, unsigned rd) {
    return bitfield(sf, 1, sf, immr, imms, rn, rd);
}
uint32_t ubfm(bool sf, unsigned immr, unsigned imms, unsigned rn, unsigned rd) {
    return bitfield(sf, 2, sf, immr, imms, rn, rd);
}
uint32_t extr(bool sf, unsigned n, unsigned rm, unsigned imms, unsigned rn, unsigned rd) {
    return (uint32_t(sf) << 31) | (0x27u << 23) | (n << 22) | (rm << 16) | (imms << 10) | (rn << 5) | rd;
}
// opc: 0 AND, 1 ORR, 2 EOR, 3 ANDS; invert selects BIC/ORN/EON/BICS.
// shift: 0 LSL, 1 LSR, 2 ASR, 3 ROR
uint32_t logical_shift(bool sf, unsigned opc, bool invert, unsigned shift, unsigned rm, unsigned imm6, unsigned rn,
                       unsigned rd) {
    return (uint32_t(sf) << 31) | (opc << 29) | (0x0Au << 24) | (shift << 22) | (uint32_t(invert) << 21) |
           (rm << 16) | (imm6 << 10) | (rn << 5) | rd;
}
uint32_t addsub_shift(bool sf, bool sub, bool s, unsigned shift, unsigned rm, unsigned imm6, unsigned rn, unsigned rd) {
    return (uint32_t(sf) << 31) | (uint32_t(sub) << 30) | (uint32_t(s) << 29) | (0x0Bu << 24) | (shift << 22) |
           (rm << 16) | (imm6 << 10) | (rn << 5) | rd;
}
// option: 0..7 = UXTB, UXTH, UXTW, UXTX, SXTB, SXTH, SXTW, SXTX
uint32_t addsub_ext(bool sf, bool sub, bool s, unsigned rm, unsigned option, unsigned imm3, unsigned rn, unsigned rd) {
    return (uint32_t(sf) << 31) | (uint32_t(sub) << 30) | (uint32_t(s) << 29) | (0x59u << 21) | (rm << 16) |
           (option << 13) | (imm3 << 10) | (rn << 5) | rd;
}
// ADC/ADCS/SBC/SBCS
uint32_t addsub_carry(bool sf, bool sub, bool s, unsigned rm, unsigned rn, unsigned rd) {
    return (uint32_t(sf) << 31) | (uint32_t(sub) << 30) | (uint32_t(s) << 29) | (0xD0u << 21) | (rm << 16) |
           (rn << 5) | rd;
}
// CCMN (cmp = false) / CCMP (cmp = true); `imm` selects the immediate form,
// where rm_imm5 is the immediate.
uint32_t cond_cmp(bool sf, bool cmp, bool imm, unsigned rm_imm5, unsigned cond, unsigned rn, unsigned nzcv) {
    return (uint32_t(sf) << 31) | (uint32_t(cmp) << 30) | (1u << 29) | (0xD2u << 21) | (rm_imm5 << 16) |
           (cond << 12) | (uint32_t(imm) << 11) | (rn << 5) | nzcv;
}
// op/op2: 0/0 CSEL, 0/1 CSINC, 1/0 CSINV, 1/1 CSNEG
uint32_t cond_sel(bool sf, unsigned op, unsigned op2, unsigned rm, unsigned cond, unsigned rn, unsigned rd) {
    return (uint32_t(sf) << 31) | (op << 30) | (0xD4u << 21) | (rm << 16) | (cond << 12) | (op2 << 10) | (rn << 5) |
           rd;
}
// Data-processing (2 source): UDIV 2, SDIV 3, LSLV 8, LSRV 9, ASRV 10, RORV 11
uint32_t dp2(bool sf, unsigned opcode, unsigned rm, unsigned rn, unsigned rd) {
    return (uint32_t(sf) << 31) | (0xD6u << 21) | (rm << 16) | (opcode << 10) | (rn << 5) | rd;
}
// Data-processing (1 source): RBIT 0, REV16 1, REV32/REV(W) 2, REV(X) 3, CLZ 4, CLS 5
uint32_t dp1(bool sf, unsigned opcode, unsigned rn, unsigned rd) {
    return (uint32_t(sf) << 31) | (1u << 30) | (0xD6u << 21) | (opcode << 10) | (rn << 5) | rd;
}
// Data-processing (3 source): op31 0 MADD/MSUB, 1 SMADDL/SMSUBL, 2 SMULH,
// 5 UMADDL/UMSUBL, 6 UMULH; o0 selects the subtracting form.
uint32_t dp3(bool sf, unsigned op31, bool o0, unsigned rm, unsigned ra, unsigned rn, unsigned rd) {
    return (uint32_t(sf) << 31) | (0x1Bu << 24) | (op31 << 21) | (rm << 16) | (uint32_t(o0) << 15) | (ra << 10) |
           (rn << 5) | rd;
}

enum Op2 : unsigned { UDIV = 2, SDIV = 3, LSLV = 8, LSRV = 9, ASRV = 10, RORV = 11 };
enum Op1 : unsigned { RBIT = 0, REV16 = 1, REV32 = 2, REV = 3, CLZ = 4, CLS = 5 };

}  // namespace enc

// ConditionHolds() written out per condition name (Arm ARM C1.2.4).
bool cond_holds(unsigned cond, unsigned f) {
    const bool n = f & N, z = f & Z, c = f & C, v = f & V;
    switch (cond) {
    case 0x0: return z;                    // EQ
    case 0x1: return !z;                   // NE
    case 0x2: return c;                    // CS
    case 0x3: return !c;                   // CC
    case 0x4: return n;                    // MI
    case 0x5: return !n;                   // PL
    case 0x6: return v;                    // VS
    case 0x7: return !v;                   // VC
    case 0x8: return c && !z;              // HI
    case 0x9: return !(c && !z);           // LS
    case 0xA: return n == v;               // GE
    case 0xB: return n != v;               // LT
    case 0xC: return !z && n == v;         // GT
    case 0xD: return !(!z && n == v);      // LE
    default: return true;                  // AL, NV
    }
}

class DpTest : public ::testing::Test {
protected:
    CoreHarness h;
    uint64_t& x(unsigned n) { return h.x(n); }
    bool run(std::vector<uint32_t> insns) { return h.run_insns(insns); }
    // Runs one instruction and expects it to be UNDEFINED (EC 0 in ESR_EL1).
    void expect_undef(uint32_t insn) {
        CoreHarness fresh;
        EXPECT_FALSE(fresh.run_insns({insn})) << std::hex << insn;
        EXPECT_EQ(fresh.core.sr(hvsim::cpu::SR::ESR_EL1) >> 26, 0u) << std::hex << insn;
        EXPECT_EQ(fresh.core.stats().undefs, 1u) << std::hex << insn;
    }
};

// ---- ADR / ADRP -----------------------------------------------------------------

TEST_F(DpTest, AdrAdrp) {
    const uint64_t pc = CoreHarness::kRamBase;
    ASSERT_TRUE(run({enc::adr(false, -4, 0), enc::adr(false, 0xFFFFF, 1), enc::adr(false, -0x100000, 2)}));
    EXPECT_EQ(x(0), pc - 4);
    EXPECT_EQ(x(1), pc + 4 + 0xFFFFF);
    EXPECT_EQ(x(2), pc + 8 - 0x100000);
    // ADRP: the PC's page plus imm << 12; the PC's low 12 bits are ignored.
    ASSERT_TRUE(run({enc::adr(true, 0, 30), enc::adr(true, 1, 3), enc::adr(true, -0x40000, 4)}));
    EXPECT_EQ(x(30), pc);
    EXPECT_EQ(x(3), pc + 0x1000);
    EXPECT_EQ(x(4), pc - 0x40000000ull);  // page 0
    ASSERT_TRUE(run({enc::adr(true, -0x100000, 5)}));
    EXPECT_EQ(x(5), pc - 0x100000000ull);  // wraps below 0
    // Rd 31 is ZR: SP is untouched.
    h.sp() = 0x1234;
    ASSERT_TRUE(run({enc::adr(false, 8, ZR)}));
    EXPECT_EQ(h.sp(), 0x1234u);
}

// ---- ADD/SUB (immediate) ------------------------------------------------------------

TEST_F(DpTest, AddSubImmFlags) {
    x(1) = kAllOnes;
    ASSERT_TRUE(run({enc::addsub_imm(true, false, true, false, 1, 1, 0)}));  // adds x0, x1, #1
    EXPECT_EQ(x(0), 0u);
    EXPECT_EQ(h.nzcv(), Z | C);
    x(1) = kMin64 - 1;
    ASSERT_TRUE(run({enc::addsub_imm(true, false, true, false, 1, 1, 0)}));
    EXPECT_EQ(x(0), kMin64);
    EXPECT_EQ(h.nzcv(), N | V);
    x(1) = 0;
    ASSERT_TRUE(run({enc::addsub_imm(true, true, true, false, 1, 1, 0)}));  // subs x0, x1, #1
    EXPECT_EQ(x(0), kAllOnes);
    EXPECT_EQ(h.nzcv(), N);  // borrow: C clear
    x(1) = 5;
    ASSERT_TRUE(run({enc::addsub_imm(true, true, true, false, 5, 1, 0)}));
    EXPECT_EQ(x(0), 0u);
    EXPECT_EQ(h.nzcv(), Z | C);  // equal: no borrow
    x(1) = kMin64;
    ASSERT_TRUE(run({enc::addsub_imm(true, true, true, false, 1, 1, 0)}));
    EXPECT_EQ(x(0), kMin64 - 1);
    EXPECT_EQ(h.nzcv(), C | V);
    // 32-bit: flags from bit 31, the result zero-extended, Rn's top half ignored.
    x(1) = 0xFFFFFFFF00000000ull;
    ASSERT_TRUE(run({enc::addsub_imm(false, true, true, false, 1, 1, 0)}));  // subs w0, w1, #1
    EXPECT_EQ(x(0), 0xFFFFFFFFull);
    EXPECT_EQ(h.nzcv(), N);
    x(1) = 0x7FFFFFFF;
    ASSERT_TRUE(run({enc::addsub_imm(false, false, true, false, 1, 1, 0)}));
    EXPECT_EQ(x(0), 0x80000000ull);
    EXPECT_EQ(h.nzcv(), N | V);
    x(1) = 0xFFFFFFFF;
    ASSERT_TRUE(run({enc::addsub_imm(false, false, true, false, 1, 1, 0)}));
    EXPECT_EQ(x(0), 0u);
    EXPECT_EQ(h.nzcv(), Z | C);
    // ADD and SUB leave the flags alone.
    h.set_nzcv(N | Z | C | V);
    x(1) = 0x10;
    ASSERT_TRUE(run({enc::addsub_imm(true, false, false, true, 0xABC, 1, 2),    // add x2, x1, #0xabc, lsl #12
                     enc::addsub_imm(true, true, false, false, 0x11, 1, 3),     // sub x3, x1, #0x11
                     enc::addsub_imm(false, true, false, false, 0x11, 1, 4)}));  // sub w4, w1, #0x11
    EXPECT_EQ(x(2), 0xABC010u);
    EXPECT_EQ(x(3), kAllOnes);
    EXPECT_EQ(x(4), 0xFFFFFFFFull);
    EXPECT_EQ(h.nzcv(), N | Z | C | V);
}

TEST_F(DpTest, AddSubImmSpAndZr) {
    h.sp() = 0x40010000;
    ASSERT_TRUE(run({enc::addsub_imm(true, true, false, false, 16, SP, SP),  // sub sp, sp, #16
                     enc::addsub_imm(true, false, false, false, 0, SP, 0),   // mov x0, sp
                     enc::addsub_imm(true, false, false, false, 8, 0, SP)}));  // add sp, x0, #8
    EXPECT_EQ(x(0), 0x4000FFF0u);
    EXPECT_EQ(h.sp(), 0x4000FFF8u);
    // The flag-setting forms read SP but write ZR (CMP/CMN).
    ASSERT_TRUE(run({enc::addsub_imm(true, true, true, false, 0xFF8, SP, ZR)}));  // cmp sp, #0xff8
    EXPECT_EQ(h.sp(), 0x4000FFF8u);
    EXPECT_EQ(h.nzcv(), C);
    ASSERT_TRUE(run({enc::addsub_imm(true, false, true, false, 0, SP, 5)}));  // adds x5, sp, #0
    EXPECT_EQ(x(5), 0x4000FFF8u);
    // A 32-bit result written to SP is zero-extended.
    h.sp() = 0xFFFFFFFF00000010ull;
    ASSERT_TRUE(run({enc::addsub_imm(false, true, false, false, 0x20, SP, SP)}));  // sub wsp, wsp, #0x20
    EXPECT_EQ(h.sp(), 0xFFFFFFF0ull);
    // EL1 uses SP_EL1 here; SP_EL0 is untouched.
    EXPECT_EQ(h.core.st.sp_el[0], 0u);
}

// ---- logical (immediate) ----------------------------------------------------------

TEST_F(DpTest, LogicalImm) {
    x(1) = 0x0123456789ABCDEFull;
    ASSERT_TRUE(run({enc::logical_imm(true, 1, 0, 0, 0x3C, ZR, 0),   // mov x0, #0x5555555555555555
                     enc::logical_imm(true, 0, 1, 0, 7, 1, 2),       // and x2, x1, #0xff
                     enc::logical_imm(true, 2, 1, 4, 7, 1, 3),       // eor x3, x1, #0xf00000000000000f
                     enc::logical_imm(true, 1, 0, 8, 0x07, 1, 4)}));  // orr x4, x1, #0xff000000ff000000
    EXPECT_EQ(x(0), 0x5555555555555555ull);
    EXPECT_EQ(x(2), 0xEFu);
    EXPECT_EQ(x(3), 0x0123456789ABCDEFull ^ 0xF00000000000000Full);
    EXPECT_EQ(x(4), 0x0123456789ABCDEFull | 0xFF000000FF000000ull);
    // 32-bit: the element replicated to 32 bits only, the result zero-extended.
    x(1) = kAllOnes;
    ASSERT_TRUE(run({enc::logical_imm(false, 2, 0, 1, 0, 1, 5),        // eor w5, w1, #0x80000000
                     enc::logical_imm(false, 1, 0, 0, 0x23, ZR, 6)}));  // mov w6, #0x000f000f
    EXPECT_EQ(x(5), 0x7FFFFFFFull);
    EXPECT_EQ(x(6), 0x000F000Full);
}

TEST_F(DpTest, LogicalImmFlagsAndSp) {
    h.set_nzcv(C | V);
    x(1) = 0x8000000000000001ull;
    ASSERT_TRUE(run({enc::logical_imm(true, 3, 1, 1, 0, 1, 0)}));  // ands x0, x1, #0x8000000000000000
    EXPECT_EQ(x(0), kMin64);
    EXPECT_EQ(h.nzcv(), N);  // C and V cleared
    ASSERT_TRUE(run({enc::logical_imm(false, 3, 0, 0, 0, 1, 0)}));  // ands w0, w1, #1
    EXPECT_EQ(x(0), 1u);
    EXPECT_EQ(h.nzcv(), 0u);
    x(1) = 0x80000000;
    ASSERT_TRUE(run({enc::logical_imm(false, 3, 0, 1, 0, 1, 0)}));  // ands w0, w1, #0x80000000
    EXPECT_EQ(h.nzcv(), N);
    // AND/ORR/EOR write SP for Rd 31; ANDS (TST) writes ZR.
    h.sp() = 0x1000;
    x(1) = 0x40012345;
    ASSERT_TRUE(run({enc::logical_imm(true, 3, 1, 0, 7, 1, ZR)}));  // tst x1, #0xff
    EXPECT_EQ(h.sp(), 0x1000u);
    EXPECT_EQ(h.nzcv(), 0u);
    ASSERT_TRUE(run({enc::logical_imm(true, 0, 1, 60, 59, 1, SP)}));  // and sp, x1, #~0xf
    EXPECT_EQ(h.sp(), 0x40012340u);
    ASSERT_TRUE(run({enc::logical_imm(true, 1, 1, 0, 0, 1, SP)}));  // orr sp, x1, #1
    EXPECT_EQ(h.sp(), 0x40012345u);
}

TEST_F(DpTest, LogicalImmReserved) {
    expect_undef(enc::logical_imm(false, 0, 1, 0, 0, 1, 0));     // sf 0, N 1
    expect_undef(enc::logical_imm(true, 1, 1, 0, 0x3F, 1, 0));   // all ones, 64-bit element
    expect_undef(enc::logical_imm(true, 2, 0, 0, 0x1F, 1, 0));   // all ones, 32-bit element
    expect_undef(enc::logical_imm(false, 3, 0, 0, 0x3D, 1, 0));  // all ones, 2-bit element
    expect_undef(enc::logical_imm(true, 0, 0, 0, 0x3E, 1, 0));   // element size 1
    expect_undef(enc::logical_imm(true, 0, 0, 0, 0x3F, 1, 0));
}

// DecodeBitMasks: 7680 valid encodings (immr bits above the element size are
// ignored) giving the well-known 5334 distinct 64-bit logical immediates, none
// of them 0 or all ones; an N = 0 one is the replication of its 32-bit value.
TEST(DecodeBitMasks, AllLogicalImmediates) {
    using hvsim::cpu::insn::decode_bit_masks;
    std::set<uint64_t> values;
    unsigned valid = 0;
    for (unsigned n = 0; n < 2; ++n)
        for (unsigned immr = 0; immr < 64; ++immr)
            for (unsigned imms = 0; imms < 64; ++imms) {
                uint64_t w, t;
                if (!decode_bit_masks(n, imms, immr, true, 64, w, t)) continue;
                ++valid;
                values.insert(w);
                EXPECT_NE(w, 0u);
                EXPECT_NE(w, kAllOnes);
                uint64_t w32, t32;
                const bool ok32 = decode_bit_masks(n, imms, immr, true, 32, w32, t32);
                if (n == 0 && immr < 32) {
                    ASSERT_TRUE(ok32);
                    EXPECT_EQ(w32 | (w32 << 32), w);
                }
            }
    EXPECT_EQ(valid, 7680u);
    EXPECT_EQ(values.size(), 5334u);
}

// ---- move wide --------------------------------------------------------------------

TEST_F(DpTest, MoveWide) {
    x(3) = 0x1111222233334444ull;
    x(4) = kAllOnes;
    ASSERT_TRUE(run({enc::move_wide(true, 2, 3, 0x1234, 0),    // movz x0, #0x1234, lsl #48
                     enc::move_wide(true, 0, 0, 0, 1),         // movn x1, #0
                     enc::move_wide(false, 0, 0, 0, 2),        // movn w2, #0
                     enc::move_wide(true, 3, 1, 0xBEEF, 3),    // movk x3, #0xbeef, lsl #16
                     enc::move_wide(false, 3, 1, 0xBEEF, 4),   // movk w4, #0xbeef, lsl #16
                     enc::move_wide(true, 0, 2, 0xFF, 5),      // movn x5, #0xff, lsl #32
                     enc::move_wide(false, 0, 1, 0x8000, 6)}));  // movn w6, #0x8000, lsl #16
    EXPECT_EQ(x(0), 0x1234000000000000ull);
    EXPECT_EQ(x(1), kAllOnes);
    EXPECT_EQ(x(2), 0xFFFFFFFFull);
    EXPECT_EQ(x(3), 0x11112222BEEF4444ull);
    EXPECT_EQ(x(4), 0xBEEFFFFFull);  // the 32-bit result is zero-extended
    EXPECT_EQ(x(5), 0xFFFFFF00FFFFFFFFull);
    EXPECT_EQ(x(6), 0x7FFFFFFFull);
    h.sp() = 0x40;
    ASSERT_TRUE(run({enc::move_wide(true, 2, 0, 1, ZR)}));  // Rd 31 is ZR
    EXPECT_EQ(h.sp(), 0x40u);
    expect_undef(enc::move_wide(false, 2, 2, 1, 0));
    expect_undef(enc::move_wide(false, 0, 3, 1, 0));
    expect_undef(enc::move_wide(false, 3, 2, 1, 0));
}

// ---- bitfield ---------------------------------------------------------------------

TEST_F(DpTest, BitfieldAliases) {
    x(1) = 0x8123456789ABCDEFull;
    ASSERT_TRUE(run({enc::ubfm(true, 60, 59, 1, 0),    // lsl x0, x1, #4
                     enc::ubfm(true, 4, 63, 1, 2),     // lsr x2, x1, #4
                     enc::sbfm(true, 4, 63, 1, 3),     // asr x3, x1, #4
                     enc::sbfm(true, 63, 63, 1, 4),    // asr x4, x1, #63
                     enc::ubfm(true, 8, 11, 1, 5),     // ubfx x5, x1, #8, #4
                     enc::sbfm(true, 4, 7, 1, 6),      // sbfx x6, x1, #4, #4
                     enc::sbfm(true, 60, 7, 1, 7),     // sbfiz x7, x1, #4, #8
                     enc::ubfm(true, 32, 31, 1, 8)}));  // lsl x8, x1, #32
    EXPECT_EQ(x(0), 0x123456789ABCDEF0ull);
    EXPECT_EQ(x(2), 0x08123456789ABCDEull);
    EXPECT_EQ(x(3), 0xF8123456789ABCDEull);
    EXPECT_EQ(x(4), kAllOnes);
    EXPECT_EQ(x(5), 0xDu);
    EXPECT_EQ(x(6), 0xFFFFFFFFFFFFFFFEull);  // 0xE sign-extended from 4 bits
    EXPECT_EQ(x(7), 0xFFFFFFFFFFFFFEF0ull);  // 0xef sign-extended, then << 4
    EXPECT_EQ(x(8), 0x89ABCDEF00000000ull);
}

TEST_F(DpTest, BitfieldExtends) {
    x(1) = 0xFFFFFFFF80008080ull;
    ASSERT_TRUE(run({enc::sbfm(true, 0, 7, 1, 0),     // sxtb x0, w1
                     enc::sbfm(false, 0, 15, 1, 2),   // sxth w2, w1
                     enc::sbfm(true, 0, 31, 1, 3),    // sxtw x3, w1
                     enc::ubfm(false, 0, 7, 1, 4),    // uxtb w4, w1
                     enc::ubfm(false, 0, 15, 1, 5),   // uxth w5, w1
                     enc::sbfm(false, 4, 31, 1, 6),   // asr w6, w1, #4
                     enc::ubfm(false, 31, 30, 1, 7),  // lsl w7, w1, #1
                     enc::ubfm(false, 31, 31, 1, 8)}));  // lsr w8, w1, #31
    EXPECT_EQ(x(0), 0xFFFFFFFFFFFFFF80ull);
    EXPECT_EQ(x(2), 0xFFFF8080ull);  // 32-bit results are zero-extended
    EXPECT_EQ(x(3), 0xFFFFFFFF80008080ull);
    EXPECT_EQ(x(4), 0x80u);
    EXPECT_EQ(x(5), 0x8080u);
    EXPECT_EQ(x(6), 0xF8000808ull);
    EXPECT_EQ(x(7), 0x00010100ull);
    EXPECT_EQ(x(8), 1u);
}

TEST_F(DpTest, BitfieldInsert) {
    x(1) = 0x123456789ABCDEF5ull;
    x(0) = x(2) = x(3) = x(4) = 0xAAAAAAAAAAAAAAAAull;
    ASSERT_TRUE(run({enc::bfm(true, 56, 3, 1, 0),     // bfi x0, x1, #8, #4
                     enc::bfm(true, 8, 11, 1, 2),     // bfxil x2, x1, #8, #4
                     enc::bfm(false, 28, 7, 1, 3),    // bfi w3, w1, #4, #8
                     enc::bfm(true, 0, 63, 1, 4)}));  // bfxil x4, x1, #0, #64: a plain copy
    EXPECT_EQ(x(0), 0xAAAAAAAAAAAAA5AAull);
    EXPECT_EQ(x(2), 0xAAAAAAAAAAAAAAAEull);
    EXPECT_EQ(x(3), 0xAAAAAF5Aull);  // the top half is cleared
    EXPECT_EQ(x(4), 0x123456789ABCDEF5ull);
    // bfc x0, #60, #4 (BFM from XZR)
    ASSERT_TRUE(run({enc::bfm(true, 4, 3, ZR, 0)}));
    EXPECT_EQ(x(0), 0x0AAAAAAAAAAAA5AAull);
}

TEST_F(DpTest, BitfieldReserved) {
    expect_undef(enc::bitfield(true, 2, 0, 4, 63, 1, 0));   // sf 1, N 0
    expect_undef(enc::bitfield(false, 0, 1, 4, 31, 1, 0));  // sf 0, N 1
    expect_undef(enc::bitfield(false, 1, 0, 32, 3, 1, 0));  // sf 0, immr >= 32
    expect_undef(enc::bitfield(false, 2, 0, 0, 32, 1, 0));  // sf 0, imms >= 32
}

// ---- EXTR -------------------------------------------------------------------------

TEST_F(DpTest, Extr) {
    x(1) = 0x0123456789ABCDEFull;
    x(2) = 0xFEDCBA9876543210ull;
    ASSERT_TRUE(run({enc::extr(true, 1, 2, 8, 1, 0),    // extr x0, x1, x2, #8
                     enc::extr(true, 1, 1, 4, 1, 3),    // ror x3, x1, #4
                     enc::extr(true, 1, 2, 0, 1, 4),    // extr x4, x1, x2, #0 = x2
                     enc::extr(true, 1, 2, 63, 1, 5),   // extr x5, x1, x2, #63
                     enc::extr(false, 0, 2, 8, 1, 6),   // extr w6, w1, w2, #8
                     enc::extr(false, 0, 1, 31, 1, 7),  // ror w7, w1, #31
                     enc::extr(false, 0, 2, 0, 1, 8)}));  // extr w8, w1, w2, #0 = w2
    EXPECT_EQ(x(0), 0xEFFEDCBA98765432ull);
    EXPECT_EQ(x(3), 0xF0123456789ABCDEull);
    EXPECT_EQ(x(4), 0xFEDCBA9876543210ull);
    EXPECT_EQ(x(5), 0x02468ACF13579BDFull);  // (x1 << 1) | (x2 >> 63)
    EXPECT_EQ(x(6), 0xEF765432ull);
    EXPECT_EQ(x(7), 0x13579BDFull);
    EXPECT_EQ(x(8), 0x76543210ull);
    expect_undef(enc::extr(true, 0, 2, 8, 1, 0));    // N != sf
    expect_undef(enc::extr(false, 1, 2, 8, 1, 0));
    expect_undef(enc::extr(false, 0, 2, 32, 1, 0));  // 32-bit imms >= 32
}

// ---- logical (shifted register) -------------------------------------------------

TEST_F(DpTest, LogicalShifted) {
    x(1) = 0xF0F0F0F0F0F0F0F0ull;
    x(2) = 0x8000000000000001ull;
    ASSERT_TRUE(run({enc::logical_shift(true, 0, false, 0, 2, 4, 1, 0),   // and x0, x1, x2, lsl #4
                     enc::logical_shift(true, 0, true, 2, 2, 3, 1, 3),    // bic x3, x1, x2, asr #3
                     enc::logical_shift(true, 1, false, 1, 2, 63, 1, 4),  // orr x4, x1, x2, lsr #63
                     enc::logical_shift(true, 1, true, 0, 2, 0, ZR, 5),   // mvn x5, x2
                     enc::logical_shift(true, 2, false, 3, 2, 1, 1, 6),   // eor x6, x1, x2, ror #1
                     enc::logical_shift(true, 2, true, 3, 1, 4, 1, 7)}));  // eon x7, x1, x1, ror #4
    EXPECT_EQ(x(0), 0x0000000000000010ull);
    EXPECT_EQ(x(3), 0x00F0F0F0F0F0F0F0ull);
    EXPECT_EQ(x(4), 0xF0F0F0F0F0F0F0F1ull);
    EXPECT_EQ(x(5), 0x7FFFFFFFFFFFFFFEull);
    EXPECT_EQ(x(6), 0xF0F0F0F0F0F0F0F0ull ^ 0xC000000000000000ull);
    EXPECT_EQ(x(7), 0u);
    // 32-bit: shifts and rotates within 32 bits, results zero-extended.
    x(1) = 0xFFFFFFFF000000F1ull;
    ASSERT_TRUE(run({enc::logical_shift(false, 1, false, 3, 1, 4, ZR, 0),  // mov w0, w1, ror #4
                     enc::logical_shift(false, 1, false, 2, 1, 0, ZR, 2),  // orr w2, wzr, w1, asr #0
                     enc::logical_shift(false, 1, true, 0, 1, 31, ZR, 3)}));  // mvn w3, w1, lsl #31
    EXPECT_EQ(x(0), 0x1000000Full);
    EXPECT_EQ(x(2), 0xF1ull);
    EXPECT_EQ(x(3), 0x7FFFFFFFull);
}

TEST_F(DpTest, LogicalShiftedFlagsAndZr) {
    h.set_nzcv(C | V);
    x(1) = kMin64 | 1;
    x(2) = 1;
    ASSERT_TRUE(run({enc::logical_shift(true, 3, false, 0, 1, 0, 1, 0)}));  // ands x0, x1, x1
    EXPECT_EQ(h.nzcv(), N);
    ASSERT_TRUE(run({enc::logical_shift(true, 3, true, 0, 2, 0, 2, 0)}));  // bics x0, x2, x2
    EXPECT_EQ(x(0), 0u);
    EXPECT_EQ(h.nzcv(), Z);
    ASSERT_TRUE(run({enc::logical_shift(false, 3, false, 0, 1, 0, 1, 0)}));  // ands w0, w1, w1
    EXPECT_EQ(h.nzcv(), 0u);                                                  // bit 31 of w1 is 0
    // Rd 31 is ZR (TST), never SP.
    h.sp() = 0x5000;
    ASSERT_TRUE(run({enc::logical_shift(true, 1, false, 0, 1, 0, ZR, ZR),   // orr xzr, xzr, x1
                     enc::logical_shift(true, 3, false, 0, 1, 0, 1, ZR)}));  // tst x1, x1
    EXPECT_EQ(h.sp(), 0x5000u);
    expect_undef(enc::logical_shift(false, 0, false, 0, 2, 32, 1, 0));  // 32-bit imm6 >= 32
    expect_undef(enc::logical_shift(false, 3, true, 3, 2, 63, 1, 0));
}

// ---- ADD/SUB (shifted register) -----------------------------------------------

TEST_F(DpTest, AddSubShifted) {
    x(1) = 100;
    x(2) = 1;
    ASSERT_TRUE(run({enc::addsub_shift(true, false, false, 0, 2, 63, 1, 0),  // add x0, x1, x2, lsl #63
                     enc::addsub_shift(true, true, false, 0, 1, 0, ZR, 3),   // neg x3, x1
                     enc::addsub_shift(true, true, true, 2, 3, 2, 1, 4),     // subs x4, x1, x3, asr #2
                     enc::addsub_shift(true, false, true, 1, 3, 60, 1, 5)}));  // adds x5, x1, x3, lsr #60
    EXPECT_EQ(x(0), kMin64 + 100);
    EXPECT_EQ(x(3), static_cast<uint64_t>(-100));
    EXPECT_EQ(x(4), 125u);  // 100 - (-25)
    EXPECT_EQ(x(5), 115u);  // 100 + 15
    EXPECT_EQ(h.nzcv(), 0u);
    // 32-bit: the operand shifted within 32 bits, flags from bit 31.
    x(1) = 0x7FFFFFFF;
    x(2) = 0xFFFFFFFF00000001ull;
    ASSERT_TRUE(run({enc::addsub_shift(false, false, true, 0, 2, 0, 1, 0)}));  // adds w0, w1, w2
    EXPECT_EQ(x(0), 0x80000000ull);
    EXPECT_EQ(h.nzcv(), N | V);
    ASSERT_TRUE(run({enc::addsub_shift(false, true, true, 0, 2, 31, ZR, 0)}));  // negs w0, w2, lsl #31
    EXPECT_EQ(x(0), 0x80000000ull);
    EXPECT_EQ(h.nzcv(), N | V);  // 0 - INT32_MIN overflows
    ASSERT_TRUE(run({enc::addsub_shift(false, true, true, 0, 2, 0, 2, 0)}));  // subs w0, w2, w2
    EXPECT_EQ(x(0), 0u);
    EXPECT_EQ(h.nzcv(), Z | C);
    // CMP writes ZR, not SP.
    h.sp() = 0x7000;
    ASSERT_TRUE(run({enc::addsub_shift(true, true, true, 0, 1, 0, 1, ZR)}));
    EXPECT_EQ(h.sp(), 0x7000u);
    EXPECT_EQ(h.nzcv(), Z | C);
    expect_undef(enc::addsub_shift(true, false, false, 3, 2, 0, 1, 0));  // shift type ROR
    expect_undef(enc::addsub_shift(true, true, true, 3, 2, 4, 1, 0));
    expect_undef(enc::addsub_shift(false, false, false, 0, 2, 32, 1, 0));  // 32-bit imm6 >= 32
}

// ---- ADD/SUB (extended register) ----------------------------------------------

TEST_F(DpTest, AddSubExtended) {
    x(1) = 0x1000;
    x(2) = 0xFFFFFFFFFFFFFF80ull;
    ASSERT_TRUE(run({enc::addsub_ext(true, false, false, 2, 0, 0, 1, 0),   // add x0, x1, w2, uxtb
                     enc::addsub_ext(true, false, false, 2, 4, 0, 1, 3),   // add x3, x1, w2, sxtb
                     enc::addsub_ext(true, false, false, 2, 6, 2, 1, 4),   // add x4, x1, w2, sxtw #2
                     enc::addsub_ext(true, false, false, 2, 2, 4, 1, 5),   // add x5, x1, w2, uxtw #4
                     enc::addsub_ext(true, true, false, 2, 5, 1, 1, 6),    // sub x6, x1, w2, sxth #1
                     enc::addsub_ext(true, false, false, 2, 3, 3, 1, 7)}));  // add x7, x1, x2, uxtx #3
    EXPECT_EQ(x(0), 0x1080u);
    EXPECT_EQ(x(3), 0x0F80u);
    EXPECT_EQ(x(4), 0x0E00u);
    EXPECT_EQ(x(5), 0x1000u + 0xFFFFFF800ull);
    EXPECT_EQ(x(6), 0x1100u);
    EXPECT_EQ(x(7), 0x1000u + 0xFFFFFFFFFFFFFC00ull);
    // 32-bit: the result zero-extended.
    ASSERT_TRUE(run({enc::addsub_ext(false, false, false, 2, 4, 1, 1, 8)}));  // add w8, w1, w2, sxtb #1
    EXPECT_EQ(x(8), 0x0F00u);
    x(1) = 0;
    ASSERT_TRUE(run({enc::addsub_ext(false, false, false, 2, 4, 0, 1, 8)}));  // add w8, w1, w2, sxtb
    EXPECT_EQ(x(8), 0xFFFFFF80ull);
}

TEST_F(DpTest, AddSubExtendedSpAndFlags) {
    h.sp() = 0x40020000;
    x(1) = 0x10;
    ASSERT_TRUE(run({enc::addsub_ext(true, true, false, 1, 3, 0, SP, SP),    // sub sp, sp, x1
                     enc::addsub_ext(true, false, false, 1, 2, 2, SP, 0),   // add x0, sp, w1, uxtw #2
                     enc::addsub_ext(true, false, false, ZR, 3, 0, SP, 2)}));  // add x2, sp, xzr
    EXPECT_EQ(h.sp(), 0x4001FFF0u);
    EXPECT_EQ(x(0), 0x40020030u);
    EXPECT_EQ(x(2), 0x4001FFF0u);
    // The flag-setting forms read SP but write ZR.
    x(3) = 0x4001FFF0;
    ASSERT_TRUE(run({enc::addsub_ext(true, true, true, 3, 3, 0, SP, ZR)}));  // cmp sp, x3
    EXPECT_EQ(h.sp(), 0x4001FFF0u);
    EXPECT_EQ(h.nzcv(), Z | C);
    x(4) = 0xFFFFFFFF;
    x(9) = 0;
    ASSERT_TRUE(run({enc::addsub_ext(true, false, true, 4, 6, 0, 9, 5)}));  // adds x5, x9, w4, sxtw
    EXPECT_EQ(x(5), kAllOnes);
    EXPECT_EQ(h.nzcv(), N);
    x(6) = 1;
    ASSERT_TRUE(run({enc::addsub_ext(false, false, true, 4, 2, 0, 6, 7)}));  // adds w7, w6, w4, uxtw
    EXPECT_EQ(x(7), 0u);
    EXPECT_EQ(h.nzcv(), Z | C);
    expect_undef(enc::addsub_ext(true, false, false, 1, 3, 5, 2, 0));  // shift > 4
    expect_undef(enc::addsub_ext(false, true, true, 1, 0, 7, 2, 0));
}

// ---- ADC / SBC --------------------------------------------------------------------

TEST_F(DpTest, AddSubCarry) {
    x(1) = kAllOnes;
    x(2) = 0;
    h.set_nzcv(C);
    ASSERT_TRUE(run({enc::addsub_carry(true, false, true, 2, 1, 0)}));  // adcs x0, x1, x2 (C=1)
    EXPECT_EQ(x(0), 0u);
    EXPECT_EQ(h.nzcv(), Z | C);
    h.set_nzcv(0);
    ASSERT_TRUE(run({enc::addsub_carry(true, true, true, 2, 2, 0)}));  // sbcs x0, x2, x2 (C=0)
    EXPECT_EQ(x(0), kAllOnes);
    EXPECT_EQ(h.nzcv(), N);
    h.set_nzcv(C);
    ASSERT_TRUE(run({enc::addsub_carry(true, true, true, 2, 2, 0)}));  // sbcs x0, x2, x2 (C=1)
    EXPECT_EQ(x(0), 0u);
    EXPECT_EQ(h.nzcv(), Z | C);
    x(3) = 0x7FFFFFFF;
    h.set_nzcv(C);
    ASSERT_TRUE(run({enc::addsub_carry(false, false, true, 2, 3, 0)}));  // adcs w0, w3, w2 (C=1)
    EXPECT_EQ(x(0), 0x80000000ull);
    EXPECT_EQ(h.nzcv(), N | V);
    // ADC/SBC leave the flags; 32-bit results zero-extended.
    h.set_nzcv(C | V);
    x(4) = 5;
    ASSERT_TRUE(run({enc::addsub_carry(false, true, false, 4, ZR, 5),  // ngc w5, w4 (C=1): -5
                     enc::addsub_carry(true, false, false, 4, 4, 6)}));  // adc x6, x4, x4 (C=1)
    EXPECT_EQ(x(5), 0xFFFFFFFBull);
    EXPECT_EQ(x(6), 11u);
    EXPECT_EQ(h.nzcv(), C | V);
}

// ---- CCMP / CCMN ------------------------------------------------------------------

TEST_F(DpTest, CondCompareAllConditions) {
    for (unsigned flags = 0; flags < 16; ++flags)
        for (unsigned cond = 0; cond < 16; ++cond) {
            // ccmp x1, x2, #0b1010, cond with x1 == x2: Z and C if the condition holds.
            x(1) = x(2) = 42;
            h.set_nzcv(flags);
            ASSERT_TRUE(run({enc::cond_cmp(true, true, false, 2, cond, 1, 0xA)}));
            EXPECT_EQ(h.nzcv(), cond_holds(cond, flags) ? Z | C : 0xAu) << "flags " << flags << " cond " << cond;
            // ccmn w1, #1, #0b0101, cond with w1 == -1: Z and C if it holds.
            x(1) = 0xFFFFFFFF;
            h.set_nzcv(flags);
            ASSERT_TRUE(run({enc::cond_cmp(false, false, true, 1, cond, 1, 0x5)}));
            EXPECT_EQ(h.nzcv(), cond_holds(cond, flags) ? Z | C : 0x5u) << "flags " << flags << " cond " << cond;
        }
}

TEST_F(DpTest, CondCompareResults) {
    h.set_nzcv(Z);  // EQ holds
    x(1) = kMin64;
    ASSERT_TRUE(run({enc::cond_cmp(true, true, true, 1, 0, 1, 0)}));  // ccmp x1, #1, #0, eq
    EXPECT_EQ(h.nzcv(), C | V);
    h.set_nzcv(Z);
    x(1) = kMin64 - 1;
    x(2) = 1;
    ASSERT_TRUE(run({enc::cond_cmp(true, false, false, 2, 0, 1, 0)}));  // ccmn x1, x2, #0, eq
    EXPECT_EQ(h.nzcv(), N | V);
    h.set_nzcv(Z);
    x(1) = 3;
    ASSERT_TRUE(run({enc::cond_cmp(true, true, true, 31, 0, 1, 0)}));  // ccmp x1, #31, #0, eq
    EXPECT_EQ(h.nzcv(), N);
    h.set_nzcv(Z);
    x(1) = 0xFFFFFFFF00000000ull;  // only w1 = 0 is compared in the 32-bit form
    ASSERT_TRUE(run({enc::cond_cmp(false, true, false, ZR, 0, 1, 0)}));  // ccmp w1, wzr, #0, eq
    EXPECT_EQ(h.nzcv(), Z | C);
}

// ---- conditional select -----------------------------------------------------------

TEST_F(DpTest, CondSelectAllConditions) {
    for (unsigned flags = 0; flags < 16; ++flags)
        for (unsigned cond = 0; cond < 16; ++cond) {
            x(1) = 0x1111;
            x(2) = 0x2222;
            h.set_nzcv(flags);
            ASSERT_TRUE(run({enc::cond_sel(true, 0, 0, 2, cond, 1, 0),    // csel x0, x1, x2, cond
                             enc::cond_sel(true, 0, 1, 2, cond, 1, 3),    // csinc x3, x1, x2, cond
                             enc::cond_sel(true, 1, 0, 2, cond, 1, 4),    // csinv x4, x1, x2, cond
                             enc::cond_sel(true, 1, 1, 2, cond, 1, 5)}));  // csneg x5, x1, x2, cond
            const bool holds = cond_holds(cond, flags);
            EXPECT_EQ(x(0), holds ? 0x1111u : 0x2222u) << "flags " << flags << " cond " << cond;
            EXPECT_EQ(x(3), holds ? 0x1111u : 0x2223u) << "flags " << flags << " cond " << cond;
            EXPECT_EQ(x(4), holds ? 0x1111u : ~0x2222ull) << "flags " << flags << " cond " << cond;
            EXPECT_EQ(x(5), holds ? 0x1111u : uint64_t(-0x2222)) << "flags " << flags << " cond " << cond;
            EXPECT_EQ(h.nzcv(), flags);
        }
}

TEST_F(DpTest, CondSelectAliasesAndWidth) {
    h.set_nzcv(Z);
    x(1) = 0xFFFFFFFF;
    x(2) = kMin64;
    ASSERT_TRUE(run({enc::cond_sel(true, 0, 1, ZR, 1, ZR, 0),   // cset x0, eq (csinc xzr, xzr, ne)
                     enc::cond_sel(true, 1, 0, ZR, 1, ZR, 3),   // csetm x3, eq
                     enc::cond_sel(false, 0, 1, 1, 1, 1, 4),    // cinc w4, w1, eq: wraps to 0
                     enc::cond_sel(false, 1, 0, 1, 1, 1, 5),    // cinv w5, w1, eq
                     enc::cond_sel(true, 1, 1, 2, 1, 2, 6),     // cneg x6, x2, eq: -INT64_MIN
                     enc::cond_sel(false, 0, 0, 2, 0, 1, 7)}));  // csel w7, w1, w2, eq
    EXPECT_EQ(x(0), 1u);
    EXPECT_EQ(x(3), kAllOnes);
    EXPECT_EQ(x(4), 0u);
    EXPECT_EQ(x(5), 0u);
    EXPECT_EQ(x(6), kMin64);
    EXPECT_EQ(x(7), 0xFFFFFFFFull);
    h.set_nzcv(0);
    x(1) = 0xFFFFFFFF00000005ull;
    ASSERT_TRUE(run({enc::cond_sel(false, 1, 1, 1, 0, ZR, 0)}));  // csneg w0, wzr, w1, eq (ne -> -w1)
    EXPECT_EQ(x(0), 0xFFFFFFFBull);
}

// ---- division ---------------------------------------------------------------------

TEST_F(DpTest, Divide) {
    x(1) = 100;
    x(2) = 0;
    x(3) = kMin64;
    x(4) = kAllOnes;
    x(5) = static_cast<uint64_t>(-7);
    x(6) = 2;
    ASSERT_TRUE(run({enc::dp2(true, enc::UDIV, 2, 1, 0),    // udiv x0, x1, xzr-valued x2
                     enc::dp2(true, enc::SDIV, 2, 1, 7),    // sdiv x7, x1, x2 (0)
                     enc::dp2(true, enc::SDIV, 4, 3, 8),    // sdiv x8, INT64_MIN, -1
                     enc::dp2(true, enc::SDIV, 6, 5, 9),    // sdiv x9, -7, 2: rounds to zero
                     enc::dp2(true, enc::UDIV, 6, 5, 10),   // udiv x10, 2^64-7, 2
                     enc::dp2(true, enc::UDIV, 6, 4, 11),   // udiv x11, ~0, 2
                     enc::dp2(true, enc::SDIV, 5, 3, 12)}));  // sdiv x12, INT64_MIN, -7
    EXPECT_EQ(x(0), 0u);
    EXPECT_EQ(x(7), 0u);
    EXPECT_EQ(x(8), kMin64);
    EXPECT_EQ(x(9), static_cast<uint64_t>(-3));
    EXPECT_EQ(x(10), 0x7FFFFFFFFFFFFFFCull);
    EXPECT_EQ(x(11), 0x7FFFFFFFFFFFFFFFull);
    EXPECT_EQ(x(12), 0x1249249249249249ull);  // 2^63 / 7 = 1317624576693539401
    // 32-bit: operands are the low words; results zero-extended.
    x(1) = 0x1234567880000000ull;
    x(2) = 0xFFFFFFFFFFFFFFFFull;
    x(3) = 0xABCDEF0000000000ull;
    ASSERT_TRUE(run({enc::dp2(false, enc::SDIV, 2, 1, 0),    // sdiv w0, INT32_MIN, -1
                     enc::dp2(false, enc::UDIV, 2, 1, 4),    // udiv w4, 0x80000000, 0xffffffff
                     enc::dp2(false, enc::SDIV, 3, 1, 5),    // sdiv w5, w1, 0
                     enc::dp2(false, enc::SDIV, 6, 1, 7)}));  // sdiv w7, INT32_MIN, 2
    EXPECT_EQ(x(0), 0x80000000ull);
    EXPECT_EQ(x(4), 0u);
    EXPECT_EQ(x(5), 0u);
    EXPECT_EQ(x(7), 0xC0000000ull);
}

TEST_F(DpTest, DivideCost) {
    const auto& costs = h.core.config().costs;
    uint64_t before = h.core.cycles();
    ASSERT_TRUE(run({enc::dp2(true, enc::UDIV, 2, 1, 0)}));
    EXPECT_EQ(h.core.cycles() - before, costs[hvsim::cpu::CostClass::Div64]);
    before = h.core.cycles();
    ASSERT_TRUE(run({enc::dp2(true, enc::SDIV, 2, 1, 0)}));
    EXPECT_EQ(h.core.cycles() - before, costs[hvsim::cpu::CostClass::Div64]);
    before = h.core.cycles();
    ASSERT_TRUE(run({enc::dp2(false, enc::SDIV, 2, 1, 0)}));
    EXPECT_EQ(h.core.cycles() - before, costs[hvsim::cpu::CostClass::Div32]);
    before = h.core.cycles();
    ASSERT_TRUE(run({enc::dp2(false, enc::UDIV, 2, 1, 0)}));
    EXPECT_EQ(h.core.cycles() - before, costs[hvsim::cpu::CostClass::Div32]);
}

// ---- variable shifts --------------------------------------------------------------

TEST_F(DpTest, VariableShifts) {
    x(1) = 0x8000000000000011ull;
    x(2) = 64 + 4;  // the amount is taken modulo the datasize
    x(3) = 0;
    x(4) = 33;
    ASSERT_TRUE(run({enc::dp2(true, enc::LSLV, 2, 1, 0),    // lsl x0, x1, x2
                     enc::dp2(true, enc::LSRV, 2, 1, 5),    // lsr x5, x1, x2
                     enc::dp2(true, enc::ASRV, 2, 1, 6),    // asr x6, x1, x2
                     enc::dp2(true, enc::RORV, 2, 1, 7),    // ror x7, x1, x2
                     enc::dp2(true, enc::RORV, 3, 1, 8),    // ror x8, x1, #0
                     enc::dp2(true, enc::ASRV, 4, 1, 9)}));  // asr x9, x1, 33
    EXPECT_EQ(x(0), 0x0000000000000110ull);
    EXPECT_EQ(x(5), 0x0800000000000001ull);
    EXPECT_EQ(x(6), 0xF800000000000001ull);
    EXPECT_EQ(x(7), 0x1800000000000001ull);
    EXPECT_EQ(x(8), 0x8000000000000011ull);
    EXPECT_EQ(x(9), 0xFFFFFFFFC0000000ull);
    x(1) = 0xFFFFFFFF80000011ull;
    ASSERT_TRUE(run({enc::dp2(false, enc::LSLV, 4, 1, 0),    // lsl w0, w1, 33 % 32
                     enc::dp2(false, enc::LSRV, 4, 1, 5),    // lsr w5, w1, 1
                     enc::dp2(false, enc::ASRV, 4, 1, 6),    // asr w6, w1, 1
                     enc::dp2(false, enc::RORV, 4, 1, 7),    // ror w7, w1, 1
                     enc::dp2(false, enc::ASRV, 3, 1, 8)}));  // asr w8, w1, 0
    EXPECT_EQ(x(0), 0x00000022ull);
    EXPECT_EQ(x(5), 0x40000008ull);
    EXPECT_EQ(x(6), 0xC0000008ull);
    EXPECT_EQ(x(7), 0xC0000008ull);
    EXPECT_EQ(x(8), 0x80000011ull);
}

// ---- one-source -------------------------------------------------------------------

TEST_F(DpTest, CountLeading) {
    x(1) = 0;
    x(2) = kAllOnes;
    x(3) = 1;
    x(4) = 0xFFFFFFFF00000000ull;  // w4 = 0
    x(5) = 0x00000000C0000000ull;
    ASSERT_TRUE(run({enc::dp1(true, enc::CLZ, 1, 0), enc::dp1(true, enc::CLZ, 2, 6), enc::dp1(true, enc::CLS, 1, 7),
                     enc::dp1(true, enc::CLS, 2, 8), enc::dp1(true, enc::CLS, 3, 9), enc::dp1(true, enc::CLZ, 3, 10),
                     enc::dp1(true, enc::CLS, 5, 11)}));
    EXPECT_EQ(x(0), 64u);
    EXPECT_EQ(x(6), 0u);
    EXPECT_EQ(x(7), 63u);
    EXPECT_EQ(x(8), 63u);
    EXPECT_EQ(x(9), 62u);
    EXPECT_EQ(x(10), 63u);
    EXPECT_EQ(x(11), 31u);
    ASSERT_TRUE(run({enc::dp1(false, enc::CLZ, 4, 0), enc::dp1(false, enc::CLZ, 2, 6), enc::dp1(false, enc::CLS, 4, 7),
                     enc::dp1(false, enc::CLS, 2, 8), enc::dp1(false, enc::CLS, 5, 9),
                     enc::dp1(false, enc::CLZ, 5, 10), enc::dp1(false, enc::CLS, 3, 11)}));
    EXPECT_EQ(x(0), 32u);
    EXPECT_EQ(x(6), 0u);
    EXPECT_EQ(x(7), 31u);
    EXPECT_EQ(x(8), 31u);
    EXPECT_EQ(x(9), 1u);
    EXPECT_EQ(x(10), 0u);
    EXPECT_EQ(x(11), 30u);
}

TEST_F(DpTest, Reverse) {
    x(1) = 0x0123456789ABCDEFull;
    x(2) = 1;
    ASSERT_TRUE(run({enc::dp1(true, enc::RBIT, 1, 0),     // rbit x0, x1
                     enc::dp1(false, enc::RBIT, 1, 3),    // rbit w3, w1
                     enc::dp1(true, enc::RBIT, 2, 4),     // rbit x4, x2
                     enc::dp1(true, enc::REV16, 1, 5),    // rev16 x5, x1
                     enc::dp1(false, enc::REV16, 1, 6),   // rev16 w6, w1
                     enc::dp1(true, enc::REV32, 1, 7),    // rev32 x7, x1
                     enc::dp1(false, enc::REV32, 1, 8),   // rev w8, w1
                     enc::dp1(true, enc::REV, 1, 9)}));    // rev x9, x1
    EXPECT_EQ(x(0), 0xF7B3D591E6A2C480ull);
    EXPECT_EQ(x(3), 0xF7B3D591ull);
    EXPECT_EQ(x(4), kMin64);
    EXPECT_EQ(x(5), 0x23016745AB89EFCDull);
    EXPECT_EQ(x(6), 0xAB89EFCDull);
    EXPECT_EQ(x(7), 0x67452301EFCDAB89ull);
    EXPECT_EQ(x(8), 0xEFCDAB89ull);
    EXPECT_EQ(x(9), 0xEFCDAB8967452301ull);
}

// ---- multiply ---------------------------------------------------------------------

TEST_F(DpTest, MultiplyAdd) {
    x(1) = 0xFFFFFFFFFFFFFFFFull;
    x(2) = 0x8000000000000001ull;
    x(3) = 10;
    ASSERT_TRUE(run({enc::dp3(true, 0, false, 2, 3, 1, 0),    // madd x0, x1, x2, x3
                     enc::dp3(true, 0, true, 2, 3, 1, 4),     // msub x4, x1, x2, x3
                     enc::dp3(true, 0, false, 1, ZR, 1, 5),   // mul x5, x1, x1
                     enc::dp3(false, 0, false, 2, ZR, 1, 6),  // mul w6, w1, w2
                     enc::dp3(false, 0, true, 1, 3, 3, 7),    // msub w7, w3, w1, w3
                     enc::dp3(true, 0, true, 3, ZR, 3, 8)}));  // mneg x8, x3, x3
    EXPECT_EQ(x(0), 0x7FFFFFFFFFFFFFFFull + 10);  // -1 * x2 + 10
    EXPECT_EQ(x(4), 0x8000000000000001ull + 10);
    EXPECT_EQ(x(5), 1u);
    EXPECT_EQ(x(6), 0xFFFFFFFFull);  // -1 * 1, zero-extended
    EXPECT_EQ(x(7), 20u);            // 10 - 10 * -1
    EXPECT_EQ(x(8), static_cast<uint64_t>(-100));
}

TEST_F(DpTest, MultiplyLong) {
    x(1) = 0x12345678FFFFFFFFull;  // w1 = -1 / 0xffffffff
    x(2) = 0xABCDEF0080000000ull;  // w2 = INT32_MIN / 0x80000000
    x(3) = 100;
    ASSERT_TRUE(run({enc::dp3(true, 1, false, 2, 3, 1, 0),     // smaddl x0, w1, w2, x3
                     enc::dp3(true, 1, true, 2, 3, 1, 4),      // smsubl x4, w1, w2, x3
                     enc::dp3(true, 5, false, 1, 3, 1, 5),     // umaddl x5, w1, w1, x3
                     enc::dp3(true, 5, true, 2, 3, 1, 6),      // umsubl x6, w1, w2, x3
                     enc::dp3(true, 1, false, 2, ZR, 2, 7),    // smull x7, w2, w2
                     enc::dp3(true, 5, false, 1, ZR, 1, 8)}));  // umull x8, w1, w1
    EXPECT_EQ(x(0), 0x80000000ull + 100);
    EXPECT_EQ(x(4), 100u - 0x80000000ull);
    EXPECT_EQ(x(5), 0xFFFFFFFE00000001ull + 100);
    EXPECT_EQ(x(6), 100u - 0x7FFFFFFF80000000ull);
    EXPECT_EQ(x(7), 0x4000000000000000ull);
    EXPECT_EQ(x(8), 0xFFFFFFFE00000001ull);
}

TEST_F(DpTest, MultiplyHigh) {
    x(1) = kAllOnes;
    x(2) = kMin64;
    x(3) = 0x7FFFFFFFFFFFFFFFull;
    x(4) = 0xDEADBEEF;
    ASSERT_TRUE(run({enc::dp3(true, 6, false, 1, ZR, 1, 0),   // umulh x0, x1, x1
                     enc::dp3(true, 2, false, 1, ZR, 1, 5),   // smulh x5, x1, x1: (-1)^2
                     enc::dp3(true, 2, false, 2, ZR, 2, 6),   // smulh x6, x2, x2
                     enc::dp3(true, 2, false, 3, ZR, 2, 7),   // smulh x7, x2, x3
                     enc::dp3(true, 2, false, 4, ZR, 1, 8),   // smulh x8, x1, x4: small negative
                     enc::dp3(true, 6, false, 2, ZR, 2, 9),   // umulh x9, x2, x2
                     enc::dp3(true, 6, false, 4, ZR, 3, 10)}));  // umulh x10, x3, x4
    EXPECT_EQ(x(0), 0xFFFFFFFFFFFFFFFEull);
    EXPECT_EQ(x(5), 0u);
    EXPECT_EQ(x(6), 0x4000000000000000ull);
    EXPECT_EQ(x(7), 0xC000000000000000ull);  // -2^63 * (2^63 - 1) = -2^126 + 2^63
    EXPECT_EQ(x(8), kAllOnes);
    EXPECT_EQ(x(9), 0x4000000000000000ull);
    EXPECT_EQ(x(10), 0x6F56DF77ull);  // (2^63 - 1) * 0xdeadbeef >> 64
}

}  // namespace

// ---- CRC32 / CRC32C (FEAT_CRC32, advertised in ID_AA64ISAR0_EL1.CRC32) ---------

namespace {
uint32_t crc32_insn(bool sf, bool c, unsigned sz, unsigned rm, unsigned rn, unsigned rd) {
    return (uint32_t(sf) << 31) | 0x1AC04000u | (rm << 16) | (uint32_t(c) << 12) | (sz << 10) | (rn << 5) | rd;
}
}  // namespace

TEST_F(DpTest, Crc32CheckValues) {
    // The check values of CRC-32 and CRC-32C: "123456789" with the accumulator
    // starting at all ones and inverted at the end.
    const char* msg = "123456789";
    for (bool c : {false, true}) {
        x(1) = 0xFFFFFFFF;
        for (const char* p = msg; *p; ++p) {
            x(2) = 0xFFFFFF00u | uint8_t(*p);  // bits above the byte are ignored
            ASSERT_TRUE(run({crc32_insn(false, c, 0, 2, 1, 1)}));
        }
        EXPECT_EQ(~x(1) & 0xFFFFFFFF, c ? 0xE3069283u : 0xCBF43926u);
    }
}

TEST_F(DpTest, Crc32WidthsAgreeAndResultIs32Bit) {
    // One X step equals eight B steps over the same bytes, little-endian first.
    const uint64_t data = 0x0123456789ABCDEFull;
    for (bool c : {false, true}) {
        x(1) = 0xDEADBEEF12345678ull;  // only Wn is the accumulator
        x(2) = data;
        ASSERT_TRUE(run({crc32_insn(true, c, 3, 2, 1, 3)}));
        const uint64_t wide = x(3);
        EXPECT_EQ(wide >> 32, 0u);
        x(4) = 0x12345678;
        for (unsigned i = 0; i < 8; ++i) {
            x(2) = data >> (8 * i);
            ASSERT_TRUE(run({crc32_insn(false, c, 0, 2, 4, 4)}));
        }
        EXPECT_EQ(x(4), wide);
        // W = two H steps.
        x(5) = 0x12345678;
        x(2) = data;
        ASSERT_TRUE(run({crc32_insn(false, c, 2, 2, 5, 6)}));
        x(2) = data & 0xFFFF;
        ASSERT_TRUE(run({crc32_insn(false, c, 1, 2, 5, 5)}));
        x(2) = (data >> 16) & 0xFFFF;
        ASSERT_TRUE(run({crc32_insn(false, c, 1, 2, 5, 5)}));
        EXPECT_EQ(x(5), x(6));
    }
}

TEST_F(DpTest, Crc32SfMustMatchTheXForm) {
    expect_undef(crc32_insn(true, false, 0, 2, 1, 3));   // 64-bit B
    expect_undef(crc32_insn(true, true, 2, 2, 1, 3));    // 64-bit CW
    expect_undef(crc32_insn(false, false, 3, 2, 1, 3));  // 32-bit X
    CoreHarness fresh;
    ASSERT_TRUE(fresh.run_insns({0xD5380600}));  // mrs x0, id_aa64isar0_el1
    EXPECT_EQ((fresh.x(0) >> 16) & 0xF, 1u);     // CRC32 advertised
}
