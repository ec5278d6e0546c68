/* ws.c - WebSocket over libcurl (connection) + wslay (frames).
 *
 * Debian 12's libcurl (7.88) is built without its experimental WebSocket
 * support, so libcurl only connects (CURLOPT_CONNECT_ONLY: TCP, TLS,
 * proxies, certificate checks) and we speak HTTP/1.1 Upgrade ourselves,
 * then hand the byte stream to wslay's event API. */
#include "ws.h"

#include "api.h"
#include "gpulse.h"

#include <curl/curl.h>
#include <errno.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wslay/wslay.h>

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define MAX_HANDSHAKE_BYTES 16384

struct ws_conn {
    CURL *curl;
    int fd;
    wslay_event_context_ptr ws;
    ws_handlers h;
    /* Bytes that came with the handshake answer after its blank line:
     * the first frames, served to wslay before the socket is read again. */
    char *early;
    size_t early_len, early_pos;
    bool eof;         /* the peer closed the TCP connection */
    CURLcode failure; /* the error that ended reading or writing */
};

/* ------------------------------------------------------------------ */
/* URIs and the handshake                                               */
/* ------------------------------------------------------------------ */

int ws_split_uri(const char *uri, char *curl_url, size_t url_len, char *host, size_t host_len, char *target,
                 size_t target_len)
{
    const char *scheme;
    const char *rest;
    if (strncasecmp(uri, "ws://", 5) == 0) {
        scheme = "http://";
        rest = uri + 5;
    } else if (strncasecmp(uri, "wss://", 6) == 0) {
        scheme = "https://";
        rest = uri + 6;
    } else {
        return -1;
    }
    size_t authority = strcspn(rest, "/?#");
    if (authority == 0 || authority >= host_len) return -1;
    memcpy(host, rest, authority);
    host[authority] = '\0';
    if (strchr(host, '@')) return -1; /* no credentials in a connectUri */
    const char *path = rest + authority;
    size_t path_len = strcspn(path, "#");
    if (path_len == 0) {
        path = "/";
        path_len = 1;
    } else if (path[0] == '?') {
        if (path_len + 2 > target_len) return -1;
        target[0] = '/';
        memcpy(target + 1, path, path_len);
        target[path_len + 1] = '\0';
        goto url;
    }
    if (path_len + 1 > target_len) return -1;
    memcpy(target, path, path_len);
    target[path_len] = '\0';
url:
    if ((size_t)snprintf(curl_url, url_len, "%s%s/", scheme, host) >= url_len) return -1;
    return 0;
}

void ws_accept_for_key(const char *key, char *out)
{
    gp_buf text = {0};
    gp_buf_adds(&text, key);
    gp_buf_adds(&text, WS_GUID);
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1((const unsigned char *)text.data, text.len, digest);
    gp_buf_free(&text);
    gp_buf b64 = {0};
    gc_base64(digest, sizeof digest, &b64);
    memcpy(out, b64.data, b64.len + 1);
    gp_buf_free(&b64);
}

/* Wait until the connection's socket is readable (or writable), at most MS. */
static int wait_socket(int fd, bool for_write, int64_t ms)
{
    struct pollfd p = {fd, (short)(for_write ? POLLOUT : POLLIN), 0};
    int r;
    do {
        r = poll(&p, 1, ms < 0 ? -1 : (int)ms);
    } while (r < 0 && errno == EINTR);
    return r;
}

static int send_all(ws_conn *c, const char *p, size_t n, int64_t deadline, char *err, size_t errlen)
{
    while (n) {
        size_t sent = 0;
        CURLcode cc = curl_easy_send(c->curl, p, n, &sent);
        if (cc == CURLE_AGAIN) {
            if (wait_socket(c->fd, true, deadline - gc_now_ms()) <= 0) {
                snprintf(err, errlen, "timed out sending the upgrade request");
                return -1;
            }
            continue;
        }
        if (cc != CURLE_OK) {
            snprintf(err, errlen, "sending the upgrade request: %s", curl_easy_strerror(cc));
            return -1;
        }
        p += sent;
        n -= sent;
    }
    return 0;
}

/* Value of header NAME in the answer's header block, or NULL. */
static const char *header_value(const char *head, const char *name, size_t *len)
{
    size_t nlen = strlen(name);
    for (const char *line = strstr(head, "\r\n"); line; line = strstr(line, "\r\n")) {
        line += 2;
        if (strncasecmp(line, name, nlen) == 0 && line[nlen] == ':') {
            const char *v = line + nlen + 1;
            while (*v == ' ' || *v == '\t') v++;
            const char *end = strstr(v, "\r\n");
            if (!end) end = v + strlen(v);
            while (end > v && (end[-1] == ' ' || end[-1] == '\t')) end--;
            *len = (size_t)(end - v);
            return v;
        }
    }
    return NULL;
}

static bool header_has_token(const char *head, const char *name, const char *token)
{
    size_t len;
    const char *v = header_value(head, name, &len);
    size_t tlen = strlen(token);
    while (v && len >= tlen) {
        size_t item = 0;
        while (item < len && v[item] != ',') item++;
        const char *s = v;
        size_t n = item;
        while (n && (*s == ' ' || *s == '\t')) s++, n--;
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
        if (n == tlen && strncasecmp(s, token, tlen) == 0) return true;
        if (item >= len) break;
        v += item + 1;
        len -= item + 1;
    }
    return false;
}

static int handshake(ws_conn *c, const char *host, const char *target, int64_t deadline, int verbose, char *err,
                     size_t errlen)
{
    unsigned char nonce[16];
    if (RAND_bytes(nonce, sizeof nonce) != 1) {
        snprintf(err, errlen, "no random bytes for the WebSocket key");
        return -1;
    }
    gp_buf key = {0};
    gc_base64(nonce, sizeof nonce, &key);
    gp_buf req = {0};
    gp_buf_printf(&req,
                  "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nUser-Agent: gpulse-gfetch/" GP_VERSION
                  "\r\n\r\n",
                  target, host, key.data);
    if (verbose) gp_warn("> GET %s (WebSocket upgrade, Host %s)", target, host);
    int rc = send_all(c, req.data, req.len, deadline, err, errlen);
    gp_buf_free(&req);
    gp_buf head = {0};
    char *end = NULL;
    while (rc == 0) {
        char chunk[4096];
        size_t got = 0;
        CURLcode cc = curl_easy_recv(c->curl, chunk, sizeof chunk, &got);
        if (cc == CURLE_AGAIN) {
            if (wait_socket(c->fd, false, deadline - gc_now_ms()) <= 0) {
                snprintf(err, errlen, "timed out waiting for the upgrade answer");
                rc = -1;
            }
            continue;
        }
        if (cc != CURLE_OK || got == 0) {
            snprintf(err, errlen, "the server closed the connection during the upgrade%s%s",
                     cc != CURLE_OK ? ": " : "", cc != CURLE_OK ? curl_easy_strerror(cc) : "");
            rc = -1;
            break;
        }
        gp_buf_add(&head, chunk, got);
        gp_buf_cstr(&head);
        if ((end = strstr(head.data, "\r\n\r\n")) != NULL) break;
        if (head.len > MAX_HANDSHAKE_BYTES) {
            snprintf(err, errlen, "the upgrade answer's header is too long");
            rc = -1;
        }
    }
    if (rc == 0) {
        size_t head_len = (size_t)(end - head.data) + 4;
        if (head_len < head.len) {
            c->early_len = head.len - head_len;
            c->early = gp_xmalloc(c->early_len);
            memcpy(c->early, head.data + head_len, c->early_len);
        }
        end[2] = '\0'; /* keep the last header's CRLF for header_value */
        int status = 0;
        if (sscanf(head.data, "HTTP/1.%*d %d", &status) != 1) status = 0;
        char expected[32];
        ws_accept_for_key(key.data, expected);
        size_t alen = 0;
        const char *accept = header_value(head.data, "Sec-WebSocket-Accept", &alen);
        if (verbose) gp_warn("< HTTP %d (WebSocket upgrade)", status);
        if (status != 101) {
            size_t line = strcspn(head.data, "\r\n");
            snprintf(err, errlen, "the server refused the upgrade: %.*s", (int)(line > 200 ? 200 : line),
                     head.data);
            rc = -1;
        } else if (!header_has_token(head.data, "Upgrade", "websocket") ||
                   !header_has_token(head.data, "Connection", "upgrade")) {
            snprintf(err, errlen, "the upgrade answer lacks Upgrade: websocket / Connection: Upgrade");
            rc = -1;
        } else if (!accept || alen != strlen(expected) || memcmp(accept, expected, alen) != 0) {
            snprintf(err, errlen, "the upgrade answer's Sec-WebSocket-Accept does not match our key");
            rc = -1;
        }
    }
    gp_buf_free(&head);
    gp_buf_free(&key);
    return rc;
}

/* ------------------------------------------------------------------ */
/* wslay's callbacks                                                    */
/* ------------------------------------------------------------------ */

static ssize_t on_recv(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, int flags, void *user)
{
    ws_conn *c = user;
    if (c->early_pos < c->early_len) {
        size_t n = c->early_len - c->early_pos;
        if (n > len) n = len;
        memcpy(buf, c->early + c->early_pos, n);
        c->early_pos += n;
        return (ssize_t)n;
    }
    size_t got = 0;
    CURLcode cc = curl_easy_recv(c->curl, buf, len, &got);
    if (cc == CURLE_AGAIN) {
        wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    if (cc != CURLE_OK || got == 0) {
        if (cc == CURLE_OK) c->eof = true;
        else c->failure = cc;
        wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
        return -1;
    }
    return (ssize_t)got;
}

static ssize_t on_send(wslay_event_context_ptr ctx, const uint8_t *data, size_t len, int flags, void *user)
{
    ws_conn *c = user;
    size_t sent = 0;
    CURLcode cc = curl_easy_send(c->curl, data, len, &sent);
    if (cc == CURLE_AGAIN) {
        wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    if (cc != CURLE_OK) {
        c->failure = cc;
        wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
        return -1;
    }
    return (ssize_t)sent;
}

static int on_genmask(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, void *user)
{
    return RAND_bytes(buf, (int)len) == 1 ? 0 : -1;
}

/* Every frame, also each fragment of a long message, feeds the watchdog. */
static void on_frame_start(wslay_event_context_ptr ctx, const struct wslay_event_on_frame_recv_start_arg *arg,
                           void *user)
{
    ws_conn *c = user;
    if (c->h.on_frame) c->h.on_frame(c->h.ctx);
}

static void on_msg(wslay_event_context_ptr ctx, const struct wslay_event_on_msg_recv_arg *arg, void *user)
{
    ws_conn *c = user;
    if (c->h.on_frame) c->h.on_frame(c->h.ctx);
    if ((arg->opcode == WSLAY_TEXT_FRAME || arg->opcode == WSLAY_BINARY_FRAME) && c->h.on_message)
        c->h.on_message(c->h.ctx, (const char *)arg->msg, arg->msg_length);
}

/* ------------------------------------------------------------------ */
/* The connection                                                       */
/* ------------------------------------------------------------------ */

static void free_conn(ws_conn *c)
{
    if (!c) return;
    if (c->ws) wslay_event_context_free(c->ws);
    if (c->curl) curl_easy_cleanup(c->curl);
    free(c->early);
    free(c);
}

ws_conn *ws_open(const char *uri, const ws_options *o, const ws_handlers *h, char *err, size_t errlen)
{
    char url[2048], host[512], target[2048];
    if (ws_split_uri(uri, url, sizeof url, host, sizeof host, target, sizeof target) != 0) {
        snprintf(err, errlen, "not a ws:// or wss:// URI: %.200s", uri);
        return NULL;
    }
    ws_conn *c = gp_xcalloc(1, sizeof *c);
    c->h = *h;
    c->fd = -1;
    c->curl = curl_easy_init();
    if (!c->curl) {
        snprintf(err, errlen, "cannot initialise libcurl");
        free_conn(c);
        return NULL;
    }
    int64_t timeout = o->timeout_ms > 0 ? o->timeout_ms : 30000;
    int64_t deadline = gc_now_ms() + timeout;
    CURL *e = c->curl;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_HTTPPROXYTUNNEL, 1L); /* through a proxy: a CONNECT tunnel, as for wss */
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (o->cacert) curl_easy_setopt(e, CURLOPT_CAINFO, o->cacert);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)timeout);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
    char curl_error[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, curl_error);
    CURLcode cc = curl_easy_perform(e);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, NULL);
    if (cc != CURLE_OK) {
        snprintf(err, errlen, "connecting to %s: %s", host, curl_error[0] ? curl_error : curl_easy_strerror(cc));
        free_conn(c);
        return NULL;
    }
    curl_socket_t sock = CURL_SOCKET_BAD;
    if (curl_easy_getinfo(e, CURLINFO_ACTIVESOCKET, &sock) != CURLE_OK || sock == CURL_SOCKET_BAD) {
        snprintf(err, errlen, "connecting to %s: no socket", host);
        free_conn(c);
        return NULL;
    }
    c->fd = (int)sock;
    if (handshake(c, host, target, deadline, o->verbose, err, errlen) != 0) {
        free_conn(c);
        return NULL;
    }
    struct wslay_event_callbacks cb = {on_recv, on_send, on_genmask, on_frame_start, NULL, NULL, on_msg};
    if (wslay_event_context_client_init(&c->ws, &cb, c) != 0) {
        snprintf(err, errlen, "out of memory");
        free_conn(c);
        return NULL;
    }
    return c;
}

int ws_fd(const ws_conn *c) { return c->fd; }

bool ws_want_write(const ws_conn *c) { return wslay_event_want_write(c->ws) != 0; }

static const char *close_meaning(uint16_t code)
{
    switch (code) {
    case 1000: return "normal closure";
    case 1001: return "going away";
    case 1002: return "protocol error";
    case 1003: return "unsupported data";
    case 1006: return "abnormal closure";
    case 1008: return "policy violation";
    case 1009: return "message too big";
    case 1011: return "server error";
    case 1012: return "service restart";
    case 1013: return "try again later";
    default: return "";
    }
}

/* Why the connection is over, once it is. */
static int ended(ws_conn *c, char *err, size_t errlen)
{
    if (wslay_event_get_close_received(c->ws)) {
        uint16_t code = wslay_event_get_status_code_received(c->ws);
        const char *meaning = close_meaning(code);
        if (code == 0) snprintf(err, errlen, "close frame without a code");
        else snprintf(err, errlen, "close frame %u%s%s%s", code, *meaning ? " (" : "", meaning, *meaning ? ")" : "");
    } else if (c->failure != CURLE_OK) {
        snprintf(err, errlen, "%s", c->failure == CURLE_RECV_ERROR ? "connection reset" : curl_easy_strerror(c->failure));
    } else if (c->eof) {
        snprintf(err, errlen, "connection closed without a close frame");
    } else {
        snprintf(err, errlen, "WebSocket protocol error");
    }
    return -1;
}

int ws_service(ws_conn *c, char *err, size_t errlen)
{
    if (wslay_event_want_read(c->ws) && wslay_event_recv(c->ws) != 0) return ended(c, err, errlen);
    if (wslay_event_want_write(c->ws) && wslay_event_send(c->ws) != 0) return ended(c, err, errlen);
    if (wslay_event_get_close_received(c->ws) || c->eof || c->failure != CURLE_OK) return ended(c, err, errlen);
    return 0;
}

int ws_send_text(ws_conn *c, const char *text, size_t len)
{
    struct wslay_event_msg m = {WSLAY_TEXT_FRAME, (const uint8_t *)text, len};
    return wslay_event_queue_msg(c->ws, &m) == 0 ? 0 : -1;
}

void ws_close(ws_conn *c, uint16_t code, const char *reason, int64_t wait_ms)
{
    if (!c) return;
    if (code && !wslay_event_get_close_sent(c->ws) && c->failure == CURLE_OK && !c->eof) {
        wslay_event_queue_close(c->ws, code, (const uint8_t *)reason, reason ? strlen(reason) : 0);
        int64_t deadline = gc_now_ms() + wait_ms;
        /* Send our close frame, then read until the peer's answer or the deadline. */
        while (gc_now_ms() < deadline && c->failure == CURLE_OK && !c->eof) {
            bool writing = wslay_event_want_write(c->ws) != 0;
            if (!writing && (wslay_event_get_close_received(c->ws) || !wslay_event_want_read(c->ws))) break;
            if (wait_socket(c->fd, writing, deadline - gc_now_ms()) <= 0) break;
            if (writing && wslay_event_send(c->ws) != 0) break;
            if (!writing && wslay_event_recv(c->ws) != 0) break;
        }
    }
    free_conn(c);
}
