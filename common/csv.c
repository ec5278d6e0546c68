/* csv.c - reading CSV records: plain rows split here, quoted ones through
 * libcsv (RFC 4180: quotes, embedded commas and newlines, CRLF); a
 * record's raw bytes are the input lines it spans, its fields named by the
 * file's header. */
#include "reader_impl.h"

#include "bytescan.h"
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* CSV through libcsv                                                   */

#define BARE_CR_MESSAGE \
    "CSV lines end in a bare CR (old Mac style), not read: convert them with tr '\\r' '\\n'"

static void csv_cell_cb(void *text, size_t len, void *data)
{
    csv_row *row = data;
    if (row->done) row->past_end = true;
    if (row->n == row->cap) {
        row->cap = row->cap ? row->cap * 2 : 16;
        row->off = gp_xrealloc(row->off, (size_t)row->cap * sizeof *row->off);
        row->len = gp_xrealloc(row->len, (size_t)row->cap * sizeof *row->len);
    }
    row->off[row->n] = row->text.len;
    row->len[row->n] = len;
    row->n++;
    gp_buf_add(&row->text, text ? text : "", text ? len : 0);
    row->base = row->text.data;
}

static void csv_row_cb(int c, void *data)
{
    csv_row *row = data;
    (void)c;
    if (row->done) row->past_end = true;
    row->done = true;
}

static void csv_row_clear(csv_row *row)
{
    row->n = 0;
    row->text.len = 0;
    row->done = false;
    row->past_end = false;
}

static void csv_row_free(csv_row *row)
{
    gp_buf_free(&row->text);
    free(row->off);
    free(row->len);
}

/* RFC 4180: spaces are part of a field.  (libcsv trims them by default.) */
static int no_spaces(unsigned char c)
{
    (void)c;
    return 0;
}

static void csv_init_parser(struct csv_parser *p)
{
    if (csv_init(p, CSV_STRICT | CSV_STRICT_FINI) != 0) gp_die("cannot start the CSV parser");
    csv_set_space_func(p, no_spaces);
}

void gp_csv_start(gp_reader *rd)
{
    if (rd->csv_ready) csv_free(&rd->csv);
    csv_init_parser(&rd->csv);
    rd->csv_ready = true;
}

/* Most lines hold no quote: those are split on commas here, and only the
 * others go through libcsv, which calls back for every cell.  Returns false
 * to leave the line to libcsv. */
/* Add the cell [start, end) of a plain row. */
static void plain_cell(csv_row *row, size_t start, size_t end)
{
    if (row->n == row->cap) {
        row->cap = row->cap ? row->cap * 2 : 16;
        row->off = gp_xrealloc(row->off, (size_t)row->cap * sizeof *row->off);
        row->len = gp_xrealloc(row->len, (size_t)row->cap * sizeof *row->len);
    }
    row->off[row->n] = start;
    row->len[row->n] = end - start;
    row->n++;
}

static bool split_plain_cells(csv_row *row, const char *line, size_t len);

/* A row on one line with no quote and no CR but its line end (nearly every
 * row a program writes) is split at its commas in one pass, its cells left
 * in the line; anything else goes to libcsv.  Returns false then, with the
 * row empty again. */
static bool csv_split_plain(csv_row *row, const char *line, size_t len)
{
    if (split_plain_cells(row, line, len)) return true;
    row->n = 0;
    return false;
}

static bool split_plain_cells(csv_row *row, const char *line, size_t len)
{
    size_t n = len;
    if (n && line[n - 1] == '\n') n--;
    if (n && line[n - 1] == '\r') n--;
    if (n == 0) return false;
    row->n = 0;
    size_t start = 0, i = 0;
#ifdef GP_BYTESCAN_SSE2
    for (; i + 16 <= n; i += 16) {
        if (gp_mask16_either(line + i, '"', '\r')) return false;
        unsigned commas = gp_mask16_byte(line + i, ',');
        while (commas) {
            size_t at = i + (size_t)__builtin_ctz(commas);
            plain_cell(row, start, at);
            start = at + 1;
            commas &= commas - 1;
        }
    }
    if (i < n && n >= 16) {
        /* the last bytes: one load ending at the row's end, the bytes
         * already seen shifted out */
        unsigned skip = (unsigned)(i - (n - 16));
        if (gp_mask16_either(line + n - 16, '"', '\r') >> skip) return false;
        unsigned commas = gp_mask16_byte(line + n - 16, ',') >> skip;
        while (commas) {
            size_t at = i + (size_t)__builtin_ctz(commas);
            plain_cell(row, start, at);
            start = at + 1;
            commas &= commas - 1;
        }
        i = n;
    }
#endif
    for (; i < n; i++) {
        if (line[i] == '"' || line[i] == '\r') return false;
        if (line[i] == ',') {
            plain_cell(row, start, i);
            start = i + 1;
        }
    }
    plain_cell(row, start, n);
    row->base = line;
    row->done = true;
    return true;
}


/* Read lines until libcsv completes a row.  Returns 1 row, 0 EOF, -1 bad. */
static int csv_read_row(gp_reader *rd)
{
    csv_row *row = &rd->row;
    csv_row_clear(row);
    rd->raw.len = 0;
    rd->raw_view = NULL;
    for (;;) {
        size_t len;
        const char *line = gp_in_line(&rd->in, &len);
        if (!line) {
            if (rd->raw.len == 0) return 0;
            if (csv_fini(&rd->csv, csv_cell_cb, csv_row_cb, row) != 0) {
                gp_csv_start(rd);
                return gp_reader_fail(rd, "malformed CSV: unterminated quoted field");
            }
            if (row->past_end) {
                gp_csv_start(rd);
                return gp_reader_fail(rd, BARE_CR_MESSAGE);
            }
            return row->done ? 1 : 0;
        }
        bool row_start = rd->raw.len == 0;
        if (row_start) rd->rec.lineno = rd->in.lineno;
        if (row_start && csv_split_plain(row, line, len)) {
            rd->raw_view = line; /* valid until the next line is read */
            rd->raw_view_len = len;
            return 1;
        }
        gp_buf_add(&rd->raw, line, len);
        if (csv_parse(&rd->csv, line, len, csv_cell_cb, csv_row_cb, row) != len) {
            gp_csv_start(rd);
            return gp_reader_fail(rd, "malformed CSV: a quote inside an unquoted field, or text after a closing quote");
        }
        if (row->past_end) { /* lines read here end in '\n' only */
            gp_csv_start(rd);
            return gp_reader_fail(rd, BARE_CR_MESSAGE);
        }
        if (row->done) return 1;
        if (row->n == 0 && row->text.len == 0 && len <= 2 &&
            (line[0] == '\n' || line[0] == '\r'))
            rd->raw.len = 0; /* a blank line: not a record */
    }
}

/* ROW, whose bytes are RAW, is the header of the current file. */
static void csv_take_header_row(gp_reader *rd, const csv_row *row, const char *raw, size_t raw_len)
{
    rd->header_store.len = 0;
    for (int i = 0; i < row->n; i++) gp_buf_add(&rd->header_store, row->base + row->off[i], row->len[i]);
    rd->nheader = row->n;
    free(rd->header);
    rd->header = gp_xmalloc((size_t)(rd->nheader ? rd->nheader : 1) * sizeof *rd->header);
    size_t at = 0;
    for (int i = 0; i < rd->nheader; i++) {
        rd->header[i].p = rd->header_store.data + at;
        rd->header[i].n = row->len[i];
        at += row->len[i];
    }
    /* a UTF-8 byte order mark (spreadsheets write one) is not part of the name */
    if (rd->nheader > 0 && rd->header[0].n >= 3 && memcmp(rd->header[0].p, "\xEF\xBB\xBF", 3) == 0) {
        rd->header[0].p += 3;
        rd->header[0].n -= 3;
    }
    free(rd->header_id);
    rd->header_id = gp_xmalloc((size_t)(rd->nheader ? rd->nheader : 1) * sizeof *rd->header_id);
    for (int i = 0; i < rd->nheader; i++) rd->header_id[i] = gp_field_lookup(rd->header[i].p, rd->header[i].n);
    /* every row's fields differ from these only in an empty cell's kind:
     * fill_csv_record copies them instead of building each one */
    free(rd->header_field);
    rd->header_field = gp_xcalloc((size_t)(rd->nheader ? rd->nheader : 1), sizeof *rd->header_field);
    for (int i = 0; i < rd->nheader; i++) {
        rd->header_field[i].key = rd->header[i];
        rd->header_field[i].id = rd->header_id[i];
        rd->header_field[i].kind = GP_V_STRING;
    }
    rd->header_raw.len = 0;
    gp_buf_add(&rd->header_raw, raw, raw_len);
    rd->new_header = true;
}

static void csv_take_header(gp_reader *rd)
{
    if (rd->raw_view) csv_take_header_row(rd, &rd->row, rd->raw_view, rd->raw_view_len);
    else csv_take_header_row(rd, &rd->row, rd->raw.data, rd->raw.len);
}

/* Make R's fields from the cells of ROW under the current header: the
 * header's fields copied at once, then each cell's view.  An empty cell is
 * an absent value, so only a non-empty cell names its field in r->known: a
 * later non-empty column of the same field (an alias) may still give it. */
static int fill_csv_record(gp_reader *rd, gp_record *r, csv_row *row)
{
    int n = row->n;
    if (n != rd->nheader) {
        snprintf(rd->err, sizeof rd->err, "CSV row has %d fields, the header has %d", n, rd->nheader);
        return -1;
    }
    if (r->cells_cap < n) {
        r->cells_cap = n;
        r->cells = gp_xrealloc(r->cells, (size_t)n * sizeof *r->cells);
    }
    if (r->fields_cap < n) {
        r->fields_cap = n;
        r->fields = gp_xrealloc(r->fields, (size_t)n * sizeof *r->fields);
    }
    if (n) memcpy(r->fields, rd->header_field, (size_t)n * sizeof *r->fields);
    r->nfields = n;
    const char *base = row->base;
    for (int i = 0; i < n; i++) {
        size_t len = row->len[i];
        r->cells[i].p = base + row->off[i];
        r->cells[i].n = len;
        int id = rd->header_id[i];
        if (len == 0) r->fields[i].kind = GP_V_ABSENT;
        else if (id >= 0 && r->known[id] < 0) r->known[id] = i;
    }
    return 1;
}

int gp_csv_next(gp_reader *rd)
{
    gp_record *r = &rd->rec;
    rd->new_header = false;
    for (;;) {
        gp_record_reset(rd, r);
        int got = csv_read_row(rd);
        r->raw = rd->raw_view ? rd->raw_view : rd->raw.data;
        r->raw_len = rd->raw_view ? rd->raw_view_len : rd->raw.len;
        if (got <= 0) return got;
        if (rd->want_header) {
            csv_take_header(rd);
            rd->want_header = false;
            continue;
        }
        return fill_csv_record(rd, r, &rd->row);
    }
}

/* Split RAW, one CSV row, into rd->again_row: 0, or -1 when it does not parse. */
static int csv_split_again(gp_reader *rd, const char *raw, size_t len)
{
    if (!rd->again_ready) {
        csv_init_parser(&rd->again_csv);
        rd->again_ready = true;
    }
    csv_row_clear(&rd->again_row);
    if (csv_split_plain(&rd->again_row, raw, len)) return 0;
    if (csv_parse(&rd->again_csv, raw, len, csv_cell_cb, csv_row_cb, &rd->again_row) != len ||
        csv_fini(&rd->again_csv, csv_cell_cb, csv_row_cb, &rd->again_row) != 0)
        return -1;
    return 0;
}

int gp_csv_rescan(gp_reader *rd, gp_record *r, const char *raw, size_t len)
{
    if (csv_split_again(rd, raw, len) != 0) return -1;
    return fill_csv_record(rd, r, &rd->again_row) == 1 ? 0 : -1;
}

int gp_reader_rescan_header(gp_reader *rd, const char *raw, size_t len)
{
    if (csv_split_again(rd, raw, len) != 0 || rd->again_row.n == 0) {
        snprintf(rd->err, sizeof rd->err, "CSV header does not parse");
        return -1;
    }
    rd->format = GP_FMT_CSV;
    csv_take_header_row(rd, &rd->again_row, raw, len);
    return 0;
}

void gp_csv_free(gp_reader *rd)
{
    if (rd->csv_ready) csv_free(&rd->csv);
    if (rd->again_ready) csv_free(&rd->again_csv);
    csv_row_free(&rd->row);
    csv_row_free(&rd->again_row);
}
