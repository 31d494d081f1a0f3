// The generic timers of one core (Arm ARM D11 "The Generic Timer in AArch64
// state"), driven by the core's local time:
//   EL1 physical    CNTP_CTL/CVAL/TVAL_EL0     compares CNTPCT
//   virtual         CNTV_CTL/CVAL/TVAL_EL0     compares CNTVCT = CNTPCT - CNTVOFF_EL2
//   EL2 physical    CNTHP_CTL/CVAL/TVAL_EL2    compares CNTPCT (only with EL2)
//   EL2 virtual     CNTHV_CTL/CVAL/TVAL_EL2    compares CNTPCT: the virtual count
//                                              with offset 0 (FEAT_VHE only)
//   secure physical CNTPS_CTL/CVAL/TVAL_EL1    compares CNTPCT (only with EL3)
// Each timer's output (ENABLE && ISTATUS && !IMASK) is a level handed to the
// platform (a GIC PPI); the core asks next_event_cycle() when to stop its run
// slice or wake from WFI, so interrupts come at the same simulated cycle on
// every run. Access checks and traps (CNTKCTL_EL1, CNTHCTL_EL2) are the
// core's (models/cpu/exceptions.cpp). See README.md.
#pragma once

#include <array>
#include <cstdint>
#include <functional>

#include "comparator.h"
#include "models/cpu/timer_interface.h"

namespace hvsim::timer {

enum class TimerId : uint8_t { Phys, Virt, HypPhys, SecPhys, HypVirt };
constexpr unsigned kNumTimers = 5;

// Counter ticks <-> core cycles: counter = floor(cycles * counter_hz / freq_hz).
uint64_t counter_at(uint64_t cycles, uint64_t counter_hz, uint64_t freq_hz);
// The first cycle count whose counter value is >= `count` (~0 if beyond range).
uint64_t first_cycle_at(uint64_t count, uint64_t counter_hz, uint64_t freq_hz);
// Event streams (Arm ARM D11, "Event streams"): with CTL.EVNTEN set
// (CNTKCTL_EL1 or CNTHCTL_EL2, bits EVNTEN [2], EVNTDIR [3], EVNTI [7:4] in
// both), an event is generated each time bit EVNTI of the counter changes
// 0 to 1 (EVNTDIR = 0) or 1 to 0 (EVNTDIR = 1). The first count after `now`
// at which that happens (~0: EVNTEN is 0).
uint64_t next_stream_count(uint64_t now, uint64_t ctl);

class GenericTimer : public cpu::TimerInterface {
public:
    using Output = std::function<void(TimerId, bool level)>;
    explicit GenericTimer(Output out) : out_(std::move(out)) {}

    Comparator& comparator(TimerId t) { return cmp_[unsigned(t)]; }
    bool output_level(TimerId t) const { return level_[unsigned(t)]; }

    // The state machine on explicit counts (unit tests, and the Core adapter
    // below): `pct` is CNTPCT now, `voff` the offset of the virtual count.
    uint64_t read(cpu::SR r, uint64_t pct, uint64_t voff) const;
    void write(cpu::SR r, uint64_t v, uint64_t pct, uint64_t voff);
    void update(uint64_t pct, uint64_t voff);
    // CNTPCT value at which the next output change happens (~0: none).
    uint64_t next_event_count(uint64_t pct, uint64_t voff) const;

    // cpu::TimerInterface
    uint64_t read_sysreg(cpu::Core& core, cpu::SR r) override;
    void write_sysreg(cpu::Core& core, cpu::SR r, uint64_t v) override;
    void update(cpu::Core& core) override;
    uint64_t next_event_cycle(const cpu::Core& core) const override;
    uint64_t next_stream_event_cycle(const cpu::Core& core, uint64_t after) const override;
    void reset(cpu::Core& core) override;

private:
    static bool decode(cpu::SR r, TimerId& t, unsigned& field);  // field: 0 CTL, 1 CVAL, 2 TVAL
    static uint64_t count_of(TimerId t, uint64_t pct, uint64_t voff) { return t == TimerId::Virt ? pct - voff : pct; }

    Output out_;
    std::array<Comparator, kNumTimers> cmp_{};
    std::array<bool, kNumTimers> level_{};
};

}  // namespace hvsim::timer
