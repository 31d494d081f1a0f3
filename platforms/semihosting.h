// Arm semihosting (Arm IHI 0056, "Semihosting for AArch32 and AArch64")
// through HLT #0xF000: console output, the command line and exit with a
// status, the subset bare-metal programs use; other standard operations
// return -1 in X0. Operations 0x100-0x1FF, which the specification leaves
// to applications, are hvsim's annotations (platforms/annotations.h,
// docs/scenarios.md): region marks and metrics, and the emulation passes
// (platforms/emulation_checker.h).
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

namespace hvsim::cpu {
class Core;
}

namespace hvsim::platform {

class Annotations;
class EmulationChecker;

class Semihosting {
public:
    Semihosting(std::ostream& console, std::function<void(int exit_code, const char* why)> exit)
        : console_(console), exit_(std::move(exit)) {}
    bool call(cpu::Core& core);
    // What SYS_GET_CMDLINE returns (a scenario's variant and arguments).
    void set_command_line(std::string s) { cmdline_ = std::move(s); }
    // Receives the annotation operations; without it they return -1.
    void set_annotations(Annotations* a) { annotations_ = a; }
    // Receives the emulation pass marks; without it they return -1.
    void set_emulation_checker(EmulationChecker* c) { emulation_ = c; }

    static constexpr uint32_t kWriteC = 0x03, kWrite0 = 0x04, kWrite = 0x05, kGetCmdline = 0x15, kExit = 0x18,
                              kExitExtended = 0x20;
    // hvsim extensions. X1 points at a NUL-terminated name (region marks)
    // or at a block {name address, value} (metrics), or {instance, pass}
    // (emulation passes: 1 or 2 begins, 0 ends).
    static constexpr uint32_t kRegionBegin = 0x100, kRegionEnd = 0x101, kMetricSet = 0x102, kMetricAdd = 0x103,
                              kEmulationPass = 0x104;
    static constexpr uint64_t kApplicationExit = 0x20026;

private:
    std::ostream& console_;
    std::function<void(int, const char*)> exit_;
    std::string cmdline_;
    Annotations* annotations_ = nullptr;
    EmulationChecker* emulation_ = nullptr;
};

}  // namespace hvsim::platform
