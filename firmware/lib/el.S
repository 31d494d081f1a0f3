/* hvsim firmware: running code at a lower EL and coming back (see
 * run_at_el in fw.h and exc.c). */
#define FW_RUN_RETURN_IMM 0xf00d

	.text
/* long fw_run_eret(long arg, long (*fn)(long), long kind, long origin_el)
 * ELR/SPSR/SP of the target EL are already set by the caller. Saves the
 * callee-saved registers and SP, then ERETs to fw_lower_entry. Returns
 * through fw_run_return. */
	.global fw_run_eret
	.type fw_run_eret, %function
fw_run_eret:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	adrp	x9, fw_run_saved_sp
	add	x9, x9, :lo12:fw_run_saved_sp
	mov	x10, sp
	str	x10, [x9, x3, lsl #3]
	eret
	.size fw_run_eret, . - fw_run_eret

/* void fw_run_return(long origin_el, long value): called by the exception
 * dispatcher at origin_el; unwinds to fw_run_eret's caller. */
	.global fw_run_return
	.type fw_run_return, %function
fw_run_return:
	adrp	x9, fw_run_saved_sp
	add	x9, x9, :lo12:fw_run_saved_sp
	ldr	x10, [x9, x0, lsl #3]
	mov	sp, x10
	mov	x0, x1
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret
	.size fw_run_return, . - fw_run_return

/* Entered by ERET at the lower EL with x0 = arg, x1 = fn, x2 = kind
 * (0: back with SVC, 1: HVC, 2: SMC). */
	.global fw_lower_entry
	.type fw_lower_entry, %function
fw_lower_entry:
	mov	x19, x2
	mov	x29, xzr
	blr	x1
	cmp	x19, #1
	b.eq	1f
	b.hi	2f
	svc	#FW_RUN_RETURN_IMM
	b	3f
1:	hvc	#FW_RUN_RETURN_IMM
	b	3f
2:	smc	#FW_RUN_RETURN_IMM
3:	b	3b
	.size fw_lower_entry, . - fw_lower_entry

	.bss
	.balign 8
	.global fw_run_saved_sp
fw_run_saved_sp:
	.space 8 * 4
