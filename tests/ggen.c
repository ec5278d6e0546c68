/* ggen - a deterministic synthetic contact-center org, as Genesys Cloud
 * would report it: routing-status and presence segments (gpulse(7), SEGMENT RECORDS)
 * in canonical order, and optionally its roster (§2.4).
 *
 * Used by the tests, the bundled example org, the benchmarks and the fake
 * Genesys Cloud.  Same arguments => byte-identical output on every machine:
 * the only randomness is our own PRNG (splitmix64) and everything after it
 * is integer arithmetic (no rand(), no floating point, no libm), so no
 * libc or CPU can change a byte.  Time zones come from the system's tzdata
 * (through libgpulse), whose rules for the zones used here are settled.
 *
 * The model, per agent (all drawn from the seed and the agent's number):
 *   - a role (tier1-voice, tier1-chat, tier2-email, ~7% mixed
 *     "tier1-voice+tier2-email" on one roster row, ~3% mixed on two rows),
 *     a time zone, a shift pattern (day ~75%, split ~10%, night ~10%,
 *     rotating day/night by week ~5%) and a life event (none ~85%, new hire
 *     ~5%, back from leave ~5%, a few hours only ~5%).  These categorical
 *     draws use low-discrepancy (Weyl) sequences, so that even a 40-agent
 *     org gets close to the intended mix of every kind.
 *   - a target occupancy (40-95%) and NRT rate (0-10%).
 *   - per working day (Monday-Friday, local date of the shift's start):
 *     log in (presence AVAILABLE, routing OFF_QUEUE), cycles of IDLE and
 *     INTERACTING (presence ON_QUEUE) with occasional NOT_RESPONDING and
 *     COMMUNICATING, a morning break, lunch (OFF_QUEUE + MEAL or BREAK),
 *     sometimes a meeting or training and a short AWAY/BUSY/IDLE; OFF_QUEUE
 *     and OFFLINE between shifts.  Both timelines are contiguous from the
 *     agent's first moment in the window to the window's end.
 * A segment that crosses 00:00 UTC is written twice (an identical line
 * right after it), as Genesys repeats statuses at interval boundaries. */
#include "cli.h"
#include "gpulse.h"

#include <getopt.h>
#include <stdlib.h>

#define DAY_MS 86400000LL
#define MINUTE 60000LL
#define SECOND 1000LL

/* ------------------------------------------------------------------ */
/* Randomness                                                           */
/* ------------------------------------------------------------------ */

/* splitmix64: tiny, fast, good enough for synthetic data, and fully
 * specified (the same numbers everywhere). */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

typedef struct rng {
    uint64_t state;
} rng;

static uint64_t rng_next(rng *r)
{
    r->state += 0x9E3779B97F4A7C15ULL;
    return mix64(r->state);
}

/* Uniform in [lo, hi] (hi >= lo); the multiply-shift map has a bias far
 * below anything these data could show. */
static int64_t rng_range(rng *r, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)(hi - lo) + 1;
    uint64_t x = rng_next(r) >> 32;
    return lo + (int64_t)((x * span) >> 32);
}

/* True with probability PERMILLE / 1000. */
static bool rng_chance(rng *r, int64_t permille)
{
    return rng_range(r, 0, 999) < permille;
}

/* A duration with mean MEAN (triangular on [0, 2*MEAN)), at least MIN. */
static int64_t rng_around(rng *r, int64_t mean, int64_t min)
{
    uint64_t a = rng_next(r) >> 33, b = rng_next(r) >> 33; /* each [0, 2^31) */
    int64_t v = (int64_t)(((uint64_t)mean * (a + b)) >> 31);
    return v < min ? min : v;
}

/* The I-th point of a Weyl sequence in dimension DIM, in per mille.  Each
 * step is the fractional part of an irrational number (square roots of
 * primes), so the points spread evenly over [0, 1000) for any count. */
static int weyl_permille(uint64_t seed, int dim, uint64_t i)
{
    static const uint64_t steps[] = {
        0x6A09E667F3BCC909ULL, 0xBB67AE8584CAA73BULL, 0x3C6EF372FE94F82BULL,
        0xA54FF53A5F1D36F1ULL, 0x510E527FADE682D1ULL,
    };
    uint64_t u = mix64(seed * 0x2545F4914F6CDD1DULL + (uint64_t)dim) + i * steps[dim];
    return (int)(((u >> 32) * 1000) >> 32);
}

/* Pick from a table of cumulative per-mille bounds. */
static int pick(int permille, const int *bounds, int n)
{
    for (int i = 0; i < n - 1; i++)
        if (permille < bounds[i]) return i;
    return n - 1;
}

/* ------------------------------------------------------------------ */
/* The org's vocabulary                                                 */
/* ------------------------------------------------------------------ */

enum routing { R_OFF_QUEUE, R_IDLE, R_INTERACTING, R_NOT_RESPONDING, R_COMMUNICATING };
static const char *const routing_names[] = {
    "OFF_QUEUE", "IDLE", "INTERACTING", "NOT_RESPONDING", "COMMUNICATING",
};

enum presence {
    P_AVAILABLE, P_AWAY, P_BREAK, P_BUSY, P_IDLE, P_MEAL, P_MEETING, P_OFFLINE, P_ON_QUEUE,
    P_TRAINING,
};
static const char *const presence_names[] = {
    "AVAILABLE", "AWAY", "BREAK", "BUSY", "IDLE", "MEAL", "MEETING", "OFFLINE", "ON_QUEUE",
    "TRAINING",
};

enum media { M_NONE, M_VOICE, M_CHAT, M_EMAIL };
static const char *const media_names[] = {"", "voice", "chat", "email"};
/* Mean handling time per medium, seconds. */
static const int64_t media_mean_secs[] = {0, 300, 480, 600};

enum role { ROLE_VOICE, ROLE_CHAT, ROLE_EMAIL, ROLE_MIXED, ROLE_MIXED_TWO_ROWS };
static const int role_bounds[] = {450, 700, 900, 970, 1000};

static const char *const zones[] = {
    "America/Chicago", "America/New_York", "America/Los_Angeles", "Europe/London", "Asia/Manila",
};
enum { NZONES = sizeof zones / sizeof zones[0] };
static const int zone_bounds[] = {300, 550, 700, 850, 1000};

enum pattern { SHIFT_DAY, SHIFT_SPLIT, SHIFT_NIGHT, SHIFT_ROTATING };
static const int pattern_bounds[] = {750, 850, 950, 1000};

enum life { LIFE_REGULAR, LIFE_NEW_HIRE, LIFE_RETURNING, LIFE_FEW_HOURS };
static const int life_bounds[] = {850, 900, 950, 1000};

static const char *const first_names[] = {
    "Maria", "James", "Ana", "John", "Grace", "Liam", "Sofia", "Noah", "Mei", "Carlos",
    "Aisha", "Ethan", "Rosa", "Daniel", "Joy", "Marcus", "Elena", "Paolo", "Hannah", "Tomas",
    "Priya", "Kevin", "Lucia", "Owen", "Fatima", "Ryan", "Chloe", "Miguel", "Nina", "Sam",
};
static const char *const last_names[] = {
    "Santos", "Smith", "Reyes", "Johnson", "Garcia", "Brown", "Cruz", "Williams", "Bautista",
    "Jones", "Lopez", "Miller", "Mendoza", "Davis", "O'Neil", "Wilson", "Ramos", "Taylor",
    "Flores", "Anderson", "Villanueva", "Thomas", "Aquino", "Moore", "Torres", "Clark",
};
#define COUNT(a) (sizeof(a) / sizeof(a)[0])

/* ------------------------------------------------------------------ */
/* Agents                                                               */
/* ------------------------------------------------------------------ */

typedef struct agent {
    char user_id[37];
    int role, zone, pattern, life;
    int day_start_min;   /* local start of a day shift, minutes after midnight */
    int night_start_min; /* local start of a night shift */
    int occupancy_pm;    /* target occupancy, per mille */
    int nrt_pm;          /* target NRT rate, per mille */
    int64_t hire_day;    /* days since 1970-01-01 */
    int64_t returned_day; /* or GP_TIME_NONE */
    int64_t first_day;   /* first local date with data */
    uint64_t day_seed;   /* the stream of the agent's days */
    uint64_t name_seed;
} agent;

typedef struct settings {
    uint64_t seed;
    int64_t from_day; /* days since 1970-01-01 */
    int days;
    bool presence, duplicates, point_events;
    int format;
    const char *org;
} settings;

/* A UUID-shaped id (version 4 layout) from the seed and the agent number. */
static void make_user_id(uint64_t seed, uint64_t index, char out[37])
{
    rng r = {mix64(seed ^ 0x5EED0000U) ^ mix64(index + 0xA6E47ULL)};
    uint64_t hi = rng_next(&r), lo = rng_next(&r);
    hi = (hi & ~0xF000ULL) | 0x4000ULL;                          /* version 4 */
    lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL; /* variant 10 */
    static const char hex[] = "0123456789abcdef";
    char digits[32];
    for (int i = 0; i < 16; i++) {
        digits[i] = hex[(hi >> (60 - 4 * i)) & 15];
        digits[16 + i] = hex[(lo >> (60 - 4 * i)) & 15];
    }
    int d = 0, o = 0;
    for (int group = 0; group < 5; group++) {
        static const int lengths[] = {8, 4, 4, 4, 12};
        if (group) out[o++] = '-';
        for (int k = 0; k < lengths[group]; k++) out[o++] = digits[d++];
    }
    out[o] = '\0';
}

static void make_agent(const settings *s, uint64_t index, agent *a)
{
    memset(a, 0, sizeof *a);
    make_user_id(s->seed, index, a->user_id);
    a->role = pick(weyl_permille(s->seed, 0, index), role_bounds, 5);
    a->zone = pick(weyl_permille(s->seed, 1, index), zone_bounds, NZONES);
    a->pattern = pick(weyl_permille(s->seed, 2, index), pattern_bounds, 4);
    a->life = pick(weyl_permille(s->seed, 3, index), life_bounds, 4);

    rng r = {mix64(s->seed ^ 0xA9E47000ULL) ^ mix64(index)};
    a->day_start_min = (int)rng_range(&r, 7 * 4, 10 * 4) * 15;  /* 07:00-10:00 */
    a->night_start_min = (int)rng_range(&r, 21 * 4, 23 * 4) * 15; /* 21:00-23:00 */
    a->occupancy_pm = (int)rng_range(&r, 400, 950);
    /* most agents rarely miss an alert, a few often: skewed towards 0 */
    int64_t u = rng_range(&r, 0, 100), v = rng_range(&r, 0, 100);
    a->nrt_pm = (int)(u * v / 100);
    a->name_seed = rng_next(&r);
    a->day_seed = rng_next(&r);

    int64_t third = s->days / 3, quarter = s->days / 4, half = s->days / 2;
    a->returned_day = GP_TIME_NONE;
    a->first_day = s->from_day;
    switch (a->life) {
    case LIFE_NEW_HIRE: /* hired inside or just before the window, on the floor mid-window */
        a->first_day = s->from_day + third + rng_range(&r, 0, quarter);
        a->hire_day = a->first_day - rng_range(&r, 0, 14);
        a->returned_day = a->first_day; /* end of training */
        break;
    case LIFE_RETURNING: /* long tenure, back from leave inside the window */
        a->hire_day = s->from_day - rng_range(&r, 365, 3000);
        int64_t latest = half > 1 ? half : 0; /* a window of 1-3 days: from its start */
        a->first_day = s->from_day + rng_range(&r, latest ? 1 : 0, latest);
        a->returned_day = a->first_day;
        break;
    default: a->hire_day = s->from_day - rng_range(&r, 60, 3000); break;
    }
}

static void agent_name(const agent *a, char *out, size_t size)
{
    rng r = {a->name_seed};
    const char *first = first_names[rng_range(&r, 0, COUNT(first_names) - 1)];
    const char *last = last_names[rng_range(&r, 0, COUNT(last_names) - 1)];
    snprintf(out, size, "%s %s", first, last);
}

/* ------------------------------------------------------------------ */
/* Timelines                                                            */
/* ------------------------------------------------------------------ */

typedef struct segment {
    int64_t start, end;
    unsigned char status, media;
} segment;

/* One timeline (routing or presence) of one agent: contiguous segments,
 * each starting where the previous one ended, clipped to [lo, hi). */
typedef struct timeline {
    segment *v;
    size_t n, cap;
    int64_t lo, hi;
} timeline;

static void timeline_reset(timeline *t, int64_t lo, int64_t hi)
{
    t->n = 0;
    t->lo = lo;
    t->hi = hi;
}

/* Append [start, end) in STATUS; a stretch continuing the last segment's
 * status is merged into it (OFF_QUEUE after a shift and OFF_QUEUE while
 * logging in are one segment, as Genesys reports them). */
static void timeline_put(timeline *t, int status, int media, int64_t start, int64_t end)
{
    if (start < t->lo) start = t->lo;
    if (end > t->hi) end = t->hi;
    if (end <= start) return;
    if (t->n) {
        segment *last = &t->v[t->n - 1];
        if (last->status == status && last->media == media && last->end == start) {
            last->end = end;
            return;
        }
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 1024;
        t->v = gp_xrealloc(t->v, t->cap * sizeof *t->v);
    }
    t->v[t->n++] = (segment){start, end, (unsigned char)status, (unsigned char)media};
}

/* The end of the timeline so far (where the next segment starts). */
static int64_t timeline_end(const timeline *t)
{
    return t->n ? t->v[t->n - 1].end : t->lo;
}

typedef struct day_builder {
    const agent *a;
    rng *r;
    timeline *routing, *presence;
    int64_t nrt_odds; /* per mille per IDLE + INTERACTING cycle */
} day_builder;

static int interaction_media(const day_builder *b)
{
    switch (b->a->role) {
    case ROLE_VOICE: return M_VOICE;
    case ROLE_CHAT: return M_CHAT;
    case ROLE_EMAIL: return M_EMAIL;
    default: return rng_chance(b->r, 500) ? M_VOICE : M_EMAIL;
    }
}

/* One routing stretch of LENGTH from T in STATUS, cut at UNTIL (where
 * the next block of the day begins); returns where it ends. */
static int64_t stretch(day_builder *b, int status, int media, int64_t t, int64_t length,
                       int64_t until)
{
    int64_t end = t + length < until ? t + length : until;
    timeline_put(b->routing, status, media, t, end);
    return end;
}

/* On queue from the routing timeline's end until UNTIL: cycles of IDLE
 * (sometimes an alert missed: NOT_RESPONDING, then IDLE again) and
 * INTERACTING (sometimes followed by COMMUNICATING), presence ON_QUEUE. */
static void work_until(day_builder *b, int64_t until)
{
    rng *r = b->r;
    int64_t t = timeline_end(b->routing);
    if (t >= until) return;
    timeline_put(b->presence, P_ON_QUEUE, M_NONE, t, until);
    int occupancy = b->a->occupancy_pm;
    while (t < until) {
        int media = interaction_media(b);
        int64_t handle_mean = media_mean_secs[media] * SECOND;
        int64_t idle_mean = handle_mean * (1000 - occupancy) / occupancy;
        int64_t idle = rng_around(r, idle_mean, 5 * SECOND) / SECOND * SECOND;
        t = stretch(b, R_IDLE, M_NONE, t, idle, until);
        if (t < until && rng_chance(r, b->nrt_odds)) {
            t = stretch(b, R_NOT_RESPONDING, M_NONE, t, rng_range(r, 20, 100) * SECOND, until);
            if (t < until) t = stretch(b, R_IDLE, M_NONE, t, rng_range(r, 5, 30) * SECOND, until);
        }
        if (t >= until) break;
        int64_t handle = rng_around(r, handle_mean, 20 * SECOND) / SECOND * SECOND;
        t = stretch(b, R_INTERACTING, media, t, handle, until);
        if (t < until && rng_chance(r, 50))
            t = stretch(b, R_COMMUNICATING, M_NONE, t, rng_range(r, 60, 300) * SECOND, until);
    }
}

/* Off queue for MINUTES in presence STATUS (a break, lunch, a meeting). */
static void off_queue(day_builder *b, int presence, int64_t minutes_ms)
{
    int64_t t = timeline_end(b->routing);
    timeline_put(b->routing, R_OFF_QUEUE, M_NONE, t, t + minutes_ms);
    timeline_put(b->presence, presence, M_NONE, t, t + minutes_ms);
}

/* Between shifts, or before the first: OFF_QUEUE and OFFLINE until UNTIL. */
static void logged_out_until(day_builder *b, int64_t until)
{
    timeline_put(b->routing, R_OFF_QUEUE, M_NONE, timeline_end(b->routing), until);
    timeline_put(b->presence, P_OFFLINE, M_NONE, timeline_end(b->presence), until);
}

/* One stretch of work from START lasting LENGTH: log in, then work with
 * the breaks of the day; LUNCH says whether this part has lunch.
 * Random draws are made one per statement, never two in one call's
 * arguments: the order in which arguments are evaluated is unspecified
 * (gcc and clang differ), and the output must not depend on the compiler. */
static void shift_part(day_builder *b, int64_t start, int64_t length, bool lunch)
{
    rng *r = b->r;
    int64_t end = start + length;
    logged_out_until(b, start);
    off_queue(b, P_AVAILABLE, rng_range(r, 1, 5) * MINUTE); /* logging in */
    if (length >= 3 * 60 * MINUTE && rng_chance(r, 700)) {
        work_until(b, start + length / 4 + rng_range(r, -10, 10) * MINUTE);
        off_queue(b, P_BREAK, rng_range(r, 10, 15) * MINUTE);
    }
    if (lunch) {
        work_until(b, start + length / 2 + rng_range(r, -20, 20) * MINUTE);
        int64_t minutes = rng_range(r, 30, 60);
        int presence = rng_chance(r, 800) ? P_MEAL : P_BREAK;
        off_queue(b, presence, minutes * MINUTE);
    }
    if (rng_chance(r, 150)) { /* a team meeting or a training session */
        work_until(b, start + length * 2 / 3);
        int64_t minutes = rng_range(r, 30, 60);
        int presence = rng_chance(r, 500) ? P_MEETING : P_TRAINING;
        off_queue(b, presence, minutes * MINUTE);
    }
    if (rng_chance(r, 300)) { /* away from the desk, busy, or idle at the desk */
        static const int short_ones[] = {P_AWAY, P_BUSY, P_IDLE};
        work_until(b, start + length * 5 / 6);
        int64_t minutes = rng_range(r, 5, 15);
        int presence = short_ones[rng_range(r, 0, 2)];
        off_queue(b, presence, minutes * MINUTE);
    }
    work_until(b, end);
    logged_out_until(b, end);
}

/* 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday). */
static int weekday(int64_t days)
{
    return (int)(((days + 3) % 7 + 7) % 7);
}

/* UTC instants of local midnight per zone and day, computed once: the
 * time zone lookups are the only slow call in the generator. */
typedef struct midnights {
    int64_t first_day;
    int ndays;
    int64_t *at; /* [zone * ndays + day - first_day] */
} midnights;

static void midnights_init(midnights *m, int64_t first_day, int ndays)
{
    m->first_day = first_day;
    m->ndays = ndays;
    m->at = gp_xmalloc((size_t)NZONES * (size_t)ndays * sizeof *m->at);
    for (int z = 0; z < NZONES; z++)
        for (int d = 0; d < ndays; d++)
            m->at[z * ndays + d] = gp_tz_local_midnight(zones[z], first_day + d);
}

static int64_t midnight(const midnights *m, int zone, int64_t day)
{
    return m->at[zone * m->ndays + (day - m->first_day)];
}

/* Build AGENT's two timelines over the window. */
static void build_agent(const settings *s, const midnights *m, const agent *a, timeline *routing,
                        timeline *presence)
{
    int64_t window_end = (s->from_day + s->days) * DAY_MS;
    int64_t data_start = a->first_day == s->from_day ? s->from_day * DAY_MS
                                                     : midnight(m, a->zone, a->first_day);
    if (data_start < s->from_day * DAY_MS) data_start = s->from_day * DAY_MS;
    timeline_reset(routing, data_start, window_end);
    timeline_reset(presence, data_start, window_end);

    rng r = {a->day_seed};
    day_builder b = {a, &r, routing, presence, 0};
    /* odds per cycle that give the agent's NRT rate on average:
     * rate = p*missed / (cycle + p*missed), missed 60 s on average */
    static const int64_t role_handle_secs[] = {300, 480, 600, 450, 450}; /* mixed: voice and email */
    int64_t handle_mean = role_handle_secs[a->role];
    int64_t cycle = handle_mean * 1000 / a->occupancy_pm;
    b.nrt_odds = (int64_t)a->nrt_pm * cycle * 1000 / ((1000 - a->nrt_pm) * 60);
    if (b.nrt_odds > 1000) b.nrt_odds = 1000;

    /* local dates from the day before the window (a night shift) to its end */
    for (int64_t day = s->from_day - 1; day <= s->from_day + s->days; day++) {
        int wd = weekday(day);
        int64_t base = midnight(m, a->zone, day);
        /* the day's own draws: start jitter, length, and whether an
         * agent with few hours works it */
        int64_t jitter = rng_range(&r, -10, 10) * MINUTE;
        int64_t length = (8 * 60 + rng_range(&r, 15, 45)) * MINUTE;
        bool worked_if_few = rng_chance(&r, 250);
        if (wd >= 5) continue;
        if (a->life == LIFE_FEW_HOURS && !worked_if_few) continue;
        int pattern = a->pattern;
        if (pattern == SHIFT_ROTATING) /* day shifts one week, nights the next */
            pattern = ((day - s->from_day + 7) / 7) % 2 ? SHIFT_NIGHT : SHIFT_DAY;
        int start_min = pattern == SHIFT_NIGHT ? a->night_start_min : a->day_start_min;
        int64_t start = base + start_min * MINUTE + jitter;
        if (start < data_start || start >= window_end) continue;
        if (a->life == LIFE_FEW_HOURS) {
            shift_part(&b, start, rng_range(&r, 3 * 60, 5 * 60) * MINUTE, false);
        } else if (pattern == SHIFT_SPLIT) {
            int64_t first = rng_range(&r, 210, 270) * MINUTE;
            int64_t gap = rng_range(&r, 180, 240) * MINUTE;
            shift_part(&b, start, first, false);
            shift_part(&b, start + first + gap, length - first, false);
        } else {
            shift_part(&b, start, length, true);
        }
    }
    logged_out_until(&b, window_end);
}

/* ------------------------------------------------------------------ */
/* Output                                                               */
/* ------------------------------------------------------------------ */

typedef struct writer {
    const settings *s;
    gp_out *out;
    gp_buf org_json; /* ,"org":"LABEL" */
    gp_buf org_csv;  /* ,LABEL (quoted when needed) */
} writer;

static bool crosses_midnight(const segment *g)
{
    int64_t next_midnight = (g->start / DAY_MS + 1) * DAY_MS;
    return next_midnight < g->end;
}

static void put(gp_out *o, const char *s, size_t n)
{
    gp_out_write(o, s, n);
}

static void put_csv(writer *w, const agent *a, const segment *g, bool is_routing,
                    const char *status, const char *start, const char *end)
{
    gp_out *o = w->out;
    put(o, a->user_id, 36);
    put(o, ",", 1);
    if (is_routing) put(o, status, strlen(status));
    put(o, ",", 1);
    if (!is_routing) put(o, status, strlen(status));
    put(o, ",", 1);
    put(o, start, GP_TIME_LEN);
    put(o, ",", 1);
    if (!w->s->point_events) put(o, end, GP_TIME_LEN);
    put(o, ",", 1);
    put(o, media_names[g->media], strlen(media_names[g->media]));
    if (w->s->org) put(o, w->org_csv.data, w->org_csv.len);
    put(o, "\n", 1);
}

static void put_json(writer *w, const agent *a, const segment *g, bool is_routing,
                     const char *status, const char *start, const char *end)
{
    gp_out *o = w->out;
    put(o, "{\"user_id\":\"", 12);
    put(o, a->user_id, 36);
    if (is_routing) put(o, "\",\"routing_status\":\"", 20);
    else put(o, "\",\"presence\":\"", 14);
    put(o, status, strlen(status));
    put(o, "\",\"start\":\"", 11);
    put(o, start, GP_TIME_LEN);
    if (!w->s->point_events) {
        put(o, "\",\"end\":\"", 9);
        put(o, end, GP_TIME_LEN);
    }
    put(o, "\"", 1);
    if (g->media != M_NONE) {
        put(o, ",\"media\":\"", 10);
        put(o, media_names[g->media], strlen(media_names[g->media]));
        put(o, "\"", 1);
    }
    if (w->s->org) put(o, w->org_json.data, w->org_json.len);
    put(o, "}\n", 2);
}

static void write_segment(writer *w, const agent *a, const segment *g, bool is_routing)
{
    const char *status = is_routing ? routing_names[g->status] : presence_names[g->status];
    char start[GP_TIME_LEN + 1], end[GP_TIME_LEN + 1];
    gp_time_format(g->start, start);
    gp_time_format(g->end, end);
    if (w->s->format == GP_FMT_CSV) put_csv(w, a, g, is_routing, status, start, end);
    else put_json(w, a, g, is_routing, status, start, end);
}

/* Records of one segment: one, or two when it crosses 00:00 UTC. */
static unsigned segment_records(const settings *s, const segment *g)
{
    return s->duplicates && crosses_midnight(g) ? 2 : 1;
}

static void write_agent(writer *w, const agent *a, const timeline *routing,
                        const timeline *presence)
{
    /* merge the two timelines by (start, routing first, end) */
    size_t i = 0, j = 0, np = w->s->presence ? presence->n : 0;
    while (i < routing->n || j < np) {
        bool take_routing = j == np || (i < routing->n && routing->v[i].start <= presence->v[j].start);
        const segment *g = take_routing ? &routing->v[i++] : &presence->v[j++];
        for (unsigned k = segment_records(w->s, g); k > 0; k--) write_segment(w, a, g, take_routing);
    }
}

static void write_roster(const settings *s, const char *path, agent *agents, size_t n)
{
    gp_out out;
    gp_out_open_file(&out, path);
    gp_out_puts(&out, "user_id,name,role,tz,hire_date,returned_on,org\n");
    for (size_t i = 0; i < n; i++) {
        const agent *a = &agents[i];
        static const char *const one_row_roles[] = {
            "tier1-voice", "tier1-chat", "tier2-email", "tier1-voice+tier2-email",
        };
        const char *roles[2] = {NULL, NULL};
        if (a->role == ROLE_MIXED_TWO_ROWS) {
            roles[0] = "tier1-voice";
            roles[1] = "tier2-email";
        } else {
            roles[0] = one_row_roles[a->role];
        }
        char name[64], hired[16], returned[16] = "";
        agent_name(a, name, sizeof name);
        int64_t y;
        unsigned mo, d;
        gp_civil_from_days(a->hire_day, &y, &mo, &d);
        snprintf(hired, sizeof hired, "%04d-%02u-%02u", (int)y, mo, d);
        if (a->returned_day != GP_TIME_NONE) {
            gp_civil_from_days(a->returned_day, &y, &mo, &d);
            snprintf(returned, sizeof returned, "%04d-%02u-%02u", (int)y, mo, d);
        }
        for (int k = 0; k < 2 && roles[k]; k++) {
            gp_out_printf(&out, "%s,", a->user_id);
            gp_csv_cell(&out, name, strlen(name));
            gp_out_printf(&out, ",%s,%s,%s,%s,", roles[k], zones[a->zone], hired, returned);
            if (s->org) gp_csv_cell(&out, s->org, strlen(s->org));
            gp_out_putc(&out, '\n');
        }
    }
    gp_out_close(&out);
}

/* ------------------------------------------------------------------ */
/* Command line                                                         */
/* ------------------------------------------------------------------ */

enum {
    OPT_AGENTS = 1, OPT_DAYS, OPT_FROM, OPT_SEED, OPT_SEGMENTS, OPT_ORG, OPT_ROSTER,
    OPT_NO_PRESENCE, OPT_NO_DUPLICATES, OPT_POINT_EVENTS,
};

static const struct option options[] = {
    {"agents", required_argument, NULL, OPT_AGENTS},
    {"days", required_argument, NULL, OPT_DAYS},
    {"from", required_argument, NULL, OPT_FROM},
    {"seed", required_argument, NULL, OPT_SEED},
    {"segments", required_argument, NULL, OPT_SEGMENTS},
    {"org", required_argument, NULL, OPT_ORG},
    {"roster", required_argument, NULL, OPT_ROSTER},
    {"no-presence", no_argument, NULL, OPT_NO_PRESENCE},
    {"no-duplicates", no_argument, NULL, OPT_NO_DUPLICATES},
    {"point-events", no_argument, NULL, OPT_POINT_EVENTS},
    {"json", no_argument, NULL, GP_OPT_JSON},
    {"csv", no_argument, NULL, GP_OPT_CSV},
    {"help", no_argument, NULL, GP_OPT_HELP},
    {"version", no_argument, NULL, GP_OPT_VERSION},
    {NULL, 0, NULL, 0},
};

static void usage(void)
{
    gp_out_puts(&gp_stdout,
        "Usage: ggen [OPTION]...\n"
        "Write a synthetic contact-center org's routing-status and presence\n"
        "segments to standard output, in canonical order (org, user_id, start).\n"
        "The same options give byte-identical output on every machine.\n"
        "\n"
        "      --agents N       number of agents (default 40)\n"
        "      --days D         days in the window (default 14)\n"
        "      --from DATE      first day of the window, YYYY-MM-DD, 00:00 UTC\n"
        "                       (default 2026-11-02, a Monday)\n"
        "      --seed S         seed of the org (default 1)\n"
        "      --segments N     pick the number of agents that gives about N\n"
        "                       records over the window (overrides --agents)\n"
        "      --org LABEL      add \"org\":LABEL to every record (and the roster)\n"
        "      --roster FILE    also write the org's roster CSV to FILE\n"
        "      --no-presence    routing-status records only\n"
        "      --no-duplicates  do not repeat segments that cross 00:00 UTC\n"
        "      --point-events   omit \"end\": a stream of state changes\n"
        "      --json           write NDJSON (the default)\n"
        "      --csv            write CSV: user_id,routing_status,presence,start,end,\n"
        "                       media (and org with --org)\n"
        "      --help           display this help and exit\n"
        "      --version        output version information and exit\n"
        "\n"
        "Exit status: 0 success, 1 runtime error, 2 usage error.\n");
    gp_out_close(&gp_stdout);
}

static int compare_user_ids(const void *x, const void *y)
{
    return strcmp(((const agent *)x)->user_id, ((const agent *)y)->user_id);
}

/* Records AGENT's timelines give. */
static uint64_t agent_records(const settings *s, const timeline *routing, const timeline *presence)
{
    uint64_t n = 0;
    for (size_t i = 0; i < routing->n; i++) n += segment_records(s, &routing->v[i]);
    for (size_t i = 0; s->presence && i < presence->n; i++)
        n += segment_records(s, &presence->v[i]);
    return n;
}

/* The number of agents whose records add up to about TARGET: agents are
 * added in the order of their numbers (which is what --agents N takes)
 * until the total reaches TARGET, keeping the last one only if that lands
 * nearer. */
static uint64_t agents_for_segments(const settings *s, const midnights *m, uint64_t target,
                                    timeline *routing, timeline *presence)
{
    uint64_t total = 0, n = 0;
    while (total < target) {
        agent a;
        make_agent(s, n, &a);
        build_agent(s, m, &a, routing, presence);
        uint64_t mine = agent_records(s, routing, presence);
        if (n > 0 && total + mine > target && total + mine - target > target - total) break;
        total += mine;
        n++;
    }
    return n;
}

int main(int argc, char **argv)
{
    gp_init(argv[0]);
    gp_cli cli = {0};
    settings s = {.seed = 1, .days = 14, .presence = true, .duplicates = true};
    long long agents_wanted = 40, segments_wanted = 0;
    const char *roster_path = NULL;
    if (gp_date_parse("2026-11-02", 10, &s.from_day) != 0) gp_die("cannot parse the default date");
    opterr = 0;
    int code;
    while ((code = getopt_long(argc, argv, ":", options, NULL)) != -1) {
        if (gp_cli_option(&cli, code, optarg, usage)) continue;
        switch (code) {
        case OPT_AGENTS: agents_wanted = gp_opt_long("--agents", optarg, 1, 1000000); break;
        case OPT_DAYS: s.days = (int)gp_opt_long("--days", optarg, 1, 3660); break;
        case OPT_FROM:
            if (gp_date_parse(optarg, strlen(optarg), &s.from_day) != 0)
                gp_usage_error("invalid date for --from: '%s' (expected YYYY-MM-DD)", optarg);
            break;
        case OPT_SEED: s.seed = (uint64_t)gp_opt_long("--seed", optarg, 0, INT64_MAX); break;
        case OPT_SEGMENTS:
            segments_wanted = gp_opt_long("--segments", optarg, 1, 1000000000);
            break;
        case OPT_ORG: s.org = optarg; break;
        case OPT_ROSTER: roster_path = optarg; break;
        case OPT_NO_PRESENCE: s.presence = false; break;
        case OPT_NO_DUPLICATES: s.duplicates = false; break;
        case OPT_POINT_EVENTS: s.point_events = true; break;
        default: gp_cli_bad_option(code, argv);
        }
    }
    if (optind < argc) gp_usage_error("extra operand '%s'", argv[optind]);
    s.from_day /= DAY_MS; /* gp_date_parse gives midnight in ms */
    s.format = cli.out_format == GP_FMT_CSV ? GP_FMT_CSV : GP_FMT_JSON;

    midnights m;
    midnights_init(&m, s.from_day - 2, s.days + 4);
    static timeline routing, presence;
    uint64_t nagents = (uint64_t)agents_wanted;
    if (segments_wanted) nagents = agents_for_segments(&s, &m, (uint64_t)segments_wanted, &routing, &presence);

    /* canonical order: agents by user_id (the org is the same for all) */
    agent *agents = gp_xmalloc(nagents * sizeof *agents);
    for (uint64_t i = 0; i < nagents; i++) make_agent(&s, i, &agents[i]);
    qsort(agents, nagents, sizeof *agents, compare_user_ids);

    if (roster_path) write_roster(&s, roster_path, agents, nagents);

    writer w = {.s = &s, .out = &gp_stdout};
    if (s.org) {
        gp_buf_adds(&w.org_json, ",\"org\":");
        gp_buf_json_string(&w.org_json, s.org, strlen(s.org));
        gp_buf_addc(&w.org_csv, ',');
        gp_buf_csv_cell(&w.org_csv, s.org, strlen(s.org));
    }
    if (s.format == GP_FMT_CSV)
        gp_out_puts(&gp_stdout, s.org ? "user_id,routing_status,presence,start,end,media,org\n"
                                      : "user_id,routing_status,presence,start,end,media\n");
    for (uint64_t i = 0; i < nagents; i++) {
        build_agent(&s, &m, &agents[i], &routing, &presence);
        write_agent(&w, &agents[i], &routing, &presence);
    }
    gp_out_close(&gp_stdout);
    gp_buf_free(&w.org_json);
    gp_buf_free(&w.org_csv);
    free(routing.v);
    free(presence.v);
    free(agents);
    free(m.at);
    return GP_EXIT_OK;
}
