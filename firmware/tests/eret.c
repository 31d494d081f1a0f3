/* eret: ERET restores PC from ELR and PSTATE (NZCV, DAIF, EL, SP select)
 * from SPSR: EL2->EL2h, EL2->EL2t, EL2->EL1h, EL2->EL1t, EL2->EL0t and
 * EL1->EL0t, each checked from the target (CurrentEL, SPSel, NZCV, DAIF)
 * and by the SPSR of the exception that comes back (HVC/SVC); ELR and SPSR
 * keep their values across ERET. Entered at EL2. */
#include "fw.h"

extern char fw_stack_el0_top[], fw_stack_el1_top[];

extern char hop_stub[];
__asm__(".text\n.balign 4\nhop_stub:\n\thvc #0x77\n\tb .\n");

static volatile u64 seen_spsr[4], seen_esr[4], seen_count[4];

/* HVC/SVC #0x77 at the EL below: come back to exc_resume_at at this EL.
 * SVC #0x55 at EL0 (reached straight from EL2): hop on to EL2 by HVC
 * #0x77 from EL1. */
static int handler(struct exc_frame *f) {
  u64 ec = ESR_EC(f->esr), imm = f->esr & 0xffff;
  seen_spsr[f->el] = f->spsr;
  seen_esr[f->el] = f->esr;
  seen_count[f->el]++;
  if ((ec == EC_HVC64 || ec == EC_SVC64) && imm == 0x77) {
    f->elr = exc_resume_at;
    f->spsr = PSR_DAIF | (f->el == 2 ? PSR_M_EL2h : PSR_M_EL1h);
    return 1;
  }
  if (ec == EC_SVC64 && imm == 0x55 && f->el == 1) {
    /* Return to an EL1 stub with EL0's registers, which are the EL2
     * code's: the stub's HVC then resumes the EL2 code with them. */
    f->elr = (u64)hop_stub;
    f->spsr = PSR_DAIF | PSR_M_EL1h;
    return 1;
  }
  return 0;
}

static void clear(void) {
  for (int i = 0; i < 4; i++) seen_spsr[i] = seen_esr[i] = seen_count[i] = 0;
}

/* ERET from the current EL (2 or 1, given as ELR/SPSR register names) to
 * the code at 1:, which reads CurrentEL-ish state into x9..x11 and calls
 * back with `back`; execution resumes at 2:. */
#define ERET_TO(elr, spsr_reg, spsr_val, body, back, o9, o10, o11)            \
  __asm__ volatile("adr x12, 2f\n\tstr x12, [%3]\n\t"                         \
                   "adr x12, 1f\n\tmsr " elr ", x12\n\t"                      \
                   "msr " spsr_reg ", %4\n\teret\n"                           \
                   "1:\t" body "\n\t" back "\n"                               \
                   "2:\tmov %0, x9\n\tmov %1, x10\n\tmov %2, x11"             \
                   : "=&r"(o9), "=&r"(o10), "=&r"(o11)                        \
                   : "r"(&exc_resume_at), "r"((u64)(spsr_val))                \
                   : "x9", "x10", "x11", "x12", "memory")

static long at_el1(long arg) {
  u64 a, b, c;
  clear();
  ERET_TO("elr_el1", "spsr_el1", PSR_N | PSR_Z | PSR_DAIF | PSR_M_EL0t,
          "mrs x11, nzcv\n\tmov x9, #0\n\tmov x10, #0", "svc #0x77", a, b, c);
  check("el1->el0t NZCV at target", c, PSR_N | PSR_Z);
  check("el1->el0t SVC ESR_EL1", seen_esr[1], 0x56000077);
  check("el1->el0t SVC SPSR_EL1", seen_spsr[1], PSR_N | PSR_Z | PSR_DAIF | PSR_M_EL0t);
  check("el1->el0t count", seen_count[1], 1);
  return arg;
}

int main(void) {
  exc_set_handler(handler);
  u64 a, b, c, d;

  /* Same-EL ERET: NZCV and DAIF come from SPSR, PC from ELR. */
  __asm__ volatile("adr x12, 1f\n\tmsr elr_el2, x12\n\tmsr spsr_el2, %3\n\teret\n\t"
                   "b .\n"
                   "1:\tmrs %0, nzcv\n\tmrs %1, daif\n\tmsr daifset, #0xf\n\t"
                   "mrs %2, elr_el2\n\tadr x12, 1b\n\tsub %2, %2, x12"
                   : "=&r"(a), "=&r"(b), "=&r"(c)
                   : "r"(PSR_N | PSR_V | PSR_D | PSR_A | PSR_M_EL2h) : "x12", "memory");
  check("el2->el2h NZCV", a, PSR_N | PSR_V);
  check("el2->el2h DAIF", b, PSR_D | PSR_A);
  check("el2->el2h ELR kept", c, 0);
  check("el2->el2h SPSR kept", read_sysreg(spsr_el2), PSR_N | PSR_V | PSR_D | PSR_A | PSR_M_EL2h);

  write_sysreg(sp_el0, fw_stack_el0_top);
  __asm__ volatile("adr x12, 1f\n\tmsr elr_el2, x12\n\tmsr spsr_el2, %3\n\teret\n"
                   "1:\tmrs %0, spsel\n\tmov %1, sp\n\tmrs %2, nzcv\n\tmsr spsel, #1"
                   : "=&r"(a), "=&r"(b), "=&r"(c)
                   : "r"(PSR_Z | PSR_DAIF | PSR_M_EL2t) : "x12", "memory");
  check("el2->el2t SPSel", a, 0);
  check("el2->el2t SP is SP_EL0", b, (u64)fw_stack_el0_top);
  check("el2->el2t NZCV", c, PSR_Z);

  /* EL2 -> EL1h / EL1t, back with HVC. */
  write_sysreg(sp_el1, fw_stack_el1_top);
  clear();
  ERET_TO("elr_el2", "spsr_el2", PSR_C | PSR_DAIF | PSR_M_EL1h,
          "mrs x9, CurrentEL\n\tmrs x10, spsel\n\tmrs x11, nzcv", "hvc #0x77", a, b, c);
  check("el2->el1h CurrentEL", a, 1 << 2);
  check("el2->el1h SPSel", b, 1);
  check("el2->el1h NZCV", c, PSR_C);
  check("el2->el1h HVC SPSR_EL2", seen_spsr[2], PSR_C | PSR_DAIF | PSR_M_EL1h);
  check("el2->el1h HVC ESR_EL2", seen_esr[2], 0x5a000077);
  clear();
  ERET_TO("elr_el2", "spsr_el2", PSR_N | PSR_C | PSR_F | PSR_I | PSR_M_EL1t,
          "mrs x9, CurrentEL\n\tmrs x10, spsel\n\tmrs x11, daif", "hvc #0x77", a, b, c);
  check("el2->el1t CurrentEL", a, 1 << 2);
  check("el2->el1t SPSel", b, 0);
  check("el2->el1t DAIF", c, PSR_I | PSR_F);
  check("el2->el1t HVC SPSR_EL2", seen_spsr[2], PSR_N | PSR_C | PSR_I | PSR_F | PSR_M_EL1t);

  /* EL2 -> EL0 directly; SVC goes to EL1, whose handler hops to EL2. */
  clear();
  ERET_TO("elr_el2", "spsr_el2", PSR_V | PSR_DAIF | PSR_M_EL0t,
          "mrs x11, nzcv\n\tmov x9, #0\n\tmov x10, #0", "svc #0x55", a, b, c);
  check("el2->el0t NZCV", c, PSR_V);
  check("el2->el0t SVC ESR_EL1", seen_esr[1], 0x56000055);
  check("el2->el0t SVC SPSR_EL1", seen_spsr[1], PSR_V | PSR_DAIF | PSR_M_EL0t);
  check("el2->el0t hop HVC ESR_EL2", seen_esr[2], 0x5a000077);
  check("el2->el0t hop HVC SPSR_EL2", seen_spsr[2], PSR_DAIF | PSR_M_EL1h);
  check("el2->el0t counts", seen_count[1] * 16 + seen_count[2], 0x11);

  d = (u64)run_at_el(1, at_el1, 5);
  check("el2 -> el1 -> el0 -> back", d, 5);
  check("CurrentEL at end", read_sysreg(CurrentEL), 2 << 2);
  return test_done();
}
