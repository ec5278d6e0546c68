/* fuzz_stream.c - gfetch stream's handling of one received WebSocket text
 * message (gf_stream_message: user events, queue observations, heartbeats,
 * system messages), on one channel following three users.
 *
 * Properties: what the message makes goes to standard output (a scratch
 * file here) as whole lines, each one JSON object: a control record with
 * "type", or a point event for a followed user with a status, a start in
 * canonical form and nothing else; the answer is one of the three next
 * steps. */
#include "fuzz.h"
#include "stream.h"

#include <jq.h>
#include <string.h>

static const char *const followed[] = {"u-1", "u-2", "7a1c0e2d-5b7e-4f3a-9c41-2d8e6f0a1b3c"};

static gf_stream_messages *messages;
static int out_fd = -1;
static char out_path[4096];

static void remove_output(void) { unlink(out_path); }

static void start(void)
{
    static gf_job job;
    static gf_stream_options options;
    gp_init("fuzz");
    job.org = "o";
    for (size_t i = 0; i < sizeof followed / sizeof followed[0]; i++) gf_job_add_user(&job, followed[i]);
    messages = gf_stream_messages_new(&job, &options);
    /* standard output becomes a scratch file, read back after each message */
    const char *dir = getenv("TMPDIR");
    snprintf(out_path, sizeof out_path, "%s/gpulse-fuzz-stream.XXXXXX", dir && *dir ? dir : "/tmp");
    out_fd = mkstemp(out_path);
    if (out_fd < 0 || dup2(out_fd, 1) < 0) abort();
    atexit(remove_output);
}

static bool is_followed(const char *user)
{
    for (size_t i = 0; i < sizeof followed / sizeof followed[0]; i++)
        if (strcmp(user, followed[i]) == 0) return true;
    return false;
}

static void check_point_event(jv record, const char *line)
{
    jv user = jv_object_get(jv_copy(record), jv_string("user_id"));
    FUZZ_CHECK(jv_get_kind(user) == JV_KIND_STRING && is_followed(jv_string_value(user)),
               "a point event for a user not followed: %s", line);
    jv_free(user);
    jv routing = jv_object_get(jv_copy(record), jv_string("routing_status"));
    jv presence = jv_object_get(jv_copy(record), jv_string("presence"));
    FUZZ_CHECK((jv_get_kind(routing) == JV_KIND_STRING) != (jv_get_kind(presence) == JV_KIND_STRING),
               "a point event without exactly one status: %s", line);
    jv_free(routing);
    jv_free(presence);
    jv start_at = jv_object_get(jv_copy(record), jv_string("start"));
    int64_t ms;
    FUZZ_CHECK(jv_get_kind(start_at) == JV_KIND_STRING && strlen(jv_string_value(start_at)) == GP_TIME_LEN &&
                   gp_time_parse(jv_string_value(start_at), GP_TIME_LEN, &ms) == 0,
               "a point event without a canonical start: %s", line);
    jv_free(start_at);
    FUZZ_CHECK(jv_object_length(jv_copy(record)) == 4, "a point event with other fields: %s", line);
}

/* Every line written: whole, JSON, a control record or a point event. */
static void check_output(void)
{
    off_t size = lseek(out_fd, 0, SEEK_END);
    if (size <= 0) return;
    char *text = gp_xmalloc((size_t)size + 1);
    if (pread(out_fd, text, (size_t)size, 0) != (ssize_t)size) abort();
    text[size] = '\0';
    FUZZ_CHECK(text[size - 1] == '\n', "the output ends inside a line");
    for (char *line = text, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        *nl = '\0';
        jv record = jv_parse(line);
        FUZZ_CHECK(jv_get_kind(record) == JV_KIND_OBJECT, "a line that is not a JSON object: %s", line);
        jv type = jv_object_get(jv_copy(record), jv_string("type"));
        if (jv_get_kind(type) == JV_KIND_INVALID) check_point_event(record, line);
        else FUZZ_CHECK(jv_get_kind(type) == JV_KIND_STRING, "a control record's type: %s", line);
        jv_free(type);
        jv_free(record);
    }
    free(text);
    if (ftruncate(out_fd, 0) != 0 || lseek(out_fd, 0, SEEK_SET) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!messages) start();
    if (size > (1 << 20)) return 0;
    gf_stream_next next = gf_stream_message(messages, (const char *)data, size);
    FUZZ_CHECK(next == GF_STREAM_KEEP || next == GF_STREAM_SWITCH_SOCKET || next == GF_STREAM_NEW_CHANNEL,
               "next step %d", (int)next);
    check_output();
    return 0;
}
