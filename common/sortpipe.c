/* sortpipe.c - decorate, sort(1), undecorate.
 *
 * Each record becomes one NUL-terminated line (records may hold newlines:
 * CSV cells can):  KEY1 \1 KEY2 \1 ... SEQ \1 RAW.  Key bytes \0, \1 and \2
 * are escaped (\2 followed by a letter) so \1 sorts below every key byte
 * and a shorter key before a longer one with the same prefix.  SEQ is the
 * record's number in 16 hex digits: the lines are then all different, so
 * sort compares whole lines (its fastest path) and the result is stable. */
#include "sortpipe.h"

#include <fcntl.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct gp_sortpipe {
    pid_t pid;
    gp_out to_sort;
    int from_sort;
    int nkeys;
    uint64_t seq;
    gp_buf line;
};

static void escape_key(gp_buf *b, gp_str key)
{
    size_t run = 0;
    for (size_t i = 0; i < key.n; i++) {
        unsigned char c = (unsigned char)key.p[i];
        if (c > 2) continue;
        gp_buf_add(b, key.p + run, i - run);
        gp_buf_addc(b, '\2');
        gp_buf_addc(b, (char)('a' + c));
        run = i + 1;
    }
    gp_buf_add(b, key.p + run, key.n - run);
}

gp_sortpipe *gp_sortpipe_start(const gp_sort_options *options, int nkeys)
{
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) gp_die("cannot make a pipe: %s", strerror(errno));
    const char *sort = getenv("SORT");
    if (!sort || !*sort) sort = "sort";
    const char *argv[16];
    int n = 0;
    argv[n++] = sort;
    argv[n++] = "-z";
    if (options->buffer_size) { argv[n++] = "-S"; argv[n++] = options->buffer_size; }
    if (options->temp_dir) { argv[n++] = "-T"; argv[n++] = options->temp_dir; }
    char parallel[64];
    if (options->parallel) {
        snprintf(parallel, sizeof parallel, "--parallel=%s", options->parallel);
        argv[n++] = parallel;
    }
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid < 0) gp_die("cannot start sort: %s", strerror(errno));
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]); close(in[1]); close(out[0]); close(out[1]);
        setenv("LC_ALL", "C", 1); /* bytewise order, whatever the user's locale */
        signal(SIGPIPE, SIG_DFL);
        execvp(sort, (char *const *)argv);
        fprintf(stderr, "%s: cannot run %s: %s\n", gp_progname, sort, strerror(errno));
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    /* sort(1) writes in small pieces: a large pipe lets them pile up, so
     * each read here takes many at once (a third of gsort's time otherwise
     * goes to system calls). */
    gp_fd_widen_pipe(out[0]);
    gp_fd_widen_pipe(in[1]);
    gp_sortpipe *sp = gp_xcalloc(1, sizeof *sp);
    sp->pid = pid;
    sp->nkeys = nkeys;
    gp_out_open_fd(&sp->to_sort, in[1], "the pipe to sort");
    sp->from_sort = out[0];
    return sp;
}

void gp_sortpipe_add(gp_sortpipe *sp, const gp_str *keys, const char *raw, size_t len)
{
    gp_buf *b = &sp->line;
    b->len = 0;
    for (int i = 0; i < sp->nkeys; i++) {
        escape_key(b, keys[i]);
        gp_buf_addc(b, '\1');
    }
    static const char hex[] = "0123456789abcdef";
    char seq[17];
    for (int i = 15; i >= 0; i--) seq[15 - i] = hex[(sp->seq >> (4 * i)) & 15];
    sp->seq++;
    gp_buf_add(b, seq, 16);
    gp_buf_addc(b, '\1');
    gp_buf_add(b, raw, len);
    /* a last line without its newline gets one, as sort(1) does */
    if (len == 0 || raw[len - 1] != '\n') gp_buf_addc(b, '\n');
    gp_buf_addc(b, '\0');
    gp_out_write(&sp->to_sort, b->data, b->len);
}

/* Copy sort's NUL-terminated lines to OUT without their keys. */
static void undecorate(gp_sortpipe *sp, gp_out *out)
{
    gp_buf pending = {0}; /* a line split across reads */
    static char buf[1 << 20];
    for (;;) {
        ssize_t got = read(sp->from_sort, buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) gp_die("read error from sort: %s", strerror(errno));
        if (got == 0) break;
        gp_buf_add(&pending, buf, (size_t)got);
        size_t start = 0;
        for (;;) {
            char *nul = memchr(pending.data + start, '\0', pending.len - start);
            if (!nul) break;
            /* skip the keys and the sequence number: nkeys + 1 fields */
            const char *p = pending.data + start;
            for (int i = 0; i <= sp->nkeys; i++) p = (const char *)memchr(p, '\1', (size_t)(nul - p)) + 1;
            gp_out_write(out, p, (size_t)(nul - p));
            start = (size_t)(nul - pending.data) + 1;
        }
        memmove(pending.data, pending.data + start, pending.len - start);
        pending.len -= start;
    }
    gp_buf_free(&pending);
}

void gp_sortpipe_finish(gp_sortpipe *sp, gp_out *out)
{
    gp_out_close(&sp->to_sort);
    undecorate(sp, out);
    close(sp->from_sort);
    int status;
    while (waitpid(sp->pid, &status, 0) < 0)
        if (errno != EINTR) gp_die("waiting for sort: %s", strerror(errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        gp_die("sort failed (%s %d)", WIFEXITED(status) ? "exit status" : "signal",
               WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    gp_buf_free(&sp->line);
    free(sp);
}
