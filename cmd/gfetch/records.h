/* records.h - what gfetch does with segments between the API and stdout:
 * splitting a window into intervals the API accepts, holding one batch of
 * users' segments, sorting them into canonical order, dropping the API's
 * duplicates (engine/dedupe), cutting segments to the window and writing
 * them as segment records (gpulse(7); the writer in common/).  Pure C: no
 * network, no jq. */
#ifndef GPULSE_GFETCH_RECORDS_H
#define GPULSE_GFETCH_RECORDS_H

#include "gpulse.h"
#include "segment.h"

#define GS_DAY_MS (86400LL * 1000)
#define GS_NO_EXTRA UINT32_MAX

/* ------------------------------------------------------------------ */
/* Windows and intervals                                                */
/* ------------------------------------------------------------------ */

typedef struct gs_interval {
    int64_t from, to; /* [from, to) in ms */
} gs_interval;

/* Split [FROM, TO) into consecutive intervals of at most MAX_LEN ms (the
 * last may be shorter).  Returns the count; *OUT is malloc'ed.  An empty
 * window (TO <= FROM) gives 0. */
size_t gs_split(int64_t from, int64_t to, int64_t max_len, gs_interval **out);

/* "2026-11-01T00:00:00.000Z/2026-11-08T00:00:00.000Z" (49 bytes + NUL). */
#define GS_INTERVAL_LEN (2 * GP_TIME_LEN + 1)
void gs_interval_format(gs_interval iv, char *out);

/* Parse an ISO-8601 interval "START/END" (RFC 3339 times, any offsets).
 * Returns 0 or -1. */
int gs_interval_parse(const char *s, size_t n, gs_interval *iv);

/* The longest interval to ask the aggregates API for at once with a
 * granularity of GRAN_MS (0 = unknown, e.g. P1M): a whole number of
 * granules within LIMIT_MS, so splitting never cuts a granule; 0 means "do
 * not split". */
int64_t gs_aggregate_chunk(int64_t gran_ms, int64_t limit_ms);

/* ------------------------------------------------------------------ */
/* Segments of one batch of users                                       */
/* ------------------------------------------------------------------ */

/* A gp_segment (common/segment.h) packed for a batch, which can hold
 * hundreds of thousands: its strings interned in the batch's pool. */
typedef struct gs_packed_segment {
    uint32_t user;   /* offset of the user id in the batch's string pool */
    uint32_t status; /* offset of the status (SCREAMING_SNAKE_CASE) */
    uint32_t extra;  /* offset of extra JSON members ("k":v,...), GS_NO_EXTRA */
    int timeline;    /* enum gp_timeline */
    int64_t start;
    int64_t end;  /* GP_TIME_NONE: still open */
    int64_t secs; /* ms; GP_TIME_NONE when the record has no secs */
} gs_packed_segment;

typedef struct gs_batch {
    gs_packed_segment *segs;
    size_t len, cap;
    gp_buf pool;             /* NUL-terminated strings */
    uint32_t *slots;         /* hash set of pool offsets + 1, for interning */
    size_t nslots, nstrings;
    size_t dropped_duplicates; /* counted by gs_batch_finish */
    size_t dropped_outside;
} gs_batch;

/* Add a segment of TIMELINE (enum gp_timeline).  STATUS is normalised to
 * SCREAMING_SNAKE_CASE (at most a gp_segment's status). */
void gs_batch_add(gs_batch *b, const char *user, size_t user_len, int timeline, const char *status,
                  size_t status_len, int64_t start, int64_t end, int64_t secs);

/* Give the segment added last extra fields: JSON members written as they
 * are after the contract's fields ("media":"voice","queue":"q1"). */
void gs_batch_set_extra(gs_batch *b, const char *members, size_t n);

static inline const char *gs_str(const gs_batch *b, uint32_t off) { return b->pool.data + off; }

/* The segment P of B as the contract's segment, with ORG; its strings are
 * views of B's pool. */
void gs_unpack(const gs_batch *b, const gs_packed_segment *p, gp_str org, gp_segment *out);

typedef struct gs_finish_options {
    int64_t from, to; /* the window; GP_TIME_NONE = unbounded */
    bool whole;       /* keep segments uncut (still drop those outside) */
    bool dedupe;      /* drop the API's duplicates (details) */
} gs_finish_options;

/* Sort into canonical order (user_id, start, then routing before presence,
 * status, longer first); with dedupe, drop what engine/dedupe's
 * drop_within drops: a segment that repeats, or lies within, the previous
 * segment of the same user, timeline and status (the API repeats segments
 * that span midnight or an interval edge); drop segments outside the
 * window and, unless whole, cut the rest to it. */
void gs_batch_finish(gs_batch *b, const gs_finish_options *o);

/* Forget the segments (keep the memory). */
void gs_batch_clear(gs_batch *b);
void gs_batch_free(gs_batch *b);

/* ------------------------------------------------------------------ */
/* Writing segment records                                              */
/* ------------------------------------------------------------------ */

typedef struct gs_writer {
    gp_segment_writer out; /* the shared writer of segment records */
    const char *org;       /* NULL = no org field */
    size_t written;
    size_t extras; /* segments written with extra fields */
} gs_writer;

/* A writer of segment records in FORMAT (GP_FMT_JSON or GP_FMT_CSV) to
 * OUT, with a secs field (aggregates) or not, with an org field or not. */
void gs_writer_init(gs_writer *w, gp_out *out, int format, bool with_secs, const char *org);

/* CSV: user_id,routing_status,presence,start,end[,secs][,org] (header first,
 * even for no rows; extra fields are left out and counted in extras).
 * NDJSON: the fields a record has, in that order, extra fields before org. */
void gs_writer_start(gs_writer *w);
void gs_write_batch(gs_writer *w, const gs_batch *b);

#endif
