#include "virt.h"

#include <sys/resource.h>

#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "models/common/error.h"

namespace hvsim::platform {

VirtPlatform::VirtPlatform(const VirtConfig& cfg, std::ostream& console)
    : cfg_(cfg), console_(console), monitor_(cfg.cores), annotations_(cfg.cores) {
    if (cfg_.cores == 0 || cfg_.cores > 255) throw Error(fmt::format("unsupported core count {}", cfg_.cores));
    if (cfg_.entry_el < 1 || cfg_.entry_el > 3) throw Error(fmt::format("unsupported entry EL {}", cfg_.entry_el));
    if (cfg_.ram_bytes == 0 || (cfg_.ram_bytes & 0xFFF) || cfg_.ram_bytes > (255ull << 30))
        throw Error(fmt::format("unsupported RAM size {} bytes", cfg_.ram_bytes));

    bus_ = std::make_unique<mem::Router>("bus");
    // Two banks of x32 made of two x16 devices, 256 KiB sectors: QEMU
    // virt's pflash0/pflash1 (the device tree's bank-width is 4).
    mem::CfiFlashConfig fc;
    fc.size = cfg_.map.flash.size;
    flash_ = std::make_unique<mem::CfiFlash>("flash", fc);
    ram_ = std::make_unique<mem::Memory>("ram", cfg_.ram_bytes, false,
                                         sc_core::sc_time(cfg_.ram_latency_ns, sc_core::SC_NS));
    uart_ = std::make_unique<dev::Pl011>("uart0", console_);
    bus_->map("flash", cfg_.map.flash.base, cfg_.map.flash.size);
    bus_->initiator_socket.bind(flash_->socket);
    bus_->map("pl011", cfg_.map.uart.base, cfg_.map.uart.size);
    bus_->initiator_socket.bind(uart_->socket);
    rtc_ = std::make_unique<dev::Pl031>("rtc", cfg_.rtc_start);
    bus_->map("pl031", cfg_.map.rtc.base, cfg_.map.rtc.size);
    bus_->initiator_socket.bind(rtc_->socket);
    bus_->map("ram", cfg_.ram_base, cfg_.ram_bytes);
    bus_->initiator_socket.bind(ram_->socket);

    // The entry EL decides which ELs exist, as QEMU's secure= and
    // virtualization= options do; the ID registers then advertise them.
    if (cfg_.check_stale) checker_ = std::make_unique<mmu::StalenessChecker>(cfg_.check_output);
    if (cfg_.core.caches.enabled) {
        // The hierarchy caches RAM; DRAM is the RAM model's storage.
        const uint64_t base = cfg_.ram_base, size = cfg_.ram_bytes;
        caches_ = std::make_unique<cache::Hierarchy>(cfg_.core.caches, cfg_.cores, ram_->data(), base, size);
        caches_->set_trace(cfg_.trace);
        // Each core decodes what its own L1I holds; decodes of uncached
        // fetches follow DRAM.
        dcache_.set_views(cfg_.cores);
        caches_->on_icache_fill([this](unsigned core, uint64_t line) { dcache_.invalidate_line(core, line, caches_->line_bytes()); });
        caches_->on_dram_write([this](uint64_t pa, unsigned len) {
            if (dcache_.may_hold_code(pa & ~0xFFFull)) dcache_.on_write(pa, len);
        });
        if (cfg_.check_coherency) {
            coherency_ = std::make_unique<cache::CoherencyChecker>(cfg_.check_output);
            coherency_->set_trace(cfg_.trace);
            caches_->set_checker(coherency_.get());
        }
    } else if (cfg_.check_coherency) {
        throw Error("--check coherency: needs the cache model (caches.enabled = true)");
    }
    cpu::CoreConfig cc = cfg_.core;
    cc.has_el3 = cfg_.entry_el == 3;
    cc.has_el2 = cfg_.entry_el >= 2;
    cc.gic_sysregs = true;
    for (unsigned i = 0; i < cfg_.cores; ++i) {
        cc.index = i;
        const unsigned per_cluster = cfg_.cores / (cfg_.clusters ? cfg_.clusters : 1);
        cc.aff0 = static_cast<uint8_t>(i % per_cluster);
        cc.aff1 = static_cast<uint8_t>(i / per_cluster);
        auto m = std::make_unique<cpu::CpuModule>(fmt::format("cpu{}", i).c_str(), cc, *this, dcache_, monitor_,
                                                  cfg_.quantum_cycles);
        m->socket.bind(bus_->target_socket);
        m->core().set_trace(cfg_.trace);
        m->core().set_staleness_checker(checker_.get());
        m->core().set_caches(caches_.get());
        m->set_halt_callback([this] { sc_core::sc_stop(); });
        if (cfg_.debugger) {
            m->set_debugger(cfg_.debugger);
            cfg_.debugger->add_core(m->core());
        }
        if (cfg_.stop_request) m->set_stop_request(cfg_.stop_request, [this] { stop(130, "interrupted (Ctrl-C)"); });
        m->set_instruction_limit(cfg_.max_instructions, [this, i] {
            stop(124, fmt::format("cpu{} reached the instruction limit ({})", i, cfg_.max_instructions));
        });
        cpus_.push_back(std::move(m));
    }
    monitor_.set_event_sink([this](unsigned i) {
        cpus_[i]->core().send_event();
        cpus_[i]->wake();
    });

    // GICv3 as on QEMU virt (gic-version=3): 256 SPIs, the PL011 on SPI 1
    // (INTID 33); each core's ICC_* registers and IRQ/FIQ lines.
    gic::GicConfig gc;
    for (auto& m : cpus_) {
        const auto& c = m->core().config();
        gc.affinities.push_back((uint32_t(c.aff1) << 8) | c.aff0);
    }
    gc.lpis = true;
    gc.lpi_caching = cfg_.lpi_caching;
    gc.lpi_cache_entries = cfg_.lpi_cache_entries;
    gc.v4 = cfg_.gic_version == 4;
    gic_ = std::make_unique<gic::Gic>(gc);
    auto now_ns = [] { return uint64_t(sc_core::sc_time_stamp().value() / sc_core::sc_time(1, sc_core::SC_NS).value()); };
    gic_->set_trace(cfg_.trace, now_ns);
    gic_bus_ = std::make_unique<gic::BusPort>("gic_bus");
    gic_bus_->socket.bind(bus_->target_socket);
    // The GIC's and the ITS's table accesses: around the caches (to DRAM) by
    // default, coherently with caches.gic_its_coherent.
    const bool coherent_tables = caches_ && cfg_.core.caches.gic_its_coherent;
    // A coherent access costs the hierarchy's latency (core cycles), charged
    // to the port like a bus access.
    const double cycle_ns = 1e9 / double(cfg_.core.freq_hz);
    auto table_access = [this, coherent_tables, cycle_ns](gic::BusPort& port) {
        return [this, &port, coherent_tables, cycle_ns](uint64_t pa, uint8_t* d, unsigned len, bool w) {
            if (coherent_tables && caches_->is_ram(pa) && caches_->is_ram(pa + len - 1)) {
                const cache::Who who{0, cache::Who::kNoCore, 0};
                const uint32_t cycles = w ? caches_->coherent_write(pa, d, len, who) : caches_->coherent_read(pa, d, len, who);
                port.add_delay(sc_core::sc_time(cycles * cycle_ns, sc_core::SC_NS));
                return true;
            }
            return port.access(pa, d, len, w);
        };
    };
    gic_->set_memory_access(table_access(*gic_bus_));
    gic_->set_tables_coherent(!caches_ || coherent_tables);
    if (gic_->redistributor_region_size() > cfg_.map.gic_redist.size)
        throw Error(fmt::format("{} cores need more than the GIC redistributor region", cfg_.cores));
    gicd_ = std::make_unique<gic::MmioFrame>("gicd", [this](uint64_t off, uint8_t* d, unsigned len, bool w) {
        return gic_->distributor_access(off, d, len, w);
    });
    gicr_ = std::make_unique<gic::MmioFrame>("gicr", [this](uint64_t off, uint8_t* d, unsigned len, bool w) {
        return gic_->redistributor_access(off, d, len, w);
    });
    bus_->map("gicd", cfg_.map.gic_dist.base, cfg_.map.gic_dist.size);
    bus_->initiator_socket.bind(gicd_->socket);
    bus_->map("gicr", cfg_.map.gic_redist.base, gic_->redistributor_region_size());
    bus_->initiator_socket.bind(gicr_->socket);
    // The ITS (QEMU virt's gic-version=3 board has one at 0x08080000).
    its::ItsConfig ic = cfg_.its;
    ic.tables_coherent = !caches_ || coherent_tables;
    its_ = std::make_unique<its::ItsModule>("its", *gic_, ic, sc_core::sc_time(cfg_.its_command_latency_ns, sc_core::SC_NS));
    its_->bus.socket.bind(bus_->target_socket);
    if (coherent_tables) its_->its().set_memory_access(table_access(its_->bus));
    its_->its().set_trace(cfg_.trace);
    // its.seis: a command error is a System Error, IMPLEMENTATION DEFINED in
    // how it reaches the PEs; here an SError interrupt pending on every core.
    its_->its().set_system_error([this] {
        for (auto& m : cpus_) m->raise_serror();
    });
    if (cfg_.check_its) {
        // Memory as the GIC and the ITS see it, and (not coherent) the newest copy.
        auto gic_view = [this, coherent_tables](uint64_t pa, void* dst, unsigned len) {
            if (coherent_tables) caches_->debug_read(pa, dst, len);
            else if (pa >= cfg_.ram_base && pa - cfg_.ram_base + len <= cfg_.ram_bytes)
                std::memcpy(dst, ram_->data() + (pa - cfg_.ram_base), len);
            else std::memset(dst, 0, len);
        };
        its::ProtocolChecker::Read newest;
        if (caches_ && !coherent_tables)
            newest = [this](uint64_t pa, void* dst, unsigned len) { caches_->debug_read(pa, dst, len); };
        its_checker_ = std::make_unique<its::ProtocolChecker>(cfg_.check_output, *gic_, gic_view, newest, now_ns);
        gic_->set_lpi_observer(its_checker_.get());
        its_->its().set_command_observer(
            [this](uint64_t pa, const uint64_t(&dw)[4]) { its_checker_->command_read(pa, dw); });
    }
    bus_->map("its", cfg_.map.gic_its.base, cfg_.map.gic_its.size);
    bus_->initiator_socket.bind(its_->socket);
    for (unsigned i = 0; i < cfg_.cores; ++i) {
        cpu::CpuModule* m = cpus_[i].get();
        m->core().set_interrupt_controller(gic_.get());
        gic_->set_output(i, [m](bool irq, bool fiq) {
            m->set_irq(irq);
            m->set_fiq(fiq);
        });
        gic_->set_virtual_output(i, [m](bool virq, bool vfiq) { m->set_virtual_irq_fiq(virq, vfiq); });
    }
    // Generic timers, one set per core, on the PPIs QEMU virt uses (and the
    // device tree's "arm,armv8-timer" node lists): EL1 physical PPI 14
    // (INTID 30), virtual 11 (27), EL2 physical 10 (26), secure 13 (29),
    // EL2 virtual (FEAT_VHE) 12 (28).
    for (unsigned i = 0; i < cfg_.cores; ++i) {
        static constexpr unsigned kPpi[timer::kNumTimers] = {14, 11, 10, 13, 12};
        timers_.push_back(std::make_unique<timer::GenericTimer>(
            [this, i](timer::TimerId t, bool level) {
                static constexpr const char* kName[timer::kNumTimers] = {"phys", "virt", "hyp_phys", "sec_phys", "hyp_virt"};
                if (cfg_.trace && cfg_.trace->on(Trace::kTimer))
                    cfg_.trace->emit(Trace::kTimer, cpus_[i]->core().cycles(), i, "irq timer={} intid={} level={}",
                                     kName[unsigned(t)], kPpi[unsigned(t)] + 16, level ? 1 : 0);
                gic_->set_ppi(i, kPpi[unsigned(t)], level);
            }));
        cpus_[i]->core().set_timer(timers_.back().get());
    }
    // The PMU overflow interrupt: PPI 7 (INTID 23) of each core, as QEMU virt.
    if (cc.pmu) {
        for (unsigned i = 0; i < cfg_.cores; ++i) {
            cpu::PmuConfig pc;
            pc.counters = cc.pmu_counters;
            pc.caches = caches_ != nullptr;
            pc.l2_cache = caches_ && caches_->has_l2();
            pc.tlb = cc.tlb_model && cc.tlb.l1i.entries > 0 && cc.tlb.l1d.entries > 0;
            pc.l2_tlb = cc.tlb_model && cc.tlb.l2.entries > 0;
            pmus_.push_back(std::make_unique<cpu::Pmu>(pc));
            pmus_.back()->set_output([this, i](bool level) { gic_->set_ppi(i, 7, level); });
            cpus_[i]->core().set_pmu(pmus_.back().get());
        }
    }
    uart_->set_trace(cfg_.trace);
    uart_->set_irq_callback([this](bool level) { gic_->set_spi(1, level); });
    if (cfg_.trace) {
        cfg_.trace->set_core_context([this](unsigned i, Trace::CoreState& s) {
            if (i >= cpus_.size()) return false;
            const cpu::Core& c = cpus_[i]->core();
            s.el = c.st.pstate.el;
            s.pc = c.pc();
            // The EL1&0 regime's stage 2 is in effect with HCR_EL2.VM or DC,
            // and not under {E2H, TGE} = {1, 1} (Arm ARM D8.2, "stage 2 enable").
            const uint64_t hcr = c.el2_enabled() ? c.sr(cpu::SR::HCR_EL2) : 0;
            const bool host = (hcr >> 34 & 1) && (hcr >> 27 & 1);
            s.stage2 = s.el <= 1 && (hcr & (1ull | 1ull << 12)) && !host;
            s.vmid = static_cast<unsigned>(c.sr(cpu::SR::VTTBR_EL2) >> 48 & 0xFF);
            return true;
        });
        std::vector<double> periods;
        for (auto& m : cpus_) periods.push_back(m->period() / sc_core::sc_time(1, sc_core::SC_PS));
        cfg_.trace->set_core_periods_ps(std::move(periods));
    }
    rtc_->set_irq_callback([this](bool level) { gic_->set_spi(2, level); });

    // Firmware services: PSCI through SMC when EL2 exists and no guest
    // software owns EL3, through HVC when the guest starts at EL1 without
    // EL2, as QEMU chooses its conduit.
    Psci::Conduit conduit = cc.has_el3 ? Psci::Conduit::None : cc.has_el2 ? Psci::Conduit::Smc : Psci::Conduit::Hvc;
    Psci::Callbacks cb;
    cb.system_off = [this](int code, const char* why) { stop(code, why); };
    cb.cpu_on = [this](uint64_t mpidr, uint64_t entry, uint64_t context) -> int32_t {
        for (auto& m : cpus_) {
            const auto& c = m->core().config();
            if ((mpidr & 0xFFFF) != ((uint64_t(c.aff1) << 8) | c.aff0)) continue;
            if (m->powered()) return Psci::kAlreadyOn;
            m->power_on(entry, cfg_.entry_el);
            m->core().st.x[0] = context;
            return Psci::kSuccess;
        }
        return Psci::kInvalidParameters;
    };
    cb.cpu_off = [this](cpu::Core& core) {
        // Off after this instruction; halt() would stop the whole platform.
        cpus_.at(core.config().index)->power_off();
        core.end_run_at(0);
    };
    cb.affinity_info = [this](uint64_t mpidr) -> int32_t {
        for (auto& m : cpus_) {
            const auto& c = m->core().config();
            if ((mpidr & 0xFFFF) == ((uint64_t(c.aff1) << 8) | c.aff0)) return m->powered() ? 0 : 1;
        }
        return Psci::kInvalidParameters;
    };
    psci_ = std::make_unique<Psci>(conduit, std::move(cb));
    semihosting_ = std::make_unique<Semihosting>(console_, [this](int code, const char* why) { stop(code, why); });
    semihosting_->set_command_line(cfg_.semihosting_cmdline);
    semihosting_->set_annotations(&annotations_);
    if (cfg_.check_emulation) {
        emulation_ = std::make_unique<EmulationChecker>(cfg_.cores, cfg_.check_output);
        semihosting_->set_emulation_checker(emulation_.get());
    }
}

VirtPlatform::~VirtPlatform() = default;

bool VirtPlatform::write_phys(uint64_t pa, const uint8_t* data, uint64_t len) {
    if (pa >= cfg_.ram_base && pa - cfg_.ram_base < cfg_.ram_bytes) return ram_->load(pa - cfg_.ram_base, data, len);
    const MemRegion& fl = cfg_.map.flash;
    if (pa >= fl.base && pa - fl.base < fl.size && len <= fl.size - (pa - fl.base)) return flash_->load(pa - fl.base, data, len);
    return false;
}

void VirtPlatform::stop(int code, const std::string& why) {
    if (!exit_code_) {
        exit_code_ = code;
        stop_reason_ = why;
    }
    for (auto& m : cpus_) m->core().halt();
}

int VirtPlatform::run() {
    cpus_[0]->power_on(entry_, cfg_.entry_el);
    for (unsigned r = 0; r < entry_regs_.size(); ++r) cpus_[0]->core().st.x[r] = entry_regs_[r];
    const auto t0 = std::chrono::steady_clock::now();
    if (cfg_.max_time_ps) {
        const sc_core::sc_time limit(static_cast<double>(cfg_.max_time_ps), sc_core::SC_PS);
        sc_core::sc_start(limit);
        if (!exit_code_ && sc_core::sc_time_stamp() >= limit)
            stop(124, fmt::format("the simulated time limit ({} s) was reached", sc_core::sc_time_stamp().to_seconds()));
    } else {
        sc_core::sc_start();
    }
    wall_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    console_.flush();
    if (!exit_code_) {
        // SystemC ran out of events: every core sleeps with nothing to wake it.
        exit_code_ = 125;
        stop_reason_ = "every core is waiting (WFI/WFE) and nothing can wake it";
    }
    return *exit_code_;
}

bool VirtPlatform::firmware_call(cpu::Core& core, bool is_smc) {
    const std::array<uint64_t, 4> args{core.st.x[0], core.st.x[1], core.st.x[2], core.st.x[3]};
    const bool handled = psci_->call(core, is_smc ? Psci::Conduit::Smc : Psci::Conduit::Hvc);
    Trace* t = cfg_.trace;
    if (handled && t && t->on(Trace::kPsci))
        t->emit(Trace::kPsci, core.cycles(), core.config().index, "call via={} fid={:#x} x1={:#x} x2={:#x} x3={:#x} x0={:#x}",
                is_smc ? "smc" : "hvc", args[0], args[1], args[2], args[3], core.st.x[0]);
    return handled;
}

bool VirtPlatform::semihosting(cpu::Core& core) { return cfg_.semihosting && semihosting_->call(core); }

void VirtPlatform::sys_op(cpu::Core& core, cpu::SR op, cpu::SysOpKind kind, uint64_t arg) {
    // An AT that completed without an exception: PAR_EL1 holds its result.
    if (emulation_ && kind == cpu::SysOpKind::At && core.st.pstate.el == 2) {
        using cpu::SR;
        // S1E1*/S1E0* report the IPA when stage 2 is on (HCR_EL2.VM) and
        // {E2H, TGE} is not {1, 1}.
        const uint64_t hcr = core.sr(SR::HCR_EL2);
        const bool s1 = op == SR::AT_S1E1R || op == SR::AT_S1E1W || op == SR::AT_S1E0R || op == SR::AT_S1E0W;
        const bool ipa = s1 && (hcr & 1) && !((hcr >> 34) & (hcr >> 27) & 1);
        emulation_->translation({core.config().index, core.cycles(), core.pc()}, cpu::sysreg_info(op).name, arg,
                                core.sr(SR::PAR_EL1), ipa);
    }
}

void VirtPlatform::observed_read(cpu::Core& core, uint64_t pa, const void* data, unsigned size) {
    if (emulation_ && core.st.pstate.el == 2) emulation_->read({core.config().index, core.cycles(), core.pc()}, pa, data, size);
}

void VirtPlatform::broadcast_tlbi(cpu::Core& issuer, mmu::TlbiOp op, uint64_t xt, const mmu::TlbiContext& tc) {
    for (auto& m : cpus_)
        if (&m->core() != &issuer)
            m->core().tlb_invalidate(op, xt, tc, cpu::Core::TlbiScope::Received, issuer.config().index);
}

void VirtPlatform::guest_stuck(cpu::Core&, const std::string& why) { stop(126, why); }

void VirtPlatform::send_event(cpu::Core& sender) {
    for (auto& m : cpus_) {
        m->core().send_event();
        if (&m->core() != &sender) m->wake();
    }
}

nlohmann::json VirtPlatform::statistics() const {
    nlohmann::json j;
    uint64_t total_insns = 0;
    for (const auto& m : cpus_) {
        const cpu::CoreStats& s = m->core().stats();
        nlohmann::json c;
        c["instructions"] = m->core().instructions();
        c["cycles"] = m->core().cycles();
        c["idle_cycles"] = s.idle_cycles;
        for (unsigned el = 0; el < 4; ++el) {
            c["el"][std::to_string(el)] = {{"instructions", s.insns_el[el]},
                                           {"cycles", s.cycles_el[el]},
                                           {"exceptions_taken_to", s.exceptions_to_el[el]}};
        }
        c["undefined_instructions"] = s.undefs;
        const cpu::MmuStats& ms = m->core().mmu_stats();
        const mmu::TlbStats& ts = m->core().tlb().stats();
        auto tlb_struct = [](const mmu::TlbStructStats& x) {
            return nlohmann::json{{"hits", x.hits}, {"misses", x.misses}, {"fills", x.fills},
                                  {"evictions", x.evictions}, {"invalidated", x.invalidated}};
        };
        nlohmann::json tlbi = nlohmann::json::object();
        for (unsigned i = 0; i < mmu::kNumTlbiOps; ++i)
            if (ts.tlbi[i]) tlbi[mmu::tlbi_name(mmu::TlbiOp(i))] = {{"count", ts.tlbi[i]}, {"removed", ts.tlbi_removed[i]}};
        c["mmu"] = {{"walks", ms.walks},
                    {"walk_reads", ms.walk_reads},
                    {"walk_cache_hits", ms.walk_cache_hits},
                    {"walk_cycles", ms.walk_cycles},
                    {"tlb_cycles", ms.tlb_cycles},
                    {"faults", ms.faults},
                    {"stage2_faults", ms.stage2_faults},
                    {"l1i_tlb", tlb_struct(ts.l1i)},
                    {"l1d_tlb", tlb_struct(ts.l1d)},
                    {"l2_tlb", tlb_struct(ts.l2)},
                    {"s1_walk_cache", tlb_struct(ts.s1_walk)},
                    {"s2_walk_cache", tlb_struct(ts.s2_walk)},
                    {"tlbi", tlbi}};
        c["decodes"] = s.decode_misses;
        j["cores"].push_back(c);
        total_insns += m->core().instructions();
    }
    j["instructions"] = total_insns;
    j["simulated_seconds"] = sc_core::sc_time_stamp().to_seconds();
    // Host measurements differ from run to run; everything else is deterministic.
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    j["host"] = {{"seconds", wall_seconds_},
                 {"peak_rss_kib", ru.ru_maxrss},
                 {"mips", wall_seconds_ > 0 ? double(total_insns) / wall_seconds_ / 1e6 : 0.0}};
    j["decode_cache_invalidations"] = dcache_.invalidations();
    if (checker_) j["stale_translation_reports"] = checker_->reports();
    if (caches_) j["memory_hierarchy"] = caches_->stats_json();
    if (coherency_) {
        nlohmann::json h;
        for (unsigned k = 0; k < unsigned(cache::Hazard::Count); ++k)
            h[cache::hazard_name(cache::Hazard(k))] = coherency_->reports(cache::Hazard(k));
        j["coherency_reports"] = h;
    }
    j["uart_bytes"] = uart_->bytes_transmitted();
    j["uart_bytes_received"] = uart_->bytes_received();
    j["gic"] = gic_statistics();
    j["its"] = its_statistics();
    if (its_checker_) {
        nlohmann::json r;
        for (unsigned k = 0; k < unsigned(its::ItsReport::Count); ++k)
            r[its::report_name(its::ItsReport(k))] = its_checker_->reports(its::ItsReport(k));
        j["its_check_reports"] = r;
    }
    if (emulation_) j["emulation_check"] = emulation_->json();
    if (!annotations_.empty()) j["annotations"] = annotations_.json();
    j["exit"] = {{"code", exit_code_.value_or(-1)}, {"reason", stop_reason_}};
    return j;
}

nlohmann::json VirtPlatform::checker_reports() const {
    nlohmann::json j = nlohmann::json::object();
    if (checker_) j["stale"] = checker_->reports();
    if (coherency_) {
        uint64_t n = 0;
        for (unsigned k = 0; k < unsigned(cache::Hazard::Count); ++k) n += coherency_->reports(cache::Hazard(k));
        j["coherency"] = n;
    }
    if (its_checker_)
        j["its"] = its_checker_->reports(its::ItsReport::LpiConfigWithoutInv) + its_checker_->reports(its::ItsReport::StaleCommand);
    if (emulation_) j["emulation"] = emulation_->reports();
    return j;
}

nlohmann::json VirtPlatform::gic_statistics() const {
    const gic::GicStats& gs = gic_->stats();
    auto life = [](const gic::IrqLifeStats& l) {
        return nlohmann::json{{"pending", l.pending}, {"activated", l.activated}, {"eoi", l.eoi}, {"deactivated", l.deactivated}};
    };
    nlohmann::json j = {{"acknowledged", gs.acknowledged}, {"spurious", gs.spurious}, {"sgis_sent", gs.sgis_sent}};
    for (unsigned k = 0; k < gic::kNumIrqClasses; ++k) j["interrupts"][gic::irq_class_name(gic::IrqClass(k))] = life(gs.by_class[k]);
    j["interrupts"]["virtual"] = life(gs.virtual_irqs);
    if (gic_->v4()) {
        j["interrupts"]["vLPI"] = life(gs.vlpis);
        j["doorbells"] = gs.doorbells;
    }
    for (unsigned c = 0; c < gic_->num_cores(); ++c) {
        const gic::LpiStats& l = gic_->redistributor(c).lpis().stats();
        j["lpi_config_cache"].push_back({{"reads", l.config_reads},
                                         {"hits", l.config_hits},
                                         {"evictions", l.evictions},
                                         {"invalidations", l.invalidations},
                                         {"invalidations_empty", l.invalidations_empty},
                                         {"entries_invalidated", l.entries_invalidated}});
    }
    return j;
}

nlohmann::json VirtPlatform::its_statistics() const {
    const its::Its& its = its_->its();
    const its::ItsStats& is = its.stats();
    nlohmann::json cmds = nlohmann::json::object();
    for (unsigned c = 0; c < its::kNumCmds; ++c)
        if (is.commands[c])
            cmds[its::command_name(static_cast<uint8_t>(c))] = {
                {"count", is.commands[c]}, {"errors", is.command_errors[c]}, {"ns", is.command_ns[c]}};
    auto cache = [](const its::CacheStats& c) {
        return nlohmann::json{{"hits", c.hits}, {"misses", c.misses}, {"fills", c.fills},
                              {"evictions", c.evictions}, {"invalidations", c.invalidations}};
    };
    return {{"commands", cmds},
            {"errors", is.errors},
            {"translations", is.translations},
            {"translation_drops", is.translation_drops},
            {"vlpi_translations", is.vlpi_translations},
            {"system_errors", is.system_errors},
            {"table_reads", is.table_reads},
            {"table_writes", is.table_writes},
            {"lpi_config_dropped", is.lpi_config_dropped},
            {"queue",
             {{"cwriter_writes", is.cwriter_writes},
              {"max_outstanding", is.queue_max},
              {"busy_ns", is.queue_busy_ns},
              {"outstanding_ns", is.queue_command_ns},
              {"mean_outstanding_busy", is.queue_busy_ns ? double(is.queue_command_ns) / double(is.queue_busy_ns) : 0.0}}},
            {"device_cache", cache(its.device_cache_stats())},
            {"collection_cache", cache(its.collection_cache_stats())},
            {"translation_cache", cache(its.translation_cache_stats())}};
}

}  // namespace hvsim::platform
