// Advanced SIMD floating point: three same, scalar three same, vector and
// scalar x indexed element, across lanes and scalar pairwise (Arm ARM
// C4.1.95). Single and double precision (ARMv8.0 has no FP16 arithmetic);
// every element goes through models/cpu/fp with one FpCtx whose flags are
// OR-ed into FPSR after the register write.
#include "simd.h"
#include "simd_fp.h"

namespace hvsim::cpu::insn {

using namespace simd;

namespace {

template <unsigned N>
uint64_t fp3_elem(Fp3 op, uint64_t a, uint64_t b, uint64_t d, fp::FpCtx& x) {
    const uint64_t ones = mask_of(N);
    switch (op) {
    case Fp3::Maxnm: return fp::maxnm<N>(a, b, x);
    case Fp3::Minnm: return fp::minnm<N>(a, b, x);
    case Fp3::Fmla: return fp::muladd<N>(d, a, b, x);
    case Fp3::Fmls: return fp::muladd<N>(d, fp::neg<N>(a), b, x);
    case Fp3::Add: return fp::add<N>(a, b, x);
    case Fp3::Sub: return fp::sub<N>(a, b, x);
    case Fp3::Mulx: return fp::mulx<N>(a, b, x);
    case Fp3::Mul: return fp::mul<N>(a, b, x);
    case Fp3::Div: return fp::div<N>(a, b, x);
    case Fp3::Max: return fp::max<N>(a, b, x);
    case Fp3::Min: return fp::min<N>(a, b, x);
    case Fp3::Recps: return fp::recps<N>(a, b, x);
    case Fp3::Rsqrts: return fp::rsqrts<N>(a, b, x);
    case Fp3::Cmeq: return fp::compare_eq<N>(a, b, x) ? ones : 0;
    case Fp3::Cmge: return fp::compare_ge<N>(a, b, x) ? ones : 0;
    case Fp3::Cmgt: return fp::compare_gt<N>(a, b, x) ? ones : 0;
    case Fp3::Acge: return fp::compare_ge<N>(fp::abs<N>(a), fp::abs<N>(b), x) ? ones : 0;
    case Fp3::Acgt: return fp::compare_gt<N>(fp::abs<N>(a), fp::abs<N>(b), x) ? ones : 0;
    case Fp3::Abd: return fp::abs<N>(fp::sub<N>(a, b, x));
    }
    return 0;
}

uint64_t fp3(Fp3 op, unsigned bits, uint64_t a, uint64_t b, uint64_t d, fp::FpCtx& x) {
    return bits == 32 ? fp3_elem<32>(op, a, b, d, x) : fp3_elem<64>(op, a, b, d, x);
}

// Reduce() (Arm ARM J1): the operation over the two halves, recursively.
uint64_t reduce(Fp3 op, const Vec128& v, unsigned lo, unsigned count, unsigned bits, fp::FpCtx& x) {
    if (count == 1) return el(v, lo, bits);
    const uint64_t a = reduce(op, v, lo, count / 2, bits, x);
    const uint64_t b = reduce(op, v, lo + count / 2, count / 2, bits, x);
    return fp3(op, bits, a, b, 0, x);
}

bool fp_same3(Core& c, Fp3 op, bool pairwise, bool Q, bool sz, Reg Rm, Reg Rn, Reg Rd) {
    if (sz && !Q) return false;
    c.check_fp_enabled();
    const unsigned bits = sz ? 64 : 32, elems = (Q ? 128 : 64) / bits;
    const Vec128 a = rd_vec(c, Rn.idx()), b = rd_vec(c, Rm.idx()), d = rd_vec(c, Rd.idx());
    fp::FpCtx x = fp_ctx(c);
    vmap(c, Rd.idx(), Q, bits, [&](unsigned i) {
        if (pairwise) {
            const Vec128& src = 2 * i < elems ? a : b;
            const unsigned j = (2 * i) % elems;
            return fp3(op, bits, el(src, j, bits), el(src, j + 1, bits), 0, x);
        }
        return fp3(op, bits, el(a, i, bits), el(b, i, bits), el(d, i, bits), x);
    });
    fp_commit(c, x);
    return true;
}

bool fp_scalar3(Core& c, Fp3 op, bool sz, Reg Rm, Reg Rn, Reg Rd) {
    c.check_fp_enabled();
    const unsigned bits = sz ? 64 : 32;
    fp::FpCtx x = fp_ctx(c);
    const uint64_t r = fp3(op, bits, scalar(c.st, Rn.idx(), bits / 8), scalar(c.st, Rm.idx(), bits / 8), 0, x);
    set_scalar(c.st, Rd.idx(), r, bits / 8);
    fp_commit(c, x);
    return true;
}

// By element: single precision takes index H:L of Vm = M:Rm, double
// precision index H with L = 1 reserved.
bool fp_elem(Core& c, Fp3 op, bool scalar_form, bool Q, bool sz, bool L, uint32_t Mm, bool H, Reg Rn, Reg Rd) {
    if (sz && (L || (!scalar_form && !Q))) return false;
    c.check_fp_enabled();
    const unsigned bits = sz ? 64 : 32;
    const unsigned index = sz ? H : (H << 1) | L;
    const uint64_t b = el(rd_vec(c, Mm), index, bits);
    const Vec128 a = rd_vec(c, Rn.idx()), d = rd_vec(c, Rd.idx());
    fp::FpCtx x = fp_ctx(c);
    if (scalar_form) {
        set_scalar(c.st, Rd.idx(), fp3(op, bits, el(a, 0, bits), b, el(d, 0, bits), x), bits / 8);
    } else {
        vmap(c, Rd.idx(), Q, bits, [&](unsigned i) { return fp3(op, bits, el(a, i, bits), b, el(d, i, bits), x); });
    }
    fp_commit(c, x);
    return true;
}

// FMAXNMV/FMINNMV/FMAXV/FMINV: four single-precision elements only.
bool fp_across(Core& c, Fp3 op, bool Q, bool sz, Reg Rn, Reg Rd) {
    if (!Q || sz) return false;
    c.check_fp_enabled();
    fp::FpCtx x = fp_ctx(c);
    set_scalar(c.st, Rd.idx(), reduce(op, rd_vec(c, Rn.idx()), 0, 4, 32, x), 4);
    fp_commit(c, x);
    return true;
}

// FADDP/FMAXP/FMINP/FMAXNMP/FMINNMP (scalar): the two elements of Vn.
bool fp_pair_s(Core& c, Fp3 op, bool sz, Reg Rn, Reg Rd) {
    c.check_fp_enabled();
    const unsigned bits = sz ? 64 : 32;
    const Vec128 n = rd_vec(c, Rn.idx());
    fp::FpCtx x = fp_ctx(c);
    set_scalar(c.st, Rd.idx(), fp3(op, bits, el(n, 0, bits), el(n, 1, bits), 0, x), bits / 8);
    fp_commit(c, x);
    return true;
}

}  // namespace

#define FP3(name, op, pw) \
    bool name(Core& c, Imm<1> Q, Imm<1> sz, Reg Rm, Reg Rn, Reg Rd) { return fp_same3(c, op, pw, Q.v, sz.v, Rm, Rn, Rd); }
#define FP3S(name, op) \
    bool name(Core& c, Imm<1> sz, Reg Rm, Reg Rn, Reg Rd) { return fp_scalar3(c, op, sz.v, Rm, Rn, Rd); }
#define FPELEM(name, op)                                                                         \
    bool name(Core& c, Imm<1> Q, Imm<1> sz, Imm<1> L, Imm<5> Mm, Imm<1> H, Reg Rn, Reg Rd) {  \
        return fp_elem(c, op, false, Q.v, sz.v, L.v, Mm.v, H.v, Rn, Rd);                          \
    }
#define FPELEMS(name, op)                                                           \
    bool name(Core& c, Imm<1> sz, Imm<1> L, Imm<5> Mm, Imm<1> H, Reg Rn, Reg Rd) { \
        return fp_elem(c, op, true, false, sz.v, L.v, Mm.v, H.v, Rn, Rd);            \
    }
#define FPACROSS(name, op) \
    bool name(Core& c, Imm<1> Q, Imm<1> sz, Reg Rn, Reg Rd) { return fp_across(c, op, Q.v, sz.v, Rn, Rd); }
#define FPPAIRS(name, op) \
    bool name(Core& c, Imm<1> sz, Reg Rn, Reg Rd) { return fp_pair_s(c, op, sz.v, Rn, Rd); }

FP3(FMAXNM_v, Fp3::Maxnm, false)
FP3(FMLA_v, Fp3::Fmla, false)
FP3(FADD_v, Fp3::Add, false)
FP3(FMULX_v, Fp3::Mulx, false)
FP3(FCMEQ_v, Fp3::Cmeq, false)
FP3(FMAX_v, Fp3::Max, false)
FP3(FRECPS_v, Fp3::Recps, false)
FP3(FMINNM_v, Fp3::Minnm, false)
FP3(FMLS_v, Fp3::Fmls, false)
FP3(FSUB_v, Fp3::Sub, false)
FP3(FMIN_v, Fp3::Min, false)
FP3(FRSQRTS_v, Fp3::Rsqrts, false)
FP3(FMAXNMP_v, Fp3::Maxnm, true)
FP3(FADDP_v, Fp3::Add, true)
FP3(FMUL_v, Fp3::Mul, false)
FP3(FCMGE_v, Fp3::Cmge, false)
FP3(FACGE_v, Fp3::Acge, false)
FP3(FMAXP_v, Fp3::Max, true)
FP3(FDIV_v, Fp3::Div, false)
FP3(FMINNMP_v, Fp3::Minnm, true)
FP3(FABD_v, Fp3::Abd, false)
FP3(FCMGT_v, Fp3::Cmgt, false)
FP3(FACGT_v, Fp3::Acgt, false)
FP3(FMINP_v, Fp3::Min, true)

FP3S(FMULX_s, Fp3::Mulx)
FP3S(FCMEQ_s, Fp3::Cmeq)
FP3S(FRECPS_s, Fp3::Recps)
FP3S(FRSQRTS_s, Fp3::Rsqrts)
FP3S(FCMGE_s, Fp3::Cmge)
FP3S(FACGE_s, Fp3::Acge)
FP3S(FABD_s, Fp3::Abd)
FP3S(FCMGT_s, Fp3::Cmgt)
FP3S(FACGT_s, Fp3::Acgt)

FPELEM(FMLA_elem, Fp3::Fmla)
FPELEM(FMLS_elem, Fp3::Fmls)
FPELEM(FMUL_elem, Fp3::Mul)
FPELEM(FMULX_elem, Fp3::Mulx)
FPELEMS(FMLA_elem_s, Fp3::Fmla)
FPELEMS(FMLS_elem_s, Fp3::Fmls)
FPELEMS(FMUL_elem_s, Fp3::Mul)
FPELEMS(FMULX_elem_s, Fp3::Mulx)

FPACROSS(FMAXNMV, Fp3::Maxnm)
FPACROSS(FMAXV, Fp3::Max)
FPACROSS(FMINNMV, Fp3::Minnm)
FPACROSS(FMINV, Fp3::Min)

FPPAIRS(FMAXNMP_s, Fp3::Maxnm)
FPPAIRS(FADDP_s, Fp3::Add)
FPPAIRS(FMAXP_s, Fp3::Max)
FPPAIRS(FMINNMP_s, Fp3::Minnm)
FPPAIRS(FMINP_s, Fp3::Min)

}  // namespace hvsim::cpu::insn
