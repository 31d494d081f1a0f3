/* hvsim bare-metal firmware: shared declarations.
 *
 * Every test program includes this header only. The boot code (start.S)
 * leaves the program running at the EL it was entered at, with the MMU off,
 * all interrupts masked, SP_ELx selected, and fw_vectors installed at every
 * EL from the entry EL down to EL1.
 */
#ifndef HVSIM_FW_H
#define HVSIM_FW_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/* ---- UART and formatted output (uart.c, printf.c) ---------------------- */
void uart_putc(char c);
void uart_puts(const char *s);
/* %d %i %u %x %X %s %c %p %%, length l/ll/z, flags '0' and '-', a width. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- exit via semihosting SYS_EXIT (semihost.c); EL1 or higher only ---- */
void exit(int code) __attribute__((noreturn));

/* ---- hvsim's semihosting extensions (semihost.c, docs/scenarios.md) ------
 * hvsim only: QEMU aborts on these operations. The command line is what
 * `hvsim --scenario` passes ("variant=V cpus=N KEY=VALUE..."); fw_arg()
 * returns a KEY's value (NULL if absent) in storage of its own. Regions
 * measure the cycles and instructions a core spends between begin and end;
 * metrics are values the program reports; both land in the statistics. */
const char *fw_arg(const char *key);
u64 fw_arg_u64(const char *key, u64 dflt);
int fw_arg_is(const char *key, const char *value);
void hvsim_region_begin(const char *name);
void hvsim_region_end(const char *name);
void hvsim_metric_set(const char *name, s64 value);
void hvsim_metric_add(const char *name, s64 value);
/* Marks the passes of a two-pass instruction emulation for `--check
 * emulation` (platforms/emulation_checker.h): pass 1 or 2 of `instance`
 * begins on this core, or (pass 0) this core's open pass ends. */
void hvsim_emulation_pass(u64 instance, unsigned pass);

/* ---- PSCI through the SMC conduit (function ID, three arguments) -------- */
static inline u64 psci_smc(u64 fn, u64 a1, u64 a2, u64 a3) {
  register u64 x0 __asm__("x0") = fn;
  register u64 x1 __asm__("x1") = a1;
  register u64 x2 __asm__("x2") = a2;
  register u64 x3 __asm__("x3") = a3;
  __asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
  return x0;
}

/* ---- string.c (the compiler may emit calls to these) ------------------- */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/* ---- system registers -------------------------------------------------- */
#define read_sysreg(r)                                                    \
  ({                                                                      \
    u64 __v;                                                              \
    __asm__ volatile("mrs %0, " #r : "=r"(__v));                          \
    __v;                                                                  \
  })
#define write_sysreg(r, v)                                                \
  __asm__ volatile("msr " #r ", %0" : : "r"((u64)(v)) : "memory")
#define isb() __asm__ volatile("isb" : : : "memory")
#define barrier() __asm__ volatile("" : : : "memory")

/* Cleans and invalidates [p, p+size) to the Point of Coherency (DC CIVAC,
 * DSB SY): data shared between code running with the data cache on and code
 * running with it off (an MMU-off hypervisor and its guest) must be. */
static inline void dcache_civac(const volatile void *p, u64 size) {
  const u64 line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xF);
  for (u64 a = (u64)p & ~(line - 1); a < (u64)p + size; a += line) __asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
  __asm__ volatile("dsb sy" ::: "memory");
}

/* Not usable at EL0 (MRS CurrentEL is UNDEFINED there). */
static inline int current_el(void) { return (int)((read_sysreg(CurrentEL) >> 2) & 3); }

/* PSTATE / SPSR fields. */
#define PSR_N (1UL << 31)
#define PSR_Z (1UL << 30)
#define PSR_C (1UL << 29)
#define PSR_V (1UL << 28)
#define PSR_IL (1UL << 20)
#define PSR_D (1UL << 9)
#define PSR_A (1UL << 8)
#define PSR_I (1UL << 7)
#define PSR_F (1UL << 6)
#define PSR_DAIF (PSR_D | PSR_A | PSR_I | PSR_F)
#define PSR_M_EL0t 0x0UL
#define PSR_M_EL1t 0x4UL
#define PSR_M_EL1h 0x5UL
#define PSR_M_EL2t 0x8UL
#define PSR_M_EL2h 0x9UL
#define PSR_M_EL3t 0xcUL
#define PSR_M_EL3h 0xdUL

/* ESR_ELx fields and exception classes used by the tests. */
#define ESR_EC(e) (((e) >> 26) & 0x3f)
#define ESR_IL (1UL << 25)
#define ESR_ISS(e) ((e) & 0x1ffffff)
#define EC_UNKNOWN 0x00
#define EC_ILLEGAL 0x0e
#define EC_SVC64 0x15
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYS64 0x18
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_PC_ALIGN 0x22
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define EC_SP_ALIGN 0x26
#define EC_BRK64 0x3c

/* ---- exceptions (vectors.S, exc.c) ------------------------------------- */
/* The register frame the vectors build on SP_ELx of the EL the exception is
 * taken to. A handler may change x[], elr and spsr: they are written back
 * before ERET. */
struct exc_frame {
  u64 x[31];
  u64 elr, spsr, esr, far;
  u64 vec; /* vector index 0..15: (offset / 0x80) */
  u64 el;  /* EL the exception was taken to */
  u64 pad;
};
#define VEC_CUR_SP0 0  /* +0 sync, +1 IRQ, +2 FIQ, +3 SError */
#define VEC_CUR_SPX 4
#define VEC_LOWER64 8
#define VEC_LOWER32 12

/* Returns nonzero when it handled the exception. One handler for all ELs;
 * with none installed (or when it returns 0) the exception is reported as
 * unexpected and the program exits with FAIL. */
typedef int (*exc_handler_fn)(struct exc_frame *f);
exc_handler_fn exc_set_handler(exc_handler_fn h);

/* Ready-made handlers that record the exception in exc_rec. */
struct exc_record {
  u64 count, el, vec, esr, elr, far, spsr;
};
extern volatile struct exc_record exc_rec;
void exc_rec_clear(void);
int exc_record_only(struct exc_frame *f);   /* then resume at ELR */
int exc_record_skip(struct exc_frame *f);   /* then resume at ELR + 4 */
int exc_record_lr(struct exc_frame *f);     /* then resume at x30 */
int exc_record_resume(struct exc_frame *f); /* then resume at exc_resume_at */
extern volatile u64 exc_resume_at;

extern char fw_vectors[];
/* Points VBAR_ELn (n <= current EL, n >= 1) at fw_vectors. */
void vectors_install(int el);

/* ---- changing EL (el.S, exc.c) ----------------------------------------- */
/* Runs fn(arg) at the lower EL `el` (AArch64, SP_ELx for EL1/EL2, SP_EL0 for
 * EL0) with interrupts masked and a fresh stack, and returns its result
 * once fn returns. Supported: EL1->EL0, EL2->EL1, EL2->EL0 (only with
 * HCR_EL2.TGE = 1, which sends EL0's SVC to EL2), EL3->EL2, EL3->EL1; nest
 * calls for deeper drops. Call it with SPSel = 1. The way back is
 * SVC/HVC/SMC #FW_RUN_RETURN_IMM from the lower EL, which tests must not
 * use themselves. */
#define FW_RUN_RETURN_IMM 0xf00d
long run_at_el(int el, long (*fn)(long), long arg);

/* ---- self-checks (check.c) --------------------------------------------- */
/* Each prints "name = value" and records a mismatch. Usable at EL0. */
void check(const char *name, u64 got, u64 expected);
void check32(const char *name, u64 got, u64 expected);
void checkf(u64 got, u64 expected, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void check_str(const char *name, const char *got, const char *expected);
/* Like check(), but prints only a mismatch: for behaviour the architecture
 * permits but does not require, checked on one simulator only (the
 * transcript must not show it). */
void check_quiet(const char *name, u64 got, u64 expected);
/* Prints a value that is compared only through the transcript. */
void show(const char *name, u64 value);
void fail(const char *reason);
/* Prints "PASS" or "FAIL <first failure>"; returns the exit code. */
int test_done(void);

/* Deterministic pseudo-random numbers and a checksum step (check.c). */
void rand_seed(u64 seed);
u64 rand64(void);
/* Mostly edge values (0, 1, all ones, sign boundaries, ...) and random ones. */
u64 rand_operand(void);
u64 mix64(u64 h, u64 v);

/* A 4-bit N:Z:C:V value, as compared with (MRS NZCV) >> 28. */
#define NZCV(n, z, c, v) (((n) << 3) | ((z) << 2) | ((c) << 1) | (v))

/* Hides a value from the optimiser so that C reference computations are
 * made at run time with ordinary register instructions. */
#define OPAQUE(x) ({ __typeof__(x) __o = (x); __asm__("" : "+r"(__o)); __o; })

#endif
