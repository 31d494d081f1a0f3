// A minimal stand-alone Core for unit tests: flat RAM at kRamBase, default
// platform hooks, no MMU. Tests write instruction words with run_insns() and
// inspect core.st (registers, PSTATE) afterwards.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "models/cpu/core.h"

namespace hvsim::test {

// Plain RAM: every page is directly accessible; anything outside is a bus error.
class FlatRam : public cpu::MemoryPort {
public:
    FlatRam(uint64_t base, size_t size) : base_(base), bytes_(size, 0) {}

    bool contains(uint64_t pa, uint64_t size) const {
        return pa >= base_ && size <= bytes_.size() && pa - base_ <= bytes_.size() - size;
    }
    uint8_t* host(uint64_t pa) { return &bytes_[pa - base_]; }

    uint8_t* direct_page(uint64_t page_pa, bool) override {
        return contains(page_pa, 0x1000) ? host(page_pa) : nullptr;
    }
    bool transport(uint64_t pa, void* data, unsigned size, bool write, uint64_t&) override {
        if (!contains(pa, size)) return false;
        if (write) std::memcpy(host(pa), data, size);
        else std::memcpy(data, host(pa), size);
        return true;
    }

private:
    uint64_t base_;
    std::vector<uint8_t> bytes_;
};

struct CoreHarness {
    static constexpr uint64_t kRamBase = 0x40000000;
    static constexpr uint64_t kRamSize = 1 << 20;

    FlatRam ram{kRamBase, kRamSize};
    cpu::SystemHooks hooks;
    cpu::DecodeCache dcache;
    cpu::GlobalMonitor monitor;
    cpu::CoreConfig cfg;
    cpu::Core core{cfg, ram, hooks, dcache, monitor};

    // Starts at EL1 with SP_EL1 selected and all registers zero.
    CoreHarness() { core.reset(kRamBase, 1); }
    explicit CoreHarness(const cpu::CoreConfig& c) : cfg(c) { core.reset(kRamBase, 1); }

    // Writes `insns` at kRamBase and executes exactly that many instructions
    // from there, one at a time, keeping the register state. Returns false as
    // soon as one takes an exception (UNDEF, abort...): PC is then at the
    // vector and ESR_EL1 tells why.
    bool run_insns(const std::vector<uint32_t>& insns) {
        const unsigned bytes = static_cast<unsigned>(insns.size() * 4);
        std::memcpy(ram.host(kRamBase), insns.data(), bytes);
        dcache.on_write(kRamBase, bytes);
        core.st.pc = kRamBase;
        for (size_t i = 0; i < insns.size(); ++i) {
            const uint64_t retired = core.instructions();
            core.run(core.cycles() + 1);  // every instruction costs >= 1 cycle
            if (core.instructions() == retired) return false;
        }
        return true;
    }

    uint64_t& x(unsigned n) { return core.st.x[n]; }
    uint64_t& sp() { return core.st.sp(); }
    // PSTATE.NZCV as a 4-bit value (N is bit 3).
    unsigned nzcv() const { return core.st.pstate.nzcv() >> 28; }
    void set_nzcv(unsigned f) { core.st.pstate.set_nzcv(uint64_t(f) << 28); }
};

}  // namespace hvsim::test
