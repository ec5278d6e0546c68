/* Unit tests of goccupy's helpers: ratios with empty denominators, local
 * dates across a DST change, ISO week labels at year ends. */
#include "occupancy.h"
#include "unit.h"

static int64_t at(const char *rfc3339)
{
    int64_t ms = 0;
    gp_time_parse(rfc3339, strlen(rfc3339), &ms);
    return ms;
}

static void test_ratio(void)
{
    double v;
    unit_check(!gp_ratio(0, 0, &v), "ratio 0/0 is undefined", "defined");
    unit_check(gp_ratio(3, 4, &v) && v == 0.75, "ratio 3/4 is 0.75", "wrong");
    unit_check(gp_ratio(0, 5, &v) && v == 0, "ratio 0/5 is 0", "wrong");
}

static void test_labels(void)
{
    char label[16];
    gp_day_label(gp_days_from_civil(2026, 11, 2), label);
    unit_check_str(label, "2026-11-02", "day label");
    gp_week_label(gp_days_from_civil(2026, 11, 2), label);
    unit_check_str(label, "2026-W45", "week label of Monday 2026-11-02");
    gp_week_label(gp_days_from_civil(2026, 11, 8), label);
    unit_check_str(label, "2026-W45", "week label of Sunday 2026-11-08");
    gp_week_label(gp_days_from_civil(2026, 11, 1), label);
    unit_check_str(label, "2026-W44", "week label of Sunday 2026-11-01");
    /* 2026 starts on a Thursday: it has 53 ISO weeks, and 2027-01-01 (a
     * Friday) is in 2026-W53 */
    gp_week_label(gp_days_from_civil(2027, 1, 1), label);
    unit_check_str(label, "2026-W53", "week label of 2027-01-01");
    /* Monday 2024-12-30 opens 2025-W01 */
    gp_week_label(gp_days_from_civil(2024, 12, 30), label);
    unit_check_str(label, "2025-W01", "week label of 2024-12-30");
    unit_check_long(gp_week_monday(gp_days_from_civil(2026, 11, 8)), gp_days_from_civil(2026, 11, 2),
                    "Monday of Sunday 2026-11-08");
}

static void test_local_days(void)
{
    const char *la = "America/Los_Angeles";
    /* DST ends in Los Angeles on Sunday 2026-11-01 at 02:00 PDT */
    unit_check_long(gp_local_day(la, at("2026-11-01T06:59:59Z")), gp_days_from_civil(2026, 10, 31),
                    "LA 2026-11-01T06:59:59Z is still Oct 31 (PDT, -7)");
    unit_check_long(gp_local_day(la, at("2026-11-01T07:00:00Z")), gp_days_from_civil(2026, 11, 1),
                    "LA 2026-11-01T07:00Z is Nov 1 00:00 PDT");
    unit_check_long(gp_local_day(la, at("2026-11-02T07:59:59Z")), gp_days_from_civil(2026, 11, 1),
                    "LA 2026-11-02T07:59:59Z is Nov 1 23:59:59 PST");
    unit_check_long(gp_local_day(la, at("2026-11-02T08:00:00Z")), gp_days_from_civil(2026, 11, 2),
                    "LA 2026-11-02T08:00Z is Nov 2 00:00 PST");
    unit_check_long(gp_local_day("UTC", at("2026-11-02T00:00:00Z")), gp_days_from_civil(2026, 11, 2),
                    "UTC midnight");
    unit_check_long(gp_period_kind_parse("week"), GP_BY_WEEK, "--by week");
    unit_check_long(gp_period_kind_parse("month"), -1, "--by month is refused");
}

int main(void)
{
    test_ratio();
    test_labels();
    test_local_days();
    return unit_exit();
}
