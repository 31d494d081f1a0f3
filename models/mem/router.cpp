#include "router.h"

#include "models/common/error.h"

namespace hvsim::mem {

Router::Router(sc_core::sc_module_name name)
    : sc_module(name), target_socket("target_socket"), initiator_socket("initiator_socket") {
    target_socket.register_b_transport(this, &Router::b_transport);
    target_socket.register_get_direct_mem_ptr(this, &Router::get_direct_mem_ptr);
    target_socket.register_transport_dbg(this, &Router::transport_dbg);
    initiator_socket.register_invalidate_direct_mem_ptr(this, &Router::invalidate_dmi);
}

void Router::map(const std::string& name, uint64_t base, uint64_t size) {
    for (const Region& r : regions_)
        if (base < r.base + r.size && r.base < base + size)
            throw Error("memory map: " + name + " overlaps " + r.name);
    regions_.push_back(Region{name, base, size, static_cast<unsigned>(regions_.size())});
}

const Router::Region* Router::find(uint64_t addr) const {
    for (const Region& r : regions_)
        if (addr >= r.base && addr - r.base < r.size) return &r;
    return nullptr;
}

void Router::b_transport(int, tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
    const uint64_t addr = gp.get_address();
    const Region* r = find(addr);
    if (!r || gp.get_data_length() > r->size - (addr - r->base)) {
        gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    gp.set_address(addr - r->base);
    initiator_socket[r->port]->b_transport(gp, delay);
    gp.set_address(addr);
}

bool Router::get_direct_mem_ptr(int, tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi) {
    const uint64_t addr = gp.get_address();
    const Region* r = find(addr);
    if (!r) return false;
    gp.set_address(addr - r->base);
    bool ok = initiator_socket[r->port]->get_direct_mem_ptr(gp, dmi);
    gp.set_address(addr);
    // Back to global addresses, clipped to the region.
    uint64_t start = dmi.get_start_address() + r->base, end = dmi.get_end_address() + r->base;
    if (start < r->base) start = r->base;
    if (end > r->base + r->size - 1) end = r->base + r->size - 1;
    dmi.set_start_address(start);
    dmi.set_end_address(end);
    return ok;
}

unsigned Router::transport_dbg(int, tlm::tlm_generic_payload& gp) {
    const uint64_t addr = gp.get_address();
    const Region* r = find(addr);
    if (!r) return 0;
    gp.set_address(addr - r->base);
    unsigned n = initiator_socket[r->port]->transport_dbg(gp);
    gp.set_address(addr);
    return n;
}

void Router::invalidate_dmi(int port, sc_dt::uint64 start, sc_dt::uint64 end) {
    for (const Region& r : regions_) {
        if (r.port != static_cast<unsigned>(port)) continue;
        for (unsigned i = 0; i < target_socket.size(); ++i)
            target_socket[i]->invalidate_direct_mem_ptr(start + r.base, end + r.base);
    }
}

}  // namespace hvsim::mem
