/* map.h - from Genesys API answers to gpulse records, with libjq.
 *
 * Each endpoint's mapping is a jq program (readable, testable on saved
 * answers with `gfetch map`), compiled once per run.  A mapping emits flat
 * objects; gm_add_segment() checks one and adds it to a batch:
 *
 *   {"user_id": ID, "routing_status": S | "presence": S,
 *    "start": RFC3339, "end": RFC3339 or null, "ms": milliseconds (aggregates)}
 */
#ifndef GPULSE_GMAP_H
#define GPULSE_GMAP_H

#include "records.h"

#include <jv.h>

/* The built-in mappings. */
extern const char gm_details_jq[];    /* AnalyticsUserDetailsQueryResponse (sync and async) */
extern const char gm_aggregates_jq[]; /* UserAggregateQueryResponse */
extern const char gm_users_jq[];      /* GET /api/v2/users page -> roster rows */

typedef struct gm_program gm_program;

/* Compile PROGRAM; NAME is for messages.  Dies with jq's message when it
 * does not compile. */
gm_program *gm_compile(const char *name, const char *program);
/* The same, but NULL with jq's message in ERR when it does not compile. */
gm_program *gm_try_compile(const char *name, const char *program, char *err, size_t errlen);
void gm_free(gm_program *p);

/* Run P on INPUT (consumed) and call EMIT with each output (EMIT owns it and
 * returns 0, or -1 to stop with its message already in ERR).  Returns 0, or
 * -1 with a message in ERR (a jq runtime error, or EMIT's). */
typedef int (*gm_emit_fn)(void *ctx, jv out, char *err, size_t errlen);
int gm_run(gm_program *p, jv input, gm_emit_fn emit, void *ctx, char *err, size_t errlen);

/* An EMIT for segment mappings: CTX is a gs_batch.  Checks the object's
 * fields (messages name the field and value).  Any other member of the
 * object (a mapping given with --jq may add some) becomes an extra field of
 * the record. */
int gm_add_segment(void *batch, jv rec, char *err, size_t errlen);

/* A string field of an object, or NULL (absent, null, not a string).
 * The pointer lives as long as OBJ. */
const char *gm_string(jv obj, const char *key);

#endif
