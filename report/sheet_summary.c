/* The Summary sheet: the plan's headline, and why there is none; and the Summary of a
 * merged uncertainty study. */
#include "report/sheets.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strutil.h"
#include "models/uncertainty.h"
#include "models/verify.h"
#include "report/words.h"

static const char *arrangement_explanation(ao_arrangement arrangement)
{
    switch (arrangement) {
    case AO_ARRANGEMENT_JOINT:
        return "Specialised spend is pooled across each joint committee's ICBs; each ICB keeps "
               "its own budget for its priorities.";
    case AO_ARRANGEMENT_NATIONAL:
        return "Specialised spend is pooled across all ICBs; each ICB keeps its own budget for "
               "its priorities.";
    case AO_ARRANGEMENT_DELEGATED:
    default:
        return "Each ICB holds its whole revenue budget, specialised services included.";
    }
}

/* Why there is no plan: the explanation, one line per row, or, when the limits that
 * would have to move are known, its first line and a table of those limits (the rest of
 * the explanation is their sentences). */
static void summary_infeasibility(ao_sheet *sh, const ao_plan *plan)
{
    if (plan->infeasibility != NULL) {
        char *text = ao_strdup(plan->infeasibility);
        if (text == NULL) {
            sh->err = AO_ERROR_MEMORY_MALLOC_FAILED;
            return;
        }
        int first = 1;
        char *save = NULL;
        for (char *line = strtok_r(text, "\n", &save); line != NULL && sh->err == AO_NO_ERROR;
             line = strtok_r(NULL, "\n", &save)) {
            if (!first && plan->n_diagnosis > 0)
                break;
            ao_sheet_line_begin(sh);
            if (first)
                ao_sheet_put_text(sh, 0, "Why no plan was found", sh->st->label);
            ao_sheet_put_text_raw(sh, 1, line, NULL, 0);
            ao_sheet_line_end(sh);
            first = 0;
        }
        free(text);
    }
    if (plan->n_diagnosis == 0)
        return;
    ao_sheet_blank_line(sh);
    ao_sheet_put_title(sh, "What would have to change for a plan to exist");
    static const char *const headers[] = {"limit",    "change needed", "kind",
                                          "as given", "direction",     "what must change"};
    ao_sheet_table_begin(sh, headers, AO_COUNT_OF(headers), AO_TABLE_PLAIN);
    for (size_t k = 0; k < plan->n_diagnosis && sh->err == AO_NO_ERROR; k++) {
        const ao_diagnosis_line *d = &plan->diagnosis[k];
        ao_cell_style style = d->money ? AO_CELL_MONEY : AO_CELL_ACTIVITY;
        ao_sheet_line_begin(sh);
        ao_sheet_put_text(sh, 0, d->description, NULL);
        ao_sheet_put_number(sh, 1, d->change, style);
        ao_sheet_put_text(sh, 2, d->group, NULL);
        ao_sheet_put_number(sh, 3, d->limit, style);
        ao_sheet_put_text(sh, 4, d->lower ? "lower the minimum" : "raise the maximum", NULL);
        ao_sheet_put_text_raw(sh, 5, d->sentence, NULL, 0);
        ao_sheet_line_end(sh);
    }
    ao_sheet_table_end(sh);
    ao_sheet_put_note(
        sh, "The Diagnosis sheet lists these limits again, one per row, with the limit each "
            "would have to become.");
}

/* Spend by category and year, from the service-year totals and the expansion lines. */
static void summary_spend(ao_sheet *sh, const ao_model *m, const ao_plan *plan,
                          ao_book_context *ctx)
{
    int years = m->settings.years > 0 ? m->settings.years : 0;
    double *spend = calloc((size_t)years * 3 + 1, sizeof *spend);
    if (spend == NULL) {
        sh->err = AO_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    double *specialised = spend, *priority = spend + years, *capital = spend + 2 * years;
    for (size_t k = 0; k < plan->n_service_years; k++) {
        const ao_service_year *y = &plan->service_years[k];
        if (y->t < 0 || y->t >= years || y->s < 0 || y->s >= m->n_services)
            continue;
        if (m->services[y->s].category == AO_CATEGORY_SPECIALISED)
            specialised[y->t] += y->spend;
        else
            priority[y->t] += y->spend;
    }
    for (size_t k = 0; k < plan->n_expansions; k++)
        if (plan->expansions[k].t >= 0 && plan->expansions[k].t < years)
            capital[plan->expansions[k].t] += plan->expansions[k].cost;

    ao_sheet_blank_line(sh);
    ao_sheet_put_title(sh, "Spend by category and year (£, not discounted)");
    static const char *const headers[] = {"year",
                                          "specialised spend",
                                          "priority spend",
                                          "total revenue spend",
                                          "specialised share",
                                          "capital spend"};
    ao_sheet_table_begin(sh, headers, AO_COUNT_OF(headers), AO_TABLE_PLAIN);
    ctx->spend_header = sh->header_row;
    ctx->spend_years = years;
    double total[3] = {0, 0, 0};
    for (int t = 0; t <= years && sh->err == AO_NO_ERROR; t++) {
        double spec = t < years ? specialised[t] : total[0];
        double prio = t < years ? priority[t] : total[1];
        double cap = t < years ? capital[t] : total[2];
        ao_sheet_line_begin(sh);
        if (t < years)
            ao_sheet_put_year(sh, 0, m, t);
        else
            ao_sheet_put_text(sh, 0, "Total", sh->st->label);
        ao_sheet_put_number(sh, 1, spec, AO_CELL_MONEY);
        ao_sheet_put_number(sh, 2, prio, AO_CELL_MONEY);
        ao_sheet_put_number(sh, 3, spec + prio, AO_CELL_MONEY);
        ao_sheet_put_number(sh, 4, spec + prio > 0 ? spec / (spec + prio) : NAN, AO_CELL_SHARE);
        ao_sheet_put_number(sh, 5, cap, AO_CELL_MONEY);
        ao_sheet_line_end(sh);
        if (t < years) {
            total[0] += spec;
            total[1] += prio;
            total[2] += cap;
        }
    }
    ao_sheet_table_end(sh);
    free(spend);
}

/* The plan by region, over every year: what each region's ICBs spend and how much of
 * their need the plan covers, and the same for all ICBs. */
static void summary_regions(ao_sheet *sh, const ao_model *m, const ao_plan *plan)
{
    size_t slots = (size_t)m->n_regions + 1;
    ao_sheet_tally *tally = calloc(slots + 1, sizeof *tally);
    double *population = calloc(slots + 1, sizeof *population);
    int *icbs = calloc(slots + 1, sizeof *icbs);
    if (tally == NULL || population == NULL || icbs == NULL) {
        sh->err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto cleanup;
    }
    for (int i = 0; i < m->n_icbs; i++) {
        int r = ao_sheet_region_index(m, i);
        icbs[r]++;
        if (isfinite(m->icbs[i].population))
            population[r] += m->icbs[i].population;
    }
    for (size_t k = 0; k < plan->n_service_years; k++) {
        const ao_service_year *y = &plan->service_years[k];
        if (y->i >= 0 && y->i < m->n_icbs)
            ao_sheet_tally_add(&tally[ao_sheet_region_index(m, y->i)], m, y);
    }
    ao_sheet_blank_line(sh);
    ao_sheet_put_title(sh, "By region, over the whole plan (£, not discounted)");
    static const char *const headers[] = {"region",
                                          "ICBs",
                                          "population",
                                          "revenue spend",
                                          "specialised spend",
                                          "specialised share",
                                          "average coverage",
                                          "lowest coverage"};
    ao_sheet_table_begin(sh, headers, AO_COUNT_OF(headers), AO_TABLE_PLAIN);
    ao_sheet_tally all = {0};
    int all_icbs = 0;
    double all_population = 0.0;
    for (size_t r = 0; r <= slots && sh->err == AO_NO_ERROR; r++) {
        const ao_sheet_tally *x = r < slots ? &tally[r] : &all;
        if (r < slots && icbs[r] == 0)
            continue;
        ao_sheet_line_begin(sh);
        if (r < slots)
            ao_sheet_put_text(sh, 0, ao_sheet_region_label(m, (int)r), NULL);
        else
            ao_sheet_put_text(sh, 0, "All ICBs", sh->st->label);
        ao_sheet_put_number(sh, 1, r < slots ? icbs[r] : all_icbs, AO_CELL_COUNT);
        ao_sheet_put_number(sh, 2, r < slots ? population[r] : all_population, AO_CELL_COUNT);
        ao_sheet_put_number(sh, 3, x->spend, AO_CELL_MONEY);
        ao_sheet_put_number(sh, 4, x->specialised, AO_CELL_MONEY);
        ao_sheet_put_number(sh, 5, ao_sheet_tally_share(x), AO_CELL_SHARE);
        ao_sheet_put_number(sh, 6, ao_sheet_tally_coverage(x), AO_CELL_SHARE);
        ao_sheet_put_number(sh, 7, ao_sheet_tally_lowest(x), AO_CELL_SHARE);
        ao_sheet_line_end(sh);
        if (r < slots) {
            ao_sheet_tally_merge(&all, x);
            all_icbs += icbs[r];
            all_population += population[r];
        }
    }
    ao_sheet_table_end(sh);
    ao_sheet_put_note(sh, "average coverage: the mean, over the region's ICBs, services and years "
                          "with need, of activity as a share of need after prevention; lowest "
                          "coverage: the lowest of those.");
cleanup:
    free(tally);
    free(population);
    free(icbs);
}

/* The arrangements of the plan (MODEL.md rule 14), year by year: how many specialised
 * services (ICB and service pairs with demand) are under each arrangement, and what the
 * plan spends on them. */
static void summary_arrangements(ao_sheet *sh, const ao_model *m, const ao_plan *plan, int optimal)
{
    int years = m->settings.years > 0 ? m->settings.years : 0;
    size_t cells = (size_t)years * AO_ARRANGEMENT_COUNT;
    int *pairs = calloc(cells + 1, sizeof *pairs);
    double *spend = calloc(cells + 1, sizeof *spend);
    if (pairs == NULL || spend == NULL) {
        sh->err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto cleanup;
    }
    for (int t = 0; t < years; t++)
        for (int i = 0; i < m->n_icbs; i++)
            for (int s = 0; s < m->n_services; s++) {
                if (m->services[s].category != AO_CATEGORY_SPECIALISED || m->has_demand == NULL ||
                    !m->has_demand[(size_t)i * m->n_services + s])
                    continue;
                ao_arrangement a = ao_model_arrangement(m, i, s, t);
                if ((int)a >= 0 && a < AO_ARRANGEMENT_COUNT)
                    pairs[(size_t)t * AO_ARRANGEMENT_COUNT + a]++;
            }
    for (size_t k = 0; k < plan->n_service_years; k++) {
        const ao_service_year *y = &plan->service_years[k];
        if (y->t < 0 || y->t >= years || y->i < 0 || y->i >= m->n_icbs || y->s < 0 ||
            y->s >= m->n_services || m->services[y->s].category != AO_CATEGORY_SPECIALISED)
            continue;
        ao_arrangement a = ao_model_arrangement(m, y->i, y->s, y->t);
        if ((int)a >= 0 && a < AO_ARRANGEMENT_COUNT)
            spend[(size_t)y->t * AO_ARRANGEMENT_COUNT + a] += y->spend;
    }
    ao_sheet_blank_line(sh);
    ao_sheet_put_title(sh, "Commissioning arrangements by year: specialised services (ICB and "
                           "service pairs with demand) and the plan's spend on them (£)");
    static const char *const headers[] = {
        "year",         "delegated: services", "delegated: spend", "joint: services",
        "joint: spend", "national: services",  "national: spend"};
    ao_sheet_table_begin(sh, headers, AO_COUNT_OF(headers), AO_TABLE_PLAIN);
    for (int t = 0; t < years && sh->err == AO_NO_ERROR; t++) {
        ao_sheet_line_begin(sh);
        ao_sheet_put_year(sh, 0, m, t);
        for (int a = 0; a < AO_ARRANGEMENT_COUNT; a++) {
            size_t cell = (size_t)t * AO_ARRANGEMENT_COUNT + (size_t)a;
            ao_sheet_put_number(sh, (lxw_col_t)(1 + 2 * a), pairs[cell], AO_CELL_COUNT);
            ao_sheet_put_number(sh, (lxw_col_t)(2 + 2 * a), optimal ? spend[cell] : NAN,
                                AO_CELL_MONEY);
        }
        ao_sheet_line_end(sh);
    }
    ao_sheet_table_end(sh);
cleanup:
    free(pairs);
    free(spend);
}

/* The merged footprints (MODEL.md rule 15): which ICBs become one budget, and from when. */
static void summary_footprints(ao_sheet *sh, const ao_model *m)
{
    static const char *const headers[] = {"footprint", "name", "ICBs merged", "region",
                                          "budgets merged from"};
    ao_sheet_block_begin(sh, "Merged ICBs: footprints that hold one budget", headers,
                         AO_COUNT_OF(headers));
    for (int f = 0; f < m->n_footprints && sh->err == AO_NO_ERROR; f++) {
        const ao_footprint *fp = &m->footprints[f];
        ao_strbuf members = {0};
        for (int k = 0; k < fp->n_icbs; k++)
            ao_strbuf_printf(&members, "%s%s", k > 0 ? ", " : "", ao_sheet_icb_id(m, fp->icbs[k]));
        if (members.failed) {
            ao_strbuf_free(&members);
            sh->err = AO_ERROR_MEMORY_MALLOC_FAILED;
            break;
        }
        char from[64], year[16];
        if (fp->from_year >= m->settings.years) {
            snprintf(from, sizeof from, "after the plan");
        } else {
            ao_model_year_label(m, fp->from_year > 0 ? fp->from_year : 0, year);
            snprintf(from, sizeof from, "%s%s", year, fp->from_year > 0 ? "" : " (whole plan)");
        }
        ao_sheet_line_begin(sh);
        ao_sheet_put_text(sh, 0, fp->id, NULL);
        ao_sheet_put_text(sh, 1, fp->name, NULL);
        ao_sheet_put_text(sh, 2, members.data, NULL);
        ao_sheet_put_text(sh, 3, fp->n_icbs > 0 ? ao_sheet_icb_region(m, fp->icbs[0]) : NULL, NULL);
        ao_sheet_put_text(sh, 4, from, NULL);
        ao_sheet_line_end(sh);
        ao_strbuf_free(&members);
    }
    ao_sheet_block_end(sh, (size_t)m->n_footprints, "No ICBs merge.");
}

/* The technical figures, for whoever checks the solve rather than the plan: a block of
 * their own at the bottom of the Summary, below the board-facing figures. */
static void summary_technical(ao_sheet *sh, const ao_plan *plan)
{
    int optimal = plan->status == AO_STATUS_OPTIMAL;
    char explanation[256];
    ao_sheet_blank_line(sh);
    ao_sheet_put_title(sh, "Technical");
    ao_sheet_headline_number(
        sh, "LP rows", (double)plan->n_rows, AO_CELL_COUNT,
        "Limits in the optimisation model: budgets, standards, capacity, rules.");
    ao_sheet_headline_number(
        sh, "LP columns", (double)plan->n_cols, AO_CELL_COUNT,
        "Decisions the optimiser makes: activity per ICB, service, provider and "
        "year, and capacity added.");
    ao_sheet_headline_number(
        sh, "LP nonzeros", (double)plan->n_nz, AO_CELL_COUNT,
        "Links between decisions and limits; solve time grows with this number.");
    ao_sheet_headline_text(sh, "Solved by", ao_plan_solver_description(plan->solver_used),
                           "The linear-programming method. By default (--solver auto) it is chosen "
                           "from the size of the plan, the same choice on every machine; --solver "
                           "glpk, clp or glpk-interior forces one.");
    if (optimal && plan->is_mip)
        ao_sheet_headline_number(
            sh, "MIP gap", plan->mip_gap, AO_CELL_SHARE,
            "Some decisions are whole-valued (contracts, expansion steps): the "
            "objective is proved within this share of the best possible.");
    if (optimal && plan->verified) {
        int passed = plan->max_relative_violation <= AO_VERIFY_TOLERANCE;
        snprintf(explanation, sizeof explanation,
                 "Every limit (%zu) was checked again from the plan, independently of the "
                 "solver.",
                 plan->n_checks);
        ao_sheet_headline_text(sh, "Independent check",
                               passed ? "passed"
                                      : (plan->worst_violation ? plan->worst_violation : "failed"),
                               explanation);
        ao_sheet_headline_number(
            sh, "Largest violation", plan->max_violation, AO_CELL_ACTIVITY,
            "The most any limit is exceeded by, in its own unit (£ or activity): "
            "rounding in the solver, not a real breach.");
        ao_sheet_headline_number(sh, "Largest relative violation", plan->max_relative_violation,
                                 AO_CELL_SHARE, "The same, as a share of the size of the limit.");
    }
}

ao_error ao_sheet_summary(ao_book_context *ctx, const char *name)
{
    const ao_results *results = ctx->results;
    const ao_model *m = results->cases[0].model;
    const ao_plan *plan = results->cases[0].plan;
    const ao_settings *settings = &m->settings;
    int optimal = plan->status == AO_STATUS_OPTIMAL;
    int cost = settings->objective == AO_OBJECTIVE_COST;
    const char *unit = settings->benefit_unit ? settings->benefit_unit : "benefit units";
    char text[256], first_year[16], last_year[16], csv_explanation[512];

    ao_sheet sh;
    ao_sheet_begin(&sh, ctx->book, ctx->st, name);
    ctx->summary_name = name;
    ctx->summary_ws = sh.ws;
    ctx->spend_years = 0;
    sh.cap[1] = AO_MAX_VALUE_WIDTH;
    static const char *const headers[] = {"Item", "Value", "What it means"};
    ao_sheet_table_begin(&sh, headers, AO_COUNT_OF(headers), AO_TABLE_FREEZE);
    ao_sheet_table_end(&sh);

    ao_sheet_headline_text(&sh, "Model", settings->name ? settings->name : "(no name given)",
                           "The name given in the settings table.");
    ao_sheet_headline_text(&sh, "Input", results->input_path,
                           "The folder or workbook the inputs were read from.");
    if (ao_model_arrangements_mixed(m))
        ao_sheet_headline_text(&sh, "Arrangement", "by service, ICB and year",
                               "The arrangements table places each specialised service, ICB "
                               "and year under delegated, joint or national commissioning; "
                               "the arrangement mix below counts them year by year.");
    else
        ao_sheet_headline_text(&sh, "Arrangement", ao_arrangement_name(plan->arrangement),
                               arrangement_explanation(plan->arrangement));
    ao_sheet_headline_text(
        &sh, "Objective kind", cost ? "cost" : "benefit",
        cost ? "The plan keeps discounted revenue and capital spend as low as the "
               "standards allow."
             : "The plan buys as much health benefit as the budgets allow, later "
               "years discounted.");
    ao_sheet_headline_text(&sh, "Benefit unit", unit,
                           "The unit in which health benefit is counted.");
    ao_model_year_label(m, 0, first_year);
    ao_model_year_label(m, settings->years > 0 ? settings->years - 1 : 0, last_year);
    snprintf(text, sizeof text, "%s to %s", first_year, last_year);
    char explanation[256];
    snprintf(explanation, sizeof explanation, "%d financial years.", settings->years);
    ao_sheet_headline_text(&sh, "Planning years", text, explanation);
    ao_sheet_headline_number(
        &sh, "Discount rate", settings->discount_rate, AO_CELL_SHARE,
        "Each later year's benefit and spend counts this much less than the year "
        "before in the objective.");
    ao_sheet_headline_text(&sh, "Status", ao_sheet_status_words(plan->status),
                           ao_sheet_status_explanation(plan->status));
    if (cost)
        snprintf(explanation, sizeof explanation,
                 "Discounted revenue and capital spend (£): the figure the plan minimises.");
    else
        snprintf(explanation, sizeof explanation,
                 "Discounted benefit (%s): the figure the plan maximises.", unit);
    ao_sheet_headline_number(&sh, "Objective", optimal ? plan->objective : NAN,
                             cost ? AO_CELL_MONEY : AO_CELL_BENEFIT, explanation);
    snprintf(explanation, sizeof explanation,
             "Benefit bought over the plan (%s), later years discounted.", unit);
    ao_sheet_headline_number(&sh, "Discounted benefit", optimal ? plan->discounted_benefit : NAN,
                             AO_CELL_BENEFIT, explanation);
    snprintf(explanation, sizeof explanation,
             "Benefit bought over the plan (%s), every year counted in full.", unit);
    ao_sheet_headline_number(&sh, "Total benefit (undiscounted)",
                             optimal ? plan->total_benefit : NAN, AO_CELL_BENEFIT, explanation);
    ao_sheet_headline_number(&sh, "Total revenue spend", optimal ? plan->total_revenue_spend : NAN,
                             AO_CELL_MONEY, "Revenue spent on every service over every year (£).");
    ao_sheet_headline_number(&sh, "Total capital spend", optimal ? plan->total_capital_spend : NAN,
                             AO_CELL_MONEY,
                             "Capital spent on added provider capacity over every year (£).");
    ao_sheet_headline_number(&sh, "Specialised share", optimal ? plan->specialised_share : NAN,
                             AO_CELL_SHARE,
                             "Share of revenue spend that goes to specialised services.");
    char sentence[AO_WORDS_SENTENCE];
    if (ao_words_comparison(m, plan, sentence, sizeof sentence)) {
        ao_sheet_headline_text(&sh, "Against today's allocation", sentence,
                               "Today's allocation carried forward under the same rules; the "
                               "Comparison sheet sets the two side by side.");
        if (plan->current.n_broken > 0) {
            snprintf(text, sizeof text, "%zu limit%s", plan->current.n_broken,
                     plan->current.n_broken == 1 ? "" : "s");
            ao_sheet_headline_text(&sh, "Limits today's allocation breaks", text,
                                   "Carried forward unchanged, today's allocation breaks these "
                                   "limits; the optimal plan keeps every one (Comparison sheet).");
        }
    }
    if (!optimal && plan->has_funding_gap) {
        if (isnan(plan->funding_gap))
            ao_sheet_headline_text(&sh, "Funding gap", AO_WORDS_MONEY_CANNOT,
                                   "No amount of extra revenue makes a plan possible: limits "
                                   "other than budgets must change (Diagnosis sheet).");
        else
            ao_sheet_headline_number(&sh, "Funding gap", plan->funding_gap, AO_CELL_MONEY,
                                     "The least extra revenue, over all ICBs and years, that "
                                     "would make a plan possible; by ICB and year on the "
                                     "Diagnosis sheet.");
    }
    if (results->n_cases > 1)
        ao_sheet_headline_number(&sh, "Scenarios", (double)(results->n_cases - 1), AO_CELL_COUNT,
                                 "What-if cases compared on the Scenarios sheet.");
    if (results->uncertainty != NULL) {
        snprintf(text, sizeof text, "%zu samples", results->uncertainty->n_samples);
        ao_sheet_headline_text(
            &sh, "Uncertainty", text,
            "See the Uncertainty sheet: percentiles of the objective and spend, the "
            "chance of no feasible plan and of budget breaches.");
    }
    if (ctx->csv_name != NULL) {
        size_t parts = (plan->n_alloc + AO_SHEET_DATA_ROWS - 1) / AO_SHEET_DATA_ROWS;
        snprintf(csv_explanation, sizeof csv_explanation,
                 "The plan has %zu allocation lines, more than one Excel sheet holds: the "
                 "Allocation table is split over %zu sheets (Allocation, Allocation (2), ...) "
                 "and every line is also in this CSV file beside the workbook. In the CSV, text "
                 "that starts with = + - or @ has a ' in front so that spreadsheet programs keep "
                 "it as text.",
                 plan->n_alloc, parts);
        ao_sheet_headline_text(&sh, "Allocation detail", ctx->csv_name, csv_explanation);
    }
    if (!optimal) {
        summary_infeasibility(&sh, plan);
    } else {
        summary_spend(&sh, m, plan, ctx);
        if (ctx->spend_years > 0)
            ao_sheet_put_note(&sh,
                              "The charts below draw on this table and on the Charts data sheet.");
        summary_regions(&sh, m, plan);
    }
    if (m->n_arrangement_rows > 0 || m->n_footprints > 0)
        summary_arrangements(&sh, m, plan, optimal);
    if (m->n_footprints > 0)
        summary_footprints(&sh, m);
    summary_technical(&sh, plan);
    ctx->summary_free_row = sh.row + 1;
    return ao_sheet_end(&sh);
}

/* The Summary of a merged study: the baseline's headline and where the samples came from. */
ao_error ao_sheet_study_summary(ao_book_context *ctx, const char *name)
{
    const ao_study *study = ctx->study;
    int cost = study->cost_objective;
    int optimal = study->baseline_status == AO_STATUS_OPTIMAL;
    char text[64];
    ao_sheet sh;
    ao_sheet_begin(&sh, ctx->book, ctx->st, name);
    sh.cap[1] = AO_MAX_VALUE_WIDTH;
    static const char *const headers[] = {"Item", "Value", "What it means"};
    ao_sheet_table_begin(&sh, headers, AO_COUNT_OF(headers), AO_TABLE_FREEZE);
    ao_sheet_table_end(&sh);
    ao_sheet_headline_text(&sh, "Model", study->model_name ? study->model_name : "(no name given)",
                           "The name given in the settings table.");
    ao_sheet_headline_text(&sh, "Arrangement", study->arrangement, "The arrangement solved.");
    ao_sheet_headline_text(&sh, "Objective kind", cost ? "cost" : "benefit",
                           cost ? "Discounted spend (£), kept as low as the standards allow."
                                : "Discounted benefit, as much as the budgets allow.");
    ao_sheet_headline_text(&sh, "Benefit unit", study->benefit_unit,
                           "The unit in which health benefit is counted.");
    ao_sheet_headline_text(&sh, "Baseline status", ao_sheet_status_words(study->baseline_status),
                           ao_sheet_status_explanation(study->baseline_status));
    ao_sheet_headline_number(&sh, "Baseline objective", optimal ? study->baseline_objective : NAN,
                             cost ? AO_CELL_MONEY : AO_CELL_BENEFIT,
                             "The objective of the input as given.");
    ao_sheet_headline_number(&sh, "Baseline revenue spend", study->baseline_revenue, AO_CELL_MONEY,
                             "Revenue spent by the baseline plan over every year (£).");
    ao_sheet_headline_number(&sh, "Baseline capital spend", study->baseline_capital, AO_CELL_MONEY,
                             "Capital spent by the baseline plan over every year (£).");
    ao_sheet_headline_text(&sh, "Input fingerprint", study->fingerprint,
                           "A hash of the input's tables: every shard merged had the same.");
    ao_sheet_headline_number(
        &sh, "Shards merged", (double)study->shards_merged, AO_CELL_COUNT,
        "Partial results (allocopt run --shard K/N) combined into this workbook.");
    snprintf(text, sizeof text, "%zu samples", study->n_samples);
    ao_sheet_headline_text(&sh, "Uncertainty", text,
                           "See the Uncertainty sheet: percentiles of the objective and spend, the "
                           "chance of no feasible plan and of budget breaches.");
    return ao_sheet_end(&sh);
}
