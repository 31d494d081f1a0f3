/* el3: entered at EL3. SCR_EL3 and TPIDR_EL3; SMC at EL3 (taken to EL3); dropping EL3 -> EL2 (Non-secure) and EL3 -> EL1; SMC from
 * EL2 and from EL1 taken to EL3 (EC 0x17, imm16, ELR after the SMC, SPSR
 * with the caller's mode); HVC from EL1 taken to EL2 with SCR_EL3.HCE = 1;
 * SMC from EL1 trapped to EL2 by HCR_EL2.TSC (EC 0x17, ELR at the SMC).
 * HVC at EL3 is in hvc_el3 (QEMU gets it wrong). */
#include "fw.h"

static volatile u64 seen_esr[4], seen_elr[4], seen_spsr[4], seen_count[4];

static int handler(struct exc_frame *f) {
  u64 ec = ESR_EC(f->esr);
  seen_esr[f->el] = f->esr;
  seen_elr[f->el] = f->elr;
  seen_spsr[f->el] = f->spsr;
  seen_count[f->el]++;
  if (ec == EC_SMC64 && f->el == 2) f->elr += 4; /* trapped: ELR at the SMC */
  return ec == EC_SMC64 || ec == EC_HVC64;
}

static void clear(void) {
  for (int i = 0; i < 4; i++) seen_esr[i] = seen_elr[i] = seen_spsr[i] = seen_count[i] = 0;
}

/* Runs `insn` with NZCV = nzcv; returns the address of the instruction. */
#define CALL(insn, nzcv)                                                      \
  ({                                                                          \
    u64 __a;                                                                  \
    __asm__ volatile("msr nzcv, %1\n\tadr %0, 1f\n1:\t" insn                  \
                     : "=&r"(__a) : "r"((u64)(nzcv)) : "cc", "memory");       \
    __a;                                                                      \
  })

static void expect(const char *name, int el, u64 count, u64 esr, u64 elr, u64 spsr) {
  checkf(seen_count[el], count, "%s count at EL%d", name, el);
  checkf(seen_esr[el], esr, "%s ESR_EL%d", name, el);
  checkf(seen_elr[el], elr, "%s ELR_EL%d", name, el);
  checkf(seen_spsr[el], spsr, "%s SPSR_EL%d", name, el);
}

static long el1_calls(long arg) {
  check("el1 CurrentEL", read_sysreg(CurrentEL), 1 << 2);
  clear();
  u64 a = CALL("smc #0x2468", PSR_Z);
  expect("el1 smc", 3, 1, 0x5e002468, a + 4, PSR_Z | PSR_DAIF | PSR_M_EL1h);
  if (arg) { /* EL2 is below us: HVC reaches it */
    clear();
    a = CALL("hvc #0x11", PSR_N);
    expect("el1 hvc", 2, 1, 0x5a000011, a + 4, PSR_N | PSR_DAIF | PSR_M_EL1h);
  }
  return arg + 1;
}

static long el1_trapped_smc(long arg) {
  clear();
  u64 a = CALL("smc #0x99", PSR_C);
  expect("el1 smc trapped by TSC", 2, 1, 0x5e000099, a, PSR_C | PSR_DAIF | PSR_M_EL1h);
  check("el1 smc trapped: none at EL3", seen_count[3], 0);
  return arg;
}

static long el2_calls(long arg) {
  check("el2 CurrentEL", read_sysreg(CurrentEL), 2 << 2);
  clear();
  u64 a = CALL("smc #0x1357", PSR_N | PSR_V);
  expect("el2 smc", 3, 1, 0x5e001357, a + 4, PSR_N | PSR_V | PSR_DAIF | PSR_M_EL2h);
  check("el2 -> el1", (u64)run_at_el(1, el1_calls, 1), 2);
  u64 hcr = read_sysreg(hcr_el2);
  write_sysreg(hcr_el2, hcr | (1UL << 19)); /* TSC */
  isb();
  run_at_el(1, el1_trapped_smc, 0);
  write_sysreg(hcr_el2, hcr);
  isb();
  return arg + 1;
}

int main(void) {
  exc_set_handler(handler);
  check("CurrentEL", read_sysreg(CurrentEL), 3 << 2);
  check("SCR_EL3", read_sysreg(scr_el3), 0x531);
  write_sysreg(tpidr_el3, 0x3333333333333333);
  check("TPIDR_EL3", read_sysreg(tpidr_el3), 0x3333333333333333);
  write_sysreg(tpidr_el2, 0x2222);
  check("TPIDR_EL2 from EL3", read_sysreg(tpidr_el2), 0x2222);
  check("VBAR_EL3", read_sysreg(vbar_el3), (u64)fw_vectors);

  clear();
  u64 a = CALL("smc #0x1", PSR_C | PSR_V);
  expect("el3 smc", 3, 1, 0x5e000001, a + 4, PSR_C | PSR_V | PSR_DAIF | PSR_M_EL3h);

  check("el3 -> el2", (u64)run_at_el(2, el2_calls, 10), 11);
  check("el3 -> el1", (u64)run_at_el(1, el1_calls, 0), 1);
  check("back at EL3", read_sysreg(CurrentEL), 3 << 2);
  check("TPIDR_EL3 kept", read_sysreg(tpidr_el3), 0x3333333333333333);
  return test_done();
}
