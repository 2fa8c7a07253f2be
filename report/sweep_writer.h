/**
 * @file report/sweep_writer.h
 * @brief Write a sweep (efficient frontier) as a workbook with native Excel charts.
 */
#ifndef AO_REPORT_SWEEP_WRITER_H
#define AO_REPORT_SWEEP_WRITER_H

#include "common/error.h"
#include "models/sweep.h"

/**
 * @brief Write a workbook with a `Frontier` sheet (one row per point) and two line
 * charts: objective against the varied input, and specialised share against it.
 * Written whole or not at all.
 * @return AO_NO_ERROR, AO_ERROR_WORKBOOK, AO_ERROR_FILE_WRITE or a memory error.
 */
ao_error ao_sweep_workbook_write(const char *path, const ao_sweep *sweep);

#endif /* AO_REPORT_SWEEP_WRITER_H */
