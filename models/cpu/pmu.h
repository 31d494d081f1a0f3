// The Performance Monitors Extension of one core, ARMv8.0 PMUv3
// (FEAT_PMUv3; Arm ARM D5.10 / D7 "The Performance Monitors Extension" and
// the PM* register descriptions): PMCR.N event counters of 32 bits, the
// 64-bit cycle counter, EL filtering, overflow status and the overflow
// interrupt (a level, wired by the platform to PPI 7 as on QEMU virt).
//
// Events are not counted per instruction. The PMU samples raw totals the
// core and its memory-system models keep anyway (cycles, instructions,
// cache and TLB statistics) and folds the difference since the previous
// sample into the counters that count in the current EL and security state
// (sync()). It samples before any PMU register access, before a write of
// MDCR_EL2/MDCR_EL3/SCR_EL3 (which change what counts), at every exception
// entry and return while some counter is enabled, and at the end of each run
// slice; next_event_cycle() ends a run slice where a counter may overflow.
// With no counter enabled the per-instruction path does nothing.
#pragma once

#include <array>
#include <cstdint>
#include <functional>

#include "sysregs.h"

namespace hvsim::cpu {

class Core;

// The event numbers implemented (Arm ARM D7.10 "PMU events and event numbers").
namespace pmu_event {
constexpr unsigned SW_INCR = 0x00, L1I_CACHE_REFILL = 0x01, L1I_TLB_REFILL = 0x02, L1D_CACHE_REFILL = 0x03,
                   L1D_CACHE = 0x04, L1D_TLB_REFILL = 0x05, INST_RETIRED = 0x08, EXC_TAKEN = 0x09,
                   EXC_RETURN = 0x0A, CPU_CYCLES = 0x11, L1I_CACHE = 0x14, L2D_CACHE = 0x16,
                   L2D_CACHE_REFILL = 0x17, L2D_TLB_REFILL = 0x2D, L2D_TLB = 0x2F;
}

struct PmuConfig {
    unsigned counters = 6;  // PMCR_EL0.N (1-31)
    // Which event sources exist (PMCEID0/1_EL0 advertise exactly these).
    bool caches = false;    // L1I/L1D events
    bool l2_cache = false;  // L2D_CACHE, L2D_CACHE_REFILL
    bool tlb = false;       // L1I/L1D TLB refills
    bool l2_tlb = false;    // L2D_TLB, L2D_TLB_REFILL
};

class Pmu {
public:
    using Output = std::function<void(bool level)>;
    explicit Pmu(const PmuConfig& cfg);

    const PmuConfig& config() const { return cfg_; }
    void set_output(Output out) { out_ = std::move(out); }
    bool irq_level() const { return level_; }
    // Whether `event` is implemented (a PMCEID bit).
    bool implements(unsigned event) const;

    // A PM* register access after the core's access checks (sysregs.inc).
    uint64_t read(Core& core, SR r);
    void write(Core& core, SR r, uint64_t v);
    // The access checks in the order of the Arm ARM's pseudocode for the
    // PM* registers: 0 = allowed, 1-3 = trap (EC 0x18) to that EL, -1 =
    // UNDEFINED (a counter that does not exist or is reserved for EL2).
    int access_check(const Core& core, SR r, bool is_read) const;

    // Some counter is enabled: the core reports exceptions.
    bool active() const { return active_; }
    // Exception entry and return, before the EL changes: the event belongs
    // to the EL it leaves.
    void on_exception(Core& core);
    void on_exception_return(Core& core);
    // After the EL changed: ends the run slice where a counter that counts
    // at the new EL may overflow.
    void on_el_entered(Core& core);
    // Before a register that changes what counts (MDCR_ELx, SCR_EL3) is written.
    void sync(Core& core);
    // End of a run slice: folds events in, drives the interrupt.
    void update(Core& core) { sync(core); }
    // The first core cycle count at which a counter may overflow (~0: none).
    uint64_t next_event_cycle(const Core& core) const;
    // Warm reset (power-on, PSCI CPU_ON).
    void reset(Core& core);

    // Register state, for tests.
    uint64_t event_counter(unsigned n) const { return evcnt_[n]; }
    uint64_t cycle_counter() const { return ccnt_; }
    uint32_t overflow_status() const { return ovs_; }

private:
    enum Src : unsigned {
        kCycles, kInsns, kExcTaken, kExcReturn, kL1iRefill, kL1iAccess, kL1dRefill, kL1dAccess, kL1iTlbRefill,
        kL1dTlbRefill, kL2dAccess, kL2dRefill, kL2TlbRefill, kL2TlbAccess, kNumSrc
    };
    using Sample = std::array<uint64_t, kNumSrc>;
    static constexpr uint32_t kCycleBit = 1u << 31;

    void sample(Core& core, Sample& s) const;
    static int source_of(unsigned event);
    // The counters EL0/EL1 see when EL2 is enabled (MDCR_EL2.HPMN), else N.
    unsigned accessible(const Core& core) const;
    unsigned hpmn(const Core& core) const;
    uint32_t implemented_mask() const { return ((1u << cfg_.counters) - 1) | kCycleBit; }
    uint32_t visible_mask(const Core& core) const;
    // PMCR.E or MDCR_EL2.HPME, whichever governs counter n (31: the cycle counter).
    bool globally_enabled(const Core& core, unsigned n) const;
    bool filtered(const Core& core, uint64_t filter) const;
    bool prohibited(const Core& core) const;
    void add(unsigned n, uint64_t delta);
    void add_cycles(uint64_t cycles);
    void recompute(Core& core);
    void drive(Core& core);

    PmuConfig cfg_;
    Output out_;
    bool level_ = false, active_ = false;
    uint64_t pmcr_ = 0;  // E, D, DP, LC (P and C are write-only actions)
    uint32_t cnten_ = 0, inten_ = 0, ovs_ = 0;
    uint64_t selr_ = 0, userenr_ = 0, ccfiltr_ = 0;
    std::array<uint64_t, 31> evtyper_{}, evcnt_{};
    uint64_t ccnt_ = 0;
    unsigned ccnt_div_ = 0;  // PMCR.D: cycles since the last increment (0-63)
    uint64_t own_exc_ = 0, own_eret_ = 0;
    Sample last_{};
    uint64_t last_cycle_ = 0;  // the core's cycle count at the last sample
};

}  // namespace hvsim::cpu
