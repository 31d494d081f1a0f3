// LPIs of one redistributor (IHI 0069 chapter 5.1): GICR_CTLR.EnableLPIs,
// GICR_PROPBASER and GICR_PENDBASER, the LPI configuration table (one byte
// per LPI: priority [7:2], enable [0]) and the pending table (one bit per
// INTID) in guest memory, both reached through the bus (a MemAccess given by
// the platform: TLM transactions, never host pointers).
//
// The redistributor caches LPI configuration (LpiCaching::Lazy): the byte
// of an LPI is read from memory the first time it is needed and kept until
// an INV or INVALL reaches this redistributor (from the ITS) or the entry is
// evicted (LRU, `set_caching`). A change of the table in memory without
// INV is therefore not seen until then, as the architecture permits
// (IHI 0069 5.1.1 "LPI Configuration tables": a GIC may cache them, and
// software must issue INV/INVALL after a change). LpiCaching::Eager reads
// the byte every time it is needed, so a change is seen at the next
// delivery; nothing is cached, INV/INVALL find nothing to drop.
//
// The pending state is kept here and written through to the pending table
// (read-modify-write of the byte) so that software sees it; when LPIs are
// enabled the table is scanned once unless GICR_PENDBASER.PTZ is set.
// LPIs are Group 1, edge-triggered and have no active state.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <set>
#include <unordered_map>

namespace hvsim::gic {

// A guest physical memory access through the bus; false: bus error.
using MemAccess = std::function<bool(uint64_t pa, uint8_t* data, unsigned len, bool write)>;

constexpr unsigned kLpiBase = 8192;
constexpr unsigned kLpiIdBits = 16;  // GICD_TYPER.IDbits + 1: INTIDs up to 65535

enum class LpiCaching { Lazy, Eager };

struct LpiStats {
    uint64_t config_reads = 0, config_hits = 0, evictions = 0, set_pending = 0;
    uint64_t invalidations = 0;        // INV and INVALL received
    uint64_t invalidations_empty = 0;  // ... that found nothing cached to drop
    uint64_t entries_invalidated = 0;  // cached bytes dropped by them
};

// Told of the events of the LPI configuration protocol (the ITS protocol
// checker, models/its/protocol_checker.h).
class LpiObserver {
public:
    virtual ~LpiObserver() = default;
    static constexpr uint32_t kAll = UINT32_MAX;
    // The redistributor of `core` read `intid`'s configuration byte from memory.
    virtual void config_read(unsigned core, uint32_t intid, uint8_t byte) = 0;
    // INV (`intid`) or INVALL (kAll) reached `core`; `dropped` cached bytes.
    virtual void invalidated(unsigned core, uint32_t intid, unsigned dropped) = 0;
    // `core` acknowledged LPI `intid` with configuration `used`.
    virtual void delivered(unsigned core, uint32_t intid, uint8_t used) = 0;
};

class LpiTables {
public:
    // GICR_PROPBASER fields kept: IDbits [4:0], InnerCache [9:7],
    // Shareability [11:10], PA [51:12], OuterCache [58:56].
    static constexpr uint64_t kPropMask = 0x1Full | (7ull << 7) | (3ull << 10) | (0xFFFFFFFFFFull << 12) | (7ull << 56);
    // GICR_PENDBASER: InnerCache, Shareability, PA [51:16], OuterCache, PTZ [62].
    static constexpr uint64_t kPendMask = (7ull << 7) | (3ull << 10) | (0xFFFFFFFFFull << 16) | (7ull << 56) | (1ull << 62);
    static constexpr uint64_t kPtz = 1ull << 62;

    explicit LpiTables(const MemAccess* mem) : mem_(mem) {}
    // The configuration cache: lazy with at most `entries` bytes (LRU), or eager.
    void set_caching(LpiCaching mode, unsigned entries) { mode_ = mode, capacity_ = entries ? entries : 1; }
    void set_observer(LpiObserver* obs, unsigned core) { obs_ = obs, core_ = core; }

    bool enabled() const { return enabled_; }
    // GICR_CTLR.EnableLPIs: 0 -> 1 reads the pending table (unless PTZ).
    // Clearing it is UNPREDICTABLE once set on many GICs; here it stops
    // delivery and forgets the pending set and the configuration cache.
    void set_enabled(bool on);
    uint64_t propbaser() const { return propbaser_; }
    uint64_t pendbaser() const { return pendbaser_; }
    // Writable while EnableLPIs is 0 (otherwise UNPREDICTABLE: ignored).
    void write_propbaser(uint64_t v) { if (!enabled_) propbaser_ = v & kPropMask & ~share_raz_; }
    void write_pendbaser(uint64_t v) { if (!enabled_) pendbaser_ = v & kPendMask & ~share_raz_; }
    // A redistributor whose table reads are not coherent with the CPUs'
    // caches: Shareability [11:10] is RAZ/WI (Non-shareable), which tells
    // software to clean its table writes to the Point of Coherency.
    void set_tables_coherent(bool coherent) { share_raz_ = coherent ? 0 : (3ull << 10); }

    // The largest LPI INTID + 1 the tables cover (PROPBASER.IDbits, at most
    // 2^16); 0 when IDbits is too small for any LPI.
    uint32_t limit() const;
    bool valid(uint32_t intid) const { return intid >= kLpiBase && intid < limit(); }

    void set_pending(uint32_t intid, bool pending);
    bool pending(uint32_t intid) const { return pending_.count(intid) != 0; }
    const std::set<uint32_t>& pending_set() const { return pending_; }

    // The configuration byte of `intid`: cached, or read from the property
    // table (0: disabled, when the bus access fails).
    uint8_t config(uint32_t intid);
    bool cached(uint32_t intid) const { return index_.count(intid) != 0; }
    // INV / INVALL: drop the cached configuration; the number dropped.
    unsigned invalidate(uint32_t intid);
    unsigned invalidate_all();

    const LpiStats& stats() const { return stats_; }

private:
    bool mem(uint64_t pa, uint8_t* d, unsigned len, bool write) const { return *mem_ && (*mem_)(pa, d, len, write); }
    uint64_t pend_pa() const { return pendbaser_ & (0xFFFFFFFFFull << 16); }
    uint64_t prop_pa() const { return propbaser_ & (0xFFFFFFFFFFull << 12); }

    const MemAccess* mem_;
    bool enabled_ = false;
    uint64_t propbaser_ = 0, pendbaser_ = 0;
    uint64_t share_raz_ = 0;
    std::set<uint32_t> pending_;
    LpiCaching mode_ = LpiCaching::Lazy;
    unsigned capacity_ = 1024;
    std::list<std::pair<uint32_t, uint8_t>> lru_;  // most recently used first
    std::unordered_map<uint32_t, std::list<std::pair<uint32_t, uint8_t>>::iterator> index_;
    LpiObserver* obs_ = nullptr;
    unsigned core_ = 0;
    LpiStats stats_;
};

}  // namespace hvsim::gic
