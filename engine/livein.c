/* livein.c - several line inputs read together with poll(2) (livein.h). */
#include "livein.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { CHUNK = 1 << 20 };

typedef struct input {
    const char *name;
    int fd;
    char *buf;
    size_t cap, pos, end;
    size_t peeked;    /* length of the line peeked at pos, 0 = none */
    size_t scanned;   /* bytes after pos known to hold no '\n' */
    long lineno;      /* of the last line consumed */
    bool eof;
} input;

struct gp_livein {
    input *inputs;
    int n;
    struct pollfd *fds;
};

gp_livein *gp_livein_open(char **paths, int n)
{
    gp_livein *in = gp_xcalloc(1, sizeof *in);
    in->n = n;
    in->inputs = gp_xcalloc((size_t)n, sizeof *in->inputs);
    in->fds = gp_xcalloc((size_t)n, sizeof *in->fds);
    for (int i = 0; i < n; i++) {
        input *p = &in->inputs[i];
        if (strcmp(paths[i], "-") == 0) {
            p->fd = 0;
            p->name = "<stdin>";
        } else {
            /* O_NONBLOCK so that opening a FIFO does not wait for its writer */
            p->fd = open(paths[i], O_RDONLY | O_NONBLOCK);
            if (p->fd < 0) gp_die("%s: %s", paths[i], strerror(errno));
            int flags = fcntl(p->fd, F_GETFL);
            if (flags >= 0) fcntl(p->fd, F_SETFL, flags & ~O_NONBLOCK);
            p->name = paths[i];
        }
        gp_fd_widen_pipe(p->fd);
        p->cap = CHUNK;
        p->buf = gp_xmalloc(p->cap);
    }
    return in;
}

int gp_livein_count(const gp_livein *in) { return in->n; }
const char *gp_livein_name(const gp_livein *in, int i) { return in->inputs[i].name; }

const char *gp_livein_peek(gp_livein *in, int i, size_t *len, long *lineno)
{
    input *p = &in->inputs[i];
    *lineno = p->lineno + 1;
    if (p->peeked) {
        *len = p->peeked;
        return p->buf + p->pos;
    }
    size_t from = p->pos + p->scanned;
    char *nl = from < p->end ? memchr(p->buf + from, '\n', p->end - from) : NULL;
    if (nl) {
        p->peeked = (size_t)(nl + 1 - (p->buf + p->pos));
    } else {
        p->scanned = p->end - p->pos;
        if (!p->eof || p->pos == p->end) return NULL;
        p->peeked = p->end - p->pos; /* the last line, without its '\n' */
    }
    *len = p->peeked;
    return p->buf + p->pos;
}

void gp_livein_consume(gp_livein *in, int i)
{
    input *p = &in->inputs[i];
    p->pos += p->peeked;
    p->peeked = 0;
    p->scanned = 0;
    p->lineno++;
    if (p->pos == p->end) p->pos = p->end = 0;
}

bool gp_livein_done(const gp_livein *in, int i)
{
    const input *p = &in->inputs[i];
    return p->eof && p->pos == p->end;
}

bool gp_livein_all_done(const gp_livein *in)
{
    for (int i = 0; i < in->n; i++)
        if (!gp_livein_done(in, i)) return false;
    return true;
}

/* Read what input P has; room is made by sliding the unread bytes down,
 * or growing the buffer when one line fills it. */
static void fill(input *p)
{
    if (p->pos > 0 && (p->end == p->cap || p->pos >= p->cap / 2)) {
        memmove(p->buf, p->buf + p->pos, p->end - p->pos);
        p->end -= p->pos;
        p->pos = 0;
    }
    if (p->end == p->cap) {
        p->cap *= 2;
        p->buf = gp_xrealloc(p->buf, p->cap);
    }
    for (;;) {
        ssize_t r = read(p->fd, p->buf + p->end, p->cap - p->end);
        if (r < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) return;
            gp_die("%s: read error: %s", p->name, strerror(errno));
        }
        if (r == 0) {
            p->eof = true;
            if (p->fd > 0) close(p->fd);
            p->fd = -1;
        }
        p->end += (size_t)r;
        return;
    }
}

void gp_livein_wait(gp_livein *in, int timeout_ms)
{
    int n = 0;
    for (int i = 0; i < in->n; i++) {
        input *p = &in->inputs[i];
        size_t len;
        long lineno;
        if (p->eof || gp_livein_peek(in, i, &len, &lineno)) continue; /* nothing to wait for */
        in->fds[n].fd = p->fd;
        in->fds[n].events = POLLIN;
        in->fds[n].revents = 0;
        n++;
    }
    if (n == 0) return;
    int got;
    do got = poll(in->fds, (nfds_t)n, timeout_ms);
    while (got < 0 && errno == EINTR);
    if (got < 0) gp_die("poll: %s", strerror(errno));
    for (int k = 0; k < n; k++) {
        if (!(in->fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        for (int i = 0; i < in->n; i++)
            if (!in->inputs[i].eof && in->inputs[i].fd == in->fds[k].fd) {
                in->inputs[i].peeked = 0;
                fill(&in->inputs[i]);
            }
    }
}

void gp_livein_close(gp_livein *in)
{
    if (!in) return;
    for (int i = 0; i < in->n; i++) {
        if (in->inputs[i].fd > 0) close(in->inputs[i].fd);
        free(in->inputs[i].buf);
    }
    free(in->inputs);
    free(in->fds);
    free(in);
}
