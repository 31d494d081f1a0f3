// Handlers for SIMD&FP loads and stores (a64_simd_ls.inc).
// Signatures follow the operand fields of the table.
#pragma once

#include "models/cpu/decoder.h"

namespace hvsim::cpu {
class Core;
namespace insn {

// simd_ls_struct.cpp: Advanced SIMD structure loads and stores.
bool ST_mult(Core& c, Imm<1> Q, Imm<4> opcode, Imm<2> size, Reg Rn, Reg Rt);
bool LD_mult(Core& c, Imm<1> Q, Imm<4> opcode, Imm<2> size, Reg Rn, Reg Rt);
bool ST_mult_post(Core& c, Imm<1> Q, Reg Rm, Imm<4> opcode, Imm<2> size, Reg Rn, Reg Rt);
bool LD_mult_post(Core& c, Imm<1> Q, Reg Rm, Imm<4> opcode, Imm<2> size, Reg Rn, Reg Rt);
bool LDnR(Core& c, Imm<1> Q, Imm<1> R, Imm<1> o0, Imm<1> S, Imm<2> size, Reg Rn, Reg Rt);
bool LDnR_post(Core& c, Imm<1> Q, Imm<1> R, Reg Rm, Imm<1> o0, Imm<1> S, Imm<2> size, Reg Rn, Reg Rt);
bool ST_single(Core& c, Imm<1> Q, Imm<1> R, Imm<3> opcode, Imm<1> S, Imm<2> size, Reg Rn, Reg Rt);
bool LD_single(Core& c, Imm<1> Q, Imm<1> R, Imm<3> opcode, Imm<1> S, Imm<2> size, Reg Rn, Reg Rt);
bool ST_single_post(Core& c, Imm<1> Q, Imm<1> R, Reg Rm, Imm<3> opcode, Imm<1> S, Imm<2> size, Reg Rn, Reg Rt);
bool LD_single_post(Core& c, Imm<1> Q, Imm<1> R, Reg Rm, Imm<3> opcode, Imm<1> S, Imm<2> size, Reg Rn, Reg Rt);

// simd_ls.cpp: SIMD&FP register loads and stores.
bool LDR_lit_fp(Core& c, Imm<2> opc, Imm<19> imm19, Reg Rt);
bool STP_fp(Core& c, Imm<2> opc, Imm<2> idx, Imm<7> imm7, Reg Rt2, Reg Rn, Reg Rt);
bool LDP_fp(Core& c, Imm<2> opc, Imm<2> idx, Imm<7> imm7, Reg Rt2, Reg Rn, Reg Rt);
bool LDST_fp_unscaled(Core& c, Imm<2> size, Imm<2> opc, Imm<9> imm9, Reg Rn, Reg Rt);
bool LDST_fp_post(Core& c, Imm<2> size, Imm<2> opc, Imm<9> imm9, Reg Rn, Reg Rt);
bool LDST_fp_pre(Core& c, Imm<2> size, Imm<2> opc, Imm<9> imm9, Reg Rn, Reg Rt);
bool LDST_fp_regoff(Core& c, Imm<2> size, Imm<2> opc, Reg Rm, Imm<3> option, Imm<1> S, Reg Rn, Reg Rt);
bool LDST_fp_uimm(Core& c, Imm<2> size, Imm<2> opc, Imm<12> imm12, Reg Rn, Reg Rt);

}  // namespace insn
}  // namespace hvsim::cpu
