/**
 * @file models/funding_gap.h
 * @brief How much money is missing when no plan fits (MODEL.md rule 18).
 */
#ifndef AO_MODELS_FUNDING_GAP_H
#define AO_MODELS_FUNDING_GAP_H

#include "common/error.h"
#include "models/model.h"
#include "models/plan.h"
#include "solver/lp.h"

/**
 * @brief The least total extra revenue, by ICB and year, that makes every other limit
 * hold: fills plan->has_funding_gap, plan->funding_gap (NAN when money alone cannot make
 * a plan) and plan->funding_gap_by.
 * @return AO_NO_ERROR, a memory error or AO_ERROR_SOLVER.
 */
ao_error ao_plan_funding_gap(const ao_model *model, const ao_solver_options *options,
                             ao_plan *plan);

#endif /* AO_MODELS_FUNDING_GAP_H */
