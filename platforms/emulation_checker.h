// The emulation checker (opt-in, `--check emulation`): a hypervisor that
// emulates a guest instruction in two passes (pass 1 decodes it and sends
// the access to a device model; pass 2, once the device model has
// completed, re-executes the emulation to finish it, as Xen's IOREQ path
// does) must perform the same access in both passes. If pass 2 translates
// the guest's addresses or reads its instruction again, and another vCPU
// changed the page tables or the instruction in between, it performs a
// different access than the one the device model completed.
//
// The firmware marks the passes with hvsim's semihosting operation 0x104
// (platforms/semihosting.h): {instance, 1} and {instance, 2} begin pass 1 and
// pass 2 of an emulation on the calling core, {instance, 0} ends the core's
// open pass. While a pass is open, the platform passes here every address
// translation instruction (AT) the core executes at EL2, with its input
// address and the PAR_EL1 it produced, and every load the core makes at
// EL2, with its PA and data.
//
// Rules, each instance reported once (by the first that fires):
// - translations: a pass-2 translation of an input (the same AT operation
//   and address) that pass 1 of the same instance also translated must give
//   the same PAR_EL1; a different one (another output address, a fault
//   instead of an address, other attributes) is reported;
// - guest-memory reads: a pass-2 load of bytes that pass 1 loaded, in a
//   page one of pass 1's translations produced as a PA (the guest memory
//   the emulation reached: the instruction word, operands), must read the
//   same values; different ones are reported (the guest rewrote the
//   instruction in place between the passes, and pass 2 decoded it again).
//
// Limits:
// - Only the translations and reads the hypervisor performs are judged, not
//   which it uses: a correct access-once buffer performs none in pass 2; one
//   that translates or reads again and then replays pass 1's result anyway
//   is reported all the same.
// - Reads count only in pages a pass-1 translation produced as a PA: guest
//   memory the hypervisor reaches otherwise (its own mapping of the guest,
//   an IPA it converts itself) is not compared, and neither is its own
//   memory (stack, buffers), which changes between the passes legitimately.
// - Inputs pass 1 did not translate are not compared (counted as
//   unmatched), and neither is anything outside a marked pass.
// - Instance numbers may be reused: pass 1 starts an instance afresh. Pass 2
//   may run several times (each re-execution is compared with pass 1). The
//   newest kMaxInstances instances are remembered; a pass 2 of an older one
//   is a misuse.
// Misuse of the marks (pass 2 of an instance with no pass 1, an end with no
// open pass, a pass other than 0-2, a begin while a pass is open) is counted
// in `errors`; a begin while a pass is open replaces it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace hvsim::platform {

class EmulationChecker {
public:
    static constexpr size_t kMaxInstances = 4096;
    struct Where {
        unsigned core = 0;
        uint64_t cycles = 0, pc = 0;
    };

    EmulationChecker(unsigned cores, std::FILE* out = stderr) : open_(cores), out_(out) {}

    // The firmware's mark on `core`: pass 1 or 2 of `instance` begins, or
    // (pass 0) the core's open pass ends. False on misuse (counted).
    bool mark(unsigned core, uint64_t instance, uint64_t pass);
    // An AT executed at EL2: `op` its name (e.g. "AT_S12E1R"), `va` its
    // input, `par` the PAR_EL1 it produced; `ipa` when PAR holds an IPA
    // (a stage-1 operation of a regime under stage 2).
    void translation(const Where& w, const std::string& op, uint64_t va, uint64_t par, bool ipa);
    // A load at EL2 of `size` bytes (at most 64) at `pa`.
    void read(const Where& w, uint64_t pa, const void* data, unsigned size);
    // A pass is open on `core` (its loads matter).
    bool pass_open(unsigned core) const { return core < open_.size() && open_[core].active; }

    uint64_t reports() const { return reports_; }
    // {"instances", "pass2_runs", "pass1_translations", "pass2_translations",
    //  "pass2_unmatched", "pass1_reads", "pass2_reads", "reports", "errors"}
    nlohmann::json json() const;

private:
    struct Open {
        bool active = false;
        uint64_t instance = 0;
        unsigned pass = 0;
    };
    struct Instance {
        std::map<std::pair<std::string, uint64_t>, uint64_t> first;  // (op, va) -> PAR of pass 1
        std::set<uint64_t> pages;              // PA pages pass 1's translations produced
        std::map<uint64_t, uint8_t> bytes;     // what pass 1 read there, by PA
        bool reported = false;
    };

    std::vector<Open> open_;
    std::map<uint64_t, Instance> instances_;
    std::deque<uint64_t> order_;  // instance numbers, oldest pass 1 first
    std::FILE* out_;
    void report(Instance& in, const std::string& what, const Where& w);

    uint64_t started_ = 0, pass2_runs_ = 0, t1_ = 0, t2_ = 0, unmatched_ = 0, r1_ = 0, r2_ = 0, reports_ = 0,
             errors_ = 0;
};

}  // namespace hvsim::platform
