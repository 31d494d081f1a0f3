#include "irq_state.h"

namespace hvsim::gic {

namespace {
// One bit per interrupt: the 32 interrupts of register `i`.
uint32_t gather(const IrqLookup& irq, unsigned i, const std::function<bool(const IrqState&)>& get) {
    uint32_t v = 0;
    for (unsigned b = 0; b < 32; ++b)
        if (const IrqState* s = irq(32 * i + b); s && get(*s)) v |= 1u << b;
    return v;
}
void scatter(const IrqLookup& irq, unsigned i, uint32_t v, const std::function<void(IrqState&, bool)>& set) {
    for (unsigned b = 0; b < 32; ++b)
        if (IrqState* s = irq(32 * i + b)) set(*s, (v >> b) & 1);
}
}  // namespace

void declare_irq_registers(dev::RegisterBank& bank, unsigned count, IrqLookup irq, std::function<void()> changed,
                           std::function<void(unsigned intid)> set_pending) {
    const unsigned words = (count + 31) / 32;
    auto bitmap = [&](const char* set_name, uint32_t set_off, const char* clr_name, uint32_t clr_off,
                      std::function<bool(const IrqState&)> get, std::function<void(IrqState&, bool)> put) {
        auto rd = [irq, get](unsigned i) { return gather(irq, i, get); };
        bank.add_array(set_name, set_off, words).on_read(rd).on_write([irq, put, changed](unsigned i, uint32_t v) {
            scatter(irq, i, v, [&](IrqState& s, bool b) {
                if (b) put(s, true);
            });
            changed();
        });
        if (!clr_name) return;
        bank.add_array(clr_name, clr_off, words).on_read(rd).on_write([irq, put, changed](unsigned i, uint32_t v) {
            scatter(irq, i, v, [&](IrqState& s, bool b) {
                if (b) put(s, false);
            });
            changed();
        });
    };
    // IGROUPR is a plain read/write bitmap.
    bank.add_array("IGROUPR", 0x080, words)
        .on_read([irq](unsigned i) { return gather(irq, i, [](const IrqState& s) { return s.group1; }); })
        .on_write([irq, changed](unsigned i, uint32_t v) {
            scatter(irq, i, v, [](IrqState& s, bool b) { s.group1 = b; });
            changed();
        });
    bitmap("ISENABLER", 0x100, "ICENABLER", 0x180, [](const IrqState& s) { return s.enabled; },
           [](IrqState& s, bool b) { s.enabled = b; });
    // ICPENDR clears the latch only: a level-sensitive interrupt whose line
    // is asserted stays pending.
    auto pending = [](const IrqState& s) { return s.pending(); };
    bank.add_array("ISPENDR", 0x200, words)
        .on_read([irq, pending](unsigned i) { return gather(irq, i, pending); })
        .on_write([irq, changed, set_pending](unsigned i, uint32_t v) {
            for (unsigned b = 0; b < 32; ++b) {
                IrqState* s = irq(32 * i + b);
                if (!s || !((v >> b) & 1)) continue;
                const bool was = s->pending();
                s->latch = true;
                if (!was && set_pending) set_pending(32 * i + b);
            }
            changed();
        });
    bank.add_array("ICPENDR", 0x280, words)
        .on_read([irq, pending](unsigned i) { return gather(irq, i, pending); })
        .on_write([irq, changed](unsigned i, uint32_t v) {
            scatter(irq, i, v, [&](IrqState& s, bool b) {
                if (b) s.latch = false;
            });
            changed();
        });
    bitmap("ISACTIVER", 0x300, "ICACTIVER", 0x380, [](const IrqState& s) { return s.active; },
           [](IrqState& s, bool b) { s.active = b; });
    // IPRIORITYR: one byte per interrupt, byte accessible.
    bank.add_array("IPRIORITYR", 0x400, count / 4)
        .byte_access()
        .on_read([irq](unsigned i) {
            uint32_t v = 0;
            for (unsigned b = 0; b < 4; ++b)
                if (const IrqState* s = irq(4 * i + b)) v |= uint32_t(s->prio) << (8 * b);
            return v;
        })
        .on_write([irq, changed](unsigned i, uint32_t v) {
            for (unsigned b = 0; b < 4; ++b)
                if (IrqState* s = irq(4 * i + b)) s->prio = static_cast<uint8_t>(v >> (8 * b));
            changed();
        });
    // ICFGR: two bits per interrupt, bit 1 of each field is "edge".
    bank.add_array("ICFGR", 0xC00, count / 16)
        .on_read([irq](unsigned i) {
            uint32_t v = 0;
            for (unsigned b = 0; b < 16; ++b)
                if (const IrqState* s = irq(16 * i + b); s && s->edge) v |= 2u << (2 * b);
            return v;
        })
        .on_write([irq, changed](unsigned i, uint32_t v) {
            for (unsigned b = 0; b < 16; ++b) {
                const unsigned intid = 16 * i + b;
                if (intid < 16) continue;  // SGIs: always edge-triggered
                if (IrqState* s = irq(intid)) s->edge = (v >> (2 * b + 1)) & 1;
            }
            changed();
        });
    // With a single security state IGRPMODR and NSACR are RAZ/WI: reserved
    // offsets already read as zero.
}

}  // namespace hvsim::gic
