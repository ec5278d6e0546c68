/* spill.c - the spill file of a bounded memory buffer (spill.h).
 *
 * Appends collect in a write buffer and go to the file when it is full;
 * reads come through a read buffer of one chunk, so reading records back in
 * order costs one pread per chunk, not one per record.  An overwrite lands
 * wherever the bytes are: the write buffer, or the file (and the read
 * buffer's copy, when it holds them). */
#include "spill.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { READ_CHUNK = 64 * 1024 };

struct gp_spill {
    int fd;             /* -1 until the first flush */
    uint64_t flushed;   /* bytes in the file */
    gp_buf pending;     /* appended, not yet in the file: at offset FLUSHED */
    size_t buffer;      /* flush when PENDING reaches this */
    char *chunk;        /* the read buffer: file bytes [CHUNK_AT, CHUNK_AT + CHUNK_LEN) */
    uint64_t chunk_at;
    size_t chunk_len;
};

int gp_temporary_file(const char *dir, const char *prefix)
{
    if (!dir || !*dir) dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.XXXXXX", dir, prefix);
    int fd = mkstemp(path);
    if (fd < 0) gp_die("cannot make a temporary file in %s: %s", dir, strerror(errno));
    unlink(path);
    return fd;
}

gp_spill *gp_spill_new(size_t buffer)
{
    gp_spill *sp = gp_xcalloc(1, sizeof *sp);
    sp->fd = -1;
    sp->buffer = buffer ? buffer : 1;
    return sp;
}

void gp_spill_free(gp_spill *sp)
{
    if (!sp) return;
    if (sp->fd >= 0) close(sp->fd);
    gp_buf_free(&sp->pending);
    free(sp->chunk);
    free(sp);
}

static noreturn void spill_failed(const char *what)
{
    gp_die("%s the temporary file of the memory buffer (-S; $TMPDIR or /tmp): %s", what, strerror(errno));
}

/* N bytes to the file: at OFFSET (pwrite, the file offset stays), or at the
 * file offset (write: the appends) when OFFSET is negative. */
static void write_all(gp_spill *sp, int64_t offset, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t got = offset < 0 ? write(sp->fd, p, n) : pwrite(sp->fd, p, n, (off_t)offset);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) {
            if (got == 0) errno = ENOSPC;
            spill_failed("writing");
        }
        p += got;
        n -= (size_t)got;
        if (offset >= 0) offset += got;
    }
}

static void flush(gp_spill *sp)
{
    if (sp->pending.len == 0) return;
    if (sp->fd < 0) sp->fd = gp_temporary_file(NULL, "gpulse-spill");
    write_all(sp, -1, sp->pending.data, sp->pending.len);
    sp->flushed += sp->pending.len;
    sp->pending.len = 0;
}

uint64_t gp_spill_append(gp_spill *sp, const void *p, size_t n)
{
    uint64_t offset = sp->flushed + sp->pending.len;
    gp_buf_add(&sp->pending, p, n);
    if (sp->pending.len >= sp->buffer) flush(sp);
    return offset;
}

uint64_t gp_spill_size(const gp_spill *sp) { return sp->flushed + sp->pending.len; }

void gp_spill_reset(gp_spill *sp)
{
    if (sp->fd >= 0 && sp->flushed > 0 && (ftruncate(sp->fd, 0) != 0 || lseek(sp->fd, 0, SEEK_SET) != 0))
        spill_failed("emptying");
    sp->flushed = 0;
    sp->pending.len = 0;
    sp->chunk_len = 0;
    sp->chunk_at = 0;
}

static void read_all_at(gp_spill *sp, uint64_t offset, char *dst, size_t n)
{
    while (n > 0) {
        ssize_t got = pread(sp->fd, dst, n, (off_t)offset);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) {
            if (got == 0) errno = EIO; /* shorter than what was written */
            spill_failed("reading");
        }
        dst += got;
        n -= (size_t)got;
        offset += (uint64_t)got;
    }
}

void gp_spill_read(gp_spill *sp, uint64_t offset, void *dst, size_t n)
{
    if (offset + n > sp->flushed) { /* in the write buffer, or across its edge */
        if (offset >= sp->flushed) {
            memcpy(dst, sp->pending.data + (offset - sp->flushed), n);
            return;
        }
        flush(sp);
    }
    if (offset >= sp->chunk_at && offset + n <= sp->chunk_at + sp->chunk_len) {
        memcpy(dst, sp->chunk + (offset - sp->chunk_at), n);
        return;
    }
    if (n >= READ_CHUNK) { /* larger than a chunk: straight into DST */
        read_all_at(sp, offset, dst, n);
        return;
    }
    if (!sp->chunk) sp->chunk = gp_xmalloc(READ_CHUNK);
    uint64_t left = sp->flushed - offset;
    sp->chunk_at = offset;
    sp->chunk_len = left < READ_CHUNK ? (size_t)left : READ_CHUNK;
    read_all_at(sp, offset, sp->chunk, sp->chunk_len);
    memcpy(dst, sp->chunk, n);
}

void gp_spill_write_at(gp_spill *sp, uint64_t offset, const void *p, size_t n)
{
    if (offset >= sp->flushed) {
        memcpy(sp->pending.data + (offset - sp->flushed), p, n);
        return;
    }
    if (offset + n > sp->flushed) flush(sp); /* across the edge: all to the file */
    write_all(sp, (int64_t)offset, p, n);
    /* the read buffer's copy, where it overlaps */
    uint64_t from = offset > sp->chunk_at ? offset : sp->chunk_at;
    uint64_t to = offset + n < sp->chunk_at + sp->chunk_len ? offset + n : sp->chunk_at + sp->chunk_len;
    if (from < to) memcpy(sp->chunk + (from - sp->chunk_at), (const char *)p + (from - offset), (size_t)(to - from));
}
