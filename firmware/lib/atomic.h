/* hvsim firmware: ARMv8.0 atomics (LDAXR/STLXR loops, no FEAT_LSE) and a
 * ticket spinlock that waits in WFE.
 *
 * Exclusives need Normal memory in a coherent domain to be useful between
 * cores: with the MMU off every data access is Device, so code that shares
 * these between cores runs with its stage 1 and data cache on. */
#ifndef HVSIM_FW_ATOMIC_H
#define HVSIM_FW_ATOMIC_H

#include "fw.h"

/* Returns the old value and leaves 0 (test_and_clear): the store is made
 * whatever the old value was, so the line is always taken Unique. */
static inline u32 atomic_xchg_zero32(volatile u32 *p) {
  u32 old, fail;
  __asm__ volatile("1: ldaxr %w0, [%2]\n"
                   "   stlxr %w1, wzr, [%2]\n"
                   "   cbnz %w1, 1b"
                   : "=&r"(old), "=&r"(fail)
                   : "r"(p)
                   : "memory");
  return old;
}

/* Returns the old value. */
static inline u64 atomic_fetch_add64(volatile u64 *p, u64 v) {
  u64 old, tmp;
  u32 fail;
  __asm__ volatile("1: ldaxr %0, [%3]\n"
                   "   add %1, %0, %4\n"
                   "   stlxr %w2, %1, [%3]\n"
                   "   cbnz %w2, 1b"
                   : "=&r"(old), "=&r"(tmp), "=&r"(fail)
                   : "r"(p), "r"(v)
                   : "memory");
  return old;
}

static inline u32 load_acquire32(const volatile u32 *p) {
  u32 v;
  __asm__ volatile("ldar %w0, [%1]" : "=r"(v) : "r"(p) : "memory");
  return v;
}

static inline void store_release32(volatile u32 *p, u32 v) {
  __asm__ volatile("stlr %w0, [%1]" ::"r"(v), "r"(p) : "memory");
}

static inline u64 load_acquire64(const volatile u64 *p) {
  u64 v;
  __asm__ volatile("ldar %0, [%1]" : "=r"(v) : "r"(p) : "memory");
  return v;
}

static inline void store_release64(volatile u64 *p, u64 v) {
  __asm__ volatile("stlr %0, [%1]" ::"r"(v), "r"(p) : "memory");
}

/* A ticket lock in one word: next ticket in [31:16], owner in [15:0]. Give
 * each lock a cache line of its own. */
typedef struct {
  volatile u32 word;
} ticket_lock_t;

/* Takes a ticket with LDAXR/STXR; while it is not served, waits in WFE on
 * an exclusive load of the lock word. The Event Register is set when the
 * global monitor for this PE is cleared (Arm ARM, "Wait for Event": "The
 * Event Register"), and a store by another observer to the marked granule
 * clears it (B2.9.3), so the owner's releasing store wakes the waiters and
 * the unlock needs no SEV. SEVL makes the first WFE fall through. */
static inline void ticket_lock(ticket_lock_t *l) {
  u32 old, next, fail, owner;
  __asm__ volatile("1: ldaxr %w0, [%4]\n"
                   "   add %w1, %w0, #0x10000\n"
                   "   stxr %w2, %w1, [%4]\n"
                   "   cbnz %w2, 1b\n"
                   "   eor %w1, %w0, %w0, ror #16\n"
                   "   cbz %w1, 3f\n"
                   "   sevl\n"
                   "2: wfe\n"
                   "   ldaxrh %w3, [%4]\n"
                   "   eor %w1, %w3, %w0, lsr #16\n"
                   "   cbnz %w1, 2b\n"
                   "3:"
                   : "=&r"(old), "=&r"(next), "=&r"(fail), "=&r"(owner)
                   : "r"(&l->word)
                   : "memory", "cc");
}

/* Hands the lock to the next ticket: a store-release of the owner half
 * (only the owner writes it, so a plain load-add is enough). */
static inline void ticket_unlock(ticket_lock_t *l) {
  u32 owner;
  __asm__ volatile("ldrh %w0, [%1]\n"
                   "add %w0, %w0, #1\n"
                   "stlrh %w0, [%1]"
                   : "=&r"(owner)
                   : "r"(&l->word)
                   : "memory");
}

#endif
