/* Unit tests of gfetch's pure parts: the region table, the loopback rule,
 * settings resolution, profile files, window splitting and the batch's
 * dedupe / cut / sort. */
#include "config.h"
#include "gpulse.h"
#include "records.h"
#include "stream.h"
#include "ws.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int64_t t(const char *s)
{
    int64_t ms = 0;
    if (gp_time_parse(s, strlen(s), &ms) != 0) {
        fprintf(stderr, "bad time in test: %s\n", s);
        exit(2);
    }
    return ms;
}

static void test_regions(void)
{
    unit_check_str(gf_region_domain("eu-west-1"), "mypurecloud.ie", "region eu-west-1");
    unit_check_str(gf_region_domain("eu_west_1"), "mypurecloud.ie", "region eu_west_1 (SDK enum spelling)");
    unit_check_str(gf_region_domain("US-EAST-1"), "mypurecloud.com", "region in upper case");
    unit_check_str(gf_region_domain("us-west-2"), "usw2.pure.cloud", "region us-west-2");
    unit_check_str(gf_region_domain("ap-southeast-2"), "mypurecloud.com.au", "region ap-southeast-2");
    unit_check_str(gf_region_domain("ap-northeast-1"), "mypurecloud.jp", "region ap-northeast-1");
    unit_check_str(gf_region_domain("eu-central-1"), "mypurecloud.de", "region eu-central-1");
    unit_check_str(gf_region_domain("eu-west-2"), "euw2.pure.cloud", "region eu-west-2");
    unit_check_str(gf_region_domain("us-east-2"), "use2.us-gov-pure.cloud", "region us-east-2 (FedRAMP)");
    unit_check_str(gf_region_domain("sa-east-1"), "sae1.pure.cloud", "region sa-east-1");
    unit_check_str(gf_region_domain("me-central-1"), "mec1.pure.cloud", "region me-central-1");
    unit_check_str(gf_region_domain("mypurecloud.ie"), "mypurecloud.ie", "a domain passes as it is");
    unit_check_str(gf_region_domain("usw2.pure.cloud"), "usw2.pure.cloud", "a pure.cloud domain passes");
    /* what people paste: the API or login host, a URL of it */
    unit_check_str(gf_region_domain("api.mypurecloud.ie"), "mypurecloud.ie", "the API host");
    unit_check_str(gf_region_domain("https://api.mypurecloud.ie/"), "mypurecloud.ie", "the API URL");
    unit_check_str(gf_region_domain("HTTPS://Login.MyPureCloud.IE//"), "mypurecloud.ie", "the login URL, any case");
    unit_check_str(gf_region_domain("api.usw2.pure.cloud"), "usw2.pure.cloud", "a pure.cloud API host");
    unit_check_str(gf_region_domain("https://api.mypurecloud.ie/api/v2/users"), "mypurecloud.ie",
                   "an API URL with a path");
    unit_check_str(gf_region_domain("https://apps.mypurecloud.de/directory/"), "mypurecloud.de",
                   "the web app's URL");
    unit_check_str(gf_region_domain(" eu-west-2\n"), "euw2.pure.cloud", "white space around a pasted name");
    /* every row of the one table: its AWS name and its domain, as name,
     * host and URL */
    for (int i = 0; gf_region_table[i][0]; i++) {
        const char *aws = gf_region_table[i][0], *domain = gf_region_table[i][1];
        char url[128];
        unit_check_str(gf_region_domain(aws), domain, aws);
        unit_check_str(gf_region_domain(domain), domain, domain);
        snprintf(url, sizeof url, "https://api.%s/", domain);
        unit_check_str(gf_region_domain(url), domain, url);
        snprintf(url, sizeof url, "login.%s", domain);
        unit_check_str(gf_region_domain(url), domain, url);
    }
    /* anything else is refused, domains included */
    unit_check(gf_region_domain("eu-west-9") == NULL, "unknown region", "expected NULL");
    unit_check(gf_region_domain("") == NULL, "empty region", "expected NULL");
    unit_check(gf_region_domain("https://") == NULL, "a bare scheme", "expected NULL");
    unit_check(gf_region_domain("mypurecloud.example") == NULL, "an unknown domain", "expected NULL");
    unit_check(gf_region_domain("api.example.com") == NULL, "an unknown host", "expected NULL");
    unit_check(gf_region_domain("api.") == NULL, "a bare host prefix", "expected NULL");
    unit_check(gf_region_domain("eu-west-1.example.com") == NULL, "a region inside another domain",
               "expected NULL");
    char err[1024];
    gf_region_refusal("mars-1", NULL, err, sizeof err);
    unit_check(strstr(err, "unknown region 'mars-1'; known regions: us-east-1, ") && strstr(err, "eu-west-1") &&
                   strstr(err, "ap-northeast-3"),
               "the refusal lists the known regions", err);
    gf_region_refusal("mars-1", "GENESYSCLOUD_REGION", err, sizeof err);
    unit_check(strstr(err, "unknown region 'mars-1' (from GENESYSCLOUD_REGION); known regions: ") != NULL,
               "the refusal names where the value came from", err);
}

static void test_url_rule(void)
{
    char err[256];
    unit_check(gf_url_check("https://api.mypurecloud.ie", err, sizeof err) == 0, "https allowed", err);
    unit_check(gf_url_check("http://127.0.0.1:8080", err, sizeof err) == 0, "http to 127.0.0.1", err);
    unit_check(gf_url_check("http://127.3.4.5/", err, sizeof err) == 0, "http to 127/8", err);
    unit_check(gf_url_check("http://localhost:1234/x", err, sizeof err) == 0, "http to localhost", err);
    unit_check(gf_url_check("http://[::1]:99", err, sizeof err) == 0, "http to [::1]", err);
    unit_check(gf_url_check("http://api.mypurecloud.ie", err, sizeof err) != 0, "http elsewhere refused",
               "accepted");
    unit_check(gf_url_check("http://127.0.0.1.evil.example/", err, sizeof err) != 0,
               "http to a look-alike host refused", "accepted");
    unit_check(gf_url_check("http://127.0.0.1@evil.example/", err, sizeof err) != 0,
               "user info is not the host", "accepted");
    unit_check(gf_url_check("ftp://127.0.0.1/", err, sizeof err) != 0, "other schemes refused", "accepted");
}

static void test_resolve(void)
{
    char err[256];
    gf_settings s = {0};
    gf_set(&s.region, "eu-west-1");
    unit_check(gf_settings_resolve(&s, err, sizeof err) == 0, "resolve region", err);
    unit_check_str(s.api_url, "https://api.mypurecloud.ie", "api URL from region");
    unit_check_str(s.login_url, "https://login.mypurecloud.ie", "login URL from region");
    gf_settings_free(&s);

    unit_check(gf_settings_resolve(&s, err, sizeof err) == 0, "resolve default", err);
    unit_check_str(s.api_url, "https://api.mypurecloud.com", "default region is us-east-1");
    gf_settings_free(&s);

    gf_set(&s.api_url, "http://127.0.0.1:5000/");
    unit_check(gf_settings_resolve(&s, err, sizeof err) == 0, "resolve api URL", err);
    unit_check_str(s.api_url, "http://127.0.0.1:5000", "trailing slash dropped");
    unit_check_str(s.login_url, "http://127.0.0.1:5000", "login URL defaults to the API URL");
    gf_settings_free(&s);

    gf_set(&s.region, "nowhere-1");
    unit_check(gf_settings_resolve(&s, err, sizeof err) != 0, "unknown region refused", "accepted");
    gf_settings_free(&s);
}

static void test_profile(void)
{
    char path[] = "/tmp/gfetch-unit-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        unit_check(0, "profile temp file", "mkstemp failed");
        return;
    }
    const char text[] = "# two orgs\n[acme]\nclient_id = acme-id\nclient_secret = \"acme secret\"\nregion = eu-west-1\n"
                        "org = acme\n\n[globex]\nGENESYSCLOUD_OAUTHCLIENT_ID = globex-id\nregion=usw2.pure.cloud\n";
    if (write(fd, text, sizeof text - 1) != (ssize_t)(sizeof text - 1)) unit_check(0, "profile write", "short");
    close(fd);
    char err[512];
    gf_settings s = {0};
    chmod(path, 0600);
    unit_check(gf_profile_load(path, "acme", &s, err, sizeof err) == 0, "profile acme loads", err);
    unit_check_str(s.client_id, "acme-id", "profile client_id");
    unit_check_str(s.client_secret, "acme secret", "profile quoted value");
    unit_check_str(s.region, "eu-west-1", "profile region");
    unit_check_str(s.org, "acme", "profile org label");
    gf_settings_free(&s);
    unit_check(gf_profile_load(path, "globex", &s, err, sizeof err) == 0, "profile globex loads", err);
    unit_check_str(s.client_id, "globex-id", "profile Genesys key names");
    unit_check(s.client_secret == NULL, "profile sections do not leak", "acme's secret in globex");
    gf_settings_free(&s);
    unit_check(gf_profile_load(path, "initech", &s, err, sizeof err) != 0, "missing section refused", "accepted");
    chmod(path, 0644);
    unit_check(gf_profile_load(path, "acme", &s, err, sizeof err) != 0 && strstr(err, "readable") != NULL,
               "world-readable profile refused", err);
    unit_check(strstr(err, "acme secret") == NULL, "refusal shows no secret", err);
    gf_settings_free(&s);
    chmod(path, 0640);
    unit_check(gf_profile_load(path, "acme", &s, err, sizeof err) != 0, "group-readable profile refused",
               "accepted");
    gf_settings_free(&s);
    unlink(path);
}

static void test_split(void)
{
    gs_interval *iv;
    int64_t from = t("2026-11-01T00:00:00Z"), to = t("2026-12-11T00:00:00Z"); /* 40 days */
    size_t n = gs_split(from, to, 31 * GS_DAY_MS, &iv);
    unit_check_long((long long)n, 2, "40 days with user filters: 2 intervals");
    char text[GS_INTERVAL_LEN + 1];
    gs_interval_format(iv[0], text);
    unit_check_str(text, "2026-11-01T00:00:00.000Z/2026-12-02T00:00:00.000Z", "first interval 31 days");
    gs_interval_format(iv[1], text);
    unit_check_str(text, "2026-12-02T00:00:00.000Z/2026-12-11T00:00:00.000Z", "second interval the rest");
    free(iv);

    n = gs_split(from, to, 7 * GS_DAY_MS, &iv);
    unit_check_long((long long)n, 6, "40 days without user filters: 6 intervals of <= 7 days");
    unit_check_long(iv[5].to - iv[5].from, 5 * GS_DAY_MS, "last of 6 is 5 days");
    free(iv);

    n = gs_split(from, from + 7 * GS_DAY_MS, 7 * GS_DAY_MS, &iv);
    unit_check_long((long long)n, 1, "exactly 7 days: one interval");
    free(iv);
    n = gs_split(from, from + 7 * GS_DAY_MS + 1, 7 * GS_DAY_MS, &iv);
    unit_check_long((long long)n, 2, "7 days and 1 ms: two intervals");
    free(iv);
    n = gs_split(from, from, 7 * GS_DAY_MS, &iv);
    unit_check_long((long long)n, 0, "empty window: no interval");
    free(iv);

    gs_interval p;
    const char *with_offset = "2026-11-01T00:00:00.000-05:00/2026-11-02T00:00:00.000-05:00";
    unit_check(gs_interval_parse(with_offset, strlen(with_offset), &p) == 0, "parse interval with offsets",
               "failed");
    gs_interval_format(p, text);
    unit_check_str(text, "2026-11-01T05:00:00.000Z/2026-11-02T05:00:00.000Z", "interval normalised to UTC");

    unit_check_long(gs_aggregate_chunk(GS_DAY_MS, 31 * GS_DAY_MS), 31 * GS_DAY_MS, "P1D chunk 31 days");
    unit_check_long(gs_aggregate_chunk(7 * GS_DAY_MS, 31 * GS_DAY_MS), 28 * GS_DAY_MS, "P7D chunk 28 days");
    unit_check_long(gs_aggregate_chunk(3600 * 1000, 31 * GS_DAY_MS), 31 * GS_DAY_MS, "PT1H chunk 31 days");
    unit_check_long(gs_aggregate_chunk(0, 31 * GS_DAY_MS), 0, "unknown granularity: no split");
}

static void add(gs_batch *b, const char *user, int tl, const char *status, const char *start, const char *end)
{
    gs_batch_add(b, user, strlen(user), tl, status, strlen(status), t(start), end ? t(end) : GP_TIME_NONE,
                 GP_TIME_NONE);
}

static void test_batch(void)
{
    gs_batch b = {0};
    /* Out of order, with the API's repeats: a segment across midnight
     * returned by two day intervals, and a piece of it. */
    add(&b, "u2", GP_TL_ROUTING, "IDLE", "2026-11-01T10:00:00Z", "2026-11-01T10:05:00Z");
    add(&b, "u1", GP_TL_ROUTING, "OFF_QUEUE", "2026-11-01T22:00:00Z", "2026-11-02T06:00:00Z");
    add(&b, "u1", GP_TL_ROUTING, "interacting", "2026-11-01T21:00:00Z", "2026-11-01T22:00:00Z");
    add(&b, "u1", GP_TL_ROUTING, "OFF_QUEUE", "2026-11-01T22:00:00Z", "2026-11-02T06:00:00Z");
    add(&b, "u1", GP_TL_ROUTING, "OFF_QUEUE", "2026-11-02T00:00:00Z", "2026-11-02T06:00:00Z");
    add(&b, "u1", GP_TL_PRESENCE, "OFFLINE", "2026-11-01T22:00:00Z", "2026-11-02T06:00:00Z");
    add(&b, "u1", GP_TL_ROUTING, "IDLE", "2026-10-31T20:00:00Z", "2026-10-31T21:00:00Z"); /* before the window */
    add(&b, "u1", GP_TL_ROUTING, "IDLE", "2026-11-01T23:59:00Z", NULL);                     /* still open */
    gs_finish_options o = {t("2026-11-01T00:00:00Z"), t("2026-11-02T00:00:00Z"), false, true};
    gs_batch_finish(&b, &o);
    unit_check_long((long long)b.len, 5, "batch keeps 5 of 8");
    unit_check_long((long long)b.dropped_duplicates, 2, "two repeats dropped");
    unit_check_long((long long)b.dropped_outside, 1, "one outside the window dropped");

    gp_out out;
    char path[] = "/tmp/gfetch-unit-out-XXXXXX";
    int fd = mkstemp(path);
    gp_out_open_fd(&out, fd, path);
    gs_writer w;
    gs_writer_init(&w, &out, GP_FMT_JSON, false, "acme");
    gs_write_batch(&w, &b);
    gp_out_close(&out);
    FILE *f = fopen(path, "r");
    char got[2048] = "";
    size_t n = f ? fread(got, 1, sizeof got - 1, f) : 0;
    got[n] = '\0';
    if (f) fclose(f);
    unlink(path);
    unit_check_str(got,
                   "{\"user_id\":\"u1\",\"routing_status\":\"INTERACTING\",\"start\":\"2026-11-01T21:00:00.000Z\","
                   "\"end\":\"2026-11-01T22:00:00.000Z\",\"org\":\"acme\"}\n"
                   "{\"user_id\":\"u1\",\"routing_status\":\"OFF_QUEUE\",\"start\":\"2026-11-01T22:00:00.000Z\","
                   "\"end\":\"2026-11-02T00:00:00.000Z\",\"org\":\"acme\"}\n"
                   "{\"user_id\":\"u1\",\"presence\":\"OFFLINE\",\"start\":\"2026-11-01T22:00:00.000Z\","
                   "\"end\":\"2026-11-02T00:00:00.000Z\",\"org\":\"acme\"}\n"
                   "{\"user_id\":\"u1\",\"routing_status\":\"IDLE\",\"start\":\"2026-11-01T23:59:00.000Z\","
                   "\"org\":\"acme\"}\n"
                   "{\"user_id\":\"u2\",\"routing_status\":\"IDLE\",\"start\":\"2026-11-01T10:00:00.000Z\","
                   "\"end\":\"2026-11-01T10:05:00.000Z\",\"org\":\"acme\"}\n",
                   "batch sorted, deduplicated, cut, written");

    gs_batch_clear(&b);
    add(&b, "u1", GP_TL_ROUTING, "IDLE", "2026-10-31T23:00:00Z", "2026-11-01T01:00:00Z");
    gs_finish_options whole = {t("2026-11-01T00:00:00Z"), t("2026-11-02T00:00:00Z"), true, true};
    gs_batch_finish(&b, &whole);
    unit_check_long(b.len == 1 ? b.segs[0].start : 0, t("2026-10-31T23:00:00Z"), "--whole keeps the start");
    gs_batch_clear(&b);
    add(&b, "u1", GP_TL_ROUTING, "IDLE", "2026-10-31T23:00:00Z", "2026-11-01T00:00:00Z");
    gs_batch_finish(&b, &whole);
    unit_check_long((long long)b.len, 0, "a segment ending at the window's start is outside");
    gs_batch_free(&b);
}

/* gfetch stream: the handshake's accept value, connectUri splitting, and
 * how many channels users need. */
static void test_stream_pieces(void)
{
    char accept[32];
    ws_accept_for_key("dGhlIHNhbXBsZSBub25jZQ==", accept); /* RFC 6455 section 1.3's example */
    unit_check_str(accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "Sec-WebSocket-Accept of RFC 6455's key");

    char url[256], host[128], target[256];
    int rc = ws_split_uri("wss://streaming.mypurecloud.com/channels/streaming-0-abc", url, sizeof url, host,
                          sizeof host, target, sizeof target);
    unit_check_long(rc, 0, "wss connectUri splits");
    unit_check_str(url, "https://streaming.mypurecloud.com/", "wss -> https for libcurl");
    unit_check_str(host, "streaming.mypurecloud.com", "Host of a wss URI");
    unit_check_str(target, "/channels/streaming-0-abc", "request target of a wss URI");
    rc = ws_split_uri("ws://127.0.0.1:8080?x=1", url, sizeof url, host, sizeof host, target, sizeof target);
    unit_check(rc == 0 && strcmp(url, "http://127.0.0.1:8080/") == 0 && strcmp(target, "/?x=1") == 0,
               "ws URI with a port and a query only", target);
    unit_check_long(ws_split_uri("https://example.com/x", url, sizeof url, host, sizeof host, target, sizeof target),
                    -1, "not a ws URI");
    unit_check_long(ws_split_uri("wss://user:pw@example.com/x", url, sizeof url, host, sizeof host, target,
                                 sizeof target),
                    -1, "credentials in a connectUri are refused");

    unit_check_long((long long)gf_stream_channels_needed(500, 2, 0), 1, "500 users, 2 topics: one channel");
    unit_check_long((long long)gf_stream_channels_needed(501, 2, 0), 2, "501 users, 2 topics: two channels");
    unit_check_long((long long)gf_stream_channels_needed(500, 2, 1), 2, "a queue topic past 1,000: another channel");
    unit_check_long((long long)gf_stream_channels_needed(10000, 2, 0), 20, "10,000 users: 20 channels");
    unit_check_long((long long)gf_stream_channels_needed(10001, 2, 0), 0, "10,001 users: more than 20 channels");
    unit_check_long((long long)gf_stream_channels_needed(20000, 1, 0), 20, "--topic activity: 20,000 users fit");
}

/* --from/--to: a date without a time is the first instant of that date
 * in --tz; a time with an offset is that instant, whatever the zone. */
static void test_window_dates(void)
{
    static const struct {
        const char *arg, *zone, *want;
    } cases[] = {
        {"2026-11-02", NULL, "2026-11-02T00:00:00.000Z"},
        {"2026-11-02", "", "2026-11-02T00:00:00.000Z"},
        {"2026-11-02", "UTC", "2026-11-02T00:00:00.000Z"},
        {"2026-11-02", "America/Chicago", "2026-11-02T06:00:00.000Z"},  /* CST */
        {"2026-11-01", "America/Chicago", "2026-11-01T05:00:00.000Z"},  /* CDT until 07:00Z */
        {"2026-11-02", "Asia/Kolkata", "2026-11-01T18:30:00.000Z"},     /* east of UTC */
        {"2026-09-06", "America/Santiago", "2026-09-06T04:00:00.000Z"}, /* 00:00 does not exist: 01:00 -03 */
        {"2026-09-07", "America/Santiago", "2026-09-07T03:00:00.000Z"},
        {"2026-03-08", "America/Havana", "2026-03-08T05:00:00.000Z"},   /* the same jump */
        {"2026-11-02T13:00:00Z", "America/Chicago", "2026-11-02T13:00:00.000Z"},
        {"2026-11-02T13:00:00+01:00", "Asia/Tokyo", "2026-11-02T12:00:00.000Z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[GP_TIME_LEN + 1], name[128];
        gp_time_format(gp_opt_time_in("--from", cases[i].arg, cases[i].zone), got);
        snprintf(name, sizeof name, "--from %s --tz %s", cases[i].arg, cases[i].zone ? cases[i].zone : "(none)");
        unit_check_str(got, cases[i].want, name);
    }
}

int main(void)
{
    gp_init("unit-gfetch");
    test_regions();
    test_window_dates();
    test_url_rule();
    test_resolve();
    test_profile();
    test_split();
    test_batch();
    test_stream_pieces();
    return unit_exit();
}
