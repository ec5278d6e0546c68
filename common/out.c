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

/* ------------------------------------------------------------------ */
/* Inputs no output may overwrite                                        */

typedef struct file_id {
    dev_t dev;
    ino_t ino;
} file_id;

static file_id *inputs;
static size_t ninputs, inputs_cap;

static void note_input(const struct stat *st)
{
    if (!S_ISREG(st->st_mode)) return; /* a pipe or terminal cannot be truncated */
    for (size_t i = 0; i < ninputs; i++)
        if (inputs[i].dev == st->st_dev && inputs[i].ino == st->st_ino) return;
    if (ninputs == inputs_cap) {
        inputs_cap = inputs_cap ? inputs_cap * 2 : 8;
        inputs = gp_xrealloc(inputs, inputs_cap * sizeof *inputs);
    }
    inputs[ninputs++] = (file_id){st->st_dev, st->st_ino};
}

void gp_inputs_note(char **files)
{
    static char *stdin_only[] = {"-", NULL};
    if (!files || !files[0]) files = stdin_only;
    for (; *files; files++) {
        struct stat st;
        bool is_stdin = strcmp(*files, "-") == 0;
        if ((is_stdin ? fstat(0, &st) : stat(*files, &st)) == 0) note_input(&st);
    }
}

static bool is_an_input(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) return false; /* not there yet: not an input */
    for (size_t i = 0; i < ninputs; i++)
        if (inputs[i].dev == st.st_dev && inputs[i].ino == st.st_ino) return true;
    return false;
}

/* ------------------------------------------------------------------ */
/* Output files still open at exit                                       */

enum { MAX_OPEN_FILES = 8 };
static gp_out *open_files[MAX_OPEN_FILES];

static void flush_open_files(void)
{
    for (int i = 0; i < MAX_OPEN_FILES; i++) {
        gp_out *o = open_files[i];
        if (!o || !o->buf) continue;
        open_files[i] = NULL;
        /* exit() is already under way: report a failure, never exit again */
        const char *p = o->buf;
        size_t n = o->len;
        while (n > 0) {
            ssize_t w = write(o->fd, p, n);
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) {
                fprintf(stderr, "%s: write error on %s: %s\n", gp_progname, o->name, strerror(errno));
                _exit(GP_EXIT_FAILURE);
            }
            p += w;
            n -= (size_t)w;
        }
        o->len = 0;
    }
}

static void track_open_file(gp_out *o)
{
    static bool handler_set;
    if (!handler_set && atexit(flush_open_files) == 0) handler_set = true;
    for (int i = 0; i < MAX_OPEN_FILES; i++) {
        if (!open_files[i]) {
            open_files[i] = o;
            return;
        }
    }
    gp_die("more than %d output files", MAX_OPEN_FILES);
}

static void untrack_open_file(gp_out *o)
{
    for (int i = 0; i < MAX_OPEN_FILES; i++)
        if (open_files[i] == o) open_files[i] = NULL;
}

void gp_out_open_file(gp_out *o, const char *path)
{
    if (is_an_input(path)) gp_die("%s: is also an input: refusing to overwrite it", path);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) gp_die("%s: %s", path, strerror(errno));
    gp_out_open_fd(o, fd, path);
    track_open_file(o);
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
    untrack_open_file(o);
    if (!o->buf) return;
    gp_out_flush_buffer(o);
    if (close(o->fd) != 0 && errno != EINTR)
        gp_die("write error on %s: %s", o->name, strerror(errno));
    free(o->buf);
    o->buf = NULL;
}
