/* test_bytescan.c - the byte-scanning tricks against plain byte loops: the
 * fast flat-JSON path of the NDJSON reader and its careful path on the same
 * random lines must give identical records (or both refuse the line), the
 * CSV reader's split of plain rows must give what libcsv gives for the same
 * rows quoted, and the vector and word searches of common/bytescan.h must
 * find what a byte loop finds.  The lines are random but seeded: a failure
 * repeats. */
#include "bytescan.h"
#include "reader_impl.h"
#include "segment.h"
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static unsigned next_random(unsigned below)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % below);
}

/* String bodies: mostly what JSON allows (escapes of every kind
 * included), now and then what it forbids (a raw control character, an
 * unknown escape, a short or non-hex \u): the careful path refuses those,
 * so the fast path must never take them. */
static void add_random_string(gp_buf *b)
{
    static const char *const pieces[] = {
        "IDLE", "u-1", "2026-11-02T12:00:00.000Z", "interacting", "a\\\"b", "x\\\\y", "\\u00e9",
        "caf\xc3\xa9", "", "ON_QUEUE", "z\\n", "a,b", "{not}", "[1]", "\\/", "\\b\\f\\r\\t",
        "\\uD83D\\uDE00", "\\u001F", "del\x7f", "\xef\xbb\xbf",
    };
    static const char *const forbidden[] = {
        "\x01", "\x1f", "tab\there", "nl\nx", "cr\r", "\\x", "\\u12G4", "\\u00", "\\", "\\U0041", "\\'",
    };
    gp_buf_addc(b, '"');
    int n = (int)next_random(3);
    for (int i = 0; i < n; i++) gp_buf_adds(b, pieces[next_random(sizeof pieces / sizeof pieces[0])]);
    if (next_random(16) == 0) {
        /* a raw NUL too: the line's length, not a terminator, bounds it */
        if (next_random(4) == 0) gp_buf_addc(b, '\0');
        else gp_buf_adds(b, forbidden[next_random(sizeof forbidden / sizeof forbidden[0])]);
        gp_buf_adds(b, pieces[next_random(sizeof pieces / sizeof pieces[0])]);
    }
    gp_buf_addc(b, '"');
}

static void add_random_value(gp_buf *b)
{
    static const char *const others[] = {
        "12", "-0.5", "3e2", "true", "false", "null", "{\"a\":[1,\"}\"]}", "[]", "0", "1.25E-3",
        "7", "1200", "-3", "01", "nul",
    };
    if (next_random(2)) add_random_string(b);
    else gp_buf_adds(b, others[next_random(sizeof others / sizeof others[0])]);
}

/* A line in the shape programs write (flat, compact) most of the time, with
 * keys from the contract's aliases and others; sometimes blanks, nesting
 * or a broken byte, which the fast path must leave to the careful one. */
static void random_line(gp_buf *b)
{
    static const char *const keys[] = {
        "user_id", "userId", "routing_status", "routingStatus", "presence", "systemPresence", "start",
        "startTime", "end", "endTime", "secs", "org", "shift", "media", "queue", "x", "a\\\"k",
        /* a byte away from a key above, at its length: the memo of the
         * last line's keys must not take one for the other */
        "stars", "presense", "routing_statur", "xser_id", "enf", "Org",
    };
    b->len = 0;
    bool blanks = next_random(8) == 0;
    gp_buf_addc(b, '{');
    int nfields = (int)next_random(12);
    for (int i = 0; i < nfields; i++) {
        if (i) gp_buf_adds(b, blanks ? ", " : ",");
        gp_buf_printf(b, "\"%s\":", keys[next_random(sizeof keys / sizeof keys[0])]);
        if (blanks) gp_buf_addc(b, ' ');
        add_random_value(b);
    }
    gp_buf_addc(b, '}');
    if (next_random(10) == 0 && b->len > 2) {
        static const char breakers[] = {'"', '\\', '\t', '{', ',', ':', '\x01', 'x'};
        b->data[1 + next_random((unsigned)b->len - 2)] = breakers[next_random(sizeof breakers)];
    }
    gp_buf_addc(b, '\n');
}

static bool same_records(const gp_record *a, const gp_record *b)
{
    if (a->nfields != b->nfields) return false;
    for (int i = 0; i < a->nfields; i++) {
        const gp_field *x = &a->fields[i], *y = &b->fields[i];
        if (x->key.n != y->key.n || memcmp(x->key.p, y->key.p, x->key.n) != 0) return false;
        if (x->vbeg != y->vbeg || x->vend != y->vend || x->id != y->id || x->kind != y->kind ||
            x->escaped != y->escaped)
            return false;
    }
    for (int id = 0; id < GP_F_COUNT; id++)
        if (a->known[id] != b->known[id]) return false;
    return true;
}

static void test_flat_and_careful(void)
{
    static char *no_files[] = {"/dev/null", NULL};
    gp_reader *rd = gp_reader_new(no_files, GP_FMT_JSON);
    gp_record fast = {0}, careful = {0};
    gp_buf line = {0};
    long lines = 0, differ = 0, parsed = 0;
    char first_bad[600] = "";
    for (int n = 0; n < 200000; n++) {
        random_line(&line);
        gp_record_reset(rd, &fast);
        gp_record_reset(rd, &careful);
        fast.raw = careful.raw = line.data;
        fast.raw_len = careful.raw_len = line.len;
        int a = gp_ndjson_scan(rd, &fast, line.data, line.len);
        int b = gp_ndjson_scan_careful(rd, &careful, line.data, line.len);
        lines++;
        if (a == 0) parsed++;
        if (a != b || (a == 0 && !same_records(&fast, &careful))) {
            if (!differ) snprintf(first_bad, sizeof first_bad, "%.*s", (int)line.len - 1, line.data);
            differ++;
        }
    }
    char why[700];
    snprintf(why, sizeof why, "%ld of %ld lines differ, first: %s", differ, lines, first_bad);
    unit_check(differ == 0, "fast and careful NDJSON paths give identical records", why);
    /* the lines must exercise both outcomes, or the comparison proves little */
    char counts[80];
    snprintf(counts, sizeof counts, "%ld of %ld parse", parsed, lines);
    unit_check(parsed > lines / 2 && parsed < lines, "random lines: most parse, some do not", counts);
    gp_record_release(&fast);
    gp_record_release(&careful);
    gp_buf_free(&line);
    gp_reader_free(rd);
}

/* ---- CSV: plain rows split in place, quoted ones through libcsv ---- */

/* A random header: names from the contract's aliases (two columns of one
 * field now and then) and others.  A wide one (60 to 69 columns, across
 * the 64 that rows track cell by cell) names each field once or not at
 * all, and other columns "x". */
static int random_csv_header(gp_buf *b, const char **names, bool wide)
{
    static const char *const keys[] = {
        "user_id", "userId", "routing_status", "routingStatus", "presence", "systemPresence", "start",
        "startTime", "end", "end_time", "secs", "org", "shift", "media", "queue", "x",
    };
    static const char *const fields[] = {"user_id", "routing_status", "presence", "start", "end", "secs", "org", "shift"};
    int n = wide ? 60 + (int)next_random(10) : 1 + (int)next_random(9);
    for (int i = 0; i < n; i++) names[i] = wide ? "x" : keys[next_random(sizeof keys / sizeof keys[0])];
    for (size_t f = 0; wide && f < sizeof fields / sizeof fields[0]; f++)
        if (next_random(4)) names[next_random((unsigned)n)] = fields[f];
    for (int i = 0; i < n; i++) {
        if (i) gp_buf_addc(b, ',');
        gp_buf_adds(b, names[i]);
    }
    gp_buf_addc(b, '\n');
    return n;
}

/* Cells a plain row may hold (no quote, comma, CR or LF): often empty,
 * short and long, so rows fall on both sides of the 16-byte steps. */
static const char *random_plain_cell(void)
{
    static const char *const cells[] = {
        "", "", "IDLE", "u-1", "2026-11-02T12:00:00.000Z", "interacting", "caf\xc3\xa9", " spaced ",
        "00767e6a-7f82-42a2-8dde-5b3ec1087c11", "OFF_QUEUE", "a;b", "x\ty", "12", "-0.5",
    };
    return cells[next_random(sizeof cells / sizeof cells[0])];
}

/* What gpulse(7) says a CSV row's record is, computed here the plain way:
 * every column a field, an empty cell an absent value, and a field known
 * by its first column with a non-empty cell. */
static bool csv_record_is(const gp_record *r, const char **names, const char **cells, int n)
{
    if (r->nfields != n) return false;
    int known[GP_F_COUNT];
    for (int id = 0; id < GP_F_COUNT; id++) known[id] = -1;
    for (int i = 0; i < n; i++) {
        const gp_field *f = &r->fields[i];
        size_t len = strlen(cells[i]);
        int id = gp_field_lookup(names[i], strlen(names[i]));
        if (f->key.n != strlen(names[i]) || memcmp(f->key.p, names[i], f->key.n) != 0) return false;
        if (f->id != id || f->kind != (len ? GP_V_STRING : GP_V_ABSENT) || f->vbeg || f->vend || f->escaped)
            return false;
        if (r->cells[i].n != len || memcmp(r->cells[i].p, cells[i], len) != 0) return false;
        if (len && id >= 0 && known[id] < 0) known[id] = i;
    }
    for (int id = 0; id < GP_F_COUNT; id++)
        if (r->known[id] != known[id]) return false;
    return true;
}

/* One row of N cells, plain or each cell quoted, LF or CRLF. */
static void add_csv_row(gp_buf *text, const char *const *cells, int n, bool quoted, bool crlf)
{
    for (int i = 0; i < n; i++) {
        if (i) gp_buf_addc(text, ',');
        if (quoted) gp_buf_addc(text, '"');
        gp_buf_adds(text, cells[i]);
        if (quoted) gp_buf_addc(text, '"');
    }
    gp_buf_adds(text, crlf ? "\r\n" : "\n");
}

enum { CSV_ROWS = 1000, CSV_COLS = 72 };

/* Random files of random headers: each row written plain (split by the
 * reader itself) and then the same cells quoted (which only libcsv reads);
 * both must give the record computed above, read in turn and read again
 * by gp_reader_rescan.  Now and then a row of one cell too many (plain,
 * then quoted) is refused and the next row is still right.  The reader
 * reads each file twice with an NDJSON file between, so records pass from
 * one header to the other and back. */
static void test_csv_plain_and_quoted(void)
{
    long rows = 0, wrong = 0, empty_cells = 0, refused = 0, refused_wanted = 0;
    char first_bad[600] = "";
    static const char *names[CSV_COLS], *cells[CSV_ROWS][CSV_COLS];
    char json_path[64];
    strcpy(json_path, "/tmp/gpulse-unit-json-XXXXXX");
    int json_fd = mkstemp(json_path);
    if (json_fd < 0) abort();
    static const char json_text[] = "{\"user_id\":\"j-1\",\"presence\":\"IDLE\"}\n{\"user_id\":\"j-2\",\"x\":1}\n";
    if (write(json_fd, json_text, sizeof json_text - 1) != (ssize_t)(sizeof json_text - 1)) abort();
    close(json_fd);
    for (int file = 0; file < 40; file++) {
        char path[64];
        strcpy(path, "/tmp/gpulse-unit-csv-XXXXXX");
        int fd = mkstemp(path);
        if (fd < 0) abort();
        gp_buf text = {0};
        int ncols = random_csv_header(&text, names, file % 5 == 4);
        int nrows = CSV_ROWS, nrefused = 0;
        for (int row = 0; row < nrows; row++) {
            for (int i = 0; i < ncols; i++) /* a lone empty cell would be a blank line, which is no record */
                do cells[row][i] = random_plain_cell(); while (ncols == 1 && !cells[row][i][0]);
            if (row % 50 == 7) {
                const char *extra[CSV_COLS + 1];
                for (int i = 0; i <= ncols; i++) extra[i] = i < ncols ? cells[row][i] : "x";
                add_csv_row(&text, extra, ncols + 1, false, false);
                add_csv_row(&text, extra, ncols + 1, true, false);
                nrefused += 2;
            }
            for (int q = 0; q < 2; q++) add_csv_row(&text, cells[row], ncols, q, row % 7 == 3);
        }
        if (write(fd, text.data, text.len) != (ssize_t)text.len) abort();
        close(fd);
        char *files[] = {path, json_path, path, NULL};
        gp_reader *rd = gp_reader_new(files, GP_FMT_AUTO);
        gp_record *r;
        int got = 0, in_json = 0, status;
        while ((status = gp_reader_next(rd, &r)) != 0) {
            if (status < 0) {
                refused++;
                continue;
            }
            if (r->format == GP_FMT_JSON) {
                if (!in_json && got != 2 * nrows) wrong++;
                gp_str user = gp_rec_get(r, GP_F_USER_ID);
                if (user.n != 3 || memcmp(user.p, in_json ? "j-2" : "j-1", 3) != 0 ||
                    (gp_rec_kind(r, GP_F_PRESENCE) != GP_V_ABSENT) != !in_json)
                    wrong++;
                in_json++;
                got = 0;
                continue;
            }
            int row = got / 2;
            got++;
            rows++;
            bool right = row < nrows && csv_record_is(r, names, cells[row], ncols);
            gp_record *again = right ? gp_reader_rescan(rd, r->raw, r->raw_len, r->lineno, r->file) : NULL;
            if (right && (!again || !csv_record_is(again, names, cells[row], ncols))) right = false;
            if (!right) {
                if (!wrong) snprintf(first_bad, sizeof first_bad, "%s row %d: %.*s", got % 2 ? "plain" : "quoted",
                                     row, (int)r->raw_len, r->raw);
                wrong++;
            }
            for (int i = 0; row < nrows && i < ncols; i++) empty_cells += cells[row][i][0] == '\0';
        }
        if (got != 2 * nrows || in_json != 2) wrong++;
        refused_wanted += 2 * nrefused;
        gp_reader_free(rd);
        gp_buf_free(&text);
        unlink(path);
    }
    unlink(json_path);
    char why[700];
    snprintf(why, sizeof why, "%ld of %ld rows wrong, first: %s", wrong, rows, first_bad);
    unit_check(wrong == 0, "CSV rows split plain and read quoted by libcsv give the same records, read and rescanned", why);
    unit_check(empty_cells > rows / 10, "random CSV rows: empty cells (absent values) among them", "");
    snprintf(why, sizeof why, "%ld refused, %ld wanted", refused, refused_wanted);
    unit_check(refused == refused_wanted && refused > 0, "CSV rows of one cell too many are refused, plain or quoted", why);
}

#ifdef GP_BYTESCAN_SSE2
/* The reader's NDJSON fast path finds a line's end as it scans it, in
 * 32-byte blocks that run on into the next line: random lines, each
 * followed by the start of another (quotes, backslashes, control bytes,
 * line ends), must give the records the careful path gives, the line's
 * length with its '\n', or be left to the careful path. */
static void test_flat_buffered(void)
{
    static char *no_files[] = {"/dev/null", NULL};
    gp_reader *rd = gp_reader_new(no_files, GP_FMT_JSON);
    gp_record fast = {0}, careful = {0};
    gp_buf buf = {0};
    long lines = 0, taken = 0, careful_ok = 0, wrong = 0;
    char first_bad[700] = "";
    static const char tail_bytes[] = "\"\\\n\r\x01{}:,ax";
    for (int n = 0; n < 200000; n++) {
        random_line(&buf);
        size_t line_len = buf.len; /* with its '\n' */
        int tail = (int)next_random(48);
        for (int i = 0; i < tail; i++) gp_buf_addc(&buf, tail_bytes[next_random(sizeof tail_bytes - 1)]);
        gp_record_reset(rd, &fast);
        gp_record_reset(rd, &careful);
        fast.raw = careful.raw = buf.data;
        fast.raw_len = careful.raw_len = line_len;
        size_t got = gp_ndjson_scan_buffered(rd, &fast, buf.data, buf.len);
        int c = gp_ndjson_scan_careful(rd, &careful, buf.data, line_len);
        lines++;
        careful_ok += c == 0;
        if (got == 0) continue;
        taken++;
        if (got != line_len || c != 0 || !same_records(&fast, &careful)) {
            if (!wrong) snprintf(first_bad, sizeof first_bad, "%zu for %zu: %.*s", got, line_len, (int)buf.len, buf.data);
            wrong++;
        }
    }
    char why[800];
    snprintf(why, sizeof why, "%ld of %ld lines wrong, first: %s", wrong, taken, first_bad);
    unit_check(wrong == 0, "NDJSON lines scanned as they are split: the careful path's records and line ends", why);
    /* the random lines hold escapes and blanks often: a few in ten that
     * parse are flat, and those must be taken, or the comparison proves little */
    snprintf(why, sizeof why, "%ld of %ld lines taken, %ld parse", taken, lines, careful_ok);
    unit_check(taken > lines / 20, "NDJSON lines scanned as they are split: the flat ones take the fast path", why);
    gp_record_release(&fast);
    gp_record_release(&careful);
    gp_buf_free(&buf);
    gp_reader_free(rd);
}
#endif

/* A file of NDJSON lines read through the reader (lines across the read
 * buffer's boundaries, blank lines, CRLF, lines too long for the fast path,
 * a last line without its '\n') gives, line by line, the careful path's
 * record, bytes and line number. */
static void test_ndjson_file_lines(void)
{
    char path[64];
    strcpy(path, "/tmp/gpulse-unit-ndjson-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0) abort();
    gp_buf text = {0}, line = {0};
    for (int n = 0; n < 12000; n++) {
        random_line(&line);
        int shape = (int)next_random(40);
        if (shape == 0) {
            gp_buf_adds(&text, n % 2 ? "\n" : " \t\r\n"); /* a blank line: no record */
        } else if (shape == 1 && line.len > 1) {
            line.data[line.len - 1] = '\r'; /* CRLF */
            gp_buf_addc(&line, '\n');
        } else if (shape == 2) { /* longer than the fast path's reach */
            gp_buf_adds(&text, "{\"media\":\"");
            for (int i = 0; i < 600; i++) gp_buf_addc(&text, (char)('a' + i % 26));
            gp_buf_adds(&text, "\",");
            gp_buf_add(&text, line.data + 1, line.len - 1);
            continue;
        }
        gp_buf_add(&text, line.data, line.len);
    }
    gp_buf_adds(&text, "{\"user_id\":\"last-line\",\"presence\":\"IDLE\"}"); /* no '\n' */
    if (write(fd, text.data, text.len) != (ssize_t)text.len) abort();
    close(fd);
    char *files[] = {path, NULL};
    gp_reader *rd = gp_reader_new(files, GP_FMT_JSON);
    static char *no_files[] = {"/dev/null", NULL};
    gp_reader *check = gp_reader_new(no_files, GP_FMT_JSON);
    gp_record careful = {0};
    long records = 0, wrong = 0, lineno = 0;
    size_t at = 0;
    char first_bad[700] = "";
    int status = 1;
    gp_record *r = NULL;
    while (at < text.len) {
        const char *nl = memchr(text.data + at, '\n', text.len - at);
        size_t len = nl ? (size_t)(nl + 1 - (text.data + at)) : text.len - at;
        const char *want = text.data + at;
        at += len;
        lineno++;
        size_t blank = 0;
        while (blank < len && strchr(" \t\r\n", want[blank])) blank++;
        if (blank == len) continue;
        gp_record_reset(check, &careful);
        careful.raw = want;
        careful.raw_len = len;
        int c = gp_ndjson_scan_careful(check, &careful, want, len);
        status = gp_reader_next(rd, &r);
        records++;
        bool right = status == (c == 0 ? 1 : -1) && r->raw_len == len && memcmp(r->raw, want, len) == 0 &&
                     r->lineno == lineno;
        if (right && c == 0) {
            /* same places: the records' lines are at different addresses */
            careful.raw = r->raw;
            for (int i = 0; i < careful.nfields; i++) careful.fields[i].key.p += r->raw - want;
            right = same_records(r, &careful);
        }
        if (!right) {
            if (!wrong) snprintf(first_bad, sizeof first_bad, "line %ld (status %d, careful %d): %.*s", lineno,
                                 status, c, (int)len, want);
            wrong++;
        }
    }
    if (gp_reader_next(rd, &r) != 0) wrong++; /* and nothing after the last line */
    char why[800];
    snprintf(why, sizeof why, "%ld of %ld records wrong, first: %s", wrong, records, first_bad);
    unit_check(wrong == 0 && records > 11000 && text.len > 3 * 256 * 1024,
               "an NDJSON file read line by line gives the careful path's records", why);
    gp_reader_free(rd);
    gp_reader_free(check);
    gp_record_release(&careful);
    gp_buf_free(&text);
    gp_buf_free(&line);
    unlink(path);
}

/* A held NDJSON record written with new fields (gshift's shift, a cut
 * piece's end and secs) is the line up to its brace, each field as
 * ,"name":value, and "}\n": values of every length from 0 to 40 bytes,
 * each kind, every contract field the line lacks, one and two at a time;
 * a string that needs escapes is escaped. */
static void test_held_record_new_fields(void)
{
    static char *no_files[] = {"/dev/null", NULL};
    gp_reader *rd = gp_reader_new(no_files, GP_FMT_JSON);
    char path[64];
    strcpy(path, "/tmp/gpulse-unit-held-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0) abort();
    gp_out out;
    gp_out_open_fd(&out, fd, path);
    gp_writer *w = gp_writer_new(&out, GP_FMT_JSON, NULL);
    static const char line[] = "{\"user_id\":\"u-1\",\"presence\":\"IDLE\",\"start\":\"2026-11-02T12:00:00.000Z\"}\n";
    static const char digits[] = "1234567890123456789012345678901234567890";
    static const int absent[] = {GP_F_ROUTING_STATUS, GP_F_END, GP_F_SECS, GP_F_ORG, GP_F_SHIFT};
    const int nabsent = (int)(sizeof absent / sizeof absent[0]);
    gp_buf want = {0};
    for (int n = 0; n <= 40; n++) {
        for (int kind = 0; kind < 3; kind++) {
            int vkind = kind == 0 ? GP_V_NUMBER : kind == 1 ? GP_V_STRING : GP_V_NULL;
            for (int a = 0; a < nabsent; a++) {
                int b = (a + 1 + n % (nabsent - 1)) % nabsent; /* another field, for two at a time */
                for (int count = 1; count <= 2; count++) {
                    gp_edit edits[2];
                    int ids[2] = {absent[a], absent[b]};
                    gp_buf_add(&want, line, sizeof line - 3);
                    for (int e = 0; e < count; e++) {
                        edits[e] = (gp_edit){gp_field_name(ids[e]), ids[e], vkind, digits + 40 - n, (size_t)n};
                        gp_buf_printf(&want, ",\"%s\":", gp_field_name(ids[e]));
                        if (vkind == GP_V_NULL) gp_buf_adds(&want, "null");
                        else gp_buf_printf(&want, vkind == GP_V_STRING ? "\"%.*s\"" : "%.*s", n, digits + 40 - n);
                    }
                    gp_buf_adds(&want, "}\n");
                    gp_record *r = gp_reader_rescan(rd, line, sizeof line - 1, 1, path);
                    gp_held_record held = {line, sizeof line - 1, 1, path, {{0}, {0}, 0, false, 0}};
                    gp_layout_of(r, &held.layout);
                    gp_write_held(w, rd, &held, edits, count);
                }
            }
        }
    }
    gp_edit quoted = {"org", GP_F_ORG, GP_V_STRING, "a\"b\\c", 5};
    gp_record *r = gp_reader_rescan(rd, line, sizeof line - 1, 1, path);
    gp_held_record held = {line, sizeof line - 1, 1, path, {{0}, {0}, 0, false, 0}};
    gp_layout_of(r, &held.layout);
    gp_write_held(w, rd, &held, &quoted, 1);
    gp_buf_add(&want, line, sizeof line - 3);
    gp_buf_adds(&want, ",\"org\":\"a\\\"b\\\\c\"}\n");
    gp_out_close(&out);
    gp_writer_free(w);
    FILE *f = fopen(path, "r");
    gp_buf got = {0};
    char chunk[4096];
    size_t k;
    while (f && (k = fread(chunk, 1, sizeof chunk, f)) > 0) gp_buf_add(&got, chunk, k);
    if (f) fclose(f);
    unlink(path);
    size_t differ = 0;
    while (differ < got.len && differ < want.len && got.data[differ] == want.data[differ]) differ++;
    char why[300];
    snprintf(why, sizeof why, "%zu bytes, %zu wanted, first difference at %zu: %.80s", got.len, want.len, differ,
             differ < got.len ? got.data + differ : "(end)");
    unit_check(got.len == want.len && differ == want.len, "a held NDJSON record with new fields of every length", why);
    gp_buf_free(&got);
    gp_buf_free(&want);
    gp_reader_free(rd);
}

/* Rows of every length from 1 to 100 bytes, LF and CRLF, one after the
 * other: the fast path finds each line's end inside its 32-byte blocks,
 * the CR of a CRLF at every place in a block (the last byte of one block,
 * its LF the first of the next, included), and must read what it holds. */
static void test_csv_line_ends(void)
{
    char path[64];
    strcpy(path, "/tmp/gpulse-unit-csv-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0) abort();
    gp_buf text = {0};
    gp_buf_adds(&text, "user_id,x\n");
    int nrows = 0;
    for (int crlf = 0; crlf < 2; crlf++)
        for (int width = 0; width < 100; width++, nrows++) {
            for (int i = 0; i < width; i++) gp_buf_addc(&text, (char)('a' + i % 26));
            gp_buf_adds(&text, width % 3 ? ",b" : ",");
            gp_buf_adds(&text, crlf ? "\r\n" : "\n");
        }
    if (write(fd, text.data, text.len) != (ssize_t)text.len) abort();
    close(fd);
    char *files[] = {path, NULL};
    gp_reader *rd = gp_reader_new(files, GP_FMT_AUTO);
    gp_record *r;
    int got = 0;
    long wrong = 0;
    while (gp_reader_next(rd, &r) == 1) {
        int width = got % 100;
        bool crlf = got >= 100;
        size_t want_raw = (size_t)width + (width % 3 ? 2 : 1) + (crlf ? 2 : 1);
        gp_str user = gp_rec_get(r, GP_F_USER_ID);
        bool right = r->nfields == 2 && r->raw_len == want_raw && r->lineno == got + 2 &&
                     user.n == (size_t)width && r->cells[1].n == (width % 3 ? 1u : 0u) &&
                     (width == 0 || user.p[width - 1] == (char)('a' + (width - 1) % 26));
        if (!right) wrong++;
        got++;
    }
    gp_reader_free(rd);
    gp_buf_free(&text);
    unlink(path);
    char why[80];
    snprintf(why, sizeof why, "%ld of %d rows wrong, %d read", wrong, nrows, got);
    unit_check(wrong == 0 && got == nrows, "CSV rows of 1 to 100 bytes, LF and CRLF, read with their line ends", why);
}

/* A CSV row is a control record when its first column keyed "type" holds
 * a value (the reader finds that column once per header): through headers
 * that have it first, later, twice or not at all. */
static void test_csv_control_rows(void)
{
    static const char *const texts[] = {
        "user_id,type,x,type\nu,heartbeat,1,\nu,,1,hb\nu,,1,\n",
        "type,user_id\nheartbeat,u\n,u\n",
        "user_id,typo\nu,heartbeat\n",
    };
    static const bool want[] = {true, false, false, true, false, false};
    char paths[3][64];
    char *files[4] = {NULL};
    for (int f = 0; f < 3; f++) {
        strcpy(paths[f], "/tmp/gpulse-unit-csv-XXXXXX");
        int fd = mkstemp(paths[f]);
        if (fd < 0 || write(fd, texts[f], strlen(texts[f])) != (ssize_t)strlen(texts[f])) abort();
        close(fd);
        files[f] = paths[f];
    }
    gp_reader *rd = gp_reader_new(files, GP_FMT_AUTO);
    gp_record *r;
    int got = 0, wrong = 0;
    while (gp_reader_next(rd, &r) == 1) {
        if (got >= 6 || gp_is_control_record(r) != want[got]) wrong++;
        got++;
    }
    gp_reader_free(rd);
    for (int f = 0; f < 3; f++) unlink(paths[f]);
    char why[64];
    snprintf(why, sizeof why, "%d of %d rows wrong", wrong, got);
    unit_check(wrong == 0 && got == 6, "CSV control rows: the first 'type' column with a value", why);
}

/* The flat shape with one raw control character inside a value: long
 * enough for the fast path to look at it, which must hand it to the careful
 * path, which refuses it and says why. */
static void test_control_character_in_flat_line(void)
{
    static char *no_files[] = {"/dev/null", NULL};
    gp_reader *rd = gp_reader_new(no_files, GP_FMT_JSON);
    gp_record r = {0};
    static const char *const lines[] = {
        "{\"user_id\":\"u\x01\",\"routing_status\":\"IDLE\",\"start\":\"2026-11-02T12:00:00.000Z\"}",
        "{\"user_id\":\"u-1\",\"routing_status\":\"IDLE\",\"start\":\"2026-11-02T12:00:00.000Z\x1f\"}",
        "{\"user_id\":\"u\tab\",\"secs\":1}",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        gp_record_reset(rd, &r);
        r.raw = lines[i];
        r.raw_len = strlen(lines[i]);
        int got = gp_ndjson_scan(rd, &r, lines[i], strlen(lines[i]));
        char name[80];
        snprintf(name, sizeof name, "a raw control character in a flat line is refused (%zu)", i);
        unit_check(got == -1 && strstr(rd->err, "raw control character") != NULL, name, rd->err);
    }
    gp_record_release(&r);
    gp_reader_free(rd);
}

static const char *byte_loop_special(const char *p, const char *end)
{
    while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20) p++;
    return p;
}

static void test_search(void)
{
    char buf[80];
    long wrong = 0;
    for (int n = 0; n < 100000; n++) {
        size_t len = next_random(sizeof buf);
        for (size_t i = 0; i < len; i++) {
            unsigned r = next_random(64);
            buf[i] = r == 0 ? '"' : r == 1 ? '\\' : r == 2 ? (char)next_random(0x20) : r == 3 ? (char)0xe9
                                                                                           : (char)('a' + r % 26);
        }
        size_t from = len ? next_random((unsigned)len) : 0;
        if (gp_scan_json_special(buf + from, buf + len) != byte_loop_special(buf + from, buf + len)) wrong++;
    }
    char why[64];
    snprintf(why, sizeof why, "%ld searches differ", wrong);
    unit_check(wrong == 0, "gp_scan_json_special finds what a byte loop finds", why);
}

static bool byte_loop_status_word(const char *s)
{
    for (int i = 0; i < 8; i++) {
        bool upper = s[i] >= 'A' && s[i] <= 'Z';
        bool underscore = s[i] == '_' && !(i > 0 && s[i - 1] == '_');
        if (!upper && !underscore) return false;
    }
    return true;
}

static void test_words(void)
{
    static const char alphabet[] = "AZ_az09:\x80\xff@[`{";
    long wrong = 0;
    char s[9];
    for (int n = 0; n < 200000; n++) {
        for (int i = 0; i < 8; i++) s[i] = next_random(4) ? "ABCXYZ_"[next_random(7)] : alphabet[next_random(sizeof alphabet - 1)];
        if (gp_swar_status_word(gp_load64(s)) != byte_loop_status_word(s)) wrong++;
        bool digits = true;
        for (int i = 0; i < 8; i++) digits = digits && s[i] >= '0' && s[i] <= '9';
        if (gp_swar_digits8(gp_load64(s)) != digits) wrong++;
    }
    for (int n = 0; n < 100000; n++) {
        for (int i = 0; i < 8; i++) s[i] = next_random(2) ? (char)('0' + next_random(10)) : (char)next_random(256);
        bool digits = true;
        for (int i = 0; i < 8; i++) digits = digits && s[i] >= '0' && s[i] <= '9';
        if (gp_swar_digits8(gp_load64(s)) != digits) wrong++;
        bool digits4 = true;
        for (int i = 0; i < 4; i++) digits4 = digits4 && s[i] >= '0' && s[i] <= '9';
        if (gp_swar_digits4(gp_load32(s)) != digits4) wrong++;
    }
    char why[64];
    snprintf(why, sizeof why, "%ld words differ", wrong);
    unit_check(wrong == 0, "word tests (status words, digits) agree with byte loops", why);
}

int main(void)
{
    gp_init("unit-bytescan");
    test_flat_and_careful();
#ifdef GP_BYTESCAN_SSE2
    test_flat_buffered();
#endif
    test_ndjson_file_lines();
    test_held_record_new_fields();
    test_csv_plain_and_quoted();
    test_csv_line_ends();
    test_csv_control_rows();
    test_control_character_in_flat_line();
    test_search();
    test_words();
    return unit_exit();
}
