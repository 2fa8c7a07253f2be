/**
 * @file report/json_file.h
 * @brief Inside report/: a jansson value written to a file as one text file, whole or not at
 * all (the JSON summary, merged studies, partial results).
 */
#ifndef AO_REPORT_JSON_FILE_H
#define AO_REPORT_JSON_FILE_H

#include <jansson.h>

#include "common/error.h"

/**
 * @brief Write a JSON value, with a final newline, to path's temporary file without
 * renaming it over path (report/atomic_file.h, ao_atomic_stage).
 */
ao_error ao_json_file_stage(const char *path, const json_t *root, size_t flags, char **temp_out);

/**
 * @brief Write root, dumped with jansson's flags, and a final newline to path
 * atomically. root is not released.
 * @return AO_NO_ERROR, AO_ERROR_MEMORY_MALLOC_FAILED or AO_ERROR_FILE_WRITE.
 */
ao_error ao_json_file_write(const char *path, const json_t *root, size_t flags);

/**
 * @brief Write root as ao_json_file_write() does, then release it; a NULL root (a value
 * that could not be built) is a failed allocation.
 * @return AO_NO_ERROR, AO_ERROR_MEMORY_MALLOC_FAILED or AO_ERROR_FILE_WRITE.
 */
ao_error ao_json_file_write_owned(const char *path, json_t *root, size_t flags);

/** @brief Set key to value (stolen); a NULL value (failed allocation) returns -1. */
int ao_json_set(json_t *object, const char *key, json_t *value);

/** @brief JSON has no NaN or infinity: a figure that is not finite is null. */
json_t *ao_json_number_or_null(double value);

/** @brief object when nothing failed; otherwise object is released and NULL returned. */
json_t *ao_json_unless_failed(json_t *object, int failed);

#endif /* AO_REPORT_JSON_FILE_H */
