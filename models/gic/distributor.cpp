#include "distributor.h"

#include "gic.h"
#include "lpi.h"

namespace hvsim::gic {

Distributor::Distributor(Gic& gic, unsigned num_spis, bool reset_group1, bool lpis, bool v4)
    : gic_(gic), spis_(num_spis), irouter_(num_spis, 0) {
    for (IrqState& s : spis_) s.group1 = reset_group1;
    regs_.add("GICD_CTLR", 0x0000).on_read([this] { return ctlr_; }).on_write([this](uint32_t v) {
        // ARE and DS are RAO/WI; RWP reads 0: writes take effect at once.
        ctlr_ = (v & (kCtlrEnableGrp0 | kCtlrEnableGrp1)) | kCtlrAre | kCtlrDs;
        gic_.update();
    });
    // TYPER: ITLinesNumber for 32 + num_spis INTIDs, IDbits = 9 (INTIDs up
    // to 1023) or with LPIs 15 (16 bits) and LPIS [17] = 1, A3V = 1, No1N = 0
    // (1-of-N SPI routing supported), SecurityExtn = 0, MBIS = 0.
    const uint32_t it_lines = (kNumPrivate + num_spis) / 32 - 1;
    const uint32_t idbits = lpis ? kLpiIdBits - 1 : 9;
    regs_.add("GICD_TYPER", 0x0004, it_lines | (idbits << 19) | (1u << 24) | (uint32_t(lpis) << 17)).read_only();
    regs_.add("GICD_IIDR", 0x0008, 0).read_only();
    regs_.add("GICD_TYPER2", 0x000C, 0).read_only();
    regs_.add("GICD_STATUSR", 0x0010, 0).read_only();
    declare_irq_registers(
        regs_, kNumPrivate + num_spis,
        [this](unsigned intid) -> IrqState* {
            return intid >= kNumPrivate && intid - kNumPrivate < spis_.size() ? &spis_[intid - kNumPrivate] : nullptr;
        },
        [this] { gic_.update(); }, [this](unsigned intid) { gic_.note_ispendr(-1, intid); });
    // IROUTER<n> for n = 32..: 64 bits, two words. Aff0-2 and IRM in the
    // low word, Aff3 in the high word.
    regs_.add_array("GICD_IROUTER_LO", 0x6100, num_spis, 8)
        .on_read([this](unsigned i) { return static_cast<uint32_t>(irouter_[i]); })
        .on_write([this](unsigned i, uint32_t v) {
            irouter_[i] = (irouter_[i] & ~0xFFFFFFFFull) | (v & 0x80FFFFFFu);
            gic_.update();
        });
    regs_.add_array("GICD_IROUTER_HI", 0x6104, num_spis, 8)
        .on_read([this](unsigned i) { return static_cast<uint32_t>(irouter_[i] >> 32); })
        .on_write([this](unsigned i, uint32_t v) {
            irouter_[i] = (irouter_[i] & 0xFFFFFFFFull) | (uint64_t(v & 0xFF) << 32);
            gic_.update();
        });
    // Identification: PIDR2.ArchRev = 3 (GICv3) or 4 (GICv4), PrimeCell
    // component IDs.
    regs_.add("GICD_PIDR2", 0xFFE8, v4 ? 0x4B : 0x3B).read_only();
    static constexpr uint32_t kCidr[] = {0x0D, 0xF0, 0x05, 0xB1};
    for (unsigned i = 0; i < 4; ++i) regs_.add("GICD_CIDR" + std::to_string(i), 0xFFF0 + 4 * i, kCidr[i]).read_only();
}

}  // namespace hvsim::gic
