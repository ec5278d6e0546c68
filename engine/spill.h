/* spill.h - a temporary file that holds what does not fit in a tool's
 * memory buffer (-S): bytes appended at the end, read back from any offset,
 * and overwritten in place (a held record whose end became known).  The
 * file is made on the first write that does not fit the write buffer, in
 * $TMPDIR (default /tmp), and unlinked at once, so it goes away however the
 * tool ends.  A failed write (a full disk) ends the tool: exit 1 with a
 * message. */
#ifndef GPULSE_SPILL_H
#define GPULSE_SPILL_H

#include "gpulse.h"

typedef struct gp_spill gp_spill;

/* BUFFER: bytes kept in memory before they go to the file (at least 1). */
gp_spill *gp_spill_new(size_t buffer);
/* Append N bytes; returns their offset. */
uint64_t gp_spill_append(gp_spill *sp, const void *p, size_t n);
/* Copy N bytes at OFFSET (all appended already) into DST. */
void gp_spill_read(gp_spill *sp, uint64_t offset, void *dst, size_t n);
/* Overwrite N appended bytes at OFFSET. */
void gp_spill_write_at(gp_spill *sp, uint64_t offset, const void *p, size_t n);
/* Bytes appended since the last reset. */
uint64_t gp_spill_size(const gp_spill *sp);
/* Forget everything appended (the file is truncated, kept for reuse). */
void gp_spill_reset(gp_spill *sp);
void gp_spill_free(gp_spill *sp);

/* An unlinked temporary file in DIR (NULL or empty: $TMPDIR, else /tmp),
 * named PREFIX.XXXXXX while it exists; dies with a message if it cannot. */
int gp_temporary_file(const char *dir, const char *prefix);

#endif
