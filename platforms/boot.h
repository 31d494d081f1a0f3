// Boot: what hvsim loads before the first instruction, following QEMU's
// hw/arm/boot.c so that images built for QEMU's -kernel/-initrd/-bios boot
// the same way:
// - an ELF is loaded by its program headers and entered at e_entry with
//   X0-X3 = 0 (QEMU passes no DTB to an ELF); the DTB still goes to the base
//   of RAM when the image leaves room there;
// - a Linux arm64 Image (magic "ARM\x64" at offset 56) is loaded at RAM base
//   + text_offset (+ 2 MB when text_offset < 4 KB, as QEMU), a raw binary at
//   RAM base + 0x80000; both are entered with X0 = DTB address, X1-X3 = 0
//   (Documentation/arch/arm64/booting.rst);
// - the initrd goes to RAM base + min(RAM/2, 128 MB), or after the kernel if
//   that is higher (4 KB aligned), the DTB after the initrd, 2 MB aligned;
// - --bios goes into the first flash bank and is entered at its base; the
//   DTB goes to the base of RAM for it to find;
// - boot modules (--module, QEMU's -device guest-loader) go where asked, or by
//   default at 0x49000000 (kernel) and 0x50000000 (ramdisk) moved up in 2 MB
//   steps past anything already loaded, and are described in /chosen for a
//   hypervisor (Xen's docs/misc/arm/device-tree/booting.txt); the DTB of a
//   Linux-style boot goes to the first 2 MB-aligned free place after them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fdt.h"
#include "loader.h"
#include "virt.h"

namespace hvsim::platform {

// One --module: `kernel=FILE[,bootargs=STR][,addr=A]` or
// `initrd=FILE[,addr=A]`, keys in any order. A bootargs value keeps its
// commas: a following piece that does not start with a known key is part of
// it.
struct BootModule {
    enum class Kind { Kernel, Ramdisk };
    Kind kind = Kind::Kernel;
    std::string file, bootargs;
    std::optional<uint64_t> addr;  // none: the default place
};
// Parses the text of one --module option (errors name the option).
BootModule parse_module_spec(const std::string& spec);

struct BootRequest {
    std::string kernel, initrd, bios, dtb;  // file names; empty = none
    std::string bootargs;
    std::vector<std::pair<std::string, uint64_t>> loads;  // raw FILE at ADDR
    std::vector<BootModule> modules;
};

struct BootPlan {
    bool have_entry = false;
    uint64_t entry = 0;
    std::array<uint64_t, 4> regs{};  // X0-X3 at entry
    std::vector<uint8_t> dtb;        // the blob (generated or given)
    std::optional<uint64_t> dtb_addr;
    std::optional<uint64_t> initrd_start;
    uint64_t initrd_end = 0;
    std::vector<ChosenModule> modules;  // where the --module files went
    bool linux_boot = false;         // Image or raw kernel: X0 = DTB
};

// The arm64 Image header fields hvsim uses.
struct Arm64Image {
    bool has_header = false;  // magic present
    uint64_t load_offset = 0; // from the RAM base
    uint64_t size = 0;        // bytes the kernel occupies (image_size or the file size)
};
// Classifies a non-ELF kernel file (throws on malformed headers).
Arm64Image parse_arm64_image(const std::vector<uint8_t>& data, const std::string& what);

// Loads everything and builds (or checks) the DTB. `write` writes guest
// physical memory. Errors name the file.
BootPlan boot(const BootRequest& req, const VirtConfig& cfg, const PhysWriter& write);

}  // namespace hvsim::platform
