// Handlers for Scalar floating point (a64_fp.inc).
#pragma once

#include "models/cpu/decoder.h"

namespace hvsim::cpu {
class Core;
namespace insn {

bool SCVTF_fix(Core& c, Imm<1> sf, Imm<2> ftype, Imm<6> scale, Reg Rn, Reg Rd);
bool UCVTF_fix(Core& c, Imm<1> sf, Imm<2> ftype, Imm<6> scale, Reg Rn, Reg Rd);
bool FCVTZS_fix(Core& c, Imm<1> sf, Imm<2> ftype, Imm<6> scale, Reg Rn, Reg Rd);
bool FCVTZU_fix(Core& c, Imm<1> sf, Imm<2> ftype, Imm<6> scale, Reg Rn, Reg Rd);
bool FCVT_int(Core& c, Imm<1> sf, Imm<2> ftype, Imm<2> rmode, Imm<1> u, Reg Rn, Reg Rd);
bool FCVTA_int(Core& c, Imm<1> sf, Imm<2> ftype, Imm<1> u, Reg Rn, Reg Rd);
bool CVTF_int(Core& c, Imm<1> sf, Imm<2> ftype, Imm<1> u, Reg Rn, Reg Rd);
bool FMOV_gen(Core& c, Imm<1> sf, Imm<2> ftype, Imm<2> rmode, Imm<1> to_fp, Reg Rn, Reg Rd);

bool FMOV_reg(Core& c, Imm<2> ftype, Reg Rn, Reg Rd);
bool FABS_scalar(Core& c, Imm<2> ftype, Reg Rn, Reg Rd);
bool FNEG_scalar(Core& c, Imm<2> ftype, Reg Rn, Reg Rd);
bool FSQRT_scalar(Core& c, Imm<2> ftype, Reg Rn, Reg Rd);
bool FCVT_prec(Core& c, Imm<2> ftype, Imm<2> opc, Reg Rn, Reg Rd);
bool FRINT_scalar(Core& c, Imm<2> ftype, Imm<3> rmode, Reg Rn, Reg Rd);

bool FCMP_scalar(Core& c, Imm<2> ftype, Reg Rm, Reg Rn, Imm<1> e, Imm<1> zero);
bool FMOV_imm(Core& c, Imm<2> ftype, Imm<8> imm8, Reg Rd);
bool FCCMP_scalar(Core& c, Imm<2> ftype, Reg Rm, Cond cond, Reg Rn, Imm<1> e, Imm<4> nzcv);
bool FCSEL_scalar(Core& c, Imm<2> ftype, Reg Rm, Cond cond, Reg Rn, Reg Rd);

bool FMUL_scalar(Core& c, Imm<2> ftype, Reg Rm, Reg Rn, Reg Rd);
bool FDIV_scalar(Core& c, Imm<2> ftype, Reg Rm, Reg Rn, Reg Rd);
bool FADD_scalar(Core& c, Imm<2> ftype, Reg Rm, Reg Rn, Reg Rd);
bool FSUB_scalar(Core& c, Imm<2> ftype, Reg Rm, Reg Rn, Reg Rd);
bool FMAX_scalar(Core& c, Imm<2> ftype, Reg Rm, Reg Rn, Reg Rd);
bool FMIN_scalar(Core& c, Imm<2> ftype, Reg Rm, Reg Rn, Reg Rd);
bool FMAXNM_scalar(Core& c, Imm<2> ftype, Reg Rm, Reg Rn, Reg Rd);
bool FMINNM_scalar(Core& c, Imm<2> ftype, Reg Rm, Reg Rn, Reg Rd);
bool FNMUL_scalar(Core& c, Imm<2> ftype, Reg Rm, Reg Rn, Reg Rd);

bool FMADD_scalar(Core& c, Imm<2> ftype, Reg Rm, Reg Ra, Reg Rn, Reg Rd);
bool FMSUB_scalar(Core& c, Imm<2> ftype, Reg Rm, Reg Ra, Reg Rn, Reg Rd);
bool FNMADD_scalar(Core& c, Imm<2> ftype, Reg Rm, Reg Ra, Reg Rn, Reg Rd);
bool FNMSUB_scalar(Core& c, Imm<2> ftype, Reg Rm, Reg Ra, Reg Rn, Reg Rd);

}  // namespace insn
}  // namespace hvsim::cpu
