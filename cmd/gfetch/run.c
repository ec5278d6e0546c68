/* run.c - gfetch's subcommands.
 *
 * Order and memory: users are sorted and queried in batches of at most 100
 * (the API's predicate limit); every interval and page of one batch is
 * gathered, then the batch is deduplicated, cut to the window, sorted and
 * written.  So output is in canonical order (org, user_id, start) and
 * memory is bounded by one batch of users, not by the window. */
#include "run.h"

#include "map.h"
#include "records.h"

#include <jq.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#define DETAILS_PATH "/api/v2/analytics/users/details/query"
#define JOBS_PATH "/api/v2/analytics/users/details/jobs"
#define AGGREGATES_PATH "/api/v2/analytics/users/aggregates/query"
#define USERS_PATH "/api/v2/users"
#define TOKEN_PATH "/api/v2/tokens/me"

/* A runaway guard: no real answer needs this many pages for one query. */
#define MAX_PAGES 100000
/* Job polling: first wait, growth, cap, and the longest we wait for a job. */
#define POLL_FIRST_MS 500
#define POLL_MAX_MS 10000
#define JOB_TIMEOUT_MS (2LL * 3600 * 1000)

/* ------------------------------------------------------------------ */
/* Users                                                                */
/* ------------------------------------------------------------------ */

void gf_job_add_user(gf_job *j, const char *id)
{
    if (!id || !*id) return;
    if (j->nusers == j->users_cap) {
        j->users_cap = j->users_cap ? j->users_cap * 2 : 64;
        j->users = gp_xrealloc(j->users, j->users_cap * sizeof *j->users);
    }
    j->users[j->nusers++] = gp_xstrdup(id);
}

/* Does the first line look like a CSV header naming user_id? */
static bool has_user_id_header(const char *line, size_t n)
{
    static const char *const names[] = {"user_id", "userId", "userid", "\"user_id\""};
    size_t i = 0;
    while (i < n) {
        size_t k = i;
        while (k < n && line[k] != ',' && line[k] != '\n' && line[k] != '\r') k++;
        for (size_t m = 0; m < sizeof names / sizeof names[0]; m++)
            if (strlen(names[m]) == k - i && memcmp(line + i, names[m], k - i) == 0) return true;
        if (k >= n || line[k] != ',') break;
        i = k + 1;
    }
    return false;
}

void gf_job_add_users_file(gf_job *j, const char *path)
{
    gp_in in;
    gp_in_open(&in, path);
    int first = gp_in_first_nonblank(&in);
    size_t len;
    const char *line = NULL;
    bool records = first == '{';
    if (!records && first != -1) {
        /* Peek at the first line without losing it: reopen afterwards. */
        while ((line = gp_in_line(&in, &len)) != NULL) {
            size_t k = 0;
            while (k < len && (line[k] == ' ' || line[k] == '\t')) k++;
            if (k < len && line[k] != '\n' && line[k] != '\r') break;
        }
        records = line && has_user_id_header(line, len);
    }
    gp_in_close(&in);
    if (records) {
        char *files[] = {(char *)path, NULL};
        gp_reader *rd = gp_reader_new(files, GP_FMT_AUTO);
        gp_record *r;
        int got;
        while ((got = gp_reader_next(rd, &r)) != 0) {
            if (got < 0) gp_data_die(path, r->lineno, "%s", gp_reader_error(rd));
            gp_str id = gp_rec_get(r, GP_F_USER_ID);
            if (!id.n) gp_data_die(path, r->lineno, "no user_id");
            char *copy = gp_xstrndup(id.p, id.n);
            gf_job_add_user(j, copy);
            free(copy);
        }
        gp_reader_free(rd);
        return;
    }
    gp_in_open(&in, path);
    while ((line = gp_in_line(&in, &len)) != NULL) {
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' ' ||
                       line[len - 1] == '\t'))
            len--;
        size_t k = 0;
        while (k < len && (line[k] == ' ' || line[k] == '\t')) k++;
        if (k == len || line[k] == '#') continue;
        char *copy = gp_xstrndup(line + k, len - k);
        gf_job_add_user(j, copy);
        free(copy);
    }
    gp_in_close(&in);
}

static int cmp_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort the user ids (canonical order) and drop repeats. */
static void sort_users(gf_job *j)
{
    if (j->nusers > 1) qsort(j->users, j->nusers, sizeof *j->users, cmp_strings);
    size_t out = 0;
    for (size_t i = 0; i < j->nusers; i++) {
        if (out && strcmp(j->users[out - 1], j->users[i]) == 0) {
            free(j->users[i]);
            continue;
        }
        j->users[out++] = j->users[i];
    }
    j->nusers = out;
}

static size_t json_array_length(jv obj, const char *key)
{
    if (jv_get_kind(obj) != JV_KIND_OBJECT) return 0;
    jv v = jv_object_get(jv_copy(obj), jv_string(key));
    size_t n = jv_get_kind(v) == JV_KIND_ARRAY ? (size_t)jv_array_length(jv_copy(v)) : 0;
    jv_free(v);
    return n;
}

/* A page of KEY's items: an object whose KEY, when there, is an array of
 * objects.  Only such a page without KEY (or with none in it) ends paging. */
static const char *page_shape(jv answer, const char *key)
{
    if (jv_get_kind(answer) != JV_KIND_OBJECT) return "not a JSON object";
    jv items = jv_object_get(jv_copy(answer), jv_string(key));
    jv_kind kind = jv_get_kind(items);
    bool ok = kind == JV_KIND_NULL || kind == JV_KIND_INVALID || kind == JV_KIND_ARRAY;
    for (int i = 0; ok && kind == JV_KIND_ARRAY && i < jv_array_length(jv_copy(items)); i++) {
        jv item = jv_array_get(jv_copy(items), i);
        ok = jv_get_kind(item) == JV_KIND_OBJECT;
        jv_free(item);
    }
    jv_free(items);
    if (ok) return NULL;
    return kind == JV_KIND_ARRAY ? "an item of the page is not a JSON object" : "the page's items are not an array";
}

static const char *details_page_shape(jv answer) { return page_shape(answer, "userDetails"); }
static const char *users_page_shape(jv answer) { return page_shape(answer, "entities"); }
/* Aggregates come in one answer: "results" may be absent (no data). */
static const char *aggregates_shape(jv answer) { return page_shape(answer, "results"); }

static long json_long(jv obj, const char *key, long missing)
{
    if (jv_get_kind(obj) != JV_KIND_OBJECT) return missing;
    jv v = jv_object_get(jv_copy(obj), jv_string(key));
    long n = jv_get_kind(v) == JV_KIND_NUMBER ? (long)jv_number_value(v) : missing;
    jv_free(v);
    return n;
}

/* Every user of the org, through GET /api/v2/users pages. */
typedef int (*user_page_fn)(void *ctx, jv page, char *err, size_t errlen);

static void each_users_page(gc_client *c, int page_size, int64_t page_delay_ms, user_page_fn fn, void *ctx)
{
    for (long page = 1; page <= MAX_PAGES; page++) {
        if (page > 1) gc_sleep_ms(c, page_delay_ms);
        char path[128], what[64];
        snprintf(path, sizeof path, USERS_PATH "?pageSize=%d&pageNumber=%ld", page_size, page);
        snprintf(what, sizeof what, "users page %ld", page);
        gc_progress(c, "users: page %ld", page);
        jv resp = gc_call_shaped(c, "GET", path, NULL, what, users_page_shape);
        size_t n = json_array_length(resp, "entities");
        long page_count = json_long(resp, "pageCount", -1);
        if (n == 0) {
            jv_free(resp);
            return;
        }
        char err[512];
        if (fn(ctx, resp, err, sizeof err) != 0) gc_fail(c, "%s: %s", what, err);
        if (page_count >= 0 && page >= page_count) return;
    }
    gc_fail(c, "users: more than %d pages; giving up", MAX_PAGES);
}

static int collect_user_ids(void *ctx, jv page, char *err, size_t errlen)
{
    gf_job *j = ctx;
    jv entities = jv_object_get(page, jv_string("entities"));
    int n = jv_array_length(jv_copy(entities));
    for (int i = 0; i < n; i++) {
        jv e = jv_array_get(jv_copy(entities), i);
        const char *id = gm_string(e, "id");
        if (!id || !*id) {
            jv_free(e);
            jv_free(entities);
            snprintf(err, errlen, "a user without an id");
            return -1;
        }
        gf_job_add_user(j, id);
        jv_free(e);
    }
    jv_free(entities);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Query bodies                                                         */
/* ------------------------------------------------------------------ */

/* {"type":"or","predicates":[{"type":"dimension","dimension":"userId",
 * "operator":"matches","value":ID},...]} */
static void user_filter(gp_buf *b, char *const *ids, size_t n)
{
    gp_buf_adds(b, "{\"type\":\"or\",\"predicates\":[");
    for (size_t i = 0; i < n; i++) {
        if (i) gp_buf_addc(b, ',');
        gp_buf_adds(b, "{\"type\":\"dimension\",\"dimension\":\"userId\",\"operator\":\"matches\",\"value\":");
        gp_buf_json_string(b, ids[i], strlen(ids[i]));
        gp_buf_addc(b, '}');
    }
    gp_buf_adds(b, "]}");
}

static void details_body(gp_buf *b, gs_interval iv, char *const *ids, size_t n, int page_size, long page,
                         bool job)
{
    char interval[GS_INTERVAL_LEN + 1];
    gs_interval_format(iv, interval);
    b->len = 0;
    gp_buf_printf(b, "{\"interval\":\"%s\",\"order\":\"asc\"", interval);
    if (n) {
        gp_buf_adds(b, ",\"userFilters\":[");
        user_filter(b, ids, n);
        gp_buf_addc(b, ']');
    }
    if (!job) gp_buf_printf(b, ",\"paging\":{\"pageSize\":%d,\"pageNumber\":%ld}", page_size, page);
    gp_buf_addc(b, '}');
}

static void aggregates_body(gp_buf *b, const gf_job *j, gs_interval iv, char *const *ids, size_t n)
{
    char interval[GS_INTERVAL_LEN + 1];
    gs_interval_format(iv, interval);
    b->len = 0;
    gp_buf_printf(b, "{\"interval\":\"%s\",\"granularity\":", interval);
    gp_buf_json_string(b, j->granularity, strlen(j->granularity));
    if (j->tz) {
        gp_buf_adds(b, ",\"timeZone\":");
        gp_buf_json_string(b, j->tz, strlen(j->tz));
    }
    gp_buf_adds(b, ",\"groupBy\":[\"userId\"],\"metrics\":[\"tAgentRoutingStatus\",\"tSystemPresence\"]");
    if (n) {
        gp_buf_adds(b, ",\"filter\":");
        user_filter(b, ids, n);
    }
    gp_buf_addc(b, '}');
}

/* ------------------------------------------------------------------ */
/* Shared pieces of the record subcommands                              */
/* ------------------------------------------------------------------ */

typedef struct run {
    gf_job *job;
    gc_client *client;
    gm_program *map;
    gs_batch batch;
    gs_writer writer;
    bool asked;       /* an analytics request was made: pause before the next */
    size_t nbatches, batch_no;
    size_t nintervals, interval_no;
} run;

/* The mapping of a run: --jq's program, else the built-in one.  A --jq
 * program that does not compile is a usage error, found before any request. */
static gm_program *segment_mapping(const gf_job *j, const char *name, const char *builtin)
{
    if (!j->jq_program) return gm_compile(name, builtin);
    char err[1024];
    gm_program *p = gm_try_compile("--jq", j->jq_program, err, sizeof err);
    if (!p) gp_usage_error("%s", err);
    return p;
}

/* CSV has no column for what a --jq mapping adds: say so, never drop quietly. */
static void warn_extras(const gs_writer *w)
{
    if (w->out.format == GP_FMT_CSV && w->extras)
        gp_warn("%zu records had fields beyond the contract's (from --jq) that CSV leaves out; use NDJSON",
                w->extras);
}

static void start_run(run *r, gf_job *j, const char *map_name, const char *map_program, bool with_secs)
{
    memset(r, 0, sizeof *r);
    r->job = j;
    r->map = segment_mapping(j, map_name, map_program);
    r->client = gc_client_new(&j->settings, &j->http);
    gs_writer_init(&r->writer, &gp_stdout, j->format, with_secs, j->org);
}

/* Every query answered and not one record: say so (an empty file alone
 * looks like a failure, or like success with the wrong window). */
static void warn_if_empty(const run *r, const char *sub)
{
    const gf_job *j = r->job;
    if (r->writer.written) return;
    if (!j->nusers) {
        gp_warn("%s: no records: the org has no users", sub);
        return;
    }
    char from[GP_TIME_LEN + 1], to[GP_TIME_LEN + 1];
    gp_time_format(j->from, from);
    gp_time_format(j->to, to);
    gp_warn("%s: no records: Genesys Cloud has no data for %s%zu user%s in %s/%s", sub, j->nusers == 1 ? "" : "the ",
            j->nusers, j->nusers == 1 ? "" : "s", from, to);
}

static void end_run(run *r, const char *sub)
{
    gs_writer_start(&r->writer); /* a CSV header even when nothing came */
    gc_progress_done(r->client);
    warn_if_empty(r, sub);
    warn_extras(&r->writer);
    const gc_stats *st = gc_client_stats(r->client);
    if (r->job->http.verbose)
        gp_warn("%zu records; %ld requests, %ld retries, waited %.1f s", r->writer.written, st->requests,
                st->retries, (double)st->waited_ms / 1000);
    gs_batch_free(&r->batch);
    gm_free(r->map);
    gc_client_free(r->client);
    gp_out_close(&gp_stdout);
}

/* Be kind to the rate limits: a pause between analytics requests. */
static void pace(run *r)
{
    if (r->asked) gc_sleep_ms(r->client, r->job->page_delay_ms);
    r->asked = true;
}

static void map_answer(run *r, jv answer, const char *what)
{
    char err[1024];
    if (gm_run(r->map, answer, gm_add_segment, &r->batch, err, sizeof err) != 0)
        gc_fail(r->client, "%s: %s", what, err);
}

static void flush_batch(run *r, bool dedupe, bool whole)
{
    gs_finish_options o = {r->job->from, r->job->to, whole, dedupe};
    gs_batch_finish(&r->batch, &o);
    gs_write_batch(&r->writer, &r->batch);
    gs_batch_clear(&r->batch);
}

/* The users to query: as given, or every user of the org; sorted. */
static void resolve_users(run *r)
{
    gf_job *j = r->job;
    if (!j->nusers) each_users_page(r->client, 100, j->page_delay_ms, collect_user_ids, j);
    sort_users(j);
    r->nbatches = (j->nusers + (size_t)j->batch_size - 1) / (size_t)j->batch_size;
}

static void describe(char *what, size_t n, const char *verb, const run *r, gs_interval iv)
{
    char interval[GS_INTERVAL_LEN + 1];
    gs_interval_format(iv, interval);
    snprintf(what, n, "%s batch %zu/%zu, interval %s", verb, r->batch_no, r->nbatches, interval);
}

/* ------------------------------------------------------------------ */
/* details                                                              */
/* ------------------------------------------------------------------ */

static void details_sync(run *r, gs_interval iv, char *const *ids, size_t n)
{
    gp_buf body = {0};
    char what[256], page_what[300];
    describe(what, sizeof what, "details", r, iv);
    for (long page = 1;; page++) {
        if (page > MAX_PAGES) gc_fail(r->client, "%s: more than %d pages; giving up", what, MAX_PAGES);
        details_body(&body, iv, ids, n, r->job->page_size, page, false);
        snprintf(page_what, sizeof page_what, "%s, page %ld", what, page);
        gc_progress(r->client, "details: batch %zu/%zu, interval %zu/%zu, page %ld, %zu records", r->batch_no,
                    r->nbatches, r->interval_no, r->nintervals, page, r->writer.written + r->batch.len);
        pace(r);
        jv answer = gc_call_shaped(r->client, "POST", DETAILS_PATH, body.data, page_what, details_page_shape);
        /* totalHits is approximate and pages can be short: only a
         * well-formed empty page ends the query. */
        if (json_array_length(answer, "userDetails") == 0) {
            jv_free(answer);
            break;
        }
        map_answer(r, answer, page_what);
    }
    gp_buf_free(&body);
}

static void url_escape(gp_buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
            ch == '_' || ch == '.' || ch == '~')
            gp_buf_addc(b, (char)ch);
        else
            gp_buf_printf(b, "%%%02X", ch);
    }
}

/* details --async: create a job, poll it until FULFILLED, page its results
 * by cursor. */
static void details_job(run *r, gs_interval iv, char *const *ids, size_t n)
{
    gc_client *c = r->client;
    gp_buf body = {0}, path = {0};
    char what[256], step[400];
    describe(what, sizeof what, "details job", r, iv);
    details_body(&body, iv, ids, n, 0, 0, true);
    pace(r);
    snprintf(step, sizeof step, "%s: create", what);
    jv created = gc_call(c, "POST", JOBS_PATH, body.data, step);
    const char *id_text = gm_string(created, "jobId");
    if (!id_text || !*id_text) gc_fail(c, "%s: the answer has no jobId", step);
    char *job_id = gp_xstrdup(id_text);
    jv_free(created);

    int64_t delay = POLL_FIRST_MS, polled = 0;
    for (;;) {
        gc_sleep_ms(c, delay);
        polled += delay;
        path.len = 0;
        gp_buf_adds(&path, JOBS_PATH "/");
        url_escape(&path, job_id);
        snprintf(step, sizeof step, "%s: job %s status", what, job_id);
        gc_progress(c, "details: batch %zu/%zu, interval %zu/%zu, job %s waiting", r->batch_no, r->nbatches,
                    r->interval_no, r->nintervals, job_id);
        jv status = gc_call(c, "GET", path.data, NULL, step);
        const char *state = gm_string(status, "state");
        if (state && strcmp(state, "FULFILLED") == 0) {
            jv_free(status);
            break;
        }
        if (!state || (strcmp(state, "QUEUED") != 0 && strcmp(state, "PENDING") != 0)) {
            const char *msg = gm_string(status, "errorMessage");
            gc_fail(c, "%s: job %s %s%s%s", what, job_id, state ? state : "has no state", msg ? ": " : "",
                    msg ? msg : "");
        }
        jv_free(status);
        if (polled > JOB_TIMEOUT_MS) gc_fail(c, "%s: job %s still %s after %lld s", what, job_id, state,
                                             (long long)(polled / 1000));
        delay = delay * 2 > POLL_MAX_MS ? POLL_MAX_MS : delay * 2;
    }

    char *cursor = NULL;
    for (long page = 1;; page++) {
        if (page > MAX_PAGES) gc_fail(c, "%s: more than %d result pages; giving up", what, MAX_PAGES);
        path.len = 0;
        gp_buf_adds(&path, JOBS_PATH "/");
        url_escape(&path, job_id);
        gp_buf_printf(&path, "/results?pageSize=%d", r->job->page_size);
        if (cursor) {
            gp_buf_adds(&path, "&cursor=");
            url_escape(&path, cursor);
        }
        snprintf(step, sizeof step, "%s: job %s results page %ld", what, job_id, page);
        gc_progress(c, "details: batch %zu/%zu, interval %zu/%zu, job results page %ld, %zu records",
                    r->batch_no, r->nbatches, r->interval_no, r->nintervals, page,
                    r->writer.written + r->batch.len);
        pace(r);
        jv answer = gc_call_shaped(c, "GET", path.data, NULL, step, details_page_shape);
        const char *next = gm_string(answer, "cursor");
        free(cursor);
        cursor = next && *next ? gp_xstrdup(next) : NULL;
        map_answer(r, answer, step);
        if (!cursor) break;
    }
    free(job_id);
    gp_buf_free(&body);
    gp_buf_free(&path);
}

/* The intervals of details queries.  Every query filters on users, so the
 * API accepts 31-day intervals. */
static size_t details_intervals(const gf_job *j, gs_interval **ivs)
{
    return gs_split(j->from, j->to, GF_DAYS_WITH_USERS * GS_DAY_MS, ivs);
}

void gf_details(gf_job *j)
{
    if (j->dry_run) {
        gf_plan(j, "details");
        return;
    }
    run r;
    start_run(&r, j, "details", gm_details_jq, false);
    resolve_users(&r);
    gs_interval *ivs;
    r.nintervals = details_intervals(j, &ivs);
    for (size_t first = 0; first < j->nusers; first += (size_t)j->batch_size) {
        size_t n = j->nusers - first < (size_t)j->batch_size ? j->nusers - first : (size_t)j->batch_size;
        r.batch_no++;
        for (size_t i = 0; i < r.nintervals; i++) {
            r.interval_no = i + 1;
            if (j->async) details_job(&r, ivs[i], j->users + first, n);
            else details_sync(&r, ivs[i], j->users + first, n);
        }
        flush_batch(&r, true, j->whole);
    }
    free(ivs);
    end_run(&r, "details");
}

void gf_details_into(gf_job *j, gc_client *c, char *const *ids, size_t n, int64_t from, int64_t to,
                     gs_batch *batch)
{
    run r;
    memset(&r, 0, sizeof r);
    r.job = j;
    r.client = c;
    r.map = gm_compile("details", gm_details_jq);
    r.batch = *batch;
    r.nbatches = r.batch_no = 1;
    gs_interval *ivs;
    r.nintervals = gs_split(from, to, GF_DAYS_WITH_USERS * GS_DAY_MS, &ivs);
    for (size_t first = 0; first < n; first += GF_MAX_PREDICATES) {
        size_t count = n - first < GF_MAX_PREDICATES ? n - first : GF_MAX_PREDICATES;
        for (size_t i = 0; i < r.nintervals; i++) {
            r.interval_no = i + 1;
            details_sync(&r, ivs[i], ids + first, count);
        }
    }
    free(ivs);
    gm_free(r.map);
    *batch = r.batch;
}

/* ------------------------------------------------------------------ */
/* aggregates                                                           */
/* ------------------------------------------------------------------ */

/* The intervals of aggregates queries: whole numbers of granules of at
 * most 31 days. */
static size_t aggregates_intervals(const gf_job *j, gs_interval **ivs)
{
    int64_t gran_ms = 0;
    if (gp_duration_parse(j->granularity, &gran_ms) != 0) gran_ms = 0; /* P1M and the like: no split */
    return gs_split(j->from, j->to, gs_aggregate_chunk(gran_ms, GF_DAYS_WITH_USERS * GS_DAY_MS), ivs);
}

void gf_aggregates(gf_job *j)
{
    if (j->dry_run) {
        gf_plan(j, "aggregates");
        return;
    }
    run r;
    start_run(&r, j, "aggregates", gm_aggregates_jq, true);
    resolve_users(&r);
    gs_interval *ivs;
    r.nintervals = aggregates_intervals(j, &ivs);
    gp_buf body = {0};
    for (size_t first = 0; first < j->nusers; first += (size_t)j->batch_size) {
        size_t n = j->nusers - first < (size_t)j->batch_size ? j->nusers - first : (size_t)j->batch_size;
        r.batch_no++;
        for (size_t i = 0; i < r.nintervals; i++) {
            r.interval_no = i + 1;
            char what[256];
            describe(what, sizeof what, "aggregates", &r, ivs[i]);
            aggregates_body(&body, j, ivs[i], j->users + first, n);
            gc_progress(r.client, "aggregates: batch %zu/%zu, interval %zu/%zu, %zu rows", r.batch_no,
                        r.nbatches, r.interval_no, r.nintervals, r.writer.written + r.batch.len);
            pace(&r);
            jv answer = gc_call_shaped(r.client, "POST", AGGREGATES_PATH, body.data, what, aggregates_shape);
            map_answer(&r, answer, what);
        }
        /* Interval rows are the API's own: kept whole, exact repeats dropped. */
        flush_batch(&r, true, true);
    }
    gp_buf_free(&body);
    free(ivs);
    end_run(&r, "aggregates");
}

/* ------------------------------------------------------------------ */
/* users                                                                */
/* ------------------------------------------------------------------ */

typedef struct roster_out {
    gp_table *table;
    const char *org;
} roster_out;

static int write_roster_row(void *ctx, jv row, char *err, size_t errlen)
{
    roster_out *ro = ctx;
    static const char *const cols[] = {"user_id", "name", "role", "hire_date"};
    const char *id = gm_string(row, "user_id");
    if (!id || !*id) {
        snprintf(err, errlen, "a user without an id");
        jv_free(row);
        return -1;
    }
    for (int i = 0; i < 4; i++) {
        const char *v = gm_string(row, cols[i]);
        gp_table_strz(ro->table, i, v ? v : "");
    }
    if (ro->org) gp_table_strz(ro->table, 4, ro->org);
    gp_table_end_row(ro->table);
    jv_free(row);
    return 0;
}

typedef struct users_ctx {
    gm_program *map;
    roster_out out;
} users_ctx;

static int map_users_page(void *ctx, jv page, char *err, size_t errlen)
{
    users_ctx *u = ctx;
    return gm_run(u->map, page, write_roster_row, &u->out, err, errlen);
}

static gp_table *roster_table(const gf_job *j)
{
    static const char *const cols[] = {"user_id", "name", "role", "hire_date", "org"};
    int format = j->format == GP_FMT_JSON ? GP_FMT_JSON : GP_FMT_CSV; /* a roster is CSV by default */
    return gp_table_new(&gp_stdout, format, cols, j->org ? 5 : 4);
}

void gf_users(gf_job *j)
{
    if (j->dry_run) {
        gf_plan(j, "users");
        return;
    }
    gc_client *c = gc_client_new(&j->settings, &j->http);
    users_ctx u = {gm_compile("users", gm_users_jq), {roster_table(j), j->org}};
    each_users_page(c, j->page_size, j->page_delay_ms, map_users_page, &u);
    gc_progress_done(c);
    gp_table_free(u.out.table);
    gm_free(u.map);
    gc_client_free(c);
    gp_out_close(&gp_stdout);
}

/* ------------------------------------------------------------------ */
/* token                                                                */
/* ------------------------------------------------------------------ */

/* NAME (ID) of an entity object {id, name}. */
static void entity_text(gp_buf *b, jv entity)
{
    const char *name = gm_string(entity, "name"), *id = gm_string(entity, "id");
    if (name) gp_buf_adds(b, name);
    if (id) gp_buf_printf(b, "%s(%s)", name ? " " : "", id);
    if (!name && !id) gp_buf_adds(b, "(unknown)");
    gp_buf_cstr(b);
}

static jv field(jv obj, const char *key)
{
    if (jv_get_kind(obj) != JV_KIND_OBJECT) return jv_null();
    return jv_object_get(jv_copy(obj), jv_string(key));
}

void gf_token(gf_job *j)
{
    if (j->dry_run) {
        gf_plan(j, "token");
        return;
    }
    gc_client *c = gc_client_new(&j->settings, &j->http);
    jv info = gc_call(c, "GET", TOKEN_PATH, NULL, "token");
    jv org = field(info, "organization");
    jv client = field(info, "OAuthClient");
    if (jv_get_kind(client) != JV_KIND_OBJECT) {
        jv_free(client);
        client = field(info, "oAuthClient");
    }
    int64_t expires = gc_token_expiry_ms(c);
    char ts[GP_TIME_LEN + 1] = "";
    if (expires >= 0) gp_time_format(expires, ts);
    struct timeval now;
    gettimeofday(&now, NULL);
    int64_t left_s = expires >= 0 ? (expires - ((int64_t)now.tv_sec * 1000 + now.tv_usec / 1000)) / 1000 : -1;
    if (j->format == GP_FMT_AUTO) {
        gp_buf org_text = {0}, client_text = {0};
        entity_text(&org_text, org);
        entity_text(&client_text, client);
        gp_out_printf(&gp_stdout, "api: %s\n", j->settings.api_url);
        gp_out_printf(&gp_stdout, "organization: %s\n", org_text.data);
        if (jv_get_kind(client) == JV_KIND_OBJECT) gp_out_printf(&gp_stdout, "client: %s\n", client_text.data);
        if (expires >= 0)
            gp_out_printf(&gp_stdout, "token expires: %s (in %lld h %02lld min)\n", ts, (long long)(left_s / 3600),
                          (long long)(left_s % 3600 / 60));
        else
            gp_out_puts(&gp_stdout, "token expires: unknown (an access token was given)\n");
        gp_buf_free(&org_text);
        gp_buf_free(&client_text);
    } else {
        static const char *const cols[] = {"api_url", "organization", "organization_id", "client", "client_id",
                                           "expires"};
        gp_table *t = gp_table_new(&gp_stdout, j->format, cols, 6);
        const char *v;
        gp_table_strz(t, 0, j->settings.api_url);
        if ((v = gm_string(org, "name"))) gp_table_strz(t, 1, v);
        if ((v = gm_string(org, "id"))) gp_table_strz(t, 2, v);
        if ((v = gm_string(client, "name"))) gp_table_strz(t, 3, v);
        if ((v = gm_string(client, "id"))) gp_table_strz(t, 4, v);
        if (expires >= 0) gp_table_time(t, 5, expires);
        gp_table_end_row(t);
        gp_table_free(t);
    }
    jv_free(org);
    jv_free(client);
    jv_free(info);
    gc_client_free(c);
    gp_out_close(&gp_stdout);
}

/* ------------------------------------------------------------------ */
/* --dry-run: the plan, nothing sent                                    */
/* ------------------------------------------------------------------ */

/* What a run of SUB would ask, in the order it would ask it, from the
 * same users, batches and intervals as the run itself (the functions above
 * split them); no client is made, so no token is requested either. */

void gf_plan_line(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) gp_die("cannot format the plan");
    char *text = gp_xmalloc((size_t)n + 2);
    va_start(ap, fmt);
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    va_end(ap);
    text[n] = '\n';
    gp_out_write(&gp_stdout, text, (size_t)n + 1);
    free(text);
}

static void plan_login(const gf_settings *s)
{
    gf_plan_line("api: %s", s->api_url);
    if (s->access_token) {
        gf_plan_line("login: none (an access token is given)");
        return;
    }
    gf_plan_line("login: POST %s/oauth/token (client credentials)", s->login_url);
    if (!s->client_id || !s->client_secret)
        gp_warn("no credentials: a run would stop at the login (set GENESYSCLOUD_OAUTHCLIENT_ID and "
                "GENESYSCLOUD_OAUTHCLIENT_SECRET, or use --profile)");
}

static void plan_users_listing(int page_size)
{
    gf_plan_line("GET " USERS_PATH "?pageSize=%d&pageNumber=1, 2, ... until an empty page", page_size);
}

/* "3 users u1 .. u3" */
static void users_summary(gp_buf *b, char *const *ids, size_t n)
{
    gp_buf_printf(b, "%zu user%s %s", n, n == 1 ? "" : "s", ids[0]);
    if (n > 1) gp_buf_printf(b, " .. %s", ids[n - 1]);
}

static void plan_query(const gf_job *j, bool aggregates, bool async, gs_interval iv, char *const *ids, size_t n)
{
    char interval[GS_INTERVAL_LEN + 1];
    gs_interval_format(iv, interval);
    gp_buf who = {0};
    if (ids) users_summary(&who, ids, n);
    else gp_buf_adds(&who, "the batch's users");
    gp_buf_cstr(&who);
    if (aggregates) {
        gf_plan_line("  POST " AGGREGATES_PATH " {interval %s, granularity %s%s%s, %s}", interval, j->granularity,
                  j->tz ? ", timeZone " : "", j->tz ? j->tz : "", who.data);
    } else if (async) {
        gf_plan_line("  POST " JOBS_PATH " {interval %s, %s}", interval, who.data);
        gf_plan_line("  GET " JOBS_PATH "/JOBID until FULFILLED, then GET " JOBS_PATH
                  "/JOBID/results?pageSize=%d by cursor",
                  j->page_size);
    } else {
        gf_plan_line("  POST " DETAILS_PATH " {interval %s, %s, pageSize %d, pageNumber 1, 2, ... until an "
                  "empty page}",
                  interval, who.data, j->page_size);
    }
    gp_buf_free(&who);
}

void gf_plan_begin(const gf_job *j, const char *sub)
{
    gf_plan_line("gfetch %s --dry-run: the plan; nothing is sent", sub);
    plan_login(&j->settings);
}

void gf_plan_details_into(const gf_job *j, char *const *ids, size_t n, int64_t from, int64_t to)
{
    gs_interval *ivs;
    size_t nintervals = gs_split(from, to, GF_DAYS_WITH_USERS * GS_DAY_MS, &ivs);
    for (size_t first = 0; first < n; first += GF_MAX_PREDICATES) {
        size_t count = n - first < GF_MAX_PREDICATES ? n - first : GF_MAX_PREDICATES;
        for (size_t i = 0; i < nintervals; i++) plan_query(j, false, false, ivs[i], ids + first, count);
    }
    free(ivs);
}

void gf_plan(gf_job *j, const char *sub)
{
    bool aggregates = strcmp(sub, "aggregates") == 0;
    if (aggregates || strcmp(sub, "details") == 0) /* a --jq program that does not compile: refused as in a run */
        gm_free(segment_mapping(j, sub, aggregates ? gm_aggregates_jq : gm_details_jq));
    gf_plan_begin(j, sub);
    if (strcmp(sub, "token") == 0) {
        gf_plan_line("GET " TOKEN_PATH);
    } else if (strcmp(sub, "users") == 0) {
        plan_users_listing(j->page_size);
    } else {
        gs_interval *ivs;
        size_t nintervals = aggregates ? aggregates_intervals(j, &ivs) : details_intervals(j, &ivs);
        char from[GP_TIME_LEN + 1], to[GP_TIME_LEN + 1];
        gp_time_format(j->from, from);
        gp_time_format(j->to, to);
        gf_plan_line("window: %s/%s", from, to);
        gf_plan_line("intervals: %zu (at most %d days each)", nintervals, GF_DAYS_WITH_USERS);
        if (j->nusers) {
            sort_users(j);
            size_t nbatches = (j->nusers + (size_t)j->batch_size - 1) / (size_t)j->batch_size;
            gf_plan_line("users: %zu given, in %zu batch%s of at most %d", j->nusers, nbatches,
                      nbatches == 1 ? "" : "es", j->batch_size);
            size_t queries = nbatches * nintervals;
            if (aggregates)
                gf_plan_line("requests: %zu, %lld ms apart", queries, (long long)j->page_delay_ms);
            else
                gf_plan_line("requests: at least %zu (%s), %lld ms apart", queries * (j->async ? 3 : 1),
                          j->async ? "a job, its status and its results per batch and interval"
                                   : "pages until an empty one per batch and interval",
                          (long long)j->page_delay_ms);
            for (size_t first = 0, b = 1; first < j->nusers; first += (size_t)j->batch_size, b++) {
                size_t n = j->nusers - first < (size_t)j->batch_size ? j->nusers - first : (size_t)j->batch_size;
                gf_plan_line("batch %zu/%zu:", b, nbatches);
                for (size_t i = 0; i < nintervals; i++) plan_query(j, aggregates, j->async, ivs[i], j->users + first, n);
            }
        } else {
            gf_plan_line("users: every user of the org, listed first, in batches of at most %d", j->batch_size);
            plan_users_listing(100);
            gf_plan_line("each batch:");
            for (size_t i = 0; i < nintervals; i++) plan_query(j, aggregates, j->async, ivs[i], NULL, 0);
        }
        free(ivs);
    }
    gp_out_close(&gp_stdout);
}

/* ------------------------------------------------------------------ */
/* map: saved answers, no network                                       */
/* ------------------------------------------------------------------ */

static void read_all(const char *path, gp_buf *b)
{
    gp_in in;
    gp_in_open(&in, path);
    size_t len;
    const char *line;
    while ((line = gp_in_line(&in, &len)) != NULL) gp_buf_add(b, line, len);
    gp_in_close(&in);
    gp_buf_cstr(b);
}

/* Each JSON value of FILE (saved answers may be concatenated). */
static void each_json(const char *path, int (*fn)(void *, jv, char *, size_t), void *ctx)
{
    gp_buf text = {0};
    read_all(path, &text);
    jv_parser *p = jv_parser_new(0);
    jv_parser_set_buf(p, text.data ? text.data : "", (int)text.len, 0);
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    for (;;) {
        jv v = jv_parser_next(p);
        if (!jv_is_valid(v)) {
            if (jv_invalid_has_msg(jv_copy(v))) {
                jv msg = jv_invalid_get_msg(v);
                gp_data_die(name, 0, "not JSON: %s", jv_string_value(msg));
            }
            jv_free(v);
            break;
        }
        char err[1024];
        if (fn(ctx, v, err, sizeof err) != 0) gp_data_die(name, 0, "%s", err);
    }
    jv_parser_free(p);
    gp_buf_free(&text);
}

typedef struct map_ctx {
    gm_program *map;
    gs_batch *batch;
} map_ctx;

static int map_segments(void *ctx, jv answer, char *err, size_t errlen)
{
    map_ctx *m = ctx;
    return gm_run(m->map, answer, gm_add_segment, m->batch, err, errlen);
}

void gf_map(gf_job *j, const char *kind, char **files)
{
    static char *stdin_only[] = {"-", NULL};
    if (!files || !files[0]) files = stdin_only;
    if (strcmp(kind, "users") == 0) {
        users_ctx u = {gm_compile("users", gm_users_jq), {roster_table(j), j->org}};
        for (char **f = files; *f; f++) each_json(*f, map_users_page, &u);
        gp_table_free(u.out.table);
        gm_free(u.map);
        gp_out_close(&gp_stdout);
        return;
    }
    bool aggregates = strcmp(kind, "aggregates") == 0;
    if (!aggregates && strcmp(kind, "details") != 0)
        gp_usage_error("map: unknown kind '%s' (details, aggregates or users)", kind);
    gs_batch batch = {0};
    map_ctx m = {segment_mapping(j, kind, aggregates ? gm_aggregates_jq : gm_details_jq), &batch};
    for (char **f = files; *f; f++) each_json(*f, map_segments, &m);
    gs_finish_options o = {j->from, j->to, aggregates || j->whole, true};
    gs_batch_finish(&batch, &o);
    gs_writer w;
    gs_writer_init(&w, &gp_stdout, j->format, aggregates, j->org);
    gs_write_batch(&w, &batch);
    warn_extras(&w);
    gs_batch_free(&batch);
    gm_free(m.map);
    gp_out_close(&gp_stdout);
}
