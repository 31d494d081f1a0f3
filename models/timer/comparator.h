// One generic timer comparator (Arm ARM D11.2.4 "Timers"): the CTL and CVAL
// registers of one timer and the TVAL view, as pure functions of the count
// the timer compares against (CNTPCT for the physical timers, CNTVCT for the
// virtual one). No time source, no outputs: generic_timer.h drives those.
#pragma once

#include <cstdint>

namespace hvsim::timer {

struct Comparator {
    static constexpr uint32_t kEnable = 1u << 0, kImask = 1u << 1, kIstatus = 1u << 2;

    uint32_t ctl = 0;  // ENABLE and IMASK as written (ISTATUS is computed)
    uint64_t cval = 0;

    // ISTATUS: the timer condition (Count - CVAL >= 0, unsigned 64-bit
    // compare) while enabled. When ENABLE is 0 the architecture makes ISTATUS
    // UNKNOWN; it reads 0 here, as on QEMU.
    bool istatus(uint64_t count) const { return (ctl & kEnable) && count >= cval; }
    // The interrupt output: ENABLE && ISTATUS && !IMASK.
    bool output(uint64_t count) const { return istatus(count) && !(ctl & kImask); }

    uint64_t read_ctl(uint64_t count) const { return ctl | (istatus(count) ? kIstatus : 0); }
    void write_ctl(uint64_t v) { ctl = static_cast<uint32_t>(v) & (kEnable | kImask); }
    // TVAL is the signed 32-bit view (CVAL - Count)[31:0]; bits [63:32] RES0.
    uint64_t read_tval(uint64_t count) const { return static_cast<uint32_t>(cval - count); }
    // Writing TVAL sets CVAL = Count + SignExtend(TVAL[31:0]).
    void write_tval(uint64_t count, uint64_t v) {
        cval = count + static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(static_cast<uint32_t>(v))));
    }
    // How many counts from `count` until the output may change without a
    // register write: ~0 if never (disabled, condition already met, or the
    // deadline lies beyond the counter's range from `pct`).
    uint64_t counts_to_fire(uint64_t count) const {
        if (!(ctl & kEnable) || count >= cval) return ~0ull;
        return cval - count;
    }
};

}  // namespace hvsim::timer
