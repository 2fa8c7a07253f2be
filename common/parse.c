#include "common/parse.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Longest cleaned number handed to strtod. Real figures need far fewer digits;
 * anything longer is treated as not a number rather than truncated.
 */
#define NUMBER_BUFFER_SIZE 128

/* Exponents beyond this are clamped: the value overflows or underflows anyway. */
#define EXPONENT_CLAMP 100000L

/* The pound sign in UTF-8. */
static const char POUND_SIGN[] = "\xC2\xA3";

/* A no-break space in UTF-8: spreadsheets paste it around figures. */
static const char NO_BREAK_SPACE[] = "\xC2\xA0";

/* Bounds of text without surrounding white space (ASCII or no-break spaces). */
static void trim(const char *text, const char **start, const char **end)
{
    const char *b = text;
    const char *e = text + strlen(text);
    for (;;) {
        if (b < e && isspace((unsigned char)*b))
            b++;
        else if (e - b >= 2 && memcmp(b, NO_BREAK_SPACE, 2) == 0)
            b += 2;
        else
            break;
    }
    for (;;) {
        if (e > b && isspace((unsigned char)e[-1]))
            e--;
        else if (e - b >= 2 && memcmp(e - 2, NO_BREAK_SPACE, 2) == 0)
            e -= 2;
        else
            break;
    }
    *start = b;
    *end = e;
}

/* trim() for a cell that may be NULL: 0 when there is nothing but blanks. */
static int trimmed(const char *text, const char **start, const char **end)
{
    if (text == NULL)
        return 0;
    trim(text, start, end);
    return *start != *end;
}

/* True when the text from p to end is word, ignoring ASCII case (word is lower case). */
static int is_word(const char *p, const char *end, const char *word)
{
    size_t length = strlen(word);
    if ((size_t)(end - p) != length)
        return 0;
    for (size_t k = 0; k < length; k++)
        if (tolower((unsigned char)p[k]) != word[k])
            return 0;
    return 1;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Take an optional sign and an optional pound sign, in either order ("-£5", "£-5"). */
static void take_sign_and_pound(const char **p, const char *end, int *negative, int *pound)
{
    int signed_already = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (!signed_already && *p < end && (**p == '+' || **p == '-')) {
            *negative = (**p == '-');
            signed_already = 1;
            (*p)++;
        }
        if (pass == 0 && end - *p >= 2 && memcmp(*p, POUND_SIGN, 2) == 0) {
            *pound = 1;
            *p += 2;
        }
    }
}

ao_parse_result ao_parse_number(const char *text, double *out)
{
    const char *p, *end;
    if (!trimmed(text, &p, &end))
        return AO_PARSE_EMPTY;

    int negative = 0;
    int pound = 0;
    take_sign_and_pound(&p, end, &negative, &pound);

    /* strtod would accept these; spreadsheets can produce them; no figure is one. */
    if (is_word(p, end, "nan") || is_word(p, end, "inf") || is_word(p, end, "infinity"))
        return AO_PARSE_RANGE;

    /*
     * The digits go into buf without the decimal point, and the point's position
     * moves into the exponent: "1,234.5%" becomes "12345e-3". strtod then never
     * sees a decimal point, so the result does not depend on the C locale, and
     * the division by 100 for '%' is exact rather than a second rounding.
     */
    char buf[NUMBER_BUFFER_SIZE];
    size_t n = 0;
    if (negative)
        buf[n++] = '-';
    size_t digits = 0;
    long exponent = 0;

    /* Integer part, with thousands separators only in groups of three. */
    size_t group = 0;
    int grouped = 0;
    int first_digit_zero = (p < end && *p == '0');
    while (p < end && (is_digit(*p) || *p == ',')) {
        if (*p == ',') {
            if (group == 0 || (grouped && group != 3) || (!grouped && group > 3) ||
                (!grouped && first_digit_zero))
                return AO_PARSE_INVALID;
            grouped = 1;
            group = 0;
            p++;
            continue;
        }
        if (n + 1 >= sizeof buf - 24)
            return AO_PARSE_INVALID;
        buf[n++] = *p++;
        group++;
        digits++;
    }
    if (grouped && group != 3)
        return AO_PARSE_INVALID;

    if (p < end && *p == '.') {
        p++;
        while (p < end && is_digit(*p)) {
            if (n + 1 >= sizeof buf - 24)
                return AO_PARSE_INVALID;
            buf[n++] = *p++;
            digits++;
            exponent--;
        }
    }
    if (digits == 0)
        return AO_PARSE_INVALID;

    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        int exponent_negative = 0;
        if (p < end && (*p == '+' || *p == '-'))
            exponent_negative = (*p++ == '-');
        if (p == end || !is_digit(*p))
            return AO_PARSE_INVALID;
        long written = 0;
        while (p < end && is_digit(*p)) {
            if (written < EXPONENT_CLAMP)
                written = written * 10 + (*p - '0');
            p++;
        }
        exponent += exponent_negative ? -written : written;
    }

    while (p < end && isspace((unsigned char)*p))
        p++;
    if (p < end && *p == '%') {
        /* "£12%" mixes money and a share: more likely a typing slip than meant. */
        if (pound)
            return AO_PARSE_INVALID;
        exponent -= 2;
        p++;
    }
    if (p != end)
        return AO_PARSE_INVALID;

    snprintf(buf + n, sizeof buf - n, "e%ld", exponent);
    errno = 0;
    char *stop = NULL;
    double value = strtod(buf, &stop);
    if (stop == buf || *stop != '\0')
        return AO_PARSE_INVALID;
    if (!isfinite(value))
        return AO_PARSE_RANGE;
    /* A result too small for a double rounds to zero, which is the figure meant. */
    *out = value + 0.0; /* + 0.0 turns -0 into 0, so "-0" never prints as "-0". */
    return AO_PARSE_OK;
}

/* Read up to max_digits decimal digits; returns the count read. */
static int read_digits(const char **p, const char *end, int max_digits, long *value)
{
    int count = 0;
    *value = 0;
    while (*p < end && is_digit(**p)) {
        if (count == max_digits)
            return max_digits + 1;
        *value = *value * 10 + (**p - '0');
        (*p)++;
        count++;
    }
    return count;
}

ao_parse_result ao_parse_year(const char *text, int *out)
{
    const char *p, *end;
    if (!trimmed(text, &p, &end))
        return AO_PARSE_EMPTY;

    long year;
    int count = read_digits(&p, end, 9, &year);
    if (count == 0 || count > 9)
        return count > 9 ? AO_PARSE_RANGE : AO_PARSE_INVALID;

    if (p < end && *p == '.') {
        /* A workbook stores 2025 as the number 2025, which may arrive as "2025.0". */
        p++;
        if (p == end)
            return AO_PARSE_INVALID;
        while (p < end && *p == '0')
            p++;
        if (p != end)
            return AO_PARSE_INVALID;
    } else if (p < end && (*p == '/' || *p == '-')) {
        p++;
        long second;
        int second_count = read_digits(&p, end, 4, &second);
        if (p != end || (second_count != 2 && second_count != 4))
            return AO_PARSE_INVALID;
        long expected = second_count == 2 ? (year + 1) % 100 : year + 1;
        if (second != expected)
            return AO_PARSE_INVALID;
    } else if (p != end) {
        return AO_PARSE_INVALID;
    }
    if (year < 1900 || year > 2999)
        return AO_PARSE_RANGE;
    *out = (int)year;
    return AO_PARSE_OK;
}

ao_parse_result ao_parse_bool(const char *text, int *out)
{
    static const char *const truthy[] = {"yes", "true", "1", "y", "1.0"};
    static const char *const falsy[] = {"no", "false", "0", "n", "0.0"};
    const char *p, *end;
    if (!trimmed(text, &p, &end))
        return AO_PARSE_EMPTY;
    for (size_t k = 0; k < sizeof truthy / sizeof truthy[0]; k++) {
        if (is_word(p, end, truthy[k])) {
            *out = 1;
            return AO_PARSE_OK;
        }
        if (is_word(p, end, falsy[k])) {
            *out = 0;
            return AO_PARSE_OK;
        }
    }
    return AO_PARSE_INVALID;
}

ao_parse_result ao_parse_int(const char *text, long *out)
{
    double value;
    ao_parse_result result = ao_parse_number(text, &value);
    if (result != AO_PARSE_OK)
        return result;
    if (value != floor(value))
        return AO_PARSE_INVALID;
    /* -(double)LONG_MIN is 2^63 exactly, whereas (double)LONG_MAX rounds up to it. */
    if (value < (double)LONG_MIN || value >= -(double)LONG_MIN)
        return AO_PARSE_RANGE;
    *out = (long)value;
    return AO_PARSE_OK;
}

void ao_format_year(int year, char out[16])
{
    /* The contract promises only 8 bytes of room: exactly "2025/26" and its NUL, so
     * only four-digit years fit (the model accepts 1900 to 2999). */
    if (year < 1000 || year > 9998) {
        snprintf(out, 8, "?");
        return;
    }
    snprintf(out, 8, "%d/%02d", year, (year + 1) % 100);
}
