// A core as a SystemC module: a TLM-2.0 initiator, loosely timed with
// temporal decoupling. The core runs a quantum's worth of cycles without
// yielding, then synchronises its local time with SystemC; it never calls
// wait() per instruction. RAM is reached through DMI, devices through
// b_transport with the latency they annotate.
#pragma once

#include <csignal>
#include <cstdint>
#include <memory>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "core.h"

namespace hvsim::cpu {

class CpuModule : public sc_core::sc_module, public MemoryPort {
public:
    tlm_utils::simple_initiator_socket<CpuModule> socket;

    CpuModule(sc_core::sc_module_name name, const CoreConfig& cfg, SystemHooks& hooks, DecodeCache& dcache,
              GlobalMonitor& monitor, uint64_t quantum_cycles);

    Core& core() { return *core_; }
    // Power on at `pc` in `el` (reset state), or off.
    void power_on(uint64_t pc, unsigned el);
    void power_off() { powered_ = false; }
    bool powered() const { return powered_; }
    // Interrupt, event or power-on: wake the core if it sleeps.
    void wake() { wake_event_.notify(sc_core::SC_ZERO_TIME); }
    // The interrupt controller's outputs (level sensitive): a rising line
    // wakes the core from WFI.
    void set_irq(bool level) {
        core_->set_irq(level);
        if (level) wake();
    }
    void set_fiq(bool level) {
        core_->set_fiq(level);
        if (level) wake();
    }
    // A physical SError interrupt (it wakes the core from WFI).
    void raise_serror() {
        core_->raise_serror();
        wake();
    }
    // The virtual CPU interface's virtual IRQ/FIQ lines.
    void set_virtual_irq_fiq(bool virq, bool vfiq) {
        core_->set_virq(virq);
        core_->set_vfiq(vfiq);
        if (virq || vfiq) wake();
    }
    sc_core::sc_time period() const { return period_; }
    // Called when the core stops because the guest halted the platform.
    void set_halt_callback(std::function<void()> f) { on_halt_ = std::move(f); }
    // Stop after this many instructions (0: no limit).
    void set_instruction_limit(uint64_t n, std::function<void()> on_limit) {
        insn_limit_ = n;
        on_limit_ = std::move(on_limit);
    }
    // A host request to end the run (Ctrl-C), checked before every run
    // slice: when `*flag` is set, `on_stop` ends the run.
    void set_stop_request(const volatile std::sig_atomic_t* flag, std::function<void()> on_stop) {
        stop_flag_ = flag;
        on_stop_ = std::move(on_stop);
    }
    // A debugger's hooks into this core's thread (nullptr: none).
    void set_debugger(DebugAgent* d) { debugger_ = d; }

    // MemoryPort
    uint8_t* direct_page(uint64_t page_pa, bool write) override;
    bool transport(uint64_t pa, void* data, unsigned size, bool write, uint64_t& latency) override;
    const uint8_t* read_region(uint64_t pa, uint64_t& start, uint64_t& end, uint64_t& latency) override;

private:
    void thread();
    void sync();
    // Sleeps until a wake-up, the next timer event or cycle `until`, whichever
    // is first; true: woken by a timer event or `until` alone.
    bool sleep(uint64_t until = ~0ull);
    void invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end);

    std::unique_ptr<Core> core_;
    sc_core::sc_time period_;
    uint64_t quantum_cycles_;
    uint64_t synced_cycles_ = 0;
    uint64_t wfe_done_cycle_ = 0;  // the last WFE that slept completed here
    bool powered_ = false;
    sc_core::sc_event wake_event_;
    std::function<void()> on_halt_, on_limit_, on_stop_;
    const volatile std::sig_atomic_t* stop_flag_ = nullptr;
    uint64_t insn_limit_ = 0;
    DebugAgent* debugger_ = nullptr;

    struct DmiRegion {
        uint64_t start, end;
        uint8_t* ptr;
        bool writable;
        uint64_t read_latency;  // core cycles: the target's DMI read latency, which it also adds in b_transport
    };
    std::vector<DmiRegion> dmi_;
    std::vector<uint64_t> no_dmi_pages_;  // pages known to have no DMI (MMIO)
    tlm::tlm_generic_payload gp_;
};

}  // namespace hvsim::cpu
