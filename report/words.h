/**
 * @file report/words.h
 * @brief Figures said in words, the same on every output: money as a finance analyst
 * reads it (£1,451.0m, £5,000), numbers with thousands separators, and the sentences a
 * board reads first: today's allocation against the optimal plan (MODEL.md rule 16) and
 * the funding gap of a plan that has none (rule 18).
 *
 * Written into the caller's buffer, never allocated: a sentence is cut to the buffer
 * (AO_WORDS_SENTENCE characters are always enough).
 */
#ifndef AO_REPORT_WORDS_H
#define AO_REPORT_WORDS_H

#include <stddef.h>

#include "common/format.h"
#include "models/plan.h"

/** Bytes of a figure in words. */
#define AO_WORDS_FIGURE AO_FORMAT_FIGURE
/** Bytes of a sentence in words. */
#define AO_WORDS_SENTENCE 512

/* Two sums of money this close (relative to the larger) are "the same money". */
#define AO_WORDS_SAME_MONEY 1e-6
/* A difference in benefit this close (relative to the larger) is no difference. */
#define AO_WORDS_SAME_BENEFIT 1e-9

/**
 * @brief The headline of today's allocation against the optimal plan: under the benefit
 * objective "The optimal plan buys 120.5 more QALY (+3.2%) than today's allocation for
 * the same money." (or what it spends more or less, when it does); under the cost
 * objective "The optimal plan meets every standard for £2.1m less than today's
 * allocation (...)". Benefit and money are undiscounted totals over the plan.
 * @return 1 with the sentence in out; 0 (out empty) when there is nothing to compare:
 * today's plan was not evaluated, or the plan is not optimal.
 */
int ao_words_comparison(const ao_model *model, const ao_plan *plan, char *out, size_t size);

/** What every sheet, the console and the JSON say when no amount of extra revenue would
 * make a plan (MODEL.md rule 18): one phrase everywhere. */
#define AO_WORDS_MONEY_CANNOT "money alone cannot fix this"

/**
 * @brief The funding gap of a plan with none (rule 18): "£3.2m more revenue would make
 * the plan feasible." or, when no amount would, "Money alone cannot fix this: ...".
 * @return 1 with the sentence in out; 0 (out empty) when the plan has no funding gap.
 */
int ao_words_funding_gap(const ao_plan *plan, char *out, size_t size);

#endif /* AO_REPORT_WORDS_H */
