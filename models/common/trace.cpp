#include "trace.h"

#include <sstream>

namespace hvsim {

namespace {
struct Named {
    const char* name;
    Trace::Category cat;
};
constexpr Named kNames[] = {{"exc", Trace::kExc},       {"tlb", Trace::kTlb},       {"walk", Trace::kWalk},
                            {"fault", Trace::kFault},   {"sysreg", Trace::kSysreg}, {"stale", Trace::kStale},
                            {"cache", Trace::kCache},   {"cmo", Trace::kCmo},       {"coherency", Trace::kCoherency},
                            {"its", Trace::kIts},       {"gic", Trace::kGic}};
}  // namespace

bool Trace::enable(const std::string& list, std::string& bad) {
    std::stringstream ss(list);
    std::string item;
    while (std::getline(ss, item, ',')) {
        if (item == "all") {
            for (const Named& n : kNames) mask_ |= n.cat;
            continue;
        }
        bool found = false;
        for (const Named& n : kNames)
            if (item == n.name) {
                mask_ |= n.cat;
                found = true;
            }
        if (!found) {
            bad = item;
            return false;
        }
    }
    return true;
}

const char* Trace::name(Category c) {
    for (const Named& n : kNames)
        if (n.cat == c) return n.name;
    return "?";
}

}  // namespace hvsim
