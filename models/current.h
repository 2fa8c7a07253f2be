/**
 * @file models/current.h
 * @brief Today's plan (MODEL.md rule 16): today's activity carried forward over the
 * horizon, evaluated under the plan's own limits, and set beside the plan (rule 17).
 *
 * Today's activity of a provided service by provider, f_isp, is the flows table's rows
 * for a pair that has any; otherwise the pair's baseline a0_is split over the providers
 * the ICB may buy the service from (access table or a collaborative), in proportion to
 * their capacity C_ps (equally when those capacities add up to 0; dropped when there is
 * no such provider). Carried forward, it grows with need: x⁰_ispt = f_isp · N_ist / n_is
 * and y⁰_ist = a0_is · N_ist / n_is (unchanged when n_is is 0), with no capacity added.
 * The limits it breaks are found by the independent check (models/verify.h).
 */
#ifndef AO_MODELS_CURRENT_H
#define AO_MODELS_CURRENT_H

#include "common/error.h"
#include "models/model.h"
#include "models/plan.h"

/**
 * A broken limit counts when today's plan passes it by more than this share of the
 * limit's size: rounding in the carried-forward figures is not a break.
 */
#define AO_CURRENT_BREAK_TOLERANCE 1e-9

/**
 * @brief Carry today's plan forward and evaluate it: fill current's lines, service-year
 * totals, objective (settings.objective, discounted; the cost objective counts revenue
 * spend only, as no capacity is added), total benefit, total revenue spend, and every
 * limit it breaks, in words, largest relative amount first.
 * @param[out] current Filled; on error, what was filled is freed by ao_plan_free().
 * @return AO_NO_ERROR or a memory error.
 */
ao_error ao_current_evaluate(const ao_model *model, ao_current_plan *current);

/**
 * @brief Set the plan's provided activity beside today's (rule 17): moved_activity
 * M = Σ |x_ispt − x⁰_ispt| over every ICB, provided service, provider and year (today's
 * activity at a provider the plan cannot use counts whole), and one move line per
 * capacity row and year with activity today or in the plan. Needs plan->current.
 * @return AO_NO_ERROR or a memory error.
 */
ao_error ao_current_compare(const ao_model *model, ao_plan *plan);

#endif /* AO_MODELS_CURRENT_H */
