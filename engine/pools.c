/* pools.c - gbucket's engine (see pools.h). */
#include "pools.h"

#include "occupancy.h"
#include "quantile.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A cell of an input row, kept for writing the row back. */
enum cell_kind {
    CELL_STRING, /* decoded JSON string */
    CELL_RAW,    /* JSON number, true/false, object or array: bytes as they came */
    CELL_TEXT    /* CSV cell: a number in a numeric column, else a string */
};

typedef struct cell {
    int col;
    int kind;
    size_t off, len; /* in the arena */
} cell;

typedef struct row {
    size_t cell0;
    int ncells;
    char *period, *cohort;
    const gp_roster_agent *agent;
    int64_t start, end; /* GP_TIME_NONE when absent */
    int64_t on_queue;   /* ms */
    bool no_work;       /* no interacting and no idle time */
    double occ, nrt;
    int label;          /* gp_bucket, -1 = in the pool, not yet bucketed */
    long pool;
    const gp_cuts *cuts; /* applied cuts, NULL when none were */
    char *reason;
} row;

/* Rows of one (cohort, period); members = rows in the pool. */
typedef struct group {
    const char *cohort, *period;
    size_t first, count; /* range in the sorted order */
    size_t *members;
    long pool;
    bool has_cuts;
    gp_cuts cuts;
    double *occ, *nrt; /* members' values, sorted */
} group;

typedef struct saved_cuts {
    char *cohort, *period;
    long pool;
    bool has_cuts;
    gp_cuts cuts;
} saved_cuts;

struct gp_pools {
    gp_pools_config cfg;
    char **columns;
    int ncolumns;
    gp_buf arena;
    cell *cells;
    size_t ncells, cells_cap;
    row *rows;
    size_t nrows, rows_cap;
    /* --cohort */
    char **cohort_fields;
    int ncohort_fields;
    int *cohort_roster_col;  /* roster column per field, or -1 */
    bool *cohort_field_seen; /* the field was in some input row */
    /* after run */
    size_t *order;
    group *groups;
    size_t ngroups;
    saved_cuts *saved;
    size_t nsaved;
    const char *saved_path;
    int roster_name; /* the roster's name column, -1 when it has none */
    bool calendar_periods; /* some row's period is a date or an ISO week */
};

/* ------------------------------------------------------------------ */
/* Setup                                                                */

gp_pools *gp_pools_new(const gp_pools_config *config)
{
    gp_pools *p = gp_xcalloc(1, sizeof *p);
    p->cfg = *config;
    if (!p->cfg.tz) p->cfg.tz = "UTC";
    const char *fields = p->cfg.cohort_fields ? p->cfg.cohort_fields : "role";
    char *copy = gp_xstrdup(fields), *save = NULL;
    for (char *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
        p->cohort_fields = gp_xrealloc(p->cohort_fields, (size_t)(p->ncohort_fields + 1) * sizeof(char *));
        p->cohort_fields[p->ncohort_fields++] = gp_xstrdup(f);
    }
    free(copy);
    if (p->ncohort_fields == 0) gp_usage_error("--cohort: no field named");
    p->cohort_roster_col = gp_xcalloc((size_t)p->ncohort_fields, sizeof(int));
    p->cohort_field_seen = gp_xcalloc((size_t)p->ncohort_fields, sizeof(bool));
    for (int i = 0; i < p->ncohort_fields; i++)
        p->cohort_roster_col[i] = gp_roster_column(p->cfg.roster, p->cohort_fields[i]);
    p->roster_name = gp_roster_column(p->cfg.roster, "name");
    return p;
}

static int column_index(gp_pools *p, const char *name, size_t n)
{
    for (int i = 0; i < p->ncolumns; i++)
        if (strlen(p->columns[i]) == n && memcmp(p->columns[i], name, n) == 0) return i;
    p->columns = gp_xrealloc(p->columns, (size_t)(p->ncolumns + 1) * sizeof *p->columns);
    p->columns[p->ncolumns] = gp_xstrndup(name, n);
    return p->ncolumns++;
}

/* ------------------------------------------------------------------ */
/* Reading rows                                                         */

/* "field NAME: WHAT 'value'" in ERR. */
static int bad(const char *field, const char *what, gp_str v, gp_error *err)
{
    return gp_error_set(err, "field %s: %s '%.*s'", field, what, (int)(v.n > 40 ? 40 : v.n), v.p ? v.p : "");
}

static int missing(const char *field, const char *why, gp_error *err)
{
    return gp_error_set(err, "field %s: missing%s", field, why);
}

/* Index of the field NAME (its canonical name for the contract's fields). */
static int field_of(gp_record *r, const char *name)
{
    int id = gp_field_lookup(name, strlen(name));
    if (id >= 0) return r->known[id];
    return gp_rec_find(r, name);
}

/* Milliseconds of a *_secs field: 0 ok, 1 absent, -1 bad. */
static int secs_field(gp_record *r, const char *name, int64_t *ms, gp_error *err)
{
    *ms = 0;
    gp_str v = gp_rec_value(r, field_of(r, name));
    if (v.n == 0) return 1;
    if (gp_secs_parse(v.p, v.n, ms) != 0 || *ms < 0)
        return bad(name, "not a number of seconds", v, err);
    return 0;
}

static int ratio_field(gp_record *r, const char *name, double *out, gp_error *err)
{
    gp_str v = gp_rec_value(r, field_of(r, name));
    if (v.n == 0) return 1;
    char tmp[64];
    if (v.n >= sizeof tmp) return bad(name, "not a ratio between 0 and 1", v, err);
    memcpy(tmp, v.p, v.n);
    tmp[v.n] = '\0';
    char *end;
    errno = 0;
    *out = strtod(tmp, &end);
    if (errno || *end || !isfinite(*out) || *out < 0 || *out > 1)
        return bad(name, "not a ratio between 0 and 1", v, err);
    return 0;
}

/* occupancy, nrt_rate and on-queue time: from the components when the
 * row has them (exact sums, no rounded ratio), else from the columns. */
static int read_metrics(gp_record *r, row *w, gp_error *err)
{
    int64_t interacting, idle, nrt, comm, on_queue;
    int a = secs_field(r, "interacting_secs", &interacting, err);
    int b = secs_field(r, "idle_secs", &idle, err);
    int c = secs_field(r, "not_responding_secs", &nrt, err);
    int d = secs_field(r, "communicating_secs", &comm, err);
    int e = secs_field(r, "on_queue_secs", &on_queue, err);
    if (a < 0 || b < 0 || c < 0 || d < 0 || e < 0) return -1;
    w->on_queue = e == 0 ? on_queue : interacting + idle + nrt + comm;
    if (a == 0 || b == 0) {
        w->no_work = interacting + idle == 0;
        gp_ratio(interacting, interacting + idle, &w->occ);
        gp_ratio(nrt, interacting + idle + nrt, &w->nrt);
        return 0;
    }
    int o = ratio_field(r, "occupancy", &w->occ, err);
    int n = ratio_field(r, "nrt_rate", &w->nrt, err);
    if (o < 0 || n < 0) return -1;
    w->no_work = o != 0;
    if (o == 0 && n != 0) {
        return gp_error_set(err, "field nrt_rate: missing (or give interacting_secs, idle_secs, not_responding_secs)");
    }
    return 0;
}

static char *string_field(gp_record *r, int index)
{
    gp_str v = gp_rec_value(r, index);
    return gp_xstrndup(v.p ? v.p : "", v.n);
}

/* The row's cohort: each --cohort field from the agent's roster row, or
 * from the input row when the roster has no value for it; joined with '|'. */
static char *cohort_of(gp_pools *p, gp_record *r, const gp_roster_agent *agent)
{
    gp_buf out = {0};
    gp_buf_adds(&out, "");
    for (int i = 0; i < p->ncohort_fields; i++) {
        char *value;
        const char *listed = gp_roster_value(agent, p->cohort_roster_col[i]);
        if (*listed || (p->cohort_roster_col[i] >= 0 && field_of(r, p->cohort_fields[i]) < 0)) {
            value = gp_xstrdup(listed);
        } else {
            int index = field_of(r, p->cohort_fields[i]);
            if (index >= 0) p->cohort_field_seen[i] = true;
            value = string_field(r, index);
            if (strcmp(p->cohort_fields[i], "role") == 0) {
                char *roles = gp_roles_merge(value, "");
                free(value);
                value = roles;
            }
        }
        if (i) gp_buf_addc(&out, '|');
        gp_buf_adds(&out, value);
        free(value);
    }
    return (char *)gp_buf_cstr(&out);
}

static void keep_cells(gp_pools *p, gp_record *r, row *w)
{
    w->cell0 = p->ncells;
    for (int i = 0; i < r->nfields; i++) {
        const gp_field *f = &r->fields[i];
        int kind = r->format == GP_FMT_CSV ? GP_V_STRING : f->kind;
        /* the column exists from its first mention, null or not, so the
         * columns keep the input's order */
        const char *name = f->id >= 0 ? gp_field_name(f->id) : NULL;
        int col = name ? column_index(p, name, strlen(name)) : column_index(p, f->key.p, f->key.n);
        if (kind == GP_V_NULL || kind == GP_V_ABSENT) continue;
        gp_str v = gp_rec_value(r, i);
        if (r->format == GP_FMT_CSV && v.n == 0) continue;
        if (p->ncells == p->cells_cap) {
            p->cells_cap = p->cells_cap ? p->cells_cap * 2 : 1024;
            p->cells = gp_xrealloc(p->cells, p->cells_cap * sizeof *p->cells);
        }
        cell *c = &p->cells[p->ncells++];
        c->col = col;
        c->kind = r->format == GP_FMT_CSV ? CELL_TEXT : kind == GP_V_STRING ? CELL_STRING : CELL_RAW;
        c->off = p->arena.len;
        c->len = v.n;
        gp_buf_add(&p->arena, v.p ? v.p : "", v.n);
    }
    w->ncells = (int)(p->ncells - w->cell0);
}

/* goccupy --by shift labels its rows 1, 2, 3...: a shift number, not a
 * period that agents share. */
static bool is_shift_number(const char *period)
{
    if (!*period) return false;
    for (const char *c = period; *c; c++)
        if (*c < '0' || *c > '9') return false;
    return true;
}

/* goccupy --by day labels 2026-11-02, --by week 2026-W45 (gpulse(7),
 * OCCUPANCY ROWS); --by window labels "window". */
static bool is_calendar_period(const char *period)
{
    size_t n = strlen(period);
    if (n < 8 || period[4] != '-') return false;
    if (period[5] == 'W') return n == 8;
    return n == 10 && period[7] == '-';
}

bool gp_pools_has_calendar_periods(const gp_pools *p)
{
    return p->calendar_periods;
}

void gp_pools_columns(gp_pools *p, const gp_str *names, int n)
{
    for (int i = 0; i < n; i++) {
        int id = gp_field_lookup(names[i].p, names[i].n);
        const char *name = id >= 0 ? gp_field_name(id) : NULL;
        if (name) column_index(p, name, strlen(name));
        else column_index(p, names[i].p, names[i].n);
    }
}

int gp_pools_add(gp_pools *p, gp_record *r, gp_error *err)
{
    row w = {0};
    gp_str user = gp_rec_get(r, GP_F_USER_ID);
    if (user.n == 0) return missing("user_id", "", err);
    if (read_metrics(r, &w, err) != 0) return -1;
    int got = gp_rec_time(r, GP_F_START, &w.start, err);
    if (got < 0) return -1;
    if (got > 0) w.start = GP_TIME_NONE;
    got = gp_rec_time(r, GP_F_END, &w.end, err);
    if (got < 0) return -1;
    if (got > 0) w.end = w.start;
    gp_str org = gp_rec_get(r, GP_F_ORG);
    w.agent = gp_roster_find(p->cfg.roster, org, user);
    if (w.agent && w.agent->returned_on != GP_DATE_NONE && w.start == GP_TIME_NONE)
        return missing("start", " (needed to check the ramp-up period)", err);
    w.period = string_field(r, gp_rec_find(r, "period"));
    if (is_shift_number(w.period)) {
        gp_error_set(err,
                     "period '%s' is a shift number (goccupy --by shift): pooling every agent's "
                     "shift %s together compares nothing alike; use goccupy --by window, day or week",
                     w.period, w.period);
        free(w.period);
        return -2;
    }
    if (is_calendar_period(w.period)) p->calendar_periods = true;
    w.cohort = cohort_of(p, r, w.agent);
    w.label = -1;
    keep_cells(p, r, &w);
    if (p->nrows == p->rows_cap) {
        p->rows_cap = p->rows_cap ? p->rows_cap * 2 : 256;
        p->rows = gp_xrealloc(p->rows, p->rows_cap * sizeof *p->rows);
    }
    p->rows[p->nrows++] = w;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Saved thresholds                                                     */

static bool number_field(gp_record *r, const char *name, double *out)
{
    gp_str v = gp_rec_value(r, gp_rec_find(r, name));
    if (v.n == 0) return false;
    char tmp[64];
    size_t n = v.n < sizeof tmp ? v.n : sizeof tmp - 1;
    memcpy(tmp, v.p, n);
    tmp[n] = '\0';
    char *end;
    *out = strtod(tmp, &end);
    if (*end || !isfinite(*out))
        gp_data_die(r->file, r->lineno, "field %s: not a number '%s'", name, tmp);
    return true;
}

void gp_pools_load_thresholds(gp_pools *p, const char *path)
{
    char *files[] = {(char *)path, NULL};
    gp_reader *rd = gp_reader_new(files, GP_FMT_AUTO);
    gp_record *r;
    int got;
    static const char *const cut_names[] = {"occ_low", "occ_high", "nrt_low", "nrt_high"};
    while ((got = gp_reader_next(rd, &r)) != 0) {
        if (got < 0) gp_data_die(r->file, r->lineno, "%s", gp_reader_error(rd));
        if (gp_rec_find(r, "cohort") < 0)
            gp_data_die(r->file, r->lineno, "field cohort: missing (not a --thresholds-out file?)");
        saved_cuts s = {0};
        s.cohort = string_field(r, gp_rec_find(r, "cohort"));
        s.period = string_field(r, gp_rec_find(r, "period"));
        double v = 0;
        s.pool = number_field(r, "pool", &v) ? (long)v : 0;
        s.cuts.low = number_field(r, "low", &v) ? v : p->cfg.low;
        s.cuts.high = number_field(r, "high", &v) ? v : p->cfg.high;
        double *cuts[] = {&s.cuts.occ_low, &s.cuts.occ_high, &s.cuts.nrt_low, &s.cuts.nrt_high};
        int present = 0;
        for (int i = 0; i < 4; i++) present += number_field(r, cut_names[i], cuts[i]);
        if (present != 0 && present != 4)
            gp_data_die(r->file, r->lineno, "fields occ_low, occ_high, nrt_low, nrt_high: give all four or none");
        s.has_cuts = present == 4;
        p->saved = gp_xrealloc(p->saved, (p->nsaved + 1) * sizeof *p->saved);
        p->saved[p->nsaved++] = s;
    }
    gp_reader_free(rd);
    p->saved_path = path;
}

/* The saved cuts for (cohort, period): an exact match, else the one row
 * of that cohort.  A cohort the file does not know stops the tool. */
static const saved_cuts *find_saved(const gp_pools *p, const char *cohort, const char *period)
{
    const saved_cuts *only = NULL;
    int of_cohort = 0;
    for (size_t i = 0; i < p->nsaved; i++) {
        if (strcmp(p->saved[i].cohort, cohort) != 0) continue;
        if (strcmp(p->saved[i].period, period) == 0) return &p->saved[i];
        only = &p->saved[i];
        of_cohort++;
    }
    if (of_cohort == 1) return only;
    if (of_cohort == 0) gp_die("%s: no thresholds for cohort '%s'", p->saved_path, cohort);
    gp_die("%s: cohort '%s' has thresholds for several periods but not for '%s'", p->saved_path, cohort,
           period);
}

/* ------------------------------------------------------------------ */
/* Labelling                                                            */

static bool overlaps_ramp_up(const gp_pools *p, const row *w, int64_t *until_days)
{
    const gp_roster_agent *a = w->agent;
    if (!a || a->returned_on == GP_DATE_NONE || p->cfg.ramp_days <= 0) return false;
    const char *tz = *a->tz ? a->tz : p->cfg.tz;
    int64_t from = gp_tz_local_midnight(tz, a->returned_on);
    int64_t to = gp_tz_local_midnight(tz, a->returned_on + p->cfg.ramp_days);
    *until_days = a->returned_on + p->cfg.ramp_days;
    if (w->end > w->start) return w->start < to && w->end > from;
    return w->start >= from && w->start < to;
}

static void set_reason(row *w, gp_buf *b)
{
    free(w->reason);
    w->reason = (char *)gp_buf_cstr(b);
}

static void label_exclusions(gp_pools *p)
{
    int64_t min_ms = llround(p->cfg.min_hours * 3600000.0);
    for (size_t i = 0; i < p->nrows; i++) {
        row *w = &p->rows[i];
        gp_buf b = {0};
        int64_t until;
        if (w->on_queue < min_ms || w->no_work) {
            w->label = GP_B_INSUFFICIENT;
            gp_reason_insufficient(&b, w->on_queue, w->no_work, p->cfg.min_hours);
        } else if (overlaps_ramp_up(p, w, &until)) {
            w->label = GP_B_RAMP_UP;
            gp_reason_ramp_up(&b, w->agent->returned_on, until);
        } else {
            continue;
        }
        set_reason(w, &b);
    }
}

static const gp_pools *sorting; /* qsort has no context argument */

static int compare_rows(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    const row *rx = &sorting->rows[x], *ry = &sorting->rows[y];
    int c = strcmp(rx->cohort, ry->cohort);
    if (!c) c = strcmp(rx->period, ry->period);
    return c ? c : (x > y) - (x < y);
}

static void make_groups(gp_pools *p)
{
    p->order = gp_xmalloc((p->nrows + 1) * sizeof *p->order);
    for (size_t i = 0; i < p->nrows; i++) p->order[i] = i;
    sorting = p;
    if (p->nrows > 1) qsort(p->order, p->nrows, sizeof *p->order, compare_rows);
    p->groups = gp_xcalloc(p->nrows + 1, sizeof *p->groups);
    for (size_t i = 0; i < p->nrows;) {
        group *g = &p->groups[p->ngroups++];
        const row *first = &p->rows[p->order[i]];
        g->cohort = first->cohort;
        g->period = first->period;
        g->first = i;
        while (i < p->nrows && strcmp(p->rows[p->order[i]].cohort, g->cohort) == 0 &&
               strcmp(p->rows[p->order[i]].period, g->period) == 0)
            i++;
        g->count = i - g->first;
        g->members = gp_xmalloc((g->count + 1) * sizeof *g->members);
        g->occ = gp_xmalloc((g->count + 1) * sizeof *g->occ);
        g->nrt = gp_xmalloc((g->count + 1) * sizeof *g->nrt);
        for (size_t k = g->first; k < i; k++) {
            const row *w = &p->rows[p->order[k]];
            if (w->label >= 0) continue;
            g->occ[g->pool] = w->occ;
            g->nrt[g->pool] = w->nrt;
            g->members[g->pool++] = p->order[k];
        }
        gp_sort_doubles(g->occ, (size_t)g->pool);
        gp_sort_doubles(g->nrt, (size_t)g->pool);
    }
}

static void cuts_from_sorted(const group *g, double low, double high, gp_cuts *c)
{
    c->low = low;
    c->high = high;
    c->occ_low = gp_quantile_sorted(g->occ, (size_t)g->pool, low);
    c->occ_high = gp_quantile_sorted(g->occ, (size_t)g->pool, high);
    c->nrt_low = gp_quantile_sorted(g->nrt, (size_t)g->pool, low);
    c->nrt_high = gp_quantile_sorted(g->nrt, (size_t)g->pool, high);
}

static void bucket_group(gp_pools *p, group *g)
{
    long pool = g->pool;
    const saved_cuts *saved = p->saved_path ? find_saved(p, g->cohort, g->period) : NULL;
    if (saved) {
        pool = saved->pool;
        g->has_cuts = saved->has_cuts;
        g->cuts = saved->cuts;
    } else if (g->pool >= p->cfg.min_pool && g->pool > 0) {
        g->has_cuts = true;
        cuts_from_sorted(g, p->cfg.low, p->cfg.high, &g->cuts);
    }
    for (size_t k = g->first; k < g->first + g->count; k++) p->rows[p->order[k]].pool = pool;
    for (long m = 0; m < g->pool; m++) {
        row *w = &p->rows[g->members[m]];
        gp_buf b = {0};
        if (!g->has_cuts) {
            w->label = GP_B_SMALL_COHORT;
            if (saved)
                gp_buf_printf(&b, "the saved thresholds (%s) have no cuts for cohort %s: its pool had %ld agents",
                              p->saved_path, *g->cohort ? g->cohort : "(none)", saved->pool);
            else
                gp_reason_small_cohort(&b, g->cohort, g->pool, p->cfg.min_pool);
        } else {
            w->label = gp_bucket_classify(w->occ, w->nrt, &g->cuts);
            w->cuts = &g->cuts;
            gp_reason_bucket(&b, w->label, w->occ, w->nrt, &g->cuts, g->cohort, pool);
        }
        set_reason(w, &b);
    }
}

/* How many rows of G carry LABEL. */
static long group_count(const gp_pools *p, const group *g, int label)
{
    long n = 0;
    for (size_t k = g->first; k < g->first + g->count; k++) n += p->rows[p->order[k]].label == label;
    return n;
}

/* "3 insufficient_sample, 1 ramp_up": why a group's pool is empty. */
static void why_no_pool(const gp_pools *p, const group *g, gp_buf *b)
{
    gp_buf_printf(b, "no agent left in the pool: %ld insufficient_sample, %ld ramp_up",
                  group_count(p, g, GP_B_INSUFFICIENT), group_count(p, g, GP_B_RAMP_UP));
}

static void warn_empty_pools(const gp_pools *p)
{
    for (size_t i = 0; i < p->ngroups; i++) {
        const group *g = &p->groups[i];
        if (g->pool > 0) continue;
        gp_buf b = {0};
        why_no_pool(p, g, &b);
        gp_warn("cohort '%s', period '%s': %s; no cuts", g->cohort, g->period, gp_buf_cstr(&b));
        gp_buf_free(&b);
    }
}

void gp_pools_stats(const gp_pools *p)
{
    static const int order[] = {GP_B_GOOD, GP_B_AVERAGE, GP_B_POOR, GP_B_INSUFFICIENT, GP_B_RAMP_UP,
                                GP_B_SMALL_COHORT};
    for (size_t i = 0; i < p->ngroups; i++) {
        const group *g = &p->groups[i];
        gp_buf b = {0};
        gp_buf_printf(&b, "cohort '%s', period '%s': %zu agents, pool %ld;", g->cohort, g->period,
                      g->count, g->pool);
        for (int k = 0; k < GP_B_COUNT; k++)
            gp_buf_printf(&b, "%s %s %ld", k ? "," : "", gp_bucket_name(order[k]), group_count(p, g, order[k]));
        gp_warn("%s", gp_buf_cstr(&b));
        gp_buf_free(&b);
    }
}

void gp_pools_run(gp_pools *p)
{
    /* the default "role" without a roster puts everyone in the cohort "";
     * a field named with --cohort must exist somewhere */
    for (int i = 0; i < p->ncohort_fields && p->cfg.cohort_fields; i++)
        if (p->cohort_roster_col[i] < 0 && !p->cohort_field_seen[i] && p->nrows > 0)
            gp_die("--cohort: '%s' is neither a roster column nor a field of the input",
                   p->cohort_fields[i]);
    label_exclusions(p);
    make_groups(p);
    for (size_t i = 0; i < p->ngroups; i++) bucket_group(p, &p->groups[i]);
    warn_empty_pools(p);
}

/* ------------------------------------------------------------------ */
/* Output                                                               */

static bool is_json_number(const char *s, size_t n)
{
    char tmp[64];
    if (n == 0 || n >= sizeof tmp) return false;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *end;
    double v = strtod(tmp, &end);
    (void)v;
    return *end == '\0' && (tmp[0] == '-' || (tmp[0] >= '0' && tmp[0] <= '9')) &&
           !strpbrk(tmp, "xXnN") && !(tmp[0] == '0' && tmp[1] >= '0' && tmp[1] <= '9');
}

static bool numeric_column(const char *name)
{
    static const char *const numeric[] = {"shifts", "occupancy", "nrt_rate", "pool", "occ_low",
                                          "occ_high", "nrt_low", "nrt_high", NULL};
    size_t n = strlen(name);
    if (n > 5 && strcmp(name + n - 5, "_secs") == 0) return true;
    for (int i = 0; numeric[i]; i++)
        if (strcmp(name, numeric[i]) == 0) return true;
    return false;
}

/* The value of a ratio cell written again at --digits decimals. */
static bool rounded_ratio(const char *v, size_t n, double *out)
{
    char tmp[64];
    if (n == 0 || n >= sizeof tmp) return false;
    memcpy(tmp, v, n);
    tmp[n] = '\0';
    char *end;
    *out = strtod(tmp, &end);
    return *end == '\0' && isfinite(*out);
}

void gp_pools_write(gp_pools *p, gp_out *out, int format, int digits)
{
    if (p->ncolumns == 0) {
        /* no input row nor header: the columns of goccupy's rows */
        gp_occupancy_columns oc;
        gp_occupancy_columns_init(&oc, false, NULL, 0);
        for (int i = 0; i < oc.count; i++) column_index(p, oc.names[i], strlen(oc.names[i]));
        gp_occupancy_columns_free(&oc);
    }
    /* the roster's name, unless the rows carry one already */
    int name_col = -1;
    bool rows_have_name = false;
    for (int i = 0; i < p->ncolumns; i++) rows_have_name |= strcmp(p->columns[i], "name") == 0;
    if (p->roster_name >= 0 && !rows_have_name) name_col = column_index(p, "name", 4);
    static const char *const added[] = {"cohort", "bucket", "reason", "pool", "occ_low", "occ_high",
                                        "nrt_low", "nrt_high"};
    int col[8];
    for (int i = 0; i < 8; i++) col[i] = column_index(p, added[i], strlen(added[i]));
    gp_table *t = gp_table_new(out, format, (const char *const *)p->columns, p->ncolumns);
    gp_table_ratio_digits(t, digits);
    gp_table_header(t);
    for (size_t i = 0; i < p->nrows; i++) {
        const row *w = &p->rows[i];
        for (int k = 0; k < w->ncells; k++) {
            const cell *c = &p->cells[w->cell0 + (size_t)k];
            const char *v = p->arena.data + c->off;
            const char *column = p->columns[c->col];
            double ratio;
            if (digits >= 0 && (strcmp(column, "occupancy") == 0 || strcmp(column, "nrt_rate") == 0) &&
                c->kind != CELL_STRING && rounded_ratio(v, c->len, &ratio)) {
                gp_table_ratio(t, c->col, ratio, true);
                continue;
            }
            bool number = c->kind == CELL_RAW ||
                          (c->kind == CELL_TEXT && numeric_column(column) && is_json_number(v, c->len));
            if (number && (format == GP_FMT_JSON || c->kind != CELL_RAW || is_json_number(v, c->len))) {
                char *z = gp_xstrndup(v, c->len);
                gp_table_num(t, c->col, z);
                free(z);
            } else {
                gp_table_str(t, c->col, v, c->len);
            }
        }
        if (name_col >= 0 && w->agent) gp_table_strz(t, name_col, gp_roster_value(w->agent, p->roster_name));
        gp_table_strz(t, col[0], w->cohort);
        gp_table_strz(t, col[1], gp_bucket_name(w->label));
        gp_table_strz(t, col[2], w->reason ? w->reason : "");
        gp_table_int(t, col[3], w->pool);
        const gp_cuts *c = w->cuts;
        gp_table_ratio(t, col[4], c ? c->occ_low : 0, c != NULL);
        gp_table_ratio(t, col[5], c ? c->occ_high : 0, c != NULL);
        gp_table_ratio(t, col[6], c ? c->nrt_low : 0, c != NULL);
        gp_table_ratio(t, col[7], c ? c->nrt_high : 0, c != NULL);
        gp_table_end_row(t);
    }
    gp_table_free(t);
}

static void table_percent(gp_table *t, int col, double v)
{
    char num[32];
    gp_format_ratio(v, num);
    gp_table_num(t, col, num);
}

void gp_pools_write_thresholds(gp_pools *p, gp_out *out)
{
    static const char *const cols[] = {"cohort", "period", "pool", "low", "high", "occ_low",
                                       "occ_high", "nrt_low", "nrt_high", "note"};
    gp_table *t = gp_table_new(out, GP_FMT_CSV, cols, 10);
    gp_table_header(t);
    for (size_t i = 0; i < p->ngroups; i++) {
        const group *g = &p->groups[i];
        gp_table_strz(t, 0, g->cohort);
        gp_table_strz(t, 1, g->period);
        gp_table_int(t, 2, p->rows[p->order[g->first]].pool);
        table_percent(t, 3, g->has_cuts ? g->cuts.low : p->cfg.low);
        table_percent(t, 4, g->has_cuts ? g->cuts.high : p->cfg.high);
        gp_table_ratio(t, 5, g->cuts.occ_low, g->has_cuts);
        gp_table_ratio(t, 6, g->cuts.occ_high, g->has_cuts);
        gp_table_ratio(t, 7, g->cuts.nrt_low, g->has_cuts);
        gp_table_ratio(t, 8, g->cuts.nrt_high, g->has_cuts);
        if (!g->has_cuts) {
            /* say why the cuts are empty */
            gp_buf note = {0};
            if (g->pool == 0 && !p->saved_path) why_no_pool(p, g, &note);
            else if (p->saved_path) gp_buf_printf(&note, "no cuts in %s", p->saved_path);
            else gp_buf_printf(&note, "pool of %ld, under --min-pool %ld", g->pool, p->cfg.min_pool);
            gp_table_strz(t, 9, gp_buf_cstr(&note));
            gp_buf_free(&note);
        }
        gp_table_end_row(t);
    }
    gp_table_free(t);
}

/* ------------------------------------------------------------------ */
/* What-if sweep                                                        */

typedef struct range {
    double from, to, step;
} range;

static int parse_range(const char *s, size_t n, range *r)
{
    char tmp[64];
    if (n == 0 || n >= sizeof tmp) return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *end;
    r->from = strtod(tmp, &end);
    r->to = r->from;
    r->step = 1;
    if (*end == ':') {
        r->to = strtod(end + 1, &end);
        if (*end != ':') return -1;
        r->step = strtod(end + 1, &end);
    }
    if (*end || !(r->from >= 0 && r->to <= 100 && r->from <= r->to && r->step > 0)) return -1;
    return 0;
}

static int parse_sweep(const char *spec, range *low, range *high, gp_error *err)
{
    const char *comma = strchr(spec, ',');
    if (!comma || parse_range(spec, (size_t)(comma - spec), low) != 0 ||
        parse_range(comma + 1, strlen(comma + 1), high) != 0) {
        return gp_error_set(err, "--sweep: '%s' is not LOW:HIGH:STEP,LOW:HIGH:STEP with percentiles 0-100",
                            spec);
    }
    if ((low->to - low->from) / low->step > 1000 || (high->to - high->from) / high->step > 1000) {
        return gp_error_set(err, "--sweep: '%s' has too many steps", spec);
    }
    return 0;
}

int gp_pools_sweep_check(const char *spec, gp_error *err)
{
    range a, b;
    return parse_sweep(spec, &a, &b, err);
}

static void sweep_pair(gp_pools *p, double low, double high, gp_table *t)
{
    long count[GP_B_COUNT] = {0}, changed = 0;
    for (size_t i = 0; i < p->nrows; i++) {
        int label = p->rows[i].label;
        if (label == GP_B_INSUFFICIENT || label == GP_B_RAMP_UP) count[label]++;
    }
    for (size_t i = 0; i < p->ngroups; i++) {
        const group *g = &p->groups[i];
        bool cut = g->pool >= p->cfg.min_pool && g->pool > 0;
        gp_cuts c;
        if (cut) cuts_from_sorted(g, low, high, &c);
        for (long m = 0; m < g->pool; m++) {
            const row *w = &p->rows[g->members[m]];
            int label = cut ? gp_bucket_classify(w->occ, w->nrt, &c) : GP_B_SMALL_COHORT;
            count[label]++;
            if (label != w->label) changed++;
        }
    }
    table_percent(t, 0, low);
    table_percent(t, 1, high);
    static const int order[] = {GP_B_GOOD, GP_B_AVERAGE, GP_B_POOR, GP_B_INSUFFICIENT, GP_B_RAMP_UP,
                                GP_B_SMALL_COHORT};
    for (int k = 0; k < GP_B_COUNT; k++) gp_table_int(t, 2 + k, count[order[k]]);
    gp_table_int(t, 8, changed);
    gp_table_end_row(t);
}

void gp_pools_sweep(gp_pools *p, const char *spec, gp_out *out, int format)
{
    range low, high;
    gp_error err;
    if (parse_sweep(spec, &low, &high, &err) != 0) gp_usage_error("%s", err.msg);
    static const char *const cols[] = {"low", "high", "good", "average", "poor",
                                       "insufficient_sample", "ramp_up", "small_cohort", "changed"};
    gp_table *t = gp_table_new(out, format, cols, 9);
    /* steps are counted, not accumulated, so 0.1 steps do not drift */
    for (long i = 0; low.from + (double)i * low.step <= low.to + 1e-9; i++) {
        double lo = low.from + (double)i * low.step;
        for (long j = 0; high.from + (double)j * high.step <= high.to + 1e-9; j++) {
            double hi = high.from + (double)j * high.step;
            if (lo <= hi) sweep_pair(p, lo, hi, t);
        }
    }
    gp_table_free(t);
}

void gp_pools_free(gp_pools *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->nrows; i++) {
        row *w = &p->rows[i];
        free(w->period);
        free(w->cohort);
        free(w->reason);
    }
    for (size_t i = 0; i < p->ngroups; i++) {
        free(p->groups[i].members);
        free(p->groups[i].occ);
        free(p->groups[i].nrt);
    }
    for (size_t i = 0; i < p->nsaved; i++) {
        free(p->saved[i].cohort);
        free(p->saved[i].period);
    }
    for (int i = 0; i < p->ncolumns; i++) free(p->columns[i]);
    for (int i = 0; i < p->ncohort_fields; i++) free(p->cohort_fields[i]);
    free(p->cohort_fields);
    free(p->cohort_roster_col);
    free(p->cohort_field_seen);
    free(p->columns);
    free(p->saved);
    free(p->groups);
    free(p->order);
    free(p->rows);
    free(p->cells);
    gp_buf_free(&p->arena);
    free(p);
}
