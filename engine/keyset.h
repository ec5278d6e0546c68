/* keyset.h - a set of byte strings (dedupe keys) with O(1) clearing. */
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
void gp_keyset_free(gp_keyset *s);

#endif
