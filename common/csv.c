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

/* Make room in R for at least NEED cells. */
static void reserve_cells(gp_record *r, int need)
{
    if (r->cells_cap >= need) return;
    r->cells_cap = need < 16 ? 32 : need * 2;
    r->cells = gp_xrealloc(r->cells, (size_t)r->cells_cap * sizeof *r->cells);
}

/* The cells ended by the commas of COMMAS (bit i: a comma at BASE + i)
 * into CELLS from K on; *START is where the current cell begins.  Bit k of
 * *EMPTY is set for an empty cell k (k taken modulo 64: only rows of at
 * most 64 cells use it).  Returns the new count. */
static inline int add_cells(gp_str *cells, int k, const char **start, uint64_t *empty, const char *base,
                            uint32_t commas)
{
    const char *from = *start;
    uint64_t none = *empty;
    for (; commas; commas &= commas - 1) {
        const char *at = base + (unsigned)__builtin_ctz(commas);
        none |= (uint64_t)(at == from) << (k & 63);
        cells[k++] = (gp_str){from, (size_t)(at - from)};
        from = at + 1;
    }
    *start = from;
    *empty = none;
    return k;
}

/* The fast path of reading: a row on one line with no quote and no CR but
 * its line end (nearly every row a program writes) is split at its commas
 * straight into R's cells, 32 bytes at a time, the cells left in the line.
 * Returns the number of cells, or -1 to leave the line to libcsv (R's
 * cells are then scratch); *EMPTY as add_cells sets it. */
static int split_plain_row(gp_record *r, const char *line, size_t len, uint64_t *empty)
{
    size_t n = len;
    if (n && line[n - 1] == '\n') n--;
    if (n && line[n - 1] == '\r') n--;
    if (n == 0) return -1; /* a blank line: libcsv skips it */
    int k = 0;
    const char *start = line;
    size_t i = 0;
    *empty = 0;
#ifdef GP_BYTESCAN_SSE2
    for (; i + 32 <= n; i += 32) {
        uint32_t special, newline, commas = gp_mask32_csv(line + i, &special, &newline);
        if (special) return -1;
        reserve_cells(r, k + 33); /* a block ends at most 32 cells */
        k = add_cells(r->cells, k, &start, empty, line + i, commas);
    }
    if (i < n && n >= 32) {
        /* the last bytes: one block ending at the row's end, the commas
         * already seen shifted out (its other bytes were found plain) */
        unsigned skip = (unsigned)(i - (n - 32));
        uint32_t special, newline, commas = gp_mask32_csv(line + n - 32, &special, &newline) >> skip;
        if (special) return -1;
        reserve_cells(r, k + 33);
        k = add_cells(r->cells, k, &start, empty, line + i, commas);
        i = n;
    }
#endif
    for (; i < n; i++) {
        if (line[i] == '"' || line[i] == '\r') return -1;
        if (line[i] == ',') {
            reserve_cells(r, k + 2);
            *empty |= (uint64_t)(line + i == start) << (k & 63);
            r->cells[k++] = (gp_str){start, (size_t)(line + i - start)};
            start = line + i + 1;
        }
    }
    reserve_cells(r, k + 1);
    *empty |= (uint64_t)(line + n == start) << (k & 63);
    r->cells[k++] = (gp_str){start, (size_t)(line + n - start)};
    return k;
}

/* The fastest path: the next line, a plain row, split as its end is found
 * in the input's buffered bytes AT[0..AVAIL), 32 bytes at a time, so no
 * separate search for the line's end runs first.  Returns the number of
 * cells (*EMPTY as add_cells sets it) with *LEN the line's length, its
 * '\n' included; or -1, nothing taken, when the line is not plain (or
 * blank), or its end is not in the bytes scanned (split_plain_row then
 * sees it after gp_in_line). */
static int split_buffered_row(gp_record *r, const char *at, size_t avail, size_t *len, uint64_t *empty)
{
#ifdef GP_BYTESCAN_SSE2
    int k = 0;
    const char *start = at;
    *empty = 0;
    for (size_t i = 0; i + 32 <= avail; i += 32) {
        uint32_t special, newline, commas = gp_mask32_csv(at + i, &special, &newline);
        reserve_cells(r, k + 33); /* a block ends at most 32 cells */
        if (!newline) {
            if (special) return -1;
            k = add_cells(r->cells, k, &start, empty, at + i, commas);
            continue;
        }
        unsigned nl = (unsigned)__builtin_ctz(newline);
        uint32_t before = (1u << nl) - 1; /* the line's bytes in this block */
        size_t end = i + nl;              /* its '\n' */
        special &= before;
        if (special) { /* a CR ending the line is its CRLF; any other is libcsv's */
            if (special != 1u << (nl - 1) || at[end - 1] != '\r') return -1;
            end--;
        }
        k = add_cells(r->cells, k, &start, empty, at + i, commas & before);
        if (end == 0) return -1; /* a blank line: libcsv skips it */
        *empty |= (uint64_t)(at + end == start) << (k & 63);
        r->cells[k++] = (gp_str){start, (size_t)(at + end - start)};
        *len = i + nl + 1;
        return k;
    }
#else
    (void)r, (void)at, (void)avail, (void)len, (void)empty;
#endif
    return -1;
}

/* Read lines until a row is complete.  Returns 1 row, 0 EOF, -1 bad.  A
 * plain row is split straight into R's cells (*ncells = their number,
 * *empty its empty ones); any other row, and every row when R is NULL (a
 * header), goes through libcsv into rd->row (*ncells = -1). */
static int csv_read_row(gp_reader *rd, gp_record *r, int *ncells, uint64_t *empty)
{
    csv_row *row = &rd->row;
    csv_row_clear(row);
    rd->raw.len = 0;
    rd->raw_view = NULL;
    *ncells = -1;
    if (r) {
        size_t avail, len;
        const char *line = gp_in_buffered(&rd->in, &avail);
        if ((*ncells = split_buffered_row(r, line, avail, &len, empty)) >= 0) {
            gp_in_take_line(&rd->in, len);
            rd->rec.lineno = rd->in.lineno;
            rd->raw_view = line; /* valid until the next line is read */
            rd->raw_view_len = len;
            return 1;
        }
    }
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
        if (row_start && r && (*ncells = split_plain_row(r, line, len, empty)) >= 0) {
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
     * set_csv_fields copies them into a record once, not per row */
    free(rd->header_field);
    rd->header_field = gp_xcalloc((size_t)(rd->nheader ? rd->nheader : 1), sizeof *rd->header_field);
    for (int i = 0; i < rd->nheader; i++) {
        rd->header_field[i].key = rd->header[i];
        rd->header_field[i].id = rd->header_id[i];
        rd->header_field[i].kind = GP_V_STRING;
    }
    rd->header_simple = rd->nheader <= 64;
    for (int i = 0; i < rd->nheader && rd->header_simple; i++)
        for (int j = 0; j < i && rd->header_simple; j++)
            if (rd->header_id[i] >= 0 && rd->header_id[j] == rd->header_id[i]) rd->header_simple = false;
    rd->header_stamp++; /* records holding the old header's fields copy these */
    rd->header_raw.len = 0;
    gp_buf_add(&rd->header_raw, raw, raw_len);
    rd->new_header = true;
}

static void csv_take_header(gp_reader *rd)
{
    if (rd->raw_view) csv_take_header_row(rd, &rd->row, rd->raw_view, rd->raw_view_len);
    else csv_take_header_row(rd, &rd->row, rd->raw.data, rd->raw.len);
}

/* Every row's fields are the header's but for each cell's kind (an empty
 * cell is an absent value), and r->known[] names for each field its first
 * column with a non-empty cell.  Under a simple header (no two columns of
 * one field) the kind and known[] entry of a column depend on its cell
 * alone: only the columns whose emptiness differs from R's last row change,
 * and rows of one shape (nearly all of a file) change none. */
HOT void set_simple_csv_fields(gp_reader *rd, gp_record *r, uint64_t empty)
{
    for (uint64_t differ = empty ^ r->csv_empty_cells; differ; differ &= differ - 1) {
        int i = __builtin_ctzll(differ);
        bool given = !(empty >> i & 1);
        r->fields[i].kind = given ? GP_V_STRING : GP_V_ABSENT;
        int id = rd->header_id[i];
        if (id >= 0) r->known[id] = given ? i : -1;
    }
    r->csv_empty_cells = empty;
}

/* The same for any header: every column looked at, known[] built anew; a
 * later non-empty column of a field (an alias) gives it when the first
 * one's cell is empty. */
static void set_any_csv_fields(gp_reader *rd, gp_record *r, int n)
{
    for (int id = 0; id < GP_F_COUNT; id++) r->known[id] = -1;
    for (int i = 0; i < n; i++) {
        bool given = r->cells[i].n != 0;
        r->fields[i].kind = given ? GP_V_STRING : GP_V_ABSENT;
        int id = rd->header_id[i];
        if (given && id >= 0 && r->known[id] < 0) r->known[id] = i;
    }
}

/* R takes the current header's fields, as if every cell were empty, and
 * the facts asked of every row (the "type" column, a shift column): once
 * per header, not per row (r->csv_header_stamp says whose R holds). */
static void take_header_fields(gp_reader *rd, gp_record *r, int n)
{
    if (r->fields_cap < n) {
        r->fields_cap = n;
        r->fields = gp_xrealloc(r->fields, (size_t)n * sizeof *r->fields);
    }
    if (n) memcpy(r->fields, rd->header_field, (size_t)n * sizeof *r->fields);
    for (int i = 0; i < n; i++) r->fields[i].kind = GP_V_ABSENT;
    for (int id = 0; id < GP_F_COUNT; id++) r->known[id] = -1;
    r->csv_empty_cells = n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
    r->csv_type_field = -1;
    r->csv_has_shift = false;
    for (int i = n - 1; i >= 0; i--) {
        if (gp_str_eqz(r->fields[i].key, "type")) r->csv_type_field = i;
        if (r->fields[i].id == GP_F_SHIFT) r->csv_has_shift = true;
    }
    r->csv_header_stamp = rd->header_stamp;
}

/* Make R's fields for its N cells (in r->cells) under the current header:
 * the header's (take_header_fields), then what differs in this row.
 * EMPTY: bit i set for an empty cell i (rows of at most 64 cells).
 * Inlined (HOT): for a row shaped like the last it is a few instructions. */
HOT int set_csv_fields(gp_reader *rd, gp_record *r, int n, uint64_t empty)
{
    if (n != rd->nheader) {
        gp_record_forget_fields(r);
        snprintf(rd->err, sizeof rd->err, "CSV row has %d fields, the header has %d", n, rd->nheader);
        return -1;
    }
    if (r->csv_header_stamp != rd->header_stamp) take_header_fields(rd, r, n);
    r->nfields = n;
    if (rd->header_simple) set_simple_csv_fields(rd, r, empty);
    else set_any_csv_fields(rd, r, n);
    return 1;
}

/* R's fields from the cells of ROW, a row libcsv read. */
static int fill_csv_record(gp_reader *rd, gp_record *r, const csv_row *row)
{
    reserve_cells(r, row->n);
    uint64_t empty = 0;
    for (int i = 0; i < row->n; i++) {
        r->cells[i] = (gp_str){row->base + row->off[i], row->len[i]};
        empty |= (uint64_t)(row->len[i] == 0) << (i & 63);
    }
    return set_csv_fields(rd, r, row->n, empty);
}

int gp_csv_next(gp_reader *rd)
{
    gp_record *r = &rd->rec;
    rd->new_header = false;
    for (;;) {
        /* not gp_record_reset: set_csv_fields changes only the fields
         * that differ from the last row */
        gp_record_start(rd, r, GP_FMT_CSV);
        int ncells;
        uint64_t empty;
        int got = csv_read_row(rd, rd->want_header ? NULL : r, &ncells, &empty);
        r->raw = rd->raw_view ? rd->raw_view : rd->raw.data;
        r->raw_len = rd->raw_view ? rd->raw_view_len : rd->raw.len;
        if (got <= 0) {
            gp_record_forget_fields(r);
            return got;
        }
        if (rd->want_header) {
            csv_take_header(rd);
            rd->want_header = false;
            continue;
        }
        if (ncells >= 0) return set_csv_fields(rd, r, ncells, empty);
        return fill_csv_record(rd, r, &rd->row);
    }
}

/* Split RAW, one CSV row, into rd->again_row through libcsv: 0, or -1 when
 * it does not parse. */
static int csv_split_again(gp_reader *rd, const char *raw, size_t len)
{
    if (!rd->again_ready) {
        csv_init_parser(&rd->again_csv);
        rd->again_ready = true;
    }
    csv_row_clear(&rd->again_row);
    if (csv_parse(&rd->again_csv, raw, len, csv_cell_cb, csv_row_cb, &rd->again_row) != len ||
        csv_fini(&rd->again_csv, csv_cell_cb, csv_row_cb, &rd->again_row) != 0)
        return -1;
    return 0;
}

int gp_csv_rescan(gp_reader *rd, gp_record *r, const char *raw, size_t len)
{
    uint64_t empty;
    int ncells = split_plain_row(r, raw, len, &empty);
    if (ncells >= 0) return set_csv_fields(rd, r, ncells, empty) == 1 ? 0 : -1;
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
