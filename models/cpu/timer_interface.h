// What a core sees of its generic timers (Arm ARM D11 "The Generic Timer in
// AArch64 state"): the CNTP_*, CNTV_*, CNTHP_* and CNTPS_* registers and the
// times at which their outputs change. Declared here so that the cpu library
// does not depend on the timer's (models/timer): the platform connects one
// per core with Core::set_timer(). Without one, the timer registers are
// UNDEFINED; the counters (CNTPCT/CNTVCT) belong to the core.
#pragma once

#include <cstdint>

#include "sysregs.h"

namespace hvsim::cpu {

class TimerInterface {
public:
    virtual ~TimerInterface() = default;
    // A timer register access by `core`, after the core's access checks and
    // traps (sysregs.inc, section "Generic timer"). Writes of CNTVOFF_EL2
    // arrive here too, after the core stored them.
    virtual uint64_t read_sysreg(Core& core, SR r) = 0;
    virtual void write_sysreg(Core& core, SR r, uint64_t v) = 0;
    // Re-evaluates every timer condition at the core's local time and drives
    // the interrupt outputs.
    virtual void update(Core& core) = 0;
    // The first core cycle count at which an output will change with no
    // register write in between (~0: never).
    virtual uint64_t next_event_cycle(const Core& core) const = 0;
    // The first core cycle count after `after` at which an enabled event
    // stream (CNTKCTL_EL1/CNTHCTL_EL2.EVNTEN) generates a WFE wake-up event
    // (~0: none enabled).
    virtual uint64_t next_stream_event_cycle(const Core& core, uint64_t after) const {
        (void)core;
        (void)after;
        return ~0ull;
    }
    // The core was reset (power-on, PSCI CPU_ON): timers disabled, outputs low.
    virtual void reset(Core& core) = 0;
};

}  // namespace hvsim::cpu
