// FEAT_VHE (models/cpu/sysregs_vhe.inc): HCR_EL2.E2H, the redirection of EL1
// register names at EL2, the *_EL12/*_EL02 aliases, the E2H register
// layouts, the EL2&0 translation regime, the EL0 controls of the host and
// the EL2 virtual timer.
#include <gtest/gtest.h>

#include <memory>

#include "models/timer/generic_timer.h"
#include "tests/unit/core_harness.h"

using hvsim::cpu::E2hScope;
using hvsim::cpu::SR;
using hvsim::cpu::SysRegInfo;

namespace {

constexpr uint64_t kHcrRw = 1ull << 31, kHcrTge = 1ull << 27, kHcrE2h = 1ull << 34;

// MSR/MRS (register) for an (op0, op1, CRn, CRm, op2) encoding and X0.
uint32_t sysreg_insn(bool read, uint32_t enc, unsigned rt = 0) {
    return 0xD5000000u | (uint32_t(read) << 21) | (enc << 5) | rt;
}
uint32_t msr(uint32_t enc) { return sysreg_insn(false, enc); }
uint32_t mrs(uint32_t enc) { return sysreg_insn(true, enc); }
uint32_t enc_of(SR r) { return hvsim::cpu::sysreg_info(r).encoding(); }
uint32_t alias_enc(SR target) {
    const SysRegInfo& i = hvsim::cpu::sysreg_info(target);
    return SysRegInfo::encode(i.op0, 5, i.crn, i.crm, i.op2);
}
uint32_t ec(uint64_t esr) { return static_cast<uint32_t>(esr >> 26) & 0x3F; }

struct Vhe : ::testing::Test {
    hvsim::test::CoreHarness h;
    Vhe() { h.core.reset(hvsim::test::CoreHarness::kRamBase, 2); }
    void set_hcr(uint64_t bits) { h.core.sr(SR::HCR_EL2) = kHcrRw | bits; }
    unsigned el() const { return h.core.st.pstate.el; }
    bool write(uint32_t enc, uint64_t v) {
        h.x(0) = v;
        return h.run_insns({msr(enc)});
    }
    bool read(uint32_t enc, uint64_t& v) {
        h.x(0) = 0xDEAD;
        const bool ok = h.run_insns({mrs(enc)});
        v = h.x(0);
        return ok;
    }
};

// A core built with a chosen configuration (EL2 absent, VHE off).
struct CustomCore {
    hvsim::test::FlatRam ram{hvsim::test::CoreHarness::kRamBase, 1 << 20};
    hvsim::cpu::SystemHooks hooks;
    hvsim::cpu::DecodeCache dcache;
    hvsim::cpu::GlobalMonitor monitor;
    std::unique_ptr<hvsim::cpu::Core> core;
    explicit CustomCore(const hvsim::cpu::CoreConfig& cfg) {
        core = std::make_unique<hvsim::cpu::Core>(cfg, ram, hooks, dcache, monitor);
        core->reset(hvsim::test::CoreHarness::kRamBase, cfg.has_el2 ? 2 : 1);
    }
};

}  // namespace

TEST(VheId, AdvertisedOnlyWithEl2AndVhe) {
    hvsim::cpu::CoreConfig cfg;
    EXPECT_EQ((CustomCore(cfg).core->sr(SR::ID_AA64MMFR1_EL1) >> 8) & 0xF, 1u);
    cfg.vhe = false;
    EXPECT_EQ((CustomCore(cfg).core->sr(SR::ID_AA64MMFR1_EL1) >> 8) & 0xF, 0u);
    cfg.vhe = true;
    cfg.has_el2 = false;
    EXPECT_EQ((CustomCore(cfg).core->sr(SR::ID_AA64MMFR1_EL1) >> 8) & 0xF, 0u);
}

TEST(VheId, WithoutVheE2hIsRes0AndVheRegistersAreUndefined) {
    hvsim::cpu::CoreConfig cfg;
    cfg.vhe = false;
    CustomCore c(cfg);
    auto& core = *c.core;
    const uint32_t wr_hcr = msr(enc_of(SR::HCR_EL2));
    std::memcpy(c.ram.host(hvsim::test::CoreHarness::kRamBase), &wr_hcr, 4);
    core.st.x[0] = kHcrRw | kHcrE2h;
    core.st.pc = hvsim::test::CoreHarness::kRamBase;
    core.run(core.cycles() + 1);
    EXPECT_EQ(core.sr(SR::HCR_EL2) & kHcrE2h, 0u);
    EXPECT_FALSE(core.e2h());
    // TTBR1_EL2: UNDEFINED without FEAT_VHE.
    const uint32_t insn = mrs(enc_of(SR::TTBR1_EL2));
    std::memcpy(c.ram.host(hvsim::test::CoreHarness::kRamBase + 4), &insn, 4);
    c.dcache.on_write(hvsim::test::CoreHarness::kRamBase, 8);
    core.st.pc = hvsim::test::CoreHarness::kRamBase + 4;
    const uint64_t retired = core.instructions();
    core.run(core.cycles() + 1);
    EXPECT_EQ(core.instructions(), retired);
    EXPECT_EQ(ec(core.sr(SR::ESR_EL2)), 0u);
}

TEST_F(Vhe, E2hIsWritableWithVhe) {
    EXPECT_TRUE(write(enc_of(SR::HCR_EL2), kHcrRw | kHcrE2h));
    EXPECT_TRUE(h.core.e2h());
}

TEST_F(Vhe, SctlrEl1NamesSctlrEl2WithE2h) {
    const uint64_t el1 = h.core.sr(SR::SCTLR_EL1), el2 = h.core.sr(SR::SCTLR_EL2);
    uint64_t v;
    ASSERT_TRUE(read(enc_of(SR::SCTLR_EL1), v));
    EXPECT_EQ(v, el1);
    set_hcr(kHcrE2h);
    ASSERT_TRUE(read(enc_of(SR::SCTLR_EL1), v));
    EXPECT_EQ(v, el2);
    ASSERT_TRUE(read(alias_enc(SR::SCTLR_EL1), v));  // SCTLR_EL12
    EXPECT_EQ(v, el1);
    ASSERT_TRUE(write(alias_enc(SR::SCTLR_EL1), el1 | 1));
    EXPECT_EQ(h.core.sr(SR::SCTLR_EL1), el1 | 1);
    EXPECT_EQ(h.core.sr(SR::SCTLR_EL2), el2);
}

TEST_F(Vhe, AliasesAreUndefinedWithoutE2hAndBelowEl2) {
    EXPECT_FALSE(write(alias_enc(SR::SCTLR_EL1), 0));
    EXPECT_EQ(el(), 2u);
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL2)), 0u);
    // At EL1 (E2H = 1, TGE = 0) the *_EL12 names are UNDEFINED too.
    set_hcr(kHcrE2h);
    h.core.reset(hvsim::test::CoreHarness::kRamBase, 1);
    set_hcr(kHcrE2h);
    EXPECT_FALSE(write(alias_enc(SR::TCR_EL1), 0));
    EXPECT_EQ(el(), 1u);
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL1)), 0u);
}

// Every redirected plain-storage register of the table: with E2H = 1 at
// EL2, a write of the EL1 name lands in the EL2 register and the alias
// reaches the EL1 register; with E2H = 0 the EL1 name is the EL1 register.
TEST_F(Vhe, EveryRedirectionAndAliasOfTheTable) {
    unsigned checked = 0;
    for (unsigned i = 0; i < hvsim::cpu::kNumSysRegs; ++i) {
        const SR from = SR(i);
        const auto& e = hvsim::cpu::e2h_info(from);
        if (e.scope == E2hScope::None) continue;
        const SysRegInfo& fi = hvsim::cpu::sysreg_info(from);
        if (fi.read) continue;  // timers: below
        SCOPED_TRACE(fi.name);
        const SR to = e.redirect;
        // A value every layout keeps: a low bit that is neither RES0 nor RES1
        // in either register (not bit 0: SCTLR.M would turn the MMU on).
        uint64_t bit = 0;
        for (unsigned b = 1; b < 64 && !bit; ++b) {
            const uint64_t m = 1ull << b;
            if (!(m & (fi.res0 | fi.res1 | hvsim::cpu::sysreg_info(to).res0 | hvsim::cpu::sysreg_info(to).res1 |
                       e.res0 | e.res1 | hvsim::cpu::e2h_info(to).res0 | hvsim::cpu::e2h_info(to).res1)))
                bit = m;
        }
        ASSERT_NE(bit, 0u);
        set_hcr(kHcrE2h);
        h.core.sr(from) = 0;
        h.core.sr(to) = 0;
        ASSERT_TRUE(write(fi.encoding(), bit));
        EXPECT_EQ(h.core.sr(to) & bit, bit);
        EXPECT_EQ(h.core.sr(from) & bit, 0u);
        ASSERT_NE(hvsim::cpu::e2h_alias_lookup(alias_enc(from)), -1);
        ASSERT_TRUE(write(alias_enc(from), bit));
        EXPECT_EQ(h.core.sr(from) & bit, bit);
        uint64_t v;
        ASSERT_TRUE(read(alias_enc(from), v));
        EXPECT_EQ(v & bit, bit);
        set_hcr(0);
        h.core.sr(from) = 0;
        ASSERT_TRUE(write(fi.encoding(), bit));
        EXPECT_EQ(h.core.sr(from) & bit, bit);
        ++checked;
    }
    EXPECT_EQ(checked, 16u);
    EXPECT_STREQ(hvsim::cpu::e2h_alias_name(alias_enc(SR::CNTV_CTL_EL0)), "CNTV_CTL_EL02");
}

TEST_F(Vhe, Tcr2UsesTheTcrEl1LayoutWithE2h) {
    const uint64_t a1 = 1ull << 22, as = 1ull << 36;  // RES0 in the TCR_EL2 layout
    ASSERT_TRUE(write(enc_of(SR::TCR_EL2), a1 | as));
    EXPECT_EQ(h.core.sr(SR::TCR_EL2), 0x80800000ull);  // TCR_EL2 layout: RES1 bits 31, 23
    set_hcr(kHcrE2h);
    ASSERT_TRUE(write(enc_of(SR::TCR_EL1), a1 | as));
    EXPECT_EQ(h.core.sr(SR::TCR_EL2), a1 | as);
}

TEST_F(Vhe, El20RegimeForEl2AndHostEl0) {
    h.core.sr(SR::TTBR1_EL2) = 0x1234000;
    EXPECT_EQ(h.core.translation_regs(2).regime, hvsim::mmu::Regime::EL2);
    set_hcr(kHcrE2h);
    auto r = h.core.translation_regs(2);
    EXPECT_EQ(r.regime, hvsim::mmu::Regime::EL20);
    EXPECT_EQ(r.ttbr1, 0x1234000u);
    EXPECT_EQ(h.core.translation_regs(0).regime, hvsim::mmu::Regime::EL10);
    set_hcr(kHcrE2h | kHcrTge);
    EXPECT_EQ(h.core.translation_regs(0).regime, hvsim::mmu::Regime::EL20);
    EXPECT_EQ(h.core.translation_regs(1).regime, hvsim::mmu::Regime::EL10);
}

TEST_F(Vhe, CntvctHasNoOffsetInTheEl20Regime) {
    h.core.sr(SR::CNTVOFF_EL2) = 1ull << 40;
    uint64_t v;
    ASSERT_TRUE(read(enc_of(SR::CNTVCT_EL0), v));
    EXPECT_GT(v, 1ull << 62);  // counter - 2^40 wraps
    set_hcr(kHcrE2h);
    ASSERT_TRUE(read(enc_of(SR::CNTVCT_EL0), v));
    EXPECT_LT(v, 1ull << 40);
}

// Host EL0 ({E2H,TGE} = {1,1}): CNTHCTL_EL2.EL0PCTEN (bit 0, the CNTKCTL
// layout) controls CNTPCT_EL0, trapping to EL2; SCTLR_EL2.UCT controls CTR_EL0.
TEST_F(Vhe, HostEl0UsesCnthctlAndSctlrEl2) {
    set_hcr(kHcrE2h | kHcrTge);
    h.core.sr(SR::CNTHCTL_EL2) = 0;
    h.core.sr(SR::CNTKCTL_EL1) = 0x3;
    h.core.st.pstate.el = 0;
    h.core.st.pstate.sp = false;
    EXPECT_FALSE(h.run_insns({mrs(enc_of(SR::CNTPCT_EL0))}));
    EXPECT_EQ(el(), 2u);
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL2)), 0x18u);
    h.core.sr(SR::CNTHCTL_EL2) = 1;
    h.core.sr(SR::SCTLR_EL2) |= 1u << 15;  // UCT
    h.core.sr(SR::SCTLR_EL1) &= ~(1ull << 15);
    h.core.st.pstate.el = 0;
    EXPECT_TRUE(h.run_insns({mrs(enc_of(SR::CNTPCT_EL0)), mrs(enc_of(SR::CTR_EL0))}));
    // SVC from host EL0 goes to EL2.
    EXPECT_FALSE(h.run_insns({0xD4000001}));
    EXPECT_EQ(el(), 2u);
    EXPECT_EQ(ec(h.core.sr(SR::ESR_EL2)), 0x15u);
}

// EL1 with E2H = 1, TGE = 0: CNTHCTL_EL2.EL1PCTEN is bit 10.
TEST_F(Vhe, GuestEl1PhysicalCounterTrapUsesBit10) {
    set_hcr(kHcrE2h);
    h.core.sr(SR::CNTHCTL_EL2) = 0x1;  // bit 0 is EL0PCTEN now, not EL1PCTEN
    h.core.st.pstate.el = 1;
    EXPECT_FALSE(h.run_insns({mrs(enc_of(SR::CNTPCT_EL0))}));
    EXPECT_EQ(el(), 2u);
    h.core.sr(SR::CNTHCTL_EL2) = 1u << 10;
    h.core.st.pstate.el = 1;
    EXPECT_TRUE(h.run_insns({mrs(enc_of(SR::CNTPCT_EL0))}));
}

// CNTV_* at EL2 with E2H is the EL2 virtual timer; CNTV_*_EL02 the EL1 one.
TEST_F(Vhe, VirtualTimerRedirection) {
    using hvsim::timer::TimerId;
    hvsim::timer::GenericTimer t(nullptr);
    h.core.set_timer(&t);
    set_hcr(kHcrE2h);
    ASSERT_TRUE(write(enc_of(SR::CNTV_CTL_EL0), 1));
    EXPECT_EQ(t.comparator(TimerId::HypVirt).ctl, 1u);
    EXPECT_EQ(t.comparator(TimerId::Virt).ctl, 0u);
    ASSERT_TRUE(write(alias_enc(SR::CNTV_CTL_EL0), 3));
    EXPECT_EQ(t.comparator(TimerId::Virt).ctl, 3u);
    ASSERT_TRUE(write(enc_of(SR::CNTP_CVAL_EL0), 77));
    EXPECT_EQ(t.comparator(TimerId::HypPhys).cval, 77u);
    ASSERT_TRUE(write(enc_of(SR::CNTHV_CVAL_EL2), 99));
    EXPECT_EQ(t.comparator(TimerId::HypVirt).cval, 99u);
    h.core.set_timer(nullptr);
}

// The EL2 virtual timer compares the count with offset 0.
TEST(VheTimer, HypVirtIgnoresCntvoff) {
    using hvsim::timer::TimerId;
    hvsim::timer::GenericTimer t(nullptr);
    t.write(SR::CNTHV_CVAL_EL2, 100, /*pct=*/0, /*voff=*/0);
    t.write(SR::CNTHV_CTL_EL2, 1, 0, 0);
    t.update(150, /*voff=*/1000);
    EXPECT_TRUE(t.output_level(TimerId::HypVirt));
    EXPECT_EQ(t.next_event_count(50, 1000), 100u);
}
