#include "hierarchy.h"

#include <cstring>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "coherency_checker.h"

namespace hvsim::cache {

namespace {
constexpr unsigned kMaxLine = 256;
}  // namespace

// Calls f(pa, offset, n) for each piece of [pa, pa+size) within one line.
template <typename F>
void Hierarchy::per_line(uint64_t pa, unsigned size, F&& f) const {
    unsigned done = 0;
    while (done < size) {
        const unsigned n = std::min<unsigned>(size - done, static_cast<unsigned>(line_of(pa) + line_bytes() - pa));
        f(pa, done, n);
        pa += n;
        done += n;
    }
}

const char* cmo_name(CmoKind k) {
    static const char* const names[] = {"dc_civac", "dc_cvac", "dc_cvau",  "dc_ivac",   "dc_zva", "dc_isw",
                                        "dc_csw",   "dc_cisw", "ic_iallu", "ic_ialluis", "ic_ivau"};
    return names[static_cast<size_t>(k)];
}

std::string HierarchyConfig::check() const {
    const std::pair<const char*, const CacheConfig*> levels[] = {{"l1i", &l1i}, {"l1d", &l1d}, {"l2", &l2}, {"slc", &slc}};
    for (auto [name, c] : levels) {
        if (!c->enabled) continue;
        std::string e = c->check();
        if (!e.empty()) return fmt::format("caches.{}.{}", name, e);
        if (c->line_bytes != l1d.line_bytes || c->line_bytes > kMaxLine)
            return fmt::format("caches.{}.line_bytes: every level must have the L1D's line size (at most {} bytes)", name, kMaxLine);
    }
    if (!l1i.enabled || !l1d.enabled) return "caches.l1i/l1d: the L1 caches cannot be disabled alone (use caches.enabled)";
    if (cores_per_cluster == 0) return "caches.cores_per_cluster: must be at least 1";
    return {};
}

Hierarchy::Hierarchy(const HierarchyConfig& cfg, unsigned cores, std::function<uint8_t*(uint64_t)> dram)
    : cfg_(cfg), dram_(std::move(dram)) {
    for (unsigned i = 0; i < cores; ++i) {
        l1i_.push_back(std::make_unique<Cache>(fmt::format("cpu{}.l1i", i), cfg.l1i, cfg.seed + 2 * i));
        l1d_.push_back(std::make_unique<Cache>(fmt::format("cpu{}.l1d", i), cfg.l1d, cfg.seed + 2 * i + 1));
    }
    if (cfg.l2.enabled)
        for (unsigned k = 0; k * cfg.cores_per_cluster < cores; ++k)
            l2_.push_back(std::make_unique<Cache>(fmt::format("cluster{}.l2", k), cfg.l2, cfg.seed + 1000 + k));
    if (cfg.slc.enabled) slc_ = std::make_unique<Cache>("slc", cfg.slc, cfg.seed + 2000);
    l2_events_.resize(cores);
}

Hierarchy::Hierarchy(const HierarchyConfig& cfg, unsigned cores, uint8_t* ram, uint64_t base, uint64_t size)
    : Hierarchy(cfg, cores, [ram, base, size](uint64_t pa) { return pa - base < size ? ram + (pa - base) : nullptr; }) {
    ram_ = ram;
    ram_base_ = base;
    ram_size_ = size;
}

Hierarchy::~Hierarchy() = default;

std::vector<Cache*> Hierarchy::all_caches() {
    std::vector<Cache*> v;
    for (auto& c : l1i_) v.push_back(c.get());
    for (auto& c : l1d_) v.push_back(c.get());
    for (auto& c : l2_) v.push_back(c.get());
    if (slc_) v.push_back(slc_.get());
    return v;
}

void Hierarchy::emit_trace(const Who& who, const char* what, const Cache& c, uint64_t line) const {
    trace_->emit(Trace::kCache, who.cycles, who.core == Who::kNoCore ? Trace::kNoCore : who.core, "{:<9} {:<12} line={:#x}", what,
                     c.name(), line);
}

// ---- moving lines ---------------------------------------------------------------

uint32_t Hierarchy::write_dram_line(uint64_t line, const uint8_t* buf, const Who&) {
    copy_line(dram(line), buf);
    ++dram_writes_;
    if (dram_write_) dram_write_(line, line_bytes());
    return cfg_.dram_latency;
}

uint32_t Hierarchy::write_down(int level, unsigned owner, uint64_t line, const uint8_t* buf, const Who& who) {
    Cache* next = nullptr;
    int next_level = 0;
    if (level <= 1 && l2_of(owner)) next = l2_of(owner), next_level = 2, ++l2_events_[owner].accesses;
    else if (level <= 2 && slc_) next = slc_.get(), next_level = 3;
    if (!next) return write_dram_line(line, buf, who);
    if (Line* l = next->find(line)) {
        copy_line(next->data(l), buf);
        l->state = State::Modified;
        next->touch(l);
    } else {
        fill(*next, next_level, owner, line, buf, State::Modified, who);
    }
    return next->config().hit_latency;
}

Line* Hierarchy::fill(Cache& c, int level, unsigned owner, uint64_t line, const uint8_t* buf, State st, const Who& who) {
    victim_writeback_ = 0;
    Line* v = c.victim(line);
    if (v->valid()) {
        ++c.stats.evictions;
        emit(who, "evict", c, v->pa());
        if (v->dirty()) {
            ++c.stats.writebacks;
            emit(who, "writeback", c, v->pa());
            victim_writeback_ = write_down(level, owner, v->pa(), c.data(v), who);
        }
        c.invalidate(v);
    }
    c.install(v, line, st);
    copy_line(c.data(v), buf);
    emit(who, "fill", c, line);
    return v;
}

bool Hierarchy::lookup_copy(Cache& c, uint64_t line, uint8_t* buf, const Who& who) {
    Line* l = c.find(line);
    if (!l) {
        ++c.stats.misses;
        emit(who, "miss", c, line);
        return false;
    }
    ++c.stats.hits;
    c.touch(l);
    check_stale_source(c, l, line, who);
    copy_line(buf, c.data(l));
    return true;
}

uint32_t Hierarchy::read_slc_or_dram(uint64_t line, uint8_t* buf, const Who& who) {
    if (slc_ && lookup_copy(*slc_, line, buf, who)) return slc_->config().hit_latency;
    copy_line(buf, dram(line));
    ++dram_reads_;
    if (slc_) {
        fill(*slc_, 3, 0, line, buf, State::Exclusive, who);
        return slc_->config().hit_latency + cfg_.dram_latency;
    }
    return cfg_.dram_latency;
}

uint32_t Hierarchy::read_below_l1(unsigned core, uint64_t line, uint8_t* buf, bool shared, const Who& who, bool data) {
    Cache* l2 = l2_of(core);
    if (!l2) return read_slc_or_dram(line, buf, who);
    if (data) ++l2_events_[core].accesses;
    if (lookup_copy(*l2, line, buf, who)) return l2->config().hit_latency;
    if (data) ++l2_events_[core].refills;
    const uint32_t lat = l2->config().hit_latency + read_slc_or_dram(line, buf, who);
    fill(*l2, 2, core, line, buf, shared ? State::Shared : State::Exclusive, who);
    return lat;
}

uint32_t Hierarchy::fetch_into_l1(unsigned core, uint64_t line, uint8_t* buf, bool unique, State& state, const Who& who,
                                  bool need_data) {
    bool have = false, others = false, snooped = false;
    // Peer L1Ds: a dirty copy supplies the data; for a read it is written
    // back to its own cluster's L2 and both copies end Shared.
    for (unsigned d = 0; d < l1d_.size(); ++d) {
        if (d == core) continue;
        Cache& p = *l1d_[d];
        ++p.stats.snoops;
        Line* l = p.find(line);
        if (!l) continue;
        ++p.stats.snoop_hits;
        snooped = true;
        if (l->dirty()) {
            copy_line(buf, p.data(l));
            have = true;
            if (!unique) write_down(1, d, line, p.data(l), who);
        }
        if (unique) {
            ++p.stats.invalidations;
            p.invalidate(l);
        } else {
            l->state = State::Shared;
            others = true;
        }
    }
    // The other clusters' L2s.
    for (unsigned k = 0; k < l2_.size(); ++k) {
        if (k == cluster_of(core)) continue;
        Cache& q = *l2_[k];
        ++q.stats.snoops;
        Line* l = q.find(line);
        if (!l) continue;
        ++q.stats.snoop_hits;
        snooped = true;
        if (l->dirty() && !have) {
            copy_line(buf, q.data(l));
            have = true;
            if (!unique) write_down(2, k * cfg_.cores_per_cluster, line, q.data(l), who);
        }
        if (unique) {
            ++q.stats.invalidations;
            q.invalidate(l);
        } else {
            if (l->dirty()) write_down(2, k * cfg_.cores_per_cluster, line, q.data(l), who);
            l->state = State::Shared;
            others = true;
        }
    }
    uint32_t lat = snooped ? cfg_.snoop_latency : 0;
    if (!have && need_data) lat += read_below_l1(core, line, buf, others, who);
    state = unique ? State::Modified : others ? State::Shared : State::Exclusive;
    return lat;
}

// ---- the data side --------------------------------------------------------------

uint32_t Hierarchy::read(unsigned core, uint64_t pa, void* dst, unsigned size, const Who& who) {
    Cache& l1 = *l1d_[core];
    const uint64_t line = line_of(pa), off = pa - line;
    if (Line* l = l1.find(pa)) {
        ++l1.stats.hits;
        l1.touch(l);
        if ((l->tag & Line::kSlowOnly) && checker_)
            checker_->report(Hazard::StaleCachedCopy, line, who,
                             fmt::format("{} returned a copy older than a write to memory around the caches", l1.name()));
        std::memcpy(dst, l1.data(l) + off, size);
        return l1.config().hit_latency;
    }
    ++l1.stats.misses;
    emit(who, "miss", l1, line);
    uint8_t buf[kMaxLine];
    State st;
    const uint32_t lat = l1.config().hit_latency + fetch_into_l1(core, line, buf, false, st, who);
    Line* n = fill(l1, 1, core, line, buf, st, who);
    std::memcpy(dst, l1.data(n) + off, size);
    return lat + victim_writeback_;
}

uint32_t Hierarchy::write(unsigned core, uint64_t pa, const void* src, unsigned size, const Who& who) {
    Cache& l1 = *l1d_[core];
    const uint64_t line = line_of(pa), off = pa - line;
    uint32_t lat = l1.config().hit_latency;
    Line* l = l1.find(pa);
    if (l && l->state == State::Shared) {
        // Upgrade: every peer copy goes (they are clean or hold the same data).
        ++l1.stats.hits;
        uint8_t buf[kMaxLine];
        State st;
        bool peers = false;
        for (unsigned d = 0; d < l1d_.size(); ++d)
            if (d != core) peers |= l1d_[d]->find(line) != nullptr;
        for (unsigned k = 0; k < l2_.size(); ++k)
            if (k != cluster_of(core)) peers |= l2_[k]->find(line) != nullptr;
        if (peers) {
            for (unsigned d = 0; d < l1d_.size(); ++d)
                if (Line* p = d != core ? l1d_[d]->find(line) : nullptr) {
                    ++l1d_[d]->stats.invalidations;
                    l1d_[d]->invalidate(p);
                }
            for (unsigned k = 0; k < l2_.size(); ++k)
                if (Line* q = k != cluster_of(core) ? l2_[k]->find(line) : nullptr) {
                    // An L2 may still own the line's only dirty copy (it was
                    // shared after a snoop wrote an L1's data into it): that
                    // is the data this core holds, so dropping it is safe.
                    ++l2_[k]->stats.invalidations;
                    l2_[k]->invalidate(q);
                }
            lat += cfg_.snoop_latency;
        }
        (void)buf;
        (void)st;
    } else if (l) {
        ++l1.stats.hits;
    } else {
        ++l1.stats.misses;
        emit(who, "miss", l1, line);
        uint8_t buf[kMaxLine];
        State st;
        // A write of the whole line (DC ZVA, a 64-byte store) needs ownership
        // but not the old data: no read from below, as on hardware.
        const bool whole_line = off == 0 && size == line_bytes();
        lat += fetch_into_l1(core, line, buf, true, st, who, !whole_line);
        if (!l1.config().write_allocate) {
            // No write-allocate: the line (now unique to this core) is
            // updated in the level below.
            if (checker_) flag_icache_copies(pa, size, src, who);
            std::memcpy(buf + off, src, size);
            return lat + write_down(1, core, line, buf, who);
        }
        l = fill(l1, 1, core, line, buf, State::Modified, who);
        lat += victim_writeback_;
    }
    l1.touch(l);
    l->state = State::Modified;
    if (checker_) flag_icache_copies(pa, size, src, who);
    std::memcpy(l1.data(l) + off, src, size);
    if (cfg_.icache_coherent) {
        for (unsigned c = 0; c < l1i_.size(); ++c)
            if (Line* i = l1i_[c]->find(line)) {
                l1i_[c]->invalidate(i);
                if (icache_fill_) icache_fill_(c, line);
            }
    }
    return lat;
}

void Hierarchy::check_stale_source(const Cache& c, const Line* l, uint64_t line, const Who& who) {
    // The hazard is the same whether the old copy is read from the L1D or
    // refills it from below: the read returns data older than memory.
    if ((l->tag & Line::kSlowOnly) && checker_)
        checker_->report(Hazard::StaleCachedCopy, line, who,
                         fmt::format("{} returned a copy older than a write to memory around the caches", c.name()));
}

void Hierarchy::flag_icache_copies(uint64_t pa, unsigned size, const void* src, const Who&) {
    const uint64_t line = line_of(pa);
    for (auto& ic : l1i_)
        if (Line* i = ic->find(line))
            if (std::memcmp(ic->data(i) + (pa - line), src, size) != 0) i->tag |= Line::kSlowOnly;
}

// ---- around the caches -------------------------------------------------------------

uint32_t Hierarchy::dram_read(uint64_t pa, void* dst, unsigned size, const Who& who) {
    ++around_reads_;
    if (checker_) per_line(pa, size, [&](uint64_t a, unsigned, unsigned n) { check_around_read(a, n, who); });
    std::memcpy(dst, dram(pa), size);
    return cfg_.dram_latency;
}

void Hierarchy::check_around_read(uint64_t pa, unsigned size, const Who& who) {
    const uint64_t line = line_of(pa);
    {
        const uint8_t* mem = dram(pa);
        auto check = [&](Cache& c) {
            Line* l = c.find(line);
            if (l && l->dirty() && std::memcmp(c.data(l) + (pa - line), mem, size) != 0)
                checker_->report(Hazard::StaleReadAroundCaches, line, who,
                                 fmt::format("memory is older than the dirty copy in {}", c.name()));
        };
        for (auto& c : l1d_) check(*c);
        for (auto& c : l2_) check(*c);
        if (slc_) check(*slc_);
    }
}

uint32_t Hierarchy::dram_write(uint64_t pa, const void* src, unsigned size, const Who& who) {
    ++around_writes_;
    if (checker_)
        per_line(pa, size, [&](uint64_t a, unsigned off, unsigned n) {
            mark_around_write(a, static_cast<const uint8_t*>(src) + off, n, who);
        });
    std::memcpy(dram(pa), src, size);
    if (dram_write_) dram_write_(pa, size);
    return cfg_.dram_latency;
}

void Hierarchy::mark_around_write(uint64_t pa, const void* src, unsigned size, const Who& who) {
    const uint64_t line = line_of(pa);
    {
        // Cached copies that now differ from memory: report their next use.
        auto mark = [&](Cache& c) {
            if (Line* l = c.find(line))
                if (std::memcmp(c.data(l) + (pa - line), src, size) != 0) l->tag |= Line::kSlowOnly;
        };
        for (auto& c : l1d_) mark(*c);
        for (auto& c : l2_) mark(*c);
        if (slc_) mark(*slc_);
        flag_icache_copies(pa, size, src, who);
    }
}

uint32_t Hierarchy::coherent_read(uint64_t pa, void* dst, unsigned size, const Who&) {
    // The newest copy, wherever it is; the caches keep their state.
    debug_read(pa, dst, size);
    return cfg_.snoop_latency + cfg_.dram_latency;
}

uint32_t Hierarchy::coherent_write(uint64_t pa, const void* src, unsigned size, const Who& who) {
    per_line(pa, size, [&](uint64_t a, unsigned off, unsigned n) {
        const uint64_t line = line_of(a);
        uint8_t buf[kMaxLine];
        debug_read_line(line, buf, line_bytes());
        std::memcpy(buf + (a - line), static_cast<const uint8_t*>(src) + off, n);
        uint64_t dropped = 0;
        invalidate_everywhere(line, who, dropped);
        write_dram_line(line, buf, who);
    });
    return cfg_.snoop_latency + cfg_.dram_latency;
}

// ---- the instruction side ------------------------------------------------------------

Hierarchy::Fetch Hierarchy::fetch(unsigned core, uint64_t pa, bool cacheable, const Who& who) {
    const uint64_t line = line_of(pa);
    if (!cacheable) {
        ++around_reads_;
        return Fetch{dram(line), cfg_.dram_latency, false};
    }
    Cache& ic = *l1i_[core];
    if (Line* l = ic.find(line)) {
        ++ic.stats.hits;
        ic.touch(l);
        return Fetch{ic.data(l), ic.config().hit_latency, (l->tag & Line::kSlowOnly) != 0};
    }
    ++ic.stats.misses;
    emit(who, "miss", ic, line);
    uint8_t buf[kMaxLine];
    uint32_t lat = ic.config().hit_latency;
    if (cfg_.icache_coherent) {
        // With CTR_EL0.IDC = DIC = 1 the fill is a coherent read that snoops
        // the data side, this core's L1D included: as for a data read, a
        // dirty copy is written back to its L2 and no copy stays Unique.
        // Stores to the line then upgrade through write(), which invalidates
        // the L1I copies (the cores' store fast path only writes Exclusive
        // or Modified lines). Instruction fetches must see those stores
        // with neither DC CVAU (Arm ARM, CTR_EL0.IDC) nor IC IVAU (CTR_EL0.DIC).
        for (unsigned d = 0; d < l1d_.size(); ++d) {
            Cache& p = *l1d_[d];
            Line* q = p.find(line);
            if (!q || q->state == State::Shared) continue;
            if (q->dirty()) write_down(1, d, line, p.data(q), who);
            q->state = State::Shared;
        }
        debug_read_line(line, buf, line_bytes());
        lat += cfg_.snoop_latency + (l2_.empty() ? cfg_.dram_latency : cfg_.l2.hit_latency);
    } else {
        // An instruction fill is a coherent read at the Point of
        // Unification (the L2s): other clusters' dirty L2 copies are written
        // back, the L1 data caches are not looked at.
        for (unsigned k = 0; k < l2_.size(); ++k) {
            if (k == cluster_of(core)) continue;
            Line* q = l2_[k]->find(line);
            if (q && q->dirty()) {
                write_down(2, k * cfg_.cores_per_cluster, line, l2_[k]->data(q), who);
                q->state = State::Shared;
                lat += cfg_.snoop_latency;
            }
        }
        lat += read_below_l1(core, line, buf, true, who, /*data=*/false);
    }
    Line* n = fill(ic, 0, core, line, buf, State::Shared, who);
    if (icache_fill_) icache_fill_(core, line);
    return Fetch{ic.data(n), lat, false};
}

// ---- maintenance ----------------------------------------------------------------------

void Hierarchy::invalidate_everywhere(uint64_t line, const Who& who, uint64_t& lines) {
    auto inv = [&](Cache& c) {
        if (Line* l = c.find(line)) {
            ++c.stats.cmo_lines;
            ++lines;
            c.invalidate(l);
            emit(who, "inval", c, line);
        }
    };
    for (auto& c : l1d_) inv(*c);
    for (auto& c : l2_) inv(*c);
    if (slc_) inv(*slc_);
}

uint32_t Hierarchy::clean_to_poc(uint64_t line, const Who& who, bool invalidate, uint64_t& lines) {
    // The newest data is the dirty copy nearest the cores.
    std::vector<std::pair<Cache*, Line*>> copies;
    const uint8_t* newest = nullptr;
    auto look = [&](Cache& c) {
        if (Line* l = c.find(line)) {
            copies.push_back({&c, l});
            if (l->dirty() && !newest) newest = c.data(l);
        }
    };
    for (auto& c : l1d_) look(*c);
    for (auto& c : l2_) look(*c);
    if (slc_) look(*slc_);
    uint32_t lat = cfg_.l1d.hit_latency + (l2_.empty() ? 0 : cfg_.l2.hit_latency) + (slc_ ? cfg_.slc.hit_latency : 0);
    if (newest) {
        uint8_t buf[kMaxLine];
        copy_line(buf, newest);
        for (auto [c, l] : copies) copy_line(c->data(l), buf);
        lat += write_dram_line(line, buf, who);
    }
    lines += copies.size();
    for (auto [c, l] : copies) {
        ++c->stats.cmo_lines;
        if (invalidate) {
            c->invalidate(l);
        } else if (l->dirty()) {
            l->state = State::Exclusive;
        }
        emit(who, invalidate ? "clean+inv" : "clean", *c, line);
    }
    return lat;
}

uint32_t Hierarchy::dc_va(unsigned core, CmoKind k, uint64_t pa, const Who& who) {
    const uint64_t line = line_of(pa);
    CmoStats& s = cmo_[static_cast<size_t>(k)];
    ++s.ops;
    uint32_t lat = 0;
    const uint64_t lines_before = s.lines;
    switch (k) {
    case CmoKind::CVAC:
    case CmoKind::CIVAC: lat = clean_to_poc(line, who, k == CmoKind::CIVAC, s.lines); break;
    case CmoKind::IVAC:
        invalidate_everywhere(line, who, s.lines);
        lat = cfg_.l1d.hit_latency + (l2_.empty() ? 0 : cfg_.l2.hit_latency) + (slc_ ? cfg_.slc.hit_latency : 0);
        break;
    case CmoKind::CVAU:
        // To the Point of Unification: every L1D's dirty copy into its L2.
        lat = cfg_.l1d.hit_latency;
        for (unsigned d = 0; d < l1d_.size(); ++d) {
            Cache& c = *l1d_[d];
            Line* l = c.find(line);
            if (!l || !l->dirty()) continue;
            ++c.stats.cmo_lines;
            ++s.lines;
            lat += write_down(1, d, line, c.data(l), who);
            l->state = State::Exclusive;
            emit(who, "clean", c, line);
        }
        break;
    default: break;
    }
    s.cycles += lat;
    if (trace_ && trace_->on(Trace::kCmo))
        trace_->emit(Trace::kCmo, who.cycles, core, "{} pa={:#x} scope=inner-shareable reached={} lines={}", cmo_name(k), line,
                     k == CmoKind::CVAU ? "PoU" : "PoC", s.lines - lines_before);
    return lat;
}

uint32_t Hierarchy::dc_setway(unsigned core, CmoKind k, uint64_t xt, const Who& who) {
    CmoStats& s = cmo_[static_cast<size_t>(k)];
    ++s.ops;
    const unsigned level = (xt >> 1) & 7;  // 0 = L1
    Cache* c = level == 0 ? l1d_[core].get() : level == 1 ? l2_of(core) : nullptr;
    const char* reached = level == 0 ? "L1" : "L2";
    if (!c) {
        // The SLC (reported as level 3 when configured so) and levels that
        // do not exist: real system caches ignore set/way operations.
        ++s.ignored;
        if (trace_ && trace_->on(Trace::kCmo))
            trace_->emit(Trace::kCmo, who.cycles, core, "{} level={} ignored", cmo_name(k), level + 1);
        return cfg_.setway_line_cost;
    }
    // Xt = way << (32 - A) | set << L | level << 1 (Arm ARM D7.4.8).
    const unsigned a = log2u(c->ways()), l = log2u(c->line_bytes());
    const uint32_t way = a ? static_cast<uint32_t>((xt >> (32 - a)) & (c->ways() - 1)) : 0;
    const uint32_t set = static_cast<uint32_t>((xt >> l) & (c->sets() - 1));
    Line& line = c->at(set, way);
    uint32_t lat = cfg_.setway_line_cost;
    unsigned affected = 0;
    if (line.valid()) {
        const uint64_t pa = line.pa();
        if (k != CmoKind::ISW && line.dirty()) {
            lat += write_down(level + 1, core, pa, c->data(&line), who);
            line.state = State::Exclusive;
            ++affected;
            // The data stopped in the SLC, dirty: software that believes
            // it cleaned to the Point of Coherency is wrong on this system.
            const bool into_slc = slc_ && (level == 1 || l2_.empty());
            if (into_slc && checker_)
                checker_->report(Hazard::SetWayCleanStoppedAtSlc, pa, who,
                                 fmt::format("{} by set/way from {}: the dirty line stays in the SLC", cmo_name(k), c->name()));
        }
        if (k != CmoKind::CSW) {
            c->invalidate(&line);
            ++affected;
        }
        if (affected) {
            ++c->stats.cmo_lines;
            ++s.lines;
            emit(who, k == CmoKind::CSW ? "clean" : k == CmoKind::ISW ? "inval" : "clean+inv", *c, pa);
        }
    }
    s.cycles += lat;
    if (trace_ && trace_->on(Trace::kCmo))
        trace_->emit(Trace::kCmo, who.cycles, core, "{} level={} set={} way={} reached={} lines={}", cmo_name(k), level + 1,
                     set, way, reached, affected ? 1 : 0);
    return lat;
}

uint32_t Hierarchy::ic(unsigned core, CmoKind k, uint64_t pa, const Who& who) {
    CmoStats& s = cmo_[static_cast<size_t>(k)];
    ++s.ops;
    const uint64_t lines_before = s.lines;
    auto drop = [&](Cache& c, Line* l) {
        ++c.stats.cmo_lines;
        ++s.lines;
        c.invalidate(l);
    };
    auto all_lines = [&](Cache& c) {
        for (uint32_t set = 0; set < c.sets(); ++set)
            for (uint32_t w = 0; w < c.ways(); ++w)
                if (c.at(set, w).valid()) drop(c, &c.at(set, w));
    };
    switch (k) {
    case CmoKind::IALLU: all_lines(*l1i_[core]); break;
    case CmoKind::IALLUIS:
        for (auto& c : l1i_) all_lines(*c);
        break;
    case CmoKind::IVAU:
        for (auto& c : l1i_)
            if (Line* l = c->find(line_of(pa))) drop(*c, l);
        break;
    default: break;
    }
    const uint32_t lat = cfg_.l1i.hit_latency + 1;
    s.cycles += lat;
    if (trace_ && trace_->on(Trace::kCmo))
        trace_->emit(Trace::kCmo, who.cycles, core, "{} pa={:#x} lines={}", cmo_name(k), k == CmoKind::IVAU ? line_of(pa) : 0,
                     s.lines - lines_before);
    return lat;
}

// ---- identification ----------------------------------------------------------------

uint64_t ctr_for(const HierarchyConfig& c) {
    // IminLine/DminLine and CWG/ERG in words (log2); L1Ip = PIPT; bit 31 RES1;
    // IDC (28) and DIC (29) when the instruction side is coherent.
    const uint64_t iline = log2u(c.l1i.line_bytes / 4), dline = log2u(c.l1d.line_bytes / 4);
    const uint64_t coherent = c.icache_coherent ? (3ull << 28) : 0;
    return (1ull << 31) | coherent | (dline << 24) | (4ull << 20) | (dline << 16) | (3ull << 14) | iline;
}

uint64_t clidr_for(const HierarchyConfig& c) {
    // Ctype1 = separate I and D, Ctype2 = unified L2, Ctype3 = the SLC when
    // reported. LoUU = LoUIS = 1 (the L2 is the Point of Unification; 0 with
    // a coherent instruction side), LoC = every reported level.
    uint64_t v = 0x3;
    unsigned levels = 1;
    if (c.l2.enabled) v |= uint64_t(0x4) << (3 * levels++);
    if (c.slc.enabled && c.slc_in_clidr) v |= uint64_t(0x4) << (3 * levels++);
    const uint64_t lou = c.icache_coherent ? 0 : 1;
    return v | (lou << 21) | (uint64_t(levels) << 24) | (lou << 27);
}

uint64_t ccsidr_for(const HierarchyConfig& c, uint64_t csselr) {
    const bool ind = csselr & 1;
    const unsigned level = (csselr >> 1) & 7;
    // The unified levels in the order CLIDR_EL1 reports them (clidr_for):
    // without an L2 a reported SLC is level 2, and CCSIDR_EL1 must describe
    // the cache that CLIDR_EL1.Ctype<n> names (Arm ARM, CCSIDR_EL1 and
    // CSSELR_EL1.Level).
    const CacheConfig* unified[2] = {};
    unsigned n = 0;
    if (c.l2.enabled) unified[n++] = &c.l2;
    if (c.slc.enabled && c.slc_in_clidr) unified[n++] = &c.slc;
    const CacheConfig* g = nullptr;
    if (level == 0) g = ind ? &c.l1i : &c.l1d;
    else if (!ind && level - 1 < n) g = unified[level - 1];
    if (!g) return 0;  // UNKNOWN for a level or type that does not exist
    // LineSize = log2(bytes) - 4, Associativity - 1, NumSets - 1.
    return uint64_t(log2u(g->line_bytes) - 4) | (uint64_t(g->ways - 1) << 3) | (uint64_t(g->sets() - 1) << 13);
}

uint64_t Hierarchy::ctr() const { return ctr_for(cfg_); }
uint64_t Hierarchy::clidr() const { return clidr_for(cfg_); }
uint64_t Hierarchy::ccsidr(uint64_t csselr) const { return ccsidr_for(cfg_, csselr); }

// ---- debug -----------------------------------------------------------------------------

void Hierarchy::debug_read(uint64_t pa, void* dst, unsigned size) const {
    per_line(pa, size, [&](uint64_t a, unsigned off, unsigned n) { debug_read_line(a, static_cast<uint8_t*>(dst) + off, n); });
}

void Hierarchy::debug_write(uint64_t pa, const void* src, unsigned size) {
    per_line(pa, size, [&](uint64_t a, unsigned off, unsigned n) { debug_write_line(a, static_cast<const uint8_t*>(src) + off, n); });
}

void Hierarchy::debug_read_line(uint64_t pa, void* dst, unsigned size) const {
    const uint64_t line = line_of(pa);
    const uint8_t* src = nullptr;
    auto look = [&](const Cache& c) {
        if (src) return;
        if (const Line* l = const_cast<Cache&>(c).find(line); l && l->dirty()) src = c.data(l);
    };
    for (auto& c : l1d_) look(*c);
    for (auto& c : l2_) look(*c);
    if (slc_) look(*slc_);
    std::memcpy(dst, src ? src + (pa - line) : dram(pa), size);
}

void Hierarchy::debug_write_line(uint64_t pa, const void* src, unsigned size) {
    const uint64_t line = line_of(pa);
    for (Cache* c : all_caches())
        if (Line* l = c->find(line)) std::memcpy(c->data(l) + (pa - line), src, size);
    std::memcpy(dram(pa), src, size);
    for (unsigned core = 0; core < l1i_.size(); ++core)
        if (l1i_[core]->find(line) && icache_fill_) icache_fill_(core, line);
    if (dram_write_) dram_write_(pa, size);
}

// ---- statistics ---------------------------------------------------------------------------

nlohmann::json Hierarchy::stats_json() const {
    nlohmann::json j;
    auto one = [](const Cache& c) {
        const CacheStats& s = c.stats;
        return nlohmann::json{{"hits", s.hits},           {"misses", s.misses},         {"fills", s.fills},
                              {"evictions", s.evictions}, {"writebacks", s.writebacks}, {"snoops", s.snoops},
                              {"snoop_hits", s.snoop_hits}, {"invalidations", s.invalidations}, {"cmo_lines", s.cmo_lines}};
    };
    for (auto& c : l1i_) j["caches"][c->name()] = one(*c);
    for (auto& c : l1d_) j["caches"][c->name()] = one(*c);
    for (auto& c : l2_) j["caches"][c->name()] = one(*c);
    if (slc_) j["caches"]["slc"] = one(*slc_);
    for (size_t k = 0; k < cmo_.size(); ++k) {
        const CmoStats& s = cmo_[k];
        if (!s.ops) continue;
        j["cmo"][cmo_name(static_cast<CmoKind>(k))] = {{"ops", s.ops}, {"lines", s.lines}, {"ignored", s.ignored}, {"cycles", s.cycles}};
    }
    j["dram"] = {{"line_reads", dram_reads_}, {"line_writes", dram_writes_}, {"around_reads", around_reads_}, {"around_writes", around_writes_}};
    return j;
}

}  // namespace hvsim::cache
