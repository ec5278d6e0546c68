/* occupancy.c - per-(org, user, period) sums of time per component, and
 * the rows goccupy writes (see occupancy.h and gpulse(7), OCCUPANCY ROWS). */
#include "occupancy.h"

#include "spill.h"
#include "userindex.h"

#include <stdlib.h>
#include <string.h>

/* A status column: a routing status or a presence, as first seen. */
enum { MAX_STATUSES = 256 };

typedef struct status_entry {
    int timeline; /* GP_TL_ROUTING or GP_TL_PRESENCE */
    char name[64];
    size_t len;
} status_entry;

/* Sums for one period of one user (or one shift, before labelling). */
typedef struct period {
    int64_t key;        /* shift number, local day, or Monday of the ISO week */
    int64_t start, end; /* span of the time added (min start, max end) */
    long shifts;        /* shifts folded into this period */
    int nsums;
    int64_t *sums;      /* ms per status index (shorter = zeros) */
} period;

/* Periods sorted by key. */
typedef struct period_list {
    period *items;
    size_t n, cap, last;
} period_list;

/* A point event (a state change with no end) waiting for the same user's
 * next event on the same timeline, whose start is its end (gpulse(7), SEGMENT RECORDS). */
typedef struct pending_point {
    bool open;
    int status;
    int64_t start;
    int shift;
} pending_point;

typedef struct user {
    char *org, *id;
    size_t org_n, id_n;
    const char *tz;
    period window;      /* --by window */
    period_list shifts; /* by shift number (window: only to count them) */
    period_list labels; /* by day / week */
    int64_t day_lo, day_hi, day; /* the local day last labelled, as UTC range */
    long counted;       /* segments whose time was added: 0 = no row */
    int64_t total_ms;   /* all the time added, below USER_TOTAL_MAX */
    pending_point pending[2]; /* per timeline (routing, presence) */
} user;

struct gp_occupancy {
    gp_occupancy_config cfg;
    status_entry statuses[MAX_STATUSES];
    int nstatuses;
    user **users;
    size_t nusers, cap;
    gp_user_index index; /* of users */
    user *last;
    bool have_org;
    gp_occupancy_stats stats;
    /* canonical input, (org, user_id) order so far: each user is finished
     * when the next begins and waits in RETIRED (gpulse(7), CONVENTIONS) */
    bool canonical;
    gp_spill *retired;
    size_t nretired;
    uint64_t retired_read; /* offset of the next one to read back */
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                         */

int gp_period_kind_parse(const char *name)
{
    static const char *const names[] = {
        [GP_BY_WINDOW] = "window", [GP_BY_SHIFT] = "shift", [GP_BY_DAY] = "day", [GP_BY_WEEK] = "week"};
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
        if (strcmp(name, names[i]) == 0) return i;
    return -1;
}

bool gp_ratio(int64_t num, int64_t den, double *out)
{
    if (den == 0) {
        *out = 0;
        return false;
    }
    *out = (double)num / (double)den;
    return true;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t gp_local_day(const char *zone, int64_t ms)
{
    return floor_div(ms + gp_tz_offset(zone, ms), 86400000);
}

int64_t gp_week_monday(int64_t days)
{
    /* 1970-01-01 was a Thursday: (days + 3) mod 7 is 0 on Mondays */
    return days - (((days + 3) % 7) + 7) % 7;
}

void gp_day_label(int64_t days, char *out)
{
    int64_t y;
    unsigned m, d;
    gp_civil_from_days(days, &y, &m, &d);
    snprintf(out, 16, "%04d-%02u-%02u", (int)y, m, d);
}

void gp_week_label(int64_t days, char *out)
{
    /* the ISO year is the year of the week's Thursday */
    int64_t thursday = gp_week_monday(days) + 3, y;
    unsigned m, d;
    gp_civil_from_days(thursday, &y, &m, &d);
    int64_t week = (thursday - gp_days_from_civil(y, 1, 1)) / 7 + 1;
    snprintf(out, 16, "%04d-W%02d", (int)y, (int)week);
}

/* ------------------------------------------------------------------ */
/* Periods                                                               */

static void period_init(period *p, int64_t key)
{
    memset(p, 0, sizeof *p);
    p->key = key;
    p->start = INT64_MAX;
    p->end = INT64_MIN;
}

static void period_add(period *p, int status, int64_t ms, int64_t start, int64_t end, int nstatuses)
{
    if (status >= p->nsums) {
        int n = nstatuses > status ? nstatuses : status + 1;
        p->sums = gp_xrealloc(p->sums, (size_t)n * sizeof *p->sums);
        memset(p->sums + p->nsums, 0, (size_t)(n - p->nsums) * sizeof *p->sums);
        p->nsums = n;
    }
    p->sums[status] += ms;
    if (start < p->start) p->start = start;
    if (end > p->end) p->end = end;
}

static void period_merge(period *into, const period *from, int nstatuses)
{
    for (int i = 0; i < from->nsums; i++)
        if (from->sums[i]) period_add(into, i, from->sums[i], from->start, from->end, nstatuses);
    if (from->start < into->start) into->start = from->start;
    if (from->end > into->end) into->end = from->end;
}

static int64_t period_sum(const period *p, int status)
{
    return status >= 0 && status < p->nsums ? p->sums[status] : 0;
}

/* The period with KEY, created when new. */
static period *list_get(period_list *l, int64_t key)
{
    if (l->n && l->items[l->last].key == key) return &l->items[l->last];
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->items[mid].key < key) lo = mid + 1;
        else hi = mid;
    }
    if (lo == l->n || l->items[lo].key != key) {
        if (l->n == l->cap) {
            l->cap = l->cap ? l->cap * 2 : 4;
            l->items = gp_xrealloc(l->items, l->cap * sizeof *l->items);
        }
        memmove(l->items + lo + 1, l->items + lo, (l->n - lo) * sizeof *l->items);
        period_init(&l->items[lo], key);
        l->n++;
    }
    l->last = lo;
    return &l->items[lo];
}

static void list_free(period_list *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->items[i].sums);
    free(l->items);
}

/* ------------------------------------------------------------------ */
/* Statuses and users                                                    */

static int status_index(gp_occupancy *o, const gp_segment *s)
{
    /* a handful of statuses: a linear scan, cheapest tests first */
    size_t n = s->status_len;
    for (int i = 0; i < o->nstatuses; i++) {
        const status_entry *e = &o->statuses[i];
        if (e->len == n && n > 0 && e->timeline == s->timeline && e->name[0] == s->status[0] &&
            e->name[n - 1] == s->status[n - 1] && memcmp(e->name, s->status, n) == 0)
            return i;
    }
    if (o->nstatuses == MAX_STATUSES) return -1;
    status_entry *e = &o->statuses[o->nstatuses];
    e->timeline = s->timeline;
    e->len = s->status_len < sizeof e->name ? s->status_len : sizeof e->name - 1;
    memcpy(e->name, s->status, e->len);
    e->name[e->len] = '\0';
    return o->nstatuses++;
}

static int find_status(const gp_occupancy *o, int timeline, const char *name)
{
    for (int i = 0; i < o->nstatuses; i++)
        if (o->statuses[i].timeline == timeline && strcmp(o->statuses[i].name, name) == 0) return i;
    return -1;
}

static bool user_is(const user *u, gp_str org, gp_str id)
{
    return u->id_n == id.n && u->org_n == org.n && memcmp(u->id, id.p, id.n) == 0 &&
           (org.n == 0 || memcmp(u->org, org.p, org.n) == 0);
}

static bool user_number_is(const void *users, size_t number, gp_str org, gp_str id)
{
    return user_is(((user *const *)users)[number], org, id);
}

static user *user_alloc(gp_occupancy *o, gp_str org, gp_str id)
{
    user *u = gp_xcalloc(1, sizeof *u);
    u->org = gp_xstrndup(org.p ? org.p : "", org.n);
    u->id = gp_xstrndup(id.p, id.n);
    u->org_n = org.n;
    u->id_n = id.n;
    const gp_roster_agent *a = gp_roster_find(o->cfg.roster, org, id);
    u->tz = a && *a->tz ? a->tz : o->cfg.tz;
    u->day_lo = u->day_hi = 0;
    period_init(&u->window, 0);
    if (org.n) o->have_org = true;
    return u;
}

static void user_free(user *u)
{
    free(u->window.sums);
    list_free(&u->shifts);
    list_free(&u->labels);
    free(u->org);
    free(u->id);
    free(u);
}

/* U joins the users in memory. */
static void add_user(gp_occupancy *o, user *u, uint64_t hash)
{
    if (o->nusers == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 256;
        o->users = gp_xrealloc(o->users, o->cap * sizeof *o->users);
    }
    o->users[o->nusers] = u;
    gp_user_index_add(&o->index, hash, o->nusers++);
}

static user *new_user(gp_occupancy *o, gp_str org, gp_str id, uint64_t hash)
{
    user *u = user_alloc(o, org, id);
    add_user(o, u, hash);
    return u;
}

/* ------------------------------------------------------------------ */
/* Retired users                                                         *
 *
 * Rows cannot be written before the end of input: a status first seen in
 * the last record adds a column to every row.  But on canonical input a
 * user is finished when the next begins, so its sums go to a temporary
 * file (exactly as they are held) and memory holds one user, not all of
 * them.  They come back in the same order at the end, before the users
 * still in memory, all of which come after them.  Should the input turn
 * out not to be in (org, user_id) order, every retired user comes back
 * into memory and goccupy goes on as for any order. */

typedef struct retired_header {
    size_t org_n, id_n, nshifts, nlabels;
    int64_t day_lo, day_hi, day;
    long counted;
    int64_t total_ms;
    pending_point pending[2];
} retired_header;

static void put_period(gp_spill *sp, const period *p)
{
    gp_spill_append(sp, p, sizeof *p); /* its sums pointer means nothing there */
    if (p->nsums) gp_spill_append(sp, p->sums, (size_t)p->nsums * sizeof *p->sums);
}

static void put_list(gp_spill *sp, const period_list *l)
{
    for (size_t i = 0; i < l->n; i++) put_period(sp, &l->items[i]);
}

static void retire(gp_occupancy *o, user *u)
{
    if (!o->retired) o->retired = gp_spill_new(65536);
    retired_header h;
    memset(&h, 0, sizeof h);
    h.org_n = u->org_n;
    h.id_n = u->id_n;
    h.nshifts = u->shifts.n;
    h.nlabels = u->labels.n;
    h.day_lo = u->day_lo;
    h.day_hi = u->day_hi;
    h.day = u->day;
    h.counted = u->counted;
    h.total_ms = u->total_ms;
    memcpy(h.pending, u->pending, sizeof h.pending);
    gp_spill_append(o->retired, &h, sizeof h);
    gp_spill_append(o->retired, u->org, u->org_n);
    gp_spill_append(o->retired, u->id, u->id_n);
    put_period(o->retired, &u->window);
    put_list(o->retired, &u->shifts);
    put_list(o->retired, &u->labels);
    o->nretired++;
    user_free(u);
}

/* The user's sums are finished: memory holds none of the users now. */
static void retire_all_in_memory(gp_occupancy *o)
{
    for (size_t i = 0; i < o->nusers; i++) retire(o, o->users[i]);
    o->nusers = 0;
    o->last = NULL;
    gp_user_index_free(&o->index);
    memset(&o->index, 0, sizeof o->index);
}

static void get(gp_occupancy *o, void *dst, size_t n)
{
    gp_spill_read(o->retired, o->retired_read, dst, n);
    o->retired_read += n;
}

static void get_period(gp_occupancy *o, period *p)
{
    get(o, p, sizeof *p);
    p->sums = NULL;
    if (p->nsums) {
        p->sums = gp_xmalloc((size_t)p->nsums * sizeof *p->sums);
        get(o, p->sums, (size_t)p->nsums * sizeof *p->sums);
    }
}

static void get_list(gp_occupancy *o, period_list *l, size_t n)
{
    l->items = n ? gp_xmalloc(n * sizeof *l->items) : NULL;
    l->n = l->cap = n;
    l->last = 0;
    for (size_t i = 0; i < n; i++) get_period(o, &l->items[i]);
}

/* The next retired user, as it was held. */
static user *read_retired(gp_occupancy *o)
{
    retired_header h;
    get(o, &h, sizeof h);
    char *org = gp_xmalloc(h.org_n + 1), *id = gp_xmalloc(h.id_n + 1);
    get(o, org, h.org_n);
    get(o, id, h.id_n);
    user *u = user_alloc(o, (gp_str){org, h.org_n}, (gp_str){id, h.id_n});
    free(org);
    free(id);
    get_period(o, &u->window);
    get_list(o, &u->shifts, h.nshifts);
    get_list(o, &u->labels, h.nlabels);
    u->day_lo = h.day_lo;
    u->day_hi = h.day_hi;
    u->day = h.day;
    u->counted = h.counted;
    u->total_ms = h.total_ms;
    memcpy(u->pending, h.pending, sizeof u->pending);
    return u;
}

/* The input is not in (org, user_id) order: every user back in memory. */
static void unretire_all(gp_occupancy *o)
{
    o->canonical = false;
    for (; o->nretired > 0; o->nretired--) {
        user *u = read_retired(o);
        add_user(o, u, gp_user_hash((gp_str){u->org, u->org_n}, (gp_str){u->id, u->id_n}));
    }
    if (o->retired) gp_spill_reset(o->retired);
    o->retired_read = 0;
}

static int user_cmp(gp_str org, gp_str id, const user *u)
{
    int c = gp_str_cmp(org, (gp_str){u->org, u->org_n});
    return c ? c : gp_str_cmp(id, (gp_str){u->id, u->id_n});
}

static user *find_user(gp_occupancy *o, gp_str org, gp_str id)
{
    /* canonical input brings one user's records together: check the last */
    if (o->last && user_is(o->last, org, id)) return o->last;
    if (o->canonical && o->last) {
        if (user_cmp(org, id, o->last) > 0) { /* the last user is finished */
            retire_all_in_memory(o);
            return o->last = new_user(o, org, id, gp_user_hash(org, id));
        }
        unretire_all(o);
    }
    uint64_t h = gp_user_hash(org, id);
    long found = gp_user_index_find(&o->index, h, user_number_is, o->users, org, id);
    return o->last = found >= 0 ? o->users[found] : new_user(o, org, id, h);
}

/* The day or week key of instant T in the user's zone. */
static int64_t label_key(const gp_occupancy *o, user *u, int64_t t)
{
    int64_t day;
    if (u->day_hi > u->day_lo && t >= u->day_lo && t < u->day_hi) {
        day = u->day;
    } else {
        day = gp_local_day(u->tz, t);
        int64_t lo = gp_tz_local_midnight(u->tz, day), hi = gp_tz_local_midnight(u->tz, day + 1);
        if (t >= lo && t < hi) {
            u->day_lo = lo;
            u->day_hi = hi;
            u->day = day;
        }
    }
    return o->cfg.by == GP_BY_WEEK ? gp_week_monday(day) : day;
}

/* ------------------------------------------------------------------ */
/* Adding segments                                                       */

gp_occupancy *gp_occupancy_new(const gp_occupancy_config *config)
{
    gp_occupancy *o = gp_xcalloc(1, sizeof *o);
    o->cfg = *config;
    o->canonical = true;
    if (!o->cfg.tz) o->cfg.tz = "UTC";
    /* the standard statuses hold the first indexes, in column order, so
     * their columns are there whatever the data */
    for (int i = 0; i < GP_STANDARD_STATUSES; i++) {
        status_entry *e = &o->statuses[o->nstatuses++];
        e->timeline = gp_standard_statuses[i].timeline;
        e->len = strlen(gp_standard_statuses[i].name);
        memcpy(e->name, gp_standard_statuses[i].name, e->len + 1);
    }
    return o;
}


/* Cut [*start, *end) to --from/--to.  Rows that carry secs (interval
 * totals) cannot be cut: they count when they start inside the window.
 * Returns false when nothing of the segment is inside. */
static bool clip_to_window(const gp_occupancy *o, bool has_secs, int64_t *start, int64_t *end,
                           int64_t *ms)
{
    int64_t from = o->cfg.from, to = o->cfg.to;
    if (from == GP_TIME_NONE && to == GP_TIME_NONE) return true;
    bool starts_inside = (from == GP_TIME_NONE || *start >= from) && (to == GP_TIME_NONE || *start < to);
    if (has_secs) return starts_inside;
    int64_t cs = from != GP_TIME_NONE && from > *start ? from : *start;
    int64_t ce = to != GP_TIME_NONE && to < *end ? to : *end;
    if (ce < cs || (ce == cs && !starts_inside)) return false;
    *start = cs;
    *end = ce;
    *ms = ce - cs;
    return true;
}

/* The most time one user may sum, over every status and period: any sum
 * goccupy forms (a period's components, on_queue, a week of shifts) is
 * part of it, so none can overflow int64.  It is some 36 million years:
 * only hostile or broken secs values reach it. */
#define USER_TOTAL_MAX (INT64_MAX / 8)

/* Add STATUS's time [start, end) (MS long; interval rows carry secs and
 * cannot be cut) to user U's periods. */
static int add_time(gp_occupancy *o, user *u, int status, int64_t start, int64_t end, int64_t ms,
                    bool has_secs, int shift, gp_error *err)
{
    if (!clip_to_window(o, has_secs, &start, &end, &ms)) {
        o->stats.outside_window++;
        return GP_OCC_ADDED;
    }
    if (o->cfg.by == GP_BY_SHIFT && shift < 0) {
        gp_error_set(err, "field shift: missing; --by shift needs gshift's shift numbers: run gshift first");
        return GP_OCC_UNUSABLE_INPUT;
    }
    if (o->cfg.by != GP_BY_WINDOW && shift == 0) {
        o->stats.between_shifts++; /* between shifts: only --by window counts it */
        return GP_OCC_ADDED;
    }
    if (ms > USER_TOTAL_MAX - u->total_ms) {
        gp_error_set(err, "field secs: the user's time adds up past what goccupy can sum "
                          "(about 36 million years): the input is broken");
        return GP_OCC_UNUSABLE_INPUT;
    }
    u->total_ms += ms;
    if (o->cfg.by == GP_BY_WINDOW) {
        period_add(&u->window, status, ms, start, end, o->nstatuses);
        if (shift > 0) list_get(&u->shifts, shift); /* only counted */
    } else if (shift > 0) {
        /* held per shift until the end: the label needs the shift's start */
        period_add(list_get(&u->shifts, shift), status, ms, start, end, o->nstatuses);
    } else {
        /* no gshift field: day and week label a segment by its own start */
        period_add(list_get(&u->labels, label_key(o, u, start)), status, ms, start, end, o->nstatuses);
    }
    u->counted++;
    o->stats.counted++;
    return GP_OCC_ADDED;
}

/* The event S ends U's open point event on the same timeline, if any. */
static int close_point(gp_occupancy *o, user *u, const gp_segment *s, gp_error *err)
{
    pending_point *p = &u->pending[s->timeline == GP_TL_PRESENCE];
    if (!p->open) return GP_OCC_ADDED;
    if (s->start < p->start) {
        char at[GP_TIME_LEN + 1], before[GP_TIME_LEN + 1];
        gp_time_format(s->start, at);
        gp_time_format(p->start, before);
        gp_error_set(err,
                     "input not in (user_id, start) order: %s is before the point event at %s; "
                     "run gsort first", at, before);
        return GP_OCC_UNUSABLE_INPUT;
    }
    p->open = false;
    return add_time(o, u, p->status, p->start, s->start, s->start - p->start, false, p->shift, err);
}

static int add_segment(gp_occupancy *o, const gp_segment *s, gp_error *err)
{
    int status = status_index(o, s);
    if (status < 0) {
        gp_error_set(err, "more than 256 different statuses");
        return GP_OCC_BAD_RECORD;
    }
    if (s->secs != GP_TIME_NONE && s->secs < 0) {
        gp_error_set(err, "field secs: negative");
        return GP_OCC_BAD_RECORD;
    }
    user *u = find_user(o, s->org, s->user);
    int closed = close_point(o, u, s, err);
    if (closed != GP_OCC_ADDED) return closed;
    if (s->secs != GP_TIME_NONE) {
        int64_t end = s->end != GP_TIME_NONE ? s->end : s->start + s->secs;
        return add_time(o, u, status, s->start, end, s->secs, true, s->shift, err);
    }
    if (s->end != GP_TIME_NONE)
        return add_time(o, u, status, s->start, s->end, s->end - s->start, false, s->shift, err);
    /* a state change: it lasts until this user's next event on its timeline */
    pending_point *p = &u->pending[s->timeline == GP_TL_PRESENCE];
    *p = (pending_point){.open = true, .status = status, .start = s->start, .shift = s->shift};
    return GP_OCC_ADDED;
}

int gp_occupancy_add(gp_occupancy *o, const gp_segment *s, gp_error *err)
{
    int verdict = add_segment(o, s, err);
    /* a record refused here is counted once, by the caller's rejects */
    if (verdict == GP_OCC_ADDED) o->stats.records++;
    return verdict;
}

/* ------------------------------------------------------------------ */
/* Writing rows                                                          */

const gp_status_ref gp_standard_statuses[GP_STANDARD_STATUSES] = {
    {GP_TL_ROUTING, "OFF_QUEUE"},     {GP_TL_ROUTING, "IDLE"},        {GP_TL_ROUTING, "INTERACTING"},
    {GP_TL_ROUTING, "NOT_RESPONDING"}, {GP_TL_ROUTING, "COMMUNICATING"}, {GP_TL_PRESENCE, "AVAILABLE"},
    {GP_TL_PRESENCE, "AWAY"},         {GP_TL_PRESENCE, "BREAK"},      {GP_TL_PRESENCE, "BUSY"},
    {GP_TL_PRESENCE, "IDLE"},         {GP_TL_PRESENCE, "MEAL"},       {GP_TL_PRESENCE, "MEETING"},
    {GP_TL_PRESENCE, "OFFLINE"},      {GP_TL_PRESENCE, "ON_QUEUE"},   {GP_TL_PRESENCE, "TRAINING"},
};

int gp_occupancy_standard_index(int timeline, const char *status, size_t len)
{
    for (int i = 0; i < GP_STANDARD_STATUSES; i++)
        if (gp_standard_statuses[i].timeline == timeline && strlen(gp_standard_statuses[i].name) == len &&
            memcmp(gp_standard_statuses[i].name, status, len) == 0)
            return i;
    return -1;
}

void gp_occupancy_standard_column(int index, char *out, size_t size)
{
    const gp_status_ref *s = &gp_standard_statuses[index];
    snprintf(out, size, "%s%s_secs", s->timeline == GP_TL_PRESENCE ? "presence_" : "", s->name);
    gp_lowercase(out);
}

void gp_occupancy_put_totals(gp_table *t, int col, const int64_t *sums, int64_t coverage_start,
                             int64_t coverage_end)
{
    int64_t interacting = sums[GP_OCC_INTERACTING], idle = sums[GP_OCC_IDLE],
            not_responding = sums[GP_OCC_NOT_RESPONDING];
    gp_table_secs(t, col, interacting + idle + not_responding + sums[GP_OCC_COMMUNICATING]);
    double v;
    bool ok = gp_ratio(interacting, interacting + idle, &v);
    gp_table_ratio(t, col + 1, v, ok);
    ok = gp_ratio(not_responding, interacting + idle + not_responding, &v);
    gp_table_ratio(t, col + 2, v, ok);
    if (coverage_start > coverage_end) return; /* no time counted */
    gp_table_time(t, col + 3, coverage_start);
    gp_table_time(t, col + 4, coverage_end);
}

static char *status_column_name(int timeline, const char *status)
{
    gp_buf name = {0};
    gp_buf_printf(&name, "%s%s_secs", timeline == GP_TL_PRESENCE ? "presence_" : "", status);
    gp_lowercase(name.data);
    return name.data;
}

static int add_column(gp_occupancy_columns *c, char *name)
{
    c->names[c->count] = name;
    return c->count++;
}

void gp_occupancy_columns_init(gp_occupancy_columns *c, bool with_org, const gp_status_ref *extra,
                               int nextra)
{
    memset(c, 0, sizeof *c);
    c->names = gp_xmalloc((size_t)(GP_STANDARD_STATUSES + nextra + 16) * sizeof *c->names);
    add_column(c, gp_xstrdup("user_id"));
    c->org = with_org ? add_column(c, gp_xstrdup("org")) : -1;
    c->period = add_column(c, gp_xstrdup("period"));
    c->start = add_column(c, gp_xstrdup("start"));
    c->end = add_column(c, gp_xstrdup("end"));
    c->shifts = add_column(c, gp_xstrdup("shifts"));
    c->status = c->count;
    for (int i = 0; i < GP_STANDARD_STATUSES; i++)
        add_column(c, status_column_name(gp_standard_statuses[i].timeline, gp_standard_statuses[i].name));
    for (int i = 0; i < nextra; i++) add_column(c, status_column_name(extra[i].timeline, extra[i].name));
    c->nstatus = c->count - c->status;
    c->on_queue = add_column(c, gp_xstrdup("on_queue_secs"));
    c->occupancy = add_column(c, gp_xstrdup("occupancy"));
    c->nrt_rate = add_column(c, gp_xstrdup("nrt_rate"));
    c->coverage_start = add_column(c, gp_xstrdup("coverage_start"));
    c->coverage_end = add_column(c, gp_xstrdup("coverage_end"));
}

void gp_occupancy_columns_free(gp_occupancy_columns *c)
{
    for (int i = 0; i < c->count; i++) free(c->names[i]);
    free(c->names);
    c->names = NULL;
    c->count = 0;
}

/* Statuses outside the standard set: routing before presence, each in
 * byte order of the name (LC_ALL=C sort). */
static int compare_extra(const void *a, const void *b)
{
    const status_entry *x = a, *y = b;
    if (x->timeline != y->timeline) return x->timeline - y->timeline;
    return strcmp(x->name, y->name);
}

static int compare_users(const void *a, const void *b)
{
    const user *x = *(user *const *)a, *y = *(user *const *)b;
    int c = gp_str_cmp((gp_str){x->org, x->org_n}, (gp_str){y->org, y->org_n});
    return c ? c : gp_str_cmp((gp_str){x->id, x->id_n}, (gp_str){y->id, y->id_n});
}

static int compare_periods(const void *a, const void *b)
{
    const period *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return (x->key > y->key) - (x->key < y->key);
}

typedef struct row_writer {
    gp_occupancy *o;
    gp_table *table;
    gp_occupancy_columns cols;
    int *order; /* status index per status column */
} row_writer;

static void write_row(row_writer *w, const user *u, const char *label, int64_t start, int64_t end,
                      long shifts, const period *p)
{
    gp_table *t = w->table;
    const gp_occupancy_columns *c = &w->cols;
    gp_table_str(t, 0, u->id, u->id_n);
    if (c->org >= 0 && u->org_n) gp_table_str(t, c->org, u->org, u->org_n);
    gp_table_strz(t, c->period, label);
    if (start != INT64_MAX) gp_table_time(t, c->start, start);
    if (end != INT64_MIN) gp_table_time(t, c->end, end);
    gp_table_int(t, c->shifts, shifts);
    for (int i = 0; i < c->nstatus; i++) gp_table_secs(t, c->status + i, period_sum(p, w->order[i]));
    /* the standard statuses hold the first indexes, in gp_standard_statuses' order */
    int64_t routing[GP_OCC_COMMUNICATING + 1];
    for (int i = 0; i <= GP_OCC_COMMUNICATING; i++) routing[i] = period_sum(p, i);
    gp_occupancy_put_totals(t, c->on_queue, routing, p->start, p->end);
    gp_table_end_row(t);
    w->o->stats.rows++;
}

static void write_user(row_writer *w, user *u)
{
    gp_occupancy *o = w->o;
    char label[32];
    if (o->cfg.by == GP_BY_WINDOW) {
        int64_t start = o->cfg.from != GP_TIME_NONE ? o->cfg.from : u->window.start;
        int64_t end = o->cfg.to != GP_TIME_NONE ? o->cfg.to : u->window.end;
        write_row(w, u, "window", start, end, (long)u->shifts.n, &u->window);
        return;
    }
    if (o->cfg.by == GP_BY_SHIFT) {
        if (u->shifts.n > 1)
            qsort(u->shifts.items, u->shifts.n, sizeof *u->shifts.items, compare_periods);
        for (size_t i = 0; i < u->shifts.n; i++) {
            const period *p = &u->shifts.items[i];
            snprintf(label, sizeof label, "%lld", (long long)p->key);
            write_row(w, u, label, p->start, p->end, 1, p);
        }
        return;
    }
    /* day / week: label each finished shift by the local date of its start */
    for (size_t i = 0; i < u->shifts.n; i++) {
        const period *s = &u->shifts.items[i];
        period *p = list_get(&u->labels, label_key(o, u, s->start));
        period_merge(p, s, o->nstatuses);
        p->shifts++;
    }
    for (size_t i = 0; i < u->labels.n; i++) {
        const period *p = &u->labels.items[i];
        int64_t days = p->key;
        int64_t next = days + (o->cfg.by == GP_BY_WEEK ? 7 : 1);
        if (o->cfg.by == GP_BY_WEEK) gp_week_label(days, label);
        else gp_day_label(days, label);
        write_row(w, u, label, gp_tz_local_midnight(u->tz, days), gp_tz_local_midnight(u->tz, next),
                  p->shifts, p);
    }
}

static void write_finished_user(row_writer *w, user *u)
{
    /* the last point event of each timeline stays open: it counts nothing */
    w->o->stats.point_events += u->pending[0].open + u->pending[1].open;
    if (!u->counted) return;
    write_user(w, u);
    w->o->stats.users++;
}

void gp_occupancy_write(gp_occupancy *o, gp_out *out, int format, int digits)
{
    row_writer w = {.o = o};
    int nextra = o->nstatuses - GP_STANDARD_STATUSES;
    status_entry *extra = gp_xmalloc((size_t)(nextra + 1) * sizeof *extra);
    memcpy(extra, o->statuses + GP_STANDARD_STATUSES, (size_t)nextra * sizeof *extra);
    if (nextra > 1) qsort(extra, (size_t)nextra, sizeof *extra, compare_extra);
    gp_status_ref *refs = gp_xmalloc((size_t)(nextra + 1) * sizeof *refs);
    w.order = gp_xmalloc((size_t)o->nstatuses * sizeof *w.order);
    for (int i = 0; i < GP_STANDARD_STATUSES; i++) w.order[i] = i;
    for (int i = 0; i < nextra; i++) {
        refs[i] = (gp_status_ref){extra[i].timeline, extra[i].name};
        w.order[GP_STANDARD_STATUSES + i] = find_status(o, extra[i].timeline, extra[i].name);
    }
    gp_occupancy_columns_init(&w.cols, o->have_org, refs, nextra);

    w.table = gp_table_new(out, format, (const char *const *)w.cols.names, w.cols.count);
    gp_table_ratio_digits(w.table, digits);
    gp_table_header(w.table); /* CSV: the header even when no row follows */
    /* the retired users first: they come before every one in memory */
    for (; o->nretired > 0; o->nretired--) {
        user *u = read_retired(o);
        write_finished_user(&w, u);
        user_free(u);
    }
    if (o->nusers > 1) qsort(o->users, o->nusers, sizeof *o->users, compare_users);
    for (size_t i = 0; i < o->nusers; i++) write_finished_user(&w, o->users[i]);

    gp_table_free(w.table);
    gp_occupancy_columns_free(&w.cols);
    free(refs);
    free(extra);
    free(w.order);
}

const gp_occupancy_stats *gp_occupancy_stats_get(const gp_occupancy *o) { return &o->stats; }

void gp_occupancy_free(gp_occupancy *o)
{
    if (!o) return;
    for (size_t i = 0; i < o->nusers; i++) user_free(o->users[i]);
    free(o->users);
    gp_spill_free(o->retired);
    gp_user_index_free(&o->index);
    free(o);
}
