#include "semihosting.h"

#include "models/cpu/core.h"

namespace hvsim::platform {

bool Semihosting::call(cpu::Core& core) {
    const uint64_t op = core.st.x[0] & 0xFFFFFFFF, arg = core.st.x[1];
    int64_t ret = -1;
    switch (op) {
    case kWriteC: {
        char ch;
        if (core.debug_read(arg, &ch, 1)) {
            console_.put(ch);
            ret = 0;
        }
        break;
    }
    case kWrite0: {
        char ch;
        for (uint64_t a = arg; core.debug_read(a, &ch, 1) && ch; ++a) console_.put(ch);
        ret = 0;
        break;
    }
    case kWrite: {
        // Parameter block {handle, buffer, length}: returns bytes not written.
        uint64_t blk[3];
        if (!core.debug_read(arg, blk, sizeof blk)) break;
        if (blk[0] != 1 && blk[0] != 2) break;
        uint64_t i = 0;
        char ch;
        for (; i < blk[2] && core.debug_read(blk[1] + i, &ch, 1); ++i) console_.put(ch);
        ret = static_cast<int64_t>(blk[2] - i);
        break;
    }
    case kExit:
    case kExitExtended: {
        // AArch64: X1 points at {reason, subcode}; the status is the subcode
        // for ADP_Stopped_ApplicationExit and 1 for any other reason.
        uint64_t blk[2];
        int code = 1;
        if (core.debug_read(arg, blk, sizeof blk) && blk[0] == kApplicationExit) code = static_cast<int>(blk[1] & 0xFF);
        console_.flush();
        exit_(code, "semihosting exit");
        return true;
    }
    default: break;
    }
    core.st.x[0] = static_cast<uint64_t>(ret);
    return true;
}

}  // namespace hvsim::platform
