/* ldst: single-register loads and stores of every size with every
 * addressing form: unsigned scaled offset (incl. the maximum), unscaled
 * (LDUR/STUR, negative), pre- and post-index with writeback, register offset
 * with LSL/UXTW/SXTW/SXTX and scaling, PC-relative literal; zero- and
 * sign-extending loads of every size into W and X; LDTR/STTR (ordinary
 * accesses at EL2); PRFM never faults. All accesses are naturally aligned
 * (the MMU is off: data memory is Device memory). */
#include "fw.h"

/* mem[i] bytes are 0x11+i, 0x22+i, ..., 0x88+i (little-endian). */
static u64 mem[4200] __attribute__((aligned(16)));
#define PAT(i) (0x8877665544332211UL + (u64)(i) * 0x0101010101010101UL)

static void fill(void) {
  for (unsigned i = 0; i < sizeof(mem) / 8; i++) mem[i] = PAT(i & 0x3f);
}

#define LD(name, insn, base, expect)                                          \
  do {                                                                        \
    u64 r;                                                                    \
    __asm__ volatile(insn : "=&r"(r) : "r"(base) : "memory");                 \
    check(name, r, expect);                                                   \
  } while (0)

#define LDR2(name, insn, base, idx, expect)                                   \
  do {                                                                        \
    u64 r;                                                                    \
    __asm__ volatile(insn : "=&r"(r) : "r"(base), "r"((u64)(idx)) : "memory"); \
    check(name, r, expect);                                                   \
  } while (0)

static void loads(void) {
  u64 *b = &mem[8];
  LD("ldr x [#0]", "ldr %0, [%1]", b, PAT(8));
  LD("ldr x [#8]", "ldr %0, [%1, #8]", b, PAT(9));
  LD("ldr x [#32760]", "ldr %0, [%1, #32760]", mem, PAT(4095 & 0x3f));
  LD("ldr w [#16380]", "ldr %w0, [%1, #16380]", mem, PAT(2047 & 0x3f) >> 32);
  LD("ldrh [#8190]", "ldrh %w0, [%1, #8190]", mem, 0xc7b6);
  LD("ldrb [#4095]", "ldrb %w0, [%1, #4095]", mem, 0xc7);
  LD("ldur x [#-8]", "ldur %0, [%1, #-8]", b, PAT(7));
  LD("ldur x [#-256]", "ldur %0, [%1, #-256]", &mem[40], PAT(8));
  LD("ldur w [#-4]", "ldur %w0, [%1, #-4]", b, PAT(7) >> 32);
  LD("ldur w [#252]", "ldur %w0, [%1, #252]", b, PAT(39) >> 32);
  LD("ldurh [#-2]", "ldurh %w0, [%1, #-2]", b, 0x8f7e);
  LD("ldurb [#-1]", "ldurb %w0, [%1, #-1]", b, 0x8f);
  LD("ldursb x [#-1]", "ldursb %0, [%1, #-1]", b, 0xffffffffffffff8f);
  LD("ldursh w [#-2]", "ldursh %w0, [%1, #-2]", b, 0xffff8f7e);
  LD("ldursw [#-4]", "ldursw %0, [%1, #-4]", b, 0xffffffff88776655 + 0x07070707);
  /* Sign and zero extension, from mem[0]: bytes 11 22 33 44 55 66 77 88. */
  LD("ldrb 0x88", "ldrb %w0, [%1, #7]", mem, 0x88);
  LD("ldrsb w 0x88", "ldrsb %w0, [%1, #7]", mem, 0xffffff88);
  LD("ldrsb x 0x88", "ldrsb %0, [%1, #7]", mem, 0xffffffffffffff88);
  LD("ldrsb x 0x11", "ldrsb %0, [%1]", mem, 0x11);
  LD("ldrh 0x8877", "ldrh %w0, [%1, #6]", mem, 0x8877);
  LD("ldrsh w 0x8877", "ldrsh %w0, [%1, #6]", mem, 0xffff8877);
  LD("ldrsh x 0x8877", "ldrsh %0, [%1, #6]", mem, 0xffffffffffff8877);
  LD("ldrsh x 0x2211", "ldrsh %0, [%1]", mem, 0x2211);
  LD("ldr w", "ldr %w0, [%1, #4]", mem, 0x88776655);
  LD("ldrsw 0x88776655", "ldrsw %0, [%1, #4]", mem, 0xffffffff88776655);
  LD("ldrsw 0x44332211", "ldrsw %0, [%1]", mem, 0x44332211);
  LD("ldtr x", "ldtr %0, [%1, #-8]", b, PAT(7));
  LD("ldtrsb x", "ldtrsb %0, [%1, #7]", mem, 0xffffffffffffff88);
  LD("ldtrsh w", "ldtrsh %w0, [%1, #6]", mem, 0xffff8877);
  LD("ldtrsw", "ldtrsw %0, [%1, #4]", mem, 0xffffffff88776655);
  LD("ldtrb", "ldtrb %w0, [%1, #7]", mem, 0x88);
  LD("ldtrh", "ldtrh %w0, [%1, #6]", mem, 0x8877);
  /* Register offsets. */
  LDR2("ldr [x,x]", "ldr %0, [%1, %2]", mem, 24, PAT(3));
  LDR2("ldr [x,x,lsl#3]", "ldr %0, [%1, %2, lsl #3]", mem, 5, PAT(5));
  LDR2("ldr [x,x,lsl#3] neg", "ldr %0, [%1, %2, lsl #3]", b, -2L, PAT(6));
  LDR2("ldr w [x,w,uxtw#2]", "ldr %w0, [%1, %w2, uxtw #2]", mem, 0xffffffff00000003, PAT(1) >> 32);
  LDR2("ldr [x,w,uxtw]", "ldr %0, [%1, %w2, uxtw]", mem, 0x100000010, PAT(2));
  LDR2("ldr [x,w,sxtw]", "ldr %0, [%1, %w2, sxtw]", b, 0xfffffff8, PAT(7));
  LDR2("ldr [x,w,sxtw#3]", "ldr %0, [%1, %w2, sxtw #3]", b, 0xfffffffd, PAT(5));
  LDR2("ldr [x,x,sxtx]", "ldr %0, [%1, %2, sxtx]", b, -16L, PAT(6));
  LDR2("ldr [x,x,sxtx#3]", "ldr %0, [%1, %2, sxtx #3]", b, 1, PAT(9));
  LDR2("ldrb [x,x]", "ldrb %w0, [%1, %2]", mem, 13, 0x66 + 1);
  LDR2("ldrb [x,x,lsl#0]", "ldrb %w0, [%1, %2, lsl #0]", mem, 13, 0x66 + 1);
  LDR2("ldrsb [x,w,sxtw]", "ldrsb %0, [%1, %w2, sxtw]", b, 0xffffffff, 0xffffffffffffff8f);
  LDR2("ldrh [x,x,lsl#1]", "ldrh %w0, [%1, %2, lsl #1]", mem, 7, 0x8978);
  LDR2("ldrsh [x,w,uxtw#1]", "ldrsh %w0, [%1, %w2, uxtw #1]", mem, 3, 0xffff8877);
  LDR2("ldrsw [x,x,lsl#2]", "ldrsw %0, [%1, %2, lsl #2]", mem, 3, 0xffffffff88776655 + 0x01010101);
  LDR2("ldr w [x,w,sxtw#2]", "ldr %w0, [%1, %w2, sxtw #2]", b, 0xffffffff, PAT(7) >> 32);
}

static void writeback(void) {
  u64 *p = &mem[16], r, q;
  __asm__ volatile("ldr %0, [%1, #8]!" : "=r"(r), "+r"(p) : : "memory");
  check("ldr pre r", r, PAT(17));
  check("ldr pre base", (u64)(p - mem), 17);
  __asm__ volatile("ldr %0, [%1], #-16" : "=r"(r), "+r"(p) : : "memory");
  check("ldr post r", r, PAT(17));
  check("ldr post base", (u64)(p - mem), 15);
  __asm__ volatile("ldrsw %0, [%1, #-4]!" : "=r"(r), "+r"(p) : : "memory");
  check("ldrsw pre r", r, PAT(14) >> 32 | 0xffffffff00000000);
  __asm__ volatile("ldrb %w0, [%1], #255" : "=r"(r), "+r"(p) : : "memory");
  check("ldrb post r", r, 0x55 + 14);
  check("ldrb post base", (u64)p - (u64)mem, 15 * 8 - 4 + 255);
  __asm__ volatile("ldrsh %0, [%1, #-255]!" : "=r"(r), "+r"(p) : : "memory");
  check("ldrsh pre r", r, 0x7463);
  __asm__ volatile("ldrh %w0, [%1], #2" : "=r"(r), "+r"(p) : : "memory");
  check("ldrh post r", r, 0x7463);
  check("ldrh post base", (u64)p - (u64)mem, 15 * 8 - 2);
  /* Stores with writeback. */
  p = &mem[32];
  __asm__ volatile("str %2, [%1, #-8]!\n\tstr %2, [%1], #16\n\tmov %0, %1"
                   : "=r"(q), "+r"(p) : "r"(0xaaaaaaaaaaaaaaaaUL) : "memory");
  check("str pre/post base", (u64)(p - mem), 31 + 2);
  check("str pre/post mem", mem[31], 0xaaaaaaaaaaaaaaaa);
  check("str pre/post mem+1", mem[32], PAT(32));
  __asm__ volatile("strb %w2, [%1, #1]!\n\tstrh %w2, [%1, #1]!\n\tstr %w2, [%1, #2]!\n\t"
                   "stur %w2, [%1, #-4]"
                   : "=r"(q), "+r"(p) : "r"(0x12345678UL) : "memory");
  check("strb/h/w pre base", (u64)p - (u64)mem, 33 * 8 + 4);
  check("strb/h/w pre mem", mem[33], 0x1234567812345678);
  check("strb/h pre mem", mem[34], PAT(34));
  /* LDTR/STTR/STURB/STURH. */
  __asm__ volatile("sttr %1, [%0, #8]\n\tsttrb %w1, [%0, #16]\n\tsttrh %w1, [%0, #18]\n\t"
                   "sturb %w1, [%0, #-1]\n\tsturh %w1, [%0, #-4]"
                   : : "r"(&mem[40]), "r"(0x0102030405060708UL) : "memory");
  check("sttr", mem[41], 0x0102030405060708);
  check("sttrb/sttrh", mem[42], (PAT(42) & ~0xffff00ffUL) | 0x07080008);
  check("sturb/sturh", mem[39], (PAT(39) & 0x00ff0000ffffffffUL) | 0x0800070800000000);
}

static void stores(void) {
  u64 *b = &mem[48];
  __asm__ volatile("str %1, [%0]\n\t"
                   "str %w1, [%0, #8]\n\t"
                   "strh %w1, [%0, #20]\n\t"
                   "strb %w1, [%0, #31]\n\t"
                   "stur %1, [%0, #-8]\n\t"
                   "str %1, [%0, %2, lsl #3]\n\t"
                   "str %w1, [%0, %w3, sxtw #2]\n\t"
                   "strh %w1, [%0, %3, sxtx]\n\t"
                   "strb %w1, [%0, %w4, uxtw]\n\t"
                   : : "r"(b), "r"(0x8899aabbccddeeffUL), "r"(5UL), "r"(-6L), "r"(0x100000039UL)
                   : "memory");
  check("str x", mem[48], 0x8899aabbccddeeff);
  check("str w", mem[49], (PAT(49) & ~0xffffffffUL) | 0xccddeeff);
  check("strh", mem[50], (PAT(50) & ~0xffff00000000UL) | 0xeeff00000000UL);
  check("strb", mem[51], (PAT(51) & ~(0xffUL << 56)) | (0xffUL << 56));
  check("str [x,x,lsl#3]", mem[53], 0x8899aabbccddeeff);
  check("str [x,w,sxtw#2]", mem[45], (PAT(45) & ~0xffffffffUL) | 0xccddeeff);
  check("stur + strh [x,x,sxtx]", mem[47], 0x8899aabbeeffeeff);
  check("strb [x,w,uxtw]", mem[55], (PAT(55) & ~(0xffUL << 8)) | 0xff00);
  /* STR XZR/WZR and store of SP-relative data. */
  __asm__ volatile("str xzr, [%0]\n\tstrh wzr, [%0, #8]" : : "r"(&mem[56]) : "memory");
  check("str xzr", mem[56], 0);
  check("strh wzr", mem[57], PAT(57) & ~0xffffUL);
  u64 r;
  __asm__ volatile("sub sp, sp, #16\n\tstr %1, [sp, #8]\n\tldr %0, [sp, #8]\n\tadd sp, sp, #16"
                   : "=r"(r) : "r"(0x5a5a5a5a5a5a5a5aUL) : "memory");
  check("str/ldr [sp,#8]", r, 0x5a5a5a5a5a5a5a5a);
}

static void literals(void) {
  u64 x, w, sw, sw2;
  __asm__ volatile("ldr %0, 1f\n\tldr %w1, 2f\n\tldrsw %2, 2f\n\tldrsw %3, 3f\n\t"
                   "prfm pldl1keep, 1f\n\tb 4f\n\t"
                   ".balign 8\n"
                   "1:\t.quad 0xfedcba9876543210\n"
                   "2:\t.word 0x80000001\n"
                   "3:\t.word 0x7ffffffe\n"
                   "4:"
                   : "=r"(x), "=r"(w), "=r"(sw), "=r"(sw2));
  check("ldr literal x", x, 0xfedcba9876543210);
  check("ldr literal w", w, 0x80000001);
  check("ldrsw literal neg", sw, 0xffffffff80000001);
  check("ldrsw literal pos", sw2, 0x7ffffffe);
}

static void prefetch(void) {
  /* Prefetches are hints: even to unmapped addresses they never fault. */
  __asm__ volatile("prfm pldl1keep, [%0]\n\tprfm pstl2strm, [%0, #8]\n\t"
                   "prfm plil3keep, [%0, %1, lsl #3]\n\tprfum pldl1strm, [%0, #-3]\n\t"
                   "prfm pldl1keep, [%2]\n\tprfm pstl1keep, [%3]"
                   : : "r"(mem), "r"(2UL), "r"(0x0a100000UL), "r"(0xfffffffffffff000UL));
  check("prfm no fault", 1, 1);
}

int main(void) {
  fill();
  loads();
  writeback();
  stores();
  literals();
  prefetch();
  u64 h = 0;
  for (unsigned i = 0; i < sizeof(mem) / 8; i++) h = mix64(h, mem[i]);
  show("memory checksum", h);
  return test_done();
}
