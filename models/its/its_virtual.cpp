// The GICv4.0 ITS commands (IHI 0069 5.4 and 9.x): VMAPP, VMAPTI, VMAPI,
// VMOVI, VMOVP, VSYNC, VINVALL. Formats and the vPE table are described in
// its.h.
#include "its.h"

namespace hvsim::its {

namespace {
constexpr uint64_t kValid = 1ull << 63;
constexpr uint64_t kVptMask = 0xFFFFFFFFFull << 16;  // VPT_addr [51:16]
uint64_t bits(uint64_t v, unsigned hi, unsigned lo) { return (v >> lo) & ((1ull << (hi - lo + 1)) - 1); }
bool is_lpi(uint64_t id) { return id >= gic::kLpiBase && id < (1ull << gic::kLpiIdBits); }
}  // namespace

CmdError Its::execute_virtual(const uint64_t dw[4]) {
    const uint8_t cmd = dw[0] & 0xFF;
    const uint32_t device = static_cast<uint32_t>(dw[0] >> 32);
    const uint32_t event = static_cast<uint32_t>(dw[1]);
    const uint32_t vpeid = static_cast<uint32_t>(bits(dw[1], 47, 32));
    const uint64_t rd = bits(dw[2], 51, 16);  // RDbase: the processor number (GITS_TYPER.PTA = 0)
    CmdError e = CmdError::None;
    Vpe vpe;
    switch (cmd) {
    case kVmapp: {
        // vPEID [47:32] of DW1; V [63] and RDbase of DW2; VPT_addr [51:16]
        // and VPT_size [4:0] (vINTID bits - 1) of DW3.
        const bool valid = dw[2] >> 63;
        const unsigned size = static_cast<unsigned>(dw[3] & 0x1F);
        uint64_t pa = 0;
        if ((e = table_entry_pa(2, vpeid, CmdError::VpeOutOfRange, pa)) != CmdError::None) return e;
        if (valid && rd >= gic_.num_cores()) return CmdError::RdbaseOutOfRange;
        if (valid && size + 1 > gic::kLpiIdBits) return CmdError::VptSizeOutOfRange;
        const uint64_t entry = valid ? (kValid | (rd << 52) | (dw[3] & kVptMask) | size) : 0;
        return write64(pa, entry) ? CmdError::None : CmdError::TableAccess;
    }
    case kVmapti:
    case kVmapi: {
        // vINTID [31:0] of DW2 (VMAPI: the EventID), doorbell pINTID [63:32].
        const uint32_t vintid = cmd == kVmapi ? event : static_cast<uint32_t>(dw[2]);
        const uint32_t doorbell = static_cast<uint32_t>(dw[2] >> 32);
        uint64_t pa = 0;
        if ((e = table_entry_pa(2, vpeid, CmdError::VpeOutOfRange, pa)) != CmdError::None) return e;
        if (!is_lpi(vintid)) return CmdError::VintidOutOfRange;
        if (doorbell != gic::kSpurious && !is_lpi(doorbell)) return CmdError::DoorbellOutOfRange;
        Ite ite;
        ite.virt = true;
        ite.pintid = vintid;
        ite.icid = static_cast<uint16_t>(vpeid);
        ite.doorbell = doorbell;
        return write_ite(device, event, ite);
    }
    case kVmovi: {
        // The event moves to vPE `vpeid`, its pending state with it; with
        // D [0] of DW2 its doorbell becomes DW2 [63:32].
        Ite ite;
        if ((e = lookup(device, event, ite)) != CmdError::None) return e;
        if (!ite.virt) return CmdError::MappingMismatch;
        Vpe to;
        if ((e = vpe_entry(vpeid, to)) != CmdError::None) return e;
        Delivery from;
        if ((e = target(ite, from)) != CmdError::None) return e;
        const bool d = dw[2] & 1;
        const uint32_t doorbell = static_cast<uint32_t>(dw[2] >> 32);
        if (d && doorbell != gic::kSpurious && !is_lpi(doorbell)) return CmdError::DoorbellOutOfRange;
        Ite moved = ite;
        moved.icid = static_cast<uint16_t>(vpeid);
        if (d) moved.doorbell = doorbell;
        if ((e = write_ite(device, event, moved)) != CmdError::None) return e;
        if ((from.core != to.core || from.vpt != to.vpt) && gic_.vlpi_pending(from.core, from.vpt, ite.pintid)) {
            gic_.set_vlpi_pending(from.core, from.vpt, from.vpt_bits, ite.pintid, false);
            gic_.set_vlpi_pending(to.core, to.vpt, to.bits, ite.pintid, true, moved.doorbell);
        }
        return CmdError::None;
    }
    case kVmovp: {
        // The vPE's redistributor changes. GICv4.0 with GITS_TYPER.VMOVP =
        // 0: SequenceNumber and ITSList synchronise several ITSs; with one
        // ITS there is nothing to synchronise and they are not checked.
        // Software makes the vPE non-resident before moving it.
        uint64_t pa = 0;
        if ((e = vpe_entry(vpeid, vpe, &pa)) != CmdError::None) return e;
        if (rd >= gic_.num_cores()) return CmdError::RdbaseOutOfRange;
        uint64_t entry = 0;
        if (!read64(pa, entry)) return CmdError::TableAccess;
        entry = (entry & ~(0x7FFull << 52)) | (rd << 52);
        return write64(pa, entry) ? CmdError::None : CmdError::TableAccess;
    }
    case kVsync:
        // Commands complete in order: the effects of every earlier command
        // for this vPE are visible when VSYNC completes.
        return vpe_entry(vpeid, vpe);
    case kVinvall:
        if ((e = vpe_entry(vpeid, vpe)) != CmdError::None) return e;
        fx_.lpi_dropped += gic_.invalidate_all_vlpis(vpe.core, vpe.vpt);
        stats_.lpi_config_dropped += fx_.lpi_dropped;
        return CmdError::None;
    default: return CmdError::UnknownCommand;
    }
}

}  // namespace hvsim::its
