/* writer.c - writing records: pass-through with edits, format conversion,
 * and tables of new rows.
 *
 * A record that leaves in the format it came in is copied byte for byte;
 * edits splice new values into the copied bytes (NDJSON) or append cells
 * (CSV).  Only a record that changes format, or a CSV row whose existing
 * cell is edited, is written anew, and then in canonical form. */
#include "gpulse.h"
#include "bytescan.h"
#include "segment.h"

#include <stdlib.h>
#include <string.h>

enum { JSON_KEY_ROOM = 24 };

struct gp_writer {
    gp_out *out;
    int format;
    const char *const *extra;
    int nextra;
    bool started;
    /* CSV output columns */
    char **cols;
    size_t *col_len;
    int *col_id; /* the contract field whose canonical name a column has, or -1 */
    int ncols, cols_cap;
    /* column names hashed: open addressing, index + 1 (0 = empty), so a
     * header of 100k columns is set up in linear time */
    int *col_slots;
    size_t col_mask;
    /* CSV input -> output column map, rebuilt when the input header changes */
    int nextra_added; /* of the columns, the last ones are the tool's extras */
    bool from_csv;    /* the columns came from the first CSV header */
    int *map; /* input column i -> output column */
    int nmap;
    unsigned map_header; /* the csv_header_stamp of the rows the map is for (0: none, NDJSON) */
    bool identity;   /* input columns = first output columns, extras after */
    /* per gp_field_id: is an edit of it an appended column under the
     * current map?  0 not known yet, 1 yes, -1 no (reset with the map) */
    signed char appended[GP_F_COUNT];
    /* under an identity map with one appended column named after a
     * contract field: that field's id, else -1 (set with the map), so a
     * held row whose one edit fills it is written without looking further */
    int lone_extra_id;
    /* fields dropped from NDJSON records converted to CSV (not in the
     * header fixed by the first record): name, count, first place */
    struct dropped_field {
        char *name;
        long count;
        const char *file;
        long lineno;
    } *dropped;
    int ndropped;
    gp_buf line;
    gp_str *cells; /* output cells of the row being written */
    unsigned char *cell_kind;
    /* ,"name": of each contract field, as a held NDJSON record's new field
     * starts (append_json_fields), padded so it is copied whole */
    char json_key[GP_F_COUNT][JSON_KEY_ROOM];
    unsigned char json_key_len[GP_F_COUNT];
};

gp_writer *gp_writer_new(gp_out *out, int format, const char *const *extra)
{
    gp_writer *w = gp_xcalloc(1, sizeof *w);
    w->out = out;
    w->format = format;
    w->extra = extra;
    w->lone_extra_id = -1;
    while (extra && extra[w->nextra]) w->nextra++;
    for (int id = 0; id < GP_F_COUNT; id++) {
        int n = snprintf(w->json_key[id], JSON_KEY_ROOM, ",\"%s\":", gp_field_name(id));
        if (n < 0 || n >= JSON_KEY_ROOM) gp_die("internal error: field name '%s' too long", gp_field_name(id));
        w->json_key_len[id] = (unsigned char)n;
    }
    return w;
}

void gp_writer_free(gp_writer *w)
{
    if (!w) return;
    for (int i = 0; i < w->ndropped; i++) {
        const struct dropped_field *d = &w->dropped[i];
        gp_data_warn(d->file, d->lineno,
                     "field '%s' is not in the CSV header (fixed by the first record): dropped from %ld record%s",
                     d->name, d->count, d->count == 1 ? "" : "s");
        free(d->name);
    }
    free(w->dropped);
    for (int i = 0; i < w->ncols; i++) free(w->cols[i]);
    free(w->cols);
    free(w->col_len);
    free(w->col_id);
    free(w->col_slots);
    free(w->map);
    free(w->cells);
    free(w->cell_kind);
    gp_buf_free(&w->line);
    free(w);
}

/* The name a field is written under: canonical for the contract's fields. */
static gp_str output_name(const gp_field *f)
{
    gp_str s = f->key;
    if (f->id >= 0) {
        s.p = gp_field_name(f->id);
        s.n = strlen(s.p);
    }
    return s;
}

static size_t col_slot(const gp_writer *w, gp_str name)
{
    return (size_t)gp_hash(name.p, name.n, 0) & w->col_mask;
}

static int find_col(gp_writer *w, gp_str name)
{
    if (!w->col_slots) return -1;
    for (size_t s = col_slot(w, name);; s = (s + 1) & w->col_mask) {
        int i = w->col_slots[s] - 1;
        if (i < 0) return -1;
        if (w->col_len[i] == name.n && memcmp(w->cols[i], name.p, name.n) == 0) return i;
    }
}

static void index_col(gp_writer *w, int i)
{
    gp_str name = {w->cols[i], w->col_len[i]};
    size_t s = col_slot(w, name);
    while (w->col_slots[s]) s = (s + 1) & w->col_mask;
    w->col_slots[s] = i + 1;
}

static void add_col(gp_writer *w, gp_str name)
{
    if (find_col(w, name) >= 0) return;
    if (w->ncols == w->cols_cap) {
        w->cols_cap = w->cols_cap ? w->cols_cap * 2 : 16;
        w->cols = gp_xrealloc(w->cols, (size_t)w->cols_cap * sizeof *w->cols);
        w->col_len = gp_xrealloc(w->col_len, (size_t)w->cols_cap * sizeof *w->col_len);
        w->col_id = gp_xrealloc(w->col_id, (size_t)w->cols_cap * sizeof *w->col_id);
    }
    w->cols[w->ncols] = gp_xstrndup(name.p, name.n);
    w->col_len[w->ncols] = name.n;
    int id = gp_field_lookup(name.p, name.n);
    w->col_id[w->ncols] = id >= 0 && strcmp(gp_field_name(id), w->cols[w->ncols]) == 0 ? id : -1;
    w->ncols++;
    if ((size_t)w->ncols * 2 > w->col_mask) { /* keep the table at most half full */
        size_t nslots = w->col_mask ? (w->col_mask + 1) * 2 : 32;
        while ((size_t)w->ncols * 2 > nslots - 1) nslots *= 2;
        free(w->col_slots);
        w->col_slots = gp_xcalloc(nslots, sizeof *w->col_slots);
        w->col_mask = nslots - 1;
        for (int i = 0; i < w->ncols; i++) index_col(w, i);
    } else {
        index_col(w, w->ncols - 1);
    }
}

static gp_str zstr(const char *z)
{
    gp_str s = {z, strlen(z)};
    return s;
}

/* Fix the CSV columns from the first record, write the header. */
static void start_csv(gp_writer *w, gp_reader *rd, gp_record *r)
{
    bool own_header = r->format == GP_FMT_CSV;
    if (!own_header) {
        /* NDJSON records differ in their fields (routing or presence, end
         * or none, media on some): the contract's fields, and media that
         * gfetch emits, get a column whatever the first record holds, in
         * the one order of segment CSV (gpulse(7), FORMATS) */
        static const int core[] = {GP_F_USER_ID, GP_F_ROUTING_STATUS, GP_F_PRESENCE, GP_F_START,
                                   GP_F_END, GP_F_SECS, GP_F_ORG};
        for (size_t i = 0; i < sizeof core / sizeof core[0]; i++)
            add_col(w, zstr(gp_field_name(core[i])));
        add_col(w, zstr("media"));
    }
    for (int i = 0; i < r->nfields; i++)
        add_col(w, own_header ? r->fields[i].key : output_name(&r->fields[i]));
    int before = w->ncols;
    for (int i = 0; i < w->nextra; i++) add_col(w, zstr(w->extra[i]));
    w->nextra_added = w->ncols - before;
    w->from_csv = own_header;
    w->cells = gp_xcalloc((size_t)w->ncols, sizeof *w->cells);
    w->cell_kind = gp_xcalloc((size_t)w->ncols, 1);
    if (own_header && before == r->nfields) {
        /* keep the input's header bytes, with the extra names appended */
        gp_str raw = gp_reader_header_raw(rd);
        size_t body = raw.n;
        while (body > 0 && (raw.p[body - 1] == '\n' || raw.p[body - 1] == '\r')) body--;
        gp_out_write(w->out, raw.p, body);
        for (int i = before; i < w->ncols; i++) {
            gp_out_putc(w->out, ',');
            gp_csv_cell(w->out, w->cols[i], w->col_len[i]);
        }
        if (body < raw.n) gp_out_write(w->out, raw.p + body, raw.n - body);
        else gp_out_putc(w->out, '\n');
    } else {
        for (int i = 0; i < w->ncols; i++) {
            if (i) gp_out_putc(w->out, ',');
            gp_csv_cell(w->out, w->cols[i], w->col_len[i]);
        }
        gp_out_putc(w->out, '\n');
    }
}

static void build_map(gp_writer *w, gp_record *r)
{
    memset(w->appended, 0, sizeof w->appended);
    w->map_header = r->format == GP_FMT_CSV ? r->csv_header_stamp : 0;
    free(w->map);
    w->nmap = r->nfields;
    w->map = gp_xmalloc((size_t)(w->nmap ? w->nmap : 1) * sizeof *w->map);
    w->identity = true;
    for (int i = 0; i < r->nfields; i++) {
        gp_str name = r->format == GP_FMT_CSV ? r->fields[i].key : output_name(&r->fields[i]);
        int c = find_col(w, name);
        if (c < 0 && r->format == GP_FMT_JSON) c = find_col(w, r->fields[i].key);
        w->map[i] = c;
        if (c != i) w->identity = false;
    }
    if (w->nmap + w->nextra != w->ncols) w->identity = false;
    w->lone_extra_id = w->identity && w->ncols == w->nmap + 1 ? w->col_id[w->nmap] : -1;
}

/* The canonical text of a contract field's value: statuses in
 * SCREAMING_SNAKE_CASE, times in UTC with milliseconds.  Others as given. */
static gp_str canonical_value(gp_record *r, int i, char *tmp)
{
    gp_str v = gp_rec_value(r, i);
    int id = r->fields[i].id;
    if (v.n == 0) return v;
    if ((id == GP_F_ROUTING_STATUS || id == GP_F_PRESENCE) && v.n < 32) {
        v.n = gp_status_normalize(v.p, v.n, tmp);
        v.p = tmp;
    } else if (id == GP_F_START || id == GP_F_END) {
        int64_t ms;
        if (gp_time_parse(v.p, v.n, &ms) == 0) {
            v.n = gp_time_format(ms, tmp);
            v.p = tmp;
        }
    }
    return v;
}

static const gp_edit *edit_for(const gp_edit *edits, int nedits, const gp_field *f)
{
    for (int e = 0; e < nedits; e++) {
        if (edits[e].id >= 0 ? edits[e].id == f->id
                             : (f->id < 0 && f->key.n == strlen(edits[e].name) &&
                                memcmp(f->key.p, edits[e].name, f->key.n) == 0))
            return &edits[e];
    }
    return NULL;
}

static bool needs_json_escape(const char *s, size_t n)
{
    return gp_scan_json_special(s, s + n) != s + n;
}

static void json_edit_value(gp_buf *b, const gp_edit *e)
{
    if (e->kind == GP_V_NULL) gp_buf_adds(b, "null");
    else if (e->kind == GP_V_STRING) gp_buf_json_string(b, e->val, e->len);
    else gp_buf_add(b, e->val, e->len);
}

/* A value to replace in the copied bytes of a JSON record. */
typedef struct replacement {
    size_t vbeg, vend;
    const gp_edit *edit;
} replacement;

/* An edit's value as JSON, straight to the output. */
static void put_edit_value(gp_out *o, const gp_edit *e)
{
    if (e->kind == GP_V_NULL) gp_out_write(o, "null", 4);
    else if (e->kind == GP_V_STRING && !needs_json_escape(e->val, e->len)) {
        gp_out_putc(o, '"');
        gp_out_write(o, e->val, e->len);
        gp_out_putc(o, '"');
    } else if (e->kind == GP_V_STRING) gp_json_string(o, e->val, e->len);
    else gp_out_write(o, e->val, e->len);
}

/* Copy the JSON object RAW[0..end) (end just past its '}') to the output,
 * replacing the values in REPL (in byte order) and adding the edits not
 * USED before the closing brace.  Straight to the output buffer: this runs
 * for every record gshift writes. */
static void splice_json(gp_writer *w, const char *raw, size_t end, const replacement *repl,
                        int nrepl, const gp_edit *edits, int nedits, const bool *used,
                        bool has_fields)
{
    gp_out *o = w->out;
    size_t copied = 0;
    for (int i = 0; i < nrepl; i++) {
        gp_out_write(o, raw + copied, repl[i].vbeg - copied);
        put_edit_value(o, repl[i].edit);
        copied = repl[i].vend;
    }
    gp_out_write(o, raw + copied, end - 1 - copied);
    for (int e = 0; e < nedits; e++) {
        if (used[e]) continue;
        if (has_fields) gp_out_putc(o, ',');
        has_fields = true;
        gp_edit name = {NULL, GP_F_UNKNOWN, GP_V_STRING, edits[e].name, strlen(edits[e].name)};
        put_edit_value(o, &name);
        gp_out_putc(o, ':');
        put_edit_value(o, &edits[e]);
    }
    gp_out_write(o, "}\n", 2);
}

/* Where the JSON object ends: past its '}', before any line end. */
static size_t json_body_end(const char *raw, size_t len)
{
    while (len > 0 && (raw[len - 1] == '\n' || raw[len - 1] == '\r' || raw[len - 1] == ' ' ||
                       raw[len - 1] == '\t'))
        len--;
    return len;
}

#define MAX_EDITS 16

static void write_json_from_json(gp_writer *w, gp_record *r, const gp_edit *edits, int nedits)
{
    size_t end = json_body_end(r->raw, r->raw_len);
    if (nedits == 0) {
        gp_out_write(w->out, r->raw, end);
        gp_out_putc(w->out, '\n');
        return;
    }
    if (nedits > MAX_EDITS) gp_die("internal error: too many edits of one record");
    replacement repl[MAX_EDITS];
    bool used[MAX_EDITS] = {0};
    int nrepl = 0;
    for (int i = 0; i < r->nfields && nrepl < nedits; i++) {
        const gp_edit *e = edit_for(edits, nedits, &r->fields[i]);
        if (!e || used[e - edits]) continue;
        used[e - edits] = true;
        repl[nrepl++] = (replacement){r->fields[i].vbeg, r->fields[i].vend, e};
    }
    splice_json(w, r->raw, end, repl, nrepl, edits, nedits, used, r->nfields > 0);
}

/* A value from a CSV cell, typed for JSON: the contract's numeric fields
 * become numbers when they are numbers. */
static void json_cell_value(gp_buf *b, int id, gp_str v)
{
    if (id == GP_F_SECS || id == GP_F_SHIFT) {
        int64_t ms;
        if (gp_secs_parse(v.p, v.n, &ms) == 0) {
            char num[32];
            size_t n = gp_format_secs(ms, num);
            gp_buf_add(b, num, n);
            return;
        }
    }
    gp_buf_json_string(b, v.p, v.n);
}

static void write_json_from_csv(gp_writer *w, gp_record *r, const gp_edit *edits, int nedits)
{
    gp_buf *b = &w->line;
    b->len = 0;
    gp_buf_addc(b, '{');
    bool first = true;
    char tmp[80];
    bool used[64] = {0};
    for (int i = 0; i < r->nfields; i++) {
        const gp_edit *e = edit_for(edits, nedits, &r->fields[i]);
        gp_str name = output_name(&r->fields[i]);
        if (e) {
            if ((size_t)(e - edits) < 64) used[e - edits] = true;
        } else if (r->cells[i].n == 0) {
            continue; /* an empty cell is an absent field */
        }
        if (!first) gp_buf_addc(b, ',');
        first = false;
        gp_buf_json_string(b, name.p, name.n);
        gp_buf_addc(b, ':');
        if (e) json_edit_value(b, e);
        else json_cell_value(b, r->fields[i].id, canonical_value(r, i, tmp));
    }
    for (int e = 0; e < nedits && e < 64; e++) {
        if (used[e]) continue;
        if (!first) gp_buf_addc(b, ',');
        first = false;
        gp_buf_json_string(b, edits[e].name, strlen(edits[e].name));
        gp_buf_addc(b, ':');
        json_edit_value(b, &edits[e]);
    }
    gp_buf_add(b, "}\n", 2);
    gp_out_write(w->out, b->data, b->len);
}

static void write_csv_row(gp_writer *w, gp_record *r)
{
    gp_buf *b = &w->line;
    b->len = 0;
    for (int c = 0; c < w->ncols; c++) {
        if (c) gp_buf_addc(b, ',');
        if (w->cell_kind[c] == GP_V_NUMBER) gp_buf_add(b, w->cells[c].p, w->cells[c].n);
        else gp_buf_csv_cell(b, w->cells[c].p, w->cells[c].n);
    }
    /* keep the input's line ending (CRLF stays CRLF) */
    if (r->format == GP_FMT_CSV && r->raw_len >= 2 && r->raw[r->raw_len - 2] == '\r')
        gp_buf_addc(b, '\r');
    gp_buf_addc(b, '\n');
    gp_out_write(w->out, b->data, b->len);
}

/* Does EDIT fill output column C?  An edit of a contract field names it
 * canonically (gp_edit), so the ids compare; col_id[c] is the field whose
 * canonical name column C has, or -1. */
static bool edit_fills_col(const gp_writer *w, const gp_edit *edit, int c)
{
    if (edit->id >= 0) return edit->id == w->col_id[c];
    return strcmp(edit->name, w->cols[c]) == 0;
}

/* The fast path of CSV: a row with the output's own columns, whose edits
 * only fill the appended columns, is copied and the cells appended,
 * straight into the output buffer. */
static void append_csv_cells(gp_writer *w, const char *raw, size_t len, const gp_edit *edits,
                             int nedits)
{
    size_t end = len;
    while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r')) end--;
    gp_out *o = w->out;
    gp_out_write(o, raw, end);
    for (int c = w->nmap; c < w->ncols; c++) {
        gp_out_putc(o, ',');
        for (int e = 0; e < nedits; e++) {
            if (!edit_fills_col(w, &edits[e], c)) continue;
            if (edits[e].kind == GP_V_STRING) gp_csv_cell(o, edits[e].val, edits[e].len);
            else if (edits[e].kind != GP_V_NULL) gp_out_write(o, edits[e].val, edits[e].len);
            break;
        }
    }
    if (end < len) gp_out_write(o, raw + end, len - end);
    else gp_out_putc(o, '\n');
}

/* True when every edit names a column the writer appends to the input's. */
static bool edits_only_appended(gp_writer *w, const gp_edit *edits, int nedits)
{
    for (int e = 0; e < nedits; e++) {
        int id = edits[e].id;
        if (id >= 0 && w->appended[id]) {
            if (w->appended[id] < 0) return false;
            continue;
        }
        int c = find_col(w, zstr(edits[e].name));
        bool appended = !(c >= 0 && c < w->nmap);
        if (id >= 0) w->appended[id] = appended ? 1 : -1;
        if (!appended) return false;
    }
    return true;
}

int gp_csv_header_map(const gp_str *first, int nfirst, const gp_str *names, int n, int *map, char *why,
                      size_t why_size)
{
    for (int i = 0; i < n; i++) {
        map[i] = -1;
        for (int j = 0; j < nfirst && map[i] < 0; j++)
            if (gp_str_eq(names[i], first[j])) map[i] = j;
        if (map[i] < 0) {
            snprintf(why, why_size, "field '%.*s' is not in the first file's CSV header: cannot merge them",
                     (int)names[i].n, names[i].p);
            return -1;
        }
    }
    for (int j = 0; j < nfirst; j++) {
        bool found = false;
        for (int i = 0; i < n && !found; i++) found = map[i] == j;
        if (!found) {
            snprintf(why, why_size, "field '%.*s' of the first file's CSV header is missing: cannot merge them",
                     (int)first[j].n, first[j].p);
            return -1;
        }
    }
    return 0;
}

/* A later CSV file's header must hold the first one's fields, in any
 * order (its rows are then written in the first one's order). */
static void check_csv_fields(gp_writer *w, gp_record *r)
{
    int ninput = w->ncols - w->nextra_added;
    gp_str *first = gp_xmalloc((size_t)(ninput + 1) * sizeof *first);
    for (int i = 0; i < ninput; i++) first[i] = (gp_str){w->cols[i], w->col_len[i]};
    gp_str *names = gp_xmalloc((size_t)(r->nfields + 1) * sizeof *names);
    int nnames = 0;
    for (int i = 0; i < r->nfields; i++) {
        /* a column the tool adds (gshift's shift) may be there already */
        bool extra = false;
        for (int e = ninput; e < w->ncols && !extra; e++)
            extra = r->fields[i].key.n == w->col_len[e] && memcmp(r->fields[i].key.p, w->cols[e], w->col_len[e]) == 0;
        if (!extra) names[nnames++] = r->fields[i].key;
    }
    int *map = gp_xmalloc((size_t)(nnames + 1) * sizeof *map);
    char why[256];
    int same = gp_csv_header_map(first, ninput, names, nnames, map, why, sizeof why);
    free(first);
    free(names);
    free(map);
    if (same != 0) gp_data_die(r->file, 1, "%s", why);
}

/* A field of R has no column: counted, and named once at the end. */
static void note_dropped(gp_writer *w, const gp_record *r, gp_str name)
{
    for (int i = 0; i < w->ndropped; i++)
        if (strlen(w->dropped[i].name) == name.n && memcmp(w->dropped[i].name, name.p, name.n) == 0) {
            w->dropped[i].count++;
            return;
        }
    w->dropped = gp_xrealloc(w->dropped, (size_t)(w->ndropped + 1) * sizeof *w->dropped);
    w->dropped[w->ndropped++] = (struct dropped_field){gp_xstrndup(name.p, name.n), 1, r->file, r->lineno};
}

static void write_csv(gp_writer *w, gp_reader *rd, gp_record *r, const gp_edit *edits, int nedits)
{
    /* a row read under another header than the map's (a held row is
     * written after later rows were read: the reader's new header is no
     * sign of it) */
    bool other_header = r->format == GP_FMT_CSV && (r->csv_header_stamp ? r->csv_header_stamp != w->map_header
                                                                          : gp_reader_new_header(rd));
    if (w->map && other_header && w->from_csv) check_csv_fields(w, r);
    if (!w->map || other_header || r->format == GP_FMT_JSON) build_map(w, r);
    /* Fast path: a CSV row with the output's columns whose edits only fill
     * the appended columns: copy its bytes and append the cells. */
    bool edits_in_extras = true;
    for (int e = 0; e < nedits && edits_in_extras; e++)
        for (int i = 0; i < r->nfields; i++)
            if (edit_for(&edits[e], 1, &r->fields[i])) edits_in_extras = false;
    if (r->format == GP_FMT_CSV && w->identity && edits_in_extras) {
        append_csv_cells(w, r->raw, r->raw_len, edits, nedits);
        return;
    }
    for (int c = 0; c < w->ncols; c++) {
        w->cells[c].p = NULL;
        w->cells[c].n = 0;
        w->cell_kind[c] = GP_V_STRING;
    }
    gp_buf tmpbuf = {0};
    gp_buf_reserve(&tmpbuf, (size_t)r->nfields * 40 + 64);
    for (int i = 0; i < r->nfields; i++) {
        int c = w->map[i];
        if (c < 0) {
            note_dropped(w, r, output_name(&r->fields[i]));
            continue;
        }
        const gp_edit *e = edit_for(edits, nedits, &r->fields[i]);
        if (e) continue; /* filled below */
        if (r->format == GP_FMT_JSON) {
            /* canonical text goes to a scratch area that lives for the row */
            char *tmp = tmpbuf.data + tmpbuf.len;
            gp_str v = r->fields[i].kind == GP_V_OTHER || r->fields[i].kind == GP_V_BOOL
                           ? (gp_str){r->raw + r->fields[i].vbeg, r->fields[i].vend - r->fields[i].vbeg}
                           : gp_rec_value(r, i);
            if (r->fields[i].id >= 0 && v.n < 40) {
                v = canonical_value(r, i, tmp);
                if (v.p == tmp) tmpbuf.len += v.n;
            }
            w->cells[c] = v;
        } else {
            w->cells[c] = r->cells[i];
        }
    }
    for (int e = 0; e < nedits; e++) {
        int c = find_col(w, zstr(edits[e].name));
        if (c < 0) continue;
        w->cells[c].p = edits[e].kind == GP_V_NULL ? NULL : edits[e].val;
        w->cells[c].n = edits[e].kind == GP_V_NULL ? 0 : edits[e].len;
        w->cell_kind[c] = edits[e].kind == GP_V_NUMBER ? GP_V_NUMBER : GP_V_STRING;
    }
    write_csv_row(w, r);
    gp_buf_free(&tmpbuf);
}

void gp_layout_of(const gp_record *r, gp_layout *l)
{
    l->format = r->format;
    l->has_fields = r->nfields > 0;
    /* a CSV row is split again to be edited: no places kept, none read
     * (gp_write_held looks at them for NDJSON only) */
    l->csv_header = r->format == GP_FMT_CSV ? r->csv_header_stamp : 0;
    if (r->format == GP_FMT_CSV) return;
    memset(l->vbeg, 0, sizeof l->vbeg);
    memset(l->vend, 0, sizeof l->vend);
    /* from the fields, not the ids: a record has fewer of them, and most
     * are contract fields */
    for (int i = 0; i < r->nfields; i++) {
        int id = r->fields[i].id;
        if (id < 0 || r->known[id] != i) continue; /* not a contract field, or its repeat */
        l->vbeg[id] = (uint32_t)r->fields[i].vbeg;
        l->vend[id] = (uint32_t)r->fields[i].vend;
    }
}

/* The common case of a held JSON record: every edit is a field the record
 * lacks (gshift's shift, a derived end) and the line ends "}\n", so the
 * output is the line up to its brace, the new fields, and "}\n".  Written
 * straight into the output buffer; false when the case does not apply.
 * An edit of a contract field carries its canonical name (gp_edit), so
 * the name is the writer's ready ,"name": of the field id. */
static bool append_json_fields(gp_writer *w, const gp_held_record *h, const gp_edit *edits, int nedits)
{
    if (!h->layout.has_fields || h->len < 2 || h->raw[h->len - 2] != '}' || h->raw[h->len - 1] != '\n')
        return false;
    size_t need = h->len + 2;
    for (int e = 0; e < nedits; e++) {
        if (edits[e].id < 0 || h->layout.vend[edits[e].id] != 0) return false;
        if (edits[e].kind == GP_V_STRING && needs_json_escape(edits[e].val, edits[e].len)) return false;
        need += JSON_KEY_ROOM + edits[e].len + 6;
    }
    gp_out *o = w->out;
    if (o->cap - o->len < need) return false;
    char *p = o->buf + o->len;
    memcpy(p, h->raw, h->len - 2);
    p += h->len - 2;
    for (int e = 0; e < nedits; e++) {
        const gp_edit *ed = &edits[e];
        memcpy(p, w->json_key[ed->id], JSON_KEY_ROOM);
        p += w->json_key_len[ed->id];
        if (ed->kind == GP_V_NULL) {
            memcpy(p, "null", 4);
            p += 4;
            continue;
        }
        if (ed->kind == GP_V_STRING) *p++ = '"';
        gp_copy_small(p, ed->val, ed->len);
        p += ed->len;
        if (ed->kind == GP_V_STRING) *p++ = '"';
    }
    *p++ = '}';
    *p++ = '\n';
    o->len = (size_t)(p - o->buf);
    return true;
}

/* The usual held CSV row (gshift's whole piece): its one edit fills the
 * one appended column with a number or nothing.  Written as the row's
 * bytes without their line end, ',', the value and the line end, straight
 * into the output buffer: what append_csv_cells writes for it.  False
 * when the case does not apply or the buffer lacks room. */
static bool append_lone_csv_cell(gp_writer *w, const gp_held_record *h, const gp_edit *edits, int nedits)
{
    if (nedits != 1 || edits[0].id < 0 || edits[0].id != w->lone_extra_id || edits[0].kind == GP_V_STRING)
        return false;
    size_t value_len = edits[0].kind == GP_V_NULL ? 0 : edits[0].len;
    gp_out *o = w->out;
    if (o->cap - o->len < h->len + value_len + 2) return false;
    size_t end = h->len;
    while (end > 0 && (h->raw[end - 1] == '\n' || h->raw[end - 1] == '\r')) end--;
    char *p = o->buf + o->len;
    memcpy(p, h->raw, end);
    p += end;
    *p++ = ',';
    /* a shift number and a line end are a few bytes: copied by hand, not
     * through memcpy calls */
    for (size_t i = 0; i < value_len; i++) *p++ = edits[0].val[i];
    if (end == h->len) *p++ = '\n';
    for (size_t i = end; i < h->len; i++) *p++ = h->raw[i];
    o->len = (size_t)(p - o->buf);
    return true;
}

void gp_write_held(gp_writer *w, gp_reader *rd, const gp_held_record *h, const gp_edit *edits,
                   int nedits)
{
    if (w->format == GP_FMT_AUTO) w->format = h->layout.format;
    /* a row of the header the output's map was made for, whose columns
     * are the output's first ones: copied, cells appended */
    bool appendable = h->layout.format == GP_FMT_CSV && w->format == GP_FMT_CSV && w->started &&
                      w->identity && h->layout.csv_header && h->layout.csv_header == w->map_header;
    if (appendable && append_lone_csv_cell(w, h, edits, nedits)) return;
    if (appendable && edits_only_appended(w, edits, nedits)) {
        append_csv_cells(w, h->raw, h->len, edits, nedits);
        return;
    }
    if (h->layout.format != GP_FMT_JSON || w->format != GP_FMT_JSON) {
        gp_record *r = gp_reader_rescan(rd, h->raw, h->len, h->lineno, h->file);
        if (!r) gp_die("internal error: a held record no longer parses");
        gp_write_record(w, rd, r, edits, nedits);
        return;
    }
    if (nedits > MAX_EDITS) gp_die("internal error: too many edits of one record");
    if (append_json_fields(w, h, edits, nedits)) return;
    replacement repl[MAX_EDITS];
    bool used[MAX_EDITS] = {0};
    int nrepl = 0;
    for (int e = 0; e < nedits; e++) {
        int id = edits[e].id;
        if (id < 0 || h->layout.vend[id] == 0) continue;
        used[e] = true;
        /* insertion in byte order (a handful of edits at most) */
        int at = nrepl++;
        while (at > 0 && repl[at - 1].vbeg > h->layout.vbeg[id]) {
            repl[at] = repl[at - 1];
            at--;
        }
        repl[at] = (replacement){h->layout.vbeg[id], h->layout.vend[id], &edits[e]};
    }
    splice_json(w, h->raw, json_body_end(h->raw, h->len), repl, nrepl, edits, nedits, used,
                h->layout.has_fields);
}

void gp_writer_end(gp_writer *w, gp_reader *rd)
{
    if (w->started || gp_reader_format(rd) != GP_FMT_CSV || w->format == GP_FMT_JSON) return;
    gp_str raw = gp_reader_header_raw(rd);
    if (raw.n == 0) return;
    size_t body = raw.n;
    while (body > 0 && (raw.p[body - 1] == '\n' || raw.p[body - 1] == '\r')) body--;
    gp_out_write(w->out, raw.p, body);
    for (int i = 0; i < w->nextra; i++) {
        gp_out_putc(w->out, ',');
        gp_csv_cell(w->out, w->extra[i], strlen(w->extra[i]));
    }
    if (body < raw.n) gp_out_write(w->out, raw.p + body, raw.n - body);
    else gp_out_putc(w->out, '\n');
    w->started = true;
}

void gp_write_record(gp_writer *w, gp_reader *rd, gp_record *r, const gp_edit *edits, int nedits)
{
    if (w->format == GP_FMT_AUTO) w->format = r->format;
    if (w->format == GP_FMT_JSON) {
        if (r->format == GP_FMT_JSON) write_json_from_json(w, r, edits, nedits);
        else write_json_from_csv(w, r, edits, nedits);
        return;
    }
    if (!w->started) {
        start_csv(w, rd, r);
        w->started = true;
    }
    write_csv(w, rd, r, edits, nedits);
}

/* ------------------------------------------------------------------ */
/* Tables of new rows                                                   */

struct gp_table {
    gp_out *out;
    int format;
    int ncols;
    char **cols;
    gp_buf json_keys;         /* "name": of every column, one after the other */
    size_t *json_key_end;     /* where each one ends in json_keys */
    gp_buf *cells;
    unsigned char *kind; /* GP_V_ABSENT (unset), GP_V_STRING, GP_V_NUMBER */
    bool header_done;
    int ratio_digits; /* --digits, -1 = whole */
};

gp_table *gp_table_new(gp_out *out, int format, const char *const *columns, int ncolumns)
{
    gp_table *t = gp_xcalloc(1, sizeof *t);
    t->out = out;
    t->format = format == GP_FMT_CSV ? GP_FMT_CSV : GP_FMT_JSON;
    t->ncols = ncolumns;
    t->cols = gp_xmalloc((size_t)(ncolumns ? ncolumns : 1) * sizeof *t->cols);
    for (int i = 0; i < ncolumns; i++) t->cols[i] = gp_xstrdup(columns[i]);
    /* the JSON keys are escaped once, not in every row */
    t->json_key_end = gp_xmalloc((size_t)(ncolumns ? ncolumns : 1) * sizeof *t->json_key_end);
    for (int i = 0; i < ncolumns; i++) {
        gp_buf_json_string(&t->json_keys, columns[i], strlen(columns[i]));
        gp_buf_addc(&t->json_keys, ':');
        t->json_key_end[i] = t->json_keys.len;
    }
    t->cells = gp_xcalloc((size_t)(ncolumns ? ncolumns : 1), sizeof *t->cells);
    t->kind = gp_xcalloc((size_t)(ncolumns ? ncolumns : 1), 1);
    t->ratio_digits = -1;
    return t;
}

static void table_set(gp_table *t, int col, int kind, const char *s, size_t n)
{
    if (col < 0 || col >= t->ncols) return;
    t->cells[col].len = 0;
    gp_buf_add(&t->cells[col], s, n);
    t->kind[col] = (unsigned char)kind;
}

void gp_table_str(gp_table *t, int col, const char *s, size_t n) { table_set(t, col, GP_V_STRING, s, n); }
void gp_table_strz(gp_table *t, int col, const char *s) { table_set(t, col, GP_V_STRING, s, strlen(s)); }
void gp_table_num(gp_table *t, int col, const char *numtext)
{
    table_set(t, col, GP_V_NUMBER, numtext, strlen(numtext));
}

void gp_table_int(gp_table *t, int col, long long v)
{
    char num[32];
    int n = snprintf(num, sizeof num, "%lld", v);
    table_set(t, col, GP_V_NUMBER, num, (size_t)n);
}

void gp_table_secs(gp_table *t, int col, int64_t ms)
{
    char num[32];
    size_t n = gp_format_secs(ms, num);
    table_set(t, col, GP_V_NUMBER, num, n);
}

void gp_table_ratio(gp_table *t, int col, double v, bool defined)
{
    if (!defined) {
        if (col >= 0 && col < t->ncols) t->kind[col] = GP_V_ABSENT;
        return;
    }
    char num[32];
    size_t n = gp_format_ratio_digits(v, t->ratio_digits, num);
    table_set(t, col, GP_V_NUMBER, num, n);
}

void gp_table_ratio_digits(gp_table *t, int digits) { t->ratio_digits = digits; }

void gp_table_header(gp_table *t)
{
    if (t->format != GP_FMT_CSV || t->header_done) return;
    for (int i = 0; i < t->ncols; i++) {
        if (i) gp_out_putc(t->out, ',');
        gp_csv_cell(t->out, t->cols[i], strlen(t->cols[i]));
    }
    gp_out_putc(t->out, '\n');
    t->header_done = true;
}

void gp_table_time(gp_table *t, int col, int64_t ms)
{
    char ts[GP_TIME_LEN + 1];
    gp_time_format(ms, ts);
    table_set(t, col, GP_V_STRING, ts, GP_TIME_LEN);
}

void gp_table_end_row(gp_table *t)
{
    if (t->format == GP_FMT_CSV) {
        gp_table_header(t);
        for (int i = 0; i < t->ncols; i++) {
            if (i) gp_out_putc(t->out, ',');
            if (t->kind[i] == GP_V_STRING) gp_csv_cell(t->out, t->cells[i].data, t->cells[i].len);
            else if (t->kind[i] == GP_V_NUMBER) gp_out_write(t->out, t->cells[i].data, t->cells[i].len);
        }
        gp_out_putc(t->out, '\n');
    } else {
        gp_out_putc(t->out, '{');
        for (int i = 0; i < t->ncols; i++) {
            if (i) gp_out_putc(t->out, ',');
            size_t from = i ? t->json_key_end[i - 1] : 0;
            gp_out_write(t->out, t->json_keys.data + from, t->json_key_end[i] - from);
            if (t->kind[i] == GP_V_STRING) gp_json_string(t->out, t->cells[i].data, t->cells[i].len);
            else if (t->kind[i] == GP_V_NUMBER) gp_out_write(t->out, t->cells[i].data, t->cells[i].len);
            else gp_out_puts(t->out, "null");
        }
        gp_out_puts(t->out, "}\n");
    }
    for (int i = 0; i < t->ncols; i++) t->kind[i] = GP_V_ABSENT;
}

void gp_table_free(gp_table *t)
{
    if (!t) return;
    for (int i = 0; i < t->ncols; i++) {
        free(t->cols[i]);
        gp_buf_free(&t->cells[i]);
    }
    free(t->cols);
    gp_buf_free(&t->json_keys);
    free(t->json_key_end);
    free(t->cells);
    free(t->kind);
    free(t);
}

/* ------------------------------------------------------------------ */
/* New segment records                                                  */

static const char *const timeline_field[] = {"routing_status", "presence"};

void gp_segment_writer_start(gp_segment_writer *w)
{
    if (w->format != GP_FMT_CSV || w->header_done) return;
    gp_out_puts(w->out, "user_id,routing_status,presence,start,end");
    if (w->with_secs) gp_out_puts(w->out, ",secs");
    if (w->with_org) gp_out_puts(w->out, ",org");
    gp_out_putc(w->out, '\n');
    w->header_done = true;
}

static void write_segment_json(gp_segment_writer *w, const gp_segment *s, const char *extra)
{
    gp_out *o = w->out;
    char ts[GP_TIME_LEN + 1];
    gp_out_puts(o, "{\"user_id\":");
    gp_json_string(o, s->user.p, s->user.n);
    gp_out_printf(o, ",\"%s\":", timeline_field[s->timeline]);
    gp_json_string(o, s->status, s->status_len);
    gp_time_format(s->start, ts);
    gp_out_printf(o, ",\"start\":\"%s\"", ts);
    if (s->end != GP_TIME_NONE) {
        gp_time_format(s->end, ts);
        gp_out_printf(o, ",\"end\":\"%s\"", ts);
    }
    if (w->with_secs && s->secs != GP_TIME_NONE) {
        char num[32];
        gp_format_secs(s->secs, num);
        gp_out_printf(o, ",\"secs\":%s", num);
    }
    if (extra) {
        gp_out_putc(o, ',');
        gp_out_puts(o, extra);
    }
    if (w->with_org) {
        gp_out_puts(o, ",\"org\":");
        gp_json_string(o, s->org.p, s->org.n);
    }
    gp_out_puts(o, "}\n");
}

static void write_segment_csv(gp_segment_writer *w, const gp_segment *s)
{
    gp_out *o = w->out;
    char ts[GP_TIME_LEN + 1];
    gp_csv_cell(o, s->user.p, s->user.n);
    gp_out_putc(o, ',');
    if (s->timeline == GP_TL_ROUTING) gp_csv_cell(o, s->status, s->status_len);
    gp_out_putc(o, ',');
    if (s->timeline == GP_TL_PRESENCE) gp_csv_cell(o, s->status, s->status_len);
    gp_time_format(s->start, ts);
    gp_out_printf(o, ",%s,", ts);
    if (s->end != GP_TIME_NONE) {
        gp_time_format(s->end, ts);
        gp_out_puts(o, ts);
    }
    if (w->with_secs) {
        gp_out_putc(o, ',');
        if (s->secs != GP_TIME_NONE) {
            char num[32];
            gp_format_secs(s->secs, num);
            gp_out_puts(o, num);
        }
    }
    if (w->with_org) {
        gp_out_putc(o, ',');
        gp_csv_cell(o, s->org.p, s->org.n);
    }
    gp_out_putc(o, '\n');
}

void gp_write_segment(gp_segment_writer *w, const gp_segment *s, const char *extra)
{
    gp_segment_writer_start(w);
    if (w->format == GP_FMT_CSV) write_segment_csv(w, s);
    else write_segment_json(w, s, extra);
}

/* ------------------------------------------------------------------ */
/* Control records (gfetch stream)                                      */

void gp_control_begin(gp_out *o, const char *type, const char *org, int64_t at)
{
    char ts[GP_TIME_LEN + 1];
    gp_out_puts(o, "{\"type\":");
    gp_json_string(o, type, strlen(type));
    gp_out_puts(o, ",\"org\":");
    if (org) gp_json_string(o, org, strlen(org));
    else gp_out_puts(o, "null");
    gp_time_format(at, ts);
    gp_out_printf(o, ",\"at\":\"%s\"", ts);
}

void gp_control_str(gp_out *o, const char *name, const char *value, size_t n)
{
    gp_out_printf(o, ",\"%s\":", name);
    gp_json_string(o, value, n);
}

void gp_control_time(gp_out *o, const char *name, int64_t t)
{
    char ts[GP_TIME_LEN + 1];
    gp_time_format(t, ts);
    gp_out_printf(o, ",\"%s\":\"%s\"", name, ts);
}

void gp_control_size(gp_out *o, const char *name, size_t v) { gp_out_printf(o, ",\"%s\":%zu", name, v); }

void gp_control_double(gp_out *o, const char *name, double v) { gp_out_printf(o, ",\"%s\":%.17g", name, v); }

void gp_control_end(gp_out *o) { gp_out_puts(o, "}\n"); }
