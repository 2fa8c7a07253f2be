/**
 * @file common/parse.h
 * @brief Parsing of cell text as typed by finance analysts: numbers, years, booleans.
 */
#ifndef AO_COMMON_PARSE_H
#define AO_COMMON_PARSE_H

/** Outcome of parsing one cell. */
typedef enum ao_parse_result {
    AO_PARSE_OK = 0,  ///< Parsed; the output is set.
    AO_PARSE_EMPTY,   ///< The text is NULL or blank; the output is untouched.
    AO_PARSE_INVALID, ///< Not a value of the wanted kind.
    AO_PARSE_RANGE    ///< A value, but not finite or out of the representable range.
} ao_parse_result;

/**
 * @brief Parse a number: `1234.5`, `-3`, `1,234.5`, `£1,234.5`, `-£5`, `12.5%` (= 0.125),
 * `1e6`, surrounding spaces allowed. Thousands separators must group three digits.
 * `nan`, `inf` and values that overflow a double are AO_PARSE_RANGE.
 */
ao_parse_result ao_parse_number(const char *text, double *out);

/**
 * @brief Parse a financial year: `2025`, `2025/26`, `2025-26`, `2025/2026`, `2025.0`
 * (as a workbook stores a number). The second part must be the following year.
 * Years outside 1900..2999 are AO_PARSE_RANGE.
 */
ao_parse_result ao_parse_year(const char *text, int *out);

/** @brief Parse a boolean: yes/no, true/false, 1/0, y/n (any case). */
ao_parse_result ao_parse_bool(const char *text, int *out);

/** @brief Parse a whole number (as a number with no fractional part). */
ao_parse_result ao_parse_int(const char *text, long *out);

/** @brief Format a financial year as `2025/26` into out (at least 8 bytes). */
void ao_format_year(int year, char out[16]);

#endif /* AO_COMMON_PARSE_H */
