/**
 * @file models/verify.h
 * @brief An independent check that a plan obeys every limit of MODEL.md.
 *
 * The check works from the input data and the plan's allocation and expansion
 * lines only, with code of its own: it never reads the LP's rows, so a mistake in
 * the formulation shows up here as a violation.
 */
#ifndef AO_MODELS_VERIFY_H
#define AO_MODELS_VERIFY_H

#include "common/error.h"
#include "models/model.h"
#include "models/plan.h"

/** Largest relative violation accepted in a plan that is written out. */
#define AO_VERIFY_TOLERANCE 1e-6

/** A limit broken, as the check finds it. */
typedef struct ao_violation {
    const char *limit; ///< Which limit, with its rule: "revenue (rule 6)".
    int i;             ///< ICB, or -1 when the limit has none.
    int s;             ///< Service, or -1.
    int p;             ///< Provider, or -1.
    int t;             ///< Year index, or -1 (the whole plan).
    double value;      ///< The plan's figure.
    double lo;         ///< The least it may be (-INFINITY: no minimum).
    double hi;         ///< The most it may be (INFINITY: no maximum).
    double excess;     ///< How far value lies outside [lo, hi] (> 0).
    double relative;   ///< excess against the size of the limit.
    const char *rule;  ///< A spending rule's name (rule 10), else NULL.
    const char *pool;  ///< The budget pool when the limit is not one ICB's: a merged
                       ///< footprint, a joint committee or England (rules 6, 14, 15); else NULL.
} ao_violation;

/** Told of each limit broken; a non-zero return (a memory error) stops the check. */
typedef ao_error (*ao_violation_fn)(void *info, const ao_violation *violation);

/**
 * @brief Check allocation and expansion lines against every limit, rebuilt from the input
 * data alone, calling found for each limit they break (by any amount).
 * @param[in] alloc Activity by ICB, service, provider (-1: local) and year.
 * @param[in] expansions Capacity added (none: NULL with n_expansions 0).
 * @param[in] found Called once per limit broken, in the order of the checks.
 * @param[out] n_checks Number of limits checked (may be NULL).
 * @return AO_NO_ERROR, a memory error, or what found returned.
 */
ao_error ao_verify_lines(const ao_model *model, const ao_alloc_line *alloc, size_t n_alloc,
                         const ao_expansion_line *expansions, size_t n_expansions,
                         ao_violation_fn found, void *info, size_t *n_checks);

/**
 * @brief Check an optimal plan against rules 1–10 and fill its max_violation,
 * max_relative_violation, worst_violation and n_checks.
 * @return AO_NO_ERROR or a memory error. A plan that is not optimal is left alone.
 */
ao_error ao_plan_verify(const ao_model *model, ao_plan *plan);

#endif /* AO_MODELS_VERIFY_H */
