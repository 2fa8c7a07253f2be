/* A jansson value written to a text file atomically. */
#include "report/json_file.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/strutil.h"
#include "report/atomic_file.h"

ao_error ao_json_file_stage(const char *path, const json_t *root, size_t flags, char **temp_out)
{
    *temp_out = NULL;
    char *text = json_dumps(root, flags);
    if (text == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    /* A text file ends with a newline. */
    char *file_text = ao_asprintf("%s\n", text);
    free(text);
    if (file_text == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    ao_error err = ao_atomic_stage(path, file_text, strlen(file_text), temp_out);
    free(file_text);
    return err;
}

ao_error ao_json_file_write(const char *path, const json_t *root, size_t flags)
{
    char *temp = NULL;
    ao_error err = ao_json_file_stage(path, root, flags, &temp);
    if (err == AO_NO_ERROR)
        err = ao_atomic_commit(temp, path);
    free(temp);
    return err;
}

ao_error ao_json_file_write_owned(const char *path, json_t *root, size_t flags)
{
    if (root == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    ao_error err = ao_json_file_write(path, root, flags);
    json_decref(root);
    return err;
}

int ao_json_set(json_t *object, const char *key, json_t *value)
{
    if (value == NULL)
        return -1;
    return json_object_set_new(object, key, value);
}

json_t *ao_json_number_or_null(double value)
{
    return isfinite(value) ? json_real(value) : json_null();
}

json_t *ao_json_unless_failed(json_t *object, int failed)
{
    if (!failed)
        return object;
    json_decref(object);
    return NULL;
}
