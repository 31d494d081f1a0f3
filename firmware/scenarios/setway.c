/* Scenario setway (docs/scenarios.md): set/way maintenance under
 * virtualization.
 *
 * The guest, at EL1 with its MMU and caches on, fills a buffer, cleans and
 * invalidates every data or unified cache level CLIDR_EL1 reports by set/way
 * (the Arm ARM's "clean the whole cache" loop, D7.4.8), turns its MMU and
 * caches off and reads the buffer back. Set/way operations reach only the
 * caches CLIDR_EL1 describes, never a system cache (Arm ARM D7.4.8: they
 * are not for maintaining coherency with other agents), so the data the
 * guest wrote is still dirty in the SLC and memory is stale.
 *
 * Variants (the command line's variant=):
 *   notrap  the hypervisor leaves set/way alone: stale data, and the
 *           coherency checker reports the clean that stopped at the SLC.
 *   tsw     HCR_EL2.TSW traps every set/way operation and the hypervisor
 *           cleans the whole guest by VA to the PoC on each one.
 * Region "maintenance": the hypervisor's time in set/way emulation.
 * Metrics: correct (1 when the guest read its data back), setway_traps,
 * guest_flushes. */
#include "fw.h"
#include "mmu.h"

#define UART_PA 0x09000000UL
#define RAM_PA 0x40000000UL
#define SZ_2M (1UL << 21)
#define SZ_1G (1UL << 30)
#define WORDS 1024

#define HCR_TSW (1UL << 22)

static volatile u64 buf[WORDS] __attribute__((aligned(4096)));
static struct mmu_tables tables;
static volatile unsigned words_ok;
extern char __image_start[], __image_end[];

static u64 pattern(u64 i) { return mix64(0x5e7, i) | 1; }

static void clean_inval_all_by_setway(void) {
  const u64 clidr = read_sysreg(clidr_el1);
  const unsigned loc = (clidr >> 24) & 7;
  for (unsigned level = 0; level < loc; level++) {
    const unsigned ctype = (clidr >> (3 * level)) & 7;
    if (ctype < 2) continue;
    write_sysreg(csselr_el1, level << 1);
    isb();
    const u64 ccsidr = read_sysreg(ccsidr_el1);
    const unsigned line_shift = (ccsidr & 7) + 4;
    const unsigned ways = ((ccsidr >> 3) & 0x3ff) + 1, sets = ((ccsidr >> 13) & 0x7fff) + 1;
    const unsigned way_shift = ways > 1 ? __builtin_clz(ways - 1) : 0;
    for (unsigned set = 0; set < sets; set++)
      for (unsigned way = 0; way < ways; way++) {
        const u64 sw = ((u64)way << way_shift) | ((u64)set << line_shift) | (level << 1);
        __asm__ volatile("dc cisw, %0" ::"r"(sw) : "memory");
      }
  }
  __asm__ volatile("dsb sy" ::: "memory");
}

/* MMU and caches off, cleaning by VA only the stack this code still uses,
 * in the same asm block as the SCTLR write. */
static void caches_off_keeping_stack(void) {
  const u64 line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xF);
  u64 sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  u64 a = (sp - 512) & ~(line - 1);
  const u64 end = sp + 4096;
  const u64 v = read_sysreg(sctlr_el1) & ~(SCTLR_M | SCTLR_C | SCTLR_I);
  __asm__ volatile("1: dc civac, %[a]\n add %[a], %[a], %[l]\n cmp %[a], %[e]\n b.lo 1b\n"
                   " dsb sy\n msr sctlr_el1, %[v]\n isb"
                   : [a] "+r"(a)
                   : [l] "r"(line), [e] "r"(end), [v] "r"(v)
                   : "memory", "cc");
}

static long guest(long unused) {
  (void)unused;
  mmu_enable_el1(&tables, 1);
  for (unsigned i = 0; i < WORDS; i++) buf[i] = pattern(i);
  clean_inval_all_by_setway();
  caches_off_keeping_stack();
  unsigned n = 0;
  for (unsigned i = 0; i < WORDS; i++) n += buf[i] == pattern(i);
  words_ok = n;
  return 0;
}

static int hyp_handler(struct exc_frame *f) {
  if (f->el != 2 || ESR_EC(f->esr) != EC_SYS64) return 0;
  const u64 iss = f->esr & 0x1ffffff; /* Op0 [21:20] = 1, CRn [13:10] = 7 */
  if (((iss >> 20) & 3) != 1 || ((iss >> 10) & 0xf) != 7) return 0;
  hvsim_region_begin("maintenance");
  hvsim_metric_add("setway_traps", 1);
  /* EL2 runs with its MMU off: VA = PA. */
  dcache_civac(__image_start, (u64)__image_end - (u64)__image_start);
  hvsim_metric_add("guest_flushes", 1);
  hvsim_region_end("maintenance");
  f->elr += 4;
  return 1;
}

int main(void) {
  vectors_install(2);
  vectors_install(1);
  mmu_init(&tables, 12, 39, -1);
  mmu_map(&tables, RAM_PA, RAM_PA, SZ_1G, 1, PTE_NORMAL);
  mmu_map(&tables, UART_PA, UART_PA, SZ_2M, 2, PTE_DEVICE);
  mmu_sync();
  dcache_civac(buf, sizeof buf);

  const char *variant = fw_arg("variant");
  if (fw_arg_is("variant", "tsw")) {
    exc_set_handler(hyp_handler);
    write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_TSW);
    isb();
  } else if (!fw_arg_is("variant", "notrap")) {
    printf("setway: unknown variant '%s'\n", variant ? variant : "");
    exit(2);
  }
  hvsim_region_begin("guest");
  run_at_el(1, guest, 0);
  hvsim_region_end("guest");
  printf("setway/%s: %u of %u words read back\n", variant, words_ok, WORDS);
  hvsim_metric_set("correct", words_ok == WORDS);
  exit(0);
}
