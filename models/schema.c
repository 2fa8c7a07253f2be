/*
 * The input tables and their columns (FORMATS.md): one entry per table, one per column.
 *
 * The help texts are the template's heading notes and docs/tables.md's descriptions,
 * written for a finance analyst: meaning, unit, default. The number rules are the checks
 * models/model.c makes; the template's cell checks follow them.
 */
#include "models/schema.h"

#include "common/strutil.h"
#include "models/model.h"

const char *const ao_schema_yes_no[] = {"yes", "no", NULL};

const char *const ao_schema_categories[] = {"specialised", "priority", NULL};
const char *const ao_schema_arrangements[] = {"delegated", "joint", "national", NULL};
const char *const ao_schema_rule_kinds[] = {"min_spend", "max_spend", "min_share", "max_share",
                                            NULL};

/* Words of the other columns that take one of a few. */
static const char *const op_words[] = {"set", "scale", "add", NULL};
static const char *const distribution_words[] = {"normal", "uniform", "triangular", NULL};
static const char *const apply_words[] = {"scale", "add", NULL};
static const char *const draw_words[] = {"each", "shared", NULL};

/* Column entries by kind; each names only what differs from the defaults (0). */
/* clang-format off */
#define TEXT_COLUMN(n, req, h) \
    {.name = n, .required = req, .format = AO_FORMAT_TEXT, .help = h}
#define YEAR_COLUMN(n, req, h) \
    {.name = n, .required = req, .format = AO_FORMAT_YEAR, .help = h}
#define ID_COLUMN(n, req, table, h, t) \
    {.name = n, .required = req, .format = AO_FORMAT_TEXT, .list = AO_LIST_IDS, \
     .id_table = table, .help = h, .tip = t}
#define WORD_COLUMN(n, req, w, h, t) \
    {.name = n, .required = req, .format = AO_FORMAT_TEXT, .list = AO_LIST_WORDS, \
     .words = w, .help = h, .tip = t}
#define TABLE_COLUMN(n, req, h, t) \
    {.name = n, .required = req, .format = AO_FORMAT_TEXT, .list = AO_LIST_TABLES, .help = h, \
     .tip = t}
#define NUMBER_COLUMN(n, req, r, f, h, t) \
    {.name = n, .required = req, .rule = r, .format = f, .help = h, .tip = t}
/* clang-format on */

static const ao_column_schema settings_columns[] = {
    WORD_COLUMN("key", 1, ao_setting_keys,
                "The setting's name: choose it from the list. first_year and years are "
                "required; the others are optional (a blank value, or no row, gives the "
                "default). Each setting may appear once.",
                "Choose a setting from the list. See the note on the value heading for what "
                "each one means."),
    {.name = "value",
     .required = 1,
     .format = AO_FORMAT_SETTING,
     .help = "The setting's value.\n"
             "first_year: the plan's first financial year, 2025 or 2025/26 (required).\n"
             "years: how many years the plan covers, a whole number from 1 to 50 "
             "(required).\n"
             "name: a title for the model, shown in the results.\n"
             "objective: benefit (the most health benefit, the default) or cost (meet every "
             "limit at the least cost).\n"
             "arrangement: delegated (each ICB holds its whole budget, the default), joint "
             "(specialised budgets pooled in each joint committee) or national (pooled "
             "across all ICBs).\n"
             "discount_rate: yearly rate at which later years count less, such as 3.5% "
             "(default 0).\n"
             "specialised_share_floor: each ICB spends on specialised services at least "
             "this fraction of its baseline specialised share of revenue, such as 90% "
             "(blank: no floor).\n"
             "max_change: the most any activity may change from one year to the next, such "
             "as 15% (blank: no limit; services.max_change overrides it).\n"
             "equity_band: how far an ICB's coverage of a specialised service may fall "
             "below its region's, such as 20% (blank: no limit).\n"
             "benefit_unit: what benefit is counted in, such as QALY (default: benefit "
             "units).\n"
             "mip_gap: the relative gap accepted when whole-number decisions are used "
             "(default 0.000001).",
     .tip = "first_year: 2025 or 2025/26. years: 1 to 50. objective: benefit or cost. "
            "arrangement: delegated, joint or national. Rates and shares: 3.5% or 0.035. "
            "See the heading's note."},
};

static const ao_column_schema icbs_columns[] = {
    TEXT_COLUMN("id", 1,
                "The ICB's code, such as QWO. Each ICB once; the other sheets refer to the "
                "ICB by this code (capitals and surrounding spaces do not matter)."),
    TEXT_COLUMN("name", 0, "The ICB's full name, shown in the results. Blank: the code."),
    NUMBER_COLUMN("population", 1, AO_NUMBER_NONNEG, AO_FORMAT_COUNT,
                  "Number of people the ICB serves (persons), 0 or more.",
                  "Number of people, 0 or more."),
    TEXT_COLUMN("region", 0,
                "NHS region, such as Midlands. The equity band (settings equity_band) "
                "compares ICBs of the same region. Blank: the ICBs without a region form one "
                "region."),
    TEXT_COLUMN("joint_committee", 0,
                "Name of the joint committee the ICB belongs to. Under the joint "
                "arrangement, the specialised budgets of ICBs with the same joint committee "
                "are pooled. Blank: the ICB stands alone."),
    NUMBER_COLUMN("max_providers", 0, AO_NUMBER_WHOLE, AO_FORMAT_NUMBER,
                  "The most providers the ICB may commission from over the plan, a whole "
                  "number. Blank: no limit. A limit makes the model take whole-number "
                  "decisions, which takes longer to solve.",
                  "A whole number, or blank for no limit."),
};

static const ao_column_schema budgets_columns[] = {
    ID_COLUMN("icb", 1, "icbs",
              "The ICB's code, from the icbs sheet. Every ICB needs one row for each year "
              "of the plan.",
              "Choose an ICB from the list (the icbs sheet). One row per ICB and year."),
    YEAR_COLUMN("year", 1,
                "Financial year, written 2025 or 2025/26 (both mean April 2025 to March "
                "2026), within the plan's years. The cells are formatted as text so that "
                "Excel keeps 2025/26 as typed."),
    NUMBER_COLUMN("revenue", 1, AO_NUMBER_NONNEG, AO_FORMAT_MONEY,
                  "The ICB's revenue budget for the year, in £ (pounds, not £k or £m): "
                  "£601.5m is 601500000. 0 or more.",
                  "In pounds, not £k or £m: £601.5m is 601500000."),
    NUMBER_COLUMN("capital", 0, AO_NUMBER_NONNEG, AO_FORMAT_MONEY,
                  "The ICB's capital budget for the year, in £, for adding capacity at the "
                  "providers it hosts. Blank: £0.",
                  "In pounds, 0 or more. Blank: £0."),
    NUMBER_COLUMN("specialised", 0, AO_NUMBER_NONNEG, AO_FORMAT_MONEY,
                  "The part of the revenue budget set aside for specialised services, in £; "
                  "used by the joint and national arrangements and no more than revenue. "
                  "Blank: revenue times the ICB's baseline specialised share (from the "
                  "demand sheet's baselines).",
                  "In pounds, no more than revenue. Blank: the baseline share of revenue."),
};

static const ao_column_schema services_columns[] = {
    TEXT_COLUMN("id", 1,
                "The service's id, such as REN01. Each service once; the other sheets "
                "refer to the service by it."),
    TEXT_COLUMN("name", 0, "The service's full name, shown in the results. Blank: the id."),
    WORD_COLUMN("category", 1, ao_schema_categories,
                "specialised (a specialised service, commissioned by NHS England or "
                "delegated to ICBs) or priority (one of the ICB's own priorities).",
                "Choose specialised or priority."),
    TEXT_COLUMN("programme", 0,
                "Programme of care, such as cancer or renal. Rules can select services by "
                "it (applies_to programme:cancer). Optional."),
    TEXT_COLUMN("unit", 0,
                "The unit activity is counted in, such as course, bed-day or operation. "
                "Need, baseline, capacity and prevention effects are all in this unit. A "
                "label, optional."),
    NUMBER_COLUMN("unit_cost", 1, AO_NUMBER_NONNEG, AO_FORMAT_PRICE,
                  "What one unit of activity costs, in £ (pounds), 0 or more. A provider may "
                  "have its own cost (capacity sheet, unit_cost).",
                  "In pounds per unit, 0 or more."),
    NUMBER_COLUMN("benefit", 1, AO_NUMBER_NONNEG, AO_FORMAT_NUMBER,
                  "Health benefit of one unit of activity, in the benefit unit of the "
                  "settings (such as QALYs per unit), 0 or more.",
                  "Benefit per unit, 0 or more."),
    NUMBER_COLUMN("min_coverage", 0, AO_NUMBER_FRACTION, AO_FORMAT_NUMBER,
                  "National standard: the least fraction of need met in every ICB and year, "
                  "from 0 to 1; type 90% or 0.9. Blank: no minimum.",
                  "A fraction from 0 to 1: type 90% or 0.9."),
    NUMBER_COLUMN("growth", 0, AO_NUMBER_GROWTH, AO_FORMAT_NUMBER,
                  "Yearly growth of need, as a fraction: 3% or 0.03 means 3% more need each "
                  "year. May be negative, but above -100%. Blank: no growth.",
                  "Yearly growth: type 3% or 0.03."),
    NUMBER_COLUMN("capital_cost", 0, AO_NUMBER_NONNEG, AO_FORMAT_PRICE,
                  "Capital cost, in £, of adding one unit of capacity a year at a provider. "
                  "Blank: the capacity of this service cannot be expanded.",
                  "In pounds per unit of yearly capacity. Blank: no expansion."),
    NUMBER_COLUMN("capacity_lag", 0, AO_NUMBER_WHOLE, AO_FORMAT_NUMBER,
                  "Whole years between paying for new capacity and using it. Blank: 1.",
                  "Whole years, 0 or more. Blank: 1."),
    NUMBER_COLUMN("max_change", 0, AO_NUMBER_NONNEG, AO_FORMAT_NUMBER,
                  "The most the service's activity may change from one year to the next, as "
                  "a fraction: 10% or 0.1. Overrides the max_change setting for this service. "
                  "Blank: the setting.",
                  "A fraction such as 10% or 0.1. Blank: the max_change setting."),
};

static const ao_column_schema demand_columns[] = {
    ID_COLUMN("icb", 1, "icbs",
              "The ICB's code, from the icbs sheet. One row per ICB and service; a service "
              "with no row for an ICB has no activity there.",
              "Choose an ICB from the list (the icbs sheet)."),
    ID_COLUMN("service", 1, "services", "The service's id, from the services sheet.",
              "Choose a service from the list (the services sheet)."),
    NUMBER_COLUMN("need", 1, AO_NUMBER_NONNEG, AO_FORMAT_NUMBER,
                  "Need in the plan's first year, in the service's units a year (such as "
                  "courses a year), 0 or more. Later years grow by the service's growth.",
                  "Units a year in the first year, 0 or more."),
    NUMBER_COLUMN("baseline", 1, AO_NUMBER_NONNEG, AO_FORMAT_NUMBER,
                  "Activity in the year before the plan, in the service's units a year, 0 or "
                  "more. The starting point for max_change, and the source of each ICB's "
                  "baseline specialised share.",
                  "Units a year in the year before the plan, 0 or more."),
};

static const ao_column_schema providers_columns[] = {
    TEXT_COLUMN("id", 1,
                "The provider's code, such as RR8. Each provider once; the other sheets "
                "refer to the provider by it."),
    TEXT_COLUMN("name", 0, "The provider's full name. Blank: the code."),
    ID_COLUMN("icb", 1, "icbs",
              "The code of the ICB that hosts the provider, from the icbs sheet. Its capital "
              "budget pays for adding capacity at the provider.",
              "Choose the host ICB from the list (the icbs sheet)."),
    WORD_COLUMN("centre_of_excellence", 0, ao_schema_yes_no,
                "yes or no: whether the provider is a regional centre of excellence. A "
                "label; a minimum viable volume (capacity sheet, min_volume) protects it. "
                "Blank: no.",
                "yes or no."),
    NUMBER_COLUMN("max_icbs", 0, AO_NUMBER_WHOLE, AO_FORMAT_NUMBER,
                  "The most ICBs that may commission from this provider over the plan, a "
                  "whole number. Blank: no limit. A limit makes the model take whole-number "
                  "decisions, which takes longer to solve.",
                  "A whole number, or blank for no limit."),
};

static const ao_column_schema capacity_columns[] = {
    ID_COLUMN("provider", 1, "providers",
              "The provider's code, from the providers sheet. One row per provider and "
              "service it offers. A service with capacity rows is bought from providers; a "
              "service without is commissioned locally, with no capacity limit.",
              "Choose a provider from the list (the providers sheet)."),
    ID_COLUMN("service", 1, "services", "The service's id, from the services sheet.",
              "Choose a service from the list (the services sheet)."),
    NUMBER_COLUMN("capacity", 1, AO_NUMBER_NONNEG, AO_FORMAT_NUMBER,
                  "Activity the provider can deliver, in the service's units a year, 0 or "
                  "more.",
                  "Units a year, 0 or more."),
    NUMBER_COLUMN("unit_cost", 0, AO_NUMBER_NONNEG, AO_FORMAT_PRICE,
                  "This provider's cost of one unit, in £. Blank: the service's unit_cost.",
                  "In pounds per unit. Blank: the service's unit cost."),
    NUMBER_COLUMN("min_volume", 0, AO_NUMBER_NONNEG, AO_FORMAT_NUMBER,
                  "Minimum viable volume, in units a year: the provider must deliver at "
                  "least this much every year (keeps a centre of excellence viable). Blank: "
                  "no minimum.",
                  "Units a year. Blank: no minimum."),
    NUMBER_COLUMN("max_expansion", 0, AO_NUMBER_NONNEG, AO_FORMAT_NUMBER,
                  "The most capacity that may be added over the whole plan, in units a "
                  "year; needs a capital_cost for the service. Blank: no limit.",
                  "Units a year, over the whole plan. Blank: no limit."),
    NUMBER_COLUMN("expansion_step", 0, AO_NUMBER_POSITIVE, AO_FORMAT_NUMBER,
                  "Capacity can only be added in whole steps of this size, in units a year, "
                  "more than 0. Blank: any amount. Steps make the model take whole-number "
                  "decisions, which takes longer to solve.",
                  "Units a year, more than 0. Blank: any amount."),
};

static const ao_column_schema access_columns[] = {
    ID_COLUMN("icb", 1, "icbs",
              "The ICB's code, from the icbs sheet. When this sheet has rows, an ICB may "
              "commission only from the providers listed for it. Left empty, every ICB may "
              "use every provider.",
              "Choose an ICB from the list (the icbs sheet)."),
    ID_COLUMN("provider", 1, "providers",
              "The code of a provider the ICB may commission from, from the providers "
              "sheet.",
              "Choose a provider from the list (the providers sheet)."),
};

static const ao_column_schema prevention_columns[] = {
    ID_COLUMN("service", 1, "services",
              "The preventive service's id (such as smoking cessation), from the services "
              "sheet.",
              "Choose the preventive service from the list (the services sheet)."),
    ID_COLUMN("target", 1, "services",
              "The id of the service whose need it reduces (such as chemotherapy), from the "
              "services sheet.",
              "Choose the service whose need falls (the services sheet)."),
    NUMBER_COLUMN("effect", 1, AO_NUMBER_NONNEG, AO_FORMAT_NUMBER,
                  "Units of the target service's need avoided per unit of the preventive "
                  "service, 0 or more (such as 0.002 courses per quit attempt).",
                  "Target units avoided per unit, 0 or more."),
    NUMBER_COLUMN("lag", 0, AO_NUMBER_WHOLE, AO_FORMAT_NUMBER,
                  "Whole years before the effect shows: activity in one year lowers need "
                  "this many years later. Blank: 1.",
                  "Whole years, 0 or more. Blank: 1."),
};

static const ao_column_schema rules_columns[] = {
    TEXT_COLUMN("name", 1,
                "A name for the rule, such as mental_health_investment_standard. Each rule "
                "once."),
    {.name = "scope",
     .required = 1,
     .format = AO_FORMAT_TEXT,
     .list = AO_LIST_SCOPE,
     .help = "Whose spend the rule limits: * for each ICB separately, all for all ICBs "
             "added together, or one ICB's code from the icbs sheet.",
     .tip = "* (each ICB), all (all ICBs together) or an ICB's code."},
    TEXT_COLUMN("applies_to", 1,
                "Which services: * (all), category:specialised, category:priority, "
                "programme:NAME (such as programme:cancer) or service:ID (such as "
                "service:REN01)."),
    YEAR_COLUMN("year", 0,
                "The financial year the rule applies to, 2025 or 2025/26. Blank: every "
                "year."),
    WORD_COLUMN("kind", 1, ao_schema_rule_kinds,
                "min_spend or max_spend (value in £), or min_share or max_share (value as a "
                "fraction of the scope's revenue budget, such as 11%).",
                "min_spend, max_spend (in £), min_share or max_share (fractions)."),
    NUMBER_COLUMN("value", 1, AO_NUMBER_NONNEG, AO_FORMAT_NUMBER,
                  "The limit, 0 or more: in £ for min_spend and max_spend (pounds: "
                  "16500000), a fraction for min_share and max_share (11% or 0.11).",
                  "Pounds for spend rules, a fraction (11% or 0.11) for share rules."),
};

static const ao_column_schema collaboratives_columns[] = {
    TEXT_COLUMN("id", 1,
                "The collaborative's id. Each once. Provider collaboratives are optional "
                "and advanced: leave this sheet empty if you do not use them."),
    TEXT_COLUMN("name", 0, "The collaborative's full name. Blank: the id."),
    ID_COLUMN("lead_provider", 1, "providers",
              "The code of the lead provider, which holds the pooled budget, from the "
              "providers sheet.",
              "Choose the lead provider from the list (the providers sheet)."),
    TEXT_COLUMN("applies_to", 1,
                "The services it covers: *, category:specialised, category:priority, "
                "programme:NAME or service:ID, as in rules."),
    TEXT_COLUMN("icbs", 0,
                "Codes of the ICBs it serves, separated by spaces (QWO QF7). Blank or *: "
                "every ICB."),
    NUMBER_COLUMN("budget_share", 0, AO_NUMBER_FRACTION, AO_FORMAT_NUMBER,
                  "Its pooled budget as a fraction of its ICBs' specialised allocations, 0 "
                  "to 1 (such as 40%). Blank: no pooled budget limit.",
                  "A fraction from 0 to 1: type 40% or 0.4."),
};

static const ao_column_schema members_columns[] = {
    ID_COLUMN("collaborative", 1, "collaboratives",
              "The collaborative's id, from the collaboratives sheet. One row per member "
              "provider.",
              "Choose a collaborative from the list (the collaboratives sheet)."),
    ID_COLUMN("provider", 1, "providers",
              "The code of a member provider, from the providers sheet. The collaborative's "
              "ICBs may commission its services from every member, whatever the access "
              "sheet says.",
              "Choose a provider from the list (the providers sheet)."),
};

static const ao_column_schema arrangements_columns[] = {
    TEXT_COLUMN("services", 1,
                "Which specialised services the row places: * (all), programme:NAME (such as "
                "programme:cancer), service:ID, or category:specialised, as in rules. Priority "
                "services always stay with their ICB."),
    {.name = "icbs",
     .required = 1,
     .format = AO_FORMAT_TEXT,
     .help = "Which ICBs: * (every ICB), region:NAME (every ICB of a region, such as "
             "region:North West), or ICB codes separated by spaces.",
     .tip = "*, region:NAME, or ICB codes separated by spaces."},
    YEAR_COLUMN("from_year", 1,
                "The first financial year the arrangement holds, 2025 or 2025/26. It holds "
                "until a later row changes it. A year before the plan's first year counts from "
                "the first year."),
    WORD_COLUMN("arrangement", 1, ao_schema_arrangements,
                "delegated (the ICB commissions the services from its own budget), joint (a "
                "joint committee of the ICB's group pools their budgets) or national (NHS "
                "England commissions them from one national pool).",
                "delegated, joint or national."),
};

static const ao_column_schema icb_changes_columns[] = {
    ID_COLUMN("icb", 1, "icbs",
              "The code of an ICB that merges, from the icbs sheet. One row per merging ICB; "
              "each ICB once.",
              "Choose the merging ICB from the list (the icbs sheet)."),
    TEXT_COLUMN("becomes", 1,
                "The code of the merged ICB (the footprint), such as ICB_NEW. ICBs with the "
                "same code here form one footprint. It must not be the code of an existing "
                "ICB."),
    YEAR_COLUMN("from_year", 1,
                "The first financial year of the merged footprint, 2025 or 2025/26: from then "
                "on its budgets, capital, share floors and ICB rules are added up. Every ICB of "
                "one footprint has the same year. A year after the plan means no merger "
                "within the plan."),
    TEXT_COLUMN("name", 0, "The merged ICB's name. Blank: its code."),
};

static const ao_column_schema flows_columns[] = {
    ID_COLUMN("icb", 1, "icbs", "The commissioning ICB's code, from the icbs sheet.",
              "Choose the ICB from the list (the icbs sheet)."),
    ID_COLUMN("service", 1, "services",
              "The code of a provided service (one with rows on the capacity sheet).",
              "Choose the service from the list (the services sheet)."),
    ID_COLUMN("provider", 1, "providers",
              "The code of the provider the ICB buys from today, from the providers sheet.",
              "Choose the provider from the list (the providers sheet)."),
    NUMBER_COLUMN("activity", 1, AO_NUMBER_NONNEG, AO_FORMAT_NUMBER,
                  "Today's activity (the year before the plan) the ICB buys of this service "
                  "from this provider, in the service's units. Optional sheet: it describes "
                  "today's plan, which the results compare with the best one.",
                  "Units a year, 0 or more."),
};

static const ao_column_schema scenarios_columns[] = {
    TEXT_COLUMN("scenario", 1,
                "The scenario's name, such as renal_growth. Rows with the same name form one "
                "scenario. Solve them with: allocopt run book.xlsx --all-scenarios (or "
                "--scenario NAME)."),
    TABLE_COLUMN("table", 1, "The sheet whose value the row changes.",
                 "Choose the sheet to change."),
    {.name = "column",
     .required = 1,
     .format = AO_FORMAT_TEXT,
     .list = AO_LIST_COLUMNS,
     .help = "The column whose value the row changes, such as need.",
     .tip = "Choose the column to change."},
    TEXT_COLUMN("key", 1,
                "Which row: its id for icbs, services, providers, rules and collaboratives; "
                "ICB/year for budgets (QWO/2025/26); ICB/service for demand (QWO/REN01); "
                "provider/service for capacity; ICB/provider for access; service/target for "
                "prevention; the setting's name for settings. A * part matches every row: "
                "*/REN01 is REN01 in every ICB."),
    WORD_COLUMN("op", 1, op_words,
                "set (replace the value), scale (multiply it: 1.1 is 10% more) or add (add "
                "to it).",
                "set, scale or add."),
    {.name = "value",
     .required = 1,
     .format = AO_FORMAT_CHANGE,
     .help = "The new value for set (a number, or a word such as joint), the factor for "
             "scale (0.8 is 20% less), or the amount for add (in the column's unit)."},
};

static const ao_column_schema uncertainty_columns[] = {
    TABLE_COLUMN("table", 1,
                 "The sheet whose values are uncertain. Each row of this sheet says how values "
                 "of the input vary; allocopt run book.xlsx --samples 1000 draws that many "
                 "inputs at random and solves each.",
                 "Choose the sheet whose values are uncertain."),
    {.name = "column",
     .required = 1,
     .format = AO_FORMAT_TEXT,
     .list = AO_LIST_COLUMNS,
     .help = "The column whose values are uncertain, such as revenue or need. It must hold "
             "numbers, and not be part of the row's key (such as a year).",
     .tip = "Choose the column whose values are uncertain."},
    TEXT_COLUMN("key", 1,
                "Which rows, as on the scenarios sheet: ICB/year for budgets (QWO/2025/26), "
                "ICB/service for demand (QWO/REN01), an id for services, a setting's name "
                "for settings. A * part matches every row: */* is every budget row."),
    WORD_COLUMN("distribution", 1, distribution_words,
                "normal (give mean and sd), uniform (give low and high: every value between "
                "equally likely) or triangular (give low, likely and high).",
                "normal, uniform or triangular."),
    WORD_COLUMN("apply", 0, apply_words,
                "scale: the value is multiplied by the number drawn (mean 1, sd 0.05 is about "
                "5% either way); add: the number drawn is added to the value (in its unit). "
                "Blank: scale.",
                "scale or add (blank: scale)."),
    NUMBER_COLUMN("mean", 0, AO_NUMBER_ANY, AO_FORMAT_NUMBER,
                  "Normal only: the average of the numbers drawn (1 to scale by 1 on average, "
                  "0 to add nothing on average).",
                  "The mean of a normal distribution."),
    NUMBER_COLUMN("sd", 0, AO_NUMBER_NONNEG, AO_FORMAT_NUMBER,
                  "Normal only: the standard deviation, 0 or more. About two draws in three "
                  "fall within one sd of the mean.",
                  "The standard deviation, 0 or more."),
    NUMBER_COLUMN("low", 0, AO_NUMBER_ANY, AO_FORMAT_NUMBER,
                  "Uniform and triangular: the smallest number drawn (0.9 to scale down by up "
                  "to 10%).",
                  "The smallest number drawn."),
    NUMBER_COLUMN("likely", 0, AO_NUMBER_ANY, AO_FORMAT_NUMBER,
                  "Triangular only: the most likely number, from low to high.",
                  "The most likely number (triangular)."),
    NUMBER_COLUMN("high", 0, AO_NUMBER_ANY, AO_FORMAT_NUMBER,
                  "Uniform and triangular: the largest number drawn, at least low.",
                  "The largest number drawn."),
    WORD_COLUMN("draw", 0, draw_words,
                "each: every row the key matches gets its own number; shared: one number per "
                "sample for all of them (one national inflation shock). Blank: each.",
                "each or shared (blank: each)."),
};

#define COLUMNS(list) .columns = list, .n_columns = sizeof list / sizeof list[0]

static const ao_table_schema tables[] = {
    {.name = "settings",
     .required = 1,
     .changeable = 1,
     .key = {"key"},
     .help = "One row per setting: the plan's first year and length, what to optimise, the "
             "commissioning arrangement and optional policy limits.",
     COLUMNS(settings_columns)},
    {.name = "icbs",
     .required = 1,
     .changeable = 1,
     .key = {"id"},
     .help = "One row per ICB: code, name, population, region and joint committee.",
     COLUMNS(icbs_columns)},
    {.name = "budgets",
     .required = 1,
     .changeable = 1,
     .key = {"icb", "year"},
     .help =
         "One row per ICB and year of the plan: revenue and capital budgets, and optionally the "
         "specialised allocation, in £.",
     COLUMNS(budgets_columns)},
    {.name = "services",
     .required = 1,
     .changeable = 1,
     .key = {"id"},
     .help = "One row per service: specialised or priority, cost and benefit per unit, national "
             "minimum coverage, growth of need, and the cost of adding capacity.",
     COLUMNS(services_columns)},
    {.name = "demand",
     .required = 1,
     .changeable = 1,
     .key = {"icb", "service"},
     .help = "One row per ICB and service: need in the first year and activity in the year before "
             "the plan. A service with no row for an ICB has no activity there.",
     COLUMNS(demand_columns)},
    {.name = "providers",
     .required = 0,
     .changeable = 1,
     .key = {"id"},
     .help = "One row per provider (trust): its host ICB and whether it is a centre of excellence.",
     COLUMNS(providers_columns)},
    {.name = "capacity",
     .required = 0,
     .changeable = 1,
     .key = {"provider", "service"},
     .help = "One row per provider and service it offers: capacity a year, its own unit cost, a "
             "minimum viable volume and how far it may expand. Services without capacity rows are "
             "commissioned locally, with no capacity limit.",
     COLUMNS(capacity_columns)},
    {.name = "access",
     .required = 0,
     .changeable = 1,
     .key = {"icb", "provider"},
     .help = "Which providers each ICB may use, one row per pair. Left empty, every ICB may use "
             "every provider.",
     COLUMNS(access_columns)},
    {.name = "prevention",
     .required = 0,
     .changeable = 1,
     .key = {"service", "target"},
     .help = "Prevention links: each unit of a preventive service avoids need for a target service "
             "some years later.",
     COLUMNS(prevention_columns)},
    {.name = "rules",
     .required = 0,
     .changeable = 1,
     .key = {"name"},
     .help = "Local policy limits: the least or most spend, in £ or as a share of revenue, on a "
             "group of services.",
     COLUMNS(rules_columns)},
    {.name = "collaboratives",
     .required = 0,
     .changeable = 1,
     .key = {"id"},
     .help =
         "Advanced, optional: provider collaboratives holding a pooled budget for some services.",
     COLUMNS(collaboratives_columns)},
    {.name = "collaborative_members",
     .required = 0,
     .changeable = 1,
     .key = {"collaborative", "provider"},
     .help = "Advanced, optional: the member providers of each collaborative.",
     COLUMNS(members_columns)},
    {.name = "scenarios",
     .required = 0,
     .changeable = 0,
     .help =
         "What-ifs: each row changes one input value; rows with the same scenario name form one "
         "scenario, solved beside the baseline.",
     COLUMNS(scenarios_columns)},
    {.name = "arrangements",
     .required = 0,
     .changeable = 1,
     .key = {"services", "icbs", "from_year"},
     .help = "Who commissions each specialised service, ICB and year: delegated, joint or "
             "national, row by row from a year on (the last matching row wins). Left empty, the "
             "arrangement setting holds for every service. A scenario names a row by "
             "services/icbs/from_year.",
     COLUMNS(arrangements_columns)},
    {.name = "icb_changes",
     .required = 0,
     .changeable = 1,
     .key = {"icb"},
     .help = "ICB mergers: from a year on, ICBs with the same new code share one footprint: "
             "their budgets, capital and ICB rules are added up.",
     COLUMNS(icb_changes_columns)},
    {.name = "flows",
     .required = 0,
     .changeable = 1,
     .key = {"icb", "service", "provider"},
     .help = "Today's plan: how much of each provided service each ICB buys from each provider "
             "today. Optional: without it, today's activity is split over the allowed providers "
             "by capacity.",
     COLUMNS(flows_columns)},
    {.name = "uncertainty",
     .required = 0,
     .changeable = 0,
     .help =
         "Uncertain inputs: each row says how some values vary (normal, uniform or triangular), "
         "for a Monte Carlo study: allocopt run book.xlsx --samples 1000.",
     COLUMNS(uncertainty_columns)},
};

#define N_TABLES (sizeof tables / sizeof tables[0])

const ao_table_schema *ao_schema_tables(size_t *n_tables)
{
    *n_tables = N_TABLES;
    return tables;
}

const ao_table_schema *ao_schema_table(const char *name)
{
    for (size_t k = 0; k < N_TABLES && name != NULL; k++)
        if (ao_name_equal(tables[k].name, name))
            return &tables[k];
    return NULL;
}

long ao_schema_column_index(const ao_table_schema *table, const char *name)
{
    for (size_t c = 0; table != NULL && name != NULL && c < table->n_columns; c++)
        if (ao_name_equal(table->columns[c].name, name))
            return (long)c;
    return -1;
}

const ao_column_schema *ao_schema_column(const ao_table_schema *table, const char *name)
{
    long c = ao_schema_column_index(table, name);
    return c >= 0 ? &table->columns[c] : NULL;
}
