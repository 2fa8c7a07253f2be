/* Unit tests for common/parse.c: numbers, years, booleans and integers as analysts type them. */
#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/parse.h"

static void expect_number(const char *text, double expected)
{
    double value = -12345.678;
    ao_parse_result result = ao_parse_number(text, &value);
    if (result != AO_PARSE_OK)
        fail_msg("'%s' was not read as a number (result %d)", text, (int)result);
    if (value != expected)
        fail_msg("'%s' read as %.17g, expected %.17g", text, value, expected);
}

static void expect_number_result(const char *text, ao_parse_result expected)
{
    double value = 42.0;
    ao_parse_result result = ao_parse_number(text, &value);
    if (result != expected)
        fail_msg("'%s' gave result %d, expected %d", text ? text : "(null)", (int)result,
                 (int)expected);
    /* A failed parse must leave the output alone. */
    assert_true(value == 42.0);
}

static void test_plain_numbers(void **state)
{
    (void)state;
    expect_number("1234.5", 1234.5);
    expect_number("-3", -3.0);
    expect_number("+7", 7.0);
    expect_number("0", 0.0);
    expect_number(".5", 0.5);
    expect_number("5.", 5.0);
    expect_number("007", 7.0);
    expect_number("  42  ", 42.0);
    expect_number("\t12.25\r\n", 12.25);
    expect_number("0.1", 0.1);
    expect_number("123456789012", 123456789012.0);
}

static void test_negative_zero_is_zero(void **state)
{
    (void)state;
    double value = 1.0;
    assert_int_equal(ao_parse_number("-0", &value), AO_PARSE_OK);
    assert_true(value == 0.0);
    assert_false(signbit(value));
}

static void test_thousands_separators(void **state)
{
    (void)state;
    expect_number("1,234.5", 1234.5);
    expect_number("1,234,567.5", 1234567.5);
    expect_number("12,345", 12345.0);
    expect_number("123,456,789", 123456789.0);
    expect_number("-1,000", -1000.0);
    expect_number_result("12,3x4", AO_PARSE_INVALID);
    expect_number_result("1,23", AO_PARSE_INVALID);
    expect_number_result("1,2345", AO_PARSE_INVALID);
    expect_number_result("1,23,456", AO_PARSE_INVALID);
    expect_number_result("1,2345,678", AO_PARSE_INVALID);
    expect_number_result("1234,567", AO_PARSE_INVALID);
    expect_number_result(",123", AO_PARSE_INVALID);
    expect_number_result("1,,234", AO_PARSE_INVALID);
    expect_number_result("1,234,", AO_PARSE_INVALID);
    expect_number_result("1.234,5", AO_PARSE_INVALID);
    /* A decimal comma, as written in much of Europe, must not become a thousands separator. */
    expect_number_result("0,125", AO_PARSE_INVALID);
    expect_number_result("0,5", AO_PARSE_INVALID);
}

static void test_pound_sign(void **state)
{
    (void)state;
    expect_number("\xC2\xA3"
                  "1,234.5",
                  1234.5);
    expect_number("-\xC2\xA3"
                  "5",
                  -5.0);
    expect_number("\xC2\xA3-5", -5.0);
    expect_number("+\xC2\xA3"
                  "5",
                  5.0);
    expect_number(" \xC2\xA3"
                  "12 ",
                  12.0);
    expect_number_result("\xC2\xA3", AO_PARSE_INVALID);
    expect_number_result("\xC2\xA3\xC2\xA3"
                         "5",
                         AO_PARSE_INVALID);
    expect_number_result("-\xC2\xA3-5", AO_PARSE_INVALID);
    expect_number_result("5\xC2\xA3", AO_PARSE_INVALID);
    expect_number_result("\xC2\xA3"
                         "5%",
                         AO_PARSE_INVALID);
    /* A lone 0xA3 byte is the Windows encoding of the pound sign, not UTF-8. */
    expect_number_result("\xA3"
                         "5",
                         AO_PARSE_INVALID);
}

static void test_percent(void **state)
{
    (void)state;
    expect_number("12.5%", 0.125);
    expect_number("100%", 1.0);
    expect_number("0%", 0.0);
    expect_number("-5%", -0.05);
    expect_number("7 %", 0.07);
    /* The same double as the literal: no second rounding from dividing by 100. */
    expect_number("12.3%", 0.123);
    expect_number("33.3%", 0.333);
    expect_number("1e2%", 1.0);
    expect_number_result("%", AO_PARSE_INVALID);
    expect_number_result("5%%", AO_PARSE_INVALID);
    expect_number_result("%5", AO_PARSE_INVALID);
}

static void test_exponents(void **state)
{
    (void)state;
    expect_number("1e6", 1e6);
    expect_number("2.5E-3", 2.5e-3);
    expect_number("-1.5e+2", -150.0);
    expect_number("1e-400", 0.0);
    expect_number("0e999999999", 0.0);
    expect_number_result("1e", AO_PARSE_INVALID);
    expect_number_result("1e+", AO_PARSE_INVALID);
    expect_number_result("e5", AO_PARSE_INVALID);
    expect_number_result("1e5.5", AO_PARSE_INVALID);
}

static void test_rejected_numbers(void **state)
{
    (void)state;
    expect_number_result("abc", AO_PARSE_INVALID);
    expect_number_result("12abc", AO_PARSE_INVALID);
    expect_number_result("12 34", AO_PARSE_INVALID);
    expect_number_result("0x1A", AO_PARSE_INVALID);
    expect_number_result("0X10", AO_PARSE_INVALID);
    expect_number_result("-", AO_PARSE_INVALID);
    expect_number_result("+", AO_PARSE_INVALID);
    expect_number_result(".", AO_PARSE_INVALID);
    expect_number_result("--5", AO_PARSE_INVALID);
    expect_number_result("+-5", AO_PARSE_INVALID);
    expect_number_result("1.2.3", AO_PARSE_INVALID);
    expect_number_result("(5)", AO_PARSE_INVALID);
    expect_number_result("5-", AO_PARSE_INVALID);
    expect_number_result("nan", AO_PARSE_RANGE);
    expect_number_result("NaN", AO_PARSE_RANGE);
    expect_number_result("inf", AO_PARSE_RANGE);
    expect_number_result("-Infinity", AO_PARSE_RANGE);
    expect_number_result("nanx", AO_PARSE_INVALID);
    expect_number_result("1e400", AO_PARSE_RANGE);
    expect_number_result("-1e309", AO_PARSE_RANGE);
    expect_number_result("1e99999999999999999999", AO_PARSE_RANGE);
}

static void test_empty_numbers(void **state)
{
    (void)state;
    expect_number_result(NULL, AO_PARSE_EMPTY);
    expect_number_result("", AO_PARSE_EMPTY);
    expect_number_result("   ", AO_PARSE_EMPTY);
    expect_number_result("\xC2\xA0", AO_PARSE_EMPTY);
    expect_number("\xC2\xA0"
                  "12\xC2\xA0",
                  12.0);
}

static void test_long_input_is_invalid_not_a_crash(void **state)
{
    (void)state;
    char text[4096];
    memset(text, '9', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    expect_number_result(text, AO_PARSE_INVALID);
    /* The same with separators and a fraction, to pass through every branch. */
    char grouped[4096];
    size_t n = 0;
    grouped[n++] = '1';
    while (n + 5 < sizeof grouped) {
        memcpy(grouped + n, ",000", 4);
        n += 4;
    }
    grouped[n] = '\0';
    expect_number_result(grouped, AO_PARSE_INVALID);
    memset(text, '1', sizeof text - 1);
    text[1] = '.';
    expect_number_result(text, AO_PARSE_INVALID);
}

static void test_numbers_ignore_the_locale(void **state)
{
    (void)state;
    /* In a locale whose decimal point is a comma, "1.5" must still be one and a half. */
    const char *candidates[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "C.UTF-8"};
    const char *set = NULL;
    for (size_t k = 0; k < sizeof candidates / sizeof candidates[0] && set == NULL; k++)
        set = setlocale(LC_NUMERIC, candidates[k]);
    expect_number("1.5", 1.5);
    expect_number("1,234.5", 1234.5);
    expect_number("12.5%", 0.125);
    setlocale(LC_NUMERIC, "C");
}

static void expect_year(const char *text, int expected)
{
    int year = -1;
    ao_parse_result result = ao_parse_year(text, &year);
    if (result != AO_PARSE_OK)
        fail_msg("'%s' was not read as a year (result %d)", text, (int)result);
    if (year != expected)
        fail_msg("'%s' read as %d, expected %d", text, year, expected);
}

static void expect_year_result(const char *text, ao_parse_result expected)
{
    int year = -7;
    ao_parse_result result = ao_parse_year(text, &year);
    if (result != expected)
        fail_msg("'%s' gave result %d, expected %d", text ? text : "(null)", (int)result,
                 (int)expected);
    assert_int_equal(year, -7);
}

static void test_years(void **state)
{
    (void)state;
    expect_year("2025", 2025);
    expect_year(" 2025 ", 2025);
    expect_year("2025/26", 2025);
    expect_year("2025-26", 2025);
    expect_year("2025/2026", 2025);
    expect_year("2025-2026", 2025);
    expect_year("2025.0", 2025);
    expect_year("2025.00", 2025);
    expect_year("2099/00", 2099);
    expect_year("1999/2000", 1999);
    expect_year("1900", 1900);
    expect_year("2999", 2999);
}

static void test_bad_years(void **state)
{
    (void)state;
    expect_year_result(NULL, AO_PARSE_EMPTY);
    expect_year_result("  ", AO_PARSE_EMPTY);
    expect_year_result("2025/27", AO_PARSE_INVALID);
    expect_year_result("2025/25", AO_PARSE_INVALID);
    expect_year_result("2025/2027", AO_PARSE_INVALID);
    expect_year_result("2025/6", AO_PARSE_INVALID);
    expect_year_result("2025/026", AO_PARSE_INVALID);
    expect_year_result("2025/", AO_PARSE_INVALID);
    expect_year_result("2025.5", AO_PARSE_INVALID);
    expect_year_result("2025.", AO_PARSE_INVALID);
    expect_year_result("FY2025", AO_PARSE_INVALID);
    expect_year_result("2025x", AO_PARSE_INVALID);
    expect_year_result("-2025", AO_PARSE_INVALID);
    expect_year_result("twenty", AO_PARSE_INVALID);
    expect_year_result("1899", AO_PARSE_RANGE);
    expect_year_result("3000", AO_PARSE_RANGE);
    expect_year_result("25", AO_PARSE_RANGE);
    expect_year_result("12345678901234", AO_PARSE_RANGE);
}

static void test_format_year(void **state)
{
    (void)state;
    /* Found by fuzzing: INT_MAX overflowed the following year. */
    char extreme[16];
    ao_format_year(INT_MAX, extreme);
    assert_string_equal(extreme, "?");
    ao_format_year(INT_MIN, extreme);
    assert_string_equal(extreme, "?");
    char out[16];
    ao_format_year(2025, out);
    assert_string_equal(out, "2025/26");
    ao_format_year(2099, out);
    assert_string_equal(out, "2099/00");
    ao_format_year(1999, out);
    assert_string_equal(out, "1999/00");
    ao_format_year(2009, out);
    assert_string_equal(out, "2009/10");
    /* What ao_format_year writes, ao_parse_year reads back. */
    for (int year = 1900; year <= 2999; year++) {
        int back = 0;
        ao_format_year(year, out);
        assert_int_equal(ao_parse_year(out, &back), AO_PARSE_OK);
        assert_int_equal(back, year);
    }
}

static void test_booleans(void **state)
{
    (void)state;
    const char *truthy[] = {"yes", "YES", "Yes", "true", "TRUE", "1", "y", "Y", " yes "};
    const char *falsy[] = {"no", "No", "false", "False", "0", "n", "N", "\tno\t"};
    for (size_t k = 0; k < sizeof truthy / sizeof truthy[0]; k++) {
        int value = -1;
        assert_int_equal(ao_parse_bool(truthy[k], &value), AO_PARSE_OK);
        assert_int_equal(value, 1);
    }
    for (size_t k = 0; k < sizeof falsy / sizeof falsy[0]; k++) {
        int value = -1;
        assert_int_equal(ao_parse_bool(falsy[k], &value), AO_PARSE_OK);
        assert_int_equal(value, 0);
    }
    int value = -1;
    assert_int_equal(ao_parse_bool(NULL, &value), AO_PARSE_EMPTY);
    assert_int_equal(ao_parse_bool("", &value), AO_PARSE_EMPTY);
    assert_int_equal(ao_parse_bool("maybe", &value), AO_PARSE_INVALID);
    assert_int_equal(ao_parse_bool("yess", &value), AO_PARSE_INVALID);
    assert_int_equal(ao_parse_bool("2", &value), AO_PARSE_INVALID);
    assert_int_equal(ao_parse_bool("ye", &value), AO_PARSE_INVALID);
    assert_int_equal(value, -1);
}

static void test_integers(void **state)
{
    (void)state;
    long value = -1;
    assert_int_equal(ao_parse_int("42", &value), AO_PARSE_OK);
    assert_int_equal(value, 42);
    assert_int_equal(ao_parse_int("1,000", &value), AO_PARSE_OK);
    assert_int_equal(value, 1000);
    assert_int_equal(ao_parse_int("-7", &value), AO_PARSE_OK);
    assert_int_equal(value, -7);
    assert_int_equal(ao_parse_int("3.0", &value), AO_PARSE_OK);
    assert_int_equal(value, 3);
    assert_int_equal(ao_parse_int("1e3", &value), AO_PARSE_OK);
    assert_int_equal(value, 1000);
    assert_int_equal(ao_parse_int("200%", &value), AO_PARSE_OK);
    assert_int_equal(value, 2);
    value = -1;
    assert_int_equal(ao_parse_int("2.5", &value), AO_PARSE_INVALID);
    assert_int_equal(ao_parse_int("12.5%", &value), AO_PARSE_INVALID);
    assert_int_equal(ao_parse_int("x", &value), AO_PARSE_INVALID);
    assert_int_equal(ao_parse_int("", &value), AO_PARSE_EMPTY);
    assert_int_equal(ao_parse_int("1e19", &value), AO_PARSE_RANGE);
    assert_int_equal(ao_parse_int("-1e19", &value), AO_PARSE_RANGE);
    assert_int_equal(ao_parse_int("inf", &value), AO_PARSE_RANGE);
    assert_int_equal(value, -1);
}

static void test_name_distance(void **state)
{
    (void)state;
    assert_int_equal(ao_name_distance("revnue_up", "revenue_up"), 1);
    assert_int_equal(ao_name_distance("Revenue Up", "revenue_up"), 0);
    assert_int_equal(ao_name_distance("demnad", "demand"), 1);
    assert_int_equal(ao_name_distance("budgets", "icbs"), 6);
    assert_int_equal(ao_name_distance("", "icbs"), -1);
    assert_int_equal(ao_name_distance("--", "icbs"), -1);
    assert_true(ao_name_close("budgets 2026-29", "budgets"));
    assert_true(ao_name_close("Budget", "budgets"));
    assert_true(ao_name_close("servcies", "services"));
    assert_true(ao_name_close("demand_", "demand"));
    assert_false(ao_name_close("notes", "budgets"));
    assert_false(ao_name_close("capacity", "icbs"));
    assert_false(ao_name_close("", "budgets"));
}

static void test_scaled_numbers(void **state)
{
    (void)state;
    double value = -1;
    char text[64];
    assert_int_equal(ao_parse_scaled_number("£114.6m", &value), AO_PARSE_OK);
    assert_true(value == 114600000.0);
    assert_int_equal(ao_parse_scaled_number(" 2.5K ", &value), AO_PARSE_OK);
    assert_true(value == 2500.0);
    assert_int_equal(ao_parse_scaled_number("1.2bn", &value), AO_PARSE_OK);
    assert_true(value == 1.2e9);
    assert_int_equal(ao_parse_scaled_number("-£3 million", &value), AO_PARSE_OK);
    assert_true(value == -3e6);
    /* Not figures with a multiplier: the message stays "is not a number". */
    assert_int_equal(ao_parse_scaled_number("114.6", &value), AO_PARSE_INVALID);
    assert_int_equal(ao_parse_scaled_number("m", &value), AO_PARSE_INVALID);
    assert_int_equal(ao_parse_scaled_number("12%m", &value), AO_PARSE_INVALID);
    assert_int_equal(ao_parse_scaled_number("1e3m", &value), AO_PARSE_INVALID);
    assert_int_equal(ao_parse_scaled_number("12 apples", &value), AO_PARSE_INVALID);
    assert_int_equal(ao_parse_scaled_number("", &value), AO_PARSE_EMPTY);
    /* The choice stands: a figure is read as typed, never scaled by a letter. */
    assert_int_equal(ao_parse_number("£114.6m", &value), AO_PARSE_INVALID);
    ao_format_grouped(114600000.0, text);
    assert_string_equal(text, "114,600,000");
    ao_format_grouped(1234.5, text);
    assert_string_equal(text, "1,234.50");
    ao_format_grouped(-999.0, text);
    assert_string_equal(text, "-999");
    ao_format_grouped(1000.0, text);
    assert_string_equal(text, "1,000");
}

static void test_dates_in_year_cells(void **state)
{
    (void)state;
    char date[16];
    assert_int_equal(ao_date_in_year_cell("45658", date), 2025);
    assert_string_equal(date, "2025-01-01");
    assert_int_equal(ao_date_in_year_cell("45748.0", date), 2025);
    assert_string_equal(date, "2025-04-01");
    assert_int_equal(ao_date_in_year_cell("2026-04-01T00:00:00", date), 2026);
    assert_string_equal(date, "2026-04-01");
    assert_int_equal(ao_date_in_year_cell("01/04/2025", date), 2025);
    assert_string_equal(date, "2025-04-01");
    /* Years, and what is neither a year nor a date. */
    assert_int_equal(ao_date_in_year_cell("2025", date), 0);
    assert_int_equal(ao_date_in_year_cell("2025/26", date), 0);
    assert_int_equal(ao_date_in_year_cell("FY26", date), 0);
    assert_int_equal(ao_date_in_year_cell("20", date), 0);
    assert_int_equal(ao_date_in_year_cell("45,658", date), 0);
    assert_int_equal(ao_date_in_year_cell("1e300", date), 0);
    assert_int_equal(ao_date_in_year_cell(NULL, date), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_numbers),
        cmocka_unit_test(test_negative_zero_is_zero),
        cmocka_unit_test(test_thousands_separators),
        cmocka_unit_test(test_pound_sign),
        cmocka_unit_test(test_percent),
        cmocka_unit_test(test_exponents),
        cmocka_unit_test(test_rejected_numbers),
        cmocka_unit_test(test_empty_numbers),
        cmocka_unit_test(test_long_input_is_invalid_not_a_crash),
        cmocka_unit_test(test_numbers_ignore_the_locale),
        cmocka_unit_test(test_years),
        cmocka_unit_test(test_bad_years),
        cmocka_unit_test(test_format_year),
        cmocka_unit_test(test_booleans),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_name_distance),
        cmocka_unit_test(test_scaled_numbers),
        cmocka_unit_test(test_dates_in_year_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
