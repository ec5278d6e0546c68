/* band.h - occupancy bands, the one definition glive and gheat share
 * (gpulse(7), COLOURS AND BANDS).
 *
 * Membership at the edges is exact, on the occupancy ratio as read or
 * computed (no rounding first):
 *   under    occupancy <  0.60
 *   healthy  0.60 <= occupancy <= 0.80
 *   high     0.80 <  occupancy <= 0.90
 *   burnout  occupancy >  0.90
 *   none     no occupancy (null: no interacting or idle time), or an agent
 *            whose sample is too small to judge (gbucket's
 *            insufficient_sample) */
#ifndef GPULSE_BAND_H
#define GPULSE_BAND_H

#include <stdbool.h>

typedef enum gp_band {
    GP_BAND_UNDER = 0,
    GP_BAND_HEALTHY,
    GP_BAND_HIGH,
    GP_BAND_BURNOUT,
    GP_BAND_NONE,
    GP_BAND_COUNT
} gp_band;

/* The band of an occupancy ratio; DEFINED false (a null occupancy) gives
 * GP_BAND_NONE.  A NaN also gives GP_BAND_NONE. */
gp_band gp_band_of(double occupancy, bool defined);
/* "under", "healthy", "high", "burnout", "none": the names in records
 * (glive's band field, tick band counts, gheat's data-band). */
const char *gp_band_name(gp_band band);
/* The band named NAME, or -1. */
int gp_band_lookup(const char *name);

#endif
