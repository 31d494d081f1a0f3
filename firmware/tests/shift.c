/* shift: LSLV/LSRV/ASRV/RORV (LSL/LSR/ASR/ROR register): the amount is taken
 * modulo the register size, upper bits of the amount register ignored. */
#include "fw.h"

#define SHOP(fn, insn, reg)                                                   \
  static u64 fn(u64 a, u64 s) {                                               \
    u64 r;                                                                    \
    __asm__(insn " %" reg "0, %" reg "1, %" reg "2" : "=r"(r) : "r"(a), "r"(s)); \
    return r;                                                                 \
  }
SHOP(lsl_x, "lsl", "x")
SHOP(lsr_x, "lsr", "x")
SHOP(asr_x, "asr", "x")
SHOP(ror_x, "ror", "x")
SHOP(lsl_w, "lslv", "w")
SHOP(lsr_w, "lsrv", "w")
SHOP(asr_w, "asrv", "w")
SHOP(ror_w, "rorv", "w")

struct sh_case {
  const char *name;
  u64 (*fn)(u64, u64);
  u64 a, s, r;
};

static const struct sh_case cases[] = {
    {"lsl", lsl_x, 0x8000000000000001, 1, 0x2},
    {"lsl", lsl_x, 0x8000000000000001, 65, 0x2},
    {"lsl", lsl_x, 0x8000000000000001, 0, 0x8000000000000001},
    {"lsl", lsl_x, 0x8000000000000001, 63, 0x8000000000000000},
    {"lsl", lsl_x, 0x8000000000000001, 64, 0x8000000000000001},
    {"lsl", lsl_x, 0x00000000000000ff, 0xffffffffffffffc4, 0xff0},
    {"lsr", lsr_x, 0x8000000000000001, 1, 0x4000000000000000},
    {"lsr", lsr_x, 0x8000000000000001, 63, 1},
    {"lsr", lsr_x, 0x8000000000000001, 127, 1},
    {"lsr", lsr_x, 0x8000000000000001, 128, 0x8000000000000001},
    {"asr", asr_x, 0x8000000000000001, 1, 0xc000000000000000},
    {"asr", asr_x, 0x8000000000000001, 63, 0xffffffffffffffff},
    {"asr", asr_x, 0x7000000000000001, 62, 1},
    {"asr", asr_x, 0x8000000000000001, 0x1000, 0x8000000000000001},
    {"ror", ror_x, 0x8000000000000001, 1, 0xc000000000000000},
    {"ror", ror_x, 0x8000000000000001, 4, 0x1800000000000000},
    {"ror", ror_x, 0x0123456789abcdef, 32, 0x89abcdef01234567},
    {"ror", ror_x, 0x0123456789abcdef, 68, 0xf0123456789abcde},
    {"ror", ror_x, 0x0123456789abcdef, 0, 0x0123456789abcdef},
    {"lsl w", lsl_w, 0xffffffff80000001, 33, 0x2},
    {"lsl w", lsl_w, 0x80000001, 31, 0x80000000},
    {"lsl w", lsl_w, 0x80000001, 0xffffffff00000021, 0x2},
    {"lsr w", lsr_w, 0x80000001, 31, 1},
    {"lsr w", lsr_w, 0xffffffff00000000, 4, 0},
    {"lsr w", lsr_w, 0x80000001, 32, 0x80000001},
    {"asr w", asr_w, 0x80000001, 31, 0xffffffff},
    {"asr w", asr_w, 0x80000001, 4, 0xf8000000},
    {"asr w", asr_w, 0x0000000040000000, 30, 1},
    {"ror w", ror_w, 0x80000001, 1, 0xc0000000},
    {"ror w", ror_w, 0x12345678, 8, 0x78123456},
    {"ror w", ror_w, 0xffffffff12345678, 40, 0x78123456},
};

static u64 ref(int op, int bits, u64 a, u64 s) {
  u64 mask = bits == 64 ? ~0UL : 0xffffffffUL;
  unsigned n = (unsigned)(s % (u64)bits);
  a &= mask;
  u64 sign = (a >> (bits - 1)) & 1;
  u64 r = 0;
  for (int i = 0; i < bits; i++) { /* bit by bit, no shifter needed */
    int src;
    u64 bit;
    switch (op) {
    case 0: src = i - (int)n; bit = src >= 0 ? (a >> src) & 1 : 0; break;
    case 1: src = i + (int)n; bit = src < bits ? (a >> src) & 1 : 0; break;
    case 2: src = i + (int)n; bit = src < bits ? (a >> src) & 1 : sign; break;
    default: src = (i + (int)n) % bits; bit = (a >> src) & 1; break;
    }
    r |= bit << i;
  }
  return r;
}

int main(void) {
  for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const struct sh_case *c = &cases[i];
    checkf(c->fn(c->a, c->s), c->r, "%s %lx,%lx", c->name, c->a, c->s);
  }
  u64 (*const fns[8])(u64, u64) = {lsl_x, lsr_x, asr_x, ror_x,
                                   lsl_w, lsr_w, asr_w, ror_w};
  u64 h = 0;
  int bad = 0;
  for (int i = 0; i < 3000; i++) {
    int k = i & 7;
    u64 a = rand_operand(), s = rand64();
    if (i & 8) s &= 0xff;
    u64 r = fns[k](a, s), e = ref(k & 3, k < 4 ? 64 : 32, a, s);
    if (r != e && bad++ < 5)
      printf("random op %d: a=%016lx s=%016lx got %016lx want %016lx\n", k, a, s, r, e);
    h = mix64(h, r);
  }
  check("random mismatches", (u64)bad, 0);
  show("random checksum", h);
  return test_done();
}
