// The encoding table: no ambiguous overlaps, most specific first, and the
// bucketed decoder agrees with a linear scan of the table.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "models/cpu/a64.h"

using hvsim::cpu::a64_decode;
using hvsim::cpu::a64_encodings;
using hvsim::cpu::Encoding;

namespace {

bool overlap(const Encoding& a, const Encoding& b) { return ((a.value ^ b.value) & a.mask & b.mask) == 0; }
// Every word matching `a` also matches `b`.
bool subset(const Encoding& a, const Encoding& b) { return (a.mask & b.mask) == b.mask && overlap(a, b); }

const Encoding* linear_decode(uint32_t w) {
    for (const Encoding& e : a64_encodings())
        if (e.matches(w)) return &e;
    return nullptr;
}

}  // namespace

TEST(A64Table, PatternsAreWellFormed) {
    for (const Encoding& e : a64_encodings()) {
        ASSERT_EQ(std::string(e.pattern).size(), 32u) << e.name;
        EXPECT_EQ(e.value & ~e.mask, 0u) << e.name;
        EXPECT_NE(e.mask, 0u) << e.name;
    }
}

TEST(A64Table, OverlapsAreOrderedMostSpecificFirst) {
    const auto& t = a64_encodings();
    for (size_t i = 0; i < t.size(); ++i) {
        for (size_t j = i + 1; j < t.size(); ++j) {
            if (!overlap(t[i], t[j])) continue;
            // Allowed only if the earlier one is strictly more specific;
            // anything else would make part of an encoding unreachable.
            EXPECT_TRUE(subset(t[i], t[j]) && t[i].mask != t[j].mask)
                << t[i].name << " overlaps " << t[j].name << " and is not a more specific special case before it";
        }
    }
}

TEST(A64Table, NamesAreUnique) {
    const auto& t = a64_encodings();
    for (size_t i = 0; i < t.size(); ++i)
        for (size_t j = i + 1; j < t.size(); ++j) EXPECT_STRNE(t[i].name, t[j].name);
}

TEST(A64Table, EveryEncodingDecodesToItself) {
    // A word built from each pattern (operand fields random) decodes to the
    // first matching table entry.
    std::mt19937 rng(1);
    for (const Encoding& e : a64_encodings()) {
        for (int k = 0; k < 64; ++k) {
            const uint32_t w = e.value | (static_cast<uint32_t>(rng()) & ~e.mask);
            const Encoding* d = a64_decode(w);
            ASSERT_NE(d, nullptr) << e.name;
            EXPECT_EQ(d, linear_decode(w)) << e.name;
        }
    }
}

TEST(A64Table, BucketedDecoderMatchesLinearScan) {
    std::mt19937 rng(2);
    for (int k = 0; k < 2'000'000; ++k) {
        const uint32_t w = static_cast<uint32_t>(rng());
        ASSERT_EQ(a64_decode(w), linear_decode(w)) << std::hex << w;
    }
}

TEST(A64Table, KnownWords) {
    struct Case {
        uint32_t word;
        const char* name;
    } cases[] = {
        {0x91000420, "ADD_imm"},    // add x0, x1, #1
        {0xD503201F, "HINT"},       // nop
        {0xD65F03C0, "RET"},        // ret
        {0xD69F03E0, "ERET"},       // eret
        {0xF9400020, "LDST_uimm"},  // ldr x0, [x1]
        {0xA9BF7BFD, "STP"},        // stp x29, x30, [sp, #-16]!
        {0xD53B4200, "MRS"},        // mrs x0, nzcv
        {0x9AC20C20, "SDIV"},       // sdiv x0, x1, x2
        {0xC85F7C20, "LDXR"},       // ldxr x0, [x1]
        {0xD4000001, "SVC"},        // svc #0
    };
    for (const Case& c : cases) {
        const Encoding* e = a64_decode(c.word);
        ASSERT_NE(e, nullptr) << std::hex << c.word;
        EXPECT_STREQ(e->name, c.name) << std::hex << c.word;
    }
    EXPECT_EQ(a64_decode(0x00000000), nullptr);  // UDF #0 / unallocated
}
