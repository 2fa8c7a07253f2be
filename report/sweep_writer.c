/* The sweep workbook: a Frontier table and two native line charts. */
#include "report/sweep_writer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "common/strutil.h"
#include "report/sheet.h"
#include "report/sheet_writer.h"
#include "report/words.h"

#define FRONTIER_SHEET "Frontier"

/* The Frontier sheet and its charts; returns the first error met. */
static ao_error write_frontier(lxw_workbook *book, const ao_sweep *sweep)
{
    ao_error err = AO_NO_ERROR;
    lxw_doc_properties properties = {.title = "allocopt sweep",
                                     .subject = "Efficient frontier",
                                     .comments = "allocopt " AO_VERSION,
                                     .created = ao_workbook_created()};
    ao_sheet_note(&err, workbook_set_properties(book, &properties));
    lxw_worksheet *sheet = workbook_add_worksheet(book, FRONTIER_SHEET);
    lxw_format *header = workbook_add_format(book);
    lxw_format *money = workbook_add_format(book);
    lxw_format *number = workbook_add_format(book);
    lxw_format *share = workbook_add_format(book);
    if (sheet == NULL || header == NULL || money == NULL || number == NULL || share == NULL)
        return err != AO_NO_ERROR ? err : AO_ERROR_MEMORY_MALLOC_FAILED;
    format_set_bold(header);
    format_set_bg_color(header, 0xDCE6F1);
    format_set_text_wrap(header);
    format_set_num_format(money, "£#,##0");
    format_set_num_format(number, "#,##0.000");
    format_set_num_format(share, "0.0%");

    int budget = !sweep->is_setting;
    char varied[160];
    snprintf(varied, sizeof varied, "%s %s", sweep->table, sweep->column);
    char objective[160];
    snprintf(objective, sizeof objective, "objective (%s)",
             sweep->objective_is_cost ? "£, discounted cost"
                                      : (sweep->benefit_unit ? sweep->benefit_unit : "benefit"));
    const char *headers[] = {budget ? "scale" : "value",
                             varied,
                             "status",
                             objective,
                             "revenue spend",
                             "capital spend",
                             "specialised share",
                             "funding gap (least extra revenue)"};
    for (int c = 0; c < 8; c++)
        ao_sheet_note(&err, worksheet_write_string(sheet, 0, (lxw_col_t)c, headers[c], header));
    ao_sheet_note(&err, worksheet_set_column(sheet, 0, 0, 10, NULL));
    ao_sheet_note(&err, worksheet_set_column(sheet, 1, 1, 22, NULL));
    ao_sheet_note(&err, worksheet_set_column(sheet, 2, 2, 12, NULL));
    ao_sheet_note(&err, worksheet_set_column(sheet, 3, 6, 18, NULL));
    worksheet_freeze_panes(sheet, 1, 0);
    for (size_t k = 0; k < sweep->n_points && err == AO_NO_ERROR; k++) {
        const ao_sweep_point *p = &sweep->points[k];
        lxw_row_t row = (lxw_row_t)(k + 1);
        ao_sheet_note(&err,
                      worksheet_write_number(sheet, row, 0, p->value, budget ? share : number));
        ao_sheet_note(
            &err, worksheet_write_number(sheet, row, 1, p->varied_total, budget ? money : number));
        ao_sheet_note(&err,
                      worksheet_write_string(sheet, row, 2, ao_plan_status_name(p->status), NULL));
        if (p->status == AO_STATUS_OPTIMAL) {
            ao_sheet_note(&err, worksheet_write_number(sheet, row, 3, p->objective,
                                                       sweep->objective_is_cost ? money : number));
            ao_sheet_note(&err,
                          worksheet_write_number(sheet, row, 4, p->total_revenue_spend, money));
            ao_sheet_note(&err,
                          worksheet_write_number(sheet, row, 5, p->total_capital_spend, money));
            ao_sheet_note(&err, worksheet_write_number(sheet, row, 6, p->specialised_share, share));
        } else if (p->has_funding_gap) {
            /* How much money is missing at this point (MODEL.md rule 18). */
            if (isnan(p->funding_gap))
                ao_sheet_note(
                    &err, worksheet_write_string(sheet, row, 7, AO_WORDS_MONEY_CANNOT, NULL));
            else
                ao_sheet_note(&err, worksheet_write_number(sheet, row, 7, p->funding_gap, money));
        }
    }
    lxw_row_t last = (lxw_row_t)sweep->n_points;
    ao_sheet_note(&err, worksheet_set_column(sheet, 7, 7, 24, NULL));
    ao_sheet_note(&err, worksheet_autofilter(sheet, 0, 0, last, 7));

    const char *titles[2] = {"Objective against the varied input",
                             "Specialised share of revenue spend"};
    for (int c = 0; c < 2 && err == AO_NO_ERROR; c++) {
        lxw_chart *chart = workbook_add_chart(book, LXW_CHART_SCATTER_STRAIGHT_WITH_MARKERS);
        lxw_chart_series *series = chart != NULL ? chart_add_series(chart, NULL, NULL) : NULL;
        if (series == NULL)
            return AO_ERROR_MEMORY_MALLOC_FAILED;
        chart_series_set_categories(series, FRONTIER_SHEET, 1, 1, last, 1);
        chart_series_set_values(series, FRONTIER_SHEET, 1, c == 0 ? 3 : 6, last, c == 0 ? 3 : 6);
        chart_series_set_name(series, c == 0 ? objective : "specialised share");
        chart_title_set_name(chart, titles[c]);
        chart_axis_set_name(chart->x_axis, varied);
        chart_axis_set_name(chart->y_axis, c == 0 ? objective : "specialised share");
        /* Axes as the cells read: £m for money, % for shares, never 1000000000. */
        chart_axis_set_num_format(chart->x_axis, budget ? "£#,##0,,\"m\"" : "#,##0.###");
        chart_axis_set_num_format(chart->y_axis, c == 1                     ? "0%"
                                                 : sweep->objective_is_cost ? "£#,##0,,\"m\""
                                                                            : "#,##0");
        chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
        ao_sheet_note(&err, worksheet_insert_chart(sheet, c == 0 ? 1 : 17, 8, chart));
    }
    /* A4 landscape, one page wide, the table and both charts. */
    ao_sheet_note(&err, worksheet_print_area(sheet, 0, 0, last, 7));
    if (err == AO_NO_ERROR)
        err = ao_sheet_print_setup(sheet);
    return err;
}

ao_error ao_sweep_workbook_write(const char *path, const ao_sweep *sweep)
{
    ao_book_output out = {0};
    ao_error err = ao_book_output_open(&out, path, 0);
    if (err != AO_NO_ERROR) {
        ao_book_output_discard(&out);
        return err;
    }
    err = write_frontier(out.book, sweep);
    if (err != AO_NO_ERROR) {
        ao_book_output_discard(&out);
        return err;
    }
    err = ao_book_output_close(&out);
    if (err == AO_NO_ERROR)
        err = ao_book_output_commit(&out, path);
    ao_book_output_discard(&out);
    return err;
}
