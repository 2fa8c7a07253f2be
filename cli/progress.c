/* Progress on stderr while allocopt works (cli/progress.h). */
#include "cli/progress.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Nothing is shown before this; simplex lines at most every PROGRESS_INTERVAL_SECONDS. */
#define PROGRESS_AFTER_SECONDS 1.0
#define PROGRESS_INTERVAL_SECONDS 0.5

typedef struct progress {
    struct timespec start;
    int enabled;         ///< Not quiet.
    int tty;             ///< stderr is a terminal.
    int line_open;       ///< A terminal line is being updated in place.
    double last;         ///< When the last simplex line was shown.
    const char *pending; ///< Phase not shown yet (the run was still short).
    double pending_at;   ///< When that phase began.
    const char *phase;   ///< Phase under way.
    pthread_mutex_t lock;
    pthread_cond_t wake; ///< Signals the ticker to stop.
    pthread_t ticker;    ///< Shows a long phase even when the solver prints nothing.
    int ticking;         ///< The ticker thread runs.
    int stop;            ///< The ticker should end.
} progress;

static progress run_progress = {.lock = PTHREAD_MUTEX_INITIALIZER,
                                .wake = PTHREAD_COND_INITIALIZER};

double cli_progress_elapsed(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - run_progress.start.tv_sec) +
           1e-9 * (double)(now.tv_nsec - run_progress.start.tv_nsec);
}

static void progress_print(double t, const char *text, int in_place);

/*
 * Some solvers (CLP) print no progress of their own: every quarter second the ticker
 * shows a phase that has lasted past the threshold and, on a terminal, how long the
 * current phase has run, updated in place.
 */
static void *progress_ticker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&run_progress.lock);
    while (!run_progress.stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 250000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&run_progress.wake, &run_progress.lock, &until);
        if (run_progress.stop)
            break;
        double t = cli_progress_elapsed();
        if (t <= PROGRESS_AFTER_SECONDS)
            continue;
        if (run_progress.pending != NULL) {
            progress_print(run_progress.pending_at, run_progress.pending, 0);
            run_progress.pending = NULL;
            run_progress.last = t;
        } else if (run_progress.tty && run_progress.phase != NULL && t - run_progress.last >= 1.0) {
            char text[160];
            snprintf(text, sizeof text, "%s …", run_progress.phase);
            progress_print(t, text, 1);
            run_progress.last = t;
        }
    }
    pthread_mutex_unlock(&run_progress.lock);
    return NULL;
}

void cli_progress_start(int quiet)
{
    clock_gettime(CLOCK_MONOTONIC, &run_progress.start);
    run_progress.enabled = !quiet;
    run_progress.tty = isatty(fileno(stderr));
    run_progress.stop = 0;
    if (run_progress.enabled && !run_progress.ticking)
        run_progress.ticking =
            pthread_create(&run_progress.ticker, NULL, progress_ticker, NULL) == 0;
}

/* End the ticker (at exit; harmless when it never started). */
void cli_progress_stop(void)
{
    if (!run_progress.ticking)
        return;
    pthread_mutex_lock(&run_progress.lock);
    run_progress.stop = 1;
    pthread_cond_signal(&run_progress.wake);
    pthread_mutex_unlock(&run_progress.lock);
    pthread_join(run_progress.ticker, NULL);
    run_progress.ticking = 0;
    if (run_progress.line_open)
        fputc('\n', stderr);
    run_progress.line_open = 0;
}

/* Caller holds the lock. `t` is when the event happened. */
static void progress_print(double t, const char *text, int in_place)
{
    if (run_progress.tty && run_progress.line_open)
        fputs(in_place ? "\r\033[K" : "\n", stderr);
    fprintf(stderr, "[%6.1fs] %s", t, text);
    run_progress.line_open = run_progress.tty && in_place;
    if (!run_progress.line_open)
        fputc('\n', stderr);
    fflush(stderr);
}

void cli_progress_phase(const char *what)
{
    pthread_mutex_lock(&run_progress.lock);
    run_progress.pending = what;
    run_progress.phase = what;
    run_progress.pending_at = cli_progress_elapsed();
    if (run_progress.enabled && run_progress.pending_at > PROGRESS_AFTER_SECONDS) {
        progress_print(run_progress.pending_at, what, 0);
        run_progress.pending = NULL;
    }
    pthread_mutex_unlock(&run_progress.lock);
}

void cli_progress_end(void)
{
    pthread_mutex_lock(&run_progress.lock);
    if (run_progress.line_open)
        fputc('\n', stderr);
    run_progress.line_open = 0;
    pthread_mutex_unlock(&run_progress.lock);
}

/* A line of the solver's log: keep the simplex and branch-and-cut progress lines. */
void cli_progress_solver_line(void *info, const char *line)
{
    (void)info;
    if (strstr(line, "obj =") == NULL && strstr(line, "mip =") == NULL)
        return;
    pthread_mutex_lock(&run_progress.lock);
    double t = cli_progress_elapsed();
    if (run_progress.enabled && t > PROGRESS_AFTER_SECONDS &&
        t - run_progress.last >= PROGRESS_INTERVAL_SECONDS) {
        if (run_progress.pending != NULL) {
            progress_print(run_progress.pending_at, run_progress.pending, 0);
            run_progress.pending = NULL;
        }
        char text[160];
        snprintf(text, sizeof text, "solver: %.*s", (int)strcspn(line, "\n"), line);
        progress_print(t, text, 1);
        run_progress.last = t;
    }
    pthread_mutex_unlock(&run_progress.lock);
}
