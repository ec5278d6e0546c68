/* keyset.c - open-addressing sets for gdedupe's keys.
 *
 * Every table here has a power-of-two size, probes linearly and grows at
 * three quarters full, so a held key costs its slot over a load between
 * 3/8 and 3/4.  gp_keyset's clearing bumps a generation number instead of
 * wiping the table, so a dedupe that clears at every user (or start) stays
 * O(1) per record however large the table once grew. */
#include "keyset.h"

#include "gpulse.h"

#include <stdlib.h>
#include <string.h>

static bool over_three_quarters(size_t count, size_t mask) { return count * 4 > (mask + 1) * 3; }

/* --- gp_keyset: byte strings ------------------------------------------------
 * A slot holds the hash's high half (to skip most comparisons) and where
 * the key is in the arena; the arena holds each key's length then its
 * bytes. */

typedef struct slot {
    uint32_t tag;
    uint32_t generation; /* the slot is in use when it equals the set's */
    size_t offset;       /* into arena */
} slot;

struct gp_keyset {
    slot *slots;
    size_t mask, count;
    uint32_t generation;
    gp_buf arena;
};

static const uint64_t keyset_seed = 0x5eed;

gp_keyset *gp_keyset_new(void)
{
    gp_keyset *s = gp_xcalloc(1, sizeof *s);
    s->mask = 1023;
    s->slots = gp_xcalloc(s->mask + 1, sizeof *s->slots);
    s->generation = 1;
    return s;
}

static gp_str arena_key(const gp_keyset *s, size_t offset)
{
    uint32_t len;
    memcpy(&len, s->arena.data + offset, sizeof len);
    return (gp_str){s->arena.data + offset + sizeof len, len};
}

static void keyset_grow(gp_keyset *s)
{
    size_t old_size = s->mask + 1;
    slot *old = s->slots;
    s->mask = old_size * 2 - 1;
    s->slots = gp_xcalloc(s->mask + 1, sizeof *s->slots);
    for (size_t i = 0; i < old_size; i++) {
        if (old[i].generation != s->generation) continue;
        gp_str key = arena_key(s, old[i].offset);
        size_t j = gp_hash(key.p, key.n, keyset_seed) & s->mask;
        while (s->slots[j].generation == s->generation) j = (j + 1) & s->mask;
        s->slots[j] = old[i];
    }
    free(old);
}

bool gp_keyset_insert(gp_keyset *s, const void *key, size_t n)
{
    uint64_t h = gp_hash(key, n, keyset_seed);
    uint32_t tag = (uint32_t)(h >> 32);
    size_t j = h & s->mask;
    while (s->slots[j].generation == s->generation) {
        const slot *e = &s->slots[j];
        if (e->tag == tag) {
            gp_str held = arena_key(s, e->offset);
            if (held.n == n && memcmp(held.p, key, n) == 0) return false;
        }
        j = (j + 1) & s->mask;
    }
    if (n > UINT32_MAX) gp_die("a dedupe key of %zu bytes is too long", n);
    uint32_t len = (uint32_t)n;
    s->slots[j] = (slot){tag, s->generation, s->arena.len};
    gp_buf_add(&s->arena, &len, sizeof len);
    gp_buf_add(&s->arena, key, n);
    if (over_three_quarters(++s->count, s->mask)) keyset_grow(s);
    return true;
}

void gp_keyset_clear(gp_keyset *s)
{
    s->count = 0;
    s->arena.len = 0;
    if (++s->generation == 0) { /* wrapped: wipe for real once in 4 billion */
        memset(s->slots, 0, (s->mask + 1) * sizeof *s->slots);
        s->generation = 1;
    }
}

size_t gp_keyset_count(const gp_keyset *s) { return s->count; }

size_t gp_keyset_bytes(const gp_keyset *s) { return (s->mask + 1) * sizeof *s->slots + s->arena.cap; }

void gp_keyset_free(gp_keyset *s)
{
    if (!s) return;
    free(s->slots);
    gp_buf_free(&s->arena);
    free(s);
}

/* --- gp_intern: byte strings numbered in order of first sight --------------
 * slots hold number + 1 (0 = empty); per number, its hash and where its
 * bytes are in the arena. */

struct gp_intern {
    uint32_t *slots;
    size_t mask;
    uint64_t *hashes;
    size_t *offsets; /* into arena: length then bytes, as gp_keyset's */
    size_t count, cap;
    gp_buf arena;
};

gp_intern *gp_intern_new(void)
{
    gp_intern *t = gp_xcalloc(1, sizeof *t);
    t->mask = 255;
    t->slots = gp_xcalloc(t->mask + 1, sizeof *t->slots);
    return t;
}

static void intern_grow(gp_intern *t)
{
    free(t->slots);
    t->mask = t->mask * 2 + 1;
    t->slots = gp_xcalloc(t->mask + 1, sizeof *t->slots);
    for (size_t id = 0; id < t->count; id++) {
        size_t j = t->hashes[id] & t->mask;
        while (t->slots[j]) j = (j + 1) & t->mask;
        t->slots[j] = (uint32_t)(id + 1);
    }
}

uint32_t gp_intern_id(gp_intern *t, const void *key, size_t n)
{
    uint64_t h = gp_hash(key, n, keyset_seed);
    size_t j = h & t->mask;
    for (; t->slots[j]; j = (j + 1) & t->mask) {
        uint32_t id = t->slots[j] - 1;
        if (t->hashes[id] != h) continue;
        uint32_t len;
        memcpy(&len, t->arena.data + t->offsets[id], sizeof len);
        if (len == n && memcmp(t->arena.data + t->offsets[id] + sizeof len, key, n) == 0) return id;
    }
    /* UINT32_MAX - 1 numbers at most: the slot stores number + 1, and
     * gp_segkeyset keeps UINT32_MAX for an empty slot */
    if (t->count >= UINT32_MAX - 1 || n > UINT32_MAX) gp_die("too many distinct keys to number");
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->hashes = gp_xrealloc(t->hashes, t->cap * sizeof *t->hashes);
        t->offsets = gp_xrealloc(t->offsets, t->cap * sizeof *t->offsets);
    }
    uint32_t id = (uint32_t)t->count++;
    uint32_t len = (uint32_t)n;
    t->hashes[id] = h;
    t->offsets[id] = t->arena.len;
    gp_buf_add(&t->arena, &len, sizeof len);
    gp_buf_add(&t->arena, key, n);
    t->slots[j] = id + 1;
    if (over_three_quarters(t->count, t->mask)) intern_grow(t);
    return id;
}

size_t gp_intern_count(const gp_intern *t) { return t->count; }

void gp_intern_free(gp_intern *t)
{
    if (!t) return;
    free(t->slots);
    free(t->hashes);
    free(t->offsets);
    gp_buf_free(&t->arena);
    free(t);
}

/* --- gp_segkeyset: 16-byte segment keys in the table itself ---------------- */

/* A slot whose user is this is empty (an enum cannot hold UINT32_MAX in C11). */
static const uint32_t EMPTY_USER = UINT32_MAX;

struct gp_segkeyset {
    gp_segkey *slots;
    size_t mask, count;
};

static void mark_empty(gp_segkey *slots, size_t n)
{
    for (size_t i = 0; i < n; i++) slots[i].user = EMPTY_USER;
}

gp_segkeyset *gp_segkeyset_new(void)
{
    gp_segkeyset *s = gp_xcalloc(1, sizeof *s);
    s->mask = 1023;
    s->slots = gp_xmalloc((s->mask + 1) * sizeof *s->slots);
    mark_empty(s->slots, s->mask + 1);
    return s;
}

static uint64_t segkey_hash(gp_segkey k)
{
    uint64_t h = (uint64_t)k.start * 0x9e3779b97f4a7c15ULL;
    h ^= ((uint64_t)k.user << 32 | k.status) * 0xff51afd7ed558ccdULL;
    h ^= h >> 29;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 32);
}

static void segkeyset_place(gp_segkey *slots, size_t mask, gp_segkey k)
{
    size_t j = segkey_hash(k) & mask;
    while (slots[j].user != EMPTY_USER) j = (j + 1) & mask;
    slots[j] = k;
}

static void segkeyset_grow(gp_segkeyset *s)
{
    size_t old_size = s->mask + 1;
    gp_segkey *old = s->slots;
    s->mask = old_size * 2 - 1;
    s->slots = gp_xmalloc((s->mask + 1) * sizeof *s->slots);
    mark_empty(s->slots, s->mask + 1);
    for (size_t i = 0; i < old_size; i++)
        if (old[i].user != EMPTY_USER) segkeyset_place(s->slots, s->mask, old[i]);
    free(old);
}

bool gp_segkeyset_insert(gp_segkeyset *s, gp_segkey k)
{
    size_t j = segkey_hash(k) & s->mask;
    for (; s->slots[j].user != EMPTY_USER; j = (j + 1) & s->mask) {
        const gp_segkey *e = &s->slots[j];
        if (e->start == k.start && e->user == k.user && e->status == k.status) return false;
    }
    s->slots[j] = k;
    if (over_three_quarters(++s->count, s->mask)) segkeyset_grow(s);
    return true;
}

size_t gp_segkeyset_count(const gp_segkeyset *s) { return s->count; }

size_t gp_segkeyset_bytes(const gp_segkeyset *s) { return (s->mask + 1) * sizeof *s->slots; }

void gp_segkeyset_free(gp_segkeyset *s)
{
    if (!s) return;
    free(s->slots);
    free(s);
}
