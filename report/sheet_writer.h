/**
 * @file report/sheet_writer.h
 * @brief What every workbook writer shares: a workbook written whole or not at all,
 * libxlsxwriter's errors in allocopt's terms (the first one kept), the documents' fixed
 * creation time (so the same input gives the same bytes) and text widths.
 */
#ifndef AO_REPORT_SHEET_WRITER_H
#define AO_REPORT_SHEET_WRITER_H

#include <time.h>
#include <xlsxwriter.h>

#include "common/error.h"

/**
 * @brief Map a libxlsxwriter error: memory → AO_ERROR_MEMORY_MALLOC_FAILED, the file
 * or its temporary files → AO_ERROR_FILE_WRITE, anything else → AO_ERROR_WORKBOOK.
 */
ao_error ao_from_lxw_error(lxw_error error);

/**
 * @brief Keep the first error of a series of writes: when *first holds no error yet,
 * store error in allocopt's terms. A writer skips its later writes once *first is set.
 */
void ao_sheet_note(ao_error *first, lxw_error error);

/** @brief Characters of UTF-8 text (continuation bytes do not count), for column widths. */
double ao_sheet_text_chars(const char *text);

/** Creation time written when SOURCE_DATE_EPOCH gives none: 1 April 2025, 00:00 UTC. */
#define AO_WORKBOOK_FIXED_CREATED ((time_t)1743465600)

/** Latest creation time taken from SOURCE_DATE_EPOCH: 9999-12-31 23:59:59 UTC. */
#define AO_WORKBOOK_LAST_CREATED 253402300799LL

/**
 * @brief The creation time to write in a workbook's properties: SOURCE_DATE_EPOCH when
 * it holds a usable number of seconds, else AO_WORKBOOK_FIXED_CREATED; never the clock.
 */
time_t ao_workbook_created(void);

/**
 * A workbook on its way to its target: written to a temporary file in the same folder
 * (report/atomic_file.h) and moved over the target only when complete.
 *
 * The steps: ao_book_output_open(), fill book, ao_book_output_close(),
 * ao_book_output_commit(); ao_book_output_discard() after any of them, in the
 * writer's cleanup, closes what is still open and removes what was not committed.
 */
typedef struct ao_book_output {
    lxw_workbook *book; ///< The workbook to fill; NULL once closed.
    char *temp;         ///< The temporary file (owned).
    int created;        ///< 1 while the temporary file is on disk and not committed.
} ao_book_output;

/**
 * @brief Create the temporary file beside path now, so that a folder that does not take
 * the file is found before any sheet is written (libxlsxwriter only opens it when it
 * closes), and start a workbook on it.
 * @param[out] out The workbook output; release it with ao_book_output_discard() whatever
 * this returns.
 * @param[in] path Target .xlsx path.
 * @param[in] constant_memory 1 for libxlsxwriter's constant_memory mode (rows written in
 * order, no Excel tables).
 * @return AO_NO_ERROR, AO_ERROR_FILE_WRITE or AO_ERROR_MEMORY_MALLOC_FAILED.
 */
ao_error ao_book_output_open(ao_book_output *out, const char *path, int constant_memory);

/**
 * @brief Close the workbook: libxlsxwriter writes the temporary file now.
 * @return AO_NO_ERROR or the mapped libxlsxwriter error.
 */
ao_error ao_book_output_close(ao_book_output *out);

/**
 * @brief Move the closed workbook's file over path. On failure the temporary file is
 * removed and the target is untouched.
 * @return AO_NO_ERROR or AO_ERROR_FILE_WRITE.
 */
ao_error ao_book_output_commit(ao_book_output *out, const char *path);

/**
 * @brief Release a workbook output after success or failure: close a workbook still
 * open (which also releases libxlsxwriter's own temporary files), remove a temporary
 * file not committed, free the path. Accepts an output never opened (all zero).
 */
void ao_book_output_discard(ao_book_output *out);

#endif /* AO_REPORT_SHEET_WRITER_H */
