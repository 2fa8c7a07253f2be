/**
 * @file models/uncertainty.h
 * @brief Monte Carlo uncertainty studies: the `uncertainty` table, perturbed samples
 * of the input, their solves, and the figures reported over them (docs/whatif.md).
 *
 * A study draws N samples. Sample i (0-based) changes the cells that the uncertainty
 * table names by numbers drawn from a generator seeded from (seed, i) alone
 * (models/random.h), builds and solves the changed model warm-started from the
 * baseline's basis, and keeps only a small record: status, objective, spend, and per
 * ICB one bit saying whether the baseline plan breaks that ICB's budgets under the
 * sample's budgets (beyond the study's breach tolerance) and the overspend in £. A study
 * may run a shard of the samples (i mod n == k - 1); records of shards merge into
 * exactly the records of the whole study.
 */
#ifndef AO_MODELS_UNCERTAINTY_H
#define AO_MODELS_UNCERTAINTY_H

#include <stddef.h>
#include <stdint.h>

#include "common/diag.h"
#include "common/error.h"
#include "common/table.h"
#include "models/model.h"
#include "models/plan.h"

/** Probability distribution of one uncertainty row. */
typedef enum ao_distribution {
    AO_DIST_NORMAL = 0, ///< mean, sd.
    AO_DIST_UNIFORM,    ///< low, high.
    AO_DIST_TRIANGULAR  ///< low, likely, high.
} ao_distribution;

/** One cell an uncertainty row changes. */
typedef struct ao_uncertain_cell {
    size_t table; ///< Index of the table in the tableset.
    size_t row;   ///< Data row.
    long col;     ///< Column.
} ao_uncertain_cell;

/** One row of the uncertainty table, checked. */
typedef struct ao_uncertainty_row {
    long source_row;              ///< Row in the file or sheet.
    ao_distribution distribution; ///< Distribution drawn from.
    int add;                      ///< 1: the draw is added to the cell; 0: it multiplies it.
    int shared;                   ///< 1: one draw for every cell; 0: one draw per cell.
    double mean, sd;              ///< Normal parameters.
    double low, likely, high;     ///< Uniform (low, high) and triangular parameters.
    size_t first_cell;            ///< First of its cells in ao_uncertainty.cells.
    size_t n_cells;               ///< Cells it changes (a blank cell it scales is left out).
} ao_uncertainty_row;

/** The uncertainty table of an input, checked against the input's tables. */
typedef struct ao_uncertainty {
    size_t n_rows;            ///< Rows, in file order.
    ao_uncertainty_row *rows; ///< Rows.
    size_t n_cells;           ///< Cells changed, row by row, in table order.
    ao_uncertain_cell *cells; ///< Cells.
    size_t n_draws;           ///< Numbers drawn per sample.
} ao_uncertainty;

/**
 * @brief Read and check the uncertainty table.
 *
 * Every problem is reported in diags with the uncertainty table's file, row and column:
 * a row naming a table, column or key that does not exist or matches no row, a key
 * column, a cell that is not a number, an unknown distribution, apply or draw, a
 * missing or non-numeric parameter, sd < 0, low > high, likely outside [low, high].
 *
 * @param[in] tables The input (must outlive the result, unchanged).
 * @param[out] out The checked table, or NULL when there is none or it has errors.
 * @param[in,out] diags Problems found.
 * @return AO_NO_ERROR (also when there is no uncertainty table), AO_ERROR_INPUT or a
 * memory error.
 */
ao_error ao_uncertainty_read(const ao_tableset *tables, ao_uncertainty **out, ao_diags *diags);

/** @brief Free what ao_uncertainty_read() returned. Accepts NULL. */
void ao_uncertainty_free(ao_uncertainty *u);

/**
 * @brief The numbers sample `sample` of a study with seed `seed` draws, in the order
 * they are applied: rows in file order; a shared row draws once, an `each` row once
 * per cell, in table order.
 * @param[out] draws u->n_draws numbers.
 */
void ao_uncertainty_draw(const ao_uncertainty *u, uint64_t seed, uint64_t sample, double *draws);

/**
 * @brief A copy of the tables with the draws applied (scale: cell × draw; add: cell +
 * draw; written back with 17 significant digits).
 * @param[out] out The changed copy (NULL after an error).
 * @param[out] valid 0 when a result is not a finite number (the sample's input is then
 * invalid), else 1.
 * @return AO_NO_ERROR or a memory error.
 */
ao_error ao_uncertainty_apply(const ao_uncertainty *u, const ao_tableset *tables,
                              const double *draws, ao_tableset **out, int *valid);

/** Outcome of one sample. */
typedef enum ao_sample_status {
    AO_SAMPLE_OPTIMAL = 0,   ///< A plan was found.
    AO_SAMPLE_INFEASIBLE,    ///< No plan meets every limit.
    AO_SAMPLE_INVALID_INPUT, ///< The drawn input breaks a rule of the input (a negative budget).
    AO_SAMPLE_UNBOUNDED,     ///< The objective has no limit.
    AO_SAMPLE_FAILED,        ///< The solver failed or its plan did not pass the check.
    AO_SAMPLE_STATUSES       ///< Number of statuses.
} ao_sample_status;

/** @brief Name of a status: "optimal", "infeasible", "invalid_input", "unbounded", "failed". */
const char *ao_sample_status_name(ao_sample_status status);

/** @brief Status of a name, or -1. */
int ao_sample_status_parse(const char *name);

/** What is kept of one sample. */
typedef struct ao_sample_record {
    uint64_t sample;         ///< Sample index (0-based).
    ao_sample_status status; ///< Outcome.
    double objective;        ///< First-pass objective (NAN unless optimal).
    double spend;            ///< Revenue plus capital spend, undiscounted (NAN unless optimal).
    double funding_gap;      ///< Infeasible: least extra revenue (£, MODEL.md rule 18), or
                             ///< INFINITY when money alone cannot help; else NAN.
} ao_sample_record;

/** A budget line of the baseline plan, as the report needs it. */
typedef struct ao_study_budget {
    char *pool;          ///< ICB id or group.
    char year[16];       ///< Year label ("2025/26").
    ao_budget_kind kind; ///< Kind.
    double available;    ///< Budget (£).
    double used;         ///< The baseline plan's use (£).
} ao_study_budget;

/** A study, or a shard of one: settings, the baseline's headline and the records. */
typedef struct ao_study {
    char fingerprint[17];    ///< Hash of the input tables, arrangement and version (hex).
    uint64_t seed;           ///< Study seed.
    size_t n_samples;        ///< Samples in the whole study.
    int shard;               ///< Shard held (1-based), with n_shards; 1 of 1 for a whole study.
    int n_shards;            ///< Shards the study is split into.
    size_t shards_merged;    ///< Shards combined into this study (1 for a single run).
    double breach_tolerance; ///< A budget is breached when use > available × (1 + this).

    char *model_name;                ///< Settings name, or NULL.
    char *arrangement;               ///< Arrangement solved.
    int cost_objective;              ///< 1 when the objective is discounted spend (£).
    char *benefit_unit;              ///< Benefit unit.
    ao_solve_status baseline_status; ///< Baseline outcome.
    double baseline_objective;       ///< Baseline objective (NAN unless optimal).
    double baseline_revenue;         ///< Baseline revenue spend (£).
    double baseline_capital;         ///< Baseline capital spend (£).

    size_t n_icbs;            ///< ICBs.
    char **icb_ids;           ///< Their ids.
    char **icb_names;         ///< Their names.
    double *icb_budgets;      ///< Per ICB: its baseline budgets over the plan (£), its part
                              ///< of a merged footprint's lines included (as overspend is).
    size_t n_budgets;         ///< Baseline budget lines (revenue, priority, capital).
    ao_study_budget *budgets; ///< Lines.

    size_t n_records;          ///< Records held, by sample index.
    ao_sample_record *records; ///< Records.
    unsigned char *breach;     ///< n_records × n_icbs: 1 when the ICB's budget is breached.
    double *overspend;         ///< n_records × n_icbs: the ICB's overspend (£, 0 or more).
} ao_study;

/** @brief Free a study. Accepts NULL. */
void ao_study_free(ao_study *study);

/** Options of a study run. */
typedef struct ao_study_options {
    uint64_t seed;           ///< Study seed.
    size_t n_samples;        ///< Samples in the whole study (1 or more).
    int shard;               ///< Shard to run (1-based).
    int n_shards;            ///< Shards (1: every sample).
    int threads;             ///< Worker threads (the records do not depend on it).
    int arrangement;         ///< Arrangement forced on every sample, or -1.
    ao_plan_options plan;    ///< Solve options; warm_start is set to the baseline's basis.
    double breach_tolerance; ///< Share of a budget overspent before it counts as breached
                             ///< (AO_STUDY_DEFAULT_BREACH_TOLERANCE; 0 ≤ it < 1).
} ao_study_options;

/** Most samples in a study: one Excel sheet lists them all. */
#define AO_STUDY_MAX_SAMPLES 1000000

/** Numerical tolerance of the breach test: a baseline budget counts as breached (and
 * overspent) only when the plan's use exceeds the sample's budget by more than this share
 * of the budget (or 1e-7 of £1 for a budget under £1), on top of the study's breach
 * tolerance. */
#define AO_BREACH_TOLERANCE 1e-7

/** Breach tolerance of a study when none is given: any overspend is a breach. */
#define AO_STUDY_DEFAULT_BREACH_TOLERANCE 0.0

/**
 * @brief Whether a breach tolerance may be used: a finite share from 0 (any overspend
 * is a breach) up to, not including, 1 (100 % of the budget).
 */
int ao_breach_tolerance_valid(double tolerance);

/**
 * @brief Run a study (or one shard of it).
 * @param[in] tables The input as read.
 * @param[in] u Its checked uncertainty table.
 * @param[in] model The baseline model (with any arrangement override applied).
 * @param[in] baseline The baseline plan, solved with keep_basis.
 * @param[in] options Samples, seed, shard, threads, breach tolerance.
 * @param[out] out The study with the shard's records in sample order.
 * @return AO_NO_ERROR, AO_ERROR_OPTIONS (samples, shard or breach tolerance out of
 * range) or a memory error. Samples whose input is invalid or whose solve fails are
 * records, not errors.
 */
ao_error ao_study_run(const ao_tableset *tables, const ao_uncertainty *u, const ao_model *model,
                      const ao_plan *baseline, const ao_study_options *options, ao_study **out);

/**
 * @brief The input's fingerprint: a 64-bit FNV-1a hash, in hex, of every table's name,
 * headings and cells (tables taken in name order), the arrangement forced (or -1), the
 * LP backend and the program's version. Shards of one study share it.
 */
void ao_study_fingerprint(const ao_tableset *tables, int arrangement, ao_solver_kind solver,
                          char out[17]);

/** Number of bins of the objective's histogram. */
#define AO_HISTOGRAM_BINS 20

/** Order statistics of one figure over the samples with a plan. */
typedef struct ao_study_stats {
    size_t n;              ///< Samples counted.
    double p10, p50, p90;  ///< Percentiles (Excel's PERCENTILE.INC).
    double mean, min, max; ///< Mean (summed in sample order), extremes.
} ao_study_stats;

/** How much the baseline plan overspends one ICB's budgets over the valid samples. */
typedef struct ao_overspend_stats {
    double budget;    ///< The ICB's baseline budgets over the plan (£): ao_study.icb_budgets.
    double p50, p90;  ///< Percentiles of the overspend (£; samples without one count as 0).
    double p50_share; ///< p50 / budget (NAN when budget is 0 or no sample is valid).
    double p90_share; ///< p90 / budget (NAN when budget is 0 or no sample is valid).
} ao_overspend_stats;

/** What the report shows of a study. */
typedef struct ao_study_summary {
    size_t count[AO_SAMPLE_STATUSES]; ///< Samples by status.
    size_t n_valid;                   ///< Samples whose input is valid (not invalid_input).
    double p_infeasible;              ///< count[INFEASIBLE] / samples.
    double p_invalid;                 ///< count[INVALID_INPUT] / samples.
    ao_study_stats objective;         ///< Objective.
    ao_study_stats spend;             ///< Revenue plus capital spend.
    size_t *breaches;                 ///< Per ICB: samples whose budgets the baseline breaks.
    double *p_breach;                 ///< Per ICB: breaches / n_valid (NAN when n_valid is 0).
    ao_overspend_stats *overspend;    ///< Per ICB: size of the overspend over the valid samples.
    size_t n_gaps;                    ///< Infeasible samples whose funding gap is known.
    size_t n_unfixable;               ///< Infeasible samples money alone cannot fix.
    ao_study_stats funding_gap;       ///< The gap (£) over the n_gaps samples.
    size_t n_bins;                    ///< Histogram bins (0 when no sample has a plan).
    double bin_from[AO_HISTOGRAM_BINS + 1]; ///< Bin edges: bin b is [from[b], from[b+1]).
    size_t bin_count[AO_HISTOGRAM_BINS];    ///< Samples per bin (the last bin includes max).
} ao_study_summary;

/**
 * @brief Summarise a whole study (records sorted by sample index).
 * @return AO_NO_ERROR or a memory error.
 */
ao_error ao_study_summarise(const ao_study *study, ao_study_summary *out);

/** @brief Free a summary's arrays. */
void ao_study_summary_free(ao_study_summary *summary);

/**
 * @brief Excel's PERCENTILE.INC: with h = (n − 1)p, x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
 * @param[in] sorted n values in ascending order (n ≥ 1).
 * @param[in] p Fraction from 0 to 1.
 */
double ao_percentile_inc(const double *sorted, size_t n, double p);

#endif /* AO_MODELS_UNCERTAINTY_H */
