/* shift.c - the shift engine.
 *
 * Records of one user arrive in start order.  A record cannot be labelled
 * until two things are known: its end (a point event ends only when the
 * next event of its timeline arrives) and the shift spans around it (a
 * span's end is final only once no later activity can extend it).  So
 * records wait in a queue ordered by (start, arrival), and the head leaves
 * as soon as its first piece is decided.  "Decided" is measured by the
 * frontier K: every instant before K has its final label.  What waits is
 * the records of one user's open shift; past the memory buffer (-S) they
 * wait in a spill file instead (see "the spill" below). */
#include "shift.h"
#include "spill.h"
#include "bytescan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct held {
    int64_t start;      /* of the part not yet written */
    int64_t orig_start;
    int64_t end;        /* GP_TIME_NONE while unknown */
    long seq, lineno;
    size_t raw_off, raw_len;
    gp_layout layout;
    bool end_derived;   /* a point event: its end came from the next event */
    bool has_secs;
    int64_t secs;       /* ms, when has_secs: split over the pieces */
    bool cut;           /* a piece was written already */
    bool activity;
    int timeline;
} held;

typedef struct queue_entry {
    int64_t start;
    long seq;
    int item; /* index in the pool */
} queue_entry;

typedef struct span {
    int64_t start, end;
    int number;
} span;

struct gp_shifter {
    gp_shift_config config;
    int nactivity;
    size_t *activity_len; /* strlen of each config.activity name */
    gp_reader *rd;
    gp_writer *w;
    const char *file;
    /* the current user */
    bool have_user;
    gp_buf org, user;
    int64_t last_start; /* F: the latest start read */
    gp_buf raw;         /* bytes of the held records */
    size_t live_bytes;  /* of those, the ones still held */
    held *pool;
    int pool_len, pool_cap;
    int *free_list;
    int free_len;
    queue_entry *queue; /* [q_head, q_head + q_len): sorted by (start, seq) */
    int q_head, q_len, q_cap;
    int open[2]; /* per timeline: the held point event without an end, or -1 */
    span *spans;
    int nspans, spans_cap;
    bool current_closed; /* the last span can no longer grow */
    long seq;
    /* the spill: records that arrived while the held ones filled the buffer */
    gp_spill *spill;
    uint64_t spill_read;     /* offset of the first spilled record not loaded */
    int spill_head;          /* the first spilled record, loaded into the pool, or -1 */
    int64_t open_spilled[2]; /* per timeline: offset of the spilled open event, or -1 */
    held open_copy[2];       /* its fields, while it is spilled */
    /* stats */
    long users, shifts, pieces;
};

gp_shifter *gp_shifter_new(const gp_shift_config *config, gp_reader *rd, gp_writer *w)
{
    gp_shifter *sh = gp_xcalloc(1, sizeof *sh);
    sh->config = *config;
    sh->rd = rd;
    sh->w = w;
    sh->open[0] = sh->open[1] = -1;
    sh->open_spilled[0] = sh->open_spilled[1] = -1;
    sh->spill_head = -1;
    for (const char *const *a = config->activity; *a; a++) sh->nactivity++;
    sh->activity_len = gp_xcalloc((size_t)sh->nactivity + 1, sizeof *sh->activity_len);
    for (int i = 0; i < sh->nactivity; i++) sh->activity_len[i] = strlen(config->activity[i]);
    return sh;
}

void gp_shifter_free(gp_shifter *sh)
{
    if (!sh) return;
    gp_buf_free(&sh->org);
    gp_buf_free(&sh->user);
    gp_buf_free(&sh->raw);
    free(sh->pool);
    free(sh->free_list);
    free(sh->queue);
    free(sh->spans);
    free(sh->activity_len);
    gp_spill_free(sh->spill);
    free(sh);
}

void gp_shifter_stats(const gp_shifter *sh, long *users, long *shifts, long *pieces)
{
    *users = sh->users;
    *shifts = sh->shifts;
    *pieces = sh->pieces;
}

/* ---- the queue: held records sorted by (start, seq) --------------------
 *
 * Records arrive in start order, so a new one nearly always goes to the
 * back; only a cut piece (its start moved to a span edge) goes back into
 * the middle.  A sorted array with insertion from the back is therefore
 * O(1) per record, where a heap would pay log n on every removal. */

static bool before(const queue_entry *x, const queue_entry *y)
{
    return x->start < y->start || (x->start == y->start && x->seq < y->seq);
}

static inline void queue_insert(gp_shifter *sh, queue_entry e)
{
    if (sh->q_head + sh->q_len == sh->q_cap) {
        if (sh->q_head > 0) { /* reuse the room the removed ones left */
            memmove(sh->queue, sh->queue + sh->q_head, (size_t)sh->q_len * sizeof *sh->queue);
            sh->q_head = 0;
        } else {
            sh->q_cap = sh->q_cap ? sh->q_cap * 2 : 64;
            sh->queue = gp_xrealloc(sh->queue, (size_t)sh->q_cap * sizeof *sh->queue);
        }
    }
    int back = sh->q_head + sh->q_len, i = back;
    while (i > sh->q_head && before(&e, &sh->queue[i - 1])) i--;
    if (i < back) memmove(sh->queue + i + 1, sh->queue + i, (size_t)(back - i) * sizeof *sh->queue);
    sh->queue[i] = e;
    sh->q_len++;
}

static inline void queue_push(gp_shifter *sh, int item)
{
    const held *h = &sh->pool[item];
    queue_insert(sh, (queue_entry){h->start, h->seq, item});
}

static queue_entry *queue_front(gp_shifter *sh) { return &sh->queue[sh->q_head]; }

static void queue_pop(gp_shifter *sh)
{
    sh->q_head++;
    if (--sh->q_len == 0) sh->q_head = 0;
}

static inline int new_held(gp_shifter *sh)
{
    if (sh->free_len) return sh->free_list[--sh->free_len];
    if (sh->pool_len == sh->pool_cap) {
        sh->pool_cap = sh->pool_cap ? sh->pool_cap * 2 : 64;
        sh->pool = gp_xrealloc(sh->pool, (size_t)sh->pool_cap * sizeof *sh->pool);
        sh->free_list = gp_xrealloc(sh->free_list, (size_t)sh->pool_cap * sizeof *sh->free_list);
    }
    return sh->pool_len++;
}

static void release_held(gp_shifter *sh, int item)
{
    sh->live_bytes -= sh->pool[item].raw_len;
    sh->free_list[sh->free_len++] = item;
}

/* The bytes of written records are dead; when they are most of the arena,
 * move the live ones down so a long-held user does not grow it forever. */
static void compact_raw(gp_shifter *sh)
{
    if (sh->raw.len < (1u << 20) || sh->live_bytes * 2 > sh->raw.len) return;
    gp_buf fresh = {0};
    gp_buf_reserve(&fresh, sh->live_bytes + 1);
    for (int i = sh->q_head; i <= sh->q_head + sh->q_len; i++) {
        int item = i < sh->q_head + sh->q_len ? sh->queue[i].item : sh->spill_head;
        if (item < 0) continue;
        held *h = &sh->pool[item];
        size_t off = fresh.len;
        gp_buf_add(&fresh, sh->raw.data + h->raw_off, h->raw_len);
        h->raw_off = off;
    }
    gp_buf_free(&sh->raw);
    sh->raw = fresh;
}

/* ---- the spill ---------------------------------------------------------
 *
 * While the held records take more than the buffer (-S), each new record
 * goes to the spill file instead of the pool: its held fields, then its
 * bytes.  A new record's (start, seq) is after every held one (input comes
 * in start order; a cut piece never starts after the latest start read),
 * so the file is in queue order by construction, and the records leave by
 * merging its front with the queue's.  Only the front is loaded into the
 * pool (SPILL_HEAD).  A spilled record changes only if it is a timeline's
 * open point event: its end is written over it in the file when it comes.
 * New records keep going to the file until it is read to its end, so the
 * memory stays at the buffer however long the front waits. */

/* What one held record costs in memory besides its bytes. */
enum { HELD_OVERHEAD = sizeof(held) + sizeof(queue_entry) + sizeof(int) };

static bool must_spill(const gp_shifter *sh, size_t raw_len)
{
    if (sh->spill && gp_spill_size(sh->spill) > 0) return true;
    size_t held_records = (size_t)(sh->pool_len - sh->free_len);
    return sh->live_bytes + raw_len + (held_records + 1) * HELD_OVERHEAD > sh->config.buffer;
}

static void spill_record(gp_shifter *sh, const held *h, const char *raw)
{
    if (!sh->spill) {
        /* the file's write buffer counts in the memory buffer too */
        size_t write_buffer = sh->config.buffer / 4 < 65536 ? sh->config.buffer / 4 : 65536;
        sh->spill = gp_spill_new(write_buffer);
    }
    uint64_t at = gp_spill_append(sh->spill, h, sizeof *h);
    gp_spill_append(sh->spill, raw, h->raw_len);
    if (h->end == GP_TIME_NONE) {
        sh->open_spilled[h->timeline] = (int64_t)at;
        sh->open_copy[h->timeline] = *h;
    }
}

/* The first spilled record, loaded into the pool; -1 when none. */
static int spill_front(gp_shifter *sh)
{
    if (sh->spill_head >= 0) return sh->spill_head;
    if (!sh->spill || sh->spill_read == gp_spill_size(sh->spill)) return -1;
    uint64_t at = sh->spill_read;
    held h;
    gp_spill_read(sh->spill, at, &h, sizeof h);
    compact_raw(sh); /* the finished ones' bytes, or a long read-back grows the arena */
    int item = new_held(sh);
    h.raw_off = sh->raw.len;
    gp_buf_reserve(&sh->raw, h.raw_len + 1);
    gp_spill_read(sh->spill, at + sizeof h, sh->raw.data + sh->raw.len, h.raw_len);
    sh->raw.len += h.raw_len;
    sh->live_bytes += h.raw_len;
    sh->pool[item] = h;
    sh->spill_read = at + sizeof h + h.raw_len;
    for (int tl = 0; tl < 2; tl++)
        if (sh->open_spilled[tl] == (int64_t)at) { /* still open: it is in memory now */
            sh->open[tl] = item;
            sh->open_spilled[tl] = -1;
        }
    if (sh->spill_read == gp_spill_size(sh->spill)) { /* read to its end: empty it */
        gp_spill_reset(sh->spill);
        sh->spill_read = 0;
    }
    sh->spill_head = item;
    return item;
}

/* The timeline's open point event, wherever it waits, or NULL. */
static held *open_event(gp_shifter *sh, int timeline)
{
    if (sh->open_spilled[timeline] >= 0) return &sh->open_copy[timeline];
    return sh->open[timeline] >= 0 ? &sh->pool[sh->open[timeline]] : NULL;
}

/* ---- spans ------------------------------------------------------------ */

static span *current_span(gp_shifter *sh)
{
    return sh->nspans ? &sh->spans[sh->nspans - 1] : NULL;
}

/* An activity stretch [s, e), fed in start order. */
static inline void feed_activity(gp_shifter *sh, int64_t s, int64_t e)
{
    span *cur = current_span(sh);
    if (cur && !sh->current_closed && s - cur->end <= sh->config.gap) {
        if (e > cur->end) cur->end = e;
        return;
    }
    if (sh->nspans == sh->spans_cap) {
        sh->spans_cap = sh->spans_cap ? sh->spans_cap * 2 : 16;
        sh->spans = gp_xrealloc(sh->spans, (size_t)sh->spans_cap * sizeof *sh->spans);
    }
    int number = sh->nspans + 1;
    sh->spans[sh->nspans++] = (span){s, e, number};
    sh->current_closed = false;
    sh->shifts++;
}

/* The earliest start any activity not yet fed can have. */
static int64_t earliest_future_activity(gp_shifter *sh)
{
    const held *open = open_event(sh, GP_TL_ROUTING);
    if (open && open->activity && open->start < sh->last_start) return open->start;
    return sh->last_start;
}

/* K: every instant before it has its final label. */
static int64_t frontier(gp_shifter *sh, bool finishing)
{
    if (finishing) return INT64_MAX;
    int64_t e = earliest_future_activity(sh);
    span *cur = current_span(sh);
    if (cur && !sh->current_closed && e - cur->end > sh->config.gap) sh->current_closed = true;
    if (!cur || sh->current_closed) return e;
    return cur->end;
}

/* ---- writing ---------------------------------------------------------- */

/* Decimal digits of a small positive number; returns the length. */
static size_t format_count(int v, char *out)
{
    if (v < 100) { /* a month of daily shifts: the divisions by a constant go */
        if (v < 10) {
            out[0] = (char)('0' + v);
            return 1;
        }
        out[0] = (char)('0' + v / 10);
        out[1] = (char)('0' + v % 10);
        return 2;
    }
    char tmp[16];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    return n;
}

/* The secs of an interval row (an aggregate: secs < end - start) cut into
 * pieces: each piece gets the share of its length, rounded so that the
 * pieces add up to the row's secs exactly (time is never counted twice,
 * gpulse(7)).  Long double holds secs x length (both in ms) exactly. */
static int64_t secs_at(const held *h, int64_t t)
{
    int64_t length = h->end - h->orig_start;
    if (length <= 0) return h->secs;
    return (int64_t)llroundl((long double)h->secs * (long double)(t - h->orig_start) / (long double)length);
}

static int64_t secs_share(const held *h, int64_t from, int64_t to)
{
    return secs_at(h, to) - secs_at(h, from);
}

static inline void write_piece(gp_shifter *sh, held *h, int64_t piece_end, int shift_number)
{
    gp_edit edits[4];
    int n = 0;
    char shift_text[16], start_text[GP_TIME_LEN + 1], end_text[GP_TIME_LEN + 1], secs_text[32];
    bool whole = !h->cut && (h->end == GP_TIME_NONE || piece_end == h->end);
    if (!whole) {
        gp_time_format(h->start, start_text);
        edits[n++] = (gp_edit){"start", GP_F_START, GP_V_STRING, start_text, GP_TIME_LEN};
    }
    if (h->end != GP_TIME_NONE && (!whole || h->end_derived)) {
        gp_time_format(piece_end, end_text);
        edits[n++] = (gp_edit){"end", GP_F_END, GP_V_STRING, end_text, GP_TIME_LEN};
    }
    if (!whole && h->has_secs) {
        size_t len = gp_format_secs(secs_share(h, h->start, piece_end), secs_text);
        edits[n++] = (gp_edit){"secs", GP_F_SECS, GP_V_NUMBER, secs_text, len};
    }
    if (shift_number > 0)
        edits[n++] = (gp_edit){"shift", GP_F_SHIFT, GP_V_NUMBER, shift_text,
                               format_count(shift_number, shift_text)};
    else
        edits[n++] = (gp_edit){"shift", GP_F_SHIFT, GP_V_NULL, "", 0};
    if (!whole) sh->pieces++;
    gp_held_record held_record = {sh->raw.data + h->raw_off, h->raw_len, h->lineno, sh->file,
                                  h->layout};
    gp_write_held(sh->w, sh->rd, &held_record, edits, n);
}

/* The label of the instant T: the number of the span holding it, or 0. */
static int label_at(const gp_shifter *sh, int64_t t, bool zero_length)
{
    for (int i = sh->nspans - 1; i >= 0; i--) {
        const span *sp = &sh->spans[i];
        if (t >= sp->start && (t < sp->end || (zero_length && t == sp->end && t == sp->start)))
            return sp->number;
        if (t >= sp->end) break;
    }
    return 0;
}

/* Where the piece starting at S ends: at E, or at the first final span edge
 * after S.  Sets *number and returns the piece end, or GP_TIME_NONE when
 * the edge is not known yet. */
static int64_t piece_end(gp_shifter *sh, int64_t s, int64_t e, int64_t k, int *number)
{
    /* spans that end at or before S cannot hold it: start after them (held
     * records are near the latest span, so walk back from it) */
    int first = sh->nspans;
    while (first > 0 && sh->spans[first - 1].end > s) first--;
    for (int i = first; i < sh->nspans; i++) {
        const span *sp = &sh->spans[i];
        bool final_end = i < sh->nspans - 1 || sh->current_closed || k == INT64_MAX;
        if (s < sp->start) { /* between shifts, up to this span's start */
            *number = 0;
            int64_t t = e < sp->start ? e : sp->start;
            return t <= k ? t : GP_TIME_NONE;
        }
        if (s < sp->end) { /* inside this span */
            *number = sp->number;
            if (e <= sp->end) return e;
            return final_end ? sp->end : GP_TIME_NONE;
        }
    }
    *number = 0; /* after every span */
    return e <= k ? e : GP_TIME_NONE;
}

/* The first held record: the queue's front or the spill's, whichever
 * comes first in (start, seq).  Sets *FROM_SPILL; -1 when none is held. */
static int front_item(gp_shifter *sh, bool *from_spill)
{
    int spilled = spill_front(sh);
    *from_spill = false;
    if (spilled < 0) return sh->q_len ? queue_front(sh)->item : -1;
    const held *s = &sh->pool[spilled];
    if (sh->q_len && before(queue_front(sh), &(queue_entry){s->start, s->seq, spilled}))
        return queue_front(sh)->item;
    *from_spill = true;
    return spilled;
}

static void take_front(gp_shifter *sh, bool from_spill)
{
    if (from_spill) sh->spill_head = -1;
    else queue_pop(sh);
}

/* Does the front wait for the open span to grow past its end (or to
 * close)?  What piece_end would say, tested first because it is most calls
 * inside a shift: a record that outlasts the activity so far (a presence
 * held over the routing events) keeps the front until then. */
static bool front_waits_for_span(const gp_shifter *sh)
{
    if (sh->spill || sh->q_len == 0 || sh->nspans == 0 || sh->current_closed) return false;
    const held *h = &sh->pool[sh->queue[sh->q_head].item];
    const span *cur = &sh->spans[sh->nspans - 1];
    return h->end != GP_TIME_NONE && h->end > cur->end && h->start >= cur->start && h->start < cur->end;
}

/* Write the held records whose first piece is decided, from the front,
 * until one is not. */
static inline void write_decided(gp_shifter *sh, bool finishing)
{
    int64_t k = frontier(sh, finishing);
    if (!finishing && front_waits_for_span(sh)) return;
    bool from_spill;
    int item;
    while ((item = front_item(sh, &from_spill)) >= 0) {
        held *h = &sh->pool[item];
        int number;
        if (h->end == GP_TIME_NONE || h->end == h->start) {
            /* a point in time: open at the end of input, or zero length */
            if (!finishing && (h->end == GP_TIME_NONE || h->start >= k)) return;
            write_piece(sh, h, h->end, label_at(sh, h->start, true));
            take_front(sh, from_spill);
            release_held(sh, item);
            continue;
        }
        int64_t t = piece_end(sh, h->start, h->end, k, &number);
        if (t == GP_TIME_NONE) return;
        write_piece(sh, h, t, number);
        if (t == h->end) {
            take_front(sh, from_spill);
            release_held(sh, item);
        } else { /* the rest waits in the queue, at its new start */
            h->start = t;
            h->cut = true;
            take_front(sh, from_spill);
            queue_push(sh, item);
        }
    }
}

/* Write what is decided, in (start, arrival) order. */
static void drain(gp_shifter *sh, bool finishing)
{
    write_decided(sh, finishing);
    /* the written records' bytes are dead: reclaim them whether or not the
     * front still waits (an open event at the front can hold it for the
     * rest of the user, while every record after it leaves) */
    if (sh->q_len == 0 && sh->spill_head < 0) sh->raw.len = 0;
    else compact_raw(sh);
}

/* ---- input ------------------------------------------------------------ */

static bool is_activity(const gp_shifter *sh, const gp_segment *s)
{
    if (s->timeline != GP_TL_ROUTING) return false;
    for (int i = 0; i < sh->nactivity; i++)
        if (sh->activity_len[i] == s->status_len &&
            gp_bytes_equal(sh->config.activity[i], s->status, s->status_len))
            return true;
    return false;
}

/* The timeline's open point event ends where the next event starts. */
static inline void close_open_event(gp_shifter *sh, int timeline, int64_t at)
{
    if (sh->open_spilled[timeline] >= 0) { /* its end goes over it in the file */
        held *h = &sh->open_copy[timeline];
        h->end = at;
        h->end_derived = true;
        gp_spill_write_at(sh->spill, (uint64_t)sh->open_spilled[timeline], h, sizeof *h);
        sh->open_spilled[timeline] = -1;
        if (h->activity) feed_activity(sh, h->start, h->end);
        return;
    }
    int item = sh->open[timeline];
    if (item < 0) return;
    held *h = &sh->pool[item];
    h->end = at;
    h->end_derived = true;
    sh->open[timeline] = -1;
    if (h->activity) feed_activity(sh, h->start, h->end);
}

static void finish_user(gp_shifter *sh)
{
    for (int tl = 0; tl < 2; tl++) {
        held *h = open_event(sh, tl);
        if (!h) continue;
        if (sh->config.until != GP_TIME_NONE && sh->config.until >= h->start) {
            close_open_event(sh, tl, sh->config.until);
        } else {
            /* stays open and lasts no time, so goccupy counts nothing of
             * it: it belongs to the shift it falls in (within --gap of
             * the last activity) but never starts one of its own, or the
             * two tools would disagree on the shifts (gpulse(7)) */
            span *cur = current_span(sh);
            if (h->activity && cur && !sh->current_closed && h->start - cur->end <= sh->config.gap)
                feed_activity(sh, h->start, h->start);
            sh->open[tl] = -1;
            sh->open_spilled[tl] = -1;
        }
    }
    drain(sh, true);
    sh->raw.len = 0;
    sh->nspans = 0;
    sh->current_closed = false;
    sh->have_user = false;
}

static int check_order(gp_shifter *sh, const gp_segment *s, bool *new_user, gp_error *err)
{
    *new_user = true;
    if (!sh->have_user) return 0;
    gp_str org = {sh->org.data, sh->org.len}, user = {sh->user.data, sh->user.len};
    int c = gp_str_cmp(s->org, org);
    if (c == 0) c = gp_str_cmp(s->user, user);
    if (c > 0) return 0;
    if (c == 0 && s->start >= sh->last_start) {
        *new_user = false;
        return 0;
    }
    char t[GP_TIME_LEN + 1], p[GP_TIME_LEN + 1];
    gp_time_format(s->start, t);
    gp_time_format(sh->last_start, p);
    if (c == 0)
        return gp_error_set(err, "input not in (user_id, start) order: start %s of user_id '%.*s' comes after %s",
                            t, (int)(s->user.n > 60 ? 60 : s->user.n), s->user.p, p);
    return gp_error_set(err, "input not in (user_id, start) order: user_id '%.*s' comes after '%.*s'",
                        (int)(s->user.n > 60 ? 60 : s->user.n), s->user.p, (int)(user.n > 60 ? 60 : user.n),
                        user.p);
}

int gp_shifter_add(gp_shifter *sh, gp_record *r, const gp_segment *s, gp_error *err)
{
    bool new_user;
    if (check_order(sh, s, &new_user, err) != 0) return -1;
    if (new_user) {
        if (sh->have_user) finish_user(sh);
        sh->org.len = sh->user.len = 0;
        gp_buf_add(&sh->org, s->org.p, s->org.n);
        gp_buf_add(&sh->user, s->user.p, s->user.n);
        sh->have_user = true;
        sh->users++;
    }
    sh->file = r->file;
    sh->last_start = s->start;
    close_open_event(sh, s->timeline, s->start);

    /* filled in place: in the pool, or for the spill file */
    bool spilling = must_spill(sh, r->raw_len);
    held spilled;
    int item = spilling ? -1 : new_held(sh);
    held *h = spilling ? &spilled : &sh->pool[item];
    /* every field is set below; only a record bound for the spill file is
     * zeroed first, so that no stray padding bytes go into the file */
    if (spilling) memset(h, 0, sizeof *h);
    h->start = h->orig_start = s->start;
    h->end = s->end;
    h->seq = sh->seq++;
    h->lineno = r->lineno;
    h->raw_off = sh->raw.len;
    h->raw_len = r->raw_len;
    gp_layout_of(r, &h->layout);
    h->end_derived = false;
    h->has_secs = s->secs != GP_TIME_NONE;
    h->secs = s->secs;
    h->cut = false;
    h->activity = is_activity(sh, s);
    h->timeline = s->timeline;
    if (s->end != GP_TIME_NONE && h->activity) feed_activity(sh, s->start, s->end);
    if (spilling) {
        spill_record(sh, h, r->raw);
    } else {
        gp_buf_add(&sh->raw, r->raw, r->raw_len);
        sh->live_bytes += r->raw_len;
        if (s->end == GP_TIME_NONE) sh->open[s->timeline] = item;
        queue_push(sh, item);
    }
    drain(sh, false);
    return 0;
}

void gp_shifter_finish(gp_shifter *sh)
{
    if (sh->have_user) finish_user(sh);
}
