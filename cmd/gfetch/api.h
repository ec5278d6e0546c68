/* api.h - a small Genesys Cloud API client on libcurl: OAuth client
 * credentials, one reused connection, retries that respect the API's rate
 * limits, and tracing that never shows a secret.
 *
 * Failures that retrying cannot fix end the program (status 1) with a
 * message naming the request and what it was for; standard output is
 * flushed first, so what was written before is whole records. */
#ifndef GPULSE_GENESYS_H
#define GPULSE_GENESYS_H

#include "config.h"
#include "gpulse.h"

#include <jv.h>
#include <signal.h>

typedef struct gc_options {
    int max_retries;      /* retries per request (default 5) */
    int64_t max_wait_ms;  /* total time one request may spend waiting to retry */
    int64_t timeout_ms;   /* one attempt's limit */
    uint64_t max_body;    /* largest answer body accepted, bytes (--max-body) */
    int verbose;          /* 1: trace requests and retries; 2: also request bodies */
    bool progress;        /* a status line on stderr (a terminal) */
} gc_options;

/* --max-body's default: the API's largest pages are a few MB. */
#define GC_MAX_BODY_DEFAULT (256ULL << 20)

typedef struct gc_client gc_client;

/* S must be resolved (gf_settings_resolve); the client keeps pointers to its
 * strings.  Dies when libcurl cannot start. */
gc_client *gc_client_new(const gf_settings *s, const gc_options *o);
void gc_client_free(gc_client *c);

/* Make sure a token is at hand (logs in with client credentials unless an
 * access token was given). */
void gc_login(gc_client *c);
/* Seconds until the token expires, as the login said; -1 when unknown. */
int64_t gc_token_expiry_ms(const gc_client *c);

/* One API call: METHOD ("GET", "POST") PATH (starting with /api/v2/, query
 * string included) with an optional JSON BODY.  WHAT names the request for
 * messages ("details interval ... page 3").  Returns the parsed JSON of a
 * 2xx answer (the caller frees it); retries 429, 5xx, connection failures
 * and unparsable bodies; a 401 gets one fresh token and one retry; any other
 * status ends the program with the API's message. */
jv gc_call(gc_client *c, const char *method, const char *path, const char *body, const char *what);

/* What a well-formed answer looks like: NULL when ANSWER (jv_null() for an
 * empty body) is one, else what is wrong with it ("not a JSON object"). */
typedef const char *(*gc_shape_fn)(jv answer);
/* gc_call() for answers whose shape matters (pages: a malformed one must
 * never pass for the last): an answer SHAPE refuses is retried like a
 * server fault, then ends the program. */
jv gc_call_shaped(gc_client *c, const char *method, const char *path, const char *body, const char *what,
                  gc_shape_fn shape);

/* gfetch stream's rule while a channel is down or being renewed: every
 * transient failure (429, 5xx, connection failures and timeouts, malformed
 * answers) is retried with the reconnect backoff (1 s doubling to 60 s,
 * with jitter) however many times it takes, until the next wait would end
 * past DEADLINE_MS (monotonic; INT64_MAX: never); then the program ends,
 * the message naming the request, the last failure and LIMIT (words such
 * as "--max-wait 10 s").  While it waits, a set *STOP (a signal) calls
 * STOPPED, which ends the program (it must not return). */
typedef struct gc_persist {
    int64_t deadline_ms;
    const char *limit;
    const volatile sig_atomic_t *stop;
    void (*stopped)(void *ctx);
    void *ctx;
} gc_persist;
/* P applies to the calls that follow; NULL: back to --max-retries and
 * --max-wait per request.  The client keeps the pointer. */
void gc_persist_set(gc_client *c, const gc_persist *p);

/* Monotonic ms from which the token is renewed (a tenth of its life, at
 * most a minute, before it expires); INT64_MAX for a given access token. */
int64_t gc_token_renew_at(const gc_client *c);
/* The token was revoked: log in again at the next call (client credentials
 * only; a given access token stays). */
void gc_forget_token(gc_client *c);

/* Standard base64 of IN into OUT (NUL-terminated). */
void gc_base64(const unsigned char *in, size_t n, gp_buf *out);

/* Counters for progress and tests. */
typedef struct gc_stats {
    long requests, retries;
    int64_t waited_ms;
} gc_stats;
const gc_stats *gc_client_stats(const gc_client *c);

/* Sleep MS milliseconds (page delays, job polls), counted as waiting. */
void gc_sleep_ms(gc_client *c, int64_t ms);

/* The progress line: set its text (printf-style); shown when progress is on. */
void gc_progress(gc_client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Clear the progress line (before normal exit or a message). */
void gc_progress_done(gc_client *c);

/* Flush stdout, clear the progress line, print "gfetch: message" and exit 1.
 * Any secret the client knows is masked in the message. */
noreturn void gc_fail(gc_client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Write TEXT to OUT with every occurrence of the client's secrets (client
 * secret, access token) replaced by "****". */
void gc_scrub(const gc_client *c, gp_buf *out, const char *text, size_t n);

/* Monotonic clock in ms. */
int64_t gc_now_ms(void);

#endif
