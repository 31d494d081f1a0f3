#include "semihosting.h"

#include "annotations.h"
#include "emulation_checker.h"
#include "models/cpu/core.h"

namespace hvsim::platform {

namespace {

// A guest string of at most 63 characters; false if unreadable or longer.
bool read_name(cpu::Core& core, uint64_t va, std::string& out) {
    out.clear();
    for (unsigned i = 0; i < 64; ++i) {
        char ch;
        if (!core.debug_read(va + i, &ch, 1)) return false;
        if (!ch) return !out.empty();
        out.push_back(ch);
    }
    return false;
}

}  // namespace

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
    case kGetCmdline: {
        // Parameter block {buffer, length}: the string with its NUL must
        // fit; length becomes the string's length.
        uint64_t blk[2];
        if (!core.debug_read(arg, blk, sizeof blk) || blk[1] < cmdline_.size() + 1) break;
        const uint64_t len = cmdline_.size();
        if (core.debug_write(blk[0], cmdline_.c_str(), unsigned(len + 1)) && core.debug_write(arg + 8, &len, 8)) ret = 0;
        break;
    }
    case kRegionBegin:
    case kRegionEnd: {
        if (!annotations_) break;
        std::string name;
        const unsigned idx = core.config().index;
        if (!read_name(core, arg, name)) annotations_->error();
        else if (op == kRegionBegin) annotations_->begin(idx, name, core.cycles(), core.instructions());
        else annotations_->end(idx, name, core.cycles(), core.instructions());
        ret = 0;
        break;
    }
    case kMetricSet:
    case kMetricAdd: {
        if (!annotations_) break;
        uint64_t blk[2];
        std::string name;
        if (!core.debug_read(arg, blk, sizeof blk) || !read_name(core, blk[0], name)) annotations_->error();
        else if (op == kMetricSet) annotations_->set_metric(name, int64_t(blk[1]));
        else annotations_->add_metric(name, int64_t(blk[1]));
        ret = 0;
        break;
    }
    case kEmulationPass: {
        // A misused mark is the checker's to count; the call still succeeds.
        uint64_t blk[2];
        if (!emulation_ || !core.debug_read(arg, blk, sizeof blk)) break;
        emulation_->mark(core.config().index, blk[0], blk[1]);
        core.observe_reads(emulation_->pass_open(core.config().index));
        ret = 0;
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
