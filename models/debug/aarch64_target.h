// GDB's view of an AArch64 core: the target description (XML served through
// qXfer:features:read) and the register numbering it defines, with reads
// and writes of those registers on a Core.
//
// Feature org.gnu.gdb.aarch64.core: x0-x30 (0-30), sp (31), pc (32), all
// 64-bit, and cpsr (33), 32-bit. FP/SIMD and system registers are not
// described yet.
#pragma once

#include <cstdint>
#include <string>

namespace hvsim::cpu {
class Core;
}

namespace hvsim::debug {

constexpr unsigned kRegSp = 31, kRegPc = 32, kRegCpsr = 33, kNumRegs = 34;

const std::string& aarch64_target_xml();
// Size in bytes of register `n` (0 if GDB's number is unknown).
unsigned register_size(unsigned n);
// Register `n` as GDB's target byte order (little-endian) bytes.
uint64_t read_register(cpu::Core& core, unsigned n);
// Writes register `n`; CPSR writes change NZCV and DAIF only (EL and SPSel
// stay: a debugger does not switch the translation regime). False if unknown.
bool write_register(cpu::Core& core, unsigned n, uint64_t value);

}  // namespace hvsim::debug
