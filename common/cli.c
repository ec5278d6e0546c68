/* cli.c - what every filter has: the shared options and the end of usage,
 * the reject-and-continue read loop, progress, end-of-run checks. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const struct option *gp_cli_options(const struct option *own, bool formats)
{
    static const struct option shared[] = {
        {"rejects", required_argument, NULL, GP_OPT_REJECTS},
        {"json", no_argument, NULL, GP_OPT_JSON},
        {"csv", no_argument, NULL, GP_OPT_CSV},
        {"help", no_argument, NULL, GP_OPT_HELP},
        {"version", no_argument, NULL, GP_OPT_VERSION},
    };
    static struct option *table;
    size_t nown = 0;
    while (own && own[nown].name) nown++;
    size_t nshared = sizeof shared / sizeof shared[0];
    free(table);
    table = gp_xcalloc(nown + nshared + 1, sizeof *table);
    size_t n = 0;
    for (size_t i = 0; i < nown; i++) table[n++] = own[i];
    for (size_t i = 0; i < nshared; i++)
        if (formats || (shared[i].val != GP_OPT_JSON && shared[i].val != GP_OPT_CSV)) table[n++] = shared[i];
    return table;
}

/* "      --rejects FILE" then blanks up to COLUMN (one at least), then TEXT. */
static void usage_line(int column, const char *option, const char *text)
{
    int n = (int)strlen(option);
    gp_out_puts(&gp_stdout, option);
    do gp_out_putc(&gp_stdout, ' ');
    while (++n < column);
    gp_out_puts(&gp_stdout, text);
    gp_out_putc(&gp_stdout, '\n');
}

void gp_cli_usage_end(const gp_cli_usage *u)
{
    char rejects[80];
    snprintf(rejects, sizeof rejects, "copy malformed %s to FILE and go on", u->what ? u->what : "records");
    usage_line(u->column, "      --rejects FILE", rejects);
    if (u->formats) {
        usage_line(u->column, "      --json", "write NDJSON (default: the input's format)");
        usage_line(u->column, "      --csv", "write CSV");
    }
    usage_line(u->column, "      --help", "display this help and exit");
    usage_line(u->column, "      --version", "output version information and exit");
    gp_out_putc(&gp_stdout, '\n');
    gp_out_puts(&gp_stdout, u->note ? u->note : "With no FILE, or when FILE is -, read standard input.\n");
    gp_out_puts(&gp_stdout, "Exit status: 0 success, 1 data or runtime error, 2 usage error.\n");
    gp_out_close(&gp_stdout);
}

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

void gp_cli_reject(gp_cli *c, gp_record *r, const char *message)
{
    gp_reject(r, message, c->have_rejects ? &c->rejects : NULL);
    c->rejected++;
}

int gp_cli_next(gp_cli *c, gp_reader *rd, gp_record **r)
{
    int got;
    while ((got = gp_reader_next(rd, r)) < 0) gp_cli_reject(c, *r, gp_reader_error(rd));
    if (got == 0) return 0;
    gp_cli_progress(c, ++c->records);
    return 1;
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
}

const char **gp_cli_status_list(const char *opt, const char *list)
{
    size_t count = 1;
    for (const char *p = list; *p; p++) count += *p == ',';
    const char **set = gp_xcalloc(count + 1, sizeof *set);
    size_t n = 0;
    for (const char *p = list; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char *status = gp_xmalloc(2 * len + 2);
        if (gp_status_normalize(p, len, status) == 0)
            gp_usage_error("invalid status list '%s' for %s", list, opt);
        set[n++] = status;
        p += len;
        if (*p == ',') p++;
    }
    if (n == 0) gp_usage_error("%s needs at least one routing status", opt);
    return set;
}

void gp_cli_status_list_free(const char **list)
{
    if (!list) return;
    for (const char **s = list; *s; s++) free((char *)*s);
    free(list);
}
