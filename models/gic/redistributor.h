// GICv3 Redistributor (GICR_*, IHI 0069 12.10), one per core: the RD_base
// frame (CTLR, IIDR, TYPER, WAKER, identification) and the SGI_base frame
// with the SGIs' and PPIs' state (IGROUPR0, ISENABLER0, ..., IPRIORITYR,
// ICFGR0/1). With LPIs (GicConfig::lpis): GICR_CTLR.EnableLPIs,
// GICR_TYPER.PLPIS = 1, GICR_PROPBASER/PENDBASER and the LPI state (lpi.h).
#pragma once

#include <array>
#include <cstdint>

#include "irq_state.h"
#include "lpi.h"
#include "models/dev/register_bank.h"

namespace hvsim::gic {

class Gic;

class Redistributor {
public:
    static constexpr uint64_t kFrameSize = 0x10000;       // RD_base, then SGI_base
    static constexpr uint64_t kSize = 2 * kFrameSize;     // per core
    static constexpr uint32_t kWakerProcessorSleep = 1u << 1, kWakerChildrenAsleep = 1u << 2;

    // `affinity`: Aff3.Aff2.Aff1.Aff0 of the core; `last`: the last
    // redistributor of the region (GICR_TYPER.Last).
    // `mem`: the bus path for the LPI tables; `lpis`: LPIs supported.
    Redistributor(Gic& gic, unsigned core, uint32_t affinity, bool last, bool reset_group1, bool lpis = false,
                  const MemAccess* mem = nullptr);

    // A bus access at `offset` in this redistributor's 128 KiB; false:
    // nothing there (RAZ/WI).
    bool access(uint32_t offset, uint8_t* data, unsigned len, bool write) {
        if (offset < kFrameSize) return rd_.access(offset, data, len, write);
        return sgi_.access(static_cast<uint32_t>(offset - kFrameSize), data, len, write);
    }

    IrqState& irq(unsigned intid) { return irqs_.at(intid); }  // 0..31
    const IrqState& irq(unsigned intid) const { return irqs_.at(intid); }
    // GICR_WAKER.ProcessorSleep: while set, the redistributor forwards no
    // interrupt to the CPU interface (IHI 0069 11.1).
    bool asleep() const { return waker_ & kWakerProcessorSleep; }
    LpiTables& lpis() { return lpis_; }
    const LpiTables& lpis() const { return lpis_; }

private:
    Gic& gic_;
    dev::RegisterBank rd_, sgi_;
    std::array<IrqState, kNumPrivate> irqs_{};
    uint32_t waker_ = kWakerProcessorSleep | kWakerChildrenAsleep;
    LpiTables lpis_;
};

}  // namespace hvsim::gic
