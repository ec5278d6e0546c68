/* occupancy.h - time per component per (org, user, period), and the two
 * ratios derived from it (gpulse(7), OCCUPANCY ROWS): what goccupy computes.
 *
 *   on_queue  = interacting + idle + not_responding + communicating
 *   occupancy = interacting / (interacting + idle)
 *   nrt_rate  = not_responding / (interacting + idle + not_responding)
 *
 * Components are summed in integer milliseconds and ratios divided last,
 * so rollups (shift -> day -> week -> window) add components, never
 * average ratios.  Memory grows with users x periods, never with records;
 * on input in (org, user_id) order, with one user (finished users wait in
 * a temporary file until the rows are written). */
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
 * table in FORMAT (GP_FMT_JSON or GP_FMT_CSV), ratios rounded to DIGITS
 * decimals (-1: whole, the default).  A CSV header is written even when
 * no row follows. */
void gp_occupancy_write(gp_occupancy *o, gp_out *out, int format, int digits);
const gp_occupancy_stats *gp_occupancy_stats_get(const gp_occupancy *o);
void gp_occupancy_free(gp_occupancy *o);

/* ------------------------------------------------------------------ */
/* The columns of an occupancy row, the one place that fixes them
 * (gpulse(7), OCCUPANCY ROW).  glive's agent records use them too.
 *
 *   user_id, org (when the input has orgs), period, start, end, shifts,
 *   off_queue_secs, idle_secs, interacting_secs, not_responding_secs,
 *   communicating_secs, presence_available_secs, presence_away_secs,
 *   presence_break_secs, presence_busy_secs, presence_idle_secs,
 *   presence_meal_secs, presence_meeting_secs, presence_offline_secs,
 *   presence_on_queue_secs, presence_training_secs,
 *   then other statuses seen: routing ones, then presences, each in byte
 *   order of the name,
 *   on_queue_secs, occupancy, nrt_rate, coverage_start, coverage_end. */

typedef struct gp_status_ref {
    int timeline;     /* GP_TL_ROUTING or GP_TL_PRESENCE */
    const char *name; /* SCREAMING_SNAKE_CASE */
} gp_status_ref;

/* The five routing statuses and the ten presences, in column order. */
enum { GP_STANDARD_STATUSES = 15 };
/* Indexes of the routing statuses in gp_standard_statuses (and among the
 * standard columns): the sums the totals are derived from. */
enum {
    GP_OCC_OFF_QUEUE = 0,
    GP_OCC_IDLE,
    GP_OCC_INTERACTING,
    GP_OCC_NOT_RESPONDING,
    GP_OCC_COMMUNICATING,
};
extern const gp_status_ref gp_standard_statuses[GP_STANDARD_STATUSES];

typedef struct gp_occupancy_columns {
    char **names;
    int count;
    int org; /* -1 without */
    int period, start, end, shifts;
    int status, nstatus; /* the status columns: standard ones, then extras */
    int on_queue, occupancy, nrt_rate, coverage_start, coverage_end;
} gp_occupancy_columns;

/* The columns, with EXTRA (NEXTRA, already in their order) after the
 * standard statuses. */
void gp_occupancy_columns_init(gp_occupancy_columns *c, bool with_org, const gp_status_ref *extra,
                               int nextra);
void gp_occupancy_columns_free(gp_occupancy_columns *c);

/* For glive, on the same table: the standard status columns, in the order
 * above (the five routing statuses, then the ten presences). */
enum { GP_OCC_STANDARD_COLUMNS = GP_STANDARD_STATUSES };
/* Index of STATUS (normalised) on TIMELINE among the standard columns, or
 * -1 for a status outside the contract's lists. */
int gp_occupancy_standard_index(int timeline, const char *status, size_t len);
/* Column name of standard column INDEX: "interacting_secs",
 * "presence_on_queue_secs" (OUT: 64 bytes). */
void gp_occupancy_standard_column(int index, char *out, size_t size);
/* The derived columns at COL, COL+1, ... of the current row from the
 * routing sums in ms (SUMS indexed by GP_OCC_IDLE ...): on_queue_secs,
 * occupancy, nrt_rate (null when the denominator is 0), then, when
 * COVERAGE_START <= COVERAGE_END, coverage_start and coverage_end. */
void gp_occupancy_put_totals(gp_table *t, int col, const int64_t *sums, int64_t coverage_start,
                             int64_t coverage_end);

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
