#include "common/index.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/strutil.h"

/* FNV-1a over the name's LENGTH bytes at TEXT, lower-cased (a stored key is normalised
 * already, so it hashes the same as any spelling of it). */
static uint64_t hash_text(const char *text, size_t length)
{
    uint64_t hash = 1469598103934665603ULL;
    for (size_t k = 0; k < length; k++) {
        hash ^= (unsigned char)tolower((unsigned char)text[k]);
        hash *= 1099511628211ULL;
    }
    return hash;
}

/* The stored (normalised) key equals the LENGTH bytes at TEXT, ignoring case. */
static int key_equal(const char *key, const char *text, size_t length)
{
    for (size_t k = 0; k < length; k++)
        if (key[k] == '\0' || key[k] != (char)tolower((unsigned char)text[k]))
            return 0;
    return key[length] == '\0';
}

/* Slot holding the name at TEXT (trimmed, any case), or the empty slot where it would go. */
static size_t find_slot_text(const ao_index *index, const char *text, size_t length)
{
    size_t mask = index->capacity - 1;
    size_t slot = (size_t)hash_text(text, length) & mask;
    while (index->keys[slot] != NULL && !key_equal(index->keys[slot], text, length))
        slot = (slot + 1) & mask;
    return slot;
}

/* Slot holding key (normalised), or the empty slot where it would go. */
static size_t find_slot(const ao_index *index, const char *key)
{
    return find_slot_text(index, key, strlen(key));
}

/* Looking up allocates nothing, so that a failed allocation can never pass for an
 * unknown name. */
int ao_index_get(const ao_index *index, const char *name)
{
    if (index->capacity == 0 || name == NULL)
        return -1;
    const char *start = name;
    while (*start != '\0' && isspace((unsigned char)*start))
        start++;
    size_t length = strlen(start);
    while (length > 0 && isspace((unsigned char)start[length - 1]))
        length--;
    size_t slot = find_slot_text(index, start, length);
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
