// IEEE 754 floating point as the Arm ARM's pseudocode defines it for AArch64
// (ARMv8.0: FPCR.AHP/DN/FZ/RMode, FPSR cumulative flags, no trapping).
//
// Operands and results are raw bit patterns (uint16_t half, uint32_t single,
// uint64_t double). Every operation takes an FpCtx: the FPCR it runs under and
// the FPSR cumulative flags it raises (OR-ed into ctx.flags, never cleared).
// The arithmetic is done in software on exact integers, so results and flags
// do not depend on the host's floating-point environment.
//
// Naming follows the Arm ARM functions: add = FPAdd, muladd = FPMulAdd
// (addend first, fused), max/min = FPMax/FPMin, maxnm/minnm = FPMaxNum/
// FPMinNum, compare = FPCompare, round_int = FPRoundInt, convert = FPConvert,
// to_fixed = FPToFixed, from_fixed = FixedToFP, recpe/rsqrte = FPRecipEstimate/
// FPRSqrtEstimate, recps/rsqrts = FPRecipStepFused/FPRSqrtStepFused, recpx =
// FPRecpX, mulx = FPMulX. Each exists as a template over the width N (16, 32,
// 64) and as add16/add32/add64-style wrappers.
#pragma once

#include <cstdint>

namespace hvsim::cpu::fp {

// FPSR cumulative exception bits (Arm ARM D13.2.49).
enum Flag : uint32_t {
    IOC = 1u << 0,  // invalid operation
    DZC = 1u << 1,  // divide by zero
    OFC = 1u << 2,  // overflow
    UFC = 1u << 3,  // underflow
    IXC = 1u << 4,  // inexact
    IDC = 1u << 7,  // input denormal (flushed by FZ)
};
constexpr uint32_t kFlagMask = IOC | DZC | OFC | UFC | IXC | IDC;

// FPRounding. The first four are FPCR.RMode values.
enum class Rounding : uint8_t { TieEven = 0, PosInf = 1, NegInf = 2, Zero = 3, TieAway = 4, Odd = 5 };

struct FpCtx {
    uint32_t fpcr = 0;
    uint32_t flags = 0;  // FPSR cumulative bits raised so far

    FpCtx() = default;
    explicit FpCtx(uint64_t fpcr_value) : fpcr(static_cast<uint32_t>(fpcr_value)) {}

    bool ahp() const { return (fpcr >> 26) & 1; }
    bool dn() const { return (fpcr >> 25) & 1; }
    bool fz() const { return (fpcr >> 24) & 1; }
    Rounding rmode() const { return static_cast<Rounding>((fpcr >> 22) & 3); }
};

// FPCompare's NZCV result: 0110 equal, 1000 less, 0010 greater, 0011 unordered.
constexpr unsigned kNzcvEq = 0x6, kNzcvLt = 0x8, kNzcvGt = 0x2, kNzcvUn = 0x3;

template <unsigned N> uint64_t add(uint64_t a, uint64_t b, FpCtx& c);
template <unsigned N> uint64_t sub(uint64_t a, uint64_t b, FpCtx& c);
template <unsigned N> uint64_t mul(uint64_t a, uint64_t b, FpCtx& c);
template <unsigned N> uint64_t mulx(uint64_t a, uint64_t b, FpCtx& c);
template <unsigned N> uint64_t div(uint64_t a, uint64_t b, FpCtx& c);
// addend + op1 * op2 with a single rounding. FMSUB/FNMADD/FNMSUB negate
// operands with neg() first (the Arm ARM negates NaN operands too).
template <unsigned N> uint64_t muladd(uint64_t addend, uint64_t op1, uint64_t op2, FpCtx& c);
template <unsigned N> uint64_t sqrt(uint64_t a, FpCtx& c);
template <unsigned N> uint64_t max(uint64_t a, uint64_t b, FpCtx& c);
template <unsigned N> uint64_t min(uint64_t a, uint64_t b, FpCtx& c);
template <unsigned N> uint64_t maxnm(uint64_t a, uint64_t b, FpCtx& c);
template <unsigned N> uint64_t minnm(uint64_t a, uint64_t b, FpCtx& c);
// FPCompare: NZCV in bits [3:0]. signal_nans: FCMPE (quiet NaNs raise IOC too).
template <unsigned N> unsigned compare(uint64_t a, uint64_t b, bool signal_nans, FpCtx& c);
// FPCompareEQ/GE/GT (the Advanced SIMD comparisons): true/false.
template <unsigned N> bool compare_eq(uint64_t a, uint64_t b, FpCtx& c);
template <unsigned N> bool compare_ge(uint64_t a, uint64_t b, FpCtx& c);
template <unsigned N> bool compare_gt(uint64_t a, uint64_t b, FpCtx& c);
// FPRoundInt: FRINTN/P/M/Z/A pass their mode, FRINTI/X ctx.rmode();
// exact (FRINTX) raises IXC when the result differs from the operand.
template <unsigned N> uint64_t round_int(uint64_t a, Rounding r, bool exact, FpCtx& c);
template <unsigned N> uint64_t recpe(uint64_t a, FpCtx& c);
template <unsigned N> uint64_t rsqrte(uint64_t a, FpCtx& c);
template <unsigned N> uint64_t recps(uint64_t a, uint64_t b, FpCtx& c);
template <unsigned N> uint64_t rsqrts(uint64_t a, uint64_t b, FpCtx& c);
template <unsigned N> uint64_t recpx(uint64_t a, FpCtx& c);

// FPConvert from `from` to `to` bits (16, 32, 64). A 16-bit side is
// alternative half precision when ctx.ahp().
uint64_t convert(uint64_t a, unsigned from, unsigned to, Rounding r, FpCtx& c);
// FPToFixed: an N-bit float to an int_bits-bit (32 or 64) integer with
// `fbits` fraction bits, saturating (IOC on saturation or NaN, else IXC if
// inexact). The result is the integer's bit pattern, zero-extended.
uint64_t to_fixed(uint64_t a, unsigned n, unsigned int_bits, unsigned fbits, bool is_unsigned, Rounding r,
                  FpCtx& c);
// FixedToFP: the low int_bits of `v` (signed unless is_unsigned) / 2^fbits,
// rounded to an N-bit float.
uint64_t from_fixed(uint64_t v, unsigned int_bits, unsigned fbits, bool is_unsigned, unsigned n, Rounding r,
                    FpCtx& c);

// RecipEstimate / RecipSqrtEstimate on the 9-bit fixed-point operand (also
// what URECPE/URSQRTE use).
unsigned recip_estimate(unsigned a);
unsigned recip_sqrt_estimate(unsigned a);

// Sign operations (no exceptions, NaNs included).
template <unsigned N> constexpr uint64_t neg(uint64_t a) { return a ^ (1ull << (N - 1)); }
template <unsigned N> constexpr uint64_t abs(uint64_t a) { return a & ~(1ull << (N - 1)); }
template <unsigned N> constexpr uint64_t default_nan() {
    return N == 16 ? 0x7E00 : N == 32 ? 0x7FC00000u : 0x7FF8000000000000ull;
}
template <unsigned N> constexpr bool is_nan(uint64_t a) {
    constexpr unsigned F = N == 16 ? 10 : N == 32 ? 23 : 52;
    constexpr uint64_t exp_mask = ((1ull << (N - 1 - F)) - 1) << F;
    return (a & exp_mask) == exp_mask && (a & ((1ull << F) - 1)) != 0;
}

#define HVSIM_FP_WRAP(N, T)                                                                             \
    inline T add##N(T a, T b, FpCtx& c) { return static_cast<T>(add<N>(a, b, c)); }                    \
    inline T sub##N(T a, T b, FpCtx& c) { return static_cast<T>(sub<N>(a, b, c)); }                    \
    inline T mul##N(T a, T b, FpCtx& c) { return static_cast<T>(mul<N>(a, b, c)); }                    \
    inline T mulx##N(T a, T b, FpCtx& c) { return static_cast<T>(mulx<N>(a, b, c)); }                  \
    inline T div##N(T a, T b, FpCtx& c) { return static_cast<T>(div<N>(a, b, c)); }                    \
    inline T muladd##N(T a, T b, T d, FpCtx& c) { return static_cast<T>(muladd<N>(a, b, d, c)); }      \
    inline T sqrt##N(T a, FpCtx& c) { return static_cast<T>(sqrt<N>(a, c)); }                          \
    inline T max##N(T a, T b, FpCtx& c) { return static_cast<T>(max<N>(a, b, c)); }                    \
    inline T min##N(T a, T b, FpCtx& c) { return static_cast<T>(min<N>(a, b, c)); }                    \
    inline T maxnm##N(T a, T b, FpCtx& c) { return static_cast<T>(maxnm<N>(a, b, c)); }                \
    inline T minnm##N(T a, T b, FpCtx& c) { return static_cast<T>(minnm<N>(a, b, c)); }                \
    inline unsigned compare##N(T a, T b, bool s, FpCtx& c) { return compare<N>(a, b, s, c); }          \
    inline T round_int##N(T a, Rounding r, bool x, FpCtx& c) { return static_cast<T>(round_int<N>(a, r, x, c)); } \
    inline T recpe##N(T a, FpCtx& c) { return static_cast<T>(recpe<N>(a, c)); }                        \
    inline T rsqrte##N(T a, FpCtx& c) { return static_cast<T>(rsqrte<N>(a, c)); }                      \
    inline T recps##N(T a, T b, FpCtx& c) { return static_cast<T>(recps<N>(a, b, c)); }                \
    inline T rsqrts##N(T a, T b, FpCtx& c) { return static_cast<T>(rsqrts<N>(a, b, c)); }              \
    inline T recpx##N(T a, FpCtx& c) { return static_cast<T>(recpx<N>(a, c)); }
HVSIM_FP_WRAP(16, uint16_t)
HVSIM_FP_WRAP(32, uint32_t)
HVSIM_FP_WRAP(64, uint64_t)
#undef HVSIM_FP_WRAP

}  // namespace hvsim::cpu::fp
