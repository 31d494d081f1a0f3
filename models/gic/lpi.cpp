#include "lpi.h"

#include <algorithm>

namespace hvsim::gic {

uint32_t LpiTables::limit() const {
    const unsigned bits = std::min<unsigned>((propbaser_ & 0x1F) + 1, kLpiIdBits);
    if (bits < 14) return 0;  // fewer than 14 bits: no LPIs (IHI 0069 12.11.30)
    return 1u << bits;
}

void LpiTables::set_enabled(bool on) {
    if (on == enabled_) return;
    enabled_ = on;
    pending_.clear();
    lru_.clear();
    index_.clear();
    if (!on || (pendbaser_ & kPtz)) return;
    // The pending table: one bit per INTID, the first 1 KiB (INTIDs below
    // 8192) IMPLEMENTATION DEFINED and not read.
    const uint32_t lim = limit();
    for (uint32_t id = kLpiBase; id < lim; id += 64) {
        uint64_t bits = 0;
        if (!mem(pend_pa() + id / 8, reinterpret_cast<uint8_t*>(&bits), 8, false) || !bits) continue;
        for (unsigned b = 0; b < 64; ++b)
            if ((bits >> b) & 1) pending_.insert(id + b);
    }
}

void LpiTables::set_pending(uint32_t intid, bool pending) {
    if (!enabled_ || !valid(intid)) return;
    if (pending) {
        ++stats_.set_pending;
        pending_.insert(intid);
    } else {
        pending_.erase(intid);
    }
    uint8_t byte = 0;
    const uint64_t pa = pend_pa() + intid / 8;
    if (!mem(pa, &byte, 1, false)) return;
    byte = pending ? uint8_t(byte | (1u << (intid % 8))) : uint8_t(byte & ~(1u << (intid % 8)));
    mem(pa, &byte, 1, true);
}

uint8_t LpiTables::config(uint32_t intid) {
    if (!valid(intid)) return 0;
    if (auto it = index_.find(intid); it != index_.end()) {
        ++stats_.config_hits;
        lru_.splice(lru_.begin(), lru_, it->second);
        return it->second->second;
    }
    ++stats_.config_reads;
    uint8_t byte = 0;
    if (!mem(prop_pa() + (intid - kLpiBase), &byte, 1, false)) byte = 0;
    if (obs_) obs_->config_read(core_, intid, byte);
    if (mode_ == LpiCaching::Eager) return byte;
    lru_.emplace_front(intid, byte);
    index_[intid] = lru_.begin();
    while (lru_.size() > capacity_) {
        index_.erase(lru_.back().first);
        lru_.pop_back();
        ++stats_.evictions;
    }
    return byte;
}

unsigned LpiTables::invalidate(uint32_t intid) {
    ++stats_.invalidations;
    unsigned dropped = 0;
    if (auto it = index_.find(intid); it != index_.end()) {
        lru_.erase(it->second);
        index_.erase(it);
        dropped = 1;
    }
    if (!dropped) ++stats_.invalidations_empty;
    stats_.entries_invalidated += dropped;
    if (obs_) obs_->invalidated(core_, intid, dropped);
    return dropped;
}

unsigned LpiTables::invalidate_all() {
    ++stats_.invalidations;
    const unsigned dropped = static_cast<unsigned>(lru_.size());
    lru_.clear();
    index_.clear();
    if (!dropped) ++stats_.invalidations_empty;
    stats_.entries_invalidated += dropped;
    if (obs_) obs_->invalidated(core_, LpiObserver::kAll, dropped);
    return dropped;
}

}  // namespace hvsim::gic
