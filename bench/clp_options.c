/*
 * bench/clp_options.c - CLP alone on an MPS file with one set of options, as allocopt's
 * solver layer calls it (its C interface, ClpSolve, presolve on), to compare option
 * settings on the same LP (bench/clp_options.sh runs the set).
 *
 *     clp_options FILE.mps [max] [dual|primal|auto] [OPTION=VALUE...]
 *
 * Options: perturbation=N (allocopt: 50), scaling=N (Clp_scaling), crash=N (ClpSolve special
 * option 0 for the dual, 1 for the primal), passes=N (presolve passes), substitution=N,
 * dual_bound=X, presolve=off. Prints one line: status, objective, iterations, seconds.
 */
#include <Clp_C_Interface.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The value of OPTION=VALUE among the arguments, or NULL. */
static const char *option(int argc, char **argv, const char *name)
{
    size_t n = strlen(name);
    for (int k = 2; k < argc; k++)
        if (strncmp(argv[k], name, n) == 0 && argv[k][n] == '=')
            return argv[k] + n + 1;
    return NULL;
}

static int has_word(int argc, char **argv, const char *word)
{
    for (int k = 2; k < argc; k++)
        if (strcmp(argv[k], word) == 0)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: clp_options FILE.mps [max] [dual|primal|auto] [OPTION=VALUE...]\n");
        return 2;
    }
    Clp_Simplex *model = Clp_newModel();
    Clp_Solve *how = ClpSolve_new();
    if (model == NULL || how == NULL)
        return 3;
    Clp_setLogLevel(model, 0);
    if (Clp_readMps(model, argv[1], 1, 0) != 0) {
        fprintf(stderr, "clp_options: cannot read %s\n", argv[1]);
        return 2;
    }
    if (has_word(argc, argv, "max"))
        Clp_setOptimizationDirection(model, -1.0);
    const char *value;
    Clp_setPerturbation(model, (value = option(argc, argv, "perturbation")) ? atoi(value) : 50);
    if ((value = option(argc, argv, "scaling")) != NULL)
        Clp_scaling(model, atoi(value));
    if ((value = option(argc, argv, "dual_bound")) != NULL)
        Clp_setDualBound(model, atof(value));
    int method = has_word(argc, argv, "primal") ? 1 : has_word(argc, argv, "auto") ? 5 : 0;
    ClpSolve_setSolveType(how, method, -1);
    const char *presolve = option(argc, argv, "presolve"), *passes = option(argc, argv, "passes");
    ClpSolve_setPresolveType(how, presolve != NULL && strcmp(presolve, "off") == 0 ? 1 : 0,
                             passes != NULL ? atoi(passes) : -1);
    if ((value = option(argc, argv, "crash")) != NULL)
        ClpSolve_setSpecialOption(how, method == 1 ? 1 : 0, atoi(value), -1);
    if ((value = option(argc, argv, "substitution")) != NULL)
        ClpSolve_setSubstitution(how, atoi(value));
    double start = seconds_now();
    Clp_initialSolveWithOptions(model, how);
    printf("status %d objective %.10g iterations %d seconds %.2f\n", Clp_status(model),
           Clp_getObjValue(model), Clp_numberIterations(model), seconds_now() - start);
    ClpSolve_delete(how);
    Clp_deleteModel(model);
    return 0;
}
