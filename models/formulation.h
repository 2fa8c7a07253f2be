/**
 * @file models/formulation.h
 * @brief The LP of MODEL.md built from a model, with what each row and column means.
 *
 * Internal to models/: ao_plan_solve() formulates, solves and reads the plan
 * back through the metadata kept here.
 */
#ifndef AO_MODELS_FORMULATION_H
#define AO_MODELS_FORMULATION_H

#include "models/model.h"
#include "solver/lp.h"

/** What a column is. */
typedef enum ao_col_kind {
    AO_COL_X = 0,     ///< x_ispt: activity of ICB i at capacity row k in year t.
    AO_COL_Y,         ///< y_ist: activity of a local service.
    AO_COL_Z,         ///< z_pst: capacity added at capacity row k, paid in year t.
    AO_COL_ACTIVITY,  ///< A_ist = Σ_p x_ispt (defined by a row).
    AO_COL_REGION,    ///< Σ_{j∈r} A_jst for the equity band (defined by a row).
    AO_COL_CONTRACT,  ///< w_ip ∈ {0,1}: ICB i commissions from provider p (rule 12).
    AO_COL_STEPS,     ///< k_pst ∈ ℕ: expansion steps at capacity row k in year t (rule 13).
    AO_COL_GAP        ///< u_it: extra revenue of ICB i in year t (rule 18, funding gap only).
} ao_col_kind;

/** Meaning of a column. Unused members are -1. */
typedef struct ao_col_meta {
    unsigned char kind; ///< ao_col_kind.
    int i;              ///< ICB (x, y, activity).
    int s;              ///< Service.
    int k;              ///< Capacity row (x, z, steps); region (region); provider (contract).
    int t;              ///< Year.
} ao_col_meta;

/** Constraint families, in MODEL.md order. */
typedef enum ao_row_group {
    AO_ROW_NEED = 0,        ///< Rule 1 (ranged with rule 2 when no prevention targets s).
    AO_ROW_STANDARD,        ///< Rule 2.
    AO_ROW_CAPACITY,        ///< Rule 3.
    AO_ROW_EXPANSION,       ///< Rule 3, total expansion limit.
    AO_ROW_MIN_VOLUME,      ///< Rule 4.
    AO_ROW_CAPITAL,         ///< Rule 5.
    AO_ROW_REVENUE,         ///< Rule 6 delegated.
    AO_ROW_SPECIALISED_POOL, ///< Rule 6 joint/national pool.
    AO_ROW_PRIORITY,        ///< Rule 6 joint/national priority budget.
    AO_ROW_SHARE_FLOOR,     ///< Rule 7.
    AO_ROW_STABILITY_UP,    ///< Rule 8 upper.
    AO_ROW_STABILITY_DOWN,  ///< Rule 8 lower (ranged in year 0).
    AO_ROW_EQUITY,          ///< Rule 9.
    AO_ROW_RULE,            ///< Rule 10.
    AO_ROW_COLLABORATIVE,   ///< Rule 11: a collaborative's pooled budget.
    AO_ROW_CONTRACT_LINK,   ///< Rule 12: x ≤ U·w.
    AO_ROW_ICB_CONTRACTS,   ///< Rule 12: providers per ICB.
    AO_ROW_PROVIDER_CONTRACTS, ///< Rule 12: ICBs per provider.
    AO_ROW_DEFINITION,      ///< Defines an auxiliary column (not a limit).
    AO_ROW_GROUP_COUNT      ///< Number of groups.
} ao_row_group;

/** @brief A short name of a constraint family ("National standard", ...). */
const char *ao_row_group_name(ao_row_group group);

/** Meaning of a row. Unused members are -1. */
typedef struct ao_row_meta {
    unsigned char group; ///< ao_row_group.
    unsigned char both;  ///< AO_ROW_NEED: 1 when the row also carries the national standard.
    int i;               ///< ICB.
    int s;               ///< Service.
    int k;               ///< Capacity row, group, region, rule, collaborative or provider;
                         ///< for a specialised pool its joint group (-1: the national pool).
    int t;               ///< Year.
    int unit;            ///< Budget unit of an ICB-scoped money row (ICB, or n_icbs +
                         ///< footprint, rule 15), else -1.
} ao_row_meta;

/** The LP and its metadata. */
typedef struct ao_formulation {
    ao_lp *lp;             ///< The LP (first-pass objective).
    ao_col_meta *cols;     ///< Per column.
    ao_row_meta *rows;     ///< Per row.
    size_t cap_meta_rows;  ///< Allocated row metadata.
    size_t cap_meta_cols;  ///< Allocated column metadata.
    int *activity_col;     ///< Per (i,s,t): column holding A_ist, or -1 (no activity).
    int *x_first;          ///< Per (i,s,t): first x column (x columns of a pair are adjacent).
    int *x_count;          ///< Per (i,s,t): number of x columns.
    int *z_col;            ///< Per (k,t): z column or -1.
    double *spend_obj;     ///< Per column: undiscounted £ of revenue and capital spend.
    double *discount;      ///< Per year: (1+r)^-t.
    int *gap_col;          ///< Funding-gap LP only: per (i,t), i * years + t, the u column.
} ao_formulation;

/**
 * @brief Formulate MODEL.md rules 1–10 for a model.
 * @param[in] with_names 1 to name rows and columns (for LP export).
 * @param[out] out The formulation.
 * @return AO_NO_ERROR or a memory error.
 */
ao_error ao_formulate(const ao_model *model, int with_names, ao_formulation **out);

/**
 * @brief Formulate the funding-gap LP of MODEL.md rule 18: the model's limits with an
 * extra revenue u_it ≥ 0 for every ICB and year added wherever R_it (and, in proportion,
 * SR_it) appears, minimising Σ u. Its columns u are f->gap_col.
 */
ao_error ao_formulate_funding_gap(const ao_model *model, int with_names, ao_formulation **out);

/** @brief Free a formulation. Accepts NULL. */
void ao_formulation_free(ao_formulation *f);

/** @brief Index of (i,s,t) in the per-pair arrays. */
static inline size_t ao_ist(const ao_model *m, int i, int s, int t)
{
    return ((size_t)t * (size_t)m->n_icbs + (size_t)i) * (size_t)m->n_services + (size_t)s;
}

/**
 * @brief Describe a row in words: "ICB03 2026/27 capital". Caller frees.
 */
char *ao_formulation_describe_row(const ao_formulation *f, const ao_model *model, int row);

#endif /* AO_MODELS_FORMULATION_H */
