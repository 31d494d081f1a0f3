#include "cpu_interface.h"

#include <algorithm>

#include "gic.h"

namespace hvsim::gic {

using cpu::SR;

namespace {
// ICC_CTLR_EL1/EL3 read-only fields: PRIbits [10:8], IDbits [13:11] = 0
// (16 bits), SEIS = 0, A3V [15] = 1.
constexpr uint64_t kCtlrRo = (uint64_t(CpuInterface::kPriBits - 1) << 8) | (1ull << 15);
constexpr unsigned kPreShift = 8 - CpuInterface::kPriBits;  // APR bit = group priority >> 3
}  // namespace

uint8_t CpuInterface::running_priority() const {
    const uint32_t ap = ap0_ | ap1_;
    if (!ap) return 0xFF;
    return static_cast<uint8_t>(__builtin_ctz(ap) << kPreShift);
}

uint8_t CpuInterface::group_priority(uint8_t prio, bool group1) const {
    // With CBPR, Group 1 uses BPR0; otherwise BPR1, whose point is one bit
    // lower (IHI 0069 4.8.3, table "Priority grouping").
    unsigned bpr = bpr0_;
    if (group1 && !cbpr_) bpr = bpr1_ - 1;
    return static_cast<uint8_t>(prio & (0xFFu << (bpr + 1)));
}

bool CpuInterface::can_signal(uint8_t prio, bool group1) const {
    if (prio >= pmr_) return false;
    const uint8_t rpr = running_priority();
    if (rpr == 0xFF) return true;
    // Only the group priority counts for preemption (as QEMU compares it).
    const uint8_t mask = group_priority(0xFF, group1);
    return (prio & mask) < (rpr & mask);
}

uint64_t CpuInterface::acknowledge(bool group1) {
    const Gic::Pending p = gic_.highest_pending(core_);
    if (p.intid == kSpurious || p.group1 != group1 || !can_signal(p.prio, p.group1)) return kSpurious;
    const unsigned bit = group_priority(p.prio, group1) >> kPreShift;
    (group1 ? ap1_ : ap0_) |= 1u << bit;
    gic_.activate(core_, p.intid);
    return p.intid;
}

void CpuInterface::end_of_interrupt(uint64_t v, bool group1, unsigned el) {
    const unsigned intid = static_cast<unsigned>(v & 0xFFFFFF);
    if (intid >= 1020 && intid <= 1023) return;  // special INTIDs: no effect
    // Priority drop of the highest active priority, if it belongs to this
    // group (otherwise UNPREDICTABLE; ignored, as QEMU does).
    const uint32_t ap = ap0_ | ap1_;
    if (!ap) return;
    const uint32_t lowest = ap & (~ap + 1);
    uint32_t& mine = group1 ? ap1_ : ap0_;
    if (!(mine & lowest)) return;
    mine &= ~lowest;
    gic_.note_eoi(core_, intid);
    if (!eoi_mode(el)) gic_.deactivate(core_, intid);
    gic_.update();
}

uint64_t CpuInterface::read(SR r, unsigned /*el*/) {
    switch (r) {
    case SR::ICC_PMR_EL1: return pmr_;
    case SR::ICC_IAR0_EL1: return acknowledge(false);
    case SR::ICC_IAR1_EL1: return acknowledge(true);
    case SR::ICC_HPPIR0_EL1:
    case SR::ICC_HPPIR1_EL1: {
        const Gic::Pending p = gic_.highest_pending(core_);
        return p.intid != kSpurious && p.group1 == (r == SR::ICC_HPPIR1_EL1) ? p.intid : kSpurious;
    }
    case SR::ICC_BPR0_EL1: return bpr0_;
    case SR::ICC_BPR1_EL1: return cbpr_ ? std::min(bpr0_ + 1, 7) : bpr1_;
    case SR::ICC_AP0R0_EL1: return ap0_;
    case SR::ICC_AP1R0_EL1: return ap1_;
    case SR::ICC_RPR_EL1: return running_priority();
    case SR::ICC_CTLR_EL1: return kCtlrRo | (uint64_t(eoimode_) << 1) | uint64_t(cbpr_);
    case SR::ICC_CTLR_EL3:
        // CBPR_EL1S/CBPR_EL1NS and EOImode_EL1S/EOImode_EL1NS are one
        // control each with a single security state.
        return kCtlrRo | (uint64_t(eoimode_) << 4) | (uint64_t(eoimode_) << 3) | (uint64_t(eoimode_el3_) << 2) |
               (uint64_t(cbpr_) << 1) | uint64_t(cbpr_);
    case SR::ICC_SRE_EL1: return 0x7;   // SRE, DFB, DIB: RAO/WI
    case SR::ICC_SRE_EL2:
    case SR::ICC_SRE_EL3: return 0xF;   // and Enable: RAO/WI
    case SR::ICC_IGRPEN0_EL1: return igrpen0_;
    case SR::ICC_IGRPEN1_EL1: return igrpen1_;
    case SR::ICC_IGRPEN1_EL3: return uint64_t(igrpen1_) | (uint64_t(igrpen1_s_) << 1);
    default: return 0;
    }
}

void CpuInterface::write(SR r, uint64_t v, unsigned el) {
    switch (r) {
    case SR::ICC_PMR_EL1: pmr_ = static_cast<uint8_t>(v & kPriMask); break;
    case SR::ICC_EOIR0_EL1: end_of_interrupt(v, false, el); return;
    case SR::ICC_EOIR1_EL1: end_of_interrupt(v, true, el); return;
    case SR::ICC_DIR_EL1:
        // Deactivation is separate only with EOImode = 1 (otherwise
        // UNPREDICTABLE: ignored).
        if (eoi_mode(el)) gic_.deactivate(core_, static_cast<unsigned>(v & 0xFFFFFF));
        break;
    case SR::ICC_BPR0_EL1: bpr0_ = static_cast<uint8_t>(std::max<unsigned>(v & 7, kMinBpr0)); break;
    case SR::ICC_BPR1_EL1:
        if (!cbpr_) bpr1_ = static_cast<uint8_t>(std::max<unsigned>(v & 7, kMinBpr1));
        break;
    case SR::ICC_AP0R0_EL1: ap0_ = static_cast<uint32_t>(v); break;
    case SR::ICC_AP1R0_EL1: ap1_ = static_cast<uint32_t>(v); break;
    case SR::ICC_CTLR_EL1:
        cbpr_ = v & 1;
        eoimode_ = (v >> 1) & 1;
        break;
    case SR::ICC_CTLR_EL3:
        cbpr_ = (v >> 1) & 1;
        eoimode_el3_ = (v >> 2) & 1;
        eoimode_ = (v >> 4) & 1;
        break;
    case SR::ICC_IGRPEN0_EL1: igrpen0_ = v & 1; break;
    case SR::ICC_IGRPEN1_EL1: igrpen1_ = v & 1; break;
    case SR::ICC_IGRPEN1_EL3:
        igrpen1_ = v & 1;
        igrpen1_s_ = (v >> 1) & 1;
        break;
    case SR::ICC_SGI0R_EL1: gic_.send_sgi(core_, v, false); return;
    case SR::ICC_SGI1R_EL1: gic_.send_sgi(core_, v, true); return;
    case SR::ICC_ASGI1R_EL1:
        // The other security state's Group 1: none exists with DS = 1, so
        // no SGI is forwarded.
        return;
    default: return;  // SRE: RAO/WI
    }
    gic_.update();
}

}  // namespace hvsim::gic
