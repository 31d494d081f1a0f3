// Handlers: Data processing -- register (Arm ARM C4.1.89).
// Signatures follow the operand fields of models/cpu/a64.inc.
#pragma once

#include "models/cpu/decoder.h"

namespace hvsim::cpu {
class Core;
}

namespace hvsim::cpu::insn {

bool AND_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd);
bool BIC_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd);
bool ORR_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd);
bool ORN_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd);
bool EOR_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd);
bool EON_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd);
bool ANDS_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd);
bool BICS_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd);
bool ADD_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd);
bool ADDS_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd);
bool SUB_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd);
bool SUBS_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd);
bool ADD_ext(Core& c, Imm<1> sf, Reg Rm, Imm<3> option, Imm<3> imm3, Reg Rn, Reg Rd);
bool ADDS_ext(Core& c, Imm<1> sf, Reg Rm, Imm<3> option, Imm<3> imm3, Reg Rn, Reg Rd);
bool SUB_ext(Core& c, Imm<1> sf, Reg Rm, Imm<3> option, Imm<3> imm3, Reg Rn, Reg Rd);
bool SUBS_ext(Core& c, Imm<1> sf, Reg Rm, Imm<3> option, Imm<3> imm3, Reg Rn, Reg Rd);
bool ADC(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd);
bool ADCS(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd);
bool SBC(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd);
bool SBCS(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd);
bool CCMN_reg(Core& c, Imm<1> sf, Reg Rm, Cond cond, Reg Rn, Imm<4> nzcv);
bool CCMP_reg(Core& c, Imm<1> sf, Reg Rm, Cond cond, Reg Rn, Imm<4> nzcv);
bool CCMN_imm(Core& c, Imm<1> sf, Imm<5> imm5, Cond cond, Reg Rn, Imm<4> nzcv);
bool CCMP_imm(Core& c, Imm<1> sf, Imm<5> imm5, Cond cond, Reg Rn, Imm<4> nzcv);
bool CSEL(Core& c, Imm<1> sf, Reg Rm, Cond cond, Reg Rn, Reg Rd);
bool CSINC(Core& c, Imm<1> sf, Reg Rm, Cond cond, Reg Rn, Reg Rd);
bool CSINV(Core& c, Imm<1> sf, Reg Rm, Cond cond, Reg Rn, Reg Rd);
bool CSNEG(Core& c, Imm<1> sf, Reg Rm, Cond cond, Reg Rn, Reg Rd);
bool UDIV(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd);
bool CRC32(Core& c, Imm<1> sf, Reg Rm, Imm<1> C, Imm<2> sz, Reg Rn, Reg Rd);
bool SDIV(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd);
bool LSLV(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd);
bool LSRV(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd);
bool ASRV(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd);
bool RORV(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd);
bool RBIT(Core& c, Imm<1> sf, Reg Rn, Reg Rd);
bool REV16(Core& c, Imm<1> sf, Reg Rn, Reg Rd);
bool REV32(Core& c, Reg Rn, Reg Rd);
bool REV_w(Core& c, Reg Rn, Reg Rd);
bool REV_x(Core& c, Reg Rn, Reg Rd);
bool CLZ(Core& c, Imm<1> sf, Reg Rn, Reg Rd);
bool CLS(Core& c, Imm<1> sf, Reg Rn, Reg Rd);
bool MADD(Core& c, Imm<1> sf, Reg Rm, Reg Ra, Reg Rn, Reg Rd);
bool MSUB(Core& c, Imm<1> sf, Reg Rm, Reg Ra, Reg Rn, Reg Rd);
bool SMADDL(Core& c, Reg Rm, Reg Ra, Reg Rn, Reg Rd);
bool SMSUBL(Core& c, Reg Rm, Reg Ra, Reg Rn, Reg Rd);
bool SMULH(Core& c, Reg Rm, Reg Ra, Reg Rn, Reg Rd);
bool UMADDL(Core& c, Reg Rm, Reg Ra, Reg Rn, Reg Rd);
bool UMSUBL(Core& c, Reg Rm, Reg Ra, Reg Rn, Reg Rd);
bool UMULH(Core& c, Reg Rm, Reg Ra, Reg Rn, Reg Rd);

}  // namespace hvsim::cpu::insn

// The hottest handlers of this file, whose thunks dp_reg.cpp instantiates
// (models/cpu/a64_patterns.h).
#define HVSIM_DP_REG_THUNKS(X) X(AND_shift) X(BIC_shift) X(ORR_shift) X(ORN_shift) X(EOR_shift) X(EON_shift) \
    X(ANDS_shift) X(BICS_shift) X(ADD_shift) X(ADDS_shift) X(SUB_shift) X(SUBS_shift) X(ADD_ext) X(ADDS_ext) \
    X(SUB_ext) X(SUBS_ext) X(ADC) X(ADCS) X(SBC) X(SBCS) X(CCMN_reg) X(CCMP_reg) X(CCMN_imm) X(CCMP_imm) \
    X(CSEL) X(CSINC) X(CSINV) X(CSNEG) X(LSLV) X(LSRV) X(ASRV) X(RORV) X(RBIT) X(REV16) X(REV32) X(REV_w) \
    X(REV_x) X(CLZ) X(MADD) X(MSUB) X(SMADDL) X(UMADDL) X(SMULH) X(UMULH)
