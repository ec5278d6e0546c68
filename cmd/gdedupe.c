/* gdedupe - drop records whose key equals an earlier record's key.
 *
 * The default key is the contract's (org, user_id, start, routing_status
 * or presence), compared after normalisation: "12:00+02:00" and "10:00Z"
 * are one start, "interacting" and "INTERACTING" one status.  Records are
 * copied through byte for byte; the first of each key is kept.
 *
 * The input is expected in canonical order (org, user_id, start), checked
 * as it is read, so that only the keys that can still repeat are held;
 * --unsorted takes any order and holds every distinct key. */
#include "cli.h"
#include "dedupe.h"
#include "gpulse.h"
#include "segment.h"

#include <getopt.h>
#include <stdlib.h>

enum { OPT_STATS = 1, OPT_SORTED, OPT_UNSORTED, OPT_KEY };

/* Its own options; gp_cli_options adds the shared ones. */
static const struct option own_options[] = {
    {"key", required_argument, NULL, OPT_KEY},
    {"sorted", no_argument, NULL, OPT_SORTED},
    {"unsorted", no_argument, NULL, OPT_UNSORTED},
    {"stats", no_argument, NULL, OPT_STATS},
    {NULL, 0, NULL, 0},
};

static void usage(void)
{
    gp_out_puts(&gp_stdout,
        "Usage: gdedupe [OPTION]... [FILE]...\n"
        "Copy records (NDJSON or CSV) from FILEs or standard input to standard\n"
        "output, dropping every record whose key equals an earlier record's key.\n"
        "The first record of each key is kept, in input order.\n"
        "The input must be in canonical order (org, user_id, start), as gfetch,\n"
        "gsort and every gpulse filter write it: only the keys that can still\n"
        "repeat are held, and a record out of that order is an error that names\n"
        "gsort.  --unsorted takes any order.\n"
        "\n"
        "  -k, --key FIELDS   comma-separated key fields (default: org,user_id,start\n"
        "                     and routing_status or presence); the contract's fields\n"
        "                     are compared normalised (times as instants, statuses\n"
        "                     case-folded), others byte for byte\n"
        "  -u, --unsorted     take the input in any order, holding every distinct key\n"
        "                     (about 30 bytes a key; a custom key: its bytes too)\n"
        "  -s, --sorted       the default, kept for scripts: the input is in canonical\n"
        "                     order (org, user_id, start)\n"
        "      --stats        print records read, kept and dropped, and the most keys\n"
        "                     held at once, on stderr\n");
    gp_cli_usage_end(&(gp_cli_usage){.column = 21, .formats = true});
}

int main(int argc, char **argv)
{
    gp_init(argv[0]);
    gp_cli cli = {0};
    gp_dedupe_config config = {0};
    bool stats = false;
    const struct option *options = gp_cli_options(own_options, true);
    opterr = 0;
    int code;
    while ((code = getopt_long(argc, argv, ":k:su", options, NULL)) != -1) {
        if (gp_cli_option(&cli, code, optarg, usage)) continue;
        switch (code) {
        case 'k':
        case OPT_KEY: config.key_fields = optarg; break;
        case 's':
        case OPT_SORTED: config.unsorted = false; break;
        case 'u':
        case OPT_UNSORTED: config.unsorted = true; break;
        case OPT_STATS: stats = true; break;
        default: gp_cli_bad_option(code, argv);
        }
    }
    /* static: what a fatal data error leaves allocated stays reachable */
    static gp_dedupe *dd;
    static gp_reader *rd;
    static gp_writer *w;
    dd = gp_dedupe_new(&config);
    rd = gp_reader_new(argv + optind, GP_FMT_AUTO);
    gp_cli_start(&cli); /* after the reader: it notes the inputs --rejects must not overwrite */
    w = gp_writer_new(&gp_stdout, cli.out_format, NULL);
    gp_record *r;
    long kept = 0, dropped = 0;
    while (gp_cli_next(&cli, rd, &r)) {
        if (gp_is_control_record(r)) { /* gfetch stream's control records pass untouched */
            gp_write_record(w, rd, r, NULL, 0);
            continue;
        }
        gp_error err;
        int verdict = gp_dedupe_check(dd, r, &err);
        if (verdict == GP_DEDUPE_BAD) {
            gp_cli_reject(&cli, r, err.msg);
            continue;
        }
        if (verdict == GP_DEDUPE_UNSORTED)
            gp_data_die(r->file, r->lineno, "%s; run gsort first, or gdedupe --unsorted", err.msg);
        if (verdict == GP_DEDUPE_DUPLICATE) {
            dropped++;
            continue;
        }
        kept++;
        gp_write_record(w, rd, r, NULL, 0);
    }
    if (stats)
        gp_warn("%ld records read, %ld kept, %ld duplicates dropped, %ld rejected; at most %zu keys held",
                kept + dropped + cli.rejected, kept, dropped, cli.rejected, gp_dedupe_most_held(dd));
    gp_writer_free(w);
    gp_reader_free(rd);
    gp_dedupe_free(dd);
    gp_cli_finish(&cli);
    return GP_EXIT_OK;
}
