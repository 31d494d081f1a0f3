#include "pl011.h"

namespace hvsim::dev {

namespace {
// Interrupt bits (RIS/MIS/IMSC/ICR).
constexpr uint32_t kRxInt = 1u << 4, kTxInt = 1u << 5;
// Flag register bits.
constexpr uint32_t kFrRxfe = 1u << 4, kFrTxfe = 1u << 7;
}  // namespace

Pl011::Pl011(sc_core::sc_module_name name, std::ostream& out) : sc_module(name), socket("socket"), out_(out) {
    socket.register_b_transport(this, &Pl011::b_transport);
    regs_.add("UARTDR", 0x000).on_read([this] { return read_dr(); }).on_write([this](uint32_t v) {
        out_.put(static_cast<char>(v & 0xFF));
        if ((v & 0xFF) == '\n') out_.flush();
        ++tx_count_;
        // The transmit FIFO drains instantly: the TX interrupt stays raised.
        ris_ |= kTxInt;
        update_irq();
    });
    regs_.add("UARTRSR", 0x004).on_write([](uint32_t) {});  // write clears errors: none are modelled
    // Transmit FIFO always empty; receive FIFO empty unless input is queued.
    regs_.add("UARTFR", 0x018).on_read([this] { return kFrTxfe | (rx_.empty() ? kFrRxfe : 0); }).read_only();
    regs_.add("UARTILPR", 0x020).mask(0xFF);
    regs_.add("UARTIBRD", 0x024).mask(0xFFFF);
    regs_.add("UARTFBRD", 0x028).mask(0x3F);
    regs_.add("UARTLCR_H", 0x02C).mask(0xFF);
    regs_.add("UARTCR", 0x030, 0x300).mask(0xFF87);
    regs_.add("UARTIFLS", 0x034, 0x12).mask(0x3F);
    regs_.add("UARTIMSC", 0x038).mask(0x7FF).on_read([this] { return imsc_; }).on_write([this](uint32_t v) {
        imsc_ = v;
        update_irq();
    });
    regs_.add("UARTRIS", 0x03C).on_read([this] { return ris_; }).read_only();
    regs_.add("UARTMIS", 0x040).on_read([this] { return ris_ & imsc_; }).read_only();
    regs_.add("UARTICR", 0x044).on_write([this](uint32_t v) {
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

uint32_t Pl011::read_dr() {
    if (rx_.empty()) return 0;
    uint32_t c = rx_.front();
    rx_.pop_front();
    if (rx_.empty()) ris_ &= ~kRxInt;
    update_irq();
    return c;
}

void Pl011::receive(char c) {
    rx_.push_back(static_cast<uint8_t>(c));
    ris_ |= kRxInt;
    update_irq();
}

void Pl011::update_irq() {
    if (irq_cb_) irq_cb_(irq());
}

void Pl011::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
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
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace hvsim::dev
