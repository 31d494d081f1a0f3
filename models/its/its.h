// The GICv3 Interrupt Translation Service (IHI 0069 chapters 5.2-5.3 and
// 12.19): registers, the command queue, the device, collection and
// interrupt translation tables in guest memory, and the ITS's caches of
// device-table, collection-table and translation (ITT) entries.
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
// collection table (Type 4), 8-byte entries, flat or two-level
// (GITS_BASER<n>.Indirect); BASER2-7 are unimplemented (Type 0, RAZ/WI).
//
// Two-level tables (IHI 0069 12.19.3, GITS_BASER<n>.Indirect = 1): the
// table BASER points at is a level-1 table of 8-byte descriptors, Valid
// [63] and the physical address of one level-2 page [51:12] (aligned to
// Page_Size); each level-2 page holds Page_Size / 8 entries. An ID whose
// level-1 descriptor is not valid is out of range, as the specification's
// ValidDeviceID() (and its collection counterpart) says: a command naming
// it is a command error, a translation of it is dropped.
//
// Table entry formats (IMPLEMENTATION DEFINED, 8 bytes each, little endian):
//   device table:      V [63], ITT address [51:8], Size (EventID bits - 1) [4:0]
//   collection table:  V [63], processor number [15:0]
//   ITT entry:         V [63], ICID [47:32], pINTID [31:0]
//
// Command errors (GITS_TYPER.SEIS = 0, so no System Error is reported):
// the command has no effect, the queue stalls at it (GITS_CREADR.Stalled =
// 1, CREADR still pointing at the command) and `last_error()` says why.
// Writing GITS_CWRITER with Retry = 1 executes it again; rewriting
// GITS_CBASER (ITS disabled) resets the queue.
//
// Caches (LRU, sizes from ItsConfig, 0 = none): device-table entries by
// DeviceID (filled on a lookup, dropped by MAPD of that DeviceID),
// collection-table entries by ICID (dropped by MAPC of that ICID), and
// translations (DeviceID, EventID) -> (pINTID, ICID) (dropped by MAPD of
// the device, by MAPTI/MAPI/MOVI/DISCARD of the event). The architecture
// requires ITS caches to stay coherent with the effects of commands, not
// with software writes to the tables (which software must not make while
// the ITS may use them), so nothing else invalidates them. MOVALL moves
// pending state between redistributors and changes no ITS table.
// GICv4.0 (ItsConfig::virtual_lpis, IHI 0069 chapter 5.4 and 9): Virtual
// = 1, VMOVP = 0 (one ITS: VMOVP's SequenceNumber/ITSList are accepted and
// not needed), GITS_BASER2 is the vPE table (Type 2, 8-byte entries), and
// the commands VMAPP, VMAPTI, VMAPI, VMOVI, VMOVP, VSYNC, VINVALL. An event
// mapped to a vLPI (VMAPTI/VMAPI) is made pending in its vPE's virtual
// pending table at the vPE's redistributor (gic::Gic::set_vlpi_pending),
// directly injected when that vPE is resident there; otherwise the
// event's doorbell pINTID (GICv4.0: per event, from VMAPTI/VMAPI/VMOVI;
// 1023 = none) is made pending at that redistributor. INT, CLEAR, INV and
// DISCARD work on such events too; MOVI of a virtual event and VMOVI of a
// physical one are command errors.
//   vPE table entry:   V [63], processor number [62:52], VPT address [51:16], VPT_size [4:0]
//   virtual ITT entry: V [63], virtual [62], vPEID [47:32], doorbell pINTID [31:16], vINTID [15:0]
//
// SEIS (ItsConfig::seis): GITS_TYPER.SEIS = 1 and a command error also
// raises a System Error through `set_system_error` (the platform makes it
// an SError interrupt pending on every core); the queue still stalls.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "lru_cache.h"
#include "models/common/trace.h"
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
    VpeOutOfRange,         // vPEID beyond the vPE table
    VpeUnmapped,           // no valid vPE table entry
    VintidOutOfRange,      // vINTID not a vLPI (< 8192 or beyond 16 bits)
    DoorbellOutOfRange,    // doorbell pINTID neither 1023 nor an LPI
    VptSizeOutOfRange,     // VMAPP VPT_size beyond GICD_TYPER.IDbits
    MappingMismatch,       // MOVI of a vLPI, VMOVI of a physical LPI
};
const char* error_name(CmdError e);

enum Cmd : uint8_t {
    kMovi = 0x01, kInt = 0x03, kClear = 0x04, kSync = 0x05, kMapd = 0x08, kMapc = 0x09,
    kMapti = 0x0A, kMapi = 0x0B, kInv = 0x0C, kInvall = 0x0D, kMovall = 0x0E, kDiscard = 0x0F,
    // GICv4.0
    kVmovi = 0x21, kVmovp = 0x22, kVsync = 0x25, kVmapp = 0x29, kVmapti = 0x2A, kVmapi = 0x2B, kVinvall = 0x2D,
};
constexpr unsigned kNumCmds = 64;  // command numbers 0x00-0x3F, for the statistics
const char* command_name(uint8_t cmd);

struct ItsConfig {
    unsigned translation_cache_entries = 16;  // (DeviceID, EventID) -> (pINTID, ICID); 0 = none
    unsigned device_cache_entries = 8;        // device-table entries; 0 = none
    unsigned collection_cache_entries = 8;    // collection-table entries; 0 = none
    uint32_t default_device_id = 0;   // DeviceID of TRANSLATER writes without a DeviceIdExtension (CPU writes)
    // The ITS's table and queue reads are coherent with the CPU caches. When
    // not, GITS_CBASER/GITS_BASER<n>.Shareability are RAZ/WI (Non-shareable)
    // so that software cleans what it writes to the Point of Coherency.
    bool tables_coherent = true;
    bool virtual_lpis = false;  // GICv4.0: GITS_TYPER.Virtual, the vPE table, the V* commands
    bool seis = false;          // GITS_TYPER.SEIS: command errors also raise a System Error
};

struct ItsStats {
    uint64_t commands[kNumCmds] = {};       // by command number
    uint64_t command_ns[kNumCmds] = {};     // time from start to completion, summed per command number
    uint64_t command_errors[kNumCmds] = {};
    uint64_t errors = 0, translations = 0, translation_drops = 0;
    uint64_t vlpi_translations = 0;   // translations (and INTs) that reached a vLPI
    uint64_t system_errors = 0;       // command errors reported as System Errors (SEIS)
    uint64_t table_reads = 0, table_writes = 0;  // 8-byte accesses, command reads included
    uint64_t lpi_config_dropped = 0;  // redistributor configuration bytes INV/INVALL dropped
    // Command-queue occupancy: commands written (before GITS_CWRITER) and not
    // yet completed (at or after GITS_CREADR), updated at every change of
    // either; the ns values use the clock set_clock() gives.
    uint64_t cwriter_writes = 0;
    uint64_t queue_max = 0;         // most commands outstanding at once
    uint64_t queue_busy_ns = 0;     // time with at least one command outstanding
    uint64_t queue_command_ns = 0;  // outstanding commands integrated over time
};

// What one command did to the caches (for its trace event).
struct CmdEffects {
    unsigned dev_hit = 0, dev_miss = 0, coll_hit = 0, coll_miss = 0, xlat_hit = 0, xlat_miss = 0;
    unsigned dropped = 0;       // ITS cache entries invalidated
    unsigned evicted = 0;       // ITS cache entries evicted by fills
    unsigned lpi_dropped = 0;   // redistributor configuration bytes dropped (INV/INVALL)
    unsigned reads = 0, writes = 0;
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
    // The simulated time in ns (the module gives it) for command timing and
    // the `its` trace category.
    void set_clock(std::function<uint64_t()> now_ns) { now_ns_ = std::move(now_ns); }
    void set_trace(Trace* t) { trace_ = t; }
    // SEIS: called at each command error (a System Error).
    void set_system_error(std::function<void()> f) { sei_ = std::move(f); }
    // Told of each command read from the queue (the protocol checker).
    using CommandObserver = std::function<void(uint64_t pa, const uint64_t (&dw)[4])>;
    void set_command_observer(CommandObserver f) { cmd_obs_ = std::move(f); }

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
    // A command in flight (the module's thread): set when it starts.
    void set_busy(bool b);
    CmdError last_error() const { return last_error_; }
    uint8_t last_error_command() const { return last_error_cmd_; }

    // An MSI: EventID `event` from `device` (a GITS_TRANSLATER write).
    // Dropped (as the architecture allows) if the ITS is disabled or the
    // translation fails.
    bool translate(uint32_t device, uint32_t event);
    // translate() in two halves: the lookup (its table reads, statistics and
    // trace) and, after their latency, the delivery. When a deferral is set
    // (the SystemC module), GITS_TRANSLATER writes go through it.
    struct Delivery {
        bool virt = false;
        unsigned core = 0;
        uint32_t intid = 0;  // pINTID or vINTID
        uint64_t vpt = 0;
        unsigned vpt_bits = 0;
        uint32_t doorbell = 1023;
    };
    bool resolve(uint32_t device, uint32_t event, Delivery& d);
    void deliver(const Delivery& d);
    void set_deferral(std::function<void(const Delivery&)> f) { defer_ = std::move(f); }

    bool cached(uint32_t device, uint32_t event) const { return xlat_cache_.contains({device, event}); }
    bool device_cached(uint32_t device) const { return dev_cache_.contains(device); }
    bool collection_cached(uint32_t icid) const { return coll_cache_.contains(icid); }
    const ItsStats& stats() const { return stats_; }
    const CacheStats& translation_cache_stats() const { return xlat_cache_.stats(); }
    const CacheStats& device_cache_stats() const { return dev_cache_.stats(); }
    const CacheStats& collection_cache_stats() const { return coll_cache_.stats(); }
    const CmdEffects& last_effects() const { return fx_; }
    uint32_t ctlr() const;
    uint64_t creadr() const { return creadr_ | uint64_t(stalled_); }

private:
    uint64_t share_raz() const { return cfg_.tables_coherent ? 0 : (3ull << 10); }
    struct Ite {
        uint32_t pintid = 0;    // vINTID when virt
        uint16_t icid = 0;      // vPEID when virt
        bool virt = false;
        uint32_t doorbell = 1023;
    };
    struct Vpe {
        unsigned core = 0;
        uint64_t vpt = 0;
        unsigned bits = 0;  // vINTID bits (VPT_size + 1)
    };
    using EventKey = std::pair<uint32_t, uint32_t>;  // (DeviceID, EventID)

    bool read64(uint64_t pa, uint64_t& v);
    bool write64(uint64_t pa, uint64_t v);
    uint64_t read_reg(uint64_t offset) const;
    void write_reg(uint64_t offset, uint64_t v, bool hi_only, bool lo_only);
    uint64_t queue_bytes() const { return ((cbaser_ & 0xFF) + 1) * 4096; }

    // Tables: the number of IDs BASER<n> covers (0: not valid) and the
    // address of entry `i` (through the level-1 table when indirect):
    // `range` is returned when `i` is beyond the table or its level-1
    // descriptor is not valid.
    uint64_t table_entries(unsigned n) const;
    uint64_t page_bytes(unsigned n) const;
    CmdError table_entry_pa(unsigned n, uint64_t i, CmdError range, uint64_t& pa);
    // Lookups through the device and collection caches; CmdError::None on success.
    CmdError device_entry(uint32_t device, uint64_t& dte);
    CmdError collection_target(uint32_t icid, unsigned& core);
    std::string decode(const uint64_t (&dw)[4]) const;
    std::string effects() const;
    // The ITT entry of (device, event): through the cache, else the tables.
    CmdError lookup(uint32_t device, uint32_t event, Ite& ite);
    CmdError write_ite(uint32_t device, uint32_t event, std::optional<Ite> ite);
    CmdError execute(const uint64_t dw[4]);
    CmdError execute_virtual(const uint64_t dw[4]);
    CmdError vpe_entry(uint32_t vpeid, Vpe& vpe, uint64_t* pa = nullptr);
    // An event's interrupt made pending or not (INT, CLEAR, DISCARD, translations).
    CmdError target(const Ite& ite, Delivery& d);
    static uint64_t encode_ite(const Ite& ite);
    static Its::Ite decode_ite(uint64_t v);
    uint64_t now() const { return now_ns_ ? now_ns_() : 0; }

    void cache_drop(uint32_t device, std::optional<uint32_t> event);
    // Accounts the occupancy since the last change and takes the new one.
    void note_queue();

    gic::Gic& gic_;
    ItsConfig cfg_;
    gic::MemAccess mem_;
    std::function<void()> work_;
    bool enabled_ = false, busy_ = false, stalled_ = false, executed_ = false;
    uint64_t cbaser_ = 0, cwriter_ = 0, creadr_ = 0;
    uint64_t baser_[3] = {};  // devices, collections, vPEs (GICv4)
    CmdError last_error_ = CmdError::None;
    uint8_t last_error_cmd_ = 0;
    LruCache<EventKey, Ite> xlat_cache_;
    LruCache<uint32_t, uint64_t> dev_cache_;   // DeviceID -> valid device-table entry
    LruCache<uint32_t, unsigned> coll_cache_;  // ICID -> target processor of a valid entry
    ItsStats stats_;
    CmdEffects fx_;
    Trace* trace_ = nullptr;
    std::function<uint64_t()> now_ns_;
    CommandObserver cmd_obs_;
    std::function<void()> sei_;
    std::function<void(const Delivery&)> defer_;
    uint64_t cmd_[4] = {};       // the command in flight
    uint64_t start_ns_ = 0;
    uint64_t queue_out_ = 0, queue_since_ns_ = 0;  // occupancy and since when
};

}  // namespace hvsim::its
