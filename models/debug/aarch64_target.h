// GDB's view of an AArch64 core: the target description (XML served through
// qXfer:features:read) and the register numbering it defines, with reads
// and writes of those registers on a Core.
//
// GDB numbers, in the order of the `g` packet:
//   org.gnu.gdb.aarch64.core  x0-x30 (0-30), sp (31), pc (32): 64-bit;
//                             cpsr (33): 32-bit
//   org.gnu.gdb.aarch64.fpu   v0-v31 (34-65): 128-bit, the union of vector
//                             views GDB's own aarch64 description defines;
//                             fpsr (66), fpcr (67): 32-bit
//   org.hvsim.aarch64.sysregs (68-): 64-bit system registers named in lower
//                             case with their EL (sctlr_el1, hcr_el2, ...),
//                             those of EL2 and EL3 only when the core has
//                             that EL; group "system".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/cpu/sysregs.h"

namespace hvsim::cpu {
class Core;
}

namespace hvsim::debug {

constexpr unsigned kRegSp = 31, kRegPc = 32, kRegCpsr = 33, kRegV0 = 34, kRegFpsr = 66, kRegFpcr = 67,
                   kRegSys0 = 68;

class Aarch64Target {
public:
    // The registers of `core` (which ELs it implements decides the system
    // registers); every core of the platform is alike.
    explicit Aarch64Target(const cpu::Core& core);

    const std::string& xml() const { return xml_; }
    unsigned count() const { return kRegSys0 + static_cast<unsigned>(sys_.size()); }
    // Size in bytes of register `n` (0 if GDB's number is unknown).
    unsigned size(unsigned n) const;
    // Appends register `n` as GDB's target byte order (little-endian) bytes.
    void read(cpu::Core& core, unsigned n, std::vector<uint8_t>& out) const;
    // Writes register `n` from size(n) little-endian bytes. CPSR writes
    // change NZCV and DAIF only (EL and SPSel stay: a debugger does not
    // switch the translation regime); system registers are written as MSR
    // writes them (masks, side effects such as dropping cached
    // translations). False if `n` is unknown or read-only (CurrentEL,
    // MPIDR_EL1).
    bool write(cpu::Core& core, unsigned n, const uint8_t* bytes) const;

private:
    struct SysReg {
        cpu::SR r;
        bool writable;
    };
    std::vector<SysReg> sys_;
    std::string xml_;
};

}  // namespace hvsim::debug
