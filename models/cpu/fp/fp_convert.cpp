// FPRoundInt, FPConvert, FPToFixed, FixedToFP, FPRecipEstimate,
// FPRSqrtEstimate, FPRecpX (Arm ARM J1).
#include "fp_impl.h"

namespace hvsim::cpu::fp {

using namespace detail;

template <unsigned N>
uint64_t round_int(uint64_t a, Rounding rm, bool exact, FpCtx& c) {
    const Unpacked u = unpack(a, N, c);
    if (u.nan()) return process_nan(u, a, N, c);
    if (u.inf()) return infinity(N, u.sign);
    if (u.zero()) return zero(N, u.sign);
    if (u.exp >= 0) return a;  // already integral
    const IntPart p = int_part(u.mant, u.exp);
    u128 v = p.value;
    // The pseudocode rounds the signed value down and corrects; on the
    // magnitude that is rounds_up() with the sign.
    if (rounds_up(p.frac, (v & 1) != 0, u.sign, rm)) v += 1;
    const uint64_t result = v == 0 ? zero(N, u.sign) : round(Real{u.sign, 0, v, false}, N, c, Rounding::Zero);
    if (exact && p.frac != Frac::Exact) c.flags |= IXC;
    return result;
}

namespace {

// FPConvertNaN: keeps the sign and the top fraction bits, sets the quiet bit.
uint64_t convert_nan(uint64_t op, unsigned from, unsigned to) {
    const Format f = format(from), t = format(to);
    const bool sign = (op >> (from - 1)) & 1;
    const uint64_t payload51 = (op & (f.quiet_bit() - 1)) << (51 - (f.F - 1));
    return zero(to, sign) | (t.exp_ones() << t.F) | t.quiet_bit() | (payload51 >> (51 - (t.F - 1)));
}

}  // namespace

uint64_t convert(uint64_t a, unsigned from, unsigned to, Rounding rm, FpCtx& c) {
    const Unpacked u = unpack(a, from, c, c.ahp());
    const bool alt_hp = to == 16 && c.ahp();
    if (u.nan()) {
        uint64_t r;
        if (alt_hp) r = zero(to, u.sign);
        else if (c.dn()) r = default_nan(to);
        else r = convert_nan(a, from, to);
        if (u.type == Type::SNaN || alt_hp) c.flags |= IOC;
        return r;
    }
    if (u.inf()) {
        if (alt_hp) {
            c.flags |= IOC;
            return zero(to, u.sign) | 0x7FFF;
        }
        return infinity(to, u.sign);
    }
    if (u.zero()) return zero(to, u.sign);
    return round(Real{u.sign, u.exp, u.mant, false}, to, c, rm, alt_hp);
}

uint64_t to_fixed(uint64_t a, unsigned n, unsigned int_bits, unsigned fbits, bool is_unsigned, Rounding rm,
                  FpCtx& c) {
    const Unpacked u = unpack(a, n, c);
    if (u.nan()) {
        c.flags |= IOC;
        return 0;
    }
    const u128 lim_pos = is_unsigned ? (u128(1) << int_bits) - 1 : (u128(1) << (int_bits - 1)) - 1;
    const u128 lim_neg = is_unsigned ? 0 : u128(1) << (int_bits - 1);  // magnitude of the most negative
    const uint64_t mask = int_bits == 64 ? ~0ull : (1ull << int_bits) - 1;
    auto saturate = [&](bool neg) {
        c.flags |= IOC;
        return neg ? (0 - static_cast<uint64_t>(lim_neg)) & mask : static_cast<uint64_t>(lim_pos);
    };
    if (u.inf()) return saturate(u.sign);
    if (u.zero()) return 0;
    IntPart p = int_part(u.mant, u.exp + static_cast<int>(fbits));
    if (p.huge) return saturate(u.sign);
    u128 v = p.value;
    if (rounds_up(p.frac, (v & 1) != 0, u.sign, rm)) v += 1;
    if (u.sign ? v > lim_neg : v > lim_pos) return saturate(u.sign);
    if (p.frac != Frac::Exact) c.flags |= IXC;
    const uint64_t mag = static_cast<uint64_t>(v);
    return (u.sign ? 0 - mag : mag) & mask;
}

uint64_t from_fixed(uint64_t v, unsigned int_bits, unsigned fbits, bool is_unsigned, unsigned n, Rounding rm,
                    FpCtx& c) {
    if (int_bits < 64) v &= (1ull << int_bits) - 1;
    bool sign = false;
    if (!is_unsigned && ((v >> (int_bits - 1)) & 1)) {
        sign = true;
        v = (0 - v) & (int_bits == 64 ? ~0ull : (1ull << int_bits) - 1);
    }
    if (v == 0) return 0;
    return round(Real{sign, -static_cast<int>(fbits), v, false}, n, c, rm);
}

unsigned recip_estimate(unsigned a) {
    a = a * 2 + 1;
    const unsigned b = (1u << 19) / a;
    return (b + 1) / 2;
}

unsigned recip_sqrt_estimate(unsigned a) {
    if (a < 256) {
        a = a * 2 + 1;
    } else {
        a = (a >> 1) << 1;
        a = (a + 1) * 2;
    }
    uint64_t b = 512;
    while (uint64_t(a) * (b + 1) * (b + 1) < (1ull << 28)) b += 1;
    return static_cast<unsigned>((b + 1) / 2);
}

namespace {

// The operand's fraction as 52 bits and its biased exponent field.
void fraction52(uint64_t op, unsigned n, uint64_t& fraction, int& exp) {
    const Format f = format(n);
    fraction = (op & f.frac_mask()) << (52 - f.F);
    exp = static_cast<int>((op >> f.F) & f.exp_ones());
}

}  // namespace

template <unsigned N>
uint64_t recpe(uint64_t a, FpCtx& c) {
    const Format f = format(N);
    const Unpacked u = unpack(a, N, c);
    if (u.nan()) return process_nan(u, a, N, c);
    if (u.inf()) return zero(N, u.sign);
    if (u.zero()) {
        c.flags |= DZC;
        return infinity(N, u.sign);
    }
    const int t = magnitude_exp(u);
    if (t < (N == 16 ? -16 : N == 32 ? -128 : -1024)) {
        bool overflow_to_inf;
        switch (c.rmode()) {
        case Rounding::TieEven: overflow_to_inf = true; break;
        case Rounding::PosInf: overflow_to_inf = !u.sign; break;
        case Rounding::NegInf: overflow_to_inf = u.sign; break;
        default: overflow_to_inf = false; break;
        }
        c.flags |= OFC | IXC;
        return overflow_to_inf ? infinity(N, u.sign) : max_normal(N, u.sign);
    }
    if (N != 16 && c.fz() && t >= (N == 32 ? 126 : 1022)) {
        c.flags |= UFC;
        return zero(N, u.sign);
    }
    uint64_t fraction;
    int exp;
    fraction52(a, N, fraction, exp);
    if (exp == 0) {
        if (((fraction >> 51) & 1) == 0) {
            exp = -1;
            fraction = (fraction << 2) & ((1ull << 52) - 1);
        } else {
            fraction = (fraction << 1) & ((1ull << 52) - 1);
        }
    }
    const unsigned scaled = static_cast<unsigned>(0x100 | (fraction >> 44));
    int result_exp = (N == 16 ? 29 : N == 32 ? 253 : 2045) - exp;
    const unsigned estimate = recip_estimate(scaled);
    fraction = static_cast<uint64_t>(estimate & 0xFF) << 44;
    if (result_exp == 0) {
        fraction = (1ull << 51) | (fraction >> 1);
    } else if (result_exp == -1) {
        fraction = (1ull << 50) | (fraction >> 2);
        result_exp = 0;
    }
    return zero(N, u.sign) | (static_cast<uint64_t>(result_exp) << f.F) | (fraction >> (52 - f.F));
}

template <unsigned N>
uint64_t rsqrte(uint64_t a, FpCtx& c) {
    const Format f = format(N);
    const Unpacked u = unpack(a, N, c);
    if (u.nan()) return process_nan(u, a, N, c);
    if (u.zero()) {
        c.flags |= DZC;
        return infinity(N, u.sign);
    }
    if (u.sign) {
        c.flags |= IOC;
        return default_nan(N);
    }
    if (u.inf()) return 0;
    uint64_t fraction;
    int exp;
    fraction52(a, N, fraction, exp);
    if (exp == 0) {
        while (((fraction >> 51) & 1) == 0) {
            fraction = (fraction << 1) & ((1ull << 52) - 1);
            exp -= 1;
        }
        fraction = (fraction << 1) & ((1ull << 52) - 1);
    }
    // An even biased exponent is an odd power of two: 0.5 <= scaled < 1.0;
    // an odd one 0.25 <= scaled < 0.5 (all three biases are odd).
    const unsigned scaled = (exp & 1) == 0 ? static_cast<unsigned>(0x100 | (fraction >> 44))
                                           : static_cast<unsigned>(0x80 | (fraction >> 45));
    const int result_exp = ((N == 16 ? 44 : N == 32 ? 380 : 3068) - exp) / 2;
    const unsigned estimate = recip_sqrt_estimate(scaled);
    return (static_cast<uint64_t>(result_exp) << f.F) | (static_cast<uint64_t>(estimate & 0xFF) << (f.F - 8));
}

template <unsigned N>
uint64_t recpx(uint64_t a, FpCtx& c) {
    const Format f = format(N);
    const Unpacked u = unpack(a, N, c);
    if (u.nan()) return process_nan(u, a, N, c);
    const uint64_t exp = (a >> f.F) & f.exp_ones();
    const uint64_t new_exp = exp == 0 ? f.exp_ones() - 1 : ~exp & f.exp_ones();
    return zero(N, u.sign) | (new_exp << f.F);
}

#define HVSIM_FP_INSTANTIATE(N)                                         \
    template uint64_t round_int<N>(uint64_t, Rounding, bool, FpCtx&);   \
    template uint64_t recpe<N>(uint64_t, FpCtx&);                       \
    template uint64_t rsqrte<N>(uint64_t, FpCtx&);                      \
    template uint64_t recpx<N>(uint64_t, FpCtx&);
HVSIM_FP_INSTANTIATE(16)
HVSIM_FP_INSTANTIATE(32)
HVSIM_FP_INSTANTIATE(64)
#undef HVSIM_FP_INSTANTIATE

}  // namespace hvsim::cpu::fp
