// Data processing -- register (Arm ARM C4.1.89).
#include "dp_reg.h"

#include "alu.h"
#include "models/cpu/core.h"

namespace hvsim::cpu::insn {

// AND (shifted register)
bool AND_shift(Core& c, Imm<1> sf, Imm<2> hw, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// BIC (shifted register)
bool BIC_shift(Core& c, Imm<1> sf, Imm<2> hw, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// ORR (shifted register)
bool ORR_shift(Core& c, Imm<1> sf, Imm<2> hw, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// ORN (shifted register)
bool ORN_shift(Core& c, Imm<1> sf, Imm<2> hw, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// EOR (shifted register)
bool EOR_shift(Core& c, Imm<1> sf, Imm<2> hw, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// EON (shifted register)
bool EON_shift(Core& c, Imm<1> sf, Imm<2> hw, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// ANDS (shifted register)
bool ANDS_shift(Core& c, Imm<1> sf, Imm<2> hw, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// BICS (shifted register)
bool BICS_shift(Core& c, Imm<1> sf, Imm<2> hw, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// ADD (shifted register)
bool ADD_shift(Core& c, Imm<1> sf, Imm<2> hw, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// ADDS (shifted register)
bool ADDS_shift(Core& c, Imm<1> sf, Imm<2> hw, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// SUB (shifted register)
bool SUB_shift(Core& c, Imm<1> sf, Imm<2> hw, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// SUBS (shifted register)
bool SUBS_shift(Core& c, Imm<1> sf, Imm<2> hw, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// ADD (extended register)
bool ADD_ext(Core& c, Imm<1> sf, Reg Rm, Imm<3> option, Imm<3> imm3, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// ADDS (extended register)
bool ADDS_ext(Core& c, Imm<1> sf, Reg Rm, Imm<3> option, Imm<3> imm3, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// SUB (extended register)
bool SUB_ext(Core& c, Imm<1> sf, Reg Rm, Imm<3> option, Imm<3> imm3, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// SUBS (extended register)
bool SUBS_ext(Core& c, Imm<1> sf, Reg Rm, Imm<3> option, Imm<3> imm3, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// ADC
bool ADC(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// ADCS
bool ADCS(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// SBC
bool SBC(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// SBCS
bool SBCS(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// CCMN (register)
bool CCMN_reg(Core& c, Imm<1> sf, Reg Rm, Cond cond, Reg Rn, Imm<4> nzcv) {
    return false;  // TODO
}

// CCMP (register)
bool CCMP_reg(Core& c, Imm<1> sf, Reg Rm, Cond cond, Reg Rn, Imm<4> nzcv) {
    return false;  // TODO
}

// CCMN (immediate)
bool CCMN_imm(Core& c, Imm<1> sf, Imm<5> imm5, Cond cond, Reg Rn, Imm<4> nzcv) {
    return false;  // TODO
}

// CCMP (immediate)
bool CCMP_imm(Core& c, Imm<1> sf, Imm<5> imm5, Cond cond, Reg Rn, Imm<4> nzcv) {
    return false;  // TODO
}

// CSEL
bool CSEL(Core& c, Imm<1> sf, Reg Rm, Cond cond, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// CSINC
bool CSINC(Core& c, Imm<1> sf, Reg Rm, Cond cond, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// CSINV
bool CSINV(Core& c, Imm<1> sf, Reg Rm, Cond cond, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// CSNEG
bool CSNEG(Core& c, Imm<1> sf, Reg Rm, Cond cond, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// UDIV
bool UDIV(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// SDIV
bool SDIV(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// LSLV
bool LSLV(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// LSRV
bool LSRV(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// ASRV
bool ASRV(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// RORV
bool RORV(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// RBIT
bool RBIT(Core& c, Imm<1> sf, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// REV16
bool REV16(Core& c, Imm<1> sf, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// REV32
bool REV32(Core& c, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// REV (32-bit)
bool REV_w(Core& c, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// REV (64-bit)
bool REV_x(Core& c, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// CLZ
bool CLZ(Core& c, Imm<1> sf, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// CLS
bool CLS(Core& c, Imm<1> sf, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// MADD
bool MADD(Core& c, Imm<1> sf, Reg Rm, Reg Ra, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// MSUB
bool MSUB(Core& c, Imm<1> sf, Reg Rm, Reg Ra, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// SMADDL
bool SMADDL(Core& c, Reg Rm, Reg Ra, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// SMSUBL
bool SMSUBL(Core& c, Reg Rm, Reg Ra, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// SMULH
bool SMULH(Core& c, Reg Rm, Reg Ra, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// UMADDL
bool UMADDL(Core& c, Reg Rm, Reg Ra, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// UMSUBL
bool UMSUBL(Core& c, Reg Rm, Reg Ra, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// UMULH
bool UMULH(Core& c, Reg Rm, Reg Ra, Reg Rn, Reg Rd) {
    return false;  // TODO
}

}  // namespace hvsim::cpu::insn
