/*
 * libFuzzer harness for cell parsing: the input bytes, as a NUL-terminated
 * string, go through every parser, whose promises are checked: a number parsed
 * is finite and never -0, a year is in 1900..2999 and formats back to text that
 * parses as the same year, an integer is whole, a boolean is 0 or 1.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "common/parse.h"

/* Inputs longer than any cell a person types add nothing but time. */
#define MAX_TEXT 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_TEXT)
        return 0;
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    double number = 12345.0;
    ao_parse_result result = ao_parse_number(text, &number);
    FUZZ_CHECK(result >= AO_PARSE_OK && result <= AO_PARSE_RANGE);
    if (result == AO_PARSE_OK)
        FUZZ_CHECK(isfinite(number) && !(number == 0 && signbit(number)));
    else
        FUZZ_CHECK(number == 12345.0); /* untouched */

    int year = -1;
    result = ao_parse_year(text, &year);
    if (result == AO_PARSE_OK) {
        FUZZ_CHECK(year >= 1900 && year <= 2999);
        char label[16];
        ao_format_year(year, label);
        int again = -1;
        FUZZ_CHECK(ao_parse_year(label, &again) == AO_PARSE_OK && again == year);
    } else {
        FUZZ_CHECK(year == -1);
    }

    int flag = -1;
    result = ao_parse_bool(text, &flag);
    FUZZ_CHECK(result != AO_PARSE_OK || flag == 0 || flag == 1);

    long whole = -7;
    result = ao_parse_int(text, &whole);
    if (result == AO_PARSE_OK) {
        double as_number;
        FUZZ_CHECK(ao_parse_number(text, &as_number) == AO_PARSE_OK);
        FUZZ_CHECK((double)whole == as_number);
    }

    /* Any int formats without overflowing the 8 bytes promised, INT_MAX included
     * (fuzz/regressions/fuzz_parse/format-year-int-max). */
    if (size >= sizeof(int)) {
        int any;
        memcpy(&any, data, sizeof any);
        char label[16];
        memset(label, 'x', sizeof label);
        ao_format_year(any, label);
        FUZZ_CHECK(memchr(label, '\0', 8) != NULL);
    }
    free(text);
    return 0;
}
