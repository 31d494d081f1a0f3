// The SIMD&FP register file V0..V31 (Arm ARM D1.2.2), viewed as elements.
//
// ArchState::v[n] holds the 128 bits of Vn as two little-endian 64-bit halves
// (v[n][0] = bits [63:0]). Scalar and 64-bit vector writes clear the bits
// above the written width (Arm ARM: "V[] ... writes zero the upper bits"):
// use set_vreg64/set_scalar, never a partial write, for those.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "arch_state.h"

namespace hvsim::cpu {

using Vec128 = std::array<uint64_t, 2>;

// Element `i` of type T (uint8_t..uint64_t, or float/double bit patterns via
// the unsigned type of the same size) of Vn.
template <typename T>
inline T velem(const ArchState& s, unsigned n, unsigned i) {
    static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= 8);
    T out;
    std::memcpy(&out, reinterpret_cast<const uint8_t*>(s.v[n].data()) + i * sizeof(T), sizeof(T));
    return out;
}

template <typename T>
inline void set_velem(ArchState& s, unsigned n, unsigned i, T x) {
    static_assert(std::is_trivially_copyable_v<T> && sizeof(T) <= 8);
    std::memcpy(reinterpret_cast<uint8_t*>(s.v[n].data()) + i * sizeof(T), &x, sizeof(T));
}

// The whole 128-bit register, and writes that set it as a whole.
inline Vec128 vreg(const ArchState& s, unsigned n) { return s.v[n]; }
inline void set_vreg(ArchState& s, unsigned n, const Vec128& x) { s.v[n] = x; }
// A 64-bit vector (Q = 0) or D-register write: bits [127:64] become zero.
inline void set_vreg64(ArchState& s, unsigned n, uint64_t lo) { s.v[n] = {lo, 0}; }
// A scalar write of `bytes` (1, 2, 4, 8): every bit above it becomes zero.
inline void set_scalar(ArchState& s, unsigned n, uint64_t x, unsigned bytes) {
    const uint64_t mask = bytes >= 8 ? ~0ull : (1ull << (bytes * 8)) - 1;
    s.v[n] = {x & mask, 0};
}
inline uint64_t scalar(const ArchState& s, unsigned n, unsigned bytes) {
    const uint64_t mask = bytes >= 8 ? ~0ull : (1ull << (bytes * 8)) - 1;
    return s.v[n][0] & mask;
}

}  // namespace hvsim::cpu
