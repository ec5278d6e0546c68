/* heat_term.c - the treemap in a terminal: 24-bit ANSI colours and the
 * upper half block, so one character cell holds two pixels stacked (a
 * cell is about twice as tall as wide: the pixels come out square).
 * Each agent's top row and left column are drawn darker, as its border;
 * agents with room get their name and occupancy written on them. */
#include "heat.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define HALF_BLOCK "\xe2\x96\x80"

typedef struct cell {
    int top, bottom;      /* item index per pixel, -1 = nothing */
    bool top_edge, bottom_edge;
    char text[4];         /* a label character, UTF-8 */
    unsigned char text_len; /* 0 = none */
} cell;

typedef struct colour {
    int r, g, b;
} colour;

static colour pixel_colour(const gh_view *v, int palette, int item, bool edge)
{
    if (item < 0) return (colour){0, 0, 0};
    const gh_item *it = &v->items[item];
    const gh_band_style *st = gh_band_style_of(palette, it->stale ? GP_BAND_NONE : it->band);
    colour c = {st->rgb[0], st->rgb[1], st->rgb[2]};
    if (edge) c = (colour){c.r * 3 / 5, c.g * 3 / 5, c.b * 3 / 5};
    return c;
}

/* The item covering pixel (X, Y): the one whose rectangle holds its centre. */
static void raster(const gh_view *v, cell *cells, int cols, int map_rows)
{
    for (int i = 0; i < cols * map_rows; i++) cells[i] = (cell){.top = -1, .bottom = -1};
    for (size_t k = 0; k < v->nitems; k++) {
        const gh_rect *r = &v->items[k].rect;
        int x0 = (int)(r->x + 0.5), x1 = (int)(r->x + r->w + 0.5);
        int y0 = (int)(r->y + 0.5), y1 = (int)(r->y + r->h + 0.5);
        for (int y = y0; y < y1 && y < map_rows * 2; y++) {
            for (int x = x0; x < x1 && x < cols; x++) {
                cell *c = &cells[(y / 2) * cols + x];
                bool edge = (y == y0 || x == x0) && (x1 - x0 > 1 && y1 - y0 > 1);
                if (y % 2 == 0) c->top = (int)k, c->top_edge = edge;
                else c->bottom = (int)k, c->bottom_edge = edge;
            }
        }
    }
}

/* The character at S (N bytes, N > 0): its length in bytes, and in
 * *PRINTABLE whether it may be printed as it is.  Control characters
 * (C0, DEL, C1: a name must not move the cursor or change colours) are
 * not; a malformed sequence is one byte that is not. */
static size_t next_char(const unsigned char *s, size_t n, bool *printable)
{
    *printable = s[0] >= 0x20 && s[0] < 0x7F;
    if (s[0] < 0x80) return 1;
    size_t len;
    uint32_t cp;
    if (s[0] >= 0xC2 && s[0] <= 0xDF) len = 2, cp = s[0] & 0x1Fu;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF) len = 3, cp = s[0] & 0x0Fu;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4) len = 4, cp = s[0] & 0x07u;
    else return 1;
    if (n < len) return 1;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 1;
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 1;
    *printable = cp >= 0xA0;
    return len;
}

/* Up to MAX characters of S from (ROW, COL): one cell per code point;
 * what cannot be printed shows as '?'. */
static void write_text_at(cell *cells, int cols, int row, int col, int max, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);
    for (int i = 0; left && i < max && col + i < cols; i++) {
        cell *c = &cells[row * cols + col + i];
        bool printable;
        size_t len = next_char(p, left, &printable);
        if (printable) memcpy(c->text, p, len);
        else c->text[0] = '?';
        c->text_len = (unsigned char)(printable ? len : 1);
        p += len;
        left -= len;
    }
}

static void labels(const gh_view *v, cell *cells, int cols, int map_rows)
{
    for (size_t k = 0; k < v->nitems; k++) {
        const gh_item *it = &v->items[k];
        int col = (int)(it->rect.x + 0.5) + 1, width = (int)(it->rect.x + it->rect.w + 0.5) - col;
        int row = ((int)(it->rect.y + 0.5) + 2) / 2, last = ((int)(it->rect.y + it->rect.h + 0.5)) / 2 - 1;
        if (width < 6 || last - row < 1 || last >= map_rows) continue;
        write_text_at(cells, cols, row, col, width, it->name);
        char occ[16];
        if (it->agent->has_occupancy) snprintf(occ, sizeof occ, "%.0f%%", it->agent->occupancy * 100);
        else snprintf(occ, sizeof occ, "-");
        write_text_at(cells, cols, row + 1, col, width, occ);
    }
}

static void set_colours(gp_buf *out, colour fg, colour bg)
{
    gp_buf_printf(out, "\x1b[38;2;%d;%d;%dm\x1b[48;2;%d;%d;%dm", fg.r, fg.g, fg.b, bg.r, bg.g, bg.b);
}

static void map_rows_write(gp_buf *out, const gh_view *v, const cell *cells, int palette, int cols, int map_rows)
{
    for (int y = 0; y < map_rows; y++) {
        colour last_fg = {-1, -1, -1}, last_bg = {-1, -1, -1};
        for (int x = 0; x < cols; x++) {
            const cell *c = &cells[y * cols + x];
            colour fg, bg;
            if (c->text_len) {
                bg = pixel_colour(v, palette, c->top, false);
                const gh_band_style *st = gh_band_style_of(palette, v->items[c->top].band);
                fg = st->text[1] == 'F' ? (colour){255, 255, 255} : (colour){26, 26, 26};
            } else {
                fg = pixel_colour(v, palette, c->top, c->top_edge);
                bg = pixel_colour(v, palette, c->bottom, c->bottom_edge);
            }
            if (memcmp(&fg, &last_fg, sizeof fg) != 0 || memcmp(&bg, &last_bg, sizeof bg) != 0)
                set_colours(out, fg, bg);
            last_fg = fg, last_bg = bg;
            if (c->text_len) gp_buf_add(out, c->text, c->text_len);
            else gp_buf_adds(out, HALF_BLOCK);
        }
        gp_buf_adds(out, "\x1b[0m\n");
    }
}

void gh_term_write(gp_buf *out, const gh_view *v, int palette, int cols, int rows)
{
    int map_rows = rows - 3;
    if (cols < 20) cols = 20;
    if (map_rows < 2) map_rows = 2;
    char occ[32] = "no data";
    if (v->has_occupancy) snprintf(occ, sizeof occ, "%.1f%%", v->occupancy * 100);
    gp_buf_printf(out, "\x1b[1mgheat\x1b[0m  floor occupancy %s  %zu agents", occ, v->nitems);
    if (*v->period) gp_buf_printf(out, "  period %s", v->period);
    if (*v->data_time) gp_buf_printf(out, "  data as of %s", v->data_time);
    gp_buf_addc(out, '\n');
    if (v->stale) gp_buf_printf(out, "\x1b[1;97;41m DISCONNECTED \xe2\x80\x94 %ld agents stale \x1b[0m\n", v->stale);
    else gp_buf_addc(out, '\n');
    cell *cells = gp_xmalloc((size_t)cols * (size_t)map_rows * sizeof *cells);
    raster(v, cells, cols, map_rows);
    labels(v, cells, cols, map_rows);
    map_rows_write(out, v, cells, palette, cols, map_rows);
    free(cells);
    for (int b = 0; b < GP_BAND_COUNT; b++) {
        const gh_band_style *st = gh_band_style_of(palette, (gp_band)b);
        gp_buf_printf(out, "\x1b[48;2;%d;%d;%dm  \x1b[0m %s: %ld  ", st->rgb[0], st->rgb[1], st->rgb[2], st->label,
                      v->bands[b]);
    }
    gp_buf_addc(out, '\n');
}
