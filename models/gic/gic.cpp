#include "gic.h"

#include <fmt/format.h>

#include "models/common/error.h"
#include "models/cpu/core.h"

namespace hvsim::gic {

const char* irq_class_name(IrqClass c) {
    static constexpr const char* kNames[kNumIrqClasses] = {"SGI", "PPI", "SPI", "LPI"};
    return kNames[unsigned(c)];
}

IrqClass irq_class(unsigned intid) {
    return intid < 16 ? IrqClass::Sgi : intid < 32 ? IrqClass::Ppi : intid < kLpiBase ? IrqClass::Spi : IrqClass::Lpi;
}

Gic::Gic(const GicConfig& cfg) : cfg_(cfg) {
    if (cfg_.num_spis % 32 || cfg_.num_spis > 960) throw Error("GIC: the SPI count must be a multiple of 32, at most 960");
    if (cfg_.affinities.empty()) throw Error("GIC: no cores");
    if (cfg_.v4 && !cfg_.lpis) throw Error("GIC: GICv4 needs LPIs");
    dist_ = std::make_unique<Distributor>(*this, cfg_.num_spis, cfg_.reset_group1, cfg_.lpis, cfg_.v4);
    const unsigned n = static_cast<unsigned>(cfg_.affinities.size());
    for (unsigned i = 0; i < n; ++i) {
        redists_.push_back(std::make_unique<Redistributor>(*this, i, cfg_.affinities[i], i + 1 == n, cfg_.reset_group1,
                                                           cfg_.lpis, &mem_, cfg_.v4));
        cpus_.push_back(std::make_unique<CpuInterface>(*this, i));
        vcpus_.push_back(std::make_unique<VirtualCpuInterface>([this, i](unsigned pintid) { deactivate(i, pintid); }));
        if (cfg_.v4)
            vcpus_.back()->set_direct([this, i] { return highest_vlpi(i); },
                                      [this, i](uint32_t vintid) { acknowledge_vlpi(i, vintid); });
    }
    for (auto& r : redists_) {
        r->lpis().set_caching(cfg_.lpi_caching, cfg_.lpi_cache_entries);
        r->vlpis().set_caching(cfg_.lpi_caching, cfg_.lpi_cache_entries);
    }
    outputs_.resize(n);
    voutputs_.resize(n);
    maintenance_.assign(n, 0);
}

Gic::~Gic() = default;

IrqState* Gic::irq(unsigned core, unsigned intid) {
    if (intid < kNumPrivate) return &redists_.at(core)->irq(intid);
    if (intid - kNumPrivate < dist_->num_spis()) return &dist_->spi(intid - kNumPrivate);
    return nullptr;
}

void Gic::set_spi(unsigned n, bool level) {
    if (n >= dist_->num_spis()) return;
    IrqState& s = dist_->spi(n);
    const bool was = s.pending();
    s.drive(level);
    if (!was && s.pending()) {
        const int target = spi_target(n);
        note_pending(target < 0 ? 0 : unsigned(target), kNumPrivate + n, level ? "line" : "latch");
    }
    update();
}

void Gic::set_ppi(unsigned core, unsigned n, bool level) {
    if (core >= num_cores() || n >= 16) return;
    IrqState& s = redists_[core]->irq(16 + n);
    const bool was = s.pending();
    s.drive(level);
    if (!was && s.pending()) note_pending(core, 16 + n, "line");
    update();
}

void Gic::set_lpi_pending(unsigned core, uint32_t intid, bool pending) {
    if (core >= num_cores()) return;
    LpiTables& t = redists_[core]->lpis();
    if (pending && t.enabled()) t.config(intid);  // read (and cached) when the LPI arrives
    const bool was = t.pending(intid);
    t.set_pending(intid, pending);
    if (pending && !was && t.pending(intid)) note_pending(core, intid, "ITS");
    update();
}

unsigned Gic::invalidate_lpi(unsigned core, uint32_t intid) {
    if (core >= num_cores()) return 0;
    const unsigned n = redists_[core]->lpis().invalidate(intid);
    update();
    return n;
}

unsigned Gic::invalidate_all_lpis(unsigned core) {
    if (core >= num_cores()) return 0;
    const unsigned n = redists_[core]->lpis().invalidate_all();
    update();
    return n;
}

void Gic::set_lpi_observer(LpiObserver* obs) {
    obs_ = obs;
    for (unsigned c = 0; c < num_cores(); ++c) redists_[c]->lpis().set_observer(obs, c);
}

// ---- the `gic` trace and the life statistics --------------------------------------

void Gic::trace_event(unsigned core, const std::string& what) {
    if (accessing_) trace_->emit(Trace::kGic, accessing_->cycles(), core, "{}", what);
    else trace_->emit_ns(Trace::kGic, now_ns_ ? now_ns_() : 0, "cpu{} {}", core, what);
}

void Gic::note_pending(unsigned core, unsigned intid, const char* how) {
    ++stats_.by_class[unsigned(irq_class(intid))].pending;
    if (tracing()) trace_event(core, fmt::format("{} {} pending ({})", irq_class_name(irq_class(intid)), intid, how));
}

void Gic::note_ispendr(int core, unsigned intid) {
    if (core < 0) {
        const int target = intid >= kNumPrivate ? spi_target(intid - kNumPrivate) : -1;
        core = target < 0 ? 0 : target;
    }
    note_pending(unsigned(core), intid, intid >= kNumPrivate ? "GICD_ISPENDR" : "GICR_ISPENDR0");
}

void Gic::note_eoi(unsigned core, unsigned intid) {
    ++stats_.by_class[unsigned(irq_class(intid))].eoi;
    if (tracing()) trace_event(core, fmt::format("{} {} EOI (priority drop)", irq_class_name(irq_class(intid)), intid));
}

// The list registers' changes by an ICH_LR<n>_EL2 write or an ICV_* access.
// LR State [63:62]: 0 invalid, 1 pending, 2 active, 3 pending and active.
void Gic::note_virtual(unsigned core, const uint64_t (&before)[4]) {
    for (unsigned i = 0; i < 4; ++i) {
        const uint64_t now = vcpus_[core]->lr(i);
        if (now == before[i]) continue;
        const unsigned was = before[i] >> 62, is = now >> 62;
        const uint32_t vintid = static_cast<uint32_t>(now & 0xFFFFFFFF), old = static_cast<uint32_t>(before[i] & 0xFFFFFFFF);
        const char* what = nullptr;
        if ((is & 1) && (!(was & 1) || vintid != old)) ++stats_.virtual_irqs.pending, what = "pending";
        else if (was == 1 && is == 2) ++stats_.virtual_irqs.activated, what = "activated";
        else if ((was & 2) && !(is & 2) && vintid == old) ++stats_.virtual_irqs.deactivated, what = "deactivated";
        if (what && tracing())
            trace_event(core, fmt::format("virtual {} {} in ICH_LR{}_EL2{}", vintid, what, i, (now >> 61) & 1 ? " (HW)" : ""));
    }
}

bool Gic::distributor_access(uint64_t offset, uint8_t* data, unsigned len, bool write) {
    return offset < Distributor::kSize && dist_->access(static_cast<uint32_t>(offset), data, len, write);
}

bool Gic::redistributor_access(uint64_t offset, uint8_t* data, unsigned len, bool write) {
    const uint64_t core = offset / redistributor_stride();
    if (core >= num_cores()) return false;
    return redists_[core]->access(static_cast<uint32_t>(offset % redistributor_stride()), data, len, write);
}

namespace {
bool is_ich(cpu::SR r) { return r >= cpu::SR::ICH_AP0R0_EL2 && r <= cpu::SR::ICH_LR3_EL2; }
constexpr uint64_t kHcrFmo = 1ull << 3, kHcrImo = 1ull << 4, kHcrTge = 1ull << 27;
}  // namespace

bool Gic::virtual_access(const cpu::Core& core, cpu::SR r) {
    if (core.st.pstate.el != 1 || !core.el2_enabled()) return false;
    const uint64_t hcr = core.sr(cpu::SR::HCR_EL2);
    if (hcr & kHcrTge) return false;
    switch (r) {
    case cpu::SR::ICC_IAR0_EL1: case cpu::SR::ICC_EOIR0_EL1: case cpu::SR::ICC_HPPIR0_EL1:
    case cpu::SR::ICC_BPR0_EL1: case cpu::SR::ICC_AP0R0_EL1: case cpu::SR::ICC_IGRPEN0_EL1:
        return hcr & kHcrFmo;
    case cpu::SR::ICC_IAR1_EL1: case cpu::SR::ICC_EOIR1_EL1: case cpu::SR::ICC_HPPIR1_EL1:
    case cpu::SR::ICC_BPR1_EL1: case cpu::SR::ICC_AP1R0_EL1: case cpu::SR::ICC_IGRPEN1_EL1:
        return hcr & kHcrImo;
    case cpu::SR::ICC_CTLR_EL1: case cpu::SR::ICC_PMR_EL1: case cpu::SR::ICC_RPR_EL1: case cpu::SR::ICC_DIR_EL1:
        return hcr & (kHcrImo | kHcrFmo);
    default: return false;
    }
}

bool Gic::traps_to_el2(cpu::Core& core, cpu::SR r) { return vcpus_.at(core.config().index)->traps(r); }

namespace {
struct Accessing {
    const cpu::Core*& slot;
    Accessing(const cpu::Core*& s, const cpu::Core& c) : slot(s) { slot = &c; }
    ~Accessing() { slot = nullptr; }
};
}  // namespace

uint64_t Gic::read_sysreg(cpu::Core& core, cpu::SR r) {
    const unsigned c = core.config().index;
    const Accessing scope(accessing_, core);
    if (is_ich(r)) return vcpus_.at(c)->read_ich(r);
    if (virtual_access(core, r)) {
        uint64_t before[4];
        for (unsigned i = 0; i < 4; ++i) before[i] = vcpus_.at(c)->lr(i);
        const uint64_t v = vcpus_.at(c)->read_icv(r);
        note_virtual(c, before);
        update_virtual(c);
        return v;
    }
    const uint64_t v = cpus_.at(c)->read(r, core.st.pstate.el);
    if (r == cpu::SR::ICC_IAR0_EL1 || r == cpu::SR::ICC_IAR1_EL1) ++(v == kSpurious ? stats_.spurious : stats_.acknowledged);
    return v;
}

void Gic::write_sysreg(cpu::Core& core, cpu::SR r, uint64_t v) {
    const unsigned c = core.config().index;
    const Accessing scope(accessing_, core);
    if (is_ich(r) || virtual_access(core, r)) {
        uint64_t before[4];
        for (unsigned i = 0; i < 4; ++i) before[i] = vcpus_.at(c)->lr(i);
        if (is_ich(r)) {
            vcpus_.at(c)->write_ich(r, v);
        } else {
            if (r == cpu::SR::ICC_EOIR0_EL1 || r == cpu::SR::ICC_EOIR1_EL1) {
                ++((v & 0xFFFFFF) >= kLpiBase && cfg_.v4 ? stats_.vlpis : stats_.virtual_irqs).eoi;
                if (tracing()) trace_event(c, fmt::format("virtual {} EOI", v & 0xFFFFFF));
            }
            vcpus_.at(c)->write_icv(r, v);
        }
        note_virtual(c, before);
        update_virtual(c);
        return;
    }
    cpus_.at(c)->write(r, v, core.st.pstate.el);
}

void Gic::update_virtual(unsigned core) {
    const VirtualCpuInterface::Outputs o = vcpus_.at(core)->outputs();
    Line& l = voutputs_[core];
    if (o.virq != l.irq || o.vfiq != l.fiq) {
        l.irq = o.virq;
        l.fiq = o.vfiq;
        if (l.fn) l.fn(o.virq, o.vfiq);
    }
    if (bool(maintenance_[core]) != o.maintenance) {
        maintenance_[core] = o.maintenance;
        set_ppi(core, VirtualCpuInterface::kMaintenancePpi, o.maintenance);
    }
}

int Gic::spi_target(unsigned n) const {
    const uint64_t route = dist_->irouter(n);
    if (route & Distributor::kIrouterIrm) {
        const bool g1 = dist_->spi(n).group1;
        for (unsigned c = 0; c < num_cores(); ++c)
            if (!redists_[c]->asleep() && cpus_[c]->group_enabled(g1)) return static_cast<int>(c);
        return -1;
    }
    const uint32_t aff = static_cast<uint32_t>(((route >> 32) & 0xFF) << 24 | (route & 0xFFFFFF));
    for (unsigned c = 0; c < num_cores(); ++c)
        if (cfg_.affinities[c] == aff) return static_cast<int>(c);
    return -1;
}

Gic::Pending Gic::highest_pending(unsigned core) const {
    Pending best;
    if (redists_[core]->asleep()) return best;
    const CpuInterface& ci = *cpus_[core];
    auto consider = [&](unsigned intid, const IrqState& s) {
        if (!s.enabled || s.active || !s.pending() || s.prio >= best.prio) return;
        if (!dist_->group_enabled(s.group1) || !ci.group_enabled(s.group1)) return;
        best = Pending{intid, s.prio, s.group1};
    };
    for (unsigned i = 0; i < kNumPrivate; ++i) consider(i, redists_[core]->irq(i));
    for (unsigned n = 0; n < dist_->num_spis(); ++n) {
        const IrqState& s = dist_->spi(n);
        if (s.enabled && s.pending() && !s.active && s.prio < best.prio && spi_target(n) == static_cast<int>(core))
            consider(kNumPrivate + n, s);
    }
    // LPIs: Group 1, no active state; priority and enable from the
    // redistributor's configuration cache (filled from the property table).
    LpiTables& lpis = redists_[core]->lpis();
    if (lpis.enabled() && dist_->group_enabled(true) && ci.group_enabled(true)) {
        for (uint32_t intid : lpis.pending_set()) {
            const uint8_t c = lpis.config(intid);
            const uint8_t prio = c & 0xFC;
            if ((c & 1) && prio < best.prio) best = Pending{intid, prio, true};
        }
    }
    return best;
}

void Gic::activate(unsigned core, unsigned intid) {
    ++stats_.by_class[unsigned(irq_class(intid))].activated;
    if (intid >= kLpiBase) {
        // An acknowledged LPI is no longer pending; it has no active state.
        LpiTables& t = redists_.at(core)->lpis();
        const uint8_t used = t.config(intid);
        if (tracing()) trace_event(core, fmt::format("LPI {} delivered (priority {:#x}, no active state)", intid, used & 0xFC));
        if (obs_) obs_->delivered(core, intid, used);
        t.set_pending(intid, false);
        update();
        return;
    }
    if (tracing()) trace_event(core, fmt::format("{} {} activated", irq_class_name(irq_class(intid)), intid));
    if (IrqState* s = irq(core, intid)) {
        s->active = true;
        s->latch = false;  // a level-sensitive one stays pending while its line is asserted
    }
    update();
}

void Gic::deactivate(unsigned core, unsigned intid) {
    if (IrqState* s = irq(core, intid)) {
        if (s->active) {
            ++stats_.by_class[unsigned(irq_class(intid))].deactivated;
            if (tracing()) trace_event(core, fmt::format("{} {} deactivated", irq_class_name(irq_class(intid)), intid));
        }
        s->active = false;
    }
    update();
}

void Gic::send_sgi(unsigned core, uint64_t v, bool group1) {
    // ICC_SGI1R_EL1 fields: TargetList [15:0], Aff1 [23:16], INTID [27:24],
    // Aff2 [39:32], IRM [40], RS [47:44], Aff3 [55:48].
    const unsigned intid = (v >> 24) & 0xF;
    const bool irm = (v >> 40) & 1;
    const uint32_t upper = static_cast<uint32_t>((((v >> 48) & 0xFF) << 24) | (((v >> 32) & 0xFF) << 16) |
                                                 (((v >> 16) & 0xFF) << 8));
    const unsigned rs = (v >> 44) & 0xF;
    for (unsigned c = 0; c < num_cores(); ++c) {
        const uint32_t aff = cfg_.affinities[c];
        if (irm) {
            if (c == core) continue;
        } else {
            const unsigned aff0 = aff & 0xFF;
            if ((aff & 0xFFFFFF00u) != upper || aff0 / 16 != rs || !((v >> (aff0 % 16)) & 1)) continue;
        }
        // The SGI is forwarded only if its group at the target matches the
        // register used (IHI 0069 table "Forwarding an SGI to a target PE",
        // GICD_CTLR.DS = 1).
        IrqState& s = redists_[c]->irq(intid);
        if (s.group1 != group1) continue;
        const bool was = s.pending();
        s.latch = true;
        ++stats_.sgis_sent;
        if (!was) note_pending(c, intid, "SGI");
    }
    update();
}

void Gic::update() {
    for (unsigned c = 0; c < num_cores(); ++c) {
        const Pending p = highest_pending(c);
        const bool signal = p.intid != kSpurious && cpus_[c]->can_signal(p.prio, p.group1);
        const bool irq = signal && p.group1, fiq = signal && !p.group1;
        Line& l = outputs_[c];
        if (irq == l.irq && fiq == l.fiq) continue;
        l.irq = irq;
        l.fiq = fiq;
        if (l.fn) l.fn(irq, fiq);
    }
}

void Gic::set_tables_coherent(bool coherent) {
    for (auto& r : redists_) {
        r->lpis().set_tables_coherent(coherent);
        r->vlpis().set_tables_coherent(coherent);
    }
}

}  // namespace hvsim::gic
