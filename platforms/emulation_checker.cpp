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
        if (!instances_.count(instance)) order_.push_back(instance);
        instances_[instance] = Instance{};
        ++started_;
        while (instances_.size() > kMaxInstances) {
            instances_.erase(order_.front());
            order_.pop_front();
        }
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
    const auto found = instances_.find(o.instance);
    if (found == instances_.end()) return;  // forgotten while open (kMaxInstances newer ones)
    Instance& in = found->second;
    const auto key = std::make_pair(op, va);
    if (o.pass == 1) {
        ++t1_;
        in.first.emplace(key, par);
        if (!(par & 1) && !ipa) in.pages.insert(par & 0x0000FFFFFFFFF000ull);
        return;
    }
    ++t2_;
    const auto it = in.first.find(key);
    if (it == in.first.end()) {
        ++unmatched_;
        return;
    }
    if (it->second == par) return;
    report(in,
           fmt::format("instance {} pass 2 translated VA {:#x} to {}, pass 1 to {} ({}", o.instance, va,
                       output(par, va, ipa), output(it->second, va, ipa), op),
           w);
}

void EmulationChecker::read(const Where& w, uint64_t pa, const void* data, unsigned size) {
    if (w.core >= open_.size() || !open_[w.core].active || size > 64) return;
    const Open& o = open_[w.core];
    const auto found = instances_.find(o.instance);
    if (found == instances_.end()) return;  // forgotten while open (kMaxInstances newer ones)
    Instance& in = found->second;
    if (!in.pages.count(pa & ~0xFFFull) || !in.pages.count((pa + size - 1) & ~0xFFFull)) return;
    const auto* d = static_cast<const uint8_t*>(data);
    if (o.pass == 1) {
        ++r1_;
        for (unsigned i = 0; i < size; ++i) in.bytes.emplace(pa + i, d[i]);
        return;
    }
    bool compared = false, differs = false;
    std::string now, then;
    for (unsigned i = size; i-- > 0;) {
        const auto it = in.bytes.find(pa + i);
        now += fmt::format("{:02x}", d[i]);
        then += it == in.bytes.end() ? "??" : fmt::format("{:02x}", it->second);
        if (it == in.bytes.end()) continue;
        compared = true;
        differs |= it->second != d[i];
    }
    if (!compared) return;
    ++r2_;
    if (differs)
        report(in, fmt::format("instance {} pass 2 read 0x{} at PA {:#x}, pass 1 read 0x{} there (a {}-byte load", o.instance,
                               now, pa, then, size),
               w);
}

void EmulationChecker::report(Instance& in, const std::string& what, const Where& w) {
    if (in.reported) return;
    in.reported = true;
    ++reports_;
    std::fprintf(out_, "hvsim: emulation: %s, cpu%u cycle %llu pc=%#llx)\n", what.c_str(), w.core,
                 static_cast<unsigned long long>(w.cycles), static_cast<unsigned long long>(w.pc));
    std::fflush(out_);
}

nlohmann::json EmulationChecker::json() const {
    return {{"instances", started_},        {"pass2_runs", pass2_runs_}, {"pass1_translations", t1_},
            {"pass2_translations", t2_},    {"pass2_unmatched", unmatched_}, {"pass1_reads", r1_},
            {"pass2_reads", r2_},           {"reports", reports_},           {"errors", errors_}};
}

}  // namespace hvsim::platform
