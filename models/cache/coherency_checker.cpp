#include "coherency_checker.h"

#include <fmt/format.h>

namespace hvsim::cache {

const char* hazard_name(Hazard h) {
    switch (h) {
    case Hazard::StaleReadAroundCaches: return "stale-read-around-caches";
    case Hazard::StaleCachedCopy: return "stale-cached-copy";
    case Hazard::StaleInstruction: return "stale-instruction";
    case Hazard::SetWayCleanStoppedAtSlc: return "setway-clean-stopped-at-slc";
    case Hazard::Count: break;
    }
    return "?";
}

void CoherencyChecker::report(Hazard h, uint64_t line, const Who& who, const std::string& detail) {
    if (!seen_.insert({static_cast<uint8_t>(h), line}).second) return;
    ++counts_[static_cast<size_t>(h)];
    ++total_;
    const std::string by = who.core == Who::kNoCore ? std::string("master") : fmt::format("cpu{}", who.core);
    const std::string msg =
        fmt::format("coherency: {} line {:#x} at cycle {} by {} pc {:#x}: {}", hazard_name(h), line, who.cycles, by, who.pc, detail);
    if (out_) fmt::print(out_, "hvsim: {}\n", msg);
    if (trace_ && trace_->on(Trace::kCoherency))
        trace_->emit(Trace::kCoherency, who.cycles, who.core == Who::kNoCore ? 0 : who.core, "{}", msg);
}

}  // namespace hvsim::cache
