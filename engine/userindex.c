/* userindex.c - users by (org, user_id): see userindex.h. */
#include "userindex.h"

#include <stdlib.h>

uint64_t gp_user_hash(gp_str org, gp_str id)
{
    return gp_hash(id.p, id.n, gp_hash(org.p, org.n, 0x11fe));
}

long gp_user_index_find(const gp_user_index *ix, uint64_t hash, gp_user_is is, const void *users, gp_str org,
                        gp_str id)
{
    if (ix->nslots == 0) return -1;
    size_t mask = ix->nslots - 1;
    for (size_t i = (size_t)hash & mask; ix->slots[i].number; i = (i + 1) & mask)
        if (ix->slots[i].hash == hash && is(users, ix->slots[i].number - 1, org, id))
            return (long)(ix->slots[i].number - 1);
    return -1;
}

static void put(gp_user_slot *slots, size_t nslots, gp_user_slot s)
{
    size_t i = (size_t)s.hash & (nslots - 1);
    while (slots[i].number) i = (i + 1) & (nslots - 1);
    slots[i] = s;
}

void gp_user_index_add(gp_user_index *ix, uint64_t hash, size_t number)
{
    /* at most half full: probes stay short */
    if ((ix->count + 1) * 2 > ix->nslots) {
        size_t nslots = ix->nslots ? ix->nslots * 2 : 1024;
        gp_user_slot *slots = gp_xcalloc(nslots, sizeof *slots);
        for (size_t i = 0; i < ix->nslots; i++)
            if (ix->slots[i].number) put(slots, nslots, ix->slots[i]);
        free(ix->slots);
        ix->slots = slots;
        ix->nslots = nslots;
    }
    put(ix->slots, ix->nslots, (gp_user_slot){hash, number + 1});
    ix->count++;
}

void gp_user_index_free(gp_user_index *ix)
{
    free(ix->slots);
    *ix = (gp_user_index){0};
}
