// Guest image loading: ELF executables and raw binaries into guest physical
// memory. Every malformed input is an hvsim::Error naming the file.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace hvsim::platform {

// Writes `len` bytes at guest physical address `pa`; false if the range is
// not backed by loadable memory.
using PhysWriter = std::function<bool(uint64_t pa, const uint8_t* data, uint64_t len)>;

struct LoadedImage {
    uint64_t entry = 0;
    uint64_t low = 0, high = 0;  // physical range occupied
};

// Loads an AArch64 ELF64 executable by its program headers (physical
// addresses), returning its entry point.
LoadedImage load_elf(const std::string& path, const PhysWriter& write);
// Loads a file verbatim at `pa`.
LoadedImage load_raw(const std::string& path, uint64_t pa, const PhysWriter& write);
// The whole file; an hvsim::Error naming it if it cannot be read.
std::vector<uint8_t> read_file(const std::string& path);
// True if the file starts with the ELF magic.
bool is_elf(const std::string& path);

}  // namespace hvsim::platform
