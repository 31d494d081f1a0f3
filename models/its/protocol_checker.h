// The ITS protocol checker (`--check its`), opt-in: reports software that
// breaks the GICv3 rules for the ITS and LPIs, each as one line
//   hvsim: its: <kind> ...
// and counts them.
//
//   lpi-config-without-inv  an LPI is delivered (acknowledged) while the
//       configuration byte in memory differs from the one its redistributor
//       read, and no INV/INVALL reached that redistributor since: software
//       changed the property table without the INV or INVALL (+ SYNC) that
//       IHI 0069 5.1.1 requires, and the GIC may use either value.
//   stale-command  a command the ITS read from its queue differs from the
//       newest copy in the CPU caches: with an ITS that is not coherent with
//       them (caches.gic_its_coherent = false, GITS_CBASER.Shareability
//       Non-shareable) software must clean the queue to the Point of
//       Coherency before writing GITS_CWRITER.
//   inv-found-nothing  an INV or INVALL dropped nothing from the
//       redistributor's configuration cache: not an error, counted for cost
//       reviews (the command's cost bought nothing).
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <utility>

#include "models/gic/gic.h"

namespace hvsim::its {

enum class ItsReport { LpiConfigWithoutInv, StaleCommand, InvFoundNothing, Count };
const char* report_name(ItsReport r);

class ProtocolChecker : public gic::LpiObserver {
public:
    // A debug read (no timing, no state change) of guest memory.
    using Read = std::function<void(uint64_t pa, void* dst, unsigned len)>;
    // `gic_view`: memory as the GIC and the ITS read it; `newest`: the newest
    // copy (the CPU caches included), or empty when the ITS is coherent.
    ProtocolChecker(std::FILE* out, gic::Gic& gic, Read gic_view, Read newest, std::function<uint64_t()> now_ns);

    // The ITS read the command `dw` at `pa` (Its::set_command_observer).
    void command_read(uint64_t pa, const uint64_t (&dw)[4]);

    // gic::LpiObserver
    void config_read(unsigned core, uint32_t intid, uint8_t byte) override;
    void invalidated(unsigned core, uint32_t intid, unsigned dropped) override;
    void delivered(unsigned core, uint32_t intid, uint8_t used) override;

    uint64_t reports(ItsReport r) const { return counts_[unsigned(r)]; }

private:
    uint64_t now() const { return now_ns_ ? now_ns_() : 0; }

    std::FILE* out_;
    gic::Gic& gic_;
    Read gic_view_, newest_;
    std::function<uint64_t()> now_ns_;
    // Per (core, LPI): the configuration byte the redistributor read first
    // since the last INV/INVALL that covered it.
    std::map<std::pair<unsigned, uint32_t>, uint8_t> seen_;
    uint64_t counts_[unsigned(ItsReport::Count)] = {};
};

}  // namespace hvsim::its
