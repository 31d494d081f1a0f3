// One set-associative cache that holds data: tags, MESI state, replacement
// state and the line bytes themselves. It knows nothing of its neighbours;
// models/cache/hierarchy.h moves lines between levels and keeps them coherent.
//
// Lines are addressed by physical address. The geometry is the one
// CCSIDR_EL1 reports: set = (pa / line) % sets, and DC *SW operands name a
// (set, way) pair directly (Arm ARM D7.4.8 "Performing cache maintenance
// instructions by set/way").
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace hvsim::cache {

// log2 of a power of two.
constexpr unsigned log2u(uint64_t v) {
    unsigned r = 0;
    while (v > 1) {
        v >>= 1;
        ++r;
    }
    return r;
}

enum class Replacement : uint8_t { Lru, PseudoLru, Random };
bool parse_replacement(const std::string& s, Replacement& out);
const char* replacement_name(Replacement r);

struct CacheConfig {
    bool enabled = true;
    uint32_t size_bytes = 32 * 1024;
    uint32_t ways = 4;
    uint32_t line_bytes = 64;
    Replacement replacement = Replacement::Lru;
    uint32_t hit_latency = 2;  // core cycles added to an access that hits here
    bool write_allocate = true;  // L1D: a write miss allocates (else it writes the level below)
    uint32_t sets() const { return size_bytes / (ways * line_bytes); }
    // Non-empty: what is wrong with the geometry (sizes not powers of two...).
    std::string check() const;
};

// MESI (Arm's names: M = UniqueDirty, E = UniqueClean, S = SharedClean).
enum class State : uint8_t { Invalid, Shared, Exclusive, Modified };

struct Line {
    // The line's physical address while valid. The fast paths compare it
    // with an address directly; `kSlowOnly` set in it makes every compare
    // fail so that accesses take the slow path (a checker watches the line).
    uint64_t tag = kNoTag;
    State state = State::Invalid;
    uint64_t stamp = 0;  // LRU: last use
    static constexpr uint64_t kNoTag = ~0ull;
    static constexpr uint64_t kSlowOnly = 1;
    bool valid() const { return state != State::Invalid; }
    bool dirty() const { return state == State::Modified; }
    uint64_t pa() const { return tag & ~kSlowOnly; }
};

struct CacheStats {
    uint64_t hits = 0, misses = 0, fills = 0, evictions = 0, writebacks = 0;
    uint64_t snoops = 0, snoop_hits = 0, invalidations = 0;
    uint64_t cmo_lines = 0;  // lines cleaned/invalidated by maintenance
};

class Cache {
public:
    Cache(std::string name, const CacheConfig& cfg, uint64_t seed);

    const std::string& name() const { return name_; }
    const CacheConfig& config() const { return cfg_; }
    uint32_t line_bytes() const { return cfg_.line_bytes; }
    uint32_t sets() const { return sets_; }
    uint32_t ways() const { return cfg_.ways; }
    uint64_t line_of(uint64_t pa) const { return pa & ~uint64_t(cfg_.line_bytes - 1); }
    uint32_t set_of(uint64_t pa) const { return static_cast<uint32_t>((pa >> line_shift_) & (sets_ - 1)); }

    // The valid line holding `pa`, or nullptr. Does not touch replacement state.
    // An invalid line's tag is kNoTag (install() and invalidate() set tag
    // and state together), whose pa() no line address equals: the tag
    // compare alone finds valid lines.
    Line* find(uint64_t pa) {
        const uint64_t want = line_of(pa);
        const size_t base = size_t(set_of(pa)) * cfg_.ways;
        Line* set = &lines_[base];
        if (cfg_.ways >= 8) return find_wide(set, base, want);
        for (uint32_t w = 0; w < cfg_.ways; ++w)
            if (set[w].pa() == want) return &set[w];
        return nullptr;
    }
    // The line whose tag is exactly `pa`'s line: valid and not watched by a
    // checker (Line::kSlowOnly). The cores' hit fast path in their L1s,
    // which have few ways: a plain scan.
    Line* find_fast(uint64_t pa) {
        const uint64_t want = line_of(pa);
        Line* set = &lines_[size_t(set_of(pa)) * cfg_.ways];
        for (uint32_t w = 0; w < cfg_.ways; ++w)
            if (set[w].tag == want) return &set[w];
        return nullptr;
    }
    // Marks `l` as just used (replacement state).
    void touch(Line* l) {
        if (cfg_.replacement == Replacement::Lru) l->stamp = ++clock_;
        else if (cfg_.replacement == Replacement::PseudoLru) {
            const size_t i = index_of(l);
            const PlruPath& p = plru_path_[i & (cfg_.ways - 1)];
            uint64_t& bits = plru_[i >> way_shift_];
            bits = (bits & ~p.mask) | p.set;
        }
    }
    // The way to fill for `pa`: an invalid way if any, else the victim the
    // replacement policy picks (the caller evicts it first).
    Line* victim(uint64_t pa);
    // Makes `l` hold `pa` in `state` (the caller has evicted it and copies
    // the data in).
    void install(Line* l, uint64_t pa, State state) {
        l->tag = line_of(pa);
        l->state = state;
        ptag_[index_of(l)] = ptag_of(l->tag);
        invalid_[index_of(l) >> way_shift_] &= ~(1ull << way_of(l));
        touch(l);
        ++stats.fills;
    }
    void invalidate(Line* l) {
        l->state = State::Invalid;
        l->tag = Line::kNoTag;
        invalid_[index_of(l) >> way_shift_] |= 1ull << way_of(l);
    }

    uint8_t* data(const Line* l) { return &data_[size_t(l - lines_.data()) * cfg_.line_bytes]; }
    const uint8_t* data(const Line* l) const { return &data_[size_t(l - lines_.data()) * cfg_.line_bytes]; }
    Line& at(uint32_t set, uint32_t way) { return lines_[size_t(set) * cfg_.ways + way]; }
    uint32_t way_of(const Line* l) const { return static_cast<uint32_t>(index_of(l) & (cfg_.ways - 1)); }

    // Drops every line (no writeback): reset.
    void clear();

    CacheStats stats;

private:
    size_t index_of(const Line* l) const { return size_t(l - lines_.data()); }
    // A byte of a line address's tag bits (above the set index): ptag_
    // holds it for every way installed, so that a search compares full
    // tags only in the ways whose byte matches. A stale byte (an
    // invalidated way) only makes a full compare that fails.
    uint8_t ptag_of(uint64_t line) const {
        const uint64_t t = line >> tag_shift_;
        return static_cast<uint8_t>(t ^ (t >> 8));
    }
    // find() in a set of 8 ways or more: the partial tags are compared 8
    // at a time (a way whose byte differs cannot match), then the full tags
    // of the ways that could, in way order as a plain scan.
    Line* find_wide(Line* set, size_t base, uint64_t want) {
        constexpr uint64_t k7f = 0x7F7F7F7F7F7F7F7Full, k01 = 0x0101010101010101ull;
        const uint64_t probe = ptag_of(want) * k01;
        for (uint32_t w0 = 0; w0 < cfg_.ways; w0 += 8) {
            uint64_t bytes;
            std::memcpy(&bytes, &ptag_[base + w0], 8);
            const uint64_t x = bytes ^ probe;
            // The high bit of each zero byte of x, exactly (no carries between bytes).
            uint64_t zero = ~(((x & k7f) + k7f) | x | k7f);
            while (zero) {
                const uint32_t w = w0 + (static_cast<uint32_t>(__builtin_ctzll(zero)) >> 3);
                if (set[w].pa() == want) return &set[w];
                zero &= zero - 1;
            }
        }
        return nullptr;
    }
    uint64_t all_ways() const;
    // Touching way w writes the tree bits on w's path (mask) to point away
    // from it (set): precomputed per way.
    struct PlruPath {
        uint64_t mask = 0, set = 0;
    };
    static PlruPath plru_path(unsigned way_shift, uint32_t way);
    uint32_t plru_victim(uint32_t set) const;

    std::string name_;
    CacheConfig cfg_;
    uint32_t sets_, line_shift_, way_shift_, tag_shift_;  // the geometry is checked: powers of two
    std::vector<Line> lines_;
    std::vector<uint8_t> ptag_;  // per way, ptag_of() its line
    std::vector<uint8_t> data_;
    std::vector<uint64_t> plru_;  // tree bits per set (ways <= 64)
    std::vector<PlruPath> plru_path_;  // per way
    // Per set, bit w: way w is invalid (victim() takes the lowest).
    std::vector<uint64_t> invalid_;
    uint64_t clock_ = 0;
    uint64_t rng_;
};

}  // namespace hvsim::cache
