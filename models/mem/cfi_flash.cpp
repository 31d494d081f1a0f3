#include "cfi_flash.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "models/common/error.h"

namespace hvsim::mem {

namespace {
// Status register bits (Intel command set).
constexpr uint8_t kSrReady = 0x80, kSrEraseError = 0x20, kSrProgramError = 0x10, kSrLocked = 0x02;
constexpr uint8_t kSrSequenceError = kSrEraseError | kSrProgramError;

unsigned log2u(uint64_t v) {
    unsigned n = 0;
    while (v > 1) {
        v >>= 1;
        ++n;
    }
    return n;
}
}  // namespace

CfiFlash::CfiFlash(sc_core::sc_module_name name, const CfiFlashConfig& cfg)
    : sc_module(name), socket("socket"), cfg_(cfg), banks_(cfg.banks) {
    const unsigned bw = cfg_.bank_width, dw = cfg_.device_width;
    if (cfg_.banks == 0 || cfg_.size % cfg_.banks || (bw != 1 && bw != 2 && bw != 4) || (dw != 1 && dw != 2 && dw != 4) ||
        dw > bw || cfg_.sector_size == 0 || bank_size() % cfg_.sector_size || cfg_.sector_size % bw)
        throw Error(std::string(basename()) + ": impossible CFI flash geometry");
    void* p = mmap(nullptr, cfg_.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) throw Error(std::string("cannot allocate ") + std::to_string(cfg_.size >> 20) + " MiB for " + basename());
    data_ = static_cast<uint8_t*>(p);
    socket.register_b_transport(this, &CfiFlash::b_transport);
    socket.register_get_direct_mem_ptr(this, &CfiFlash::get_direct_mem_ptr);
    socket.register_transport_dbg(this, &CfiFlash::transport_dbg);
}

CfiFlash::~CfiFlash() { munmap(data_, cfg_.size); }

bool CfiFlash::load(uint64_t offset, const void* src, uint64_t len) {
    if (offset > cfg_.size || len > cfg_.size - offset) return false;
    std::memcpy(data_ + offset, src, len);
    return true;
}

// The CFI query structure of one device (JESD68.01 table 1 onwards), at
// device word offsets; the Intel primary extended table follows at 0x31.
uint8_t CfiFlash::query_byte(uint64_t index) const {
    const unsigned devices = cfg_.bank_width / cfg_.device_width;
    const uint64_t blocks = bank_size() / cfg_.sector_size;
    const uint64_t block_units = cfg_.sector_size / devices / 256;  // erase block size in 256-byte units
    // Device interface code: x8-only, x16-only or x32-only.
    const uint8_t interface = cfg_.device_width == 1 ? 0x00 : cfg_.device_width == 2 ? 0x01 : 0x03;
    switch (index) {
    case 0x10: return 'Q';
    case 0x11: return 'R';
    case 0x12: return 'Y';
    case 0x13: return 0x01;  // primary command set: Intel/Sharp extended
    case 0x15: return 0x31;  // primary extended query table address
    case 0x1B: return 0x45;  // Vcc min 4.5 V (BCD)
    case 0x1C: return 0x55;  // Vcc max 5.5 V
    case 0x1F: return 7;     // typical word program: 2^7 us
    case 0x20: return 7;     // typical buffer program: 2^7 us
    case 0x21: return 10;    // typical block erase: 2^10 ms
    case 0x23: case 0x24: case 0x25: return 4;  // maxima: 2^4 times typical
    case 0x27: return static_cast<uint8_t>(log2u(bank_size() / devices));
    case 0x28: return interface;
    case 0x2A: return 6;     // write buffer: 2^6 bytes
    case 0x2C: return 1;     // one erase block region
    case 0x2D: return static_cast<uint8_t>((blocks - 1) & 0xFF);
    case 0x2E: return static_cast<uint8_t>((blocks - 1) >> 8);
    case 0x2F: return static_cast<uint8_t>(block_units & 0xFF);
    case 0x30: return static_cast<uint8_t>(block_units >> 8);
    case 0x31: return 'P';
    case 0x32: return 'R';
    case 0x33: return 'I';
    case 0x34: return '1';
    case 0x35: return '0';
    case 0x3B: return 0x01;  // block status register: lock bit
    default: return 0;
    }
}

uint32_t CfiFlash::device_answer(const Bank& b, uint64_t offset) const {
    switch (b.mode) {
    case Mode::ReadStatus: return b.status;
    case Mode::Query: return query_byte(offset / cfg_.bank_width);
    case Mode::ReadId: {
        // Identifier codes at words 0 and 1 of a block, its lock status at
        // word 2 (and, here, at the block's other words): every block is
        // locked, the flash being read-only.
        const uint64_t index = (offset % cfg_.sector_size) / cfg_.bank_width;
        if (index == 0) return cfg_.manufacturer_id;
        if (index == 1) return cfg_.device_id;
        return 1;
    }
    case Mode::ReadArray: break;
    }
    return 0;
}

void CfiFlash::set_mode(unsigned bank, Mode m) {
    Bank& b = banks_[bank];
    // Leaving read-array mode revokes direct reads; returning to it lets
    // initiators that were refused ask again.
    if ((b.mode == Mode::ReadArray) != (m == Mode::ReadArray))
        socket->invalidate_direct_mem_ptr(bank * bank_size(), (bank + 1) * bank_size() - 1);
    b.mode = m;
}

void CfiFlash::command(unsigned bank, uint8_t cmd, uint32_t value) {
    Bank& b = banks_[bank];
    switch (b.pending) {
    case Pending::None: break;
    case Pending::ProgramData:
        b.pending = Pending::None;
        b.status |= kSrProgramError | kSrLocked;
        return;
    case Pending::EraseConfirm:
        b.pending = Pending::None;
        b.status |= cmd == 0xD0 ? kSrEraseError | kSrLocked : kSrSequenceError;
        return;
    case Pending::BufferCount:
        // The word count minus one, per device.
        b.buffer_left = (value & ((1u << (8 * cfg_.device_width)) - 1)) + 1;
        b.pending = Pending::BufferData;
        return;
    case Pending::BufferData:
        if (--b.buffer_left == 0) b.pending = Pending::BufferConfirm;
        return;
    case Pending::BufferConfirm:
        b.pending = Pending::None;
        b.status |= cmd == 0xD0 ? kSrProgramError | kSrLocked : kSrSequenceError;
        return;
    case Pending::LockConfirm:
        b.pending = Pending::None;
        // Setting a lock or lock-down succeeds (blocks are locked); clearing
        // the locks of a read-only device fails.
        if (cmd == 0xD0) b.status |= kSrEraseError | kSrLocked;
        else if (cmd != 0x01 && cmd != 0x2F) b.status |= kSrSequenceError;
        return;
    }
    switch (cmd) {
    case 0xFF:  // read array
    case 0xF0:  // the AMD reset, which probing software sends first
        set_mode(bank, Mode::ReadArray);
        break;
    case 0x90: set_mode(bank, Mode::ReadId); break;
    case 0x98: set_mode(bank, Mode::Query); break;
    case 0x70: set_mode(bank, Mode::ReadStatus); break;
    case 0x50: b.status = kSrReady; break;  // clear status; the read mode is unchanged
    case 0x10:
    case 0x40:
        b.pending = Pending::ProgramData;
        set_mode(bank, Mode::ReadStatus);
        break;
    case 0x20:
        b.pending = Pending::EraseConfirm;
        set_mode(bank, Mode::ReadStatus);
        break;
    case 0xE8:  // buffered program: reads give the extended status, "buffer available"
        b.pending = Pending::BufferCount;
        set_mode(bank, Mode::ReadStatus);
        break;
    case 0x60:
        b.pending = Pending::LockConfirm;
        set_mode(bank, Mode::ReadStatus);
        break;
    case 0xB0:  // suspend and resume: nothing is ever in progress
    case 0xD0:
        break;
    default: set_mode(bank, Mode::ReadArray); break;
    }
}

void CfiFlash::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time&) {
    const uint64_t addr = gp.get_address();
    const unsigned len = gp.get_data_length();
    if (addr > cfg_.size || len > cfg_.size - addr || gp.get_byte_enable_ptr() || len == 0) {
        gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    const unsigned bank = static_cast<unsigned>(addr / bank_size());
    const uint64_t offset = addr % bank_size();
    if (offset + len > bank_size()) {
        gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    Bank& b = banks_[bank];
    uint8_t* d = gp.get_data_ptr();
    if (gp.is_write()) {
        uint32_t v = 0;
        std::memcpy(&v, d, std::min(len, 4u));
        command(bank, static_cast<uint8_t>(v & 0xFF), v);
    } else if (b.mode == Mode::ReadArray) {
        std::memcpy(d, data_ + addr, len);
        gp.set_dmi_allowed(true);
    } else {
        // Every device answers in its lane of each bus word.
        const unsigned bw = cfg_.bank_width, dw = cfg_.device_width;
        for (unsigned i = 0; i < len; ++i) {
            const uint64_t byte = offset + i;
            const uint64_t word = byte - byte % bw;
            const unsigned in_lane = static_cast<unsigned>(byte % bw % dw);
            d[i] = static_cast<uint8_t>(device_answer(b, word) >> (8 * in_lane));
        }
    }
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

// Direct reads of a bank in read-array mode; commands go through b_transport.
bool CfiFlash::get_direct_mem_ptr(tlm::tlm_generic_payload& gp, tlm::tlm_dmi& dmi) {
    const unsigned bank = static_cast<unsigned>(gp.get_address() / bank_size());
    if (bank >= banks_.size() || banks_[bank].mode != Mode::ReadArray || !gp.is_read()) return false;
    dmi.set_dmi_ptr(data_ + bank * bank_size());
    dmi.set_start_address(bank * bank_size());
    dmi.set_end_address((bank + 1) * bank_size() - 1);
    dmi.allow_read();
    return true;
}

// The debugger sees and patches the array, whatever the read mode.
unsigned CfiFlash::transport_dbg(tlm::tlm_generic_payload& gp) {
    const uint64_t addr = gp.get_address();
    if (addr >= cfg_.size) return 0;
    const unsigned len = static_cast<unsigned>(std::min<uint64_t>(gp.get_data_length(), cfg_.size - addr));
    if (gp.is_read()) std::memcpy(gp.get_data_ptr(), data_ + addr, len);
    else std::memcpy(data_ + addr, gp.get_data_ptr(), len);
    return len;
}

}  // namespace hvsim::mem
