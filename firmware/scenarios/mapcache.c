/* Scenario mapcache (docs/scenarios.md): Xen IOREQ-style mapcache
 * invalidation under concurrent hypercalls.
 *
 * Every core is an EL2 hypervisor instance (stage 1 and data cache on, the
 * same EL2 tables) running one vCPU of one guest domain at EL1 under the
 * domain's shared stage-2 tables (HCR_EL2.VM). Each vCPU issues `hypercalls`
 * no-op HVCs. On every hypercall exit the hypervisor checks whether the
 * device model must be told to invalidate its mapcache; core 0's hypervisor
 * also removes one stage-2 RAM mapping every `every` of its hypercalls (the
 * page's descriptor made invalid, then TLBI IPAS2E1IS, DSB ISH, TLBI
 * VMALLE1IS, DSB ISH) and raises the invalidate flag, after its own check.
 * A signal is a write to the vCPU's ioreq slot, which the device model reads.
 *
 * Variants (variant=):
 *   domain-read    one per-domain flag, read with a plain load on every exit
 *                  and test-and-cleared (LDAXR/STLXR) only when it is set:
 *                  the line stays Shared in every core while the flag is
 *                  clear (what Xen does).
 *   domain-atomic  the same flag, test-and-cleared unconditionally on every
 *                  exit: every exit takes the line Unique, so it moves from
 *                  core to core.
 *   vcpu-flag      a flag per vCPU, each in a cache line of its own; the
 *                  remover sets every vCPU's, each vCPU tests its own (plain
 *                  load, then test-and-clear when set). Nothing is shared on
 *                  the exit path, but each removal is signalled once per
 *                  vCPU.
 * All three are correct; they differ in cost.
 *
 * Correctness: a removal counter is incremented before the flag is raised
 * (store-release); a signal reads it after the acquiring test-and-clear and
 * tells the device model "everything up to here". The run is correct when
 * the device model has heard of every removal (metric correct).
 * Regions: hypercall (the hypervisor's whole exit path, core 0's removals
 * included), invalidate_check (the flag check and any signal), p2m_remove
 * (one removal), guest (each vCPU's whole run).
 * Metrics: correct, hypercalls, removals, signals, pending (flags still set
 * at the end: vCPUs that stopped before they saw the last removal). */
#include "atomic.h"
#include "fw.h"
#include "mmu.h"
#include "vcpu.h"

#define UART_PA 0x09000000UL
#define RAM_PA 0x40000000UL
#define SZ_4K 0x1000UL
#define SZ_2M (1UL << 21)
#define SZ_1G (1UL << 30)
/* The RAM the hypervisor takes away: guest IPAs backed by frames the guest
 * never touches otherwise, one level-3 table's worth. */
#define BALLOON_IPA 0x80000000UL
#define BALLOON_PA 0x70000000UL
#define BALLOON_PAGES 512
#define HC_NOP 1

enum { DOMAIN_READ, DOMAIN_ATOMIC, VCPU_FLAG };
static const char *const variants[] = {"domain-read", "domain-atomic", "vcpu-flag"};

/* Every shared datum in a cache line of its own. */
struct flag_line {
  volatile u32 v;
  u8 pad[60];
} __attribute__((aligned(64)));
struct u64_line {
  volatile u64 v;
  u8 pad[56];
} __attribute__((aligned(64)));
/* What the device model reads from a vCPU's ioreq page. */
struct ioreq {
  volatile u64 signals; /* invalidate requests */
  volatile u64 gen;     /* removals covered by the latest one */
  u8 pad[48];
} __attribute__((aligned(64)));

static struct flag_line dom_flag;           /* d->mapcache_invalidate */
static struct flag_line vcpu_flag[VCPU_MAX]; /* v->mapcache_invalidate */
static struct u64_line removed;              /* removals made so far */
static struct ioreq ioreq[VCPU_MAX];
static struct u64_line arrived, finished;
static struct u64_line core0_exits;

static struct mmu_tables hyp, s2;
static volatile u64 *balloon_pte;
static unsigned variant, ncpus;
static u64 hypercalls, every;

static void signal_device_model(unsigned c) {
  const u64 gen = load_acquire64(&removed.v);
  ioreq[c].signals++;
  if (gen > ioreq[c].gen) ioreq[c].gen = gen;
}

static void invalidate_check(unsigned c) {
  hvsim_region_begin("invalidate_check");
  switch (variant) {
  case DOMAIN_READ:
    if (dom_flag.v && atomic_xchg_zero32(&dom_flag.v)) signal_device_model(c);
    break;
  case DOMAIN_ATOMIC:
    if (atomic_xchg_zero32(&dom_flag.v)) signal_device_model(c);
    break;
  case VCPU_FLAG:
    if (vcpu_flag[c].v && atomic_xchg_zero32(&vcpu_flag[c].v)) signal_device_model(c);
    break;
  }
  hvsim_region_end("invalidate_check");
}

/* Core 0 only: removal number removed.v. The descriptor goes invalid, then
 * the TLB entries that hold it: TLBI IPAS2E1IS removes only stage-2-only
 * entries of the IPA, so after its DSB a TLBI VMALLE1IS removes the
 * combined stage 1+2 entries of the VMID (Arm ARM, TLB maintenance
 * instructions: "TLBI IPAS2E1IS" and its note on stage 1 entries; the
 * sequence the stage2 firmware test checks). */
static void p2m_remove_one(void) {
  hvsim_region_begin("p2m_remove");
  const u64 k = removed.v;
  balloon_pte[k] = 0;
  dsb(ishst);
  tlbi_va(ipas2e1is, TLBI_IPA(BALLOON_IPA + k * SZ_4K));
  dsb(ish);
  tlbi(vmalle1is);
  dsb(ish);
  store_release64(&removed.v, k + 1);
  if (variant == VCPU_FLAG) {
    for (unsigned v = 0; v < ncpus; v++) store_release32(&vcpu_flag[v].v, 1);
  } else {
    store_release32(&dom_flag.v, 1);
  }
  hvsim_region_end("p2m_remove");
}

static int hyp_handler(struct exc_frame *f) {
  vcpu_exit(f);
  if (f->el != 2 || f->vec != VEC_LOWER64 || ESR_EC(f->esr) != EC_HVC64 || (f->esr & 0xffff) != HC_NOP)
    return 0;
  const unsigned c = cpu_index();
  hvsim_region_begin("hypercall");
  invalidate_check(c);
  if (c == 0) {
    const u64 n = ++core0_exits.v;
    if (n % every == 0 && n < hypercalls) p2m_remove_one();
  }
  hvsim_region_end("hypercall");
  return 1; /* HVC's preferred return address is the next instruction */
}

static long guest(long n) {
  for (long i = 0; i < n; i++) {
    register long x0 __asm__("x0") = i;
    __asm__ volatile("hvc #1" : "+r"(x0) : : "memory");
  }
  return 0;
}

/* This core's hypervisor: the domain's stage 2, its own stage 1 and caches
 * on, the guest's instruction cache on (its stage 1 stays off). */
static void core_setup(void) {
  stage2_enable(&s2, 1);
  mmu_enable_el2(&hyp);
  write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | SCTLR_I);
  isb();
  atomic_fetch_add64(&arrived.v, 1);
  while (load_acquire64(&arrived.v) < ncpus) {
  }
}

static void run_vcpu(void) {
  hvsim_region_begin("guest");
  vcpu_run(guest, (long)hypercalls);
  hvsim_region_end("guest");
  atomic_fetch_add64(&finished.v, 1);
}

static void secondary(unsigned cpu) {
  (void)cpu;
  core_setup();
  run_vcpu();
}

static void parse_args(void) {
  const char *v = fw_arg("variant");
  variant = ~0u;
  for (unsigned i = 0; i < sizeof variants / sizeof variants[0]; i++)
    if (fw_arg_is("variant", variants[i])) variant = i;
  if (variant == ~0u) {
    printf("mapcache: unknown variant '%s'\n", v ? v : "");
    exit(2);
  }
  ncpus = (unsigned)fw_arg_u64("cpus", 1);
  hypercalls = fw_arg_u64("hypercalls", 1000);
  every = fw_arg_u64("every", 8);
  if (ncpus < 1 || ncpus > VCPU_MAX || every < 1 || hypercalls <= every || hypercalls / every > BALLOON_PAGES) {
    printf("mapcache: bad arguments: cpus=%u (1..%d), hypercalls=%lu, every=%lu (every < hypercalls <= %d x every)\n",
           ncpus, VCPU_MAX, hypercalls, every, BALLOON_PAGES);
    exit(2);
  }
}

int main(void) {
  vectors_install(2);
  vectors_install(1);
  parse_args();

  mmu_init(&hyp, 12, 39, -1);
  mmu_map(&hyp, RAM_PA, RAM_PA, SZ_1G, 1, PTE_NORMAL);
  mmu_map(&hyp, UART_PA, UART_PA, SZ_2M, 2, PTE_DEVICE_EL2);
  mmu_init(&s2, 12, 39, 1);
  mmu_map(&s2, RAM_PA, RAM_PA, SZ_1G, 2, S2_NORMAL);
  mmu_map(&s2, BALLOON_IPA, BALLOON_PA, BALLOON_PAGES * SZ_4K, 3, S2_NORMAL);
  balloon_pte = mmu_pte(&s2, BALLOON_IPA, 3);
  mmu_sync();
  exc_set_handler(hyp_handler);

  /* The secondaries read what was written so far with their caches off:
   * this core turns its own on only once they are all running. */
  smp_start(ncpus, secondary);
  core_setup();
  run_vcpu();
  while (load_acquire64(&finished.v) < ncpus) {
  }

  u64 signals = 0, covered = 0, pending = dom_flag.v;
  for (unsigned c = 0; c < ncpus; c++) {
    signals += ioreq[c].signals;
    if (ioreq[c].gen > covered) covered = ioreq[c].gen;
    pending += vcpu_flag[c].v;
  }
  const u64 removals = removed.v;
  printf("mapcache/%s: %u vCPUs x %lu hypercalls, %lu removals, %lu signals, device model saw %lu\n",
         variants[variant], ncpus, hypercalls, removals, signals, covered);
  hvsim_metric_set("hypercalls", (s64)(ncpus * hypercalls));
  hvsim_metric_set("removals", (s64)removals);
  hvsim_metric_set("signals", (s64)signals);
  hvsim_metric_set("pending", (s64)pending);
  hvsim_metric_set("correct", covered == removals);
  exit(0);
}
