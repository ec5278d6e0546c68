/* config.c - settings, profiles, regions and the loopback rule for gfetch. */
#include "config.h"

#include "gpulse.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* AWS region -> Genesys Cloud domain, as in the Genesys Cloud SDKs'
 * PureCloudRegionHosts (the API host is "api." + domain, login "login."). */
const char *const gf_region_table[][2] = {
    {"us-east-1", "mypurecloud.com"},
    {"us-east-2", "use2.us-gov-pure.cloud"},
    {"us-west-2", "usw2.pure.cloud"},
    {"ca-central-1", "cac1.pure.cloud"},
    {"mx-central-1", "mxc1.pure.cloud"},
    {"sa-east-1", "sae1.pure.cloud"},
    {"eu-west-1", "mypurecloud.ie"},
    {"eu-west-2", "euw2.pure.cloud"},
    {"eu-central-1", "mypurecloud.de"},
    {"eu-central-2", "euc2.pure.cloud"},
    {"me-central-1", "mec1.pure.cloud"},
    {"ap-south-1", "aps1.pure.cloud"},
    {"ap-southeast-1", "apse1.pure.cloud"},
    {"ap-southeast-2", "mypurecloud.com.au"},
    {"ap-northeast-1", "mypurecloud.jp"},
    {"ap-northeast-2", "apne2.pure.cloud"},
    {"ap-northeast-3", "apne3.pure.cloud"},
    {NULL, NULL},
};

#define DEFAULT_DOMAIN "mypurecloud.com"

static void fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

void gf_set(char **slot, const char *value)
{
    if (!value || !*value) return;
    free(*slot);
    *slot = gp_xstrdup(value);
}

/* What people paste, down to a bare lowercase name: "https://api.mypurecloud.ie/"
 * -> "mypurecloud.ie", "EU_WEST_1" -> "eu-west-1".  A URL's path is
 * dropped (the domain is what names the region); the host of the API, the
 * login or the web app ("apps.") names its domain.  False when empty or
 * too long. */
static bool region_name(const char *region, char *name, size_t size)
{
    static const char *const schemes[] = {"https://", "http://"};
    static const char *const hosts[] = {"api.", "login.", "apps."};
    const char *p = region;
    while (isspace((unsigned char)*p)) p++;
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
        if (strncasecmp(p, schemes[i], strlen(schemes[i])) == 0) {
            p += strlen(schemes[i]);
            break;
        }
    for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++)
        if (strncasecmp(p, hosts[i], strlen(hosts[i])) == 0) {
            p += strlen(hosts[i]);
            break;
        }
    size_t n = strcspn(p, "/");
    while (n > 0 && isspace((unsigned char)p[n - 1])) n--;
    if (n == 0 || n >= size) return false;
    for (size_t i = 0; i < n; i++) name[i] = p[i] == '_' ? '-' : (char)tolower((unsigned char)p[i]);
    name[n] = '\0';
    return true;
}

const char *gf_region_domain(const char *region)
{
    char name[64];
    if (!region || !region_name(region, name, sizeof name)) return NULL;
    for (int i = 0; gf_region_table[i][0]; i++)
        if (strcmp(gf_region_table[i][0], name) == 0 || strcmp(gf_region_table[i][1], name) == 0)
            return gf_region_table[i][1];
    return NULL;
}

void gf_region_refusal(const char *region, const char *source, char *err, size_t errlen)
{
    gp_buf b = {0};
    gp_buf_printf(&b, "unknown region '%s'", region);
    if (source) gp_buf_printf(&b, " (from %s)", source);
    gp_buf_adds(&b, "; known regions:");
    for (int i = 0; gf_region_table[i][0]; i++) gp_buf_printf(&b, "%s %s", i ? "," : "", gf_region_table[i][0]);
    gp_buf_adds(&b, ", their domains (gfetch(1), REGIONS), or the API URL of one");
    fail(err, errlen, "%s", gp_buf_cstr(&b));
    gp_buf_free(&b);
}

void gf_settings_from_env(gf_settings *s)
{
    static const struct {
        const char *env;
        size_t offset;
    } vars[] = {
        {"GENESYSCLOUD_OAUTHCLIENT_ID", offsetof(gf_settings, client_id)},
        {"GENESYSCLOUD_OAUTHCLIENT_SECRET", offsetof(gf_settings, client_secret)},
        {"GENESYSCLOUD_ACCESS_TOKEN", offsetof(gf_settings, access_token)},
        {"GENESYSCLOUD_REGION", offsetof(gf_settings, region)},
        {"GENESYSCLOUD_API_URL", offsetof(gf_settings, api_url)},
        {"GENESYSCLOUD_LOGIN_URL", offsetof(gf_settings, login_url)},
    };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        char **slot = (char **)((char *)s + vars[i].offset);
        if (!*slot) gf_set(slot, getenv(vars[i].env));
    }
}

char *gf_profile_default_path(void)
{
    const char *explicit_path = getenv("GPULSE_PROFILES");
    if (explicit_path && *explicit_path) return gp_xstrdup(explicit_path);
    gp_buf b = {0};
    const char *xdg = getenv("XDG_CONFIG_HOME");
    if (xdg && *xdg) {
        gp_buf_printf(&b, "%s/gpulse/profiles", xdg);
    } else {
        const char *home = getenv("HOME");
        gp_buf_printf(&b, "%s/.config/gpulse/profiles", home ? home : ".");
    }
    gp_buf_cstr(&b);
    return b.data;
}

/* Profile keys: our short names and Genesys's own. */
static char **profile_slot(gf_settings *s, const char *key)
{
    static const struct {
        const char *names[3];
        size_t offset;
    } keys[] = {
        {{"client_id", "oauthclient_id", "genesyscloud_oauthclient_id"}, offsetof(gf_settings, client_id)},
        {{"client_secret", "oauthclient_secret", "genesyscloud_oauthclient_secret"},
         offsetof(gf_settings, client_secret)},
        {{"access_token", "genesyscloud_access_token", NULL}, offsetof(gf_settings, access_token)},
        {{"region", "genesyscloud_region", "environment"}, offsetof(gf_settings, region)},
        {{"api_url", "genesyscloud_api_url", NULL}, offsetof(gf_settings, api_url)},
        {{"login_url", "genesyscloud_login_url", NULL}, offsetof(gf_settings, login_url)},
        {{"cacert", NULL, NULL}, offsetof(gf_settings, cacert)},
        {{"org", NULL, NULL}, offsetof(gf_settings, org)},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        for (int j = 0; j < 3 && keys[i].names[j]; j++)
            if (strcasecmp(keys[i].names[j], key) == 0)
                return (char **)((char *)s + keys[i].offset);
    return NULL;
}

static char *trim(char *p)
{
    while (isspace((unsigned char)*p)) p++;
    char *e = p + strlen(p);
    while (e > p && isspace((unsigned char)e[-1])) *--e = '\0';
    return p;
}

/* A value may be quoted: key = "a value". */
static char *unquote(char *v)
{
    size_t n = strlen(v);
    if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
        v[n - 1] = '\0';
        return v + 1;
    }
    return v;
}

int gf_profile_load(const char *path, const char *name, gf_settings *s, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fail(err, errlen, "profile file %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        fail(err, errlen, "profile file %s: %s", path, strerror(errno));
        fclose(f);
        return -1;
    }
    if (st.st_mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH)) {
        fail(err, errlen,
             "profile file %s is readable or writable by others (mode %04o): it holds secrets; "
             "run 'chmod 600 %s'",
             path, (unsigned)(st.st_mode & 07777), path);
        fclose(f);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    bool in_section = false, found = false;
    int rc = 0;
    while (getline(&line, &cap, f) != -1) {
        lineno++;
        char *p = trim(line);
        if (*p == '\0' || *p == '#' || *p == ';') continue;
        if (*p == '[') {
            char *close = strchr(p, ']');
            if (!close) {
                fail(err, errlen, "profile file %s:%ld: section header without ']'", path, lineno);
                rc = -1;
                break;
            }
            *close = '\0';
            in_section = strcmp(trim(p + 1), name) == 0;
            found = found || in_section;
            continue;
        }
        if (!in_section) continue;
        char *eq = strchr(p, '=');
        if (!eq) {
            fail(err, errlen, "profile file %s:%ld: expected 'key = value'", path, lineno);
            rc = -1;
            break;
        }
        *eq = '\0';
        char *key = trim(p);
        char **slot = profile_slot(s, key);
        if (!slot) {
            fail(err, errlen, "profile file %s:%ld: unknown key '%s'", path, lineno, key);
            rc = -1;
            break;
        }
        gf_set(slot, unquote(trim(eq + 1)));
    }
    free(line);
    fclose(f);
    if (rc == 0 && !found) {
        fail(err, errlen, "profile file %s has no section [%s]", path, name);
        rc = -1;
    }
    return rc;
}

/* Is HOST (as written in a URL: no brackets for IPv6) a loopback host? */
static bool host_is_loopback(const char *host, size_t n)
{
    if (n == 9 && strncasecmp(host, "localhost", 9) == 0) return true;
    if (n == 3 && memcmp(host, "::1", 3) == 0) return true;
    if (n >= 4 && memcmp(host, "127.", 4) == 0) {
        for (size_t i = 4; i < n; i++)
            if (!isdigit((unsigned char)host[i]) && host[i] != '.') return false;
        return true;
    }
    return false;
}

int gf_url_check(const char *url, char *err, size_t errlen)
{
    if (strncasecmp(url, "https://", 8) == 0) {
        if (url[8] == '\0' || url[8] == '/') {
            fail(err, errlen, "URL '%s' has no host", url);
            return -1;
        }
        return 0;
    }
    if (strncasecmp(url, "http://", 7) != 0) {
        fail(err, errlen, "URL '%s' must start with https:// (or http:// to loopback)", url);
        return -1;
    }
    const char *host = url + 7;
    const char *at = NULL;
    for (const char *p = host; *p && *p != '/'; p++)
        if (*p == '@') at = p;
    if (at) host = at + 1; /* user info is not the host */
    size_t n;
    if (*host == '[') {
        const char *close = strchr(host, ']');
        if (!close) {
            fail(err, errlen, "URL '%s': bad IPv6 host", url);
            return -1;
        }
        host++;
        n = (size_t)(close - host);
    } else {
        n = strcspn(host, ":/?#");
    }
    if (!host_is_loopback(host, n)) {
        fail(err, errlen, "URL '%s': plain http is allowed only to loopback (127.0.0.1, ::1, localhost); use https",
             url);
        return -1;
    }
    return 0;
}

static void drop_trailing_slashes(char *url)
{
    size_t n = strlen(url);
    while (n > 0 && url[n - 1] == '/') url[--n] = '\0';
}

int gf_settings_resolve(gf_settings *s, char *err, size_t errlen)
{
    const char *domain = DEFAULT_DOMAIN;
    if (s->region) {
        domain = gf_region_domain(s->region);
        if (!domain) {
            gf_region_refusal(s->region, NULL, err, errlen);
            return -1;
        }
    }
    gp_buf b = {0};
    if (!s->api_url) {
        gp_buf_printf(&b, "https://api.%s", domain);
        s->api_url = gp_xstrdup(gp_buf_cstr(&b));
        b.len = 0;
    }
    drop_trailing_slashes(s->api_url);
    if (!s->login_url) {
        if (strncasecmp(s->api_url, "https://api.", 12) == 0)
            gp_buf_printf(&b, "https://login.%s", s->api_url + 12);
        else
            gp_buf_adds(&b, s->api_url);
        s->login_url = gp_xstrdup(gp_buf_cstr(&b));
    }
    gp_buf_free(&b);
    drop_trailing_slashes(s->login_url);
    if (gf_url_check(s->api_url, err, errlen) != 0) return -1;
    if (gf_url_check(s->login_url, err, errlen) != 0) return -1;
    return 0;
}

void gf_settings_free(gf_settings *s)
{
    char **fields[] = {&s->client_id, &s->client_secret, &s->access_token, &s->region,
                       &s->api_url,   &s->login_url,     &s->cacert,       &s->org};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        free(*fields[i]);
        *fields[i] = NULL;
    }
}
