/* ratio.c - writing ratios (occupancy, nrt_rate, the bucket cuts) so that
 * they read back to the same double (gpulse(7), "Numbers").
 *
 * The text is the shortest decimal that strtod turns back into the same
 * double, as Python's repr() and jq 1.7 write numbers: 0.1 is "0.1",
 * 1/3 is "0.3333333333333333".  It is found by trying 15, 16 and 17
 * significant digits: any decimal of up to 15 digits that maps to a
 * double is what "%.14e" gives back for it (a double carries more than 15
 * decimal digits), 17 always suffice, and at 16 the nearest decimal can
 * miss where the double is a power of two (the gap below it is half the
 * gap above), so its neighbour on the other side is tried too.  A
 * subnormal double (below 2.2e-308) has fewer digits: tried from one up.
 *
 * The digits are laid out in plain notation, without an exponent, from
 * 1e-7 up to 1e16 (every ratio of two time sums that is not tiny), as
 * JavaScript numbers are; outside that range as "1.5e-08".  Between
 * 2^-14 and 1 the same digits come from integer arithmetic (exact_digits):
 * glive writes four ratios per agent every tick, and the snprintf and
 * strtod round trips were the better part of a tick's time. */
#include "gpulse.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* Significant digits of V (no sign, no trailing zeros) in DIGITS and the
 * power of ten of the first one in *EXP10, for the shortest decimal that
 * reads back as V.  V is finite and not zero. */
static void shortest_digits(double v, char digits[24], int *exp10)
{
    char text[40];
    int precision;
    /* below DBL_MIN (subnormal) a double has fewer digits: start at one */
    for (precision = fabs(v) < DBL_MIN ? 1 : 15; precision <= 17; precision++) {
        snprintf(text, sizeof text, "%.*e", precision - 1, v);
        if (strtod(text, NULL) == v) break;
        if (precision == 16) {
            /* the nearest 16-digit decimal failed: try the one on the
             * other side of V, which can still be inside V's interval */
            char *e = strchr(text, 'e');
            int exp = atoi(e + 1);
            unsigned long long m = 0;
            for (const char *p = text + (text[0] == '-'); p < e; p++)
                if (*p != '.') m = m * 10 + (unsigned long long)(*p - '0');
            double nearest = strtod(text, NULL);
            m = fabs(nearest) < fabs(v) ? m + 1 : m - 1;
            if (m >= 1000000000000000ULL && m < 10000000000000000ULL) {
                char other[40];
                snprintf(other, sizeof other, "%s%llu.%015llue%d", v < 0 ? "-" : "", m / 1000000000000000ULL,
                         m % 1000000000000000ULL, exp);
                if (strtod(other, NULL) == v) {
                    snprintf(text, sizeof text, "%s", other);
                    break;
                }
            }
        }
    }
    if (precision > 17) snprintf(text, sizeof text, "%.16e", v);
    const char *p = text + (text[0] == '-');
    int n = 0;
    for (; *p && *p != 'e'; p++)
        if (*p != '.') digits[n++] = *p;
    while (n > 1 && digits[n - 1] == '0') n--;
    digits[n] = '\0';
    *exp10 = atoi(p + 1);
}

/* The same digits by integer arithmetic for V in [2^-14, 1], where every
 * ratio of two time sums but the tiny ones falls: each ratio in a row
 * costs a few 128-bit products instead of three snprintf and strtod round
 * trips (glive writes four ratios per agent every tick).  V = M / 2^E
 * exactly; the nearest decimal of P significant digits is D / 10^S,
 * rounded half to even as printf's "%.*e" rounds; it reads back to V when
 * it lies in V's rounding interval (strtod rounds half to even too), which
 * is tested in integers scaled by 4 * 2^E * 10^S.  The bounds keep every
 * product under 2^125.  Returns false outside that range. */
__extension__ typedef unsigned __int128 wide;

#define P10(n) UINT64_C(n)
static const wide pow10[22] = {
    P10(1), P10(10), P10(100), P10(1000), P10(10000), P10(100000), P10(1000000), P10(10000000),
    P10(100000000), P10(1000000000), P10(10000000000), P10(100000000000), P10(1000000000000),
    P10(10000000000000), P10(100000000000000), P10(1000000000000000), P10(10000000000000000),
    P10(100000000000000000), P10(1000000000000000000), P10(10000000000000000000),
    (wide)P10(10000000000000000000) * 10, (wide)P10(10000000000000000000) * 100,
};
#undef P10

static bool reads_back(uint64_t d, int s, uint64_t m, int e)
{
    wide w = (wide)d << (e + 2), x = ((wide)m * pow10[s]) << 2, half = pow10[s] << 1;
    wide half_below = m == (UINT64_C(1) << 52) ? pow10[s] : half; /* the gap below a power of two is half */
    bool even = (m & 1) == 0;
    if (w >= x) return w - x < half || (w - x == half && even);
    return x - w < half_below || (x - w == half_below && even);
}

static bool exact_digits(double v, char digits[24], int *exp10)
{
    if (!(v >= 0x1p-14 && v <= 1)) return false;
    int k;
    double f = frexp(v, &k); /* v = f * 2^k, f in [0.5, 1) */
    uint64_t m = (uint64_t)ldexp(f, 53);
    int e = 53 - k; /* 52 ... 66 */
    wide one = (wide)1 << e;
    int x = 0; /* the power of ten of V's first digit: 10^x <= V */
    while ((wide)m * pow10[-x] < one) x--;
    uint64_t d = 0;
    int s = 0;
    for (int p = 15; p <= 17; p++) {
        s = p - 1 - x;
        wide scaled = (wide)m * pow10[s];
        d = (uint64_t)(scaled >> e);
        wide rest = scaled & (one - 1), half = one >> 1;
        if (rest > half || (rest == half && (d & 1))) d++;
        if (d == (uint64_t)pow10[p]) { /* 9.99..5 rounded up to 10.0...: one digit more to the left */
            d /= 10;
            s--;
        }
        if (reads_back(d, s, m, e)) break;
        if (p == 16) {
            /* as shortest_digits: the 16-digit decimal on the other side */
            bool below = ((wide)d << e) < (wide)m * pow10[s];
            uint64_t other = below ? d + 1 : d - 1;
            if (other >= (uint64_t)pow10[15] && other < (uint64_t)pow10[16] && reads_back(other, s, m, e)) {
                d = other;
                break;
            }
        }
    }
    /* 17 digits always read back; D has P digits, the first at 10^(P-1-S) */
    char text[24];
    int n = 0;
    for (uint64_t t = d; t; t /= 10) text[n++] = (char)('0' + t % 10);
    *exp10 = n - 1 - s;
    int nd = 0;
    while (n > 0) digits[nd++] = text[--n];
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    digits[nd] = '\0';
    return true;
}

size_t gp_format_ratio(double v, char *out)
{
    if (v == 0 || !isfinite(v)) {
        /* -0 is 0; a ratio is never infinite or NaN (an undefined one is
         * null), so "0" only guards against a caller's mistake */
        out[0] = '0';
        out[1] = '\0';
        return 1;
    }
    char digits[24];
    int exp10, n = 0;
    if (!exact_digits(v, digits, &exp10)) shortest_digits(v, digits, &exp10);
    int nd = (int)strlen(digits);
    if (v < 0) out[n++] = '-';
    if (exp10 < -7 || exp10 >= 16) {
        out[n++] = digits[0];
        if (nd > 1) {
            out[n++] = '.';
            memcpy(out + n, digits + 1, (size_t)nd - 1);
            n += nd - 1;
        }
        n += snprintf(out + n, 8, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
        return (size_t)n;
    }
    if (exp10 < 0) {
        out[n++] = '0';
        out[n++] = '.';
        for (int i = -1; i > exp10; i--) out[n++] = '0';
        memcpy(out + n, digits, (size_t)nd);
        n += nd;
    } else {
        for (int i = 0; i <= exp10 || i < nd; i++) {
            if (i == exp10 + 1) out[n++] = '.';
            out[n++] = i < nd ? digits[i] : '0';
        }
    }
    out[n] = '\0';
    return (size_t)n;
}

size_t gp_format_ratio_digits(double v, int digits, char *out)
{
    if (digits < 0 || !(fabs(v) < 1e15)) return gp_format_ratio(v, out);
    int n = snprintf(out, 32, "%.*f", digits > 17 ? 17 : digits, v);
    if (memchr(out, '.', (size_t)n)) {
        while (out[n - 1] == '0') n--;
        if (out[n - 1] == '.') n--;
    }
    out[n] = '\0';
    if (strcmp(out, "-0") == 0) {
        out[0] = '0';
        out[1] = '\0';
        n = 1;
    }
    return (size_t)n;
}
