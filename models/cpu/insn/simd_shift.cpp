// Advanced SIMD shift by immediate and scalar shift by immediate, integer
// forms (Arm ARM C4.1.95).
//
// immh:immb (the 7-bit field `imm`) encodes the element size by the highest
// set bit of immh and the shift: right shifts are 2*esize - imm, left
// shifts imm - esize. The narrowing and lengthening forms take esize as the
// narrow size, with immh<3> reserved.
#include "simd.h"
#include "simd_util.h"

namespace hvsim::cpu::insn {

using namespace simd;

namespace {

enum Opc : unsigned {
    kShr = 0, kSra = 2, kRshr = 4, kRsra = 6, kSri = 8, kShl = 10, kQshlu = 12, kQshl = 14,
    kShrn = 16, kRshrn = 17, kQshrn = 18, kQrshrn = 19, kShll = 20,
};

bool is_right(unsigned opc) { return opc <= kSri || (opc >= kShrn && opc <= kQrshrn); }
bool is_narrow(unsigned opc) { return opc >= kShrn && opc <= kQrshrn; }

// One element; `a` is the source (2*esize wide for the narrowing forms), `d`
// the destination element for the accumulating and inserting forms.
uint64_t shift_elem(unsigned opc, bool u, unsigned esize, unsigned shift, uint64_t a, uint64_t d, bool& q) {
    const uint64_t ones = mask_of(esize);
    switch (opc) {
    case kShr:
    case kSra:
    case kRshr:
    case kRsra: {
        const i128 round = (opc == kRshr || opc == kRsra) ? static_cast<i128>(1) << (shift - 1) : 0;
        const uint64_t r = static_cast<uint64_t>((as_int(a, esize, u) + round) >> shift);
        return (opc == kSra || opc == kRsra) ? d + r : r;
    }
    case kSri: {
        const uint64_t m = shift >= 64 ? 0 : ones >> shift;
        return (d & ~m) | (shift >= 64 ? 0 : a >> shift);
    }
    case kShl: return u ? (d & ~(ones << shift)) | (a << shift) : a << shift;  // SLI : SHL
    case kQshlu: return sat_unsigned(shl(as_int(a, esize, false), shift), esize, q);
    case kQshl: return sat(shl(as_int(a, esize, u), shift), esize, u, q);
    default: {
        // Narrowing: SHRN/RSHRN (u = 0), SQSHRUN/SQRSHRUN (u = 1) in opcodes
        // 16/17; SQSHRN/UQSHRN, SQRSHRN/UQRSHRN in 18/19.
        const bool round = opc == kRshrn || opc == kQrshrn;
        const bool src_unsigned = opc >= kQshrn && u;
        const i128 r = (as_int(a, 2 * esize, src_unsigned) + (round ? static_cast<i128>(1) << (shift - 1) : 0)) >> shift;
        if (opc >= kQshrn) return sat(r, esize, u, q);
        return u ? sat_unsigned(r, esize, q) : static_cast<uint64_t>(r);
    }
    }
}

// The element size and shift of immh:immb; false if reserved.
bool decode_shift(unsigned opc, uint32_t imm, unsigned& esize, unsigned& shift) {
    const uint32_t immh = imm >> 3;
    if (immh == 0) return false;
    esize = 8u << (31 - __builtin_clz(immh));
    if ((is_narrow(opc) || opc == kShll) && esize == 64) return false;
    shift = is_right(opc) ? 2 * esize - imm : imm - esize;
    return true;
}

bool shift_v(Core& c, unsigned opc, bool Q, bool U, uint32_t imm, Reg Rn, Reg Rd) {
    unsigned esize, shift;
    if (!decode_shift(opc, imm, esize, shift)) return false;
    if (!is_narrow(opc) && opc != kShll && esize == 64 && !Q) return false;
    c.check_fp_enabled();
    const Vec128 n = rd_vec(c, Rn.idx()), d = rd_vec(c, Rd.idx());
    bool q = false;
    if (is_narrow(opc)) {
        Vec128 r = Q ? d : Vec128{0, 0};
        for (unsigned i = 0; i < 64 / esize; ++i)
            set_el(r, (Q ? 64 / esize : 0) + i, esize, shift_elem(opc, U, esize, shift, el(n, i, 2 * esize), 0, q));
        set_vreg(c.st, Rd.idx(), r);
    } else if (opc == kShll) {  // SSHLL/USHLL from Vpart[n, Q]
        vmap(c, Rd.idx(), true, 2 * esize, [&](unsigned i) {
            return static_cast<uint64_t>(shl(as_int(el(n, (Q ? 64 / esize : 0) + i, esize), esize, U), shift));
        });
    } else {
        vmap(c, Rd.idx(), Q, esize, [&](unsigned i) { return shift_elem(opc, U, esize, shift, el(n, i, esize), el(d, i, esize), q); });
    }
    set_qc(c, q);
    return true;
}

bool shift_s(Core& c, unsigned opc, bool U, uint32_t imm, Reg Rn, Reg Rd) {
    unsigned esize, shift;
    if (!decode_shift(opc, imm, esize, shift)) return false;
    if (opc <= kShl && esize != 64) return false;  // the non-saturating forms are 64-bit only
    c.check_fp_enabled();
    bool q = false;
    const unsigned src = is_narrow(opc) ? 2 * esize : esize;
    const uint64_t r = shift_elem(opc, U, esize, shift, scalar(c.st, Rn.idx(), src / 8), scalar(c.st, Rd.idx(), esize / 8), q);
    set_scalar(c.st, Rd.idx(), r, esize / 8);
    set_qc(c, q);
    return true;
}

}  // namespace

#define SHIFTU(name, opc) \
    bool name(Core& c, Imm<1> Q, Imm<1> U, Imm<7> imm, Reg Rn, Reg Rd) { return shift_v(c, opc, Q.v, U.v, imm.v, Rn, Rd); }
#define SSHIFTU(name, opc) \
    bool name(Core& c, Imm<1> U, Imm<7> imm, Reg Rn, Reg Rd) { return shift_s(c, opc, U.v, imm.v, Rn, Rd); }
#define SSHIFT(name, opc, u) \
    bool name(Core& c, Imm<7> imm, Reg Rn, Reg Rd) { return shift_s(c, opc, u, imm.v, Rn, Rd); }

SHIFTU(SSHR_v, kShr)
SHIFTU(SSRA_v, kSra)
SHIFTU(SRSHR_v, kRshr)
SHIFTU(SRSRA_v, kRsra)
// SRI and SQSHLU: U = 0 is unallocated (the field stays in the pattern so
// that MOVI/MVNI with cmode 0100 and 0110 are special cases of it).
#define SHIFT_U1(name, opc) \
    bool name(Core& c, Imm<1> Q, Imm<1> U, Imm<7> imm, Reg Rn, Reg Rd) { return U.v && shift_v(c, opc, Q.v, true, imm.v, Rn, Rd); }
SHIFT_U1(SRI_v, kSri)
SHIFTU(SHL_v, kShl)
SHIFT_U1(SQSHLU_v, kQshlu)
SHIFTU(SQSHL_imm_v, kQshl)
SHIFTU(SHRN_v, kShrn)
SHIFTU(RSHRN_v, kRshrn)
SHIFTU(SQSHRN_v, kQshrn)
SHIFTU(SQRSHRN_v, kQrshrn)
SHIFTU(SSHLL_v, kShll)

SSHIFTU(SSHR_s, kShr)
SSHIFTU(SSRA_s, kSra)
SSHIFTU(SRSHR_s, kRshr)
SSHIFTU(SRSRA_s, kRsra)
SSHIFT(SRI_s, kSri, true)
SSHIFTU(SHL_s, kShl)
SSHIFT(SQSHLU_s, kQshlu, true)
SSHIFTU(SQSHL_imm_s, kQshl)
SSHIFT(SQSHRUN_s, kShrn, true)
SSHIFT(SQRSHRUN_s, kRshrn, true)
SSHIFTU(SQSHRN_s, kQshrn)
SSHIFTU(SQRSHRN_s, kQrshrn)

}  // namespace hvsim::cpu::insn
