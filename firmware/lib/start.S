/* hvsim firmware boot: entry point _start.
 *
 * Entered at EL3, EL2 or EL1 with the MMU off (QEMU's -kernel ELF entry and
 * hvsim --kernel both start here). Puts the system registers of the entry EL
 * and every lower EL into a known state, sets one stack per EL, zeroes .bss,
 * installs fw_vectors and calls main(); main's return value is the
 * semihosting exit code.
 */

/* SCTLR values: MMU, caches and alignment checking off, SP alignment
 * checking on (SA, and SA0 for EL0), little-endian, WFI/WFE not trapped. */
#define SCTLR_EL1_VAL 0x30d50818 /* RES1 0x30d00800 | nTWE | nTWI | SA0 | SA */
#define SCTLR_EL2_VAL 0x30c50838 /* RES1 0x30c50830 | SA */
#define SCTLR_EL3_VAL 0x30c50838 /* RES1 0x30c50830 | SA */
#define HCR_EL2_VAL   0x80000000 /* RW: EL1 is AArch64; nothing trapped */
#define SCR_EL3_VAL   0x531      /* RW | HCE | RES1(5:4) | NS */

.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

	.section .text.boot, "ax"
	.global _start
	.type _start, %function
_start:
	msr	daifset, #0xf
	msr	spsel, #1
	mrs	x19, CurrentEL
	ubfx	x19, x19, #2, #2
	cmp	x19, #2
	b.eq	.Lel2
	b.lt	.Lel1

	/* EL3: secure monitor state, then fall through to the EL2 setup. */
	ldr	x0, =SCR_EL3_VAL
	msr	scr_el3, x0
	ldr	x0, =SCTLR_EL3_VAL
	msr	sctlr_el3, x0
	msr	cptr_el3, xzr
	adr_l	x0, fw_stack_el3_top
	mov	sp, x0
	adr_l	x0, fw_stack_el2_top
	msr	sp_el2, x0
	adr_l	x0, fw_vectors
	msr	vbar_el3, x0
	ldr	x0, =SCTLR_EL2_VAL
	msr	sctlr_el2, x0
	ldr	x0, =HCR_EL2_VAL
	msr	hcr_el2, x0
	adr_l	x0, fw_vectors
	msr	vbar_el2, x0
	b	.Lel1_regs

.Lel2:
	ldr	x0, =SCTLR_EL2_VAL
	msr	sctlr_el2, x0
	ldr	x0, =HCR_EL2_VAL
	msr	hcr_el2, x0
	adr_l	x0, fw_stack_el2_top
	mov	sp, x0
	adr_l	x0, fw_vectors
	msr	vbar_el2, x0

.Lel1_regs:
	/* Reached from EL3 and EL2: EL1 state is written from above. */
	ldr	x0, =SCTLR_EL1_VAL
	msr	sctlr_el1, x0
	adr_l	x0, fw_stack_el1_top
	msr	sp_el1, x0
	adr_l	x0, fw_vectors
	msr	vbar_el1, x0
	b	.Lel0_regs

.Lel1:
	ldr	x0, =SCTLR_EL1_VAL
	msr	sctlr_el1, x0
	adr_l	x0, fw_stack_el1_top
	mov	sp, x0
	adr_l	x0, fw_vectors
	msr	vbar_el1, x0

.Lel0_regs:
	adr_l	x0, fw_stack_el0_top
	msr	sp_el0, x0
	isb

	/* Zero .bss (16-byte aligned and sized by the linker script). */
	adr_l	x0, __bss_start
	adr_l	x1, __bss_end
1:	cmp	x0, x1
	b.hs	2f
	stp	xzr, xzr, [x0], #16
	b	1b
2:
	mov	x29, xzr
	mov	x30, xzr
	bl	main
	bl	exit
3:	wfi
	b	3b
	.size _start, . - _start
	.ltorg

/* Stacks, one per EL, outside .bss so zeroing .bss does not touch them. */
	.section .stacks, "aw", %nobits
	.balign 16
	.global fw_stack_el0_top, fw_stack_el1_top, fw_stack_el2_top, fw_stack_el3_top
	.space 0x4000
fw_stack_el0_top:
	.space 0x4000
fw_stack_el1_top:
	.space 0x4000
fw_stack_el2_top:
	.space 0x4000
fw_stack_el3_top:
