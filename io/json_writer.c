/* The JSON summary of a run (FORMATS.md "Outputs"), built with jansson. */
#include "io/json_writer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/strutil.h"
#include "io/atomic_file.h"

/* 17 significant digits: every double reads back to the same value. */
#define AO_JSON_FLAGS (JSON_PRESERVE_ORDER | JSON_INDENT(2) | JSON_REAL_PRECISION(17))

/* JSON has no NaN or infinity: a figure that is not finite is written as null. */
static json_t *number_or_null(double value)
{
    return isfinite(value) ? json_real(value) : json_null();
}

/* Set key to value (stolen); a NULL value (failed allocation) fails the whole object. */
static int set(json_t *object, const char *key, json_t *value)
{
    if (value == NULL)
        return -1;
    return json_object_set_new(object, key, value);
}

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
        ao_asprintf("The solver ended with status '%s'.", ao_solve_status_name(plan->status));
    if (text == NULL)
        return NULL;
    json_t *value = json_string(text);
    free(text);
    return value;
}

/* The fields shared by the top-level summary and each scenario entry. */
static int add_outcome(json_t *object, const ao_plan *plan)
{
    int optimal = plan->status == AO_STATUS_OPTIMAL;
    int failed = 0;
    failed |= set(object, "status", json_string(ao_solve_status_name(plan->status)));
    failed |= set(object, "objective", optimal ? number_or_null(plan->objective) : json_null());
    return failed;
}

static json_t *scenario_entry(const ao_case *c)
{
    json_t *entry = json_object();
    if (entry == NULL)
        return NULL;
    const ao_plan *plan = c->plan;
    int failed = set(entry, "name", string_or_null(c->name));
    if (plan == NULL) {
        failed |= set(entry, "status", json_string(ao_solve_status_name(AO_STATUS_NOT_SOLVED)));
        failed |= set(entry, "objective", json_null());
    } else {
        failed |= add_outcome(entry, plan);
        failed |= set(entry, "total_revenue_spend", number_or_null(plan->total_revenue_spend));
        failed |= set(entry, "total_capital_spend", number_or_null(plan->total_capital_spend));
        failed |= set(entry, "arrangement", json_string(ao_arrangement_name(plan->arrangement)));
        if (plan->status != AO_STATUS_OPTIMAL)
            failed |= set(entry, "reason", reason_of(plan));
    }
    if (failed) {
        json_decref(entry);
        return NULL;
    }
    return entry;
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
    int failed = add_outcome(root, plan);
    failed |= set(root, "total_benefit", number_or_null(plan->total_benefit));
    failed |= set(root, "discounted_benefit", number_or_null(plan->discounted_benefit));
    failed |= set(root, "total_revenue_spend", number_or_null(plan->total_revenue_spend));
    failed |= set(root, "total_capital_spend", number_or_null(plan->total_capital_spend));
    failed |= set(root, "specialised_share", number_or_null(plan->specialised_share));
    failed |= set(root, "arrangement", json_string(ao_arrangement_name(plan->arrangement)));
    failed |= set(root, "model", string_or_null(model ? model->settings.name : NULL));
    failed |= set(root, "rows", json_integer((json_int_t)plan->n_rows));
    failed |= set(root, "columns", json_integer((json_int_t)plan->n_cols));
    failed |= set(root, "nonzeros", json_integer((json_int_t)plan->n_nz));
    if (plan->is_mip) {
        /* Whole-valued decisions: the optimum is proved to within this relative gap. */
        failed |= set(root, "mip_gap", json_real(plan->mip_gap));
    }
    if (plan->verified) {
        /* The independent re-check of every limit (models/verify.h). */
        failed |= set(root, "max_violation", json_real(plan->max_violation));
        failed |= set(root, "max_relative_violation", json_real(plan->max_relative_violation));
        failed |= set(root, "limits_checked", json_integer((json_int_t)plan->n_checks));
    }
    if (plan->status != AO_STATUS_OPTIMAL)
        failed |= set(root, "reason", reason_of(plan));
    for (size_t k = 1; k < results->n_cases && !failed; k++)
        failed |= json_array_append_new(scenarios, scenario_entry(&results->cases[k]));
    failed |= set(root, "scenarios", scenarios);
    if (failed) {
        json_decref(root);
        return NULL;
    }
    return root;
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

ao_error ao_json_write(const char *path, const ao_results *results)
{
    if (path == NULL || !results_usable(results))
        return AO_ERROR_NULL_PARAMETER;
    ao_error err = AO_NO_ERROR;
    char *text = ao_json_summary(results);
    char *file_text = NULL;
    AO_GOTO_ON_MEM_ERROR(text, err, cleanup);
    /* A text file ends with a newline. */
    file_text = ao_asprintf("%s\n", text);
    AO_GOTO_ON_MEM_ERROR(file_text, err, cleanup);
    err = ao_atomic_write(path, file_text, strlen(file_text));
cleanup:
    free(text);
    free(file_text);
    return err;
}
