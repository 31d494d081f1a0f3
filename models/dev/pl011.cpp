#include "pl011.h"

namespace hvsim::dev {

namespace {
// UARTFR.
constexpr uint32_t kFrRxfe = 1u << 4, kFrRxff = 1u << 6, kFrTxfe = 1u << 7;
// UARTCR.
constexpr uint32_t kCrUarten = 1u << 0, kCrRxe = 1u << 9;
// UARTLCR_H.
constexpr uint32_t kLcrPen = 1u << 1, kLcrStp2 = 1u << 3, kLcrFen = 1u << 4;
// UARTRSR/UARTECR overrun error.
constexpr uint32_t kRsrOe = 1u << 3;
constexpr uint64_t kDefaultBaud = 115200;
}  // namespace

Pl011::Pl011(sc_core::sc_module_name name, std::ostream& out, uint32_t uartclk_hz)
    : sc_module(name), socket("socket"), out_(out), uartclk_hz_(uartclk_hz) {
    socket.register_b_transport(this, &Pl011::b_transport);
    SC_HAS_PROCESS(Pl011);
    SC_THREAD(rx_thread);
    SC_METHOD(rx_timeout);
    sensitive << rx_timeout_event_;
    dont_initialize();

    regs_.add("UARTDR", 0x000).on_read([this] { return read_dr(); }).on_write([this](uint32_t v) {
        out_.put(static_cast<char>(v & 0xFF));
        if ((v & 0xFF) == '\n') out_.flush();
        ++tx_count_;
        if (trace_ && trace_->on(Trace::kUart)) trace_byte("tx", static_cast<uint8_t>(v), "");
        // The transmit FIFO drains instantly: the TX interrupt stays raised.
        ris_ |= kTxInt;
        update_irq();
    });
    // UARTRSR reads the receive errors; a write (UARTECR) clears them.
    regs_.add("UARTRSR", 0x004).on_read([this] { return rsr_; }).on_write([this](uint32_t) { rsr_ = 0; });
    // The transmit FIFO is always empty (output is instantaneous).
    regs_.add("UARTFR", 0x018)
        .on_read([this] {
            return kFrTxfe | (rx_.empty() ? kFrRxfe : 0) | (rx_level() >= rx_capacity() ? kFrRxff : 0);
        })
        .read_only();
    regs_.add("UARTILPR", 0x020).mask(0xFF);
    auto rx_format = [this](uint32_t) { rx_state_changed_.notify(sc_core::SC_ZERO_TIME); };
    regs_.add("UARTIBRD", 0x024).mask(0xFFFF);
    regs_.add("UARTFBRD", 0x028).mask(0x3F);
    regs_.add("UARTLCR_H", 0x02C).mask(0xFF);
    regs_.add("UARTCR", 0x030, 0x300).mask(0xFF87);
    for (uint32_t off : {0x02Cu, 0x030u}) {
        Register* r = regs_.find(off);
        r->on_write([r, rx_format](uint32_t v) {
            r->set(v);
            rx_format(v);
        });
    }
    regs_.add("UARTIFLS", 0x034, 0x12).mask(0x3F);
    regs_.add("UARTIMSC", 0x038).mask(0x7FF).on_read([this] { return imsc_; }).on_write([this](uint32_t v) {
        imsc_ = v;
        update_irq();
    });
    regs_.add("UARTRIS", 0x03C).on_read([this] { return ris_; }).read_only();
    regs_.add("UARTMIS", 0x040).on_read([this] { return ris_ & imsc_; }).read_only();
    regs_.add("UARTICR", 0x044).on_read([] { return 0u; }).on_write([this](uint32_t v) {
        ris_ &= ~v;
        update_irq();
    });
    regs_.add("UARTDMACR", 0x048).mask(0x7);
    // PrimeCell identification (PL011 r1p5, as QEMU's model reports).
    static constexpr uint32_t kId[] = {0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};
    for (unsigned i = 0; i < 8; ++i)
        regs_.add(i < 4 ? "UARTPeriphID" + std::to_string(i) : "UARTPCellID" + std::to_string(i - 4), 0xFE0 + 4 * i, kId[i])
            .read_only();
    ris_ = kTxInt;
}

bool Pl011::rx_enabled() const {
    const uint32_t cr = regs_.value(0x030);
    return (cr & kCrUarten) && (cr & kCrRxe);
}

// With the FIFOs disabled (UARTLCR_H.FEN = 0) the receive side is a
// one-character holding register.
unsigned Pl011::rx_capacity() const { return (regs_.value(0x02C) & kLcrFen) ? kFifoDepth : 1; }

// UARTIFLS.RXIFLSEL: 1/8, 1/4, 1/2, 3/4 or 7/8 full; reserved values as 1/2.
unsigned Pl011::rx_trigger_level() const {
    static constexpr unsigned kEighths[] = {1, 2, 4, 6, 7};
    const unsigned sel = (regs_.value(0x034) >> 3) & 7;
    return kFifoDepth * (sel < 5 ? kEighths[sel] : 4) / 8;
}

// Start bit, 5 to 8 data bits (WLEN), parity bit (PEN), 1 or 2 stop bits (STP2).
unsigned Pl011::frame_bits() const {
    const uint32_t lcr = regs_.value(0x02C);
    return 1 + (5 + ((lcr >> 5) & 3)) + ((lcr & kLcrPen) ? 1 : 0) + ((lcr & kLcrStp2) ? 2 : 1);
}

sc_core::sc_time Pl011::character_time() const {
    const uint64_t bits = frame_bits();
    // Baud rate divisor BAUDDIV = UARTCLK / (16 * baud) = IBRD + FBRD / 64;
    // IBRD = 0 is not a valid divisor.
    const uint64_t div64 = uint64_t(regs_.value(0x024)) * 64 + regs_.value(0x028);
    const uint64_t bit_ps = regs_.value(0x024) == 0 ? 1000000000000ull / kDefaultBaud
                                                    : div64 * 1000000000000ull / (4ull * uartclk_hz_);
    return sc_core::sc_time(double(bits * bit_ps), sc_core::SC_PS);
}

uint32_t Pl011::read_dr() {
    if (rx_.empty()) return 0;
    const uint32_t c = rx_.front();
    rx_.pop_front();
    // The receive interrupt clears when the FIFO drops below the trigger
    // level (with FIFOs off: when the holding register is read); the
    // receive timeout clears when the FIFO becomes empty.
    if (!(regs_.value(0x02C) & kLcrFen) || rx_level() < rx_trigger_level()) ris_ &= ~kRxInt;
    if (rx_.empty()) ris_ &= ~kRtInt;
    update_irq();
    rx_state_changed_.notify(sc_core::SC_ZERO_TIME);
    return c;
}

bool Pl011::receive(uint8_t c) {
    if (rx_level() >= rx_capacity()) {
        if (trace_ && trace_->on(Trace::kUart)) trace_byte("rx", c, " overrun");
        rsr_ |= kRsrOe;
        ris_ |= kOeInt;
        update_irq();
        return false;
    }
    rx_.push_back(c);
    ++rx_count_;
    if (trace_ && trace_->on(Trace::kUart)) trace_byte("rx", c, "");
    if (!(regs_.value(0x02C) & kLcrFen) || rx_level() >= rx_trigger_level()) ris_ |= kRxInt;
    // Receive timeout: the FIFO is not empty and nothing more arrives for
    // 32 bit periods.
    rx_timeout_event_.cancel();
    rx_timeout_event_.notify(character_time() * 32 / double(frame_bits()));
    update_irq();
    return true;
}

void Pl011::rx_timeout() {
    if (!rx_.empty()) {
        ris_ |= kRtInt;
        update_irq();
    }
}

void Pl011::rx_thread() {
    if (!input_) return;
    for (;;) {
        while (!rx_enabled() || rx_level() >= rx_capacity()) wait(rx_state_changed_);
        wait(character_time());
        if (!rx_enabled() || rx_level() >= rx_capacity()) continue;
        const int c = input_();
        if (c == kEndOfInput) return;
        if (c >= 0) receive(static_cast<uint8_t>(c));
    }
}

void Pl011::update_irq() {
    if (irq_cb_) irq_cb_(irq());
}

// "tx byte=0x41 char=A": the character when it is printable and not a space.
void Pl011::trace_byte(const char* dir, uint8_t c, const char* what) {
    const sc_core::sc_time t = sc_core::sc_time_stamp() + access_delay_;
    const uint64_t ns = static_cast<uint64_t>(t / sc_core::sc_time(1, sc_core::SC_NS));
    const bool printable = c > 0x20 && c < 0x7F;
    trace_->emit_ns(Trace::kUart, ns, "{} byte={:#04x}{}{}{}", dir, c, printable ? " char=" : "",
                    printable ? std::string(1, static_cast<char>(c)) : std::string(), what);
}

void Pl011::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
    access_delay_ = delay;
    const uint64_t addr = gp.get_address();
    const unsigned len = gp.get_data_length();
    // Registers are 32 bits wide; byte and halfword accesses to their low
    // part are allowed, as software often writes UARTDR with STRB.
    if ((len != 1 && len != 2 && len != 4) || (addr & 3) || gp.get_byte_enable_ptr()) {
        gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    uint32_t v = 0;
    bool ok;
    if (gp.is_read()) {
        ok = regs_.read(static_cast<uint32_t>(addr), v);
        std::memcpy(gp.get_data_ptr(), &v, len);
    } else {
        std::memcpy(&v, gp.get_data_ptr(), len);
        ok = regs_.write(static_cast<uint32_t>(addr), v);
    }
    // Reserved offsets read as zero and ignore writes, as on the PL011.
    if (!ok && gp.is_read()) std::memset(gp.get_data_ptr(), 0, len);
    access_delay_ = sc_core::SC_ZERO_TIME;
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace hvsim::dev
