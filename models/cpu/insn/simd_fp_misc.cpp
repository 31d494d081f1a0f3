// Advanced SIMD floating point, one source: two-register misc and scalar
// two-register misc (FRINT*, FCVT* to integer, SCVTF/UCVTF, compares with
// zero, FABS/FNEG/FSQRT, estimates, FCVTN/FCVTXN/FCVTL), and the fixed-point
// conversions of (scalar) shift by immediate (Arm ARM C4.1.95).
#include "simd.h"
#include "simd_fp.h"

namespace hvsim::cpu::insn {

using namespace simd;
using fp::Rounding;

namespace {

enum class Op1 : uint8_t {
    RintN, RintM, RintP, RintZ, RintA, RintX, RintI,
    CvtN, CvtM, CvtA, CvtP, CvtZ,  // FCVT{N,M,A,P,Z}{S,U}: U selects unsigned
    Cvtf,                          // SCVTF/UCVTF
    CmgtZ, CmeqZ, CmltZ,           // U: FCMGE, FCMLE (zero)
    Abs, Neg, Sqrt, Recpe, Rsqrte, Recpx, Urecpe, Ursqrte,
};

Rounding rounding_of(Op1 op, const fp::FpCtx& x) {
    switch (op) {
    case Op1::RintN: case Op1::CvtN: return Rounding::TieEven;
    case Op1::RintM: case Op1::CvtM: return Rounding::NegInf;
    case Op1::RintP: case Op1::CvtP: return Rounding::PosInf;
    case Op1::RintZ: case Op1::CvtZ: return Rounding::Zero;
    case Op1::RintA: case Op1::CvtA: return Rounding::TieAway;
    default: return x.rmode();
    }
}

// UnsignedRecipEstimate / UnsignedRSqrtEstimate (Arm ARM J1), 32-bit.
uint64_t urecpe(uint64_t a) {
    if (!(a >> 31)) return 0xFFFFFFFFu;
    return static_cast<uint64_t>(fp::recip_estimate(static_cast<unsigned>(a >> 23) & 0x1FF) & 0x1FF) << 23;
}
uint64_t ursqrte(uint64_t a) {
    if (!(a >> 30)) return 0xFFFFFFFFu;
    return static_cast<uint64_t>(fp::recip_sqrt_estimate(static_cast<unsigned>(a >> 23) & 0x1FF) & 0x1FF) << 23;
}

template <unsigned N>
uint64_t misc_elem(Op1 op, bool u, unsigned fbits, uint64_t a, fp::FpCtx& x) {
    const uint64_t ones = mask_of(N);
    switch (op) {
    case Op1::RintN: case Op1::RintM: case Op1::RintP: case Op1::RintZ: case Op1::RintA: case Op1::RintI:
        return fp::round_int<N>(a, rounding_of(op, x), false, x);
    case Op1::RintX: return fp::round_int<N>(a, x.rmode(), true, x);
    case Op1::CvtN: case Op1::CvtM: case Op1::CvtA: case Op1::CvtP: case Op1::CvtZ:
        return fp::to_fixed(a, N, N, fbits, u, rounding_of(op, x), x);
    case Op1::Cvtf: return fp::from_fixed(a, N, fbits, u, N, x.rmode(), x);
    // FCMGT/FCMGE (zero): element > / >= 0; FCMEQ/FCMLE: == 0 / 0 >= element;
    // FCMLT: 0 > element.
    case Op1::CmgtZ: return (u ? fp::compare_ge<N>(a, 0, x) : fp::compare_gt<N>(a, 0, x)) ? ones : 0;
    case Op1::CmeqZ: return (u ? fp::compare_ge<N>(0, a, x) : fp::compare_eq<N>(a, 0, x)) ? ones : 0;
    case Op1::CmltZ: return fp::compare_gt<N>(0, a, x) ? ones : 0;
    case Op1::Abs: return fp::abs<N>(a);
    case Op1::Neg: return fp::neg<N>(a);
    case Op1::Sqrt: return fp::sqrt<N>(a, x);
    case Op1::Recpe: return fp::recpe<N>(a, x);
    case Op1::Rsqrte: return fp::rsqrte<N>(a, x);
    case Op1::Recpx: return fp::recpx<N>(a, x);
    case Op1::Urecpe: return urecpe(a);
    case Op1::Ursqrte: return ursqrte(a);
    }
    return 0;
}

uint64_t misc1(Op1 op, unsigned bits, bool u, unsigned fbits, uint64_t a, fp::FpCtx& x) {
    return bits == 32 ? misc_elem<32>(op, u, fbits, a, x) : misc_elem<64>(op, u, fbits, a, x);
}

bool fp_misc_v(Core& c, Op1 op, bool Q, bool U, bool sz, Reg Rn, Reg Rd, unsigned fbits = 0) {
    if (sz && !Q) return false;
    if ((op == Op1::Urecpe || op == Op1::Ursqrte) && sz) return false;
    c.check_fp_enabled();
    const unsigned bits = sz ? 64 : 32;
    const Vec128 n = rd_vec(c, Rn.idx());
    fp::FpCtx x = fp_ctx(c);
    vmap(c, Rd.idx(), Q, bits, [&](unsigned i) { return misc1(op, bits, U, fbits, el(n, i, bits), x); });
    fp_commit(c, x);
    return true;
}

bool fp_misc_s(Core& c, Op1 op, bool U, bool sz, Reg Rn, Reg Rd, unsigned fbits = 0) {
    c.check_fp_enabled();
    const unsigned bits = sz ? 64 : 32;
    fp::FpCtx x = fp_ctx(c);
    set_scalar(c.st, Rd.idx(), misc1(op, bits, U, fbits, scalar(c.st, Rn.idx(), bits / 8), x), bits / 8);
    fp_commit(c, x);
    return true;
}

// The fixed-point forms of shift by immediate: immh 01xx single, 1xxx
// double (00xx would be half precision, FEAT_FP16); fbits = 2*esize - imm.
bool fixed_bits(uint32_t imm, unsigned& bits, unsigned& fbits) {
    const uint32_t immh = imm >> 3;
    if (immh < 4) return false;
    bits = immh >= 8 ? 64 : 32;
    fbits = 2 * bits - imm;
    return true;
}

// FCVTN/FCVTXN: narrowed to Vpart[d, Q]; FCVTN single to half (FPCR.AHP)
// or double to single, FCVTXN double to single rounding to odd.
bool narrow(Core& c, bool Q, bool sz, bool to_odd, Reg Rn, Reg Rd) {
    c.check_fp_enabled();
    const unsigned from = sz ? 64 : 32, to = from / 2;
    const Vec128 n = rd_vec(c, Rn.idx());
    fp::FpCtx x = fp_ctx(c);
    Vec128 r = Q ? rd_vec(c, Rd.idx()) : Vec128{0, 0};
    for (unsigned i = 0; i < 64 / to; ++i)
        set_el(r, (Q ? 64 / to : 0) + i, to, fp::convert(el(n, i, from), from, to, to_odd ? Rounding::Odd : x.rmode(), x));
    set_vreg(c.st, Rd.idx(), r);
    fp_commit(c, x);
    return true;
}

}  // namespace

#define FPMISC(name, op) \
    bool name(Core& c, Imm<1> Q, Imm<1> sz, Reg Rn, Reg Rd) { return fp_misc_v(c, op, Q.v, false, sz.v, Rn, Rd); }
#define FPMISCU(name, op) \
    bool name(Core& c, Imm<1> Q, Imm<1> U, Imm<1> sz, Reg Rn, Reg Rd) { return fp_misc_v(c, op, Q.v, U.v, sz.v, Rn, Rd); }
#define FPMISCS(name, op) \
    bool name(Core& c, Imm<1> sz, Reg Rn, Reg Rd) { return fp_misc_s(c, op, false, sz.v, Rn, Rd); }
#define FPMISCSU(name, op) \
    bool name(Core& c, Imm<1> U, Imm<1> sz, Reg Rn, Reg Rd) { return fp_misc_s(c, op, U.v, sz.v, Rn, Rd); }

FPMISC(FRINTN_v, Op1::RintN)
FPMISC(FRINTM_v, Op1::RintM)
FPMISC(FRINTP_v, Op1::RintP)
FPMISC(FRINTZ_v, Op1::RintZ)
FPMISC(FRINTA_v, Op1::RintA)
FPMISC(FRINTX_v, Op1::RintX)
FPMISC(FRINTI_v, Op1::RintI)
FPMISCU(FCVTNS_v, Op1::CvtN)
FPMISCU(FCVTMS_v, Op1::CvtM)
FPMISCU(FCVTAS_v, Op1::CvtA)
FPMISCU(FCVTPS_v, Op1::CvtP)
FPMISCU(FCVTZS_v, Op1::CvtZ)
FPMISCU(SCVTF_v, Op1::Cvtf)
FPMISCU(FCMGT_zero_v, Op1::CmgtZ)
FPMISCU(FCMEQ_zero_v, Op1::CmeqZ)
FPMISC(FCMLT_zero_v, Op1::CmltZ)
FPMISC(FABS_v, Op1::Abs)
FPMISC(FNEG_v, Op1::Neg)
FPMISC(FSQRT_v, Op1::Sqrt)
FPMISC(FRECPE_v, Op1::Recpe)
FPMISC(FRSQRTE_v, Op1::Rsqrte)
FPMISC(URECPE_v, Op1::Urecpe)
FPMISC(URSQRTE_v, Op1::Ursqrte)

FPMISCSU(FCVTNS_s, Op1::CvtN)
FPMISCSU(FCVTMS_s, Op1::CvtM)
FPMISCSU(FCVTAS_s, Op1::CvtA)
FPMISCSU(FCVTPS_s, Op1::CvtP)
FPMISCSU(FCVTZS_s, Op1::CvtZ)
FPMISCSU(SCVTF_s, Op1::Cvtf)
FPMISCSU(FCMGT_zero_s, Op1::CmgtZ)
FPMISCSU(FCMEQ_zero_s, Op1::CmeqZ)
FPMISCS(FCMLT_zero_s, Op1::CmltZ)
FPMISCS(FRECPE_s, Op1::Recpe)
FPMISCS(FRSQRTE_s, Op1::Rsqrte)
FPMISCS(FRECPX_s, Op1::Recpx)

bool FCVTN_v(Core& c, Imm<1> Q, Imm<1> sz, Reg Rn, Reg Rd) { return narrow(c, Q.v, sz.v, false, Rn, Rd); }
bool FCVTXN_v(Core& c, Imm<1> Q, Imm<1> sz, Reg Rn, Reg Rd) { return sz.v && narrow(c, Q.v, true, true, Rn, Rd); }

bool FCVTXN_s(Core& c, Imm<1> sz, Reg Rn, Reg Rd) {
    if (!sz.v) return false;
    c.check_fp_enabled();
    fp::FpCtx x = fp_ctx(c);
    set_scalar(c.st, Rd.idx(), fp::convert(scalar(c.st, Rn.idx(), 8), 64, 32, Rounding::Odd, x), 4);
    fp_commit(c, x);
    return true;
}

// FCVTL: Vpart[n, Q] widened, half to single (FPCR.AHP) or single to double.
bool FCVTL_v(Core& c, Imm<1> Q, Imm<1> sz, Reg Rn, Reg Rd) {
    c.check_fp_enabled();
    const unsigned to = sz.v ? 64 : 32, from = to / 2;
    const Vec128 n = rd_vec(c, Rn.idx());
    fp::FpCtx x = fp_ctx(c);
    vmap(c, Rd.idx(), true, to, [&](unsigned i) {
        return fp::convert(el(n, (Q.v ? 64 / from : 0) + i, from), from, to, x.rmode(), x);
    });
    fp_commit(c, x);
    return true;
}

bool SCVTF_fix_v(Core& c, Imm<1> Q, Imm<1> U, Imm<7> imm, Reg Rn, Reg Rd) {
    unsigned bits, fbits;
    if (!fixed_bits(imm.v, bits, fbits)) return false;
    return fp_misc_v(c, Op1::Cvtf, Q.v, U.v, bits == 64, Rn, Rd, fbits);
}
bool FCVTZS_fix_v(Core& c, Imm<1> Q, Imm<1> U, Imm<7> imm, Reg Rn, Reg Rd) {
    unsigned bits, fbits;
    if (!fixed_bits(imm.v, bits, fbits)) return false;
    return fp_misc_v(c, Op1::CvtZ, Q.v, U.v, bits == 64, Rn, Rd, fbits);
}
bool SCVTF_fix_s(Core& c, Imm<1> U, Imm<7> imm, Reg Rn, Reg Rd) {
    unsigned bits, fbits;
    if (!fixed_bits(imm.v, bits, fbits)) return false;
    return fp_misc_s(c, Op1::Cvtf, U.v, bits == 64, Rn, Rd, fbits);
}
bool FCVTZS_fix_s(Core& c, Imm<1> U, Imm<7> imm, Reg Rn, Reg Rd) {
    unsigned bits, fbits;
    if (!fixed_bits(imm.v, bits, fbits)) return false;
    return fp_misc_s(c, Op1::CvtZ, U.v, bits == 64, Rn, Rd, fbits);
}

}  // namespace hvsim::cpu::insn
