/* bench: a CPU-bound workload of roughly 200 million instructions for
 * measuring simulator speed (scripts/bench); not a CTest test. Sieve of
 * Eratosthenes, table-driven CRC-32, memcpy, quicksort and a small matrix
 * multiply, each self-checked, and one checksum of everything. Runs at the
 * entry EL (any). */
#include "fw.h"

#ifndef BENCH_SCALE
#define BENCH_SCALE 1
#endif

#define SIEVE_N 1000000
#define BUF_BYTES (64 * 1024)
#define SORT_N 20000
#define MAT_N 48

static u8 sieve_buf[SIEVE_N + 1];
static u64 src_buf[BUF_BYTES / 8] __attribute__((aligned(16)));
static u64 dst_buf[BUF_BYTES / 8] __attribute__((aligned(16)));
static u32 sort_buf[SORT_N];
static u32 crc_table[256];
static u32 mat_a[MAT_N][MAT_N], mat_b[MAT_N][MAT_N], mat_c[MAT_N][MAT_N];

static u64 sieve(void) {
  memset(sieve_buf, 1, sizeof(sieve_buf));
  sieve_buf[0] = sieve_buf[1] = 0;
  for (u64 i = 2; i * i <= SIEVE_N; i++)
    if (sieve_buf[i])
      for (u64 j = i * i; j <= SIEVE_N; j += i) sieve_buf[j] = 0;
  u64 count = 0;
  for (u64 i = 0; i <= SIEVE_N; i++) count += sieve_buf[i];
  return count;
}

static void crc_init(void) {
  for (u32 i = 0; i < 256; i++) {
    u32 c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

static u32 crc32(const u8 *p, u64 n) {
  u32 c = 0xffffffffu;
  for (u64 i = 0; i < n; i++) c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

static void quicksort(u32 *a, long lo, long hi) {
  while (lo < hi) {
    u32 pivot = a[lo + (hi - lo) / 2];
    long i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        u32 t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    /* Recurse into the smaller half, loop on the larger one. */
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
}

static u64 matmul(void) {
  for (int i = 0; i < MAT_N; i++)
    for (int j = 0; j < MAT_N; j++) {
      u32 s = 0;
      for (int k = 0; k < MAT_N; k++) s += mat_a[i][k] * mat_b[k][j];
      mat_c[i][j] = s;
    }
  u64 h = 0;
  for (int i = 0; i < MAT_N; i++)
    for (int j = 0; j < MAT_N; j++) h = h * 31 + mat_c[i][j];
  return h;
}

int main(void) {
  u64 sum = 0;
  crc_init();
  check32("crc32(\"123456789\")", crc32((const u8 *)"123456789", 9), 0xcbf43926);
  rand_seed(12345);
  for (u64 i = 0; i < BUF_BYTES / 8; i++) src_buf[i] = rand64();
  for (int i = 0; i < MAT_N; i++)
    for (int j = 0; j < MAT_N; j++) {
      mat_a[i][j] = (u32)rand64();
      mat_b[i][j] = (u32)rand64();
    }

  for (int round = 0; round < 7 * BENCH_SCALE; round++) {
    u64 primes = sieve();
    if (primes != 78498) fail("sieve count");
    sum = mix64(sum, primes);

    for (int r = 0; r < 8; r++) {
      memcpy(dst_buf, src_buf, BUF_BYTES);
      u32 c = crc32((const u8 *)dst_buf, BUF_BYTES);
      sum = mix64(sum, c);
      src_buf[(r * 977 + round) % (BUF_BYTES / 8)] ^= c;
    }

    for (int i = 0; i < SORT_N; i++) sort_buf[i] = (u32)rand64();
    quicksort(sort_buf, 0, SORT_N - 1);
    for (int i = 1; i < SORT_N; i++)
      if (sort_buf[i - 1] > sort_buf[i]) {
        fail("sort order");
        break;
      }
    sum = mix64(sum, sort_buf[0]);
    sum = mix64(sum, sort_buf[SORT_N / 2]);
    sum = mix64(sum, sort_buf[SORT_N - 1]);

    sum = mix64(sum, matmul());
    mat_a[round % MAT_N][0] += 1;
    printf("round %d: checksum %016lx\n", round, sum);
  }
  show("bench checksum", sum);
  return test_done();
}
