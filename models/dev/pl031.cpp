#include "pl031.h"

#include <cstring>

namespace hvsim::dev {

Pl031::Pl031(sc_core::sc_module_name name, uint32_t start) : sc_module(name), socket("socket"), base_(start) {
    socket.register_b_transport(this, &Pl031::b_transport);
    SC_HAS_PROCESS(Pl031);
    SC_METHOD(on_match);
    sensitive << match_event_;
    dont_initialize();

    regs_.add("RTCDR", 0x000).on_read([this] { return count_at(now_); }).read_only();
    regs_.add("RTCMR", 0x004).on_read([this] { return mr_; }).on_write([this](uint32_t v) {
        mr_ = v;
        schedule_match();
    });
    regs_.add("RTCLR", 0x008).on_read([this] { return lr_; }).on_write([this](uint32_t v) {
        lr_ = v;  // reads back the last value loaded
        base_ = v - static_cast<uint32_t>(whole_seconds(now_));
        schedule_match();
    });
    regs_.add("RTCCR", 0x00C, 1).on_write([](uint32_t) {});  // always started
    regs_.add("RTCIMSC", 0x010).on_read([this] { return uint32_t(imsc_); }).on_write([this](uint32_t v) {
        imsc_ = v & 1;
        update_irq();
    });
    regs_.add("RTCRIS", 0x014).on_read([this] { return uint32_t(ris_); }).read_only();
    regs_.add("RTCMIS", 0x018).on_read([this] { return uint32_t(ris_ && imsc_); }).read_only();
    regs_.add("RTCICR", 0x01C).on_read([] { return 0u; }).on_write([this](uint32_t v) {
        if (v & 1) ris_ = false;
        update_irq();
    });
    // PrimeCell identification (PL031, as QEMU's model reports).
    static constexpr uint32_t kId[] = {0x31, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};
    for (unsigned i = 0; i < 8; ++i)
        regs_.add(i < 4 ? "RTCPeriphID" + std::to_string(i) : "RTCPCellID" + std::to_string(i - 4), 0xFE0 + 4 * i, kId[i])
            .read_only();
}

uint64_t Pl031::whole_seconds(const sc_core::sc_time& t) {
    return t.value() / sc_core::sc_time(1, sc_core::SC_SEC).value();
}

uint32_t Pl031::count_at(const sc_core::sc_time& t) const {
    return base_ + static_cast<uint32_t>(whole_seconds(t));
}

void Pl031::schedule_match() {
    // RTCDR becomes RTCMR at the start of second (RTCMR - base_) mod 2^32,
    // counted from time 0; if it equals RTCMR now, the interrupt is raised
    // at once (as on QEMU).
    match_event_.cancel();
    const uint64_t now_s = whole_seconds(now_);
    const uint32_t ticks = mr_ - count_at(now_);
    if (ticks == 0) {
        ris_ = true;
        update_irq();
        return;
    }
    const sc_core::sc_time at = sc_core::sc_time(1, sc_core::SC_SEC) * static_cast<double>(now_s + ticks);
    const sc_core::sc_time stamp = sc_core::sc_time_stamp();
    match_event_.notify(at > stamp ? at - stamp : sc_core::SC_ZERO_TIME);
}

void Pl031::on_match() {
    ris_ = true;
    update_irq();
}

void Pl031::update_irq() {
    if (irq_cb_) irq_cb_(irq());
}

void Pl031::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
    const uint64_t addr = gp.get_address();
    const unsigned len = gp.get_data_length();
    if (len != 4 || (addr & 3) || gp.get_byte_enable_ptr()) {
        gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    now_ = sc_core::sc_time_stamp() + delay;
    uint32_t v = 0;
    bool ok;
    if (gp.is_read()) {
        ok = regs_.read(static_cast<uint32_t>(addr), v);
        std::memcpy(gp.get_data_ptr(), &v, 4);
    } else {
        std::memcpy(&v, gp.get_data_ptr(), 4);
        ok = regs_.write(static_cast<uint32_t>(addr), v);
    }
    // Reserved offsets read as zero and ignore writes.
    if (!ok && gp.is_read()) std::memset(gp.get_data_ptr(), 0, 4);
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace hvsim::dev
