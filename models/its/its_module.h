// The ITS as a SystemC module: its 128 KiB frame as a TLM target, its path to
// guest memory (a gic::BusPort), and the thread that runs the command queue:
// each command completes `command_latency` plus the memory latency of its
// table accesses after the previous one (or after the CWRITER write that
// queued it), and only then does CREADR move past it. SYNC therefore
// completes only after every earlier command.
//
// GITS_TRANSLATER writes carry the writer's DeviceID in a DeviceIdExtension;
// writes without one (the CPUs) use ItsConfig::default_device_id (0, as
// QEMU, whose CPUs have requester ID 0). A translation reads its tables at
// the write (the write's annotated time) and delivers the LPI when those
// reads complete: after their memory latency, never before an earlier
// translation's delivery (in order, deterministic).
#pragma once

#include <cstring>
#include <deque>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "its.h"
#include "models/gic/gic_tlm.h"

namespace hvsim::its {

// The DeviceID of a bus master that writes GITS_TRANSLATER (a device model
// attaches it to its MSI writes).
struct DeviceIdExtension : tlm::tlm_extension<DeviceIdExtension> {
    uint32_t device_id = 0;
    tlm_extension_base* clone() const override { return new DeviceIdExtension(*this); }
    void copy_from(const tlm_extension_base& e) override { device_id = static_cast<const DeviceIdExtension&>(e).device_id; }
};

class ItsModule : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<ItsModule> socket;  // the register frame
    gic::BusPort bus;                                   // bind bus.socket to the bus

    ItsModule(sc_core::sc_module_name name, gic::Gic& gic, const ItsConfig& cfg, sc_core::sc_time command_latency)
        : sc_module(name), socket("socket"), bus("bus"), its_(gic, cfg), latency_(command_latency) {
        socket.register_b_transport(this, &ItsModule::b_transport);
        its_.set_memory_access([this](uint64_t pa, uint8_t* d, unsigned len, bool w) { return bus.access(pa, d, len, w); });
        its_.set_work_callback([this] { work_.notify(sc_core::SC_ZERO_TIME); });
        its_.set_clock([] { return uint64_t(sc_core::sc_time_stamp().value() / sc_core::sc_time(1, sc_core::SC_NS).value()); });
        its_.set_deferral([this](const Its::Delivery& d) { defer(d); });
        SC_HAS_PROCESS(ItsModule);
        SC_THREAD(run);
        SC_THREAD(deliver);
    }

    Its& its() { return its_; }

private:
    void run() {
        for (;;) {
            while (!its_.has_work()) sc_core::wait(work_);
            its_.set_busy(true);
            sc_core::wait(latency_);
            its_.execute_next();
            const sc_core::sc_time mem = bus.take_delay();
            if (mem > sc_core::SC_ZERO_TIME) sc_core::wait(mem);
            its_.retire();
            its_.set_busy(false);
        }
    }

    // A translation resolved during the current b_transport (annotated
    // `write_delay_`): delivered after its table reads' latency.
    void defer(const Its::Delivery& d) {
        sc_core::sc_time at = sc_core::sc_time_stamp() + write_delay_ + bus.take_delay();
        if (at < last_delivery_) at = last_delivery_;
        last_delivery_ = at;
        deliveries_.push_back({at, d});
        delivery_ev_.notify(sc_core::SC_ZERO_TIME);
    }

    void deliver() {
        for (;;) {
            while (deliveries_.empty()) sc_core::wait(delivery_ev_);
            const sc_core::sc_time now = sc_core::sc_time_stamp();
            if (deliveries_.front().at > now) {
                sc_core::wait(deliveries_.front().at - now);
                continue;
            }
            const Its::Delivery d = deliveries_.front().d;
            deliveries_.pop_front();
            its_.deliver(d);
        }
    }

    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
        write_delay_ = delay;
        const unsigned len = gp.get_data_length();
        if (gp.get_byte_enable_ptr() || (len != 2 && len != 4 && len != 8)) {
            gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
            return;
        }
        uint32_t device = UINT32_MAX;
        if (auto* ext = gp.get_extension<DeviceIdExtension>()) device = ext->device_id;
        uint8_t* data = gp.get_data_ptr();
        const bool ok = device == UINT32_MAX ? its_.access(gp.get_address(), data, len, gp.is_write())
                                             : its_.access(gp.get_address(), data, len, gp.is_write(), device);
        if (!ok && gp.is_read()) std::memset(data, 0, len);
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
    }

    Its its_;
    sc_core::sc_time latency_;
    sc_core::sc_event work_;
    struct Pending {
        sc_core::sc_time at;
        Its::Delivery d;
    };
    std::deque<Pending> deliveries_;
    sc_core::sc_event delivery_ev_;
    sc_core::sc_time last_delivery_ = sc_core::SC_ZERO_TIME, write_delay_ = sc_core::SC_ZERO_TIME;
};

}  // namespace hvsim::its
