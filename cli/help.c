/*
 * `--help`, the manual page and the bash completion, all printed from the commands and
 * options tables (cli/options.c): a new option appears in each by being added there.
 */
#include <string.h>

#include "cli/options.h"

#define HELP_WIDTH 79
#define COMMAND_COLUMN 19
#define OPTION_COLUMN 23

static const char summary_text[] =
    "Allocate ICB revenue and capital between specialised services and ICB priorities, year "
    "by year, and report the plan as an Excel workbook.";

static const char exit_text[] =
    "0 a plan was found (or the command did its job), 1 no feasible plan (the reason is "
    "printed and written), 2 usage or input error, 3 solver or internal failure.";

/* Print `text` from column `column` (the cursor is there), wrapped at HELP_WIDTH. */
static void wrap(FILE *out, const char *text, int column, int indent)
{
    int at = column;
    while (*text != '\0') {
        size_t word = strcspn(text, " ");
        if (at > indent && at + 1 + (int)word > HELP_WIDTH) {
            fprintf(out, "\n%*s", indent, "");
            at = indent;
        } else if (at > indent) {
            fputc(' ', out);
            at++;
        }
        fprintf(out, "%.*s", (int)word, text);
        at += (int)word;
        text += word;
        text += strspn(text, " ");
    }
    fputc('\n', out);
}

/* "delegated, joint or national" from an option's choices. */
static void choices_text(const cli_option *o, char *buffer, size_t size)
{
    buffer[0] = '\0';
    int n = 0;
    while (o->choice(n) != NULL)
        n++;
    for (int k = 0; k < n; k++) {
        const char *glue = k == 0 ? "" : k == n - 1 ? " or " : ", ";
        if (strlen(buffer) + strlen(glue) + strlen(o->choice(k)) + 1 < size) {
            strcat(buffer, glue);
            strcat(buffer, o->choice(k));
        }
    }
}

/* An option's help, with its choices when it has them. */
static void option_help(const cli_option *o, char *buffer, size_t size)
{
    if (o->kind == CLI_ARG_CHOICE && strstr(o->help, o->choice(0)) == NULL) {
        char choices[128];
        choices_text(o, choices, sizeof choices);
        snprintf(buffer, size, "%s: %s", o->help, choices);
    } else {
        snprintf(buffer, size, "%s", o->help);
    }
}

void cli_print_help(FILE *out)
{
    fputs("Usage: allocopt COMMAND [OPTIONS]\n\n", out);
    wrap(out, summary_text, 0, 0);
    fputs("\nCommands:\n", out);
    for (const cli_command *c = cli_commands; c->name != NULL; c++) {
        int at = fprintf(out, "  %s %s", c->name, c->operands);
        if (at >= COMMAND_COLUMN) {
            fputc('\n', out);
            at = 0;
        }
        fprintf(out, "%*s", COMMAND_COLUMN - at, "");
        wrap(out, c->help, COMMAND_COLUMN, COMMAND_COLUMN);
    }
    fputs("\nOptions:\n", out);
    for (const cli_option *o = cli_option_table; o->name != NULL; o++) {
        if (o->commands == 0)
            continue;
        int at = o->short_name != 0 ? fprintf(out, "  -%c, --%s", o->short_name, o->name)
                                    : fprintf(out, "      --%s", o->name);
        if (o->argument != NULL)
            at += fprintf(out, " %s", o->argument);
        if (at >= OPTION_COLUMN - 1) {
            fputc('\n', out);
            at = 0;
        }
        fprintf(out, "%*s", OPTION_COLUMN - at, "");
        char help[512];
        option_help(o, help, sizeof help);
        wrap(out, help, OPTION_COLUMN, OPTION_COLUMN);
    }
    fputs("\nExit status:", out);
    wrap(out, exit_text, 12, 0);
}

/* Text for roff: backslashes doubled, hyphens as \-, a leading dot or quote escaped. */
static void roff(FILE *out, const char *text)
{
    if (*text == '.' || *text == '\'')
        fputs("\\&", out);
    for (; *text != '\0'; text++) {
        if (*text == '\\')
            fputs("\\e", out);
        else if (*text == '-')
            fputs("\\-", out);
        else
            fputc(*text, out);
    }
}

/* A command's operands, between `before` and `after`, when it has any. */
static void roff_operands(FILE *out, const cli_command *c, const char *before, const char *after)
{
    if (c->operands[0] == '\0')
        return;
    fputs(before, out);
    roff(out, c->operands);
    fputs(after, out);
}

void cli_print_man(FILE *out)
{
    fprintf(out,
            ".\\\" The manual page of allocopt, printed by `allocopt --help-man` from the\n"
            ".\\\" same tables as `allocopt --help`: do not edit.\n"
            ".TH ALLOCOPT 1 \"\" \"allocopt %s\" \"User Commands\"\n"
            ".SH NAME\nallocopt \\- allocate ICB revenue and capital with a linear "
            "programme\n"
            ".SH SYNOPSIS\n",
            AO_VERSION);
    for (const cli_command *c = cli_commands; c->name != NULL; c++) {
        fprintf(out, ".B allocopt\n.B %s\n", c->name);
        roff_operands(out, c, ".I ", "\\&\n");
        fputs("[\\fIOPTIONS\\fR]\n.br\n", out);
    }
    fputs(".SH DESCRIPTION\n", out);
    roff(out, summary_text);
    fputs("\nThe input is a folder of CSV files, one per table, or one .xlsx workbook with one "
          "sheet per table.\n.SH COMMANDS\n",
          out);
    for (const cli_command *c = cli_commands; c->name != NULL; c++) {
        fprintf(out, ".TP\n.B %s", c->name);
        roff_operands(out, c, " \\fI", "\\fR");
        fputc('\n', out);
        roff(out, c->help);
        fputc('\n', out);
    }
    fputs(".SH OPTIONS\n", out);
    for (const cli_option *o = cli_option_table; o->name != NULL; o++) {
        if (o->commands == 0)
            continue;
        fputs(".TP\n", out);
        if (o->short_name != 0)
            fprintf(out, "\\fB\\-%c\\fR, ", o->short_name);
        fputs("\\fB\\-\\-", out);
        roff(out, o->name);
        fputs("\\fR", out);
        if (o->argument != NULL) {
            fputs(" \\fI", out);
            roff(out, o->argument);
            fputs("\\fR", out);
        }
        fputc('\n', out);
        char help[512];
        option_help(o, help, sizeof help);
        roff(out, help);
        fputs(".\n", out);
        if (o->commands != CLI_ALL) {
            const char *glue = ".br\nCommands: ";
            for (const cli_command *c = cli_commands; c->name != NULL; c++) {
                if (o->commands & c->id) {
                    fprintf(out, "%s\\fB%s\\fR", glue, c->name);
                    glue = ", ";
                }
            }
            fputs(".\n", out);
        }
    }
    fputs(".SH EXIT STATUS\n", out);
    roff(out, exit_text);
    fputs("\n.SH FILES\nAn output is written whole or not at all, never over an input, and "
          "never over a file allocopt did not write as an output unless \\fB\\-\\-force\\fR is "
          "given.\n"
          ".SH SEE ALSO\nThe documentation installed with allocopt (README.md, docs/), and "
          "\\fBglpsol\\fR(1).\n",
          out);
}

/* The words of a bash `case` pattern for the options taking a value: "-o|--output|...". */
static void value_options_pattern(FILE *out, cli_arg_kind kind)
{
    int first = 1;
    for (const cli_option *o = cli_option_table; o->name != NULL; o++) {
        if (o->argument == NULL || o->commands == 0 || (kind != CLI_ARG_NONE && o->kind != kind))
            continue;
        if (o->short_name != 0)
            fprintf(out, "%s-%c", first ? "" : "|", o->short_name);
        fprintf(out, "%s--%s", first && o->short_name == 0 ? "" : "|", o->name);
        first = 0;
    }
}

void cli_print_completion(FILE *out)
{
    fputs("# bash completion for allocopt, printed by `allocopt --help-completion` from the\n"
          "# same tables as `allocopt --help`: do not edit.\n\n"
          "# Files ending in one of the extensions given, and folders.\n"
          "_allocopt_files()\n{\n"
          "    local IFS=$'\\n' ext\n"
          "    COMPREPLY=($(compgen -d -- \"$cur\"))\n"
          "    for ext in \"$@\"; do\n"
          "        COMPREPLY+=($(compgen -f -X \"!*.$ext\" -- \"$cur\"))\n"
          "    done\n"
          "    compopt -o filenames 2>/dev/null\n}\n\n"
          "_allocopt()\n{\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "    local command=\"\" k word\n"
          "    COMPREPLY=()\n"
          "    # The command: the first word that is neither an option nor an option's value.\n"
          "    for ((k = 1; k < COMP_CWORD; k++)); do\n"
          "        word=${COMP_WORDS[k]}\n"
          "        case $word in\n            ",
          out);
    value_options_pattern(out, CLI_ARG_NONE);
    fputs(") ((k++)) ;;\n"
          "            -*) ;;\n"
          "            *) command=$word; break ;;\n"
          "        esac\n"
          "    done\n"
          "    case $prev in\n",
          out);
    static const struct {
        cli_arg_kind kind;
        const char *action;
    } values[] = {{CLI_ARG_OUTPUT, "_allocopt_files xlsx json; return"},
                  {CLI_ARG_JSON, "_allocopt_files json; return"},
                  {CLI_ARG_LP, "_allocopt_files lp; return"},
                  {CLI_ARG_TEXT, "return"}};
    for (size_t k = 0; k < sizeof values / sizeof values[0]; k++) {
        fputs("        ", out);
        value_options_pattern(out, values[k].kind);
        fprintf(out, ") %s ;;\n", values[k].action);
    }
    for (const cli_option *o = cli_option_table; o->name != NULL; o++) {
        if (o->kind != CLI_ARG_CHOICE || o->commands == 0)
            continue;
        fprintf(out, "        --%s) COMPREPLY=($(compgen -W \"", o->name);
        for (int k = 0; o->choice(k) != NULL; k++)
            fprintf(out, "%s%s", k > 0 ? " " : "", o->choice(k));
        fputs("\" -- \"$cur\")); return ;;\n", out);
    }
    fputs("    esac\n"
          "    if [[ $cur == -* ]]; then\n"
          "        local options\n"
          "        case $command in\n",
          out);
    for (const cli_command *c = cli_commands; c->name != NULL; c++) {
        fprintf(out, "            %s) options=\"", c->name);
        int first = 1;
        for (const cli_option *o = cli_option_table; o->name != NULL; o++) {
            if (!(o->commands & c->id))
                continue;
            if (o->short_name != 0)
                fprintf(out, "%s-%c", first ? "" : " ", o->short_name);
            fprintf(out, "%s--%s", first && o->short_name == 0 ? "" : " ", o->name);
            first = 0;
        }
        fputs("\" ;;\n", out);
    }
    fputs("            *) options=\"", out);
    int first = 1;
    for (const cli_option *o = cli_option_table; o->name != NULL; o++) {
        if (o->commands == CLI_ALL) {
            fprintf(out, "%s--%s", first ? "" : " ", o->name);
            first = 0;
        }
    }
    fputs("\" ;;\n"
          "        esac\n"
          "        COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
          "        return\n"
          "    fi\n"
          "    case $command in\n"
          "        \"\") COMPREPLY=($(compgen -W \"",
          out);
    for (const cli_command *c = cli_commands; c->name != NULL; c++)
        fprintf(out, "%s%s", c == cli_commands ? "" : " ", c->name);
    fputs("\" -- \"$cur\")) ;;\n", out);
    /* What each command's operands are: the input (a CSV folder or a workbook), the
     * template to write, or partial results. */
    static const struct {
        cli_command_id id;
        const char *action;
    } operands[] = {{CLI_RUN | CLI_VALIDATE | CLI_SWEEP | CLI_TEMPLATE, "_allocopt_files xlsx"},
                    {CLI_MERGE, "_allocopt_files json"}};
    for (size_t k = 0; k < sizeof operands / sizeof operands[0]; k++) {
        fputs("        ", out);
        int any = 0;
        for (const cli_command *c = cli_commands; c->name != NULL; c++) {
            if (operands[k].id & c->id) {
                fprintf(out, "%s%s", any ? "|" : "", c->name);
                any = 1;
            }
        }
        fprintf(out, ") %s ;;\n", operands[k].action);
    }
    fputs("    esac\n}\n"
          "complete -F _allocopt allocopt\n",
          out);
}
