// The cache hierarchy of a platform: per-core L1 instruction and data caches,
// a per-cluster L2, a system-level cache (SLC) shared by every master, and
// DRAM behind it. Every cache holds the data; DRAM holds what was last
// written back or written around the caches.
//
// Coherence (models/cache/README.md): MESI with snooping. The L1 data caches
// of all cores and the L2s of all clusters form one Inner Shareable domain;
// a read miss snoops the peers' L1Ds and the other clusters' L2s, a write
// invalidates every peer copy. L2s and the SLC are neither inclusive nor
// exclusive of the levels above. The instruction caches are not coherent
// with the data side: an L1I fill reads from the core's L2 (the Point of
// Unification) and below, and stores never update an L1I, so code written
// through the data side needs DC CVAU and IC IVAU (CTR_EL0.IDC = DIC = 0),
// unless `icache_coherent` is configured.
//
// Non-cacheable and Device accesses, and masters that are not coherent (the
// ITS and GIC table readers by default), go to DRAM around every cache, so a
// dirty line anywhere, the SLC included, is invisible to them. DC *SW
// operations reach only the executing core's L1D and its cluster's L2, never
// the SLC, as real system caches behave.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "cache.h"
#include "models/common/trace.h"

namespace hvsim::cache {

struct HierarchyConfig {
    bool enabled = true;
    CacheConfig l1i{true, 32 * 1024, 2, 64, Replacement::Lru, 0, true};
    CacheConfig l1d{true, 32 * 1024, 4, 64, Replacement::Lru, 2, true};
    CacheConfig l2{true, 1024 * 1024, 16, 64, Replacement::PseudoLru, 15, true};
    CacheConfig slc{true, 8 * 1024 * 1024, 16, 64, Replacement::Random, 40, true};
    unsigned cores_per_cluster = 4;
    uint32_t dram_latency = 150;   // core cycles for a line from or to DRAM
    uint32_t snoop_latency = 12;   // a snoop that finds the line in a peer cache
    uint32_t setway_line_cost = 1; // cycles per line visited by DC *SW
    bool slc_in_clidr = false;     // real system caches are usually not reported
    bool icache_coherent = false;  // CTR_EL0.IDC = DIC = 1
    // The GIC redistributors' and the ITS's table reads snoop the caches
    // (else they go to DRAM and their Shareability fields read as 0).
    bool gic_its_coherent = false;
    uint64_t seed = 1;             // random replacement
    // Non-empty: what is wrong (geometry, mismatched line sizes).
    std::string check() const;
};

// Who is accessing, for traces and checker reports.
struct Who {
    uint64_t cycles = 0;
    unsigned core = 0;   // the core, or kNoCore for another master
    uint64_t pc = 0;
    static constexpr unsigned kNoCore = ~0u;
};

// CTR_EL0, CLIDR_EL1 and CCSIDR_EL1 (for a CSSELR_EL1 value) describing a
// configuration; the SLC appears only with slc_in_clidr.
uint64_t ctr_for(const HierarchyConfig& c);
uint64_t clidr_for(const HierarchyConfig& c);
uint64_t ccsidr_for(const HierarchyConfig& c, uint64_t csselr);

enum class CmoKind : uint8_t { CIVAC, CVAC, CVAU, IVAC, ZVA, ISW, CSW, CISW, IALLU, IALLUIS, IVAU, Count };
const char* cmo_name(CmoKind k);

class CoherencyChecker;

class Hierarchy {
public:
    // `dram(pa)` gives the host byte of RAM at `pa`, or nullptr outside RAM
    // (such addresses are never cached).
    Hierarchy(const HierarchyConfig& cfg, unsigned cores, std::function<uint8_t*(uint64_t)> dram);
    // DRAM as one host array: `size` bytes from PA `base` (no call per line).
    Hierarchy(const HierarchyConfig& cfg, unsigned cores, uint8_t* ram, uint64_t base, uint64_t size);
    ~Hierarchy();

    const HierarchyConfig& config() const { return cfg_; }
    unsigned cores() const { return static_cast<unsigned>(l1d_.size()); }
    uint32_t line_bytes() const { return cfg_.l1d.line_bytes; }
    uint64_t line_of(uint64_t pa) const { return pa & ~uint64_t(line_bytes() - 1); }
    bool is_ram(uint64_t pa) const { return dram(pa) != nullptr; }

    // ---- the data side of a core: cacheable accesses within one line --------
    // Each returns the latency in core cycles.
    uint32_t read(unsigned core, uint64_t pa, void* dst, unsigned size, const Who& who);
    uint32_t write(unsigned core, uint64_t pa, const void* src, unsigned size, const Who& who);
    // The L1D of a core, for the core's hit fast path (models/cpu/core.h).
    Cache& l1d(unsigned core) { return *l1d_[core]; }
    // The L1I of a core, for the core's fetch hit path.
    Cache& l1i(unsigned core) { return *l1i_[core]; }

    // ---- around the caches: Non-cacheable, Device-to-RAM, other masters -----
    uint32_t dram_read(uint64_t pa, void* dst, unsigned size, const Who& who);
    uint32_t dram_write(uint64_t pa, const void* src, unsigned size, const Who& who);
    // The counters dram_read/dram_write increment, for a core that makes
    // such accesses to RAM itself (its speed cache: no checker, no decoded
    // code in the page).
    uint64_t* around_counter(bool write) { return write ? &around_writes_ : &around_reads_; }
    // A coherent master (a coherent ITS, a test DMA): snoops every cache.
    uint32_t coherent_read(uint64_t pa, void* dst, unsigned size, const Who& who);
    uint32_t coherent_write(uint64_t pa, const void* src, unsigned size, const Who& who);

    // ---- the instruction side ----------------------------------------------
    struct Fetch {
        const uint8_t* line = nullptr;  // the line's bytes (L1I data, or DRAM when uncached)
        uint32_t latency = 0;
        bool flagged = false;           // the checker watches this line: report on use
    };
    // The line holding `pa` as the core's instruction fetch sees it.
    Fetch fetch(unsigned core, uint64_t pa, bool cacheable, const Who& who);

    // ---- maintenance (after the core's translation, permission and trap checks)
    uint32_t dc_va(unsigned core, CmoKind k, uint64_t pa, const Who& who);
    // DC ISW/CSW/CISW with the Xt operand as written (level, set, way).
    uint32_t dc_setway(unsigned core, CmoKind k, uint64_t xt, const Who& who);
    uint32_t ic(unsigned core, CmoKind k, uint64_t pa, const Who& who);
    // DC ZVA goes through the core's store path; it is counted here.
    void count_cmo(CmoKind k) { ++cmo_[static_cast<size_t>(k)].ops; }

    // ---- CTR_EL0 / CLIDR_EL1 / CCSIDR_EL1 ----------------------------------
    uint64_t ctr() const;
    uint64_t clidr() const;
    uint64_t ccsidr(uint64_t csselr) const;  // 0 for a level/type not there

    // ---- debuggers and loaders: the latest data, no state change -------------
    void debug_read(uint64_t pa, void* dst, unsigned size) const;
    // Writes the latest copy and every copy (I-caches too) and DRAM.
    void debug_write(uint64_t pa, const void* src, unsigned size);

    // ---- observers ----------------------------------------------------------
    // An L1I line was (re)filled: decoded instructions of it are stale.
    void on_icache_fill(std::function<void(unsigned core, uint64_t line_pa)> f) { icache_fill_ = std::move(f); }
    // DRAM bytes changed (writeback, write around the caches).
    void on_dram_write(std::function<void(uint64_t pa, unsigned size)> f) { dram_write_ = std::move(f); }
    void set_trace(Trace* t) { trace_ = t; }
    void set_checker(CoherencyChecker* c) { checker_ = c; }
    CoherencyChecker* checker() const { return checker_; }
    nlohmann::json stats_json() const;

    // What each core's data side asked of its cluster's L2: L1D refills
    // (accesses, and the misses among them) and L1D write-backs (accesses).
    // The core's PMU counts L2D_CACHE and L2D_CACHE_REFILL from these.
    struct L2Events {
        uint64_t accesses = 0, refills = 0;
    };
    const L2Events& l2_events(unsigned core) const { return l2_events_[core]; }
    bool has_l2() const { return !l2_.empty(); }

    // Every cache, for tests and statistics.
    std::vector<Cache*> all_caches();

private:
    struct CmoStats {
        uint64_t ops = 0, lines = 0, ignored = 0, cycles = 0;
    };
    uint8_t* dram(uint64_t pa) const {
        if (!ram_) return dram_(pa);
        return pa - ram_base_ < ram_size_ ? ram_ + (pa - ram_base_) : nullptr;
    }
    unsigned cluster_of(unsigned core) const { return core / cfg_.cores_per_cluster; }
    Cache* l2_of(unsigned core) { return l2_.empty() ? nullptr : l2_[cluster_of(core)].get(); }

    // A line for the L1D of `core`: snoops peers; with `unique` every peer
    // copy is invalidated. Returns latency; `state` is the MESI state to
    // install with.
    uint32_t fetch_into_l1(unsigned core, uint64_t line, uint8_t* buf, bool unique, State& state, const Who& who,
                           bool need_data = true);
    // Reads from `core`'s L2 (or below), allocating on the way back up.
    uint32_t read_below_l1(unsigned core, uint64_t line, uint8_t* buf, bool shared, const Who& who, bool data = true);
    uint32_t read_slc_or_dram(uint64_t line, uint8_t* buf, const Who& who);
    // A hit in `c` copies the line to `buf` (counted, touched); a miss is counted.
    bool lookup_copy(Cache& c, uint64_t line, uint8_t* buf, const Who& who);
    // Puts a line into a cache (evicting a victim down the hierarchy).
    Line* fill(Cache& c, int level, unsigned owner, uint64_t line, const uint8_t* buf, State st, const Who& who);
    // Writes a dirty line's data into the level below `level` (1: L1D, 2: L2, 3: SLC).
    uint32_t write_down(int level, unsigned owner, uint64_t line, const uint8_t* buf, const Who& who);
    uint32_t write_dram_line(uint64_t line, const uint8_t* buf, const Who& who);
    // Writes `buf` into every lower copy of the line and DRAM (clean to PoC).
    // Both add the number of cached copies visited to `lines`.
    uint32_t clean_to_poc(uint64_t line, const Who& who, bool invalidate, uint64_t& lines);
    void invalidate_everywhere(uint64_t line, const Who& who, uint64_t& lines);
    // A cached copy below the L1D supplies a read: report it if it is older
    // than a write around the caches (Line::kSlowOnly set by mark_around_write).
    void check_stale_source(const Cache& c, const Line* l, uint64_t line, const Who& who);
    void flag_icache_copies(uint64_t pa, unsigned size, const void* src, const Who& who);
    void emit(const Who& who, const char* what, const Cache& c, uint64_t line) const {
        if (trace_ && trace_->on(Trace::kCache)) emit_trace(who, what, c, line);
    }
    void emit_trace(const Who& who, const char* what, const Cache& c, uint64_t line) const;
    // Line copies, with a constant size for the usual 64-byte line so that
    // the compiler inlines them.
    void copy_line(void* dst, const void* src) const {
        if (line_bytes() == 64) std::memcpy(dst, src, 64);
        else std::memcpy(dst, src, line_bytes());
    }
    template <typename F>
    void per_line(uint64_t pa, unsigned size, F&& f) const;
    void debug_read_line(uint64_t pa, void* dst, unsigned size) const;
    void debug_write_line(uint64_t pa, const void* src, unsigned size);
    void check_around_read(uint64_t pa, unsigned size, const Who& who);
    void mark_around_write(uint64_t pa, const void* src, unsigned size, const Who& who);

    HierarchyConfig cfg_;
    std::function<uint8_t*(uint64_t)> dram_;
    uint8_t* ram_ = nullptr;  // the one-array form of dram_, when given
    uint64_t ram_base_ = 0, ram_size_ = 0;
    std::vector<std::unique_ptr<Cache>> l1i_, l1d_, l2_;
    std::vector<L2Events> l2_events_;
    std::unique_ptr<Cache> slc_;
    std::function<void(unsigned, uint64_t)> icache_fill_;
    std::function<void(uint64_t, unsigned)> dram_write_;
    Trace* trace_ = nullptr;
    CoherencyChecker* checker_ = nullptr;
    std::array<CmoStats, static_cast<size_t>(CmoKind::Count)> cmo_{};
    // What writing back the victim of the last fill cost. An L1D miss waits
    // for its dirty victim to reach the L2 (no write buffer is modelled);
    // writebacks further down overlap with the miss.
    uint32_t victim_writeback_ = 0;
    uint64_t dram_reads_ = 0, dram_writes_ = 0, around_reads_ = 0, around_writes_ = 0;
};

}  // namespace hvsim::cache
