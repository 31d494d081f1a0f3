// Data processing -- register (Arm ARM C4.1.89).
#include "dp_reg.h"

#include "alu.h"
#include "models/cpu/a64_patterns.h"
#include "models/cpu/core.h"

namespace hvsim::cpu::insn {

namespace {

[[gnu::always_inline]] inline unsigned datasize(Imm<1> sf) { return sf.v ? 64 : 32; }

[[gnu::always_inline]] inline void set_flags(Core& c, const Flags& f) { c.set_nzcv(f.n, f.z, f.c, f.v); }

// Writes a datasize-bit result to Rd (31 = ZR), zero-extended.
[[gnu::always_inline]] inline void write_result(Core& c, Reg Rd, uint64_t v, unsigned ds) { c.setX(Rd, v & width_mask(ds)); }

// CountLeadingZeroBits() of the low `width` bits of v (v has no higher bits).
unsigned count_leading_zeros(uint64_t v, unsigned width) {
    return v == 0 ? width : width - 64 + static_cast<unsigned>(__builtin_clzll(v));
}

// The shifted-register operand: Rm (ZR) shifted by imm6, which must be < 32
// in the 32-bit forms.
[[gnu::always_inline]] inline bool shifted_operand(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, uint64_t& out) {
    if (!sf.v && imm6.bit(5)) return false;
    out = shift_reg(c.X(Rm), shift.v, imm6.v, datasize(sf));
    return true;
}

enum class LogicOp { And, Orr, Eor, Ands };

// AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS (shifted register); all shift types, ROR
// included, are valid. ANDS/BICS set N and Z and clear C and V.
[[gnu::always_inline]] inline bool logical_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd, LogicOp op,
                   bool invert) {
    const unsigned ds = datasize(sf);
    uint64_t b;
    // A shift or rotation by 0 leaves Rm (MOV and most logical forms).
    if (imm6.v == 0) b = c.X(Rm) & width_mask(ds);
    else if (!shifted_operand(c, sf, shift, Rm, imm6, b)) return false;
    if (invert) b = ~b;
    const uint64_t a = c.X(Rn);
    uint64_t result = 0;
    switch (op) {
    case LogicOp::And:
    case LogicOp::Ands: result = a & b; break;
    case LogicOp::Orr: result = a | b; break;
    case LogicOp::Eor: result = a ^ b; break;
    }
    result &= width_mask(ds);
    if (op == LogicOp::Ands) c.set_nzcv((result >> (ds - 1)) & 1, result == 0, false, false);
    write_result(c, Rd, result, ds);
    return true;
}

// x + y or x - y (as x + NOT(y) + 1) with the flags; shared by the add/sub
// forms. Returns the datasize-bit result.
[[gnu::always_inline]] inline uint64_t add_sub(Core& c, uint64_t x, uint64_t y, bool sub, bool setflags, unsigned ds) {
    Flags f;
    const uint64_t result = add_with_carry(x, sub ? ~y : y, sub, ds, f);
    if (setflags) set_flags(c, f);
    return result;
}

// ADD/ADDS/SUB/SUBS (shifted register): all registers ZR; shift type 11 (ROR)
// is reserved.
[[gnu::always_inline]] inline bool add_sub_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd, bool sub,
                   bool setflags) {
    if (shift.v == 3) return false;
    const unsigned ds = datasize(sf);
    uint64_t b;
    // A shift by 0 of any type leaves Rm (the common form: no shift).
    if (imm6.v == 0) b = c.X(Rm) & width_mask(ds);
    else if (!shifted_operand(c, sf, shift, Rm, imm6, b)) return false;
    write_result(c, Rd, add_sub(c, c.X(Rn), b, sub, setflags, ds), ds);
    return true;
}

// ADD/ADDS/SUB/SUBS (extended register): Rn is SP-or-register, Rd too unless
// the flags are set (then ZR); Rm is ZR. A left shift above 4 is reserved.
[[gnu::always_inline]] inline bool add_sub_ext(Core& c, Imm<1> sf, Reg Rm, Imm<3> option, Imm<3> imm3, Reg Rn, Reg Rd, bool sub,
                 bool setflags) {
    if (imm3.v > 4) return false;
    const unsigned ds = datasize(sf);
    const uint64_t b = extend_reg(c.X(Rm), option.v, imm3.v, ds);
    const uint64_t result = add_sub(c, c.XSP(Rn), b, sub, setflags, ds);
    if (setflags) c.setX(Rd, result);
    else c.setXSP(Rd, result);
    return true;
}

// ADC/ADCS/SBC/SBCS: AddWithCarry with PSTATE.C as carry-in.
bool add_sub_carry(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd, bool sub, bool setflags) {
    const unsigned ds = datasize(sf);
    const uint64_t b = sub ? ~c.X(Rm) : c.X(Rm);
    Flags f;
    const uint64_t result = add_with_carry(c.X(Rn), b, c.st.pstate.c, ds, f);
    if (setflags) set_flags(c, f);
    write_result(c, Rd, result, ds);
    return true;
}

// CCMN/CCMP: the flags of Rn + op2 (CCMN) or Rn - op2 (CCMP) if the condition
// holds, otherwise the immediate nzcv.
[[gnu::always_inline]] inline bool cond_compare(Core& c, Imm<1> sf, uint64_t op2, Cond cond, Reg Rn, Imm<4> nzcv, bool sub) {
    if (c.condition_holds(cond.v)) add_sub(c, c.X(Rn), op2, sub, true, datasize(sf));
    else c.set_nzcv(nzcv.bit(3), nzcv.bit(2), nzcv.bit(1), nzcv.bit(0));
    return true;
}

// CSEL/CSINC/CSINV/CSNEG: Rn if the condition holds, else Rm inverted and/or
// incremented (CSNEG does both).
[[gnu::always_inline]] inline bool cond_select(Core& c, Imm<1> sf, Reg Rm, Cond cond, Reg Rn, Reg Rd, bool else_inv, bool else_inc) {
    uint64_t result;
    if (c.condition_holds(cond.v)) {
        result = c.X(Rn);
    } else {
        result = c.X(Rm);
        if (else_inv) result = ~result;
        if (else_inc) result += 1;
    }
    write_result(c, Rd, result, datasize(sf));
    return true;
}

// LSLV/LSRV/ASRV/RORV: the shift amount is Rm modulo the datasize.
bool shift_variable(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd, unsigned type) {
    const unsigned ds = datasize(sf);
    write_result(c, Rd, shift_reg(c.X(Rn), type, c.X(Rm) % ds, ds), ds);
    return true;
}

// MADD/MSUB: Ra +/- Rn * Rm, modulo 2^datasize.
[[gnu::always_inline]] inline bool multiply_add(Core& c, Imm<1> sf, Reg Rm, Reg Ra, Reg Rn, Reg Rd, bool sub) {
    const uint64_t product = c.X(Rn) * c.X(Rm);
    write_result(c, Rd, sub ? c.X(Ra) - product : c.X(Ra) + product, datasize(sf));
    return true;
}

// SMADDL/SMSUBL/UMADDL/UMSUBL: Xa +/- Wn * Wm, the 32-bit operands extended to
// 64 bits (their product cannot overflow 64 bits).
bool multiply_add_long(Core& c, Reg Rm, Reg Ra, Reg Rn, Reg Rd, bool is_signed, bool sub) {
    uint64_t product;
    if (is_signed)
        product = static_cast<uint64_t>(int64_t(int32_t(c.W(Rn))) * int64_t(int32_t(c.W(Rm))));
    else
        product = uint64_t(c.W(Rn)) * uint64_t(c.W(Rm));
    c.setX(Rd, sub ? c.X(Ra) - product : c.X(Ra) + product);
    return true;
}

uint64_t reverse_bits(uint64_t v) {
    v = ((v >> 1) & 0x5555555555555555ull) | ((v & 0x5555555555555555ull) << 1);
    v = ((v >> 2) & 0x3333333333333333ull) | ((v & 0x3333333333333333ull) << 2);
    v = ((v >> 4) & 0x0F0F0F0F0F0F0F0Full) | ((v & 0x0F0F0F0F0F0F0F0Full) << 4);
    return __builtin_bswap64(v);
}

}  // namespace

// AND (shifted register)
bool AND_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return logical_shift(c, sf, shift, Rm, imm6, Rn, Rd, LogicOp::And, false);
}

// BIC (shifted register)
bool BIC_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return logical_shift(c, sf, shift, Rm, imm6, Rn, Rd, LogicOp::And, true);
}

// ORR (shifted register)
bool ORR_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return logical_shift(c, sf, shift, Rm, imm6, Rn, Rd, LogicOp::Orr, false);
}

// ORN (shifted register)
bool ORN_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return logical_shift(c, sf, shift, Rm, imm6, Rn, Rd, LogicOp::Orr, true);
}

// EOR (shifted register)
bool EOR_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return logical_shift(c, sf, shift, Rm, imm6, Rn, Rd, LogicOp::Eor, false);
}

// EON (shifted register)
bool EON_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return logical_shift(c, sf, shift, Rm, imm6, Rn, Rd, LogicOp::Eor, true);
}

// ANDS (shifted register)
bool ANDS_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return logical_shift(c, sf, shift, Rm, imm6, Rn, Rd, LogicOp::Ands, false);
}

// BICS (shifted register)
bool BICS_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return logical_shift(c, sf, shift, Rm, imm6, Rn, Rd, LogicOp::Ands, true);
}

// ADD (shifted register)
bool ADD_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return add_sub_shift(c, sf, shift, Rm, imm6, Rn, Rd, false, false);
}

// ADDS (shifted register)
bool ADDS_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return add_sub_shift(c, sf, shift, Rm, imm6, Rn, Rd, false, true);
}

// SUB (shifted register)
bool SUB_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return add_sub_shift(c, sf, shift, Rm, imm6, Rn, Rd, true, false);
}

// SUBS (shifted register)
bool SUBS_shift(Core& c, Imm<1> sf, Imm<2> shift, Reg Rm, Imm<6> imm6, Reg Rn, Reg Rd) {
    return add_sub_shift(c, sf, shift, Rm, imm6, Rn, Rd, true, true);
}

// ADD (extended register)
bool ADD_ext(Core& c, Imm<1> sf, Reg Rm, Imm<3> option, Imm<3> imm3, Reg Rn, Reg Rd) {
    return add_sub_ext(c, sf, Rm, option, imm3, Rn, Rd, false, false);
}

// ADDS (extended register)
bool ADDS_ext(Core& c, Imm<1> sf, Reg Rm, Imm<3> option, Imm<3> imm3, Reg Rn, Reg Rd) {
    return add_sub_ext(c, sf, Rm, option, imm3, Rn, Rd, false, true);
}

// SUB (extended register)
bool SUB_ext(Core& c, Imm<1> sf, Reg Rm, Imm<3> option, Imm<3> imm3, Reg Rn, Reg Rd) {
    return add_sub_ext(c, sf, Rm, option, imm3, Rn, Rd, true, false);
}

// SUBS (extended register)
bool SUBS_ext(Core& c, Imm<1> sf, Reg Rm, Imm<3> option, Imm<3> imm3, Reg Rn, Reg Rd) {
    return add_sub_ext(c, sf, Rm, option, imm3, Rn, Rd, true, true);
}

// ADC
bool ADC(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd) { return add_sub_carry(c, sf, Rm, Rn, Rd, false, false); }

// ADCS
bool ADCS(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd) { return add_sub_carry(c, sf, Rm, Rn, Rd, false, true); }

// SBC
bool SBC(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd) { return add_sub_carry(c, sf, Rm, Rn, Rd, true, false); }

// SBCS
bool SBCS(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd) { return add_sub_carry(c, sf, Rm, Rn, Rd, true, true); }

// CCMN (register)
bool CCMN_reg(Core& c, Imm<1> sf, Reg Rm, Cond cond, Reg Rn, Imm<4> nzcv) {
    return cond_compare(c, sf, c.X(Rm), cond, Rn, nzcv, false);
}

// CCMP (register)
bool CCMP_reg(Core& c, Imm<1> sf, Reg Rm, Cond cond, Reg Rn, Imm<4> nzcv) {
    return cond_compare(c, sf, c.X(Rm), cond, Rn, nzcv, true);
}

// CCMN (immediate)
bool CCMN_imm(Core& c, Imm<1> sf, Imm<5> imm5, Cond cond, Reg Rn, Imm<4> nzcv) {
    return cond_compare(c, sf, imm5.zext(), cond, Rn, nzcv, false);
}

// CCMP (immediate)
bool CCMP_imm(Core& c, Imm<1> sf, Imm<5> imm5, Cond cond, Reg Rn, Imm<4> nzcv) {
    return cond_compare(c, sf, imm5.zext(), cond, Rn, nzcv, true);
}

// CSEL
bool CSEL(Core& c, Imm<1> sf, Reg Rm, Cond cond, Reg Rn, Reg Rd) {
    return cond_select(c, sf, Rm, cond, Rn, Rd, false, false);
}

// CSINC
bool CSINC(Core& c, Imm<1> sf, Reg Rm, Cond cond, Reg Rn, Reg Rd) {
    return cond_select(c, sf, Rm, cond, Rn, Rd, false, true);
}

// CSINV
bool CSINV(Core& c, Imm<1> sf, Reg Rm, Cond cond, Reg Rn, Reg Rd) {
    return cond_select(c, sf, Rm, cond, Rn, Rd, true, false);
}

// CSNEG
bool CSNEG(Core& c, Imm<1> sf, Reg Rm, Cond cond, Reg Rn, Reg Rd) {
    return cond_select(c, sf, Rm, cond, Rn, Rd, true, true);
}

// CRC32{B,H,W,X}, CRC32C{B,H,W,X} (FEAT_CRC32): Wd = the CRC of the low
// 8 << sz bits of Rm into the accumulator Wn, with the CRC-32 (0x04C11DB7)
// or, for C = 1, the CRC-32C (0x1EDC6F41) polynomial, in the bit-reflected
// order of the Arm ARM's BitReverse/Poly32Mod2 pseudocode, with no initial
// or final inversion. X forms (sz = 0b11) need sf = 1 and the others sf = 0.
bool CRC32(Core& c, Imm<1> sf, Reg Rm, Imm<1> C, Imm<2> sz, Reg Rn, Reg Rd) {
    if (sf.v != (sz.v == 3)) return false;
    const unsigned size = 8u << sz.v;
    const uint32_t reflected_poly = C.v ? 0x82F63B78u : 0xEDB88320u;
    const uint64_t val = c.X(Rm);
    uint32_t crc = static_cast<uint32_t>(c.X(Rn));
    for (unsigned i = 0; i < size; ++i) {
        const bool bit = ((crc ^ static_cast<uint32_t>(val >> i)) & 1) != 0;
        crc = (crc >> 1) ^ (bit ? reflected_poly : 0);
    }
    write_result(c, Rd, crc, 32);
    return true;
}

// UDIV: division by zero gives 0.
bool UDIV(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd) {
    const unsigned ds = datasize(sf);
    const uint64_t a = c.X(Rn) & width_mask(ds), b = c.X(Rm) & width_mask(ds);
    write_result(c, Rd, b == 0 ? 0 : a / b, ds);
    if (sf.v) c.charge(CostClass::Div64);
    return true;
}

// SDIV: rounds towards zero; division by zero gives 0 and the overflowing
// INT_MIN / -1 gives INT_MIN (its true quotient truncated to datasize).
bool SDIV(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd) {
    const unsigned ds = datasize(sf);
    const int64_t a = static_cast<int64_t>(sign_extend(c.X(Rn), ds));
    const int64_t b = static_cast<int64_t>(sign_extend(c.X(Rm), ds));
    uint64_t result;
    if (b == 0) result = 0;
    else if (b == -1) result = 0 - static_cast<uint64_t>(a);  // no signed overflow
    else result = static_cast<uint64_t>(a / b);
    write_result(c, Rd, result, ds);
    if (sf.v) c.charge(CostClass::Div64);
    return true;
}

// LSLV
bool LSLV(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd) { return shift_variable(c, sf, Rm, Rn, Rd, 0); }

// LSRV
bool LSRV(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd) { return shift_variable(c, sf, Rm, Rn, Rd, 1); }

// ASRV
bool ASRV(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd) { return shift_variable(c, sf, Rm, Rn, Rd, 2); }

// RORV
bool RORV(Core& c, Imm<1> sf, Reg Rm, Reg Rn, Reg Rd) { return shift_variable(c, sf, Rm, Rn, Rd, 3); }

// RBIT
bool RBIT(Core& c, Imm<1> sf, Reg Rn, Reg Rd) {
    const uint64_t r = reverse_bits(c.X(Rn));
    c.setX(Rd, sf.v ? r : r >> 32);
    return true;
}

// REV16: the bytes of each halfword swapped.
bool REV16(Core& c, Imm<1> sf, Reg Rn, Reg Rd) {
    const uint64_t v = c.X(Rn);
    const uint64_t r = ((v >> 8) & 0x00FF00FF00FF00FFull) | ((v & 0x00FF00FF00FF00FFull) << 8);
    write_result(c, Rd, r, datasize(sf));
    return true;
}

// REV32: the bytes of each word reversed.
bool REV32(Core& c, Reg Rn, Reg Rd) {
    c.setX(Rd, ror(__builtin_bswap64(c.X(Rn)), 32, 64));
    return true;
}

// REV (32-bit)
bool REV_w(Core& c, Reg Rn, Reg Rd) {
    c.setW(Rd, __builtin_bswap32(c.W(Rn)));
    return true;
}

// REV (64-bit)
bool REV_x(Core& c, Reg Rn, Reg Rd) {
    c.setX(Rd, __builtin_bswap64(c.X(Rn)));
    return true;
}

// CLZ
bool CLZ(Core& c, Imm<1> sf, Reg Rn, Reg Rd) {
    const unsigned ds = datasize(sf);
    c.setX(Rd, count_leading_zeros(c.X(Rn) & width_mask(ds), ds));
    return true;
}

// CLS: CountLeadingSignBits(x) = CountLeadingZeroBits(x<N-1:1> EOR x<N-2:0>),
// so CLS of 0 and of all-ones is N-1.
bool CLS(Core& c, Imm<1> sf, Reg Rn, Reg Rd) {
    const unsigned ds = datasize(sf);
    const uint64_t v = c.X(Rn);
    c.setX(Rd, count_leading_zeros((v ^ (v >> 1)) & width_mask(ds - 1), ds - 1));
    return true;
}

// MADD
bool MADD(Core& c, Imm<1> sf, Reg Rm, Reg Ra, Reg Rn, Reg Rd) { return multiply_add(c, sf, Rm, Ra, Rn, Rd, false); }

// MSUB
bool MSUB(Core& c, Imm<1> sf, Reg Rm, Reg Ra, Reg Rn, Reg Rd) { return multiply_add(c, sf, Rm, Ra, Rn, Rd, true); }

// SMADDL
bool SMADDL(Core& c, Reg Rm, Reg Ra, Reg Rn, Reg Rd) { return multiply_add_long(c, Rm, Ra, Rn, Rd, true, false); }

// SMSUBL
bool SMSUBL(Core& c, Reg Rm, Reg Ra, Reg Rn, Reg Rd) { return multiply_add_long(c, Rm, Ra, Rn, Rd, true, true); }

// SMULH: the high 64 bits of the 128-bit signed product (Ra is ignored).
bool SMULH(Core& c, Reg Rm, Reg Ra, Reg Rn, Reg Rd) {
    const __int128 p = static_cast<__int128>(static_cast<int64_t>(c.X(Rn))) * static_cast<int64_t>(c.X(Rm));
    c.setX(Rd, static_cast<uint64_t>(static_cast<unsigned __int128>(p) >> 64));
    return true;
}

// UMADDL
bool UMADDL(Core& c, Reg Rm, Reg Ra, Reg Rn, Reg Rd) { return multiply_add_long(c, Rm, Ra, Rn, Rd, false, false); }

// UMSUBL
bool UMSUBL(Core& c, Reg Rm, Reg Ra, Reg Rn, Reg Rd) { return multiply_add_long(c, Rm, Ra, Rn, Rd, false, true); }

// UMULH: the high 64 bits of the 128-bit unsigned product (Ra is ignored).
bool UMULH(Core& c, Reg Rm, Reg Ra, Reg Rn, Reg Rd) {
    const unsigned __int128 p = static_cast<unsigned __int128>(c.X(Rn)) * c.X(Rm);
    c.setX(Rd, static_cast<uint64_t>(p >> 64));
    return true;
}

}  // namespace hvsim::cpu::insn

// Thunks with the handler inlined (models/cpu/a64_patterns.h).
HVSIM_DP_REG_THUNKS(HVSIM_THUNK_DEFINE)
