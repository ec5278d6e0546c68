/* heat_serve.c - the live page's HTTP server, on libmicrohttpd.
 *
 * Three resources, GET only: "/" (the page), "/events" (server-sent
 * events: "frame" with the new SVG, "status" with the connection state)
 * and "/snapshot.json".  Anything else is 404, another method 405, and
 * libmicrohttpd answers malformed requests with 400 itself.
 *
 * One thread per connection (capped), so an event stream can wait on a
 * condition variable for the next publication: the reader thread
 * publishes, every waiting stream wakes and sends it.  Each stream keeps
 * only the sequence numbers it has sent, so a slow browser skips frames
 * instead of queueing them: it never receives more than it can draw. */
#include "heat.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#define MAX_CONNECTIONS 64
#define KEEPALIVE_SECONDS 10
#define EVENT_BLOCK (64 * 1024)

struct gh_server {
    struct MHD_Daemon *daemon;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    gp_buf page, frame_event, snapshot, status_event;
    unsigned long frame_seq, status_seq;
    bool stopping;
    unsigned port;
};

typedef struct stream {
    gh_server *server;
    unsigned long frame_seq, status_seq;
    gp_buf pending;
    size_t sent;
} stream;

/* Wait for something the stream has not sent, and queue it as text. */
static bool stream_refill(stream *c)
{
    gh_server *s = c->server;
    c->pending.len = 0;
    c->sent = 0;
    pthread_mutex_lock(&s->lock);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += KEEPALIVE_SECONDS;
    int waited = 0;
    while (!s->stopping && c->frame_seq == s->frame_seq && c->status_seq == s->status_seq && waited != ETIMEDOUT)
        waited = pthread_cond_timedwait(&s->changed, &s->lock, &until);
    bool open = !s->stopping;
    if (open && c->frame_seq != s->frame_seq && s->frame_event.len) {
        gp_buf_add(&c->pending, s->frame_event.data, s->frame_event.len);
        c->frame_seq = s->frame_seq;
    }
    if (open && c->status_seq != s->status_seq && s->status_event.len) {
        gp_buf_add(&c->pending, s->status_event.data, s->status_event.len);
        c->status_seq = s->status_seq;
    }
    pthread_mutex_unlock(&s->lock);
    if (open && c->pending.len == 0) gp_buf_adds(&c->pending, ": keepalive\n\n");
    return open;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    stream *c = cls;
    if (c->sent == c->pending.len && !stream_refill(c)) return MHD_CONTENT_READER_END_OF_STREAM;
    size_t n = c->pending.len - c->sent;
    if (n > max) n = max;
    memcpy(buf, c->pending.data + c->sent, n);
    c->sent += n;
    return (ssize_t)n;
}

static void stream_free(void *cls)
{
    stream *c = cls;
    gp_buf_free(&c->pending);
    free(c);
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, const char *type, const char *body,
                             size_t len)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED) MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET");
    enum MHD_Result ok = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result reply_text(struct MHD_Connection *conn, unsigned status, const char *text)
{
    return reply(conn, status, "text/plain; charset=utf-8", text, strlen(text));
}

/* A published document, copied under the lock. */
static enum MHD_Result reply_published(gh_server *s, struct MHD_Connection *conn, const gp_buf *doc, const char *type)
{
    pthread_mutex_lock(&s->lock);
    enum MHD_Result ok = doc->len ? reply(conn, MHD_HTTP_OK, type, doc->data, doc->len)
                                  : reply_text(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "no data yet\n");
    pthread_mutex_unlock(&s->lock);
    return ok;
}

static enum MHD_Result reply_events(gh_server *s, struct MHD_Connection *conn)
{
    stream *c = gp_xcalloc(1, sizeof *c);
    c->server = s;
    gp_buf_adds(&c->pending, "retry: 1000\n\n"); /* reconnect after a second */
    struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, EVENT_BLOCK, stream_read, c,
                                                               stream_free);
    if (!r) {
        stream_free(c);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream; charset=utf-8");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    enum MHD_Result ok = MHD_queue_response(conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **state)
{
    gh_server *s = cls;
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0)
        return reply_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET\n");
    if (*upload_size) return reply_text(conn, MHD_HTTP_BAD_REQUEST, "a GET has no body\n");
    if (strcmp(url, "/") == 0 || strcmp(url, "/index.html") == 0)
        return reply_published(s, conn, &s->page, "text/html; charset=utf-8");
    if (strcmp(url, "/snapshot.json") == 0) return reply_published(s, conn, &s->snapshot, "application/json");
    if (strcmp(url, "/events") == 0) return reply_events(s, conn);
    return reply_text(conn, MHD_HTTP_NOT_FOUND, "not found: the page is /, its events /events, the data /snapshot.json\n");
}

gh_server *gh_server_start(const char *addr, unsigned port, char *why, size_t why_size)
{
    struct sockaddr_storage sa;
    memset(&sa, 0, sizeof sa);
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD;
    struct sockaddr_in *v4 = (struct sockaddr_in *)&sa;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&sa;
    if (inet_pton(AF_INET, addr, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
    } else if (inet_pton(AF_INET6, addr, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        flags |= MHD_USE_IPv6;
    } else {
        snprintf(why, why_size, "'%s' is not an IPv4 or IPv6 address", addr);
        return NULL;
    }
    gh_server *s = gp_xcalloc(1, sizeof *s);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->changed, NULL);
    s->daemon = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR, &sa,
                                 MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
                                 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(3 * KEEPALIVE_SECONDS), MHD_OPTION_END);
    if (!s->daemon) {
        snprintf(why, why_size, "cannot listen on %s port %u: %s", addr, port,
                 errno ? strerror(errno) : "refused");
        pthread_mutex_destroy(&s->lock);
        pthread_cond_destroy(&s->changed);
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : port;
    return s;
}

unsigned gh_server_port(const gh_server *s) { return s->port; }

static void copy_buf(gp_buf *into, const gp_buf *from)
{
    into->len = 0;
    gp_buf_add(into, from->data, from->len);
}

void gh_server_publish(gh_server *s, const gp_buf *page, const gp_buf *frame, const gp_buf *snapshot)
{
    pthread_mutex_lock(&s->lock);
    copy_buf(&s->page, page);
    s->frame_event.len = 0;
    gp_buf_adds(&s->frame_event, "event: frame\ndata: ");
    gp_buf_add(&s->frame_event, frame->data, frame->len);
    gp_buf_adds(&s->frame_event, "\n\n");
    copy_buf(&s->snapshot, snapshot);
    s->frame_seq++;
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->lock);
}

void gh_server_status(gh_server *s, const gp_buf *status)
{
    pthread_mutex_lock(&s->lock);
    s->status_event.len = 0;
    gp_buf_adds(&s->status_event, "event: status\ndata: ");
    gp_buf_add(&s->status_event, status->data, status->len);
    gp_buf_adds(&s->status_event, "\n\n");
    s->status_seq++;
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->lock);
}

void gh_server_stop(gh_server *s)
{
    if (!s) return;
    pthread_mutex_lock(&s->lock);
    s->stopping = true;
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->lock);
    MHD_stop_daemon(s->daemon);
    gp_buf_free(&s->page);
    gp_buf_free(&s->frame_event);
    gp_buf_free(&s->snapshot);
    gp_buf_free(&s->status_event);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->changed);
    free(s);
}
