/* test_numbers.c - ratios written as the shortest decimal that reads back
 * to the same double, and the --digits view (gpulse(7), Numbers). */
#include "gpulse.h"
#include "unit.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* Expected texts are Python's repr() of the same doubles, written in
 * plain notation where gpulse uses it (1e-7 and up). */
static void test_known_ratios(void)
{
    static const struct {
        double v;
        const char *want;
    } cases[] = {
        {1.0 / 3, "0.3333333333333333"},
        {2.0 / 3, "0.6666666666666666"},
        {0.25, "0.25"},
        {0.1, "0.1"},
        {0.1 + 0.2, "0.30000000000000004"},
        {0.8530071925981129, "0.8530071925981129"},
        {14.0 / 19, "0.7368421052631579"},
        {1.0, "1"},
        {0.0, "0"},
        {-0.0, "0"},
        {100.0, "100"},
        {12.5, "12.5"},
        {-0.5, "-0.5"},
        {1e-7, "0.0000001"},
        {1.5e-7, "0.00000015"},
        {1.5e-8, "1.5e-08"},
        {1e16, "1e+16"},
        {123456789012345.6, "123456789012345.6"},
        {5e-324, "5e-324"},
        {DBL_MAX, "1.7976931348623157e+308"},
        /* powers of two where the nearest 16-digit decimal misses but
         * the one on the other side reads back */
        {0x1p-44, "5.684341886080802e-14"},
        {0x1p-24, "5.960464477539063e-08"},
        {0x1p-17, "0.00000762939453125"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[32], name[64];
        gp_format_ratio(cases[i].v, out);
        snprintf(name, sizeof name, "ratio: shortest %s", cases[i].want);
        unit_check_str(out, cases[i].want, name);
    }
}

/* A decimal of DIGITS significant digits reads back to V: the nearest one
 * or either neighbour of it (brute force, independent of ratio.c). */
static int fits_in_digits(double v, int digits)
{
    char text[48];
    snprintf(text, sizeof text, "%.*e", digits - 1, v);
    if (strtod(text, NULL) == v) return 1;
    char *e = strchr(text, 'e');
    int exp = atoi(e + 1);
    long double m = strtold(text, NULL) / powl(10, exp - (digits - 1));
    for (int side = -1; side <= 1; side += 2) {
        char other[64];
        snprintf(other, sizeof other, "%.0Lfe%d", roundl(m) + side, exp - (digits - 1));
        if (strtod(other, NULL) == v) return 1;
    }
    return 0;
}

static int significant_digits(const char *s)
{
    int n = 0, leading = 1, trailing_zeros = 0;
    for (; *s && *s != 'e'; s++) {
        if (*s < '0' || *s > '9') continue;
        if (leading && *s == '0') continue;
        leading = 0;
        n++;
        trailing_zeros = *s == '0' ? trailing_zeros + 1 : 0;
    }
    return n - trailing_zeros;
}

static uint64_t next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

static void test_random_round_trip(void)
{
    uint64_t state = 0x9e3779b97f4a7c15ULL;
    char why[160] = "";
    for (int i = 0; i < 200000 && !*why; i++) {
        double v;
        if (i % 2) {
            /* a ratio of two millisecond sums, as goccupy divides */
            int64_t num = (int64_t)(next_random(&state) % 4000000000ULL);
            int64_t den = num + (int64_t)(next_random(&state) % 4000000000ULL) + 1;
            v = (double)num / (double)den;
        } else {
            uint64_t bits = next_random(&state) & 0x7fefffffffffffffULL; /* finite */
            memcpy(&v, &bits, sizeof v);
        }
        char out[32];
        size_t n = gp_format_ratio(v, out);
        if (n >= 32 || strlen(out) != n) snprintf(why, sizeof why, "%.17g: length %zu", v, n);
        else if (strtod(out, NULL) != v) snprintf(why, sizeof why, "%.17g written %s reads back differently", v, out);
        else if (significant_digits(out) > 1 && fits_in_digits(v, significant_digits(out) - 1))
            snprintf(why, sizeof why, "%.17g written %s: a shorter decimal reads back", v, out);
    }
    unit_check(!*why, "ratio: 200000 random doubles and ratios read back, none shorter", why);
}

static void test_digits(void)
{
    char out[32];
    gp_format_ratio_digits(1.0 / 3, 3, out);
    unit_check_str(out, "0.333", "digits: 3 decimals");
    gp_format_ratio_digits(0.25, 6, out);
    unit_check_str(out, "0.25", "digits: trailing zeros trimmed");
    gp_format_ratio_digits(0.9999, 2, out);
    unit_check_str(out, "1", "digits: rounds up to a whole");
    gp_format_ratio_digits(-0.0001, 2, out);
    unit_check_str(out, "0", "digits: no negative zero");
    gp_format_ratio_digits(2.0 / 3, -1, out);
    unit_check_str(out, "0.6666666666666666", "digits: -1 is the whole ratio");
    gp_format_ratio_digits(2.0 / 3, 0, out);
    unit_check_str(out, "1", "digits: 0 decimals");
}

int main(void)
{
    gp_init("unit-numbers");
    test_known_ratios();
    test_random_round_trip();
    test_digits();
    return unit_exit();
}
