/* in.c - line input with one large buffer and memchr.
 *
 * Lines are returned in place (no copy) with their '\n', so filters can
 * pass them through byte for byte.  A line longer than the buffer grows it. */
#include "gpulse.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IN_BUFFER_SIZE (256 * 1024)

void gp_in_open(gp_in *in, const char *path)
{
    memset(in, 0, sizeof *in);
    if (!path || strcmp(path, "-") == 0) {
        in->fd = 0;
        in->name = "<stdin>";
        gp_fd_widen_pipe(0);
    } else {
        in->fd = open(path, O_RDONLY);
        if (in->fd < 0) gp_die("%s: %s", path, strerror(errno));
        in->name = path;
    }
    char *as_list[] = {(char *)path, NULL};
    gp_inputs_note(path ? as_list : NULL);
    in->cap = IN_BUFFER_SIZE;
    in->buf = gp_xmalloc(in->cap);
}

/* Read more bytes after in->end; returns bytes read (0 at EOF). */
static size_t fill(gp_in *in)
{
    if (in->eof) return 0;
    if (in->pos > 0 && in->pos == in->end) in->pos = in->end = 0;
    if (in->end == in->cap) {
        if (in->pos > 0) { /* slide the partial line to the front */
            memmove(in->buf, in->buf + in->pos, in->end - in->pos);
            in->end -= in->pos;
            in->pos = 0;
        } else { /* one line fills the buffer: grow it, up to GP_LINE_MAX */
            if (in->cap >= GP_LINE_MAX)
                gp_data_die(in->name, in->lineno + 1, "a line longer than %zu MiB: not a record (gpulse(7) LIMITS)",
                            GP_LINE_MAX >> 20);
            in->cap *= 2;
            in->buf = gp_xrealloc(in->buf, in->cap);
        }
    }
    for (;;) {
        ssize_t r = read(in->fd, in->buf + in->end, in->cap - in->end);
        if (r < 0) {
            if (errno == EINTR) continue;
            gp_die("%s: read error: %s", in->name, strerror(errno));
        }
        if (r == 0) in->eof = true;
        in->end += (size_t)r;
        return (size_t)r;
    }
}

const char *gp_in_line(gp_in *in, size_t *len)
{
    size_t scanned = in->pos;
    for (;;) {
        char *nl = memchr(in->buf + scanned, '\n', in->end - scanned);
        if (nl) {
            const char *line = in->buf + in->pos;
            *len = (size_t)(nl + 1 - line);
            in->pos += *len;
            in->lineno++;
            return line;
        }
        if (in->eof) {
            if (in->pos == in->end) return NULL;
            const char *line = in->buf + in->pos;
            *len = in->end - in->pos;
            in->pos = in->end;
            in->lineno++;
            return line;
        }
        size_t before = in->pos;
        scanned = in->end;
        fill(in);
        scanned -= before - in->pos; /* fill may have slid the buffer */
    }
}

int gp_in_first_nonblank(gp_in *in)
{
    size_t i = in->pos;
    for (;;) {
        for (; i < in->end; i++) {
            unsigned char c = (unsigned char)in->buf[i];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return c;
        }
        if (in->eof) return -1;
        size_t before = in->pos;
        fill(in);
        i -= before - in->pos;
    }
}

void gp_in_close(gp_in *in)
{
    if (in->fd > 0) close(in->fd);
    free(in->buf);
    in->buf = NULL;
}
