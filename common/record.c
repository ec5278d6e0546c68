/* record.c - reading records (NDJSON and CSV) and writing them back.
 *
 * NDJSON lines are not parsed into trees: a scanner walks the top-level
 * object once and notes where each key and value lie in the line.  Filters
 * then read the few fields they need and copy everything else byte for
 * byte.  CSV goes through libcsv (RFC 4180: quotes, embedded commas and
 * newlines, CRLF); a record's raw bytes are the input lines it spans. */
#include "gpulse.h"

#include <csv.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

char gp_rec_errmsg[512];

/* The cells of one CSV row as libcsv hands them over. */
typedef struct csv_row {
    const char *base; /* cells are base + off[i]: text, or the input line itself */
    gp_buf text;
    size_t *off, *len;
    int n, cap;
    bool done;
    bool past_end; /* libcsv went on past the row's end within one line: a bare CR ended it */
} csv_row;

struct gp_reader {
    char **files;
    int nfiles, file_index;
    bool file_open;
    gp_in in;
    int forced_format, format, first_format;
    char err[512];
    gp_record rec;
    gp_record again; /* gp_reader_rescan's record */
    /* CSV state */
    struct csv_parser csv;
    bool csv_ready;
    bool want_header; /* the next row of this file is its header */
    bool new_header;
    int nheader;
    gp_str *header;
    int *header_id; /* gp_field_lookup of each header name */
    gp_buf header_store, header_raw;
    gp_buf raw; /* raw bytes of the CSV record being read (quoted rows) */
    const char *raw_view; /* or, for a plain one-line row, the line itself */
    size_t raw_view_len;
    csv_row row, again_row;
    struct csv_parser again_csv;
    bool again_ready;
};

/* ------------------------------------------------------------------ */
/* NDJSON scanning                                                      */

/* The scanner's helpers are inlined: they run a dozen times per record. */
#define HOT static inline __attribute__((always_inline))

HOT const char *skip_ws(const char *p, const char *end)
{
    if (p < end && (unsigned char)*p > ' ') return p; /* compact JSON: no blanks */
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++;
    return p;
}

/* Word-at-a-time search for the bytes that end or interrupt a JSON string
 * body: '"', '\\' and control characters.  Each test sets the high bit of
 * every byte that matches (borrows can only mark bytes above a true match,
 * so the lowest mark is exact). */
static const uint64_t ONES = 0x0101010101010101ULL, HIGHS = 0x8080808080808080ULL;

HOT uint64_t special_bytes(uint64_t w)
{
    uint64_t quote = w ^ (ONES * '"'), backslash = w ^ (ONES * '\\');
    uint64_t is_quote = (quote - ONES) & ~quote;
    uint64_t is_backslash = (backslash - ONES) & ~backslash;
    uint64_t is_control = (w - ONES * 0x20) & ~w;
    return (is_quote | is_backslash | is_control) & HIGHS;
}

HOT bool is_special(unsigned char c) { return c == '"' || c == '\\' || c < 0x20; }

#ifdef __SSE2__
/* 16 bytes at a time: a mask of the positions holding '"', '\\' or a
 * control character (x86-64 always has SSE2). */
HOT unsigned special_mask16(const char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
    __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
    /* v <= 0x1f, unsigned: max(v, 0x1f) == 0x1f */
    __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control));
}
#endif

/* Move P to the first special byte before END, or to END. */
HOT const char *find_special(const char *p, const char *end)
{
#ifdef __SSE2__
    while (end - p >= 16) {
        unsigned m = special_mask16(p);
        if (m) return p + __builtin_ctz(m);
        p += 16;
    }
#endif
    while (end - p >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        uint64_t m = special_bytes(w);
        if (m) return p + __builtin_ctzll(m) / 8;
        p += 8;
    }
    while (p < end && !is_special((unsigned char)*p)) p++;
    return p;
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The length of the escape sequence at P (a backslash), or 0 when JSON has
 * no such escape: \" \\ \/ \b \f \n \r \t \uXXXX. */
static size_t escape_length(const char *p, const char *end)
{
    if (end - p < 2) return 0;
    switch (p[1]) {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't': return 2;
    case 'u':
        if (end - p < 6) return 0;
        for (int i = 2; i < 6; i++)
            if (!is_hex(p[i])) return 0;
        return 6;
    default: return 0;
    }
}

/* p at the opening quote; returns the position after the closing quote, or
 * NULL (string_problem() then says why).  Sets *escaped when the string
 * holds a backslash. */
HOT const char *scan_string(const char *p, const char *end, bool *escaped)
{
    p++;
    for (;;) {
        p = find_special(p, end);
        if (p >= end) return NULL;
        if (*p == '"') return p + 1;
        if (*p != '\\') return NULL; /* a raw control character: JSON forbids it */
        *escaped = true;
        size_t n = escape_length(p, end);
        if (n == 0) return NULL;
        p += n;
    }
}

/* Why scan_string() failed on the string opening at P: for the message. */
static const char *string_problem(const char *p, const char *end)
{
    p++;
    for (;;) {
        p = find_special(p, end);
        if (p >= end) return "malformed JSON: unterminated string";
        if (*p == '"') return "malformed JSON value";
        if (*p != '\\')
            return "malformed JSON: a raw control character inside a string (JSON needs \\u00XX)";
        size_t n = escape_length(p, end);
        if (n == 0) return "malformed JSON: an invalid escape sequence inside a string";
        p += n;
    }
}

static const char *scan_value(const char *p, const char *end, unsigned char *kind, int depth);

static const char *scan_container(const char *p, const char *end, int depth)
{
    char close = *p == '{' ? '}' : ']';
    bool is_object = *p == '{';
    if (depth > 64) return NULL;
    p = skip_ws(p + 1, end);
    if (p < end && *p == close) return p + 1;
    for (;;) {
        unsigned char kind;
        if (is_object) {
            bool esc = false;
            if (p >= end || *p != '"' || !(p = scan_string(p, end, &esc))) return NULL;
            p = skip_ws(p, end);
            if (p >= end || *p != ':') return NULL;
            p = skip_ws(p + 1, end);
        }
        if (!(p = scan_value(p, end, &kind, depth + 1))) return NULL;
        p = skip_ws(p, end);
        if (p < end && *p == ',') {
            p = skip_ws(p + 1, end);
            continue;
        }
        if (p < end && *p == close) return p + 1;
        return NULL;
    }
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static const char *scan_number(const char *p, const char *end)
{
    if (p < end && *p == '-') p++;
    if (p >= end || !is_digit(*p)) return NULL;
    if (*p == '0') p++;
    else while (p < end && is_digit(*p)) p++;
    if (p < end && *p == '.') {
        p++;
        if (p >= end || !is_digit(*p)) return NULL;
        while (p < end && is_digit(*p)) p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-')) p++;
        if (p >= end || !is_digit(*p)) return NULL;
        while (p < end && is_digit(*p)) p++;
    }
    return p;
}

static const char *scan_literal(const char *p, const char *end, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(end - p) < n || memcmp(p, word, n) != 0) return NULL;
    return p + n;
}

static const char *scan_value(const char *p, const char *end, unsigned char *kind, int depth)
{
    if (p >= end) return NULL;
    bool esc = false;
    switch (*p) {
    case '"': *kind = GP_V_STRING; return scan_string(p, end, &esc);
    case '{':
    case '[': *kind = GP_V_OTHER; return scan_container(p, end, depth);
    case 't': *kind = GP_V_BOOL; return scan_literal(p, end, "true");
    case 'f': *kind = GP_V_BOOL; return scan_literal(p, end, "false");
    case 'n': *kind = GP_V_NULL; return scan_literal(p, end, "null");
    default: *kind = GP_V_NUMBER; return scan_number(p, end);
    }
}

HOT void add_field(gp_record *r, gp_field f)
{
    if (r->nfields == r->fields_cap) {
        r->fields_cap = r->fields_cap ? r->fields_cap * 2 : 16;
        r->fields = gp_xrealloc(r->fields, (size_t)r->fields_cap * sizeof *r->fields);
    }
    if (f.id >= 0 && r->known[f.id] < 0) r->known[f.id] = r->nfields;
    r->fields[r->nfields++] = f;
}

static int fail(gp_reader *rd, const char *msg)
{
    snprintf(rd->err, sizeof rd->err, "%s", msg);
    return -1;
}

#ifdef __SSE2__
/* The shape nearly every line has when a program wrote it: a flat, compact
 * object ({"k":v,"k":v}, no blanks) of at most FLAT_MAX bytes whose values
 * are strings without escapes, numbers, booleans or nulls.  One pass, 16
 * bytes at a time, marks every quote of the line in a bitmap and checks that
 * there is no backslash or control byte; the walk then finds each string's
 * closing quote in the bitmap and checks the punctuation between strings.
 * Returns false for anything else: scan_json_record then reads the line the
 * careful way (and words the error, if there is one). */
enum { FLAT_MAX = 512 };

typedef struct quote_bitmap {
    uint64_t word[FLAT_MAX / 64 + 1];
} quote_bitmap;

/* Mark the 16 quote bits MASK found at byte offset AT. */
HOT void mark_quotes(quote_bitmap *q, size_t at, unsigned mask)
{
    unsigned shift = (unsigned)(at % 64);
    q->word[at / 64] |= (uint64_t)mask << shift;
    if (shift > 48) q->word[at / 64 + 1] |= (uint64_t)mask >> (64 - shift);
}

/* The first quote at or after AT (AT < FLAT_MAX), or FLAT_MAX. */
HOT size_t next_quote(const quote_bitmap *q, size_t at)
{
    size_t w = at / 64;
    uint64_t bits = q->word[w] >> (at % 64);
    if (bits) return at + (size_t)__builtin_ctzll(bits);
    for (w++; w < FLAT_MAX / 64; w++)
        if (q->word[w]) return w * 64 + (size_t)__builtin_ctzll(q->word[w]);
    return FLAT_MAX;
}

static bool scan_json_flat(gp_record *r, const char *line, size_t len)
{
    if (len && line[len - 1] == '\n') len--;
    if (len < 16 || len > FLAT_MAX || line[0] != '{' || line[len - 1] != '}') return false;
    quote_bitmap q = {{0}};
    unsigned specials = 0;
    const __m128i quote = _mm_set1_epi8('"');
    size_t i = 0;
    /* 32 bytes a step while they fit: aligned to 32 within the line, their
     * marks never straddle two words */
    for (; i + 32 <= len; i += 32) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(line + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(line + i + 16));
        unsigned qa = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(a, quote));
        unsigned qb = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b, quote));
        specials |= (special_mask16(line + i) ^ qa) | (special_mask16(line + i + 16) ^ qb);
        q.word[i / 64] |= (uint64_t)(qa | qb << 16) << (i % 64);
    }
    for (; i < len; i += 16) {
        if (i + 16 > len) i = len - 16; /* the last bytes: one load ending at the end */
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(line + i));
        unsigned quotes = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote));
        specials |= special_mask16(line + i) ^ quotes; /* backslashes and control bytes */
        mark_quotes(&q, i, quotes);
    }
    if (specials) return false;
    const char *end = line + len;
    size_t pos = 1;
    for (;;) {
        if (line[pos] != '"') return false;
        size_t key_end = next_quote(&q, pos + 1);
        if (key_end + 2 >= len || line[key_end + 1] != ':') return false;
        gp_field f;
        f.key.p = line + pos + 1;
        f.key.n = key_end - pos - 1;
        f.id = gp_field_lookup_in(f.key.p, f.key.n, line, end);
        f.vbeg = key_end + 2;
        f.escaped = false;
        char c = line[f.vbeg];
        if (c == '"') {
            f.kind = GP_V_STRING;
            f.vend = next_quote(&q, f.vbeg + 1) + 1;
            if (f.vend > len) return false;
        } else if (c == '{' || c == '[') {
            return false;
        } else {
            const char *after = scan_value(line + f.vbeg, end, &f.kind, 0);
            if (!after) return false;
            f.vend = (size_t)(after - line);
        }
        add_field(r, f);
        pos = f.vend;
        if (pos >= len) return false;
        if (line[pos] == '}') return pos + 1 == len;
        if (line[pos] != ',') return false;
        pos++;
    }
}
#endif

/* Scan one NDJSON line into r's fields. */
static int scan_json_record(gp_reader *rd, gp_record *r, const char *line, size_t len)
{
#ifdef __SSE2__
    if (scan_json_flat(r, line, len)) return 0;
    r->nfields = 0;
    for (int i = 0; i < GP_F_COUNT; i++) r->known[i] = -1;
#endif
    const char *p = line, *end = line + len;
    p = skip_ws(p, end);
    if (p < end && *p == '[')
        return fail(rd, "a JSON array, not NDJSON (one object per line): convert it with jq -c '.[]'");
    if (p >= end || *p != '{') return fail(rd, "not a JSON object");
    p = skip_ws(p + 1, end);
    if (p < end && *p == '}') {
        p++;
    } else {
        for (;;) {
            gp_field f = {0};
            bool esc = false;
            if (p >= end || *p != '"') return fail(rd, "malformed JSON: expected a field name");
            const char *k = p;
            if (!(p = scan_string(p, end, &esc))) return fail(rd, string_problem(k, end));
            f.key.p = k + 1;
            f.key.n = (size_t)(p - k - 2);
            f.id = esc ? GP_F_UNKNOWN : gp_field_lookup(f.key.p, f.key.n);
            p = skip_ws(p, end);
            if (p >= end || *p != ':') return fail(rd, "malformed JSON: expected ':'");
            p = skip_ws(p + 1, end);
            f.vbeg = (size_t)(p - line);
            f.escaped = false;
            if (p < end && *p == '"') { /* most values: a string, scanned here */
                f.kind = GP_V_STRING;
                const char *opening = p;
                if (!(p = scan_string(p, end, &f.escaped)))
                    return fail(rd, string_problem(opening, end));
            } else if (!(p = scan_value(p, end, &f.kind, 0))) {
                return fail(rd, "malformed JSON value");
            }
            f.vend = (size_t)(p - line);
            add_field(r, f);
            p = skip_ws(p, end);
            if (p < end && *p == ',') {
                p = skip_ws(p + 1, end);
                continue;
            }
            if (p < end && *p == '}') {
                p++;
                break;
            }
            return fail(rd, "malformed JSON: expected ',' or '}'");
        }
    }
    p = skip_ws(p, end);
    if (p != end) return fail(rd, "malformed JSON: text after the object");
    return 0;
}

/* ------------------------------------------------------------------ */
/* JSON string decoding                                                 */

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static unsigned read_hex4(const char *p)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(p[i]);
        if (h < 0) return 0xFFFD;
        v = v * 16 + (unsigned)h;
    }
    return v;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | cp >> 6); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12); o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F)); return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18); o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decode the JSON string body s[0..n) into o; returns the length.  The
 * output is never longer than the input. */
static size_t json_unescape(const char *s, size_t n, char *o)
{
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\' || i + 1 >= n) { o[j++] = s[i]; continue; }
        char c = s[++i];
        switch (c) {
        case 'n': o[j++] = '\n'; break;
        case 't': o[j++] = '\t'; break;
        case 'r': o[j++] = '\r'; break;
        case 'b': o[j++] = '\b'; break;
        case 'f': o[j++] = '\f'; break;
        case 'u': {
            if (i + 4 >= n) { o[j++] = '?'; i = n; break; }
            unsigned cp = read_hex4(s + i + 1);
            i += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < n && s[i + 1] == '\\' && s[i + 2] == 'u') {
                unsigned lo = read_hex4(s + i + 3);
                if (lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                }
            }
            j += put_utf8(o + j, cp);
            break;
        }
        default: o[j++] = c; break; /* \" \\ \/ */
        }
    }
    return j;
}

/* ------------------------------------------------------------------ */
/* Field access                                                         */

gp_str gp_rec_value_decoded(gp_record *r, int i)
{
    gp_str v = {NULL, 0};
    if (i < 0 || i >= r->nfields) return v;
    gp_field *f = &r->fields[i];
    if (r->format == GP_FMT_CSV) return r->cells[i];
    if (f->kind == GP_V_NULL || f->kind == GP_V_ABSENT) return v;
    const char *p = r->raw + f->vbeg;
    size_t n = f->vend - f->vbeg;
    if (f->kind != GP_V_STRING) {
        v.p = p;
        v.n = n;
        return v;
    }
    p++;
    n -= 2;
    if (!f->escaped) {
        v.p = n ? p : NULL;
        v.n = n;
        return v;
    }
    if (r->ndecoded_fields == 0) { /* the record's first decode */
        if (r->decoded_cap < r->nfields) {
            r->decoded_cap = r->fields_cap;
            free(r->decoded);
            r->decoded = gp_xmalloc((size_t)r->decoded_cap * sizeof *r->decoded);
        }
        memset(r->decoded, 0, (size_t)r->nfields * sizeof *r->decoded);
        r->ndecoded_fields = r->nfields;
        if (r->scratch.cap < r->raw_len + 1) gp_buf_reserve(&r->scratch, r->raw_len + 1);
    }
    if (r->decoded[i].p) return r->decoded[i];
    /* Decoded strings share one scratch area sized for the whole record:
     * decoding never grows a string and each field is decoded at most once,
     * so the area never moves and earlier views stay valid. */
    char *o = r->scratch.data + r->scratch.len;
    size_t len = json_unescape(p, n, o);
    r->scratch.len += len;
    v.p = o;
    v.n = len;
    r->decoded[i] = v;
    return v;
}

int gp_rec_kind(const gp_record *r, int id)
{
    int i = r->known[id];
    return i < 0 ? GP_V_ABSENT : r->fields[i].kind;
}

int gp_rec_find(const gp_record *r, const char *key)
{
    size_t n = strlen(key);
    for (int i = 0; i < r->nfields; i++)
        if (r->fields[i].key.n == n && memcmp(r->fields[i].key.p, key, n) == 0) return i;
    return -1;
}

/* Quote a value for a message: at most 60 bytes, control chars shown as '?'. */
static void describe_value(char *out, size_t size, gp_str v)
{
    size_t n = v.n > 60 ? 60 : v.n, j = 0;
    for (size_t i = 0; i < n && j + 1 < size; i++)
        out[j++] = (unsigned char)v.p[i] < 0x20 ? '?' : v.p[i];
    if (v.n > 60 && j + 4 < size) { memcpy(out + j, "...", 3); j += 3; }
    out[j] = '\0';
}

static int bad_value(gp_record *r, int id, const char *what)
{
    char shown[80];
    gp_str v = gp_rec_get(r, id);
    int i = r->known[id];
    if (r->format == GP_FMT_JSON && i >= 0 && r->fields[i].kind != GP_V_STRING) {
        v.p = r->raw + r->fields[i].vbeg;
        v.n = r->fields[i].vend - r->fields[i].vbeg;
    }
    describe_value(shown, sizeof shown, v);
    snprintf(gp_rec_errmsg, sizeof gp_rec_errmsg, "field %s: %s '%s'", gp_field_name(id), what,
             shown);
    return -1;
}

int gp_rec_time(gp_record *r, int id, int64_t *ms)
{
    int i = r->known[id];
    if (i < 0) return 1;
    unsigned char kind = r->fields[i].kind;
    if (kind == GP_V_NULL) return 1;
    if (r->format == GP_FMT_JSON && kind != GP_V_STRING) return bad_value(r, id, "not a time");
    gp_str v = gp_rec_value(r, i);
    if (v.n == 0) return 1;
    if (gp_time_parse(v.p, v.n, ms) != 0) return bad_value(r, id, "not an RFC 3339 time");
    return 0;
}

int gp_rec_secs(gp_record *r, int id, int64_t *ms)
{
    int i = r->known[id];
    if (i < 0) return 1;
    unsigned char kind = r->fields[i].kind;
    if (kind == GP_V_NULL) return 1;
    gp_str v = gp_rec_value(r, i);
    if (v.n == 0) return 1;
    int got = kind == GP_V_NUMBER || kind == GP_V_STRING ? gp_secs_parse(v.p, v.n, ms) : -1;
    if (got == -2) return bad_value(r, id, "seconds beyond the time range (0000 to 9999)");
    if (got != 0) return bad_value(r, id, "not a number of seconds");
    if (*ms < 0) return bad_value(r, id, "negative seconds");
    return 0;
}

int gp_rec_status(gp_record *r, int id, char *out, size_t *len)
{
    int i = r->known[id];
    if (i < 0) return 1;
    unsigned char kind = r->fields[i].kind;
    if (kind == GP_V_NULL) return 1;
    gp_str v = gp_rec_value(r, i);
    if (v.n == 0) return 1;
    if (kind != GP_V_STRING || v.n > 31) return bad_value(r, id, "not a status name");
    *len = gp_status_normalize(v.p, v.n, out);
    if (*len == 0) return bad_value(r, id, "not a status name");
    return 0;
}

/* ------------------------------------------------------------------ */
/* CSV through libcsv                                                   */

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

static void csv_start(gp_reader *rd)
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
#ifdef __SSE2__
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(line + i));
        __m128i odd = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')));
        if (_mm_movemask_epi8(odd)) return false;
        unsigned commas = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')));
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
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(line + n - 16));
        __m128i odd = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')));
        if ((unsigned)_mm_movemask_epi8(odd) >> skip) return false;
        unsigned commas = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(','))) >> skip;
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


#define BARE_CR_MESSAGE \
    "CSV lines end in a bare CR (old Mac style), not read: convert them with tr '\\r' '\\n'"

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
                csv_start(rd);
                return fail(rd, "malformed CSV: unterminated quoted field");
            }
            if (row->past_end) {
                csv_start(rd);
                return fail(rd, BARE_CR_MESSAGE);
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
            csv_start(rd);
            return fail(rd, "malformed CSV: a quote inside an unquoted field, or text after a closing quote");
        }
        if (row->past_end) { /* lines read here end in '\n' only */
            csv_start(rd);
            return fail(rd, BARE_CR_MESSAGE);
        }
        if (row->done) return 1;
        if (row->n == 0 && row->text.len == 0 && len <= 2 &&
            (line[0] == '\n' || line[0] == '\r'))
            rd->raw.len = 0; /* a blank line: not a record */
    }
}

static void csv_take_header(gp_reader *rd)
{
    const csv_row *row = &rd->row;
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
    rd->header_raw.len = 0;
    if (rd->raw_view) gp_buf_add(&rd->header_raw, rd->raw_view, rd->raw_view_len);
    else gp_buf_add(&rd->header_raw, rd->raw.data, rd->raw.len);
    rd->new_header = true;
}

/* ------------------------------------------------------------------ */
/* The reader                                                           */

gp_reader *gp_reader_new(char **files, int format)
{
    gp_reader *rd = gp_xcalloc(1, sizeof *rd);
    static char *stdin_only[] = {"-", NULL};
    if (!files || !files[0]) files = stdin_only;
    rd->files = files;
    while (files[rd->nfiles]) rd->nfiles++;
    gp_inputs_note(files);
    rd->forced_format = format;
    rd->file_index = -1;
    return rd;
}

/* The first byte of IN that is not white space, as gp_in_first_nonblank();
 * a UTF-8 byte order mark before NDJSON (some editors write one) is
 * skipped.  A CSV keeps its mark: the header reader drops it. */
static int skip_json_bom(gp_in *in)
{
    static const char bom[] = "\xEF\xBB\xBF";
    int first = gp_in_first_nonblank(in);
    if (first != 0xEF || in->end - in->pos < 4 || memcmp(in->buf + in->pos, bom, 3) != 0)
        return first;
    for (size_t i = in->pos + 3; i < in->end; i++) {
        char c = in->buf[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        if (c != '{' && c != '[') return first;
        in->pos += 3;
        return c;
    }
    return first;
}

static bool open_next_file(gp_reader *rd)
{
    if (rd->file_open) gp_in_close(&rd->in);
    rd->file_open = false;
    if (++rd->file_index >= rd->nfiles) return false;
    gp_in_open(&rd->in, rd->files[rd->file_index]);
    rd->file_open = true;
    int first = skip_json_bom(&rd->in);
    if (rd->forced_format) rd->format = rd->forced_format;
    else if (first < 0) rd->format = rd->first_format ? rd->first_format : GP_FMT_AUTO;
    else rd->format = first == '{' || first == '[' ? GP_FMT_JSON : GP_FMT_CSV;
    if (!rd->first_format && first >= 0) rd->first_format = rd->format;
    if (rd->format == GP_FMT_CSV) {
        csv_start(rd);
        rd->want_header = true;
    }
    return true;
}

static void reset_record(gp_reader *rd, gp_record *r)
{
    r->nfields = 0;
    for (int i = 0; i < GP_F_COUNT; i++) r->known[i] = -1;
    r->scratch.len = 0;
    r->ndecoded_fields = 0;
    r->file = rd->in.name;
    r->format = rd->format;
}

static int next_json(gp_reader *rd)
{
    gp_record *r = &rd->rec;
    for (;;) {
        size_t len;
        const char *line = gp_in_line(&rd->in, &len);
        if (!line) return 0;
        reset_record(rd, r);
        r->raw = line;
        r->raw_len = len;
        r->lineno = rd->in.lineno;
        /* blank lines are not records */
        const char *p = skip_ws(line, line + len);
        if (p == line + len) continue;
        return scan_json_record(rd, r, line, len) == 0 ? 1 : -1;
    }
}

/* Make R's fields from the cells of ROW under the current header. */
static int fill_csv_record(gp_reader *rd, gp_record *r, csv_row *row)
{
    if (row->n != rd->nheader) {
        snprintf(rd->err, sizeof rd->err, "CSV row has %d fields, the header has %d", row->n,
                 rd->nheader);
        return -1;
    }
    if (r->cells_cap < row->n) {
        r->cells_cap = row->n;
        r->cells = gp_xrealloc(r->cells, (size_t)row->n * sizeof *r->cells);
    }
    for (int i = 0; i < row->n; i++) {
        gp_field f = {0};
        f.key = rd->header[i];
        f.id = rd->header_id[i];
        f.vbeg = f.vend = 0;
        f.kind = row->len[i] ? GP_V_STRING : GP_V_ABSENT;
        r->cells[i].p = row->base + row->off[i];
        r->cells[i].n = row->len[i];
        add_field(r, f);
        /* an empty cell is an absent value; a later non-empty column of
         * the same field (an alias) may still give it */
        if (f.kind == GP_V_ABSENT && f.id >= 0 && r->known[f.id] == r->nfields - 1)
            r->known[f.id] = -1;
    }
    return 1;
}

static int next_csv(gp_reader *rd)
{
    gp_record *r = &rd->rec;
    rd->new_header = false;
    for (;;) {
        reset_record(rd, r);
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

gp_record *gp_reader_rescan(gp_reader *rd, const char *raw, size_t len, long lineno, const char *file)
{
    gp_record *r = &rd->again;
    reset_record(rd, r);
    r->raw = raw;
    r->raw_len = len;
    r->lineno = lineno;
    r->file = file;
    if (rd->format != GP_FMT_CSV) {
        r->format = GP_FMT_JSON;
        return scan_json_record(rd, r, raw, len) == 0 ? r : NULL;
    }
    if (!rd->again_ready) {
        csv_init_parser(&rd->again_csv);
        rd->again_ready = true;
    }
    csv_row_clear(&rd->again_row);
    if (csv_split_plain(&rd->again_row, raw, len))
        return fill_csv_record(rd, r, &rd->again_row) == 1 ? r : NULL;
    if (csv_parse(&rd->again_csv, raw, len, csv_cell_cb, csv_row_cb, &rd->again_row) != len ||
        csv_fini(&rd->again_csv, csv_cell_cb, csv_row_cb, &rd->again_row) != 0)
        return NULL;
    return fill_csv_record(rd, r, &rd->again_row) == 1 ? r : NULL;
}

int gp_reader_next(gp_reader *rd, gp_record **out)
{
    *out = &rd->rec;
    for (;;) {
        if (!rd->file_open && !open_next_file(rd)) return 0;
        int got = rd->format == GP_FMT_CSV ? next_csv(rd) : next_json(rd);
        if (got != 0) return got;
        rd->file_open = open_next_file(rd);
        if (!rd->file_open) return 0;
    }
}

const char *gp_reader_error(gp_reader *rd) { return rd->err; }

int gp_reader_format(gp_reader *rd) { return rd->first_format ? rd->first_format : rd->format; }

int gp_reader_header(gp_reader *rd, const gp_str **names)
{
    *names = rd->header;
    return rd->format == GP_FMT_CSV ? rd->nheader : 0;
}

gp_str gp_reader_header_raw(gp_reader *rd)
{
    gp_str s = {rd->header_raw.data, rd->header_raw.len};
    return s;
}

bool gp_reader_new_header(gp_reader *rd) { return rd->new_header; }

void gp_reader_free(gp_reader *rd)
{
    if (!rd) return;
    if (rd->file_open) gp_in_close(&rd->in);
    if (rd->csv_ready) csv_free(&rd->csv);
    if (rd->again_ready) csv_free(&rd->again_csv);
    gp_record *records[] = {&rd->rec, &rd->again};
    for (int i = 0; i < 2; i++) {
        free(records[i]->fields);
        free(records[i]->cells);
        free(records[i]->decoded);
        gp_buf_free(&records[i]->scratch);
    }
    free(rd->header);
    free(rd->header_id);
    gp_buf_free(&rd->header_store);
    gp_buf_free(&rd->header_raw);
    gp_buf_free(&rd->raw);
    csv_row_free(&rd->row);
    csv_row_free(&rd->again_row);
    free(rd);
}

void gp_reject(gp_record *r, const char *message, gp_out *rejects)
{
    if (!rejects) gp_data_die(r->file, r->lineno, "%s", message);
    gp_data_warn(r->file, r->lineno, "%s (rejected)", message);
    gp_out_write(rejects, r->raw, r->raw_len);
}

/* ------------------------------------------------------------------ */
/* Escaping                                                             */

static const char hexdigits[] = "0123456789abcdef";

void gp_buf_json_string(gp_buf *b, const char *s, size_t n)
{
    gp_buf_reserve(b, n + 2);
    gp_buf_addc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        gp_buf_add(b, s + run, i - run);
        run = i + 1;
        char esc[7] = {'\\', 0};
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\t': esc[1] = 't'; break;
        case '\r': esc[1] = 'r'; break;
        default:
            memcpy(esc, "\\u00", 4);
            esc[4] = hexdigits[c >> 4];
            esc[5] = hexdigits[c & 15];
            gp_buf_add(b, esc, 6);
            continue;
        }
        gp_buf_add(b, esc, 2);
    }
    gp_buf_add(b, s + run, n - run);
    gp_buf_addc(b, '"');
}

void gp_buf_csv_cell(gp_buf *b, const char *s, size_t n)
{
    bool quote = false;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (n > 0 && (s[0] == ' ' || s[n - 1] == ' ')) quote = true;
    if (!quote) {
        gp_buf_add(b, s, n);
        return;
    }
    gp_buf_addc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '"') continue;
        gp_buf_add(b, s + run, i + 1 - run);
        gp_buf_addc(b, '"');
        run = i + 1;
    }
    gp_buf_add(b, s + run, n - run);
    gp_buf_addc(b, '"');
}

void gp_json_string(gp_out *o, const char *s, size_t n)
{
    gp_buf b = {0};
    gp_buf_json_string(&b, s, n);
    gp_out_write(o, b.data, b.len);
    gp_buf_free(&b);
}

void gp_csv_cell(gp_out *o, const char *s, size_t n)
{
    gp_buf b = {0};
    gp_buf_csv_cell(&b, s, n);
    gp_out_write(o, b.data, b.len);
    gp_buf_free(&b);
}
