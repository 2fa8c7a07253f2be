/**
 * @file report/chart.h
 * @brief Native Excel charts drawn from cells of a results workbook: a chart with its
 * title and axis format, a series from one column, a chart placed on a worksheet.
 */
#ifndef AO_REPORT_CHART_H
#define AO_REPORT_CHART_H

#include <xlsxwriter.h>

#include "common/error.h"

/* Chart layout, in pixels; libxlsxwriter's chart is 480 x 288 unscaled. */
#define AO_CHART_BASE_WIDTH 480.0
#define AO_CHART_BASE_HEIGHT 288.0
#define AO_CHART_GAP 16
#define AO_CHART_HEIGHT 320
#define AO_CHART_TITLE_SIZE 11
/* Pixels between the top of a chart's first row and the chart (clear of a page break). */
#define AO_CHART_TOP 4
/* Pixels of a row of the default height. */
#define AO_ROW_PIXELS 20
/* Axis formats: £ millions, whole pounds, and whole percentages. */
#define AO_AXIS_MILLIONS "£#,##0,,\"m\""
#define AO_AXIS_POUNDS "£#,##0"
#define AO_AXIS_PERCENT "0%"
/* Rows a chart of this height takes, at the default row height, and a gap below it. */
#define AO_CHART_ROWS(height)                                                                      \
    ((lxw_row_t)(((height) + AO_CHART_TOP + AO_CHART_GAP) / AO_ROW_PIXELS + 1))
/* NHS identity colours: blue, light blue, dark blue; and a mid grey. */
#define AO_COLOUR_SPECIALISED 0x005EB8
#define AO_COLOUR_PRIORITY 0x41B6E6
#define AO_COLOUR_CAPITAL 0x003087
#define AO_COLOUR_BASELINE 0xA5A5A5

/**
 * @brief A chart of a type, its title in bold, its legend below, its value axis in
 * axis_format. @return The chart (owned by book), or NULL when out of memory.
 */
lxw_chart *ao_chart_new(lxw_workbook *book, uint8_t type, const char *title,
                        const char *axis_format);

/**
 * @brief A series of the n values below row header in column values of sheet_name,
 * against the categories (text) in column categories, named by the header cell.
 * @param[in] colour Its fill, or LXW_COLOR_UNSET for Excel's own.
 * @return The series, or NULL when out of memory.
 */
lxw_chart_series *ao_chart_column_series(lxw_chart *chart, const char *sheet_name, lxw_row_t header,
                                         int n, lxw_col_t categories, lxw_col_t values,
                                         lxw_color_t colour);

/**
 * @brief Put a chart on a worksheet, x pixels right of the start of a row, scaled to
 * width x height pixels, with its description as alternative text.
 */
ao_error ao_chart_place(lxw_worksheet *ws, lxw_row_t row, int x, int width, int height,
                        lxw_chart *chart, const char *description);

#endif /* AO_REPORT_CHART_H */
