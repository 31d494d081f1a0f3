#include "cache.h"

#include <fmt/format.h>

namespace hvsim::cache {

namespace {
bool pow2(uint64_t v) { return v && !(v & (v - 1)); }
}  // namespace

bool parse_replacement(const std::string& s, Replacement& out) {
    if (s == "lru") out = Replacement::Lru;
    else if (s == "plru") out = Replacement::PseudoLru;
    else if (s == "random") out = Replacement::Random;
    else return false;
    return true;
}

const char* replacement_name(Replacement r) {
    switch (r) {
    case Replacement::Lru: return "lru";
    case Replacement::PseudoLru: return "plru";
    case Replacement::Random: return "random";
    }
    return "?";
}

std::string CacheConfig::check() const {
    if (!pow2(line_bytes) || line_bytes < 16 || line_bytes > 2048)
        return fmt::format("line_bytes: {} is not a power of two from 16 to 2048", line_bytes);
    if (!pow2(ways) || ways > 64) return fmt::format("ways: {} is not a power of two up to 64", ways);
    if (!pow2(size_bytes) || size_bytes < ways * line_bytes)
        return fmt::format("size_bytes: {} is not a power of two of at least ways x line_bytes", size_bytes);
    // CCSIDR_EL1 (without FEAT_CCIDX): NumSets is 15 bits, Associativity 10.
    if (sets() > (1u << 15)) return fmt::format("size_bytes: {} sets do not fit CCSIDR_EL1.NumSets", sets());
    return {};
}

Cache::Cache(std::string name, const CacheConfig& cfg, uint64_t seed)
    : name_(std::move(name)), cfg_(cfg), sets_(cfg.sets()), line_shift_(log2u(cfg.line_bytes)), way_shift_(log2u(cfg.ways)),
      tag_shift_(line_shift_ + log2u(cfg.sets())), lines_(size_t(cfg.sets()) * cfg.ways), ptag_(lines_.size(), 0), data_(size_t(cfg.size_bytes), 0), plru_(cfg.sets(), 0),
      invalid_(cfg.sets(), all_ways()), rng_(seed ? seed : 0x9E3779B97F4A7C15ull) {
    for (uint32_t w = 0; w < cfg.ways; ++w) plru_path_.push_back(plru_path(way_shift_, w));
}

uint64_t Cache::all_ways() const { return cfg_.ways == 64 ? ~0ull : (1ull << cfg_.ways) - 1; }

void Cache::clear() {
    for (Line& l : lines_) l = Line{};
    std::fill(plru_.begin(), plru_.end(), 0);
    std::fill(invalid_.begin(), invalid_.end(), all_ways());
}

Line* Cache::victim(uint64_t pa) {
    const uint32_t set = set_of(pa);
    Line* s = &lines_[size_t(set) * cfg_.ways];
    if (const uint64_t inv = invalid_[set]) return &s[__builtin_ctzll(inv)];
    switch (cfg_.replacement) {
    case Replacement::Lru: {
        Line* v = s;
        for (uint32_t w = 1; w < cfg_.ways; ++w)
            if (s[w].stamp < v->stamp) v = &s[w];
        return v;
    }
    case Replacement::PseudoLru: return &s[plru_victim(set)];
    case Replacement::Random: {
        // xorshift64: deterministic for a given seed.
        rng_ ^= rng_ << 13;
        rng_ ^= rng_ >> 7;
        rng_ ^= rng_ << 17;
        return &s[rng_ % cfg_.ways];
    }
    }
    return s;
}

// Tree pseudo-LRU: ways - 1 node bits per set, node i has children 2i+1 and
// 2i+2; a bit points to the half to victimise next. A touch of a way sets
// the bits of the nodes on its path (Cache::touch applies plru_path_).
Cache::PlruPath Cache::plru_path(unsigned way_shift, uint32_t way) {
    Cache::PlruPath p;
    uint32_t node = 0;
    // At the node spanning 2^k ways, bit k-1 of the way says which half.
    for (unsigned k = way_shift; k > 0; --k) {
        const bool upper = (way >> (k - 1)) & 1;
        // Point away from the half just used.
        p.mask |= 1ull << node;
        if (!upper) p.set |= 1ull << node;
        node = 2 * node + (upper ? 2 : 1);
    }
    return p;
}

uint32_t Cache::plru_victim(uint32_t set) const {
    const uint64_t bits = plru_[set];
    uint32_t node = 0, way = 0;
    for (unsigned k = way_shift_; k > 0; --k) {
        const bool upper = (bits >> node) & 1;
        if (upper) way += 1u << (k - 1);
        node = 2 * node + (upper ? 2 : 1);
    }
    return way;
}

}  // namespace hvsim::cache
