/* stream.c - gfetch stream: channels, subscriptions, the watchdog,
 * reconnects and re-sync baselines.
 *
 * One process, one thread, one poll(2) loop over every channel's socket.
 * Re-syncs are plain blocking API calls: socket events that arrive
 * meanwhile wait in the kernel's buffers and are written after
 * `resync_end`, in the order they came.  Every record is built whole in a
 * buffer and written with one write(2), so several processes can share a
 * pipe or FIFO without interleaving lines. */
#include "stream.h"

#include "map.h"
#include "records.h"
#include "ws.h"

#include <errno.h>
#include <jv.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#define CHANNELS_PATH "/api/v2/notifications/channels"
#define BACKOFF_FIRST_MS 1000
#define BACKOFF_MAX_MS 60000
#define CLOSE_WAIT_MS 2000      /* for the peer's answer to our close frame */
#define SWITCH_CLOSE_WAIT_MS 500 /* the same for a socket being replaced */
#define RENEW_RETRY_MS 5000     /* a failed make-before-break is tried again after this */
#define USERS_PAGE_SIZE 500


typedef struct stream stream;

/* A sorted set of ids, each an owned copy. */
typedef struct idset {
    char **v;
    size_t n, cap;
} idset;

typedef struct channel {
    stream *s;
    size_t number;               /* 1-based, for messages */
    idset users;                 /* this channel's users: their topics are subscribed */
    char *const *extra;          /* other topics on this channel (queue observations, queue members) */
    size_t nextra;
    char *id, *uri;              /* the current channel (NULL before the first) */
    int64_t renew_at;            /* monotonic ms: a new channel from then on */
    ws_conn *ws;                 /* NULL while down */
    int64_t last_frame;          /* monotonic ms of the last frame */
    bool pinged;                 /* a ping went out since the last frame */
    int64_t down_since;          /* monotonic ms; meaningful while down */
    int64_t retry_at;
    int64_t backoff_ms;
    char last_error[512];
    gf_stream_next pending;
    bool new_channel_next;       /* the next connect starts with a new channel */
} channel;

/* A --queue: its members are followed, and kept up to date through
 * v2.routing.queues.{id}.users where that topic is granted. */
typedef struct followed_queue {
    const char *id;
    idset members;
    bool refresh;                /* a membership event came: read the members again */
} followed_queue;

struct stream {
    gf_job *job;
    const gf_stream_options *o;
    gc_client *client;
    channel *ch;                 /* room for GF_MAX_CHANNELS: queue members may need more */
    size_t nch;
    idset pinned;                /* users named by --user / --roster: followed whatever the queues say */
    followed_queue *queues;
    size_t nqueues;
    char **extra_topics;         /* observation and queue-member topics, owned */
    size_t nextra;
    gp_segment_writer points;    /* point events, NDJSON, org when --org */
    uint64_t rng;
    size_t events;               /* point events written from sockets */
    gc_persist persist;          /* REST retries: until --max-wait from the outage's start */
    char persist_limit[96];
};

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig) { stop_signal = sig; }

static int64_t wall_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* ------------------------------------------------------------------ */
/* Records out: one write(2) each                                       */
/* ------------------------------------------------------------------ */

static void close_all(stream *s, uint16_t code, const char *reason);

/* Each record goes out whole in one write(2), so several processes can
 * share a pipe or FIFO without interleaving lines: the shared writers
 * (common/writer.c) build it in standard output's buffer, empty before
 * every record, and this sends it. */
static void record_done(stream *s)
{
    gp_out *o = &gp_stdout;
    const char *p = o->buf;
    size_t n = o->len;
    while (n) {
        ssize_t w = write(o->fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno == EPIPE) { /* the reader went away: end quietly */
            o->len = 0;
            close_all(s, 1000, "stopped");
            exit(GP_EXIT_OK);
        }
        if (w < 0) gc_fail(s->client, "write error: standard output: %s", strerror(errno));
        p += w;
        n -= (size_t)w;
    }
    o->len = 0;
}

/* A control record {"type":TYPE,"org":ORG,"at":NOW ...: the caller adds
 * fields (gp_control_*) and ends it with control_end. */
static void control_begin(stream *s, const char *type)
{
    gp_control_begin(&gp_stdout, type, s->job->org, wall_ms());
}

static void control_end(stream *s)
{
    gp_control_end(&gp_stdout);
    record_done(s);
}

static void write_control(stream *s, const char *type, const char *reason, const channel *ch)
{
    control_begin(s, type);
    if (ch && ch->id) gp_control_str(&gp_stdout, "channel", ch->id, strlen(ch->id));
    if (reason) gp_control_str(&gp_stdout, "reason", reason, strlen(reason));
    control_end(s);
}

/* A canonical point event (a segment without end, gpulse(7)). */
static void write_point(stream *s, const char *user, size_t user_len, int timeline, const char *status,
                        size_t status_len, int64_t start)
{
    gp_segment seg = {.user = {user, user_len},
                      .org = {s->job->org ? s->job->org : "", s->job->org ? strlen(s->job->org) : 0},
                      .timeline = timeline,
                      .start = start,
                      .end = GP_TIME_NONE,
                      .secs = GP_TIME_NONE,
                      .shift = -1};
    char norm[160];
    if (status_len > 64) status_len = 64;
    seg.status_len = gp_status_normalize(status, status_len, norm);
    if (seg.status_len > sizeof seg.status) seg.status_len = sizeof seg.status;
    memcpy(seg.status, norm, seg.status_len);
    gp_write_segment(&s->points, &seg, NULL);
    record_done(s);
}

/* ------------------------------------------------------------------ */
/* JSON helpers                                                         */
/* ------------------------------------------------------------------ */

static jv member(jv obj, const char *key)
{
    if (jv_get_kind(obj) != JV_KIND_OBJECT) return jv_invalid();
    return jv_object_get(jv_copy(obj), jv_string(key));
}

/* A point event from STATUS_OBJ[STATUS_KEY] and STATUS_OBJ[TIME_KEY];
 * warns (naming the user and what is wrong) when one is missing. */
static void point_from(stream *s, const char *where, const char *user, int timeline, jv status_obj,
                       const char *status_key, const char *time_key)
{
    const char *status = gm_string(status_obj, status_key);
    const char *when = gm_string(status_obj, time_key);
    int64_t start;
    if (!status || !*status || !when || gp_time_parse(when, strlen(when), &start) != 0) {
        gp_warn("%s: an event for user %s without a usable %s and %s; left out", where, user, status_key,
                time_key);
        return;
    }
    write_point(s, user, strlen(user), timeline, status, strlen(status), start);
}

/* A presence point event from an object with presenceDefinition.systemPresence
 * and modifiedDate (presence events, activity events, users?expand=presence). */
static void presence_from(stream *s, const char *where, const char *user, jv obj)
{
    jv def = member(obj, "presenceDefinition");
    const char *status = gm_string(def, "systemPresence");
    const char *when = gm_string(obj, "modifiedDate");
    jv holder = jv_object();
    if (status) holder = jv_object_set(holder, jv_string("systemPresence"), jv_string(status));
    if (when) holder = jv_object_set(holder, jv_string("modifiedDate"), jv_string(when));
    point_from(s, where, user, GP_TL_PRESENCE, holder, "systemPresence", "modifiedDate");
    jv_free(holder);
    jv_free(def);
}

/* ------------------------------------------------------------------ */
/* REST calls while down: retried until --max-wait                      */
/* ------------------------------------------------------------------ */

/* A signal while a REST call waits to retry: stop as the loop would. */
static void stopped_while_waiting(void *ctx)
{
    stream *s = ctx;
    close_all(s, 1000, "stopped");
    write_control(s, "disconnected", "stopped", NULL);
    exit(GP_EXIT_OK);
}

/* The REST calls that follow (channel, subscriptions, re-sync baseline)
 * retry transient failures with the reconnect backoff until --max-wait
 * after SINCE (the start of the outage; default: forever), so an API that
 * fails while the socket is down is waited for like the socket is. */
static void retry_rest_since(stream *s, int64_t since)
{
    s->persist.deadline_ms = s->o->max_wait_ms < 0 ? INT64_MAX : since + s->o->max_wait_ms;
    snprintf(s->persist_limit, sizeof s->persist_limit, "--max-wait %g s since the outage began",
             (double)s->o->max_wait_ms / 1000);
    s->persist.limit = s->persist_limit;
    s->persist.stop = &stop_signal;
    s->persist.stopped = stopped_while_waiting;
    s->persist.ctx = s;
    gc_persist_set(s->client, &s->persist);
}

/* ------------------------------------------------------------------ */
/* Users and channels                                                   */
/* ------------------------------------------------------------------ */

static int cmp_strings(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Where ID is in SET, or would go: the index of the first id not less. */
static size_t idset_find(const idset *set, const char *id, bool *found)
{
    size_t lo = 0, hi = set->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(set->v[mid], id) < 0) lo = mid + 1;
        else hi = mid;
    }
    *found = lo < set->n && strcmp(set->v[lo], id) == 0;
    return lo;
}

static bool idset_has(const idset *set, const char *id)
{
    bool found;
    idset_find(set, id, &found);
    return found;
}

/* False when ID was there already. */
static bool idset_add(idset *set, const char *id)
{
    bool found;
    size_t at = idset_find(set, id, &found);
    if (found) return false;
    if (set->n == set->cap) {
        set->cap = set->cap ? set->cap * 2 : 16;
        set->v = gp_xrealloc(set->v, set->cap * sizeof *set->v);
    }
    memmove(set->v + at + 1, set->v + at, (set->n - at) * sizeof *set->v);
    set->v[at] = gp_xstrdup(id);
    set->n++;
    return true;
}

/* False when ID was not there. */
static bool idset_remove(idset *set, const char *id)
{
    bool found;
    size_t at = idset_find(set, id, &found);
    if (!found) return false;
    free(set->v[at]);
    memmove(set->v + at, set->v + at + 1, (set->n - at - 1) * sizeof *set->v);
    set->n--;
    return true;
}

static void idset_free(idset *set)
{
    for (size_t i = 0; i < set->n; i++) free(set->v[i]);
    free(set->v);
    *set = (idset){0};
}

/* Followed: named on the command line, or a member of a --queue. */
static bool followed(const stream *s, const char *user)
{
    if (idset_has(&s->pinned, user)) return true;
    for (size_t i = 0; i < s->nqueues; i++)
        if (idset_has(&s->queues[i].members, user)) return true;
    return false;
}

static followed_queue *queue_named(stream *s, const char *id, size_t len)
{
    for (size_t i = 0; i < s->nqueues; i++)
        if (strlen(s->queues[i].id) == len && memcmp(s->queues[i].id, id, len) == 0) return &s->queues[i];
    return NULL;
}

static void sort_unique(char **v, size_t *n)
{
    if (*n > 1) qsort(v, *n, sizeof *v, cmp_strings);
    size_t out = 0;
    for (size_t i = 0; i < *n; i++) {
        if (out && strcmp(v[out - 1], v[i]) == 0) {
            free(v[i]);
            continue;
        }
        v[out++] = v[i];
    }
    *n = out;
}

/* GET PATH (with a query string) page by page (&pageNumber=N) until an
 * empty page or pageCount; FN for each entity. */
typedef void (*entity_fn)(stream *s, jv entity, void *ctx);

static void each_entity(stream *s, const char *path, const char *what, entity_fn fn, void *ctx)
{
    for (long page = 1; page <= 100000; page++) {
        gp_buf url = {0};
        gp_buf_printf(&url, "%s&pageNumber=%ld", path, page);
        char step[256];
        snprintf(step, sizeof step, "%s, page %ld", what, page);
        jv answer = gc_call(s->client, "GET", url.data, NULL, step);
        gp_buf_free(&url);
        jv entities = member(answer, "entities");
        int n = jv_get_kind(entities) == JV_KIND_ARRAY ? jv_array_length(jv_copy(entities)) : 0;
        for (int i = 0; i < n; i++) fn(s, jv_array_get(jv_copy(entities), i), ctx);
        jv_free(entities);
        jv count = member(answer, "pageCount");
        long pages = jv_get_kind(count) == JV_KIND_NUMBER ? (long)jv_number_value(count) : -1;
        jv_free(count);
        jv_free(answer);
        if (n == 0 || (pages >= 0 && page >= pages)) break;
    }
}

static void add_member(stream *s, jv entity, void *ctx)
{
    idset *members = ctx;
    const char *id = gm_string(entity, "id");
    if (id && *id) idset_add(members, id);
    jv_free(entity);
}

/* The members of queue QUEUE into MEMBERS. */
static void read_queue_members(stream *s, const char *queue, idset *members)
{
    gp_buf path = {0};
    gp_buf_adds(&path, "/api/v2/routing/queues/");
    for (const char *p = queue; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '-' ||
            ch == '_' || ch == '.')
            gp_buf_addc(&path, (char)ch);
        else
            gp_buf_printf(&path, "%%%02X", ch);
    }
    gp_buf_adds(&path, "/members?pageSize=100");
    char what[160];
    snprintf(what, sizeof what, "members of queue %.80s", queue);
    each_entity(s, path.data, what, add_member, members);
    gp_buf_free(&path);
}

size_t gf_stream_channels_needed(size_t nusers, int topics_per_user, size_t extra)
{
    size_t per_channel = GF_MAX_TOPICS_PER_CHANNEL / (size_t)topics_per_user;
    size_t user_channels = (nusers + per_channel - 1) / per_channel;
    size_t room = user_channels * GF_MAX_TOPICS_PER_CHANNEL - nusers * (size_t)topics_per_user;
    size_t more = extra > room ? (extra - room + GF_MAX_TOPICS_PER_CHANNEL - 1) / GF_MAX_TOPICS_PER_CHANNEL : 0;
    size_t total = user_channels + more;
    return total > GF_MAX_CHANNELS ? 0 : total;
}

/* Users fill channels in order (a user's topics stay together); queue
 * observations fill what room is left, then channels of their own. */
static void plan_channels(stream *s)
{
    gf_job *j = s->job;
    const gf_stream_options *o = s->o;
    int per_user = o->activity_topic ? 1 : 2;
    size_t n = gf_stream_channels_needed(j->nusers, per_user, s->nextra);
    if (n == 0) {
        size_t fit = (size_t)GF_MAX_CHANNELS * GF_MAX_TOPICS_PER_CHANNEL / (size_t)per_user;
        gp_usage_error("%zu users need more than %d notification channels (%d topics each; %d per user%s): one "
                       "process can follow at most %zu users; split the roster across processes, e.g. "
                       "split -l %zu roster.csv part., one gfetch stream per part",
                       j->nusers, GF_MAX_CHANNELS, GF_MAX_TOPICS_PER_CHANNEL, per_user,
                       o->activity_topic ? " with --topic activity" : "", fit, fit);
    }
    s->nch = n;
    s->ch = gp_xcalloc(GF_MAX_CHANNELS, sizeof *s->ch);
    size_t per_channel = GF_MAX_TOPICS_PER_CHANNEL / (size_t)per_user;
    size_t u = 0, q = 0;
    for (size_t i = 0; i < n; i++) {
        channel *c = &s->ch[i];
        c->s = s;
        c->number = i + 1;
        size_t nusers = j->nusers - u < per_channel ? j->nusers - u : per_channel;
        for (size_t k = 0; k < nusers; k++) idset_add(&c->users, j->users[u + k]);
        u += nusers;
        size_t room = GF_MAX_TOPICS_PER_CHANNEL - nusers * (size_t)per_user;
        c->extra = s->extra_topics + q;
        c->nextra = s->nextra - q < room ? s->nextra - q : room;
        q += c->nextra;
        c->backoff_ms = BACKOFF_FIRST_MS;
        c->new_channel_next = true;
    }
}

/* The extra topics: queue observations, then queue membership. */
static void plan_extra_topics(stream *s)
{
    const gf_stream_options *o = s->o;
    s->extra_topics = gp_xcalloc(o->nobserved + o->nqueues + 1, sizeof *s->extra_topics);
    for (size_t i = 0; i < o->nobserved; i++) {
        gp_buf t = {0};
        gp_buf_printf(&t, "v2.analytics.queues.%s.observations", o->observed_queues[i]);
        s->extra_topics[s->nextra++] = t.data;
    }
    for (size_t i = 0; i < o->nqueues; i++) {
        gp_buf t = {0};
        gp_buf_printf(&t, "v2.routing.queues.%s.users", o->queues[i]);
        s->extra_topics[s->nextra++] = t.data;
    }
}

static void topics_body(const channel *c, bool activity, gp_buf *b)
{
    static const char *const per_user[] = {"routingStatus", "presence"};
    b->len = 0;
    gp_buf_addc(b, '[');
    bool first = true;
    for (size_t i = 0; i < c->users.n; i++) {
        for (int k = 0; k < (activity ? 1 : 2); k++) {
            gp_buf_adds(b, first ? "{\"id\":" : ",{\"id\":");
            first = false;
            gp_buf t = {0};
            gp_buf_printf(&t, "v2.users.%s.%s", c->users.v[i], activity ? "activity" : per_user[k]);
            gp_buf_json_string(b, t.data, t.len);
            gp_buf_free(&t);
            gp_buf_addc(b, '}');
        }
    }
    for (size_t i = 0; i < c->nextra; i++) {
        gp_buf_adds(b, first ? "{\"id\":" : ",{\"id\":");
        first = false;
        gp_buf_json_string(b, c->extra[i], strlen(c->extra[i]));
        gp_buf_addc(b, '}');
    }
    gp_buf_addc(b, ']');
}

/* The user a topic names (v2.users.ID.*), into OUT. */
static void topic_user(const char *topic, char *out, size_t n)
{
    out[0] = '\0';
    if (strncmp(topic, "v2.users.", 9) != 0) return;
    const char *id = topic + 9;
    const char *dot = strchr(id, '.');
    size_t len = dot ? (size_t)(dot - id) : strlen(id);
    if (len >= n) len = n - 1;
    memcpy(out, id, len);
    out[len] = '\0';
}

/* Check the subscription answer: a Rejected topic is an error naming the
 * topic, its user and the missing permission, or with --ignore-rejected a
 * warning each. */
static void check_rejected(stream *s, const channel *c, jv answer)
{
    jv entities = member(answer, "entities");
    int n = jv_get_kind(entities) == JV_KIND_ARRAY ? jv_array_length(jv_copy(entities)) : 0;
    for (int i = 0; i < n; i++) {
        jv e = jv_array_get(jv_copy(entities), i);
        const char *state = gm_string(e, "state");
        if (state && strcmp(state, "Rejected") == 0) {
            const char *topic = gm_string(e, "id");
            const char *reason = gm_string(e, "rejectionReason");
            char user[256];
            topic_user(topic ? topic : "", user, sizeof user);
            gp_buf perms = {0};
            jv missing = member(e, "missingPermissions");
            int np = jv_get_kind(missing) == JV_KIND_ARRAY ? jv_array_length(jv_copy(missing)) : 0;
            for (int k = 0; k < np; k++) {
                jv p = jv_array_get(jv_copy(missing), k);
                if (jv_get_kind(p) == JV_KIND_STRING) {
                    if (perms.len) gp_buf_adds(&perms, ", ");
                    gp_buf_adds(&perms, jv_string_value(p));
                }
                jv_free(p);
            }
            jv_free(missing);
            gp_buf msg = {0};
            gp_buf_printf(&msg, "channel %zu: the subscription to %s%s%s%s was rejected: %s%s%s", c->number,
                          topic ? topic : "(a topic)", *user ? " (user " : "", user, *user ? ")" : "",
                          reason ? reason : "no reason given", perms.len ? "; missing permission: " : "",
                          perms.len ? perms.data : "");
            if (topic && strncmp(topic, "v2.routing.queues.", 18) == 0)
                /* membership changes are a convenience: the members read at start stay followed */
                gp_warn("%s; the queue's membership changes are not followed (its members as read stay followed)",
                        msg.data);
            else if (!s->o->ignore_rejected)
                gc_fail(s->client, "%s (--ignore-rejected goes on without it)", msg.data);
            else
                gp_warn("%s; going on without it (--ignore-rejected)", msg.data);
            gp_buf_free(&msg);
            gp_buf_free(&perms);
        }
        jv_free(e);
    }
    jv_free(entities);
}

/* Channel ID's subscriptions become channel C's topics (a PUT replaces
 * the whole list: users added and removed alike). */
static void subscribe(stream *s, const channel *c, const char *id)
{
    char what[96];
    gp_buf path = {0}, body = {0};
    gp_buf_printf(&path, CHANNELS_PATH "/%s/subscriptions?ignoreErrors=true", id);
    topics_body(c, s->o->activity_topic, &body);
    snprintf(what, sizeof what, "channel %zu: subscribe %zu users", c->number, c->users.n);
    jv subscribed = gc_call(s->client, "PUT", path.data, body.data, what);
    check_rejected(s, c, subscribed);
    jv_free(subscribed);
    gp_buf_free(&path);
    gp_buf_free(&body);
}

/* A new channel with this channel's subscriptions: id, URI and renewal time
 * into *ID, *URI, *RENEW_AT. */
static void create_channel(stream *s, const channel *c, char **id, char **uri, int64_t *renew_at)
{
    char what[96];
    snprintf(what, sizeof what, "channel %zu: create", c->number);
    jv answer = gc_call(s->client, "POST", CHANNELS_PATH, "{}", what);
    const char *new_id = gm_string(answer, "id"), *connect = gm_string(answer, "connectUri");
    const char *expires = gm_string(answer, "expires");
    if (!new_id || !*new_id || !connect || !*connect) gc_fail(s->client, "%s: the answer has no id or connectUri", what);
    *id = gp_xstrdup(new_id);
    *uri = gp_xstrdup(connect);
    int64_t now = gc_now_ms(), life = 24LL * 3600 * 1000, expiry;
    if (expires && gp_time_parse(expires, strlen(expires), &expiry) == 0) life = expiry - wall_ms();
    if (life < 1000) life = 1000;
    /* Renew when a tenth of the lifetime remains, so a channel of 12 s in a
     * test is handled exactly like one of 24 h; a token must outlive it. */
    *renew_at = now + life - life / 10;
    int64_t token = gc_token_renew_at(s->client);
    if (token < *renew_at) *renew_at = token;
    jv_free(answer);

    subscribe(s, c, *id);
    if (s->job->http.verbose) gp_warn("channel %zu: %s, %s", c->number, *id, *uri);
}

/* ------------------------------------------------------------------ */
/* Socket messages                                                      */
/* ------------------------------------------------------------------ */

static void on_frame(void *ctx)
{
    channel *c = ctx;
    c->last_frame = gc_now_ms();
    c->pinged = false;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void queue_observation(stream *s, const char *topic, jv body)
{
    const char *id = topic + strlen("v2.analytics.queues.");
    const char *dot = strchr(id, '.');
    size_t id_len = dot ? (size_t)(dot - id) : strlen(id);
    jv results = member(body, "results");
    int nr = jv_get_kind(results) == JV_KIND_ARRAY ? jv_array_length(jv_copy(results)) : 0;
    for (int i = 0; i < nr; i++) {
        jv group = jv_array_get(jv_copy(results), i);
        const char *media = gm_string(group, "mediaType");
        jv data = member(group, "data");
        int nd = jv_get_kind(data) == JV_KIND_ARRAY ? jv_array_length(jv_copy(data)) : 0;
        for (int k = 0; k < nd; k++) {
            jv d = jv_array_get(jv_copy(data), k);
            const char *metric = gm_string(d, "metric");
            jv count = member(d, "count");
            if (metric && jv_get_kind(count) == JV_KIND_NUMBER) {
                control_begin(s, "queue");
                gp_control_str(&gp_stdout, "queue_id", id, id_len);
                gp_control_str(&gp_stdout, "metric", metric, strlen(metric));
                if (media) gp_control_str(&gp_stdout, "qualifier", media, strlen(media));
                gp_control_double(&gp_stdout, "count", jv_number_value(count));
                control_end(s);
            }
            jv_free(count);
            jv_free(d);
        }
        jv_free(data);
        jv_free(group);
    }
    jv_free(results);
}

static void user_event(stream *s, channel *c, const char *topic, jv body)
{
    char user[256], where[64];
    topic_user(topic, user, sizeof user);
    if (!*user || !idset_has(&c->users, user)) return;
    snprintf(where, sizeof where, "channel %zu", c->number);
    s->events++;
    if (ends_with(topic, ".routingStatus")) {
        jv rs = member(body, "routingStatus");
        point_from(s, where, user, GP_TL_ROUTING, rs, "status", "startTime");
        jv_free(rs);
    } else if (ends_with(topic, ".presence")) {
        presence_from(s, where, user, body);
    } else if (ends_with(topic, ".activity")) {
        jv rs = member(body, "routingStatus");
        if (jv_get_kind(rs) == JV_KIND_OBJECT) point_from(s, where, user, GP_TL_ROUTING, rs, "status", "startTime");
        jv_free(rs);
        jv pr = member(body, "presence");
        if (jv_get_kind(pr) == JV_KIND_OBJECT) presence_from(s, where, user, pr);
        jv_free(pr);
    }
}

/* System messages that ask for a new socket or a new channel. */
static gf_stream_next system_action(const char *topic, const char *message)
{
    static const struct {
        const char *name;
        gf_stream_next action;
    } table[] = {
        {"socket_closing", GF_STREAM_SWITCH_SOCKET},
        {"no_longer_subscribed", GF_STREAM_NEW_CHANNEL},
        {"subscription_changed", GF_STREAM_NEW_CHANNEL},
        {"token_revoked", GF_STREAM_NEW_CHANNEL},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strncmp(topic, "v2.system.", 10) == 0 && strcmp(topic + 10, table[i].name) == 0) return table[i].action;
        if (message && strcmp(message, table[i].name) == 0) return table[i].action;
    }
    return GF_STREAM_KEEP;
}

/* One whole text message from channel C's socket: its point events and
 * control records out, a system message's request noted in c->pending. */
static void on_message(void *ctx, const char *msg, size_t len)
{
    channel *c = ctx;
    stream *s = c->s;
    if (len > INT32_MAX) return;
    jv v = jv_parse_sized(msg, (int)len);
    if (!jv_is_valid(v)) {
        gp_warn("channel %zu: a message that is not JSON (%zu bytes); left out", c->number, len);
        jv_free(v);
        return;
    }
    const char *topic = gm_string(v, "topicName");
    jv body = member(v, "eventBody");
    if (!topic) {
        /* nothing to do */
    } else if (strncmp(topic, "v2.users.", 9) == 0) {
        user_event(s, c, topic, body);
    } else if (strncmp(topic, "v2.analytics.queues.", 20) == 0) {
        queue_observation(s, topic, body);
    } else if (strncmp(topic, "v2.routing.queues.", 18) == 0 && ends_with(topic, ".users")) {
        /* A member joined or left: a hint; the members list is read again
         * (in the loop, once for a burst of such events). */
        const char *id = topic + 18;
        followed_queue *q = queue_named(s, id, strlen(id) - strlen(".users"));
        if (q) q->refresh = true;
    } else {
        const char *message = gm_string(body, "message");
        gf_stream_next action = system_action(topic, message);
        if (action != GF_STREAM_KEEP) {
            if (s->job->http.verbose) gp_warn("channel %zu: %s", c->number, message && strcmp(topic, "channel.metadata") == 0 ? message : topic);
            if (strstr(topic, "token_revoked") || (message && strcmp(message, "token_revoked") == 0))
                gc_forget_token(s->client);
            if (action > c->pending) c->pending = action;
        } else if (strcmp(topic, "channel.metadata") == 0 && message && strcmp(message, "WebSocket Heartbeat") == 0) {
            write_control(s, "heartbeat", NULL, c);
        }
    }
    jv_free(body);
    jv_free(v);
}

/* ------------------------------------------------------------------ */
/* Messages without sockets (tests, the fuzz target)                    */
/* ------------------------------------------------------------------ */

struct gf_stream_messages {
    stream s;
    channel c;
};

gf_stream_messages *gf_stream_messages_new(gf_job *j, const gf_stream_options *o)
{
    gf_stream_messages *m = gp_xcalloc(1, sizeof *m);
    sort_unique(j->users, &j->nusers);
    m->s.job = j;
    m->s.o = o;
    m->s.client = gc_client_new(&j->settings, &j->http);
    m->s.ch = &m->c;
    m->s.nch = 1;
    m->c.s = &m->s;
    m->c.number = 1;
    for (size_t i = 0; i < j->nusers; i++) idset_add(&m->c.users, j->users[i]);
    m->s.points = (gp_segment_writer){.out = &gp_stdout, .format = GP_FMT_JSON, .with_org = j->org != NULL};
    gp_out_flush_buffer(&gp_stdout); /* every record starts in an empty buffer */
    return m;
}

gf_stream_next gf_stream_message(gf_stream_messages *m, const char *msg, size_t len)
{
    m->c.pending = GF_STREAM_KEEP;
    on_message(&m->c, msg, len);
    return m->c.pending;
}

void gf_stream_messages_free(gf_stream_messages *m)
{
    if (!m) return;
    idset_free(&m->c.users);
    gc_client_free(m->s.client);
    free(m);
}

/* ------------------------------------------------------------------ */
/* Re-sync baseline                                                     */
/* ------------------------------------------------------------------ */

static int64_t baseline_from(const stream *s)
{
    if (s->o->baseline_from != GP_TIME_NONE) return s->o->baseline_from;
    const char *tz = s->o->tz ? s->o->tz : "UTC";
    int64_t now = wall_ms();
    int64_t local = now + gp_tz_offset(tz, now);
    int64_t day = local >= 0 ? local / 86400000 : (local - 86399999) / 86400000;
    return gp_tz_local_midnight(tz, day);
}

typedef struct user_slice {
    char *const *users;
    size_t n;
} user_slice;

static void state_of_user(stream *s, jv e, void *ctx)
{
    const user_slice *u = ctx;
    const char *id = gm_string(e, "id");
    if (id && bsearch(&id, u->users, u->n, sizeof *u->users, cmp_strings)) {
        jv rs = member(e, "routingStatus");
        if (jv_get_kind(rs) == JV_KIND_OBJECT) point_from(s, "re-sync", id, GP_TL_ROUTING, rs, "status", "startTime");
        jv_free(rs);
        jv pr = member(e, "presence");
        if (jv_get_kind(pr) == JV_KIND_OBJECT) presence_from(s, "re-sync", id, pr);
        jv_free(pr);
    }
    jv_free(e);
}

/* Current state of the users (a sorted slice of the job's):
 * GET /api/v2/users?expand=routingStatus,presence. */
static void current_state(stream *s, char *const *users, size_t nusers)
{
    char path[128];
    snprintf(path, sizeof path, "/api/v2/users?pageSize=%d&expand=routingStatus,presence", USERS_PAGE_SIZE);
    user_slice u = {users, nusers};
    each_entity(s, path, "re-sync: current state of the users", state_of_user, &u);
}

/* resync_start; today's segments so far as point events (the details
 * query from the baseline); the current state; resync_end. */
static void resync(stream *s, char *const *users, size_t nusers)
{
    int64_t from = baseline_from(s), now = wall_ms();
    int64_t to = (now > from ? now : from) + GS_DAY_MS; /* the API answers what exists so far */
    control_begin(s, "resync_start");
    gp_control_time(&gp_stdout, "from", from);
    gp_control_size(&gp_stdout, "users", nusers);
    control_end(s);
    if (nusers) {
        gs_batch batch = {0};
        gf_details_into(s->job, s->client, users, nusers, from, to, &batch);
        gs_finish_options fo = {GP_TIME_NONE, GP_TIME_NONE, true, true};
        gs_batch_finish(&batch, &fo);
        for (size_t i = 0; i < batch.len; i++) {
            const gs_packed_segment *g = &batch.segs[i];
            const char *user = gs_str(&batch, g->user), *status = gs_str(&batch, g->status);
            write_point(s, user, strlen(user), g->timeline, status, strlen(status), g->start);
        }
        gs_batch_free(&batch);
        current_state(s, users, nusers);
    }
    write_control(s, "resync_end", NULL, NULL);
    /* The sockets were not read meanwhile: their silence was ours. */
    int64_t t = gc_now_ms();
    for (size_t i = 0; i < s->nch; i++) {
        s->ch[i].last_frame = t;
        s->ch[i].pinged = false;
    }
}

/* ------------------------------------------------------------------ */
/* Connecting, switching, dropping                                      */
/* ------------------------------------------------------------------ */

static ws_conn *open_socket(stream *s, channel *c, const char *uri, char *err, size_t errlen)
{
    ws_options wo = {s->job->settings.cacert, s->job->http.timeout_ms < 30000 ? s->job->http.timeout_ms : 30000,
                     s->job->http.verbose};
    ws_handlers h = {on_message, on_frame, c};
    return ws_open(uri, &wo, &h, err, errlen);
}

static uint64_t next_random(stream *s)
{
    s->rng ^= s->rng >> 12;
    s->rng ^= s->rng << 25;
    s->rng ^= s->rng >> 27;
    return s->rng * 2685821657736338717ULL;
}

/* The socket is gone: say so at once, and plan the reconnect. */
static void channel_down(stream *s, channel *c, const char *reason)
{
    ws_close(c->ws, 0, NULL, 0);
    c->ws = NULL;
    int64_t now = gc_now_ms();
    c->down_since = now;
    c->backoff_ms = BACKOFF_FIRST_MS;
    c->retry_at = now + c->backoff_ms / 2 + (int64_t)(next_random(s) % (uint64_t)(c->backoff_ms / 2 + 1));
    c->pending = GF_STREAM_KEEP;
    snprintf(c->last_error, sizeof c->last_error, "%s", reason);
    write_control(s, "disconnected", reason, c);
}

static void replace_channel(channel *c, char *id, char *uri, int64_t renew_at)
{
    free(c->id);
    free(c->uri);
    c->id = id;
    c->uri = uri;
    c->renew_at = renew_at;
}

/* Connect a channel that is down (or not yet up).  On success: connected,
 * then a re-sync of its users. */
static void try_connect(stream *s, channel *c)
{
    if (c->down_since == 0) c->down_since = gc_now_ms();
    retry_rest_since(s, c->down_since);
    if (c->new_channel_next || !c->id || gc_now_ms() >= c->renew_at) {
        char *id, *uri;
        int64_t renew_at;
        create_channel(s, c, &id, &uri, &renew_at);
        replace_channel(c, id, uri, renew_at);
        c->new_channel_next = false;
    }
    char err[512];
    ws_conn *ws = open_socket(s, c, c->uri, err, sizeof err);
    int64_t now = gc_now_ms();
    if (!ws) {
        /* The channel itself may be gone: the next attempt makes a new one. */
        c->new_channel_next = true;
        snprintf(c->last_error, sizeof c->last_error, "%s", err);
        if (s->o->max_wait_ms >= 0 && now - c->down_since > s->o->max_wait_ms)
            gc_fail(s->client, "channel %zu: no connection for %.1f s (--max-wait); last error: %s", c->number,
                    (double)(now - c->down_since) / 1000, err);
        if (s->job->http.verbose) gp_warn("channel %zu: %s; next try in %.1f s", c->number, err, (double)c->backoff_ms / 1000);
        c->backoff_ms = c->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : c->backoff_ms * 2;
        c->retry_at = now + c->backoff_ms / 2 + (int64_t)(next_random(s) % (uint64_t)(c->backoff_ms / 2 + 1));
        return;
    }
    c->ws = ws;
    c->last_frame = now;
    c->pinged = false;
    c->backoff_ms = BACKOFF_FIRST_MS;
    c->down_since = 0;
    write_control(s, "connected", NULL, c);
    for (size_t i = 0; i < s->nqueues; i++) s->queues[i].refresh = true; /* changes missed while down */
    resync(s, c->users.v, c->users.n);
}

/* Make before break: a new socket (SWITCH: to the same channel; RENEW: to a
 * new channel with the same subscriptions) is up before the old one goes. */
static void switch_socket(stream *s, channel *c, gf_stream_next how)
{
    char *id = NULL, *uri = NULL;
    int64_t renew_at = c->renew_at;
    retry_rest_since(s, gc_now_ms());
    if (how == GF_STREAM_NEW_CHANNEL) create_channel(s, c, &id, &uri, &renew_at);
    char err[512];
    ws_conn *ws = open_socket(s, c, how == GF_STREAM_NEW_CHANNEL ? uri : c->uri, err, sizeof err);
    if (!ws) {
        if (s->job->http.verbose) gp_warn("channel %zu: the new socket failed (%s); the old one stays", c->number, err);
        free(id);
        free(uri);
        if (how == GF_STREAM_NEW_CHANNEL) c->renew_at = gc_now_ms() + RENEW_RETRY_MS;
        return;
    }
    ws_conn *old = c->ws;
    c->ws = ws;
    if (how == GF_STREAM_NEW_CHANNEL) replace_channel(c, id, uri, renew_at);
    ws_close(old, 1000, "switching", SWITCH_CLOSE_WAIT_MS);
    c->last_frame = gc_now_ms(); /* after the close: its wait was not the new socket's silence */
    c->pinged = false;
    if (s->job->http.verbose)
        gp_warn("channel %zu: switched to a new %s", c->number, how == GF_STREAM_NEW_CHANNEL ? "channel" : "socket");
}

static void close_all(stream *s, uint16_t code, const char *reason)
{
    for (size_t i = 0; i < s->nch; i++) {
        ws_close(s->ch[i].ws, code, reason, CLOSE_WAIT_MS);
        s->ch[i].ws = NULL;
    }
}

/* ------------------------------------------------------------------ */
/* Queue membership                                                     */
/* ------------------------------------------------------------------ */

static size_t topics_on(const stream *s, const channel *c)
{
    return c->users.n * (s->o->activity_topic ? 1 : 2) + c->nextra;
}

/* A channel with room for one more user's topics: an existing one, else a
 * new one while there are fewer than GF_MAX_CHANNELS (the loop connects
 * it); NULL when all are full. */
static channel *channel_with_room(stream *s)
{
    size_t need = s->o->activity_topic ? 1 : 2;
    for (size_t i = 0; i < s->nch; i++)
        if (topics_on(s, &s->ch[i]) + need <= GF_MAX_TOPICS_PER_CHANNEL) return &s->ch[i];
    if (s->nch == GF_MAX_CHANNELS) return NULL;
    channel *c = &s->ch[s->nch];
    c->s = s;
    c->number = ++s->nch;
    c->backoff_ms = BACKOFF_FIRST_MS;
    c->new_channel_next = true;
    c->retry_at = 0;
    return c;
}

/* The channel's subscriptions follow its users: now when it is up; when
 * it is down, its next connect makes a new channel with them. */
static void resubscribe(stream *s, channel *c)
{
    if (c->ws && c->id) subscribe(s, c, c->id);
    else c->new_channel_next = true;
}

/* Start following USER (a new queue member): subscribe its topics and
 * write its re-sync baseline. */
static void follow_user(stream *s, const char *user)
{
    channel *c = channel_with_room(s);
    if (!c) {
        gp_warn("user %s joined a followed queue, but all %d channels are full (%d topics each): not followed",
                user, GF_MAX_CHANNELS, GF_MAX_TOPICS_PER_CHANNEL);
        return;
    }
    idset_add(&c->users, user);
    if (s->job->http.verbose) gp_warn("channel %zu: following user %s (joined a queue)", c->number, user);
    if (!c->id) return; /* a new channel: the loop connects it and re-syncs its users */
    resubscribe(s, c);
    if (c->ws) {
        char *one = gp_xstrdup(user);
        resync(s, &one, 1);
        free(one);
    }
}

/* Stop following USER (no longer in any followed queue, not named). */
static void unfollow_user(stream *s, const char *user)
{
    for (size_t i = 0; i < s->nch; i++) {
        channel *c = &s->ch[i];
        if (!idset_remove(&c->users, user)) continue;
        if (s->job->http.verbose) gp_warn("channel %zu: no longer following user %s (left its queues)", c->number, user);
        resubscribe(s, c);
    }
}

/* Read queue Q's members again and follow the difference. */
static void refresh_queue(stream *s, followed_queue *q)
{
    q->refresh = false;
    retry_rest_since(s, gc_now_ms());
    idset now = {0};
    read_queue_members(s, q->id, &now);
    for (size_t i = 0; i < now.n; i++) {
        if (idset_has(&q->members, now.v[i])) continue;
        bool before = followed(s, now.v[i]);
        idset_add(&q->members, now.v[i]);
        if (!before) follow_user(s, now.v[i]);
    }
    for (size_t i = q->members.n; i-- > 0;) {
        if (idset_has(&now, q->members.v[i])) continue;
        char *gone = gp_xstrdup(q->members.v[i]);
        idset_remove(&q->members, gone);
        if (!followed(s, gone)) unfollow_user(s, gone);
        free(gone);
    }
    idset_free(&now);
}

/* ------------------------------------------------------------------ */
/* The loop                                                             */
/* ------------------------------------------------------------------ */

/* The next moment something is due for channel C. */
static int64_t next_due(const stream *s, const channel *c)
{
    if (!c->ws) return c->retry_at;
    int64_t due = c->last_frame + s->o->heartbeat_timeout_ms;
    if (!c->pinged && c->last_frame + s->o->ping_after_ms < due) due = c->last_frame + s->o->ping_after_ms;
    if (c->renew_at < due) due = c->renew_at;
    if (c->pending != GF_STREAM_KEEP) due = 0;
    return due;
}

static void run_timers(stream *s, channel *c)
{
    int64_t now = gc_now_ms();
    if (!c->ws) {
        if (now >= c->retry_at) try_connect(s, c);
        return;
    }
    if (now - c->last_frame >= s->o->heartbeat_timeout_ms) {
        char reason[96];
        snprintf(reason, sizeof reason, "no heartbeat for %g s", (double)s->o->heartbeat_timeout_ms / 1000);
        channel_down(s, c, reason);
        return;
    }
    if (!c->pinged && now - c->last_frame >= s->o->ping_after_ms) {
        static const char ping[] = "{\"message\":\"ping\"}";
        ws_send_text(c->ws, ping, sizeof ping - 1);
        c->pinged = true;
    }
    if (c->pending != GF_STREAM_KEEP) {
        gf_stream_next how = c->pending;
        c->pending = GF_STREAM_KEEP;
        switch_socket(s, c, how);
    } else if (now >= c->renew_at) {
        switch_socket(s, c, GF_STREAM_NEW_CHANNEL);
    }
}

static void stream_loop(stream *s)
{
    struct pollfd *fds = gp_xcalloc(GF_MAX_CHANNELS, sizeof *fds);
    size_t *which = gp_xcalloc(GF_MAX_CHANNELS, sizeof *which);
    while (!stop_signal) {
        int64_t now = gc_now_ms(), due = INT64_MAX;
        size_t nfds = 0;
        for (size_t i = 0; i < s->nch; i++) {
            channel *c = &s->ch[i];
            int64_t d = next_due(s, c);
            if (d < due) due = d;
            if (c->ws) {
                fds[nfds].fd = ws_fd(c->ws);
                fds[nfds].events = (short)(POLLIN | (ws_want_write(c->ws) ? POLLOUT : 0));
                fds[nfds].revents = 0;
                which[nfds++] = i;
            }
        }
        int64_t wait = due <= now ? 0 : due - now;
        if (wait > 1000) wait = 1000;
        int r = poll(fds, nfds, (int)wait);
        if (r < 0 && errno != EINTR) gc_fail(s->client, "poll: %s", strerror(errno));
        for (size_t k = 0; r > 0 && k < nfds; k++) {
            if (!fds[k].revents) continue;
            channel *c = &s->ch[which[k]];
            char err[256];
            if (c->ws && ws_service(c->ws, err, sizeof err) != 0) channel_down(s, c, err);
        }
        for (size_t i = 0; i < s->nch && !stop_signal; i++) run_timers(s, &s->ch[i]);
        for (size_t i = 0; i < s->nqueues && !stop_signal; i++)
            if (s->queues[i].refresh) refresh_queue(s, &s->queues[i]);
    }
    free(fds);
    free(which);
}

static void free_stream(stream *s)
{
    for (size_t i = 0; i < s->nch; i++) {
        free(s->ch[i].id);
        free(s->ch[i].uri);
        idset_free(&s->ch[i].users);
    }
    free(s->ch);
    for (size_t i = 0; i < s->nqueues; i++) idset_free(&s->queues[i].members);
    free(s->queues);
    for (size_t i = 0; i < s->nextra; i++) free(s->extra_topics[i]);
    free(s->extra_topics);
    idset_free(&s->pinned);
    gc_client_free(s->client);
}

/* ------------------------------------------------------------------ */
/* --dry-run: the plan, nothing sent                                    */
/* ------------------------------------------------------------------ */

/* Topic K of channel C, as its subscription lists it: each user's topics
 * in order, then the extra (queue) topics. */
static void channel_topic(const stream *s, const channel *c, size_t k, gp_buf *t)
{
    static const char *const per_user[] = {"routingStatus", "presence"};
    size_t per = s->o->activity_topic ? 1 : 2;
    t->len = 0;
    if (k < c->users.n * per)
        gp_buf_printf(t, "v2.users.%s.%s", c->users.v[k / per], s->o->activity_topic ? "activity" : per_user[k % per]);
    else
        gp_buf_adds(t, c->extra[k - c->users.n * per]);
    gp_buf_cstr(t);
}

static void plan_channel(const stream *s, const channel *c)
{
    size_t ntopics = topics_on(s, c);
    gp_buf first = {0}, last = {0};
    channel_topic(s, c, 0, &first);
    channel_topic(s, c, ntopics - 1, &last);
    gf_plan_line("channel %zu/%zu: %zu user%s, %zu topic%s", c->number, s->nch, c->users.n,
                 c->users.n == 1 ? "" : "s", ntopics, ntopics == 1 ? "" : "s");
    gf_plan_line("  POST " CHANNELS_PATH " {}");
    gf_plan_line("  PUT " CHANNELS_PATH "/CHANNELID/subscriptions?ignoreErrors=true [%s%s%s]", first.data,
                 ntopics > 1 ? " .. " : "", ntopics > 1 ? last.data : "");
    gf_plan_line("  WebSocket to the channel's connectUri: a ping after %g s without a frame, a reconnect after %g s",
                 (double)s->o->ping_after_ms / 1000, (double)s->o->heartbeat_timeout_ms / 1000);
    gp_buf_free(&first);
    gp_buf_free(&last);
}

/* What a stream would ask before its first event, in that order: queue
 * members, channels and their subscriptions, the re-sync.  The members of
 * --queue are known only when read, so the channels planned hold the
 * users given; nothing is sent, no token requested. */
static void plan_stream(stream *s)
{
    gf_job *j = s->job;
    const gf_stream_options *o = s->o;
    gf_plan_begin(j, "stream");
    sort_unique(j->users, &j->nusers);
    for (size_t i = 0; i < o->nqueues; i++)
        gf_plan_line("queue %s: GET /api/v2/routing/queues/%s/members?pageSize=100, pages until an empty one; "
                     "its members are followed too",
                     o->queues[i], o->queues[i]);
    if (!j->nusers && !o->nobserved && !o->nqueues)
        gp_die("no users to follow (--user, --roster or --queue)");
    plan_extra_topics(s);
    plan_channels(s);
    gf_plan_line("users: %zu given%s, %d topic%s each (%s)", j->nusers, o->nqueues ? " and the queues' members" : "",
                 o->activity_topic ? 1 : 2, o->activity_topic ? "" : "s",
                 o->activity_topic ? "activity" : "routingStatus, presence");
    gf_plan_line("channels: %zu%s (at most %d, of at most %d topics each)", s->nch,
                 o->nqueues ? " before the queues' members" : "", GF_MAX_CHANNELS, GF_MAX_TOPICS_PER_CHANNEL);
    for (size_t i = 0; i < s->nch; i++) plan_channel(s, &s->ch[i]);
    int64_t from = baseline_from(s), now = wall_ms();
    int64_t to = (now > from ? now : from) + GS_DAY_MS;
    char from_text[GP_TIME_LEN + 1];
    gp_time_format(from, from_text);
    gf_plan_line("re-sync, at the start and after each reconnect: the users' segments from %s, then their state",
                 from_text);
    gf_plan_details_into(j, j->users, j->nusers, from, to);
    gf_plan_line("  GET /api/v2/users?pageSize=%d&expand=routingStatus,presence, pages until an empty one",
                 USERS_PAGE_SIZE);
    gp_out_close(&gp_stdout);
}

void gf_stream(gf_job *j, const gf_stream_options *o)
{
    if (j->format == GP_FMT_CSV)
        gp_usage_error("stream writes NDJSON only: it mixes point events and control records (gpulse(7))");
    stream s = {0};
    s.job = j;
    s.o = o;
    if (j->dry_run) {
        plan_stream(&s);
        free_stream(&s);
        return;
    }
    s.rng = (uint64_t)wall_ms() ^ ((uint64_t)getpid() << 32) ^ 0x9E3779B97F4A7C15ULL;
    s.client = gc_client_new(&j->settings, &j->http);
    s.points = (gp_segment_writer){.out = &gp_stdout, .format = GP_FMT_JSON, .with_org = j->org != NULL};
    gp_out_flush_buffer(&gp_stdout); /* every record starts in an empty buffer */

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    retry_rest_since(&s, gc_now_ms());
    sort_unique(j->users, &j->nusers);
    for (size_t i = 0; i < j->nusers; i++) idset_add(&s.pinned, j->users[i]);
    s.nqueues = o->nqueues;
    s.queues = gp_xcalloc(o->nqueues + 1, sizeof *s.queues);
    for (size_t i = 0; i < o->nqueues; i++) {
        followed_queue *q = &s.queues[i];
        q->id = o->queues[i];
        read_queue_members(&s, q->id, &q->members);
        for (size_t k = 0; k < q->members.n; k++) gf_job_add_user(j, q->members.v[k]);
    }
    sort_unique(j->users, &j->nusers);
    plan_extra_topics(&s);
    if (!j->nusers && !o->nobserved) gc_fail(s.client, "no users to follow (--user, --roster or --queue)");
    plan_channels(&s);
    for (size_t i = 0; i < s.nch && !stop_signal; i++) {
        channel *c = &s.ch[i];
        create_channel(&s, c, &c->id, &c->uri, &c->renew_at);
        c->new_channel_next = false;
        char err[512];
        c->ws = open_socket(&s, c, c->uri, err, sizeof err);
        if (c->ws) {
            c->last_frame = gc_now_ms();
            write_control(&s, "connected", NULL, c);
        } else {
            c->ws = NULL;
            c->down_since = 0;
            c->retry_at = 0;
            snprintf(c->last_error, sizeof c->last_error, "%s", err);
            channel_down(&s, c, err);
            c->new_channel_next = true;
        }
    }
    if (!stop_signal) resync(&s, j->users, j->nusers);
    stream_loop(&s);

    close_all(&s, 1000, "stopped");
    write_control(&s, "disconnected", "stopped", NULL);
    if (j->http.verbose) gp_warn("%zu events from the sockets", s.events);
    free_stream(&s);
}
