/**
 * @file report/json_writer.h
 * @brief Write the JSON summary of a run.
 */
#ifndef AO_REPORT_JSON_WRITER_H
#define AO_REPORT_JSON_WRITER_H

#include "common/error.h"
#include "models/plan.h"

/**
 * @brief Write the JSON summary: one object with status, objective, total_benefit,
 * total_revenue_spend, total_capital_spend, arrangement (of cases[0]) and
 * scenarios: [{name, status, objective, ...}] for every case after the first, and, with
 * an uncertainty study, an `uncertainty` object (docs/whatif.md); last,
 * `allocopt_version`, which marks the file as allocopt's own output (io/output_owner.h).
 * Written whole or not at all (temporary file, then rename).
 * @return AO_NO_ERROR, AO_ERROR_FILE_WRITE or a memory error.
 */
ao_error ao_json_write(const char *path, const ao_results *results);

/**
 * @brief The same summary written to path's temporary file, not yet renamed over path:
 * the caller commits (ao_atomic_commit) or removes it (ao_atomic_abort) and frees
 * *temp_out. For writing it together with the workbook, both or neither.
 */
ao_error ao_json_stage(const char *path, const ao_results *results, char **temp_out);

/**
 * @brief The same summary as a newly allocated string (caller frees), or NULL.
 */
char *ao_json_summary(const ao_results *results);

struct ao_study;

/**
 * @brief Write the JSON summary of a merged uncertainty study (`allocopt merge`): the
 * baseline's status, objective, spends and arrangement, the input's fingerprint,
 * shards_merged, the same `uncertainty` object a single run writes, and
 * `allocopt_version`.
 * @return AO_NO_ERROR, AO_ERROR_FILE_WRITE or a memory error.
 */
ao_error ao_json_write_study(const char *path, const struct ao_study *study);

#endif /* AO_REPORT_JSON_WRITER_H */
