#include "config.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "models/common/error.h"

namespace hvsim::platform {

using nlohmann::json;

namespace {

json cache_level_json(const cache::CacheConfig& g, bool optional, bool data = false) {
    json j = {{"size_bytes", g.size_bytes},
              {"ways", g.ways},
              {"line_bytes", g.line_bytes},
              {"replacement", cache::replacement_name(g.replacement)},
              {"hit_latency", g.hit_latency}};
    if (optional) j["enabled"] = g.enabled;
    if (data) j["write_allocate"] = g.write_allocate;
    return j;
}

json caches_json(const cache::HierarchyConfig& h) {
    return {{"enabled", h.enabled},
            {"l1i", cache_level_json(h.l1i, false)},
            {"l1d", cache_level_json(h.l1d, false, true)},
            {"l2", cache_level_json(h.l2, true)},
            {"slc", cache_level_json(h.slc, true)},
            {"dram_latency", h.dram_latency},
            {"snoop_latency", h.snoop_latency},
            {"setway_line_cost", h.setway_line_cost},
            {"slc_in_clidr", h.slc_in_clidr},
            {"icache_coherent", h.icache_coherent},
            {"gic_its_coherent", h.gic_its_coherent},
            {"seed", h.seed}};
}

json tlb_json(const mmu::TlbGeometry& g) {
    return {{"entries", g.entries},
            {"ways", g.ways},
            {"hit_latency", g.hit_latency},
            {"replacement", g.replacement == mmu::Replacement::Lru ? "lru" : "random"}};
}

json region_json(const MemRegion& r) { return {{"base", r.base}, {"size", r.size}}; }

const char* type_name(const json& v) {
    switch (v.type()) {
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_unsigned: return "a non-negative integer";
    case json::value_t::number_integer: return "an integer";
    case json::value_t::number_float: return "a number";
    case json::value_t::string: return "a string";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::null: return "null";
    default: return "a value";
    }
}

// Whether `v` may replace a property whose default is `def`.
bool same_type(const json& def, const json& v) {
    if (def.is_number_float()) return v.is_number();
    if (def.is_number_unsigned()) return v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0);
    if (def.is_number_integer()) return v.is_number_integer();
    return def.type() == v.type();
}

std::string join(const std::string& prefix, const std::string& key) {
    return prefix.empty() ? key : prefix + "." + key;
}

void merge_at(json& cfg, const json& overlay, const std::string& path, const std::string& source) {
    const std::string where = source.empty() ? "" : source + ": ";
    if (!overlay.is_object())
        throw Error(fmt::format("{}{}: expected an object, got {}", where, path.empty() ? "configuration" : path,
                                type_name(overlay)));
    for (auto it = overlay.begin(); it != overlay.end(); ++it) {
        const std::string key = join(path, it.key());
        auto cur = cfg.find(it.key());
        if (cur == cfg.end()) throw Error(fmt::format("{}unknown key '{}'", where, key));
        if (cur->is_object()) {
            merge_at(*cur, it.value(), key, source);
        } else if (!same_type(*cur, it.value())) {
            throw Error(fmt::format("{}{}: expected {}, got {}", where, key, type_name(*cur), type_name(it.value())));
        } else if (cur->is_number_unsigned()) {
            *cur = it.value().get<uint64_t>();
        } else if (cur->is_number_float()) {
            *cur = it.value().get<double>();
        } else {
            *cur = it.value();
        }
    }
}

// Integers: decimal, 0x hex, 0b binary; optional K/M/G/T suffix (x1024^n).
bool parse_uint(std::string s, uint64_t& out) {
    if (s.empty()) return false;
    unsigned shift = 0;
    switch (s.back()) {
    case 'K': case 'k': shift = 10; break;
    case 'M': case 'm': shift = 20; break;
    case 'G': case 'g': shift = 30; break;
    case 'T': case 't': shift = 40; break;
    default: break;
    }
    if (shift) s.pop_back();
    if (s.empty() || s[0] == '-' || s[0] == '+') return false;
    int base = 10;
    std::string digits = s;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) base = 16, digits = s.substr(2);
    else if (s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) base = 2, digits = s.substr(2);
    errno = 0;
    char* end = nullptr;
    const unsigned long long v = std::strtoull(digits.c_str(), &end, base);
    if (errno || end == digits.c_str() || *end) return false;
    if (shift && (v >> (64 - shift))) return false;
    out = uint64_t(v) << shift;
    return true;
}

uint64_t u64(const json& cfg, const char* path) { return cfg.at(json::json_pointer(path)).get<uint64_t>(); }

}  // namespace

json default_config() {
    const VirtConfig v;
    const cpu::CoreConfig& c = v.core;
    json costs = json::object();
    for (unsigned i = 0; i < cpu::kNumCostClasses; ++i) costs[cpu::CostTable::name(cpu::CostClass(i))] = c.costs.cycles[i];
    json j;
    j["platform"] = "virt";
    j["cpu"] = {
        {"count", v.cores},
        {"clusters", v.clusters},
        {"frequency_hz", c.freq_hz},
        {"counter_hz", c.counter_hz},
        {"midr", c.midr},
        {"pa_bits", c.pa_bits},
        {"compatible", v.cpu_compatible},
        {"quantum_cycles", v.quantum_cycles},
        {"sync_on_device_access", c.sync_on_device_access},
        {"pmu", {{"enabled", c.pmu}, {"counters", c.pmu_counters}}},
        {"speed_cache", c.speed_cache},
        {"max_instructions", v.max_instructions},
        {"costs", costs},
        {"tlb",
         {{"model", c.tlb_model},
          {"combined", c.tlb.combined},
          {"l1i", tlb_json(c.tlb.l1i)},
          {"l1d", tlb_json(c.tlb.l1d)},
          {"l2", tlb_json(c.tlb.l2)},
          {"s1_walk_cache", tlb_json(c.tlb.s1_walk_cache)},
          {"s2_walk_cache", tlb_json(c.tlb.s2_walk_cache)}}},
    };
    j["caches"] = caches_json(c.caches);
    j["ram"] = {{"base", v.ram_base}, {"size", v.ram_bytes}, {"latency_ns", v.ram_latency_ns}};
    j["memory_map"] = {{"flash", region_json(v.map.flash)},     {"gic_dist", region_json(v.map.gic_dist)},
                       {"gic_its", region_json(v.map.gic_its)}, {"gic_redist", region_json(v.map.gic_redist)},
                       {"uart", region_json(v.map.uart)},       {"rtc", region_json(v.map.rtc)}};
    j["gic"] = {{"version", v.gic_version},
                {"lpi_config_cache_entries", v.lpi_cache_entries},
                {"lpi_config_caching", v.lpi_caching == gic::LpiCaching::Eager ? "eager" : "lazy"}};
    j["its"] = {{"command_latency_ns", v.its_command_latency_ns},
                {"device_cache_entries", v.its.device_cache_entries},
                {"collection_cache_entries", v.its.collection_cache_entries},
                {"translation_cache_entries", v.its.translation_cache_entries},
                {"default_device_id", v.its.default_device_id},
                {"seis", v.its.seis}};
    j["boot"] = {{"entry_el", v.entry_el}, {"semihosting", v.semihosting}};
    j["rtc"] = {{"start", v.rtc_start}};
    return j;
}

void merge_config(json& cfg, const json& overlay, const std::string& source) { merge_at(cfg, overlay, "", source); }

void load_config_file(json& cfg, const std::string& path) {
    std::ifstream f(path);
    if (!f) throw Error(fmt::format("--platform: cannot open '{}': {}", path, std::strerror(errno)));
    json overlay;
    try {
        overlay = json::parse(f, nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
    } catch (const json::parse_error& e) {
        // e.what() is "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
        std::string msg = e.what();
        const auto p = msg.find("] ");
        if (p != std::string::npos) msg = msg.substr(p + 2);
        throw Error(fmt::format("--platform '{}': {}", path, msg));
    }
    merge_config(cfg, overlay, fmt::format("--platform '{}'", path));
}

void set_config(json& cfg, const std::string& assignment) {
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
        throw Error(fmt::format("--set '{}': expected KEY.PATH=VALUE", assignment));
    const std::string key = assignment.substr(0, eq), text = assignment.substr(eq + 1);
    json* node = &cfg;
    std::string walked;
    for (size_t start = 0;;) {
        const size_t dot = key.find('.', start);
        const std::string part = key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        walked = join(walked, part);
        if (part.empty() || !node->is_object() || !node->contains(part))
            throw Error(fmt::format("--set: unknown key '{}'", walked));
        node = &(*node)[part];
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    json value;
    const std::string where = fmt::format("--set {}", key);
    if (node->is_boolean()) {
        if (text == "true" || text == "on" || text == "yes" || text == "1") value = true;
        else if (text == "false" || text == "off" || text == "no" || text == "0") value = false;
        else throw Error(fmt::format("{}: '{}' is not a boolean (true/false)", where, text));
    } else if (node->is_number_unsigned()) {
        uint64_t v = 0;
        if (!parse_uint(text, v)) throw Error(fmt::format("{}: '{}' is not a non-negative integer", where, text));
        value = v;
    } else if (node->is_number()) {
        errno = 0;
        char* end = nullptr;
        const double d = std::strtod(text.c_str(), &end);
        if (text.empty() || errno || *end) throw Error(fmt::format("{}: '{}' is not a number", where, text));
        value = d;
    } else if (node->is_string()) {
        value = text;
    } else {
        try {
            value = json::parse(text);
        } catch (const json::parse_error&) {
            throw Error(fmt::format("{}: '{}' is not valid JSON", where, text));
        }
        if (node->is_object()) {
            merge_at(*node, value, key, "--set");
            return;
        }
        if (!same_type(*node, value)) throw Error(fmt::format("{}: expected {}, got {}", where, type_name(*node), type_name(value)));
    }
    *node = value;
}

namespace {

struct Checker {
    const json& cfg;
    uint64_t get(const char* ptr) const { return u64(cfg, ptr); }
    // Key in dotted form for messages: "/cpu/count" -> "cpu.count".
    static std::string key(const char* ptr) {
        std::string k = ptr + 1;
        for (char& ch : k)
            if (ch == '/') ch = '.';
        return k;
    }
    uint64_t range(const char* ptr, uint64_t lo, uint64_t hi) const {
        const uint64_t v = get(ptr);
        if (v < lo || v > hi) throw Error(fmt::format("{}: {} is out of range ({}-{})", key(ptr), v, lo, hi));
        return v;
    }
    static bool pow2(uint64_t v) { return v && !(v & (v - 1)); }
};

cache::CacheConfig cache_level(const Checker& ck, const std::string& name, bool optional) {
    const std::string base = "/caches/" + name, key = "caches." + name;
    cache::CacheConfig g;
    const json& node = ck.cfg.at(json::json_pointer(base));
    if (optional) g.enabled = node["enabled"].get<bool>();
    g.size_bytes = uint32_t(ck.range((base + "/size_bytes").c_str(), 1, 1ull << 30));
    g.ways = uint32_t(ck.range((base + "/ways").c_str(), 1, 64));
    g.line_bytes = uint32_t(ck.range((base + "/line_bytes").c_str(), 16, 2048));
    g.hit_latency = uint32_t(ck.range((base + "/hit_latency").c_str(), 0, 100000));
    const std::string repl = node["replacement"].get<std::string>();
    if (!cache::parse_replacement(repl, g.replacement))
        throw Error(fmt::format("{}.replacement: '{}' is not lru, plru or random", key, repl));
    const std::string bad = g.check();
    if (!bad.empty()) throw Error(fmt::format("{}.{}", key, bad));
    return g;
}

mmu::TlbGeometry tlb_geometry(const Checker& ck, const std::string& name) {
    const std::string base = "/cpu/tlb/" + name;
    const std::string key = "cpu.tlb." + name;
    mmu::TlbGeometry g;
    const uint64_t entries = ck.get((base + "/entries").c_str()), ways = ck.get((base + "/ways").c_str());
    if (entries > 65536) throw Error(fmt::format("{}.entries: {} is out of range (0-65536)", key, entries));
    if (ways > entries) throw Error(fmt::format("{}.ways: {} exceeds entries ({})", key, ways, entries));
    if (entries && ways && (entries % ways || !Checker::pow2(entries / ways)))
        throw Error(fmt::format("{}: entries/ways ({}/{}) must be a power-of-two number of sets", key, entries, ways));
    g.entries = unsigned(entries);
    g.ways = unsigned(ways);
    g.hit_latency = unsigned(ck.range((base + "/hit_latency").c_str(), 0, 1000));
    const std::string repl = ck.cfg.at(json::json_pointer(base + "/replacement")).get<std::string>();
    if (repl == "lru") g.replacement = mmu::Replacement::Lru;
    else if (repl == "random") g.replacement = mmu::Replacement::Random;
    else throw Error(fmt::format("{}.replacement: '{}' is not lru or random", key, repl));
    return g;
}

}  // namespace

VirtConfig virt_config(const json& cfg) {
    // Keys and types were checked when the document was built; a document
    // from elsewhere is checked against the defaults first.
    json full = default_config();
    merge_config(full, cfg, "");
    const Checker ck{full};
    VirtConfig v;
    if (full["platform"] != "virt")
        throw Error(fmt::format("platform: '{}' is not a known platform (known: virt)", full["platform"].get<std::string>()));

    v.cores = unsigned(ck.range("/cpu/count", 1, 64));
    v.clusters = unsigned(ck.range("/cpu/clusters", 1, v.cores));
    if (v.cores % v.clusters)
        throw Error(fmt::format("cpu.clusters: {} cores do not divide into {} clusters", v.cores, v.clusters));
    if (v.cores / v.clusters > 16)
        throw Error(fmt::format("cpu.clusters: {} cores per cluster exceeds 16 (GICv3 affinity 0 range)", v.cores / v.clusters));
    cpu::CoreConfig& c = v.core;
    c.freq_hz = ck.range("/cpu/frequency_hz", 1000, 100'000'000'000ull);
    c.counter_hz = ck.range("/cpu/counter_hz", 1000, c.freq_hz);
    c.midr = uint64_t(ck.range("/cpu/midr", 0, 0xFFFFFFFFull));
    const uint64_t pa = ck.get("/cpu/pa_bits");
    if (pa != 32 && pa != 36 && pa != 40 && pa != 42 && pa != 44 && pa != 48)
        throw Error(fmt::format("cpu.pa_bits: {} is not an ARMv8.0 PA size (32, 36, 40, 42, 44, 48)", pa));
    c.pa_bits = unsigned(pa);
    v.cpu_compatible = full["cpu"]["compatible"].get<std::string>();
    if (v.cpu_compatible.empty()) throw Error("cpu.compatible: must not be empty");
    v.quantum_cycles = ck.range("/cpu/quantum_cycles", 1, 100'000'000);
    c.sync_on_device_access = full["cpu"]["sync_on_device_access"].get<bool>();
    c.pmu = full["cpu"]["pmu"]["enabled"].get<bool>();
    c.pmu_counters = unsigned(ck.range("/cpu/pmu/counters", 1, 31));
    c.speed_cache = full["cpu"]["speed_cache"].get<bool>();
    v.max_instructions = ck.get("/cpu/max_instructions");
    for (unsigned i = 0; i < cpu::kNumCostClasses; ++i) {
        const std::string p = std::string("/cpu/costs/") + cpu::CostTable::name(cpu::CostClass(i));
        c.costs.cycles[i] = uint32_t(ck.range(p.c_str(), 0, 1'000'000));
    }
    cache::HierarchyConfig& h = c.caches;
    h.enabled = full["caches"]["enabled"].get<bool>();
    h.l1i = cache_level(ck, "l1i", false);
    h.l1d = cache_level(ck, "l1d", false);
    h.l1d.write_allocate = full["caches"]["l1d"]["write_allocate"].get<bool>();
    h.l2 = cache_level(ck, "l2", true);
    h.slc = cache_level(ck, "slc", true);
    h.dram_latency = uint32_t(ck.range("/caches/dram_latency", 0, 1'000'000));
    h.snoop_latency = uint32_t(ck.range("/caches/snoop_latency", 0, 1'000'000));
    h.setway_line_cost = uint32_t(ck.range("/caches/setway_line_cost", 0, 1'000'000));
    h.slc_in_clidr = full["caches"]["slc_in_clidr"].get<bool>();
    h.icache_coherent = full["caches"]["icache_coherent"].get<bool>();
    h.gic_its_coherent = full["caches"]["gic_its_coherent"].get<bool>();
    h.seed = ck.get("/caches/seed");
    h.cores_per_cluster = v.cores / v.clusters;
    if (const std::string bad = h.check(); !bad.empty()) throw Error(bad);
    c.tlb_model = full["cpu"]["tlb"]["model"].get<bool>();
    c.tlb.combined = full["cpu"]["tlb"]["combined"].get<bool>();
    c.tlb.l1i = tlb_geometry(ck, "l1i");
    c.tlb.l1d = tlb_geometry(ck, "l1d");
    c.tlb.l2 = tlb_geometry(ck, "l2");
    c.tlb.s1_walk_cache = tlb_geometry(ck, "s1_walk_cache");
    c.tlb.s2_walk_cache = tlb_geometry(ck, "s2_walk_cache");

    const uint64_t pa_limit = 1ull << c.pa_bits;
    v.ram_base = ck.get("/ram/base");
    v.ram_bytes = ck.get("/ram/size");
    if (v.ram_base & 0x1FFFFF) throw Error(fmt::format("ram.base: {:#x} is not 2 MB aligned", v.ram_base));
    if (v.ram_bytes < (2ull << 20) || (v.ram_bytes & 0xFFF) || v.ram_bytes > (255ull << 30))
        throw Error(fmt::format("ram.size: {} bytes is not a multiple of 4 KB between 2 MB and 255 GB", v.ram_bytes));
    if (v.ram_base >= pa_limit || v.ram_bytes > pa_limit - v.ram_base)
        throw Error(fmt::format("ram: {:#x}-{:#x} is beyond the {}-bit physical address space", v.ram_base,
                                v.ram_base + v.ram_bytes, c.pa_bits));
    v.ram_latency_ns = full["ram"]["latency_ns"].get<double>();
    if (!(v.ram_latency_ns >= 0 && v.ram_latency_ns <= 1e6))
        throw Error(fmt::format("ram.latency_ns: {} is out of range (0-1000000)", v.ram_latency_ns));

    std::vector<std::pair<std::string, MemRegion*>> regions = {
        {"flash", &v.map.flash}, {"gic_dist", &v.map.gic_dist}, {"gic_its", &v.map.gic_its},
        {"gic_redist", &v.map.gic_redist}, {"uart", &v.map.uart}, {"rtc", &v.map.rtc}};
    for (auto& [name, r] : regions) {
        const std::string p = "/memory_map/" + name;
        r->base = ck.get((p + "/base").c_str());
        r->size = ck.get((p + "/size").c_str());
        if (r->size == 0 || (r->size & 0xFFF) || (r->base & 0xFFF))
            throw Error(fmt::format("memory_map.{}: base {:#x} and size {:#x} must be non-zero multiples of 4 KB", name,
                                    r->base, r->size));
        if (r->base >= pa_limit || r->size > pa_limit - r->base)
            throw Error(fmt::format("memory_map.{}: {:#x}-{:#x} is beyond the {}-bit physical address space", name, r->base,
                                    r->base + r->size, c.pa_bits));
    }
    if (v.map.flash.size & 0x1FFF) throw Error("memory_map.flash.size: must split into two banks of 4 KB multiples");
    v.gic_version = unsigned(ck.get("/gic/version"));
    if (v.gic_version != 3 && v.gic_version != 4)
        throw Error(fmt::format("gic.version: {} is not 3 or 4", v.gic_version));
    if (uint64_t(v.cores) * v.redistributor_stride() > v.map.gic_redist.size)
        throw Error(fmt::format("cpu.count: {} redistributors of {:#x} bytes do not fit memory_map.gic_redist (size {:#x})",
                                v.cores, v.redistributor_stride(), v.map.gic_redist.size));
    MemRegion ram{v.ram_base, v.ram_bytes};
    regions.push_back({"ram", &ram});
    for (size_t i = 0; i < regions.size(); ++i)
        for (size_t k = i + 1; k < regions.size(); ++k) {
            const MemRegion &a = *regions[i].second, &b = *regions[k].second;
            if (a.base < b.base + b.size && b.base < a.base + a.size) {
                const std::string ka = regions[i].first == "ram" ? "ram" : "memory_map." + regions[i].first;
                const std::string kb = regions[k].first == "ram" ? "ram" : "memory_map." + regions[k].first;
                throw Error(fmt::format("{}: {:#x}-{:#x} overlaps {} ({:#x}-{:#x})", kb, b.base, b.base + b.size, ka,
                                        a.base, a.base + a.size));
            }
        }

    v.lpi_cache_entries = unsigned(ck.range("/gic/lpi_config_cache_entries", 1, 65536));
    const std::string caching = full["gic"]["lpi_config_caching"].get<std::string>();
    if (caching == "lazy") v.lpi_caching = gic::LpiCaching::Lazy;
    else if (caching == "eager") v.lpi_caching = gic::LpiCaching::Eager;
    else throw Error(fmt::format("gic.lpi_config_caching: '{}' is not lazy or eager", caching));
    v.its_command_latency_ns = full["its"]["command_latency_ns"].get<double>();
    if (!(v.its_command_latency_ns >= 0 && v.its_command_latency_ns <= 1e9))
        throw Error(fmt::format("its.command_latency_ns: {} is out of range (0-1000000000)", v.its_command_latency_ns));
    v.its.device_cache_entries = unsigned(ck.range("/its/device_cache_entries", 0, 65536));
    v.its.collection_cache_entries = unsigned(ck.range("/its/collection_cache_entries", 0, 65536));
    v.its.translation_cache_entries = unsigned(ck.range("/its/translation_cache_entries", 0, 65536));
    v.its.default_device_id = uint32_t(ck.range("/its/default_device_id", 0, 0xFFFF));
    v.its.seis = full["its"]["seis"].get<bool>();
    v.its.virtual_lpis = v.gic_version == 4;

    v.entry_el = unsigned(ck.range("/boot/entry_el", 1, 3));
    v.semihosting = full["boot"]["semihosting"].get<bool>();
    v.rtc_start = uint32_t(ck.range("/rtc/start", 0, 0xFFFFFFFFull));
    return v;
}

}  // namespace hvsim::platform
