// A small fully associative cache with least-recently-used replacement, as
// the ITS's device, collection and translation caches are modelled. A
// capacity of 0 caches nothing (every lookup misses).
#pragma once

#include <cstdint>
#include <list>
#include <optional>
#include <utility>

namespace hvsim::its {

struct CacheStats {
    uint64_t hits = 0, misses = 0, fills = 0, evictions = 0, invalidations = 0;
};

template <typename Key, typename Value>
class LruCache {
public:
    explicit LruCache(unsigned capacity) : capacity_(capacity) {}

    unsigned capacity() const { return capacity_; }
    std::size_t size() const { return entries_.size(); }

    // The value of `key` (now the most recently used), counted as a hit or a miss.
    std::optional<Value> lookup(const Key& key) {
        for (auto it = entries_.begin(); it != entries_.end(); ++it) {
            if (it->first == key) {
                ++stats_.hits;
                entries_.splice(entries_.begin(), entries_, it);
                return it->second;
            }
        }
        ++stats_.misses;
        return std::nullopt;
    }
    bool contains(const Key& key) const {
        for (const auto& e : entries_)
            if (e.first == key) return true;
        return false;
    }
    // Inserts `key` as the most recently used; returns whether an entry was evicted.
    bool fill(const Key& key, const Value& v) {
        if (!capacity_) return false;
        erase_if([&](const Key& k, const Value&) { return k == key; }, false);
        entries_.emplace_front(key, v);
        ++stats_.fills;
        if (entries_.size() <= capacity_) return false;
        entries_.pop_back();
        ++stats_.evictions;
        return true;
    }
    // Drops the entries `pred(key, value)` selects; returns how many.
    template <typename Pred>
    unsigned erase_if(Pred pred, bool count = true) {
        unsigned n = 0;
        for (auto it = entries_.begin(); it != entries_.end();) {
            if (pred(it->first, it->second)) {
                it = entries_.erase(it);
                ++n;
            } else {
                ++it;
            }
        }
        if (count) stats_.invalidations += n;
        return n;
    }
    const CacheStats& stats() const { return stats_; }

private:
    unsigned capacity_;
    std::list<std::pair<Key, Value>> entries_;  // most recently used first
    CacheStats stats_;
};

}  // namespace hvsim::its
