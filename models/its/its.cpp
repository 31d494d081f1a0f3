#include "its.h"

#include <cstring>

#include <fmt/format.h>

namespace hvsim::its {

const char* error_name(CmdError e) {
    switch (e) {
    case CmdError::None: return "none";
    case CmdError::UnknownCommand: return "unknown command";
    case CmdError::DeviceOutOfRange: return "DeviceID out of range";
    case CmdError::IttSizeOutOfRange: return "ITT size out of range";
    case CmdError::CollectionOutOfRange: return "ICID out of range";
    case CmdError::RdbaseOutOfRange: return "RDbase out of range";
    case CmdError::EventOutOfRange: return "EventID out of range";
    case CmdError::IntidOutOfRange: return "pINTID out of range";
    case CmdError::DeviceUnmapped: return "device not mapped";
    case CmdError::EventUnmapped: return "EventID not mapped";
    case CmdError::CollectionUnmapped: return "collection not mapped";
    case CmdError::TableAccess: return "table access error";
    case CmdError::VpeOutOfRange: return "vPEID out of range";
    case CmdError::VpeUnmapped: return "vPE not mapped";
    case CmdError::VintidOutOfRange: return "vINTID out of range";
    case CmdError::DoorbellOutOfRange: return "doorbell pINTID out of range";
    case CmdError::VptSizeOutOfRange: return "VPT size out of range";
    case CmdError::MappingMismatch: return "event mapped to the other kind of LPI";
    }
    return "?";
}

const char* command_name(uint8_t cmd) {
    switch (cmd) {
    case kMovi: return "MOVI";
    case kInt: return "INT";
    case kClear: return "CLEAR";
    case kSync: return "SYNC";
    case kMapd: return "MAPD";
    case kMapc: return "MAPC";
    case kMapti: return "MAPTI";
    case kMapi: return "MAPI";
    case kInv: return "INV";
    case kInvall: return "INVALL";
    case kMovall: return "MOVALL";
    case kDiscard: return "DISCARD";
    case kVmovi: return "VMOVI";
    case kVmovp: return "VMOVP";
    case kVsync: return "VSYNC";
    case kVmapp: return "VMAPP";
    case kVmapti: return "VMAPTI";
    case kVmapi: return "VMAPI";
    case kVinvall: return "VINVALL";
    default: return "unknown";
    }
}

namespace {
constexpr uint64_t kValid = 1ull << 63;
// GITS_CBASER: Valid, InnerCache [61:59], OuterCache [55:53], PA [51:12],
// Shareability [11:10], Size [7:0].
constexpr uint64_t kCbaserMask = kValid | (7ull << 59) | (7ull << 53) | (0xFFFFFFFFFFull << 12) | (3ull << 10) | 0xFF;
// GITS_BASER<n> writable: Valid, Indirect [62], InnerCache, OuterCache,
// PA [47:12], Shareability, Page_Size [9:8], Size [7:0].
constexpr uint64_t kIndirect = 1ull << 62;
constexpr uint64_t kBaserMask = kValid | kIndirect | (7ull << 59) | (7ull << 53) | (0xFFFFFFFFFull << 12) | (3ull << 10) |
                                (3ull << 8) | 0xFF;
constexpr uint64_t kBaserType[3] = {1, 4, 2};  // devices, collections, vPEs
constexpr uint64_t kQueueOffsetMask = 0xFFFE0;  // CWRITER/CREADR Offset [19:5]

uint64_t field(uint64_t v, unsigned hi, unsigned lo) { return (v >> lo) & ((hi - lo == 63) ? ~0ull : ((1ull << (hi - lo + 1)) - 1)); }
}  // namespace

Its::Its(gic::Gic& gic, const ItsConfig& cfg)
    : gic_(gic), cfg_(cfg), xlat_cache_(cfg.translation_cache_entries), dev_cache_(cfg.device_cache_entries),
      coll_cache_(cfg.collection_cache_entries) {}

bool Its::read64(uint64_t pa, uint64_t& v) {
    ++stats_.table_reads;
    ++fx_.reads;
    uint8_t b[8] = {};
    if (!mem_ || !mem_(pa, b, 8, false)) return false;
    std::memcpy(&v, b, 8);
    return true;
}

bool Its::write64(uint64_t pa, uint64_t v) {
    ++stats_.table_writes;
    ++fx_.writes;
    uint8_t b[8];
    std::memcpy(b, &v, 8);
    return mem_ && mem_(pa, b, 8, true);
}

void Its::set_busy(bool b) {
    if (b && !busy_) start_ns_ = now();
    busy_ = b;
}

uint32_t Its::ctlr() const {
    // Quiescent: disabled with no command in flight.
    return (enabled_ ? kCtlrEnabled : 0) | (!enabled_ && !busy_ ? kCtlrQuiescent : 0);
}

uint64_t Its::read_reg(uint64_t off) const {
    switch (off) {
    case 0x0000: return ctlr();
    case 0x0004: return 0;  // GITS_IIDR
    case 0x0008:
        // TYPER: Physical [0], Virtual [1] (GICv4), ITT_entry_size - 1 [7:4],
        // IDbits - 1 [12:8], Devbits - 1 [17:13], SEIS [18]; CCT, PTA, HCC,
        // CIDbits, CIL, VMOVP = 0.
        return 1 | (uint64_t(cfg_.virtual_lpis) << 1) | ((kEntrySize - 1) << 4) | ((kIdBits - 1) << 8) |
               (uint64_t(kDevBits - 1) << 13) | (uint64_t(cfg_.seis) << 18);
    case 0x0080: return cbaser_;
    case 0x0088: return cwriter_;
    case 0x0090: return creadr();
    case 0xFFE8: return cfg_.virtual_lpis ? 0x4B : 0x3B;  // GITS_PIDR2.ArchRev = 3, or 4 (GICv4)
    case 0xFFF0: return 0x0D;
    case 0xFFF4: return 0xF0;
    case 0xFFF8: return 0x05;
    case 0xFFFC: return 0xB1;
    default: break;
    }
    if (off >= 0x100 && off < 0x140 && !(off & 7)) {
        const unsigned n = static_cast<unsigned>((off - 0x100) / 8);
        if (n >= (cfg_.virtual_lpis ? 3u : 2u)) return 0;
        return baser_[n] | (kBaserType[n] << 56) | (uint64_t(kEntrySize - 1) << 48);
    }
    return 0;
}

void Its::write_reg(uint64_t off, uint64_t v, bool hi_only, bool lo_only) {
    auto merge = [&](uint64_t old) -> uint64_t {
        if (hi_only) return (old & 0xFFFFFFFFull) | (v << 32);
        if (lo_only) return (old & ~0xFFFFFFFFull) | (v & 0xFFFFFFFFull);
        return v;
    };
    switch (off) {
    case 0x0000: {
        const bool was = enabled_;
        enabled_ = v & kCtlrEnabled;
        if (enabled_ && !was && work_) work_();
        return;
    }
    case 0x0080:
        // Writable while the ITS is disabled; a write resets CREADR.
        if (enabled_) return;
        cbaser_ = merge(cbaser_) & kCbaserMask & ~share_raz();
        creadr_ = 0;
        stalled_ = false;
        note_queue();
        return;
    case 0x0088: {
        const uint64_t w = merge(cwriter_);
        cwriter_ = w & kQueueOffsetMask;
        if ((w & 1) && stalled_) stalled_ = false;  // Retry
        ++stats_.cwriter_writes;
        note_queue();
        if (work_) work_();
        return;
    }
    default: break;
    }
    if (off >= 0x100 && off < (cfg_.virtual_lpis ? 0x118u : 0x110u) && !(off & 7)) {
        const unsigned n = static_cast<unsigned>((off - 0x100) / 8);
        if (!enabled_) baser_[n] = merge(baser_[n]) & kBaserMask & ~share_raz();
    }
}

bool Its::access(uint64_t offset, uint8_t* data, unsigned len, bool write, uint32_t device_id) {
    if (offset == kTranslater || offset == kTranslater + 0) {
        if (!write) return false;  // write-only: RAZ
        uint32_t ev = 0;
        std::memcpy(&ev, data, len >= 4 ? 4 : len);
        if (len == 2) ev &= 0xFFFF;
        Delivery d;
        if (!defer_) translate(device_id, ev);
        else if (resolve(device_id, ev, d)) defer_(d);
        return true;
    }
    if (offset >= 0x10000 || (len != 4 && len != 8) || (offset & (len - 1))) return false;
    const uint64_t base = offset & ~7ull;
    const bool is64 = offset == 0x0008 || (offset >= 0x80 && offset < 0x98) || (offset >= 0x100 && offset < 0x140);
    if (!is64) {
        if (len != 4 && offset != 0) return false;
        if (write) {
            uint32_t v = 0;
            std::memcpy(&v, data, 4);
            write_reg(offset, v, false, false);
        } else {
            const uint32_t v = static_cast<uint32_t>(read_reg(offset));
            std::memset(data, 0, len);
            std::memcpy(data, &v, 4);
        }
        return true;
    }
    if (write) {
        uint64_t v = 0;
        std::memcpy(&v, data, len);
        write_reg(base, v, len == 4 && (offset & 4), len == 4 && !(offset & 4));
    } else {
        const uint64_t v = read_reg(base);
        const uint64_t part = len == 8 ? v : (offset & 4) ? v >> 32 : v & 0xFFFFFFFFull;
        std::memcpy(data, &part, len);
    }
    return true;
}

// ---- tables ------------------------------------------------------------------

uint64_t Its::page_bytes(unsigned n) const {
    static constexpr uint64_t kPage[4] = {4096, 16384, 65536, 65536};
    return kPage[(baser_[n] >> 8) & 3];
}

uint64_t Its::table_entries(unsigned n) const {
    const uint64_t b = baser_[n];
    if (!(b & kValid)) return 0;
    const uint64_t l1 = ((b & 0xFF) + 1) * page_bytes(n) / kEntrySize;
    return (b & kIndirect) ? l1 * (page_bytes(n) / kEntrySize) : l1;
}

CmdError Its::table_entry_pa(unsigned n, uint64_t i, CmdError range, uint64_t& pa) {
    if (i >= table_entries(n)) return range;
    const uint64_t page = page_bytes(n);
    const uint64_t base = baser_[n] & 0xFFFFFFFFF000ull & ~(page - 1);
    if (!(baser_[n] & kIndirect)) {
        pa = base + i * kEntrySize;
        return CmdError::None;
    }
    const uint64_t per_page = page / kEntrySize;
    uint64_t l1 = 0;
    if (!read64(base + (i / per_page) * kEntrySize, l1)) return CmdError::TableAccess;
    if (!(l1 & kValid)) return range;
    pa = (l1 & 0xFFFFFFFFFF000ull & ~(page - 1)) + (i % per_page) * kEntrySize;
    return CmdError::None;
}

CmdError Its::device_entry(uint32_t device, uint64_t& dte) {
    if (device >= (1ull << kDevBits)) return CmdError::DeviceOutOfRange;
    if (auto hit = dev_cache_.lookup(device)) {
        ++fx_.dev_hit;
        dte = *hit;
        return CmdError::None;
    }
    ++fx_.dev_miss;
    uint64_t pa = 0;
    if (CmdError e = table_entry_pa(0, device, CmdError::DeviceOutOfRange, pa); e != CmdError::None) return e;
    if (!read64(pa, dte)) return CmdError::TableAccess;
    if (!(dte & kValid)) return CmdError::DeviceUnmapped;
    if (dev_cache_.fill(device, dte)) ++fx_.evicted;
    return CmdError::None;
}

CmdError Its::collection_target(uint32_t icid, unsigned& core) {
    if (auto hit = coll_cache_.lookup(icid)) {
        ++fx_.coll_hit;
        core = *hit;
        return CmdError::None;
    }
    ++fx_.coll_miss;
    uint64_t pa = 0, cte = 0;
    if (CmdError e = table_entry_pa(1, icid, CmdError::CollectionOutOfRange, pa); e != CmdError::None) return e;
    if (!read64(pa, cte)) return CmdError::TableAccess;
    if (!(cte & kValid)) return CmdError::CollectionUnmapped;
    core = static_cast<unsigned>(cte & 0xFFFF);
    if (core >= gic_.num_cores()) return CmdError::RdbaseOutOfRange;
    if (coll_cache_.fill(icid, core)) ++fx_.evicted;
    return CmdError::None;
}

CmdError Its::lookup(uint32_t device, uint32_t event, Ite& ite) {
    if (auto hit = xlat_cache_.lookup({device, event})) {
        ++fx_.xlat_hit;
        ite = *hit;
        return CmdError::None;
    }
    ++fx_.xlat_miss;
    uint64_t dte = 0;
    if (CmdError e = device_entry(device, dte); e != CmdError::None) return e;
    if (event >= (1ull << ((dte & 0x1F) + 1))) return CmdError::EventOutOfRange;
    uint64_t itte = 0;
    if (!read64((dte & 0xFFFFFFFFFFF00ull) + uint64_t(event) * kEntrySize, itte)) return CmdError::TableAccess;
    if (!(itte & kValid)) return CmdError::EventUnmapped;
    ite = decode_ite(itte);
    if (xlat_cache_.fill({device, event}, ite)) ++fx_.evicted;
    return CmdError::None;
}

CmdError Its::write_ite(uint32_t device, uint32_t event, std::optional<Ite> ite) {
    uint64_t dte = 0;
    if (CmdError e = device_entry(device, dte); e != CmdError::None) return e;
    if (event >= (1ull << ((dte & 0x1F) + 1))) return CmdError::EventOutOfRange;
    const uint64_t v = ite ? encode_ite(*ite) : 0;
    if (!write64((dte & 0xFFFFFFFFFFF00ull) + uint64_t(event) * kEntrySize, v)) return CmdError::TableAccess;
    cache_drop(device, event);
    return CmdError::None;
}

uint64_t Its::encode_ite(const Ite& ite) {
    if (!ite.virt) return kValid | (uint64_t(ite.icid) << 32) | ite.pintid;
    return kValid | (1ull << 62) | (uint64_t(ite.icid) << 32) | (uint64_t(ite.doorbell & 0xFFFF) << 16) |
           (ite.pintid & 0xFFFF);
}

Its::Ite Its::decode_ite(uint64_t v) {
    Ite ite;
    ite.icid = static_cast<uint16_t>(v >> 32);
    ite.virt = (v >> 62) & 1;
    if (ite.virt) {
        ite.pintid = static_cast<uint32_t>(v & 0xFFFF);
        ite.doorbell = static_cast<uint32_t>((v >> 16) & 0xFFFF);
    } else {
        ite.pintid = static_cast<uint32_t>(v);
    }
    return ite;
}

CmdError Its::vpe_entry(uint32_t vpeid, Vpe& vpe, uint64_t* pa_out) {
    uint64_t pa = 0, e = 0;
    if (CmdError err = table_entry_pa(2, vpeid, CmdError::VpeOutOfRange, pa); err != CmdError::None) return err;
    if (pa_out) *pa_out = pa;
    if (!read64(pa, e)) return CmdError::TableAccess;
    if (!(e & kValid)) return CmdError::VpeUnmapped;
    vpe.core = static_cast<unsigned>(field(e, 62, 52));
    vpe.vpt = e & (0xFFFFFFFFFull << 16);
    vpe.bits = static_cast<unsigned>(e & 0x1F) + 1;
    return CmdError::None;
}

CmdError Its::target(const Ite& ite, Delivery& d) {
    d = Delivery{};
    d.virt = ite.virt;
    d.intid = ite.pintid;
    if (!ite.virt) return collection_target(ite.icid, d.core);
    Vpe vpe;
    if (CmdError e = vpe_entry(ite.icid, vpe); e != CmdError::None) return e;
    d.core = vpe.core;
    d.vpt = vpe.vpt;
    d.vpt_bits = vpe.bits;
    d.doorbell = ite.doorbell;
    return CmdError::None;
}

void Its::deliver(const Delivery& d) {
    if (!d.virt) {
        gic_.set_lpi_pending(d.core, d.intid, true);
        return;
    }
    ++stats_.vlpi_translations;
    gic_.set_vlpi_pending(d.core, d.vpt, d.vpt_bits, d.intid, true, d.doorbell);
}

void Its::cache_drop(uint32_t device, std::optional<uint32_t> event) {
    fx_.dropped += xlat_cache_.erase_if(
        [&](const EventKey& k, const Ite&) { return k.first == device && (!event || k.second == *event); });
}

// ---- commands ----------------------------------------------------------------

bool Its::has_work() const { return enabled_ && (cbaser_ & kValid) && !stalled_ && creadr_ != cwriter_; }

CmdError Its::step() {
    const CmdError e = execute_next();
    retire();
    return e;
}

void Its::retire() {
    if (!executed_) return;
    executed_ = false;
    const uint64_t done = now();
    const uint8_t cmd = cmd_[0] & 0xFF;
    if (cmd < kNumCmds) stats_.command_ns[cmd] += done - start_ns_;
    if (trace_ && trace_->on(Trace::kIts))
        trace_->emit_span_ns(Trace::kIts, start_ns_, done, "{} at {:#x}: {} started {}ns completed {}ns{}",
                             command_name(cmd), (cbaser_ & 0xFFFFFFFFFF000ull) + creadr_, decode(cmd_), start_ns_, done,
                             effects());
    creadr_ = (creadr_ + kCmdSize) % queue_bytes();
    note_queue();
}

void Its::note_queue() {
    const uint64_t t = now();
    if (queue_out_) {
        stats_.queue_busy_ns += t - queue_since_ns_;
        stats_.queue_command_ns += queue_out_ * (t - queue_since_ns_);
    }
    queue_since_ns_ = t;
    queue_out_ = ((cwriter_ + queue_bytes() - creadr_) % queue_bytes()) / kCmdSize;
    if (queue_out_ > stats_.queue_max) stats_.queue_max = queue_out_;
}

CmdError Its::execute_next() {
    if (!has_work()) return CmdError::None;
    fx_ = CmdEffects{};
    uint64_t dw[4] = {};
    const uint64_t pa = (cbaser_ & 0xFFFFFFFFFF000ull) + creadr_;
    CmdError e = CmdError::None;
    for (unsigned i = 0; i < 4 && e == CmdError::None; ++i)
        if (!read64(pa + 8 * i, dw[i])) e = CmdError::TableAccess;
    if (e == CmdError::None && cmd_obs_) cmd_obs_(pa, dw);
    if (e == CmdError::None) e = execute(dw);
    std::memcpy(cmd_, dw, sizeof cmd_);
    const uint8_t cmd = dw[0] & 0xFF;
    if (cmd < kNumCmds) ++stats_.commands[cmd];
    if (e != CmdError::None) {
        ++stats_.errors;
        if (cmd < kNumCmds) ++stats_.command_errors[cmd];
        stalled_ = true;
        last_error_ = e;
        last_error_cmd_ = cmd;
        if (trace_ && trace_->on(Trace::kIts))
            trace_->emit_ns(Trace::kIts, now(), "{} at {:#x}: {} started {}ns: error: {}, the queue stalls{}{}",
                            command_name(cmd), pa, decode(dw), start_ns_, error_name(e),
                            cfg_.seis ? ", System Error raised" : "", effects());
        if (cfg_.seis) {
            // GITS_TYPER.SEIS = 1: the error is also reported as a System
            // Error (IHI 0069 5.3 "Command errors"); the queue still stalls.
            ++stats_.system_errors;
            if (sei_) sei_();
        }
        return e;
    }
    executed_ = true;
    return e;
}

std::string Its::decode(const uint64_t (&dw)[4]) const {
    const uint8_t cmd = dw[0] & 0xFF;
    const uint32_t device = static_cast<uint32_t>(dw[0] >> 32), event = static_cast<uint32_t>(dw[1]);
    const uint32_t icid = static_cast<uint32_t>(dw[2] & 0xFFFF);
    const unsigned v = unsigned(dw[2] >> 63);
    switch (cmd) {
    case kMapd:
        return fmt::format("DeviceID={} Size={} ITT_addr={:#x} V={}", device, dw[1] & 0x1F, dw[2] & 0xFFFFFFFFFFF00ull, v);
    case kMapc: return fmt::format("ICID={} RDbase={} V={}", icid, field(dw[2], 51, 16), v);
    case kMapti: return fmt::format("DeviceID={} EventID={} pINTID={} ICID={}", device, event, dw[1] >> 32, icid);
    case kMapi:
    case kMovi: return fmt::format("DeviceID={} EventID={} ICID={}", device, event, icid);
    case kInt:
    case kClear:
    case kInv:
    case kDiscard: return fmt::format("DeviceID={} EventID={}", device, event);
    case kInvall: return fmt::format("ICID={}", icid);
    case kSync: return fmt::format("RDbase={}", field(dw[2], 51, 16));
    case kMovall: return fmt::format("RDbase1={} RDbase2={}", field(dw[2], 51, 16), field(dw[3], 51, 16));
    case kVmapp:
        return fmt::format("vPEID={} RDbase={} VPT_addr={:#x} VPT_size={} V={}", field(dw[1], 47, 32), field(dw[2], 51, 16),
                           dw[3] & (0xFFFFFFFFFull << 16), dw[3] & 0x1F, v);
    case kVmapti:
        return fmt::format("DeviceID={} EventID={} vPEID={} vINTID={} Dbell_pINTID={}", device, event,
                           field(dw[1], 47, 32), dw[2] & 0xFFFFFFFF, dw[2] >> 32);
    case kVmapi:
        return fmt::format("DeviceID={} EventID={} vPEID={} Dbell_pINTID={}", device, event, field(dw[1], 47, 32),
                           dw[2] >> 32);
    case kVmovi:
        return fmt::format("DeviceID={} EventID={} vPEID={} D={} Dbell_pINTID={}", device, event, field(dw[1], 47, 32),
                           dw[2] & 1, dw[2] >> 32);
    case kVmovp:
        return fmt::format("vPEID={} RDbase={} SequenceNumber={} ITSList={:#x}", field(dw[1], 47, 32),
                           field(dw[2], 51, 16), field(dw[0], 47, 32), dw[1] & 0xFFFF);
    case kVsync:
    case kVinvall: return fmt::format("vPEID={}", field(dw[1], 47, 32));
    default: return fmt::format("DW0={:#x}", dw[0]);
    }
}

std::string Its::effects() const {
    std::string s;
    auto add = [&](const char* what, unsigned n) {
        if (n) s += fmt::format(" {}={}", what, n);
    };
    add("reads", fx_.reads);
    add("writes", fx_.writes);
    add("dev_hit", fx_.dev_hit);
    add("dev_miss", fx_.dev_miss);
    add("coll_hit", fx_.coll_hit);
    add("coll_miss", fx_.coll_miss);
    add("xlat_hit", fx_.xlat_hit);
    add("xlat_miss", fx_.xlat_miss);
    add("evicted", fx_.evicted);
    add("invalidated", fx_.dropped);
    add("lpi_config_dropped", fx_.lpi_dropped);
    return s.empty() ? s : ";" + s;
}

CmdError Its::execute(const uint64_t dw[4]) {
    const uint8_t cmd = dw[0] & 0xFF;
    const uint32_t device = static_cast<uint32_t>(dw[0] >> 32);
    const uint32_t event = static_cast<uint32_t>(dw[1]);
    const uint32_t icid = static_cast<uint32_t>(dw[2] & 0xFFFF);
    const bool valid = dw[2] >> 63;
    // RDbase [51:16]: with GITS_TYPER.PTA = 0, the processor number.
    auto rdbase = [](uint64_t w) { return field(w, 51, 16); };
    auto check_core = [&](uint64_t rd) { return rd < gic_.num_cores() ? CmdError::None : CmdError::RdbaseOutOfRange; };
    Ite ite;
    unsigned core = 0;
    CmdError e = CmdError::None;
    switch (cmd) {
    case kMapd: {
        const unsigned size = dw[1] & 0x1F;
        if (device >= (1ull << kDevBits)) return CmdError::DeviceOutOfRange;
        uint64_t pa = 0;
        if ((e = table_entry_pa(0, device, CmdError::DeviceOutOfRange, pa)) != CmdError::None) return e;
        if (valid && size + 1 > kIdBits) return CmdError::IttSizeOutOfRange;
        const uint64_t dte = valid ? (kValid | (dw[2] & 0xFFFFFFFFFFF00ull) | size) : 0;
        if (!write64(pa, dte)) return CmdError::TableAccess;
        fx_.dropped += dev_cache_.erase_if([&](uint32_t d, uint64_t) { return d == device; });
        cache_drop(device, std::nullopt);
        return CmdError::None;
    }
    case kMapc: {
        uint64_t pa = 0;
        if ((e = table_entry_pa(1, icid, CmdError::CollectionOutOfRange, pa)) != CmdError::None) return e;
        const uint64_t rd = rdbase(dw[2]);
        if (valid && (e = check_core(rd)) != CmdError::None) return e;
        if (!write64(pa, valid ? (kValid | rd) : 0)) return CmdError::TableAccess;
        fx_.dropped += coll_cache_.erase_if([&](uint32_t c, unsigned) { return c == icid; });
        return CmdError::None;
    }
    case kMapti:
    case kMapi: {
        const uint32_t pintid = cmd == kMapi ? event : static_cast<uint32_t>(dw[1] >> 32);
        if (icid >= table_entries(1)) return CmdError::CollectionOutOfRange;
        if (pintid < gic::kLpiBase || pintid >= (1u << gic::kLpiIdBits)) return CmdError::IntidOutOfRange;
        return write_ite(device, event, Ite{pintid, static_cast<uint16_t>(icid)});
    }
    case kInt:
    case kClear:
    case kInv:
    case kDiscard: {
        if ((e = lookup(device, event, ite)) != CmdError::None) return e;
        Delivery d;
        e = target(ite, d);
        auto clear = [&] {
            if (d.virt) gic_.set_vlpi_pending(d.core, d.vpt, d.vpt_bits, d.intid, false);
            else gic_.set_lpi_pending(d.core, d.intid, false);
        };
        if (cmd == kDiscard) {
            if (e == CmdError::None) clear();
            return write_ite(device, event, std::nullopt);
        }
        if (e != CmdError::None) return e;
        if (cmd == kInt) {
            deliver(d);
        } else if (cmd == kClear) {
            clear();
        } else {
            fx_.lpi_dropped += d.virt ? gic_.invalidate_vlpi(d.core, d.vpt, d.intid) : gic_.invalidate_lpi(d.core, d.intid);
            stats_.lpi_config_dropped += fx_.lpi_dropped;
        }
        return CmdError::None;
    }
    case kMovi: {
        if ((e = lookup(device, event, ite)) != CmdError::None) return e;
        if (ite.virt) return CmdError::MappingMismatch;
        unsigned to = 0;
        if ((e = collection_target(icid, to)) != CmdError::None) return e;
        if ((e = collection_target(ite.icid, core)) != CmdError::None) return e;
        if ((e = write_ite(device, event, Ite{ite.pintid, static_cast<uint16_t>(icid)})) != CmdError::None) return e;
        if (core != to && gic_.lpi_pending(core, ite.pintid)) {
            gic_.set_lpi_pending(core, ite.pintid, false);
            gic_.set_lpi_pending(to, ite.pintid, true);
        }
        return CmdError::None;
    }
    case kInvall:
        if ((e = collection_target(icid, core)) != CmdError::None) return e;
        fx_.lpi_dropped += gic_.invalidate_all_lpis(core);
        stats_.lpi_config_dropped += fx_.lpi_dropped;
        return CmdError::None;
    case kSync:
        // Commands complete in order, so the effects of every earlier one
        // are visible when SYNC completes.
        return check_core(rdbase(dw[2]));
    case kMovall: {
        const uint64_t from = rdbase(dw[2]), to = rdbase(dw[3]);
        if ((e = check_core(from)) != CmdError::None || (e = check_core(to)) != CmdError::None) return e;
        if (from == to) return CmdError::None;
        const std::set<uint32_t> moving = gic_.redistributor(static_cast<unsigned>(from)).lpis().pending_set();
        for (uint32_t intid : moving) {
            gic_.set_lpi_pending(static_cast<unsigned>(from), intid, false);
            gic_.set_lpi_pending(static_cast<unsigned>(to), intid, true);
        }
        return CmdError::None;
    }
    default: return cfg_.virtual_lpis ? execute_virtual(dw) : CmdError::UnknownCommand;
    }
}

bool Its::resolve(uint32_t device, uint32_t event, Delivery& d) {
    const CmdEffects in_flight = fx_;  // a command's effects are its own
    fx_ = CmdEffects{};
    Ite ite;
    CmdError e = enabled_ ? lookup(device, event, ite) : CmdError::None;
    if (enabled_ && e == CmdError::None) e = target(ite, d);
    const bool ok = enabled_ && e == CmdError::None;
    ++(ok ? stats_.translations : stats_.translation_drops);
    if (trace_ && trace_->on(Trace::kIts)) {
        if (ok && d.virt)
            trace_->emit_ns(Trace::kIts, now(), "TRANSLATER DeviceID={} EventID={}: vLPI {} of vPE {} on cpu{}{}", device,
                            event, d.intid, ite.icid, d.core, effects());
        else if (ok)
            trace_->emit_ns(Trace::kIts, now(), "TRANSLATER DeviceID={} EventID={}: LPI {} to cpu{}{}", device, event,
                            d.intid, d.core, effects());
        else
            trace_->emit_ns(Trace::kIts, now(), "TRANSLATER DeviceID={} EventID={}: dropped ({}){}", device, event,
                            enabled_ ? error_name(e) : "ITS disabled", effects());
    }
    fx_ = in_flight;
    return ok;
}

bool Its::translate(uint32_t device, uint32_t event) {
    Delivery d;
    if (!resolve(device, event, d)) return false;
    deliver(d);
    return true;
}

}  // namespace hvsim::its
