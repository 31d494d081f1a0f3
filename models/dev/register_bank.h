// Device registers declared with name, offset, reset value and callbacks
// instead of hand-decoded offset switches:
//
//   regs_.add("UARTIBRD", 0x024, 0).mask(0xFFFF);
//   regs_.add("UARTDR", 0x000, 0).on_write([this](uint32_t v) { transmit(v); })
//                              .on_read([this] { return receive(); });
//
// A register without callbacks is plain storage (writes masked by `mask`);
// read-only registers ignore writes. Accesses to offsets with no register
// are reported to the caller, which decides the bus response.
//
// Runs of identical registers (one bit or byte per interrupt, say) are
// declared once, with callbacks that receive the index in the run:
//
//   regs_.add_array("GICD_ISENABLER", 0x100, 32)
//       .on_read([this](unsigned i) { return enabled_word(i); })
//       .on_write([this](unsigned i, uint32_t v) { set_enabled(i, v); });
//
// `access()` serves bus accesses of 1, 2, 4 or 8 bytes: an 8-byte access is
// two 32-bit accesses (low word first), and 1- or 2-byte accesses are allowed
// only to registers marked `byte_access()` (a read-modify-write of the
// 32-bit register for writes).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <cstring>
#include <string>
#include <vector>

namespace hvsim::dev {

class Register {
public:
    Register(std::string name, uint32_t offset, uint32_t reset) : name_(std::move(name)), offset_(offset), reset_(reset), value_(reset) {}

    Register& mask(uint32_t m) { mask_ = m; return *this; }
    Register& read_only() { read_only_ = true; return *this; }
    Register& byte_access() { byte_access_ = true; return *this; }
    bool byte_accessible() const { return byte_access_; }
    Register& on_read(std::function<uint32_t()> f) { on_read_ = std::move(f); return *this; }
    Register& on_write(std::function<void(uint32_t)> f) { on_write_ = std::move(f); return *this; }

    uint32_t read() const { return on_read_ ? on_read_() : value_; }
    void write(uint32_t v) {
        if (read_only_) return;
        if (on_write_) on_write_(v & mask_);
        else value_ = v & mask_;
    }
    void reset() { value_ = reset_; }
    uint32_t value() const { return value_; }
    void set(uint32_t v) { value_ = v; }
    const std::string& name() const { return name_; }
    uint32_t offset() const { return offset_; }

private:
    std::string name_;
    uint32_t offset_, reset_, value_;
    uint32_t mask_ = 0xFFFFFFFFu;
    bool read_only_ = false;
    bool byte_access_ = false;
    std::function<uint32_t()> on_read_;
    std::function<void(uint32_t)> on_write_;
};

// The registers of one run, configured together (see RegisterBank::add_array).
class RegisterArray {
public:
    explicit RegisterArray(std::vector<Register*> regs) : regs_(std::move(regs)) {}
    RegisterArray& mask(uint32_t m) {
        for (Register* r : regs_) r->mask(m);
        return *this;
    }
    RegisterArray& read_only() {
        for (Register* r : regs_) r->read_only();
        return *this;
    }
    RegisterArray& byte_access() {
        for (Register* r : regs_) r->byte_access();
        return *this;
    }
    RegisterArray& on_read(std::function<uint32_t(unsigned)> f) {
        for (unsigned i = 0; i < regs_.size(); ++i) regs_[i]->on_read([f, i] { return f(i); });
        return *this;
    }
    RegisterArray& on_write(std::function<void(unsigned, uint32_t)> f) {
        for (unsigned i = 0; i < regs_.size(); ++i) regs_[i]->on_write([f, i](uint32_t v) { f(i, v); });
        return *this;
    }
    size_t size() const { return regs_.size(); }

private:
    std::vector<Register*> regs_;
};

class RegisterBank {
public:
    Register& add(std::string name, uint32_t offset, uint32_t reset = 0) {
        auto [it, inserted] = regs_.emplace(offset, Register(std::move(name), offset, reset));
        return it->second;
    }
    // `count` registers at offset + stride * i, named NAME<i>.
    RegisterArray add_array(const std::string& name, uint32_t offset, unsigned count, uint32_t stride = 4,
                            uint32_t reset = 0) {
        std::vector<Register*> regs;
        for (unsigned i = 0; i < count; ++i) regs.push_back(&add(name + std::to_string(i), offset + stride * i, reset));
        return RegisterArray(std::move(regs));
    }
    Register* find(uint32_t offset) {
        auto it = regs_.find(offset);
        return it == regs_.end() ? nullptr : &it->second;
    }
    // The stored value of a plain register (0 if there is none).
    uint32_t value(uint32_t offset) const {
        auto it = regs_.find(offset);
        return it == regs_.end() ? 0 : it->second.value();
    }
    // 32-bit accesses at register offsets; false if no register is there.
    bool read(uint32_t offset, uint32_t& v) {
        Register* r = find(offset);
        if (!r) return false;
        v = r->read();
        return true;
    }
    bool write(uint32_t offset, uint32_t v) {
        Register* r = find(offset);
        if (!r) return false;
        r->write(v);
        return true;
    }
    void reset() {
        for (auto& [off, r] : regs_) r.reset();
    }
    // A bus access of `len` bytes (see the header comment); false if there is
    // no register there or the access size is not allowed for it.
    bool access(uint32_t offset, uint8_t* data, unsigned len, bool write) {
        if (len == 8 && !(offset & 7))
            return access(offset, data, 4, write) && access(offset + 4, data + 4, 4, write);
        if (len == 4 && !(offset & 3)) {
            uint32_t v = 0;
            if (write) {
                std::memcpy(&v, data, 4);
                return this->write(offset, v);
            }
            if (!read(offset, v)) return false;
            std::memcpy(data, &v, 4);
            return true;
        }
        if ((len != 1 && len != 2) || (offset & (len - 1))) return false;
        Register* r = find(offset & ~3u);
        if (!r || !r->byte_accessible()) return false;
        const unsigned shift = 8 * (offset & 3);
        const uint32_t m = (len == 1 ? 0xFFu : 0xFFFFu) << shift;
        uint32_t v = r->read();
        if (write) {
            uint32_t in = 0;
            std::memcpy(&in, data, len);
            r->write((v & ~m) | ((in << shift) & m));
        } else {
            v = (v & m) >> shift;
            std::memcpy(data, &v, len);
        }
        return true;
    }

private:
    std::map<uint32_t, Register> regs_;
};

}  // namespace hvsim::dev
