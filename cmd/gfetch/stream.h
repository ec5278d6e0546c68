/* stream.h - gfetch stream: agent state as it happens, from the
 * Notification API's WebSocket channels, as canonical point events and
 * control records (gpulse(7), "Live records").
 *
 * Liveness rules (gfetch(1), STREAM): any frame feeds the watchdog; after
 * --ping-after of silence a ping; after --heartbeat-timeout a
 * `disconnected` record at once, then reconnect with backoff and a re-sync
 * baseline; socket_closing and channel renewal switch sockets make before
 * break. */
#ifndef GPULSE_GFETCH_STREAM_H
#define GPULSE_GFETCH_STREAM_H

#include "run.h"

/* The API's limits on notification channels. */
#define GF_MAX_TOPICS_PER_CHANNEL 1000
#define GF_MAX_CHANNELS 20

typedef struct gf_stream_options {
    bool activity_topic;        /* --topic activity: one v2.users.{id}.activity topic per user */
    char **queues;              /* --queue: members of these queues */
    size_t nqueues;
    char **observed_queues;     /* --queue-observations */
    size_t nobserved;
    bool ignore_rejected;       /* --ignore-rejected */
    int64_t ping_after_ms;      /* --ping-after (35 s) */
    int64_t heartbeat_timeout_ms; /* --heartbeat-timeout (65 s) */
    int64_t max_wait_ms;        /* --max-wait: give up reconnecting after this long down; -1 forever */
    int64_t baseline_from;      /* --from / --since: re-sync from here; GP_TIME_NONE: local midnight */
    const char *tz;             /* --tz: whose midnight (default UTC) */
} gf_stream_options;

/* Run until SIGTERM/SIGINT (exit 0 after a last `disconnected`), a closed
 * standard output (exit 0), or --max-wait spent reconnecting (exit 1). */
void gf_stream(gf_job *j, const gf_stream_options *o);

/* What a channel does after a message: go on, open a new socket to the
 * same channel (socket_closing), or create a new channel and switch to it
 * (no_longer_subscribed, subscription_changed, token_revoked). */
typedef enum gf_stream_next { GF_STREAM_KEEP, GF_STREAM_SWITCH_SOCKET, GF_STREAM_NEW_CHANNEL } gf_stream_next;

/* The handling of received messages on its own, without channels or
 * sockets (the unit tests and tests/fuzz/fuzz_stream.c use it): one
 * channel (number 1) following J's users (sorted and made unique here).
 * gf_stream_message() takes one whole text message as a socket delivers
 * it, writes its point events and control records to standard output (one
 * write(2) each, as gf_stream does) and says what the channel would do
 * next.  No request is made; a token_revoked message only drops the
 * client's token. */
typedef struct gf_stream_messages gf_stream_messages;
gf_stream_messages *gf_stream_messages_new(gf_job *j, const gf_stream_options *o);
gf_stream_next gf_stream_message(gf_stream_messages *m, const char *msg, size_t len);
void gf_stream_messages_free(gf_stream_messages *m);

/* How many channels N users need (TOPICS_PER_USER each, EXTRA topics
 * besides); 0 when more than GF_MAX_CHANNELS. */
size_t gf_stream_channels_needed(size_t nusers, int topics_per_user, size_t extra);

#endif
