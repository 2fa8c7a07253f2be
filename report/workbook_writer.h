/**
 * @file report/workbook_writer.h
 * @brief Write the results workbook (libxlsxwriter).
 */
#ifndef AO_REPORT_WORKBOOK_WRITER_H
#define AO_REPORT_WORKBOOK_WRITER_H

#include "common/error.h"
#include "models/plan.h"

/**
 * @brief Write the results workbook: sheets Summary (with native charts), Diagnosis
 * (when the baseline has no feasible plan), Comparison (today's allocation against the
 * optimal plan, when today's plan was evaluated), Allocation, Capital, Budgets, Indicators,
 * Constraints, Inputs, Scenarios (when there is more than one case), Uncertainty (with an
 * uncertainty study) and Charts data, as the table of sheets in report/workbook_writer.c
 * lists them.
 *
 * An Allocation table longer than an Excel sheet continues on "Allocation (2)", …,
 * and the full detail is also written as `<name>.allocation.csv` beside the workbook
 * (text beginning with = + - @ prefixed with ' so spreadsheets keep it as text); the
 * Summary says so.
 *
 * The file is written whole or not at all: it is written to a temporary file in the
 * same folder and renamed over the target only when complete.
 *
 * @param[in] path Target .xlsx path.
 * @param[in] results Cases to report; cases[0] is shown in detail.
 * @return AO_NO_ERROR, AO_ERROR_WORKBOOK, AO_ERROR_FILE_WRITE or a memory error.
 */
ao_error ao_workbook_write(const char *path, const ao_results *results);

struct ao_study;

/**
 * @brief Write the workbook of a merged uncertainty study (`allocopt merge`): a short
 * Summary (the baseline's headline, the shards merged) and the Uncertainty sheet, with
 * the same cells as the Uncertainty sheet of a single run. Written whole or not at all.
 * @return AO_NO_ERROR, AO_ERROR_WORKBOOK, AO_ERROR_FILE_WRITE or a memory error.
 */
ao_error ao_workbook_write_study(const char *path, const struct ao_study *study);

#endif /* AO_REPORT_WORKBOOK_WRITER_H */
