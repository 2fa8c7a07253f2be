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

/** @brief Each scenario's objective beside the baseline's; an infeasible one's funding gap. */
void cli_print_scenarios(const ao_run_result *run);

/**
 * @brief The funding gap of a plan with none (MODEL.md rule 18), as a sentence on its own
 * line: the extra revenue that would make it feasible, or that money alone cannot.
 * Nothing when the plan has no funding gap.
 */
void cli_print_funding_gap(const ao_plan *plan);

/**
 * @brief The uncertainty headline: percentiles of the objective, the chance of no plan;
 * for a shard (`partial` names its file), which samples it holds.
 */
void cli_print_uncertainty(const ao_study *study, const char *partial);

#endif /* AO_CLI_HEADLINE_H */
