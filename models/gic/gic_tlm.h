// The GIC's memory-mapped frames as TLM-2.0 targets: one for the
// distributor (64 KiB) and one for the redistributor region (128 KiB per
// core). Reserved offsets and access sizes a register does not allow are
// RAZ/WI, as the GIC architecture says of reserved locations.
#pragma once

#include <cstring>
#include <functional>

#include <systemc>
#include <tlm>
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

}  // namespace hvsim::gic
