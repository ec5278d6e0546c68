/* sortpipe.h - sorting records with GNU sort: each record waits in a
 * temporary file while sort(1) orders one short line per record (a key that
 * compares bytewise, then where the record lies), spilling to disk when the
 * input is larger than memory; the records are then copied out in order. */
#ifndef GPULSE_SORTPIPE_H
#define GPULSE_SORTPIPE_H

#include "gpulse.h"

typedef struct gp_sortpipe gp_sortpipe;

typedef struct gp_sort_options {
    const char *buffer_size; /* sort -S, or NULL */
    const char *temp_dir;    /* sort -T, or NULL */
    const char *parallel;    /* sort --parallel, or NULL */
} gp_sort_options;

/* Start sort(1) (the SORT environment variable may name another binary). */
gp_sortpipe *gp_sortpipe_start(const gp_sort_options *options, int nkeys);
/* V as DIGITS base-64 digits that compare bytewise as numbers: a compact
 * key part for fixed-width numbers (a time: gp_sortpipe_time_key). */
void gp_sortpipe_digits(uint64_t v, char *out, int digits);
enum { GP_SORT_TIME_DIGITS = 11 };
/* MS (any int64) as GP_SORT_TIME_DIGITS digits in the order of instants. */
static inline void gp_sortpipe_time_key(int64_t ms, char *out)
{
    gp_sortpipe_digits((uint64_t)ms ^ (UINT64_C(1) << 63), out, GP_SORT_TIME_DIGITS);
}
/* Feed one record: its NKEYS key parts (compared in order) and its bytes. */
void gp_sortpipe_add(gp_sortpipe *sp, const gp_str *keys, const char *raw, size_t len);
/* Close sort's input, copy the records to OUT in the order of its output,
 * wait for it.  Dies with a message if sort fails. */
void gp_sortpipe_finish(gp_sortpipe *sp, gp_out *out);

#endif
