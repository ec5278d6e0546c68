/* segment.c - reading the contract's segment fields out of a record. */
#include "segment.h"

#include "bytescan.h"

#include <stdlib.h>
#include <string.h>

static int missing(const char *field, gp_error *err) { return gp_error_set(err, "field %s: missing", field); }

static int read_shift(gp_record *r, gp_segment *s, gp_error *err)
{
    s->shift = -1;
    int i = r->known[GP_F_SHIFT];
    if (i < 0) {
        /* a CSV's empty shift cell is "between shifts", not "no gshift";
         * whether a column is shift, the reader found once per header */
        if (r->format != GP_FMT_CSV) return 0;
        if (r->csv_header_stamp) {
            if (r->csv_has_shift) s->shift = 0;
            return 0;
        }
        for (int k = 0; k < r->nfields; k++)
            if (r->fields[k].id == GP_F_SHIFT) s->shift = 0;
        return 0;
    }
    gp_str v = gp_rec_value(r, i);
    if (v.n == 0) {
        s->shift = 0;
        return 0;
    }
    long n = 0;
    for (size_t k = 0; k < v.n; k++) {
        if (v.p[k] < '0' || v.p[k] > '9' || n > 100000000) {
            return gp_error_set(err, "field shift: not a shift number '%.*s'", (int)(v.n > 40 ? 40 : v.n),
                                v.p);
        }
        n = n * 10 + (v.p[k] - '0');
    }
    s->shift = (int)n;
    return 0;
}

/* The status field ID into S, as gp_rec_status (0, 1 when absent, -1
 * bad); a value in canonical form already, nearly every one, is copied
 * here without the calls. */
static inline int read_status(gp_record *r, int id, gp_segment *s, gp_error *err)
{
    int i = r->known[id];
    if (i >= 0 && r->fields[i].kind == GP_V_STRING) {
        gp_str v = gp_rec_value(r, i);
        if (gp_status_copy_canonical(v.p, v.n, s->status)) {
            s->status_len = v.n;
            return 0;
        }
    }
    return gp_rec_status(r, id, s->status, &s->status_len, err);
}

/* What identifies the segment besides its start: user_id, org, the
 * timeline and its status. */
static inline int read_identity(gp_record *r, gp_segment *s, gp_error *err)
{
    s->user = gp_rec_get(r, GP_F_USER_ID);
    if (s->user.n == 0) return missing("user_id", err);
    s->org = gp_rec_get(r, GP_F_ORG);
    int got = read_status(r, GP_F_ROUTING_STATUS, s, err);
    if (got < 0) return -1;
    if (got == 0) {
        s->timeline = GP_TL_ROUTING;
        if (gp_rec_kind(r, GP_F_PRESENCE) != GP_V_ABSENT && gp_rec_get(r, GP_F_PRESENCE).n > 0) {
            return gp_error_set(err, "fields routing_status and presence: a segment has one or the other");
        }
    } else {
        got = read_status(r, GP_F_PRESENCE, s, err);
        if (got < 0) return -1;
        if (got > 0) return missing("routing_status or presence", err);
        s->timeline = GP_TL_PRESENCE;
    }
    return 0;
}

int gp_segment_read_key(gp_record *r, gp_segment *s, gp_error *err)
{
    if (read_identity(r, s, err) != 0) return -1;
    int got = gp_rec_time(r, GP_F_START, &s->start, err);
    if (got < 0) return -1;
    if (got > 0) return missing("start", err);
    return 0;
}

/* Start and end both strings in the canonical form, as nearly every record
 * has them: parsed in one call.  False for anything else, which then goes
 * the careful way (and gets its message there). */
static bool read_canonical_times(gp_record *r, gp_segment *s)
{
    int i = r->known[GP_F_START], j = r->known[GP_F_END];
    if (i < 0 || j < 0 || r->fields[i].kind != GP_V_STRING || r->fields[j].kind != GP_V_STRING) return false;
    gp_str start = gp_rec_value(r, i), end = gp_rec_value(r, j);
    return gp_time_parse_pair(start.p, start.n, end.p, end.n, &s->start, &s->end);
}

int gp_segment_read(gp_record *r, gp_segment *s, gp_error *err)
{
    int got;
    if (read_canonical_times(r, s)) {
        if (read_identity(r, s, err) != 0) return -1;
    } else {
        if (gp_segment_read_key(r, s, err) != 0) return -1;
        got = gp_rec_time(r, GP_F_END, &s->end, err);
        if (got < 0) return -1;
        if (got > 0) s->end = GP_TIME_NONE;
    }
    if (s->end != GP_TIME_NONE && s->end < s->start) {
        char a[GP_TIME_LEN + 1], b[GP_TIME_LEN + 1];
        gp_time_format(s->start, a);
        gp_time_format(s->end, b);
        return gp_error_set(err, "field end: '%s' is before start '%s'", b, a);
    }
    got = gp_rec_secs(r, GP_F_SECS, &s->secs, err);
    if (got < 0) return -1;
    if (got > 0) s->secs = GP_TIME_NONE;
    else if (!gp_time_in_range(s->start + s->secs))
        return gp_error_set(err, "field secs: start + secs ends past 9999-12-31T23:59:59.999Z");
    return read_shift(r, s, err);
}

/* Asked of every record by every filter: the first field named "type",
 * found without strlen or memcmp calls (the key compared as one word); in
 * a CSV row, the column the reader found once for the header. */
bool gp_is_control_record(const gp_record *r)
{
    if (r->format == GP_FMT_CSV && r->csv_header_stamp) { /* the reader found the column */
        int i = r->csv_type_field;
        return i >= 0 && r->fields[i].kind != GP_V_ABSENT && r->fields[i].kind != GP_V_NULL;
    }
    uint32_t type;
    memcpy(&type, "type", 4);
    for (int i = 0; i < r->nfields; i++) {
        const gp_field *f = &r->fields[i];
        if (f->key.n != 4) continue;
        uint32_t key;
        memcpy(&key, f->key.p, 4);
        if (key == type) return f->kind != GP_V_ABSENT && f->kind != GP_V_NULL;
    }
    return false;
}

int64_t gp_segment_duration(const gp_segment *s)
{
    if (s->secs != GP_TIME_NONE) return s->secs;
    if (s->end != GP_TIME_NONE) return s->end - s->start;
    return -1;
}
