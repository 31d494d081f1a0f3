// FPUnpack, FPRound and NaN processing (Arm ARM J1, shared/functions/float).
#include "fp_impl.h"

namespace hvsim::cpu::fp::detail {

Unpacked unpack(uint64_t x, unsigned n, FpCtx& c, bool ahp) {
    const Format f = format(n);
    Unpacked u{Type::Zero, ((x >> (n - 1)) & 1) != 0, 0, 0};
    const uint64_t e = (x >> f.F) & f.exp_ones();
    const uint64_t frac = x & f.frac_mask();
    if (e == 0) {
        if (frac == 0) return u;
        if (n != 16 && c.fz()) {
            c.flags |= IDC;  // FPExc_InputDenorm
            return u;
        }
        u.type = Type::Nonzero;
        u.mant = frac;
        u.exp = f.min_exp() - static_cast<int>(f.F);
        return u;
    }
    if (e == f.exp_ones() && !(n == 16 && ahp)) {
        u.type = frac == 0 ? Type::Inf : (frac & f.quiet_bit()) ? Type::QNaN : Type::SNaN;
        return u;
    }
    u.type = Type::Nonzero;
    u.mant = frac | (1ull << f.F);
    u.exp = static_cast<int>(e) - f.bias() - static_cast<int>(f.F);
    return u;
}

uint64_t default_nan(unsigned n) {
    const Format f = format(n);
    return (f.exp_ones() << f.F) | f.quiet_bit();
}

bool rounds_up(Frac fr, bool odd, bool sign, Rounding rm) {
    switch (rm) {
    case Rounding::TieEven: return fr == Frac::Above || (fr == Frac::Half && odd);
    case Rounding::TieAway: return fr == Frac::Above || fr == Frac::Half;
    case Rounding::PosInf: return fr != Frac::Exact && !sign;
    case Rounding::NegInf: return fr != Frac::Exact && sign;
    default: return false;  // Zero, Odd
    }
}

uint64_t round(const Real& r, unsigned n, FpCtx& c, Rounding rm, bool ahp_out) {
    const Format f = format(n);
    u128 mant = r.mant;
    bool sticky = r.sticky;
    int exp = r.exp;
    const int top = top_bit(mant);
    if (top > 126) {
        sticky |= (mant & 1) != 0;
        mant >>= 1;
        exp += 1;
    } else {
        mant <<= (126 - top);
        exp -= (126 - top);
    }
    // |value| in [2^exponent, 2^(exponent+1)).
    const int exponent = exp + 126;
    const uint64_t sign = r.sign ? f.sign_bit() : 0;

    // Flush-to-zero tests the exponent before rounding and raises UFC only
    // (FPRound: "if fpcr.FZ == '1' && N != 16 && exponent < minimum_exp").
    if (n != 16 && c.fz() && exponent < f.min_exp()) {
        c.flags |= UFC;
        return sign;
    }
    int biased_exp = exponent - f.min_exp() + 1;
    if (biased_exp < 0) biased_exp = 0;
    const int drop = 126 - static_cast<int>(f.F) + (biased_exp == 0 ? f.min_exp() - exponent : 0);
    u128 int_mant = 0;
    Frac fr;
    if (drop >= 128) {
        fr = Frac::Below;  // mant < 2^127 <= half a unit
    } else {
        int_mant = mant >> drop;
        const u128 rem = mant & ((u128(1) << drop) - 1);
        const u128 half = u128(1) << (drop - 1);
        fr = (rem == 0 && !sticky) ? Frac::Exact
             : rem < half          ? Frac::Below
             : rem == half         ? (sticky ? Frac::Above : Frac::Half)
                                   : Frac::Above;
    }
    // Underflow is tininess before rounding, and only when inexact (UFE = 0).
    if (biased_exp == 0 && fr != Frac::Exact) c.flags |= UFC;

    bool overflow_to_inf;
    switch (rm) {
    case Rounding::TieEven:
    case Rounding::TieAway: overflow_to_inf = true; break;
    case Rounding::PosInf: overflow_to_inf = !r.sign; break;
    case Rounding::NegInf: overflow_to_inf = r.sign; break;
    default: overflow_to_inf = false; break;
    }
    if (rounds_up(fr, (int_mant & 1) != 0, r.sign, rm)) {
        int_mant += 1;
        if (int_mant == (u128(1) << f.F)) biased_exp = 1;  // denormal rounded up to normal
        if (int_mant == (u128(1) << (f.F + 1))) {
            biased_exp += 1;
            int_mant >>= 1;
        }
    }
    if (fr != Frac::Exact && rm == Rounding::Odd) int_mant |= 1;

    bool inexact = fr != Frac::Exact;
    uint64_t result;
    const uint64_t bits = sign | (static_cast<uint64_t>(biased_exp) << f.F) | (static_cast<uint64_t>(int_mant) & f.frac_mask());
    if (!(n == 16 && ahp_out)) {
        if (biased_exp >= static_cast<int>(f.exp_ones())) {
            result = overflow_to_inf ? infinity(n, r.sign) : max_normal(n, r.sign);
            c.flags |= OFC;
            inexact = true;
        } else {
            result = bits;
        }
    } else {
        // Alternative half precision has no infinity: saturate with IOC.
        if (biased_exp >= static_cast<int>(f.exp_ones()) + 1) {
            result = sign | 0x7FFF;
            c.flags |= IOC;
            inexact = false;
        } else {
            result = bits;
        }
    }
    if (inexact) c.flags |= IXC;
    return result;
}

uint64_t process_nan(const Unpacked& u, uint64_t op, unsigned n, FpCtx& c) {
    uint64_t result = op;
    if (u.type == Type::SNaN) {
        result |= format(n).quiet_bit();
        c.flags |= IOC;
    }
    if (c.dn()) result = default_nan(n);
    return result;
}

std::optional<uint64_t> process_nans(const Unpacked& u1, const Unpacked& u2, uint64_t op1, uint64_t op2, unsigned n,
                                     FpCtx& c) {
    if (u1.type == Type::SNaN) return process_nan(u1, op1, n, c);
    if (u2.type == Type::SNaN) return process_nan(u2, op2, n, c);
    if (u1.type == Type::QNaN) return process_nan(u1, op1, n, c);
    if (u2.type == Type::QNaN) return process_nan(u2, op2, n, c);
    return std::nullopt;
}

std::optional<uint64_t> process_nans3(const Unpacked& u1, const Unpacked& u2, const Unpacked& u3, uint64_t op1,
                                      uint64_t op2, uint64_t op3, unsigned n, FpCtx& c) {
    if (u1.type == Type::SNaN) return process_nan(u1, op1, n, c);
    if (u2.type == Type::SNaN) return process_nan(u2, op2, n, c);
    if (u3.type == Type::SNaN) return process_nan(u3, op3, n, c);
    if (u1.type == Type::QNaN) return process_nan(u1, op1, n, c);
    if (u2.type == Type::QNaN) return process_nan(u2, op2, n, c);
    if (u3.type == Type::QNaN) return process_nan(u3, op3, n, c);
    return std::nullopt;
}

IntPart int_part(uint64_t mant, int exp) {
    IntPart p{0, Frac::Exact, false};
    if (exp >= 0) {
        if (mant && exp + 63 - __builtin_clzll(mant) >= 100) p.huge = true;
        else p.value = u128(mant) << exp;
        return p;
    }
    const int sh = -exp;
    if (sh >= 64) {
        // mant < 2^53: the value is below 2^-11, so below half.
        p.frac = mant ? Frac::Below : Frac::Exact;
        return p;
    }
    p.value = mant >> sh;
    const uint64_t rem = mant & ((1ull << sh) - 1);
    const uint64_t half = 1ull << (sh - 1);
    p.frac = rem == 0 ? Frac::Exact : rem < half ? Frac::Below : rem == half ? Frac::Half : Frac::Above;
    return p;
}

}  // namespace hvsim::cpu::fp::detail
