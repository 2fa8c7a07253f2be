/*
 * The Comparison sheet (when today's plan was evaluated, MODEL.md rule 16): today's
 * allocation carried forward beside the optimal plan. The headline sentence, the key
 * figures side by side, the limits today's allocation breaks, the two plans by region,
 * by ICB (with regional subtotals) and by programme, the activity each provider gains
 * and loses (when the plan keeps to today's providers, rule 17), and charts of the
 * biggest changes.
 *
 * Every figure is a total over the plan's years, undiscounted, from the service-year
 * lines of the two plans (ao_plan.service_years and ao_plan.current.service_years) and
 * the provider lines (ao_plan.moves); nothing is computed here that models/ computes.
 */
#include "report/sheets.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart.h"
#include "report/words.h"

/* Rows in the tables of biggest changes (and bars in their charts). */
#define AO_BIGGEST 10
/* A change of spend below a pound, or of activity below this, is rounding. */
#define AO_SPEND_NOISE 0.5
#define AO_ACTIVITY_NOISE 1e-6
/* Chart size on the sheet, in pixels. */
#define AO_COMPARISON_CHART_WIDTH 900
#define AO_COMPARISON_CHART_HEIGHT 360
/* Label of a programme-less service. */
#define AO_NO_PROGRAMME "(no programme)"

/* The columns every side-by-side table has from column C on: what it is of each plan.
 * Column A names the row (an ICB, a region, a programme) and B says more of it. */
#define SIDE_BY_SIDE_COL 2
#define SIDE_BY_SIDE_HEADERS                                                                       \
    "spend today", "spend, optimal", "spend change", "activity today", "activity, optimal",        \
        "coverage today", "coverage, optimal", "coverage change", "specialised share today",       \
        "specialised share, optimal"

/** Totals of one row of a side-by-side table: today's and the optimal plan's. */
typedef struct pair_tally {
    ao_sheet_tally today;
    ao_sheet_tally optimal;
} pair_tally;

/** Totals of the two plans by ICB, region and programme. */
typedef struct comparison {
    const ao_model *m;
    const ao_plan *plan;
    int optimal;           ///< 1 when the plan is optimal (else its columns are blank).
    pair_tally all;        ///< Every ICB.
    pair_tally *icb;       ///< Per ICB.
    pair_tally *region;    ///< Per region slot (n_regions + 1).
    int *region_icbs;      ///< ICBs per region slot.
    pair_tally *programme; ///< Per programme slot (n_programmes + 1: the last for none).
    double *icb_programme; ///< Spend per ICB and programme slot: today, then optimal.
} comparison;

static const char *programme_label(const ao_model *m, int q)
{
    if (q < 0 || q >= m->n_programmes || m->programmes == NULL || m->programmes[q] == NULL ||
        m->programmes[q][0] == '\0')
        return AO_NO_PROGRAMME;
    return m->programmes[q];
}

/* An ICB, provider or service as a reader knows it: its name, or its id when it has none. */
static const char *icb_label(const ao_model *m, int i)
{
    const char *name = ao_sheet_icb_name(m, i);
    return name[0] ? name : ao_sheet_icb_id(m, i);
}

static const char *provider_label(const ao_model *m, int p)
{
    const char *name = ao_sheet_provider_name(m, p);
    return name[0] ? name : ao_sheet_provider_id(m, p);
}

static const char *service_label(const ao_model *m, int s)
{
    const char *name = ao_sheet_service_name(m, s);
    return name[0] ? name : ao_sheet_service_id(m, s);
}

static int programme_slot(const ao_model *m, int s)
{
    int q = s >= 0 && s < m->n_services ? m->services[s].programme : -1;
    return q >= 0 && q < m->n_programmes ? q : m->n_programmes;
}

/* "specialised", "priority" or "both": the categories of a programme slot's services. */
static const char *programme_category(const ao_model *m, int q)
{
    int specialised = 0, priority = 0;
    for (int s = 0; s < m->n_services; s++)
        if (programme_slot(m, s) == q) {
            specialised |= m->services[s].category == AO_CATEGORY_SPECIALISED;
            priority |= m->services[s].category != AO_CATEGORY_SPECIALISED;
        }
    return specialised && priority ? "both"
           : specialised           ? "specialised"
           : priority              ? "priority"
                                   : "";
}

/* Add the lines of one plan (which = 0 today, 1 optimal) to the totals. */
static void add_lines(comparison *c, const ao_service_year *lines, size_t n, int which)
{
    const ao_model *m = c->m;
    size_t programmes = (size_t)m->n_programmes + 1;
    for (size_t k = 0; k < n; k++) {
        const ao_service_year *y = &lines[k];
        if (y->i < 0 || y->i >= m->n_icbs || y->s < 0 || y->s >= m->n_services)
            continue;
        int q = programme_slot(m, y->s);
        ao_sheet_tally *icb = which ? &c->icb[y->i].optimal : &c->icb[y->i].today;
        ao_sheet_tally *programme = which ? &c->programme[q].optimal : &c->programme[q].today;
        ao_sheet_tally_add(icb, m, y);
        ao_sheet_tally_add(programme, m, y);
        c->icb_programme[((size_t)y->i * programmes + (size_t)q) * 2 + (size_t)which] += y->spend;
    }
}

static void comparison_free(comparison *c)
{
    free(c->icb);
    free(c->region);
    free(c->region_icbs);
    free(c->programme);
    free(c->icb_programme);
}

static ao_error comparison_build(comparison *c, const ao_model *m, const ao_plan *plan)
{
    memset(c, 0, sizeof *c);
    c->m = m;
    c->plan = plan;
    c->optimal = plan->status == AO_STATUS_OPTIMAL;
    size_t icbs = m->n_icbs > 0 ? (size_t)m->n_icbs : 0;
    size_t regions = (size_t)m->n_regions + 1;
    size_t programmes = (size_t)m->n_programmes + 1;
    c->icb = calloc(icbs + 1, sizeof *c->icb);
    c->region = calloc(regions, sizeof *c->region);
    c->region_icbs = calloc(regions, sizeof *c->region_icbs);
    c->programme = calloc(programmes, sizeof *c->programme);
    c->icb_programme = calloc(icbs * programmes * 2 + 1, sizeof *c->icb_programme);
    if (!c->icb || !c->region || !c->region_icbs || !c->programme || !c->icb_programme) {
        comparison_free(c);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    add_lines(c, plan->current.service_years, plan->current.n_service_years, 0);
    if (c->optimal)
        add_lines(c, plan->service_years, plan->n_service_years, 1);
    for (size_t i = 0; i < icbs; i++) {
        int r = ao_sheet_region_index(m, (int)i);
        c->region_icbs[r]++;
        ao_sheet_tally_merge(&c->region[r].today, &c->icb[i].today);
        ao_sheet_tally_merge(&c->region[r].optimal, &c->icb[i].optimal);
        ao_sheet_tally_merge(&c->all.today, &c->icb[i].today);
        ao_sheet_tally_merge(&c->all.optimal, &c->icb[i].optimal);
    }
    return AO_NO_ERROR;
}

/* optimal − today; blank when either is. */
static double change(double today, double optimal)
{
    return isfinite(today) && isfinite(optimal) ? optimal - today : NAN;
}

/* The side-by-side columns from col on; the optimal plan's blank when there is none. */
static void put_side_by_side(ao_sheet *sh, lxw_col_t col, const pair_tally *x, int optimal)
{
    const ao_sheet_tally *a = &x->today, *b = &x->optimal;
    double spend = optimal ? b->spend : NAN, activity = optimal ? b->activity : NAN;
    double coverage = optimal ? ao_sheet_tally_coverage(b) : NAN;
    double share = optimal ? ao_sheet_tally_share(b) : NAN;
    ao_sheet_put_number(sh, col, a->spend, AO_CELL_MONEY);
    ao_sheet_put_number(sh, col + 1, spend, AO_CELL_MONEY);
    ao_sheet_put_number(sh, col + 2, change(a->spend, spend), AO_CELL_MONEY_CHANGE);
    ao_sheet_put_number(sh, col + 3, a->activity, AO_CELL_ACTIVITY);
    ao_sheet_put_number(sh, col + 4, activity, AO_CELL_ACTIVITY);
    ao_sheet_put_number(sh, col + 5, ao_sheet_tally_coverage(a), AO_CELL_SHARE);
    ao_sheet_put_number(sh, col + 6, coverage, AO_CELL_SHARE);
    ao_sheet_put_number(sh, col + 7, change(ao_sheet_tally_coverage(a), coverage),
                        AO_CELL_SHARE_CHANGE);
    ao_sheet_put_number(sh, col + 8, ao_sheet_tally_share(a), AO_CELL_SHARE);
    ao_sheet_put_number(sh, col + 9, share, AO_CELL_SHARE);
}

/* The headline figures of the two plans, side by side. */
static void key_figures(ao_sheet *sh, const comparison *c)
{
    const ao_model *m = c->m;
    const ao_plan *plan = c->plan;
    const ao_current_plan *today = &plan->current;
    int cost = m->settings.objective == AO_OBJECTIVE_COST;
    const char *unit = m->settings.benefit_unit ? m->settings.benefit_unit : "benefit units";
    char objective[160], benefit[160];
    snprintf(objective, sizeof objective, "objective (%s, discounted)", cost ? "£" : unit);
    snprintf(benefit, sizeof benefit, "total benefit (%s, not discounted)", unit);
    static const char *const headers[] = {"figure", "today's allocation", "optimal plan", "change"};
    ao_sheet_block_begin(sh, "The two plans over the whole plan period", headers,
                         AO_COUNT_OF(headers));
    const struct {
        const char *label;
        double today, optimal;
        ao_cell_style style, change;
    } rows[] = {
        {objective, today->objective, plan->objective, cost ? AO_CELL_MONEY : AO_CELL_BENEFIT,
         cost ? AO_CELL_MONEY_CHANGE : AO_CELL_BENEFIT_CHANGE},
        {benefit, today->total_benefit, plan->total_benefit, AO_CELL_BENEFIT,
         AO_CELL_BENEFIT_CHANGE},
        {"revenue spend (£, not discounted)", today->total_revenue_spend, plan->total_revenue_spend,
         AO_CELL_MONEY, AO_CELL_MONEY_CHANGE},
        /* Today's allocation adds no capacity. */
        {"capital spend (£, not discounted)", 0.0, plan->total_capital_spend, AO_CELL_MONEY,
         AO_CELL_MONEY_CHANGE},
        {"specialised share of revenue spend", ao_sheet_tally_share(&c->all.today),
         plan->specialised_share, AO_CELL_SHARE, AO_CELL_SHARE_CHANGE},
        {"average coverage", ao_sheet_tally_coverage(&c->all.today),
         ao_sheet_tally_coverage(&c->all.optimal), AO_CELL_SHARE, AO_CELL_SHARE_CHANGE},
    };
    for (size_t k = 0; k < AO_COUNT_OF(rows) && sh->err == AO_NO_ERROR; k++) {
        double optimal = c->optimal ? rows[k].optimal : NAN;
        ao_sheet_line_begin(sh);
        ao_sheet_put_text(sh, 0, rows[k].label, NULL);
        ao_sheet_put_number(sh, 1, rows[k].today, rows[k].style);
        ao_sheet_put_number(sh, 2, optimal, rows[k].style);
        ao_sheet_put_number(sh, 3, change(rows[k].today, optimal), rows[k].change);
        ao_sheet_line_end(sh);
    }
    ao_sheet_table_end(sh);
    if (c->optimal && plan->has_continuity) {
        ao_sheet_line_begin(sh);
        ao_sheet_put_text(sh, 0, "activity moved", NULL);
        ao_sheet_put_number(sh, 2, plan->moved_activity, AO_CELL_ACTIVITY);
        ao_sheet_line_end(sh);
        ao_sheet_put_note(sh, "activity moved: the optimal plan's activity against today's, "
                              "provider by provider, added up over ICBs, services and years "
                              "(a unit moved from one provider to another counts at both). The "
                              "plan moves as little as it can without less benefit or more "
                              "spend.");
    }
}

/* The limits today's allocation breaks, carried forward unchanged (largest first). */
static void broken_limits(ao_sheet *sh, const ao_current_plan *today)
{
    static const char *const headers[] = {"where and when", "limit", "today's figure", "the limit",
                                          "broken by"};
    ao_sheet_block_begin(sh, "Limits today's allocation breaks, carried forward unchanged", headers,
                         AO_COUNT_OF(headers));
    for (size_t k = 0; k < today->n_broken && sh->err == AO_NO_ERROR; k++) {
        const ao_broken_limit *b = &today->broken[k];
        ao_cell_style style = b->money ? AO_CELL_MONEY : AO_CELL_ACTIVITY;
        ao_sheet_line_begin(sh);
        ao_sheet_put_text(sh, 0, b->description, NULL);
        ao_sheet_put_text(sh, 1, b->limit, NULL);
        ao_sheet_put_number(sh, 2, b->value, style);
        ao_sheet_put_number(sh, 3, b->bound, style);
        ao_sheet_put_number(sh, 4, b->amount, style);
        ao_sheet_line_end(sh);
    }
    ao_sheet_block_end(sh, today->n_broken,
                       "Carried forward unchanged, today's allocation keeps every limit.");
}

static void by_region(ao_sheet *sh, const comparison *c)
{
    const ao_model *m = c->m;
    static const char *const headers[] = {"region", "ICBs", SIDE_BY_SIDE_HEADERS};
    ao_sheet_block_begin(sh, "By region", headers, AO_COUNT_OF(headers));
    for (int r = 0; r <= m->n_regions + 1 && sh->err == AO_NO_ERROR; r++) {
        int total = r == m->n_regions + 1;
        if (!total && c->region_icbs[r] == 0)
            continue;
        ao_sheet_line_begin(sh);
        if (total)
            ao_sheet_put_text(sh, 0, "All ICBs", sh->st->label);
        else
            ao_sheet_put_text(sh, 0, ao_sheet_region_label(m, r), NULL);
        ao_sheet_put_number(sh, 1, total ? m->n_icbs : c->region_icbs[r], AO_CELL_COUNT);
        put_side_by_side(sh, SIDE_BY_SIDE_COL, total ? &c->all : &c->region[r], c->optimal);
        ao_sheet_line_end(sh);
    }
    ao_sheet_table_end(sh);
}

/* Each ICB, grouped by region with the region's total below its ICBs (when there is more
 * than one region), then all ICBs. */
static void by_icb(ao_sheet *sh, const comparison *c)
{
    const ao_model *m = c->m;
    int regions_used = 0;
    for (int r = 0; r <= m->n_regions; r++)
        regions_used += c->region_icbs[r] > 0;
    static const char *const headers[] = {"ICB", "region", SIDE_BY_SIDE_HEADERS};
    ao_sheet_block_begin(sh, "By ICB, with each region's total", headers, AO_COUNT_OF(headers));
    for (int r = 0; r <= m->n_regions && sh->err == AO_NO_ERROR; r++) {
        if (c->region_icbs[r] == 0)
            continue;
        for (int i = 0; i < m->n_icbs && sh->err == AO_NO_ERROR; i++) {
            if (ao_sheet_region_index(m, i) != r)
                continue;
            ao_sheet_line_begin(sh);
            ao_sheet_put_text(sh, 0, icb_label(m, i), NULL);
            ao_sheet_put_text(sh, 1, ao_sheet_region_label(m, r), NULL);
            put_side_by_side(sh, SIDE_BY_SIDE_COL, &c->icb[i], c->optimal);
            ao_sheet_line_end(sh);
        }
        if (regions_used > 1) {
            ao_sheet_line_begin(sh);
            ao_sheet_put_text(sh, 0, "Total", sh->st->label);
            ao_sheet_put_text(sh, 1, ao_sheet_region_label(m, r), sh->st->label);
            put_side_by_side(sh, SIDE_BY_SIDE_COL, &c->region[r], c->optimal);
            ao_sheet_line_end(sh);
        }
    }
    ao_sheet_line_begin(sh);
    ao_sheet_put_text(sh, 0, "All ICBs", sh->st->label);
    put_side_by_side(sh, SIDE_BY_SIDE_COL, &c->all, c->optimal);
    ao_sheet_line_end(sh);
    ao_sheet_table_end(sh);
}

static void by_programme(ao_sheet *sh, const comparison *c)
{
    const ao_model *m = c->m;
    static const char *const headers[] = {"programme", "category", SIDE_BY_SIDE_HEADERS};
    ao_sheet_block_begin(sh, "By programme", headers, AO_COUNT_OF(headers));
    for (int q = 0; q <= m->n_programmes && sh->err == AO_NO_ERROR; q++) {
        const pair_tally *x = &c->programme[q];
        /* The slot of services without a programme, only when there are some. */
        if (q == m->n_programmes && x->today.spend == 0 && x->optimal.spend == 0 &&
            x->today.coverage_n == 0 && x->optimal.coverage_n == 0)
            continue;
        ao_sheet_line_begin(sh);
        ao_sheet_put_text(sh, 0, programme_label(m, q), NULL);
        ao_sheet_put_text(sh, 1, programme_category(m, q), NULL);
        put_side_by_side(sh, SIDE_BY_SIDE_COL, x, c->optimal);
        ao_sheet_line_end(sh);
    }
    ao_sheet_line_begin(sh);
    ao_sheet_put_text(sh, 0, "All programmes", sh->st->label);
    put_side_by_side(sh, SIDE_BY_SIDE_COL, &c->all, c->optimal);
    ao_sheet_line_end(sh);
    ao_sheet_table_end(sh);
    ao_sheet_put_note(sh, "Totals over every year of the plan, not discounted; activity adds up "
                          "each service's own units.");
    ao_sheet_put_note(sh, "coverage: the mean, over the services and years with need, of activity "
                          "as a share of need after prevention.");
}

/** A provider's activity for one service against today's, over the plan's years. */
typedef struct provider_line {
    int p, s;
    double today, planned, gained, lost;
} provider_line;

/* Order: provider, then service (the model's order). */
static int provider_line_order(const void *a, const void *b)
{
    const provider_line *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return (x->s > y->s) - (x->s < y->s);
}

/* Order: most activity moved (gained and lost) first; then provider and service. */
static int provider_line_moved(const void *a, const void *b)
{
    const provider_line *x = a, *y = b;
    double mx = x->gained + x->lost, my = y->gained + y->lost;
    if (mx != my)
        return mx > my ? -1 : 1;
    return provider_line_order(a, b);
}

/* The provider lines summed over the years, in provider and service order; NULL with
 * *n = 0 when there are none, or when memory runs out (*failed set). */
static provider_line *provider_lines(const ao_model *m, const ao_plan *plan, size_t *n, int *failed)
{
    *n = 0;
    *failed = 0;
    if (plan->n_moves == 0)
        return NULL;
    provider_line *lines = calloc(plan->n_moves, sizeof *lines);
    if (lines == NULL) {
        *failed = 1;
        return NULL;
    }
    for (size_t k = 0; k < plan->n_moves; k++) {
        const ao_provider_move *x = &plan->moves[k];
        if (x->p < 0 || x->p >= m->n_providers || x->s < 0 || x->s >= m->n_services)
            continue;
        lines[(*n)++] = (provider_line){x->p, x->s, x->today, x->planned, x->gained, x->lost};
    }
    if (*n > 0)
        qsort(lines, *n, sizeof *lines, provider_line_order);
    /* One line per provider and service: add up its years. */
    size_t out = 0;
    for (size_t k = 0; k < *n; k++) {
        if (out > 0 && lines[out - 1].p == lines[k].p && lines[out - 1].s == lines[k].s) {
            lines[out - 1].today += lines[k].today;
            lines[out - 1].planned += lines[k].planned;
            lines[out - 1].gained += lines[k].gained;
            lines[out - 1].lost += lines[k].lost;
        } else {
            lines[out++] = lines[k];
        }
    }
    *n = out;
    return lines;
}

static void by_provider(ao_sheet *sh, const ao_model *m, const provider_line *lines, size_t n)
{
    static const char *const headers[] = {"provider", "service",   "centre of excellence",
                                          "today",    "optimal",   "gained",
                                          "lost",     "net change"};
    ao_sheet_block_begin(sh,
                         "Providers: activity gained and lost against today's allocation "
                         "(each service's units, all years)",
                         headers, AO_COUNT_OF(headers));
    for (size_t k = 0; k < n && sh->err == AO_NO_ERROR; k++) {
        const provider_line *x = &lines[k];
        ao_sheet_line_begin(sh);
        ao_sheet_put_text(sh, 0, provider_label(m, x->p), NULL);
        ao_sheet_put_text(sh, 1, service_label(m, x->s), NULL);
        ao_sheet_put_yes_no(sh, 2, m->providers[x->p].centre_of_excellence);
        ao_sheet_put_number(sh, 3, x->today, AO_CELL_ACTIVITY);
        ao_sheet_put_number(sh, 4, x->planned, AO_CELL_ACTIVITY);
        ao_sheet_put_number(sh, 5, x->gained, AO_CELL_ACTIVITY);
        ao_sheet_put_number(sh, 6, x->lost, AO_CELL_ACTIVITY);
        ao_sheet_put_number(sh, 7, x->gained - x->lost, AO_CELL_ACTIVITY_CHANGE);
        ao_sheet_line_end(sh);
    }
    ao_sheet_block_end(sh, n, "No provider has activity today or in the optimal plan.");
}

/** One ICB and programme whose spend changes. */
typedef struct spend_change {
    int i, q;
    double today, optimal;
} spend_change;

static int spend_change_order(const void *a, const void *b)
{
    const spend_change *x = a, *y = b;
    double dx = fabs(x->optimal - x->today), dy = fabs(y->optimal - y->today);
    if (dx != dy)
        return dx > dy ? -1 : 1;
    if (x->i != y->i)
        return x->i < y->i ? -1 : 1;
    return (x->q > y->q) - (x->q < y->q);
}

/** Where a chart's figures are on the sheet. */
typedef struct chart_block {
    lxw_row_t header; ///< Header row of the block.
    int n;            ///< Rows below it (0: no chart).
    double largest;   ///< The largest figure charted, in magnitude.
} chart_block;

/* The ICB and programme pairs whose spend changes most, largest first. */
static void biggest_spend_changes(ao_sheet *sh, const comparison *c, chart_block *out)
{
    const ao_model *m = c->m;
    size_t programmes = (size_t)m->n_programmes + 1;
    size_t pairs = (size_t)(m->n_icbs > 0 ? m->n_icbs : 0) * programmes;
    spend_change *changes = calloc(pairs + 1, sizeof *changes);
    if (changes == NULL) {
        sh->err = AO_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    size_t n = 0;
    for (size_t k = 0; k < pairs; k++) {
        double today = c->icb_programme[2 * k], optimal = c->icb_programme[2 * k + 1];
        if (fabs(optimal - today) > AO_SPEND_NOISE)
            changes[n++] =
                (spend_change){(int)(k / programmes), (int)(k % programmes), today, optimal};
    }
    if (n > 0)
        qsort(changes, n, sizeof *changes, spend_change_order);
    if (n > AO_BIGGEST)
        n = AO_BIGGEST;
    static const char *const headers[] = {"ICB and programme", "region", "spend today",
                                          "spend, optimal", "spend change"};
    char title[128];
    snprintf(title, sizeof title,
             "The %d biggest changes in spend, by ICB and programme (£, all years)", AO_BIGGEST);
    ao_sheet_block_begin(sh, title, headers, AO_COUNT_OF(headers));
    out->header = sh->header_row;
    for (size_t k = 0; k < n && sh->err == AO_NO_ERROR; k++) {
        const spend_change *x = &changes[k];
        char label[256];
        snprintf(label, sizeof label, "%s: %s", icb_label(m, x->i), programme_label(m, x->q));
        ao_sheet_line_begin(sh);
        ao_sheet_put_text(sh, 0, label, NULL);
        ao_sheet_put_text(sh, 1, ao_sheet_icb_region(m, x->i), NULL);
        ao_sheet_put_number(sh, 2, x->today, AO_CELL_MONEY);
        ao_sheet_put_number(sh, 3, x->optimal, AO_CELL_MONEY);
        ao_sheet_put_number(sh, 4, x->optimal - x->today, AO_CELL_MONEY_CHANGE);
        ao_sheet_line_end(sh);
        if (fabs(x->optimal - x->today) > out->largest)
            out->largest = fabs(x->optimal - x->today);
    }
    out->n = (int)n;
    ao_sheet_block_end(sh, n, "The optimal plan spends as today's allocation does everywhere.");
    free(changes);
}

/* The provider and service lines that move most activity, most first. */
static void biggest_moves(ao_sheet *sh, const ao_model *m, provider_line *lines, size_t n,
                          chart_block *out)
{
    if (n > 0)
        qsort(lines, n, sizeof *lines, provider_line_moved);
    size_t shown = 0;
    while (shown < n && shown < AO_BIGGEST &&
           lines[shown].gained + lines[shown].lost > AO_ACTIVITY_NOISE)
        shown++;
    static const char *const headers[] = {"provider and service", "centre of excellence", "gained",
                                          "lost"};
    char title[128];
    snprintf(title, sizeof title,
             "The %d biggest moves of activity, by provider and service (units, all years)",
             AO_BIGGEST);
    ao_sheet_block_begin(sh, title, headers, AO_COUNT_OF(headers));
    out->header = sh->header_row;
    for (size_t k = 0; k < shown && sh->err == AO_NO_ERROR; k++) {
        const provider_line *x = &lines[k];
        char label[256];
        snprintf(label, sizeof label, "%s: %s", provider_label(m, x->p), service_label(m, x->s));
        ao_sheet_line_begin(sh);
        ao_sheet_put_text(sh, 0, label, NULL);
        ao_sheet_put_yes_no(sh, 1, m->providers[x->p].centre_of_excellence);
        ao_sheet_put_number(sh, 2, x->gained, AO_CELL_ACTIVITY);
        ao_sheet_put_number(sh, 3, x->lost, AO_CELL_ACTIVITY);
        ao_sheet_line_end(sh);
    }
    out->n = (int)shown;
    ao_sheet_block_end(sh, shown, "The optimal plan keeps today's activity at every provider.");
}

#define AO_CHART_OR_FAIL(chart)                                                                    \
    do {                                                                                           \
        if ((chart) == NULL)                                                                       \
            return AO_ERROR_MEMORY_MALLOC_FAILED;                                                  \
    } while (0)

/* Horizontal bars, the first row of the block at the top, the names clear of the bars.
 * In a bar chart the values run along x_axis and the names down y_axis. */
static lxw_chart *bars(lxw_workbook *book, const char *title, const char *axis_format)
{
    lxw_chart *chart = ao_chart_new(book, LXW_CHART_BAR, title, axis_format);
    if (chart != NULL) {
        chart_axis_set_num_format(chart->x_axis, axis_format);
        chart_axis_set_reverse(chart->y_axis);
        chart_axis_set_label_position(chart->y_axis, LXW_CHART_AXIS_LABEL_POSITION_LOW);
        /* Reversed, the names would push the values to the top: keep them below. */
        chart_axis_set_crossing_max(chart->y_axis);
    }
    return chart;
}

/* The charts of the biggest changes, below everything on the sheet. */
static ao_error add_charts(ao_sheet *sh, const char *name, const chart_block *spend,
                           const chart_block *moves)
{
    lxw_row_t at = sh->row + 1;
    if (spend->n > 0) {
        lxw_chart *chart = bars(sh->book,
                                "Biggest changes in revenue spend against today's allocation, "
                                "by ICB and programme",
                                spend->largest >= 1e6 ? AO_AXIS_MILLIONS : AO_AXIS_POUNDS);
        AO_CHART_OR_FAIL(chart);
        AO_CHART_OR_FAIL(ao_chart_column_series(chart, name, spend->header, spend->n, 0, 4,
                                                AO_COLOUR_SPECIALISED));
        chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
        AO_RETURN_ON_ERROR(ao_chart_place(sh->ws, at, 0, AO_COMPARISON_CHART_WIDTH,
                                          AO_COMPARISON_CHART_HEIGHT, chart,
                                          "Bars: the ICB and programme pairs whose revenue spend "
                                          "the optimal plan changes most against today's "
                                          "allocation."));
        at += AO_CHART_ROWS(AO_COMPARISON_CHART_HEIGHT);
    }
    if (moves->n > 0) {
        lxw_chart *chart = bars(sh->book,
                                "Biggest moves of activity against today's allocation, by "
                                "provider and service (units)",
                                "#,##0");
        AO_CHART_OR_FAIL(chart);
        AO_CHART_OR_FAIL(ao_chart_column_series(chart, name, moves->header, moves->n, 0, 2,
                                                AO_COLOUR_SPECIALISED));
        AO_CHART_OR_FAIL(
            ao_chart_column_series(chart, name, moves->header, moves->n, 0, 3, AO_COLOUR_BASELINE));
        AO_RETURN_ON_ERROR(ao_chart_place(sh->ws, at, 0, AO_COMPARISON_CHART_WIDTH,
                                          AO_COMPARISON_CHART_HEIGHT, chart,
                                          "Bars: the activity each provider gains and loses, "
                                          "for the services that move most."));
    }
    return AO_NO_ERROR;
}

ao_error ao_sheet_comparison(ao_book_context *ctx, const char *name)
{
    const ao_model *m = ctx->model;
    const ao_plan *plan = ctx->plan;
    comparison c;
    AO_RETURN_ON_ERROR(comparison_build(&c, m, plan));
    size_t n_lines = 0;
    int failed = 0;
    provider_line *lines = plan->has_continuity ? provider_lines(m, plan, &n_lines, &failed) : NULL;
    if (failed) {
        comparison_free(&c);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }

    ao_sheet sh;
    ao_sheet_begin(&sh, ctx->book, ctx->st, name);
    ao_sheet_put_title(&sh, "Today's allocation against the optimal plan");
    char sentence[AO_WORDS_SENTENCE];
    ao_sheet_line_begin(&sh);
    if (ao_words_comparison(m, plan, sentence, sizeof sentence))
        ao_sheet_put_text_raw(&sh, 0, sentence, ctx->st->label, 0);
    else
        ao_sheet_put_text_raw(&sh, 0,
                              "No plan meets every limit at once, so there is no optimal plan to "
                              "set beside today's allocation: today's figures and the limits it "
                              "breaks are below.",
                              ctx->st->label, 0);
    ao_sheet_line_end(&sh);
    ao_sheet_put_note(&sh, "Today's allocation is today's activity carried forward with the "
                           "growth in need, at today's providers, under the same budgets and "
                           "rules as the optimal plan; it adds no capacity.");

    key_figures(&sh, &c);
    broken_limits(&sh, &plan->current);
    by_region(&sh, &c);
    by_icb(&sh, &c);
    by_programme(&sh, &c);
    if (plan->has_continuity && c.optimal) {
        by_provider(&sh, m, lines, n_lines);
    } else if (c.optimal) {
        ao_sheet_blank_line(&sh);
        ao_sheet_put_note(&sh, "Without a flows table (today's activity by provider) the plan is "
                               "not asked to keep to today's providers: no provider moves are "
                               "shown.");
    }
    chart_block spend = {0}, moves = {0};
    if (c.optimal)
        biggest_spend_changes(&sh, &c, &spend);
    if (plan->has_continuity && c.optimal)
        biggest_moves(&sh, m, lines, n_lines, &moves);
    ao_error err = sh.err;
    if (err == AO_NO_ERROR)
        err = add_charts(&sh, name, &spend, &moves);
    free(lines);
    comparison_free(&c);
    ao_error end = ao_sheet_end(&sh);
    return err != AO_NO_ERROR ? err : end;
}
