// Unit tests of GICv4.0 (gic.version = 4): the registers it adds (GITS_TYPER
// .Virtual, the vPE table, GICR_TYPER.VLPIS, the VLPI frame, ICH_VTR_EL2.nV4),
// each V* command and its errors, direct injection through the virtual CPU
// interface, doorbells; GITS_TYPER.SEIS; pending state set through ISPENDR
// in the `gic` trace; the latency of a GITS_TRANSLATER translation.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>

#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "its_bench.h"
#include "models/its/its_module.h"

namespace {

using namespace its_bench;
using hvsim::Trace;
using hvsim::gic::VirtualCpuInterface;

constexpr uint64_t VPET = kRam + 0x70000, VPROP = kRam + 0x80000, VPT0 = kRam + 0x90000, VPT1 = kRam + 0xA0000;
constexpr uint32_t VLPI = 0x20000, GICR_VPROPBASER = VLPI + 0x70, GICR_VPENDBASER = VLPI + 0x78;
constexpr uint64_t kValid = 1ull << 63;
constexpr uint32_t kNoDoorbell = 1023;

struct V4 {
    explicit V4(bool seis = false, bool v4 = true) {
        ItsConfig ic = its_config(16);
        ic.virtual_lpis = v4;
        ic.seis = seis;
        GicConfig gc;
        gc.v4 = v4;
        b = std::make_unique<Bench>(ic, 2, gc);
        for (unsigned c = 0; c < 2; ++c)
            b->gic.set_virtual_output(c, [this, c](bool virq, bool) { vlines[c] = virq; });
        if (v4) b->iwrite(GITS_BASER + 16, kValid | VPET);  // 4 KiB: 512 vPEs
        b->init();
        for (unsigned c = 0; c < 2 && v4; ++c) {
            b->rwrite(c, GICR_VPROPBASER, VPROP | 15, 8);
            VirtualCpuInterface& v = b->gic.virtual_cpu_interface(c);
            v.write_ich(SR::ICH_HCR_EL2, VirtualCpuInterface::kHcrEn);
            v.write_ich(SR::ICH_VMCR_EL2, VirtualCpuInterface::kVmcrVeng1 | (0xF0ull << 24));
            b->gic.update_virtual(c);
        }
    }
    CmdError vmapp(uint32_t vpe, uint64_t core, uint64_t vpt, unsigned size = 15, bool v = true) {
        return b->cmd(0x29, uint64_t(vpe) << 32, (uint64_t(v) << 63) | (core << 16), vpt | size);
    }
    CmdError vmapti(uint32_t dev, uint32_t ev, uint32_t vpe, uint32_t vintid, uint32_t db = kNoDoorbell) {
        return b->cmd(0x2A | (uint64_t(dev) << 32), ev | (uint64_t(vpe) << 32), vintid | (uint64_t(db) << 32));
    }
    CmdError vmapi(uint32_t dev, uint32_t ev, uint32_t vpe, uint32_t db = kNoDoorbell) {
        return b->cmd(0x2B | (uint64_t(dev) << 32), ev | (uint64_t(vpe) << 32), uint64_t(db) << 32);
    }
    CmdError vmovi(uint32_t dev, uint32_t ev, uint32_t vpe, bool d = false, uint32_t db = kNoDoorbell) {
        return b->cmd(0x21 | (uint64_t(dev) << 32), ev | (uint64_t(vpe) << 32), uint64_t(d) | (uint64_t(db) << 32));
    }
    CmdError vmovp(uint32_t vpe, uint64_t core) { return b->cmd(0x22, uint64_t(vpe) << 32, core << 16); }
    CmdError vsync(uint32_t vpe) { return b->cmd(0x25, uint64_t(vpe) << 32); }
    CmdError vinvall(uint32_t vpe) { return b->cmd(0x2D, uint64_t(vpe) << 32); }
    void vprop(uint32_t vintid, uint8_t prio, bool en) { b->mem.at(VPROP + vintid - 8192) = uint8_t(prio | en); }
    void resident(unsigned core, uint64_t vpt) { b->rwrite(core, GICR_VPENDBASER, kValid | vpt, 8); }
    void deschedule(unsigned core) { b->rwrite(core, GICR_VPENDBASER, 0, 8); }
    bool vpt_bit(uint64_t vpt, uint32_t vintid) { return (b->mem.at(vpt + vintid / 8) >> (vintid % 8)) & 1; }
    // The guest's ICV_IAR1/ICV_EOIR1 as a core's access would run them.
    uint64_t iar(unsigned core) {
        const uint64_t v = b->gic.virtual_cpu_interface(core).read_icv(SR::ICC_IAR1_EL1);
        b->gic.update_virtual(core);
        return v;
    }
    void eoi(unsigned core, uint64_t id) {
        b->gic.virtual_cpu_interface(core).write_icv(SR::ICC_EOIR1_EL1, id);
        b->gic.update_virtual(core);
    }
    // Device 1 (32 events) mapped; vPE 0 on core 0 with VPT0, vPE 1 on core 1 with VPT1.
    void map_basic() {
        ASSERT_EQ(b->mapd(1, ITT, 5), CmdError::None);
        ASSERT_EQ(vmapp(0, 0, VPT0), CmdError::None);
        ASSERT_EQ(vmapp(1, 1, VPT1), CmdError::None);
        vprop(8300, 0xA0, true);
    }
    std::unique_ptr<Bench> b;
    bool vlines[2] = {};
};

TEST(GicV4, Registers) {
    V4 v3(false, false), v4;
    EXPECT_EQ((v3.b->iread(GITS_TYPER) >> 1) & 1, 0u);
    EXPECT_EQ((v4.b->iread(GITS_TYPER) >> 1) & 1, 1u);            // Virtual
    EXPECT_EQ((v4.b->iread(GITS_TYPER) >> 37) & 1, 0u);           // VMOVP: GICv4.0
    EXPECT_EQ((v4.b->iread(GITS_PIDR2, 4) >> 4) & 0xF, 4u);       // ArchRev
    EXPECT_EQ(v3.b->iread(GITS_BASER + 16), 0u);                  // no vPE table
    EXPECT_EQ((v4.b->iread(GITS_BASER + 16) >> 56) & 7, 2u);      // Type 2: vPEs
    EXPECT_EQ((v4.b->iread(GITS_BASER + 16) >> 48) & 0x1F, 7u);   // 8-byte entries
    EXPECT_EQ(v4.b->iread(GITS_BASER + 16) & 0xFFFFFFFFF000ull, VPET);
    EXPECT_EQ(v4.b->iread(GITS_BASER + 24), 0u);
    EXPECT_EQ((v3.b->rread(0, GICR_TYPER) >> 1) & 1, 0u);
    EXPECT_EQ((v4.b->rread(0, GICR_TYPER) >> 1) & 1, 1u);         // VLPIS
    EXPECT_EQ(v4.b->gic.redistributor_stride(), 0x40000u);
    EXPECT_EQ(v3.b->gic.redistributor_stride(), 0x20000u);
    EXPECT_EQ(v4.b->rread(1, GICR_TYPER, 8) >> 32, 1u);           // core 1 at 0x40000
    EXPECT_EQ((v4.b->rread(1, GICR_TYPER) >> 4) & 1, 1u);         // Last
    EXPECT_EQ((v4.b->rread(0, 0xFFE8) >> 4) & 0xF, 4u);
    EXPECT_EQ(v4.b->rread(0, GICR_VPROPBASER, 8), VPROP | 15);
    EXPECT_EQ(v3.b->rread(1, GICR_VPROPBASER, 8), 0u);            // no VLPI frame (beyond the region)
    EXPECT_EQ(v4.b->rread(0, GICR_VPENDBASER, 8), 0u);
    v4.resident(0, VPT0 | (1ull << 62));
    EXPECT_EQ(v4.b->rread(0, GICR_VPENDBASER, 8), kValid | (1ull << 62) | VPT0);  // Dirty reads 0
    v4.b->rwrite(0, GICR_VPROPBASER, 0, 8);  // ignored while a vPE is resident
    EXPECT_EQ(v4.b->rread(0, GICR_VPROPBASER, 8), VPROP | 15);
    const uint64_t vtr3 = v3.b->gic.virtual_cpu_interface(0).read_ich(SR::ICH_VTR_EL2);
    const uint64_t vtr4 = v4.b->gic.virtual_cpu_interface(0).read_ich(SR::ICH_VTR_EL2);
    EXPECT_EQ((vtr3 >> 20) & 1, 1u);  // nV4
    EXPECT_EQ((vtr4 >> 20) & 1, 0u);
}

TEST(GicV4, VirtualCommandsUnknownOnGicV3) {
    for (uint8_t op : {0x21, 0x22, 0x25, 0x29, 0x2A, 0x2B, 0x2D}) {
        V4 v3(false, false);
        EXPECT_EQ(v3.b->cmd(op), CmdError::UnknownCommand) << int(op);
        EXPECT_EQ(v3.b->iread(GITS_CREADR) & 1, 1u);  // stalled
    }
}

TEST(GicV4, VmappVmaptiDirectInjection) {
    V4 v;
    v.map_basic();
    // vPE table entry: V, processor 1, VPT1, VPT_size 15.
    uint64_t e = 0;
    std::memcpy(&e, &v.b->mem.at(VPET + 8), 8);
    EXPECT_EQ(e, kValid | (1ull << 52) | VPT1 | 15);
    ASSERT_EQ(v.vmapti(1, 5, 0, 8300), CmdError::None);
    uint64_t ite = 0;
    std::memcpy(&ite, &v.b->mem.at(ITT + 5 * 8), 8);
    EXPECT_EQ(ite, kValid | (1ull << 62) | (0ull << 32) | (uint64_t(kNoDoorbell) << 16) | 8300);
    v.resident(0, VPT0);
    EXPECT_FALSE(v.vlines[0]);
    ASSERT_EQ(v.b->int_(1, 5), CmdError::None);
    EXPECT_TRUE(v.vpt_bit(VPT0, 8300));       // written through to the VPT
    EXPECT_TRUE(v.vlines[0]);                 // virtual IRQ
    EXPECT_FALSE(v.b->lines[0]);              // no physical IRQ
    VirtualCpuInterface& vc = v.b->gic.virtual_cpu_interface(0);
    EXPECT_EQ(vc.read_icv(SR::ICC_HPPIR1_EL1), 8300u);
    EXPECT_EQ(v.iar(0), 8300u);
    EXPECT_FALSE(v.vpt_bit(VPT0, 8300));      // no active state
    EXPECT_FALSE(v.vlines[0]);
    EXPECT_EQ(vc.read_icv(SR::ICC_RPR_EL1), 0xA0u);
    EXPECT_EQ(vc.read_ich(SR::ICH_ELRSR_EL2), 0xFu);  // no list register used
    v.eoi(0, 8300);
    EXPECT_EQ(vc.read_icv(SR::ICC_RPR_EL1), 0xFFu);
    EXPECT_EQ(vc.read_ich(SR::ICH_HCR_EL2) >> 27, 0u);  // EOIcount: not an LR interrupt, but an LPI
    EXPECT_EQ(v.b->its.stats().commands[0x29], 2u);
    EXPECT_EQ(v.b->its.stats().commands[0x2A], 1u);
    EXPECT_EQ(v.b->its.stats().vlpi_translations, 1u);
    EXPECT_EQ(v.b->gic.stats().vlpis.pending, 1u);
    EXPECT_EQ(v.b->gic.stats().vlpis.activated, 1u);
    // A translation (GITS_TRANSLATER) of device 1 reaches the vLPI too.
    EXPECT_TRUE(v.b->its.translate(1, 5));
    EXPECT_TRUE(v.vlines[0]);
    EXPECT_EQ(v.iar(0), 8300u);
    // Disabled or masked by VPMR: not signalled.
    v.eoi(0, 8300);
    v.vprop(8300, 0xF0, true);
    ASSERT_EQ(v.b->inv(1, 5), CmdError::None);  // INV reaches the resident vPE's configuration
    EXPECT_EQ(v.b->its.last_effects().lpi_dropped, 1u);
    ASSERT_EQ(v.b->int_(1, 5), CmdError::None);
    EXPECT_FALSE(v.vlines[0]);  // priority 0xF0 is not below VPMR 0xF0
    ASSERT_EQ(v.b->dev_ev(0x04, 1, 5), CmdError::None);  // CLEAR
    EXPECT_FALSE(v.vpt_bit(VPT0, 8300));
}

TEST(GicV4, ListRegisterAndDirectVlpiPriorities) {
    V4 v;
    v.map_basic();
    ASSERT_EQ(v.vmapti(1, 5, 0, 8300), CmdError::None);
    v.resident(0, VPT0);
    VirtualCpuInterface& vc = v.b->gic.virtual_cpu_interface(0);
    // LR: vINTID 27 at priority 0xA0, the vLPI at 0xA0 too: the LR wins the tie.
    vc.write_ich(SR::ICH_LR0_EL2, 27 | (0xA0ull << 48) | VirtualCpuInterface::kLrGroup | VirtualCpuInterface::kLrPending);
    ASSERT_EQ(v.b->int_(1, 5), CmdError::None);
    EXPECT_EQ(v.iar(0), 27u);
    EXPECT_EQ(v.iar(0), kSpurious);  // same group priority: no preemption
    v.eoi(0, 27);
    EXPECT_EQ(v.iar(0), 8300u);
    v.eoi(0, 8300);
    // A higher priority vLPI preempts an active LR interrupt.
    vc.write_ich(SR::ICH_LR0_EL2, 27 | (0xC0ull << 48) | VirtualCpuInterface::kLrGroup | VirtualCpuInterface::kLrPending);
    EXPECT_EQ(v.iar(0), 27u);
    ASSERT_EQ(v.b->int_(1, 5), CmdError::None);
    EXPECT_TRUE(v.vlines[0]);
    EXPECT_EQ(v.iar(0), 8300u);
    // Group 1 only: ICV_IAR0 does not acknowledge a vLPI.
    v.eoi(0, 8300);
    ASSERT_EQ(v.b->int_(1, 5), CmdError::None);
    EXPECT_EQ(vc.read_icv(SR::ICC_IAR0_EL1), kSpurious);
}

TEST(GicV4, SplitEoiOfDirectVlpi) {
    V4 v;
    v.map_basic();
    ASSERT_EQ(v.vmapti(1, 5, 0, 8300), CmdError::None);
    v.resident(0, VPT0);
    VirtualCpuInterface& vc = v.b->gic.virtual_cpu_interface(0);
    vc.write_ich(SR::ICH_VMCR_EL2, VirtualCpuInterface::kVmcrVeng1 | VirtualCpuInterface::kVmcrVeoim | (0xF0ull << 24));
    ASSERT_EQ(v.b->int_(1, 5), CmdError::None);
    EXPECT_EQ(v.iar(0), 8300u);
    v.eoi(0, 8300);
    EXPECT_EQ(vc.read_icv(SR::ICC_RPR_EL1), 0xFFu);
    vc.write_icv(SR::ICC_DIR_EL1, 8300);  // nothing to deactivate, not counted
    vc.write_icv(SR::ICC_DIR_EL1, 27);    // an SGI/PPI vINTID no LR holds: counted
    EXPECT_EQ(vc.read_ich(SR::ICH_HCR_EL2) >> 27, 1u);
}

TEST(GicV4, Doorbell) {
    V4 v;
    v.map_basic();
    v.b->prop(8200, 0x80, true);
    ASSERT_EQ(v.vmapti(1, 5, 1, 8300, 8200), CmdError::None);
    ASSERT_EQ(v.b->int_(1, 5), CmdError::None);
    EXPECT_TRUE(v.vpt_bit(VPT1, 8300));
    EXPECT_FALSE(v.vlines[1]);
    EXPECT_TRUE(v.b->gic.lpi_pending(1, 8200));  // the doorbell, at vPE 1's redistributor
    EXPECT_EQ(v.b->gic.stats().doorbells, 1u);
    EXPECT_EQ(v.b->take(1), 8200u);
    // Scheduling vPE 1 reads its VPT: the vLPI is delivered.
    v.resident(1, VPT1);
    EXPECT_TRUE(v.vlines[1]);
    EXPECT_EQ(v.iar(1), 8300u);
    // While resident: no doorbell.
    v.eoi(1, 8300);
    ASSERT_EQ(v.b->int_(1, 5), CmdError::None);
    EXPECT_FALSE(v.b->gic.lpi_pending(1, 8200));
    EXPECT_EQ(v.b->gic.stats().doorbells, 1u);
    // Descheduled with an enabled vLPI pending: PendingLast.
    v.deschedule(1);
    EXPECT_EQ(v.b->rread(1, GICR_VPENDBASER, 8) >> 61, 1u);  // PendingLast, not Valid
    EXPECT_FALSE(v.vlines[1]);
    EXPECT_TRUE(v.vpt_bit(VPT1, 8300));
}

TEST(GicV4, VmapiVintidIsEventId) {
    V4 v;
    v.map_basic();
    ASSERT_EQ(v.b->mapd(2, ITT + 0x1000, 14), CmdError::None);
    ASSERT_EQ(v.vmapi(2, 8400, 0), CmdError::None);
    v.vprop(8400, 0x40, true);
    v.resident(0, VPT0);
    EXPECT_TRUE(v.b->its.translate(2, 8400));
    EXPECT_EQ(v.iar(0), 8400u);
    EXPECT_EQ(v.vmapi(2, 8, 0), CmdError::VintidOutOfRange);
}

TEST(GicV4, VmoviMovesPendingStateAndDoorbell) {
    V4 v;
    v.map_basic();
    v.b->prop(8201, 0x80, true);
    ASSERT_EQ(v.vmapti(1, 5, 0, 8300), CmdError::None);
    ASSERT_EQ(v.b->int_(1, 5), CmdError::None);  // vPE 0 not resident
    EXPECT_TRUE(v.vpt_bit(VPT0, 8300));
    ASSERT_EQ(v.vmovi(1, 5, 1, true, 8201), CmdError::None);
    EXPECT_FALSE(v.vpt_bit(VPT0, 8300));
    EXPECT_TRUE(v.vpt_bit(VPT1, 8300));
    EXPECT_TRUE(v.b->gic.lpi_pending(1, 8201));  // the new doorbell rang for the moved pending vLPI
    uint64_t ite = 0;
    std::memcpy(&ite, &v.b->mem.at(ITT + 5 * 8), 8);
    EXPECT_EQ(ite, kValid | (1ull << 62) | (1ull << 32) | (8201ull << 16) | 8300);
    EXPECT_EQ(v.b->its.stats().commands[0x21], 1u);
    // VMOVI of a physical event, MOVI of a virtual one.
    ASSERT_EQ(v.b->mapc(3, 0), CmdError::None);
    ASSERT_EQ(v.b->mapti(1, 7, 8200, 3), CmdError::None);
    EXPECT_EQ(v.vmovi(1, 7, 1), CmdError::MappingMismatch);
}

TEST(GicV4, MoviOfVirtualEventIsAnError) {
    V4 v;
    v.map_basic();
    ASSERT_EQ(v.b->mapc(3, 0), CmdError::None);
    ASSERT_EQ(v.vmapti(1, 5, 0, 8300), CmdError::None);
    EXPECT_EQ(v.b->dev_ev(0x01, 1, 5, 3), CmdError::MappingMismatch);
}

TEST(GicV4, VmovpVsyncVinvall) {
    V4 v;
    v.map_basic();
    v.b->prop(8200, 0x80, true);
    ASSERT_EQ(v.vmapti(1, 5, 0, 8300, 8200), CmdError::None);
    ASSERT_EQ(v.vmovp(0, 1), CmdError::None);  // vPE 0 now on core 1
    uint64_t e = 0;
    std::memcpy(&e, &v.b->mem.at(VPET), 8);
    EXPECT_EQ(e, kValid | (1ull << 52) | VPT0 | 15);
    ASSERT_EQ(v.b->int_(1, 5), CmdError::None);
    EXPECT_TRUE(v.b->gic.lpi_pending(1, 8200));  // the doorbell goes to the new redistributor
    EXPECT_FALSE(v.b->gic.lpi_pending(0, 8200));
    ASSERT_EQ(v.vsync(0), CmdError::None);
    // VINVALL drops the resident vPE's cached vLPI configuration.
    v.resident(1, VPT0);
    EXPECT_EQ(v.iar(1), 8300u);
    v.eoi(1, 8300);
    v.vprop(8300, 0xA0, false);  // disabled in memory: cached as enabled until VINVALL
    ASSERT_EQ(v.b->int_(1, 5), CmdError::None);
    EXPECT_TRUE(v.vlines[1]);
    ASSERT_EQ(v.vinvall(0), CmdError::None);
    EXPECT_EQ(v.b->its.last_effects().lpi_dropped, 1u);
    EXPECT_FALSE(v.vlines[1]);
    EXPECT_EQ(v.b->its.stats().commands[0x22], 1u);
    EXPECT_EQ(v.b->its.stats().commands[0x25], 1u);
    EXPECT_EQ(v.b->its.stats().commands[0x2D], 1u);
}

// Each command error on a fresh ITS: the queue stalls, CREADR points at it.
TEST(GicV4, CommandErrors) {
    struct Case {
        const char* what;
        CmdError want;
        std::function<CmdError(V4&)> run;
    };
    const Case cases[] = {
        {"VMAPP vPEID beyond the table", CmdError::VpeOutOfRange, [](V4& v) { return v.vmapp(512, 0, VPT0); }},
        {"VMAPP RDbase", CmdError::RdbaseOutOfRange, [](V4& v) { return v.vmapp(0, 2, VPT0); }},
        {"VMAPP VPT_size", CmdError::VptSizeOutOfRange, [](V4& v) { return v.vmapp(0, 0, VPT0, 16); }},
        {"VMAPTI vPEID", CmdError::VpeOutOfRange, [](V4& v) { return v.vmapti(1, 5, 512, 8300); }},
        {"VMAPTI vINTID", CmdError::VintidOutOfRange, [](V4& v) { return v.vmapti(1, 5, 0, 8191); }},
        {"VMAPTI vINTID 2^16", CmdError::VintidOutOfRange, [](V4& v) { return v.vmapti(1, 5, 0, 65536); }},
        {"VMAPTI doorbell", CmdError::DoorbellOutOfRange, [](V4& v) { return v.vmapti(1, 5, 0, 8300, 1022); }},
        {"VMAPTI device", CmdError::DeviceUnmapped, [](V4& v) { return v.vmapti(9, 5, 0, 8300); }},
        {"VMAPTI event", CmdError::EventOutOfRange, [](V4& v) { return v.vmapti(1, 32, 0, 8300); }},
        {"VMOVI unmapped event", CmdError::EventUnmapped, [](V4& v) { return v.vmovi(1, 5, 0); }},
        {"VMOVI to an unmapped vPE", CmdError::VpeUnmapped,
         [](V4& v) {
             EXPECT_EQ(v.vmapti(1, 5, 0, 8300), CmdError::None);
             return v.vmovi(1, 5, 7);
         }},
        {"VMOVI doorbell", CmdError::DoorbellOutOfRange,
         [](V4& v) {
             EXPECT_EQ(v.vmapti(1, 5, 0, 8300), CmdError::None);
             return v.vmovi(1, 5, 1, true, 5);
         }},
        {"INT of a vLPI of an unmapped vPE", CmdError::VpeUnmapped,
         [](V4& v) {
             EXPECT_EQ(v.vmapti(1, 5, 7, 8300), CmdError::None);
             return v.b->int_(1, 5);
         }},
        {"VMOVP unmapped vPE", CmdError::VpeUnmapped, [](V4& v) { return v.vmovp(7, 0); }},
        {"VMOVP RDbase", CmdError::RdbaseOutOfRange, [](V4& v) { return v.vmovp(0, 5); }},
        {"VSYNC unmapped vPE", CmdError::VpeUnmapped, [](V4& v) { return v.vsync(7); }},
        {"VSYNC vPEID beyond the table", CmdError::VpeOutOfRange, [](V4& v) { return v.vsync(4096); }},
        {"VINVALL unmapped vPE", CmdError::VpeUnmapped, [](V4& v) { return v.vinvall(7); }},
    };
    for (const Case& c : cases) {
        V4 v;
        v.map_basic();
        EXPECT_EQ(c.run(v), c.want) << c.what;
        EXPECT_EQ(v.b->iread(GITS_CREADR) & 1, 1u) << c.what;
        EXPECT_EQ(v.b->its.stats().errors, 1u) << c.what;
    }
    // VMAPP with V = 0 unmaps.
    V4 v;
    v.map_basic();
    ASSERT_EQ(v.vmapp(1, 0, 0, 0, false), CmdError::None);
    EXPECT_EQ(v.vsync(1), CmdError::VpeUnmapped);
}

TEST(ItsSeis, CommandErrorRaisesSystemError) {
    for (bool seis : {false, true}) {
        V4 v(seis, false);
        unsigned raised = 0;
        v.b->its.set_system_error([&raised] { ++raised; });
        EXPECT_EQ((v.b->iread(GITS_TYPER) >> 18) & 1, unsigned(seis));
        ASSERT_EQ(v.b->mapc(3, 0), CmdError::None);
        EXPECT_EQ(raised, 0u);
        EXPECT_EQ(v.b->int_(1, 5), CmdError::DeviceUnmapped);
        EXPECT_EQ(raised, seis ? 1u : 0u);
        EXPECT_EQ(v.b->its.stats().system_errors, seis ? 1u : 0u);
        EXPECT_EQ(v.b->iread(GITS_CREADR) & 1, 1u);  // stalls either way
        v.b->iwrite(GITS_CWRITER, v.b->iread(GITS_CWRITER) | 1);  // Retry: the same error again
        v.b->drain();
        EXPECT_EQ(raised, seis ? 2u : 0u);
    }
}

std::string contents(std::FILE* f) {
    std::string s;
    std::rewind(f);
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
    return s;
}

TEST(GicTrace, IspendrAndVlpiEvents) {
    std::FILE* f = std::tmpfile();
    ASSERT_NE(f, nullptr);
    Trace t;
    std::string bad;
    ASSERT_TRUE(t.enable("its,gic", bad));
    t.set_output(f);
    V4 v;
    uint64_t ns = 7;
    v.b->gic.set_trace(&t, [&ns] { return ns; });
    v.b->its.set_trace(&t);
    uint32_t bits = 1u << 5;  // INTID 37 (SPI 5), routed to core 0
    v.b->gic.distributor_access(0x200 + 4, reinterpret_cast<uint8_t*>(&bits), 4, true);
    v.b->rwrite(1, 0x10000 + 0x200, 1u << 3);  // GICR_ISPENDR0: SGI 3 of core 1
    v.b->rwrite(1, 0x10000 + 0x200, 1u << 3);  // already pending: no event
    v.map_basic();
    ASSERT_EQ(v.vmapti(1, 5, 0, 8300), CmdError::None);
    v.resident(0, VPT0);
    ASSERT_EQ(v.b->int_(1, 5), CmdError::None);
    EXPECT_EQ(v.iar(0), 8300u);
    const std::string s = contents(f);
    std::fclose(f);
    EXPECT_NE(s.find("7ns gic    cpu0 SPI 37 pending (GICD_ISPENDR)\n"), std::string::npos) << s;
    EXPECT_EQ(s.find("SGI 3 pending (GICR_ISPENDR0)"), s.rfind("SGI 3 pending (GICR_ISPENDR0)")) << s;
    EXPECT_NE(s.find("7ns gic    cpu1 SGI 3 pending (GICR_ISPENDR0)\n"), std::string::npos) << s;
    EXPECT_NE(s.find("VMAPP at "), std::string::npos) << s;
    EXPECT_NE(s.find("vPEID=1 RDbase=1 VPT_addr=0x400a0000 VPT_size=15 V=1"), std::string::npos) << s;
    EXPECT_NE(s.find("VMAPTI at 0x40030060: DeviceID=1 EventID=5 vPEID=0 vINTID=8300 Dbell_pINTID=1023"),
              std::string::npos)
        << s;
    EXPECT_NE(s.find("cpu0 vPE resident (VPT 0x40090000, 0 vLPIs pending)"), std::string::npos) << s;
    EXPECT_NE(s.find("cpu0 vLPI 8300 pending (resident vPE, VPT 0x40090000)"), std::string::npos) << s;
    EXPECT_NE(s.find("cpu0 vLPI 8300 delivered (ICV_IAR1, no active state)"), std::string::npos) << s;
    const auto& st = v.b->gic.stats();
    EXPECT_EQ(st.by_class[unsigned(hvsim::gic::IrqClass::Spi)].pending, 1u);
    EXPECT_EQ(st.by_class[unsigned(hvsim::gic::IrqClass::Sgi)].pending, 1u);
}

// ---- the SystemC module: a translation's delivery after its table reads -----

struct Ram : sc_core::sc_module {
    tlm_utils::simple_target_socket<Ram> socket;
    Memory& mem;
    Ram(sc_core::sc_module_name n, Memory& m) : sc_module(n), socket("socket"), mem(m) {
        socket.register_b_transport(this, &Ram::b_transport);
    }
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay) {
        const bool ok = mem.access(gp.get_address(), gp.get_data_ptr(), gp.get_data_length(), gp.is_write());
        delay += sc_core::sc_time(10, sc_core::SC_NS);
        gp.set_response_status(ok ? tlm::TLM_OK_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE);
    }
};

struct Cpu : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Cpu> socket;
    explicit Cpu(sc_core::sc_module_name n) : sc_module(n), socket("socket") {}
    void write32(uint64_t addr, uint32_t v, sc_core::sc_time delay = sc_core::SC_ZERO_TIME) {
        tlm::tlm_generic_payload gp;
        gp.set_command(tlm::TLM_WRITE_COMMAND);
        gp.set_address(addr);
        gp.set_data_ptr(reinterpret_cast<uint8_t*>(&v));
        gp.set_data_length(4);
        gp.set_streaming_width(4);
        socket->b_transport(gp, delay);
    }
};

TEST(ItsModule, TranslationDeliveredAfterItsTableReads) {
    using sc_core::sc_time;
    using sc_core::SC_NS;
    Memory mem;
    Gic gic(gic_config(1));
    gic.set_memory_access([&](uint64_t pa, uint8_t* d, unsigned len, bool w) { return mem.access(pa, d, len, w); });
    hvsim::its::ItsModule m("its_x", gic, ItsConfig{}, sc_time(0, SC_NS));
    Ram ram("ram_x", mem);
    m.bus.socket.bind(ram.socket);
    Cpu cpu("cpu_x");
    cpu.socket.bind(m.socket);
    Its& its = m.its();
    // The tables written directly: device 0 (the DeviceID of CPU writes, 32 events), ITT entry 5 -> LPI
    // 8200 in collection 3 on core 0; LPIs enabled at core 0.
    auto w64 = [&](uint32_t off, uint64_t v) { its.access(off, reinterpret_cast<uint8_t*>(&v), 8, true); };
    w64(GITS_BASER, (1ull << 63) | DEVT);
    w64(GITS_BASER + 8, (1ull << 63) | COLT);
    uint32_t one = 1;
    its.access(GITS_CTLR, reinterpret_cast<uint8_t*>(&one), 4, true);
    mem.put64(DEVT, (1ull << 63) | ITT | 4);
    mem.put64(ITT + 5 * 8, (1ull << 63) | (3ull << 32) | 8200);
    mem.put64(COLT + 3 * 8, (1ull << 63) | 0);
    mem.at(PROP + 8) = 0xA1;
    uint64_t v = PROP | 15;
    gic.redistributor_access(GICR_PROPBASER, reinterpret_cast<uint8_t*>(&v), 8, true);
    v = PEND0;
    gic.redistributor_access(GICR_PENDBASER, reinterpret_cast<uint8_t*>(&v), 8, true);
    uint32_t en = 1;
    gic.redistributor_access(GICR_CTLR, reinterpret_cast<uint8_t*>(&en), 4, true);
    auto at = [](double ns) { sc_core::sc_start(sc_time(ns, SC_NS) - sc_core::sc_time_stamp()); };
    at(100);
    // Translation cache, device and collection caches all miss: the device
    // entry, the ITT entry and the collection entry are read (3 x 10 ns),
    // from the write's time (100 ns + 5 ns annotated): delivered at 135 ns.
    cpu.write32(Its::kTranslater, 5, sc_time(5, SC_NS));
    EXPECT_FALSE(gic.lpi_pending(0, 8200));
    at(134);
    EXPECT_FALSE(gic.lpi_pending(0, 8200));
    at(136);
    EXPECT_TRUE(gic.lpi_pending(0, 8200));
    gic.set_lpi_pending(0, 8200, false);
    // Cached now: no table read, delivered at the write's time, never
    // before an earlier translation.
    cpu.write32(Its::kTranslater, 5);
    EXPECT_FALSE(gic.lpi_pending(0, 8200));
    at(137);
    EXPECT_TRUE(gic.lpi_pending(0, 8200));
    EXPECT_EQ(its.stats().translation_drops, 0u);
    EXPECT_EQ(its.stats().translations, 2u);
    EXPECT_EQ(its.translation_cache_stats().hits, 1u);
}

}  // namespace
