/*
 * Helpers shared by the unit tests: build an input from CSV text held in the test,
 * look for a diagnostic, remove a test's temporary folder.
 */
#ifndef AO_TESTS_SUPPORT_H
#define AO_TESTS_SUPPORT_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/diag.h"
#include "common/table.h"
#include "io/csv_reader.h"

/* Build a tableset from pairs of (table name, CSV text), ending with NULL. The file of
 * each table is "<name>.csv". Reading problems are recorded in diags. */
static inline ao_tableset *support_tables(ao_diags *diags, const char *const *pairs)
{
    ao_tableset *set = ao_tableset_new("test-input");
    if (set == NULL)
        return NULL;
    for (size_t k = 0; pairs[k] != NULL; k += 2) {
        char file[64];
        snprintf(file, sizeof file, "%s.csv", pairs[k]);
        ao_table *table = NULL;
        if (ao_csv_read_buffer(pairs[k + 1], strlen(pairs[k + 1]), pairs[k], file, &table, diags) !=
                AO_NO_ERROR ||
            table == NULL || ao_tableset_add(set, table) != AO_NO_ERROR) {
            ao_tableset_free(set);
            return NULL;
        }
    }
    return set;
}

/* The first diagnostic whose message contains `text` (and, when given, whose table,
 * column and row match), or NULL. */
static inline const ao_diag *support_find_diag(const ao_diags *diags, const char *text,
                                               const char *table, const char *column, long row)
{
    for (size_t k = 0; k < diags->count; k++) {
        const ao_diag *d = &diags->items[k];
        if (d->message == NULL || strstr(d->message, text) == NULL)
            continue;
        if (table && (d->table == NULL || strcmp(d->table, table) != 0))
            continue;
        if (column && (d->column == NULL || strcmp(d->column, column) != 0))
            continue;
        if (row > 0 && d->row != row)
            continue;
        return d;
    }
    return NULL;
}

/* Remove a folder made by a test, with its files and sub-folders (symbolic links are
 * removed, not followed). */
static inline void support_remove_tree(const char *dir)
{
    DIR *folder = opendir(dir);
    if (folder != NULL) {
        struct dirent *entry;
        while ((entry = readdir(folder)) != NULL) {
            if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
                continue;
            char path[1024];
            if (snprintf(path, sizeof path, "%s/%s", dir, entry->d_name) >= (int)sizeof path)
                continue; /* not one of the tests' own short names */
            struct stat info;
            if (lstat(path, &info) == 0 && S_ISDIR(info.st_mode))
                support_remove_tree(path);
            else
                unlink(path);
        }
        closedir(folder);
    }
    rmdir(dir);
}

#endif /* AO_TESTS_SUPPORT_H */
