/* glive - live occupancy per agent and per floor, throttled, multi-org
 * (gpulse(7), LIVE RECORDS).  The state lives in engine/live.c and the
 * inputs in engine/livein.c; this file holds the options and the loop:
 * live (ticks on the clock) or --replay (ticks on the records' own time). */
#include "cli.h"
#include "gpulse.h"
#include "live.h"
#include "livein.h"
#include "roster.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

enum {
    OPT_REPLAY = 1, OPT_SPEED, OPT_EVERY, OPT_FULL, OPT_TERM, OPT_STALE, OPT_GAP, OPT_ACTIVITY,
    OPT_ROSTER, OPT_TZ, OPT_TOLERANCE, OPT_STATS,
};

static const struct option own_options[] = {
    {"replay", no_argument, NULL, OPT_REPLAY},
    {"speed", required_argument, NULL, OPT_SPEED},
    {"every", required_argument, NULL, OPT_EVERY},
    {"full", no_argument, NULL, OPT_FULL},
    {"term", no_argument, NULL, OPT_TERM},
    {"stale", required_argument, NULL, OPT_STALE},
    {"gap", required_argument, NULL, OPT_GAP},
    {"activity", required_argument, NULL, OPT_ACTIVITY},
    {"roster", required_argument, NULL, OPT_ROSTER},
    {"tz", required_argument, NULL, OPT_TZ},
    {"tolerance", required_argument, NULL, OPT_TOLERANCE},
    {"stats", no_argument, NULL, OPT_STATS},
    {NULL, 0, NULL, 0},
};

static void usage(void)
{
    gp_out_puts(&gp_stdout,
        "Usage: glive [OPTION]... [FILE]...\n"
        "Read point events and segments (NDJSON or CSV) and gfetch stream's control\n"
        "records (NDJSON) from every FILE at once and write, every --every, where\n"
        "each agent and the floor stand today: an \"agent\" record per agent whose\n"
        "figures changed (a goccupy --by day row for the agent's current local day,\n"
        "plus its state), then one \"tick\" record (floor occupancy, band counts,\n"
        "per-org status).\n"
        "\n"
        "      --every DURATION   time between ticks (default 1s, at least 100ms)\n"
        "      --full             every agent in every tick, not only the changed ones\n"
        "      --term             draw a terminal view each tick instead of records\n"
        "      --replay           ticks follow the records' own time (an archive in\n"
        "                         time order: gsort --time), not the clock\n"
        "      --speed N|max      with --replay: N times real time (default 1), or as\n"
        "                         fast as possible\n"
        "      --tolerance DURATION  how far back in time an event is still put in\n"
        "                         its place (default 5s); with --replay, input\n"
        "                         that goes back further stops glive\n"
        "      --stale DURATION   an org that sent nothing for this long is stale\n"
        "                         (default 65s)\n"
        "  -g, --gap DURATION     longest quiet time inside a shift (default 90m)\n"
        "  -a, --activity LIST    routing statuses that count as activity\n"
        "                         (default INTERACTING,IDLE)\n"
        "      --roster FILE      roster CSV: names, cohorts, tenure, time zones\n"
        "      --tz ZONE          time zone of agents without a roster tz (default UTC)\n"
        "      --stats            print counts and the worst tick lag on stderr\n");
    gp_cli_usage_end(&(gp_cli_usage){
        .column = 25,
        .note = "With no FILE, or when FILE is -, read standard input.  glive ends when every\n"
                "input has ended, after a last tick.\n"});
}

typedef struct settings {
    bool replay, term, stats;
    double speed; /* 0 = max */
    int64_t every, tolerance;
} settings;

typedef struct run {
    settings set;
    gp_cli *cli;
    gp_live *lv;
    gp_livein *in;
    gp_reader **parsers; /* per input: parses its lines (gp_reader_rescan) */
    bool *format_known;  /* per input: its first line was seen (NDJSON, or a CSV header) */
    gp_record bad;     /* a line that did not parse, for --rejects */
    int64_t next_tick; /* replay: event time of the next tick */
    int64_t max_time;  /* replay: the latest record time */
    double wall0;      /* replay: clock when event time first_time was shown */
    int64_t first_time;
    double worst_lag;  /* seconds */
    int rows, cols;
} run;

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t wall_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_until(double when)
{
    double d = when - mono_now();
    if (d <= 0) return;
    struct timespec ts = {(time_t)d, (long)((d - (double)(time_t)d) * 1e9)};
    while (nanosleep(&ts, &ts) != 0) {}
}

static void terminal_size(run *r)
{
    r->rows = 24;
    r->cols = 80;
    struct winsize ws;
    if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0) {
        r->rows = ws.ws_row;
        r->cols = ws.ws_col;
        return;
    }
    const char *lines = getenv("LINES"), *columns = getenv("COLUMNS");
    if (lines && atoi(lines) > 0) r->rows = atoi(lines);
    if (columns && atoi(columns) > 0) r->cols = atoi(columns);
}

static void tick(run *r, int64_t at)
{
    if (r->set.term) {
        terminal_size(r);
        gp_live_term(r->lv, at, &gp_stdout, r->rows, r->cols);
    } else {
        gp_live_tick(r->lv, at, &gp_stdout);
    }
    /* a live view is only live when it reaches the reader now */
    if (!r->set.replay || r->set.speed > 0) gp_out_flush_buffer(&gp_stdout);
}

static void reject_line(run *r, int input, const char *line, size_t len, long lineno, const char *message)
{
    r->bad = (gp_record){.raw = line, .raw_len = len, .lineno = lineno, .file = gp_livein_name(r->in, input)};
    gp_cli_reject(r->cli, &r->bad, message);
}

/* Parse a line of input INPUT; NULL (after handling it as a reject) when
 * it is not a record.  An input is NDJSON when its first line starts with
 * '{', else CSV, and that first line is its header (one record a line). */
static gp_record *parse_line(run *r, int input, const char *line, size_t len, long lineno)
{
    size_t n = len;
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ')) n--;
    if (n == 0) return NULL; /* blank lines are allowed between records */
    gp_reader *parser = r->parsers[input];
    if (!r->format_known[input]) {
        r->format_known[input] = true;
        size_t skip = len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0; /* a byte order mark */
        if (line[skip] != '{') {
            if (gp_reader_rescan_header(parser, line, len) != 0)
                gp_data_die(gp_livein_name(r->in, input), lineno, "%s", gp_reader_error(parser));
            return NULL;
        }
    }
    gp_record *rec = gp_reader_rescan(parser, line, len, lineno, gp_livein_name(r->in, input));
    if (rec) return rec;
    reject_line(r, input, line, len, lineno, gp_reader_error(parser));
    return NULL;
}

static void add(run *r, gp_record *rec, int64_t now)
{
    gp_error err;
    if (gp_live_add(r->lv, rec, now, &err) != 0) gp_cli_reject(r->cli, rec, err.msg);
}

/* ------------------------------------------------------------------ */
/* Replay: ticks on the records' time                                    */

static void replay_tick(run *r, int64_t at)
{
    if (r->set.speed > 0) sleep_until(r->wall0 + (double)(at - r->first_time) / 1000.0 / r->set.speed);
    tick(r, at);
}

static void replay_record(run *r, gp_record *rec)
{
    int64_t t;
    gp_error err;
    if (gp_live_record_time(rec, &t, &err) != 0) {
        gp_cli_reject(r->cli, rec, err.msg);
        return;
    }
    if (!gp_live_resyncing(r->lv, rec)) {
        if (r->max_time != GP_TIME_NONE && t < r->max_time - r->set.tolerance) {
            char a[GP_TIME_LEN + 1], b[GP_TIME_LEN + 1];
            gp_time_format(t, a);
            gp_time_format(r->max_time, b);
            gp_data_die(rec->file, rec->lineno,
                        "input goes back in time (%s after %s): --replay needs records in time "
                        "order; run gsort --time first", a, b);
        }
        if (r->next_tick == GP_TIME_NONE) {
            /* ticks fall on whole multiples of --every */
            int64_t q = t / r->set.every * r->set.every;
            r->next_tick = q < t ? q + r->set.every : q;
            r->first_time = t;
            r->wall0 = mono_now();
        }
        while (t > r->next_tick) {
            replay_tick(r, r->next_tick);
            r->next_tick += r->set.every;
        }
        if (t > r->max_time || r->max_time == GP_TIME_NONE) r->max_time = t;
    }
    add(r, rec, t);
}

static void replay(run *r)
{
    int n = gp_livein_count(r->in);
    int64_t *head_time = gp_xmalloc((size_t)n * sizeof *head_time);
    bool *have_head = gp_xcalloc((size_t)n, sizeof *have_head);
    for (;;) {
        bool waiting = false;
        int best = -1;
        for (int i = 0; i < n; i++) {
            if (gp_livein_done(r->in, i)) continue;
            size_t len;
            long lineno;
            const char *line = gp_livein_peek(r->in, i, &len, &lineno);
            if (!line) {
                waiting = true;
                continue;
            }
            if (n > 1 && !have_head[i]) {
                /* several inputs are merged on time: the head's time decides */
                gp_record *rec = r->format_known[i]
                                     ? gp_reader_rescan(r->parsers[i], line, len, lineno, gp_livein_name(r->in, i))
                                     : NULL;
                int64_t t;
                gp_error err;
                if (!rec || gp_live_record_time(rec, &t, &err) != 0) t = INT64_MIN; /* bad: handled first */
                else if (gp_live_resyncing(r->lv, rec)) t = INT64_MIN;      /* a baseline goes on */
                head_time[i] = t;
                have_head[i] = true;
            }
            if (best < 0 || (n > 1 && head_time[i] < head_time[best])) best = i;
        }
        if (waiting) {
            gp_livein_wait(r->in, -1);
            continue;
        }
        if (best < 0) break;
        size_t len;
        long lineno;
        const char *line = gp_livein_peek(r->in, best, &len, &lineno);
        gp_record *rec = parse_line(r, best, line, len, lineno);
        if (rec) replay_record(r, rec);
        gp_livein_consume(r->in, best);
        have_head[best] = false;
    }
    if (r->next_tick != GP_TIME_NONE) replay_tick(r, r->next_tick);
    free(head_time);
    free(have_head);
}

/* ------------------------------------------------------------------ */
/* Live: ticks on the clock                                              */

static void live(run *r)
{
    int n = gp_livein_count(r->in);
    double every = (double)r->set.every / 1000.0;
    double due = mono_now() + every;
    for (;;) {
        bool all_done = gp_livein_all_done(r->in);
        double now = mono_now();
        if (now >= due || all_done) {
            double lag = now - due;
            if (!all_done && lag > r->worst_lag) r->worst_lag = lag;
            tick(r, wall_now_ms());
            if (all_done) break;
            due += every;
            if (due < now) due = now + every; /* never a burst of ticks to catch up */
            continue;
        }
        int timeout = (int)((due - now) * 1000) + 1;
        gp_livein_wait(r->in, timeout);
        /* take what is buffered, but look at the clock now and then so a
         * storm of events does not hold the tick back */
        long taken = 0;
        for (bool more = true; more;) {
            more = false;
            for (int i = 0; i < n; i++) {
                size_t len;
                long lineno;
                const char *line = gp_livein_peek(r->in, i, &len, &lineno);
                if (!line) continue;
                more = true;
                gp_record *rec = parse_line(r, i, line, len, lineno);
                if (rec) add(r, rec, wall_now_ms());
                gp_livein_consume(r->in, i);
                if ((++taken & 1023) == 0 && mono_now() >= due) more = false;
            }
            if (!more) break;
        }
    }
}

int main(int argc, char **argv)
{
    gp_init(argv[0]);
    static gp_cli cli;
    static const char *const default_activity[] = {"INTERACTING", "IDLE", NULL};
    static const char **activity;
    gp_live_config config = {.gap = 90 * 60 * 1000LL, .activity = default_activity, .stale = 65000};
    settings set = {.speed = 1, .every = 1000, .tolerance = 5000};
    const char *roster_path = NULL;
    bool speed_given = false;
    opterr = 0;
    int code;
    const struct option *options = gp_cli_options(own_options, false);
    while ((code = getopt_long(argc, argv, ":g:a:", options, NULL)) != -1) {
        if (gp_cli_option(&cli, code, optarg, usage)) continue;
        switch (code) {
        case OPT_REPLAY: set.replay = true; break;
        case OPT_SPEED:
            speed_given = true;
            set.speed = strcmp(optarg, "max") == 0 ? 0 : gp_opt_double("--speed", optarg, 1e-3, 1e9);
            break;
        case OPT_EVERY:
            set.every = gp_opt_duration("--every", optarg);
            if (set.every < 100) gp_usage_error("--every: at least 100ms, not '%s'", optarg);
            break;
        case OPT_FULL: config.full = true; break;
        case OPT_TERM: set.term = true; break;
        case OPT_STALE: config.stale = gp_opt_duration("--stale", optarg); break;
        case OPT_TOLERANCE: set.tolerance = gp_opt_duration("--tolerance", optarg); break;
        case 'g':
        case OPT_GAP: config.gap = gp_opt_duration("--gap", optarg); break;
        case 'a':
        case OPT_ACTIVITY:
            gp_cli_status_list_free(activity);
            activity = gp_cli_status_list("--activity", optarg);
            config.activity = activity;
            break;
        case OPT_ROSTER: roster_path = optarg; break;
        case OPT_TZ:
            if (!gp_tz_valid(optarg)) gp_usage_error("--tz: unknown time zone '%s'", optarg);
            config.tz = optarg;
            break;
        case OPT_STATS: set.stats = true; break;
        default: gp_cli_bad_option(code, argv);
        }
    }
    if (speed_given && !set.replay) gp_usage_error("--speed needs --replay");
    static char *stdin_only[] = {"-", NULL};
    char **files = optind < argc ? argv + optind : stdin_only;
    int nfiles = optind < argc ? argc - optind : 1;
    static gp_roster *roster;
    roster = roster_path ? gp_roster_load(roster_path) : NULL;
    config.roster = roster;
    gp_cli_start(&cli);
    static run r;
    config.tolerance = set.tolerance;
    r.set = set;
    r.cli = &cli;
    r.lv = gp_live_new(&config);
    r.in = gp_livein_open(files, nfiles);
    gp_inputs_note(files);
    r.parsers = gp_xmalloc((size_t)nfiles * sizeof *r.parsers);
    r.format_known = gp_xcalloc((size_t)nfiles, sizeof *r.format_known);
    for (int i = 0; i < nfiles; i++) r.parsers[i] = gp_reader_new(NULL, GP_FMT_JSON);
    r.next_tick = r.max_time = GP_TIME_NONE;
    if (set.replay) replay(&r);
    else live(&r);
    if (set.stats) {
        const gp_live_stats *s = gp_live_stats_get(r.lv);
        gp_warn("records %ld (events %ld, control %ld), duplicates %ld, late %ld, rejected %ld; "
                "agents %ld, ticks %ld, worst tick lag %.1f ms",
                s->records, s->events, s->controls, s->duplicates, s->late, cli.rejected, s->agents,
                s->ticks, r.worst_lag * 1000);
    }
    gp_livein_close(r.in);
    for (int i = 0; i < nfiles; i++) gp_reader_free(r.parsers[i]);
    free(r.parsers);
    free(r.format_known);
    gp_live_free(r.lv);
    gp_roster_free(roster);
    gp_cli_status_list_free(activity);
    gp_cli_finish(&cli);
    return GP_EXIT_OK;
}
