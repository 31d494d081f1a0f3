// GICv3 virtual CPU interface of one core (IHI 0069 chapter 6 "Virtual
// interrupt handling and prioritization"): the hypervisor's ICH_* registers
// (HCR, VTR, VMCR, LR0-3, AP0R0/AP1R0, MISR, EISR, ELRSR) and the ICV_*
// registers an EL1 guest reaches through the ICC_* names when HCR_EL2.IMO
// (Group 1) or FMO (Group 0) is set. Interrupts come from the list
// registers; the highest priority pending one that can preempt is
// signalled as a virtual IRQ (Group 1) or FIQ (Group 0); the maintenance
// interrupt is a level computed from ICH_MISR_EL2 with ICH_HCR_EL2.En.
//
// As QEMU's virt CPUs: 4 list registers, 5 virtual priority and preemption
// bits (so only AP0R0/AP1R0), 24-bit vINTIDs (VTR.IDbits = 1), TDS = 1,
// A3V = 1; SEIS = 0 so ICH_HCR_EL2.TSEI has no effect. nV4 = 1 unless the
// GIC is a GICv4: then the redistributor's resident vPE offers its highest
// priority pending vLPI too (IHI 0069 6.1 "direct injection"): it competes
// with the list registers (a list register wins a tie), is acknowledged
// through ICV_IAR1 (Group 1, sets the active priority, clears the vLPI's
// pending bit: no active state) and needs only a priority drop at EOI,
// which counts nothing in EOIcount since no list register is involved.
#pragma once

#include <cstdint>
#include <functional>

#include "models/cpu/sysregs.h"

namespace hvsim::gic {

class VirtualCpuInterface {
public:
    static constexpr unsigned kNumLrs = 4;
    static constexpr unsigned kPriBits = 5, kPreBits = 5;
    static constexpr unsigned kMinVbpr0 = 7 - kPreBits;  // 2
    static constexpr uint32_t kMaintenancePpi = 9;         // INTID 25, as QEMU virt's DTB

    // ICH_HCR_EL2
    static constexpr uint64_t kHcrEn = 1u << 0, kHcrUie = 1u << 1, kHcrLrenpie = 1u << 2, kHcrNpie = 1u << 3,
                              kHcrVGrp0Eie = 1u << 4, kHcrVGrp0Die = 1u << 5, kHcrVGrp1Eie = 1u << 6,
                              kHcrVGrp1Die = 1u << 7, kHcrTc = 1u << 10, kHcrTall0 = 1u << 11,
                              kHcrTall1 = 1u << 12, kHcrTsei = 1u << 13, kHcrTdir = 1u << 14;
    static constexpr unsigned kHcrEoiCountShift = 27;
    // ICH_VMCR_EL2
    static constexpr uint64_t kVmcrVeng0 = 1u << 0, kVmcrVeng1 = 1u << 1, kVmcrVackctl = 1u << 2,
                              kVmcrVfiqen = 1u << 3, kVmcrVcbpr = 1u << 4, kVmcrVeoim = 1u << 9;
    static constexpr unsigned kVmcrVbpr1Shift = 18, kVmcrVbpr0Shift = 21, kVmcrVpmrShift = 24;
    // ICH_LR<n>_EL2
    static constexpr uint64_t kLrEoi = 1ull << 41, kLrGroup = 1ull << 60, kLrHw = 1ull << 61,
                              kLrPending = 1ull << 62, kLrActive = 1ull << 63;
    static constexpr unsigned kLrPintidShift = 32, kLrPrioShift = 48;
    // ICH_MISR_EL2
    static constexpr uint64_t kMisrEoi = 1u << 0, kMisrU = 1u << 1, kMisrLrenp = 1u << 2, kMisrNp = 1u << 3,
                              kMisrVGrp0E = 1u << 4, kMisrVGrp0D = 1u << 5, kMisrVGrp1E = 1u << 6,
                              kMisrVGrp1D = 1u << 7;

    // What the virtual interface drives: called when a level changes.
    struct Outputs {
        bool virq = false, vfiq = false, maintenance = false;
    };
    // Deactivation of a physical interrupt (EOI/DIR of an LR with HW = 1).
    using DeactivateFn = std::function<void(unsigned pintid)>;
    // GICv4 direct injection: the resident vPE's highest priority pending
    // enabled vLPI (vintid kSpurious: none), and its acknowledgement.
    struct DirectVlpi {
        uint32_t vintid = 1023;
        uint8_t prio = 0xFF;
    };
    using DirectSource = std::function<DirectVlpi()>;
    using DirectAck = std::function<void(uint32_t vintid)>;

    explicit VirtualCpuInterface(DeactivateFn deactivate = nullptr) : deactivate_(std::move(deactivate)) { reset(); }
    void reset();
    // GICv4: ICH_VTR_EL2.nV4 = 0 and vLPIs offered by `src`.
    void set_direct(DirectSource src, DirectAck ack) { direct_ = std::move(src), direct_ack_ = std::move(ack); }

    // ICH_* (EL2) and ICV_* (the ICC_* names at EL1 with IMO/FMO) accesses.
    uint64_t read_ich(cpu::SR r) const;
    void write_ich(cpu::SR r, uint64_t v);
    uint64_t read_icv(cpu::SR r);
    void write_icv(cpu::SR r, uint64_t v);
    // Whether ICH_HCR_EL2.TC/TALL0/TALL1/TDIR trap an EL1 access of this
    // ICC_* register to EL2 (before the ICC/ICV choice).
    bool traps(cpu::SR r) const;

    // The levels the interface drives now.
    Outputs outputs() const;
    uint64_t misr() const;
    uint32_t eisr() const;
    uint32_t elrsr() const;
    // The list register of the highest priority pending virtual interrupt
    // (state pending, group enabled in ICH_VMCR_EL2), or -1.
    int highest_pending_lr() const;
    // The highest priority pending virtual interrupt: a list register
    // (lr >= 0) or a direct vLPI (lr = -2), or none (lr = -1).
    struct Candidate {
        int lr = -1;
        uint32_t vintid = 1023;
        uint8_t prio = 0xFF;
        bool group1 = false;
    };
    Candidate highest_pending() const;
    uint8_t running_priority() const;  // ICV_RPR_EL1

    uint64_t hcr() const { return hcr_; }
    uint64_t lr(unsigned n) const { return lr_[n]; }

private:
    static unsigned lr_state(uint64_t lr) { return static_cast<unsigned>(lr >> 62); }
    static uint8_t lr_prio(uint64_t lr) { return static_cast<uint8_t>(lr >> kLrPrioShift); }
    static uint32_t lr_vintid(uint64_t lr) { return static_cast<uint32_t>(lr); }
    unsigned vbpr(bool group1) const;      // as ICV_BPR0/1_EL1 read
    uint8_t group_mask(bool group1) const; // the group priority bits
    bool can_preempt(uint8_t prio, bool group1) const;
    uint64_t acknowledge(bool group1);
    void end_of_interrupt(uint64_t v, bool group1);
    void deactivate_lr(unsigned n);
    int find_active(uint32_t vintid) const;
    void bump_eoicount();
    void write_vbpr(bool group1, uint64_t v);
    void write_vmcr(uint64_t v);

    DeactivateFn deactivate_;
    DirectSource direct_;
    DirectAck direct_ack_;
    uint64_t hcr_ = 0, vmcr_ = 0;
    uint64_t lr_[kNumLrs] = {};
    uint32_t ap0_ = 0, ap1_ = 0;
};

}  // namespace hvsim::gic
