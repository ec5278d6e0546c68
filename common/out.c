/* out.c - buffered output on a file descriptor.
 *
 * Why not stdio: the filters copy most bytes straight from the input
 * buffer, and a plain buffer with write(2) is measurably faster than
 * fwrite's locking.  Errors are checked on every flush and at close, so
 * ">/dev/full" fails loudly and "| head" ends quietly. */
/* F_SETPIPE_SZ is Linux's; elsewhere pipes keep their default size. */
#define _GNU_SOURCE 1
#include "gpulse.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OUT_BUFFER_SIZE (256 * 1024)

gp_out gp_stdout;

void gp_fd_widen_pipe(int fd)
{
#ifdef F_SETPIPE_SZ
    /* In a pipeline each stage writes and reads 256 KiB at a time: with
     * the default 64 KiB pipe every buffer costs four wake-ups of the
     * other side.  Best effort: a smaller limit, or no pipe, is fine. */
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) && fcntl(fd, F_GETPIPE_SZ) < (1 << 20))
        fcntl(fd, F_SETPIPE_SZ, 1 << 20);
#else
    (void)fd;
#endif
}

void gp_out_open_fd(gp_out *o, int fd, const char *name)
{
    gp_fd_widen_pipe(fd);
    o->fd = fd;
    o->name = name;
    o->len = 0;
    o->cap = OUT_BUFFER_SIZE;
    o->buf = gp_xmalloc(o->cap);
}

void gp_out_open_file(gp_out *o, const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) gp_die("%s: %s", path, strerror(errno));
    gp_out_open_fd(o, fd, path);
}

static void write_all(gp_out *o, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(o->fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            /* standard output's reader is gone (| head): done, quietly */
            if (errno == EPIPE && o->fd == 1) exit(GP_EXIT_OK);
            gp_die("write error on %s: %s", o->name, strerror(errno));
        }
        p += w;
        n -= (size_t)w;
    }
}

void gp_out_flush_buffer(gp_out *o)
{
    if (o->len) write_all(o, o->buf, o->len);
    o->len = 0;
}

void gp_out_write_slow(gp_out *o, const void *p, size_t n)
{
    if (!o->buf) gp_out_open_fd(o, o->fd, o->name ? o->name : "output");
    if (n >= o->cap) {
        gp_out_flush_buffer(o);
        write_all(o, p, n);
        return;
    }
    size_t room = o->cap - o->len;
    if (n > room) {
        memcpy(o->buf + o->len, p, room);
        o->len += room;
        p = (const char *)p + room;
        n -= room;
        gp_out_flush_buffer(o);
    }
    memcpy(o->buf + o->len, p, n);
    o->len += n;
}

void gp_out_puts(gp_out *o, const char *s)
{
    gp_out_write(o, s, strlen(s));
}

void gp_out_printf(gp_out *o, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) {
        gp_out_write(o, small, (size_t)n);
        return;
    }
    char *big = gp_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    gp_out_write(o, big, (size_t)n);
    free(big);
}

void gp_out_close(gp_out *o)
{
    if (!o->buf) return;
    gp_out_flush_buffer(o);
    if (close(o->fd) != 0 && errno != EINTR)
        gp_die("write error on %s: %s", o->name, strerror(errno));
    free(o->buf);
    o->buf = NULL;
}
