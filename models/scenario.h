/**
 * @file models/scenario.h
 * @brief What-if scenarios: named sets of changes to input cells (FORMATS.md `scenarios`).
 *
 * A scenario is applied to a copy of the input tables before the model is built,
 * so every change goes through the same validation as the input itself.
 */
#ifndef AO_MODELS_SCENARIO_H
#define AO_MODELS_SCENARIO_H

#include <stddef.h>

#include "common/diag.h"
#include "common/error.h"
#include "common/table.h"

/**
 * @brief The scenario names of the input, in order of first appearance.
 * @param[out] names Newly allocated array of newly allocated strings (free both), or NULL.
 * @param[out] count Number of names (0 when there is no scenarios table).
 * @return AO_NO_ERROR or a memory error.
 */
ao_error ao_scenario_names(const ao_tableset *tables, char ***names, size_t *count);

/** @brief Free what ao_scenario_names() returned. */
void ao_scenario_names_free(char **names, size_t count);

/**
 * @brief Apply one scenario to a copy of the tables.
 *
 * Each of the scenario's rows changes one cell, or every cell whose row matches a key
 * with `*` parts: `set` replaces the text, `scale` multiplies a number, `add` adds to
 * it. A row naming a table, column or key that does not exist, an unknown op or a
 * value that is not a number (for scale/add) is reported in diags with the scenarios
 * table's file, row and column. A setting that is not in the settings table is added.
 *
 * @param[in] tables The baseline tables (not modified).
 * @param[in] name The scenario name (matched ignoring case).
 * @param[out] out The changed copy, or NULL on error.
 * @param[in,out] diags Problems found.
 * @return AO_NO_ERROR, AO_ERROR_INPUT (see diags) or a memory error.
 */
ao_error ao_scenario_apply(const ao_tableset *tables, const char *name, ao_tableset **out,
                           ao_diags *diags);

/**
 * @brief Check every scenario of the input by applying each to a copy.
 * @return AO_NO_ERROR, AO_ERROR_INPUT (see diags) or a memory error.
 */
ao_error ao_scenarios_check(const ao_tableset *tables, ao_diags *diags);

#endif /* AO_MODELS_SCENARIO_H */
