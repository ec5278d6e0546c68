/* band.c - occupancy bands (band.h): one definition of the edges. */
#include "band.h"

#include <stddef.h>
#include <string.h>

/* The edges as the contract states them: under is strictly below 0.60
 * (0.60 itself is healthy); healthy and high include their upper edge
 * (0.80 is healthy, 0.90 is high); burnout is strictly above 0.90. */
#define UNDER_BELOW 0.60
#define HEALTHY_UP_TO 0.80
#define HIGH_UP_TO 0.90

static const char *const band_names[GP_BAND_COUNT] = {
    [GP_BAND_UNDER] = "under",
    [GP_BAND_HEALTHY] = "healthy",
    [GP_BAND_HIGH] = "high",
    [GP_BAND_BURNOUT] = "burnout",
    [GP_BAND_NONE] = "none",
};

gp_band gp_band_of(double occupancy, bool defined)
{
    if (!defined || occupancy != occupancy) return GP_BAND_NONE;
    if (occupancy < UNDER_BELOW) return GP_BAND_UNDER;
    if (occupancy <= HEALTHY_UP_TO) return GP_BAND_HEALTHY;
    if (occupancy <= HIGH_UP_TO) return GP_BAND_HIGH;
    return GP_BAND_BURNOUT;
}

const char *gp_band_name(gp_band band)
{
    return band >= 0 && band < GP_BAND_COUNT ? band_names[band] : "none";
}

int gp_band_lookup(const char *name)
{
    for (int b = 0; b < GP_BAND_COUNT; b++)
        if (strcmp(band_names[b], name) == 0) return b;
    return -1;
}
