/* status.c - the contract's field names, their aliases, and status values. */
#include "gpulse.h"

#include "bytescan.h"

#include <ctype.h>
#include <string.h>

/* Canonical names, indexed by gp_field_id. */
static const char *const field_names[GP_F_COUNT] = {
    [GP_F_USER_ID] = "user_id", [GP_F_ROUTING_STATUS] = "routing_status",
    [GP_F_PRESENCE] = "presence", [GP_F_START] = "start",
    [GP_F_END] = "end",         [GP_F_SECS] = "secs",
    [GP_F_ORG] = "org",         [GP_F_SHIFT] = "shift",
};

/* Every spelling accepted on input (gpulse(7), Input spellings), with its
 * length: the lookup runs for every key of every record. */
static const struct {
    const char *key;
    size_t len;
    int id;
} field_aliases[] = {
    {"user_id", 7, GP_F_USER_ID},
    {"userId", 6, GP_F_USER_ID},
    {"userid", 6, GP_F_USER_ID},
    {"routing_status", 14, GP_F_ROUTING_STATUS},
    {"routingStatus", 13, GP_F_ROUTING_STATUS},
    {"presence", 8, GP_F_PRESENCE},
    {"systemPresence", 14, GP_F_PRESENCE},
    {"system_presence", 15, GP_F_PRESENCE},
    {"start", 5, GP_F_START},
    {"startTime", 9, GP_F_START},
    {"start_time", 10, GP_F_START},
    {"event_time", 10, GP_F_START},
    {"eventTime", 9, GP_F_START},
    {"end", 3, GP_F_END},
    {"endTime", 7, GP_F_END},
    {"end_time", 8, GP_F_END},
    {"secs", 4, GP_F_SECS},
    {"org", 3, GP_F_ORG},
    {"shift", 5, GP_F_SHIFT},
};

const char *const gp_routing_statuses[] = {
    "INTERACTING", "IDLE", "NOT_RESPONDING", "COMMUNICATING", "OFF_QUEUE", NULL,
};

const char *gp_field_name(int id)
{
    return id >= 0 && id < GP_F_COUNT ? field_names[id] : NULL;
}

/* A direct-mapped table from a key's length and four of its bytes to the
 * one alias it can be, built on first use: the lookup runs for every key of
 * every record, so it costs one slot and one comparison. */
#define SLOTS 256
#ifdef GP_BYTESCAN_SSE2
static void build_padded(void);
#endif
static signed char slot_alias[SLOTS];
static bool slots_built;

static unsigned slot_of(const char *key, size_t n)
{
    /* weights chosen so that no two aliases share a slot (userId, userid) */
    return ((unsigned)n + (unsigned char)key[0] * 3u + (unsigned char)key[n - 1] * 3u +
            (unsigned char)key[n / 2] + (unsigned char)key[n - 2] * 5u) % SLOTS;
}

static void build_slots(void)
{
    memset(slot_alias, -1, sizeof slot_alias);
    for (size_t i = 0; i < sizeof field_aliases / sizeof field_aliases[0]; i++) {
        unsigned slot = slot_of(field_aliases[i].key, field_aliases[i].len);
        /* two aliases in one slot would make the lookup miss one of them:
         * the unit tests look every alias up */
        if (slot_alias[slot] >= 0) gp_die("internal error: alias table collision");
        slot_alias[slot] = (signed char)i;
    }
#ifdef GP_BYTESCAN_SSE2
    build_padded();
#endif
    slots_built = true;
}

#ifdef GP_BYTESCAN_SSE2
/* Each alias zero-padded to 16 bytes, left-aligned and right-aligned, for
 * one masked vector compare from the key's first byte or up to its last. */
static unsigned char alias_left[sizeof field_aliases / sizeof field_aliases[0]][16];
static unsigned char alias_right[sizeof field_aliases / sizeof field_aliases[0]][16];
static unsigned char mask_left[17][16];  /* [n]: the first n bytes 0xff */
static unsigned char mask_right[17][16]; /* [n]: the last n bytes 0xff */

static void build_padded(void)
{
    for (size_t i = 0; i < sizeof field_aliases / sizeof field_aliases[0]; i++) {
        size_t n = field_aliases[i].len;
        memcpy(alias_left[i], field_aliases[i].key, n);
        memcpy(alias_right[i] + 16 - n, field_aliases[i].key, n);
    }
    for (int n = 0; n <= 16; n++) {
        memset(mask_left[n], 0xff, (size_t)n);
        memset(mask_right[n] + 16 - n, 0xff, (size_t)n);
    }
}

int gp_field_lookup_in(const char *key, size_t n, const char *begin, const char *end)
{
    if (n < 2 || n > 15) return GP_F_UNKNOWN;
    if (!slots_built) build_slots();
    int i = slot_alias[slot_of(key, n)];
    if (i < 0) return GP_F_UNKNOWN;
    bool same;
    if (end - key >= 16) same = gp_same16_masked(key, mask_left[n], alias_left[i]);
    else if (key + n - begin >= 16) same = gp_same16_masked(key + n - 16, mask_right[n], alias_right[i]);
    else return gp_field_lookup(key, n);
    return same ? field_aliases[i].id : GP_F_UNKNOWN;
}
#else
int gp_field_lookup_in(const char *key, size_t n, const char *begin, const char *end)
{
    (void)begin;
    (void)end;
    return gp_field_lookup(key, n);
}
#endif

int gp_field_lookup(const char *key, size_t n)
{
    if (n < 2 || n > 15) return GP_F_UNKNOWN;
    if (!slots_built) build_slots();
    int i = slot_alias[slot_of(key, n)];
    if (i < 0 || field_aliases[i].len != n) return GP_F_UNKNOWN;
    return gp_bytes_equal(field_aliases[i].key, key, n) ? field_aliases[i].id : GP_F_UNKNOWN;
}

size_t gp_status_normalize(const char *s, size_t n, char *out)
{
    if (gp_status_copy_canonical(s, n, out)) return n; /* the common case, on the hot path */
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
