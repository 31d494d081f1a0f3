#include "stats_summary.h"

#include <cstdint>

#include <fmt/format.h>

namespace hvsim {

namespace {
uint64_t u(const nlohmann::json& j, const char* key) { return j.contains(key) ? j[key].get<uint64_t>() : 0; }

std::string hits_misses(const nlohmann::json& j) { return fmt::format("{}/{}", u(j, "hits"), u(j, "misses")); }

// "NAME N, NAME N" over an object of counts or of objects with `field`.
std::string by_name(const nlohmann::json& j, const char* field = nullptr) {
    std::string s;
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (!s.empty()) s += ", ";
        s += fmt::format("{} {}", it.key(), field ? u(it.value(), field) : it.value().get<uint64_t>());
    }
    return s.empty() ? "none" : s;
}
}  // namespace

std::string stats_summary(const nlohmann::json& j) {
    std::string s;
    s += fmt::format("hvsim: stats: exit {} ({}); {:.6f} s simulated; {} instructions in {:.2f} s host ({:.1f} MIPS)\n",
                     j["exit"]["code"].get<int>(), j["exit"]["reason"].get<std::string>(),
                     j["simulated_seconds"].get<double>(), u(j, "instructions"), j["host"]["seconds"].get<double>(),
                     j["host"]["mips"].get<double>());
    unsigned n = 0;
    for (const auto& c : j["cores"]) {
        const uint64_t cycles = u(c, "cycles"), insns = u(c, "instructions");
        s += fmt::format("hvsim: stats: cpu{}: {} instructions, {} cycles ({} asleep), IPC {:.3f}, {} undefined\n", n, insns,
                         cycles, u(c, "idle_cycles"), cycles ? double(insns) / double(cycles) : 0.0,
                         u(c, "undefined_instructions"));
        std::string els;
        for (unsigned el = 0; el < 4; ++el) {
            const auto& e = c["el"][std::to_string(el)];
            if (!u(e, "instructions") && !u(e, "exceptions_taken_to")) continue;
            els += fmt::format("{}EL{} {} insns/{} cycles/{} exceptions taken", els.empty() ? "" : "; ", el,
                               u(e, "instructions"), u(e, "cycles"), u(e, "exceptions_taken_to"));
        }
        if (!els.empty()) s += fmt::format("hvsim: stats: cpu{}: {}\n", n, els);
        const auto& m = c["mmu"];
        s += fmt::format("hvsim: stats: cpu{}: TLB hits/misses L1I {}, L1D {}, L2 {}; walk caches S1 {}, S2 {}; {} walks ({} "
                         "reads, {} cycles); {} faults ({} stage 2)\n",
                         n, hits_misses(m["l1i_tlb"]), hits_misses(m["l1d_tlb"]), hits_misses(m["l2_tlb"]),
                         hits_misses(m["s1_walk_cache"]), hits_misses(m["s2_walk_cache"]), u(m, "walks"), u(m, "walk_reads"),
                         u(m, "walk_cycles"), u(m, "faults"), u(m, "stage2_faults"));
        if (!m["tlbi"].empty()) s += fmt::format("hvsim: stats: cpu{}: TLBI {}\n", n, by_name(m["tlbi"], "count"));
        ++n;
    }
    if (j.contains("memory_hierarchy")) {
        const auto& h = j["memory_hierarchy"];
        std::string caches;
        for (auto it = h["caches"].begin(); it != h["caches"].end(); ++it)
            caches += fmt::format("{}{} {} ({} wb)", caches.empty() ? "" : ", ", it.key(), hits_misses(it.value()),
                                  u(it.value(), "writebacks"));
        s += fmt::format("hvsim: stats: caches hits/misses: {}\n", caches);
        if (h.contains("cmo")) s += fmt::format("hvsim: stats: cache maintenance ops: {}\n", by_name(h["cmo"], "ops"));
        s += fmt::format("hvsim: stats: DRAM: {} line reads, {} line writes, {} reads and {} writes around the caches\n",
                         u(h["dram"], "line_reads"), u(h["dram"], "line_writes"), u(h["dram"], "around_reads"),
                         u(h["dram"], "around_writes"));
    }
    s += fmt::format("hvsim: stats: GIC: {} acknowledged, {} spurious, {} SGIs; ITS: commands {}, {} translations, {} "
                     "errors\n",
                     u(j["gic"], "acknowledged"), u(j["gic"], "spurious"), u(j["gic"], "sgis_sent"), by_name(j["its"]["commands"]),
                     u(j["its"], "translations"), u(j["its"], "errors"));
    s += fmt::format("hvsim: stats: UART: {} bytes out, {} bytes in\n", u(j, "uart_bytes"), u(j, "uart_bytes_received"));
    if (j.contains("stale_translation_reports"))
        s += fmt::format("hvsim: stats: stale translations reported: {}\n", u(j, "stale_translation_reports"));
    if (j.contains("coherency_reports"))
        s += fmt::format("hvsim: stats: coherency reports: {}\n", by_name(j["coherency_reports"]));
    return s;
}

}  // namespace hvsim
