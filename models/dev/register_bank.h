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
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace hvsim::dev {

class Register {
public:
    Register(std::string name, uint32_t offset, uint32_t reset) : name_(std::move(name)), offset_(offset), reset_(reset), value_(reset) {}

    Register& mask(uint32_t m) { mask_ = m; return *this; }
    Register& read_only() { read_only_ = true; return *this; }
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
    std::function<uint32_t()> on_read_;
    std::function<void(uint32_t)> on_write_;
};

class RegisterBank {
public:
    Register& add(std::string name, uint32_t offset, uint32_t reset = 0) {
        auto [it, inserted] = regs_.emplace(offset, Register(std::move(name), offset, reset));
        return it->second;
    }
    Register* find(uint32_t offset) {
        auto it = regs_.find(offset);
        return it == regs_.end() ? nullptr : &it->second;
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

private:
    std::map<uint32_t, Register> regs_;
};

}  // namespace hvsim::dev
