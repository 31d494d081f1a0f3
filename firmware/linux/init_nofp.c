/* A Linux /init that uses no FP/SIMD register (-mgeneral-regs-only, no C
 * library): the busybox initramfs's job done with raw system calls, so that
 * Linux boots to its marker on a core without FP/SIMD. It mounts proc and
 * sys, prints "BOOT-OK: <uname -r> cpus=<N> (no-FP init)" with N the
 * "processor" lines of /proc/cpuinfo, and powers off (reboot(2),
 * LINUX_REBOOT_CMD_POWER_OFF, which Linux turns into PSCI SYSTEM_OFF).
 * scripts/boot-linux --nofp-init puts it in an initramfs of its own. */

typedef unsigned long ulong;

enum {
  SYS_openat = 56,
  SYS_read = 63,
  SYS_write = 64,
  SYS_mount = 40,
  SYS_uname = 160,
  SYS_reboot = 142,
};
#define AT_FDCWD (-100L)
#define LINUX_REBOOT_MAGIC1 0xfee1deadUL
#define LINUX_REBOOT_MAGIC2 672274793UL
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcUL

static long syscall5(long nr, long a, long b, long c, long d, long e) {
  register long x8 __asm__("x8") = nr;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x3 __asm__("x3") = d;
  register long x4 __asm__("x4") = e;
  __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4) : "memory");
  return x0;
}

static ulong length(const char *s) {
  ulong n = 0;
  while (s[n]) n++;
  return n;
}

static void put(const char *s) { syscall5(SYS_write, 1, (long)s, (long)length(s), 0, 0); }

struct utsname {
  char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

static char cpuinfo[65536];
static struct utsname uts;

static unsigned count_processors(void) {
  long fd = syscall5(SYS_openat, AT_FDCWD, (long)"/proc/cpuinfo", 0, 0, 0);
  if (fd < 0) return 0;
  long n = 0, r;
  while (n < (long)sizeof cpuinfo - 1 &&
         (r = syscall5(SYS_read, fd, (long)(cpuinfo + n), (long)sizeof cpuinfo - 1 - n, 0, 0)) > 0)
    n += r;
  static const char key[] = "processor";
  unsigned count = 0;
  for (long i = 0; i < n; i++) {
    if (i && cpuinfo[i - 1] != '\n') continue;
    long k = 0;
    while (key[k] && i + k < n && cpuinfo[i + k] == key[k]) k++;
    if (!key[k]) count++;
  }
  return count;
}

void _start(void) {
  syscall5(SYS_mount, (long)"proc", (long)"/proc", (long)"proc", 0, 0);
  syscall5(SYS_mount, (long)"sysfs", (long)"/sys", (long)"sysfs", 0, 0);
  syscall5(SYS_uname, (long)&uts, 0, 0, 0, 0);
  char digits[12], text[12];
  unsigned cpus = count_processors(), d = 0, t = 0;
  do {
    digits[d++] = (char)('0' + cpus % 10);
    cpus /= 10;
  } while (cpus);
  while (d) text[t++] = digits[--d];
  text[t] = 0;
  put("BOOT-OK: ");
  put(uts.release);
  put(" cpus=");
  put(text);
  put(" (no-FP init)\n");
  syscall5(SYS_reboot, (long)LINUX_REBOOT_MAGIC1, (long)LINUX_REBOOT_MAGIC2, (long)LINUX_REBOOT_CMD_POWER_OFF, 0, 0);
  for (;;) {
  }
}
