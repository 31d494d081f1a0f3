// What a core sees of its interrupt controller's system register interface
// (the GICv3 ICC_* registers). Declared here so that the cpu library does not
// depend on the interrupt controller's: the platform connects one with
// Core::set_interrupt_controller(). Without one, the ICC_* registers are
// UNDEFINED and ID_AA64PFR0_EL1.GIC reads 0.
#pragma once

#include <cstdint>

#include "sysregs.h"

namespace hvsim::cpu {

class InterruptController {
public:
    virtual ~InterruptController() = default;
    // An ICC_* register access by `core`, after the core's access checks
    // and traps (sysregs.inc, section "GICv3 CPU interface").
    virtual uint64_t read_sysreg(Core& core, SR r) = 0;
    virtual void write_sysreg(Core& core, SR r, uint64_t v) = 0;
    // Whether an EL1 access of this ICC_* register traps to EL2 (the GIC's
    // ICH_HCR_EL2.TC/TALL0/TALL1/TDIR); asked only at EL1 with EL2 enabled.
    virtual bool traps_to_el2(Core& /*core*/, SR /*r*/) { return false; }
};

}  // namespace hvsim::cpu
