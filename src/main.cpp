// hvsim: the command line front door.
#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <fmt/format.h>
#include <systemc>

#include "models/common/error.h"
#include "models/debug/gdb_stub.h"
#include "platforms/boot.h"
#include "platforms/config.h"
#include "platforms/console_input.h"
#include "platforms/loader.h"
#include "platforms/virt.h"
#include "line_limit.h"
#include "scenario_cli.h"
#include "stats_summary.h"

namespace {

// Ctrl-C: the first ends the run at the next run slice (statistics and
// traces are still written, exit status 130); a second ends hvsim at once.
volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void on_sigint(int sig) {
    if (g_interrupted) {
        hvsim::platform::ConsoleInput::restore_terminal();
        std::signal(sig, SIG_DFL);
        std::raise(sig);
        return;
    }
    g_interrupted = 1;
}

uint64_t parse_number(const std::string& s, const std::string& what) {
    try {
        size_t pos = 0;
        uint64_t v = std::stoull(s, &pos, 0);
        if (pos != s.size()) throw std::invalid_argument(s);
        return v;
    } catch (const std::exception&) {
        throw hvsim::Error(fmt::format("{}: '{}' is not a number", what, s));
    }
}

// "64M", "1G", "1024" (MiB, as QEMU's -m).
uint64_t parse_size(const std::string& s) {
    if (s.empty()) throw hvsim::Error("-m: empty size");
    uint64_t mult = 1ull << 20;
    std::string num = s;
    switch (s.back()) {
    case 'K': case 'k': mult = 1ull << 10; num.pop_back(); break;
    case 'M': case 'm': mult = 1ull << 20; num.pop_back(); break;
    case 'G': case 'g': mult = 1ull << 30; num.pop_back(); break;
    default: break;
    }
    const uint64_t v = parse_number(num, "-m");
    if (v == 0 || v > (1ull << 40) / mult) throw hvsim::Error(fmt::format("-m: unsupported size '{}'", s));
    return v * mult;
}

// The port of -gdb/--gdb: "tcp::PORT", "tcp:localhost:PORT", "tcp:127.0.0.1:PORT"
// or "PORT"; port 0 picks any free port, which hvsim prints on stderr. The
// stub listens on 127.0.0.1 only.
uint16_t parse_gdb_port(const std::string& spec) {
    std::string s = spec;
    for (const char* prefix : {"tcp::", "tcp:localhost:", "tcp:127.0.0.1:", ":"})
        if (s.rfind(prefix, 0) == 0) {
            s = s.substr(std::string(prefix).size());
            break;
        }
    const std::string bad = fmt::format("-gdb '{}': expected tcp::PORT (listening on 127.0.0.1 only)", spec);
    uint64_t port = 0;
    try {
        port = parse_number(s, "-gdb");
    } catch (const hvsim::Error&) {
        throw hvsim::Error(bad);
    }
    if (port > 65535) throw hvsim::Error(bad);
    return static_cast<uint16_t>(port);
}

// SystemC reports go to stderr: stdout is the guest's console.
void report_to_stderr(const sc_core::sc_report& rep, const sc_core::sc_actions& actions) {
    if (actions & sc_core::SC_DISPLAY) std::cerr << "hvsim: systemc: " << rep.get_msg() << "\n";
    sc_core::sc_report_handler::default_handler(rep, actions & ~sc_core::SC_DISPLAY);
}

namespace {
// "500ms", "2s": a positive duration in picoseconds.
bool parse_duration_ps(const std::string& s, uint64_t& ps) {
    static const std::pair<const char*, uint64_t> kUnits[] = {{"ns", 1000ull}, {"us", 1000000ull}, {"ms", 1000000000ull}, {"s", 1000000000000ull}};
    for (const auto& [unit, scale] : kUnits) {
        const size_t n = std::char_traits<char>::length(unit);
        if (s.size() <= n || s.compare(s.size() - n, n, unit) != 0) continue;
        const std::string digits = s.substr(0, s.size() - n);
        if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 12) return false;
        const uint64_t v = std::stoull(digits);
        if (v == 0 || v > UINT64_MAX / scale) return false;
        ps = v * scale;
        return true;
    }
    return false;
}

// The directory of the hvsim binary, where the build puts its firmware.
std::string exe_dir(const std::string& argv0) {
    std::string dir = ".";
    char exe[4096];
    const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        dir = exe;
    } else {
        dir = argv0;
    }
    const auto slash = dir.rfind('/');
    return slash == std::string::npos ? "." : dir.substr(0, slash);
}

// build/firmware/cache_setway.elf next to build/hvsim.
std::string demo_image(const std::string& argv0) {
    const std::string path = exe_dir(argv0) + "/firmware/cache_setway.elf";
    if (access(path.c_str(), R_OK) != 0)
        throw hvsim::Error(fmt::format("nothing to run: give --kernel FILE, --bios FILE or --load FILE@ADDR (the demo, {}, "
                                       "is not built)",
                                       path));
    return path;
}
}  // namespace

int run(int argc, char** argv) {
    sc_core::sc_report_handler::set_handler(report_to_stderr);
    sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    CLI::App app{"hvsim: a cycle-approximate ARMv8-A virtualization SoC simulator"};
    std::string kernel, stats_file, initrd, append, bios, dtb_file, dump_dtb, platform_file;
    std::vector<std::string> loads, sets, modules;
    unsigned el = 2, smp = 1;
    std::string mem = "1G";
    uint64_t max_insns = 0, quantum = 10000;
    bool no_semihosting = false, summary = false, dump_config = false;
    std::string gdb_spec;
    bool gdb_default = false, gdb_wait = false;
    std::vector<std::string> costs;
    std::string trace_list, trace_file, trace_format = "text", trace_filter;
    std::vector<std::string> checks;
    // Configuration (platforms/config.h): defaults, then --platform, then
    // the shorthands below, then --set.
    app.add_option("--platform", platform_file, "Platform configuration: a JSON file merged over the built-in virt defaults")
        ->group("Configuration");
    app.add_option("--set", sets, "Override one property: KEY.PATH=VALUE (repeatable; see --dump-config)")
        ->group("Configuration");
    app.add_flag("--dump-config", dump_config, "Print the effective configuration as JSON and exit")->group("Configuration");
    app.add_option("--el", el, "Entry exception level: 3, 2 (default, as QEMU virtualization=on) or 1 (boot.entry_el)")
        ->group("Configuration");
    app.add_option("-m,--memory", mem, "RAM size (default 1G; suffix K, M or G, plain numbers are MiB; ram.size)")
        ->group("Configuration");
    app.add_option("--smp", smp, "Number of cores (cpu.count)")->group("Configuration");
    app.add_option("--quantum", quantum, "Temporal decoupling quantum in core cycles (cpu.quantum_cycles)")
        ->group("Configuration");
    app.add_option("--max-insns", max_insns, "Stop after this many instructions per core (exit status 124)");
    std::string max_time;
    app.add_option("--max-time", max_time, "Stop at this simulated time, e.g. 500ms, 2s (units ns, us, ms, s; exit status 124)");
    app.set_version_flag("--version", "hvsim " HVSIM_VERSION);
    // Boot (platforms/boot.h), as QEMU's options.
    app.add_option("--kernel", kernel, "ELF (started at its entry), Linux arm64 Image or raw binary (X0 = DTB)")->group("Boot");
    app.add_option("--initrd", initrd, "Initial ramdisk for a Linux kernel (recorded in /chosen)")->group("Boot");
    app.add_option("--append", append, "Kernel command line (/chosen bootargs)")->group("Boot");
    app.add_option("--bios", bios, "Firmware loaded into the flash at 0 and started there")->group("Boot");
    app.add_option("--load", loads, "Load a raw binary: FILE@ADDR (repeatable)")->group("Boot");
    app.add_option("--module", modules,
                   "Boot module for a hypervisor, described in /chosen as QEMU's guest-loader: "
                   "kernel=FILE[,bootargs=STR][,addr=A] or initrd=FILE[,addr=A] (repeatable)")
        ->group("Boot");
    app.add_option("--dtb", dtb_file, "Use this device tree blob instead of the generated one")->group("Boot");
    app.add_option("--dump-dtb", dump_dtb, "Write the device tree blob to FILE and exit")->group("Boot");
    app.add_option("--stats", stats_file,
                   "Write statistics as JSON to FILE (docs/schemas/stats.schema.json), or '-': a human summary on stderr");
    app.add_option("--cost", costs, "Core cycles of an instruction class: CLASS=CYCLES (repeatable; see models/cpu/README.md)");
    app.add_option("--trace", trace_list,
                   "Trace categories: exc,tlb,tlbi,walk,fault,mmu,sysreg,stale,cache,cmo,coherency,its,gic,psci,timer,uart, "
                   "all (those) and insn (every instruction, disassembled)");
    app.add_option("--trace-file", trace_file, "Write the trace to FILE instead of stderr");
    app.add_option("--trace-filter", trace_filter,
                   "Only trace events matching all of core=N,el=N,pc=LO-HI,time=T0-T1 (time units ps/ns/us/ms/s),"
                   "vmid=N|none (N: the core runs at EL1/EL0 under stage 2 with VTTBR_EL2.VMID N; none: at EL2/EL3 or "
                   "without stage 2); with core, el, pc or vmid, devices' own events are left out");
    app.add_option("--trace-format", trace_format,
                   "text (default), jsonl: one JSON object per event (docs/schemas/trace.schema.json), or perfetto: "
                   "Chrome trace-event JSON for ui.perfetto.dev, a track per core and per device");
    app.add_option("--check", checks, "Enable a checker: stale (TLB/walk-cache entries used after their tables changed), coherency (cache hazards: stale data around or in the caches, stale instructions, set/way cleans stopped at the SLC), its (LPI configuration changes without INV, uncleaned ITS commands, INV/INVALL that drop nothing), emulation (a hypervisor's second emulation pass translating an address or reading guest memory differently from its first)");
    std::string scenario_name, variant_name, scenario_dir, list_format;
    std::vector<std::string> scenario_args;
    app.add_option("--scenario", scenario_name, "Run a measured scenario (docs/scenarios.md; --list-scenarios)")->group("Scenarios");
    app.add_option("--variant", variant_name, "The scenario's variant")->group("Scenarios");
    app.add_option("--scenario-arg", scenario_args, "A scenario argument KEY=VALUE, passed to its firmware (repeatable)")
        ->group("Scenarios");
    app.add_option("--scenario-dir", scenario_dir, "Where scenario descriptions are (default: firmware/scenarios beside hvsim)")
        ->group("Scenarios");
    app.add_option("--list-scenarios", list_format, "List the scenarios and their variants: text (default) or json")
        ->expected(0, 1)
        ->default_str("text")
        ->group("Scenarios");
    uint64_t check_lines = 0;
    app.add_option("--check-lines", check_lines,
                   "Show only the first N checker reports (the statistics count all; default: all, 5 in a scenario)");
    app.add_flag("--summary", summary, "Print a short statistics summary on stderr at exit");
    app.add_flag("--no-semihosting", no_semihosting, "Make HLT #0xF000 UNDEFINED instead of a semihosting call");
    // Debugger, as QEMU's options (models/debug/README.md).
    app.add_option("--gdb", gdb_spec, "Serve the GDB remote protocol on 127.0.0.1: tcp::PORT or PORT (also -gdb; port 0: any free port, printed)")
        ->group("Debugger");
    app.add_flag("-s", gdb_default, "Shorthand for -gdb tcp::1234")->group("Debugger");
    app.add_flag("-S,--gdb-wait", gdb_wait, "Do not start the guest before gdb has attached and resumed")->group("Debugger");

    try {
        // QEMU spells it -gdb; CLI11 wants long options with two dashes.
        std::vector<std::string> args(argv + 1, argv + argc);
        for (std::string& a : args)
            if (a == "-gdb") a = "--gdb";
        std::reverse(args.begin(), args.end());
        app.parse(args);
    } catch (const CLI::CallForHelp&) {
        std::cout << app.help();
        return 0;
    } catch (const CLI::CallForVersion& v) {
        std::cout << v.what() << "\n";
        return 0;
    } catch (const CLI::ParseError& e) {
        std::cerr << "hvsim: error: " << e.what() << "\n";
        return 2;
    }

    if (scenario_dir.empty()) scenario_dir = hvsim::cli::default_scenario_dir(exe_dir(argc > 0 ? argv[0] : ""));
    if (app.count("--list-scenarios")) {
        hvsim::cli::list_scenarios(scenario_dir, list_format.empty() ? "text" : list_format, std::cout);
        return 0;
    }
    std::optional<hvsim::cli::ScenarioRun> scenario;
    if (!scenario_name.empty()) {
        if (!kernel.empty() || !bios.empty() || !loads.empty())
            throw hvsim::Error("--scenario: the scenario brings its own firmware; drop --kernel, --bios and --load");
        scenario.emplace(scenario_dir, scenario_name, variant_name);
        kernel = scenario->scenario().firmware;
        for (const std::string& c : scenario->scenario().checkers) checks.push_back(c);
        if (stats_file.empty()) stats_file = fmt::format("scenario-{}-{}.json", scenario_name, variant_name);
    } else if (!variant_name.empty() || !scenario_args.empty()) {
        throw hvsim::Error("--variant and --scenario-arg need --scenario");
    }

    nlohmann::json config = hvsim::platform::default_config();
    if (scenario) scenario->configure(config);
    if (!platform_file.empty()) hvsim::platform::load_config_file(config, platform_file);
    // The shorthands set the same keys as --set would.
    if (app.count("--el")) config["boot"]["entry_el"] = el;
    if (app.count("--smp")) config["cpu"]["count"] = smp;
    if (app.count("-m")) config["ram"]["size"] = parse_size(mem);
    if (app.count("--quantum")) config["cpu"]["quantum_cycles"] = quantum;
    if (app.count("--max-insns")) config["cpu"]["max_instructions"] = max_insns;
    uint64_t max_time_ps = 0;
    if (!max_time.empty() && !parse_duration_ps(max_time, max_time_ps))
        throw hvsim::Error(fmt::format("--max-time: '{}' is not a positive time with a unit (ns, us, ms, s)", max_time));
    if (no_semihosting) config["boot"]["semihosting"] = false;
    for (const std::string& spec : costs) {
        const auto eq = spec.find('=');
        const std::string cls = spec.substr(0, eq);
        if (eq == std::string::npos || !config["cpu"]["costs"].contains(cls))
            throw hvsim::Error(fmt::format("--cost '{}': expected CLASS=CYCLES with a class of models/cpu/timing.h", spec));
        config["cpu"]["costs"][cls] = parse_number(spec.substr(eq + 1), "--cost " + cls);
    }
    for (const std::string& a : sets) hvsim::platform::set_config(config, a);
    hvsim::platform::VirtConfig cfg = hvsim::platform::virt_config(config);
    cfg.max_time_ps = max_time_ps;
    if (scenario) cfg.semihosting_cmdline = scenario->command_line(cfg.cores, scenario_args);
    if (dump_config) {
        std::cout << config.dump(2) << "\n";
        return 0;
    }
    if (kernel.empty() && loads.empty() && bios.empty() && dump_dtb.empty()) {
        // No image: the project's own demo, built beside hvsim
        // (firmware/tests/cache_setway.c: a guest whose set/way clean stops
        // at the system cache, then the same guest under an EL2 hypervisor
        // that traps set/way and cleans by VA), with a statistics summary.
        kernel = demo_image(argc > 0 ? argv[0] : "");
        if (stats_file.empty()) stats_file = "-";
        std::cerr << fmt::format("hvsim: no image given: running the demo, {}\n", kernel);
    }

    if (trace_format != "text" && trace_format != "jsonl" && trace_format != "perfetto")
        throw hvsim::Error(
            fmt::format("--trace-format: unknown format '{}' (known: text, jsonl, perfetto)", trace_format));
    // The file outlives the trace, whose destructor closes a Perfetto array
    // on every way out of run().
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> trace_out(nullptr, std::fclose);
    hvsim::Trace trace;
    if (trace_format == "jsonl") trace.set_format(hvsim::Trace::Format::Jsonl);
    if (trace_format == "perfetto") trace.set_format(hvsim::Trace::Format::Perfetto);
    trace.set_clock([] { return static_cast<uint64_t>(sc_core::sc_time_stamp() / sc_core::sc_time(1, sc_core::SC_PS)); });
    if (!trace_list.empty()) {
        std::string bad;
        if (!trace.enable(trace_list, bad)) throw hvsim::Error(fmt::format("--trace: unknown category '{}'", bad));
        if (!trace_filter.empty() && !trace.set_filter(trace_filter, bad))
            throw hvsim::Error(fmt::format("--trace-filter: {}", bad));
        if (!trace_file.empty()) {
            trace_out.reset(std::fopen(trace_file.c_str(), "w"));
            if (!trace_out) throw hvsim::Error(fmt::format("--trace-file: cannot open '{}'", trace_file));
            trace.set_output(trace_out.get());
        }
        cfg.trace = &trace;
    }

    std::sort(checks.begin(), checks.end());
    checks.erase(std::unique(checks.begin(), checks.end()), checks.end());
    for (const std::string& c : checks) {
        if (c == "stale") cfg.check_stale = true;
        else if (c == "coherency") cfg.check_coherency = true;
        else if (c == "its") cfg.check_its = true;
        else if (c == "emulation") cfg.check_emulation = true;
        else throw hvsim::Error(fmt::format("--check: unknown checker '{}' (known: stale, coherency, its, emulation)", c));
    }
    // Checker reports join a text trace file; a JSON Lines trace carries
    // them as `stale` and `coherency` events, and the text stays on stderr.
    if (trace_out && trace_format == "text") cfg.check_output = trace_out.get();
    if (scenario && !app.count("--check-lines")) check_lines = 5;
    std::optional<hvsim::cli::LineLimit> check_limit;
    if (check_lines) {
        check_limit.emplace(cfg.check_output, check_lines);
        if (check_limit->stream()) cfg.check_output = check_limit->stream();
    }

    std::unique_ptr<hvsim::debug::GdbStub> gdb;
    if (gdb_wait && gdb_spec.empty() && !gdb_default) throw hvsim::Error("-S: give -s or -gdb tcp::PORT too");
    if (!gdb_spec.empty() || gdb_default) {
        gdb = std::make_unique<hvsim::debug::GdbStub>(gdb_spec.empty() ? 1234 : parse_gdb_port(gdb_spec), gdb_wait);
        cfg.debugger = gdb.get();
        if (!gdb_wait && !gdb_spec.empty() && parse_gdb_port(gdb_spec) == 0)
            std::cerr << fmt::format("hvsim: gdb: listening on 127.0.0.1:{}\n", gdb->port());
    }
    cfg.stop_request = &g_interrupted;
    std::signal(SIGINT, on_sigint);
    hvsim::platform::VirtPlatform platform(cfg, std::cout);
    auto writer = [&](uint64_t pa, const uint8_t* d, uint64_t n) { return platform.write_phys(pa, d, n); };
    hvsim::platform::BootRequest req;
    req.kernel = kernel;
    req.initrd = initrd;
    req.bios = bios;
    req.dtb = dtb_file;
    req.bootargs = append;
    for (const std::string& spec : loads) {
        const auto at = spec.rfind('@');
        if (at == std::string::npos || at == 0 || at + 1 == spec.size())
            throw hvsim::Error(fmt::format("--load '{}': expected FILE@ADDR", spec));
        req.loads.emplace_back(spec.substr(0, at), parse_number(spec.substr(at + 1), "--load address"));
    }
    for (const std::string& spec : modules) req.modules.push_back(hvsim::platform::parse_module_spec(spec));
    const hvsim::platform::BootPlan plan = hvsim::platform::boot(req, cfg, writer);
    if (!dump_dtb.empty()) {
        std::ofstream f(dump_dtb, std::ios::binary);
        if (!f.write(reinterpret_cast<const char*>(plan.dtb.data()), std::streamsize(plan.dtb.size())) || !f.flush())
            throw hvsim::Error(fmt::format("--dump-dtb: cannot write '{}'", dump_dtb));
        return 0;
    }
    platform.set_entry(plan.entry);
    platform.set_entry_regs(plan.regs);
    hvsim::platform::ConsoleInput console_input(0);
    platform.set_console_input([&console_input] { return console_input.next(); });

    int status = platform.run();
    trace.finish();
    if (check_limit) check_limit->finish();
    nlohmann::json stats;
    if (scenario) {
        stats = platform.statistics();
        status = scenario->finish(status, platform, stats, cfg.semihosting_cmdline, std::cerr);
    }
    if (gdb && gdb->killed()) {
        std::cerr << "hvsim: terminated by gdb\n";
        return 0;  // as QEMU
    }
    if (gdb) gdb->finish(status);
    if ((status >= 124 && status <= 126) || (status == 130 && g_interrupted)) std::cerr << "hvsim: " << platform.stop_reason() << "\n";
    if (summary) {
        const nlohmann::json j = platform.statistics();
        std::cerr << fmt::format("hvsim: {} ({}), {:.3f} s simulated, {} instructions in {:.2f} s ({:.1f} MIPS)\n",
                                 j["exit"]["reason"].get<std::string>(), j["exit"]["code"].get<int>(),
                                 j["simulated_seconds"].get<double>(), j["instructions"].get<uint64_t>(),
                                 j["host"]["seconds"].get<double>(), j["host"]["mips"].get<double>());
        unsigned n = 0;
        for (const auto& c : j["cores"]) {
            std::string per_el;
            for (unsigned e_l = 0; e_l < 4; ++e_l) {
                const auto& e = c["el"][std::to_string(e_l)];
                if (e["instructions"].get<uint64_t>())
                    per_el += fmt::format(" EL{}: {} insns/{} cycles;", e_l, e["instructions"].get<uint64_t>(),
                                          e["cycles"].get<uint64_t>());
            }
            std::cerr << fmt::format("hvsim: cpu{}: {} cycles;{} {} page walks, {} TLB misses\n", n++,
                                     c["cycles"].get<uint64_t>(), per_el, c["mmu"]["walks"].get<uint64_t>(),
                                     c["mmu"]["l2_tlb"]["misses"].get<uint64_t>());
        }
    }
    if (!stats_file.empty()) {
        if (stats.is_null()) stats = platform.statistics();
        if (stats_file == "-") {
            std::cerr << hvsim::stats_summary(stats);
        } else {
            const std::string text = stats.dump(2) + "\n";
            std::ofstream f(stats_file);
            if (!(f << text)) throw hvsim::Error(fmt::format("cannot write statistics to '{}'", stats_file));
        }
    }
    return status;
}

}  // namespace

int sc_main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const hvsim::Error& e) {
        std::cout.flush();
        std::cerr << "hvsim: error: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cout.flush();
        std::cerr << "hvsim: internal error: " << e.what() << "\n";
        return 3;
    }
}

// SystemC's banner would go to stdout, where the guest's console belongs.
int main(int argc, char** argv) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    return sc_core::sc_elab_and_sim(argc, argv);
}
