/* The CPU-bound benchmark of bench.c with stage-1 translation on at EL2:
 * RAM mapped with 4KB pages so that the TLBs and walk caches work for their
 * living (scripts/bench compares the TLB model on and off). */
#include "mmu.h"

#define main bench_main
#include "bench.c"
#undef main

int main(void) {
  static struct mmu_tables t;
  mmu_init(&t, 12, 39, -1);
  mmu_map(&t, 0x40000000UL, 0x40000000UL, 16UL << 20, 3, PTE_NORMAL);
  mmu_map(&t, 0x09000000UL, 0x09000000UL, 2UL << 20, 2, PTE_DEVICE);
  mmu_enable_el2(&t);
  return bench_main();
}
