// Unit tests of the GICv3 virtual CPU interface (models/gic/
// virtual_cpu_interface.*): ICH_* registers, list-register priority order,
// acknowledge and EOI through the ICV_* registers, virtual priority mask and
// preemption, EOImode (VEOIM) with DIR, EOIcount, the maintenance conditions
// (ICH_MISR/EISR/ELRSR) and, through the Gic, the maintenance PPI, the
// virtual IRQ/FIQ lines and deactivation of a physical interrupt (HW = 1).
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "models/gic/gic.h"

namespace {

using hvsim::cpu::SR;
using hvsim::gic::VirtualCpuInterface;
using V = VirtualCpuInterface;

constexpr unsigned kSpurious = 1023;

uint64_t lr(uint32_t vintid, uint8_t prio, bool group1, uint64_t state = V::kLrPending, uint64_t extra = 0) {
    return vintid | (uint64_t(prio) << 48) | (group1 ? V::kLrGroup : 0) | state | extra;
}

// En, both groups enabled, VPMR 0xF8.
void enable(V& v) {
    v.write_ich(SR::ICH_HCR_EL2, V::kHcrEn);
    v.write_ich(SR::ICH_VMCR_EL2, V::kVmcrVeng0 | V::kVmcrVeng1 | (0xF8ull << 24));
}

TEST(VgicRegisters, VtrAndReset) {
    V v;
    const uint64_t vtr = v.read_ich(SR::ICH_VTR_EL2);
    EXPECT_EQ(vtr & 0x1F, 3u);             // 4 list registers
    EXPECT_EQ((vtr >> 29) & 7, 4u);        // PRIbits: 5
    EXPECT_EQ((vtr >> 26) & 7, 4u);        // PREbits: 5
    EXPECT_EQ((vtr >> 23) & 7, 1u);        // IDbits: 24 (as QEMU)
    EXPECT_EQ((vtr >> 20) & 1, 1u);        // nV4
    // VMCR: VFIQEn RES1, VBPR0/VBPR1 at their minimum.
    const uint64_t vmcr = v.read_ich(SR::ICH_VMCR_EL2);
    EXPECT_EQ(vmcr & V::kVmcrVfiqen, V::kVmcrVfiqen);
    EXPECT_EQ((vmcr >> 21) & 7, 2u);
    EXPECT_EQ((vmcr >> 18) & 7, 3u);
    EXPECT_EQ(v.read_ich(SR::ICH_ELRSR_EL2), 0xFu);
    EXPECT_EQ(v.read_ich(SR::ICH_EISR_EL2), 0u);
}

TEST(VgicRegisters, WriteMasks) {
    V v;
    v.write_ich(SR::ICH_HCR_EL2, ~0ull);
    EXPECT_EQ(v.read_ich(SR::ICH_HCR_EL2), 0xF8007CFFull);
    // Priority bits below the 5 implemented are RES0; bits 47:45 RES0.
    v.write_ich(SR::ICH_LR2_EL2, ~0ull);
    EXPECT_EQ(v.read_ich(SR::ICH_LR2_EL2), 0xF0F81FFFFFFFFFFFull);
    // VBPR0/1 written below the minimum read as the minimum; VPMR keeps 5 bits.
    v.write_ich(SR::ICH_VMCR_EL2, 0x07u << 24);
    EXPECT_EQ(v.read_ich(SR::ICH_VMCR_EL2), (0x00ull << 24) | (2u << 21) | (3u << 18) | V::kVmcrVfiqen);
    v.write_icv(SR::ICC_PMR_EL1, 0xFF);
    EXPECT_EQ(v.read_icv(SR::ICC_PMR_EL1), 0xF8u);
    EXPECT_EQ(v.read_ich(SR::ICH_VMCR_EL2) >> 24, 0xF8u);
}

TEST(VgicLists, PriorityOrderAckAndEoi) {
    V v;
    enable(v);
    v.write_ich(SR::ICH_LR0_EL2, lr(40, 0xA0, true));
    v.write_ich(SR::ICH_LR1_EL2, lr(41, 0x80, true));
    v.write_ich(SR::ICH_LR2_EL2, lr(42, 0x80, true));  // same priority: the lower LR wins
    EXPECT_EQ(v.highest_pending_lr(), 1);
    EXPECT_TRUE(v.outputs().virq);
    EXPECT_FALSE(v.outputs().vfiq);
    EXPECT_EQ(v.read_icv(SR::ICC_HPPIR1_EL1), 41u);
    EXPECT_EQ(v.read_icv(SR::ICC_HPPIR0_EL1), kSpurious);
    EXPECT_EQ(v.read_icv(SR::ICC_IAR0_EL1), kSpurious);  // wrong group
    EXPECT_EQ(v.read_icv(SR::ICC_IAR1_EL1), 41u);
    EXPECT_EQ(v.lr(1) >> 62, 2u);                          // active
    EXPECT_EQ(v.read_icv(SR::ICC_RPR_EL1), 0x80u);
    EXPECT_EQ(v.read_icv(SR::ICC_AP1R0_EL1), 1u << (0x80 >> 3));
    // 42 has the same group priority: it cannot preempt.
    EXPECT_FALSE(v.outputs().virq);
    EXPECT_EQ(v.read_icv(SR::ICC_IAR1_EL1), kSpurious);
    v.write_icv(SR::ICC_EOIR1_EL1, 41);
    EXPECT_EQ(v.lr(1) >> 62, 0u);  // invalid
    EXPECT_EQ(v.read_icv(SR::ICC_RPR_EL1), 0xFFu);
    EXPECT_EQ(v.read_ich(SR::ICH_ELRSR_EL2), 0x2u | 0x8u);
    EXPECT_EQ(v.read_icv(SR::ICC_IAR1_EL1), 42u);
    EXPECT_EQ(v.read_icv(SR::ICC_IAR1_EL1), kSpurious);
    v.write_icv(SR::ICC_EOIR1_EL1, 42);
    EXPECT_EQ(v.read_icv(SR::ICC_IAR1_EL1), 40u);
}

TEST(VgicLists, PriorityMaskPreemptionAndEnable) {
    V v;
    enable(v);
    v.write_icv(SR::ICC_PMR_EL1, 0x80);
    v.write_ich(SR::ICH_LR0_EL2, lr(50, 0x80, true));
    EXPECT_FALSE(v.outputs().virq);  // not below VPMR
    v.write_icv(SR::ICC_PMR_EL1, 0xF0);
    EXPECT_TRUE(v.outputs().virq);
    EXPECT_EQ(v.read_icv(SR::ICC_IAR1_EL1), 50u);
    // A higher priority (lower value) group priority preempts.
    v.write_ich(SR::ICH_LR1_EL2, lr(51, 0x40, true));
    EXPECT_TRUE(v.outputs().virq);
    EXPECT_EQ(v.read_icv(SR::ICC_IAR1_EL1), 51u);
    EXPECT_EQ(v.read_icv(SR::ICC_RPR_EL1), 0x40u);
    v.write_icv(SR::ICC_EOIR1_EL1, 51);
    v.write_icv(SR::ICC_EOIR1_EL1, 50);
    EXPECT_EQ(v.read_icv(SR::ICC_RPR_EL1), 0xFFu);
    // Group 0 is a virtual FIQ; disabled groups and En = 0 signal nothing.
    v.write_ich(SR::ICH_LR2_EL2, lr(52, 0x20, false));
    EXPECT_TRUE(v.outputs().vfiq);
    v.write_icv(SR::ICC_IGRPEN0_EL1, 0);
    EXPECT_FALSE(v.outputs().vfiq);
    EXPECT_EQ(v.highest_pending_lr(), -1);
    v.write_icv(SR::ICC_IGRPEN0_EL1, 1);
    v.write_ich(SR::ICH_HCR_EL2, 0);
    EXPECT_FALSE(v.outputs().vfiq);
    EXPECT_EQ(v.read_icv(SR::ICC_IAR0_EL1), kSpurious);
    v.write_ich(SR::ICH_HCR_EL2, V::kHcrEn);
    EXPECT_EQ(v.read_icv(SR::ICC_IAR0_EL1), 52u);
    EXPECT_EQ(v.read_icv(SR::ICC_AP0R0_EL1), 1u << (0x20 >> 3));
}

TEST(VgicLists, EoiModeDirAndEoiCount) {
    V v;
    enable(v);
    v.write_icv(SR::ICC_CTLR_EL1, 2);  // EOImode
    EXPECT_EQ(v.read_ich(SR::ICH_VMCR_EL2) & V::kVmcrVeoim, V::kVmcrVeoim);
    v.write_ich(SR::ICH_LR0_EL2, lr(60, 0x80, true));
    EXPECT_EQ(v.read_icv(SR::ICC_IAR1_EL1), 60u);
    v.write_icv(SR::ICC_EOIR1_EL1, 60);
    EXPECT_EQ(v.read_icv(SR::ICC_RPR_EL1), 0xFFu);  // priority dropped
    EXPECT_EQ(v.lr(0) >> 62, 2u);                    // still active
    v.write_icv(SR::ICC_DIR_EL1, 60);
    EXPECT_EQ(v.lr(0) >> 62, 0u);
    // DIR and EOI of interrupts no list register holds count in EOIcount.
    v.write_icv(SR::ICC_DIR_EL1, 99);
    EXPECT_EQ(v.hcr() >> V::kHcrEoiCountShift, 1u);
    v.write_ich(SR::ICH_AP1R0_EL2, 1u << 4);  // an interrupt the hypervisor swapped out
    v.write_icv(SR::ICC_EOIR1_EL1, 77);
    EXPECT_EQ(v.hcr() >> V::kHcrEoiCountShift, 2u);
    EXPECT_EQ(v.read_icv(SR::ICC_AP1R0_EL1), 0u);
}

TEST(VgicMaintenance, Conditions) {
    V v;
    enable(v);
    EXPECT_EQ(v.misr(), 0u);
    EXPECT_FALSE(v.outputs().maintenance);
    // U: at most one valid list register.
    v.write_ich(SR::ICH_HCR_EL2, V::kHcrEn | V::kHcrUie);
    EXPECT_EQ(v.misr(), V::kMisrU);
    EXPECT_TRUE(v.outputs().maintenance);
    v.write_ich(SR::ICH_LR0_EL2, lr(1, 0x80, true));
    v.write_ich(SR::ICH_LR1_EL2, lr(2, 0x80, true));
    EXPECT_EQ(v.misr(), 0u);
    // NP: no list register pending.
    v.write_ich(SR::ICH_HCR_EL2, V::kHcrEn | V::kHcrNpie);
    EXPECT_EQ(v.misr(), 0u);
    v.write_ich(SR::ICH_LR0_EL2, 0);
    v.write_ich(SR::ICH_LR1_EL2, lr(2, 0x80, true, V::kLrActive));
    EXPECT_EQ(v.misr(), V::kMisrNp);
    // LRENP: EOIcount non-zero.
    v.write_ich(SR::ICH_HCR_EL2, V::kHcrEn | V::kHcrLrenpie | (3ull << V::kHcrEoiCountShift));
    EXPECT_EQ(v.misr(), V::kMisrLrenp);
    // Group enable/disable conditions.
    v.write_ich(SR::ICH_HCR_EL2, V::kHcrEn | V::kHcrVGrp0Eie | V::kHcrVGrp1Die);
    EXPECT_EQ(v.misr(), V::kMisrVGrp0E);
    v.write_icv(SR::ICC_IGRPEN1_EL1, 0);
    EXPECT_EQ(v.misr(), V::kMisrVGrp0E | V::kMisrVGrp1D);
    // En = 0: MISR reads the conditions but no maintenance interrupt.
    v.write_ich(SR::ICH_HCR_EL2, V::kHcrVGrp0Eie);
    EXPECT_EQ(v.misr(), V::kMisrVGrp0E);
    EXPECT_FALSE(v.outputs().maintenance);
}

TEST(VgicMaintenance, EoiBit) {
    V v;
    enable(v);
    v.write_ich(SR::ICH_LR3_EL2, lr(70, 0x80, true, V::kLrPending, V::kLrEoi));
    EXPECT_EQ(v.read_ich(SR::ICH_ELRSR_EL2), 0x7u);
    EXPECT_EQ(v.read_icv(SR::ICC_IAR1_EL1), 70u);
    v.write_icv(SR::ICC_EOIR1_EL1, 70);
    EXPECT_EQ(v.read_ich(SR::ICH_EISR_EL2), 0x8u);
    EXPECT_EQ(v.read_ich(SR::ICH_ELRSR_EL2), 0x7u);  // not empty until the EOI bit is cleared
    EXPECT_EQ(v.misr(), V::kMisrEoi);
    EXPECT_TRUE(v.outputs().maintenance);
    v.write_ich(SR::ICH_LR3_EL2, 0);
    EXPECT_EQ(v.misr(), 0u);
    EXPECT_EQ(v.read_ich(SR::ICH_ELRSR_EL2), 0xFu);
}

TEST(VgicTraps, IchHcrTrapBits) {
    V v;
    EXPECT_FALSE(v.traps(SR::ICC_IAR1_EL1));
    v.write_ich(SR::ICH_HCR_EL2, V::kHcrTall1);
    EXPECT_TRUE(v.traps(SR::ICC_IAR1_EL1));
    EXPECT_TRUE(v.traps(SR::ICC_IGRPEN1_EL1));
    EXPECT_FALSE(v.traps(SR::ICC_IAR0_EL1));
    EXPECT_FALSE(v.traps(SR::ICC_PMR_EL1));
    v.write_ich(SR::ICH_HCR_EL2, V::kHcrTall0);
    EXPECT_TRUE(v.traps(SR::ICC_EOIR0_EL1));
    v.write_ich(SR::ICH_HCR_EL2, V::kHcrTc);
    EXPECT_TRUE(v.traps(SR::ICC_PMR_EL1));
    EXPECT_TRUE(v.traps(SR::ICC_DIR_EL1));
    EXPECT_TRUE(v.traps(SR::ICC_SGI1R_EL1));
    v.write_ich(SR::ICH_HCR_EL2, V::kHcrTdir);
    EXPECT_TRUE(v.traps(SR::ICC_DIR_EL1));
    EXPECT_FALSE(v.traps(SR::ICC_PMR_EL1));
}

// Through the Gic: the maintenance PPI (INTID 25), the virtual lines, and
// EOI of a list register with HW = 1 deactivating the physical interrupt.
struct Bench {
    Bench() : gic(config()) {
        gic.set_output(0, [this](bool irq, bool fiq) { line = {irq, fiq}; });
        gic.set_virtual_output(0, [this](bool virq, bool vfiq) { vline = {virq, vfiq}; });
        gic.cpu_interface(0).write(SR::ICC_PMR_EL1, 0xF0, 2);
        gic.cpu_interface(0).write(SR::ICC_IGRPEN1_EL1, 1, 2);
        uint32_t v = 0x12;  // EnableGrp1, ARE
        gic.distributor_access(0, reinterpret_cast<uint8_t*>(&v), 4, true);
        v = 0;  // wake the redistributor
        gic.redistributor_access(0x14, reinterpret_cast<uint8_t*>(&v), 4, true);
    }
    static hvsim::gic::GicConfig config() {
        hvsim::gic::GicConfig cfg;
        cfg.num_spis = 32;
        cfg.affinities = {0};
        return cfg;
    }
    V& vif() { return gic.virtual_cpu_interface(0); }
    void ich(SR r, uint64_t v) {
        vif().write_ich(r, v);
        gic.update_virtual(0);
    }
    void icv(SR r, uint64_t v) {
        vif().write_icv(r, v);
        gic.update_virtual(0);
    }
    uint64_t icv(SR r) {
        const uint64_t v = vif().read_icv(r);
        gic.update_virtual(0);
        return v;
    }
    hvsim::gic::Gic gic;
    std::pair<bool, bool> line{}, vline{};
};

TEST(VgicGic, MaintenancePpiAndVirtualLines) {
    Bench b;
    b.gic.redistributor(0).irq(25).enabled = true;
    b.ich(SR::ICH_VMCR_EL2, V::kVmcrVeng1 | (0xF8ull << 24));
    b.ich(SR::ICH_LR0_EL2, lr(33, 0x80, true, V::kLrPending, V::kLrEoi));
    EXPECT_FALSE(b.vline.first);  // En = 0
    b.ich(SR::ICH_HCR_EL2, V::kHcrEn);
    EXPECT_TRUE(b.vline.first);
    EXPECT_FALSE(b.line.first);
    EXPECT_EQ(b.icv(SR::ICC_IAR1_EL1), 33u);
    EXPECT_FALSE(b.vline.first);
    b.icv(SR::ICC_EOIR1_EL1, 33);
    // The maintenance interrupt is PPI 9 (INTID 25) of this core, level.
    EXPECT_TRUE(b.line.first);
    EXPECT_EQ(b.gic.highest_pending(0).intid, 25u);
    b.ich(SR::ICH_LR0_EL2, 0);
    EXPECT_FALSE(b.line.first);
    EXPECT_EQ(b.gic.highest_pending(0).intid, kSpurious);
}

TEST(VgicGic, HwBitDeactivatesPhysical) {
    Bench b;
    auto& spi = b.gic.distributor().spi(8);  // INTID 40
    spi.enabled = true;
    spi.prio = 0x80;
    b.gic.distributor().spi(8).drive(true);
    b.gic.update();
    EXPECT_TRUE(b.line.first);
    // The hypervisor takes it, drops its priority (EOImode 1 at EL2) and
    // hands it to the guest with HW = 1.
    b.gic.cpu_interface(0).write(SR::ICC_CTLR_EL1, 2, 2);
    EXPECT_EQ(b.gic.cpu_interface(0).read(SR::ICC_IAR1_EL1, 2), 40u);
    b.gic.cpu_interface(0).write(SR::ICC_EOIR1_EL1, 40, 2);
    b.gic.distributor().spi(8).drive(false);
    EXPECT_TRUE(spi.active);
    b.ich(SR::ICH_VMCR_EL2, V::kVmcrVeng1 | (0xF8ull << 24));
    b.ich(SR::ICH_HCR_EL2, V::kHcrEn);
    b.ich(SR::ICH_LR1_EL2, lr(27, 0x80, true, V::kLrPending, V::kLrHw | (40ull << 32)));
    EXPECT_TRUE(b.vline.first);
    EXPECT_EQ(b.icv(SR::ICC_IAR1_EL1), 27u);
    b.icv(SR::ICC_EOIR1_EL1, 27);
    EXPECT_FALSE(spi.active);
    EXPECT_EQ(b.vif().read_ich(SR::ICH_ELRSR_EL2), 0xFu);
    EXPECT_EQ(b.vif().read_ich(SR::ICH_EISR_EL2), 0u);  // HW: no EOI maintenance
}

}  // namespace
