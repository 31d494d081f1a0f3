// Builds the A64 decoder from the encoding table.
#include "a64.h"

#include <array>

#include "a64_patterns.h"
#include "core.h"
#include "insn/branch_sys.h"
#include "insn/dp_imm.h"
#include "insn/dp_reg.h"
#include "insn/fp.h"
#include "insn/loadstore.h"
#include "insn/simd.h"
#include "insn/simd_ls.h"

// Thunks instantiated with their handlers (a64_patterns.h).
HVSIM_DP_IMM_THUNKS(HVSIM_THUNK_EXTERN)
HVSIM_DP_REG_THUNKS(HVSIM_THUNK_EXTERN)
HVSIM_BRANCH_SYS_THUNKS(HVSIM_THUNK_EXTERN)
HVSIM_LOADSTORE_THUNKS(HVSIM_THUNK_EXTERN)

namespace hvsim::cpu {
namespace {

std::vector<Encoding> build_table() {
    std::vector<Encoding> t;
#define INST(name, desc, bits, cost)                                                              \
    t.push_back(Encoding{#name, desc, bits, detail::pattern_mask(bits), detail::pattern_value(bits), \
                         &Thunk<patterns::name, &insn::name>::call, CostClass::cost});
#include "a64.inc"
#undef INST
    return t;
}

// The decoder buckets the table by bits [28:21] and [15:10] ... a plain
// bucketing by the major opcode bits keeps lookups short.
constexpr unsigned kBucketBits = 10;
unsigned bucket_of(uint32_t insn) { return ((insn >> 25) & 0xF) | (((insn >> 21) & 0xF) << 4) | (((insn >> 31) & 1) << 8) | (((insn >> 29) & 1) << 9); }
constexpr uint32_t kBucketMask = (0xFu << 25) | (0xFu << 21) | (1u << 31) | (1u << 29);

struct Decoder {
    std::vector<Encoding> table = build_table();
    std::array<std::vector<const Encoding*>, 1u << kBucketBits> buckets;
    Decoder() {
        for (unsigned b = 0; b < buckets.size(); ++b) {
            // A representative word for this bucket: its bucket bits set.
            uint32_t w = ((b & 0xF) << 25) | (((b >> 4) & 0xF) << 21) | (((b >> 8) & 1) << 31) | (((b >> 9) & 1) << 29);
            for (const Encoding& e : table)
                if (((w ^ e.value) & e.mask & kBucketMask) == 0) buckets[b].push_back(&e);
        }
    }
};

const Decoder& decoder() {
    static const Decoder d;
    return d;
}

}  // namespace

const std::vector<Encoding>& a64_encodings() { return decoder().table; }

const Encoding* a64_decode(uint32_t insn) {
    for (const Encoding* e : decoder().buckets[bucket_of(insn)])
        if (e->matches(insn)) return e;
    return nullptr;
}

}  // namespace hvsim::cpu
