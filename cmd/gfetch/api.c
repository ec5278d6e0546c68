/* api.c - the Genesys Cloud HTTP client: OAuth, retries, tracing.
 *
 * Retry policy (kinder to the API than a plain loop):
 *   429            wait Retry-After seconds (3 s when absent) plus jitter
 *   5xx, connection failures, timeouts, an unparsable 2xx body
 *                  exponential backoff from 0.5 s, doubling to 30 s, with
 *                  "equal jitter" (half fixed, half random)
 *   401            one fresh token, one retry
 *   other 4xx      stop with the API's message
 * --max-retries bounds the retries of one request, --max-wait the total
 * time one request may spend waiting. */
#include "api.h"

#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define RETRY_AFTER_DEFAULT_MS 3000
#define BACKOFF_FIRST_MS 500
#define BACKOFF_MAX_MS 30000
/* gc_persist's backoff: gfetch stream's reconnect backoff. */
#define PERSIST_BACKOFF_FIRST_MS 1000
#define PERSIST_BACKOFF_MAX_MS 60000
#define PERSIST_STOP_CHECK_MS 100

struct gc_client {
    const gf_settings *s;
    gc_options o;
    CURL *curl;
    char curl_error[CURL_ERROR_SIZE];
    char *token;            /* secret */
    char *basic;            /* base64(client_id:client_secret): secret */
    bool token_given;       /* GENESYSCLOUD_ACCESS_TOKEN: no login */
    int64_t token_refresh_at; /* monotonic ms; log in again from then on */
    int64_t token_expires_wall; /* wall-clock ms, or -1 */
    gp_buf response;
    bool response_too_large; /* past --max-body: the transfer was stopped */
    int64_t retry_after_ms; /* from the last answer's headers, -1 absent */
    gc_stats stats;
    uint64_t rng;
    gp_buf progress_text;
    bool progress_shown;
    const gc_persist *persist; /* NULL: --max-retries and --max-wait apply */
};

/* One attempt's outcome. */
typedef struct attempt {
    CURLcode cc;
    long status;
    int64_t elapsed_ms;
} attempt;

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */
/* ------------------------------------------------------------------ */

int64_t gc_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static void sleep_exact(int64_t ms)
{
    if (ms <= 0) return;
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* xorshift64*: jitter needs no cryptography, only spread. */
static uint64_t next_random(gc_client *c)
{
    c->rng ^= c->rng >> 12;
    c->rng ^= c->rng << 25;
    c->rng ^= c->rng >> 27;
    return c->rng * 2685821657736338717ULL;
}

static int64_t random_upto(gc_client *c, int64_t max)
{
    if (max <= 0) return 0;
    return (int64_t)(next_random(c) % (uint64_t)(max + 1));
}

void gc_base64(const unsigned char *in, size_t n, gp_buf *out)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < n) v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < n) v |= in[i + 2];
        gp_buf_addc(out, digits[(v >> 18) & 63]);
        gp_buf_addc(out, digits[(v >> 12) & 63]);
        gp_buf_addc(out, i + 1 < n ? digits[(v >> 6) & 63] : '=');
        gp_buf_addc(out, i + 2 < n ? digits[v & 63] : '=');
    }
    gp_buf_cstr(out);
}

/* ------------------------------------------------------------------ */
/* Messages: progress, tracing, failures                                */
/* ------------------------------------------------------------------ */

void gc_scrub(const gc_client *c, gp_buf *out, const char *text, size_t n)
{
    const char *secrets[3] = {c ? c->s->client_secret : NULL, c ? c->token : NULL, c ? c->basic : NULL};
    size_t i = 0;
    while (i < n) {
        size_t hit = 0;
        for (int k = 0; k < 3 && !hit; k++) {
            const char *sec = secrets[k];
            size_t len = sec ? strlen(sec) : 0;
            if (len >= 4 && len <= n - i && memcmp(text + i, sec, len) == 0) hit = len;
        }
        if (hit) {
            gp_buf_adds(out, "****");
            i += hit;
        } else {
            gp_buf_addc(out, text[i++]);
        }
    }
    gp_buf_cstr(out);
}

static void progress_clear(gc_client *c)
{
    if (c && c->progress_shown) {
        fputs("\r\033[K", stderr);
        c->progress_shown = false;
    }
}

static void progress_show(gc_client *c)
{
    if (!c->o.progress || !c->progress_text.len) return;
    fprintf(stderr, "\r%s: %s; %ld requests, %ld retries, waited %.1f s\033[K", gp_progname,
            c->progress_text.data, c->stats.requests, c->stats.retries, (double)c->stats.waited_ms / 1000);
    fflush(stderr);
    c->progress_shown = true;
}

void gc_progress(gc_client *c, const char *fmt, ...)
{
    if (!c->o.progress) return;
    va_list ap;
    va_start(ap, fmt);
    char text[256];
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    c->progress_text.len = 0;
    gp_buf_adds(&c->progress_text, text);
    progress_show(c);
}

void gc_progress_done(gc_client *c) { progress_clear(c); }

/* A message for stderr: formatted into CLEAN with every secret masked,
 * and the progress line cleared so that the message starts a line. */
static void scrubbed_message(gc_client *c, gp_buf *clean, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static void scrubbed_message(gc_client *c, gp_buf *clean, const char *fmt, va_list ap)
{
    char text[2048];
    vsnprintf(text, sizeof text, fmt, ap);
    gc_scrub(c, clean, text, strlen(text));
    progress_clear(c);
}

/* A line of trace on stderr (-v), secrets masked. */
static void trace(gc_client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void trace(gc_client *c, const char *fmt, ...)
{
    if (c->o.verbose < 1) return;
    gp_buf clean = {0};
    va_list ap;
    va_start(ap, fmt);
    scrubbed_message(c, &clean, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s: %s\n", gp_progname, clean.data);
    gp_buf_free(&clean);
}

noreturn void gc_fail(gc_client *c, const char *fmt, ...)
{
    gp_out_flush_buffer(&gp_stdout);
    gp_buf clean = {0};
    va_list ap;
    va_start(ap, fmt);
    scrubbed_message(c, &clean, fmt, ap);
    va_end(ap);
    gp_die("%s", clean.data);
}

/* The API's own words from an error body: ErrorBody.message (Genesys) or
 * error / error_description (OAuth), else the start of the raw body. */
static void api_message(const char *body, size_t n, gp_buf *out)
{
    jv v = n && n < INT_MAX ? jv_parse_sized(body, (int)n) : jv_invalid();
    if (jv_get_kind(v) == JV_KIND_OBJECT) {
        static const char *const keys[] = {"message", "error", "error_description", "code"};
        int added = 0;
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
            jv f = jv_object_get(jv_copy(v), jv_string(keys[i]));
            if (jv_get_kind(f) == JV_KIND_STRING && *jv_string_value(f)) {
                if (i == 3 && added) {
                    jv_free(f);
                    break; /* the code only when nothing better */
                }
                if (added) gp_buf_adds(out, ": ");
                gp_buf_adds(out, jv_string_value(f));
                added++;
            }
            jv_free(f);
        }
        jv_free(v);
        if (added) return;
    } else {
        jv_free(v);
    }
    size_t show = n > 200 ? 200 : n;
    for (size_t i = 0; i < show; i++) gp_buf_addc(out, body[i] == '\n' || body[i] == '\r' ? ' ' : body[i]);
    if (n > show) gp_buf_adds(out, "...");
    if (!n) gp_buf_adds(out, "(empty body)");
    gp_buf_cstr(out);
}

/* ------------------------------------------------------------------ */
/* libcurl                                                              */
/* ------------------------------------------------------------------ */

static size_t on_body(char *p, size_t size, size_t nmemb, void *userdata)
{
    gc_client *c = userdata;
    size_t n = size * nmemb;
    if (n > c->o.max_body - c->response.len) {
        c->response_too_large = true;
        return 0; /* libcurl stops the transfer: CURLE_WRITE_ERROR */
    }
    gp_buf_add(&c->response, p, n);
    return n;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *userdata)
{
    gc_client *c = userdata;
    size_t n = size * nmemb;
    static const char name[] = "retry-after:";
    if (n > sizeof name - 1 && strncasecmp(p, name, sizeof name - 1) == 0) {
        char value[64];
        size_t vn = n - (sizeof name - 1);
        if (vn >= sizeof value) vn = sizeof value - 1;
        memcpy(value, p + sizeof name - 1, vn);
        value[vn] = '\0';
        char *end;
        double secs = strtod(value, &end);
        bool number = end != value;
        while (*end == ' ' || *end == '\r' || *end == '\n' || *end == '\t') end++;
        if (!number) {
            /* or an HTTP date (RFC 9110): the wait is until then */
            size_t vlen = strlen(value);
            while (vlen && (value[vlen - 1] == '\r' || value[vlen - 1] == '\n' || value[vlen - 1] == ' '))
                value[--vlen] = '\0';
            time_t when = curl_getdate(value + strspn(value, " \t"), NULL);
            if (when != -1) {
                secs = difftime(when, time(NULL));
                if (secs < 0) secs = 0;
                end = value + strlen(value);
            }
        }
        if (*end == '\0' && secs >= 0 && secs < 86400) c->retry_after_ms = (int64_t)(secs * 1000);
    }
    return n;
}

gc_client *gc_client_new(const gf_settings *s, const gc_options *o)
{
    static bool curl_ready;
    if (!curl_ready) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) gp_die("cannot initialise libcurl");
        curl_ready = true;
    }
    gc_client *c = gp_xcalloc(1, sizeof *c);
    c->s = s;
    c->o = *o;
    c->curl = curl_easy_init();
    if (!c->curl) gp_die("cannot initialise libcurl");
    c->rng = (uint64_t)wall_ms() ^ ((uint64_t)getpid() << 32) ^ 0x9E3779B97F4A7C15ULL;
    c->token_expires_wall = -1;
    if (s->client_id && s->client_secret) {
        gp_buf idsec = {0};
        gp_buf_printf(&idsec, "%s:%s", s->client_id, s->client_secret);
        gp_buf b = {0};
        gc_base64((const unsigned char *)idsec.data, idsec.len, &b);
        c->basic = b.data;
        memset(idsec.data, 0, idsec.len);
        gp_buf_free(&idsec);
    }
    if (s->access_token) {
        c->token = gp_xstrdup(s->access_token);
        c->token_given = true;
    }
    return c;
}

void gc_client_free(gc_client *c)
{
    if (!c) return;
    progress_clear(c);
    curl_easy_cleanup(c->curl);
    free(c->token);
    free(c->basic);
    gp_buf_free(&c->response);
    gp_buf_free(&c->progress_text);
    free(c);
}

const gc_stats *gc_client_stats(const gc_client *c) { return &c->stats; }

void gc_sleep_ms(gc_client *c, int64_t ms)
{
    if (ms <= 0) return;
    sleep_exact(ms);
    c->stats.waited_ms += ms;
}

enum auth_kind { AUTH_NONE, AUTH_BASIC, AUTH_BEARER };

/* Under a persist rule (gfetch stream) a request in flight ends as soon as
 * the rule's stop flag is set by a signal, not when --timeout runs out:
 * libcurl calls this about once a second while it waits for the server,
 * more often while data moves, and a non-zero answer aborts the transfer. */
static int stop_transfer(void *data, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
    const gc_persist *p = data;
    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    return p->stop && *p->stop;
}

/* One HTTP exchange; the body lands in c->response. */
static void perform(gc_client *c, const char *method, const char *url, const char *body,
                    const char *content_type, int auth, attempt *a)
{
    CURL *h = c->curl;
    curl_easy_reset(h); /* keeps the connection cache: one connection reused */
    c->response.len = 0;
    c->response_too_large = false;
    c->retry_after_ms = -1;
    c->curl_error[0] = '\0';
    struct curl_slist *headers = NULL;
    gp_buf line = {0};
    if (auth != AUTH_NONE) {
        gp_buf_printf(&line, "Authorization: %s %s", auth == AUTH_BASIC ? "Basic" : "Bearer",
                      auth == AUTH_BASIC ? c->basic : c->token);
        headers = curl_slist_append(headers, gp_buf_cstr(&line));
        memset(line.data, 0, line.len);
        line.len = 0;
    }
    headers = curl_slist_append(headers, "Accept: application/json");
    if (body) {
        gp_buf_printf(&line, "Content-Type: %s", content_type);
        headers = curl_slist_append(headers, gp_buf_cstr(&line));
    }
    gp_buf_free(&line);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "gpulse-gfetch/" GP_VERSION);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L); /* a redirect could carry the token elsewhere */
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (c->s->cacert) curl_easy_setopt(h, CURLOPT_CAINFO, c->s->cacert);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 30000L);
    if (c->o.timeout_ms > 0) curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)c->o.timeout_ms);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->curl_error);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, c);
    const gc_persist *persist = c->persist;
    if (persist && persist->stop) {
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, stop_transfer);
        curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)persist);
    }
    if (strcmp(method, "GET") == 0) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
        if (strcmp(method, "POST") != 0) curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? body : "");
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)(body ? strlen(body) : 0));
    }
    trace(c, "> %s %s", method, url);
    if (auth != AUTH_NONE) trace(c, "> Authorization: %s ****", auth == AUTH_BASIC ? "Basic" : "Bearer");
    if (body && c->o.verbose >= 2) trace(c, "> %.900s", body);
    int64_t t0 = gc_now_ms();
    a->cc = curl_easy_perform(h);
    a->elapsed_ms = gc_now_ms() - t0;
    a->status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &a->status);
    curl_slist_free_all(headers);
    c->stats.requests++;
    gp_buf_cstr(&c->response);
    if (a->cc == CURLE_ABORTED_BY_CALLBACK && persist && persist->stopped) {
        trace(c, "< stopped by a signal after %lld ms", (long long)a->elapsed_ms);
        persist->stopped(persist->ctx); /* does not return */
    }
    if (a->cc != CURLE_OK)
        trace(c, "< failed after %lld ms: %s", (long long)a->elapsed_ms,
              c->curl_error[0] ? c->curl_error : curl_easy_strerror(a->cc));
    else
        trace(c, "< HTTP %ld (%lld ms, %zu bytes)", a->status, (long long)a->elapsed_ms, c->response.len);
}

/* Connection-level failures worth another try; certificate problems and
 * bad URLs are not. */
static bool curl_retryable(CURLcode cc)
{
    switch (cc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return true;
    default:
        return false;
    }
}

/* ------------------------------------------------------------------ */
/* Requests with retries                                                */
/* ------------------------------------------------------------------ */

typedef struct reply {
    long status; /* HTTP status of the final answer */
    jv json;     /* parsed body of a 2xx answer (jv_null for an empty one) */
} reply;

/* Wait before retry number RETRY (1-based) of a request that has already
 * waited *WAITED ms, or fail when the limits say stop.  WHY describes the
 * failure; RETRY_AFTER is the server's wish (-1 none, for backoff). */
void gc_persist_set(gc_client *c, const gc_persist *p) { c->persist = p; }

/* Sleep MS in short steps, calling the persist rule's STOPPED as soon as
 * its stop flag is set. */
static void persist_sleep(gc_client *c, int64_t ms)
{
    const gc_persist *p = c->persist;
    int64_t end = gc_now_ms() + ms;
    for (int64_t left = ms; left > 0; left = end - gc_now_ms()) {
        if (p->stop && *p->stop && p->stopped) p->stopped(p->ctx);
        sleep_exact(left < PERSIST_STOP_CHECK_MS ? left : PERSIST_STOP_CHECK_MS);
    }
    if (p->stop && *p->stop && p->stopped) p->stopped(p->ctx);
    c->stats.waited_ms += ms;
}

/* wait_to_retry() under gc_persist: no retry count, one deadline. */
static void persist_wait(gc_client *c, const char *what, const char *method, const char *path, int retry,
                         const char *why, int64_t retry_after)
{
    const gc_persist *p = c->persist;
    int64_t base = PERSIST_BACKOFF_FIRST_MS;
    for (int i = 1; i < retry && base < PERSIST_BACKOFF_MAX_MS; i++) base *= 2;
    if (base > PERSIST_BACKOFF_MAX_MS) base = PERSIST_BACKOFF_MAX_MS;
    int64_t wait = retry_after >= 0 ? retry_after + random_upto(c, 250 + retry_after / 10)
                                    : base / 2 + random_upto(c, base / 2);
    if (p->deadline_ms != INT64_MAX && gc_now_ms() + wait > p->deadline_ms)
        gc_fail(c, "%s: %s %s: %s; still failing after %d tries, giving up (%s)", what, method, path, why, retry,
                p->limit ? p->limit : "deadline");
    c->stats.retries++;
    trace(c, "retry %d in %.3f s: %s", retry, (double)wait / 1000, why);
    progress_show(c);
    persist_sleep(c, wait);
}

static void wait_to_retry(gc_client *c, const char *what, const char *method, const char *path, int retry,
                          int64_t *waited, const char *why, int64_t retry_after)
{
    if (c->persist) {
        persist_wait(c, what, method, path, retry, why, retry_after);
        return;
    }
    if (retry > c->o.max_retries)
        gc_fail(c, "%s: %s %s: %s; gave up after %d retries (--max-retries)", what, method, path, why,
                c->o.max_retries);
    int64_t wait;
    if (retry_after >= 0) {
        wait = retry_after + random_upto(c, 250 + retry_after / 10);
    } else {
        int64_t base = BACKOFF_FIRST_MS;
        for (int i = 1; i < retry && base < BACKOFF_MAX_MS; i++) base *= 2;
        if (base > BACKOFF_MAX_MS) base = BACKOFF_MAX_MS;
        wait = base / 2 + random_upto(c, base / 2);
    }
    if (*waited + wait > c->o.max_wait_ms)
        gc_fail(c, "%s: %s %s: %s; waiting %.1f s more would pass --max-wait %.1f s", what, method, path, why,
                (double)wait / 1000, (double)c->o.max_wait_ms / 1000);
    c->stats.retries++;
    trace(c, "retry %d of %d in %.3f s: %s", retry, c->o.max_retries, (double)wait / 1000, why);
    progress_show(c);
    gc_sleep_ms(c, wait);
    *waited += wait;
}

static reply request(gc_client *c, const char *method, const char *url, const char *path, const char *body,
                     const char *content_type, int auth, const char *what, gc_shape_fn shape)
{
    int64_t waited = 0;
    for (int retry = 1;; retry++) {
        attempt a;
        perform(c, method, url, body, content_type, auth, &a);
        char why[512];
        if (c->response_too_large)
            gc_fail(c, "%s: %s %s: the answer is larger than %llu bytes (--max-body raises the limit)", what,
                    method, path, (unsigned long long)c->o.max_body);
        if (a.cc != CURLE_OK) {
            const char *err = c->curl_error[0] ? c->curl_error : curl_easy_strerror(a.cc);
            if (!curl_retryable(a.cc)) {
                if (a.cc == CURLE_PEER_FAILED_VERIFICATION || a.cc == CURLE_SSL_CACERT_BADFILE)
                    gc_fail(c, "%s: %s %s: %s (TLS is always verified; --cacert FILE names a private CA)", what,
                            method, url, err);
                gc_fail(c, "%s: %s %s: %s", what, method, url, err);
            }
            snprintf(why, sizeof why, "%s", err);
            wait_to_retry(c, what, method, path, retry, &waited, why, -1);
            continue;
        }
        if (a.status == 429) {
            int64_t ra = c->retry_after_ms >= 0 ? c->retry_after_ms : RETRY_AFTER_DEFAULT_MS;
            if (c->retry_after_ms >= 0)
                snprintf(why, sizeof why, "HTTP 429 (rate limited, Retry-After %.3g s)", (double)ra / 1000);
            else
                snprintf(why, sizeof why, "HTTP 429 (rate limited, no Retry-After: %.3g s)", (double)ra / 1000);
            wait_to_retry(c, what, method, path, retry, &waited, why, ra);
            continue;
        }
        if (a.status >= 500) {
            gp_buf msg = {0};
            api_message(c->response.data, c->response.len, &msg);
            snprintf(why, sizeof why, "HTTP %ld: %s", a.status, msg.data);
            gp_buf_free(&msg);
            wait_to_retry(c, what, method, path, retry, &waited, why, -1);
            continue;
        }
        reply r = {a.status, jv_null()};
        if (a.status >= 200 && a.status < 300 && c->response.len == 0) {
            const char *bad = shape ? shape(r.json) : NULL;
            if (!bad) return r;
            /* an empty answer (a 204) where a page belongs: a server fault */
            snprintf(why, sizeof why, "HTTP %ld with an empty body where the answer is a page (%s)", a.status, bad);
            wait_to_retry(c, what, method, path, retry, &waited, why, -1);
            continue;
        }
        if (a.status >= 200 && a.status < 300) {
            if (c->response.len > INT_MAX) gc_fail(c, "%s: %s %s: answer too large", what, method, path);
            jv v = jv_parse_sized(c->response.data, (int)c->response.len);
            if (!jv_is_valid(v)) {
                jv msg = jv_invalid_get_msg(v);
                snprintf(why, sizeof why, "HTTP %ld with a malformed JSON body (%zu bytes): %s", a.status,
                         c->response.len,
                         jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) : "unparsable");
                jv_free(msg);
                wait_to_retry(c, what, method, path, retry, &waited, why, -1);
                continue;
            }
            const char *bad = shape ? shape(v) : NULL;
            if (bad) {
                snprintf(why, sizeof why, "HTTP %ld with a malformed answer (%zu bytes): %s", a.status,
                         c->response.len, bad);
                jv_free(v);
                wait_to_retry(c, what, method, path, retry, &waited, why, -1);
                continue;
            }
            r.json = v;
        }
        return r;
    }
}

/* ------------------------------------------------------------------ */
/* OAuth                                                                */
/* ------------------------------------------------------------------ */

static void login(gc_client *c)
{
    if (!c->basic)
        gc_fail(c, "no credentials: set GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET "
                   "(or GENESYSCLOUD_ACCESS_TOKEN), or use --profile NAME");
    gp_buf url = {0};
    gp_buf_printf(&url, "%s/oauth/token", c->s->login_url);
    reply r = request(c, "POST", url.data, "/oauth/token", "grant_type=client_credentials",
                      "application/x-www-form-urlencoded", AUTH_BASIC, "login", NULL);
    if (r.status < 200 || r.status >= 300) {
        gp_buf msg = {0};
        api_message(c->response.data, c->response.len, &msg);
        gc_fail(c, "login: POST %s: HTTP %ld: %s (check the client id and secret, and the region)", url.data,
                r.status, msg.data);
    }
    gp_buf_free(&url);
    jv tok = jv_object_get(jv_copy(r.json), jv_string("access_token"));
    jv ttl = jv_object_get(jv_copy(r.json), jv_string("expires_in"));
    /* The answer holds the token: wipe our copy of the raw bytes. */
    memset(c->response.data, 0, c->response.len);
    c->response.len = 0;
    if (jv_get_kind(tok) != JV_KIND_STRING || !*jv_string_value(tok)) {
        jv_free(tok);
        jv_free(ttl);
        jv_free(r.json);
        gc_fail(c, "login: the answer has no access_token");
    }
    free(c->token);
    c->token = gp_xstrdup(jv_string_value(tok));
    int64_t ttl_ms = jv_get_kind(ttl) == JV_KIND_NUMBER ? (int64_t)(jv_number_value(ttl) * 1000) : 0;
    int64_t now = gc_now_ms();
    if (ttl_ms > 0) {
        /* Renew shortly before expiry: a minute early, or a tenth of a short lifetime. */
        int64_t margin = ttl_ms / 10 < 60000 ? ttl_ms / 10 : 60000;
        c->token_refresh_at = now + ttl_ms - margin;
        c->token_expires_wall = wall_ms() + ttl_ms;
    } else {
        c->token_refresh_at = INT64_MAX;
        c->token_expires_wall = -1;
    }
    trace(c, "logged in; token valid for %lld s", (long long)(ttl_ms / 1000));
    jv_free(tok);
    jv_free(ttl);
    jv_free(r.json);
}

void gc_login(gc_client *c)
{
    if (c->token_given) return;
    if (!c->token || gc_now_ms() >= c->token_refresh_at) login(c);
}

int64_t gc_token_expiry_ms(const gc_client *c) { return c->token_expires_wall; }

int64_t gc_token_renew_at(const gc_client *c) { return c->token_given ? INT64_MAX : c->token_refresh_at; }

void gc_forget_token(gc_client *c)
{
    if (c->token_given || !c->basic) return;
    c->token_refresh_at = 0; /* the next call logs in again */
}

jv gc_call(gc_client *c, const char *method, const char *path, const char *body, const char *what)
{
    return gc_call_shaped(c, method, path, body, what, NULL);
}

jv gc_call_shaped(gc_client *c, const char *method, const char *path, const char *body, const char *what,
                  gc_shape_fn shape)
{
    gc_login(c);
    gp_buf url = {0};
    gp_buf_printf(&url, "%s%s", c->s->api_url, path);
    bool renewed = false;
    for (;;) {
        reply r = request(c, method, url.data, path, body, "application/json", AUTH_BEARER, what, shape);
        if (r.status >= 200 && r.status < 300) {
            gp_buf_free(&url);
            return r.json;
        }
        if (r.status == 401 && !renewed && c->basic) {
            trace(c, "HTTP 401: the token was refused; logging in again and retrying once");
            renewed = true;
            c->token_given = false;
            login(c);
            continue;
        }
        gp_buf msg = {0};
        api_message(c->response.data, c->response.len, &msg);
        if (r.status == 401)
            gc_fail(c, "%s: %s %s: HTTP 401: %s (the token was refused%s)", what, method, path, msg.data,
                    renewed ? " again after a fresh login" : "; an access token may have expired");
        if (body)
            gc_fail(c, "%s: %s %s: HTTP %ld: %s; request body: %.600s", what, method, path, r.status, msg.data,
                    body);
        gc_fail(c, "%s: %s %s: HTTP %ld: %s", what, method, path, r.status, msg.data);
    }
}
