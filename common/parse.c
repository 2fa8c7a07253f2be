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

/* Longest name compared letter by letter; longer names are only compared whole. */
#define NAME_COMPARE_MAX 64

/* A name's letters and digits, lower-case, at most NAME_COMPARE_MAX of them; returns the
 * count, or NAME_COMPARE_MAX + 1 when the name has more. */
static size_t name_letters(const char *name, char out[NAME_COMPARE_MAX + 1])
{
    size_t n = 0;
    for (const char *p = name; *p; p++) {
        if (!isalnum((unsigned char)*p))
            continue;
        if (n == NAME_COMPARE_MAX)
            return NAME_COMPARE_MAX + 1;
        out[n++] = (char)tolower((unsigned char)*p);
    }
    out[n] = '\0';
    return n;
}

int ao_name_distance(const char *typed, const char *name)
{
    if (typed == NULL || name == NULL)
        return -1;
    char a[NAME_COMPARE_MAX + 1], b[NAME_COMPARE_MAX + 1];
    size_t na = name_letters(typed, a), nb = name_letters(name, b);
    if (na > NAME_COMPARE_MAX || nb > NAME_COMPARE_MAX || na == 0 || nb == 0)
        return -1;
    /* Levenshtein distance, one row at a time, with adjacent swaps counted as one edit. */
    int rows[3][NAME_COMPARE_MAX + 1];
    int *before = rows[0], *previous = rows[1], *current = rows[2];
    for (size_t j = 0; j <= nb; j++)
        previous[j] = (int)j;
    for (size_t i = 1; i <= na; i++) {
        current[0] = (int)i;
        for (size_t j = 1; j <= nb; j++) {
            int best = previous[j - 1] + (a[i - 1] != b[j - 1]);
            if (previous[j] + 1 < best)
                best = previous[j] + 1;
            if (current[j - 1] + 1 < best)
                best = current[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                before[j - 2] + 1 < best)
                best = before[j - 2] + 1;
            current[j] = best;
        }
        int *spare = before;
        before = previous;
        previous = current;
        current = spare;
    }
    return previous[nb];
}

int ao_name_close(const char *typed, const char *name)
{
    char a[NAME_COMPARE_MAX + 1], b[NAME_COMPARE_MAX + 1];
    if (typed == NULL || name == NULL)
        return 0;
    size_t na = name_letters(typed, a), nb = name_letters(name, b);
    if (na == 0 || nb == 0 || nb > NAME_COMPARE_MAX)
        return 0;
    /* "Budgets 2026-29" holds "budgets"; a name cut short ("budg") holds less. */
    if (na <= NAME_COMPARE_MAX && (strstr(a, b) != NULL || (na >= 4 && strstr(b, a) != NULL)))
        return 1;
    int distance = ao_name_distance(typed, name);
    return distance >= 0 && distance <= (nb <= 4 ? 1 : nb <= 8 ? 2 : 3);
}

/* Words and letters analysts put after a figure for thousands, millions and billions. */
static const struct {
    const char *word;
    int exponent;
} MULTIPLIERS[] = {{"thousand", 3}, {"k", 3},  {"million", 6},  {"millions", 6}, {"mn", 6},
                   {"mil", 6},      {"m", 6},  {"billion", 9},  {"billions", 9}, {"bn", 9}};

ao_parse_result ao_parse_scaled_number(const char *text, double *out)
{
    if (text == NULL)
        return AO_PARSE_EMPTY;
    const char *p, *end;
    trim(text, &p, &end);
    if (p == end)
        return AO_PARSE_EMPTY;
    const char *word = end;
    while (word > p && isalpha((unsigned char)word[-1]))
        word--;
    size_t length = (size_t)(end - word);
    int exponent = -1;
    for (size_t k = 0; k < sizeof MULTIPLIERS / sizeof MULTIPLIERS[0]; k++)
        if (strlen(MULTIPLIERS[k].word) == length && is_word(word, end, MULTIPLIERS[k].word))
            exponent = MULTIPLIERS[k].exponent;
    /* The figure before the word: digits, not another word ("1e6m"), not a share. */
    const char *figure_end = word;
    while (figure_end > p && isspace((unsigned char)figure_end[-1]))
        figure_end--;
    if (exponent < 0 || figure_end == p || !is_digit(figure_end[-1]) ||
        memchr(p, '%', (size_t)(figure_end - p)) != NULL ||
        memchr(p, 'e', (size_t)(figure_end - p)) != NULL ||
        memchr(p, 'E', (size_t)(figure_end - p)) != NULL)
        return AO_PARSE_INVALID;
    /* "114.6" and "e6" make "114.6e6": the exact decimal, as ao_parse_number reads it. */
    char buf[NUMBER_BUFFER_SIZE];
    if ((size_t)(figure_end - p) + 8 > sizeof buf)
        return AO_PARSE_INVALID;
    snprintf(buf, sizeof buf, "%.*se%d", (int)(figure_end - p), p, exponent);
    return ao_parse_number(buf, out);
}

void ao_format_grouped(double value, char out[64])
{
    /* Whole pounds, or pounds and pence when there are pence. */
    double rounded = round(value * 100.0) / 100.0;
    if (!isfinite(rounded) || fabs(rounded) >= 1e15) {
        snprintf(out, 64, "%.15g", value);
        return;
    }
    int negative = rounded < 0;
    double magnitude = fabs(rounded);
    long long whole = (long long)floor(magnitude);
    int pence = (int)llround((magnitude - (double)whole) * 100.0);
    if (pence == 100) {
        whole++;
        pence = 0;
    }
    char digits[32];
    snprintf(digits, sizeof digits, "%lld", whole);
    size_t n = strlen(digits), o = 0;
    if (negative)
        out[o++] = '-';
    for (size_t k = 0; k < n; k++) {
        if (k > 0 && (n - k) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[k];
    }
    if (pence != 0)
        snprintf(out + o, 64 - o, ".%02d", pence);
    else
        out[o] = '\0';
}

/* The civil date of a count of days from 1970-01-01 (proleptic Gregorian calendar). */
static void civil_from_days(long days, int *year, int *month, int *day)
{
    days += 719468;
    long era = (days >= 0 ? days : days - 146096) / 146097;
    long doe = days - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(yoe + era * 400 + (*month <= 2));
}

int ao_date_in_year_cell(const char *text, char out[16])
{
    if (text == NULL)
        return 0;
    const char *p, *end;
    trim(text, &p, &end);
    size_t n = (size_t)(end - p);
    int year = 0, month = 0, day = 0;
    /* 2025-01-01, as a workbook stores a date cell (t="d"), with or without a time. */
    if (n >= 10 && is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3]) &&
        p[4] == '-' && is_digit(p[5]) && is_digit(p[6]) && p[7] == '-' && is_digit(p[8]) &&
        is_digit(p[9]) && (n == 10 || p[10] == 'T' || p[10] == ' ')) {
        year = atoi(p);
        month = atoi(p + 5);
        day = atoi(p + 8);
    } else if (n >= 8 && n <= 10) {
        /* 01/04/2025: a date typed the British way. */
        char buf[12];
        memcpy(buf, p, n);
        buf[n] = '\0';
        char tail;
        if (sscanf(buf, "%2d/%2d/%4d%c", &day, &month, &year, &tail) != 3 || year < 1900)
            year = 0;
    }
    if (year == 0) {
        /* A date serial: days counted by Excel from 1900 (45658 is 1 January 2025). A
         * figure from 1900 to 2999 is a year, not a date. */
        double serial;
        if (ao_parse_number(text, &serial) != AO_PARSE_OK || serial < 3000 || serial >= 2958466 ||
            memchr(p, ',', n) != NULL || memchr(p, '%', n) != NULL)
            return 0;
        /* Excel counts 29 February 1900, which never was: from serial 61 on, day 0 is
         * 30 December 1899. */
        civil_from_days((long)floor(serial) - 25569, &year, &month, &day);
    }
    if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1900 || year > 9999)
        return 0;
    snprintf(out, 16, "%04d-%02d-%02d", year, month, day);
    return year;
}
