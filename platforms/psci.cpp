#include "psci.h"

#include "models/cpu/core.h"

namespace hvsim::platform {

namespace {
// Both the SMC32 (0x84..) and SMC64 (0xC4..) forms of a function.
uint32_t canonical(uint64_t fid) { return static_cast<uint32_t>(fid) | 0x40000000u; }
}  // namespace

bool Psci::call(cpu::Core& core, Conduit via) {
    if (via != conduit_ || conduit_ == Conduit::None) return false;
    const uint64_t fid = core.st.x[0] & 0xFFFFFFFF;
    const uint32_t f = canonical(fid);
    const bool is64 = fid & 0x40000000u;
    int64_t ret = kNotSupported;
    switch (f) {
    case kVersion | 0x40000000u: ret = 0x00010000; break;  // PSCI 1.0
    case kMigrateInfoType | 0x40000000u: ret = 2; break;   // no Trusted OS to migrate
    case kFeatures | 0x40000000u: {
        const uint32_t q = canonical(core.st.x[1] & 0xFFFFFFFF);
        switch (q) {
        case kVersion | 0x40000000u:
        case kCpuOn:
        case kCpuOff | 0x40000000u:
        case kAffinityInfo:
        case kMigrateInfoType | 0x40000000u:
        case kSystemOff | 0x40000000u:
        case kSystemReset | 0x40000000u:
        case kFeatures | 0x40000000u: ret = kSuccess; break;
        default: ret = kNotSupported;
        }
        break;
    }
    case kCpuOn:
        ret = cb_.cpu_on ? cb_.cpu_on(is64 ? core.st.x[1] : core.st.x[1] & 0xFFFFFFFF, core.st.x[2], core.st.x[3])
                         : kNotSupported;
        break;
    case kCpuOff | 0x40000000u:
        if (cb_.cpu_off) {
            cb_.cpu_off(core);
            return true;
        }
        ret = kDenied;
        break;
    case kAffinityInfo:
        ret = cb_.affinity_info ? cb_.affinity_info(core.st.x[1]) : kNotSupported;
        break;
    case kSystemOff | 0x40000000u:
        cb_.system_off(0, "PSCI SYSTEM_OFF");
        return true;
    case kSystemReset | 0x40000000u:
        cb_.system_off(0, "PSCI SYSTEM_RESET");
        return true;
    default: ret = kNotSupported;
    }
    core.st.x[0] = static_cast<uint64_t>(ret);
    return true;
}

}  // namespace hvsim::platform
