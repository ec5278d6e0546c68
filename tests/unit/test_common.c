/* Unit tests for libgpulse: times, durations, statuses, number formats,
 * record scanning.  Expected values are worked out by hand in comments. */
#include "gpulse.h"
#include "unit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_time_parse(void)
{
    int64_t ms = 0;
    /* 2026-11-02 is 20759 days after 1970-01-01: 20759*86400 = 1793577600 */
    unit_check(gp_time_parse("2026-11-02T00:00:00Z", 20, &ms) == 0 && ms == 1793577600000LL,
               "time: midnight Z", "2026-11-02T00:00:00Z");
    unit_check(gp_time_parse("2026-11-02T13:00:00.000Z", 24, &ms) == 0 &&
                   ms == 1793577600000LL + 13 * 3600000LL,
               "time: milliseconds", "13:00:00.000Z");
    /* 12:00+02:00 is 10:00Z */
    int64_t a, b;
    gp_time_parse("2026-11-02T12:00:00+02:00", 25, &a);
    gp_time_parse("2026-11-02T10:00:00Z", 20, &b);
    unit_check_long(a, b, "time: +02:00 offset is the same instant");
    gp_time_parse("2026-11-01T19:00:00-05:00", 25, &a);
    gp_time_parse("2026-11-02T00:00:00Z", 20, &b);
    unit_check_long(a, b, "time: -05:00 crosses midnight");
    gp_time_parse("2026-11-02T10:00:00.1234567Z", 28, &a);
    unit_check_long(a - b, 10 * 3600000LL + 123, "time: fraction truncated to ms");
    unit_check(gp_time_parse("2026-11-02T10:00:00", 19, &a) != 0, "time: no zone rejected", "");
    unit_check(gp_time_parse("2026-02-30T10:00:00Z", 20, &a) != 0, "time: Feb 30 rejected", "");
    unit_check(gp_time_parse("2024-02-29T10:00:00Z", 20, &a) == 0, "time: leap day accepted", "");
    unit_check(gp_time_parse("2026-11-02T24:00:00Z", 20, &a) != 0, "time: hour 24 rejected", "");
    unit_check(gp_time_parse("2026-11-02t10:00:00z", 20, &a) == 0, "time: lower-case t and z", "");
    unit_check(gp_time_parse("2026-11-02T10:00:00+0200", 24, &a) == 0 && a == b + 8 * 3600000LL,
               "time: +0200 without colon", "");
    /* the canonical 24-byte form has its own fast path: every byte counts */
    static const char *const bad24[] = {
        "2026-11-02T1a:00:00.000Z", "2026-11-02T10:0/:00.000Z", "2026-11-02T10:00:00.00aZ",
        "2026-11-02T24:00:00.000Z", "2026-11-02T10:60:00.000Z", "2026-11-02T10-00:00.000Z",
        "2026-11-02T10:00:00-000Z", "2026-11-02T10:00:00.000X", "2026-11-02T10:00:00.\37700Z",
        "2026-11-02T10:00:00.0:0Z",
    };
    for (size_t i = 0; i < sizeof bad24 / sizeof bad24[0]; i++) {
        char name[80];
        snprintf(name, sizeof name, "time: rejects %s", bad24[i]);
        for (char *c = name; *c; c++)
            if ((unsigned char)*c >= 0x80) *c = '?';
        unit_check(gp_time_parse(bad24[i], 24, &a) != 0, name, "parsed");
    }
    gp_time_parse("2026-11-02T00:00:00Z", 20, &b);
    unit_check(gp_time_parse("2026-11-02T23:59:60.999Z", 24, &a) == 0 &&
                   a == b + 86399999LL, "time: leap second folded, fast path", "");
    unit_check(gp_time_parse("2026-11-02T09:08:07.006Z", 24, &a) == 0 &&
                   a == b + (9 * 3600 + 8 * 60 + 7) * 1000LL + 6, "time: every digit in place", "");
    unit_check(gp_time_parse("2026-11-02T10:00:00,500Z", 24, &a) == 0 &&
                   a == b + 10 * 3600000LL + 500, "time: comma before the fraction", "");
}

/* The canonical fast path of gp_time_parse (and its cache of the last
 * date) against the careful parse alone, on random 24-byte times: digits
 * in and out of range, a date repeated or new, now and then a byte of the
 * shape broken.  Seeded: a failure repeats. */
static void test_time_parse_fast_and_careful(void)
{
    static const char shape[] = "2026-11-02T10:00:00.000Z";
    static const char breakers[] = {'x', '/', ':', ';', '-', '.', ',', 'T', 't', 'z', ' ', '\0', '\377', '+'};
    uint64_t rng = 0x2545F4914F6CDD1DULL;
    char s[25], first_bad[25] = "";
    long differ = 0, parsed = 0, tries = 300000;
    memcpy(s, shape, sizeof shape);
    for (long n = 0; n < tries; n++) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        uint64_t r = rng;
        if (r % 4 == 0) { /* a new date: years, months and days in and out of range */
            snprintf(s, 11, "%04u-%02u-%02u", (unsigned)(r >> 8) % 10000, (unsigned)(r >> 24) % 14,
                     (unsigned)(r >> 32) % 33);
            s[10] = 'T';
        }
        /* the clock: hours to 29, minutes and seconds to 69, any milliseconds */
        char clock[14];
        snprintf(clock, sizeof clock, "%02u:%02u:%02u.%03u", (unsigned)(r >> 40) % 30,
                 (unsigned)(r >> 45) % 70, (unsigned)(r >> 51) % 70, (unsigned)(r >> 20) % 1000);
        memcpy(s + 11, clock, 12);
        s[23] = 'Z';
        char saved = 0;
        size_t at = 0;
        if ((r >> 58) % 4 == 0) { /* one byte of the shape broken */
            at = (size_t)((r >> 2) % 24);
            saved = s[at];
            s[at] = breakers[(r >> 12) % sizeof breakers];
        }
        int64_t fast = -7, careful = -7;
        int a = gp_time_parse(s, 24, &fast), b = gp_time_parse_careful(s, 24, &careful);
        if (a != b || (a == 0 && fast != careful)) {
            if (!differ) memcpy(first_bad, s, 24);
            differ++;
        }
        if (a == 0) parsed++;
        if (saved) s[at] = saved;
    }
    for (char *c = first_bad; *c; c++)
        if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x80) *c = '?';
    char why[120];
    snprintf(why, sizeof why, "%ld of %ld differ, first: %s", differ, tries, first_bad);
    unit_check(differ == 0, "time: the canonical fast path parses as the careful one", why);
    unit_check(parsed > tries / 10 && parsed < tries * 9 / 10, "time: random times, some parse, some do not",
               "");
}

/* gp_time_parse_pair (a segment's start and end in one call, with its
 * memory of the last end) against the careful parse of each, on random
 * pairs: the start half the time the end before it (the memory's case),
 * dates shared or not, now and then a byte broken.  A pair parses exactly
 * when neither time is broken and both are valid, and to the careful
 * values. */
static void random_canonical_time(uint64_t r, char *s)
{
    if (r % 3 == 0) {
        snprintf(s, 11, "%04u-%02u-%02u", 1970 + (unsigned)(r >> 8) % 100, 1 + (unsigned)(r >> 24) % 13,
                 1 + (unsigned)(r >> 32) % 31);
        s[10] = 'T';
    }
    char clock[14];
    snprintf(clock, sizeof clock, "%02u:%02u:%02u.%03u", (unsigned)(r >> 40) % 25, (unsigned)(r >> 45) % 61,
             (unsigned)(r >> 51) % 61, (unsigned)(r >> 20) % 1000);
    memcpy(s + 11, clock, 12);
    s[23] = 'Z';
}

static void test_time_parse_pair(void)
{
    uint64_t rng = 0x9E3779B97F4A7C15ULL;
    char start[25] = "2026-11-02T10:00:00.000Z", end[25] = "2026-11-02T11:00:00.000Z";
    long wrong = 0, parsed = 0, tries = 300000;
    for (long n = 0; n < tries; n++) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        if (rng % 2 == 0) memcpy(start, end, 24); /* it starts where the last one ended */
        else random_canonical_time(rng, start);
        random_canonical_time(rng * 0x2545F4914F6CDD1DULL, end);
        char *broken = NULL, saved = 0;
        if ((rng >> 60) % 4 == 0) {
            broken = ((rng >> 3) & 1) ? start : end;
            size_t at = (size_t)((rng >> 5) % 24);
            saved = broken[at];
            broken[at] = "x:.-T Z+"[(rng >> 11) % 8];
            if (broken[at] == saved) broken = NULL;
            else broken += at;
        }
        int64_t a = -7, b = -7, ca = -7, cb = -7;
        bool valid = gp_time_parse_careful(start, 24, &ca) == 0 && gp_time_parse_careful(end, 24, &cb) == 0;
        bool pair = gp_time_parse_pair(start, 24, end, 24, &a, &b);
        if (pair) parsed++;
        if (pair ? !valid || a != ca || b != cb : valid && !broken) wrong++;
        if (broken) *broken = saved;
    }
    char why[96];
    snprintf(why, sizeof why, "%ld of %ld wrong, %ld parsed", wrong, tries, parsed);
    unit_check(wrong == 0 && parsed > tries / 4, "time: pairs parse as the careful parse of each", why);
    int64_t a, b;
    unit_check(!gp_time_parse_pair("2026-11-02T10:00:00Z", 20, "2026-11-02T11:00:00.000Z", 24, &a, &b),
               "time: a pair with a short form goes the careful way", "");
}

/* gp_time_parse remembers the last date it parsed.  gheat parses times in
 * two threads (the record loop, and the publisher's tenure at a tick), so
 * that memory must be each thread's own: here two threads parse times of
 * two dates, one date each, every result checked against its known value.
 * With one memory shared, a thread finds its own date there and reads the
 * day number the other thread has just stored, or a date half written, and
 * gets the other thread's day. */
static const char *const race_times[2] = {"2026-11-02T13:00:00.000Z", "2027-01-01T13:00:00.000Z"};
static int64_t race_expected[2];

typedef struct race_thread {
    int which;
    long wrong;
} race_thread;

static void *parse_one_date(void *arg)
{
    race_thread *t = arg;
    for (long i = 0; i < 5000000; i++) {
        int64_t ms = 0;
        if (gp_time_parse(race_times[t->which], 24, &ms) != 0 || ms != race_expected[t->which]) t->wrong++;
    }
    return NULL;
}

static void test_time_parse_threads(void)
{
    for (int k = 0; k < 2; k++) gp_time_parse_careful(race_times[k], 24, &race_expected[k]);
    /* 2026-11-02T13:00Z = 1793577600000 + 13 h; 2027-01-01 is 60 days later */
    unit_check_long(race_expected[0], 1793577600000LL + 13 * 3600000LL, "time: threads: the first date");
    unit_check_long(race_expected[1] - race_expected[0], 60 * 86400000LL, "time: threads: the second date");
    race_thread t[2] = {{0, 0}, {1, 0}};
    pthread_t threads[2];
    for (int k = 0; k < 2; k++) pthread_create(&threads[k], NULL, parse_one_date, &t[k]);
    for (int k = 0; k < 2; k++) pthread_join(threads[k], NULL);
    char why[96];
    snprintf(why, sizeof why, "%ld and %ld of 5,000,000 wrong", t[0].wrong, t[1].wrong);
    unit_check(t[0].wrong == 0 && t[1].wrong == 0, "time: two threads parsing at once", why);
}

static void test_time_format(void)
{
    char out[GP_TIME_LEN + 1];
    gp_time_format(1793577600000LL + 13 * 3600000LL + 5, out);
    unit_check_str(out, "2026-11-02T13:00:00.005Z", "format: canonical");
    gp_time_format(0, out);
    unit_check_str(out, "1970-01-01T00:00:00.000Z", "format: epoch");
    gp_time_format(-1, out);
    unit_check_str(out, "1969-12-31T23:59:59.999Z", "format: before epoch");
    int64_t ms;
    gp_time_parse("2024-02-29T23:59:59.999Z", 24, &ms);
    gp_time_format(ms, out);
    unit_check_str(out, "2024-02-29T23:59:59.999Z", "format: round trip leap day");
}

static void test_durations(void)
{
    static const struct {
        const char *text;
        int64_t ms;
    } cases[] = {
        {"90m", 5400000}, {"1h30m", 5400000}, {"5400s", 5400000}, {"PT90M", 5400000},
        {"PT1H30M", 5400000}, {"5400", 5400000}, {"500ms", 500}, {"2d", 172800000},
        {"P1D", 86400000}, {"P1DT2H", 93600000}, {"1.5h", 5400000}, {"1w", 604800000},
        {"30d", 2592000000LL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t ms = -1;
        char name[64];
        snprintf(name, sizeof name, "duration: %s", cases[i].text);
        int rc = gp_duration_parse(cases[i].text, &ms);
        unit_check_long(rc == 0 ? ms : -1, cases[i].ms, name);
    }
    static const char *bad[] = {"", "m", "90x", "1h30", "P", "PT", "P1H", "1e3s", "-5m"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t ms;
        char name[64];
        snprintf(name, sizeof name, "duration: '%s' rejected", bad[i]);
        unit_check(gp_duration_parse(bad[i], &ms) != 0, name, "accepted");
    }
}

static void test_status_normalize(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"interacting", "INTERACTING"}, {"notResponding", "NOT_RESPONDING"},
        {"On Queue", "ON_QUEUE"},        {"ON_QUEUE", "ON_QUEUE"},
        {"off_queue", "OFF_QUEUE"},      {"offQueue", "OFF_QUEUE"},
        {"not-responding", "NOT_RESPONDING"}, {" idle ", "IDLE"},
        /* canonical names past 16 bytes are copied whole, not as the two
         * 8-byte words that cover a shorter one */
        {"ABCDEFGHIJKLMNOPQ", "ABCDEFGHIJKLMNOPQ"},
        {"ABCDEFGHIJKLMNOPQRSTU", "ABCDEFGHIJKLMNOPQRSTU"},
        {"ORGANIZATION_DEFINED_STATUS_X", "ORGANIZATION_DEFINED_STATUS_X"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64], name[64];
        gp_status_normalize(cases[i].in, strlen(cases[i].in), out);
        snprintf(name, sizeof name, "status: %s", cases[i].in);
        unit_check_str(out, cases[i].out, name);
    }
}

/* Over an alphabet with no lower case and no blanks the rule is plain:
 * runs of '_' become one, and '_' at either end goes.  Random names of
 * every length around the word-at-a-time fast paths (4 to 15 bytes), with
 * neighbours of 'A', 'Z' and '_' that it must not take for them. */
static void test_status_normalize_random(void)
{
    static const char alphabet[] = "AMZ_@[^`";
    unsigned seed = 12345;
    int bad = 0;
    char in[24], want[24], got[64], why[128] = "";
    for (int round = 0; round < 200000 && !bad; round++) {
        seed = seed * 1103515245u + 12345u;
        size_t n = 1 + (seed >> 16) % 20;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            in[i] = alphabet[(seed >> 16) % 8];
        }
        size_t w = 0;
        for (size_t i = 0; i < n; i++) {
            if (in[i] == '_' && (w == 0 || want[w - 1] == '_')) continue;
            want[w++] = in[i];
        }
        while (w > 0 && want[w - 1] == '_') w--;
        want[w] = '\0';
        gp_status_normalize(in, n, got);
        if (strcmp(got, want) != 0) {
            bad = 1;
            snprintf(why, sizeof why, "'%.*s' gave '%s', want '%s'", (int)n, in, got, want);
        }
    }
    unit_check(!bad, "status: random names over A-Z, _ and their neighbours", why);
}

/* Every accepted spelling maps to its field, through each of the three
 * ways gp_field_lookup_in reads a key (16 bytes from its start, 16 bytes up
 * to its end, or byte by byte), and near misses map to nothing. */
static void test_field_lookup(void)
{
    static const struct {
        const char *key;
        int id;
    } cases[] = {
        {"user_id", GP_F_USER_ID}, {"userId", GP_F_USER_ID}, {"userid", GP_F_USER_ID},
        {"routing_status", GP_F_ROUTING_STATUS}, {"routingStatus", GP_F_ROUTING_STATUS},
        {"presence", GP_F_PRESENCE}, {"systemPresence", GP_F_PRESENCE},
        {"start", GP_F_START}, {"startTime", GP_F_START}, {"event_time", GP_F_START},
        {"end", GP_F_END}, {"endTime", GP_F_END}, {"secs", GP_F_SECS}, {"org", GP_F_ORG},
        {"shift", GP_F_SHIFT},
        {"user_iD", GP_F_UNKNOWN}, {"userIds", GP_F_UNKNOWN}, {"sta", GP_F_UNKNOWN},
        {"ends", GP_F_UNKNOWN}, {"routing_statuS", GP_F_UNKNOWN}, {"Shift", GP_F_UNKNOWN},
        {"presenc", GP_F_UNKNOWN}, {"routing_status_", GP_F_UNKNOWN}, {"e", GP_F_UNKNOWN},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *key = cases[i].key;
        size_t n = strlen(key);
        char line[64], name[96];
        /* the key first, with 16 bytes after it */
        memset(line, 'x', sizeof line);
        memcpy(line, key, n);
        snprintf(name, sizeof name, "field lookup: %s, read from its start", key);
        unit_check_long(gp_field_lookup_in(line, n, line, line + sizeof line), cases[i].id, name);
        /* the key last, with 16 bytes before its end */
        memcpy(line + sizeof line - n, key, n);
        snprintf(name, sizeof name, "field lookup: %s, read up to its end", key);
        unit_check_long(gp_field_lookup_in(line + sizeof line - n, n, line, line + sizeof line),
                        cases[i].id, name);
        /* alone: neither fits */
        snprintf(name, sizeof name, "field lookup: %s, alone", key);
        unit_check_long(gp_field_lookup_in(key, n, key, key + n), cases[i].id, name);
        unit_check_long(gp_field_lookup(key, n), cases[i].id, name);
    }
}

static void test_number_formats(void)
{
    char out[32];
    gp_format_secs(300000, out);
    unit_check_str(out, "300", "secs: whole");
    gp_format_secs(300500, out);
    unit_check_str(out, "300.5", "secs: half");
    gp_format_secs(1, out);
    unit_check_str(out, "0.001", "secs: one ms");
    gp_format_secs(1230, out);
    unit_check_str(out, "1.23", "secs: trailing zero trimmed");
    gp_format_ratio(0.7368421052631579, out);
    unit_check_str(out, "0.7368421052631579", "ratio: every digit that reads back");
    gp_format_ratio(1.0, out);
    unit_check_str(out, "1", "ratio: one");
    gp_format_ratio(0.25, out);
    unit_check_str(out, "0.25", "ratio: quarter");
    int64_t ms;
    unit_check(gp_secs_parse("300.25", 6, &ms) == 0 && ms == 300250, "secs parse: fraction", "");
    unit_check(gp_secs_parse("abc", 3, &ms) != 0, "secs parse: rejects text", "");
}

static void test_civil(void)
{
    int64_t y;
    unsigned m, d;
    gp_civil_from_days(gp_days_from_civil(2026, 11, 2), &y, &m, &d);
    unit_check(y == 2026 && m == 11 && d == 2, "civil: round trip", "");
    unit_check_long(gp_days_from_civil(1970, 1, 1), 0, "civil: epoch");
    unit_check_long(gp_days_from_civil(2000, 3, 1), 11017, "civil: 2000-03-01");
}

static void test_time_zones(void)
{
    int64_t ms;
    /* 2026-03-08 is the US spring-forward day: 02:00 PST -> 03:00 PDT */
    gp_time_parse("2026-03-08T09:00:00Z", 20, &ms);
    unit_check_long(gp_tz_offset("America/Los_Angeles", ms), -8 * 3600000LL, "tz: PST before the change");
    gp_time_parse("2026-03-08T11:00:00Z", 20, &ms);
    unit_check_long(gp_tz_offset("America/Los_Angeles", ms), -7 * 3600000LL, "tz: PDT after the change");
    int64_t midnight = gp_tz_local_midnight("America/Los_Angeles", gp_days_from_civil(2026, 3, 8));
    gp_time_parse("2026-03-08T08:00:00Z", 20, &ms);
    unit_check_long(midnight, ms, "tz: local midnight on the DST day");
    unit_check(gp_tz_valid("Europe/London") && !gp_tz_valid("Mars/Olympus") && gp_tz_valid("UTC"),
               "tz: known and unknown zones", "");
}

/* Write TEXT to a temporary file and read its records. */
static gp_reader *reader_on(const char *text, char *path)
{
    strcpy(path, "/tmp/gpulse-unit-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) abort();
    close(fd);
    static char *files[2];
    files[0] = path;
    files[1] = NULL;
    return gp_reader_new(files, GP_FMT_AUTO);
}

static void test_json_records(void)
{
    char path[64];
    gp_reader *rd = reader_on(
        "{\"userId\":\"u\\u00e9\",\"routingStatus\":\"idle\",\"n\":{\"a\":[1,\"}\"]},\"startTime\":\"2026-11-02T12:00:00+02:00\"}\n"
        "\n"
        "{\"user_id\":\"x\",}\n"
        "[1]\n",
        path);
    gp_record *r;
    unit_check(gp_reader_next(rd, &r) == 1, "json: first record read", "");
    gp_str user = gp_rec_get(r, GP_F_USER_ID);
    unit_check(user.n == 3 && memcmp(user.p, "u\xc3\xa9", 3) == 0, "json: alias userId, \\u escape", "");
    int64_t start, want;
    gp_time_parse("2026-11-02T10:00:00Z", 20, &want);
    gp_error err;
    unit_check(gp_rec_time(r, GP_F_START, &start, &err) == 0 && start == want, "json: alias startTime", "");
    char status[64];
    size_t len;
    unit_check(gp_rec_status(r, GP_F_ROUTING_STATUS, status, &len, &err) == 0 && strcmp(status, "IDLE") == 0,
               "json: status normalised", status);
    unit_check(r->nfields == 4 && r->lineno == 1, "json: nested value skipped whole", "");
    unit_check(gp_reader_next(rd, &r) == -1 && r->lineno == 3, "json: trailing comma is malformed, blank line skipped", "");
    unit_check(gp_reader_next(rd, &r) == -1 && r->lineno == 4, "json: array line is malformed", "");
    unit_check(gp_reader_next(rd, &r) == 0, "json: end", "");
    gp_reader_free(rd);
    unlink(path);
}

static void test_csv_records(void)
{
    char path[64];
    gp_reader *rd = reader_on("user_id,note,start\r\n"
                              "a,\"x, \"\"y\"\"\r\nz\",2026-11-02T10:00:00Z\r\n"
                              "b,,2026-11-02T10:00:00Z\r\n"
                              "c,\"bad\"x,2026-11-02T10:00:00Z\r\n"
                              "d,only two\r\n"
                              "e,last,2026-11-02T10:00:00Z",
                              path);
    gp_record *r;
    unit_check(gp_reader_next(rd, &r) == 1 && gp_reader_format(rd) == GP_FMT_CSV, "csv: detected", "");
    gp_str note = gp_rec_value(r, 1);
    unit_check(note.n == 9 && memcmp(note.p, "x, \"y\"\r\nz", 9) == 0, "csv: quotes, comma, CRLF inside", "");
    unit_check(r->lineno == 2 && r->raw_len == strlen("a,\"x, \"\"y\"\"\r\nz\",2026-11-02T10:00:00Z\r\n"),
               "csv: raw bytes span two lines", "");
    unit_check(gp_reader_next(rd, &r) == 1 && r->fields[1].kind == GP_V_ABSENT, "csv: empty cell absent", "");
    unit_check(gp_reader_next(rd, &r) == -1 && r->lineno == 5, "csv: stray quote malformed", "");
    unit_check(gp_reader_next(rd, &r) == -1 && r->lineno == 6, "csv: short row malformed", "");
    unit_check(gp_reader_next(rd, &r) == 1 && gp_str_eqz(gp_rec_get(r, GP_F_USER_ID), "e"),
               "csv: last line without newline", "");
    unit_check(gp_reader_next(rd, &r) == 0, "csv: end", "");
    gp_reader_free(rd);
    unlink(path);
}

/* CSV rows of every length, with commas everywhere a 16-byte block can put
 * them, read back cell for cell; every fifth row has a quoted cell (a comma
 * and a doubled quote inside) so that the plain-row path and libcsv take
 * turns.  The expected cells are what was written. */
static void test_csv_random_rows(void)
{
    enum { ROWS = 3000, COLS = 6 };
    static char cells[ROWS][COLS][24];
    gp_buf text = {0};
    gp_buf_adds(&text, "c0,c1,c2,c3,c4,c5\n");
    unsigned seed = 777;
    for (int r = 0; r < ROWS; r++) {
        for (int c = 0; c < COLS; c++) {
            seed = seed * 1103515245u + 12345u;
            size_t n = (seed >> 16) % 14;
            for (size_t i = 0; i < n; i++) {
                seed = seed * 1103515245u + 12345u;
                cells[r][c][i] = "abcxyz019 -."[(seed >> 16) % 12];
            }
            cells[r][c][n] = '\0';
            if (c) gp_buf_addc(&text, ',');
            if (r % 5 == 0 && c == (r / 5) % COLS) {
                strcat(cells[r][c], ",\"q");
                gp_buf_addc(&text, '"');
                for (const char *ch = cells[r][c]; *ch; ch++) {
                    if (*ch == '"') gp_buf_addc(&text, '"'); /* doubled inside quotes */
                    gp_buf_addc(&text, *ch);
                }
                gp_buf_addc(&text, '"');
            } else {
                gp_buf_adds(&text, cells[r][c]);
            }
        }
        gp_buf_addc(&text, '\n');
    }
    char path[64];
    gp_reader *rd = reader_on(text.data, path);
    gp_record *rec;
    char why[160] = "";
    int r = 0;
    for (; r < ROWS && !*why; r++) {
        if (gp_reader_next(rd, &rec) != 1 || rec->nfields != COLS) {
            snprintf(why, sizeof why, "row %d: not read as %d cells", r + 1, COLS);
            break;
        }
        for (int c = 0; c < COLS && !*why; c++) {
            gp_str v = gp_rec_value(rec, c);
            if (v.n != strlen(cells[r][c]) || (v.n && memcmp(v.p, cells[r][c], v.n) != 0))
                snprintf(why, sizeof why, "row %d cell %d: got '%.*s', want '%s'", r + 1, c,
                         (int)v.n, v.p ? v.p : "", cells[r][c]);
        }
    }
    if (!*why && gp_reader_next(rd, &rec) != 0) snprintf(why, sizeof why, "rows after the last");
    unit_check(!*why, "csv: random rows, plain and quoted, cell for cell", why);
    gp_reader_free(rd);
    unlink(path);
    gp_buf_free(&text);
}

int main(void)
{
    gp_init("unit-common");
    test_time_parse();
    test_time_parse_fast_and_careful();
    test_time_parse_pair();
    test_time_parse_threads();
    test_time_format();
    test_durations();
    test_status_normalize();
    test_status_normalize_random();
    test_field_lookup();
    test_number_formats();
    test_civil();
    test_time_zones();
    test_json_records();
    test_csv_records();
    test_csv_random_rows();
    return unit_exit();
}
