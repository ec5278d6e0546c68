/* gbucket - bucket agents against their peers (gpulse(7), BUCKET ROWS and SEMANTICS).
 *
 * Reads occupancy rows (goccupy's output), holds them all (a pool needs
 * all its agents), forms pools per (cohort, period), cuts each pool at
 * the --low / --high percentiles and labels every row.  The rules live in
 * engine/bucket.c, the pools in engine/pools.c. */
#include "cli.h"
#include "gpulse.h"
#include "pools.h"
#include "roster.h"
#include "segment.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum {
    OPT_ROSTER = 1,
    OPT_COHORT,
    OPT_LOW,
    OPT_HIGH,
    OPT_MIN_HOURS,
    OPT_RAMP_DAYS,
    OPT_MIN_POOL,
    OPT_TZ,
    OPT_THRESHOLDS,
    OPT_THRESHOLDS_OUT,
    OPT_SWEEP,
    OPT_DIGITS,
    OPT_STATS,
};

/* Its own options; gp_cli_options adds the shared ones. */
static const struct option own_options[] = {
    {"roster", required_argument, NULL, OPT_ROSTER},
    {"cohort", required_argument, NULL, OPT_COHORT},
    {"low", required_argument, NULL, OPT_LOW},
    {"high", required_argument, NULL, OPT_HIGH},
    {"min-hours", required_argument, NULL, OPT_MIN_HOURS},
    {"ramp-days", required_argument, NULL, OPT_RAMP_DAYS},
    {"min-pool", required_argument, NULL, OPT_MIN_POOL},
    {"tz", required_argument, NULL, OPT_TZ},
    {"thresholds", required_argument, NULL, OPT_THRESHOLDS},
    {"thresholds-out", required_argument, NULL, OPT_THRESHOLDS_OUT},
    {"sweep", required_argument, NULL, OPT_SWEEP},
    {"digits", required_argument, NULL, OPT_DIGITS},
    {"stats", no_argument, NULL, OPT_STATS},
    {NULL, 0, NULL, 0},
};

static void usage(void)
{
    gp_out_puts(&gp_stdout,
        "Usage: gbucket [OPTION]... [FILE]...\n"
        "Bucket agents against their peers: read occupancy rows (goccupy output,\n"
        "NDJSON or CSV), pool them per (cohort, period), cut each pool at two\n"
        "percentiles and label every row, adding cohort, bucket, reason, pool,\n"
        "occ_low, occ_high, nrt_low and nrt_high.  Labels, in order of precedence:\n"
        "  insufficient_sample  under --min-hours on queue, or no interacting and\n"
        "                       no idle time (left out of the pool)\n"
        "  ramp_up              the period overlaps [returned_on, returned_on +\n"
        "                       --ramp-days) (left out of the pool)\n"
        "  small_cohort         the pool has fewer than --min-pool agents\n"
        "  poor                 occupancy < occ_low or nrt_rate > nrt_high\n"
        "  good                 occupancy > occ_high and nrt_rate < nrt_low\n"
        "  average              the rest of the pool\n"
        "\n"
        "      --roster FILE       roster CSV (user_id,name,role,tz,hire_date,\n"
        "                          returned_on,org); without it every agent is in\n"
        "                          the cohort \"\"\n"
        "      --cohort FIELDS     roster columns that form the cohort (default role)\n"
        "      --low P             low percentile cut, 0-100 (default 25)\n"
        "      --high P            high percentile cut, 0-100 (default 75)\n"
        "      --min-hours H       on-queue hours below which a row is\n"
        "                          insufficient_sample (default 40)\n"
        "      --ramp-days D       days of ramp-up after returned_on (default 14)\n"
        "      --min-pool N        smallest pool that gets cuts (default 4)\n"
        "      --tz ZONE           time zone of agents without a roster tz (default UTC)\n"
        "      --thresholds FILE   apply the cuts saved in FILE instead of computing them\n"
        "                          (they win over --low and --high)\n"
        "      --thresholds-out FILE  write the cuts per (cohort, period) to FILE (CSV),\n"
        "                          every digit, with a note where a pool has no cuts\n"
        "      --sweep LOW:HIGH:STEP,LOW:HIGH:STEP\n"
        "                          write a what-if table instead of the rows: per pair\n"
        "                          of cuts, the count per label and how many agents\n"
        "                          change bucket against the current cuts\n"
        "      --digits N          round occupancy, nrt_rate and the cuts in the rows\n"
        "                          to N decimals for display (default: every digit)\n"
        "      --stats             on stderr: the records read (control records skipped,\n"
        "                          rejected), then per cohort and period the agents per label\n");
    gp_cli_usage_end(&(gp_cli_usage){
        .column = 26,
        .formats = true,
        .what = "rows",
        .note = "Percentiles interpolate linearly between closest ranks (pandas' default,\n"
                "R's type 7).  Rows of goccupy --by shift are refused: a shift number is\n"
                "not a period agents share.  The roster's name column is added to the rows\n"
                "when they have none.  With no FILE, or when FILE is -, read standard input.\n"});
}

int main(int argc, char **argv)
{
    gp_init(argv[0]);
    gp_cli cli = {0};
    gp_error err;
    gp_pools_config config = {.low = 25, .high = 75, .min_hours = 40, .ramp_days = 14, .min_pool = 4};
    const char *roster_path = NULL, *thresholds = NULL, *thresholds_out = NULL, *sweep = NULL;
    bool percentiles_given = false, stats = false;
    int digits = -1;
    const struct option *options = gp_cli_options(own_options, true);
    opterr = 0;
    int code;
    while ((code = getopt_long(argc, argv, ":", options, NULL)) != -1) {
        if (gp_cli_option(&cli, code, optarg, usage)) continue;
        switch (code) {
        case OPT_ROSTER: roster_path = optarg; break;
        case OPT_COHORT: config.cohort_fields = optarg; break;
        case OPT_LOW:
            config.low = gp_opt_double("--low", optarg, 0, 100);
            percentiles_given = true;
            break;
        case OPT_HIGH:
            config.high = gp_opt_double("--high", optarg, 0, 100);
            percentiles_given = true;
            break;
        case OPT_MIN_HOURS: config.min_hours = gp_opt_double("--min-hours", optarg, 0, 1e6); break;
        case OPT_RAMP_DAYS: config.ramp_days = (long)gp_opt_long("--ramp-days", optarg, 0, 36500); break;
        case OPT_MIN_POOL: config.min_pool = (long)gp_opt_long("--min-pool", optarg, 1, 100000000); break;
        case OPT_TZ:
            if (!gp_tz_valid(optarg)) gp_usage_error("--tz: unknown time zone '%s'", optarg);
            config.tz = optarg;
            break;
        case OPT_THRESHOLDS: thresholds = optarg; break;
        case OPT_THRESHOLDS_OUT:
            if (strcmp(optarg, "-") == 0)
                gp_usage_error("--thresholds-out: standard output carries the rows; name a file");
            thresholds_out = optarg;
            break;
        case OPT_DIGITS: digits = (int)gp_opt_long("--digits", optarg, 0, 17); break;
        case OPT_STATS: stats = true; break;
        case OPT_SWEEP:
            if (gp_pools_sweep_check(optarg, &err) != 0) gp_usage_error("%s", err.msg);
            sweep = optarg;
            break;
        default: gp_cli_bad_option(code, argv);
        }
    }
    if (config.low > config.high) gp_usage_error("--low %g is above --high %g", config.low, config.high);
    if (thresholds && percentiles_given)
        gp_warn("--low/--high are ignored: the cuts saved in %s are applied", thresholds);
    gp_roster *roster = roster_path ? gp_roster_load(roster_path) : NULL;
    config.roster = roster;
    gp_pools *pools = gp_pools_new(&config);
    if (thresholds) gp_pools_load_thresholds(pools, thresholds);
    gp_reader *rd = gp_reader_new(argv + optind, GP_FMT_AUTO);
    gp_cli_start(&cli); /* after the reader: it notes the inputs --rejects must not overwrite */
    gp_record *r;
    long records = 0, control = 0, refused = 0; /* refused: read whole, then rejected by the pools */
    while (gp_cli_next(&cli, rd, &r)) {
        records++;
        if (gp_reader_new_header(rd)) {
            const gp_str *names;
            int n = gp_reader_header(rd, &names);
            gp_pools_columns(pools, names, n);
        }
        if (gp_is_control_record(r)) { /* gfetch stream's control records: skipped */
            control++;
            continue;
        }
        int added = gp_pools_add(pools, r, &err);
        if (added == -2) gp_data_die(r->file, r->lineno, "%s", err.msg);
        if (added != 0) {
            refused++;
            gp_cli_reject(&cli, r, err.msg);
        }
    }
    if (gp_reader_format(rd) == GP_FMT_CSV) {
        /* a header without rows still names the columns */
        const gp_str *names;
        int n = gp_reader_header(rd, &names);
        gp_pools_columns(pools, names, n);
    }
    if (stats)
        gp_warn("records %ld, control records skipped %ld, rejected %ld", records + cli.rejected - refused,
                control, cli.rejected);
    if (gp_pools_has_calendar_periods(pools))
        gp_roster_warn_no_tz(roster, roster_path, config.tz, "ramp-up days after returned_on are counted");
    gp_pools_run(pools);
    if (stats) gp_pools_stats(pools);
    int format = cli.out_format ? cli.out_format : gp_reader_format(rd);
    format = format == GP_FMT_CSV ? GP_FMT_CSV : GP_FMT_JSON;
    if (thresholds_out) {
        gp_out file;
        gp_out_open_file(&file, thresholds_out);
        gp_pools_write_thresholds(pools, &file);
        gp_out_close(&file);
    }
    if (sweep) gp_pools_sweep(pools, sweep, &gp_stdout, format);
    else gp_pools_write(pools, &gp_stdout, format, digits);
    gp_reader_free(rd);
    gp_pools_free(pools);
    gp_roster_free(roster);
    gp_cli_finish(&cli);
    return GP_EXIT_OK;
}
