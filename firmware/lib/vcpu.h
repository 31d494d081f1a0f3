/* hvsim firmware: an SMP EL2 test hypervisor's per-core plumbing (the
 * optional library part `vcpu`, for scenarios with one vCPU per core).
 *
 * The boot core starts the others with PSCI CPU_ON (SMC conduit, entry at
 * EL2, one cluster: core i has MPIDR.Aff0 = i). Each secondary gets an EL2
 * stack of its own, the boot core's reset state of SCTLR_EL2, SCTLR_EL1,
 * HCR_EL2 and the vectors at EL2 and EL1, its index in TPIDR_EL2, and runs
 * the function given to smp_start(). run_at_el() is for one core only;
 * vcpu_run() is its per-core counterpart for EL2 -> EL1.
 *
 * Entered with the MMU off, a secondary reads only what the boot core wrote
 * with its data cache off: turn the boot core's caches on only after every
 * secondary has said so (smp_start waits for it). */
#ifndef HVSIM_FW_VCPU_H
#define HVSIM_FW_VCPU_H

#include "fw.h"

#define VCPU_MAX 8
/* HVC immediate of a guest's return from vcpu_run. */
#define VCPU_EXIT_IMM 0xf00e

#define PSCI_CPU_OFF 0x84000002UL
#define PSCI_CPU_ON 0xC4000003UL
#define PSCI_AFFINITY_INFO 0xC4000004UL


/* This core's index (TPIDR_EL2; the boot core sets 0 in smp_start). */
static inline unsigned cpu_index(void) { return (unsigned)read_sysreg(tpidr_el2); }

/* Starts cores 1..n-1 (n <= VCPU_MAX), each running fn(index) at EL2 with
 * its MMU off, and returns once each has entered it (before it runs
 * anything of fn's). When fn returns, the core turns itself off
 * (CPU_OFF). Exits with a message on a PSCI error. */
void smp_start(unsigned n, void (*fn)(unsigned cpu));

/* Runs fn(arg) at EL1 on this core (AArch64, SP_EL1 a 4 KB stack of this
 * core's, interrupts masked) and returns its result once it returns. The
 * EL2 exception handler must call vcpu_exit() first. */
long vcpu_run(long (*fn)(long), long arg);

/* For the hypervisor's handler: the guest's HVC #VCPU_EXIT_IMM returns from
 * vcpu_run (never from here); anything else returns 0. */
int vcpu_exit(struct exc_frame *f);

#endif
