// The core's side of translation: the registers of each regime, the TLB
// lookup, walks on a miss, AT and TLBI. The walker (models/mmu/walker.h) and
// the TLBs (models/mmu/tlb.h) are the models; this file only connects them.
#include <fmt/format.h>

#include "core.h"

namespace hvsim::cpu {

namespace {
constexpr uint64_t kHcrTge = 1ull << 27, kHcrE2h = 1ull << 34;

const char* regime_name(mmu::Regime r) {
    switch (r) {
    case mmu::Regime::EL10: return "EL1&0";
    case mmu::Regime::EL20: return "EL2&0";
    case mmu::Regime::EL2: return "EL2";
    default: return "EL3";
    }
}
}  // namespace

mmu::TranslationRegs Core::translation_regs(unsigned el) const {
    mmu::TranslationRegs r;
    r.pa_bits = cfg_.pa_bits;
    if (in_el20(el)) {
        // FEAT_VHE: EL2 with HCR_EL2.E2H, and EL0 with {E2H,TGE} = {1,1},
        // use the EL2&0 regime: two VA ranges with ASIDs, the EL2 registers
        // (TCR_EL2 in the TCR_EL1 layout), no stage 2 (Arm ARM D8.1.2).
        r.regime = mmu::Regime::EL20;
        r.sctlr = sr(SR::SCTLR_EL2);
        r.tcr = sr(SR::TCR_EL2);
        r.ttbr0 = sr(SR::TTBR0_EL2);
        r.ttbr1 = sr(SR::TTBR1_EL2);
        r.mair = sr(SR::MAIR_EL2);
        return r;
    }
    switch (el) {
    case 0:
    case 1:
        r.regime = mmu::Regime::EL10;
        r.sctlr = sr(SR::SCTLR_EL1);
        r.tcr = sr(SR::TCR_EL1);
        r.ttbr0 = sr(SR::TTBR0_EL1);
        r.ttbr1 = sr(SR::TTBR1_EL1);
        r.mair = sr(SR::MAIR_EL1);
        if (el2_enabled()) {
            r.hcr = sr(SR::HCR_EL2);
            r.vtcr = sr(SR::VTCR_EL2);
            r.vttbr = sr(SR::VTTBR_EL2);
        }
        break;
    case 2:
        r.regime = mmu::Regime::EL2;
        r.sctlr = sr(SR::SCTLR_EL2);
        r.tcr = sr(SR::TCR_EL2);
        r.ttbr0 = sr(SR::TTBR0_EL2);
        r.mair = sr(SR::MAIR_EL2);
        break;
    default:
        r.regime = mmu::Regime::EL3;
        r.sctlr = sr(SR::SCTLR_EL3);
        r.tcr = sr(SR::TCR_EL3);
        r.ttbr0 = sr(SR::TTBR0_EL3);
        r.mair = sr(SR::MAIR_EL3);
        break;
    }
    return r;
}

// The VA as the TLBs see it: with Top Byte Ignore for data accesses the tag is
// replaced by the extension of bit 55 (two-range regimes) or cleared (Arm ARM
// D8.8 "Address tagging").
static uint64_t untagged(const mmu::TranslationRegs& r, uint64_t va, mmu::AccessType type) {
    if (type == mmu::AccessType::Fetch) return va;
    const bool upper = (va >> 55) & 1;
    if (r.regime == mmu::Regime::EL10 || r.regime == mmu::Regime::EL20) {
        const bool tbi = (r.tcr >> (upper ? 38 : 37)) & 1;
        if (tbi) return upper ? (va | 0xFF00000000000000ull) : (va & 0x00FFFFFFFFFFFFFFull);
        return va;
    }
    const bool tbi = (r.tcr >> 20) & 1;
    return tbi ? (va & 0x00FFFFFFFFFFFFFFull) : va;
}

static bool tbi_enabled(const mmu::TranslationRegs& r, uint64_t va, mmu::AccessType type) {
    if (type == mmu::AccessType::Fetch) return false;
    if (r.regime == mmu::Regime::EL10 || r.regime == mmu::Regime::EL20) return (r.tcr >> (((va >> 55) & 1) ? 38 : 37)) & 1;
    return (r.tcr >> 20) & 1;
}

void Core::set_staleness_checker(mmu::StalenessChecker* c) {
    checker_ = c;
    if (c) c->add_listener([this](uint64_t) {
        for (auto& sc : speed_) sc.wr.fill(SpeedEntry{});
    });
}

bool Core::read_descriptor(uint64_t pa, uint64_t& desc, bool cacheable) {
    if (checker_) checker_->note_table_read(pa);
    // With a cache model, cacheable walks read through this core's L1D,
    // coherently; Non-cacheable ones read DRAM beneath the caches. Without
    // one, walks read through the memory system (b_transport), so that the
    // latency behind the core applies.
    if (caches_ && caches_->is_ram(pa) && debug_walk_) {
        if (cacheable) caches_->debug_read(pa, &desc, 8);
        else std::memcpy(&desc, mem_.direct_page(pa & ~0xFFFull, false) + (pa & 0xFFF), 8);
        return true;
    }
    if (caches_ && caches_->is_ram(pa)) {
        walk_latency_ += cacheable ? caches_->read(cfg_.index, pa, &desc, 8, who()) : caches_->dram_read(pa, &desc, 8, who());
        return true;
    }
    // Without a cache in the way: host memory when the memory system offers
    // it, at the latency a bus read would have.
    WalkRegion& w = walk_region_;
    if (pa - w.start > w.end - w.start || w.start > w.end) {
        w = WalkRegion{};
        if (const uint8_t* host = mem_.read_region(pa, w.start, w.end, w.latency)) w.host = host;
        else w = WalkRegion{};
    }
    if (w.host && pa + 7 <= w.end) {
        std::memcpy(&desc, w.host + (pa - w.start), 8);
        walk_latency_ += w.latency;
        return true;
    }
    uint64_t lat = 0;
    const bool ok = mem_.transport(pa, &desc, 8, false, lat);
    walk_latency_ += lat;
    return ok;
}

mmu::Result Core::translate_slow(uint64_t va, mmu::AccessType type, unsigned el, bool debug, TranslateMemo* memo) {
    const uint64_t memo_tag = translate_memo_tag(va, type, el);
    const mmu::TranslationRegs regs = translation_regs(el);
    const bool el0 = el == 0;
    mmu::Result res;
    const mmu::TlbContext ctx = mmu::make_tlb_context(regs);
    // No TLB entry behind the result unless the TLB model gives one below.
    speed_ok_ = !debug;
    speed_tlb_ = mmu::TlbModel::L1Ref{};
    if (!debug && !ctx.s1 && !ctx.s2) {
        // Both stages off: the flat mapping (AArch64.TranslateAddressS1Off).
        // Its attributes depend only on the registers, so the walker computes
        // them once per register state; the address check is done here.
        FlatMapping& f = flat_[el];
        if (!f.valid || f.sctlr != regs.sctlr || f.tcr != regs.tcr || f.hcr != regs.hcr) {
            f.data = mmu::walk(regs, 0, mmu::AccessType::Read, *this, nullptr).t.attrs;
            f.fetch = mmu::walk(regs, 0, mmu::AccessType::Fetch, *this, nullptr).t.fetch_attrs;
            f.sctlr = regs.sctlr;
            f.tcr = regs.tcr;
            f.hcr = regs.hcr;
            f.valid = true;
        }
        // With TBI (data accesses only) bits [63:56] are ignored; any other
        // bit at or above the PA size gives an Address size fault, level 0.
        const unsigned top = tbi_enabled(regs, va, type) ? 55 : 63;
        const uint64_t above = top >= cfg_.pa_bits ? (va >> cfg_.pa_bits) & ((2ull << (top - cfg_.pa_bits)) - 1) : 0;
        if (above) {
            res.fault.type = mmu::FaultType::AddressSize;
            res.fault.level = 0;
            return res;
        }
        res.pa = va & ((1ull << cfg_.pa_bits) - 1);
        res.attrs = type == mmu::AccessType::Fetch ? f.fetch : f.data;
        return res;
    }
    if (debug) {
        // Debug walks fill nothing and count nothing, the caches included.
        debug_walk_ = true;
        mmu::WalkResult w = mmu::walk_and_check(regs, va, type, el0, *this, nullptr);
        debug_walk_ = false;
        res.fault = w.fault;
        res.pa = mmu::pa_of(w.t, va);
        res.attrs = w.t.attrs_for(type);
        return res;
    }
    const bool fetch = type == mmu::AccessType::Fetch;
    const bool use_tlb = cfg_.tlb_model && (ctx.s1 || ctx.s2);
    const uint64_t key = untagged(regs, va, type);
    unsigned lat = 0;
    int hit_level = 0;
    const mmu::Translation* t = use_tlb ? tlb_.lookup(ctx, key, fetch, lat, hit_level) : nullptr;
    if (use_tlb) speed_tlb_ = tlb_.last_l1();
    mmu::Translation fresh;
    if (t) {
        if (trace_->on(Trace::kTlb))
            trace_->emit(Trace::kTlb, cycles_, cfg_.index, "hit L{} {} va={:#x} pa={:#x} asid={} vmid={}", hit_level,
                         regime_name(regs.regime), key, mmu::pa_of(*t, key), ctx.asid, ctx.vmid);
        if (checker_) check_stale(regs, *t, va, type, el0, hit_level == 1 ? "L1 TLB" : "L2 TLB");
        mmu::Fault pf = mmu::check_permissions(regs, *t, type, el0);
        if (pf && pf.stage2) pf.ipa = mmu::ipa_of(*t, key);
        res.fault = pf;
    } else {
        walk_latency_ = 0;
        mmu::WalkResult w =
            mmu::walk_and_check(regs, va, type, el0, *this, use_tlb ? &tlb_.walk_cache(ctx, &lat) : nullptr);
        ++mmu_stats_.walks;
        mmu_stats_.walk_reads += w.record.accesses;
        mmu_stats_.walk_cache_hits += w.record.walk_cache_hits;
        mmu_stats_.walk_cycles += walk_latency_;
        cycles_ += walk_latency_;
        if (trace_->on(Trace::kWalk))
            trace_->emit(Trace::kWalk, cycles_, cfg_.index,
                         "{} va={:#x} reads={} walk_cache_hits={} s1_levels={} s2_levels={}{}", regime_name(regs.regime),
                         va, w.record.accesses, w.record.walk_cache_hits, w.record.s1_levels, w.record.s2_levels,
                         w.fault ? " fault" : "");
        res.fault = w.fault;
        if (checker_ && w.record.walk_cache_hits && !w.fault) check_stale(regs, w.t, va, type, el0, "walk cache");
        // Entries that would fault are not cached (Arm ARM D8.10.1); a
        // walk that completed both stages is, even if the access itself
        // lacks permission. A walk stopped by a fault (a stage-2 fault on a
        // stage-1 table or on the output IPA, even when a stage-1
        // Permission fault takes priority) has no translation to cache.
        if (use_tlb && w.complete) {
            if (trace_->on(Trace::kTlb)) {
                // Evictions are read off the statistics around the fill.
                const mmu::TlbStats& ts = tlb_.stats();
                const uint64_t before = ts.l1i.evictions + ts.l1d.evictions + ts.l2.evictions;
                tlb_.fill(ctx, w.t, fetch);
                const uint64_t evicted = ts.l1i.evictions + ts.l1d.evictions + ts.l2.evictions - before;
                trace_->emit(Trace::kTlb, cycles_, cfg_.index,
                             "fill {} va={:#x} size={:#x} pa={:#x} asid={} vmid={}{} evicted={}", regime_name(regs.regime),
                             w.t.va, uint64_t(1) << w.t.size_log2, w.t.pa, w.t.asid, w.t.vmid,
                             w.t.global ? " global" : "", evicted);
            } else {
                tlb_.fill(ctx, w.t, fetch);
            }
            speed_tlb_ = tlb_.last_l1();
        }
        fresh = w.t;
        t = &fresh;
    }
    cycles_ += lat;
    mmu_stats_.tlb_cycles += lat;
    // A use of the result outside the model must be a hit of one L1 entry
    // (per-stage entries also need the L2, and without an L1 every access
    // looks up the L2).
    if (use_tlb && !speed_tlb_.serial) speed_ok_ = false;
    if (res.fault) {
        ++mmu_stats_.faults;
        if (res.fault.stage2) ++mmu_stats_.stage2_faults;
        if (trace_->on(Trace::kFault))
            trace_->emit(Trace::kFault, cycles_, cfg_.index, "{} va={:#x} type={} level={}{}{}", regime_name(regs.regime),
                         va, int(res.fault.type), int(res.fault.level), res.fault.stage2 ? " stage2" : "",
                         res.fault.s1ptw ? " s1ptw" : "");
        return res;
    }
    res.pa = mmu::pa_of(*t, key);
    res.attrs = t->attrs_for(type);
    if (memo && use_tlb && speed_tlb_.serial) {
        *memo = TranslateMemo{memo_tag, translate_memo_gen_, speed_tlb_, res.pa & ~0xFFFull, res.attrs};
    }
    return res;
}

namespace {
bool same_translation(const mmu::Translation& a, const mmu::Translation& b, uint64_t va) {
    const mmu::Permissions &p = a.perms, &q = b.perms;
    return mmu::pa_of(a, va) == mmu::pa_of(b, va) && p.el0_r == q.el0_r && p.el0_w == q.el0_w &&
           p.el0_x == q.el0_x && p.el1_r == q.el1_r && p.el1_w == q.el1_w && p.el1_x == q.el1_x &&
           p.s2_r == q.s2_r && p.s2_w == q.s2_w && p.s2_x == q.s2_x && a.attrs.device == b.attrs.device &&
           a.attrs.cacheable == b.attrs.cacheable;
}

std::string describe(const mmu::Translation& t, uint64_t va) {
    const mmu::Permissions& p = t.perms;
    return fmt::format("pa={:#x} el0={}{}{} priv={}{}{} s2={}{}{}{}", mmu::pa_of(t, va), p.el0_r ? 'r' : '-',
                       p.el0_w ? 'w' : '-', p.el0_x ? 'x' : '-', p.el1_r ? 'r' : '-', p.el1_w ? 'w' : '-',
                       p.el1_x ? 'x' : '-', p.s2_r ? 'r' : '-', p.s2_w ? 'w' : '-', p.s2_x ? 'x' : '-',
                       t.attrs.device ? " device" : "");
}
}  // namespace

// Compares a translation served from the TLB or built with walk-cache entries
// with a walk of the tables as memory holds them now (Arm ARM D8.10: an entry
// may stay until invalidated, so a difference means software changed a
// table without the TLBI that would have removed the entry).
void Core::check_stale(const mmu::TranslationRegs& regs, const mmu::Translation& held, uint64_t va,
                       mmu::AccessType type, bool el0, const char* source) {
    // The tables as software last wrote them (the newest copy, caches
    // included), read without timing or cache side effects: the checker
    // must not change what it observes.
    const uint64_t saved_latency = walk_latency_;
    debug_walk_ = true;
    mmu::WalkResult now = mmu::walk(regs, va, type, *this, nullptr);
    debug_walk_ = false;
    walk_latency_ = saved_latency;
    if (!now.fault && same_translation(held, now.t, va)) return;
    const uint64_t key = (uint64_t(regs.regime) << 62) ^ (uint64_t(held.vmid) << 48) ^ (uint64_t(held.asid) << 32) ^
                         (held.va * 0x9E3779B97F4A7C15ull) ^ held.pa ^ (uint64_t(source[0]) << 56);
    std::string memory_now = now.fault ? fmt::format("a {} fault at level {}{}", mmu::fault_type_name(now.fault.type),
                                                     int(now.fault.level), now.fault.stage2 ? " (stage 2)" : "")
                                       : describe(now.t, va);
    // The latest store to any descriptor the current walk read.
    const mmu::StalenessChecker::Write* last = nullptr;
    uint64_t last_pa = 0;
    for (unsigned i = 0; i < now.record.nreads; ++i) {
        const auto* w = checker_->last_write(now.record.read_pa[i]);
        if (w && (!last || w->cycles >= last->cycles)) {
            last = w;
            last_pa = now.record.read_pa[i];
        }
    }
    std::string writer = last ? fmt::format("; descriptor at pa={:#x} last written at cycle {} by cpu{} pc={:#x} (value {:#x})",
                                            last_pa, last->cycles, last->core, last->pc, last->value)
                              : std::string("; no store to the descriptors was seen");
    const uint64_t ipa = mmu::ipa_of(held, va);
    checker_->report(key, fmt::format("cycle {} cpu{} pc={:#x} {} va={:#x}{} vmid={} asid={}: {} entry holds {}, the "
                                      "tables now give {}{}",
                                      cycles_, cfg_.index, st.pc, regime_name(regs.regime), va,
                                      held.s2_enabled ? fmt::format(" ipa={:#x}", ipa) : std::string(), held.vmid,
                                      held.asid, source, describe(held, va), memory_now, writer));
    if (trace_->on(Trace::kStale))
        trace_->emit(Trace::kStale, cycles_, cfg_.index, "{} va={:#x} served stale from {}", regime_name(regs.regime), va,
                     source);
    (void)el0;
}

mmu::TlbiContext Core::tlbi_context() const {
    mmu::TlbiContext tc;
    tc.el2_enabled = el2_enabled();
    if (tc.el2_enabled) {
        const uint64_t hcr = sr(SR::HCR_EL2);
        tc.vmid = static_cast<uint16_t>((sr(SR::VTTBR_EL2) >> 48) & 0xFF);
        tc.e2h = hcr & kHcrE2h;
        tc.tge = hcr & kHcrTge;
    }
    return tc;
}

void Core::tlb_invalidate(mmu::TlbiOp op, uint64_t xt, const mmu::TlbiContext& tc, TlbiScope scope, unsigned from) {
    const mmu::TlbModel::InvalidateResult r = tlb_.invalidate(op, xt, tc);
    // With the TLB model every cached translation names the L1 TLB entry it
    // came from and lapses with it (SpeedEntry::tlb, TranslateMemo, fetch_tlb_),
    // or is the flat mapping, which no TLB holds: only the fetch of the next
    // instruction must look its entry up again, as after any TLBI. Without
    // the model the speed caches are the only TLB.
    if (cfg_.tlb_model) refetch();
    else invalidate_speed_caches();
    if (trace_->on(Trace::kTlbi)) {
        static constexpr const char* kScope[] = {"local", "broadcast", "received"};
        trace_->emit(Trace::kTlbi, cycles_, cfg_.index,
                     "{} scope={}{} xt={:#x} {} removed={} l1i={} l1d={} l2={} s1_walk={} s2_walk={}",
                     mmu::tlbi_name(op), kScope[unsigned(scope)], scope == TlbiScope::Received ? fmt::format(" from={}", from) : "", xt,
                     mmu::tlbi_operand(op, xt, tc), r.l1i + r.l1d + r.l2 + r.s1_walk + r.s2_walk, r.l1i, r.l1d, r.l2,
                     r.s1_walk, r.s2_walk);
    }
}

// AT: a translation in the regime and privilege the operation names, with
// the permission check of its access type, into PAR_EL1 (Arm ARM C5.4 and
// D17.2.113). Walks made for AT neither use nor fill the TLBs.
void Core::at_op(SR op, uint64_t va) {
    static constexpr unsigned kAtEl[] = {1, 1, 0, 0, 2, 2, 1, 1, 0, 0, 3, 3};
    const unsigned i = static_cast<unsigned>(op) - static_cast<unsigned>(SR::AT_S1E1R);
    const bool write = i % 2 == 1;
    const bool stage1_only = op != SR::AT_S12E1R && op != SR::AT_S12E1W && op != SR::AT_S12E0R && op != SR::AT_S12E0W;
    const unsigned el = kAtEl[i];
    // At EL2 with {E2H,TGE} = {1,1}, S1E1* translate in the EL2&0 regime.
    mmu::TranslationRegs regs = translation_regs(el == 1 && st.pstate.el >= 2 && in_el20(0) ? 2 : el);
    // S1E1*/S1E0* report the IPA: stage 2 of the output is not applied, but
    // stage 2 of the stage-1 walk is; a stage-2 fault there is taken to EL2.
    const bool s1_only_under_s2 = stage1_only && regs.regime == mmu::Regime::EL10 && (regs.hcr & 1);
    mmu::WalkResult w = mmu::walk_and_check(regs, va, write ? mmu::AccessType::Write : mmu::AccessType::Read,
                                            el == 0, *this, nullptr);
    mmu::Fault f = w.fault;
    if (f && f.stage2 && s1_only_under_s2 && !f.s1ptw && w.s1_complete) f = mmu::Fault{};  // output IPA fault ignored
    // A stage-2 fault on the stage-1 walk of an AT is a Data Abort to EL2
    // with CM = 1 and WnR = 1 (Arm ARM D17.2.37: both read as 1 for faults on
    // address translation instructions).
    if (f && f.stage2 && f.s1ptw && st.pstate.el < 2) data_abort(va, f, true, st.pstate.el, /*cm=*/true);
    if (f) {
        unsigned fst = 0;
        switch (f.type) {
        case mmu::FaultType::AddressSize: fst = fsc::AddressSize0 + f.level; break;
        case mmu::FaultType::Translation: fst = fsc::Translation0 + f.level; break;
        case mmu::FaultType::AccessFlag: fst = fsc::AccessFlag0 + f.level; break;
        case mmu::FaultType::Permission: fst = fsc::Permission0 + f.level; break;
        default: fst = f.on_table_walk ? 0x14u + f.level : fsc::SyncExternal; break;
        }
        // F=1, FST, PTW (stage 2 fault on the walk), S (stage 2); bit 11 is RES1.
        sr(SR::PAR_EL1) = 1 | (uint64_t(fst) << 1) | (uint64_t(f.s1ptw) << 8) | (uint64_t(f.stage2) << 9) | (1ull << 11);
        return;
    }
    const uint64_t out = s1_only_under_s2 ? mmu::ipa_of(w.t, va) : mmu::pa_of(w.t, va);
    const mmu::MemAttrs& a = w.t.attrs;
    sr(SR::PAR_EL1) = (uint64_t(mmu::mair_encoding(a)) << 56) | (out & 0x0000FFFFFFFFF000ull) |
                      (uint64_t(mmu::sh_encoding(a.sh)) << 7) | (1ull << 11);
}

}  // namespace hvsim::cpu
