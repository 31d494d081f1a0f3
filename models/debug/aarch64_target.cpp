#include "aarch64_target.h"

#include <cctype>
#include <cstring>

#include <fmt/format.h>

#include "models/cpu/core.h"

namespace hvsim::debug {

namespace {

using cpu::SR;

struct SysRegEntry {
    SR r;
    unsigned el;  // the EL that must be implemented for the register to exist
    bool writable;
};

// The system registers a debugger most often wants: the translation regime
// and exception state of each EL, and the stage-2 controls.
constexpr SysRegEntry kSysRegs[] = {
    {SR::CurrentEL, 0, false}, {SR::MPIDR_EL1, 0, false},
    {SR::SCTLR_EL1, 1, true},  {SR::TCR_EL1, 1, true},   {SR::TTBR0_EL1, 1, true}, {SR::TTBR1_EL1, 1, true},
    {SR::MAIR_EL1, 1, true},   {SR::VBAR_EL1, 1, true},  {SR::ESR_EL1, 1, true},   {SR::FAR_EL1, 1, true},
    {SR::ELR_EL1, 1, true},    {SR::SPSR_EL1, 1, true},  {SR::SP_EL0, 1, true},    {SR::SP_EL1, 1, true},
    {SR::SCTLR_EL2, 2, true},  {SR::TCR_EL2, 2, true},   {SR::TTBR0_EL2, 2, true}, {SR::MAIR_EL2, 2, true},
    {SR::VBAR_EL2, 2, true},   {SR::ESR_EL2, 2, true},   {SR::FAR_EL2, 2, true},   {SR::HPFAR_EL2, 2, true},
    {SR::ELR_EL2, 2, true},    {SR::SPSR_EL2, 2, true},  {SR::HCR_EL2, 2, true},   {SR::VTTBR_EL2, 2, true},
    {SR::VTCR_EL2, 2, true},   {SR::SP_EL2, 2, true},    {SR::SCTLR_EL3, 3, true}, {SR::TCR_EL3, 3, true},
    {SR::TTBR0_EL3, 3, true},  {SR::MAIR_EL3, 3, true},  {SR::VBAR_EL3, 3, true},  {SR::ESR_EL3, 3, true},
    {SR::FAR_EL3, 3, true},    {SR::ELR_EL3, 3, true},   {SR::SPSR_EL3, 3, true},  {SR::SCR_EL3, 3, true},
};

std::string lower(const char* s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The vector views of a V register, as GDB's aarch64 FP/SIMD feature
// defines them (so `p $v0.d.u`, `p $v0.s.f` and its q/d/s/h/b pseudo
// registers work as on other targets).
constexpr const char* kVectorTypes =
    "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n"
    "<vector id=\"v2u\" type=\"uint64\" count=\"2\"/>\n"
    "<vector id=\"v2i\" type=\"int64\" count=\"2\"/>\n"
    "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n"
    "<vector id=\"v4u\" type=\"uint32\" count=\"4\"/>\n"
    "<vector id=\"v4i\" type=\"int32\" count=\"4\"/>\n"
    "<vector id=\"v8f\" type=\"ieee_half\" count=\"8\"/>\n"
    "<vector id=\"v8u\" type=\"uint16\" count=\"8\"/>\n"
    "<vector id=\"v8i\" type=\"int16\" count=\"8\"/>\n"
    "<vector id=\"v8bf16\" type=\"bfloat16\" count=\"8\"/>\n"
    "<vector id=\"v16u\" type=\"uint8\" count=\"16\"/>\n"
    "<vector id=\"v16i\" type=\"int8\" count=\"16\"/>\n"
    "<vector id=\"v1u\" type=\"uint128\" count=\"1\"/>\n"
    "<vector id=\"v1i\" type=\"int128\" count=\"1\"/>\n"
    "<union id=\"vnd\"><field name=\"d\" type=\"v2d\"/><field name=\"u\" type=\"v2u\"/>"
    "<field name=\"s\" type=\"v2i\"/></union>\n"
    "<union id=\"vns\"><field name=\"f\" type=\"v4f\"/><field name=\"u\" type=\"v4u\"/>"
    "<field name=\"s\" type=\"v4i\"/></union>\n"
    "<union id=\"vnh\"><field name=\"bf\" type=\"v8bf16\"/><field name=\"f\" type=\"v8f\"/>"
    "<field name=\"u\" type=\"v8u\"/><field name=\"s\" type=\"v8i\"/></union>\n"
    "<union id=\"vnb\"><field name=\"u\" type=\"v16u\"/><field name=\"s\" type=\"v16i\"/></union>\n"
    "<union id=\"vnq\"><field name=\"u\" type=\"v1u\"/><field name=\"s\" type=\"v1i\"/></union>\n"
    "<union id=\"aarch64v\"><field name=\"d\" type=\"vnd\"/><field name=\"s\" type=\"vns\"/>"
    "<field name=\"h\" type=\"vnh\"/><field name=\"b\" type=\"vnb\"/><field name=\"q\" type=\"vnq\"/></union>\n";

void put_le(std::vector<uint8_t>& out, uint64_t v, unsigned bytes) {
    for (unsigned i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

uint64_t get_le(const uint8_t* b, unsigned bytes) {
    uint64_t v = 0;
    for (unsigned i = bytes; i-- > 0;) v = v << 8 | b[i];
    return v;
}

}  // namespace

Aarch64Target::Aarch64Target(const cpu::Core& core) {
    for (const SysRegEntry& e : kSysRegs)
        if (core.el_implemented(e.el)) sys_.push_back({e.r, e.writable});

    std::string& s = xml_;
    s = "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
        "<target version=\"1.0\">\n"
        "<architecture>aarch64</architecture>\n"
        "<feature name=\"org.gnu.gdb.aarch64.core\">\n";
    for (unsigned i = 0; i < 31; ++i)
        s += fmt::format("<reg name=\"x{}\" bitsize=\"64\" type=\"int\" regnum=\"{}\"/>\n", i, i);
    s += fmt::format("<reg name=\"sp\" bitsize=\"64\" type=\"data_ptr\" regnum=\"{}\"/>\n", kRegSp);
    s += fmt::format("<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"{}\"/>\n", kRegPc);
    s += fmt::format("<reg name=\"cpsr\" bitsize=\"32\" type=\"int\" regnum=\"{}\"/>\n", kRegCpsr);
    s += "</feature>\n<feature name=\"org.gnu.gdb.aarch64.fpu\">\n";
    s += kVectorTypes;
    for (unsigned i = 0; i < 32; ++i)
        s += fmt::format("<reg name=\"v{}\" bitsize=\"128\" type=\"aarch64v\" regnum=\"{}\"/>\n", i, kRegV0 + i);
    s += fmt::format("<reg name=\"fpsr\" bitsize=\"32\" type=\"int\" regnum=\"{}\"/>\n", kRegFpsr);
    s += fmt::format("<reg name=\"fpcr\" bitsize=\"32\" type=\"int\" regnum=\"{}\"/>\n", kRegFpcr);
    s += "</feature>\n<feature name=\"org.hvsim.aarch64.sysregs\">\n";
    for (size_t i = 0; i < sys_.size(); ++i)
        s += fmt::format("<reg name=\"{}\" bitsize=\"64\" type=\"uint64\" group=\"system\" regnum=\"{}\"/>\n",
                         lower(cpu::sysreg_info(sys_[i].r).name), kRegSys0 + i);
    s += "</feature>\n</target>\n";
}

unsigned Aarch64Target::size(unsigned n) const {
    if (n < kRegCpsr) return 8;
    if (n == kRegCpsr || n == kRegFpsr || n == kRegFpcr) return 4;
    if (n >= kRegV0 && n < kRegV0 + 32) return 16;
    return n < count() ? 8 : 0;
}

void Aarch64Target::read(cpu::Core& core, unsigned n, std::vector<uint8_t>& out) const {
    if (n < 31) put_le(out, core.st.x[n], 8);
    else if (n == kRegSp) put_le(out, core.st.sp(), 8);
    else if (n == kRegPc) put_le(out, core.st.pc, 8);
    else if (n == kRegCpsr) put_le(out, core.st.pstate.to_spsr(), 4);
    else if (n >= kRegV0 && n < kRegV0 + 32) {
        put_le(out, core.st.v[n - kRegV0][0], 8);
        put_le(out, core.st.v[n - kRegV0][1], 8);
    } else if (n == kRegFpsr) put_le(out, core.sysreg_read(cpu::SR::FPSR), 4);
    else if (n == kRegFpcr) put_le(out, core.sysreg_read(cpu::SR::FPCR), 4);
    else if (n < count()) put_le(out, core.sysreg_read(sys_[n - kRegSys0].r), 8);
}

bool Aarch64Target::write(cpu::Core& core, unsigned n, const uint8_t* b) const {
    if (n >= count()) return false;
    const uint64_t v = get_le(b, size(n) > 8 ? 8 : size(n));
    if (n < 31) core.st.x[n] = v;
    else if (n == kRegSp) core.st.sp() = v;
    else if (n == kRegPc) core.st.pc = v;
    else if (n == kRegCpsr) {
        core.st.pstate.set_nzcv(static_cast<uint32_t>(v));
        core.st.pstate.set_daif(static_cast<uint32_t>(v));
    } else if (n >= kRegV0 && n < kRegV0 + 32) {
        core.st.v[n - kRegV0] = {v, get_le(b + 8, 8)};
    } else if (n == kRegFpsr) core.sysreg_write(cpu::SR::FPSR, v);
    else if (n == kRegFpcr) core.sysreg_write(cpu::SR::FPCR, v);
    else {
        const SysReg& r = sys_[n - kRegSys0];
        if (!r.writable) return false;
        core.sysreg_write(r.r, v);
    }
    core.recheck_interrupts();  // DAIF, HCR_EL2.IMO/FMO, SCR_EL3 may let a pending interrupt in
    return true;
}

}  // namespace hvsim::debug
