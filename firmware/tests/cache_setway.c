/* cache_setway: why set/way cleaning is not enough on a system with a
 * system-level cache, and how a hypervisor repairs it (issue 4).
 *
 * The guest, at EL1 with its MMU and caches on, fills two buffers. It cleans
 * and invalidates every data or unified cache level CLIDR_EL1 reports by
 * set/way (the sequence the Arm ARM gives for "clean the whole cache",
 * D7.4.8), cleans the second buffer by VA to the Point of Coherency, turns
 * its MMU and caches off and reads both back (Device accesses, which go to
 * memory around every cache):
 *  - the buffer cleaned by VA reads back correctly everywhere;
 *  - the set/way-cleaned buffer is stale on hvsim: its dirty lines went from
 *    the L1 and L2 into the SLC, which set/way operations do not reach, so
 *    memory still holds the old (zero) data. On QEMU, which models no
 *    caches, it reads back correctly; the check runs on hvsim only and
 *    silently, so that the transcripts agree.
 * Run again under a hypervisor that traps set/way operations
 * (HCR_EL2.TSW) and, as KVM does, turns the first one of a burst into a
 * clean and invalidate by VA of all the guest's memory, the guest reads
 * both buffers back correctly on both simulators.
 * With --check coherency hvsim reports the set/way cleans that stopped at
 * the SLC and the stale reads (tests/CMakeLists.txt checks it). */
#include "fw.h"
#include "mmu.h"

#define UART_PA 0x09000000UL
#define RAM_PA 0x40000000UL
#define SZ_2M (1UL << 21)
#define SZ_1G (1UL << 30)
#define WORDS 1024 /* 8 KB each: spans many L1 and L2 sets */

#define HCR_TSW (1UL << 22)

static volatile u64 buf_sw[WORDS] __attribute__((aligned(4096)));
static volatile u64 buf_va[WORDS] __attribute__((aligned(4096)));
static struct mmu_tables tables;
extern char __image_start[], __image_end[];

static u64 pattern(u64 i, u64 salt) { return mix64(salt, i) | 1; }

/* Counts the words of `b` that hold the pattern. */
static unsigned matching(volatile u64 *b, u64 salt) {
  unsigned n = 0;
  for (unsigned i = 0; i < WORDS; i++) n += b[i] == pattern(i, salt);
  return n;
}

struct result {
  unsigned sw_ok, va_ok;
};
static volatile struct result res;

/* The guest: returns after reading both buffers back with its caches off. */
static long guest(long salt) {
  mmu_enable_el1(&tables, 1);
  for (unsigned i = 0; i < WORDS; i++) {
    buf_sw[i] = pattern(i, (u64)salt);
    buf_va[i] = pattern(i, (u64)salt + 1);
  }
  dcache_cisw_all();
  dcache_civac(buf_va, sizeof buf_va);
  mmu_disable_el1_keeping_stack();
  res.sw_ok = matching(buf_sw, (u64)salt);
  res.va_ok = matching(buf_va, (u64)salt + 1);
  return 0;
}

/* The hypervisor: set/way operations trapped by HCR_EL2.TSW. */
static unsigned trapped, flushes;
static int flushed_this_burst;
static int hyp_handler(struct exc_frame *f) {
  if (f->el != 2 || ESR_EC(f->esr) != EC_SYS64) return 0;
  /* ISS: Op0 [21:20] = 1 (a SYS instruction), CRn [13:10] = 7. */
  const u64 iss = f->esr & 0x1ffffff;
  if (((iss >> 20) & 3) != 1 || ((iss >> 10) & 0xf) != 7) return 0;
  trapped++;
  if (!flushed_this_burst) {
    /* The guest's memory (its image, stacks and tables) by VA to the PoC.
     * EL2 runs with its MMU off: VA = PA. */
    dcache_civac(__image_start, (u64)__image_end - (u64)__image_start + (4UL << 20));
    flushed_this_burst = 1;
    flushes++;
  }
  f->elr += 4;
  return 1;
}

static void run_guest(const char *what, u64 salt, int hv) {
  /* Drop what an earlier run left cached, then zero memory (EL2 runs with
   * its caches off). */
  dcache_civac(buf_sw, sizeof buf_sw);
  dcache_civac(buf_va, sizeof buf_va);
  for (unsigned i = 0; i < WORDS; i++) buf_sw[i] = buf_va[i] = 0;
  flushed_this_burst = 0;
  run_at_el(1, guest, (long)salt);
  printf("%s:\n", what);
  check("  buffer cleaned by VA to PoC, words read back", res.va_ok, WORDS);
  if (!hv) {
    /* hvsim: the SLC kept every dirty line (the buffer is far smaller
     * than the SLC); QEMU has no caches. */
    check_quiet("  set/way-cleaned buffer, words read back", res.sw_ok, on_hvsim() ? 0 : WORDS);
  } else {
    check("  set/way-cleaned buffer, words read back", res.sw_ok, WORDS);
  }
}

int main(void) {
  vectors_install(2);
  vectors_install(1);
  mmu_init(&tables, 12, 39, -1);
  mmu_map(&tables, RAM_PA, RAM_PA, SZ_1G, 1, PTE_NORMAL);
  mmu_map(&tables, UART_PA, UART_PA, SZ_2M, 2, PTE_DEVICE);
  mmu_sync();

  run_guest("guest alone, set/way clean then caches off", 0x5e7, 0);

  exc_set_handler(hyp_handler);
  write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_TSW);
  isb();
  run_guest("guest under a hypervisor that traps set/way (HCR_EL2.TSW)", 0xa11, 1);
  write_sysreg(hcr_el2, read_sysreg(hcr_el2) & ~HCR_TSW);
  isb();
  check("hypervisor: set/way operations trapped > 0", trapped > 0, 1);
  check("hypervisor: flushes of the guest's memory by VA", flushes, 1);
  return test_done();
}
