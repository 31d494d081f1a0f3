/* rtc: the PL031 real time clock of the QEMU virt board (0x09010000, SPI 2
 * = INTID 34): PrimeCell identification, the always-running counter
 * (RTCCR), loading RTCDR through RTCLR, and the match interrupt (RTCMR,
 * RTCIMSC/RIS/MIS/ICR) through the GICv3 to EL2, waited for in WFI. The
 * clock's value is never printed (hvsim starts from a configured value,
 * QEMU from the host clock). The match takes up to a second of (simulated
 * or host) time. */
#include "fw.h"

#define RTC 0x09010000UL
#define RTCDR 0x000
#define RTCMR 0x004
#define RTCLR 0x008
#define RTCCR 0x00C
#define RTCIMSC 0x010
#define RTCRIS 0x014
#define RTCMIS 0x018
#define RTCICR 0x01C

#define GICD 0x08000000UL
#define GICR 0x080A0000UL
#define GICR_STRIDE 0x20000UL
#define GICD_CTLR 0x0000
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0C00
#define GICD_IROUTER 0x6000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define SGI_BASE 0x10000UL

#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_HPPIR1_EL1 S3_0_C12_C12_2
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7

#define INTID_RTC 34
#define INTID_CNTP 30

static inline u32 rd32(u64 a) { return *(volatile u32 *)a; }
static inline void wr32(u64 a, u32 v) { *(volatile u32 *)a = v; }
static inline u64 rd64(u64 a) { return *(volatile u64 *)a; }
static inline void wr64(u64 a, u64 v) { *(volatile u64 *)a = v; }
static inline void wr8(u64 a, u8 v) { *(volatile u8 *)a = v; }

static volatile u32 seen_intid, seen_mis;
static volatile unsigned nseen;

/* The RTC interrupt: acknowledge, clear at the device, end. */
static int handler(struct exc_frame *f) {
  if (f->vec != VEC_CUR_SPX + 1) return 0;
  u32 intid = (u32)read_sysreg(ICC_IAR1_EL1);
  nseen++;
  seen_intid = intid;
  seen_mis = rd32(RTC + RTCMIS);
  wr32(RTC + RTCICR, 1);
  if (intid != 1023) write_sysreg(ICC_EOIR1_EL1, intid);
  isb();
  return 1;
}

static void gic_init(void) {
  u64 mpidr = read_sysreg(mpidr_el1);
  u64 aff = (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 32;
  wr32(GICD + GICD_CTLR, 0);
  while (rd32(GICD + GICD_CTLR) & (1u << 31)) {
  }
  wr32(GICD + GICD_CTLR, (1u << 4) | (1u << 1) | (1u << 0));
  for (u64 r = GICR;; r += GICR_STRIDE) {
    u64 typer = rd64(r + GICR_TYPER);
    if ((typer >> 32) == (((aff >> 32) << 24) | (aff & 0xffffff))) {
      wr32(r + GICR_WAKER, rd32(r + GICR_WAKER) & ~2u);
      while (rd32(r + GICR_WAKER) & 4) {
      }
      /* The EL1 physical timer's PPI, for sleeping between polls. */
      wr32(r + SGI_BASE + GICD_IGROUPR, ~0u);
      wr8(r + SGI_BASE + GICD_IPRIORITYR + INTID_CNTP, 0xa0);
      wr32(r + SGI_BASE + GICD_ISENABLER, 1u << INTID_CNTP);
      break;
    }
    if (typer & (1u << 4)) break;
  }
  wr32(GICD + GICD_IGROUPR + 4 * (INTID_RTC / 32), ~0u);
  wr8(GICD + GICD_IPRIORITYR + INTID_RTC, 0xa0);
  wr32(GICD + GICD_ICFGR + 4 * (INTID_RTC / 16), 0); /* level */
  wr64(GICD + GICD_IROUTER + 8 * INTID_RTC, aff);
  wr32(GICD + GICD_ISENABLER + 4 * (INTID_RTC / 32), 1u << (INTID_RTC % 32));
  write_sysreg(ICC_PMR_EL1, 0xf0);
  write_sysreg(ICC_CTLR_EL1, 0);
  write_sysreg(ICC_IGRPEN1_EL1, 1);
  write_sysreg(hcr_el2, read_sysreg(hcr_el2) | (1UL << 4) | (1UL << 3)); /* IMO, FMO */
  isb();
}

int main(void) {
  exc_set_handler(handler);
  static const u32 id[8] = {0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
  int id_ok = 1;
  for (int i = 0; i < 8; i++) id_ok &= rd32(RTC + 0xfe0 + 4 * i) == id[i];
  check("PL031 PeriphID/PCellID", id_ok, 1);
  check("RTCCR (started)", rd32(RTC + RTCCR) & 1, 1);
  wr32(RTC + RTCIMSC, 0);
  wr32(RTC + RTCICR, 1);
  check("RTCRIS after ICR", rd32(RTC + RTCRIS) & 1, 0);

  /* Load a value: RTCDR continues from it, RTCLR reads it back. */
  wr32(RTC + RTCLR, 1000000);
  u32 dr = rd32(RTC + RTCDR);
  check("RTCDR after load (within 2 s)", dr - 1000000 <= 2, 1);
  check("RTCLR", rd32(RTC + RTCLR), 1000000);

  /* Match one second ahead, masked: RIS without MIS. */
  gic_init();
  wr32(RTC + RTCMR, rd32(RTC + RTCDR) + 1);
  check("RTCMR", rd32(RTC + RTCMR) - rd32(RTC + RTCDR) <= 1, 1);
  while (!(rd32(RTC + RTCRIS) & 1)) {
    /* Nothing wakes WFI while the match interrupt is masked: poll the
     * clock every 10 ms, sleeping on the generic timer (its interrupt
     * pending with PSTATE.I set ends WFI without being taken). */
    write_sysreg(cntp_tval_el0, read_sysreg(cntfrq_el0) / 100);
    write_sysreg(cntp_ctl_el0, 1);
    isb();
    while (!(read_sysreg(cntp_ctl_el0) & 4)) __asm__ volatile("dsb sy\n\twfi" ::: "memory");
    write_sysreg(cntp_ctl_el0, 0);
    isb();
  }
  write_sysreg(cntp_ctl_el0, 0);
  check("match: RTCRIS", rd32(RTC + RTCRIS) & 1, 1);
  check("masked: RTCMIS", rd32(RTC + RTCMIS) & 1, 0);
  check("masked: ISR_EL1.I", (read_sysreg(isr_el1) >> 7) & 1, 0);
  /* Unmasking the pending match raises the interrupt. */
  wr32(RTC + RTCIMSC, 1);
  isb();
  check("unmasked: RTCMIS", rd32(RTC + RTCMIS) & 1, 1);
  check("unmasked: HPPIR1", read_sysreg(ICC_HPPIR1_EL1), INTID_RTC);
  nseen = 0;
  __asm__ volatile("msr daifclr, #2\n\tisb\n\tnop\n\tmsr daifset, #2\n\tisb" ::: "memory");
  check("interrupts taken", nseen, 1);
  check("INTID", seen_intid, INTID_RTC);
  check("RTCMIS in handler", seen_mis & 1, 1);
  check("after ICR: RTCRIS", rd32(RTC + RTCRIS) & 1, 0);

  /* Unmasked from the start: WFI until the next match. */
  nseen = 0;
  wr32(RTC + RTCMR, rd32(RTC + RTCDR) + 1);
  while (!nseen) {
    __asm__ volatile("dsb sy\n\twfi\n\tmsr daifclr, #2\n\tisb\n\tnop\n\tmsr daifset, #2\n\tisb" ::: "memory");
  }
  check("WFI: interrupts taken", nseen, 1);
  check("WFI: INTID", seen_intid, INTID_RTC);
  wr32(RTC + RTCIMSC, 0);
  return test_done();
}
