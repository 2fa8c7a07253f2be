#include "report/lxw_error.h"

#include <errno.h>
#include <stdlib.h>

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
