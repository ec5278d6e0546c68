/* shift.h - deriving shifts from a user's segments (gpulse(7), SEMANTICS; gshift(1)).
 *
 * Per user, activity = routing statuses in the activity set (INTERACTING,
 * IDLE by default).  A new shift starts at an activity segment that begins
 * more than GAP after the end of the user's previous activity; a gap of
 * exactly GAP does not split.  A shift's span runs from its first activity
 * start to its last activity end.  Every segment is labelled with the shift
 * whose span holds it, or none; a segment that straddles a span edge is cut
 * there, so no time is lost or counted twice. */
#ifndef GPULSE_SHIFT_H
#define GPULSE_SHIFT_H

#include "gpulse.h"
#include "segment.h"

typedef struct gp_shift_config {
    int64_t gap;                /* ms */
    const char *const *activity; /* routing statuses, normalised; NULL-terminated */
    int64_t until;              /* closes each user's last point events; GP_TIME_NONE: open */
    size_t buffer;              /* bytes of held records kept in memory; past it they
                                   wait in a temporary file (-S) */
} gp_shift_config;

typedef struct gp_shifter gp_shifter;

/* Records go out through W; RD re-reads the held records' bytes. */
gp_shifter *gp_shifter_new(const gp_shift_config *config, gp_reader *rd, gp_writer *w);
/* Take the next record (already read into S).  Returns 0, or -1 when it
 * breaks the (org, user_id, start) order (message in ERR). */
int gp_shifter_add(gp_shifter *sh, gp_record *r, const gp_segment *s, gp_error *err);
/* End of input: label and write everything still held. */
void gp_shifter_finish(gp_shifter *sh);
/* Counts for --stats. */
void gp_shifter_stats(const gp_shifter *sh, long *users, long *shifts, long *pieces);
void gp_shifter_free(gp_shifter *sh);

#endif
