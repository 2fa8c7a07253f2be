/**
 * @file models/diagnose.h
 * @brief Why a model has no feasible plan: the smallest moves of its limits that
 * would make one possible.
 */
#ifndef AO_MODELS_DIAGNOSE_H
#define AO_MODELS_DIAGNOSE_H

#include "common/error.h"
#include "models/model.h"
#include "models/plan.h"
#include "solver/lp.h"

/**
 * @brief Solve the elastic version of the model's LP — every limit may be broken at a
 * penalty proportional to the relative size of the break — and record the limits that
 * must move, and by how much, in plan->diagnosis and plan->infeasibility.
 *
 * Leaves plan->infeasibility NULL when the elastic LP itself cannot be solved.
 * @return AO_NO_ERROR, a memory error or AO_ERROR_SOLVER.
 */
ao_error ao_plan_diagnose(const ao_model *model, const ao_solver_options *options, ao_plan *plan);

#endif /* AO_MODELS_DIAGNOSE_H */
