/* heat_treemap.c - the squarified treemap of Bruls, Huijsmans and van Wijk
 * (2000).
 *
 * Rectangles are laid out in rows along the shorter side of the space
 * that is left.  A row takes the next area while that does not make its
 * worst aspect ratio worse; then the row is fixed as a strip and the rest
 * of the space gets the next row.  Areas come sorted largest first, which
 * is what keeps the rectangles close to square. */
#include "heat.h"

#include <stdlib.h>

/* The worst aspect ratio in a row of total area SUM, smallest area MIN and
 * largest MAX laid along a side of length SIDE: the paper's worst(). */
static double worst_ratio(double sum, double min, double max, double side)
{
    double side2 = side * side, sum2 = sum * sum;
    double a = side2 * max / sum2, b = sum2 / (side2 * min);
    return a > b ? a : b;
}

/* Lay out AREAS[0..n) (scaled) as one strip along the shorter side of
 * *SPACE; the strip is cut off *SPACE.  LAST: the strip takes all that is
 * left, so rounding leaves no gap at the far edge. */
static void lay_row(const double *areas, size_t n, double sum, gh_rect *space, bool last, gh_rect *out)
{
    bool vertical = space->w >= space->h; /* the strip stands at the left */
    double side = vertical ? space->h : space->w;
    double thickness = side > 0 ? sum / side : 0;
    if (last || thickness > (vertical ? space->w : space->h)) thickness = vertical ? space->w : space->h;
    double pos = vertical ? space->y : space->x;
    double end = pos + side;
    for (size_t i = 0; i < n; i++) {
        double length = thickness > 0 ? areas[i] / thickness : 0;
        if (i == n - 1) length = end - pos; /* the last one reaches the end exactly */
        if (vertical) out[i] = (gh_rect){space->x, pos, thickness, length};
        else out[i] = (gh_rect){pos, space->y, length, thickness};
        pos += length;
    }
    if (vertical) {
        space->x += thickness;
        space->w -= thickness;
    } else {
        space->y += thickness;
        space->h -= thickness;
    }
    if (space->w < 0) space->w = 0;
    if (space->h < 0) space->h = 0;
}

void gh_squarify(const double *areas, size_t n, gh_rect bounds, gh_rect *out)
{
    if (n == 0) return;
    double total = 0;
    for (size_t i = 0; i < n; i++) total += areas[i];
    double scale = total > 0 ? bounds.w * bounds.h / total : 0;
    double *scaled = gp_xmalloc(n * sizeof *scaled);
    for (size_t i = 0; i < n; i++) scaled[i] = areas[i] * scale;

    gh_rect space = bounds;
    size_t start = 0;
    while (start < n) {
        double side = space.w < space.h ? space.w : space.h;
        double sum = 0, min = 0, max = 0, worst = 0;
        size_t end = start;
        while (end < n) {
            double a = scaled[end];
            double nsum = sum + a;
            double nmin = end == start || a < min ? a : min;
            double nmax = end == start || a > max ? a : max;
            double nworst = side > 0 && nmin > 0 ? worst_ratio(nsum, nmin, nmax, side) : 0;
            if (end > start && nworst > worst) break;
            sum = nsum, min = nmin, max = nmax, worst = nworst;
            end++;
        }
        lay_row(scaled + start, end - start, sum, &space, end == n, out + start);
        start = end;
    }
    free(scaled);
}
