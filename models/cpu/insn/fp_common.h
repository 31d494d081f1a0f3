// Shared by the scalar floating-point handlers (fp_*.cpp).
#pragma once

#include <type_traits>

#include "models/cpu/core.h"
#include "models/cpu/fp/fp.h"
#include "models/cpu/vreg.h"

namespace hvsim::cpu::insn {

// The width an ftype field selects for arithmetic in ARMv8.0: 00 single,
// 01 double; 10 is unallocated and 11 (half) needs FEAT_FP16. 0 = UNDEFINED.
inline unsigned arith_bits(Imm<2> ftype) { return ftype.v == 0 ? 32 : ftype.v == 1 ? 64 : 0; }
// For FCVT, where half precision exists in ARMv8.0.
inline unsigned any_bits(uint32_t ftype) { return ftype == 0 ? 32 : ftype == 1 ? 64 : ftype == 3 ? 16 : 0; }

inline uint64_t vread(const Core& c, Reg n, unsigned bits) { return scalar(c.st, n.idx(), bits / 8); }
inline void vwrite(Core& c, Reg d, uint64_t v, unsigned bits) { set_scalar(c.st, d.idx(), v, bits / 8); }

inline fp::FpCtx fp_ctx(const Core& c) { return fp::FpCtx(c.sr(SR::FPCR)); }
inline void fp_commit(Core& c, const fp::FpCtx& x) { c.sr(SR::FPSR) |= x.flags; }

// Calls op(std::integral_constant<unsigned, N>) for N = 32 or 64.
template <typename Op>
auto by_width(unsigned bits, Op op) {
    return bits == 32 ? op(std::integral_constant<unsigned, 32>{}) : op(std::integral_constant<unsigned, 64>{});
}

}  // namespace hvsim::cpu::insn
