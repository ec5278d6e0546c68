/* config.h - where gfetch finds Genesys Cloud and its credentials: the
 * settings in Genesys's own names (GENESYSCLOUD_*), profile files with one
 * section per org, the region table of Genesys's SDKs, and the rule that
 * plain http is only for loopback.  No network and no libcurl here, so all
 * of it is unit-testable. */
#ifndef GPULSE_GCONF_H
#define GPULSE_GCONF_H

#include <stdbool.h>
#include <stddef.h>

/* Every string is owned (malloc'ed) or NULL when unset.  client_secret and
 * access_token are secrets: they never go into a message. */
typedef struct gf_settings {
    char *client_id;
    char *client_secret;
    char *access_token;
    char *region;    /* a domain (mypurecloud.ie) or an AWS region (eu-west-1) */
    char *api_url;   /* https://api.DOMAIN, no trailing slash once resolved */
    char *login_url; /* https://login.DOMAIN */
    char *cacert;
    char *org;       /* label added to records (profile key "org") */
} gf_settings;

/* Replace *slot with a copy of VALUE (NULL or "" clears nothing: kept). */
void gf_set(char **slot, const char *value);

/* The Genesys Cloud domain for REGION, whatever people paste: a domain
 * of the table ("mypurecloud.ie"), its API, login or apps host
 * ("api.mypurecloud.ie"), a URL of it ("https://api.mypurecloud.ie/",
 * any path), or
 * the AWS region name with dashes or underscores in any case ("eu-west-1",
 * "EU_WEST_1"; as in Genesys's SDKs, PureCloudRegionHosts).  NULL for
 * anything else. */
const char *gf_region_domain(const char *region);
/* ERR: REGION is refused, with the list of known regions (the one message
 * for the flag, GENESYSCLOUD_REGION and a profile); SOURCE, when not NULL,
 * says where the value came from ("GENESYSCLOUD_REGION"). */
void gf_region_refusal(const char *region, const char *source, char *err, size_t errlen);

/* The table itself, for usage and the man page: NULL-terminated pairs
 * {aws_name, domain}. */
extern const char *const gf_region_table[][2];

/* Fill unset fields of S from the environment: GENESYSCLOUD_OAUTHCLIENT_ID,
 * GENESYSCLOUD_OAUTHCLIENT_SECRET, GENESYSCLOUD_REGION,
 * GENESYSCLOUD_ACCESS_TOKEN, GENESYSCLOUD_API_URL, GENESYSCLOUD_LOGIN_URL. */
void gf_settings_from_env(gf_settings *s);

/* Default profile file: $GPULSE_PROFILES, else
 * $XDG_CONFIG_HOME/gpulse/profiles, else $HOME/.config/gpulse/profiles.
 * Returns a malloc'ed path. */
char *gf_profile_default_path(void);

/* Read section [NAME] of the INI-style profile file PATH into S (fields it
 * sets replace those in S).  Keys: client_id, client_secret, access_token,
 * region, api_url, login_url, cacert, org (Genesys names such as
 * GENESYSCLOUD_OAUTHCLIENT_ID / oauthclient_id are accepted too).  Refuses a
 * file that group or others can read or write.  Returns 0, or -1 with a
 * message in ERR (never containing a value from the file). */
int gf_profile_load(const char *path, const char *name, gf_settings *s, char *err, size_t errlen);

/* Is plain http allowed to this URL?  https:// always is; http:// only when
 * the host is loopback (127.0.0.0/8, ::1, localhost).  Returns 0, or -1 with
 * a reason in ERR. */
int gf_url_check(const char *url, char *err, size_t errlen);

/* Resolve api_url and login_url: explicit URLs win; else from the region
 * (default mypurecloud.com, Genesys's us-east-1, as the SDKs do):
 * https://api.DOMAIN and https://login.DOMAIN.  An api_url without a
 * login_url gives the login URL by "api." -> "login." when it has that
 * form, else the same URL.  Trailing slashes are dropped.  Returns 0, or -1
 * with a message in ERR. */
int gf_settings_resolve(gf_settings *s, char *err, size_t errlen);

void gf_settings_free(gf_settings *s);

#endif
