// PSCI 1.0 (Arm DEN 0022) as the platform's firmware provides it when no
// guest software runs at EL3, through the SMC or HVC conduit as on QEMU.
#pragma once

#include <cstdint>
#include <functional>

namespace hvsim::cpu {
class Core;
}

namespace hvsim::platform {

class Psci {
public:
    enum class Conduit { None, Smc, Hvc };
    struct Callbacks {
        std::function<void(int exit_code, const char* why)> system_off;  // SYSTEM_OFF / SYSTEM_RESET
        std::function<int32_t(uint64_t mpidr, uint64_t entry, uint64_t context)> cpu_on;
        std::function<void(cpu::Core&)> cpu_off;
        std::function<int32_t(uint64_t mpidr)> affinity_info;
    };

    Psci(Conduit conduit, Callbacks cb) : conduit_(conduit), cb_(std::move(cb)) {}
    Conduit conduit() const { return conduit_; }
    // Handles a call through `via`; false if that is not the conduit (the
    // instruction is then UNDEFINED as without firmware).
    bool call(cpu::Core& core, Conduit via);

    // Function IDs (SMC32 and SMC64 forms) and return codes.
    static constexpr uint32_t kVersion = 0x84000000, kCpuSuspend = 0xC4000001, kCpuOff = 0x84000002,
                              kCpuOn = 0xC4000003, kAffinityInfo = 0xC4000004, kMigrateInfoType = 0x84000006,
                              kSystemOff = 0x84000008, kSystemReset = 0x84000009, kFeatures = 0x8400000A;
    static constexpr int32_t kSuccess = 0, kNotSupported = -1, kInvalidParameters = -2, kDenied = -3,
                             kAlreadyOn = -4;

private:
    Conduit conduit_;
    Callbacks cb_;
};

}  // namespace hvsim::platform
