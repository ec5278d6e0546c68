/* keyset.c - open addressing over 64-bit hashes, keys kept in one arena.
 *
 * Clearing bumps a generation number instead of wiping the table, so a
 * sorted-input dedupe that clears at every user (or start) stays O(1) per
 * record however large the table once grew. */
#include "keyset.h"

#include "gpulse.h"

#include <stdlib.h>
#include <string.h>

typedef struct slot {
    uint64_t hash;
    size_t offset; /* into arena */
    uint32_t len;
    uint32_t generation; /* slot is in use when it equals the set's */
} slot;

struct gp_keyset {
    slot *slots;
    size_t mask, count;
    uint32_t generation;
    gp_buf arena;
};

gp_keyset *gp_keyset_new(void)
{
    gp_keyset *s = gp_xcalloc(1, sizeof *s);
    s->mask = 1023;
    s->slots = gp_xcalloc(s->mask + 1, sizeof *s->slots);
    s->generation = 1;
    return s;
}

static void grow(gp_keyset *s)
{
    size_t old_size = s->mask + 1;
    slot *old = s->slots;
    s->mask = old_size * 2 - 1;
    s->slots = gp_xcalloc(s->mask + 1, sizeof *s->slots);
    for (size_t i = 0; i < old_size; i++) {
        if (old[i].generation != s->generation) continue;
        size_t j = old[i].hash & s->mask;
        while (s->slots[j].generation == s->generation) j = (j + 1) & s->mask;
        s->slots[j] = old[i];
    }
    free(old);
}

bool gp_keyset_insert(gp_keyset *s, const void *key, size_t n)
{
    uint64_t h = gp_hash(key, n, 0x5eed);
    size_t j = h & s->mask;
    while (s->slots[j].generation == s->generation) {
        slot *e = &s->slots[j];
        if (e->hash == h && e->len == n && memcmp(s->arena.data + e->offset, key, n) == 0)
            return false;
        j = (j + 1) & s->mask;
    }
    s->slots[j].hash = h;
    s->slots[j].offset = s->arena.len;
    s->slots[j].len = (uint32_t)n;
    s->slots[j].generation = s->generation;
    gp_buf_add(&s->arena, key, n);
    if (++s->count * 2 > s->mask) grow(s);
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

void gp_keyset_free(gp_keyset *s)
{
    if (!s) return;
    free(s->slots);
    gp_buf_free(&s->arena);
    free(s);
}
