/*
 * Allocation-failure injection for tests/functional/alloc_failure.py (docs/testing.md).
 *
 * Linked only into the test program allocopt_failalloc, with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup: the linker sends the
 * calls made from allocopt's own objects (its static libraries and cli/) here, while the
 * shared libraries (GLPK, CLP, libxlsxwriter, jansson, libzip, expat, libcsv, libc)
 * keep the real allocator. So injection reaches exactly the allocations allocopt makes.
 *
 * AO_FAIL_ALLOC=N   the N-th call (counting from 1, over every thread) returns NULL;
 *                   every other call succeeds.
 * AO_FAIL_ALLOC_COUNT=FILE   at exit, the number of calls made is written to FILE.
 * AO_FAIL_ALLOC_TRACE=1      the failing call's stack goes to stderr (addresses for
 *                            addr2line -e PROGRAM), to find where a failure was lost.
 */
#include <execinfo.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
char *__wrap_strdup(const char *s);

static atomic_ulong calls;
static unsigned long fail_at; ///< 0: never fail.
static int trace;

__attribute__((constructor)) static void failalloc_start(void)
{
    const char *n = getenv("AO_FAIL_ALLOC");
    if (n != NULL)
        fail_at = strtoul(n, NULL, 10);
    trace = getenv("AO_FAIL_ALLOC_TRACE") != NULL;
}

__attribute__((destructor)) static void failalloc_end(void)
{
    const char *path = getenv("AO_FAIL_ALLOC_COUNT");
    if (path == NULL)
        return;
    FILE *fh = fopen(path, "w");
    if (fh != NULL) {
        fprintf(fh, "%lu\n", (unsigned long)atomic_load(&calls));
        fclose(fh);
    }
}

/* This call is the one to fail. */
static int fail_now(void)
{
    unsigned long n = atomic_fetch_add(&calls, 1) + 1;
    if (fail_at == 0 || n != fail_at)
        return 0;
    if (trace) {
        void *frames[32];
        int depth = backtrace(frames, 32);
        backtrace_symbols_fd(frames, depth, 2);
    }
    return 1;
}

void *__wrap_malloc(size_t size)
{
    return fail_now() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
    return fail_now() ? NULL : __real_realloc(p, size);
}

char *__wrap_strdup(const char *s)
{
    return fail_now() ? NULL : __real_strdup(s);
}
