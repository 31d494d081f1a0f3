// Advanced SIMD three same and scalar three same, integer forms (Arm ARM
// C4.1.95: "Advanced SIMD three same", "Advanced SIMD scalar three same").
//
// Every handler names its opcode field value; same3() decodes the reserved
// size/Q combinations of that opcode and runs the element operation.
#include "simd.h"
#include "simd_util.h"

namespace hvsim::cpu::insn {

using namespace simd;

namespace {

// The opcode field (bits 15:11) of the integer three-same encodings.
enum Opc : unsigned {
    kHadd = 0, kQadd = 1, kRhadd = 2, kLogic = 3, kHsub = 4, kQsub = 5, kCmgt = 6, kCmge = 7,
    kShl = 8, kQshl = 9, kRshl = 10, kQrshl = 11, kMax = 12, kMin = 13, kAbd = 14, kAba = 15,
    kAdd = 16, kCmtst = 17, kMla = 18, kMul = 19, kMaxp = 20, kMinp = 21, kQdmulh = 22, kAddp = 23,
};

uint64_t pmul8(uint64_t a, uint64_t b) {
    uint64_t r = 0;
    for (unsigned i = 0; i < 8; ++i)
        if ((b >> i) & 1) r ^= a << i;
    return r & 0xFF;
}

// One element: a = Vn[i], b = Vm[i], acc = Vd[i] (for the accumulating
// forms). `q` collects saturation.
uint64_t elem3(unsigned opc, bool u, unsigned esize, uint64_t a, uint64_t b, uint64_t acc, bool& q) {
    const i128 ia = as_int(a, esize, u), ib = as_int(b, esize, u);
    const uint64_t ones = mask_of(esize);
    switch (opc) {
    case kHadd: return static_cast<uint64_t>((ia + ib) >> 1);
    case kQadd: return sat(ia + ib, esize, u, q);
    case kRhadd: return static_cast<uint64_t>((ia + ib + 1) >> 1);
    case kHsub: return static_cast<uint64_t>((ia - ib) >> 1);
    case kQsub: return sat(ia - ib, esize, u, q);
    case kCmgt: return ia > ib ? ones : 0;
    case kCmge: return ia >= ib ? ones : 0;
    case kShl:
    case kQshl:
    case kRshl:
    case kQrshl: {
        // SSHL/USHL and variants (Arm ARM C7.2): the shift is the signed
        // bottom byte of the Vm element; rounding adds 2^(-shift-1) first.
        const int shift = static_cast<int8_t>(b & 0xFF);
        const bool rounding = opc == kRshl || opc == kQrshl;
        // A rounding shift right by 65 or more gives 0 for any operand.
        if (rounding && shift < -64) return 0;
        const i128 round = rounding && shift < 0 ? static_cast<i128>(1) << (-shift - 1) : 0;
        const i128 r = ishift(ia + round, shift);
        if (opc == kQshl || opc == kQrshl) return sat(r, esize, u, q);
        return static_cast<uint64_t>(r);
    }
    case kMax: return static_cast<uint64_t>(ia > ib ? ia : ib);
    case kMin: return static_cast<uint64_t>(ia < ib ? ia : ib);
    case kAbd: return static_cast<uint64_t>(ia > ib ? ia - ib : ib - ia);
    case kAba: return acc + static_cast<uint64_t>(ia > ib ? ia - ib : ib - ia);
    case kAdd: return u ? a - b : a + b;
    case kCmtst: return u ? (a == b ? ones : 0) : ((a & b) != 0 ? ones : 0);
    case kMla: return u ? acc - a * b : acc + a * b;
    case kMul: return u ? pmul8(a, b) : a * b;
    case kMaxp: return static_cast<uint64_t>(ia > ib ? ia : ib);
    case kMinp: return static_cast<uint64_t>(ia < ib ? ia : ib);
    case kAddp: return a + b;
    case kQdmulh: return qdmulh(esize, a, b, u, q);  // u: SQRDMULH
    }
    return 0;
}

bool size_reserved(unsigned opc, bool u, unsigned size) {
    switch (opc) {
    case kHadd: case kRhadd: case kHsub: case kMax: case kMin: case kAbd: case kAba:
    case kMla: case kMaxp: case kMinp:
        return size == 3;
    case kMul: return size == 3 || (u && size != 0);
    case kQdmulh: return size == 0 || size == 3;
    default: return false;
    }
}

bool same3(Core& c, unsigned opc, bool Q, bool U, unsigned size, Reg Rm, Reg Rn, Reg Rd) {
    if (opc != kLogic && (size_reserved(opc, U, size) || (size == 3 && !Q))) return false;
    c.check_fp_enabled();
    const Vec128 a = rd_vec(c, Rn.idx()), b = rd_vec(c, Rm.idx()), acc = rd_vec(c, Rd.idx());
    if (opc == kLogic) {
        Vec128 r{};
        for (unsigned h = 0; h < 2; ++h) {
            const uint64_t n = a[h], m = b[h], d = acc[h];
            switch ((U ? 4 : 0) | size) {
            case 0: r[h] = n & m; break;         // AND
            case 1: r[h] = n & ~m; break;        // BIC
            case 2: r[h] = n | m; break;         // ORR
            case 3: r[h] = n | ~m; break;        // ORN
            case 4: r[h] = n ^ m; break;         // EOR
            case 5: r[h] = (d & n) | (~d & m); break;  // BSL
            case 6: r[h] = (d & ~m) | (n & m); break;  // BIT
            default: r[h] = (d & m) | (n & ~m); break; // BIF
            }
        }
        write_vec(c, Rd.idx(), r, Q);
        return true;
    }
    const unsigned esize = 8u << size;
    const unsigned elems = (Q ? 128 : 64) / esize;
    bool q = false;
    if (opc == kMaxp || opc == kMinp || opc == kAddp) {
        // Pairs of adjacent elements of the concatenation Vm:Vn.
        vmap(c, Rd.idx(), Q, esize, [&](unsigned i) {
            const Vec128& src = 2 * i < elems ? a : b;
            const unsigned j = (2 * i) % elems;
            return elem3(opc, U, esize, el(src, j, esize), el(src, j + 1, esize), 0, q);
        });
        return true;
    }
    vmap(c, Rd.idx(), Q, esize, [&](unsigned i) {
        return elem3(opc, U, esize, el(a, i, esize), el(b, i, esize), el(acc, i, esize), q);
    });
    set_qc(c, q);
    return true;
}

bool scalar3(Core& c, unsigned opc, bool U, unsigned size, Reg Rm, Reg Rn, Reg Rd) {
    switch (opc) {
    case kQadd: case kQsub: case kQshl: case kQrshl: break;
    case kQdmulh: if (size == 0 || size == 3) return false; break;
    default: if (size != 3) return false; break;
    }
    c.check_fp_enabled();
    const unsigned esize = 8u << size;
    bool q = false;
    const uint64_t r = elem3(opc, U, esize, scalar(c.st, Rn.idx(), esize / 8), scalar(c.st, Rm.idx(), esize / 8), 0, q);
    set_scalar(c.st, Rd.idx(), r, esize / 8);
    set_qc(c, q);
    return true;
}

}  // namespace

#define SAME3U(name, opc) \
    bool name(Core& c, Imm<1> Q, Imm<1> U, Imm<2> size, Reg Rm, Reg Rn, Reg Rd) { return same3(c, opc, Q.v, U.v, size.v, Rm, Rn, Rd); }
#define SAME3(name, opc, u) \
    bool name(Core& c, Imm<1> Q, Imm<2> size, Reg Rm, Reg Rn, Reg Rd) { return same3(c, opc, Q.v, u, size.v, Rm, Rn, Rd); }
#define SCALAR3U(name, opc) \
    bool name(Core& c, Imm<1> U, Imm<2> size, Reg Rm, Reg Rn, Reg Rd) { return scalar3(c, opc, U.v, size.v, Rm, Rn, Rd); }

SAME3U(SHADD_v, kHadd)
SAME3U(SQADD_v, kQadd)
SAME3U(SRHADD_v, kRhadd)
SAME3U(LOGIC_v, kLogic)
SAME3U(SHSUB_v, kHsub)
SAME3U(SQSUB_v, kQsub)
SAME3U(CMGT_v, kCmgt)
SAME3U(CMGE_v, kCmge)
SAME3U(SSHL_v, kShl)
SAME3U(SQSHL_v, kQshl)
SAME3U(SRSHL_v, kRshl)
SAME3U(SQRSHL_v, kQrshl)
SAME3U(SMAX_v, kMax)
SAME3U(SMIN_v, kMin)
SAME3U(SABD_v, kAbd)
SAME3U(SABA_v, kAba)
SAME3U(ADD_v, kAdd)
SAME3U(CMTST_v, kCmtst)
SAME3U(MLA_v, kMla)
SAME3U(MUL_v, kMul)
SAME3U(SMAXP_v, kMaxp)
SAME3U(SMINP_v, kMinp)
SAME3U(SQDMULH_v, kQdmulh)
SAME3(ADDP_v, kAddp, false)

SCALAR3U(SQADD_s, kQadd)
SCALAR3U(SQSUB_s, kQsub)
SCALAR3U(CMGT_s, kCmgt)
SCALAR3U(CMGE_s, kCmge)
SCALAR3U(SSHL_s, kShl)
SCALAR3U(SQSHL_s, kQshl)
SCALAR3U(SRSHL_s, kRshl)
SCALAR3U(SQRSHL_s, kQrshl)
SCALAR3U(ADD_s, kAdd)
SCALAR3U(CMTST_s, kCmtst)
SCALAR3U(SQDMULH_s, kQdmulh)

}  // namespace hvsim::cpu::insn
