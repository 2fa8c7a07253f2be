/**
 * @file report/lxw_error.h
 * @brief What every workbook writer shares: libxlsxwriter's error codes in allocopt's
 * terms, and the documents' fixed creation time (so the same input gives the same bytes).
 */
#ifndef AO_REPORT_LXW_ERROR_H
#define AO_REPORT_LXW_ERROR_H

#include <time.h>
#include <xlsxwriter.h>

#include "common/error.h"

/**
 * @brief Map a libxlsxwriter error: memory → AO_ERROR_MEMORY_MALLOC_FAILED, the file
 * or its temporary files → AO_ERROR_FILE_WRITE, anything else → AO_ERROR_WORKBOOK.
 */
ao_error ao_from_lxw_error(lxw_error error);

/** Creation time written when SOURCE_DATE_EPOCH gives none: 1 April 2025, 00:00 UTC. */
#define AO_WORKBOOK_FIXED_CREATED ((time_t)1743465600)

/** Latest creation time taken from SOURCE_DATE_EPOCH: 9999-12-31 23:59:59 UTC. */
#define AO_WORKBOOK_LAST_CREATED 253402300799LL

/**
 * @brief The creation time to write in a workbook's properties: SOURCE_DATE_EPOCH when
 * it holds a usable number of seconds, else AO_WORKBOOK_FIXED_CREATED; never the clock.
 */
time_t ao_workbook_created(void);

#endif /* AO_REPORT_LXW_ERROR_H */
