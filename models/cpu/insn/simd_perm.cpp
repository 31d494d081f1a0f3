// Advanced SIMD copy, scalar copy, permute, extract, table lookup and
// modified immediate (Arm ARM C4.1.95).
#include "simd.h"
#include "simd_util.h"

namespace hvsim::cpu::insn {

using namespace simd;

namespace {

// imm5 of the copy encodings: the element size is given by its lowest set
// bit (size = LowestSetBit(imm5), reserved above 3), the index by the bits
// above it.
struct CopyElem {
    unsigned size, index;
};
bool copy_elem(uint32_t imm5, CopyElem& e) {
    if ((imm5 & 0xF) == 0) return false;
    e.size = static_cast<unsigned>(__builtin_ctz(imm5));
    e.index = imm5 >> (e.size + 1);
    return true;
}

}  // namespace

bool DUP_elem(Core& c, Imm<1> Q, Imm<5> imm5, Reg Rn, Reg Rd) {
    CopyElem e;
    if (!copy_elem(imm5.v, e) || (e.size == 3 && !Q.v)) return false;
    c.check_fp_enabled();
    const unsigned esize = 8u << e.size;
    const uint64_t x = el(rd_vec(c, Rn.idx()), e.index, esize);
    vmap(c, Rd.idx(), Q.v, esize, [&](unsigned) { return x; });
    return true;
}

bool DUP_gen(Core& c, Imm<1> Q, Imm<5> imm5, Reg Rn, Reg Rd) {
    CopyElem e;
    if (!copy_elem(imm5.v, e) || (e.size == 3 && !Q.v)) return false;
    c.check_fp_enabled();
    const uint64_t x = c.X(Rn);
    vmap(c, Rd.idx(), Q.v, 8u << e.size, [&](unsigned) { return x; });
    return true;
}

bool INS_gen(Core& c, Imm<5> imm5, Reg Rn, Reg Rd) {
    CopyElem e;
    if (!copy_elem(imm5.v, e)) return false;
    c.check_fp_enabled();
    Vec128 r = rd_vec(c, Rd.idx());
    set_el(r, e.index, 8u << e.size, c.X(Rn));
    set_vreg(c.st, Rd.idx(), r);
    return true;
}

bool INS_elem(Core& c, Imm<5> imm5, Imm<4> imm4, Reg Rn, Reg Rd) {
    CopyElem e;
    if (!copy_elem(imm5.v, e)) return false;
    c.check_fp_enabled();
    const unsigned esize = 8u << e.size;
    Vec128 r = rd_vec(c, Rd.idx());
    set_el(r, e.index, esize, el(rd_vec(c, Rn.idx()), imm4.v >> e.size, esize));
    set_vreg(c.st, Rd.idx(), r);
    return true;
}

// SMOV: to W (Q = 0) from bytes and halfwords, to X (Q = 1) up to words.
bool SMOV(Core& c, Imm<1> Q, Imm<5> imm5, Reg Rn, Reg Rd) {
    CopyElem e;
    if (!copy_elem(imm5.v, e) || e.size >= (Q.v ? 3u : 2u)) return false;
    c.check_fp_enabled();
    const unsigned esize = 8u << e.size;
    const uint64_t x = static_cast<uint64_t>(sx(el(rd_vec(c, Rn.idx()), e.index, esize), esize));
    c.setX(Rd, Q.v ? x : static_cast<uint32_t>(x));
    return true;
}

// UMOV: to W (Q = 0) up to words, to X (Q = 1) only doublewords.
bool UMOV(Core& c, Imm<1> Q, Imm<5> imm5, Reg Rn, Reg Rd) {
    CopyElem e;
    if (!copy_elem(imm5.v, e) || (Q.v ? e.size != 3 : e.size == 3)) return false;
    c.check_fp_enabled();
    c.setX(Rd, el(rd_vec(c, Rn.idx()), e.index, 8u << e.size));
    return true;
}

bool DUP_elem_s(Core& c, Imm<5> imm5, Reg Rn, Reg Rd) {
    CopyElem e;
    if (!copy_elem(imm5.v, e)) return false;
    c.check_fp_enabled();
    const unsigned esize = 8u << e.size;
    set_scalar(c.st, Rd.idx(), el(rd_vec(c, Rn.idx()), e.index, esize), esize / 8);
    return true;
}

// ---- permute: UZP1/2, TRN1/2, ZIP1/2 (op = bits 13:12, part = bit 14) ------

namespace {

enum class Perm { Uzp, Trn, Zip };

bool permute(Core& c, Perm op, unsigned part, bool Q, unsigned size, Reg Rm, Reg Rn, Reg Rd) {
    if (size == 3 && !Q) return false;
    c.check_fp_enabled();
    const unsigned esize = 8u << size, elems = (Q ? 128 : 64) / esize;
    const Vec128 n = rd_vec(c, Rn.idx()), m = rd_vec(c, Rm.idx());
    vmap(c, Rd.idx(), Q, esize, [&](unsigned i) {
        switch (op) {
        case Perm::Uzp: {  // even (part 0) or odd elements of Vm:Vn
            const unsigned j = 2 * i + part;
            return j < elems ? el(n, j, esize) : el(m, j - elems, esize);
        }
        case Perm::Trn: {
            const unsigned j = (i & ~1u) + part;
            return (i & 1) ? el(m, j, esize) : el(n, j, esize);
        }
        default: {  // ZIP: interleave the lower (part 0) or upper halves
            const unsigned j = part * elems / 2 + i / 2;
            return (i & 1) ? el(m, j, esize) : el(n, j, esize);
        }
        }
    });
    return true;
}

}  // namespace

#define PERM(name, op, part) \
    bool name(Core& c, Imm<1> Q, Imm<2> size, Reg Rm, Reg Rn, Reg Rd) { return permute(c, op, part, Q.v, size.v, Rm, Rn, Rd); }
PERM(UZP1, Perm::Uzp, 0)
PERM(UZP2, Perm::Uzp, 1)
PERM(TRN1, Perm::Trn, 0)
PERM(TRN2, Perm::Trn, 1)
PERM(ZIP1, Perm::Zip, 0)
PERM(ZIP2, Perm::Zip, 1)

// EXT: bytes imm4.. of Vm:Vn (64-bit forms: of Vm<63:0>:Vn<63:0>).
bool EXT(Core& c, Imm<1> Q, Reg Rm, Imm<4> imm4, Reg Rn, Reg Rd) {
    if (!Q.v && imm4.bit(3)) return false;
    c.check_fp_enabled();
    const unsigned bytes = Q.v ? 16 : 8;
    const Vec128 n = rd_vec(c, Rn.idx()), m = rd_vec(c, Rm.idx());
    vmap(c, Rd.idx(), Q.v, 8, [&](unsigned i) {
        const unsigned j = imm4.v + i;
        return j < bytes ? el(n, j, 8) : el(m, j - bytes, 8);
    });
    return true;
}

// TBL/TBX: a table of len+1 consecutive registers (modulo 32) from Vn.
// Out-of-range indices give zero (TBL) or leave the Vd byte (TBX).
bool TBL(Core& c, Imm<1> Q, Reg Rm, Imm<2> len, Imm<1> op, Reg Rn, Reg Rd) {
    c.check_fp_enabled();
    const unsigned regs = len.v + 1;
    const Vec128 idx = rd_vec(c, Rm.idx()), d = rd_vec(c, Rd.idx());
    Vec128 table[4];
    for (unsigned r = 0; r < regs; ++r) table[r] = rd_vec(c, (Rn.idx() + r) % 32);
    vmap(c, Rd.idx(), Q.v, 8, [&](unsigned i) {
        const uint64_t k = el(idx, i, 8);
        if (k < 16u * regs) return el(table[k / 16], k % 16, 8);
        return op.v ? el(d, i, 8) : 0;
    });
    return true;
}

// ---- modified immediate: MOVI, MVNI, ORR, BIC, FMOV (vector, immediate) ----

namespace {

// AdvSIMDExpandImm() (Arm ARM J1) for the 64-bit pattern replicated over
// the vector; false for the reserved FMOV (double) with Q = 0.
bool expand_imm(bool op, unsigned cmode, uint32_t imm8, bool Q, uint64_t& out) {
    const uint64_t i = imm8;
    auto rep32 = [](uint64_t x) { return x | (x << 32); };
    auto rep16 = [](uint64_t x) { return x * 0x0001000100010001ull; };
    switch (cmode >> 1) {
    case 0: out = rep32(i); return true;
    case 1: out = rep32(i << 8); return true;
    case 2: out = rep32(i << 16); return true;
    case 3: out = rep32(i << 24); return true;
    case 4: out = rep16(i); return true;
    case 5: out = rep16(i << 8); return true;
    case 6: out = rep32((cmode & 1) ? (i << 16) | 0xFFFF : (i << 8) | 0xFF); return true;
    default: break;
    }
    if (!(cmode & 1)) {
        if (!op) {
            out = i * 0x0101010101010101ull;
        } else {
            out = 0;
            for (unsigned b = 0; b < 8; ++b)
                if ((imm8 >> b) & 1) out |= 0xFFull << (8 * b);
        }
        return true;
    }
    const uint64_t a = (i >> 7) & 1, b = (i >> 6) & 1, cdefgh = i & 0x3F;
    if (!op) {  // single precision: a:NOT(b):Replicate(b,5):cdefgh:Zeros(19)
        const uint64_t f = (a << 31) | ((b ^ 1) << 30) | ((b ? 0x1Full : 0) << 25) | (cdefgh << 19);
        out = rep32(f);
        return true;
    }
    if (!Q) return false;
    out = (a << 63) | ((b ^ 1) << 62) | ((b ? 0xFFull : 0) << 54) | (cdefgh << 48);  // double
    return true;
}

bool modimm(Core& c, unsigned cmode, bool Q, bool op, uint32_t abc, uint32_t defgh, Reg Rd) {
    uint64_t imm;
    if (!expand_imm(op, cmode, (abc << 5) | defgh, Q, imm)) return false;
    c.check_fp_enabled();
    // ORR/BIC: cmode 0xx1 (32-bit) and 10x1 (16-bit); MVNI: op = 1 in
    // cmode 0xx0, 10x0, 110x.
    const bool logical = (cmode & 1) && cmode < 12;
    Vec128 r = rd_vec(c, Rd.idx());
    for (unsigned h = 0; h < 2; ++h) {
        if (logical) r[h] = op ? r[h] & ~imm : r[h] | imm;
        else r[h] = (op && cmode < 14) ? ~imm : imm;
    }
    write_vec(c, Rd.idx(), r, Q);
    return true;
}

}  // namespace

#define MODIMM(name, cmode) \
    bool name(Core& c, Imm<1> Q, Imm<1> op, Imm<3> abc, Imm<5> defgh, Reg Rd) { return modimm(c, cmode, Q.v, op.v, abc.v, defgh.v, Rd); }
MODIMM(MOVI_c0, 0)
MODIMM(ORR_imm_c1, 1)
MODIMM(MOVI_c2, 2)
MODIMM(ORR_imm_c3, 3)
MODIMM(MOVI_c4, 4)
MODIMM(ORR_imm_c5, 5)
MODIMM(MOVI_c6, 6)
MODIMM(ORR_imm_c7, 7)
MODIMM(MOVI_c8, 8)
MODIMM(ORR_imm_c9, 9)
MODIMM(MOVI_c10, 10)
MODIMM(ORR_imm_c11, 11)
MODIMM(MOVI_c12, 12)
MODIMM(MOVI_c13, 13)
MODIMM(MOVI_c14, 14)
MODIMM(FMOV_vimm, 15)

}  // namespace hvsim::cpu::insn
