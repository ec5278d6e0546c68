/* cli.h - what every filter has, from one place: the shared options
 * (--json, --csv, --rejects, --help, --version) in its getopt table and
 * at the end of its usage, the read loop that rejects malformed records
 * and goes on, progress on a terminal, and the end-of-run checks of its
 * outputs.  A filter is then its own options and its transform:
 *
 *     static const struct option own[] = {{"gap", required_argument, NULL, OPT_GAP}, {0}};
 *     static void usage(void)
 *     {
 *         gp_out_puts(&gp_stdout, "Usage: gtool [OPTION]... [FILE]...\n...own options...\n");
 *         gp_cli_usage_end(&(gp_cli_usage){.column = 21, .formats = true});
 *     }
 *     int main(int argc, char **argv)
 *     {
 *         gp_init(argv[0]);
 *         gp_cli cli = {0};
 *         const struct option *options = gp_cli_options(own, true);
 *         opterr = 0;
 *         while ((code = getopt_long(argc, argv, ":g:", options, NULL)) != -1) {
 *             if (gp_cli_option(&cli, code, optarg, usage)) continue;
 *             switch (code) { ...own options...; default: gp_cli_bad_option(code, argv); }
 *         }
 *         gp_cli_start(&cli);
 *         gp_reader *rd = gp_reader_new(argv + optind, GP_FMT_AUTO);
 *         gp_record *r;
 *         while (gp_cli_next(&cli, rd, &r)) { ...transform, write... }
 *         ...free...
 *         gp_cli_finish(&cli);
 *     }
 */
#ifndef GPULSE_CLI_H
#define GPULSE_CLI_H

#include "gpulse.h"

#include <getopt.h>

/* Option codes for getopt_long tables; tools number their own from 1. */
enum {
    GP_OPT_HELP = 1000,
    GP_OPT_VERSION,
    GP_OPT_JSON,
    GP_OPT_CSV,
    GP_OPT_REJECTS,
};

typedef struct gp_cli {
    int out_format;          /* GP_FMT_AUTO unless --json / --csv */
    const char *rejects_path;
    gp_out rejects;
    bool have_rejects;
    long rejected;
    long records; /* records gp_cli_next returned */
    /* progress on a terminal */
    bool progress_checked, progress_on;
    double progress_last;
} gp_cli;

/* The getopt_long table of a filter: its own options OWN (ended by a
 * zero row) and then the shared ones, --json and --csv only when FORMATS.
 * The table lives until the next call. */
const struct option *gp_cli_options(const struct option *own, bool formats);

/* The end of a filter's usage(), after its own options: the shared
 * options' lines, a blank line, NOTE and the exit status line; then
 * standard output is closed.  Descriptions start at COLUMN, as the tool's
 * own lines do. */
typedef struct gp_cli_usage {
    int column;
    bool formats;     /* --json and --csv */
    const char *what; /* what --rejects copies: NULL = "records" */
    const char *note; /* NULL = "With no FILE, or when FILE is -, read standard input.\n" */
} gp_cli_usage;
void gp_cli_usage_end(const gp_cli_usage *u);

/* Handle one of the shared option codes: returns true when it was one.
 * --help calls USAGE (which prints to stdout and exits 0). */
bool gp_cli_option(gp_cli *c, int code, const char *arg, void (*usage)(void));
/* getopt_long returned '?' (unknown option) or ':' (missing argument; the
 * option string must start with ':'), with opterr = 0: say which, in our
 * own format, and exit 2. */
noreturn void gp_cli_bad_option(int code, char **argv);
/* Open the rejects file if asked for. */
void gp_cli_start(gp_cli *c);
/* A bad record: to the rejects file (and counted), or stop the tool. */
void gp_cli_reject(gp_cli *c, gp_record *r, const char *message);
/* The read loop of a filter: the next record that parses into *R (1), or
 * 0 at the end of the input.  Malformed records go to gp_cli_reject on
 * the way; records are counted for the progress line. */
int gp_cli_next(gp_cli *c, gp_reader *rd, gp_record **r);
void gp_cli_progress_report(gp_cli *c, long records);
/* Count a record; when standard error is a terminal, and only then, say
 * every second how far the work has come ("gshift: 1.2M records"). */
static inline void gp_cli_progress(gp_cli *c, long records)
{
    if ((records & 0xFFFF) == 0 && (!c->progress_checked || c->progress_on))
        gp_cli_progress_report(c, records);
}

/* A comma-separated list of statuses for option OPT ("interacting,Idle")
 * as normalised names {"INTERACTING", "IDLE", NULL}; a usage error when it
 * is empty or malformed.  Free with gp_cli_status_list_free. */
const char **gp_cli_status_list(const char *opt, const char *list);
void gp_cli_status_list_free(const char **list);

/* Close stdout and the rejects file, checking for write errors. */
void gp_cli_finish(gp_cli *c);

#endif
