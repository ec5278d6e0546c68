/* Occupancy bands at and around their exact edges (band.h). */
#include "band.h"
#include "unit.h"

#include <math.h>

static void check_band(double occupancy, bool defined, gp_band want)
{
    char name[64];
    snprintf(name, sizeof name, "band of %.17g%s", occupancy, defined ? "" : " (null)");
    unit_check_str(gp_band_name(gp_band_of(occupancy, defined)), gp_band_name(want), name);
}

int main(void)
{
    check_band(0.0, true, GP_BAND_UNDER);
    check_band(nextafter(0.60, 0.0), true, GP_BAND_UNDER);
    check_band(0.60, true, GP_BAND_HEALTHY);
    check_band(3.0 / 5.0, true, GP_BAND_HEALTHY); /* interacting 3, idle 2 */
    check_band(0.80, true, GP_BAND_HEALTHY);
    check_band(4.0 / 5.0, true, GP_BAND_HEALTHY);
    check_band(nextafter(0.80, 1.0), true, GP_BAND_HIGH);
    check_band(0.90, true, GP_BAND_HIGH);
    check_band(9.0 / 10.0, true, GP_BAND_HIGH);
    check_band(nextafter(0.90, 1.0), true, GP_BAND_BURNOUT);
    check_band(1.0, true, GP_BAND_BURNOUT);
    check_band(0.75, false, GP_BAND_NONE);
    check_band(NAN, true, GP_BAND_NONE);
    for (int b = 0; b < GP_BAND_COUNT; b++)
        unit_check_long(gp_band_lookup(gp_band_name((gp_band)b)), b, "band name round trip");
    unit_check_long(gp_band_lookup("green"), -1, "unknown band name");
    return unit_exit();
}
