// Generic timers (models/timer): comparator semantics (ISTATUS, IMASK,
// ENABLE, TVAL as a signed 32-bit view), outputs and deadlines driven by the
// count, the virtual offset, the cycle <-> counter conversion, and the
// access rules and traps of the timer registers on a core (Arm ARM D11,
// CNTKCTL_EL1, CNTHCTL_EL2).
#include <gtest/gtest.h>

#include <vector>

#include "models/timer/generic_timer.h"
#include "tests/unit/core_harness.h"

using hvsim::cpu::SR;
using hvsim::timer::Comparator;
using hvsim::timer::GenericTimer;
using hvsim::timer::TimerId;

namespace {

struct Edge {
    TimerId t;
    bool level;
};

struct Timers : ::testing::Test {
    std::vector<Edge> edges;
    GenericTimer gt{[this](TimerId t, bool l) { edges.push_back({t, l}); }};
};

}  // namespace

TEST(Comparator, ConditionIsUnsigned64BitCompare) {
    Comparator c;
    c.write_ctl(Comparator::kEnable);
    c.cval = 100;
    EXPECT_FALSE(c.istatus(99));
    EXPECT_TRUE(c.istatus(100));
    EXPECT_TRUE(c.istatus(~0ull));
    c.cval = ~0ull;
    EXPECT_FALSE(c.istatus(1ull << 63));
}

TEST(Comparator, IstatusReadOnlyAndZeroWhenDisabled) {
    Comparator c;
    c.cval = 0;
    c.write_ctl(~0ull);  // only ENABLE and IMASK stick
    EXPECT_EQ(c.ctl, Comparator::kEnable | Comparator::kImask);
    EXPECT_EQ(c.read_ctl(5), 7u);
    EXPECT_FALSE(c.output(5));  // masked
    c.write_ctl(Comparator::kImask);
    EXPECT_EQ(c.read_ctl(5), 2u);  // disabled: no ISTATUS
    c.write_ctl(Comparator::kEnable);
    EXPECT_TRUE(c.output(5));
}

TEST(Comparator, TvalIsSigned32BitView) {
    Comparator c;
    c.write_tval(1000, 0xFFFFFFFFull);  // -1
    EXPECT_EQ(c.cval, 999u);
    EXPECT_EQ(c.read_tval(1000), 0xFFFFFFFFull);  // bits [63:32] RES0
    c.write_tval(1000, 0x1234500000010ull);       // upper bits ignored
    EXPECT_EQ(c.cval, 1016u);
    EXPECT_EQ(c.read_tval(1010), 6u);
    c.write_tval(1000, 0x80000000ull);  // most negative
    EXPECT_EQ(c.cval, 1000u - 0x80000000ull);
    c.cval = 1000 + (1ull << 33) + 5;  // TVAL truncates
    EXPECT_EQ(c.read_tval(1000), 5u);
}

TEST_F(Timers, OutputEdgesFollowCountMaskAndEnable) {
    gt.write(SR::CNTP_CVAL_EL0, 50, 10, 0);
    gt.write(SR::CNTP_CTL_EL0, 1, 10, 0);
    EXPECT_TRUE(edges.empty());
    EXPECT_EQ(gt.next_event_count(10, 0), 50u);
    gt.update(49, 0);
    EXPECT_TRUE(edges.empty());
    gt.update(50, 0);
    ASSERT_EQ(edges.size(), 1u);
    EXPECT_EQ(edges[0].t, TimerId::Phys);
    EXPECT_TRUE(edges[0].level);
    EXPECT_EQ(gt.next_event_count(50, 0), ~0ull);  // nothing left to happen
    EXPECT_EQ(gt.read(SR::CNTP_CTL_EL0, 60, 0), 5u);
    gt.write(SR::CNTP_CTL_EL0, 3, 60, 0);  // IMASK: output drops, ISTATUS stays
    ASSERT_EQ(edges.size(), 2u);
    EXPECT_FALSE(edges[1].level);
    EXPECT_EQ(gt.read(SR::CNTP_CTL_EL0, 60, 0), 7u);
    gt.write(SR::CNTP_CTL_EL0, 1, 60, 0);
    gt.write(SR::CNTP_TVAL_EL0, 100, 60, 0);  // new deadline: output drops
    ASSERT_EQ(edges.size(), 4u);
    EXPECT_FALSE(edges[3].level);
    EXPECT_EQ(gt.read(SR::CNTP_CVAL_EL0, 60, 0), 160u);
    EXPECT_EQ(gt.read(SR::CNTP_TVAL_EL0, 70, 0), 90u);
    EXPECT_EQ(gt.read(SR::CNTP_TVAL_EL0, 170, 0), uint64_t(uint32_t(-10)));
}

TEST_F(Timers, VirtualTimerComparesCountMinusOffset) {
    gt.write(SR::CNTV_CVAL_EL0, 100, 1050, 1000);
    gt.write(SR::CNTV_CTL_EL0, 1, 1050, 1000);  // CNTVCT = 50
    EXPECT_EQ(gt.read(SR::CNTV_CTL_EL0, 1050, 1000), 1u);
    EXPECT_EQ(gt.next_event_count(1050, 1000), 1100u);
    gt.update(1100, 1000);
    ASSERT_EQ(edges.size(), 1u);
    EXPECT_EQ(edges[0].t, TimerId::Virt);
    // Changing the offset moves the deadline (CNTVOFF_EL2 write).
    gt.write(SR::CNTVOFF_EL2, 1050, 1100, 1050);
    ASSERT_EQ(edges.size(), 2u);
    EXPECT_FALSE(edges[1].level);
    EXPECT_EQ(gt.next_event_count(1100, 1050), 1150u);
    // A virtual count that wrapped below zero is a huge unsigned value: met.
    gt.write(SR::CNTVOFF_EL2, 5000, 1100, 5000);
    EXPECT_EQ(gt.read(SR::CNTV_CTL_EL0, 1100, 5000), 5u);
    // TVAL of the virtual timer is relative to the virtual count.
    gt.write(SR::CNTV_TVAL_EL0, 10, 3000, 2000);
    EXPECT_EQ(gt.read(SR::CNTV_CVAL_EL0, 3000, 2000), 1010u);
}

TEST_F(Timers, EarliestDeadlineOfAllTimersAndNoOverflow) {
    gt.write(SR::CNTP_CVAL_EL0, 500, 0, 0);
    gt.write(SR::CNTP_CTL_EL0, 1, 0, 0);
    gt.write(SR::CNTHP_CVAL_EL2, 300, 0, 0);
    gt.write(SR::CNTHP_CTL_EL2, 3, 0, 0);  // masked: ISTATUS changes at 300 (a spurious stop, no edge)
    EXPECT_EQ(gt.next_event_count(0, 0), 300u);
    gt.write(SR::CNTPS_CVAL_EL1, ~0ull, 0, 0);  // the usual "never"
    gt.write(SR::CNTPS_CTL_EL1, 1, 0, 0);
    EXPECT_EQ(gt.next_event_count(0, 0), 300u);
    gt.write(SR::CNTP_CTL_EL0, 0, 0, 0);
    gt.write(SR::CNTHP_CTL_EL2, 0, 0, 0);
    EXPECT_EQ(gt.next_event_count(10, 0), ~0ull);
    EXPECT_TRUE(edges.empty());
}

TEST(TimerClock, CycleCounterConversionIsExact) {
    // 1 GHz core, 62.5 MHz counter: 16 cycles a tick.
    EXPECT_EQ(hvsim::timer::counter_at(31, 62'500'000, 1'000'000'000), 1u);
    EXPECT_EQ(hvsim::timer::counter_at(32, 62'500'000, 1'000'000'000), 2u);
    EXPECT_EQ(hvsim::timer::first_cycle_at(2, 62'500'000, 1'000'000'000), 32u);
    // 1.5 GHz, 62.5 MHz: 24 cycles; 1 GHz, 24 MHz: 41.67 cycles a tick.
    EXPECT_EQ(hvsim::timer::first_cycle_at(3, 62'500'000, 1'500'000'000), 72u);
    const uint64_t c = hvsim::timer::first_cycle_at(7, 24'000'000, 1'000'000'000);
    EXPECT_EQ(hvsim::timer::counter_at(c, 24'000'000, 1'000'000'000), 7u);
    EXPECT_EQ(hvsim::timer::counter_at(c - 1, 24'000'000, 1'000'000'000), 6u);
}

TEST(TimerEventStream, EdgeOfTheSelectedBitInTheSelectedDirection) {
    using hvsim::timer::next_stream_count;
    EXPECT_EQ(next_stream_count(5, 0), ~0ull);              // EVNTEN = 0
    const uint64_t rise3 = (1u << 2) | (3u << 4);            // EVNTI = 3, 0 -> 1
    EXPECT_EQ(next_stream_count(0, rise3), 8u);              // bit 3 first set at 8
    EXPECT_EQ(next_stream_count(7, rise3), 8u);
    EXPECT_EQ(next_stream_count(8, rise3), 24u);             // strictly after `now`
    EXPECT_EQ(next_stream_count(20, rise3), 24u);
    const uint64_t fall3 = rise3 | (1u << 3);                // EVNTDIR = 1: 1 -> 0
    EXPECT_EQ(next_stream_count(0, fall3), 16u);
    EXPECT_EQ(next_stream_count(9, fall3), 16u);
    EXPECT_EQ(next_stream_count(16, fall3), 32u);
    const uint64_t fall15 = (1u << 2) | (1u << 3) | (15u << 4);
    EXPECT_EQ(next_stream_count(0x12345, fall15), 0x20000u);
    // The trap-control bits around the stream fields change nothing.
    EXPECT_EQ(next_stream_count(7, rise3 | 0x303), 8u);
}

// ---- on a core: registers, deadlines in cycles, access rules and traps ------

namespace {

constexpr uint32_t mrs(unsigned op1, unsigned crn, unsigned crm, unsigned op2) {
    return 0xD5380000u | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5);  // op0 = 3, Rt = x0
}
constexpr uint32_t msr(unsigned op1, unsigned crn, unsigned crm, unsigned op2) {
    return 0xD5180000u | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5);
}
constexpr uint32_t kMrsCntpCtl = mrs(3, 14, 2, 1), kMsrCntpCtl = msr(3, 14, 2, 1);
constexpr uint32_t kMsrCntpTval = msr(3, 14, 2, 0);
constexpr uint32_t kMrsCntvCtl = mrs(3, 14, 3, 1);
constexpr uint32_t kMrsCnthpCtl = mrs(4, 14, 2, 1);
constexpr uint32_t kMrsCntpsCtl = mrs(7, 14, 2, 1);
constexpr uint32_t kMrsCntpct = mrs(3, 14, 0, 1);

uint32_t ec(uint64_t esr) { return static_cast<uint32_t>(esr >> 26) & 0x3F; }

struct CoreTimers : ::testing::Test {
    hvsim::test::CoreHarness h;
    std::vector<Edge> edges;
    GenericTimer gt{[this](TimerId t, bool l) { edges.push_back({t, l}); }};
    CoreTimers() { h.core.set_timer(&gt); }
    unsigned el() const { return h.core.st.pstate.el; }
    void to_el0() {
        h.core.st.pstate.el = 0;
        h.core.st.pstate.sp = false;
        h.core.on_context_synchronization();
    }
};

}  // namespace

TEST_F(CoreTimers, RegistersUndefinedWithoutATimer) {
    h.core.set_timer(nullptr);
    EXPECT_FALSE(h.run_insns({kMrsCntpCtl}));
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL1)), 0x00u);
}

TEST_F(CoreTimers, TvalWriteSetsDeadlineInCycles) {
    h.core.sr(SR::CNTHCTL_EL2) = 3;
    h.x(0) = 10;
    ASSERT_TRUE(h.run_insns({kMsrCntpTval}));
    h.x(0) = 1;
    ASSERT_TRUE(h.run_insns({kMsrCntpCtl}));
    const uint64_t pct = gt.read(SR::CNTP_CVAL_EL0, 0, 0) - 10;
    EXPECT_LE(pct, h.core.counter());
    // 62.5 MHz counter on a 1 GHz core: the deadline is 16 cycles a tick away.
    const uint64_t deadline = gt.next_event_cycle(h.core);
    EXPECT_EQ(deadline, (pct + 10) * 16);
    EXPECT_TRUE(edges.empty());
    h.core.add_cycles(deadline - 1 - h.core.cycles());
    gt.update(h.core);
    EXPECT_TRUE(edges.empty());
    h.core.add_cycles(1);
    gt.update(h.core);
    ASSERT_EQ(edges.size(), 1u);
    EXPECT_TRUE(edges[0].level);
    h.x(0) = 0;
    ASSERT_TRUE(h.run_insns({kMrsCntpCtl}));
    EXPECT_EQ(h.x(0), 5u);  // ENABLE | ISTATUS
}

TEST_F(CoreTimers, EventStreamsInCoreCycles) {
    // 16 cycles a counter tick. CNTHCTL_EL2's stream counts CNTPCT.
    EXPECT_EQ(gt.next_stream_event_cycle(h.core, 0), ~0ull);
    h.core.sr(SR::CNTHCTL_EL2) = 3 | (1u << 2) | (2u << 4);  // bit 2 rises every 8 ticks, at 4 + 8k
    EXPECT_EQ(gt.next_stream_event_cycle(h.core, 0), 4u * 16);
    EXPECT_EQ(gt.next_stream_event_cycle(h.core, 4 * 16), 12u * 16);
    // CNTKCTL_EL1's counts CNTVCT = CNTPCT - CNTVOFF_EL2.
    h.core.sr(SR::CNTHCTL_EL2) = 3;
    h.core.sr(SR::CNTKCTL_EL1) = (1u << 2) | (2u << 4);
    h.core.sr(SR::CNTVOFF_EL2) = 1;
    EXPECT_EQ(gt.next_stream_event_cycle(h.core, 0), 5u * 16);
    // ... and generates nothing while HCR_EL2.{E2H, TGE} = {1, 1}.
    if (h.core.vhe_implemented()) {
        h.core.sr(SR::HCR_EL2) |= (1ull << 34) | (1ull << 27);
        EXPECT_EQ(gt.next_stream_event_cycle(h.core, 0), ~0ull);
    }
}

TEST_F(CoreTimers, El1PcenTrapsPhysicalTimerToEl2) {
    h.core.sr(SR::CNTHCTL_EL2) = 1;  // EL1PCTEN only
    EXPECT_TRUE(h.run_insns({kMrsCntpct}));
    EXPECT_TRUE(h.run_insns({kMrsCntvCtl}));  // the virtual timer is never trapped by it
    EXPECT_FALSE(h.run_insns({kMrsCntpCtl}));
    EXPECT_EQ(el(), 2u);
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL2)), 0x18u);
    EXPECT_EQ(h.core.sr(SR::ESR_EL2) & 1, 1u);  // read
}

TEST_F(CoreTimers, El1PctenTrapsPhysicalCounterToEl2) {
    h.core.sr(SR::CNTHCTL_EL2) = 2;
    EXPECT_FALSE(h.run_insns({kMrsCntpct}));
    EXPECT_EQ(el(), 2u);
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL2)), 0x18u);
}

TEST_F(CoreTimers, El0AccessNeedsCntkctlThenCnthctl) {
    h.core.sr(SR::CNTHCTL_EL2) = 3;
    to_el0();
    EXPECT_FALSE(h.run_insns({kMrsCntvCtl}));  // EL0VTEN = 0: to EL1
    EXPECT_EQ(el(), 1u);
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL1)), 0x18u);
    h.core.sr(SR::CNTKCTL_EL1) = (1u << 8) | (1u << 9);
    to_el0();
    EXPECT_TRUE(h.run_insns({kMrsCntvCtl}));
    EXPECT_TRUE(h.run_insns({kMrsCntpCtl}));
    // EL0PTEN allows it at EL1's level, EL1PCEN = 0 still traps it to EL2.
    h.core.sr(SR::CNTHCTL_EL2) = 1;
    EXPECT_FALSE(h.run_insns({kMrsCntpCtl}));
    EXPECT_EQ(el(), 2u);
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL2)), 0x18u);
    // CNTPCT at EL0: EL0PCTEN, then EL1PCTEN.
    h.core.sr(SR::CNTHCTL_EL2) = 3;
    to_el0();
    EXPECT_FALSE(h.run_insns({kMrsCntpct}));
    EXPECT_EQ(el(), 1u);
    h.core.sr(SR::CNTKCTL_EL1) = 1;
    h.core.sr(SR::CNTHCTL_EL2) = 2;
    to_el0();
    EXPECT_FALSE(h.run_insns({kMrsCntpct}));
    EXPECT_EQ(el(), 2u);
}

TEST_F(CoreTimers, El2AndSecureTimersUndefinedAtEl1) {
    EXPECT_FALSE(h.run_insns({kMrsCnthpCtl}));
    EXPECT_EQ(el(), 1u);
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL1)), 0x00u);
    EXPECT_FALSE(h.run_insns({kMrsCntpsCtl}));
    EXPECT_EQ(el(), 1u);
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL1)), 0x00u);
}
