// Loads and stores (Arm ARM C4.1.88).
#include "loadstore.h"

#include "alu.h"
#include "models/cpu/core.h"

namespace hvsim::cpu::insn {

// STXR/STXRB/STXRH
bool STXR(Core& c, Imm<2> size, Reg Rs, Reg Rt2, Reg Rn, Reg Rt) {
    return false;  // TODO
}

// STLXR/STLXRB/STLXRH
bool STLXR(Core& c, Imm<2> size, Reg Rs, Reg Rt2, Reg Rn, Reg Rt) {
    return false;  // TODO
}

// LDXR/LDXRB/LDXRH
bool LDXR(Core& c, Imm<2> size, Reg Rs, Reg Rt2, Reg Rn, Reg Rt) {
    return false;  // TODO
}

// LDAXR/LDAXRB/LDAXRH
bool LDAXR(Core& c, Imm<2> size, Reg Rs, Reg Rt2, Reg Rn, Reg Rt) {
    return false;  // TODO
}

// STXP
bool STXP(Core& c, Imm<1> sz, Reg Rs, Reg Rt2, Reg Rn, Reg Rt) {
    return false;  // TODO
}

// STLXP
bool STLXP(Core& c, Imm<1> sz, Reg Rs, Reg Rt2, Reg Rn, Reg Rt) {
    return false;  // TODO
}

// LDXP
bool LDXP(Core& c, Imm<1> sz, Reg Rs, Reg Rt2, Reg Rn, Reg Rt) {
    return false;  // TODO
}

// LDAXP
bool LDAXP(Core& c, Imm<1> sz, Reg Rs, Reg Rt2, Reg Rn, Reg Rt) {
    return false;  // TODO
}

// STLR/STLRB/STLRH
bool STLR(Core& c, Imm<2> size, Reg Rs, Reg Rt2, Reg Rn, Reg Rt) {
    return false;  // TODO
}

// LDAR/LDARB/LDARH
bool LDAR(Core& c, Imm<2> size, Reg Rs, Reg Rt2, Reg Rn, Reg Rt) {
    return false;  // TODO
}

// LDR (literal)
bool LDR_lit(Core& c, Imm<1> opc0, Imm<19> imm19, Reg Rt) {
    return false;  // TODO
}

// LDRSW (literal)
bool LDRSW_lit(Core& c, Imm<19> imm19, Reg Rt) {
    return false;  // TODO
}

// PRFM (literal)
bool PRFM_lit(Core& c, Imm<19> imm19, Reg Rt) {
    return false;  // TODO
}

// STP/STNP
bool STP(Core& c, Imm<1> sf, Imm<2> idx, Imm<7> imm7, Reg Rt2, Reg Rn, Reg Rt) {
    return false;  // TODO
}

// LDP/LDNP
bool LDP(Core& c, Imm<1> sf, Imm<2> idx, Imm<7> imm7, Reg Rt2, Reg Rn, Reg Rt) {
    return false;  // TODO
}

// LDPSW
bool LDPSW(Core& c, Imm<2> idx, Imm<7> imm7, Reg Rt2, Reg Rn, Reg Rt) {
    return false;  // TODO
}

// STUR*/LDUR*/PRFUM
bool LDST_unscaled(Core& c, Imm<2> size, Imm<2> opc, Imm<9> imm9, Reg Rn, Reg Rt) {
    return false;  // TODO
}

// STR*/LDR* (post-index)
bool LDST_post(Core& c, Imm<2> size, Imm<2> opc, Imm<9> imm9, Reg Rn, Reg Rt) {
    return false;  // TODO
}

// STTR*/LDTR*
bool LDST_unpriv(Core& c, Imm<2> size, Imm<2> opc, Imm<9> imm9, Reg Rn, Reg Rt) {
    return false;  // TODO
}

// STR*/LDR* (pre-index)
bool LDST_pre(Core& c, Imm<2> size, Imm<2> opc, Imm<9> imm9, Reg Rn, Reg Rt) {
    return false;  // TODO
}

// STR*/LDR*/PRFM (register)
bool LDST_regoff(Core& c, Imm<2> size, Imm<2> opc, Reg Rm, Imm<3> option, Imm<1> S, Reg Rn, Reg Rt) {
    return false;  // TODO
}

// STR*/LDR*/PRFM (unsigned offset)
bool LDST_uimm(Core& c, Imm<2> size, Imm<2> opc, Imm<12> imm12, Reg Rn, Reg Rt) {
    return false;  // TODO
}

}  // namespace hvsim::cpu::insn
