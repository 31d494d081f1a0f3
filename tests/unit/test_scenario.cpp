// Scenario descriptions, the verdict and the guest annotations
// (platforms/scenario.h, platforms/annotations.h).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "models/common/error.h"
#include "platforms/annotations.h"
#include "platforms/scenario.h"

namespace hvsim::platform {
namespace {

class ScenarioFiles : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("hvsim_scenario_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::string write(const std::string& name, const std::string& text) {
        const std::string p = (dir_ / name).string();
        std::ofstream(p) << text;
        return p;
    }
    std::string error_of(const std::string& text) {
        try {
            load_scenario(write("s.json", text));
        } catch (const Error& e) {
            return e.what();
        }
        return "";
    }
    std::filesystem::path dir_;
};

const char* kGood = R"({"name": "demo", "title": "T", "summary": "S", "cpus": 2,
  "checkers": ["coherency", "stale"], "set": ["caches.slc.size=1M"], "args": ["iterations=10", "pages=4"],
  "variants": [{"name": "good", "summary": "g", "expect": "correct"},
               {"name": "bad", "summary": "b", "expect": "caught", "checker": "stale"}]})";

TEST_F(ScenarioFiles, LoadsADescription) {
    const Scenario s = load_scenario(write("demo.json", kGood));
    EXPECT_EQ(s.name, "demo");
    EXPECT_EQ(s.cpus, 2u);
    EXPECT_EQ(s.firmware, (dir_ / "demo.elf").string());
    ASSERT_EQ(s.variants.size(), 2u);
    EXPECT_FALSE(s.variants[0].wrong);
    EXPECT_TRUE(s.variants[1].wrong);
    EXPECT_EQ(s.variants[1].checker, "stale");
    EXPECT_EQ(&s.variant("bad"), &s.variants[1]);
    EXPECT_THROW(s.variant("ugly"), Error);
    EXPECT_EQ(s.json()["variants"][1]["expect"], "caught");
}

TEST_F(ScenarioFiles, DirectoryIsSortedByFile) {
    write("b.json", R"({"name": "b", "title": "T", "summary": "S", "variants": [{"name": "v", "summary": "s", "expect": "correct"}]})");
    write("a.json", R"({"name": "a", "title": "T", "summary": "S", "variants": [{"name": "v", "summary": "s", "expect": "correct"}]})");
    write("notes.txt", "not a scenario");
    const auto all = load_scenarios(dir_.string());
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].name, "a");
    EXPECT_EQ(all[1].name, "b");
    EXPECT_THROW(load_scenarios((dir_ / "missing").string()), Error);
}

TEST_F(ScenarioFiles, MalformedDescriptionsNameTheProblem) {
    EXPECT_NE(error_of("{").find("not valid JSON"), std::string::npos);
    EXPECT_NE(error_of("[]").find("expected a JSON object"), std::string::npos);
    EXPECT_NE(error_of(R"({"title": "T"})").find("missing \"name\""), std::string::npos);
    EXPECT_NE(error_of(R"({"name": "x", "title": "T", "summary": "S"})").find("\"variants\""), std::string::npos);
    EXPECT_NE(error_of(R"({"name": "x", "title": "T", "summary": "S", "cpus": 0, "variants": []})").find("\"cpus\""),
              std::string::npos);
    EXPECT_NE(error_of(R"({"name": "x", "title": "T", "summary": "S", "checkers": ["psychic"],
                          "variants": [{"name": "v", "summary": "s", "expect": "correct"}]})")
                  .find("unknown checker 'psychic'"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"name": "x", "title": "T", "summary": "S", "checkers": ["its"],
                          "variants": [{"name": "v", "summary": "s", "expect": "caught", "checker": "stale"}]})")
                  .find("checker 'stale' is not in"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"name": "x", "title": "T", "summary": "S",
                          "variants": [{"name": "v", "summary": "s", "expect": "maybe"}]})")
                  .find("\"expect\""),
              std::string::npos);
    EXPECT_NE(error_of(R"({"name": "x", "title": "T", "summary": "S",
                          "variants": [{"name": "v", "summary": "s", "expect": "correct"},
                                       {"name": "v", "summary": "s", "expect": "correct"}]})")
                  .find("appears twice"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"name": "x", "title": "T", "summary": "S", "args": ["loops"],
                          "variants": [{"name": "v", "summary": "s", "expect": "correct"}]})")
                  .find("not KEY=VALUE"),
              std::string::npos);
}

TEST_F(ScenarioFiles, CommandLineMergesDeclaredArguments) {
    const Scenario s = load_scenario(write("demo.json", kGood));
    EXPECT_EQ(scenario_command_line(s, s.variants[0], 2, {}), "variant=good cpus=2 iterations=10 pages=4");
    EXPECT_EQ(scenario_command_line(s, s.variants[1], 4, {"pages=8"}), "variant=bad cpus=4 iterations=10 pages=8");
    EXPECT_THROW(scenario_command_line(s, s.variants[0], 2, {"speed=11"}), Error);
    EXPECT_THROW(scenario_command_line(s, s.variants[0], 2, {"pages"}), Error);
}

TEST_F(ScenarioFiles, Verdicts) {
    const Scenario s = load_scenario(write("demo.json", kGood));
    const ScenarioVariant &good = s.variants[0], &bad = s.variants[1];
    Annotations a(1);
    const nlohmann::json silent = {{"coherency", 0}, {"stale", 0}};
    const nlohmann::json stale = {{"coherency", 0}, {"stale", 3}};
    EXPECT_TRUE(judge_scenario(s, good, 0, silent, a).as_expected);
    EXPECT_FALSE(judge_scenario(s, good, 0, stale, a).as_expected);
    EXPECT_FALSE(judge_scenario(s, good, 1, silent, a).as_expected);
    EXPECT_TRUE(judge_scenario(s, bad, 0, stale, a).as_expected);
    EXPECT_FALSE(judge_scenario(s, bad, 0, silent, a).as_expected);
    a.set_metric("correct", 0);
    EXPECT_FALSE(judge_scenario(s, good, 0, silent, a).as_expected);
    // A wrong variant's own observation does not decide: its checker does.
    EXPECT_TRUE(judge_scenario(s, bad, 0, stale, a).as_expected);
    a.set_metric("correct", 1);
    EXPECT_TRUE(judge_scenario(s, good, 0, silent, a).as_expected);
}

TEST(Annotations, RegionsPairPerCoreAndNest) {
    Annotations a(2);
    EXPECT_TRUE(a.empty());
    a.begin(0, "outer", 100, 10);
    a.begin(1, "outer", 150, 20);
    a.begin(0, "inner", 120, 12);
    a.end(0, "inner", 170, 17);
    a.end(0, "outer", 300, 40);
    a.end(1, "outer", 160, 25);
    const nlohmann::json j = a.json();
    EXPECT_EQ(j["regions"]["inner"]["count"], 1);
    EXPECT_EQ(j["regions"]["inner"]["cycles"], 50);
    EXPECT_EQ(j["regions"]["inner"]["instructions"], 5);
    EXPECT_EQ(j["regions"]["outer"]["count"], 2);
    EXPECT_EQ(j["regions"]["outer"]["cycles"], 210);
    EXPECT_EQ(j["regions"]["outer"]["min_cycles"], 10);
    EXPECT_EQ(j["regions"]["outer"]["max_cycles"], 200);
    EXPECT_EQ(j["errors"], 0);
}

TEST(Annotations, MisuseIsCountedNotFatal) {
    Annotations a(1);
    a.end(0, "never-begun", 10, 1);
    a.begin(5, "no-such-core", 10, 1);
    for (unsigned i = 0; i <= Annotations::kMaxDepth; ++i) a.begin(0, "deep", i, i);
    EXPECT_EQ(a.json()["errors"], 3);
    // An end closes the innermost region of its name and abandons the
    // regions opened inside it.
    Annotations b(1);
    b.begin(0, "x", 100, 0);
    b.begin(0, "y", 110, 0);
    b.end(0, "x", 200, 0);
    b.end(0, "y", 210, 0);
    EXPECT_EQ(b.json()["regions"]["x"]["cycles"], 100);
    EXPECT_FALSE(b.json()["regions"].contains("y"));
    EXPECT_EQ(b.json()["errors"], 1);
}

TEST(Annotations, Metrics) {
    Annotations a(1);
    a.add_metric("commands", 2);
    a.add_metric("commands", 3);
    a.set_metric("correct", 1);
    a.set_metric("correct", 0);
    EXPECT_EQ(a.metric("commands"), 5);
    EXPECT_EQ(a.metric("correct"), 0);
    EXPECT_TRUE(a.has_metric("correct"));
    EXPECT_FALSE(a.has_metric("absent"));
    EXPECT_EQ(a.json()["metrics"]["commands"], 5);
}

}  // namespace
}  // namespace hvsim::platform
