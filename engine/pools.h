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
/* The columns of a CSV input's header, so the output keeps their order
 * (and has them even when no row follows). */
void gp_pools_columns(gp_pools *p, const gp_str *names, int n);
/* Take one occupancy row.  0; -1 with a message in ERR for a bad row; -2
 * when the input cannot be bucketed at all (rows of goccupy --by shift). */
int gp_pools_add(gp_pools *p, gp_record *r, gp_error *err);
/* Read saved cuts (--thresholds FILE, as written by --thresholds-out);
 * they replace the cuts computed from the pools. */
void gp_pools_load_thresholds(gp_pools *p, const char *path);
/* Label every row: exclusions, pools, cuts, buckets, reasons.  A cohort
 * and period whose whole pool is excluded gets a warning on stderr. */
void gp_pools_run(gp_pools *p);
/* Some row read so far has a day or ISO week period (goccupy --by day or
 * week), whose ramp-up dates depend on the agent's time zone. */
bool gp_pools_has_calendar_periods(const gp_pools *p);
/* Per (cohort, period) on stderr: agents, pool, and the count per label. */
void gp_pools_stats(const gp_pools *p);
/* The rows with (the roster's name when the rows have none,) cohort,
 * bucket, reason, pool and the four cuts added; ratios rounded to DIGITS
 * decimals (-1: whole).  The CSV header comes even with no row. */
void gp_pools_write(gp_pools *p, gp_out *out, int format, int digits);
/* One CSV row per (cohort, period): cohort,period,pool,low,high,occ_low,
 * occ_high,nrt_low,nrt_high,note (cuts empty, and the note saying why,
 * for a pool too small to cut).  Cuts are always written whole. */
void gp_pools_write_thresholds(gp_pools *p, gp_out *out);
/* --sweep SPEC ("10:40:5,60:90:5"): for each (low, high), the count per
 * label and how many rows change bucket against the current cuts.
 * Returns -1 with a message in ERR when SPEC is malformed. */
int gp_pools_sweep_check(const char *spec, gp_error *err);
void gp_pools_sweep(gp_pools *p, const char *spec, gp_out *out, int format);
void gp_pools_free(gp_pools *p);

#endif
