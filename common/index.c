#include "common/index.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/strutil.h"

/* FNV-1a over the normalised name. */
static uint64_t hash_name(const char *name)
{
    uint64_t hash = 1469598103934665603ULL;
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
        hash ^= *c;
        hash *= 1099511628211ULL;
    }
    return hash;
}

/* Slot holding key, or the empty slot where it would go. */
static size_t find_slot(const ao_index *index, const char *key)
{
    size_t mask = index->capacity - 1;
    size_t slot = (size_t)hash_name(key) & mask;
    while (index->keys[slot] != NULL && strcmp(index->keys[slot], key) != 0)
        slot = (slot + 1) & mask;
    return slot;
}

int ao_index_get(const ao_index *index, const char *name)
{
    if (index->capacity == 0 || name == NULL)
        return -1;
    char *key = ao_normalise_name(name);
    if (key == NULL)
        return -1;
    size_t slot = find_slot(index, key);
    free(key);
    return index->keys[slot] ? index->values[slot] : -1;
}

static ao_error grow(ao_index *index)
{
    size_t capacity = index->capacity ? index->capacity * 2 : 64;
    ao_index bigger = {capacity, 0, calloc(capacity, sizeof(char *)),
                       malloc(capacity * sizeof(int))};
    if (bigger.keys == NULL || bigger.values == NULL) {
        free(bigger.keys);
        free(bigger.values);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    for (size_t k = 0; k < index->capacity; k++) {
        if (index->keys[k] == NULL)
            continue;
        size_t slot = find_slot(&bigger, index->keys[k]);
        bigger.keys[slot] = index->keys[k];
        bigger.values[slot] = index->values[k];
        bigger.count++;
    }
    free(index->keys);
    free(index->values);
    *index = bigger;
    return AO_NO_ERROR;
}

ao_error ao_index_put(ao_index *index, const char *name, int value, int *existing)
{
    *existing = -1;
    if ((index->count + 1) * 2 > index->capacity)
        AO_RETURN_ON_ERROR(grow(index));
    char *key = ao_normalise_name(name ? name : "");
    if (key == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    size_t slot = find_slot(index, key);
    if (index->keys[slot] != NULL) {
        *existing = index->values[slot];
        free(key);
        return AO_NO_ERROR;
    }
    index->keys[slot] = key;
    index->values[slot] = value;
    index->count++;
    return AO_NO_ERROR;
}

void ao_index_free(ao_index *index)
{
    for (size_t k = 0; k < index->capacity; k++)
        free(index->keys[k]);
    free(index->keys);
    free(index->values);
    memset(index, 0, sizeof *index);
}
