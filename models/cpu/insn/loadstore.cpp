// Loads and stores (Arm ARM C4.1.88), integer forms (V = 0).
//
// Every handler follows the same order as the Arm ARM pseudocode and the
// core's exception model requires: decode (false = UNDEFINED), address
// (CheckSPAlignment() first when the base is SP), every memory access, and
// only then the register writes and the base writeback. An abort is taken
// inside the access and unwinds out of the handler, so a faulting instruction
// changes no register.
//
// Data accesses are little-endian: SCTLR_ELx.EE/SCTLR_EL1.E0E (big-endian
// data) are not supported yet and are ignored when the guest sets them.
#include "loadstore.h"

#include <optional>

#include "alu.h"
#include "models/cpu/a64_patterns.h"
#include "models/cpu/core.h"

// Memory bytes are copied into and out of uint64_t values.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "hvsim assumes a little-endian host");

namespace hvsim::cpu::insn {

namespace {

// A `bytes`-sized read (1, 2, 4 or 8), zero-extended. `flags` are the core's
// access flags (Core::kAcqRel, kUnpriv); plain accesses take the fast path.
[[gnu::always_inline]] inline uint64_t mem_read(Core& c, uint64_t va, unsigned bytes, unsigned flags = 0) {
    if (flags == 0) {
        switch (bytes) {
        case 1: return c.load<uint8_t>(va);
        case 2: return c.load<uint16_t>(va);
        case 4: return c.load<uint32_t>(va);
        default: return c.load<uint64_t>(va);
        }
    }
    uint64_t v = 0;
    c.load_bytes(va, &v, bytes, flags);
    return v;
}

// A `bytes`-sized write of the low bytes of `v`.
[[gnu::always_inline]] inline void mem_write(Core& c, uint64_t va, unsigned bytes, uint64_t v, unsigned flags = 0) {
    if (flags == 0) {
        switch (bytes) {
        case 1: c.store<uint8_t>(va, static_cast<uint8_t>(v)); return;
        case 2: c.store<uint16_t>(va, static_cast<uint16_t>(v)); return;
        case 4: c.store<uint32_t>(va, static_cast<uint32_t>(v)); return;
        default: c.store<uint64_t>(va, v); return;
        }
    }
    c.store_bytes(va, &v, bytes, flags);
}

// The base address X[n], or SP[] after CheckSPAlignment() when n is 31.
[[gnu::always_inline]] inline uint64_t base_address(Core& c, Reg Rn) {
    if (Rn.is31()) c.check_sp_alignment();
    return c.XSP(Rn);
}

// ---- load/store register: the classes selected by size:opc ------------------

// One access of the "Load/store register" classes, decoded from size and opc
// as in the Arm ARM's tables for those classes (C4.1.88) and the shared decode
// of LDR/STR (immediate):
//
//   size opc   00      01      10                  11
//   00         STRB    LDRB    LDRSB (X)           LDRSB (W)
//   01         STRH    LDRH    LDRSH (X)           LDRSH (W)
//   10         STR W   LDR W   LDRSW               unallocated
//   11         STR X   LDR X   PRFM/PRFUM or unal. unallocated
struct RegAccess {
    enum class Op : uint8_t { Store, Load, Prefetch };
    Op op = Op::Load;
    unsigned bytes = 0;     // access size
    unsigned regsize = 64;  // register width of a load: 32 writes W[t]
    bool sign = false;      // sign-extending load
};

// `has_prefetch`: size = 11, opc = 10 is PRFUM/PRFM in this class (unscaled,
// register offset, unsigned offset) rather than unallocated (post-index,
// pre-index, unprivileged).
[[gnu::always_inline]] inline std::optional<RegAccess> decode_reg_access(Imm<2> size, Imm<2> opc, bool has_prefetch) {
    RegAccess a;
    a.bytes = 1u << size.v;
    if (!opc.bit(1)) {  // store or zero-extending load
        a.op = opc.bit(0) ? RegAccess::Op::Load : RegAccess::Op::Store;
        a.regsize = size == 3 ? 64 : 32;
        return a;
    }
    if (size == 3) {
        if (!has_prefetch || opc.bit(0)) return std::nullopt;
        a.op = RegAccess::Op::Prefetch;
        return a;
    }
    if (size == 2 && opc.bit(0)) return std::nullopt;  // no sign-extending 32-bit load into W
    a.op = RegAccess::Op::Load;
    a.sign = true;
    a.regsize = opc.bit(0) ? 32 : 64;
    return a;
}

// Calls f(a) with the access that size:opc decode to, known at compile time
// in each case, so that every size and kind gets code of its own.
template <bool kHasPrefetch, typename F>
[[gnu::always_inline]] inline bool with_reg_access(Imm<2> size, Imm<2> opc, F f) {
    switch ((size.v << 2) | opc.v) {
#define HVSIM_REG_ACCESS_CASE(n)                                                         \
    case n: {                                                                            \
        const auto a = decode_reg_access(Imm<2>{(n) >> 2}, Imm<2>{(n) & 3}, kHasPrefetch); \
        return a && f(*a);                                                                \
    }
        HVSIM_REG_ACCESS_CASE(0) HVSIM_REG_ACCESS_CASE(1) HVSIM_REG_ACCESS_CASE(2) HVSIM_REG_ACCESS_CASE(3)
        HVSIM_REG_ACCESS_CASE(4) HVSIM_REG_ACCESS_CASE(5) HVSIM_REG_ACCESS_CASE(6) HVSIM_REG_ACCESS_CASE(7)
        HVSIM_REG_ACCESS_CASE(8) HVSIM_REG_ACCESS_CASE(9) HVSIM_REG_ACCESS_CASE(10) HVSIM_REG_ACCESS_CASE(11)
        HVSIM_REG_ACCESS_CASE(12) HVSIM_REG_ACCESS_CASE(13) HVSIM_REG_ACCESS_CASE(14) HVSIM_REG_ACCESS_CASE(15)
#undef HVSIM_REG_ACCESS_CASE
    }
    return false;
}

enum class Indexing { Offset, PreIndex, PostIndex };

// The execution shared by all addressing modes of the register classes: the
// access at X[n]/SP + offset (or at the base for post-index).
//
// Writeback with Rt == Rn (n != 31) is CONSTRAINED UNPREDICTABLE (Arm ARM K1.2,
// Unpredictable_WBOVERLAPLD/WBOVERLAPST). hvsim does what QEMU does
// (target/arm/tcg/translate-a64.c, trans_LDR_i/trans_STR_i):
//  - a load writes Rt, then the writeback writes Rn: the register ends with
//    the written-back address (Constraint_UNKNOWN, the UNKNOWN value being
//    that address);
//  - a store stores the value of Rt before the writeback (Constraint_NONE).
[[gnu::always_inline]] inline bool execute_reg_access(Core& c, const RegAccess& a, Reg Rn, Reg Rt, uint64_t offset, Indexing indexing,
                        unsigned flags = 0) {
    if (a.op == RegAccess::Op::Prefetch) {
        // PRFM/PRFUM: a hint that never faults, without even the SP alignment
        // check (the pseudocode skips CheckSPAlignment() for MemOp_PREFETCH).
        c.charge(CostClass::Hint);
        return true;
    }
    const uint64_t base = base_address(c, Rn);
    const uint64_t address = indexing == Indexing::PostIndex ? base : base + offset;
    const unsigned size_log2 = static_cast<unsigned>(__builtin_ctz(a.bytes));
    // Writeback forms report no instruction syndrome (Arm ARM D17.2.37, ISV).
    if (indexing == Indexing::Offset) c.set_access_syndrome(size_log2, a.sign, Rt.idx(), a.regsize == 64, false);
    if (a.op == RegAccess::Op::Store) {
        c.charge(CostClass::Store);
        mem_write(c, address, a.bytes, c.X(Rt), flags);
    } else {
        uint64_t data = mem_read(c, address, a.bytes, flags);
        if (a.sign) data = sign_extend(data, a.bytes * 8);
        c.setX(Rt, data & width_mask(a.regsize));
    }
    c.clear_access_syndrome();
    if (indexing != Indexing::Offset) c.setXSP(Rn, base + offset);
    return true;
}

// ---- load/store pair ---------------------------------------------------------

// LDP/STP/LDNP/STNP/LDPSW (Arm ARM C6.2, shared pseudocode of LDP/STP):
// idx = 00 no-allocate hint (signed offset), 01 post-index, 10 signed offset,
// 11 pre-index; two accesses of 4 << opc<1> bytes each, offset imm7 scaled.
//
// CONSTRAINED UNPREDICTABLE cases, as QEMU implements them (trans_LDP/STP):
//  - writeback with Rt or Rt2 == Rn (n != 31): a load writes Rn last, so it
//    holds the written-back address (Constraint_UNKNOWN); a store stores the
//    registers' values before the writeback (Constraint_NONE);
//  - a load with Rt == Rt2 (Unpredictable_LDPOVERLAP): Constraint_UNKNOWN, the
//    UNKNOWN value being the last one written, that of the second element
//    (from address + size).
[[gnu::always_inline]] inline bool execute_pair(Core& c, bool load, unsigned bytes, bool sign, Imm<2> idx, Imm<7> imm7, Reg Rt2, Reg Rn, Reg Rt) {
    const uint64_t offset = static_cast<uint64_t>(imm7.sext()) * bytes;
    const bool postindex = idx == 1;
    const bool wback = idx == 1 || idx == 3;
    const uint64_t base = base_address(c, Rn);
    const uint64_t address = postindex ? base : base + offset;
    if (load) {
        uint64_t data1 = mem_read(c, address, bytes);
        uint64_t data2 = mem_read(c, address + bytes, bytes);
        if (sign) {
            data1 = sign_extend(data1, bytes * 8);
            data2 = sign_extend(data2, bytes * 8);
        }
        c.setX(Rt, data1);
        c.setX(Rt2, data2);
    } else {
        c.charge(CostClass::Store);
        const uint64_t data1 = c.X(Rt), data2 = c.X(Rt2);
        mem_write(c, address, bytes, data1);
        mem_write(c, address + bytes, bytes, data2);
    }
    if (wback) c.setXSP(Rn, base + offset);
    return true;
}

// ---- exclusives and acquire/release -------------------------------------------
//
// The Rs/Rt2 fields that an encoding does not use are should-be-one; other
// values are CONSTRAINED UNPREDICTABLE (Arm ARM K1.2, "SBZ or SBO fields").
// hvsim matches QEMU: the exclusives ignore them (behave as if all ones), and
// LDAR/STLR are UNDEFINED unless Rs and Rt2 are 31 (QEMU's a64.decode matches
// LDAR/STLR only with those fields all ones).

// LDXR/LDAXR of 1 << size bytes; `flags` adds acquire semantics (kAcqRel).
bool load_exclusive_reg(Core& c, Imm<2> size, Reg Rn, Reg Rt, unsigned flags) {
    const uint64_t address = base_address(c, Rn);
    uint64_t data = 0;
    c.load_exclusive(address, &data, 1u << size.v, flags);
    c.setX(Rt, data);
    return true;
}

// The store of STXR/STLXR/STXP/STLXP: `bytes` of `data` (up to 16) if the
// monitors pass, then the status (0 = stored, 1 = failed) to W[s].
//
// Rs == Rt/Rt2 and Rs == Rn (n != 31) are CONSTRAINED UNPREDICTABLE (Arm ARM
// STXR: Unpredictable_DATAOVERLAP/BASEOVERLAP). QEMU does not UNDEF
// (trans_STXR/trans_STXP): it reads the address and the data before writing
// the status, i.e. Constraint_NONE for both, and so does hvsim: the callers
// read every register before calling this.
bool store_exclusive_common(Core& c, Reg Rs, uint64_t address, const uint64_t (&data)[2], unsigned bytes,
                            unsigned flags) {
    const bool stored = c.store_exclusive(address, data, bytes, flags);
    c.setW(Rs, stored ? 0 : 1);
    return true;
}

bool store_exclusive_reg(Core& c, Imm<2> size, Reg Rs, Reg Rn, Reg Rt, unsigned flags) {
    const uint64_t address = base_address(c, Rn);
    const uint64_t data[2] = {c.X(Rt), 0};
    return store_exclusive_common(c, Rs, address, data, 1u << size.v, flags);
}

// STXP/STLXP: sz = 0 is one 8-byte access holding W[t] (low) and W[t2];
// sz = 1 one 16-byte access holding X[t] (low) and X[t2], 16-byte aligned.
bool store_exclusive_pair(Core& c, Imm<1> sz, Reg Rs, Reg Rt2, Reg Rn, Reg Rt, unsigned flags) {
    const uint64_t address = base_address(c, Rn);
    if (sz.v) {
        const uint64_t data[2] = {c.X(Rt), c.X(Rt2)};
        return store_exclusive_common(c, Rs, address, data, 16, flags);
    }
    const uint64_t data[2] = {(uint64_t(c.W(Rt2)) << 32) | c.W(Rt), 0};
    return store_exclusive_common(c, Rs, address, data, 8, flags);
}

// LDXP/LDAXP: one 8- or 16-byte exclusive access as for STXP. Rt == Rt2 is
// CONSTRAINED UNPREDICTABLE (Unpredictable_LDPOVERLAP): Constraint_UNKNOWN,
// the value being the second element, as QEMU (gen_load_exclusive writes Rt,
// then Rt2).
bool load_exclusive_pair(Core& c, Imm<1> sz, Reg Rt2, Reg Rn, Reg Rt, unsigned flags) {
    const uint64_t address = base_address(c, Rn);
    uint64_t data[2] = {0, 0};
    if (sz.v) {
        c.load_exclusive(address, data, 16, flags);
        c.setX(Rt, data[0]);
        c.setX(Rt2, data[1]);
    } else {
        c.load_exclusive(address, data, 8, flags);
        c.setX(Rt, data[0] & 0xFFFFFFFFu);
        c.setX(Rt2, data[0] >> 32);
    }
    return true;
}

bool sbo_fields_ok(Reg Rs, Reg Rt2) { return Rs.is31() && Rt2.is31(); }

}  // namespace

// STXR/STXRB/STXRH
bool STXR(Core& c, Imm<2> size, Reg Rs, Reg Rt2, Reg Rn, Reg Rt) { return store_exclusive_reg(c, size, Rs, Rn, Rt, 0); }

// STLXR/STLXRB/STLXRH
bool STLXR(Core& c, Imm<2> size, Reg Rs, Reg Rt2, Reg Rn, Reg Rt) {
    return store_exclusive_reg(c, size, Rs, Rn, Rt, Core::kAcqRel);
}

// LDXR/LDXRB/LDXRH
bool LDXR(Core& c, Imm<2> size, Reg Rs, Reg Rt2, Reg Rn, Reg Rt) { return load_exclusive_reg(c, size, Rn, Rt, 0); }

// LDAXR/LDAXRB/LDAXRH
bool LDAXR(Core& c, Imm<2> size, Reg Rs, Reg Rt2, Reg Rn, Reg Rt) {
    return load_exclusive_reg(c, size, Rn, Rt, Core::kAcqRel);
}

// STXP (32- and 64-bit)
bool STXP(Core& c, Imm<1> sz, Reg Rs, Reg Rt2, Reg Rn, Reg Rt) { return store_exclusive_pair(c, sz, Rs, Rt2, Rn, Rt, 0); }

// STLXP (32- and 64-bit)
bool STLXP(Core& c, Imm<1> sz, Reg Rs, Reg Rt2, Reg Rn, Reg Rt) {
    return store_exclusive_pair(c, sz, Rs, Rt2, Rn, Rt, Core::kAcqRel);
}

// LDXP (32- and 64-bit)
bool LDXP(Core& c, Imm<1> sz, Reg Rs, Reg Rt2, Reg Rn, Reg Rt) { return load_exclusive_pair(c, sz, Rt2, Rn, Rt, 0); }

// LDAXP (32- and 64-bit)
bool LDAXP(Core& c, Imm<1> sz, Reg Rs, Reg Rt2, Reg Rn, Reg Rt) {
    return load_exclusive_pair(c, sz, Rt2, Rn, Rt, Core::kAcqRel);
}

// STLR/STLRB/STLRH
bool STLR(Core& c, Imm<2> size, Reg Rs, Reg Rt2, Reg Rn, Reg Rt) {
    if (!sbo_fields_ok(Rs, Rt2)) return false;
    const uint64_t address = base_address(c, Rn);
    c.set_access_syndrome(size.v, false, Rt.idx(), size == 3, true);
    mem_write(c, address, 1u << size.v, c.X(Rt), Core::kAcqRel);
    c.clear_access_syndrome();
    return true;
}

// LDAR/LDARB/LDARH
bool LDAR(Core& c, Imm<2> size, Reg Rs, Reg Rt2, Reg Rn, Reg Rt) {
    if (!sbo_fields_ok(Rs, Rt2)) return false;
    const uint64_t address = base_address(c, Rn);
    c.set_access_syndrome(size.v, false, Rt.idx(), size == 3, true);
    c.setX(Rt, mem_read(c, address, 1u << size.v, Core::kAcqRel));
    c.clear_access_syndrome();
    return true;
}

// LDR (literal), 32- and 64-bit: PC + imm19 * 4, never SP-based.
bool LDR_lit(Core& c, Imm<1> opc0, Imm<19> imm19, Reg Rt) {
    const uint64_t address = c.pc() + static_cast<uint64_t>(imm19.sext() * 4);
    c.setX(Rt, mem_read(c, address, opc0.v ? 8 : 4));
    return true;
}

// LDRSW (literal)
bool LDRSW_lit(Core& c, Imm<19> imm19, Reg Rt) {
    const uint64_t address = c.pc() + static_cast<uint64_t>(imm19.sext() * 4);
    c.setX(Rt, sign_extend(mem_read(c, address, 4), 32));
    return true;
}

// PRFM (literal): a hint that never faults.
bool PRFM_lit(Core& c, Imm<19> imm19, Reg Rt) { return true; }

// STP/STNP (32- and 64-bit)
bool STP(Core& c, Imm<1> sf, Imm<2> idx, Imm<7> imm7, Reg Rt2, Reg Rn, Reg Rt) {
    return execute_pair(c, false, sf.v ? 8 : 4, false, idx, imm7, Rt2, Rn, Rt);
}

// LDP/LDNP (32- and 64-bit)
bool LDP(Core& c, Imm<1> sf, Imm<2> idx, Imm<7> imm7, Reg Rt2, Reg Rn, Reg Rt) {
    return execute_pair(c, true, sf.v ? 8 : 4, false, idx, imm7, Rt2, Rn, Rt);
}

// LDPSW; idx = 00 (there is no "LDNPSW") is unallocated.
bool LDPSW(Core& c, Imm<2> idx, Imm<7> imm7, Reg Rt2, Reg Rn, Reg Rt) {
    if (idx == 0) return false;
    return execute_pair(c, true, 4, true, idx, imm7, Rt2, Rn, Rt);
}

// STURB/STURH/STUR, LDURB/LDURH/LDUR, LDURSB/LDURSH/LDURSW, PRFUM
bool LDST_unscaled(Core& c, Imm<2> size, Imm<2> opc, Imm<9> imm9, Reg Rn, Reg Rt) {
    return with_reg_access<true>(size, opc, [&](const RegAccess& a) __attribute__((always_inline)) {
        return execute_reg_access(c, a, Rn, Rt, static_cast<uint64_t>(imm9.sext()), Indexing::Offset);
    });
}

// STRB/STRH/STR, LDRB/LDRH/LDR, LDRSB/LDRSH/LDRSW (immediate, post-index)
bool LDST_post(Core& c, Imm<2> size, Imm<2> opc, Imm<9> imm9, Reg Rn, Reg Rt) {
    return with_reg_access<false>(size, opc, [&](const RegAccess& a) __attribute__((always_inline)) {
        return execute_reg_access(c, a, Rn, Rt, static_cast<uint64_t>(imm9.sext()), Indexing::PostIndex);
    });
}

// STTRB/STTRH/STTR, LDTRB/LDTRH/LDTR, LDTRSB/LDTRSH/LDTRSW: EL0 permissions
// when executed at EL1 (AccType_UNPRIV), like a plain access elsewhere.
bool LDST_unpriv(Core& c, Imm<2> size, Imm<2> opc, Imm<9> imm9, Reg Rn, Reg Rt) {
    auto a = decode_reg_access(size, opc, false);
    return a && execute_reg_access(c, *a, Rn, Rt, static_cast<uint64_t>(imm9.sext()), Indexing::Offset,
                                   Core::kUnpriv);
}

// STRB/STRH/STR, LDRB/LDRH/LDR, LDRSB/LDRSH/LDRSW (immediate, pre-index)
bool LDST_pre(Core& c, Imm<2> size, Imm<2> opc, Imm<9> imm9, Reg Rn, Reg Rt) {
    return with_reg_access<false>(size, opc, [&](const RegAccess& a) __attribute__((always_inline)) {
        return execute_reg_access(c, a, Rn, Rt, static_cast<uint64_t>(imm9.sext()), Indexing::PreIndex);
    });
}

// STRB/STRH/STR, LDRB/LDRH/LDR, LDRSB/LDRSH/LDRSW, PRFM (register):
// offset = ExtendReg(Rm, option, S ? size : 0) with option UXTW (010),
// LSL/UXTX (011), SXTW (110), SXTX (111); option<1> = 0 is UNDEFINED.
bool LDST_regoff(Core& c, Imm<2> size, Imm<2> opc, Reg Rm, Imm<3> option, Imm<1> S, Reg Rn, Reg Rt) {
    if (!option.bit(1)) return false;
    return with_reg_access<true>(size, opc, [&](const RegAccess& a) __attribute__((always_inline)) {
        const uint64_t offset = extend_reg(c.X(Rm), option.v, S.v ? size.v : 0, 64);
        return execute_reg_access(c, a, Rn, Rt, offset, Indexing::Offset);
    });
}

// STRB/STRH/STR, LDRB/LDRH/LDR, LDRSB/LDRSH/LDRSW, PRFM (unsigned offset):
// offset = imm12 scaled by the access size.
bool LDST_uimm(Core& c, Imm<2> size, Imm<2> opc, Imm<12> imm12, Reg Rn, Reg Rt) {
    return with_reg_access<true>(size, opc, [&](const RegAccess& a) __attribute__((always_inline)) {
        return execute_reg_access(c, a, Rn, Rt, uint64_t(imm12.v) << size.v, Indexing::Offset);
    });
}

}  // namespace hvsim::cpu::insn

// Thunks with the handler inlined (models/cpu/a64_patterns.h).
HVSIM_LOADSTORE_THUNKS(HVSIM_THUNK_DEFINE)
