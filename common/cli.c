/* cli.c - shared options and end-of-run checks. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

bool gp_cli_option(gp_cli *c, int code, const char *arg, void (*usage)(void))
{
    switch (code) {
    case GP_OPT_HELP: usage(); exit(GP_EXIT_OK);
    case GP_OPT_VERSION: gp_version_exit();
    case GP_OPT_JSON: c->out_format = GP_FMT_JSON; return true;
    case GP_OPT_CSV: c->out_format = GP_FMT_CSV; return true;
    case GP_OPT_REJECTS: c->rejects_path = arg; return true;
    default: return false;
    }
}

noreturn void gp_cli_bad_option(int code, char **argv)
{
    const char *word = argv[optind - 1];
    bool is_long = word[0] == '-' && word[1] == '-';
    if (code == ':') {
        if (is_long) gp_usage_error("option '%s' requires an argument", word);
        gp_usage_error("option requires an argument -- '%c'", optopt);
    }
    if (is_long || optopt == 0) gp_usage_error("unrecognized option '%s'", word);
    gp_usage_error("invalid option -- '%c'", optopt);
}

void gp_cli_start(gp_cli *c)
{
    if (!c->rejects_path) return;
    gp_out_open_file(&c->rejects, c->rejects_path);
    c->have_rejects = true;
}

void gp_cli_reader(gp_cli *c, gp_reader *rd) { c->reader = rd; }

/* Before a CSV record in the rejects file: its header, once per header. */
static void rejects_csv_header(gp_cli *c, const gp_record *r)
{
    if (!c->have_rejects || !c->reader || r->format != GP_FMT_CSV) return;
    gp_str h = gp_reader_header_raw(c->reader);
    if (h.n == 0 || (h.n == c->rejects_header.len && memcmp(h.p, c->rejects_header.data, h.n) == 0)) return;
    c->rejects_header.len = 0;
    gp_buf_add(&c->rejects_header, h.p, h.n);
    gp_out_write(&c->rejects, h.p, h.n);
    if (h.p[h.n - 1] != '\n') gp_out_putc(&c->rejects, '\n');
}

void gp_cli_reject(gp_cli *c, gp_record *r, const char *message)
{
    rejects_csv_header(c, r);
    gp_reject(r, message, c->have_rejects ? &c->rejects : NULL);
    c->rejected++;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void gp_cli_progress_report(gp_cli *c, long records)
{
    if (!c->progress_checked) {
        c->progress_checked = true;
        c->progress_on = isatty(2);
        c->progress_last = now_seconds();
        return;
    }
    double t = now_seconds();
    if (t - c->progress_last < 1.0) return;
    c->progress_last = t;
    fprintf(stderr, "\r%s: %.1fM records", gp_progname, (double)records / 1e6);
}

void gp_cli_finish(gp_cli *c)
{
    if (c->progress_on) fprintf(stderr, "\r\033[K"); /* clear the progress line */
    gp_out_close(&gp_stdout);
    if (c->have_rejects) gp_out_close(&c->rejects);
    gp_buf_free(&c->rejects_header);
}
