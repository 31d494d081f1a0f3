// What a debugger (models/debug, the GDB stub) sees of a core and its SystemC
// thread. Nothing here costs anything while no debugger is attached: the core
// takes its slower run loop only while Core::set_debug_control() holds a
// DebugControl, and CpuModule calls the DebugAgent only when one is set.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace hvsim::cpu {

class Core;

// A data watchpoint: `len` (> 0) bytes at virtual address `addr`, in whatever
// translation regime the core is in, on reads, writes or both.
struct Watchpoint {
    uint64_t addr = 0, len = 0;
    bool on_read = false, on_write = false;

    bool matches(uint64_t va, unsigned size, bool write) const {
        // Inclusive ends: a range may end at the top of the address space.
        return (write ? on_write : on_read) && va <= addr + (len - 1) && addr <= va + (size - 1);
    }
};

// Per-core breakpoints, watchpoints and single step, read by Core::run()'s
// debug loop and by the core's slow memory path. Breakpoints never patch
// guest memory: the loop compares each PC with them.
struct DebugControl {
    enum class Why : uint8_t { None, Breakpoint, Step, Watchpoint };
    std::vector<uint64_t> breakpoints;  // virtual addresses, a handful
    std::vector<Watchpoint> watchpoints;
    bool step = false;                  // stop after one instruction (or one exception entry)
    bool skip_breakpoint = false;       // set on resume: the first instruction runs even at a breakpoint
    bool skip_watchpoints = false;      // set on resume: the first instruction's accesses are not checked
    Why why = Why::None;                // why run() last returned StopReason::Debug
    // Why::Watchpoint: the watchpoint hit (an index in `watchpoints`), the
    // first watched byte the access touches, and whether it was a write.
    unsigned watch_index = 0;
    uint64_t watch_addr = 0;
    bool watch_write = false;

    bool is_breakpoint(uint64_t pc) const {
        return std::find(breakpoints.begin(), breakpoints.end(), pc) != breakpoints.end();
    }
};

// Called by the core's SystemC thread (CpuModule). Both calls may block the
// host thread while the debugger has control; they never call wait(), so the
// whole simulation pauses and simulated time does not advance.
class DebugAgent {
public:
    virtual ~DebugAgent() = default;
    // The platform announces its cores in order (GDB thread ids follow).
    virtual void add_core(Core& core) = 0;
    // Before every run slice: a new connection, Ctrl-C or a pending stop
    // (-S) stops the simulation here.
    virtual void poll(Core& core) = 0;
    // The core's run() returned StopReason::Debug (breakpoint or step done).
    virtual void stopped(Core& core) = 0;
};

}  // namespace hvsim::cpu
