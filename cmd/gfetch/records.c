/* records.c - intervals, batches of fetched segments, segment records out. */
#include "records.h"

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
    gs_seg *s = &b->segs[b->len++];
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
    const gs_seg *a = pa, *b = pb;
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

/* Does KEPT (earlier in canonical order) already cover S?  Same user,
 * timeline and status, and S lies within it. */
static bool covered(const gs_seg *kept, const gs_seg *s)
{
    if (kept->user != s->user || kept->timeline != s->timeline || kept->status != s->status) return false;
    if (s->secs != GP_TIME_NONE || kept->secs != GP_TIME_NONE) /* interval rows: exact repeats only */
        return kept->start == s->start && kept->end == s->end && kept->secs == s->secs;
    if (kept->end == GP_TIME_NONE) return true; /* open: covers everything after its start */
    if (s->end == GP_TIME_NONE) return false;
    return s->start >= kept->start && s->end <= kept->end;
}

/* Apply the window to S: false when S lies outside it. */
static bool fit_window(gs_seg *s, const gs_finish_options *o)
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
    /* Per user and timeline, the last kept segment of each status is what a
     * repeat would duplicate; segments of one user are contiguous, so keep
     * a small list of the current user's last kept segment per
     * (timeline, status). */
    enum { TRACK = 32 };
    gs_seg last[TRACK];
    size_t nlast = 0;
    uint32_t cur_user = UINT32_MAX;
    for (size_t i = 0; i < b->len; i++) {
        gs_seg s = b->segs[i];
        if (s.user != cur_user) {
            cur_user = s.user;
            nlast = 0;
        }
        if (o->dedupe) {
            size_t k;
            for (k = 0; k < nlast; k++)
                if (last[k].timeline == s.timeline && last[k].status == s.status) break;
            if (k < nlast && covered(&last[k], &s)) {
                b->dropped_duplicates++;
                continue;
            }
            if (k < nlast) {
                last[k] = s;
            } else if (nlast < TRACK) {
                last[nlast++] = s;
            }
        }
        if (!fit_window(&s, o)) {
            b->dropped_outside++;
            continue;
        }
        b->segs[out++] = s;
    }
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

static const char *const timeline_field[] = {"routing_status", "presence"};

void gs_writer_start(gs_writer *w)
{
    if (w->format != GP_FMT_CSV || w->header_done) return;
    gp_out_puts(w->out, "user_id,routing_status,presence,start,end");
    if (w->with_secs) gp_out_puts(w->out, ",secs");
    if (w->org) gp_out_puts(w->out, ",org");
    gp_out_putc(w->out, '\n');
    w->header_done = true;
}

static void write_json(gs_writer *w, const gs_batch *b, const gs_seg *s)
{
    gp_out *o = w->out;
    char ts[GP_TIME_LEN + 1];
    const char *user = gs_str(b, s->user), *status = gs_str(b, s->status);
    gp_out_puts(o, "{\"user_id\":");
    gp_json_string(o, user, strlen(user));
    gp_out_printf(o, ",\"%s\":", timeline_field[s->timeline]);
    gp_json_string(o, status, strlen(status));
    gp_time_format(s->start, ts);
    gp_out_printf(o, ",\"start\":\"%s\"", ts);
    if (s->end != GP_TIME_NONE) {
        gp_time_format(s->end, ts);
        gp_out_printf(o, ",\"end\":\"%s\"", ts);
    }
    if (w->with_secs && s->secs != GP_TIME_NONE) {
        char num[32];
        gp_format_secs(s->secs, num);
        gp_out_printf(o, ",\"secs\":%s", num);
    }
    if (s->extra != GS_NO_EXTRA) {
        gp_out_putc(o, ',');
        gp_out_puts(o, gs_str(b, s->extra));
    }
    if (w->org) {
        gp_out_puts(o, ",\"org\":");
        gp_json_string(o, w->org, strlen(w->org));
    }
    gp_out_puts(o, "}\n");
}

static void write_csv(gs_writer *w, const gs_batch *b, const gs_seg *s)
{
    gp_out *o = w->out;
    char ts[GP_TIME_LEN + 1];
    const char *user = gs_str(b, s->user), *status = gs_str(b, s->status);
    gp_csv_cell(o, user, strlen(user));
    gp_out_putc(o, ',');
    if (s->timeline == GS_ROUTING) gp_csv_cell(o, status, strlen(status));
    gp_out_putc(o, ',');
    if (s->timeline == GS_PRESENCE) gp_csv_cell(o, status, strlen(status));
    gp_time_format(s->start, ts);
    gp_out_printf(o, ",%s,", ts);
    if (s->end != GP_TIME_NONE) {
        gp_time_format(s->end, ts);
        gp_out_puts(o, ts);
    }
    if (w->with_secs) {
        gp_out_putc(o, ',');
        if (s->secs != GP_TIME_NONE) {
            char num[32];
            gp_format_secs(s->secs, num);
            gp_out_puts(o, num);
        }
    }
    if (w->org) {
        gp_out_putc(o, ',');
        gp_csv_cell(o, w->org, strlen(w->org));
    }
    gp_out_putc(o, '\n');
}

void gs_write_batch(gs_writer *w, const gs_batch *b)
{
    gs_writer_start(w);
    for (size_t i = 0; i < b->len; i++) {
        if (b->segs[i].extra != GS_NO_EXTRA) w->extras++;
        if (w->format == GP_FMT_CSV) write_csv(w, b, &b->segs[i]);
        else write_json(w, b, &b->segs[i]);
    }
    w->written += b->len;
}
