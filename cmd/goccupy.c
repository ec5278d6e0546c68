/* goccupy - time per component per (org, user, period), occupancy and NRT
 * rate (gpulse(7), OCCUPANCY ROWS).
 *
 * Reads segment records (after gdedupe, optionally gshift) or interval
 * rows with secs (gfetch aggregates), in any order, and writes one
 * occupancy row per (org, user_id, period) once the input is read: the
 * sums live in engine/occupancy.c, this file parses options and loops. */
#include "cli.h"
#include "gpulse.h"
#include "occupancy.h"
#include "roster.h"
#include "segment.h"

#include <getopt.h>
#include <stdlib.h>

enum { OPT_BY = 1, OPT_TZ, OPT_ROSTER, OPT_FROM, OPT_TO, OPT_STATS, OPT_DIGITS };

/* Its own options; gp_cli_options adds the shared ones. */
static const struct option own_options[] = {
    {"by", required_argument, NULL, OPT_BY},
    {"tz", required_argument, NULL, OPT_TZ},
    {"roster", required_argument, NULL, OPT_ROSTER},
    {"from", required_argument, NULL, OPT_FROM},
    {"to", required_argument, NULL, OPT_TO},
    {"stats", no_argument, NULL, OPT_STATS},
    {"digits", required_argument, NULL, OPT_DIGITS},
    {NULL, 0, NULL, 0},
};

static void usage(void)
{
    gp_out_puts(&gp_stdout,
        "Usage: goccupy [OPTION]... [FILE]...\n"
        "Sum time per routing status and presence per (org, user_id, period) from\n"
        "segment records (NDJSON or CSV) and write one occupancy row each, with\n"
        "  on_queue_secs = interacting + idle + not_responding + communicating\n"
        "  occupancy     = interacting / (interacting + idle)\n"
        "  nrt_rate      = not_responding / (interacting + idle + not_responding)\n"
        "(null / empty when the denominator is 0).\n"
        "\n"
        "  -b, --by PERIOD     window (default): every record of the user, in a shift\n"
        "                      or not; shift: per gshift shift; day, week: time in\n"
        "                      shifts, each shift labelled by the local date / ISO\n"
        "                      week of its start (segments without a shift field by\n"
        "                      their own start)\n"
        "      --roster FILE   roster CSV: each agent's tz labels its days and weeks\n"
        "      --tz ZONE       time zone of agents without a roster tz (default UTC)\n"
        "      --from TIME     count only time at or after TIME (RFC 3339 or date)\n"
        "      --to TIME       count only time before TIME; rows with secs count\n"
        "                      when they start inside the window\n"
        "      --digits N      round occupancy and nrt_rate to N decimals for display\n"
        "                      (default: every digit, so the value reads back exactly)\n"
        "      --stats         print counts (records, point events...) on stderr\n");
    gp_cli_usage_end(&(gp_cli_usage){.column = 22, .formats = true});
}

static int64_t time_option(const char *opt, const char *arg)
{
    int64_t ms;
    if (gp_date_parse(arg, strlen(arg), &ms) == 0) return ms;
    return gp_opt_time(opt, arg);
}

static void print_stats(const gp_occupancy_stats *s, long rejected, long control)
{
    gp_warn("records %ld, counted %ld, open point events %ld (count nothing), "
            "between shifts %ld, outside --from/--to %ld, rejected %ld, control records skipped %ld; "
            "users %ld, rows %ld",
            s->records + rejected + control, s->counted, s->point_events, s->between_shifts,
            s->outside_window, rejected, control, s->users, s->rows);
}

int main(int argc, char **argv)
{
    gp_init(argv[0]);
    gp_cli cli = {0};
    gp_occupancy_config config = {.by = GP_BY_WINDOW, .from = GP_TIME_NONE, .to = GP_TIME_NONE};
    const char *roster_path = NULL;
    bool stats = false;
    int digits = -1;
    const struct option *options = gp_cli_options(own_options, true);
    opterr = 0;
    int code;
    while ((code = getopt_long(argc, argv, ":b:", options, NULL)) != -1) {
        if (gp_cli_option(&cli, code, optarg, usage)) continue;
        switch (code) {
        case 'b':
        case OPT_BY:
            config.by = gp_period_kind_parse(optarg);
            if (config.by < 0)
                gp_usage_error("--by: '%s' is not one of shift, day, week, window", optarg);
            break;
        case OPT_TZ:
            if (!gp_tz_valid(optarg)) gp_usage_error("--tz: unknown time zone '%s'", optarg);
            config.tz = optarg;
            break;
        case OPT_ROSTER: roster_path = optarg; break;
        case OPT_FROM: config.from = time_option("--from", optarg); break;
        case OPT_TO: config.to = time_option("--to", optarg); break;
        case OPT_STATS: stats = true; break;
        case OPT_DIGITS: digits = (int)gp_opt_long("--digits", optarg, 0, 17); break;
        default: gp_cli_bad_option(code, argv);
        }
    }
    if (config.from != GP_TIME_NONE && config.to != GP_TIME_NONE && config.to <= config.from)
        gp_usage_error("--to must be after --from");
    /* static: what a fatal data error leaves allocated stays reachable */
    static gp_roster *roster;
    roster = roster_path ? gp_roster_load(roster_path) : NULL;
    config.roster = roster;
    if (config.by == GP_BY_DAY || config.by == GP_BY_WEEK)
        gp_roster_warn_no_tz(roster, roster_path, config.tz,
                             config.by == GP_BY_DAY ? "days are labelled" : "weeks are labelled");
    static gp_occupancy *occ;
    occ = gp_occupancy_new(&config);
    static gp_reader *rd;
    rd = gp_reader_new(argv + optind, GP_FMT_AUTO);
    gp_cli_start(&cli); /* after the reader: it notes the inputs --rejects must not overwrite */
    gp_record *r;
    gp_segment seg;
    gp_error err;
    long control = 0;
    while (gp_cli_next(&cli, rd, &r)) {
        if (gp_is_control_record(r)) { /* gfetch stream's control records: not segments */
            control++;
            continue;
        }
        if (gp_segment_read(r, &seg, &err) != 0) {
            gp_cli_reject(&cli, r, err.msg);
            continue;
        }
        int verdict = gp_occupancy_add(occ, &seg, &err);
        if (verdict == GP_OCC_UNUSABLE_INPUT) gp_data_die(r->file, r->lineno, "%s", err.msg);
        if (verdict == GP_OCC_BAD_RECORD) gp_cli_reject(&cli, r, err.msg);
    }
    int format = cli.out_format ? cli.out_format : gp_reader_format(rd);
    gp_occupancy_write(occ, &gp_stdout, format == GP_FMT_CSV ? GP_FMT_CSV : GP_FMT_JSON, digits);
    if (stats) print_stats(gp_occupancy_stats_get(occ), cli.rejected, control);
    gp_reader_free(rd);
    gp_occupancy_free(occ);
    gp_roster_free(roster);
    gp_cli_finish(&cli);
    return GP_EXIT_OK;
}
