/* status.c - the contract's field names, their aliases, and status values. */
#include "gpulse.h"

#include <ctype.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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
#ifdef __SSE2__
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
#ifdef __SSE2__
    build_padded();
#endif
    slots_built = true;
}

/* A and B hold the same N bytes, 2 <= N <= 16: two overlapping word
 * compares instead of a call to memcmp, on the hot path. */
static bool same_short(const char *a, const char *b, size_t n)
{
    if (n >= 8) {
        uint64_t a0, b0, a1, b1;
        memcpy(&a0, a, 8);
        memcpy(&b0, b, 8);
        memcpy(&a1, a + n - 8, 8);
        memcpy(&b1, b + n - 8, 8);
        return a0 == b0 && a1 == b1;
    }
    if (n >= 4) {
        uint32_t a0, b0, a1, b1;
        memcpy(&a0, a, 4);
        memcpy(&b0, b, 4);
        memcpy(&a1, a + n - 4, 4);
        memcpy(&b1, b + n - 4, 4);
        return a0 == b0 && a1 == b1;
    }
    return a[0] == b[0] && a[1] == b[1] && a[n - 1] == b[n - 1];
}

#ifdef __SSE2__
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

static bool same16(const char *at, const unsigned char *mask, const unsigned char *alias)
{
    __m128i k = _mm_loadu_si128((const __m128i *)(const void *)at);
    __m128i m = _mm_loadu_si128((const __m128i *)(const void *)mask);
    __m128i a = _mm_loadu_si128((const __m128i *)(const void *)alias);
    return _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(k, m), a)) == 0xffff;
}

int gp_field_lookup_in(const char *key, size_t n, const char *begin, const char *end)
{
    if (n < 2 || n > 15) return GP_F_UNKNOWN;
    if (!slots_built) build_slots();
    int i = slot_alias[slot_of(key, n)];
    if (i < 0) return GP_F_UNKNOWN;
    bool same;
    if (end - key >= 16) same = same16(key, mask_left[n], alias_left[i]);
    else if (key + n - begin >= 16) same = same16(key + n - 16, mask_right[n], alias_right[i]);
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
    return same_short(field_aliases[i].key, key, n) ? field_aliases[i].id : GP_F_UNKNOWN;
}

/* The words of a status name are 'A'-'Z' joined by single '_': is every
 * byte of W one of those, with no '_' next to another?  Exact per byte (no
 * carries cross bytes), so it can stand in for the byte loop below. */
static bool canonical_word(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL, lows = ~highs;
    uint64_t x = w ^ (ones * '_');
    uint64_t is_underscore = ~(((x & lows) + lows) | x) & highs;
    uint64_t low7 = w & lows;
    uint64_t from_a = (low7 + ones * (0x80 - 'A')) & highs;
    uint64_t past_z = (low7 + ones * (0x80 - 'Z' - 1)) & highs;
    uint64_t is_upper = from_a & ~past_z & ~w & highs;
    if ((is_upper | is_underscore) != highs) return false;
    return (is_underscore & (is_underscore >> 8)) == 0;
}

static bool already_canonical(const char *s, size_t n)
{
    if (n >= 8 && n <= 15) {
        /* two overlapping words cover every pair of neighbours when n < 16 */
        uint64_t a, b;
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
        return s[0] != '_' && s[n - 1] != '_' && canonical_word(a) && canonical_word(b);
    }
    if (n == 0 || s[0] == '_' || s[n - 1] == '_') return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] == '_' && s[i - 1] != '_'))) return false;
    return true;
}

size_t gp_status_normalize(const char *s, size_t n, char *out)
{
    if (already_canonical(s, n)) { /* the common case, on the hot path */
        memcpy(out, s, n);
        out[n] = '\0';
        return n;
    }
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
