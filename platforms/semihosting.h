// Arm semihosting (Arm IHI 0056, "Semihosting for AArch32 and AArch64")
// through HLT #0xF000: console output and exit with a status, the subset
// bare-metal test programs use. Other operations return -1 in X0.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>

namespace hvsim::cpu {
class Core;
}

namespace hvsim::platform {

class Semihosting {
public:
    Semihosting(std::ostream& console, std::function<void(int exit_code, const char* why)> exit)
        : console_(console), exit_(std::move(exit)) {}
    bool call(cpu::Core& core);

    static constexpr uint32_t kWriteC = 0x03, kWrite0 = 0x04, kWrite = 0x05, kExit = 0x18, kExitExtended = 0x20;
    static constexpr uint64_t kApplicationExit = 0x20026;

private:
    std::ostream& console_;
    std::function<void(int, const char*)> exit_;
};

}  // namespace hvsim::platform
