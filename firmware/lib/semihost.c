/* Program exit through Arm semihosting SYS_EXIT (operation 0x18). In
 * AArch64, x1 points at a parameter block {reason, exit code}; the reason
 * ADP_Stopped_ApplicationExit (0x20026) passes the exit code to the host.
 * QEMU and hvsim both exit with that code. Semihosting is not available at
 * EL0 (QEMU refuses it there), so exit() must be called at EL1 or above. */
#include "fw.h"

#define SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

void exit(int code) {
  static volatile u64 block[2];
  block[0] = ADP_STOPPED_APPLICATION_EXIT;
  block[1] = (u64)(s64)code;
  register u64 x0 __asm__("x0") = SYS_EXIT;
  register u64 x1 __asm__("x1") = (u64)block;
  __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
  for (;;) __asm__ volatile("wfi");
}
