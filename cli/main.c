/*
 * The allocopt program: reads the command line from the options table (cli/options.c)
 * and runs the command, one file each (cli/cmd_*.c). Exit statuses (FORMATS.md): 0 a
 * plan was found, 1 no feasible plan, 2 usage or input error, 3 solver or internal
 * failure.
 */
#include "cli/options.h"
#include "cli/progress.h"

int main(int argc, char **argv)
{
    /* At most one scenario, or one partial result, per argument: argc bounds the lists. */
    const char *scenario_names[argc > 0 ? argc : 1];
    const char *part_names[argc > 0 ? argc : 1];
    cli_options opt = {.scenarios = scenario_names, .parts = part_names};
    int code = cli_parse(argc, argv, &opt);
    if (code == CLI_CONTINUE)
        code = cli_find_command(opt.command)->execute(&opt);
    cli_progress_stop();
    /* Free this thread's solver environment so that nothing is left allocated. */
    ao_solver_thread_cleanup();
    return code;
}
