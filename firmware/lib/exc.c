/* Exception dispatch, the ready-made recording handlers, and run_at_el. */
#include "fw.h"

static exc_handler_fn handler;
volatile struct exc_record exc_rec;
volatile u64 exc_resume_at;
static int run_active[4];

extern long fw_run_eret(long arg, long (*fn)(long), long kind, long origin);
extern void fw_run_return(long origin, long value) __attribute__((noreturn));
extern char fw_lower_entry[];
extern char fw_stack_el0_top[], fw_stack_el1_top[], fw_stack_el2_top[];

exc_handler_fn exc_set_handler(exc_handler_fn h) {
  exc_handler_fn old = handler;
  handler = h;
  return old;
}

void exc_rec_clear(void) {
  exc_rec.count = exc_rec.el = exc_rec.vec = 0;
  exc_rec.esr = exc_rec.elr = exc_rec.far = exc_rec.spsr = 0;
}

static void record(struct exc_frame *f) {
  exc_rec.count++;
  exc_rec.el = f->el;
  exc_rec.vec = f->vec;
  exc_rec.esr = f->esr;
  exc_rec.elr = f->elr;
  exc_rec.far = f->far;
  exc_rec.spsr = f->spsr;
}

int exc_record_skip(struct exc_frame *f) {
  record(f);
  f->elr += 4;
  return 1;
}

int exc_record_lr(struct exc_frame *f) {
  record(f);
  f->elr = f->x[30];
  return 1;
}

int exc_record_resume(struct exc_frame *f) {
  record(f);
  f->elr = exc_resume_at;
  return 1;
}

void fw_exc_dispatch(struct exc_frame *f);
void fw_exc_dispatch(struct exc_frame *f) {
  u64 ec = ESR_EC(f->esr);
  if (f->vec == VEC_LOWER64 && (f->esr & 0xffff) == FW_RUN_RETURN_IMM &&
      (ec == EC_SVC64 || ec == EC_HVC64 || ec == EC_SMC64) && run_active[f->el])
    fw_run_return((long)f->el, (long)f->x[0]);
  if (handler && handler(f)) return;
  printf("UNEXPECTED EXCEPTION el=%lu vec=%lu esr=%016lx elr=%016lx far=%016lx spsr=%016lx\n",
         f->el, f->vec, f->esr, f->elr, f->far, f->spsr);
  printf("FAIL unexpected exception\n");
  exit(1);
}

void vectors_install(int el) {
  switch (el) {
  case 1: write_sysreg(vbar_el1, fw_vectors); break;
  case 2: write_sysreg(vbar_el2, fw_vectors); break;
  case 3: write_sysreg(vbar_el3, fw_vectors); break;
  }
  isb();
}

long run_at_el(int el, long (*fn)(long), long arg) {
  int cur = current_el();
  long kind;
  if (el == 0 && (cur == 1 || cur == 2))
    kind = 0; /* from EL2: with HCR_EL2.TGE = 1, so that the SVC comes back */
  else if (el == 1 && cur == 2)
    kind = 1;
  else if ((el == 1 || el == 2) && cur == 3)
    kind = 2;
  else {
    printf("FAIL run_at_el: EL%d -> EL%d not supported\n", cur, el);
    exit(1);
  }
  static const u64 mode[3] = {PSR_M_EL0t, PSR_M_EL1h, PSR_M_EL2h};
  u64 spsr = PSR_DAIF | mode[el];
  u64 elr = (u64)fw_lower_entry;
  switch (cur) {
  case 1:
    write_sysreg(sp_el0, fw_stack_el0_top);
    write_sysreg(spsr_el1, spsr);
    write_sysreg(elr_el1, elr);
    break;
  case 2:
    if (el == 0)
      write_sysreg(sp_el0, fw_stack_el0_top);
    else
      write_sysreg(sp_el1, fw_stack_el1_top);
    write_sysreg(spsr_el2, spsr);
    write_sysreg(elr_el2, elr);
    break;
  case 3:
    if (el == 2)
      write_sysreg(sp_el2, fw_stack_el2_top);
    else
      write_sysreg(sp_el1, fw_stack_el1_top);
    write_sysreg(spsr_el3, spsr);
    write_sysreg(elr_el3, elr);
    break;
  }
  run_active[cur]++;
  long r = fw_run_eret(arg, fn, kind, cur);
  run_active[cur]--;
  return r;
}

int exc_record_only(struct exc_frame *f) {
  record(f);
  return 1;
}
