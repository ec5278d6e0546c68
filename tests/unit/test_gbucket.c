/* Unit tests of gbucket's rules: type 7 quantiles, the strict bucket
 * comparisons, ordinals and role sets.  Expected values are computed by
 * hand in the comments. */
#include "bucket.h"
#include "quantile.h"
#include "roster.h"
#include "unit.h"

#include <stdlib.h>

static void test_quantiles(void)
{
    /* odd pool 1..5: h = 4p/100 */
    double odd[] = {5, 3, 1, 4, 2};
    gp_sort_doubles(odd, 5);
    unit_check_double(gp_quantile_sorted(odd, 5, 25), 2, 0, "quantile odd p25: h=1 -> x1=2");
    unit_check_double(gp_quantile_sorted(odd, 5, 50), 3, 0, "quantile odd p50: h=2 -> 3");
    unit_check_double(gp_quantile_sorted(odd, 5, 75), 4, 0, "quantile odd p75: h=3 -> 4");
    unit_check_double(gp_quantile_sorted(odd, 5, 10), 1.4, 1e-12, "quantile odd p10: h=0.4 -> 1+0.4*1");
    unit_check_double(gp_quantile_sorted(odd, 5, 90), 4.6, 1e-12, "quantile odd p90: h=3.6 -> 4+0.6*1");

    /* even pool 10,20,30,40: h = 3p/100 */
    double even[] = {40, 10, 30, 20};
    gp_sort_doubles(even, 4);
    unit_check_double(gp_quantile_sorted(even, 4, 25), 17.5, 1e-12, "quantile even p25: h=0.75 -> 10+0.75*10");
    unit_check_double(gp_quantile_sorted(even, 4, 50), 25, 1e-12, "quantile even p50: h=1.5 -> 20+0.5*10");
    unit_check_double(gp_quantile_sorted(even, 4, 75), 32.5, 1e-12, "quantile even p75: h=2.25 -> 30+0.25*10");

    /* ties: 0.5 0.5 0.5 0.9 */
    double ties[] = {0.5, 0.9, 0.5, 0.5};
    gp_sort_doubles(ties, 4);
    unit_check_double(gp_quantile_sorted(ties, 4, 25), 0.5, 0, "quantile ties p25: between two 0.5s");
    unit_check_double(gp_quantile_sorted(ties, 4, 75), 0.6, 1e-12, "quantile ties p75: h=2.25 -> 0.5+0.25*0.4");

    /* a pool of one: every percentile is the value */
    double one[] = {0.7};
    unit_check_double(gp_quantile_sorted(one, 1, 0), 0.7, 0, "quantile pool of one p0");
    unit_check_double(gp_quantile_sorted(one, 1, 25), 0.7, 0, "quantile pool of one p25");
    unit_check_double(gp_quantile_sorted(one, 1, 100), 0.7, 0, "quantile pool of one p100");

    /* cuts of 0 and 100: minimum and maximum */
    unit_check_double(gp_quantile_sorted(even, 4, 0), 10, 0, "quantile p0 is the minimum");
    unit_check_double(gp_quantile_sorted(even, 4, 100), 40, 0, "quantile p100 is the maximum");

    /* 31 values 0..30, p10: h = 30*10/100 = 3 exactly, so x3 = 3 and not
     * 3 + a rounding error's share of x4 (30 * 0.1 = 3.0000000000000004) */
    double ranks[31];
    for (int i = 0; i < 31; i++) ranks[i] = i;
    unit_check(gp_quantile_sorted(ranks, 31, 10) == 3.0, "quantile p10 of 31 lands exactly on rank 3",
               "not exactly 3");
    unit_check(gp_quantile_sorted(ranks, 31, 70) == 21.0, "quantile p70 of 31 lands exactly on rank 21",
               "not exactly 21");
}

static void test_cuts(void)
{
    double occ[] = {0.9, 0.25, 0.75, 0.5};
    double nrt[] = {0.04, 0.01, 0.02, 0.03};
    gp_cuts c;
    gp_cuts_compute(occ, nrt, 4, 25, 75, &c);
    /* occ sorted .25 .5 .75 .9: p25 h=.75 -> .25+.75*.25 = .4375; p75 h=2.25 -> .75+.25*.15 = .7875 */
    unit_check_double(c.occ_low, 0.4375, 1e-12, "cuts occ_low");
    unit_check_double(c.occ_high, 0.7875, 1e-12, "cuts occ_high");
    /* nrt sorted .01 .02 .03 .04: p25 -> .0175, p75 -> .0325 */
    unit_check_double(c.nrt_low, 0.0175, 1e-12, "cuts nrt_low");
    unit_check_double(c.nrt_high, 0.0325, 1e-12, "cuts nrt_high");
}

static void test_rules(void)
{
    gp_cuts c = {.low = 25, .high = 75, .occ_low = 0.5, .occ_high = 0.8, .nrt_low = 0.02, .nrt_high = 0.05};
    unit_check_str(gp_bucket_name(gp_bucket_classify(0.5, 0.03, &c)), "average",
                   "rule occupancy == occ_low is not below: average");
    unit_check_str(gp_bucket_name(gp_bucket_classify(0.4999, 0.03, &c)), "poor",
                   "rule occupancy just under occ_low: poor");
    unit_check_str(gp_bucket_name(gp_bucket_classify(0.6, 0.05, &c)), "average",
                   "rule nrt == nrt_high is not above: average");
    unit_check_str(gp_bucket_name(gp_bucket_classify(0.6, 0.0501, &c)), "poor",
                   "rule nrt just over nrt_high: poor");
    unit_check_str(gp_bucket_name(gp_bucket_classify(0.8, 0.01, &c)), "average",
                   "rule occupancy == occ_high is not above: average");
    unit_check_str(gp_bucket_name(gp_bucket_classify(0.81, 0.01, &c)), "good",
                   "rule occupancy over occ_high and nrt under nrt_low: good");
    unit_check_str(gp_bucket_name(gp_bucket_classify(0.81, 0.02, &c)), "average",
                   "rule nrt == nrt_low is not below: average");
    unit_check_str(gp_bucket_name(gp_bucket_classify(0.9, 0.06, &c)), "poor",
                   "rule high occupancy with nrt over nrt_high: poor wins");
    unit_check_str(gp_bucket_name(gp_bucket_classify(0.3, 0.0, &c)), "poor",
                   "rule low occupancy with no NRT: poor (OR)");
}

static void test_reasons(void)
{
    gp_cuts c = {.low = 25, .high = 75, .occ_low = 0.517, .occ_high = 0.8, .nrt_low = 0.01, .nrt_high = 0.05};
    gp_buf b = {0};
    gp_reason_bucket(&b, GP_B_POOR, 0.412, 0.02, &c, "tier1-voice", 37);
    unit_check_str(gp_buf_cstr(&b),
                   "occupancy 41.2% is below the 25th percentile (51.7%) of tier1-voice, pool 37",
                   "reason poor by occupancy");
    b.len = 0;
    gp_reason_bucket(&b, GP_B_POOR, 0.6, 0.071, &c, "tier1-voice", 37);
    unit_check_str(gp_buf_cstr(&b),
                   "NRT rate 7.1% is above the 75th percentile (5.0%) of tier1-voice, pool 37",
                   "reason poor by NRT rate");
    b.len = 0;
    gp_reason_insufficient(&b, 45000000, false, 40);
    unit_check_str(gp_buf_cstr(&b), "12.5 h on queue, under the 40 h minimum", "reason insufficient hours");
    b.len = 0;
    gp_reason_insufficient(&b, 50 * 3600000LL, true, 40);
    unit_check_str(gp_buf_cstr(&b), "no interacting or idle time in 50.0 h on queue",
                   "reason insufficient, no work");
    b.len = 0;
    gp_reason_ramp_up(&b, gp_days_from_civil(2026, 11, 9), gp_days_from_civil(2026, 11, 23));
    unit_check_str(gp_buf_cstr(&b), "back from leave or training on 2026-11-09: ramp-up until 2026-11-23",
                   "reason ramp-up");
    b.len = 0;
    gp_reason_small_cohort(&b, "tier2-email", 3, 4);
    unit_check_str(gp_buf_cstr(&b), "cohort tier2-email has 3 agents in the pool, under the minimum of 4",
                   "reason small cohort");
    gp_buf_free(&b);
}

static void test_ordinals(void)
{
    static const struct {
        double p;
        const char *want;
    } cases[] = {{1, "1st"},   {2, "2nd"},   {3, "3rd"},   {4, "4th"},     {11, "11th"},
                 {12, "12th"}, {13, "13th"}, {21, "21st"}, {22, "22nd"},   {25, "25th"},
                 {75, "75th"}, {0, "0th"},   {100, "100th"}, {12.5, "12.5th"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[32], name[64];
        gp_ordinal(cases[i].p, got);
        snprintf(name, sizeof name, "ordinal %s", cases[i].want);
        unit_check_str(got, cases[i].want, name);
    }
}

static void test_roles(void)
{
    static const struct {
        const char *a, *b, *want;
    } cases[] = {
        {"tier2-email+tier1-voice", "", "tier1-voice+tier2-email"},
        {"tier1-voice", "tier1-voice", "tier1-voice"},
        {"tier2-email", "tier1-voice", "tier1-voice+tier2-email"},
        {" a + b ", "b+c", "a+b+c"},
        {"", "", ""},
        {"++x++", NULL, "x"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = gp_roles_merge(cases[i].a, cases[i].b);
        char name[96];
        snprintf(name, sizeof name, "roles merge '%s' '%s'", cases[i].a, cases[i].b ? cases[i].b : "(null)");
        unit_check_str(got, cases[i].want, name);
        free(got);
    }
}

int main(void)
{
    test_quantiles();
    test_cuts();
    test_rules();
    test_reasons();
    test_ordinals();
    test_roles();
    return unit_exit();
}
