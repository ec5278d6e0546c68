/* segment.h - the contract's view of a segment record (gpulse(7), SEGMENT
 * RECORDS), validated and normalised: what every segment tool reads first,
 * and what a tool that makes segments (gfetch) writes. */
#ifndef GPULSE_SEGMENT_H
#define GPULSE_SEGMENT_H

#include "gpulse.h"

enum gp_timeline { GP_TL_ROUTING = 0, GP_TL_PRESENCE = 1 };

typedef struct gp_segment {
    gp_str user; /* user_id (never empty) */
    gp_str org;  /* org, or empty */
    int timeline;
    char status[64]; /* SCREAMING_SNAKE_CASE */
    size_t status_len;
    int64_t start;
    int64_t end;  /* GP_TIME_NONE for a point event */
    int64_t secs; /* GP_TIME_NONE when the record has no secs */
    int shift;    /* gshift's field: >0, 0 = between shifts (null/empty), -1 = absent */
} gp_segment;

/* Fill S from R.  Returns 0, or -1 with a message ("field start: not an
 * RFC 3339 time '...'") in ERR. */
int gp_segment_read(gp_record *r, gp_segment *s, gp_error *err);

/* Only what identifies the segment: user_id, org, the timeline and its
 * status, start (gdedupe's key; cheaper than the whole read). */
int gp_segment_read_key(gp_record *r, gp_segment *s, gp_error *err);

/* Is R a control record of gfetch stream (it has a `type` field:
 * connected, heartbeat, disconnected, resync_start, resync_end, queue; see
 * gpulse(7))?  gdedupe, gsort and gshift pass those through untouched;
 * goccupy and gbucket skip them. */
bool gp_is_control_record(const gp_record *r);

/* Duration in ms: secs when given, else end - start, else -1 (open). */
int64_t gp_segment_duration(const gp_segment *s);

/* Writing new segment records (common/writer.c): the contract's fields in
 * their canonical order and form.  gshift's shift is not written (gshift
 * edits the records it passes through instead). */
typedef struct gp_segment_writer {
    gp_out *out;
    int format;     /* GP_FMT_JSON or GP_FMT_CSV */
    bool with_secs; /* a secs field (aggregate rows); CSV: a secs column */
    bool with_org;  /* an org field, from the segment's org (even empty) */
    bool header_done;
} gp_segment_writer;

/* CSV: write the header user_id,routing_status,presence,start,end[,secs]
 * [,org] unless written already (a CSV output has one even for no rows).
 * NDJSON: nothing. */
void gp_segment_writer_start(gp_segment_writer *w);
/* Write S.  NDJSON: the fields S has (no end when open, no secs when it
 * has none), then EXTRA (JSON members "k":v,... or NULL) and org.  CSV
 * has no column for EXTRA: the caller says so. */
void gp_write_segment(gp_segment_writer *w, const gp_segment *s, const char *extra);

/* Writing gfetch stream's control records (gpulse(7), "Live records"),
 * NDJSON only: gp_control_begin writes {"type":TYPE,"org":ORG (null when
 * NULL),"at":AT; each gp_control_* call adds one field; gp_control_end
 * closes the line. */
void gp_control_begin(gp_out *o, const char *type, const char *org, int64_t at);
void gp_control_str(gp_out *o, const char *name, const char *value, size_t n);
void gp_control_time(gp_out *o, const char *name, int64_t t);
void gp_control_size(gp_out *o, const char *name, size_t v);
void gp_control_double(gp_out *o, const char *name, double v);
void gp_control_end(gp_out *o);

#endif
