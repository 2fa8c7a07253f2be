/*
 * Today's plan (MODEL.md rule 16): carried forward, evaluated, and set beside the plan
 * (rule 17).
 *
 * Today's plan is never optimised: its lines are built from the input alone, and the
 * limits it breaks come from the independent check (models/verify.h), so that a limit
 * added there is reported here without a change. Each broken limit is put in words a
 * finance analyst reads without the model at hand.
 */
#include "models/current.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/format.h"
#include "common/parse.h"
#include "common/strutil.h"
#include "models/verify.h"

/* Today's activity of ICB i for provided service s at capacity row k (f_isp). */
typedef struct today_flow {
    int i, s, k;
    double activity;
} today_flow;

static size_t pair_of(const ao_model *m, int i, int s)
{
    return (size_t)i * (size_t)m->n_services + (size_t)s;
}

/* Per (i,s,t), t fastest. */
static size_t ist_of(const ao_model *m, int i, int s, int t)
{
    return pair_of(m, i, s) * (size_t)m->settings.years + (size_t)t;
}

static int by_pair_then_row(const void *a, const void *b)
{
    const today_flow *x = a, *y = b;
    if (x->i != y->i)
        return (x->i > y->i) - (x->i < y->i);
    if (x->s != y->s)
        return (x->s > y->s) - (x->s < y->s);
    return (x->k > y->k) - (x->k < y->k);
}

/*
 * f_isp of every provided pair, by ICB, service and capacity row, with first[pair] ..
 * first[pair + 1] the entries of each pair: the flows rows where the pair has any, else
 * its baseline split over the capacity rows it may buy from by capacity (equally when
 * they add up to 0; none when there is no such row).
 */
static ao_error today_flows(const ao_model *m, today_flow **out, size_t **first_out)
{
    size_t n_pairs = (size_t)m->n_icbs * (size_t)m->n_services;
    ao_error err = AO_NO_ERROR;
    today_flow *flows = NULL;
    size_t *first = calloc(n_pairs + 2, sizeof *first);
    unsigned char *listed = calloc(n_pairs + 1, 1);
    /* Capacity rows by service: rows_of[start[s] .. start[s + 1]]. */
    int *start = calloc((size_t)m->n_services + 2, sizeof *start);
    int *rows_of = malloc(((size_t)m->n_capacity + 1) * sizeof *rows_of);
    int *fill = malloc(((size_t)m->n_services + 1) * sizeof *fill);
    if (!first || !listed || !start || !rows_of || !fill) {
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto cleanup;
    }
    for (int k = 0; k < m->n_capacity; k++)
        start[m->capacity[k].service + 1]++;
    for (int s = 0; s < m->n_services; s++)
        start[s + 1] += start[s];
    memcpy(fill, start, (size_t)m->n_services * sizeof *fill);
    for (int k = 0; k < m->n_capacity; k++)
        rows_of[fill[m->capacity[k].service]++] = k;

    size_t n = (size_t)m->n_flows;
    for (int f = 0; f < m->n_flows; f++)
        listed[pair_of(m, m->flows[f].i, m->flows[f].s)] = 1;
    for (int i = 0; i < m->n_icbs; i++)
        for (int s = 0; s < m->n_services; s++) {
            size_t pair = pair_of(m, i, s);
            if (m->has_demand[pair] && m->services[s].provided && !listed[pair] &&
                m->baseline[pair] > 0)
                n += (size_t)(start[s + 1] - start[s]);
        }
    flows = malloc((n + 1) * sizeof *flows);
    AO_GOTO_ON_MEM_ERROR(flows, err, cleanup);
    n = 0;
    for (int f = 0; f < m->n_flows; f++)
        flows[n++] =
            (today_flow){m->flows[f].i, m->flows[f].s, m->flows[f].k, m->flows[f].activity};
    for (int i = 0; i < m->n_icbs; i++)
        for (int s = 0; s < m->n_services; s++) {
            size_t pair = pair_of(m, i, s);
            if (!m->has_demand[pair] || !m->services[s].provided || listed[pair] ||
                !(m->baseline[pair] > 0))
                continue;
            double capacity = 0.0;
            int allowed = 0;
            for (int q = start[s]; q < start[s + 1]; q++) {
                const ao_capacity *cap = &m->capacity[rows_of[q]];
                if (ao_model_may_buy(m, i, s, cap->provider)) {
                    capacity += cap->capacity;
                    allowed++;
                }
            }
            for (int q = start[s]; q < start[s + 1]; q++) {
                const ao_capacity *cap = &m->capacity[rows_of[q]];
                if (!ao_model_may_buy(m, i, s, cap->provider))
                    continue;
                double share = capacity > 0 ? cap->capacity / capacity : 1.0 / allowed;
                flows[n++] = (today_flow){i, s, rows_of[q], m->baseline[pair] * share};
            }
        }
    if (n > 0)
        qsort(flows, n, sizeof *flows, by_pair_then_row);
    for (size_t q = 0; q < n; q++)
        first[pair_of(m, flows[q].i, flows[q].s) + 1]++;
    for (size_t pair = 0; pair < n_pairs; pair++)
        first[pair + 1] += first[pair];
    *out = flows;
    *first_out = first;
    flows = NULL;
    first = NULL;
cleanup:
    free(flows);
    free(first);
    free(listed);
    free(start);
    free(rows_of);
    free(fill);
    return err;
}

/* N_ist / n_is: how today's activity of a pair grows to year t (1 when n_is is 0). */
static double carried(const ao_model *m, int i, int s, int t)
{
    double need = m->need[pair_of(m, i, s)];
    return need > 0 ? ao_model_need(m, i, s, t) / need : 1.0;
}

/* ---- figures in words ---- */

/* "£612.3m", "£45,000". */
static void pounds(double amount, char out[80])
{
    ao_format_money(amount, out);
}

/* "312 patient-years", "1 course", "2.5 units". */
static void quantity(double amount, const ao_service *service, char out[96])
{
    char number[64];
    if (fabs(amount) >= 100)
        ao_format_grouped(round(amount), number);
    else
        snprintf(number, sizeof number, "%.3g", amount);
    const char *unit = service != NULL && service->unit != NULL ? service->unit : "unit";
    size_t length = strlen(unit);
    int plural = strcmp(number, "1") != 0 && length > 0 && unit[length - 1] != 's';
    snprintf(out, 96, "%s %s%s", number, unit, plural ? "s" : "");
}

/* "85 %", "92.5 %". */
static void percent(double fraction, char out[24])
{
    double value = round(fraction * 1000.0) / 10.0;
    if (value == floor(value))
        snprintf(out, 24, "%.0f %%", value);
    else
        snprintf(out, 24, "%.1f %%", value);
}

/* What a wording needs beside the violation. */
typedef struct wording {
    const ao_model *m;
    const double *activity; ///< A⁰ per (i,s,t), t fastest.
    const double *after;    ///< N'⁰ per (i,s,t): need after today's prevention.
} wording;

/* The names a sentence uses, "" where the limit has none. */
typedef struct names {
    const char *icb, *service, *provider;
    char year[16];
    const ao_service *unit; ///< The service whose unit amounts are in (NULL: units).
} names;

static names names_of(const wording *w, const ao_violation *v)
{
    names n = {"", "", "", "", NULL};
    if (v->i >= 0)
        n.icb = w->m->icbs[v->i].id;
    if (v->pool != NULL)
        n.icb = v->pool;
    if (v->s >= 0) {
        n.unit = &w->m->services[v->s];
        n.service = n.unit->name;
    }
    if (v->p >= 0)
        n.provider = w->m->providers[v->p].name;
    if (v->t >= 0)
        ao_model_year_label(w->m, v->t, n.year);
    return n;
}

typedef char *(*describe_fn)(const wording *w, const ao_violation *v, ao_broken_limit *b);

/* A limit in units of a service, in one sentence: `what` is a printf format taking the
 * service, the place (ICB or provider), the year, the plan's units, the limit and the
 * amount, in that order. */
static char *describe_units(const wording *w, const ao_violation *v, ao_broken_limit *b,
                            int at_provider, const char *what)
{
    names n = names_of(w, v);
    char value[96], bound[96], amount[96];
    quantity(b->value, n.unit, value);
    quantity(b->bound, n.unit, bound);
    quantity(b->amount, n.unit, amount);
    return ao_asprintf(what, n.service, at_provider ? n.provider : n.icb, n.year, value, bound,
                       amount);
}

static char *describe_need(const wording *w, const ao_violation *v, ao_broken_limit *b)
{
    return describe_units(w, v, b, 0,
                          "%s in %s %s: %s against a need of %s after prevention (%s over)");
}

static char *describe_standard(const wording *w, const ao_violation *v, ao_broken_limit *b)
{
    names n = names_of(w, v);
    double need = w->after[ist_of(w->m, v->i, v->s, v->t)];
    char coverage[24], standard[24], amount[96];
    percent(need > 0 ? v->value / need : 0.0, coverage);
    percent(w->m->services[v->s].min_coverage, standard);
    quantity(b->amount, n.unit, amount);
    return ao_asprintf("%s in %s %s: %s coverage, below the %s national standard (%s short)",
                       n.service, n.icb, n.year, coverage, standard, amount);
}

static char *describe_capacity(const wording *w, const ao_violation *v, ao_broken_limit *b)
{
    return describe_units(w, v, b, 1, "%s at %s %s: %s bought against a capacity of %s (%s over)");
}

static char *describe_volume(const wording *w, const ao_violation *v, ao_broken_limit *b)
{
    return describe_units(w, v, b, 1,
                          "%s at %s %s: %s bought, below the minimum viable volume of %s (%s "
                          "short)");
}

/* A money limit of a budget (rules 6 and 7), in one sentence: `what` is a printf format
 * taking the pool, the year, the spend, the limit and the amount, in that order. */
static char *describe_money(const wording *w, const ao_violation *v, ao_broken_limit *b,
                            const char *what)
{
    names n = names_of(w, v);
    char value[80], bound[80], amount[80];
    b->money = 1;
    pounds(b->value, value);
    pounds(b->bound, bound);
    pounds(b->amount, amount);
    return ao_asprintf(what, n.icb, n.year, value, bound, amount);
}

static char *describe_revenue(const wording *w, const ao_violation *v, ao_broken_limit *b)
{
    return describe_money(w, v, b, "ICB %s %s: spend %s against a %s revenue budget (%s over)");
}

static char *describe_pool(const wording *w, const ao_violation *v, ao_broken_limit *b)
{
    return describe_money(w, v, b, "specialised pool %s %s: spend %s against a %s pool (%s over)");
}

/* A spending rule (rule 10), by its name. */
static char *describe_rule(const wording *w, const ao_violation *v, ao_broken_limit *b)
{
    names n = names_of(w, v);
    char value[80], bound[80], amount[80];
    int below = v->value < v->lo;
    b->money = 1;
    pounds(b->value, value);
    pounds(b->bound, bound);
    pounds(b->amount, amount);
    return ao_asprintf("rule %s, %s%s %s: spend %s, %s the rule's %s of %s (%s %s)",
                       v->rule != NULL ? v->rule : "?", v->pool != NULL ? "" : "ICB ", n.icb,
                       n.year, value, below ? "below" : "above", below ? "minimum" : "maximum",
                       bound, amount, below ? "short" : "over");
}

static char *describe_priority(const wording *w, const ao_violation *v, ao_broken_limit *b)
{
    return describe_money(w, v, b,
                          "ICB %s %s: priority spend %s against the %s left after its "
                          "specialised allocation (%s over)");
}

static char *describe_floor(const wording *w, const ao_violation *v, ao_broken_limit *b)
{
    return describe_money(w, v, b,
                          "ICB %s %s: specialised spend %s, below the floor of %s (%s short)");
}

static char *describe_stability(const wording *w, const ao_violation *v, ao_broken_limit *b)
{
    names n = names_of(w, v);
    const ao_model *m = w->m;
    double before = v->t > 0 ? w->activity[ist_of(m, v->i, v->s, v->t - 1)]
                             : m->baseline[pair_of(m, v->i, v->s)];
    double change = before > 0 ? v->value / before - 1.0 : 0.0;
    char value[96], amount[96], by[24], allowed[24];
    quantity(b->value, n.unit, value);
    quantity(b->amount, n.unit, amount);
    percent(fabs(change), by);
    percent(ao_model_max_change(m, v->s), allowed);
    return ao_asprintf("%s in %s %s: %s, %s %s on the year before, more than the %s a year "
                       "allowed (%s %s)",
                       n.service, n.icb, n.year, value, by, change >= 0 ? "up" : "down", allowed,
                       amount, v->value > v->hi ? "over" : "short");
}

/* The equity band compares coverage; in units, the activity short of the band. */
static char *describe_equity(const wording *w, const ao_violation *v, ao_broken_limit *b)
{
    names n = names_of(w, v);
    const ao_model *m = w->m;
    double need = ao_model_need(m, v->i, v->s, v->t);
    double band = m->settings.equity_band;
    char coverage[24], regional[24], width[24], amount[96];
    percent(v->value, coverage);
    percent(band < 1 ? v->lo / (1 - band) : 0.0, regional);
    percent(band, width);
    b->value = v->value * need;
    b->bound = v->lo * need;
    b->amount = v->excess * need;
    quantity(b->amount, n.unit, amount);
    return ao_asprintf("%s in %s %s: %s coverage, more than %s below its region's %s (%s "
                       "short)",
                       n.service, n.icb, n.year, coverage, width, regional, amount);
}

static char *describe_contracts(const wording *w, const ao_violation *v, ao_broken_limit *b)
{
    names n = names_of(w, v);
    if (v->i >= 0)
        return ao_asprintf("ICB %s buys from %.0f providers, more than its limit of %.0f (%.0f "
                           "too many)",
                           n.icb, b->value, b->bound, b->amount);
    return ao_asprintf("%s: %.0f ICBs buy from it, more than its limit of %.0f (%.0f too many)",
                       n.provider, b->value, b->bound, b->amount);
}

static char *describe_access(const wording *w, const ao_violation *v, ao_broken_limit *b)
{
    names n = names_of(w, v);
    char value[96];
    quantity(b->value, n.unit, value);
    return ao_asprintf("ICB %s buys %s of %s from %s in %s, which the access table does not "
                       "allow",
                       n.icb, value, n.service, n.provider, n.year);
}

/* A limit without a wording of its own: its name, where, and the figures. Pounds when the
 * limit's name is about money. */
static char *describe_other(const wording *w, const ao_violation *v, ao_broken_limit *b)
{
    static const char *const money_words[] = {"revenue", "capital", "budget",
                                              "spend",   "pool",    "allocation"};
    for (size_t q = 0; q < sizeof money_words / sizeof money_words[0]; q++)
        b->money |= strstr(v->limit, money_words[q]) != NULL;
    names n = names_of(w, v);
    char value[96], bound[96], amount[96];
    if (b->money) {
        pounds(b->value, value);
        pounds(b->bound, bound);
        pounds(b->amount, amount);
    } else if (v->s >= 0) {
        quantity(b->value, n.unit, value);
        quantity(b->bound, n.unit, bound);
        quantity(b->amount, n.unit, amount);
    } else {
        snprintf(value, sizeof value, "%.6g", b->value);
        snprintf(bound, sizeof bound, "%.6g", b->bound);
        snprintf(amount, sizeof amount, "%.6g", b->amount);
    }
    int below = v->value < v->lo;
    /* An ICB is "ICB QWO"; a pool (footprint, joint committee, England) its name alone. */
    const char *before_icb = v->i >= 0 ? ", ICB " : n.icb[0] ? ", " : "";
    return ao_asprintf("%s%s%s%s%s%s%s%s%s: %s against a %s of %s (%s %s)", v->limit, before_icb,
                       n.icb, v->s >= 0 ? ", " : "", n.service, v->p >= 0 ? ", " : "", n.provider,
                       v->t >= 0 ? ", " : "", n.year, value, below ? "minimum" : "maximum", bound,
                       amount, below ? "short" : "over");
}

/* The checks of models/verify.c by name, each with its sentence. */
static const struct {
    const char *limit;
    describe_fn describe;
} describers[] = {
    {"need after prevention (rule 1)", describe_need},
    {"national standard (rule 2)", describe_standard},
    {"provider capacity (rule 3)", describe_capacity},
    {"minimum viable volume (rule 4)", describe_volume},
    {"revenue (rule 6)", describe_revenue},
    {"priority revenue (rule 6)", describe_priority},
    {"specialised pool (rule 6)", describe_pool},
    {"spending rule (rule 10)", describe_rule},
    {"specialised share floor (rule 7)", describe_floor},
    {"stability (rule 8)", describe_stability},
    {"equity band (rule 9)", describe_equity},
    {"providers per ICB (rule 12)", describe_contracts},
    {"ICBs per provider (rule 12)", describe_contracts},
    {"activity at a provider not allowed", describe_access},
};

/* ---- the broken limits ---- */

typedef struct found_limit {
    ao_broken_limit limit;
    double relative;
    size_t order; ///< Order found, to keep equal amounts in the order of the checks.
} found_limit;

typedef struct collector {
    wording w;
    found_limit *found;
    size_t n, cap;
} collector;

static ao_error collect(void *info, const ao_violation *v)
{
    collector *c = info;
    if (!(v->relative > AO_CURRENT_BREAK_TOLERANCE))
        return AO_NO_ERROR;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 32;
        found_limit *grown = realloc(c->found, cap * sizeof *grown);
        if (grown == NULL)
            return AO_ERROR_MEMORY_MALLOC_FAILED;
        c->found = grown;
        c->cap = cap;
    }
    int below = v->value < v->lo;
    ao_broken_limit b = {.i = v->i,
                         .s = v->s,
                         .t = v->t,
                         .value = v->value,
                         .bound = below ? v->lo : v->hi,
                         .amount = v->excess};
    describe_fn describe = describe_other;
    for (size_t q = 0; q < sizeof describers / sizeof describers[0]; q++)
        if (strcmp(v->limit, describers[q].limit) == 0)
            describe = describers[q].describe;
    b.description = describe(&c->w, v, &b);
    b.limit = ao_strdup(v->limit);
    if (b.description == NULL || b.limit == NULL) {
        free(b.description);
        free(b.limit);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    c->found[c->n] = (found_limit){b, v->relative, c->n};
    c->n++;
    return AO_NO_ERROR;
}

static int by_relative_amount(const void *a, const void *b)
{
    const found_limit *x = a, *y = b;
    if (x->relative != y->relative)
        return (x->relative < y->relative) - (x->relative > y->relative);
    return (x->order > y->order) - (x->order < y->order);
}

static ao_error find_broken_limits(const ao_model *m, ao_current_plan *current,
                                   const double *activity, const double *after)
{
    collector c = {.w = {m, activity, after}};
    ao_error err = ao_verify_lines(m, current->alloc, current->n_alloc, NULL, 0, collect, &c, NULL);
    if (c.n > 0)
        qsort(c.found, c.n, sizeof *c.found, by_relative_amount);
    current->broken = calloc(c.n + 1, sizeof *current->broken);
    if (current->broken == NULL && err == AO_NO_ERROR)
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
    for (size_t q = 0; q < c.n; q++) {
        if (current->broken != NULL) {
            current->broken[current->n_broken++] = c.found[q].limit;
        } else {
            free(c.found[q].limit.limit);
            free(c.found[q].limit.description);
        }
    }
    free(c.found);
    return err;
}

/* ---- today's plan ---- */

ao_error ao_current_evaluate(const ao_model *m, ao_current_plan *current)
{
    int T = m->settings.years;
    size_t n_ist = (size_t)m->n_icbs * (size_t)m->n_services * (size_t)T;
    today_flow *flows = NULL;
    size_t *first = NULL;
    double *activity = calloc(n_ist + 1, sizeof *activity);
    double *after = calloc(n_ist + 1, sizeof *after);
    ao_error err = AO_NO_ERROR;
    AO_GOTO_ON_MEM_ERROR(activity, err, cleanup);
    AO_GOTO_ON_MEM_ERROR(after, err, cleanup);
    AO_GOTO_ON_ERROR(today_flows(m, &flows, &first), err, cleanup);

    /* Lines: every provider's share of a provided pair, or a local pair's activity, each
     * year, in the plan's order (year, ICB, service, capacity row). */
    size_t n_pairs = (size_t)m->n_icbs * (size_t)m->n_services, n_lines = 0;
    for (size_t pair = 0; pair < n_pairs; pair++)
        n_lines += m->services[pair % (size_t)m->n_services].provided
                       ? first[pair + 1] - first[pair]
                       : (size_t)(m->has_demand[pair] && m->baseline[pair] > 0);
    current->alloc = calloc(n_lines * (size_t)T + 1, sizeof *current->alloc);
    AO_GOTO_ON_MEM_ERROR(current->alloc, err, cleanup);
    for (int t = 0; t < T; t++)
        for (int i = 0; i < m->n_icbs; i++)
            for (int s = 0; s < m->n_services; s++) {
                size_t pair = pair_of(m, i, s);
                if (!m->has_demand[pair])
                    continue;
                double growth = carried(m, i, s, t);
                size_t at = ist_of(m, i, s, t);
                if (!m->services[s].provided) {
                    if (!(m->baseline[pair] > 0))
                        continue;
                    ao_alloc_line *line = &current->alloc[current->n_alloc++];
                    *line = (ao_alloc_line){i, s, -1, t, m->baseline[pair] * growth, 0.0};
                    line->spend = line->activity * m->services[s].unit_cost;
                    activity[at] += line->activity;
                    continue;
                }
                for (size_t q = first[pair]; q < first[pair + 1]; q++) {
                    ao_alloc_line *line = &current->alloc[current->n_alloc++];
                    int p = m->capacity[flows[q].k].provider;
                    *line = (ao_alloc_line){i, s, p, t, flows[q].activity * growth, 0.0};
                    line->spend = line->activity * ao_model_unit_cost(m, flows[q].k);
                    activity[at] += line->activity;
                }
            }

    /* Totals by ICB, service and year, as the plan's. */
    size_t n_demand = 0;
    for (size_t pair = 0; pair < n_pairs; pair++)
        n_demand += m->has_demand[pair];
    current->service_years = calloc(n_demand * (size_t)T + 1, sizeof *current->service_years);
    double *spend = calloc(n_ist + 1, sizeof *spend);
    if (current->service_years == NULL || spend == NULL) {
        free(spend);
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto cleanup;
    }
    for (size_t a = 0; a < current->n_alloc; a++) {
        const ao_alloc_line *line = &current->alloc[a];
        spend[ist_of(m, line->i, line->s, line->t)] += line->spend;
        current->total_revenue_spend += line->spend;
    }
    current->objective = 0.0;
    for (int t = 0; t < T; t++) {
        double discount = pow(1.0 + m->settings.discount_rate, -t);
        for (int i = 0; i < m->n_icbs; i++)
            for (int s = 0; s < m->n_services; s++) {
                if (!m->has_demand[pair_of(m, i, s)])
                    continue;
                size_t at = ist_of(m, i, s, t);
                ao_service_year *y = &current->service_years[current->n_service_years++];
                y->i = i;
                y->s = s;
                y->t = t;
                y->activity = activity[at];
                y->spend = spend[at];
                y->need = ao_model_need(m, i, s, t);
                double avoided = 0.0;
                for (int l = 0; l < m->n_links; l++) {
                    const ao_prevention *link = &m->links[l];
                    if (link->target == s && t - link->lag >= 0)
                        avoided +=
                            link->effect * activity[ist_of(m, i, link->source, t - link->lag)];
                }
                y->need_after_prevention = y->need - avoided;
                after[at] = y->need_after_prevention;
                y->coverage =
                    y->need_after_prevention > 0 ? y->activity / y->need_after_prevention : 0.0;
                y->benefit = m->services[s].benefit * y->activity;
                current->total_benefit += y->benefit;
                current->objective +=
                    discount *
                    (m->settings.objective == AO_OBJECTIVE_BENEFIT ? y->benefit : y->spend);
            }
    }
    free(spend);
    AO_GOTO_ON_ERROR(find_broken_limits(m, current, activity, after), err, cleanup);
    current->evaluated = 1;
cleanup:
    free(flows);
    free(first);
    free(activity);
    free(after);
    return err;
}

/* ---- the plan against today's ---- */

ao_error ao_current_compare(const ao_model *m, ao_plan *plan)
{
    int T = m->settings.years;
    size_t n_ikt = (size_t)m->n_icbs * (size_t)m->n_capacity * (size_t)T;
    size_t n_kt = (size_t)m->n_capacity * (size_t)T;
    double *today = calloc(n_ikt + 1, sizeof *today);
    double *planned = calloc(n_ikt + 1, sizeof *planned);
    int *row_of = malloc(((size_t)m->n_providers * (size_t)m->n_services + 1) * sizeof *row_of);
    ao_provider_move *moves = calloc(n_kt + 1, sizeof *moves);
    ao_error err = AO_NO_ERROR;
    if (!today || !planned || !row_of || !moves) {
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto cleanup;
    }
    for (size_t q = 0; q < (size_t)m->n_providers * (size_t)m->n_services; q++)
        row_of[q] = -1;
    for (int k = 0; k < m->n_capacity; k++)
        row_of[(size_t)m->capacity[k].provider * (size_t)m->n_services +
               (size_t)m->capacity[k].service] = k;
    /* Activity per (ICB, capacity row, year): today's and the plan's. */
    const ao_alloc_line *lines[2] = {plan->current.alloc, plan->alloc};
    size_t counts[2] = {plan->current.n_alloc, plan->n_alloc};
    double *into[2] = {today, planned};
    for (int side = 0; side < 2; side++)
        for (size_t a = 0; a < counts[side]; a++) {
            const ao_alloc_line *line = &lines[side][a];
            if (line->p < 0)
                continue;
            int k = row_of[(size_t)line->p * (size_t)m->n_services + (size_t)line->s];
            if (k >= 0)
                into[side][((size_t)line->i * (size_t)m->n_capacity + (size_t)k) * (size_t)T +
                           (size_t)line->t] += line->activity;
        }
    plan->moved_activity = 0.0;
    for (int k = 0; k < m->n_capacity; k++)
        for (int t = 0; t < T; t++) {
            ao_provider_move *move = &moves[(size_t)k * (size_t)T + (size_t)t];
            move->p = m->capacity[k].provider;
            move->s = m->capacity[k].service;
            move->t = t;
            for (int i = 0; i < m->n_icbs; i++) {
                size_t at = ((size_t)i * (size_t)m->n_capacity + (size_t)k) * (size_t)T + (size_t)t;
                double before = today[at], now = planned[at];
                move->today += before;
                move->planned += now;
                move->gained += fmax(0.0, now - before);
                move->lost += fmax(0.0, before - now);
                plan->moved_activity += fabs(now - before);
            }
        }
    /* Keep the lines with activity today or in the plan. */
    size_t kept = 0;
    for (size_t q = 0; q < n_kt; q++)
        if (moves[q].today > 0 || moves[q].planned > 0)
            moves[kept++] = moves[q];
    free(plan->moves);
    plan->moves = moves;
    plan->n_moves = kept;
    moves = NULL;
cleanup:
    free(today);
    free(planned);
    free(row_of);
    free(moves);
    return err;
}
