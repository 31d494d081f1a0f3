/* Scenario setway (docs/scenarios.md): set/way maintenance under
 * virtualization.
 *
 * The guest, at EL1, runs `bursts` rounds of what firmware does around a
 * cache power-down: MMU and caches on, fill a buffer, clean and invalidate
 * every data or unified cache level CLIDR_EL1 reports by set/way (the Arm
 * ARM's "clean the whole cache" loop, D7.4.8), MMU and caches off, read the
 * buffer back. Set/way operations reach only the caches CLIDR_EL1
 * describes, never a system cache (Arm ARM D7.4.8: they are not for
 * maintaining coherency with other agents), so the data the guest wrote is
 * still dirty in the SLC and memory is stale unless the hypervisor cleans
 * the guest's memory by VA.
 *
 * The guest's RAM is the window [GUEST_RAM_PA, + guest_kb KiB); its buffer
 * (`words` 64-bit words) is at the window's start. A whole-guest clean is
 * DC CIVAC over the window (KVM's stage2_flush_vm over the memslots). The
 * hypervisor runs with its MMU and caches on, as KVM's does, so a trap
 * costs what it would there; what it shares with the guest, which starts
 * with its caches off, it cleans to the PoC first.
 *
 * Variants (the command line's variant=):
 *   notrap  the hypervisor leaves set/way alone: stale data, and the
 *           coherency checker reports the clean that stopped at the SLC.
 *   tsw     HCR_EL2.TSW traps every set/way operation and the hypervisor
 *           cleans the whole guest on each one.
 *   kvm     KVM/arm64's policy (arch/arm64/kvm/mmu.c, kvm_set_way_flush and
 *           kvm_toggle_cache): TSW is always set (HCR_GUEST_FLAGS); a
 *           trapped set/way operation cleans the whole guest only when
 *           HCR_EL2.TVM is clear, and sets TVM. With TVM set, the guest's
 *           writes to the virtual-memory control registers trap; a write to
 *           SCTLR_EL1 that changes "caches enabled" (M and C both set)
 *           cleans the whole guest, and one that leaves them enabled clears
 *           TVM again.
 * Regions: "maintenance" (the hypervisor's set/way and TVM trap handling),
 * "guest_flush" (each whole-guest clean, inside "maintenance"), "guest".
 * Metrics: correct (1 when every burst read its data back), setway_traps,
 * sctlr_traps, vm_traps (the other TVM-trapped writes), guest_flushes,
 * lines_cleaned, bursts. */
#include "fw.h"
#include "mmu.h"

#define UART_PA 0x09000000UL
#define RAM_PA 0x40000000UL
#define GUEST_RAM_PA 0x48000000UL
#define GUEST_RAM_MAX (64UL << 20)
#define SZ_2M (1UL << 21)
#define SZ_1G (1UL << 30)

#define HCR_TVM (1UL << 26)
#define HCR_TSW (1UL << 22)

enum policy { NOTRAP, TSW, KVM };
static const char *const policy_names[] = {"notrap", "tsw", "kvm"};

/* What the guest reads, cleaned to the PoC before it runs. */
static struct {
  struct mmu_tables tables;
  u64 words, bursts;
} g;
static struct mmu_tables el2_tables;
static enum policy policy;
static u64 guest_bytes, line_bytes;
static volatile u64 *const buf = (volatile u64 *)GUEST_RAM_PA;

static u64 pattern(u64 burst, u64 i) { return mix64(0x5e7 + burst, i) | 1; }

/* Returns the number of words read back correctly. */
static long guest(long unused) {
  (void)unused;
  const u64 words = g.words, bursts = g.bursts;
  u64 ok = 0;
  for (u64 b = 0; b < bursts; b++) {
    mmu_enable_el1(&g.tables, 1);
    for (u64 i = 0; i < words; i++) buf[i] = pattern(b, i);
    dcache_cisw_all();
    mmu_disable_el1_keeping_stack();
    for (u64 i = 0; i < words; i++) ok += buf[i] == pattern(b, i);
  }
  return (long)ok;
}

/* ---- the hypervisor (EL2, MMU on, identity mapped: VA = PA) -------------- */

static void guest_flush(void) {
  hvsim_region_begin("guest_flush");
  dcache_civac((void *)GUEST_RAM_PA, guest_bytes);
  hvsim_metric_add("guest_flushes", 1);
  hvsim_metric_add("lines_cleaned", (s64)(guest_bytes / line_bytes));
  hvsim_region_end("guest_flush");
}

/* KVM's vcpu_has_cache_enabled(): SCTLR_EL1.M and .C both set. */
static int caches_enabled(u64 sctlr) { return (sctlr & (SCTLR_M | SCTLR_C)) == (SCTLR_M | SCTLR_C); }

/* The register a trapped MSR/MRS names (ESR_EL2 ISS for EC 0x18: Op0
 * [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1],
 * direction [0], 1 = read) as one number Op0:Op1:CRn:CRm:Op2. */
#define SYSREG(op0, op1, crn, crm, op2) ((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2))
static unsigned iss_sysreg(u64 iss) {
  return (unsigned)(((iss >> 20) & 3) << 14 | ((iss >> 14) & 7) << 11 | ((iss >> 10) & 0xf) << 7 |
                    ((iss >> 1) & 0xf) << 3 | ((iss >> 17) & 7));
}

/* A write the guest made with HCR_EL2.TVM set (the Arm ARM's HCR_EL2.TVM
 * lists the EL1 virtual-memory control registers it traps), performed on
 * its behalf. */
static int emulate_vm_write(unsigned reg, u64 v) {
  switch (reg) {
  case SYSREG(3, 0, 1, 0, 0): write_sysreg(sctlr_el1, v); break;
  case SYSREG(3, 0, 2, 0, 0): write_sysreg(ttbr0_el1, v); break;
  case SYSREG(3, 0, 2, 0, 1): write_sysreg(ttbr1_el1, v); break;
  case SYSREG(3, 0, 2, 0, 2): write_sysreg(tcr_el1, v); break;
  case SYSREG(3, 0, 5, 1, 0): write_sysreg(afsr0_el1, v); break;
  case SYSREG(3, 0, 5, 1, 1): write_sysreg(afsr1_el1, v); break;
  case SYSREG(3, 0, 5, 2, 0): write_sysreg(esr_el1, v); break;
  case SYSREG(3, 0, 6, 0, 0): write_sysreg(far_el1, v); break;
  case SYSREG(3, 0, 10, 2, 0): write_sysreg(mair_el1, v); break;
  case SYSREG(3, 0, 10, 3, 0): write_sysreg(amair_el1, v); break;
  case SYSREG(3, 0, 13, 0, 1): write_sysreg(contextidr_el1, v); break;
  default: return 0;
  }
  return 1;
}

static void kvm_set_way(void) {
  const u64 hcr = read_sysreg(hcr_el2);
  if (hcr & HCR_TVM) return;
  guest_flush();
  write_sysreg(hcr_el2, hcr | HCR_TVM);
}

static void kvm_sctlr_written(int was_enabled) {
  const int now = caches_enabled(read_sysreg(sctlr_el1));
  if (now != was_enabled) guest_flush();
  if (now) write_sysreg(hcr_el2, read_sysreg(hcr_el2) & ~HCR_TVM);
}

static int hyp_handler(struct exc_frame *f) {
  if (f->el != 2 || ESR_EC(f->esr) != EC_SYS64) return 0;
  const u64 iss = ESR_ISS(f->esr);
  const unsigned reg = iss_sysreg(iss), rt = (iss >> 5) & 31;
  const int is_read = iss & 1;
  const u64 v = rt == 31 ? 0 : f->x[rt];
  if (((iss >> 20) & 3) == 1 && ((iss >> 10) & 0xf) == 7) { /* DC xSW: Op0 1, CRn 7 */
    hvsim_region_begin("maintenance");
    hvsim_metric_add("setway_traps", 1);
    if (policy == KVM) kvm_set_way();
    else guest_flush();
    hvsim_region_end("maintenance");
  } else if (policy == KVM && !is_read && reg == SYSREG(3, 0, 1, 0, 0)) {
    hvsim_region_begin("maintenance");
    hvsim_metric_add("sctlr_traps", 1);
    const int was = caches_enabled(read_sysreg(sctlr_el1));
    emulate_vm_write(reg, v);
    kvm_sctlr_written(was);
    hvsim_region_end("maintenance");
  } else if (policy == KVM && !is_read && emulate_vm_write(reg, v)) {
    hvsim_metric_add("vm_traps", 1);
  } else {
    return 0;
  }
  f->elr += 4;
  return 1;
}

int main(void) {
  const char *variant = fw_arg("variant");
  if (fw_arg_is("variant", "notrap")) policy = NOTRAP;
  else if (fw_arg_is("variant", "tsw")) policy = TSW;
  else if (fw_arg_is("variant", "kvm")) policy = KVM;
  else {
    printf("setway: unknown variant '%s'\n", variant ? variant : "");
    exit(2);
  }
  line_bytes = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xF);
  const u64 words = fw_arg_u64("words", 1024), bursts = fw_arg_u64("bursts", 3);
  guest_bytes = fw_arg_u64("guest_kb", 64) << 10;
  if (!words || words * 8 > guest_bytes || guest_bytes > GUEST_RAM_MAX || !bursts) {
    printf("setway: bad arguments: words=%lu must fit guest_kb=%lu (at most %lu), bursts=%lu must be > 0\n",
           words, guest_bytes >> 10, GUEST_RAM_MAX >> 10, bursts);
    exit(2);
  }
  g.words = words;
  g.bursts = bursts;

  vectors_install(2);
  vectors_install(1);
  mmu_init(&el2_tables, 12, 39, -1);
  mmu_map(&el2_tables, RAM_PA, RAM_PA, SZ_1G, 1, PTE_NORMAL);
  mmu_map(&el2_tables, UART_PA, UART_PA, SZ_2M, 2, PTE_DEVICE_EL2);
  mmu_init(&g.tables, 12, 39, -1);
  mmu_map(&g.tables, RAM_PA, RAM_PA, SZ_1G, 1, PTE_NORMAL);
  mmu_map(&g.tables, UART_PA, UART_PA, SZ_2M, 2, PTE_DEVICE);
  mmu_sync();
  mmu_enable_el2(&el2_tables);
  dcache_civac(&g, sizeof g);
  dcache_civac((void *)GUEST_RAM_PA, guest_bytes);

  if (policy != NOTRAP) {
    exc_set_handler(hyp_handler);
    write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_TSW);
    isb();
  }
  hvsim_metric_set("bursts", (s64)bursts);
  hvsim_region_begin("guest");
  const u64 words_ok = (u64)run_at_el(1, guest, 0);
  hvsim_region_end("guest");
  printf("setway/%s: %lu of %lu words read back over %lu bursts\n", policy_names[policy], words_ok, words * bursts,
         bursts);
  hvsim_metric_set("correct", words_ok == words * bursts);
  exit(0);
}
