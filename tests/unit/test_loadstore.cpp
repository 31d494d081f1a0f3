// Unit tests of the A64 integer load/store handlers (models/cpu/insn/loadstore.cpp):
// every addressing mode, sign extension, writeback, pairs, literals,
// register-offset extends, exclusives, and the aborts a load or store takes
// (alignment, SP alignment, external abort).
//
// The MMU is off, so every data access is to Device-nGnRnE memory: unaligned
// accesses take an Alignment fault (Arm ARM B2.5.2), which the tests rely on.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "core_harness.h"

namespace {

using hvsim::cpu::SR;
using hvsim::test::CoreHarness;

constexpr uint64_t kRam = CoreHarness::kRamBase;
constexpr uint64_t kRamEnd = CoreHarness::kRamBase + CoreHarness::kRamSize;
constexpr uint64_t kVectors = kRam + 0x8000;  // VBAR_EL1
constexpr uint64_t kData = kRam + 0x10000;    // test data (64-byte aligned)
constexpr uint64_t kNoRam = 0x80000000;       // nothing on the bus there
constexpr uint64_t kJunk = 0xDEADBEEFDEADBEEFull;
constexpr unsigned SP = 31, ZR = 31;

// ---- encoders, bit for bit the patterns of models/cpu/a64.inc ----------------

// Load/store register (unscaled, post-index, unprivileged, pre-index): mode
// is bits [11:10] = 00, 01, 10, 11.
uint32_t ldst_imm9(unsigned size, unsigned opc, int imm9, unsigned mode, unsigned rn, unsigned rt) {
    return (size << 30) | (0x38u << 24) | (opc << 22) | ((uint32_t(imm9) & 0x1FF) << 12) | (mode << 10) | (rn << 5) |
           rt;
}
enum : unsigned { kUnscaled = 0, kPost = 1, kUnpriv = 2, kPre = 3 };

uint32_t ldst_uimm(unsigned size, unsigned opc, unsigned imm12, unsigned rn, unsigned rt) {
    return (size << 30) | (0x39u << 24) | (opc << 22) | (imm12 << 10) | (rn << 5) | rt;
}

// Register offset; option 010 UXTW, 011 LSL, 110 SXTW, 111 SXTX.
uint32_t ldst_reg(unsigned size, unsigned opc, unsigned rm, unsigned option, unsigned s, unsigned rn, unsigned rt) {
    return (size << 30) | (0x38u << 24) | (opc << 22) | (1u << 21) | (rm << 16) | (option << 13) | (s << 12) |
           (2u << 10) | (rn << 5) | rt;
}
enum : unsigned { kUxtw = 2, kLsl = 3, kSxtw = 6, kSxtx = 7 };

// Load/store pair: opc 00 W, 01 LDPSW, 10 X; idx 00 no-allocate, 01 post,
// 10 signed offset, 11 pre; imm7 in elements.
uint32_t ldst_pair(unsigned opc, bool load, unsigned idx, int imm7, unsigned rt2, unsigned rn, unsigned rt) {
    return (opc << 30) | (0x5u << 27) | (idx << 23) | (uint32_t(load) << 22) | ((uint32_t(imm7) & 0x7F) << 15) |
           (rt2 << 10) | (rn << 5) | rt;
}
enum : unsigned { kPairNA = 0, kPairPost = 1, kPairOff = 2, kPairPre = 3 };

// Load register (literal): opc 00 W, 01 X, 10 LDRSW, 11 PRFM; offset in words.
uint32_t ld_lit(unsigned opc, int words, unsigned rt) {
    return (opc << 30) | (0x18u << 24) | ((uint32_t(words) & 0x7FFFF) << 5) | rt;
}

// Load/store exclusive: size:o2:L:o1:Rs:o0:Rt2:Rn:Rt.
uint32_t excl(unsigned size, unsigned o2, unsigned l, unsigned o1, unsigned rs, unsigned o0, unsigned rt2, unsigned rn,
              unsigned rt) {
    return (size << 30) | (0x08u << 24) | (o2 << 23) | (l << 22) | (o1 << 21) | (rs << 16) | (o0 << 15) | (rt2 << 10) |
           (rn << 5) | rt;
}
uint32_t ldxr(unsigned size, unsigned rn, unsigned rt) { return excl(size, 0, 1, 0, 31, 0, 31, rn, rt); }
uint32_t ldaxr(unsigned size, unsigned rn, unsigned rt) { return excl(size, 0, 1, 0, 31, 1, 31, rn, rt); }
uint32_t stxr(unsigned size, unsigned rs, unsigned rn, unsigned rt) { return excl(size, 0, 0, 0, rs, 0, 31, rn, rt); }
uint32_t stlxr(unsigned size, unsigned rs, unsigned rn, unsigned rt) { return excl(size, 0, 0, 0, rs, 1, 31, rn, rt); }
uint32_t ldxp(bool x, unsigned rt2, unsigned rn, unsigned rt) { return excl(2 | x, 0, 1, 1, 31, 0, rt2, rn, rt); }
uint32_t ldaxp(bool x, unsigned rt2, unsigned rn, unsigned rt) { return excl(2 | x, 0, 1, 1, 31, 1, rt2, rn, rt); }
uint32_t stxp(bool x, unsigned rs, unsigned rt2, unsigned rn, unsigned rt) {
    return excl(2 | x, 0, 0, 1, rs, 0, rt2, rn, rt);
}
uint32_t stlxp(bool x, unsigned rs, unsigned rt2, unsigned rn, unsigned rt) {
    return excl(2 | x, 0, 0, 1, rs, 1, rt2, rn, rt);
}
uint32_t stlr(unsigned size, unsigned rn, unsigned rt) { return excl(size, 1, 0, 0, 31, 1, 31, rn, rt); }
uint32_t ldar(unsigned size, unsigned rn, unsigned rt) { return excl(size, 1, 1, 0, 31, 1, 31, rn, rt); }

constexpr uint32_t kClrex = 0xD503305F;
constexpr uint32_t kBranchToSelf = 0x14000000;  // B .

// The encoders agree with GNU as (aarch64-linux-gnu-as, objdump -d).
TEST(LoadStoreEncoders, MatchTheAssembler) {
    EXPECT_EQ(ldst_imm9(3, 1, 8, kPre, 1, 0), 0xF8408C20u);          // ldr x0, [x1, #8]!
    EXPECT_EQ(ldst_imm9(0, 3, -3, kPost, 3, 2), 0x38DFD462u);        // ldrsb w2, [x3], #-3
    EXPECT_EQ(ldst_imm9(1, 0, -256, kUnpriv, 5, 4), 0x781008A4u);    // sttrh w4, [x5, #-256]
    EXPECT_EQ(ldst_imm9(3, 1, 255, kUnscaled, SP, 6), 0xF84FF3E6u);  // ldur x6, [sp, #255]
    EXPECT_EQ(ldst_uimm(2, 2, 0xFFF, 8, 7), 0xB9BFFD07u);            // ldrsw x7, [x8, #16380]
    EXPECT_EQ(ldst_reg(2, 1, 11, kSxtw, 1, 10, 9), 0xB86BD949u);     // ldr w9, [x10, w11, sxtw #2]
    EXPECT_EQ(ldst_reg(1, 0, 14, kLsl, 1, 13, 12), 0x782E79ACu);     // strh w12, [x13, x14, lsl #1]
    EXPECT_EQ(ldst_reg(3, 2, 16, kLsl, 0, 15, 0), 0xF8B069E0u);      // prfm pldl1keep, [x15, x16]
    EXPECT_EQ(ldst_pair(2, true, kPairPre, -64, 18, 19, 17), 0xA9E04A71u);  // ldp x17, x18, [x19, #-512]!
    EXPECT_EQ(ldst_pair(0, false, kPairPost, 63, 21, SP, 20), 0x289FD7F4u); // stp w20, w21, [sp], #252
    EXPECT_EQ(ldst_pair(1, true, kPairOff, 2, 23, 24, 22), 0x69415F16u);    // ldpsw x22, x23, [x24, #8]
    EXPECT_EQ(ldst_pair(2, true, kPairNA, 0, 26, 27, 25), 0xA8406B79u);     // ldnp x25, x26, [x27]
    EXPECT_EQ(ld_lit(1, 0x40, 28), 0x5800081Cu);                     // ldr x28, .+0x100
    EXPECT_EQ(ld_lit(2, -1, 29), 0x98FFFFFDu);                       // ldrsw x29, .-4
    EXPECT_EQ(ld_lit(3, 2, 0), 0xD8000040u);                         // prfm pldl1keep, .+8
    EXPECT_EQ(stxr(3, 0, 2, 1), 0xC8007C41u);                        // stxr w0, x1, [x2]
    EXPECT_EQ(stlxr(0, 3, SP, 4), 0x0803FFE4u);                      // stlxrb w3, w4, [sp]
    EXPECT_EQ(ldaxr(1, 6, 5), 0x485FFCC5u);                          // ldaxrh w5, [x6]
    EXPECT_EQ(ldxr(2, 8, 7), 0x885F7D07u);                           // ldxr w7, [x8]
    EXPECT_EQ(stxp(true, 9, 11, 12, 10), 0xC8292D8Au);               // stxp w9, x10, x11, [x12]
    EXPECT_EQ(ldaxp(false, 14, 15, 13), 0x887FB9EDu);                // ldaxp w13, w14, [x15]
    EXPECT_EQ(stlr(3, 17, 16), 0xC89FFE30u);                         // stlr x16, [x17]
    EXPECT_EQ(ldar(0, 19, 18), 0x08DFFE72u);                         // ldarb w18, [x19]
}

// ---- fixture -------------------------------------------------------------------

class LoadStore : public ::testing::Test {
protected:
    CoreHarness h;
    hvsim::cpu::Core& core = h.core;

    void SetUp() override {
        // Every exception vector of VBAR_EL1 holds a branch to itself.
        for (uint64_t off = 0; off < 0x800; off += 0x80) put32(kVectors + off, kBranchToSelf);
        core.sr(SR::VBAR_EL1) = kVectors;
    }

    bool run(const std::vector<uint32_t>& insns) { return h.run_insns(insns); }
    uint64_t& x(unsigned n) { return h.x(n); }

    void put8(uint64_t pa, uint8_t v) { *h.ram.host(pa) = v; }
    void put32(uint64_t pa, uint32_t v) { std::memcpy(h.ram.host(pa), &v, 4); }
    void put64(uint64_t pa, uint64_t v) { std::memcpy(h.ram.host(pa), &v, 8); }
    uint8_t get8(uint64_t pa) { return *h.ram.host(pa); }
    uint32_t get32(uint64_t pa) {
        uint32_t v;
        std::memcpy(&v, h.ram.host(pa), 4);
        return v;
    }
    uint64_t get64(uint64_t pa) {
        uint64_t v;
        std::memcpy(&v, h.ram.host(pa), 8);
        return v;
    }
    void fill(uint64_t pa, uint8_t v, size_t n) { std::memset(h.ram.host(pa), v, n); }

    // The last run stopped on the instruction at `index` with an exception of
    // class `ec` taken to EL1 from EL1 (SP_EL1), which saved its address.
    void expect_exception(uint32_t ec, unsigned index = 0) {
        const uint64_t esr = core.sr(SR::ESR_EL1);
        EXPECT_EQ(esr >> 26, ec) << std::hex << "ESR_EL1 = 0x" << esr;
        EXPECT_EQ(core.sr(SR::ELR_EL1), kRam + 4 * index);
        EXPECT_EQ(core.st.pc, kVectors + 0x200);
        EXPECT_EQ(core.st.pstate.el, 1);
    }
    void expect_undef(unsigned index = 0) { expect_exception(0x00, index); }
    // A Data Abort from the current EL (EC 0x25) with DFSC `dfsc`, WnR and FAR.
    void expect_data_abort(uint32_t dfsc, bool write, uint64_t far, unsigned index = 0) {
        expect_exception(0x25, index);
        const uint64_t esr = core.sr(SR::ESR_EL1);
        EXPECT_EQ(esr & 0x3F, dfsc) << std::hex << "ESR_EL1 = 0x" << esr;
        EXPECT_EQ((esr >> 6) & 1, uint64_t(write)) << "WnR";
        EXPECT_EQ(core.sr(SR::FAR_EL1), far);
    }
};

// ---- load/store register: every addressing mode, every size ---------------------

// Memory at kData for the sign-extension tests: negative and positive values
// at every access size.
constexpr uint64_t kNegPattern = 0x8897A6B5C4D3E2F1ull;
constexpr uint64_t kPosPattern = 0x0817263544536271ull;

struct LoadCase {
    const char* name;
    unsigned size, opc;
    uint64_t from_neg, from_pos;  // the value of Xt after the load
};

// size:opc as in the Arm ARM's load/store register tables (opc = 11 loads
// into W: bits [63:32] are zero).
const LoadCase kLoads[] = {
    {"LDRB", 0, 1, 0xF1, 0x71},
    {"LDRSB (X)", 0, 2, 0xFFFFFFFFFFFFFFF1ull, 0x71},
    {"LDRSB (W)", 0, 3, 0xFFFFFFF1, 0x71},
    {"LDRH", 1, 1, 0xE2F1, 0x6271},
    {"LDRSH (X)", 1, 2, 0xFFFFFFFFFFFFE2F1ull, 0x6271},
    {"LDRSH (W)", 1, 3, 0xFFFFE2F1, 0x6271},
    {"LDR (W)", 2, 1, 0xC4D3E2F1, 0x44536271},
    {"LDRSW", 2, 2, 0xFFFFFFFFC4D3E2F1ull, 0x44536271},
    {"LDR (X)", 3, 1, kNegPattern, kPosPattern},
};

struct StoreCase {
    const char* name;
    unsigned size;
};
const StoreCase kStores[] = {{"STRB", 0}, {"STRH", 1}, {"STR (W)", 2}, {"STR (X)", 3}};

// One addressing mode of the register classes, set up so that the access is
// at kData: `base` is X1 before, `wb` X1 after; X2 is the index register.
struct Mode {
    const char* name;
    uint32_t (*encode)(unsigned size, unsigned opc, unsigned rn, unsigned rt);
    uint64_t (*base)(unsigned size);
    uint64_t (*wb)(unsigned size);  // X1 after the access
    uint64_t index;                 // X2
};

const Mode kModes[] = {
    {"unscaled (LDUR)", [](unsigned s, unsigned o, unsigned n, unsigned t) { return ldst_imm9(s, o, -8, kUnscaled, n, t); },
     [](unsigned) { return kData + 8; }, [](unsigned) { return kData + 8; }, 0},
    {"post-index", [](unsigned s, unsigned o, unsigned n, unsigned t) { return ldst_imm9(s, o, 24, kPost, n, t); },
     [](unsigned) { return kData; }, [](unsigned) { return kData + 24; }, 0},
    {"pre-index", [](unsigned s, unsigned o, unsigned n, unsigned t) { return ldst_imm9(s, o, -256, kPre, n, t); },
     [](unsigned) { return kData + 256; }, [](unsigned) { return kData; }, 0},
    {"unprivileged (LDTR)", [](unsigned s, unsigned o, unsigned n, unsigned t) { return ldst_imm9(s, o, 255 & ~7, kUnpriv, n, t); },
     [](unsigned) { return kData - 248; }, [](unsigned) { return kData - 248; }, 0},
    {"unsigned offset", [](unsigned s, unsigned o, unsigned n, unsigned t) { return ldst_uimm(s, o, 3, n, t); },
     [](unsigned s) { return kData - (3u << s); }, [](unsigned s) { return kData - (3u << s); }, 0},
    {"register (SXTX, scaled)", [](unsigned s, unsigned o, unsigned n, unsigned t) { return ldst_reg(s, o, 2, kSxtx, 1, n, t); },
     [](unsigned s) { return kData + (5u << s); }, [](unsigned s) { return kData + (5u << s); }, uint64_t(-5)},
};

TEST_F(LoadStore, LoadsZeroAndSignExtendInEveryAddressingMode) {
    for (const Mode& m : kModes) {
        for (const LoadCase& l : kLoads) {
            for (bool neg : {true, false}) {
                SCOPED_TRACE(std::string(m.name) + " " + l.name + (neg ? " negative" : " positive"));
                put64(kData, neg ? kNegPattern : kPosPattern);
                x(1) = m.base(l.size);
                x(2) = m.index;
                x(0) = kJunk;
                ASSERT_TRUE(run({m.encode(l.size, l.opc, 1, 0)}));
                EXPECT_EQ(x(0), neg ? l.from_neg : l.from_pos);
                EXPECT_EQ(x(1), m.wb(l.size));
            }
        }
    }
}

TEST_F(LoadStore, StoresWriteExactlyTheirSizeInEveryAddressingMode) {
    for (const Mode& m : kModes) {
        for (const StoreCase& s : kStores) {
            SCOPED_TRACE(std::string(m.name) + " " + s.name);
            fill(kData - 16, 0xAA, 32);
            x(1) = m.base(s.size);
            x(2) = m.index;
            x(0) = 0x1122334455667788ull;
            ASSERT_TRUE(run({m.encode(s.size, 0, 1, 0)}));
            const unsigned bytes = 1u << s.size;
            for (unsigned i = 0; i < 8; ++i)
                EXPECT_EQ(get8(kData + i), i < bytes ? uint8_t(0x88 - 0x11 * i) : 0xAA) << "byte " << i;
            EXPECT_EQ(get64(kData - 8), 0xAAAAAAAAAAAAAAAAull);
            EXPECT_EQ(x(1), m.wb(s.size));
            EXPECT_EQ(x(0), 0x1122334455667788ull);
        }
    }
}

TEST_F(LoadStore, UnallocatedSizeOpcCombinationsAreUndefined) {
    struct Combo {
        unsigned size, opc;
    };
    // Unallocated in every register class: LDRSW into W; size 11 with opc 11.
    for (const Mode& m : kModes) {
        for (Combo c : {Combo{2, 3}, Combo{3, 3}}) {
            SCOPED_TRACE(std::string(m.name) + " size=" + std::to_string(c.size) + " opc=" + std::to_string(c.opc));
            x(1) = kData;
            x(0) = kJunk;
            ASSERT_FALSE(run({m.encode(c.size, c.opc, 1, 0)}));
            expect_undef();
            EXPECT_EQ(x(0), kJunk);
            EXPECT_EQ(x(1), kData);
        }
    }
    // Size 11 opc 10 is PRFM/PRFUM only without writeback and in the
    // privileged forms: post-index, pre-index and unprivileged UNDEF.
    for (unsigned mode : {kPost, kPre, kUnpriv}) {
        SCOPED_TRACE("prefetch-like encoding in mode " + std::to_string(mode));
        x(1) = kData;
        ASSERT_FALSE(run({ldst_imm9(3, 2, 8, mode, 1, 0)}));
        expect_undef();
        EXPECT_EQ(x(1), kData);
    }
}

TEST_F(LoadStore, PrefetchesAreHintsThatNeverFault) {
    core.sr(SR::SCTLR_EL1) |= 1u << 3;  // SA: SP alignment checking
    x(1) = kNoRam + 1;                  // no memory, unaligned
    x(2) = 0x1234567;
    h.sp() = kData + 8;                 // misaligned SP
    ASSERT_TRUE(run({
        ldst_uimm(3, 2, 0xFFF, 1, 0),          // PRFM PLDL1KEEP, [X1, #0x7FF8]
        ldst_imm9(3, 2, -1, kUnscaled, 1, 5),  // PRFUM PLDL3KEEP, [X1, #-1]
        ldst_reg(3, 2, 2, kSxtw, 1, 1, 17),    // PRFM PSTL1KEEP, [X1, W2, SXTW #3]
        ldst_uimm(3, 2, 0, SP, 0),             // PRFM PLDL1KEEP, [SP]
        ld_lit(3, -0x1000, 0),                 // PRFM PLDL1KEEP, <below RAM>
    }));
    EXPECT_EQ(core.st.pc, kRam + 20);
    EXPECT_EQ(x(1), kNoRam + 1);
    EXPECT_EQ(x(0), 0u);
}

// ---- writeback -------------------------------------------------------------------

TEST_F(LoadStore, PreAndPostIndexWriteBackTheBase) {
    put64(kData, 0x0101010101010101ull);
    put64(kData + 0x100, 0x0202020202020202ull);
    x(1) = kData;
    ASSERT_TRUE(run({
        ldst_imm9(3, 1, 255 & ~7, kPost, 1, 3),  // LDR X3, [X1], #248
        ldst_imm9(3, 1, 8, kPre, 1, 4),          // LDR X4, [X1, #8]!     (kData + 0x100)
        ldst_imm9(3, 0, -256, kPre, 1, 4),       // STR X4, [X1, #-256]!  (kData)
    }));
    EXPECT_EQ(x(3), 0x0101010101010101ull);
    EXPECT_EQ(x(4), 0x0202020202020202ull);
    EXPECT_EQ(x(1), kData);
    EXPECT_EQ(get64(kData), 0x0202020202020202ull);
}

TEST_F(LoadStore, SpBaseWritebackUsesSp) {
    h.sp() = kData + 0x40;
    x(29) = 0x2929;
    x(30) = 0x3030;
    ASSERT_TRUE(run({
        ldst_pair(2, false, kPairPre, -2, 30, SP, 29),  // STP X29, X30, [SP, #-16]!
        ldst_imm9(3, 0, -8, kPre, SP, ZR),              // STR XZR, [SP, #-8]!
        ldst_imm9(3, 1, 8, kPost, SP, 0),               // LDR X0, [SP], #8
        ldst_pair(2, true, kPairPost, 2, 2, SP, 1),     // LDP X1, X2, [SP], #16
    }));
    EXPECT_EQ(h.sp(), kData + 0x40);
    EXPECT_EQ(x(0), 0u);
    EXPECT_EQ(x(1), 0x2929u);
    EXPECT_EQ(x(2), 0x3030u);
    EXPECT_EQ(x(31), 0u);  // XZR is never written
}

// CONSTRAINED UNPREDICTABLE Rt == Rn with writeback: hvsim, like QEMU, loads
// into Rt and then writes the new base (Rn ends with the address), and a store
// stores the base's value from before the writeback.
TEST_F(LoadStore, WritebackWithRtEqualToRn) {
    put64(kData + 8, 0x5555);
    x(1) = kData;
    ASSERT_TRUE(run({ldst_imm9(3, 1, 8, kPre, 1, 1)}));  // LDR X1, [X1, #8]!
    EXPECT_EQ(x(1), kData + 8);
    ASSERT_TRUE(run({ldst_imm9(3, 1, -8, kPost, 1, 1)}));  // LDR X1, [X1], #-8
    EXPECT_EQ(x(1), kData);

    x(1) = kData;
    ASSERT_TRUE(run({ldst_imm9(3, 0, 16, kPre, 1, 1)}));  // STR X1, [X1, #16]!
    EXPECT_EQ(get64(kData + 16), kData);
    EXPECT_EQ(x(1), kData + 16);
    ASSERT_TRUE(run({ldst_imm9(2, 0, 16, kPost, 1, 1)}));  // STR W1, [X1], #16
    EXPECT_EQ(get64(kData + 16), kData + 16);
    EXPECT_EQ(x(1), kData + 32);
}

// ---- register offset ----------------------------------------------------------------

TEST_F(LoadStore, RegisterOffsetExtendsAndScales) {
    for (uint64_t i = 0; i < 64; i += 8) put64(kData - 32 + i, 0x1000 + i);  // kData-32 .. kData+24
    struct Case {
        const char* name;
        uint32_t insn;
        uint64_t index;  // X2
        uint64_t expected;
    };
    const Case cases[] = {
        {"LSL #0", ldst_reg(3, 1, 2, kLsl, 0, 1, 0), 16, 0x1030},
        {"LSL #3", ldst_reg(3, 1, 2, kLsl, 1, 1, 0), 2, 0x1030},
        {"SXTX #3 negative", ldst_reg(3, 1, 2, kSxtx, 1, 1, 0), uint64_t(-4), 0x1000},
        {"SXTX #0", ldst_reg(3, 1, 2, kSxtx, 0, 1, 0), uint64_t(-8), 0x1018},
        // UXTW takes W2 zero-extended: the upper half of X2 is ignored.
        {"UXTW #3", ldst_reg(3, 1, 2, kUxtw, 1, 1, 0), 0xFFFFFFFF00000001ull, 0x1028},
        {"UXTW #0", ldst_reg(3, 1, 2, kUxtw, 0, 1, 0), 0x1234567800000008ull, 0x1028},
        // SXTW takes W2 sign-extended.
        {"SXTW #3", ldst_reg(3, 1, 2, kSxtw, 1, 1, 0), 0x00000000FFFFFFFCull, 0x1000},
        {"SXTW #0", ldst_reg(3, 1, 2, kSxtw, 0, 1, 0), 0x12345678FFFFFFF8ull, 0x1018},
        // S scales by the access size: 1 for halfwords, 2 for words, 0 for bytes.
        {"LDRH LSL #1", ldst_reg(1, 1, 2, kLsl, 1, 1, 0), 4, 0x1028},
        {"LDR W LSL #2", ldst_reg(2, 1, 2, kLsl, 1, 1, 0), 2, 0x1028},
        {"LDRB S=1 (amount 0)", ldst_reg(0, 1, 2, kLsl, 1, 1, 0), 8, 0x28},
        {"LDRSW SXTW #2", ldst_reg(2, 2, 2, kSxtw, 1, 1, 0), 0xFFFFFFFE, 0x1018},
        // Rm = 31 is XZR.
        {"XZR index", ldst_reg(3, 1, ZR, kLsl, 1, 1, 0), 0xBAD, 0x1020},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        x(1) = kData;
        x(2) = c.index;
        ASSERT_TRUE(run({c.insn}));
        EXPECT_EQ(x(0), c.expected);
        EXPECT_EQ(x(1), kData);
    }
}

TEST_F(LoadStore, RegisterOffsetStoreAndSpBase) {
    h.sp() = kData;
    x(2) = 3;
    x(5) = 0xCAFEF00DCAFEF00Dull;
    ASSERT_TRUE(run({ldst_reg(3, 0, 2, kLsl, 1, SP, 5)}));  // STR X5, [SP, X2, LSL #3]
    EXPECT_EQ(get64(kData + 24), 0xCAFEF00DCAFEF00Dull);
}

TEST_F(LoadStore, RegisterOffsetWithSubwordExtendIsUndefined) {
    // option<1> = 0 (UXTB, UXTH, SXTB, SXTH) is reserved, PRFM included.
    for (unsigned option : {0u, 1u, 4u, 5u}) {
        for (unsigned opc : {0u, 1u}) {
            SCOPED_TRACE("option " + std::to_string(option) + " opc " + std::to_string(opc));
            x(1) = kData;
            ASSERT_FALSE(run({ldst_reg(3, opc, 2, option, 0, 1, 0)}));
            expect_undef();
        }
        ASSERT_FALSE(run({ldst_reg(3, 2, 2, option, 0, 1, 0)}));
        expect_undef();
    }
}

// ---- unsigned offset --------------------------------------------------------------------

TEST_F(LoadStore, UnsignedOffsetIsScaledUpToItsMaximum) {
    x(1) = kData;
    put64(kData + 0xFFF * 8, 0x7777);
    put32(kData + 0xFFF * 4, 0x4444);
    put8(kData + 0xFFF, 0x11);
    ASSERT_TRUE(run({
        ldst_uimm(3, 1, 0xFFF, 1, 3),  // LDR X3, [X1, #0x7FF8]
        ldst_uimm(2, 1, 0xFFF, 1, 4),  // LDR W4, [X1, #0x3FFC]
        ldst_uimm(0, 1, 0xFFF, 1, 5),  // LDRB W5, [X1, #0xFFF]
    }));
    EXPECT_EQ(x(3), 0x7777u);
    EXPECT_EQ(x(4), 0x4444u);
    EXPECT_EQ(x(5), 0x11u);
}

// ---- unprivileged ------------------------------------------------------------------------

TEST_F(LoadStore, UnprivilegedAccessesAtEl0AndEl1) {
    // With the MMU off EL0 and EL1 permissions agree: LDTR/STTR behave as
    // LDUR/STUR at both ELs (the permission checks belong to the MMU tests).
    put64(kData, kNegPattern);
    x(1) = kData + 16;
    ASSERT_TRUE(run({
        ldst_imm9(0, 2, -16, kUnpriv, 1, 2),  // LDTRSB X2, [X1, #-16]
        ldst_imm9(3, 0, -8, kUnpriv, 1, 2),   // STTR X2, [X1, #-8]
    }));
    EXPECT_EQ(x(2), 0xFFFFFFFFFFFFFFF1ull);
    EXPECT_EQ(get64(kData + 8), 0xFFFFFFFFFFFFFFF1ull);

    core.reset(kRam, 0);
    x(1) = kData;
    ASSERT_TRUE(run({ldst_imm9(1, 3, 0, kUnpriv, 1, 3)}));  // LDTRSH W3, [X1]
    EXPECT_EQ(x(3), 0xFFFFE2F1u);
}

// ---- literal -------------------------------------------------------------------------------

TEST_F(LoadStore, LiteralLoads) {
    put64(kRam + 0x100, kNegPattern);
    put64(kRam + 0x108, kPosPattern);
    x(0) = x(1) = x(2) = kJunk;
    ASSERT_TRUE(run({
        ld_lit(0, 0x40, 0),   // LDR W0, .+0x100
        ld_lit(1, 0x41, 1),   // LDR X1, .+0x104 -> kRam + 0x108
        ld_lit(2, 0x3E, 2),   // LDRSW X2, .+0xF8 -> kRam + 0x100
        ld_lit(2, 0x3F, 3),   // LDRSW X3, .+0xFC -> kRam + 0x108
    }));
    EXPECT_EQ(x(0), 0xC4D3E2F1u);
    EXPECT_EQ(x(1), kPosPattern);
    EXPECT_EQ(x(2), 0xFFFFFFFFC4D3E2F1ull);
    EXPECT_EQ(x(3), 0x44536271u);
}

TEST_F(LoadStore, LiteralWithNegativeOffsetAndAlignment) {
    // A literal below the code: code placed at kRam + 0x2000.
    const uint64_t code = kRam + 0x2000;
    put64(code - 0x1000, kNegPattern);
    put32(code, ld_lit(1, -0x400, 0));  // LDR X0, .-0x1000
    put32(code + 4, ld_lit(1, -0x3FE, 1));  // LDR X1, .-0xFF8: 8-byte access at a 4 mod 8 address
    h.dcache.on_write(code, 8);
    core.st.pc = code;
    core.run(core.cycles() + 1);
    EXPECT_EQ(x(0), kNegPattern);
    EXPECT_EQ(core.st.pc, code + 4);
    // Device memory: the misaligned literal load takes an Alignment fault.
    x(1) = kJunk;
    core.run(core.cycles() + 1);
    EXPECT_EQ(core.sr(SR::ESR_EL1) >> 26, 0x25u);
    EXPECT_EQ(core.sr(SR::ESR_EL1) & 0x3F, 0x21u);
    EXPECT_EQ(core.sr(SR::FAR_EL1), code + 4 - 0xFF8);
    EXPECT_EQ(core.sr(SR::ELR_EL1), code + 4);
    EXPECT_EQ(x(1), kJunk);
}

// ---- pairs ------------------------------------------------------------------------------------

TEST_F(LoadStore, StoreAndLoadPairs) {
    fill(kData - 64, 0, 192);
    x(1) = kData;
    x(2) = 0x1111111122222222ull;
    x(3) = 0x3333333344444444ull;
    ASSERT_TRUE(run({
        ldst_pair(2, false, kPairOff, 2, 3, 1, 2),    // STP X2, X3, [X1, #16]
        ldst_pair(0, false, kPairOff, -2, 3, 1, 2),   // STP W2, W3, [X1, #-8]
        ldst_pair(0, false, kPairNA, 8, ZR, 1, 3),    // STNP W3, WZR, [X1, #32]
        ldst_pair(2, false, kPairNA, -8, 2, 1, ZR),   // STNP XZR, X2, [X1, #-64]
    }));
    EXPECT_EQ(get64(kData + 16), x(2));
    EXPECT_EQ(get64(kData + 24), x(3));
    EXPECT_EQ(get32(kData - 8), 0x22222222u);
    EXPECT_EQ(get32(kData - 4), 0x44444444u);
    EXPECT_EQ(get32(kData + 32), 0x44444444u);
    EXPECT_EQ(get32(kData + 36), 0u);
    EXPECT_EQ(get64(kData - 64), 0u);
    EXPECT_EQ(get64(kData - 56), x(2));
    EXPECT_EQ(x(1), kData);

    x(4) = x(5) = x(6) = x(7) = x(8) = x(9) = kJunk;
    ASSERT_TRUE(run({
        ldst_pair(2, true, kPairOff, 2, 5, 1, 4),   // LDP X4, X5, [X1, #16]
        ldst_pair(0, true, kPairOff, -2, 7, 1, 6),  // LDP W6, W7, [X1, #-8]
        ldst_pair(2, true, kPairNA, -8, 9, 1, 8),   // LDNP X8, X9, [X1, #-64]
    }));
    EXPECT_EQ(x(4), 0x1111111122222222ull);
    EXPECT_EQ(x(5), 0x3333333344444444ull);
    EXPECT_EQ(x(6), 0x22222222u);  // W forms zero-extend
    EXPECT_EQ(x(7), 0x44444444u);
    EXPECT_EQ(x(8), 0u);
    EXPECT_EQ(x(9), 0x1111111122222222ull);
}

TEST_F(LoadStore, PairWriteback) {
    put64(kData, 0xA);
    put64(kData + 8, 0xB);
    x(1) = kData + 0x200;
    ASSERT_TRUE(run({ldst_pair(2, true, kPairPre, -64, 3, 1, 2)}));  // LDP X2, X3, [X1, #-512]!
    EXPECT_EQ(x(1), kData);
    EXPECT_EQ(x(2), 0xAu);
    EXPECT_EQ(x(3), 0xBu);
    ASSERT_TRUE(run({ldst_pair(0, true, kPairPost, 63, 3, 1, 2)}));  // LDP W2, W3, [X1], #252
    EXPECT_EQ(x(1), kData + 252);
    EXPECT_EQ(x(2), 0xAu);
    EXPECT_EQ(x(3), 0u);
    x(1) = kData;
    ASSERT_TRUE(run({ldst_pair(2, false, kPairPost, -1, 2, 1, 3)}));  // STP X3, X2, [X1], #-8
    EXPECT_EQ(x(1), kData - 8);
    EXPECT_EQ(get64(kData), 0u);
    EXPECT_EQ(get64(kData + 8), 0xAu);
}

TEST_F(LoadStore, LoadPairSignedWord) {
    put32(kData, 0x80000000);
    put32(kData + 4, 0x7FFFFFFF);
    x(1) = kData - 8;
    ASSERT_TRUE(run({ldst_pair(1, true, kPairOff, 2, 3, 1, 2)}));  // LDPSW X2, X3, [X1, #8]
    EXPECT_EQ(x(2), 0xFFFFFFFF80000000ull);
    EXPECT_EQ(x(3), 0x7FFFFFFFu);
    ASSERT_TRUE(run({ldst_pair(1, true, kPairPre, 2, 3, 1, 2)}));  // LDPSW X2, X3, [X1, #8]!
    EXPECT_EQ(x(1), kData);
    EXPECT_EQ(x(2), 0xFFFFFFFF80000000ull);
    ASSERT_TRUE(run({ldst_pair(1, true, kPairPost, -4, 2, 1, 3)}));  // LDPSW X3, X2, [X1], #-16
    EXPECT_EQ(x(1), kData - 16);
    EXPECT_EQ(x(3), 0xFFFFFFFF80000000ull);
    EXPECT_EQ(x(2), 0x7FFFFFFFu);
}

TEST_F(LoadStore, UnallocatedPairEncodingsAreUndefined) {
    x(1) = kData;
    ASSERT_FALSE(run({ldst_pair(1, true, kPairNA, 0, 3, 1, 2)}));  // "LDNPSW"
    expect_undef();
    ASSERT_FALSE(run({ldst_pair(3, true, kPairOff, 0, 3, 1, 2)}));  // opc = 11
    expect_undef();
    ASSERT_FALSE(run({ldst_pair(1, false, kPairOff, 0, 3, 1, 2)}));  // STGP (MTE), not in ARMv8.0
    expect_undef();
}

// CONSTRAINED UNPREDICTABLE pair cases, resolved as QEMU does.
TEST_F(LoadStore, PairOverlapChoices) {
    put64(kData, 0x1);
    put64(kData + 8, 0x2);
    x(1) = kData;
    // LDP with Rt == Rt2: the second element's value (the last written).
    ASSERT_TRUE(run({ldst_pair(2, true, kPairOff, 0, 2, 1, 2)}));  // LDP X2, X2, [X1]
    EXPECT_EQ(x(2), 0x2u);
    // Writeback with Rt2 == Rn: the base ends with the written-back address.
    ASSERT_TRUE(run({ldst_pair(2, true, kPairPost, 2, 1, 1, 2)}));  // LDP X2, X1, [X1], #16
    EXPECT_EQ(x(1), kData + 16);
    EXPECT_EQ(x(2), 0x1u);
    // A store with writeback and Rt == Rn stores the original base.
    ASSERT_TRUE(run({ldst_pair(2, false, kPairPre, 2, 2, 1, 1)}));  // STP X1, X2, [X1, #16]!
    EXPECT_EQ(get64(kData + 32), kData + 16);
    EXPECT_EQ(x(1), kData + 32);
}

TEST_F(LoadStore, FaultingPairChangesNoRegister) {
    // The second element lies past the end of RAM: an external abort on it.
    put64(kRamEnd - 8, 0x1234);
    x(1) = kRamEnd - 8;
    x(2) = x(3) = kJunk;
    ASSERT_FALSE(run({ldst_pair(2, true, kPairPost, 2, 3, 1, 2)}));  // LDP X2, X3, [X1], #16
    expect_data_abort(0x10, false, kRamEnd);
    EXPECT_EQ(x(1), kRamEnd - 8);
    EXPECT_EQ(x(2), kJunk);
    EXPECT_EQ(x(3), kJunk);
}

// ---- exclusives and acquire/release ---------------------------------------------------------

TEST_F(LoadStore, ExclusiveLoadStoreSucceedsAtEverySize) {
    for (unsigned size = 0; size < 4; ++size) {
        SCOPED_TRACE("size " + std::to_string(size));
        put64(kData, kNegPattern);
        x(1) = kData;
        x(2) = 0x0102030405060708ull;
        x(3) = x(4) = kJunk;
        ASSERT_TRUE(run({ldxr(size, 1, 3), stxr(size, 4, 1, 2)}));
        const unsigned bytes = 1u << size;
        const uint64_t mask = bytes == 8 ? ~0ull : (1ull << (8 * bytes)) - 1;
        EXPECT_EQ(x(3), kNegPattern & mask);  // zero-extended
        EXPECT_EQ(x(4), 0u);                  // status: stored
        EXPECT_EQ(get64(kData), (kNegPattern & ~mask) | (x(2) & mask));
    }
}

TEST_F(LoadStore, AcquireReleaseExclusives) {
    put64(kData, 0x77);
    x(1) = kData;
    x(2) = 0x88;
    x(4) = kJunk;
    ASSERT_TRUE(run({ldaxr(3, 1, 3), stlxr(3, 4, 1, 2)}));
    EXPECT_EQ(x(3), 0x77u);
    EXPECT_EQ(x(4), 0u);
    EXPECT_EQ(get64(kData), 0x88u);
}

TEST_F(LoadStore, StoreExclusiveFailsWithoutReservation) {
    put64(kData, 0x77);
    x(1) = kData;
    x(2) = 0x88;
    x(4) = kJunk;
    ASSERT_TRUE(run({stxr(3, 4, 1, 2)}));  // STXR without LDXR
    EXPECT_EQ(x(4), 1u);
    EXPECT_EQ(get64(kData), 0x77u);

    x(4) = kJunk;
    ASSERT_TRUE(run({ldxr(3, 1, 3), kClrex, stxr(3, 4, 1, 2)}));  // CLREX in between
    EXPECT_EQ(x(4), 1u);
    EXPECT_EQ(get64(kData), 0x77u);

    x(4) = kJunk;
    ASSERT_TRUE(run({ldxr(3, 1, 3), stxr(3, 4, 1, 2), stxr(3, 4, 1, 2)}));  // a second STXR
    EXPECT_EQ(x(4), 1u);

    // A reservation on another address (another granule) does not pass.
    put64(kData, 0x77);
    x(5) = kData + 0x100;
    ASSERT_TRUE(run({ldxr(3, 5, 3), stxr(3, 4, 1, 2)}));
    EXPECT_EQ(x(4), 1u);
    EXPECT_EQ(get64(kData), 0x77u);
}

TEST_F(LoadStore, ExclusivePairs) {
    put64(kData, 0x1111111122222222ull);
    put64(kData + 8, 0x3333333344444444ull);
    x(1) = kData;
    // 32-bit pair: one 8-byte access, Rt from the low word.
    x(5) = 0xAAAAAAAA0000000Aull;
    x(6) = 0xBBBBBBBB0000000Bull;
    ASSERT_TRUE(run({ldxp(false, 3, 1, 2), stxp(false, 4, 6, 1, 5)}));  // LDXP W2, W3; STXP W4, W5, W6
    EXPECT_EQ(x(2), 0x22222222u);
    EXPECT_EQ(x(3), 0x11111111u);
    EXPECT_EQ(x(4), 0u);
    EXPECT_EQ(get64(kData), 0x0000000B0000000Aull);
    // 64-bit pair with acquire/release: one 16-byte access.
    ASSERT_TRUE(run({ldaxp(true, 3, 1, 2), stlxp(true, 4, 6, 1, 5)}));  // LDAXP X2, X3; STLXP W4, X5, X6
    EXPECT_EQ(x(2), 0x0000000B0000000Aull);
    EXPECT_EQ(x(3), 0x3333333344444444ull);
    EXPECT_EQ(x(4), 0u);
    EXPECT_EQ(get64(kData), x(5));
    EXPECT_EQ(get64(kData + 8), x(6));
    // STXP without a reservation fails and stores nothing.
    x(5) = 1;
    ASSERT_TRUE(run({stxp(true, 4, 6, 1, 5)}));
    EXPECT_EQ(x(4), 1u);
    EXPECT_EQ(get64(kData), 0xAAAAAAAA0000000Aull);
}

// CONSTRAINED UNPREDICTABLE: STXR with Rs == Rt or Rs == Rn. hvsim, like QEMU,
// does not UNDEF: it stores the original Rt at the original base, then writes
// the status. LDXP with Rt == Rt2 gets the second element.
TEST_F(LoadStore, ExclusiveOverlapChoices) {
    x(1) = kData;
    x(2) = 0x1234;
    ASSERT_TRUE(run({ldxr(3, 1, 3), stxr(3, 2, 1, 2)}));  // STXR W2, X2, [X1]
    EXPECT_EQ(get64(kData), 0x1234u);
    EXPECT_EQ(x(2), 0u);
    ASSERT_TRUE(run({ldxr(3, 1, 3), stxr(3, 1, 1, 2)}));  // STXR W1, X2, [X1]
    EXPECT_EQ(get64(kData), 0u);
    EXPECT_EQ(x(1), 0u);

    put64(kData, 0x1);
    put64(kData + 8, 0x2);
    x(1) = kData;
    ASSERT_TRUE(run({ldxp(true, 2, 1, 2)}));  // LDXP X2, X2, [X1]
    EXPECT_EQ(x(2), 0x2u);
}

TEST_F(LoadStore, LoadAcquireStoreRelease) {
    put64(kData, kNegPattern);
    x(1) = kData;
    x(5) = 0x0102030405060708ull;
    ASSERT_TRUE(run({ldar(0, 1, 2), ldar(1, 1, 3), ldar(2, 1, 4), stlr(1, 1, 5)}));
    EXPECT_EQ(x(2), 0xF1u);
    EXPECT_EQ(x(3), 0xE2F1u);
    EXPECT_EQ(x(4), 0xC4D3E2F1u);
    EXPECT_EQ(get64(kData), 0x8897A6B5C4D30708ull);
    ASSERT_TRUE(run({stlr(3, 1, 5), ldar(3, 1, 6)}));
    EXPECT_EQ(x(6), x(5));
    // The should-be-one Rs/Rt2 fields: other values UNDEF, as in QEMU.
    ASSERT_FALSE(run({excl(3, 1, 1, 0, 0, 1, 31, 1, 6)}));  // LDAR with Rs = 0
    expect_undef();
    ASSERT_FALSE(run({excl(3, 1, 0, 0, 31, 1, 0, 1, 6)}));  // STLR with Rt2 = 0
    expect_undef();
}

TEST_F(LoadStore, ExclusivesAndAcquireReleaseFaultWhenUnaligned) {
    struct Case {
        const char* name;
        uint32_t insn;
        uint64_t address;  // X1
        bool write;
    };
    const Case cases[] = {
        {"LDXR X", ldxr(3, 1, 0), kData + 4, false},
        {"LDXRH", ldxr(1, 1, 0), kData + 1, false},
        {"LDAXR W", ldaxr(2, 1, 0), kData + 2, false},
        {"STXR X", stxr(3, 2, 1, 0), kData + 4, true},
        {"STLXRH", stlxr(1, 2, 1, 0), kData + 3, true},
        {"LDXP X (16-byte aligned)", ldxp(true, 3, 1, 0), kData + 8, false},
        {"LDAXP W (8-byte aligned)", ldaxp(false, 3, 1, 0), kData + 4, false},
        {"STXP X (16-byte aligned)", stxp(true, 2, 3, 1, 0), kData + 8, true},
        {"STLXP W", stlxp(false, 2, 3, 1, 0), kData + 4, true},
        {"LDAR X", ldar(3, 1, 0), kData + 4, false},
        {"STLR H", stlr(1, 1, 0), kData + 1, true},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        x(1) = c.address;
        x(0) = x(2) = x(3) = kJunk;
        ASSERT_FALSE(run({c.insn}));
        expect_data_abort(0x21, c.write, c.address);
        EXPECT_EQ(x(0), kJunk);
        EXPECT_EQ(x(2), kJunk);
        EXPECT_EQ(x(3), kJunk);
    }
}

// ---- aborts --------------------------------------------------------------------------------------

TEST_F(LoadStore, UnalignedAccessToDeviceMemoryFaults) {
    x(1) = kData;
    x(0) = kJunk;
    ASSERT_FALSE(run({ldst_imm9(2, 1, 2, kUnscaled, 1, 0)}));  // LDUR W0, [X1, #2]
    expect_data_abort(0x21, false, kData + 2);
    EXPECT_EQ(x(0), kJunk);
    ASSERT_FALSE(run({ldst_imm9(1, 0, 1, kPre, 1, 0)}));  // STRH W0, [X1, #1]!
    expect_data_abort(0x21, true, kData + 1);
    EXPECT_EQ(x(1), kData);  // no writeback
    x(1) = kData + 4;
    ASSERT_FALSE(run({ldst_pair(2, false, kPairOff, 0, 0, 1, 0)}));  // STP X0, X0, [X1]
    expect_data_abort(0x21, true, kData + 4);
    // Bytes are always aligned.
    x(1) = kData;
    put8(kData + 7, 0x5A);
    ASSERT_TRUE(run({ldst_imm9(0, 1, 7, kUnscaled, 1, 0)}));  // LDURB W0, [X1, #7]
    EXPECT_EQ(x(0), 0x5Au);
}

// Disabled until core.cpp is fixed: Core::access_slow() splits an access
// that crosses a page before access_page() checks Device alignment, so each
// half looks aligned and the unaligned access does not fault.
TEST_F(LoadStore, UnalignedDeviceAccessAcrossPagesFaults) {
    for (uint64_t address : {kData + 0xFFC, kData + 0xFFD}) {
        x(1) = address;
        x(0) = kJunk;
        ASSERT_FALSE(run({ldst_uimm(3, 1, 0, 1, 0)}));  // LDR X0, [X1]
        expect_data_abort(0x21, false, address);
        EXPECT_EQ(x(0), kJunk);
    }
}

TEST_F(LoadStore, ExternalAbortOutsideRam) {
    x(1) = kNoRam;
    x(0) = kJunk;
    ASSERT_FALSE(run({ldst_uimm(3, 1, 1, 1, 0)}));  // LDR X0, [X1, #8]
    expect_data_abort(0x10, false, kNoRam + 8);
    EXPECT_EQ(x(0), kJunk);
    ASSERT_FALSE(run({ldst_imm9(0, 0, -1, kPost, 1, 0)}));  // STRB W0, [X1], #-1
    expect_data_abort(0x10, true, kNoRam);
    EXPECT_EQ(x(1), kNoRam);  // no writeback
    // The fault is reported on the instruction that took it.
    x(1) = kData;
    x(2) = kNoRam;
    ASSERT_FALSE(run({ldst_uimm(3, 1, 0, 1, 0), ldxr(2, 2, 0)}));
    expect_data_abort(0x10, false, kNoRam, 1);
}

TEST_F(LoadStore, SpAlignmentFault) {
    put64(kData + 8, 0x99);
    h.sp() = kData + 8;  // 8-byte aligned only
    // SCTLR_EL1.SA = 0: no check.
    ASSERT_TRUE(run({ldst_uimm(3, 1, 0, SP, 0)}));  // LDR X0, [SP]
    EXPECT_EQ(x(0), 0x99u);

    core.sr(SR::SCTLR_EL1) |= 1u << 3;  // SA
    const uint32_t faulting[] = {
        ldst_uimm(3, 1, 0, SP, 0),                   // LDR X0, [SP]
        ldst_imm9(0, 0, -8, kUnscaled, SP, 0),        // STURB W0, [SP, #-8]: the base is checked
        ldst_imm9(3, 0, -8, kPre, SP, 0),             // STR X0, [SP, #-8]! (result would be aligned)
        ldst_pair(2, true, kPairPost, 2, 1, SP, 0),   // LDP X0, X1, [SP], #16
        ldst_reg(3, 1, 2, kLsl, 0, SP, 0),            // LDR X0, [SP, X2]
        ldst_imm9(3, 1, 0, kUnpriv, SP, 0),           // LDTR X0, [SP]
        ldxr(3, SP, 0),                               // LDXR X0, [SP]
        stlr(3, SP, 0),                               // STLR X0, [SP]
    };
    for (uint32_t insn : faulting) {
        SCOPED_TRACE(testing::Message() << std::hex << insn);
        h.sp() = kData + 8;
        x(0) = kJunk;
        ASSERT_FALSE(run({insn}));
        expect_exception(0x26);
        EXPECT_EQ(core.sr(SR::ESR_EL1) & 0x1FFFFFF, 0u);  // ISS is zero
        // The exception selected SP_EL1 again; the pre-index did not write back.
        EXPECT_EQ(h.sp(), kData + 8);
        EXPECT_EQ(x(0), kJunk);
    }
    // Aligned SP with an unaligned-to-16 offset is fine.
    h.sp() = kData;
    ASSERT_TRUE(run({ldst_uimm(3, 1, 1, SP, 0)}));  // LDR X0, [SP, #8]
    EXPECT_EQ(x(0), 0x99u);
    // An X-register base is not checked.
    x(1) = kData + 8;
    ASSERT_TRUE(run({ldst_uimm(3, 1, 0, 1, 0)}));
}

TEST_F(LoadStore, SpAlignmentFaultAtEl0UsesSa0) {
    core.reset(kRam, 0);
    core.sr(SR::VBAR_EL1) = kVectors;
    core.sr(SR::SCTLR_EL1) |= 1u << 4;  // SA0
    h.sp() = kData + 4;
    ASSERT_FALSE(run({ldst_uimm(2, 1, 0, SP, 0)}));  // LDR W0, [SP]
    EXPECT_EQ(core.sr(SR::ESR_EL1) >> 26, 0x26u);
    EXPECT_EQ(core.st.pstate.el, 1);
    EXPECT_EQ(core.st.pc, kVectors + 0x400);  // lower EL, AArch64
}

}  // namespace
