/*
 * Resourcing priority by arrangement and the innovation indicator, from a solved plan.
 */
#include "models/indicators_v3.h"

#include <math.h>
#include <stdlib.h>

static ao_error arrangement_mix(const ao_model *m, ao_plan *plan)
{
    int T = m->settings.years;
    size_t n = (size_t)T * AO_ARRANGEMENT_COUNT;
    plan->arrangement_mix = calloc(n + 1, sizeof *plan->arrangement_mix);
    unsigned char *seen = calloc((size_t)m->n_services * n + 1, 1);
    if (plan->arrangement_mix == NULL || seen == NULL) {
        free(seen);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    for (int t = 0; t < T; t++)
        for (int a = 0; a < AO_ARRANGEMENT_COUNT; a++) {
            ao_arrangement_indicator *x =
                &plan->arrangement_mix[(size_t)t * AO_ARRANGEMENT_COUNT + (size_t)a];
            x->t = t;
            x->arrangement = (ao_arrangement)a;
        }
    for (size_t k = 0; k < plan->n_service_years; k++) {
        const ao_service_year *y = &plan->service_years[k];
        if (m->services[y->s].category != AO_CATEGORY_SPECIALISED)
            continue;
        ao_arrangement a = ao_model_arrangement(m, y->i, y->s, y->t);
        size_t slot = (size_t)y->t * AO_ARRANGEMENT_COUNT + (size_t)a;
        ao_arrangement_indicator *x = &plan->arrangement_mix[slot];
        size_t is = (size_t)y->i * (size_t)m->n_services + (size_t)y->s;
        x->n_pairs++;
        x->spend += y->spend;
        x->baseline_spend += m->services[y->s].unit_cost * m->baseline[is];
        x->activity += y->activity;
        x->need += y->need;
        if (!seen[slot * (size_t)m->n_services + (size_t)y->s]) {
            seen[slot * (size_t)m->n_services + (size_t)y->s] = 1;
            x->n_services++;
        }
    }
    free(seen);
    for (size_t k = 0; k < n; k++) {
        ao_arrangement_indicator *x = &plan->arrangement_mix[k];
        x->coverage = x->need > 0 ? x->activity / x->need : 0.0;
    }
    plan->n_arrangement_mix = n;
    return AO_NO_ERROR;
}

/* Add a line's activity and spend at a centre of excellence to its year. */
static void add_line(const ao_model *m, const int *slot, ao_innovation_indicator *lines,
                     const ao_alloc_line *line, int today)
{
    if (line->p < 0 || slot[line->p] < 0 ||
        m->services[line->s].category != AO_CATEGORY_SPECIALISED)
        return;
    ao_innovation_indicator *x =
        &lines[(size_t)slot[line->p] * (size_t)m->settings.years + (size_t)line->t];
    if (today) {
        x->today_activity += line->activity;
        x->today_spend += line->spend;
    } else {
        x->activity += line->activity;
        x->spend += line->spend;
    }
}

static ao_error innovation(const ao_model *m, ao_plan *plan)
{
    int T = m->settings.years;
    int *slot = malloc(((size_t)m->n_providers + 1) * sizeof *slot);
    if (slot == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    int n_centres = 0;
    for (int p = 0; p < m->n_providers; p++)
        slot[p] = m->providers[p].centre_of_excellence ? n_centres++ : -1;
    plan->innovation = calloc((size_t)n_centres * (size_t)T + 1, sizeof *plan->innovation);
    if (plan->innovation == NULL) {
        free(slot);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    for (int p = 0; p < m->n_providers; p++) {
        if (slot[p] < 0)
            continue;
        double minimum = NAN;
        for (int k = 0; k < m->n_capacity; k++) {
            const ao_capacity *cap = &m->capacity[k];
            if (cap->provider == p && !isnan(cap->min_volume) &&
                m->services[cap->service].category == AO_CATEGORY_SPECIALISED)
                minimum = (isnan(minimum) ? 0.0 : minimum) + cap->min_volume;
        }
        for (int t = 0; t < T; t++) {
            ao_innovation_indicator *x = &plan->innovation[(size_t)slot[p] * (size_t)T + (size_t)t];
            x->p = p;
            x->t = t;
            x->min_volume = minimum;
        }
    }
    for (size_t a = 0; a < plan->n_alloc; a++)
        add_line(m, slot, plan->innovation, &plan->alloc[a], 0);
    for (size_t a = 0; plan->current.evaluated && a < plan->current.n_alloc; a++)
        add_line(m, slot, plan->innovation, &plan->current.alloc[a], 1);
    plan->n_innovation = (size_t)n_centres * (size_t)T;
    free(slot);
    return AO_NO_ERROR;
}

ao_error ao_plan_v3_indicators(const ao_model *m, ao_plan *plan)
{
    if (plan->status != AO_STATUS_OPTIMAL)
        return AO_NO_ERROR;
    ao_error err = arrangement_mix(m, plan);
    if (err == AO_NO_ERROR)
        err = innovation(m, plan);
    return err;
}
