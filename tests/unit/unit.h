/* unit.h - the few checks unit tests share.  Each tests/unit/test_NAME.c is
 * its own program; it prints "PASS name" or "FAIL name: why" per check and
 * exits 1 when any failed.  tests/run.sh counts the lines. */
#ifndef GPULSE_UNIT_H
#define GPULSE_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failures;

static inline void unit_check(int ok, const char *name, const char *why)
{
    if (ok) {
        printf("PASS %s\n", name);
    } else {
        printf("FAIL %s: %s\n", name, why);
        unit_failures++;
    }
}

static inline void unit_check_str(const char *got, const char *want, const char *name)
{
    char why[512];
    snprintf(why, sizeof why, "got \"%s\", want \"%s\"", got ? got : "(null)", want);
    unit_check(got && strcmp(got, want) == 0, name, why);
}

static inline void unit_check_long(long long got, long long want, const char *name)
{
    char why[128];
    snprintf(why, sizeof why, "got %lld, want %lld", got, want);
    unit_check(got == want, name, why);
}

static inline void unit_check_double(double got, double want, double tolerance, const char *name)
{
    char why[128];
    snprintf(why, sizeof why, "got %.12g, want %.12g", got, want);
    double diff = got > want ? got - want : want - got;
    unit_check(diff <= tolerance, name, why);
}

static inline int unit_exit(void) { return unit_failures ? 1 : 0; }

#endif
