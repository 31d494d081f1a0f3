/* A small printf: %d %i %u %x %X %s %c %p %%, length modifiers l, ll, z,
 * flags '0' and '-', and a decimal width. No floating point. */
#include "fw.h"

struct sink {
  void (*put)(struct sink *s, char c);
  char *buf;
  size_t size, len;
};

static void put_uart(struct sink *s, char c) {
  uart_putc(c);
  s->len++;
}

static void put_buf(struct sink *s, char c) {
  if (s->len + 1 < s->size) s->buf[s->len] = c;
  s->len++;
}

static void emit_padded(struct sink *s, const char *p, size_t n, int width,
                        int left, char pad) {
  int fill = width > (int)n ? width - (int)n : 0;
  if (!left && pad == '0' && n > 0 && p[0] == '-') { /* "-0042" */
    s->put(s, *p++);
    n--;
  }
  if (!left)
    while (fill-- > 0) s->put(s, pad);
  while (n--) s->put(s, *p++);
  if (left)
    while (fill-- > 0) s->put(s, ' ');
}

static void format(struct sink *s, const char *fmt, va_list ap) {
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      s->put(s, *fmt);
      continue;
    }
    fmt++;
    int left = 0;
    char pad = ' ';
    for (;; fmt++) {
      if (*fmt == '-')
        left = 1;
      else if (*fmt == '0')
        pad = '0';
      else
        break;
    }
    int width = 0;
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    int lng = 0;
    while (*fmt == 'l' || *fmt == 'z') {
      lng = 1;
      fmt++;
    }
    char tmp[24];
    char *end = tmp + sizeof(tmp), *p = end;
    u64 v;
    int neg = 0;
    switch (*fmt) {
    case 'd':
    case 'i': {
      s64 sv = lng ? va_arg(ap, s64) : (s64)va_arg(ap, int);
      neg = sv < 0;
      v = neg ? -(u64)sv : (u64)sv;
      do {
        *--p = (char)('0' + v % 10);
        v /= 10;
      } while (v);
      if (neg) *--p = '-';
      emit_padded(s, p, (size_t)(end - p), width, left, pad);
      break;
    }
    case 'u':
      v = lng ? va_arg(ap, u64) : (u64)va_arg(ap, unsigned);
      do {
        *--p = (char)('0' + v % 10);
        v /= 10;
      } while (v);
      emit_padded(s, p, (size_t)(end - p), width, left, pad);
      break;
    case 'p':
      lng = 1;
      /* fall through */
    case 'x':
    case 'X': {
      const char *digits = *fmt == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
      v = lng ? va_arg(ap, u64) : (u64)va_arg(ap, unsigned);
      do {
        *--p = digits[v & 15];
        v >>= 4;
      } while (v);
      emit_padded(s, p, (size_t)(end - p), width, left, pad);
      break;
    }
    case 's': {
      const char *str = va_arg(ap, const char *);
      if (!str) str = "(null)";
      emit_padded(s, str, strlen(str), width, left, ' ');
      break;
    }
    case 'c':
      tmp[0] = (char)va_arg(ap, int);
      emit_padded(s, tmp, 1, width, left, ' ');
      break;
    case '%':
      s->put(s, '%');
      break;
    case '\0':
      return;
    default: /* unknown conversion: print it as is */
      s->put(s, '%');
      s->put(s, *fmt);
      break;
    }
  }
}

int printf(const char *fmt, ...) {
  struct sink s = {put_uart, 0, 0, 0};
  va_list ap;
  va_start(ap, fmt);
  format(&s, fmt, ap);
  va_end(ap);
  return (int)s.len;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
  struct sink s = {put_buf, buf, size, 0};
  format(&s, fmt, ap);
  if (size) buf[s.len < size ? s.len : size - 1] = '\0';
  return (int)s.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}
