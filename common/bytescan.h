/* bytescan.h - the byte-scanning tricks of the reader in one place, behind
 * a plain interface: callers ask for masks, positions and yes/no answers
 * and never see an intrinsic.
 *
 * Two levels: words of 8 bytes tested at once with integer arithmetic
 * (SWAR, portable C for any little-endian machine), and 16-byte SSE2
 * vectors where the compiler targets them (every x86-64).  `make
 * NO_SIMD=1` defines GP_NO_SIMD and leaves the vectors out: the callers'
 * word and byte paths then do all the work (the test suite runs that build
 * too).  Everything is static inline: these run for every byte of input, so
 * no call and no function pointer stands between a loop and its test. */
#ifndef GPULSE_BYTESCAN_H
#define GPULSE_BYTESCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The word tricks read byte 0 of a string as the lowest byte of a word: on
 * a big-endian machine they would compute wrong answers, so refuse to
 * build there rather than read records wrongly. */
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "gpulse's byte scanning (common/bytescan.h) needs a little-endian target"
#endif

#if defined(__SSE2__) && !defined(GP_NO_SIMD)
#define GP_BYTESCAN_SSE2 1
#include <emmintrin.h>
#endif

/* Unaligned little-endian loads. */
static inline uint64_t gp_load64(const void *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

static inline uint32_t gp_load32(const void *p)
{
    uint32_t w;
    memcpy(&w, p, 4);
    return w;
}

/* Are the N bytes at A and B the same?  For the short keys of the record
 * loop (statuses, user ids): whole words, the last one overlapping the one
 * before, instead of a call to memcmp for a yes/no answer. */
static inline bool gp_bytes_equal(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    if (n >= 8) {
        for (size_t i = 0; i + 8 < n; i += 8)
            if (gp_load64(x + i) != gp_load64(y + i)) return false;
        return gp_load64(x + n - 8) == gp_load64(y + n - 8);
    }
    if (n >= 4) return gp_load32(x) == gp_load32(y) && gp_load32(x + n - 4) == gp_load32(y + n - 4);
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i]) return false;
    return true;
}

#define GP_ONES64 0x0101010101010101ULL
#define GP_HIGHS64 0x8080808080808080ULL

/* ------------------------------------------------------------------ */
/* Words of 8 bytes                                                     */

/* The high bit of every byte of W that ends or interrupts a JSON string
 * body: '"', '\\' or a control character.  Borrows can only mark bytes
 * above a true match, so the lowest mark is exact. */
static inline uint64_t gp_swar_json_special(uint64_t w)
{
    uint64_t quote = w ^ (GP_ONES64 * '"'), backslash = w ^ (GP_ONES64 * '\\');
    uint64_t is_quote = (quote - GP_ONES64) & ~quote;
    uint64_t is_backslash = (backslash - GP_ONES64) & ~backslash;
    uint64_t is_control = (w - GP_ONES64 * 0x20) & ~w;
    return (is_quote | is_backslash | is_control) & GP_HIGHS64;
}

/* Is every byte of W 'A'-'Z' or '_', with no '_' next to another (a
 * status name's words)?  Exact per byte: no carry crosses a byte. */
static inline bool gp_swar_status_word(uint64_t w)
{
    const uint64_t lows = ~GP_HIGHS64;
    uint64_t x = w ^ (GP_ONES64 * '_');
    uint64_t is_underscore = ~(((x & lows) + lows) | x) & GP_HIGHS64;
    uint64_t low7 = w & lows;
    uint64_t from_a = (low7 + GP_ONES64 * (0x80 - 'A')) & GP_HIGHS64;
    uint64_t past_z = (low7 + GP_ONES64 * (0x80 - 'Z' - 1)) & GP_HIGHS64;
    uint64_t is_upper = from_a & ~past_z & ~w & GP_HIGHS64;
    if ((is_upper | is_underscore) != GP_HIGHS64) return false;
    return (is_underscore & (is_underscore >> 8)) == 0;
}

/* Are the 8 bytes of W / the 4 bytes of V all '0'-'9'?  (The digits are
 * the bytes b with b >= 0x30 and b + 0x46 < 0x80.) */
static inline bool gp_swar_digits8(uint64_t w)
{
    return (((w + GP_ONES64 * 0x46) | (w - GP_ONES64 * '0')) & GP_HIGHS64) == 0;
}

static inline bool gp_swar_digits4(uint32_t v)
{
    return (((v + 0x46464646u) | (v - 0x30303030u)) & 0x80808080u) == 0;
}

/* ------------------------------------------------------------------ */
/* 16-byte vectors (only with GP_BYTESCAN_SSE2)                         */

#ifdef GP_BYTESCAN_SSE2
/* Bit i set when P[i] is C, for the 16 bytes at P. */
static inline unsigned gp_mask16_byte(const char *p, char c)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
}

/* Bit i set when P[i] is A or B. */
static inline unsigned gp_mask16_either(const char *p, char a, char b)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(a)), _mm_cmpeq_epi8(v, _mm_set1_epi8(b)));
    return (unsigned)_mm_movemask_epi8(m);
}

/* For the 32 bytes at P: bit i of the result set when P[i] is a comma, of
 * *SPECIAL when it is '"' or '\r' (what a plain CSV row holds only as its
 * line end), of *NEWLINE when it is '\n'. */
static inline uint32_t gp_mask32_csv(const char *p, uint32_t *special, uint32_t *newline)
{
    __m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
    __m128i quote = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r'), comma = _mm_set1_epi8(','),
            lf = _mm_set1_epi8('\n');
    *special = (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(a, quote), _mm_cmpeq_epi8(a, cr))) |
               (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(b, quote), _mm_cmpeq_epi8(b, cr))) << 16;
    *newline = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, lf)) |
               (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, lf)) << 16;
    return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, comma)) |
           (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, comma)) << 16;
}

/* 0xff in each byte of V that is a control character (below 0x20). */
static inline __m128i gp_vec_controls(__m128i v)
{
    /* v <= 0x1f, unsigned: max(v, 0x1f) == 0x1f */
    return _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
}

/* 0xff in each byte of V that stops a flat JSON line's scan: a backslash
 * or a control character (the line's '\n' among them). */
static inline __m128i gp_vec_json_stops(__m128i v)
{
    return _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')), gp_vec_controls(v));
}

/* Bit i set when P[i] is '"', '\\' or a control character. */
static inline unsigned gp_mask16_json_special(const char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(quote, gp_vec_json_stops(v)));
}

/* For the 32 bytes at P: bit i of the result set when P[i] is '"', of
 * *STOPS when it is a backslash or a control character (an NDJSON line is
 * split at its '\n' while its quotes are found). */
static inline uint32_t gp_mask32_json(const char *p, uint32_t *stops)
{
    __m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
    __m128i quote = _mm_set1_epi8('"');
    *stops = (uint32_t)_mm_movemask_epi8(gp_vec_json_stops(a)) |
             (uint32_t)_mm_movemask_epi8(gp_vec_json_stops(b)) << 16;
    return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, quote)) |
           (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, quote)) << 16;
}

/* What gp_mask16_quotes_checked() has seen besides quotes: whether any
 * byte was a backslash, and the smallest byte (a control character is
 * below 0x20).  Kept in vectors and tested once per line, so the scan of
 * a line pays one comparison and one minimum per 16 bytes for them. */
typedef struct gp_json_guard {
    __m128i backslash, lowest;
} gp_json_guard;

static inline gp_json_guard gp_json_guard_start(void)
{
    gp_json_guard g = {_mm_setzero_si128(), _mm_set1_epi8((char)0xff)};
    return g;
}

/* Bit i set when P[i] is '"', for the 16 bytes at P; notes in G whether
 * any of them is a backslash or a control character. */
static inline unsigned gp_mask16_quotes_checked(const char *p, gp_json_guard *g)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    g->backslash = _mm_or_si128(g->backslash, _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
    g->lowest = _mm_min_epu8(g->lowest, v);
    return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
}

/* Did the bytes G saw hold a backslash or a control character? */
static inline bool gp_json_guard_tripped(const gp_json_guard *g)
{
    return _mm_movemask_epi8(_mm_or_si128(g->backslash, gp_vec_controls(g->lowest))) != 0;
}

/* Do the 16 bytes at AT, masked by MASK, equal WANT? */
static inline bool gp_same16_masked(const void *at, const void *mask, const void *want)
{
    __m128i k = _mm_loadu_si128((const __m128i *)at);
    __m128i m = _mm_loadu_si128((const __m128i *)mask);
    __m128i a = _mm_loadu_si128((const __m128i *)want);
    return _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(k, m), a)) == 0xffff;
}
#endif

/* ------------------------------------------------------------------ */
/* Searches                                                             */

/* The first byte in [P, END) that is '"', '\\' or a control character, or
 * END: vectors, then words, then bytes. */
static inline const char *gp_scan_json_special(const char *p, const char *end)
{
#ifdef GP_BYTESCAN_SSE2
    while (end - p >= 16) {
        unsigned m = gp_mask16_json_special(p);
        if (m) return p + __builtin_ctz(m);
        p += 16;
    }
#endif
    while (end - p >= 8) {
        uint64_t m = gp_swar_json_special(gp_load64(p));
        if (m) return p + __builtin_ctzll(m) / 8;
        p += 8;
    }
    while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20) p++;
    return p;
}

/* ------------------------------------------------------------------ */
/* Status names                                                         */

/* Copy the N bytes at SRC to DST without a call when they are few (a
 * status name, a number, a time): two overlapping loads and stores of a
 * fixed size, which the compiler turns into moves. */
static inline void gp_copy_small(char *dst, const char *src, size_t n)
{
    if (n > 32) {
        memcpy(dst, src, n);
    } else if (n >= 16) {
        memcpy(dst, src, 16);
        memcpy(dst + n - 16, src + n - 16, 16);
    } else if (n >= 8) {
        memcpy(dst, src, 8);
        memcpy(dst + n - 8, src + n - 8, 8);
    } else if (n >= 4) {
        memcpy(dst, src, 4);
        memcpy(dst + n - 4, src + n - 4, 4);
    } else {
        for (size_t i = 0; i < n; i++) dst[i] = src[i];
    }
}

/* Is S (N bytes) a status name in canonical form already: 'A'-'Z' words
 * joined by single '_'? */
static inline bool gp_status_is_canonical(const char *s, size_t n)
{
    if (n >= 8 && n <= 15) {
        /* two overlapping words cover every pair of neighbours when n < 16 */
        return s[0] != '_' && s[n - 1] != '_' && gp_swar_status_word(gp_load64(s)) &&
               gp_swar_status_word(gp_load64(s + n - 8));
    }
    if (n >= 4 && n < 8) {
        /* the first and last four bytes side by side: they cover every
         * pair of neighbours; a '_' doubled across the seam only sends a
         * name the slow way */
        uint64_t w = gp_load32(s) | (uint64_t)gp_load32(s + n - 4) << 32;
        return s[0] != '_' && s[n - 1] != '_' && gp_swar_status_word(w);
    }
    if (n == 0 || s[0] == '_' || s[n - 1] == '_') return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] == '_' && s[i - 1] != '_'))) return false;
    return true;
}

/* A status name of at most 31 bytes in canonical form already, copied to
 * OUT with a NUL: true; false when it must be normalised (or is too long). */
static inline bool gp_status_copy_canonical(const char *s, size_t n, char *out)
{
    if (n > 31 || !gp_status_is_canonical(s, n)) return false;
    gp_copy_small(out, s, n);
    out[n] = '\0';
    return true;
}

#endif
