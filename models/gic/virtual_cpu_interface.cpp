#include "virtual_cpu_interface.h"

#include <algorithm>

#include "irq_state.h"

namespace hvsim::gic {

using cpu::SR;

namespace {
constexpr uint32_t kLpiIntidBase = 8192;
constexpr unsigned kPreShift = 8 - VirtualCpuInterface::kPriBits;  // AP bit = group priority >> 3
constexpr uint8_t kPriMask = 0xFF & ~((1u << kPreShift) - 1);      // 0xF8
constexpr uint64_t kHcrWritable = 0x7CFFull | (0x1Full << VirtualCpuInterface::kHcrEoiCountShift);
// LR: vINTID [31:0], pINTID [44:32], Priority [55:48] (low bits RES0 with
// 5 priority bits), Group [60], HW [61], State [63:62].
constexpr uint64_t kLrWritable = 0xFFFFFFFFull | (0x1FFFull << 32) | (uint64_t(kPriMask) << 48) | (0xFull << 60);
// ICV_CTLR_EL1 read-only fields: PRIbits [10:8], IDbits [13:11] = 1 (24
// bits, as ICH_VTR_EL2), A3V [15].
constexpr uint64_t kVctlrRo = (uint64_t(VirtualCpuInterface::kPriBits - 1) << 8) | (1ull << 11) | (1ull << 15);
}  // namespace

void VirtualCpuInterface::reset() {
    hcr_ = 0;
    for (uint64_t& l : lr_) l = 0;
    ap0_ = ap1_ = 0;
    // VFIQEn is RES1 with system register access; VBPR0/1 at their minimum.
    vmcr_ = kVmcrVfiqen | (uint64_t(kMinVbpr0) << kVmcrVbpr0Shift) | (uint64_t(kMinVbpr0 + 1) << kVmcrVbpr1Shift);
}

// ---- priorities -------------------------------------------------------------

uint8_t VirtualCpuInterface::running_priority() const {
    const uint32_t ap = ap0_ | ap1_;
    if (!ap) return 0xFF;
    return static_cast<uint8_t>(__builtin_ctz(ap) << kPreShift);
}

unsigned VirtualCpuInterface::vbpr(bool group1) const {
    const unsigned b0 = (vmcr_ >> kVmcrVbpr0Shift) & 7;
    if (!group1) return b0;
    if (vmcr_ & kVmcrVcbpr) return std::min(b0 + 1, 7u);
    return (vmcr_ >> kVmcrVbpr1Shift) & 7;
}

uint8_t VirtualCpuInterface::group_mask(bool group1) const {
    // With VCBPR, Group 1 uses VBPR0; otherwise VBPR1, one bit lower
    // (IHI 0069 4.8.3, as for the physical interface).
    unsigned bpr = (vmcr_ >> kVmcrVbpr0Shift) & 7;
    if (group1 && !(vmcr_ & kVmcrVcbpr)) bpr = ((vmcr_ >> kVmcrVbpr1Shift) & 7) - 1;
    return static_cast<uint8_t>(0xFFu << (bpr + 1));
}

int VirtualCpuInterface::highest_pending_lr() const {
    int best = -1;
    unsigned best_prio = 0x100;
    for (unsigned i = 0; i < kNumLrs; ++i) {
        const uint64_t l = lr_[i];
        if (lr_state(l) != 1) continue;  // pending (not active and pending)
        if (!(vmcr_ & ((l & kLrGroup) ? kVmcrVeng1 : kVmcrVeng0))) continue;
        if (lr_prio(l) < best_prio) {
            best_prio = lr_prio(l);
            best = static_cast<int>(i);
        }
    }
    return best;
}

VirtualCpuInterface::Candidate VirtualCpuInterface::highest_pending() const {
    Candidate c;
    const int i = highest_pending_lr();
    if (i >= 0) c = Candidate{i, lr_vintid(lr_[i]), lr_prio(lr_[i]), bool(lr_[i] & kLrGroup)};
    // vLPIs are Group 1 (IHI 0069 5.1); 5 priority bits are implemented.
    if (direct_ && (vmcr_ & kVmcrVeng1)) {
        const DirectVlpi d = direct_();
        const uint8_t prio = d.prio & kPriMask;
        if (d.vintid != kSpurious && prio < c.prio) c = Candidate{-2, d.vintid, prio, true};
    }
    return c;
}

bool VirtualCpuInterface::can_preempt(uint8_t prio, bool group1) const {
    // Signalled only with ICH_HCR_EL2.En, below the virtual priority mask,
    // and with a group priority above the virtual running priority.
    if (!(hcr_ & kHcrEn)) return false;
    if (prio >= static_cast<uint8_t>(vmcr_ >> kVmcrVpmrShift)) return false;
    const uint8_t rpr = running_priority();
    if (rpr == 0xFF) return true;
    return (prio & group_mask(group1)) < rpr;
}

VirtualCpuInterface::Outputs VirtualCpuInterface::outputs() const {
    Outputs o;
    const Candidate c = highest_pending();
    if (c.lr != -1 && can_preempt(c.prio, c.group1)) (c.group1 ? o.virq : o.vfiq) = true;
    o.maintenance = (hcr_ & kHcrEn) && misr();
    return o;
}

// ---- maintenance ---------------------------------------------------------------

uint32_t VirtualCpuInterface::eisr() const {
    uint32_t v = 0;
    for (unsigned i = 0; i < kNumLrs; ++i)
        if (lr_state(lr_[i]) == 0 && !(lr_[i] & kLrHw) && (lr_[i] & kLrEoi)) v |= 1u << i;
    return v;
}

uint32_t VirtualCpuInterface::elrsr() const {
    uint32_t v = 0;
    for (unsigned i = 0; i < kNumLrs; ++i)
        if (lr_state(lr_[i]) == 0 && ((lr_[i] & kLrHw) || !(lr_[i] & kLrEoi))) v |= 1u << i;
    return v;
}

uint64_t VirtualCpuInterface::misr() const {
    // IHI 0069 ICH_MISR_EL2: one bit per maintenance condition.
    uint64_t v = 0;
    unsigned valid = 0;
    bool any_pending = false;
    for (unsigned i = 0; i < kNumLrs; ++i) {
        const unsigned s = lr_state(lr_[i]);
        if (s) ++valid;
        if (s == 1) any_pending = true;
    }
    if (eisr()) v |= kMisrEoi;
    if ((hcr_ & kHcrUie) && valid <= 1) v |= kMisrU;
    if ((hcr_ & kHcrLrenpie) && (hcr_ >> kHcrEoiCountShift)) v |= kMisrLrenp;
    if ((hcr_ & kHcrNpie) && !any_pending) v |= kMisrNp;
    const bool eng0 = vmcr_ & kVmcrVeng0, eng1 = vmcr_ & kVmcrVeng1;
    if ((hcr_ & kHcrVGrp0Eie) && eng0) v |= kMisrVGrp0E;
    if ((hcr_ & kHcrVGrp0Die) && !eng0) v |= kMisrVGrp0D;
    if ((hcr_ & kHcrVGrp1Eie) && eng1) v |= kMisrVGrp1E;
    if ((hcr_ & kHcrVGrp1Die) && !eng1) v |= kMisrVGrp1D;
    return v;
}

void VirtualCpuInterface::bump_eoicount() {
    const uint64_t mask = 0x1Full << kHcrEoiCountShift;
    const uint64_t n = ((hcr_ >> kHcrEoiCountShift) + 1) & 0x1F;
    hcr_ = (hcr_ & ~mask) | (n << kHcrEoiCountShift);
}

// ---- acknowledge, EOI, deactivation --------------------------------------------

uint64_t VirtualCpuInterface::acknowledge(bool group1) {
    const Candidate c = highest_pending();
    if (c.lr == -1 || c.group1 != group1 || !can_preempt(c.prio, c.group1)) return kSpurious;
    if (c.lr == -2) {
        // A direct vLPI: no list register, no active state.
        ap1_ |= 1u << ((c.prio & group_mask(true)) >> kPreShift);
        if (direct_ack_) direct_ack_(c.vintid);
        return c.vintid;
    }
    uint64_t& l = lr_[c.lr];
    const uint32_t vintid = lr_vintid(l);
    if (vintid >= 1020 && vintid <= 1023) return kSpurious;
    // Pending -> active; the group priority's bit in the active priorities.
    l = (l & ~kLrPending) | kLrActive;
    const unsigned bit = (lr_prio(l) & group_mask(group1)) >> kPreShift;
    (group1 ? ap1_ : ap0_) |= 1u << bit;
    return vintid;
}

int VirtualCpuInterface::find_active(uint32_t vintid) const {
    for (unsigned i = 0; i < kNumLrs; ++i)
        if ((lr_[i] & kLrActive) && lr_vintid(lr_[i]) == vintid) return static_cast<int>(i);
    return -1;
}

void VirtualCpuInterface::deactivate_lr(unsigned n) {
    uint64_t& l = lr_[n];
    // With HW = 1 the physical interrupt pINTID is deactivated too.
    if (l & kLrHw) {
        const unsigned pintid = static_cast<unsigned>((l >> kLrPintidShift) & 0x1FFF);
        if (pintid < 1020 && deactivate_) deactivate_(pintid);
    }
    l &= ~kLrActive;  // active -> invalid, active and pending -> pending
}

void VirtualCpuInterface::end_of_interrupt(uint64_t v, bool group1) {
    const uint32_t vintid = static_cast<uint32_t>(v & 0xFFFFFF);
    if (vintid >= 1020 && vintid <= 1023) return;  // special INTIDs: no effect
    // Priority drop of the highest active priority.
    const uint32_t ap = ap0_ | ap1_;
    if (!ap) return;  // nothing active (CONSTRAINED UNPREDICTABLE: ignored, as QEMU)
    const uint32_t lowest = ap & (~ap + 1);
    const uint8_t drop = static_cast<uint8_t>(__builtin_ctz(ap) << kPreShift);
    if (ap0_ & lowest) ap0_ &= ~lowest;
    else ap1_ &= ~lowest;
    const int i = find_active(vintid);
    if (i < 0) {
        // No list register holds it: counted for the hypervisor, unless it
        // is an LPI (a directly injected vLPI has no active state).
        if (vintid < kLpiIntidBase) bump_eoicount();
        return;
    }
    const uint64_t l = lr_[i];
    if (bool(l & kLrGroup) == group1 && (lr_prio(l) & group_mask(group1)) == drop && !(vmcr_ & kVmcrVeoim))
        deactivate_lr(static_cast<unsigned>(i));
}

// ---- registers ------------------------------------------------------------------

bool VirtualCpuInterface::traps(SR r) const {
    switch (r) {
    case SR::ICC_IAR0_EL1: case SR::ICC_EOIR0_EL1: case SR::ICC_HPPIR0_EL1: case SR::ICC_BPR0_EL1:
    case SR::ICC_AP0R0_EL1: case SR::ICC_IGRPEN0_EL1:
        return hcr_ & kHcrTall0;
    case SR::ICC_IAR1_EL1: case SR::ICC_EOIR1_EL1: case SR::ICC_HPPIR1_EL1: case SR::ICC_BPR1_EL1:
    case SR::ICC_AP1R0_EL1: case SR::ICC_IGRPEN1_EL1:
        return hcr_ & kHcrTall1;
    case SR::ICC_DIR_EL1: return hcr_ & (kHcrTc | kHcrTdir);
    case SR::ICC_CTLR_EL1: case SR::ICC_PMR_EL1: case SR::ICC_RPR_EL1: case SR::ICC_SGI0R_EL1:
    case SR::ICC_SGI1R_EL1: case SR::ICC_ASGI1R_EL1:
        return hcr_ & kHcrTc;
    default: return false;
    }
}

uint64_t VirtualCpuInterface::read_ich(SR r) const {
    switch (r) {
    case SR::ICH_HCR_EL2: return hcr_;
    case SR::ICH_VTR_EL2:
        // ListRegs [4:0], TDS [19], nV4 [20] (direct injection unsupported
        // unless GICv4), A3V [21], IDbits [25:23] = 1, PREbits [28:26],
        // PRIbits [31:29].
        return (kNumLrs - 1) | (1u << 19) | (uint32_t(!direct_) << 20) | (1u << 21) | (1u << 23) | ((kPreBits - 1) << 26) |
               (uint64_t(kPriBits - 1) << 29);
    case SR::ICH_VMCR_EL2: return vmcr_;
    case SR::ICH_MISR_EL2: return misr();
    case SR::ICH_EISR_EL2: return eisr();
    case SR::ICH_ELRSR_EL2: return elrsr();
    case SR::ICH_AP0R0_EL2: return ap0_;
    case SR::ICH_AP1R0_EL2: return ap1_;
    case SR::ICH_LR0_EL2: return lr_[0];
    case SR::ICH_LR1_EL2: return lr_[1];
    case SR::ICH_LR2_EL2: return lr_[2];
    case SR::ICH_LR3_EL2: return lr_[3];
    default: return 0;
    }
}

void VirtualCpuInterface::write_vbpr(bool group1, uint64_t v) {
    const unsigned min = kMinVbpr0 + (group1 ? 1 : 0);
    const uint64_t b = std::max<unsigned>(v & 7, min);
    const unsigned shift = group1 ? kVmcrVbpr1Shift : kVmcrVbpr0Shift;
    vmcr_ = (vmcr_ & ~(7ull << shift)) | (b << shift);
}

void VirtualCpuInterface::write_vmcr(uint64_t v) {
    const uint64_t keep = kVmcrVeng0 | kVmcrVeng1 | kVmcrVcbpr | kVmcrVeoim | (uint64_t(kPriMask) << kVmcrVpmrShift);
    vmcr_ = (v & keep) | kVmcrVfiqen;  // VAckCtl RES0, VFIQEn RES1
    write_vbpr(false, v >> kVmcrVbpr0Shift);
    write_vbpr(true, v >> kVmcrVbpr1Shift);
}

void VirtualCpuInterface::write_ich(SR r, uint64_t v) {
    switch (r) {
    case SR::ICH_HCR_EL2: hcr_ = v & kHcrWritable; break;
    case SR::ICH_VMCR_EL2: write_vmcr(v); break;
    case SR::ICH_AP0R0_EL2: ap0_ = static_cast<uint32_t>(v); break;
    case SR::ICH_AP1R0_EL2: ap1_ = static_cast<uint32_t>(v); break;
    case SR::ICH_LR0_EL2: lr_[0] = v & kLrWritable; break;
    case SR::ICH_LR1_EL2: lr_[1] = v & kLrWritable; break;
    case SR::ICH_LR2_EL2: lr_[2] = v & kLrWritable; break;
    case SR::ICH_LR3_EL2: lr_[3] = v & kLrWritable; break;
    default: break;  // VTR, MISR, EISR, ELRSR: read-only
    }
}

uint64_t VirtualCpuInterface::read_icv(SR r) {
    switch (r) {
    case SR::ICC_PMR_EL1: return (vmcr_ >> kVmcrVpmrShift) & 0xFF;
    case SR::ICC_IAR0_EL1: return acknowledge(false);
    case SR::ICC_IAR1_EL1: return acknowledge(true);
    case SR::ICC_HPPIR0_EL1:
    case SR::ICC_HPPIR1_EL1: {
        const Candidate c = highest_pending();
        if (c.lr == -1 || c.group1 != (r == SR::ICC_HPPIR1_EL1)) return kSpurious;
        return c.vintid;
    }
    case SR::ICC_BPR0_EL1: return vbpr(false);
    case SR::ICC_BPR1_EL1: return vbpr(true);
    case SR::ICC_AP0R0_EL1: return ap0_;
    case SR::ICC_AP1R0_EL1: return ap1_;
    case SR::ICC_RPR_EL1: return running_priority();
    case SR::ICC_CTLR_EL1:
        return kVctlrRo | (uint64_t(bool(vmcr_ & kVmcrVeoim)) << 1) | uint64_t(bool(vmcr_ & kVmcrVcbpr));
    case SR::ICC_IGRPEN0_EL1: return bool(vmcr_ & kVmcrVeng0);
    case SR::ICC_IGRPEN1_EL1: return bool(vmcr_ & kVmcrVeng1);
    default: return 0;
    }
}

void VirtualCpuInterface::write_icv(SR r, uint64_t v) {
    auto set = [&](uint64_t bit, bool on) { vmcr_ = on ? (vmcr_ | bit) : (vmcr_ & ~bit); };
    switch (r) {
    case SR::ICC_PMR_EL1:
        vmcr_ = (vmcr_ & ~(0xFFull << kVmcrVpmrShift)) | (uint64_t(v & kPriMask) << kVmcrVpmrShift);
        break;
    case SR::ICC_EOIR0_EL1: end_of_interrupt(v, false); break;
    case SR::ICC_EOIR1_EL1: end_of_interrupt(v, true); break;
    case SR::ICC_DIR_EL1: {
        // Separate deactivation only with VEOIM = 1 (otherwise ignored).
        if (!(vmcr_ & kVmcrVeoim)) break;
        const uint32_t vintid = static_cast<uint32_t>(v & 0xFFFFFF);
        const int i = find_active(vintid);
        if (i >= 0) deactivate_lr(static_cast<unsigned>(i));
        else if (vintid < kLpiIntidBase) bump_eoicount();  // an LPI has no active state to deactivate
        break;
    }
    case SR::ICC_BPR0_EL1: write_vbpr(false, v); break;
    case SR::ICC_BPR1_EL1:
        if (!(vmcr_ & kVmcrVcbpr)) write_vbpr(true, v);
        break;
    case SR::ICC_AP0R0_EL1: ap0_ = static_cast<uint32_t>(v); break;
    case SR::ICC_AP1R0_EL1: ap1_ = static_cast<uint32_t>(v); break;
    case SR::ICC_CTLR_EL1:
        set(kVmcrVcbpr, v & 1);
        set(kVmcrVeoim, v & 2);
        break;
    case SR::ICC_IGRPEN0_EL1: set(kVmcrVeng0, v & 1); break;
    case SR::ICC_IGRPEN1_EL1: set(kVmcrVeng1, v & 1); break;
    default: break;
    }
}

}  // namespace hvsim::gic
