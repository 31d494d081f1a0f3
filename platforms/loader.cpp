#include "loader.h"

#include <elf.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include <fmt/format.h>

#include "models/common/error.h"

namespace hvsim::platform {

std::vector<uint8_t> read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw Error(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
    // In blocks (a byte-wise stream iterator cost seconds on a kernel and
    // initrd); works for pipes too, whose size is not known in advance.
    std::vector<uint8_t> data;
    constexpr size_t kBlock = size_t(1) << 20;
    for (;;) {
        const size_t have = data.size();
        data.resize(have + kBlock);
        f.read(reinterpret_cast<char*>(data.data() + have), kBlock);
        data.resize(have + static_cast<size_t>(f.gcount()));
        if (!f) break;
    }
    if (f.bad()) throw Error(fmt::format("cannot read '{}'", path));
    return data;
}

bool is_elf(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw Error(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
    char magic[4] = {};
    f.read(magic, 4);
    return f.gcount() == 4 && std::memcmp(magic, ELFMAG, SELFMAG) == 0;
}

LoadedImage load_elf(const std::string& path, const PhysWriter& write) {
    const std::vector<uint8_t> d = read_file(path);
    auto fail = [&](const std::string& why) { return Error(fmt::format("'{}': {}", path, why)); };
    if (d.size() < sizeof(Elf64_Ehdr) || std::memcmp(d.data(), ELFMAG, SELFMAG) != 0) throw fail("not an ELF file");
    Elf64_Ehdr eh;
    std::memcpy(&eh, d.data(), sizeof eh);
    if (eh.e_ident[EI_CLASS] != ELFCLASS64) throw fail("not a 64-bit ELF file");
    if (eh.e_ident[EI_DATA] != ELFDATA2LSB) throw fail("not a little-endian ELF file");
    if (eh.e_machine != EM_AARCH64) throw fail(fmt::format("ELF machine {} is not AArch64", eh.e_machine));
    if (eh.e_type != ET_EXEC) throw fail("not an executable ELF file (ET_EXEC)");
    if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0) throw fail("no program headers");
    if (eh.e_phoff > d.size() || uint64_t(eh.e_phnum) * sizeof(Elf64_Phdr) > d.size() - eh.e_phoff)
        throw fail("truncated (program headers past the end of the file)");

    LoadedImage img;
    img.entry = eh.e_entry;
    img.low = ~0ull;
    bool any = false;
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
        Elf64_Phdr ph;
        std::memcpy(&ph, d.data() + eh.e_phoff + i * sizeof ph, sizeof ph);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
        if (ph.p_filesz > ph.p_memsz) throw fail(fmt::format("segment {} has filesz > memsz", i));
        if (ph.p_offset > d.size() || ph.p_filesz > d.size() - ph.p_offset)
            throw fail(fmt::format("truncated (segment {} extends past the end of the file)", i));
        if (ph.p_paddr + ph.p_memsz < ph.p_paddr) throw fail(fmt::format("segment {} wraps the address space", i));
        if (!write(ph.p_paddr, d.data() + ph.p_offset, ph.p_filesz))
            throw fail(fmt::format("segment {} at {:#x}-{:#x} does not fit in guest memory", i, ph.p_paddr,
                                   ph.p_paddr + ph.p_memsz));
        const std::vector<uint8_t> zeros(ph.p_memsz - ph.p_filesz, 0);
        if (!zeros.empty() && !write(ph.p_paddr + ph.p_filesz, zeros.data(), zeros.size()))
            throw fail(fmt::format("segment {} at {:#x}-{:#x} does not fit in guest memory", i, ph.p_paddr,
                                   ph.p_paddr + ph.p_memsz));
        img.low = std::min<uint64_t>(img.low, ph.p_paddr);
        img.high = std::max<uint64_t>(img.high, ph.p_paddr + ph.p_memsz);
        any = true;
    }
    if (!any) throw fail("no loadable segments");
    return img;
}

LoadedImage load_raw(const std::string& path, uint64_t pa, const PhysWriter& write) {
    const std::vector<uint8_t> d = read_file(path);
    if (d.empty()) throw Error(fmt::format("'{}' is empty", path));
    if (!write(pa, d.data(), d.size()))
        throw Error(fmt::format("'{}' ({} bytes) at {:#x} does not fit in guest memory", path, d.size(), pa));
    return LoadedImage{pa, pa, pa + d.size()};
}

}  // namespace hvsim::platform
