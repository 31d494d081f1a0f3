#include "emulation_checker.h"

#include <fmt/format.h>

namespace hvsim::platform {

namespace {

// What a PAR_EL1 says, for a report: the output address of `va`, or the
// fault (PAR_EL1.F = 1: FST in bits [6:1], S in bit 9).
std::string output(uint64_t par, uint64_t va, bool ipa) {
    if (par & 1) return fmt::format("a stage {} fault (FST {:#x})", (par >> 9) & 1 ? 2 : 1, (par >> 1) & 0x3F);
    return fmt::format("{} {:#x}", ipa ? "IPA" : "PA", (par & 0x0000FFFFFFFFF000ull) | (va & 0xFFF));
}

}  // namespace

bool EmulationChecker::mark(unsigned core, uint64_t instance, uint64_t pass) {
    if (core >= open_.size() || pass > 2) {
        ++errors_;
        return false;
    }
    Open& o = open_[core];
    if (pass == 0) {
        const bool was = o.active;
        o = Open{};
        if (!was) ++errors_;
        return was;
    }
    bool ok = !o.active;
    if (pass == 1) {
        instances_[instance] = Instance{};
        ++started_;
    } else if (!instances_.count(instance)) {
        ++errors_;
        o = Open{};
        return false;
    } else {
        ++pass2_runs_;
    }
    if (!ok) ++errors_;
    o = Open{true, instance, unsigned(pass)};
    return ok;
}

void EmulationChecker::translation(const Where& w, const std::string& op, uint64_t va, uint64_t par, bool ipa) {
    if (w.core >= open_.size() || !open_[w.core].active) return;
    const Open& o = open_[w.core];
    Instance& in = instances_[o.instance];
    const auto key = std::make_pair(op, va);
    if (o.pass == 1) {
        ++t1_;
        in.first.emplace(key, par);
        return;
    }
    ++t2_;
    const auto it = in.first.find(key);
    if (it == in.first.end()) {
        ++unmatched_;
        return;
    }
    if (it->second == par || in.reported) return;
    in.reported = true;
    ++reports_;
    std::fprintf(out_, "hvsim: emulation: instance %llu pass 2 translated VA %#llx to %s, pass 1 to %s (%s, cpu%u cycle %llu pc=%#llx)\n",
                 static_cast<unsigned long long>(o.instance), static_cast<unsigned long long>(va),
                 output(par, va, ipa).c_str(), output(it->second, va, ipa).c_str(), op.c_str(), w.core,
                 static_cast<unsigned long long>(w.cycles), static_cast<unsigned long long>(w.pc));
    std::fflush(out_);
}

nlohmann::json EmulationChecker::json() const {
    return {{"instances", started_},        {"pass2_runs", pass2_runs_}, {"pass1_translations", t1_},
            {"pass2_translations", t2_},    {"pass2_unmatched", unmatched_}, {"reports", reports_},
            {"errors", errors_}};
}

}  // namespace hvsim::platform
