/**
 * @file app/outputs.h
 * @brief No lost work (docs/cli.md): which files a command may write. An output never
 * replaces an input, nor an existing file that is not one of allocopt's outputs unless
 * the caller forces it.
 */
#ifndef AO_APP_OUTPUTS_H
#define AO_APP_OUTPUTS_H

#include <stddef.h>

#include "common/diag.h"
#include "common/error.h"
#include "common/table.h"

/**
 * @brief Whether every output may be written: an existing file is replaced only when it
 * is one of allocopt's outputs (io/output_owner.h), or when `force` is set.
 * @param[in] paths The outputs about to be written; NULL entries are skipped.
 * @param[in,out] diags Receives one error saying which file and why, when refused.
 * @return AO_NO_ERROR, AO_ERROR_OPTIONS (refused) or a memory error.
 */
ao_error ao_outputs_check(const char *const *paths, size_t n_paths, int force, ao_diags *diags);

/** @brief Whether `path` names the same file as one of `others` (NULL entries skipped). */
int ao_same_file(const char *path, const char *const *others, size_t n_others);

/** @brief Whether `path` names the input the tables were read from, or one of its files. */
int ao_is_input_file(const ao_tableset *tables, const char *path);

#endif /* AO_APP_OUTPUTS_H */
