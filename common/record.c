/* record.c - a record's fields: their values, decoded or as written, and
 * the typed getters (times, seconds, statuses) the tools read them with. */
#include "reader_impl.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Field access                                                         */

gp_str gp_rec_value_decoded(gp_record *r, int i)
{
    gp_str v = {NULL, 0};
    if (i < 0 || i >= r->nfields) return v;
    gp_field *f = &r->fields[i];
    if (r->format == GP_FMT_CSV) return r->cells[i];
    if (f->kind == GP_V_NULL || f->kind == GP_V_ABSENT) return v;
    const char *p = r->raw + f->vbeg;
    size_t n = f->vend - f->vbeg;
    if (f->kind != GP_V_STRING) {
        v.p = p;
        v.n = n;
        return v;
    }
    p++;
    n -= 2;
    if (!f->escaped) {
        v.p = n ? p : NULL;
        v.n = n;
        return v;
    }
    if (r->ndecoded_fields == 0) { /* the record's first decode */
        if (r->decoded_cap < r->nfields) {
            r->decoded_cap = r->fields_cap;
            free(r->decoded);
            r->decoded = gp_xmalloc((size_t)r->decoded_cap * sizeof *r->decoded);
        }
        memset(r->decoded, 0, (size_t)r->nfields * sizeof *r->decoded);
        r->ndecoded_fields = r->nfields;
        if (r->scratch.cap < r->raw_len + 1) gp_buf_reserve(&r->scratch, r->raw_len + 1);
    }
    if (r->decoded[i].p) return r->decoded[i];
    /* Decoded strings share one scratch area sized for the whole record:
     * decoding never grows a string and each field is decoded at most once,
     * so the area never moves and earlier views stay valid. */
    char *o = r->scratch.data + r->scratch.len;
    size_t len = gp_json_unescape(p, n, o);
    r->scratch.len += len;
    v.p = o;
    v.n = len;
    r->decoded[i] = v;
    return v;
}

int gp_rec_kind(const gp_record *r, int id)
{
    int i = r->known[id];
    return i < 0 ? GP_V_ABSENT : r->fields[i].kind;
}

int gp_rec_find(const gp_record *r, const char *key)
{
    size_t n = strlen(key);
    for (int i = 0; i < r->nfields; i++)
        if (r->fields[i].key.n == n && memcmp(r->fields[i].key.p, key, n) == 0) return i;
    return -1;
}

/* Quote a value for a message: at most 60 bytes, control chars shown as '?'. */
static void describe_value(char *out, size_t size, gp_str v)
{
    size_t n = v.n > 60 ? 60 : v.n, j = 0;
    for (size_t i = 0; i < n && j + 1 < size; i++)
        out[j++] = (unsigned char)v.p[i] < 0x20 ? '?' : v.p[i];
    if (v.n > 60 && j + 4 < size) { memcpy(out + j, "...", 3); j += 3; }
    out[j] = '\0';
}

static int bad_value(gp_record *r, int id, const char *what, gp_error *err)
{
    char shown[80];
    gp_str v = gp_rec_get(r, id);
    int i = r->known[id];
    if (r->format == GP_FMT_JSON && i >= 0 && r->fields[i].kind != GP_V_STRING) {
        v.p = r->raw + r->fields[i].vbeg;
        v.n = r->fields[i].vend - r->fields[i].vbeg;
    }
    describe_value(shown, sizeof shown, v);
    return gp_error_set(err, "field %s: %s '%s'", gp_field_name(id), what, shown);
}

/* The value of field ID for a typed getter: false when it is absent,
 * null or empty (the getter returns 1). */
static inline bool given_value(gp_record *r, int id, unsigned char *kind, gp_str *v)
{
    int i = r->known[id];
    if (i < 0) return false;
    *kind = r->fields[i].kind;
    if (*kind == GP_V_NULL) return false;
    *v = gp_rec_value(r, i);
    return v->n > 0;
}

int gp_rec_time(gp_record *r, int id, int64_t *ms, gp_error *err)
{
    unsigned char kind;
    gp_str v;
    if (!given_value(r, id, &kind, &v)) return 1;
    if (r->format == GP_FMT_JSON && kind != GP_V_STRING) return bad_value(r, id, "not a time", err);
    if (gp_time_parse(v.p, v.n, ms) != 0) return bad_value(r, id, "not an RFC 3339 time", err);
    return 0;
}

int gp_rec_secs(gp_record *r, int id, int64_t *ms, gp_error *err)
{
    unsigned char kind;
    gp_str v;
    if (!given_value(r, id, &kind, &v)) return 1;
    int got = kind == GP_V_NUMBER || kind == GP_V_STRING ? gp_secs_parse(v.p, v.n, ms) : -1;
    if (got == -2) return bad_value(r, id, "seconds beyond the time range (0000 to 9999)", err);
    if (got != 0) return bad_value(r, id, "not a number of seconds", err);
    if (*ms < 0) return bad_value(r, id, "negative seconds", err);
    return 0;
}

int gp_rec_status(gp_record *r, int id, char *out, size_t *len, gp_error *err)
{
    unsigned char kind;
    gp_str v;
    if (!given_value(r, id, &kind, &v)) return 1;
    if (kind != GP_V_STRING || v.n > 31) return bad_value(r, id, "not a status name", err);
    *len = gp_status_normalize(v.p, v.n, out);
    if (*len == 0) return bad_value(r, id, "not a status name", err);
    return 0;
}
