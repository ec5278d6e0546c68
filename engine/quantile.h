/* quantile.h - percentiles the way pandas computes them by default.
 *
 * Linear interpolation between closest ranks (Hyndman & Fan type 7, R's
 * default, numpy's and pandas' "linear"): sort the n values ascending,
 * h = (n - 1) * p / 100, and interpolate between x[floor h] and x[ceil h].
 * gbucket's thresholds are these quantiles of a pool's occupancies and NRT
 * rates. */
#ifndef GPULSE_QUANTILE_H
#define GPULSE_QUANTILE_H

#include <stddef.h>

/* Sort V[0..n) ascending in place (NaN must not occur). */
void gp_sort_doubles(double *v, size_t n);

/* The P-th percentile (0 <= P <= 100) of SORTED[0..n), n >= 1. */
double gp_quantile_sorted(const double *sorted, size_t n, double p);

#endif
