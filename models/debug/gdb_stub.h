// A GDB remote serial protocol stub (QEMU's -s/-S/-gdb): cores are threads,
// registers through the target description of aarch64_target.h, memory
// through each core's debug translation (no TLB fill, no exception, RAM
// only), software breakpoints that never patch guest memory, watchpoints
// that stop before the access, single step, Ctrl-C. See models/debug/README.md for the SystemC integration.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/cpu/core.h"
#include "models/cpu/debug_interface.h"
#include "aarch64_target.h"
#include "rsp_connection.h"

namespace hvsim::debug {

class GdbStub : public cpu::DebugAgent {
public:
    // Listens on 127.0.0.1:port (0: any free port). With `wait`, the
    // simulation does not start before a debugger has attached and resumed.
    GdbStub(uint16_t port, bool wait);

    uint16_t port() const { return conn_.port(); }
    // The debugger killed the simulation ('k').
    bool killed() const { return killed_; }
    // The simulation ended with the guest's exit status: tell the debugger
    // (W packet) and close the connection.
    void finish(int status);

    // cpu::DebugAgent
    void add_core(cpu::Core& core) override;
    void poll(cpu::Core& core) override;
    void stopped(cpu::Core& core) override;

private:
    enum class Resume { Continue, Step, Detach };
    // Serves packets while the simulation is stopped, until the debugger
    // resumes, detaches, kills or goes away.
    void serve(unsigned thread, int signal, bool announce);
    // One packet; returns true when the target resumes.
    bool handle(const std::string& pkt);
    std::string stop_reply() const;
    void resume(bool step);
    void detach();
    void update_controls();  // attaches DebugControl only where needed
    unsigned thread_index(int tid, unsigned fallback) const;
    std::string query(const std::string& pkt);
    std::string read_memory(const std::string& args);
    std::string write_memory(const std::string& args);
    std::string breakpoint(const std::string& pkt, bool insert);
    std::string watchpoint(unsigned type, uint64_t addr, uint64_t len, bool insert);

    RspConnection conn_;
    bool wait_;
    bool killed_ = false;
    std::vector<cpu::Core*> cores_;
    std::unique_ptr<Aarch64Target> target_;  // from the first core: all are alike
    std::vector<cpu::DebugControl> controls_;
    std::vector<uint64_t> stop_pc_;  // each core's PC when the simulation stopped
    std::vector<uint64_t> breakpoints_;
    std::vector<cpu::Watchpoint> watchpoints_;
    std::vector<unsigned> watch_types_;  // Z type (2 write, 3 read, 4 access) of each watchpoint
    std::string stop_watch_;             // "watch:ADDR;" (or rwatch/awatch) of the last stop, if any
    std::vector<bool> stopped_at_watch_; // each core's last stop was a watchpoint hit
    unsigned stop_thread_ = 0;  // core of the last stop reply
    int stop_signal_ = 5;
    int g_thread_ = 0, c_thread_ = 0;  // Hg / Hc selections (0: any, -1: all)
    int step_core_ = -1;               // core stepping, -1 when none
};

}  // namespace hvsim::debug
