#include "redistributor.h"

#include "gic.h"

namespace hvsim::gic {

Redistributor::Redistributor(Gic& gic, unsigned core, uint32_t affinity, bool last, bool reset_group1, bool lpis,
                             const MemAccess* mem, bool v4)
    : gic_(gic), core_(core), lpis_(mem), vlpis_(mem) {
    for (unsigned i = 0; i < kNumPrivate; ++i) {
        irqs_[i].group1 = reset_group1;
        irqs_[i].edge = i < 16;  // SGIs edge-triggered; PPIs level-sensitive at reset
    }
    // ---- RD_base ----
    // CTLR: EnableLPIs [0] (RES0 without LPIs); RWP and UWP read 0, no DPG
    // support.
    if (lpis)
        rd_.add("GICR_CTLR", 0x0000).on_read([this] { return uint32_t(lpis_.enabled()); }).on_write([this](uint32_t v) {
            lpis_.set_enabled(v & 1);
            gic_.update();
        });
    else
        rd_.add("GICR_CTLR", 0x0000, 0).read_only();
    rd_.add("GICR_IIDR", 0x0004, 0).read_only();
    // TYPER (64 bits): Affinity_Value in [63:32], Processor_Number [23:8],
    // Last [4], PLPIS [0] with LPIs, VLPIS [1] with GICv4 (which also tells
    // software the stride is four frames); DirectLPI, DPGS, CommonLPIAff = 0.
    rd_.add("GICR_TYPER_LO", 0x0008, (core << 8) | (uint32_t(last) << 4) | (uint32_t(v4) << 1) | uint32_t(lpis))
        .read_only();
    rd_.add("GICR_TYPER_HI", 0x000C, affinity).read_only();
    rd_.add("GICR_STATUSR", 0x0010, 0).read_only();
    // WAKER: ChildrenAsleep follows ProcessorSleep at once (the handshake
    // completes immediately).
    rd_.add("GICR_WAKER", 0x0014).on_read([this] { return waker_; }).on_write([this](uint32_t v) {
        waker_ = (v & kWakerProcessorSleep) ? (kWakerProcessorSleep | kWakerChildrenAsleep) : 0;
        gic_.update();
    });
    if (lpis) {
        // PROPBASER (0x70) and PENDBASER (0x78), 64 bits as two words.
        auto half = [this](const char* name, uint32_t off, bool prop, bool hi) {
            rd_.add(name, off)
                .on_read([this, prop, hi] {
                    // PENDBASER.PTZ reads as zero.
                    const uint64_t v = prop ? lpis_.propbaser() : lpis_.pendbaser() & ~LpiTables::kPtz;
                    return static_cast<uint32_t>(hi ? v >> 32 : v);
                })
                .on_write([this, prop, hi](uint32_t w) {
                    uint64_t v = prop ? lpis_.propbaser() : lpis_.pendbaser() & ~LpiTables::kPtz;
                    v = hi ? (v & 0xFFFFFFFFull) | (uint64_t(w) << 32) : (v & ~0xFFFFFFFFull) | w;
                    if (prop) lpis_.write_propbaser(v);
                    else lpis_.write_pendbaser(v);
                });
        };
        half("GICR_PROPBASER_LO", 0x70, true, false);
        half("GICR_PROPBASER_HI", 0x74, true, true);
        half("GICR_PENDBASER_LO", 0x78, false, false);
        half("GICR_PENDBASER_HI", 0x7C, false, true);
    }
    if (v4) {
        // VLPI_base: VPROPBASER (0x70), VPENDBASER (0x78), 64 bits as two words.
        auto half = [this](const char* name, uint32_t off, bool prop, bool hi) {
            vlpi_.add(name, off)
                .on_read([this, prop, hi] {
                    const uint64_t v = prop ? vlpis_.propbaser() : read_vpendbaser();
                    return static_cast<uint32_t>(hi ? v >> 32 : v);
                })
                .on_write([this, prop, hi](uint32_t w) {
                    uint64_t v = prop ? vlpis_.propbaser() : read_vpendbaser();
                    v = hi ? (v & 0xFFFFFFFFull) | (uint64_t(w) << 32) : (v & ~0xFFFFFFFFull) | w;
                    if (prop) vlpis_.write_propbaser(v);
                    else write_vpendbaser(v);
                });
        };
        half("GICR_VPROPBASER_LO", 0x70, true, false);
        half("GICR_VPROPBASER_HI", 0x74, true, true);
        half("GICR_VPENDBASER_LO", 0x78, false, false);
        half("GICR_VPENDBASER_HI", 0x7C, false, true);
    }
    // PIDR2.ArchRev: 3 (GICv3) or 4 (GICv4).
    rd_.add("GICR_PIDR2", 0xFFE8, v4 ? 0x4B : 0x3B).read_only();
    static constexpr uint32_t kCidr[] = {0x0D, 0xF0, 0x05, 0xB1};
    for (unsigned i = 0; i < 4; ++i) rd_.add("GICR_CIDR" + std::to_string(i), 0xFFF0 + 4 * i, kCidr[i]).read_only();
    // ---- SGI_base ----
    declare_irq_registers(
        sgi_, kNumPrivate, [this](unsigned intid) -> IrqState* { return intid < kNumPrivate ? &irqs_[intid] : nullptr; },
        [this] { gic_.update(); }, [this, core](unsigned intid) { gic_.note_ispendr(int(core), intid); });
}

uint64_t Redistributor::read_vpendbaser() const {
    // Dirty reads 0: the redistributor finishes (de)scheduling at the write.
    return vlpis_.pendbaser() | (resident() ? kVpendValid : 0) | (idai_ ? kVpendIdai : 0) |
           (pending_last_ && !resident() ? kVpendPendingLast : 0);
}

void Redistributor::write_vpendbaser(uint64_t v) {
    const bool valid = v & kVpendValid;
    if (valid && resident()) return;  // rewriting a resident vPE's VPENDBASER: UNPREDICTABLE, ignored
    if (valid) {
        // Scheduling: the VPT is read (no PTZ in GICv4.0); its first 1 KiB
        // (INTIDs below 8192) is not.
        vlpis_.write_pendbaser(v & LpiTables::kPendMask & ~LpiTables::kPtz);
        idai_ = v & kVpendIdai;
        vlpis_.set_enabled(true);
    } else if (resident()) {
        // Descheduling: the pending state is already in the VPT; PendingLast
        // says whether a pending vLPI was enabled (IHI 0069 GICR_VPENDBASER).
        bool any = false;
        for (uint32_t id : vlpis_.pending_set()) any = any || (vlpis_.config(id) & 1);
        pending_last_ = any;
        vlpis_.set_enabled(false);
        vlpis_.write_pendbaser(v & LpiTables::kPendMask & ~LpiTables::kPtz);
    } else {
        vlpis_.write_pendbaser(v & LpiTables::kPendMask & ~LpiTables::kPtz);
        pending_last_ = v & kVpendPendingLast;
        idai_ = v & kVpendIdai;
    }
    gic_.vlpi_changed(core_);
}

}  // namespace hvsim::gic
