#include "common/error.h"

static const char *const ao_error_strings[AO_MAX_ERRNO + 1] = {
    "No error.",
    "Memory allocation failed.",
    "A required argument was missing.",
    "A file or folder could not be opened.",
    "A file could not be read.",
    "A file could not be written.",
    "The input has problems.",
    "An option has an invalid value.",
    "The solver failed.",
    "The workbook could not be written.",
    "Internal error.",
    "Unknown error number.",
};

const char *ao_strerror(ao_error error)
{
    if ((unsigned)error >= AO_MAX_ERRNO)
        return ao_error_strings[AO_MAX_ERRNO];
    return ao_error_strings[error];
}
