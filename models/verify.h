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

/**
 * @brief Check an optimal plan against rules 1–10 and fill its max_violation,
 * max_relative_violation, worst_violation and n_checks.
 * @return AO_NO_ERROR or a memory error. A plan that is not optimal is left alone.
 */
ao_error ao_plan_verify(const ao_model *model, ao_plan *plan);

#endif /* AO_MODELS_VERIFY_H */
