/* hvsim firmware: the GICv3 ITS of QEMU's virt board as the ITS tests
 * (its_check, its_movi) drive it, set up as Linux's irq-gic-v3-its.c does:
 * per-redistributor LPI tables (GICR_PROPBASER/PENDBASER, EnableLPIs), the
 * device and collection tables found through GITS_BASER<n>.Type (flat), a
 * 4 KiB command queue, and the commands. Tables are static and 64 KiB
 * aligned; with the MMU off they are Device memory, so no cache
 * maintenance is needed (with the data cache on, software must clean what
 * it writes for the ITS: see its_check.c). */
#ifndef HVSIM_FW_ITS_H
#define HVSIM_FW_ITS_H

#include "gic.h"

#include "its_regs.h"
#define ITS_VALID (1UL << 63)
#define ITS_MAX_CPUS 2

extern u64 its_cmd_queue[512];
extern u8 its_prop_table[65536];

/* The distributor (Group 1, ARE), then this core's redistributor woken with
 * LPIs enabled on pending table `cpu`, and its CPU interface (PMR 0xf0,
 * IGRPEN1, IRQs routed to EL2). Returns the redistributor's RD_base. */
u64 its_cpu_init(unsigned cpu);
void its_gicd_init(void);
/* The ITS: tables, queue, enabled. */
void its_init(void);
/* This core's redistributor as MAPC/SYNC target (GITS_TYPER.PTA). */
u64 its_rdbase(u64 rd_base);

/* Whether its_queue() cleans each command to the Point of Coherency before
 * writing GITS_CWRITER (needed with the data cache on and an ITS that is
 * not coherent with it, as Linux's its_flush_cmd() does). */
extern int its_clean_queue;

/* Writes a command at CWRITER and advances CWRITER; its_wait() polls
 * CREADR until the ITS caught up (0) or stalled (1). */
void its_queue(u64 dw0, u64 dw1, u64 dw2, u64 dw3);
/* its_queue() in two halves, for batches: its_put() writes a command (and
 * cleans it when its_clean_queue is set), first waiting while the queue is
 * full (a stalled full queue waits forever); its_kick() writes GITS_CWRITER
 * after a DSB. */
void its_put(u64 dw0, u64 dw1, u64 dw2, u64 dw3);
void its_kick(void);
int its_wait(void);
void its_retry(void);
u64 its_cwriter(void);

void its_mapd(u32 dev, void *itt, unsigned bits);
void its_mapc(u32 icid, u64 rdbase);
void its_mapti(u32 dev, u32 ev, u32 lpi, u32 icid);
void its_movi(u32 dev, u32 ev, u32 icid);
void its_int(u32 dev, u32 ev);
void its_inv(u32 dev, u32 ev);
void its_sync(u64 rdbase);
/* Priority and enable of LPI `intid` in the property table. */
void its_lpi_config(u32 intid, u8 prio, int enable);

#endif
