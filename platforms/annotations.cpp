#include "annotations.h"

#include <algorithm>

namespace hvsim::platform {

void Annotations::begin(unsigned core, const std::string& name, uint64_t cycles, uint64_t insns) {
    if (core >= open_.size() || open_[core].size() >= kMaxDepth) {
        ++errors_;
        return;
    }
    open_[core].push_back({name, cycles, insns});
}

void Annotations::end(unsigned core, const std::string& name, uint64_t cycles, uint64_t insns) {
    if (core >= open_.size()) {
        ++errors_;
        return;
    }
    std::vector<Open>& stack = open_[core];
    const auto it = std::find_if(stack.rbegin(), stack.rend(), [&](const Open& o) { return o.name == name; });
    if (it == stack.rend()) {
        ++errors_;
        return;
    }
    Region& r = regions_[name];
    const uint64_t c = cycles - it->cycles;
    ++r.count;
    r.cycles += c;
    r.insns += insns - it->insns;
    r.min_cycles = std::min(r.min_cycles, c);
    r.max_cycles = std::max(r.max_cycles, c);
    // Regions opened inside this one and never closed are abandoned.
    stack.erase(std::next(it).base(), stack.end());
}

int64_t Annotations::metric(const std::string& name) const {
    const auto it = metrics_.find(name);
    return it == metrics_.end() ? 0 : it->second;
}

nlohmann::json Annotations::json() const {
    nlohmann::json regions = nlohmann::json::object();
    for (const auto& [name, r] : regions_)
        regions[name] = {{"count", r.count},       {"cycles", r.cycles},         {"instructions", r.insns},
                         {"min_cycles", r.min_cycles}, {"max_cycles", r.max_cycles}};
    nlohmann::json metrics = nlohmann::json::object();
    for (const auto& [name, v] : metrics_) metrics[name] = v;
    return {{"regions", regions}, {"metrics", metrics}, {"errors", errors_}};
}

}  // namespace hvsim::platform
