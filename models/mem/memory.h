// RAM and ROM: a TLM target backed by lazily zeroed host memory, with DMI so
// that cores reach it without a transaction per access.
#pragma once

#include <cstdint>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

namespace hvsim::mem {

class Memory : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Memory> socket;

    // `latency` is the access time reported to initiators that do not use DMI.
    Memory(sc_core::sc_module_name name, uint64_t size, bool read_only = false,
           sc_core::sc_time latency = sc_core::SC_ZERO_TIME);
    ~Memory() override;
    Memory(const Memory&) = delete;
    Memory& operator=(const Memory&) = delete;

    uint64_t size() const { return size_; }
    uint8_t* data() { return data_; }
    // Loader access by offset; false if [offset, offset+len) is outside.
    bool load(uint64_t offset, const void* src, uint64_t len);

private:
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi);
    unsigned transport_dbg(tlm::tlm_generic_payload& gp);

    uint64_t size_;
    bool read_only_;
    sc_core::sc_time latency_;
    uint8_t* data_;
};

}  // namespace hvsim::mem
