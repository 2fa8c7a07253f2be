/* Outcomes to exit statuses, in one place (FORMATS.md), and the messages that go with them. */
#include <stdarg.h>
#include <stdio.h>

#include "cli/cli.h"

int cli_exit_code(ao_error err)
{
    switch (err) {
    case AO_NO_ERROR:
        return EXIT_PLAN;
    case AO_ERROR_INPUT:
    case AO_ERROR_OPTIONS:
    case AO_ERROR_FILE_OPEN:
    case AO_ERROR_FILE_READ:
    case AO_ERROR_FILE_WRITE:
        return EXIT_USAGE;
    default:
        return EXIT_FAILURE_INTERNAL;
    }
}

int cli_exit_for_status(ao_solve_status status)
{
    if (status == AO_STATUS_OPTIMAL)
        return EXIT_PLAN;
    return status == AO_STATUS_INFEASIBLE ? EXIT_INFEASIBLE : EXIT_FAILURE_INTERNAL;
}

int cli_usage_error(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fputs("allocopt: ", stderr);
    vfprintf(stderr, fmt, args);
    fputs("\nTry 'allocopt --help'.\n", stderr);
    va_end(args);
    return EXIT_USAGE;
}

int cli_fail(ao_error err, const char *fmt, ...)
{
    fputs("allocopt: ", stderr);
    if (fmt != NULL) {
        va_list args;
        va_start(args, fmt);
        vfprintf(stderr, fmt, args);
        va_end(args);
        fputs(": ", stderr);
    }
    fprintf(stderr, "%s\n", ao_strerror(err));
    return cli_exit_code(err);
}
