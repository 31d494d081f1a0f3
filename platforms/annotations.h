// Guest annotations for measured scenarios: named regions (the cycles and
// instructions a core spends between a begin and an end mark) and named
// metrics (values the guest software reports: commands it issued, faults it
// handled, whether it saw correct data). The guest marks them through
// hvsim's semihosting extension operations (platforms/semihosting.h,
// docs/scenarios.md); they land in the statistics under "annotations".
//
// A region's marks pair per core and by name, and regions may nest. Guest
// misuse has a defined outcome: an end with no matching begin, a begin
// nested deeper than kMaxDepth, or a name that is not a readable string is
// counted in `errors` and otherwise ignored.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hvsim::platform {

class Annotations {
public:
    static constexpr unsigned kMaxDepth = 16;

    explicit Annotations(unsigned cores) : open_(cores) {}

    void begin(unsigned core, const std::string& name, uint64_t cycles, uint64_t insns);
    void end(unsigned core, const std::string& name, uint64_t cycles, uint64_t insns);
    void set_metric(const std::string& name, int64_t value) { metrics_[name] = value; }
    void add_metric(const std::string& name, int64_t value) { metrics_[name] += value; }
    void error() { ++errors_; }

    bool has_metric(const std::string& name) const { return metrics_.count(name) != 0; }
    int64_t metric(const std::string& name) const;
    bool empty() const { return regions_.empty() && metrics_.empty() && errors_ == 0; }
    // {"regions": {name: {count, cycles, instructions, min_cycles,
    // max_cycles}}, "metrics": {name: value}, "errors": n}
    nlohmann::json json() const;

private:
    struct Open {
        std::string name;
        uint64_t cycles, insns;
    };
    struct Region {
        uint64_t count = 0, cycles = 0, insns = 0, min_cycles = UINT64_MAX, max_cycles = 0;
    };
    std::vector<std::vector<Open>> open_;  // per core, innermost last
    std::map<std::string, Region> regions_;
    std::map<std::string, int64_t> metrics_;
    uint64_t errors_ = 0;
};

}  // namespace hvsim::platform
