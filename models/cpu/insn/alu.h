// Shared pseudocode helpers of the Arm ARM (J1 "shared pseudocode"), in the
// form the handlers use them.
#pragma once

#include <cstdint>

namespace hvsim::cpu::insn {

inline uint64_t width_mask(unsigned datasize) { return datasize == 64 ? ~0ull : (1ull << datasize) - 1; }

inline uint64_t sign_extend(uint64_t v, unsigned bits) {
    return bits >= 64 ? v : static_cast<uint64_t>(static_cast<int64_t>(v << (64 - bits)) >> (64 - bits));
}

inline uint64_t ror(uint64_t v, unsigned amount, unsigned datasize) {
    amount %= datasize;
    v &= width_mask(datasize);
    if (amount == 0) return v;
    return ((v >> amount) | (v << (datasize - amount))) & width_mask(datasize);
}

struct Flags {
    bool n, z, c, v;
};

// AddWithCarry(): the result and NZCV of x + y + carry at `datasize` bits.
inline uint64_t add_with_carry(uint64_t x, uint64_t y, bool carry, unsigned datasize, Flags& f) {
    const uint64_t m = width_mask(datasize);
    x &= m;
    y &= m;
    uint64_t result;
    if (datasize == 64) {
        unsigned __int128 u = static_cast<unsigned __int128>(x) + y + carry;
        result = static_cast<uint64_t>(u);
        f.c = (u >> 64) != 0;
        f.v = ((~(x ^ y) & (x ^ result)) >> 63) & 1;
    } else {
        uint64_t u = x + y + carry;
        result = u & m;
        f.c = (u >> 32) != 0;
        f.v = ((~(x ^ y) & (x ^ result)) >> 31) & 1;
    }
    f.n = (result >> (datasize - 1)) & 1;
    f.z = result == 0;
    return result;
}

// ShiftReg(): shift type 0 LSL, 1 LSR, 2 ASR, 3 ROR; amount < datasize.
inline uint64_t shift_reg(uint64_t v, unsigned type, unsigned amount, unsigned datasize) {
    const uint64_t m = width_mask(datasize);
    v &= m;
    switch (type) {
    case 0: return amount >= 64 ? 0 : (v << amount) & m;
    case 1: return amount >= 64 ? 0 : v >> amount;
    case 2: {
        int64_t sv = static_cast<int64_t>(sign_extend(v, datasize));
        return static_cast<uint64_t>(sv >> (amount > 63 ? 63 : amount)) & m;
    }
    default: return ror(v, amount, datasize);
    }
}

// ExtendReg(): option 0..7 = UXTB, UXTH, UXTW, UXTX, SXTB, SXTH, SXTW, SXTX,
// then LSL by `shift` (0..4), truncated to datasize.
inline uint64_t extend_reg(uint64_t v, unsigned option, unsigned shift, unsigned datasize) {
    unsigned len = 8u << (option & 3);
    uint64_t x = len == 64 ? v : v & ((1ull << len) - 1);
    if (option & 4) x = sign_extend(x, len);
    return (x << shift) & width_mask(datasize);
}

// DecodeBitMasks() (Arm ARM J1.1.3): false for a reserved encoding.
inline bool decode_bit_masks(unsigned n, unsigned imms, unsigned immr, bool immediate, unsigned datasize,
                             uint64_t& wmask, uint64_t& tmask) {
    unsigned combined = (n << 6) | (~imms & 0x3F);
    int len = -1;
    for (int i = 6; i >= 0; --i)
        if ((combined >> i) & 1) {
            len = i;
            break;
        }
    if (len < 1) return false;
    unsigned esize = 1u << len;
    if (esize > datasize) return false;
    unsigned levels = esize - 1;
    if (immediate && (imms & levels) == levels) return false;
    unsigned s = imms & levels, r = immr & levels;
    unsigned diff = (s - r) & levels;
    uint64_t emask = esize == 64 ? ~0ull : (1ull << esize) - 1;
    uint64_t welem = (s + 1 == 64) ? ~0ull : ((1ull << (s + 1)) - 1);
    uint64_t telem = (diff + 1 == 64) ? ~0ull : ((1ull << (diff + 1)) - 1);
    welem = ror(welem & emask, r, esize);
    wmask = 0;
    tmask = 0;
    for (unsigned i = 0; i < datasize; i += esize) {
        wmask |= welem << i;
        tmask |= (telem & emask) << i;
    }
    wmask &= width_mask(datasize);
    tmask &= width_mask(datasize);
    return true;
}

}  // namespace hvsim::cpu::insn
