/* live.h - glive's engine: where every agent and the floor stand today,
 * from a stream of point events, segments and gfetch stream's control
 * records (gpulse(7), LIVE RECORDS).
 *
 * Per (org, user) it keeps the current routing status and presence, the
 * current shift (gshift's rule: a new shift starts at activity that begins
 * more than the gap after the previous activity's end) and the component
 * sums of the current local day (goccupy --by day's rule: a shift counts
 * on the local date of its start).  Time after the last activity is held
 * aside until the next activity decides whether it belongs to the shift.
 * A tick evaluates each agent as if its open states ended at the tick's
 * time, without changing the state, so the last tick of a replayed day
 * equals gshift --until T | goccupy --by day.  Memory grows with agents,
 * never with events. */
#ifndef GPULSE_LIVE_H
#define GPULSE_LIVE_H

#include "gpulse.h"
#include "roster.h"

typedef struct gp_live_config {
    int64_t gap;                  /* ms: gshift's --gap */
    const char *const *activity;  /* routing statuses that are activity; NULL-terminated */
    const char *tz;               /* zone of agents without a roster tz; NULL = UTC */
    const gp_roster *roster;      /* NULL = none */
    int64_t stale;                /* ms without any record after which an org is stale */
    int64_t tolerance;            /* ms: how far back an event is still put in its place */
    bool full;                    /* every agent in every tick, not only the changed ones */
} gp_live_config;

typedef struct gp_live gp_live;

gp_live *gp_live_new(const gp_live_config *config);
void gp_live_free(gp_live *lv);

/* Take one record.  NOW is the time the record counts as received for
 * staleness: its own time in a replay, the clock's when live.  Returns 0;
 * -1 for a record that cannot be used (what is wrong in ERR). */
int gp_live_add(gp_live *lv, gp_record *r, int64_t now, gp_error *err);

/* The time a record stands at: a control record's `at`, an event's
 * `start`.  0 = set; -1 = none or bad (what is wrong in ERR). */
int gp_live_record_time(gp_record *r, int64_t *at, gp_error *err);
/* True while ORG is between resync_start and resync_end: its records are
 * a baseline that goes back to local midnight, not a step back in time. */
bool gp_live_resyncing(const gp_live *lv, gp_record *r);

/* One tick at time AT: the agent records (changed ones, or all with
 * --full) then the tick record, to OUT. */
void gp_live_tick(gp_live *lv, int64_t at, gp_out *out);
/* The same tick as a terminal view (ANSI), ROWS lines tall. */
void gp_live_term(gp_live *lv, int64_t at, gp_out *out, int rows, int cols);

typedef struct gp_live_stats {
    long records, events, controls, duplicates, late, agents, ticks;
} gp_live_stats;
const gp_live_stats *gp_live_stats_get(const gp_live *lv);

#endif
