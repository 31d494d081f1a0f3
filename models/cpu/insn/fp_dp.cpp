// Scalar floating-point data processing (Arm ARM C4.1.96): 1, 2 and 3
// source, compare, conditional compare and select, immediate.
//
// Every handler: UNDEFINED field values first, then CheckFPAdvSIMDEnabled64()
// (c.check_fp_enabled()), then the operation through models/cpu/fp with the
// FPSR flags it raises.
#include "fp.h"

#include "fp_common.h"

namespace hvsim::cpu::insn {

namespace {

using fp::FpCtx;

template <typename Op>
bool binary(Core& c, Imm<2> ftype, Reg Rm, Reg Rn, Reg Rd, Op op) {
    const unsigned bits = arith_bits(ftype);
    if (!bits) return false;
    c.check_fp_enabled();
    FpCtx x = fp_ctx(c);
    const uint64_t a = vread(c, Rn, bits), b = vread(c, Rm, bits);
    const uint64_t r = by_width(bits, [&](auto n) { return op(n, a, b, x); });
    vwrite(c, Rd, r, bits);
    fp_commit(c, x);
    return true;
}

// FMADD family: Rd = (negA ? -Ra : Ra) + (negN ? -Rn : Rn) * Rm, fused; the
// negations apply to NaN operands too (FPNeg before FPMulAdd).
bool fused(Core& c, Imm<2> ftype, Reg Rm, Reg Ra, Reg Rn, Reg Rd, bool neg_a, bool neg_n) {
    const unsigned bits = arith_bits(ftype);
    if (!bits) return false;
    c.check_fp_enabled();
    FpCtx x = fp_ctx(c);
    const uint64_t sign = 1ull << (bits - 1);
    const uint64_t a = vread(c, Ra, bits) ^ (neg_a ? sign : 0);
    const uint64_t n = vread(c, Rn, bits) ^ (neg_n ? sign : 0);
    const uint64_t m = vread(c, Rm, bits);
    const uint64_t r = by_width(bits, [&](auto w) { return fp::muladd<decltype(w)::value>(a, n, m, x); });
    vwrite(c, Rd, r, bits);
    fp_commit(c, x);
    return true;
}

// Bit operations without FP exceptions (FMOV, FABS, FNEG).
bool bitwise(Core& c, Imm<2> ftype, Reg Rn, Reg Rd, uint64_t clear, uint64_t flip) {
    const unsigned bits = arith_bits(ftype);
    if (!bits) return false;
    c.check_fp_enabled();
    const uint64_t sign = 1ull << (bits - 1);
    vwrite(c, Rd, (vread(c, Rn, bits) & ~(clear & sign)) ^ (flip & sign), bits);
    return true;
}

}  // namespace

#define FP_BINARY(name, fn)                                                                   \
    bool name(Core& c, Imm<2> ftype, Reg Rm, Reg Rn, Reg Rd) {                                \
        return binary(c, ftype, Rm, Rn, Rd, [](auto n, uint64_t a, uint64_t b, FpCtx& x) {    \
            return fp::fn<decltype(n)::value>(a, b, x);                                       \
        });                                                                                   \
    }
FP_BINARY(FMUL_scalar, mul)
FP_BINARY(FDIV_scalar, div)
FP_BINARY(FADD_scalar, add)
FP_BINARY(FSUB_scalar, sub)
FP_BINARY(FMAX_scalar, max)
FP_BINARY(FMIN_scalar, min)
FP_BINARY(FMAXNM_scalar, maxnm)
FP_BINARY(FMINNM_scalar, minnm)
#undef FP_BINARY

// FNMUL: FPNeg(FPMul()), a NaN result included.
bool FNMUL_scalar(Core& c, Imm<2> ftype, Reg Rm, Reg Rn, Reg Rd) {
    return binary(c, ftype, Rm, Rn, Rd, [](auto n, uint64_t a, uint64_t b, FpCtx& x) {
        return fp::neg<decltype(n)::value>(fp::mul<decltype(n)::value>(a, b, x));
    });
}

bool FMADD_scalar(Core& c, Imm<2> t, Reg Rm, Reg Ra, Reg Rn, Reg Rd) { return fused(c, t, Rm, Ra, Rn, Rd, false, false); }
bool FMSUB_scalar(Core& c, Imm<2> t, Reg Rm, Reg Ra, Reg Rn, Reg Rd) { return fused(c, t, Rm, Ra, Rn, Rd, false, true); }
bool FNMADD_scalar(Core& c, Imm<2> t, Reg Rm, Reg Ra, Reg Rn, Reg Rd) { return fused(c, t, Rm, Ra, Rn, Rd, true, true); }
bool FNMSUB_scalar(Core& c, Imm<2> t, Reg Rm, Reg Ra, Reg Rn, Reg Rd) { return fused(c, t, Rm, Ra, Rn, Rd, true, false); }

bool FMOV_reg(Core& c, Imm<2> ftype, Reg Rn, Reg Rd) { return bitwise(c, ftype, Rn, Rd, 0, 0); }
bool FABS_scalar(Core& c, Imm<2> ftype, Reg Rn, Reg Rd) { return bitwise(c, ftype, Rn, Rd, ~0ull, 0); }
bool FNEG_scalar(Core& c, Imm<2> ftype, Reg Rn, Reg Rd) { return bitwise(c, ftype, Rn, Rd, 0, ~0ull); }

bool FSQRT_scalar(Core& c, Imm<2> ftype, Reg Rn, Reg Rd) {
    const unsigned bits = arith_bits(ftype);
    if (!bits) return false;
    c.check_fp_enabled();
    FpCtx x = fp_ctx(c);
    const uint64_t a = vread(c, Rn, bits);
    vwrite(c, Rd, by_width(bits, [&](auto n) { return fp::sqrt<decltype(n)::value>(a, x); }), bits);
    fp_commit(c, x);
    return true;
}

// FCVT: between any two of half, single and double (the same type is
// unallocated). Half precision follows FPCR.AHP.
bool FCVT_prec(Core& c, Imm<2> ftype, Imm<2> opc, Reg Rn, Reg Rd) {
    const unsigned from = any_bits(ftype.v), to = any_bits(opc.v);
    if (!from || !to || from == to) return false;
    c.check_fp_enabled();
    FpCtx x = fp_ctx(c);
    const uint64_t r = fp::convert(vread(c, Rn, from), from, to, x.rmode(), x);
    vwrite(c, Rd, r, to);
    fp_commit(c, x);
    return true;
}

// FRINTN/P/M/Z/A (own rounding), FRINTX (FPCR rounding, exact), FRINTI
// (FPCR rounding); rmode 101 is unallocated.
bool FRINT_scalar(Core& c, Imm<2> ftype, Imm<3> rmode, Reg Rn, Reg Rd) {
    const unsigned bits = arith_bits(ftype);
    if (!bits || rmode.v == 5) return false;
    c.check_fp_enabled();
    FpCtx x = fp_ctx(c);
    const fp::Rounding rm = rmode.v >= 6 ? x.rmode() : static_cast<fp::Rounding>(rmode.v);
    const bool exact = rmode.v == 6;
    const uint64_t a = vread(c, Rn, bits);
    vwrite(c, Rd, by_width(bits, [&](auto n) { return fp::round_int<decltype(n)::value>(a, rm, exact, x); }), bits);
    fp_commit(c, x);
    return true;
}

// FCMP/FCMPE (E signals on quiet NaNs), against Vm or +0.0 (Rm ignored).
bool FCMP_scalar(Core& c, Imm<2> ftype, Reg Rm, Reg Rn, Imm<1> e, Imm<1> zero) {
    const unsigned bits = arith_bits(ftype);
    if (!bits) return false;
    c.check_fp_enabled();
    FpCtx x = fp_ctx(c);
    const uint64_t a = vread(c, Rn, bits), b = zero.v ? 0 : vread(c, Rm, bits);
    const unsigned f = by_width(bits, [&](auto n) { return fp::compare<decltype(n)::value>(a, b, e.v, x); });
    c.set_nzcv(f & 8, f & 4, f & 2, f & 1);
    fp_commit(c, x);
    return true;
}

bool FCCMP_scalar(Core& c, Imm<2> ftype, Reg Rm, Cond cond, Reg Rn, Imm<1> e, Imm<4> nzcv) {
    const unsigned bits = arith_bits(ftype);
    if (!bits) return false;
    c.check_fp_enabled();
    unsigned f = nzcv.v;
    if (c.condition_holds(cond.v)) {
        FpCtx x = fp_ctx(c);
        const uint64_t a = vread(c, Rn, bits), b = vread(c, Rm, bits);
        f = by_width(bits, [&](auto n) { return fp::compare<decltype(n)::value>(a, b, e.v, x); });
        fp_commit(c, x);
    }
    c.set_nzcv(f & 8, f & 4, f & 2, f & 1);
    return true;
}

bool FCSEL_scalar(Core& c, Imm<2> ftype, Reg Rm, Cond cond, Reg Rn, Reg Rd) {
    const unsigned bits = arith_bits(ftype);
    if (!bits) return false;
    c.check_fp_enabled();
    vwrite(c, Rd, vread(c, c.condition_holds(cond.v) ? Rn : Rm, bits), bits);
    return true;
}

// VFPExpandImm(): sign, exponent NOT(b6):Replicate(b6, E-3):b5:b4, fraction
// b3..b0 followed by zeros.
bool FMOV_imm(Core& c, Imm<2> ftype, Imm<8> imm8, Reg Rd) {
    const unsigned bits = arith_bits(ftype);
    if (!bits) return false;
    c.check_fp_enabled();
    const unsigned E = bits == 32 ? 8 : 11, F = bits - E - 1;
    const uint64_t b6 = imm8.bit(6);
    uint64_t exp = ((b6 ^ 1) << (E - 1)) | (b6 ? ((1ull << (E - 3)) - 1) << 2 : 0) | ((imm8.v >> 4) & 3);
    const uint64_t r = (uint64_t(imm8.bit(7)) << (bits - 1)) | (exp << F) | (uint64_t(imm8.v & 0xF) << (F - 4));
    vwrite(c, Rd, r, bits);
    return true;
}

}  // namespace hvsim::cpu::insn
