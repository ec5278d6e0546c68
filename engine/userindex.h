/* userindex.h - the table an engine finds its users in, by (org, user_id).
 *
 * The engine keeps its users in its own array, numbered from 0; the index
 * maps a key to that number.  Open addressing whose slots hold the key's
 * hash as well as the number, so that a lookup reads only the slots and the
 * one user it finds (with many users, every other read is a cache miss):
 *
 *     uint64_t h = gp_user_hash(org, id);
 *     long n = gp_user_index_find(&ix, h, same_user, users, org, id);
 *     if (n < 0) { n = nusers++; ...make users[n]...; gp_user_index_add(&ix, h, (size_t)n); } */
#ifndef GPULSE_USERINDEX_H
#define GPULSE_USERINDEX_H

#include "gpulse.h"

typedef struct gp_user_slot {
    uint64_t hash;
    size_t number; /* user number + 1; 0 = free */
} gp_user_slot;

typedef struct gp_user_index {
    gp_user_slot *slots;
    size_t nslots, count;
} gp_user_index; /* all zero = empty */

uint64_t gp_user_hash(gp_str org, gp_str id);
/* Is user NUMBER of USERS (the engine's array) the one keyed (ORG, ID)? */
typedef bool (*gp_user_is)(const void *users, size_t number, gp_str org, gp_str id);
/* The number of the user keyed (ORG, ID) whose hash is HASH, or -1. */
long gp_user_index_find(const gp_user_index *ix, uint64_t hash, gp_user_is is, const void *users, gp_str org,
                        gp_str id);
/* User NUMBER has hash HASH (and is not in the index yet). */
void gp_user_index_add(gp_user_index *ix, uint64_t hash, size_t number);
void gp_user_index_free(gp_user_index *ix);

#endif
