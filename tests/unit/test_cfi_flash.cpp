// The CFI flash (models/mem/cfi_flash.*): read array, CFI query and
// identifier reads of two interleaved x16 devices on a 32-bit bank, and the
// read-only outcome of program and erase. References: JESD68.01 (CFI),
// Intel AP-646 (command sets).
#include <gtest/gtest.h>

#include <cstring>

#include <tlm_utils/simple_initiator_socket.h>

#include "models/mem/cfi_flash.h"

namespace {

using hvsim::mem::CfiFlash;
using hvsim::mem::CfiFlashConfig;

struct Bus : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Bus> socket{"socket"};
    explicit Bus(sc_core::sc_module_name n) : sc_module(n) {}
    uint64_t access(uint64_t addr, unsigned len, uint64_t v, bool w) {
        tlm::tlm_generic_payload gp;
        gp.set_command(w ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        gp.set_address(addr);
        gp.set_data_ptr(reinterpret_cast<unsigned char*>(&v));
        gp.set_data_length(len);
        sc_core::sc_time t = sc_core::SC_ZERO_TIME;
        socket->b_transport(gp, t);
        EXPECT_EQ(gp.get_response_status(), tlm::TLM_OK_RESPONSE);
        return v & (len == 8 ? ~0ull : (1ull << (8 * len)) - 1);
    }
    uint64_t read(uint64_t addr, unsigned len = 4) { return access(addr, len, 0, false); }
    void write(uint64_t addr, uint64_t v, unsigned len = 4) { access(addr, len, v, true); }
};

struct Flash {
    CfiFlash flash{"flash", CfiFlashConfig{}};  // QEMU virt: 2 x 64 MiB banks, x32 of two x16 devices
    Bus bus{"bus"};
    Flash() {
        bus.socket.bind(flash.socket);
        const uint8_t image[8] = {1, 2, 3, 4, 5, 6, 7, 8};
        EXPECT_TRUE(flash.load(0, image, sizeof image));
    }
    // The query byte of one device at CFI offset `off`, read as software
    // with a 32-bit port and x16 chips does (offset * 4).
    uint32_t query(unsigned off) { return static_cast<uint32_t>(bus.read(off * 4)); }
};

TEST(CfiFlash, ReadArrayAndDmi) {
    Flash f;
    EXPECT_EQ(f.bus.read(0), 0x04030201u);
    EXPECT_EQ(f.bus.read(4, 2), 0x0605u);
    tlm::tlm_generic_payload gp;
    tlm::tlm_dmi dmi;
    gp.set_command(tlm::TLM_READ_COMMAND);
    gp.set_address(0);
    EXPECT_TRUE(f.bus.socket->get_direct_mem_ptr(gp, dmi));
    EXPECT_TRUE(dmi.is_read_allowed());
    EXPECT_FALSE(dmi.is_write_allowed());
    EXPECT_EQ(dmi.get_end_address(), (64ull << 20) - 1);
    // Writes are commands, never data.
    f.bus.write(0, 0xFFFFFFFF);
    EXPECT_EQ(f.bus.read(0), 0x04030201u);
    f.bus.write(0x55 * 4, 0x00980098);
    EXPECT_FALSE(f.bus.socket->get_direct_mem_ptr(gp, dmi));  // no direct reads outside read-array mode
}

TEST(CfiFlash, QueryInEveryDeviceLane) {
    Flash f;
    f.bus.write(0x55 * 4, 0x00980098);
    EXPECT_EQ(f.flash.mode(0), CfiFlash::Mode::Query);
    EXPECT_EQ(f.flash.mode(1), CfiFlash::Mode::ReadArray);  // banks are separate chips
    EXPECT_EQ(f.query(0x10), 0x00510051u);  // 'Q' from both devices
    EXPECT_EQ(f.query(0x11), 0x00520052u);
    EXPECT_EQ(f.query(0x12), 0x00590059u);
    EXPECT_EQ(f.query(0x13) & 0xFFFF, 0x0001u);  // Intel/Sharp extended command set
    EXPECT_EQ(f.query(0x15) & 0xFFFF, 0x0031u);  // primary extended table
    EXPECT_EQ(f.query(0x27) & 0xFF, 25u);        // 32 MiB per device
    EXPECT_EQ(f.query(0x28) & 0xFF, 0x01u);      // x16 interface
    EXPECT_EQ(f.query(0x2C) & 0xFF, 1u);         // one erase region
    EXPECT_EQ(f.query(0x2D) & 0xFF, 0xFFu);      // 256 blocks
    EXPECT_EQ(f.query(0x2E) & 0xFF, 0x00u);
    EXPECT_EQ(f.query(0x2F) & 0xFF, 0x00u);      // 128 KiB per device: 0x200 * 256
    EXPECT_EQ(f.query(0x30) & 0xFF, 0x02u);
    EXPECT_EQ(f.query(0x31) & 0xFF, uint32_t('P'));
    EXPECT_EQ(f.bus.read(0x10 * 4, 1), uint64_t('Q'));  // byte reads see the low lane
    EXPECT_EQ(f.bus.read(0x10 * 4 + 2, 2), 0x51u);       // the second device's lane
    // Read array (0xFF), and the AMD reset (0xF0) probing software sends.
    f.bus.write(0, 0xFF);
    EXPECT_EQ(f.bus.read(0), 0x04030201u);
    f.bus.write(0, 0x98);
    f.bus.write(0, 0xF0);
    EXPECT_EQ(f.flash.mode(0), CfiFlash::Mode::ReadArray);
}

TEST(CfiFlash, IdentifierAndLocks) {
    Flash f;
    f.bus.write(64ull << 20, 0x00900090);  // bank 1
    EXPECT_EQ(f.bus.read((64ull << 20) + 0), 0x00890089u);
    EXPECT_EQ(f.bus.read((64ull << 20) + 4), 0x00180018u);
    EXPECT_EQ(f.bus.read((64ull << 20) + 0x40000 + 8), 0x00010001u);  // block 1 locked
}

TEST(CfiFlash, ProgramAndEraseAreRejected) {
    Flash f;
    f.bus.write(0x100, 0x00400040);  // word program
    EXPECT_EQ(f.flash.mode(0), CfiFlash::Mode::ReadStatus);
    f.bus.write(0x100, 0x12345678);
    EXPECT_EQ(f.bus.read(0x100), 0x00920092u);  // ready, program error, block locked
    f.bus.write(0, 0x00500050);                 // clear status
    EXPECT_EQ(f.flash.status(0), 0x80u);
    f.bus.write(0x40000, 0x00200020);  // block erase, confirm
    f.bus.write(0x40000, 0x00D000D0);
    EXPECT_EQ(f.flash.status(0), 0xA2u);
    f.bus.write(0, 0x00500050);
    f.bus.write(0x40000, 0x00200020);  // erase without its confirm: sequence error
    f.bus.write(0x40000, 0x00FF00FF);
    EXPECT_EQ(f.flash.status(0), 0xB0u);
    f.bus.write(0, 0x00500050);
    f.bus.write(0, 0x00E800E8);  // buffered program of 2 words
    EXPECT_EQ(f.bus.read(0), 0x00800080u);  // buffer available
    f.bus.write(0, 0x00010001);
    f.bus.write(0, 0xAAAAAAAA);
    f.bus.write(4, 0xBBBBBBBB);
    f.bus.write(0, 0x00D000D0);
    EXPECT_EQ(f.flash.status(0), 0x92u);
    f.bus.write(0, 0xFF);
    EXPECT_EQ(f.bus.read(0), 0x04030201u);  // contents unchanged
}

}  // namespace
