/* exitcode: the semihosting SYS_EXIT code reaches the host: this program
 * prints PASS and then exits with code 3 (registered with expected exit
 * code 3). Entered at EL2. */
#include "fw.h"

int main(void) {
  check("CurrentEL", read_sysreg(CurrentEL), 2 << 2);
  printf("exiting with code 3\n");
  test_done();
  exit(3);
}
