/* sysreg: MRS/MSR of TPIDR_EL0/EL1/EL2 and TPIDRRO_EL0 (from EL2, EL1 and
 * EL0), NZCV, DAIF with MSR DAIFSet/DAIFClr immediates, SPSel switching
 * between SP_EL0 and SP_ELx, CurrentEL at EL2 and EL1, ELR/SPSR/FAR/ESR
 * round trips, SP_EL0/SP_EL1 from EL2, VPIDR_EL2/VMPIDR_EL2 seen by EL1
 * as MIDR_EL1/MPIDR_EL1. Entered at EL2. */
#include "fw.h"

static long at_el0(long arg) {
  (void)arg;
  check("el0 TPIDR_EL0", read_sysreg(tpidr_el0), 0x0e10e10e10e10e10);
  check("el0 TPIDRRO_EL0", read_sysreg(tpidrro_el0), 0xabcdef0123456789);
  write_sysreg(tpidr_el0, 0x0000000000000e00);
  check("el0 TPIDR_EL0 written", read_sysreg(tpidr_el0), 0xe00);
  write_sysreg(nzcv, PSR_N | PSR_V);
  check("el0 NZCV", read_sysreg(nzcv), PSR_N | PSR_V);
  return 7;
}

static long at_el1(long arg) {
  check("el1 CurrentEL", read_sysreg(CurrentEL), 1 << 2);
  check("el1 arg", (u64)arg, 0x1234);
  check("el1 TPIDR_EL1 (set at EL2)", read_sysreg(tpidr_el1), 0x1111111111111111);
  write_sysreg(tpidr_el1, 0xe1e1e1e1e1e1e1e1);
  check("el1 TPIDR_EL1", read_sysreg(tpidr_el1), 0xe1e1e1e1e1e1e1e1);
  write_sysreg(tpidr_el0, 0x0e10e10e10e10e10);
  write_sysreg(tpidrro_el0, 0xabcdef0123456789);
  check("el1 MIDR_EL1 = VPIDR_EL2", read_sysreg(midr_el1), 0x4f0f0123);
  check("el1 MPIDR_EL1 = VMPIDR_EL2", read_sysreg(mpidr_el1), 0x80000102);
  check("el1 SPSel", read_sysreg(SPSel), 1);
  check("el1 DAIF", read_sysreg(DAIF), PSR_DAIF);
  write_sysreg(elr_el1, 0x123456789abcdef0);
  check("el1 ELR_EL1", read_sysreg(elr_el1), 0x123456789abcdef0);
  write_sysreg(spsr_el1, 0xf00003c5);
  check("el1 SPSR_EL1", read_sysreg(spsr_el1), 0xf00003c5);
  check("el1 -> el0 result", (u64)run_at_el(0, at_el0, 0), 7);
  check("el1 TPIDR_EL0 after el0", read_sysreg(tpidr_el0), 0xe00);
  return 0x4321;
}

int main(void) {
  check("CurrentEL", read_sysreg(CurrentEL), 2 << 2);
  write_sysreg(tpidr_el2, 0x2222222222222222);
  write_sysreg(tpidr_el1, 0x1111111111111111);
  write_sysreg(tpidr_el0, 0x0000000000000000);
  check("TPIDR_EL2", read_sysreg(tpidr_el2), 0x2222222222222222);
  check("TPIDR_EL1", read_sysreg(tpidr_el1), 0x1111111111111111);
  check("TPIDR_EL0", read_sysreg(tpidr_el0), 0);
  write_sysreg(tpidrro_el0, 0x5555);
  check("TPIDRRO_EL0", read_sysreg(tpidrro_el0), 0x5555);

  /* NZCV: only bits 31:28 exist. */
  write_sysreg(nzcv, 0xffffffffffffffff);
  check("NZCV all", read_sysreg(nzcv), 0xf0000000);
  write_sysreg(nzcv, PSR_Z | PSR_C);
  check("NZCV ZC", read_sysreg(nzcv), PSR_Z | PSR_C);
  write_sysreg(nzcv, 0);
  check("NZCV 0", read_sysreg(nzcv), 0);

  /* DAIF (nothing is pending, so unmasking is harmless). */
  __asm__ volatile("msr daifclr, #0xf" ::: "memory");
  check("DAIF after daifclr #f", read_sysreg(DAIF), 0);
  __asm__ volatile("msr daifset, #0xa" ::: "memory");
  check("DAIF after daifset #a", read_sysreg(DAIF), PSR_D | PSR_I);
  __asm__ volatile("msr daifset, #0x5" ::: "memory");
  check("DAIF after daifset #5", read_sysreg(DAIF), PSR_DAIF);
  __asm__ volatile("msr daifclr, #0x4" ::: "memory");
  check("DAIF after daifclr #4", read_sysreg(DAIF), PSR_D | PSR_I | PSR_F);
  write_sysreg(daif, PSR_A);
  check("DAIF msr reg A", read_sysreg(DAIF), PSR_A);
  write_sysreg(daif, 0xffffffffffffffff);
  check("DAIF msr reg all", read_sysreg(DAIF), PSR_DAIF);

  /* SPSel: with SPSel = 0, SP is SP_EL0. */
  u64 sp_el0_seen, spsel0, sp_back, sp_before;
  write_sysreg(sp_el0, 0x40abc000);
  __asm__ volatile("mov %3, sp\n\t"
                   "msr spsel, #0\n\t"
                   "mrs %1, spsel\n\t"
                   "mov %0, sp\n\t"
                   "msr spsel, #1\n\t"
                   "mov %2, sp"
                   : "=&r"(sp_el0_seen), "=&r"(spsel0), "=&r"(sp_back), "=&r"(sp_before)
                   : : "memory");
  check("SPSel=0 read", spsel0, 0);
  check("SPSel=0 sp is SP_EL0", sp_el0_seen, 0x40abc000);
  check("SPSel=1 sp back", sp_back - sp_before, 0);
  u64 sp0;
  __asm__ volatile("msr spsel, %1\n\tmov %0, sp\n\tmsr spsel, #1"
                   : "=&r"(sp0) : "r"(0UL) : "memory");
  check("MSR SPSel reg form", sp0, 0x40abc000);
  write_sysreg(sp_el1, 0x40def000);
  check("SP_EL1 from EL2", read_sysreg(sp_el1), 0x40def000);

  /* Round trips of exception registers (no exception is taken). */
  write_sysreg(elr_el2, 0xfedcba9876543210);
  check("ELR_EL2", read_sysreg(elr_el2), 0xfedcba9876543210);
  write_sysreg(spsr_el2, 0x600003c9);
  check("SPSR_EL2", read_sysreg(spsr_el2), 0x600003c9);
  write_sysreg(far_el2, 0x0123456789abcdef);
  check("FAR_EL2", read_sysreg(far_el2), 0x0123456789abcdef);
  write_sysreg(far_el1, 0x1);
  check("FAR_EL1", read_sysreg(far_el1), 0x1);
  write_sysreg(esr_el2, 0x5600abcd);
  check("ESR_EL2", read_sysreg(esr_el2), 0x5600abcd);
  write_sysreg(esr_el1, 0x96000045);
  check("ESR_EL1", read_sysreg(esr_el1), 0x96000045);

  /* EL1 reads of MIDR/MPIDR return VPIDR_EL2/VMPIDR_EL2. */
  u64 vpidr = read_sysreg(vpidr_el2), vmpidr = read_sysreg(vmpidr_el2);
  write_sysreg(vpidr_el2, 0x4f0f0123);
  write_sysreg(vmpidr_el2, 0x80000102);
  check("VPIDR_EL2", read_sysreg(vpidr_el2), 0x4f0f0123);
  check("VMPIDR_EL2", read_sysreg(vmpidr_el2), 0x80000102);

  check("el2 -> el1 result", (u64)run_at_el(1, at_el1, 0x1234), 0x4321);
  write_sysreg(vpidr_el2, vpidr);
  write_sysreg(vmpidr_el2, vmpidr);
  check("TPIDR_EL1 after el1", read_sysreg(tpidr_el1), 0xe1e1e1e1e1e1e1e1);
  check("TPIDR_EL0 after el0", read_sysreg(tpidr_el0), 0xe00);
  check("TPIDRRO_EL0 after el1", read_sysreg(tpidrro_el0), 0xabcdef0123456789);
  check("TPIDR_EL2 kept", read_sysreg(tpidr_el2), 0x2222222222222222);
  check("back at EL2", read_sysreg(CurrentEL), 2 << 2);
  return test_done();
}
