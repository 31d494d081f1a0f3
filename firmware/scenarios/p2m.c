/* Scenario p2m (docs/scenarios.md): stage-2 (p2m) updates under
 * concurrency.
 *
 * Every core is an EL2 hypervisor instance (stage 1 and data cache on)
 * running one vCPU of one guest at EL1 (stage 1 on: identity, Normal
 * Write-Back) under the domain's shared stage-2 tables. Each vCPU touches
 * `pages` fresh guest pages that stage 2 does not map yet: a store to its
 * own 64-byte slot of each, then a second pass reading them back. The first
 * touch of a page takes a stage-2 Translation fault to this core's
 * hypervisor, which takes a frame (a shared bump allocator), scrubs it
 * (`scrub`=1) outside the lock, then under the p2m lock installs the
 * level-3 table of the 2 MB range if there is none and the page's
 * descriptor if no other vCPU has meanwhile, and returns to the faulting
 * instruction. A vCPU's pages are `shared` percent in one 2 MB range that
 * every vCPU touches (the same pages) and the rest in a range of its own.
 *
 * No TLB maintenance: the descriptors change from invalid to valid, and the
 * architecture never holds in a TLB an entry that gives a Translation fault
 * (Arm ARM, "Translation Lookaside Buffers": entries that generate a
 * Translation, Address size or Access flag fault are not cached). The table
 * writes must be visible to the other cores' walkers, and to this core's
 * walk after the ERET: DSB ISHST before the lock is released. A new table
 * is zeroed and made visible (DSB ISHST) before the descriptor that points
 * at it, so no walker can see the table before its contents.
 *
 * Variants (variant=):
 *   global  one ticket lock for the whole p2m.
 *   range   one ticket lock per 2 MB range (one level-3 table each).
 * Both are correct; they differ in how long the vCPUs wait.
 *   unlocked (wrong) no lock: "a descriptor is one 64-bit store". The
 *           check for a valid descriptor comes before the frame is scrubbed
 *           and the write after, so two vCPUs faulting on one page both
 *           install a frame: the second write replaces a valid descriptor
 *           the first vCPU's TLB holds, without break-before-make or TLBI,
 *           and the staleness checker reports the stale translation.
 *
 * Locks: ticket locks, LDAXR/STXR to take a ticket, WFE to wait
 * (lib/atomic.h). Regions: fault (the whole handler), lock_wait (taking
 * the lock), locked (holding it), guest (each vCPU's run). Metrics:
 * faults, maps, raced (faults on a page another vCPU mapped meanwhile),
 * tables, bad (pages mapped other than once, or not reading back what was
 * written), correct. */
#include "atomic.h"
#include "fw.h"
#include "mmu.h"
#include "vcpu.h"

#define UART_PA 0x09000000UL
#define RAM_PA 0x40000000UL
#define SZ_4K 0x1000UL
#define SZ_2M (1UL << 21)
#define SZ_1G (1UL << 30)
/* Guest IPAs that start unmapped: range 0 is shared, range 1 + v is vCPU
 * v's own. Frames and level-3 tables come from RAM the guest cannot see. */
#define FRESH_IPA 0x80000000UL
#define RANGES (1 + VCPU_MAX)
#define RANGE_PAGES 512
#define GUEST_RAM (512UL << 20)
#define FRAME_PA 0x60000000UL
#define TABLE_PA 0x6f000000UL
#define MAX_FRAMES (RANGES * RANGE_PAGES)
#define MAX_TABLES (RANGES * VCPU_MAX)

enum { GLOBAL, RANGE, UNLOCKED };
static const char *const variants[] = {"global", "range", "unlocked"};

struct lock_line {
  ticket_lock_t l;
  u8 pad[60];
} __attribute__((aligned(64)));
struct u64_line {
  volatile u64 v;
  u8 pad[56];
} __attribute__((aligned(64)));
struct percpu {
  u64 spare;  /* a scrubbed frame left over from a raced fault */
  u64 faults, maps, raced;
  u8 pad[32];
} __attribute__((aligned(64)));

static struct lock_line locks[RANGES];
static struct u64_line next_frame, next_table, tables;
static struct u64_line arrived, finished;
static struct percpu percpu[VCPU_MAX];
static volatile u64 map_count[RANGES][RANGE_PAGES] __attribute__((aligned(64)));
static volatile long guest_bad[VCPU_MAX];

static struct mmu_tables hyp, s2, gs1;
static volatile u64 *fresh_l2; /* the level-2 descriptors of the ranges */
static unsigned variant, ncpus;
static u64 pages, shared, scrub;

/* ---- the guest ----------------------------------------------------------- */

static u64 pattern(unsigned cpu, u64 i) { return mix64(0x9e3779b9UL + cpu, i) | 1; }

/* The IPA of vCPU cpu's i-th touch: `shared` percent of them, spread
 * evenly, go to range 0, the same pages for every vCPU. */
static u64 touch_ipa(unsigned cpu, u64 i) {
  const u64 before = i * shared / 100, upto = (i + 1) * shared / 100;
  if (upto != before) return FRESH_IPA + before * SZ_4K;
  return FRESH_IPA + (1 + cpu) * SZ_2M + (i - upto) * SZ_4K;
}

static long guest(long cpu) {
  for (u64 i = 0; i < pages; i++) *(volatile u64 *)(touch_ipa(cpu, i) + cpu * 64) = pattern(cpu, i);
  long bad = 0;
  for (u64 i = 0; i < pages; i++) bad += *(volatile u64 *)(touch_ipa(cpu, i) + cpu * 64) != pattern(cpu, i);
  return bad;
}

/* ---- the hypervisor's fault path ----------------------------------------- */

static u64 take(struct u64_line *bump, u64 base, u64 limit) {
  const u64 n = atomic_fetch_add64(&bump->v, 1);
  if (n >= limit) {
    printf("p2m: out of frames or tables\n");
    exit(3);
  }
  return base + n * SZ_4K;
}

static void zero_page(u64 pa) {
  for (volatile u64 *p = (volatile u64 *)pa; p < (volatile u64 *)(pa + SZ_4K); p += 2) {
    p[0] = 0;
    p[1] = 0;
  }
}

/* A frame for a page: one left over from a raced fault, else a new one. */
static u64 new_frame(struct percpu *me) {
  u64 frame = me->spare;
  me->spare = 0;
  if (!frame) {
    frame = take(&next_frame, FRAME_PA, MAX_FRAMES);
    if (scrub) zero_page(frame);
  }
  return frame;
}

/* The range's level-3 table, zeroed and visible before the descriptor
 * that points at it. */
static void new_table(u64 range) {
  const u64 t = take(&next_table, TABLE_PA, MAX_TABLES);
  zero_page(t);
  dsb(ishst);
  fresh_l2[range] = mmu_table_desc((void *)t);
  atomic_fetch_add64(&tables.v, 1);
}

static void install(struct percpu *me, u64 range, u64 page, u64 frame) {
  volatile u64 *l3e = mmu_desc_table(fresh_l2[range]) + page;
  *l3e = frame | S2_NORMAL | PTE_VALID | PTE_PAGE;
  atomic_fetch_add64(&map_count[range][page], 1);
  me->maps++;
}

static void p2m_populate(unsigned c, u64 ipa) {
  struct percpu *me = &percpu[c];
  const u64 range = (ipa - FRESH_IPA) >> 21, page = (ipa >> 12) & (RANGE_PAGES - 1);
  me->faults++;
  if (variant == UNLOCKED) {
    /* Check, then do the slow work, then write: the check is stale by
     * then, and a second vCPU replaces a valid descriptor (or table) that
     * the first one's TLB may already hold, with no TLBI. */
    if (!(fresh_l2[range] & PTE_VALID)) new_table(range);
    if (mmu_desc_table(fresh_l2[range])[page] & PTE_VALID)
      me->raced++;
    else
      install(me, range, page, new_frame(me));
    dsb(ishst);
    return;
  }
  const u64 frame = new_frame(me);
  ticket_lock_t *lock = &locks[variant == GLOBAL ? 0 : range].l;
  hvsim_region_begin("lock_wait");
  ticket_lock(lock);
  hvsim_region_end("lock_wait");
  hvsim_region_begin("locked");
  if (!(fresh_l2[range] & PTE_VALID)) new_table(range);
  if (mmu_desc_table(fresh_l2[range])[page] & PTE_VALID) {
    me->spare = frame;
    me->raced++;
  } else {
    install(me, range, page, frame);
  }
  dsb(ishst);
  hvsim_region_end("locked");
  ticket_unlock(lock);
}

static int hyp_handler(struct exc_frame *f) {
  vcpu_exit(f);
  if (f->el != 2 || f->vec != VEC_LOWER64 || ESR_EC(f->esr) != EC_DABT_LOW) return 0;
  const u64 fsc = ISS_FSC(f->esr);
  if ((fsc != FSC_TRANS(2) && fsc != FSC_TRANS(3)) || (f->esr & ISS_S1PTW)) return 0;
  const u64 ipa = (read_sysreg(hpfar_el2) >> 4) << 12;
  if (ipa < FRESH_IPA || ipa >= FRESH_IPA + RANGES * SZ_2M) return 0;
  hvsim_region_begin("fault");
  p2m_populate(cpu_index(), ipa);
  hvsim_region_end("fault");
  return 1; /* ELR is the faulting instruction: it runs again */
}

/* ---- bring-up and the final check --------------------------------------- */

/* The domain's stage 2, this hypervisor's stage 1 and caches, the guest's
 * stage 1 (loaded from EL2: the vCPU starts with it on). */
static void core_setup(void) {
  stage2_enable(&s2, 1);
  mmu_enable_el2(&hyp);
  write_sysreg(mair_el1, MAIR_VALUE);
  write_sysreg(tcr_el1, mmu_tcr_el1(&gs1));
  write_sysreg(ttbr0_el1, (u64)gs1.root | (1UL << 48));
  isb();
  tlbi(vmalle1);
  dsb(nsh);
  write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | SCTLR_M | SCTLR_C | SCTLR_I);
  isb();
  atomic_fetch_add64(&arrived.v, 1);
  while (load_acquire64(&arrived.v) < ncpus) {
  }
}

static void run_vcpu(unsigned c) {
  hvsim_region_begin("guest");
  guest_bad[c] = vcpu_run(guest, c);
  hvsim_region_end("guest");
  atomic_fetch_add64(&finished.v, 1);
}

static void secondary(unsigned cpu) {
  core_setup();
  run_vcpu(cpu);
}

/* Every page: mapped once if some vCPU touched it, else not at all, to a
 * frame no other page has, holding what each toucher wrote. */
static u64 check_p2m(void) {
  static u8 touched[RANGES][RANGE_PAGES];
  static u8 frame_used[MAX_FRAMES];
  u64 bad = 0;
  for (unsigned c = 0; c < ncpus; c++)
    for (u64 i = 0; i < pages; i++) {
      const u64 ipa = touch_ipa(c, i);
      touched[(ipa - FRESH_IPA) >> 21][(ipa >> 12) & (RANGE_PAGES - 1)] = 1;
    }
  for (u64 r = 0; r < RANGES; r++)
    for (u64 p = 0; p < RANGE_PAGES; p++) {
      const u64 l2 = fresh_l2[r];
      const u64 l3 = (l2 & PTE_VALID) ? mmu_desc_table(l2)[p] : 0;
      if (map_count[r][p] != touched[r][p] || !!(l3 & PTE_VALID) != touched[r][p]) {
        bad++;
        continue;
      }
      if (!touched[r][p]) continue;
      const u64 frame = l3 & PTE_OA_MASK, n = (frame - FRAME_PA) / SZ_4K;
      if (frame < FRAME_PA || n >= MAX_FRAMES || frame_used[n]++) bad++;
    }
  for (unsigned c = 0; c < ncpus; c++)
    for (u64 i = 0; i < pages; i++) {
      const u64 ipa = touch_ipa(c, i);
      const u64 l3 = mmu_desc_table(fresh_l2[(ipa - FRESH_IPA) >> 21])[(ipa >> 12) & (RANGE_PAGES - 1)];
      bad += *(volatile u64 *)((l3 & PTE_OA_MASK) + c * 64) != pattern(c, i);
    }
  return bad;
}

static void parse_args(void) {
  const char *v = fw_arg("variant");
  variant = ~0u;
  for (unsigned i = 0; i < sizeof variants / sizeof variants[0]; i++)
    if (fw_arg_is("variant", variants[i])) variant = i;
  if (variant == ~0u) {
    printf("p2m: unknown variant '%s'\n", v ? v : "");
    exit(2);
  }
  ncpus = (unsigned)fw_arg_u64("cpus", 1);
  pages = fw_arg_u64("pages", 32);
  shared = fw_arg_u64("shared", 50);
  scrub = fw_arg_u64("scrub", 1);
  if (ncpus < 1 || ncpus > VCPU_MAX || pages < 1 || pages > RANGE_PAGES || shared > 100 || scrub > 1) {
    printf("p2m: bad arguments: cpus=%u (1..%d), pages=%lu (1..%d), shared=%lu (0..100), scrub=%lu (0, 1)\n",
           ncpus, VCPU_MAX, pages, RANGE_PAGES, shared, scrub);
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
  mmu_map(&s2, RAM_PA, RAM_PA, GUEST_RAM, 2, S2_NORMAL);
  mmu_map(&s2, FRESH_IPA, 0, RANGES * SZ_2M, 2, 0);
  fresh_l2 = mmu_pte(&s2, FRESH_IPA, 2);
  mmu_init(&gs1, 12, 39, -1);
  mmu_map(&gs1, RAM_PA, RAM_PA, SZ_1G, 1, PTE_NORMAL);
  mmu_map(&gs1, FRESH_IPA, FRESH_IPA, SZ_1G, 1, PTE_NORMAL);
  mmu_sync();
  exc_set_handler(hyp_handler);

  /* The secondaries read what was written so far with their caches off:
   * this core turns its own on only once they are all running. */
  smp_start(ncpus, secondary);
  core_setup();
  run_vcpu(0);
  while (load_acquire64(&finished.v) < ncpus) {
  }

  u64 faults = 0, maps = 0, raced = 0;
  long guest_errors = 0;
  for (unsigned c = 0; c < ncpus; c++) {
    faults += percpu[c].faults;
    maps += percpu[c].maps;
    raced += percpu[c].raced;
    guest_errors += guest_bad[c];
  }
  const u64 bad = check_p2m() + (u64)guest_errors;
  printf("p2m/%s: %u vCPUs x %lu pages (%lu%% shared): %lu faults, %lu maps, %lu raced, %lu tables, %lu bad\n",
         variants[variant], ncpus, pages, shared, faults, maps, raced, tables.v, bad);
  hvsim_metric_set("faults", (s64)faults);
  hvsim_metric_set("maps", (s64)maps);
  hvsim_metric_set("raced", (s64)raced);
  hvsim_metric_set("tables", (s64)tables.v);
  hvsim_metric_set("bad", (s64)bad);
  hvsim_metric_set("correct", bad == 0 && faults == maps + raced);
  exit(0);
}
