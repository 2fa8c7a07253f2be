#include "report/sheet_writer.h"

#include <errno.h>
#include <stdlib.h>

#include "report/atomic_file.h"

ao_error ao_from_lxw_error(lxw_error error)
{
    switch (error) {
    case LXW_NO_ERROR:
        return AO_NO_ERROR;
    case LXW_ERROR_MEMORY_MALLOC_FAILED:
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    case LXW_ERROR_CREATING_XLSX_FILE:
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
        return AO_ERROR_FILE_WRITE;
    default:
        return AO_ERROR_WORKBOOK;
    }
}

void ao_sheet_note(ao_error *first, lxw_error error)
{
    if (error != LXW_NO_ERROR && *first == AO_NO_ERROR)
        *first = ao_from_lxw_error(error);
}

double ao_sheet_text_chars(const char *text)
{
    double n = 0;
    for (const unsigned char *c = (const unsigned char *)text; *c; c++)
        n += (*c & 0xC0) != 0x80;
    return n;
}

time_t ao_workbook_created(void)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch == NULL || *epoch < '0' || *epoch > '9')
        return AO_WORKBOOK_FIXED_CREATED;
    char *end = NULL;
    errno = 0;
    long long seconds = strtoll(epoch, &end, 10);
    if (errno != 0 || *end != '\0' || seconds > AO_WORKBOOK_LAST_CREATED)
        return AO_WORKBOOK_FIXED_CREATED;
    /* libxlsxwriter reads 0 as "now": the epoch itself is written one second later. */
    return seconds > 0 ? (time_t)seconds : (time_t)1;
}

ao_error ao_book_output_open(ao_book_output *out, const char *path, int constant_memory)
{
    *out = (ao_book_output){0};
    out->temp = ao_atomic_temp_path(path);
    if (out->temp == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    AO_RETURN_ON_ERROR(ao_atomic_probe(out->temp, &out->created));
    lxw_workbook_options options = {.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE,
                                    .tmpdir = NULL};
    out->book = workbook_new_opt(out->temp, &options);
    return out->book != NULL ? AO_NO_ERROR : AO_ERROR_MEMORY_MALLOC_FAILED;
}

ao_error ao_book_output_close(ao_book_output *out)
{
    lxw_error closed = workbook_close(out->book);
    out->book = NULL;
    return ao_from_lxw_error(closed);
}

ao_error ao_book_output_commit(ao_book_output *out, const char *path)
{
    out->created = 0; /* ao_atomic_commit() removes the temporary file if it fails. */
    return ao_atomic_commit(out->temp, path);
}

void ao_book_output_discard(ao_book_output *out)
{
    if (out->book != NULL)
        (void)workbook_close(out->book);
    out->book = NULL;
    if (out->created)
        ao_atomic_abort(out->temp);
    out->created = 0;
    free(out->temp);
    out->temp = NULL;
}
