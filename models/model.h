/**
 * @file models/model.h
 * @brief The domain model: ICBs, services, providers, budgets and policy rules,
 * validated and with every id interned to a dense index.
 *
 * Built from an ao_tableset by ao_model_build(), which checks every table and
 * records each problem in a diagnostics list. Index names follow MODEL.md:
 * i ICB, s service, p provider, t year. Dense per-pair arrays are row-major,
 * e.g. need[i * n_services + s].
 */
#ifndef AO_MODELS_MODEL_H
#define AO_MODELS_MODEL_H

#include <stddef.h>

#include "common/diag.h"
#include "common/error.h"
#include "common/table.h"

/** Service category (MODEL.md "Sets and data"). */
typedef enum ao_category {
    AO_CATEGORY_SPECIALISED = 0, ///< Specialised service.
    AO_CATEGORY_PRIORITY         ///< ICB priority.
} ao_category;

/** What the plan optimises. */
typedef enum ao_objective_kind {
    AO_OBJECTIVE_BENEFIT = 0, ///< Maximise discounted benefit.
    AO_OBJECTIVE_COST         ///< Minimise discounted revenue and capital spend.
} ao_objective_kind;

/** Commissioning arrangement (MODEL.md rule 6). */
typedef enum ao_arrangement {
    AO_ARRANGEMENT_DELEGATED = 0, ///< Each ICB holds its whole revenue.
    AO_ARRANGEMENT_JOINT,         ///< Specialised spend pooled per joint committee.
    AO_ARRANGEMENT_NATIONAL,      ///< Specialised spend pooled nationally.
    AO_ARRANGEMENT_COUNT          ///< Number of arrangements.
} ao_arrangement;

/** Which services a rule selects. */
typedef enum ao_selection_kind {
    AO_SELECT_ALL = 0,   ///< `*`
    AO_SELECT_CATEGORY,  ///< `category:X`
    AO_SELECT_PROGRAMME, ///< `programme:X`
    AO_SELECT_SERVICE    ///< `service:X`
} ao_selection_kind;

/** Whose spend a rule bounds. */
typedef enum ao_scope_kind {
    AO_SCOPE_EACH = 0, ///< `*`: each ICB separately.
    AO_SCOPE_ALL,      ///< `all`: all ICBs summed.
    AO_SCOPE_ICB       ///< One ICB.
} ao_scope_kind;

/** What a rule bounds. */
typedef enum ao_rule_kind {
    AO_RULE_MIN_SPEND = 0, ///< Spend ≥ value (£).
    AO_RULE_MAX_SPEND,     ///< Spend ≤ value (£).
    AO_RULE_MIN_SHARE,     ///< Spend ≥ value × revenue of the scope.
    AO_RULE_MAX_SHARE      ///< Spend ≤ value × revenue of the scope.
} ao_rule_kind;

/** Keys of the settings table. */
#define AO_N_SETTING_KEYS 11

/** The settings table's keys, NULL-terminated (the input template lists them too). */
extern const char *const ao_setting_keys[AO_N_SETTING_KEYS + 1];

/** Settings table. Optional numbers are NAN when not given. */
typedef struct ao_settings {
    char *name;                     ///< Model name (may be NULL).
    int first_year;                 ///< t = 0 (2025 means 2025/26).
    int years;                      ///< Horizon T.
    ao_objective_kind objective;    ///< Objective.
    ao_arrangement arrangement;     ///< Arrangement.
    double discount_rate;           ///< r (default 0).
    double specialised_share_floor; ///< φ, or NAN.
    double max_change;              ///< μ default for services, or NAN.
    double equity_band;             ///< δ, or NAN.
    char *benefit_unit;             ///< Label of the benefit unit (default "benefit units").
    double mip_gap;                 ///< Relative MIP gap (default 1e-6).
} ao_settings;

/** An Integrated Care Board. */
typedef struct ao_icb {
    char *id;             ///< Id as written.
    char *name;           ///< Name (defaults to the id).
    double population;    ///< Population.
    int region;           ///< Index into ao_model.regions.
    int group;            ///< Index into ao_model.groups (joint committee or own group).
    int own_group;        ///< 1 when the ICB has no joint committee (a group of its own).
    double max_providers; ///< v2 contract limit, or NAN.
    long row;             ///< Source row.
} ao_icb;

/** A service line. Optional numbers are NAN when not given. */
typedef struct ao_service {
    char *id;             ///< Id as written.
    char *name;           ///< Name (defaults to the id).
    ao_category category; ///< Specialised or priority.
    int programme;        ///< Index into ao_model.programmes, or -1.
    char *unit;           ///< Unit of activity (may be NULL).
    double unit_cost;     ///< c_s (£ per unit).
    double benefit;       ///< b_s per unit.
    double min_coverage;  ///< m_s ∈ [0,1] (default 0).
    double growth;        ///< γ_s (default 0).
    double capital_cost;  ///< κ_s (£ per unit of annual capacity), or NAN: no expansion.
    int capacity_lag;     ///< L_s (default 1).
    double max_change;    ///< μ_s, or NAN (then settings.max_change applies).
    int provided;         ///< 1 when the service has capacity rows.
    long row;             ///< Source row.
} ao_service;

/** A provider trust. */
typedef struct ao_provider {
    char *id;                 ///< Id as written.
    char *name;               ///< Name (defaults to the id).
    int host;                 ///< Host ICB index h(p).
    int centre_of_excellence; ///< 1 when flagged as a centre of excellence.
    double max_icbs;          ///< v2 contract limit, or NAN.
    long row;                 ///< Source row.
} ao_provider;

/** A capacity row (p, s). Optional numbers are NAN when not given. */
typedef struct ao_capacity {
    int provider;          ///< p.
    int service;           ///< s.
    double capacity;       ///< C_ps units a year.
    double unit_cost;      ///< c_ps, or NAN (then c_s).
    double min_volume;     ///< V_ps, or NAN.
    double max_expansion;  ///< E_ps, or NAN.
    double expansion_step; ///< v2 Δ_ps, or NAN.
    long row;              ///< Source row.
} ao_capacity;

/** A prevention link q → s. */
typedef struct ao_prevention {
    int source; ///< q.
    int target; ///< s.
    double effect; ///< e: need of s avoided per unit of q.
    int lag;    ///< ℓ years (default 1).
    long row;   ///< Source row.
} ao_prevention;

/** A policy rule (MODEL.md rule 10). */
typedef struct ao_rule {
    char *name;                 ///< Rule name.
    ao_scope_kind scope;        ///< Scope kind.
    int scope_icb;              ///< ICB index when scope is AO_SCOPE_ICB.
    ao_selection_kind selection; ///< Selection kind.
    char *selection_text;       ///< applies_to as written.
    unsigned char *selects;     ///< n_services flags: 1 when the rule covers service s.
    int year;                   ///< t index, or -1 for every year.
    ao_rule_kind kind;          ///< What is bounded.
    double value;               ///< £ or fraction.
    long row;                   ///< Source row.
} ao_rule;

/** A provider collaborative (MODEL.md rule 11). */
typedef struct ao_collaborative {
    char *id;                ///< Id as written.
    char *name;              ///< Name (defaults to the id).
    int lead;                ///< Lead provider index.
    char *selection_text;    ///< applies_to as written.
    unsigned char *services; ///< n_services flags: services S_c.
    unsigned char *icbs;     ///< n_icbs flags: ICBs I_c.
    unsigned char *members;  ///< n_providers flags: member providers.
    double budget_share;     ///< Share of the ICBs' specialised allocation pooled, or NAN.
    long row;                ///< Source row.
} ao_collaborative;

/** A row of the arrangements table (MODEL.md rule 14). */
typedef struct ao_arrangement_row {
    char *name;                  ///< Optional row name (scenario key), or NULL.
    char *services_text;         ///< services as written.
    unsigned char *services;     ///< n_services flags: 1 for each specialised service selected.
    char *icbs_text;             ///< icbs as written.
    unsigned char *icbs;         ///< n_icbs flags: ICBs selected.
    int from_year;               ///< Year index (negative: before the plan; ≥ years: after it).
    ao_arrangement arrangement;  ///< What it sets.
    long row;                    ///< Source row.
} ao_arrangement_row;

/** A merged footprint (MODEL.md rule 15): ICBs sharing one `becomes` id. */
typedef struct ao_footprint {
    char *id;       ///< The `becomes` id.
    char *name;     ///< Name (the first non-blank name given, else the id).
    int from_year;  ///< First year index of the footprint (≥ years: never within the plan).
    int n_icbs;     ///< Member ICBs.
    int *icbs;      ///< Member ICB indices, in icbs-table order.
    long row;       ///< Source row of its first icb_changes row.
} ao_footprint;

/** A row of the flows table (MODEL.md rule 16): today's activity by provider. */
typedef struct ao_flow {
    int i;           ///< ICB.
    int s;           ///< Provided service.
    int p;           ///< Provider.
    int k;           ///< Capacity row (p, s), or -1 when the provider has none for s.
    double activity; ///< Today's units a year.
    long row;        ///< Source row.
} ao_flow;

/** A named set of ICBs pooled under `joint` (a joint committee or a lone ICB). */
typedef struct ao_group {
    char *name;   ///< Joint committee id, or the ICB id for a lone ICB.
    int n_icbs;   ///< Members.
    int *icbs;    ///< Member ICB indices.
} ao_group;

/** The whole validated model. */
typedef struct ao_model {
    ao_settings settings; ///< Settings.

    int n_icbs;           ///< Number of ICBs.
    ao_icb *icbs;         ///< ICBs.
    int n_regions;        ///< Distinct regions (blank region counts as one).
    char **regions;       ///< Region names ("" for blank).
    int n_groups;         ///< Joint-committee groups (lone ICBs are groups of one).
    ao_group *groups;     ///< Groups.

    int n_services;       ///< Number of services.
    ao_service *services; ///< Services.
    int n_programmes;     ///< Distinct programmes.
    char **programmes;    ///< Programme names.

    int n_providers;        ///< Number of providers.
    ao_provider *providers; ///< Providers.
    int n_capacity;         ///< Capacity rows.
    ao_capacity *capacity;  ///< Capacity rows, in input order.

    int has_access_table;   ///< 1 when the access table was given.
    unsigned char *access;  ///< n_icbs × n_providers flags (all 1 without the table).

    int n_links;            ///< Prevention links.
    ao_prevention *links;   ///< Links.

    int n_rules;            ///< Rules.
    ao_rule *rules;         ///< Rules.

    int n_collaboratives;            ///< Provider collaboratives (v2).
    ao_collaborative *collaboratives; ///< Collaboratives.
    int has_contract_limits;         ///< 1 when any max_providers or max_icbs is given.
    int has_lumpy_capital;           ///< 1 when any expansion_step is given.

    /* v3 (MODEL.md rules 14-16). */
    int n_arrangement_rows;               ///< Rows of the arrangements table.
    ao_arrangement_row *arrangement_rows; ///< Those rows, in table order.
    unsigned char *arrangement_of;        ///< Per (i,s,t), ao_ist order: a(i,s,t) (rule 14);
                                          ///< priority services are always delegated.
    double *joint_weight;                 ///< Per (i,t): π^J_it (rule 14).
    double *national_weight;              ///< Per (i,t): π^N_it (rule 14).

    int n_footprints;          ///< Merged footprints (rule 15).
    ao_footprint *footprints;  ///< Footprints, in order of first appearance.
    int *footprint_of;         ///< Per ICB: its footprint, or -1 (it never merges).

    int has_flows_table;       ///< 1 when the flows table was given with rows (rule 16/17).
    int n_flows;               ///< Rows of the flows table.
    ao_flow *flows;            ///< Those rows.

    /* Per (i,s), row-major i * n_services + s. */
    unsigned char *has_demand; ///< 1 when a demand row exists.
    double *need;              ///< n_is, year-0 need.
    double *baseline;          ///< a0_is, the year before the plan.
    long *demand_row;          ///< Source row of the demand row (0 when none).

    /* Per (i,t), row-major i * years + t. */
    double *revenue;        ///< R_it.
    unsigned char *revenue_suspect; ///< Per (ICB, year): 1 when validation warned that
                                    ///< the revenue looks mistyped (£k or £m).
    double *capital;        ///< K_it (0 when blank).
    double *specialised;    ///< SR_it as given, or NAN (then β_i R_it).
    long *budget_row;       ///< Source row of each budgets row.

    double *baseline_share; ///< β_i per ICB.

    const ao_tableset *tables; ///< The tables the model was built from (not owned).
} ao_model;

/**
 * @brief Build and validate a model from its tables.
 *
 * Every problem is recorded in diags (file, table, row, column, sentence). Unknown
 * tables and columns are warnings.
 *
 * @param[in] tables The input tables (must outlive the model).
 * @param[out] out The model, or NULL when the input has errors.
 * @param[in,out] diags Problems found.
 * @return AO_NO_ERROR, AO_ERROR_INPUT (errors in diags), or a memory error.
 */
ao_error ao_model_build(const ao_tableset *tables, ao_model **out, ao_diags *diags);

/** @brief Free a model. Accepts NULL. */
void ao_model_free(ao_model *model);

/** @brief Year-t need before prevention: N_ist = n_is (1+γ_s)^t. */
double ao_model_need(const ao_model *model, int i, int s, int t);

/** @brief Specialised allocation SR_it: as given, else β_i R_it. */
double ao_model_specialised_budget(const ao_model *model, int i, int t);

/** @brief Stability limit μ for service s (service, else settings), or NAN. */
double ao_model_max_change(const ao_model *model, int s);

/** @brief Unit cost of service s at capacity row k (override, else c_s). */
double ao_model_unit_cost(const ao_model *model, int k);

/**
 * @brief Whether ICB i may buy service s from provider p: the access table allows it,
 * or a collaborative covering i and s has p as a member (rule 11).
 */
int ao_model_may_buy(const ao_model *model, int i, int s, int p);

/** @brief Index of an ICB by id (exact match), or -1. */
int ao_model_find_icb(const ao_model *model, const char *id);

/** @brief Index of a service by id, or -1. */
int ao_model_find_service(const ao_model *model, const char *id);

/** @brief Index of a provider by id, or -1. */
int ao_model_find_provider(const ao_model *model, const char *id);

/** @brief The arrangement of ICB i's service s in year t (rule 14; priority: delegated). */
ao_arrangement ao_model_arrangement(const ao_model *model, int i, int s, int t);

/**
 * @brief The budget unit of ICB i in year t (rule 15): i itself, or n_icbs + f when it
 * belongs to footprint f that year. Units number 0 .. n_icbs + n_footprints − 1.
 */
int ao_model_budget_unit(const ao_model *model, int i, int t);

/**
 * @brief The joint-committee group of ICB i in year t (rule 14's joint pools): its group,
 * or n_groups + f from the year its footprint f begins when it has no joint committee
 * (ICBs without one that merge pool together).
 */
int ao_model_joint_group(const ao_model *model, int i, int t);

/** @brief Name of a joint group as ao_model_joint_group() numbers them. */
const char *ao_model_joint_group_name(const ao_model *model, int g);

/**
 * @brief The share of ICB i's specialised allocation SR_it pooled in year t under a joint or
 * national arrangement (rule 14: π^J_it or π^N_it); with AO_ARRANGEMENT_DELEGATED, the share
 * pooled under either, π^J_it + π^N_it.
 */
double ao_model_pool_weight(const ao_model *model, int i, int t, ao_arrangement arrangement);

/** @brief 1 when ICB i has some specialised service under `arrangement` in year t. */
int ao_model_holds(const ao_model *model, int i, int t, ao_arrangement arrangement);

/**
 * @brief ICB i's own revenue budget in year t (rule 14): R_it less the shares of its
 * specialised allocation pooled in a joint committee or nationally.
 */
double ao_model_own_revenue(const ao_model *model, int i, int t);

/** @brief 1 when the arrangements table puts some specialised service, ICB or year under
 * another arrangement than the settings' one (rule 14). */
int ao_model_arrangements_mixed(const ao_model *model);

/**
 * @brief Put every specialised service under one arrangement in every year, ignoring the
 * arrangements table (`--arrangement`).
 */
void ao_model_set_arrangement(ao_model *model, ao_arrangement arrangement);

/** @brief Id of budget unit u: an ICB id or a footprint id. */
const char *ao_model_unit_id(const ao_model *model, int u);

/** @brief Name of an arrangement ("delegated", "joint", "national"). */
const char *ao_arrangement_name(ao_arrangement arrangement);

/** @brief Parse an arrangement name (case-insensitive); -1 when unknown. */
int ao_arrangement_parse(const char *text);

/** @brief Financial-year label of year index t ("2026/27"). */
void ao_model_year_label(const ao_model *model, int t, char out[16]);

#endif /* AO_MODELS_MODEL_H */
