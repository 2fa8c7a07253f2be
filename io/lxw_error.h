/**
 * @file io/lxw_error.h
 * @brief libxlsxwriter's error codes in allocopt's terms, for every workbook writer.
 */
#ifndef AO_IO_LXW_ERROR_H
#define AO_IO_LXW_ERROR_H

#include <xlsxwriter.h>

#include "common/error.h"

/**
 * @brief Map a libxlsxwriter error: memory → AO_ERROR_MEMORY_MALLOC_FAILED, the file
 * or its temporary files → AO_ERROR_FILE_WRITE, anything else → AO_ERROR_WORKBOOK.
 */
ao_error ao_from_lxw_error(lxw_error error);

#endif /* AO_IO_LXW_ERROR_H */
