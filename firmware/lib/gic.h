/* hvsim firmware: the GICv3 of QEMU's virt board as the GIC, ITS, timer
 * and virtual-interrupt tests use it: addresses, register offsets, CPU
 * interface system register names and MMIO accessors. */
#ifndef HVSIM_FW_GIC_H
#define HVSIM_FW_GIC_H

#include "fw.h"

/* Frames (hw/arm/virt.c memory map). */
#define GICD 0x08000000UL
#define GICR 0x080A0000UL
#define GICR_STRIDE 0x20000UL
#define SGI_BASE 0x10000UL

/* Distributor registers (offsets in the GICD frame; the same offsets in
 * a redistributor's SGI_BASE frame for SGIs and PPIs). */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ICPENDR 0x0280
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0C00

/* Redistributor RD_base registers. */
#define GICR_STRIDE 0x20000UL
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014

/* CPU interface registers (GICv3 system register names as S3_... for the
 * assembler). */
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_HPPIR1_EL1 S3_0_C12_C12_2
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_RPR_EL1 S3_0_C12_C11_3
#define ICC_SRE_EL2 S3_4_C12_C9_5

/* HCR_EL2 routing bits, and the spurious INTID. */
#define HCR_FMO (1UL << 3)
#define HCR_IMO (1UL << 4)
#define SPURIOUS 1023

/* MMIO accessors: one load or store with a plain base register, never a
 * writeback form, so that a stage-2 abort on them has a valid instruction
 * syndrome (Arm ARM, ESR_ELx ISS of a Data Abort: ISV is 0 for a writeback
 * form) and a hypervisor can emulate the access (KVM's vGIC under
 * scripts/boot-kvm). */
static inline u32 rd32(u64 a) {
  u32 v;
  __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
  return v;
}
static inline void wr32(u64 a, u32 v) { __asm__ volatile("str %w0, [%1]" : : "rZ"(v), "r"(a) : "memory"); }
static inline u64 rd64(u64 a) {
  u64 v;
  __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
  return v;
}
static inline void wr64(u64 a, u64 v) { __asm__ volatile("str %x0, [%1]" : : "rZ"(v), "r"(a) : "memory"); }
static inline void wr8(u64 a, u8 v) { __asm__ volatile("strb %w0, [%1]" : : "rZ"(v), "r"(a) : "memory"); }

/* This core's redistributor RD_base, or 0 if none matches MPIDR_EL1. */
u64 gic_find_redistributor(void);
/* Clears GICR_WAKER.ProcessorSleep and waits for ChildrenAsleep to clear. */
void gic_wake_redistributor(u64 rdist);

/* This core's CPU interface at EL2: ICC_PMR_EL1 0xf0, BPR1 0, ICC_CTLR_EL1
 * 0, Group 1 on, and HCR_EL2.IMO/FMO so that physical IRQs are taken at EL2. */
void gic_cpu_if_el2_on(void);

/* At EL2, for tests that take PPIs (timers, the PMU) at EL2: the
 * distributor with affinity routing and both groups enabled, this core's
 * redistributor awake (checked: "redistributor found") with every SGI/PPI
 * in Group 1, disabled, inactive, not pending, priority 0xa0 and PPIs
 * level-sensitive, then the PPIs of `enable` (a mask of INTIDs 0-31)
 * enabled; ICC_PMR_EL1 0xf0, BPR1 0, ICC_CTLR_EL1 0, Group 1 on, and
 * HCR_EL2.IMO/FMO so that physical IRQs are taken at EL2. */
void gic_init_ppis(u32 enable);

/* An IRQ recorder for tests that take interrupts at the current EL: as an
 * exception handler, gic_record_irq() acknowledges an IRQ (ICC_IAR1_EL1),
 * records its INTID and the running priority, and ends it (EOIR1). */
#define GIC_MAX_SEEN 8
extern volatile u32 gic_seen[GIC_MAX_SEEN];
extern volatile u32 gic_seen_rpr[GIC_MAX_SEEN];
extern volatile unsigned gic_nseen;
int gic_record_irq(struct exc_frame *f);
/* Unmasks IRQs for a moment, long enough to take everything pending. */
void gic_irq_window(void);
/* Prints "what: N taken: intid@rpr ...". */
void gic_show_seen(const char *what);

#endif
