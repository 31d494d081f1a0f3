// The system register table and the registers whose reads or writes do more
// than store a value.
#include "sysregs.h"

#include <array>
#include <vector>

#include "core.h"
#include "pmu.h"

namespace hvsim::cpu {
namespace {

using namespace access;

// ---- reset values computed from the configuration -------------------------
// The ID registers are the single source of truth for features: advertise
// only what is complete.
uint64_t reset_midr(const Core& c) { return c.config().midr; }
uint64_t reset_mpidr(const Core& c) {
    // Bit 31 RES1; U (bit 30) = 0: part of a multiprocessor system.
    return (1ull << 31) | (uint64_t(c.config().aff1) << 8) | c.config().aff0;
}
uint64_t reset_id_aa64pfr0(const Core& c) {
    uint64_t v = 0;
    v |= 1ull << 0;                                  // EL0: AArch64 only
    v |= 1ull << 4;                                  // EL1: AArch64 only
    v |= uint64_t(c.el_implemented(2) ? 1 : 0) << 8; // EL2
    v |= uint64_t(c.el_implemented(3) ? 1 : 0) << 12;// EL3
    // FP and AdvSIMD = 0: implemented, ARMv8.0 (no half-precision arithmetic).

    v |= uint64_t(c.config().gic_sysregs ? 1 : 0) << 24;  // GIC: CPU interface system registers
    return v;
}
uint64_t reset_id_aa64dfr0(const Core& c) {
    // DebugVer = 6 (ARMv8.0 debug), 2 breakpoints, 2 watchpoints, 1 context
    // comparator; PMUVer [11:8] = 1 (FEAT_PMUv3) when the platform gives the
    // core a PMU. Debug exceptions are not modelled (README).
    return 0x6 | (uint64_t(c.config().pmu ? 1 : 0) << 8) | (1ull << 12) | (1ull << 20);
}
uint64_t reset_mdcr_el2(const Core& c) {
    // HPMN resets to PMCR_EL0.N (Arm ARM D17, MDCR_EL2.HPMN).
    return c.config().pmu ? c.config().pmu_counters : 0;
}
uint64_t reset_id_aa64isar0(const Core&) {
    return 1ull << 16;  // CRC32 [19:16]: CRC32* instructions (FEAT_CRC32)
}
uint64_t reset_id_aa64mmfr0(const Core& c) {
    static constexpr unsigned kPaRange[] = {32, 36, 40, 42, 44, 48};
    uint64_t pa = 5;
    for (unsigned i = 0; i < 6; ++i)
        if (kPaRange[i] == c.config().pa_bits) pa = i;
    // ASIDBits = 16, 4K/64K supported, 16K supported.
    return pa | (2ull << 4) | (1ull << 20);
}
uint64_t reset_id_aa64mmfr1(const Core& c) {
    // VH (bits [11:8]): FEAT_VHE, only with EL2.
    return uint64_t(c.vhe_implemented() ? 1 : 0) << 8;
}
uint64_t reset_clidr(const Core& c) { return cache::clidr_for(c.config().caches); }
uint64_t reset_ctr(const Core& c) { return cache::ctr_for(c.config().caches); }

// ---- callbacks -------------------------------------------------------------
bool el2_enabled(const Core& c) { return c.el_implemented(2) && (!c.el_implemented(3) || (c.sr(SR::SCR_EL3) & 1)); }

uint64_t rd_midr(Core& c, SR) {
    // Reads at EL1 return VPIDR_EL2 when EL2 is enabled (Arm ARM D17.2.100).
    return (c.st.pstate.el == 1 && el2_enabled(c)) ? c.sr(SR::VPIDR_EL2) : c.sr(SR::MIDR_EL1);
}
uint64_t rd_mpidr(Core& c, SR) {
    return (c.st.pstate.el == 1 && el2_enabled(c)) ? c.sr(SR::VMPIDR_EL2) : c.sr(SR::MPIDR_EL1);
}
uint64_t rd_ccsidr(Core& c, SR) { return cache::ccsidr_for(c.config().caches, c.sr(SR::CSSELR_EL1)); }
uint64_t rd_dczid(Core& c, SR) {
    // BS = 4: DC ZVA zeroes 16 words. DZP is set where DC ZVA would trap or
    // be UNDEFINED (Arm ARM D17.2.35).
    bool prohibited = (c.st.pstate.el == 0 && !(c.sctlr_of(0) & (1u << 14))) ||
                      (c.st.pstate.el <= 1 && el2_enabled(c) && (c.sr(SR::HCR_EL2) & (1ull << 28)));
    return 4 | (uint64_t(prohibited) << 4);
}
uint64_t rd_sp_el0(Core& c, SR) {
    if (!c.st.pstate.sp) c.undefined();  // Arm ARM: UNDEFINED when SP_EL0 is the current SP
    return c.st.sp_el[0];
}
void wr_sp_el0(Core& c, SR, uint64_t v) {
    if (!c.st.pstate.sp) c.undefined();
    c.st.sp_el[0] = v;
}
uint64_t rd_sp_el1(Core& c, SR) { return c.st.sp_el[1]; }
void wr_sp_el1(Core& c, SR, uint64_t v) { c.st.sp_el[1] = v; }
uint64_t rd_sp_el2(Core& c, SR) { return c.st.sp_el[2]; }
void wr_sp_el2(Core& c, SR, uint64_t v) { c.st.sp_el[2] = v; }
uint64_t rd_spsel(Core& c, SR) { return c.st.pstate.sp; }
void wr_spsel(Core& c, SR, uint64_t v) { c.st.pstate.sp = v & 1; }
uint64_t rd_currentel(Core& c, SR) { return uint64_t(c.st.pstate.el) << 2; }
uint64_t rd_nzcv(Core& c, SR) { return c.st.pstate.nzcv(); }
void wr_nzcv(Core& c, SR, uint64_t v) { c.st.pstate.set_nzcv(v); }
uint64_t rd_daif(Core& c, SR) { return c.st.pstate.daif(); }
void wr_daif(Core& c, SR, uint64_t v) {
    c.st.pstate.set_daif(v);
    c.recheck_interrupts();
}
uint64_t rd_isr(Core& c, SR) { return c.isr(); }
uint64_t rd_cntpct(Core& c, SR) { return c.counter(); }
uint64_t rd_cntvct(Core& c, SR) {
    // CNTVCT = CNTPCT - CNTVOFF_EL2 (Arm ARM D11.2.2); with no EL2 the offset
    // is zero, and with FEAT_VHE it is treated as zero in the EL2&0 regime
    // (EL2 with E2H, EL0 with {E2H,TGE} = {1,1}).
    if (c.in_el20(c.st.pstate.el)) return c.counter();
    return c.counter() - (c.el_implemented(2) ? c.sr(SR::CNTVOFF_EL2) : 0);
}
// The timers (CNTP_*, CNTV_*, CNTHP_*, CNTPS_*): the model the platform
// connected; without one the registers do not exist.
uint64_t rd_timer(Core& c, SR r) {
    if (!c.timer()) c.undefined();
    return c.timer()->read_sysreg(c, r);
}
void wr_timer(Core& c, SR r, uint64_t v) {
    if (!c.timer()) c.undefined();
    c.timer()->write_sysreg(c, r, v);
}
void wr_cntvoff(Core& c, SR r, uint64_t v) {
    c.sr(r) = v;
    if (c.timer()) c.timer()->write_sysreg(c, r, v);  // moves the virtual timer's deadline
}
void wr_oslar(Core& c, SR, uint64_t v) {
    // OSLSR_EL1.OSLK (bit 1) follows OSLAR_EL1.OSLK; OSLM = 0b10 (bit 3).
    c.sr(SR::OSLSR_EL1) = 0x8 | ((v & 1) << 1);
}
uint64_t rd_zero(Core&, SR) { return 0; }
void wr_ignore(Core&, SR, uint64_t) {}
// The `mmu` trace: a write that changes a register controlling translation
// (for HCR_EL2 its VM, PTW, DC, TGE, CD, ID and E2H bits; for SCR_EL3 NS).
void trace_translation_write(Core& c, SR r, uint64_t old) {
    const uint64_t now = c.sr(r);
    uint64_t relevant = ~0ull;
    if (r == SR::HCR_EL2) relevant = (1ull << 0) | (1ull << 2) | (1ull << 12) | (1ull << 27) | (7ull << 32);
    if (r == SR::SCR_EL3) relevant = 1;
    if (((old ^ now) & relevant) == 0) return;
    c.trace().emit(Trace::kMmu, c.cycles(), c.config().index, "write reg={} old={:#x} new={:#x} changed={:#x} el={}",
                   sysreg_info(r).name, old, now, old ^ now, c.st.pstate.el);
}
void wr_translation(Core& c, SR r, uint64_t v) {
    uint64_t res0, res1;
    sysreg_write_masks(c, r, res0, res1);
    const uint64_t old = c.sr(r);
    c.sr(r) = (v & ~res0) | res1;
    c.on_translation_change();
    if (c.trace().on(Trace::kMmu)) trace_translation_write(c, r, old);
}
// Performance Monitors (pmu.h): the access checks ran in
// Core::sysreg_trap_check (T_PMU), which also refuses them without a PMU.
uint64_t rd_pmu(Core& c, SR r) { return c.pmu()->read(c, r); }
void wr_pmu(Core& c, SR r, uint64_t v) { c.pmu()->write(c, r, v); }
// MDCR_EL2/MDCR_EL3/SCR_EL3 decide what the PMU counts: it takes the events
// so far under the old values first.
void wr_pmu_control(Core& c, SR r, uint64_t v) {
    if (c.pmu()) c.pmu()->sync(c);
    uint64_t res0, res1;
    sysreg_write_masks(c, r, res0, res1);
    c.sr(r) = (v & ~res0) | res1;
    if (c.pmu()) c.pmu()->sync(c);
}
void wr_scr(Core& c, SR r, uint64_t v) {
    if (c.pmu()) c.pmu()->sync(c);
    wr_translation(c, r, v);
}
void wr_hcr(Core& c, SR r, uint64_t v) {
    // E2H (bit 34) is RES0 without FEAT_VHE.
    if (!c.vhe_implemented()) v &= ~(1ull << 34);
    wr_translation(c, r, v);
}

// GICv3 CPU interface (ICC_*): the interrupt controller the platform
// connected; without one the registers do not exist.
uint64_t rd_gic(Core& c, SR r) {
    if (!c.interrupt_controller()) c.undefined();
    return c.interrupt_controller()->read_sysreg(c, r);
}
void wr_gic(Core& c, SR r, uint64_t v) {
    if (!c.interrupt_controller()) c.undefined();
    c.interrupt_controller()->write_sysreg(c, r, v);
}

constexpr SysRegRead none_rd = nullptr;
constexpr SysRegWrite none_wr = nullptr;

#define RESET_FN(f) 0, reset_##f
template <typename R, typename W>
constexpr SysRegInfo make(const char* name, unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
                          uint8_t acc, uint32_t traps, uint64_t reset, SysRegReset reset_fn, uint64_t res0,
                          uint64_t res1, R rd, W wr, SysOpKind kind) {
    return SysRegInfo{name, uint8_t(op0), uint8_t(op1), uint8_t(crn), uint8_t(crm), uint8_t(op2), acc, traps,
                      reset, reset_fn, res0, res1, rd, wr, kind};
}

// RESET is either a plain value or RESET_FN(f), which expands to two values;
// SPLIT_RESET normalises both forms to (value, fn).
#define SPLIT_RESET_1(v) v, nullptr
#define SPLIT_RESET_2(v, f) v, f
#define GET_3RD(a, b, c, ...) c
#define SPLIT_RESET(...) GET_3RD(__VA_ARGS__, SPLIT_RESET_2, SPLIT_RESET_1)(__VA_ARGS__)

const std::vector<SysRegInfo>& table() {
    static const std::vector<SysRegInfo> t = {
#define SYSREG(name, op0, op1, crn, crm, op2, acc, traps, reset, res0, res1, rd, wr) \
    make(#name, op0, op1, crn, crm, op2, acc, traps, SPLIT_RESET(reset), res0, res1, RD_##rd, WR_##wr, SysOpKind::None),
#define SYSOP(name, op1, crn, crm, op2, acc, traps, kind) \
    make(#name, 1, op1, crn, crm, op2, acc, traps, 0, nullptr, 0, 0, none_rd, none_wr, SysOpKind::kind),
#define RD_none none_rd
#define WR_none none_wr
#define RD_rd_midr rd_midr
#define RD_rd_mpidr rd_mpidr
#define RD_rd_ccsidr rd_ccsidr
#define RD_rd_dczid rd_dczid
#define RD_rd_sp_el0 rd_sp_el0
#define RD_rd_sp_el1 rd_sp_el1
#define RD_rd_sp_el2 rd_sp_el2
#define RD_rd_spsel rd_spsel
#define RD_rd_currentel rd_currentel
#define RD_rd_nzcv rd_nzcv
#define RD_rd_daif rd_daif
#define RD_rd_isr rd_isr
#define RD_rd_cntpct rd_cntpct
#define RD_rd_cntvct rd_cntvct
#define RD_rd_zero rd_zero
#define RD_rd_gic rd_gic
#define RD_rd_timer rd_timer
#define WR_wr_timer wr_timer
#define WR_wr_cntvoff wr_cntvoff
#define WR_wr_gic wr_gic
#define WR_wr_sp_el0 wr_sp_el0
#define WR_wr_sp_el1 wr_sp_el1
#define WR_wr_sp_el2 wr_sp_el2
#define WR_wr_spsel wr_spsel
#define WR_wr_nzcv wr_nzcv
#define WR_wr_daif wr_daif
#define WR_wr_oslar wr_oslar
#define WR_wr_ignore wr_ignore
#define WR_wr_translation wr_translation
#define WR_wr_hcr wr_hcr
#define RD_rd_pmu rd_pmu
#define WR_wr_pmu wr_pmu
#define WR_wr_pmu_control wr_pmu_control
#define WR_wr_scr wr_scr
#include "sysregs.inc"
#undef SYSREG
#undef SYSOP
    };
    return t;
}

std::vector<E2hInfo> build_e2h() {
    std::vector<E2hInfo> t(kNumSysRegs);
#define VHE_ONLY(reg) t[unsigned(SR::reg)].vhe_only = true;
#define E2H_REDIRECT(from, to, sc) \
    t[unsigned(SR::from)].scope = E2hScope::sc, t[unsigned(SR::from)].redirect = SR::to;
#define E2H_ALIAS(name, target)
#define E2H_LAYOUT(reg, r0, r1) \
    t[unsigned(SR::reg)].has_layout = true, t[unsigned(SR::reg)].res0 = r0, t[unsigned(SR::reg)].res1 = r1;
#include "sysregs_vhe.inc"
#undef VHE_ONLY
#undef E2H_REDIRECT
#undef E2H_ALIAS
#undef E2H_LAYOUT
    return t;
}

struct E2hAlias {
    const char* name;
    SR target;
};
const std::vector<E2hAlias>& e2h_aliases() {
    static const std::vector<E2hAlias> t = {
#define VHE_ONLY(reg)
#define E2H_REDIRECT(from, to, sc)
#define E2H_ALIAS(name, target) {#name, SR::target},
#define E2H_LAYOUT(reg, r0, r1)
#include "sysregs_vhe.inc"
#undef VHE_ONLY
#undef E2H_REDIRECT
#undef E2H_ALIAS
#undef E2H_LAYOUT
    };
    return t;
}
// The alias's encoding: its target's with op1 = 5.
uint32_t alias_encoding(SR target) {
    const SysRegInfo& i = sysreg_info(target);
    return SysRegInfo::encode(i.op0, 5, i.crn, i.crm, i.op2);
}
int alias_index(uint32_t encoding) {
    const auto& a = e2h_aliases();
    for (unsigned i = 0; i < a.size(); ++i)
        if (alias_encoding(a[i].target) == encoding) return int(i);
    return -1;
}

std::vector<int16_t> build_index() {
    std::vector<int16_t> idx(1u << 16, -1);
    const auto& t = table();
    for (unsigned i = 0; i < t.size(); ++i) idx[t[i].encoding()] = static_cast<int16_t>(i);
    return idx;
}

}  // namespace

const SysRegInfo& sysreg_info(SR r) { return table()[static_cast<unsigned>(r)]; }

const E2hInfo& e2h_info(SR r) {
    static const std::vector<E2hInfo> t = build_e2h();
    return t[static_cast<unsigned>(r)];
}

int e2h_alias_lookup(uint32_t encoding) {
    const int i = alias_index(encoding);
    return i < 0 ? -1 : int(e2h_aliases()[i].target);
}

const char* e2h_alias_name(uint32_t encoding) {
    const int i = alias_index(encoding);
    return i < 0 ? nullptr : e2h_aliases()[i].name;
}

void sysreg_write_masks(const Core& c, SR r, uint64_t& res0, uint64_t& res1) {
    const E2hInfo& e = e2h_info(r);
    if (e.has_layout && c.e2h()) {
        res0 = e.res0, res1 = e.res1;
        return;
    }
    const SysRegInfo& i = sysreg_info(r);
    res0 = i.res0, res1 = i.res1;
}

int sysreg_lookup(uint32_t encoding) {
    static const std::vector<int16_t> idx = build_index();
    return encoding < idx.size() ? idx[encoding] : -1;
}

}  // namespace hvsim::cpu
