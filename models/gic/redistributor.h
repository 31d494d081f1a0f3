// GICv3 Redistributor (GICR_*, IHI 0069 12.10), one per core: the RD_base
// frame (CTLR, IIDR, TYPER, WAKER, identification) and the SGI_base frame
// with the SGIs' and PPIs' state (IGROUPR0, ISENABLER0, ..., IPRIORITYR,
// ICFGR0/1). With LPIs (GicConfig::lpis): GICR_CTLR.EnableLPIs,
// GICR_TYPER.PLPIS = 1, GICR_PROPBASER/PENDBASER and the LPI state (lpi.h).
//
// GICv4.0 (`v4`): GICR_TYPER.VLPIS = 1 and two more frames (IHI 0069 9.11,
// 12.10): VLPI_base with GICR_VPROPBASER (the virtual LPI configuration
// table of the resident VM, GICv4.0 layout) and GICR_VPENDBASER (the
// resident vPE's virtual LPI pending table, Valid, IDAI, PendingLast,
// Dirty), then a reserved frame; the redistributor stride is 0x40000.
// The resident vPE's vLPIs are an LpiTables whose "enabled" is
// VPENDBASER.Valid: made resident, the VPT is read; descheduled, the
// pending state stays in the VPT (written through) and PendingLast says
// whether an enabled vLPI was pending.
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
    static constexpr uint64_t kFrameSize = 0x10000;       // RD_base, SGI_base (then VLPI_base, reserved: GICv4)
    static constexpr uint64_t kSize = 2 * kFrameSize;     // per core, GICv3
    static constexpr uint64_t kSizeV4 = 4 * kFrameSize;   // per core, GICv4
    // GICR_VPENDBASER (GICv4.0)
    static constexpr uint64_t kVpendValid = 1ull << 63, kVpendIdai = 1ull << 62, kVpendPendingLast = 1ull << 61,
                              kVpendDirty = 1ull << 60;
    static constexpr uint32_t kWakerProcessorSleep = 1u << 1, kWakerChildrenAsleep = 1u << 2;

    // `affinity`: Aff3.Aff2.Aff1.Aff0 of the core; `last`: the last
    // redistributor of the region (GICR_TYPER.Last).
    // `mem`: the bus path for the LPI tables; `lpis`: LPIs supported.
    Redistributor(Gic& gic, unsigned core, uint32_t affinity, bool last, bool reset_group1, bool lpis = false,
                  const MemAccess* mem = nullptr, bool v4 = false);

    // A bus access at `offset` in this redistributor's 128 KiB; false:
    // nothing there (RAZ/WI).
    bool access(uint32_t offset, uint8_t* data, unsigned len, bool write) {
        if (offset < kFrameSize) return rd_.access(offset, data, len, write);
        if (offset < 2 * kFrameSize) return sgi_.access(static_cast<uint32_t>(offset - kFrameSize), data, len, write);
        if (offset < 3 * kFrameSize) return vlpi_.access(static_cast<uint32_t>(offset - 2 * kFrameSize), data, len, write);
        return false;
    }

    IrqState& irq(unsigned intid) { return irqs_.at(intid); }  // 0..31
    const IrqState& irq(unsigned intid) const { return irqs_.at(intid); }
    // GICR_WAKER.ProcessorSleep: while set, the redistributor forwards no
    // interrupt to the CPU interface (IHI 0069 11.1).
    bool asleep() const { return waker_ & kWakerProcessorSleep; }
    LpiTables& lpis() { return lpis_; }
    const LpiTables& lpis() const { return lpis_; }
    // GICv4: the resident vPE's vLPIs (enabled() = GICR_VPENDBASER.Valid).
    LpiTables& vlpis() { return vlpis_; }
    const LpiTables& vlpis() const { return vlpis_; }
    bool resident() const { return vlpis_.enabled(); }
    // The resident vPE's virtual pending table (PA), when resident.
    uint64_t vpt() const { return vlpis_.pendbaser() & (0xFFFFFFFFFull << 16); }

private:
    uint64_t read_vpendbaser() const;
    void write_vpendbaser(uint64_t v);

    Gic& gic_;
    unsigned core_;
    dev::RegisterBank rd_, sgi_, vlpi_;
    std::array<IrqState, kNumPrivate> irqs_{};
    uint32_t waker_ = kWakerProcessorSleep | kWakerChildrenAsleep;
    LpiTables lpis_;
    LpiTables vlpis_;
    bool pending_last_ = false, idai_ = false;
};

}  // namespace hvsim::gic
