#include "trace.h"

#include <capstone.h>

#include <cctype>
#include <cmath>
#include <cstdint>
#include <exception>
#include <sstream>
#include <utility>
#include <vector>

namespace hvsim {

namespace {
struct Named {
    const char* name;
    Trace::Category cat;
};
constexpr Named kNames[] = {{"exc", Trace::kExc},       {"tlb", Trace::kTlb},       {"walk", Trace::kWalk},
                            {"fault", Trace::kFault},   {"sysreg", Trace::kSysreg}, {"stale", Trace::kStale},
                            {"cache", Trace::kCache},   {"cmo", Trace::kCmo},       {"coherency", Trace::kCoherency},
                            {"its", Trace::kIts},       {"gic", Trace::kGic},
                            {"insn", Trace::kInsn},     {"psci", Trace::kPsci},     {"timer", Trace::kTimer},
                            {"tlbi", Trace::kTlbi},     {"mmu", Trace::kMmu},       {"uart", Trace::kUart}};
}  // namespace

bool Trace::enable(const std::string& list, std::string& bad) {
    std::stringstream ss(list);
    std::string item;
    while (std::getline(ss, item, ',')) {
        if (item == "all") {
            for (const Named& n : kNames)
                if (n.cat != kInsn) mask_ |= n.cat;
            continue;
        }
        bool found = false;
        for (const Named& n : kNames)
            if (item == n.name) {
                mask_ |= n.cat;
                found = true;
            }
        if (!found) {
            bad = item;
            return false;
        }
    }
    return true;
}

const char* Trace::name(Category c) {
    for (const Named& n : kNames)
        if (n.cat == c) return n.name;
    return "?";
}

namespace {
bool parse_u64(const std::string& s, uint64_t& v) {
    if (s.empty() || s[0] == '-' || s[0] == '+') return false;
    try {
        size_t pos = 0;
        v = std::stoull(s, &pos, 0);
        return pos == s.size();
    } catch (const std::exception&) {
        return false;
    }
}

// "10us", "3ms", "0s": simulated time in picoseconds.
bool parse_time_ps(const std::string& s, uint64_t& ps) {
    static const std::pair<const char*, uint64_t> kUnits[] = {
        {"ps", 1}, {"ns", 1000}, {"us", 1000000}, {"ms", 1000000000}, {"s", 1000000000000}};
    for (const auto& [unit, scale] : kUnits) {
        const std::string u = unit;
        if (s.size() <= u.size() || s.compare(s.size() - u.size(), u.size(), u) != 0) continue;
        uint64_t v = 0;
        if (!parse_u64(s.substr(0, s.size() - u.size()), v) || v > UINT64_MAX / scale) return false;
        ps = v * scale;
        return true;
    }
    return false;
}

void append_json_string(std::string& out, const std::string& s) {
    out += '"';
    for (const char ch : s) {
        const auto u = static_cast<unsigned char>(ch);
        if (ch == '"' || ch == '\\') {
            out += '\\';
            out += ch;
        } else if (u < 0x20) {
            out += fmt::format("\\u{:04x}", u);
        } else {
            out += ch;
        }
    }
    out += '"';
}

bool is_key(const std::string& k) {
    if (k.empty() || k == "event") return false;
    for (const char ch : k)
        if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '.') return false;
    return true;
}

bool is_decimal(const std::string& v) {
    if (v.empty() || v.size() > 18) return false;
    for (const char ch : v)
        if (!std::isdigit(static_cast<unsigned char>(ch))) return false;
    return v.size() == 1 || v[0] != '0';
}
}  // namespace

std::string Trace::disassemble(uint64_t pc, uint32_t word) {
    // One handle for the process: tracing runs in the SystemC thread only.
    static csh handle = 0;
    static bool opened = cs_open(CS_ARCH_ARM64, CS_MODE_LITTLE_ENDIAN, &handle) == CS_ERR_OK;
    uint8_t bytes[4];
    for (unsigned i = 0; i < 4; ++i) bytes[i] = static_cast<uint8_t>(word >> (8 * i));
    cs_insn* insn = nullptr;
    if (!opened || cs_disasm(handle, bytes, sizeof bytes, pc, 1, &insn) != 1) return fmt::format(".inst {:#010x}", word);
    std::string text = insn->mnemonic;
    if (insn->op_str[0]) text += std::string(" ") + insn->op_str;
    cs_free(insn, 1);
    return text;
}

void Trace::insn(uint64_t cycles, unsigned core, uint64_t pc, uint32_t word) {
    // Filter first: disassembling every filtered-out instruction made a
    // narrow time window cost as much as tracing the whole run.
    if (filtered_ && !passes(core)) return;
    emit(kInsn, cycles, core, "{} pc={:#x} word={:#010x}", disassemble(pc, word), pc, word);
}

bool Trace::set_filter(const std::string& spec, std::string& error) {
    std::stringstream ss(spec);
    std::string item;
    while (std::getline(ss, item, ',')) {
        const auto eq = item.find('=');
        const std::string key = item.substr(0, eq), value = eq == std::string::npos ? "" : item.substr(eq + 1);
        const auto dash = value.find('-');
        const std::string lo = value.substr(0, dash), hi = dash == std::string::npos ? "" : value.substr(dash + 1);
        uint64_t v = 0;
        Range r;
        if (key == "core" && parse_u64(value, v) && v < 256 && !filter_core_) {
            filter_core_ = static_cast<unsigned>(v);
        } else if (key == "el" && parse_u64(value, v) && v <= 3 && !filter_el_) {
            filter_el_ = static_cast<unsigned>(v);
        } else if (key == "pc" && parse_u64(lo, r.lo) && parse_u64(hi, r.hi) && r.lo < r.hi && !filter_pc_) {
            filter_pc_ = r;
        } else if (key == "time" && parse_time_ps(lo, r.lo) && parse_time_ps(hi, r.hi) && r.lo < r.hi && !filter_time_ps_) {
            filter_time_ps_ = r;
        } else if (key == "vmid" && value == "none" && !filter_vmid_) {
            filter_vmid_ = kVmidNone;
        } else if (key == "vmid" && parse_u64(value, v) && v <= 0xFF && !filter_vmid_) {
            filter_vmid_ = static_cast<unsigned>(v);
        } else {
            error = fmt::format("'{}': expected core=N, el=0-3, pc=LO-HI, time=T0-T1 (units ps, ns, us, ms, s; LO < HI) "
                                "or vmid=0-255|none (each once)",
                                item);
            return false;
        }
    }
    filtered_ = filter_core_ || filter_el_ || filter_pc_ || filter_time_ps_ || filter_vmid_;
    return true;
}

bool Trace::passes(unsigned core) const {
    if (filter_core_ && core != *filter_core_) return false;
    if (filter_time_ps_ && !filter_time_ps_->contains(clock_ps_ ? clock_ps_() : 0)) return false;
    if (filter_el_ || filter_pc_ || filter_vmid_) {
        CoreState s;
        if (core == kNoCore || !core_context_ || !core_context_(core, s)) return false;
        if (filter_el_ && s.el != *filter_el_) return false;
        if (filter_pc_ && !filter_pc_->contains(s.pc)) return false;
        if (filter_vmid_ && (s.stage2 ? s.vmid : kVmidNone) != *filter_vmid_) return false;
    }
    return true;
}

namespace {
// The words of a message: key=value fields in order (the first of a key)
// and the other words joined by single spaces.
struct Parsed {
    std::string event;
    std::vector<std::pair<std::string, std::string>> fields;
};

Parsed parse_message(const std::string& message) {
    Parsed p;
    std::istringstream words(message);
    std::string w;
    while (words >> w) {
        const auto eq = w.find('=');
        if (eq != std::string::npos && is_key(w.substr(0, eq))) {
            std::string key = w.substr(0, eq);
            bool seen = false;
            for (const auto& f : p.fields) seen |= f.first == key;
            if (!seen) {
                p.fields.emplace_back(std::move(key), w.substr(eq + 1));
                continue;
            }
        }
        if (!p.event.empty()) p.event += ' ';
        p.event += w;
    }
    return p;
}

void append_fields(std::string& out, const Parsed& p, bool with_event) {
    bool first = true;
    if (with_event) {
        out += "\"event\":";
        append_json_string(out, p.event);
        first = false;
    }
    for (const auto& [key, value] : p.fields) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, key);
        out += ':';
        if (is_decimal(value)) out += value;
        else append_json_string(out, value);
    }
}

// Picoseconds as microseconds with six decimals, exactly.
std::string us_of_ps(uint64_t ps) { return fmt::format("{}.{:06}", ps / 1000000, ps % 1000000); }

// Perfetto track ids: cores are 0..N-1, devices from here on.
constexpr unsigned kDeviceTid = 1000;
unsigned device_tid(Trace::Category c) {
    switch (c) {
    case Trace::kGic: return kDeviceTid;
    case Trace::kIts: return kDeviceTid + 1;
    case Trace::kUart: return kDeviceTid + 2;
    default: return kDeviceTid + 3;  // cache traffic of other masters
    }
}
const char* device_name(unsigned tid) {
    static const char* const kDevices[] = {"GIC", "ITS", "UART", "memory system"};
    return kDevices[tid - kDeviceTid];
}
}  // namespace

std::string Trace::jsonl_record(Category c, uint64_t cycles, unsigned core, const std::string& message) const {
    std::string out = fmt::format("{{\"time_ps\":{},\"cycles\":{},\"core\":{},\"category\":\"{}\",\"fields\":{{",
                                  clock_ps_ ? clock_ps_() : 0, cycles, core == kNoCore ? 0 : core, name(c));
    append_fields(out, parse_message(message), true);
    out += "}}";
    return out;
}

void Trace::record(Category c, uint64_t cycles, unsigned core, const std::string& message, const Span* span) {
    if (format_ == Format::Perfetto) {
        perfetto_event(c, cycles, core, message, span);
        return;
    }
    const std::string line = jsonl_record(c, cycles, core, message);
    std::fwrite(line.data(), 1, line.size(), out_);
    std::fputc('\n', out_);
}

void Trace::perfetto_track(unsigned tid, const std::string& track) {
    std::string out = fmt::format(",\n{{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":{},\"args\":{{\"name\":", tid);
    append_json_string(out, track);
    out += fmt::format("}}}},\n{{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":1,\"tid\":{},"
                       "\"args\":{{\"sort_index\":{}}}}}",
                       tid, tid);
    std::fwrite(out.data(), 1, out.size(), out_);
}

void Trace::perfetto_event(Category c, uint64_t cycles, unsigned core, const std::string& message, const Span* span) {
    if (perfetto_closed_) return;
    perfetto_begin();
    const bool device = core == kNoCore;
    const unsigned tid = device ? device_tid(c) : core;
    if (device || core >= core_period_ps_.size()) {
        bool named = false;
        for (unsigned t : perfetto_tracks_) named |= t == tid;
        if (!named) {
            perfetto_tracks_.push_back(tid);
            perfetto_track(tid, device ? std::string(device_name(tid)) : fmt::format("cpu{}", core));
        }
    }
    uint64_t ts_ps, dur_ps = 0;
    if (span) {
        ts_ps = span->start_ns * 1000;
        dur_ps = (span->end_ns - span->start_ns) * 1000;
    } else if (!device && core < core_period_ps_.size()) {
        ts_ps = static_cast<uint64_t>(std::llround(static_cast<double>(cycles) * core_period_ps_[core]));
    } else {
        ts_ps = clock_ps_ ? clock_ps_() : 0;
    }
    const Parsed p = parse_message(message);
    // A complete event is named by its first word (the ITS command), its
    // description goes to args.event.
    const bool complete = span && dur_ps;
    std::string title = p.event.empty() ? std::string(name(c)) : p.event;
    if (complete) title = title.substr(0, title.find(' '));
    std::string out = ",\n{\"name\":";
    append_json_string(out, title);
    out += fmt::format(",\"cat\":\"{}\",\"ph\":\"{}\",\"ts\":{},", name(c), complete ? "X" : "i", us_of_ps(ts_ps));
    if (complete) out += fmt::format("\"dur\":{},", us_of_ps(dur_ps));
    else out += "\"s\":\"t\",";
    out += fmt::format("\"pid\":1,\"tid\":{},\"args\":{{", tid);
    if (!device) out += fmt::format("\"cycles\":{}{}", cycles, p.fields.empty() ? "" : ",");
    if (complete) {
        out += "\"event\":";
        append_json_string(out, p.event);
        if (!p.fields.empty()) out += ',';
    }
    append_fields(out, p, false);
    out += "}}";
    std::fwrite(out.data(), 1, out.size(), out_);
}

void Trace::perfetto_begin() {
    if (perfetto_open_) return;
    perfetto_open_ = true;
    std::fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n"
               "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":0,\"args\":{\"name\":\"hvsim\"}}",
               out_);
    for (unsigned i = 0; i < core_period_ps_.size(); ++i) perfetto_track(i, fmt::format("cpu{}", i));
}

void Trace::finish() {
    if (format_ != Format::Perfetto || perfetto_closed_ || !mask_) return;
    perfetto_begin();
    perfetto_closed_ = true;
    std::fputs("\n]}\n", out_);
    std::fflush(out_);
}

}  // namespace hvsim
