/* ws.h - a WebSocket client for the Notification API: libcurl opens the
 * connection (TCP, TLS with the same verification and --cacert as every
 * other request, proxies) with CURLOPT_CONNECT_ONLY, the RFC 6455 upgrade
 * handshake runs over curl_easy_send/recv with Sec-WebSocket-Accept
 * checked, and wslay does the framing (masking, fragments, ping/pong,
 * close codes, messages of any size).
 *
 * Non-blocking after the handshake: the caller polls ws_fd() (POLLOUT too
 * when ws_want_write()) and calls ws_service() when it is ready. */
#ifndef GPULSE_GFETCH_WS_H
#define GPULSE_GFETCH_WS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ws_conn ws_conn;

typedef struct ws_handlers {
    /* A whole text (or binary) message. */
    void (*on_message)(void *ctx, const char *msg, size_t len);
    /* Any frame at all arrived (data, ping, pong, close): the watchdog's food. */
    void (*on_frame)(void *ctx);
    void *ctx;
} ws_handlers;

typedef struct ws_options {
    const char *cacert;  /* NULL: the system's CA store */
    int64_t timeout_ms;  /* connect and handshake */
    int verbose;         /* trace the handshake on stderr */
} ws_options;

/* Connect to URI (ws:// or wss://, exactly as the API returned it) and
 * upgrade.  Returns the connection, or NULL with a reason in ERR. */
ws_conn *ws_open(const char *uri, const ws_options *o, const ws_handlers *h, char *err, size_t errlen);

int ws_fd(const ws_conn *c);
bool ws_want_write(const ws_conn *c);

/* Read what is there and send what is queued.  Returns 0 while the
 * connection is usable, -1 when it is over (peer closed, reset, protocol
 * error) with the reason in ERR: "close frame 1001 (going away)",
 * "connection reset by peer"... */
int ws_service(ws_conn *c, char *err, size_t errlen);

/* Queue a text message. */
int ws_send_text(ws_conn *c, const char *text, size_t len);

/* Send a close frame with CODE (best effort, waits at most WAIT_MS for it to
 * go out and for the peer's answer), then free the connection.  CODE 0:
 * just drop the connection. */
void ws_close(ws_conn *c, uint16_t code, const char *reason, int64_t wait_ms);

/* Sec-WebSocket-Accept for KEY (RFC 6455 4.2.2): base64(SHA-1(KEY + GUID)).
 * OUT needs 29 bytes. */
void ws_accept_for_key(const char *key, char *out);

/* Split a ws:// or wss:// URI into the URL libcurl connects to
 * (http:// or https://, same host and port), the Host header value and the
 * request target.  Returns 0, or -1 for anything else. */
int ws_split_uri(const char *uri, char *curl_url, size_t url_len, char *host, size_t host_len, char *target,
                 size_t target_len);

#endif
