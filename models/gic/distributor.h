// GICv3 Distributor (GICD_*, IHI 0069 12.9): the SPIs' state, their routing
// (GICD_IROUTER<n>, affinity routing always on), and the group enables.
// One security state, as QEMU's virt board presents without EL3:
// GICD_CTLR.DS and ARE read as one. INTIDs 0-31 belong to the
// redistributors: their GICD bits are RAZ/WI. GICD_TYPER.LPIS/IDbits follow
// GicConfig::lpis.
#pragma once

#include <cstdint>
#include <vector>

#include "irq_state.h"
#include "models/dev/register_bank.h"

namespace hvsim::gic {

class Gic;

class Distributor {
public:
    static constexpr uint64_t kSize = 0x10000;
    // GICD_CTLR bits with DS = 1.
    static constexpr uint32_t kCtlrEnableGrp0 = 1u << 0, kCtlrEnableGrp1 = 1u << 1, kCtlrAre = 1u << 4,
                              kCtlrDs = 1u << 6;
    static constexpr uint64_t kIrouterIrm = 1ull << 31;

    Distributor(Gic& gic, unsigned num_spis, bool reset_group1, bool lpis = false, bool v4 = false);

    // A bus access at `offset` in the 64 KiB frame; false: nothing there
    // (the caller makes it RAZ/WI).
    bool access(uint32_t offset, uint8_t* data, unsigned len, bool write) {
        return regs_.access(offset, data, len, write);
    }

    unsigned num_spis() const { return static_cast<unsigned>(spis_.size()); }
    IrqState& spi(unsigned n) { return spis_.at(n); }          // INTID 32 + n
    const IrqState& spi(unsigned n) const { return spis_.at(n); }
    uint64_t irouter(unsigned n) const { return irouter_.at(n); }
    bool group_enabled(bool group1) const { return ctlr_ & (group1 ? kCtlrEnableGrp1 : kCtlrEnableGrp0); }
    uint32_t ctlr() const { return ctlr_; }

private:
    Gic& gic_;
    dev::RegisterBank regs_;
    std::vector<IrqState> spis_;
    std::vector<uint64_t> irouter_;
    uint32_t ctlr_ = kCtlrAre | kCtlrDs;
};

}  // namespace hvsim::gic
