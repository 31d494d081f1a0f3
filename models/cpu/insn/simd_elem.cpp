// Advanced SIMD vector x indexed element and scalar x indexed element,
// integer forms (Arm ARM C4.1.95).
//
// The element of Vm: 16-bit elements use Vm = V0..V15 (M:Rm = 0:Rm, index
// H:L:M), 32-bit elements Vm = M:Rm with index H:L; other sizes are
// reserved for the integer forms.
#include "simd.h"
#include "simd_util.h"

namespace hvsim::cpu::insn {

using namespace simd;

namespace {

enum Opc : unsigned {
    kMla = 0, kMlal = 2, kQdmlal = 3, kMls = 4, kMlsl = 6, kQdmlsl = 7, kMul = 8, kMull = 10,
    kQdmull = 11, kQdmulh = 12, kQrdmulh = 13,
};

// The Vm element by index; false for the reserved sizes.
bool index_elem(const Core& c, unsigned size, bool L, uint32_t Mm, bool H, uint64_t& x) {
    unsigned m, index;
    if (size == 1) {
        m = Mm & 0xF;
        index = (H << 2) | (L << 1) | (Mm >> 4);
    } else if (size == 2) {
        m = Mm;
        index = (H << 1) | L;
    } else {
        return false;
    }
    const unsigned esize = 8u << size;
    x = el(rd_vec(c, m), index, esize);
    return true;
}

uint64_t elem_op(unsigned opc, bool u, unsigned esize, uint64_t a, uint64_t b, uint64_t acc, bool& q) {
    switch (opc) {
    case kMla: return acc + a * b;
    case kMls: return acc - a * b;
    case kMul: return a * b;
    case kQdmulh: return qdmulh(esize, a, b, false, q);
    case kQrdmulh: return qdmulh(esize, a, b, true, q);
    case kQdmlal: return qdmull(1, esize, a, b, acc, q);
    case kQdmlsl: return qdmull(-1, esize, a, b, acc, q);
    case kQdmull: return qdmull(0, esize, a, b, acc, q);
    default: {
        const i128 p = as_int(a, esize, u) * as_int(b, esize, u);
        if (opc == kMlal) return acc + static_cast<uint64_t>(p);
        if (opc == kMlsl) return acc - static_cast<uint64_t>(p);
        return static_cast<uint64_t>(p);
    }
    }
}

bool is_long(unsigned opc) { return opc == kMlal || opc == kQdmlal || opc == kMlsl || opc == kQdmlsl || opc == kMull || opc == kQdmull; }

bool elem_v(Core& c, unsigned opc, bool Q, bool U, unsigned size, bool L, uint32_t Mm, bool H, Reg Rn, Reg Rd) {
    uint64_t b;
    if (!index_elem(c, size, L, Mm, H, b)) return false;
    c.check_fp_enabled();
    const unsigned esize = 8u << size;
    const Vec128 n = rd_vec(c, Rn.idx()), d = rd_vec(c, Rd.idx());
    bool q = false;
    if (is_long(opc)) {  // from Vpart[n, Q], to double-width elements
        const unsigned base = Q ? 64 / esize : 0;
        vmap(c, Rd.idx(), true, 2 * esize, [&](unsigned i) {
            return elem_op(opc, U, esize, el(n, base + i, esize), b, el(d, i, 2 * esize), q);
        });
    } else {
        vmap(c, Rd.idx(), Q, esize, [&](unsigned i) { return elem_op(opc, U, esize, el(n, i, esize), b, el(d, i, esize), q); });
    }
    set_qc(c, q);
    return true;
}

bool elem_s(Core& c, unsigned opc, unsigned size, bool L, uint32_t Mm, bool H, Reg Rn, Reg Rd) {
    uint64_t b;
    if (!index_elem(c, size, L, Mm, H, b)) return false;
    c.check_fp_enabled();
    const unsigned esize = 8u << size;
    const unsigned dbytes = (is_long(opc) ? 2 : 1) * esize / 8;
    bool q = false;
    const uint64_t r = elem_op(opc, false, esize, scalar(c.st, Rn.idx(), esize / 8), b, scalar(c.st, Rd.idx(), dbytes), q);
    set_scalar(c.st, Rd.idx(), r, dbytes);
    set_qc(c, q);
    return true;
}

}  // namespace

#define ELEMU(name, opc)                                                                                   \
    bool name(Core& c, Imm<1> Q, Imm<1> U, Imm<2> size, Imm<1> L, Imm<5> Mm, Imm<1> H, Reg Rn, Reg Rd) { \
        return elem_v(c, opc, Q.v, U.v, size.v, L.v, Mm.v, H.v, Rn, Rd);                                   \
    }
#define ELEM(name, opc)                                                                          \
    bool name(Core& c, Imm<1> Q, Imm<2> size, Imm<1> L, Imm<5> Mm, Imm<1> H, Reg Rn, Reg Rd) { \
        return elem_v(c, opc, Q.v, false, size.v, L.v, Mm.v, H.v, Rn, Rd);                       \
    }
#define ELEMS(name, opc)                                                                \
    bool name(Core& c, Imm<2> size, Imm<1> L, Imm<5> Mm, Imm<1> H, Reg Rn, Reg Rd) { \
        return elem_s(c, opc, size.v, L.v, Mm.v, H.v, Rn, Rd);                        \
    }

ELEM(MLA_elem, kMla)
ELEM(MLS_elem, kMls)
ELEM(MUL_elem, kMul)
ELEMU(SMLAL_elem, kMlal)
ELEMU(SMLSL_elem, kMlsl)
ELEMU(SMULL_elem, kMull)
ELEM(SQDMLAL_elem, kQdmlal)
ELEM(SQDMLSL_elem, kQdmlsl)
ELEM(SQDMULL_elem, kQdmull)
ELEM(SQDMULH_elem, kQdmulh)
ELEM(SQRDMULH_elem, kQrdmulh)

ELEMS(SQDMLAL_elem_s, kQdmlal)
ELEMS(SQDMLSL_elem_s, kQdmlsl)
ELEMS(SQDMULL_elem_s, kQdmull)
ELEMS(SQDMULH_elem_s, kQdmulh)
ELEMS(SQRDMULH_elem_s, kQrdmulh)

}  // namespace hvsim::cpu::insn
