// The GIC's memory-mapped frames as TLM-2.0 targets: one for the
// distributor (64 KiB) and one for the redistributor region (128 KiB per
// core). Reserved offsets and access sizes a register does not allow are
// RAZ/WI, as the GIC architecture says of reserved locations.
#pragma once

#include <cstring>
#include <functional>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

namespace hvsim::gic {

class MmioFrame : public sc_core::sc_module {
public:
    using Access = std::function<bool(uint64_t offset, uint8_t* data, unsigned len, bool write)>;
    tlm_utils::simple_target_socket<MmioFrame> socket;

    MmioFrame(sc_core::sc_module_name name, Access access) : sc_module(name), socket("socket"), access_(std::move(access)) {
        socket.register_b_transport(this, &MmioFrame::b_transport);
    }

private:
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
        const unsigned len = gp.get_data_length();
        if (gp.get_byte_enable_ptr() || (len != 1 && len != 2 && len != 4 && len != 8)) {
            gp.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
            return;
        }
        uint8_t* data = gp.get_data_ptr();
        if (!access_(gp.get_address(), data, len, gp.is_write()) && gp.is_read()) std::memset(data, 0, len);
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
    }

    Access access_;
};

// The GIC's and the ITS's path to guest memory (LPI property and pending
// tables, the ITS command queue and tables): an initiator socket the
// platform binds to the bus, so these reads and writes are ordinary TLM
// transactions (a cache model can sit on that path) rather than host
// pointers. `access` is a MemAccess (lpi.h).
class BusPort : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<BusPort> socket;

    explicit BusPort(sc_core::sc_module_name name) : sc_module(name), socket("socket") {}

    bool access(uint64_t pa, uint8_t* data, unsigned len, bool write) {
        tlm::tlm_generic_payload gp;
        gp.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        gp.set_address(pa);
        gp.set_data_ptr(data);
        gp.set_data_length(len);
        gp.set_streaming_width(len);
        gp.set_byte_enable_ptr(nullptr);
        gp.set_dmi_allowed(false);
        gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        socket->b_transport(gp, delay_);
        ++accesses_;
        return gp.is_response_ok();
    }
    // The memory latency these accesses accumulated (not yet charged to any
    // thread: the ITS thread consumes it, see its_module.h).
    sc_core::sc_time take_delay() {
        const sc_core::sc_time d = delay_;
        delay_ = sc_core::SC_ZERO_TIME;
        return d;
    }
    // Latency of an access made around the bus (a coherent table access).
    void add_delay(const sc_core::sc_time& t) { delay_ += t; }
    uint64_t accesses() const { return accesses_; }

private:
    sc_core::sc_time delay_ = sc_core::SC_ZERO_TIME;
    uint64_t accesses_ = 0;
};

}  // namespace hvsim::gic
