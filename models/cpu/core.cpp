// The core's execution loop, memory path and instruction fetch.
#include "core.h"

#include <algorithm>

#include "a64.h"
#include "models/cache/coherency_checker.h"
#include "models/common/error.h"

namespace hvsim::cpu {

void SystemHooks::send_event(Core& sender) { sender.send_event(); }
void SystemHooks::guest_stuck(Core&, const std::string& why) { throw Error(why); }

Core::Core(const CoreConfig& cfg, MemoryPort& mem, SystemHooks& hooks, DecodeCache& dcache, GlobalMonitor& monitor)
    : cfg_(cfg), mem_(mem), hooks_(hooks), dcache_(dcache), monitor_(monitor), has_el2_(cfg.has_el2),
      has_el3_(cfg.has_el3), tlb_(cfg.tlb, cfg.index + 1) {
    clear_l1d_memo();
    // A page that starts holding decoded code must take the store slow path.
    dcache_.add_listener([this](uint64_t) {
        for (auto& s : speed_) s.wr.fill(SpeedEntry{});
    });
    reset(0, highest_el());
}

void Core::set_caches(cache::Hierarchy* h) {
    caches_ = h;
    if (!h) {
        l1d_ = nullptr;
        fetch_mask_ = ~0xFFCull;
        dview_ = 0;
    } else {
        l1d_ = &h->l1d(cfg_.index);
        l1d_line_shift_ = cache::log2u(h->line_bytes());
        clear_l1d_memo();
        l1i_ = &h->l1i(cfg_.index);
        l1i_latency_ = h->config().l1i.hit_latency;
        line_mask_ = h->line_bytes() - 1;
        l1d_latency_ = h->config().l1d.hit_latency;
        around_latency_ = h->config().dram_latency;
        // Fetch is checked per line; bits [1:0] stay in the mask so that a
        // misaligned PC never matches.
        fetch_mask_ = ~(line_mask_ & ~3ull);
        dview_ = cfg_.index;
    }
    fetch_lines_.fill(FetchLine{});
    invalidate_speed_caches();
}

bool Core::el_implemented(unsigned el) const {
    return el <= 1 || (el == 2 && has_el2_) || (el == 3 && has_el3_);
}

void Core::sysreg_reset() {
    for (unsigned i = 0; i < kNumSysRegs; ++i) {
        const SysRegInfo& info = sysreg_info(static_cast<SR>(i));
        sysregs_[i] = info.reset_fn ? info.reset_fn(*this) : info.reset;
    }
    sr(SR::CNTFRQ_EL0) = cfg_.counter_hz;
}

void Core::reset(uint64_t pc, unsigned el) {
    st = ArchState{};
    sysreg_reset();
    st.pc = pc;
    st.pstate.el = static_cast<uint8_t>(el);
    st.pstate.sp = true;
    cur_speed_ = &speed_[el];
    invalidate_speed_caches();
    local_monitor_.valid = false;
    tlb_.invalidate_all();
    access_iss_ = 0;
    halted_ = false;
    note_events();
    el_mark_cycles_ = cycles_;
    el_mark_insns_ = icount_;
}

void Core::invalidate_speed_caches() {
    // TLB maintenance comes in bursts (a TLBI per page): between two of them
    // only a few entries are filled, and only those need clearing.
    if (speed_fill_count_ > kSpeedFillLog) {
        for (auto& s : speed_) {
            s.rd.fill(SpeedEntry{});
            s.wr.fill(SpeedEntry{});
        }
    } else {
        for (unsigned i = 0; i < speed_fill_count_; ++i) *speed_fills_[i] = SpeedEntry{};
    }
    speed_fill_count_ = 0;
    walk_region_ = WalkRegion{};
    ++translate_memo_gen_;
    ++fetch_gen_;
    refetch();
}

const CoreStats& Core::stats() {
    account_el();
    return stats_;
}

void Core::account_el() {
    unsigned el = st.pstate.el;
    stats_.insns_el[el] += icount_ - el_mark_insns_;
    stats_.cycles_el[el] += cycles_ - el_mark_cycles_;
    el_mark_insns_ = icount_;
    el_mark_cycles_ = cycles_;
}

void Core::enter_el(unsigned new_el) {
    account_el();
    st.pstate.el = static_cast<uint8_t>(new_el);
    cur_speed_ = &speed_[new_el];
    refetch();
}

uint64_t Core::counter() const {
    // The counter runs at counter_hz from simulation start; this core's local
    // time is its cycle count at freq_hz.
    unsigned __int128 t = static_cast<unsigned __int128>(cycles_) * cfg_.counter_hz;
    return static_cast<uint64_t>(t / cfg_.freq_hz);
}


// ---- execution ---------------------------------------------------------------

namespace {
void unallocated(Core& c, uint32_t) { c.undefined(); }
}  // namespace

void decode_and_execute(Core& c, uint32_t) {
    DecodedInsn& d = c.fetch_page_->e[(c.st.pc >> 2) % DecodedPage::kEntries];
    const uint64_t pa = c.fetch_page_->pa | (c.st.pc & 0xFFC);
    uint32_t word;
    if (c.fetch_line_) {
        // The bytes the L1I holds (or DRAM, for an uncached fetch).
        std::memcpy(&word, c.fetch_line_ + (pa & c.line_mask_), 4);
    } else if (uint8_t* host = c.mem_.direct_page(c.fetch_page_->pa, false)) {
        std::memcpy(&word, host + (pa & 0xFFF), 4);
    } else {
        uint64_t lat = 0;
        if (!c.mem_.transport(pa, &word, 4, false, lat)) {
            mmu::Fault f;
            f.type = mmu::FaultType::SyncExternal;
            c.insn_abort(c.st.pc, f);
        }
        c.cycles_ += lat;
    }
    ++c.stats_.decode_misses;
    const Encoding* e = a64_decode(word);
    d.insn = word;
    d.fn = e ? e->fn : &unallocated;
    d.cost = e ? e->cost : CostClass::Alu;
    c.cur_insn_ = word;
    c.cost_ = d.cost;
    d.fn(c, word);
}

StopReason Core::run(uint64_t cycle_limit) {
    run_limit_ = cycle_limit;
    loop_limit_ = events_ ? 0 : cycle_limit;
    // With a debugger's breakpoints or step, or the `insn` trace, a slower
    // loop; the fast one is unchanged (the checks are compiled out of it).
    const bool trace_insns = trace_->on(Trace::kInsn);
    if (debug_) return trace_insns ? run_loop<true, true>() : run_loop<true, false>();
    return trace_insns ? run_loop<false, true>() : run_loop<false, false>();
}

template <bool kDebug, bool kTraceInsns>
StopReason Core::run_loop() {
    for (;;) {
        try {
            for (;;) {
                if (cycles_ >= loop_limit_) {
                    if (cycles_ >= run_limit_) break;
                    // events_ is set (loop_limit_ is 0).
                    events_ = false;
                    loop_limit_ = run_limit_;
                    if (halted_) {
                        note_events();
                        return StopReason::Halted;
                    }
                    if (stop_ != StopReason::Budget) {
                        StopReason s = stop_;
                        stop_ = StopReason::Budget;
                        return s;
                    }
                    check_pending_interrupts();
                }
                const uint64_t pc = st.pc;
                if constexpr (kDebug) {
                    if (debug_->skip_breakpoint) {
                        debug_->skip_breakpoint = false;
                    } else if (debug_->is_breakpoint(pc)) {
                        debug_->why = DebugControl::Why::Breakpoint;
                        return StopReason::Debug;
                    }
                }
                if ((pc & fetch_mask_) != fetch_tag_) fetch_slow();
                DecodedInsn& d = fetch_page_->e[(pc >> 2) % DecodedPage::kEntries];
                next_pc_ = pc + 4;
                cost_ = d.cost;
                if constexpr (kTraceInsns) cur_insn_ = d.insn;
                d.fn(*this, d.insn);
                // Retired: traced at its PC (still in st.pc) and start cycle.
                if constexpr (kTraceInsns) trace_->insn(cycles_, cfg_.index, pc, cur_insn_);
                st.pc = next_pc_;
                cycles_ += cfg_.costs[cost_];
                ++icount_;
                if constexpr (kDebug) {
                    debug_->skip_watchpoints = false;
                    if (debug_->step) {
                        debug_->why = DebugControl::Why::Step;
                        return halted_ ? StopReason::Halted : StopReason::Debug;
                    }
                }
            }
            return StopReason::Budget;
        } catch (const WatchpointHit&) {
            // Only with a DebugControl set, so only in run_loop<true>; PC
            // is still the instruction's.
            return StopReason::Debug;
        } catch (const ExceptionTaken&) {
            // The exception entry already moved PC to the vector.
            if constexpr (kDebug) {
                debug_->skip_watchpoints = false;
                // A step that takes an exception ends at the vector.
                if (debug_->step) {
                    debug_->why = DebugControl::Why::Step;
                    return halted_ ? StopReason::Halted : StopReason::Debug;
                }
            }
        }
    }
}

void Core::fetch_slow() {
    // The common case, kept small: another line of the page entered last,
    // RAM fetched through the cache model, that the line memo holds
    // (cacheable) or that is read around the caches (uncached). It does what
    // fetch_enter() does on that path: one hit of the page's L1I TLB entry
    // and one L1I hit or DRAM read (the order of these independent updates
    // does not matter). Masking with ~0xFFF | 3 sends a misaligned PC to
    // fetch_enter().
    const uint64_t pc = st.pc;
    if ((pc & (~0xFFFull | 3)) == fetch_fast_page_ && !st.pstate.il) {
        const mmu::TlbModel::L1Ref t = fetch_tlb_;
        if (!t.serial || mmu::TlbModel::l1_holds(t)) {
            const uint64_t pa = fetch_page_->pa | (pc & 0xFFF);
            const uint64_t line_pa = pa & ~line_mask_;
            const FetchLine& m = fetch_lines_[(pa >> 6) % kFetchLines];
            if (!fetch_cacheable_ || (m.pa == line_pa && m.line->tag == line_pa)) {
                if (t.serial) {
                    const unsigned lat = tlb_.l1_hit(true, t);
                    cycles_ += lat;
                    mmu_stats_.tlb_cycles += lat;
                }
                fetch_tag_ = pc & ~line_mask_;
                if (fetch_cacheable_) {
                    fetch_line_ = m.data;
                    cycles_ += l1i_latency_;
                    ++l1i_->stats.hits;
                    l1i_->touch(m.line);
                } else {
                    fetch_line_ = fetch_host_ + (line_pa & 0xFFF);
                    cycles_ += around_latency_;
                    ++*caches_->around_counter(false);
                }
                return;
            }
        }
    }
    fetch_enter();
}

void Core::fetch_enter() {
    // Illegal Execution state: the next instruction takes an Illegal State
    // exception instead of executing (Arm ARM D1.4.4, "The Illegal Execution
    // state bit").
    if (st.pstate.il) take_exception(sync_target_el(), ec::IllegalState, 0);
    // PC alignment is checked on fetch (Arm ARM D1.8.2).
    if (st.pc & 3) take_exception(sync_target_el(), ec::PcAlign, 0, true, st.pc);
    const uint64_t page_va = st.pc & ~0xFFFull;
    // Every fetch_slow() is one instruction fetch as the TLB model counts
    // them: one L1I TLB lookup per L1I access (a line entered; without a
    // cache model, a page entered). The page's translation is kept only
    // while its L1I TLB entry is held, and each use is a hit of that entry.
    bool known = page_va == fetch_page_va_;
    if (known && fetch_tlb_.serial) {
        if (mmu::TlbModel::l1_holds(fetch_tlb_)) {
            const unsigned lat = tlb_.l1_hit(true, fetch_tlb_);
            cycles_ += lat;
            mmu_stats_.tlb_cycles += lat;
        } else {
            known = false;
        }
    }
    if (!known) {
        FetchPage& fp = fetch_pages_[(page_va >> 12) % kFetchPages];
        if (fp.tag == (page_va | st.pstate.el) && fp.gen == fetch_gen_ && mmu::TlbModel::l1_holds(fp.tlb)) {
            // What translate() does on a hit of this L1I TLB entry (FetchPage).
            const unsigned lat = tlb_.l1_hit(true, fp.tlb);
            cycles_ += lat;
            mmu_stats_.tlb_cycles += lat;
            enter_fetch_page(fp, page_va);
        } else {
            translate_fetch_page(fp, page_va);
        }
    }
    fetch_line_ = nullptr;
    if (caches_ && fetch_host_) {
        const uint64_t pa = fetch_page_->pa | (st.pc & 0xFFF);
        fetch_tag_ = st.pc & ~line_mask_;
        // An L1I hit on a line no checker watches: the common case, inline.
        if (fetch_cacheable_) {
            // The line entered before at this slot, if the L1I still holds
            // it: a set holds an address in one way at most, so it is the
            // line find_fast() would return (a line a checker watches has
            // kSlowOnly in its tag and never matches).
            const uint64_t line_pa = pa & ~line_mask_;
            FetchLine& m = fetch_lines_[(pa >> 6) % kFetchLines];
            if (m.pa == line_pa && m.line->tag == line_pa) {
                ++l1i_->stats.hits;
                l1i_->touch(m.line);
                cycles_ += l1i_latency_;
                fetch_line_ = m.data;
                return;
            }
            if (cache::Line* l = l1i_->find_fast(pa)) {
                ++l1i_->stats.hits;
                l1i_->touch(l);
                cycles_ += l1i_latency_;
                fetch_line_ = l1i_->data(l);
                m = FetchLine{line_pa, l, fetch_line_};
                return;
            }
        } else {
            // What Hierarchy::fetch() does for an uncached fetch: DRAM read
            // around the caches, the RAM page being the DRAM's storage (as
            // for speed-cache entries around the caches).
            ++*caches_->around_counter(false);
            cycles_ += around_latency_;
            fetch_line_ = fetch_host_ + (pa & 0xFFF & ~line_mask_);
            return;
        }
        fetch_line_miss(pa);
    } else {
        fetch_tag_ = page_va;
    }
}

void Core::fetch_line_miss(uint64_t pa) {
    const cache::Hierarchy::Fetch f = caches_->fetch(cfg_.index, pa, fetch_cacheable_, who());
    cycles_ += f.latency;
    if (f.flagged && caches_->checker())
        caches_->checker()->report(cache::Hazard::StaleInstruction, caches_->line_of(pa), who(),
                                   "fetched from an L1I line rewritten through the data side without IC invalidation");
    fetch_line_ = f.line;
}

void Core::translate_fetch_page(FetchPage& fp, uint64_t page_va) {
    const unsigned el = st.pstate.el;
    mmu::Result r = translate(page_va, mmu::AccessType::Fetch, el);
    if (r.fault) insn_abort(st.pc, r.fault);
    const uint64_t page_pa = r.pa & ~0xFFFull;
    const bool keep = cfg_.speed_cache && speed_ok_;
    fp.page = dcache_.page(dview_, page_pa);
    // The hierarchy caches RAM only (flash and devices are fetched directly).
    fp.host = caches_ && caches_->is_ram(page_pa) ? mem_.direct_page(page_pa, false) : nullptr;
    fp.cacheable = r.attrs.cacheable;
    fp.tlb = keep ? speed_tlb_ : mmu::TlbModel::L1Ref{};
    fp.gen = fetch_gen_;
    // Without an L1I TLB entry behind it (MMU off, functional mode) the
    // page is kept only while the PC stays in it, as translating again
    // may count (a walk in functional mode); and the staleness checker
    // sees every page entered.
    fp.tag = keep && fp.tlb.serial && !checker_ ? page_va | el : ~0ull;
    enter_fetch_page(fp, keep ? page_va : ~0ull);
}

void Core::wait_for_event() {
    if (event_register_) {
        event_register_ = false;
        return;
    }
    stop_ = StopReason::Wfe;
    note_events();
}

// ---- memory ------------------------------------------------------------------

void Core::check_sp_alignment() {
    const unsigned el = st.pstate.el;
    const uint64_t sctlr = sctlr_of(el);
    const bool check = el == 0 ? (sctlr & (1u << 4)) : (sctlr & (1u << 3));  // SA0 / SA
    if (check && (st.sp() & 0xF)) take_exception(sync_target_el(), ec::SpAlign, 0);
}

void Core::access_slow(uint64_t va, void* data, unsigned size, bool write, unsigned flags) {
    const unsigned el = (flags & kUnpriv) && st.pstate.el == 1 ? 0 : st.pstate.el;
    const bool aligned = (va & (size - 1)) == 0;
    if (!aligned) {
        // Alignment checks that do not depend on the memory type come before
        // translation (Arm ARM B2.5.2): exclusives, acquire/release, SCTLR.A.
        const uint64_t sctlr = sctlr_of(el);
        if ((flags & kAtomicAlign) || (sctlr & 2)) {
            mmu::Fault f;
            f.type = mmu::FaultType::Alignment;
            data_abort(va, f, write, el);
        }
    }
    const uint64_t end = va + size - 1;
    if ((va >> 12) == (end >> 12)) {
        access_page(va, data, size, write, flags);
        return;
    }
    // Crosses a page: translate both halves before touching memory.
    const unsigned first = static_cast<unsigned>(0x1000 - (va & 0xFFF));
    auto type = write ? mmu::AccessType::Write : mmu::AccessType::Read;
    mmu::Result r1 = translate(va, type, el);
    if (r1.fault) data_abort(va, r1.fault, write, el);
    mmu::Result r2 = translate(end & ~0xFFFull, type, el);
    if (r2.fault) data_abort(end & ~0xFFFull, r2.fault, write, el);
    if (r1.attrs.device || r2.attrs.device) {
        // An access crossing into or out of Device memory is unaligned there.
        mmu::Fault f;
        f.type = mmu::FaultType::Alignment;
        data_abort(va, f, write, el);
    }
    if (debug_ && !debug_->watchpoints.empty()) [[unlikely]]
        check_watchpoints(va, size, write);
    access_page(va, data, first, write, flags);
    access_page(va + first, static_cast<uint8_t*>(data) + first, size - first, write, flags);
}

void Core::check_watchpoints(uint64_t va, unsigned size, bool write) {
    if (debug_->skip_watchpoints) return;
    for (size_t i = 0; i < debug_->watchpoints.size(); ++i) {
        const Watchpoint& w = debug_->watchpoints[i];
        if (!w.matches(va, size, write)) continue;
        debug_->why = DebugControl::Why::Watchpoint;
        debug_->watch_index = static_cast<unsigned>(i);
        debug_->watch_addr = std::max(va, w.addr);
        debug_->watch_write = write;
        throw WatchpointHit{};
    }
}

bool Core::watched_debug_page(uint64_t page_va, bool write) const {
    for (const Watchpoint& w : debug_->watchpoints)
        if (w.matches(page_va, 0x1000, write)) return true;
    return false;
}

void Core::access_page(uint64_t va, void* data, unsigned size, bool write, unsigned flags) {
    const unsigned el = (flags & kUnpriv) && st.pstate.el == 1 ? 0 : st.pstate.el;
    mmu::Result r = translate(va, write ? mmu::AccessType::Write : mmu::AccessType::Read, el);
    if (r.fault) data_abort(va, r.fault, write, el);
    // With the staleness checker every data access looks the TLB up, where
    // the checker compares the entry with memory (the speed cache is
    // transparent, so the statistics are the same).
    const bool speed_ok = cfg_.speed_cache && speed_ok_ && !checker_;
    const mmu::TlbModel::L1Ref tlb_ref = speed_tlb_;
    if (r.attrs.device && (va & (size - 1))) {
        // Unaligned accesses to Device memory always fault (Arm ARM B2.5.2).
        mmu::Fault f;
        f.type = mmu::FaultType::Alignment;
        data_abort(va, f, write, el);
    }
    // A debugger's watchpoint stops the instruction where a Watchpoint
    // exception would be taken: once the access has translated without a
    // fault (the Arm ARM's AArch64.TranslateAddress() checks debug events
    // only then), before memory is touched. A page-crossing access was
    // checked whole in access_slow(), after both halves translated.
    if (debug_ && !debug_->watchpoints.empty()) [[unlikely]]
        check_watchpoints(va, size, write);
    const uint64_t page_pa = r.pa & ~0xFFFull;
    if (write) {
        monitor_.observe_store(cfg_.index, r.pa, size);
        // Without a cache model decodes follow every store; with one they
        // follow the L1I (and DRAM, for uncached fetches: the hierarchy
        // reports DRAM writes to the platform).
        if (!caches_ && dcache_.may_hold_code(page_pa)) dcache_.on_write(r.pa, size);
    }
    if (uint8_t* host = mem_.direct_page(page_pa, write)) {
        uint32_t lat = 0;
        const bool ram = caches_ && caches_->is_ram(page_pa);
        if (ram && r.attrs.cacheable) {
            cached_access(r.pa, data, size, write);
        } else if (ram) {
            lat = write ? caches_->dram_write(r.pa, data, size, who()) : caches_->dram_read(r.pa, data, size, who());
            cycles_ += lat;
        } else if (write) {
            std::memcpy(host + (r.pa & 0xFFF), data, size);
        } else {
            std::memcpy(data, host + (r.pa & 0xFFF), size);
        }
        if (observe_reads_ && !write) hooks_.observed_read(*this, r.pa, data, size);
        if (write && checker_ && checker_->watched(page_pa)) {
            checker_->note_store(r.pa, size, {cycles_, cfg_.index, st.pc, 0}, [this, host, ram](uint64_t a) {
                uint64_t w;
                if (ram) caches_->debug_read(a, &w, 8);
                else std::memcpy(&w, host + (a & 0xFFF), 8);
                return w;
            });
        }
        // Fill the speed cache for the common case; it never changes outcomes:
        // stores to pages with decoded code or page tables under watch keep
        // taking this path, and so does everything the coherency checker
        // must see go around the caches, and every access a debugger's
        // watchpoint may match.
        const bool around_checked = ram && !r.attrs.cacheable && caches_->checker();
        const bool watched = debug_ && !debug_->watchpoints.empty() && watched_debug_page(va & ~0xFFFull, write);
        if (speed_ok && !(flags & kUnpriv) && el == st.pstate.el && !around_checked && !(observe_reads_ && !write) &&
            !watched) {
            SpeedEntry& e = write ? cur_speed_->wr[(va >> 12) % kSpeedEntries] : cur_speed_->rd[(va >> 12) % kSpeedEntries];
            if (!write || !watched_store_page(page_pa)) {
                note_speed_fill(e);
                e.tag = va & ~0xFFFull;
                const bool via_l1d = ram && r.attrs.cacheable;
                e.host = via_l1d ? nullptr : host;
                e.pa = page_pa;
                e.lat = lat;
                e.count = ram && !via_l1d ? caches_->around_counter(write) : &speed_host_accesses_;
                e.tlb = tlb_ref;
            }
        }
        return;
    }
    uint64_t lat = 0;
    if (!mem_.transport(r.pa, data, size, write, lat)) {
        mmu::Fault f;
        f.type = mmu::FaultType::SyncExternal;
        data_abort(va, f, write, el);
    }
    cycles_ += lat;
    if (observe_reads_ && !write) hooks_.observed_read(*this, r.pa, data, size);
    if (cfg_.sync_on_device_access) end_run_at(cycles_);
}

cache::Line* Core::l1d_find(uint64_t pa, L1dMemo& m) {
    cache::Line* l = l1d_->find_fast(pa);
    if (l) m = L1dMemo{l, l1d_->data(l)};
    return l;
}

void Core::cached_access(uint64_t pa, void* data, unsigned size, bool write) {
    auto* p = static_cast<uint8_t*>(data);
    while (size) {
        const unsigned chunk = std::min<unsigned>(size, static_cast<unsigned>(line_mask_ + 1 - (pa & line_mask_)));
        // The coherency checker compares stores with the L1I copies: those
        // (to pages with code: the others take the fast path) go through
        // the hierarchy.
        uint8_t* hit = write && caches_->checker() ? nullptr : l1d_hit(pa, chunk, write);
        if (hit) {
            if (write) std::memcpy(hit, p, chunk);
            else std::memcpy(p, hit, chunk);
        } else {
            cycles_ += write ? caches_->write(cfg_.index, pa, p, chunk, who()) : caches_->read(cfg_.index, pa, p, chunk, who());
        }
        pa += chunk;
        p += chunk;
        size -= chunk;
    }
}

void Core::access_miss(uint64_t va, void* data, unsigned size, bool write) {
    const SpeedEntry& e = (write ? cur_speed_->wr : cur_speed_->rd)[(va >> 12) % kSpeedEntries];
    // The fast path's test, for an entry without a host page (its L1D access
    // failed). Without the TLB model a translation may be a walk, which the
    // slow path counts.
    if (cfg_.tlb_model && e.tag == (va & (~0xFFFull | (size - 1))) && !e.host && !(write && monitor_.armed()) &&
        speed_tlb_holds(e) && !trace_->on(Trace::kTlb)) {
        // In the slow path's order: the translation's TLB latency, then the
        // access (l1d_hit() failed: a miss, or a write to a Shared line).
        speed_tlb_hit(e);
        const uint64_t pa = e.pa | (va & 0xFFF);
        if ((pa & line_mask_) + size > line_mask_ + 1) cached_access(pa, data, size, write);
        else cycles_ += write ? caches_->write(cfg_.index, pa, data, size, who()) : caches_->read(cfg_.index, pa, data, size, who());
        return;
    }
    access_slow(va, data, size, write, 0);
}

void Core::store_aligned(uint64_t va, const void* src, unsigned size) {
    const SpeedEntry& e = cur_speed_->wr[(va >> 12) % kSpeedEntries];
    // DC ZVA has always taken the slow path: without the TLB model (where
    // a speed-cache hit skips a walk the slow path makes) it still does.
    if (cfg_.tlb_model && e.tag == (va & ~0xFFFull) && !monitor_.armed() && speed_tlb_holds(e)) {
        if (e.host) {
            std::memcpy(e.host + (va & 0xFFF), src, size);
            cycles_ += e.lat;
            ++*e.count;
            speed_tlb_hit(e);
            return;
        }
        if (uint8_t* p = l1d_hit(e.pa | (va & 0xFFF), size, true)) {
            std::memcpy(p, src, size);
            speed_tlb_hit(e);
            return;
        }
    }
    uint8_t buf[64];
    std::memcpy(buf, src, size);
    access_miss(va, buf, size, true);
}

// DC by VA and by set/way, after the access and trap checks.
void Core::dc_by_va(SR op, uint64_t arg) {
    using cache::CmoKind;
    const unsigned el = st.pstate.el;
    // With stage 2 enabled (HCR_EL2.VM, or DC which implies it), data cache
    // invalidation at EL1 cleans too, so that a guest cannot discard the
    // hypervisor's dirty data (Arm ARM D17.2.48, HCR_EL2.VM); HCR_EL2.SWIO
    // does the same for DC ISW.
    const uint64_t hcr = el2_enabled() && !in_el20(el) ? sr(SR::HCR_EL2) : 0;
    const bool s2 = el == 1 && (hcr & ((1ull << 0) | (1ull << 12)));
    const bool swio = el == 1 && (hcr & (1ull << 1));
    switch (op) {
    case SR::DC_ISW: cycles_ += caches_->dc_setway(cfg_.index, (s2 || swio) ? CmoKind::CISW : CmoKind::ISW, arg, who()); return;
    case SR::DC_CSW: cycles_ += caches_->dc_setway(cfg_.index, CmoKind::CSW, arg, who()); return;
    case SR::DC_CISW: cycles_ += caches_->dc_setway(cfg_.index, CmoKind::CISW, arg, who()); return;
    default: break;
    }
    CmoKind k = CmoKind::CIVAC;
    switch (op) {
    case SR::DC_IVAC: k = s2 ? CmoKind::CIVAC : CmoKind::IVAC; break;
    case SR::DC_CVAC: k = CmoKind::CVAC; break;
    case SR::DC_CVAU: k = CmoKind::CVAU; break;
    default: break;
    }
    // The VA is translated like a read (DC IVAC, which may discard data, like
    // a write); an abort reports CM = 1 and WnR = 1 (Arm ARM D17.2.37).
    const auto type = op == SR::DC_IVAC ? mmu::AccessType::Write : mmu::AccessType::Read;
    const mmu::Result r = translate(arg, type, el);
    if (r.fault) data_abort(arg, r.fault, true, el, /*cm=*/true);
    if (caches_->is_ram(r.pa)) cycles_ += caches_->dc_va(cfg_.index, k, r.pa, who());
}

bool Core::debug_read(uint64_t va, void* dst, unsigned size, bool ram_only) {
    auto* out = static_cast<uint8_t*>(dst);
    while (size) {
        const unsigned chunk = std::min<unsigned>(size, static_cast<unsigned>(0x1000 - (va & 0xFFF)));
        mmu::Result r = translate(va, mmu::AccessType::Read, st.pstate.el, /*debug=*/true);
        if (r.fault) return false;
        if (uint8_t* host = mem_.direct_page(r.pa & ~0xFFFull, false)) {
            // As the core would read it: cacheable memory coherently, the rest
            // from DRAM beneath the caches.
            if (caches_ && r.attrs.cacheable && caches_->is_ram(r.pa)) caches_->debug_read(r.pa, out, chunk);
            else std::memcpy(out, host + (r.pa & 0xFFF), chunk);
        } else {
            if (ram_only) return false;
            uint64_t lat = 0;
            if (!mem_.transport(r.pa, out, chunk, false, lat)) return false;
        }
        va += chunk;
        out += chunk;
        size -= chunk;
    }
    return true;
}

bool Core::debug_write(uint64_t va, const void* src, unsigned size) {
    // Translate every page first (a debug walk: no TLB fill, no fault) so
    // that nothing is written unless all of it can be. A debugger may patch
    // read-only code, so the walk asks for read permission only.
    struct Piece {
        uint8_t* host;
        uint64_t pa;
        unsigned len;
        bool cacheable;
    };
    std::vector<Piece> pieces;
    for (uint64_t a = va, left = size; left;) {
        const unsigned chunk = std::min<unsigned>(static_cast<unsigned>(left), static_cast<unsigned>(0x1000 - (a & 0xFFF)));
        mmu::Result r = translate(a, mmu::AccessType::Read, st.pstate.el, /*debug=*/true);
        if (r.fault) return false;
        uint8_t* host = mem_.direct_page(r.pa & ~0xFFFull, true);
        if (!host) return false;
        pieces.push_back(Piece{host + (r.pa & 0xFFF), r.pa, chunk, r.attrs.cacheable});
        a += chunk;
        left -= chunk;
    }
    auto* in = static_cast<const uint8_t*>(src);
    for (const Piece& p : pieces) {
        // A debugger's write (a breakpoint, a patch) reaches every copy,
        // the instruction caches included.
        if (caches_ && caches_->is_ram(p.pa)) caches_->debug_write(p.pa, in, p.len);
        else std::memcpy(p.host, in, p.len);
        in += p.len;
        if (dcache_.may_hold_code(p.pa & ~0xFFFull)) dcache_.on_write(p.pa, p.len);
    }
    return true;
}

void Core::load_bytes(uint64_t va, void* dst, unsigned size, unsigned flags) {
    access_slow(va, dst, size, false, flags);
}

void Core::store_bytes(uint64_t va, const void* src, unsigned size, unsigned flags) {
    uint8_t buf[64];
    std::memcpy(buf, src, size);
    access_slow(va, buf, size, true, flags);
}

void Core::load_exclusive(uint64_t va, void* dst, unsigned size, unsigned flags) {
    access_slow(va, dst, size, false, flags | kExclusive);
    mmu::Result r = translate(va, mmu::AccessType::Read, st.pstate.el);
    local_monitor_ = {true, r.pa, size};
    monitor_.mark(cfg_.index, r.pa);
}

bool Core::store_exclusive(uint64_t va, const void* src, unsigned size, unsigned flags) {
    // Alignment and translation faults are taken whatever the monitor state
    // (Arm ARM B2.9.5 allows either; hvsim always checks).
    if (va & (size - 1)) {
        mmu::Fault f;
        f.type = mmu::FaultType::Alignment;
        data_abort(va, f, true, st.pstate.el);
    }
    mmu::Result r = translate(va, mmu::AccessType::Write, st.pstate.el);
    if (r.fault) data_abort(va, r.fault, true, st.pstate.el);
    const bool pass = local_monitor_.valid && local_monitor_.pa == r.pa && local_monitor_.size == size &&
                      monitor_.is_marked(cfg_.index, r.pa);
    if (pass) {
        // The store itself must not clear our own reservation before it is done.
        uint8_t buf[16];
        std::memcpy(buf, src, size);
        access_slow(va, buf, size, true, flags | kExclusive);
    }
    clear_exclusive();
    return pass;
}

}  // namespace hvsim::cpu
