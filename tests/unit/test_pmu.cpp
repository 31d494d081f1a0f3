// The PMUv3 model (models/cpu/pmu.h) on a core: registers, EL filtering,
// access checks and traps, overflow and its interrupt (Arm ARM D7 and the
// PM* register descriptions).
#include <gtest/gtest.h>

#include "models/cpu/pmu.h"
#include "tests/unit/core_harness.h"

using hvsim::cpu::Pmu;
using hvsim::cpu::SR;
namespace ev = hvsim::cpu::pmu_event;

namespace {

constexpr uint32_t kNop = 0xD503201F;
constexpr uint32_t kSvc = 0xD4000001;

// MRS/MSR Xt of (op0=3, op1, CRn, CRm, op2).
uint32_t sysreg_insn(bool read, unsigned op1, unsigned crn, unsigned crm, unsigned op2, unsigned rt = 0) {
    return 0xD5100000u | (uint32_t(read) << 21) | (1u << 19) | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5) | rt;
}
const uint32_t kMrsPmcr = sysreg_insn(true, 3, 9, 12, 0);
const uint32_t kMsrPmcr = sysreg_insn(false, 3, 9, 12, 0);
const uint32_t kMrsPmccntr = sysreg_insn(true, 3, 9, 13, 0);
const uint32_t kMsrPmccntr = sysreg_insn(false, 3, 9, 13, 0);
const uint32_t kMrsPmcntenset = sysreg_insn(true, 3, 9, 12, 1);
const uint32_t kMsrPmcntenset = sysreg_insn(false, 3, 9, 12, 1);
const uint32_t kMrsPmceid0 = sysreg_insn(true, 3, 9, 12, 6);
const uint32_t kMrsPmceid1 = sysreg_insn(true, 3, 9, 12, 7);
const uint32_t kMrsPmevcntr2 = sysreg_insn(true, 3, 14, 8, 2);
const uint32_t kMrsPmevcntr6 = sysreg_insn(true, 3, 14, 8, 6);
const uint32_t kMrsPmxevcntr = sysreg_insn(true, 3, 9, 13, 2);
const uint32_t kMrsPmuserenr = sysreg_insn(true, 3, 9, 14, 0);
const uint32_t kMsrPmuserenr = sysreg_insn(false, 3, 9, 14, 0);
const uint32_t kMrsPmintenset = sysreg_insn(true, 0, 9, 14, 1);
const uint32_t kMsrPmswinc = sysreg_insn(false, 3, 9, 12, 4);
const uint32_t kMrsDfr0 = 0xD5380500;  // mrs x0, id_aa64dfr0_el1

constexpr uint64_t kE = 1, kP = 2, kC = 4, kD = 8, kLc = 1u << 6;
constexpr uint64_t kFiltP = 1ull << 31, kFiltU = 1ull << 30, kFiltNsk = 1ull << 29, kFiltNsh = 1ull << 27;

uint32_t ec(uint64_t esr) { return static_cast<uint32_t>(esr >> 26) & 0x3F; }

hvsim::cpu::CoreConfig pmu_core() {
    hvsim::cpu::CoreConfig c;
    c.pmu = true;
    c.pmu_counters = 6;
    return c;
}

struct PmuTest : ::testing::Test {
    hvsim::test::CoreHarness h{pmu_core()};
    Pmu pmu{hvsim::cpu::PmuConfig{}};
    bool irq = false;
    unsigned irq_edges = 0;

    PmuTest() {
        h.core.set_pmu(&pmu);
        pmu.set_output([this](bool level) {
            irq = level;
            ++irq_edges;
        });
        pmu.reset(h.core);
    }
    void wr(SR r, uint64_t v) { pmu.write(h.core, r, v); }
    uint64_t rd(SR r) { return pmu.read(h.core, r); }
    SR evtyper(unsigned n) { return SR(unsigned(SR::PMEVTYPER0_EL0) + n); }
    SR evcntr(unsigned n) { return SR(unsigned(SR::PMEVCNTR0_EL0) + n); }
    void nops(unsigned n) { ASSERT_TRUE(h.run_insns(std::vector<uint32_t>(n, kNop))); }
    unsigned el() const { return h.core.st.pstate.el; }
    void at_el(unsigned e) { h.core.st.pstate.el = uint8_t(e); }
};

}  // namespace

TEST_F(PmuTest, IdentificationAndPmcr) {
    ASSERT_TRUE(h.run_insns({kMrsDfr0}));
    EXPECT_EQ((h.x(0) >> 8) & 0xF, 1u);  // PMUVer: FEAT_PMUv3
    ASSERT_TRUE(h.run_insns({kMrsPmcr}));
    EXPECT_EQ((h.x(0) >> 11) & 0x1F, 6u);  // N
    EXPECT_EQ(h.core.sr(SR::MDCR_EL2) & 0x1F, 6u);  // HPMN resets to N
    // P and C are actions that read as zero; X is RAZ/WI.
    h.x(0) = kE | kP | kC | kD | 0x10 | kLc;
    ASSERT_TRUE(h.run_insns({kMsrPmcr, kMrsPmcr}));
    EXPECT_EQ(h.x(0) & 0x7F, kE | kD | kLc);
}

TEST_F(PmuTest, PmceidListsExactlyTheImplementedEvents) {
    // No cache or TLB sources configured: the architectural events only.
    ASSERT_TRUE(h.run_insns({kMrsPmceid0}));
    EXPECT_EQ(h.x(0), (1ull << ev::SW_INCR) | (1ull << ev::INST_RETIRED) | (1ull << ev::EXC_TAKEN) |
                          (1ull << ev::EXC_RETURN) | (1ull << ev::CPU_CYCLES));
    ASSERT_TRUE(h.run_insns({kMrsPmceid1}));
    EXPECT_EQ(h.x(0), 0u);
    hvsim::cpu::PmuConfig all;
    all.caches = all.l2_cache = all.tlb = all.l2_tlb = true;
    Pmu full(all);
    EXPECT_EQ(full.read(h.core, SR::PMCEID0_EL0), 0x73Full | (1ull << 0x11) | (1ull << 0x14) | (1ull << 0x16) | (1ull << 0x17));
    EXPECT_EQ(full.read(h.core, SR::PMCEID1_EL0), (1ull << (0x2D - 32)) | (1ull << (0x2F - 32)));
    EXPECT_FALSE(full.implements(0x10));  // BR_MIS_PRED: no branch predictor
}

TEST_F(PmuTest, EnableBitsStopAtN) {
    h.x(0) = ~0ull;
    ASSERT_TRUE(h.run_insns({kMsrPmcntenset, kMrsPmcntenset}));
    EXPECT_EQ(h.x(0), 0x8000003Full);
    wr(SR::PMSELR_EL0, 3);
    wr(SR::PMXEVTYPER_EL0, ev::CPU_CYCLES | kFiltP | kFiltNsk);  // NSK is RES0 without EL3
    EXPECT_EQ(rd(evtyper(3)), ev::CPU_CYCLES | kFiltP);
    wr(SR::PMSELR_EL0, 31);
    wr(SR::PMXEVTYPER_EL0, kFiltU | kFiltNsh | 0x11);  // PMCCFILTR: no evtCount
    EXPECT_EQ(rd(SR::PMCCFILTR_EL0), kFiltU | kFiltNsh);
}

TEST_F(PmuTest, CountsInstructionsCyclesAndExceptions) {
    wr(evtyper(0), ev::INST_RETIRED);
    wr(evtyper(1), ev::CPU_CYCLES);
    wr(evtyper(2), ev::EXC_TAKEN);
    wr(evtyper(3), ev::L1D_CACHE);  // not implemented here: counts nothing
    wr(SR::PMCNTENSET_EL0, 0xF | (1u << 31));
    wr(SR::PMCR_EL0, kE | kP | kC);
    nops(10);
    EXPECT_EQ(rd(evcntr(0)), 10u);
    EXPECT_EQ(rd(evcntr(1)), 10u);  // a NOP costs one cycle
    EXPECT_EQ(rd(SR::PMCCNTR_EL0), 10u);
    EXPECT_EQ(rd(evcntr(3)), 0u);
    EXPECT_FALSE(h.run_insns({kSvc}));
    EXPECT_EQ(rd(evcntr(2)), 1u);
    // PMCR.E = 0 stops every counter.
    wr(SR::PMCR_EL0, 0);
    nops(5);
    EXPECT_EQ(rd(evcntr(0)), 10u);
}

TEST_F(PmuTest, CycleCounterDivider) {
    wr(SR::PMCNTENSET_EL0, 1u << 31);
    wr(SR::PMCR_EL0, kE | kD | kC);
    nops(130);
    EXPECT_EQ(rd(SR::PMCCNTR_EL0), 2u);  // one count per 64 cycles
}

TEST_F(PmuTest, FiltersByExceptionLevel) {
    wr(evtyper(0), ev::INST_RETIRED | kFiltP | kFiltNsh);  // EL2 and EL0, not EL1
    wr(evtyper(1), ev::INST_RETIRED);                      // EL1 and EL0, not EL2 (NSH = 0)
    wr(evtyper(2), ev::INST_RETIRED | kFiltNsh | kFiltU);  // EL1 and EL2, not EL0
    wr(SR::PMCNTENSET_EL0, 7);
    wr(SR::PMCR_EL0, kE | kP);
    nops(4);
    EXPECT_EQ(rd(evcntr(0)), 0u);
    EXPECT_EQ(rd(evcntr(1)), 4u);
    EXPECT_EQ(rd(evcntr(2)), 4u);
    at_el(2);
    rd(SR::PMCR_EL0);  // the PMU samples at the change (an exception would)
    nops(3);
    EXPECT_EQ(rd(evcntr(0)), 3u);
    EXPECT_EQ(rd(evcntr(1)), 4u);
    EXPECT_EQ(rd(evcntr(2)), 7u);
    at_el(0);
    rd(SR::PMCR_EL0);
    nops(2);
    rd(SR::PMCR_EL0);
    at_el(2);
    EXPECT_EQ(rd(evcntr(0)), 5u);
    EXPECT_EQ(rd(evcntr(1)), 6u);
    EXPECT_EQ(rd(evcntr(2)), 7u);
}

TEST_F(PmuTest, ExceptionIsCountedAtTheLevelItLeaves) {
    wr(evtyper(0), ev::EXC_TAKEN | kFiltP);  // not at EL1
    wr(evtyper(1), ev::EXC_TAKEN | kFiltU);  // not at EL0
    wr(SR::PMCNTENSET_EL0, 3);
    wr(SR::PMCR_EL0, kE);
    at_el(0);
    EXPECT_FALSE(h.run_insns({kSvc}));  // EL0 -> EL1
    EXPECT_EQ(el(), 1u);
    EXPECT_EQ(rd(evcntr(0)), 1u);
    EXPECT_EQ(rd(evcntr(1)), 0u);
}

TEST_F(PmuTest, EventCounterOverflowRaisesTheInterrupt) {
    wr(evtyper(0), ev::INST_RETIRED);
    wr(evcntr(0), 0xFFFFFFFE);
    wr(SR::PMINTENSET_EL1, 1);
    wr(SR::PMCNTENSET_EL0, 1);
    wr(SR::PMCR_EL0, kE);
    EXPECT_EQ(pmu.next_event_cycle(h.core), h.core.cycles() + 2);
    nops(1);
    EXPECT_FALSE(irq);
    nops(2);
    EXPECT_EQ(rd(evcntr(0)), 1u);  // wrapped
    EXPECT_EQ(rd(SR::PMOVSSET_EL0), 1u);
    EXPECT_TRUE(irq);
    // PMCR.E = 0 masks the request; the status stays.
    wr(SR::PMCR_EL0, 0);
    EXPECT_FALSE(irq);
    wr(SR::PMCR_EL0, kE);
    EXPECT_TRUE(irq);
    wr(SR::PMOVSCLR_EL0, 1);
    EXPECT_FALSE(irq);
    EXPECT_EQ(rd(SR::PMOVSSET_EL0), 0u);
    // Without PMINTENSET the status is set, the line stays low.
    wr(SR::PMINTENCLR_EL1, 1);
    wr(evcntr(0), 0xFFFFFFFF);
    nops(1);
    EXPECT_EQ(rd(SR::PMOVSSET_EL0), 1u);
    EXPECT_FALSE(irq);
}

// A counter that counts only at the EL an ERET enters ends the run slice
// where it may overflow, as the platform's run loop does with
// next_event_cycle(): the interrupt comes with no PM* access.
TEST_F(PmuTest, RunSliceEndsWhereACounterOfTheNewElOverflows) {
    wr(evtyper(0), ev::INST_RETIRED | kFiltP);  // EL0 only
    wr(evcntr(0), 0xFFFFFFF0);
    wr(SR::PMINTENSET_EL1, 1);
    wr(SR::PMCNTENSET_EL0, 1);
    wr(SR::PMCR_EL0, kE);
    std::vector<uint32_t> code = {0xD69F03E0};  // eret
    code.insert(code.end(), 200, kNop);
    code.push_back(0x14000000);  // b .
    std::memcpy(h.ram.host(h.kRamBase), code.data(), code.size() * 4);
    h.dcache.on_write(h.kRamBase, unsigned(code.size() * 4));
    h.core.sr(SR::SPSR_EL1) = 0;  // EL0t
    h.core.sr(SR::ELR_EL1) = h.kRamBase + 4;
    h.core.st.pc = h.kRamBase;
    const uint64_t start = h.core.cycles();
    for (int slices = 0; slices < 10 && !irq; ++slices) {
        h.core.run(std::min<uint64_t>(start + 100000, pmu.next_event_cycle(h.core)));
        pmu.update(h.core);
    }
    EXPECT_EQ(el(), 0u);
    EXPECT_TRUE(irq);
    EXPECT_EQ(rd(SR::PMOVSSET_EL0), 1u);
    EXPECT_EQ(rd(evcntr(0)), 0u);  // stopped at the wrap, not a slice later
    EXPECT_LT(h.core.cycles(), start + 100);
}

TEST_F(PmuTest, CycleCounterOverflowFollowsLc) {
    wr(SR::PMCNTENSET_EL0, 1u << 31);
    wr(SR::PMCCNTR_EL0, 0xFFFFFFFEull);
    wr(SR::PMCR_EL0, kE | kLc);  // 64-bit overflow: none at bit 31
    nops(4);
    EXPECT_EQ(rd(SR::PMCCNTR_EL0), 0x100000002ull);
    EXPECT_EQ(rd(SR::PMOVSSET_EL0), 0u);
    wr(SR::PMCCNTR_EL0, 0x1FFFFFFFEull);
    wr(SR::PMCR_EL0, kE);  // overflow out of bit 31, the counter goes on in 64 bits
    EXPECT_EQ(pmu.next_event_cycle(h.core), h.core.cycles() + 2);
    nops(4);
    EXPECT_EQ(rd(SR::PMCCNTR_EL0), 0x200000002ull);
    EXPECT_EQ(rd(SR::PMOVSSET_EL0), 1ull << 31);
}

TEST_F(PmuTest, SoftwareIncrement) {
    wr(evtyper(0), ev::SW_INCR);
    wr(evtyper(1), ev::SW_INCR | kFiltP);  // filtered at EL1
    wr(evtyper(2), ev::INST_RETIRED);      // not SW_INCR
    wr(SR::PMCNTENSET_EL0, 7);
    wr(SR::PMCR_EL0, kE);
    h.x(0) = 7;
    ASSERT_TRUE(h.run_insns({kMsrPmswinc, kMsrPmswinc}));
    EXPECT_EQ(rd(evcntr(0)), 2u);
    EXPECT_EQ(rd(evcntr(1)), 0u);
    EXPECT_EQ(rd(evcntr(2)), 2u);  // the two MSRs retired
}

TEST_F(PmuTest, HpmnReservesCountersForEl2) {
    h.core.sr(SR::MDCR_EL2) = 2;  // HPMN = 2, HPME = 0
    ASSERT_TRUE(h.run_insns({kMrsPmcr}));
    EXPECT_EQ((h.x(0) >> 11) & 0x1F, 2u);  // N reads HPMN at EL1
    h.x(0) = 0xFF;
    ASSERT_TRUE(h.run_insns({kMsrPmcntenset, kMrsPmcntenset}));
    EXPECT_EQ(h.x(0), 3u);
    EXPECT_FALSE(h.run_insns({kMrsPmevcntr2}));  // reserved for EL2: UNDEFINED
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL1)), 0x00u);
    at_el(2);
    EXPECT_EQ((rd(SR::PMCR_EL0) >> 11) & 0x1F, 6u);
    wr(evtyper(3), ev::INST_RETIRED | kFiltNsh);
    wr(SR::PMCNTENSET_EL0, 1u << 3);
    wr(SR::PMCR_EL0, kE);
    nops(3);
    EXPECT_EQ(rd(evcntr(3)), 0u);  // counters >= HPMN follow MDCR_EL2.HPME, not PMCR.E
    h.x(0) = 2 | (1u << 7);
    ASSERT_TRUE(h.run_insns({0xD51C1120}));  // msr mdcr_el2, x0: HPME
    nops(3);
    EXPECT_EQ(rd(evcntr(3)), 4u);  // the MSR that set HPME is counted after it
    // PMCR.P from EL1 leaves the EL2 counters alone.
    wr(evcntr(0), 5);
    at_el(1);
    h.x(0) = kE | kP;
    ASSERT_TRUE(h.run_insns({kMsrPmcr}));
    at_el(2);
    EXPECT_EQ(rd(evcntr(0)), 0u);
    EXPECT_NE(rd(evcntr(3)), 0u);
}

TEST_F(PmuTest, Mdcr2TrapsEl1Accesses) {
    h.core.sr(SR::MDCR_EL2) = 6 | (1u << 5);  // TPMCR
    ASSERT_TRUE(h.run_insns({kMrsPmccntr}));
    EXPECT_FALSE(h.run_insns({kMrsPmcr}));
    EXPECT_EQ(el(), 2u);
    const uint64_t esr = h.core.sr(SR::ESR_EL2);
    EXPECT_EQ(ec(esr), 0x18u);
    EXPECT_EQ(esr & 1, 1u);            // read
    EXPECT_EQ((esr >> 10) & 0xF, 9u);  // CRn
    EXPECT_EQ((esr >> 1) & 0xF, 12u);  // CRm
    at_el(1);
    h.core.sr(SR::MDCR_EL2) = 6 | (1u << 6);  // TPM: every PM* register
    for (uint32_t insn : {kMrsPmccntr, kMrsPmuserenr, kMrsPmintenset, kMsrPmswinc}) {
        at_el(1);
        EXPECT_FALSE(h.run_insns({insn})) << std::hex << insn;
        EXPECT_EQ(el(), 2u);
        EXPECT_EQ(ec(h.core.sr(SR::ESR_EL2)), 0x18u);
    }
    // A counter beyond N is UNDEFINED before the trap.
    at_el(1);
    EXPECT_FALSE(h.run_insns({kMrsPmevcntr6}));
    EXPECT_EQ(el(), 1u);
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL1)), 0x00u);
}

TEST_F(PmuTest, UserEnableControlsEl0) {
    at_el(0);
    ASSERT_TRUE(h.run_insns({kMrsPmuserenr}));  // always readable at EL0
    EXPECT_FALSE(h.run_insns({kMrsPmccntr}));
    EXPECT_EQ(el(), 1u);
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL1)), 0x18u);
    wr(SR::PMUSERENR_EL0, 4);  // CR: PMCCNTR reads only
    at_el(0);
    ASSERT_TRUE(h.run_insns({kMrsPmccntr}));
    EXPECT_FALSE(h.run_insns({kMsrPmccntr}));
    EXPECT_EQ(el(), 1u);
    at_el(0);
    EXPECT_FALSE(h.run_insns({kMsrPmuserenr}));  // EL0 cannot write it: UNDEFINED
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL1)), 0x00u);
    wr(SR::PMUSERENR_EL0, 8);  // ER: event counter reads and PMSELR
    at_el(0);
    ASSERT_TRUE(h.run_insns({kMrsPmxevcntr}));
    EXPECT_FALSE(h.run_insns({kMrsPmcr}));
    EXPECT_EQ(el(), 1u);
    wr(SR::PMUSERENR_EL0, 0);
    h.core.sr(SR::HCR_EL2) |= 1ull << 27;  // TGE: EL0's trap goes to EL2
    at_el(0);
    EXPECT_FALSE(h.run_insns({kMrsPmccntr}));
    EXPECT_EQ(el(), 2u);
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL2)), 0x18u);
}

TEST_F(PmuTest, SelectOutOfRangeIsUndefined) {
    wr(SR::PMSELR_EL0, 31);
    EXPECT_FALSE(h.run_insns({kMrsPmxevcntr}));  // SEL = 31 names no event counter
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL1)), 0x00u);
    wr(SR::PMSELR_EL0, 7);
    EXPECT_FALSE(h.run_insns({kMrsPmxevcntr}));
}

TEST_F(PmuTest, ResetClearsTheState) {
    wr(SR::PMINTENSET_EL1, 1);
    wr(SR::PMOVSSET_EL0, 1);
    wr(SR::PMCR_EL0, kE);
    EXPECT_TRUE(irq);
    pmu.reset(h.core);
    EXPECT_FALSE(irq);
    EXPECT_EQ(rd(SR::PMCR_EL0) & 0x7F, 0u);
    EXPECT_FALSE(pmu.active());
}

namespace {
hvsim::cpu::CoreConfig pmu_core_el3() {
    hvsim::cpu::CoreConfig c = pmu_core();
    c.has_el3 = true;
    return c;
}
constexpr uint64_t kMdcr3Tpm = 1u << 6, kMdcr3Spme = 1u << 17;
constexpr uint64_t kDp = 1u << 5;

struct PmuEl3Test : PmuTest {
    hvsim::test::CoreHarness h3{pmu_core_el3()};
    Pmu pmu3{hvsim::cpu::PmuConfig{}};
    PmuEl3Test() {
        h3.core.set_pmu(&pmu3);
        h3.core.sr(SR::SCR_EL3) |= 1;  // Non-secure EL1
        pmu3.reset(h3.core);
    }
    void wr3(SR r, uint64_t v) { pmu3.write(h3.core, r, v); }
    uint64_t rd3(SR r) { return pmu3.read(h3.core, r); }
    void nops3(unsigned n) { ASSERT_TRUE(h3.run_insns(std::vector<uint32_t>(n, kNop))); }
};
}  // namespace

TEST_F(PmuEl3Test, Mdcr3TrapsToEl3AfterMdcr2) {
    h3.core.sr(SR::MDCR_EL3) = kMdcr3Tpm;
    EXPECT_FALSE(h3.run_insns({kMrsPmccntr}));
    EXPECT_EQ(h3.core.st.pstate.el, 3u);
    EXPECT_EQ(ec(h3.core.sr(SR::ESR_EL3)), 0x18u);
    h3.core.st.pstate.el = 1;
    h3.core.sr(SR::MDCR_EL2) = 6 | (1u << 6);  // TPM at EL2 comes first
    EXPECT_FALSE(h3.run_insns({kMrsPmccntr}));
    EXPECT_EQ(h3.core.st.pstate.el, 2u);
    // EL2's own accesses go to EL3.
    EXPECT_FALSE(h3.run_insns({kMrsPmccntr}));
    EXPECT_EQ(h3.core.st.pstate.el, 3u);
}

TEST_F(PmuEl3Test, SecurityStateFiltersAndProhibits) {
    // Non-secure EL1 counts when P == NSK.
    wr3(SR(unsigned(SR::PMEVTYPER0_EL0)), ev::INST_RETIRED | kFiltP | kFiltNsk);
    wr3(SR(unsigned(SR::PMEVTYPER1_EL0)), ev::INST_RETIRED | kFiltP);
    wr3(SR::PMCNTENSET_EL0, 3 | (1u << 31));
    wr3(SR::PMCR_EL0, kE | kC);
    nops3(3);
    EXPECT_EQ(rd3(SR::PMEVCNTR0_EL0), 3u);
    EXPECT_EQ(rd3(SR::PMEVCNTR1_EL0), 0u);
    // Secure EL1: NSK does not apply, and without MDCR_EL3.SPME event
    // counting is prohibited; the cycle counter goes on unless PMCR.DP.
    wr3(SR::PMEVTYPER1_EL0, ev::INST_RETIRED);
    h3.core.sr(SR::SCR_EL3) &= ~1ull;
    const uint64_t cc = rd3(SR::PMCCNTR_EL0);
    nops3(2);
    EXPECT_EQ(rd3(SR::PMEVCNTR1_EL0), 0u);
    EXPECT_EQ(rd3(SR::PMCCNTR_EL0), cc + 2);
    wr3(SR::PMCR_EL0, kE | kDp);
    nops3(2);
    EXPECT_EQ(rd3(SR::PMCCNTR_EL0), cc + 2);
    h3.core.sr(SR::MDCR_EL3) = kMdcr3Spme;
    rd3(SR::PMCR_EL0);
    nops3(2);
    EXPECT_EQ(rd3(SR::PMEVCNTR1_EL0), 2u);
    EXPECT_EQ(rd3(SR::PMEVCNTR0_EL0), 3u);  // P = 1 filters Secure EL1
}
