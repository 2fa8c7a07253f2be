/**
 * @file io/input.h
 * @brief Read a model's tables from a CSV folder or an xlsx workbook.
 */
#ifndef AO_IO_INPUT_H
#define AO_IO_INPUT_H

#include "common/diag.h"
#include "common/error.h"
#include "common/table.h"

/**
 * @brief Read the tables of an input, choosing the reader by what the path is:
 * a folder of CSV files, or a `.xlsx` workbook.
 * @param[in] path Folder or workbook.
 * @param[out] out The tables (NULL on failure).
 * @param[in,out] diags Problems found.
 * @return AO_NO_ERROR (check diags->n_errors), a file error, or a memory error.
 */
ao_error ao_input_read(const char *path, ao_tableset **out, ao_diags *diags);

#endif /* AO_IO_INPUT_H */
