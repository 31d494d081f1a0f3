/* Self-check helpers: every check prints one transcript line; the first
 * mismatch is remembered for the final "FAIL <reason>" line. Usable at EL0:
 * they only print and write memory. */
#include "fw.h"

static int fails;
static char first_fail[80];

static void record(const char *name) {
  if (!fails++) {
    size_t i;
    for (i = 0; name[i] && i + 1 < sizeof(first_fail); i++) first_fail[i] = name[i];
    first_fail[i] = '\0';
  }
}

void fail(const char *reason) {
  printf("failure: %s\n", reason);
  record(reason);
}

void check(const char *name, u64 got, u64 expected) {
  if (got == expected) {
    printf("%s = %016lx\n", name, got);
  } else {
    printf("%s = %016lx MISMATCH (expected %016lx)\n", name, got, expected);
    record(name);
  }
}

void check32(const char *name, u64 got, u64 expected) {
  if (got == expected) {
    printf("%s = %08lx\n", name, got);
  } else {
    printf("%s = %08lx MISMATCH (expected %08lx)\n", name, got, expected);
    record(name);
  }
}

void checkf(u64 got, u64 expected, const char *fmt, ...) {
  char name[80];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(name, sizeof(name), fmt, ap);
  va_end(ap);
  check(name, got, expected);
}

void check_str(const char *name, const char *got, const char *expected) {
  if (!strcmp(got, expected)) {
    printf("%s = \"%s\"\n", name, got);
  } else {
    printf("%s = \"%s\" MISMATCH (expected \"%s\")\n", name, got, expected);
    record(name);
  }
}

void check_quiet(const char *name, u64 got, u64 expected) {
  if (got != expected) {
    printf("%s = %016lx MISMATCH (expected %016lx)\n", name, got, expected);
    record(name);
  }
}

void show(const char *name, u64 value) { printf("%s = %016lx\n", name, value); }

int test_done(void) {
  if (!fails) {
    printf("PASS\n");
    return 0;
  }
  printf("FAIL %s (%d checks failed)\n", first_fail, fails);
  return 1;
}

/* xorshift64* with a fixed seed: the same sequence on every simulator. */
static u64 rng_state = 0x9e3779b97f4a7c15UL;

void rand_seed(u64 seed) { rng_state = seed ? seed : 1; }

u64 rand64(void) {
  u64 x = rng_state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  rng_state = x;
  return x * 0x2545f4914f6cdd1dUL;
}

u64 rand_operand(void) {
  static const u64 special[] = {
      0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
      0x7fffffff, 0x80000000, 0xffffffff, 0x100000000UL,
      0x7fffffffffffffffUL, 0x8000000000000000UL, 0xffffffffffffffffUL,
      0xfffffffffffffffeUL, 0x8000000000000001UL, 0x00000000ffffffffUL,
      0xffffffff00000000UL, 0x5555555555555555UL, 0xaaaaaaaaaaaaaaaaUL};
  u64 r = rand64();
  switch (r & 7) {
  case 0:
  case 1:
    return special[(r >> 8) % (sizeof(special) / sizeof(special[0]))];
  case 2:
    return special[(r >> 8) % (sizeof(special) / sizeof(special[0]))] +
           ((r >> 40) & 3) - 1;
  case 3:
    return rand64() >> ((r >> 8) & 63);
  case 4:
    return (u64)((s64)rand64() >> ((r >> 8) & 63));
  default:
    return rand64();
  }
}

u64 mix64(u64 h, u64 v) {
  h ^= v + 0x9e3779b97f4a7c15UL + (h << 6) + (h >> 2);
  h *= 0xff51afd7ed558ccdUL;
  return h ^ (h >> 33);
}
