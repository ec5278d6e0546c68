/* pools.h - gbucket's engine: occupancy rows in, pools per (cohort,
 * period), labels and buckets out (gpulse(7), BUCKET ROWS and SEMANTICS).
 *
 * Every row is held until the end (a pool needs all its agents), with its
 * own fields so it can be written back with the bucket columns added:
 * memory grows with agents x periods, not with segments. */
#ifndef GPULSE_POOLS_H
#define GPULSE_POOLS_H

#include "bucket.h"
#include "gpulse.h"
#include "roster.h"

typedef struct gp_pools_config {
    double low, high;    /* --low / --high percentiles */
    double min_hours;    /* --min-hours */
    long ramp_days;      /* --ramp-days */
    long min_pool;       /* --min-pool */
    const char *tz;      /* --tz: agents without a roster tz; NULL = UTC */
    const gp_roster *roster;
    const char *cohort_fields; /* --cohort: comma-separated, default "role" */
} gp_pools_config;

typedef struct gp_pools gp_pools;

gp_pools *gp_pools_new(const gp_pools_config *config);
/* Take one occupancy row.  0, or -1 with a message in ERR. */
int gp_pools_add(gp_pools *p, gp_record *r, gp_error *err);
/* Read saved cuts (--thresholds FILE, as written by --thresholds-out);
 * they replace the cuts computed from the pools. */
void gp_pools_load_thresholds(gp_pools *p, const char *path);
/* Label every row: exclusions, pools, cuts, buckets, reasons. */
void gp_pools_run(gp_pools *p);
/* The rows with cohort, bucket, reason, pool and the four cuts added. */
void gp_pools_write(gp_pools *p, gp_out *out, int format);
/* One CSV row per (cohort, period): cohort,period,pool,low,high,occ_low,
 * occ_high,nrt_low,nrt_high (cuts empty for a pool too small to cut). */
void gp_pools_write_thresholds(gp_pools *p, gp_out *out);
/* --sweep SPEC ("10:40:5,60:90:5"): for each (low, high), the count per
 * label and how many rows change bucket against the current cuts.
 * Returns -1 with a message in ERR when SPEC is malformed. */
int gp_pools_sweep_check(const char *spec, gp_error *err);
void gp_pools_sweep(gp_pools *p, const char *spec, gp_out *out, int format);
void gp_pools_free(gp_pools *p);

#endif
