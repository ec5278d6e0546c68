/* sortpipe.c - decorate, sort(1), gather.
 *
 * The records themselves do not go through sort(1): they are appended to
 * an unlinked temporary file, each after its length (4 bytes), and sort
 * gets one short NUL-terminated line per record:  KEY1 \1 KEY2 \1 ...
 * OFFSET.  Key bytes \0, \1 and \2 are escaped (\2 followed by a letter)
 * so \1 sorts below every key byte and a shorter key before a longer one
 * with the same prefix.  OFFSET locates the record in the file, in 8
 * digits of base 64 that sort as numbers (gp_sortpipe_digits); offsets
 * grow with input order, so the lines are all different, sort compares
 * whole lines (its fastest path), and the result is stable.  Sorting lines
 * a third the size of the records, and copying each record once from the
 * file, is what brings gsort near sort(1) alone on the records. */
#include "sortpipe.h"
#include "spill.h"

#include <fcntl.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct gp_sortpipe {
    pid_t pid;
    gp_out to_sort;
    int from_sort;
    int nkeys;
    gp_out records;     /* the unlinked temporary file of record bytes */
    uint64_t offset;    /* bytes written to it */
    gp_buf line;
};

static void escape_key(gp_buf *b, gp_str key)
{
    if (key.n == 0) return; /* an absent field's view is {NULL, 0}: no pointer arithmetic on it */
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
    int records_fd = gp_temporary_file(options->temp_dir, "gsort"); /* before sort starts: it may fail */
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
        close(in[0]); close(in[1]); close(out[0]); close(out[1]); close(records_fd);
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
    gp_out_open_fd(&sp->records, records_fd, "gsort's temporary file");
    sp->from_sort = out[0];
    return sp;
}

/* Base-64 digits '0' (0x30) to 'o' (0x6f): consecutive bytes, so that
 * fixed-width numbers compare bytewise as numbers, and none of them is a
 * byte the key escapes. */
enum { DIGIT_BITS = 6, DIGIT_ZERO = '0', OFFSET_DIGITS = 8 };

void gp_sortpipe_digits(uint64_t v, char *out, int digits)
{
    for (int i = digits - 1; i >= 0; i--, v >>= DIGIT_BITS)
        out[i] = (char)(DIGIT_ZERO + (v & ((1u << DIGIT_BITS) - 1)));
}

static uint64_t read_digits(const char *p, int digits)
{
    uint64_t v = 0;
    for (int i = 0; i < digits; i++) v = v << DIGIT_BITS | (uint64_t)(unsigned char)(p[i] - DIGIT_ZERO);
    return v;
}

void gp_sortpipe_add(gp_sortpipe *sp, const gp_str *keys, const char *raw, size_t len)
{
    /* a last line without its newline gets one, as sort(1) does */
    bool add_newline = len == 0 || raw[len - 1] != '\n';
    uint64_t stored = (uint64_t)len + add_newline;
    if (stored > UINT32_MAX) gp_die("a record of more than 4 GiB");
    if (sp->offset >> (OFFSET_DIGITS * DIGIT_BITS)) gp_die("more than 256 TiB of records to sort");
    uint32_t length = (uint32_t)stored;
    gp_out_write(&sp->records, &length, sizeof length);
    gp_out_write(&sp->records, raw, len);
    if (add_newline) gp_out_putc(&sp->records, '\n');
    gp_buf *b = &sp->line;
    b->len = 0;
    for (int i = 0; i < sp->nkeys; i++) {
        escape_key(b, keys[i]);
        gp_buf_addc(b, '\1');
    }
    char offset[OFFSET_DIGITS];
    gp_sortpipe_digits(sp->offset, offset, OFFSET_DIGITS);
    gp_buf_add(b, offset, OFFSET_DIGITS);
    gp_buf_addc(b, '\0');
    sp->offset += sizeof length + stored;
    gp_out_write(&sp->to_sort, b->data, b->len);
}

/* The record at OFFSET in RECORDS (after its 4-byte length). */
static gp_str stored_record(const gp_sortpipe *sp, const char *records, uint64_t offset)
{
    uint32_t len;
    if (offset + sizeof len > sp->offset) gp_die("internal error: a line from sort points past the records");
    memcpy(&len, records + offset, sizeof len);
    if (offset + sizeof len + len > sp->offset) gp_die("internal error: a line from sort points past the records");
    return (gp_str){records + offset + sizeof len, len};
}

/* For each of sort's NUL-terminated lines, copy the record it locates in
 * RECORDS (the temporary file, mapped) to OUT.  The records are read in
 * sort order, all over the file: each one a cache miss, the time of the
 * gather unless the next ones are fetched while one is copied.  So the
 * offsets of a whole read are decoded first, then the copy runs PREFETCH
 * records behind the prefetches. */
enum { PREFETCH = 16 };

static void gather(gp_sortpipe *sp, const char *records, gp_out *out)
{
    gp_buf pending = {0}; /* a line split across reads */
    static char buf[1 << 20];
    uint64_t *offsets = NULL;
    size_t offsets_cap = 0;
    for (;;) {
        ssize_t got = read(sp->from_sort, buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) gp_die("read error from sort: %s", strerror(errno));
        if (got == 0) break;
        gp_buf_add(&pending, buf, (size_t)got);
        size_t start = 0, n = 0;
        for (;;) {
            char *nul = memchr(pending.data + start, '\0', pending.len - start);
            if (!nul) break;
            if (nul - (pending.data + start) < OFFSET_DIGITS) gp_die("internal error: a short line from sort");
            if (n == offsets_cap) {
                offsets_cap = offsets_cap ? offsets_cap * 2 : 4096;
                offsets = gp_xrealloc(offsets, offsets_cap * sizeof *offsets);
            }
            offsets[n++] = read_digits(nul - OFFSET_DIGITS, OFFSET_DIGITS);
            start = (size_t)(nul - pending.data) + 1;
        }
        for (size_t i = 0; i < n; i++) {
            if (i + PREFETCH < n && offsets[i + PREFETCH] < sp->offset) {
                const char *ahead = records + offsets[i + PREFETCH];
                __builtin_prefetch(ahead);
                __builtin_prefetch(ahead + 64);
                __builtin_prefetch(ahead + 128);
            }
            gp_str record = stored_record(sp, records, offsets[i]);
            gp_out_write(out, record.p, record.n);
        }
        memmove(pending.data, pending.data + start, pending.len - start);
        pending.len -= start;
    }
    free(offsets);
    gp_buf_free(&pending);
}

void gp_sortpipe_finish(gp_sortpipe *sp, gp_out *out)
{
    gp_out_close(&sp->to_sort);
    gp_out_flush_buffer(&sp->records);
    const char *records = NULL;
    if (sp->offset > 0) {
        int flags = MAP_SHARED;
#ifdef MAP_POPULATE
        flags |= MAP_POPULATE; /* page tables filled at once, not a fault per page */
#endif
        records = mmap(NULL, (size_t)sp->offset, PROT_READ, flags, sp->records.fd, 0);
        if (records == MAP_FAILED) gp_die("cannot map gsort's temporary file: %s", strerror(errno));
    }
    gather(sp, records, out);
    close(sp->from_sort);
    int status;
    while (waitpid(sp->pid, &status, 0) < 0)
        if (errno != EINTR) gp_die("waiting for sort: %s", strerror(errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        gp_die("sort failed (%s %d)", WIFEXITED(status) ? "exit status" : "signal",
               WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    if (records) munmap((void *)records, (size_t)sp->offset);
    gp_out_close(&sp->records);
    gp_buf_free(&sp->line);
    free(sp);
}
