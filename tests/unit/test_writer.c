/* Unit tests of the record writer's held CSV rows: gp_write_held (the
 * fast path for a row whose one edit fills the one appended column, and
 * its fallbacks) must write the very bytes gp_write_record writes for the
 * same row and edit.  The inputs take every branch: CRLF and LF rows, a
 * quoted cell (with a comma, with a line break), empty cells, a last line
 * without its newline, a later file with its columns in another order, a
 * file that has a shift column already, and enough rows to fill the
 * output buffer many times. */
#include "gpulse.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) == EOF || fclose(f) != 0) abort();
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) abort();
    gp_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) gp_buf_add(&b, chunk, n);
    fclose(f);
    gp_buf_addc(&b, '\0');
    return b.data;
}

/* Row I's edit: the shift number 7 or 12, or no shift (an empty cell). */
static gp_edit edit_of_row(long i)
{
    if (i % 3 == 0) return (gp_edit){"shift", GP_F_SHIFT, GP_V_NUMBER, "7", 1};
    if (i % 3 == 1) return (gp_edit){"shift", GP_F_SHIFT, GP_V_NUMBER, "12", 2};
    return (gp_edit){"shift", GP_F_SHIFT, GP_V_NULL, "", 0};
}

typedef struct kept {
    char *raw;
    size_t len;
    long lineno, index;
    const char *file;
    gp_layout layout;
} kept;

static void write_kept(gp_writer *w, gp_reader *rd, kept *k)
{
    gp_held_record h = {k->raw, k->len, k->lineno, k->file, k->layout};
    gp_edit e = edit_of_row(k->index);
    gp_write_held(w, rd, &h, &e, 1);
    free(k->raw);
}

/* FILES through gp_write_record into OUT_PATH, each row edited at once
 * (HELD false), or held as gshift holds them, the row before written when
 * the next one is read, up to the end of its file (HELD true). */
static void write_all(char **files, const char *out_path, bool held)
{
    static const char *const extra[] = {"shift", NULL};
    gp_out out = {0};
    gp_out_open_file(&out, out_path);
    gp_reader *rd = gp_reader_new(files, GP_FMT_AUTO);
    gp_writer *w = gp_writer_new(&out, GP_FMT_AUTO, extra);
    gp_record *r;
    kept waiting = {0};
    bool have = false;
    long index = 0;
    while (gp_reader_next(rd, &r) == 1) {
        if (!held) {
            gp_edit e = edit_of_row(index++);
            gp_write_record(w, rd, r, &e, 1);
            continue;
        }
        if (have) write_kept(w, rd, &waiting);
        memset(&waiting, 0, sizeof waiting);
        waiting.raw = gp_xstrndup(r->raw, r->raw_len);
        waiting.len = r->raw_len;
        waiting.lineno = r->lineno;
        waiting.index = index++;
        waiting.file = r->file;
        gp_layout_of(r, &waiting.layout);
        have = true;
        /* a held row is written under its own header: the last of a file
         * goes before the next file is opened (the tests' files end in a
         * row that the next read would follow with a new header) */
        if (r->raw_len && r->raw[r->raw_len - 1] != '\n') {
            write_kept(w, rd, &waiting);
            have = false;
        }
    }
    if (have) write_kept(w, rd, &waiting);
    gp_writer_end(w, rd);
    gp_writer_free(w);
    gp_reader_free(rd);
    gp_out_close(&out);
}

static void compare_paths(char **files, const char *name, const char *want_start)
{
    char careful_path[] = "/tmp/gpulse-unit-careful-XXXXXX", held_path[] = "/tmp/gpulse-unit-held-XXXXXX";
    close(mkstemp(careful_path));
    close(mkstemp(held_path));
    write_all(files, careful_path, false);
    write_all(files, held_path, true);
    char *careful = read_text(careful_path), *fast = read_text(held_path);
    char why[200] = "";
    size_t at = 0;
    while (careful[at] && careful[at] == fast[at]) at++;
    if (careful[at] != fast[at])
        snprintf(why, sizeof why, "differ at byte %zu: careful '%.40s', held '%.40s'", at, careful + at, fast + at);
    unit_check(!*why, name, why);
    char label[160];
    snprintf(label, sizeof label, "%s: the expected bytes", name);
    unit_check(strncmp(fast, want_start, strlen(want_start)) == 0, label, fast);
    free(careful);
    free(fast);
    unlink(careful_path);
    unlink(held_path);
}

#define T0 "2026-11-02T10:00:00.000Z"
#define T1 "2026-11-02T11:00:00.000Z"

int main(void)
{
    gp_init("unit-writer");
    char crlf[] = "/tmp/gpulse-unit-crlf-XXXXXX", many[] = "/tmp/gpulse-unit-many-XXXXXX",
         moved[] = "/tmp/gpulse-unit-moved-XXXXXX", shifted[] = "/tmp/gpulse-unit-shifted-XXXXXX",
         reshifted[] = "/tmp/gpulse-unit-reshifted-XXXXXX";
    close(mkstemp(reshifted));
    close(mkstemp(crlf));
    close(mkstemp(many));
    close(mkstemp(moved));
    close(mkstemp(shifted));
    /* every file's last line lacks its newline: write_all's file boundary */
    write_text(crlf, "user_id,routing_status,presence,start,end,note\r\n"
                     "a,IDLE,," T0 "," T1 ",plain\r\n"
                     "b,,AVAILABLE," T0 ",,\"quoted, with comma\"\r\n"
                     "c,INTERACTING,," T0 "," T1 ",\"two\r\nlines\"\r\n"
                     "d,IDLE,," T0 "," T1 ",");
    gp_buf text = {0};
    gp_buf_adds(&text, "user_id,routing_status,presence,start,end,note\n");
    for (int i = 0; i < 6000; i++) {
        char row[200];
        snprintf(row, sizeof row, "user-%d-%.*s,%s,%s," T0 ",%s,%s%s", i, i % 40,
                 "0123456789abcdef0123456789abcdef01234567", i % 2 ? "IDLE" : "", i % 2 ? "" : "BUSY",
                 i % 5 ? T1 : "", i % 7 ? "" : "\"q,\"\"x\"\"\"", i == 5999 ? "" : "\n");
        gp_buf_adds(&text, row);
    }
    write_text(many, text.data);
    gp_buf_free(&text);
    write_text(moved, "note,start,end,user_id,routing_status,presence\n"
                      "n1," T0 "," T1 ",e,IDLE,\n"
                      "\"n,2\"," T0 ",,f,,BUSY");
    write_text(shifted, "user_id,routing_status,presence,start,end,note,shift\n"
                        "g,IDLE,," T0 "," T1 ",x,5\n"
                        "h,IDLE,," T0 "," T1 ",y,\n"
                        "i,IDLE,," T0 "," T1 ",z,3");
    write_text(reshifted, "shift,user_id,routing_status,presence,start,end,note\n"
                          "4,j,IDLE,," T0 "," T1 ",x\n"
                          ",k,IDLE,," T0 "," T1 ",y");

    char *one[] = {crlf, NULL};
    compare_paths(one, "held csv: CRLF, quoted cells, empty cells",
                  "user_id,routing_status,presence,start,end,note,shift\r\n"
                  "a,IDLE,," T0 "," T1 ",plain,7\r\n"
                  "b,,AVAILABLE," T0 ",,\"quoted, with comma\",12\r\n"
                  "c,INTERACTING,," T0 "," T1 ",\"two\r\nlines\",\r\n"
                  "d,IDLE,," T0 "," T1 ",,7\n");
    char *several[] = {crlf, many, moved, shifted, NULL};
    compare_paths(several, "held csv: files with other column orders and a shift column",
                  "user_id,routing_status,presence,start,end,note,shift\r\n");
    char *shift_first[] = {shifted, reshifted, NULL};
    compare_paths(shift_first, "held csv: files with a shift column, in two places",
                  "user_id,routing_status,presence,start,end,note,shift\n"
                  "g,IDLE,," T0 "," T1 ",x,7\n"
                  "h,IDLE,," T0 "," T1 ",y,12\n"
                  "i,IDLE,," T0 "," T1 ",z,\n"
                  "j,IDLE,," T0 "," T1 ",x,7\n"
                  "k,IDLE,," T0 "," T1 ",y,12\n");
    unlink(crlf);
    unlink(many);
    unlink(moved);
    unlink(shifted);
    unlink(reshifted);
    return unit_exit();
}
