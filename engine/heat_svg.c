/* heat_svg.c - the treemap as a standalone SVG: a header with the floor's
 * figures, one <rect> per agent (its band's colour, a <title> tooltip,
 * data-* attributes for scripts and tests, its name and occupancy as
 * text when it is large enough), group outlines, and a legend. */
#include "heat.h"

#include <stdlib.h>
#include <string.h>

/* Fill and text colours per band; gpulse(7) lists them. */
static const gh_band_style palettes[2][GP_BAND_COUNT] = {
    [GH_PALETTE_DEFAULT] = {
        [GP_BAND_UNDER] = {"#F2C300", "#1A1A1A", "under 60%", {0xF2, 0xC3, 0x00}},
        [GP_BAND_HEALTHY] = {"#2E9E48", "#FFFFFF", "healthy 60\xe2\x80\x93" "80%", {0x2E, 0x9E, 0x48}},
        [GP_BAND_HIGH] = {"#F07F13", "#1A1A1A", "high 80\xe2\x80\x93" "90%", {0xF0, 0x7F, 0x13}},
        [GP_BAND_BURNOUT] = {"#D7263D", "#FFFFFF", "burnout over 90%", {0xD7, 0x26, 0x3D}},
        [GP_BAND_NONE] = {"#A0A0A0", "#1A1A1A", "no data", {0xA0, 0xA0, 0xA0}},
    },
    [GH_PALETTE_CB] = {
        [GP_BAND_UNDER] = {"#56B4E9", "#1A1A1A", "under 60%", {0x56, 0xB4, 0xE9}},
        [GP_BAND_HEALTHY] = {"#009E73", "#FFFFFF", "healthy 60\xe2\x80\x93" "80%", {0x00, 0x9E, 0x73}},
        [GP_BAND_HIGH] = {"#F0E442", "#1A1A1A", "high 80\xe2\x80\x93" "90%", {0xF0, 0xE4, 0x42}},
        [GP_BAND_BURNOUT] = {"#D55E00", "#FFFFFF", "burnout over 90%", {0xD5, 0x5E, 0x00}},
        [GP_BAND_NONE] = {"#999999", "#1A1A1A", "no data", {0x99, 0x99, 0x99}},
    },
};

const gh_band_style *gh_band_style_of(int palette, gp_band band)
{
    if (palette != GH_PALETTE_CB) palette = GH_PALETTE_DEFAULT;
    if (band < 0 || band >= GP_BAND_COUNT) band = GP_BAND_NONE;
    return &palettes[palette][band];
}

/* Labels need this much room; below it the tooltip alone says who it is.
 * At the minimum height the name (top) and the occupancy (bottom) leave
 * the rectangle's centre clear, where a test reads its colour. */
#define LABEL_MIN_W 44.0
#define LABEL_MIN_H 38.0
#define LABEL_CHAR_W 6.4 /* average advance of an 11px sans-serif glyph */

/* The legend: a swatch and a text per entry, laid out in rows that wrap
 * at the drawing's width, so nothing is clipped however narrow it is. */
#define LEGEND_CHAR_W 7.6       /* a generous average advance of a 13px sans-serif glyph */
#define LEGEND_SWATCH_W 21.0    /* the 16 px swatch and its gap */
#define LEGEND_GAP 18.0         /* between entries */
#define LEGEND_ROW_H 22.0
#define LEGEND_MARGIN 8.0

typedef struct legend_entry {
    char text[160];
    const char *fill;   /* the swatch's colour; NULL: no swatch */
    bool hatched;       /* the stale swatch */
    const char *band;   /* data-band of a band's count, or NULL */
} legend_entry;

enum { LEGEND_MAX = 32 }; /* the entries, and the pieces of those split to fit */

/* The entries for view V; without V, the widest they can be (counts of
 * six digits, the no-hire-date note shown), for the room kept. */
static size_t legend_entries(const gh_view *v, int palette, legend_entry *e)
{
    size_t n = 0;
    for (int b = 0; b < GP_BAND_COUNT; b++, n++) {
        const gh_band_style *st = gh_band_style_of(palette, (gp_band)b);
        snprintf(e[n].text, sizeof e[n].text, "%s: %ld", st->label, v ? v->bands[b] : 999999L);
        e[n].fill = st->fill;
        e[n].hatched = false;
        e[n].band = gp_band_name((gp_band)b);
    }
    snprintf(e[n].text, sizeof e[n].text, "stale: %ld", v ? v->stale : 999999L);
    e[n].fill = "#A0A0A0";
    e[n].hatched = true;
    e[n++].band = NULL;
    if (!v || v->tenure_defaults) {
        snprintf(e[n].text, sizeof e[n].text, "dashed: no hire date (%ld, drawn as %.0f days)",
                 v ? v->tenure_defaults : 999999L, v ? v->default_tenure : 9999.0);
        e[n].fill = NULL;
        e[n].hatched = false;
        e[n++].band = NULL;
    }
    return n;
}

static double legend_entry_width(const legend_entry *e)
{
    size_t chars = 0;
    for (const char *p = e->text; *p; p++)
        if (((unsigned char)*p & 0xC0) != 0x80) chars++;
    return (e->fill ? LEGEND_SWATCH_W : 0) + (double)chars * LEGEND_CHAR_W;
}

/* Entries wider than a row of WIDTH are split at a space (the rest a
 * further entry, without swatch) until each fits or has no space left. */
static size_t legend_fit(legend_entry *e, size_t n, int width)
{
    double room = width - 2 * LEGEND_MARGIN;
    for (size_t i = 0; i < n && n < LEGEND_MAX; i++) {
        if (legend_entry_width(&e[i]) <= room) continue;
        char *text = e[i].text, *cut = NULL;
        for (char *sp = strchr(text, ' '); sp; sp = strchr(sp + 1, ' ')) {
            *sp = '\0';
            bool fits = legend_entry_width(&e[i]) <= room;
            *sp = ' ';
            if (!fits) break;
            cut = sp;
        }
        if (!cut) continue;
        memmove(&e[i + 2], &e[i + 1], (n - i - 1) * sizeof *e);
        n++;
        e[i + 1] = (legend_entry){.fill = NULL};
        snprintf(e[i + 1].text, sizeof e[i + 1].text, "%s", cut + 1);
        *cut = '\0';
    }
    return n;
}

/* Place N entries in rows within WIDTH: X and ROW of each; the rows used. */
static int legend_flow(const legend_entry *e, size_t n, int width, double *x, int *row)
{
    double at = LEGEND_MARGIN;
    int r = 0;
    for (size_t i = 0; i < n; i++) {
        double w = legend_entry_width(&e[i]);
        if (at > LEGEND_MARGIN && at + w > width - LEGEND_MARGIN) {
            r++;
            at = LEGEND_MARGIN;
        }
        x[i] = at;
        row[i] = r;
        at += w + LEGEND_GAP;
    }
    return r + 1;
}

/* The legend's height in a drawing WIDTH wide, for view V (NULL: at its
 * widest).  The band labels are as wide in both palettes. */
static double legend_height(int width, const gh_view *v)
{
    legend_entry e[LEGEND_MAX];
    double x[LEGEND_MAX];
    int row[LEGEND_MAX];
    int rows = legend_flow(e, legend_fit(e, legend_entries(v, GH_PALETTE_DEFAULT, e), width), width, x, row);
    return GH_SVG_LEGEND + (rows - 1) * LEGEND_ROW_H;
}

gh_rect gh_svg_canvas(int width, int height, const gh_view *v)
{
    double h = height - GH_SVG_HEADER - legend_height(width, v);
    return (gh_rect){0, GH_SVG_HEADER, width, h > 1 ? h : 1};
}

void gh_xml_escape(gp_buf *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': gp_buf_adds(out, "&amp;"); break;
        case '<': gp_buf_adds(out, "&lt;"); break;
        case '>': gp_buf_adds(out, "&gt;"); break;
        case '"': gp_buf_adds(out, "&quot;"); break;
        case '\'': gp_buf_adds(out, "&#39;"); break;
        case '\n': gp_buf_adds(out, "&#10;"); break;
        default:
            if ((unsigned char)*s < 0x20) gp_buf_addc(out, ' '); /* not allowed in XML */
            else gp_buf_addc(out, *s);
        }
    }
}

static void percent(char *out, size_t size, double ratio, bool defined)
{
    if (defined) snprintf(out, size, "%.1f%%", ratio * 100);
    else snprintf(out, size, "no data");
}

/* NAME cut to at most MAX characters (UTF-8 aware), "…" when cut. */
static void fit_text(gp_buf *out, const char *name, size_t max)
{
    size_t chars = 0, i = 0, cut = 0;
    for (; name[i]; i++) {
        if (((unsigned char)name[i] & 0xC0) == 0x80) continue;
        if (chars == max - 1) cut = i;
        chars++;
    }
    if (chars <= max || max < 2) {
        gh_xml_escape(out, name);
        return;
    }
    char *head = gp_xstrndup(name, cut);
    gh_xml_escape(out, head);
    gp_buf_adds(out, "\xe2\x80\xa6");
    free(head);
}

static void tooltip(gp_buf *out, const gh_item *it)
{
    const gh_agent *a = it->agent;
    char occ[32], nrt[32];
    percent(occ, sizeof occ, a->occupancy, a->has_occupancy);
    percent(nrt, sizeof nrt, a->nrt_rate, a->has_nrt_rate);
    gp_buf_adds(out, "<title>");
    gh_xml_escape(out, it->name);
    gp_buf_adds(out, "&#10;cohort: ");
    gh_xml_escape(out, *it->cohort ? it->cohort : "(none)");
    if (*a->org) {
        gp_buf_adds(out, "&#10;org: ");
        gh_xml_escape(out, a->org);
    }
    gp_buf_printf(out, "&#10;occupancy: %s (%s)&#10;NRT rate: %s", occ, gp_band_name(it->band), nrt);
    if (a->has_on_queue) gp_buf_printf(out, "&#10;on queue: %.1f h", a->on_queue_secs / 3600.0);
    if (*a->routing_status || *a->presence) {
        gp_buf_adds(out, "&#10;state: ");
        gh_xml_escape(out, *a->routing_status ? a->routing_status : a->presence);
        if (*a->routing_status && *a->presence) {
            gp_buf_adds(out, " / ");
            gh_xml_escape(out, a->presence);
        }
        if (*a->since) {
            gp_buf_adds(out, " since ");
            gh_xml_escape(out, a->since);
        }
    }
    if (*a->bucket) {
        gp_buf_adds(out, "&#10;bucket: ");
        gh_xml_escape(out, a->bucket);
    }
    if (it->tenure_default) gp_buf_printf(out, "&#10;tenure: unknown (no hire date), drawn as %.0f days", it->tenure_days);
    else gp_buf_printf(out, "&#10;tenure: %.0f days", it->tenure_days);
    if (it->stale) gp_buf_adds(out, "&#10;STALE: its org is not live");
    gp_buf_adds(out, "</title>");
}

static void agent_rect(gp_buf *out, const gh_item *it, int palette)
{
    const gh_agent *a = it->agent;
    const gh_band_style *st = gh_band_style_of(palette, it->band);
    const gh_rect *r = &it->rect;
    gp_buf_printf(out, "<rect class=\"agent%s%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"",
                  it->stale ? " stale" : "", it->tenure_default ? " no-tenure" : "", r->x, r->y, r->w, r->h,
                  st->fill);
    gp_buf_adds(out, " data-user-id=\"");
    gh_xml_escape(out, a->user_id);
    if (*a->org) {
        gp_buf_adds(out, "\" data-org=\"");
        gh_xml_escape(out, a->org);
    }
    gp_buf_printf(out, "\" data-band=\"%s\" data-name=\"", gp_band_name(it->band));
    gh_xml_escape(out, it->name);
    gp_buf_adds(out, "\" data-cohort=\"");
    gh_xml_escape(out, it->cohort);
    gp_buf_adds(out, "\" data-occupancy=\"");
    char num[32];
    if (a->has_occupancy) gp_buf_add(out, num, gp_format_ratio(a->occupancy, num));
    gp_buf_adds(out, "\" data-nrt=\"");
    if (a->has_nrt_rate) gp_buf_add(out, num, gp_format_ratio(a->nrt_rate, num));
    gp_buf_printf(out, "\" data-tenure=\"%s%.0f\"", it->tenure_default ? "~" : "", it->tenure_days);
    if (it->stale) gp_buf_adds(out, " data-stale=\"true\"");
    gp_buf_adds(out, ">");
    tooltip(out, it);
    gp_buf_adds(out, "</rect>\n");
}

static void agent_labels(gp_buf *out, const gh_item *it, int palette)
{
    const gh_rect *r = &it->rect;
    if (r->w < LABEL_MIN_W || r->h < LABEL_MIN_H) return;
    const gh_band_style *st = gh_band_style_of(palette, it->band);
    size_t max = (size_t)((r->w - 6) / LABEL_CHAR_W);
    gp_buf_printf(out, "<text class=\"label\" x=\"%.2f\" y=\"%.2f\" fill=\"%s\">", r->x + 3, r->y + 13, st->text);
    fit_text(out, it->name, max);
    char occ[32];
    percent(occ, sizeof occ, it->agent->occupancy, it->agent->has_occupancy);
    gp_buf_printf(out, "</text><text class=\"label\" x=\"%.2f\" y=\"%.2f\" fill=\"%s\">%s</text>\n", r->x + 3,
                  r->y + r->h - 4, st->text, occ);
}

static void header(gp_buf *out, const gh_view *v, const gh_draw_config *c)
{
    char occ[32];
    percent(occ, sizeof occ, v->occupancy, v->has_occupancy);
    gp_buf_adds(out, "<g class=\"header\"><text x=\"8\" y=\"19\" class=\"title\">");
    gh_xml_escape(out, c->title && *c->title ? c->title : "gheat");
    gp_buf_printf(out, "</text><text x=\"8\" y=\"37\" class=\"figures\" id=\"gh-figures\">floor occupancy %s"
                       " \xc2\xb7 %zu agents",
                  occ, v->nitems);
    if (*v->period) {
        gp_buf_adds(out, " \xc2\xb7 period ");
        gh_xml_escape(out, v->period);
    }
    if (*v->data_time) gp_buf_printf(out, " \xc2\xb7 data as of %s", v->data_time);
    if (v->stale) gp_buf_printf(out, " \xc2\xb7 %ld stale", v->stale);
    gp_buf_adds(out, "</text></g>\n");
}

static void legend(gp_buf *out, const gh_view *v, const gh_draw_config *c)
{
    legend_entry e[LEGEND_MAX];
    double x[LEGEND_MAX];
    int row[LEGEND_MAX];
    size_t n = legend_fit(e, legend_entries(v, c->palette, e), c->width);
    legend_flow(e, n, c->width, x, row);
    double top = c->height - legend_height(c->width, v) + 10;
    gp_buf_adds(out, "<g class=\"legend\">");
    for (size_t i = 0; i < n; i++) {
        double y = top + row[i] * LEGEND_ROW_H, tx = x[i];
        if (e[i].fill) {
            gp_buf_printf(out, "<rect x=\"%.0f\" y=\"%.0f\" width=\"16\" height=\"16\" fill=\"%s\" stroke=\"#333\"/>",
                          x[i], y, e[i].fill);
            if (e[i].hatched)
                gp_buf_printf(out, "<rect x=\"%.0f\" y=\"%.0f\" width=\"16\" height=\"16\" fill=\"url(#gh-hatch)\"/>",
                              x[i], y);
            tx += LEGEND_SWATCH_W;
        }
        gp_buf_printf(out, "<text x=\"%.0f\" y=\"%.0f\" class=\"count\"", tx, y + 13);
        if (e[i].band) gp_buf_printf(out, " data-band=\"%s\"", e[i].band);
        gp_buf_adds(out, ">");
        gh_xml_escape(out, e[i].text);
        gp_buf_adds(out, "</text>");
    }
    gp_buf_adds(out, "</g>\n");
}

static void groups(gp_buf *out, const gh_view *v)
{
    if (v->ngroups < 2 && (v->ngroups == 0 || !*v->groups[0].name)) return;
    for (size_t g = 0; g < v->ngroups; g++) {
        const gh_group *grp = &v->groups[g];
        const gh_rect *r = &grp->rect;
        gp_buf_printf(out, "<rect class=\"group\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" data-group=\"",
                      r->x, r->y, r->w, r->h);
        gh_xml_escape(out, grp->name);
        gp_buf_adds(out, "\"/>\n");
        /* The label goes on the group's largest agent (its first, at the
         * group's top-left), in the corner its own labels leave free:
         * bottom right, clear of its centre. */
        const gh_rect *big = &v->items[grp->first].rect;
        const char *name = *grp->name ? grp->name : "(none)";
        double room = big->w - 6 - 5 * LABEL_CHAR_W; /* "72.5%" stays readable */
        if (grp->count == 0 || big->h < LABEL_MIN_H || room < 8 * 7.5) continue;
        gp_buf_printf(out, "<text class=\"group-label\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\">",
                      big->x + big->w - 4, big->y + big->h - 4);
        fit_text(out, name, (size_t)(room / 7.5) - 5);
        gp_buf_printf(out, " (%zu)</text>\n", grp->count);
    }
}

void gh_svg_write(gp_buf *out, const gh_view *v, const gh_draw_config *c)
{
    gp_buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                       " font-family=\"DejaVu Sans, Verdana, sans-serif\" class=\"gheat\">\n",
                  c->width, c->height, c->width, c->height);
    gp_buf_adds(out,
        "<defs><pattern id=\"gh-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\""
        " patternTransform=\"rotate(45)\"><rect width=\"2.5\" height=\"6\" fill=\"#000\" fill-opacity=\"0.4\"/>"
        "</pattern></defs>\n"
        "<style>.agent{stroke:#fff;stroke-width:1}.agent.stale{fill-opacity:0.45}"
        ".agent.no-tenure{stroke:#222;stroke-dasharray:4 2}"
        ".label{font-size:11px;pointer-events:none}.title{font-size:16px;font-weight:bold}"
        ".figures,.count{font-size:13px}.group{fill:none;stroke:#222;stroke-width:2;pointer-events:none}"
        ".group-label{font-size:12px;font-weight:bold;fill:#111;stroke:#fff;stroke-width:3;paint-order:stroke;"
        "pointer-events:none}.hatch{pointer-events:none}</style>\n");
    gp_buf_printf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#FFFFFF\"/>\n", c->width, c->height);
    header(out, v, c);
    gp_buf_adds(out, "<g class=\"treemap\">\n");
    for (size_t i = 0; i < v->nitems; i++) agent_rect(out, &v->items[i], c->palette);
    for (size_t i = 0; i < v->nitems; i++) {
        const gh_item *it = &v->items[i];
        if (!it->stale) continue;
        gp_buf_printf(out, "<rect class=\"hatch\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\""
                           " fill=\"url(#gh-hatch)\"/>\n",
                      it->rect.x, it->rect.y, it->rect.w, it->rect.h);
    }
    for (size_t i = 0; i < v->nitems; i++) agent_labels(out, &v->items[i], c->palette);
    groups(out, v);
    if (v->nitems == 0)
        gp_buf_printf(out, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\" class=\"figures\">no agents</text>\n",
                      v->canvas.x + v->canvas.w / 2, v->canvas.y + v->canvas.h / 2);
    gp_buf_adds(out, "</g>\n");
    legend(out, v, c);
    gp_buf_adds(out, "</svg>\n");
}
