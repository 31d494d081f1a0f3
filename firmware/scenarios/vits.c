/* Scenario vits (docs/scenarios.md): virtual ITS command queue handling.
 *
 * An EL2 hypervisor owns the physical GIC and ITS and gives its EL1 guest a
 * virtual ITS. The guest's device is passed through: its events are
 * physical LPIs the hypervisor maps (MAPD, MAPC, MAPTI: event e of DeviceID
 * 0 is LPI 8192 + e, for the guest as for the hypervisor), takes at EL2 and
 * injects into the guest through the list registers; the guest acknowledges
 * and ends them through ICV_IAR1/ICV_EOIR1. The guest's LPI configuration
 * table (`guest_prop`: its vGIC redistributor is not emulated, the table's
 * place is agreed) is shadowed into the physical one, and the priority the
 * hypervisor injects with is the running priority the physical GIC gives
 * (ICC_RPR_EL1), so a configuration the physical redistributor did not see
 * reaches the guest.
 *
 * Each round the guest changes LPI configuration bytes (round 0 enables
 * every LPI; later rounds toggle the enable of `changes` LPIs and change
 * their priority), writes INV per changed LPI or one INVALL, then SYNC, to
 * its queue, and writes its vITS GITS_CWRITER (IPA 0x08080000, unmapped at
 * stage 2: the hypervisor emulates GITS_CTLR/CBASER/CWRITER/CREADR). Then
 * its device raises every event (a write of the EventID to GITS_TRANSLATER,
 * whose page stage 2 passes through) and the guest checks each delivery
 * against its configuration: an LPI it disabled, or one delivered at a
 * priority other than its own, is wrong; an enabled event not delivered is
 * missed. LPIs raised while disabled stay pending and are delivered when a
 * later round enables them (counted as `late`; the time from the guest's
 * enabling write to their delivery is `reenable_ns_*`). The guest keeps
 * IRQs unmasked while it changes its configuration, as Linux does.
 *
 * Hypervisor strategies (variant=):
 *   forward       every guest INV/INVALL is forwarded as it comes (the
 *                 configuration byte(s) shadowed first), SYNC as SYNC.
 *   trap-config   the guest's configuration table is read-only at stage 2:
 *                 each write traps, is emulated, shadowed and followed by a
 *                 physical INV; guest INV/INVALL cost nothing, SYNC is SYNC.
 *   dirty-bitmap  guest INV/INVALL only mark LPIs dirty; at the guest's SYNC
 *                 the dirty LPIs whose byte changed are shadowed and
 *                 invalidated: one INV each, or one INVALL when more than
 *                 `coalesce` changed; then SYNC.
 *   no-inv        wrong: shadows the bytes at the guest's INV/INVALL but never
 *                 issues INV/INVALL; with gic.lpi_config_caching = lazy the
 *                 redistributor keeps the old configuration and `--check its`
 *                 reports lpi-config-without-inv at the delivery.
 * The hypervisor runs with its MMU and caches on; the ITS and the GIC are not
 * coherent with them (caches.gic_its_coherent = false), so it cleans its
 * command queue and the shadowed bytes to the PoC.
 *
 * Arguments: lpis (LPIs, default 32), rounds (6), changes (LPIs changed per
 * round after the first, 8), guest_cmd (inv | invall), sync_each (1: the
 * guest writes SYNC and GITS_CWRITER after every INV, as Linux does),
 * coalesce (16).
 * Regions: guest_update (the guest's configuration change, from its first
 * write to its SYNC seen complete), vits_emulation (the hypervisor's
 * handling of a vITS register access, queued commands included),
 * config_trap (one trapped configuration write), inject (the hypervisor's
 * physical IRQ handling), delivery (the device's TRANSLATER write to the
 * guest's acknowledge).
 * Metrics: phys_inv, phys_invall, phys_sync (commands the emulation issued),
 * guest_cmds, vits_traps, config_traps, injected, lr_full, delivered, late,
 * reenable_ns_total, reenable_ns_max, wrong, missed, correct. */
#include "fw.h"
#include "gic.h"
#include "its.h"
#include "mmu.h"

#define UART_PA 0x09000000UL
#define RAM_PA 0x40000000UL
#define SZ_4K 0x1000UL
#define SZ_2M (1UL << 21)
#define SZ_1G (1UL << 30)

#define VITS GITS                      /* the guest's ITS: emulated */
#define TRANSLATER_PAGE (GITS + 0x10000) /* passed through */
#define LPI0 8192
#define MAX_LPIS 256
#define DEVICE 0
#define ICID 0

#define ICH_HCR_EL2 S3_4_C12_C11_0
#define ICH_ELRSR_EL2 S3_4_C12_C11_5
#define ICH_VMCR_EL2 S3_4_C12_C11_7
#define ICH_AP1R0_EL2 S3_4_C12_C9_0
#define ICH_HCR_EN (1UL << 0)
#define ICH_HCR_UIE (1UL << 1)
#define ICH_VMCR_VENG1 (1UL << 1)
#define LR_GROUP1 (1UL << 60)
#define LR_PENDING (1UL << 62)
#define MAINT_INTID 25
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_IPRIORITYR 0x0400

#define CMD_SYNC 0x05
#define CMD_INV 0x0c
#define CMD_INVALL 0x0d

enum strategy { FORWARD, TRAP_CONFIG, DIRTY_BITMAP, NO_INV };

/* Shared by the guest (stage 1 and 2 cacheable) and the hypervisor (EL2
 * MMU on, cacheable): the same physical lines, so coherent. */
static volatile u8 guest_prop[4096] __attribute__((aligned(4096))); /* LPIs 8192-12287 */
static u64 guest_queue[512] __attribute__((aligned(4096)));
static u8 itt[MAX_LPIS * 8] __attribute__((aligned(256)));
static struct mmu_tables hyp_tables, guest_tables, s2;

static enum strategy strat;
static unsigned nlpis, rounds, changes, coalesce, sync_each, guest_invall;

/* ---- the guest's view ------------------------------------------------- */
static struct {
  volatile u32 count[MAX_LPIS]; /* deliveries per LPI */
  volatile u32 measuring;       /* the LPI whose delivery is timed, or 0 */
  volatile u32 delivered, late, wrong, missed, fired;
  /* LPIs raised while disabled (still pending), and when the guest wrote
   * the byte enabling one again (CNTVCT_EL0, 0 when not). */
  volatile u8 latent[MAX_LPIS];
  volatile u64 enabled_at[MAX_LPIS];
  volatile u64 reenable_ticks, reenable_max_ticks;
} g;

static void late_delivery(unsigned i) {
  g.late++;
  if (!g.enabled_at[i]) return;
  const u64 t = read_sysreg(cntvct_el0) - g.enabled_at[i];
  g.reenable_ticks += t;
  if (t > g.reenable_max_ticks) g.reenable_max_ticks = t;
  g.enabled_at[i] = 0;
}

static int guest_irq(void) {
  const u32 intid = (u32)read_sysreg(ICC_IAR1_EL1);
  if (intid == SPURIOUS) return 1;
  if (g.measuring == intid) {
    hvsim_region_end("delivery");
    g.measuring = 0;
  }
  const u32 rpr = (u32)read_sysreg(ICC_RPR_EL1);
  write_sysreg(ICC_EOIR1_EL1, intid);
  isb();
  const u32 i = intid - LPI0;
  if (intid < LPI0 || i >= nlpis) {
    g.wrong++;
    return 1;
  }
  const u8 cfg = guest_prop[i];
  if (!(cfg & 1) || rpr != (cfg & 0xf8u)) g.wrong++;
  g.count[i]++;
  g.delivered++;
  if (g.latent[i]) {
    g.latent[i] = 0;
    if (cfg & 1) late_delivery(i);
  }
  return 1;
}

static u64 gcw, gcr;

static void guest_kick(void) {
  dsb(sy);
  wr64(VITS + GITS_CWRITER, gcw);
  for (int n = 0; (rd64(VITS + GITS_CREADR) & 0xfffe0) != gcw; n++)
    if (n > 1000) {
      printf("vits: the vITS queue does not advance\n");
      exit(3);
    }
  gcr = gcw;
}

static void guest_cmd(u64 dw0, u64 dw1, u64 dw2) {
  if ((gcw + 32) % sizeof guest_queue == gcr) guest_kick();
  u64 *c = &guest_queue[gcw / 8];
  c[0] = dw0;
  c[1] = dw1;
  c[2] = dw2;
  c[3] = 0;
  gcw = (gcw + 32) % sizeof guest_queue;
}

/* Round 0 enables every LPI; round r > 0 toggles the enable of `changes`
 * LPIs from ((r - 1) * changes) on and gives them a new priority. */
static u8 prio(unsigned r, unsigned i) { return (u8)(0x40 + 8 * ((r * 5 + i) % 20)); }
static int changed(unsigned r, unsigned i) {
  return r == 0 || (i + nlpis - ((r - 1) * changes) % nlpis) % nlpis < changes;
}

static void guest_update(unsigned r) {
  hvsim_region_begin("guest_update");
  for (unsigned i = 0; i < nlpis; i++) {
    if (!changed(r, i)) continue;
    const u8 en = r == 0 ? 1 : !(guest_prop[i] & 1);
    if (en && g.latent[i]) g.enabled_at[i] = read_sysreg(cntvct_el0);
    isb();
    wr8((u64)&guest_prop[i], (u8)(prio(r, i) | en));
  }
  dsb(sy);
  if (guest_invall) {
    guest_cmd(CMD_INVALL, 0, ICID);
  } else {
    for (unsigned i = 0; i < nlpis; i++) {
      if (!changed(r, i)) continue;
      guest_cmd(CMD_INV | ((u64)DEVICE << 32), i, 0);
      if (sync_each) {
        guest_cmd(CMD_SYNC, 0, 0);
        guest_kick();
      }
    }
  }
  guest_cmd(CMD_SYNC, 0, 0);
  guest_kick();
  hvsim_region_end("guest_update");
}

/* IRQs unmasked until nothing more arrives for a while. */
static void irq_window(void) {
  u32 seen;
  do {
    seen = g.delivered;
    __asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory");
    for (volatile unsigned n = 0; n < 200; n++) {
    }
    __asm__ volatile("msr daifset, #2\n\tisb" ::: "memory");
  } while (g.delivered != seen);
}

/* The device raises event i; the guest waits for its delivery when the LPI
 * is enabled (and a short while when not, to see a wrong one). */
static void guest_fire(unsigned i) {
  const u32 before = g.count[i];
  const int enabled = guest_prop[i] & 1;
  if (enabled) {
    g.measuring = LPI0 + i;
    hvsim_region_begin("delivery");
  }
  g.fired++;
  if (!enabled) g.latent[i] = 1;
  wr32(TRANSLATER_PAGE + 0x40, i);
  __asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory");
  for (unsigned n = 0; n < (enabled ? 100000u : 200u) && g.count[i] == before; n++) {
  }
  __asm__ volatile("msr daifset, #2\n\tisb" ::: "memory");
  if (enabled && g.count[i] == before) {
    g.missed++;
    hvsim_region_end("delivery");
    g.measuring = 0;
  }
}

static long guest(long unused) {
  (void)unused;
  mmu_enable_el1(&guest_tables, 1);
  wr64(VITS + GITS_CBASER, ITS_VALID | (u64)guest_queue);
  wr32(VITS + GITS_CTLR, 1);
  for (unsigned r = 0; r < rounds; r++) {
    __asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory");
    guest_update(r);
    __asm__ volatile("msr daifset, #2\n\tisb" ::: "memory");
    irq_window();
    for (unsigned i = 0; i < nlpis; i++) guest_fire(i);
  }
  irq_window();
  return 0;
}

/* ---- the hypervisor ------------------------------------------------------ */
static u64 rdbase;
static u64 vctlr, vcbaser, vcwriter, vcreadr;
static u64 dirty[MAX_LPIS / 64];

static void shadow(unsigned first, unsigned n) {
  for (unsigned i = first; i < first + n; i++) its_prop_table[i] = guest_prop[i];
  dcache_civac(&its_prop_table[first], n);
}

static void phys(u64 dw0, u64 dw1, u64 dw2, const char *metric) {
  its_put(dw0, dw1, dw2, 0);
  hvsim_metric_add(metric, 1);
}

static void phys_sync(void) {
  phys(CMD_SYNC, 0, rdbase, "phys_sync");
  its_kick();
  if (its_wait()) {
    printf("vits: the physical ITS queue stalled\n");
    exit(3);
  }
}

/* The dirty LPIs whose byte changed: shadowed, then invalidated. */
static void flush_dirty(void) {
  unsigned n = 0;
  for (unsigned i = 0; i < nlpis; i++) {
    if (!((dirty[i / 64] >> (i % 64)) & 1) || its_prop_table[i] == guest_prop[i]) {
      dirty[i / 64] &= ~(1UL << (i % 64));
      continue;
    }
    its_prop_table[i] = guest_prop[i];
    n++;
  }
  if (!n) return;
  dcache_civac(its_prop_table, nlpis);
  if (n > coalesce) {
    phys(CMD_INVALL, 0, ICID, "phys_invall");
  } else {
    for (unsigned i = 0; i < nlpis; i++)
      if ((dirty[i / 64] >> (i % 64)) & 1) phys(CMD_INV | ((u64)DEVICE << 32), i, 0, "phys_inv");
  }
  for (unsigned k = 0; k < MAX_LPIS / 64; k++) dirty[k] = 0;
}

static void guest_command(const u64 *c) {
  const unsigned cmd = c[0] & 0xff;
  const u32 dev = (u32)(c[0] >> 32), ev = (u32)c[1];
  hvsim_metric_add("guest_cmds", 1);
  if (cmd == CMD_INV && dev == DEVICE && ev < nlpis) {
    switch (strat) {
    case FORWARD:
      shadow(ev, 1);
      phys(CMD_INV | ((u64)DEVICE << 32), ev, 0, "phys_inv");
      its_kick();
      break;
    case NO_INV: shadow(ev, 1); break;
    case DIRTY_BITMAP: dirty[ev / 64] |= 1UL << (ev % 64); break;
    case TRAP_CONFIG: break;
    }
  } else if (cmd == CMD_INVALL && (c[2] & 0xffff) == ICID) {
    switch (strat) {
    case FORWARD:
      shadow(0, nlpis);
      phys(CMD_INVALL, 0, ICID, "phys_invall");
      its_kick();
      break;
    case NO_INV: shadow(0, nlpis); break;
    case DIRTY_BITMAP:
      for (unsigned i = 0; i < nlpis; i++) dirty[i / 64] |= 1UL << (i % 64);
      break;
    case TRAP_CONFIG: break;
    }
  } else if (cmd == CMD_SYNC) {
    if (strat == DIRTY_BITMAP) flush_dirty();
    phys_sync();
  } else {
    hvsim_metric_add("guest_cmds_ignored", 1);
  }
}

static void vits_process(void) {
  const u64 base = vcbaser & 0xffffffffff000UL, size = ((vcbaser & 0xff) + 1) * 4096;
  if (!(vcbaser & ITS_VALID) || !(vctlr & 1)) return;
  while (vcreadr != vcwriter) {
    guest_command((const u64 *)(base + vcreadr));
    vcreadr = (vcreadr + 32) % size;
  }
}

/* The guest's load or store at offset `off` of its ITS frame. */
static void vits_access(struct exc_frame *f, u64 off) {
  const unsigned rt = ISS_SRT(f->esr);
  hvsim_region_begin("vits_emulation");
  hvsim_metric_add("vits_traps", 1);
  if (f->esr & ISS_WNR) {
    const u64 v = rt == 31 ? 0 : f->x[rt];
    if (off == GITS_CTLR) {
      vctlr = v & 1;
    } else if (off == GITS_CBASER && !(vctlr & 1)) { /* writable while disabled */
      vcbaser = v;
      vcreadr = vcwriter = 0;
    } else if (off == GITS_CWRITER) {
      vcwriter = v & 0xfffe0;
    }
    vits_process();
  } else if (rt != 31) {
    f->x[rt] = off == GITS_CTLR ? (vctlr | (vctlr & 1 ? 0 : 1UL << 31))
               : off == GITS_TYPER ? rd64(GITS + GITS_TYPER)
               : off == GITS_CBASER ? vcbaser
               : off == GITS_CWRITER ? vcwriter
               : off == GITS_CREADR ? vcreadr
               : 0;
  }
  hvsim_region_end("vits_emulation");
}

/* A trapped store to the read-only configuration table (trap-config). */
static void config_write(struct exc_frame *f, u64 ipa) {
  hvsim_region_begin("config_trap");
  hvsim_metric_add("config_traps", 1);
  const unsigned size = 1u << ISS_SAS(f->esr), rt = ISS_SRT(f->esr);
  const u64 v = rt == 31 ? 0 : f->x[rt], off = ipa - (u64)guest_prop;
  for (unsigned k = 0; k < size && off + k < sizeof guest_prop; k++) guest_prop[off + k] = (u8)(v >> (8 * k));
  for (unsigned k = 0; k < size && off + k < nlpis; k++) {
    shadow(off + k, 1);
    phys(CMD_INV | ((u64)DEVICE << 32), off + k, 0, "phys_inv");
  }
  its_kick();
  hvsim_region_end("config_trap");
}

/* The IPA of a stage-2 Data Abort: HPFAR_EL2 is UNKNOWN for a Permission
 * fault that is not on a stage-1 walk (Arm ARM, HPFAR_EL2), so the
 * guest's VA is translated with AT S1E1W, as KVM does. */
static u64 fault_ipa(struct exc_frame *f) {
  if ((ISS_FSC(f->esr) & 0x3c) != FSC_PERM(0)) return (read_sysreg(hpfar_el2) >> 4) << 12 | (f->far & 0xfff);
  const u64 par_saved = read_sysreg(par_el1);
  at(s1e1w, f->far);
  isb();
  const u64 par = read_sysreg(par_el1);
  write_sysreg(par_el1, par_saved);
  return (par & PAR_F) ? ~0UL : (par & PTE_OA_MASK) | (f->far & 0xfff);
}

/* Free list registers get the LPIs waiting in `soft`; ICH_HCR_EL2.UIE asks
 * for a maintenance interrupt while some wait. */
static struct {
  u32 intid[MAX_LPIS];
  u8 prio[MAX_LPIS];
  unsigned head, n;
} soft;

static void refill(void) {
  while (soft.n) {
    const u64 free = read_sysreg(ICH_ELRSR_EL2) & 0xf;
    if (!free) break;
    const unsigned lr = (unsigned)__builtin_ctzl(free);
    const u64 v = soft.intid[soft.head] | ((u64)soft.prio[soft.head] << 48) | LR_GROUP1 | LR_PENDING;
    switch (lr) {
    case 0: write_sysreg(S3_4_C12_C12_0, v); break;
    case 1: write_sysreg(S3_4_C12_C12_1, v); break;
    case 2: write_sysreg(S3_4_C12_C12_2, v); break;
    default: write_sysreg(S3_4_C12_C12_3, v); break;
    }
    isb();
    soft.head = (soft.head + 1) % MAX_LPIS;
    soft.n--;
    hvsim_metric_add("injected", 1);
  }
  const u64 hcr = read_sysreg(ICH_HCR_EL2);
  write_sysreg(ICH_HCR_EL2, soft.n ? hcr | ICH_HCR_UIE : hcr & ~ICH_HCR_UIE);
  isb();
}

static void hyp_irq(void) {
  hvsim_region_begin("inject");
  for (;;) {
    const u32 intid = (u32)read_sysreg(ICC_IAR1_EL1);
    if (intid == SPURIOUS) break;
    const u8 p = (u8)read_sysreg(ICC_RPR_EL1);
    if (intid >= LPI0) {
      if (soft.n == MAX_LPIS) {
        printf("vits: software pending list full\n");
        exit(3);
      }
      if (!(read_sysreg(ICH_ELRSR_EL2) & 0xf)) hvsim_metric_add("lr_full", 1);
      const unsigned at = (soft.head + soft.n) % MAX_LPIS;
      soft.intid[at] = intid;
      soft.prio[at] = p;
      soft.n++;
    }
    refill();
    write_sysreg(ICC_EOIR1_EL1, intid);
    isb();
  }
  hvsim_region_end("inject");
}

static int handler(struct exc_frame *f) {
  if (f->el == 1) return f->vec == VEC_CUR_SPX + 1 && guest_irq();
  if (f->vec == VEC_LOWER64 + 1 || f->vec == VEC_CUR_SPX + 1) {
    hyp_irq();
    return 1;
  }
  if (f->vec != VEC_LOWER64 || ESR_EC(f->esr) != EC_DABT_LOW || !(f->esr & ISS_ISV)) return 0;
  const u64 ipa = fault_ipa(f);
  if ((ipa & ~0xfffUL) == VITS) vits_access(f, ipa & 0xfff);
  else if (strat == TRAP_CONFIG && (ipa & ~0xfffUL) == (u64)guest_prop && (f->esr & ISS_WNR)) config_write(f, ipa);
  else return 0;
  f->elr += 4;
  return 1;
}

static void build_tables(void) {
  mmu_init(&hyp_tables, 12, 39, -1);
  mmu_map(&hyp_tables, RAM_PA, RAM_PA, SZ_1G, 1, PTE_NORMAL);
  mmu_map(&hyp_tables, GICD, GICD, SZ_2M, 2, PTE_DEVICE_EL2);
  mmu_map(&hyp_tables, UART_PA, UART_PA, SZ_2M, 2, PTE_DEVICE_EL2);

  mmu_init(&guest_tables, 12, 39, -1);
  mmu_map(&guest_tables, RAM_PA, RAM_PA, SZ_1G, 1, PTE_NORMAL);
  mmu_map(&guest_tables, GICD, GICD, SZ_2M, 2, PTE_DEVICE);
  mmu_map(&guest_tables, UART_PA, UART_PA, SZ_2M, 2, PTE_DEVICE);

  /* Stage 2: RAM, the UART and the ITS translation page; the vITS frame
   * unmapped; in trap-config the configuration table read-only. */
  const u64 prop_2m = (u64)guest_prop & ~(SZ_2M - 1);
  mmu_init(&s2, 12, 32, 1);
  mmu_map(&s2, RAM_PA, RAM_PA, SZ_1G, 2, S2_NORMAL);
  mmu_map(&s2, prop_2m, prop_2m, SZ_2M, 3, S2_NORMAL);
  if (strat == TRAP_CONFIG)
    mmu_map(&s2, (u64)guest_prop, (u64)guest_prop, SZ_4K, 3, (S2_NORMAL & ~S2AP_RW) | S2AP_RO);
  mmu_map(&s2, UART_PA, UART_PA, SZ_2M, 2, S2_DEVICE);
  mmu_map(&s2, TRANSLATER_PAGE, TRANSLATER_PAGE, SZ_4K, 3, S2_DEVICE);
  mmu_sync();
}

static void its_setup(void) {
  its_clean_queue = 1;
  its_gicd_init();
  const u64 rd = its_cpu_init(0);
  rdbase = its_rdbase(rd);
  const u64 sgi = rd + SGI_BASE;
  wr32(sgi + GICR_IGROUPR0, rd32(sgi + GICR_IGROUPR0) | (1u << MAINT_INTID));
  wr8(sgi + GICR_IPRIORITYR + MAINT_INTID, 0x80);
  wr32(sgi + GICR_ISENABLER0, 1u << MAINT_INTID);
  its_init();
  unsigned bits = 1;
  while ((1u << bits) < nlpis) bits++;
  its_mapd(DEVICE, itt, bits);
  its_mapc(ICID, rdbase);
  for (unsigned e = 0; e < nlpis; e++) its_mapti(DEVICE, e, LPI0 + e, ICID);
  its_sync(rdbase);

  write_sysreg(S3_4_C12_C12_0, 0);
  write_sysreg(S3_4_C12_C12_1, 0);
  write_sysreg(S3_4_C12_C12_2, 0);
  write_sysreg(S3_4_C12_C12_3, 0);
  write_sysreg(ICH_AP1R0_EL2, 0);
  write_sysreg(ICH_VMCR_EL2, ICH_VMCR_VENG1 | (0xf0UL << 24));
  write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
  isb();
}

static u64 arg(const char *key, u64 dflt, u64 lo, u64 hi) {
  const u64 v = fw_arg_u64(key, dflt);
  if (v < lo || v > hi) {
    printf("vits: argument %s=%lu out of range [%lu, %lu]\n", key, v, lo, hi);
    exit(2);
  }
  return v;
}

int main(void) {
  static const char *const names[] = {"forward", "trap-config", "dirty-bitmap", "no-inv"};
  const char *variant = fw_arg("variant");
  if (fw_arg_is("variant", "forward")) strat = FORWARD;
  else if (fw_arg_is("variant", "trap-config")) strat = TRAP_CONFIG;
  else if (fw_arg_is("variant", "dirty-bitmap")) strat = DIRTY_BITMAP;
  else if (fw_arg_is("variant", "no-inv")) strat = NO_INV;
  else {
    printf("vits: unknown variant '%s'\n", variant ? variant : "");
    exit(2);
  }
  nlpis = (unsigned)arg("lpis", 32, 1, MAX_LPIS);
  rounds = (unsigned)arg("rounds", 6, 1, 1000);
  changes = (unsigned)arg("changes", 8, 1, nlpis);
  coalesce = (unsigned)arg("coalesce", 16, 0, MAX_LPIS);
  sync_each = (unsigned)arg("sync_each", 0, 0, 1);
  const char *gc = fw_arg("guest_cmd");
  if (!gc || fw_arg_is("guest_cmd", "inv")) guest_invall = 0;
  else if (fw_arg_is("guest_cmd", "invall")) guest_invall = 1;
  else {
    printf("vits: guest_cmd '%s' is not inv or invall\n", gc);
    exit(2);
  }

  exc_set_handler(handler);
  vectors_install(2);
  vectors_install(1);
  build_tables();
  mmu_enable_el2(&hyp_tables);
  its_setup();
  stage2_enable(&s2, 1);

  run_at_el(1, guest, 0);

  stage2_disable();
  const int ok = !g.wrong && !g.missed;
  printf("vits/%s: %u LPIs, %u rounds: %u events, %u delivered (%u late), %u wrong, %u missed\n", names[strat], nlpis,
         rounds, g.fired, g.delivered, g.late, g.wrong, g.missed);
  hvsim_metric_set("delivered", g.delivered);
  hvsim_metric_set("late", g.late);
  const u64 freq = read_sysreg(cntfrq_el0);
  hvsim_metric_set("reenable_ns_total", (s64)(g.reenable_ticks * 1000000000UL / freq));
  hvsim_metric_set("reenable_ns_max", (s64)(g.reenable_max_ticks * 1000000000UL / freq));
  hvsim_metric_set("wrong", g.wrong);
  hvsim_metric_set("missed", g.missed);
  hvsim_metric_set("correct", ok);
  exit(0);
}
