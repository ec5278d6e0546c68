/*
 * gpulse.h - the one header of libgpulse, the code every gpulse tool shares.
 *
 * Sections: errors and memory; buffered output; line input; times and
 * durations; names and statuses; records (reader and writer); tables of
 * new rows; hashing; options.
 *
 * Conventions: every function that can fail on user data reports through
 * gp_data_error()/gp_die() in the one format "tool: file:line: message";
 * functions that return int return 0 on success and -1 on failure unless
 * said otherwise.  Strings coming from records are views (gp_str) into
 * buffers owned by the reader: valid until the next record is read.
 */
#ifndef GPULSE_H
#define GPULSE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdnoreturn.h>
#include <string.h>

#define GP_VERSION "0.1.0"

/* ------------------------------------------------------------------ */
/* Errors, exit status, memory                                         */
/* ------------------------------------------------------------------ */

enum { GP_EXIT_OK = 0, GP_EXIT_FAILURE = 1, GP_EXIT_USAGE = 2 };

/* Program name used as the prefix of every message. */
extern const char *gp_progname;

/* Call first in main(): sets gp_progname, ignores SIGPIPE (a closed pipe is
 * then seen as EPIPE on write and ends the tool quietly with status 0). */
void gp_init(const char *progname);

/* "tool: message" on stderr. */
void gp_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "tool: message", exit 1. */
noreturn void gp_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "tool: message" then "Try 'tool --help' for more information.", exit 2. */
noreturn void gp_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "tool: file:line: message" on stderr (line 0 = no line part).  Returns. */
void gp_data_warn(const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same, then exit 1. */
noreturn void gp_data_die(const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* What is wrong with a record or a value, for the caller's message: a
 * function that can fail on data takes a gp_error *, fills it when it
 * fails (returning -1 or its own "bad" verdict), and the caller decides
 * what to do with the message (reject the record, stop, usage error). */
typedef struct gp_error {
    char msg[512];
} gp_error;

/* Set ERR's message; returns -1, for "return gp_error_set(err, ...)". */
int gp_error_set(gp_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print "tool (gpulse) VERSION" to stdout and exit 0. */
noreturn void gp_version_exit(void);

void *gp_xmalloc(size_t n);
void *gp_xcalloc(size_t count, size_t size);
void *gp_xrealloc(void *p, size_t n);
char *gp_xstrdup(const char *s);
char *gp_xstrndup(const char *s, size_t n);

/* A growable byte buffer. */
typedef struct gp_buf {
    char *data;
    size_t len, cap;
} gp_buf;

void gp_buf_reserve(gp_buf *b, size_t extra);
void gp_buf_add(gp_buf *b, const void *p, size_t n);
void gp_buf_addc(gp_buf *b, char c);
void gp_buf_adds(gp_buf *b, const char *s);
void gp_buf_printf(gp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Always keeps data NUL-terminated past len when cap > 0. */
const char *gp_buf_cstr(gp_buf *b);
void gp_buf_free(gp_buf *b);

/* A view of bytes that are not NUL-terminated. */
typedef struct gp_str {
    const char *p;
    size_t n;
} gp_str;

bool gp_str_eq(gp_str a, gp_str b);
bool gp_str_eqz(gp_str a, const char *z);
int gp_str_cmp(gp_str a, gp_str b); /* bytewise, like LC_ALL=C sort */

/* ------------------------------------------------------------------ */
/* Buffered output on a file descriptor                                 */
/* ------------------------------------------------------------------ */

typedef struct gp_out {
    int fd;
    const char *name; /* for messages: "standard output" or a file name */
    char *buf;
    size_t len, cap;
} gp_out;

/* Standard output, ready to use after gp_init(). */
extern gp_out gp_stdout;

void gp_out_open_fd(gp_out *o, int fd, const char *name);
/* Open FILE for writing (truncate); dies with a message on failure, and
 * refuses (before truncating anything) a file that is also one of the
 * inputs noted so far: same device and inode. */
void gp_out_open_file(gp_out *o, const char *path);
/* Note FILES (NULL-terminated; NULL, empty or "-" = standard input) as
 * inputs that no output may overwrite.  gp_reader_new() and gp_in_open()
 * note theirs: tools create their readers before opening output files. */
void gp_inputs_note(char **files);
void gp_out_flush_buffer(gp_out *o);
/* Make the pipe on FD (if it is one) 1 MiB, when the system allows. */
void gp_fd_widen_pipe(int fd);
/* The slow path of gp_out_write: the buffer is full. */
void gp_out_write_slow(gp_out *o, const void *p, size_t n);
static inline void gp_out_write(gp_out *o, const void *p, size_t n)
{
    if (o->cap - o->len >= n) {
        memcpy(o->buf + o->len, p, n);
        o->len += n;
    } else {
        gp_out_write_slow(o, p, n);
    }
}
void gp_out_puts(gp_out *o, const char *s);
static inline void gp_out_putc(gp_out *o, char c)
{
    if (o->len < o->cap) o->buf[o->len++] = c;
    else gp_out_write_slow(o, &c, 1);
}
void gp_out_printf(gp_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Flush and close; a write error (ENOSPC on /dev/full...) dies with status 1;
 * EPIPE exits 0 quietly.  Call on every output before exiting.  Files
 * opened with gp_out_open_file that are still open when the process exits
 * another way (an error, or standard output's reader gone) are flushed by
 * an exit handler, so a rejects file always holds what was rejected. */
void gp_out_close(gp_out *o);

/* ------------------------------------------------------------------ */
/* Line input                                                           */
/* ------------------------------------------------------------------ */

typedef struct gp_in {
    int fd;
    const char *name; /* "<stdin>" or the path, for messages */
    char *buf;
    size_t cap, pos, end;
    long lineno; /* number of the line last returned (1-based) */
    bool eof;
} gp_in;

/* The longest line (one NDJSON record, one CSV line) a tool reads: a
 * longer one is a data error ("tool: file:line: a line longer than 256
 * MiB"), not an ever larger buffer.  gpulse(7) LIMITS. */
#define GP_LINE_MAX ((size_t)256 << 20)

/* Open PATH ("-" = stdin).  Dies with "tool: PATH: strerror" on failure. */
void gp_in_open(gp_in *in, const char *path);
/* Next line including its '\n' (absent on a last unterminated line), or
 * NULL at end of input.  The bytes stay valid until the next call. */
const char *gp_in_line(gp_in *in, size_t *len);
/* Peek: first byte that is not white space, without consuming; -1 at EOF. */
int gp_in_first_nonblank(gp_in *in);
/* For a reader that finds the end of the next line itself as it scans it
 * (the CSV fast path): the bytes buffered from the next line on, *AVAIL of
 * them, nothing read; gp_in_take_line then takes the first LEN (the line
 * and its '\n') as the line gp_in_line would have returned. */
static inline const char *gp_in_buffered(const gp_in *in, size_t *avail)
{
    *avail = in->end - in->pos;
    return in->buf + in->pos;
}
static inline void gp_in_take_line(gp_in *in, size_t len)
{
    in->pos += len;
    in->lineno++;
}
void gp_in_close(gp_in *in);

/* ------------------------------------------------------------------ */
/* Times and durations                                                  */
/* ------------------------------------------------------------------ */

/* Times are int64 milliseconds since 1970-01-01T00:00:00Z, from
 * 0000-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z: the years RFC 3339
 * can write.  Parsers reject instants outside; code that computes a time
 * (start + secs) checks it with gp_time_in_range(). */
#define GP_TIME_NONE INT64_MIN
#define GP_TIME_MIN (-62167219200000LL)
#define GP_TIME_MAX 253402300799999LL
static inline bool gp_time_in_range(int64_t ms) { return ms >= GP_TIME_MIN && ms <= GP_TIME_MAX; }

/* RFC 3339: YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm); 't' or ' ' for
 * 'T', 'z' for 'Z', +hhmm accepted.  Fractions past milliseconds are
 * truncated.  Returns 0, or -1 on anything else, an instant outside
 * [GP_TIME_MIN, GP_TIME_MAX] included (9999-12-31T23:00:00-02:00). */
int gp_time_parse(const char *s, size_t n, int64_t *ms);
/* The same without the fast path for the canonical form (and its cache of
 * the last date): any time RFC 3339 allows.  The unit tests compare the two. */
int gp_time_parse_careful(const char *s, size_t n, int64_t *ms);
/* Two times at once (a segment's start and end), when both are in the
 * canonical form: true with both set; false (nothing set) for anything
 * else, and the caller parses each with gp_time_parse for its message. */
bool gp_time_parse_pair(const char *a, size_t an, const char *b, size_t bn, int64_t *ta, int64_t *tb);
/* "2026-11-02T13:00:00.000Z" (24 bytes, plus NUL: out needs 25).  MS must
 * be gp_time_in_range(); outside, the nearest end of the range is written. */
#define GP_TIME_LEN 24
size_t gp_time_format(int64_t ms, char *out);
/* A date YYYY-MM-DD (midnight UTC). */
int gp_date_parse(const char *s, size_t n, int64_t *ms);

/* Durations: "90m", "1h30m", "5400s", "500ms", "2d", "1w", "PT90M",
 * "P1DT2H", "5400" (plain number = seconds), fractions allowed ("1.5h").
 * Returns 0, -1 on anything else, or a duration longer than the time range
 * (GP_SECS_MAX). */
int gp_duration_parse(const char *s, int64_t *ms);

/* Days since 1970-01-01 for a civil date, and back. */
int64_t gp_days_from_civil(int64_t y, unsigned m, unsigned d);
void gp_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

/* Local civil time in an IANA zone ("America/Chicago"; NULL or "" = UTC).
 * Returns the offset in ms of zone local time from UTC at instant MS.
 * Dies with a message for an unknown zone. */
int64_t gp_tz_offset(const char *zone, int64_t ms);
/* The UTC instant of local midnight starting local date DAYS in ZONE. */
int64_t gp_tz_local_midnight(const char *zone, int64_t days);
/* 1 if ZONE names a zone this machine knows, else 0. */
int gp_tz_valid(const char *zone);

/* Write a number of milliseconds as seconds: "300", "300.5", "0.001". */
size_t gp_format_secs(int64_t ms, char *out); /* out >= 32 bytes */
/* Parse "300" / "300.25" / "3e2" seconds to ms (rounded).  Returns 0; -1
 * for what is not a number; -2 for a number of seconds beyond the span of
 * the time range, GP_SECS_MAX ms either way (1e18, 5e15). */
#define GP_SECS_MAX (GP_TIME_MAX - GP_TIME_MIN)
int gp_secs_parse(const char *s, size_t n, int64_t *ms);
/* A ratio (occupancy, nrt_rate, a cut) as the shortest decimal that reads
 * back to the same double: "0.3333333333333333", "0.25", "1", "0"; plain
 * notation from 1e-7 to 1e16, "1.5e-08" outside (gpulse(7), Numbers). */
size_t gp_format_ratio(double v, char *out); /* out >= 32 bytes */
/* The same rounded to DIGITS decimals, trailing zeros trimmed ("0.333"),
 * for --digits; DIGITS < 0 = gp_format_ratio. */
size_t gp_format_ratio_digits(double v, int digits, char *out); /* out >= 32 bytes */

/* ------------------------------------------------------------------ */
/* Field names and status values                                       */
/* ------------------------------------------------------------------ */

/* The fields of the contract (gpulse(7), SEGMENT RECORDS). */
enum gp_field_id {
    GP_F_UNKNOWN = -1,
    GP_F_USER_ID = 0,
    GP_F_ROUTING_STATUS,
    GP_F_PRESENCE,
    GP_F_START,
    GP_F_END,
    GP_F_SECS,
    GP_F_ORG,
    GP_F_SHIFT,
    GP_F_COUNT
};

/* Canonical name of a known field ("user_id"...). */
const char *gp_field_name(int id);
/* Field id for a key as it appears in input (aliases: userId, userid,
 * routingStatus, systemPresence, startTime, event_time, endTime...), or
 * GP_F_UNKNOWN. */
int gp_field_lookup(const char *key, size_t n);
/* The same, faster, for a key inside [BEGIN, END) when that holds 16 bytes
 * around it. */
int gp_field_lookup_in(const char *key, size_t n, const char *begin, const char *end);

/* Normalise a status value to SCREAMING_SNAKE_CASE: "interacting" ->
 * "INTERACTING", "notResponding" -> "NOT_RESPONDING", "On Queue" ->
 * "ON_QUEUE".  Writes at most 2*n+1 bytes (NUL-terminated) to OUT and
 * returns the length.  Values already canonical come out unchanged. */
size_t gp_status_normalize(const char *s, size_t n, char *out);

/* The routing statuses of the contract, in column order. */
extern const char *const gp_routing_statuses[]; /* NULL-terminated */

/* "NOT_RESPONDING" -> "not_responding" (column names). */
void gp_lowercase(char *s);

/* ------------------------------------------------------------------ */
/* Records                                                              */
/* ------------------------------------------------------------------ */

enum gp_format { GP_FMT_AUTO = 0, GP_FMT_JSON, GP_FMT_CSV };

enum gp_kind {
    GP_V_ABSENT = 0, /* field not in the record (or empty CSV cell) */
    GP_V_STRING,
    GP_V_NUMBER,
    GP_V_NULL,
    GP_V_BOOL,
    GP_V_OTHER /* a JSON object or array */
};

typedef struct gp_field {
    gp_str key;      /* as written in the input (JSON: unquoted, escapes kept) */
    size_t vbeg, vend; /* value's bytes in raw: JSON token, or CSV cell (quotes included) */
    int id;          /* gp_field_id */
    unsigned char kind;
    bool escaped;    /* a JSON string holding backslash escapes */
} gp_field;

typedef struct gp_record {
    const char *raw; /* exact input bytes of the record, line end included */
    size_t raw_len;
    long lineno;      /* first input line of the record */
    const char *file; /* for messages */
    int format;       /* GP_FMT_JSON or GP_FMT_CSV */
    int nfields, fields_cap;
    gp_field *fields;
    int known[GP_F_COUNT]; /* index into fields, -1 when absent */
    /* CSV: decoded cell values (fields[i] value = cells[i]) */
    gp_str *cells;
    int cells_cap;
    gp_buf scratch; /* decoded strings with escapes */
    /* Each escaped field is decoded once, into scratch, and its view kept
     * here (p NULL = not decoded yet): repeated reads of a field (a key,
     * then a format conversion, then an error message) reuse it, so scratch
     * never needs more than the record's length. */
    gp_str *decoded;
    int decoded_cap, ndecoded_fields;
    /* The reader's: which CSV header's fields r->fields holds (0 = none),
     * and which of its cells were empty (bit i: cell i, headers of at most
     * 64 columns), so a row changes only the kinds that differ. */
    unsigned csv_header_stamp;
    uint64_t csv_empty_cells;
    int csv_type_field; /* with a stamp: the first field keyed "type", or -1 */
    bool csv_has_shift; /* with a stamp: a column is the field shift */
} gp_record;

/* Value of field index I as decoded text (JSON string unescaped, number
 * as written, CSV cell unquoted); {NULL,0} when absent, null or empty. */
gp_str gp_rec_value_decoded(gp_record *r, int i);
/* The same; inline for the common case, a JSON string without escapes,
 * which is a view of the raw line. */
static inline gp_str gp_rec_value(gp_record *r, int i)
{
    if (i < 0 || i >= r->nfields) return (gp_str){NULL, 0};
    if (r->format == GP_FMT_JSON) {
        const gp_field *f = &r->fields[i];
        if (f->kind == GP_V_STRING && !f->escaped && f->vend - f->vbeg > 2)
            return (gp_str){r->raw + f->vbeg + 1, f->vend - f->vbeg - 2};
        if (f->kind == GP_V_NUMBER) return (gp_str){r->raw + f->vbeg, f->vend - f->vbeg};
    } else if (r->format == GP_FMT_CSV) {
        return r->cells[i];
    }
    return gp_rec_value_decoded(r, i);
}
/* Value of field ID (gp_field_id), as gp_rec_value. */
static inline gp_str gp_rec_get(gp_record *r, int id) { return gp_rec_value(r, r->known[id]); }
/* Kind of field ID (GP_V_ABSENT when missing; an empty CSV cell is absent). */
int gp_rec_kind(const gp_record *r, int id);
/* Index of the field with this exact key, or -1. */
int gp_rec_find(const gp_record *r, const char *key);

/* Typed getters: 0 = ok, 1 = absent/null/empty, -1 = present but bad (a
 * message naming field and value is then in ERR). */
int gp_rec_time(gp_record *r, int id, int64_t *ms, gp_error *err);
int gp_rec_secs(gp_record *r, int id, int64_t *ms, gp_error *err);
/* Status (routing_status or presence) normalised into out[64]; 0/1/-1 as above. */
int gp_rec_status(gp_record *r, int id, char *out, size_t *len, gp_error *err);

typedef struct gp_reader gp_reader;

/* Open a reader over FILES (NULL-terminated; NULL or empty = stdin).
 * FORMAT forces a format or GP_FMT_AUTO detects it per file from the first
 * non-blank byte ('{' = NDJSON, else CSV). */
gp_reader *gp_reader_new(char **files, int format);
/* Next record: 1 = a record in *out; 0 = end of all input; -1 = a malformed
 * record: its bytes are in (*out)->raw for --rejects, and gp_reader_error()
 * says what is wrong ("file:line: ..." is added by the caller's helper). */
int gp_reader_next(gp_reader *rd, gp_record **out);
const char *gp_reader_error(gp_reader *rd);
/* Format of the current (first) input: GP_FMT_JSON or GP_FMT_CSV; reading
 * the first record sets it (GP_FMT_AUTO before, or for empty input). */
int gp_reader_format(gp_reader *rd);
/* CSV header of the current file: names and count (0 for NDJSON). */
int gp_reader_header(gp_reader *rd, const gp_str **names);
/* Raw header line bytes of the current CSV file (for pass-through). */
gp_str gp_reader_header_raw(gp_reader *rd);
/* True when the header of the current CSV file changed with the last record
 * read (a new file began). */
bool gp_reader_new_header(gp_reader *rd);
void gp_reader_free(gp_reader *rd);

/* Parse RAW again (bytes of a record read earlier from RD and kept by the
 * caller) in the current file's format, into a record owned by RD that
 * stays valid until the next rescan.  NULL if the bytes do not parse. */
gp_record *gp_reader_rescan(gp_reader *rd, const char *raw, size_t len, long lineno,
                            const char *file);
/* Take RAW, one line, as the CSV header of the records gp_reader_rescan
 * parses from now on (the reader's format becomes CSV): for a caller that
 * reads the lines itself (glive).  -1 when it does not parse (message in
 * gp_reader_error). */
int gp_reader_rescan_header(gp_reader *rd, const char *raw, size_t len);

/* Standard handling of a bad record: with a rejects stream, copy its bytes
 * there and warn; else die with "tool: file:line: message". */
void gp_reject(gp_record *r, const char *message, gp_out *rejects);

/* ------------------------------------------------------------------ */
/* Writing records that came in (pass-through with edits)              */
/* ------------------------------------------------------------------ */

/* An edit to a record on output: set (or add) field NAME to a value. */
typedef struct gp_edit {
    const char *name; /* canonical name: "shift", "start" ... */
    int id;           /* gp_field_id of name, or GP_F_UNKNOWN */
    int kind;         /* GP_V_STRING, GP_V_NUMBER, GP_V_NULL (NULL: empty CSV cell) */
    const char *val;  /* text of the value (unquoted) */
    size_t len;
} gp_edit;

typedef struct gp_writer gp_writer;

/* A writer of records to OUT in FORMAT (GP_FMT_AUTO = follow the input).
 * EXTRA names columns the tool adds (CSV header), NULL-terminated or NULL. */
gp_writer *gp_writer_new(gp_out *out, int format, const char *const *extra);
/* Write R with EDITS applied.  Untouched records in their own format are
 * copied byte for byte (plus added fields); edited fields get canonical
 * values; other formats are converted. */
void gp_write_record(gp_writer *w, gp_reader *rd, gp_record *r, const gp_edit *edits, int nedits);
/* End of input: a CSV output that got no record still gets the header
 * (the input's, plus the tool's columns). */
void gp_writer_end(gp_writer *w, gp_reader *rd);
/* Free W; fields dropped in NDJSON to CSV conversion are named on stderr,
 * each with the number of records that lost it. */
void gp_writer_free(gp_writer *w);

/* Where a record's contract fields lie in its bytes, kept with a copy of
 * the bytes so a held record can be written later, with edits of those
 * fields, without parsing it again (gshift holds records until their shift
 * is known).  CSV records are parsed again when written. */
typedef struct gp_layout {
    uint32_t vbeg[GP_F_COUNT], vend[GP_F_COUNT]; /* vend 0: field absent */
    int format;
    bool has_fields;
    unsigned csv_header; /* a CSV row's gp_record.csv_header_stamp: the header it was read under */
} gp_layout;

typedef struct gp_held_record {
    const char *raw;
    size_t len;
    long lineno;
    const char *file;
    gp_layout layout;
} gp_held_record;

void gp_layout_of(const gp_record *r, gp_layout *l);
/* Write a held record with EDITS (of the contract's fields: id >= 0, or new
 * fields by name). */
void gp_write_held(gp_writer *w, gp_reader *rd, const gp_held_record *h, const gp_edit *edits,
                   int nedits);

/* ------------------------------------------------------------------ */
/* Tables of new rows (goccupy, gbucket...)                             */
/* ------------------------------------------------------------------ */

typedef struct gp_table gp_table;

/* Columns are fixed at creation; FORMAT GP_FMT_JSON or GP_FMT_CSV. */
gp_table *gp_table_new(gp_out *out, int format, const char *const *columns, int ncolumns);
/* Set cell COL of the current row. */
void gp_table_str(gp_table *t, int col, const char *s, size_t n);
void gp_table_strz(gp_table *t, int col, const char *s);
void gp_table_num(gp_table *t, int col, const char *numtext); /* raw JSON number */
void gp_table_int(gp_table *t, int col, long long v);
void gp_table_secs(gp_table *t, int col, int64_t ms);
void gp_table_ratio(gp_table *t, int col, double v, bool defined); /* !defined = null / empty */
/* Ratios of this table rounded to DIGITS decimals (--digits); -1, the
 * default, writes them whole (gp_format_ratio). */
void gp_table_ratio_digits(gp_table *t, int digits);
/* Write the header line now (CSV), even if no row follows. */
void gp_table_header(gp_table *t);
void gp_table_time(gp_table *t, int col, int64_t ms);
/* Emit the current row (cells not set are null / empty) and clear it. */
void gp_table_end_row(gp_table *t);
void gp_table_free(gp_table *t);

/* Two CSV headers hold the same fields, maybe in another order: MAP[i]
 * is then the index in FIRST of NAMES[i] and 0 is returned.  Otherwise -1,
 * with a message naming a field that one has and the other has not in
 * WHY ("field 'queue' is not in the first file's header"). */
int gp_csv_header_map(const gp_str *first, int nfirst, const gp_str *names, int n, int *map, char *why,
                      size_t why_size);

/* JSON string escaping and CSV cell quoting, for writers. */
void gp_json_string(gp_out *o, const char *s, size_t n);
void gp_csv_cell(gp_out *o, const char *s, size_t n);
void gp_buf_json_string(gp_buf *b, const char *s, size_t n);
void gp_buf_csv_cell(gp_buf *b, const char *s, size_t n);

/* ------------------------------------------------------------------ */
/* Hashing                                                              */
/* ------------------------------------------------------------------ */

uint64_t gp_hash(const void *p, size_t n, uint64_t seed);

/* ------------------------------------------------------------------ */
/* Option values (tools parse options with getopt_long and a table)    */
/* ------------------------------------------------------------------ */

/* Parse a whole number / a duration option value or die with a usage error
 * naming the option. */
long long gp_opt_long(const char *opt, const char *arg, long long min, long long max);
double gp_opt_double(const char *opt, const char *arg, double min, double max);
int64_t gp_opt_duration(const char *opt, const char *arg);
int64_t gp_opt_time(const char *opt, const char *arg);
/* The same, a date without a time being the local midnight that starts it
 * in ZONE (NULL or "" = UTC): 2026-11-02 in America/Chicago is 06:00Z. */
int64_t gp_opt_time_in(const char *opt, const char *arg, const char *zone);
/* A size in bytes: "65536", "64K", "256M", "2G" (powers of 1024), at least MIN. */
uint64_t gp_opt_size(const char *opt, const char *arg, uint64_t min);

#endif
