/* SIMD&FP loads and stores for simd_ldst.c. The C code is built with
 * -mgeneral-regs-only, so the V registers are used only here: each routine
 * loads with the forms under test and stores the registers back with
 * others, so that C can check memory. Arguments: x0 = source (16-byte
 * aligned, with readable bytes before it), x1 = destination (16-byte
 * aligned), x2 = u64 out[] for the written-back base registers. The C code
 * never uses V registers, so V8-V15 need not be preserved. */
	.text

/* B/H/S/D/Q loads in the unscaled, unsigned-offset and register-offset
 * forms (each clears the rest of the register), then stores of each size. */
	.globl	simd_regs
simd_regs:
	ldr	b0, [x0]
	ldr	h1, [x0, #2]
	ldr	s2, [x0, #4]
	ldr	d3, [x0, #8]
	ldr	q4, [x0, #16]
	ldur	s5, [x0, #-4]
	ldur	d6, [x0, #-8]
	mov	x3, #-2
	ldr	q7, [x0, x3, lsl #4]
	mov	w4, #3
	ldr	h16, [x0, w4, uxtw #1]
	mov	w5, #-1
	ldr	d17, [x0, w5, sxtw #3]
	str	q0, [x1]
	str	q1, [x1, #16]
	str	q2, [x1, #32]
	str	q3, [x1, #48]
	str	q4, [x1, #64]
	str	q5, [x1, #80]
	str	q6, [x1, #96]
	str	q7, [x1, #112]
	str	q16, [x1, #128]
	str	q17, [x1, #144]
	stur	b4, [x1, #160]
	str	h4, [x1, #162]
	str	s4, [x1, #164]
	str	d4, [x1, #168]
	mov	x6, #11
	str	q4, [x1, x6, lsl #4]
	ret

/* Pre- and post-index writeback. */
	.globl	simd_wb
simd_wb:
	mov	x3, x0
	ldr	q0, [x3, #16]!
	ldr	d1, [x3], #-8
	str	x3, [x2]
	mov	x4, x1
	str	q0, [x4], #16
	str	d1, [x4, #8]!
	str	x4, [x2, #8]
	ret

/* LDR (literal) S, D and Q. */
	.globl	simd_lit
simd_lit:
	ldr	q0, 1f
	ldr	d1, 2f
	ldr	s2, 3f
	str	q0, [x1]
	str	q1, [x1, #16]
	str	q2, [x1, #32]
	ret
	.balign	16
1:	.quad	0x0123456789abcdef, 0xfedcba9876543210
2:	.quad	0x1122334455667788
3:	.word	0x99aabbcc

/* LDP/STP/LDNP/STNP of S, D and Q registers, all index forms. */
	.globl	simd_pair
simd_pair:
	ldp	q0, q1, [x0, #32]
	ldp	d2, d3, [x0, #-16]
	ldnp	s4, s5, [x0, #8]
	mov	x3, x0
	ldp	q6, q7, [x3, #-32]!
	ldp	s16, s17, [x3], #8
	str	x3, [x2]
	mov	x4, x1
	stp	q1, q0, [x4], #32
	stp	d2, d3, [x4]
	stnp	s4, s5, [x4, #16]
	stp	s16, s17, [x4, #24]!
	stp	q6, q7, [x1, #64]
	str	x4, [x2, #8]
	ret

/* Multiple structures: LD2/LD3/LD4 (de)interleave, ST2/ST4 interleave,
 * LD1 of 3 registers wrapping from V31 to V0, post-index by the size and
 * by a register, 64-bit forms clearing the upper half. */
	.globl	simd_struct
simd_struct:
	ld4	{v0.16b-v3.16b}, [x0]
	st1	{v0.16b-v3.16b}, [x1], #64
	ld3	{v16.4s-v18.4s}, [x0], #48
	st1	{v16.4s-v18.4s}, [x1], #48
	ld2	{v4.8h, v5.8h}, [x0]
	st1	{v4.8h, v5.8h}, [x1], #32
	mov	x3, #16
	ld1	{v31.2d, v0.2d, v1.2d}, [x0], x3
	st1	{v31.16b}, [x1], #16
	st1	{v0.16b, v1.16b}, [x1], #32
	ld4	{v20.8b-v23.8b}, [x0]
	st4	{v20.8b-v23.8b}, [x1], #32
	st1	{v20.16b}, [x1], #16
	ld2	{v24.2s, v25.2s}, [x0]
	st2	{v24.4s, v25.4s}, [x1], #32
	str	x0, [x2]
	str	x1, [x2, #8]
	ret

/* Single structures: lane loads keep the other lanes, lane stores, and
 * LD1R-LD4R. */
	.globl	simd_lane
simd_lane:
	add	x3, x0, #32
	ld1	{v0.16b-v3.16b}, [x0]
	ld1	{v16.16b-v19.16b}, [x0]
	ld1	{v0.s}[2], [x3]
	ld2	{v1.h, v2.h}[7], [x3]
	ld1	{v3.d}[1], [x3]
	ld4	{v16.b-v19.b}[9], [x3], #4
	st1	{v0.16b-v3.16b}, [x1], #64
	st1	{v16.16b-v19.16b}, [x1], #64
	st3	{v0.h, v1.h, v2.h}[5], [x1], #6
	add	x1, x1, #2
	st1	{v3.d}[1], [x1], #8
	st4	{v16.s-v19.s}[1], [x1], #16
	ld1r	{v4.8b}, [x3]
	ld2r	{v16.8h, v17.8h}, [x3]
	ld3r	{v5.4s-v7.4s}, [x3]
	ld4r	{v28.2d-v31.2d}, [x0]
	st1	{v4.16b-v7.16b}, [x1], #64
	st1	{v16.16b, v17.16b}, [x1], #32
	st1	{v28.16b-v31.16b}, [x1], #64
	str	x3, [x2]
	str	x1, [x2, #8]
	ret

/* One Q load at x0 (for the trap and alignment tests). */
	.globl	simd_ldr_q
simd_ldr_q:
	ldr	q0, [x0]
	ret

/* LD1 {v0.4s} at x0: element alignment only. */
	.globl	simd_ld1_4s
simd_ld1_4s:
	ld1	{v0.4s}, [x0]
	st1	{v0.4s}, [x1]
	ret
