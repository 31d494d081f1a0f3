// GICv3 CPU interface of one core: the ICC_* system registers (IHI 0069
// 12.2), priority masking, the running priority from the active priorities
// (AP0R0/AP1R0), preemption by group priority (BPR0/BPR1), acknowledge,
// priority drop and deactivation (EOImode), and SGI generation.
//
// One security state (GICD_CTLR.DS = 1): Group 0 is signalled as FIQ and
// Group 1 as IRQ; ICC_SRE_ELx.SRE is RAO/WI (no memory-mapped interface).
// 5 bits of priority and of preemption (PRIbits = 4), as QEMU's virt CPUs.
#pragma once

#include <cstdint>

#include "models/cpu/sysregs.h"

namespace hvsim::gic {

class Gic;

class CpuInterface {
public:
    static constexpr unsigned kPriBits = 5;
    static constexpr uint8_t kPriMask = 0xFF & ~((1u << (8 - kPriBits)) - 1);  // 0xF8
    static constexpr unsigned kMinBpr0 = 7 - kPriBits;                          // 2
    static constexpr unsigned kMinBpr1 = kMinBpr0 + 1;                          // 3

    CpuInterface(Gic& gic, unsigned core) : gic_(gic), core_(core) {}

    // An ICC_* register access at `el` (after the core's access checks).
    uint64_t read(cpu::SR r, unsigned el);
    void write(cpu::SR r, uint64_t v, unsigned el);

    // For the GIC's signalling decision.
    bool group_enabled(bool group1) const { return group1 ? igrpen1_ : igrpen0_; }
    uint8_t pmr() const { return pmr_; }
    // The running priority: that of the highest active priority (lowest
    // set bit of AP0R0|AP1R0), or 0xFF (idle).
    uint8_t running_priority() const;
    // The group priority of `prio` for interrupts of `group1` (BPR, CBPR).
    uint8_t group_priority(uint8_t prio, bool group1) const;
    // Whether a pending interrupt of this priority and group can be
    // signalled: below the priority mask and preempting the running priority.
    bool can_signal(uint8_t prio, bool group1) const;

private:
    uint64_t acknowledge(bool group1);
    void end_of_interrupt(uint64_t v, bool group1, unsigned el);
    bool eoi_mode(unsigned el) const { return el == 3 ? eoimode_el3_ : eoimode_; }

    Gic& gic_;
    unsigned core_;
    uint8_t pmr_ = 0;
    uint8_t bpr0_ = kMinBpr0, bpr1_ = kMinBpr1;
    uint32_t ap0_ = 0, ap1_ = 0;  // AP0R0/AP1R0: one bit per preemption level
    bool cbpr_ = false, eoimode_ = false, eoimode_el3_ = false;
    bool igrpen0_ = false, igrpen1_ = false, igrpen1_s_ = false;
};

}  // namespace hvsim::gic
