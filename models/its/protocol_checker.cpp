#include "protocol_checker.h"

#include <cstring>

#include <fmt/format.h>

namespace hvsim::its {

const char* report_name(ItsReport r) {
    switch (r) {
    case ItsReport::LpiConfigWithoutInv: return "lpi-config-without-inv";
    case ItsReport::StaleCommand: return "stale-command";
    case ItsReport::InvFoundNothing: return "inv-found-nothing";
    case ItsReport::Count: break;
    }
    return "?";
}

ProtocolChecker::ProtocolChecker(std::FILE* out, gic::Gic& gic, Read gic_view, Read newest, std::function<uint64_t()> now_ns)
    : out_(out), gic_(gic), gic_view_(std::move(gic_view)), newest_(std::move(newest)), now_ns_(std::move(now_ns)) {}

void ProtocolChecker::command_read(uint64_t pa, const uint64_t (&dw)[4]) {
    if (!newest_) return;
    uint64_t latest[4] = {};
    newest_(pa, latest, sizeof latest);
    if (std::memcmp(latest, dw, sizeof latest) == 0) return;
    ++counts_[unsigned(ItsReport::StaleCommand)];
    fmt::print(out_,
               "hvsim: its: stale-command at {:#x}, {}ns: the ITS read {:#018x} {:#018x} {:#018x} {:#018x} but the newest "
               "copy (CPU cache) is {:#018x} {:#018x} {:#018x} {:#018x}: the queue was not cleaned to the PoC\n",
               pa, now(), dw[0], dw[1], dw[2], dw[3], latest[0], latest[1], latest[2], latest[3]);
}

void ProtocolChecker::config_read(unsigned core, uint32_t intid, uint8_t byte) { seen_.emplace(std::make_pair(core, intid), byte); }

void ProtocolChecker::invalidated(unsigned core, uint32_t intid, unsigned dropped) {
    if (intid == kAll) {
        seen_.erase(seen_.lower_bound({core, 0}), seen_.upper_bound({core, UINT32_MAX}));
    } else {
        seen_.erase({core, intid});
    }
    if (dropped) return;
    ++counts_[unsigned(ItsReport::InvFoundNothing)];
    if (intid == kAll)
        fmt::print(out_, "hvsim: its: inv-found-nothing INVALL at cpu{}, {}ns: no LPI configuration was cached\n", core, now());
    else
        fmt::print(out_, "hvsim: its: inv-found-nothing INV of LPI {} at cpu{}, {}ns: its configuration was not cached\n",
                   intid, core, now());
}

void ProtocolChecker::delivered(unsigned core, uint32_t intid, uint8_t used) {
    const auto it = seen_.find({core, intid});
    if (it == seen_.end()) return;
    const uint64_t pa = (gic_.redistributor(core).lpis().propbaser() & (0xFFFFFFFFFFull << 12)) + (intid - gic::kLpiBase);
    uint8_t now_byte = 0;
    gic_view_(pa, &now_byte, 1);
    if (now_byte == it->second) return;
    ++counts_[unsigned(ItsReport::LpiConfigWithoutInv)];
    fmt::print(out_,
               "hvsim: its: lpi-config-without-inv LPI {} at cpu{}, {}ns: delivered with configuration {:#04x}; memory "
               "({:#x}) changed from {:#04x} to {:#04x} with no INV/INVALL since\n",
               intid, core, now(), used, pa, it->second, now_byte);
    it->second = now_byte;  // once per change
}

}  // namespace hvsim::its
