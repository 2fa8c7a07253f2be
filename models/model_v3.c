/*
 * The v3 tables (MODEL.md rules 14-16): arrangements per service, ICBs and year, ICB
 * mergers, and today's flows. Read after the v1/v2 tables, with their checks.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/parse.h"
#include "common/strutil.h"
#include "models/builder.h"
#include "models/formulation.h"
#include "models/schema.h"

void ao_build_arrangements(ao_builder *b)
{
    (void)b;
}

void ao_build_icb_changes(ao_builder *b)
{
    (void)b;
}

/* ---- flows (rule 16) ---- */

/* A flows row being read: the model's row and its index in the table. */
typedef struct flow_read {
    ao_flow flow;
    size_t index; ///< Row index in the flows table (for messages).
} flow_read;

static int by_pair_then_provider(const void *a, const void *b)
{
    const ao_flow *x = &((const flow_read *)a)->flow, *y = &((const flow_read *)b)->flow;
    if (x->i != y->i)
        return (x->i > y->i) - (x->i < y->i);
    if (x->s != y->s)
        return (x->s > y->s) - (x->s < y->s);
    if (x->p != y->p)
        return (x->p > y->p) - (x->p < y->p);
    return (x->row > y->row) - (x->row < y->row);
}

/* The table index of the data row whose source row is `row` in the current table. */
static size_t table_index_of(const ao_builder *b, long row)
{
    for (size_t r = 0; r < b->table->n_rows; r++)
        if (b->table->row_numbers[r] == row)
            return r;
    return (size_t)-1;
}

/* One flows row: its ids, its activity and the checks that need only the row. Returns
 * 1 when the row can describe today's plan. */
static int read_flow(ao_builder *b, size_t r, const int *row_of, flow_read *out)
{
    ao_model *m = b->model;
    int i = ao_build_lookup(b, r, "icb", &b->icb_ids, "ICB", "icbs");
    int s = ao_build_lookup(b, r, "service", &b->service_ids, "service", "services");
    int p = ao_build_lookup(b, r, "provider", &b->provider_ids, "provider", "providers");
    double activity;
    int ok = ao_build_read_column(b, r, "activity", 0, &activity);
    if (i < 0 || s < 0 || p < 0 || !ok)
        return 0;
    const ao_service *service = &m->services[s];
    if (!service->provided) {
        ao_build_note(b, AO_DIAG_ERROR, r, ao_table_col(b->table, "service"),
                      "service %s has no rows on the capacity sheet, so ICBs buy it without a "
                      "provider and its baseline in the demand table is today's activity; "
                      "remove this row, or add %s's providers to the capacity sheet",
                      service->id, service->id);
        return 0;
    }
    if (!m->has_demand[(size_t)i * (size_t)m->n_services + (size_t)s]) {
        ao_build_note(b, AO_DIAG_ERROR, r, ao_table_col(b->table, "service"),
                      "ICB %s has no demand row for service %s, so it cannot buy any of it; "
                      "add a demand row (need and baseline) for %s and %s, or remove this row",
                      m->icbs[i].id, service->id, m->icbs[i].id, service->id);
        return 0;
    }
    int k = row_of[(size_t)p * (size_t)m->n_services + (size_t)s];
    if (k < 0) {
        ao_build_note(b, AO_DIAG_ERROR, r, ao_table_col(b->table, "provider"),
                      "provider %s has no capacity row for service %s; add one to the capacity "
                      "sheet (with the capacity %s has today), or correct the provider",
                      m->providers[p].id, service->id, m->providers[p].id);
        return 0;
    }
    if (!ao_model_may_buy(m, i, s, p))
        ao_build_note(b, AO_DIAG_WARNING, r, ao_table_col(b->table, "provider"),
                      "the access table does not let ICB %s buy from provider %s: today's plan "
                      "breaks that limit, and the plan must move this activity elsewhere; add "
                      "%s, %s to the access sheet if the ICB may go on buying there",
                      m->icbs[i].id, m->providers[p].id, m->icbs[i].id, m->providers[p].id);
    *out = (flow_read){
        .flow =
            {.i = i, .s = s, .p = p, .k = k, .activity = activity, .row = b->table->row_numbers[r]},
        .index = r};
    return 1;
}

/* Pairs whose flows add up to a figure other than their baseline (more than 1 % apart):
 * today's plan follows the flows, but one of the two is probably mistyped. */
static void check_flow_totals(ao_builder *b, const flow_read *rows, size_t n)
{
    const ao_model *m = b->model;
    for (size_t first = 0, last; first < n; first = last) {
        double total = 0.0;
        for (last = first; last < n && rows[last].flow.i == rows[first].flow.i &&
                           rows[last].flow.s == rows[first].flow.s;
             last++)
            total += rows[last].flow.activity;
        const ao_flow *f = &rows[first].flow;
        double baseline = m->baseline[(size_t)f->i * (size_t)m->n_services + (size_t)f->s];
        if (!(fabs(total - baseline) > 0.01 * baseline))
            continue;
        char sum[64], given[64];
        ao_format_grouped(total, sum);
        ao_format_grouped(baseline, given);
        ao_build_note(b, AO_DIAG_WARNING, rows[first].index, ao_table_col(b->table, "activity"),
                      "ICB %s's flows of service %s add up to %s, but its baseline on the demand "
                      "sheet (row %ld) is %s: today's plan follows the flows; check which figure "
                      "is right",
                      m->icbs[f->i].id, m->services[f->s].id, sum,
                      m->demand_row[(size_t)f->i * (size_t)m->n_services + (size_t)f->s], given);
    }
}

/* Pairs without flows rows whose baseline has no provider to be split over (rule 16). */
static void check_baseline_providers(ao_builder *b)
{
    const ao_model *m = b->model;
    if (!ao_build_open_table(b, "demand"))
        return;
    unsigned char *listed = calloc((size_t)m->n_icbs * (size_t)m->n_services + 1, 1);
    if (listed == NULL) {
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    for (int f = 0; f < m->n_flows; f++)
        listed[(size_t)m->flows[f].i * (size_t)m->n_services + (size_t)m->flows[f].s] = 1;
    for (int i = 0; i < m->n_icbs; i++)
        for (int s = 0; s < m->n_services; s++) {
            size_t pair = (size_t)i * (size_t)m->n_services + (size_t)s;
            if (!m->has_demand[pair] || !m->services[s].provided || !(m->baseline[pair] > 0) ||
                listed[pair])
                continue;
            int allowed = 0;
            for (int k = 0; k < m->n_capacity && !allowed; k++)
                allowed = m->capacity[k].service == s &&
                          ao_model_may_buy(m, i, s, m->capacity[k].provider);
            if (allowed)
                continue;
            ao_build_note(b, AO_DIAG_WARNING, table_index_of(b, m->demand_row[pair]),
                          ao_table_col(b->table, "baseline"),
                          "ICB %s may buy service %s from no provider (access sheet), so its "
                          "baseline is left out of today's plan; give the pair a provider on "
                          "the access sheet, or its providers on a flows sheet",
                          m->icbs[i].id, m->services[s].id);
        }
    free(listed);
}

void ao_build_flows(ao_builder *b)
{
    ao_model *m = b->model;
    flow_read *rows = ao_build_open_rows(b, "flows", sizeof *rows);
    if (rows != NULL && b->table->n_rows == 0)
        ao_build_note(b, AO_DIAG_WARNING, (size_t)-1, -1,
                      "the flows table has no rows, so today's activity is each baseline split "
                      "over the allowed providers by capacity");
    /* Capacity row of each (provider, service), or -1. */
    size_t n_ps = (size_t)m->n_providers * (size_t)m->n_services;
    int *row_of = rows != NULL ? malloc((n_ps + 1) * sizeof *row_of) : NULL;
    if (rows != NULL && row_of == NULL)
        b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
    for (size_t q = 0; row_of != NULL && q < n_ps; q++)
        row_of[q] = -1;
    for (int k = 0; row_of != NULL && k < m->n_capacity; k++)
        row_of[(size_t)m->capacity[k].provider * (size_t)m->n_services +
               (size_t)m->capacity[k].service] = k;
    size_t n = 0;
    for (size_t r = 0; row_of != NULL && r < b->table->n_rows && !b->fatal; r++)
        n += (size_t)read_flow(b, r, row_of, &rows[n]);
    free(row_of);
    if (n > 0)
        qsort(rows, n, sizeof *rows, by_pair_then_provider);
    /* One row per ICB, service and provider. */
    size_t kept = 0;
    for (size_t q = 0; q < n; q++) {
        const ao_flow *before = kept > 0 ? &rows[kept - 1].flow : NULL;
        if (before != NULL && before->i == rows[q].flow.i && before->s == rows[q].flow.s &&
            before->p == rows[q].flow.p) {
            ao_build_note(b, AO_DIAG_ERROR, rows[q].index, ao_table_col(b->table, "provider"),
                          "ICB %s already has a flows row for service %s at provider %s (row "
                          "%ld); give each ICB, service and provider once, with the whole "
                          "activity",
                          m->icbs[rows[q].flow.i].id, m->services[rows[q].flow.s].id,
                          m->providers[rows[q].flow.p].id, before->row);
            continue;
        }
        rows[kept++] = rows[q];
    }
    if (!b->fatal)
        check_flow_totals(b, rows, kept);
    if (rows != NULL && !b->fatal) {
        m->flows = calloc(kept + 1, sizeof *m->flows);
        if (m->flows == NULL)
            b->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
        for (size_t q = 0; m->flows != NULL && q < kept; q++)
            m->flows[q] = rows[q].flow;
        m->n_flows = m->flows != NULL ? (int)kept : 0;
        m->has_flows_table = m->flows != NULL && b->table->n_rows > 0;
    }
    free(rows);
    if (!b->fatal)
        check_baseline_providers(b);
    b->table = NULL;
}

ao_arrangement ao_model_arrangement(const ao_model *m, int i, int s, int t)
{
    if (m->services[s].category != AO_CATEGORY_SPECIALISED)
        return AO_ARRANGEMENT_DELEGATED;
    if (m->arrangement_of == NULL)
        return m->settings.arrangement;
    return (ao_arrangement)m->arrangement_of[ao_ist(m, i, s, t)];
}

int ao_model_budget_unit(const ao_model *m, int i, int t)
{
    int f = m->footprint_of != NULL ? m->footprint_of[i] : -1;
    return f >= 0 && t >= m->footprints[f].from_year ? m->n_icbs + f : i;
}

const char *ao_model_unit_id(const ao_model *m, int u)
{
    return u < m->n_icbs ? m->icbs[u].id : m->footprints[u - m->n_icbs].id;
}
