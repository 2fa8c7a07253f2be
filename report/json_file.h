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
 * @brief Write root, dumped with jansson's flags, and a final newline to path
 * atomically. root is not released.
 * @return AO_NO_ERROR, AO_ERROR_MEMORY_MALLOC_FAILED or AO_ERROR_FILE_WRITE.
 */
ao_error ao_json_file_write(const char *path, const json_t *root, size_t flags);

#endif /* AO_REPORT_JSON_FILE_H */
