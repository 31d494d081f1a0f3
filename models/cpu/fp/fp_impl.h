// Internals shared by the fp library's sources: formats, FPUnpack, FPRound
// and NaN processing on exact values.
#pragma once

#include <optional>

#include "fp.h"

namespace hvsim::cpu::fp::detail {

using u128 = unsigned __int128;

struct Format {
    unsigned N, E, F;
    int bias() const { return (1 << (E - 1)) - 1; }
    int min_exp() const { return 2 - (1 << (E - 1)); }  // the Arm ARM's minimum_exp
    uint64_t frac_mask() const { return (1ull << F) - 1; }
    uint64_t exp_ones() const { return (1ull << E) - 1; }
    uint64_t sign_bit() const { return 1ull << (N - 1); }
    uint64_t quiet_bit() const { return 1ull << (F - 1); }
};

constexpr Format format(unsigned n) {
    return n == 16 ? Format{16, 5, 10} : n == 32 ? Format{32, 8, 23} : Format{64, 11, 52};
}

enum class Type : uint8_t { Zero, Nonzero, Inf, QNaN, SNaN };

// FPUnpack: value = mant * 2^exp (mant < 2^53) for Nonzero.
struct Unpacked {
    Type type;
    bool sign;
    int exp;
    uint64_t mant;
    bool nan() const { return type == Type::QNaN || type == Type::SNaN; }
    bool inf() const { return type == Type::Inf; }
    bool zero() const { return type == Type::Zero; }
};

// `ahp`: a 16-bit operand is alternative half precision (no Inf/NaN).
// Single and double denormals are flushed to zero (IDC) when FPCR.FZ = 1;
// half precision never is (no FPCR.FZ16 in ARMv8.0).
Unpacked unpack(uint64_t x, unsigned n, FpCtx& c, bool ahp = false);

// An exact nonzero real number: (mant + sticky * epsilon) * 2^exp, where
// epsilon is a positive amount below one unit of mant's lowest bit. mant is
// nonzero and below 2^127; whenever sticky is set mant carries at least 64
// significant bits, so the rounding decision is exact.
struct Real {
    bool sign;
    int exp;
    u128 mant;
    bool sticky;
};

// FPRound(value, fpcr, rounding, N). `ahp_out`: N = 16 is alternative half
// precision.
uint64_t round(const Real& r, unsigned n, FpCtx& c, Rounding rm, bool ahp_out = false);

inline uint64_t zero(unsigned n, bool sign) { return sign ? format(n).sign_bit() : 0; }
inline uint64_t infinity(unsigned n, bool sign) {
    const Format f = format(n);
    return zero(n, sign) | (f.exp_ones() << f.F);
}
inline uint64_t max_normal(unsigned n, bool sign) {
    const Format f = format(n);
    return zero(n, sign) | ((f.exp_ones() - 1) << f.F) | f.frac_mask();
}
uint64_t default_nan(unsigned n);

// FPProcessNaN / FPProcessNaNs / FPProcessNaNs3.
uint64_t process_nan(const Unpacked& u, uint64_t op, unsigned n, FpCtx& c);
std::optional<uint64_t> process_nans(const Unpacked& u1, const Unpacked& u2, uint64_t op1, uint64_t op2, unsigned n,
                                     FpCtx& c);
std::optional<uint64_t> process_nans3(const Unpacked& u1, const Unpacked& u2, const Unpacked& u3, uint64_t op1,
                                      uint64_t op2, uint64_t op3, unsigned n, FpCtx& c);

inline int top_bit(u128 x) {
    const uint64_t hi = static_cast<uint64_t>(x >> 64);
    return hi ? 127 - __builtin_clzll(hi) : 63 - __builtin_clzll(static_cast<uint64_t>(x));
}

// Position of the highest set bit of the value: |value| in [2^t, 2^(t+1)).
inline int magnitude_exp(const Unpacked& u) { return u.exp + top_bit(u.mant); }

// Where a magnitude's discarded fraction lies: exactly zero, below half a
// unit, exactly half, above half.
enum class Frac : uint8_t { Exact, Below, Half, Above };

// The integer part of mant * 2^exp and its discarded fraction.
struct IntPart {
    u128 value;
    Frac frac;
    bool huge;  // the integer part does not fit in 100 bits
};
IntPart int_part(uint64_t mant, int exp);

// Whether a magnitude truncated with fraction `fr` rounds up in mode rm.
bool rounds_up(Frac fr, bool odd, bool sign, Rounding rm);

}  // namespace hvsim::cpu::fp::detail
