// A scripted GDB remote-protocol client that exercises hvsim's stub
// (models/debug) the way gdb does, with no gdb needed: it starts
// `hvsim --kernel ELF -gdb tcp::PORT -S`, reads registers and the target
// description, sets a breakpoint at the ELF's `main` (from its symbol table),
// continues, checks the stop PC and the memory there against the ELF's bytes,
// single-steps, continues to the end and checks hvsim's exit status. With a
// long-running ELF too, it interrupts it (Ctrl-C), detaches, and kills.
// With firmware/tests/gdb_watch.c's ELF, it reads V0 and FPSR and checks
// write, access and read watchpoints (Z2/Z4/Z3): the stop reply, the stop
// before the access, and resuming past the access the core stopped at.
//
//   gdb_client HVSIM ELF [LONG_RUNNING_ELF [WATCH_ELF]]
#include <arpa/inet.h>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <elf.h>
#include <fstream>
#include <iterator>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

pid_t child = -1;
size_t g_size = 0;  // bytes of the g reply, from the target description

[[noreturn]] void fail(const std::string& why) {
    std::fprintf(stderr, "gdb_client: FAIL: %s\n", why.c_str());
    if (child > 0) kill(child, SIGKILL);
    std::exit(1);
}

// --- a tiny ELF64 reader -------------------------------------------------------
struct Elf {
    std::vector<uint8_t> data;
    const Elf64_Ehdr& eh() const { return *reinterpret_cast<const Elf64_Ehdr*>(data.data()); }
    const Elf64_Shdr& sh(unsigned i) const {
        return *reinterpret_cast<const Elf64_Shdr*>(data.data() + eh().e_shoff + i * eh().e_shentsize);
    }
    uint64_t symbol(const std::string& name) const {
        for (unsigned i = 0; i < eh().e_shnum; ++i) {
            const Elf64_Shdr& s = sh(i);
            if (s.sh_type != SHT_SYMTAB) continue;
            const Elf64_Shdr& strtab = sh(s.sh_link);
            for (uint64_t off = 0; off + sizeof(Elf64_Sym) <= s.sh_size; off += sizeof(Elf64_Sym)) {
                const auto& sym = *reinterpret_cast<const Elf64_Sym*>(data.data() + s.sh_offset + off);
                if (name == reinterpret_cast<const char*>(data.data() + strtab.sh_offset + sym.st_name)) return sym.st_value;
            }
        }
        fail("no symbol " + name + " in the ELF");
    }
    std::vector<uint8_t> bytes(uint64_t vaddr, size_t n) const {
        for (unsigned i = 0; i < eh().e_phnum; ++i) {
            const auto& ph = *reinterpret_cast<const Elf64_Phdr*>(data.data() + eh().e_phoff + i * eh().e_phentsize);
            if (ph.p_type == PT_LOAD && vaddr >= ph.p_vaddr && vaddr + n <= ph.p_vaddr + ph.p_filesz)
                return {data.begin() + long(ph.p_offset + vaddr - ph.p_vaddr),
                        data.begin() + long(ph.p_offset + vaddr - ph.p_vaddr + n)};
        }
        fail("address not in a loaded segment");
    }
};

Elf read_elf(const char* path) {
    std::ifstream f(path, std::ios::binary);
    Elf e{std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {})};
    if (e.data.size() < sizeof(Elf64_Ehdr) || std::memcmp(e.data.data(), ELFMAG, SELFMAG) != 0 ||
        e.data[EI_CLASS] != ELFCLASS64)
        fail(std::string("not an ELF64 file: ") + path);
    return e;
}

// --- the remote protocol -------------------------------------------------------
int sock = -1;
std::string inbuf;

void send_raw(const std::string& s) {
    if (::send(sock, s.data(), s.size(), MSG_NOSIGNAL) != ssize_t(s.size())) fail("send");
}

void send_packet(const std::string& payload) {
    unsigned sum = 0;
    for (char c : payload) sum += uint8_t(c);
    char tail[8];
    std::snprintf(tail, sizeof tail, "#%02x", sum & 0xFF);
    send_raw("$" + payload + tail);
}

std::string receive_packet() {
    for (;;) {
        const size_t start = inbuf.find('$');
        const size_t hash = inbuf.find('#', start == std::string::npos ? 0 : start);
        if (start != std::string::npos && hash != std::string::npos && hash + 2 < inbuf.size()) {
            std::string p = inbuf.substr(start + 1, hash - start - 1);
            unsigned sum = 0;
            for (char c : p) sum += uint8_t(c);
            if (std::strtoul(inbuf.substr(hash + 1, 2).c_str(), nullptr, 16) != (sum & 0xFF)) fail("bad checksum");
            inbuf.erase(0, hash + 3);
            send_raw("+");
            std::string out;  // unescape
            for (size_t i = 0; i < p.size(); ++i) out += p[i] == '}' ? char(p[++i] ^ 0x20) : p[i];
            return out;
        }
        pollfd pfd{sock, POLLIN, 0};
        if (poll(&pfd, 1, 60000) <= 0) fail("timeout waiting for a packet");
        char buf[4096];
        const ssize_t n = recv(sock, buf, sizeof buf, 0);
        if (n <= 0) fail("connection closed");
        inbuf.append(buf, size_t(n));
    }
}

std::string transact(const std::string& cmd) {
    send_packet(cmd);
    std::string r = receive_packet();
    std::printf("-> %-40.40s <- %.60s\n", cmd.c_str(), r.c_str());
    return r;
}

void expect(bool ok, const std::string& what) {
    if (!ok) fail(what);
    std::printf("ok: %s\n", what.c_str());
}

uint64_t le_hex(const std::string& hex, size_t pos, unsigned bytes) {
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; ++i) v |= std::strtoull(hex.substr(pos + 2 * i, 2).c_str(), nullptr, 16) << (8 * i);
    return v;
}

std::string hex(uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "%llx", static_cast<unsigned long long>(v));
    return b;
}

uint16_t free_port() {
    const int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0 || getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) < 0)
        fail("no free port");
    close(s);
    return ntohs(a.sin_port);
}

// Starts `hvsim --kernel ELF -gdb tcp::PORT -S` and connects to it.
void launch(const char* hvsim, const char* elf) {
    const uint16_t port = free_port();
    const std::string gdb_arg = "tcp::" + std::to_string(port);
    child = fork();
    if (child == 0) {
        execl(hvsim, hvsim, "--kernel", elf, "-gdb", gdb_arg.c_str(), "-S", static_cast<char*>(nullptr));
        _exit(127);
    }
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int tries = 0;; ++tries) {
        sock = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(sock, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) break;
        close(sock);
        if (tries > 200 || waitpid(child, nullptr, WNOHANG) == child) fail("cannot connect to hvsim");
        usleep(50000);
    }
    inbuf.clear();
}

// Waits for hvsim to exit and checks its status is 0.
void expect_exit_0() {
    close(sock);
    int status = 0;
    if (waitpid(child, &status, 0) != child) fail("waitpid");
    child = -1;
    expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "hvsim exit status 0");
}

// The first session: registers, breakpoint at main, memory, step, exit.
void breakpoint_and_step(const char* hvsim, const char* elf_path) {
    const Elf elf = read_elf(elf_path);
    const uint64_t main_addr = elf.symbol("main");
    launch(hvsim, elf_path);

    // What gdb asks first.
    const std::string sup = transact("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386");
    expect(sup.find("PacketSize=") != std::string::npos && sup.find("qXfer:features:read+") != std::string::npos,
           "qSupported advertises PacketSize and qXfer:features:read");
    std::string xml;
    for (;;) {
        const std::string r = transact("qXfer:features:read:target.xml:" + hex(xml.size()) + ",200");
        if (r.empty() || (r[0] != 'm' && r[0] != 'l')) fail("qXfer reply " + r);
        xml += r.substr(1);
        if (r[0] == 'l') break;
    }
    expect(xml.find("org.gnu.gdb.aarch64.core") != std::string::npos && xml.find("name=\"cpsr\" bitsize=\"32\"") != std::string::npos,
           "target description: aarch64 core with a 32-bit cpsr");
    expect(transact("qAttached") == "1", "qAttached");
    expect(transact("?").rfind("T05thread:1;", 0) == 0, "stop reply T05 on thread 1");
    expect(transact("qfThreadInfo") == "m1" && transact("qsThreadInfo") == "l", "one core, one thread");
    expect(transact("qC") == "QC1", "qC");
    expect(transact("Hg1") == "OK" && transact("Hc-1") == "OK" && transact("T1") == "OK" && transact("T9") == "E01",
           "Hg/Hc/T");

    expect(xml.find("<feature name=\"org.gnu.gdb.aarch64.fpu\">") != std::string::npos &&
               xml.find("<reg name=\"v31\" bitsize=\"128\" type=\"aarch64v\" regnum=\"65\"/>") != std::string::npos &&
               xml.find("<reg name=\"fpcr\" bitsize=\"32\" type=\"int\" regnum=\"67\"/>") != std::string::npos,
           "target description: v0-v31 128-bit, fpsr and fpcr");
    expect(xml.find("name=\"currentel\" bitsize=\"64\" type=\"uint64\" group=\"system\" regnum=\"68\"") !=
                   std::string::npos &&
               xml.find("name=\"vttbr_el2\"") != std::string::npos,
           "target description: system registers from 68, currentel first");
    size_t n_sys = 0;
    for (size_t at = 0; (at = xml.find("group=\"system\"", at)) != std::string::npos; ++at) ++n_sys;
    g_size = (33 * 8 + 4) + 32 * 16 + 2 * 4 + n_sys * 8;

    const std::string regs = transact("g");
    expect(regs.size() == g_size * 2, "g: core, FP/SIMD and system registers in description order");
    const uint64_t entry = elf.eh().e_entry;
    expect(le_hex(regs, 32 * 16, 8) == entry, "PC at the ELF entry before anything ran");
    expect((le_hex(regs, 33 * 16, 4) & 0xC) == 0x8, "CPSR says EL2");
    expect(transact("p20") == regs.substr(32 * 16, 16), "p reads pc like g");
    expect(transact("P5=efbeadde00000000") == "OK" && transact("p5") == "efbeadde00000000", "P/p x5");
    expect(transact("P5=" + regs.substr(5 * 16, 16)) == "OK", "x5 restored");
    // FP/SIMD: v3 (34 + 3 = 0x25) is 16 bytes, fpsr (0x42) 4 bytes.
    const std::string v3 = "00112233445566778899aabbccddeeff";
    expect(transact("P25=" + v3) == "OK" && transact("p25") == v3, "P/p v3 (128-bit)");
    expect(transact("g").substr((268 + 3 * 16) * 2, 32) == v3, "g shows v3 at its offset");
    expect(transact("P42=00000008") == "OK" && transact("p42") == "00000008", "P/p fpsr: QC (bit 27)");
    expect(transact("P42=ffffffff") == "OK" && transact("p42") == "9f000008", "fpsr keeps its RES0 bits clear");
    expect(transact("P42=00000000") == "OK", "fpsr restored");
    // System registers: CurrentEL (0x44) is read-only and says EL2.
    expect(transact("p44") == "0800000000000000", "p currentel: EL2");
    expect(transact("P44=0000000000000000") == "E01" && transact("p44") == "0800000000000000", "P currentel refused");
    // G with g's own bytes writes nothing and keeps every register.
    const std::string all = transact("g");
    expect(transact("G" + all) == "OK" && transact("g") == all, "G with unchanged registers");
    expect(transact("P25=" + regs.substr(268 * 2 + 3 * 32, 32)) == "OK", "v3 restored");

    // A breakpoint at main (nothing is written to guest memory for it).
    expect(transact("Z0," + hex(main_addr) + ",4") == "OK", "Z0 at main");
    std::vector<uint8_t> code = elf.bytes(main_addr, 16);
    std::string code_hex;
    for (uint8_t b : code) {
        char t[3];
        std::snprintf(t, sizeof t, "%02x", b);
        code_hex += t;
    }
    expect(transact("m" + hex(main_addr) + ",10") == code_hex, "guest memory at main unchanged by Z0");
    expect(transact("c").rfind("T05thread:1;", 0) == 0, "stopped with SIGTRAP on thread 1");
    expect(le_hex(transact("p20"), 0, 8) == main_addr, "stop PC is main (" + hex(main_addr) + ")");
    expect(transact("m" + hex(main_addr) + ",10") == code_hex, "memory at PC equals the ELF bytes");
    // M writes through the debug path: write the same bytes back.
    expect(transact("M" + hex(main_addr) + ",10:" + code_hex) == "OK", "M at main");
    expect(transact("m9000000,4").rfind("E", 0) == 0, "m refuses device registers (no side effects)");

    // Single step: one instruction.
    const uint32_t insn = uint32_t(code[0]) | uint32_t(code[1]) << 8 | uint32_t(code[2]) << 16 | uint32_t(code[3]) << 24;
    const bool is_branch = (insn & 0x7C000000) == 0x14000000 || (insn & 0xFE000000) == 0xD6000000 ||
                           (insn & 0xFF000010) == 0x54000000 || (insn & 0x7E000000) == 0x34000000 ||
                           (insn & 0x7E000000) == 0x36000000;
    expect(transact("s").rfind("T05thread:1;", 0) == 0, "step stops with SIGTRAP");
    const uint64_t pc2 = le_hex(transact("p20"), 0, 8);
    expect(pc2 == main_addr + 4 || (is_branch && pc2 != main_addr), "step moved PC by one instruction (" + hex(pc2) + ")");
    expect(transact("z0," + hex(main_addr) + ",4") == "OK", "z0");

    // To the end: the stub reports the exit status, hvsim exits 0.
    expect(transact("c") == "W00", "W00 when the guest exits");
    expect_exit_0();
}

// Ctrl-C while the guest runs (a long program), then detach: the guest runs
// on to its end.
void interrupt_and_detach(const char* hvsim, const char* elf) {
    launch(hvsim, elf);
    expect(transact("?").rfind("T05thread:1;", 0) == 0, "attached, stopped");
    send_packet("c");
    usleep(100000);
    send_raw("\x03");
    const std::string r = receive_packet();
    std::printf("-> ^C                                       <- %s\n", r.c_str());
    expect(r.rfind("T02thread:1;", 0) == 0, "Ctrl-C stops with SIGINT");
    expect(transact("g").size() == g_size * 2, "registers readable after Ctrl-C");
    expect(transact("D") == "OK", "detach");
    expect_exit_0();
}

// 'k' ends hvsim (exit status 0, as QEMU).
void kill_target(const char* hvsim, const char* elf) {
    launch(hvsim, elf);
    expect(transact("?").rfind("T05thread:1;", 0) == 0, "attached, stopped");
    send_packet("k");
    expect_exit_0();
}

void watchpoints(const char* hvsim, const char* elf_path) {
    const Elf elf = read_elf(elf_path);
    const uint64_t fp_done = elf.symbol("fp_done"), store = elf.symbol("store_watched");
    const uint64_t watched = elf.symbol("watched");
    launch(hvsim, elf_path);
    expect(transact("?").rfind("T05thread:1;", 0) == 0, "attached, stopped");
    expect(transact("Z0," + hex(fp_done) + ",4") == "OK" && transact("c").rfind("T05thread:1;", 0) == 0 &&
               le_hex(transact("p20"), 0, 8) == fp_done,
           "stopped at fp_done");
    expect(transact("p22") == "887766554433221100ffeeddccbbaa99", "v0 as the program loaded it");
    expect(transact("p42") == "01000008", "fpsr: QC and IOC");
    expect(transact("z0," + hex(fp_done) + ",4") == "OK", "z0");

    // The program wrote `watched` already, so its page is in the speed
    // caches: the watchpoint must still see the store.
    expect(transact("Z2," + hex(watched) + ",8") == "OK", "Z2 on watched");
    expect(transact("Z2," + hex(watched) + ",0") == "E01", "Z2 with length 0 refused");
    const std::string stop = transact("c");
    expect(stop == "T05watch:" + hex(watched) + ";thread:1;", "write watchpoint stop reply (" + stop + ")");
    const uint64_t pc = le_hex(transact("p20"), 0, 8);
    expect(pc >= store && pc < store + 0x20, "stopped in store_watched (" + hex(pc) + ")");
    expect(transact("m" + hex(watched) + ",8") == "0100000000000000", "stopped before the store");
    // Resumed with the watchpoint still set, the store runs (no second stop
    // there) and the next store stops again: the page the first one touched
    // did not enter the speed caches.
    expect(transact("c") == stop, "the second store hits the watchpoint");
    expect(transact("m" + hex(watched) + ",8") == "3412000000000000", "the first store happened");
    // The program's two reads: an access watchpoint, then a read one.
    expect(transact("z2," + hex(watched) + ",8") == "OK" && transact("Z4," + hex(watched) + ",8") == "OK",
           "z2, Z4 on watched");
    const std::string astop = transact("c");
    expect(astop == "T05awatch:" + hex(watched) + ";thread:1;", "access watchpoint stop reply (" + astop + ")");
    expect(transact("m" + hex(watched) + ",8") == "7856000000000000", "the second store happened");
    expect(transact("z4," + hex(watched) + ",8") == "OK" && transact("Z3," + hex(watched + 4) + ",4") == "OK",
           "z4, Z3 on the upper half of watched");
    const std::string rstop = transact("c");
    expect(rstop == "T05rwatch:" + hex(watched + 4) + ";thread:1;",
           "read watchpoint stop reply names the first watched byte read (" + rstop + ")");
    expect(transact("z3," + hex(watched + 4) + ",4") == "OK", "z3");
    expect(transact("c") == "W00", "W00 when the guest exits");
    expect_exit_0();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3 || argc > 5) {
        std::fprintf(stderr, "usage: gdb_client HVSIM ELF [LONG_RUNNING_ELF [WATCH_ELF]]\n");
        return 2;
    }
    alarm(120);  // the whole session; SIGALRM ends a hung test
    breakpoint_and_step(argv[1], argv[2]);
    if (argc >= 4) {
        interrupt_and_detach(argv[1], argv[3]);
        kill_target(argv[1], argv[3]);
    }
    if (argc == 5) watchpoints(argv[1], argv[4]);
    std::printf("PASS\n");
    return 0;
}
