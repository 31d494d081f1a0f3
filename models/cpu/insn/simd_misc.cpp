// Advanced SIMD two-register miscellaneous, scalar two-register
// miscellaneous, across lanes and scalar pairwise: the integer forms (Arm ARM
// C4.1.95).
#include "simd.h"
#include "simd_util.h"

namespace hvsim::cpu::insn {

using namespace simd;

namespace {

// The opcode field (bits 16:12) of the integer two-register misc encodings.
enum Opc : unsigned {
    kRev64 = 0, kRev16 = 1, kAddlp = 2, kSuqadd = 3, kCls = 4, kCnt = 5, kAdalp = 6, kQabs = 7,
    kCmgtZ = 8, kCmeqZ = 9, kCmltZ = 10, kAbs = 11, kXtn = 18, kShll = 19, kQxtn = 20,
};

unsigned clz_e(uint64_t x, unsigned esize) {
    unsigned n = 0;
    for (int b = static_cast<int>(esize) - 1; b >= 0 && !((x >> b) & 1); --b) ++n;
    return n;
}

uint64_t rbit8(uint64_t x) {
    uint64_t r = 0;
    for (unsigned i = 0; i < 8; ++i) r |= ((x >> i) & 1) << (7 - i);
    return r;
}

// One element of the same-width forms; `d` is Vd's element (SUQADD/USQADD).
uint64_t misc_elem(unsigned opc, bool u, unsigned esize, uint64_t a, uint64_t d, bool& q) {
    const uint64_t ones = mask_of(esize);
    const i128 s = sx(a, esize);
    switch (opc) {
    case kSuqadd:  // SUQADD: signed Vd + unsigned Vn; USQADD: unsigned Vd + signed Vn
        return u ? sat_unsigned(static_cast<i128>(d) + s, esize, q) : sat_signed(sx(d, esize) + static_cast<i128>(a), esize, q);
    case kCls:
        if (u) return clz_e(a, esize);
        return clz_e(static_cast<uint64_t>(s ^ (s >> 1)) & ones, esize) - 1;  // CLS: sign bits after the top one
    case kQabs: return sat_signed(u ? -s : (s < 0 ? -s : s), esize, q);  // SQNEG / SQABS
    case kCmgtZ: return (u ? s >= 0 : s > 0) ? ones : 0;              // CMGE / CMGT
    case kCmeqZ: return (u ? s <= 0 : s == 0) ? ones : 0;             // CMLE / CMEQ
    case kCmltZ: return s < 0 ? ones : 0;
    case kAbs: return static_cast<uint64_t>(u ? -s : (s < 0 ? -s : s));  // NEG / ABS
    }
    return 0;
}

bool misc(Core& c, unsigned opc, bool Q, bool U, unsigned size, Reg Rn, Reg Rd) {
    const unsigned esize = 8u << size;
    switch (opc) {
    case kRev64: if (size + U >= 3) return false; break;  // REV64: 8/16/32-bit; REV32: 8/16-bit
    case kRev16: if (size != 0) return false; break;
    case kCnt: if (size != 0 && !(U && size == 1)) return false; break;  // CNT, NOT; RBIT
    case kSuqadd: case kQabs: case kCmgtZ: case kCmeqZ: case kCmltZ: case kAbs:
        if (size == 3 && !Q) return false;
        break;
    default: if (size == 3) return false; break;
    }
    c.check_fp_enabled();
    const Vec128 n = rd_vec(c, Rn.idx()), dv = rd_vec(c, Rd.idx());
    bool q = false;
    switch (opc) {
    case kRev64:
    case kRev16: {
        // Reverse the elements within containers of 64 (REV64), 32 (REV32)
        // or 16 (REV16) bits.
        const unsigned container = opc == kRev16 ? 16 : U ? 32 : 64;
        const unsigned per = container / esize;
        vmap(c, Rd.idx(), Q, esize, [&](unsigned i) {
            const unsigned base = i - i % per;
            return el(n, base + (per - 1 - i % per), esize);
        });
        return true;
    }
    case kCnt:
        vmap(c, Rd.idx(), Q, 8, [&](unsigned i) -> uint64_t {
            const uint64_t b = el(n, i, 8);
            if (!U) return static_cast<uint64_t>(__builtin_popcountll(b));
            return size == 0 ? ~b & 0xFF : rbit8(b);
        });
        return true;
    case kAddlp:
    case kAdalp:
        // SADDLP/UADDLP, SADALP/UADALP: pairs summed into double-width elements.
        vmap(c, Rd.idx(), Q, 2 * esize, [&](unsigned i) {
            const i128 sum = as_int(el(n, 2 * i, esize), esize, U) + as_int(el(n, 2 * i + 1, esize), esize, U);
            return static_cast<uint64_t>(sum) + (opc == kAdalp ? el(dv, i, 2 * esize) : 0);
        });
        return true;
    case kXtn:
    case kQxtn: {
        // XTN/SQXTUN, SQXTN/UQXTN: 64 bits of narrowed elements into Vpart[d, Q].
        Vec128 r = Q ? dv : Vec128{0, 0};
        for (unsigned i = 0; i < 64 / esize; ++i) {
            const uint64_t w = el(n, i, 2 * esize);
            uint64_t x;
            if (opc == kXtn) x = U ? sat_unsigned(sx(w, 2 * esize), esize, q) : w;  // SQXTUN : XTN
            else x = sat(as_int(w, 2 * esize, U), esize, U, q);
            set_el(r, (Q ? 64 / esize : 0) + i, esize, x);
        }
        set_vreg(c.st, Rd.idx(), r);
        set_qc(c, q);
        return true;
    }
    case kShll:
        vmap(c, Rd.idx(), true, 2 * esize, [&](unsigned i) { return el(n, (Q ? 64 / esize : 0) + i, esize) << esize; });
        return true;
    default:
        vmap(c, Rd.idx(), Q, esize, [&](unsigned i) { return misc_elem(opc, U, esize, el(n, i, esize), el(dv, i, esize), q); });
        set_qc(c, q);
        return true;
    }
}

bool scalar_misc(Core& c, unsigned opc, bool U, unsigned size, Reg Rn, Reg Rd) {
    switch (opc) {
    case kSuqadd: case kQabs: break;
    case kXtn: case kQxtn: if (size == 3) return false; break;
    default: if (size != 3) return false; break;  // compares with zero, ABS/NEG
    }
    c.check_fp_enabled();
    const unsigned esize = 8u << size;
    bool q = false;
    uint64_t r;
    if (opc == kXtn || opc == kQxtn) {
        const uint64_t w = scalar(c.st, Rn.idx(), esize / 4);
        r = opc == kXtn ? sat_unsigned(sx(w, 2 * esize), esize, q) : sat(as_int(w, 2 * esize, U), esize, U, q);
    } else {
        r = misc_elem(opc, U, esize, scalar(c.st, Rn.idx(), esize / 8), scalar(c.st, Rd.idx(), esize / 8), q);
    }
    set_scalar(c.st, Rd.idx(), r, esize / 8);
    set_qc(c, q);
    return true;
}

// ADDV, SADDLV/UADDLV, SMAXV/UMAXV, SMINV/UMINV.
enum class Across { Add, AddLong, Max, Min };

bool across(Core& c, Across op, bool Q, bool U, unsigned size, Reg Rn, Reg Rd) {
    if (size == 3 || (size == 2 && !Q)) return false;
    c.check_fp_enabled();
    const unsigned esize = 8u << size, elems = (Q ? 128 : 64) / esize;
    const Vec128 n = rd_vec(c, Rn.idx());
    i128 acc = as_int(el(n, 0, esize), esize, U);
    for (unsigned i = 1; i < elems; ++i) {
        const i128 x = as_int(el(n, i, esize), esize, U);
        switch (op) {
        case Across::Add:
        case Across::AddLong: acc += x; break;
        case Across::Max: acc = x > acc ? x : acc; break;
        case Across::Min: acc = x < acc ? x : acc; break;
        }
    }
    const unsigned bytes = (op == Across::AddLong ? 2 : 1) * esize / 8;
    set_scalar(c.st, Rd.idx(), static_cast<uint64_t>(acc), bytes);
    return true;
}

}  // namespace

#define MISCU(name, opc) \
    bool name(Core& c, Imm<1> Q, Imm<1> U, Imm<2> size, Reg Rn, Reg Rd) { return misc(c, opc, Q.v, U.v, size.v, Rn, Rd); }
#define MISC(name, opc, u) \
    bool name(Core& c, Imm<1> Q, Imm<2> size, Reg Rn, Reg Rd) { return misc(c, opc, Q.v, u, size.v, Rn, Rd); }
#define SMISCU(name, opc) \
    bool name(Core& c, Imm<1> U, Imm<2> size, Reg Rn, Reg Rd) { return scalar_misc(c, opc, U.v, size.v, Rn, Rd); }
#define SMISC(name, opc, u) \
    bool name(Core& c, Imm<2> size, Reg Rn, Reg Rd) { return scalar_misc(c, opc, u, size.v, Rn, Rd); }
#define ACROSS(name, op) \
    bool name(Core& c, Imm<1> Q, Imm<1> U, Imm<2> size, Reg Rn, Reg Rd) { return across(c, op, Q.v, U.v, size.v, Rn, Rd); }

MISCU(REV64_v, kRev64)
MISC(REV16_v, kRev16, false)
MISCU(SADDLP_v, kAddlp)
MISCU(SUQADD_v, kSuqadd)
MISCU(CLS_v, kCls)
MISCU(CNT_v, kCnt)
MISCU(SADALP_v, kAdalp)
MISCU(SQABS_v, kQabs)
MISCU(CMGT_zero_v, kCmgtZ)
MISCU(CMEQ_zero_v, kCmeqZ)
MISC(CMLT_zero_v, kCmltZ, false)
MISCU(ABS_v, kAbs)
MISCU(XTN_v, kXtn)
MISC(SHLL_v, kShll, true)
MISCU(SQXTN_v, kQxtn)

SMISCU(SUQADD_s, kSuqadd)
SMISCU(SQABS_s, kQabs)
SMISCU(CMGT_zero_s, kCmgtZ)
SMISCU(CMEQ_zero_s, kCmeqZ)
SMISC(CMLT_zero_s, kCmltZ, false)
SMISCU(ABS_s, kAbs)
SMISC(SQXTUN_s, kXtn, true)
SMISCU(SQXTN_s, kQxtn)

ACROSS(SADDLV, Across::AddLong)
ACROSS(SMAXV, Across::Max)
ACROSS(SMINV, Across::Min)
bool ADDV(Core& c, Imm<1> Q, Imm<2> size, Reg Rn, Reg Rd) { return across(c, Across::Add, Q.v, false, size.v, Rn, Rd); }

// ADDP (scalar): the two 64-bit elements of Vn added.
bool ADDP_s(Core& c, Imm<2> size, Reg Rn, Reg Rd) {
    if (size.v != 3) return false;
    c.check_fp_enabled();
    set_scalar(c.st, Rd.idx(), velem<uint64_t>(c.st, Rn.idx(), 0) + velem<uint64_t>(c.st, Rn.idx(), 1), 8);
    return true;
}

}  // namespace hvsim::cpu::insn
