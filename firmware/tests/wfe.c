/* wfe: a store by another core that clears this core's exclusive
 * reservation wakes it from WFE (Arm ARM, "Wait for Event": the Event
 * Register is set when the global monitor for the PE is cleared). This is
 * how Linux's spinlocks and smp_cond_load_acquire() wait (__cmpwait): LDXR
 * of the watched word, then WFE until a writer clears the reservation,
 * with no SEV. Run with --smp 2 / -smp 2.
 * The secondary clears its Event Register (SEVL; WFE), arms the monitor
 * with LDXR on `flag`, tells the boot core, and waits in WFE. The boot core
 * lets it fall asleep, stores 1 to `flag` with a plain STR and waits, for a
 * bounded number of iterations, for the secondary to report the value it
 * read after waking. */
#include "fw.h"

#define PSCI_CPU_OFF 0x84000002UL
#define PSCI_CPU_ON 0xC4000003UL

static u8 stack1[4096] __attribute__((aligned(16), used));
/* Each in its own 64-byte granule (CTR_EL0.ERG), so that only the store to
 * `flag` touches the reservation. */
static volatile u32 flag __attribute__((aligned(64)));
static volatile u32 armed __attribute__((aligned(64)));
static volatile u32 woke __attribute__((aligned(64)));
static volatile u32 seen __attribute__((aligned(64)));

void secondary_main(void);
__asm__(".pushsection .text\n"
        ".global secondary_entry\n"
        "secondary_entry:\n"
        "  adrp x2, stack1\n"
        "  add x2, x2, :lo12:stack1\n"
        "  add sp, x2, #4096\n"
        "  bl secondary_main\n"
        "1: wfe\n"
        "  b 1b\n"
        ".popsection\n");
extern char secondary_entry[];

void secondary_main(void) {
  u32 v, one = 1;
  __asm__ volatile("sevl\n\twfe\n\t"          /* Event Register now clear */
                   "ldxr %w0, [%1]\n\t"       /* reservation on flag */
                   "cbnz %w0, 1f\n\t"
                   "str %w3, [%2]\n\t"        /* armed = 1 */
                   "2: wfe\n\t"
                   "ldxr %w0, [%1]\n\t"
                   "cbz %w0, 2b\n"
                   "1:"
                   : "=&r"(v)
                   : "r"(&flag), "r"(&armed), "r"(one)
                   : "memory");
  seen = v;
  __asm__ volatile("dmb sy" ::: "memory");
  woke = 1;
  psci_smc(PSCI_CPU_OFF, 0, 0, 0);
}

int main(void) {
  check("CPU_ON(cpu1)", (long)psci_smc(PSCI_CPU_ON, 1, (u64)secondary_entry, 0), 0);
  while (!armed) {
  }
  /* Long enough for the secondary to be asleep in WFE on any model. */
  for (volatile u32 i = 0; i < 200000; i++) {
  }
  check("secondary still waiting before the store", woke, 0);
  flag = 1;
  u64 spins = 0;
  while (!woke && spins < 50000000) spins++;
  check("secondary woke from WFE after the store", woke, 1);
  check("value it read after waking", seen, 1);
  return test_done();
}
