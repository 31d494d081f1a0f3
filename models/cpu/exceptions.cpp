// The AArch64 exception model (Arm ARM D1.10-D1.11): taking synchronous
// exceptions and interrupts, exception return, and system register access
// checks and traps.
#include "core.h"
#include "pmu.h"

namespace hvsim::cpu {

namespace {
constexpr uint64_t kHcrImo = 1ull << 4, kHcrFmo = 1ull << 3, kHcrAmo = 1ull << 5;
constexpr uint64_t kHcrVf = 1ull << 6, kHcrVi = 1ull << 7, kHcrVse = 1ull << 8;
constexpr uint64_t kHcrTge = 1ull << 27;
constexpr uint64_t kScrFiq = 1ull << 2, kScrIrq = 1ull << 1, kScrEa = 1ull << 3;

// Vector offsets from VBAR_ELx (Arm ARM D1.10.2).
constexpr uint64_t kVecIrq = 0x080, kVecFiq = 0x100, kVecSError = 0x180;
}  // namespace

unsigned Core::sync_target_el() const {
    const unsigned el = st.pstate.el;
    if (el == 0) return (el2_enabled() && (sr(SR::HCR_EL2) & kHcrTge)) ? 2 : 1;
    return el;
}

void Core::take_exception(unsigned target_el, uint32_t ecode, uint32_t iss, bool far_valid, uint64_t far,
                          uint64_t vector_offset, bool preferred_is_next) {
    const unsigned from = st.pstate.el;
    const uint64_t elr = preferred_is_next ? st.pc + 4 : st.pc;
    SR esr = target_el == 1 ? SR::ESR_EL1 : target_el == 2 ? SR::ESR_EL2 : SR::ESR_EL3;
    SR farr = target_el == 1 ? SR::FAR_EL1 : target_el == 2 ? SR::FAR_EL2 : SR::FAR_EL3;
    // IL = 1: every A64 instruction is 32 bits, and IL is RES1 for the
    // exception classes that do not report an instruction.
    sr(esr) = (uint64_t(ecode) << 26) | (1u << 25) | (iss & 0x1FFFFFF);
    if (far_valid) sr(farr) = far;
    if (trace_->on(Trace::kExc))
        trace_->emit(Trace::kExc, cycles_, cfg_.index, "sync EL{}->EL{} pc={:#x} esr={:#010x}{}", from, target_el,
                     st.pc, sr(esr), far_valid ? fmt::format(" far={:#x}", far) : std::string());
    enter_exception(target_el, vector_offset, elr);
    cycles_ += cfg_.costs[CostClass::ExceptionEntry];
    throw ExceptionTaken{};
}

void Core::enter_exception(unsigned target_el, uint64_t vector_offset, uint64_t elr) {
    const unsigned from = st.pstate.el;
    SR spsr = target_el == 1 ? SR::SPSR_EL1 : target_el == 2 ? SR::SPSR_EL2 : SR::SPSR_EL3;
    SR elr_r = target_el == 1 ? SR::ELR_EL1 : target_el == 2 ? SR::ELR_EL2 : SR::ELR_EL3;
    SR vbar = target_el == 1 ? SR::VBAR_EL1 : target_el == 2 ? SR::VBAR_EL2 : SR::VBAR_EL3;
    if (icount_ != exc_mark_insns_) {
        exc_mark_insns_ = icount_;
        exc_streak_ = 0;
    } else if (++exc_streak_ == kMaxExceptionStreak) {
        hooks_.guest_stuck(*this, fmt::format("cpu{}: {} exceptions without retiring an instruction (last taken to EL{} "
                                              "from pc={:#x}, ESR={:#x}): the vectors fault too",
                                              cfg_.index, kMaxExceptionStreak, target_el, st.pc,
                                              sr(target_el == 1 ? SR::ESR_EL1 : target_el == 2 ? SR::ESR_EL2 : SR::ESR_EL3)));
        halt();
    }
    sr(spsr) = st.pstate.to_spsr();
    sr(elr_r) = elr;
    if (pmu_ && pmu_->active()) pmu_->on_exception(*this);
    uint64_t base = target_el > from ? 0x400 : st.pstate.sp ? 0x200 : 0x0;
    enter_el(target_el);
    if (pmu_ && pmu_->active()) pmu_->on_el_entered(*this);
    st.pstate.sp = true;
    st.pstate.d = st.pstate.a = st.pstate.i = st.pstate.f = true;
    st.pstate.il = false;
    st.pstate.ss = false;
    st.pc = sr(vbar) + base + vector_offset;
    next_pc_ = st.pc;
    ++stats_.exceptions_to_el[target_el];
    note_events();
}

void Core::undefined() {
    ++stats_.undefs;
    take_exception(sync_target_el(), ec::Unknown, 0);
}

namespace {
// DFSC/IFSC of a fault (Arm ARM D17.2.37, ISS encoding for Data/Instruction Aborts).
uint32_t fault_status(const mmu::Fault& f) {
    switch (f.type) {
    case mmu::FaultType::AddressSize: return fsc::AddressSize0 + f.level;
    case mmu::FaultType::Translation: return fsc::Translation0 + f.level;
    case mmu::FaultType::AccessFlag: return fsc::AccessFlag0 + f.level;
    case mmu::FaultType::Permission: return fsc::Permission0 + f.level;
    case mmu::FaultType::Alignment: return fsc::Alignment;
    default: return f.on_table_walk ? 0x14u + f.level : fsc::SyncExternal;  // on a walk: 0b0101LL
    }
}
}  // namespace

unsigned Core::abort_target(const mmu::Fault& f) const {
    unsigned target = sync_target_el();
    if (f.type == mmu::FaultType::SyncExternal && has_el3_ && (sr(SR::SCR_EL3) & kScrEa)) return 3;
    // Stage-2 faults go to EL2 (Arm ARM D8.13.4), as do stage-1 faults of
    // EL0 with HCR_EL2.TGE (sync_target_el()).
    if (f.stage2 && target < 2) target = 2;
    return target;
}

void Core::record_stage2_fault(unsigned target, const mmu::Fault& f) {
    // HPFAR_EL2.FIPA holds IPA[47:12] in bits [39:4] for stage-2 faults taken
    // to EL2 (and for S1PTW faults).
    if (target == 2 && f.stage2) sr(SR::HPFAR_EL2) = ((f.ipa >> 12) & 0xFFFFFFFFFull) << 4;
}

void Core::data_abort(uint64_t va, const mmu::Fault& f, bool write, unsigned el, bool cm) {
    const unsigned target = abort_target(f);
    uint32_t iss = fault_status(f) | (uint32_t(write) << 6) | (uint32_t(f.s1ptw) << 7) | (uint32_t(cm) << 8);
    // The instruction syndrome (ISV) is valid for stage-2 faults on the access
    // itself by a single-register load/store, taken to EL2 (Arm ARM D17.2.37,
    // ISV); hypervisors emulate MMIO with it.
    if (target == 2 && f.stage2 && !f.s1ptw && access_iss_) iss |= access_iss_;
    access_iss_ = 0;
    record_stage2_fault(target, f);
    const uint32_t ecode = target == st.pstate.el ? ec::DataAbortSame : ec::DataAbortLower;
    (void)el;
    take_exception(target, ecode, iss, true, va);
}

void Core::insn_abort(uint64_t va, const mmu::Fault& f) {
    const unsigned target = abort_target(f);
    const uint32_t iss = fault_status(f) | (uint32_t(f.s1ptw) << 7);
    record_stage2_fault(target, f);
    const uint32_t ecode = target == st.pstate.el ? ec::InsnAbortSame : ec::InsnAbortLower;
    take_exception(target, ecode, iss, true, va);
}

// AArch64.ExceptionReturn() with IllegalExceptionReturn() (Arm ARM J1.1.1).
void Core::exception_return() {
    const unsigned el = st.pstate.el;
    const uint64_t spsr = sr(el == 1 ? SR::SPSR_EL1 : el == 2 ? SR::SPSR_EL2 : SR::SPSR_EL3);
    const uint64_t elr = sr(el == 1 ? SR::ELR_EL1 : el == 2 ? SR::ELR_EL2 : SR::ELR_EL3);
    const unsigned m = spsr & 0x1F;
    const unsigned target = (m >> 2) & 3;
    bool illegal = (m & 0x10)                     // AArch32: not implemented
                   || (m & 0x2)                   // reserved M[1]
                   || (target == 0 && (m & 1))    // EL0 with SP_ELx
                   || target > el || !el_implemented(target);
    if (!illegal && target == 2 && has_el3_ && !(sr(SR::SCR_EL3) & 1)) illegal = true;  // no Secure EL2
    if (!illegal && target == 1 && el2_enabled() && (sr(SR::HCR_EL2) & kHcrTge)) illegal = true;

    if (trace_->on(Trace::kExc))
        trace_->emit(Trace::kExc, cycles_, cfg_.index, "eret EL{} -> {:#x} spsr={:#x}{}", el, elr, spsr,
                     illegal ? " (illegal return)" : "");
    if (pmu_ && pmu_->active()) pmu_->on_exception_return(*this);
    account_el();
    st.pstate.set_nzcv(spsr);
    st.pstate.set_daif(spsr);
    st.pstate.ss = (spsr >> 21) & 1;
    if (illegal) {
        // EL, SP and the execution state are unchanged; IL is set.
        st.pstate.il = true;
    } else {
        st.pstate.il = (spsr >> 20) & 1;
        enter_el(target);
        if (pmu_ && pmu_->active()) pmu_->on_el_entered(*this);
        st.pstate.sp = m & 1;
    }
    refetch();
    local_monitor_.valid = false;
    monitor_.clear(cfg_.index);
    next_pc_ = elr;
    note_events();
}

// ---- interrupts ------------------------------------------------------------

uint64_t Core::isr() const {
    uint64_t v = 0;
    const uint64_t hcr = el2_enabled() && st.pstate.el <= 1 ? sr(SR::HCR_EL2) : 0;
    const bool virt_i = (hcr & kHcrImo) && !(hcr & kHcrTge);
    const bool virt_f = (hcr & kHcrFmo) && !(hcr & kHcrTge);
    v |= uint64_t(virt_i ? (bool(hcr & kHcrVi) || virq_line_) : irq_line_) << 7;
    v |= uint64_t(virt_f ? (bool(hcr & kHcrVf) || vfiq_line_) : fiq_line_) << 6;
    if ((hcr & kHcrAmo) && !(hcr & kHcrTge)) v |= uint64_t(bool(hcr & kHcrVse)) << 8;
    else v |= uint64_t(serror_pending_) << 8;
    return v;
}

bool Core::interrupt_pending() const {
    const uint64_t hcr = el2_enabled() ? sr(SR::HCR_EL2) : 0;
    return irq_line_ || fiq_line_ || virq_line_ || vfiq_line_ || serror_pending_ || (hcr & (kHcrVi | kHcrVf | kHcrVse));
}

void Core::check_pending_interrupts() {
    // Physical interrupt routing and masking (Arm ARM D1.11.2, table
    // "Routing and masking of physical interrupts"). An interrupt targeting a
    // higher EL than the current one is not masked by PSTATE; one targeting
    // the current EL is masked by PSTATE.{I,F}; one targeting a lower EL is
    // not taken.
    const unsigned el = st.pstate.el;
    const uint64_t scr = has_el3_ ? sr(SR::SCR_EL3) : 0;
    const uint64_t hcr = el2_enabled() ? sr(SR::HCR_EL2) : 0;
    auto route = [&](bool scr_bit, uint64_t hcr_bit) -> unsigned {
        if (scr_bit) return 3;
        if (has_el2_ && el2_enabled() && (hcr & (hcr_bit | kHcrTge))) return 2;
        return 1;
    };
    auto try_take = [&](bool line, bool mask, unsigned target, uint64_t offset) {
        if (!line || target < el) return false;
        if (target == el && mask) return false;
        if (trace_->on(Trace::kExc))
            trace_->emit(Trace::kExc, cycles_, cfg_.index, "{} EL{}->EL{} pc={:#x}", offset == kVecIrq ? "irq" : "fiq",
                         el, target, st.pc);
        enter_exception(target, offset, st.pc);
        cycles_ += cfg_.costs[CostClass::ExceptionEntry];
        return true;
    };
    if (try_take(fiq_line_, st.pstate.f, route(scr & kScrFiq, kHcrFmo), kVecFiq)) return;
    if (try_take(irq_line_, st.pstate.i, route(scr & kScrIrq, kHcrImo), kVecIrq)) return;
    if (serror_pending_) {
        // A physical SError interrupt: routed by SCR_EL3.EA and HCR_EL2.AMO
        // (TGE) like the other asynchronous exceptions, masked by PSTATE.A
        // at its own EL (Arm ARM D1.11.2). Without FEAT_RAS the syndrome is
        // IMPLEMENTATION DEFINED: EC 0x2F, ISS 0.
        const unsigned target = route(scr & kScrEa, kHcrAmo);
        if (target >= el && !(target == el && st.pstate.a)) {
            serror_pending_ = false;
            if (trace_->on(Trace::kExc))
                trace_->emit(Trace::kExc, cycles_, cfg_.index, "serror EL{}->EL{} pc={:#x}", el, target, st.pc);
            static constexpr SR kEsr[4] = {SR::ESR_EL1, SR::ESR_EL1, SR::ESR_EL2, SR::ESR_EL3};
            sr(kEsr[target]) = (uint64_t(ec::SError) << 26) | (1u << 25);
            enter_exception(target, kVecSError, st.pc);
            cycles_ += cfg_.costs[CostClass::ExceptionEntry];
            return;
        }
    }
    // Virtual interrupts (HCR_EL2.VF/VI/VSE, or the GIC's virtual lines, with
    // FMO/IMO/AMO) are taken to EL1 from EL0/EL1, masked by PSTATE (Arm ARM
    // D1.11.3).
    if (el <= 1 && !(hcr & kHcrTge)) {
        if ((hcr & kHcrFmo) && ((hcr & kHcrVf) || vfiq_line_) && !st.pstate.f) {
            enter_exception(1, kVecFiq, st.pc);
            return;
        }
        if ((hcr & kHcrImo) && ((hcr & kHcrVi) || virq_line_) && !st.pstate.i) {
            enter_exception(1, kVecIrq, st.pc);
            return;
        }
        if ((hcr & kHcrAmo) && (hcr & kHcrVse) && !st.pstate.a) {
            // The virtual SError syndrome comes from VSESR_EL2 with RAS; in
            // ARMv8.0 ESR_EL1 is IMPLEMENTATION DEFINED: report EC 0x2F, ISS 0.
            sr(SR::HCR_EL2) &= ~kHcrVse;
            sr(SR::ESR_EL1) = (uint64_t(ec::SError) << 26) | (1u << 25);
            enter_exception(1, kVecSError, st.pc);
            return;
        }
    }
}

// ---- system register access ------------------------------------------------

namespace {
constexpr uint64_t kHcrTid1 = 1ull << 16, kHcrTid2 = 1ull << 17, kHcrTid3 = 1ull << 18;
constexpr uint64_t kHcrTacr = 1ull << 21, kHcrTsw = 1ull << 22, kHcrTpc = 1ull << 23, kHcrTpu = 1ull << 24;
constexpr uint64_t kHcrTtlb = 1ull << 25, kHcrTvm = 1ull << 26, kHcrTdz = 1ull << 28, kHcrTrvm = 1ull << 30;
}  // namespace

// ISS for EC 0x18 (Arm ARM D17.2.37: "ISS encoding for an exception from
// MSR, MRS, or System instruction execution in AArch64 state").
static uint32_t sysreg_iss(uint32_t enc, bool is_read, unsigned rt) {
    unsigned op0 = (enc >> 14) & 3, op1 = (enc >> 11) & 7, crn = (enc >> 7) & 0xF, crm = (enc >> 3) & 0xF,
             op2 = enc & 7;
    return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | uint32_t(is_read);
}

bool Core::sysreg_trap_check(const SysRegInfo& info, bool is_read, uint32_t enc, Reg rt) {
    const unsigned el = st.pstate.el;
    const uint32_t t = info.traps;
    const uint32_t iss = sysreg_iss(enc, is_read, rt.idx());
    auto trap_to = [&](unsigned target) { take_exception(target, ec::SysReg, iss); };
    const bool tge = el2_enabled() && (sr(SR::HCR_EL2) & kHcrTge);
    const unsigned el0_target = tge ? 2 : 1;
    // In the EL2&0 regime ({E2H,TGE} = {1,1}) SCTLR_EL2 and CNTHCTL_EL2
    // (with the CNTKCTL_EL1 layout of its EL0 controls) stand for SCTLR_EL1
    // and CNTKCTL_EL1.
    const bool host_el0 = el == 0 && in_el20(0);
    const uint64_t sctlr1 = sctlr_of(0);

    // EL0 accesses controlled by SCTLR_EL1 (and CNTKCTL_EL1) come first.
    if (el == 0) {
        if ((t & T_UCT) && !(sctlr1 & (1u << 15))) trap_to(el0_target);
        if ((t & T_UCI) && !(sctlr1 & (1u << 26))) trap_to(el0_target);
        if ((t & T_UMA) && !(sctlr1 & (1u << 9))) trap_to(el0_target);
        if ((t & T_DZE) && !(sctlr1 & (1u << 14))) trap_to(el0_target);
        const uint64_t kctl = host_el0 ? sr(SR::CNTHCTL_EL2) : sr(SR::CNTKCTL_EL1);
        if ((t & T_TIMER_PCT) && !(kctl & 1)) trap_to(el0_target);
        if ((t & T_TIMER_VCT) && !(kctl & 2)) trap_to(el0_target);
        if ((t & T_TIMER_PT) && !(kctl & (1u << 9))) trap_to(el0_target);  // EL0PTEN
        if ((t & T_TIMER_VT) && !(kctl & (1u << 8))) trap_to(el0_target);  // EL0VTEN
    }
    // HCR_EL2 traps of EL1 (and, for cache maintenance, EL0) accesses.
    if (el <= 1 && el2_enabled()) {
        const uint64_t hcr = sr(SR::HCR_EL2);
        const bool el1 = el == 1;
        if (el1 && (t & T_TID1) && (hcr & kHcrTid1)) trap_to(2);
        if ((t & T_TID2) && (hcr & kHcrTid2)) trap_to(2);
        if (el1 && (t & T_TID3) && (hcr & kHcrTid3)) trap_to(2);
        if (el1 && (t & T_VM) && (hcr & (is_read ? kHcrTrvm : kHcrTvm))) trap_to(2);
        if (el1 && (t & T_TACR) && (hcr & kHcrTacr)) trap_to(2);
        if (el1 && (t & T_TSW) && (hcr & kHcrTsw)) trap_to(2);
        if ((t & T_TPC) && (hcr & kHcrTpc)) trap_to(2);
        if ((t & T_TPU) && (hcr & kHcrTpu)) trap_to(2);
        if (el1 && (t & T_TTLB) && (hcr & kHcrTtlb)) trap_to(2);
        if ((t & T_DZE) && (hcr & kHcrTdz)) trap_to(2);
        // CNTHCTL_EL2.EL1PCTEN/EL1PCEN trap EL1 and (once CNTKCTL_EL1 allowed
        // them) EL0 accesses to the physical counter and timer (Arm ARM
        // CNTPCT_EL0/CNTP_*_EL0 access pseudocode): bits 0/1 with E2H = 0,
        // bits 10/11 with E2H = 1; not in the EL2&0 regime (TGE = 1).
        if (!host_el0) {
            const uint64_t hctl = sr(SR::CNTHCTL_EL2);
            const unsigned pct_bit = e2h() ? 10 : 0, pt_bit = e2h() ? 11 : 1;
            if ((t & T_TIMER_PCT) && !((hctl >> pct_bit) & 1)) trap_to(2);
            if ((t & T_TIMER_PT) && !((hctl >> pt_bit) & 1)) trap_to(2);
        }
        // SGI generation from EL1 traps when the hypervisor owns physical
        // IRQs/FIQs (IHI 0069 ICC_SGI0R/SGI1R/ASGI1R_EL1 access pseudocode).
        if (el1 && (t & T_GIC_IMO) && (hcr & kHcrImo)) trap_to(2);
        if (el1 && (t & T_GIC_FMO) && (hcr & kHcrFmo)) trap_to(2);
    }
    if (t & T_FP) check_fp_enabled();
    // CPACR_EL1 accesses trapped by CPTR_EL2.TCPAC / CPTR_EL3.TCPAC.
    if (t & T_CPAC) {
        if (el == 1 && el2_enabled() && (sr(SR::CPTR_EL2) & (1ull << 31))) trap_to(2);
        if (el <= 2 && has_el3_ && (sr(SR::CPTR_EL3) & (1ull << 31))) trap_to(3);
    }
    return true;
}

// AArch64.CheckFPEnabled() and AArch64.CheckFPAdvSIMDTrap() (Arm ARM J1):
// CPACR_EL1.FPEN for EL0/EL1 outside the EL2&0 host regime, then CPTR_EL2
// (FPEN with E2H = 1, TFP otherwise), then CPTR_EL3.TFP.
void Core::check_fp_enabled() {
    const unsigned el = st.pstate.el;
    // AArch64.AdvSIMDFPAccessTrap(): a trap to EL1 is routed to EL2 with an
    // Unknown syndrome when HCR_EL2.TGE = 1; otherwise EC 0x07 with the
    // A64 condition syndrome (CV = 1, COND = 0b1110).
    auto trap = [&](unsigned target) {
        if (target == 1 && el2_enabled() && (sr(SR::HCR_EL2) & kHcrTge)) take_exception(2, ec::Unknown, 0);
        take_exception(target, ec::FpAccess, 0x1Eu << 20);
    };
    auto fpen_disables = [&](uint64_t reg, bool el0_only_cond) {
        const unsigned fpen = (reg >> 20) & 3;
        return (fpen & 1) == 0 || (fpen == 1 && el0_only_cond);
    };
    const bool host = in_el20(el);
    if (el <= 1 && !host && fpen_disables(sr(SR::CPACR_EL1), el == 0)) trap(1);
    if (el <= 2 && el2_enabled()) {
        const uint64_t cptr = sr(SR::CPTR_EL2);
        if (e2h()) {
            if (fpen_disables(cptr, el == 0 && (sr(SR::HCR_EL2) & kHcrTge))) trap(2);
        } else if (cptr & (1u << 10)) {
            trap(2);
        }
    }
    if (has_el3_ && (sr(SR::CPTR_EL3) & (1u << 10))) trap(3);
}

bool Core::sysreg_access(uint32_t enc, bool is_read, Reg rt) {
    const unsigned el = st.pstate.el;
    const int idx = sysreg_lookup(enc);
    if (idx < 0 && vhe_implemented()) {
        // *_EL12/*_EL02 (sysregs_vhe.inc): the EL1/EL0 register itself, from
        // EL2 or EL3 with HCR_EL2.E2H = 1; UNDEFINED otherwise (no FEAT_NV).
        const int alias = e2h_alias_lookup(enc);
        if (alias >= 0) {
            if (el < 2 || !e2h()) return false;
            const SR r = static_cast<SR>(alias);
            sysreg_trap_check(sysreg_info(r), is_read, enc, rt);
            sysreg_rw(r, is_read, rt);
            return true;
        }
    }
    if (idx < 0) {
        // Unallocated encodings in the ID register space read as zero from
        // EL1 and above (Arm ARM D17.1.3: op0=3, op1=0, CRn=0, CRm=1..7).
        const unsigned op0 = (enc >> 14) & 3, op1 = (enc >> 11) & 7, crn = (enc >> 7) & 0xF, crm = (enc >> 3) & 0xF;
        if (is_read && el >= 1 && op0 == 3 && op1 == 0 && crn == 0 && crm >= 1 && crm <= 7) {
            if (el == 1 && el2_enabled() && (sr(SR::HCR_EL2) & kHcrTid3))
                take_exception(2, ec::SysReg, sysreg_iss(enc, is_read, rt.idx()));
            setX(rt, 0);
            return true;
        }
        // IMPLEMENTATION DEFINED registers (op0 = 3, CRn = 11 or 15): none
        // exist here, so UNDEFINED, unless HCR_EL2.TIDCP traps EL1 accesses
        // to EL2 (Arm ARM D17.2.48, TIDCP).
        if (el == 1 && op0 == 3 && (crn == 11 || crn == 15) && el2_enabled() && (sr(SR::HCR_EL2) & (1ull << 20)))
            take_exception(2, ec::SysReg, sysreg_iss(enc, is_read, rt.idx()));
        return false;
    }
    const SR r = static_cast<SR>(idx);
    const SysRegInfo& info = sysreg_info(r);
    if (info.owner_el() >= 2 && !el_implemented(info.owner_el())) return false;
    const E2hInfo& e2h_i = e2h_info(r);
    if (e2h_i.vhe_only && !vhe_implemented()) return false;
    const uint8_t need = (is_read ? access::R0 : access::W0) << (2 * el);
    if (!(info.access & need)) return false;
    if (info.op_kind != SysOpKind::None && is_read) return false;  // SYSL to a SYS operation
    sysreg_trap_check(info, is_read, enc, rt);
    if (info.traps & T_PMU) {
        const int to = pmu_ ? pmu_->access_check(*this, r, is_read) : -1;
        if (to < 0) return false;
        if (to > 0) take_exception(unsigned(to), ec::SysReg, sysreg_iss(enc, is_read, rt.idx()));
    }
    // ICH_HCR_EL2.TC/TALL0/TALL1/TDIR trap EL1 accesses of ICC_* registers
    // to EL2 (IHI 0069 12.5.7); the interrupt controller knows which.
    if (el == 1 && gic_ && info.op0 == 3 && info.op1 == 0 && (info.crn == 12 || (info.crn == 4 && info.crm == 6)) &&
        el2_enabled() && gic_->traps_to_el2(*this, r))
        take_exception(2, ec::SysReg, sysreg_iss(enc, is_read, rt.idx()));

    if (info.op_kind != SysOpKind::None) {
        sys_op(r, info.op_kind, X(rt));
        return true;
    }
    // HCR_EL2.E2H = 1: EL1 register names at EL2 (and the timers in the
    // EL2&0 regime) access the EL2 registers (sysregs_vhe.inc).
    const bool redirect = e2h_i.scope != E2hScope::None &&
                          (e2h_i.scope == E2hScope::El20 ? in_el20(el) : el == 2 && e2h());
    sysreg_rw(redirect ? e2h_i.redirect : r, is_read, rt);
    return true;
}

void Core::sysreg_rw(SR r, bool is_read, Reg rt) {
    if (is_read) setX(rt, sysreg_read(r));
    else sysreg_write(r, X(rt));
}

uint64_t Core::sysreg_read(SR r) {
    const SysRegInfo& info = sysreg_info(r);
    return info.read ? info.read(*this, r) : sr(r);
}

void Core::sysreg_write(SR r, uint64_t v) {
    const SysRegInfo& info = sysreg_info(r);
    if (info.write) {
        info.write(*this, r, v);
    } else if (!info.read) {
        uint64_t res0, res1;
        sysreg_write_masks(*this, r, res0, res1);
        sr(r) = (v & ~res0) | res1;
    }
}

void Core::sys_op(SR op, SysOpKind kind, uint64_t arg) {
    switch (kind) {
    case SysOpKind::Dc:
        if (op == SR::DC_ZVA) {
            // Zero a DCZID_EL0.BS-sized block; to Device memory this is an
            // alignment fault (Arm ARM C5.3.9), which the store path gives.
            static constexpr unsigned kBlock = 64;
            uint8_t zeros[kBlock] = {};
            store_aligned(arg & ~uint64_t(kBlock - 1), zeros, kBlock);
            if (caches_) caches_->count_cmo(cache::CmoKind::ZVA);
        } else if (caches_) {
            dc_by_va(op, arg);
        }
        break;
    case SysOpKind::Ic:
        if (caches_) {
            if (op == SR::IC_IVAU) {
                const mmu::Result res = translate(arg, mmu::AccessType::Read, st.pstate.el);
                if (res.fault) data_abort(arg, res.fault, true, st.pstate.el, /*cm=*/true);
                if (caches_->is_ram(res.pa)) cycles_ += caches_->ic(cfg_.index, cache::CmoKind::IVAU, res.pa, who());
            } else {
                const auto k = op == SR::IC_IALLU ? cache::CmoKind::IALLU : cache::CmoKind::IALLUIS;
                cycles_ += caches_->ic(cfg_.index, k, 0, who());
            }
            refetch();
        } else if (op == SR::IC_IVAU) {
            // Without a cache model the decode cache follows stores; IC
            // maintenance drops it too.
            mmu::Result res = translate(arg, mmu::AccessType::Read, st.pstate.el, /*debug=*/true);
            if (!res.fault) dcache_.on_write(res.pa & ~0xFFFull, 0x1000);
        } else {
            dcache_.invalidate_all();
        }
        break;
    case SysOpKind::Tlbi: {
        const mmu::TlbiOp tlbi = tlbi_op(op);
        const mmu::TlbiContext tc = tlbi_context();
        // Inner Shareable forms, and EL1 forms at EL1 with HCR_EL2.FB, reach
        // every core in the domain; the platform broadcasts them.
        const bool broadcast = is_inner_shareable_tlbi(op) ||
                               (st.pstate.el == 1 && el2_enabled() && (sr(SR::HCR_EL2) & (1ull << 9)));
        tlb_invalidate(tlbi, arg, tc, broadcast ? TlbiScope::Broadcast : TlbiScope::Local);
        if (broadcast) hooks_.broadcast_tlbi(*this, tlbi, arg, tc);
        break;
    }
    case SysOpKind::At: at_op(op, arg); break;
    default: break;
    }
    hooks_.sys_op(*this, op, kind, arg);
}

mmu::TlbiOp Core::tlbi_op(SR op) {
    switch (op) {
    case SR::TLBI_VMALLE1IS: case SR::TLBI_VMALLE1: return mmu::TlbiOp::VMALLE1;
    case SR::TLBI_VAE1IS: case SR::TLBI_VAE1: return mmu::TlbiOp::VAE1;
    case SR::TLBI_ASIDE1IS: case SR::TLBI_ASIDE1: return mmu::TlbiOp::ASIDE1;
    case SR::TLBI_VAAE1IS: case SR::TLBI_VAAE1: return mmu::TlbiOp::VAAE1;
    case SR::TLBI_VALE1IS: case SR::TLBI_VALE1: return mmu::TlbiOp::VALE1;
    case SR::TLBI_VAALE1IS: case SR::TLBI_VAALE1: return mmu::TlbiOp::VAALE1;
    case SR::TLBI_IPAS2E1IS: case SR::TLBI_IPAS2E1: return mmu::TlbiOp::IPAS2E1;
    case SR::TLBI_IPAS2LE1IS: case SR::TLBI_IPAS2LE1: return mmu::TlbiOp::IPAS2LE1;
    case SR::TLBI_VMALLS12E1IS: case SR::TLBI_VMALLS12E1: return mmu::TlbiOp::VMALLS12E1;
    case SR::TLBI_ALLE1IS: case SR::TLBI_ALLE1: return mmu::TlbiOp::ALLE1;
    case SR::TLBI_ALLE2IS: case SR::TLBI_ALLE2: return mmu::TlbiOp::ALLE2;
    case SR::TLBI_VAE2IS: case SR::TLBI_VAE2: return mmu::TlbiOp::VAE2;
    case SR::TLBI_VALE2IS: case SR::TLBI_VALE2: return mmu::TlbiOp::VALE2;
    case SR::TLBI_ALLE3IS: case SR::TLBI_ALLE3: return mmu::TlbiOp::ALLE3;
    case SR::TLBI_VAE3IS: case SR::TLBI_VAE3: return mmu::TlbiOp::VAE3;
    default: return mmu::TlbiOp::VALE3;
    }
}

bool Core::is_inner_shareable_tlbi(SR op) {
    switch (op) {
    case SR::TLBI_VMALLE1IS: case SR::TLBI_VAE1IS: case SR::TLBI_ASIDE1IS: case SR::TLBI_VAAE1IS:
    case SR::TLBI_VALE1IS: case SR::TLBI_VAALE1IS: case SR::TLBI_IPAS2E1IS: case SR::TLBI_IPAS2LE1IS:
    case SR::TLBI_ALLE2IS: case SR::TLBI_VAE2IS: case SR::TLBI_ALLE1IS: case SR::TLBI_VALE2IS:
    case SR::TLBI_VMALLS12E1IS: case SR::TLBI_ALLE3IS: case SR::TLBI_VAE3IS: case SR::TLBI_VALE3IS: return true;
    default: return false;
    }
}

}  // namespace hvsim::cpu
