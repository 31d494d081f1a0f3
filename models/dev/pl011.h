// Arm PrimeCell UART (PL011), as on QEMU's virt board: transmit to a host
// stream, receive queue fed by the platform, interrupt status registers.
// Reference: ARM DDI 0183 (PL011 Technical Reference Manual).
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <ostream>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "register_bank.h"

namespace hvsim::dev {

class Pl011 : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Pl011> socket;

    Pl011(sc_core::sc_module_name name, std::ostream& out);

    // Level of the combined interrupt output (UARTINTR).
    bool irq() const { return (ris_ & imsc_) != 0; }
    void set_irq_callback(std::function<void(bool)> f) { irq_cb_ = std::move(f); }
    void receive(char c);
    uint64_t bytes_transmitted() const { return tx_count_; }
    void flush() { out_.flush(); }

private:
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    uint32_t read_dr();
    void update_irq();

    std::ostream& out_;
    RegisterBank regs_;
    std::deque<uint8_t> rx_;
    uint32_t ris_ = 0, imsc_ = 0;
    uint64_t tx_count_ = 0;
    std::function<void(bool)> irq_cb_;
};

}  // namespace hvsim::dev
