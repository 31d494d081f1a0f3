/* smp: four cores through PSCI 1.0 (Arm DEN 0022) over the SMC conduit, as
 * on QEMU virt with virtualization=on (run with --smp 4 / -smp 4).
 * The boot core checks PSCI_VERSION and the return codes of CPU_ON
 * (ALREADY_ON for itself, INVALID_PARAMETERS for a core that does not
 * exist), then starts each secondary in turn: it prints a line and adds to
 * a shared counter with LDXR/STXR before CPU_OFF, and AFFINITY_INFO reports
 * it ON then OFF. Finally all secondaries run at once, each adding 1000
 * times to the counter alongside the boot core: no increment may be lost.
 * Only one core prints at a time, so the transcript is deterministic. */
#include "fw.h"

#define PSCI_VERSION 0x84000000UL
#define PSCI_CPU_OFF 0x84000002UL
#define PSCI_CPU_ON 0xC4000003UL
#define PSCI_AFFINITY_INFO 0xC4000004UL
#define PSCI_FEATURES 0x8400000AUL
#define PSCI_ALREADY_ON (-4L)
#define PSCI_INVALID_PARAMETERS (-2L)
#define AFF_ON 0
#define AFF_OFF 1

#define NCPUS 4
#define ROUNDS 1000

static u8 stacks[NCPUS][4096] __attribute__((aligned(16), used));
static volatile u64 counter;
static volatile u32 done[NCPUS];
static volatile u32 go;

/* Secondary entry at EL2, MMU off, x0 = context (the core's index): a stack
 * of its own, then secondary_main(). */
void secondary_main(u64 ctx);
__asm__(".pushsection .text\n"
        ".global secondary_entry\n"
        "secondary_entry:\n"
        "  and x1, x0, #0xff\n"
        "  add x1, x1, #1\n"
        "  adrp x2, stacks\n"
        "  add x2, x2, :lo12:stacks\n"
        "  add x2, x2, x1, lsl #12\n"
        "  mov sp, x2\n"
        "  bl secondary_main\n"
        "1: wfe\n"
        "  b 1b\n"
        ".popsection\n");
extern char secondary_entry[];

static void atomic_add(volatile u64 *p, u64 v) {
  u64 tmp;
  u32 fail;
  __asm__ volatile("1: ldxr %0, [%2]\n"
                   "   add %0, %0, %3\n"
                   "   stxr %w1, %0, [%2]\n"
                   "   cbnz %w1, 1b"
                   : "=&r"(tmp), "=&r"(fail)
                   : "r"(p), "r"(v)
                   : "memory");
}

void secondary_main(u64 ctx) {
  u64 idx = ctx & 0xff;
  if (ctx & 0x100) {
    /* Together: wait for the start signal, then contend. */
    while (!go) {
    }
    for (int i = 0; i < ROUNDS; i++) atomic_add(&counter, 1);
  } else {
    u64 mpidr = read_sysreg(mpidr_el1);
    printf("cpu%lu: up at EL%d, MPIDR.Aff0 = %lu\n", idx, current_el(), mpidr & 0xff);
    atomic_add(&counter, idx);
  }
  __asm__ volatile("dmb sy" ::: "memory");
  done[idx] = 1;
  __asm__ volatile("dsb sy\n\tsev" ::: "memory");
  psci_smc(PSCI_CPU_OFF, 0, 0, 0);
  printf("cpu%lu: CPU_OFF returned\n", idx);
}

static u64 aff_of(u64 idx) { return idx; /* one cluster: Aff0 = index */ }

static void wait_off(u64 idx) {
  while (psci_smc(PSCI_AFFINITY_INFO, aff_of(idx), 0, 0) != AFF_OFF) {
  }
}

int main(void) {
  u64 v = psci_smc(PSCI_VERSION, 0, 0, 0);
  check("PSCI_VERSION major >= 1 or 0.2", v >= 2, 1);
  check("PSCI_FEATURES(CPU_ON)", (long)psci_smc(PSCI_FEATURES, PSCI_CPU_ON, 0, 0) >= 0, 1);
  check("MPIDR.Aff0 of the boot core", read_sysreg(mpidr_el1) & 0xff, 0);
  check("AFFINITY_INFO(self)", psci_smc(PSCI_AFFINITY_INFO, 0, 0, 0), AFF_ON);
  check("AFFINITY_INFO(cpu1) before CPU_ON", psci_smc(PSCI_AFFINITY_INFO, 1, 0, 0), AFF_OFF);
  check("CPU_ON(self)", (long)psci_smc(PSCI_CPU_ON, 0, (u64)secondary_entry, 0), PSCI_ALREADY_ON);
  check("CPU_ON(cpu 9)", (long)psci_smc(PSCI_CPU_ON, 9, (u64)secondary_entry, 9), PSCI_INVALID_PARAMETERS);

  /* One at a time: each secondary prints, counts, and turns itself off. */
  counter = 0;
  for (u64 i = 1; i < NCPUS; i++) {
    done[i] = 0;
    __asm__ volatile("dsb sy" ::: "memory");
    /* No printing until the secondary is done: it prints meanwhile. */
    long r = (long)psci_smc(PSCI_CPU_ON, aff_of(i), (u64)secondary_entry, i);
    while (r == 0 && !done[i]) {
    }
    checkf(r, 0, "CPU_ON(cpu%lu)", i);
    wait_off(i);
    checkf(psci_smc(PSCI_AFFINITY_INFO, aff_of(i), 0, 0), AFF_OFF, "AFFINITY_INFO(cpu%lu) after CPU_OFF", i);
  }
  check("counter after the greetings", counter, 1 + 2 + 3);

  /* All together: 4 x ROUNDS increments with LDXR/STXR. */
  counter = 0;
  go = 0;
  for (u64 i = 1; i < NCPUS; i++) {
    done[i] = 0;
    __asm__ volatile("dsb sy" ::: "memory");
    psci_smc(PSCI_CPU_ON, aff_of(i), (u64)secondary_entry, i | 0x100);
  }
  __asm__ volatile("dsb sy" ::: "memory");
  go = 1;
  for (int i = 0; i < ROUNDS; i++) atomic_add(&counter, 1);
  for (u64 i = 1; i < NCPUS; i++) {
    while (!done[i]) {
    }
    wait_off(i);
  }
  check("counter after contention", counter, NCPUS * ROUNDS);
  return test_done();
}
