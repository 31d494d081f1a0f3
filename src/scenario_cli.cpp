#include "scenario_cli.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "models/common/error.h"
#include "platforms/config.h"
#include "platforms/virt.h"

namespace hvsim::cli {

std::string default_scenario_dir(const std::string& exe_dir) { return exe_dir + "/firmware/scenarios"; }

void list_scenarios(const std::string& dir, const std::string& format, std::ostream& out) {
    const std::vector<platform::Scenario> all = platform::load_scenarios(dir);
    if (format == "json") {
        nlohmann::json j = nlohmann::json::array();
        for (const platform::Scenario& s : all) j.push_back(s.json());
        out << j.dump(2) << "\n";
        return;
    }
    if (format != "text") throw Error(fmt::format("--list-scenarios: unknown format '{}' (known: text, json)", format));
    for (const platform::Scenario& s : all) {
        out << fmt::format("{} ({} core{}; checkers: {}): {}\n", s.name, s.cpus, s.cpus == 1 ? "" : "s", fmt::join(s.checkers, ", "), s.title);
        for (const platform::ScenarioVariant& v : s.variants)
            out << fmt::format("  {:<16} {:<8} {}\n", v.name, v.wrong ? "wrong" : "correct", v.summary);
    }
}

ScenarioRun::ScenarioRun(const std::string& dir, const std::string& name, const std::string& variant) {
    bool found = false;
    std::string known;
    for (platform::Scenario& s : platform::load_scenarios(dir)) {
        known += (known.empty() ? "" : ", ") + s.name;
        if (s.name == name) {
            s_ = std::move(s);
            found = true;
        }
    }
    if (!found) throw Error(fmt::format("--scenario: no scenario '{}' in {} (known: {})", name, dir, known.empty() ? "none" : known));
    if (variant.empty()) {
        std::string vs;
        for (const auto& v : s_.variants) vs += (vs.empty() ? "" : ", ") + v.name;
        throw Error(fmt::format("--scenario {}: give --variant (known: {})", name, vs));
    }
    v_ = &s_.variant(variant);
}

void ScenarioRun::configure(nlohmann::json& config) const {
    config["cpu"]["count"] = s_.cpus;
    for (const std::string& a : s_.sets) platform::set_config(config, a);
}

std::string ScenarioRun::command_line(unsigned cpus, const std::vector<std::string>& args) const {
    return platform::scenario_command_line(s_, *v_, cpus, args);
}

int ScenarioRun::finish(int status, const platform::VirtPlatform& platform, nlohmann::json& stats,
                        const std::string& cmdline, std::ostream& err) const {
    const nlohmann::json reports = platform.checker_reports();
    const platform::ScenarioVerdict verdict = platform::judge_scenario(s_, *v_, status, reports, platform.annotations());
    nlohmann::json j = {{"name", s_.name},
                        {"variant", v_->name},
                        {"expect", v_->wrong ? "caught" : "correct"},
                        {"command_line", cmdline},
                        {"checker_reports", reports},
                        {"as_expected", verdict.as_expected},
                        {"verdict", verdict.why}};
    if (v_->wrong) j["checker"] = v_->checker;
    stats["scenario"] = j;
    err << fmt::format("hvsim: scenario {} variant {} ({}): {}: {}\n", s_.name, v_->name,
                       v_->wrong ? "wrong, caught by " + v_->checker : std::string("correct"),
                       verdict.as_expected ? "as expected" : "NOT as expected", verdict.why);
    if (status != 0) return status;
    return verdict.as_expected ? 0 : 1;
}

}  // namespace hvsim::cli
