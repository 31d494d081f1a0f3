// A GICv3 (IHI 0069) as on QEMU's virt board: the distributor, one
// redistributor and one CPU interface per core, composed here. This file
// owns what joins them: the interrupt inputs (SPIs, PPIs), the highest
// priority pending interrupt of each core, SPI routing (affinity or 1-of-N),
// SGI delivery, and the cores' IRQ/FIQ outputs.
//
// The virtual CPU interfaces (virtual_cpu_interface.h) are composed here
// too: ICH_* accesses, ICV_* routing of EL1 ICC_* accesses under
// HCR_EL2.IMO/FMO, the virtual IRQ/FIQ outputs and the maintenance
// interrupt (PPI 9, INTID 25).
//
// LPIs (GicConfig::lpis): each redistributor's tables (lpi.h) are read
// through `set_memory_access`; the ITS (models/its) makes LPIs pending and
// invalidates the redistributors' configuration caches through the calls
// below. Not modelled (see README.md): two security states.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cpu_interface.h"
#include "models/common/trace.h"
#include "distributor.h"
#include "models/cpu/interrupt_controller.h"
#include "redistributor.h"
#include "virtual_cpu_interface.h"

namespace hvsim::gic {

struct GicConfig {
    unsigned num_spis = 256;            // INTIDs 32..32+num_spis-1; a multiple of 32, at most 960
    std::vector<uint32_t> affinities;   // per core: Aff3<<24 | Aff2<<16 | Aff1<<8 | Aff0
    // Interrupts reset to Group 1, as QEMU does when it boots a guest below
    // EL3 (its boot loader stands in for the Secure firmware that would).
    bool reset_group1 = true;
    // LPIs: GICD_TYPER.LPIS = 1, IDbits = 16, GICR_TYPER.PLPIS = 1 and the
    // redistributors' PROPBASER/PENDBASER (needs set_memory_access).
    bool lpis = false;
    // The redistributors' LPI configuration caches (lpi.h).
    LpiCaching lpi_caching = LpiCaching::Lazy;
    unsigned lpi_cache_entries = 256;
    // GICv4.0 (needs lpis): PIDR2.ArchRev = 4, GICR_TYPER.VLPIS = 1, the
    // redistributors' VLPI frames (stride 0x40000), ICH_VTR_EL2.nV4 = 0 and
    // direct injection of the resident vPE's vLPIs.
    bool v4 = false;
};

// Interrupt classes for the statistics.
enum class IrqClass { Sgi, Ppi, Spi, Lpi };
constexpr unsigned kNumIrqClasses = 4;
const char* irq_class_name(IrqClass c);
IrqClass irq_class(unsigned intid);

struct IrqLifeStats {
    uint64_t pending = 0, activated = 0, eoi = 0, deactivated = 0;
};

struct GicStats {
    uint64_t acknowledged = 0, spurious = 0, sgis_sent = 0;
    IrqLifeStats by_class[kNumIrqClasses];
    IrqLifeStats virtual_irqs;  // through the list registers
    IrqLifeStats vlpis;         // GICv4 direct injection (no active state: no deactivation)
    uint64_t doorbells = 0;     // vLPIs for a non-resident vPE that rang its doorbell
};

// Where a vLPI made pending went (Gic::set_vlpi_pending).
enum class VlpiDelivery { Resident, Table, Doorbell, Dropped };

class Gic : public cpu::InterruptController {
public:
    // The core's interrupt lines (level): IRQ for Group 1, FIQ for Group 0.
    using Output = std::function<void(bool irq, bool fiq)>;

    explicit Gic(const GicConfig& cfg);
    ~Gic() override;

    unsigned num_cores() const { return static_cast<unsigned>(cpus_.size()); }
    void set_output(unsigned core, Output out) { outputs_.at(core).fn = std::move(out); }
    // The core's virtual interrupt lines, driven by its virtual CPU interface.
    void set_virtual_output(unsigned core, Output out) { voutputs_.at(core).fn = std::move(out); }

    // ---- interrupt inputs (level) ------------------------------------------
    void set_spi(unsigned n, bool level);               // INTID 32 + n
    void set_ppi(unsigned core, unsigned n, bool level); // INTID 16 + n

    // ---- LPIs ----------------------------------------------------------------
    // The bus path for the LPI property and pending tables (the platform
    // issues TLM transactions; tests give a host buffer).
    void set_memory_access(MemAccess mem) { mem_ = std::move(mem); }
    // Whether the LPI table accesses are coherent with the CPU caches (see
    // LpiTables::set_tables_coherent).
    void set_tables_coherent(bool coherent);
    // Makes LPI `intid` pending (or not) at `core`'s redistributor; ignored
    // when LPIs are disabled there or `intid` is outside its tables.
    void set_lpi_pending(unsigned core, uint32_t intid, bool pending);
    bool lpi_pending(unsigned core, uint32_t intid) const { return redists_.at(core)->lpis().pending(intid); }
    // INV and INVALL as the ITS forwards them: `core`'s redistributor drops
    // its cached configuration of `intid` (or of every LPI) and re-reads it.
    // Returns the number of cached configuration bytes dropped.
    unsigned invalidate_lpi(unsigned core, uint32_t intid);
    unsigned invalidate_all_lpis(unsigned core);
    // The ITS protocol checker's view of the LPI configuration protocol.
    void set_lpi_observer(LpiObserver* obs);

    // ---- GICv4 virtual LPIs (IHI 0069 chapter 5.4 and 6) ---------------------
    bool v4() const { return cfg_.v4; }
    // vLPI `vintid` of the vPE whose virtual pending table is at `vpt`
    // (`vpt_bits` vINTID bits), mapped to `core`'s redistributor: pending in
    // the resident vPE (signalled through the virtual CPU interface), or
    // written to the VPT in memory, and then, when `doorbell` is not 1023,
    // the physical doorbell LPI made pending at `core` (GICv4.0 doorbells).
    VlpiDelivery set_vlpi_pending(unsigned core, uint64_t vpt, unsigned vpt_bits, uint32_t vintid, bool pending,
                                  uint32_t doorbell = kSpurious);
    bool vlpi_pending(unsigned core, uint64_t vpt, uint32_t vintid);
    // INV / VINVALL of the vPE's cached vLPI configuration (when resident
    // on `core`); the number of bytes dropped.
    unsigned invalidate_vlpi(unsigned core, uint64_t vpt, uint32_t vintid);
    unsigned invalidate_all_vlpis(unsigned core, uint64_t vpt);
    // The redistributor's VPENDBASER/VPROPBASER changed.
    void vlpi_changed(unsigned core);

    // ---- observability ---------------------------------------------------------
    // The `gic` trace category: each interrupt's life. Events caused by a
    // core's system register access carry its cycle count; the others (lines,
    // MSIs) the simulated time from `now_ns`.
    void set_trace(Trace* trace, std::function<uint64_t()> now_ns) { trace_ = trace, now_ns_ = std::move(now_ns); }
    // `intid` made pending by a GICD_ISPENDR (core < 0: an SPI, told to the
    // core it is routed to) or GICR_ISPENDR0 write.
    void note_ispendr(int core, unsigned intid);
    // A priority drop (ICC_EOIR0/1_EL1) of `intid` by `core`'s CPU interface.
    void note_eoi(unsigned core, unsigned intid);

    // ---- memory-mapped frames; false: nothing there (RAZ/WI) ----------------
    bool distributor_access(uint64_t offset, uint8_t* data, unsigned len, bool write);
    // `offset` in the redistributor region (0x20000 per core).
    bool redistributor_access(uint64_t offset, uint8_t* data, unsigned len, bool write);
    uint64_t redistributor_stride() const { return cfg_.v4 ? Redistributor::kSizeV4 : Redistributor::kSize; }
    uint64_t redistributor_region_size() const { return redistributor_stride() * num_cores(); }

    // ---- cpu::InterruptController --------------------------------------------
    uint64_t read_sysreg(cpu::Core& core, cpu::SR r) override;
    void write_sysreg(cpu::Core& core, cpu::SR r, uint64_t v) override;
    bool traps_to_el2(cpu::Core& core, cpu::SR r) override;
    // Whether an ICC_* access by `core` reaches the virtual CPU interface
    // (ICV_*): at EL1 with EL2 enabled, TGE = 0 and HCR_EL2.IMO (Group 1
    // registers), FMO (Group 0) or either (CTLR, PMR, RPR, DIR).
    static bool virtual_access(const cpu::Core& core, cpu::SR r);

    // ---- the parts, and what joins them --------------------------------------
    Distributor& distributor() { return *dist_; }
    Redistributor& redistributor(unsigned core) { return *redists_.at(core); }
    CpuInterface& cpu_interface(unsigned core) { return *cpus_.at(core); }
    VirtualCpuInterface& virtual_cpu_interface(unsigned core) { return *vcpus_.at(core); }
    const GicStats& stats() const { return stats_; }

    struct Pending {
        unsigned intid = kSpurious;
        uint8_t prio = 0xFF;
        bool group1 = false;
    };
    // The highest priority pending interrupt that `core` may take: enabled,
    // pending and not active, its group enabled in the distributor and the
    // CPU interface, SPIs routed to this core; the lowest INTID wins ties.
    // PMR and the running priority are not applied (HPPIR semantics).
    Pending highest_pending(unsigned core) const;
    // The core an SPI is delivered to (-1: none): by IROUTER affinity, or
    // with IRM = 1 the first awake core whose CPU interface enables its group.
    int spi_target(unsigned n) const;
    // Acknowledge (pending -> active) and deactivation of `intid` for `core`.
    void activate(unsigned core, unsigned intid);
    void deactivate(unsigned core, unsigned intid);
    // ICC_SGI0R_EL1/ICC_SGI1R_EL1 from `core`.
    void send_sgi(unsigned core, uint64_t value, bool group1);
    // Recomputes every core's IRQ/FIQ output after a state change.
    void update();
    // Recomputes `core`'s virtual IRQ/FIQ and maintenance interrupt levels
    // after a change of its virtual CPU interface.
    void update_virtual(unsigned core);

private:
    IrqState* irq(unsigned core, unsigned intid);
    bool tracing() const { return trace_ && trace_->on(Trace::kGic); }
    void trace_event(unsigned core, const std::string& what);
    void note_pending(unsigned core, unsigned intid, const char* how);
    void note_virtual(unsigned core, const uint64_t (&before)[4]);
    VirtualCpuInterface::DirectVlpi highest_vlpi(unsigned core);
    void acknowledge_vlpi(unsigned core, uint32_t vintid);
    bool resident_at(unsigned core, uint64_t vpt) const;

    GicConfig cfg_;
    MemAccess mem_;  // before the redistributors, which keep its address
    std::unique_ptr<Distributor> dist_;
    std::vector<std::unique_ptr<Redistributor>> redists_;
    std::vector<std::unique_ptr<CpuInterface>> cpus_;
    std::vector<std::unique_ptr<VirtualCpuInterface>> vcpus_;
    struct Line {
        Output fn;
        bool irq = false, fiq = false;
    };
    std::vector<Line> outputs_, voutputs_;  // physical; virtual (irq = vIRQ, fiq = vFIQ)
    std::vector<uint8_t> maintenance_;       // the maintenance PPI level per core
    GicStats stats_;
    LpiObserver* obs_ = nullptr;
    Trace* trace_ = nullptr;
    std::function<uint64_t()> now_ns_;
    const cpu::Core* accessing_ = nullptr;  // the core whose sysreg access is being handled
};

}  // namespace hvsim::gic
