// The `virt` platform: QEMU's virt board memory map, so that software built
// for it runs unchanged. It composes models and applies configuration; the
// behaviour lives in the models.
#pragma once

#include <array>
#include <csignal>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/cache/coherency_checker.h"
#include "models/cache/hierarchy.h"
#include "models/cpu/cpu_module.h"
#include "models/cpu/pmu.h"
#include "models/dev/pl011.h"
#include "models/dev/pl031.h"
#include "models/gic/gic.h"
#include "models/gic/gic_tlm.h"
#include "models/its/its_module.h"
#include "models/its/protocol_checker.h"
#include "models/mem/cfi_flash.h"
#include "models/mem/memory.h"
#include "models/mem/router.h"
#include "models/timer/generic_timer.h"
#include "annotations.h"
#include "emulation_checker.h"
#include "psci.h"
#include "semihosting.h"

namespace hvsim::platform {

// QEMU virt memory map (hw/arm/virt.c, base_memmap).
namespace virt_map {
constexpr uint64_t kFlash = 0x00000000, kFlashSize = 0x08000000;
constexpr uint64_t kGicDist = 0x08000000, kGicIts = 0x08080000, kGicRedist = 0x080A0000;
constexpr uint64_t kUart = 0x09000000, kUartSize = 0x1000;
constexpr uint64_t kRtc = 0x09010000;
constexpr uint64_t kRam = 0x40000000;
}  // namespace virt_map

struct MemRegion {
    uint64_t base = 0, size = 0;
};

// The device regions (configuration `memory_map.*`); RAM is `ram_base`.
struct VirtMemoryMap {
    MemRegion flash{virt_map::kFlash, virt_map::kFlashSize};  // two CFI banks of size/2
    MemRegion gic_dist{virt_map::kGicDist, 0x10000};
    MemRegion gic_its{virt_map::kGicIts, 0x20000};
    MemRegion gic_redist{virt_map::kGicRedist, 0xF60000};     // 0x20000 per core used
    MemRegion uart{virt_map::kUart, virt_map::kUartSize};
    MemRegion rtc{virt_map::kRtc, 0x1000};
};

// Built from the JSON configuration by virt_config() (platforms/config.h).
struct VirtConfig {
    unsigned cores = 1;
    unsigned clusters = 1;             // MPIDR Aff1 = cluster, Aff0 = core in cluster
    uint64_t ram_base = virt_map::kRam;
    uint64_t ram_bytes = 1024ull << 20;
    VirtMemoryMap map;
    std::string cpu_compatible = "arm,armv8";  // device tree /cpus/cpu@N compatible
    unsigned entry_el = 2;             // EL2 as with QEMU's virtualization=on
    uint64_t quantum_cycles = 10000;   // temporal decoupling quantum
    uint32_t rtc_start = 0;            // PL031 RTCDR at simulated time 0 (seconds)
    // Latency of a RAM access that is not served through DMI (page-table
    // walks today; the cache models will own memory timing).
    double ram_latency_ns = 80;
    uint64_t max_instructions = 0;     // per core; 0 = unlimited
    uint64_t max_time_ps = 0;          // simulated time limit (--max-time); 0 = none
    bool semihosting = true;
    std::string semihosting_cmdline;   // what SYS_GET_CMDLINE returns
    Trace* trace = nullptr;            // shared by all models; nullptr = off
    // The ITS (models/its): per-command latency, cache sizes, the DeviceID
    // of CPU writes to GITS_TRANSLATER (`its.*`); the redistributors' LPI
    // configuration caches (`gic.*`). tables_coherent follows
    // caches.gic_its_coherent.
    double its_command_latency_ns = 100;
    its::ItsConfig its;
    gic::LpiCaching lpi_caching = gic::LpiCaching::Lazy;
    unsigned lpi_cache_entries = 256;
    // `gic.version`: 3, or 4 for GICv4.0 (virtual LPIs, direct injection,
    // the ITS's V* commands; redistributors 0x40000 apart).
    unsigned gic_version = 3;
    uint64_t redistributor_stride() const { return gic_version == 4 ? 0x40000 : 0x20000; }
    bool check_stale = false;          // the TLB/walk-cache staleness checker
    bool check_coherency = false;      // the cache coherency hazard checker
    bool check_its = false;            // the ITS protocol checker (models/its/protocol_checker.h)
    bool check_emulation = false;      // the two-pass emulation checker (platforms/emulation_checker.h)
    std::FILE* check_output = stderr;
    cpu::DebugAgent* debugger = nullptr;  // a GDB stub (models/debug), told of every core
    const volatile std::sig_atomic_t* stop_request = nullptr;  // set (by a signal handler) to end the run: status 130
    // The core as `cpu.*` configures it; on this platform each core has a
    // PMU unless cpu.pmu.enabled = false.
    cpu::CoreConfig core = [] {
        cpu::CoreConfig c;
        c.pmu = true;
        return c;
    }();
};

class VirtPlatform : public cpu::SystemHooks {
public:
    VirtPlatform(const VirtConfig& cfg, std::ostream& console);
    ~VirtPlatform() override;

    // Guest physical memory writes for the loaders; false if not RAM/flash.
    bool write_phys(uint64_t pa, const uint8_t* data, uint64_t len);
    // Starts the boot core at `entry`; the others stay off until PSCI CPU_ON.
    void set_entry(uint64_t entry) { entry_ = entry; }
    // X0-X3 of the boot core at entry (X0 = DTB address for a Linux Image).
    void set_entry_regs(const std::array<uint64_t, 4>& regs) { entry_regs_ = regs; }
    // The console UART's receive side (e.g. a ConsoleInput on stdin).
    void set_console_input(dev::Pl011::InputSource src) { uart_->set_input(std::move(src)); }

    // Runs until the guest exits; returns its exit status.
    int run();
    // Why the run ended, for the user.
    const std::string& stop_reason() const { return stop_reason_; }
    nlohmann::json statistics() const;
    // {checker: protocol errors reported} for each enabled checker (the
    // ITS checker's INV/INVALL that found nothing are not errors).
    nlohmann::json checker_reports() const;
    const Annotations& annotations() const { return annotations_; }

    // SystemHooks
    bool firmware_call(cpu::Core& core, bool is_smc) override;
    bool semihosting(cpu::Core& core) override;
    void sys_op(cpu::Core& core, cpu::SR op, cpu::SysOpKind kind, uint64_t arg) override;
    void send_event(cpu::Core& sender) override;
    void guest_stuck(cpu::Core& core, const std::string& why) override;
    void broadcast_tlbi(cpu::Core& issuer, mmu::TlbiOp op, uint64_t xt, const mmu::TlbiContext& tc) override;
    void observed_read(cpu::Core& core, uint64_t pa, const void* data, unsigned size) override;

private:
    void stop(int code, const std::string& why);
    nlohmann::json gic_statistics() const;
    nlohmann::json its_statistics() const;

    VirtConfig cfg_;
    std::ostream& console_;
    cpu::DecodeCache dcache_;
    cpu::GlobalMonitor monitor_;
    std::unique_ptr<mem::Router> bus_;
    std::unique_ptr<mem::Memory> ram_;
    std::unique_ptr<mem::CfiFlash> flash_;
    std::unique_ptr<dev::Pl011> uart_;
    std::unique_ptr<dev::Pl031> rtc_;
    std::unique_ptr<gic::Gic> gic_;
    std::unique_ptr<gic::MmioFrame> gicd_, gicr_;
    std::unique_ptr<gic::BusPort> gic_bus_;   // the redistributors' LPI table accesses
    std::unique_ptr<its::ItsModule> its_;
    std::vector<std::unique_ptr<cpu::CpuModule>> cpus_;
    std::vector<std::unique_ptr<timer::GenericTimer>> timers_;
    std::vector<std::unique_ptr<cpu::Pmu>> pmus_;
    std::unique_ptr<Psci> psci_;
    std::unique_ptr<Semihosting> semihosting_;
    Annotations annotations_;
    std::unique_ptr<mmu::StalenessChecker> checker_;
    std::unique_ptr<cache::Hierarchy> caches_;   // nullptr: caches.enabled = false
    std::unique_ptr<cache::CoherencyChecker> coherency_;
    std::unique_ptr<its::ProtocolChecker> its_checker_;
    std::unique_ptr<EmulationChecker> emulation_;
    uint64_t entry_ = virt_map::kRam;
    std::array<uint64_t, 4> entry_regs_{};
    std::optional<int> exit_code_;
    std::string stop_reason_;
    double wall_seconds_ = 0;
};

}  // namespace hvsim::platform
