/* harness.c - what fuzz.h declares: the input file, the exit guard, the
 * record reading every reader target shares. */
#include "fuzz.h"

#include "segment.h"

#include <fcntl.h>
#include <string.h>

static char input_path[4096];

/* Remove the input file when the fuzzer ends (through the real exit). */
static void remove_input_file(void) { unlink(input_path); }

const char *fuzz_input_file(const uint8_t *data, size_t size)
{
    static int fd = -1;
    if (fd < 0) {
        const char *dir = getenv("TMPDIR");
        snprintf(input_path, sizeof input_path, "%s/gpulse-fuzz.XXXXXX", dir && *dir ? dir : "/tmp");
        fd = mkstemp(input_path);
        if (fd < 0) abort();
        atexit(remove_input_file);
        gp_init("fuzz");
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size) abort();
    return input_path;
}

gp_out *fuzz_null_output(void)
{
    static gp_out out;
    if (!out.buf) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd < 0) abort();
        gp_out_open_fd(&out, fd, "/dev/null");
    }
    return &out;
}

/* One pass over the records of the input file in FORMAT. */
typedef struct read_job {
    const char *path;
    int format;
} read_job;

static void check_values(gp_record *r)
{
    for (int i = 0; i < r->nfields; i++) {
        /* the inline fast path and the decoding path agree, and reading a
         * field again gives the same bytes (it once overflowed) */
        gp_str fast = gp_rec_value(r, i), decoded = gp_rec_value_decoded(r, i),
               again = gp_rec_value_decoded(r, i);
        FUZZ_CHECK(fast.n == decoded.n && (fast.n == 0 || memcmp(fast.p, decoded.p, fast.n) == 0),
                   "field %d: the fast and decoded values differ", i);
        FUZZ_CHECK(again.n == decoded.n && (again.n == 0 || memcmp(again.p, decoded.p, again.n) == 0),
                   "field %d: a second decoding differs", i);
    }
}

static void read_records(void *arg)
{
    read_job *job = arg;
    char *files[] = {(char *)job->path, NULL};
    static const char *const extra[] = {"shift", NULL};
    gp_reader *rd = gp_reader_new(files, job->format);
    gp_writer *as_json = gp_writer_new(fuzz_null_output(), GP_FMT_JSON, extra);
    gp_writer *as_csv = gp_writer_new(fuzz_null_output(), GP_FMT_CSV, extra);
    gp_record *r;
    int got;
    while ((got = gp_reader_next(rd, &r)) != 0) {
        if (got < 0) {
            FUZZ_CHECK(gp_reader_error(rd)[0] != '\0', "a malformed record without a message");
            continue;
        }
        check_values(r);
        gp_segment s;
        int64_t ms;
        char status[64];
        size_t len;
        gp_error err;
        if (gp_segment_read(r, &s, &err) == 0) {
            FUZZ_CHECK(gp_time_in_range(s.start), "start out of range");
            FUZZ_CHECK(s.secs == GP_TIME_NONE || gp_time_in_range(s.start + s.secs), "start + secs out of range");
        }
        (void)gp_rec_time(r, GP_F_END, &ms, &err);
        (void)gp_rec_secs(r, GP_F_SECS, &ms, &err);
        (void)gp_rec_status(r, GP_F_PRESENCE, status, &len, &err);
        gp_layout layout;
        gp_layout_of(r, &layout);
        gp_edit edit = {"shift", GP_F_SHIFT, GP_V_NUMBER, "1", 1};
        gp_write_record(as_json, rd, r, &edit, 1);
        gp_write_record(as_csv, rd, r, NULL, 0);
        if (r->format == GP_FMT_JSON) {
            /* what was read parses again alike (gshift holds records so) */
            long nfields = r->nfields;
            gp_record *again = gp_reader_rescan(rd, r->raw, r->raw_len, r->lineno, r->file);
            FUZZ_CHECK(again && again->nfields == nfields, "a record read once does not parse again");
        }
    }
    gp_writer_free(as_json);
    gp_writer_free(as_csv);
    gp_reader_free(rd);
    gp_out *out = fuzz_null_output();
    out->len = 0;
}

void fuzz_read_records(const uint8_t *data, size_t size, int format)
{
    read_job job = {fuzz_input_file(data, size), format};
    int exited = fuzz_guarded(read_records, &job);
    FUZZ_CHECK(!exited, "the reader ended the program on bad data instead of returning -1");
}

static jmp_buf *guard;

void __real_exit(int status);
void __wrap_exit(int status);
void __wrap_exit(int status)
{
    if (guard) {
        jmp_buf *g = guard;
        guard = NULL;
        longjmp(*g, 1);
    }
    __real_exit(status);
}

int fuzz_guarded(void (*fn)(void *), void *arg)
{
    static bool cleanup_set;
    if (!cleanup_set) {
        cleanup_set = true;
        atexit(remove_input_file);
    }
    jmp_buf here;
    if (setjmp(here)) return 1;
    guard = &here;
    fn(arg);
    guard = NULL;
    return 0;
}
