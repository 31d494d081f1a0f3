// Branches, exception generating and system instructions (Arm ARM C4.1.87).
#include "branch_sys.h"

#include "alu.h"
#include "models/cpu/a64_patterns.h"
#include "models/cpu/core.h"

namespace hvsim::cpu::insn {

namespace {
constexpr uint64_t kHcrTwi = 1ull << 13, kHcrTwe = 1ull << 14, kHcrTsc = 1ull << 19, kHcrHcd = 1ull << 29;
constexpr uint64_t kScrNs = 1, kScrSmd = 1ull << 7, kScrHce = 1ull << 8, kScrTwi = 1ull << 12, kScrTwe = 1ull << 13;

uint64_t branch_target(const Core& c, int64_t offset_words) { return c.pc() + static_cast<uint64_t>(offset_words * 4); }

// WFI/WFE traps (Arm ARM D1.13.4), in priority order: SCTLR_EL1.nTWx for EL0,
// then HCR_EL2.TWx for EL0/EL1, then SCR_EL3.TWx below EL3.
void check_wfx_trap(Core& c, bool is_wfe) {
    const unsigned el = c.st.pstate.el;
    // ISS: CV = 1, COND = AL (0b1110), TI = WFE.
    const uint32_t iss = (1u << 24) | (0xEu << 20) | uint32_t(is_wfe);
    if (el == 0 && !(c.sctlr_of(0) & (1u << (is_wfe ? 18 : 16))))
        c.take_exception(c.sync_target_el(), ec::WfxTrap, iss);
    if (el <= 1 && c.el2_enabled() && (c.sr(SR::HCR_EL2) & (is_wfe ? kHcrTwe : kHcrTwi)))
        c.take_exception(2, ec::WfxTrap, iss);
    if (el <= 2 && c.el_implemented(3) && (c.sr(SR::SCR_EL3) & (is_wfe ? kScrTwe : kScrTwi)))
        c.take_exception(3, ec::WfxTrap, iss);
}
}  // namespace

// B.cond
bool B_cond(Core& c, Imm<19> imm19, Cond cond) {
    if (c.condition_holds(cond.v)) c.branch_to(branch_target(c, imm19.sext()));
    return true;
}

// SVC
bool SVC(Core& c, Imm<16> imm16) {
    c.take_exception_next(c.sync_target_el(), ec::Svc64, imm16.zext());
}

// HVC (Arm ARM C6.2.104): UNDEFINED at EL0, without EL2, when SCR_EL3.HCE is
// 0, in Secure EL1, or when HCR_EL2.HCD is 1 and there is no EL3. Without EL2
// the platform's PSCI firmware may use HVC as its conduit, as QEMU does.
bool HVC(Core& c, Imm<16> imm16) {
    const unsigned el = c.st.pstate.el;
    if (el == 0) return false;
    if (!c.el_implemented(2)) return c.hooks().firmware_call(c, false);
    if (c.el_implemented(3)) {
        if (!(c.sr(SR::SCR_EL3) & kScrHce)) return false;
        if (el == 1 && !(c.sr(SR::SCR_EL3) & kScrNs)) return false;
    } else if (c.sr(SR::HCR_EL2) & kHcrHcd) {
        return false;
    }
    c.take_exception_next(el == 3 ? 3 : 2, ec::Hvc64, imm16.zext());
}

// SMC (Arm ARM C6.2.242): HCR_EL2.TSC traps it from EL1 to EL2 (the preferred
// return address is the SMC itself); without EL3 the platform's PSCI firmware
// handles it, otherwise it is UNDEFINED.
bool SMC(Core& c, Imm<16> imm16) {
    const unsigned el = c.st.pstate.el;
    if (el == 0) return false;
    if (el == 1 && c.el2_enabled() && (c.sr(SR::HCR_EL2) & kHcrTsc))
        c.take_exception(2, ec::Smc64, imm16.zext());
    if (!c.el_implemented(3)) return c.hooks().firmware_call(c, true);
    if (c.sr(SR::SCR_EL3) & kScrSmd) return false;
    c.take_exception_next(3, ec::Smc64, imm16.zext());
}

// BRK
bool BRK(Core& c, Imm<16> imm16) { c.take_exception(c.sync_target_el(), ec::Brk64, imm16.zext()); }

// HLT: UNDEFINED unless halting debug is enabled, which hvsim does not model;
// HLT #0xF000 is the Arm semihosting call when the platform enables it.
bool HLT(Core& c, Imm<16> imm16) {
    if (imm16.zext() == 0xF000) return c.hooks().semihosting(c);
    return false;
}

// HINT: NOP, YIELD, WFE, WFI, SEV, SEVL; other hints execute as NOP.
bool HINT(Core& c, Imm<4> CRm, Imm<3> op2) {
    switch ((CRm.zext() << 3) | op2.zext()) {
    case 2:  // WFE
        check_wfx_trap(c, true);
        c.charge(CostClass::Wfi);
        c.wait_for_event();
        return true;
    case 3:  // WFI
        check_wfx_trap(c, false);
        c.charge(CostClass::Wfi);
        if (!c.interrupt_pending()) c.wait_for_interrupt();
        return true;
    case 4:  // SEV
        c.hooks().send_event(c);
        return true;
    case 5:  // SEVL
        c.send_event();
        return true;
    default: return true;
    }
}

// CLREX
bool CLREX(Core& c, Imm<4>) {
    c.clear_exclusive();
    return true;
}

// DSB, DMB, ISB: the core completes every access in order, so barriers only
// cost time here; the memory-system models add their own effects.
bool DSB(Core&, Imm<4>) { return true; }
bool DMB(Core&, Imm<4>) { return true; }
bool ISB(Core& c, Imm<4>) {
    c.on_context_synchronization();
    return true;
}

// MSR (immediate): SPSel, DAIFSet, DAIFClr in ARMv8.0.
bool MSR_imm(Core& c, Imm<3> op1, Imm<4> CRm, Imm<3> op2) {
    const unsigned el = c.st.pstate.el;
    const unsigned field = (op1.zext() << 3) | op2.zext();
    switch (field) {
    case 0x05:  // SPSel
        if (el == 0) return false;
        c.st.pstate.sp = CRm.bit(0);
        return true;
    case 0x1E:  // DAIFSet
    case 0x1F:  // DAIFClr
        if (el == 0 && !(c.sctlr_of(0) & (1u << 9))) {
            // ISS as for MSR: op0 = 0, op1, CRn = 4, Rt = 31, CRm, write.
            const uint32_t iss = (op2.zext() << 17) | (op1.zext() << 14) | (4u << 10) | (31u << 5) | (CRm.zext() << 1);
            c.take_exception(c.sync_target_el(), ec::SysReg, iss);
        }
        if (field == 0x1E) c.st.pstate.set_daif(c.st.pstate.daif() | (CRm.zext() << 6));
        else c.st.pstate.set_daif(c.st.pstate.daif() & ~(CRm.zext() << 6));
        c.recheck_interrupts();
        return true;
    default: return false;
    }
}

// SYS, SYSL, MSR (register), MRS: the system register table decides.
bool SYS(Core& c, Imm<3> op1, Imm<4> CRn, Imm<4> CRm, Imm<3> op2, Reg Rt) {
    return c.sysreg_access(SysRegInfo::encode(1, op1.v, CRn.v, CRm.v, op2.v), false, Rt);
}
bool SYSL(Core& c, Imm<3> op1, Imm<4> CRn, Imm<4> CRm, Imm<3> op2, Reg Rt) {
    return c.sysreg_access(SysRegInfo::encode(1, op1.v, CRn.v, CRm.v, op2.v), true, Rt);
}
bool MSR_reg(Core& c, Imm<1> o0, Imm<3> op1, Imm<4> CRn, Imm<4> CRm, Imm<3> op2, Reg Rt) {
    return c.sysreg_access(SysRegInfo::encode(2 | o0.v, op1.v, CRn.v, CRm.v, op2.v), false, Rt);
}
bool MRS(Core& c, Imm<1> o0, Imm<3> op1, Imm<4> CRn, Imm<4> CRm, Imm<3> op2, Reg Rt) {
    return c.sysreg_access(SysRegInfo::encode(2 | o0.v, op1.v, CRn.v, CRm.v, op2.v), true, Rt);
}

// BR, BLR, RET
bool BR(Core& c, Reg Rn) {
    c.branch_to(c.X(Rn));
    return true;
}
bool BLR(Core& c, Reg Rn) {
    const uint64_t target = c.X(Rn);
    c.st.x[30] = c.pc() + 4;
    c.branch_to(target);
    return true;
}
bool RET(Core& c, Reg Rn) {
    c.branch_to(c.X(Rn));
    return true;
}

// ERET: UNDEFINED at EL0.
bool ERET(Core& c) {
    if (c.st.pstate.el == 0) return false;
    c.exception_return();
    c.charge(CostClass::ExceptionReturn);
    return true;
}

// B, BL
bool B(Core& c, Imm<26> imm26) {
    c.branch_to(branch_target(c, imm26.sext()));
    return true;
}
bool BL(Core& c, Imm<26> imm26) {
    c.st.x[30] = c.pc() + 4;
    c.branch_to(branch_target(c, imm26.sext()));
    return true;
}

// CBZ, CBNZ
bool CBZ(Core& c, Imm<1> sf, Imm<19> imm19, Reg Rt) {
    const uint64_t v = sf.v ? c.X(Rt) : c.W(Rt);
    if (v == 0) c.branch_to(branch_target(c, imm19.sext()));
    return true;
}
bool CBNZ(Core& c, Imm<1> sf, Imm<19> imm19, Reg Rt) {
    const uint64_t v = sf.v ? c.X(Rt) : c.W(Rt);
    if (v != 0) c.branch_to(branch_target(c, imm19.sext()));
    return true;
}

// TBZ, TBNZ
bool TBZ(Core& c, Imm<1> b5, Imm<5> b40, Imm<14> imm14, Reg Rt) {
    const unsigned bit = (b5.v << 5) | b40.v;
    if (!((c.X(Rt) >> bit) & 1)) c.branch_to(branch_target(c, imm14.sext()));
    return true;
}
bool TBNZ(Core& c, Imm<1> b5, Imm<5> b40, Imm<14> imm14, Reg Rt) {
    const unsigned bit = (b5.v << 5) | b40.v;
    if ((c.X(Rt) >> bit) & 1) c.branch_to(branch_target(c, imm14.sext()));
    return true;
}

}  // namespace hvsim::cpu::insn

// Thunks with the handler inlined (models/cpu/a64_patterns.h).
HVSIM_BRANCH_SYS_THUNKS(HVSIM_THUNK_DEFINE)
