/* vhe: FEAT_VHE (ARMv8.1) at EL2. ID_AA64MMFR1_EL1.VH; HCR_EL2.E2H; with
 * E2H = 1 the EL1 register names (SCTLR_EL1, TCR_EL1, TTBR0/1_EL1,
 * MAIR_EL1, ESR_EL1, ELR_EL1, CNTKCTL_EL1, CNTV_*) access the EL2 registers
 * and the _EL12 and _EL02 names the EL1/EL0 ones; the EL2&0 translation regime
 * (TCR_EL2 in the TCR_EL1 layout, TTBR1_EL2 for a high VA, ASIDs in
 * TTBR0_EL2 with nG pages and TLBI VAE2 by ASID, AT S1E2R); a function run
 * at EL0 with HCR_EL2.{E2H,TGE} = {1,1}: its SVC and its trapped CNTPCT_EL0
 * read (CNTHCTL_EL2.EL0PCTEN, the CNTKCTL layout) are taken to EL2; the EL2
 * virtual timer (CNTHV_*, reached as CNTV_* at EL2), and CNTVCT_EL0 without
 * CNTVOFF_EL2 at EL2. QEMU runs it with -cpu cortex-a76 (cortex-a57 has no
 * VHE; HVSIM_FW_QEMU_CPU in CMakeLists.txt). Two QEMU 7.2 departures are
 * checked on hvsim only (check_quiet): SCTLR_EL12 with E2H = 0 is UNDEFINED
 * (EC 0; QEMU 7.2 performs the access), and TLBI VAE2IS by ASID in the EL2&0
 * regime removes the nG entry (QEMU keeps using the old page). Entered at
 * EL2. */
#include "fw.h"
#include "mmu.h"

#define UART_PA 0x09000000UL
#define RAM_PA 0x40000000UL
#define SZ_4K 0x1000UL
#define SZ_2M (1UL << 21)
#define SZ_1G (1UL << 30)

#define HCR_TGE (1UL << 27)
#define HCR_E2H (1UL << 34)

/* 39-bit VAs in both ranges (T0SZ = T1SZ = 25): the TTBR1 range starts at
 * 0xffffff8000000000. */
#define VA_HI 0xffffff8040000000UL /* 1GB block -> RAM (global) */
#define VA_NG 0x80000000UL         /* 4KB page, nG, ASID-tagged */
#define ASID 5UL

#define CTL_ENABLE 1UL
#define CTL_IMASK 2UL
#define CTL_ISTATUS 4UL

static volatile u64 page_a[512] __attribute__((aligned(4096)));
static volatile u64 page_b[512] __attribute__((aligned(4096)));
static volatile u64 cell;

/* TCR_EL1 layout (TCR_EL2 with E2H = 1): both ranges 39-bit 4KB, Inner
 * Shareable write-back walks, IPS 40 bits, 8-bit ASIDs from TTBR0. */
#define TCR_WALK0 ((1UL << 8) | (1UL << 10) | (3UL << 12))
#define TCR_WALK1 ((1UL << 24) | (1UL << 26) | (3UL << 28))
#define TCR_VHE (25UL | TCR_WALK0 | (25UL << 16) | TCR_WALK1 | (2UL << 30) | (2UL << 32))

/* ---- EL0 under {E2H,TGE} = {1,1} ------------------------------------------ */
static volatile u64 svc_esr, svc_el, svc_esr_el1_match, svc_elr_el1_match, trap_esr, trap_el;

static int el2_handler(struct exc_frame *f) {
  u64 ec = ESR_EC(f->esr);
  if (ec == EC_SVC64 && ESR_ISS(f->esr) == 1) {
    svc_esr = f->esr;
    svc_el = f->el;
    /* ESR_EL1/ELR_EL1 at EL2 with E2H = 1 are ESR_EL2/ELR_EL2. */
    svc_esr_el1_match = read_sysreg(esr_el1) == f->esr;
    svc_elr_el1_match = read_sysreg(elr_el1) == f->elr;
    f->x[0] = 42;
    return 1;
  }
  if (ec == EC_SYS64) {
    trap_esr = f->esr;
    trap_el = f->el;
    f->elr += 4;
    return 1;
  }
  return 0;
}

static long el0_fn(long arg) {
  register u64 x0 __asm__("x0") = (u64)arg;
  __asm__ volatile("svc #1" : "+r"(x0) : : "memory");
  (void)read_sysreg(cntpct_el0); /* trapped: CNTHCTL_EL2.EL0PCTEN = 0 */
  return (long)x0;
}

static void test_el0_tge(void) {
  printf("-- EL0 with {E2H,TGE} = {1,1}\n");
  write_sysreg(hcr_el2, HCR_RW | HCR_E2H | HCR_TGE);
  isb();
  write_sysreg(cntkctl_el1, 0); /* CNTHCTL_EL2: EL0PCTEN = EL0VCTEN = 0 */
  isb();
  exc_set_handler(el2_handler);
  long r = run_at_el(0, el0_fn, 7);
  exc_set_handler(0);
  check("el0 result", (u64)r, 42);
  check("svc taken to EL", svc_el, 2);
  check("svc ESR_EL2", svc_esr, ((u64)EC_SVC64 << 26) | ESR_IL | 1);
  check("ESR_EL1 reads ESR_EL2", svc_esr_el1_match, 1);
  check("ELR_EL1 reads ELR_EL2", svc_elr_el1_match, 1);
  check("cntpct trap taken to EL", trap_el, 2);
  check("cntpct trap EC", ESR_EC(trap_esr), EC_SYS64);
  check("cntpct trap ISS", ESR_ISS(trap_esr),
        (3UL << 20) | (1UL << 17) | (3UL << 14) | (14UL << 10) | (0UL << 1) | 1 | (ESR_ISS(trap_esr) & (31UL << 5)));
  write_sysreg(cntkctl_el1, 3);
  write_sysreg(hcr_el2, HCR_RW | HCR_E2H);
  isb();
}

/* ---- registers -------------------------------------------------------------- */
static void test_registers(void) {
  printf("-- redirection and aliases\n");
  const u64 s1 = read_sysreg(sctlr_el1), s2 = read_sysreg(sctlr_el2);
  write_sysreg(hcr_el2, HCR_RW | HCR_E2H);
  isb();
  check("HCR_EL2.E2H", (read_sysreg(hcr_el2) >> 34) & 1, 1);
  check("SCTLR_EL1 reads SCTLR_EL2", read_sysreg(sctlr_el1) == s2, 1);
  check("SCTLR_EL12 reads SCTLR_EL1", read_sysreg(S3_5_C1_C0_0) == s1, 1);
  /* SCTLR_EL1.UCI (bit 26) through SCTLR_EL12; SCTLR_EL2 unchanged. */
  write_sysreg(S3_5_C1_C0_0, s1 ^ (1UL << 26));
  isb();
  check("SCTLR_EL12 written", (read_sysreg(S3_5_C1_C0_0) ^ s1) >> 26 & 1, 1);
  check("SCTLR_EL2 unchanged", read_sysreg(sctlr_el1) == s2, 1);
  write_sysreg(S3_5_C12_C0_0, 0x12340800UL);
  check("VBAR_EL12", read_sysreg(S3_5_C12_C0_0), 0x12340800UL);
  check("VBAR_EL1 is VBAR_EL2", read_sysreg(vbar_el1) == (u64)fw_vectors, 1);
  write_sysreg(contextidr_el1, 0x77);
  write_sysreg(S3_5_C13_C0_1, 0x55);
  check("CONTEXTIDR_EL2", read_sysreg(S3_4_C13_C0_1), 0x77);
  check("CONTEXTIDR_EL12", read_sysreg(S3_5_C13_C0_1), 0x55);
  write_sysreg(hcr_el2, HCR_RW);
  isb();
  check("E2H=0: SCTLR_EL1 is SCTLR_EL1", (read_sysreg(sctlr_el1) ^ s1) >> 26 & 1, 1);
  check("E2H=0: VBAR_EL1", read_sysreg(vbar_el1), 0x12340800UL);
  check("E2H=0: CONTEXTIDR_EL1", read_sysreg(contextidr_el1), 0x55);
  write_sysreg(sctlr_el1, s1);
  write_sysreg(vbar_el1, fw_vectors);
  /* *_EL12 names are UNDEFINED with E2H = 0. */
  exc_rec_clear();
  exc_set_handler(exc_record_skip);
  (void)read_sysreg(S3_5_C1_C0_0);
  exc_set_handler(0);
  /* UNDEFINED: EC 0 at EL2 (QEMU 7.2 lets the access through, see the
   * header). */
  if (on_hvsim())
    check_quiet("E2H=0: SCTLR_EL12 undefined", exc_rec.count == 1 && exc_rec.el == 2 &&
                ESR_EC(exc_rec.esr) == EC_UNKNOWN, 1);
  write_sysreg(hcr_el2, HCR_RW | HCR_E2H);
  isb();
}

/* ---- the EL2&0 regime ---------------------------------------------------- */
static void test_el20_regime(void) {
  printf("-- EL2&0 regime\n");
  static struct mmu_tables t0, t1;
  mmu_init(&t0, 12, 39, -1);
  mmu_init(&t1, 12, 39, -1);
  /* EL2-only mappings (AP[1] = 0): RAM identity (nG: tagged with the
   * ASID), the UART, a nG test page; RAM again at VA_HI through TTBR1. */
  mmu_map(&t0, RAM_PA, RAM_PA, SZ_1G, 1, PTE_NORMAL | PTE_NG);
  mmu_map(&t0, UART_PA, UART_PA, SZ_2M, 2, PTE_DEVICE);
  mmu_map(&t0, VA_NG, (u64)page_a, SZ_4K, 3, PTE_NORMAL | PTE_NG | PTE_UXN | PTE_PXN);
  mmu_map(&t1, VA_HI, RAM_PA, SZ_1G, 1, PTE_NORMAL);
  page_a[0] = 0xaaaa;
  page_b[0] = 0xbbbb;
  mmu_sync();
  /* Programmed through the EL1 names: they are the EL2 registers. */
  write_sysreg(mair_el1, MAIR_VALUE);
  write_sysreg(tcr_el1, TCR_VHE);
  write_sysreg(ttbr0_el1, (u64)t0.root | (ASID << 48));
  write_sysreg(ttbr1_el1, (u64)t1.root);
  isb();
  check("TCR_EL2 (TCR_EL1 layout)", read_sysreg(tcr_el2), TCR_VHE);
  check("TTBR1_EL2", read_sysreg(S3_4_C2_C0_1) == (u64)t1.root, 1);
  tlbi(alle2);
  dsb(ish);
  isb();
  write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | SCTLR_M | SCTLR_C | SCTLR_I);
  isb();
  check("SCTLR_EL2.M", read_sysreg(sctlr_el2) & SCTLR_M, SCTLR_M);
  check("SCTLR_EL12.M", read_sysreg(S3_5_C1_C0_0) & SCTLR_M, 0);

  /* The high VA reaches the same RAM. */
  volatile u64 *hi = (volatile u64 *)(VA_HI + ((u64)&cell - RAM_PA));
  cell = 0x1234;
  check("read via TTBR1_EL2", *hi, 0x1234);
  *hi = 0x5678;
  check("write via TTBR1_EL2", cell, 0x5678);
  at(s1e2r, VA_HI + 0x1000);
  isb();
  check("AT S1E2R high VA", par_fields(read_sysreg(par_el1)), PAR_PA(RAM_PA + 0x1000));

  /* An ASID-tagged page: remapped, then TLBI VAE2 by ASID. */
  volatile u64 *ng = (volatile u64 *)VA_NG;
  check("nG page", ng[0], 0xaaaa);
  *mmu_pte(&t0, VA_NG, 3) = ((u64)page_b & PTE_OA_MASK) | PTE_NORMAL | PTE_NG | PTE_UXN | PTE_PXN |
                            PTE_VALID | PTE_PAGE;
  dsb(ishst);
  tlbi_va(vae2is, TLBI_VA(VA_NG, ASID));
  dsb(ish);
  isb();
  /* Architecturally the new page now (QEMU 7.2 still gives the old one,
   * see the header), then the same after TLBI ALLE2 on both. */
  if (on_hvsim()) check_quiet("nG page after TLBI VAE2IS (ASID)", ng[0], 0xbbbb);
  tlbi(alle2is);
  dsb(ish);
  isb();
  check("nG page after TLBI", ng[0], 0xbbbb);

  write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) & ~(SCTLR_M | SCTLR_C | SCTLR_I));
  isb();
  tlbi(alle2);
  dsb(ish);
  isb();
}

/* ---- counters and the EL2 virtual timer ---------------------------------- */
static void test_timers(void) {
  printf("-- counters and timers\n");
  write_sysreg(cntvoff_el2, 1UL << 40);
  isb();
  /* At EL2 with E2H = 1 the virtual count has no offset. */
  u64 p = read_sysreg(cntpct_el0);
  u64 v = read_sysreg(cntvct_el0);
  check("CNTVCT - CNTPCT small", v - p < (1UL << 32), 1);
  write_sysreg(hcr_el2, HCR_RW);
  isb();
  v = read_sysreg(cntvct_el0); /* first: CNTPCT - CNTVCT >= CNTVOFF */
  p = read_sysreg(cntpct_el0);
  check("E2H=0: CNTPCT - CNTVCT ~ CNTVOFF", (p - v) >> 32, (1UL << 40) >> 32);
  write_sysreg(hcr_el2, HCR_RW | HCR_E2H);
  isb();

  /* CNTV_* at EL2 is CNTHV_*: fires at once (CVAL 0), IMASK set. */
  write_sysreg(cntv_cval_el0, 0);
  write_sysreg(cntv_ctl_el0, CTL_ENABLE | CTL_IMASK);
  isb();
  check("CNTV_CTL (CNTHV) ISTATUS", read_sysreg(cntv_ctl_el0), CTL_ENABLE | CTL_IMASK | CTL_ISTATUS);
  check("CNTHV_CTL_EL2", read_sysreg(S3_4_C14_C3_1), CTL_ENABLE | CTL_IMASK | CTL_ISTATUS);
  check("CNTV_CTL_EL02 (EL1 virtual timer)", read_sysreg(S3_5_C14_C3_1) & CTL_ENABLE, 0);
  write_sysreg(S3_5_C14_C3_2, ~0UL); /* CNTV_CVAL_EL02: never */
  write_sysreg(S3_5_C14_C3_1, CTL_ENABLE | CTL_IMASK);
  isb();
  check("CNTV_CTL_EL02", read_sysreg(S3_5_C14_C3_1), CTL_ENABLE | CTL_IMASK);
  write_sysreg(cntv_ctl_el0, 0);
  write_sysreg(S3_5_C14_C3_1, 0);
  /* CNTP_* at EL2 is CNTHP_*. */
  write_sysreg(cntp_cval_el0, 0);
  write_sysreg(cntp_ctl_el0, CTL_ENABLE | CTL_IMASK);
  isb();
  check("CNTHP_CTL_EL2 via CNTP_CTL", read_sysreg(cnthp_ctl_el2), CTL_ENABLE | CTL_IMASK | CTL_ISTATUS);
  write_sysreg(cntp_ctl_el0, 0);
  write_sysreg(cntvoff_el2, 0);
  isb();
}

int main(void) {
  printf("vhe\n");
  check("ID_AA64MMFR1_EL1.VH", (read_sysreg(id_aa64mmfr1_el1) >> 8) & 0xf, 1);
  test_registers();
  test_el20_regime();
  test_el0_tge();
  test_timers();
  write_sysreg(hcr_el2, HCR_RW);
  isb();
  return test_done();
}
