/**
 * @file models/indicators_v3.h
 * @brief Indicators of commissioning as it is (MODEL.md v3): resourcing priority by
 * arrangement, and the innovation indicator of each centre of excellence.
 */
#ifndef AO_MODELS_INDICATORS_V3_H
#define AO_MODELS_INDICATORS_V3_H

#include "common/error.h"
#include "models/model.h"
#include "models/plan.h"

/**
 * @brief Fill plan->arrangement_mix and plan->innovation from an optimal plan's service
 * years and allocation lines (and today's plan, when evaluated).
 * @return AO_NO_ERROR or a memory error.
 */
ao_error ao_plan_v3_indicators(const ao_model *model, ao_plan *plan);

#endif /* AO_MODELS_INDICATORS_V3_H */
