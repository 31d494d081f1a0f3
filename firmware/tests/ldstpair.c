/* ldstpair: LDP/STP (X and W) with signed offset (incl. the -512/+504
 * limits), pre- and post-index writeback, LDPSW sign extension, LDNP/STNP,
 * SP as base, XZR stores. */
#include "fw.h"

static u64 mem[256] __attribute__((aligned(16)));
#define PAT(i) (0x8877665544332211UL + (u64)(i) * 0x0101010101010101UL)

int main(void) {
  for (int i = 0; i < 256; i++) mem[i] = PAT(i & 0x3f);
  u64 *b = &mem[128], a0, a1, q;

  __asm__ volatile("ldp %0, %1, [%2]" : "=&r"(a0), "=&r"(a1) : "r"(b) : "memory");
  check("ldp [#0] 1", a0, PAT(0));
  check("ldp [#0] 2", a1, PAT(1));
  __asm__ volatile("ldp %0, %1, [%2, #504]" : "=&r"(a0), "=&r"(a1) : "r"(b) : "memory");
  check("ldp [#504] 1", a0, PAT(63));
  check("ldp [#504] 2", a1, PAT(0));
  __asm__ volatile("ldp %0, %1, [%2, #-512]" : "=&r"(a0), "=&r"(a1) : "r"(b) : "memory");
  check("ldp [#-512] 1", a0, PAT(0));
  check("ldp [#-512] 2", a1, PAT(1));
  __asm__ volatile("ldp %w0, %w1, [%2, #-4]" : "=&r"(a0), "=&r"(a1) : "r"(b) : "memory");
  check("ldp w [#-4] 1", a0, PAT(63) >> 32);
  check("ldp w [#-4] 2", a1, PAT(0) & 0xffffffff);
  __asm__ volatile("ldp %w0, %w1, [%2, #252]" : "=&r"(a0), "=&r"(a1) : "r"(b) : "memory");
  check("ldp w [#252] 1", a0, PAT(31) >> 32);
  check("ldp w [#252] 2", a1, PAT(32) & 0xffffffff);
  __asm__ volatile("ldpsw %0, %1, [%2]" : "=&r"(a0), "=&r"(a1) : "r"(b) : "memory");
  check("ldpsw 1", a0, 0x44332211);
  check("ldpsw 2", a1, 0xffffffff88776655);
  __asm__ volatile("ldpsw %0, %1, [%2, #-8]" : "=&r"(a0), "=&r"(a1) : "r"(b) : "memory");
  check("ldpsw [#-8] 1", a0, 0xffffffff83726150);
  check("ldpsw [#-8] 2", a1, 0xffffffffc7b6a594);
  __asm__ volatile("ldnp %0, %1, [%2, #16]" : "=&r"(a0), "=&r"(a1) : "r"(b) : "memory");
  check("ldnp 1", a0, PAT(2));
  check("ldnp 2", a1, PAT(3));
  __asm__ volatile("ldnp %w0, %w1, [%2, #8]" : "=&r"(a0), "=&r"(a1) : "r"(b) : "memory");
  check("ldnp w 1", a0, PAT(1) & 0xffffffff);
  check("ldnp w 2", a1, PAT(1) >> 32);

  /* Writeback. */
  u64 *p = b;
  __asm__ volatile("ldp %0, %1, [%2, #16]!" : "=&r"(a0), "=&r"(a1), "+r"(p) : : "memory");
  check("ldp pre 1", a0, PAT(2));
  check("ldp pre 2", a1, PAT(3));
  check("ldp pre base", (u64)(p - mem), 130);
  __asm__ volatile("ldp %0, %1, [%2], #-32" : "=&r"(a0), "=&r"(a1), "+r"(p) : : "memory");
  check("ldp post 1", a0, PAT(2));
  check("ldp post base", (u64)(p - mem), 126);
  __asm__ volatile("ldpsw %0, %1, [%2, #-8]!" : "=&r"(a0), "=&r"(a1), "+r"(p) : : "memory");
  check("ldpsw pre 1", a0, (PAT(61) & 0xffffffff) | 0xffffffff00000000);
  check("ldpsw pre 2", a1, (PAT(61) >> 32) | 0xffffffff00000000);
  check("ldpsw pre base", (u64)(p - mem), 125);
  __asm__ volatile("ldp %w0, %w1, [%2], #4" : "=&r"(a0), "=&r"(a1), "+r"(p) : : "memory");
  check("ldp w post 2", a1, PAT(61) >> 32);
  check("ldp w post base", (u64)p - (u64)mem, 125 * 8 + 4);

  /* Stores. */
  p = &mem[200];
  __asm__ volatile("stp %2, %3, [%1]\n\t"
                   "stp %2, %3, [%1, #-16]!\n\t"
                   "stp %w3, %w2, [%1], #40\n\t"
                   "stnp %3, %2, [%1, #-16]\n\t"
                   "stp xzr, %2, [%1, #16]\n\t"
                   "stp %w2, wzr, [%1, #-8]\n\t"
                   "mov %0, %1"
                   : "=r"(q), "+r"(p) : "r"(0x1111222233334444UL), "r"(0xaaaabbbbccccddddUL)
                   : "memory");
  check("stp base", (u64)(p - mem), 203);
  check("stp [198]", mem[198], 0x33334444ccccdddd);
  check("stp [199]", mem[199], 0xaaaabbbbccccdddd);
  check("stp [200]", mem[200], 0x1111222233334444);
  check("stnp [201]", mem[201], 0xaaaabbbbccccdddd);
  check("stp w/wzr [202]", mem[202], 0x0000000033334444);
  check("stp xzr [205]", mem[205], 0);
  check("stp xzr [206]", mem[206], 0x1111222233334444);

  /* SP as the base, with writeback (keeps SP 16-byte aligned). */
  u64 s0, s1, sp0, sp1;
  __asm__ volatile("mov %2, sp\n\t"
                   "stp %4, %5, [sp, #-32]!\n\t"
                   "ldp %0, %1, [sp], #32\n\t"
                   "mov %3, sp"
                   : "=&r"(s0), "=&r"(s1), "=&r"(sp0), "=&r"(sp1)
                   : "r"(0x0102030405060708UL), "r"(0x1112131415161718UL) : "memory");
  check("stp/ldp sp 1", s0, 0x0102030405060708);
  check("stp/ldp sp 2", s1, 0x1112131415161718);
  check("sp restored", sp1 - sp0, 0);

  u64 h = 0;
  for (int i = 0; i < 256; i++) h = mix64(h, mem[i]);
  show("memory checksum", h);
  return test_done();
}
