/**
 * @file fuzz/fuzz.h
 * @brief What the harnesses share: the libFuzzer entry point and the check macro.
 *
 * The same harness files build two ways: with clang's -fsanitize=fuzzer for fuzzing
 * (fuzz/build.sh), and with replay.c's main() against the library for the test that
 * replays the seed corpus and every regression input (tests/functional).
 */
#ifndef AO_FUZZ_FUZZ_H
#define AO_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/** @brief Run one input; returns 0 (libFuzzer's contract). A broken promise aborts. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/** Abort when a promise of the code under test is broken, so that the fuzzer keeps the
 * input, as it does for a sanitizer report. */
#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition))                                                                          \
            abort();                                                                               \
    } while (0)

#endif /* AO_FUZZ_FUZZ_H */
