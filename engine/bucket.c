/* bucket.c - the bucket rules and their explanations (see bucket.h). */
#include "bucket.h"

#include "occupancy.h"
#include "quantile.h"

#include <math.h>
#include <string.h>

const char *gp_bucket_name(int bucket)
{
    static const char *const names[GP_B_COUNT] = {
        [GP_B_GOOD] = "good",
        [GP_B_AVERAGE] = "average",
        [GP_B_POOR] = "poor",
        [GP_B_INSUFFICIENT] = "insufficient_sample",
        [GP_B_RAMP_UP] = "ramp_up",
        [GP_B_SMALL_COHORT] = "small_cohort",
    };
    return bucket >= 0 && bucket < GP_B_COUNT ? names[bucket] : "?";
}

void gp_cuts_compute(double *occ, double *nrt, size_t n, double low, double high, gp_cuts *out)
{
    gp_sort_doubles(occ, n);
    gp_sort_doubles(nrt, n);
    out->low = low;
    out->high = high;
    out->occ_low = gp_quantile_sorted(occ, n, low);
    out->occ_high = gp_quantile_sorted(occ, n, high);
    out->nrt_low = gp_quantile_sorted(nrt, n, low);
    out->nrt_high = gp_quantile_sorted(nrt, n, high);
}

int gp_bucket_classify(double occupancy, double nrt_rate, const gp_cuts *c)
{
    if (occupancy < c->occ_low || nrt_rate > c->nrt_high) return GP_B_POOR;
    if (occupancy > c->occ_high && nrt_rate < c->nrt_low) return GP_B_GOOD;
    return GP_B_AVERAGE;
}

void gp_ordinal(double percentile, char *out)
{
    double whole = nearbyint(percentile);
    if (fabs(percentile - whole) > 1e-9) {
        snprintf(out, 32, "%gth", percentile);
        return;
    }
    long n = (long)whole;
    const char *suffix = "th";
    if (n % 100 < 11 || n % 100 > 13) {
        if (n % 10 == 1) suffix = "st";
        else if (n % 10 == 2) suffix = "nd";
        else if (n % 10 == 3) suffix = "rd";
    }
    snprintf(out, 32, "%ld%s", n, suffix);
}

static void cohort_name(gp_buf *out, const char *cohort)
{
    if (*cohort) gp_buf_adds(out, cohort);
    else gp_buf_adds(out, "the agents without a cohort");
}

/* Decimals needed to show percentages A and B apart (1 to 4): "60.0%"
 * below "60.0%" would read as a mistake, "59.9999%" below "60.0000%" not. */
static int decimals(double a, double b)
{
    if (a == b) return 1;
    for (int d = 1; d < 4; d++) {
        char x[32], y[32];
        snprintf(x, sizeof x, "%.*f", d, a * 100);
        snprintf(y, sizeof y, "%.*f", d, b * 100);
        if (strcmp(x, y) != 0) return d;
    }
    return 4;
}

/* "occupancy 41.2% is below the 25th percentile (51.7%)" and the like. */
static void compare(gp_buf *out, const char *what, double value, const char *relation,
                    const char *ordinal, double cut)
{
    int d = decimals(value, cut);
    gp_buf_printf(out, "%s %.*f%% %s the %s percentile (%.*f%%)", what, d, value * 100, relation,
                  ordinal, d, cut * 100);
}

void gp_reason_bucket(gp_buf *out, int bucket, double occupancy, double nrt_rate,
                      const gp_cuts *c, const char *cohort, long pool)
{
    char low[32], high[32];
    gp_ordinal(c->low, low);
    gp_ordinal(c->high, high);
    bool occ_below = occupancy < c->occ_low, nrt_above = nrt_rate > c->nrt_high;
    if (bucket == GP_B_POOR) {
        if (occ_below) compare(out, "occupancy", occupancy, "is below", low, c->occ_low);
        if (occ_below && nrt_above) gp_buf_adds(out, " and ");
        if (nrt_above) compare(out, "NRT rate", nrt_rate, "is above", high, c->nrt_high);
        gp_buf_adds(out, " of ");
    } else if (bucket == GP_B_GOOD) {
        compare(out, "occupancy", occupancy, "is above", high, c->occ_high);
        gp_buf_adds(out, " and ");
        compare(out, "NRT rate", nrt_rate, "is below", low, c->nrt_low);
        gp_buf_adds(out, " of ");
    } else if (occupancy > c->occ_high) {
        compare(out, "occupancy", occupancy, "is above", high, c->occ_high);
        gp_buf_adds(out, " but ");
        compare(out, "NRT rate", nrt_rate, "is not below", low, c->nrt_low);
        gp_buf_adds(out, " of ");
    } else {
        int d = decimals(occupancy, occupancy == c->occ_low ? c->occ_high : c->occ_low);
        gp_buf_printf(out, "occupancy %.*f%% is between the %s (%.*f%%) and %s (%.*f%%) percentiles, ",
                      d, occupancy * 100, low, d, c->occ_low * 100, high, d, c->occ_high * 100);
        compare(out, "NRT rate", nrt_rate, "is not above", high, c->nrt_high);
        gp_buf_adds(out, ", in ");
    }
    cohort_name(out, cohort);
    gp_buf_printf(out, ", pool %ld", pool);
}

void gp_reason_insufficient(gp_buf *out, int64_t on_queue_ms, bool no_work, double min_hours)
{
    double hours = (double)on_queue_ms / 3600000.0;
    if (no_work && hours >= min_hours)
        gp_buf_printf(out, "no interacting or idle time in %.1f h on queue", hours);
    else
        gp_buf_printf(out, "%.1f h on queue, under the %g h minimum", hours, min_hours);
}

void gp_reason_ramp_up(gp_buf *out, int64_t returned_on_days, int64_t until_days)
{
    char from[16], until[16];
    gp_day_label(returned_on_days, from);
    gp_day_label(until_days, until);
    gp_buf_printf(out, "back from leave or training on %s: ramp-up until %s", from, until);
}

void gp_reason_small_cohort(gp_buf *out, const char *cohort, long pool, long min_pool)
{
    if (*cohort) gp_buf_printf(out, "cohort %s has %ld agent%s in the pool, under the minimum of %ld",
                               cohort, pool, pool == 1 ? "" : "s", min_pool);
    else gp_buf_printf(out, "agents without a cohort: %ld in the pool, under the minimum of %ld", pool,
                       min_pool);
}
