/**
 * @file cli/example_data.h
 * @brief The bundled example (examples/england), compiled into the program.
 */
#ifndef AO_CLI_EXAMPLE_DATA_H
#define AO_CLI_EXAMPLE_DATA_H

#include <stddef.h>

/** One embedded file. */
typedef struct ao_embedded_file {
    const char *name; ///< File name, e.g. "budgets.csv".
    const char *data; ///< Contents (NUL-terminated, length bytes before the NUL).
    size_t length;    ///< Length in bytes.
} ao_embedded_file;

extern const ao_embedded_file ao_example_files[]; ///< Sorted by name.
extern const size_t ao_example_file_count;        ///< Number of files.

#endif /* AO_CLI_EXAMPLE_DATA_H */
