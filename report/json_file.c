/* A jansson value written to a text file atomically. */
#include "report/json_file.h"

#include <stdlib.h>
#include <string.h>

#include "common/strutil.h"
#include "report/atomic_file.h"

ao_error ao_json_file_write(const char *path, const json_t *root, size_t flags)
{
    char *text = json_dumps(root, flags);
    if (text == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    /* A text file ends with a newline. */
    char *file_text = ao_asprintf("%s\n", text);
    free(text);
    if (file_text == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    ao_error err = ao_atomic_write(path, file_text, strlen(file_text));
    free(file_text);
    return err;
}
