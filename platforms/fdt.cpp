#include "fdt.h"

#include <libfdt.h>

#include <initializer_list>

#include <fmt/format.h>

#include "models/common/error.h"

namespace hvsim::platform {

namespace {

// Phandles of the generated tree.
enum : uint32_t { kPhandleClock = 1, kPhandleGic = 2, kPhandleIts = 3, kPhandleCpu0 = 16 };

// GIC interrupt specifier (#interrupt-cells = 3): type, number, flags.
constexpr uint32_t kSpi = 0, kPpi = 1;
constexpr uint32_t kLevelHigh = 4;  // IRQ_TYPE_LEVEL_HIGH, as QEMU virt uses with GICv3

// The sequential-write API of libfdt with every error turned into an
// exception.
class Writer {
public:
    Writer() : buf_(64 * 1024) { check(fdt_create(buf_.data(), int(buf_.size())), "create"); }

    void begin(const std::string& name) { check(fdt_begin_node(buf_.data(), name.c_str()), name.c_str()); }
    void end() { check(fdt_end_node(buf_.data()), "end node"); }
    void str(const char* name, const std::string& v) { check(fdt_property_string(buf_.data(), name, v.c_str()), name); }
    // A string list: "a\0b\0".
    void strs(const char* name, std::initializer_list<const char*> list) {
        std::string v;
        for (const char* s : list) v.append(s).push_back('\0');
        check(fdt_property(buf_.data(), name, v.data(), int(v.size())), name);
    }
    void bytes(const char* name, const void* data, size_t len) {
        check(fdt_property(buf_.data(), name, data, int(len)), name);
    }
    void empty(const char* name) { check(fdt_property(buf_.data(), name, nullptr, 0), name); }
    void u32(const char* name, uint32_t v) { check(fdt_property_u32(buf_.data(), name, v), name); }
    void u64(const char* name, uint64_t v) { check(fdt_property_u64(buf_.data(), name, v), name); }
    void cells(const char* name, const std::vector<uint32_t>& v) {
        std::vector<fdt32_t> be;
        for (uint32_t x : v) be.push_back(cpu_to_fdt32(x));
        check(fdt_property(buf_.data(), name, be.data(), int(be.size() * sizeof(fdt32_t))), name);
    }
    // reg with #address-cells = #size-cells = 2.
    void reg(std::initializer_list<MemRegion> regions) {
        std::vector<uint32_t> v;
        for (const MemRegion& r : regions)
            for (uint64_t x : {r.base, r.size}) {
                v.push_back(uint32_t(x >> 32));
                v.push_back(uint32_t(x));
            }
        cells("reg", v);
    }

    std::vector<uint8_t> finish() {
        check(fdt_finish(buf_.data()), "finish");
        check(fdt_pack(buf_.data()), "pack");
        buf_.resize(fdt_totalsize(buf_.data()));
        return std::move(buf_);
    }
    void start() {
        check(fdt_finish_reservemap(buf_.data()), "reservemap");
        begin("");
    }

private:
    void check(int err, const char* what) {
        if (err < 0) throw Error(fmt::format("device tree: {}: {}", what, fdt_strerror(err)));
    }
    std::vector<uint8_t> buf_;
};

std::string node(const char* name, uint64_t addr) { return fmt::format("{}@{:x}", name, addr); }

// compatible of a boot module node: the specific kind first, then the
// generic "multiboot,module" (booting.txt).
std::string module_compatible(const ChosenModule& m) {
    return std::string(m.kernel ? "multiboot,kernel" : "multiboot,ramdisk") + '\0' + "multiboot,module" + '\0';
}

// `v` as `cells` big-endian 32-bit cells appended to `out`; false if it
// does not fit.
bool push_cells(std::vector<fdt32_t>& out, uint64_t v, uint32_t cells) {
    if (cells == 0 || cells > 2 || (cells == 1 && v > 0xFFFFFFFFu)) return false;
    if (cells == 2) out.push_back(cpu_to_fdt32(uint32_t(v >> 32)));
    out.push_back(cpu_to_fdt32(uint32_t(v)));
    return true;
}

}  // namespace

const char* psci_method(const VirtConfig& cfg) {
    if (cfg.entry_el == 3) return nullptr;
    return cfg.entry_el == 2 ? "smc" : "hvc";
}

std::vector<uint8_t> make_virt_dtb(const VirtConfig& cfg, const ChosenInfo& chosen) {
    Writer w;
    w.start();
    w.u32("interrupt-parent", kPhandleGic);
    w.str("model", "linux,dummy-virt");
    w.u32("#size-cells", 2);
    w.u32("#address-cells", 2);
    w.str("compatible", "linux,dummy-virt");

    // PSCI 1.0 with the 0.1 function IDs QEMU also lists; absent when the
    // guest's own EL3 firmware provides PSCI.
    const char* method = psci_method(cfg);
    if (method) {
        w.begin("psci");
        w.strs("compatible", {"arm,psci-1.0", "arm,psci-0.2", "arm,psci"});
        w.str("method", method);
        w.u32("cpu_suspend", 0xC4000001);
        w.u32("cpu_off", 0x84000002);
        w.u32("cpu_on", 0xC4000003);
        w.u32("migrate", 0xC4000005);
        w.end();
    }

    w.begin(node("memory", cfg.ram_base));
    w.str("device_type", "memory");
    w.reg({{cfg.ram_base, cfg.ram_bytes}});
    w.end();

    w.begin(node("pl031", cfg.map.rtc.base));
    w.strs("compatible", {"arm,pl031", "arm,primecell"});
    w.reg({cfg.map.rtc});
    w.cells("interrupts", {kSpi, 2, kLevelHigh});
    w.u32("clocks", kPhandleClock);
    w.str("clock-names", "apb_pclk");
    w.end();

    w.begin(node("pl011", cfg.map.uart.base));
    w.strs("compatible", {"arm,pl011", "arm,primecell"});
    w.reg({cfg.map.uart});
    w.cells("interrupts", {kSpi, 1, kLevelHigh});
    w.cells("clocks", {kPhandleClock, kPhandleClock});
    w.strs("clock-names", {"uartclk", "apb_pclk"});
    w.end();

    // GICv3: distributor and one redistributor region (0x20000 per core,
    // 0x40000 with GICv4: GICR_TYPER.VLPIS tells Linux the stride),
    // the maintenance interrupt (PPI 9) and the ITS as MSI controller.
    w.begin(node("intc", cfg.map.gic_dist.base));
    w.strs("compatible", {"arm,gic-v3"});
    w.u32("#interrupt-cells", 3);
    w.empty("interrupt-controller");
    w.u32("#address-cells", 2);
    w.u32("#size-cells", 2);
    w.empty("ranges");
    w.u32("#redistributor-regions", 1);
    w.reg({cfg.map.gic_dist, {cfg.map.gic_redist.base, uint64_t(cfg.cores) * cfg.redistributor_stride()}});
    w.cells("interrupts", {kPpi, 9, kLevelHigh});
    w.u32("phandle", kPhandleGic);
    w.begin(node("its", cfg.map.gic_its.base));
    w.strs("compatible", {"arm,gic-v3-its"});
    w.empty("msi-controller");
    w.u32("#msi-cells", 1);
    w.reg({cfg.map.gic_its});
    w.u32("phandle", kPhandleIts);
    w.end();
    w.end();

    // Two CFI banks, as QEMU's virt pflash0/pflash1.
    w.begin(node("flash", cfg.map.flash.base));
    w.strs("compatible", {"cfi-flash"});
    const uint64_t bank = cfg.map.flash.size / 2;
    w.reg({{cfg.map.flash.base, bank}, {cfg.map.flash.base + bank, bank}});
    w.u32("bank-width", 4);
    w.end();

    // reg = MPIDR affinity (Aff1 = cluster, Aff0 = core), as virt.cpp numbers them.
    const unsigned per_cluster = cfg.cores / cfg.clusters;
    w.begin("cpus");
    w.u32("#address-cells", 1);
    w.u32("#size-cells", 0);
    for (unsigned i = 0; i < cfg.cores; ++i) {
        const uint32_t mpidr = ((i / per_cluster) << 8) | (i % per_cluster);
        w.begin(node("cpu", mpidr));
        w.str("device_type", "cpu");
        w.strs("compatible", {cfg.cpu_compatible.c_str()});
        if (method) w.str("enable-method", "psci");
        w.u32("reg", mpidr);
        w.u32("phandle", kPhandleCpu0 + i);
        w.end();
    }
    w.begin("cpu-map");
    w.begin("socket0");
    for (unsigned cl = 0; cl < cfg.clusters; ++cl) {
        w.begin(fmt::format("cluster{}", cl));
        for (unsigned k = 0; k < per_cluster; ++k) {
            w.begin(fmt::format("core{}", k));
            w.u32("cpu", kPhandleCpu0 + cl * per_cluster + k);
            w.end();
        }
        w.end();
    }
    w.end();
    w.end();
    w.end();

    // Generic timer PPIs as QEMU virt: secure 13, non-secure 14, virtual 11, hyp 10.
    w.begin("timer");
    w.strs("compatible", {"arm,armv8-timer", "arm,armv7-timer"});
    w.cells("interrupts", {kPpi, 13, kLevelHigh, kPpi, 14, kLevelHigh, kPpi, 11, kLevelHigh, kPpi, 10, kLevelHigh});
    w.empty("always-on");
    w.end();

    // The PMU's overflow interrupt, PPI 7 level-high as on QEMU virt (no CPU
    // mask: that field is GICv2's).
    if (cfg.core.pmu) {
        w.begin("pmu");
        w.strs("compatible", {"arm,armv8-pmuv3"});
        w.cells("interrupts", {kPpi, 7, kLevelHigh});
        w.end();
    }

    w.begin("apb-pclk");
    w.str("compatible", "fixed-clock");
    w.u32("#clock-cells", 0);
    w.u32("clock-frequency", 24000000);
    w.str("clock-output-names", "clk24mhz");
    w.u32("phandle", kPhandleClock);
    w.end();

    w.begin("chosen");
    w.str("stdout-path", "/" + node("pl011", cfg.map.uart.base));
    if (!chosen.bootargs.empty()) w.str("bootargs", chosen.bootargs);
    if (chosen.initrd_start) {
        w.u64("linux,initrd-start", *chosen.initrd_start);
        w.u64("linux,initrd-end", chosen.initrd_end);
    }
    if (!chosen.modules.empty()) {
        // The module nodes' reg follows /chosen's own cells, stated here
        // rather than left to defaults that Xen and the DT spec disagree on.
        w.u32("#address-cells", 2);
        w.u32("#size-cells", 2);
    }
    for (const ChosenModule& m : chosen.modules) {
        w.begin(node("module", m.addr));
        const std::string compat = module_compatible(m);
        w.bytes("compatible", compat.data(), compat.size());
        w.reg({{m.addr, m.size}});
        if (!m.bootargs.empty()) w.str("bootargs", m.bootargs);
        w.end();
    }
    w.end();

    w.end();  // root
    return w.finish();
}

std::vector<uint8_t> fixup_user_dtb(std::vector<uint8_t> blob, const ChosenInfo& chosen, const std::string& what) {
    auto fail = [&](const std::string& why) { return Error(fmt::format("'{}': {}", what, why)); };
    if (blob.size() < sizeof(fdt_header)) throw fail("not a device tree blob (too short)");
    if (fdt_magic(blob.data()) != FDT_MAGIC) throw fail("not a device tree blob (bad magic)");
    if (fdt_totalsize(blob.data()) > blob.size())
        throw fail(fmt::format("truncated device tree blob ({} of {} bytes)", blob.size(), fdt_totalsize(blob.data())));
    if (int err = fdt_check_header(blob.data())) throw fail(fmt::format("bad device tree blob: {}", fdt_strerror(err)));
    size_t room = fdt_totalsize(blob.data()) + 4096 + chosen.bootargs.size();
    for (const ChosenModule& m : chosen.modules) room += 256 + m.bootargs.size();
    std::vector<uint8_t> out(room);
    auto check = [&](int err) {
        if (err < 0) throw fail(fmt::format("cannot set /chosen: {}", fdt_strerror(err)));
        return err;
    };
    check(fdt_open_into(blob.data(), out.data(), int(out.size())));
    int off = fdt_path_offset(out.data(), "/chosen");
    if (off == -FDT_ERR_NOTFOUND) off = check(fdt_add_subnode(out.data(), 0, "chosen"));
    check(off);
    if (!chosen.bootargs.empty()) check(fdt_setprop_string(out.data(), off, "bootargs", chosen.bootargs.c_str()));
    if (chosen.initrd_start) {
        check(fdt_setprop_u64(out.data(), off, "linux,initrd-start", *chosen.initrd_start));
        check(fdt_setprop_u64(out.data(), off, "linux,initrd-end", chosen.initrd_end));
    }
    // reg of the module nodes uses /chosen's cells; set 2/2 when absent.
    uint32_t cells[2] = {2, 2};
    if (!chosen.modules.empty()) {
        const char* names[2] = {"#address-cells", "#size-cells"};
        for (int i = 0; i < 2; ++i) {
            int len = 0;
            const void* p = fdt_getprop(out.data(), off, names[i], &len);
            if (p && len == 4) cells[i] = fdt32_to_cpu(*static_cast<const fdt32_t*>(p));
            else check(fdt_setprop_u32(out.data(), off, names[i], cells[i]));
        }
    }
    // fdt_add_subnode puts a node first: add them last to first so that
    // they keep the command line's order.
    for (auto it = chosen.modules.rbegin(); it != chosen.modules.rend(); ++it) {
        const ChosenModule& m = *it;
        const int mod = check(fdt_add_subnode(out.data(), off, node("module", m.addr).c_str()));
        const std::string compat = module_compatible(m);
        check(fdt_setprop(out.data(), mod, "compatible", compat.data(), int(compat.size())));
        std::vector<fdt32_t> reg;
        if (!push_cells(reg, m.addr, cells[0]) || !push_cells(reg, m.size, cells[1]))
            throw fail(fmt::format("module at {:#x} ({:#x} bytes) cannot be described with /chosen's #address-cells/#size-cells",
                                   m.addr, m.size));
        check(fdt_setprop(out.data(), mod, "reg", reg.data(), int(reg.size() * sizeof(fdt32_t))));
        if (!m.bootargs.empty()) check(fdt_setprop_string(out.data(), mod, "bootargs", m.bootargs.c_str()));
        off = check(fdt_path_offset(out.data(), "/chosen"));  // offsets move when nodes are added
    }
    check(fdt_pack(out.data()));
    out.resize(fdt_totalsize(out.data()));
    return out;
}

}  // namespace hvsim::platform
