// System register table: types generated from sysregs.inc.
#pragma once

#include <cstdint>

namespace hvsim::cpu {

class Core;

// Every system register and SYS operation, in table order.
enum class SR : uint16_t {
#define SYSREG(name, ...) name,
#define SYSOP(name, ...) name,
#include "sysregs.inc"
#undef SYSREG
#undef SYSOP
    Count
};
constexpr unsigned kNumSysRegs = static_cast<unsigned>(SR::Count);

// Access permission bits: read/write allowed at EL0..EL3.
namespace access {
constexpr uint8_t R0 = 1, W0 = 2, R1 = 4, W1 = 8, R2 = 16, W2 = 32, R3 = 64, W3 = 128;
constexpr uint8_t RW0 = 0xFF;
constexpr uint8_t RO0 = R0 | R1 | R2 | R3;
constexpr uint8_t RO0W1 = R0 | R1 | W1 | R2 | W2 | R3 | W3;
constexpr uint8_t WO0 = W0 | W1 | W2 | W3;
constexpr uint8_t RW1 = R1 | W1 | R2 | W2 | R3 | W3;
constexpr uint8_t RO1 = R1 | R2 | R3;
constexpr uint8_t WO1 = W1 | W2 | W3;
constexpr uint8_t RW2 = R2 | W2 | R3 | W3;
constexpr uint8_t RO2 = R2 | R3;
constexpr uint8_t WO2 = W2 | W3;
constexpr uint8_t RW3 = R3 | W3;
constexpr uint8_t RO3 = R3;
constexpr uint8_t WO3 = W3;
}  // namespace access

// Configurable traps that may apply to a register (Arm ARM D1.13 and the
// HCR_EL2/SCTLR_EL1/CPTR field descriptions).
enum TrapBits : uint32_t {
    T_NONE = 0,
    T_TID1 = 1u << 0,       // HCR_EL2.TID1: REVIDR, AIDR (EL1 -> EL2)
    T_TID2 = 1u << 1,       // HCR_EL2.TID2: CTR, CCSIDR, CLIDR, CSSELR
    T_TID3 = 1u << 2,       // HCR_EL2.TID3: ID group 3
    T_VM = 1u << 3,         // HCR_EL2.TVM (writes) / TRVM (reads): VM control registers
    T_TACR = 1u << 4,       // HCR_EL2.TACR: ACTLR_EL1
    T_TSW = 1u << 5,        // HCR_EL2.TSW: DC by set/way
    T_TPC = 1u << 6,        // HCR_EL2.TPC: DC to the point of coherency
    T_TPU = 1u << 7,        // HCR_EL2.TPU: DC/IC to the point of unification
    T_TTLB = 1u << 8,       // HCR_EL2.TTLB: TLB maintenance at EL1
    T_UCT = 1u << 9,        // SCTLR_EL1.UCT: CTR_EL0 at EL0
    T_UCI = 1u << 10,       // SCTLR_EL1.UCI: cache maintenance by VA at EL0
    T_DZE = 1u << 11,       // SCTLR_EL1.DZE, HCR_EL2.TDZ: DC ZVA
    T_UMA = 1u << 12,       // SCTLR_EL1.UMA: DAIF at EL0
    T_CPAC = 1u << 13,      // CPTR_EL2.TCPAC, CPTR_EL3.TCPAC: CPACR_EL1
    T_TIMER_PCT = 1u << 14, // CNTKCTL_EL1.EL0PCTEN, CNTHCTL_EL2.EL1PCTEN
    T_TIMER_VCT = 1u << 15, // CNTKCTL_EL1.EL0VCTEN
    T_GIC_IMO = 1u << 16,   // HCR_EL2.IMO: ICC_SGI1R_EL1, ICC_ASGI1R_EL1 writes at EL1
    T_GIC_FMO = 1u << 17,   // HCR_EL2.FMO: ICC_SGI0R_EL1 writes at EL1
    // (bits 18-23 left for the GIC virtualization interface's traps)
    T_TIMER_PT = 1u << 24,  // CNTP_*: CNTKCTL_EL1.EL0PTEN, CNTHCTL_EL2.EL1PCEN
    T_TIMER_VT = 1u << 25,  // CNTV_*: CNTKCTL_EL1.EL0VTEN
    T_FP = 1u << 26,        // FPCR/FPSR: CPACR_EL1.FPEN, CPTR_EL2.TFP/FPEN, CPTR_EL3.TFP
    T_PMU = 1u << 27,       // PM*: PMUSERENR_EL0, MDCR_EL2.TPM/TPMCR, MDCR_EL3.TPM (Pmu::access_check)
};

enum class SysOpKind : uint8_t { None, Dc, Ic, At, Tlbi };

using SysRegRead = uint64_t (*)(Core&, SR);
using SysRegWrite = void (*)(Core&, SR, uint64_t);
using SysRegReset = uint64_t (*)(const Core&);

struct SysRegInfo {
    const char* name;
    uint8_t op0, op1, crn, crm, op2;
    uint8_t access;
    uint32_t traps;
    uint64_t reset;
    SysRegReset reset_fn;  // overrides `reset` when set
    uint64_t res0, res1;
    SysRegRead read;       // nullptr: plain storage
    SysRegWrite write;     // nullptr: plain storage with RES0/RES1 applied
    SysOpKind op_kind;

    uint32_t encoding() const { return encode(op0, op1, crn, crm, op2); }
    static constexpr uint32_t encode(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2) {
        return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
    }
    // The EL whose registers these are (EL2 registers exist only with EL2 etc.),
    // derived from op1 as in the Arm ARM's encoding space (op1 = 4: EL2, 6: EL3).
    unsigned owner_el() const { return op1 == 4 ? 2 : op1 == 6 ? 3 : 0; }
};

const SysRegInfo& sysreg_info(SR r);
// Index of the register with this (op0,op1,CRn,CRm,op2) encoding, or -1.
int sysreg_lookup(uint32_t encoding);

// FEAT_VHE: what HCR_EL2.E2H = 1 changes for a register (sysregs_vhe.inc).
enum class E2hScope : uint8_t { None, El2, El20 };
struct E2hInfo {
    bool vhe_only = false;         // exists only with FEAT_VHE
    E2hScope scope = E2hScope::None;
    SR redirect{};                 // with E2H = 1 in `scope`, accesses go here
    bool has_layout = false;       // with E2H = 1, writes use these masks
    uint64_t res0 = 0, res1 = 0;
};
const E2hInfo& e2h_info(SR r);
// The register a *_EL12/*_EL02 encoding (op1 = 5) names, or -1.
int e2h_alias_lookup(uint32_t encoding);
// The name of that alias ("SCTLR_EL12"), or nullptr.
const char* e2h_alias_name(uint32_t encoding);
// The RES0/RES1 masks that apply to a write of `r` now (the E2H layouts).
void sysreg_write_masks(const Core& c, SR r, uint64_t& res0, uint64_t& res1);

}  // namespace hvsim::cpu
