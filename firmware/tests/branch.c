/* branch: B.cond for all 16 conditions under all 16 NZCV values, CBZ/CBNZ
 * (X and W), TBZ/TBNZ on low and high bits, B/BL/BLR/BR/RET (x30 and other
 * registers), branches near the TBZ range limit, recursion and a jump table. */
#include "fw.h"

#define CONDS(X) X(eq) X(ne) X(cs) X(cc) X(mi) X(pl) X(vs) X(vc) \
                 X(hi) X(ls) X(ge) X(lt) X(gt) X(le) X(al) X(nv)
static const u16 cond_mask[16] = {
    0xf0f0, 0x0f0f, 0xcccc, 0x3333, 0xff00, 0x00ff, 0xaaaa, 0x5555,
    0x0c0c, 0xf3f3, 0xaa55, 0x55aa, 0x0a05, 0xf5fa, 0xffff, 0xffff};
static const char *const cond_name[16] = {
    "eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc",
    "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"};

#define BCOND_FN(c)                                                           \
  static u64 b_##c(u64 f) {                                                   \
    u64 r;                                                                    \
    __asm__ volatile("msr nzcv, %1\n\tmov %0, #0\n\tb." #c " 1f\n\tb 2f\n"    \
                     "1:\tmov %0, #1\n2:"                                     \
                     : "=&r"(r) : "r"(f << 28) : "cc");                       \
    return r;                                                                 \
  }
CONDS(BCOND_FN)
#define FN_REF(c) b_##c,
static u64 (*const b_fns[16])(u64) = {CONDS(FN_REF)};

/* 1 when the branch is taken. */
#define TAKEN(insn, val)                                                      \
  ({                                                                          \
    u64 __r;                                                                  \
    __asm__ volatile("mov %0, #0\n\t" insn ", 1f\n\tb 2f\n1:\tmov %0, #1\n2:" \
                     : "=&r"(__r) : "r"((u64)(val)));                         \
    __r;                                                                      \
  })

static u64 fib(u64 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static u64 (*volatile fib_ptr)(u64) = fib;

static void conditions(void) {
  for (int c = 0; c < 16; c++) {
    u64 mask = 0;
    for (u64 f = 0; f < 16; f++) mask |= b_fns[c](f) << f;
    checkf(mask, cond_mask[c], "b.%s mask", cond_name[c]);
  }
}

static void compare_and_test(void) {
  check("cbz 0", TAKEN("cbz %1", 0), 1);
  check("cbz 1", TAKEN("cbz %1", 1), 0);
  check("cbz min", TAKEN("cbz %1", 0x8000000000000000), 0);
  check("cbnz min", TAKEN("cbnz %1", 0x8000000000000000), 1);
  check("cbnz 0", TAKEN("cbnz %1", 0), 0);
  check("cbz w 1<<32", TAKEN("cbz %w1", 0x100000000), 1);
  check("cbnz w 1<<32", TAKEN("cbnz %w1", 0x100000000), 0);
  check("cbnz w 1<<31", TAKEN("cbnz %w1", 0x80000000), 1);
  check("tbz #0 even", TAKEN("tbz %1, #0", 2), 1);
  check("tbz #0 odd", TAKEN("tbz %1, #0", 1), 0);
  check("tbnz #63", TAKEN("tbnz %1, #63", 0x8000000000000000), 1);
  check("tbnz #63 clear", TAKEN("tbnz %1, #63", 0x7fffffffffffffff), 0);
  check("tbz #32", TAKEN("tbz %1, #32", 0xfffffffeffffffff), 1);
  check("tbnz #32", TAKEN("tbnz %1, #32", 0x100000000), 1);
  check("tbnz w #31", TAKEN("tbnz %w1, #31", 0x80000000), 1);
  check("tbz w #5", TAKEN("tbz %w1, #5", 0xffffffdf), 1);
}

static void calls(void) {
  u64 lr, ret_addr, r;
  /* BL writes the address of the next instruction to x30. */
  __asm__ volatile("bl 1f\n0:\tb 2f\n1:\tmov %0, x30\n\tadr %1, 0b\n\tret\n2:"
                   : "=&r"(lr), "=&r"(ret_addr) : : "x30");
  check("bl x30 == next", lr - ret_addr, 0);
  /* BLR through a register; BR and RET with a register other than x30. */
  __asm__ volatile("adr x9, 1f\n\tblr x9\n0:\tb 2f\n1:\tmov %0, x30\n\tadr %1, 0b\n\tret\n2:"
                   : "=&r"(lr), "=&r"(ret_addr) : : "x9", "x30");
  check("blr x30 == next", lr - ret_addr, 0);
  __asm__ volatile("mov %0, #0\n\tadr x10, 1f\n\tbr x10\n\tmov %0, #99\n1:\tadd %0, %0, #1"
                   : "=&r"(r) : : "x10");
  check("br skips", r, 1);
  __asm__ volatile("mov %0, #0\n\tadr x11, 1f\n\tret x11\n\tmov %0, #99\n1:\tadd %0, %0, #2"
                   : "=&r"(r) : : "x11");
  check("ret x11", r, 2);
  /* BLR x30: the target is read before x30 is written. */
  __asm__ volatile("adr x30, 1f\n\tblr x30\n0:\tb 2f\n1:\tmov %0, x30\n\tadr %1, 0b\n\tret\n2:"
                   : "=&r"(lr), "=&r"(ret_addr) : : "x30");
  check("blr x30 target", lr - ret_addr, 0);
  check("fib(20) recursive", fib_ptr(20), 6765);
  /* A jump table with BR. */
  u64 sum = 0;
  for (u64 i = 0; i < 4; i++) {
    u64 v;
    __asm__ volatile("adr x12, 1f\n\tadd x12, x12, %1, lsl #3\n\tbr x12\n"
                     "1:\tmov %0, #10\n\tb 2f\n"
                     "\tmov %0, #20\n\tb 2f\n"
                     "\tmov %0, #30\n\tb 2f\n"
                     "\tmov %0, #40\n\tb 2f\n2:"
                     : "=&r"(v) : "r"(i) : "x12");
    sum = sum * 100 + v;
  }
  check("jump table", sum, 10203040);
}

static void far_branches(void) {
  u64 r;
  /* TBZ/TBNZ reach +-32 KiB: jump over 32000 bytes of UDF forward and back. */
  __asm__ volatile("mov %0, #0\n\t"
                   "tbz %0, #3, 1f\n\t"
                   ".space 32000\n"
                   "2:\tadd %0, %0, #1\n\tb 3f\n"
                   "1:\tadd %0, %0, #2\n\t"
                   "tbnz %0, #1, 2b\n"
                   "3:"
                   : "=&r"(r));
  check("tbz/tbnz far", r, 3);
  /* CBZ/B.cond reach +-1 MiB; B reaches +-128 MiB: 200 KiB here. */
  __asm__ volatile("mov %0, #0\n\t"
                   "cbz %0, 1f\n\t"
                   ".space 204800\n"
                   "2:\tadd %0, %0, #4\n\tb 3f\n"
                   "1:\tcmp %0, #0\n\tb.eq 4f\n\t"
                   ".space 4096\n"
                   "4:\tadd %0, %0, #8\n\tb 2b\n"
                   "3:"
                   : "=&r"(r) : : "cc");
  check("cbz/b.cond/b far", r, 12);
}

int main(void) {
  conditions();
  compare_and_test();
  calls();
  far_branches();
  return test_done();
}
