/* gfetch - fetch agent routing-status and presence data from Genesys Cloud
 * as gpulse records.
 *
 *   gfetch details --since 30d | gdedupe | gshift | goccupy
 *
 * This file parses the command line and dispatches; the subcommands live in
 * cmd/gfetch/run.c, the HTTP client in cmd/gfetch/api.c, the jq mappings
 * in cmd/gfetch/map.c and the settings in cmd/gfetch/config.c. */
#include "cli.h"
#include "config.h"
#include "run.h"
#include "stream.h"
#include "gpulse.h"

#include <jv.h>

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

enum subcommand { SUB_DETAILS, SUB_AGGREGATES, SUB_USERS, SUB_TOKEN, SUB_MAP, SUB_STREAM, SUB_COUNT };

static const char *const subcommand_names[SUB_COUNT] = {"details", "aggregates", "users", "token", "map",
                                                         "stream"};

/* Which subcommands take an option. */
#define S_DETAILS (1u << SUB_DETAILS)
#define S_AGGREGATES (1u << SUB_AGGREGATES)
#define S_USERS (1u << SUB_USERS)
#define S_TOKEN (1u << SUB_TOKEN)
#define S_MAP (1u << SUB_MAP)
#define S_STREAM (1u << SUB_STREAM)
#define S_ALL (S_DETAILS | S_AGGREGATES | S_USERS | S_TOKEN | S_MAP | S_STREAM)
#define S_NET (S_DETAILS | S_AGGREGATES | S_USERS | S_TOKEN | S_STREAM)
#define S_RECORDS (S_DETAILS | S_AGGREGATES)

enum {
    OPT_SINCE = 1,
    OPT_FROM,
    OPT_TO,
    OPT_USER,
    OPT_USERS,
    OPT_PAGE_SIZE,
    OPT_PAGE_DELAY,
    OPT_BATCH_SIZE,
    OPT_WHOLE,
    OPT_ASYNC,
    OPT_GRANULARITY,
    OPT_TZ,
    OPT_ORG,
    OPT_PROFILE,
    OPT_PROFILE_FILE,
    OPT_REGION,
    OPT_API_URL,
    OPT_LOGIN_URL,
    OPT_CACERT,
    OPT_MAX_RETRIES,
    OPT_MAX_WAIT,
    OPT_MAX_BODY,
    OPT_TIMEOUT,
    OPT_VERBOSE,
    OPT_NO_PROGRESS,
    OPT_JQ,
    OPT_ROSTER,
    OPT_QUEUE,
    OPT_TOPIC,
    OPT_QUEUE_OBSERVATIONS,
    OPT_IGNORE_REJECTED,
    OPT_PING_AFTER,
    OPT_HEARTBEAT_TIMEOUT,
    OPT_DRY_RUN,
    OPT_COUNT
};

/* The option table: getopt's entry and the subcommands that accept it. */
static const struct {
    struct option opt;
    unsigned subcommands;
} option_table[] = {
    {{"since", required_argument, NULL, OPT_SINCE}, S_RECORDS | S_STREAM},
    {{"from", required_argument, NULL, OPT_FROM}, S_RECORDS | S_MAP | S_STREAM},
    {{"to", required_argument, NULL, OPT_TO}, S_RECORDS | S_MAP},
    {{"user", required_argument, NULL, OPT_USER}, S_RECORDS | S_STREAM},
    {{"users", required_argument, NULL, OPT_USERS}, S_RECORDS | S_STREAM},
    {{"roster", required_argument, NULL, OPT_ROSTER}, S_STREAM},
    {{"queue", required_argument, NULL, OPT_QUEUE}, S_STREAM},
    {{"topic", required_argument, NULL, OPT_TOPIC}, S_STREAM},
    {{"queue-observations", required_argument, NULL, OPT_QUEUE_OBSERVATIONS}, S_STREAM},
    {{"ignore-rejected", no_argument, NULL, OPT_IGNORE_REJECTED}, S_STREAM},
    {{"ping-after", required_argument, NULL, OPT_PING_AFTER}, S_STREAM},
    {{"heartbeat-timeout", required_argument, NULL, OPT_HEARTBEAT_TIMEOUT}, S_STREAM},
    {{"page-size", required_argument, NULL, OPT_PAGE_SIZE}, S_DETAILS | S_USERS},
    {{"page-delay", required_argument, NULL, OPT_PAGE_DELAY}, S_RECORDS | S_USERS | S_STREAM},
    {{"batch-size", required_argument, NULL, OPT_BATCH_SIZE}, S_RECORDS},
    {{"whole", no_argument, NULL, OPT_WHOLE}, S_DETAILS | S_MAP},
    {{"async", no_argument, NULL, OPT_ASYNC}, S_DETAILS},
    {{"granularity", required_argument, NULL, OPT_GRANULARITY}, S_AGGREGATES},
    {{"tz", required_argument, NULL, OPT_TZ}, S_RECORDS | S_MAP | S_STREAM},
    {{"org", required_argument, NULL, OPT_ORG}, S_ALL},
    {{"jq", required_argument, NULL, OPT_JQ}, S_RECORDS | S_MAP},
    {{"profile", required_argument, NULL, OPT_PROFILE}, S_NET},
    {{"profile-file", required_argument, NULL, OPT_PROFILE_FILE}, S_NET},
    {{"region", required_argument, NULL, OPT_REGION}, S_NET},
    {{"api-url", required_argument, NULL, OPT_API_URL}, S_NET},
    {{"login-url", required_argument, NULL, OPT_LOGIN_URL}, S_NET},
    {{"cacert", required_argument, NULL, OPT_CACERT}, S_NET},
    {{"max-retries", required_argument, NULL, OPT_MAX_RETRIES}, S_NET},
    {{"max-wait", required_argument, NULL, OPT_MAX_WAIT}, S_NET},
    {{"max-body", required_argument, NULL, OPT_MAX_BODY}, S_NET},
    {{"timeout", required_argument, NULL, OPT_TIMEOUT}, S_NET},
    {{"verbose", no_argument, NULL, OPT_VERBOSE}, S_ALL},
    {{"no-progress", no_argument, NULL, OPT_NO_PROGRESS}, S_NET},
    {{"dry-run", no_argument, NULL, OPT_DRY_RUN}, S_RECORDS | S_USERS | S_TOKEN | S_STREAM},
    {{"json", no_argument, NULL, GP_OPT_JSON}, S_ALL},
    {{"csv", no_argument, NULL, GP_OPT_CSV}, S_ALL},
    {{"help", no_argument, NULL, GP_OPT_HELP}, S_ALL},
    {{"version", no_argument, NULL, GP_OPT_VERSION}, S_ALL},
};
#define NOPTIONS (sizeof option_table / sizeof option_table[0])

static void usage(void)
{
    gp_out_puts(&gp_stdout,
        "Usage: gfetch [OPTION]... SUBCOMMAND [OPTION]...\n"
        "Fetch agent routing-status and presence data from Genesys Cloud as gpulse\n"
        "records (NDJSON, or CSV with --csv), in canonical order (org, user_id, start).\n"
        "\n"
        "Subcommands:\n"
        "  details      routing-status and presence segments (analytics user details),\n"
        "               cut to the window\n"
        "  aggregates   interval totals per user and status (tAgentRoutingStatus,\n"
        "               tSystemPresence) with secs\n"
        "  users        the org's users as a roster CSV (user_id,name,role,hire_date)\n"
        "  token        check the credentials: who they are, when the token expires\n"
        "  map KIND [FILE]...  map saved API answers (KIND details, aggregates or\n"
        "               users) to records, without any network\n"
        "  stream       agent state as it happens (notification WebSocket): point\n"
        "               events and control records, NDJSON, until stopped\n"
        "\n"
        "Window and users (details, aggregates):\n"
        "      --since DUR        the last DUR up to now (30d, 12h, P7D)\n"
        "      --from TIME        window start (RFC 3339, or YYYY-MM-DD: the day's\n"
        "                         first instant in --tz)\n"
        "      --to TIME          window end, exclusive (default: now)\n"
        "      --tz ZONE          IANA time zone of dates (default UTC); aggregates:\n"
        "                         of the intervals too\n"
        "      --user ID          a user id (repeatable); default every user\n"
        "      --users FILE       user ids from a roster CSV or one id per line\n"
        "      --batch-size N     users per query, at most 100 (default 100)\n"
        "      --page-delay DUR   pause between requests for pages (default 500ms;\n"
        "                         users too)\n"
        "details:\n"
        "      --page-size N      results per page, 1-100 (default 100; users too)\n"
        "      --whole            keep segments whole where they cross the window's edges\n"
        "      --async            use the analytics jobs API (large windows)\n"
        );
    gp_out_puts(&gp_stdout,
        "stream (see gfetch(1), STREAM):\n"
        "      --user ID, --users FILE, --roster FILE   whom to follow (roster: its\n"
        "                         user_id column)\n"
        "      --queue ID         the members of queue ID (repeatable)\n"
        "      --topic activity   one v2.users.ID.activity topic per user instead of\n"
        "                         routingStatus and presence\n"
        "      --queue-observations ID  also write queue observation records\n"
        "      --ignore-rejected  go on without topics the API rejects (a warning each)\n"
        "      --ping-after DUR   ping after this much silence (default 35s)\n"
        "      --heartbeat-timeout DUR  disconnected after this much silence\n"
        "                         (default 65s)\n"
        "      --from TIME, --since DUR  re-sync baselines from here (default: the\n"
        "                         local midnight of --tz)\n"
        "      --max-wait DUR     give up when a channel stays down this long\n"
        "                         (default: never)\n"
        "aggregates:\n"
        "      --granularity P    interval length (default P1D)\n"
        "\n"
        "Connection and credentials:\n"
        "      --profile NAME     read settings from section [NAME] of the profile file\n"
        "      --profile-file F   the profile file (default ~/.config/gpulse/profiles)\n"
        "      --region R         AWS region (eu-west-1) or its domain (mypurecloud.ie),\n"
        "                         host or URL (https://api.mypurecloud.ie/)\n"
        "      --api-url URL      API base URL (default https://api.DOMAIN)\n"
        "      --login-url URL    login base URL (default https://login.DOMAIN)\n"
        "      --cacert FILE      trust this CA bundle (TLS is always verified)\n"
        "      --max-retries N    retries per request (default 5)\n"
        "      --max-wait DUR     most time one request may wait to retry (default 10m)\n"
        "      --max-body SIZE    largest answer accepted: bytes, or with K, M, G (default 256M)\n"
        "      --timeout DUR      limit of one attempt (default 2m)\n"
        "\n"
        "Output:\n"
        "      --org LABEL        add org=LABEL to every record\n"
        "      --jq PROGRAM       map answers with this jq program instead of the\n"
        "                         built-in one (details, aggregates, map); members\n"
        "                         beyond the contract's become extra fields\n"
        "      --json             write NDJSON (default; token: a record)\n"
        "      --csv              write CSV (default for users)\n"
        "  -v, --verbose          trace requests and retries on stderr (secrets\n"
        "                         masked); twice: request bodies too\n"
        "      --no-progress      no progress line even on a terminal\n"
        "      --dry-run          print the plan (users, batches, intervals, requests)\n"
        "                         and send nothing (details, aggregates, users, token)\n"
        "      --help             display this help and exit\n"
        "      --version          output version information and exit\n"
        "\n"
        "Environment: GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET,\n"
        "GENESYSCLOUD_REGION, GENESYSCLOUD_ACCESS_TOKEN (ignored with --profile).\n"
        "Exit status: 0 success, 1 runtime or API error, 2 usage error.\n");
    gp_out_close(&gp_stdout);
}

/* Values of options, before they become a job. */
typedef struct cli {
    bool seen[OPT_COUNT];
    gf_stream_options stream;
    size_t nqueues, nobserved;
    const char *since, *from, *to, *profile, *profile_file;
    gf_settings given; /* --region, --api-url, --login-url, --cacert */
    int format;
    int verbose;
    bool no_progress;
} cli;

static unsigned option_subcommands(int code)
{
    for (size_t i = 0; i < NOPTIONS; i++)
        if (option_table[i].opt.val == code) return option_table[i].subcommands;
    return S_ALL;
}

static const char *option_name(int code)
{
    for (size_t i = 0; i < NOPTIONS; i++)
        if (option_table[i].opt.val == code) return option_table[i].opt.name;
    return "?";
}

static int find_subcommand(const char *name)
{
    for (int i = 0; i < SUB_COUNT; i++)
        if (strcmp(subcommand_names[i], name) == 0) return i;
    return -1;
}

static int64_t now_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000; /* whole seconds: windows read better */
}

/* --since / --from / --to into the job's window.  A date without a time
 * is the first instant of that date in --tz (UTC without it). */
static void set_window(gf_job *j, const cli *c, int sub)
{
    j->from = j->to = GP_TIME_NONE;
    if (c->since && c->from) gp_usage_error("--since and --from are exclusive");
    if (c->since) {
        int64_t dur = gp_opt_duration("--since", c->since);
        if (dur <= 0) gp_usage_error("--since needs a positive duration");
        j->to = c->to ? gp_opt_time_in("--to", c->to, j->tz) : now_ms();
        j->from = j->to - dur;
    } else if (c->from) {
        j->from = gp_opt_time_in("--from", c->from, j->tz);
        j->to = c->to ? gp_opt_time_in("--to", c->to, j->tz) : now_ms();
    } else if (sub != SUB_MAP) {
        gp_usage_error("%s needs a window: --since DUR, or --from TIME [--to TIME]", subcommand_names[sub]);
    } else if (c->to) {
        j->to = gp_opt_time_in("--to", c->to, j->tz);
    }
    if (j->from != GP_TIME_NONE && j->to != GP_TIME_NONE && j->to <= j->from)
        gp_usage_error("the window is empty: --to must be after --from");
}

/* stream: --from / --since set where re-sync baselines start. */
static void set_baseline(cli *c)
{
    if (c->since && c->from) gp_usage_error("--since and --from are exclusive");
    if (c->to) gp_usage_error("option '--to' does not apply to stream");
    if (c->since) {
        int64_t dur = gp_opt_duration("--since", c->since);
        if (dur <= 0) gp_usage_error("--since needs a positive duration");
        struct timeval tv;
        gettimeofday(&tv, NULL);
        c->stream.baseline_from = (int64_t)tv.tv_sec * 1000 - dur;
    } else if (c->from) {
        c->stream.baseline_from = gp_opt_time_in("--from", c->from, c->stream.tz);
    }
}

/* A region is checked like an option wherever it comes from: the same
 * value gets the same refusal (the known regions) and exit status from
 * --region, GENESYSCLOUD_REGION and a profile. */
static void check_region(const char *region, const char *source)
{
    if (!region || gf_region_domain(region)) return;
    char err[1024];
    gf_region_refusal(region, source, err, sizeof err);
    gp_usage_error("%s", err);
}

/* Settings: command line over profile (or, without --profile, the
 * environment). */
static void set_settings(gf_job *j, cli *c)
{
    char err[1024];
    gf_settings *s = &j->settings;
    gp_buf source = {0};
    if (c->profile) {
        char *path = c->profile_file ? gp_xstrdup(c->profile_file) : gf_profile_default_path();
        if (gf_profile_load(path, c->profile, s, err, sizeof err) != 0) gp_die("%s", err);
        gp_buf_printf(&source, "profile [%s] of %s", c->profile, path);
        free(path);
    } else {
        gf_settings_from_env(s);
        gp_buf_adds(&source, "GENESYSCLOUD_REGION");
    }
    if (c->given.region) check_region(c->given.region, NULL); /* the flag wins: the others are not used */
    else check_region(s->region, gp_buf_cstr(&source));
    gp_buf_free(&source);
    gf_set(&s->region, c->given.region);
    if (c->given.region && !c->given.api_url) { /* a region on the command line beats URLs from elsewhere */
        free(s->api_url);
        free(s->login_url);
        s->api_url = s->login_url = NULL;
    }
    gf_set(&s->api_url, c->given.api_url);
    gf_set(&s->login_url, c->given.login_url);
    gf_set(&s->cacert, c->given.cacert);
    if (gf_settings_resolve(s, err, sizeof err) != 0) gp_die("%s", err);
    if (!j->org) j->org = s->org;
}

static void jq_out_of_memory(void *data)
{
    (void)data;
    gp_die("out of memory (in jq)");
}

int main(int argc, char **argv)
{
    gp_init(argv[0]);
    /* libjq aborts when it cannot allocate (here: parsing answers outside a
     * jq program; map.c sets the same for its programs): exit 1 first */
    jv_nomem_handler(jq_out_of_memory, NULL);
    struct option longopts[NOPTIONS + 1];
    for (size_t i = 0; i < NOPTIONS; i++) longopts[i] = option_table[i].opt;
    memset(&longopts[NOPTIONS], 0, sizeof longopts[NOPTIONS]);

    static cli c; /* static: what --help and fatal errors leave allocated stays reachable */
    c.format = GP_FMT_AUTO;
    gf_job j = {0};
    j.page_size = 100;
    j.page_delay_ms = 500;
    j.batch_size = GF_MAX_PREDICATES;
    j.granularity = "P1D";
    j.http.max_retries = 5;
    j.http.max_wait_ms = 10 * 60 * 1000;
    j.http.max_body = GC_MAX_BODY_DEFAULT;
    j.http.timeout_ms = 2 * 60 * 1000;
    static const char **users_files;
    users_files = gp_xcalloc((size_t)argc + 1, sizeof *users_files);
    c.stream.queues = gp_xcalloc((size_t)argc + 1, sizeof *c.stream.queues);
    c.stream.observed_queues = gp_xcalloc((size_t)argc + 1, sizeof *c.stream.observed_queues);
    c.stream.ping_after_ms = 35000;
    c.stream.heartbeat_timeout_ms = 65000;
    c.stream.max_wait_ms = -1;
    c.stream.baseline_from = GP_TIME_NONE;
    size_t nusers_files = 0;

    opterr = 0;
    int code;
    while ((code = getopt_long(argc, argv, ":v", longopts, NULL)) != -1) {
        if (code == '?' || code == ':') gp_cli_bad_option(code, argv);
        if (code == 'v') code = OPT_VERBOSE;
        if (code > 0 && code < OPT_COUNT) c.seen[code] = true;
        switch (code) {
        case GP_OPT_HELP:
            free(users_files);
            usage();
            return GP_EXIT_OK;
        case GP_OPT_VERSION: gp_version_exit();
        case GP_OPT_JSON: c.format = GP_FMT_JSON; break;
        case GP_OPT_CSV: c.format = GP_FMT_CSV; break;
        case OPT_SINCE: c.since = optarg; break;
        case OPT_FROM: c.from = optarg; break;
        case OPT_TO: c.to = optarg; break;
        case OPT_USER:
            if (!*optarg) gp_usage_error("--user needs a user id");
            gf_job_add_user(&j, optarg);
            break;
        case OPT_USERS:
        case OPT_ROSTER: users_files[nusers_files++] = optarg; break;
        case OPT_QUEUE:
            if (!*optarg) gp_usage_error("--queue needs a queue id");
            c.stream.queues[c.stream.nqueues++] = gp_xstrdup(optarg);
            break;
        case OPT_QUEUE_OBSERVATIONS:
            if (!*optarg) gp_usage_error("--queue-observations needs a queue id");
            c.stream.observed_queues[c.stream.nobserved++] = gp_xstrdup(optarg);
            break;
        case OPT_TOPIC:
            if (strcmp(optarg, "activity") != 0)
                gp_usage_error("--topic: unknown topic '%s' (activity; the default is routingStatus and presence)",
                               optarg);
            c.stream.activity_topic = true;
            break;
        case OPT_IGNORE_REJECTED: c.stream.ignore_rejected = true; break;
        case OPT_PING_AFTER:
            c.stream.ping_after_ms = gp_opt_duration("--ping-after", optarg);
            if (c.stream.ping_after_ms <= 0) gp_usage_error("--ping-after needs a positive duration");
            break;
        case OPT_HEARTBEAT_TIMEOUT:
            c.stream.heartbeat_timeout_ms = gp_opt_duration("--heartbeat-timeout", optarg);
            if (c.stream.heartbeat_timeout_ms <= 0) gp_usage_error("--heartbeat-timeout needs a positive duration");
            break;
        case OPT_PAGE_SIZE: j.page_size = (int)gp_opt_long("--page-size", optarg, 1, 100); break;
        case OPT_PAGE_DELAY: j.page_delay_ms = gp_opt_duration("--page-delay", optarg); break;
        case OPT_BATCH_SIZE:
            j.batch_size = (int)gp_opt_long("--batch-size", optarg, 1, GF_MAX_PREDICATES);
            break;
        case OPT_WHOLE: j.whole = true; break;
        case OPT_ASYNC: j.async = true; break;
        case OPT_GRANULARITY:
            if (!*optarg) gp_usage_error("--granularity needs a period such as P1D");
            j.granularity = optarg;
            break;
        case OPT_TZ:
            if (!gp_tz_valid(optarg)) gp_usage_error("unknown time zone '%s' for --tz", optarg);
            j.tz = optarg;
            c.stream.tz = optarg;
            break;
        case OPT_ORG: j.org = optarg; break;
        case OPT_JQ: j.jq_program = optarg; break;
        case OPT_PROFILE: c.profile = optarg; break;
        case OPT_PROFILE_FILE: c.profile_file = optarg; break;
        case OPT_REGION: c.given.region = optarg; break; /* checked in set_settings */
        case OPT_API_URL: c.given.api_url = optarg; break;
        case OPT_LOGIN_URL: c.given.login_url = optarg; break;
        case OPT_CACERT: c.given.cacert = optarg; break;
        case OPT_MAX_RETRIES: j.http.max_retries = (int)gp_opt_long("--max-retries", optarg, 0, 100); break;
        case OPT_MAX_WAIT:
            j.http.max_wait_ms = gp_opt_duration("--max-wait", optarg);
            c.stream.max_wait_ms = j.http.max_wait_ms;
            break;
        case OPT_MAX_BODY: j.http.max_body = gp_opt_size("--max-body", optarg, 4096); break;
        case OPT_TIMEOUT:
            j.http.timeout_ms = gp_opt_duration("--timeout", optarg);
            if (j.http.timeout_ms <= 0) gp_usage_error("--timeout needs a positive duration");
            break;
        case OPT_VERBOSE: c.verbose++; break;
        case OPT_NO_PROGRESS: c.no_progress = true; break;
        case OPT_DRY_RUN: j.dry_run = true; break;
        default: gp_cli_bad_option(code, argv);
        }
    }

    if (optind >= argc)
        gp_usage_error("missing subcommand (details, aggregates, users, token, map or stream)");
    int sub = find_subcommand(argv[optind]);
    if (sub < 0)
        gp_usage_error("unknown subcommand '%s' (details, aggregates, users, token, map or stream)", argv[optind]);
    for (int o = 1; o < OPT_COUNT; o++)
        if (c.seen[o] && !(option_subcommands(o) & (1u << sub)))
            gp_usage_error("option '--%s' does not apply to %s", option_name(o), subcommand_names[sub]);
    if (sub != SUB_MAP && optind + 1 < argc)
        gp_usage_error("unexpected argument '%s' after %s", argv[optind + 1], subcommand_names[sub]);
    if (sub == SUB_MAP && optind + 1 >= argc) gp_usage_error("map needs a KIND: details, aggregates or users");

    j.format = c.format;
    j.http.verbose = c.verbose;
    j.http.progress = !c.no_progress && !c.verbose && isatty(2);
    if (sub == SUB_DETAILS || sub == SUB_AGGREGATES || sub == SUB_MAP) set_window(&j, &c, sub);
    if (sub == SUB_STREAM) set_baseline(&c);
    for (size_t i = 0; i < nusers_files; i++) gf_job_add_users_file(&j, users_files[i]);
    if ((sub == SUB_DETAILS || sub == SUB_AGGREGATES || sub == SUB_STREAM) && nusers_files && !j.nusers)
        gp_die("no user ids in %s", users_files[0]);
    free(users_files);
    if (sub != SUB_MAP) set_settings(&j, &c);

    switch (sub) {
    case SUB_DETAILS: gf_details(&j); break;
    case SUB_AGGREGATES: gf_aggregates(&j); break;
    case SUB_USERS: gf_users(&j); break;
    case SUB_TOKEN: gf_token(&j); break;
    case SUB_MAP: gf_map(&j, argv[optind + 1], argv + optind + 2); break;
    case SUB_STREAM: gf_stream(&j, &c.stream); break;
    default: break;
    }
    gf_settings_free(&j.settings);
    for (size_t i = 0; i < j.nusers; i++) free(j.users[i]);
    free(j.users);
    for (size_t i = 0; i < c.stream.nqueues; i++) free(c.stream.queues[i]);
    for (size_t i = 0; i < c.stream.nobserved; i++) free(c.stream.observed_queues[i]);
    free(c.stream.queues);
    free(c.stream.observed_queues);
    return GP_EXIT_OK;
}
