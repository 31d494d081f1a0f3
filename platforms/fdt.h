// The device tree of the `virt` platform, generated with libfdt from the
// effective configuration with QEMU virt's node names and properties
// (hw/arm/virt.c), so that Linux and Xen take it unmodified.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "virt.h"

namespace hvsim::platform {

// A boot module node under /chosen (Xen's docs/misc/arm/device-tree/
// booting.txt, as QEMU's guest-loader writes it): module@ADDR with
// compatible "multiboot,kernel" or "multiboot,ramdisk" then
// "multiboot,module", reg = <ADDR SIZE> and, for a kernel, bootargs.
struct ChosenModule {
    bool kernel = true;  // false: ramdisk
    uint64_t addr = 0, size = 0;
    std::string bootargs;  // empty: no bootargs property
};

// What /chosen carries.
struct ChosenInfo {
    std::string bootargs;                 // empty: no bootargs property
    std::optional<uint64_t> initrd_start; // with initrd_end: linux,initrd-start/end
    uint64_t initrd_end = 0;
    std::vector<ChosenModule> modules;
};

// PSCI conduit as the platform implements it (see virt.cpp): none when the
// guest owns EL3, SMC when EL2 exists, HVC when entering at EL1.
const char* psci_method(const VirtConfig& cfg);

// The generated blob (a valid, packed FDT).
std::vector<uint8_t> make_virt_dtb(const VirtConfig& cfg, const ChosenInfo& chosen);

// Checks a user-supplied blob (`what` names it in errors) and sets the
// /chosen properties in it, as QEMU does for -dtb.
std::vector<uint8_t> fixup_user_dtb(std::vector<uint8_t> blob, const ChosenInfo& chosen, const std::string& what);

}  // namespace hvsim::platform
