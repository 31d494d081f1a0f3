// Shared by the Advanced SIMD floating-point handlers (simd_fp*.cpp).
#pragma once

#include "fp_common.h"
#include "simd_util.h"

namespace hvsim::cpu::insn::simd {

// The two-operand element operations of the FP three-same, by-element,
// across-lanes and pairwise forms.
enum class Fp3 : uint8_t {
    Maxnm, Minnm, Fmla, Fmls, Add, Sub, Mulx, Mul, Div, Max, Min, Recps, Rsqrts,
    Cmeq, Cmge, Cmgt, Acge, Acgt, Abd,
};

}  // namespace hvsim::cpu::insn::simd
