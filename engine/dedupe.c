/* dedupe.c - the one way gpulse drops duplicates (gdedupe; gfetch's
 * batches): keys, the held sets, the canonical order check, and the
 * pieces of a segment the API repeats.
 *
 * On canonical input (the default) a key can only repeat within its user
 * (within its start, for the default key), so the keys held are forgotten
 * as the order moves on and memory stays bounded.  With .unsorted every
 * distinct key is held: the default key as 16 bytes (start and the numbers
 * of its user and its status), any other key as its bytes. */
#include "dedupe.h"

#include "keyset.h"
#include "segment.h"

#include <stdlib.h>
#include <string.h>

typedef struct key_field {
    char *name;
    int id; /* gp_field_id, or GP_F_UNKNOWN: matched by name */
} key_field;

typedef struct same_start_entry {
    int timeline;
    size_t len;
    char status[64];
} same_start_entry;

/* drop_within: the last segment kept of a (timeline, status) of the
 * current user. */
typedef struct kept_segment {
    same_start_entry name;
    int64_t start, end, secs;
} kept_segment;

struct gp_dedupe {
    bool sorted; /* canonical order: the config's !unsorted */
    bool default_key;
    key_field *fields;
    int nfields;
    bool key_has_user, key_has_org, key_has_start;
    gp_keyset *seen;
    gp_buf key;
    size_t most_held;
    /* unsorted, default key: the keys, their users and statuses numbered */
    gp_segkeyset *held;
    gp_intern *users, *statuses;
    /* sorted with the default key: the (timeline, status) pairs seen at
     * the current (org, user_id, start); an earlier start cannot recur, so
     * these few are all the keys that can still repeat */
    same_start_entry *same_start;
    size_t nsame, same_cap;
    /* drop_within: per (timeline, status) of the current user */
    bool drop_within;
    kept_segment *kept;
    size_t nkept, kept_cap;
    /* sorted: the group last seen */
    bool have_prev;
    gp_buf prev_org, prev_user;
    int64_t prev_start;
};

static void parse_key_fields(gp_dedupe *d, const char *list)
{
    const char *p = list;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n == 0) gp_usage_error("empty field name in key '%s'", list);
        d->fields = gp_xrealloc(d->fields, (size_t)(d->nfields + 1) * sizeof *d->fields);
        key_field *f = &d->fields[d->nfields++];
        f->name = gp_xstrndup(p, n);
        f->id = gp_field_lookup(p, n);
        if (f->id == GP_F_USER_ID) d->key_has_user = true;
        if (f->id == GP_F_ORG) d->key_has_org = true;
        if (f->id == GP_F_START) d->key_has_start = true;
        p += n;
        if (*p == ',') p++;
    }
    if (d->nfields == 0) gp_usage_error("the key needs at least one field");
}

gp_dedupe *gp_dedupe_new(const gp_dedupe_config *config)
{
    gp_dedupe *d = gp_xcalloc(1, sizeof *d);
    d->sorted = !config->unsorted;
    d->drop_within = config->drop_within;
    if (d->drop_within && (!d->sorted || config->key_fields))
        gp_die("internal error: drop_within needs sorted input and the contract's key");
    if (config->key_fields) {
        parse_key_fields(d, config->key_fields);
    } else {
        d->default_key = true;
        d->key_has_user = d->key_has_org = d->key_has_start = true;
    }
    if (d->default_key && !d->sorted) {
        d->held = gp_segkeyset_new();
        d->users = gp_intern_new();
        d->statuses = gp_intern_new();
    } else {
        d->seen = gp_keyset_new();
    }
    return d;
}

void gp_dedupe_free(gp_dedupe *d)
{
    if (!d) return;
    for (int i = 0; i < d->nfields; i++) free(d->fields[i].name);
    free(d->fields);
    gp_keyset_free(d->seen);
    gp_segkeyset_free(d->held);
    gp_intern_free(d->users);
    gp_intern_free(d->statuses);
    gp_buf_free(&d->key);
    free(d->same_start);
    free(d->kept);
    gp_buf_free(&d->prev_org);
    gp_buf_free(&d->prev_user);
    free(d);
}

/* Each key part is written as its length then its bytes, so that
 * ("ab","c") and ("a","bc") differ. */
static void key_part(gp_buf *k, const void *p, size_t n)
{
    uint32_t len = (uint32_t)n;
    if (k->cap - k->len <= n + sizeof len) gp_buf_reserve(k, n + sizeof len);
    memcpy(k->data + k->len, &len, sizeof len);
    if (n) memcpy(k->data + k->len + sizeof len, p, n);
    k->len += n + sizeof len;
}

/* Unsorted, default key: S's key as numbers. */
static gp_segkey number_key(gp_dedupe *d, const gp_segment *s)
{
    gp_buf *k = &d->key;
    k->len = 0;
    key_part(k, s->org.p, s->org.n);
    key_part(k, s->user.p, s->user.n);
    uint32_t user = gp_intern_id(d->users, k->data, k->len);
    /* the timeline's letter goes in front of the status: R or P */
    char status[72];
    status[0] = s->timeline == GP_TL_ROUTING ? 'R' : 'P';
    memcpy(status + 1, s->status, s->status_len);
    return (gp_segkey){s->start, user, gp_intern_id(d->statuses, status, s->status_len + 1)};
}

static int build_custom_key(gp_dedupe *d, gp_record *r, gp_error *err)
{
    gp_buf *k = &d->key;
    k->len = 0;
    for (int i = 0; i < d->nfields; i++) {
        key_field *f = &d->fields[i];
        int idx = f->id >= 0 ? r->known[f->id] : gp_rec_find(r, f->name);
        if (idx < 0) {
            gp_buf_addc(k, 'A'); /* absent differs from empty */
            continue;
        }
        gp_buf_addc(k, 'V');
        if (f->id == GP_F_START || f->id == GP_F_END) {
            int64_t ms;
            int got = gp_rec_time(r, f->id, &ms, err);
            if (got < 0) return -1;
            if (got == 0) {
                key_part(k, &ms, sizeof ms);
                continue;
            }
        } else if (f->id == GP_F_ROUTING_STATUS || f->id == GP_F_PRESENCE) {
            char status[64];
            size_t n;
            int got = gp_rec_status(r, f->id, status, &n, err);
            if (got < 0) return -1;
            if (got == 0) {
                key_part(k, status, n);
                continue;
            }
        }
        gp_str v = gp_rec_value(r, idx);
        key_part(k, v.p, v.n);
    }
    return 0;
}

/* Keys that can no longer repeat are dropped. */
static void forget_keys(gp_dedupe *d)
{
    gp_keyset_clear(d->seen);
    d->nsame = 0;
}

static void set_prev(gp_dedupe *d, gp_str org, gp_str user, int64_t start)
{
    d->prev_org.len = d->prev_user.len = 0;
    gp_buf_add(&d->prev_org, org.p, org.n);
    gp_buf_add(&d->prev_user, user.p, user.n);
    d->prev_start = start;
    d->have_prev = true;
}

/* Sorted: check the order and forget keys that can no longer repeat. */
static int follow_order(gp_dedupe *d, gp_str org, gp_str user, int64_t start, gp_error *err)
{
    gp_str prev_org = {d->prev_org.data, d->prev_org.len};
    gp_str prev_user = {d->prev_user.data, d->prev_user.len};
    if (!d->have_prev) {
        set_prev(d, org, user, start);
        return 0;
    }
    int c = gp_str_cmp(org, prev_org);
    if (c == 0) c = gp_str_cmp(user, prev_user);
    if (c < 0 || (c == 0 && start < d->prev_start)) {
        char t[GP_TIME_LEN + 1];
        gp_time_format(start, t);
        return gp_error_set(err,
                            "input not in (org, user_id, start) order: user_id '%.*s' start %s comes after user_id '%.*s'",
                            (int)(user.n > 60 ? 60 : user.n), user.p, t,
                            (int)(prev_user.n > 60 ? 60 : prev_user.n), prev_user.p);
    }
    bool new_group = c > 0;
    bool org_safe = d->key_has_org || (org.n == 0 && prev_org.n == 0);
    if (new_group && d->key_has_user && org_safe) forget_keys(d);
    else if (!new_group && start != d->prev_start && d->key_has_start && d->key_has_user && org_safe)
        forget_keys(d);
    if (new_group) {
        set_prev(d, org, user, start);
        d->nkept = 0;
    } else {
        d->prev_start = start;
    }
    return 0;
}

/* (timeline, status) as a key of the hashed set (status_len < 64). */
static bool insert_hashed_status(gp_dedupe *d, int timeline, const char *status, size_t len)
{
    char key[1 + 64];
    key[0] = (char)('0' + timeline);
    memcpy(key + 1, status, len);
    return gp_keyset_insert(d->seen, key, len + 1);
}

/* A start holds a few statuses: they are scanned.  Past SAME_START_SCAN
 * (hostile or odd input: 80k distinct statuses at one start) they go to
 * the hashed set, so a group costs linear time, not quadratic. */
enum { SAME_START_SCAN = 16 };

static bool same_name(const same_start_entry *e, const gp_segment *s)
{
    return e->timeline == s->timeline && e->len == s->status_len && memcmp(e->status, s->status, s->status_len) == 0;
}

static void set_name(same_start_entry *e, const gp_segment *s)
{
    e->timeline = s->timeline;
    e->len = s->status_len;
    memcpy(e->status, s->status, s->status_len);
}

/* Sorted, default key: is S's (timeline, status) new at this start? */
static bool insert_same_start(gp_dedupe *d, const gp_segment *s)
{
    if (d->nsame >= SAME_START_SCAN) {
        if (!insert_hashed_status(d, s->timeline, s->status, s->status_len)) return false;
        d->nsame++;
        return true;
    }
    for (size_t i = 0; i < d->nsame; i++)
        if (same_name(&d->same_start[i], s)) return false;
    if (d->nsame == d->same_cap) {
        d->same_cap = d->same_cap ? d->same_cap * 2 : 8;
        d->same_start = gp_xrealloc(d->same_start, d->same_cap * sizeof *d->same_start);
    }
    set_name(&d->same_start[d->nsame++], s);
    if (d->nsame == SAME_START_SCAN) /* from now on hashed: the scanned ones too */
        for (size_t i = 0; i < d->nsame; i++)
            insert_hashed_status(d, d->same_start[i].timeline, d->same_start[i].status, d->same_start[i].len);
    return true;
}

/* drop_within: does KEPT (earlier in canonical order, same user, timeline
 * and status) cover S? */
static bool lies_within(const kept_segment *kept, const gp_segment *s)
{
    if (s->secs != GP_TIME_NONE || kept->secs != GP_TIME_NONE) /* interval rows: exact repeats only */
        return kept->start == s->start && kept->end == s->end && kept->secs == s->secs;
    if (kept->end == GP_TIME_NONE) return true; /* open: covers everything after its start */
    if (s->end == GP_TIME_NONE) return false;
    return s->start >= kept->start && s->end <= kept->end;
}

/* drop_within: false when S lies within the last kept segment of its
 * (timeline, status); else S becomes that segment. */
static bool keep_unless_within(gp_dedupe *d, const gp_segment *s)
{
    kept_segment *k = NULL;
    for (size_t i = 0; i < d->nkept && !k; i++)
        if (same_name(&d->kept[i].name, s)) k = &d->kept[i];
    if (k && lies_within(k, s)) return false;
    if (!k) {
        if (d->nkept == d->kept_cap) {
            d->kept_cap = d->kept_cap ? d->kept_cap * 2 : 8;
            d->kept = gp_xrealloc(d->kept, d->kept_cap * sizeof *d->kept);
        }
        k = &d->kept[d->nkept++];
        set_name(&k->name, s);
    }
    k->start = s->start;
    k->end = s->end;
    k->secs = s->secs;
    return true;
}

static void note_held(gp_dedupe *d, size_t held)
{
    if (held > d->most_held) d->most_held = held;
}

/* Any key other than the default one, in either order. */
static int check_custom(gp_dedupe *d, gp_record *r, gp_error *err)
{
    if (build_custom_key(d, r, err) != 0) return GP_DEDUPE_BAD;
    if (d->sorted) {
        gp_str org = gp_rec_get(r, GP_F_ORG);
        gp_str user = gp_rec_get(r, GP_F_USER_ID);
        int64_t start;
        int got = gp_rec_time(r, GP_F_START, &start, err);
        if (got < 0) return GP_DEDUPE_BAD;
        if (got > 0 || user.n == 0) {
            gp_error_set(err, "field %s: missing (the canonical order needs user_id and start; --unsorted does not)",
                         user.n == 0 ? "user_id" : "start");
            return GP_DEDUPE_BAD;
        }
        if (follow_order(d, org, user, start, err) != 0) return GP_DEDUPE_UNSORTED;
    }
    if (!gp_keyset_insert(d->seen, d->key.data, d->key.len)) return GP_DEDUPE_DUPLICATE;
    note_held(d, gp_keyset_count(d->seen));
    return GP_DEDUPE_NEW;
}

int gp_dedupe_segment(gp_dedupe *d, const gp_segment *s, gp_error *err)
{
    if (!d->default_key) gp_die("internal error: gp_dedupe_segment needs the contract's key");
    if (!d->sorted) {
        if (!gp_segkeyset_insert(d->held, number_key(d, s))) return GP_DEDUPE_DUPLICATE;
        note_held(d, gp_segkeyset_count(d->held));
        return GP_DEDUPE_NEW;
    }
    /* the common case, without building a key: within one (org, user_id,
     * start) only the timeline and status tell records apart */
    if (follow_order(d, s->org, s->user, s->start, err) != 0) return GP_DEDUPE_UNSORTED;
    if (d->drop_within) {
        if (!keep_unless_within(d, s)) return GP_DEDUPE_DUPLICATE;
        note_held(d, d->nkept);
        return GP_DEDUPE_NEW;
    }
    if (!insert_same_start(d, s)) return GP_DEDUPE_DUPLICATE;
    note_held(d, d->nsame);
    return GP_DEDUPE_NEW;
}

int gp_dedupe_check(gp_dedupe *d, gp_record *r, gp_error *err)
{
    if (!d->default_key) return check_custom(d, r, err);
    gp_segment s;
    if (gp_segment_read_key(r, &s, err) != 0) return GP_DEDUPE_BAD;
    return gp_dedupe_segment(d, &s, err);
}

size_t gp_dedupe_most_held(const gp_dedupe *d) { return d->most_held; }
