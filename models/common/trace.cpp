#include "trace.h"

#include <capstone.h>

#include <cctype>
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
                            {"insn", Trace::kInsn},     {"psci", Trace::kPsci},     {"timer", Trace::kTimer}};
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
        } else {
            error = fmt::format("'{}': expected core=N, el=0-3, pc=LO-HI or time=T0-T1 (units ps, ns, us, ms, s; LO < HI; "
                                "each once)",
                                item);
            return false;
        }
    }
    filtered_ = filter_core_ || filter_el_ || filter_pc_ || filter_time_ps_;
    return true;
}

bool Trace::passes(unsigned core) const {
    if (filter_core_ && core != *filter_core_) return false;
    if (filter_time_ps_ && !filter_time_ps_->contains(clock_ps_ ? clock_ps_() : 0)) return false;
    if (filter_el_ || filter_pc_) {
        unsigned el = 0;
        uint64_t pc = 0;
        if (!core_context_ || !core_context_(core, el, pc)) return false;
        if (filter_el_ && el != *filter_el_) return false;
        if (filter_pc_ && !filter_pc_->contains(pc)) return false;
    }
    return true;
}

std::string Trace::jsonl_record(Category c, uint64_t cycles, unsigned core, const std::string& message) const {
    std::string event;
    std::vector<std::pair<std::string, std::string>> fields;
    std::istringstream words(message);
    std::string w;
    while (words >> w) {
        const auto eq = w.find('=');
        if (eq != std::string::npos && is_key(w.substr(0, eq))) {
            std::string key = w.substr(0, eq);
            bool seen = false;
            for (const auto& f : fields) seen |= f.first == key;
            if (!seen) {
                fields.emplace_back(std::move(key), w.substr(eq + 1));
                continue;
            }
        }
        if (!event.empty()) event += ' ';
        event += w;
    }
    std::string out = fmt::format("{{\"time_ps\":{},\"cycles\":{},\"core\":{},\"category\":\"{}\",\"fields\":{{\"event\":",
                                  clock_ps_ ? clock_ps_() : 0, cycles, core, name(c));
    append_json_string(out, event);
    for (const auto& [key, value] : fields) {
        out += ',';
        append_json_string(out, key);
        out += ':';
        if (is_decimal(value)) out += value;
        else append_json_string(out, value);
    }
    out += "}}";
    return out;
}

void Trace::emit_jsonl(Category c, uint64_t cycles, unsigned core, const std::string& message) {
    const std::string line = jsonl_record(c, cycles, core, message);
    std::fwrite(line.data(), 1, line.size(), out_);
    std::fputc('\n', out_);
}

}  // namespace hvsim
