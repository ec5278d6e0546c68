/* bucket.h - the write-up's bucket rules (gpulse(7), SEMANTICS), one agent at a
 * time: labels, thresholds from a pool, and the sentences that explain
 * them.  engine/pools.c applies them to whole pools for gbucket. */
#ifndef GPULSE_BUCKET_H
#define GPULSE_BUCKET_H

#include "gpulse.h"

/* Labels, in the order of precedence of the ones that are not buckets. */
enum gp_bucket {
    GP_B_GOOD = 0,
    GP_B_AVERAGE,
    GP_B_POOR,
    GP_B_INSUFFICIENT, /* insufficient_sample */
    GP_B_RAMP_UP,
    GP_B_SMALL_COHORT,
    GP_B_COUNT
};

/* "good", "average", "poor", "insufficient_sample", "ramp_up", "small_cohort". */
const char *gp_bucket_name(int bucket);

/* The four cuts applied to a pool, and the percentiles they came from. */
typedef struct gp_cuts {
    double low, high; /* percentiles, 0..100 */
    double occ_low, occ_high, nrt_low, nrt_high;
} gp_cuts;

/* Cuts from a pool's values; OCC and NRT (N >= 1 each) are sorted in place. */
void gp_cuts_compute(double *occ, double *nrt, size_t n, double low, double high, gp_cuts *out);

/* The write-up's comparisons, all strict:
 *   poor = occupancy < occ_low OR nrt_rate > nrt_high
 *   good = occupancy > occ_high AND nrt_rate < nrt_low
 *   average = everyone else in the pool. */
int gp_bucket_classify(double occupancy, double nrt_rate, const gp_cuts *c);

/* Sentences a supervisor can read aloud; each appends to OUT.
 * COHORT "" is called "the agents without a cohort". */
void gp_reason_bucket(gp_buf *out, int bucket, double occupancy, double nrt_rate,
                      const gp_cuts *c, const char *cohort, long pool);
void gp_reason_insufficient(gp_buf *out, int64_t on_queue_ms, bool no_work, double min_hours);
void gp_reason_ramp_up(gp_buf *out, int64_t returned_on_days, int64_t until_days);
void gp_reason_small_cohort(gp_buf *out, const char *cohort, long pool, long min_pool);

/* "25th", "1st", "12.5th". OUT needs 32 bytes. */
void gp_ordinal(double percentile, char *out);

#endif
