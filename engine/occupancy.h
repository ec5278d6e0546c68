/* occupancy.h - time per component per (org, user, period), and the two
 * ratios derived from it (gpulse(7), OCCUPANCY ROWS): what goccupy computes.
 *
 *   on_queue  = interacting + idle + not_responding + communicating
 *   occupancy = interacting / (interacting + idle)
 *   nrt_rate  = not_responding / (interacting + idle + not_responding)
 *
 * Components are summed in integer milliseconds and ratios divided last,
 * so rollups (shift -> day -> week -> window) add components, never
 * average ratios.  Memory grows with users x periods, never with records. */
#ifndef GPULSE_OCCUPANCY_H
#define GPULSE_OCCUPANCY_H

#include "gpulse.h"
#include "roster.h"
#include "segment.h"

enum gp_period_kind { GP_BY_WINDOW = 0, GP_BY_SHIFT, GP_BY_DAY, GP_BY_WEEK };

/* "window", "shift", "day", "week" -> kind; -1 for anything else. */
int gp_period_kind_parse(const char *name);

typedef struct gp_occupancy_config {
    int by;                   /* gp_period_kind */
    const char *tz;           /* zone for agents without a roster tz; NULL = UTC */
    const gp_roster *roster;  /* NULL = none */
    int64_t from, to;         /* --from / --to, GP_TIME_NONE when not given */
} gp_occupancy_config;

typedef struct gp_occupancy_stats {
    long records;        /* segments offered */
    long counted;        /* segments whose time was added */
    long point_events;   /* point events left open at the end: count nothing */
    long between_shifts; /* left out by --by shift/day/week (empty shift) */
    long outside_window; /* wholly outside --from/--to */
    long users, rows;
} gp_occupancy_stats;

typedef struct gp_occupancy gp_occupancy;

gp_occupancy *gp_occupancy_new(const gp_occupancy_config *config);
/* What gp_occupancy_add made of a segment. */
enum gp_occupancy_verdict {
    GP_OCC_ADDED = 0,      /* counted, held, or outside the window */
    GP_OCC_BAD_RECORD,     /* this record is bad (negative secs): reject it */
    GP_OCC_UNUSABLE_INPUT, /* the input cannot be used at all (--by shift on a
                            * record without gshift's field; an event before
                            * the user's open point event): stop */
};

/* Add one segment.  A point event (no end, no secs) is held until the
 * same user's next event on the same timeline, whose start ends it; the
 * last one stays open and counts nothing.  Unless GP_OCC_ADDED, the
 * message is in ERR. */
int gp_occupancy_add(gp_occupancy *o, const gp_segment *s, gp_error *err);
/* Write one row per (org, user_id, period) in that order, through a
 * table in FORMAT (GP_FMT_JSON or GP_FMT_CSV). */
void gp_occupancy_write(gp_occupancy *o, gp_out *out, int format);
const gp_occupancy_stats *gp_occupancy_stats_get(const gp_occupancy *o);
void gp_occupancy_free(gp_occupancy *o);

/* The standard status columns every occupancy row has (gpulse(7)), in
 * their order: the five routing statuses (interacting, idle,
 * not_responding, communicating, off_queue), then the ten standard
 * presences in alphabetical order.  glive writes the same columns from the
 * same table. */
enum { GP_OCC_STANDARD_COLUMNS = 15 };
/* Index of STATUS (normalised) on TIMELINE among the standard columns, or
 * -1 for a status outside the contract's lists. */
int gp_occupancy_standard_index(int timeline, const char *status, size_t len);
/* Column name of standard column INDEX: "interacting_secs",
 * "presence_on_queue_secs" (OUT: 64 bytes). */
void gp_occupancy_standard_column(int index, char *out, size_t size);
/* The three derived columns at COL, COL+1, COL+2 of the current row:
 * on_queue_secs, occupancy, nrt_rate (null when the denominator is 0). */
void gp_occupancy_put_totals(gp_table *t, int col, int64_t interacting, int64_t idle,
                             int64_t not_responding, int64_t communicating);

/* NUM / DEN as a double; false (undefined: null / empty cell) when DEN is 0. */
bool gp_ratio(int64_t num, int64_t den, double *out);

/* Labels of local dates: "2026-11-02" and the ISO week "2026-W45" of the
 * day DAYS (days since 1970-01-01).  OUT needs 16 bytes. */
void gp_day_label(int64_t days, char *out);
void gp_week_label(int64_t days, char *out);
/* The Monday (days since 1970-01-01) of the ISO week holding DAYS. */
int64_t gp_week_monday(int64_t days);
/* The local date (days since 1970-01-01) of instant MS in ZONE. */
int64_t gp_local_day(const char *zone, int64_t ms);

#endif
