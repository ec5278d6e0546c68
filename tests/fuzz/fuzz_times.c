/* fuzz_times.c - the time, date, duration and seconds parsers, with their
 * round trips: parse -> write -> parse gives the same instant (or length). */
#include "fuzz.h"

#include <string.h>

static void check_time(const char *s, size_t n)
{
    int64_t ms, again;
    char text[GP_TIME_LEN + 1];
    if (gp_time_parse(s, n, &ms) == 0) {
        FUZZ_CHECK(gp_time_in_range(ms), "'%.*s' parsed to %lld, outside the range", (int)n, s, (long long)ms);
        size_t len = gp_time_format(ms, text);
        FUZZ_CHECK(len == GP_TIME_LEN && gp_time_parse(text, len, &again) == 0 && again == ms,
                   "'%.*s' -> %lld -> '%s' does not read back", (int)n, s, (long long)ms, text);
    }
    if (gp_date_parse(s, n, &ms) == 0) {
        FUZZ_CHECK(gp_time_in_range(ms) && ms % 86400000 == 0, "date '%.*s' -> %lld", (int)n, s, (long long)ms);
        size_t len = gp_time_format(ms, text);
        FUZZ_CHECK(gp_date_parse(text, 10, &again) == 0 && again == ms && len == GP_TIME_LEN,
                   "date '%.*s' -> '%s' does not read back", (int)n, s, text);
    }
}

static void check_secs(const char *s, size_t n)
{
    int64_t ms, again;
    char text[32];
    int got = gp_secs_parse(s, n, &ms);
    if (got != 0) return;
    FUZZ_CHECK(ms >= -GP_SECS_MAX && ms <= GP_SECS_MAX, "secs '%.*s' -> %lld", (int)n, s, (long long)ms);
    size_t len = gp_format_secs(ms, text);
    FUZZ_CHECK(gp_secs_parse(text, len, &again) == 0 && again == ms, "secs '%.*s' -> %lld -> '%s'", (int)n, s,
               (long long)ms, text);
}

static void check_duration(const char *z)
{
    int64_t ms, again;
    char text[32];
    if (gp_duration_parse(z, &ms) != 0) return;
    FUZZ_CHECK(ms >= 0 && ms <= GP_SECS_MAX, "duration '%s' -> %lld", z, (long long)ms);
    gp_format_secs(ms, text); /* a plain number is seconds */
    FUZZ_CHECK(gp_duration_parse(text, &again) == 0 && again == ms, "duration '%s' -> %lld -> '%s'", z,
               (long long)ms, text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256) return 0;
    /* an exact-size copy, so that reading past the end is an ASan report */
    char *exact = malloc(size ? size : 1);
    memcpy(exact, data, size);
    check_time(exact, size);
    check_secs(exact, size);
    char *z = malloc(size + 1);
    memcpy(z, data, size);
    z[size] = '\0';
    check_duration(z);
    free(z);
    free(exact);
    return 0;
}
