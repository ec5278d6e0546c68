/* dedupe.h - duplicate detection by key, for gdedupe (and gfetch, which
 * drops the API's repeats before they leave it). */
#ifndef GPULSE_DEDUPE_H
#define GPULSE_DEDUPE_H

#include "gpulse.h"
#include "segment.h"

typedef struct gp_dedupe_config {
    const char *key_fields; /* comma list, or NULL for the contract's key */
    /* false: the input is in canonical (org, user_id, start) order, checked
     * as it is read, and only keys that can still repeat are held;
     * true: any order, every distinct key is held */
    bool unsorted;
    /* With the contract's key on canonical input: also drop a segment that
     * lies within the last one kept of its user, timeline and status
     * (rows with secs: exact repeats only).  The analytics API returns a
     * segment that spans an interval edge once per interval, sometimes
     * cut; gfetch drops those pieces. */
    bool drop_within;
} gp_dedupe_config;

enum {
    GP_DEDUPE_NEW = 0,   /* first of its key: keep */
    GP_DEDUPE_DUPLICATE, /* seen before: drop */
    GP_DEDUPE_BAD,       /* a key field is malformed: the gp_error says which */
    GP_DEDUPE_UNSORTED,  /* the record breaks the canonical order (not .unsorted); the gp_error says how */
};

typedef struct gp_dedupe gp_dedupe;

/* Dies with a usage error for an empty key list. */
gp_dedupe *gp_dedupe_new(const gp_dedupe_config *config);
int gp_dedupe_check(gp_dedupe *d, gp_record *r, gp_error *err);
/* The same for a segment already read, with the contract's key (a
 * dedupe made with key_fields NULL). */
int gp_dedupe_segment(gp_dedupe *d, const gp_segment *s, gp_error *err);
/* The most keys held at once so far (what memory grows with). */
size_t gp_dedupe_most_held(const gp_dedupe *d);
void gp_dedupe_free(gp_dedupe *d);

#endif
