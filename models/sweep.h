/**
 * @file models/sweep.h
 * @brief Budget and setting sweeps: solve a series of changed inputs and report the
 * efficient frontier (objective and specialised share against the varied input).
 */
#ifndef AO_MODELS_SWEEP_H
#define AO_MODELS_SWEEP_H

#include <stddef.h>

#include "common/diag.h"
#include "common/error.h"
#include "common/table.h"
#include "models/plan.h"

/** One point of a sweep. */
typedef struct ao_sweep_point {
    double value;                ///< Scale factor (table columns) or setting value.
    ao_solve_status status;      ///< Outcome.
    double objective;            ///< First-pass objective (NAN unless optimal).
    double total_revenue_spend;  ///< £, undiscounted.
    double total_capital_spend;  ///< £, undiscounted.
    double specialised_share;    ///< Specialised share of revenue spend.
    double varied_total;         ///< Sum of the varied column after scaling (£ for budgets).
    int has_funding_gap;         ///< 1 when infeasible and its funding gap was measured.
    double funding_gap;          ///< Least extra revenue (£), NAN when money cannot help.
} ao_sweep_point;

/** A finished sweep. */
typedef struct ao_sweep {
    char *table;            ///< Table varied ("budgets", "settings").
    char *column;           ///< Column (or, for settings, the key) varied.
    int is_setting;         ///< 1 when a setting's value is set; 0 when a column is scaled.
    size_t n_points;        ///< Points.
    ao_sweep_point *points; ///< Points, in increasing value.
    char *benefit_unit;     ///< Label of the objective's unit.
    int objective_is_cost;  ///< 1 for the cost objective.
} ao_sweep;

/**
 * @brief Run a sweep.
 *
 * `what` is "table.column" (every numeric cell of the column is multiplied by each
 * value, e.g. "budgets.revenue" from 0.8 to 1.2) or "settings.key" (the setting is set
 * to each value, e.g. "settings.specialised_share_floor" from 0 to 1). The values run
 * from `from` to `to` in `steps` evenly spaced points (steps ≥ 2).
 *
 * @param[in] tables The input.
 * @param[in] options Solve options (NULL: defaults).
 * @param[in] n_threads Threads for the points after the first.
 * @param[out] out The sweep.
 * @param[in,out] diags Problems with `what` or with the changed inputs.
 * @return AO_NO_ERROR, AO_ERROR_INPUT, AO_ERROR_OPTIONS (bad range) or a solver/memory error.
 */
ao_error ao_sweep_run(const ao_tableset *tables, const char *what, double from, double to,
                      int steps, const ao_plan_options *options, int n_threads, ao_sweep **out,
                      ao_diags *diags);

/** @brief Free a sweep. Accepts NULL. */
void ao_sweep_free(ao_sweep *sweep);

#endif /* AO_MODELS_SWEEP_H */
