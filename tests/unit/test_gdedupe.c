/* Unit tests of gdedupe's key sets (engine/keyset.c): exact membership,
 * numbering, and what a held key costs. */
#include "keyset.h"
#include "unit.h"

#include <stdio.h>

static void test_segkeyset(void)
{
    enum { N = 1000000 };
    gp_segkeyset *s = gp_segkeyset_new();
    long inserted = 0, again = 0;
    /* keys that differ in one part only: start, user or status */
    for (uint32_t i = 0; i < N; i++) {
        gp_segkey k = {1793000000000 + (int64_t)(i / 8) * 1000, i % 4, (i / 4) % 2};
        inserted += gp_segkeyset_insert(s, k);
    }
    for (uint32_t i = 0; i < N; i += 7) {
        gp_segkey k = {1793000000000 + (int64_t)(i / 8) * 1000, i % 4, (i / 4) % 2};
        again += gp_segkeyset_insert(s, k);
    }
    unit_check_long(inserted, N, "segkeyset: every distinct key is new");
    unit_check_long(again, 0, "segkeyset: a repeated key is not new");
    unit_check_long((long long)gp_segkeyset_count(s), N, "segkeyset: count");
    gp_segkey other = {1793000000000, 0, 2};
    unit_check(gp_segkeyset_insert(s, other), "segkeyset: another status is another key", "not new");
    double per_key = (double)gp_segkeyset_bytes(s) / (double)gp_segkeyset_count(s);
    char why[64];
    snprintf(why, sizeof why, "%.1f bytes a key", per_key);
    unit_check(per_key <= 48, "segkeyset: at most 48 bytes a held key", why);
    gp_segkeyset_free(s);
}

static void test_intern(void)
{
    gp_intern *t = gp_intern_new();
    char name[32];
    long wrong = 0;
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 5000; i++) {
            int n = snprintf(name, sizeof name, "user-%d", i);
            if (gp_intern_id(t, name, (size_t)n) != (uint32_t)i) wrong++;
        }
    unit_check_long(wrong, 0, "intern: numbers in order of first sight, the same on a repeat");
    unit_check_long((long long)gp_intern_count(t), 5000, "intern: count");
    /* a prefix and an empty key are keys of their own */
    unit_check_long(gp_intern_id(t, "user-1", 5), 5000, "intern: a prefix is a new key");
    unit_check_long(gp_intern_id(t, "", 0), 5001, "intern: the empty key");
    gp_intern_free(t);
}

static void test_keyset(void)
{
    gp_keyset *s = gp_keyset_new();
    char key[32];
    long inserted = 0, again = 0;
    for (int i = 0; i < 100000; i++) inserted += gp_keyset_insert(s, key, (size_t)snprintf(key, sizeof key, "k%d", i));
    for (int i = 0; i < 100000; i += 3) again += gp_keyset_insert(s, key, (size_t)snprintf(key, sizeof key, "k%d", i));
    unit_check_long(inserted, 100000, "keyset: every distinct key is new");
    unit_check_long(again, 0, "keyset: a repeated key is not new");
    unit_check(gp_keyset_insert(s, "k1", 1), "keyset: a prefix is a new key", "not new");
    gp_keyset_clear(s);
    unit_check_long((long long)gp_keyset_count(s), 0, "keyset: clear forgets");
    unit_check(gp_keyset_insert(s, "k5", 2), "keyset: a key is new again after clear", "not new");
    gp_keyset_free(s);
}

int main(void)
{
    test_segkeyset();
    test_intern();
    test_keyset();
    return unit_failures ? 1 : 0;
}
