/* times.c - RFC 3339 times, durations, civil dates, time zones, and the
 * number format of seconds (ratios: ratio.c). */
#include "gpulse.h"

#include "bytescan.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
 * calendar, no tables, no time zone state. */
int64_t gp_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void gp_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int two_digits(const char *s)
{
    unsigned a = (unsigned char)s[0] - '0', b = (unsigned char)s[1] - '0';
    return a < 10 && b < 10 ? (int)(a * 10 + b) : -1;
}

static int three_digits(const char *s)
{
    int ab = two_digits(s);
    unsigned c = (unsigned char)s[2] - '0';
    return ab >= 0 && c < 10 ? ab * 10 + (int)c : -1;
}

static int days_in_month(int64_t y, unsigned m)
{
    static const unsigned char days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return days[m - 1];
}

/* YYYY-MM-DD at s[0..10); returns days since epoch or sets *ok = 0. */
static int64_t parse_date_part(const char *s, int *ok)
{
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1 || s[4] != '-' || s[7] != '-' ||
        d > days_in_month(y, (unsigned)m)) {
        *ok = 0;
        return 0;
    }
    *ok = 1;
    return gp_days_from_civil(y, (unsigned)m, (unsigned)d);
}

int gp_date_parse(const char *s, size_t n, int64_t *ms)
{
    int ok;
    if (n != 10) return -1;
    int64_t days = parse_date_part(s, &ok);
    if (!ok) return -1;
    *ms = days * 86400000LL;
    return 0;
}

/* The canonical form, YYYY-MM-DDTHH:MM:SS.mmmZ after the date: what every
 * gpulse tool writes and Genesys sends.  Returns false for anything else. */
static inline bool parse_canonical_clock(const char *s, size_t n, int64_t *ms_of_day)
{
    if (n != 24) return false;
    /* "HH:MM:SS" and ".mmm" as words: the separators are checked in place,
     * then swapped for '0' so that one test finds any byte that is not a
     * digit */
    const uint64_t ones = GP_ONES64;
    uint64_t clock = gp_load64(s + 11);
    uint32_t frac = gp_load32(s + 19);
    const uint64_t colons = ((uint64_t)':' << 16) | ((uint64_t)':' << 40);
    const uint64_t colon_bytes = (0xffULL << 16) | (0xffULL << 40);
    if (s[10] != 'T' || (clock & colon_bytes) != colons || (frac & 0xff) != '.' || s[23] != 'Z')
        return false;
    clock = (clock & ~colon_bytes) | (ones * '0' & colon_bytes);
    frac = (frac & ~0xffu) | '0';
    if (!gp_swar_digits8(clock) || !gp_swar_digits4(frac)) return false;
    /* every byte a digit 0-9 now (the colons 0): ten times each byte plus
     * the next byte gives the two-digit numbers in bytes 0, 3 and 6, and
     * no byte carries into the next (9 * 10 + 9 < 256) */
    uint64_t d = clock - ones * '0';
    uint64_t pairs = d * 10 + (d >> 8);
    unsigned hh = (unsigned)(pairs & 0xff), mm = (unsigned)(pairs >> 24 & 0xff);
    unsigned ss = (unsigned)(pairs >> 48 & 0xff);
    uint32_t f = frac - 0x30303030u;
    unsigned ms = (f >> 8 & 0xff) * 100 + (f >> 16 & 0xff) * 10 + (f >> 24);
    if (hh > 23 || mm > 59 || ss > 60) return false;
    if (ss == 60) ss = 59; /* a leap second is folded into the second before */
    *ms_of_day = (int64_t)((hh * 3600 + mm * 60 + ss) * 1000 + ms);
    return true;
}

/* Consecutive records mostly share a date: the last one parsed is
 * remembered, in each thread its own (gheat parses times in two threads at
 * once). */
static _Thread_local char last_date[10];
static _Thread_local int64_t last_days;
static _Thread_local bool have_last;

/* Days since the epoch of the date at S[0..10), through the memory of the
 * last date; false when it is not a date. */
static inline bool cached_days(const char *s, int64_t *days)
{
    if (have_last && gp_bytes_equal(s, last_date, 10)) {
        *days = last_days;
        return true;
    }
    int ok;
    *days = parse_date_part(s, &ok);
    if (!ok) return false;
    memcpy(last_date, s, 10);
    last_days = *days;
    have_last = true;
    return true;
}

int gp_time_parse(const char *s, size_t n, int64_t *ms)
{
    int64_t clock, days;
    if (!parse_canonical_clock(s, n, &clock)) return gp_time_parse_careful(s, n, ms);
    if (!cached_days(s, &days)) return -1;
    *ms = days * 86400000 + clock; /* years 0000-9999 in UTC: always in range */
    return 0;
}

/* The last end parsed by gp_time_parse_pair, as written and as a time:
 * the next segment of its timeline mostly starts there (about half of the
 * starts of a shift's records are the end read just before). */
static _Thread_local char last_end[GP_TIME_LEN];
static _Thread_local int64_t last_end_ms;
static _Thread_local bool have_last_end;

/* The canonical time at S (N bytes), or false. */
static inline bool canonical_time(const char *s, size_t n, int64_t *ms)
{
    int64_t clock, days;
    if (!parse_canonical_clock(s, n, &clock) || !cached_days(s, &days)) return false;
    *ms = days * 86400000 + clock;
    return true;
}

bool gp_time_parse_pair(const char *a, size_t an, const char *b, size_t bn, int64_t *ta, int64_t *tb)
{
    if (an != GP_TIME_LEN || bn != GP_TIME_LEN) return false;
    int64_t start, end;
    if (have_last_end && gp_bytes_equal(a, last_end, GP_TIME_LEN)) start = last_end_ms;
    else if (!canonical_time(a, an, &start)) return false;
    if (!canonical_time(b, bn, &end)) return false;
    memcpy(last_end, b, GP_TIME_LEN);
    last_end_ms = end;
    have_last_end = true;
    *ta = start;
    *tb = end;
    return true;
}

int gp_time_parse_careful(const char *s, size_t n, int64_t *ms)
{
    int ok;
    if (n < 20) return -1;
    int64_t days = parse_date_part(s, &ok);
    if (!ok) return -1;
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return -1;
    int hh = two_digits(s + 11), mm = two_digits(s + 14), ss = two_digits(s + 17);
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60 || s[13] != ':' ||
        s[16] != ':')
        return -1;
    if (ss == 60) ss = 59; /* a leap second is folded into the second before */
    size_t i = 19;
    int64_t frac_ms = 0;
    if (i < n && (s[i] == '.' || s[i] == ',')) {
        i++;
        size_t start = i;
        int ms3 = n - i >= 4 ? three_digits(s + i) : -1;
        if (ms3 >= 0) { /* the usual ".000" */
            frac_ms = ms3;
            i += 3;
        } else {
            int scale = 100;
            while (i < n && s[i] >= '0' && s[i] <= '9' && scale > 0) {
                frac_ms += (s[i] - '0') * scale;
                scale /= 10;
                i++;
            }
        }
        while (i < n && s[i] >= '0' && s[i] <= '9') i++; /* past milliseconds */
        if (i == start) return -1;
    }
    int64_t offset_min = 0;
    if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
        i++;
    } else if (i < n && (s[i] == '+' || s[i] == '-')) {
        int sign = s[i] == '-' ? -1 : 1;
        int oh, om;
        if (n - i == 6 && s[i + 3] == ':') {
            oh = digits(s + i + 1, 2);
            om = digits(s + i + 4, 2);
        } else if (n - i == 5) {
            oh = digits(s + i + 1, 2);
            om = digits(s + i + 3, 2);
        } else {
            return -1;
        }
        if (oh < 0 || oh > 23 || om < 0 || om > 59) return -1;
        offset_min = sign * (oh * 60 + om);
        i = n;
    } else {
        return -1;
    }
    if (i != n) return -1;
    int64_t t = ((days * 86400 + hh * 3600 + mm * 60 + ss) - offset_min * 60) * 1000 + frac_ms;
    /* an offset can move the instant past either end of the years RFC 3339
     * writes: such a time has no canonical form */
    if (!gp_time_in_range(t)) return -1;
    *ms = t;
    return 0;
}

static void put2(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

size_t gp_time_format(int64_t ms, char *out)
{
    if (!gp_time_in_range(ms)) return gp_time_format(ms < 0 ? GP_TIME_MIN : GP_TIME_MAX, out);
    int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
    int64_t rem = ms - days * 86400000;
    int64_t y;
    unsigned m, d;
    gp_civil_from_days(days, &y, &m, &d);
    unsigned secs = (unsigned)(rem / 1000), milli = (unsigned)(rem % 1000);
    put2(out, (unsigned)(y / 100));
    put2(out + 2, (unsigned)(y % 100));
    out[4] = '-';
    put2(out + 5, m);
    out[7] = '-';
    put2(out + 8, d);
    out[10] = 'T';
    put2(out + 11, secs / 3600);
    out[13] = ':';
    put2(out + 14, secs / 60 % 60);
    out[16] = ':';
    put2(out + 17, secs % 60);
    out[19] = '.';
    out[20] = (char)('0' + milli / 100);
    put2(out + 21, milli % 100);
    out[23] = 'Z';
    out[24] = '\0';
    return GP_TIME_LEN;
}

/* A number with an optional fraction at *p; advances *p. */
static int parse_number(const char **p, double *v)
{
    const char *s = *p;
    if (!isdigit((unsigned char)*s) && !(*s == '.' && isdigit((unsigned char)s[1]))) return -1;
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    if (errno || end == s) return -1;
    /* strtod would take exponents and hex; a duration never has them */
    for (const char *q = s; q < end; q++)
        if (!isdigit((unsigned char)*q) && *q != '.') return -1;
    *p = end;
    return 0;
}

/* TOTAL seconds as ms when the text had a number and the duration fits the
 * time range (llround past int64 is undefined). */
static int duration_ms(bool any, double total, int64_t *ms)
{
    if (!any || !(total * 1000 <= (double)GP_SECS_MAX)) return -1;
    *ms = llround(total * 1000);
    return 0;
}

/* ISO 8601 duration: P[nW][nD][T[nH][nM][nS]] */
static int parse_iso_duration(const char *s, int64_t *ms)
{
    double total = 0;
    bool in_time = false, any = false;
    s++; /* 'P' */
    while (*s) {
        if (*s == 'T' || *s == 't') {
            if (in_time) return -1;
            in_time = true;
            s++;
            continue;
        }
        double v;
        if (parse_number(&s, &v) != 0) return -1;
        char unit = (char)toupper((unsigned char)*s++);
        if (!in_time && unit == 'W') total += v * 604800;
        else if (!in_time && unit == 'D') total += v * 86400;
        else if (in_time && unit == 'H') total += v * 3600;
        else if (in_time && unit == 'M') total += v * 60;
        else if (in_time && unit == 'S') total += v;
        else return -1;
        any = true;
    }
    return duration_ms(any, total, ms);
}

int gp_duration_parse(const char *s, int64_t *ms)
{
    if (*s == 'P' || *s == 'p') return parse_iso_duration(s, ms);
    double total = 0;
    bool any = false;
    while (*s) {
        double v;
        if (parse_number(&s, &v) != 0) return -1;
        double unit;
        if (strncmp(s, "ms", 2) == 0) { unit = 0.001; s += 2; }
        else if (*s == 's') { unit = 1; s++; }
        else if (*s == 'm') { unit = 60; s++; }
        else if (*s == 'h') { unit = 3600; s++; }
        else if (*s == 'd') { unit = 86400; s++; }
        else if (*s == 'w') { unit = 604800; s++; }
        else if (*s == '\0' && !any) { unit = 1; } /* a plain number: seconds */
        else return -1;
        total += v * unit;
        any = true;
    }
    return duration_ms(any, total, ms);
}

/* Time zones: glibc's tzfile reader through TZ + localtime_r.  Changing TZ
 * re-reads the zone file, so the zone in force is cached and callers that
 * work user by user change it rarely. */
static char current_zone[128] = "";
static bool zone_set = false;

static void use_zone(const char *zone)
{
    if (!zone || !*zone) zone = "UTC";
    if (zone_set && strcmp(current_zone, zone) == 0) return;
    if (!gp_tz_valid(zone)) gp_die("unknown time zone '%s'", zone);
    snprintf(current_zone, sizeof current_zone, "%s", zone);
    setenv("TZ", current_zone, 1);
    tzset();
    zone_set = true;
}

int gp_tz_valid(const char *zone)
{
    if (!zone || !*zone || strcmp(zone, "UTC") == 0 || strcmp(zone, "Z") == 0) return 1;
    if (zone[0] == '/' || strstr(zone, "..") || strlen(zone) >= 100) return 0;
    const char *dirs[] = {getenv("TZDIR"), "/usr/share/zoneinfo"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        if (!dirs[i]) continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dirs[i], zone);
        FILE *f = fopen(path, "rb");
        if (f) {
            char magic[4] = {0};
            size_t got = fread(magic, 1, 4, f);
            fclose(f);
            if (got == 4 && memcmp(magic, "TZif", 4) == 0) return 1;
        }
    }
    return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t gp_tz_offset(const char *zone, int64_t ms)
{
    use_zone(zone);
    time_t t = (time_t)floor_div(ms, 1000);
    struct tm tm;
    if (!localtime_r(&t, &tm)) return 0;
    int64_t local_days = gp_days_from_civil(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
                                            (unsigned)tm.tm_mday);
    int64_t local = local_days * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
    return (local - (int64_t)t) * 1000;
}

int64_t gp_tz_local_midnight(const char *zone, int64_t days)
{
    /* The local day DAYS begins at the first instant whose local date is
     * DAYS.  Usually that is local 00:00, at GUESS less the offset in
     * force then, which is one of the offsets of the days either side. */
    int64_t guess = days * 86400000LL;
    int64_t before = gp_tz_offset(zone, guess - 86400000LL), after = gp_tz_offset(zone, guess + 86400000LL);
    int64_t offsets[2] = {before, after}, first = INT64_MAX;
    for (int i = 0; i < 2; i++) {
        int64_t t = guess - offsets[i];
        if (t + gp_tz_offset(zone, t) == guess && t < first) first = t;
    }
    if (first != INT64_MAX) return first;
    /* 00:00 does not exist that day (America/Santiago 2026-09-06: clocks
     * jump from 00:00 to 01:00): the day begins at the jump, between the
     * two candidates; find it to the second */
    int64_t lo = guess - (before > after ? before : after), hi = guess - (before > after ? after : before);
    while (hi - lo > 1000) {
        int64_t mid = lo + (hi - lo) / 2000 * 1000;
        if (mid + gp_tz_offset(zone, mid) >= guess) hi = mid;
        else lo = mid;
    }
    return hi;
}

size_t gp_format_secs(int64_t ms, char *out)
{
    /* by hand, not snprintf: writers put a dozen of these in every row */
    uint64_t a = ms < 0 ? (uint64_t)(-(ms + 1)) + 1 : (uint64_t)ms;
    uint64_t whole = a / 1000;
    unsigned frac = (unsigned)(a % 1000);
    char digits[24];
    size_t nd = 0;
    do digits[nd++] = (char)('0' + whole % 10);
    while ((whole /= 10) > 0);
    size_t n = 0;
    if (ms < 0) out[n++] = '-';
    while (nd) out[n++] = digits[--nd];
    if (frac) {
        out[n++] = '.';
        out[n++] = (char)('0' + frac / 100);
        if (frac % 100) out[n++] = (char)('0' + frac / 10 % 10);
        if (frac % 10) out[n++] = (char)('0' + frac % 10);
    }
    out[n] = '\0';
    return n;
}

int gp_secs_parse(const char *s, size_t n, int64_t *ms)
{
    char tmp[64];
    if (n == 0 || n >= sizeof tmp) return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *end;
    errno = 0;
    double v = strtod(tmp, &end);
    if (errno || end != tmp + n || !isfinite(v)) return -1;
    if (!(tmp[0] == '-' || tmp[0] == '.' || isdigit((unsigned char)tmp[0]))) return -1;
    if (!(fabs(v * 1000) <= (double)GP_SECS_MAX)) return -2;
    *ms = llround(v * 1000);
    return 0;
}
