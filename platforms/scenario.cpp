#include "scenario.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "annotations.h"
#include "models/common/error.h"

namespace hvsim::platform {

namespace {

std::string str(const nlohmann::json& j, const char* key, const std::string& file, bool required = true) {
    if (!j.contains(key)) {
        if (required) throw Error(fmt::format("scenario '{}': missing \"{}\"", file, key));
        return {};
    }
    if (!j[key].is_string() || j[key].get<std::string>().empty())
        throw Error(fmt::format("scenario '{}': \"{}\" must be a non-empty string", file, key));
    return j[key].get<std::string>();
}

std::vector<std::string> strings(const nlohmann::json& j, const char* key, const std::string& file) {
    std::vector<std::string> out;
    if (!j.contains(key)) return out;
    if (!j[key].is_array()) throw Error(fmt::format("scenario '{}': \"{}\" must be an array of strings", file, key));
    for (const auto& e : j[key]) {
        if (!e.is_string()) throw Error(fmt::format("scenario '{}': \"{}\" must be an array of strings", file, key));
        out.push_back(e.get<std::string>());
    }
    return out;
}

bool is_assignment(const std::string& a) {
    const auto eq = a.find('=');
    return eq != std::string::npos && eq > 0 && a.find_first_of(" \t") == std::string::npos;
}

}  // namespace

const std::vector<std::string>& known_checkers() {
    static const std::vector<std::string> k{"stale", "coherency", "its", "emulation"};
    return k;
}

const ScenarioVariant& Scenario::variant(const std::string& v) const {
    for (const ScenarioVariant& x : variants)
        if (x.name == v) return x;
    std::string known;
    for (const ScenarioVariant& x : variants) known += (known.empty() ? "" : ", ") + x.name;
    throw Error(fmt::format("--variant: scenario '{}' has no variant '{}' (known: {})", name, v, known));
}

nlohmann::json Scenario::json() const {
    nlohmann::json vs = nlohmann::json::array();
    for (const ScenarioVariant& v : variants) {
        nlohmann::json x = {{"name", v.name}, {"summary", v.summary}, {"expect", v.wrong ? "caught" : "correct"}};
        if (v.wrong) x["checker"] = v.checker;
        vs.push_back(x);
    }
    return {{"name", name}, {"title", title}, {"summary", summary}, {"cpus", cpus},      {"checkers", checkers},
            {"set", sets},  {"args", args},   {"variants", vs},     {"firmware", firmware}};
}

Scenario load_scenario(const std::string& path) {
    std::ifstream f(path);
    if (!f) throw Error(fmt::format("scenario '{}': cannot read it", path));
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(f);
    } catch (const nlohmann::json::parse_error& e) {
        throw Error(fmt::format("scenario '{}': not valid JSON ({})", path, e.what()));
    }
    if (!j.is_object()) throw Error(fmt::format("scenario '{}': expected a JSON object", path));
    Scenario s;
    s.name = str(j, "name", path);
    s.title = str(j, "title", path);
    s.summary = str(j, "summary", path);
    const std::string fw = j.contains("firmware") ? str(j, "firmware", path) : s.name + ".elf";
    s.firmware = (std::filesystem::path(path).parent_path() / fw).string();
    if (j.contains("cpus")) {
        if (!j["cpus"].is_number_unsigned() || j["cpus"].get<unsigned>() == 0 || j["cpus"].get<unsigned>() > 255)
            throw Error(fmt::format("scenario '{}': \"cpus\" must be a core count (1-255)", path));
        s.cpus = j["cpus"].get<unsigned>();
    }
    s.checkers = strings(j, "checkers", path);
    for (const std::string& c : s.checkers)
        if (std::find(known_checkers().begin(), known_checkers().end(), c) == known_checkers().end())
            throw Error(fmt::format("scenario '{}': unknown checker '{}'", path, c));
    s.sets = strings(j, "set", path);
    s.args = strings(j, "args", path);
    for (const std::string& a : s.sets)
        if (!is_assignment(a)) throw Error(fmt::format("scenario '{}': \"set\" entry '{}' is not KEY=VALUE", path, a));
    for (const std::string& a : s.args)
        if (!is_assignment(a)) throw Error(fmt::format("scenario '{}': \"args\" entry '{}' is not KEY=VALUE", path, a));
    if (!j.contains("variants") || !j["variants"].is_array() || j["variants"].empty())
        throw Error(fmt::format("scenario '{}': \"variants\" must be a non-empty array", path));
    for (const auto& vj : j["variants"]) {
        if (!vj.is_object()) throw Error(fmt::format("scenario '{}': each variant must be an object", path));
        ScenarioVariant v;
        v.name = str(vj, "name", path);
        v.summary = str(vj, "summary", path);
        const std::string expect = str(vj, "expect", path);
        if (expect != "correct" && expect != "caught")
            throw Error(fmt::format("scenario '{}': variant '{}': \"expect\" must be \"correct\" or \"caught\"", path, v.name));
        v.wrong = expect == "caught";
        if (v.wrong) {
            v.checker = str(vj, "checker", path);
            if (std::find(s.checkers.begin(), s.checkers.end(), v.checker) == s.checkers.end())
                throw Error(fmt::format("scenario '{}': variant '{}': checker '{}' is not in \"checkers\"", path, v.name,
                                        v.checker));
        }
        for (const ScenarioVariant& o : s.variants)
            if (o.name == v.name) throw Error(fmt::format("scenario '{}': variant '{}' appears twice", path, v.name));
        s.variants.push_back(v);
    }
    return s;
}

std::vector<Scenario> load_scenarios(const std::string& dir) {
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.path().extension() == ".json") files.push_back(e.path().string());
    if (ec) throw Error(fmt::format("scenarios: cannot read the directory '{}' ({})", dir, ec.message()));
    std::sort(files.begin(), files.end());
    std::vector<Scenario> out;
    for (const std::string& f : files) out.push_back(load_scenario(f));
    return out;
}

std::string scenario_command_line(const Scenario& s, const ScenarioVariant& v, unsigned cpus,
                                  const std::vector<std::string>& args) {
    std::vector<std::string> merged = s.args;
    for (const std::string& a : args) {
        if (!is_assignment(a)) throw Error(fmt::format("--scenario-arg '{}': expected KEY=VALUE", a));
        const std::string key = a.substr(0, a.find('='));
        auto it = std::find_if(merged.begin(), merged.end(), [&](const std::string& m) { return m.substr(0, m.find('=')) == key; });
        if (it == merged.end())
            throw Error(fmt::format("--scenario-arg '{}': scenario '{}' has no argument '{}'", a, s.name, key));
        *it = a;
    }
    std::string line = fmt::format("variant={} cpus={}", v.name, cpus);
    for (const std::string& a : merged) line += " " + a;
    return line;
}

ScenarioVerdict judge_scenario(const Scenario& s, const ScenarioVariant& v, int exit_code, const nlohmann::json& reports,
                               const Annotations& annotations) {
    if (exit_code != 0) return {false, fmt::format("the firmware exited with status {}", exit_code)};
    if (v.wrong) {
        const uint64_t n = reports.value(v.checker, uint64_t(0));
        if (n == 0) return {false, fmt::format("the checker '{}' did not catch this wrong variant", v.checker)};
        return {true, fmt::format("caught by the checker '{}' ({} reports)", v.checker, n)};
    }
    for (const std::string& c : s.checkers) {
        const uint64_t n = reports.value(c, uint64_t(0));
        if (n) return {false, fmt::format("the checker '{}' reported {} protocol errors in a correct variant", c, n)};
    }
    if (annotations.has_metric("correct") && annotations.metric("correct") != 1)
        return {false, "the firmware saw incorrect results (metric correct != 1)"};
    return {true, "correct: every checker silent"};
}

}  // namespace hvsim::platform
