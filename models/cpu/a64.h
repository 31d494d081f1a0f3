// The A64 decoder built from a64.inc.
#pragma once

#include <cstdint>
#include <vector>

#include "decode_cache.h"
#include "timing.h"

namespace hvsim::cpu {

struct Encoding {
    const char* name;     // handler name, e.g. "ADD_imm"
    const char* desc;     // Arm ARM name, e.g. "ADD (immediate)"
    const char* pattern;  // 32 characters, bit 31 first
    uint32_t mask, value;
    Handler fn;
    CostClass cost;
    bool matches(uint32_t insn) const { return (insn & mask) == value; }
};

// The whole table in priority order.
const std::vector<Encoding>& a64_encodings();

// The encoding of `insn`, or nullptr for UNALLOCATED (UNDEF).
const Encoding* a64_decode(uint32_t insn);

}  // namespace hvsim::cpu
