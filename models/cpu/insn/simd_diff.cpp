// Advanced SIMD three different (long, wide and narrowing forms) and scalar
// three different (Arm ARM C4.1.95).
//
// Q selects the "2" forms: they read the upper halves of the narrow sources,
// and the narrowing ones write the upper half of Vd, keeping the lower half
// (Vpart[d, 1], Arm ARM J1).
#include "simd.h"
#include "simd_util.h"

namespace hvsim::cpu::insn {

using namespace simd;

namespace {

enum Opc : unsigned {
    kAddl = 0, kAddw = 1, kSubl = 2, kSubw = 3, kAddhn = 4, kAbal = 5, kSubhn = 6, kAbdl = 7,
    kMlal = 8, kQdmlal = 9, kMlsl = 10, kQdmlsl = 11, kMull = 12, kQdmull = 13, kPmull = 14,
};

uint64_t pmull8(uint64_t a, uint64_t b) {
    uint64_t r = 0;
    for (unsigned i = 0; i < 8; ++i)
        if ((b >> i) & 1) r ^= a << i;
    return r & 0xFFFF;
}

int acc_op(unsigned opc) { return opc == kQdmlal ? 1 : opc == kQdmlsl ? -1 : 0; }

bool diff3(Core& c, unsigned opc, bool Q, bool U, unsigned size, Reg Rm, Reg Rn, Reg Rd) {
    if (size == 3) return false;
    if ((opc == kQdmlal || opc == kQdmlsl || opc == kQdmull) && size == 0) return false;
    if (opc == kPmull && size != 0) return false;  // 64-bit PMULL is FEAT_PMULL (crypto)
    c.check_fp_enabled();
    const unsigned esize = 8u << size, w = 2 * esize;
    const unsigned elems = 64 / esize;
    const unsigned base = Q ? elems : 0;  // first element of the narrow half read
    const Vec128 n = rd_vec(c, Rn.idx()), m = rd_vec(c, Rm.idx()), d = rd_vec(c, Rd.idx());
    bool q = false;
    if (opc == kAddhn || opc == kSubhn) {
        // ADDHN/RADDHN, SUBHN/RSUBHN: the high half of each wide result.
        const uint64_t round = U ? 1ull << (esize - 1) : 0;
        Vec128 r = Q ? d : Vec128{0, 0};
        for (unsigned i = 0; i < elems; ++i) {
            const uint64_t a = el(n, i, w), b = el(m, i, w);
            const uint64_t s = (opc == kAddhn ? a + b : a - b) + round;
            set_el(r, base + i, esize, s >> esize);
        }
        if (!Q) r[1] = 0;
        set_vreg(c.st, Rd.idx(), r);
        return true;
    }
    Vec128 r{0, 0};
    for (unsigned i = 0; i < elems; ++i) {
        const uint64_t nb = el(n, base + i, esize), mb = el(m, base + i, esize), acc = el(d, i, w);
        const i128 a = as_int(nb, esize, U), b = as_int(mb, esize, U);
        const i128 absd = a > b ? a - b : b - a;
        uint64_t x = 0;
        switch (opc) {
        case kAddl: x = static_cast<uint64_t>(a + b); break;
        case kSubl: x = static_cast<uint64_t>(a - b); break;
        case kAddw: x = el(n, i, w) + static_cast<uint64_t>(b); break;
        case kSubw: x = el(n, i, w) - static_cast<uint64_t>(b); break;
        case kAbal: x = acc + static_cast<uint64_t>(absd); break;
        case kAbdl: x = static_cast<uint64_t>(absd); break;
        case kMlal: x = acc + static_cast<uint64_t>(a * b); break;
        case kMlsl: x = acc - static_cast<uint64_t>(a * b); break;
        case kMull: x = static_cast<uint64_t>(a * b); break;
        case kPmull: x = pmull8(nb, mb); break;
        default: x = qdmull(acc_op(opc), esize, nb, mb, acc, q); break;
        }
        set_el(r, i, w, x);
    }
    set_vreg(c.st, Rd.idx(), r);
    set_qc(c, q);
    return true;
}

}  // namespace

#define DIFF3U(name, opc) \
    bool name(Core& c, Imm<1> Q, Imm<1> U, Imm<2> size, Reg Rm, Reg Rn, Reg Rd) { return diff3(c, opc, Q.v, U.v, size.v, Rm, Rn, Rd); }
#define DIFF3(name, opc) \
    bool name(Core& c, Imm<1> Q, Imm<2> size, Reg Rm, Reg Rn, Reg Rd) { return diff3(c, opc, Q.v, false, size.v, Rm, Rn, Rd); }

DIFF3U(SADDL_v, kAddl)
DIFF3U(SADDW_v, kAddw)
DIFF3U(SSUBL_v, kSubl)
DIFF3U(SSUBW_v, kSubw)
DIFF3U(ADDHN_v, kAddhn)
DIFF3U(SABAL_v, kAbal)
DIFF3U(SUBHN_v, kSubhn)
DIFF3U(SABDL_v, kAbdl)
DIFF3U(SMLAL_v, kMlal)
DIFF3(SQDMLAL_v, kQdmlal)
DIFF3U(SMLSL_v, kMlsl)
DIFF3(SQDMLSL_v, kQdmlsl)
DIFF3U(SMULL_v, kMull)
DIFF3(SQDMULL_v, kQdmull)
DIFF3(PMULL_v, kPmull)

// Scalar SQDMLAL/SQDMLSL/SQDMULL: one element of 16 or 32 bits.
#define DIFF3S(name, opc)                                                                  \
    bool name(Core& c, Imm<2> size, Reg Rm, Reg Rn, Reg Rd) {                             \
        if (size.v == 0 || size.v == 3) return false;                                      \
        c.check_fp_enabled();                                                              \
        const unsigned esize = 8u << size.v;                                               \
        bool q = false;                                                                    \
        const uint64_t r = qdmull(acc_op(opc), esize, scalar(c.st, Rn.idx(), esize / 8),           \
                                  scalar(c.st, Rm.idx(), esize / 8), scalar(c.st, Rd.idx(), esize / 4), q); \
        set_scalar(c.st, Rd.idx(), r, esize / 4);                                          \
        set_qc(c, q);                                                                      \
        return true;                                                                       \
    }

DIFF3S(SQDMLAL_s, kQdmlal)
DIFF3S(SQDMLSL_s, kQdmlsl)
DIFF3S(SQDMULL_s, kQdmull)

}  // namespace hvsim::cpu::insn
