// Unit tests of the platform configuration (platforms/config.h), the
// generated device tree (platforms/fdt.h) and the boot placement rules
// (platforms/boot.h).
#include <gtest/gtest.h>
#include <libfdt.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/common/error.h"
#include "platforms/boot.h"
#include "platforms/config.h"
#include "platforms/fdt.h"

namespace {

using namespace hvsim::platform;
using nlohmann::json;

// The message of the hvsim::Error `f` throws ("" if none).
template <typename F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const hvsim::Error& e) {
        return e.what();
    }
    return "";
}

TEST(Config, DefaultsBuildTheDefaultPlatform) {
    const VirtConfig v = virt_config(default_config());
    const VirtConfig d;
    EXPECT_EQ(v.cores, d.cores);
    EXPECT_EQ(v.ram_base, 0x40000000u);
    EXPECT_EQ(v.ram_bytes, d.ram_bytes);
    EXPECT_EQ(v.entry_el, 2u);
    EXPECT_EQ(v.quantum_cycles, d.quantum_cycles);
    EXPECT_EQ(v.core.costs.cycles, d.core.costs.cycles);
    EXPECT_EQ(v.core.tlb.l2.entries, 512u);
    EXPECT_EQ(v.core.caches.l1d.size_bytes, d.core.caches.l1d.size_bytes);
    EXPECT_EQ(v.map.uart.base, 0x09000000u);
    EXPECT_DOUBLE_EQ(v.ram_latency_ns, d.ram_latency_ns);
}

TEST(Config, DumpedConfigurationLoadsBack) {
    json c = default_config();
    set_config(c, "cpu.count=4");
    json again = default_config();
    merge_config(again, json::parse(c.dump()), "dump");
    EXPECT_EQ(again, c);
}

TEST(Config, FileOverlayMergesAndNamesBadKeys) {
    json c = default_config();
    merge_config(c, json::parse(R"({"cpu": {"count": 2, "tlb": {"l2": {"entries": 1024}}}, "ram": {"latency_ns": 50}})"), "f");
    EXPECT_EQ(c["cpu"]["count"], 2);
    EXPECT_EQ(c["cpu"]["tlb"]["l2"]["entries"], 1024);
    EXPECT_EQ(c["cpu"]["tlb"]["l2"]["ways"], 4);  // untouched siblings keep their defaults
    EXPECT_TRUE(c["ram"]["latency_ns"].is_number_float());
    json d = default_config();
    EXPECT_NE(error_of([&] { merge_config(d, json::parse(R"({"cpu": {"cont": 2}})"), "f"); }).find("unknown key 'cpu.cont'"),
              std::string::npos);
    EXPECT_NE(error_of([&] { merge_config(d, json::parse(R"({"cpu": {"count": "2"}})"), "f"); }).find("cpu.count"),
              std::string::npos);
    EXPECT_NE(error_of([&] { merge_config(d, json::parse(R"({"cpu": {"count": -1}})"), "f"); }).find("cpu.count"),
              std::string::npos);
    EXPECT_NE(error_of([&] { merge_config(d, json::parse(R"({"cpu": 3})"), "f"); }).find("cpu"), std::string::npos);
}

TEST(Config, SetParsesByTheDefaultsType) {
    json c = default_config();
    set_config(c, "ram.size=512M");
    set_config(c, "ram.base=0x80000000");
    set_config(c, "boot.semihosting=off");
    set_config(c, "ram.latency_ns=12.5");
    set_config(c, "cpu.compatible=arm,cortex-a53");
    set_config(c, "cpu.tlb.l1d.replacement=random");
    set_config(c, R"(caches.l2={"size_bytes": 524288})");
    const VirtConfig v = virt_config(c);
    EXPECT_EQ(v.ram_bytes, 512u << 20);
    EXPECT_EQ(v.ram_base, 0x80000000u);
    EXPECT_FALSE(v.semihosting);
    EXPECT_DOUBLE_EQ(v.ram_latency_ns, 12.5);
    EXPECT_EQ(v.cpu_compatible, "arm,cortex-a53");
    EXPECT_EQ(v.core.tlb.l1d.replacement, hvsim::mmu::Replacement::Random);
    EXPECT_EQ(v.core.caches.l2.size_bytes, 524288u);
    EXPECT_EQ(v.core.caches.l2.ways, 16u);

    EXPECT_NE(error_of([&] { set_config(c, "cpu.nope=1"); }).find("unknown key 'cpu.nope'"), std::string::npos);
    EXPECT_NE(error_of([&] { set_config(c, "cpu.count=two"); }).find("cpu.count"), std::string::npos);
    EXPECT_NE(error_of([&] { set_config(c, "cpu.count=-1"); }).find("cpu.count"), std::string::npos);
    EXPECT_NE(error_of([&] { set_config(c, "boot.semihosting=maybe"); }).find("boot.semihosting"), std::string::npos);
    EXPECT_NE(error_of([&] { set_config(c, "cpu.count"); }).find("KEY.PATH=VALUE"), std::string::npos);
    EXPECT_NE(error_of([&] { set_config(c, "cpu.count.x=1"); }).find("unknown key 'cpu.count.x'"), std::string::npos);
    EXPECT_NE(error_of([&] { set_config(c, "ram.size=99999999999999999999"); }).find("ram.size"), std::string::npos);
}

TEST(Config, ImpossibleValuesNameTheKey) {
    auto bad = [](const std::string& assignment) {
        json c = default_config();
        set_config(c, assignment);
        return error_of([&] { virt_config(c); });
    };
    EXPECT_NE(bad("cpu.count=0").find("cpu.count"), std::string::npos);
    EXPECT_NE(bad("cpu.count=65").find("cpu.count"), std::string::npos);
    EXPECT_NE(bad("cpu.clusters=0").find("cpu.clusters"), std::string::npos);
    EXPECT_NE(bad("platform=sbsa").find("platform"), std::string::npos);
    EXPECT_NE(bad("ram.size=1000").find("ram.size"), std::string::npos);
    EXPECT_NE(bad("ram.base=0x1000").find("ram.base"), std::string::npos);
    EXPECT_NE(bad("ram.base=0x08000000").find("overlaps"), std::string::npos);
    EXPECT_NE(bad("memory_map.rtc.base=0x09000000").find("memory_map.rtc"), std::string::npos);
    EXPECT_NE(bad("caches.l1d.line_bytes=48").find("caches.l1d.line_bytes"), std::string::npos);
    EXPECT_NE(bad("caches.l1d.size_bytes=30000").find("caches.l1d.size_bytes"), std::string::npos);
    EXPECT_NE(bad("cpu.tlb.l2.ways=3").find("cpu.tlb.l2"), std::string::npos);
    EXPECT_NE(bad("cpu.tlb.l1i.replacement=fifo").find("cpu.tlb.l1i.replacement"), std::string::npos);
    EXPECT_NE(bad("cpu.pa_bits=47").find("cpu.pa_bits"), std::string::npos);
    EXPECT_NE(bad("boot.entry_el=0").find("boot.entry_el"), std::string::npos);
    EXPECT_NE(bad("cpu.quantum_cycles=0").find("cpu.quantum_cycles"), std::string::npos);
    EXPECT_NE(bad("cpu.costs.Div64=2000000").find("cpu.costs.Div64"), std::string::npos);
    EXPECT_NE(bad("cpu.pmu.counters=0").find("cpu.pmu.counters"), std::string::npos);
    EXPECT_NE(bad("cpu.pmu.counters=32").find("cpu.pmu.counters"), std::string::npos);
    EXPECT_EQ(bad("memory_map.gic_redist.size=0x20000"), "") << "one redistributor fits";
    json c = default_config();
    set_config(c, "memory_map.gic_redist.size=0x20000");
    set_config(c, "cpu.count=2");
    EXPECT_NE(error_of([&] { virt_config(c); }).find("cpu.count"), std::string::npos);
}

TEST(Config, ClustersSetAffinity) {
    json c = default_config();
    set_config(c, "cpu.count=4");
    set_config(c, "cpu.clusters=2");
    EXPECT_EQ(virt_config(c).clusters, 2u);
    set_config(c, "cpu.clusters=3");
    EXPECT_NE(error_of([&] { virt_config(c); }).find("cpu.clusters"), std::string::npos);
}

// --- device tree --------------------------------------------------------------

struct Dtb {
    std::vector<uint8_t> blob;
    int node(const std::string& path) const { return fdt_path_offset(blob.data(), path.c_str()); }
    bool has(const std::string& path) const { return node(path) >= 0; }
    std::string str(const std::string& path, const char* prop) const {
        int len = 0;
        const void* p = fdt_getprop(blob.data(), node(path), prop, &len);
        return p ? std::string(static_cast<const char*>(p), size_t(len)) : std::string("<none>");
    }
    std::vector<uint32_t> cells(const std::string& path, const char* prop) const {
        int len = 0;
        const auto* p = static_cast<const fdt32_t*>(fdt_getprop(blob.data(), node(path), prop, &len));
        std::vector<uint32_t> v;
        for (int i = 0; p && i < len / 4; ++i) v.push_back(fdt32_to_cpu(p[i]));
        return v;
    }
};

Dtb dtb_for(const std::vector<std::string>& sets, const ChosenInfo& chosen = {}) {
    json c = default_config();
    for (const auto& s : sets) set_config(c, s);
    Dtb d{make_virt_dtb(virt_config(c), chosen)};
    EXPECT_EQ(fdt_check_header(d.blob.data()), 0);
    return d;
}

TEST(Dtb, QemuVirtNodesAndProperties) {
    ChosenInfo chosen;
    chosen.bootargs = "console=ttyAMA0 earlycon";
    chosen.initrd_start = 0x48000000;
    chosen.initrd_end = 0x48001000;
    const Dtb d = dtb_for({"cpu.count=2"}, chosen);
    EXPECT_EQ(d.str("/", "compatible"), std::string("linux,dummy-virt\0", 17));
    EXPECT_EQ(d.cells("/", "#address-cells"), std::vector<uint32_t>{2});
    EXPECT_EQ(d.cells("/memory@40000000", "reg"), (std::vector<uint32_t>{0, 0x40000000, 0, 0x40000000}));
    EXPECT_EQ(d.str("/memory@40000000", "device_type"), std::string("memory\0", 7));
    // PSCI through SMC at EL2.
    EXPECT_EQ(d.str("/psci", "method"), std::string("smc\0", 4));
    EXPECT_EQ(d.str("/psci", "compatible"), std::string("arm,psci-1.0\0arm,psci-0.2\0arm,psci\0", 35));
    // CPUs.
    EXPECT_EQ(d.cells("/cpus/cpu@1", "reg"), std::vector<uint32_t>{1});
    EXPECT_EQ(d.str("/cpus/cpu@0", "enable-method"), std::string("psci\0", 5));
    EXPECT_EQ(d.str("/cpus/cpu@0", "device_type"), std::string("cpu\0", 4));
    EXPECT_TRUE(d.has("/cpus/cpu-map/socket0/cluster0/core1"));
    // GICv3 + ITS.
    const uint32_t gic = fdt_get_phandle(d.blob.data(), d.node("/intc@8000000"));
    EXPECT_NE(gic, 0u);
    EXPECT_EQ(d.cells("/", "interrupt-parent"), std::vector<uint32_t>{gic});
    EXPECT_EQ(d.str("/intc@8000000", "compatible"), std::string("arm,gic-v3\0", 11));
    EXPECT_EQ(d.cells("/intc@8000000", "#interrupt-cells"), std::vector<uint32_t>{3});
    EXPECT_NE(fdt_getprop(d.blob.data(), d.node("/intc@8000000"), "interrupt-controller", nullptr), nullptr);
    EXPECT_EQ(d.cells("/intc@8000000", "reg"),
              (std::vector<uint32_t>{0, 0x08000000, 0, 0x10000, 0, 0x080A0000, 0, 0x40000}));
    EXPECT_EQ(d.cells("/intc@8000000/its@8080000", "reg"), (std::vector<uint32_t>{0, 0x08080000, 0, 0x20000}));
    EXPECT_NE(fdt_getprop(d.blob.data(), d.node("/intc@8000000/its@8080000"), "msi-controller", nullptr), nullptr);
    // Timer PPIs as QEMU virt.
    EXPECT_EQ(d.cells("/timer", "interrupts"), (std::vector<uint32_t>{1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4}));
    // UART, RTC, clock, flash.
    EXPECT_EQ(d.str("/pl011@9000000", "compatible"), std::string("arm,pl011\0arm,primecell\0", 24));
    EXPECT_EQ(d.cells("/pl011@9000000", "interrupts"), (std::vector<uint32_t>{0, 1, 4}));
    const uint32_t clk = fdt_get_phandle(d.blob.data(), d.node("/apb-pclk"));
    EXPECT_EQ(d.cells("/pl011@9000000", "clocks"), (std::vector<uint32_t>{clk, clk}));
    EXPECT_EQ(d.cells("/pl031@9010000", "interrupts"), (std::vector<uint32_t>{0, 2, 4}));
    EXPECT_EQ(d.cells("/flash@0", "reg"), (std::vector<uint32_t>{0, 0, 0, 0x4000000, 0, 0x4000000, 0, 0x4000000}));
    // chosen.
    EXPECT_EQ(d.str("/chosen", "stdout-path"), std::string("/pl011@9000000\0", 15));
    EXPECT_EQ(d.str("/chosen", "bootargs"), std::string("console=ttyAMA0 earlycon\0", 25));
    EXPECT_EQ(d.cells("/chosen", "linux,initrd-start"), (std::vector<uint32_t>{0, 0x48000000}));
    EXPECT_EQ(d.cells("/chosen", "linux,initrd-end"), (std::vector<uint32_t>{0, 0x48001000}));
}

TEST(Dtb, PmuNodeAsQemuVirtUnlessDisabled) {
    json c = default_config();
    EXPECT_TRUE(virt_config(c).core.pmu);
    EXPECT_EQ(virt_config(c).core.pmu_counters, 6u);
    // PPI 7, level-high, no CPU mask (GICv3), as QEMU 7.2's dumpdtb.
    const Dtb d = dtb_for({"cpu.count=2"});
    EXPECT_EQ(d.str("/pmu", "compatible"), std::string("arm,armv8-pmuv3\0", 16));
    EXPECT_EQ(d.cells("/pmu", "interrupts"), (std::vector<uint32_t>{1, 7, 4}));
    EXPECT_FALSE(dtb_for({"cpu.pmu.enabled=false"}).has("/pmu"));
    set_config(c, "cpu.pmu.counters=31");
    EXPECT_EQ(virt_config(c).core.pmu_counters, 31u);
}

TEST(Dtb, PsciConduitFollowsTheEntryEl) {
    EXPECT_EQ(dtb_for({"boot.entry_el=1"}).str("/psci", "method"), std::string("hvc\0", 4));
    const Dtb el3 = dtb_for({"boot.entry_el=3"});
    EXPECT_FALSE(el3.has("/psci"));
    EXPECT_EQ(el3.str("/cpus/cpu@0", "enable-method"), "<none>");
}

TEST(Dtb, ClustersAndMemoryFollowTheConfiguration) {
    const Dtb d = dtb_for({"cpu.count=4", "cpu.clusters=2", "ram.size=256M", "ram.base=0x80000000"});
    EXPECT_EQ(d.cells("/cpus/cpu@101", "reg"), std::vector<uint32_t>{0x101});
    EXPECT_TRUE(d.has("/cpus/cpu-map/socket0/cluster1/core1"));
    EXPECT_EQ(d.cells("/memory@80000000", "reg"), (std::vector<uint32_t>{0, 0x80000000, 0, 0x10000000}));
    EXPECT_FALSE(d.has("/chosen/bootargs"));
    EXPECT_EQ(d.str("/chosen", "bootargs"), "<none>");
}

TEST(Dtb, UserBlobGetsChosenAndBadBlobsAreRejected) {
    const Dtb base = dtb_for({});
    ChosenInfo chosen;
    chosen.bootargs = "root=/dev/vda";
    const Dtb d{fixup_user_dtb(base.blob, chosen, "user.dtb")};
    EXPECT_EQ(d.str("/chosen", "bootargs"), std::string("root=/dev/vda\0", 14));
    EXPECT_NE(error_of([&] { fixup_user_dtb({1, 2, 3}, chosen, "x.dtb"); }).find("x.dtb"), std::string::npos);
    std::vector<uint8_t> truncated(base.blob.begin(), base.blob.begin() + 100);
    EXPECT_NE(error_of([&] { fixup_user_dtb(truncated, chosen, "t.dtb"); }).find("truncated"), std::string::npos);
}

// --- boot ---------------------------------------------------------------------

std::vector<uint8_t> image_header(uint64_t text_offset, uint64_t image_size, size_t file_size) {
    std::vector<uint8_t> d(file_size, 0);
    for (int i = 0; i < 8; ++i) {
        d[8 + i] = uint8_t(text_offset >> (8 * i));
        d[16 + i] = uint8_t(image_size >> (8 * i));
    }
    std::memcpy(d.data() + 56, "ARM\x64", 4);
    return d;
}

TEST(Boot, ImageHeaderIsHonouredAsQemuDoes) {
    auto img = parse_arm64_image(image_header(0, 0x200000, 4096), "Image");
    EXPECT_TRUE(img.has_header);
    EXPECT_EQ(img.load_offset, 0x200000u);  // text_offset 0: 2 MB up, as QEMU
    EXPECT_EQ(img.size, 0x200000u);
    img = parse_arm64_image(image_header(0x80000, 0x200000, 4096), "Image");
    EXPECT_EQ(img.load_offset, 0x80000u);
    img = parse_arm64_image(image_header(0x80000, 0, 4096), "old Image");  // image_size 0: pre-3.17
    EXPECT_EQ(img.load_offset, 0x80000u);
    EXPECT_EQ(img.size, 4096u);
    img = parse_arm64_image(std::vector<uint8_t>(100, 0xAA), "raw");
    EXPECT_FALSE(img.has_header);
    EXPECT_EQ(img.load_offset, 0x80000u);
    EXPECT_NE(error_of([] { parse_arm64_image(image_header(0, 0x1000, 62), "t"); }).find("truncated"), std::string::npos);
    EXPECT_NE(error_of([] { parse_arm64_image(image_header(0, 0x100, 4096), "s"); }).find("image_size"), std::string::npos);
    EXPECT_NE(error_of([] { parse_arm64_image({0x1F, 0x8B, 8, 0}, "gz"); }).find("gzip"), std::string::npos);
    EXPECT_NE(error_of([] { parse_arm64_image({}, "e"); }).find("empty"), std::string::npos);
}

struct TempFile {
    std::string path;
    TempFile(const std::string& name, const std::vector<uint8_t>& data)
        : path(::testing::TempDir() + name) {
        std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(data.data()), std::streamsize(data.size()));
    }
    ~TempFile() { std::remove(path.c_str()); }
};

TEST(Boot, LinuxImagePlacementFollowsQemu) {
    const TempFile kernel("hvsim_Image", image_header(0, 0x1800000, 8192));  // 24 MB image
    const TempFile initrd("hvsim_initrd", std::vector<uint8_t>(5000, 0x11));
    std::map<uint64_t, size_t> writes;
    const VirtConfig cfg = virt_config(default_config());
    BootRequest req;
    req.kernel = kernel.path;
    req.initrd = initrd.path;
    req.bootargs = "console=ttyAMA0";
    const BootPlan p = boot(req, cfg, [&](uint64_t pa, const uint8_t*, uint64_t n) {
        writes[pa] = n;
        return true;
    });
    EXPECT_TRUE(p.linux_boot);
    EXPECT_EQ(p.entry, 0x40200000u);
    EXPECT_EQ(*p.initrd_start, 0x48000000u);  // RAM + 128 MB
    EXPECT_EQ(p.initrd_end, 0x48000000u + 5000);
    EXPECT_EQ(*p.dtb_addr, 0x48200000u);  // after the initrd, 2 MB aligned
    EXPECT_EQ(p.regs, (std::array<uint64_t, 4>{0x48200000, 0, 0, 0}));
    EXPECT_EQ(writes.at(0x40200000), 8192u);
    EXPECT_EQ(writes.at(0x48000000), 5000u);
    EXPECT_EQ(writes.at(0x48200000), p.dtb.size());
    const Dtb d{p.dtb};
    EXPECT_EQ(d.str("/chosen", "bootargs"), std::string("console=ttyAMA0\0", 16));

    // A small RAM: initrd at RAM/2, but never over the kernel.
    json c = default_config();
    set_config(c, "ram.size=32M");
    const BootPlan small = boot(req, virt_config(c), [](uint64_t, const uint8_t*, uint64_t) { return true; });
    EXPECT_EQ(*small.initrd_start, 0x40200000u + 0x1800000);
    EXPECT_EQ(*small.dtb_addr, 0x41C00000u);

    // Not enough RAM for the kernel.
    set_config(c, "ram.size=16M");
    EXPECT_NE(error_of([&] { boot(req, virt_config(c), [](uint64_t, const uint8_t*, uint64_t) { return true; }); })
                  .find("does not fit"),
              std::string::npos);
}

TEST(Boot, BiosGoesToFlashAndTheDtbToRamBase) {
    const TempFile bios("hvsim_bios", std::vector<uint8_t>(4096, 0x14));
    const VirtConfig cfg = virt_config(default_config());
    BootRequest req;
    req.bios = bios.path;
    std::map<uint64_t, size_t> writes;
    const BootPlan p = boot(req, cfg, [&](uint64_t pa, const uint8_t*, uint64_t n) {
        writes[pa] = n;
        return true;
    });
    EXPECT_EQ(p.entry, 0u);
    EXPECT_EQ(writes.at(0), 4096u);
    EXPECT_EQ(*p.dtb_addr, 0x40000000u);
    EXPECT_EQ(p.regs[0], 0u);
    EXPECT_FALSE(p.linux_boot);

    req.loads = {{bios.path, 0x40000000}};  // RAM base taken: no DTB there
    const BootPlan q = boot(req, cfg, [](uint64_t, const uint8_t*, uint64_t) { return true; });
    EXPECT_FALSE(q.dtb_addr);
}

TEST(Boot, BadInputNamesTheFile) {
    const VirtConfig cfg = virt_config(default_config());
    auto w = [](uint64_t, const uint8_t*, uint64_t) { return true; };
    BootRequest req;
    req.kernel = "/nonexistent/Image";
    EXPECT_NE(error_of([&] { boot(req, cfg, w); }).find("/nonexistent/Image"), std::string::npos);
    const TempFile raw("hvsim_raw", std::vector<uint8_t>(64, 0));
    req.kernel = raw.path;
    req.initrd = "/nonexistent/initrd";
    EXPECT_NE(error_of([&] { boot(req, cfg, w); }).find("/nonexistent/initrd"), std::string::npos);
}

// --- boot modules (--module) ----------------------------------------------------

TEST(Module, SpecParsesAsGuestLoaderOptions) {
    BootModule m = parse_module_spec("kernel=Image,bootargs=console=hvc0 rdinit=/init,addr=0x49000000");
    EXPECT_EQ(m.kind, BootModule::Kind::Kernel);
    EXPECT_EQ(m.file, "Image");
    EXPECT_EQ(m.bootargs, "console=hvc0 rdinit=/init");
    EXPECT_EQ(m.addr, std::optional<uint64_t>(0x49000000));
    m = parse_module_spec("addr=0x50000000,initrd=initrd.gz");
    EXPECT_EQ(m.kind, BootModule::Kind::Ramdisk);
    EXPECT_EQ(m.file, "initrd.gz");
    EXPECT_EQ(m.addr, std::optional<uint64_t>(0x50000000));
    m = parse_module_spec("kernel=k");
    EXPECT_FALSE(m.addr);
    EXPECT_EQ(m.bootargs, "");
    // Commas stay in bootargs up to the next known field.
    m = parse_module_spec("kernel=k,bootargs=dom0_mem=1G,max:1G quiet,addr=4096");
    EXPECT_EQ(m.bootargs, "dom0_mem=1G,max:1G quiet");
    EXPECT_EQ(m.addr, std::optional<uint64_t>(4096));
}

TEST(Module, MalformedSpecsNameTheOption) {
    for (const char* bad : {"", "Image", "kernel=", "initrd=a,kernel=b", "kernel=a,addr=0x4x", "kernel=a,addr=",
                            "kernel=a,adr=1", "initrd=a,bootargs=x", "kernel=a,addr=1,addr=2", "bootargs=x",
                            "kernel=a,,addr=1", "kernel=a,addr=-1"}) {
        const std::string e = error_of([&] { parse_module_spec(bad); });
        EXPECT_EQ(e.rfind(std::string("--module '") + bad + "'", 0), 0u) << bad << ": " << e;
    }
}

TEST(Module, ModulesGoToTheirPlaceAndIntoChosen) {
    const TempFile xen("hvsim_xen", image_header(0, 0x200000, 4096));
    const TempFile kernel("hvsim_mod_kernel", std::vector<uint8_t>(0x3000, 0x22));
    const TempFile ramdisk("hvsim_mod_ramdisk", std::vector<uint8_t>(0x1234, 0x33));
    const VirtConfig cfg = virt_config(default_config());
    std::map<uint64_t, size_t> writes;
    auto w = [&](uint64_t pa, const uint8_t*, uint64_t n) {
        writes[pa] = n;
        return true;
    };
    BootRequest req;
    req.kernel = xen.path;
    req.modules = {parse_module_spec("kernel=" + kernel.path + ",bootargs=console=hvc0"),
                   parse_module_spec("initrd=" + ramdisk.path)};
    BootPlan p = boot(req, cfg, w);
    ASSERT_EQ(p.modules.size(), 2u);
    EXPECT_EQ(p.modules[0].addr, 0x49000000u);  // the defaults of QEMU's reference Xen run
    EXPECT_EQ(p.modules[1].addr, 0x50000000u);
    EXPECT_EQ(writes.at(0x49000000), 0x3000u);
    EXPECT_EQ(writes.at(0x50000000), 0x1234u);
    Dtb d{p.dtb};
    EXPECT_EQ(d.cells("/chosen", "#address-cells"), std::vector<uint32_t>{2});
    EXPECT_EQ(d.cells("/chosen", "#size-cells"), std::vector<uint32_t>{2});
    EXPECT_EQ(d.str("/chosen/module@49000000", "compatible"), std::string("multiboot,kernel\0multiboot,module\0", 34));
    EXPECT_EQ(d.cells("/chosen/module@49000000", "reg"), (std::vector<uint32_t>{0, 0x49000000, 0, 0x3000}));
    EXPECT_EQ(d.str("/chosen/module@49000000", "bootargs"), std::string("console=hvc0\0", 13));
    EXPECT_EQ(d.str("/chosen/module@50000000", "compatible"), std::string("multiboot,ramdisk\0multiboot,module\0", 35));
    EXPECT_EQ(d.cells("/chosen/module@50000000", "reg"), (std::vector<uint32_t>{0, 0x50000000, 0, 0x1234}));
    EXPECT_EQ(d.str("/chosen/module@50000000", "bootargs"), "<none>");

    // A default place taken by another image moves up past it, 2 MB aligned;
    // the DTB keeps clear of the modules.
    req.modules = {parse_module_spec("initrd=" + ramdisk.path + ",addr=0x48000000"),
                   parse_module_spec("initrd=" + ramdisk.path + ",addr=0x48200800"),
                   parse_module_spec("kernel=" + kernel.path + ",addr=0x49000100"),
                   parse_module_spec("kernel=" + kernel.path)};
    p = boot(req, cfg, w);
    EXPECT_EQ(p.modules[3].addr, 0x49200000u);
    EXPECT_EQ(*p.dtb_addr, 0x48400000u);

    // An explicit place that overlaps, or lies outside RAM, is an error naming the file.
    req.modules = {parse_module_spec("kernel=" + kernel.path + ",addr=0x40201000")};
    std::string e = error_of([&] { boot(req, cfg, w); });
    EXPECT_NE(e.find("overlaps"), std::string::npos) << e;
    EXPECT_NE(e.find(kernel.path), std::string::npos) << e;
    req.modules = {parse_module_spec("initrd=" + ramdisk.path + ",addr=0x7FFFF000")};
    e = error_of([&] { boot(req, cfg, w); });
    EXPECT_NE(e.find("does not fit in RAM"), std::string::npos) << e;
    const TempFile empty("hvsim_mod_empty", {});
    req.modules = {parse_module_spec("initrd=" + empty.path)};
    EXPECT_NE(error_of([&] { boot(req, cfg, w); }).find("is empty"), std::string::npos);
    req.modules = {parse_module_spec("initrd=/nonexistent/rd")};
    EXPECT_NE(error_of([&] { boot(req, cfg, w); }).find("/nonexistent/rd"), std::string::npos);
}

TEST(Module, UserBlobGetsModuleNodes) {
    ChosenInfo chosen;
    chosen.modules = {{true, 0x49000000, 0x1000, "console=hvc0"}, {false, 0x150000000, 0x10, ""}};
    const Dtb d{fixup_user_dtb(dtb_for({}).blob, chosen, "user.dtb")};
    EXPECT_EQ(d.cells("/chosen/module@49000000", "reg"), (std::vector<uint32_t>{0, 0x49000000, 0, 0x1000}));
    EXPECT_EQ(d.cells("/chosen/module@150000000", "reg"), (std::vector<uint32_t>{1, 0x50000000, 0, 0x10}));
    EXPECT_EQ(d.str("/chosen/module@49000000", "bootargs"), std::string("console=hvc0\0", 13));
    EXPECT_EQ(d.str("/chosen/module@150000000", "compatible"), std::string("multiboot,ramdisk\0multiboot,module\0", 35));
    // In the order given.
    const int first = fdt_first_subnode(d.blob.data(), d.node("/chosen"));
    EXPECT_STREQ(fdt_get_name(d.blob.data(), first, nullptr), "module@49000000");
    EXPECT_STREQ(fdt_get_name(d.blob.data(), fdt_next_subnode(d.blob.data(), first), nullptr), "module@150000000");
}

}  // namespace
