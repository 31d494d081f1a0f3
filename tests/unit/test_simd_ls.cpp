// Unit tests of the SIMD&FP load/store handlers (models/cpu/insn/simd_ls*.cpp):
// every register size and addressing mode, literals, pairs, the structure
// forms with (de)interleaving, lanes, replication, post-index writeback and
// register wrap-around, the UNDEF/trap/alignment order of checks, and that
// an abort in the middle of a multi-element load leaves every register as
// it was.
//
// The MMU is off: data accesses are to Device-nGnRnE memory, where an access
// that is not aligned to its own size takes an Alignment fault (Arm ARM
// B2.5.2); the end of the harness RAM is followed by nothing (an external
// abort).
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "core_harness.h"
#include "models/cpu/vreg.h"

namespace {

using hvsim::cpu::SR;
using hvsim::cpu::Vec128;
using hvsim::test::CoreHarness;

constexpr uint64_t kRam = CoreHarness::kRamBase;
constexpr uint64_t kRamEnd = CoreHarness::kRamBase + CoreHarness::kRamSize;
constexpr uint64_t kVectors = kRam + 0x8000;  // VBAR_EL1
constexpr uint64_t kData = kRam + 0x10000;    // test data (64-byte aligned)
constexpr unsigned SP = 31;
constexpr unsigned kNoRm = 31;

// ---- encoders, bit for bit the patterns of models/cpu/a64_simd_ls.inc ---------

// STR/LDR (SIMD&FP), imm9 forms: mode = bits [11:10] 00 unscaled, 01 post, 11 pre.
uint32_t fp_imm9(unsigned size, unsigned opc, int imm9, unsigned mode, unsigned rn, unsigned rt) {
    return (size << 30) | (0x3Cu << 24) | (opc << 22) | ((uint32_t(imm9) & 0x1FF) << 12) | (mode << 10) | (rn << 5) |
           rt;
}
enum : unsigned { kUnscaled = 0, kPost = 1, kPre = 3 };
uint32_t fp_uimm(unsigned size, unsigned opc, unsigned imm12, unsigned rn, unsigned rt) {
    return (size << 30) | (0x3Du << 24) | (opc << 22) | (imm12 << 10) | (rn << 5) | rt;
}
uint32_t fp_reg(unsigned size, unsigned opc, unsigned rm, unsigned option, unsigned s, unsigned rn, unsigned rt) {
    return (size << 30) | (0x3Cu << 24) | (opc << 22) | (1u << 21) | (rm << 16) | (option << 13) | (s << 12) |
           (2u << 10) | (rn << 5) | rt;
}
enum : unsigned { kUxtw = 2, kLsl = 3, kSxtw = 6, kSxtx = 7 };
// size/opc of a B, H, S, D or Q register: size = log2 & 3, opc<1> = Q.
struct Sz {
    unsigned size, opc_hi;
};
constexpr Sz kB{0, 0}, kH{1, 0}, kS{2, 0}, kD{3, 0}, kQ{0, 1};
uint32_t ldr_imm(Sz s, int imm9, unsigned mode, unsigned rn, unsigned rt) {
    return fp_imm9(s.size, s.opc_hi << 1 | 1, imm9, mode, rn, rt);
}
uint32_t str_imm(Sz s, int imm9, unsigned mode, unsigned rn, unsigned rt) {
    return fp_imm9(s.size, s.opc_hi << 1, imm9, mode, rn, rt);
}
// LDR (literal, SIMD&FP): opc 00 S, 01 D, 10 Q; offset in words.
uint32_t fp_lit(unsigned opc, int words, unsigned rt) {
    return (opc << 30) | (0x1Cu << 24) | ((uint32_t(words) & 0x7FFFF) << 5) | rt;
}
// LDP/STP (SIMD&FP): opc 00 S, 01 D, 10 Q; idx 00 no-allocate, 01 post,
// 10 offset, 11 pre; imm7 in registers.
uint32_t fp_pair(unsigned opc, bool load, unsigned idx, int imm7, unsigned rt2, unsigned rn, unsigned rt) {
    return (opc << 30) | (0x2Cu << 24) | (idx << 23) | (uint32_t(load) << 22) | ((uint32_t(imm7) & 0x7F) << 15) |
           (rt2 << 10) | (rn << 5) | rt;
}
enum : unsigned { kPairNA = 0, kPairPost = 1, kPairOff = 2, kPairPre = 3 };
// Multiple structures; opcode 0000 LD4, 0010 LD1x4, 0100 LD3, 0110 LD1x3,
// 0111 LD1x1, 1000 LD2, 1010 LD1x2. `post` with rm (31: immediate form).
uint32_t mult(bool q, bool load, unsigned opcode, unsigned size, unsigned rn, unsigned rt, bool post = false,
              unsigned rm = 0) {
    return (uint32_t(q) << 30) | (0x0Cu << 24) | (uint32_t(post) << 23) | (uint32_t(load) << 22) |
           (post ? rm << 16 : 0) | (opcode << 12) | (size << 10) | (rn << 5) | rt;
}
enum : unsigned { kLd4 = 0, kLd1x4 = 2, kLd3 = 4, kLd1x3 = 6, kLd1 = 7, kLd2 = 8, kLd1x2 = 10 };
// Single structure: opcode<2:1> 00 B, 01 H, 10 S/D, 11 replicate; selem =
// opcode<0>:R + 1.
uint32_t single(bool q, bool load, unsigned r, unsigned opcode, unsigned s, unsigned size, unsigned rn, unsigned rt,
                bool post = false, unsigned rm = 0) {
    return (uint32_t(q) << 30) | (0x0Du << 24) | (uint32_t(post) << 23) | (uint32_t(load) << 22) | (r << 21) |
           (post ? rm << 16 : 0) | (opcode << 13) | (s << 12) | (size << 10) | (rn << 5) | rt;
}

constexpr uint32_t kBranchToSelf = 0x14000000;  // B .

// The encoders agree with GNU as (aarch64-linux-gnu-as, objdump -d).
TEST(SimdLoadStoreEncoders, MatchTheAssembler) {
    EXPECT_EQ(ldr_imm(kQ, 16, kPre, 1, 0), 0x3CC10C20u);                // ldr q0, [x1, #16]!
    EXPECT_EQ(str_imm(kB, -3, kPost, 3, 2), 0x3C1FD462u);               // str b2, [x3], #-3
    EXPECT_EQ(ldr_imm(kH, 255, kUnscaled, SP, 4), 0x7C4FF3E4u);         // ldur h4, [sp, #255]
    EXPECT_EQ(fp_uimm(2, 1, 0xFFF, 6, 5), 0xBD7FFCC5u);                 // ldr s5, [x6, #16380]
    EXPECT_EQ(fp_reg(3, 1, 9, kSxtw, 1, 8, 7), 0xFC69D907u);            // ldr d7, [x8, w9, sxtw #3]
    EXPECT_EQ(fp_reg(0, 2, 12, kLsl, 1, 11, 10), 0x3CAC796Au);          // str q10, [x11, x12, lsl #4]
    EXPECT_EQ(fp_lit(0, 0x40, 13), 0x1C00080Du);                        // ldr s13, .+0x100
    EXPECT_EQ(fp_lit(2, -1, 14), 0x9CFFFFEEu);                          // ldr q14, .-4
    EXPECT_EQ(fp_pair(2, true, kPairPre, -64, 16, 17, 15), 0xADE0422Fu);  // ldp q15, q16, [x17, #-1024]!
    EXPECT_EQ(fp_pair(0, false, kPairPost, 63, 19, SP, 18), 0x2C9FCFF2u); // stp s18, s19, [sp], #252
    EXPECT_EQ(fp_pair(1, true, kPairNA, 1, 21, 22, 20), 0x6C40D6D4u);     // ldnp d20, d21, [x22, #8]
    EXPECT_EQ(mult(true, true, kLd4, 2, 1, 0), 0x4C400820u);            // ld4 {v0.4s-v3.4s}, [x1]
    EXPECT_EQ(mult(true, false, kLd1x2, 0, SP, 31, true, kNoRm), 0x4C9FA3FFu);  // st1 {v31.16b, v0.16b}, [sp], #32
    EXPECT_EQ(mult(false, true, kLd2, 1, 6, 4, true, 7), 0x0CC784C4u);  // ld2 {v4.4h, v5.4h}, [x6], x7
    EXPECT_EQ(single(true, true, 0, 4, 0, 1, 9, 8), 0x4D408528u);       // ld1 {v8.d}[1], [x9]
    EXPECT_EQ(single(true, false, 0, 3, 0, 2, 13, 10, true, kNoRm), 0x4D9F69AAu);  // st3 {v10.h-v12.h}[5], [x13], #6
    EXPECT_EQ(single(false, true, 1, 7, 0, 2, 18, 14, true, 19), 0x0DF3EA4Eu);     // ld4r {v14.2s-v17.2s}, [x18], x19
    EXPECT_EQ(single(true, true, 0, 6, 0, 0, 21, 20), 0x4D40C2B4u);     // ld1r {v20.16b}, [x21]
}

// ---- fixture -------------------------------------------------------------------

class SimdLoadStore : public ::testing::Test {
protected:
    CoreHarness h;
    hvsim::cpu::Core& core = h.core;

    void SetUp() override {
        for (uint64_t off = 0; off < 0x800; off += 0x80) put32(kVectors + off, kBranchToSelf);
        core.sr(SR::VBAR_EL1) = kVectors;
        core.sr(SR::CPACR_EL1) = 3u << 20;  // FPEN: no FP/SIMD trap at EL0/EL1
        // Every V register holds a distinct recognisable value.
        for (unsigned n = 0; n < 32; ++n) core.st.v[n] = junk(n);
        // The data area: byte i holds i (mod 256) from kData on.
        for (unsigned i = 0; i < 0x400; ++i) *h.ram.host(kData + i) = static_cast<uint8_t>(i);
    }

    static Vec128 junk(unsigned n) { return {(n + 1) * 0x9E3779B97F4A7C15ull, (n + 1) * 0xC2B2AE3D27D4EB4Full}; }
    bool run(const std::vector<uint32_t>& insns) { return h.run_insns(insns); }
    uint64_t& x(unsigned n) { return h.x(n); }
    Vec128& v(unsigned n) { return core.st.v[n]; }
    void put32(uint64_t pa, uint32_t w) { std::memcpy(h.ram.host(pa), &w, 4); }
    uint64_t get64(uint64_t pa) {
        uint64_t w;
        std::memcpy(&w, h.ram.host(pa), 8);
        return w;
    }
    // The bytes kData + from .. + 15 (the initial pattern) as a Vec128.
    static Vec128 seq(unsigned from) {
        Vec128 r;
        uint8_t b[16];
        for (unsigned i = 0; i < 16; ++i) b[i] = static_cast<uint8_t>(from + i);
        std::memcpy(r.data(), b, 16);
        return r;
    }
    void expect_exception(uint32_t ec, unsigned index = 0) {
        const uint64_t esr = core.sr(SR::ESR_EL1);
        EXPECT_EQ(esr >> 26, ec) << std::hex << "ESR_EL1 = 0x" << esr;
        EXPECT_EQ(core.sr(SR::ELR_EL1), kRam + 4 * index);
        EXPECT_EQ(core.st.pc, kVectors + 0x200);
    }
    void expect_data_abort(uint32_t dfsc, bool write, uint64_t far, unsigned index = 0) {
        expect_exception(0x25, index);
        const uint64_t esr = core.sr(SR::ESR_EL1);
        EXPECT_EQ(esr & 0x3F, dfsc) << std::hex << "ESR_EL1 = 0x" << esr;
        EXPECT_EQ((esr >> 6) & 1, uint64_t(write)) << "WnR";
        EXPECT_EQ((esr >> 24) & 1, 0u) << "ISV";
        EXPECT_EQ(core.sr(SR::FAR_EL1), far);
    }
    // Every V register still holds its value from SetUp().
    void expect_v_unchanged() {
        for (unsigned n = 0; n < 32; ++n) {
            EXPECT_EQ(v(n)[0], junk(n)[0]) << "v" << n;
            EXPECT_EQ(v(n)[1], junk(n)[1]) << "v" << n;
        }
    }
};

void expect_vec(const Vec128& got, uint64_t lo, uint64_t hi, const char* what) {
    EXPECT_EQ(got[0], lo) << what << " [63:0]";
    EXPECT_EQ(got[1], hi) << what << " [127:64]";
}

// ---- single registers ----------------------------------------------------------------

TEST_F(SimdLoadStore, LoadsOfEverySizeZeroTheRestOfTheRegister) {
    x(1) = kData + 0x20;
    ASSERT_TRUE(run({ldr_imm(kB, 0, kUnscaled, 1, 0), ldr_imm(kH, 2, kUnscaled, 1, 1), ldr_imm(kS, 4, kUnscaled, 1, 2),
                     ldr_imm(kD, 8, kUnscaled, 1, 3), ldr_imm(kQ, 16, kUnscaled, 1, 4)}));
    expect_vec(v(0), 0x20, 0, "ldur b0");
    expect_vec(v(1), 0x2322, 0, "ldur h1");
    expect_vec(v(2), 0x27262524, 0, "ldur s2");
    expect_vec(v(3), 0x2F2E2D2C2B2A2928ull, 0, "ldur d3");
    expect_vec(v(4), seq(0x30)[0], seq(0x30)[1], "ldur q4");
}

TEST_F(SimdLoadStore, StoresWriteOnlyTheirSize) {
    x(1) = kData + 0x100;
    v(5) = {0x1122334455667788ull, 0x99AABBCCDDEEFF00ull};
    ASSERT_TRUE(run({str_imm(kB, 0, kUnscaled, 1, 5), str_imm(kH, 2, kUnscaled, 1, 5), str_imm(kS, 4, kUnscaled, 1, 5),
                     str_imm(kD, 8, kUnscaled, 1, 5), str_imm(kQ, 16, kUnscaled, 1, 5)}));
    EXPECT_EQ(get64(kData + 0x100), 0x5566778877880188ull);  // byte 1 keeps its value
    EXPECT_EQ(get64(kData + 0x108), 0x1122334455667788ull);
    EXPECT_EQ(get64(kData + 0x110), 0x1122334455667788ull);
    EXPECT_EQ(get64(kData + 0x118), 0x99AABBCCDDEEFF00ull);
}

TEST_F(SimdLoadStore, AddressingModesAndWriteback) {
    x(1) = kData;
    x(2) = kData + 0x40;
    h.sp() = kData + 0x80;
    x(4) = 0x12345678FFFFFFFEull;  // SXTW: -2
    ASSERT_TRUE(run({ldr_imm(kQ, 0x10, kPre, 1, 0),           // q0 <- [x1 + 16], x1 += 16
                     ldr_imm(kD, -8, kPost, 2, 1),            // d1 <- [x2], x2 -= 8
                     fp_uimm(0, 3, 3, 1, 2),                  // ldr q2, [x1, #48]
                     fp_reg(3, 1, 4, kSxtw, 1, 2, 3),         // ldr d3, [x2, w4, sxtw #3]
                     fp_reg(1, 1, 4, kSxtw, 0, 2, 6),         // ldr h6, [x2, w4, sxtw]
                     ldr_imm(kS, 4, kUnscaled, SP, 7)}));     // ldur s7, [sp, #4]
    expect_vec(v(0), seq(0x10)[0], seq(0x10)[1], "pre q0");
    EXPECT_EQ(x(1), kData + 0x10);
    expect_vec(v(1), seq(0x40)[0], 0, "post d1");
    EXPECT_EQ(x(2), kData + 0x38);
    expect_vec(v(2), seq(0x40)[0], seq(0x40)[1], "uimm q2");
    expect_vec(v(3), seq(0x28)[0], 0, "regoff d3");
    expect_vec(v(6), 0x3736, 0, "regoff h6");
    expect_vec(v(7), 0x87868584, 0, "sp s7");
}

TEST_F(SimdLoadStore, Literal) {
    // A pool at kRam + 0x100, after the three loads at kRam, kRam + 4, + 8.
    const uint64_t pool = kRam + 0x100;
    for (unsigned i = 0; i < 4; ++i) put32(pool + 4 * i, 0x01010101u * (i + 1));
    ASSERT_TRUE(run({fp_lit(0, 0x40, 0), fp_lit(1, 0x3F, 1), fp_lit(2, 0x3E, 2)}));
    expect_vec(v(0), 0x01010101, 0, "ldr s0, lit");
    expect_vec(v(1), 0x0202020201010101ull, 0, "ldr d1, lit");
    expect_vec(v(2), 0x0202020201010101ull, 0x0404040403030303ull, "ldr q2, lit");
}

TEST_F(SimdLoadStore, Pairs) {
    x(1) = kData + 0x100;
    v(2) = {1, 2};
    v(3) = {3, 4};
    ASSERT_TRUE(run({fp_pair(2, false, kPairPre, -2, 3, 1, 2),    // stp q2, q3, [x1, #-32]!
                     fp_pair(1, true, kPairOff, 1, 5, 1, 4),      // ldp d4, d5, [x1, #8]
                     fp_pair(0, true, kPairPost, 4, 7, 1, 6),     // ldp s6, s7, [x1], #16
                     fp_pair(2, true, kPairNA, -1, 9, 1, 8)}));   // ldnp q8, q9, [x1, #-16]
    EXPECT_EQ(get64(kData + 0xE0), 1u);
    EXPECT_EQ(get64(kData + 0xE8), 2u);
    EXPECT_EQ(get64(kData + 0xF0), 3u);
    EXPECT_EQ(get64(kData + 0xF8), 4u);
    expect_vec(v(4), 2, 0, "ldp d4");
    expect_vec(v(5), 3, 0, "ldp d5");
    expect_vec(v(6), 1, 0, "ldp s6");
    expect_vec(v(7), 0, 0, "ldp s7");
    EXPECT_EQ(x(1), kData + 0xF0);
    expect_vec(v(8), 1, 2, "ldnp q8");
    expect_vec(v(9), 3, 4, "ldnp q9");
}

// ---- structures ------------------------------------------------------------------------

TEST_F(SimdLoadStore, Ld4DeinterleavesAndWrapsAroundV31) {
    x(1) = kData;
    ASSERT_TRUE(run({mult(true, true, kLd4, 0, 1, 30)}));  // ld4 {v30.16b, v31.16b, v0.16b, v1.16b}, [x1]
    const unsigned regs[4] = {30, 31, 0, 1};
    for (unsigned s = 0; s < 4; ++s) {
        for (unsigned e = 0; e < 16; ++e)
            EXPECT_EQ(hvsim::cpu::velem<uint8_t>(core.st, regs[s], e), 4 * e + s) << "v" << regs[s] << "[" << e << "]";
    }
    EXPECT_EQ(x(1), kData);
    expect_vec(v(2), junk(2)[0], junk(2)[1], "v2");
}

TEST_F(SimdLoadStore, St2InterleavesAndLd3OfHalfwordsClearsTheUpperHalf) {
    x(1) = kData + 0x200;
    v(4) = {0x0003000200010000ull, 0x0007000600050004ull};
    v(5) = {0x0013001200110010ull, 0x0017001600150014ull};
    ASSERT_TRUE(run({mult(true, false, kLd2, 1, 1, 4),     // st2 {v4.8h, v5.8h}, [x1]
                     mult(false, true, kLd3, 1, 1, 10)}));  // ld3 {v10.4h-v12.4h}, [x1]
    EXPECT_EQ(get64(kData + 0x200), 0x0011000100100000ull);
    EXPECT_EQ(get64(kData + 0x208), 0x0013000300120002ull);
    // ld3 of the halfwords 00 10 01 11 02 12 03 13 04 14 05 15.
    expect_vec(v(10), 0x0014000300110000ull, 0, "ld3 v10");
    expect_vec(v(11), 0x0005001300020010ull, 0, "ld3 v11");
    expect_vec(v(12), 0x0015000400120001ull, 0, "ld3 v12");
}

TEST_F(SimdLoadStore, Ld1MultipleRegistersAndPostIndex) {
    x(1) = kData;
    x(2) = 0x100;
    ASSERT_TRUE(run({mult(true, true, kLd1x3, 3, 1, 20, true, kNoRm),  // ld1 {v20.2d-v22.2d}, [x1], #48
                     mult(false, true, kLd1x2, 2, 1, 23, true, 2),    // ld1 {v23.2s, v24.2s}, [x1], x2
                     mult(false, true, kLd1, 3, 1, 25)}));            // ld1 {v25.1d}, [x1]
    expect_vec(v(20), seq(0)[0], seq(0)[1], "v20");
    expect_vec(v(21), seq(16)[0], seq(16)[1], "v21");
    expect_vec(v(22), seq(32)[0], seq(32)[1], "v22");
    expect_vec(v(23), seq(48)[0], 0, "v23");
    expect_vec(v(24), seq(56)[0], 0, "v24");
    expect_vec(v(25), seq(0x130)[0], 0, "v25");
    EXPECT_EQ(x(1), kData + 48 + 0x100);
}

TEST_F(SimdLoadStore, SingleLanesKeepTheOtherLanes) {
    x(1) = kData + 0x40;
    x(3) = kData + 0x300;
    ASSERT_TRUE(run({single(false, true, 1, 2, 1, 2, 1, 4),           // ld2 {v4.h, v5.h}[3], [x1] (Q:S:size<1> = 011)
                     single(true, true, 0, 4, 0, 1, 1, 6),            // ld1 {v6.d}[1], [x1]
                     single(true, false, 1, 5, 1, 0, 3, 7, true, kNoRm)}));  // st4 {v7.s-v10.s}[3], [x3], #16
    EXPECT_EQ(v(4)[0], (junk(4)[0] & 0x0000FFFFFFFFFFFFull) | 0x4140000000000000ull);
    EXPECT_EQ(v(4)[1], junk(4)[1]);
    EXPECT_EQ(v(5)[0], (junk(5)[0] & 0x0000FFFFFFFFFFFFull) | 0x4342000000000000ull);
    expect_vec(v(6), junk(6)[0], seq(0x40)[0], "ld1 {v6.d}[1]");
    EXPECT_EQ(get64(kData + 0x300), (uint64_t(junk(8)[1] >> 32) << 32) | (junk(7)[1] >> 32));
    EXPECT_EQ(get64(kData + 0x308), (uint64_t(junk(10)[1] >> 32) << 32) | (junk(9)[1] >> 32));
    EXPECT_EQ(x(3), kData + 0x310);
}

TEST_F(SimdLoadStore, Replicate) {
    x(1) = kData + 0x50;
    x(2) = 3;
    ASSERT_TRUE(run({single(true, true, 0, 6, 0, 0, 1, 3),               // ld1r {v3.16b}, [x1]
                     single(false, true, 1, 6, 0, 1, 1, 5),              // ld2r {v5.4h, v6.4h}, [x1]
                     single(true, true, 1, 7, 0, 3, 1, 31, true, 2)}));  // ld4r {v31.2d, v0.2d-v2.2d}, [x1], x2
    expect_vec(v(3), 0x5050505050505050ull, 0x5050505050505050ull, "ld1r v3");
    expect_vec(v(5), 0x5150515051505150ull, 0, "ld2r v5");
    expect_vec(v(6), 0x5352535253525352ull, 0, "ld2r v6");
    expect_vec(v(31), seq(0x50)[0], seq(0x50)[0], "ld4r v31");
    expect_vec(v(0), seq(0x58)[0], seq(0x58)[0], "ld4r v0");
    expect_vec(v(1), seq(0x60)[0], seq(0x60)[0], "ld4r v1");
    expect_vec(v(2), seq(0x68)[0], seq(0x68)[0], "ld4r v2");
    EXPECT_EQ(x(1), kData + 0x53);
}

// ---- order of checks and aborts --------------------------------------------------------

TEST_F(SimdLoadStore, ReservedEncodingsAreUndefinedBeforeTheFpTrap) {
    core.sr(SR::CPACR_EL1) = 0;  // FP/SIMD disabled: allocated encodings trap (EC 0x07)
    x(1) = kData;
    const uint32_t reserved[] = {
        mult(false, true, kLd2, 3, 1, 0),          // ld2 {.1d}
        mult(true, true, 1, 0, 1, 0),              // opcode 0001
        single(true, false, 0, 6, 0, 0, 1, 0),     // store with the replicate opcode
        single(true, true, 0, 6, 1, 0, 1, 0),      // ld1r with S = 1
        single(true, true, 0, 2, 0, 1, 1, 0),      // H lane with size<0> = 1
        single(true, true, 0, 4, 0, 2, 1, 0),      // S lane with size<1> = 1
        single(true, true, 0, 4, 1, 1, 1, 0),      // D lane with S = 1
        fp_imm9(1, 3, 0, kUnscaled, 1, 0),         // ldur with opc<1>:size > 4
        fp_reg(0, 1, 2, 0, 0, 1, 0),               // register offset, option<1> = 0
        fp_pair(3, true, kPairOff, 0, 1, 1, 0),    // ldp opc = 11
        fp_lit(3, 1, 0),                           // ldr (literal) opc = 11
        0x3C000800u | (1u << 5),                   // STTR-like SIMD&FP form (unallocated)
    };
    for (uint32_t w : reserved) {
        SCOPED_TRACE(testing::Message() << std::hex << w);
        core.st.pstate.el = 1;
        EXPECT_FALSE(run({w}));
        expect_exception(0x00);
    }
    EXPECT_FALSE(run({mult(true, true, kLd1, 0, 1, 0)}));
    expect_exception(0x07);
    EXPECT_EQ(core.sr(SR::ESR_EL1) & 0x1FFFFFF, 0x1E00000u);
    expect_v_unchanged();
}

TEST_F(SimdLoadStore, FpTrapComesBeforeSpAlignment) {
    core.sr(SR::SCTLR_EL1) |= 1u << 3;  // SA
    h.sp() = kData + 8;
    core.sr(SR::CPACR_EL1) = 0;
    EXPECT_FALSE(run({ldr_imm(kQ, 0, kUnscaled, SP, 0)}));
    expect_exception(0x07);
    core.st.pstate.el = 1;
    core.sr(SR::CPACR_EL1) = 3u << 20;
    EXPECT_FALSE(run({mult(true, true, kLd1, 0, SP, 0, true, kNoRm)}));
    expect_exception(0x26);
    EXPECT_EQ(h.sp(), kData + 8);
    expect_v_unchanged();
}

TEST_F(SimdLoadStore, DeviceAlignmentIsPerAccess) {
    // A Q access is one 16-byte access: 8-byte alignment is not enough on
    // Device memory; LD1 of .4s elements needs only 4-byte alignment.
    x(1) = kData + 8;
    EXPECT_FALSE(run({ldr_imm(kQ, 0, kUnscaled, 1, 0)}));
    expect_data_abort(0x21, false, kData + 8);
    core.st.pstate.el = 1;
    x(1) = kData + 4;
    ASSERT_TRUE(run({mult(true, true, kLd1, 2, 1, 0)}));
    expect_vec(v(0), seq(4)[0], seq(4)[1], "ld1 {v0.4s} at +4");
    x(1) = kData + 2;
    EXPECT_FALSE(run({single(true, false, 0, 4, 0, 0, 1, 3)}));  // st1 {v3.s}[0] at +2
    expect_data_abort(0x21, true, kData + 2);
}

TEST_F(SimdLoadStore, AbortOnALaterElementLeavesEveryRegisterUnchanged) {
    struct Case {
        const char* name;
        uint32_t insn;
        uint64_t base;   // x1
        uint64_t far;    // the first element that is not RAM
    };
    const Case cases[] = {
        {"ld2 {v0.8b, v1.8b}: second element", mult(false, true, kLd2, 0, 1, 0, true, kNoRm), kRamEnd - 1, kRamEnd},
        {"ld4 {v29.4s-v0.4s}", mult(true, true, kLd4, 2, 1, 29, true, 2), kRamEnd - 4, kRamEnd},
        {"ld1 {v0.2d-v3.2d}", mult(true, true, kLd1x4, 3, 1, 0, true, kNoRm), kRamEnd - 56, kRamEnd},
        {"ld4 {v0.b-v3.b}[15]", single(true, true, 1, 1, 1, 3, 1, 0, true, kNoRm), kRamEnd - 2, kRamEnd},
        {"ld3r {v0.8h-v2.8h}", single(true, true, 0, 7, 0, 1, 1, 0, true, 2), kRamEnd - 4, kRamEnd},
        {"ldp q0, q1", fp_pair(2, true, kPairPre, 0, 1, 1, 0), kRamEnd - 16, kRamEnd},
    };
    for (const Case& k : cases) {
        SCOPED_TRACE(k.name);
        core.st.pstate.el = 1;
        x(1) = k.base;
        x(2) = 64;
        EXPECT_FALSE(run({k.insn}));
        expect_data_abort(0x10, false, k.far);
        expect_v_unchanged();
        EXPECT_EQ(x(1), k.base) << "no writeback";
    }
}

}  // namespace

namespace {

// SimdLoad/SimdStore are charged per register transferred.
TEST_F(SimdLoadStore, CostIsPerRegister) {
    using hvsim::cpu::CostClass;
    const uint64_t ld = core.config().costs[CostClass::SimdLoad];
    const uint64_t st = core.config().costs[CostClass::SimdStore];
    x(1) = kData;
    auto cost = [&](uint32_t w) {
        const uint64_t before = core.cycles();
        EXPECT_TRUE(run({w}));
        return core.cycles() - before;
    };
    EXPECT_EQ(cost(ldr_imm(kQ, 0, kUnscaled, 1, 0)), ld);
    EXPECT_EQ(cost(str_imm(kD, 0, kUnscaled, 1, 0)), st);
    EXPECT_EQ(cost(fp_pair(2, true, kPairOff, 0, 1, 1, 0)), 2 * ld);
    EXPECT_EQ(cost(mult(true, true, kLd4, 0, 1, 0)), 4 * ld);
    EXPECT_EQ(cost(mult(false, false, kLd1x3, 0, 1, 0)), 3 * st);
    EXPECT_EQ(cost(single(true, true, 1, 1, 0, 0, 1, 0)), 4 * ld);  // ld4 {v0.b-v3.b}[8]
}

}  // namespace
