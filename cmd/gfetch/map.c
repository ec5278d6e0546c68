/* map.c - jq mappings from Genesys answers to records. */
#include "map.h"

#include <jq.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Details (sync query pages and async job result pages): one record per
 * routing-status and per presence segment, as the API sends them. */
const char gm_details_jq[] =
    ".userDetails[]? | .userId as $u\n"
    "| ( .routingStatus[]?\n"
    "    | {user_id: $u, routing_status: .routingStatus, start: .startTime, end: .endTime} ),\n"
    "  ( .primaryPresence[]?\n"
    "    | {user_id: $u, presence: .systemPresence, start: .startTime, end: .endTime} )\n";

/* Aggregates: one row per user, interval and status; stats.sum is ms. */
const char gm_aggregates_jq[] =
    ".results[]? | .group.userId as $u\n"
    "| .data[]? | (.interval | split(\"/\")) as [$s, $e]\n"
    "| .metrics[]?\n"
    "| if .metric == \"tAgentRoutingStatus\" then\n"
    "    {user_id: $u, routing_status: .qualifier, start: $s, end: $e, ms: .stats.sum}\n"
    "  elif .metric == \"tSystemPresence\" then\n"
    "    {user_id: $u, presence: .qualifier, start: $s, end: $e, ms: .stats.sum}\n"
    "  else empty end\n";

/* Users: a roster row; role from the title, else the department. */
const char gm_users_jq[] =
    "def nonempty: select(. != null and . != \"\");\n"
    ".entities[]?\n"
    "| {user_id: .id,\n"
    "   name: (.name // \"\"),\n"
    "   role: ([.title, .department] | map(nonempty) | .[0] // \"\"),\n"
    "   hire_date: ([.employerInfo.dateHire?, .dateHire?] | map(nonempty) | .[0] // \"\")}\n";

struct gm_program {
    char *name;
    jq_state *jq;
    gp_buf compile_errors;
};

static void on_compile_error(void *data, jv msg)
{
    gm_program *p = data;
    jv text = jq_format_error(msg);
    if (jv_get_kind(text) == JV_KIND_STRING) {
        if (p->compile_errors.len) gp_buf_adds(&p->compile_errors, "; ");
        gp_buf_adds(&p->compile_errors, jv_string_value(text));
    }
    jv_free(text);
}

/* Programs still compiled.  A tool may exit from deep inside (a closed
 * pipe ends it quietly from the output code): tear jq down then too, or
 * the leak checkers see jq's stack, which jq only points at from its end. */
enum { MAX_LIVE = 8 };
static gm_program *live[MAX_LIVE];

static void free_live_programs(void)
{
    for (int i = 0; i < MAX_LIVE; i++)
        if (live[i]) gm_free(live[i]);
}

static void track(gm_program *p, gm_program *replacement)
{
    static bool registered;
    if (!registered) {
        atexit(free_live_programs);
        registered = true;
    }
    for (int i = 0; i < MAX_LIVE; i++) {
        if (live[i] == p) {
            live[i] = replacement;
            return;
        }
    }
}

/* libjq aborts when it cannot allocate; its handler, set per jq state,
 * runs first: say so and exit 1 instead. */
static void out_of_memory(void *data)
{
    (void)data;
    gp_die("out of memory (in jq)");
}

gm_program *gm_try_compile(const char *name, const char *program, char *err, size_t errlen)
{
    gm_program *p = gp_xcalloc(1, sizeof *p);
    track(NULL, p);
    p->name = gp_xstrdup(name);
    p->jq = jq_init();
    if (!p->jq) gp_die("cannot initialise libjq");
    jq_set_nomem_handler(p->jq, out_of_memory, NULL);
    jq_set_error_cb(p->jq, on_compile_error, p);
    if (!jq_compile(p->jq, program)) {
        snprintf(err, errlen, "jq program %s does not compile: %s", name,
                 p->compile_errors.len ? gp_buf_cstr(&p->compile_errors) : "error");
        gm_free(p);
        return NULL;
    }
    return p;
}

gm_program *gm_compile(const char *name, const char *program)
{
    char err[1024];
    gm_program *p = gm_try_compile(name, program, err, sizeof err);
    if (!p) gp_die("%s", err);
    return p;
}

void gm_free(gm_program *p)
{
    if (!p) return;
    track(p, NULL);
    jq_teardown(&p->jq);
    gp_buf_free(&p->compile_errors);
    free(p->name);
    free(p);
}

int gm_run(gm_program *p, jv input, gm_emit_fn emit, void *ctx, char *err, size_t errlen)
{
    jq_start(p->jq, input, 0);
    for (;;) {
        jv out = jq_next(p->jq);
        if (!jv_is_valid(out)) {
            if (!jv_invalid_has_msg(jv_copy(out))) {
                jv_free(out);
                return 0; /* the end */
            }
            jv msg = jv_invalid_get_msg(out);
            if (jv_get_kind(msg) != JV_KIND_STRING) msg = jv_dump_string(msg, 0);
            snprintf(err, errlen, "jq program %s: %s", p->name, jv_string_value(msg));
            jv_free(msg);
            /* Drain the program so the state can start again. */
            jq_start(p->jq, jv_null(), 0);
            return -1;
        }
        if (emit(ctx, out, err, errlen) != 0) {
            jq_start(p->jq, jv_null(), 0);
            return -1;
        }
    }
}

const char *gm_string(jv obj, const char *key)
{
    if (jv_get_kind(obj) != JV_KIND_OBJECT) return NULL;
    jv v = jv_object_get(jv_copy(obj), jv_string(key));
    const char *s = jv_get_kind(v) == JV_KIND_STRING ? jv_string_value(v) : NULL;
    jv_free(v); /* OBJ still holds the string */
    return s;
}

static int bad(char *err, size_t errlen, jv rec, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int bad(char *err, size_t errlen, jv rec, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    jv text = jv_dump_string(rec, 0);
    snprintf(err, errlen, "%s in mapped record %.300s", what, jv_string_value(text));
    jv_free(text);
    return -1;
}

/* Members of REC beyond the mapping contract's, as JSON text, in the
 * object's key order. */
static void add_extra_fields(gs_batch *b, jv rec)
{
    static const char *const known[] = {"user_id", "routing_status", "presence", "start", "end", "ms"};
    gp_buf members = {0};
    int it = jv_object_iter(rec);
    while (jv_object_iter_valid(rec, it)) {
        jv key = jv_object_iter_key(rec, it);
        const char *k = jv_string_value(key);
        bool is_known = false;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            if (strcmp(k, known[i]) == 0) is_known = true;
        if (!is_known) {
            if (members.len) gp_buf_addc(&members, ',');
            gp_buf_json_string(&members, k, strlen(k));
            gp_buf_addc(&members, ':');
            jv text = jv_dump_string(jv_object_iter_value(rec, it), 0);
            gp_buf_adds(&members, jv_string_value(text));
            jv_free(text);
        }
        jv_free(key);
        it = jv_object_iter_next(rec, it);
    }
    if (members.len) gs_batch_set_extra(b, members.data, members.len);
    gp_buf_free(&members);
}

int gm_add_segment(void *batch, jv rec, char *err, size_t errlen)
{
    gs_batch *b = batch;
    if (jv_get_kind(rec) != JV_KIND_OBJECT) return bad(err, errlen, rec, "not an object");
    const char *user = gm_string(rec, "user_id");
    if (!user || !*user) return bad(err, errlen, rec, "no user_id");
    int timeline = GP_TL_ROUTING;
    const char *status = gm_string(rec, "routing_status");
    if (!status) {
        timeline = GP_TL_PRESENCE;
        status = gm_string(rec, "presence");
    }
    if (!status || !*status) return bad(err, errlen, rec, "no routing_status or presence");
    const char *start_text = gm_string(rec, "start");
    int64_t start, end = GP_TIME_NONE, secs = GP_TIME_NONE;
    if (!start_text || gp_time_parse(start_text, strlen(start_text), &start) != 0)
        return bad(err, errlen, rec, "field start: not an RFC 3339 time '%s'", start_text ? start_text : "");
    jv endv = jv_object_get(jv_copy(rec), jv_string("end"));
    int end_kind = jv_get_kind(endv);
    if (end_kind == JV_KIND_STRING) {
        const char *end_text = jv_string_value(endv);
        if (gp_time_parse(end_text, strlen(end_text), &end) != 0) {
            char copy[64];
            snprintf(copy, sizeof copy, "%s", end_text);
            jv_free(endv);
            return bad(err, errlen, rec, "field end: not an RFC 3339 time '%s'", copy);
        }
    } else if (end_kind != JV_KIND_NULL && end_kind != JV_KIND_INVALID) {
        jv_free(endv);
        return bad(err, errlen, rec, "field end: not a time");
    }
    jv_free(endv);
    if (end != GP_TIME_NONE && end < start) return bad(err, errlen, rec, "end before start");
    jv ms = jv_object_get(jv_copy(rec), jv_string("ms"));
    if (jv_get_kind(ms) == JV_KIND_NUMBER) {
        double v = jv_number_value(ms);
        /* a time in ms: never negative, never past the span of the time
         * range (and a cast of a larger double to int64 is undefined) */
        if (!(v >= 0 && v <= (double)GP_SECS_MAX)) {
            jv_free(ms);
            return bad(err, errlen, rec, "field ms (stats.sum): %g is not a time from 0 to %lld ms", v,
                       (long long)GP_SECS_MAX);
        }
        secs = (int64_t)(v + 0.5);
    } else if (jv_get_kind(ms) != JV_KIND_NULL && jv_get_kind(ms) != JV_KIND_INVALID) {
        jv_free(ms);
        return bad(err, errlen, rec, "field ms: not a number");
    }
    jv_free(ms);
    gs_batch_add(b, user, strlen(user), timeline, status, strlen(status), start, end, secs);
    add_extra_fields(b, rec);
    jv_free(rec);
    return 0;
}
