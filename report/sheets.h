/**
 * @file report/sheets.h
 * @brief The sheets of a results workbook, each written by a function of its own file
 * (report/sheet_<name>.c), and what they share: the workbook being written, names beside
 * ids, the words for a status, the thresholds of the risk flags.
 *
 * Which sheets a workbook gets, and in what order, is one table in
 * report/workbook_writer.c: {name, writer, when}.
 */
#ifndef AO_REPORT_SHEETS_H
#define AO_REPORT_SHEETS_H

#include <stdio.h>
#include <xlsxwriter.h>

#include "common/error.h"
#include "models/plan.h"
#include "report/sheet.h"
#include "report/sheet_writer.h"

struct ao_study;

/** The workbook being written, as its sheets see it. */
typedef struct ao_book_context {
    lxw_workbook *book;           ///< The workbook.
    const ao_styles *st;          ///< Its formats.
    const ao_results *results;    ///< Cases reported (NULL for a merged study).
    const ao_model *model;        ///< The case shown in detail: its model (or NULL) ...
    const ao_plan *plan;          ///< ... and its plan (or NULL).
    const struct ao_study *study; ///< An uncertainty study, or NULL.
    FILE *csv;                    ///< The Allocation CSV, or NULL (table fits one sheet).
    const char *csv_name;         ///< Its file name, for the Summary, or NULL.

    /* Filled in by the Summary, for the charts drawn on it. */
    const char *summary_name;   ///< The Summary's sheet name.
    lxw_worksheet *summary_ws;  ///< The Summary worksheet.
    lxw_row_t spend_header;     ///< Header row of its spend-by-year table.
    int spend_years;            ///< Year rows below that header (0: no table, no charts).
    lxw_row_t summary_free_row; ///< First row below the Summary's tables.
} ao_book_context;

/**
 * @brief A sheet writer: add sheet `name` (and any later parts) to ctx->book.
 * @return AO_NO_ERROR, or the first error met (libxlsxwriter's in allocopt's terms).
 */
typedef ao_error (*ao_sheet_writer)(ao_book_context *ctx, const char *name);

/** One sheet of the table in report/workbook_writer.c. */
typedef struct ao_sheet_spec {
    const char *name;                        ///< Sheet name (a contract: FORMATS.md "Outputs").
    ao_sheet_writer write;                   ///< Writes it.
    int (*when)(const ao_book_context *ctx); ///< 1 when this workbook gets the sheet.
} ao_sheet_spec;

/* The sheet writers, one per file. */
ao_error ao_sheet_summary(ao_book_context *ctx, const char *name);       /* sheet_summary.c */
ao_error ao_sheet_study_summary(ao_book_context *ctx, const char *name); /* sheet_summary.c */
ao_error ao_sheet_diagnosis(ao_book_context *ctx, const char *name);     /* sheet_diagnosis.c */
ao_error ao_sheet_allocation(ao_book_context *ctx, const char *name);    /* sheet_allocation.c */
ao_error ao_sheet_capital(ao_book_context *ctx, const char *name);       /* sheet_capital.c */
ao_error ao_sheet_budgets(ao_book_context *ctx, const char *name);       /* sheet_budgets.c */
ao_error ao_sheet_indicators(ao_book_context *ctx, const char *name);    /* sheet_indicators.c */
ao_error ao_sheet_constraints(ao_book_context *ctx, const char *name);   /* sheet_constraints.c */
ao_error ao_sheet_inputs(ao_book_context *ctx, const char *name);        /* sheet_inputs.c */
ao_error ao_sheet_scenarios(ao_book_context *ctx, const char *name);     /* sheet_scenarios.c */
ao_error ao_sheet_uncertainty(ao_book_context *ctx, const char *name);   /* sheet_uncertainty.c */
ao_error ao_sheet_comparison(ao_book_context *ctx, const char *name);    /* sheet_comparison.c */
ao_error ao_sheet_charts(ao_book_context *ctx, const char *name);        /* sheet_charts.c */

/* Risk flags (MODEL.md "Risk indicators"), the same on the Indicators and Scenarios
 * sheets. Shares are shown to 0.1 %: a share is flagged only when it is below its
 * baseline by more than half of what is shown, so that rounding never paints an unchanged
 * share red. */
#define AO_SHARE_FLAG_TOLERANCE 0.0005
#define AO_CV_FLAG 0.1
#define AO_MARGIN_FLAG (-1e-6)
#define AO_FULL_FLAG 0.9995

/* ---- names beside ids: "" for an index out of range ---- */

const char *ao_sheet_icb_id(const ao_model *m, int i);
const char *ao_sheet_icb_name(const ao_model *m, int i);
const char *ao_sheet_service_id(const ao_model *m, int s);
const char *ao_sheet_service_name(const ao_model *m, int s);
const char *ao_sheet_provider_id(const ao_model *m, int p);
const char *ao_sheet_provider_name(const ao_model *m, int p);

/* A blank region, or an ICB without one, as the sheets write it. */
#define AO_NO_REGION "(no region)"

/**
 * @brief The region slot of ICB i: its index into m->regions, or m->n_regions when it
 * has none that the model knows (so an array of n_regions + 1 slots holds every ICB).
 */
int ao_sheet_region_index(const ao_model *m, int i);
/** @brief The name of region slot r: the region as written, or AO_NO_REGION when blank. */
const char *ao_sheet_region_label(const ao_model *m, int r);
/** @brief The region of ICB i as the sheets write it (AO_NO_REGION when blank). */
const char *ao_sheet_icb_region(const ao_model *m, int i);
/**
 * @brief The region slot of a budget pool (an ICB id, a merged footprint's id, or a
 * joint committee whose ICBs are all in one region), or -1 when the pool has no single
 * region (England, a group across regions, a collaborative, an unknown name).
 */
int ao_sheet_pool_region(const ao_model *m, const char *pool, int is_collaborative);
/** @brief "specialised" or "priority". */
const char *ao_sheet_category_name(const ao_model *m, int s);
/** @brief Capacity row k, or NULL. */
const ao_capacity *ao_sheet_capacity_row(const ao_model *m, int k);
/** @brief Year t as the model labels it ("2025/26"), as text. */
void ao_sheet_put_year(ao_sheet *sh, lxw_col_t col, const ao_model *m, int t);

/**
 * Totals of a set of service-year lines (an ICB, a region, a programme), over every year
 * of the plan, undiscounted. Zero-initialise, then add lines.
 */
typedef struct ao_sheet_tally {
    double spend;           ///< Revenue spend (£).
    double specialised;     ///< Of which on specialised services (£).
    double activity;        ///< Activity, each service in its own units, added up.
    double benefit;         ///< Benefit, undiscounted.
    double coverage_sum;    ///< Coverage summed over the lines with need after prevention.
    size_t coverage_n;      ///< Those lines.
    double lowest_coverage; ///< The lowest of those coverages (when coverage_n > 0).
} ao_sheet_tally;

/** @brief Add a service-year line of model m to a tally. */
void ao_sheet_tally_add(ao_sheet_tally *x, const ao_model *m, const ao_service_year *y);
/** @brief Add one tally to another. */
void ao_sheet_tally_merge(ao_sheet_tally *into, const ao_sheet_tally *x);
/** @brief Specialised spend / revenue spend; NAN when nothing is spent. */
double ao_sheet_tally_share(const ao_sheet_tally *x);
/** @brief Average coverage (the mean over the lines with need); NAN when none has need. */
double ao_sheet_tally_coverage(const ao_sheet_tally *x);
/** @brief The lowest coverage; NAN when no line has need. */
double ao_sheet_tally_lowest(const ao_sheet_tally *x);

/** @brief A status in words ("Optimal plan found"). */
const char *ao_sheet_status_words(ao_solve_status status);
/** @brief What a status means, in a sentence. */
const char *ao_sheet_status_explanation(ao_solve_status status);

#endif /* AO_REPORT_SHEETS_H */
