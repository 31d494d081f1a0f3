// Data processing -- immediate (Arm ARM C4.1.86).
#include "dp_imm.h"

#include "alu.h"
#include "models/cpu/core.h"

namespace hvsim::cpu::insn {

// ADR
bool ADR(Core& c, Imm<2> immlo, Imm<19> immhi, Reg Rd) {
    return false;  // TODO
}

// ADRP
bool ADRP(Core& c, Imm<2> immlo, Imm<19> immhi, Reg Rd) {
    return false;  // TODO
}

// ADD (immediate)
bool ADD_imm(Core& c, Imm<1> sf, Imm<1> sh, Imm<12> imm12, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// ADDS (immediate)
bool ADDS_imm(Core& c, Imm<1> sf, Imm<1> sh, Imm<12> imm12, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// SUB (immediate)
bool SUB_imm(Core& c, Imm<1> sf, Imm<1> sh, Imm<12> imm12, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// SUBS (immediate)
bool SUBS_imm(Core& c, Imm<1> sf, Imm<1> sh, Imm<12> imm12, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// AND (immediate)
bool AND_imm(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// ORR (immediate)
bool ORR_imm(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// EOR (immediate)
bool EOR_imm(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// ANDS (immediate)
bool ANDS_imm(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// MOVN
bool MOVN(Core& c, Imm<1> sf, Imm<2> hw, Imm<16> imm16, Reg Rd) {
    return false;  // TODO
}

// MOVZ
bool MOVZ(Core& c, Imm<1> sf, Imm<2> hw, Imm<16> imm16, Reg Rd) {
    return false;  // TODO
}

// MOVK
bool MOVK(Core& c, Imm<1> sf, Imm<2> hw, Imm<16> imm16, Reg Rd) {
    return false;  // TODO
}

// SBFM
bool SBFM(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// BFM
bool BFM(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// UBFM
bool UBFM(Core& c, Imm<1> sf, Imm<1> N, Imm<6> immr, Imm<6> imms, Reg Rn, Reg Rd) {
    return false;  // TODO
}

// EXTR
bool EXTR(Core& c, Imm<1> sf, Imm<1> N, Reg Rm, Imm<6> imms, Reg Rn, Reg Rd) {
    return false;  // TODO
}

}  // namespace hvsim::cpu::insn
