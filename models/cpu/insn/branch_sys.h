// Handlers: Branches, exception generating and system instructions (Arm ARM C4.1.87).
// Signatures follow the operand fields of models/cpu/a64.inc.
#pragma once

#include "models/cpu/decoder.h"

namespace hvsim::cpu {
class Core;
}

namespace hvsim::cpu::insn {

bool B_cond(Core& c, Imm<19> imm19, Cond cond);
bool SVC(Core& c, Imm<16> imm16);
bool HVC(Core& c, Imm<16> imm16);
bool SMC(Core& c, Imm<16> imm16);
bool BRK(Core& c, Imm<16> imm16);
bool HLT(Core& c, Imm<16> imm16);
bool HINT(Core& c, Imm<4> CRm, Imm<3> op2);
bool CLREX(Core& c, Imm<4> CRm);
bool DSB(Core& c, Imm<4> CRm);
bool DMB(Core& c, Imm<4> CRm);
bool ISB(Core& c, Imm<4> CRm);
bool MSR_imm(Core& c, Imm<3> op1, Imm<4> CRm, Imm<3> op2);
bool SYS(Core& c, Imm<3> op1, Imm<4> CRn, Imm<4> CRm, Imm<3> op2, Reg Rt);
bool SYSL(Core& c, Imm<3> op1, Imm<4> CRn, Imm<4> CRm, Imm<3> op2, Reg Rt);
bool MSR_reg(Core& c, Imm<1> o0, Imm<3> op1, Imm<4> CRn, Imm<4> CRm, Imm<3> op2, Reg Rt);
bool MRS(Core& c, Imm<1> o0, Imm<3> op1, Imm<4> CRn, Imm<4> CRm, Imm<3> op2, Reg Rt);
bool BR(Core& c, Reg Rn);
bool BLR(Core& c, Reg Rn);
bool RET(Core& c, Reg Rn);
bool ERET(Core& c);
bool B(Core& c, Imm<26> imm26);
bool BL(Core& c, Imm<26> imm26);
bool CBZ(Core& c, Imm<1> sf, Imm<19> imm19, Reg Rt);
bool CBNZ(Core& c, Imm<1> sf, Imm<19> imm19, Reg Rt);
bool TBZ(Core& c, Imm<1> b5, Imm<5> b40, Imm<14> imm14, Reg Rt);
bool TBNZ(Core& c, Imm<1> b5, Imm<5> b40, Imm<14> imm14, Reg Rt);

}  // namespace hvsim::cpu::insn

// The hottest handlers of this file, whose thunks branch_sys.cpp instantiates
// (models/cpu/a64_patterns.h).
#define HVSIM_BRANCH_SYS_THUNKS(X) X(B_cond) X(HINT) X(BR) X(BLR) X(RET) X(B) X(BL) X(CBZ) X(CBNZ) X(TBZ) \
    X(TBNZ)
