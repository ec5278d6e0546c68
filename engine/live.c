/* live.c - glive's engine (see live.h).
 *
 * The rules are gshift's and goccupy's, applied as the events arrive:
 *   - an event ends the open point event of its timeline (routing or
 *     presence), whose time [since, start) is then placed;
 *   - activity (routing INTERACTING, IDLE, or --activity) extends the
 *     current shift's span when it starts at most the gap after the span's
 *     end, else it ends the shift and starts a new one; an activity point
 *     event marks its start at once, as gshift's open events do;
 *   - time inside a span counts for that shift; time after the current
 *     span's end waits in `pending` until activity extends the span over
 *     it, or a new shift starts (then what lies before the new span is
 *     between shifts and dropped);
 *   - a shift counts on the local date of its start; the day's finished
 *     shifts are summed in `day`, with their spans kept so that time that
 *     closes later (a long presence) still lands in them.
 * A tick evaluates an agent on copies of its sums, as if its open events
 * ended at the tick, so nothing is counted twice. */
#include "live.h"

#include "band.h"
#include "occupancy.h"
#include "segment.h"
#include "userindex.h"

#include <stdlib.h>
#include <string.h>

enum { NCOL = GP_OCC_STANDARD_COLUMNS, MAX_STATUSES = 256, STATUS_SLOTS = 512, RECENT = 4 };
enum { COL_INTERACTING = GP_OCC_INTERACTING, COL_IDLE = GP_OCC_IDLE, COL_NOT_RESPONDING = GP_OCC_NOT_RESPONDING };
enum { ORG_LIVE = 0, ORG_STALE, ORG_DISCONNECTED };

typedef struct status_entry {
    char name[64];
    size_t len;
    int timeline;
    int column;    /* standard column, or -1: counted in no column */
    bool activity; /* routing status in the activity set */
} status_entry;

typedef struct interval {
    int64_t start, end;
    int column;
} interval;

typedef struct span {
    int64_t start, end;
} span;

/* One timeline (routing or presence) of one agent. */
typedef struct line_state {
    bool open;           /* a point event whose end is not known yet */
    bool known;          /* a status was seen */
    uint8_t status;      /* the current status (index in the status table) */
    int64_t since;       /* its start */
    int64_t last_start;  /* the latest start applied, GP_TIME_NONE at first */
    int64_t recent_start[RECENT]; /* the last events' keys: duplicates */
    uint8_t recent_status[RECENT];
    int nrecent, next_recent;
} line_state;

/* What an agent's events make of it: everything a late event may force
 * glive to compute again (a copy is held as the state before the events of
 * the last --tolerance). */
typedef struct agent_state {
    line_state tl[2];
    /* the current shift */
    bool have_span;
    int64_t span_start, span_end, span_label;
    int shift_number;
    int64_t cur[NCOL];
    /* finished shifts of local day day_key */
    int64_t day_key;
    long day_shifts;
    int64_t day[NCOL];
    span *day_spans;
    int nday_spans, day_spans_cap;
    /* time after the current span's end, not decided yet */
    interval *pending;
    int npending, pending_cap;
} agent_state;

/* An event as glive keeps it while it may still have to be applied again. */
typedef struct held_event {
    int64_t start, end;
    uint8_t status, timeline;
} held_event;

/* The agent's events of the last --tolerance, in (start, arrival) order,
 * and the state before the first of them: an event that arrives out of
 * order but no earlier than HORIZON is put in its place and the state is
 * computed again from BEFORE.  Freed once the agent's events are all older
 * than the tolerance, so memory follows the agents that are busy now. */
typedef struct held {
    agent_state *before; /* NULL: the state before any event (not copied:
                          * at the start of a replay every agent is there) */
    int64_t horizon;     /* the latest start applied in BEFORE */
    held_event *events;
    int n, cap;
} held;

typedef struct agent {
    char *org, *id;
    size_t org_n, id_n;
    int org_index;
    const gp_roster_agent *roster;
    const char *tz;
    int64_t day_lo, day_hi, day_cached; /* local day of the last lookup, as a UTC range */
    agent_state s;
    int64_t newest; /* the latest start applied, GP_TIME_NONE at first */
    held *held;     /* NULL when no event is recent enough to be re-placed */
    size_t holder;  /* its index in gp_live.holders while held */
    /* output */
    char *head; /* the record's opening, escaped (put_head); NULL until written */
    size_t head_n;
    uint64_t written_hash;
    bool written;
    long late;
} agent;

typedef struct org {
    char *name;
    size_t len;
    int64_t last_record;     /* GP_TIME_NONE before any */
    int64_t disconnected_at; /* GP_TIME_NONE unless disconnected */
    bool disconnected;
    char reason[128];
    bool resyncing;
    long resyncs;
    int64_t newest; /* the latest event start: what --tolerance counts back from */
} org;

/* A baseline event, held between resync_start and resync_end. */
typedef struct baseline_event {
    agent *a;
    int64_t start, end;
    long seq;
    uint8_t status;
    uint8_t timeline;
} baseline_event;

typedef struct queue_value {
    char *org, *queue, *metric, *qualifier;
    double count;
} queue_value;

/* What an agent looks like at a tick. */
typedef struct figures {
    int64_t period;
    int64_t sums[NCOL];
    long shifts;
    bool shift_in_period;
    int64_t shift_sums[NCOL];
    int64_t coverage_start, coverage_end; /* goccupy's: the spans counted in the period */
    bool stale;
    double occupancy;
    bool occupancy_defined;
    gp_band band;
} figures;

/* The agent record's columns: the lead, the NCOL standard status columns
 * (gp_occupancy_standard_column), then the tail. */
static const char *const lead_columns[] = {"type", "user_id", "org", "period", "start", "end", "shifts"};
static const char *const tail_columns[] = {
    "on_queue_secs", "occupancy", "nrt_rate", "coverage_start", "coverage_end", "name", "cohort",
    "tenure_days", "routing_status", "routing_since", "presence", "presence_since", "since", "band", "stale",
    "shift", "shift_start", "shift_occupancy", "shift_nrt_rate", "late",
};
enum {
    T_ON_QUEUE, T_OCCUPANCY, T_NRT, T_COVERAGE_START, T_COVERAGE_END, T_NAME, T_COHORT, T_TENURE,
    T_ROUTING, T_ROUTING_SINCE, T_PRESENCE, T_PRESENCE_SINCE, T_SINCE, T_BAND, T_STALE, T_SHIFT,
    T_SHIFT_START, T_SHIFT_OCC, T_SHIFT_NRT, T_LATE,
    T_COUNT
};
enum { NLEAD = 7 };

struct gp_live {
    gp_live_config cfg;
    status_entry statuses[MAX_STATUSES];
    int nstatuses;
    short status_slots[STATUS_SLOTS]; /* index + 1 into statuses, 0 = free */
    agent **agents;
    size_t nagents, cap;
    gp_user_index index; /* of agents */
    agent **sorted; /* by (org, user_id), rebuilt when agents were added */
    size_t nsorted;
    org *orgs;
    int norgs;
    baseline_event *baseline;
    size_t nbaseline, baseline_cap;
    queue_value *queues;
    size_t nqueues, queues_cap;
    gp_buf keys; /* the agent record's keys, escaped: see build_keys */
    size_t key_end[NLEAD + NCOL + T_COUNT];
    char label[16]; /* the last period's label (gp_day_label) */
    int64_t label_period;
    bool label_known;
    int roster_name, roster_role;
    long seq;
    long baseline_seq;
    gp_live_stats stats;
    figures scratch;
    /* agents with held events, and how many there were after the last
     * look for those whose events all passed the tolerance */
    agent **holders;
    size_t nholders, holders_cap, holders_swept;
    held **free_helds; /* released, to be used again */
    size_t nfree_helds, free_helds_cap;
    agent_state spare; /* an agent's state, kept aside while another is computed */
};

/* ------------------------------------------------------------------ */
/* Statuses, orgs, agents                                                */

/* The status table's index of NAME on TIMELINE, found through a small
 * hash table (every event looks its status up); added when new. */
static int status_index(gp_live *lv, int timeline, const char *name, size_t len)
{
    size_t slot = (size_t)gp_hash(name, len, (uint64_t)timeline) & (STATUS_SLOTS - 1);
    for (; lv->status_slots[slot]; slot = (slot + 1) & (STATUS_SLOTS - 1)) {
        int i = lv->status_slots[slot] - 1;
        const status_entry *e = &lv->statuses[i];
        if (e->timeline == timeline && e->len == len && memcmp(e->name, name, len) == 0) return i;
    }
    if (lv->nstatuses == MAX_STATUSES || len >= sizeof lv->statuses[0].name) return -1;
    lv->status_slots[slot] = (short)(lv->nstatuses + 1);
    status_entry *e = &lv->statuses[lv->nstatuses];
    e->len = len < sizeof e->name ? len : sizeof e->name - 1;
    memcpy(e->name, name, e->len);
    e->name[e->len] = '\0';
    e->timeline = timeline;
    e->column = gp_occupancy_standard_index(timeline, e->name, e->len);
    e->activity = false;
    if (timeline == GP_TL_ROUTING)
        for (const char *const *a = lv->cfg.activity; *a; a++)
            if (strcmp(*a, e->name) == 0) e->activity = true;
    return lv->nstatuses++;
}

static int find_org(gp_live *lv, gp_str name)
{
    for (int i = 0; i < lv->norgs; i++)
        if (lv->orgs[i].len == name.n && (name.n == 0 || memcmp(lv->orgs[i].name, name.p, name.n) == 0))
            return i;
    lv->orgs = gp_xrealloc(lv->orgs, (size_t)(lv->norgs + 1) * sizeof *lv->orgs);
    org *o = &lv->orgs[lv->norgs];
    memset(o, 0, sizeof *o);
    o->name = gp_xstrndup(name.p ? name.p : "", name.n);
    o->len = name.n;
    o->last_record = GP_TIME_NONE;
    o->disconnected_at = GP_TIME_NONE;
    o->newest = GP_TIME_NONE;
    return lv->norgs++;
}

static bool agent_is(const void *agents, size_t number, gp_str org_name, gp_str id)
{
    const agent *a = ((agent *const *)agents)[number];
    return a->id_n == id.n && a->org_n == org_name.n && memcmp(a->id, id.p, id.n) == 0 &&
           (org_name.n == 0 || memcmp(a->org, org_name.p, org_name.n) == 0);
}

static void reset_agent_state(agent *a)
{
    for (int t = 0; t < 2; t++) {
        memset(&a->s.tl[t], 0, sizeof a->s.tl[t]);
        a->s.tl[t].last_start = GP_TIME_NONE;
    }
    a->s.have_span = false;
    a->s.span_start = a->s.span_end = a->s.span_label = 0;
    memset(a->s.cur, 0, sizeof a->s.cur);
    a->s.day_key = GP_TIME_NONE;
    a->s.day_shifts = 0;
    memset(a->s.day, 0, sizeof a->s.day);
    a->s.nday_spans = 0;
    a->s.npending = 0;
}

static agent *find_agent(gp_live *lv, gp_str org_name, gp_str id)
{
    uint64_t h = gp_user_hash(org_name, id);
    long found = gp_user_index_find(&lv->index, h, agent_is, lv->agents, org_name, id);
    if (found >= 0) return lv->agents[found];
    if (lv->nagents == lv->cap) {
        lv->cap = lv->cap ? lv->cap * 2 : 256;
        lv->agents = gp_xrealloc(lv->agents, lv->cap * sizeof *lv->agents);
    }
    agent *a = gp_xcalloc(1, sizeof *a);
    a->org = gp_xstrndup(org_name.p ? org_name.p : "", org_name.n);
    a->id = gp_xstrndup(id.p, id.n);
    a->org_n = org_name.n;
    a->id_n = id.n;
    a->org_index = find_org(lv, org_name);
    a->roster = gp_roster_find(lv->cfg.roster, org_name, id);
    a->tz = a->roster && *a->roster->tz ? a->roster->tz : lv->cfg.tz;
    a->newest = GP_TIME_NONE;
    reset_agent_state(a);
    lv->agents[lv->nagents] = a;
    gp_user_index_add(&lv->index, h, lv->nagents++);
    lv->stats.agents = (long)lv->nagents;
    return a;
}

/* The local date of instant T in the agent's zone (cached per day). */
static int64_t local_day(agent *a, int64_t t)
{
    if (a->day_hi > a->day_lo && t >= a->day_lo && t < a->day_hi) return a->day_cached;
    int64_t day = gp_local_day(a->tz, t);
    int64_t lo = gp_tz_local_midnight(a->tz, day), hi = gp_tz_local_midnight(a->tz, day + 1);
    if (t >= lo && t < hi) {
        a->day_lo = lo;
        a->day_hi = hi;
        a->day_cached = day;
    }
    return day;
}

/* ------------------------------------------------------------------ */
/* Placing time: the shift rule                                          */

static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

static int64_t overlap(int64_t s, int64_t e, int64_t lo, int64_t hi)
{
    int64_t a = max64(s, lo), b = min64(e, hi);
    return b > a ? b - a : 0;
}

static void push_pending(agent *a, int column, int64_t s, int64_t e)
{
    if (a->s.npending == a->s.pending_cap) {
        a->s.pending_cap = a->s.pending_cap ? a->s.pending_cap * 2 : 4;
        a->s.pending = gp_xrealloc(a->s.pending, (size_t)a->s.pending_cap * sizeof *a->s.pending);
    }
    a->s.pending[a->s.npending++] = (interval){s, e, column};
}

/* Where [s, e) of COLUMN belongs, given spans: the day's finished spans
 * (into DAY), the current span [span_start, span_end) (into CUR), after it
 * (pending, when PENDING_OK), elsewhere between shifts. */
static void place_into(agent *a, int column, int64_t s, int64_t e, int64_t span_end, int64_t *day,
                       int64_t *cur, bool pending_ok)
{
    if (e <= s) return;
    for (int i = 0; i < a->s.nday_spans; i++)
        if (column >= 0) day[column] += overlap(s, e, a->s.day_spans[i].start, a->s.day_spans[i].end);
    if (a->s.have_span && column >= 0) cur[column] += overlap(s, e, a->s.span_start, span_end);
    int64_t after = a->s.have_span ? span_end : INT64_MIN;
    if (pending_ok && e > after) push_pending(a, column, max64(s, after), e);
}

/* The current span now ends at NEW_END: pending time before it joins. */
static void absorb_pending(agent *a)
{
    int kept = 0;
    for (int i = 0; i < a->s.npending; i++) {
        interval p = a->s.pending[i];
        if (p.end <= a->s.span_start) continue; /* before the span: between shifts */
        if (p.column >= 0) a->s.cur[p.column] += overlap(p.start, p.end, a->s.span_start, a->s.span_end);
        if (p.end > a->s.span_end) {
            p.start = max64(p.start, a->s.span_end);
            a->s.pending[kept++] = p;
        }
    }
    a->s.npending = kept;
}

static void finish_span(agent *a)
{
    if (!a->s.have_span) return;
    if (a->s.day_key == GP_TIME_NONE || a->s.span_label > a->s.day_key) {
        a->s.day_key = a->s.span_label;
        a->s.day_shifts = 0;
        memset(a->s.day, 0, sizeof a->s.day);
        a->s.nday_spans = 0;
    }
    if (a->s.span_label == a->s.day_key) {
        for (int i = 0; i < NCOL; i++) a->s.day[i] += a->s.cur[i];
        a->s.day_shifts++;
        if (a->s.nday_spans == a->s.day_spans_cap) {
            a->s.day_spans_cap = a->s.day_spans_cap ? a->s.day_spans_cap * 2 : 4;
            a->s.day_spans = gp_xrealloc(a->s.day_spans, (size_t)a->s.day_spans_cap * sizeof *a->s.day_spans);
        }
        a->s.day_spans[a->s.nday_spans++] = (span){a->s.span_start, a->s.span_end};
    }
    a->s.have_span = false;
}

/* Activity [s, e), fed in start order (gshift's feed_activity). */
static void feed_activity(gp_live *lv, agent *a, int64_t s, int64_t e)
{
    if (a->s.have_span && s - a->s.span_end <= lv->cfg.gap) {
        if (e > a->s.span_end) {
            a->s.span_end = e;
            absorb_pending(a);
        }
        return;
    }
    finish_span(a);
    a->s.have_span = true;
    a->s.span_start = s;
    a->s.span_end = e;
    a->s.span_label = local_day(a, s);
    a->s.shift_number++;
    memset(a->s.cur, 0, sizeof a->s.cur);
    absorb_pending(a);
}

static void place_time(gp_live *lv, agent *a, int status, int64_t s, int64_t e)
{
    const status_entry *st = &lv->statuses[status];
    if (st->activity) feed_activity(lv, a, s, e);
    place_into(a, st->column, s, e, a->s.span_end, a->s.day, a->s.cur, true);
}

/* Pending time that no future activity can reach any more: it ends before
 * the latest routing start, and the span (if any) is past the gap. */
static void prune_pending(gp_live *lv, agent *a)
{
    int64_t now = a->s.tl[GP_TL_ROUTING].last_start;
    if (now == GP_TIME_NONE || a->s.npending == 0) return;
    if (a->s.have_span && now - a->s.span_end <= lv->cfg.gap) return;
    int kept = 0;
    for (int i = 0; i < a->s.npending; i++)
        if (a->s.pending[i].end > now) a->s.pending[kept++] = a->s.pending[i];
    a->s.npending = kept;
}

/* ------------------------------------------------------------------ */
/* Events                                                                */

static bool seen_recently(const line_state *t, int64_t start, int status)
{
    for (int i = 0; i < t->nrecent; i++)
        if (t->recent_start[i] == start && t->recent_status[i] == status) return true;
    return false;
}

static void remember(line_state *t, int64_t start, int status)
{
    t->recent_start[t->next_recent] = start;
    t->recent_status[t->next_recent] = (uint8_t)status;
    t->next_recent = (t->next_recent + 1) % RECENT;
    if (t->nrecent < RECENT) t->nrecent++;
}

/* Apply one event to agent A: 0 applied, 1 duplicate, 2 late (not applied). */
static int apply_event(gp_live *lv, agent *a, int tl, int status, int64_t start, int64_t end)
{
    line_state *t = &a->s.tl[tl];
    if (seen_recently(t, start, status)) return 1;
    if (t->last_start != GP_TIME_NONE && start < t->last_start) return 2;
    remember(t, start, status);
    if (t->open) {
        t->open = false;
        place_time(lv, a, t->status, t->since, start);
    }
    t->known = true;
    t->status = (uint8_t)status;
    t->since = start;
    t->last_start = start;
    if (end != GP_TIME_NONE) {
        place_time(lv, a, status, start, end);
    } else {
        t->open = true;
        if (lv->statuses[status].activity) feed_activity(lv, a, start, start);
    }
    if (tl == GP_TL_ROUTING) prune_pending(lv, a);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Late events: held events are re-placed                                */

/* DST = SRC, arrays copied into DST's own (grown as needed). */
static void copy_state(agent_state *dst, const agent_state *src)
{
    span *spans = dst->day_spans;
    interval *pending = dst->pending;
    int spans_cap = dst->day_spans_cap, pending_cap = dst->pending_cap;
    if (src->nday_spans > spans_cap) {
        spans_cap = src->nday_spans;
        spans = gp_xrealloc(spans, (size_t)spans_cap * sizeof *spans);
    }
    if (src->npending > pending_cap) {
        pending_cap = src->npending;
        pending = gp_xrealloc(pending, (size_t)pending_cap * sizeof *pending);
    }
    *dst = *src;
    if (src->nday_spans) memcpy(spans, src->day_spans, (size_t)src->nday_spans * sizeof *spans);
    if (src->npending) memcpy(pending, src->pending, (size_t)src->npending * sizeof *pending);
    dst->day_spans = spans;
    dst->day_spans_cap = spans_cap;
    dst->pending = pending;
    dst->pending_cap = pending_cap;
}

static void free_state(agent_state *s)
{
    free(s->day_spans);
    free(s->pending);
}

static void start_holding(gp_live *lv, agent *a)
{
    /* released ones are used again, arrays and all: an agent whose events
     * are further apart than the tolerance takes one at every event */
    held *h = lv->nfree_helds ? lv->free_helds[--lv->nfree_helds] : gp_xcalloc(1, sizeof *h);
    if (a->newest == GP_TIME_NONE) {
        if (h->before) free_state(h->before);
        free(h->before);
        h->before = NULL;
    } else {
        if (!h->before) h->before = gp_xcalloc(1, sizeof *h->before);
        copy_state(h->before, &a->s);
    }
    h->horizon = a->newest;
    a->held = h;
    if (lv->nholders == lv->holders_cap) {
        lv->holders_cap = lv->holders_cap ? lv->holders_cap * 2 : 256;
        lv->holders = gp_xrealloc(lv->holders, lv->holders_cap * sizeof *lv->holders);
    }
    a->holder = lv->nholders;
    lv->holders[lv->nholders++] = a;
}

static void free_held(held *h)
{
    if (h->before) free_state(h->before);
    free(h->before);
    free(h->events);
    free(h);
}

static void release_held(gp_live *lv, agent *a)
{
    held *h = a->held;
    h->n = 0;
    if (lv->nfree_helds == lv->free_helds_cap) {
        lv->free_helds_cap = lv->free_helds_cap ? lv->free_helds_cap * 2 : 256;
        lv->free_helds = gp_xrealloc(lv->free_helds, lv->free_helds_cap * sizeof *lv->free_helds);
    }
    lv->free_helds[lv->nfree_helds++] = h;
    a->held = NULL;
    agent *last = lv->holders[--lv->nholders];
    lv->holders[a->holder] = last;
    last->holder = a->holder;
}

/* Put E at index AT of the held events. */
static void hold_event(held *h, int at, held_event e)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 4;
        h->events = gp_xrealloc(h->events, (size_t)h->cap * sizeof *h->events);
    }
    memmove(h->events + at + 1, h->events + at, (size_t)(h->n - at) * sizeof *h->events);
    h->events[at] = e;
    h->n++;
}

/* A's state as it was before the held events. */
static void back_to_before(agent *a, const held *h)
{
    if (h->before) {
        copy_state(&a->s, h->before);
    } else {
        reset_agent_state(a);
        a->s.shift_number = 0;
    }
}

static void apply_held(gp_live *lv, agent *a, const held_event *e)
{
    apply_event(lv, a, e->timeline, e->status, e->start, e->end);
}

/* Held events that started before CUT are past the tolerance: they join
 * the state before the held ones (all of them: nothing is held any more). */
static void fold_held(gp_live *lv, agent *a, int64_t cut)
{
    held *h = a->held;
    int k = 0;
    while (k < h->n && h->events[k].start < cut) k++;
    if (k == 0) return;
    if (k == h->n) {
        release_held(lv, a);
        return;
    }
    copy_state(&lv->spare, &a->s);
    back_to_before(a, h);
    for (int i = 0; i < k; i++) apply_held(lv, a, &h->events[i]);
    if (!h->before) h->before = gp_xcalloc(1, sizeof *h->before);
    copy_state(h->before, &a->s);
    copy_state(&a->s, &lv->spare);
    h->horizon = h->events[k - 1].start;
    memmove(h->events, h->events + k, (size_t)(h->n - k) * sizeof *h->events);
    h->n -= k;
}

/* Fold what is past the tolerance, seen from the newest event of A's org;
 * only once the oldest held event is two tolerances old, so that an event
 * is applied again at most once on the way. */
static void age_held(gp_live *lv, agent *a)
{
    int64_t newest = lv->orgs[a->org_index].newest, tolerance = lv->cfg.tolerance;
    if (a->held && a->held->n && a->held->events[0].start < newest - 2 * tolerance)
        fold_held(lv, a, newest - tolerance);
}

/* Every agent whose held events are old: run when the holders doubled
 * since the last time (and at ticks), so agents that went quiet do not
 * keep their copies. */
static void sweep_holders(gp_live *lv)
{
    for (size_t i = lv->nholders; i-- > 0;) age_held(lv, lv->holders[i]);
    lv->holders_swept = lv->nholders;
    /* keep as many spare ones as are in use, no more */
    size_t keep = lv->nholders > 1024 ? lv->nholders : 1024;
    while (lv->nfree_helds > keep) free_held(lv->free_helds[--lv->nfree_helds]);
}

static bool is_held(const held *h, int tl, int status, int64_t start)
{
    for (int i = 0; h && i < h->n; i++)
        if (h->events[i].start == start && h->events[i].timeline == tl && h->events[i].status == status)
            return true;
    return false;
}

/* One event of agent A, in whatever order it comes: 0 applied, 1
 * duplicate, 2 late (before what is held: not applied).  An event in
 * order is applied at once (and held while it is within the tolerance);
 * one that goes back in time is put among the held events in its place,
 * and the state is computed again from the one before them. */
static int take_event(gp_live *lv, agent *a, int tl, int status, int64_t start, int64_t end)
{
    held_event e = {start, end, (uint8_t)status, (uint8_t)tl};
    if (a->newest == GP_TIME_NONE || start >= a->newest) {
        if (seen_recently(&a->s.tl[tl], start, status)) return 1;
        if (lv->cfg.tolerance > 0) {
            age_held(lv, a);
            if (!a->held) start_holding(lv, a);
            hold_event(a->held, a->held->n, e);
            if (lv->nholders > 2 * lv->holders_swept + 1024) sweep_holders(lv);
        }
        a->newest = start;
        return apply_event(lv, a, tl, status, start, end);
    }
    if (seen_recently(&a->s.tl[tl], start, status) || is_held(a->held, tl, status, start)) return 1;
    held *h = a->held;
    if (!h || start < h->horizon) return 2;
    int at = h->n;
    while (at > 0 && h->events[at - 1].start > start) at--;
    hold_event(h, at, e);
    back_to_before(a, h);
    for (int i = 0; i < h->n; i++) apply_held(lv, a, &h->events[i]);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Records                                                               */

static gp_str field(gp_record *r, const char *name)
{
    return gp_rec_value(r, gp_rec_find(r, name));
}

static gp_str field_any(gp_record *r, const char *const *names)
{
    for (; *names; names++) {
        int i = gp_rec_find(r, *names);
        if (i >= 0) return gp_rec_value(r, i);
    }
    return (gp_str){NULL, 0};
}

static int control_time(gp_record *r, int64_t *at, gp_error *err)
{
    int i = gp_rec_find(r, "at");
    gp_str v = gp_rec_value(r, i);
    if (i < 0 || v.n == 0) return gp_error_set(err, "field at: missing");
    if (gp_time_parse(v.p, v.n, at) != 0)
        return gp_error_set(err, "field at: not an RFC 3339 time '%.*s'", (int)(v.n > 40 ? 40 : v.n), v.p);
    return 0;
}

int gp_live_record_time(gp_record *r, int64_t *at, gp_error *err)
{
    if (gp_rec_find(r, "type") >= 0) return control_time(r, at, err);
    int got = gp_rec_time(r, GP_F_START, at, err);
    if (got > 0) return gp_error_set(err, "field start: missing");
    return got;
}

bool gp_live_resyncing(const gp_live *lv, gp_record *r)
{
    gp_str name = gp_rec_get(r, GP_F_ORG);
    for (int i = 0; i < lv->norgs; i++)
        if (lv->orgs[i].len == name.n && (name.n == 0 || memcmp(lv->orgs[i].name, name.p, name.n) == 0))
            return lv->orgs[i].resyncing;
    return false;
}

static int compare_baseline(const void *x, const void *y)
{
    const baseline_event *a = x, *b = y;
    if (a->a != b->a) return a->a < b->a ? -1 : 1;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

/* resync_end: the baseline replaces the day of every user it holds. */
static void apply_baseline(gp_live *lv, int org_index)
{
    size_t n = 0;
    for (size_t i = 0; i < lv->nbaseline; i++)
        if (lv->baseline[i].a->org_index == org_index) lv->baseline[n++] = lv->baseline[i];
    qsort(lv->baseline, n, sizeof *lv->baseline, compare_baseline);
    agent *current = NULL;
    for (size_t i = 0; i < n; i++) {
        baseline_event *e = &lv->baseline[i];
        if (e->a != current) {
            current = e->a;
            if (current->held) release_held(lv, current);
            reset_agent_state(current);
        }
        int got = apply_event(lv, current, e->timeline, e->status, e->start, e->end);
        current->newest = e->start;
        if (got == 1) lv->stats.duplicates++;
    }
    lv->nbaseline = 0;
}

static void keep_queue_value(gp_live *lv, gp_record *r, gp_str org_name)
{
    static const char *const queue_names[] = {"queue_id", "queueId", "queue", NULL};
    static const char *const count_names[] = {"count", "value", NULL};
    gp_str queue = field_any(r, queue_names), metric = field(r, "metric");
    gp_str qualifier = field(r, "qualifier"), count = field_any(r, count_names);
    char num[64];
    size_t n = count.n < sizeof num - 1 ? count.n : sizeof num - 1;
    memcpy(num, count.p ? count.p : "", n);
    num[n] = '\0';
    double value = n ? strtod(num, NULL) : 0;
    for (size_t i = 0; i < lv->nqueues; i++) {
        queue_value *q = &lv->queues[i];
        if (strlen(q->org) == org_name.n && memcmp(q->org, org_name.p ? org_name.p : "", org_name.n) == 0 &&
            strlen(q->queue) == queue.n && memcmp(q->queue, queue.p ? queue.p : "", queue.n) == 0 &&
            strlen(q->metric) == metric.n && memcmp(q->metric, metric.p ? metric.p : "", metric.n) == 0 &&
            strlen(q->qualifier) == qualifier.n &&
            memcmp(q->qualifier, qualifier.p ? qualifier.p : "", qualifier.n) == 0) {
            q->count = value;
            return;
        }
    }
    if (lv->nqueues == lv->queues_cap) {
        lv->queues_cap = lv->queues_cap ? lv->queues_cap * 2 : 16;
        lv->queues = gp_xrealloc(lv->queues, lv->queues_cap * sizeof *lv->queues);
    }
    lv->queues[lv->nqueues++] = (queue_value){
        gp_xstrndup(org_name.p ? org_name.p : "", org_name.n), gp_xstrndup(queue.p ? queue.p : "", queue.n),
        gp_xstrndup(metric.p ? metric.p : "", metric.n),
        gp_xstrndup(qualifier.p ? qualifier.p : "", qualifier.n), value};
}

static int add_control(gp_live *lv, gp_record *r, gp_str type, int64_t now, gp_error *err)
{
    int64_t at;
    if (control_time(r, &at, err) != 0) return -1;
    gp_str org_name = gp_rec_get(r, GP_F_ORG);
    int index = find_org(lv, org_name); /* may move lv->orgs */
    org *o = &lv->orgs[index];
    lv->stats.controls++;
    o->last_record = max64(o->last_record, now);
    if (gp_str_eqz(type, "disconnected")) {
        o->disconnected = true;
        o->disconnected_at = at;
        gp_str reason = field(r, "reason");
        size_t n = reason.n < sizeof o->reason - 1 ? reason.n : sizeof o->reason - 1;
        memcpy(o->reason, reason.p ? reason.p : "", n);
        o->reason[n] = '\0';
        return 0;
    }
    o->disconnected = false;
    o->disconnected_at = GP_TIME_NONE;
    if (gp_str_eqz(type, "connected") || gp_str_eqz(type, "heartbeat")) return 0;
    if (gp_str_eqz(type, "resync_start")) {
        if (o->resyncing) apply_baseline(lv, index); /* a second start: the first baseline stands */
        o->resyncing = true;
        return 0;
    }
    if (gp_str_eqz(type, "resync_end")) {
        if (o->resyncing) apply_baseline(lv, index);
        o->resyncing = false;
        o->resyncs++;
        return 0;
    }
    if (gp_str_eqz(type, "queue")) {
        keep_queue_value(lv, r, org_name);
        return 0;
    }
    return gp_error_set(err, "field type: unknown record type '%.*s'", (int)(type.n > 40 ? 40 : type.n),
                        type.p);
}

int gp_live_add(gp_live *lv, gp_record *r, int64_t now, gp_error *err)
{
    lv->stats.records++;
    int type_index = gp_rec_find(r, "type");
    if (type_index >= 0) return add_control(lv, r, gp_rec_value(r, type_index), now, err);
    gp_segment s;
    if (gp_segment_read(r, &s, err) != 0) return -1;
    int status = status_index(lv, s.timeline, s.status, s.status_len);
    if (status < 0) return gp_error_set(err, "more than 256 different statuses");
    int64_t end = s.end;
    if (end == GP_TIME_NONE && s.secs != GP_TIME_NONE) end = s.start + s.secs;
    agent *a = find_agent(lv, s.org, s.user);
    org *o = &lv->orgs[a->org_index];
    o->last_record = max64(o->last_record, now);
    o->disconnected = false;
    o->disconnected_at = GP_TIME_NONE;
    lv->stats.events++;
    if (o->resyncing) {
        if (lv->nbaseline == lv->baseline_cap) {
            lv->baseline_cap = lv->baseline_cap ? lv->baseline_cap * 2 : 1024;
            lv->baseline = gp_xrealloc(lv->baseline, lv->baseline_cap * sizeof *lv->baseline);
        }
        lv->baseline[lv->nbaseline++] =
            (baseline_event){a, s.start, end, lv->baseline_seq++, (uint8_t)status, (uint8_t)s.timeline};
        return 0;
    }
    o->newest = max64(o->newest, s.start);
    int got = take_event(lv, a, s.timeline, status, s.start, end);
    if (got == 1) lv->stats.duplicates++;
    if (got == 2) {
        lv->stats.late++;
        a->late++;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Evaluating an agent at a tick                                          */

static int org_status(const gp_live *lv, const org *o, int64_t at)
{
    if (o->disconnected) return ORG_DISCONNECTED;
    if (o->last_record == GP_TIME_NONE || at - o->last_record > lv->cfg.stale) return ORG_STALE;
    return ORG_LIVE;
}

static void evaluate(gp_live *lv, agent *a, int64_t at, figures *f)
{
    int64_t day[NCOL], cur[NCOL];
    memcpy(day, a->s.day, sizeof day);
    memcpy(cur, a->s.cur, sizeof cur);
    int64_t span_end = a->s.span_end;
    const line_state *routing = &a->s.tl[GP_TL_ROUTING];
    /* an open activity runs to the tick: the span reaches it, and what
     * waited after the span's end joins */
    if (a->s.have_span && routing->open && lv->statuses[routing->status].activity && at > span_end) {
        for (int i = 0; i < a->s.npending; i++) {
            const interval *p = &a->s.pending[i];
            if (p->column >= 0) cur[p->column] += overlap(p->start, p->end, span_end, at);
        }
        span_end = at;
    }
    for (int tl = 0; tl < 2; tl++) {
        const line_state *t = &a->s.tl[tl];
        if (t->open && at > t->since)
            place_into(a, lv->statuses[t->status].column, t->since, at, span_end, day, cur, false);
    }
    bool shift_current = a->s.have_span && at - span_end <= lv->cfg.gap;
    f->period = shift_current ? a->s.span_label : local_day(a, at);
    memset(f->sums, 0, sizeof f->sums);
    f->shifts = 0;
    if (a->s.day_key == f->period) {
        memcpy(f->sums, day, sizeof f->sums);
        f->shifts = a->s.day_shifts;
    }
    f->coverage_start = INT64_MAX;
    f->coverage_end = INT64_MIN;
    if (a->s.day_key == f->period)
        for (int i = 0; i < a->s.nday_spans; i++) {
            f->coverage_start = min64(f->coverage_start, a->s.day_spans[i].start);
            f->coverage_end = max64(f->coverage_end, a->s.day_spans[i].end);
        }
    f->shift_in_period = a->s.have_span && a->s.span_label == f->period;
    if (f->shift_in_period) {
        for (int i = 0; i < NCOL; i++) f->sums[i] += cur[i];
        f->shifts++;
        memcpy(f->shift_sums, cur, sizeof f->shift_sums);
        f->coverage_start = min64(f->coverage_start, a->s.span_start);
        f->coverage_end = max64(f->coverage_end, span_end);
    }
    f->stale = org_status(lv, &lv->orgs[a->org_index], at) != ORG_LIVE;
    f->occupancy_defined =
        gp_ratio(f->sums[COL_INTERACTING], f->sums[COL_INTERACTING] + f->sums[COL_IDLE], &f->occupancy);
    f->band = gp_band_of(f->occupancy, f->occupancy_defined);
}

/* What a written record depends on, to tell whether it changed. */
static uint64_t figures_hash(const agent *a, const figures *f)
{
    uint64_t h = gp_hash(f->sums, sizeof f->sums, (uint64_t)f->period);
    int64_t extra[8] = {f->shifts, f->stale, f->shift_in_period ? a->s.shift_number : 0,
                        a->s.tl[0].known ? a->s.tl[0].status : -1, a->s.tl[0].since,
                        a->s.tl[1].known ? a->s.tl[1].status : -1, a->s.tl[1].since,
                        f->shift_in_period ? a->s.span_start : 0};
    return gp_hash(extra, sizeof extra, h);
}

/* ------------------------------------------------------------------ */
/* Writing                                                               */


/* The agent record is written straight to the output, not through
 * gp_table: a storm makes most agents change every tick, and the generic
 * table (a copy of every cell, every string escaped again) cost more than
 * the figures.  The keys are escaped once (`,"name":` per column, in
 * lv->keys), the record's opening (type, user_id, org) once per agent, and
 * the numbers are written as the table writes them: gp_format_secs,
 * gp_format_ratio (shortest round trip), times to the millisecond. */
static void build_keys(gp_live *lv)
{
    char name[64];
    for (int col = 0; col < NLEAD + NCOL + T_COUNT; col++) {
        const char *key = name;
        if (col < NLEAD) key = lead_columns[col];
        else if (col < NLEAD + NCOL) gp_occupancy_standard_column(col - NLEAD, name, sizeof name);
        else key = tail_columns[col - NLEAD - NCOL];
        gp_buf_addc(&lv->keys, col ? ',' : '{');
        gp_buf_json_string(&lv->keys, key, strlen(key));
        gp_buf_addc(&lv->keys, ':');
        lv->key_end[col] = lv->keys.len;
    }
}

static void put_key(gp_live *lv, gp_out *out, int col)
{
    size_t from = col ? lv->key_end[col - 1] : 0;
    gp_out_write(out, lv->keys.data + from, lv->key_end[col] - from);
}

static void put_null(gp_out *out) { gp_out_write(out, "null", 4); }

static void put_time(gp_out *out, int64_t ms)
{
    char ts[GP_TIME_LEN + 3];
    ts[0] = '"';
    gp_time_format(ms, ts + 1);
    ts[GP_TIME_LEN + 1] = '"';
    gp_out_write(out, ts, GP_TIME_LEN + 2);
}

static void put_int(gp_out *out, long long v)
{
    char digits[24];
    int n = sizeof digits;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do digits[--n] = (char)('0' + u % 10);
    while ((u /= 10) > 0);
    if (v < 0) digits[--n] = '-';
    gp_out_write(out, digits + n, sizeof digits - (size_t)n);
}

static void put_secs(gp_out *out, int64_t ms)
{
    char num[32];
    gp_out_write(out, num, gp_format_secs(ms, num));
}

static void put_ratio(gp_out *out, int64_t part, int64_t whole)
{
    double v;
    if (!gp_ratio(part, whole, &v)) {
        put_null(out);
        return;
    }
    char num[32];
    gp_out_write(out, num, gp_format_ratio(v, num));
}

static void put_status(gp_live *lv, gp_out *out, const agent *a, int tl, int col)
{
    const line_state *s = &a->s.tl[tl];
    put_key(lv, out, col);
    if (s->known) gp_json_string(out, lv->statuses[s->status].name, lv->statuses[s->status].len);
    else put_null(out);
    put_key(lv, out, col + 1);
    if (s->known) put_time(out, s->since);
    else put_null(out);
}

/* The record's opening, `{"type":"agent","user_id":…,"org":…`, kept with
 * the agent. */
static void put_head(gp_live *lv, gp_out *out, agent *a)
{
    if (!a->head) {
        gp_buf head = {0};
        gp_buf_add(&head, lv->keys.data, lv->key_end[0]);
        gp_buf_json_string(&head, "agent", 5);
        gp_buf_add(&head, lv->keys.data + lv->key_end[0], lv->key_end[1] - lv->key_end[0]);
        gp_buf_json_string(&head, a->id, a->id_n);
        gp_buf_add(&head, lv->keys.data + lv->key_end[1], lv->key_end[2] - lv->key_end[1]);
        if (a->org_n) gp_buf_json_string(&head, a->org, a->org_n);
        else gp_buf_add(&head, "null", 4);
        a->head = head.data;
        a->head_n = head.len;
    }
    gp_out_write(out, a->head, a->head_n);
}

/* Where the local day PERIOD begins and ends: local_day's cache holds
 * them for the agent's current day. */
static void day_bounds(const agent *a, int64_t period, int64_t *start, int64_t *end)
{
    if (a->day_hi > a->day_lo && a->day_cached == period) {
        *start = a->day_lo;
        *end = a->day_hi;
        return;
    }
    *start = gp_tz_local_midnight(a->tz, period);
    *end = gp_tz_local_midnight(a->tz, period + 1);
}

static void write_agent(gp_live *lv, gp_out *out, agent *a, const figures *f)
{
    if (!lv->keys.len) build_keys(lv);
    const int c = NLEAD + NCOL;
    put_head(lv, out, a);
    if (!lv->label_known || lv->label_period != f->period) { /* the agents of a tick share a day or two */
        gp_day_label(f->period, lv->label);
        lv->label_period = f->period;
        lv->label_known = true;
    }
    put_key(lv, out, 3);
    gp_json_string(out, lv->label, strlen(lv->label));
    int64_t start, end;
    day_bounds(a, f->period, &start, &end);
    put_key(lv, out, 4);
    put_time(out, start);
    put_key(lv, out, 5);
    put_time(out, end);
    put_key(lv, out, 6);
    put_int(out, f->shifts);
    for (int i = 0; i < NCOL; i++) {
        put_key(lv, out, NLEAD + i);
        put_secs(out, f->sums[i]);
    }
    /* goccupy's totals (gp_occupancy_put_totals), the same formulas */
    int64_t interacting = f->sums[COL_INTERACTING], idle = f->sums[COL_IDLE],
            not_responding = f->sums[COL_NOT_RESPONDING];
    put_key(lv, out, c + T_ON_QUEUE);
    put_secs(out, interacting + idle + not_responding + f->sums[GP_OCC_COMMUNICATING]);
    put_key(lv, out, c + T_OCCUPANCY);
    put_ratio(out, interacting, interacting + idle);
    put_key(lv, out, c + T_NRT);
    put_ratio(out, not_responding, interacting + idle + not_responding);
    bool covered = f->coverage_start <= f->coverage_end;
    put_key(lv, out, c + T_COVERAGE_START);
    if (covered) put_time(out, f->coverage_start);
    else put_null(out);
    put_key(lv, out, c + T_COVERAGE_END);
    if (covered) put_time(out, f->coverage_end);
    else put_null(out);
    const char *name = a->roster ? gp_roster_value(a->roster, lv->roster_name) : "";
    put_key(lv, out, c + T_NAME);
    if (*name) gp_json_string(out, name, strlen(name));
    else put_null(out);
    put_key(lv, out, c + T_COHORT);
    if (a->roster) {
        const char *role = gp_roster_value(a->roster, lv->roster_role);
        gp_json_string(out, role, strlen(role));
    } else {
        put_null(out);
    }
    put_key(lv, out, c + T_TENURE);
    if (a->roster && a->roster->hire_date != GP_DATE_NONE) put_int(out, (long long)(f->period + 1 - a->roster->hire_date));
    else put_null(out);
    put_status(lv, out, a, GP_TL_ROUTING, c + T_ROUTING);
    put_status(lv, out, a, GP_TL_PRESENCE, c + T_PRESENCE);
    const line_state *since = a->s.tl[GP_TL_ROUTING].known ? &a->s.tl[GP_TL_ROUTING] : &a->s.tl[GP_TL_PRESENCE];
    put_key(lv, out, c + T_SINCE);
    if (since->known) put_time(out, since->since);
    else put_null(out);
    put_key(lv, out, c + T_BAND);
    gp_out_putc(out, '"');
    gp_out_puts(out, gp_band_name(f->band));
    gp_out_putc(out, '"');
    put_key(lv, out, c + T_STALE);
    gp_out_puts(out, f->stale ? "true" : "false");
    const int64_t *s = f->shift_sums;
    put_key(lv, out, c + T_SHIFT);
    if (f->shift_in_period) put_int(out, a->s.shift_number);
    else put_null(out);
    put_key(lv, out, c + T_SHIFT_START);
    if (f->shift_in_period) put_time(out, a->s.span_start);
    else put_null(out);
    put_key(lv, out, c + T_SHIFT_OCC);
    if (f->shift_in_period) put_ratio(out, s[COL_INTERACTING], s[COL_INTERACTING] + s[COL_IDLE]);
    else put_null(out);
    put_key(lv, out, c + T_SHIFT_NRT);
    if (f->shift_in_period)
        put_ratio(out, s[COL_NOT_RESPONDING], s[COL_INTERACTING] + s[COL_IDLE] + s[COL_NOT_RESPONDING]);
    else put_null(out);
    put_key(lv, out, c + T_LATE);
    put_int(out, a->late);
    gp_out_write(out, "}\n", 2);
}

static int compare_agents(const void *x, const void *y)
{
    const agent *a = *(agent *const *)x, *b = *(agent *const *)y;
    int c = gp_str_cmp((gp_str){a->org, a->org_n}, (gp_str){b->org, b->org_n});
    return c ? c : gp_str_cmp((gp_str){a->id, a->id_n}, (gp_str){b->id, b->id_n});
}

static void sort_agents(gp_live *lv)
{
    if (lv->nsorted == lv->nagents) return;
    lv->sorted = gp_xrealloc(lv->sorted, (lv->nagents ? lv->nagents : 1) * sizeof *lv->sorted);
    memcpy(lv->sorted, lv->agents, lv->nagents * sizeof *lv->sorted);
    qsort(lv->sorted, lv->nagents, sizeof *lv->sorted, compare_agents);
    lv->nsorted = lv->nagents;
}

static const char *const org_status_names[] = {"live", "stale", "disconnected"};

/* Sum of the latest values of METRIC (o-prefixed Genesys name or ours),
 * per qualifier when BY_QUALIFIER. */
static bool metric_is(const char *metric, const char *genesys, const char *ours)
{
    return strcmp(metric, genesys) == 0 || strcmp(metric, ours) == 0;
}

static void put_number(gp_out *out, double v)
{
    char num[32];
    gp_format_ratio(v, num);
    gp_out_puts(out, num);
}

static void write_queues(gp_live *lv, gp_out *out)
{
    double waiting = 0, interacting = 0;
    gp_out_puts(out, ",\"queues\":{\"count\":");
    /* distinct queues */
    long distinct = 0;
    for (size_t i = 0; i < lv->nqueues; i++) {
        bool first = true;
        for (size_t k = 0; k < i && first; k++)
            if (strcmp(lv->queues[k].org, lv->queues[i].org) == 0 &&
                strcmp(lv->queues[k].queue, lv->queues[i].queue) == 0)
                first = false;
        distinct += first;
        const queue_value *q = &lv->queues[i];
        if (metric_is(q->metric, "oWaiting", "waiting")) waiting += q->count;
        if (metric_is(q->metric, "oInteracting", "interacting")) interacting += q->count;
    }
    gp_out_printf(out, "%ld,\"waiting\":", distinct);
    put_number(out, waiting);
    gp_out_puts(out, ",\"interacting\":");
    put_number(out, interacting);
    gp_out_puts(out, ",\"on_queue_users\":{");
    /* by qualifier (a routing status), in order of first appearance */
    bool any = false;
    for (size_t i = 0; i < lv->nqueues; i++) {
        const queue_value *q = &lv->queues[i];
        if (!metric_is(q->metric, "oOnQueueUsers", "on_queue_users")) continue;
        bool first = true;
        for (size_t k = 0; k < i && first; k++)
            if (metric_is(lv->queues[k].metric, "oOnQueueUsers", "on_queue_users") &&
                strcmp(lv->queues[k].qualifier, q->qualifier) == 0)
                first = false;
        if (!first) continue;
        double sum = 0;
        for (size_t k = i; k < lv->nqueues; k++)
            if (metric_is(lv->queues[k].metric, "oOnQueueUsers", "on_queue_users") &&
                strcmp(lv->queues[k].qualifier, q->qualifier) == 0)
                sum += lv->queues[k].count;
        char norm[130];
        size_t n = gp_status_normalize(q->qualifier, strlen(q->qualifier) > 64 ? 64 : strlen(q->qualifier), norm);
        if (any) gp_out_putc(out, ',');
        gp_json_string(out, norm, n);
        gp_out_putc(out, ':');
        put_number(out, sum);
        any = true;
    }
    gp_out_puts(out, "}}");
}

static void write_tick(gp_live *lv, gp_out *out, int64_t at, const long bands[GP_BAND_COUNT],
                       int64_t interacting, int64_t idle)
{
    char ts[GP_TIME_LEN + 1];
    gp_time_format(at, ts);
    gp_out_printf(out, "{\"type\":\"tick\",\"seq\":%ld,\"at\":\"%s\",\"agents\":%zu,\"occupancy\":", lv->seq,
                  ts, lv->nagents);
    double v;
    if (gp_ratio(interacting, interacting + idle, &v)) {
        char num[32];
        gp_format_ratio(v, num);
        gp_out_puts(out, num);
    } else {
        gp_out_puts(out, "null");
    }
    gp_out_puts(out, ",\"bands\":{");
    for (int b = 0; b < GP_BAND_COUNT; b++)
        gp_out_printf(out, "%s\"%s\":%ld", b ? "," : "", gp_band_name((gp_band)b), bands[b]);
    gp_out_puts(out, "},\"orgs\":{");
    for (int i = 0; i < lv->norgs; i++) {
        const org *o = &lv->orgs[i];
        if (i) gp_out_putc(out, ',');
        gp_json_string(out, o->name, o->len);
        gp_out_printf(out, ":{\"status\":\"%s\",\"last_record\":", org_status_names[org_status(lv, o, at)]);
        if (o->last_record != GP_TIME_NONE) {
            gp_time_format(o->last_record, ts);
            gp_out_printf(out, "\"%s\"", ts);
        } else {
            gp_out_puts(out, "null");
        }
        gp_out_puts(out, ",\"disconnected_at\":");
        if (o->disconnected) {
            gp_time_format(o->disconnected_at, ts);
            gp_out_printf(out, "\"%s\",\"reason\":", ts);
            gp_json_string(out, o->reason, strlen(o->reason));
        } else {
            gp_out_puts(out, "null");
        }
        gp_out_putc(out, '}');
    }
    gp_out_printf(out, "},\"late\":%ld,\"duplicates\":%ld", lv->stats.late, lv->stats.duplicates);
    write_queues(lv, out);
    gp_out_puts(out, "}\n");
}

void gp_live_tick(gp_live *lv, int64_t at, gp_out *out)
{
    lv->seq++;
    lv->stats.ticks++;
    sort_agents(lv);
    sweep_holders(lv);
    long bands[GP_BAND_COUNT] = {0};
    int64_t interacting = 0, idle = 0;
    figures *f = &lv->scratch;
    for (size_t i = 0; i < lv->nsorted; i++) {
        agent *a = lv->sorted[i];
        evaluate(lv, a, at, f);
        bands[f->band]++;
        interacting += f->sums[COL_INTERACTING];
        idle += f->sums[COL_IDLE];
        uint64_t h = figures_hash(a, f);
        if (!lv->cfg.full && a->written && h == a->written_hash) continue;
        write_agent(lv, out, a, f);
        a->written = true;
        a->written_hash = h;
    }
    write_tick(lv, out, at, bands, interacting, idle);
}

/* ------------------------------------------------------------------ */
/* The terminal view                                                     */

typedef struct term_row {
    agent *a;
    gp_band band;
    double occupancy;
    bool defined;
} term_row;

static int band_rank(gp_band b)
{
    /* the ones that need a supervisor first */
    static const int rank[GP_BAND_COUNT] = {
        [GP_BAND_BURNOUT] = 0, [GP_BAND_HIGH] = 1, [GP_BAND_UNDER] = 2, [GP_BAND_HEALTHY] = 3, [GP_BAND_NONE] = 4};
    return rank[b];
}

static int compare_term_rows(const void *x, const void *y)
{
    const term_row *a = x, *b = y;
    if (a->band != b->band) return band_rank(a->band) - band_rank(b->band);
    if (a->defined && b->defined && a->occupancy != b->occupancy) return a->occupancy > b->occupancy ? -1 : 1;
    return compare_agents(&a->a, &b->a);
}

static const char *band_colour(gp_band b)
{
    static const char *const colours[GP_BAND_COUNT] = {
        [GP_BAND_UNDER] = "\033[30;43m", [GP_BAND_HEALTHY] = "\033[30;42m", [GP_BAND_HIGH] = "\033[30;48;5;208m",
        [GP_BAND_BURNOUT] = "\033[97;41m", [GP_BAND_NONE] = "\033[30;47m"};
    return colours[b];
}

static void put_percent(gp_out *out, double v, bool defined)
{
    if (defined) gp_out_printf(out, "%5.1f%%", v * 100);
    else gp_out_puts(out, "    - ");
}

void gp_live_term(gp_live *lv, int64_t at, gp_out *out, int rows, int cols)
{
    lv->seq++;
    lv->stats.ticks++;
    sort_agents(lv);
    term_row *list = gp_xmalloc((lv->nsorted ? lv->nsorted : 1) * sizeof *list);
    long bands[GP_BAND_COUNT] = {0};
    int64_t interacting = 0, idle = 0;
    figures *f = &lv->scratch;
    for (size_t i = 0; i < lv->nsorted; i++) {
        evaluate(lv, lv->sorted[i], at, f);
        bands[f->band]++;
        interacting += f->sums[COL_INTERACTING];
        idle += f->sums[COL_IDLE];
        list[i] = (term_row){lv->sorted[i], f->band, f->occupancy, f->occupancy_defined};
    }
    qsort(list, lv->nsorted, sizeof *list, compare_term_rows);
    char ts[GP_TIME_LEN + 1];
    gp_time_format(at, ts);
    double floor_occ;
    bool defined = gp_ratio(interacting, interacting + idle, &floor_occ);
    gp_out_puts(out, "\033[H\033[2J\033[1mglive\033[0m  ");
    gp_out_puts(out, ts);
    gp_out_printf(out, "  agents %zu  floor occupancy ", lv->nsorted);
    put_percent(out, floor_occ, defined);
    gp_out_puts(out, "\r\n");
    for (int b = 0; b < GP_BAND_COUNT; b++)
        gp_out_printf(out, "%s %s %ld \033[0m ", band_colour((gp_band)b), gp_band_name((gp_band)b), bands[b]);
    gp_out_puts(out, "\r\n");
    int used = 2;
    bool any_down = false;
    for (int i = 0; i < lv->norgs; i++) {
        const org *o = &lv->orgs[i];
        int st = org_status(lv, o, at);
        gp_out_printf(out, "org %s: %s", o->len ? o->name : "(none)", org_status_names[st]);
        if (o->last_record != GP_TIME_NONE) {
            gp_time_format(o->last_record, ts);
            gp_out_printf(out, ", last record %s", ts);
        }
        gp_out_puts(out, "\r\n");
        used++;
        any_down |= st != ORG_LIVE;
    }
    if (any_down) {
        gp_out_puts(out, "\033[97;41;1m DISCONNECTED: ");
        for (int i = 0, n = 0; i < lv->norgs; i++) {
            const org *o = &lv->orgs[i];
            int st = org_status(lv, o, at);
            if (st == ORG_LIVE) continue;
            gp_out_printf(out, "%s%s %s", n++ ? ", " : "", o->len ? o->name : "(none)", org_status_names[st]);
            if (st == ORG_DISCONNECTED && *o->reason) gp_out_printf(out, " (%s)", o->reason);
        }
        gp_out_puts(out, " - figures are not live \033[0m\r\n");
        used++;
    }
    gp_out_puts(out, "\033[1m  occ    band     agent                          status           since\033[0m\r\n");
    used++;
    int name_width = cols > 80 ? 30 : 20;
    /* the last line stays free: the cursor rests there without scrolling */
    bool all_fit = lv->nsorted <= (size_t)(rows - 1 - used > 0 ? rows - 1 - used : 0);
    int room = all_fit ? rows - 1 : rows - 2;
    for (size_t i = 0; i < lv->nsorted && used < room; i++, used++) {
        const term_row *row = &list[i];
        agent *a = row->a;
        const char *name = a->roster ? gp_roster_value(a->roster, lv->roster_name) : "";
        if (!*name) name = a->id;
        gp_out_puts(out, band_colour(row->band));
        gp_out_putc(out, ' ');
        put_percent(out, row->occupancy, row->defined);
        gp_out_printf(out, " %-8s\033[0m %-*.*s ", gp_band_name(row->band), name_width, name_width, name);
        const line_state *t = &a->s.tl[GP_TL_ROUTING];
        if (t->known) {
            gp_time_format(t->since, ts);
            gp_out_printf(out, "%-16s %.8s", lv->statuses[t->status].name, ts + 11);
        }
        gp_out_puts(out, "\r\n");
    }
    if (!all_fit) gp_out_printf(out, "(%zu agents in all)", lv->nsorted);
    free(list);
}

/* ------------------------------------------------------------------ */
/* Life cycle                                                            */

gp_live *gp_live_new(const gp_live_config *config)
{
    gp_live *lv = gp_xcalloc(1, sizeof *lv);
    lv->cfg = *config;
    if (!lv->cfg.tz) lv->cfg.tz = "UTC";
    lv->roster_name = gp_roster_column(config->roster, "name");
    lv->roster_role = gp_roster_column(config->roster, "role");
    return lv;
}

const gp_live_stats *gp_live_stats_get(const gp_live *lv) { return &lv->stats; }

void gp_live_free(gp_live *lv)
{
    if (!lv) return;
    for (size_t i = 0; i < lv->nagents; i++) {
        agent *a = lv->agents[i];
        free(a->org);
        free(a->id);
        free(a->head);
        if (a->held) release_held(lv, a);
        free_state(&a->s);
        free(a);
    }
    for (int i = 0; i < lv->norgs; i++) free(lv->orgs[i].name);
    for (size_t i = 0; i < lv->nqueues; i++) {
        free(lv->queues[i].org);
        free(lv->queues[i].queue);
        free(lv->queues[i].metric);
        free(lv->queues[i].qualifier);
    }
    free(lv->queues);
    free(lv->orgs);
    free(lv->agents);
    free(lv->sorted);
    gp_user_index_free(&lv->index);
    free(lv->baseline);
    free(lv->holders);
    while (lv->nfree_helds) free_held(lv->free_helds[--lv->nfree_helds]);
    free(lv->free_helds);
    free_state(&lv->spare);
    gp_buf_free(&lv->keys);
    free(lv);
}
