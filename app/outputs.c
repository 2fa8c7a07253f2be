/* No lost work: which existing files an output may replace (app/outputs.h). */
#include "app/outputs.h"

#include <sys/stat.h>

#include "io/output_owner.h"

ao_error ao_outputs_check(const char *const *paths, size_t n_paths, int force, ao_diags *diags)
{
    if (force)
        return AO_NO_ERROR;
    for (size_t k = 0; k < n_paths; k++) {
        ao_loc loc = {.file = paths[k]};
        switch (ao_output_owner_of(paths[k])) {
        case AO_OUTPUT_ABSENT:
        case AO_OUTPUT_ALLOCOPT:
            break;
        case AO_OUTPUT_TEMPLATE:
            AO_RETURN_ON_ERROR(ao_diags_add(diags, AO_DIAG_ERROR, &loc,
                                            "%s exists and is an input workbook from "
                                            "allocopt template, perhaps filled in since; use "
                                            "--force to replace it",
                                            paths[k]));
            return AO_ERROR_OPTIONS;
        case AO_OUTPUT_OTHER:
            AO_RETURN_ON_ERROR(ao_diags_add(diags, AO_DIAG_ERROR, &loc,
                                            "%s exists and is not an allocopt output; use "
                                            "--force to replace it",
                                            paths[k]));
            return AO_ERROR_OPTIONS;
        }
    }
    return AO_NO_ERROR;
}

int ao_same_file(const char *path, const char *const *others, size_t n_others)
{
    struct stat st;
    if (path == NULL || stat(path, &st) != 0)
        return 0;
    for (size_t k = 0; k < n_others; k++) {
        struct stat other;
        if (others[k] != NULL && stat(others[k], &other) == 0 && other.st_dev == st.st_dev &&
            other.st_ino == st.st_ino)
            return 1;
    }
    return 0;
}

int ao_is_input_file(const ao_tableset *tables, const char *path)
{
    const char *source[] = {tables->source};
    if (ao_same_file(path, source, 1))
        return 1;
    for (size_t k = 0; k < tables->n_tables; k++) {
        const char *file[] = {tables->tables[k]->file};
        if (ao_same_file(path, file, 1))
            return 1;
    }
    return 0;
}
