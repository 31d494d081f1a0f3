/* gdb_watch: the program the gdb tests debug (tests/gdb; built, not a test
 * of its own). It leaves known values in V0 and FPSR, stops in fp_done(),
 * then stores to `watched` twice from store_watched() (a write watchpoint's
 * target; each store changes its value), reads it back twice and exits 0. */
#include "fw.h"

volatile u64 watched;
static const u64 v0_value[2] __attribute__((aligned(16))) = {0x1122334455667788ull, 0x99aabbccddeeff00ull};

__attribute__((noinline)) void fp_done(void) { asm volatile("" ::: "memory"); }

__attribute__((noinline)) void store_watched(u64 v) { watched = v; }

int main(void) {
  watched = 1; /* the page is in the core's speed caches before gdb watches it */
  /* FPSR.QC (bit 27) and IOC (bit 0). */
  asm volatile("ldr q0, [%0]\n\tmsr fpsr, %1" ::"r"(v0_value), "r"(0x08000001ull) : "v0", "memory");
  fp_done();
  store_watched(0x1234);
  store_watched(0x5678);
  const u64 first = watched;
  check("watched", first, 0x5678);
  check("watched again", watched, 0x5678);
  return test_done();
}
