/**
 * @file common/diag.h
 * @brief Input diagnostics: problems found in the input, with their place.
 *
 * Readers and validation collect every problem they find instead of stopping
 * at the first one, so that `allocopt validate` can list them all. Each entry
 * names the file, table, row and column at fault and carries a sentence a
 * finance analyst understands.
 */
#ifndef AO_COMMON_DIAG_H
#define AO_COMMON_DIAG_H

#include <stdarg.h>
#include <stddef.h>

#include "common/error.h"

/** How serious a diagnostic is. */
typedef enum ao_severity {
    AO_DIAG_ERROR = 0, ///< The input cannot be used until this is fixed.
    AO_DIAG_WARNING    ///< Worth a look; the input is still used.
} ao_severity;

/** Where a problem is. Every member may be NULL or 0 when it does not apply. */
typedef struct ao_loc {
    const char *file;   ///< File as the user named it ("in/budgets.csv", "book.xlsx").
    const char *table;  ///< Table (sheet) name, e.g. "budgets".
    long row;           ///< Row in the file or sheet, header row = 1; 0 for none.
    const char *column; ///< Column header, e.g. "revenue".
    const char *cell;   ///< Spreadsheet cell reference, e.g. "C14" (workbooks only).
} ao_loc;

/** One problem found in the input. Strings are owned by the list. */
typedef struct ao_diag {
    ao_severity severity; ///< Error or warning.
    char *file;           ///< See ao_loc; NULL when not known.
    char *table;          ///< See ao_loc.
    long row;             ///< See ao_loc.
    char *column;         ///< See ao_loc.
    char *cell;           ///< See ao_loc.
    char *message;        ///< The sentence, without the location.
} ao_diag;

/** A growing list of diagnostics. Zero-initialise or call ao_diags_init(). */
typedef struct ao_diags {
    ao_diag *items;       ///< The entries, in the order found.
    size_t count;         ///< Number of entries.
    size_t capacity;      ///< Allocated entries.
    size_t n_errors;      ///< Entries with severity AO_DIAG_ERROR.
    size_t n_warnings;    ///< Entries with severity AO_DIAG_WARNING.
    size_t limit;         ///< Stop recording after this many entries (0 = default); warnings
                          ///< stop at half of it, so that errors always find room.
    size_t dropped;       ///< Entries not recorded because of the limit.
    size_t warnings_kept; ///< Warnings recorded.
} ao_diags;

/** Default cap on recorded diagnostics, so a garbage file cannot flood memory. */
#define AO_DIAGS_DEFAULT_LIMIT 1000

/** @brief Initialise an empty list. */
void ao_diags_init(ao_diags *diags);

/** @brief Free every entry; the list is left empty and reusable. Accepts NULL. */
void ao_diags_free(ao_diags *diags);

/**
 * @brief Record a problem.
 * @param[in,out] diags The list.
 * @param[in] severity Error or warning.
 * @param[in] loc Where the problem is (may be NULL).
 * @param[in] fmt printf-style sentence.
 * @return AO_NO_ERROR, or AO_ERROR_MEMORY_MALLOC_FAILED.
 */
ao_error ao_diags_add(ao_diags *diags, ao_severity severity, const ao_loc *loc, const char *fmt,
                      ...) __attribute__((format(printf, 4, 5)));

/** @brief ao_diags_add() with the sentence's arguments in a va_list (for a function that
 * takes a printf-style sentence of its own). */
ao_error ao_diags_addv(ao_diags *diags, ao_severity severity, const ao_loc *loc, const char *fmt,
                       va_list args) __attribute__((format(printf, 4, 0)));

/**
 * @brief Copy the entries of one list into another.
 * @param[in] errors_only 1 to copy only errors.
 * @return AO_NO_ERROR or AO_ERROR_MEMORY_MALLOC_FAILED.
 */
ao_error ao_diags_copy(ao_diags *to, const ao_diags *from, int errors_only);

/**
 * @brief Format one diagnostic as a line for the terminal.
 *
 * "error: in/budgets.csv, table budgets, row 14, column revenue: '12,3x4' is not a number."
 *
 * @return A newly allocated string (caller frees), or NULL if out of memory.
 */
char *ao_diag_format(const ao_diag *diag);

#endif /* AO_COMMON_DIAG_H */
