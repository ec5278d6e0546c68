/* cli.h - the options every filter shares (--json, --csv, --rejects,
 * --help, --version) and the end-of-run checks of its outputs. */
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
    /* progress on a terminal */
    bool progress_checked, progress_on;
    double progress_last;
} gp_cli;

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
