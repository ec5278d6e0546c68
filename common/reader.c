/* reader.c - the record reader: input files one after the other, each
 * NDJSON or CSV (ndjson.c, csv.c), a record at a time, and the handling
 * of a bad one. */
#include "reader_impl.h"

#include <stdlib.h>
#include <string.h>

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
        gp_csv_start(rd);
        rd->want_header = true;
    }
    return true;
}

static int next_json(gp_reader *rd)
{
    gp_record *r = &rd->rec;
    for (;;) {
        size_t len;
#ifdef GP_BYTESCAN_SSE2
        /* the common line: split while it is scanned */
        const char *buffered = gp_in_buffered(&rd->in, &len);
        gp_record_reset(rd, r);
        if ((len = gp_ndjson_scan_buffered(rd, r, buffered, len)) != 0) {
            gp_in_take_line(&rd->in, len);
            r->raw = buffered;
            r->raw_len = len;
            r->lineno = rd->in.lineno;
            return 1;
        }
#endif
        const char *line = gp_in_line(&rd->in, &len);
        if (!line) return 0;
        gp_record_reset(rd, r);
        r->raw = line;
        r->raw_len = len;
        r->lineno = rd->in.lineno;
        /* blank lines are not records */
        const char *p = skip_ws(line, line + len);
        if (p == line + len) continue;
        return gp_ndjson_scan(rd, r, line, len) == 0 ? 1 : -1;
    }
}

gp_record *gp_reader_rescan(gp_reader *rd, const char *raw, size_t len, long lineno, const char *file)
{
    gp_record *r = &rd->again;
    gp_record_reset(rd, r);
    r->raw = raw;
    r->raw_len = len;
    r->lineno = lineno;
    r->file = file;
    if (rd->format != GP_FMT_CSV) {
        r->format = GP_FMT_JSON;
        return gp_ndjson_scan(rd, r, raw, len) == 0 ? r : NULL;
    }
    return gp_csv_rescan(rd, r, raw, len) == 0 ? r : NULL;
}

int gp_reader_next(gp_reader *rd, gp_record **out)
{
    *out = &rd->rec;
    for (;;) {
        if (!rd->file_open && !open_next_file(rd)) return 0;
        int got = rd->format == GP_FMT_CSV ? gp_csv_next(rd) : next_json(rd);
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
    gp_csv_free(rd);
    gp_record_release(&rd->rec);
    gp_record_release(&rd->again);
    free(rd->header);
    free(rd->header_id);
    free(rd->header_field);
    gp_buf_free(&rd->header_store);
    gp_buf_free(&rd->header_raw);
    gp_buf_free(&rd->raw);
    free(rd);
}

void gp_reject(gp_record *r, const char *message, gp_out *rejects)
{
    if (!rejects) gp_data_die(r->file, r->lineno, "%s", message);
    gp_data_warn(r->file, r->lineno, "%s (rejected)", message);
    gp_out_write(rejects, r->raw, r->raw_len);
}
