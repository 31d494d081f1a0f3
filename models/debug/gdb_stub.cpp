#include "gdb_stub.h"

#include <algorithm>
#include <cstring>
#include <iostream>

#include <fmt/format.h>


namespace hvsim::debug {

namespace {

constexpr int kSigInt = 2, kSigTrap = 5;
constexpr unsigned kPacketSize = 0x4000;

std::string hex_bytes(const uint8_t* p, size_t n) {
    std::string s;
    s.reserve(2 * n);
    for (size_t i = 0; i < n; ++i) s += fmt::format("{:02x}", p[i]);
    return s;
}

int nibble(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool parse_hex_bytes(const std::string& s, std::vector<uint8_t>& out) {
    if (s.size() % 2) return false;
    out.clear();
    for (size_t i = 0; i < s.size(); i += 2) {
        const int h = nibble(s[i]), l = nibble(s[i + 1]);
        if (h < 0 || l < 0) return false;
        out.push_back(static_cast<uint8_t>(h << 4 | l));
    }
    return true;
}

bool parse_hex(const std::string& s, uint64_t& v) {
    if (s.empty() || s.size() > 16) return false;
    v = 0;
    for (char c : s) {
        const int n = nibble(c);
        if (n < 0) return false;
        v = v << 4 | static_cast<unsigned>(n);
    }
    return true;
}

// A thread id: hex, or -1 (all).
bool parse_tid(const std::string& s, int& tid) {
    if (s == "-1") {
        tid = -1;
        return true;
    }
    uint64_t v;
    if (!parse_hex(s, v) || v > 0xFFFF) return false;
    tid = static_cast<int>(v);
    return true;
}

}  // namespace

GdbStub::GdbStub(uint16_t port, bool wait) : conn_(port), wait_(wait) {}

void GdbStub::add_core(cpu::Core& core) {
    if (!target_) target_ = std::make_unique<Aarch64Target>(core);
    cores_.push_back(&core);
    controls_.emplace_back();
    stop_pc_.push_back(0);
    stopped_at_watch_.push_back(false);
    // Controls are attached to the cores by update_controls(); the vector
    // must not move once it has been (all cores are added before the run).
}

unsigned GdbStub::thread_index(int tid, unsigned fallback) const {
    if (tid > 0 && static_cast<unsigned>(tid) <= cores_.size()) return static_cast<unsigned>(tid) - 1;
    return fallback;
}

void GdbStub::poll(cpu::Core& core) {
    if (!conn_.connected()) {
        if (wait_) {
            std::cerr << fmt::format("hvsim: gdb: waiting for a connection on 127.0.0.1:{}\n", conn_.port());
            wait_ = false;
            conn_.accept(true);
        } else if (!conn_.accept(false)) {
            return;
        }
        // A debugger attaches: the simulation stops, as with QEMU.
        serve(core.config().index, kSigTrap, false);
        return;
    }
    if (conn_.poll_interrupt()) {
        serve(core.config().index, kSigInt, true);
    } else if (!conn_.connected()) {
        detach();  // the debugger went away while the guest ran
    }
}

void GdbStub::stopped(cpu::Core& core) {
    const unsigned i = core.config().index;
    cpu::DebugControl& ctl = controls_.at(i);
    if (ctl.why == cpu::DebugControl::Why::Step) ctl.step = false;
    stop_watch_.clear();
    stopped_at_watch_[i] = ctl.why == cpu::DebugControl::Why::Watchpoint;
    if (stopped_at_watch_[i]) {
        // The access has not happened: PC is the instruction that makes it,
        // as for an AArch64 Watchpoint exception; gdb steps over it with the
        // watchpoints removed, then compares the watched value.
        static constexpr const char* kNames[] = {"watch", "rwatch", "awatch"};
        const unsigned type = watch_types_.at(ctl.watch_index);
        stop_watch_ = fmt::format("{}:{:x};", kNames[type - 2], ctl.watch_addr);
    }
    ctl.why = cpu::DebugControl::Why::None;
    step_core_ = -1;
    update_controls();
    if (!conn_.connected()) return;  // detached meanwhile: run on
    serve(i, kSigTrap, true);
}

void GdbStub::serve(unsigned thread, int signal, bool announce) {
    if (signal != kSigTrap) stop_watch_.clear();
    stop_thread_ = thread;
    stop_signal_ = signal;
    for (size_t i = 0; i < cores_.size(); ++i) stop_pc_[i] = cores_[i]->st.pc;
    if (announce) conn_.send(stop_reply());
    std::string pkt;
    for (;;) {
        switch (conn_.receive(pkt)) {
        case RspConnection::Event::Closed: detach(); return;
        case RspConnection::Event::Interrupt: conn_.send(stop_reply()); break;  // already stopped
        case RspConnection::Event::Packet:
            if (handle(pkt)) return;
            break;
        }
    }
}

std::string GdbStub::stop_reply() const {
    return fmt::format("T{:02x}{}thread:{:x};", stop_signal_, stop_watch_, stop_thread_ + 1);
}

void GdbStub::update_controls() {
    for (size_t i = 0; i < cores_.size(); ++i) {
        cpu::DebugControl& c = controls_[i];
        c.breakpoints = breakpoints_;
        c.watchpoints = watchpoints_;
        // The slower run loop only while there is something to check.
        cores_[i]->set_debug_control(!c.breakpoints.empty() || !c.watchpoints.empty() || c.step ? &c : nullptr);
    }
}

void GdbStub::resume(bool step) {
    for (size_t i = 0; i < cores_.size(); ++i) {
        // Resuming does not hit the breakpoint the core stopped at.
        controls_[i].skip_breakpoint = cores_[i]->st.pc == stop_pc_[i];
        // Nor the watchpoint it stopped at, if gdb resumes without stepping
        // over the access with the watchpoints removed.
        controls_[i].skip_watchpoints = stopped_at_watch_[i] && cores_[i]->st.pc == stop_pc_[i];
        stopped_at_watch_[i] = false;
        controls_[i].step = false;
    }
    if (step) {
        const unsigned i = thread_index(c_thread_, stop_thread_);
        controls_[i].step = true;
        step_core_ = static_cast<int>(i);
    }
    update_controls();
}

void GdbStub::detach() {
    breakpoints_.clear();
    watchpoints_.clear();
    watch_types_.clear();
    stop_watch_.clear();
    for (auto& c : controls_) c = cpu::DebugControl{};
    step_core_ = -1;
    update_controls();
    conn_.close_client();
}

void GdbStub::finish(int status) {
    if (conn_.connected()) conn_.send(fmt::format("W{:02x}", status & 0xFF));
    detach();
}

bool GdbStub::handle(const std::string& pkt) {
    if (pkt.empty()) {
        conn_.send("");
        return false;
    }
    const std::string args = pkt.substr(1);
    cpu::Core& core = *cores_.at(thread_index(g_thread_, stop_thread_));
    switch (pkt[0]) {
    case '?': conn_.send(stop_reply()); return false;
    case 'g': {
        std::vector<uint8_t> b;
        for (unsigned n = 0; n < target_->count(); ++n) target_->read(core, n, b);
        conn_.send(hex_bytes(b.data(), b.size()));
        return false;
    }
    case 'G': {
        // Registers in the description's order; only those whose value
        // changes are written (read-only ones are then skipped), so a G
        // that gdb builds from its g copy touches nothing else.
        std::vector<uint8_t> b, cur;
        if (!parse_hex_bytes(args, b)) {
            conn_.send("E01");
            return false;
        }
        size_t off = 0;
        for (unsigned n = 0; n < target_->count() && off + target_->size(n) <= b.size(); off += target_->size(n), ++n) {
            cur.clear();
            target_->read(core, n, cur);
            if (std::memcmp(cur.data(), b.data() + off, cur.size()) != 0) target_->write(core, n, b.data() + off);
        }
        conn_.send("OK");
        return false;
    }
    case 'p': {
        uint64_t n;
        std::vector<uint8_t> b;
        if (!parse_hex(args, n) || n >= target_->count()) {
            conn_.send("E01");
        } else {
            target_->read(core, unsigned(n), b);
            conn_.send(hex_bytes(b.data(), b.size()));
        }
        return false;
    }
    case 'P': {
        const auto eq = args.find('=');
        uint64_t n;
        std::vector<uint8_t> b;
        if (eq == std::string::npos || !parse_hex(args.substr(0, eq), n) || n >= target_->count() ||
            !parse_hex_bytes(args.substr(eq + 1), b) || b.size() != target_->size(unsigned(n)) ||
            !target_->write(core, unsigned(n), b.data()))
            conn_.send("E01");
        else
            conn_.send("OK");
        return false;
    }
    case 'm': conn_.send(read_memory(args)); return false;
    case 'M': conn_.send(write_memory(args)); return false;
    case 'c':
    case 's': {
        uint64_t addr;
        if (!args.empty() && parse_hex(args, addr)) cores_.at(thread_index(c_thread_, stop_thread_))->st.pc = addr;
        resume(pkt[0] == 's');
        return true;  // the stop reply comes when the target stops again
    }
    case 'D':
        conn_.send("OK");
        detach();
        return true;
    case 'k':
        killed_ = true;
        detach();
        for (cpu::Core* c : cores_) c->halt();
        return true;
    case 'H': {
        int tid;
        if (args.size() < 2 || !parse_tid(args.substr(1), tid) || (tid > 0 && unsigned(tid) > cores_.size())) {
            conn_.send("E01");
        } else if (args[0] == 'g') {
            g_thread_ = tid;
            conn_.send("OK");
        } else if (args[0] == 'c') {
            c_thread_ = tid;
            conn_.send("OK");
        } else {
            conn_.send("E01");
        }
        return false;
    }
    case 'T': {
        int tid;
        conn_.send(parse_tid(args, tid) && tid > 0 && unsigned(tid) <= cores_.size() ? "OK" : "E01");
        return false;
    }
    case 'Z': conn_.send(breakpoint(args, true)); return false;
    case 'z': conn_.send(breakpoint(args, false)); return false;
    case 'q': conn_.send(query(pkt)); return false;
    default: conn_.send(""); return false;  // not supported
    }
}

std::string GdbStub::query(const std::string& pkt) {
    if (pkt.rfind("qSupported", 0) == 0) return fmt::format("PacketSize={:x};qXfer:features:read+", kPacketSize);
    if (pkt == "qAttached") return "1";
    if (pkt == "qC") return fmt::format("QC{:x}", stop_thread_ + 1);
    if (pkt == "qfThreadInfo") {
        std::string s = "m";
        for (size_t i = 0; i < cores_.size(); ++i) s += fmt::format("{}{:x}", i ? "," : "", i + 1);
        return s;
    }
    if (pkt == "qsThreadInfo") return "l";
    const std::string xfer = "qXfer:features:read:";
    if (pkt.rfind(xfer, 0) == 0) {
        const std::string rest = pkt.substr(xfer.size());
        const auto colon = rest.find(':'), comma = rest.find(',');
        uint64_t off, len;
        if (colon == std::string::npos || comma == std::string::npos || comma < colon ||
            !parse_hex(rest.substr(colon + 1, comma - colon - 1), off) || !parse_hex(rest.substr(comma + 1), len))
            return "E01";
        if (rest.substr(0, colon) != "target.xml") return "E00";
        const std::string& xml = target_->xml();
        if (off >= xml.size()) return "l";
        const std::string part = xml.substr(off, std::min<uint64_t>(len, kPacketSize / 2));
        return (off + part.size() >= xml.size() ? "l" : "m") + part;
    }
    return "";
}

std::string GdbStub::read_memory(const std::string& args) {
    const auto comma = args.find(',');
    uint64_t addr, len;
    if (comma == std::string::npos || !parse_hex(args.substr(0, comma), addr) || !parse_hex(args.substr(comma + 1), len))
        return "E01";
    len = std::min<uint64_t>(len, kPacketSize / 2 - 8);
    std::vector<uint8_t> buf(len);
    cpu::Core& core = *cores_.at(thread_index(g_thread_, stop_thread_));
    if (len && !core.debug_read(addr, buf.data(), unsigned(len), /*ram_only=*/true)) return "E14";
    return hex_bytes(buf.data(), buf.size());
}

std::string GdbStub::write_memory(const std::string& args) {
    const auto comma = args.find(','), colon = args.find(':');
    uint64_t addr, len;
    std::vector<uint8_t> b;
    if (comma == std::string::npos || colon == std::string::npos || colon < comma ||
        !parse_hex(args.substr(0, comma), addr) || !parse_hex(args.substr(comma + 1, colon - comma - 1), len) ||
        !parse_hex_bytes(args.substr(colon + 1), b) || b.size() != len)
        return "E01";
    cpu::Core& core = *cores_.at(thread_index(g_thread_, stop_thread_));
    if (len && !core.debug_write(addr, b.data(), unsigned(len))) return "E14";
    return "OK";
}

std::string GdbStub::breakpoint(const std::string& args, bool insert) {
    // Z0 (software) and Z1 (hardware) behave alike: the run loop compares
    // PCs, nothing is written to guest memory. Z2/Z3/Z4: write, read and
    // access watchpoints.
    if (args.size() < 2 || args[0] < '0' || args[0] > '4' || args[1] != ',') return "";
    const unsigned type = unsigned(args[0] - '0');
    const std::string rest = args.substr(2);
    const auto comma = rest.find(',');
    uint64_t addr, len = 0;
    if (!parse_hex(rest.substr(0, comma), addr)) return "E01";
    if (type >= 2) {
        if (comma == std::string::npos || !parse_hex(rest.substr(comma + 1), len) || len == 0 || addr + (len - 1) < addr)
            return "E01";
        return watchpoint(type, addr, len, insert);
    }
    auto it = std::find(breakpoints_.begin(), breakpoints_.end(), addr);
    if (insert && it == breakpoints_.end()) breakpoints_.push_back(addr);
    if (!insert && it != breakpoints_.end()) breakpoints_.erase(it);
    update_controls();
    return "OK";
}

std::string GdbStub::watchpoint(unsigned type, uint64_t addr, uint64_t len, bool insert) {
    size_t i = 0;
    while (i < watchpoints_.size() &&
           !(watchpoints_[i].addr == addr && watchpoints_[i].len == len && watch_types_[i] == type))
        ++i;
    if (insert && i == watchpoints_.size()) {
        cpu::Watchpoint w;
        w.addr = addr;
        w.len = len;
        w.on_write = type != 3;
        w.on_read = type != 2;
        watchpoints_.push_back(w);
        watch_types_.push_back(type);
        // Pages already in a speed cache would bypass the check.
        for (cpu::Core* c : cores_) c->invalidate_speed_caches();
    } else if (!insert && i < watchpoints_.size()) {
        watchpoints_.erase(watchpoints_.begin() + long(i));
        watch_types_.erase(watch_types_.begin() + long(i));
    }
    update_controls();
    return "OK";
}

}  // namespace hvsim::debug
