// GICv4.0 virtual LPIs of the Gic (IHI 0069 5.4, 6.1): the ITS's entry
// points for vLPIs (resident vPE, virtual pending table, doorbells) and the
// resident vPE's highest priority vLPI the virtual CPU interface offers.
#include <fmt/format.h>

#include "gic.h"

namespace hvsim::gic {

bool Gic::resident_at(unsigned core, uint64_t vpt) const {
    const Redistributor& r = *redists_.at(core);
    return r.resident() && r.vpt() == (vpt & (0xFFFFFFFFFull << 16));
}

VlpiDelivery Gic::set_vlpi_pending(unsigned core, uint64_t vpt, unsigned vpt_bits, uint32_t vintid, bool pending,
                                   uint32_t doorbell) {
    if (!cfg_.v4 || core >= num_cores()) return VlpiDelivery::Dropped;
    if (vintid < kLpiBase || vintid >= (1ull << vpt_bits)) return VlpiDelivery::Dropped;
    const char* how = nullptr;
    VlpiDelivery where = VlpiDelivery::Table;
    if (resident_at(core, vpt)) {
        LpiTables& t = redists_[core]->vlpis();
        if (pending && t.enabled()) t.config(vintid);
        const bool was = t.pending(vintid);
        t.set_pending(vintid, pending);
        if (pending && !was && t.pending(vintid)) how = "resident vPE";
        where = VlpiDelivery::Resident;
    } else {
        // Not resident: the pending bit is recorded in the vPE's VPT.
        const uint64_t pa = (vpt & (0xFFFFFFFFFull << 16)) + vintid / 8;
        uint8_t byte = 0;
        if (!mem_ || !mem_(pa, &byte, 1, false)) return VlpiDelivery::Dropped;
        const uint8_t bit = uint8_t(1u << (vintid % 8));
        const bool was = byte & bit;
        byte = pending ? uint8_t(byte | bit) : uint8_t(byte & ~bit);
        mem_(pa, &byte, 1, true);
        if (pending && !was) how = "VPT, vPE not resident";
    }
    if (how) {
        ++stats_.vlpis.pending;
        if (tracing()) trace_event(core, fmt::format("vLPI {} pending ({}, VPT {:#x})", vintid, how, vpt));
    }
    if (pending && where == VlpiDelivery::Table && doorbell != kSpurious) {
        ++stats_.doorbells;
        if (tracing()) trace_event(core, fmt::format("vLPI {}: doorbell LPI {}", vintid, doorbell));
        set_lpi_pending(core, doorbell, true);
        where = VlpiDelivery::Doorbell;
    }
    update_virtual(core);
    return where;
}

bool Gic::vlpi_pending(unsigned core, uint64_t vpt, uint32_t vintid) {
    if (core >= num_cores()) return false;
    if (resident_at(core, vpt)) return redists_[core]->vlpis().pending(vintid);
    uint8_t byte = 0;
    const uint64_t pa = (vpt & (0xFFFFFFFFFull << 16)) + vintid / 8;
    return mem_ && mem_(pa, &byte, 1, false) && ((byte >> (vintid % 8)) & 1);
}

unsigned Gic::invalidate_vlpi(unsigned core, uint64_t vpt, uint32_t vintid) {
    if (core >= num_cores() || !resident_at(core, vpt)) return 0;
    const unsigned n = redists_[core]->vlpis().invalidate(vintid);
    update_virtual(core);
    return n;
}

unsigned Gic::invalidate_all_vlpis(unsigned core, uint64_t vpt) {
    if (core >= num_cores() || !resident_at(core, vpt)) return 0;
    const unsigned n = redists_[core]->vlpis().invalidate_all();
    update_virtual(core);
    return n;
}

void Gic::vlpi_changed(unsigned core) {
    if (tracing()) {
        const Redistributor& r = *redists_.at(core);
        trace_event(core, r.resident() ? fmt::format("vPE resident (VPT {:#x}, {} vLPIs pending)", r.vpt(),
                                                     r.vlpis().pending_set().size())
                                       : std::string("no vPE resident"));
    }
    update_virtual(core);
}

VirtualCpuInterface::DirectVlpi Gic::highest_vlpi(unsigned core) {
    VirtualCpuInterface::DirectVlpi best;
    LpiTables& t = redists_.at(core)->vlpis();
    if (!t.enabled()) return best;
    for (uint32_t vintid : t.pending_set()) {
        const uint8_t c = t.config(vintid);
        if ((c & 1) && (c & 0xFC) < best.prio) best = {vintid, uint8_t(c & 0xFC)};
    }
    return best;
}

void Gic::acknowledge_vlpi(unsigned core, uint32_t vintid) {
    ++stats_.vlpis.activated;
    if (tracing()) trace_event(core, fmt::format("vLPI {} delivered (ICV_IAR1, no active state)", vintid));
    redists_.at(core)->vlpis().set_pending(vintid, false);
}

}  // namespace hvsim::gic
