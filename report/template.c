/*
 * The input workbook to fill in (`allocopt template`).
 *
 * Everything the analyst sees about a column (its heading note, its number format,
 * its drop-down list or number check and their messages) comes from one entry of
 * the sheet_specs list below, so the sheets and their explanations cannot drift
 * apart. The checks match those of models/model.c: what Excel refuses as it is
 * typed, `allocopt validate` would refuse too.
 *
 * libxlsxwriter keeps each sheet in memory until the workbook is closed: its
 * constant_memory mode cannot write Excel tables, and the filters and banding they
 * give are worth more here. Input tables are small (a national model has a few
 * thousand demand rows), unlike the results' allocation.
 */
#include "report/template.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>

#include "common/parse.h"
#include "common/strutil.h"
#include "models/model.h"
#include "report/sheet_writer.h"

/* The sheet row below the headings that Excel's last row leaves (rows are 0-based). */
#define LAST_SHEET_ROW ((lxw_row_t)1048575)

/* Name of the hidden sheet with the longer drop-down lists; the reader skips it. */
#define LISTS_SHEET "_lists"

/* Column widths, in characters: bounds, and what a heading needs beyond its text
 * (the filter button). */
#define MIN_WIDTH 10.0
#define MAX_WIDTH 48.0
#define HEADING_EXTRA 4.0

/* The Read me's text column: width in characters, characters that surely fit on one
 * line of it, and the height of a line in points. */
#define README_TEXT_WIDTH 100.0
#define README_LINE_CHARS 95.0
#define README_LINE_POINTS 15.0

/* Heading notes: width in pixels, and characters that fit on one line of it. */
#define NOTE_WIDTH 420
#define NOTE_LINE_CHARS 62
#define NOTE_LINE_PIXELS 15
#define NOTE_MIN_HEIGHT 60

/* ---- what each sheet and column holds ---- */

/** How a column's cells are written. */
typedef enum cell_kind {
    KIND_TEXT = 0, ///< Ids, names, words: always text, and the column is formatted as text.
    KIND_YEAR,     ///< A financial year: text too, so Excel never turns 2025/26 into a date.
    KIND_NUMBER,   ///< A number when it reads as one.
    KIND_SETTING,  ///< settings.value: a number or text according to the row's key.
    KIND_CHANGE    ///< scenarios.value: a number or text according to the column it changes.
} cell_kind;

/** The number check of a column (models/model.c checks the same). */
typedef enum number_rule {
    RULE_NONE = 0,
    RULE_NONNEG,   ///< 0 or more.
    RULE_FRACTION, ///< 0 to 1.
    RULE_WHOLE,    ///< A whole number, 0 or more.
    RULE_POSITIVE, ///< More than 0.
    RULE_GROWTH    ///< More than -1 (-100 %).
} number_rule;

/** How a column is shown. */
typedef enum shown_as {
    SHOWN_GENERAL = 0, ///< Excel's General.
    SHOWN_TEXT,        ///< Text ("@"): what is typed stays as typed.
    SHOWN_POUNDS,      ///< Whole pounds: £601,500,000.
    SHOWN_PENCE,       ///< Pounds and pence: £1,234.50.
    SHOWN_COUNT,       ///< Whole numbers with thousands separators.
    SHOWN_PERCENT,     ///< Percentages (example cells typed with %).
    SHOWN_COUNT_OF     ///< Number of formats.
} shown_as;

/** The drop-down list of a column. */
typedef enum list_kind {
    LIST_NONE = 0,
    LIST_WORDS,  ///< Fixed words.
    LIST_IDS,    ///< The id column of another sheet.
    LIST_SCOPE,  ///< `*`, `all` and the ICB ids (on the _lists sheet).
    LIST_COLUMNS ///< Every column name (on the _lists sheet).
} list_kind;

typedef struct column_spec {
    const char *name;         ///< Heading, exactly as FORMATS.md writes it.
    int required;             ///< 1 when FORMATS.md marks it with *.
    cell_kind kind;           ///< How cells are written.
    number_rule rule;         ///< Number check.
    shown_as shown;           ///< Number format of the column.
    list_kind list;           ///< Drop-down list.
    const char *const *words; ///< LIST_WORDS: the words, NULL-terminated.
    const char *id_sheet;     ///< LIST_IDS: the sheet whose id column is offered.
    const char *help;         ///< The heading's note: meaning, unit, default.
    const char *tip;          ///< Message shown when a cell is selected (Excel: 255 characters).
} column_spec;

typedef struct sheet_spec {
    const char *name;           ///< Sheet and table name.
    int required;               ///< 1 for the tables every input needs.
    const char *purpose;        ///< One line for the Read me sheet.
    const column_spec *columns; ///< Columns in FORMATS.md's order.
    size_t n_columns;           ///< Their number.
} sheet_spec;

/* libxlsxwriter takes lists as char **; it never writes to them. */
static const char *const category_words[] = {"specialised", "priority", NULL};
static const char *const rule_kind_words[] = {"min_spend", "max_spend", "min_share", "max_share",
                                              NULL};
static const char *const op_words[] = {"set", "scale", "add", NULL};
static const char *const distribution_words[] = {"normal", "uniform", "triangular", NULL};
static const char *const apply_words[] = {"scale", "add", NULL};
static const char *const draw_words[] = {"each", "shared", NULL};
static const char *const yes_no_words[] = {"yes", "no", NULL};
/* Tables a scenario may change (models/scenario.c). */
static const char *const changeable_tables[] = {
    "settings", "icbs",   "budgets",    "services", "demand",         "providers",
    "capacity", "access", "prevention", "rules",    "collaboratives", "collaborative_members",
    NULL};

/* Settings whose value is a number; the others hold words, names or a year. */
static const char *const numeric_settings[] = {
    "years", "discount_rate", "specialised_share_floor", "max_change", "equity_band", "mip_gap",
    NULL};

/* The settings rows of an empty template: key and value (NULL: blank). */
static const char *const default_settings[][2] = {
    {"first_year", "2025/26"},
    {"years", "5"},
    {"name", NULL},
    {"objective", "benefit"},
    {"arrangement", "delegated"},
    {"discount_rate", NULL},
    {"specialised_share_floor", NULL},
    {"max_change", NULL},
    {"equity_band", NULL},
    {"benefit_unit", NULL},
};

/* Column entries by kind; each names only what differs from the defaults (0). */
/* clang-format off */
#define TEXT_COLUMN(n, req, h) \
    {.name = n, .required = req, .kind = KIND_TEXT, .shown = SHOWN_TEXT, .help = h}
#define YEAR_COLUMN(n, req, h) \
    {.name = n, .required = req, .kind = KIND_YEAR, .shown = SHOWN_TEXT, .help = h}
#define ID_COLUMN(n, req, sheet, h, t) \
    {.name = n, .required = req, .kind = KIND_TEXT, .shown = SHOWN_TEXT, .list = LIST_IDS, \
     .id_sheet = sheet, .help = h, .tip = t}
#define WORD_COLUMN(n, req, w, h, t) \
    {.name = n, .required = req, .kind = KIND_TEXT, .shown = SHOWN_TEXT, .list = LIST_WORDS, \
     .words = w, .help = h, .tip = t}
#define NUMBER_COLUMN(n, req, r, s, h, t) \
    {.name = n, .required = req, .kind = KIND_NUMBER, .rule = r, .shown = s, .help = h, \
     .tip = t}
/* clang-format on */

static const column_spec settings_columns[] = {
    WORD_COLUMN("key", 1, ao_setting_keys,
                "The setting's name: choose it from the list. first_year and years are "
                "required; the others are optional (a blank value, or no row, gives the "
                "default). Each setting may appear once.",
                "Choose a setting from the list. See the note on the value heading for what "
                "each one means."),
    {.name = "value",
     .required = 1,
     .kind = KIND_SETTING,
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

static const column_spec icbs_columns[] = {
    TEXT_COLUMN("id", 1,
                "The ICB's code, such as QWO. Each ICB once; the other sheets refer to the "
                "ICB by this code (capitals and surrounding spaces do not matter)."),
    TEXT_COLUMN("name", 0, "The ICB's full name, shown in the results. Blank: the code."),
    NUMBER_COLUMN("population", 1, RULE_NONNEG, SHOWN_COUNT,
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
    NUMBER_COLUMN("max_providers", 0, RULE_WHOLE, SHOWN_GENERAL,
                  "The most providers the ICB may commission from over the plan, a whole "
                  "number. Blank: no limit. A limit makes the model take whole-number "
                  "decisions, which takes longer to solve.",
                  "A whole number, or blank for no limit."),
};

static const column_spec budgets_columns[] = {
    ID_COLUMN("icb", 1, "icbs",
              "The ICB's code, from the icbs sheet. Every ICB needs one row for each year "
              "of the plan.",
              "Choose an ICB from the list (the icbs sheet). One row per ICB and year."),
    YEAR_COLUMN("year", 1,
                "Financial year, written 2025 or 2025/26 (both mean April 2025 to March "
                "2026), within the plan's years. The cells are formatted as text so that "
                "Excel keeps 2025/26 as typed."),
    NUMBER_COLUMN("revenue", 1, RULE_NONNEG, SHOWN_POUNDS,
                  "The ICB's revenue budget for the year, in £ (pounds, not £k or £m): "
                  "£601.5m is 601500000. 0 or more.",
                  "In pounds, not £k or £m: £601.5m is 601500000."),
    NUMBER_COLUMN("capital", 0, RULE_NONNEG, SHOWN_POUNDS,
                  "The ICB's capital budget for the year, in £, for adding capacity at the "
                  "providers it hosts. Blank: £0.",
                  "In pounds, 0 or more. Blank: £0."),
    NUMBER_COLUMN("specialised", 0, RULE_NONNEG, SHOWN_POUNDS,
                  "The part of the revenue budget set aside for specialised services, in £; "
                  "used by the joint and national arrangements and no more than revenue. "
                  "Blank: revenue times the ICB's baseline specialised share (from the "
                  "demand sheet's baselines).",
                  "In pounds, no more than revenue. Blank: the baseline share of revenue."),
};

static const column_spec services_columns[] = {
    TEXT_COLUMN("id", 1,
                "The service's id, such as REN01. Each service once; the other sheets "
                "refer to the service by it."),
    TEXT_COLUMN("name", 0, "The service's full name, shown in the results. Blank: the id."),
    WORD_COLUMN("category", 1, category_words,
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
    NUMBER_COLUMN("unit_cost", 1, RULE_NONNEG, SHOWN_PENCE,
                  "What one unit of activity costs, in £ (pounds), 0 or more. A provider may "
                  "have its own cost (capacity sheet, unit_cost).",
                  "In pounds per unit, 0 or more."),
    NUMBER_COLUMN("benefit", 1, RULE_NONNEG, SHOWN_GENERAL,
                  "Health benefit of one unit of activity, in the benefit unit of the "
                  "settings (such as QALYs per unit), 0 or more.",
                  "Benefit per unit, 0 or more."),
    NUMBER_COLUMN("min_coverage", 0, RULE_FRACTION, SHOWN_GENERAL,
                  "National standard: the least fraction of need met in every ICB and year, "
                  "from 0 to 1; type 90% or 0.9. Blank: no minimum.",
                  "A fraction from 0 to 1: type 90% or 0.9."),
    NUMBER_COLUMN("growth", 0, RULE_GROWTH, SHOWN_GENERAL,
                  "Yearly growth of need, as a fraction: 3% or 0.03 means 3% more need each "
                  "year. May be negative, but above -100%. Blank: no growth.",
                  "Yearly growth: type 3% or 0.03."),
    NUMBER_COLUMN("capital_cost", 0, RULE_NONNEG, SHOWN_PENCE,
                  "Capital cost, in £, of adding one unit of capacity a year at a provider. "
                  "Blank: the capacity of this service cannot be expanded.",
                  "In pounds per unit of yearly capacity. Blank: no expansion."),
    NUMBER_COLUMN("capacity_lag", 0, RULE_WHOLE, SHOWN_GENERAL,
                  "Whole years between paying for new capacity and using it. Blank: 1.",
                  "Whole years, 0 or more. Blank: 1."),
    NUMBER_COLUMN("max_change", 0, RULE_NONNEG, SHOWN_GENERAL,
                  "The most the service's activity may change from one year to the next, as "
                  "a fraction: 10% or 0.1. Overrides the max_change setting for this service. "
                  "Blank: the setting.",
                  "A fraction such as 10% or 0.1. Blank: the max_change setting."),
};

static const column_spec demand_columns[] = {
    ID_COLUMN("icb", 1, "icbs",
              "The ICB's code, from the icbs sheet. One row per ICB and service; a service "
              "with no row for an ICB has no activity there.",
              "Choose an ICB from the list (the icbs sheet)."),
    ID_COLUMN("service", 1, "services", "The service's id, from the services sheet.",
              "Choose a service from the list (the services sheet)."),
    NUMBER_COLUMN("need", 1, RULE_NONNEG, SHOWN_GENERAL,
                  "Need in the plan's first year, in the service's units a year (such as "
                  "courses a year), 0 or more. Later years grow by the service's growth.",
                  "Units a year in the first year, 0 or more."),
    NUMBER_COLUMN("baseline", 1, RULE_NONNEG, SHOWN_GENERAL,
                  "Activity in the year before the plan, in the service's units a year, 0 or "
                  "more. The starting point for max_change, and the source of each ICB's "
                  "baseline specialised share.",
                  "Units a year in the year before the plan, 0 or more."),
};

static const column_spec providers_columns[] = {
    TEXT_COLUMN("id", 1,
                "The provider's code, such as RR8. Each provider once; the other sheets "
                "refer to the provider by it."),
    TEXT_COLUMN("name", 0, "The provider's full name. Blank: the code."),
    ID_COLUMN("icb", 1, "icbs",
              "The code of the ICB that hosts the provider, from the icbs sheet. Its capital "
              "budget pays for adding capacity at the provider.",
              "Choose the host ICB from the list (the icbs sheet)."),
    WORD_COLUMN("centre_of_excellence", 0, yes_no_words,
                "yes or no: whether the provider is a regional centre of excellence. A "
                "label; a minimum viable volume (capacity sheet, min_volume) protects it. "
                "Blank: no.",
                "yes or no."),
    NUMBER_COLUMN("max_icbs", 0, RULE_WHOLE, SHOWN_GENERAL,
                  "The most ICBs that may commission from this provider over the plan, a "
                  "whole number. Blank: no limit. A limit makes the model take whole-number "
                  "decisions, which takes longer to solve.",
                  "A whole number, or blank for no limit."),
};

static const column_spec capacity_columns[] = {
    ID_COLUMN("provider", 1, "providers",
              "The provider's code, from the providers sheet. One row per provider and "
              "service it offers. A service with capacity rows is bought from providers; a "
              "service without is commissioned locally, with no capacity limit.",
              "Choose a provider from the list (the providers sheet)."),
    ID_COLUMN("service", 1, "services", "The service's id, from the services sheet.",
              "Choose a service from the list (the services sheet)."),
    NUMBER_COLUMN("capacity", 1, RULE_NONNEG, SHOWN_GENERAL,
                  "Activity the provider can deliver, in the service's units a year, 0 or "
                  "more.",
                  "Units a year, 0 or more."),
    NUMBER_COLUMN("unit_cost", 0, RULE_NONNEG, SHOWN_PENCE,
                  "This provider's cost of one unit, in £. Blank: the service's unit_cost.",
                  "In pounds per unit. Blank: the service's unit cost."),
    NUMBER_COLUMN("min_volume", 0, RULE_NONNEG, SHOWN_GENERAL,
                  "Minimum viable volume, in units a year: the provider must deliver at "
                  "least this much every year (keeps a centre of excellence viable). Blank: "
                  "no minimum.",
                  "Units a year. Blank: no minimum."),
    NUMBER_COLUMN("max_expansion", 0, RULE_NONNEG, SHOWN_GENERAL,
                  "The most capacity that may be added over the whole plan, in units a "
                  "year; needs a capital_cost for the service. Blank: no limit.",
                  "Units a year, over the whole plan. Blank: no limit."),
    NUMBER_COLUMN("expansion_step", 0, RULE_POSITIVE, SHOWN_GENERAL,
                  "Capacity can only be added in whole steps of this size, in units a year, "
                  "more than 0. Blank: any amount. Steps make the model take whole-number "
                  "decisions, which takes longer to solve.",
                  "Units a year, more than 0. Blank: any amount."),
};

static const column_spec access_columns[] = {
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

static const column_spec prevention_columns[] = {
    ID_COLUMN("service", 1, "services",
              "The preventive service's id (such as smoking cessation), from the services "
              "sheet.",
              "Choose the preventive service from the list (the services sheet)."),
    ID_COLUMN("target", 1, "services",
              "The id of the service whose need it reduces (such as chemotherapy), from the "
              "services sheet.",
              "Choose the service whose need falls (the services sheet)."),
    NUMBER_COLUMN("effect", 1, RULE_NONNEG, SHOWN_GENERAL,
                  "Units of the target service's need avoided per unit of the preventive "
                  "service, 0 or more (such as 0.002 courses per quit attempt).",
                  "Target units avoided per unit, 0 or more."),
    NUMBER_COLUMN("lag", 0, RULE_WHOLE, SHOWN_GENERAL,
                  "Whole years before the effect shows: activity in one year lowers need "
                  "this many years later. Blank: 1.",
                  "Whole years, 0 or more. Blank: 1."),
};

static const column_spec rules_columns[] = {
    TEXT_COLUMN("name", 1,
                "A name for the rule, such as mental_health_investment_standard. Each rule "
                "once."),
    {.name = "scope",
     .required = 1,
     .kind = KIND_TEXT,
     .shown = SHOWN_TEXT,
     .list = LIST_SCOPE,
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
    WORD_COLUMN("kind", 1, rule_kind_words,
                "min_spend or max_spend (value in £), or min_share or max_share (value as a "
                "fraction of the scope's revenue budget, such as 11%).",
                "min_spend, max_spend (in £), min_share or max_share (fractions)."),
    NUMBER_COLUMN("value", 1, RULE_NONNEG, SHOWN_GENERAL,
                  "The limit, 0 or more: in £ for min_spend and max_spend (pounds: "
                  "16500000), a fraction for min_share and max_share (11% or 0.11).",
                  "Pounds for spend rules, a fraction (11% or 0.11) for share rules."),
};

static const column_spec collaboratives_columns[] = {
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
    NUMBER_COLUMN("budget_share", 0, RULE_FRACTION, SHOWN_GENERAL,
                  "Its pooled budget as a fraction of its ICBs' specialised allocations, 0 "
                  "to 1 (such as 40%). Blank: no pooled budget limit.",
                  "A fraction from 0 to 1: type 40% or 0.4."),
};

static const column_spec members_columns[] = {
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

static const column_spec scenarios_columns[] = {
    TEXT_COLUMN("scenario", 1,
                "The scenario's name, such as renal_growth. Rows with the same name form one "
                "scenario. Solve them with: allocopt run book.xlsx --all-scenarios (or "
                "--scenario NAME)."),
    WORD_COLUMN("table", 1, changeable_tables, "The sheet whose value the row changes.",
                "Choose the sheet to change."),
    {.name = "column",
     .required = 1,
     .kind = KIND_TEXT,
     .shown = SHOWN_TEXT,
     .list = LIST_COLUMNS,
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
     .kind = KIND_CHANGE,
     .help = "The new value for set (a number, or a word such as joint), the factor for "
             "scale (0.8 is 20% less), or the amount for add (in the column's unit)."},
};

static const column_spec uncertainty_columns[] = {
    WORD_COLUMN("table", 1, changeable_tables,
                "The sheet whose values are uncertain. Each row of this sheet says how values "
                "of the input vary; allocopt run book.xlsx --samples 1000 draws that many "
                "inputs at random and solves each.",
                "Choose the sheet whose values are uncertain."),
    {.name = "column",
     .required = 1,
     .kind = KIND_TEXT,
     .shown = SHOWN_TEXT,
     .list = LIST_COLUMNS,
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
    NUMBER_COLUMN("mean", 0, RULE_NONE, SHOWN_GENERAL,
                  "Normal only: the average of the numbers drawn (1 to scale by 1 on average, "
                  "0 to add nothing on average).",
                  "The mean of a normal distribution."),
    NUMBER_COLUMN("sd", 0, RULE_NONNEG, SHOWN_GENERAL,
                  "Normal only: the standard deviation, 0 or more. About two draws in three "
                  "fall within one sd of the mean.",
                  "The standard deviation, 0 or more."),
    NUMBER_COLUMN("low", 0, RULE_NONE, SHOWN_GENERAL,
                  "Uniform and triangular: the smallest number drawn (0.9 to scale down by up "
                  "to 10%).",
                  "The smallest number drawn."),
    NUMBER_COLUMN("likely", 0, RULE_NONE, SHOWN_GENERAL,
                  "Triangular only: the most likely number, from low to high.",
                  "The most likely number (triangular)."),
    NUMBER_COLUMN("high", 0, RULE_NONE, SHOWN_GENERAL,
                  "Uniform and triangular: the largest number drawn, at least low.",
                  "The largest number drawn."),
    WORD_COLUMN("draw", 0, draw_words,
                "each: every row the key matches gets its own number; shared: one number per "
                "sample for all of them (one national inflation shock). Blank: each.",
                "each or shared (blank: each)."),
};

#define COLUMNS(list) list, sizeof list / sizeof list[0]

static const sheet_spec sheet_specs[] = {
    {"settings", 1,
     "One row per setting: the plan's first year and length, what to optimise, the "
     "commissioning arrangement and optional policy limits.",
     COLUMNS(settings_columns)},
    {"icbs", 1, "One row per ICB: code, name, population, region and joint committee.",
     COLUMNS(icbs_columns)},
    {"budgets", 1,
     "One row per ICB and year of the plan: revenue and capital budgets, and optionally the "
     "specialised allocation, in £.",
     COLUMNS(budgets_columns)},
    {"services", 1,
     "One row per service: specialised or priority, cost and benefit per unit, national "
     "minimum coverage, growth of need, and the cost of adding capacity.",
     COLUMNS(services_columns)},
    {"demand", 1,
     "One row per ICB and service: need in the first year and activity in the year before "
     "the plan. A service with no row for an ICB has no activity there.",
     COLUMNS(demand_columns)},
    {"providers", 0,
     "One row per provider (trust): its host ICB and whether it is a centre of excellence.",
     COLUMNS(providers_columns)},
    {"capacity", 0,
     "One row per provider and service it offers: capacity a year, its own unit cost, a "
     "minimum viable volume and how far it may expand. Services without capacity rows are "
     "commissioned locally, with no capacity limit.",
     COLUMNS(capacity_columns)},
    {"access", 0,
     "Which providers each ICB may use, one row per pair. Left empty, every ICB may use "
     "every provider.",
     COLUMNS(access_columns)},
    {"prevention", 0,
     "Prevention links: each unit of a preventive service avoids need for a target service "
     "some years later.",
     COLUMNS(prevention_columns)},
    {"rules", 0,
     "Local policy limits: the least or most spend, in £ or as a share of revenue, on a "
     "group of services.",
     COLUMNS(rules_columns)},
    {"collaboratives", 0,
     "Advanced, optional: provider collaboratives holding a pooled budget for some services.",
     COLUMNS(collaboratives_columns)},
    {"collaborative_members", 0, "Advanced, optional: the member providers of each collaborative.",
     COLUMNS(members_columns)},
    {"scenarios", 0,
     "What-ifs: each row changes one input value; rows with the same scenario name form one "
     "scenario, solved beside the baseline.",
     COLUMNS(scenarios_columns)},
    {"uncertainty", 0,
     "Uncertain inputs: each row says how some values vary (normal, uniform or triangular), "
     "for a Monte Carlo study: allocopt run book.xlsx --samples 1000.",
     COLUMNS(uncertainty_columns)},
};

#define N_SHEETS (sizeof sheet_specs / sizeof sheet_specs[0])

/* ---- the writer ---- */

typedef struct template_writer {
    lxw_workbook *book;
    const ao_tableset *example;                            ///< Rows to write, or NULL.
    lxw_format *heading_required;                          ///< Headings of required columns.
    lxw_format *heading_optional;                          ///< Headings of optional columns.
    lxw_format *shown[SHOWN_COUNT_OF];                     ///< Column formats.
    lxw_format *title, *section, *label, *prose, *command; ///< Read me styles.
    lxw_row_t list_last_row[N_SHEETS]; ///< Last row offered in id lists, per sheet.
    lxw_row_t scope_last_row;          ///< Last row of the scope list on _lists.
    lxw_row_t columns_last_row;        ///< Last row of the column list on _lists.
    ao_error err;                      ///< First error; later writes do nothing.
} template_writer;

static const sheet_spec *find_sheet_spec(const char *name)
{
    for (size_t k = 0; k < N_SHEETS && name != NULL; k++)
        if (ao_name_equal(sheet_specs[k].name, name))
            return &sheet_specs[k];
    return NULL;
}

static long find_column(const sheet_spec *sheet, const char *name)
{
    for (size_t c = 0; c < sheet->n_columns && name != NULL; c++)
        if (ao_name_equal(sheet->columns[c].name, name))
            return (long)c;
    return -1;
}

static int in_list(const char *text, const char *const *list)
{
    for (size_t k = 0; list[k] != NULL && text != NULL; k++)
        if (ao_name_equal(text, list[k]))
            return 1;
    return 0;
}

/* The example's table for a sheet, or NULL. */
static const ao_table *example_table(const template_writer *w, const sheet_spec *sheet)
{
    return w->example != NULL ? ao_tableset_find(w->example, sheet->name) : NULL;
}

/* ---- formats ---- */

static lxw_format *add_format(template_writer *w)
{
    lxw_format *format = workbook_add_format(w->book);
    if (format == NULL && w->err == AO_NO_ERROR)
        w->err = AO_ERROR_MEMORY_MALLOC_FAILED;
    return format;
}

static void create_formats(template_writer *w)
{
    /* Required headings darker than optional ones; the Read me says which is which. */
    w->heading_required = add_format(w);
    w->heading_optional = add_format(w);
    for (int k = 0; k < SHOWN_COUNT_OF; k++)
        w->shown[k] = add_format(w);
    w->title = add_format(w);
    w->section = add_format(w);
    w->label = add_format(w);
    w->prose = add_format(w);
    w->command = add_format(w);
    if (w->err != AO_NO_ERROR)
        return;
    format_set_bold(w->heading_required);
    format_set_font_color(w->heading_required, LXW_COLOR_WHITE);
    format_set_bg_color(w->heading_required, 0x1F4E79);
    format_set_bold(w->heading_optional);
    format_set_font_color(w->heading_optional, 0x1F3864);
    format_set_bg_color(w->heading_optional, 0xDDEBF7);
    format_set_num_format(w->shown[SHOWN_TEXT], "@");
    format_set_num_format(w->shown[SHOWN_POUNDS], "£#,##0");
    format_set_num_format(w->shown[SHOWN_PENCE], "£#,##0.00");
    format_set_num_format(w->shown[SHOWN_COUNT], "#,##0");
    format_set_num_format(w->shown[SHOWN_PERCENT], "0.0##%");
    format_set_bold(w->title);
    format_set_font_size(w->title, 16);
    format_set_bold(w->section);
    format_set_font_size(w->section, 12);
    format_set_font_color(w->section, 0x1F4E79);
    format_set_bold(w->label);
    format_set_align(w->label, LXW_ALIGN_VERTICAL_TOP);
    format_set_text_wrap(w->prose);
    format_set_align(w->prose, LXW_ALIGN_VERTICAL_TOP);
    format_set_font_name(w->command, "Consolas");
    format_set_align(w->command, LXW_ALIGN_VERTICAL_TOP);
}

/* ---- cells ---- */

/* Text, always as text: a cell such as "=1+1" must never become a formula. */
static void put_text(template_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                     const char *text, lxw_format *format)
{
    if (w->err == AO_NO_ERROR && text != NULL && *text != '\0')
        ao_sheet_note(&w->err, worksheet_write_string(ws, row, col, text, format));
}

/* Whether a column of a sheet holds numbers (its cells become numbers when they read
 * as numbers). settings.value depends on the setting. */
static int holds_numbers(const char *table, const char *column, const char *setting)
{
    const sheet_spec *sheet = find_sheet_spec(table);
    long c = sheet != NULL ? find_column(sheet, column) : -1;
    if (c < 0)
        return 0;
    if (sheet->columns[c].kind == KIND_SETTING)
        return in_list(setting, numeric_settings);
    return sheet->columns[c].kind == KIND_NUMBER;
}

/*
 * One example cell. A cell of a number column that reads as a number becomes a number
 * (the model reads the same value back); everything else stays text as typed.
 */
static void put_cell(template_writer *w, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                     const column_spec *spec, const char *text, int numeric)
{
    lxw_format *format = w->shown[spec->shown];
    double value;
    if (numeric && ao_parse_number(text, &value) == AO_PARSE_OK) {
        if (strchr(text, '%') != NULL)
            format = w->shown[SHOWN_PERCENT];
        if (w->err == AO_NO_ERROR)
            ao_sheet_note(&w->err, worksheet_write_number(ws, row, col, value, format));
        return;
    }
    put_text(w, ws, row, col, text, format);
}

/* Whether the cell of `spec` in row r of an example table is written as a number. */
static int numeric_cell(const ao_table *table, size_t r, const column_spec *spec)
{
    switch (spec->kind) {
    case KIND_NUMBER:
        return 1;
    case KIND_SETTING:
        return in_list(ao_table_cell(table, r, ao_table_col(table, "key")), numeric_settings);
    case KIND_CHANGE:
        return holds_numbers(ao_table_cell(table, r, ao_table_col(table, "table")),
                             ao_table_cell(table, r, ao_table_col(table, "column")),
                             ao_table_cell(table, r, ao_table_col(table, "key")));
    case KIND_TEXT:
    case KIND_YEAR:
        break;
    }
    return 0;
}

/* ---- heading notes and validation ---- */

static void put_note(template_writer *w, lxw_worksheet *ws, lxw_col_t col, const column_spec *spec)
{
    char *text =
        ao_asprintf("%s: %s\n\n%s", spec->name,
                    spec->required ? "required" : "optional, may be left blank", spec->help);
    if (text == NULL) {
        if (w->err == AO_NO_ERROR)
            w->err = AO_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    /* Height to fit the text: lines wrapped at the note's width, and line breaks. */
    int lines = 1, run = 0;
    for (const char *c = text; *c; c++) {
        if (*c == '\n' || run == NOTE_LINE_CHARS) {
            lines++;
            run = 0;
        }
        run += *c != '\n' && (*c & 0xC0) != 0x80;
    }
    int height = lines * NOTE_LINE_PIXELS + 10;
    lxw_comment_options options = {
        .author = "allocopt",
        .width = NOTE_WIDTH,
        .height = (uint16_t)(height < NOTE_MIN_HEIGHT ? NOTE_MIN_HEIGHT : height)};
    if (w->err == AO_NO_ERROR)
        ao_sheet_note(&w->err, worksheet_write_comment_opt(ws, 0, col, text, &options));
    free(text);
}

/* Sheet range of a column below its heading: "=icbs!$A$2:$A$5001". A sheet name that
 * does not start with a letter ("_lists") is quoted. */
static char *column_range(const char *sheet, lxw_col_t col, lxw_row_t last_row)
{
    char letters[8];
    ao_column_letters(col, letters);
    const char *quote = (sheet[0] >= 'a' && sheet[0] <= 'z') ? "" : "'";
    return ao_asprintf("=%s%s%s!$%s$2:$%s$%lu", quote, sheet, quote, letters, letters,
                       (unsigned long)last_row + 1);
}

/*
 * Add a drop-down list drawn from a range of cells. libxlsxwriter before 1.1.6 loses a
 * copy of the formula of every such list (fixed upstream by "Fix memory leak in list
 * formula data validation", 2023). With those versions the list is added as a list of
 * one word, and the range then put in place of the word in the library's own copy of
 * the validation, which the library frees; the sheet's XML is the same.
 */
static lxw_error add_range_list(lxw_worksheet *ws, lxw_col_t col, lxw_row_t last_row,
                                lxw_data_validation *v, const char *formula)
{
#if LXW_VERSION_ID >= 116
    v->validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
    v->value_formula = (char *)formula;
    return worksheet_data_validation_range(ws, 1, col, last_row, col, v);
#else
    char placeholder_word[] = "-";
    char *placeholder[] = {placeholder_word, NULL};
    char *range = ao_strdup(formula[0] == '=' ? formula + 1 : formula);
    if (range == NULL)
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    v->validate = LXW_VALIDATION_TYPE_LIST;
    v->value_list = placeholder;
    lxw_error error = worksheet_data_validation_range(ws, 1, col, last_row, col, v);
    lxw_data_val_obj *added = STAILQ_FIRST(ws->data_validations);
    while (added != NULL && STAILQ_NEXT(added, list_pointers) != NULL)
        added = STAILQ_NEXT(added, list_pointers);
    if (error != LXW_NO_ERROR || added == NULL) {
        free(range);
        return error != LXW_NO_ERROR ? error : LXW_ERROR_PARAMETER_VALIDATION;
    }
    free(added->value_formula);
    added->value_formula = range;
    return LXW_NO_ERROR;
#endif
}

static void validate(template_writer *w, lxw_worksheet *ws, lxw_col_t col, lxw_row_t last_row,
                     const column_spec *spec)
{
    char *formula = NULL, *error = NULL;
    lxw_data_validation v = {.input_title = (char *)spec->name,
                             .error_title = (char *)spec->name,
                             .input_message = (char *)spec->tip};
    switch (spec->list) {
    case LIST_WORDS: {
        ao_strbuf words = {0};
        for (size_t k = 0; spec->words[k] != NULL; k++)
            ao_strbuf_printf(&words, "%s%s", k > 0 ? ", " : "", spec->words[k]);
        error = ao_asprintf("Choose one of: %s.", words.data ? words.data : "");
        ao_strbuf_free(&words);
        v.validate = LXW_VALIDATION_TYPE_LIST;
        v.value_list = (char **)spec->words; /* only read by libxlsxwriter */
        /* yes/no also reads true/false, y/n and 1/0: a warning, not a refusal. */
        v.error_type = spec->words == yes_no_words ? LXW_VALIDATION_ERROR_TYPE_WARNING
                                                   : LXW_VALIDATION_ERROR_TYPE_STOP;
        break;
    }
    case LIST_IDS: {
        const sheet_spec *source = find_sheet_spec(spec->id_sheet);
        long id_col = source != NULL ? find_column(source, "id") : -1;
        if (id_col < 0) {
            w->err = AO_ERROR_INTERNAL;
            return;
        }
        formula =
            column_range(source->name, (lxw_col_t)id_col, w->list_last_row[source - sheet_specs]);
        error = ao_asprintf("This is not an id on the %s sheet yet. Add it there, or choose "
                            "one from the list.",
                            source->name);
        /* The sheets may be filled in any order: warn, let the analyst go on. */
        v.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
        break;
    }
    case LIST_SCOPE:
    case LIST_COLUMNS: {
        int scope = spec->list == LIST_SCOPE;
        formula = column_range(LISTS_SHEET, scope ? 0 : 1,
                               scope ? w->scope_last_row : w->columns_last_row);
        error = ao_strdup(scope ? "Use * (each ICB), all (all ICBs together) or an ICB's "
                                  "code from the icbs sheet."
                                : "This is not a column of any sheet. Choose one from the "
                                  "list.");
        v.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
        break;
    }
    case LIST_NONE:
        switch (spec->rule) {
        case RULE_NONNEG:
            v.validate = LXW_VALIDATION_TYPE_DECIMAL;
            v.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
            v.value_number = 0;
            error = ao_strdup(spec->shown == SHOWN_POUNDS || spec->shown == SHOWN_PENCE
                                  ? "Type an amount in pounds, 0 or more (not £k or £m: "
                                    "£1.5m is 1500000)."
                                  : "Type a number, 0 or more.");
            break;
        case RULE_FRACTION:
            v.validate = LXW_VALIDATION_TYPE_DECIMAL;
            v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
            v.minimum_number = 0;
            v.maximum_number = 1;
            error = ao_strdup("Type a fraction from 0 to 1, such as 85% or 0.85.");
            break;
        case RULE_WHOLE:
            v.validate = LXW_VALIDATION_TYPE_INTEGER;
            v.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
            v.value_number = 0;
            error = ao_strdup("Type a whole number, 0 or more.");
            break;
        case RULE_POSITIVE:
            v.validate = LXW_VALIDATION_TYPE_DECIMAL;
            v.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN;
            v.value_number = 0;
            error = ao_strdup("Type a number greater than 0.");
            break;
        case RULE_GROWTH:
            v.validate = LXW_VALIDATION_TYPE_DECIMAL;
            v.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN;
            v.value_number = -1;
            error = ao_strdup("Type a yearly growth above -100%, such as 3% or 0.03.");
            break;
        case RULE_NONE:
            if (spec->tip == NULL)
                return;
            /* No check, only the message shown when a cell is selected. */
            v.validate = LXW_VALIDATION_TYPE_ANY;
            v.error_title = NULL;
            break;
        }
        break;
    }
    int from_range = spec->list != LIST_NONE && spec->list != LIST_WORDS;
    if ((v.validate != LXW_VALIDATION_TYPE_ANY && error == NULL) ||
        (from_range && formula == NULL)) {
        w->err = AO_ERROR_MEMORY_MALLOC_FAILED;
    } else if (w->err == AO_NO_ERROR) {
        v.error_message = error;
        if (v.input_message == NULL)
            v.input_title = NULL;
        ao_sheet_note(&w->err,
                      from_range ? add_range_list(ws, col, last_row, &v, formula)
                                 : worksheet_data_validation_range(ws, 1, col, last_row, col, &v));
    }
    free(formula);
    free(error);
}

/* ---- table sheets ---- */

/* Widths that fit the headings and the example's cells. */
static void set_columns(template_writer *w, lxw_worksheet *ws, const sheet_spec *sheet,
                        const ao_table *table, const long *source)
{
    for (size_t c = 0; c < sheet->n_columns && w->err == AO_NO_ERROR; c++) {
        const column_spec *spec = &sheet->columns[c];
        double width = ao_sheet_text_chars(spec->name) + HEADING_EXTRA;
        for (size_t r = 0; table != NULL && r < table->n_rows && source[c] >= 0; r++) {
            const char *text = ao_table_cell(table, r, source[c]);
            double chars = text != NULL ? ao_sheet_text_chars(text) + 2 : 0;
            if (chars > width)
                width = chars;
        }
        if (spec->shown == SHOWN_POUNDS && width < 16)
            width = 16; /* £601,500,000 */
        if (spec->kind == KIND_SETTING && width < 24)
            width = 24;
        width = width < MIN_WIDTH ? MIN_WIDTH : width > MAX_WIDTH ? MAX_WIDTH : width;
        lxw_format *format = spec->shown == SHOWN_GENERAL ? NULL : w->shown[spec->shown];
        ao_sheet_note(&w->err, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width, format));
    }
}

static void write_table_sheet(template_writer *w, const sheet_spec *sheet, size_t n_rows,
                              const ao_table *table)
{
    long source[16];
    lxw_table_column columns[16];
    lxw_table_column *column_list[17];
    if (sheet->n_columns > 16) {
        w->err = AO_ERROR_INTERNAL;
        return;
    }
    for (size_t c = 0; c < sheet->n_columns; c++) {
        const column_spec *spec = &sheet->columns[c];
        source[c] = table != NULL ? ao_table_col(table, spec->name) : -1;
        columns[c] = (lxw_table_column){.header = (char *)spec->name,
                                        .header_format = spec->required ? w->heading_required
                                                                        : w->heading_optional};
        column_list[c] = &columns[c];
    }
    column_list[sheet->n_columns] = NULL;
    int defaults = table == NULL && w->example == NULL && strcmp(sheet->name, "settings") == 0;
    size_t n_default = sizeof default_settings / sizeof default_settings[0];
    if (defaults)
        n_rows = n_default;
    size_t table_rows = n_rows > 0 ? n_rows : AO_TEMPLATE_BLANK_ROWS;
    lxw_row_t last_row = (lxw_row_t)table_rows;
    lxw_row_t checked_last =
        last_row > AO_TEMPLATE_CHECKED_ROWS ? last_row : AO_TEMPLATE_CHECKED_ROWS;

    lxw_worksheet *ws = workbook_add_worksheet(w->book, sheet->name);
    if (ws == NULL) {
        w->err = AO_ERROR_WORKBOOK;
        return;
    }
    set_columns(w, ws, sheet, table, source);
    worksheet_freeze_panes(ws, 1, 0);
    char table_name[64];
    snprintf(table_name, sizeof table_name, "tbl_%s", sheet->name);
    lxw_table_options options = {.name = table_name,
                                 .style_type = LXW_TABLE_STYLE_TYPE_LIGHT,
                                 .style_type_number = 9,
                                 .columns = column_list};
    if (w->err == AO_NO_ERROR)
        ao_sheet_note(&w->err, worksheet_add_table(ws, 0, 0, last_row,
                                                   (lxw_col_t)(sheet->n_columns - 1), &options));
    for (size_t c = 0; c < sheet->n_columns; c++) {
        put_note(w, ws, (lxw_col_t)c, &sheet->columns[c]);
        validate(w, ws, (lxw_col_t)c, checked_last, &sheet->columns[c]);
    }
    for (size_t r = 0; r < n_rows && w->err == AO_NO_ERROR; r++) {
        lxw_row_t row = (lxw_row_t)(r + 1);
        if (defaults) {
            const char *key = default_settings[r][0], *value = default_settings[r][1];
            put_text(w, ws, row, 0, key, w->shown[SHOWN_TEXT]);
            if (value != NULL)
                put_cell(w, ws, row, 1, &sheet->columns[1], value, in_list(key, numeric_settings));
            continue;
        }
        for (size_t c = 0; c < sheet->n_columns; c++) {
            const char *text = ao_table_cell(table, r, source[c]);
            if (text != NULL)
                put_cell(w, ws, row, (lxw_col_t)c, &sheet->columns[c], text,
                         numeric_cell(table, r, &sheet->columns[c]));
        }
    }
}

/* ---- the hidden lists ---- */

/* Most distinct column names across the sheets (FORMATS.md has fewer than 60). */
#define MAX_COLUMN_NAMES 128

/* Every column name of every sheet, each once, in sheet order; returns their number. */
static size_t column_names(const char *names[MAX_COLUMN_NAMES])
{
    size_t n_names = 0;
    for (size_t k = 0; k < N_SHEETS; k++)
        for (size_t c = 0; c < sheet_specs[k].n_columns; c++) {
            const char *name = sheet_specs[k].columns[c].name;
            int seen = 0;
            for (size_t q = 0; q < n_names && !seen; q++)
                seen = strcmp(names[q], name) == 0;
            if (!seen && n_names < MAX_COLUMN_NAMES)
                names[n_names++] = name;
        }
    return n_names;
}

static void write_lists(template_writer *w)
{
    lxw_worksheet *ws = workbook_add_worksheet(w->book, LISTS_SHEET);
    if (ws == NULL) {
        w->err = AO_ERROR_WORKBOOK;
        return;
    }
    worksheet_hide(ws);
    const sheet_spec *icbs = find_sheet_spec("icbs");
    long id_col = find_column(icbs, "id");
    const ao_table *icb_table = example_table(w, icbs);
    long icb_source = icb_table != NULL ? ao_table_col(icb_table, "id") : -1;
    char letters[8];
    ao_column_letters((size_t)id_col, letters);

    const char *names[MAX_COLUMN_NAMES];
    size_t n_names = column_names(names);

    /* Scope: *, all, then each ICB row's id, by a formula that follows the icbs sheet.
     * The value saved with each formula is the id written there now, so that a program
     * that does not recalculate on opening still shows the list. */
    put_text(w, ws, 0, 0, "scope", NULL);
    put_text(w, ws, 0, 1, "column", NULL);
    lxw_row_t last = w->scope_last_row > n_names ? w->scope_last_row : (lxw_row_t)n_names;
    for (lxw_row_t row = 1; row <= last && w->err == AO_NO_ERROR; row++) {
        if (row == 1) {
            put_text(w, ws, row, 0, "*", NULL);
        } else if (row == 2) {
            put_text(w, ws, row, 0, "all", NULL);
        } else if (row <= w->scope_last_row) {
            lxw_row_t icb_row = row - 2; /* 1-based data row of the icbs sheet */
            char formula[96];
            snprintf(formula, sizeof formula, "=IF(icbs!$%s%lu=\"\",\"\",icbs!$%s%lu)", letters,
                     (unsigned long)icb_row + 1, letters, (unsigned long)icb_row + 1);
            const char *cached = icb_source >= 0 && icb_row - 1 < icb_table->n_rows
                                     ? ao_table_cell(icb_table, icb_row - 1, icb_source)
                                     : NULL;
            ao_sheet_note(&w->err, worksheet_write_formula_str(ws, row, 0, formula, NULL,
                                                               cached != NULL ? cached : ""));
        }
        if (row <= n_names)
            put_text(w, ws, row, 1, names[row - 1], NULL);
    }
}

/* ---- Read me ---- */

typedef struct readme {
    template_writer *w;
    lxw_worksheet *ws;
    lxw_row_t row;
} readme;

static void readme_line(readme *rm, const char *label, const char *text, lxw_format *format)
{
    put_text(rm->w, rm->ws, rm->row, 0, label, rm->w->label);
    put_text(rm->w, rm->ws, rm->row, 1, text, format != NULL ? format : rm->w->prose);
    /* Not every program fits a row to its wrapped text on opening: give the height. */
    double lines = ceil(ao_sheet_text_chars(text) / README_LINE_CHARS);
    if (format == NULL && lines > 1 && rm->w->err == AO_NO_ERROR)
        ao_sheet_note(&rm->w->err,
                      worksheet_set_row(rm->ws, rm->row, lines * README_LINE_POINTS, NULL));
    rm->row++;
}

static void readme_section(readme *rm, const char *title)
{
    rm->row++;
    put_text(rm->w, rm->ws, rm->row++, 0, title, rm->w->section);
}

static void write_readme(template_writer *w)
{
    readme rm = {.w = w, .ws = workbook_add_worksheet(w->book, "Read me")};
    if (rm.ws == NULL) {
        w->err = AO_ERROR_WORKBOOK;
        return;
    }
    ao_sheet_note(&w->err, worksheet_set_column(rm.ws, 0, 0, 24, NULL));
    ao_sheet_note(&w->err, worksheet_set_column(rm.ws, 1, 1, README_TEXT_WIDTH, NULL));
    worksheet_set_tab_color(rm.ws, 0x1F4E79);
    put_text(w, rm.ws, rm.row++, 0, "allocopt input workbook", w->title);
    readme_line(&rm, NULL,
                "Fill in this workbook to describe your ICBs, their budgets and the services "
                "they commission. allocopt then finds how to share each ICB's revenue and "
                "capital between specialised services and the ICB's own priorities, year by "
                "year, for the most health benefit (or the least cost) within every limit you "
                "set, and reports the risks of the plan.",
                NULL);
    readme_line(&rm, NULL,
                "Written by allocopt " AO_VERSION ". Point at a column heading to read its "
                "note: what the column means, its unit, and whether it is required.",
                NULL);

    readme_section(&rm, "How to use it");
    readme_line(&rm, "1. Fill in",
                "Fill in the sheets, starting with settings, icbs, budgets, services and "
                "demand: these five are required. The others are optional: leave them empty "
                "or delete them. Save as an Excel Workbook (.xlsx).",
                NULL);
    readme_line(&rm, "2. Check", "allocopt validate book.xlsx", w->command);
    readme_line(&rm, NULL,
                "Lists every problem with its sheet, row and column, such as: budgets row 14, "
                "column revenue: '12,3x4' is not a number. Fix them and check again until "
                "none is left.",
                NULL);
    readme_line(&rm, "3. Run", "allocopt run book.xlsx -o results.xlsx", w->command);
    readme_line(&rm, NULL,
                "Finds the best plan and writes it to results.xlsx. If no plan meets every "
                "limit, allocopt says which limits are in the way.",
                NULL);
    readme_line(&rm, "4. Read the results",
                "Open results.xlsx: Summary first, then Allocation (activity and spend by ICB, "
                "service, provider and year), Budgets (what each budget has left, and what "
                "£1m more would buy), Capital, Indicators (the risk indicators) and "
                "Constraints.",
                NULL);
    readme_line(&rm, "5. What-ifs", "allocopt run book.xlsx -o results.xlsx --all-scenarios",
                w->command);
    readme_line(&rm, NULL,
                "Describe each what-if on the scenarios sheet (10% more renal need, a 20% "
                "capital cut, joint commissioning). --all-scenarios solves every one beside "
                "the baseline, --scenario NAME only the one named; the Scenarios sheet of the "
                "results compares them side by side.",
                NULL);
    readme_line(&rm, "6. Sweeps",
                "allocopt sweep book.xlsx --vary budgets.revenue --from 0.8 --to 1.2 --steps 9 "
                "-o sweep.xlsx",
                w->command);
    readme_line(&rm, NULL,
                "Solves the plan again and again while one input moves (here every revenue "
                "budget from 80% to 120% of what you typed; --vary settings.KEY moves a "
                "setting instead), and charts how the benefit and the specialised share "
                "follow.",
                NULL);
    readme_line(&rm, "7. Uncertainty", "allocopt run book.xlsx -o results.xlsx --samples 1000",
                w->command);
    readme_line(&rm, NULL,
                "Describe on the uncertainty sheet which values are uncertain and how they "
                "vary. --samples draws that many inputs at random (--seed picks the draws) and "
                "solves each; the Uncertainty sheet of the results gives the 10th, 50th and "
                "90th percentiles of the benefit and spend, the chance of no feasible plan and "
                "the chance that each ICB's budget is overspent by the plan.",
                NULL);

    readme_section(&rm, "The sheets");
    for (size_t k = 0; k < N_SHEETS && w->err == AO_NO_ERROR; k++) {
        char *line = ao_asprintf("%s %s", sheet_specs[k].required ? "Required." : "Optional.",
                                 sheet_specs[k].purpose);
        if (line == NULL) {
            w->err = AO_ERROR_MEMORY_MALLOC_FAILED;
            return;
        }
        readme_line(&rm, sheet_specs[k].name, line, NULL);
        free(line);
    }

    readme_section(&rm, "Numbers, years and words");
    readme_line(&rm, "Money",
                "In pounds (£), not £k or £m: a budget of £601.5m is 601500000. A £ sign and "
                "commas may be typed (£601,500,000).",
                NULL);
    readme_line(&rm, "Activity",
                "Need, baseline activity, capacity and volumes are in each service's own unit "
                "(the services sheet's unit column: courses, bed-days, operations), per year.",
                NULL);
    readme_line(&rm, "Fractions",
                "Coverage, growth, shares and rates are fractions and may be typed as "
                "percentages: 12.5% is the same as 0.125, and 90% the same as 0.9.",
                NULL);
    readme_line(&rm, "Years",
                "Financial years: type 2025 or 2025/26, both meaning April 2025 to March "
                "2026. Year columns are formatted as text so that Excel keeps 2025/26 as "
                "typed.",
                NULL);
    readme_line(&rm, "Yes or no", "yes or no (true/false, y/n and 1/0 are read too).", NULL);
    readme_line(&rm, "Ids",
                "ICB codes, service ids and provider codes are matched ignoring capitals and "
                "spaces around them, and each appears once on its own sheet. The other "
                "sheets refer to them: choose them from the drop-down lists.",
                NULL);

    readme_section(&rm, "Good to know");
    readme_line(&rm, "Headings",
                "Keep the sheet names and headings as they are: allocopt finds each table by "
                "its sheet's name and each column by its heading. Dark blue headings are "
                "required; light blue ones optional, and a blank optional cell takes the "
                "default its note gives.",
                NULL);
    readme_line(&rm, "Rows",
                "One row per item, in any order; blank rows are skipped. Add rows below a "
                "table and it grows to take them. Filters on the headings help find rows.",
                NULL);
    readme_line(&rm, "Extra",
                "Extra columns and sheets are reported as warnings and otherwise ignored, so "
                "notes may go there. This Read me sheet, and sheets whose names start with _ "
                "(the hidden _lists sheet holds drop-down lists), are never read.",
                NULL);
    readme_line(&rm, "Formulas",
                "Cells may hold formulas: allocopt reads the value Excel calculated when the "
                "workbook was last saved, so save it in Excel before running.",
                NULL);
    readme_line(&rm, "access",
                "When the access sheet has rows, each ICB may use only the providers listed "
                "for it. Left empty (or deleted), every ICB may use every provider.",
                NULL);
}

/* ---- the workbook ---- */

static void write_workbook(template_writer *w)
{
    lxw_doc_properties properties = {.title = "allocopt input",
                                     .subject = "Input workbook for allocopt",
                                     .author = "allocopt",
                                     .comments = "Input template written by allocopt " AO_VERSION,
                                     .created = ao_workbook_created()};
    ao_sheet_note(&w->err, workbook_set_properties(w->book, &properties));
    create_formats(w);

    /* Rows offered in each id list: the example's rows, and at least the default. */
    for (size_t k = 0; k < N_SHEETS; k++) {
        const ao_table *table = example_table(w, &sheet_specs[k]);
        size_t rows = table != NULL ? table->n_rows : 0;
        w->list_last_row[k] =
            rows > AO_TEMPLATE_LIST_ROWS ? (lxw_row_t)rows : AO_TEMPLATE_LIST_ROWS;
    }
    const char *names[MAX_COLUMN_NAMES];
    w->columns_last_row = (lxw_row_t)column_names(names);
    /* Scope: "*", "all", then one row per row of the icbs list. */
    lxw_row_t icb_rows = w->list_last_row[find_sheet_spec("icbs") - sheet_specs];
    w->scope_last_row = icb_rows + 2 < LAST_SHEET_ROW ? icb_rows + 2 : LAST_SHEET_ROW;

    write_readme(w);
    for (size_t k = 0; k < N_SHEETS && w->err == AO_NO_ERROR; k++) {
        const ao_table *table = example_table(w, &sheet_specs[k]);
        write_table_sheet(w, &sheet_specs[k], table != NULL ? table->n_rows : 0, table);
    }
    if (w->err == AO_NO_ERROR)
        write_lists(w);
}

ao_error ao_template_write(const char *path, const ao_tableset *example)
{
    if (path == NULL)
        return AO_ERROR_NULL_PARAMETER;
    /* A table longer than a sheet cannot be written whole: refuse before writing. */
    for (size_t k = 0; example != NULL && k < N_SHEETS; k++) {
        const ao_table *table = ao_tableset_find(example, sheet_specs[k].name);
        if (table != NULL && table->n_rows > (size_t)LAST_SHEET_ROW)
            return AO_ERROR_WORKBOOK;
    }
    ao_error err = AO_NO_ERROR;
    template_writer w = {.example = example};
    ao_book_output out = {0};

    /* Find out now, not after writing every sheet, whether the folder takes the file.
     * Not constant_memory: Excel tables need the sheets in memory. */
    AO_GOTO_ON_ERROR(ao_book_output_open(&out, path, 0), err, cleanup);
    w.book = out.book;
    write_workbook(&w);
    AO_GOTO_ON_ERROR(w.err, err, cleanup);
    AO_GOTO_ON_ERROR(ao_book_output_close(&out), err, cleanup);
    err = ao_book_output_commit(&out, path);

cleanup:
    ao_book_output_discard(&out);
    return err;
}
