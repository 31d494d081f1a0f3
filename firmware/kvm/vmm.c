/* hvsim-vmm: a minimal static KVM virtual machine monitor for arm64 Linux.
 *
 *   hvsim-vmm GUEST.ELF [RAM_MIB]
 *
 * Creates a VM with one vCPU and an in-kernel vGICv3 at the addresses of
 * QEMU's virt board (distributor 0x08000000, redistributors 0x080A0000),
 * RAM at 0x40000000 (16 MiB by default), loads GUEST.ELF's PT_LOAD segments
 * into it and runs the vCPU from the ELF entry at EL1 (KVM's reset state:
 * MMU off, PSTATE.DAIF set). A PL011 at 0x09000000 is emulated in this
 * process: its data register's writes go to standard output, its flag
 * register reads as "transmit FIFO empty". PSCI (0.2, KVM's in-kernel
 * implementation) ends the run: SYSTEM_OFF is the guest's exit.
 *
 * The guest's result is its last console line: the run succeeds (status 0)
 * when the guest powered off after a line "PASS". Status 1: the guest failed
 * or stopped otherwise; 2: bad input or a KVM call that failed (a one-line
 * error names it). */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define RAM_BASE 0x40000000ULL
#define GICD_BASE 0x08000000ULL
#define GICR_BASE 0x080A0000ULL
#define UART_BASE 0x09000000ULL
#define UART_SIZE 0x1000ULL
#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_TXFE (1u << 7)

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("hvsim-vmm: error: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(2);
}

static int xioctl(int fd, unsigned long req, void *arg, const char *what) {
  int r = ioctl(fd, req, arg);
  if (r < 0) die("%s: %s", what, strerror(errno));
  return r;
}

/* Copies the ELF's PT_LOAD segments into guest RAM; returns the entry. */
static uint64_t load_elf(const char *path, uint8_t *ram, uint64_t ram_size) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) die("cannot open guest %s: %s", path, strerror(errno));
  struct stat st;
  if (fstat(fd, &st) < 0 || st.st_size < (off_t)sizeof(Elf64_Ehdr)) die("%s: not an ELF file", path);
  uint8_t *img = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (img == MAP_FAILED) die("cannot map %s: %s", path, strerror(errno));
  close(fd);
  const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
  if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
      eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_AARCH64)
    die("%s: not a little-endian AArch64 ELF64 file", path);
  if (eh->e_phoff > (uint64_t)st.st_size ||
      (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > (uint64_t)st.st_size - eh->e_phoff)
    die("%s: program headers outside the file", path);
  const Elf64_Phdr *ph = (const Elf64_Phdr *)(img + eh->e_phoff);
  int loaded = 0;
  for (unsigned i = 0; i < eh->e_phnum; i++) {
    if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0) continue;
    uint64_t pa = ph[i].p_paddr;
    if (pa < RAM_BASE || ph[i].p_memsz > ram_size || pa - RAM_BASE > ram_size - ph[i].p_memsz)
      die("%s: segment %u [0x%llx, +0x%llx) outside guest RAM", path, i, (unsigned long long)pa,
          (unsigned long long)ph[i].p_memsz);
    if (ph[i].p_filesz > ph[i].p_memsz || ph[i].p_offset > (uint64_t)st.st_size ||
        ph[i].p_filesz > (uint64_t)st.st_size - ph[i].p_offset)
      die("%s: segment %u outside the file", path, i);
    memcpy(ram + (pa - RAM_BASE), img + ph[i].p_offset, ph[i].p_filesz);
    loaded++;
  }
  if (!loaded) die("%s: no loadable segment", path);
  uint64_t entry = eh->e_entry;
  if (entry < RAM_BASE || entry - RAM_BASE >= ram_size) die("%s: entry 0x%llx outside guest RAM", path,
                                                           (unsigned long long)entry);
  munmap(img, (size_t)st.st_size);
  return entry;
}

static void set_vgic_addr(int dev, uint64_t type, uint64_t addr, const char *what) {
  struct kvm_device_attr attr = {
      .group = KVM_DEV_ARM_VGIC_GRP_ADDR, .attr = type, .addr = (uint64_t)(uintptr_t)&addr};
  xioctl(dev, KVM_SET_DEVICE_ATTR, &attr, what);
}

/* The guest's console: the last complete line is kept to judge the result. */
static char line[256], last_line[256];
static size_t line_len;

static void uart_out(uint8_t c) {
  fputc(c, stdout);
  if (c == '\n') {
    fflush(stdout);
    line[line_len] = 0;
    memcpy(last_line, line, line_len + 1);
    line_len = 0;
  } else if (c != '\r' && line_len < sizeof(line) - 1) {
    line[line_len++] = (char)c;
  }
}

/* One MMIO access the guest made outside its RAM. Returns 0 when it is the
 * UART's. */
static int mmio(struct kvm_run *run) {
  uint64_t a = run->mmio.phys_addr;
  if (a < UART_BASE || a >= UART_BASE + UART_SIZE) return -1;
  uint64_t off = a - UART_BASE;
  if (run->mmio.is_write) {
    if (off == UART_DR) uart_out(run->mmio.data[0]);
  } else {
    uint32_t v = off == UART_FR ? UART_FR_TXFE : 0;
    memset(run->mmio.data, 0, sizeof(run->mmio.data));
    memcpy(run->mmio.data, &v, run->mmio.len < 4 ? run->mmio.len : 4);
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) die("usage: hvsim-vmm GUEST.ELF [RAM_MIB]");
  uint64_t ram_mib = 16;
  if (argc == 3) {
    char *end;
    ram_mib = strtoull(argv[2], &end, 0);
    if (*end || ram_mib == 0 || ram_mib > 2048) die("bad RAM size '%s' (MiB, 1..2048)", argv[2]);
  }
  uint64_t ram_size = ram_mib << 20;

  int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (kvm < 0) die("cannot open /dev/kvm: %s", strerror(errno));
  int api = ioctl(kvm, KVM_GET_API_VERSION, 0);
  if (api != KVM_API_VERSION) die("KVM API version %d, expected %d", api, KVM_API_VERSION);
  int vm = ioctl(kvm, KVM_CREATE_VM, 0);
  if (vm < 0) die("KVM_CREATE_VM: %s", strerror(errno));

  uint8_t *ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (ram == MAP_FAILED) die("cannot allocate %llu MiB of guest RAM", (unsigned long long)ram_mib);
  uint64_t entry = load_elf(argv[1], ram, ram_size);
  struct kvm_userspace_memory_region region = {
      .slot = 0, .guest_phys_addr = RAM_BASE, .memory_size = ram_size, .userspace_addr = (uint64_t)(uintptr_t)ram};
  xioctl(vm, KVM_SET_USER_MEMORY_REGION, &region, "KVM_SET_USER_MEMORY_REGION");

  struct kvm_create_device gic = {.type = KVM_DEV_TYPE_ARM_VGIC_V3};
  xioctl(vm, KVM_CREATE_DEVICE, &gic, "KVM_CREATE_DEVICE (vGICv3)");
  set_vgic_addr(gic.fd, KVM_VGIC_V3_ADDR_TYPE_DIST, GICD_BASE, "vGICv3 distributor address");
  set_vgic_addr(gic.fd, KVM_VGIC_V3_ADDR_TYPE_REDIST, GICR_BASE, "vGICv3 redistributor address");

  int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
  if (vcpu < 0) die("KVM_CREATE_VCPU: %s", strerror(errno));
  struct kvm_vcpu_init init;
  xioctl(vm, KVM_ARM_PREFERRED_TARGET, &init, "KVM_ARM_PREFERRED_TARGET");
  memset(init.features, 0, sizeof(init.features));
  init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
  xioctl(vcpu, KVM_ARM_VCPU_INIT, &init, "KVM_ARM_VCPU_INIT");

  struct kvm_device_attr ctrl = {.group = KVM_DEV_ARM_VGIC_GRP_CTRL, .attr = KVM_DEV_ARM_VGIC_CTRL_INIT};
  xioctl(gic.fd, KVM_SET_DEVICE_ATTR, &ctrl, "vGICv3 KVM_DEV_ARM_VGIC_CTRL_INIT");

  struct kvm_one_reg pc = {
      .id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
            (offsetof(struct kvm_regs, regs.pc) / sizeof(uint32_t)),
      .addr = (uint64_t)(uintptr_t)&entry};
  xioctl(vcpu, KVM_SET_ONE_REG, &pc, "KVM_SET_ONE_REG (PC)");

  int run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
  if (run_size < (int)sizeof(struct kvm_run)) die("KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
  struct kvm_run *run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
  if (run == MAP_FAILED) die("cannot map the vCPU's kvm_run: %s", strerror(errno));

  fprintf(stderr, "hvsim-vmm: %s: entry 0x%llx, %llu MiB at 0x%llx, vGICv3, 1 vCPU (target %u)\n", argv[1],
          (unsigned long long)entry, (unsigned long long)ram_mib, (unsigned long long)RAM_BASE, init.target);
  unsigned long exits = 0, mmio_exits = 0;
  for (;;) {
    if (ioctl(vcpu, KVM_RUN, 0) < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      die("KVM_RUN: %s", strerror(errno));
    }
    exits++;
    if (run->exit_reason == KVM_EXIT_MMIO) {
      mmio_exits++;
      if (mmio(run) == 0) continue;
      fflush(stdout);
      fprintf(stderr, "hvsim-vmm: guest %s at 0x%llx (%u bytes): no device there\n",
              run->mmio.is_write ? "write" : "read", (unsigned long long)run->mmio.phys_addr, run->mmio.len);
      return 1;
    }
    if (run->exit_reason == KVM_EXIT_INTR) continue;
    fflush(stdout);
    if (run->exit_reason == KVM_EXIT_SYSTEM_EVENT) {
      int off = run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN;
      int pass = off && strcmp(last_line, "PASS") == 0;
      fprintf(stderr, "hvsim-vmm: guest %s after %lu exits (%lu MMIO); result %s\n",
              off ? "powered off (PSCI SYSTEM_OFF)" : "asked for a reset (PSCI SYSTEM_RESET)", exits, mmio_exits,
              pass ? "PASS" : "FAIL");
      return pass ? 0 : 1;
    }
    if (run->exit_reason == KVM_EXIT_FAIL_ENTRY)
      fprintf(stderr, "hvsim-vmm: vCPU entry failed: reason 0x%llx\n",
              (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
    else if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR)
      fprintf(stderr, "hvsim-vmm: KVM internal error %u\n", run->internal.suberror);
    else
      fprintf(stderr, "hvsim-vmm: unexpected exit reason %u\n", run->exit_reason);
    return 1;
  }
}
