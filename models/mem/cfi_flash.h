// Parallel NOR flash with the CFI query and the Intel/Sharp command set
// (CFI primary command set 0x0001), as QEMU's pflash_cfi01 on the virt
// board: each bank is `bank_width` bytes wide, made of bank_width /
// device_width interleaved devices that all receive the same command and
// answer in their own lane. The contents are read-only: program and erase
// commands complete with the block-locked error in the status register.
// References: JEDEC JESD68.01 (Common Flash Interface), Intel "Common Flash
// Interface and Command Sets" (AP-646) and the StrataFlash command set.
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

namespace hvsim::mem {

struct CfiFlashConfig {
    uint64_t size = 128ull << 20;      // all banks
    unsigned banks = 2;                // independent chips of size / banks
    unsigned bank_width = 4;           // bytes per bus word
    unsigned device_width = 2;         // bytes per device (x16)
    uint64_t sector_size = 256 << 10;  // erase block of the bank (all devices)
    uint8_t manufacturer_id = 0x89, device_id = 0x18;  // as QEMU's virt flash
};

class CfiFlash : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<CfiFlash> socket;

    enum class Mode { ReadArray, ReadStatus, ReadId, Query };

    CfiFlash(sc_core::sc_module_name name, const CfiFlashConfig& cfg);
    ~CfiFlash() override;
    CfiFlash(const CfiFlash&) = delete;
    CfiFlash& operator=(const CfiFlash&) = delete;

    // Loader access by offset; false if [offset, offset+len) is outside.
    bool load(uint64_t offset, const void* src, uint64_t len);
    Mode mode(unsigned bank) const { return banks_.at(bank).mode; }
    uint8_t status(unsigned bank) const { return banks_.at(bank).status; }

private:
    // What the bank expects next after a multi-cycle command's first write.
    enum class Pending { None, ProgramData, EraseConfirm, BufferCount, BufferData, BufferConfirm, LockConfirm };
    struct Bank {
        Mode mode = Mode::ReadArray;
        Pending pending = Pending::None;
        uint8_t status = 0x80;  // SR.7: ready
        unsigned buffer_left = 0;
    };

    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi);
    unsigned transport_dbg(tlm::tlm_generic_payload& gp);
    void command(unsigned bank, uint8_t cmd, uint32_t value);
    void set_mode(unsigned bank, Mode m);
    // One device's answer at device word `index` of the bank in `mode`.
    uint32_t device_answer(const Bank& b, uint64_t index) const;
    uint8_t query_byte(uint64_t index) const;
    uint64_t bank_size() const { return cfg_.size / cfg_.banks; }

    CfiFlashConfig cfg_;
    std::vector<Bank> banks_;
    uint8_t* data_;
};

}  // namespace hvsim::mem
