// Handlers: Data processing -- immediate (Arm ARM C4.1.86).
// Signatures follow the operand fields of models/cpu/a64.inc.
#pragma once

#include "models/cpu/decoder.h"

namespace hvsim::cpu {
class Core;
}

namespace hvsim::cpu::insn {

bool ADR(Core& c, Imm<2> immlo, Imm<19> immhi, Reg Rd);
bool ADRP(Core& c, Imm<2> immlo, Imm<19> immhi, Reg Rd);
bool ADD_imm(Core& c, Imm<1> sf, Imm<1> sh, Imm<12> imm12, Reg Rn, Reg Rd);
bool ADDS_imm(Core& c, Imm<1> sf, Imm<1> sh, Imm<12> imm12, Reg Rn, Reg Rd);
bool SUB_imm(Core& c, Imm<1> sf, Imm<1> sh, Imm<12> imm12, Reg Rn, Reg Rd);
bool SUBS_imm(Core& c, Imm<1> sf, Imm<1> sh, Imm<12> imm12, Reg Rn, Reg Rd);
bool AND_imm(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd);
bool ORR_imm(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd);
bool EOR_imm(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd);
bool ANDS_imm(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd);
bool MOVN(Core& c, Imm<1> sf, Imm<2> hw, Imm<16> imm16, Reg Rd);
bool MOVZ(Core& c, Imm<1> sf, Imm<2> hw, Imm<16> imm16, Reg Rd);
bool MOVK(Core& c, Imm<1> sf, Imm<2> hw, Imm<16> imm16, Reg Rd);
bool SBFM(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd);
bool BFM(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd);
bool UBFM(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd);
bool EXTR(Core& c, Imm<1> sf, Imm<1> N, Reg Rm, Imm<6> imms, Reg Rn, Reg Rd);

}  // namespace hvsim::cpu::insn

// The hottest handlers of this file, whose thunks dp_imm.cpp instantiates
// (models/cpu/a64_patterns.h).
#define HVSIM_DP_IMM_THUNKS(X) X(ADR) X(ADRP) X(ADD_imm) X(ADDS_imm) X(SUB_imm) X(SUBS_imm) X(AND_imm) \
    X(ORR_imm) X(EOR_imm) X(ANDS_imm) X(MOVN) X(MOVZ) X(MOVK) X(SBFM) X(BFM) X(UBFM) X(EXTR)
