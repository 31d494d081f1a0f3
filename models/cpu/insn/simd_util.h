// Shared helpers of the Advanced SIMD handlers (simd_*.cpp): elements of a
// 128-bit value, saturation with FPSR.QC, and the register write rules.
//
// Elements are carried as uint64_t holding the esize-bit pattern; signed
// operations sign-extend with sx(). Intermediate results that the Arm ARM
// computes on unbounded integers use __int128, which holds every product,
// sum and rounding constant of 64-bit operands.
#pragma once

#include <cstdint>

#include "models/cpu/core.h"
#include "models/cpu/vreg.h"

namespace hvsim::cpu::insn::simd {

using i128 = __int128;

inline uint64_t mask_of(unsigned esize) { return esize >= 64 ? ~0ull : (1ull << esize) - 1; }

inline uint64_t el(const Vec128& v, unsigned i, unsigned esize) {
    const unsigned bit = i * esize;
    return (v[bit / 64] >> (bit % 64)) & mask_of(esize);
}

inline void set_el(Vec128& v, unsigned i, unsigned esize, uint64_t x) {
    const unsigned bit = i * esize;
    const uint64_t m = mask_of(esize) << (bit % 64);
    v[bit / 64] = (v[bit / 64] & ~m) | ((x << (bit % 64)) & m);
}

inline int64_t sx(uint64_t x, unsigned esize) {
    return esize >= 64 ? static_cast<int64_t>(x) : static_cast<int64_t>(x << (64 - esize)) >> (64 - esize);
}

// The operand as the Arm ARM's Int(x, unsigned).
inline i128 as_int(uint64_t x, unsigned esize, bool is_unsigned) {
    return is_unsigned ? static_cast<i128>(x & mask_of(esize)) : static_cast<i128>(sx(x, esize));
}

// v * 2^s without the undefined left shift of a negative value.
inline i128 shl(i128 v, unsigned s) { return static_cast<i128>(static_cast<unsigned __int128>(v) << s); }

// SignedSatQ/UnsignedSatQ (Arm ARM J1): the saturated value, `sat` set when
// it saturated.
inline uint64_t sat_signed(i128 v, unsigned esize, bool& sat) {
    const i128 hi = (static_cast<i128>(1) << (esize - 1)) - 1, lo = -(static_cast<i128>(1) << (esize - 1));
    if (v > hi) { sat = true; v = hi; }
    if (v < lo) { sat = true; v = lo; }
    return static_cast<uint64_t>(v) & mask_of(esize);
}
inline uint64_t sat_unsigned(i128 v, unsigned esize, bool& sat) {
    const i128 hi = (static_cast<i128>(1) << esize) - 1;
    if (v > hi) { sat = true; v = hi; }
    if (v < 0) { sat = true; v = 0; }
    return static_cast<uint64_t>(v);
}
inline uint64_t sat(i128 v, unsigned esize, bool is_unsigned, bool& q) {
    return is_unsigned ? sat_unsigned(v, esize, q) : sat_signed(v, esize, q);
}

// SQDMULH/SQRDMULH of one element pair (`round`: SQRDMULH).
inline uint64_t qdmulh(unsigned esize, uint64_t a, uint64_t b, bool round, bool& q) {
    const i128 r = round ? static_cast<i128>(1) << (esize - 1) : 0;
    return sat_signed((2 * as_int(a, esize, false) * as_int(b, esize, false) + r) >> esize, esize, q);
}

// SQDMULL of one element pair, then the saturating accumulate of SQDMLAL
// (acc_op > 0) or SQDMLSL (acc_op < 0): both steps saturate to 2*esize.
inline uint64_t qdmull(int acc_op, unsigned esize, uint64_t a, uint64_t b, uint64_t acc, bool& q) {
    const unsigned w = 2 * esize;
    const uint64_t prod = sat_signed(2 * as_int(a, esize, false) * as_int(b, esize, false), w, q);
    if (acc_op == 0) return prod;
    const i128 p = sx(prod, w), d = sx(acc, w);
    return sat_signed(acc_op > 0 ? d + p : d - p, w, q);
}

// FPSR.QC, the cumulative saturation bit.
inline void set_qc(Core& c, bool q) {
    if (q) c.sr(SR::FPSR) |= 1ull << 27;
}

// V[d] = the low 64 bits of r (Q = 0, upper half zeroed) or all of it.
inline void write_vec(Core& c, unsigned d, const Vec128& r, bool q) {
    if (q) set_vreg(c.st, d, r);
    else set_vreg64(c.st, d, r[0]);
}

inline Vec128 rd_vec(const Core& c, unsigned n) { return vreg(c.st, n); }

// Integer shift of an unbounded value: `v << shift`, or the floor of
// `v / 2^-shift` for a negative shift, as the Arm ARM shifts integers.
// |v| <= 2^65. A left shift out of the i128 range only matters as "very
// large" (saturated) and by its low 64 bits (truncated): +-2^126 plus the
// exact low bits keeps both.
inline i128 ishift(i128 v, int shift) {
    if (shift >= 0) {
        const i128 big = static_cast<i128>(1) << 126;
        if (shift >= 64) return v == 0 ? 0 : v < 0 ? -big : big;
        const i128 lim = static_cast<i128>(1) << (126 - shift);
        if (v < lim && v > -lim) return shl(v, static_cast<unsigned>(shift));
        return (v < 0 ? -big : big) + static_cast<i128>(static_cast<uint64_t>(v) << shift);
    }
    if (shift <= -127) return v < 0 ? -1 : 0;
    return v >> (-shift);
}

// Vector element loop: r[i] = f(i) for the elements of a 64-bit (Q = 0) or
// 128-bit vector, then the write with the zeroing rule.
template <typename F>
inline void vmap(Core& c, unsigned d, bool q, unsigned esize, F f) {
    Vec128 r{0, 0};
    const unsigned n = (q ? 128 : 64) / esize;
    for (unsigned i = 0; i < n; ++i) set_el(r, i, esize, f(i));
    write_vec(c, d, r, q);
}

}  // namespace hvsim::cpu::insn::simd
