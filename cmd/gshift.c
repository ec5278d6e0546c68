/* gshift - derive shifts from the data and label every segment with its
 * shift (gpulse(7), SEMANTICS).  The engine is engine/shift.c; this file holds the
 * options and the record loop. */
#include "cli.h"
#include "gpulse.h"
#include "segment.h"
#include "shift.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_GAP = 1, OPT_ACTIVITY, OPT_UNTIL, OPT_BUFFER, OPT_STATS };

/* Its own options; gp_cli_options adds the shared ones. */
static const struct option own_options[] = {
    {"gap", required_argument, NULL, OPT_GAP},
    {"activity", required_argument, NULL, OPT_ACTIVITY},
    {"until", required_argument, NULL, OPT_UNTIL},
    {"buffer-size", required_argument, NULL, OPT_BUFFER},
    {"stats", no_argument, NULL, OPT_STATS},
    {NULL, 0, NULL, 0},
};

static void usage(void)
{
    gp_out_puts(&gp_stdout,
        "Usage: gshift [OPTION]... [FILE]...\n"
        "Derive each agent's shifts from its segments and add a 'shift' field (1, 2,\n"
        "... per user; null/empty between shifts) to every record.  A new shift\n"
        "starts at an activity segment that begins more than --gap after the end of\n"
        "the user's previous activity.  Segments that straddle a shift's edge are\n"
        "cut there (both pieces written, secs adjusted).  Point events (no end) end\n"
        "where the user's next event on the same timeline starts.\n"
        "Input must be in (org, user_id, start) order (see gsort).\n"
        "\n"
        "  -g, --gap DURATION     longest quiet time inside a shift (default 90m;\n"
        "                         90m, 1h30m, 5400s and PT90M are all accepted)\n"
        "  -a, --activity LIST    routing statuses that count as activity\n"
        "                         (default INTERACTING,IDLE)\n"
        "      --until TIME       end each user's last point events at TIME\n"
        "                         (default: they stay open)\n"
        "  -S, --buffer-size SIZE memory for the records waiting for their shift's\n"
        "                         end: bytes, or with K, M, G (default 64M); past\n"
        "                         it they wait in a temporary file in $TMPDIR or /tmp\n"
        "      --stats            print users, shifts and cut segments on stderr\n");
    gp_cli_usage_end(&(gp_cli_usage){.column = 25, .formats = true});
}

int main(int argc, char **argv)
{
    gp_init(argv[0]);
    gp_cli cli = {0};
    static const char *const default_activity[] = {"INTERACTING", "IDLE", NULL};
    static const char **activity = NULL;
    gp_shift_config config = {90 * 60 * 1000LL, default_activity, GP_TIME_NONE, 64u << 20};
    bool stats = false;
    const struct option *options = gp_cli_options(own_options, true);
    opterr = 0;
    int code;
    while ((code = getopt_long(argc, argv, ":g:a:S:", options, NULL)) != -1) {
        if (gp_cli_option(&cli, code, optarg, usage)) continue;
        switch (code) {
        case 'g':
        case OPT_GAP: config.gap = gp_opt_duration("--gap", optarg); break;
        case 'a':
        case OPT_ACTIVITY: activity = gp_cli_status_list("--activity", optarg); config.activity = activity; break;
        case OPT_UNTIL: config.until = gp_opt_time("--until", optarg); break;
        case 'S':
        case OPT_BUFFER: config.buffer = (size_t)gp_opt_size("--buffer-size", optarg, 1); break;
        case OPT_STATS: stats = true; break;
        default: gp_cli_bad_option(code, argv);
        }
    }
    static const char *const extra[] = {"shift", NULL};
    /* static: what a fatal data error leaves allocated stays reachable */
    static gp_reader *rd;
    static gp_writer *w;
    static gp_shifter *sh;
    rd = gp_reader_new(argv + optind, GP_FMT_AUTO);
    gp_cli_start(&cli); /* after the reader: it notes the inputs --rejects must not overwrite */
    w = gp_writer_new(&gp_stdout, cli.out_format, extra);
    sh = gp_shifter_new(&config, rd, w);
    gp_record *r;
    gp_segment seg;
    gp_error err;
    while (gp_cli_next(&cli, rd, &r)) {
        if (gp_is_control_record(r)) { /* gfetch stream's control records pass untouched */
            gp_write_record(w, rd, r, NULL, 0);
            continue;
        }
        if (gp_segment_read(r, &seg, &err) != 0) {
            gp_cli_reject(&cli, r, err.msg);
            continue;
        }
        if (gp_shifter_add(sh, r, &seg, &err) != 0) gp_data_die(r->file, r->lineno, "%s; run gsort first", err.msg);
    }
    gp_shifter_finish(sh);
    gp_writer_end(w, rd);
    if (stats) {
        long users, shifts, pieces;
        gp_shifter_stats(sh, &users, &shifts, &pieces);
        gp_warn("%ld users, %ld shifts, %ld pieces of cut segments, %ld rejected", users, shifts,
                pieces, cli.rejected);
    }
    gp_shifter_free(sh);
    gp_writer_free(w);
    gp_reader_free(rd);
    gp_cli_status_list_free(activity);
    gp_cli_finish(&cli);
    return GP_EXIT_OK;
}
