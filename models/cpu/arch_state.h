// Architectural register state of one AArch64 PE (Arm ARM D1: "The AArch64
// Application Level Programmers' Model" and D1.4 PSTATE).
#pragma once

#include <array>
#include <cstdint>

namespace hvsim::cpu {

// Exception classes used in ESR_ELx.EC (Arm ARM D17.2.37).
namespace ec {
constexpr uint32_t Unknown = 0x00;
constexpr uint32_t WfxTrap = 0x01;
constexpr uint32_t FpAccess = 0x07;
constexpr uint32_t IllegalState = 0x0E;
constexpr uint32_t Svc64 = 0x15;
constexpr uint32_t Hvc64 = 0x16;
constexpr uint32_t Smc64 = 0x17;
constexpr uint32_t SysReg = 0x18;
constexpr uint32_t InsnAbortLower = 0x20;
constexpr uint32_t InsnAbortSame = 0x21;
constexpr uint32_t PcAlign = 0x22;
constexpr uint32_t DataAbortLower = 0x24;
constexpr uint32_t DataAbortSame = 0x25;
constexpr uint32_t SpAlign = 0x26;
constexpr uint32_t SError = 0x2F;
constexpr uint32_t Brk64 = 0x3C;
}  // namespace ec

// Fault status codes for DFSC/IFSC (Arm ARM D17.2.37, ISS encoding for aborts).
namespace fsc {
constexpr uint32_t AddressSize0 = 0x00;   // + level
constexpr uint32_t Translation0 = 0x04;   // + level
constexpr uint32_t AccessFlag0 = 0x08;    // + level
constexpr uint32_t Permission0 = 0x0C;    // + level
constexpr uint32_t SyncExternal = 0x10;
constexpr uint32_t Alignment = 0x21;
}  // namespace fsc

struct PState {
    bool n = false, z = false, c = false, v = false;
    bool d = true, a = true, i = true, f = true;  // masked out of reset
    bool sp = true;   // SPSel: 1 = SP_ELx, 0 = SP_EL0
    bool il = false;  // illegal execution state
    bool ss = false;  // software step
    uint8_t el = 0;

    uint32_t nzcv() const { return (n << 31) | (z << 30) | (c << 29) | (v << 28); }
    void set_nzcv(uint64_t x) {
        n = (x >> 31) & 1;
        z = (x >> 30) & 1;
        c = (x >> 29) & 1;
        v = (x >> 28) & 1;
    }
    uint32_t daif() const { return (d << 9) | (a << 8) | (i << 7) | (f << 6); }
    void set_daif(uint64_t x) {
        d = (x >> 9) & 1;
        a = (x >> 8) & 1;
        i = (x >> 7) & 1;
        f = (x >> 6) & 1;
    }
    // SPSR_ELx layout for an exception taken from AArch64 (Arm ARM C5.2.18).
    uint32_t to_spsr() const {
        return nzcv() | (ss << 21) | (il << 20) | daif() | (uint32_t(el) << 2) | uint32_t(sp);
    }
};

struct ArchState {
    std::array<uint64_t, 32> x{};  // x[31] is never read: accessors map 31 to SP or ZR
    std::array<uint64_t, 4> sp_el{};
    uint64_t pc = 0;
    PState pstate;
    // FP/SIMD state is added with the FP/SIMD issue; its traps (CPACR/CPTR) are
    // modelled from day one in the system register table.
    std::array<std::array<uint64_t, 2>, 32> v{};

    uint64_t& sp() { return pstate.sp ? sp_el[pstate.el] : sp_el[0]; }
};

}  // namespace hvsim::cpu
