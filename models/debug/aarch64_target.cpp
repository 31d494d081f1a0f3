#include "aarch64_target.h"

#include <fmt/format.h>

#include "models/cpu/core.h"

namespace hvsim::debug {

const std::string& aarch64_target_xml() {
    static const std::string xml = [] {
        std::string s =
            "<?xml version=\"1.0\"?>\n"
            "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
            "<target version=\"1.0\">\n"
            "<architecture>aarch64</architecture>\n"
            "<feature name=\"org.gnu.gdb.aarch64.core\">\n";
        for (unsigned i = 0; i < 31; ++i)
            s += fmt::format("<reg name=\"x{}\" bitsize=\"64\" type=\"int\" regnum=\"{}\"/>\n", i, i);
        s += "<reg name=\"sp\" bitsize=\"64\" type=\"data_ptr\" regnum=\"31\"/>\n"
             "<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"32\"/>\n"
             "<reg name=\"cpsr\" bitsize=\"32\" type=\"int\" regnum=\"33\"/>\n"
             "</feature>\n"
             "</target>\n";
        return s;
    }();
    return xml;
}

unsigned register_size(unsigned n) { return n < kRegCpsr ? 8 : n == kRegCpsr ? 4 : 0; }

uint64_t read_register(cpu::Core& core, unsigned n) {
    if (n < 31) return core.st.x[n];
    if (n == kRegSp) return core.st.sp();
    if (n == kRegPc) return core.st.pc;
    if (n == kRegCpsr) return core.st.pstate.to_spsr();
    return 0;
}

bool write_register(cpu::Core& core, unsigned n, uint64_t value) {
    if (n < 31) core.st.x[n] = value;
    else if (n == kRegSp) core.st.sp() = value;
    else if (n == kRegPc) core.st.pc = value;
    else if (n == kRegCpsr) {
        core.st.pstate.set_nzcv(value);
        core.st.pstate.set_daif(value);
        core.recheck_interrupts();  // unmasking may let a pending interrupt in
    } else {
        return false;
    }
    return true;
}

}  // namespace hvsim::debug
