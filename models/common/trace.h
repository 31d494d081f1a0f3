// Event tracing: named categories, off by default and free when off (one
// test of a bit), lines written in simulated time so that the same inputs
// give the same trace.
//
//   if (trace.on(Trace::kTlb)) trace.emit(Trace::kTlb, cycles, core, "fill va={:#x}", va);
#pragma once

#include <cstdint>
#include <cstdio>
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
    };

    // Parses "exc,tlb,walk" (or "all"); returns false and the bad name.
    bool enable(const std::string& list, std::string& bad);
    void set_output(std::FILE* f) { out_ = f; }

    bool on(Category c) const { return (mask_ & c) != 0; }

    template <typename... Args>
    void emit(Category c, uint64_t cycles, unsigned core, fmt::format_string<Args...> f, Args&&... args) {
        fmt::print(out_, "{:>12} cpu{} {:<6} ", cycles, core, name(c));
        fmt::print(out_, f, std::forward<Args>(args)...);
        std::fputc('\n', out_);
    }

    // For device models without a core clock (the GIC's and the ITS's own
    // events): simulated time in ns in place of the cycle count and the core.
    template <typename... Args>
    void emit_ns(Category c, uint64_t ns, fmt::format_string<Args...> f, Args&&... args) {
        fmt::print(out_, "{:>10}ns {:<6} ", ns, name(c));
        fmt::print(out_, f, std::forward<Args>(args)...);
        std::fputc('\n', out_);
    }

    static const char* name(Category c);

private:
    uint32_t mask_ = 0;
    std::FILE* out_ = stderr;
};

}  // namespace hvsim
