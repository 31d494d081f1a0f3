// Data processing -- immediate (Arm ARM C4.1.86).
#include "dp_imm.h"

#include "alu.h"
#include "models/cpu/a64_patterns.h"
#include "models/cpu/core.h"

namespace hvsim::cpu::insn {

namespace {

[[gnu::always_inline]] inline unsigned datasize(Imm<1> sf) { return sf.v ? 64 : 32; }

[[gnu::always_inline]] inline void set_flags(Core& c, const Flags& f) { c.set_nzcv(f.n, f.z, f.c, f.v); }

// ADD/SUB (immediate): Rn is SP-or-register; Rd is too unless the flags are
// set, when Rd 31 is ZR. A 32-bit result written to SP is zero-extended.
[[gnu::always_inline]] inline bool add_sub_imm(Core& c, Imm<1> sf, Imm<1> sh, Imm<12> imm12, Reg Rn, Reg Rd, bool sub, bool setflags) {
    const uint64_t imm = uint64_t(imm12.zext()) << (sh.v ? 12 : 0);
    Flags f;
    const uint64_t result = add_with_carry(c.XSP(Rn), sub ? ~imm : imm, sub, datasize(sf), f);
    if (setflags) {
        c.setX(Rd, result);
        set_flags(c, f);
    } else {
        c.setXSP(Rd, result);
    }
    return true;
}

enum class LogicOp { And, Orr, Eor, Ands };

// AND/ORR/EOR/ANDS (immediate): Rd 31 is SP except for ANDS (ZR); Rn 31 is ZR.
[[gnu::always_inline]] inline bool logical_imm(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd, LogicOp op) {
    const unsigned ds = datasize(sf);
    if (!sf.v && N.v) return false;
    uint64_t imm, tmask;
    if (!decode_bit_masks(N.v, imms.v, immr.v, true, ds, imm, tmask)) return false;
    const uint64_t a = c.X(Rn) & width_mask(ds);
    switch (op) {
    case LogicOp::And: c.setXSP(Rd, a & imm); break;
    case LogicOp::Orr: c.setXSP(Rd, a | imm); break;
    case LogicOp::Eor: c.setXSP(Rd, a ^ imm); break;
    case LogicOp::Ands: {
        const uint64_t result = a & imm;
        c.setX(Rd, result);
        c.set_nzcv((result >> (ds - 1)) & 1, result == 0, false, false);
        break;
    }
    }
    return true;
}

enum class MoveOp { N, Z, K };

// MOVN/MOVZ/MOVK: hw<1> selects the upper half of a 64-bit register only.
[[gnu::always_inline]] inline bool move_wide(Core& c, Imm<1> sf, Imm<2> hw, Imm<16> imm16, Reg Rd, MoveOp op) {
    if (!sf.v && hw.bit(1)) return false;
    const unsigned pos = hw.v * 16;
    uint64_t result = op == MoveOp::K ? c.X(Rd) : 0;
    result = (result & ~(0xFFFFull << pos)) | (uint64_t(imm16.zext()) << pos);
    if (op == MoveOp::N) result = ~result;
    c.setX(Rd, result & width_mask(datasize(sf)));
    return true;
}

enum class BitfieldOp { Signed, Insert, Unsigned };

// SBFM/BFM/UBFM (Arm ARM C6.2, shared decode): the source field rotated right
// by immr, masked by wmask, then merged by tmask with the sign bit src<imms>
// (SBFM), the old destination (BFM) or zeros (UBFM).
[[gnu::always_inline]] inline bool bitfield(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd, BitfieldOp op) {
    if (sf.v != N.v) return false;
    if (!sf.v && (immr.bit(5) || imms.bit(5))) return false;
    const unsigned ds = datasize(sf);
    const uint64_t m = width_mask(ds);
    uint64_t wmask, tmask;
    if (!decode_bit_masks(N.v, imms.v, immr.v, false, ds, wmask, tmask)) return false;
    const uint64_t src = c.X(Rn) & m;
    const uint64_t bot = ror(src, immr.v, ds) & wmask;
    uint64_t result;
    switch (op) {
    case BitfieldOp::Signed: {
        const uint64_t top = ((src >> imms.v) & 1) ? m : 0;
        result = (top & ~tmask) | (bot & tmask);
        break;
    }
    case BitfieldOp::Insert: {
        const uint64_t dst = c.X(Rd) & m;
        const uint64_t merged = (dst & ~wmask) | bot;
        result = (dst & ~tmask) | (merged & tmask);
        break;
    }
    default: result = bot & tmask; break;
    }
    c.setX(Rd, result & m);
    return true;
}

}  // namespace

// ADR
bool ADR(Core& c, Imm<2> immlo, Imm<19> immhi, Reg Rd) {
    const uint64_t imm = sign_extend((uint64_t(immhi.zext()) << 2) | immlo.zext(), 21);
    c.setX(Rd, c.pc() + imm);
    return true;
}

// ADRP
bool ADRP(Core& c, Imm<2> immlo, Imm<19> immhi, Reg Rd) {
    const uint64_t imm = sign_extend((uint64_t(immhi.zext()) << 2) | immlo.zext(), 21) << 12;
    c.setX(Rd, (c.pc() & ~0xFFFull) + imm);
    return true;
}

// ADD (immediate)
bool ADD_imm(Core& c, Imm<1> sf, Imm<1> sh, Imm<12> imm12, Reg Rn, Reg Rd) {
    return add_sub_imm(c, sf, sh, imm12, Rn, Rd, false, false);
}

// ADDS (immediate)
bool ADDS_imm(Core& c, Imm<1> sf, Imm<1> sh, Imm<12> imm12, Reg Rn, Reg Rd) {
    return add_sub_imm(c, sf, sh, imm12, Rn, Rd, false, true);
}

// SUB (immediate)
bool SUB_imm(Core& c, Imm<1> sf, Imm<1> sh, Imm<12> imm12, Reg Rn, Reg Rd) {
    return add_sub_imm(c, sf, sh, imm12, Rn, Rd, true, false);
}

// SUBS (immediate)
bool SUBS_imm(Core& c, Imm<1> sf, Imm<1> sh, Imm<12> imm12, Reg Rn, Reg Rd) {
    return add_sub_imm(c, sf, sh, imm12, Rn, Rd, true, true);
}

// AND (immediate)
bool AND_imm(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd) {
    return logical_imm(c, sf, N, immr, imms, Rn, Rd, LogicOp::And);
}

// ORR (immediate)
bool ORR_imm(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd) {
    return logical_imm(c, sf, N, immr, imms, Rn, Rd, LogicOp::Orr);
}

// EOR (immediate)
bool EOR_imm(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd) {
    return logical_imm(c, sf, N, immr, imms, Rn, Rd, LogicOp::Eor);
}

// ANDS (immediate)
bool ANDS_imm(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd) {
    return logical_imm(c, sf, N, immr, imms, Rn, Rd, LogicOp::Ands);
}

// MOVN
bool MOVN(Core& c, Imm<1> sf, Imm<2> hw, Imm<16> imm16, Reg Rd) {
    return move_wide(c, sf, hw, imm16, Rd, MoveOp::N);
}

// MOVZ
bool MOVZ(Core& c, Imm<1> sf, Imm<2> hw, Imm<16> imm16, Reg Rd) {
    return move_wide(c, sf, hw, imm16, Rd, MoveOp::Z);
}

// MOVK
bool MOVK(Core& c, Imm<1> sf, Imm<2> hw, Imm<16> imm16, Reg Rd) {
    return move_wide(c, sf, hw, imm16, Rd, MoveOp::K);
}

// SBFM
bool SBFM(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd) {
    return bitfield(c, sf, N, immr, imms, Rn, Rd, BitfieldOp::Signed);
}

// BFM
bool BFM(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd) {
    return bitfield(c, sf, N, immr, imms, Rn, Rd, BitfieldOp::Insert);
}

// UBFM
bool UBFM(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd) {
    return bitfield(c, sf, N, immr, imms, Rn, Rd, BitfieldOp::Unsigned);
}

// EXTR: bits <lsb+datasize-1:lsb> of Rn:Rm.
bool EXTR(Core& c, Imm<1> sf, Imm<1> N, Reg Rm, Imm<6> imms, Reg Rn, Reg Rd) {
    if (sf.v != N.v) return false;
    if (!sf.v && imms.bit(5)) return false;
    const unsigned ds = datasize(sf);
    const uint64_t m = width_mask(ds);
    const unsigned lsb = imms.v;
    const uint64_t lo = c.X(Rm) & m, hi = c.X(Rn) & m;
    const uint64_t result = lsb == 0 ? lo : (lo >> lsb) | (hi << (ds - lsb));
    c.setX(Rd, result & m);
    return true;
}

}  // namespace hvsim::cpu::insn

// Thunks with the handler inlined (models/cpu/a64_patterns.h).
HVSIM_DP_IMM_THUNKS(HVSIM_THUNK_DEFINE)
