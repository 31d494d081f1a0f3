// Handlers for Advanced SIMD data processing (a64_simd.inc).
#pragma once

#include "models/cpu/decoder.h"

namespace hvsim::cpu {
class Core;
namespace insn {
}  // namespace insn
}  // namespace hvsim::cpu
