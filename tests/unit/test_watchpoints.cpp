// Unit tests of a debugger's watchpoints in the core (Core::check_watchpoints,
// models/cpu/debug_interface.h): the stop comes before the access with PC on
// the instruction, reads and writes match their own kind, an access that
// faults takes its abort instead, resuming skips the access the core stopped
// at, and a watched page never answers from the speed cache.
//
// The MMU is off, so data accesses are to Device-nGnRnE memory and an
// unaligned one takes an Alignment fault (Arm ARM B2.5.2).
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "core_harness.h"
#include "models/cpu/debug_interface.h"

namespace {

using hvsim::cpu::DebugControl;
using hvsim::cpu::SR;
using hvsim::cpu::StopReason;
using hvsim::cpu::Watchpoint;
using hvsim::test::CoreHarness;

constexpr uint64_t kRam = CoreHarness::kRamBase;
constexpr uint64_t kVectors = kRam + 0x8000;
constexpr uint64_t kData = kRam + 0x10000;
constexpr uint32_t kBranchToSelf = 0x14000000;
constexpr uint32_t kStrX0X1 = 0xF9000020;       // str x0, [x1]
constexpr uint32_t kStrX0X1_100 = 0xF9008020;   // str x0, [x1, #0x100]
constexpr uint32_t kLdrX2X1 = 0xF9400022;       // ldr x2, [x1]

Watchpoint watch(uint64_t addr, uint64_t len, bool on_read, bool on_write) {
    Watchpoint w;
    w.addr = addr;
    w.len = len;
    w.on_read = on_read;
    w.on_write = on_write;
    return w;
}

class Watchpoints : public ::testing::Test {
protected:
    CoreHarness h;
    hvsim::cpu::Core& core = h.core;
    DebugControl ctl;

    void SetUp() override {
        for (uint64_t off = 0; off < 0x800; off += 0x80) std::memcpy(h.ram.host(kVectors + off), &kBranchToSelf, 4);
        core.sr(SR::VBAR_EL1) = kVectors;
        h.x(0) = 0x1234;
        h.x(1) = kData;
    }
    void load(const std::vector<uint32_t>& insns) {
        std::memcpy(h.ram.host(kRam), insns.data(), insns.size() * 4);
        h.dcache.on_write(kRam, static_cast<unsigned>(insns.size() * 4));
        core.st.pc = kRam;
    }
    // One instruction (or the stop before it).
    StopReason step() { return core.run(core.cycles() + 1); }
    void watch_only(const Watchpoint& w) {
        ctl.watchpoints = {w};
        core.set_debug_control(&ctl);
        core.invalidate_speed_caches();
    }
    void resume() {
        ctl.why = DebugControl::Why::None;
        ctl.skip_watchpoints = true;
    }
    uint64_t data(uint64_t off = 0) {
        uint64_t v;
        std::memcpy(&v, h.ram.host(kData + off), 8);
        return v;
    }
};

TEST_F(Watchpoints, WriteStopsBeforeTheStoreWithPcOnIt) {
    load({kStrX0X1, kBranchToSelf});
    watch_only(watch(kData, 8, false, true));
    EXPECT_EQ(step(), StopReason::Debug);
    EXPECT_EQ(ctl.why, DebugControl::Why::Watchpoint);
    EXPECT_EQ(ctl.watch_index, 0u);
    EXPECT_EQ(ctl.watch_addr, kData);
    EXPECT_TRUE(ctl.watch_write);
    EXPECT_EQ(core.st.pc, kRam);
    EXPECT_EQ(core.instructions(), 0u);
    EXPECT_EQ(data(), 0u) << "the store must not have happened";

    resume();
    EXPECT_EQ(step(), StopReason::Budget);
    EXPECT_EQ(core.st.pc, kRam + 4);
    EXPECT_EQ(data(), 0x1234u);
    EXPECT_FALSE(ctl.skip_watchpoints) << "the skip covers one instruction";
}

TEST_F(Watchpoints, ReadsAndWritesMatchTheirOwnKind) {
    load({kLdrX2X1, kStrX0X1});
    watch_only(watch(kData, 8, false, true));
    EXPECT_EQ(step(), StopReason::Budget) << "a load does not hit a write watchpoint";
    EXPECT_EQ(core.st.pc, kRam + 4);

    load({kLdrX2X1});
    watch_only(watch(kData + 4, 4, true, false));
    EXPECT_EQ(step(), StopReason::Debug);
    EXPECT_EQ(ctl.watch_addr, kData + 4) << "the first watched byte the access touches";
    EXPECT_FALSE(ctl.watch_write);

    load({kStrX0X1});
    ctl.why = DebugControl::Why::None;
    EXPECT_EQ(step(), StopReason::Budget) << "a store does not hit a read watchpoint";

    load({kStrX0X1});
    watch_only(watch(kData + 7, 1, true, true));
    EXPECT_EQ(step(), StopReason::Debug) << "an access watchpoint on the last byte";
    EXPECT_EQ(ctl.watch_addr, kData + 7);

    load({kStrX0X1});
    watch_only(watch(kData + 8, 8, true, true));
    ctl.why = DebugControl::Why::None;
    EXPECT_EQ(step(), StopReason::Budget) << "the next bytes are not touched";
}

TEST_F(Watchpoints, AFaultingAccessTakesItsAbortInstead) {
    h.x(1) = kData + 1;  // unaligned to Device memory: Alignment fault
    load({kStrX0X1});
    watch_only(watch(kData, 16, true, true));
    EXPECT_EQ(step(), StopReason::Budget);
    EXPECT_EQ(ctl.why, DebugControl::Why::None);
    EXPECT_EQ(core.st.pc, kVectors + 0x200);
    EXPECT_EQ(core.sr(SR::ESR_EL1) >> 26, 0x25u);
    EXPECT_EQ(core.sr(SR::ESR_EL1) & 0x3F, 0x21u);
}

TEST_F(Watchpoints, AWatchedPageNeverAnswersFromTheSpeedCache) {
    // The page enters the speed cache before any watchpoint exists.
    load({kStrX0X1_100});
    EXPECT_EQ(step(), StopReason::Budget);
    // Watched (the speed caches dropped, as the stub does): stores to the
    // page take the slow path and do not refill it.
    load({kStrX0X1, kStrX0X1_100, kStrX0X1});
    watch_only(watch(kData, 8, false, true));
    EXPECT_EQ(step(), StopReason::Debug);
    EXPECT_EQ(core.st.pc, kRam);
    resume();
    EXPECT_EQ(step(), StopReason::Budget);
    EXPECT_EQ(step(), StopReason::Budget);
    EXPECT_EQ(step(), StopReason::Debug) << "the third store hits again";
    EXPECT_EQ(core.st.pc, kRam + 8);
}

TEST_F(Watchpoints, RangesMayEndAtTheTopOfTheAddressSpace) {
    const Watchpoint w = watch(~0ull - 7, 8, true, true);
    EXPECT_TRUE(w.matches(~0ull, 1, false));
    EXPECT_TRUE(w.matches(~0ull & ~0xFFFull, 0x1000, true));
    EXPECT_FALSE(w.matches(~0ull - 15, 8, true));
}

}  // namespace
