// Handlers for SIMD&FP loads and stores (a64_simd_ls.inc).
#pragma once

#include "models/cpu/decoder.h"

namespace hvsim::cpu {
class Core;
namespace insn {
}  // namespace insn
}  // namespace hvsim::cpu
