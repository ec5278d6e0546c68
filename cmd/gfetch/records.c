/* records.c - intervals, batches of fetched segments, segment records out. */
#include "records.h"

#include "dedupe.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Intervals                                                            */
/* ------------------------------------------------------------------ */

size_t gs_split(int64_t from, int64_t to, int64_t max_len, gs_interval **out)
{
    *out = NULL;
    if (to <= from) return 0;
    size_t count = 1;
    if (max_len > 0) count = (size_t)((to - from + max_len - 1) / max_len);
    gs_interval *iv = gp_xmalloc(count * sizeof *iv);
    int64_t at = from;
    for (size_t i = 0; i < count; i++) {
        iv[i].from = at;
        iv[i].to = (max_len > 0 && to - at > max_len) ? at + max_len : to;
        at = iv[i].to;
    }
    *out = iv;
    return count;
}

void gs_interval_format(gs_interval iv, char *out)
{
    gp_time_format(iv.from, out);
    out[GP_TIME_LEN] = '/';
    gp_time_format(iv.to, out + GP_TIME_LEN + 1);
}

int gs_interval_parse(const char *s, size_t n, gs_interval *iv)
{
    const char *slash = memchr(s, '/', n);
    if (!slash) return -1;
    if (gp_time_parse(s, (size_t)(slash - s), &iv->from) != 0) return -1;
    if (gp_time_parse(slash + 1, n - (size_t)(slash - s) - 1, &iv->to) != 0) return -1;
    return 0;
}

int64_t gs_aggregate_chunk(int64_t gran_ms, int64_t limit_ms)
{
    if (gran_ms <= 0 || gran_ms > limit_ms) return 0;
    return limit_ms / gran_ms * gran_ms;
}

/* ------------------------------------------------------------------ */
/* Batches                                                              */
/* ------------------------------------------------------------------ */

/* Intern S in the pool: user ids and statuses repeat thousands of times. */
static uint32_t intern(gs_batch *b, const char *s, size_t n)
{
    if (b->nstrings * 2 >= b->nslots) {
        size_t nslots = b->nslots ? b->nslots * 2 : 256;
        uint32_t *slots = gp_xcalloc(nslots, sizeof *slots);
        for (size_t i = 0; i < b->nslots; i++) {
            if (!b->slots[i]) continue;
            const char *old = b->pool.data + b->slots[i] - 1;
            size_t j = gp_hash(old, strlen(old), 0) & (nslots - 1);
            while (slots[j]) j = (j + 1) & (nslots - 1);
            slots[j] = b->slots[i];
        }
        free(b->slots);
        b->slots = slots;
        b->nslots = nslots;
    }
    size_t j = gp_hash(s, n, 0) & (b->nslots - 1);
    while (b->slots[j]) {
        const char *have = b->pool.data + b->slots[j] - 1;
        if (strncmp(have, s, n) == 0 && have[n] == '\0') return b->slots[j] - 1;
        j = (j + 1) & (b->nslots - 1);
    }
    if (b->pool.len + n + 1 > UINT32_MAX - 1) gp_die("too many distinct strings in one batch");
    uint32_t off = (uint32_t)b->pool.len;
    gp_buf_add(&b->pool, s, n);
    gp_buf_addc(&b->pool, '\0');
    b->slots[j] = off + 1;
    b->nstrings++;
    return off;
}

void gs_batch_add(gs_batch *b, const char *user, size_t user_len, int timeline, const char *status,
                  size_t status_len, int64_t start, int64_t end, int64_t secs)
{
    if (b->len == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 1024;
        b->segs = gp_xrealloc(b->segs, b->cap * sizeof *b->segs);
    }
    char norm[160];
    if (status_len > 64) status_len = 64;
    size_t norm_len = gp_status_normalize(status, status_len, norm);
    if (norm_len >= sizeof ((gp_segment *)0)->status) norm_len = sizeof ((gp_segment *)0)->status - 1;
    gs_packed_segment *s = &b->segs[b->len++];
    s->user = intern(b, user, user_len);
    s->status = intern(b, norm, norm_len);
    s->timeline = timeline;
    s->start = start;
    s->end = end;
    s->secs = secs;
    s->extra = GS_NO_EXTRA;
}

void gs_batch_set_extra(gs_batch *b, const char *members, size_t n)
{
    if (b->len && n) b->segs[b->len - 1].extra = intern(b, members, n);
}

static const char *sort_pool; /* qsort has no context argument in C11 */

static int cmp_i64(int64_t a, int64_t b) { return (a > b) - (a < b); }

static int seg_cmp(const void *pa, const void *pb)
{
    const gs_packed_segment *a = pa, *b = pb;
    int c;
    if (a->user != b->user && (c = strcmp(sort_pool + a->user, sort_pool + b->user)) != 0) return c;
    if ((c = cmp_i64(a->start, b->start)) != 0) return c;
    if ((c = a->timeline - b->timeline) != 0) return c;
    if (a->status != b->status && (c = strcmp(sort_pool + a->status, sort_pool + b->status)) != 0) return c;
    /* An open segment (no end) counts as the longest. */
    int64_t ea = a->end == GP_TIME_NONE ? INT64_MAX : a->end;
    int64_t eb = b->end == GP_TIME_NONE ? INT64_MAX : b->end;
    if ((c = cmp_i64(eb, ea)) != 0) return c;
    return cmp_i64(a->secs, b->secs);
}

void gs_unpack(const gs_batch *b, const gs_packed_segment *p, gp_str org, gp_segment *out)
{
    const char *user = gs_str(b, p->user), *status = gs_str(b, p->status);
    out->user = (gp_str){user, strlen(user)};
    out->org = org;
    out->timeline = p->timeline;
    out->status_len = strlen(status);
    memcpy(out->status, status, out->status_len + 1);
    out->start = p->start;
    out->end = p->end;
    out->secs = p->secs;
    out->shift = -1;
}

/* Apply the window to S: false when S lies outside it. */
static bool fit_window(gs_packed_segment *s, const gs_finish_options *o)
{
    bool open = s->end == GP_TIME_NONE;
    if (o->to != GP_TIME_NONE && s->start >= o->to) {
        /* A zero-length segment exactly at an empty window's end is outside too. */
        return false;
    }
    if (o->from != GP_TIME_NONE && !open) {
        if (s->end < o->from) return false;
        if (s->end == o->from && s->start < o->from) return false; /* ends where the window begins */
    }
    if (o->whole) return true;
    if (o->from != GP_TIME_NONE && s->start < o->from) s->start = o->from;
    if (o->to != GP_TIME_NONE && !open && s->end > o->to) s->end = o->to;
    return true;
}

void gs_batch_finish(gs_batch *b, const gs_finish_options *o)
{
    sort_pool = b->pool.data;
    if (b->len > 1) qsort(b->segs, b->len, sizeof *b->segs, seg_cmp);
    size_t out = 0;
    gp_dedupe_config dc = {.key_fields = NULL, .unsorted = false, .drop_within = true};
    gp_dedupe *dedupe = o->dedupe ? gp_dedupe_new(&dc) : NULL;
    for (size_t i = 0; i < b->len; i++) {
        gs_packed_segment s = b->segs[i];
        if (dedupe) {
            gp_segment seg;
            gs_unpack(b, &s, (gp_str){"", 0}, &seg);
            gp_error err;
            int verdict = gp_dedupe_segment(dedupe, &seg, &err);
            if (verdict == GP_DEDUPE_UNSORTED) gp_die("internal error: a batch out of order after sorting: %s", err.msg);
            if (verdict == GP_DEDUPE_DUPLICATE) {
                b->dropped_duplicates++;
                continue;
            }
        }
        if (!fit_window(&s, o)) {
            b->dropped_outside++;
            continue;
        }
        b->segs[out++] = s;
    }
    gp_dedupe_free(dedupe);
    b->len = out;
    /* Cutting moves starts up to the window's start: order may change only
     * among segments of one user that all start at the window's start, where
     * it must stay (start, timeline, status); sort again, cheap on sorted
     * data for qsort's usual implementations and rare anyway. */
    if (!o->whole && o->from != GP_TIME_NONE && b->len > 1) qsort(b->segs, b->len, sizeof *b->segs, seg_cmp);
}

void gs_batch_clear(gs_batch *b)
{
    b->len = 0;
    b->pool.len = 0;
    if (b->slots) memset(b->slots, 0, b->nslots * sizeof *b->slots);
    b->nstrings = 0;
}

void gs_batch_free(gs_batch *b)
{
    free(b->segs);
    free(b->slots);
    gp_buf_free(&b->pool);
    memset(b, 0, sizeof *b);
}

/* ------------------------------------------------------------------ */
/* Writing                                                              */
/* ------------------------------------------------------------------ */

void gs_writer_init(gs_writer *w, gp_out *out, int format, bool with_secs, const char *org)
{
    memset(w, 0, sizeof *w);
    w->out.out = out;
    w->out.format = format == GP_FMT_CSV ? GP_FMT_CSV : GP_FMT_JSON;
    w->out.with_secs = with_secs;
    w->out.with_org = org != NULL;
    w->org = org;
}

void gs_writer_start(gs_writer *w) { gp_segment_writer_start(&w->out); }

void gs_write_batch(gs_writer *w, const gs_batch *b)
{
    gs_writer_start(w);
    gp_str org = {w->org ? w->org : "", w->org ? strlen(w->org) : 0};
    for (size_t i = 0; i < b->len; i++) {
        const gs_packed_segment *p = &b->segs[i];
        gp_segment seg;
        gs_unpack(b, p, org, &seg);
        if (p->extra != GS_NO_EXTRA) w->extras++;
        gp_write_segment(&w->out, &seg, p->extra != GS_NO_EXTRA ? gs_str(b, p->extra) : NULL);
    }
    w->written += b->len;
}
