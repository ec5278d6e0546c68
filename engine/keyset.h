/* keyset.h - the sets gdedupe keeps its keys in.
 *
 * gp_keyset: byte strings (any --key), with O(1) clearing.
 * gp_intern: byte strings numbered in order of first sight (users and
 *   statuses), so that a held segment key is three numbers.
 * gp_segkeyset: fixed 16-byte segment keys (start, user number, status
 *   number) held in the table itself: what `gdedupe --unsorted` keeps per
 *   distinct segment, about 30 bytes a key. */
#ifndef GPULSE_KEYSET_H
#define GPULSE_KEYSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct gp_keyset gp_keyset;

gp_keyset *gp_keyset_new(void);
/* Insert KEY; returns true when it was new, false when already present. */
bool gp_keyset_insert(gp_keyset *s, const void *key, size_t n);
/* Forget every key (cheap: memory is kept for reuse). */
void gp_keyset_clear(gp_keyset *s);
size_t gp_keyset_count(const gp_keyset *s);
/* Bytes of memory the set holds (table and keys). */
size_t gp_keyset_bytes(const gp_keyset *s);
void gp_keyset_free(gp_keyset *s);

typedef struct gp_intern gp_intern;

gp_intern *gp_intern_new(void);
/* The number of KEY: 0 for the first distinct key, 1 for the next... */
uint32_t gp_intern_id(gp_intern *t, const void *key, size_t n);
size_t gp_intern_count(const gp_intern *t);
void gp_intern_free(gp_intern *t);

typedef struct gp_segkey {
    int64_t start;   /* ms since the epoch */
    uint32_t user;   /* gp_intern number of (org, user_id) */
    uint32_t status; /* gp_intern number of the timeline and status */
} gp_segkey;

typedef struct gp_segkeyset gp_segkeyset;

gp_segkeyset *gp_segkeyset_new(void);
/* Insert K; returns true when it was new.  K.user must be below UINT32_MAX. */
bool gp_segkeyset_insert(gp_segkeyset *s, gp_segkey k);
size_t gp_segkeyset_count(const gp_segkeyset *s);
size_t gp_segkeyset_bytes(const gp_segkeyset *s);
void gp_segkeyset_free(gp_segkeyset *s);

#endif
