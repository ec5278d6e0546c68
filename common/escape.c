/* escape.c - JSON string escaping and CSV cell quoting, for every
 * writer of records. */
#include "gpulse.h"

#include <stdlib.h>
#include <string.h>

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

/* Must the CSV cell S be quoted (gpulse(7), FORMATS)? */
static bool csv_cell_needs_quotes(const char *s, size_t n)
{
    if (n > 0 && (s[0] == ' ' || s[n - 1] == ' ')) return true;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') return true;
    return false;
}

void gp_buf_csv_cell(gp_buf *b, const char *s, size_t n)
{
    if (!csv_cell_needs_quotes(s, n)) {
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
    /* nearly every string (names, ids, times) has nothing to escape */
    size_t i = 0;
    while (i < n && (unsigned char)s[i] >= 0x20 && s[i] != '"' && s[i] != '\\') i++;
    if (i == n) {
        gp_out_putc(o, '"');
        gp_out_write(o, s, n);
        gp_out_putc(o, '"');
        return;
    }
    gp_buf b = {0};
    gp_buf_json_string(&b, s, n);
    gp_out_write(o, b.data, b.len);
    gp_buf_free(&b);
}

void gp_csv_cell(gp_out *o, const char *s, size_t n)
{
    if (!csv_cell_needs_quotes(s, n)) { /* nearly every cell: written as it is */
        gp_out_write(o, s, n);
        return;
    }
    gp_buf b = {0};
    gp_buf_csv_cell(&b, s, n);
    gp_out_write(o, b.data, b.len);
    gp_buf_free(&b);
}
