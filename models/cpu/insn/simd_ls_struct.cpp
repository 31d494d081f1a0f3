// Advanced SIMD structure loads and stores (Arm ARM C4.1.88, "Advanced SIMD
// load/store multiple structures" and "... single structure", with their
// post-index forms): LD1-LD4/ST1-ST4 of whole registers, of one lane, and
// LD1R-LD4R. The shared order of checks is in simd_ls_mem.h.
//
// Every element is its own access of the element size (Mem[address + offs,
// ebytes, AccType_VEC] in the pseudocode), so Device memory needs element
// alignment only and a fault reports the address of the element that took
// it. Loads collect the registers in a buffer and write them after the last
// access; stores may have written earlier elements when a later one faults,
// which the architecture allows. Register numbers wrap modulo 32.
#include "simd_ls.h"

#include "simd_ls_mem.h"

namespace hvsim::cpu::insn {

namespace {

using namespace simd_ls;

unsigned wrap(unsigned t, unsigned i) { return (t + i) % 32; }

// The base writeback of the post-index forms: X[m], or with Rm = 31 the
// number of bytes accessed.
void post_index(Core& c, Reg Rn, Reg Rm, uint64_t address, uint64_t accessed) {
    c.setXSP(Rn, address + (Rm.is31() ? accessed : c.X(Rm)));
}

// ---- multiple structures -------------------------------------------------------

// LD1-4/ST1-4 (multiple structures): opcode gives rpt (registers of
// consecutive elements) and selem (interleaved elements per structure).
bool execute_multiple(Core& c, bool load, Imm<1> Q, Imm<4> opcode, Imm<2> size, Reg Rn, Reg Rt, bool wback,
                      Reg Rm) {
    unsigned rpt, selem;
    switch (opcode.v) {
    case 0b0000: rpt = 1; selem = 4; break;
    case 0b0010: rpt = 4; selem = 1; break;
    case 0b0100: rpt = 1; selem = 3; break;
    case 0b0110: rpt = 3; selem = 1; break;
    case 0b0111: rpt = 1; selem = 1; break;
    case 0b1000: rpt = 1; selem = 2; break;
    case 0b1010: rpt = 2; selem = 1; break;
    default: return false;
    }
    // The 1D arrangement exists only for LD1/ST1.
    if (size == 3 && Q == 0 && selem != 1) return false;
    c.check_fp_enabled();
    const unsigned ebytes = 1u << size.v;
    const unsigned elements = (Q.v ? 16 : 8) / ebytes;
    const unsigned nregs = rpt * selem;
    const unsigned t = Rt.idx();
    const uint64_t address = base_address(c, Rn);
    charge_registers(c, !load, nregs);

    // A load writes every element of the 64- or 128-bit register; a 64-bit
    // write clears bits [127:64], so the buffer starts at zero.
    Vec128 regs[4] = {};
    if (!load)
        for (unsigned r = 0; r < nregs; ++r) regs[r] = vreg(c.st, wrap(t, r));
    uint64_t offs = 0;
    for (unsigned r = 0; r < rpt; ++r) {
        for (unsigned e = 0; e < elements; ++e) {
            for (unsigned s = 0; s < selem; ++s) {
                Vec128& reg = regs[r + s];  // one of r and s is 0
                if (load) set_elem(reg, e, ebytes, load_elem(c, address + offs, ebytes)[0]);
                else store_elem(c, address + offs, ebytes, {elem(reg, e, ebytes), 0});
                offs += ebytes;
            }
        }
    }
    if (load) {
        for (unsigned r = 0; r < nregs; ++r) {
            if (Q.v) set_vreg(c.st, wrap(t, r), regs[r]);
            else set_vreg64(c.st, wrap(t, r), regs[r][0]);
        }
    }
    if (wback) post_index(c, Rn, Rm, address, offs);
    return true;
}

// ---- single structure --------------------------------------------------------

// LD1-4/ST1-4 (single structure): one lane of selem consecutive registers;
// every other lane keeps its value (V[t] is read and written whole).
bool execute_single(Core& c, bool load, Imm<1> Q, Imm<1> R, Imm<3> opcode, Imm<1> S, Imm<2> size, Reg Rn, Reg Rt,
                    bool wback, Reg Rm) {
    unsigned scale = opcode.v >> 1;
    const unsigned selem = ((opcode.v & 1) << 1 | R.v) + 1;
    unsigned index;
    switch (scale) {
    case 0: index = (Q.v << 3) | (S.v << 2) | size.v; break;
    case 1:
        if (size.bit(0)) return false;
        index = (Q.v << 2) | (S.v << 1) | size.bit(1);
        break;
    case 2:
        if (size.bit(1)) return false;
        if (!size.bit(0)) {
            index = (Q.v << 1) | S.v;
        } else {
            if (S.v) return false;
            index = Q.v;
            scale = 3;
        }
        break;
    default: return false;  // load and replicate: LDnR; no store form
    }
    c.check_fp_enabled();
    const unsigned ebytes = 1u << scale;
    const unsigned t = Rt.idx();
    const uint64_t address = base_address(c, Rn);
    charge_registers(c, !load, selem);

    Vec128 regs[4];
    for (unsigned s = 0; s < selem; ++s) regs[s] = vreg(c.st, wrap(t, s));
    uint64_t offs = 0;
    for (unsigned s = 0; s < selem; ++s) {
        if (load) set_elem(regs[s], index, ebytes, load_elem(c, address + offs, ebytes)[0]);
        else store_elem(c, address + offs, ebytes, {elem(regs[s], index, ebytes), 0});
        offs += ebytes;
    }
    if (load)
        for (unsigned s = 0; s < selem; ++s) set_vreg(c.st, wrap(t, s), regs[s]);
    if (wback) post_index(c, Rn, Rm, address, offs);
    return true;
}

// LD1R-LD4R: one element per register, replicated to every lane of the 64-
// or 128-bit register. S = 1 is unallocated.
bool execute_replicate(Core& c, Imm<1> Q, Imm<1> R, Imm<1> o0, Imm<1> S, Imm<2> size, Reg Rn, Reg Rt, bool wback,
                       Reg Rm) {
    if (S.v) return false;
    c.check_fp_enabled();
    const unsigned selem = ((o0.v << 1) | R.v) + 1;
    const unsigned ebytes = 1u << size.v;
    const unsigned t = Rt.idx();
    const uint64_t address = base_address(c, Rn);
    charge_registers(c, false, selem);

    uint64_t lanes[4];
    uint64_t offs = 0;
    for (unsigned s = 0; s < selem; ++s) {
        const uint64_t e = load_elem(c, address + offs, ebytes)[0];
        // Replicate(element) over 64 bits: multiply by 0x0101..., 0x0001...
        const uint64_t ones = ebytes == 8 ? 1 : ~0ull / ((1ull << (ebytes * 8)) - 1);
        lanes[s] = e * ones;
        offs += ebytes;
    }
    for (unsigned s = 0; s < selem; ++s) {
        if (Q.v) set_vreg(c.st, wrap(t, s), {lanes[s], lanes[s]});
        else set_vreg64(c.st, wrap(t, s), lanes[s]);
    }
    if (wback) post_index(c, Rn, Rm, address, offs);
    return true;
}

constexpr Reg kNoRm{31};

}  // namespace

// ST1/ST2/ST3/ST4 (multiple structures)
bool ST_mult(Core& c, Imm<1> Q, Imm<4> opcode, Imm<2> size, Reg Rn, Reg Rt) {
    return execute_multiple(c, false, Q, opcode, size, Rn, Rt, false, kNoRm);
}

// LD1/LD2/LD3/LD4 (multiple structures)
bool LD_mult(Core& c, Imm<1> Q, Imm<4> opcode, Imm<2> size, Reg Rn, Reg Rt) {
    return execute_multiple(c, true, Q, opcode, size, Rn, Rt, false, kNoRm);
}

// ST1/ST2/ST3/ST4 (multiple structures), post-index
bool ST_mult_post(Core& c, Imm<1> Q, Reg Rm, Imm<4> opcode, Imm<2> size, Reg Rn, Reg Rt) {
    return execute_multiple(c, false, Q, opcode, size, Rn, Rt, true, Rm);
}

// LD1/LD2/LD3/LD4 (multiple structures), post-index
bool LD_mult_post(Core& c, Imm<1> Q, Reg Rm, Imm<4> opcode, Imm<2> size, Reg Rn, Reg Rt) {
    return execute_multiple(c, true, Q, opcode, size, Rn, Rt, true, Rm);
}

// LD1R/LD2R/LD3R/LD4R
bool LDnR(Core& c, Imm<1> Q, Imm<1> R, Imm<1> o0, Imm<1> S, Imm<2> size, Reg Rn, Reg Rt) {
    return execute_replicate(c, Q, R, o0, S, size, Rn, Rt, false, kNoRm);
}

// LD1R/LD2R/LD3R/LD4R, post-index
bool LDnR_post(Core& c, Imm<1> Q, Imm<1> R, Reg Rm, Imm<1> o0, Imm<1> S, Imm<2> size, Reg Rn, Reg Rt) {
    return execute_replicate(c, Q, R, o0, S, size, Rn, Rt, true, Rm);
}

// ST1/ST2/ST3/ST4 (single structure)
bool ST_single(Core& c, Imm<1> Q, Imm<1> R, Imm<3> opcode, Imm<1> S, Imm<2> size, Reg Rn, Reg Rt) {
    return execute_single(c, false, Q, R, opcode, S, size, Rn, Rt, false, kNoRm);
}

// LD1/LD2/LD3/LD4 (single structure)
bool LD_single(Core& c, Imm<1> Q, Imm<1> R, Imm<3> opcode, Imm<1> S, Imm<2> size, Reg Rn, Reg Rt) {
    return execute_single(c, true, Q, R, opcode, S, size, Rn, Rt, false, kNoRm);
}

// ST1/ST2/ST3/ST4 (single structure), post-index
bool ST_single_post(Core& c, Imm<1> Q, Imm<1> R, Reg Rm, Imm<3> opcode, Imm<1> S, Imm<2> size, Reg Rn, Reg Rt) {
    return execute_single(c, false, Q, R, opcode, S, size, Rn, Rt, true, Rm);
}

// LD1/LD2/LD3/LD4 (single structure), post-index
bool LD_single_post(Core& c, Imm<1> Q, Imm<1> R, Reg Rm, Imm<3> opcode, Imm<1> S, Imm<2> size, Reg Rn, Reg Rt) {
    return execute_single(c, true, Q, R, opcode, S, size, Rn, Rt, true, Rm);
}

}  // namespace hvsim::cpu::insn
