/**
 * @file cli/headline.h
 * @brief What a finance analyst reads on stdout after a run or a merge.
 */
#ifndef AO_CLI_HEADLINE_H
#define AO_CLI_HEADLINE_H

#include "app/run.h"
#include "cli/cli.h"

/** @brief The plan's headline (objective, spends, checks) and the workbook written. */
void cli_print_headline(const ao_model *model, const ao_plan *plan, const char *output);

/** @brief Each scenario's objective beside the baseline's. */
void cli_print_scenarios(const ao_run_result *run);

/**
 * @brief The uncertainty headline: percentiles of the objective, the chance of no plan;
 * for a shard (`partial` names its file), which samples it holds.
 */
void cli_print_uncertainty(const ao_study *study, const char *partial);

#endif /* AO_CLI_HEADLINE_H */
