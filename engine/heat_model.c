/* heat_model.c - the agents gheat draws, as last read, and the view of
 * them that one picture shows.
 *
 * Input is goccupy or gbucket rows (one period is kept: --period, or the
 * latest label seen; a later one replaces what is held), or glive's ticks:
 * "type":"agent" records, then a "type":"tick" record that closes the
 * frame.  One entry per (org, user_id), replaced by the next record for
 * it: memory grows with agents, not with input. */
#include "heat.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

struct gh_model {
    gh_model_config cfg;
    gh_agent **slots; /* open addressing on (org, user_id) */
    size_t cap, count;
    char *period;     /* the period held ("" before the first row) */
    gh_tick tick;
};

static uint64_t agent_hash(gp_str org, gp_str user)
{
    return gp_hash(user.p, user.n, gp_hash(org.p, org.n, 0x9e3779b97f4a7c15u));
}

static void free_org(gh_org *o)
{
    free(o->org);
    free(o->status);
    free(o->last_record);
    free(o->disconnected_at);
}

/* The agent's string fields, in one table for freeing and copying. */
#define AGENT_NSTRINGS 9
static void agent_strings(gh_agent *a, char **out[AGENT_NSTRINGS])
{
    char **strings[AGENT_NSTRINGS] = {&a->org, &a->user_id, &a->name, &a->cohort, &a->period,
                                      &a->bucket, &a->routing_status, &a->presence, &a->since};
    memcpy(out, strings, sizeof strings);
}

static void free_agent_strings(gh_agent *a)
{
    char **strings[AGENT_NSTRINGS];
    agent_strings(a, strings);
    for (size_t i = 0; i < AGENT_NSTRINGS; i++) free(*strings[i]);
}

static void free_agent(gh_agent *a)
{
    if (!a) return;
    free_agent_strings(a);
    free(a);
}

gh_model *gh_model_new(const gh_model_config *config)
{
    gh_model *m = gp_xcalloc(1, sizeof *m);
    m->cfg = *config;
    m->cap = 1024;
    m->slots = gp_xcalloc(m->cap, sizeof *m->slots);
    m->period = gp_xstrdup(config->period ? config->period : "");
    return m;
}

static void clear_agents(gh_model *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        free_agent(m->slots[i]);
        m->slots[i] = NULL;
    }
    m->count = 0;
}

static void clear_orgs(gh_tick *t)
{
    for (size_t i = 0; i < t->norgs; i++) free_org(&t->orgs[i]);
    free(t->orgs);
    t->orgs = NULL;
    t->norgs = 0;
}

void gh_model_free(gh_model *m)
{
    if (!m) return;
    clear_agents(m);
    clear_orgs(&m->tick);
    free(m->slots);
    free(m->period);
    free(m);
}

const gh_tick *gh_model_tick(const gh_model *m) { return &m->tick; }
size_t gh_model_agents(const gh_model *m) { return m->count; }
const char *gh_model_period(const gh_model *m) { return m->period; }

/* The slot of (ORG, USER): the agent's, or the empty one it would take. */
static size_t find_slot(const gh_model *m, gp_str org, gp_str user)
{
    size_t mask = m->cap - 1, i = (size_t)agent_hash(org, user) & mask;
    for (;;) {
        const gh_agent *a = m->slots[i];
        if (!a || (strlen(a->org) == org.n && memcmp(a->org, org.p, org.n) == 0 &&
                   strlen(a->user_id) == user.n && memcmp(a->user_id, user.p, user.n) == 0))
            return i;
        i = (i + 1) & mask;
    }
}

static void grow(gh_model *m)
{
    gh_agent **old = m->slots;
    size_t old_cap = m->cap;
    m->cap *= 2;
    m->slots = gp_xcalloc(m->cap, sizeof *m->slots);
    for (size_t i = 0; i < old_cap; i++) {
        if (!old[i]) continue;
        gp_str org = {old[i]->org, strlen(old[i]->org)}, user = {old[i]->user_id, strlen(old[i]->user_id)};
        m->slots[find_slot(m, org, user)] = old[i];
    }
    free(old);
}

/* ------------------------------------------------------------------ */
/* Reading fields                                                      */
/* ------------------------------------------------------------------ */

static gp_str field_text(gp_record *r, const char *key)
{
    return gp_rec_value(r, gp_rec_find(r, key));
}

static char *field_strdup(gp_record *r, const char *key)
{
    gp_str v = field_text(r, key);
    return gp_xstrndup(v.p ? v.p : "", v.n);
}

/* A number field: 0 = read into *V, 1 = absent, null or empty, -1 = bad. */
static int field_number(gp_record *r, const char *key, double *v)
{
    int i = gp_rec_find(r, key);
    if (i < 0) return 1;
    unsigned kind = r->fields[i].kind;
    if (kind == GP_V_NULL || kind == GP_V_ABSENT) return 1;
    gp_str s = gp_rec_value(r, i);
    if (!s.p || s.n == 0) return 1;
    if (s.n >= 64 || (kind != GP_V_NUMBER && kind != GP_V_STRING)) return -1;
    char text[64];
    memcpy(text, s.p, s.n);
    text[s.n] = '\0';
    char *end;
    errno = 0;
    double d = strtod(text, &end);
    if (*end != '\0' || errno == ERANGE || !isfinite(d)) return -1;
    *v = d;
    return 0;
}

/* Labels order as dates and weeks do, by text; shift numbers by value. */
static int period_cmp(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    bool digits = na > 0 && nb > 0 && strspn(a, "0123456789") == na && strspn(b, "0123456789") == nb;
    if (digits && na != nb) return na < nb ? -1 : 1;
    return strcmp(a, b);
}

/* The numbers of an agent: occupancy, nrt_rate, ... into A. */
static int read_numbers(gh_model *m, gp_record *r, gh_agent *a, gp_error *err)
{
    static const char *const names[] = {"occupancy", "nrt_rate", "on_queue_secs", "tenure_days"};
    double *values[] = {&a->occupancy, &a->nrt_rate, &a->on_queue_secs, &a->tenure_days};
    bool *present[] = {&a->has_occupancy, &a->has_nrt_rate, &a->has_on_queue, &a->has_tenure};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        int got = field_number(r, names[i], values[i]);
        if (got < 0) return gp_error_set(err, "%s: not a number", names[i]);
        *present[i] = got == 0;
    }
    static const char *const secs[] = {"interacting_secs", "idle_secs"};
    int64_t *ms[] = {&a->interacting_ms, &a->idle_ms};
    for (size_t i = 0; i < 2; i++) {
        gp_str s = field_text(r, secs[i]);
        *ms[i] = -1;
        if (s.p && s.n && gp_secs_parse(s.p, s.n, ms[i]) != 0)
            return gp_error_set(err, "%s: not a number of seconds", secs[i]);
    }
    a->end = GP_TIME_NONE;
    if (gp_rec_time(r, GP_F_END, &a->end, err) < 0) return -1;
    return 0;
}

static gh_agent *read_agent(gh_model *m, gp_record *r, gp_error *err)
{
    gh_agent *a = gp_xcalloc(1, sizeof *a);
    if (read_numbers(m, r, a, err) != 0) {
        free(a);
        return NULL;
    }
    gp_str org = gp_rec_get(r, GP_F_ORG), user = gp_rec_get(r, GP_F_USER_ID);
    a->org = gp_xstrndup(org.p ? org.p : "", org.n);
    a->user_id = gp_xstrndup(user.p, user.n);
    a->name = field_strdup(r, "name");
    a->cohort = field_strdup(r, "cohort");
    a->period = field_strdup(r, "period");
    a->bucket = field_strdup(r, "bucket");
    a->routing_status = field_strdup(r, "routing_status");
    a->presence = field_strdup(r, "presence");
    a->since = field_strdup(r, "since");
    int stale = gp_rec_find(r, "stale");
    gp_str s = gp_rec_value(r, stale);
    a->stale = stale >= 0 && s.p && (gp_str_eqz(s, "true") || gp_str_eqz(s, "1"));
    if (stale >= 0 && r->format == GP_FMT_JSON && r->fields[stale].kind == GP_V_BOOL)
        a->stale = r->raw[r->fields[stale].vbeg] == 't';
    return a;
}

static void put_agent(gh_model *m, gh_agent *a)
{
    gp_str org = {a->org, strlen(a->org)}, user = {a->user_id, strlen(a->user_id)};
    size_t i = find_slot(m, org, user);
    if (m->slots[i]) {
        free_agent(m->slots[i]);
    } else {
        m->count++;
    }
    m->slots[i] = a;
    if (m->count * 2 > m->cap) grow(m);
}

/* ------------------------------------------------------------------ */
/* A tick's "orgs": {"us": {"status": "live", ...}, ...}                */
/* ------------------------------------------------------------------ */

static const char *skip_space(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    return p;
}

/* P at '"': the string's bytes (escapes kept) in *S; past it, or NULL. */
static const char *read_string(const char *p, const char *end, gp_str *s)
{
    if (p >= end || *p != '"') return NULL;
    const char *q = ++p;
    while (q < end && *q != '"') q += *q == '\\' ? 2 : 1;
    if (q >= end) return NULL;
    *s = (gp_str){p, (size_t)(q - p)};
    return q + 1;
}

/* Past one JSON value (any kind), or NULL. */
static const char *skip_value(const char *p, const char *end)
{
    gp_str s;
    if (p < end && *p == '"') return read_string(p, end, &s);
    int depth = 0;
    while (p < end) {
        char c = *p;
        if (c == '"') {
            p = read_string(p, end, &s);
            if (!p) return NULL;
            continue;
        }
        if (c == '{' || c == '[') depth++;
        else if (c == '}' || c == ']') {
            if (depth == 0) return p;
            if (--depth == 0) return p + 1;
        } else if (c == ',' && depth == 0) return p;
        p++;
    }
    return depth == 0 ? p : NULL;
}

/* Call MEMBER for each "key": value of the object at P; NULL when it is
 * not an object. */
typedef bool (*member_fn)(gp_str key, const char *value, const char *value_end, void *data);
static const char *each_member(const char *p, const char *end, member_fn member, void *data)
{
    p = skip_space(p, end);
    if (p >= end || *p != '{') return NULL;
    p = skip_space(p + 1, end);
    if (p < end && *p == '}') return p + 1;
    for (;;) {
        gp_str key;
        p = read_string(skip_space(p, end), end, &key);
        if (!p) return NULL;
        p = skip_space(p, end);
        if (p >= end || *p != ':') return NULL;
        const char *value = skip_space(p + 1, end);
        const char *after = skip_value(value, end);
        if (!after || !member(key, value, after, data)) return NULL;
        p = skip_space(after, end);
        if (p < end && *p == ',') {
            p++;
            continue;
        }
        if (p < end && *p == '}') return p + 1;
        return NULL;
    }
}

static bool org_field(gp_str key, const char *value, const char *end, void *data)
{
    gh_org *o = data;
    char **into = gp_str_eqz(key, "status") ? &o->status
                  : gp_str_eqz(key, "last_record") ? &o->last_record
                  : gp_str_eqz(key, "disconnected_at") ? &o->disconnected_at : NULL;
    gp_str s;
    if (into && *value == '"' && read_string(value, end, &s)) {
        free(*into);
        *into = gp_xstrndup(s.p, s.n);
    }
    return true;
}

static bool org_member(gp_str key, const char *value, const char *end, void *data)
{
    gh_tick *t = data;
    t->orgs = gp_xrealloc(t->orgs, (t->norgs + 1) * sizeof *t->orgs);
    gh_org *o = &t->orgs[t->norgs++];
    *o = (gh_org){.org = gp_xstrndup(key.p, key.n)};
    if (!each_member(value, end, org_field, o)) return false;
    if (!o->status) o->status = gp_xstrdup("");
    return true;
}

static int read_tick(gh_model *m, gp_record *r, gp_error *err)
{
    gh_tick *t = &m->tick;
    double v;
    int got = field_number(r, "occupancy", &v);
    if (got < 0) return gp_error_set(err, "%s: not a number", "occupancy");
    t->has_occupancy = got == 0;
    t->occupancy = got == 0 ? v : 0;
    if (field_number(r, "seq", &v) == 0) t->seq = (long long)v;
    gp_str at = field_text(r, "at");
    int64_t ms;
    if (!at.p || gp_time_parse(at.p, at.n, &ms) != 0) return gp_error_set(err, "%s: a tick needs a time in 'at'", "at");
    gp_time_format(ms, t->at);
    clear_orgs(t);
    int orgs = gp_rec_find(r, "orgs");
    if (orgs >= 0 && r->format == GP_FMT_JSON && r->fields[orgs].kind == GP_V_OTHER) {
        const gp_field *f = &r->fields[orgs];
        if (!each_member(r->raw + f->vbeg, r->raw + f->vend, org_member, t))
            return gp_error_set(err, "%s: not an object of org statuses", "orgs");
    }
    t->seen = true;
    return GH_IN_TICK;
}

int gh_model_add(gh_model *m, gp_record *r, gp_error *err)
{
    gp_str type = field_text(r, "type");
    bool agent_record = type.p && gp_str_eqz(type, "agent");
    if (type.p && gp_str_eqz(type, "tick")) return read_tick(m, r, err);
    if (type.p && type.n && !agent_record) return GH_IN_SKIPPED; /* gfetch stream's control records */
    gp_str user = gp_rec_get(r, GP_F_USER_ID);
    if (!user.p || user.n == 0) return gp_error_set(err, "%s", "no user_id");
    if (gp_rec_find(r, "occupancy") < 0)
        return gp_error_set(err, "%s", "no occupancy field: gheat draws goccupy or gbucket rows or glive ticks");
    gp_str period = field_text(r, "period");
    char label[128];
    snprintf(label, sizeof label, "%.*s", (int)(period.p ? period.n : 0), period.p ? period.p : "");
    if (m->cfg.period) {
        if (strcmp(label, m->cfg.period) != 0) return GH_IN_SKIPPED;
    } else if (!agent_record) { /* live agents carry each their own local date */
        int c = m->count ? period_cmp(label, m->period) : 1;
        if (c < 0) return GH_IN_SKIPPED;
        if (c > 0) {
            clear_agents(m);
            free(m->period);
            m->period = gp_xstrdup(label);
        }
    }
    gh_agent *a = read_agent(m, r, err);
    if (!a) return GH_IN_BAD;
    put_agent(m, a);
    return GH_IN_ROW;
}

/* ------------------------------------------------------------------ */
/* The view                                                            */
/* ------------------------------------------------------------------ */

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static const char *group_key(const gh_item *it, int by)
{
    if (by == GH_BY_ORG) return it->agent->org;
    if (by == GH_BY_COHORT) return it->cohort;
    return "";
}

/* The grouping the comparator below sorts by (qsort has no context). */
static int sorting_by;

static int compare_by_group_name(const void *a, const void *b)
{
    const gh_item *x = a, *y = b;
    int c = strcmp(group_key(x, sorting_by), group_key(y, sorting_by));
    if (c) return c;
    c = strcmp(x->agent->org, y->agent->org);
    return c ? c : strcmp(x->agent->user_id, y->agent->user_id);
}

static int compare_groups(const void *a, const void *b)
{
    const gh_group *x = a, *y = b;
    if (x->area != y->area) return x->area > y->area ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Agents within a group, largest first; ties by org, user_id. */
static int compare_items(const void *a, const void *b)
{
    const gh_item *x = a, *y = b;
    if (x->tenure_days != y->tenure_days) return x->tenure_days > y->tenure_days ? -1 : 1;
    int c = strcmp(x->agent->org, y->agent->org);
    return c ? c : strcmp(x->agent->user_id, y->agent->user_id);
}

/* Tenure from the roster's hire date to the period's end (or the tick's
 * time); -1 when unknown. */
static double roster_tenure(const gh_model *m, const gh_agent *a, const gp_roster_agent *ra)
{
    if (!ra || ra->hire_date == GP_DATE_NONE) return -1;
    int64_t end = a->end;
    if (end == GP_TIME_NONE && m->tick.seen) gp_time_parse(m->tick.at, strlen(m->tick.at), &end);
    if (end == GP_TIME_NONE) return -1;
    double days = floor((double)(end - ra->hire_date * 86400000LL) / 86400000.0);
    return days < 0 ? 0 : days;
}

static bool org_is_live(const gh_model *m, const char *org)
{
    for (size_t i = 0; i < m->tick.norgs; i++)
        if (strcmp(m->tick.orgs[i].org, org) == 0) return strcmp(m->tick.orgs[i].status, "live") == 0;
    return true;
}

static void resolve_item(const gh_model *m, gh_item *it, int name_col, int role_col)
{
    const gh_agent *a = it->agent;
    const gp_roster_agent *ra = NULL;
    if (m->cfg.roster)
        ra = gp_roster_find(m->cfg.roster, (gp_str){a->org, strlen(a->org)}, (gp_str){a->user_id, strlen(a->user_id)});
    it->name = *a->name ? a->name : *gp_roster_value(ra, name_col) ? gp_roster_value(ra, name_col) : a->user_id;
    it->cohort = *a->cohort ? a->cohort : gp_roster_value(ra, role_col);
    it->tenure_days = a->has_tenure ? a->tenure_days : roster_tenure(m, a, ra);
    it->tenure_default = it->tenure_days < 0;
    bool judged = strcmp(a->bucket, "insufficient_sample") != 0;
    it->band = gp_band_of(a->occupancy, a->has_occupancy && judged);
    it->stale = a->stale || !org_is_live(m, a->org);
}

/* Tenure for agents without one: the median of the known (rounded down). */
static double default_tenure(const gh_item *items, size_t n)
{
    double *known = gp_xmalloc((n + 1) * sizeof *known);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!items[i].tenure_default) known[k++] = items[i].tenure_days;
    double d = GH_DEFAULT_TENURE_DAYS;
    if (k) {
        qsort(known, k, sizeof *known, compare_doubles);
        d = floor(k % 2 ? known[k / 2] : (known[k / 2 - 1] + known[k / 2]) / 2);
    }
    free(known);
    return d;
}

static void floor_figures(gh_view *v, const gh_model *m)
{
    int64_t interacting = 0, idle = 0, latest_end = GP_TIME_NONE;
    for (size_t i = 0; i < v->nitems; i++) {
        const gh_agent *a = v->items[i].agent;
        if (a->interacting_ms >= 0 && a->idle_ms >= 0) {
            interacting += a->interacting_ms;
            idle += a->idle_ms;
        }
        if (a->end != GP_TIME_NONE && a->end > latest_end) latest_end = a->end;
        v->bands[v->items[i].band]++;
        v->stale += v->items[i].stale;
        v->tenure_defaults += v->items[i].tenure_default;
    }
    if (m->tick.seen) {
        v->has_occupancy = m->tick.has_occupancy;
        v->occupancy = m->tick.occupancy;
        snprintf(v->data_time, sizeof v->data_time, "%s", m->tick.at);
    } else {
        v->has_occupancy = interacting + idle > 0;
        v->occupancy = v->has_occupancy ? (double)interacting / (double)(interacting + idle) : 0;
        if (latest_end != GP_TIME_NONE) gp_time_format(latest_end, v->data_time);
    }
    snprintf(v->period, sizeof v->period, "%s", m->period);
}

static void layout(gh_view *v)
{
    size_t most = v->nitems > v->ngroups ? v->nitems : v->ngroups;
    double *areas = gp_xcalloc(most + 1, sizeof *areas);
    gh_rect *rects = gp_xmalloc((most + 1) * sizeof *rects);
    for (size_t g = 0; g < v->ngroups; g++) areas[g] = v->groups[g].area;
    gh_squarify(areas, v->ngroups, v->canvas, rects);
    for (size_t g = 0; g < v->ngroups; g++) {
        gh_group *grp = &v->groups[g];
        grp->rect = rects[g];
        gh_item *items = v->items + grp->first;
        for (size_t i = 0; i < grp->count; i++) areas[i] = items[i].tenure_days;
        gh_rect *inner = gp_xmalloc((grp->count + 1) * sizeof *inner);
        gh_squarify(areas, grp->count, grp->rect, inner);
        for (size_t i = 0; i < grp->count; i++) items[i].rect = inner[i];
        free(inner);
    }
    free(areas);
    free(rects);
}

void gh_view_build(gh_view *v, const gh_model *m, const gh_view_config *config)
{
    memset(v, 0, sizeof *v);
    v->canvas = config->canvas;
    v->items = gp_xcalloc(m->count + 1, sizeof *v->items);
    int name_col = m->cfg.roster ? gp_roster_column(m->cfg.roster, "name") : -1;
    int role_col = m->cfg.roster ? gp_roster_column(m->cfg.roster, "role") : -1;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slots[i]) continue;
        gh_item *it = &v->items[v->nitems++];
        it->agent = m->slots[i];
        resolve_item(m, it, name_col, role_col);
    }
    v->default_tenure = default_tenure(v->items, v->nitems);
    for (size_t i = 0; i < v->nitems; i++) {
        gh_item *it = &v->items[i];
        if (it->tenure_default) it->tenure_days = v->default_tenure;
        if (it->tenure_days < 1) it->tenure_days = 1; /* hired today still shows */
    }
    /* groups: gather by name, order by area, then lay agents out inside */
    sorting_by = config->by;
    qsort(v->items, v->nitems, sizeof *v->items, compare_by_group_name);
    v->groups = gp_xcalloc(v->nitems + 1, sizeof *v->groups);
    for (size_t i = 0; i < v->nitems; i++) {
        const char *name = group_key(&v->items[i], config->by);
        if (v->ngroups == 0 || strcmp(v->groups[v->ngroups - 1].name, name) != 0)
            v->groups[v->ngroups++] = (gh_group){.name = name, .first = i};
        gh_group *g = &v->groups[v->ngroups - 1];
        g->count++;
        g->area += v->items[i].tenure_days;
    }
    qsort(v->groups, v->ngroups, sizeof *v->groups, compare_groups);
    gh_item *ordered = gp_xcalloc(v->nitems + 1, sizeof *ordered);
    size_t k = 0;
    for (size_t g = 0; g < v->ngroups; g++) {
        gh_group *grp = &v->groups[g];
        memcpy(ordered + k, v->items + grp->first, grp->count * sizeof *ordered);
        grp->first = k;
        for (size_t i = 0; i < grp->count; i++) ordered[k + i].group = (int)g;
        qsort(ordered + k, grp->count, sizeof *ordered, compare_items);
        k += grp->count;
    }
    free(v->items);
    v->items = ordered;
    layout(v);
    floor_figures(v, m);
}

/* P, a string of agent FROM (or of the roster), as the same string of TO. */
static const char *moved(const char *p, gh_agent *from, gh_agent *to)
{
    char **old[AGENT_NSTRINGS], **new[AGENT_NSTRINGS];
    agent_strings(from, old);
    agent_strings(to, new);
    for (size_t i = 0; i < AGENT_NSTRINGS; i++)
        if (p == *old[i]) return *new[i];
    return p;
}

void gh_view_detach(gh_view *v)
{
    if (v->owned) return;
    v->owned = gp_xcalloc(v->nitems + 1, sizeof *v->owned);
    for (size_t i = 0; i < v->nitems; i++) {
        gh_item *it = &v->items[i];
        gh_agent *from = (gh_agent *)it->agent, *to = &v->owned[i];
        *to = *from;
        char **strings[AGENT_NSTRINGS];
        agent_strings(to, strings);
        for (size_t k = 0; k < AGENT_NSTRINGS; k++) *strings[k] = gp_xstrdup(*strings[k]);
        gh_group *g = &v->groups[it->group];
        g->name = moved(g->name, from, to);
        it->name = moved(it->name, from, to);
        it->cohort = moved(it->cohort, from, to);
        it->agent = to;
    }
}

void gh_view_free(gh_view *v)
{
    for (size_t i = 0; v->owned && i < v->nitems; i++) free_agent_strings(&v->owned[i]);
    free(v->owned);
    free(v->items);
    free(v->groups);
    memset(v, 0, sizeof *v);
}
