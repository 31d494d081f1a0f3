/* its_movi: MOVI moves an LPI between the redistributors of two cores (run
 * with --smp 2 / -smp 2). Both cores set up their redistributor's LPI
 * tables as Linux does; collection 0 targets cpu0, collection 1 cpu1.
 * cpu0 keeps IRQs masked: an INT of event 0 (LPI 8192, collection 0) stays
 * pending at cpu0 (HPPIR1); MOVI to collection 1 + SYNC moves the pending
 * state to cpu1 (IHI 0069 5.3.12), which takes it; the next INT goes to
 * cpu1 directly; MOVI back to collection 0 and INT leave it pending at
 * cpu0, which takes it. cpu1 only records (INTID and its MPIDR.Aff0); cpu0
 * prints, so the transcript is deterministic. */
#include "fw.h"
#include "its.h"

#define PSCI_CPU_ON 0xC4000003UL
#define LPI 8192

static u8 stacks[2][4096] __attribute__((aligned(16), used));
static u8 itt[4096] __attribute__((aligned(4096)));
static volatile u32 took_intid[8], took_cpu[8], ntook;
static volatile u64 rdbase1;
static volatile u32 cpu1_ready;

/* Secondary entry at EL2, MMU off, x0 = 1: a stack, then secondary_main(). */
void secondary_main(void);
__asm__(".pushsection .text\n"
        ".global its_secondary_entry\n"
        "its_secondary_entry:\n"
        "  adrp x2, stacks\n"
        "  add x2, x2, :lo12:stacks\n"
        "  add x2, x2, #8192\n"
        "  mov sp, x2\n"
        "  bl secondary_main\n"
        "1: wfe\n"
        "  b 1b\n"
        ".popsection\n");
extern char its_secondary_entry[];

/* IRQ handler on both cores: acknowledge, record who took what, EOI. */
static int record(struct exc_frame *f) {
  if (f->vec != VEC_CUR_SPX + 1) return 0;
  u32 intid = (u32)read_sysreg(ICC_IAR1_EL1);
  if (intid == SPURIOUS) return 1;
  u32 n = ntook;
  if (n < 8) {
    took_intid[n] = intid;
    took_cpu[n] = (u32)(read_sysreg(mpidr_el1) & 0xff);
  }
  __asm__ volatile("dsb sy" ::: "memory");
  ntook = n + 1;
  write_sysreg(ICC_EOIR1_EL1, intid);
  isb();
  return 1;
}

void secondary_main(void) {
  vectors_install(2);
  rdbase1 = its_rdbase(its_cpu_init(1));
  __asm__ volatile("dsb sy" ::: "memory");
  cpu1_ready = 1;
  __asm__ volatile("dsb sy\n\tsev\n\tmsr daifclr, #2\n\tisb" ::: "memory");
  for (;;) __asm__ volatile("wfi");
}

/* Waits are bounded by two seconds of the generic counter: on QEMU the other
 * core is a host thread that a loaded host may run late. */
static u64 deadline(void) { return read_sysreg(cntpct_el0) + 2 * read_sysreg(cntfrq_el0); }
static int expired(u64 d) { return read_sysreg(cntpct_el0) > d; }

static int wait_taken(u32 n) {
  for (u64 d = deadline(); !expired(d);)
    if (ntook >= n) return 1;
  return ntook >= n;
}

static u64 wait_hppir(u64 want) {
  u64 v = SPURIOUS;
  for (u64 d = deadline(); !expired(d) && (v = read_sysreg(ICC_HPPIR1_EL1)) != want;) {
  }
  return v;
}

static void show_taken(const char *what, u32 i) {
  printf("%s: LPI %u taken by cpu%u\n", what, took_intid[i], took_cpu[i]);
}

int main(void) {
  exc_set_handler(record);
  its_gicd_init();
  u64 rdbase0 = its_rdbase(its_cpu_init(0));
  its_init();
  check("CPU_ON(cpu1)", psci_smc(PSCI_CPU_ON, 1, (u64)its_secondary_entry, 1), 0);
  for (u64 d = deadline(); !expired(d) && !cpu1_ready;) {
  }
  check("cpu1 ready", cpu1_ready, 1);
  check("RDbase of cpu1 differs from cpu0's", rdbase1 != rdbase0, 1);

  its_lpi_config(LPI, 0xa0, 1);
  its_mapd(0, itt, 5);
  its_mapc(0, rdbase0);
  its_mapc(1, rdbase1);
  its_mapti(0, 0, LPI, 0);
  its_sync(rdbase0);
  check("queue not stalled after MAPD/MAPC/MAPTI", rd64(GITS + GITS_CREADR) & 1, 0);

  /* Pending at cpu0 (IRQs masked there), then moved to cpu1. */
  its_int(0, 0);
  its_sync(rdbase0);
  check("INT: HPPIR1 of cpu0", wait_hppir(LPI), LPI);
  its_movi(0, 0, 1);
  its_sync(rdbase1);
  check("MOVI: taken", wait_taken(1), 1);
  show_taken("after MOVI to collection 1", 0);
  check("MOVI: HPPIR1 of cpu0", read_sysreg(ICC_HPPIR1_EL1), SPURIOUS);

  /* The event now translates to collection 1. */
  its_int(0, 0);
  its_sync(rdbase1);
  check("INT after MOVI: taken", wait_taken(2), 1);
  show_taken("INT after MOVI", 1);
  check("cpu0 saw nothing", read_sysreg(ICC_HPPIR1_EL1), SPURIOUS);

  /* Back to collection 0: pending at cpu0 again, taken in an IRQ window. */
  its_movi(0, 0, 0);
  its_int(0, 0);
  its_sync(rdbase0);
  check("INT after MOVI back: HPPIR1 of cpu0", wait_hppir(LPI), LPI);
  __asm__ volatile("msr daifclr, #2\n\tisb\n\tnop\n\tnop\n\tmsr daifset, #2\n\tisb" ::: "memory");
  check("INT after MOVI back: taken", wait_taken(3), 1);
  show_taken("INT after MOVI back to collection 0", 2);
  check("taken 3 times in all", ntook, 3);
  check("queue not stalled", rd64(GITS + GITS_CREADR) & 1, 0);
  return test_done();
}
