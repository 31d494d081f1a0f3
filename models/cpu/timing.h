// Core timing: the "cycle" in cycle-approximate.
//
// Each encoding in a64.inc names a cost class; a handler may refine it (a
// divide by its operand width, a branch by whether it was taken). The default
// costs model an in-order dual-issue Cortex-A53-class core as documented in
// models/cpu/README.md; every value is configuration (cpu.costs.<class>).
#pragma once

#include <array>
#include <cstdint>

namespace hvsim::cpu {

#define HVSIM_COST_CLASSES(X)                                              \
    X(Alu, 1)           /* integer ALU, moves, logical, bitfield */        \
    X(AluShift, 2)      /* shifted/extended-register operand */            \
    X(Mul, 3)           /* MUL/MADD and long multiplies */                 \
    X(Div32, 12)        /* SDIV/UDIV, 32-bit */                            \
    X(Div64, 20)        /* SDIV/UDIV, 64-bit */                            \
    X(Load, 1)          /* issue cost; memory latency comes from the bus */\
    X(Store, 1)                                                            \
    X(Branch, 1)        /* not taken */                                    \
    X(BranchTaken, 2)   /* taken: replaces Branch */                       \
    X(Barrier, 10)      /* DMB, DSB, ISB */                                \
    X(SysReg, 4)        /* MRS/MSR/SYS */                                  \
    X(Hint, 1)          /* NOP, YIELD, SEV... */                           \
    X(ExceptionEntry, 20)                                                  \
    X(ExceptionReturn, 12)                                                 \
    X(Wfi, 1)                                                              \
    X(Fp, 4)            /* scalar FP add/mul/fma/convert (A53: 4-5) */     \
    X(FpDiv, 18)        /* FDIV/FSQRT, double (A53: 15-32) */              \
    X(Simd, 3)          /* Advanced SIMD integer and permute */            \
    X(SimdFp, 4)        /* Advanced SIMD floating point */                 \
    X(SimdLoad, 2)      /* SIMD&FP loads/stores, per register transferred */\
    X(SimdStore, 2)

enum class CostClass : uint8_t {
#define X(name, cycles) name,
    HVSIM_COST_CLASSES(X)
#undef X
    Count
};

constexpr unsigned kNumCostClasses = static_cast<unsigned>(CostClass::Count);

struct CostTable {
    std::array<uint32_t, kNumCostClasses> cycles{
#define X(name, c) c,
        HVSIM_COST_CLASSES(X)
#undef X
    };
    uint32_t operator[](CostClass c) const { return cycles[static_cast<unsigned>(c)]; }
    static const char* name(CostClass c) {
        static const char* const names[] = {
#define X(name, c) #name,
            HVSIM_COST_CLASSES(X)
#undef X
        };
        return names[static_cast<unsigned>(c)];
    }
};

}  // namespace hvsim::cpu
