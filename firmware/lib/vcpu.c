/* Per-core EL2 bring-up and EL1 vCPU entry/exit (see vcpu.h). */
#include "vcpu.h"

/* The boot core's reset values from start.S. */
#define SCTLR_EL2_RESET 0x30c50838UL
#define SCTLR_EL1_RESET 0x30d50818UL
#define HCR_EL2_RESET 0x80000000UL
#define SPSR_EL1H_MASKED 0x3c5UL /* DAIF masked, EL1h */

#define EL2_STACK 8192
#define EL1_STACK 4096

struct slot {
  volatile u64 v;
  u8 pad[56];
} __attribute__((aligned(64)));

u8 vcpu_el2_stacks[VCPU_MAX][EL2_STACK] __attribute__((aligned(16)));
static u8 el1_stacks[VCPU_MAX][EL1_STACK] __attribute__((aligned(16)));
static struct slot saved[VCPU_MAX];
static struct slot entered[VCPU_MAX];
static void (*secondary_fn)(unsigned cpu);

long vcpu_enter(long arg, long (*fn)(long), u64 sp_el1, u64 *slot);
void vcpu_leave(u64 *slot, long value) __attribute__((noreturn));
void smp_secondary_main(u64 idx);

/* x0 = the CPU_ON context: the core's index. */
__asm__(".pushsection .text\n"
        ".global smp_secondary_entry\n"
        "smp_secondary_entry:\n"
        "  msr spsel, #1\n"
        "  and x0, x0, #0xff\n"
        "  adrp x1, vcpu_el2_stacks\n"
        "  add x1, x1, :lo12:vcpu_el2_stacks\n"
        "  add x2, x0, #1\n"
        "  add x1, x1, x2, lsl #13\n"
        "  mov sp, x1\n"
        "  msr tpidr_el2, x0\n"
        "  bl smp_secondary_main\n"
        "1: wfe\n"
        "  b 1b\n"
        /* long vcpu_enter(arg, fn, sp_el1, slot) */
        ".global vcpu_enter\n"
        "vcpu_enter:\n"
        "  stp x29, x30, [sp, #-96]!\n"
        "  stp x19, x20, [sp, #16]\n"
        "  stp x21, x22, [sp, #32]\n"
        "  stp x23, x24, [sp, #48]\n"
        "  stp x25, x26, [sp, #64]\n"
        "  stp x27, x28, [sp, #80]\n"
        "  mov x9, sp\n"
        "  str x9, [x3]\n"
        "  msr sp_el1, x2\n"
        "  adr x9, vcpu_guest_entry\n"
        "  msr elr_el2, x9\n"
        "  mov x9, #0x3c5\n"
        "  msr spsr_el2, x9\n"
        "  eret\n"
        "vcpu_guest_entry:\n"
        "  mov x29, xzr\n"
        "  blr x1\n"
        "  hvc #0xf00e\n"
        "2: b 2b\n"
        /* void vcpu_leave(slot, value) */
        ".global vcpu_leave\n"
        "vcpu_leave:\n"
        "  ldr x9, [x0]\n"
        "  mov sp, x9\n"
        "  mov x0, x1\n"
        "  ldp x19, x20, [sp, #16]\n"
        "  ldp x21, x22, [sp, #32]\n"
        "  ldp x23, x24, [sp, #48]\n"
        "  ldp x25, x26, [sp, #64]\n"
        "  ldp x27, x28, [sp, #80]\n"
        "  ldp x29, x30, [sp], #96\n"
        "  ret\n"
        ".popsection\n");
extern char smp_secondary_entry[];

void smp_secondary_main(u64 idx) {
  /* CPU_ON leaves the other EL2/EL1 registers UNKNOWN (PSCI, "CPU_ON"). */
  write_sysreg(sctlr_el2, SCTLR_EL2_RESET);
  write_sysreg(hcr_el2, HCR_EL2_RESET);
  write_sysreg(sctlr_el1, SCTLR_EL1_RESET);
  isb();
  vectors_install(2);
  vectors_install(1);
  entered[idx].v = 1;
  __asm__ volatile("dsb sy" ::: "memory");
  secondary_fn((unsigned)idx);
  psci_smc(PSCI_CPU_OFF, 0, 0, 0);
  printf("cpu%lu: CPU_OFF returned\n", idx);
  exit(1);
}

void smp_start(unsigned n, void (*fn)(unsigned cpu)) {
  write_sysreg(tpidr_el2, 0);
  if (n > VCPU_MAX) {
    printf("smp_start: %u cores, at most %d\n", n, VCPU_MAX);
    exit(2);
  }
  secondary_fn = fn;
  __asm__ volatile("dsb sy" ::: "memory");
  for (unsigned i = 1; i < n; i++) {
    const long r = (long)psci_smc(PSCI_CPU_ON, i, (u64)smp_secondary_entry, i);
    if (r != 0) {
      printf("smp_start: CPU_ON(cpu%u) = %ld\n", i, r);
      exit(2);
    }
    while (!entered[i].v) {
    }
  }
}

long vcpu_run(long (*fn)(long), long arg) {
  const unsigned c = cpu_index();
  return vcpu_enter(arg, fn, (u64)el1_stacks[c] + EL1_STACK, (u64 *)&saved[c].v);
}

int vcpu_exit(struct exc_frame *f) {
  if (f->el == 2 && f->vec == VEC_LOWER64 && ESR_EC(f->esr) == EC_HVC64 && (f->esr & 0xffff) == VCPU_EXIT_IMM)
    vcpu_leave((u64 *)&saved[cpu_index()].v, (long)f->x[0]);
  return 0;
}
