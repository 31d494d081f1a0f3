// Arm PrimeCell UART (PL011), as on QEMU's virt board: transmit to a host
// stream, a receive FIFO fed from an input source at the line's character
// rate, flag and interrupt status registers.
// Reference: ARM DDI 0183 (PL011 Technical Reference Manual).
//
// Receive rule (deterministic for a given input): while the receiver is
// enabled (UARTCR.UARTEN and RXE) and the receive FIFO has room, one byte
// is taken from the input source every character time: start bit, data
// bits (UARTLCR_H.WLEN), parity (PEN) and stop bits (STP2) at the baud rate
// UARTCLK / (16 * (IBRD + FBRD/64)), or 115200 baud when the divisor has
// not been programmed. Host input waits while the FIFO is full (flow
// control instead of overrun); bytes pushed with receive() beyond the FIFO
// are overruns (UARTRSR.OE, OEINTR). The end of the input stops reception.
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

#include "models/common/trace.h"
#include "register_bank.h"

namespace hvsim::dev {

class Pl011 : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Pl011> socket;

    // Interrupt bits of UARTRIS/MIS/IMSC/ICR.
    static constexpr uint32_t kRxInt = 1u << 4, kTxInt = 1u << 5, kRtInt = 1u << 6, kOeInt = 1u << 10;
    // The FIFO depth of the revision the ID registers report (r1p1-r1p4
    // have 16 entries; Linux derives the depth from the revision).
    static constexpr unsigned kFifoDepth = 16;
    // What an input source returns besides a byte.
    static constexpr int kNoInput = -1, kEndOfInput = -2;
    using InputSource = std::function<int()>;

    // `uartclk_hz`: the reference clock (the device tree's 24 MHz apb_pclk).
    Pl011(sc_core::sc_module_name name, std::ostream& out, uint32_t uartclk_hz = 24000000);

    // Level of the combined interrupt output (UARTINTR).
    bool irq() const { return (ris_ & imsc_) != 0; }
    void set_irq_callback(std::function<void(bool)> f) { irq_cb_ = std::move(f); }
    // Where received bytes come from (see the receive rule above); set
    // before the simulation starts.
    void set_input(InputSource src) { input_ = std::move(src); }
    // A byte arriving on the line now; false (overrun) if the FIFO is full.
    bool receive(uint8_t c);
    bool rx_enabled() const;
    unsigned rx_level() const { return static_cast<unsigned>(rx_.size()); }
    unsigned rx_capacity() const;
    sc_core::sc_time character_time() const;
    uint64_t bytes_transmitted() const { return tx_count_; }
    uint64_t bytes_received() const { return rx_count_; }
    void flush() { out_.flush(); }
    // The `uart` trace category: each byte transmitted and received.
    void set_trace(Trace* t) { trace_ = t; }

private:
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    uint32_t read_dr();
    unsigned rx_trigger_level() const;
    unsigned frame_bits() const;
    void rx_thread();
    void rx_timeout();
    void update_irq();
    void trace_byte(const char* dir, uint8_t c, const char* what);

    std::ostream& out_;
    Trace* trace_ = nullptr;
    sc_core::sc_time access_delay_;  // the current access's time past sc_time_stamp()
    uint32_t uartclk_hz_;
    RegisterBank regs_;
    std::deque<uint8_t> rx_;
    uint32_t ris_ = 0, imsc_ = 0, rsr_ = 0;
    uint64_t tx_count_ = 0, rx_count_ = 0;
    std::function<void(bool)> irq_cb_;
    InputSource input_;
    sc_core::sc_event rx_state_changed_;   // receiver enabled, format changed or FIFO space freed
    sc_core::sc_event rx_timeout_event_;
};

}  // namespace hvsim::dev
