/* Figures and headline sentences in words (report/words.h). */
#include "report/words.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Whether two sums are the same within rounding of the solve. */
static int same(double a, double b, double relative)
{
    return fabs(a - b) <= relative * fmax(1.0, fmax(fabs(a), fabs(b)));
}

/* "buys 120.5 more QALY (+3.2%)", "buys 4.0 fewer QALY (-0.1%)", "buys as many QALY". */
static void benefit_clause(const ao_plan *plan, const char *unit, char *out, size_t size)
{
    const ao_current_plan *today = &plan->current;
    double gain = plan->total_benefit - today->total_benefit;
    char amount[AO_WORDS_FIGURE], percent[AO_WORDS_FIGURE] = "";
    if (same(plan->total_benefit, today->total_benefit, AO_WORDS_SAME_BENEFIT)) {
        snprintf(out, size, "buys as many %s as", unit);
        return;
    }
    if (today->total_benefit > 0) {
        char share[AO_WORDS_FIGURE];
        snprintf(percent, sizeof percent, " (%s%s%%)", gain > 0 ? "+" : "",
                 ao_format_number(100.0 * gain / today->total_benefit, 1, share));
    }
    snprintf(out, size, "buys %s %s %s%s than", ao_format_number(fabs(gain), 1, amount),
             gain > 0 ? "more" : "fewer", unit, percent);
}

int ao_words_comparison(const ao_model *model, const ao_plan *plan, char *out, size_t size)
{
    if (size > 0)
        out[0] = '\0';
    if (model == NULL || plan == NULL || !plan->current.evaluated ||
        plan->status != AO_STATUS_OPTIMAL || size == 0)
        return 0;
    const ao_current_plan *today = &plan->current;
    /* Today's plan adds no capacity: it spends revenue only. The optimal plan's money is
     * its revenue and its capital, both undiscounted. */
    double optimal = plan->total_revenue_spend + plan->total_capital_spend;
    double current = today->total_revenue_spend;
    double difference = optimal - current;
    int capital = plan->total_capital_spend > 0;
    char gap[AO_WORDS_FIGURE], a[AO_WORDS_FIGURE], b[AO_WORDS_FIGURE];
    ao_format_money(fabs(difference), gap);
    ao_format_money(optimal, a);
    ao_format_money(current, b);
    const char *what = capital ? " of revenue and capital" : "";

    if (model->settings.objective == AO_OBJECTIVE_COST) {
        if (same(optimal, current, AO_WORDS_SAME_MONEY))
            snprintf(out, size,
                     "The optimal plan meets every standard for the same money as today's "
                     "allocation (%s%s over the plan, not discounted).",
                     a, what);
        else
            snprintf(out, size,
                     "The optimal plan meets every standard for %s %s than today's allocation "
                     "(%s%s against %s over the plan, not discounted).",
                     gap, difference < 0 ? "less" : "more", a, what, b);
        return 1;
    }
    const char *unit =
        model->settings.benefit_unit ? model->settings.benefit_unit : "benefit units";
    char buys[AO_WORDS_SENTENCE / 2];
    benefit_clause(plan, unit, buys, sizeof buys);
    if (same(optimal, current, AO_WORDS_SAME_MONEY))
        snprintf(out, size, "The optimal plan %s today's allocation for the same money.", buys);
    else
        snprintf(out, size,
                 "The optimal plan %s today's allocation, and spends %s %s: %s%s against "
                 "today's %s over the plan (not discounted).",
                 buys, gap, difference < 0 ? "less" : "more", a, what, b);
    return 1;
}

int ao_words_funding_gap(const ao_plan *plan, char *out, size_t size)
{
    if (size > 0)
        out[0] = '\0';
    if (plan == NULL || !plan->has_funding_gap || size == 0)
        return 0;
    if (isnan(plan->funding_gap)) {
        snprintf(out, size,
                 "Money alone cannot fix this: no amount of extra revenue makes a plan "
                 "possible; limits other than budgets must change.");
    } else {
        char money[AO_WORDS_FIGURE];
        snprintf(out, size, "%s more revenue would make the plan feasible.",
                 ao_format_money(plan->funding_gap, money));
    }
    return 1;
}
