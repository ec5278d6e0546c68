/* failnth.c - an LD_PRELOAD shim that makes the Nth call of one function
 * fail, for the fault-injection test (tests/sh/fault-injection.sh).
 *
 *   GPULSE_FAIL=read|write|close|malloc|realloc  GPULSE_FAIL_NTH=N
 *
 * read and write fail with EIO, close with EIO, malloc and realloc return
 * NULL with ENOMEM; every other call goes through.  Calls are counted from
 * main() on (what the loader and libc do before it is not the tool's).
 * GPULSE_FAIL_COUNT=FILE writes the number of calls seen at exit, so the
 * test knows the range of N worth trying. */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { F_NONE, F_READ, F_WRITE, F_CLOSE, F_MALLOC, F_REALLOC };

static int target = F_NONE;
static long nth, seen;
static int armed; /* from main() on */

static ssize_t (*real_read)(int, void *, size_t);
static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_close)(int);
static void *(*real_malloc)(size_t);
static void *(*real_realloc)(void *, size_t);

/* malloc may be asked for while dlsym resolves it: a small static arena
 * answers then (never freed: it is only the loader's bookkeeping). */
static char arena[4096];
static size_t arena_used;
static int resolving;

static void *arena_alloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (arena_used + n > sizeof arena) return NULL;
    void *p = arena + arena_used;
    arena_used += n;
    return p;
}

static void resolve(void)
{
    if (real_malloc || resolving) return;
    resolving = 1;
    real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    real_read = (ssize_t(*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
    real_write = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    real_close = (int (*)(int))dlsym(RTLD_NEXT, "close");
    resolving = 0;
}

static int fires(int kind)
{
    if (!armed || kind != target) return 0;
    return ++seen == nth;
}

static void report(void)
{
    const char *path = getenv("GPULSE_FAIL_COUNT");
    if (!path) return;
    armed = 0;
    FILE *f = fopen(path, "w");
    if (!f) return;
    fprintf(f, "%ld\n", seen);
    fclose(f);
}

__attribute__((constructor)) static void start(void)
{
    resolve();
    static const char *const names[] = {"", "read", "write", "close", "malloc", "realloc"};
    const char *what = getenv("GPULSE_FAIL"), *n = getenv("GPULSE_FAIL_NTH");
    for (int i = 1; what && i < (int)(sizeof names / sizeof names[0]); i++)
        if (strcmp(what, names[i]) == 0) target = i;
    nth = n ? atol(n) : 0;
    atexit(report);
    armed = 1; /* constructors of the tool's libraries have run; main is next */
}

ssize_t read(int fd, void *buf, size_t n)
{
    resolve();
    if (fires(F_READ)) {
        errno = EIO;
        return -1;
    }
    return real_read(fd, buf, n);
}

ssize_t write(int fd, const void *buf, size_t n)
{
    resolve();
    if (fires(F_WRITE)) {
        errno = EIO;
        return -1;
    }
    return real_write(fd, buf, n);
}

int close(int fd)
{
    resolve();
    if (fires(F_CLOSE)) {
        real_close(fd); /* the descriptor is gone either way, as on Linux */
        errno = EIO;
        return -1;
    }
    return real_close(fd);
}

void *malloc(size_t n)
{
    if (!real_malloc) {
        if (resolving) return arena_alloc(n);
        resolve();
    }
    if (fires(F_MALLOC)) {
        errno = ENOMEM;
        return NULL;
    }
    return real_malloc(n);
}

void *realloc(void *p, size_t n)
{
    if (!real_realloc) {
        if (resolving) return NULL;
        resolve();
    }
    if (fires(F_REALLOC)) {
        errno = ENOMEM;
        return NULL;
    }
    return real_realloc(p, n);
}
