// FPAdd, FPSub, FPMul, FPMulX, FPDiv, FPMulAdd, FPSqrt, FPRecipStepFused,
// FPRSqrtStepFused (Arm ARM J1, shared/functions/float).
#include "fp_impl.h"

namespace hvsim::cpu::fp {

using namespace detail;

namespace {

// A signed exact term mant * 2^exp with mant < 2^107.
struct Term {
    bool sign;
    int exp;
    u128 mant;
};

Term term(const Unpacked& u) { return Term{u.sign, u.exp, u.mant}; }

// The exact sum of two terms; mant == 0 and !sticky when it is exactly zero.
Real sum(Term x, Term y) {
    if (y.mant == 0) return Real{x.sign, x.exp, x.mant, false};
    if (x.mant == 0) return Real{y.sign, y.exp, y.mant, false};
    // Align both to bit 125: at least 19 zero bits at the bottom of each, so
    // any shift that loses bits (d > 19) leaves no catastrophic cancellation.
    auto norm = [](Term& t) {
        const int s = 125 - top_bit(t.mant);
        t.mant <<= s;
        t.exp -= s;
    };
    norm(x);
    norm(y);
    if (x.exp < y.exp || (x.exp == y.exp && x.mant < y.mant)) std::swap(x, y);
    const int d = x.exp - y.exp;
    u128 ym = 0;
    bool st = false;
    if (d >= 127) {
        st = true;
    } else {
        ym = y.mant >> d;
        st = (y.mant & ((u128(1) << d) - 1)) != 0;
    }
    Real r{x.sign, x.exp, 0, st};
    if (x.sign == y.sign) r.mant = x.mant + ym;
    else r.mant = x.mant - ym - (st ? 1 : 0);  // x - (ym + frac) = (x - ym - 1) + (1 - frac)
    return r;
}

// Rounds an exact sum; an exact zero takes its sign from the rounding mode.
uint64_t round_sum(const Real& r, unsigned n, FpCtx& c) {
    const Rounding rm = c.rmode();
    if (r.mant == 0 && !r.sticky) return zero(n, rm == Rounding::NegInf);
    return round(r, n, c, rm);
}

template <unsigned N>
uint64_t add_sub(uint64_t a, uint64_t b, bool subtract, FpCtx& c) {
    const Unpacked u1 = unpack(a, N, c), u2 = unpack(b, N, c);
    if (auto r = process_nans(u1, u2, a, b, N, c)) return *r;
    const bool s2 = u2.sign != subtract;
    if (u1.inf() && u2.inf() && u1.sign != s2) {
        c.flags |= IOC;
        return default_nan(N);
    }
    if ((u1.inf() && !u1.sign) || (u2.inf() && !s2)) return infinity(N, false);
    if ((u1.inf() && u1.sign) || (u2.inf() && s2)) return infinity(N, true);
    if (u1.zero() && u2.zero() && u1.sign == s2) return zero(N, u1.sign);
    return round_sum(sum(term(u1), Term{s2, u2.exp, u2.mant}), N, c);
}

template <unsigned N>
uint64_t mul_common(uint64_t a, uint64_t b, bool x, FpCtx& c) {
    const Unpacked u1 = unpack(a, N, c), u2 = unpack(b, N, c);
    if (auto r = process_nans(u1, u2, a, b, N, c)) return *r;
    const bool sign = u1.sign != u2.sign;
    if ((u1.inf() && u2.zero()) || (u1.zero() && u2.inf())) {
        if (x) return zero(N, sign) | (uint64_t(1) << (N - 2));  // FPTwo(sign)
        c.flags |= IOC;
        return default_nan(N);
    }
    if (u1.inf() || u2.inf()) return infinity(N, sign);
    if (u1.zero() || u2.zero()) return zero(N, sign);
    return round(Real{sign, u1.exp + u2.exp, u128(u1.mant) * u2.mant, false}, N, c, c.rmode());
}

// FPRecipStepFused (2 - a*b) and FPRSqrtStepFused ((3 - a*b) / 2).
template <unsigned N>
uint64_t step_fused(uint64_t a, uint64_t b, bool rsqrt, FpCtx& c) {
    a = neg<N>(a);
    const Unpacked u1 = unpack(a, N, c), u2 = unpack(b, N, c);
    if (auto r = process_nans(u1, u2, a, b, N, c)) return *r;
    const Format f = format(N);
    if ((u1.inf() && u2.zero()) || (u1.zero() && u2.inf())) {
        // FPTwo('0') or FPOnePointFive('0').
        const uint64_t one_exp = static_cast<uint64_t>(f.bias());
        return rsqrt ? (one_exp << f.F) | f.quiet_bit() : (one_exp + 1) << f.F;
    }
    if (u1.inf() || u2.inf()) return infinity(N, u1.sign != u2.sign);
    Term p{u1.sign != u2.sign, u1.exp + u2.exp, u128(u1.mant) * u2.mant};
    Term k{false, 0, 2};
    if (rsqrt) {
        k = Term{false, -1, 3};
        p.exp -= 1;
    }
    return round_sum(sum(k, p), N, c);
}

u128 isqrt(u128 v, u128& rem) {
    u128 res = 0, one = u128(1) << 126;
    while (one > v) one >>= 2;
    while (one != 0) {
        if (v >= res + one) {
            v -= res + one;
            res = (res >> 1) + one;
        } else {
            res >>= 1;
        }
        one >>= 2;
    }
    rem = v;
    return res;
}

}  // namespace

template <unsigned N> uint64_t add(uint64_t a, uint64_t b, FpCtx& c) { return add_sub<N>(a, b, false, c); }
template <unsigned N> uint64_t sub(uint64_t a, uint64_t b, FpCtx& c) { return add_sub<N>(a, b, true, c); }
template <unsigned N> uint64_t mul(uint64_t a, uint64_t b, FpCtx& c) { return mul_common<N>(a, b, false, c); }
template <unsigned N> uint64_t mulx(uint64_t a, uint64_t b, FpCtx& c) { return mul_common<N>(a, b, true, c); }
template <unsigned N> uint64_t recps(uint64_t a, uint64_t b, FpCtx& c) { return step_fused<N>(a, b, false, c); }
template <unsigned N> uint64_t rsqrts(uint64_t a, uint64_t b, FpCtx& c) { return step_fused<N>(a, b, true, c); }

template <unsigned N>
uint64_t div(uint64_t a, uint64_t b, FpCtx& c) {
    const Unpacked u1 = unpack(a, N, c), u2 = unpack(b, N, c);
    if (auto r = process_nans(u1, u2, a, b, N, c)) return *r;
    const bool sign = u1.sign != u2.sign;
    if ((u1.inf() && u2.inf()) || (u1.zero() && u2.zero())) {
        c.flags |= IOC;
        return default_nan(N);
    }
    if (u1.inf() || u2.zero()) {
        if (!u1.inf()) c.flags |= DZC;
        return infinity(N, sign);
    }
    if (u1.zero() || u2.inf()) return zero(N, sign);
    const int s1 = 116 - top_bit(u1.mant), s2 = 52 - top_bit(u2.mant);
    const u128 x = u128(u1.mant) << s1, y = u128(u2.mant) << s2;
    const u128 q = x / y;
    return round(Real{sign, (u1.exp - s1) - (u2.exp - s2), q, x % y != 0}, N, c, c.rmode());
}

template <unsigned N>
uint64_t muladd(uint64_t addend, uint64_t op1, uint64_t op2, FpCtx& c) {
    const Unpacked ua = unpack(addend, N, c), u1 = unpack(op1, N, c), u2 = unpack(op2, N, c);
    const bool inf_zero = (u1.inf() && u2.zero()) || (u1.zero() && u2.inf());
    auto nan = process_nans3(ua, u1, u2, addend, op1, op2, N, c);
    // A quiet NaN addend does not hide the invalid 0 * Inf.
    if (ua.type == Type::QNaN && inf_zero) {
        c.flags |= IOC;
        return default_nan(N);
    }
    if (nan) return *nan;
    const bool sp = u1.sign != u2.sign;
    const bool infp = u1.inf() || u2.inf(), zerop = u1.zero() || u2.zero();
    if (inf_zero || (ua.inf() && infp && ua.sign != sp)) {
        c.flags |= IOC;
        return default_nan(N);
    }
    if ((ua.inf() && !ua.sign) || (infp && !sp)) return infinity(N, false);
    if ((ua.inf() && ua.sign) || (infp && sp)) return infinity(N, true);
    if (ua.zero() && zerop && ua.sign == sp) return zero(N, ua.sign);
    const Term p{sp, u1.exp + u2.exp, zerop ? u128(0) : u128(u1.mant) * u2.mant};
    return round_sum(sum(ua.zero() ? Term{ua.sign, 0, 0} : term(ua), p), N, c);
}

template <unsigned N>
uint64_t sqrt(uint64_t a, FpCtx& c) {
    const Unpacked u = unpack(a, N, c);
    if (u.nan()) return process_nan(u, a, N, c);
    if (u.zero()) return zero(N, u.sign);
    if (u.inf() && !u.sign) return infinity(N, false);
    if (u.sign) {
        c.flags |= IOC;
        return default_nan(N);
    }
    u128 m = u.mant;
    int e = u.exp;
    if (e & 1) {
        m <<= 1;
        e -= 1;
    }
    int s = 124 - top_bit(m);
    if (s & 1) s += 1;
    m <<= s;
    e -= s;
    u128 rem;
    const u128 root = isqrt(m, rem);
    return round(Real{false, e / 2, root, rem != 0}, N, c, c.rmode());
}

#define HVSIM_FP_INSTANTIATE(N)                                                \
    template uint64_t add<N>(uint64_t, uint64_t, FpCtx&);                      \
    template uint64_t sub<N>(uint64_t, uint64_t, FpCtx&);                      \
    template uint64_t mul<N>(uint64_t, uint64_t, FpCtx&);                      \
    template uint64_t mulx<N>(uint64_t, uint64_t, FpCtx&);                     \
    template uint64_t div<N>(uint64_t, uint64_t, FpCtx&);                      \
    template uint64_t muladd<N>(uint64_t, uint64_t, uint64_t, FpCtx&);         \
    template uint64_t sqrt<N>(uint64_t, FpCtx&);                               \
    template uint64_t recps<N>(uint64_t, uint64_t, FpCtx&);                    \
    template uint64_t rsqrts<N>(uint64_t, uint64_t, FpCtx&);
HVSIM_FP_INSTANTIATE(16)
HVSIM_FP_INSTANTIATE(32)
HVSIM_FP_INSTANTIATE(64)
#undef HVSIM_FP_INSTANTIATE

}  // namespace hvsim::cpu::fp
