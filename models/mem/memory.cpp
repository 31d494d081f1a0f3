#include "memory.h"

#include <sys/mman.h>

#include <cstring>

#include "models/common/error.h"

namespace hvsim::mem {

Memory::Memory(sc_core::sc_module_name name, uint64_t size, bool read_only, sc_core::sc_time latency)
    : sc_module(name), socket("socket"), size_(size), read_only_(read_only), latency_(latency) {
    // Anonymous mappings are zero-filled on first touch: a 4 GiB guest costs
    // only what it uses.
    void* p = mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) throw Error(std::string("cannot allocate ") + std::to_string(size_ >> 20) + " MiB for " + basename());
    data_ = static_cast<uint8_t*>(p);
    socket.register_b_transport(this, &Memory::b_transport);
    socket.register_get_direct_mem_ptr(this, &Memory::get_direct_mem_ptr);
    socket.register_transport_dbg(this, &Memory::transport_dbg);
}

Memory::~Memory() { munmap(data_, size_); }

bool Memory::load(uint64_t offset, const void* src, uint64_t len) {
    if (offset > size_ || len > size_ - offset) return false;
    std::memcpy(data_ + offset, src, len);
    return true;
}

void Memory::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
    const uint64_t addr = gp.get_address();
    const unsigned len = gp.get_data_length();
    if (addr > size_ || len > size_ - addr || gp.get_byte_enable_ptr()) {
        gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    if (gp.is_read()) {
        std::memcpy(gp.get_data_ptr(), data_ + addr, len);
    } else if (gp.is_write() && !read_only_) {
        std::memcpy(data_ + addr, gp.get_data_ptr(), len);
    }
    // Writes to ROM are ignored, as by a flash device in read-array mode
    // (the virt flash itself is models/mem/cfi_flash).
    delay += latency_;
    gp.set_dmi_allowed(true);
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

bool Memory::get_direct_mem_ptr(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi) {
    dmi.set_dmi_ptr(data_);
    dmi.set_start_address(0);
    dmi.set_end_address(size_ - 1);
    dmi.set_read_latency(latency_);
    dmi.set_write_latency(latency_);
    if (read_only_) dmi.allow_read();
    else dmi.allow_read_write();
    return !read_only_ || gp.is_read();
}

unsigned Memory::transport_dbg(tlm::tlm_generic_payload& gp) {
    const uint64_t addr = gp.get_address();
    if (addr >= size_) return 0;
    const unsigned len = static_cast<unsigned>(std::min<uint64_t>(gp.get_data_length(), size_ - addr));
    if (gp.is_read()) std::memcpy(gp.get_data_ptr(), data_ + addr, len);
    else std::memcpy(data_ + addr, gp.get_data_ptr(), len);
    return len;
}

}  // namespace hvsim::mem
