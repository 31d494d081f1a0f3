/* bitfield: UBFM/SBFM/BFM and their aliases (UBFX, SBFX, UBFIZ, SBFIZ, BFI,
 * BFXIL, LSL/LSR/ASR immediate, SXTB/SXTH/SXTW, UXTB/UXTH), the wrapped
 * (imms < immr) forms, 32-bit forms, and EXTR/ROR immediate. */
#include "fw.h"

static const u64 A = 0xfedcba9876543210, B = 0x0123456789abcdef,
                 S8 = 0x8, SX = 0x000000008000ff80, FIVE = 0xa;

#define OP(name, insn, expect)                                                \
  do {                                                                        \
    u64 r;                                                                    \
    __asm__(insn : "=r"(r) : "r"(A), "r"(B), "r"(S8), "r"(SX), "r"(FIVE));    \
    check(name, r, expect);                                                   \
  } while (0)

/* BFM-class ops merge into the destination: start it at 0x1111... */
#define BF(name, insn, expect)                                                \
  do {                                                                        \
    u64 r = 0x1111111111111111;                                               \
    __asm__(insn : "+r"(r) : "r"(A), "r"(B));                                 \
    check(name, r, expect);                                                   \
  } while (0)

int main(void) {
  OP("ubfx #8,#12", "ubfx %0, %1, #8, #12", 0x432);
  OP("ubfm #8,#19", "ubfm %0, %1, #8, #19", 0x432);
  OP("ubfx #60,#4", "ubfx %0, %1, #60, #4", 0xf);
  OP("ubfx #0,#64", "ubfx %0, %1, #0, #64", 0xfedcba9876543210);
  OP("sbfx #4,#8", "sbfx %0, %1, #4, #8", 0x21);
  OP("sbfx #60,#4", "sbfx %0, %1, #60, #4", 0xffffffffffffffff);
  OP("sbfx #56,#8", "sbfx %0, %1, #56, #8", 0xfffffffffffffffe);
  OP("sbfx #28,#8", "sbfx %0, %1, #28, #8", 0xffffffffffffff87);
  OP("sbfx #63,#1", "sbfx %0, %1, #63, #1", 0xffffffffffffffff);
  OP("ubfiz #16,#8", "ubfiz %0, %1, #16, #8", 0x100000);
  OP("ubfiz #60,#8", "ubfiz %0, %2, #60, #4", 0xf000000000000000);
  OP("sbfiz #4,#4", "sbfiz %0, %3, #4, #4", 0xffffffffffffff80);
  OP("sbfm #60,#3", "sbfm %0, %3, #60, #3", 0xffffffffffffff80);
  OP("ubfm #60,#3", "ubfm %0, %5, #60, #3", 0xa0);
  OP("ubfm #1,#0", "ubfm %0, %5, #1, #0", 0);
  OP("ubfm #63,#62", "ubfm %0, %2, #63, #62", 0x02468acf13579bde);
  OP("lsl #4", "lsl %0, %1, #4", 0xedcba98765432100);
  OP("lsr #4", "lsr %0, %1, #4", 0x0fedcba987654321);
  OP("asr #4", "asr %0, %1, #4", 0xffedcba987654321);
  OP("asr #63", "asr %0, %1, #63", 0xffffffffffffffff);
  OP("lsl #63", "lsl %0, %2, #63", 0x8000000000000000);
  OP("sxtb x", "sxtb %0, %w4", 0xffffffffffffff80);
  OP("sxth x", "sxth %0, %w4", 0xffffffffffffff80);
  OP("sxtw x", "sxtw %0, %w4", 0xffffffff8000ff80);
  OP("sxtb x+", "sxtb %0, %w1", 0x10);
  OP("sxtb w", "sxtb %w0, %w4", 0xffffff80);
  OP("sxth w", "sxth %w0, %w4", 0xffffff80);
  OP("uxtb w", "uxtb %w0, %w4", 0x80);
  OP("uxth w", "uxth %w0, %w4", 0xff80);
  OP("ubfx w #28,#4", "ubfx %w0, %w1, #28, #4", 7);
  OP("sbfx w #7,#2", "sbfx %w0, %w4, #7, #2", 0xffffffff);
  OP("sbfx w #31,#1", "sbfx %w0, %w4, #31, #1", 0xffffffff);
  OP("ubfiz w #28,#8", "ubfiz %w0, %w1, #28, #4", 0);
  OP("sbfiz w #24,#8", "sbfiz %w0, %w4, #24, #8", 0x80000000);
  OP("lsl w #31", "lsl %w0, %w2, #31", 0x80000000);
  OP("lsr w #31", "lsr %w0, %w4, #31", 1);
  OP("asr w #31", "asr %w0, %w4, #31", 0xffffffff);
  OP("asr w #8", "asr %w0, %w1, #8", 0x00765432);
  BF("bfi #8,#16", "bfi %0, %1, #8, #16", 0x1111111111321011);
  BF("bfxil #32,#16", "bfxil %0, %1, #32, #16", 0x111111111111ba98);
  BF("bfi xzr #4,#8", "bfi %0, xzr, #4, #8", 0x1111111111111001);
  BF("bfm #60,#3", "bfm %0, %2, #60, #3", 0x11111111111111f1);
  BF("bfi #63,#1", "bfi %0, %2, #63, #1", 0x9111111111111111);
  BF("bfxil #0,#64", "bfxil %0, %1, #0, #64", 0xfedcba9876543210);
  BF("bfi w #16,#16", "bfi %w0, %w2, #16, #16", 0xcdef1111);
  BF("bfxil w #28,#4", "bfxil %w0, %w1, #28, #4", 0x11111117);
  OP("extr #8", "extr %0, %1, %2, #8", 0x100123456789abcd);
  OP("extr #0", "extr %0, %1, %2, #0", 0x0123456789abcdef);
  OP("extr #63", "extr %0, %1, %2, #63", 0xfdb97530eca86420);
  OP("ror #4", "ror %0, %1, #4", 0x0fedcba987654321);
  OP("extr w #16", "extr %w0, %w1, %w2, #16", 0x321089ab);
  OP("extr w #0", "extr %w0, %w1, %w2, #0", 0x89abcdef);
  OP("ror w #31", "ror %w0, %w1, #31", 0xeca86420);
  return test_done();
}
