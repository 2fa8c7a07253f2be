/**
 * @file fuzz/fuzz_tables.h
 * @brief Several input tables in one fuzz input: sections that each start with a line
 * `@name` (`@settings`, `@demand`, ...), each section a CSV table; text before the first
 * such line is a settings table. fuzz/make_corpus.py writes seeds in this layout.
 */
#ifndef AO_FUZZ_TABLES_H
#define AO_FUZZ_TABLES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/diag.h"
#include "io/csv_reader.h"
#include "common/table.h"

/* Read one CSV text as table `name` into set; problems stay in diags. */
static inline void fuzz_add_table(ao_tableset *set, const char *name, const char *data,
                                  size_t length, ao_diags *diags)
{
    char file[80];
    size_t n = strlen(name);
    if (n == 0 || n > 60)
        return;
    memcpy(file, name, n);
    memcpy(file + n, ".csv", 5);
    ao_table *table = NULL;
    if (ao_csv_read_buffer(data, length, name, file, &table, diags) != AO_NO_ERROR || table == NULL)
        return;
    if (ao_tableset_find(set, table->name) != NULL) {
        ao_table_free(table);
        return;
    }
    ao_tableset_add(set, table);
}

/* Read text made of `@name` sections (text before the first is a settings table). */
static inline void fuzz_read_tables(ao_tableset *set, const char *data, size_t length,
                                    ao_diags *diags)
{
    char name[64] = "settings";
    size_t start = 0, pos = 0;
    while (pos <= length) {
        int at_section = pos < length && data[pos] == '@' && (pos == 0 || data[pos - 1] == '\n');
        if (at_section || pos == length) {
            if (pos > start)
                fuzz_add_table(set, name, data + start, pos - start, diags);
            if (pos == length)
                break;
            size_t end = pos + 1;
            while (end < length && data[end] != '\n')
                end++;
            size_t n = end - pos - 1;
            if (n > 0 && data[pos + n] == '\r')
                n--;
            if (n >= sizeof name)
                n = sizeof name - 1;
            memcpy(name, data + pos + 1, n);
            name[n] = '\0';
            start = end < length ? end + 1 : end;
            pos = start;
            continue;
        }
        pos++;
    }
}

/* A fuzz input as tables: diags initialised, and a new set holding the tables of the text
 * before its first NUL byte (all of it when there is none); *rest and *rest_length, when
 * asked for, say what follows that byte (nothing when there is none). NULL when the set
 * cannot be made. */
static inline ao_tableset *fuzz_tables(const uint8_t *data, size_t size, ao_diags *diags,
                                       const char **rest, size_t *rest_length)
{
    const char *text = (const char *)data;
    const char *split = memchr(text, '\0', size);
    size_t length = split ? (size_t)(split - text) : size;
    if (rest != NULL)
        *rest = split ? split + 1 : "";
    if (rest_length != NULL)
        *rest_length = split ? size - length - 1 : 0;
    ao_diags_init(diags);
    ao_tableset *set = ao_tableset_new("fuzz");
    if (set != NULL)
        fuzz_read_tables(set, text, length, diags);
    return set;
}

#endif /* AO_FUZZ_TABLES_H */
