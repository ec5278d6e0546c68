/* status.c - the contract's field names, their aliases, and status values. */
#include "gpulse.h"

#include <ctype.h>
#include <string.h>

/* Canonical names, indexed by gp_field_id. */
static const char *const field_names[GP_F_COUNT] = {
    [GP_F_USER_ID] = "user_id", [GP_F_ROUTING_STATUS] = "routing_status",
    [GP_F_PRESENCE] = "presence", [GP_F_START] = "start",
    [GP_F_END] = "end",         [GP_F_SECS] = "secs",
    [GP_F_ORG] = "org",         [GP_F_SHIFT] = "shift",
};

/* Every spelling accepted on input (DESIGN.md §2.1 and issue 2). */
static const struct {
    const char *key;
    int id;
} field_aliases[] = {
    {"user_id", GP_F_USER_ID},
    {"userId", GP_F_USER_ID},
    {"userid", GP_F_USER_ID},
    {"routing_status", GP_F_ROUTING_STATUS},
    {"routingStatus", GP_F_ROUTING_STATUS},
    {"presence", GP_F_PRESENCE},
    {"systemPresence", GP_F_PRESENCE},
    {"system_presence", GP_F_PRESENCE},
    {"start", GP_F_START},
    {"startTime", GP_F_START},
    {"start_time", GP_F_START},
    {"event_time", GP_F_START},
    {"eventTime", GP_F_START},
    {"end", GP_F_END},
    {"endTime", GP_F_END},
    {"end_time", GP_F_END},
    {"secs", GP_F_SECS},
    {"org", GP_F_ORG},
    {"shift", GP_F_SHIFT},
};

const char *const gp_routing_statuses[] = {
    "INTERACTING", "IDLE", "NOT_RESPONDING", "COMMUNICATING", "OFF_QUEUE", NULL,
};

const char *gp_field_name(int id)
{
    return id >= 0 && id < GP_F_COUNT ? field_names[id] : NULL;
}

int gp_field_lookup(const char *key, size_t n)
{
    /* The table is small and keys are short: a first-byte check keeps this
     * cheap enough for the per-record path. */
    for (size_t i = 0; i < sizeof field_aliases / sizeof field_aliases[0]; i++) {
        const char *k = field_aliases[i].key;
        if (k[0] == key[0] && strlen(k) == n && memcmp(k, key, n) == 0)
            return field_aliases[i].id;
    }
    return GP_F_UNKNOWN;
}

size_t gp_status_normalize(const char *s, size_t n, char *out)
{
    size_t o = 0;
    /* trim surrounding blanks */
    while (n > 0 && (*s == ' ' || *s == '\t')) { s++; n--; }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '-' || c == '_') {
            if (o > 0 && out[o - 1] != '_') out[o++] = '_';
            continue;
        }
        /* camelCase boundary: lower or digit followed by upper */
        if (isupper(c) && i > 0 && (islower((unsigned char)s[i - 1]) || isdigit((unsigned char)s[i - 1])) &&
            o > 0 && out[o - 1] != '_')
            out[o++] = '_';
        out[o++] = (char)toupper(c);
    }
    while (o > 0 && out[o - 1] == '_') o--;
    out[o] = '\0';
    return o;
}

void gp_lowercase(char *s)
{
    for (; *s; s++) *s = (char)tolower((unsigned char)*s);
}
