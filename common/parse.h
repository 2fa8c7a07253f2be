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

/**
 * @brief Whether a cell meant to hold a year holds a date instead: an Excel date serial
 * (45658, a year cell formatted as a date, is 1 January 2025), a workbook's date cell
 * (2025-01-01T00:00:00) or a date typed as 01/04/2025. Returns the date's calendar year
 * and writes the date as 2025-01-01 into out, or returns 0.
 */
int ao_date_in_year_cell(const char *text, char out[16]);

/** @brief Parse a boolean: yes/no, true/false, 1/0, y/n (any case). */
ao_parse_result ao_parse_bool(const char *text, int *out);

/** @brief Parse a whole number (as a number with no fractional part). */
ao_parse_result ao_parse_int(const char *text, long *out);

/** @brief Format a financial year as `2025/26` into out (at least 8 bytes). */
void ao_format_year(int year, char out[16]);

/**
 * @brief Read a figure written with a word for thousands, millions or billions:
 * `£114.6m`, `2.5k`, `1.2bn`, `3 million`. ao_parse_number() refuses these (a cell's
 * figure is the figure as typed, never scaled by a letter); this gives the value meant,
 * so that a message can say how to write it. AO_PARSE_INVALID for anything else.
 */
ao_parse_result ao_parse_scaled_number(const char *text, double *out);

/** @brief Format a figure with thousands separators: `114,600,000`, `1,234.50` (pence
 * shown only when there are some), into out. */
void ao_format_grouped(double value, char out[64]);

/**
 * @brief How many edits (a letter added, removed, changed, or two neighbours swapped)
 * turn one name into another, comparing letters and digits only, ignoring case:
 * `revnue_up` is 1 from `revenue_up`. -1 when either name is empty of letters or
 * longer than 64 letters.
 */
int ao_name_distance(const char *typed, const char *name);

/**
 * @brief Whether a name as typed is probably meant to be name: one holds the other
 * (ignoring case, spaces and punctuation: `Budgets 2026-29` holds `budgets`), or they
 * are a few edits apart (ao_name_distance(): 1 for names of up to 4 letters, 2 up to
 * 8, 3 beyond).
 */
int ao_name_close(const char *typed, const char *name);

#endif /* AO_COMMON_PARSE_H */
