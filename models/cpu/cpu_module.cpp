#include "cpu_module.h"

#include <algorithm>

#include "pmu.h"

namespace hvsim::cpu {

CpuModule::CpuModule(sc_core::sc_module_name name, const CoreConfig& cfg, SystemHooks& hooks, DecodeCache& dcache,
                     GlobalMonitor& monitor, uint64_t quantum_cycles)
    : sc_module(name), socket("socket"), period_(1e12 / double(cfg.freq_hz), sc_core::SC_PS),
      quantum_cycles_(quantum_cycles) {
    core_ = std::make_unique<Core>(cfg, *this, hooks, dcache, monitor);
    socket.register_invalidate_direct_mem_ptr(this, &CpuModule::invalidate_dmi);
    SC_HAS_PROCESS(CpuModule);
    SC_THREAD(thread);
}

void CpuModule::power_on(uint64_t pc, unsigned el) {
    core_->reset(pc, el);
    if (core_->timer()) core_->timer()->reset(*core_);
    if (core_->pmu()) core_->pmu()->reset(*core_);
    powered_ = true;
    wake();
}

void CpuModule::sync() {
    const uint64_t delta = core_->cycles() - synced_cycles_;
    synced_cycles_ = core_->cycles();
    if (delta) wait(period_ * static_cast<double>(delta));
}

bool CpuModule::sleep(uint64_t until) {
    // Sleep until woken or until the next generic timer event; the time
    // asleep counts as idle cycles.
    TimerInterface* timer = core_->timer();
    const uint64_t deadline = std::min<uint64_t>(timer ? timer->next_event_cycle(*core_) : ~0ull, until);
    const sc_core::sc_time t0 = sc_core::sc_time_stamp();
    bool by_timer = false;
    uint64_t slept;
    if (deadline != ~0ull && deadline > core_->cycles()) {
        const uint64_t n = deadline - core_->cycles();
        wait(period_ * static_cast<double>(n), wake_event_);
        by_timer = timed_out();
        slept = by_timer ? n : static_cast<uint64_t>((sc_core::sc_time_stamp() - t0) / period_);
    } else {
        wait(wake_event_);
        slept = static_cast<uint64_t>((sc_core::sc_time_stamp() - t0) / period_);
    }
    core_->idle(slept);
    synced_cycles_ = core_->cycles();
    if (timer) timer->update(*core_);
    return by_timer;
}

void CpuModule::thread() {
    for (;;) {
        if (!powered_) {
            wait(wake_event_);
            // The generic counter is system-wide: a core powered on later
            // (PSCI CPU_ON) joins at the current time, the time it was off
            // counting as idle.
            const uint64_t now = static_cast<uint64_t>(sc_core::sc_time_stamp() / period_);
            if (now > core_->cycles()) core_->idle(now - core_->cycles());
            synced_cycles_ = core_->cycles();
            continue;
        }
        if (stop_flag_ && *stop_flag_ && on_stop_) on_stop_();
        // A debugger (models/debug) may stop the simulation here: it blocks
        // without wait(), so simulated time stands still while it has control.
        if (debugger_) debugger_->poll(*core_);
        // A run slice ends at the quantum or at the next timer event, whose
        // interrupt is raised once local time has been synchronised.
        // So does a PMU counter's possible overflow.
        TimerInterface* timer = core_->timer();
        Pmu* pmu = core_->pmu();
        uint64_t limit = core_->cycles() + quantum_cycles_;
        if (timer) limit = std::min(limit, timer->next_event_cycle(*core_));
        if (pmu) limit = std::min(limit, pmu->next_event_cycle(*core_));
        StopReason why = core_->run(limit);
        // A breakpoint or step stops the simulation in the middle of the
        // slice, which then goes on to its end: the synchronisation points
        // are those of a run without the debugger.
        while (why == StopReason::Debug && debugger_) {
            debugger_->stopped(*core_);
            why = core_->run(core_->run_limit());
        }
        sync();
        if (timer) timer->update(*core_);
        if (pmu && pmu->active()) pmu->update(*core_);
        if (insn_limit_ && core_->instructions() >= insn_limit_) {
            powered_ = false;
            if (on_limit_) on_limit_();
            continue;
        }
        switch (why) {
        case StopReason::Halted:
            powered_ = false;
            if (on_halt_) on_halt_();
            break;
        case StopReason::Wfi:
            // A timer event that raised no interrupt (masked at the GIC)
            // sends the core back to sleep.
            while (!core_->interrupt_pending() && sleep() && powered_ && !core_->halted()) {
            }
            break;
        case StopReason::Wfe: {
            // An event stream edge since the last WFE that slept is latched in
            // the Event Register (an early wake-up is always permitted; a late
            // one is not).
            const uint64_t stream = timer ? timer->next_stream_event_cycle(*core_, wfe_done_cycle_) : ~0ull;
            if (!core_->event_register() && !core_->interrupt_pending() && stream > core_->cycles()) sleep(stream);
            core_->clear_event_register();
            wfe_done_cycle_ = core_->cycles();
            break;
        }
        case StopReason::Budget:
        case StopReason::Debug: break;
        }
    }
}

uint8_t* CpuModule::direct_page(uint64_t page_pa, bool write) {
    for (const DmiRegion& r : dmi_)
        if (page_pa >= r.start && page_pa + 0xFFF <= r.end) return (!write || r.writable) ? r.ptr + (page_pa - r.start) : nullptr;
    if (std::find(no_dmi_pages_.begin(), no_dmi_pages_.end(), page_pa) != no_dmi_pages_.end()) return nullptr;
    tlm::tlm_generic_payload gp;
    gp.set_address(page_pa);
    gp.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    tlm::tlm_dmi dmi;
    if (socket->get_direct_mem_ptr(gp, dmi) && dmi.get_dmi_ptr() && dmi.get_start_address() <= page_pa &&
        dmi.get_end_address() >= page_pa + 0xFFF) {
        dmi_.push_back(DmiRegion{dmi.get_start_address(), dmi.get_end_address(), dmi.get_dmi_ptr(), dmi.is_write_allowed(),
                                 static_cast<uint64_t>(dmi.get_read_latency() / period_)});
        return (!write || dmi.is_write_allowed()) ? dmi.get_dmi_ptr() + (page_pa - dmi.get_start_address()) : nullptr;
    }
    if (!dmi.is_read_allowed() || !dmi.get_dmi_ptr()) no_dmi_pages_.push_back(page_pa);
    return nullptr;
}

// The platform's DMI targets (RAM, flash in read-array mode) read the same
// bytes through DMI and b_transport, and add their DMI read latency to the
// delay of a b_transport read; the router adds nothing.
const uint8_t* CpuModule::read_region(uint64_t pa, uint64_t& start, uint64_t& end, uint64_t& latency) {
    if (!direct_page(pa & ~0xFFFull, false)) return nullptr;
    for (const DmiRegion& r : dmi_) {
        if (pa >= r.start && pa <= r.end) {
            start = r.start;
            end = r.end;
            latency = r.read_latency;
            return r.ptr;
        }
    }
    return nullptr;
}

bool CpuModule::transport(uint64_t pa, void* data, unsigned size, bool write, uint64_t& latency) {
    gp_.set_address(pa);
    gp_.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    gp_.set_data_ptr(static_cast<unsigned char*>(data));
    gp_.set_data_length(size);
    gp_.set_streaming_width(size);
    gp_.set_byte_enable_ptr(nullptr);
    gp_.set_dmi_allowed(false);
    gp_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(gp_, delay);
    latency += static_cast<uint64_t>(delay / period_);
    return gp_.get_response_status() == tlm::TLM_OK_RESPONSE;
}

void CpuModule::invalidate_dmi(sc_dt::uint64, sc_dt::uint64) {
    dmi_.clear();
    no_dmi_pages_.clear();
    core_->invalidate_speed_caches();
}

}  // namespace hvsim::cpu
