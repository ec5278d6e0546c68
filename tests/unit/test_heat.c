/* The squarified treemap (heat_treemap.c) on its own: areas proportional
 * to the inputs, inside the bounds, no overlaps, the whole space used, and
 * rectangles close to square (what squarifying is for). */
#include "heat.h"
#include "unit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int descending(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

static void check_layout(size_t n, unsigned seed)
{
    double *areas = malloc(n * sizeof *areas);
    gh_rect *out = malloc(n * sizeof *out);
    srand(seed);
    double total = 0;
    for (size_t i = 0; i < n; i++) total += areas[i] = 1 + rand() % 4000;
    qsort(areas, n, sizeof *areas, descending);
    gh_rect bounds = {10, 44, 1280, 720};
    gh_squarify(areas, n, bounds, out);
    double scale = bounds.w * bounds.h / total, covered = 0, worst_error = 0, worst_aspect = 1;
    int outside = 0, overlaps = 0;
    for (size_t i = 0; i < n; i++) {
        const gh_rect *r = &out[i];
        double err = fabs(r->w * r->h - areas[i] * scale) / (areas[i] * scale);
        if (err > worst_error) worst_error = err;
        covered += r->w * r->h;
        if (r->x < bounds.x - 1e-6 || r->y < bounds.y - 1e-6 || r->x + r->w > bounds.x + bounds.w + 1e-6 ||
            r->y + r->h > bounds.y + bounds.h + 1e-6)
            outside++;
        double aspect = r->w > r->h ? r->w / r->h : r->h / r->w;
        if (i < n / 2 && aspect > worst_aspect) worst_aspect = aspect; /* the larger half */
    }
    /* overlaps: every pair for small n, a sample of pairs for large n */
    size_t step = n > 2000 ? 97 : 1;
    for (size_t i = 0; i < n; i += step)
        for (size_t j = i + 1; j < n; j++) {
            double ox = fmin(out[i].x + out[i].w, out[j].x + out[j].w) - fmax(out[i].x, out[j].x);
            double oy = fmin(out[i].y + out[i].h, out[j].y + out[j].h) - fmax(out[i].y, out[j].y);
            if (ox > 1e-6 && oy > 1e-6) overlaps++;
        }
    char name[96];
    snprintf(name, sizeof name, "treemap of %zu: areas proportional", n);
    unit_check_double(worst_error, 0, 1e-6, name);
    snprintf(name, sizeof name, "treemap of %zu: inside the bounds", n);
    unit_check_long(outside, 0, name);
    snprintf(name, sizeof name, "treemap of %zu: no overlaps", n);
    unit_check_long(overlaps, 0, name);
    snprintf(name, sizeof name, "treemap of %zu: fills the bounds", n);
    unit_check_double(covered, bounds.w * bounds.h, 1e-3, name);
    if (n >= 40) {
        snprintf(name, sizeof name, "treemap of %zu: larger half within aspect 1:4", n);
        unit_check(worst_aspect <= 4, name, "a long thin rectangle among the larger ones");
    }
    free(areas);
    free(out);
}

/* Read the rows of TEXT (NDJSON) into M, through a temporary file as a
 * tool reads its input. */
static void model_read(gh_model *m, const char *text)
{
    char path[] = "/tmp/test-heat.XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    char *files[] = {path, NULL};
    gp_reader *rd = gp_reader_new(files, GP_FMT_AUTO);
    gp_record *r;
    gp_error err;
    while (gp_reader_next(rd, &r) == 1)
        unit_check(gh_model_add(m, r, &err) == GH_IN_ROW, "detach: a row is read", err.msg);
    gp_reader_free(rd);
    unlink(path);
}

/* gheat --serve takes a view under its lock, detaches it and draws it
 * outside the lock while the record loop replaces the agents it was built
 * from: the detached view must draw the same picture after that (under
 * ASan, a view still pointing into the model reads freed memory). */
static void check_detach(void)
{
    gh_model_config mc = {0};
    gh_model *m = gh_model_new(&mc);
    model_read(m, "{\"user_id\":\"a\",\"period\":\"2026-11-02\",\"name\":\"Ann\",\"cohort\":\"voice\",\"occupancy\":0.55}\n"
                  "{\"user_id\":\"b\",\"period\":\"2026-11-02\",\"cohort\":\"voice\",\"occupancy\":0.85}\n"
                  "{\"user_id\":\"c\",\"period\":\"2026-11-02\",\"name\":\"Cy\",\"cohort\":\"email\",\"occupancy\":0.95}\n");
    gh_view v;
    gh_view_build(&v, m, &(gh_view_config){.by = GH_BY_COHORT, .canvas = {0, 40, 800, 560}});
    gh_view_detach(&v);
    gh_draw_config dc = {.width = 800, .height = 600};
    gp_buf before = {0}, after = {0};
    gh_svg_write(&before, &v, &dc);
    /* the same agents again, other figures: the model frees the old ones */
    model_read(m, "{\"user_id\":\"a\",\"period\":\"2026-11-02\",\"name\":\"Anne\",\"cohort\":\"chat\",\"occupancy\":0.15}\n"
                  "{\"user_id\":\"b\",\"period\":\"2026-11-02\",\"cohort\":\"chat\",\"occupancy\":0.25}\n"
                  "{\"user_id\":\"c\",\"period\":\"2026-11-02\",\"name\":\"Cyd\",\"cohort\":\"chat\",\"occupancy\":0.35}\n");
    gh_svg_write(&after, &v, &dc);
    unit_check(before.len == after.len && memcmp(before.data, after.data, before.len) == 0,
               "detach: the view draws the same after the model changed", "the drawing changed");
    long owned = 0;
    for (size_t i = 0; i < v.nitems; i++) owned += v.items[i].agent >= v.owned && v.items[i].agent < v.owned + v.nitems;
    unit_check_long(owned, 3, "detach: every item points to the view's own copy");
    unit_check(strstr(after.data, "Ann") && strstr(after.data, "Cy") && !strstr(after.data, "Anne"),
               "detach: the names of when the view was taken", "other names drawn");
    gh_view_free(&v);
    gp_buf_free(&before);
    gp_buf_free(&after);
    gh_model_free(m);
}

int main(void)
{
    check_detach();
    check_layout(1, 1);
    check_layout(7, 2);
    check_layout(40, 3);
    check_layout(10000, 4);
    /* equal areas in a square: a perfect grid of squares */
    double four[4] = {1, 1, 1, 1};
    gh_rect out[4];
    gh_squarify(four, 4, (gh_rect){0, 0, 100, 100}, out);
    int squares = 0;
    for (int i = 0; i < 4; i++) squares += fabs(out[i].w - 50) < 1e-9 && fabs(out[i].h - 50) < 1e-9;
    unit_check_long(squares, 4, "four equal areas in a square: four squares");
    return unit_exit();
}
