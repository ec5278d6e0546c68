/* gsort - put records into the canonical order (org, user_id, start), or
 * with --time into time order (start, org, user_id) for glive --replay.
 *
 * The sorting is GNU sort's (see engine/sortpipe.c): records come out byte
 * for byte as they went in, stable, and inputs larger than memory work
 * through sort's temporary files (-S, -T). */
#include "cli.h"
#include "gpulse.h"
#include "segment.h"
#include "sortpipe.h"

#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>

enum { OPT_BUFFER = 1, OPT_TEMP, OPT_PARALLEL, OPT_TIME };

/* Its own options; gp_cli_options adds the shared ones. */
static const struct option own_options[] = {
    {"buffer-size", required_argument, NULL, OPT_BUFFER},
    {"temporary-directory", required_argument, NULL, OPT_TEMP},
    {"parallel", required_argument, NULL, OPT_PARALLEL},
    {"time", no_argument, NULL, OPT_TIME},
    {NULL, 0, NULL, 0},
};

static void usage(void)
{
    gp_out_puts(&gp_stdout,
        "Usage: gsort [OPTION]... [FILE]...\n"
        "Write records (NDJSON or CSV) from FILEs or standard input in canonical\n"
        "order: by org, then user_id, then start (as an instant: offsets are\n"
        "normalised to UTC).  The sort is stable and done by GNU sort; records\n"
        "come out byte for byte as they went in (a CSV header first).\n"
        "\n"
        "      --time                      time order instead: by start, then org, then\n"
        "                                  user_id (control records by their 'at'), the\n"
        "                                  order of a live feed, for glive --replay\n"
        "  -S, --buffer-size SIZE          main memory buffer for sort(1) (e.g. 1G, 50%)\n"
        "  -T, --temporary-directory DIR   where sort(1) spills (default $TMPDIR or /tmp)\n"
        "      --parallel N                sort(1) threads\n");
    gp_cli_usage_end(&(gp_cli_usage){
        .column = 34,
        .formats = false,
        .note = "With no FILE, or when FILE is -, read standard input.  The environment\n"
                "variable SORT names the sort program (default: sort on PATH).\n"});
}

/* sort(1) reading a pipe cannot see how much is coming and spills to
 * temporary files early; when every input is a regular file, tell it what
 * its lines will take: the key lines are about half the records' size, and
 * sort's line structures about as much again.  No more: a buffer far
 * larger than the data costs sort page faults (measured: 16 s with -S
 * equal to the input against 23 s with three times it, on 1.5 GB).
 * Capped at half of physical memory. */
static const char *buffer_size_for(char **files, char *out, size_t size)
{
    if (!files[0]) return NULL;
    unsigned long long total = 0;
    for (char **f = files; *f; f++) {
        struct stat st;
        if (strcmp(*f, "-") == 0 || stat(*f, &st) != 0 || !S_ISREG(st.st_mode)) return NULL;
        total += (unsigned long long)st.st_size;
    }
    unsigned long long want = total + (64ULL << 20);
    long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page_size > 0) {
        unsigned long long half = (unsigned long long)pages * (unsigned long long)page_size / 2;
        if (want > half) want = half;
    }
    snprintf(out, size, "%lluK", want / 1024 + 1);
    return out;
}

/* The sort key of a record: org, user_id, and start as an instant in a
 * fixed-width form that sorts bytewise (shorter than its text); with
 * --time, start first.  A control record (gpulse(7): type, org, at) has no
 * user_id: in time order it stands at its `at`. */
static int record_key(gp_record *r, bool by_time, gp_str keys[3], char start_key[GP_SORT_TIME_DIGITS],
                      gp_error *err)
{
    int64_t start = 0; /* set when got == 0; the compiler cannot see it across files */
    gp_str org = gp_rec_get(r, GP_F_ORG), user = gp_rec_get(r, GP_F_USER_ID);
    if (gp_is_control_record(r)) {
        /* gfetch stream's control records (gpulse(7)): untouched, by their
         * time ("at"); in canonical order first in their org. */
        int i = gp_rec_find(r, "at");
        gp_str at = i >= 0 ? gp_rec_value(r, i) : (gp_str){NULL, 0};
        if (at.n == 0) return gp_error_set(err, "field at: missing");
        if (gp_time_parse(at.p, at.n, &start) != 0)
            return gp_error_set(err, "field at: not an RFC 3339 time '%.*s'", (int)(at.n > 40 ? 40 : at.n), at.p);
        user = (gp_str){"", 0};
    } else {
        if (user.n == 0) return gp_error_set(err, "field user_id: missing");
        int got = gp_rec_time(r, GP_F_START, &start, err);
        if (got < 0) return -1;
        if (got > 0) return gp_error_set(err, "field start: missing");
    }
    gp_sortpipe_time_key(start, start_key);
    gp_str when = {start_key, GP_SORT_TIME_DIGITS};
    if (by_time) {
        keys[0] = when;
        keys[1] = org;
        keys[2] = user;
    } else {
        keys[0] = org;
        keys[1] = user;
        keys[2] = when;
    }
    return 0;
}

int main(int argc, char **argv)
{
    gp_init(argv[0]);
    gp_cli cli = {0};
    gp_sort_options sort_options = {0};
    bool by_time = false;
    const struct option *options = gp_cli_options(own_options, false);
    opterr = 0;
    int code;
    while ((code = getopt_long(argc, argv, ":S:T:", options, NULL)) != -1) {
        if (gp_cli_option(&cli, code, optarg, usage)) continue;
        switch (code) {
        case 'S':
        case OPT_BUFFER: sort_options.buffer_size = optarg; break;
        case 'T':
        case OPT_TEMP: sort_options.temp_dir = optarg; break;
        case OPT_PARALLEL: sort_options.parallel = optarg; break;
        case OPT_TIME: by_time = true; break;
        default: gp_cli_bad_option(code, argv);
        }
    }
    char buffer_size[32];
    if (!sort_options.buffer_size)
        sort_options.buffer_size = buffer_size_for(argv + optind, buffer_size, sizeof buffer_size);
    /* static: what a fatal data error leaves allocated stays reachable */
    static gp_reader *rd;
    static gp_sortpipe *sp;
    static gp_buf header;
    rd = gp_reader_new(argv + optind, GP_FMT_AUTO);
    gp_cli_start(&cli); /* after the reader: it notes the inputs --rejects must not overwrite */
    gp_record *r;
    while (gp_cli_next(&cli, rd, &r)) {
        if (gp_reader_new_header(rd)) {
            gp_str h = gp_reader_header_raw(rd);
            if (header.len == 0) gp_buf_add(&header, h.p, h.n);
            else if (h.n != header.len || memcmp(h.p, header.data, h.n) != 0)
                gp_data_die(r->file, 1, "CSV header differs from the first file's; cannot mix them");
        }
        gp_str keys[3];
        char start_key[GP_SORT_TIME_DIGITS];
        gp_error err;
        if (record_key(r, by_time, keys, start_key, &err) != 0) {
            gp_cli_reject(&cli, r, err.msg);
            continue;
        }
        if (!sp) sp = gp_sortpipe_start(&sort_options, 3);
        gp_sortpipe_add(sp, keys, r->raw, r->raw_len);
    }
    if (header.len) {
        gp_out_write(&gp_stdout, header.data, header.len);
        if (header.data[header.len - 1] != '\n') gp_out_putc(&gp_stdout, '\n');
    }
    gp_out_flush_buffer(&gp_stdout);
    if (sp) gp_sortpipe_finish(sp, &gp_stdout);
    gp_buf_free(&header);
    gp_reader_free(rd);
    gp_cli_finish(&cli);
    return GP_EXIT_OK;
}
