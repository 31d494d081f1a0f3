/* Scenario emul (docs/scenarios.md): emulation re-execution.
 *
 * vCPU 0 of a guest (EL1, stage 1 on, under stage 2) loads a pair of
 * registers from a device page that stage 2 leaves unmapped: the Data Abort
 * to EL2 has no instruction syndrome (ISV = 0, Arm ARM D17.2.37: pairs and
 * writeback forms carry none), so the hypervisor fetches and decodes the
 * instruction itself. It translates the guest's PC with AT S12E1R, reads the
 * instruction word by PA (its EL2 tables map RAM at VA = PA, cacheable),
 * decodes LDP/STP (64-bit, any indexing) or LDR/STR (64-bit, pre/post-index),
 * computes the data address from the guest's registers and translates it
 * with AT S1E1R to the device's IPA.
 *
 * Emulation runs in two passes, as Xen's IOREQ path does: pass 1 decodes and
 * sends the access to the device model; vCPU 0 then waits and the
 * hypervisor runs vCPU 1 of the same guest on this core, which remaps the
 * VA of the data (target=data: the device page A -> B) or of the instruction
 * (target=insn: the code page A -> B, whose first instruction differs) in
 * the guest's stage-1 table with break-before-make (invalid descriptor, DSB,
 * TLBI VAE1IS, DSB, new descriptor, DSB, ISB), or (target=
 * rewrite) rewrites the instruction in place with page B's, with the
 * cross-modifying code sequence (DC CVAU, DSB, IC IVAU, DSB, ISB); the device
 * model completes the request (deferred completion on this core); vCPU 0 is
 * switched back in and pass 2 re-executes the emulation to complete it.
 * With cpus >= 2 (--smp 2), vCPU 1 runs on core 1 instead, released by the
 * hypervisor after pass 1, and its yield makes the hypervisor on core 1 run
 * the device model; vCPU 0 waits (WFE) on core 0 and pass 2 follows the
 * completion there.
 *
 * Variants (variant=):
 *   rewalk  pass 2 translates and decodes again: after the remap it computes
 *           another access than the one the device model completed, which
 *           the hypervisor performs as a new access (the guest receives the
 *           wrong device's registers, or a different instruction's result).
 *           Caught by the emulation checker: at pass 2's AT for data and
 *           insn, at its read of the instruction word for rewrite.
 *   buffer  pass 1 records its translations and reads (the instruction word,
 *           the PAs/IPAs) in an access-once buffer and pass 2 replays them,
 *           like x86 Xen's hvmemul cache: no translation in pass 2.
 * Arguments: iters (emulations), target (data | insn | rewrite), insn (ldp | ldr:
 * LDR post-index, a writeback load), remap (1; 0: vCPU 1 rewrites the
 * descriptor unchanged, with the same barriers and TLBI: the cost of the
 * variants without the race, where rewalk is not caught).
 * Regions: pass1, pass2 (the hypervisor's emulation passes), device (the
 * device model's completion), emulation (from the abort to the resume).
 * Metrics: correct (1 when every emulated load returned what pass 1's
 * access read), emulations, device_accesses, mismatched_completions (pass 2
 * computed another access than the completed one), pass2_translations
 * (ATs in pass 2), insn_reads (instruction words read by PA). */
#include "fw.h"
#include "mmu.h"

#define UART_PA 0x09000000UL
#define RAM_PA 0x40000000UL
#define SZ_4K 0x1000UL
#define SZ_2M (1UL << 21)
#define SZ_1G (1UL << 30)

#define IPA_DEV_A 0x80000000UL /* stage 2: unmapped, emulated */
#define IPA_DEV_B 0x80001000UL
#define VA_INSN 0x100000000UL /* guest stage 1: code page A or B */
#define VA_DATA 0x100001000UL /* guest stage 1: device page A or B */
#define ASID 1
#define VMID 1
#define HVC_YIELD 1

/* The code pages: the routine at +0 (insn=ldp) and at +0x100 (insn=ldr)
 * take x0 = a device VA and return a value made of what they loaded. Page B
 * differs from A in the first instruction of each routine only. */
extern char emul_code_a[], emul_code_b[];
#define ROUTINES(first_ldp, first_ldr)                                        \
  "\t" first_ldp "\n\teor x0, x2, x3, ror #32\n\tret\n"                         \
  ".balign 256\n\t" first_ldr "\n\teor x0, x2, x0, ror #32\n\tret\n"
__asm__(".pushsection .text.emul_code, \"ax\"\n.balign 4096\n.global emul_code_a\nemul_code_a:\n" ROUTINES(
    "ldp x2, x3, [x0]", "ldr x2, [x0], #8") ".balign 4096\n.global emul_code_b\nemul_code_b:\n" ROUTINES(
    "ldp x2, x3, [x0, #16]", "ldr x2, [x0, #24]!") ".balign 4096\n.popsection\n");

/* vCPU 1's work: the stage-1 descriptor at x0 takes the value x1, for a VA
 * whose TLBI operand is x2, then vCPU 1 yields to the hypervisor (and, in
 * two-core mode, returns to its loop). A change
 * of the output address of a writable mapping needs break-before-make (Arm
 * ARM, "Using break-before-make when updating translation table entries"):
 * an invalid descriptor, DSB (the write visible to the walkers), TLBI VAE1IS
 * and DSB (every PE's copies gone), and only then the new descriptor. */
extern char vcpu1_remap[];
__asm__(".text\n.global vcpu1_remap\nvcpu1_remap:\n\tstr xzr, [x0]\n\tdsb ishst\n\ttlbi vae1is, x2\n"
        "\tdsb ish\n\tstr x1, [x0]\n\tdsb ishst\n\tisb\n\thvc #1\n\tret\n");

/* vCPU 1 rewriting an instruction: the word x1 to x0 (identity mapped),
 * then the sequence that makes it visible to instruction fetch (Arm ARM
 * B2.2.5, concurrent modification and execution of instructions). */
extern char vcpu1_rewrite[];
__asm__(".text\n.global vcpu1_rewrite\nvcpu1_rewrite:\n\tstr w1, [x0]\n\tdc cvau, x0\n\tdsb ish\n"
        "\tic ivau, x0\n\tdsb ish\n\tisb\n\thvc #1\n\tret\n");

static struct mmu_tables hyp, s1, s2;
static u64 vcpu1_stack[512] __attribute__((aligned(16)));
enum { TARGET_DATA, TARGET_INSN, TARGET_REWRITE };
static int buffered, target, insn_ldr, remap = 1;
static u32 word_a, word_b; /* the first instruction of the routine in use, pages A and B */
static unsigned long iters;

/* Two-core mode (cpus >= 2): vCPU 1 runs on core 1, where the hypervisor
 * also runs the device model. vCPU 1 waits in a loop for `release` (guest
 * memory the hypervisor writes, so that its change falls between the
 * passes deterministically) and calls entry(x0, x1, x2). */
static int two_cores;
static volatile struct {
  u64 seq, entry, x0, x1, x2;
} release __attribute__((aligned(64)));
static volatile u32 core1_ready;
static u8 core1_stack[4096] __attribute__((aligned(16), used));

/* The device model's two register banks (hypervisor memory). */
static u64 dev_a[8], dev_b[8];

/* One outstanding request to the device model. */
static struct {
  u64 ipa;
  unsigned count, write;
  u64 data[2];
  volatile u32 done;
} ioreq;

/* A decoded access. */
struct access {
  u64 insn, va, ipa, wb_va;
  unsigned rt, rt2, rn, count, write, writeback;
};

/* The access-once buffer: pass 1's reads and translations, replayed by
 * pass 2. */
static struct {
  int valid;
  struct access a;
} abuf;

/* vCPU 0's saved context while vCPU 1 runs. */
static struct {
  u64 x[31], elr, spsr, sp_el1;
} vcpu0;
static u64 instance;
static u64 results_ok;

static u64 par_out(u64 par, u64 va) { return (par & PTE_OA_MASK) | (va & 0xfff); }

static u64 at_s12e1r(u64 va) {
  at(s12e1r, va);
  isb();
  return read_sysreg(par_el1);
}

static u64 at_s1e1r(u64 va) {
  at(s1e1r, va);
  isb();
  return read_sysreg(par_el1);
}

/* Register 31 is SP as a base register, XZR as a data register. */
static u64 base_reg(struct exc_frame *f, unsigned r) { return r == 31 ? read_sysreg(sp_el1) : f->x[r]; }
static u64 data_reg(struct exc_frame *f, unsigned r) { return r == 31 ? 0 : f->x[r]; }

/* What the metrics count, reported at the end (semihosting calls inside
 * the measured regions would add their own cost). */
static struct {
  u64 insn_reads, pass2_translations, device_accesses, mismatched;
} counts;

static void hyp_fail(const char *why) {
  printf("emul: FAIL %s\n", why);
  exit(1);
}

/* Decodes the instruction at the guest's PC and computes its access: AT
 * S12E1R of the PC, the word read by PA, AT S1E1R of the data address. */
static void decode(struct exc_frame *f, struct access *a, int pass) {
  const u64 par = at_s12e1r(f->elr);
  if (par & PAR_F) hyp_fail("the guest's PC does not translate");
  a->insn = *(volatile u32 *)par_out(par, f->elr);
  counts.insn_reads++;
  counts.pass2_translations += pass == 2;
  const u32 i = (u32)a->insn;
  a->rt = i & 31;
  a->rn = (i >> 5) & 31;
  u64 base = base_reg(f, a->rn);
  s64 off;
  unsigned mode;
  if ((i >> 30) == 2 && ((i >> 27) & 7) == 5 && !((i >> 26) & 1) && ((i >> 23) & 7) >= 1 &&
      ((i >> 23) & 7) <= 3) {
    /* LDP/STP (64-bit): mode 1 post-index, 2 signed offset, 3 pre-index. */
    mode = (i >> 23) & 7;
    off = (s64)((s32)(i << 10) >> 25) * 8;
    a->rt2 = (i >> 10) & 31;
    a->count = 2;
    a->write = !((i >> 22) & 1);
    a->writeback = mode != 2;
  } else if ((i & 0xffa00400) == 0xf8000400) {
    /* LDR/STR (64-bit, immediate, post-index [11:10] = 01, pre-index 11). */
    mode = ((i >> 11) & 1) ? 3 : 1;
    off = (s64)((s32)(i << 11) >> 23);
    a->rt2 = 31;
    a->count = 1;
    a->write = !((i >> 22) & 1);
    a->writeback = 1;
  } else {
    hyp_fail("an instruction this hypervisor does not emulate");
    return;
  }
  a->va = mode == 1 ? base : base + (u64)off;
  a->wb_va = base + (u64)off;
  if ((a->va & 0xfff) + 8 * a->count > SZ_4K) hyp_fail("an access that crosses a page");
  const u64 dpar = at_s1e1r(a->va);
  counts.pass2_translations += pass == 2;
  if (dpar & PAR_F) hyp_fail("the data address does not translate");
  a->ipa = par_out(dpar, a->va);
}

static u64 *bank(u64 ipa) {
  if ((ipa & ~0xfffUL) == IPA_DEV_A && (ipa & 0xfff) < sizeof dev_a) return dev_a;
  if ((ipa & ~0xfffUL) == IPA_DEV_B && (ipa & 0xfff) < sizeof dev_b) return dev_b;
  hyp_fail("an access outside the emulated devices");
  return 0;
}

/* The device: one access of `count` registers at `ipa`. */
static void device_access(u64 ipa, unsigned count, int write, u64 *data) {
  u64 *b = bank(ipa);
  for (unsigned k = 0; k < count; k++) {
    const unsigned r = (unsigned)(((ipa & 0xfff) >> 3) + k) % 8;
    if (write) b[r] = data[k];
    else data[k] = b[r];
  }
  counts.device_accesses++;
}

static void switch_to_vcpu1(struct exc_frame *f, char *entry, u64 x0, u64 x1, u64 x2) {
  for (unsigned r = 0; r < 31; r++) vcpu0.x[r] = f->x[r];
  vcpu0.elr = f->elr;
  vcpu0.spsr = f->spsr;
  vcpu0.sp_el1 = read_sysreg(sp_el1);
  write_sysreg(sp_el1, &vcpu1_stack[512]);
  f->x[0] = x0;
  f->x[1] = x1;
  f->x[2] = x2;
  f->elr = (u64)entry;
  f->spsr = PSR_DAIF | PSR_M_EL1h;
}

static void switch_to_vcpu0(struct exc_frame *f) {
  for (unsigned r = 0; r < 31; r++) f->x[r] = vcpu0.x[r];
  f->elr = vcpu0.elr;
  f->spsr = vcpu0.spsr;
  write_sysreg(sp_el1, vcpu0.sp_el1);
}

/* The guest's stage-1 descriptors of VA_INSN and VA_DATA, which vCPU 1
 * writes; the hypervisor tracks which page each maps. */
static u64 *pte_insn, *pte_data;
static int insn_on_b, data_on_b;

static u64 insn_desc(int b) { return (b ? (u64)emul_code_b : (u64)emul_code_a) | PTE_NORMAL | PTE_PAGE | PTE_VALID; }
static u64 data_desc(int b) { return (b ? IPA_DEV_B : IPA_DEV_A) | PTE_DEVICE | PTE_PAGE | PTE_VALID; }

/* Switches to vCPU 1 for its change: a descriptor and its new value, or
 * the instruction in place. */
static void run_vcpu1(struct exc_frame *f) {
  char *entry = vcpu1_remap;
  u64 x0, x1, x2 = 0;
  if (target == TARGET_REWRITE) {
    insn_on_b ^= remap;
    entry = vcpu1_rewrite;
    x0 = (u64)emul_code_a + (insn_ldr ? 0x100 : 0);
    x1 = insn_on_b ? word_b : word_a;
  } else if (target == TARGET_INSN) {
    insn_on_b ^= remap;
    x0 = (u64)pte_insn;
    x1 = insn_desc(insn_on_b);
    x2 = TLBI_VA(VA_INSN, ASID);
  } else {
    data_on_b ^= remap;
    x0 = (u64)pte_data;
    x1 = data_desc(data_on_b);
    x2 = TLBI_VA(VA_DATA, ASID);
  }
  if (!two_cores) {
    switch_to_vcpu1(f, entry, x0, x1, x2);
    return;
  }
  release.entry = (u64)entry;
  release.x0 = x0;
  release.x1 = x1;
  release.x2 = x2;
  __asm__ volatile("dsb ish" ::: "memory");
  release.seq++;
  __asm__ volatile("dsb ish\n\tsev" ::: "memory");
}

static void pass2(struct exc_frame *f);

/* Pass 1: decode, send the request, then run vCPU 1. */
static void pass1(struct exc_frame *f) {
  hvsim_region_begin("emulation");
  hvsim_region_begin("pass1");
  hvsim_emulation_pass(++instance, 1);
  struct access a;
  decode(f, &a, 1);
  if (buffered) {
    abuf.a = a;
    abuf.valid = 1;
  }
  ioreq.done = 0;
  ioreq.ipa = a.ipa;
  ioreq.count = a.count;
  ioreq.write = a.write;
  for (unsigned k = 0; k < a.count; k++) ioreq.data[k] = a.write ? data_reg(f, k ? a.rt2 : a.rt) : 0;
  hvsim_emulation_pass(instance, 0);
  hvsim_region_end("pass1");
  run_vcpu1(f);
  if (two_cores) {
    /* vCPU 0 waits on this core for the device model on core 1. */
    while (!ioreq.done) __asm__ volatile("wfe" ::: "memory");
    pass2(f);
  }
}

/* Pass 2: complete the access the device model finished. */
static void pass2(struct exc_frame *f) {
  hvsim_region_begin("pass2");
  hvsim_emulation_pass(instance, 2);
  struct access a;
  if (buffered && abuf.valid) {
    a = abuf.a;
    abuf.valid = 0;
  } else {
    decode(f, &a, 2);
  }
  u64 data[2] = {ioreq.data[0], ioreq.data[1]};
  if (a.ipa != ioreq.ipa || a.count != ioreq.count || a.write != ioreq.write) {
    /* Not the access the device model completed: performed anew. */
    counts.mismatched++;
    for (unsigned k = 0; k < a.count; k++) data[k] = a.write ? data_reg(f, k ? a.rt2 : a.rt) : 0;
    device_access(a.ipa, a.count, (int)a.write, data);
  }
  if (!a.write) {
    if (a.rt != 31) f->x[a.rt] = data[0];
    if (a.count == 2 && a.rt2 != 31) f->x[a.rt2] = data[1];
  }
  if (a.writeback) {
    if (a.rn == 31) write_sysreg(sp_el1, a.wb_va);
    else f->x[a.rn] = a.wb_va;
  }
  f->elr += 4;
  hvsim_emulation_pass(instance, 0);
  hvsim_region_end("pass2");
  hvsim_region_end("emulation");
}

static int hyp_handler(struct exc_frame *f) {
  if (f->el != 2 || f->vec != VEC_LOWER64) return 0;
  const u64 ec = ESR_EC(f->esr);
  if (ec == EC_DABT_LOW && !(f->esr & ISS_ISV) && ISS_FSC(f->esr) == FSC_TRANS(3) && !(f->esr & ISS_S1PTW)) {
    pass1(f);
    return 1;
  }
  if (ec == EC_HVC64 && (f->esr & 0xffff) == HVC_YIELD) {
    hvsim_region_begin("device");
    device_access(ioreq.ipa, ioreq.count, (int)ioreq.write, ioreq.data);
    hvsim_region_end("device");
    if (two_cores) {
      __asm__ volatile("dsb ish" ::: "memory");
      ioreq.done = 1;
      __asm__ volatile("dsb ish\n\tsev" ::: "memory");
      return 1; /* back to vCPU 1's loop */
    }
    switch_to_vcpu0(f);
    pass2(f);
    return 1;
  }
  return 0;
}

/* ---- the guest ------------------------------------------------------------- */

static long guest_enable(long unused) {
  (void)unused;
  mmu_enable_el1(&s1, ASID);
  return 0;
}

static long guest_access(long offset) {
  return (long)((u64(*)(u64))(VA_INSN + (u64)offset))(VA_DATA);
}

static u64 ror32(u64 v) { return (v >> 32) | (v << 32); }

/* ---- two-core mode: core 1 ---------------------------------------------------- */

#define PSCI_CPU_ON 0xC4000003UL
#define HCR_RW (1UL << 31)
#define SCTLR_EL1_RES1 0x30d00800UL

/* vCPU 1 at EL1 on core 1: runs what the hypervisor releases. */
static void vcpu1_loop(void) {
  u64 seen = 0;
  for (;;) {
    while (release.seq == seen) __asm__ volatile("wfe" ::: "memory");
    seen = release.seq;
    ((void (*)(u64, u64, u64))release.entry)(release.x0, release.x1, release.x2);
  }
}

/* Core 1 at EL2 (CPU_ON, MMU off): the hypervisor's state as on core 0,
 * vCPU 1's EL1 context (the guest's stage 1), then vCPU 1. */
void core1_main(void);
void core1_main(void) {
  write_sysreg(hcr_el2, HCR_RW);
  write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
  vectors_install(2);
  mmu_enable_el2(&hyp);
  stage2_enable(&s2, VMID);
  mmu_enable_el1(&s1, ASID);
  core1_ready = 1;
  __asm__ volatile("dsb ish\n\tsev" ::: "memory");
  write_sysreg(sp_el1, &vcpu1_stack[512]);
  write_sysreg(elr_el2, vcpu1_loop);
  write_sysreg(spsr_el2, PSR_DAIF | PSR_M_EL1h);
  __asm__ volatile("eret" ::: "memory");
}
__asm__(".text\n.global core1_entry\ncore1_entry:\n\tadrp x1, core1_stack\n\tadd x1, x1, :lo12:core1_stack\n"
        "\tadd sp, x1, #4096\n\tbl core1_main\n1:\twfe\n\tb 1b\n");
extern char core1_entry[];

static void start_core1(void) {
  register u64 x0 __asm__("x0") = PSCI_CPU_ON;
  register u64 x1 __asm__("x1") = 1; /* MPIDR Aff0 = 1 */
  register u64 x2 __asm__("x2") = (u64)core1_entry;
  register u64 x3 __asm__("x3") = 0;
  __asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
  if (x0) hyp_fail("PSCI CPU_ON of core 1 failed");
  while (!core1_ready) __asm__ volatile("wfe" ::: "memory");
}

/* What the routine returns when its access is the one pass 1 computed. */
static u64 expected(void) {
  const u64 *b = data_on_b ? dev_b : dev_a;
  const int code_b = insn_on_b;
  if (!insn_ldr) return code_b ? b[2] ^ ror32(b[3]) : b[0] ^ ror32(b[1]);
  return code_b ? b[3] ^ ror32(VA_DATA + 24) : b[0] ^ ror32(VA_DATA + 8);
}

int main(void) {
  vectors_install(2);
  vectors_install(1);
  const char *variant = fw_arg("variant");
  if (fw_arg_is("variant", "buffer")) buffered = 1;
  else if (!fw_arg_is("variant", "rewalk")) {
    printf("emul: unknown variant '%s'\n", variant ? variant : "");
    exit(2);
  }
  const char *t = fw_arg("target");
  if (fw_arg_is("target", "insn")) target = TARGET_INSN;
  else if (fw_arg_is("target", "rewrite")) target = TARGET_REWRITE;
  else if (t && !fw_arg_is("target", "data")) {
    printf("emul: unknown target '%s' (data, insn, rewrite)\n", t);
    exit(2);
  }
  const char *in = fw_arg("insn");
  if (fw_arg_is("insn", "ldr")) insn_ldr = 1;
  else if (in && !fw_arg_is("insn", "ldp")) {
    printf("emul: unknown insn '%s' (ldp, ldr)\n", in);
    exit(2);
  }
  iters = fw_arg_u64("iters", 16);
  two_cores = fw_arg_u64("cpus", 1) >= 2;
  word_a = *(volatile u32 *)(emul_code_a + (insn_ldr ? 0x100 : 0));
  word_b = *(volatile u32 *)(emul_code_b + (insn_ldr ? 0x100 : 0));
  remap = fw_arg_u64("remap", 1) != 0;
  for (unsigned r = 0; r < 8; r++) {
    dev_a[r] = mix64(0xa, r);
    dev_b[r] = mix64(0xb, r);
  }

  /* The hypervisor's own EL2 tables: RAM cacheable, as a real hypervisor
   * runs (with its MMU off every access of its frames and buffers would go
   * to DRAM and dwarf what the variants differ in). */
  mmu_init(&hyp, 12, 39, -1);
  mmu_map(&hyp, RAM_PA, RAM_PA, SZ_1G, 1, PTE_NORMAL);
  mmu_map(&hyp, UART_PA, UART_PA, SZ_2M, 2, PTE_DEVICE_EL2);
  mmu_init(&s2, 12, 32, 1);
  mmu_map(&s2, RAM_PA, RAM_PA, SZ_1G, 2, S2_NORMAL);
  mmu_map(&s2, UART_PA, UART_PA, SZ_2M, 2, S2_DEVICE);
  mmu_map(&s2, IPA_DEV_A, 0, 2 * SZ_4K, 3, 0);
  mmu_init(&s1, 12, 39, -1);
  mmu_map(&s1, RAM_PA, RAM_PA, SZ_1G, 1, PTE_NORMAL);
  mmu_map(&s1, UART_PA, UART_PA, SZ_2M, 2, PTE_DEVICE);
  mmu_map(&s1, VA_INSN, (u64)emul_code_a, SZ_4K, 3, PTE_NORMAL);
  mmu_map(&s1, VA_DATA, IPA_DEV_A, SZ_4K, 3, PTE_DEVICE);
  pte_insn = mmu_pte(&s1, VA_INSN, 3);
  pte_data = mmu_pte(&s1, VA_DATA, 3);
  mmu_sync();
  mmu_enable_el2(&hyp);
  exc_set_handler(hyp_handler);
  stage2_enable(&s2, VMID);
  run_at_el(1, guest_enable, 0);
  if (two_cores) start_core1();

  hvsim_region_begin("guest");
  for (unsigned long k = 0; k < iters; k++) {
    const u64 want = expected();
    const u64 got = (u64)run_at_el(1, guest_access, insn_ldr ? 0x100 : 0);
    results_ok += got == want;
  }
  hvsim_region_end("guest");
  printf("emul/%s target=%s insn=%s: %lu of %lu emulated loads returned pass 1's access\n",
         buffered ? "buffer" : "rewalk",
         target == TARGET_REWRITE ? "rewrite" : target == TARGET_INSN ? "insn" : "data",
         insn_ldr ? "ldr" : "ldp", (unsigned long)results_ok, iters);
  hvsim_metric_set("correct", results_ok == iters);
  hvsim_metric_set("emulations", (s64)iters);
  hvsim_metric_set("insn_reads", (s64)counts.insn_reads);
  hvsim_metric_set("pass2_translations", (s64)counts.pass2_translations);
  hvsim_metric_set("device_accesses", (s64)counts.device_accesses);
  hvsim_metric_set("mismatched_completions", (s64)counts.mismatched);
  exit(0);
}
