/**
 * @file common/error.h
 * @brief Error codes shared by every allocopt module.
 *
 * An ao_error says that something went wrong (memory, files, bad input,
 * solver failure). It is kept apart from the outcome of a solve
 * (ao_solve_status in solver/lp.h): an infeasible model is an answer, not an
 * error.
 */
#ifndef AO_COMMON_ERROR_H
#define AO_COMMON_ERROR_H

/** Error codes returned by allocopt functions. */
typedef enum ao_error {
    AO_NO_ERROR = 0,              ///< No error.
    AO_ERROR_MEMORY_MALLOC_FAILED, ///< Memory allocation failed.
    AO_ERROR_NULL_PARAMETER,      ///< A required argument was NULL.
    AO_ERROR_FILE_OPEN,           ///< A file or folder could not be opened.
    AO_ERROR_FILE_READ,           ///< A file could not be read.
    AO_ERROR_FILE_WRITE,          ///< A file could not be written.
    AO_ERROR_INPUT,               ///< The input has problems; see the diagnostics.
    AO_ERROR_OPTIONS,             ///< An option has an invalid value.
    AO_ERROR_SOLVER,              ///< The solver failed (numerical trouble, limits).
    AO_ERROR_WORKBOOK,            ///< The workbook library reported an error.
    AO_ERROR_INTERNAL,            ///< An internal consistency check failed.
    AO_MAX_ERRNO                  ///< One past the last error code.
} ao_error;

/**
 * @brief A sentence describing an error code.
 * @param[in] error The code; out-of-range values are capped.
 * @return A static string, never NULL.
 */
const char *ao_strerror(ao_error error);

/** Return from the calling function if an expression yields an error. */
#define AO_RETURN_ON_ERROR(expr)                                                                   \
    do {                                                                                           \
        ao_error ao_err_ = (expr);                                                                 \
        if (ao_err_ != AO_NO_ERROR)                                                                \
            return ao_err_;                                                                        \
    } while (0)

/** Set `err` and jump to `label` if a pointer is NULL (allocation failed). */
#define AO_GOTO_ON_MEM_ERROR(pointer, err, label)                                                  \
    do {                                                                                           \
        if ((pointer) == NULL) {                                                                   \
            (err) = AO_ERROR_MEMORY_MALLOC_FAILED;                                                 \
            goto label;                                                                            \
        }                                                                                          \
    } while (0)

/** Store the result of an expression in `err` and jump to `label` if it is an error. */
#define AO_GOTO_ON_ERROR(expr, err, label)                                                         \
    do {                                                                                           \
        (err) = (expr);                                                                            \
        if ((err) != AO_NO_ERROR)                                                                  \
            goto label;                                                                            \
    } while (0)

#endif /* AO_COMMON_ERROR_H */
