/* Arm semihosting: program exit through SYS_EXIT (operation 0x18), the
 * command line through SYS_GET_CMDLINE (0x15), and hvsim's annotation
 * operations 0x100-0x104 (platforms/semihosting.h). In
 * AArch64, x1 points at a parameter block {reason, exit code}; the reason
 * ADP_Stopped_ApplicationExit (0x20026) passes the exit code to the host.
 * QEMU and hvsim both exit with that code. Semihosting is not available at
 * EL0 (QEMU refuses it there), so exit() must be called at EL1 or above. */
#include "fw.h"

#define SYS_GET_CMDLINE 0x15
#define SYS_EXIT 0x18
#define HVSIM_REGION_BEGIN 0x100
#define HVSIM_REGION_END 0x101
#define HVSIM_METRIC_SET 0x102
#define HVSIM_METRIC_ADD 0x103
#define HVSIM_EMULATION_PASS 0x104
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

static s64 semihost(u64 op, const volatile void *arg) {
  register u64 x0 __asm__("x0") = op;
  register u64 x1 __asm__("x1") = (u64)arg;
  __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
  return (s64)x0;
}

/* The command line, read once; "" where there is none. Arguments are
 * separated by spaces. */
static const char *cmdline(void) {
  static char buf[512];
  static int fetched;
  if (!fetched) {
    static volatile u64 block[2];
    block[0] = (u64)buf;
    block[1] = sizeof buf;
    if (semihost(SYS_GET_CMDLINE, block) != 0) buf[0] = 0;
    fetched = 1;
  }
  return buf;
}

const char *fw_arg(const char *key) {
  static char value[128];
  const u64 klen = strlen(key);
  for (const char *p = cmdline(); *p;) {
    while (*p == ' ') ++p;
    const char *end = p;
    while (*end && *end != ' ') ++end;
    if ((u64)(end - p) > klen && memcmp(p, key, klen) == 0 && p[klen] == '=') {
      u64 n = (u64)(end - p) - klen - 1;
      if (n >= sizeof value) n = sizeof value - 1;
      memcpy(value, p + klen + 1, n);
      value[n] = 0;
      return value;
    }
    p = end;
  }
  return NULL;
}

u64 fw_arg_u64(const char *key, u64 dflt) {
  const char *v = fw_arg(key);
  if (!v || !*v) return dflt;
  u64 n = 0;
  for (; *v >= '0' && *v <= '9'; ++v) n = n * 10 + (u64)(*v - '0');
  return *v ? dflt : n;
}

int fw_arg_is(const char *key, const char *value) {
  const char *v = fw_arg(key);
  return v && strcmp(v, value) == 0;
}

void hvsim_region_begin(const char *name) { semihost(HVSIM_REGION_BEGIN, name); }
void hvsim_region_end(const char *name) { semihost(HVSIM_REGION_END, name); }

static void metric(u64 op, const char *name, s64 value) {
  volatile u64 block[2];
  block[0] = (u64)name;
  block[1] = (u64)value;
  semihost(op, block);
}

void hvsim_metric_set(const char *name, s64 value) { metric(HVSIM_METRIC_SET, name, value); }
void hvsim_metric_add(const char *name, s64 value) { metric(HVSIM_METRIC_ADD, name, value); }

void hvsim_emulation_pass(u64 instance, unsigned pass) {
  volatile u64 block[2];
  block[0] = instance;
  block[1] = pass;
  semihost(HVSIM_EMULATION_PASS, block);
}
