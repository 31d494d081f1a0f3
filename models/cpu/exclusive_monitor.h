// The global exclusive monitor (Arm ARM B2.9.3): one reservation per core,
// shared by all cores of a platform. A store by any observer to a reserved
// granule clears the other cores' reservations, and that clearing is a WFE
// wake-up event for the core that held it (Arm ARM, "Wait for Event", "The Event
// Register": "the global monitor for the PE is cleared"). Linux's spinlocks
// and smp_cond_load_*() wait in WFE for exactly that event.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace hvsim::cpu {

class GlobalMonitor {
public:
    // Exclusives Reservation Granule: IMPLEMENTATION DEFINED 8..2048 bytes;
    // CTR_EL0.ERG advertises it (16 words = 64 bytes here).
    static constexpr uint64_t kGranule = 64;

    explicit GlobalMonitor(unsigned cores = 1) : slots_(cores) {}

    void resize(unsigned cores) { slots_.assign(cores, Slot{}); armed_count_ = 0; }
    bool armed() const { return armed_count_ != 0; }
    // Called with the index of a core whose reservation another observer's
    // store cleared: the platform sets that core's Event Register and wakes it.
    void set_event_sink(std::function<void(unsigned)> sink) { event_sink_ = std::move(sink); }

    void mark(unsigned core, uint64_t pa) {
        Slot& s = slots_.at(core);
        if (!s.valid) ++armed_count_;
        s.valid = true;
        s.granule = pa & ~(kGranule - 1);
    }
    bool is_marked(unsigned core, uint64_t pa) const {
        const Slot& s = slots_.at(core);
        return s.valid && s.granule == (pa & ~(kGranule - 1));
    }
    void clear(unsigned core) {
        Slot& s = slots_.at(core);
        if (s.valid) --armed_count_;
        s.valid = false;
    }
    // A store of [pa, pa+size) by `core` (or by a non-core master when core is
    // ~0u) clears every other core's reservation on the touched granules.
    void observe_store(unsigned core, uint64_t pa, unsigned size) {
        if (!armed_count_) return;
        uint64_t first = pa & ~(kGranule - 1), last = (pa + size - 1) & ~(kGranule - 1);
        for (unsigned i = 0; i < slots_.size(); ++i) {
            Slot& s = slots_[i];
            if (i != core && s.valid && s.granule >= first && s.granule <= last) {
                clear(i);
                if (event_sink_) event_sink_(i);
            }
        }
    }

private:
    struct Slot {
        bool valid = false;
        uint64_t granule = 0;
    };
    std::vector<Slot> slots_;
    unsigned armed_count_ = 0;
    std::function<void(unsigned)> event_sink_;
};

}  // namespace hvsim::cpu
