// FPMax, FPMin, FPMaxNum, FPMinNum, FPCompare, FPCompareEQ/GE/GT (Arm ARM J1).
#include "fp_impl.h"

namespace hvsim::cpu::fp {

using namespace detail;

namespace {

// -1, 0, 1 as the real values (no NaNs) compare.
int compare_values(const Unpacked& a, const Unpacked& b) {
    auto key = [](const Unpacked& u, int& e, uint64_t& m) {
        e = u.inf() ? 1 << 20 : magnitude_exp(u);
        m = u.inf() ? 0 : u.mant << (63 - top_bit(u.mant));
    };
    const bool az = a.zero(), bz = b.zero();
    if (az && bz) return 0;
    const int as = az ? 0 : a.sign ? -1 : 1;
    const int bs = bz ? 0 : b.sign ? -1 : 1;
    if (as != bs) return as < bs ? -1 : 1;
    int ae, be;
    uint64_t am, bm;
    key(a, ae, am);
    key(b, be, bm);
    const int mag = ae != be ? (ae < be ? -1 : 1) : am != bm ? (am < bm ? -1 : 1) : 0;
    return as < 0 ? -mag : mag;
}

template <unsigned N>
uint64_t max_min(uint64_t a, uint64_t b, bool is_max, FpCtx& c) {
    const Unpacked u1 = unpack(a, N, c), u2 = unpack(b, N, c);
    if (auto r = process_nans(u1, u2, a, b, N, c)) return *r;
    const int cmp = compare_values(u1, u2);
    const bool first = is_max ? cmp > 0 : cmp < 0;
    const Unpacked& u = first ? u1 : u2;
    if (u.inf()) return infinity(N, u.sign);
    if (u.zero()) return zero(N, is_max ? (u1.sign && u2.sign) : (u1.sign || u2.sign));
    // FPRound of an operand's own value is exact: the operand itself.
    return first ? a : b;
}

template <unsigned N>
uint64_t num(uint64_t a, uint64_t b, bool is_max, FpCtx& c) {
    const Unpacked u1 = unpack(a, N, c), u2 = unpack(b, N, c);
    // A single quiet NaN is replaced by the infinity that loses.
    if (u1.type == Type::QNaN && u2.type != Type::QNaN) a = infinity(N, is_max);
    else if (u1.type != Type::QNaN && u2.type == Type::QNaN) b = infinity(N, is_max);
    return max_min<N>(a, b, is_max, c);
}

}  // namespace

template <unsigned N> uint64_t max(uint64_t a, uint64_t b, FpCtx& c) { return max_min<N>(a, b, true, c); }
template <unsigned N> uint64_t min(uint64_t a, uint64_t b, FpCtx& c) { return max_min<N>(a, b, false, c); }
template <unsigned N> uint64_t maxnm(uint64_t a, uint64_t b, FpCtx& c) { return num<N>(a, b, true, c); }
template <unsigned N> uint64_t minnm(uint64_t a, uint64_t b, FpCtx& c) { return num<N>(a, b, false, c); }

template <unsigned N>
unsigned compare(uint64_t a, uint64_t b, bool signal_nans, FpCtx& c) {
    const Unpacked u1 = unpack(a, N, c), u2 = unpack(b, N, c);
    if (u1.nan() || u2.nan()) {
        if (u1.type == Type::SNaN || u2.type == Type::SNaN || signal_nans) c.flags |= IOC;
        return kNzcvUn;
    }
    const int cmp = compare_values(u1, u2);
    return cmp == 0 ? kNzcvEq : cmp < 0 ? kNzcvLt : kNzcvGt;
}

template <unsigned N>
bool compare_eq(uint64_t a, uint64_t b, FpCtx& c) {
    const Unpacked u1 = unpack(a, N, c), u2 = unpack(b, N, c);
    if (u1.nan() || u2.nan()) {
        if (u1.type == Type::SNaN || u2.type == Type::SNaN) c.flags |= IOC;
        return false;
    }
    return compare_values(u1, u2) == 0;
}

template <unsigned N>
bool compare_ge(uint64_t a, uint64_t b, FpCtx& c) {
    const Unpacked u1 = unpack(a, N, c), u2 = unpack(b, N, c);
    if (u1.nan() || u2.nan()) {
        c.flags |= IOC;
        return false;
    }
    return compare_values(u1, u2) >= 0;
}

template <unsigned N>
bool compare_gt(uint64_t a, uint64_t b, FpCtx& c) {
    const Unpacked u1 = unpack(a, N, c), u2 = unpack(b, N, c);
    if (u1.nan() || u2.nan()) {
        c.flags |= IOC;
        return false;
    }
    return compare_values(u1, u2) > 0;
}

#define HVSIM_FP_INSTANTIATE(N)                                         \
    template uint64_t max<N>(uint64_t, uint64_t, FpCtx&);               \
    template uint64_t min<N>(uint64_t, uint64_t, FpCtx&);               \
    template uint64_t maxnm<N>(uint64_t, uint64_t, FpCtx&);             \
    template uint64_t minnm<N>(uint64_t, uint64_t, FpCtx&);             \
    template unsigned compare<N>(uint64_t, uint64_t, bool, FpCtx&);     \
    template bool compare_eq<N>(uint64_t, uint64_t, FpCtx&);            \
    template bool compare_ge<N>(uint64_t, uint64_t, FpCtx&);            \
    template bool compare_gt<N>(uint64_t, uint64_t, FpCtx&);
HVSIM_FP_INSTANTIATE(16)
HVSIM_FP_INSTANTIATE(32)
HVSIM_FP_INSTANTIATE(64)
#undef HVSIM_FP_INSTANTIATE

}  // namespace hvsim::cpu::fp
