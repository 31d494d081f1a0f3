// Event tracing: named categories, off by default and free when off (one
// test of a bit), lines written in simulated time so that the same inputs
// give the same trace.
//
//   if (trace.on(Trace::kTlb)) trace.emit(Trace::kTlb, cycles, core, "fill va={:#x}", va);
//
// Two formats. Text: "CYCLES cpuN CATEGORY message". JSON Lines (schema:
// docs/schemas/trace.schema.json): one object per event with the simulated
// time in picoseconds, the core's cycle count, the core, the category and
// the message's fields: every `key=value` word becomes a field (a number
// when the value is decimal digits, else a string) and the other words,
// joined by single spaces, are the field `event`.
//
// Filters (set_filter, all must hold): core=N, el=N (the core's EL at the
// event), pc=LO-HI (the core's PC, LO <= pc < HI), time=T0-T1 (simulated
// time with a unit: ps, ns, us, ms or s; T0 <= t < T1). EL and PC come from
// the platform's core context (set_core_context): with an el or pc filter,
// events of no known core are left out.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>

#include <fmt/format.h>

namespace hvsim {

class Trace {
public:
    enum Category : uint32_t {
        kExc = 1u << 0,    // exceptions taken and returned
        kTlb = 1u << 1,    // TLB fills, hits by level, evictions, TLBI
        kWalk = 1u << 2,   // page-table walks
        kFault = 1u << 3,  // translation/permission faults
        kSysreg = 1u << 4, // system register writes
        kStale = 1u << 5,  // staleness checker reports
        kCache = 1u << 6,  // cache misses, fills, evictions, writebacks, snoops
        kCmo = 1u << 7,    // cache maintenance: scope, level reached, lines affected
        kCoherency = 1u << 8,  // coherency checker reports
        kIts = 1u << 9,    // ITS commands: decoded fields, start and completion, cache effects
        kGic = 1u << 10,   // interrupt lives: pending, activated, EOI, deactivated (and virtual ones)
        kInsn = 1u << 11,  // every instruction retired, disassembled (not in "all")
        kPsci = 1u << 12,  // PSCI calls handled by the platform: function, arguments, result
        kTimer = 1u << 13, // generic timer interrupt lines: which timer, level
    };
    enum class Format { Text, Jsonl };

    // Parses "exc,tlb,walk" (or "all": every category but insn); returns
    // false and the bad name.
    bool enable(const std::string& list, std::string& bad);
    void set_output(std::FILE* f) { out_ = f; }
    void set_format(Format f) { format_ = f; }
    // Simulated time in picoseconds, for the JSON Lines format and filters.
    void set_clock(std::function<uint64_t()> ps) { clock_ps_ = std::move(ps); }
    // Parses "core=0,el=2,pc=0x40000000-0x40100000,time=1ms-2ms"; returns
    // false and a one-line description of the problem.
    bool set_filter(const std::string& spec, std::string& error);
    // The EL and PC of core `core` now; false if there is no such core.
    using CoreContext = std::function<bool(unsigned core, unsigned& el, uint64_t& pc)>;
    void set_core_context(CoreContext f) { core_context_ = std::move(f); }

    bool on(Category c) const { return (mask_ & c) != 0; }

    template <typename... Args>
    void emit(Category c, uint64_t cycles, unsigned core, fmt::format_string<Args...> f, Args&&... args) {
        if (filtered_ && !passes(core)) return;
        if (format_ == Format::Jsonl) {
            emit_jsonl(c, cycles, core, fmt::format(f, std::forward<Args>(args)...));
            return;
        }
        fmt::print(out_, "{:>12} cpu{} {:<6} ", cycles, core, name(c));
        fmt::print(out_, f, std::forward<Args>(args)...);
        std::fputc('\n', out_);
    }

    // For device models without a core clock (the GIC's and the ITS's own
    // events): simulated time in ns in place of the cycle count and the core
    // (in JSON Lines: cycles 0 and core 0, with the simulated time).
    template <typename... Args>
    void emit_ns(Category c, uint64_t ns, fmt::format_string<Args...> f, Args&&... args) {
        if (filtered_ && !passes(0)) return;
        if (format_ == Format::Jsonl) {
            emit_jsonl(c, 0, 0, fmt::format(f, std::forward<Args>(args)...));
            return;
        }
        fmt::print(out_, "{:>10}ns {:<6} ", ns, name(c));
        fmt::print(out_, f, std::forward<Args>(args)...);
        std::fputc('\n', out_);
    }
    // An `insn` event: "MNEMONIC OPERANDS pc=... word=..." (capstone).
    void insn(uint64_t cycles, unsigned core, uint64_t pc, uint32_t word);
    static std::string disassemble(uint64_t pc, uint32_t word);

    static const char* name(Category c);
    // The JSON Lines record of one event (no newline).
    std::string jsonl_record(Category c, uint64_t cycles, unsigned core, const std::string& message) const;

private:
    struct Range {
        uint64_t lo = 0, hi = 0;  // [lo, hi)
        bool contains(uint64_t v) const { return v >= lo && v < hi; }
    };
    bool passes(unsigned core) const;
    void emit_jsonl(Category c, uint64_t cycles, unsigned core, const std::string& message);

    uint32_t mask_ = 0;
    std::FILE* out_ = stderr;
    Format format_ = Format::Text;
    std::function<uint64_t()> clock_ps_;
    bool filtered_ = false;
    std::optional<unsigned> filter_core_, filter_el_;
    std::optional<Range> filter_pc_, filter_time_ps_;
    CoreContext core_context_;
};

}  // namespace hvsim
