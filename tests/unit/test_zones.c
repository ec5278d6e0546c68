/* test_zones.c - a local day starts at the first instant of its date,
 * also where local midnight does not exist (gpulse(7), SEMANTICS). */
#include "gpulse.h"
#include "unit.h"

static void check_midnight(const char *zone, int y, unsigned m, unsigned d, const char *want)
{
    char got[GP_TIME_LEN + 1], name[128];
    gp_time_format(gp_tz_local_midnight(zone, gp_days_from_civil(y, m, d)), got);
    snprintf(name, sizeof name, "local day start: %s %04d-%02u-%02u", zone, y, m, d);
    unit_check_str(got, want, name);
}

int main(void)
{
    gp_init("unit-zones");
    /* 00:00 skipped: the day begins at the jump to 01:00 */
    check_midnight("America/Santiago", 2026, 9, 6, "2026-09-06T04:00:00.000Z");
    check_midnight("America/Havana", 2026, 3, 8, "2026-03-08T05:00:00.000Z");
    check_midnight("Asia/Beirut", 2026, 3, 29, "2026-03-28T22:00:00.000Z");
    /* the days around them end where the next begins */
    check_midnight("America/Santiago", 2026, 9, 5, "2026-09-05T04:00:00.000Z");
    check_midnight("America/Santiago", 2026, 9, 7, "2026-09-07T03:00:00.000Z");
    check_midnight("America/Havana", 2026, 3, 9, "2026-03-09T04:00:00.000Z");
    /* 23:00 repeated (Santiago 2026-04-05 falls back from 00:00 to 23:00):
     * the date begins at the second 00:00... which is its only one */
    check_midnight("America/Santiago", 2026, 4, 5, "2026-04-05T04:00:00.000Z");
    check_midnight("America/Santiago", 2026, 4, 4, "2026-04-04T03:00:00.000Z");
    /* ordinary days, both sides of UTC, half-hour zones */
    check_midnight("Asia/Tehran", 2026, 11, 2, "2026-11-01T20:30:00.000Z");
    check_midnight("America/Los_Angeles", 2026, 11, 1, "2026-11-01T07:00:00.000Z");
    check_midnight("UTC", 2026, 11, 2, "2026-11-02T00:00:00.000Z");
    /* every day of 2026 in a few zones: the start's local date is the day,
     * and one second before it is the day before */
    const char *zones[] = {"America/Santiago", "America/Havana", "Asia/Beirut", "Asia/Tehran",
                           "Europe/London", "Australia/Lord_Howe", "Pacific/Chatham", NULL};
    char why[160] = "";
    for (int z = 0; zones[z] && !*why; z++) {
        for (int64_t day = gp_days_from_civil(2026, 1, 1); day < gp_days_from_civil(2027, 1, 1); day++) {
            int64_t t = gp_tz_local_midnight(zones[z], day);
            int64_t local = t + gp_tz_offset(zones[z], t), prev = t - 1000 + gp_tz_offset(zones[z], t - 1000);
            bool starts = local >= day * 86400000LL && local < (day + 1) * 86400000LL;
            bool before = prev < day * 86400000LL;
            if (!starts || !before) {
                char at[GP_TIME_LEN + 1];
                gp_time_format(t, at);
                snprintf(why, sizeof why, "%s day %lld starts at %s", zones[z], (long long)day, at);
                break;
            }
        }
    }
    unit_check(!*why, "local day start: every day of 2026 in seven zones", why);
    return unit_exit();
}
