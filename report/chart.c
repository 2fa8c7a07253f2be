/* Native Excel charts (report/chart.h). */
#include "report/chart.h"

#include <stdio.h>

#include "report/sheet_writer.h"

lxw_chart *ao_chart_new(lxw_workbook *book, uint8_t type, const char *title,
                        const char *axis_format)
{
    lxw_chart *chart = workbook_add_chart(book, type);
    if (chart == NULL)
        return NULL;
    lxw_chart_font font = {.size = AO_CHART_TITLE_SIZE, .bold = LXW_TRUE};
    chart_title_set_name(chart, title);
    chart_title_set_name_font(chart, &font);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    chart_axis_set_num_format(chart->y_axis, axis_format);
    return chart;
}

/* A series of values in one column, named by the cell above them. */
lxw_chart_series *ao_chart_column_series(lxw_chart *chart, const char *sheet_name, lxw_row_t header,
                                         int n, lxw_col_t categories, lxw_col_t values,
                                         lxw_color_t colour)
{
    lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
    if (series == NULL)
        return NULL;
    lxw_row_t first = header + 1, last = header + (lxw_row_t)n;
    chart_series_set_categories(series, sheet_name, first, categories, last, categories);
    /* The categories are text (years, ICB and service names). In constant_memory mode
     * libxlsxwriter cannot read the cells back to find that out and would write them as a
     * number reference; say so, so that the chart refers to them as Excel itself does. */
    if (series->categories != NULL)
        series->categories->has_string_cache = LXW_TRUE;
    chart_series_set_values(series, sheet_name, first, values, last, values);
    chart_series_set_name_range(series, sheet_name, header, values);
    if (colour != LXW_COLOR_UNSET) {
        lxw_chart_fill fill = {.color = colour};
        chart_series_set_fill(series, &fill);
    }
    return series;
}

/* Put a chart on a worksheet, x pixels right of the start of a row. */
ao_error ao_chart_place(lxw_worksheet *ws, lxw_row_t row, int x, int width, int height,
                        lxw_chart *chart, const char *description)
{
    char alt_text[256];
    snprintf(alt_text, sizeof alt_text, "%s", description);
    lxw_chart_options options = {.x_offset = x,
                                 .y_offset = AO_CHART_TOP,
                                 .x_scale = width / AO_CHART_BASE_WIDTH,
                                 .y_scale = height / AO_CHART_BASE_HEIGHT,
                                 .description = alt_text};
    return ao_from_lxw_error(worksheet_insert_chart_opt(ws, row, 0, chart, &options));
}
