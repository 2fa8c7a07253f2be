/**
 * @file models/plan.h
 * @brief A solved plan read back into domain terms, with its risk indicators.
 *
 * Produced by ao_plan_solve() from a model; consumed by the writers in report/.
 * Every array is owned by the plan. Money is in pounds, activity in each
 * service's units. Index names follow MODEL.md (i ICB, s service, p provider,
 * k capacity row, t year).
 */
#ifndef AO_MODELS_PLAN_H
#define AO_MODELS_PLAN_H

#include <stddef.h>

#include "common/error.h"
#include "models/model.h"
#include "solver/lp.h"

/** One line of the Allocation sheet: activity of ICB i for service s at provider p. */
typedef struct ao_alloc_line {
    int i;           ///< ICB.
    int s;           ///< Service.
    int p;           ///< Provider, or -1 for a local service.
    int t;           ///< Year index.
    double activity; ///< Units commissioned.
    double spend;    ///< Revenue spend (£).
} ao_alloc_line;

/** Totals of ICB i for service s in year t (only pairs with a demand row). */
typedef struct ao_service_year {
    int i, s, t;                  ///< ICB, service, year.
    double activity;              ///< A_ist.
    double spend;                 ///< S_ist (£).
    double need;                  ///< N_ist, before prevention.
    double need_after_prevention; ///< N'_ist.
    double coverage;              ///< A / N' (0 when N' is 0).
    double benefit;               ///< b_s A_ist, undiscounted.
} ao_service_year;

/** Capacity added at capacity row k, paid in year t. */
typedef struct ao_expansion_line {
    int k;              ///< Capacity row.
    int t;              ///< Year paid.
    double units;       ///< z_pst: annual capacity added.
    double cost;        ///< κ_s z_pst (£).
    int available_from; ///< First year index the capacity can be used (t + L_s).
} ao_expansion_line;

/** Capacity row k in year t. */
typedef struct ao_capacity_use {
    int k, t;          ///< Capacity row, year.
    double available;  ///< C_ps plus expansion usable in year t.
    double used;       ///< Σ_i x_ispt.
    double min_volume; ///< V_ps or NAN.
} ao_capacity_use;

/** Kind of budget pool line. */
typedef enum ao_budget_kind {
    AO_BUDGET_REVENUE = 0, ///< Whole revenue (delegated).
    AO_BUDGET_SPECIALISED, ///< Specialised pool (joint / national).
    AO_BUDGET_PRIORITY,    ///< Priority revenue of one ICB (joint / national).
    AO_BUDGET_CAPITAL,     ///< Capital of one ICB.
    AO_BUDGET_COLLABORATIVE ///< A provider collaborative's pooled budget (v2).
} ao_budget_kind;

/** @brief Name of a budget kind ("revenue", "specialised", "priority", "capital"). */
const char *ao_budget_kind_name(ao_budget_kind kind);

/**
 * @brief Lower-case name of a solve outcome ("optimal", "infeasible", "unbounded",
 * "not solved"), as the outputs write it. The writers take it from here, not from solver/.
 */
const char *ao_plan_status_name(ao_solve_status status);

/** @brief Lower-case name of the backend that solved a plan ("glpk", "clp"). */
const char *ao_plan_solver_name(ao_solver_kind kind);

/** @brief The method that solved, in words for a report ("COIN-OR CLP dual simplex"). */
const char *ao_plan_solver_description(ao_solver_kind kind);

/** One line of the Budgets sheet. */
typedef struct ao_budget_line {
    char *pool;          ///< ICB id, joint-committee name, or "England".
    int t;               ///< Year index.
    ao_budget_kind kind; ///< Kind.
    double available;    ///< Budget (£).
    double used;         ///< Spend (£).
    double headroom;     ///< available − used.
    double shadow_price; ///< Objective gained per extra £1m of this budget.
    double price_from;   ///< Lowest budget (£) at which shadow_price still holds (-INFINITY).
    double price_to;     ///< Highest budget (£) at which shadow_price still holds (INFINITY).
    int binding;         ///< 1 when headroom is (numerically) zero and it limits the plan.
} ao_budget_line;

/** One line of the Constraints sheet: one LP row in words. */
typedef struct ao_constraint_line {
    char *group;       ///< Constraint family, e.g. "Capital".
    char *description; ///< In words: "ICB03 2026/27 capital".
    double activity;   ///< Value of the row's left-hand side.
    double lower;      ///< Lower bound or -INFINITY.
    double upper;      ///< Upper bound or INFINITY.
    double slack;      ///< Distance to the nearest bound.
    int binding;       ///< 1 when at a bound.
    double dual;       ///< Objective change per unit of the bound (first pass).
} ao_constraint_line;

/** Revenue prioritisation indicator: ICB i, year t. */
typedef struct ao_share_indicator {
    int i, t;                  ///< ICB, year.
    double specialised_spend;  ///< Σ_spec S_ist.
    double total_spend;        ///< Σ_s S_ist.
    double share;              ///< specialised / total (0 when total is 0).
    double baseline_share;     ///< β_i.
} ao_share_indicator;

/** Access-to-capital indicator: host ICB i, year t. */
typedef struct ao_capital_indicator {
    int i, t;                   ///< Host ICB, year.
    double specialised_capital; ///< Capital spent on specialised services' capacity.
    double total_capital;       ///< All capital spent.
    double available_capital;   ///< K_it.
    double share;               ///< specialised / total (0 when total is 0).
} ao_capital_indicator;

/** Geographic variation indicator: specialised service s, year t. */
typedef struct ao_variation_indicator {
    int s, t;             ///< Service, year.
    int n_icbs;           ///< ICBs with need.
    double mean_coverage; ///< Mean of A/N over those ICBs (need before prevention).
    double min_coverage;  ///< Lowest coverage.
    double max_coverage;  ///< Highest coverage.
    double cv;            ///< Coefficient of variation (population sd / mean; 0 if mean 0).
} ao_variation_indicator;

/** Fragmentation indicator: provider p, year t (t = -1: over the horizon). */
typedef struct ao_fragmentation_indicator {
    int p, t;   ///< Provider, year (or -1).
    int n_icbs; ///< ICBs commissioning any activity from p.
} ao_fragmentation_indicator;

/** Centre-of-excellence indicator: capacity row k with a minimum volume, year t. */
typedef struct ao_volume_indicator {
    int k, t;          ///< Capacity row, year.
    double volume;     ///< Σ_i x_ispt.
    double min_volume; ///< V_ps.
    double margin;     ///< volume − V_ps.
} ao_volume_indicator;

/** Prevention indicator: link l, year t. */
typedef struct ao_prevention_indicator {
    int link, t;            ///< Link, year the prevention is bought.
    double activity;        ///< Σ_i A_iqt.
    double need_avoided;    ///< e Σ_i A_iqt (for ICBs with need for the target).
    int lands_in;           ///< Year index the avoided need lands in (t + ℓ; may be ≥ T).
} ao_prevention_indicator;

/** One limit that must move for a plan to exist (the elastic diagnosis). */
typedef struct ao_diagnosis_line {
    char *group;       ///< Constraint family, e.g. "Revenue".
    char *description; ///< The limit in words: "ICB05 2027/28 revenue".
    char *sentence;    ///< What must change, in finance words.
    double limit;      ///< The limit as given.
    double change;     ///< How far it must move (positive).
    int lower;         ///< 1 when a minimum must come down; 0 when a maximum must go up.
    int money;         ///< 1 when the limit is in pounds.
} ao_diagnosis_line;

/** Contracts indicator: distinct providers ICB i commissions from over the plan. */
typedef struct ao_contract_indicator {
    int i;                ///< ICB.
    int n_providers;      ///< Providers with any activity.
    double max_providers; ///< The ICB's limit, or NAN.
} ao_contract_indicator;

/** Collaborative flows: collaborative c in year t. */
typedef struct ao_collaborative_indicator {
    int c, t;               ///< Collaborative, year.
    double spend;           ///< Spend of its ICBs on its services (£).
    double budget;          ///< Its pooled budget (£), or NAN when it has none.
    double member_activity; ///< Activity of its ICBs for its services at member providers.
} ao_collaborative_indicator;

/** A limit today's plan breaks (MODEL.md rule 16), in finance words. */
typedef struct ao_broken_limit {
    char *limit;       ///< Which rule: "revenue (rule 6)".
    char *description; ///< In words, naming ICB/pool, service and year.
    int i, s, t;       ///< ICB, service, year (-1 when the limit has none).
    double value;      ///< Today's plan's figure (£ or units).
    double bound;      ///< The limit it breaks.
    double amount;     ///< By how much (positive).
    int money;         ///< 1 when value, bound and amount are in pounds.
} ao_broken_limit;

/** Today's plan carried forward and evaluated under the same rules (MODEL.md rule 16). */
typedef struct ao_current_plan {
    int evaluated;                  ///< 1 once computed.
    double objective;               ///< Its objective under settings.objective (discounted).
    double total_benefit;           ///< Σ_t Σ b_s A⁰_ist, undiscounted.
    double total_revenue_spend;     ///< Σ S⁰_ist (£), undiscounted.
    size_t n_alloc;                 ///< Lines of today's plan (x⁰ and y⁰).
    ao_alloc_line *alloc;           ///< Lines.
    size_t n_service_years;         ///< Today's totals by ICB, service and year.
    ao_service_year *service_years; ///< Totals (same order as the plan's).
    size_t n_broken;                ///< Limits today's plan breaks.
    ao_broken_limit *broken;        ///< Those limits, largest relative amount first.
} ao_current_plan;

/** Activity of provider p for service s in year t against today's plan (MODEL.md rule 17). */
typedef struct ao_provider_move {
    int p, s, t;    ///< Provider, service, year.
    double today;   ///< Σ_i x⁰_ispt.
    double planned; ///< Σ_i x_ispt.
    double gained;  ///< Σ_i max(0, x − x⁰): activity moved to p.
    double lost;    ///< Σ_i max(0, x⁰ − x): activity moved away from p.
} ao_provider_move;

/** Resourcing priority by arrangement (rule 14): specialised services under arrangement a
 * in year t, against what they had the year before the plan. */
typedef struct ao_arrangement_indicator {
    int t;                       ///< Year.
    ao_arrangement arrangement;  ///< Arrangement.
    int n_services;              ///< Specialised services with any ICB under it that year.
    int n_pairs;                 ///< ICB × service pairs (with a demand row) under it.
    double spend;                ///< Their revenue spend in the plan (£).
    double baseline_spend;       ///< Their baseline spend, Σ c_s a0_is (£).
    double activity;             ///< Their activity.
    double need;                 ///< Their need N_ist, before prevention.
    double coverage;             ///< activity / need (0 when need is 0).
} ao_arrangement_indicator;

/** Innovation (centres of excellence): provider p's specialised work in year t against
 * today's plan and its minimum viable volumes. */
typedef struct ao_innovation_indicator {
    int p, t;              ///< Centre of excellence, year.
    double activity;       ///< Specialised activity commissioned from p.
    double spend;          ///< Its spend (£).
    double today_activity; ///< The same in today's plan carried forward (rule 16).
    double today_spend;    ///< Its spend (£).
    double min_volume;     ///< Σ V_ps over p's specialised capacity rows, or NAN when none.
} ao_innovation_indicator;

/** Wall-clock seconds of each step of ao_plan_solve() (for benchmarks and -v). */
typedef struct ao_plan_timings {
    double formulate;   ///< Building the LP from the model.
    double load;        ///< Handing the LP to the solver (and writing it with --lp).
    double solve;       ///< The first (best objective) solve, simplex and branch-and-cut.
    double ranges;      ///< Ranging the budget limits' shadow prices.
    double second_pass; ///< The least-spend solve.
    double report;      ///< Reading the plan back: allocation, budgets, indicators.
    double verify;      ///< The independent check of every limit.
    double diagnose;    ///< Explaining an infeasible plan.
    double continuity;  ///< The third pass: least activity moved from today's providers.
    double current;     ///< Evaluating today's plan.
    double funding_gap; ///< The least extra revenue that makes an infeasible plan feasible.
} ao_plan_timings;

/** A solved (or unsolvable) plan. */
typedef struct ao_plan {
    ao_solve_status status;       ///< Outcome.
    double objective;             ///< First-pass objective (discounted).
    double total_benefit;         ///< Σ_t Σ b_s A_ist, undiscounted.
    double discounted_benefit;    ///< Σ_t (1+r)^-t Σ b_s A_ist.
    double total_revenue_spend;   ///< Σ S_ist, undiscounted (£).
    double total_capital_spend;   ///< Σ κ_s z_pst, undiscounted (£).
    double specialised_share;     ///< Specialised revenue spend / all revenue spend.
    ao_arrangement arrangement;   ///< Arrangement solved.

    size_t n_rows, n_cols, n_nz;  ///< LP size.
    int warm_started;             ///< 1 when the solve started from a given basis.
    ao_solver_kind solver_used;   ///< Backend that solved (GLPK for a MIP).
    ao_plan_timings timings;      ///< Where the time went.
    ao_basis *basis;              ///< First-pass optimal basis (when asked to keep it).

    size_t n_alloc;               ///< Allocation lines (activity > 0 or not: all columns).
    ao_alloc_line *alloc;         ///< Lines.
    size_t n_service_years;       ///< Service-year totals.
    ao_service_year *service_years; ///< Totals.
    size_t n_expansions;          ///< Expansion lines (one per z column).
    ao_expansion_line *expansions; ///< Lines.
    size_t n_capacity_use;        ///< Capacity use lines.
    ao_capacity_use *capacity_use; ///< Lines.
    size_t n_budgets;             ///< Budget lines.
    ao_budget_line *budgets;      ///< Lines.
    size_t n_constraints;         ///< Constraint lines.
    ao_constraint_line *constraints; ///< Lines.

    size_t n_shares;                         ///< Revenue prioritisation lines.
    ao_share_indicator *shares;              ///< Lines.
    size_t n_capital_shares;                 ///< Capital lines.
    ao_capital_indicator *capital_shares;    ///< Lines.
    size_t n_variation;                      ///< Variation lines.
    ao_variation_indicator *variation;       ///< Lines.
    size_t n_fragmentation;                  ///< Fragmentation lines.
    ao_fragmentation_indicator *fragmentation; ///< Lines.
    size_t n_volumes;                        ///< Centre-of-excellence lines.
    ao_volume_indicator *volumes;            ///< Lines.
    size_t n_prevention;                     ///< Prevention lines.
    ao_prevention_indicator *prevention;     ///< Lines.
    size_t n_contracts;                      ///< Contracts-per-ICB lines.
    ao_contract_indicator *contracts;        ///< Lines.
    size_t n_collaborative_flows;            ///< Collaborative lines.
    ao_collaborative_indicator *collaborative_flows; ///< Lines.

    int is_mip;                   ///< 1 when whole-valued decisions were part of the model.
    double mip_gap;               ///< Relative gap proved by branch-and-cut (MIP only).

    char *infeasibility;          ///< When infeasible: why, in words (else NULL).
    int suspect_budgets;          ///< When infeasible: budgets validation found mistyped,
                                  ///< named in the first line of infeasibility.
    size_t n_diagnosis;           ///< When infeasible: limits that must move.
    ao_diagnosis_line *diagnosis; ///< Those limits, largest relative change first.

    /* v3 (MODEL.md rules 14-18). */
    size_t n_arrangement_mix;                ///< Resourcing-by-arrangement lines.
    ao_arrangement_indicator *arrangement_mix; ///< Lines, by year then arrangement.
    size_t n_innovation;                     ///< Innovation lines (centres of excellence).
    ao_innovation_indicator *innovation;     ///< Lines, by provider then year.
    ao_current_plan current;      ///< Today's plan, evaluated (rule 16).
    int has_continuity;           ///< 1 when the third pass ran (flows given, rule 17).
    double moved_activity;        ///< M = Σ |x − x⁰| of the reported plan (rule 17).
    size_t n_moves;               ///< Provider-service-year lines against today.
    ao_provider_move *moves;      ///< Those lines.
    int has_funding_gap;          ///< 1 when infeasible and the gap was computed (rule 18).
    double funding_gap;           ///< Least extra revenue (£), NAN when money cannot help.
    double *funding_gap_by;       ///< Per (i,t), i * years + t: extra revenue (NULL if none).

    /* Independent check of the plan against MODEL.md (models/verify.h). */
    int verified;                 ///< 1 once ao_plan_verify() has run.
    double max_violation;         ///< Largest amount by which any limit is broken (0 if none).
    double max_relative_violation; ///< The same, relative to the size of the limit.
    char *worst_violation;        ///< The limit broken most (relative), in words, or NULL.
    size_t n_checks;              ///< Number of limits checked.
} ao_plan;

/** Options of a plan solve. Fill with ao_plan_options_set_default(). */
typedef struct ao_plan_options {
    ao_solver_options solver;   ///< Solver settings.
    int second_pass;            ///< 1 to pick the least-spend optimal plan (default 1).
    const char *lp_path;        ///< Write the LP here in CPLEX LP format (NULL: no).
    const ao_basis *warm_start; ///< Start from this basis when the LP has its shape.
    int keep_basis;             ///< 1 to keep the first-pass optimal basis in plan->basis.
    int ranges;                 ///< 1 to range the budgets' shadow prices (default 1).
    int funding_gap;            ///< 1 to measure an infeasible plan's funding gap (default 1).
    int continuity;             ///< 1 for the third pass when flows are given (default 1).
} ao_plan_options;

/** @brief Fill options with defaults. */
void ao_plan_options_set_default(ao_plan_options *options);

/**
 * @brief Formulate the model, solve it and read the plan back.
 * @param[in] model A validated model.
 * @param[in] options NULL for defaults.
 * @param[out] out The plan (also for an infeasible model: status says so).
 * @return AO_NO_ERROR, a memory error, AO_ERROR_SOLVER, or AO_ERROR_FILE_WRITE (LP export).
 */
ao_error ao_plan_solve(const ao_model *model, const ao_plan_options *options, ao_plan **out);

/** @brief Free a plan. Accepts NULL. */
void ao_plan_free(ao_plan *plan);

/**
 * @brief Solve several models (a baseline and its scenarios): models[0] first and
 * cold, then the others in up to n_threads threads, each warm-started from the first
 * one's optimal basis when its LP has the same shape. The plans do not depend on
 * n_threads.
 * @param[in] options Applied to every solve (lp_path only to the first); NULL: defaults.
 * The first plan keeps its basis when there is more than one model or options asks.
 * @param[out] plans n entries; each set, or NULL after an error.
 * @return AO_NO_ERROR or the first error met.
 */
ao_error ao_plan_solve_all(const ao_model *const *models, size_t n,
                           const ao_plan_options *options, int n_threads, ao_plan **plans);

/** One solved case: the baseline or a scenario. */
typedef struct ao_case {
    char *name;            ///< "baseline" or the scenario name.
    const ao_model *model; ///< Model solved (not owned).
    ao_plan *plan;         ///< Plan (not owned).
} ao_case;

struct ao_study;

/** Wall-clock seconds of the steps of a run outside ao_plan_solve(), from the program. */
typedef struct ao_run_timings {
    double read;  ///< Reading the input tables.
    double check; ///< Building and validating the models (baseline and scenarios).
    double write; ///< Writing the results workbook.
    double total; ///< From the start of the run to the end of the workbook.
} ao_run_timings;

/** Everything the writers report. cases[0] is the case shown in detail. */
typedef struct ao_results {
    const ao_tableset *tables; ///< Input tables as read (for the Inputs sheet).
    const char *input_path;    ///< Input folder or workbook.
    size_t n_cases;            ///< Cases.
    ao_case *cases;            ///< Baseline first, then scenarios.
    const struct ao_study *uncertainty; ///< Uncertainty study (models/uncertainty.h), or NULL.
    const ao_run_timings *timings; ///< Where the run's time went (JSON only), or NULL.
} ao_results;

#endif /* AO_MODELS_PLAN_H */
