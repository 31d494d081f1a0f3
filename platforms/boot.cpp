#include "boot.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "fdt.h"
#include "models/common/error.h"

namespace hvsim::platform {

namespace {

constexpr uint64_t kMiB = 1ull << 20;
constexpr uint64_t kRawLoadOffset = 0x80000;  // QEMU KERNEL64_LOAD_ADDR
constexpr uint64_t kBootloaderMax = 4096;     // QEMU BOOTLOADER_MAX_SIZE

uint64_t le64(const uint8_t* p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}
uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

struct Range {
    uint64_t low, high;
};

bool overlaps(const std::vector<Range>& used, uint64_t low, uint64_t high) {
    for (const Range& r : used)
        if (r.low < high && low < r.high) return true;
    return false;
}

// The first `align`-aligned address at or above `at` where [at, at+size)
// overlaps nothing in `used`.
uint64_t first_free(const std::vector<Range>& used, uint64_t at, uint64_t size, uint64_t align) {
    at = align_up(at, align);
    for (bool moved = true; moved;) {
        moved = false;
        for (const Range& r : used)
            if (r.low < at + size && at < r.high) {
                at = align_up(r.high, align);
                moved = true;
            }
    }
    return at;
}

// Where QEMU's reference Xen run puts its guest-loader modules.
constexpr uint64_t kDefaultModuleKernel = 0x49000000, kDefaultModuleRamdisk = 0x50000000;

}  // namespace

BootModule parse_module_spec(const std::string& spec) {
    auto fail = [&](const std::string& why) { return Error(fmt::format("--module '{}': {}", spec, why)); };
    const std::string usage = "expected kernel=FILE[,bootargs=STR][,addr=A] or initrd=FILE[,addr=A]";
    BootModule m;
    bool have_file = false, have_bootargs = false, have_addr = false, in_bootargs = false;
    size_t pos = 0;
    while (pos <= spec.size()) {
        const size_t comma = std::min(spec.find(',', pos), spec.size());
        const std::string piece = spec.substr(pos, comma - pos);
        pos = comma + 1;
        const size_t eq = piece.find('=');
        const std::string key = eq == std::string::npos ? "" : piece.substr(0, eq);
        const bool known = key == "kernel" || key == "initrd" || key == "bootargs" || key == "addr";
        if (!known && in_bootargs) {
            m.bootargs += "," + piece;
            continue;
        }
        in_bootargs = false;
        if (!known) throw fail(piece.empty() ? "empty field; " + usage : fmt::format("unknown field '{}'; {}", piece, usage));
        const std::string value = piece.substr(eq + 1);
        if (key == "kernel" || key == "initrd") {
            if (have_file) throw fail("more than one kernel=/initrd= field");
            if (value.empty()) throw fail(fmt::format("{}= needs a file name", key));
            m.kind = key == "kernel" ? BootModule::Kind::Kernel : BootModule::Kind::Ramdisk;
            m.file = value;
            have_file = true;
        } else if (key == "bootargs") {
            if (have_bootargs) throw fail("bootargs= given twice");
            m.bootargs = value;
            have_bootargs = in_bootargs = true;
        } else {
            if (have_addr) throw fail("addr= given twice");
            try {
                size_t used = 0;
                m.addr = std::stoull(value, &used, 0);
                if (used != value.size() || value.empty() || value[0] == '-') throw std::invalid_argument(value);
            } catch (const std::exception&) {
                throw fail(fmt::format("addr '{}' is not a number", value));
            }
            have_addr = true;
        }
    }
    if (!have_file) throw fail("no kernel= or initrd= field; " + usage);
    if (have_bootargs && m.kind == BootModule::Kind::Ramdisk) throw fail("bootargs= belongs to a kernel module, not an initrd");
    return m;
}

Arm64Image parse_arm64_image(const std::vector<uint8_t>& d, const std::string& what) {
    auto fail = [&](const std::string& why) { return Error(fmt::format("'{}': {}", what, why)); };
    if (d.empty()) throw fail("empty kernel image");
    if (d.size() >= 2 && d[0] == 0x1F && d[1] == 0x8B)
        throw fail("gzip-compressed kernel: decompress it first (hvsim loads uncompressed Images)");
    Arm64Image img;
    // Header (booting.rst): code0, code1, text_offset @8, image_size @16,
    // flags @24, res2-4, magic "ARM\x64" @56, res5 @60: 64 bytes.
    if (d.size() >= 60 && std::memcmp(d.data() + 56, "ARM\x64", 4) == 0) {
        if (d.size() < 64) throw fail(fmt::format("truncated arm64 Image header ({} of 64 bytes)", d.size()));
        img.has_header = true;
        const uint64_t text_offset = le64(d.data() + 8), image_size = le64(d.data() + 16), flags = le64(d.data() + 24);
        if (image_size != 0) {
            if (flags & 1) throw fail("big-endian arm64 Image (flags bit 0): hvsim runs little-endian kernels");
            if (image_size < d.size())
                throw fail(fmt::format("arm64 Image header's image_size ({:#x}) is smaller than the file ({:#x} bytes)",
                                       image_size, d.size()));
            if (text_offset >= (1ull << 30)) throw fail(fmt::format("arm64 Image text_offset {:#x} is implausible", text_offset));
            // QEMU keeps the first 4 KB of RAM for its boot stub and moves
            // the image up 2 MB, which keeps the 2 MB-aligned base rule.
            img.load_offset = text_offset < kBootloaderMax ? text_offset + 2 * kMiB : text_offset;
            img.size = image_size;
            return img;
        }
        // Kernels before 3.17: image_size 0, text_offset not valid.
    }
    img.load_offset = kRawLoadOffset;
    img.size = d.size();
    return img;
}

BootPlan boot(const BootRequest& req, const VirtConfig& cfg, const PhysWriter& write) {
    BootPlan plan;
    std::vector<Range> used;  // RAM/flash ranges holding images
    const uint64_t ram_end = cfg.ram_base + cfg.ram_bytes;

    for (const auto& [file, addr] : req.loads) {
        const LoadedImage img = load_raw(file, addr, write);
        used.push_back({img.low, img.high});
        if (!plan.have_entry) plan.entry = img.entry, plan.have_entry = true;
    }

    if (!req.bios.empty()) {
        if (!req.kernel.empty())
            throw Error("--bios with --kernel: the firmware would fetch the kernel through fw_cfg, which hvsim does not "
                        "model; load it with --load FILE@ADDR instead");
        const std::vector<uint8_t> d = read_file(req.bios);
        if (d.empty()) throw Error(fmt::format("--bios '{}' is empty", req.bios));
        const uint64_t bank = cfg.map.flash.size / 2;
        if (d.size() > bank)
            throw Error(fmt::format("--bios '{}' ({} bytes) does not fit the flash bank ({} bytes)", req.bios, d.size(), bank));
        if (!write(cfg.map.flash.base, d.data(), d.size()))
            throw Error(fmt::format("--bios '{}': cannot write the flash", req.bios));
        plan.entry = cfg.map.flash.base;
        plan.have_entry = true;
    }

    uint64_t image_high = 0;
    if (!req.kernel.empty()) {
        if (is_elf(req.kernel)) {
            const LoadedImage img = load_elf(req.kernel, write);
            used.push_back({img.low, img.high});
            plan.entry = img.entry;
        } else {
            const std::vector<uint8_t> d = read_file(req.kernel);
            const Arm64Image img = parse_arm64_image(d, req.kernel);
            if (img.has_header && cfg.entry_el == 3)
                throw Error(fmt::format("'{}': a Linux Image is entered at EL2 or EL1 (booting.rst), not EL3: use --el 2 or 1",
                                        req.kernel));
            const uint64_t load = cfg.ram_base + img.load_offset;
            if (img.load_offset >= cfg.ram_bytes || img.size > cfg.ram_bytes - img.load_offset)
                throw Error(fmt::format("'{}' ({:#x} bytes at {:#x}) does not fit in RAM ({:#x}-{:#x})", req.kernel,
                                        img.size, load, cfg.ram_base, ram_end));
            if (!write(load, d.data(), d.size()))
                throw Error(fmt::format("'{}': cannot write guest memory at {:#x}", req.kernel, load));
            used.push_back({load, load + img.size});
            plan.entry = load;
            plan.linux_boot = true;
            image_high = load + img.size;
        }
        plan.have_entry = true;
    }

    // initrd: QEMU hw/arm/boot.c places it at RAM + min(RAM/2, 128 MB), or
    // just after the kernel if that is higher, page aligned.
    uint64_t initrd_size = 0;
    uint64_t initrd_start = align_up(std::max(cfg.ram_base + std::min(cfg.ram_bytes / 2, 128 * kMiB), image_high), 4096);
    if (!req.initrd.empty()) {
        if (!plan.linux_boot)
            throw Error(fmt::format("--initrd '{}' needs a Linux Image or raw kernel given with --kernel", req.initrd));
        const std::vector<uint8_t> d = read_file(req.initrd);
        initrd_size = d.size();
        if (initrd_start >= ram_end || initrd_size > ram_end - initrd_start)
            throw Error(fmt::format("--initrd '{}' ({} bytes at {:#x}) does not fit in RAM (ends at {:#x})", req.initrd,
                                    initrd_size, initrd_start, ram_end));
        if (!d.empty() && !write(initrd_start, d.data(), d.size()))
            throw Error(fmt::format("--initrd '{}': cannot write guest memory at {:#x}", req.initrd, initrd_start));
        plan.initrd_start = initrd_start;
        plan.initrd_end = initrd_start + initrd_size;
        used.push_back({initrd_start, initrd_start + initrd_size});
    }

    for (const BootModule& m : req.modules) {
        const std::vector<uint8_t> d = read_file(m.file);
        if (d.empty()) throw Error(fmt::format("--module '{}' is empty", m.file));
        const bool kernel = m.kind == BootModule::Kind::Kernel;
        const uint64_t size = d.size();
        const uint64_t at =
            m.addr ? *m.addr : first_free(used, kernel ? kDefaultModuleKernel : kDefaultModuleRamdisk, size, 2 * kMiB);
        if (at < cfg.ram_base || at >= ram_end || size > ram_end - at)
            throw Error(fmt::format("--module '{}' ({} bytes at {:#x}) does not fit in RAM ({:#x}-{:#x})", m.file, size, at,
                                    cfg.ram_base, ram_end));
        if (overlaps(used, at, at + size))
            throw Error(fmt::format("--module '{}' ({} bytes at {:#x}) overlaps another loaded image", m.file, size, at));
        if (!write(at, d.data(), d.size()))
            throw Error(fmt::format("--module '{}': cannot write guest memory at {:#x}", m.file, at));
        used.push_back({at, at + size});
        plan.modules.push_back({kernel, at, size, m.bootargs});
    }

    ChosenInfo chosen;
    chosen.bootargs = req.bootargs;
    chosen.initrd_start = plan.initrd_start;
    chosen.initrd_end = plan.initrd_end;
    chosen.modules = plan.modules;
    if (!req.dtb.empty()) plan.dtb = fixup_user_dtb(read_file(req.dtb), chosen, req.dtb);
    else plan.dtb = make_virt_dtb(cfg, chosen);

    if (plan.linux_boot) {
        // After the initrd, 2 MB aligned (QEMU aligns to 2 MB for AArch64),
        // and clear of the boot modules.
        const uint64_t at = first_free(used, initrd_start + initrd_size, plan.dtb.size(), 2 * kMiB);
        if (at >= ram_end || plan.dtb.size() > ram_end - at)
            throw Error(fmt::format("not enough RAM for the device tree after the kernel and initrd (at {:#x}, RAM ends at {:#x})",
                                    at, ram_end));
        write(at, plan.dtb.data(), plan.dtb.size());
        plan.dtb_addr = at;
        plan.regs = {at, 0, 0, 0};
    } else {
        // Firmware, ELF and raw --load images find it at the base of RAM when
        // nothing was loaded there (QEMU: dtb_start = loader_start).
        const uint64_t at = cfg.ram_base;
        if (plan.dtb.size() <= cfg.ram_bytes && !overlaps(used, at, at + plan.dtb.size())) {
            write(at, plan.dtb.data(), plan.dtb.size());
            plan.dtb_addr = at;
        }
    }
    return plan;
}

}  // namespace hvsim::platform
