// Unit tests of the emulation checker (platforms/emulation_checker.h): pass
// marks, the pass-1/pass-2 translation and read comparisons, one report per
// instance, and misuse counted as errors.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "platforms/emulation_checker.h"

namespace {

using hvsim::platform::EmulationChecker;

constexpr uint64_t kVa = 0x100001008, kPc = 0x100000000;
constexpr uint64_t kParA = 0x80000800, kParB = 0x80001800;  // PA[47:12] | RES1 bit 11
constexpr uint64_t kParFault = 0x80F;                      // F = 1, FST = 0x7 (Translation, level 3)

// The checker writing to a temporary file, and that file's text.
struct Output {
    std::FILE* f = std::tmpfile();
    ~Output() { std::fclose(f); }
    std::string text() const {
        std::string s;
        std::rewind(f);
        for (int c; (c = std::fgetc(f)) != EOF;) s.push_back(char(c));
        return s;
    }
};

EmulationChecker::Where at(unsigned core) { return {core, 100, kPc}; }

TEST(EmulationChecker, SameTranslationInBothPassesIsSilent) {
    Output out;
    EmulationChecker c(1, out.f);
    EXPECT_TRUE(c.mark(0, 7, 1));
    c.translation(at(0), "AT_S1E1R", kVa, kParA, true);
    EXPECT_TRUE(c.mark(0, 7, 0));
    EXPECT_TRUE(c.mark(0, 7, 2));
    c.translation(at(0), "AT_S1E1R", kVa, kParA, true);
    EXPECT_TRUE(c.mark(0, 7, 0));
    EXPECT_EQ(c.reports(), 0u);
    EXPECT_EQ(out.text(), "");
    const auto j = c.json();
    EXPECT_EQ(j["instances"], 1);
    EXPECT_EQ(j["pass2_runs"], 1);
    EXPECT_EQ(j["pass1_translations"], 1);
    EXPECT_EQ(j["pass2_translations"], 1);
    EXPECT_EQ(j["errors"], 0);
}

TEST(EmulationChecker, DifferentPass2TranslationIsReportedOncePerInstance) {
    Output out;
    EmulationChecker c(1, out.f);
    c.mark(0, 3, 1);
    c.translation(at(0), "AT_S1E1R", kVa, kParA, true);
    c.translation(at(0), "AT_S12E1R", kPc, 0x40100800, false);
    c.mark(0, 3, 0);
    c.mark(0, 3, 2);
    c.translation(at(0), "AT_S12E1R", kPc, 0x40100800, false);
    c.translation(at(0), "AT_S1E1R", kVa, kParB, true);
    c.translation(at(0), "AT_S1E1R", kVa, kParFault, true);
    c.mark(0, 3, 0);
    EXPECT_EQ(c.reports(), 1u);
    EXPECT_EQ(out.text(),
              "hvsim: emulation: instance 3 pass 2 translated VA 0x100001008 to IPA 0x80001008, pass 1 to IPA "
              "0x80000008 (AT_S1E1R, cpu0 cycle 100 pc=0x100000000)\n");
    // Another instance with the same divergence is reported again.
    c.mark(0, 4, 1);
    c.translation(at(0), "AT_S1E1R", kVa, kParB, true);
    c.mark(0, 4, 0);
    c.mark(0, 4, 2);
    c.translation(at(0), "AT_S1E1R", kVa, kParFault, true);
    c.mark(0, 4, 0);
    EXPECT_EQ(c.reports(), 2u);
    EXPECT_NE(out.text().find("to a stage 1 fault (FST 0x7), pass 1 to IPA 0x80001008"), std::string::npos);
}

TEST(EmulationChecker, OnlyTheSameInputAndOperationIsCompared) {
    Output out;
    EmulationChecker c(1, out.f);
    c.mark(0, 1, 1);
    c.translation(at(0), "AT_S1E1R", kVa, kParA, true);
    c.mark(0, 1, 0);
    c.mark(0, 1, 2);
    c.translation(at(0), "AT_S1E1W", kVa, kParB, true);        // another operation
    c.translation(at(0), "AT_S1E1R", kVa + 0x10, kParB, true);  // another input
    c.mark(0, 1, 0);
    EXPECT_EQ(c.reports(), 0u);
    EXPECT_EQ(c.json()["pass2_unmatched"], 2);
}

TEST(EmulationChecker, TranslationsOutsideAPassOrOnAnotherCoreAreIgnored) {
    Output out;
    EmulationChecker c(2, out.f);
    c.translation(at(0), "AT_S1E1R", kVa, kParA, true);
    c.mark(0, 1, 1);
    c.translation(at(1), "AT_S1E1R", kVa, kParA, true);  // core 1 has no pass open
    c.translation(at(0), "AT_S1E1R", kVa, kParA, true);
    c.mark(0, 1, 0);
    c.translation(at(0), "AT_S1E1R", kVa, kParB, true);
    // Pass 2 of the instance on the other core (the vCPU moved).
    c.mark(1, 1, 2);
    c.translation(at(1), "AT_S1E1R", kVa, kParB, true);
    c.mark(1, 1, 0);
    EXPECT_EQ(c.json()["pass1_translations"], 1);
    EXPECT_EQ(c.reports(), 1u);
    EXPECT_NE(out.text().find("cpu1"), std::string::npos);
}

TEST(EmulationChecker, PassOneStartsAnInstanceAfresh) {
    Output out;
    EmulationChecker c(1, out.f);
    c.mark(0, 5, 1);
    c.translation(at(0), "AT_S1E1R", kVa, kParA, true);
    c.mark(0, 5, 0);
    c.mark(0, 5, 1);
    c.translation(at(0), "AT_S1E1R", kVa, kParB, true);
    c.mark(0, 5, 0);
    c.mark(0, 5, 2);
    c.translation(at(0), "AT_S1E1R", kVa, kParB, true);
    c.mark(0, 5, 0);
    EXPECT_EQ(c.reports(), 0u);
    EXPECT_EQ(c.json()["instances"], 2);
}

constexpr uint64_t kCodePar = 0x40104800;  // AT S12E1R of the PC: PA 0x40104000
const uint8_t kLdp[4] = {0x02, 0x0c, 0x40, 0xa9}, kLdp16[4] = {0x02, 0x0c, 0x41, 0xa9};

TEST(EmulationChecker, ReadsInTranslatedPagesAreCompared) {
    Output out;
    EmulationChecker c(1, out.f);
    c.mark(0, 1, 1);
    c.read(at(0), 0x40104000, kLdp, 4);  // before any translation: not guest memory yet
    c.translation(at(0), "AT_S12E1R", kPc, kCodePar, false);
    c.read(at(0), 0x40104000, kLdp, 4);
    c.read(at(0), 0x40200000, kLdp, 4);  // another page (the hypervisor's stack)
    c.mark(0, 1, 0);
    c.mark(0, 1, 2);
    c.translation(at(0), "AT_S12E1R", kPc, kCodePar, false);
    c.read(at(0), 0x40200000, kLdp16, 4);
    EXPECT_EQ(c.reports(), 0u);
    c.read(at(0), 0x40104000, kLdp16, 4);
    c.read(at(0), 0x40104000, kLdp, 4);
    c.mark(0, 1, 0);
    EXPECT_EQ(c.reports(), 1u);
    EXPECT_EQ(out.text(),
              "hvsim: emulation: instance 1 pass 2 read 0xa9410c02 at PA 0x40104000, pass 1 read 0xa9400c02 there (a "
              "4-byte load, cpu0 cycle 100 pc=0x100000000)\n");
    const auto j = c.json();
    EXPECT_EQ(j["pass1_reads"], 1);
    EXPECT_EQ(j["pass2_reads"], 2);  // both compared, one report for the instance
}

TEST(EmulationChecker, SameReadsAndUnreadBytesAreSilent) {
    Output out;
    EmulationChecker c(1, out.f);
    c.mark(0, 2, 1);
    c.translation(at(0), "AT_S12E1R", kPc, kCodePar, false);
    c.translation(at(0), "AT_S1E1R", kVa, kParA, true);  // an IPA: its page is not read by PA
    c.read(at(0), 0x40104000, kLdp, 4);
    c.read(at(0), 0x80000000, kLdp, 4);
    c.mark(0, 2, 0);
    c.mark(0, 2, 2);
    c.read(at(0), 0x40104000, kLdp, 4);
    c.read(at(0), 0x40104008, kLdp16, 4);  // bytes pass 1 did not read
    c.read(at(0), 0x80000000, kLdp16, 4);
    c.mark(0, 2, 0);
    EXPECT_EQ(c.reports(), 0u);
    EXPECT_EQ(c.json()["pass1_reads"], 1);
    EXPECT_EQ(c.json()["pass2_reads"], 1);
}

TEST(EmulationChecker, OnlyTheNewestInstancesAreRemembered) {
    Output out;
    EmulationChecker c(1, out.f);
    for (uint64_t i = 0; i <= EmulationChecker::kMaxInstances; ++i) {
        c.mark(0, i, 1);
        c.mark(0, i, 0);
    }
    EXPECT_FALSE(c.mark(0, 0, 2));
    EXPECT_TRUE(c.mark(0, 1, 2));
    EXPECT_EQ(c.json()["errors"], 1);
}

TEST(EmulationChecker, MisusedMarksAreErrors) {
    Output out;
    EmulationChecker c(1, out.f);
    EXPECT_FALSE(c.mark(0, 9, 2));  // pass 2 with no pass 1
    EXPECT_FALSE(c.mark(0, 9, 0));  // end with no open pass
    EXPECT_FALSE(c.mark(0, 9, 3));  // no such pass
    EXPECT_FALSE(c.mark(4, 9, 1));  // no such core
    EXPECT_TRUE(c.mark(0, 9, 1));
    EXPECT_FALSE(c.mark(0, 10, 1));  // begin while a pass is open: replaces it
    EXPECT_TRUE(c.mark(0, 10, 0));
    EXPECT_EQ(c.json()["errors"], 5);
    EXPECT_EQ(c.reports(), 0u);
}

}  // namespace
