// Event tracing: named categories, off by default and free when off (one
// test of a bit), lines written in simulated time so that the same inputs
// give the same trace.
//
//   if (trace.on(Trace::kTlb)) trace.emit(Trace::kTlb, cycles, core, "fill va={:#x}", va);
//
// Three formats. Text: "CYCLES cpuN CATEGORY message". JSON Lines (schema:
// docs/schemas/trace.schema.json): one object per event with the simulated
// time in picoseconds, the core's cycle count, the core, the category and
// the message's fields: every `key=value` word becomes a field (a number
// when the value is decimal digits, else a string) and the other words,
// joined by single spaces, are the field `event`. Perfetto: the Chrome
// trace-event JSON object format ({"traceEvents": [...]}, perfetto.cc), one
// track (tid) per core stamped with the core's local time (cycles times its
// clock period) and one per device (GIC, ITS, UART, the memory system's
// events of no core) stamped with the device's simulated time; events are
// instants (ph "i") with the same name and fields as in JSON Lines, ITS
// commands complete events (ph "X") from start to completion. The file is
// streamed and closed by finish() (or the destructor).
//
// Filters (set_filter, all must hold): core=N, el=N (the core's EL at the
// event), pc=LO-HI (the core's PC, LO <= pc < HI), time=T0-T1 (simulated
// time with a unit: ps, ns, us, ms or s; T0 <= t < T1), vmid=N|none (N: the
// core executes at EL1 or EL0 under EL1&0 stage 2 translation with
// VTTBR_EL2.VMID = N; none: it does not, i.e. it runs at EL2 or EL3 or with
// stage 2 off). EL, PC and VMID come from the platform's core context
// (set_core_context): with an el, pc or vmid filter, or a core filter,
// events of no core (devices' own events) are left out.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace hvsim {

class Trace {
public:
    enum Category : uint32_t {
        kExc = 1u << 0,    // exceptions taken and returned
        kTlb = 1u << 1,    // TLB fills and hits by level, evictions
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
        kTlbi = 1u << 14,  // each TLBI executed or received: operand decoded, scope, entries removed
        kMmu = 1u << 15,   // writes that change a translation control register: old and new value
        kUart = 1u << 16,  // PL011 bytes transmitted and received
    };
    enum class Format { Text, Jsonl, Perfetto };
    // The core of an event that belongs to no core (another master's cache
    // traffic); printed as core 0 in text and JSON Lines.
    static constexpr unsigned kNoCore = ~0u;

    Trace() = default;
    Trace(const Trace&) = delete;
    Trace& operator=(const Trace&) = delete;
    ~Trace() { finish(); }

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
    // What the filters need of core `core` now; false if there is no such core.
    struct CoreState {
        unsigned el = 0;
        uint64_t pc = 0;
        bool stage2 = false;  // EL0/EL1 under EL1&0 stage 2 translation
        unsigned vmid = 0;    // VTTBR_EL2.VMID, meaningful with stage2
    };
    using CoreContext = std::function<bool(unsigned core, CoreState& state)>;
    void set_core_context(CoreContext f) { core_context_ = std::move(f); }
    // Each core's clock period in ps (Perfetto timestamps of core events);
    // also the number of core tracks.
    void set_core_periods_ps(std::vector<double> periods) { core_period_ps_ = std::move(periods); }
    // Perfetto: writes the end of the trace-event array; idempotent.
    void finish();

    bool on(Category c) const { return (mask_ & c) != 0; }

    template <typename... Args>
    void emit(Category c, uint64_t cycles, unsigned core, fmt::format_string<Args...> f, Args&&... args) {
        if (filtered_ && !passes(core)) return;
        if (format_ != Format::Text) {
            record(c, cycles, core, fmt::format(f, std::forward<Args>(args)...), nullptr);
            return;
        }
        fmt::print(out_, "{:>12} cpu{} {:<6} ", cycles, core == kNoCore ? 0 : core, name(c));
        fmt::print(out_, f, std::forward<Args>(args)...);
        std::fputc('\n', out_);
    }

    // For device models without a core clock (the GIC's, the ITS's and the
    // UART's own events): simulated time in ns in place of the cycle count
    // and the core (in JSON Lines: cycles 0 and core 0, with the simulated
    // time; in Perfetto: the device's track at `ns`).
    template <typename... Args>
    void emit_ns(Category c, uint64_t ns, fmt::format_string<Args...> f, Args&&... args) {
        emit_span_ns(c, ns, ns, f, std::forward<Args>(args)...);
    }
    // A device event with a duration, stamped `end_ns` in text (Perfetto: a
    // complete event from `start_ns`).
    template <typename... Args>
    void emit_span_ns(Category c, uint64_t start_ns, uint64_t end_ns, fmt::format_string<Args...> f, Args&&... args) {
        if (filtered_ && !passes(kNoCore)) return;
        if (format_ != Format::Text) {
            const Span span{start_ns, end_ns};
            record(c, 0, kNoCore, fmt::format(f, std::forward<Args>(args)...), &span);
            return;
        }
        fmt::print(out_, "{:>10}ns {:<6} ", end_ns, name(c));
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
    struct Span {
        uint64_t start_ns, end_ns;
    };
    bool passes(unsigned core) const;
    // A JSON Lines or Perfetto event; `span`: a device event (emit_span_ns).
    void record(Category c, uint64_t cycles, unsigned core, const std::string& message, const Span* span);
    void perfetto_event(Category c, uint64_t cycles, unsigned core, const std::string& message, const Span* span);
    void perfetto_begin();
    void perfetto_track(unsigned tid, const std::string& name);

    uint32_t mask_ = 0;
    std::FILE* out_ = stderr;
    Format format_ = Format::Text;
    std::function<uint64_t()> clock_ps_;
    bool filtered_ = false;
    std::optional<unsigned> filter_core_, filter_el_;
    std::optional<Range> filter_pc_, filter_time_ps_;
    std::optional<unsigned> filter_vmid_;  // kVmidNone: no stage 2
    static constexpr unsigned kVmidNone = ~0u;
    CoreContext core_context_;
    std::vector<double> core_period_ps_;
    bool perfetto_open_ = false, perfetto_closed_ = false;
    std::vector<unsigned> perfetto_tracks_;  // device tracks named so far
};

}  // namespace hvsim
