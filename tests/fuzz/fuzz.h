/* fuzz.h - what the libFuzzer targets in tests/fuzz/ share.
 *
 * Each target is one file fuzz_NAME.c defining LLVMFuzzerTestOneInput; the
 * Makefile builds it with clang -fsanitize=fuzzer,address,undefined into
 * build/fuzz/bin/fuzz-NAME ("make fuzz FUZZ_SECS=N" runs each for N s).
 *
 * The readers take file names, so an input is written to one temporary
 * file per process and read from there.  Code that ends the program on bad
 * data (gp_die: roster and thresholds readers) is caught: the targets link
 * with -Wl,--wrap=exit, and fuzz_guarded() turns an exit inside the code
 * under test into a return, so a clean error message is not a finding; a
 * sanitizer report, a crash or a hang still is. */
#ifndef GPULSE_FUZZ_H
#define GPULSE_FUZZ_H

#include "gpulse.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The path of this process's input file, holding DATA now. */
const char *fuzz_input_file(const uint8_t *data, size_t size);

/* An output to /dev/null for writers. */
gp_out *fuzz_null_output(void);

/* Read every record of DATA (FORMAT: GP_FMT_JSON, GP_FMT_CSV or
 * GP_FMT_AUTO), read each field every way, write each record as NDJSON and
 * CSV, and check the properties that must hold. */
void fuzz_read_records(const uint8_t *data, size_t size, int format);

/* Run FN(ARG); returns 0 when it returned, 1 when it called exit(). */
int fuzz_guarded(void (*fn)(void *), void *arg);

/* Stop the test: a property the code must keep was broken. */
#define FUZZ_CHECK(cond, ...)                                                  \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "fuzz: property broken: " __VA_ARGS__);            \
            fputc('\n', stderr);                                               \
            abort();                                                           \
        }                                                                      \
    } while (0)

#endif
