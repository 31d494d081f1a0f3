// Measured scenarios (docs/scenarios.md): a firmware program (an EL2 test
// hypervisor and its guests) whose variants are protocols a hypervisor
// might use, each declared correct or wrong. A scenario is described by a
// JSON file beside its firmware (firmware/scenarios/NAME.json, installed in
// the build's firmware/scenarios/): its variants, the checkers that judge
// them, its core count and any configuration it needs. `hvsim --scenario
// NAME --variant V` runs it; the variant reaches the firmware as its
// semihosting command line, and the run ends with a verdict: a correct
// variant must finish with every checker silent (and its `correct` metric,
// if it reports one, 1); a wrong variant must be caught by its checker.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hvsim::platform {

class Annotations;

struct ScenarioVariant {
    std::string name, summary;
    bool wrong = false;       // a protocol error its checker must catch
    std::string checker;      // for a wrong variant: the checker that catches it
};

struct Scenario {
    std::string name, title, summary;
    std::string firmware;     // path of the ELF
    unsigned cpus = 1;
    std::vector<std::string> checkers;  // enabled for every variant
    std::vector<std::string> sets;      // KEY=VALUE configuration, as --set
    std::vector<std::string> args;      // KEY=VALUE firmware arguments (defaults)
    std::vector<ScenarioVariant> variants;

    // The variant called `name`; an hvsim::Error listing the known ones.
    const ScenarioVariant& variant(const std::string& name) const;
    nlohmann::json json() const;
};

// The checker names `--check` knows.
const std::vector<std::string>& known_checkers();

// Reads one description; every problem is an hvsim::Error naming the file.
Scenario load_scenario(const std::string& json_path);
// Every NAME.json in `dir`, sorted by name.
std::vector<Scenario> load_scenarios(const std::string& dir);

// The semihosting command line of a run: "variant=V cpus=N" then the
// scenario's default arguments overridden by `args` (KEY=VALUE each; a key
// the scenario does not declare is an error).
std::string scenario_command_line(const Scenario& s, const ScenarioVariant& v, unsigned cpus,
                                  const std::vector<std::string>& args);

struct ScenarioVerdict {
    bool as_expected = false;
    std::string why;
};
// `reports`: {checker name: protocol errors reported} for the enabled
// checkers; `exit_code`: the firmware's exit status.
ScenarioVerdict judge_scenario(const Scenario& s, const ScenarioVariant& v, int exit_code,
                               const nlohmann::json& reports, const Annotations& annotations);

}  // namespace hvsim::platform
