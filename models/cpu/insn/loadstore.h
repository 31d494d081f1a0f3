// Handlers: Loads and stores (Arm ARM C4.1.88).
// Signatures follow the operand fields of models/cpu/a64.inc.
#pragma once

#include "models/cpu/decoder.h"

namespace hvsim::cpu {
class Core;
}

namespace hvsim::cpu::insn {

bool STXR(Core& c, Imm<2> size, Reg Rs, Reg Rt2, Reg Rn, Reg Rt);
bool STLXR(Core& c, Imm<2> size, Reg Rs, Reg Rt2, Reg Rn, Reg Rt);
bool LDXR(Core& c, Imm<2> size, Reg Rs, Reg Rt2, Reg Rn, Reg Rt);
bool LDAXR(Core& c, Imm<2> size, Reg Rs, Reg Rt2, Reg Rn, Reg Rt);
bool STXP(Core& c, Imm<1> sz, Reg Rs, Reg Rt2, Reg Rn, Reg Rt);
bool STLXP(Core& c, Imm<1> sz, Reg Rs, Reg Rt2, Reg Rn, Reg Rt);
bool LDXP(Core& c, Imm<1> sz, Reg Rs, Reg Rt2, Reg Rn, Reg Rt);
bool LDAXP(Core& c, Imm<1> sz, Reg Rs, Reg Rt2, Reg Rn, Reg Rt);
bool STLR(Core& c, Imm<2> size, Reg Rs, Reg Rt2, Reg Rn, Reg Rt);
bool LDAR(Core& c, Imm<2> size, Reg Rs, Reg Rt2, Reg Rn, Reg Rt);
bool LDR_lit(Core& c, Imm<1> opc0, Imm<19> imm19, Reg Rt);
bool LDRSW_lit(Core& c, Imm<19> imm19, Reg Rt);
bool PRFM_lit(Core& c, Imm<19> imm19, Reg Rt);
bool STP(Core& c, Imm<1> sf, Imm<2> idx, Imm<7> imm7, Reg Rt2, Reg Rn, Reg Rt);
bool LDP(Core& c, Imm<1> sf, Imm<2> idx, Imm<7> imm7, Reg Rt2, Reg Rn, Reg Rt);
bool LDPSW(Core& c, Imm<2> idx, Imm<7> imm7, Reg Rt2, Reg Rn, Reg Rt);
bool LDST_unscaled(Core& c, Imm<2> size, Imm<2> opc, Imm<9> imm9, Reg Rn, Reg Rt);
bool LDST_post(Core& c, Imm<2> size, Imm<2> opc, Imm<9> imm9, Reg Rn, Reg Rt);
bool LDST_unpriv(Core& c, Imm<2> size, Imm<2> opc, Imm<9> imm9, Reg Rn, Reg Rt);
bool LDST_pre(Core& c, Imm<2> size, Imm<2> opc, Imm<9> imm9, Reg Rn, Reg Rt);
bool LDST_regoff(Core& c, Imm<2> size, Imm<2> opc, Reg Rm, Imm<3> option, Imm<1> S, Reg Rn, Reg Rt);
bool LDST_uimm(Core& c, Imm<2> size, Imm<2> opc, Imm<12> imm12, Reg Rn, Reg Rt);

}  // namespace hvsim::cpu::insn

// The hottest handlers of this file, whose thunks loadstore.cpp instantiates
// (models/cpu/a64_patterns.h).
#define HVSIM_LOADSTORE_THUNKS(X) X(STXR) X(STLXR) X(LDXR) X(LDAXR) X(STLR) X(LDAR) X(LDR_lit) X(STP) X(LDP) \
    X(LDPSW) X(LDST_unscaled) X(LDST_post) X(LDST_pre) X(LDST_regoff) X(LDST_uimm)
