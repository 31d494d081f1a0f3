// ARMv8.0 PMUv3 (see pmu.h).
#include "pmu.h"

#include <algorithm>

#include "core.h"

namespace hvsim::cpu {
namespace {

// PMCR_EL0 fields (Arm ARM D17, PMCR_EL0).
constexpr uint64_t kPmcrE = 1u << 0, kPmcrP = 1u << 1, kPmcrC = 1u << 2, kPmcrD = 1u << 3, kPmcrDp = 1u << 5,
                   kPmcrLc = 1u << 6;
// X (bit 4) is RAZ/WI: there is no event export bus.
constexpr uint64_t kPmcrStored = kPmcrE | kPmcrD | kPmcrDp | kPmcrLc;
// PMEVTYPER<n>_EL0 / PMCCFILTR_EL0 filter bits.
constexpr uint64_t kFiltP = 1ull << 31, kFiltU = 1ull << 30, kFiltNsk = 1ull << 29, kFiltNsu = 1ull << 28,
                   kFiltNsh = 1ull << 27, kFiltM = 1ull << 26;
constexpr uint64_t kEvtCount = 0x3FF;  // evtCount [9:0] in ARMv8.0
// PMUSERENR_EL0.
constexpr uint64_t kUserEn = 1, kUserSw = 2, kUserCr = 4, kUserEr = 8;
// MDCR_EL2 / MDCR_EL3.
constexpr uint64_t kMdcrHpmn = 0x1F, kMdcrTpmcr = 1u << 5, kMdcrTpm = 1u << 6, kMdcrHpme = 1u << 7;
constexpr uint64_t kMdcr3Spme = 1u << 17;
constexpr uint64_t kScrNs = 1, kHcrTge = 1ull << 27;

bool is_evcntr(SR r) { return r >= SR::PMEVCNTR0_EL0 && r <= SR::PMEVCNTR30_EL0; }
bool is_evtyper(SR r) { return r >= SR::PMEVTYPER0_EL0 && r <= SR::PMEVTYPER30_EL0; }
unsigned evcntr_index(SR r) { return unsigned(r) - unsigned(SR::PMEVCNTR0_EL0); }
unsigned evtyper_index(SR r) { return unsigned(r) - unsigned(SR::PMEVTYPER0_EL0); }

}  // namespace

Pmu::Pmu(const PmuConfig& cfg) : cfg_(cfg) {}

int Pmu::source_of(unsigned event) {
    switch (event) {
    case pmu_event::L1I_CACHE_REFILL: return kL1iRefill;
    case pmu_event::L1I_TLB_REFILL: return kL1iTlbRefill;
    case pmu_event::L1D_CACHE_REFILL: return kL1dRefill;
    case pmu_event::L1D_CACHE: return kL1dAccess;
    case pmu_event::L1D_TLB_REFILL: return kL1dTlbRefill;
    case pmu_event::INST_RETIRED: return kInsns;
    case pmu_event::EXC_TAKEN: return kExcTaken;
    case pmu_event::EXC_RETURN: return kExcReturn;
    case pmu_event::CPU_CYCLES: return kCycles;
    case pmu_event::L1I_CACHE: return kL1iAccess;
    case pmu_event::L2D_CACHE: return kL2dAccess;
    case pmu_event::L2D_CACHE_REFILL: return kL2dRefill;
    case pmu_event::L2D_TLB_REFILL: return kL2TlbRefill;
    case pmu_event::L2D_TLB: return kL2TlbAccess;
    default: return -1;
    }
}

bool Pmu::implements(unsigned event) const {
    using namespace pmu_event;
    switch (event) {
    case SW_INCR: case INST_RETIRED: case EXC_TAKEN: case EXC_RETURN: case CPU_CYCLES: return true;
    case L1I_CACHE_REFILL: case L1D_CACHE_REFILL: case L1D_CACHE: case L1I_CACHE: return cfg_.caches;
    case L2D_CACHE: case L2D_CACHE_REFILL: return cfg_.l2_cache;
    case L1I_TLB_REFILL: case L1D_TLB_REFILL: return cfg_.tlb;
    case L2D_TLB_REFILL: case L2D_TLB: return cfg_.l2_tlb;
    default: return false;
    }
}

void Pmu::sample(Core& core, Sample& s) const {
    const CoreStats& st = core.stats();
    s[kCycles] = core.cycles() - st.idle_cycles;  // the clock stops in WFI/WFE
    s[kInsns] = core.instructions();
    s[kExcTaken] = own_exc_;
    s[kExcReturn] = own_eret_;
    if (cfg_.caches && core.caches()) {
        cache::Hierarchy& h = *core.caches();
        const unsigned i = core.config().index;
        const cache::CacheStats& l1i = h.l1i(i).stats;
        const cache::CacheStats& l1d = h.l1d(i).stats;
        s[kL1iRefill] = l1i.fills;
        s[kL1iAccess] = l1i.hits + l1i.misses;
        s[kL1dRefill] = l1d.fills;
        s[kL1dAccess] = l1d.hits + l1d.misses;
        s[kL2dAccess] = h.l2_events(i).accesses;
        s[kL2dRefill] = h.l2_events(i).refills;
    }
    if (cfg_.tlb) {
        const mmu::TlbStats& t = core.tlb().stats();
        s[kL1iTlbRefill] = t.l1i.misses;
        s[kL1dTlbRefill] = t.l1d.misses;
        s[kL2TlbRefill] = t.l2.misses;
        s[kL2TlbAccess] = t.l2.hits + t.l2.misses;
    }
}

unsigned Pmu::hpmn(const Core& core) const {
    if (!core.el_implemented(2)) return cfg_.counters;
    // HPMN > N is CONSTRAINED UNPREDICTABLE: behave as N.
    const unsigned h = unsigned(core.sr(SR::MDCR_EL2) & kMdcrHpmn);
    return h > cfg_.counters ? cfg_.counters : h;
}

unsigned Pmu::accessible(const Core& core) const {
    // GetNumEventCountersAccessible(): EL0/EL1 with EL2 enabled see HPMN.
    return core.st.pstate.el <= 1 && core.el2_enabled() ? hpmn(core) : cfg_.counters;
}

uint32_t Pmu::visible_mask(const Core& core) const { return ((1u << accessible(core)) - 1) | kCycleBit; }

bool Pmu::globally_enabled(const Core& core, unsigned n) const {
    if (n != 31 && n >= hpmn(core)) return core.sr(SR::MDCR_EL2) & kMdcrHpme;
    return pmcr_ & kPmcrE;
}

bool Pmu::filtered(const Core& core, uint64_t f) const {
    // The filter of PMEVTYPER<n>_EL0/PMCCFILTR_EL0 for the current EL and
    // security state (Arm ARM, PMEVTYPER<n>_EL0 P/U/NSK/NSU/NSH/M). NSK, NSU
    // and M are RES0 without EL3, NSH without EL2 (writes keep them 0).
    const unsigned el = core.st.pstate.el;
    const bool secure = el == 3 || (core.el_implemented(3) && !(core.sr(SR::SCR_EL3) & kScrNs));
    const bool p = f & kFiltP, u = f & kFiltU;
    switch (el) {
    case 0: return secure ? u : u != bool(f & kFiltNsu);
    case 1: return secure ? p : p != bool(f & kFiltNsk);
    case 2: return !(f & kFiltNsh);
    default: return p != bool(f & kFiltM);
    }
}

bool Pmu::prohibited(const Core& core) const {
    // Event counting is prohibited in Secure state unless MDCR_EL3.SPME is
    // set (the secure non-invasive debug authentication is not asserted).
    if (!core.el_implemented(3)) return false;
    const bool secure = core.st.pstate.el == 3 || !(core.sr(SR::SCR_EL3) & kScrNs);
    return secure && !(core.sr(SR::MDCR_EL3) & kMdcr3Spme);
}

void Pmu::add(unsigned n, uint64_t delta) {
    const uint64_t v = evcnt_[n] + delta;
    if (v >> 32) ovs_ |= 1u << n;
    evcnt_[n] = v & 0xFFFFFFFFu;
}

void Pmu::add_cycles(uint64_t cycles) {
    uint64_t inc = cycles;
    if (pmcr_ & kPmcrD) {
        const uint64_t total = ccnt_div_ + cycles;
        inc = total / 64;
        ccnt_div_ = unsigned(total % 64);
    }
    // PMCR.LC: overflow out of bit 63, otherwise out of bit 31 (the
    // counter itself always counts 64 bits).
    const unsigned __int128 limit = (pmcr_ & kPmcrLc) ? ~uint64_t(0) : 0xFFFFFFFFu;
    const uint64_t low = (pmcr_ & kPmcrLc) ? ccnt_ : (ccnt_ & 0xFFFFFFFFu);
    if (static_cast<unsigned __int128>(low) + inc > limit) ovs_ |= kCycleBit;
    ccnt_ += inc;
}

void Pmu::sync(Core& core) {
    Sample now;
    now.fill(0);
    sample(core, now);
    if (active_) {
        const bool proh = prohibited(core);
        for (unsigned n = 0; n < cfg_.counters; ++n) {
            if (!(cnten_ & (1u << n)) || proh || !globally_enabled(core, n) || filtered(core, evtyper_[n])) continue;
            const int src = source_of(unsigned(evtyper_[n] & kEvtCount));
            if (src >= 0 && implements(unsigned(evtyper_[n] & kEvtCount))) add(n, now[src] - last_[src]);
        }
        // PMCR.DP: the cycle counter stops where event counting is prohibited.
        if ((cnten_ & kCycleBit) && (pmcr_ & kPmcrE) && !filtered(core, ccfiltr_) && !(proh && (pmcr_ & kPmcrDp)))
            add_cycles(now[kCycles] - last_[kCycles]);
    }
    last_ = now;
    last_cycle_ = core.cycles();
    recompute(core);
}

void Pmu::recompute(Core& core) {
    active_ = false;
    for (unsigned n = 0; n < cfg_.counters && !active_; ++n)
        active_ = (cnten_ & (1u << n)) && globally_enabled(core, n);
    active_ = active_ || ((cnten_ & kCycleBit) && (pmcr_ & kPmcrE));
    drive(core);
    if (active_) core.end_run_at(next_event_cycle(core));
}

void Pmu::drive(Core& core) {
    // The overflow interrupt request: PMOVSSET[n], PMINTENSET[n], and the
    // counter's PMCR.E (or MDCR_EL2.HPME for counters reserved for EL2).
    bool level = false;
    const uint32_t pending = ovs_ & inten_;
    for (unsigned n = 0; n < 32 && !level; ++n)
        level = (pending & (1u << n)) && globally_enabled(core, n);
    if (level != level_) {
        level_ = level;
        if (out_) out_(level);
    }
}

uint64_t Pmu::next_event_cycle(const Core& core) const {
    if (!active_) return ~0ull;
    // Every event costs at least a core cycle except a few memory-system
    // events (an LDP is two L1D accesses), so a counter with R counts left
    // cannot overflow in fewer than R cycles (or in the few more that the
    // overflow interrupt may lag, which the architecture permits).
    uint64_t best = ~0ull;
    const bool proh = prohibited(core);
    for (unsigned n = 0; n < cfg_.counters; ++n) {
        if (!(cnten_ & (1u << n)) || proh || !globally_enabled(core, n) || filtered(core, evtyper_[n])) continue;
        const unsigned ev = unsigned(evtyper_[n] & kEvtCount);
        if (source_of(ev) < 0 || !implements(ev)) continue;
        best = std::min<uint64_t>(best, last_cycle_ + ((1ull << 32) - evcnt_[n]));
    }
    if ((cnten_ & kCycleBit) && (pmcr_ & kPmcrE) && !filtered(core, ccfiltr_) && !(proh && (pmcr_ & kPmcrDp))) {
        const uint64_t left = (pmcr_ & kPmcrLc) ? (~ccnt_ + 1) : ((1ull << 32) - (ccnt_ & 0xFFFFFFFFu));
        uint64_t cycles = left;
        if (pmcr_ & kPmcrD) cycles = left > (~0ull / 64) ? ~0ull : left * 64 - ccnt_div_;
        if (left != 0 && cycles < ~0ull - last_cycle_) best = std::min<uint64_t>(best, last_cycle_ + cycles);
    }
    return best;
}

void Pmu::on_exception(Core& core) {
    ++own_exc_;
    sync(core);
}

void Pmu::on_exception_return(Core& core) {
    ++own_eret_;
    sync(core);
}

void Pmu::on_el_entered(Core& core) { core.end_run_at(next_event_cycle(core)); }

void Pmu::reset(Core& core) {
    pmcr_ = 0;
    cnten_ = inten_ = ovs_ = 0;
    selr_ = userenr_ = ccfiltr_ = 0;
    evtyper_.fill(0);
    evcnt_.fill(0);
    ccnt_ = 0;
    ccnt_div_ = 0;
    sync(core);
}

int Pmu::access_check(const Core& core, SR r, bool is_read) const {
    const unsigned el = core.st.pstate.el;
    // PMEVCNTR<n>/PMEVTYPER<n> beyond the counters this EL may use are
    // UNDEFINED before any trap (their access pseudocode).
    if ((is_evcntr(r) && evcntr_index(r) >= accessible(core)) || (is_evtyper(r) && evtyper_index(r) >= accessible(core)))
        return -1;
    if (el == 0) {
        const bool en = userenr_ & kUserEn, er = userenr_ & kUserEr;
        bool ok = en || r == SR::PMUSERENR_EL0;
        if (r == SR::PMSWINC_EL0) ok = ok || (userenr_ & kUserSw);
        if (r == SR::PMCCNTR_EL0 && is_read) ok = ok || (userenr_ & kUserCr);
        if ((r == SR::PMXEVCNTR_EL0 || is_evcntr(r)) && is_read) ok = ok || er;
        if (r == SR::PMSELR_EL0) ok = ok || er;
        if (!ok) return core.el2_enabled() && (core.sr(SR::HCR_EL2) & kHcrTge) ? 2 : 1;
    }
    if (el <= 1 && core.el2_enabled()) {
        const uint64_t mdcr = core.sr(SR::MDCR_EL2);
        if (mdcr & kMdcrTpm) return 2;
        if (r == SR::PMCR_EL0 && (mdcr & kMdcrTpmcr)) return 2;
    }
    if (el <= 2 && core.el_implemented(3) && (core.sr(SR::MDCR_EL3) & kMdcrTpm)) return 3;
    // PMXEVCNTR/PMXEVTYPER with PMSELR_EL0.SEL naming no accessible counter
    // (PMXEVCNTR with SEL = 31 included) are CONSTRAINED UNPREDICTABLE:
    // UNDEFINED here.
    if (r == SR::PMXEVCNTR_EL0 || r == SR::PMXEVTYPER_EL0) {
        const unsigned sel = unsigned(selr_ & 0x1F);
        if (sel == 31 ? r == SR::PMXEVCNTR_EL0 : sel >= accessible(core)) return -1;
    }
    return 0;
}

uint64_t Pmu::read(Core& core, SR r) {
    sync(core);
    const uint32_t vis = visible_mask(core);
    if (is_evcntr(r)) return evcnt_[evcntr_index(r)];
    if (is_evtyper(r)) return evtyper_[evtyper_index(r)];
    const unsigned sel = unsigned(selr_ & 0x1F);
    switch (r) {
    case SR::PMCR_EL0: {
        // N reads as MDCR_EL2.HPMN at EL0/EL1 with EL2 enabled. IMP follows
        // MIDR_EL1.Implementer; IDCODE 0.
        const uint64_t imp = (core.config().midr >> 24) & 0xFF;
        return (imp << 24) | (uint64_t(accessible(core)) << 11) | (pmcr_ & kPmcrStored);
    }
    case SR::PMCNTENSET_EL0: case SR::PMCNTENCLR_EL0: return cnten_ & vis;
    case SR::PMOVSSET_EL0: case SR::PMOVSCLR_EL0: return ovs_ & vis;
    case SR::PMINTENSET_EL1: case SR::PMINTENCLR_EL1: return inten_ & vis;
    case SR::PMSELR_EL0: return selr_;
    case SR::PMCEID0_EL0: case SR::PMCEID1_EL0: {
        const unsigned base = r == SR::PMCEID0_EL0 ? 0 : 32;
        uint64_t v = 0;
        for (unsigned e = 0; e < 32; ++e)
            if (implements(base + e)) v |= 1ull << e;
        return v;
    }
    case SR::PMCCNTR_EL0: return ccnt_;
    case SR::PMXEVTYPER_EL0: return sel == 31 ? ccfiltr_ : evtyper_[sel];
    case SR::PMXEVCNTR_EL0: return evcnt_[sel];
    case SR::PMUSERENR_EL0: return userenr_;
    case SR::PMCCFILTR_EL0: return ccfiltr_;
    default: return 0;
    }
}

void Pmu::write(Core& core, SR r, uint64_t v) {
    sync(core);
    const uint32_t vis = visible_mask(core);
    // Filter bits that exist with the ELs present; the rest are RES0.
    uint64_t filter = kFiltP | kFiltU;
    if (core.el_implemented(3)) filter |= kFiltNsk | kFiltNsu | kFiltM;
    if (core.el_implemented(2)) filter |= kFiltNsh;
    const unsigned sel = unsigned(selr_ & 0x1F);
    if (is_evcntr(r)) {
        evcnt_[evcntr_index(r)] = v & 0xFFFFFFFFu;
    } else if (is_evtyper(r)) {
        evtyper_[evtyper_index(r)] = v & (filter | kEvtCount);
    } else {
        switch (r) {
        case SR::PMCR_EL0:
            pmcr_ = v & kPmcrStored;
            // P resets the event counters this EL may use (not those
            // MDCR_EL2.HPMN reserves for EL2 when written from EL0/EL1).
            if (v & kPmcrP)
                for (unsigned n = 0; n < accessible(core); ++n) evcnt_[n] = 0;
            if (v & kPmcrC) ccnt_ = 0, ccnt_div_ = 0;
            break;
        case SR::PMCNTENSET_EL0: cnten_ |= uint32_t(v) & vis; break;
        case SR::PMCNTENCLR_EL0: cnten_ &= ~(uint32_t(v) & vis); break;
        case SR::PMOVSSET_EL0: ovs_ |= uint32_t(v) & vis; break;
        case SR::PMOVSCLR_EL0: ovs_ &= ~(uint32_t(v) & vis); break;
        case SR::PMINTENSET_EL1: inten_ |= uint32_t(v) & vis; break;
        case SR::PMINTENCLR_EL1: inten_ &= ~(uint32_t(v) & vis); break;
        case SR::PMSWINC_EL0:
            // SW_INCR counts a write of 1 to bit n for an enabled counter n
            // of event 0x00, subject to filtering like any event.
            for (unsigned n = 0; n < accessible(core); ++n)
                if ((v & (1u << n)) && (cnten_ & (1u << n)) && globally_enabled(core, n) && !prohibited(core) &&
                    (evtyper_[n] & kEvtCount) == pmu_event::SW_INCR && !filtered(core, evtyper_[n]))
                    add(n, 1);
            break;
        case SR::PMSELR_EL0: selr_ = v & 0x1F; break;
        case SR::PMCCNTR_EL0: ccnt_ = v; break;
        case SR::PMXEVTYPER_EL0:
            if (sel == 31) ccfiltr_ = v & filter;
            else evtyper_[sel] = v & (filter | kEvtCount);
            break;
        case SR::PMXEVCNTR_EL0: evcnt_[sel] = v & 0xFFFFFFFFu; break;
        case SR::PMUSERENR_EL0: userenr_ = v & 0xF; break;
        case SR::PMCCFILTR_EL0: ccfiltr_ = v & filter; break;
        default: break;
        }
    }
    recompute(core);
}

}  // namespace hvsim::cpu
