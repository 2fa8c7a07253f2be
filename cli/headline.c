/* The headlines printed on stdout (cli/headline.h). */
#include "cli/headline.h"

#include <math.h>
#include <stdio.h>

#include "report/words.h"

void cli_print_headline(const ao_model *model, const ao_plan *plan, const char *output)
{
    char text[AO_WORDS_FIGURE];
    printf("%s\n", model->settings.name ? model->settings.name : "allocopt plan");
    printf("  arrangement        %s\n", ao_model_arrangements_mixed(model)
                                            ? "by service, ICB and year (the arrangements table)"
                                            : ao_arrangement_name(plan->arrangement));
    if (plan->status != AO_STATUS_OPTIMAL) {
        printf("  status             %s\n", ao_solve_status_name(plan->status));
    } else {
        if (model->settings.objective == AO_OBJECTIVE_BENEFIT)
            printf("  objective          %.4f %s (discounted benefit)\n", plan->objective,
                   model->settings.benefit_unit);
        else
            printf("  objective          %s (discounted spend)\n",
                   ao_format_money(plan->objective, text));
        printf("  total benefit      %.4f %s over %d years\n", plan->total_benefit,
               model->settings.benefit_unit, model->settings.years);
        printf("  revenue spend      %s\n", ao_format_money(plan->total_revenue_spend, text));
        printf("  capital spend      %s\n", ao_format_money(plan->total_capital_spend, text));
        printf("  specialised share  %.1f%%\n", 100.0 * plan->specialised_share);
        printf("  checked            %zu limits, largest violation %.2g (relative %.2g)\n",
               plan->n_checks, plan->max_violation, plan->max_relative_violation);
        char sentence[AO_WORDS_SENTENCE];
        if (ao_words_comparison(model, plan, sentence, sizeof sentence))
            printf("  against today      %s\n", sentence);
    }
    if (output)
        printf("  results workbook   %s\n", output);
}

void cli_print_scenarios(const ao_run_result *run)
{
    const ao_plan *baseline = run->cases[0].plan;
    char text[AO_WORDS_FIGURE];
    for (size_t k = 1; k < run->n_cases; k++) {
        const ao_plan *p = run->cases[k].plan;
        if (p->status == AO_STATUS_OPTIMAL) {
            /* A change lost in the last printed digit is no change: never "-0.0000". */
            double change =
                baseline->status == AO_STATUS_OPTIMAL ? p->objective - baseline->objective : NAN;
            if (fabs(change) < 5e-5)
                change = 0.0;
            printf("  scenario %-20s objective %.4f (%+.4f on baseline)\n", run->cases[k].name,
                   p->objective, change);
        } else if (p->has_funding_gap && isnan(p->funding_gap))
            printf("  scenario %-20s %s (" AO_WORDS_MONEY_CANNOT ")\n", run->cases[k].name,
                   ao_solve_status_name(p->status));
        else if (p->has_funding_gap)
            printf("  scenario %-20s %s (funding gap %s)\n", run->cases[k].name,
                   ao_solve_status_name(p->status), ao_format_money(p->funding_gap, text));
        else
            printf("  scenario %-20s %s\n", run->cases[k].name, ao_solve_status_name(p->status));
    }
}

void cli_print_funding_gap(const ao_plan *plan)
{
    char sentence[AO_WORDS_SENTENCE];
    if (ao_words_funding_gap(plan, sentence, sizeof sentence))
        printf("%s\n", sentence);
}

void cli_print_uncertainty(const ao_study *study, const char *partial)
{
    if (partial != NULL) {
        printf("  partial result     %s (shard %d/%d: %zu of %zu samples, seed %llu)\n", partial,
               study->shard, study->n_shards, study->n_records, study->n_samples,
               (unsigned long long)study->seed);
        return;
    }
    ao_study_summary summary;
    if (ao_study_summarise(study, &summary) != AO_NO_ERROR)
        return;
    const char *pound = study->cost_objective ? "£" : "";
    printf("  uncertainty        %zu samples (seed %llu), %zu with a plan\n", study->n_samples,
           (unsigned long long)study->seed, summary.count[AO_SAMPLE_OPTIMAL]);
    if (summary.objective.n > 0)
        printf("  P10 / P50 / P90    %s%.4f / %s%.4f / %s%.4f\n", pound, summary.objective.p10,
               pound, summary.objective.p50, pound, summary.objective.p90);
    printf("  no feasible plan   %.1f%% of samples", 100.0 * summary.p_infeasible);
    if (summary.count[AO_SAMPLE_INVALID_INPUT] > 0)
        printf("; invalid input in %.1f%%", 100.0 * summary.p_invalid);
    printf(" (Uncertainty sheet)\n");
    ao_study_summary_free(&summary);
}
