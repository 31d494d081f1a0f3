// The emulation checker (opt-in, `--check emulation`): a hypervisor that
// emulates a guest instruction in two passes (pass 1 decodes it and sends
// the access to a device model; pass 2, once the device model has
// completed, re-executes the emulation to finish it, as Xen's IOREQ path
// does) must perform the same access in both passes. If pass 2 translates
// the guest's addresses again and the guest's page tables changed in
// between, it performs a different access than the one the device model
// completed.
//
// The firmware marks the passes with hvsim's semihosting operation 0x104
// (platforms/semihosting.h): {instance, 1} and {instance, 2} begin pass 1 and
// pass 2 of an emulation on the calling core, {instance, 0} ends the core's
// open pass. While a pass is open, the platform passes here every address
// translation instruction (AT) the core executes at EL2, with its input
// address and the PAR_EL1 it produced.
//
// Rule: a pass-2 translation of an input (the same AT operation and address)
// that pass 1 of the same instance also translated must give the same
// PAR_EL1; a different one (another output address, a fault instead of an
// address, other attributes) is reported, once per instance.
//
// Limits:
// - Only the translations the hypervisor performs are judged, not which it
//   uses: a correct access-once buffer performs no pass-2 translation; one
//   that translates again and then replays pass 1's result anyway is
//   reported all the same.
// - Guest memory the hypervisor reads by physical address (the instruction
//   word, operands) is not compared: a guest that rewrites the instruction
//   in place between the passes, under an unchanged mapping, goes unseen.
// - Inputs pass 1 did not translate are not compared (counted as
//   unmatched), and neither is a translation made outside a marked pass.
// - Instance numbers may be reused: pass 1 starts an instance afresh. Pass 2
//   may run several times (each re-execution is compared with pass 1).
// Misuse of the marks (pass 2 of an instance with no pass 1, an end with no
// open pass, a pass other than 0-2, a begin while a pass is open) is counted
// in `errors`; a begin while a pass is open replaces it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace hvsim::platform {

class EmulationChecker {
public:
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

    uint64_t reports() const { return reports_; }
    // {"instances", "pass2_runs", "pass1_translations", "pass2_translations",
    //  "pass2_unmatched", "reports", "errors"}
    nlohmann::json json() const;

private:
    struct Open {
        bool active = false;
        uint64_t instance = 0;
        unsigned pass = 0;
    };
    struct Instance {
        std::map<std::pair<std::string, uint64_t>, uint64_t> first;  // (op, va) -> PAR of pass 1
        bool reported = false;
    };

    std::vector<Open> open_;
    std::map<uint64_t, Instance> instances_;
    std::FILE* out_;
    uint64_t started_ = 0, pass2_runs_ = 0, t1_ = 0, t2_ = 0, unmatched_ = 0, reports_ = 0, errors_ = 0;
};

}  // namespace hvsim::platform
