// The state of one interrupt (SGI, PPI or SPI) and the register runs that
// the distributor (GICD_*) and the redistributors' SGI frames (GICR_*0) share
// at the same offsets: IGROUPR, ISENABLER/ICENABLER, ISPENDR/ICPENDR,
// ISACTIVER/ICACTIVER, IPRIORITYR, ICFGR. IHI 0069 chapter 12.
#pragma once

#include <cstdint>
#include <functional>

#include "models/dev/register_bank.h"

namespace hvsim::gic {

constexpr unsigned kSpurious = 1023;
constexpr unsigned kNumPrivate = 32;  // SGIs 0-15, PPIs 16-31

struct IrqState {
    bool enabled = false;
    bool group1 = false;
    bool edge = false;    // ICFGR: 1 = edge-triggered, 0 = level-sensitive
    bool latch = false;   // pending latch: an edge, ISPENDR, or an SGI
    bool level = false;   // the input line
    bool active = false;
    uint8_t prio = 0;     // all 8 bits are kept, as on QEMU; the CPU interface uses 5
    // Level-sensitive interrupts are pending while their line is asserted
    // (or while software set them pending); edge-triggered ones until
    // acknowledged or cleared (IHI 0069 4.1.2).
    bool pending() const { return latch || (!edge && level); }
    // Drives the input line: a rising edge latches an edge-triggered interrupt.
    void drive(bool l) {
        if (edge && l && !level) latch = true;
        level = l;
    }
};

// The interrupt with this INTID, or nullptr where the frame does not
// implement it (its bits are RAZ/WI).
using IrqLookup = std::function<IrqState*(unsigned intid)>;

// Declares the per-interrupt register runs for INTIDs [0, count) at their
// architected offsets; `changed` runs after every write. SGIs (INTID < 16)
// are always edge-triggered: their ICFGR bits are read-only. `set_pending`
// is told of each interrupt an ISPENDR write made pending (the `gic` trace).
void declare_irq_registers(dev::RegisterBank& bank, unsigned count, IrqLookup irq, std::function<void()> changed,
                           std::function<void(unsigned intid)> set_pending = nullptr);

}  // namespace hvsim::gic
