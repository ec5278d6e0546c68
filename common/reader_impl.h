/* reader_impl.h - what the reader's files share: the reader's state and
 * the small helpers its NDJSON and CSV halves both use.  Only
 * common/reader.c, ndjson.c, csv.c and record.c include it; tools use the
 * reader through gpulse.h. */
#ifndef GPULSE_READER_IMPL_H
#define GPULSE_READER_IMPL_H

#include "gpulse.h"

#include "bytescan.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

/* The cells of one CSV row as libcsv hands them over. */
typedef struct csv_row {
    const char *base; /* cells are base + off[i]: text, or the input line itself */
    gp_buf text;
    size_t *off, *len;
    int n, cap;
    bool done;
    bool past_end; /* libcsv went on past the row's end within one line: a bare CR ended it */
} csv_row;

/* The keys of the last flat NDJSON line, by position: the next line
 * nearly always has the same keys in the same order, so a key is known
 * when its bytes are those at its position last time (ndjson.c). */
enum { GP_KEY_MEMO = 16 };
typedef struct gp_key_memo {
    uint64_t head[GP_KEY_MEMO], tail[GP_KEY_MEMO]; /* first and last 8 (or 4) bytes */
    unsigned char len[GP_KEY_MEMO];                 /* 0: nothing known */
    signed char id[GP_KEY_MEMO];
} gp_key_memo;

struct gp_reader {
    char **files;
    int nfiles, file_index;
    bool file_open;
    gp_in in;
    int forced_format, format, first_format;
    char err[512];
    gp_record rec;
    gp_record again; /* gp_reader_rescan's record */
    gp_key_memo keys;
    /* CSV state */
    struct csv_parser csv;
    bool csv_ready;
    bool want_header; /* the next row of this file is its header */
    bool new_header;
    int nheader;
    gp_str *header;
    int *header_id; /* gp_field_lookup of each header name */
    gp_field *header_field; /* each column's field as a non-empty cell makes it */
    unsigned header_stamp; /* counts the headers taken: gp_record.csv_header_stamp */
    bool header_simple; /* at most 64 columns, none naming a field another one names */
    gp_buf header_store, header_raw;
    gp_buf raw; /* raw bytes of the CSV record being read (quoted rows) */
    const char *raw_view; /* or, for a plain one-line row, the line itself */
    size_t raw_view_len;
    csv_row row, again_row;
    struct csv_parser again_csv;
    bool again_ready;
};

/* The scanner's helpers are inlined: they run a dozen times per record. */
#define HOT static inline __attribute__((always_inline))

HOT const char *skip_ws(const char *p, const char *end)
{
    if (p < end && (unsigned char)*p > ' ') return p; /* compact JSON: no blanks */
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++;
    return p;
}

static inline void gp_add_field(gp_record *r, gp_field f)
{
    if (r->nfields == r->fields_cap) {
        r->fields_cap = r->fields_cap ? r->fields_cap * 2 : 16;
        r->fields = gp_xrealloc(r->fields, (size_t)r->fields_cap * sizeof *r->fields);
    }
    if (f.id >= 0 && r->known[f.id] < 0) r->known[f.id] = r->nfields;
    r->fields[r->nfields++] = f;
}

/* Say what is wrong with the record being read; returns -1. */
static inline int gp_reader_fail(gp_reader *rd, const char *msg)
{
    snprintf(rd->err, sizeof rd->err, "%s", msg);
    return -1;
}

/* R holds no fields (and not those of the last CSV row either). */
static inline void gp_record_forget_fields(gp_record *r)
{
    r->nfields = 0;
    for (int i = 0; i < GP_F_COUNT; i++) r->known[i] = -1;
    r->csv_header_stamp = 0;
}

/* R is about to hold the next record of FORMAT: its decoded values are
 * stale; its fields are left to the caller (the CSV reader keeps the
 * header's and changes only what differs). */
static inline void gp_record_start(gp_reader *rd, gp_record *r, int format)
{
    r->scratch.len = 0;
    r->ndecoded_fields = 0;
    r->file = rd->in.name;
    r->format = format;
}

/* Free what R holds (its fields, cells and decoded values), not R. */
static inline void gp_record_release(gp_record *r)
{
    free(r->fields);
    free(r->cells);
    free(r->decoded);
    gp_buf_free(&r->scratch);
}

/* Forget R's fields before it is filled again. */
static inline void gp_record_reset(gp_reader *rd, gp_record *r)
{
    gp_record_forget_fields(r);
    gp_record_start(rd, r, rd->format);
}

/* ndjson.c: scan one NDJSON line into R's fields; 0, or -1 with the
 * reason in rd->err.  The fast path reads the common flat, compact line
 * 16 bytes at a time; anything else goes the careful way, which
 * gp_ndjson_scan_careful is alone (the unit tests compare the two). */
int gp_ndjson_scan(gp_reader *rd, gp_record *r, const char *line, size_t len);
int gp_ndjson_scan_careful(gp_reader *rd, gp_record *r, const char *line, size_t len);
#ifdef GP_BYTESCAN_SSE2
/* ndjson.c: the line at the start of BUF (AVAIL bytes buffered, the
 * line's end not known yet) when it has the flat shape, found as it is
 * scanned, without a pass of its own for the '\n': R's fields, and the
 * length of the line with its '\n'.  0 for any other line (its fields in
 * R are then partial), or when its end is not within reach: the caller
 * splits it and scans it the usual way. */
size_t gp_ndjson_scan_buffered(gp_reader *rd, gp_record *r, const char *buf, size_t avail);
#endif
/* ndjson.c: decode the JSON string body s[0..n) into o; returns the
 * length, never more than n. */
size_t gp_json_unescape(const char *s, size_t n, char *o);

/* csv.c: a new file begins (its first row is its header). */
void gp_csv_start(gp_reader *rd);
/* csv.c: the next record of the current CSV file into rd->rec: 1, 0 at
 * its end, -1 with the reason in rd->err. */
int gp_csv_next(gp_reader *rd);
/* csv.c: parse RAW again into R (gp_reader_rescan); 0 or -1. */
int gp_csv_rescan(gp_reader *rd, gp_record *r, const char *raw, size_t len);
/* csv.c: free the CSV state of RD. */
void gp_csv_free(gp_reader *rd);

#endif
