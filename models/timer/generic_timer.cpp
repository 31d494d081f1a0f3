#include "generic_timer.h"

#include "models/cpu/core.h"

namespace hvsim::timer {

using cpu::SR;

uint64_t counter_at(uint64_t cycles, uint64_t counter_hz, uint64_t freq_hz) {
    return static_cast<uint64_t>(static_cast<unsigned __int128>(cycles) * counter_hz / freq_hz);
}

uint64_t first_cycle_at(uint64_t count, uint64_t counter_hz, uint64_t freq_hz) {
    const unsigned __int128 num = static_cast<unsigned __int128>(count) * freq_hz;
    const unsigned __int128 c = (num + counter_hz - 1) / counter_hz;
    return c > ~0ull ? ~0ull : static_cast<uint64_t>(c);
}

uint64_t next_stream_count(uint64_t now, uint64_t ctl) {
    if (!(ctl & (1u << 2))) return ~0ull;
    const unsigned bit = unsigned(ctl >> 4) & 0xF;
    const uint64_t period = 2ull << bit;
    const uint64_t phase = (ctl & (1u << 3)) ? 0 : (1ull << bit);  // count mod period at the edge
    uint64_t next = now - (now % period) + phase;
    if (next <= now) next += period;
    return next;
}

bool GenericTimer::decode(SR r, TimerId& t, unsigned& field) {
    switch (r) {
    case SR::CNTP_CTL_EL0: t = TimerId::Phys, field = 0; return true;
    case SR::CNTP_CVAL_EL0: t = TimerId::Phys, field = 1; return true;
    case SR::CNTP_TVAL_EL0: t = TimerId::Phys, field = 2; return true;
    case SR::CNTV_CTL_EL0: t = TimerId::Virt, field = 0; return true;
    case SR::CNTV_CVAL_EL0: t = TimerId::Virt, field = 1; return true;
    case SR::CNTV_TVAL_EL0: t = TimerId::Virt, field = 2; return true;
    case SR::CNTHP_CTL_EL2: t = TimerId::HypPhys, field = 0; return true;
    case SR::CNTHP_CVAL_EL2: t = TimerId::HypPhys, field = 1; return true;
    case SR::CNTHP_TVAL_EL2: t = TimerId::HypPhys, field = 2; return true;
    case SR::CNTHV_CTL_EL2: t = TimerId::HypVirt, field = 0; return true;
    case SR::CNTHV_CVAL_EL2: t = TimerId::HypVirt, field = 1; return true;
    case SR::CNTHV_TVAL_EL2: t = TimerId::HypVirt, field = 2; return true;
    case SR::CNTPS_CTL_EL1: t = TimerId::SecPhys, field = 0; return true;
    case SR::CNTPS_CVAL_EL1: t = TimerId::SecPhys, field = 1; return true;
    case SR::CNTPS_TVAL_EL1: t = TimerId::SecPhys, field = 2; return true;
    default: return false;
    }
}

uint64_t GenericTimer::read(SR r, uint64_t pct, uint64_t voff) const {
    TimerId t;
    unsigned field;
    if (!decode(r, t, field)) return 0;
    const Comparator& c = cmp_[unsigned(t)];
    const uint64_t count = count_of(t, pct, voff);
    return field == 0 ? c.read_ctl(count) : field == 1 ? c.cval : c.read_tval(count);
}

void GenericTimer::write(SR r, uint64_t v, uint64_t pct, uint64_t voff) {
    TimerId t;
    unsigned field;
    if (decode(r, t, field)) {
        Comparator& c = cmp_[unsigned(t)];
        if (field == 0) c.write_ctl(v);
        else if (field == 1) c.cval = v;
        else c.write_tval(count_of(t, pct, voff), v);
    }
    // Any write (CNTVOFF_EL2 included) may change an output at once.
    update(pct, voff);
}

void GenericTimer::update(uint64_t pct, uint64_t voff) {
    for (unsigned i = 0; i < kNumTimers; ++i) {
        const bool level = cmp_[i].output(count_of(TimerId(i), pct, voff));
        if (level != level_[i]) {
            level_[i] = level;
            if (out_) out_(TimerId(i), level);
        }
    }
}

uint64_t GenericTimer::next_event_count(uint64_t pct, uint64_t voff) const {
    uint64_t next = ~0ull;
    for (unsigned i = 0; i < kNumTimers; ++i) {
        const uint64_t d = cmp_[i].counts_to_fire(count_of(TimerId(i), pct, voff));
        if (d != ~0ull && pct + d > pct && pct + d < next) next = pct + d;
    }
    return next;
}

// ---- the core's view ----------------------------------------------------------

namespace {
uint64_t voff_of(const cpu::Core& c) { return c.el_implemented(2) ? c.sr(SR::CNTVOFF_EL2) : 0; }
}  // namespace

uint64_t GenericTimer::read_sysreg(cpu::Core& core, SR r) { return read(r, core.counter(), voff_of(core)); }

void GenericTimer::write_sysreg(cpu::Core& core, SR r, uint64_t v) {
    write(r, v, core.counter(), voff_of(core));
    // A deadline inside the current run slice ends the slice there.
    core.end_run_at(next_event_cycle(core));
}

void GenericTimer::update(cpu::Core& core) { update(core.counter(), voff_of(core)); }

uint64_t GenericTimer::next_event_cycle(const cpu::Core& core) const {
    const uint64_t count = next_event_count(core.counter(), voff_of(core));
    if (count == ~0ull) return ~0ull;
    return first_cycle_at(count, core.config().counter_hz, core.config().freq_hz);
}

uint64_t GenericTimer::next_stream_event_cycle(const cpu::Core& core, uint64_t after) const {
    const uint64_t hz = core.config().counter_hz, freq = core.config().freq_hz;
    const uint64_t pct = counter_at(after, hz, freq);
    uint64_t next = ~0ull;
    // CNTKCTL_EL1's stream counts CNTVCT; it generates nothing while
    // HCR_EL2.{E2H, TGE} = {1, 1}. CNTHCTL_EL2's counts CNTPCT.
    const bool e2h_tge = core.e2h() && (core.sr(SR::HCR_EL2) & (1ull << 27));
    if (!e2h_tge) {
        const uint64_t voff = voff_of(core);
        const uint64_t v = next_stream_count(pct - voff, core.sr(SR::CNTKCTL_EL1));
        if (v != ~0ull) next = v + voff;
    }
    if (core.el_implemented(2)) {
        const uint64_t p = next_stream_count(pct, core.sr(SR::CNTHCTL_EL2));
        if (p < next) next = p;
    }
    if (next == ~0ull) return ~0ull;
    // The count may have stepped past `next` within cycle `after` itself.
    const uint64_t cycle = first_cycle_at(next, hz, freq);
    return cycle > after ? cycle : after + 1;
}

void GenericTimer::reset(cpu::Core& core) {
    // CNTx_CTL.ENABLE resets to 0 (as QEMU does; older Arm ARM issues make
    // it UNKNOWN), which is all that decides the outputs.
    for (Comparator& c : cmp_) c = Comparator{};
    update(core);
}

}  // namespace hvsim::timer
