// models/cpu/fp: the Arm ARM floating-point pseudocode, edge cases by hand and
// a random cross-check of the correctly rounded operations against the host's
// IEEE arithmetic (which agrees with Arm except for NaN selection, flushing
// and tininess detection, which the cross-check leaves out).
#include <gtest/gtest.h>

#include <cfenv>
#include <cmath>
#include <cstring>
#include <random>

#include "models/cpu/fp/fp.h"

using namespace hvsim::cpu::fp;

namespace {

constexpr uint32_t kFZ = 1u << 24, kDN = 1u << 25, kAHP = 1u << 26;
constexpr uint32_t rmode(Rounding r) { return static_cast<uint32_t>(r) << 22; }

uint32_t f2u(float f) { uint32_t u; std::memcpy(&u, &f, 4); return u; }
uint64_t d2u(double d) { uint64_t u; std::memcpy(&u, &d, 8); return u; }
float u2f(uint32_t u) { float f; std::memcpy(&f, &u, 4); return f; }
double u2d(uint64_t u) { double d; std::memcpy(&d, &u, 8); return d; }

TEST(Fp, NaNPropagation) {
    FpCtx c;
    // Signalling NaN wins over an earlier quiet NaN and is quietened (IOC).
    EXPECT_EQ(add32(0x7FC00001, 0x7F800002, c), 0x7FC00002u);
    EXPECT_EQ(c.flags, uint32_t(IOC));
    c = FpCtx();
    EXPECT_EQ(add32(0xFFC00005, 0x7FC00002, c), 0xFFC00005u);  // first quiet NaN, sign kept
    EXPECT_EQ(c.flags, 0u);
    c = FpCtx(kDN);
    EXPECT_EQ(mul64(0x7FF0000000000001ull, 0x3FF0000000000000ull, c), 0x7FF8000000000000ull);
    EXPECT_EQ(c.flags, uint32_t(IOC));
    // FPProcessNaNs3: addend first.
    c = FpCtx();
    EXPECT_EQ(muladd32(0x7FC00003, 0x7F800001, 0x7FC00002, c), 0x7FC00001u);
    c = FpCtx();
    EXPECT_EQ(muladd32(0x7FC00003, 0x7FC00001, 0x7FC00002, c), 0x7FC00003u);
    EXPECT_EQ(c.flags, 0u);
    // A quiet NaN addend with 0 * Inf: default NaN and IOC.
    c = FpCtx();
    EXPECT_EQ(muladd32(0xFFC00003, 0x7F800000, 0x00000000, c), 0x7FC00000u);
    EXPECT_EQ(c.flags, uint32_t(IOC));
    // Invalid operations give the default NaN.
    c = FpCtx();
    EXPECT_EQ(sub32(0x7F800000, 0x7F800000, c), 0x7FC00000u);
    EXPECT_EQ(div64(0, 0x8000000000000000ull, c), 0x7FF8000000000000ull);
    EXPECT_EQ(sqrt32(0xBF800000, c), 0x7FC00000u);
    EXPECT_EQ(sqrt32(0x80000000, c), 0x80000000u);  // sqrt(-0) = -0
}

TEST(Fp, FlushToZero) {
    // Denormal inputs flush with IDC; the result of the flushed operand.
    FpCtx c(kFZ);
    EXPECT_EQ(add32(0x00000001, 0x80000000, c), 0x00000000u);
    EXPECT_EQ(c.flags, uint32_t(IDC));
    c = FpCtx(kFZ);
    EXPECT_EQ(div32(0x3F800000, 0x80000001, c), 0xFF800000u);  // 1 / -0
    EXPECT_EQ(c.flags, uint32_t(IDC | DZC));
    // Tiny outputs flush with UFC only, decided before rounding: 2^-126 * (1 - 2^-24) would round
    // up to the minimum normal but is flushed.
    c = FpCtx(kFZ);
    EXPECT_EQ(mul32(0x3F7FFFFF, 0x00800000, c), 0x00000000u);
    EXPECT_EQ(c.flags, uint32_t(UFC));
    c = FpCtx();
    EXPECT_EQ(mul32(0x3F7FFFFF, 0x00800000, c), 0x00800000u);  // rounds up to the minimum normal
    EXPECT_EQ(c.flags, uint32_t(UFC | IXC));                   // tiny before rounding
    // An exact denormal result is not an underflow.
    c = FpCtx();
    EXPECT_EQ(mul32(0x3F000000, 0x00000002, c), 0x00000001u);
    EXPECT_EQ(c.flags, 0u);
    c = FpCtx();
    EXPECT_EQ(mul32(0x3F000000, 0x00000001, c), 0x00000000u);  // half of the smallest denormal: ties to even
    EXPECT_EQ(c.flags, uint32_t(UFC | IXC));
    // Half precision is never flushed.
    c = FpCtx(kFZ);
    EXPECT_EQ(add16(0x0001, 0x0001, c), 0x0002u);
    EXPECT_EQ(c.flags, 0u);
    EXPECT_EQ(convert(0x33800000, 32, 16, Rounding::TieEven, c), 0x0001u);  // 2^-24
    EXPECT_EQ(c.flags, 0u);
    EXPECT_EQ(convert(0x0001, 16, 64, Rounding::TieEven, c), 0x3E70000000000000ull);
    // Single denormal input to a conversion flushes.
    c = FpCtx(kFZ);
    EXPECT_EQ(convert(0x80000001, 32, 64, Rounding::TieEven, c), 0x8000000000000000ull);
    EXPECT_EQ(c.flags, uint32_t(IDC));
}

TEST(Fp, OverflowPerRoundingMode) {
    const uint32_t big = 0x7F7FFFFF;  // max normal
    struct { Rounding r; uint32_t pos, neg; } cases[] = {
        {Rounding::TieEven, 0x7F800000, 0xFF800000},
        {Rounding::PosInf, 0x7F800000, 0xFF7FFFFF},
        {Rounding::NegInf, 0x7F7FFFFF, 0xFF800000},
        {Rounding::Zero, 0x7F7FFFFF, 0xFF7FFFFF},
    };
    for (auto& k : cases) {
        FpCtx c(rmode(k.r));
        EXPECT_EQ(mul32(big, 0x40000000, c), k.pos);
        EXPECT_EQ(mul32(big, 0xC0000000, c), k.neg);
        EXPECT_EQ(c.flags, uint32_t(OFC | IXC));
    }
    // Exact zero sums: +0, except -0 when rounding towards -Inf.
    FpCtx c;
    EXPECT_EQ(add64(d2u(1.5), d2u(-1.5), c), 0u);
    c = FpCtx(rmode(Rounding::NegInf));
    EXPECT_EQ(add64(d2u(1.5), d2u(-1.5), c), 0x8000000000000000ull);
    EXPECT_EQ(add32(0x80000000, 0x80000000, c), 0x80000000u);
    EXPECT_EQ(muladd64(0, d2u(2.0), d2u(-0.0), c), 0x8000000000000000ull);
}

TEST(Fp, FusedMultiplyAdd) {
    // (1 + 2^-23)^2 - (1 + 2^-22) = 2^-46 exactly; a separate multiply would lose it.
    FpCtx c;
    EXPECT_EQ(muladd32(0xBF800002, 0x3F800001, 0x3F800001, c), 0x28800000u);
    EXPECT_EQ(c.flags, 0u);
    EXPECT_EQ(u2d(muladd64(d2u(-1.0), d2u(1.0 + 0x1p-52), d2u(1.0 + 0x1p-52), c)), 0x1p-51 + 0x1p-104);
}

TEST(Fp, MinMaxAndCompare) {
    FpCtx c;
    EXPECT_EQ(max32(0x80000000, 0x00000000, c), 0x00000000u);
    EXPECT_EQ(min32(0x00000000, 0x80000000, c), 0x80000000u);
    EXPECT_EQ(max32(0x7FC00000, 0x3F800000, c), 0x7FC00000u);
    EXPECT_EQ(maxnm32(0x7FC00000, 0x3F800000, c), 0x3F800000u);
    EXPECT_EQ(minnm64(d2u(-2.0), 0xFFF8000000000000ull, c), d2u(-2.0));
    EXPECT_EQ(c.flags, 0u);
    EXPECT_EQ(maxnm32(0x7FC00000, 0x7F800001, c), 0x7FC00001u);  // signalling NaN still wins
    EXPECT_EQ(c.flags, uint32_t(IOC));
    c = FpCtx();
    EXPECT_EQ(compare32(0x3F800000, 0x40000000, false, c), kNzcvLt);
    EXPECT_EQ(compare32(0x80000000, 0x00000000, false, c), kNzcvEq);
    EXPECT_EQ(compare64(d2u(INFINITY), d2u(1e308), false, c), kNzcvGt);
    EXPECT_EQ(compare32(0x7FC00000, 0, false, c), kNzcvUn);
    EXPECT_EQ(c.flags, 0u);
    EXPECT_EQ(compare32(0x7FC00000, 0, true, c), kNzcvUn);  // FCMPE signals quiet NaNs
    EXPECT_EQ(c.flags, uint32_t(IOC));
    c = FpCtx(kFZ);
    EXPECT_EQ(compare32(0x00000001, 0x80000000, false, c), kNzcvEq);
    EXPECT_EQ(c.flags, uint32_t(IDC));
}

TEST(Fp, RoundToIntegral) {
    struct { float in; Rounding r; float out; } cases[] = {
        {2.5f, Rounding::TieEven, 2.f}, {3.5f, Rounding::TieEven, 4.f}, {-2.5f, Rounding::TieEven, -2.f},
        {2.5f, Rounding::TieAway, 3.f}, {-2.5f, Rounding::TieAway, -3.f}, {2.1f, Rounding::PosInf, 3.f},
        {-2.1f, Rounding::PosInf, -2.f}, {2.9f, Rounding::NegInf, 2.f}, {-2.1f, Rounding::NegInf, -3.f},
        {-2.9f, Rounding::Zero, -2.f}, {-0.3f, Rounding::TieEven, -0.f}, {0.7f, Rounding::NegInf, 0.f},
        {-0.2f, Rounding::PosInf, -0.f}, {1e20f, Rounding::Zero, 1e20f},
    };
    for (auto& k : cases) {
        FpCtx c;
        EXPECT_EQ(round_int32(f2u(k.in), k.r, true, c), f2u(k.out)) << k.in;
        EXPECT_EQ(c.flags, k.in == k.out ? 0u : uint32_t(IXC)) << k.in;
        c = FpCtx();
        round_int32(f2u(k.in), k.r, false, c);
        EXPECT_EQ(c.flags, 0u);
    }
}

TEST(Fp, FloatToInt) {
    FpCtx c;
    EXPECT_EQ(to_fixed(f2u(3e9f), 32, 32, 0, false, Rounding::Zero, c), 0x7FFFFFFFu);
    EXPECT_EQ(c.flags, uint32_t(IOC));
    c = FpCtx();
    EXPECT_EQ(to_fixed(f2u(-3e9f), 32, 32, 0, false, Rounding::Zero, c), 0x80000000u);
    EXPECT_EQ(to_fixed(f2u(-1.0f), 32, 64, 0, true, Rounding::Zero, c), 0u);
    EXPECT_EQ(c.flags, uint32_t(IOC));
    c = FpCtx();
    EXPECT_EQ(to_fixed(f2u(-0.5f), 32, 32, 0, true, Rounding::Zero, c), 0u);  // truncates to 0: inexact only
    EXPECT_EQ(c.flags, uint32_t(IXC));
    c = FpCtx();
    EXPECT_EQ(to_fixed(0x7FC00000, 32, 64, 0, false, Rounding::Zero, c), 0u);
    EXPECT_EQ(c.flags, uint32_t(IOC));
    c = FpCtx();
    EXPECT_EQ(to_fixed(d2u(-2.5), 64, 64, 0, false, Rounding::TieEven, c), uint64_t(-2));
    EXPECT_EQ(to_fixed(d2u(-2.5), 64, 64, 0, false, Rounding::TieAway, c), uint64_t(-3));
    EXPECT_EQ(to_fixed(d2u(-2.5), 64, 64, 0, false, Rounding::NegInf, c), uint64_t(-3));
    EXPECT_EQ(to_fixed(d2u(2.25), 64, 32, 4, false, Rounding::Zero, c), 36u);  // fixed point, 4 fraction bits
    EXPECT_EQ(to_fixed(f2u(-144.5f), 32, 64, 53, false, Rounding::Zero, c), uint64_t(-1301540292310073344ll));
    EXPECT_EQ(to_fixed(d2u(-9223372036854775808.0), 64, 64, 0, false, Rounding::Zero, c), 0x8000000000000000ull);
    EXPECT_EQ(to_fixed(d2u(18446744073709549568.0), 64, 64, 0, true, Rounding::Zero, c), 0xFFFFFFFFFFFFF800ull);
    EXPECT_EQ(c.flags, uint32_t(IXC));
    c = FpCtx();
    EXPECT_EQ(to_fixed(d2u(INFINITY), 64, 64, 0, true, Rounding::Zero, c), ~0ull);
    EXPECT_EQ(c.flags, uint32_t(IOC));
}

TEST(Fp, IntToFloat) {
    FpCtx c;
    EXPECT_EQ(from_fixed(0xFFFFFFFF, 32, 0, false, 32, Rounding::TieEven, c), f2u(-1.0f));
    EXPECT_EQ(from_fixed(0xFFFFFFFF, 32, 0, true, 32, Rounding::TieEven, c), f2u(4294967296.0f));
    EXPECT_EQ(c.flags, uint32_t(IXC));
    c = FpCtx();
    EXPECT_EQ(from_fixed(0x8000000000000000ull, 64, 0, false, 64, Rounding::TieEven, c), d2u(-0x1p63));
    EXPECT_EQ(from_fixed(36, 32, 4, false, 64, Rounding::TieEven, c), d2u(2.25));
    EXPECT_EQ(from_fixed(1, 64, 64, true, 32, Rounding::TieEven, c), f2u(0x1p-64f));
    EXPECT_EQ(from_fixed(0, 64, 0, false, 32, Rounding::NegInf, c), 0u);
    EXPECT_EQ(c.flags, 0u);
    c = FpCtx(rmode(Rounding::PosInf));
    EXPECT_EQ(from_fixed(0x1000001, 32, 0, false, 32, c.rmode(), c), f2u(16777218.0f));
}

TEST(Fp, HalfPrecisionAndAHP) {
    FpCtx c;
    EXPECT_EQ(convert(f2u(65504.f), 32, 16, Rounding::TieEven, c), 0x7BFFu);
    EXPECT_EQ(convert(f2u(65520.f), 32, 16, Rounding::TieEven, c), 0x7C00u);  // overflows to Inf
    EXPECT_EQ(c.flags, uint32_t(OFC | IXC));
    c = FpCtx();
    EXPECT_EQ(convert(0x7F800001, 32, 16, Rounding::TieEven, c), 0x7E00u);  // NaN payload top bits, quietened
    EXPECT_EQ(convert(0xFFC00000 | (0x155u << 13), 32, 16, Rounding::TieEven, c), 0xFF55u);
    EXPECT_EQ(convert(0x7D55, 16, 64, Rounding::TieEven, c), 0x7FFD540000000000ull);
    // Alternative half precision: exponent 31 is normal, no Inf or NaN.
    c = FpCtx(kAHP);
    EXPECT_EQ(convert(f2u(131008.f), 32, 16, Rounding::TieEven, c), 0x7FFFu);
    EXPECT_EQ(c.flags, 0u);
    EXPECT_EQ(convert(0x7C00, 16, 32, Rounding::TieEven, c), f2u(65536.f));
    EXPECT_EQ(convert(f2u(1e6f), 32, 16, Rounding::TieEven, c), 0x7FFFu);
    EXPECT_EQ(c.flags, uint32_t(IOC));
    c = FpCtx(kAHP);
    EXPECT_EQ(convert(0xFFC00000, 32, 16, Rounding::TieEven, c), 0x8000u);  // NaN -> zero
    EXPECT_EQ(convert(0xFF800000, 32, 16, Rounding::TieEven, c), 0xFFFFu);  // -Inf -> -max
    EXPECT_EQ(c.flags, uint32_t(IOC));
    // Double -> single rounding and the DN default NaN.
    c = FpCtx(kDN);
    EXPECT_EQ(convert(0x7FF0000000000001ull, 64, 32, Rounding::TieEven, c), 0x7FC00000u);
    EXPECT_EQ(convert(d2u(1.0 + 0x1p-24), 64, 32, Rounding::PosInf, c), 0x3F800001u);
}

TEST(Fp, Estimates) {
    FpCtx c;
    EXPECT_EQ(recpe32(f2u(2.0f), c), 0x3EFF8000u);  // 0.4990234375
    EXPECT_EQ(rsqrte32(f2u(4.0f), c), 0x3EFF8000u);
    EXPECT_EQ(rsqrte32(f2u(1.0f), c), 0x3F7F8000u);
    EXPECT_EQ(recpe64(d2u(1.0), c), 0x3FEFF00000000000ull);
    EXPECT_EQ(c.flags, 0u);
    EXPECT_EQ(recpe32(0x80000000, c), 0xFF800000u);
    EXPECT_EQ(c.flags, uint32_t(DZC));
    c = FpCtx();
    EXPECT_EQ(rsqrte32(f2u(-1.0f), c), 0x7FC00000u);
    EXPECT_EQ(c.flags, uint32_t(IOC));
    c = FpCtx(rmode(Rounding::Zero));
    EXPECT_EQ(recpe32(0x00000001, c), 0x7F7FFFFFu);  // reciprocal overflows
    EXPECT_EQ(c.flags, uint32_t(OFC | IXC));
    c = FpCtx(kFZ);
    EXPECT_EQ(recpe32(0x7E800000, c), 0u);
    EXPECT_EQ(c.flags, uint32_t(UFC));
    c = FpCtx();
    EXPECT_EQ(recps32(f2u(INFINITY), 0, c), f2u(2.0f));
    EXPECT_EQ(rsqrts32(0, f2u(-INFINITY), c), f2u(1.5f));
    EXPECT_EQ(recps32(f2u(0.5f), f2u(3.0f), c), f2u(0.5f));
    EXPECT_EQ(rsqrts32(f2u(0.5f), f2u(3.0f), c), f2u(0.75f));
    EXPECT_EQ(recpx32(f2u(3.0f), c), f2u(1.0f));  // exponent only: NOT(128)
    EXPECT_EQ(recpx32(f2u(0.2f), c), f2u(16.0f));
    EXPECT_EQ(recpx32(0x00000005, c), 0x7F000000u);
    EXPECT_EQ(mulx32(f2u(-INFINITY), 0, c), f2u(-2.0f));
    EXPECT_EQ(c.flags, 0u);
}

// ---- random cross-check against the host --------------------------------------

template <typename T>
T random_operand(std::mt19937_64& rng) {
    constexpr bool dbl = sizeof(T) == 8;
    const unsigned F = dbl ? 52 : 23, E = dbl ? 11 : 8;
    const uint64_t r = rng();
    const uint64_t sign = (r & 1) ? (1ull << (F + E)) : 0;
    const uint64_t frac = rng() & ((1ull << F) - 1);
    const uint64_t emax = (1ull << E) - 1;
    uint64_t exp;
    switch ((r >> 1) % 8) {
    case 0: exp = 0; break;                                 // zero/denormal
    case 1: exp = emax - 1 - (r >> 8) % 4; break;           // near overflow
    case 2: exp = 1 + (r >> 8) % 4; break;                  // near underflow
    case 3: return static_cast<T>(sign | (((1ull << (E - 1)) - 1 + (r >> 8) % 3) << F) | (frac & 0xF));
    default: exp = (1ull << (E - 1)) - 20 + (r >> 8) % 40; break;
    }
    if ((r >> 20) % 16 == 0) return static_cast<T>(sign | (exp << F));
    return static_cast<T>(sign | (exp << F) | frac);
}

uint32_t host_flags() {
    const int e = std::fetestexcept(FE_ALL_EXCEPT);
    return ((e & FE_INVALID) ? uint32_t(IOC) : 0u) | ((e & FE_DIVBYZERO) ? uint32_t(DZC) : 0u) | ((e & FE_OVERFLOW) ? uint32_t(OFC) : 0u) |
           ((e & FE_INEXACT) ? uint32_t(IXC) : 0u);
}

template <typename T, typename H, typename Ours>
void cross_check(const char* name, H host, Ours ours) {
    std::mt19937_64 rng(0xF00D);
    const int modes[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
    const Rounding rms[] = {Rounding::TieEven, Rounding::PosInf, Rounding::NegInf, Rounding::Zero};
    const int saved = std::fegetround();
    for (int i = 0; i < 200000; ++i) {
        const T a = random_operand<T>(rng), b = random_operand<T>(rng), d = random_operand<T>(rng);
        const int m = static_cast<int>(rng() % 4);
        std::fesetround(modes[m]);
        std::feclearexcept(FE_ALL_EXCEPT);
        const T h = host(a, b, d);
        const uint32_t hf = host_flags();
        std::fesetround(saved);
        FpCtx c(rmode(rms[m]));
        const T o = ours(a, b, d, c);
        const bool nan = sizeof(T) == 8 ? std::isnan(u2d(h)) : std::isnan(u2f(static_cast<uint32_t>(h)));
        if (nan) {
            ASSERT_TRUE(sizeof(T) == 8 ? is_nan<64>(o) : is_nan<32>(o)) << name;
        } else {
            ASSERT_EQ(o, h) << name << " " << std::hex << a << " " << b << " " << d << " mode " << m;
        }
        ASSERT_EQ(c.flags & ~uint32_t(UFC), hf) << name << " " << std::hex << a << " " << b << " " << d;
    }
}

#define HOST32(expr) [](uint32_t ua, uint32_t ub, uint32_t ud) { \
        volatile float a = u2f(ua), b = u2f(ub), d = u2f(ud); (void)b; (void)d; volatile float r = (expr); return f2u(r); }
#define HOST64(expr) [](uint64_t ua, uint64_t ub, uint64_t ud) { \
        volatile double a = u2d(ua), b = u2d(ub), d = u2d(ud); (void)b; (void)d; volatile double r = (expr); return d2u(r); }

TEST(FpHost, Single) {
    cross_check<uint32_t>("add", HOST32(a + b), [](uint32_t a, uint32_t b, uint32_t, FpCtx& c) { return add32(a, b, c); });
    cross_check<uint32_t>("sub", HOST32(a - b), [](uint32_t a, uint32_t b, uint32_t, FpCtx& c) { return sub32(a, b, c); });
    cross_check<uint32_t>("mul", HOST32(a * b), [](uint32_t a, uint32_t b, uint32_t, FpCtx& c) { return mul32(a, b, c); });
    cross_check<uint32_t>("div", HOST32(a / b), [](uint32_t a, uint32_t b, uint32_t, FpCtx& c) { return div32(a, b, c); });
    cross_check<uint32_t>("sqrt", HOST32(std::sqrt(a)), [](uint32_t a, uint32_t, uint32_t, FpCtx& c) { return sqrt32(a, c); });
    cross_check<uint32_t>("fma", HOST32(std::fma(a, b, d)), [](uint32_t a, uint32_t b, uint32_t d, FpCtx& c) { return muladd32(d, a, b, c); });
}

TEST(FpHost, Double) {
    cross_check<uint64_t>("add", HOST64(a + b), [](uint64_t a, uint64_t b, uint64_t, FpCtx& c) { return add64(a, b, c); });
    cross_check<uint64_t>("sub", HOST64(a - b), [](uint64_t a, uint64_t b, uint64_t, FpCtx& c) { return sub64(a, b, c); });
    cross_check<uint64_t>("mul", HOST64(a * b), [](uint64_t a, uint64_t b, uint64_t, FpCtx& c) { return mul64(a, b, c); });
    cross_check<uint64_t>("div", HOST64(a / b), [](uint64_t a, uint64_t b, uint64_t, FpCtx& c) { return div64(a, b, c); });
    cross_check<uint64_t>("sqrt", HOST64(std::sqrt(a)), [](uint64_t a, uint64_t, uint64_t, FpCtx& c) { return sqrt64(a, c); });
    cross_check<uint64_t>("fma", HOST64(std::fma(a, b, d)), [](uint64_t a, uint64_t b, uint64_t d, FpCtx& c) { return muladd64(d, a, b, c); });
    cross_check<uint64_t>("cvt", HOST64(static_cast<double>(static_cast<float>(a))), [](uint64_t a, uint64_t, uint64_t, FpCtx& c) {
        return d2u(static_cast<double>(u2f(static_cast<uint32_t>(convert(a, 64, 32, c.rmode(), c))))); });
}

}  // namespace
