// Conversions between floating point and integer or fixed point, and FMOV
// (general) (Arm ARM C4.1.96).
#include "fp.h"

#include "fp_common.h"

namespace hvsim::cpu::insn {

namespace {

using fp::FpCtx;
using fp::Rounding;

// FPToFixed into W/X[d].
bool to_int(Core& c, Imm<1> sf, Imm<2> ftype, unsigned fbits, bool is_unsigned, Rounding rm, Reg Rn,
            Reg Rd) {
    const unsigned bits = arith_bits(ftype);
    if (!bits) return false;
    c.check_fp_enabled();
    FpCtx x = fp_ctx(c);
    const unsigned ibits = sf.v ? 64 : 32;
    const uint64_t r = fp::to_fixed(vread(c, Rn, bits), bits, ibits, fbits, is_unsigned, rm, x);
    c.setX(Rd, r);
    fp_commit(c, x);
    return true;
}

// FixedToFP from W/X[n], rounded per FPCR.
bool from_int(Core& c, Imm<1> sf, Imm<2> ftype, unsigned fbits, bool is_unsigned, Reg Rn, Reg Rd) {
    const unsigned bits = arith_bits(ftype);
    if (!bits) return false;
    c.check_fp_enabled();
    FpCtx x = fp_ctx(c);
    const unsigned ibits = sf.v ? 64 : 32;
    vwrite(c, Rd, fp::from_fixed(c.X(Rn), ibits, fbits, is_unsigned, bits, x.rmode(), x), bits);
    fp_commit(c, x);
    return true;
}

// fbits = 64 - scale; a 32-bit integer allows at most 32 (scale<5> = 1).
bool fixed_ok(Imm<1> sf, Imm<6> scale) { return sf.v || scale.bit(5); }

}  // namespace

bool SCVTF_fix(Core& c, Imm<1> sf, Imm<2> ftype, Imm<6> scale, Reg Rn, Reg Rd) {
    if (!fixed_ok(sf, scale)) return false;
    return from_int(c, sf, ftype, 64 - scale.v, false, Rn, Rd);
}

bool UCVTF_fix(Core& c, Imm<1> sf, Imm<2> ftype, Imm<6> scale, Reg Rn, Reg Rd) {
    if (!fixed_ok(sf, scale)) return false;
    return from_int(c, sf, ftype, 64 - scale.v, true, Rn, Rd);
}

bool FCVTZS_fix(Core& c, Imm<1> sf, Imm<2> ftype, Imm<6> scale, Reg Rn, Reg Rd) {
    if (!fixed_ok(sf, scale)) return false;
    return to_int(c, sf, ftype, 64 - scale.v, false, Rounding::Zero, Rn, Rd);
}

bool FCVTZU_fix(Core& c, Imm<1> sf, Imm<2> ftype, Imm<6> scale, Reg Rn, Reg Rd) {
    if (!fixed_ok(sf, scale)) return false;
    return to_int(c, sf, ftype, 64 - scale.v, true, Rounding::Zero, Rn, Rd);
}

// FCVTN*/P*/M*/Z*: rmode 00 TIEEVEN, 01 POSINF, 10 NEGINF, 11 ZERO.
bool FCVT_int(Core& c, Imm<1> sf, Imm<2> ftype, Imm<2> rmode, Imm<1> u, Reg Rn, Reg Rd) {
    return to_int(c, sf, ftype, 0, u.v, static_cast<Rounding>(rmode.v), Rn, Rd);
}

bool FCVTA_int(Core& c, Imm<1> sf, Imm<2> ftype, Imm<1> u, Reg Rn, Reg Rd) {
    return to_int(c, sf, ftype, 0, u.v, Rounding::TieAway, Rn, Rd);
}

bool CVTF_int(Core& c, Imm<1> sf, Imm<2> ftype, Imm<1> u, Reg Rn, Reg Rd) {
    return from_int(c, sf, ftype, 0, u.v, Rn, Rd);
}

// FMOV (general): W<->S (sf 0, ftype 00), X<->D (sf 1, ftype 01), both with
// rmode 00; X<->V.D[1] (sf 1, ftype 10, rmode 01), which leaves V[63:0] alone.
// The half-precision forms (ftype 11) need FEAT_FP16.
bool FMOV_gen(Core& c, Imm<1> sf, Imm<2> ftype, Imm<2> rmode, Imm<1> to_fp, Reg Rn, Reg Rd) {
    const unsigned form = (sf.v << 4) | (ftype.v << 2) | rmode.v;
    if (form != 0x00 && form != 0x14 && form != 0x19) return false;
    c.check_fp_enabled();
    if (form == 0x19) {
        if (to_fp.v) c.st.v[Rd.idx()][1] = c.X(Rn);
        else c.setX(Rd, c.st.v[Rn.idx()][1]);
        return true;
    }
    const unsigned bits = sf.v ? 64 : 32;
    if (to_fp.v) vwrite(c, Rd, c.X(Rn), bits);
    else c.setX(Rd, vread(c, Rn, bits));
    return true;
}

}  // namespace hvsim::cpu::insn
