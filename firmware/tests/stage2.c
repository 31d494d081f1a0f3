/* stage2: a small EL2 hypervisor runs an EL1 guest under stage 2
 * (HCR_EL2.VM = 1, RW = 1; VTCR_EL2 4KB granule; VTTBR_EL2 with a VMID).
 * The guest's IPA space is RAM and the UART identity mapped, plus test
 * pages at IPA 0x80000000:
 *
 *   +0x0000 MMIO: unmapped, emulated by the hypervisor (a 64-byte device)
 *   +0x1000 page R, S2AP read-only        +0x4000 page R, S2AP no access
 *   +0x2000 unmapped (the guest puts a    +0x5000 code page, stage-2 XN
 *           stage-1 table here)           +0x6000 code page
 *   +0x3000 page W1 (remapped by the TLB case)
 *   +0x7000 page R without AF              +2MB    invalid level-2 entry
 *
 * Checks:
 * - MMIO emulation: single-register loads and stores from the guest to the
 *   unmapped page take a Data Abort to EL2 (EC 0x24, DFSC Translation level
 *   3) with ISV = 1 and SAS/SSE/SRT/SF/AR/WnR describing the access,
 *   HPFAR_EL2 = IPA[47:12] << 4 and FAR_EL2 = VA; the hypervisor performs
 *   the access on its device (writing the guest register for a load, with
 *   sign extension and SF), skips the instruction and resumes the guest,
 *   which sees the loaded values and reads back the stored ones. Accesses
 *   that carry no instruction syndrome: writeback (pre/post-index), pairs,
 *   exclusives, SIMD&FP registers (ISV = 0, ISS[23:14] RES0).
 * - Stage-2 Access flag fault and level-2 Translation fault (ISV = 1,
 *   HPFAR_EL2); Permission faults (S2AP read-only store, no-access load), and
 *   an instruction fetch from a stage-2 XN page and from the unmapped page
 *   (EC 0x20). HPFAR_EL2 is UNKNOWN for Permission faults not on a stage-1
 *   walk, so it is not compared there.
 * - Guest stage 1 on with a stage-1 table at an IPA stage 2 does not map:
 *   loads, stores and fetches through it fault with S1PTW = 1 (ISV = 0),
 *   HPFAR_EL2 = the table's IPA, FAR_EL2 = VA; AT S1E1R/W on it is reported
 *   as a Data Abort with CM = 1 and WnR = 1; a stage-1 table in a stage-2
 *   no-access page gives a Permission fault with S1PTW = 1 (HPFAR valid).
 *   The fault level is that of the stage-2 walk. QEMU 7.2 reports the level
 *   of the stage-1 lookup instead, so the cases where the two differ print
 *   the syndrome without the level and check it on hvsim only.
 * - Stage-2 TLB maintenance: after a stage-2 descriptor changes, TLBI
 *   IPAS2E1IS + TLBI VMALLE1IS (DSB, ISB) give the new mapping (printed);
 *   before, and after IPAS2E1IS alone (which leaves combined stage 1+2
 *   entries), hvsim must still give the old one (checked silently, see
 *   mmu_tlbi.c). VMIDs: another VMID with other tables sees its mapping,
 *   and the first VMID's mapping is still there when switching back.
 * - Start levels and concatenated start tables: a 32-bit IPA space from
 *   level 1 (4 entries), a 40-bit one from level 1 (2 concatenated tables)
 *   and a 32-bit one from level 2 (4 concatenated tables), each with RAM,
 *   MMIO emulation and an IPA beyond the range (Translation fault level 0).
 * Entered at EL2. */
#include "fw.h"
#include "mmu.h"

#define UART_PA 0x09000000UL
#define RAM_PA 0x40000000UL
#define SZ_4K 0x1000UL
#define SZ_2M (1UL << 21)
#define SZ_1G (1UL << 30)

#define IPA_TEST 0x80000000UL
#define IPA_MMIO (IPA_TEST + 0x0000)
#define IPA_RO (IPA_TEST + 0x1000)
#define IPA_NOTABLE (IPA_TEST + 0x2000)
#define IPA_W (IPA_TEST + 0x3000)
#define IPA_NOACCESS (IPA_TEST + 0x4000)
#define IPA_XN (IPA_TEST + 0x5000)
#define IPA_CODE (IPA_TEST + 0x6000)
#define IPA_NOAF (IPA_TEST + 0x7000)
#define IPA_HOLE2 (IPA_TEST + SZ_2M) /* an invalid level-2 entry */

#define VAL_R 0x5252525252525252UL
#define VAL_W1 0x1111000011110000UL
#define VAL_W2 0x2222000022220000UL
#define VAL_W3 0x3333000033330000UL

static volatile u64 page_r[512] __attribute__((aligned(4096)));
static volatile u64 page_w1[512] __attribute__((aligned(4096)));
static volatile u64 page_w2[512] __attribute__((aligned(4096)));
static volatile u64 page_w3[512] __attribute__((aligned(4096)));

/* A page of code: code_page() returns 0x2a. */
extern char code_page[];
__asm__(".pushsection .text.code_page, \"ax\"\n"
        ".balign 4096\n"
        ".global code_page\n"
        "code_page:\n\tmov x0, #0x2a\n\tret\n"
        ".balign 4096\n"
        ".popsection\n");

static int hv; /* on hvsim: check the stale reads */

/* ---- the hypervisor -------------------------------------------------------- */

/* The emulated device behind IPA_MMIO: 64 bytes of registers. */
static volatile u8 mmio_dev[64];

/* What the hypervisor saw of the last trap from the guest. */
static volatile struct {
  u64 count, esr, far, hpfar, elr;
} hyp;

/* The hypervisor runs with its data cache off, the guest with it on: what
 * the hypervisor writes for the guest is published to the Point of
 * Coherency, dropping any stale copy the guest's accesses left cached. */
static void hyp_publish(void) { dcache_civac(&hyp, sizeof hyp); }
static void hyp_clear(void) {
  hyp.count = hyp.esr = hyp.far = hyp.hpfar = hyp.elr = 0;
  hyp_publish();
}

/* Emulates a load or store that the syndrome describes, on mmio_dev. */
static void mmio_emulate(struct exc_frame *f, u64 esr, u64 off) {
  const unsigned size = 1u << ISS_SAS(esr), rt = ISS_SRT(esr);
  if (esr & ISS_WNR) {
    const u64 v = rt == 31 ? 0 : f->x[rt];
    for (unsigned i = 0; i < size; i++) mmio_dev[(off + i) % 64] = (u8)(v >> (8 * i));
    return;
  }
  u64 v = 0;
  for (unsigned i = 0; i < size; i++) v |= (u64)mmio_dev[(off + i) % 64] << (8 * i);
  if ((esr & ISS_SSE) && size < 8 && (v >> (8 * size - 1)) & 1) v |= ~0UL << (8 * size);
  if (!(esr & ISS_SF)) v &= 0xffffffffUL;
  if (rt != 31) f->x[rt] = v;
}

static int hyp_handler(struct exc_frame *f) {
  const u64 ec = ESR_EC(f->esr);
  if (f->el != 2 || f->vec != VEC_LOWER64 || (ec != EC_DABT_LOW && ec != EC_IABT_LOW)) return 0;
  hyp.count++;
  hyp.esr = f->esr;
  hyp.far = f->far;
  hyp.hpfar = read_sysreg(hpfar_el2); /* before EL1 runs again */
  hyp.elr = f->elr;
  const u64 ipa = (hyp.hpfar >> 4) << 12 | (f->far & 0xfff);
  hyp_publish();
  if (ec == EC_IABT_LOW) {
    /* A branch to a page the guest may not execute: back to its caller. */
    f->elr = f->x[30];
    f->x[0] = 0xbad;
    return 1;
  }
  /* A Translation fault on the MMIO page with a syndrome: emulate. Any
   * other abort: skip the instruction. */
  if ((f->esr & ISS_ISV) && ISS_FSC(f->esr) == FSC_TRANS(3) && !(f->esr & ISS_S1PTW) &&
      (ipa & ~0xfffUL) == IPA_MMIO)
    mmio_emulate(f, f->esr, ipa & 0xfff);
  f->elr += 4;
  return 1;
}

/* Stage-2 tables for an IPA space of ia_bits from start level `level`. */
static void build_s2(struct mmu_tables *t, unsigned ia_bits, int level, volatile u64 *w) {
  const u64 s2_ro = (S2_NORMAL & ~S2AP_RW) | S2AP_RO, s2_none = S2_NORMAL & ~S2AP_RW;
  mmu_init(t, 12, ia_bits, level);
  mmu_map(t, RAM_PA, RAM_PA, SZ_1G, 2, S2_NORMAL);
  mmu_map(t, UART_PA, UART_PA, SZ_2M, 2, S2_DEVICE);
  mmu_map(t, IPA_MMIO, 0, SZ_4K, 3, 0);
  mmu_map(t, IPA_RO, (u64)page_r, SZ_4K, 3, s2_ro);
  mmu_map(t, IPA_NOTABLE, 0, SZ_4K, 3, 0);
  mmu_map(t, IPA_W, (u64)w, SZ_4K, 3, S2_NORMAL);
  mmu_map(t, IPA_NOACCESS, (u64)page_r, SZ_4K, 3, s2_none);
  mmu_map(t, IPA_XN, (u64)code_page, SZ_4K, 3, S2_NORMAL | S2_XN);
  mmu_map(t, IPA_CODE, (u64)code_page, SZ_4K, 3, S2_NORMAL);
  mmu_map(t, IPA_NOAF, (u64)page_r, SZ_4K, 3, S2_NORMAL & ~PTE_AF);
  mmu_map(t, IPA_HOLE2, 0, SZ_2M, 2, 0);
}

/* ---- the guest ------------------------------------------------------------- */

static u64 load(u64 va) {
  u64 v = 0x600d;
  __asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(va) : "memory");
  return v;
}

/* The syndrome of a stage-2 Data Abort from the guest. */
#define DABT_LOW ((u64)EC_DABT_LOW << 26 | ESR_IL)
#define IABT_LOW ((u64)EC_IABT_LOW << 26 | ESR_IL)
#define SYN(sas, sse, srt, sf, ar)                                            \
  (ISS_ISV | (u64)(sas) << 22 | (u64)(sse) << 21 | (u64)(srt) << 16 |          \
   (u64)(sf) << 15 | (u64)(ar) << 14)
#define NO_HPFAR (~0UL)

/* One trap to EL2 with this ESR_EL2, FAR_EL2 and (unless NO_HPFAR)
 * HPFAR_EL2, at the instruction `pc`. */
static void expect_trap(const char *what, u64 pc, u64 esr, u64 va, u64 ipa) {
  checkf(hyp.count, 1, "%s: traps to EL2", what);
  checkf(hyp.esr, esr, "%s: ESR_EL2", what);
  checkf(hyp.far, va, "%s: FAR_EL2", what);
  if (ipa != NO_HPFAR) checkf(hyp.hpfar, (ipa >> 12) << 4, "%s: HPFAR_EL2", what);
  checkf(hyp.elr - pc, 0, "%s: ELR_EL2 - insn", what);
}

/* The same for a stage-2 fault on a stage-1 walk where the stage-1 lookup
 * level differs from the stage-2 level that faulted. The DFSC/IFSC level is
 * the stage-2 one (Arm ARM, ESR_EL2 ISS "If the S1PTW bit is set, then the
 * level refers the level of the stage 2 translation that is translating a
 * stage 1 translation walk"); QEMU 7.2 reports the stage-1 level. So the
 * transcript leaves the level out, and it is checked on hvsim only. */
static void expect_trap_s1ptw_levels(const char *what, u64 pc, u64 esr, u64 va, u64 ipa) {
  char name[80];
  snprintf(name, sizeof(name), "%s: ESR_EL2 level", what);
  if (hv) check_quiet(name, hyp.esr, esr);
  hyp.esr &= ~3UL;
  snprintf(name, sizeof(name), "%s (xFSC level left out)", what);
  expect_trap(name, pc, esr & ~3UL, va, ipa);
}

/* Runs `insn` with x9 = base, x12 = 4 and `reg` = in, then returns `reg`
 * in *out and the instruction's address in *pc. */
#define GUEST_INSN(insn, reg, in, base, out, pc)                              \
  __asm__ volatile("mov x9, %[b]\n\tmov x12, #4\n\tmov " reg ", %[i]\n\t"      \
                   "adr %[p], 1f\n1:\t" insn "\n\tmov %[o], " reg               \
                   : [o] "=&r"(out), [p] "=&r"(pc)                              \
                   : [b] "r"(base), [i] "r"((u64)(in))                          \
                   : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", \
                     "x11", "x12", "memory")

#define POISON 0xdeadbeefdeadbeefUL

/* MMIO through the hypervisor: `insn` at base (x9), result in `reg`. */
#define MMIO(what, insn, reg, in, esr, off, expected)                         \
  do {                                                                        \
    u64 __o, __pc;                                                            \
    hyp_clear();                                                              \
    GUEST_INSN(insn, reg, in, base, __o, __pc);                               \
    expect_trap(what, __pc, (esr), base + (off), IPA_MMIO + (off));           \
    checkf(__o, expected, "%s: " reg " after", what);                        \
  } while (0)

static void guest_mmio(u64 base) {
  const u64 ld = DABT_LOW | FSC_TRANS(3), st = DABT_LOW | ISS_WNR | FSC_TRANS(3);
  MMIO("ldr w5", "ldr w5, [x9]", "x5", POISON, ld | SYN(2, 0, 5, 0, 0), 0, 0xb3a29180UL);
  MMIO("ldrsh x7", "ldrsh x7, [x9, #2]", "x7", POISON, ld | SYN(1, 1, 7, 1, 0), 2,
       0xffffffffffffb3a2UL);
  MMIO("ldrsb w3", "ldrsb w3, [x9, #1]", "x3", POISON, ld | SYN(0, 1, 3, 0, 0), 1, 0xffffff91UL);
  MMIO("ldrsw x4", "ldrsw x4, [x9, #4]", "x4", POISON, ld | SYN(2, 1, 4, 1, 0), 4,
       0xfffffffff7e6d5c4UL);
  MMIO("ldrh w2", "ldrh w2, [x9, #6]", "x2", POISON, ld | SYN(1, 0, 2, 0, 0), 6, 0xf7e6UL);
  MMIO("ldr x6", "ldr x6, [x9, #8]", "x6", POISON, ld | SYN(3, 0, 6, 1, 0), 8,
       0x7f6e5d4c3b2a1908UL);
  MMIO("str x6", "str x6, [x9, #16]", "x6", 0x0123456789abcdefUL, st | SYN(3, 0, 6, 1, 0), 16,
       0x0123456789abcdefUL);
  MMIO("ldr x8 (read back)", "ldr x8, [x9, #16]", "x8", POISON, ld | SYN(3, 0, 8, 1, 0), 16,
       0x0123456789abcdefUL);
  MMIO("strb w1", "strb w1, [x9, #17]", "x1", 0x5aUL, st | SYN(0, 0, 1, 0, 0), 17, 0x5aUL);
  MMIO("strh w11", "strh w11, [x9, #22]", "x11", 0xfff1234UL, st | SYN(1, 0, 11, 0, 0), 22,
       0xfff1234UL);
  MMIO("ldr x10 (read back)", "ldr x10, [x9, #16]", "x10", POISON, ld | SYN(3, 0, 10, 1, 0), 16,
       0x1234456789ab5aefUL);
  MMIO("str wzr", "str wzr, [x9, #20]", "x3", 7, st | SYN(2, 0, 31, 0, 0), 20, 7);
  MMIO("ldr x3 (read back)", "ldr x3, [x9, #16]", "x3", POISON, ld | SYN(3, 0, 3, 1, 0), 16,
       0x0000000089ab5aefUL);
  MMIO("ldar x2", "ldar x2, [x9]", "x2", POISON, ld | SYN(3, 0, 2, 1, 1), 0,
       0xf7e6d5c4b3a29180UL);
  MMIO("stlr w1", "stlr w1, [x9]", "x1", 0xcafef00dUL, st | SYN(2, 0, 1, 0, 1), 0, 0xcafef00dUL);
  MMIO("ldtr w7", "ldtr w7, [x9]", "x7", POISON, ld | SYN(2, 0, 7, 0, 0), 0, 0xcafef00dUL);
  MMIO("ldr w8, [x9, x12]", "ldr w8, [x9, x12]", "x8", POISON, ld | SYN(2, 0, 8, 0, 0), 4,
       0xf7e6d5c4UL);
  MMIO("ldrb w10, [x9, #63]", "ldrb w10, [x9, #63]", "x10", POISON, ld | SYN(0, 0, 10, 0, 0), 63,
       0xafUL);
  /* No instruction syndrome: the hypervisor cannot emulate, it skips. The
   * base register is not written back. */
  MMIO("ldr x10, [x9], #8 (post-index)", "ldr x10, [x9], #8", "x9", base, ld, 0, base);
  MMIO("str x10, [x9, #8]! (pre-index)", "str x10, [x9, #8]!", "x9", base, st, 8, base);
  MMIO("ldp x10, x11", "ldp x10, x11, [x9, #16]", "x10", POISON, ld, 16, POISON);
  MMIO("stp x10, x11", "stp x10, x11, [x9, #32]", "x10", 0, st, 32, 0);
  MMIO("ldxr x10", "ldxr x10, [x9]", "x10", POISON, ld, 0, POISON);
  /* SIMD&FP registers: ISV is 1 only for general-purpose registers. */
  MMIO("ldr d0", "ldr d0, [x9, #8]", "x9", base, ld, 8, base);
  MMIO("str q1", "str q1, [x9, #16]", "x9", base, st, 16, base);
  MMIO("ld1 {v2.16b}", "ld1 {v2.16b}, [x9]", "x9", base, ld, 0, base);
}

/* A call to code at va; an Instruction Abort makes it return 0xbad. */
static u64 call(u64 va) { return ((u64(*)(void))va)(); }

static void guest_access(const char *what, u64 va, int write, u64 esr, u64 ipa) {
  u64 o, pc;
  hyp_clear();
  if (write)
    GUEST_INSN("str x5, [x9]", "x5", 0x77, va, o, pc);
  else
    GUEST_INSN("ldr x5, [x9]", "x5", POISON, va, o, pc);
  expect_trap(what, pc, esr, va, ipa);
  if (!write) checkf(o, POISON, "%s: x5 unchanged", what);
}

static void guest_call(const char *what, u64 va, u64 esr, u64 ipa) {
  hyp_clear();
  const u64 r = call(va);
  checkf(r, 0xbad, "%s: returns through the hypervisor", what);
  checkf(hyp.count, 1, "%s: traps to EL2", what);
  checkf(hyp.esr, esr, "%s: ESR_EL2", what);
  checkf(hyp.far, va, "%s: FAR_EL2", what);
  if (ipa != NO_HPFAR) checkf(hyp.hpfar, (ipa >> 12) << 4, "%s: HPFAR_EL2", what);
  checkf(hyp.elr, va, "%s: ELR_EL2", what);
}

/* The whole guest, stage 1 off (VA = IPA), then on. */
static long guest_main(long arg) {
  printf("guest: stage 1 off\n");
  checkf(load((u64)&page_r[1]), VAL_R, "guest: read RAM through stage 2");
  checkf(load(IPA_RO + 8), VAL_R, "guest: read the stage-2 read-only page");
  checkf(load(IPA_W), VAL_W1, "guest: read page W1");
  checkf(call(IPA_CODE), 0x2a, "guest: call the code page through stage 2");
  checkf(hyp.count, 0, "guest: no trap so far");
  guest_mmio(IPA_MMIO);

  guest_access("store to the stage-2 read-only page", IPA_RO + 0x18, 1,
               DABT_LOW | ISS_WNR | SYN(3, 0, 5, 1, 0) | FSC_PERM(3), NO_HPFAR);
  checkf(page_r[3], 0, "page R unchanged");
  guest_access("load from the stage-2 no-access page", IPA_NOACCESS + 0x20, 0,
               DABT_LOW | SYN(3, 0, 5, 1, 0) | FSC_PERM(3), NO_HPFAR);
  guest_access("load from the stage-2 page without AF", IPA_NOAF + 0x28, 0,
               DABT_LOW | SYN(3, 0, 5, 1, 0) | FSC_ACCESS(3), IPA_NOAF + 0x28);
  guest_access("store to an invalid stage-2 level-2 entry", IPA_HOLE2 + 0x5008, 1,
               DABT_LOW | ISS_WNR | SYN(3, 0, 5, 1, 0) | FSC_TRANS(2), IPA_HOLE2 + 0x5008);
  guest_call("call the stage-2 XN page", IPA_XN, IABT_LOW | FSC_PERM(3), NO_HPFAR);
  guest_call("call the MMIO page", IPA_MMIO + 0x40, IABT_LOW | FSC_TRANS(3), IPA_MMIO);

  /* Stage 1 on. Level-1 entry 2 (VA 0x80000000) points at a level-2
   * table at an IPA stage 2 does not map (the stage-1 level-2 lookup faults
   * at stage-2 level 3). Level-1 entry 3 (VA 0xc0000000) points at a
   * level-2 table in RAM whose entries 0 and 1 point at level-3 tables at
   * the unmapped IPA and in the stage-2 no-access page (stage-1 level-3
   * lookups fault at stage-2 level 3). */
  struct mmu_tables gt;
  mmu_init(&gt, 12, 39, -1);
  mmu_map(&gt, RAM_PA, RAM_PA, SZ_1G, 1, PTE_NORMAL);
  mmu_map(&gt, UART_PA, UART_PA, SZ_2M, 2, PTE_DEVICE);
  *mmu_pte(&gt, 0x80000000UL, 1) = mmu_table_desc((void *)IPA_NOTABLE);
  *mmu_pte(&gt, 0xc0000000UL, 2) = mmu_table_desc((void *)IPA_NOTABLE);
  *mmu_pte(&gt, 0xc0200000UL, 2) = mmu_table_desc((void *)IPA_NOACCESS);
  mmu_enable_el1(&gt, 1);
  printf("guest: stage 1 on\n");
  checkf(load((u64)&page_r[1]), VAL_R, "guest: read RAM through both stages");
  const u64 va = 0xc0000000UL + 0x1238;
  /* The level-3 descriptor for va is at IPA_NOTABLE + 8 * ((va >> 12) & 511). */
  guest_access("load, stage-1 table IPA unmapped", va, 0,
               DABT_LOW | ISS_S1PTW | FSC_TRANS(3), IPA_NOTABLE);
  guest_access("store, stage-1 table IPA unmapped", va + 0x1000, 1,
               DABT_LOW | ISS_S1PTW | ISS_WNR | FSC_TRANS(3), IPA_NOTABLE);
  guest_call("call, stage-1 table IPA unmapped", 0xc0000000UL + 0x4000,
             IABT_LOW | ISS_S1PTW | FSC_TRANS(3), IPA_NOTABLE);
  guest_access("load, stage-1 table in a stage-2 no-access page", 0xc0200000UL + 0x3010, 0,
               DABT_LOW | ISS_S1PTW | FSC_PERM(3), IPA_NOACCESS);
  u64 o, pc;
  hyp_clear();
  GUEST_INSN("at s1e1r, x9", "x5", 0, va, o, pc);
  expect_trap("AT S1E1R, stage-1 table IPA unmapped", pc,
              DABT_LOW | ISS_CM | ISS_WNR | ISS_S1PTW | FSC_TRANS(3), va, IPA_NOTABLE);

  /* Stage-1 level 2, stage-2 level 3. */
  const u64 va2 = 0x80000000UL + 0x123458;
  hyp_clear();
  GUEST_INSN("ldr x5, [x9]", "x5", POISON, va2, o, pc);
  expect_trap_s1ptw_levels("load, stage-1 level-2 table IPA unmapped", pc,
                           DABT_LOW | ISS_S1PTW | FSC_TRANS(3), va2, IPA_NOTABLE);
  checkf(o, POISON, "load, stage-1 level-2 table IPA unmapped: x5 unchanged");
  hyp_clear();
  GUEST_INSN("at s1e1w, x9", "x5", 0, va2, o, pc);
  expect_trap_s1ptw_levels("AT S1E1W, stage-1 level-2 table IPA unmapped", pc,
                           DABT_LOW | ISS_CM | ISS_WNR | ISS_S1PTW | FSC_TRANS(3), va2,
                           IPA_NOTABLE);
  mmu_disable_el1();
  return arg;
}

/* ---- scenarios run by the hypervisor --------------------------------------- */

static long guest_load(long va) { return (long)load((u64)va); }

static u64 guest_read(u64 va) { return (u64)run_at_el(1, guest_load, (long)va); }

static void stale(const char *what, u64 got, u64 old) {
  if (hv) check_quiet(what, got, old);
}

static void tlb_scenarios(struct mmu_tables *s2) {
  printf("hypervisor: stage-2 remap and TLB maintenance\n");
  u64 *pte = mmu_pte(s2, IPA_W, 3);
  check("guest reads page W1", guest_read(IPA_W), VAL_W1);
  *(volatile u64 *)pte = ((u64)page_w2 & PTE_OA_MASK) | S2_NORMAL | PTE_PAGE | PTE_VALID;
  mmu_sync(); /* written with the cache off, walked cacheable: clean+invalidate */
  stale("guest read after the stage-2 descriptor write", guest_read(IPA_W), VAL_W1);
  tlbi_va(ipas2e1is, TLBI_IPA(IPA_W));
  dsb(ish);
  stale("guest read after TLBI IPAS2E1IS alone", guest_read(IPA_W), VAL_W1);
  tlbi(vmalle1is);
  dsb(ish);
  isb();
  check("guest read after TLBI IPAS2E1IS + VMALLE1IS -> page W2", guest_read(IPA_W), VAL_W2);

  /* VMID 2 with its own tables, mapping IPA_W to page W3. */
  struct mmu_tables s2b;
  build_s2(&s2b, 32, 1, page_w3);
  mmu_sync();
  const u64 vttbr1 = read_sysreg(vttbr_el2);
  write_sysreg(vttbr_el2, (u64)s2b.root | (2UL << 48));
  isb();
  tlbi(vmalls12e1); /* VMID 2's entries, whatever they were */
  dsb(ish);
  isb();
  check("guest under VMID 2 reads page W3", guest_read(IPA_W), VAL_W3);
  write_sysreg(vttbr_el2, vttbr1);
  isb();
  check("guest back under VMID 1 reads page W2", guest_read(IPA_W), VAL_W2);
}

/* A shorter guest for the other VTCR_EL2 settings. */
static long guest_small(long ipa_outside) {
  checkf(load((u64)&page_r[1]), VAL_R, "guest: read RAM through stage 2");
  checkf(load(IPA_W + 8), VAL_W1 + 1, "guest: read page W1");
  const u64 ld = DABT_LOW | FSC_TRANS(3);
  const u64 base = IPA_MMIO;
  MMIO("ldr w5", "ldr w5, [x9, #48]", "x5", POISON, ld | SYN(2, 0, 5, 0, 0), 48, 0xe3d2c1b0UL);
  guest_access("load beyond the IPA size", (u64)ipa_outside, 0,
               DABT_LOW | SYN(3, 0, 5, 1, 0) | FSC_TRANS(0), (u64)ipa_outside);
  return 0;
}

static void other_config(const char *name, unsigned ia_bits, int level, u64 extra_ipa) {
  struct mmu_tables s2;
  mmu_pool_reset();
  build_s2(&s2, ia_bits, level, page_w1);
  if (extra_ipa) mmu_map(&s2, extra_ipa, (u64)page_w1, SZ_4K, 3, S2_NORMAL);
  printf("hypervisor: %s, VTCR_EL2.SL0 = %lu, %u-bit IPA\n", name, (mmu_vtcr(&s2) >> 6) & 3,
         ia_bits);
  stage2_enable(&s2, 3);
  run_at_el(1, guest_small, (long)(1UL << ia_bits));
  if (extra_ipa) check("guest reads page W1 through the second concatenated table",
                       guest_read(extra_ipa + 8), VAL_W1 + 1);
  stage2_disable();
}

int main(void) {
  hv = on_hvsim();
  exc_set_handler(hyp_handler);
  for (unsigned i = 0; i < 64; i++) mmio_dev[i] = (u8)(0x80 + 0x11 * i);
  page_r[1] = VAL_R;
  page_w1[0] = VAL_W1;
  page_w1[1] = VAL_W1 + 1;
  page_w2[0] = VAL_W2;
  page_w3[0] = VAL_W3;

  write_sysreg(cpacr_el1, 3UL << 20); /* FPEN: the guest's SIMD&FP accesses */
  isb();
  struct mmu_tables s2;
  build_s2(&s2, 32, 1, page_w1);
  printf("hypervisor: 4KB granule, 32-bit IPA from level 1, VMID 1\n");
  stage2_enable(&s2, 1);
  run_at_el(1, guest_main, 0);
  tlb_scenarios(&s2);
  stage2_disable();

  other_config("40-bit IPA from level 1 (2 concatenated tables)", 40, 1, 1UL << 39);
  other_config("32-bit IPA from level 2 (4 concatenated tables)", 32, 2, 0);
  return test_done();
}
