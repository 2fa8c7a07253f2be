/**
 * @file report/atomic_file.h
 * @brief Outputs written whole or not at all: write to a temporary file beside the
 * target, then rename it over the target.
 */
#ifndef AO_REPORT_ATOMIC_FILE_H
#define AO_REPORT_ATOMIC_FILE_H

#include <stddef.h>

#include "common/error.h"

/**
 * @brief A temporary path in the same folder as target (same file system, so that
 * rename() is atomic). Caller frees. NULL if out of memory.
 */
char *ao_atomic_temp_path(const char *target);

/**
 * @brief Move a finished temporary file over the target (fsync, then rename).
 * On failure the temporary file is removed and the target is untouched.
 * @return AO_NO_ERROR or AO_ERROR_FILE_WRITE.
 */
ao_error ao_atomic_commit(const char *temp_path, const char *target);

/**
 * @brief Create the temporary file (empty) now, so that a folder that does not take the
 * file is found before any work is done (libxlsxwriter only opens it when it closes).
 * @param[out] created 1 when the file was created (remove it with ao_atomic_abort()).
 * @return AO_NO_ERROR or AO_ERROR_FILE_WRITE.
 */
ao_error ao_atomic_probe(const char *temp_path, int *created);

/** @brief Remove a temporary file after a failed write. Accepts NULL. */
void ao_atomic_abort(const char *temp_path);

/**
 * @brief Write a whole buffer to path's temporary file without renaming it over path: the
 * caller commits it (ao_atomic_commit) or removes it (ao_atomic_abort), then frees
 * *temp_out. Several outputs are staged, then committed together, so that a failure
 * leaves none of them new.
 */
ao_error ao_atomic_stage(const char *path, const char *data, size_t length, char **temp_out);

/** @brief Write a whole buffer to path atomically. */
ao_error ao_atomic_write(const char *path, const char *data, size_t length);

#endif /* AO_REPORT_ATOMIC_FILE_H */
