// The coherency hazard checker (opt-in, `--check coherency`): the hierarchy
// detects the hazards, this class reports each once per line and kind, with
// time, core, PC and address, to a stream (stderr by default).
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <utility>

#include "hierarchy.h"

namespace hvsim::cache {

enum class Hazard : uint8_t {
    // A read around the caches got older data than a dirty cached copy.
    StaleReadAroundCaches,
    // A cached copy was read after a newer write went to DRAM beneath it.
    StaleCachedCopy,
    // An instruction was fetched from an L1I line whose bytes were since
    // rewritten through the data side with no IC invalidation.
    StaleInstruction,
    // A set/way clean left the line's dirty data in the SLC, short of the
    // Point of Coherency that software expects to reach.
    SetWayCleanStoppedAtSlc,
    Count
};
const char* hazard_name(Hazard h);

class CoherencyChecker {
public:
    explicit CoherencyChecker(std::FILE* out = stderr) : out_(out) {}
    void set_output(std::FILE* f) { out_ = f; }
    void set_trace(Trace* t) { trace_ = t; }
    // Reports unless this hazard was reported for this line before.
    void report(Hazard h, uint64_t line, const Who& who, const std::string& detail);
    uint64_t reports() const { return total_; }
    uint64_t reports(Hazard h) const { return counts_[static_cast<size_t>(h)]; }

private:
    std::FILE* out_;
    Trace* trace_ = nullptr;
    std::set<std::pair<uint8_t, uint64_t>> seen_;
    std::array<uint64_t, static_cast<size_t>(Hazard::Count)> counts_{};
    uint64_t total_ = 0;
};

}  // namespace hvsim::cache
