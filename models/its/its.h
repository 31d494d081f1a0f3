// The GICv3 Interrupt Translation Service (IHI 0069 chapters 5.2-5.3 and
// 12.19): registers, the command queue, the device, collection and
// interrupt translation tables in guest memory, and a translation cache.
//
// This class holds the behaviour and runs one command per `step()`; the
// SystemC module (its_module.h) owns time: it runs `step()` after a
// configurable latency per command, so a CWRITER write is not processed in
// zero time and CREADR advances as each command completes.
//
// Presented as: GITS_TYPER.Physical = 1, Virtual = 0, ITT_entry_size = 8
// bytes, IDbits = 16 (EventIDs), Devbits = 16, HCC = 0, PTA = 0 (collections
// target redistributors by processor number), SEIS = 0, CIL = 0 (16-bit
// ICIDs). GITS_BASER0 is the device table (Type 1), GITS_BASER1 the
// collection table (Type 4), 8-byte entries, flat only (Indirect RAZ/WI);
// BASER2-7 are unimplemented (Type 0, RAZ/WI).
//
// Table entry formats (IMPLEMENTATION DEFINED, 8 bytes each, little endian):
//   device table:      V [63], ITT address [51:8], Size (EventID bits - 1) [4:0]
//   collection table:  V [63], processor number [15:0]
//   ITT entry:         V [63], ICID [47:32], pINTID [31:0]
//
// Command errors: the command has no effect, the queue stalls at it
// (GITS_CREADR.Stalled = 1, CREADR still pointing at the command) and
// `last_error()` says why. Writing GITS_CWRITER with Retry = 1 executes it
// again; rewriting GITS_CBASER (ITS disabled) resets the queue.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <optional>

#include "models/gic/gic.h"

namespace hvsim::its {

enum class CmdError {
    None,
    UnknownCommand,
    DeviceOutOfRange,      // DeviceID beyond Devbits or the device table
    IttSizeOutOfRange,     // MAPD Size beyond IDbits
    CollectionOutOfRange,  // ICID beyond the collection table
    RdbaseOutOfRange,      // no such processor
    EventOutOfRange,       // EventID beyond the device's ITT
    IntidOutOfRange,       // pINTID not an LPI the GIC supports
    DeviceUnmapped,
    EventUnmapped,         // no valid ITT entry
    CollectionUnmapped,
    TableAccess,           // a bus error reading or writing a table or the queue
};
const char* error_name(CmdError e);

enum Cmd : uint8_t {
    kMovi = 0x01, kInt = 0x03, kClear = 0x04, kSync = 0x05, kMapd = 0x08, kMapc = 0x09,
    kMapti = 0x0A, kMapi = 0x0B, kInv = 0x0C, kInvall = 0x0D, kMovall = 0x0E, kDiscard = 0x0F,
};
const char* command_name(uint8_t cmd);

struct ItsConfig {
    unsigned cache_entries = 16;      // translation cache (DeviceID, EventID) -> (pINTID, ICID); 0 = none
    uint32_t default_device_id = 0;   // DeviceID of TRANSLATER writes without a DeviceIdExtension (CPU writes)
    // The ITS's table and queue reads are coherent with the CPU caches. When
    // not, GITS_CBASER/GITS_BASER<n>.Shareability are RAZ/WI (Non-shareable)
    // so that software cleans what it writes to the Point of Coherency.
    bool tables_coherent = true;
};

struct ItsStats {
    uint64_t commands[16] = {};       // by command number (0x00-0x0F)
    uint64_t errors = 0, translations = 0, translation_drops = 0;
    uint64_t cache_hits = 0, cache_misses = 0, cache_invalidations = 0;
};

class Its {
public:
    static constexpr uint64_t kSize = 0x20000;            // ITS_base (control) and the translation frame
    static constexpr uint64_t kTranslater = 0x10040;
    static constexpr unsigned kDevBits = 16, kIdBits = 16, kEntrySize = 8, kCmdSize = 32;
    // GITS_CTLR
    static constexpr uint32_t kCtlrEnabled = 1u << 0, kCtlrQuiescent = 1u << 31;

    Its(gic::Gic& gic, const ItsConfig& cfg);

    void set_memory_access(gic::MemAccess mem) { mem_ = std::move(mem); }
    // Called when the queue may have work (CWRITER written, ITS enabled).
    void set_work_callback(std::function<void()> f) { work_ = std::move(f); }

    // A register access at `offset` in the 128 KiB frame (4 or 8 bytes);
    // `device_id` is the writer's DeviceID for GITS_TRANSLATER. False:
    // nothing there (RAZ/WI).
    bool access(uint64_t offset, uint8_t* data, unsigned len, bool write, uint32_t device_id);
    bool access(uint64_t offset, uint8_t* data, unsigned len, bool write) {
        return access(offset, data, len, write, cfg_.default_device_id);
    }

    // ---- the command queue ------------------------------------------------------
    // A command is waiting: enabled, CBASER valid, CREADR != CWRITER, not stalled.
    bool has_work() const;
    // Executes the command at CREADR: on success CREADR advances, on an
    // error the queue stalls. Returns the error.
    CmdError step();
    // step() in two halves: the command's effects, then (after its latency)
    // its completion, when CREADR moves past it.
    CmdError execute_next();
    void retire();
    void set_busy(bool b) { busy_ = b; }  // a command in flight (the module's thread)
    CmdError last_error() const { return last_error_; }
    uint8_t last_error_command() const { return last_error_cmd_; }

    // An MSI: EventID `event` from `device` (a GITS_TRANSLATER write).
    // Dropped (as the architecture allows) if the ITS is disabled or the
    // translation fails.
    bool translate(uint32_t device, uint32_t event);

    bool cached(uint32_t device, uint32_t event) const;
    const ItsStats& stats() const { return stats_; }
    uint32_t ctlr() const;
    uint64_t creadr() const { return creadr_ | uint64_t(stalled_); }

private:
    uint64_t share_raz() const { return cfg_.tables_coherent ? 0 : (3ull << 10); }
    struct Ite {
        uint32_t pintid = 0;
        uint16_t icid = 0;
    };
    struct CacheEntry {
        uint32_t device, event;
        Ite ite;
    };

    bool read64(uint64_t pa, uint64_t& v) const;
    bool write64(uint64_t pa, uint64_t v) const;
    uint64_t read_reg(uint64_t offset) const;
    void write_reg(uint64_t offset, uint64_t v, bool hi_only, bool lo_only);
    uint64_t queue_bytes() const { return ((cbaser_ & 0xFF) + 1) * 4096; }

    // Tables: the number of entries of BASER<n> (0: not valid) and the
    // address of entry `i`.
    uint64_t table_entries(unsigned n) const;
    uint64_t table_entry_pa(unsigned n, uint64_t i) const;
    // Lookups; CmdError::None on success.
    CmdError device_entry(uint32_t device, uint64_t& dte) const;
    CmdError collection_target(uint32_t icid, unsigned& core) const;
    // The ITT entry of (device, event): through the cache, else the tables.
    CmdError lookup(uint32_t device, uint32_t event, Ite& ite, bool* valid_dte_out = nullptr);
    CmdError write_ite(uint32_t device, uint32_t event, std::optional<Ite> ite);
    CmdError execute(const uint64_t dw[4]);

    void cache_fill(uint32_t device, uint32_t event, const Ite& ite);
    void cache_drop(uint32_t device, std::optional<uint32_t> event);

    gic::Gic& gic_;
    ItsConfig cfg_;
    gic::MemAccess mem_;
    std::function<void()> work_;
    bool enabled_ = false, busy_ = false, stalled_ = false, executed_ = false;
    uint64_t cbaser_ = 0, cwriter_ = 0, creadr_ = 0;
    uint64_t baser_[2] = {};
    CmdError last_error_ = CmdError::None;
    uint8_t last_error_cmd_ = 0;
    std::list<CacheEntry> cache_;  // most recently used first
    ItsStats stats_;
};

}  // namespace hvsim::its
