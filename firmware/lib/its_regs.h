/* hvsim firmware: the ITS frame on the virt board and the register offsets
 * the LPI and ITS programs use (IHI 0069: GICR_* in a redistributor's
 * RD_base frame, GITS_* in the ITS frame). */
#ifndef HVSIM_FW_ITS_REGS_H
#define HVSIM_FW_ITS_REGS_H

#define GITS 0x08080000UL
#define GICR_CTLR 0x0000
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define GITS_CTLR 0x0000
#define GITS_TYPER 0x0008
#define GITS_CBASER 0x0080
#define GITS_CWRITER 0x0088
#define GITS_CREADR 0x0090
#define GITS_BASER 0x0100
#define GITS_TRANSLATER 0x10040
#define GITS_PIDR2 0xFFE8

#endif
