// The system interconnect: routes each transaction by physical address to
// the target mapped there, with DMI and debug transport passed through.
// Unmapped addresses get TLM_ADDRESS_ERROR_RESPONSE (the initiator takes an
// external abort).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

namespace hvsim::mem {

class Router : public sc_core::sc_module {
public:
    tlm_utils::multi_passthrough_target_socket<Router> target_socket;       // from initiators
    tlm_utils::multi_passthrough_initiator_socket<Router> initiator_socket; // to targets

    explicit Router(sc_core::sc_module_name name);

    // Maps the next bound target at [base, base+size). Bind in the same order.
    void map(const std::string& name, uint64_t base, uint64_t size);

    struct Region {
        std::string name;
        uint64_t base, size;
        unsigned port;
    };
    const std::vector<Region>& regions() const { return regions_; }
    const Region* find(uint64_t addr) const;

private:
    void b_transport(int id, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    bool get_direct_mem_ptr(int id, tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi);
    unsigned transport_dbg(int id, tlm::tlm_generic_payload& gp);
    void invalidate_dmi(int port, sc_dt::uint64 start, sc_dt::uint64 end);

    std::vector<Region> regions_;
};

}  // namespace hvsim::mem
