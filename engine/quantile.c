/* quantile.c - type 7 percentiles (see quantile.h). */
#include "quantile.h"

#include <math.h>
#include <stdlib.h>

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void gp_sort_doubles(double *v, size_t n)
{
    if (n > 1) qsort(v, n, sizeof *v, compare_doubles);
}

/* numpy's lerp: from the nearer end, so that t = 1 gives b exactly and the
 * result never leaves [a, b]. */
static double lerp(double a, double b, double t)
{
    double diff = b - a;
    return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

double gp_quantile_sorted(const double *sorted, size_t n, double p)
{
    if (n == 0) return NAN;
    if (p <= 0) return sorted[0];
    if (p >= 100) return sorted[n - 1];
    /* (n-1)*p is exact for whole percentages, and one division by 100
     * then lands exactly on whole ranks: 30 * 10 / 100 is 3, where
     * 30 * 0.1 would be 3.0000000000000004 and pull in the next value. */
    double h = (double)(n - 1) * p / 100.0;
    double whole = nearbyint(h);
    if (fabs(h - whole) < 1e-9) h = whole;
    size_t lo = (size_t)floor(h);
    size_t hi = (size_t)ceil(h);
    if (hi >= n) hi = n - 1;
    if (lo == hi) return sorted[lo];
    return lerp(sorted[lo], sorted[hi], h - (double)lo);
}
