/* util.c - messages, exit helpers, memory, byte buffers, hashing. */
#include "gpulse.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

const char *gp_progname = "gpulse";

void gp_init(const char *progname)
{
    const char *slash = strrchr(progname, '/');
    gp_progname = slash ? slash + 1 : progname;
    /* A closed pipe must end the tool quietly: see EPIPE in gp_out. */
    signal(SIGPIPE, SIG_IGN);
    gp_out_open_fd(&gp_stdout, 1, "standard output");
}

__attribute__((format(printf, 3, 0))) static void vmessage(const char *file, long line, const char *fmt, va_list ap)
{
    /* Flush our stdout first so messages and output interleave sensibly. */
    fprintf(stderr, "%s: ", gp_progname);
    if (file) {
        if (line > 0)
            fprintf(stderr, "%s:%ld: ", file, line);
        else
            fprintf(stderr, "%s: ", file);
    }
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void gp_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(NULL, 0, fmt, ap);
    va_end(ap);
}

/* Say what is wrong (at FILE:LINE when FILE is given) and end the tool
 * with STATUS; a usage error adds where to read how the tool is used.
 * The one ending of gp_die, gp_usage_error and gp_data_die (their va_end,
 * kept for form, is never reached). */
__attribute__((format(printf, 4, 0))) static noreturn void vdie(int status, const char *file, long line,
                                                                 const char *fmt, va_list ap)
{
    vmessage(file, line, fmt, ap);
    if (status == GP_EXIT_USAGE) fprintf(stderr, "Try '%s --help' for more information.\n", gp_progname);
    exit(status);
}

noreturn void gp_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdie(GP_EXIT_FAILURE, NULL, 0, fmt, ap);
    va_end(ap);
}

noreturn void gp_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdie(GP_EXIT_USAGE, NULL, 0, fmt, ap);
    va_end(ap);
}

void gp_data_warn(const char *file, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(file ? file : "<stdin>", line, fmt, ap);
    va_end(ap);
}

noreturn void gp_data_die(const char *file, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdie(GP_EXIT_FAILURE, file ? file : "<stdin>", line, fmt, ap);
    va_end(ap);
}

int gp_error_set(gp_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

noreturn void gp_version_exit(void)
{
    gp_out_printf(&gp_stdout, "%s (gpulse) %s\n", gp_progname, GP_VERSION);
    gp_out_close(&gp_stdout);
    exit(GP_EXIT_OK);
}

static void out_of_memory(size_t n)
{
    gp_die("out of memory (%zu bytes)", n);
}

void *gp_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) out_of_memory(n);
    return p;
}

void *gp_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) out_of_memory(count * size);
    return p;
}

void *gp_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) out_of_memory(n);
    return q;
}

char *gp_xstrdup(const char *s)
{
    return gp_xstrndup(s, strlen(s));
}

char *gp_xstrndup(const char *s, size_t n)
{
    char *p = gp_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void gp_buf_reserve(gp_buf *b, size_t extra)
{
    if (b->cap - b->len > extra) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap - b->len <= extra) cap *= 2;
    b->data = gp_xrealloc(b->data, cap);
    b->cap = cap;
}

void gp_buf_add(gp_buf *b, const void *p, size_t n)
{
    gp_buf_reserve(b, n);
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void gp_buf_addc(gp_buf *b, char c)
{
    gp_buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void gp_buf_adds(gp_buf *b, const char *s)
{
    gp_buf_add(b, s, strlen(s));
}

void gp_buf_printf(gp_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    gp_buf_reserve(b, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *gp_buf_cstr(gp_buf *b)
{
    gp_buf_reserve(b, 1);
    b->data[b->len] = '\0';
    return b->data;
}

void gp_buf_free(gp_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

bool gp_str_eq(gp_str a, gp_str b)
{
    return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

bool gp_str_eqz(gp_str a, const char *z)
{
    size_t n = strlen(z);
    return a.n == n && (n == 0 || memcmp(a.p, z, n) == 0);
}

int gp_str_cmp(gp_str a, gp_str b)
{
    size_t n = a.n < b.n ? a.n : b.n;
    int c = n ? memcmp(a.p, b.p, n) : 0;
    if (c) return c;
    return a.n < b.n ? -1 : a.n > b.n;
}

/* A multiply-mix over 8-byte words (FNV-1a's byte loop is too slow for
 * ten million keys a second); finished with splitmix64's avalanche. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

uint64_t gp_hash(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *s = p;
    uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
        s += 8;
        n -= 8;
    }
    uint64_t tail = 0;
    for (size_t i = 0; i < n; i++) tail |= (uint64_t)s[i] << (8 * i);
    return mix64(h ^ tail ^ ((uint64_t)n << 56));
}

long long gp_opt_long(const char *opt, const char *arg, long long min, long long max)
{
    char *end;
    errno = 0;
    long long v = strtoll(arg, &end, 10);
    if (errno || end == arg || *end || v < min || v > max)
        gp_usage_error("invalid value '%s' for %s: expected a whole number from %lld to %lld",
                       arg, opt, min, max);
    return v;
}

double gp_opt_double(const char *opt, const char *arg, double min, double max)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (errno || end == arg || *end || !(v >= min && v <= max))
        gp_usage_error("invalid value '%s' for %s: expected a number from %g to %g", arg, opt,
                       min, max);
    return v;
}

int64_t gp_opt_duration(const char *opt, const char *arg)
{
    int64_t ms;
    if (gp_duration_parse(arg, &ms) != 0 || ms < 0)
        gp_usage_error("invalid duration '%s' for %s (examples: 90m, 1h30m, 5400s, PT90M)", arg,
                       opt);
    return ms;
}

int64_t gp_opt_time(const char *opt, const char *arg)
{
    return gp_opt_time_in(opt, arg, NULL);
}

int64_t gp_opt_time_in(const char *opt, const char *arg, const char *zone)
{
    int64_t ms;
    if (gp_time_parse(arg, strlen(arg), &ms) == 0) return ms;
    if (gp_date_parse(arg, strlen(arg), &ms) != 0)
        gp_usage_error("invalid time '%s' for %s (expected RFC 3339, e.g. 2026-11-02T13:00:00Z, or a date)",
                       arg, opt);
    return zone && *zone ? gp_tz_local_midnight(zone, ms / 86400000) : ms;
}

uint64_t gp_opt_size(const char *opt, const char *arg, uint64_t min)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k') shift = 10;
    else if (*end == 'M' || *end == 'm') shift = 20;
    else if (*end == 'G' || *end == 'g') shift = 30;
    if (shift) end++;
    if (errno || end == arg || *end || arg[0] == '-' || v > (UINT64_MAX >> 30) || (v << shift) < min)
        gp_usage_error("invalid size '%s' for %s: expected bytes, or a number with K, M or G, of at least %llu",
                       arg, opt, (unsigned long long)min);
    return (uint64_t)v << shift;
}
