// The front door of measured scenarios (platforms/scenario.h,
// docs/scenarios.md): --list-scenarios, --scenario NAME --variant V
// [--scenario-arg KEY=VALUE]. Kept out of main.cpp, which only calls these.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "platforms/scenario.h"

namespace hvsim::platform {
class VirtPlatform;
}

namespace hvsim::cli {

// build/firmware/scenarios next to build/hvsim.
std::string default_scenario_dir(const std::string& exe_dir);

// `format`: "text" (a table for people) or "json" (for scripts/report).
void list_scenarios(const std::string& dir, const std::string& format, std::ostream& out);

class ScenarioRun {
public:
    ScenarioRun(const std::string& dir, const std::string& name, const std::string& variant);

    const platform::Scenario& scenario() const { return s_; }
    const platform::ScenarioVariant& variant() const { return *v_; }

    // Before --smp/--set: the scenario's core count and configuration.
    void configure(nlohmann::json& config) const;
    // The firmware's command line for `cpus` cores and the user's arguments.
    std::string command_line(unsigned cpus, const std::vector<std::string>& args) const;
    // After the run: the verdict (printed on stderr) and the "scenario"
    // section of the statistics; returns the exit status of hvsim.
    int finish(int status, const platform::VirtPlatform& platform, nlohmann::json& stats, const std::string& cmdline,
               std::ostream& err) const;

private:
    platform::Scenario s_;
    const platform::ScenarioVariant* v_ = nullptr;
};

}  // namespace hvsim::cli
