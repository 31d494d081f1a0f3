// Handlers for Scalar floating point (a64_fp.inc).
#pragma once

#include "models/cpu/decoder.h"

namespace hvsim::cpu {
class Core;
namespace insn {
}  // namespace insn
}  // namespace hvsim::cpu
