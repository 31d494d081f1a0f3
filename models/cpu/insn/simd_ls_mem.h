// What the SIMD&FP load/store handlers (simd_ls.cpp, simd_ls_struct.cpp)
// share: the base address, accesses of 1 to 16 bytes and the per-register
// cost.
//
// Every handler follows the order of the Arm ARM pseudocode, as the integer
// loads and stores do (loadstore.cpp): decode (false = UNDEFINED),
// CheckFPAdvSIMDEnabled64(), CheckSPAlignment() for an SP base, every memory
// access, and only then the V register writes and the base writeback, so an
// abort leaves every register unchanged.
//
// None of them reports an instruction syndrome: ISV is 1 only for stage-2
// aborts on loads and stores of a single general-purpose register (Arm ARM
// D17.2.37, ESR_EL2 ISS encoding for a Data Abort), never for SIMD&FP ones.
#pragma once

#include <cstdint>
#include <cstring>

#include "models/cpu/core.h"
#include "models/cpu/vreg.h"

namespace hvsim::cpu::insn::simd_ls {

// The base address X[n], or SP[] after CheckSPAlignment() when n is 31.
inline uint64_t base_address(Core& c, Reg Rn) {
    if (Rn.is31()) c.check_sp_alignment();
    return c.XSP(Rn);
}

// Mem[address, bytes] for bytes = 1, 2, 4, 8 (zero-extended into the low
// half) or 16. Each is one access: Device memory (the MMU off) faults unless
// the address is a multiple of `bytes`, Normal memory takes any address.
inline Vec128 load_elem(Core& c, uint64_t va, unsigned bytes) {
    switch (bytes) {
    case 1: return {c.load<uint8_t>(va), 0};
    case 2: return {c.load<uint16_t>(va), 0};
    case 4: return {c.load<uint32_t>(va), 0};
    case 8: return {c.load<uint64_t>(va), 0};
    default: return c.load<Vec128>(va);
    }
}

inline void store_elem(Core& c, uint64_t va, unsigned bytes, const Vec128& v) {
    switch (bytes) {
    case 1: c.store<uint8_t>(va, static_cast<uint8_t>(v[0])); return;
    case 2: c.store<uint16_t>(va, static_cast<uint16_t>(v[0])); return;
    case 4: c.store<uint32_t>(va, static_cast<uint32_t>(v[0])); return;
    case 8: c.store<uint64_t>(va, v[0]); return;
    default: c.store<Vec128>(va, v); return;
    }
}

// Element `i` of `bytes` bytes of a 128-bit value, and its replacement.
inline uint64_t elem(const Vec128& v, unsigned i, unsigned bytes) {
    uint64_t out = 0;
    std::memcpy(&out, reinterpret_cast<const uint8_t*>(v.data()) + i * bytes, bytes);
    return out;
}
inline void set_elem(Vec128& v, unsigned i, unsigned bytes, uint64_t x) {
    std::memcpy(reinterpret_cast<uint8_t*>(v.data()) + i * bytes, &x, bytes);
}

// The cost classes SimdLoad/SimdStore are per register transferred: the
// table charges one, this adds the others.
inline void charge_registers(Core& c, bool store, unsigned nregs) {
    const CostClass cls = store ? CostClass::SimdStore : CostClass::SimdLoad;
    c.charge(cls);
    if (nregs > 1) c.add_cycles(uint64_t(c.config().costs[cls]) * (nregs - 1));
}

}  // namespace hvsim::cpu::insn::simd_ls
