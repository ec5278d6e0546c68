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

/* The digits printf and strtod give, as ratio.c found them before it
 * computed them in integers: the nearest decimal of 15, 16, then 17
 * significant digits that reads back (at 16 also the one on the other
 * side), trailing zeros dropped.  The integer path must agree with it on
 * every double it takes, byte for byte, or goccupy's and glive's columns
 * would differ from what they wrote before. */
static void printf_digits(double v, char *out)
{
    char text[48];
    int precision;
    for (precision = 15; precision <= 17; precision++) {
        snprintf(text, sizeof text, "%.*e", precision - 1, v);
        if (strtod(text, NULL) == v) break;
        if (precision == 16) {
            char *e = strchr(text, 'e');
            unsigned long long m = 0;
            for (const char *p = text; p < e; p++)
                if (*p != '.') m = m * 10 + (unsigned long long)(*p - '0');
            m = strtod(text, NULL) < v ? m + 1 : m - 1;
            if (m >= 1000000000000000ULL && m < 10000000000000000ULL) {
                char other[48];
                snprintf(other, sizeof other, "%llu.%015llue%d", m / 1000000000000000ULL, m % 1000000000000000ULL,
                         atoi(e + 1));
                if (strtod(other, NULL) == v) {
                    snprintf(text, sizeof text, "%s", other);
                    break;
                }
            }
        }
    }
    int n = 0, exp10 = atoi(strchr(text, 'e') + 1);
    char digits[24];
    for (const char *p = text; *p != 'e'; p++)
        if (*p != '.') digits[n++] = *p;
    while (n > 1 && digits[n - 1] == '0') n--;
    /* plain notation, as gp_format_ratio lays out 1e-7 to 1 */
    int k = 0;
    if (exp10 < 0) {
        out[k++] = '0';
        out[k++] = '.';
        for (int i = -1; i > exp10; i--) out[k++] = '0';
        memcpy(out + k, digits, (size_t)n);
        k += n;
    } else {
        for (int i = 0; i <= exp10 || i < n; i++) {
            if (i == exp10 + 1) out[k++] = '.';
            out[k++] = i < n ? digits[i] : '0';
        }
    }
    out[k] = '\0';
}

static void test_same_as_printf(void)
{
    uint64_t state = 0x2545f4914f6cdd1dULL;
    char why[160] = "";
    static const double edges[] = {1.0, 0x1p-14, 0x1p-13, 0x1p-1, 0x1p-4, 0x1.fffffffffffffp-1, 0x1.fffffffffffffp-14,
                                   0.1, 0.9999999999999999, 0.5, 1e-4, 0.00009999999999999999, 0.3, 0x1p-10};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0] && !*why; i++) {
        char got[32], want[48];
        gp_format_ratio(edges[i], got);
        printf_digits(edges[i], want);
        if (strcmp(got, want) != 0) snprintf(why, sizeof why, "%a: wrote %s, printf gives %s", edges[i], got, want);
    }
    /* K / 2^17 from 0.5 to 1 has 17 significant digits, the last a 5: the
     * nearest of 16 digits is a tie, which printf breaks to even */
    for (int k = 65537; k < 131072 && !*why; k += 2) {
        double v = k / 131072.0;
        char got[32], want[48];
        gp_format_ratio(v, got);
        printf_digits(v, want);
        if (strcmp(got, want) != 0) snprintf(why, sizeof why, "%a: wrote %s, printf gives %s", v, got, want);
    }
    for (int i = 0; i < 1000000 && !*why; i++) {
        double v;
        if (i % 3 == 0) {
            /* an occupancy: two millisecond sums of up to a day or a week */
            int64_t span = i % 2 ? 86400000 : 604800000;
            int64_t num = (int64_t)(next_random(&state) % (uint64_t)span);
            int64_t den = num + (int64_t)(next_random(&state) % (uint64_t)span) + 1;
            v = (double)num / (double)den;
        } else if (i % 3 == 1) {
            /* small sums: short decimals, ties and exact halves */
            int64_t num = (int64_t)(next_random(&state) % 2000);
            v = (double)num / (double)(num + (int64_t)(next_random(&state) % 2000) + 1);
        } else {
            /* any double from 2^-15 to 1 and a little over */
            uint64_t bits = 0x3f00000000000000ULL + next_random(&state) % 0x00f0000000000001ULL;
            memcpy(&v, &bits, sizeof v);
        }
        if (!(v >= 1e-7 && v < 1e16)) continue;
        char got[32], want[48];
        gp_format_ratio(v, got);
        printf_digits(v, want);
        if (strcmp(got, want) != 0) snprintf(why, sizeof why, "%a: wrote %s, printf gives %s", v, got, want);
    }
    unit_check(!*why, "ratio: the integer digits equal printf's on 1,000,000 ratios and doubles", why);
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
    test_same_as_printf();
    test_digits();
    return unit_exit();
}
