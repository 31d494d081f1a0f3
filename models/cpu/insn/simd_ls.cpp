// SIMD&FP register loads and stores (Arm ARM C4.1.88, V = 1): LDR/STR of
// B, H, S, D and Q registers in every addressing mode, LDR (literal) and
// LDP/STP/LDNP/STNP. The shared order of checks is in simd_ls_mem.h.
#include "simd_ls.h"

#include "alu.h"
#include "simd_ls_mem.h"

namespace hvsim::cpu::insn {

namespace {

using namespace simd_ls;

enum class Indexing { Offset, PreIndex, PostIndex };

// A load or store of one register of 1 << scale bytes: scale = opc<1>:size,
// memop = opc<0> (Arm ARM LDR/STR (immediate, SIMD&FP) decode); scale > 4
// is unallocated.
struct FpAccess {
    bool load;
    unsigned scale;
};

bool decode_fp_access(Imm<2> size, Imm<2> opc, FpAccess& a) {
    a.scale = (unsigned(opc.bit(1)) << 2) | size.v;
    a.load = opc.bit(0);
    return a.scale <= 4;
}

// The value of a B/H/S/D/Q register as `bytes` bytes to store.
Vec128 reg_value(const Core& c, unsigned t, unsigned bytes) {
    return bytes == 16 ? vreg(c.st, t) : Vec128{scalar(c.st, t, bytes), 0};
}

// Writes what a load of `bytes` read to V[t]: a scalar write clears the rest.
void set_reg_value(Core& c, unsigned t, unsigned bytes, const Vec128& v) {
    if (bytes == 16) set_vreg(c.st, t, v);
    else set_scalar(c.st, t, v[0], bytes);
}

// The access at X[n]/SP + offset (at the base for post-index), then the
// writeback. Rt is a V register, so no writeback overlap exists.
bool execute_fp_access(Core& c, const FpAccess& a, Reg Rn, Reg Rt, uint64_t offset, Indexing indexing) {
    c.check_fp_enabled();
    const uint64_t base = base_address(c, Rn);
    const uint64_t address = indexing == Indexing::PostIndex ? base : base + offset;
    const unsigned bytes = 1u << a.scale;
    charge_registers(c, !a.load, 1);
    if (a.load) set_reg_value(c, Rt.idx(), bytes, load_elem(c, address, bytes));
    else store_elem(c, address, bytes, reg_value(c, Rt.idx(), bytes));
    if (indexing != Indexing::Offset) c.setXSP(Rn, base + offset);
    return true;
}

// LDP/STP/LDNP/STNP (SIMD&FP): opc = 00 S, 01 D, 10 Q (11 unallocated); idx
// as for the integer pairs: 00 no-allocate (signed offset), 01 post-index,
// 10 signed offset, 11 pre-index; imm7 scaled by the register size.
//
// A load with Rt == Rt2 is CONSTRAINED UNPREDICTABLE (Arm ARM K1.2,
// Unpredictable_LDPOVERLAP): hvsim takes Constraint_UNKNOWN with the value
// of the second element, written last, as QEMU does (and as the integer LDP).
bool execute_fp_pair(Core& c, bool load, Imm<2> opc, Imm<2> idx, Imm<7> imm7, Reg Rt2, Reg Rn, Reg Rt) {
    if (opc == 3) return false;
    c.check_fp_enabled();
    const unsigned bytes = 4u << opc.v;
    const uint64_t offset = static_cast<uint64_t>(imm7.sext()) * bytes;
    const bool postindex = idx == 1;
    const bool wback = idx == 1 || idx == 3;
    const uint64_t base = base_address(c, Rn);
    const uint64_t address = postindex ? base : base + offset;
    charge_registers(c, !load, 2);
    if (load) {
        const Vec128 data1 = load_elem(c, address, bytes);
        const Vec128 data2 = load_elem(c, address + bytes, bytes);
        set_reg_value(c, Rt.idx(), bytes, data1);
        set_reg_value(c, Rt2.idx(), bytes, data2);
    } else {
        const Vec128 data1 = reg_value(c, Rt.idx(), bytes), data2 = reg_value(c, Rt2.idx(), bytes);
        store_elem(c, address, bytes, data1);
        store_elem(c, address + bytes, bytes, data2);
    }
    if (wback) c.setXSP(Rn, base + offset);
    return true;
}

}  // namespace

// LDR (literal, SIMD&FP): PC + imm19 * 4, 4, 8 or 16 bytes.
bool LDR_lit_fp(Core& c, Imm<2> opc, Imm<19> imm19, Reg Rt) {
    if (opc == 3) return false;
    c.check_fp_enabled();
    const unsigned bytes = 4u << opc.v;
    const uint64_t address = c.pc() + static_cast<uint64_t>(imm19.sext() * 4);
    set_reg_value(c, Rt.idx(), bytes, load_elem(c, address, bytes));
    return true;
}

// STP/STNP (SIMD&FP)
bool STP_fp(Core& c, Imm<2> opc, Imm<2> idx, Imm<7> imm7, Reg Rt2, Reg Rn, Reg Rt) {
    return execute_fp_pair(c, false, opc, idx, imm7, Rt2, Rn, Rt);
}

// LDP/LDNP (SIMD&FP)
bool LDP_fp(Core& c, Imm<2> opc, Imm<2> idx, Imm<7> imm7, Reg Rt2, Reg Rn, Reg Rt) {
    return execute_fp_pair(c, true, opc, idx, imm7, Rt2, Rn, Rt);
}

// STUR/LDUR (SIMD&FP)
bool LDST_fp_unscaled(Core& c, Imm<2> size, Imm<2> opc, Imm<9> imm9, Reg Rn, Reg Rt) {
    FpAccess a;
    return decode_fp_access(size, opc, a) &&
           execute_fp_access(c, a, Rn, Rt, static_cast<uint64_t>(imm9.sext()), Indexing::Offset);
}

// STR/LDR (immediate, SIMD&FP), post-index
bool LDST_fp_post(Core& c, Imm<2> size, Imm<2> opc, Imm<9> imm9, Reg Rn, Reg Rt) {
    FpAccess a;
    return decode_fp_access(size, opc, a) &&
           execute_fp_access(c, a, Rn, Rt, static_cast<uint64_t>(imm9.sext()), Indexing::PostIndex);
}

// STR/LDR (immediate, SIMD&FP), pre-index
bool LDST_fp_pre(Core& c, Imm<2> size, Imm<2> opc, Imm<9> imm9, Reg Rn, Reg Rt) {
    FpAccess a;
    return decode_fp_access(size, opc, a) &&
           execute_fp_access(c, a, Rn, Rt, static_cast<uint64_t>(imm9.sext()), Indexing::PreIndex);
}

// STR/LDR (register, SIMD&FP): offset = ExtendReg(Rm, option, S ? scale : 0)
// with option UXTW, LSL/UXTX, SXTW, SXTX; option<1> = 0 is UNDEFINED.
bool LDST_fp_regoff(Core& c, Imm<2> size, Imm<2> opc, Reg Rm, Imm<3> option, Imm<1> S, Reg Rn, Reg Rt) {
    FpAccess a;
    if (!decode_fp_access(size, opc, a) || !option.bit(1)) return false;
    const uint64_t offset = extend_reg(c.X(Rm), option.v, S.v ? a.scale : 0, 64);
    return execute_fp_access(c, a, Rn, Rt, offset, Indexing::Offset);
}

// STR/LDR (immediate, SIMD&FP), unsigned offset: imm12 scaled by the size.
bool LDST_fp_uimm(Core& c, Imm<2> size, Imm<2> opc, Imm<12> imm12, Reg Rn, Reg Rt) {
    FpAccess a;
    return decode_fp_access(size, opc, a) &&
           execute_fp_access(c, a, Rn, Rt, uint64_t(imm12.v) << a.scale, Indexing::Offset);
}

}  // namespace hvsim::cpu::insn
