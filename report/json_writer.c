/* The JSON summary of a run (FORMATS.md "Outputs"), built with jansson. */
#include "report/json_writer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/strutil.h"
#include "models/uncertainty.h"
#include "report/json_file.h"

/* 17 significant digits: every double reads back to the same value. */
#define AO_JSON_FLAGS (JSON_PRESERVE_ORDER | JSON_INDENT(2) | JSON_REAL_PRECISION(17))

static json_t *string_or_null(const char *text)
{
    return text != NULL ? json_string(text) : json_null();
}

/* Why a plan that is not optimal has no objective, in words. */
static json_t *reason_of(const ao_plan *plan)
{
    if (plan->infeasibility != NULL)
        return json_string(plan->infeasibility);
    char *text =
        ao_asprintf("The solver ended with status '%s'.", ao_plan_status_name(plan->status));
    if (text == NULL)
        return NULL;
    json_t *value = json_string(text);
    free(text);
    return value;
}

/* The fields shared by the top-level summary and each scenario entry. */
/* Append a new object to an array; 0 on success. */
static int append_object(json_t *array, json_t **object)
{
    *object = json_object();
    return *object == NULL || json_array_append_new(array, *object) != 0 ? -1 : 0;
}

/* An infeasible plan's funding gap (MODEL.md rule 18): the least extra revenue, null when
 * money alone cannot make a plan, and where it goes by ICB and year. */
static int add_funding_gap(json_t *object, const ao_model *model, const ao_plan *plan)
{
    if (!plan->has_funding_gap)
        return 0;
    int failed = ao_json_set(object, "funding_gap", ao_json_number_or_null(plan->funding_gap));
    json_t *by = json_array();
    failed |= by == NULL;
    for (int i = 0;
         by != NULL && plan->funding_gap_by != NULL && model != NULL && i < model->n_icbs; i++)
        for (int t = 0; t < model->settings.years; t++) {
            double amount =
                plan->funding_gap_by[(size_t)i * (size_t)model->settings.years + (size_t)t];
            if (!(amount > 0))
                continue;
            char year[16];
            ao_model_year_label(model, t, year);
            json_t *line;
            failed |= append_object(by, &line);
            if (line == NULL)
                break;
            failed |= ao_json_set(line, "icb", json_string(model->icbs[i].id));
            failed |= ao_json_set(line, "year", json_string(year));
            failed |= ao_json_set(line, "amount", json_real(amount));
        }
    failed |= ao_json_set(object, "funding_gap_by_icb", by);
    return failed;
}

static int add_outcome(json_t *object, const ao_model *model, const ao_plan *plan)
{
    int optimal = plan->status == AO_STATUS_OPTIMAL;
    int failed = 0;
    failed |= ao_json_set(object, "status", json_string(ao_plan_status_name(plan->status)));
    failed |= ao_json_set(object, "objective",
                          optimal ? ao_json_number_or_null(plan->objective) : json_null());
    failed |= add_funding_gap(object, model, plan);
    return failed;
}

/* Seconds of each step of one plan's solve (not in the workbook, which must come out the
 * same for the same input). */
static int add_plan_timings(json_t *timings, const ao_plan *plan)
{
    const ao_plan_timings *t = &plan->timings;
    int failed = 0;
    failed |= ao_json_set(timings, "formulate", json_real(t->formulate));
    failed |= ao_json_set(timings, "load", json_real(t->load));
    failed |= ao_json_set(timings, "solve", json_real(t->solve));
    failed |= ao_json_set(timings, "ranges", json_real(t->ranges));
    failed |= ao_json_set(timings, "second_pass", json_real(t->second_pass));
    failed |= ao_json_set(timings, "report", json_real(t->report));
    failed |= ao_json_set(timings, "verify", json_real(t->verify));
    if (t->diagnose > 0)
        failed |= ao_json_set(timings, "diagnose", json_real(t->diagnose));
    if (plan->has_continuity)
        failed |= ao_json_set(timings, "continuity", json_real(t->continuity));
    failed |= ao_json_set(timings, "current", json_real(t->current));
    return failed;
}

/* The solver used and the time spent, for one plan (and the run, for the baseline). */
static int add_performance(json_t *object, const ao_plan *plan, const ao_run_timings *run)
{
    json_t *timings = json_object();
    if (timings == NULL)
        return 1;
    int failed = add_plan_timings(timings, plan);
    if (run != NULL) {
        failed |= ao_json_set(timings, "read", json_real(run->read));
        failed |= ao_json_set(timings, "check", json_real(run->check));
        failed |= ao_json_set(timings, "write", json_real(run->write));
        failed |= ao_json_set(timings, "total", json_real(run->total));
    }
    failed |= ao_json_set(object, "timings", timings);
    failed |= ao_json_set(object, "solver", json_string(ao_plan_solver_name(plan->solver_used)));
    failed |= ao_json_set(object, "warm_started", json_boolean(plan->warm_started));
    return failed;
}

static json_t *scenario_entry(const ao_case *c)
{
    json_t *entry = json_object();
    if (entry == NULL)
        return NULL;
    const ao_plan *plan = c->plan;
    int failed = ao_json_set(entry, "name", string_or_null(c->name));
    if (plan == NULL) {
        failed |=
            ao_json_set(entry, "status", json_string(ao_plan_status_name(AO_STATUS_NOT_SOLVED)));
        failed |= ao_json_set(entry, "objective", json_null());
    } else {
        failed |= add_outcome(entry, c->model, plan);
        failed |= ao_json_set(entry, "total_revenue_spend",
                              ao_json_number_or_null(plan->total_revenue_spend));
        failed |= ao_json_set(entry, "total_capital_spend",
                              ao_json_number_or_null(plan->total_capital_spend));
        failed |=
            ao_json_set(entry, "arrangement", json_string(ao_arrangement_name(plan->arrangement)));
        if (plan->status != AO_STATUS_OPTIMAL)
            failed |= ao_json_set(entry, "reason", reason_of(plan));
        failed |= add_performance(entry, plan, NULL);
    }
    return ao_json_unless_failed(entry, failed);
}

static json_t *stats_object(const ao_study_stats *stats)
{
    json_t *object = json_object();
    if (object == NULL)
        return NULL;
    int failed = ao_json_set(object, "samples", json_integer((json_int_t)stats->n));
    failed |= ao_json_set(object, "p10", ao_json_number_or_null(stats->p10));
    failed |= ao_json_set(object, "p50", ao_json_number_or_null(stats->p50));
    failed |= ao_json_set(object, "p90", ao_json_number_or_null(stats->p90));
    failed |= ao_json_set(object, "mean", ao_json_number_or_null(stats->mean));
    failed |= ao_json_set(object, "min", ao_json_number_or_null(stats->min));
    failed |= ao_json_set(object, "max", ao_json_number_or_null(stats->max));
    return ao_json_unless_failed(object, failed);
}

/* The size of an ICB's overspend, beside its breach probability; 1 on failure. */
static int add_overspend(json_t *line, const ao_overspend_stats *o)
{
    int failed = ao_json_set(line, "baseline_budget", ao_json_number_or_null(o->budget));
    failed |= ao_json_set(line, "p50_overspend", ao_json_number_or_null(o->p50));
    failed |= ao_json_set(line, "p90_overspend", ao_json_number_or_null(o->p90));
    failed |= ao_json_set(line, "p50_overspend_share", ao_json_number_or_null(o->p50_share));
    failed |= ao_json_set(line, "p90_overspend_share", ao_json_number_or_null(o->p90_share));
    return failed != 0;
}

/* The `uncertainty` object: the same figures as the Uncertainty sheet. */
static json_t *uncertainty_object(const ao_study *study)
{
    ao_study_summary summary;
    if (ao_study_summarise(study, &summary) != AO_NO_ERROR)
        return NULL;
    json_t *root = json_object();
    json_t *counts = json_object();
    json_t *breach = json_array();
    json_t *histogram = json_array();
    json_t *records = json_array();
    int failed =
        root == NULL || counts == NULL || breach == NULL || histogram == NULL || records == NULL;
    for (int k = 0; k < AO_SAMPLE_STATUSES && !failed; k++)
        failed |= ao_json_set(counts, ao_sample_status_name((ao_sample_status)k),
                              json_integer((json_int_t)summary.count[k]));
    for (size_t i = 0; i < study->n_icbs && !failed; i++) {
        json_t *line;
        failed |= append_object(breach, &line);
        if (failed)
            break;
        failed |= ao_json_set(line, "icb", json_string(study->icb_ids[i]));
        failed |= ao_json_set(line, "name", json_string(study->icb_names[i]));
        failed |=
            ao_json_set(line, "samples_breached", json_integer((json_int_t)summary.breaches[i]));
        failed |= ao_json_set(line, "probability", ao_json_number_or_null(summary.p_breach[i]));
        failed |= add_overspend(line, &summary.overspend[i]);
    }
    for (size_t b = 0; b < summary.n_bins && !failed; b++) {
        json_t *bin;
        failed |= append_object(histogram, &bin);
        if (failed)
            break;
        failed |= ao_json_set(bin, "from", ao_json_number_or_null(summary.bin_from[b]));
        failed |= ao_json_set(bin, "to", ao_json_number_or_null(summary.bin_from[b + 1]));
        failed |= ao_json_set(bin, "samples", json_integer((json_int_t)summary.bin_count[b]));
    }
    for (size_t k = 0; k < study->n_records && !failed; k++) {
        const ao_sample_record *r = &study->records[k];
        json_t *record;
        failed |= append_object(records, &record);
        if (failed)
            break;
        failed |= ao_json_set(record, "sample", json_integer((json_int_t)r->sample));
        failed |= ao_json_set(record, "status", json_string(ao_sample_status_name(r->status)));
        failed |= ao_json_set(record, "objective", ao_json_number_or_null(r->objective));
        failed |= ao_json_set(record, "spend", ao_json_number_or_null(r->spend));
        if (r->status == AO_SAMPLE_INFEASIBLE)
            failed |= ao_json_set(record, "funding_gap",
                                  isinf(r->funding_gap) ? json_null()
                                                        : ao_json_number_or_null(r->funding_gap));
    }
    if (!failed) {
        failed |= ao_json_set(root, "samples", json_integer((json_int_t)study->n_samples));
        failed |= ao_json_set(root, "seed", json_integer((json_int_t)study->seed));
        failed |= ao_json_set(root, "breach_tolerance", json_real(study->breach_tolerance));
        failed |= ao_json_set(root, "percentile_definition", json_string("PERCENTILE.INC"));
        failed |= ao_json_set(root, "status_counts", counts);
        counts = NULL;
        failed |= ao_json_set(root, "samples_with_valid_input",
                              json_integer((json_int_t)summary.n_valid));
        failed |= ao_json_set(root, "probability_infeasible",
                              ao_json_number_or_null(summary.p_infeasible));
        failed |= ao_json_set(root, "probability_invalid_input",
                              ao_json_number_or_null(summary.p_invalid));
        failed |= ao_json_set(root, "objective", stats_object(&summary.objective));
        failed |= ao_json_set(root, "spend", stats_object(&summary.spend));
        /* Infeasible samples: how much money they lack (MODEL.md rule 18). */
        failed |= ao_json_set(root, "funding_gap", stats_object(&summary.funding_gap));
        failed |= ao_json_set(root, "samples_money_cannot_fix",
                              json_integer((json_int_t)summary.n_unfixable));
        failed |= ao_json_set(root, "breach", breach);
        breach = NULL;
        failed |= ao_json_set(root, "histogram", histogram);
        histogram = NULL;
        failed |= ao_json_set(root, "records", records);
        records = NULL;
    }
    json_decref(counts);
    json_decref(breach);
    json_decref(histogram);
    json_decref(records);
    ao_study_summary_free(&summary);
    return ao_json_unless_failed(root, failed);
}

/* One limit today's plan breaks (MODEL.md rule 16). */
static json_t *broken_limit_object(const ao_model *model, const ao_broken_limit *b)
{
    json_t *object = json_object();
    if (object == NULL)
        return NULL;
    char year[16];
    if (b->t >= 0)
        ao_model_year_label(model, b->t, year);
    int failed = ao_json_set(object, "limit", string_or_null(b->limit));
    failed |= ao_json_set(object, "description", string_or_null(b->description));
    failed |= ao_json_set(object, "icb", string_or_null(b->i >= 0 ? model->icbs[b->i].id : NULL));
    failed |=
        ao_json_set(object, "service", string_or_null(b->s >= 0 ? model->services[b->s].id : NULL));
    failed |= ao_json_set(object, "year", string_or_null(b->t >= 0 ? year : NULL));
    failed |= ao_json_set(object, "value", ao_json_number_or_null(b->value));
    failed |= ao_json_set(object, "bound", ao_json_number_or_null(b->bound));
    failed |= ao_json_set(object, "amount", ao_json_number_or_null(b->amount));
    return ao_json_unless_failed(object, failed);
}

/* The `current` object: today's plan carried forward and evaluated (null if it was not). */
static json_t *current_object(const ao_model *model, const ao_current_plan *current)
{
    if (model == NULL || !current->evaluated)
        return json_null();
    json_t *object = json_object();
    json_t *broken = json_array();
    int failed = object == NULL || broken == NULL;
    for (size_t k = 0; k < current->n_broken && !failed; k++)
        failed |= json_array_append_new(broken, broken_limit_object(model, &current->broken[k]));
    if (!failed) {
        failed |= ao_json_set(object, "objective", ao_json_number_or_null(current->objective));
        failed |= ao_json_set(object, "total_revenue_spend",
                              ao_json_number_or_null(current->total_revenue_spend));
        failed |=
            ao_json_set(object, "total_benefit", ao_json_number_or_null(current->total_benefit));
        failed |= ao_json_set(object, "limits_broken", broken);
        broken = NULL;
    }
    json_decref(broken);
    return ao_json_unless_failed(object, failed);
}

/* The summary as a jansson object, or NULL if out of memory. */
static json_t *summary_object(const ao_results *results)
{
    const ao_case *first = &results->cases[0];
    const ao_plan *plan = first->plan;
    const ao_model *model = first->model;
    json_t *root = json_object();
    json_t *scenarios = json_array();
    if (root == NULL || scenarios == NULL) {
        json_decref(root);
        json_decref(scenarios);
        return NULL;
    }
    int failed = add_outcome(root, model, plan);
    failed |= ao_json_set(root, "total_benefit", ao_json_number_or_null(plan->total_benefit));
    failed |=
        ao_json_set(root, "discounted_benefit", ao_json_number_or_null(plan->discounted_benefit));
    failed |=
        ao_json_set(root, "total_revenue_spend", ao_json_number_or_null(plan->total_revenue_spend));
    failed |=
        ao_json_set(root, "total_capital_spend", ao_json_number_or_null(plan->total_capital_spend));
    failed |=
        ao_json_set(root, "specialised_share", ao_json_number_or_null(plan->specialised_share));
    failed |= ao_json_set(root, "arrangement", json_string(ao_arrangement_name(plan->arrangement)));
    failed |= ao_json_set(root, "model", string_or_null(model ? model->settings.name : NULL));
    failed |= ao_json_set(root, "rows", json_integer((json_int_t)plan->n_rows));
    failed |= ao_json_set(root, "columns", json_integer((json_int_t)plan->n_cols));
    failed |= ao_json_set(root, "nonzeros", json_integer((json_int_t)plan->n_nz));
    if (plan->is_mip) {
        /* Whole-valued decisions: the optimum is proved to within this relative gap. */
        failed |= ao_json_set(root, "mip_gap", json_real(plan->mip_gap));
    }
    if (plan->verified) {
        /* The independent re-check of every limit (models/verify.h). */
        failed |= ao_json_set(root, "max_violation", json_real(plan->max_violation));
        failed |=
            ao_json_set(root, "max_relative_violation", json_real(plan->max_relative_violation));
        failed |= ao_json_set(root, "limits_checked", json_integer((json_int_t)plan->n_checks));
    }
    /* Today's plan on every run; the activity moved from it when flows are given. */
    failed |= ao_json_set(root, "current", current_object(model, &plan->current));
    failed |= ao_json_set(root, "moved_activity",
                          plan->has_continuity ? ao_json_number_or_null(plan->moved_activity)
                                               : json_null());
    if (plan->status != AO_STATUS_OPTIMAL)
        failed |= ao_json_set(root, "reason", reason_of(plan));
    failed |= add_performance(root, plan, results->timings);
    for (size_t k = 1; k < results->n_cases && !failed; k++)
        failed |= json_array_append_new(scenarios, scenario_entry(&results->cases[k]));
    failed |= ao_json_set(root, "scenarios", scenarios);
    if (results->uncertainty != NULL)
        failed |= ao_json_set(root, "uncertainty", uncertainty_object(results->uncertainty));
    /* Marks the file as allocopt's own output, which a later run may replace
     * (io/output_owner.h). */
    failed |= ao_json_set(root, "allocopt_version", json_string(AO_VERSION));
    return ao_json_unless_failed(root, failed);
}

static int results_usable(const ao_results *results)
{
    return results != NULL && results->n_cases > 0 && results->cases != NULL &&
           results->cases[0].plan != NULL;
}

char *ao_json_summary(const ao_results *results)
{
    if (!results_usable(results))
        return NULL;
    json_t *root = summary_object(results);
    if (root == NULL)
        return NULL;
    char *text = json_dumps(root, AO_JSON_FLAGS);
    json_decref(root);
    return text;
}

ao_error ao_json_stage(const char *path, const ao_results *results, char **temp_out)
{
    *temp_out = NULL;
    if (path == NULL || !results_usable(results))
        return AO_ERROR_NULL_PARAMETER;
    json_t *root = summary_object(results);
    if (root == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    ao_error err = ao_json_file_stage(path, root, AO_JSON_FLAGS, temp_out);
    json_decref(root);
    return err;
}

ao_error ao_json_write(const char *path, const ao_results *results)
{
    if (path == NULL || !results_usable(results))
        return AO_ERROR_NULL_PARAMETER;
    return ao_json_file_write_owned(path, summary_object(results), AO_JSON_FLAGS);
}

/* The summary of a merged study: the baseline's headline, the shards merged, and the
 * same `uncertainty` object a single run writes. */
static json_t *study_summary_object(const ao_study *study)
{
    json_t *root = json_object();
    if (root == NULL)
        return NULL;
    int optimal = study->baseline_status == AO_STATUS_OPTIMAL;
    int failed =
        ao_json_set(root, "status", json_string(ao_plan_status_name(study->baseline_status)));
    failed |=
        ao_json_set(root, "objective",
                    optimal ? ao_json_number_or_null(study->baseline_objective) : json_null());
    failed |=
        ao_json_set(root, "total_revenue_spend", ao_json_number_or_null(study->baseline_revenue));
    failed |=
        ao_json_set(root, "total_capital_spend", ao_json_number_or_null(study->baseline_capital));
    failed |= ao_json_set(root, "arrangement", string_or_null(study->arrangement));
    failed |= ao_json_set(root, "model", string_or_null(study->model_name));
    failed |= ao_json_set(root, "fingerprint", json_string(study->fingerprint));
    failed |= ao_json_set(root, "shards_merged", json_integer((json_int_t)study->shards_merged));
    failed |= ao_json_set(root, "uncertainty", uncertainty_object(study));
    failed |= ao_json_set(root, "allocopt_version", json_string(AO_VERSION));
    return ao_json_unless_failed(root, failed);
}

ao_error ao_json_write_study(const char *path, const ao_study *study)
{
    if (path == NULL || study == NULL)
        return AO_ERROR_NULL_PARAMETER;
    return ao_json_file_write_owned(path, study_summary_object(study), AO_JSON_FLAGS);
}
