/* ndjson.c - scanning NDJSON lines into records, and decoding JSON
 * strings.
 *
 * Lines are not parsed into trees: the scanner walks the top-level object
 * once and notes where each key and value lie in the line.  Filters then
 * read the few fields they need and copy everything else byte for byte. */
#include "reader_impl.h"

#include "bytescan.h"
#include <stdlib.h>
#include <string.h>

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
        p = gp_scan_json_special(p, end);
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
        p = gp_scan_json_special(p, end);
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

#ifdef GP_BYTESCAN_SSE2
/* The shape nearly every line has when a program wrote it: a flat, compact
 * object ({"k":v,"k":v}, no blanks) of at most FLAT_MAX bytes whose values
 * are strings without escapes, numbers, booleans or nulls.  One pass, 16
 * bytes at a time, marks every quote of the line in a bitmap and checks that
 * there is no backslash or control byte; the walk then finds each string's
 * closing quote in the bitmap and checks the punctuation between strings.
 * Returns false for anything else: gp_ndjson_scan then reads the line the
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

/* The end of the value at LINE[AT] when it is null or a whole number
 * written the plain way (0, or digits not starting with 0) directly
 * followed by ',' or '}', with its kind in *KIND; else 0, and scan_value
 * reads it (fractions, exponents, signs, true and false, mistakes).
 * AT < LEN and LINE[LEN - 1] is '}': the walks stop there. */
HOT size_t plain_scalar_end(const char *line, size_t at, size_t len, unsigned char *kind)
{
    size_t p = at;
    if (line[p] == 'n') {
        if (len - p < 5 || gp_load32(line + p) != gp_load32("null")) return 0;
        *kind = GP_V_NULL;
        return p + 4;
    }
    if (line[p] == '0') p++;
    else while (line[p] >= '0' && line[p] <= '9') p++;
    if (p == at || (line[p] != ',' && line[p] != '}')) return 0;
    *kind = GP_V_NUMBER;
    return p;
}

/* The first and last 8 bytes of a key of 8 to 15 bytes, 4 of 4 to 7, or
 * the bytes of a shorter one: together they hold every byte of it. */
HOT void key_words(const char *key, size_t n, uint64_t *head, uint64_t *tail)
{
    if (n >= 8) {
        *head = gp_load64(key);
        *tail = gp_load64(key + n - 8);
    } else if (n >= 4) {
        *head = gp_load32(key);
        *tail = gp_load32(key + n - 4);
    } else {
        *head = (uint64_t)(unsigned char)key[0] | (uint64_t)(unsigned char)key[1] << 8 |
                (uint64_t)(unsigned char)key[n - 1] << 16;
        *tail = 0;
    }
}

/* The field id of the key at position AT of a flat line: the memo's when
 * the key there is the same as last time, else looked up (and noted). */
HOT int key_id(gp_key_memo *memo, int at, const char *key, size_t n, const char *line, const char *end)
{
    if (at >= GP_KEY_MEMO || n < 2 || n > 15) return gp_field_lookup_in(key, n, line, end);
    uint64_t head, tail;
    key_words(key, n, &head, &tail);
    if (memo->len[at] == n && memo->head[at] == head && memo->tail[at] == tail) return memo->id[at];
    int id = gp_field_lookup_in(key, n, line, end);
    memo->len[at] = (unsigned char)n;
    memo->head[at] = head;
    memo->tail[at] = tail;
    memo->id[at] = (signed char)id;
    return id;
}

/* Room for every field a flat line can hold ("":0 and a comma each). */
enum { FLAT_MAX_FIELDS = FLAT_MAX / 5 + 1 };

/* Read the fields of the flat object LINE[0..len) (LINE[0] is '{',
 * LINE[len - 1] is '}', no backslash or control byte) into R, with Q
 * marking its quotes and nothing past LEN; false when it is not the flat
 * shape after all. */
HOT bool walk_flat(gp_key_memo *memo, gp_record *r, const char *line, size_t len, const quote_bitmap *q)
{
    if (r->fields_cap < FLAT_MAX_FIELDS) {
        r->fields_cap = FLAT_MAX_FIELDS;
        r->fields = gp_xrealloc(r->fields, (size_t)r->fields_cap * sizeof *r->fields);
    }
    const char *end = line + len;
    size_t pos = 1;
    for (;;) {
        if (line[pos] != '"') return false;
        size_t key_end = next_quote(q, pos + 1);
        if (key_end + 2 >= len || line[key_end + 1] != ':') return false;
        /* filled in place: the room is there, and the field counts once
         * it is whole */
        gp_field *f = &r->fields[r->nfields];
        f->key.p = line + pos + 1;
        f->key.n = key_end - pos - 1;
        f->id = key_id(memo, r->nfields, f->key.p, f->key.n, line, end);
        f->vbeg = key_end + 2;
        f->escaped = false;
        char c = line[f->vbeg];
        if (c == '"') {
            f->kind = GP_V_STRING;
            f->vend = next_quote(q, f->vbeg + 1) + 1;
            if (f->vend > len) return false;
        } else if (c == '{' || c == '[') {
            return false;
        } else if ((f->vend = plain_scalar_end(line, f->vbeg, len, &f->kind)) != 0) {
            /* an integer or null: gshift's shift, most numbers */
        } else {
            const char *after = scan_value(line + f->vbeg, end, &f->kind, 0);
            if (!after) return false;
            f->vend = (size_t)(after - line);
        }
        if (f->id >= 0 && r->known[f->id] < 0) r->known[f->id] = r->nfields;
        r->nfields++;
        pos = f->vend;
        if (pos >= len) return false;
        if (line[pos] == '}') return pos + 1 == len;
        if (line[pos] != ',') return false;
        pos++;
    }
}

static bool scan_json_flat(gp_key_memo *memo, gp_record *r, const char *line, size_t len)
{
    if (len && line[len - 1] == '\n') len--;
    if (len < 16 || len > FLAT_MAX || line[0] != '{' || line[len - 1] != '}') return false;
    quote_bitmap q = {{0}};
    gp_json_guard guard = gp_json_guard_start();
    size_t i = 0;
    /* 32 bytes a step while they fit: aligned to 32 within the line, their
     * marks never straddle two words */
    for (; i + 32 <= len; i += 32) {
        unsigned qa = gp_mask16_quotes_checked(line + i, &guard);
        unsigned qb = gp_mask16_quotes_checked(line + i + 16, &guard);
        q.word[i / 64] |= (uint64_t)(qa | qb << 16) << (i % 64);
    }
    for (; i < len; i += 16) {
        if (i + 16 > len) i = len - 16; /* the last bytes: one load ending at the end */
        mark_quotes(&q, i, gp_mask16_quotes_checked(line + i, &guard));
    }
    if (gp_json_guard_tripped(&guard)) return false; /* backslashes and control bytes */
    return walk_flat(memo, r, line, len, &q);
}

size_t gp_ndjson_scan_buffered(gp_reader *rd, gp_record *r, const char *buf, size_t avail)
{
    if (avail > FLAT_MAX) avail = FLAT_MAX;
    if (avail < 32 || buf[0] != '{') return 0;
    quote_bitmap q = {{0}};
    for (size_t i = 0; i + 32 <= avail; i += 32) {
        uint32_t stops, quotes = gp_mask32_json(buf + i, &stops);
        if (stops) {
            unsigned at = (unsigned)__builtin_ctz(stops);
            if (buf[i + at] != '\n') return 0; /* a backslash, a CR, a control byte */
            size_t len = i + at;               /* the line without its '\n' */
            q.word[i / 64] |= (uint64_t)(quotes & ((1u << at) - 1)) << (i % 64);
            if (len < 16 || buf[len - 1] != '}') return 0;
            return walk_flat(&rd->keys, r, buf, len, &q) ? len + 1 : 0;
        }
        q.word[i / 64] |= (uint64_t)quotes << (i % 64);
    }
    return 0; /* no line end within reach */
}
#endif

/* Scan one NDJSON line into r's fields, byte by byte: any JSON object. */
int gp_ndjson_scan_careful(gp_reader *rd, gp_record *r, const char *line, size_t len)
{
    const char *p = line, *end = line + len;
    p = skip_ws(p, end);
    if (p < end && *p == '[')
        return gp_reader_fail(rd, "a JSON array, not NDJSON (one object per line): convert it with jq -c '.[]'");
    if (p >= end || *p != '{') return gp_reader_fail(rd, "not a JSON object");
    p = skip_ws(p + 1, end);
    if (p < end && *p == '}') {
        p++;
    } else {
        for (;;) {
            gp_field f = {0};
            bool esc = false;
            if (p >= end || *p != '"') return gp_reader_fail(rd, "malformed JSON: expected a field name");
            const char *k = p;
            if (!(p = scan_string(p, end, &esc))) return gp_reader_fail(rd, string_problem(k, end));
            f.key.p = k + 1;
            f.key.n = (size_t)(p - k - 2);
            f.id = esc ? GP_F_UNKNOWN : gp_field_lookup(f.key.p, f.key.n);
            p = skip_ws(p, end);
            if (p >= end || *p != ':') return gp_reader_fail(rd, "malformed JSON: expected ':'");
            p = skip_ws(p + 1, end);
            f.vbeg = (size_t)(p - line);
            f.escaped = false;
            if (p < end && *p == '"') { /* most values: a string, scanned here */
                f.kind = GP_V_STRING;
                const char *opening = p;
                if (!(p = scan_string(p, end, &f.escaped)))
                    return gp_reader_fail(rd, string_problem(opening, end));
            } else if (!(p = scan_value(p, end, &f.kind, 0))) {
                return gp_reader_fail(rd, "malformed JSON value");
            }
            f.vend = (size_t)(p - line);
            gp_add_field(r, f);
            p = skip_ws(p, end);
            if (p < end && *p == ',') {
                p = skip_ws(p + 1, end);
                continue;
            }
            if (p < end && *p == '}') {
                p++;
                break;
            }
            return gp_reader_fail(rd, "malformed JSON: expected ',' or '}'");
        }
    }
    p = skip_ws(p, end);
    if (p != end) return gp_reader_fail(rd, "malformed JSON: text after the object");
    return 0;
}

/* Scan one NDJSON line into r's fields: the flat fast path when the line
 * has its shape, else the careful way. */
int gp_ndjson_scan(gp_reader *rd, gp_record *r, const char *line, size_t len)
{
#ifdef GP_BYTESCAN_SSE2
    if (scan_json_flat(&rd->keys, r, line, len)) return 0;
    gp_record_forget_fields(r); /* what the flat scan filled */
#endif
    return gp_ndjson_scan_careful(rd, r, line, len);
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
size_t gp_json_unescape(const char *s, size_t n, char *o)
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
