/* heat.h - gheat's engine: the agents on the floor (heat_model.c), the
 * squarified treemap (heat_treemap.c), and what draws it: SVG
 * (heat_svg.c), the HTML page (heat_page.c), the terminal (heat_term.c)
 * and the live page's HTTP server (heat_serve.c).
 *
 * The model holds one entry per (org, user_id): the row or agent record
 * last read for it, so memory grows with agents, never with input.  A
 * view is what one picture shows: the agents laid out, grouped, with
 * their bands and the floor's figures. */
#ifndef GPULSE_HEAT_H
#define GPULSE_HEAT_H

#include "band.h"
#include "gpulse.h"
#include "roster.h"

/* ------------------------------------------------------------------ */
/* Treemap                                                              */
/* ------------------------------------------------------------------ */

typedef struct gh_rect {
    double x, y, w, h;
} gh_rect;

/* Squarified treemap (Bruls, Huijsmans and van Wijk, 2000): lay out N
 * areas, sorted largest first and all > 0, in BOUNDS; the areas are
 * scaled so that together they fill BOUNDS exactly.  OUT[i] is the
 * rectangle of AREAS[i].  Deterministic: the same input, the same output. */
void gh_squarify(const double *areas, size_t n, gh_rect bounds, gh_rect *out);

/* ------------------------------------------------------------------ */
/* The model: agents as last read                                      */
/* ------------------------------------------------------------------ */

enum gh_group_by { GH_BY_COHORT = 0, GH_BY_ORG, GH_BY_NONE };
enum gh_palette { GH_PALETTE_DEFAULT = 0, GH_PALETTE_CB };

typedef struct gh_agent {
    char *org, *user_id;      /* the key; org "" when the input has none */
    char *name, *cohort;      /* "" when the record has none */
    char *period, *bucket, *routing_status, *presence, *since;
    double occupancy, nrt_rate, on_queue_secs, tenure_days;
    bool has_occupancy, has_nrt_rate, has_on_queue, has_tenure;
    int64_t interacting_ms, idle_ms; /* -1 when the record has no such column */
    int64_t end;              /* the period's end, GP_TIME_NONE when unknown */
    bool stale;               /* the record said "stale": true */
} gh_agent;

typedef struct gh_org {
    char *org, *status, *last_record, *disconnected_at;
} gh_org;

typedef struct gh_model gh_model;

typedef struct gh_model_config {
    const char *period;       /* --period, or NULL: the latest */
    const gp_roster *roster;  /* --roster, or NULL */
} gh_model_config;

gh_model *gh_model_new(const gh_model_config *config);
void gh_model_free(gh_model *m);

/* What a record was. */
enum gh_input {
    GH_IN_ROW = 0,   /* an occupancy or bucket row, or a glive agent record */
    GH_IN_TICK,      /* a glive tick: the agents read since the last one are a frame */
    GH_IN_SKIPPED,   /* another period, or a control record of gfetch stream */
    GH_IN_BAD = -1   /* malformed: ERR says what is wrong */
};
/* Take one record: returns an enum gh_input. */
int gh_model_add(gh_model *m, gp_record *r, gp_error *err);

/* The floor as the last tick described it. */
typedef struct gh_tick {
    bool seen;                /* a tick was read: the input is live */
    long long seq;
    char at[40];              /* the tick's time as written, "" before one */
    double occupancy;
    bool has_occupancy;
    gh_org *orgs;             /* per-org status of the last tick */
    size_t norgs;
} gh_tick;
const gh_tick *gh_model_tick(const gh_model *m);
size_t gh_model_agents(const gh_model *m);
/* The period the model holds (the latest seen, or --period), "" for none. */
const char *gh_model_period(const gh_model *m);

/* ------------------------------------------------------------------ */
/* A view: one picture of the model                                     */
/* ------------------------------------------------------------------ */

/* Tenure, in days, of an agent with no tenure_days and no hire date: the
 * median of the others' (rounded down), or this when no one has one. */
#define GH_DEFAULT_TENURE_DAYS 365.0

typedef struct gh_item {
    const gh_agent *agent;
    const char *name;         /* the record's, else the roster's, else user_id */
    const char *cohort;       /* the record's, else the roster's role */
    double tenure_days;       /* as drawn: at least 1 day */
    bool tenure_default;      /* no tenure known: drawn at the default */
    gp_band band;
    bool stale;               /* the agent's record, or its org in the tick */
    int group;
    gh_rect rect;
} gh_item;

typedef struct gh_group {
    const char *name;         /* cohort or org ("" = none) */
    double area;              /* sum of its agents' tenure */
    size_t first, count;      /* its items: items[first .. first+count) */
    gh_rect rect;
} gh_group;

typedef struct gh_view {
    gh_item *items;
    size_t nitems;
    gh_group *groups;
    size_t ngroups;
    long bands[GP_BAND_COUNT];
    long stale, tenure_defaults;
    double occupancy;          /* floor: the tick's, else sums then divide */
    bool has_occupancy;
    char data_time[40];        /* the tick's time, else the latest period end */
    char period[64];
    double default_tenure;
    gh_rect canvas;            /* where the treemap is drawn */
    gh_agent *owned;           /* gh_view_detach's copies of the agents, or NULL */
} gh_view;

typedef struct gh_view_config {
    int by;                    /* enum gh_group_by */
    gh_rect canvas;
} gh_view_config;

/* Lay out the model's agents: groups by area, then agents by area (ties
 * by org, user_id), squarified into CONFIG->canvas. */
void gh_view_build(gh_view *v, const gh_model *m, const gh_view_config *config);
/* Make V independent of the model it was built from: its items point to
 * copies of their agents (the roster's strings, which do not change, are
 * kept).  Done under the live page's lock, so that the long part, drawing
 * the view, runs while the record loop goes on changing the model. */
void gh_view_detach(gh_view *v);
void gh_view_free(gh_view *v);

/* ------------------------------------------------------------------ */
/* Drawing                                                              */
/* ------------------------------------------------------------------ */

typedef struct gh_band_style {
    const char *fill, *text;   /* "#rrggbb" */
    const char *label;         /* "under 60%" ... */
    unsigned char rgb[3];      /* fill, for the terminal */
} gh_band_style;
const gh_band_style *gh_band_style_of(int palette, gp_band band);

typedef struct gh_draw_config {
    int palette;               /* enum gh_palette */
    int width, height;         /* the whole SVG, header and legend included */
    const char *title;
} gh_draw_config;

/* The legend's height for one row, below the treemap. */
#define GH_SVG_LEGEND 36
/* The canvas the treemap gets inside a drawing of C's size: below the
 * header, whose title and figures wrap to more rows in a narrow drawing,
 * and above the legend, which wraps too.  V NULL: room for the widest
 * figures and legend.  A view's counts do not depend on its canvas, so a
 * view built for one canvas says its own. */
gh_rect gh_svg_canvas(const gh_draw_config *c, const gh_view *v);

/* A standalone SVG document of the view into OUT. */
void gh_svg_write(gp_buf *out, const gh_view *v, const gh_draw_config *config);
/* A self-contained HTML page (inline SVG, CSS and JS; no network); LIVE
 * adds the event stream client and the DISCONNECTED banner. */
void gh_page_write(gp_buf *out, const gh_view *v, const gh_draw_config *config, bool live);
/* The same page around an SVG already drawn by gh_svg_write. */
void gh_page_wrap(gp_buf *out, const gp_buf *svg, const gh_draw_config *config, bool live);
/* The live page's frame event: {"seq": SEQ, "at": DATA_TIME, "svg": SVG}
 * on one line. */
void gh_frame_write(gp_buf *out, const gp_buf *svg, const char *data_time, long long seq);
/* GET /snapshot.json: the floor's figures and every agent, as drawn. */
void gh_snapshot_write(gp_buf *out, const gh_view *v);
/* The view on a COLS x ROWS terminal: ANSI colours, Unicode half blocks. */
void gh_term_write(gp_buf *out, const gh_view *v, int palette, int cols, int rows);

/* Escape text for XML/HTML content and attribute values. */
void gh_xml_escape(gp_buf *out, const char *s);

/* ------------------------------------------------------------------ */
/* The live page's server                                              */
/* ------------------------------------------------------------------ */

typedef struct gh_server gh_server;

/* Listen on ADDR (an IPv4 or [IPv6] address) and PORT (0 = any free one);
 * NULL and a message in WHY[256] when that fails. */
gh_server *gh_server_start(const char *addr, unsigned port, char *why, size_t why_size);
unsigned gh_server_port(const gh_server *s);
/* Publish a new picture: PAGE (the whole HTML, for GET /), FRAME (the
 * event stream's frame: JSON with the SVG) and SNAPSHOT (GET
 * /snapshot.json).  Copies them. */
void gh_server_publish(gh_server *s, const gp_buf *page, const gp_buf *frame, const gp_buf *snapshot);
/* Publish the connection status (JSON, an event of its own) now. */
void gh_server_status(gh_server *s, const gp_buf *status);
void gh_server_stop(gh_server *s);

#endif
