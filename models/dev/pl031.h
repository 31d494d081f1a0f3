// Arm PrimeCell Real Time Clock (PL031), as on QEMU's virt board (SPI 2).
// Reference: ARM DDI 0224 (PL031 Technical Reference Manual).
//
// RTCDR counts whole seconds of simulated time from a configured start
// value (never the host clock, so runs are deterministic); RTCLR loads it,
// RTCMR raises the interrupt when RTCDR becomes equal to it. As on QEMU the
// clock is always running (RTCCR.RTCStart reads 1, writes are ignored).
#pragma once

#include <cstdint>
#include <functional>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "register_bank.h"

namespace hvsim::dev {

class Pl031 : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Pl031> socket;

    // `start`: RTCDR at simulated time 0.
    Pl031(sc_core::sc_module_name name, uint32_t start = 0);

    bool irq() const { return ris_ && imsc_; }
    void set_irq_callback(std::function<void(bool)> f) { irq_cb_ = std::move(f); }
    // RTCDR at simulated time `t`.
    uint32_t count_at(const sc_core::sc_time& t) const;

private:
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    void schedule_match();
    void on_match();
    void update_irq();
    static uint64_t whole_seconds(const sc_core::sc_time& t);

    RegisterBank regs_;
    uint32_t base_;          // RTCDR = base_ + whole seconds of simulated time (mod 2^32)
    uint32_t mr_ = 0, lr_ = 0;
    bool ris_ = false, imsc_ = false;
    sc_core::sc_time now_;   // the accessing initiator's local time, during an access
    sc_core::sc_event match_event_;
    std::function<void(bool)> irq_cb_;
};

}  // namespace hvsim::dev
