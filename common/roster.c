/* roster.c - reading and looking up the agent roster (see roster.h). */
#include "roster.h"

#include <stdlib.h>
#include <string.h>

struct gp_roster {
    char **columns; /* canonical names, in order of first appearance */
    int ncolumns;
    int role_col, tz_col, returned_col, hire_col, org_col;
    gp_roster_agent *agents;
    size_t nagents, cap;
    size_t *slots; /* open addressing on user_id: index + 1, 0 = empty */
    size_t nslots;
};

/* ------------------------------------------------------------------ */
/* Roles                                                                */

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Split S on '+' into PARTS (pointers into the copy COPY), trimming blanks. */
static int split_roles(char *copy, char **parts, int max)
{
    int n = 0;
    for (char *p = copy; p && n < max;) {
        char *plus = strchr(p, '+');
        if (plus) *plus = '\0';
        while (*p == ' ' || *p == '\t') p++;
        size_t len = strlen(p);
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t')) p[--len] = '\0';
        if (len) parts[n++] = p;
        p = plus ? plus + 1 : NULL;
    }
    return n;
}

char *gp_roles_merge(const char *a, const char *b)
{
    enum { MAX_ROLES = 64 };
    char *copy_a = gp_xstrdup(a ? a : ""), *copy_b = gp_xstrdup(b ? b : "");
    char *parts[2 * MAX_ROLES];
    int n = split_roles(copy_a, parts, MAX_ROLES);
    n += split_roles(copy_b, parts + n, MAX_ROLES);
    if (n > 1) qsort(parts, (size_t)n, sizeof *parts, compare_strings);
    gp_buf out = {0};
    gp_buf_adds(&out, "");
    for (int i = 0; i < n; i++) {
        if (i > 0 && strcmp(parts[i], parts[i - 1]) == 0) continue;
        if (out.len) gp_buf_addc(&out, '+');
        gp_buf_adds(&out, parts[i]);
    }
    free(copy_a);
    free(copy_b);
    return (char *)gp_buf_cstr(&out);
}

/* ------------------------------------------------------------------ */
/* Lookup                                                               */

static size_t slot_of(const gp_roster *r, const char *user, size_t n)
{
    return (size_t)gp_hash(user, n, 0x5eed) & (r->nslots - 1);
}

static void index_agent(gp_roster *r, size_t agent)
{
    const char *id = r->agents[agent].user_id;
    size_t i = slot_of(r, id, strlen(id));
    while (r->slots[i]) i = (i + 1) & (r->nslots - 1);
    r->slots[i] = agent + 1;
}

static void grow_index(gp_roster *r)
{
    free(r->slots);
    r->nslots = r->nslots ? r->nslots * 2 : 64;
    r->slots = gp_xcalloc(r->nslots, sizeof *r->slots);
    for (size_t a = 0; a < r->nagents; a++) index_agent(r, a);
}

static bool same(const char *z, gp_str s)
{
    return strlen(z) == s.n && (s.n == 0 || memcmp(z, s.p, s.n) == 0);
}

/* The agent with exactly this (org, user_id), or NULL. */
static gp_roster_agent *find_exact(const gp_roster *r, gp_str org, gp_str user)
{
    if (!r->nslots) return NULL;
    for (size_t i = slot_of(r, user.p, user.n); r->slots[i]; i = (i + 1) & (r->nslots - 1)) {
        gp_roster_agent *a = &r->agents[r->slots[i] - 1];
        if (same(a->user_id, user) && same(a->org, org)) return a;
    }
    return NULL;
}

const gp_roster_agent *gp_roster_find(const gp_roster *r, gp_str org, gp_str user_id)
{
    if (!r) return NULL;
    const gp_roster_agent *a = find_exact(r, org, user_id);
    if (!a && org.n) a = find_exact(r, (gp_str){"", 0}, user_id);
    return a;
}

int gp_roster_column(const gp_roster *r, const char *name)
{
    if (!r) return -1;
    int id = gp_field_lookup(name, strlen(name));
    const char *canonical = id >= 0 ? gp_field_name(id) : name;
    for (int i = 0; i < r->ncolumns; i++)
        if (strcmp(r->columns[i], canonical) == 0) return i;
    return -1;
}

const char *gp_roster_value(const gp_roster_agent *a, int col)
{
    if (!a || col < 0 || col >= a->nvalues) return "";
    return a->values[col];
}

size_t gp_roster_count(const gp_roster *r) { return r ? r->nagents : 0; }

/* ------------------------------------------------------------------ */
/* Loading                                                              */

static int add_column(gp_roster *r, gp_str key)
{
    int id = gp_field_lookup(key.p, key.n);
    char *name = id >= 0 ? gp_xstrdup(gp_field_name(id)) : gp_xstrndup(key.p, key.n);
    for (int i = 0; i < r->ncolumns; i++)
        if (strcmp(r->columns[i], name) == 0) {
            free(name);
            return i;
        }
    r->columns = gp_xrealloc(r->columns, (size_t)(r->ncolumns + 1) * sizeof *r->columns);
    r->columns[r->ncolumns] = name;
    if (strcmp(name, "role") == 0) r->role_col = r->ncolumns;
    if (strcmp(name, "tz") == 0) r->tz_col = r->ncolumns;
    if (strcmp(name, "returned_on") == 0) r->returned_col = r->ncolumns;
    if (strcmp(name, "hire_date") == 0) r->hire_col = r->ncolumns;
    if (strcmp(name, "org") == 0) r->org_col = r->ncolumns;
    return r->ncolumns++;
}

static gp_roster_agent *new_agent(gp_roster *r, gp_str org, gp_str user)
{
    if ((r->nagents + 1) * 2 > r->nslots) grow_index(r);
    if (r->nagents == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->agents = gp_xrealloc(r->agents, r->cap * sizeof *r->agents);
    }
    gp_roster_agent *a = &r->agents[r->nagents];
    memset(a, 0, sizeof *a);
    a->user_id = gp_xstrndup(user.p ? user.p : "", user.n);
    a->org = gp_xstrndup(org.p ? org.p : "", org.n);
    a->returned_on = a->hire_date = GP_DATE_NONE;
    a->tz = "";
    index_agent(r, r->nagents++);
    return a;
}

/* Give A at least N values (new ones empty). */
static void ensure_values(gp_roster_agent *a, int n)
{
    if (n <= a->nvalues) return;
    a->values = gp_xrealloc(a->values, (size_t)n * sizeof *a->values);
    for (int i = a->nvalues; i < n; i++) a->values[i] = gp_xstrdup("");
    a->nvalues = n;
}

static void set_value(gp_roster_agent *a, int col, const char *v, size_t n)
{
    ensure_values(a, col + 1);
    free(a->values[col]);
    a->values[col] = gp_xstrndup(v, n);
}

static int64_t read_date(gp_record *rec, const char *field, gp_str v)
{
    int64_t ms;
    /* a full RFC 3339 time is accepted too: its UTC date counts */
    if (gp_date_parse(v.p, v.n, &ms) != 0 && gp_time_parse(v.p, v.n, &ms) != 0)
        gp_data_die(rec->file, rec->lineno, "field %s: not a date (YYYY-MM-DD) '%.*s'", field,
                    (int)(v.n > 40 ? 40 : v.n), v.p);
    return ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
}

/* Merge one cell of a roster row into agent A (see roster.h for the rules). */
static void merge_cell(gp_roster *r, gp_record *rec, gp_roster_agent *a, int col, gp_str v)
{
    const char *old = gp_roster_value(a, col);
    if (col == r->role_col) {
        char *cell = gp_xstrndup(v.p, v.n);
        char *merged = gp_roles_merge(old, cell);
        set_value(a, col, merged, strlen(merged));
        free(cell);
        free(merged);
        return;
    }
    if (v.n == 0) return;
    if (col == r->tz_col) {
        char zone[128];
        if (v.n >= sizeof zone) v.n = sizeof zone - 1;
        memcpy(zone, v.p, v.n);
        zone[v.n] = '\0';
        if (!gp_tz_valid(zone))
            gp_data_die(rec->file, rec->lineno, "field tz: unknown time zone '%s'", zone);
        if (*old && strcmp(old, zone) != 0)
            gp_data_die(rec->file, rec->lineno,
                        "field tz: agent %s is in '%s' on an earlier row, '%s' here", a->user_id,
                        old, zone);
        set_value(a, col, zone, strlen(zone));
        return;
    }
    if (col == r->returned_col || col == r->hire_col) {
        int64_t day = read_date(rec, r->columns[col], v);
        int64_t *keep = col == r->returned_col ? &a->returned_on : &a->hire_date;
        bool later = col == r->returned_col;
        if (*keep == GP_DATE_NONE || (later ? day > *keep : day < *keep)) {
            *keep = day;
            set_value(a, col, v.p, v.n);
        }
        return;
    }
    if (!*old) set_value(a, col, v.p, v.n);
}

static void add_row(gp_roster *r, gp_record *rec)
{
    gp_str user = gp_rec_get(rec, GP_F_USER_ID);
    if (user.n == 0) gp_data_die(rec->file, rec->lineno, "field user_id: missing");
    gp_str org = gp_rec_get(rec, GP_F_ORG);
    gp_roster_agent *a = find_exact(r, org, user);
    if (!a) a = new_agent(r, org, user);
    for (int i = 0; i < rec->nfields; i++) {
        int col = add_column(r, rec->fields[i].key);
        merge_cell(r, rec, a, col, gp_rec_value(rec, i));
    }
    a->tz = gp_roster_value(a, r->tz_col);
}

gp_roster *gp_roster_load(const char *path)
{
    gp_roster *r = gp_xcalloc(1, sizeof *r);
    r->role_col = r->tz_col = r->returned_col = r->hire_col = r->org_col = -1;
    char *files[] = {(char *)path, NULL};
    gp_reader *rd = gp_reader_new(files, GP_FMT_CSV);
    gp_record *rec;
    int got;
    while ((got = gp_reader_next(rd, &rec)) != 0) {
        if (got < 0) gp_data_die(rec->file, rec->lineno, "%s", gp_reader_error(rd));
        add_row(r, rec);
    }
    gp_reader_free(rd);
    /* every agent gets every column, so values[] can be indexed freely */
    for (size_t i = 0; i < r->nagents; i++) {
        gp_roster_agent *a = &r->agents[i];
        ensure_values(a, r->ncolumns);
        a->tz = gp_roster_value(a, r->tz_col);
    }
    return r;
}

void gp_roster_warn_no_tz(const gp_roster *r, const char *path, const char *zone, const char *what)
{
    if (!r || r->tz_col >= 0) return;
    if (zone)
        gp_warn("%s has no tz column: %s in %s (--tz)", path, what, zone);
    else
        gp_warn("%s has no tz column: %s in UTC (give --tz ZONE, or add a tz column, for local days)", path,
                what);
}

void gp_roster_free(gp_roster *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->nagents; i++) {
        gp_roster_agent *a = &r->agents[i];
        for (int c = 0; c < a->nvalues; c++) free(a->values[c]);
        free(a->values);
        free(a->user_id);
        free(a->org);
    }
    for (int c = 0; c < r->ncolumns; c++) free(r->columns[c]);
    free(r->columns);
    free(r->agents);
    free(r->slots);
    free(r);
}
