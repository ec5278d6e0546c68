/* Unit tests for libgpulse: times, durations, statuses, number formats,
 * record scanning.  Expected values are worked out by hand in comments. */
#include "gpulse.h"
#include "unit.h"

#include <stdlib.h>
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
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64], name[64];
        gp_status_normalize(cases[i].in, strlen(cases[i].in), out);
        snprintf(name, sizeof name, "status: %s", cases[i].in);
        unit_check_str(out, cases[i].out, name);
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
    unit_check_str(out, "0.736842", "ratio: six decimals");
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
    unit_check(gp_rec_time(r, GP_F_START, &start) == 0 && start == want, "json: alias startTime", "");
    char status[64];
    size_t len;
    unit_check(gp_rec_status(r, GP_F_ROUTING_STATUS, status, &len) == 0 && strcmp(status, "IDLE") == 0,
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

int main(void)
{
    gp_init("unit-common");
    test_time_parse();
    test_time_format();
    test_durations();
    test_status_normalize();
    test_number_formats();
    test_civil();
    test_time_zones();
    test_json_records();
    test_csv_records();
    return unit_exit();
}
