// One AArch64 processing element: the architectural state, the execution loop
// over the decoded-instruction cache, the memory path and the exception model.
//
// The core is plain C++ and knows nothing of SystemC: models/cpu/cpu_module.h
// wraps it in a TLM-2.0 initiator with a quantum keeper, and the unit and
// differential tests drive it directly over a MemoryPort of their own.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>

#include "arch_state.h"
#include "models/common/trace.h"
#include "decode_cache.h"
#include "debug_interface.h"
#include "decoder.h"
#include "exclusive_monitor.h"
#include "interrupt_controller.h"
#include "timer_interface.h"
#include "models/cache/hierarchy.h"
#include "models/mmu/staleness.h"
#include "models/mmu/tlb.h"
#include "models/mmu/translate.h"
#include "models/mmu/walker.h"
#include "sysregs.h"
#include "timing.h"

namespace hvsim::cpu {

// What the core sees of the memory system behind it.
class MemoryPort {
public:
    virtual ~MemoryPort() = default;
    // Host pointer to the 4 KiB page at `page_pa` when it is plain memory that
    // the core may access directly (TLM DMI), otherwise nullptr. `write` asks
    // for write permission.
    virtual uint8_t* direct_page(uint64_t page_pa, bool write) = 0;
    // A bus transaction; false on a bus error (the core takes an external
    // abort). Adds the access latency in core cycles to `latency`.
    virtual bool transport(uint64_t pa, void* data, unsigned size, bool write, uint64_t& latency) = 0;
    // Host memory that reads as transport() would read it: the region
    // [start, end] that holds `pa`, its host pointer (to `start`) as the
    // result, and in `latency` the core cycles transport() would add to each
    // read there; nullptr: use transport() for `pa`.
    virtual const uint8_t* read_region(uint64_t pa, uint64_t& start, uint64_t& end, uint64_t& latency) { return nullptr; }
};

// Platform services and the hooks that the memory-system models fill.
class SystemHooks {
public:
    virtual ~SystemHooks() = default;
    // SMC/HVC that the platform's firmware (PSCI) handles when no EL3/EL2
    // software does: return true if handled (X0.. updated, execution goes on).
    virtual bool firmware_call(Core&, bool is_smc) { return false; }
    // Arm semihosting (HLT #0xF000); return true if handled.
    virtual bool semihosting(Core&) { return false; }
    // DC, IC, AT and TLBI operations, after the core's access and trap checks.
    virtual void sys_op(Core&, SR op, SysOpKind kind, uint64_t arg) {}
    // An Inner Shareable TLBI (or one HCR_EL2.FB upgrades): apply it to the
    // other cores of the domain, in the issuing core's context.
    virtual void broadcast_tlbi(Core& issuer, mmu::TlbiOp op, uint64_t xt, const mmu::TlbiContext& tc) {}
    // The guest can make no progress: `why` says how. The platform stops the
    // simulation with a message; by default it is an hvsim::Error.
    virtual void guest_stuck(Core& core, const std::string& why);
    // SEV: signal an event to every core of the platform.
    virtual void send_event(Core& sender);
    // A load the core made while Core::observe_reads() is on: the PA and
    // the data it read (after any exception checks, before the register
    // write).
    virtual void observed_read(Core&, uint64_t pa, const void* data, unsigned size) {}
};

struct CoreConfig {
    unsigned index = 0;          // position in the platform (statistics, traces)
    uint8_t aff0 = 0, aff1 = 0;  // MPIDR affinity
    bool has_el2 = true;
    bool has_el3 = false;
    unsigned pa_bits = 48;
    uint64_t freq_hz = 1'000'000'000;  // core clock
    uint64_t counter_hz = 62'500'000;  // generic counter (CNTFRQ_EL0 at reset)
    uint64_t midr = 0x000F0480;  // implementer 0 ("software use"), part 0x048
    CostTable costs;
    // The cache hierarchy as CTR_EL0/CLIDR_EL1/CCSIDR_EL1 describe it; the
    // model itself is attached with Core::set_caches().
    cache::HierarchyConfig caches;
    // Architectural TLBs and walk caches; with tlb_model off every
    // speed-cache miss walks (functional mode, as QEMU behaves).
    mmu::TlbConfig tlb;
    bool tlb_model = true;
    // The host-pointer speed cache of loads, stores and fetched pages. It is
    // transparent (README.md, "Memory path"): off, every access takes the
    // slow path and every statistic and cycle count stays the same; only the
    // tests that prove this turn it off.
    bool speed_cache = true;
    // The platform connects a GICv3 CPU interface (ICC_* system registers):
    // advertised in ID_AA64PFR0_EL1.GIC.
    bool gic_sysregs = false;
    // FEAT_VHE (HCR_EL2.E2H, the EL2&0 regime, register redirection):
    // advertised in ID_AA64MMFR1_EL1.VH when EL2 exists.
    bool vhe = true;
    // End the run slice after every access that reaches a device over the
    // bus, so that the core's local time is synchronised before its next
    // instruction: a guest polling a device (GITS_CREADR, a UART status)
    // then sees the device progress at the rate simulated time passes, not
    // once per quantum (temporal decoupling's synchronisation point).
    bool sync_on_device_access = true;
    // The platform attaches a PMU (Core::set_pmu): advertised in
    // ID_AA64DFR0_EL1.PMUVer, with PMCR_EL0.N = pmu_counters.
    bool pmu = false;
    unsigned pmu_counters = 6;
};

struct MmuStats {
    uint64_t walks = 0, walk_reads = 0, walk_cache_hits = 0, walk_cycles = 0;
    uint64_t faults = 0, stage2_faults = 0;
    uint64_t tlb_cycles = 0;
};

struct CoreStats {
    std::array<uint64_t, 4> insns_el{};
    std::array<uint64_t, 4> cycles_el{};
    std::array<uint64_t, 4> exceptions_to_el{};
    uint64_t idle_cycles = 0;
    uint64_t undefs = 0;
    uint64_t decode_misses = 0;
};

// Thrown (and caught by the run loop) once an exception has been taken in the
// middle of an instruction: the architectural state is already updated.
struct ExceptionTaken {};

// Thrown by the memory path when an access hits a debugger's watchpoint:
// the instruction is abandoned before the access, like a Watchpoint
// exception (its PC stays), and run() returns StopReason::Debug.
struct WatchpointHit {};

// Debug: a breakpoint, watchpoint or single step ended the run (models/cpu/debug_interface.h).
enum class StopReason : uint8_t { Budget, Wfi, Wfe, Halted, Debug };

class Pmu;

class Core : private mmu::DescriptorReader {
public:
    Core(const CoreConfig& cfg, MemoryPort& mem, SystemHooks& hooks, DecodeCache& dcache, GlobalMonitor& monitor);
    Core(const Core&) = delete;
    Core& operator=(const Core&) = delete;

    // Architectural reset, then start at `pc` in `el` with SP_ELx selected.
    void reset(uint64_t pc, unsigned el);

    // Runs until `cycle_limit` (absolute, in core cycles) is reached, the core
    // sleeps (WFI/WFE) or the platform halts it.
    StopReason run(uint64_t cycle_limit);

    // --- state -------------------------------------------------------------
    ArchState st;
    const CoreConfig& config() const { return cfg_; }
    uint64_t cycles() const { return cycles_; }
    uint64_t instructions() const { return icount_; }
    const CoreStats& stats();  // folds the counters of the current EL in
    void add_cycles(uint64_t c) { cycles_ += c; }
    // Time spent asleep (WFI/WFE): advances the clock, counted as idle.
    void idle(uint64_t c) {
        account_el();
        cycles_ += c;
        el_mark_cycles_ = cycles_;
        stats_.idle_cycles += c;
    }
    void clear_event_register() { event_register_ = false; }
    void halt() { halted_ = true; note_events(); }
    bool halted() const { return halted_; }

    // Interrupt lines from the interrupt controller (level sensitive).
    void set_irq(bool level) { irq_line_ = level; note_events(); }
    void set_fiq(bool level) { fiq_line_ = level; note_events(); }
    // Virtual interrupt lines from the GIC's virtual CPU interface, ORed
    // with HCR_EL2.VI/VF (taken to EL1 when HCR_EL2.IMO/FMO, Arm ARM D1.11.3).
    void set_virq(bool level) { virq_line_ = level; note_events(); }
    void set_vfiq(bool level) { vfiq_line_ = level; note_events(); }
    // A physical SError interrupt made pending (edge: taken once), e.g. a
    // System Error from the GIC ITS (GITS_TYPER.SEIS).
    void raise_serror() { serror_pending_ = true; note_events(); }
    bool serror_pending() const { return serror_pending_; }
    void send_event() { event_register_ = true; }
    bool event_register() const { return event_register_; }
    bool interrupt_pending() const;  // a WFI wake-up condition, masks ignored
    // The GIC CPU interface behind the ICC_* system registers (nullptr: none).
    void set_interrupt_controller(InterruptController* ic) { gic_ = ic; }
    InterruptController* interrupt_controller() const { return gic_; }
    // The generic timers behind CNTP_*/CNTV_*/CNTHP_*/CNTPS_* (nullptr: none).
    void set_timer(TimerInterface* t) { timer_ = t; }
    TimerInterface* timer() const { return timer_; }
    // The Performance Monitors behind PM* (nullptr: none, UNDEFINED).
    void set_pmu(Pmu* p) { pmu_ = p; }
    Pmu* pmu() const { return pmu_; }
    // Ends the current run() once the cycle count reaches `cycle` (a timer
    // deadline set in the middle of a run slice).
    void end_run_at(uint64_t cycle) {
        if (cycle < run_limit_) {
            run_limit_ = cycle;
            if (!events_) loop_limit_ = cycle;
        }
    }
    uint64_t run_limit() const { return run_limit_; }

    // The MMU of this core.
    const mmu::TlbModel& tlb() const { return tlb_; }
    const MmuStats& mmu_stats() const { return mmu_stats_; }
    // The translation registers of the regime that `el` uses.
    mmu::TranslationRegs translation_regs(unsigned el) const;
    // TLB maintenance on this core's structures (the platform broadcasts the
    // Inner Shareable forms with the issuing core's context). `scope`, for
    // the `tlbi` trace: this core's own TLBI, local or broadcast, or one
    // received from core `from`.
    enum class TlbiScope : uint8_t { Local, Broadcast, Received };
    void tlb_invalidate(mmu::TlbiOp op, uint64_t xt, const mmu::TlbiContext& tc, TlbiScope scope = TlbiScope::Local,
                        unsigned from = 0);
    mmu::TlbiContext tlbi_context() const;
    // Opt-in staleness checking, shared by the platform's cores.
    void set_staleness_checker(mmu::StalenessChecker* c);

    // Reads guest memory by VA in the current regime without side effects or
    // exceptions (semihosting, debuggers); false if unmapped. `ram_only`
    // refuses pages without DMI (device registers), as a debugger needs.
    bool debug_read(uint64_t va, void* dst, unsigned size, bool ram_only = false);
    // Writes guest RAM by VA in the same way (no TLB fill, no exception, no
    // permission check, never a device); false, writing nothing, if any
    // byte is unmapped or not RAM. Decoded code in the pages is dropped.
    bool debug_write(uint64_t va, const void* src, unsigned size);
    // A debugger's breakpoints, watchpoints and single step: while set,
    // run() takes a slower loop that honours them; nullptr restores the
    // fast loop. Watchpoints are checked on the slow memory path, and pages
    // that hold one never enter the speed caches (for the direction
    // watched); call invalidate_speed_caches() after adding one.
    void set_debug_control(DebugControl* d) { debug_ = d; }
    DebugControl* debug_control() const { return debug_; }

    // System registers by name (no access checks).
    uint64_t& sr(SR r) { return sysregs_[static_cast<unsigned>(r)]; }
    // A system register as MRS and MSR read and write it once the access is
    // allowed: the table's read/write callbacks and RES0/RES1 masks, without
    // access checks, traps or E2H redirection (debuggers). A register with a
    // read callback and no write callback ignores writes.
    uint64_t sysreg_read(SR r);
    void sysreg_write(SR r, uint64_t v);
    uint64_t sr(SR r) const { return sysregs_[static_cast<unsigned>(r)]; }
    bool el_implemented(unsigned el) const;
    unsigned highest_el() const { return has_el3_ ? 3 : has_el2_ ? 2 : 1; }

    // --- for instruction handlers -------------------------------------------
    uint64_t pc() const { return st.pc; }
    uint64_t X(Reg r) const { return r.is31() ? 0 : st.x[r.idx()]; }
    uint32_t W(Reg r) const { return static_cast<uint32_t>(X(r)); }
    uint64_t XSP(Reg r) { return r.is31() ? st.sp() : st.x[r.idx()]; }
    void setX(Reg r, uint64_t v) {
        if (!r.is31()) st.x[r.idx()] = v;
    }
    void setW(Reg r, uint32_t v) { setX(r, v); }
    void setXSP(Reg r, uint64_t v) {
        if (r.is31()) st.sp() = v;
        else st.x[r.idx()] = v;
    }
    void set_nzcv(bool n, bool z, bool c, bool v) {
        st.pstate.n = n;
        st.pstate.z = z;
        st.pstate.c = c;
        st.pstate.v = v;
    }
    inline bool condition_holds(uint32_t cond) const;  // Arm ARM J1 ConditionHolds()

    // Control flow: the next instruction is at `target`.
    void branch_to(uint64_t target) {
        next_pc_ = target;
        cost_ = CostClass::BranchTaken;
    }
    void charge(CostClass c) { cost_ = c; }

    // Memory accesses by virtual address in the current translation regime.
    // Aborts are taken inside and surface as ExceptionTaken.
    template <typename T>
    T load(uint64_t va);
    template <typename T>
    void store(uint64_t va, T v);
    void load_bytes(uint64_t va, void* dst, unsigned size, unsigned flags);
    void store_bytes(uint64_t va, const void* src, unsigned size, unsigned flags);
    // A plain store of `size` (a power of two up to 64) bytes at a VA aligned
    // to it, through the speed cache as store() (DC ZVA).
    void store_aligned(uint64_t va, const void* src, unsigned size);
    // Access flags for the *_bytes forms.
    enum : unsigned {
        kAcqRel = 1u << 0,     // acquire/release: alignment always checked
        kExclusive = 1u << 1,  // exclusive: alignment always checked
        kUnpriv = 1u << 2,     // LDTR/STTR: EL0 permissions when at EL1
        kAtomicAlign = kAcqRel | kExclusive,
    };

    // Exclusives (Arm ARM B2.9): the local monitor here, the global monitor
    // shared with the other cores.
    void load_exclusive(uint64_t va, void* dst, unsigned size, unsigned flags);
    bool store_exclusive(uint64_t va, const void* src, unsigned size, unsigned flags);
    // The instruction syndrome of the single-register load/store about to
    // access memory (ISV with SAS, SSE, SRT, SF, AR), reported if it takes a
    // stage-2 Data Abort to EL2; 0 clears it.
    void set_access_syndrome(unsigned size_log2, bool sign_extend, unsigned rt, bool sf, bool acqrel) {
        access_iss_ = (1u << 24) | (size_log2 << 22) | (uint32_t(sign_extend) << 21) | (rt << 16) |
                      (uint32_t(sf) << 15) | (uint32_t(acqrel) << 14);
    }
    void clear_access_syndrome() { access_iss_ = 0; }
    void clear_exclusive() { local_monitor_.valid = false; monitor_.clear(cfg_.index); }

    // System registers with the architectural access checks and traps
    // (MRS/MSR/SYS); false means the access was UNDEFINED.
    bool sysreg_access(uint32_t encoding, bool is_read, Reg rt);

    // Exceptions (Arm ARM D1.10).
    [[noreturn]] void undefined();
    [[noreturn]] void take_exception(unsigned target_el, uint32_t ec, uint32_t iss, bool far_valid = false,
                                     uint64_t far = 0, uint64_t vector_offset = 0, bool preferred_is_next = false);
    [[noreturn]] void take_exception_next(unsigned target_el, uint32_t ec, uint32_t iss) {
        take_exception(target_el, ec, iss, false, 0, 0, true);
    }
    void exception_return();  // ERET
    // CheckFPAdvSIMDEnabled64(): every FP/SIMD instruction and FPCR/FPSR access
    // calls this first; takes the CPACR/CPTR trap if access is disabled.
    void check_fp_enabled();
    // EL that synchronous exceptions from the current EL are taken to.
    unsigned sync_target_el() const;
    void wait_for_interrupt() { stop_ = StopReason::Wfi; note_events(); }
    void wait_for_event();
    void invalidate_speed_caches();
    // While on, every load reaches SystemHooks::observed_read (none takes
    // the speed caches' fast path); a checker turns it on for short spans.
    void observe_reads(bool on) {
        if (on && !observe_reads_) invalidate_speed_caches();
        observe_reads_ = on;
    }
    SystemHooks& hooks() { return hooks_; }
    void set_trace(Trace* t) { trace_ = t ? t : &no_trace_; }
    Trace& trace() { return *trace_; }
    // ISB and exception entry/return: refetch under the current context.
    void on_context_synchronization() { refetch(); }
    // The platform's cache hierarchy (nullptr: no cache model, every access
    // goes straight to memory). Set before the core runs.
    void set_caches(cache::Hierarchy* h);
    cache::Hierarchy* caches() const { return caches_; }
    // A translation-control register changed: cached translations are stale.
    void on_translation_change() { invalidate_speed_caches(); }
    void recheck_interrupts() { note_events(); }
    uint64_t isr() const;      // ISR_EL1
    uint64_t counter() const;  // the generic counter (CNTPCT) at this core's local time
    bool el2_enabled() const { return has_el2_ && (!has_el3_ || (sr(SR::SCR_EL3) & 1)); }
    // FEAT_VHE is implemented (ID_AA64MMFR1_EL1.VH).
    bool vhe_implemented() const { return has_el2_ && cfg_.vhe; }
    // HCR_EL2.E2H is in effect (the bit is RES0 without FEAT_VHE).
    bool e2h() const { return el2_enabled() && (sr(SR::HCR_EL2) & (1ull << 34)); }
    // `el` executes in the EL2&0 regime: EL2 with E2H, EL0 with {E2H,TGE} = {1,1}.
    bool in_el20(unsigned el) const {
        return e2h() && (el == 2 || (el == 0 && (sr(SR::HCR_EL2) & (1ull << 27))));
    }
    // The SCTLR_ELx that controls `el` (SCTLR_EL2 for EL0 in the EL2&0 regime).
    uint64_t sctlr_of(unsigned el) const {
        return el == 3 ? sr(SR::SCTLR_EL3) : (el == 2 || in_el20(el)) ? sr(SR::SCTLR_EL2) : sr(SR::SCTLR_EL1);
    }
    void check_sp_alignment();  // CheckSPAlignment() for SP-based accesses

private:
    friend class CoreTestAccess;
    // A VA page whose translation and memory type are known. `host` is the
    // RAM page for accesses that go around the caches (with the caches off,
    // every RAM access), each costing `lat`; nullptr means Normal cacheable
    // memory at PA page `pa`, reached through the L1D (l1d_hit below).
    // `count` is the counter of host accesses: the hierarchy's, for a RAM
    // page accessed around the caches, else a scratch one. `tlb` is the L1D TLB entry the translation came from (serial 0: none,
    // the TLB model was not used): the entry is usable only while the TLB
    // holds it, and each use is a hit of it.
    struct SpeedEntry {
        uint64_t tag = ~0ull;   // VA page, low bits zero
        uint8_t* host = nullptr;
        uint64_t pa = 0;
        uint32_t lat = 0;
        uint64_t* count = nullptr;
        mmu::TlbModel::L1Ref tlb;
    };
    static constexpr unsigned kSpeedEntries = 256;
    struct TranslateMemo;
    struct SpeedCache {
        std::array<SpeedEntry, kSpeedEntries> rd, wr;
    };

    // The TLB side of a speed-cache hit (SpeedEntry::tlb).
    [[gnu::always_inline]] static bool speed_tlb_holds(const SpeedEntry& e) { return !e.tlb.serial || mmu::TlbModel::l1_holds(e.tlb); }
    [[gnu::always_inline]] void speed_tlb_hit(const SpeedEntry& e) {
        if (e.tlb.serial) {
            const unsigned lat = tlb_.l1_hit(false, e.tlb);
            if (lat) {
                cycles_ += lat;
                mmu_stats_.tlb_cycles += lat;
            }
        }
    }
    void fetch_slow();
    [[gnu::noinline]] void fetch_enter();
    [[gnu::noinline]] void fetch_line_miss(uint64_t pa);
    void refetch() {
        fetch_tag_ = ~0ull;
        fetch_page_va_ = ~0ull;
        fetch_fast_page_ = ~0ull;
    }
    cache::Who who() const { return cache::Who{cycles_, cfg_.index, st.pc}; }
    // An L1D hit for `size` bytes at `pa` within one line, in the state a
    // read (any valid) or write (Exclusive or Modified) needs; nullptr
    // otherwise. Counts the hit and its latency.
    [[gnu::always_inline]] uint8_t* l1d_hit(uint64_t pa, unsigned size, bool write) {
        const uint64_t off = pa & line_mask_;
        if (off + size > line_mask_ + 1) return nullptr;
        // A line found earlier, if its slot still holds pa's line exactly
        // (the tag is find_fast()'s test: an invalidated, refilled or
        // watched slot fails it); else the set is searched.
        L1dMemo& m = l1d_memo_[(pa >> l1d_line_shift_) % kL1dMemo];
        cache::Line* l = m.line;
        if (l->tag != pa - off && !(l = l1d_find(pa, m))) return nullptr;
        if (write && l->state < cache::State::Exclusive) return nullptr;
        ++l1d_->stats.hits;
        l1d_->touch(l);
        if (write) l->state = cache::State::Modified;
        cycles_ += l1d_latency_;
        return m.data + off;
    }
    // l1d_hit()'s lines found, by line address: a hint that l1d_hit()
    // checks, changing no cache state.
    struct L1dMemo {
        cache::Line* line;
        uint8_t* data;
    };
    // find_fast() in the L1D; a line found is remembered in `m`.
    cache::Line* l1d_find(uint64_t pa, L1dMemo& m);
    void clear_l1d_memo() { l1d_memo_.fill(L1dMemo{&no_line_, nullptr}); }
    // Cacheable RAM through the hierarchy, split at line boundaries.
    void cached_access(uint64_t pa, void* data, unsigned size, bool write);
    // What load() and store() do when their fast path fails. A speed-cache
    // hit on a page reached through the L1D whose line missed (or, for a
    // write, is Shared) goes to the hierarchy without translating again:
    // the slow path's translation would be a hit of the entry's L1 TLB
    // entry, as speed_tlb_hit() counts it, and every other check of
    // access_page() passed when the entry was filled and holds while it is
    // valid. With TLB tracing the slow path runs (it traces the TLB hit).
    // Everything else takes access_slow().
    void access_miss(uint64_t va, void* data, unsigned size, bool write);
    void dc_by_va(SR op, uint64_t va);
    void enter_exception(unsigned target_el, uint64_t vector_offset, uint64_t elr);
    void sys_op(SR op, SysOpKind kind, uint64_t arg);
    void enter_el(unsigned new_el);
    void account_el();
    void check_pending_interrupts();
    void access_slow(uint64_t va, void* data, unsigned size, bool write, unsigned flags);
    void access_page(uint64_t va, void* data, unsigned size, bool write, unsigned flags);
    // Translates for an access at `el` (0 for unprivileged accesses at EL1);
    // `debug` walks without touching the TLBs or statistics.
    inline mmu::Result translate(uint64_t va, mmu::AccessType type, unsigned el, bool debug = false);
    // translate() past its memo; fills `memo` (nullptr: none) with a result it may hold.
    mmu::Result translate_slow(uint64_t va, mmu::AccessType type, unsigned el, bool debug, TranslateMemo* memo);
    bool read_descriptor(uint64_t pa, uint64_t& desc, bool cacheable) override;
    void check_stale(const mmu::TranslationRegs& regs, const mmu::Translation& held, uint64_t va,
                     mmu::AccessType type, bool el0, const char* source);
    // A debugger's watchpoint on `size` bytes at `va` stops before the access.
    void check_watchpoints(uint64_t va, unsigned size, bool write);
    // A debugger watches some byte of the VA page for this direction.
    bool watched_debug_page(uint64_t page_va, bool write) const;
    bool watched_store_page(uint64_t page_pa) const {
        return dcache_.may_hold_code(page_pa) || (checker_ && checker_->watched(page_pa));
    }
    void at_op(SR op, uint64_t va);
    [[noreturn]] void data_abort(uint64_t va, const mmu::Fault& f, bool write, unsigned el, bool cm = false);
    [[noreturn]] void insn_abort(uint64_t va, const mmu::Fault& f);
    unsigned abort_target(const mmu::Fault& f) const;
    void record_stage2_fault(unsigned target, const mmu::Fault& f);
    static mmu::TlbiOp tlbi_op(SR op);
    static bool is_inner_shareable_tlbi(SR op);
    bool sysreg_trap_check(const SysRegInfo& info, bool is_read, uint32_t encoding, Reg rt);
    // The read or write itself, after the access checks (no redirection).
    void sysreg_rw(SR r, bool is_read, Reg rt);
    void sysreg_reset();
    template <bool kDebug, bool kTraceInsns>
    StopReason run_loop();

    CoreConfig cfg_;
    Trace no_trace_;
    Trace* trace_ = &no_trace_;
    MemoryPort& mem_;
    SystemHooks& hooks_;
    DecodeCache& dcache_;
    GlobalMonitor& monitor_;
    bool has_el2_, has_el3_;
    mmu::TlbModel tlb_;
    MmuStats mmu_stats_;
    // Attributes of the flat mapping (both stages off) per EL, for the
    // register state they were computed under.
    struct FlatMapping {
        bool valid = false;
        uint64_t sctlr = 0, tcr = 0, hcr = 0;
        mmu::MemAttrs data, fetch;
    };
    std::array<FlatMapping, 4> flat_{};
    mmu::StalenessChecker* checker_ = nullptr;
    uint64_t walk_latency_ = 0;
    // What the last translate() leaves for a speed-cache fill: whether its
    // result may be cached, and the L1 TLB entry a use of it must hit.
    bool speed_ok_ = false;
    uint64_t speed_host_accesses_ = 0;  // SpeedEntry::count when nothing counts them
    mmu::TlbModel::L1Ref speed_tlb_;
    bool debug_walk_ = false;  // translate(debug): descriptor reads change no cache state
    // translate()'s own speed cache: results that came from (or were just
    // filled into) an L1 TLB entry without a fault, by VA page, EL and access
    // type. While the entry is held and the translation registers are
    // unchanged, a lookup of the page hits that entry (as for SpeedEntry),
    // so translate() counts a hit of it and reuses the result. Not used
    // while the TLB trace or the staleness checker must see every lookup.
    // An entry is valid while `gen` equals translate_memo_gen_.
    struct TranslateMemo {
        uint64_t tag = ~0ull;  // VA page | EL << 2 | access type
        uint64_t gen = 0;
        mmu::TlbModel::L1Ref tlb;
        uint64_t pa = 0;  // page
        mmu::MemAttrs attrs;
    };
    static constexpr unsigned kTranslateMemoEntries = 256;
    static uint64_t translate_memo_tag(uint64_t va, mmu::AccessType type, unsigned el) {
        return (va & ~0xFFFull) | (uint64_t(el) << 2) | uint64_t(type);
    }
    std::array<TranslateMemo, kTranslateMemoEntries> translate_memo_{};
    uint64_t translate_memo_gen_ = 1;
    // The host region of the last descriptor read that went to the memory
    // system (MemoryPort::read_region; empty: start > end); dropped with the
    // speed caches, as DMI is.
    struct WalkRegion {
        uint64_t start = 1, end = 0, latency = 0;
        const uint8_t* host = nullptr;
    } walk_region_;
    // Load/store syndrome for ISV data aborts (ESR ISS[24:14]), set by the
    // single-register load/store handlers around their access.
    uint32_t access_iss_ = 0;

    std::array<uint64_t, kNumSysRegs> sysregs_{};
    std::array<SpeedCache, 4> speed_{};
    SpeedCache* cur_speed_ = &speed_[0];
    bool observe_reads_ = false;
    // The entries filled since the last invalidation, which then clears just
    // these; past kSpeedFillLog fills it clears every entry.
    static constexpr unsigned kSpeedFillLog = 128;
    std::array<SpeedEntry*, kSpeedFillLog> speed_fills_{};
    unsigned speed_fill_count_ = kSpeedFillLog + 1;  // > kSpeedFillLog: clear all
    void note_speed_fill(SpeedEntry& e) {
        if (e.tag != ~0ull) return;  // already logged since the last invalidation, or logging gave up
        if (speed_fill_count_ < kSpeedFillLog) speed_fills_[speed_fill_count_] = &e;
        if (speed_fill_count_ <= kSpeedFillLog) ++speed_fill_count_;
    }

    // Fetch: the decoded page of the current PC. `fetch_tag_` is the VA page
    // with bits [1:0] clear, so a misaligned PC or a new page takes fetch_slow().
    DecodedPage* fetch_page_ = nullptr;
    uint64_t fetch_tag_ = ~0ull;
    // With a cache model, fetch is checked per line: fetch_tag_ is then the
    // line and these remember the page (translation, attributes, RAM) and
    // the bytes of the line as the L1I holds them.
    uint64_t fetch_mask_ = ~0xFFCull;
    uint64_t fetch_page_va_ = ~0ull;
    // fetch_page_va_ when it is RAM fetched through the cache model, else
    // ~0: fetch_slow()'s common case.
    uint64_t fetch_fast_page_ = ~0ull;
    mmu::TlbModel::L1Ref fetch_tlb_;  // the L1I TLB entry of fetch_page_va_ (SpeedEntry::tlb)
    bool fetch_cacheable_ = false;
    uint8_t* fetch_host_ = nullptr;
    const uint8_t* fetch_line_ = nullptr;
    // The pages fetched from recently, so that entering one again is not a
    // translation: an entry stands for a hit of the L1I TLB entry its
    // translation came from and is kept under the speed-cache rule
    // (SpeedEntry::tlb: usable while the TLB holds that entry, each use
    // counted as a hit of it), keyed by EL as permissions differ, and
    // dropped by invalidate_speed_caches() (a new `fetch_gen_`).
    struct FetchPage {
        uint64_t tag = ~0ull;  // VA page | EL
        uint64_t gen = 0;
        DecodedPage* page = nullptr;
        uint8_t* host = nullptr;  // fetch_host_
        mmu::TlbModel::L1Ref tlb;
        bool cacheable = false;
    };
    static constexpr unsigned kFetchPages = 64;
    std::array<FetchPage, kFetchPages> fetch_pages_{};
    uint64_t fetch_gen_ = 1;
    [[gnu::noinline]] void translate_fetch_page(FetchPage& fp, uint64_t page_va);
    // Makes `fp` the page fetched from; `page_va` (~0: none) is kept while
    // the PC stays in it.
    void enter_fetch_page(const FetchPage& fp, uint64_t page_va) {
        // Decodes made from L1I lines do not follow memory, those of
        // uncached fetches do not follow the L1I: a change of kind starts over.
        if (caches_ && fp.cacheable != fetch_cacheable_) dcache_.invalidate_all();
        fetch_cacheable_ = fp.cacheable;
        set_fetch_page(fp, page_va);
    }
    // enter_fetch_page() for a page of the current cacheability.
    void set_fetch_page(const FetchPage& fp, uint64_t page_va) {
        fetch_page_ = fp.page;
        fetch_page_va_ = page_va;
        fetch_tlb_ = fp.tlb;
        fetch_host_ = fp.host;
        fetch_fast_page_ = fp.host ? page_va : ~0ull;  // fp.host is set only with a cache model
    }
    // The L1I lines entered recently, by PA, so that entering one again
    // skips the set search; usable while the line still has that tag.
    struct FetchLine {
        uint64_t pa = ~0ull;  // the line's PA
        cache::Line* line = nullptr;
        const uint8_t* data = nullptr;
    };
    static constexpr unsigned kFetchLines = 64;
    std::array<FetchLine, kFetchLines> fetch_lines_{};

    cache::Hierarchy* caches_ = nullptr;
    cache::Cache* l1d_ = nullptr;
    // l1d_hit()'s memo; no_line_ (matching no address) in unused entries.
    cache::Line no_line_;
    static constexpr unsigned kL1dMemo = 16;
    std::array<L1dMemo, kL1dMemo> l1d_memo_;
    unsigned l1d_line_shift_ = 6;
    cache::Cache* l1i_ = nullptr;
    uint32_t l1i_latency_ = 0;
    uint64_t line_mask_ = 63;
    uint32_t l1d_latency_ = 0, around_latency_ = 0;
    unsigned dview_ = 0;  // this core's view of the decode cache

    uint64_t next_pc_ = 0;
    uint32_t cur_insn_ = 0;  // for the `insn` trace only (run_loop<*, true>)
    CostClass cost_ = CostClass::Alu;

    uint64_t cycles_ = 0, icount_ = 0;
    uint64_t el_mark_cycles_ = 0, el_mark_insns_ = 0;
    // Exceptions taken since the last retired instruction: a guest whose
    // vectors fault again forever is stopped (kMaxExceptionStreak).
    static constexpr unsigned kMaxExceptionStreak = 10000;
    uint64_t exc_mark_insns_ = ~0ull;
    unsigned exc_streak_ = 0;
    CoreStats stats_;

    struct LocalMonitor {
        bool valid = false;
        uint64_t pa = 0;
        unsigned size = 0;
    } local_monitor_;

    // Something for the run loop's slow check. The loop makes one compare per
    // instruction, cycles_ < loop_limit_, which is run_limit_ or, while
    // events_ is set, 0: every write of either keeps it so.
    bool events_ = false;
    uint64_t loop_limit_ = 0;
    void note_events() {
        events_ = true;
        loop_limit_ = 0;
    }
    bool irq_line_ = false, fiq_line_ = false;
    bool virq_line_ = false, vfiq_line_ = false;
    bool serror_pending_ = false;
    InterruptController* gic_ = nullptr;
    TimerInterface* timer_ = nullptr;
    Pmu* pmu_ = nullptr;
    uint64_t run_limit_ = 0;  // run()'s cycle limit, lowered by end_run_at()
    bool event_register_ = false;
    bool halted_ = false;
    StopReason stop_ = StopReason::Budget;
    bool stop_requested_ = false;
    DebugControl* debug_ = nullptr;  // a debugger's breakpoints and step (run_loop<true>)

    friend void decode_and_execute(Core&, uint32_t);
};

// --- fast paths ---------------------------------------------------------------

inline mmu::Result Core::translate(uint64_t va, mmu::AccessType type, unsigned el, bool debug) {
    TranslateMemo* memo = nullptr;
    if (!debug && cfg_.tlb_model && cfg_.speed_cache && !checker_ && !trace_->on(Trace::kTlb)) {
        memo = &translate_memo_[((va >> 12) ^ (uint64_t(type) << 6)) % kTranslateMemoEntries];
        if (memo->tag == translate_memo_tag(va, type, el) && memo->gen == translate_memo_gen_ &&
            mmu::TlbModel::l1_holds(memo->tlb)) {
            // What translate_slow() does on an L1 TLB hit of the entry: no
            // trace, no checker, the same (fault-free) permission check and result.
            const unsigned lat = tlb_.l1_hit(type == mmu::AccessType::Fetch, memo->tlb);
            cycles_ += lat;
            mmu_stats_.tlb_cycles += lat;
            speed_ok_ = true;
            speed_tlb_ = memo->tlb;
            mmu::Result res;
            res.pa = memo->pa | (va & 0xFFF);
            res.attrs = memo->attrs;
            return res;
        }
    }
    return translate_slow(va, type, el, debug, memo);
}

inline bool Core::condition_holds(uint32_t cond) const {
    const PState& p = st.pstate;
    bool r;
    switch (cond >> 1) {
    case 0: r = p.z; break;                       // EQ/NE
    case 1: r = p.c; break;                       // CS/CC
    case 2: r = p.n; break;                       // MI/PL
    case 3: r = p.v; break;                       // VS/VC
    case 4: r = p.c && !p.z; break;               // HI/LS
    case 5: r = p.n == p.v; break;                // GE/LT
    case 6: r = p.n == p.v && !p.z; break;        // GT/LE
    default: return true;                         // AL/NV: always
    }
    return (cond & 1) ? !r : r;
}

template <typename T>
[[gnu::always_inline]] inline T Core::load(uint64_t va) {
    const SpeedEntry& e = cur_speed_->rd[(va >> 12) % kSpeedEntries];
    T v;
    // An unaligned VA never matches the tag (its low bits are clear), so the
    // slow path decides on alignment faults per memory type.
    if (e.tag == (va & (~0xFFFull | (sizeof(T) - 1))) && speed_tlb_holds(e)) {
        if (e.host) {
            std::memcpy(&v, e.host + (va & 0xFFF), sizeof(T));
            cycles_ += e.lat;
            ++*e.count;
            speed_tlb_hit(e);
            return v;
        }
        if (const uint8_t* p = l1d_hit(e.pa | (va & 0xFFF), sizeof(T), false)) {
            std::memcpy(&v, p, sizeof(T));
            speed_tlb_hit(e);
            return v;
        }
    }
    access_miss(va, &v, sizeof(T), false);
    return v;
}

template <typename T>
[[gnu::always_inline]] inline void Core::store(uint64_t va, T v) {
    const SpeedEntry& e = cur_speed_->wr[(va >> 12) % kSpeedEntries];
    if (e.tag == (va & (~0xFFFull | (sizeof(T) - 1))) && !monitor_.armed() && speed_tlb_holds(e)) {
        if (e.host) {
            std::memcpy(e.host + (va & 0xFFF), &v, sizeof(T));
            cycles_ += e.lat;
            ++*e.count;
            speed_tlb_hit(e);
            return;
        }
        if (uint8_t* p = l1d_hit(e.pa | (va & 0xFFF), sizeof(T), true)) {
            std::memcpy(p, &v, sizeof(T));
            speed_tlb_hit(e);
            return;
        }
    }
    access_miss(va, &v, sizeof(T), true);
}

}  // namespace hvsim::cpu
