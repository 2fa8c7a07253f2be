#include "io/lxw_error.h"

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
