/**
 * @file common/index.h
 * @brief Interning of ids: a hash map from a name (matched case-insensitively,
 * surrounding spaces ignored) to a dense index.
 */
#ifndef AO_COMMON_INDEX_H
#define AO_COMMON_INDEX_H

#include <stddef.h>

#include "common/error.h"

/** A name → index map. Zero-initialise before use. */
typedef struct ao_index {
    size_t capacity;  ///< Slots (a power of two, or 0).
    size_t count;     ///< Names stored.
    char **keys;      ///< Normalised names, NULL for an empty slot.
    int *values;      ///< Index of each name.
} ao_index;

/**
 * @brief Look a name up.
 * @return Its index, or -1 when absent.
 */
int ao_index_get(const ao_index *index, const char *name);

/**
 * @brief Store name → value unless the name is already there.
 * @param[out] existing The index already stored, or -1 when the name was added.
 * @return AO_NO_ERROR or AO_ERROR_MEMORY_MALLOC_FAILED.
 */
ao_error ao_index_put(ao_index *index, const char *name, int value, int *existing);

/** @brief Free the map's memory. */
void ao_index_free(ao_index *index);

#endif /* AO_COMMON_INDEX_H */
