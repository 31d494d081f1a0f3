/* Scenario s2unmap (docs/scenarios.md): a stage-2 change and the TLB and
 * walk-cache maintenance it needs.
 *
 * An EL2 hypervisor (its own MMU on, so that it shares the page tables and
 * flags coherently with the guest) runs an EL1 guest with its stage 1 on,
 * under stage 2 (VMID 1). The guest's working set is `pages` 4KB pages at
 * IPA_WS, `stride_kb` apart (4: contiguous; 2052: one page per 2MB region,
 * each with table descriptors of its own in both walk caches, and off the
 * TLB's set stride), and
 * the target page at IPA_TARGET, alone in its 1GB region behind stage-2
 * level-2 and level-3 tables of its own; the guest's stage 1 maps both
 * windows with 4KB pages, VA = IPA.
 * The guest touches them `rounds` times (warming the TLBs and both walk
 * caches), then asks the hypervisor to take the target page away (a balloon
 * inflation). The hypervisor writes the stage-2 entry invalid (the "break"
 * of break-before-make): with unmap_level=2 the level-2 table descriptor of
 * the target's 2MB region, with unmap_level=3 the page descriptor. Then it
 * invalidates as the variant says, and the guest touches the target again:
 * in a correct variant that is a stage-2 Translation fault, which the
 * hypervisor answers by mapping a new page (page B) and retrying.
 *
 * With cpus >= 2 the unmap runs on core 1 (the hypervisor's other CPU,
 * like KVM's MMU notifier) while the guest's vCPU spins on core 0, so only
 * the broadcast (IS) forms reach the guest's TLBs; with cpus = 1 it runs in
 * the guest's HVC on core 0.
 *
 * Rules (Arm ARM D8.13 "TLB maintenance requirements", its section
 * "Invalidation of TLB entries from stage 2 translations", and the TLBI
 * descriptions): TLBI IPAS2E1(IS) invalidates stage-2-only entries for the
 * IPA, from any level of the walk, and "is not required to apply to caching
 * structures that combine stage 1 and stage 2 translation table entries",
 * so after it and the DSB that completes it a TLBI VMALLE1(IS) (or by VA
 * for the VAs that map the IPA) is also needed; this is KVM's
 * __kvm_tlb_flush_vmid_ipa. TLBI VMALLS12E1(IS) invalidates stage 1 and
 * stage 2 entries of the VMID from any level at once. A TLBI is complete
 * only at a following DSB, and only its IS form applies to the other PEs
 * of the Inner Shareable domain.
 *
 * Variants:
 *   full        TLBI IPAS2E1IS, DSB ISH, TLBI VMALLE1IS, DSB ISH: correct.
 *   vmalls12    TLBI VMALLS12E1IS, DSB ISH: correct, and it also drops
 *               every stage-2 walk-cache entry of the VMID.
 *   no-vmalle1  only IPAS2E1IS: the combined entries survive, the guest
 *               keeps reading page A (stale, caught by `stale`).
 *   no-ipas2    only VMALLE1IS: the stage-2 walk cache keeps the removed
 *               table descriptor and the guest's next walk goes through it
 *               (caught by `stale`; with unmap_level=3 the model cannot
 *               show it: its walk caches hold no leaf descriptors).
 *   local       IPAS2E1, DSB, VMALLE1, DSB without IS, from core 1: the
 *               guest's core keeps its entries (needs cpus >= 2).
 * Regions: "invalidate" (the TLBI/DSB sequence), "warm" (one pass over the
 * working set and the target, each round), "retouch" (the first touch of
 * the target after the unmap, with its fault), "rewarm" (the pass after:
 * the TLB and walk-cache refills the invalidation caused).
 * Metrics: correct (the guest faulted once and then read page B),
 * stage2_faults, tlbi_ops, pages. */
#include "fw.h"
#include "mmu.h"

#define UART_PA 0x09000000UL
#define RAM_PA 0x40000000UL
#define WS_PA 0x48000000UL
#define PAGE_A_PA 0x49000000UL
#define PAGE_B_PA 0x49001000UL
#define IPA_WS 0x80000000UL
#define IPA_TARGET 0xC0000000UL
#define SZ_4K 0x1000UL
#define SZ_2M (1UL << 21)
#define SZ_1G (1UL << 30)
#define MAX_PAGES 512
#define MAX_REGIONS 256 /* 2MB regions: a level-3 table each per stage, in the 4MB pool */

#define VAL_A 0xaaaa0000aaaa0000UL
#define VAL_B 0xbbbb0000bbbb0000UL

#define PSCI_CPU_OFF 0x84000002UL
#define PSCI_CPU_ON 0xC4000003UL
#define HVC_UNMAP 1

enum variant { FULL, VMALLS12, NO_VMALLE1, NO_IPAS2, LOCAL };

static struct mmu_tables el2t, s2, gt;
static enum variant variant;
static u64 pages, stride, rounds, cpus;
static unsigned unmap_level;
static volatile u64 *pte_unmapped; /* the stage-2 entry the unmap writes */
static u64 pte_saved;
static volatile u64 *pte_page; /* the target's level-3 entry */

/* Shared between the cores and with the guest (all cacheable, coherent). */
static volatile u64 hv_ready, hv_request, hv_done;
static volatile u64 faults, guest_got;

/* ---- the hypervisor --------------------------------------------------------- */

static void unmap_and_invalidate(void) {
  *pte_unmapped = 0;
  dsb(ish);
  const u64 ipa = TLBI_IPA(IPA_TARGET);
  hvsim_region_begin("invalidate");
  switch (variant) {
  case FULL:
    tlbi_va(ipas2e1is, ipa);
    dsb(ish);
    tlbi(vmalle1is);
    dsb(ish);
    break;
  case VMALLS12:
    tlbi(vmalls12e1is);
    dsb(ish);
    break;
  case NO_VMALLE1:
    tlbi_va(ipas2e1is, ipa);
    dsb(ish);
    break;
  case NO_IPAS2:
    tlbi(vmalle1is);
    dsb(ish);
    break;
  case LOCAL:
    tlbi_va(ipas2e1, ipa);
    dsb(nsh);
    tlbi(vmalle1);
    dsb(nsh);
    break;
  }
  isb();
  hvsim_region_end("invalidate");
  hvsim_metric_set("tlbi_ops", variant == FULL || variant == LOCAL ? 2 : 1);
}

/* A stage-2 Translation fault on the target: map page B there. No TLBI:
 * a descriptor that gives a Translation fault is never held in a TLB (Arm
 * ARM D8.10.1, as the walker models it), so there is nothing to remove. */
static void remap(void) {
  *pte_page = (PAGE_B_PA & PTE_OA_MASK) | S2_NORMAL | PTE_PAGE | PTE_VALID;
  if (unmap_level == 2) *pte_unmapped = pte_saved;
  dsb(ish);
}

static int hyp_handler(struct exc_frame *f) {
  if (f->el != 2 || f->vec != VEC_LOWER64) return 0;
  const u64 ec = ESR_EC(f->esr);
  if (ec == EC_HVC64 && (f->esr & 0xffff) == HVC_UNMAP && cpus == 1) {
    unmap_and_invalidate();
    return 1;
  }
  if (ec != EC_DABT_LOW) return 0;
  const u64 ipa = (read_sysreg(hpfar_el2) >> 4) << 12;
  if (ipa != IPA_TARGET || ISS_FSC(f->esr) != FSC_TRANS(unmap_level)) return 0;
  faults = faults + 1;
  hvsim_metric_add("stage2_faults", 1);
  remap();
  return 1; /* ELR_EL2 is the load: it runs again */
}

/* Core 1: the hypervisor's other CPU. Entered at EL2 with its MMU off. */
void secondary_main(u64 unused);
__asm__(".pushsection .text\n"
        ".global secondary_entry\n"
        "secondary_entry:\n"
        "  adrp x1, secondary_stack + 8192\n"
        "  add x1, x1, :lo12:secondary_stack + 8192\n"
        "  mov sp, x1\n"
        "  bl secondary_main\n"
        "1: wfe\n"
        "  b 1b\n"
        ".popsection\n");
extern char secondary_entry[];
u8 secondary_stack[8192] __attribute__((aligned(16)));

void secondary_main(u64 unused) {
  (void)unused;
  vectors_install(2);
  mmu_enable_el2(&el2t);
  /* TLBIs of the EL1&0 regime name the VMID of VTTBR_EL2. */
  write_sysreg(vtcr_el2, mmu_vtcr(&s2));
  write_sysreg(vttbr_el2, (u64)s2.root | (1UL << 48));
  isb();
  hv_ready = 1;
  dsb(ish);
  while (!hv_request) {
  }
  unmap_and_invalidate();
  hv_done = 1;
  dsb(ish);
  psci_smc(PSCI_CPU_OFF, 0, 0, 0);
}

/* ---- the guest -------------------------------------------------------------- */

static u64 touch(u64 va) { return *(volatile u64 *)va; }

static u64 pass(void) {
  u64 sum = 0;
  for (u64 i = 0; i < pages; i++) sum += touch(IPA_WS + i * stride);
  return sum + touch(IPA_TARGET);
}

static long guest(long unused) {
  (void)unused;
  mmu_enable_el1(&gt, 1);
  u64 sum = 0;
  for (u64 r = 0; r < rounds; r++) {
    hvsim_region_begin("warm");
    sum += pass();
    hvsim_region_end("warm");
  }
  if (cpus > 1) {
    hv_request = 1;
    dsb(ish);
    while (!hv_done) {
    }
  } else {
    __asm__ volatile("hvc %0" ::"i"(HVC_UNMAP) : "memory");
  }
  hvsim_region_begin("retouch");
  guest_got = touch(IPA_TARGET);
  hvsim_region_end("retouch");
  hvsim_region_begin("rewarm");
  sum += pass();
  hvsim_region_end("rewarm");
  return (long)sum;
}

static void build_tables(void) {
  mmu_init(&el2t, 12, 39, -1);
  mmu_map(&el2t, RAM_PA, RAM_PA, SZ_1G, 1, PTE_NORMAL);
  mmu_map(&el2t, UART_PA, UART_PA, SZ_2M, 2, PTE_DEVICE_EL2);

  mmu_init(&s2, 12, 32, 1);
  mmu_map(&s2, RAM_PA, RAM_PA, SZ_1G, 2, S2_NORMAL);
  mmu_map(&s2, UART_PA, UART_PA, SZ_2M, 2, S2_DEVICE);
  for (u64 i = 0; i < pages; i++) mmu_map(&s2, IPA_WS + i * stride, WS_PA + i * SZ_4K, SZ_4K, 3, S2_NORMAL);
  mmu_map(&s2, IPA_TARGET, PAGE_A_PA, SZ_4K, 3, S2_NORMAL);
  pte_page = mmu_pte(&s2, IPA_TARGET, 3);
  pte_unmapped = mmu_pte(&s2, IPA_TARGET, unmap_level);
  pte_saved = *pte_unmapped;

  mmu_init(&gt, 12, 39, -1);
  mmu_map(&gt, RAM_PA, RAM_PA, SZ_1G, 1, PTE_NORMAL);
  mmu_map(&gt, UART_PA, UART_PA, SZ_2M, 2, PTE_DEVICE);
  for (u64 i = 0; i < pages; i++) mmu_map(&gt, IPA_WS + i * stride, IPA_WS + i * stride, SZ_4K, 3, PTE_NORMAL);
  mmu_map(&gt, IPA_TARGET, IPA_TARGET, SZ_4K, 3, PTE_NORMAL);
  mmu_sync();
}

static const char *const names[] = {"full", "vmalls12", "no-vmalle1", "no-ipas2", "local"};

int main(void) {
  const char *v = fw_arg("variant");
  unsigned i = 0;
  while (i < sizeof names / sizeof names[0] && !fw_arg_is("variant", names[i])) i++;
  if (i == sizeof names / sizeof names[0]) {
    printf("s2unmap: unknown variant '%s'\n", v ? v : "");
    exit(2);
  }
  variant = (enum variant)i;
  cpus = fw_arg_u64("cpus", 1);
  pages = fw_arg_u64("pages", 32);
  stride = fw_arg_u64("stride_kb", 4) << 10;
  rounds = fw_arg_u64("rounds", 4);
  unmap_level = (unsigned)fw_arg_u64("unmap_level", 2);
  const u64 regions = pages ? ((pages - 1) * stride >> 21) + 1 : 0;
  if (!pages || pages > MAX_PAGES || !stride || stride % SZ_4K || regions > MAX_REGIONS || !rounds ||
      (unmap_level != 2 && unmap_level != 3)) {
    printf("s2unmap: bad arguments: pages=%lu (1-%d), stride_kb=%lu (a multiple of 4, the pages in at most %d "
           "2MB regions), rounds=%lu (> 0), unmap_level=%u (2 or 3)\n",
           pages, MAX_PAGES, stride >> 10, MAX_REGIONS, rounds, unmap_level);
    exit(2);
  }
  if (variant == LOCAL && cpus < 2) {
    printf("s2unmap: variant local needs cpus >= 2 (the unmap on another core)\n");
    exit(2);
  }

  build_tables();
  mmu_enable_el2(&el2t);
  for (u64 w = 0; w < 512; w++) {
    ((volatile u64 *)PAGE_A_PA)[w] = VAL_A;
    ((volatile u64 *)PAGE_B_PA)[w] = VAL_B;
  }
  for (u64 p = 0; p < pages; p++) *(volatile u64 *)(WS_PA + p * SZ_4K) = p;
  dsb(ish);
  stage2_enable(&s2, 1);
  exc_set_handler(hyp_handler);
  if (cpus > 1) {
    const long r = (long)psci_smc(PSCI_CPU_ON, 1, (u64)secondary_entry, 0);
    if (r != 0) {
      printf("s2unmap: PSCI CPU_ON(1) failed: %ld\n", r);
      exit(2);
    }
    while (!hv_ready) {
    }
  }
  hvsim_metric_set("pages", (s64)pages);
  run_at_el(1, guest, 0);
  const int ok = faults == 1 && guest_got == VAL_B;
  printf("s2unmap/%s: %lu stage-2 faults, the guest read page %s after the unmap\n", names[variant], faults,
         guest_got == VAL_B ? "B" : guest_got == VAL_A ? "A (stale)" : "?");
  hvsim_metric_set("correct", ok);
  exit(0);
}
