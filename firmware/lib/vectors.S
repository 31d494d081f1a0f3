/* hvsim firmware exception vectors, shared by EL1, EL2 and EL3.
 *
 * Every entry builds a struct exc_frame (fw.h) on SP_ELx, calls
 * fw_exc_dispatch(frame) and returns with ERET using the (possibly changed)
 * ELR and SPSR in the frame.
 */
#define FRAME_SIZE 304
#define OFF_ELR 248
#define OFF_ESR 264
#define OFF_VEC 280
#define OFF_EL 288

.macro ventry idx
	.balign 0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\idx
	b	fw_exc_common
.endm

	.section .text.vectors, "ax"
	.balign 0x800
	.global fw_vectors
fw_vectors:
	ventry 0
	ventry 1
	ventry 2
	ventry 3
	ventry 4
	ventry 5
	ventry 6
	ventry 7
	ventry 8
	ventry 9
	ventry 10
	ventry 11
	ventry 12
	ventry 13
	ventry 14
	ventry 15

fw_exc_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	mrs	x1, CurrentEL
	ubfx	x1, x1, #2, #2
	stp	x0, x1, [sp, #OFF_VEC]
	cmp	x1, #2
	b.eq	2f
	b.hi	3f
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	mrs	x4, esr_el1
	mrs	x5, far_el1
	b	4f
2:	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	mrs	x4, esr_el2
	mrs	x5, far_el2
	b	4f
3:	mrs	x2, elr_el3
	mrs	x3, spsr_el3
	mrs	x4, esr_el3
	mrs	x5, far_el3
4:	stp	x2, x3, [sp, #OFF_ELR]
	stp	x4, x5, [sp, #OFF_ESR]
	mov	x29, xzr
	mov	x0, sp
	bl	fw_exc_dispatch

	ldr	x1, [sp, #OFF_EL]
	ldp	x2, x3, [sp, #OFF_ELR]
	cmp	x1, #2
	b.eq	2f
	b.hi	3f
	msr	elr_el1, x2
	msr	spsr_el1, x3
	b	4f
2:	msr	elr_el2, x2
	msr	spsr_el2, x3
	b	4f
3:	msr	elr_el3, x2
	msr	spsr_el3, x3
4:	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #FRAME_SIZE
	eret
