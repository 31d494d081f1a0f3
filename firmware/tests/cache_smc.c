/* cache_smc: self-modifying code and the instruction cache (issue 4).
 *
 * At EL2 with the MMU and caches on, a function in RAM (`mov x0, #N; ret`)
 * is rewritten through the data side and called again. The Arm ARM
 * (B2.4.4, "Concurrent modification and execution of instructions", and
 * D7.5.2, with CTR_EL0.IDC = DIC = 0) requires DC CVAU of the written line,
 * DSB, IC IVAU, DSB and ISB before the new instruction is guaranteed to be
 * fetched. hvsim's L1 instruction cache is not coherent with the data
 * side, so it shows what each missing step does:
 *  - no maintenance: the old instruction still runs (the L1I line is kept);
 *  - DC CVAU alone: still the old one (the L1I line is still valid);
 *  - IC IVAU alone: the L1I refills from the L2, which still has the
 *    previous version: the one before last runs;
 *  - DC CVAU + IC IVAU: the new instruction runs.
 * QEMU models no instruction cache and always runs the newest code; those
 * checks run on hvsim only and silently, so that the transcripts agree. With
 * --check coherency hvsim reports the fetch from the stale L1I line. */
#include "fw.h"
#include "mmu.h"

#define UART_PA 0x09000000UL
#define RAM_PA 0x40000000UL
#define SZ_2M (1UL << 21)
#define SZ_1G (1UL << 30)

#define MOVZ_X0(imm) (0xd2800000u | ((u32)(imm) << 5))
#define RET 0xd65f03c0u

static volatile u32 code[16] __attribute__((aligned(64)));
static struct mmu_tables tables;

static void write_code(unsigned n) {
  code[0] = MOVZ_X0(n);
  code[1] = RET;
  __asm__ volatile("dsb ish" ::: "memory");
}
static void dc_cvau(void) { __asm__ volatile("dc cvau, %0\n dsb ish" ::"r"(code) : "memory"); }
static void ic_ivau(void) { __asm__ volatile("ic ivau, %0\n dsb ish" ::"r"(code) : "memory"); }
static u64 call(void) {
  isb();
  return ((u64(*)(void))(u64)code)();
}

int main(void) {
  vectors_install(2);
  mmu_init(&tables, 12, 39, -1);
  mmu_map(&tables, RAM_PA, RAM_PA, SZ_1G, 1, PTE_NORMAL);
  mmu_map(&tables, UART_PA, UART_PA, SZ_2M, 2, PTE_DEVICE_EL2);
  mmu_enable_el2(&tables);
  const int hv = on_hvsim();

  write_code(1);
  dc_cvau();
  ic_ivau();
  check("with DC CVAU + IC IVAU: the new code runs", call(), 1);

  write_code(2);
  check_quiet("no maintenance: the old code runs", call(), hv ? 1 : 2);
  dc_cvau();
  check_quiet("DC CVAU alone: the old code still runs", call(), hv ? 1 : 2);

  write_code(3);
  ic_ivau();
  check_quiet("IC IVAU alone: the code last cleaned to the PoU runs", call(), hv ? 2 : 3);

  dc_cvau();
  ic_ivau();
  check("DC CVAU + IC IVAU: the new code runs", call(), 3);

  mmu_disable_el2();
  return test_done();
}
