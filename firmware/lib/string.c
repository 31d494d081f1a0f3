/* The few string functions the firmware needs; GCC may also emit calls to
 * memcpy/memset/memmove/memcmp itself. They never make an unaligned access
 * (with the MMU off all data memory is Device memory, where unaligned
 * accesses fault): byte-wise, or 8 bytes at a time when all is aligned. */
#include "fw.h"

void *memcpy(void *dst, const void *src, size_t n) {
  u8 *d = dst;
  const u8 *s = src;
  if ((((u64)d | (u64)s | n) & 7) == 0) {
    for (size_t i = 0; i < n; i += 8) *(u64 *)(d + i) = *(const u64 *)(s + i);
    return dst;
  }
  for (size_t i = 0; i < n; i++) d[i] = s[i];
  return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
  u8 *d = dst;
  const u8 *s = src;
  if (d < s) {
    for (size_t i = 0; i < n; i++) d[i] = s[i];
  } else {
    while (n--) d[n] = s[n];
  }
  return dst;
}

void *memset(void *dst, int c, size_t n) {
  u8 *d = dst;
  for (size_t i = 0; i < n; i++) d[i] = (u8)c;
  return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
  const u8 *x = a, *y = b;
  for (size_t i = 0; i < n; i++)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

size_t strlen(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

int strcmp(const char *a, const char *b) {
  while (*a && *a == *b) {
    a++;
    b++;
  }
  return (u8)*a - (u8)*b;
}
