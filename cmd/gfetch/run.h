/* run.h - gfetch's subcommands: what each asks the Genesys Cloud
 * API, in which batches, intervals and pages, and what it writes.
 * cmd/gfetch.c parses the command line into a gf_job and calls one. */
#ifndef GPULSE_GFETCH_RUN_H
#define GPULSE_GFETCH_RUN_H

#include "config.h"
#include "api.h"
#include "gpulse.h"

/* The API's limits (analytics user details / aggregates queries). */
#define GF_MAX_PREDICATES 100     /* userId predicates per query */
#define GF_DAYS_WITHOUT_USERS 7   /* details interval without user filters */
#define GF_DAYS_WITH_USERS 31     /* details interval with user filters */

typedef struct gf_job {
    gf_settings settings;
    gc_options http;
    int64_t from, to;        /* the window [from, to) */
    char **users;            /* from --user and --users; NULL/0 = every user */
    size_t nusers, users_cap;
    int page_size;           /* paging.pageSize (default 100) */
    int64_t page_delay_ms;   /* pause between analytics requests (default 500 ms) */
    int batch_size;          /* users per query (default and at most 100) */
    bool whole;              /* keep segments uncut */
    bool async;              /* details through the jobs API */
    const char *granularity; /* aggregates (default P1D) */
    const char *tz;          /* aggregates timeZone */
    int format;              /* GP_FMT_JSON or GP_FMT_CSV; GP_FMT_AUTO = the subcommand's default */
    const char *org;         /* label added to every record, or NULL */
    const char *jq_program;  /* --jq: replaces the built-in mapping (details, aggregates, map) */
    bool dry_run;            /* --dry-run: print the plan, send nothing */
} gf_job;

/* Add user ids: one, or all of a file (a roster CSV or NDJSON with
 * user_id, or one id per line; blank lines and # comments skipped). */
void gf_job_add_user(gf_job *j, const char *id);
void gf_job_add_users_file(gf_job *j, const char *path);

void gf_details(gf_job *j);
/* The details of users IDS[0..N) over [FROM, TO) into BATCH (added, not
 * finished): the sync query, paged, in batches of 100 users.  gfetch
 * stream's re-sync baseline. */
typedef struct gs_batch gs_batch;
void gf_details_into(gf_job *j, gc_client *c, char *const *ids, size_t n, int64_t from, int64_t to,
                     gs_batch *batch);
void gf_aggregates(gf_job *j);
void gf_users(gf_job *j);
void gf_token(gf_job *j);
/* --dry-run: what SUB ("details", "aggregates", "users", "token") would
 * ask, on stdout: the API and login, the window, users, batches,
 * intervals, then each request (method, path, body summary).  Nothing is
 * sent, no token is requested. */
void gf_plan(gf_job *j, const char *sub);
/* The plan's pieces, for gfetch stream --dry-run: its first lines (the
 * subcommand, the API and login); one line (a newline added); the
 * requests gf_details_into would send. */
void gf_plan_begin(const gf_job *j, const char *sub);
void gf_plan_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void gf_plan_details_into(const gf_job *j, char *const *ids, size_t n, int64_t from, int64_t to);
/* Map saved API answers (KIND details, aggregates or users) from FILES
 * (NULL-terminated; none = stdin) without any network: what the built-in
 * jq mappings make of them.  The window, when given, applies as usual. */
void gf_map(gf_job *j, const char *kind, char **files);

#endif
