#include "io/input.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "common/strutil.h"
#include "io/csv_reader.h"
#include "io/output_owner.h"
#include "io/xlsx_reader.h"

static int ends_with_xlsx(const char *path)
{
    size_t length = strlen(path);
    return length > 5 && ao_name_equal(path + length - 5, ".xlsx");
}

ao_error ao_input_read(const char *path, ao_tableset **out, ao_diags *diags)
{
    if (path == NULL || out == NULL || diags == NULL)
        return AO_ERROR_NULL_PARAMETER;
    *out = NULL;
    ao_loc loc = {.file = path};
    struct stat info;
    if (stat(path, &info) != 0) {
        int cause = errno;
        if (cause == ENOENT || cause == ENOTDIR)
            AO_RETURN_ON_ERROR(ao_diags_add(diags, AO_DIAG_ERROR, &loc,
                                            "there is no file or folder called '%s'", path));
        else
            AO_RETURN_ON_ERROR(ao_diags_add(diags, AO_DIAG_ERROR, &loc, "cannot open '%s': %s",
                                            path, strerror(cause)));
        return AO_ERROR_FILE_OPEN;
    }
    if (S_ISDIR(info.st_mode))
        return ao_csv_read_folder(path, out, diags);
    if (S_ISREG(info.st_mode) && ends_with_xlsx(path)) {
        /* allocopt's own results given back as its input: every table would be missing. */
        if (ao_output_owner_of(path) == AO_OUTPUT_ALLOCOPT) {
            AO_RETURN_ON_ERROR(ao_diags_add(diags, AO_DIAG_ERROR, &loc,
                                            "this is an allocopt results workbook, not an "
                                            "input; give the input workbook or folder"));
            return AO_ERROR_INPUT;
        }
        return ao_xlsx_read(path, out, diags);
    }
    AO_RETURN_ON_ERROR(ao_diags_add(diags, AO_DIAG_ERROR, &loc,
                                    "the input must be a folder of CSV files or an .xlsx "
                                    "workbook; to use a single CSV file, give the folder "
                                    "that holds it"));
    return AO_ERROR_FILE_OPEN;
}
