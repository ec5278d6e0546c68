/* gheat - every agent as a rectangle of a treemap: area = tenure, colour =
 * occupancy band, grouped by cohort or org; as SVG, an HTML page, a live
 * page over HTTP, or in the terminal.
 *
 * Reads goccupy or gbucket rows, or glive's ticks.  The model, the
 * layout and the drawing are engine/heat*.c; this file parses options,
 * runs the record loop and, with --serve, the thread that publishes at
 * most two pictures a second and watches for staleness. */
#include "cli.h"
#include "gpulse.h"
#include "heat.h"
#include "roster.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

enum {
    OPT_SVG = 1, OPT_HTML, OPT_SERVE, OPT_TERM, OPT_ROSTER, OPT_BY, OPT_PERIOD, OPT_PALETTE, OPT_SIZE,
    OPT_TITLE, OPT_STALE
};

static const struct option own_options[] = {
    {"svg", required_argument, NULL, OPT_SVG},
    {"html", required_argument, NULL, OPT_HTML},
    {"serve", required_argument, NULL, OPT_SERVE},
    {"term", no_argument, NULL, OPT_TERM},
    {"roster", required_argument, NULL, OPT_ROSTER},
    {"by", required_argument, NULL, OPT_BY},
    {"period", required_argument, NULL, OPT_PERIOD},
    {"palette", required_argument, NULL, OPT_PALETTE},
    {"size", required_argument, NULL, OPT_SIZE},
    {"title", required_argument, NULL, OPT_TITLE},
    {"stale", required_argument, NULL, OPT_STALE},
    {NULL, 0, NULL, 0},
};

static void usage(void)
{
    gp_out_puts(&gp_stdout,
        "Usage: gheat [OPTION]... [FILE]...\n"
        "Draw every agent as a rectangle of a squarified treemap: area = tenure,\n"
        "colour = occupancy band (under <60% yellow, healthy 60-80% green, high\n"
        "80-90% orange, burnout >90% red, no data grey), grouped by cohort.\n"
        "Reads goccupy or gbucket rows (NDJSON or CSV), or glive's ticks.\n"
        "\n"
        "Outputs (default: --svg -):\n"
        "      --svg FILE        a standalone SVG (- = standard output)\n"
        "      --html FILE       a self-contained HTML page (hover details, sorting)\n"
        "      --serve [ADDR:]PORT  a live page over HTTP, updated by server-sent\n"
        "                        events at most every 500 ms (ADDR default 127.0.0.1;\n"
        "                        [::1]:PORT for IPv6; PORT 0 picks a free one)\n"
        "      --term            the treemap in the terminal, redrawn per tick\n"
        "\n"
        "Picture:\n"
        "      --roster FILE     roster CSV: names, cohorts (role) and hire_date for\n"
        "                        tenure, when the rows do not carry them\n"
        "      --by KEY          cohort (default), org or none: how agents are grouped\n"
        "      --period LABEL    the period to draw from multi-period rows (default:\n"
        "                        the latest)\n"
        "      --palette NAME    default, or cb (colour-blind safe)\n"
        "      --size WxH        SVG and page size in pixels (default 1280x800)\n"
        "      --title TEXT      the picture's title\n"
        "      --stale DURATION  live page: DISCONNECTED after no tick for this long\n"
        "                        (default 65s)\n");
    gp_cli_usage_end(&(gp_cli_usage){.column = 24});
}

typedef struct settings {
    const char *svg_path, *html_path;
    bool serve, term;
    char serve_addr[64];
    unsigned serve_port;
    int by, palette, width, height;
    const char *title;
    int64_t stale_ms;
} settings;

static void parse_serve(settings *st, const char *arg)
{
    const char *colon = strrchr(arg, ':');
    const char *port = colon ? colon + 1 : arg;
    snprintf(st->serve_addr, sizeof st->serve_addr, "127.0.0.1");
    if (colon && colon > arg) {
        size_t n = (size_t)(colon - arg);
        if (arg[0] == '[' && arg[n - 1] == ']') arg++, n -= 2; /* [::1]:8080 */
        if (n == 0 || n >= sizeof st->serve_addr) gp_usage_error("--serve: bad address in '%s'", arg);
        memcpy(st->serve_addr, arg, n);
        st->serve_addr[n] = '\0';
    }
    st->serve_port = (unsigned)gp_opt_long("--serve", port, 0, 65535);
    st->serve = true;
}

static void parse_size(settings *st, const char *arg)
{
    int w, h;
    char extra;
    if (sscanf(arg, "%dx%d%c", &w, &h, &extra) != 2 || w < 200 || h < 200 || w > 20000 || h > 20000)
        gp_usage_error("--size: '%s' is not WIDTHxHEIGHT in pixels, each 200 to 20000", arg);
    st->width = w;
    st->height = h;
}

static int choice(const char *opt, const char *arg, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(arg, names[i]) == 0) return i;
    gp_usage_error("%s: '%s' is not one of the choices (see --help)", opt, arg);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ------------------------------------------------------------------ */
/* Drawing into files and the terminal                                 */
/* ------------------------------------------------------------------ */

static gh_draw_config draw_config(const settings *st)
{
    return (gh_draw_config){.palette = st->palette, .width = st->width, .height = st->height,
                            .title = st->title};
}

/* The view of the model in the drawing's canvas: laid out once for the
 * widest header and legend, and again when its own take fewer rows. */
static void build_view(gh_view *v, const gh_model *m, const settings *st)
{
    gh_draw_config dc = draw_config(st);
    gh_view_config vc = {.by = st->by, .canvas = gh_svg_canvas(&dc, NULL)};
    gh_view_build(v, m, &vc);
    gh_rect fits = gh_svg_canvas(&dc, v);
    if (fits.h != vc.canvas.h || fits.y != vc.canvas.y) {
        gh_view_free(v);
        vc.canvas = fits;
        gh_view_build(v, m, &vc);
    }
}

static void write_output(const char *path, const gp_buf *doc)
{
    gp_out out;
    if (strcmp(path, "-") == 0) {
        gp_out_write(&gp_stdout, doc->data, doc->len);
        return;
    }
    gp_out_open_file(&out, path);
    gp_out_write(&out, doc->data, doc->len);
    gp_out_close(&out);
}

static void write_documents(const gh_model *m, const settings *st)
{
    gh_view v;
    build_view(&v, m, st);
    gh_draw_config dc = draw_config(st);
    gp_buf doc = {0};
    if (st->svg_path) {
        gh_svg_write(&doc, &v, &dc);
        write_output(st->svg_path, &doc);
    }
    if (st->html_path) {
        doc.len = 0;
        gh_page_write(&doc, &v, &dc, false);
        write_output(st->html_path, &doc);
    }
    gp_buf_free(&doc);
    gh_view_free(&v);
}

/* The window's size; COLUMNS and LINES when standard output is not one. */
static void terminal_size(int *cols, int *rows)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) {
        *cols = ws.ws_col;
        *rows = ws.ws_row;
        return;
    }
    const char *c = getenv("COLUMNS"), *l = getenv("LINES");
    *cols = c && atoi(c) > 0 ? atoi(c) : 80;
    *rows = l && atoi(l) > 0 ? atoi(l) : 24;
}

static void draw_terminal(const gh_model *m, const settings *st, bool redraw)
{
    int cols, rows;
    terminal_size(&cols, &rows);
    if (cols < 20) cols = 20;
    if (rows < 6) rows = 6;
    gh_view v;
    gh_view_config vc = {.by = st->by, .canvas = {0, 0, cols, (rows - 3) * 2}};
    gh_view_build(&v, m, &vc);
    gp_buf frame = {0};
    if (redraw) gp_buf_adds(&frame, "\x1b[H\x1b[2J");
    gh_term_write(&frame, &v, st->palette, cols, rows);
    gp_out_write(&gp_stdout, frame.data, frame.len);
    gp_out_flush_buffer(&gp_stdout);
    gp_buf_free(&frame);
    gh_view_free(&v);
}

/* ------------------------------------------------------------------ */
/* The live page: a publisher thread beside the record loop            */
/* ------------------------------------------------------------------ */

#define PUBLISH_EVERY_MS 500 /* the browser never gets more than 2 frames a second */
#define STATUS_EVERY_MS 500  /* and hears at least this often that gheat is alive */
#define WATCH_EVERY_MS 100

typedef struct live {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    gh_model *model;
    const settings *st;
    gh_server *server;
    bool dirty, input_done, stopping;
    /* The publisher is waiting for the lock: the record loop, which takes
     * it for every record, steps aside (a mutex is not fair: under a storm
     * the loop would otherwise win it again and again). */
    atomic_bool publisher_waiting;
    int64_t last_tick; /* monotonic ms of the last tick read */
    long long frames;
} live;

static void status_json(live *L, gp_buf *out, int64_t now)
{
    const gh_tick *t = gh_model_tick(L->model);
    bool silent = t->seen && now - L->last_tick > L->st->stale_ms;
    gp_buf orgs = {0};
    long stale_orgs = 0;
    char reason[256] = "";
    for (size_t i = 0; i < t->norgs; i++) {
        if (strcmp(t->orgs[i].status, "live") == 0) continue;
        gp_buf_adds(&orgs, stale_orgs++ ? "," : "");
        gp_buf_json_string(&orgs, t->orgs[i].org, strlen(t->orgs[i].org));
        if (!*reason) snprintf(reason, sizeof reason, "org %s %s", t->orgs[i].org, t->orgs[i].status);
    }
    if (silent) snprintf(reason, sizeof reason, "no tick for %lld s", (long long)((now - L->last_tick) / 1000));
    gp_buf_printf(out, "{\"disconnected\":%s,\"all\":%s,\"as_of\":", silent || stale_orgs ? "true" : "false",
                  silent ? "true" : "false");
    if (t->seen) gp_buf_json_string(out, t->at, strlen(t->at));
    else gp_buf_adds(out, "null");
    gp_buf_adds(out, ",\"reason\":");
    gp_buf_json_string(out, reason, strlen(reason));
    gp_buf_printf(out, ",\"stale_orgs\":[%.*s],\"frames\":%lld}", (int)orgs.len, orgs.data ? orgs.data : "",
                  L->frames);
    gp_buf_free(&orgs);
}

/* A frame in the making: the view, taken from the model under the lock
 * and detached from it, then drawn and wrapped outside the lock, so that
 * the record loop (and glive writing to it) goes on meanwhile: drawing
 * 10,000 agents takes tens of milliseconds. */
typedef struct frame_parts {
    gh_view view;
    long long seq;
} frame_parts;

/* Take the view: with the lock held, as the record loop changes the model. */
static void draw_frame(live *L, frame_parts *f)
{
    *f = (frame_parts){.seq = ++L->frames};
    build_view(&f->view, L->model, L->st);
    gh_view_detach(&f->view);
}

/* Draw the view, wrap the drawing into the page and the event and hand
 * them to the server: without the lock. */
static void send_frame(live *L, frame_parts *f)
{
    gh_draw_config dc = draw_config(L->st);
    gp_buf svg = {0}, snapshot = {0}, page = {0}, frame = {0};
    gh_svg_write(&svg, &f->view, &dc); /* drawn once: the page and the frame share it */
    gh_snapshot_write(&snapshot, &f->view);
    gh_page_wrap(&page, &svg, &dc, true);
    gh_frame_write(&frame, &svg, f->view.data_time, f->seq);
    gh_server_publish(L->server, &page, &frame, &snapshot);
    gh_view_free(&f->view);
    gp_buf_free(&svg);
    gp_buf_free(&snapshot);
    gp_buf_free(&page);
    gp_buf_free(&frame);
}

static void publish_frame(live *L)
{
    frame_parts f;
    draw_frame(L, &f);
    send_frame(L, &f);
}

static void *publisher(void *arg)
{
    live *L = arg;
    int64_t last_frame = 0, last_status = 0;
    gp_buf status = {0}, previous = {0};
    for (;;) {
        struct timespec pause = {0, WATCH_EVERY_MS * 1000000L};
        nanosleep(&pause, NULL);
        atomic_store(&L->publisher_waiting, true);
        pthread_mutex_lock(&L->lock);
        atomic_store(&L->publisher_waiting, false);
        if (L->stopping) {
            pthread_mutex_unlock(&L->lock);
            break;
        }
        int64_t now = now_ms();
        bool drawn = false;
        frame_parts f = {.seq = 0};
        if (L->dirty && now - last_frame >= PUBLISH_EVERY_MS) {
            L->dirty = false;
            last_frame = now;
            draw_frame(L, &f);
            drawn = true;
        }
        status.len = 0;
        status_json(L, &status, now);
        pthread_mutex_unlock(&L->lock);
        if (drawn) send_frame(L, &f);
        bool changed = status.len != previous.len || memcmp(status.data, previous.data, status.len) != 0;
        if (changed || now - last_status >= STATUS_EVERY_MS) {
            last_status = now;
            gh_server_status(L->server, &status);
            previous.len = 0;
            gp_buf_add(&previous, status.data, status.len);
        }
    }
    gp_buf_free(&status);
    gp_buf_free(&previous);
    return NULL;
}

/* SIGINT and SIGTERM end the server: quietly, with status 0. */
static void *signal_watcher(void *arg)
{
    live *L = arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int sig;
    sigwait(&set, &sig);
    pthread_mutex_lock(&L->lock);
    bool done = L->input_done;
    L->stopping = true;
    pthread_cond_broadcast(&L->changed);
    pthread_mutex_unlock(&L->lock);
    if (!done) _exit(GP_EXIT_OK); /* the record loop is blocked in read(2) */
    return NULL;
}

static void start_live(live *L, pthread_t *threads)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* every thread from here on inherits it */
    char why[256];
    L->server = gh_server_start(L->st->serve_addr, L->st->serve_port, why, sizeof why);
    if (!L->server) gp_die("--serve: %s", why);
    const char *a = L->st->serve_addr;
    gp_warn("serving http://%s%s%s:%u/", strchr(a, ':') ? "[" : "", a, strchr(a, ':') ? "]" : "",
            gh_server_port(L->server));
    publish_frame(L); /* an empty floor: a browser that comes first gets the live page */
    pthread_create(&threads[0], NULL, publisher, L);
    pthread_create(&threads[1], NULL, signal_watcher, L);
}

/* The input ended: publish it, serve until a signal comes. */
static void finish_live(live *L, pthread_t *threads)
{
    pthread_mutex_lock(&L->lock);
    L->input_done = true;
    L->dirty = true;
    while (!L->stopping) pthread_cond_wait(&L->changed, &L->lock);
    pthread_mutex_unlock(&L->lock);
    pthread_join(threads[0], NULL);
    pthread_join(threads[1], NULL);
    gh_server_stop(L->server);
}

/* ------------------------------------------------------------------ */

static void parse_options(int argc, char **argv, settings *st, gp_cli *cli, gh_model_config *mc,
                          const char **roster_path)
{
    static const char *const by_names[] = {"cohort", "org", "none", NULL};
    static const char *const palette_names[] = {"default", "cb", NULL};
    opterr = 0;
    int code;
    const struct option *options = gp_cli_options(own_options, false);
    while ((code = getopt_long(argc, argv, ":", options, NULL)) != -1) {
        if (gp_cli_option(cli, code, optarg, usage)) continue;
        switch (code) {
        case OPT_SVG: st->svg_path = optarg; break;
        case OPT_HTML: st->html_path = optarg; break;
        case OPT_SERVE: parse_serve(st, optarg); break;
        case OPT_TERM: st->term = true; break;
        case OPT_ROSTER: *roster_path = optarg; break;
        case OPT_BY: st->by = choice("--by", optarg, by_names); break;
        case OPT_PERIOD: mc->period = optarg; break;
        case OPT_PALETTE: st->palette = choice("--palette", optarg, palette_names); break;
        case OPT_SIZE: parse_size(st, optarg); break;
        case OPT_TITLE: st->title = optarg; break;
        case OPT_STALE:
            st->stale_ms = gp_opt_duration("--stale", optarg);
            if (st->stale_ms < 1000) gp_usage_error("--stale: at least 1s");
            break;
        default: gp_cli_bad_option(code, argv);
        }
    }
    if (!st->svg_path && !st->html_path && !st->serve && !st->term) st->svg_path = "-";
    if (st->term && st->svg_path && strcmp(st->svg_path, "-") == 0)
        gp_usage_error("--term and --svg - both want standard output");
}

int main(int argc, char **argv)
{
    gp_init(argv[0]);
    gp_cli cli = {0};
    settings st = {.by = GH_BY_COHORT, .width = 1280, .height = 800, .stale_ms = 65000};
    gh_model_config mc = {0};
    const char *roster_path = NULL;
    parse_options(argc, argv, &st, &cli, &mc, &roster_path);
    gp_roster *roster = roster_path ? gp_roster_load(roster_path) : NULL;
    mc.roster = roster;
    live L = {.st = &st, .model = gh_model_new(&mc), .last_tick = now_ms()};
    pthread_mutex_init(&L.lock, NULL);
    pthread_cond_init(&L.changed, NULL);
    pthread_t threads[2];
    gp_cli_start(&cli);
    if (st.serve) start_live(&L, threads);

    gp_reader *rd = gp_reader_new(argv + optind, GP_FMT_AUTO);
    gp_record *r;
    int got;
    while ((got = gp_reader_next(rd, &r)) != 0) {
        if (got < 0) {
            gp_cli_reject(&cli, r, gp_reader_error(rd));
            continue;
        }
        gp_error err;
        pthread_mutex_lock(&L.lock);
        int kind = gh_model_add(L.model, r, &err);
        if (kind == GH_IN_TICK) L.last_tick = now_ms();
        if (kind == GH_IN_TICK || (kind == GH_IN_ROW && !gh_model_tick(L.model)->seen)) L.dirty = true;
        if (kind == GH_IN_TICK && st.term) draw_terminal(L.model, &st, true);
        pthread_mutex_unlock(&L.lock);
        while (atomic_load(&L.publisher_waiting)) sched_yield();
        if (kind == GH_IN_BAD) gp_cli_reject(&cli, r, err.msg);
    }
    gp_reader_free(rd);
    if (st.term && !gh_model_tick(L.model)->seen) draw_terminal(L.model, &st, false);
    write_documents(L.model, &st);
    if (st.serve) finish_live(&L, threads);
    gh_model_free(L.model);
    gp_roster_free(roster);
    pthread_mutex_destroy(&L.lock);
    pthread_cond_destroy(&L.changed);
    gp_cli_finish(&cli);
    return GP_EXIT_OK;
}
